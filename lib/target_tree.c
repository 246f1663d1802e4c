/*
 * target_tree.c - tact-target's policy tree: the exhaustive search of a
 * shallow tree on the doubly robust scores, its decisions, and the
 * cross-fitted evaluation (see target.h).
 */
#include "target.h"
#include "numeric.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The search's fixed inputs. */
typedef struct search {
	const tact_target_data *d;
	int64_t min_cell;
	size_t max_codes;          /* the largest number of bins or labels */
} search;

/* A subtree in local heap order, root at 0. */
typedef struct subtree {
	tact_target_node nodes[TACT_TARGET_NODES];
	double value;              /* sum over leaves of max(0, sum of D) */
} subtree;

static void make_leaf(tact_target_node *node, double sum, int64_t treated,
                      int64_t control)
{
	memset(node, 0, sizeof *node);
	node->used = node->leaf = 1;
	node->sum = sum;
	node->treated = treated;
	node->control = control;
	node->personalize = sum > 0;
}

/* Copy src's subtree at s into dst's at t (heap order), depth levels. */
static void graft(tact_target_node *dst, size_t t, const tact_target_node *src,
                  size_t s, size_t levels)
{
	if (t >= TACT_TARGET_NODES || s >= TACT_TARGET_NODES)
		return;
	dst[t] = src[s];
	if (!src[s].used || src[s].leaf || !levels)
		return;
	graft(dst, 2 * t + 1, src, 2 * s + 1, levels - 1);
	graft(dst, 2 * t + 2, src, 2 * s + 2, levels - 1);
}

/* 1 when a unit of code c goes left at split j. */
static int goes_left(int categorical, size_t c, size_t j)
{
	return categorical ? c == j : c < j;
}

/* The splits a feature offers: numbers 1..thresholds, labels 0..levels-1
 * (a label feature of two labels needs only the first). */
static size_t split_count(const tact_target_feature *feature, size_t *first)
{
	*first = feature->categorical ? 0 : 1;
	if (feature->categorical)
		return feature->level_count == 2 ? 1 : feature->level_count;
	return feature->threshold_count;
}

static double best(const search *s, const size_t *rows, size_t n,
                   size_t depth, subtree *out);

/* Depth one below: per feature, the sums by code, then each split. */
static void best_stump(const search *s, const size_t *rows, size_t n,
                       subtree *out, double *sums, int64_t *counts)
{
	const tact_target_data *d = s->d;
	size_t F = d->feature_count, f, i, c, j, first, splits;

	for (f = 0; f < F; f++) {
		const tact_target_feature *feature = &d->features[f];
		size_t codes = feature->categorical ? feature->level_count
		                                    : feature->threshold_count + 1;
		double total = 0;
		int64_t all[2] = {0, 0};

		memset(sums, 0, codes * sizeof *sums);
		memset(counts, 0, 2 * codes * sizeof *counts);
		for (i = 0; i < n; i++) {
			size_t u = rows[i], code = d->codes[u * F + f];
			sums[code] += d->score[u];
			counts[2 * code + d->treated[u]]++;
		}
		for (c = 0; c < codes; c++) {
			total += sums[c];
			all[0] += counts[2 * c];
			all[1] += counts[2 * c + 1];
		}
		splits = split_count(feature, &first);
		for (j = first; j < first + splits; j++) {
			double left = 0, value;
			int64_t l[2] = {0, 0};
			for (c = 0; c < codes; c++)
				if (goes_left(feature->categorical, c, j)) {
					left += sums[c];
					l[0] += counts[2 * c];
					l[1] += counts[2 * c + 1];
				}
			if (l[0] < s->min_cell || l[1] < s->min_cell ||
			    all[0] - l[0] < s->min_cell || all[1] - l[1] < s->min_cell)
				continue;
			value = fmax(0, left) + fmax(0, total - left);
			if (value > out->value + 1e-9 * (fabs(out->value) + 1)) {
				out->value = value;
				memset(&out->nodes[0], 0, sizeof out->nodes[0]);
				out->nodes[0].used = 1;
				out->nodes[0].feature = f;
				out->nodes[0].split = j;
				out->nodes[0].sum = total;
				out->nodes[0].treated = all[1];
				out->nodes[0].control = all[0];
				make_leaf(&out->nodes[1], left, l[1], l[0]);
				make_leaf(&out->nodes[2], total - left, all[1] - l[1],
				          all[0] - l[0]);
			}
		}
	}
}

/* Deeper: each split's two sides searched one level less. */
static tact_status best_split(const search *s, const size_t *rows, size_t n,
                              size_t depth, subtree *out)
{
	const tact_target_data *d = s->d;
	size_t F = d->feature_count, f, i, j, first, splits;
	size_t *left = malloc((n ? n : 1) * sizeof *left);
	size_t *right = malloc((n ? n : 1) * sizeof *right);
	subtree *sides = malloc(2 * sizeof *sides);

	if (!left || !right || !sides) {
		free(left);
		free(right);
		free(sides);
		return TACT_SOFTWARE;
	}
	for (f = 0; f < F; f++) {
		const tact_target_feature *feature = &d->features[f];
		splits = split_count(feature, &first);
		for (j = first; j < first + splits; j++) {
			size_t nl = 0, nr = 0;
			int64_t cl[2] = {0, 0}, cr[2] = {0, 0};
			double value;
			for (i = 0; i < n; i++) {
				size_t u = rows[i];
				if (goes_left(feature->categorical, d->codes[u * F + f], j)) {
					left[nl++] = u;
					cl[d->treated[u]]++;
				} else {
					right[nr++] = u;
					cr[d->treated[u]]++;
				}
			}
			if (cl[0] < s->min_cell || cl[1] < s->min_cell ||
			    cr[0] < s->min_cell || cr[1] < s->min_cell)
				continue;
			value = best(s, left, nl, depth - 1, &sides[0]);
			if (isnan(value))
				goto fail;
			value += best(s, right, nr, depth - 1, &sides[1]);
			if (isnan(value))
				goto fail;
			if (value > out->value + 1e-9 * (fabs(out->value) + 1)) {
				out->value = value;
				memset(out->nodes, 0, sizeof out->nodes);
				out->nodes[0].used = 1;
				out->nodes[0].feature = f;
				out->nodes[0].split = j;
				out->nodes[0].sum = sides[0].nodes[0].sum + sides[1].nodes[0].sum;
				out->nodes[0].treated = cl[1] + cr[1];
				out->nodes[0].control = cl[0] + cr[0];
				graft(out->nodes, 1, sides[0].nodes, 0, depth - 1);
				graft(out->nodes, 2, sides[1].nodes, 0, depth - 1);
			}
		}
	}
	free(left);
	free(right);
	free(sides);
	return TACT_OK;
fail:
	free(left);
	free(right);
	free(sides);
	return TACT_SOFTWARE;
}

/* The best subtree of the units rows[0..n) within depth levels: a leaf
 * unless a split strictly improves.  NaN when memory runs out. */
static double best(const search *s, const size_t *rows, size_t n,
                   size_t depth, subtree *out)
{
	double sum = 0;
	int64_t arms[2] = {0, 0};
	size_t i;

	for (i = 0; i < n; i++) {
		sum += s->d->score[rows[i]];
		arms[s->d->treated[rows[i]]]++;
	}
	memset(out, 0, sizeof *out);
	make_leaf(&out->nodes[0], sum, arms[1], arms[0]);
	out->value = fmax(0, sum);
	if (!depth)
		return out->value;
	if (depth == 1) {
		double *sums = malloc(s->max_codes * sizeof *sums);
		int64_t *counts = malloc(2 * s->max_codes * sizeof *counts);
		if (sums && counts)
			best_stump(s, rows, n, out, sums, counts);
		free(sums);
		free(counts);
		return sums && counts ? out->value : NAN;
	}
	return best_split(s, rows, n, depth, out) == TACT_OK ? out->value : NAN;
}

/* Merge sibling leaves that decide alike, bottom up. */
static void prune(tact_target_node *nodes, size_t at)
{
	tact_target_node *l, *r;

	if (at >= TACT_TARGET_NODES || !nodes[at].used || nodes[at].leaf)
		return;
	prune(nodes, 2 * at + 1);
	prune(nodes, 2 * at + 2);
	l = &nodes[2 * at + 1];
	r = &nodes[2 * at + 2];
	if (l->leaf && r->leaf && l->personalize == r->personalize) {
		make_leaf(&nodes[at], nodes[at].sum, nodes[at].treated,
		          nodes[at].control);
		nodes[at].personalize = l->personalize;
		memset(l, 0, sizeof *l);
		memset(r, 0, sizeof *r);
	}
}

tact_status tact_target_learn(const tact_target_data *d,
                              const tact_target_options *o, size_t skip_fold,
                              tact_target_tree *tree, tact_error *error)
{
	search s;
	subtree *result = malloc(sizeof *result);
	size_t *rows = malloc((d->units ? d->units : 1) * sizeof *rows);
	size_t i, f, n = 0;
	double value;

	if (!result || !rows) {
		free(result);
		free(rows);
		return tact_error_oom(error);
	}
	s.d = d;
	s.min_cell = o->min_cell;
	s.max_codes = 2;
	for (f = 0; f < d->feature_count; f++) {
		size_t codes = d->features[f].categorical
		                       ? d->features[f].level_count
		                       : d->features[f].threshold_count + 1;
		if (codes > s.max_codes)
			s.max_codes = codes;
	}
	for (i = 0; i < d->units; i++)
		if (d->fold[i] != skip_fold)
			rows[n++] = i;
	value = best(&s, rows, n, o->depth, result);
	free(rows);
	if (isnan(value)) {
		free(result);
		return tact_error_oom(error);
	}
	memcpy(tree->nodes, result->nodes, sizeof tree->nodes);
	free(result);
	prune(tree->nodes, 0);
	return TACT_OK;
}

int tact_target_decide(const tact_target_data *d, const tact_target_tree *tree,
                       size_t unit)
{
	size_t at = 0;

	while (at < TACT_TARGET_NODES && tree->nodes[at].used &&
	       !tree->nodes[at].leaf) {
		const tact_target_node *node = &tree->nodes[at];
		size_t code = d->codes[unit * d->feature_count + node->feature];
		at = goes_left(d->features[node->feature].categorical, code,
		               node->split)
		             ? 2 * at + 1
		             : 2 * at + 2;
	}
	return at < TACT_TARGET_NODES && tree->nodes[at].personalize;
}

/* Mean and interval per 1,000 of the contributions c[0..n). */
static tact_target_estimate estimate(const double *c, size_t n, double z)
{
	tact_target_estimate e;
	double mean = 0, squares = 0;
	size_t i;

	for (i = 0; i < n; i++)
		mean += c[i];
	mean /= (double)n;
	for (i = 0; i < n; i++)
		squares += (c[i] - mean) * (c[i] - mean);
	e.value = 1000 * mean;
	e.se = n > 1 ? 1000 * sqrt(squares / (double)(n - 1) / (double)n) : NAN;
	e.low = e.value - z * e.se;
	e.high = e.value + z * e.se;
	return e;
}

/* The segments policy out of fold: for each fold, personalize the
 * segments whose scores add up above 0 on the other folds; c[i] gets
 * decision times D.  The share personalized is returned. */
static double segments_policy(const tact_target_data *d, size_t folds,
                              double *c, double *sums)
{
	size_t i, k, personalized = 0;

	for (k = 0; k < folds; k++) {
		memset(sums, 0, d->segment_count * sizeof *sums);
		for (i = 0; i < d->units; i++)
			if (d->fold[i] != k)
				sums[d->segment[i]] += d->score[i];
		for (i = 0; i < d->units; i++)
			if (d->fold[i] == k) {
				int on = sums[d->segment[i]] > 0;
				c[i] = on ? d->score[i] : 0;
				personalized += (size_t)on;
			}
	}
	return d->units ? (double)personalized / (double)d->units : 0;
}

tact_status tact_target_evaluate(const tact_target_data *d,
                                 const tact_target_options *o,
                                 tact_target_evaluation *e, tact_error *error)
{
	size_t n = d->units, i, k;
	double *c = calloc(n ? n : 1, sizeof *c), z, personalized = 0;
	tact_target_tree tree;
	tact_status status = TACT_OK;

	memset(e, 0, sizeof *e);
	e->decision = malloc(n ? n : 1);
	if (!c || !e->decision) {
		free(c);
		return tact_error_oom(error);
	}
	for (k = 0; status == TACT_OK && k < o->folds; k++) {
		status = tact_target_learn(d, o, k, &tree, error);
		for (i = 0; status == TACT_OK && i < n; i++)
			if (d->fold[i] == k)
				e->decision[i] = (unsigned char)tact_target_decide(d, &tree, i);
	}
	if (status != TACT_OK) {
		free(c);
		return status;
	}
	z = tact_numeric_z(o->confidence);
	for (i = 0; i < n; i++) {
		c[i] = e->decision[i] * d->score[i];
		personalized += e->decision[i];
	}
	e->learned = estimate(c, n, z);
	for (i = 0; i < n; i++)
		c[i] = (e->decision[i] - 1.0) * d->score[i];
	e->learned_vs_all = estimate(c, n, z);
	e->everyone = estimate(d->score, n, z);
	e->share = n ? personalized / (double)n : 0;
	if (d->segment_count) {
		double *sums = calloc(d->segment_count, sizeof *sums);
		if (!sums) {
			free(c);
			return tact_error_oom(error);
		}
		e->segments_share = segments_policy(d, o->folds, c, sums);
		free(sums);
		e->segments = estimate(c, n, z);
		for (i = 0; i < n; i++)
			c[i] -= d->score[i];
		e->segments_vs_all = estimate(c, n, z);
	}
	free(c);
	return TACT_OK;
}

void tact_target_evaluation_release(tact_target_evaluation *e)
{
	free(e->decision);
	memset(e, 0, sizeof *e);
}
