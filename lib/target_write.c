/*
 * target_write.c - tact-target's outputs: the policy as rules (rule.h's
 * language, read back by tact-intent apply --rules), the evaluation and
 * the per-unit scores as CSV (see target.h).
 */
#include "target.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"

/* A column name as the rule language reads it: bare when it is letters,
 * digits, '_', '.' or UTF-8 bytes and no keyword, else in backquotes.
 * TACT_DATA when it holds a backquote (no way to write it). */
static tact_status put_column(FILE *out, const char *name, tact_error *error)
{
	static const char *const keywords[] = {"and", "or", "not"};
	const unsigned char *p;
	int bare = name[0] != '\0';
	size_t k;

	for (p = (const unsigned char *)name; *p; p++)
		if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.'))
			bare = 0;
	for (k = 0; k < 3; k++)
		if (strcasecmp(name, keywords[k]) == 0)
			bare = 0;
	if (bare) {
		fputs(name, out);
		return TACT_OK;
	}
	if (strchr(name, '`'))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "feature '%s' holds a backquote: the rule "
		                      "language cannot name it", name);
	fprintf(out, "`%s`", name);
	return TACT_OK;
}

/* A label in quotes the label does not hold. */
static tact_status put_label(FILE *out, const char *label, tact_error *error)
{
	char quote = strchr(label, '\'') ? '"' : '\'';

	if (strchr(label, quote) || strpbrk(label, "\r\n"))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "a label of the policy holds both quotes or a "
		                      "line break: the rule language cannot write it");
	fprintf(out, "%c%s%c", quote, label, quote);
	return TACT_OK;
}

/* The condition of node at's side (left or right). */
static tact_status put_condition(FILE *out, const tact_target_data *d,
                                 const tact_target_node *node, int left,
                                 tact_error *error)
{
	const tact_target_feature *feature = &d->features[node->feature];
	char number[32];
	tact_status status = put_column(out, feature->name, error);

	if (status != TACT_OK)
		return status;
	if (feature->categorical) {
		fputs(left ? " = " : " != ", out);
		return put_label(out, feature->levels[node->split], error);
	}
	fprintf(out, " %s %s", left ? "<=" : ">",
	        tact_format_number(number, feature->thresholds[node->split - 1]));
	return TACT_OK;
}

/* 1 when the condition (node, left) is implied by another of the path
 * (x <= 3 by x <= 2, x > 2 by x > 5, x != 'a' by x = 'b'): left out. */
static int implied(const tact_target_data *d, const tact_target_tree *tree,
                   const size_t *path, size_t count, size_t i)
{
	const tact_target_node *node = &tree->nodes[(path[i] - 1) / 2];
	int left = path[i] % 2 == 1;
	size_t j;

	for (j = 0; j < count; j++) {
		const tact_target_node *other = &tree->nodes[(path[j] - 1) / 2];
		int other_left = path[j] % 2 == 1;
		if (j == i || other->feature != node->feature)
			continue;
		if (d->features[node->feature].categorical) {
			if (!left && other_left)
				return 1;
		} else if (left == other_left &&
		           (left ? other->split < node->split
		                 : other->split > node->split)) {
			return 1;
		}
	}
	return 0;
}

/* The conditions from the root to node at, joined by "and". */
static tact_status put_path(FILE *out, const tact_target_data *d,
                            const tact_target_tree *tree, size_t at,
                            tact_error *error)
{
	size_t path[TACT_TARGET_MAX_DEPTH + 1], count = 0, i, written = 0;
	tact_status status = TACT_OK;

	while (at > 0 && count < TACT_TARGET_MAX_DEPTH + 1) {
		path[count++] = at;
		at = (at - 1) / 2;
	}
	for (i = count; status == TACT_OK && i-- > 0;) {
		size_t child = path[i], parent = (child - 1) / 2;
		if (implied(d, tree, path, count, i))
			continue;
		if (written++)
			fputs(" and ", out);
		status = put_condition(out, d, &tree->nodes[parent], child % 2 == 1,
		                       error);
	}
	return status;
}

tact_status tact_target_write_path(const tact_target_data *d,
                                   const tact_target_tree *tree, size_t node,
                                   FILE *out, tact_error *error)
{
	if (node >= TACT_TARGET_NODES || !tree->nodes[node].used)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "no node %zu in the policy tree", node);
	return put_path(out, d, tree, node, error);
}

/* One node's condition (its parent's question, answered left or right;
 * left: 1) as text into a malloc'ed string; NULL on memory or error. */
static char *condition_text(const tact_target_data *d,
                            const tact_target_node *node, int left,
                            tact_error *error)
{
	char *text = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&text, &length);
	tact_status status;

	if (!out) {
		tact_error_oom(error);
		return NULL;
	}
	status = put_condition(out, d, node, left, error);
	if (fclose(out) != 0 && status == TACT_OK)
		status = tact_error_oom(error);
	if (status != TACT_OK) {
		free(text);
		return NULL;
	}
	return text;
}

tact_status tact_target_write_tree(const tact_target_data *d,
                                   const tact_target_tree *tree, FILE *out,
                                   tact_error *error)
{
	static const char *const header[] = {"node", "parent", "condition",
	                                     "question", "leaf", "decision",
	                                     "share"};
	tact_format_csv_row row;
	size_t at;

	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_texts(&row, header, 7);
	tact_format_csv_row_end(&row);
	for (at = 0; at < TACT_TARGET_NODES; at++) {
		const tact_target_node *node = &tree->nodes[at];
		char *condition = NULL, *question = NULL;
		if (!node->used)
			continue;
		if (at > 0 && !(condition = condition_text(
			                d, &tree->nodes[(at - 1) / 2], at % 2 == 1, error)))
			return error->status ? error->status : tact_error_oom(error);
		if (!node->leaf && !(question = condition_text(d, node, 1, error))) {
			free(condition);
			return error->status ? error->status : tact_error_oom(error);
		}
		tact_format_csv_row_begin(&row, out);
		tact_format_csv_row_count(&row, (int64_t)at);
		if (at > 0)
			tact_format_csv_row_count(&row, (int64_t)(at - 1) / 2);
		else
			tact_format_csv_row_text(&row, "");
		tact_format_csv_row_text(&row, condition ? condition : "");
		tact_format_csv_row_text(&row, question ? question : "");
		tact_format_csv_row_count(&row, node->leaf != 0);
		tact_format_csv_row_text(&row, !node->leaf ? ""
		                               : node->personalize ? "personalize"
		                                                   : "hold back");
		tact_format_csv_row_number(&row, d->units ? (double)(node->treated +
		                                                     node->control) /
		                                                (double)d->units
		                                          : 0);
		tact_format_csv_row_end(&row);
		free(condition);
		free(question);
	}
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the policy tree");
	return TACT_OK;
}

tact_status tact_target_write_rules(const tact_target_data *d,
                                    const tact_target_options *o,
                                    const tact_target_tree *tree, FILE *out,
                                    tact_error *error)
{
	size_t at, f, leaves = 0, personalizing = 0;
	tact_status status = TACT_OK;

	fprintf(out, "# tact-target policy: personalize with '%s' or hold back "
	             "(control '%s')\n# learned from %s: %zu units; features ",
	        d->treatment, d->control, d->file, d->units);
	for (f = 0; f < d->feature_count; f++)
		fprintf(out, "%s%s", f ? ", " : "", d->features[f].name);
	fprintf(out, "\n# weights ");
	for (f = 0; f < o->metric_count; f++) {
		char number[32];
		fprintf(out, "%s%s=%s", f ? "," : "", o->metrics[f],
		        tact_format_number(number, o->weights[f]));
	}
	fprintf(out, "; depth %zu, %zu bins, min-cell %lld, %zu folds, seed "
	             "%llu\n", o->depth, o->bins, (long long)o->min_cell,
	        o->folds, (unsigned long long)o->seed);
	fprintf(out, "# apply: tact-intent apply --rules FILE --label policy "
	             "EXPORT\n");
	for (at = 0; at < TACT_TARGET_NODES; at++)
		if (tree->nodes[at].used && tree->nodes[at].leaf) {
			leaves++;
			personalizing += tree->nodes[at].personalize != 0;
		}
	for (at = 0; status == TACT_OK && at < TACT_TARGET_NODES; at++) {
		const tact_target_node *node = &tree->nodes[at];
		if (!node->used || !node->leaf || !node->personalize ||
		    personalizing == leaves)
			continue;
		fputs("personalize: ", out);
		status = put_path(out, d, tree, at, error);
		putc('\n', out);
	}
	if (status != TACT_OK)
		return status;
	fprintf(out, "default: %s\n",
	        personalizing == leaves ? "personalize" : "hold back");
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the policy");
	return TACT_OK;
}

static void put_estimate(tact_format_csv_row *row, tact_target_estimate e)
{
	tact_format_csv_row_number(row, e.value);
	tact_format_csv_row_number(row, e.low);
	tact_format_csv_row_number(row, e.high);
}

static tact_target_estimate negated(tact_target_estimate e)
{
	tact_target_estimate n = {-e.value, -e.high, -e.low, e.se};

	return n;
}

tact_status tact_target_write_evaluation(const tact_target_data *d,
                                         const tact_target_options *o,
                                         const tact_target_evaluation *e,
                                         FILE *out, tact_error *error)
{
	static const char *const header[] = {
		"policy", "share_personalized", "value_per_1000", "low", "high",
		"vs_everyone_per_1000", "vs_everyone_low", "vs_everyone_high"};
	tact_target_estimate zero = {0, 0, 0, 0};
	tact_format_csv_row row;

	(void)o;
	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_texts(&row, header, 8);
	tact_format_csv_row_end(&row);
	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_text(&row, "learned (out of fold)");
	tact_format_csv_row_number(&row, e->share);
	put_estimate(&row, e->learned);
	put_estimate(&row, e->learned_vs_all);
	tact_format_csv_row_end(&row);
	if (d->segment_count) {
		tact_format_csv_row_begin(&row, out);
		tact_format_csv_row_text(&row, "segments that gain (out of fold)");
		tact_format_csv_row_number(&row, e->segments_share);
		put_estimate(&row, e->segments);
		put_estimate(&row, e->segments_vs_all);
		tact_format_csv_row_end(&row);
	}
	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_text(&row, "everyone");
	tact_format_csv_row_number(&row, 1);
	put_estimate(&row, e->everyone);
	put_estimate(&row, zero);
	tact_format_csv_row_end(&row);
	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_text(&row, "no one");
	tact_format_csv_row_number(&row, 0);
	put_estimate(&row, zero);
	put_estimate(&row, negated(e->everyone));
	tact_format_csv_row_end(&row);
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the evaluation");
	return TACT_OK;
}

tact_status tact_target_write_scores(const tact_target_data *d,
                                     const unsigned char *decision, FILE *out,
                                     tact_error *error)
{
	tact_format_csv_row row;
	size_t i;

	fprintf(out, "unit,fold,treated,value,g0,g1,score%s\n",
	        decision ? ",decision" : "");
	for (i = 0; i < d->units; i++) {
		tact_format_csv_row_begin(&row, out);
		tact_format_csv_row_count(&row, (int64_t)i + 1);
		tact_format_csv_row_count(&row, (int64_t)d->fold[i]);
		tact_format_csv_row_count(&row, d->treated[i]);
		tact_format_csv_row_number(&row, d->value[i]);
		tact_format_csv_row_number(&row, d->g0[i]);
		tact_format_csv_row_number(&row, d->g1[i]);
		tact_format_csv_row_number(&row, d->score[i]);
		if (decision)
			tact_format_csv_row_count(&row, decision[i]);
		tact_format_csv_row_end(&row);
	}
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the scores");
	return TACT_OK;
}
