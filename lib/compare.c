/*
 * compare.c - arms against the control per segment and metric (see
 * compare.h).  The statistics themselves live in proportions, means,
 * bayes, chisquare and corrections; this module gathers the groups of a
 * summary into segments, calls them, and decides the verdicts.
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bayes.h"
#include "chisquare.h"
#include "means.h"
#include "parse.h"
#include "proportions.h"

const char *tact_compare_test_name(tact_compare_test test)
{
	switch (test) {
	case TACT_TEST_Z: return "z";
	case TACT_TEST_FISHER: return "fisher";
	case TACT_TEST_WELCH: return "welch";
	case TACT_TEST_NONE: break;
	}
	return "";
}

const char *tact_compare_verdict_name(tact_compare_verdict verdict)
{
	switch (verdict) {
	case TACT_VERDICT_BETTER: return "better";
	case TACT_VERDICT_WORSE: return "worse";
	case TACT_VERDICT_INCONCLUSIVE: return "inconclusive";
	case TACT_VERDICT_SUPPRESSED: return "suppressed";
	}
	return "";
}

void tact_compare_options_init(tact_compare_options *options)
{
	memset(options, 0, sizeof *options);
	options->confidence = 0.95;
	options->correction = TACT_CORRECTION_HOLM;
	options->min_cell = 10;
}

void tact_compare_options_release(tact_compare_options *options)
{
	size_t i;

	if (options->split_arms)
		for (i = 0; i < options->split_count; i++)
			free(options->split_arms[i]);
	free(options->split_arms);
	free(options->split);
	for (i = 0; i < options->margin_count; i++)
		free(options->margins[i].metric);
	free(options->margins);
	tact_compare_options_init(options);
}

static tact_status no_memory(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
}

tact_status tact_compare_parse_split(tact_compare_options *options,
                                     const char *text, tact_error *error)
{
	char *copy = strdup(text), *cursor, *item;
	size_t named = 0, count = 0;

	if (!copy)
		return no_memory(error);
	free(options->split);
	options->split = NULL;
	options->split_count = 0;
	for (item = strtok_r(copy, ",", &cursor); item;
	     item = strtok_r(NULL, ",", &cursor)) {
		char *equals = strrchr(item, '=');
		const char *number = equals ? equals + 1 : item;
		double weight;
		double *grown = realloc(options->split, (count + 1) * sizeof *grown);
		char **names;

		if (!grown)
			goto memory;
		options->split = grown;
		if (tact_parse_number(number, strlen(number), 0, &weight) != 0 ||
		    !(weight > 0)) {
			free(copy);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--split weights must be positive numbers, "
			                      "got '%s'", number);
		}
		options->split[count] = weight;
		if (equals) {
			names = realloc(options->split_arms, (count + 1) * sizeof *names);
			if (!names)
				goto memory;
			options->split_arms = names;
			*equals = '\0';
			if (!(names[count] = strdup(item)))
				goto memory;
			named++;
		}
		options->split_count = ++count;
	}
	free(copy);
	if (named && named != count)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--split: name every arm (ARM=WEIGHT) or none");
	if (count < 2)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--split needs a weight per arm, at least two");
	return TACT_OK;
memory:
	free(copy);
	return no_memory(error);
}

tact_status tact_compare_parse_margin(tact_compare_options *options,
                                      const char *text, tact_error *error)
{
	const char *equals = strrchr(text, '=');
	tact_compare_margin *grown;
	double margin;

	if (!equals || equals == text ||
	    tact_parse_number(equals + 1, strlen(equals + 1), 0, &margin) != 0 ||
	    !(margin > -1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--margin expects METRIC=RELATIVE (0.1 for "
		                      "+10%%), got '%s'", text);
	grown = realloc(options->margins,
	                (options->margin_count + 1) * sizeof *grown);
	if (!grown)
		return no_memory(error);
	options->margins = grown;
	grown[options->margin_count].metric = strndup(text, (size_t)(equals - text));
	if (!grown[options->margin_count].metric)
		return no_memory(error);
	grown[options->margin_count].margin = margin;
	options->margin_count++;
	return TACT_OK;
}

void tact_compare_result_release(tact_compare_result *result)
{
	size_t i, d;

	for (i = 0; i < result->segment_count; i++) {
		tact_compare_segment *s = &result->segments[i];
		if (s->labels && result->summary)
			for (d = 0; d < result->summary->dimensions; d++)
				free(s->labels[d]);
		free(s->labels);
		free(s->units);
		free(s->independence_statistic);
		free(s->independence_df);
		free(s->independence_p_value);
	}
	free(result->segments);
	for (i = 0; i < result->arm_count; i++)
		free(result->arms[i]);
	free(result->arms);
	free(result->split);
	free(result->rows);
	memset(result, 0, sizeof *result);
}

/* ---- arms and segments --------------------------------------------- */

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static tact_status collect_arms(const tact_summary *summary,
                                tact_compare_result *result,
                                tact_error *error)
{
	size_t g, a, count = 0;
	char **arms = calloc(summary->group_count + 1, sizeof *arms);
	int has_control = 0;

	if (!arms)
		return no_memory(error);
	for (g = 0; g < summary->group_count; g++) {
		const char *arm = summary->groups[g].arm;
		for (a = 0; a < count; a++)
			if (strcmp(arms[a], arm) == 0)
				break;
		if (a < count)
			continue;
		if (!(arms[count++] = strdup(arm)))
			goto memory;
		if (summary->control && strcmp(arm, summary->control) == 0)
			has_control = 1;
	}
	result->arms = arms;
	result->arm_count = count;
	if (!summary->control || !has_control) {
		char list[512];
		size_t used = 0;
		list[0] = '\0';
		for (a = 0; a < count && used + 8 < sizeof list; a++) {
			int n = snprintf(list + used, sizeof list - used, "%s'%s'",
			                 a ? ", " : "", arms[a]);
			if (n > 0)
				used += (size_t)n;
		}
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "no control arm '%s' in the data: name it with "
		                      "--control; the arms are: %s",
		                      summary->control ? summary->control : "control",
		                      list);
	}
	if (count < 2)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "only one arm ('%s'): there is nothing to compare",
		                      arms[0]);
	/* The control first, then the others in byte order. */
	qsort(arms, count, sizeof *arms, compare_strings);
	for (a = 0; a < count; a++)
		if (strcmp(arms[a], summary->control) == 0)
			break;
	{
		char *control = arms[a];
		memmove(arms + 1, arms, a * sizeof *arms);
		arms[0] = control;
	}
	return TACT_OK;
memory:
	for (a = 0; a < count; a++)
		free(arms[a]);
	free(arms);
	return no_memory(error);
}

static size_t arm_index(const tact_compare_result *result, const char *arm)
{
	size_t a;

	for (a = 0; a < result->arm_count; a++)
		if (strcmp(result->arms[a], arm) == 0)
			return a;
	return 0; /* cannot happen: every arm was collected */
}

static int same_labels(const tact_summary *summary,
                       const tact_summary_group *a,
                       const tact_summary_group *b)
{
	size_t d;

	for (d = 0; d < summary->dimensions; d++)
		if (strcmp(a->labels[d], b->labels[d]) != 0)
			return 0;
	return 1;
}

/* Per segment x arm: units and moments of each metric. */
typedef struct cell {
	int64_t units;
	tact_moments *metrics;
} cell;

static tact_status add_segment(tact_compare_result *result,
                               const tact_summary *summary,
                               const tact_summary_group *group,
                               tact_error *error)
{
	tact_compare_segment *s = &result->segments[result->segment_count];
	size_t d, m = summary->metric_count;

	memset(s, 0, sizeof *s);
	result->segment_count++;
	s->labels = calloc(summary->dimensions + 1, sizeof *s->labels);
	s->units = calloc(result->arm_count, sizeof *s->units);
	s->independence_statistic = malloc((m + 1) * sizeof(double));
	s->independence_df = malloc((m + 1) * sizeof(double));
	s->independence_p_value = malloc((m + 1) * sizeof(double));
	if (!s->labels || !s->units || !s->independence_statistic ||
	    !s->independence_df || !s->independence_p_value)
		return no_memory(error);
	s->pooled = group == NULL;
	s->arm_count = result->arm_count;
	for (d = 0; d < summary->dimensions; d++)
		if (!(s->labels[d] = strdup(group ? group->labels[d] : "(all)")))
			return no_memory(error);
	for (d = 0; d < m; d++)
		s->independence_statistic[d] = s->independence_df[d] =
			s->independence_p_value[d] = NAN;
	return TACT_OK;
}

/* ---- one row ------------------------------------------------------- */

static tact_status rate_row(const tact_compare_options *options,
                            tact_compare_row *row, const tact_moments *arm,
                            const tact_moments *control, tact_error *error)
{
	tact_proportions_sample a = {arm->sum, (double)arm->n};
	tact_proportions_sample c = {control->sum, (double)control->n};
	const double confidence = options->confidence;
	tact_status status;

	row->mean_arm = a.successes / a.trials;
	row->mean_control = c.successes / c.trials;
	if ((status = tact_proportions_wilson(a, confidence, &row->arm_low,
	                                      &row->arm_high, error)) ||
	    (status = tact_proportions_wilson(c, confidence, &row->control_low,
	                                      &row->control_high, error)) ||
	    (status = tact_proportions_newcombe(a, c, confidence, &row->diff,
	                                        &row->diff_low, &row->diff_high,
	                                        error)) ||
	    (status = tact_proportions_lift(a, c, confidence, &row->lift,
	                                    &row->lift_low, &row->lift_high,
	                                    error)))
		return status;
	if (tact_proportions_use_fisher(a, c)) {
		row->test = TACT_TEST_FISHER;
		row->statistic = NAN;
		status = tact_proportions_fisher(a, c, &row->p_value, error);
	} else {
		row->test = TACT_TEST_Z;
		status = tact_proportions_z_test(a, c, &row->statistic, &row->p_value,
		                                 error);
	}
	if (status != TACT_OK)
		return status;
	if (!isnan(row->margin)) {
		double ignored;
		status = tact_proportions_noninferiority(a, c, row->margin, &ignored,
		                                         &row->noninferiority_p_value,
		                                         error);
		if (status != TACT_OK)
			return status;
	}
	return tact_bayes_rates(a, c,
	                        row->up ? TACT_BAYES_HIGHER_IS_BETTER
	                                : TACT_BAYES_LOWER_IS_BETTER,
	                        &row->chance_to_beat, &row->expected_loss, error);
}

static tact_means_sample means_sample(const tact_moments *m)
{
	tact_means_sample s;

	s.count = (double)m->n;
	s.mean = tact_moments_mean(*m);
	s.variance = tact_moments_variance(*m);
	return s;
}

static tact_status mean_row(const tact_compare_options *options,
                            tact_compare_row *row, const tact_moments *arm,
                            const tact_moments *control, tact_error *error)
{
	tact_means_sample a = means_sample(arm), c = means_sample(control);
	tact_means_welch_result welch;
	tact_status status;

	row->mean_arm = a.mean;
	row->mean_control = c.mean;
	row->test = TACT_TEST_WELCH;
	/* A variance needs two values: below that, means but no test. */
	if (arm->n < 2 || control->n < 2) {
		row->test = TACT_TEST_NONE;
		row->diff = a.mean - c.mean;
		return TACT_OK;
	}
	if ((status = tact_means_t_interval(a, options->confidence, &row->arm_low,
	                                    &row->arm_high, error)) ||
	    (status = tact_means_t_interval(c, options->confidence,
	                                    &row->control_low, &row->control_high,
	                                    error)) ||
	    (status = tact_means_welch(a, c, options->confidence, &welch, error)) ||
	    (status = tact_means_lift(a, c, options->confidence, &row->lift,
	                              &row->lift_low, &row->lift_high, error)))
		return status;
	row->diff = welch.difference;
	row->diff_low = welch.lower;
	row->diff_high = welch.upper;
	row->statistic = welch.statistic;
	row->p_value = welch.p_value;
	if (isnan(row->p_value))
		row->test = TACT_TEST_NONE;
	return tact_bayes_means(a, c,
	                        row->up ? TACT_BAYES_HIGHER_IS_BETTER
	                                : TACT_BAYES_LOWER_IS_BETTER,
	                        &row->chance_to_beat, &row->expected_loss, error);
}

static void blank_row(tact_compare_row *row)
{
	row->n_control = row->n_arm = -1;
	row->mean_control = row->control_low = row->control_high = NAN;
	row->mean_arm = row->arm_low = row->arm_high = NAN;
	row->diff = row->diff_low = row->diff_high = NAN;
	row->lift = row->lift_low = row->lift_high = NAN;
	row->statistic = row->p_value = row->p_adjusted = NAN;
	row->chance_to_beat = row->expected_loss = NAN;
	row->noninferiority_p_value = NAN;
	row->test = TACT_TEST_NONE;
}

/* ---- the whole comparison ------------------------------------------ */

static tact_status plan_split(const tact_compare_options *options,
                              tact_compare_result *result, tact_error *error)
{
	size_t a, k;

	result->split = calloc(result->arm_count, sizeof *result->split);
	if (!result->split)
		return no_memory(error);
	if (options->split_count == 0) {
		for (a = 0; a < result->arm_count; a++)
			result->split[a] = 1.0;
		return TACT_OK;
	}
	if (options->split_count != result->arm_count)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--split gives %zu weights for %zu arms",
		                      options->split_count, result->arm_count);
	if (!options->split_arms) {
		memcpy(result->split, options->split,
		       result->arm_count * sizeof *result->split);
		return TACT_OK;
	}
	for (k = 0; k < options->split_count; k++) {
		for (a = 0; a < result->arm_count; a++)
			if (strcmp(result->arms[a], options->split_arms[k]) == 0)
				break;
		if (a == result->arm_count)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--split names arm '%s', which is not in "
			                      "the data", options->split_arms[k]);
		result->split[a] = options->split[k];
	}
	for (a = 0; a < result->arm_count; a++)
		if (result->split[a] == 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--split gives no weight to arm '%s'",
			                      result->arms[a]);
	return TACT_OK;
}

static double margin_of(const tact_compare_options *options, const char *metric)
{
	size_t i;

	for (i = 0; i < options->margin_count; i++)
		if (strcmp(options->margins[i].metric, metric) == 0)
			return options->margins[i].margin;
	return NAN;
}

static tact_status check_margins(const tact_summary *summary,
                                 const tact_compare_options *options,
                                 tact_error *error)
{
	size_t i, m;

	for (i = 0; i < options->margin_count; i++) {
		m = tact_summary_metric_index(summary, options->margins[i].metric);
		if (m == TACT_NO_COLUMN ||
		    summary->metrics[m].role != TACT_ROLE_ANNOYANCE ||
		    !summary->metrics[m].binary)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--margin %s: margins apply to 0/1 "
			                      "annoyance metrics, and '%s' is not one",
			                      options->margins[i].metric,
			                      options->margins[i].metric);
	}
	return TACT_OK;
}

static int compared_metric(const tact_summary *summary, size_t m)
{
	return summary->metrics[m].role != TACT_ROLE_EXPOSURES;
}

tact_status tact_compare_run(const tact_summary *summary,
                             const tact_compare_options *options,
                             tact_compare_result *result, tact_error *error)
{
	const size_t m_count = summary->metric_count;
	size_t g, a, m, s, r, cells_per_segment, segment_capacity;
	cell *cells = NULL;
	tact_moments *moments = NULL;
	double *p_values = NULL, *adjusted = NULL, *observed = NULL, *table = NULL;
	tact_status status;

	memset(result, 0, sizeof *result);
	result->summary = summary;
	result->confidence = options->confidence;
	result->correction = options->correction;
	result->min_cell = options->min_cell;
	if (!(options->confidence > 0 && options->confidence < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--confidence must lie between 0 and 1");
	if ((status = check_margins(summary, options, error)) ||
	    (status = collect_arms(summary, result, error)) ||
	    (status = plan_split(options, result, error)))
		return status;

	/* Segments: the pooled one, then each run of equal labels (groups are
	 * sorted by labels). */
	segment_capacity = summary->group_count + 1;
	result->segments = calloc(segment_capacity, sizeof *result->segments);
	cells_per_segment = result->arm_count;
	cells = calloc(segment_capacity * cells_per_segment, sizeof *cells);
	moments = calloc(segment_capacity * cells_per_segment * (m_count + 1),
	                 sizeof *moments);
	if (!result->segments || !cells || !moments) {
		status = no_memory(error);
		goto done;
	}
	for (s = 0; s < segment_capacity * cells_per_segment; s++)
		cells[s].metrics = moments + s * (m_count + 1);
	if ((status = add_segment(result, summary, NULL, error)))
		goto done;
	for (g = 0; g < summary->group_count; g++) {
		const tact_summary_group *group = &summary->groups[g];
		if (summary->dimensions > 0 &&
		    (g == 0 || !same_labels(summary, group, &summary->groups[g - 1])) &&
		    (status = add_segment(result, summary, group, error)))
			goto done;
		a = arm_index(result, group->arm);
		/* The pooled segment (0) and the group's own (the last added;
		 * without dimensions the pooled one is the only one). */
		for (s = 0; s < (summary->dimensions > 0 ? 2u : 1u); s++) {
			cell *c = &cells[(s == 0 ? 0 : result->segment_count - 1) *
			                 cells_per_segment + a];
			c->units += group->units;
			for (m = 0; m < m_count; m++)
				c->metrics[m] = tact_moments_combine(c->metrics[m],
				                                     group->metrics[m]);
		}
	}

	/* Sample-ratio check and, with 3+ arms, independence per segment. */
	observed = calloc(result->arm_count, sizeof *observed);
	table = calloc(2 * result->arm_count, sizeof *table);
	if (!observed || !table) {
		status = no_memory(error);
		goto done;
	}
	for (s = 0; s < result->segment_count; s++) {
		tact_compare_segment *seg = &result->segments[s];
		for (a = 0; a < result->arm_count; a++) {
			seg->units[a] = cells[s * cells_per_segment + a].units;
			observed[a] = (double)seg->units[a];
		}
		if ((status = tact_chisquare_goodness_of_fit(
			     observed, result->split, result->arm_count,
			     &seg->srm_statistic, &seg->srm_df, &seg->srm_p_value, error)))
			goto done;
		seg->srm_flag = seg->srm_p_value < TACT_COMPARE_SRM_THRESHOLD;
		if (result->arm_count < 3)
			continue;
		for (m = 0; m < m_count; m++) {
			if (!summary->metrics[m].binary || !compared_metric(summary, m))
				continue;
			for (a = 0; a < result->arm_count; a++) {
				const tact_moments *mo =
					&cells[s * cells_per_segment + a].metrics[m];
				table[2 * a] = mo->sum;
				table[2 * a + 1] = (double)mo->n - mo->sum;
			}
			if ((status = tact_chisquare_independence(
				     table, result->arm_count, 2,
				     &seg->independence_statistic[m],
				     &seg->independence_df[m],
				     &seg->independence_p_value[m], error)))
				goto done;
		}
	}

	/* Rows. */
	result->rows = calloc(result->segment_count * m_count * result->arm_count + 1,
	                      sizeof *result->rows);
	if (!result->rows) {
		status = no_memory(error);
		goto done;
	}
	for (s = 0; s < result->segment_count; s++) {
		for (m = 0; m < m_count; m++) {
			if (!compared_metric(summary, m))
				continue;
			for (a = 1; a < result->arm_count; a++) {
				tact_compare_row *row = &result->rows[result->row_count++];
				const tact_moments *arm = &cells[s * cells_per_segment + a].metrics[m];
				const tact_moments *control = &cells[s * cells_per_segment].metrics[m];

				blank_row(row);
				row->segment = s;
				row->metric = m;
				row->arm = a;
				row->up = summary->metrics[m].role != TACT_ROLE_ANNOYANCE;
				row->rate = summary->metrics[m].binary;
				row->srm_p_value = result->segments[s].srm_p_value;
				row->margin = row->rate ? margin_of(options, summary->metrics[m].name)
				                        : NAN;
				if (arm->n < options->min_cell || control->n < options->min_cell ||
				    arm->n == 0 || control->n == 0) {
					row->verdict = TACT_VERDICT_SUPPRESSED;
					result->suppressed++;
					continue;
				}
				row->n_arm = arm->n;
				row->n_control = control->n;
				status = row->rate ? rate_row(options, row, arm, control, error)
				                   : mean_row(options, row, arm, control, error);
				if (status != TACT_OK) {
					char context[TACT_ERROR_MESSAGE_MAX];
					snprintf(context, sizeof context, "%s", error->message);
					tact_error_set(error, status, NULL, 0, 0,
					               "comparing '%s' for arm '%s': %.600s",
					               summary->metrics[m].name,
					               result->arms[a], context);
					goto done;
				}
			}
		}
	}

	/* One family: every tested row of the output. */
	p_values = malloc((result->row_count + 1) * sizeof *p_values);
	adjusted = malloc((result->row_count + 1) * sizeof *adjusted);
	if (!p_values || !adjusted) {
		status = no_memory(error);
		goto done;
	}
	for (r = 0; r < result->row_count; r++)
		p_values[r] = result->rows[r].p_value;
	if ((status = tact_corrections_adjust(options->correction, p_values,
	                                      result->row_count, adjusted, error)))
		goto done;
	for (r = 0; r < result->row_count; r++) {
		tact_compare_row *row = &result->rows[r];
		if (row->verdict == TACT_VERDICT_SUPPRESSED)
			continue;
		row->p_adjusted = adjusted[r];
		if (row->p_adjusted < 1 - options->confidence && !isnan(row->diff) &&
		    row->diff != 0)
			row->verdict = (row->diff > 0) == (row->up != 0)
			                       ? TACT_VERDICT_BETTER
			                       : TACT_VERDICT_WORSE;
		else
			row->verdict = TACT_VERDICT_INCONCLUSIVE;
	}
	status = TACT_OK;
done:
	free(cells);
	free(moments);
	free(p_values);
	free(adjusted);
	free(observed);
	free(table);
	if (status != TACT_OK)
		tact_compare_result_release(result);
	return status;
}
