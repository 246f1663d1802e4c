/*
 * dose_privacy.c - what tact-dose hides, as lib/privacy.c decides it
 * (issue 16): dose's printed counts as one table, the decision asked, and
 * every hidden figure blanked.  Nothing here decides what to hide.
 *
 * The table: one cell per segment (a label of each --by dimension) and
 * exposure bin, the analysed arms pooled into one arm, holding its units
 * and each outcome's count of values; the exposure counts in no bin make
 * one more bin, never printed.  The bin is the table's last dimension.
 * Dose prints its cells (the bin rows), each segment over the bins (its
 * units, and its values in the fits), the pooled segment's bins (each bin
 * over the segments) and the pooled figures: the runs of the segment
 * dimensions, of the bin dimension and of none, each a margin of the
 * table.  tact_privacy_decide_runs decides them linked (strict mode), so
 * that no hidden count under min_cell follows from all of them together.
 * With more --by dimensions than it links, the segments are taken as one
 * dimension (the same figures, fewer runs).  Then the decision is taken
 * again with tact-compare's figures (below, joint_protect).
 */
#include "dose_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "privacy.h"

/* Where dose's figures sit in the table. */
typedef struct dose_layout {
	size_t first;        /* the first dose segment in the table */
	size_t count;        /* dose segments in the table */
	size_t columns;      /* bins, and the one of counts in no bin */
	size_t dimensions;   /* the table's, the bin last */
	int flat;            /* the segments as one dimension */
} dose_layout;

static int compare_texts(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Label indices (byte order) of dimension d of the dose segments into
 * table->labels; the number of labels, or 0 on memory. */
static size_t index_dimension(const tact_dose_result *r, const dose_layout *l,
                              size_t d, tact_privacy_table *table)
{
	char **sorted = malloc((l->count + 1) * sizeof *sorted);
	size_t i, c, labels = 0;

	if (!sorted)
		return 0;
	for (i = 0; i < l->count; i++)
		sorted[i] = r->segments[l->first + i].labels[d];
	qsort(sorted, l->count, sizeof *sorted, compare_texts);
	for (i = 0; i < l->count; i++)
		if (labels == 0 || strcmp(sorted[labels - 1], sorted[i]) != 0)
			sorted[labels++] = sorted[i];
	for (i = 0; i < l->count; i++) {
		char *key = r->segments[l->first + i].labels[d];
		char **at = bsearch(&key, sorted, labels, sizeof *sorted,
		                    compare_texts);
		for (c = 0; c < l->columns; c++)
			table->labels[(i * l->columns + c) * l->dimensions + d] =
				(size_t)(at - sorted);
	}
	free(sorted);
	return labels;
}

static tact_status build_table(const tact_dose_result *r, dose_layout *l,
                               tact_privacy_table *table, tact_error *error)
{
	const size_t K = r->outcome_count;
	const tact_dose_segment *pooled = &r->segments[0];
	size_t i, c, d, k, segment_dimensions;
	tact_status status;

	memset(l, 0, sizeof *l);
	l->first = r->dimensions > 0 ? 1 : 0;
	l->count = r->segment_count - l->first;
	l->columns = r->bin_count;
	for (c = 0; c < pooled->cell_count; c++)
		if (tact_dose_bin_of(r, pooled->cells[c].exposures) < 0) {
			l->columns++;
			break;
		}
	l->flat = r->dimensions + 1 > TACT_PRIVACY_STRICT_DIMENSIONS;
	segment_dimensions = l->flat ? 1 : r->dimensions;
	l->dimensions = segment_dimensions + 1;
	if ((status = tact_privacy_table_alloc(table, l->count * l->columns, 1, K,
	                                       l->dimensions, error)))
		return status;
	for (d = 0; d < segment_dimensions; d++) {
		if (l->flat) {
			for (i = 0; i < l->count; i++)
				for (c = 0; c < l->columns; c++)
					table->labels[(i * l->columns + c) * l->dimensions] = i;
			table->label_counts[0] = l->count;
		} else if (!(table->label_counts[d] = index_dimension(r, l, d, table)))
			return tact_error_oom(error);
	}
	table->label_counts[segment_dimensions] = l->columns;
	for (i = 0; i < l->count; i++) {
		const tact_dose_segment *seg = &r->segments[l->first + i];
		for (c = 0; c < l->columns; c++)
			table->labels[(i * l->columns + c) * l->dimensions +
			              segment_dimensions] = c;
		for (c = 0; c < seg->cell_count; c++) {
			const tact_dose_cell *cell = &seg->cells[c];
			long b = tact_dose_bin_of(r, cell->exposures);
			size_t at = i * l->columns +
			            (b < 0 ? l->columns - 1 : (size_t)b);
			table->units[at] += cell->units;
			for (k = 0; k < K; k++)
				table->values[at * K + k] +=
					cell->metrics[r->outcomes[k]].n;
		}
	}
	return TACT_OK;
}

/* Blank the figures of a bin row that the plan hides. */
static void blank_row(tact_dose_result *r, tact_dose_bin_row *row,
                      int units_hidden, int values_hidden)
{
	if (units_hidden) {
		row->units = -1;
		row->mean_exposures = NAN;
	}
	if (!values_hidden)
		return;
	row->suppressed = 1;
	row->n = -1;
	row->mean = row->low = row->high = row->fitted = NAN;
	r->suppressed++;
}

/* ---- with tact-compare's figures ------------------------------------
 *
 * tact-compare, tact-validate, tact-power, tact-frontier and tact-summarize
 * print, about the same export without the exposures, the cells of its
 * segments x arms table and their totals, as tact_privacy_decide decides
 * them (or, with --privacy strict, every run of fewer --by dimensions); dose
 * sums the analysed arms instead.  Both are sums over one joint table,
 * segments x exposure columns x arms, so its decision is taken again over
 * that table (tact_privacy_decide_lines): compare's figures, decided here
 * exactly as compare decides them (both modes, that the reader may run
 * either), are printed totals that dose may not hide, dose's the ones it
 * may, until no hidden count under min_cell of either follows.
 */

/* A group's exposure column: its bin, B for a count in no bin, B + 1 for
 * no count. */
static size_t joint_column(const tact_dose_result *r,
                           const tact_summary_group *group)
{
	const char *label = group->labels[r->summary->dimensions - 1];
	int64_t e;
	long b;

	if (label[0] == '\0' ||
	    tact_dose_parse_count(label, strlen(label), &e) != 0)
		return r->bin_count + 1;
	b = tact_dose_bin_of(r, e);
	return b < 0 ? r->bin_count : (size_t)b;
}

typedef struct joint_key {
	char **labels;
	size_t dimensions, group;
} joint_key;

static int compare_keys(const void *pa, const void *pb)
{
	const joint_key *a = pa, *b = pb;
	size_t d;
	int c;

	for (d = 0; d < a->dimensions; d++)
		if ((c = strcmp(a->labels[d], b->labels[d])) != 0)
			return c;
	return a->group < b->group ? -1 : a->group > b->group;
}

static int same_labels(char **a, char **b, size_t dimensions)
{
	size_t d;

	for (d = 0; d < dimensions; d++)
		if (strcmp(a[d], b[d]) != 0)
			return 0;
	return 1;
}

/* One printed total of the joint table, per quantity. */
typedef struct joint_line {
	size_t *cells, count;
	size_t *parts, part_count;
	int units_only;          /* tact-validate's label totals */
	int mode;                /* 1 + the --privacy of compare's runs that
	                            print it, or 0 for both */
	int hideable;            /* dose's (not its count of units overall) */
	unsigned char *hidden;   /* per quantity */
} joint_line;

typedef struct joint {
	const tact_dose_result *r;
	size_t D, segments, columns, arms, Q;
	joint_key *keys;         /* per group with units, sorted */
	size_t key_count;
	size_t *segment_of;      /* per key: its joint segment */
	char ***labels;          /* per joint segment */
	char **arm_names;        /* the control first, then byte order */
	unsigned char *analysed; /* per arm */
	unsigned char *empty;    /* per column: no unit at all (the bins
	                            cover every count, no count is missing):
	                            known to be empty, left out */
	int64_t *values;         /* per quantity, per cell */
	joint_line *lines;
	size_t line_count, line_capacity;
	int failed;
} joint;

static size_t joint_cell(const joint *j, size_t s, size_t c, size_t a)
{
	return (s * j->columns + c) * j->arms + a;
}

static joint_line *joint_add(joint *j, size_t capacity)
{
	joint_line *l;

	if (j->line_count == j->line_capacity) {
		size_t n = j->line_capacity ? 2 * j->line_capacity : 64;
		joint_line *lines = realloc(j->lines, n * sizeof *lines);
		if (!lines) {
			j->failed = 1;
			return NULL;
		}
		j->lines = lines;
		j->line_capacity = n;
	}
	l = &j->lines[j->line_count];
	memset(l, 0, sizeof *l);
	l->cells = malloc((capacity + 1) * sizeof *l->cells);
	l->hidden = calloc(j->Q, 1);
	if (!l->cells || !l->hidden) {
		free(l->cells);
		free(l->hidden);
		j->failed = 1;
		return NULL;
	}
	j->line_count++;
	return l;
}

/* A line over the joint segments in[s] (s < segments), the columns from
 * c0 to c1 (excluded), the arms analysed (only) or all. */
static joint_line *joint_sum(joint *j, const unsigned char *in, size_t c0,
                             size_t c1, int only_analysed, size_t arm)
{
	joint_line *l = joint_add(j, j->segments * j->columns * j->arms);
	size_t s, c, a;

	if (!l)
		return NULL;
	for (s = 0; s < j->segments; s++)
		for (c = c0; in[s] && c < c1; c++)
			for (a = 0; !j->empty[c] && a < j->arms; a++)
				if ((arm == (size_t)-1 || a == arm) &&
				    (!only_analysed || j->analysed[a]))
					l->cells[l->count++] = joint_cell(j, s, c, a);
	return l;
}

static int joint_arms(joint *j)
{
	const tact_summary *summary = j->r->summary;
	size_t g, a, k, control = (size_t)-1;

	j->arm_names = calloc(summary->group_count + 1, sizeof *j->arm_names);
	if (!j->arm_names)
		return -1;
	for (g = 0; g < summary->group_count; g++) {
		const char *arm = summary->groups[g].arm;
		for (a = 0; a < j->arms; a++)
			if (strcmp(j->arm_names[a], arm) == 0)
				break;
		if (a == j->arms)
			j->arm_names[j->arms++] = summary->groups[g].arm;
	}
	qsort(j->arm_names, j->arms, sizeof *j->arm_names, compare_texts);
	for (a = 0; a < j->arms && summary->control; a++)
		if (strcmp(j->arm_names[a], summary->control) == 0)
			control = a;
	if (control != (size_t)-1) {
		char *first = j->arm_names[control];
		memmove(j->arm_names + 1, j->arm_names, control * sizeof(char *));
		j->arm_names[0] = first;
	}
	j->analysed = calloc(j->arms + 1, 1);
	if (!j->analysed)
		return -1;
	for (a = 0; a < j->arms; a++)
		for (k = 0; k < j->r->arm_count; k++)
			if (strcmp(j->arm_names[a], j->r->arms[k]) == 0)
				j->analysed[a] = 1;
	/* tact-compare runs only with a control and another arm. */
	return control == (size_t)-1 || j->arms < 2 ? 1 : 0;
}

/* The joint segments and cells from the summary's groups. */
static int joint_cells(joint *j)
{
	const tact_summary *summary = j->r->summary;
	const tact_dose_result *r = j->r;
	size_t g, k, a, q;

	j->keys = calloc(summary->group_count + 1, sizeof *j->keys);
	j->segment_of = calloc(summary->group_count + 1, sizeof *j->segment_of);
	j->labels = calloc(summary->group_count + 1, sizeof *j->labels);
	if (!j->keys || !j->segment_of || !j->labels)
		return -1;
	for (g = 0; g < summary->group_count; g++)
		if (summary->groups[g].units > 0) {
			joint_key *key = &j->keys[j->key_count++];
			key->labels = summary->groups[g].labels;
			key->dimensions = j->D;
			key->group = g;
		}
	qsort(j->keys, j->key_count, sizeof *j->keys, compare_keys);
	for (k = 0; k < j->key_count; k++) {
		if (k == 0 || !same_labels(j->keys[k - 1].labels, j->keys[k].labels,
		                           j->D))
			j->labels[j->segments++] = j->keys[k].labels;
		j->segment_of[k] = j->segments - 1;
	}
	j->values = calloc(j->Q * j->segments * j->columns * j->arms + 1,
	                   sizeof *j->values);
	j->empty = malloc(j->columns + 1);
	if (!j->values || !j->empty)
		return -1;
	memset(j->empty, 1, j->columns);
	for (k = 0; k < j->key_count; k++) {
		const tact_summary_group *group = &summary->groups[j->keys[k].group];
		const size_t cells = j->segments * j->columns * j->arms;
		size_t cell;
		for (a = 0; a < j->arms; a++)
			if (strcmp(j->arm_names[a], group->arm) == 0)
				break;
		cell = joint_cell(j, j->segment_of[k], joint_column(r, group), a);
		j->empty[joint_column(r, group)] = 0;
		j->values[cell] += group->units;
		for (q = 1; q < j->Q; q++)
			j->values[q * cells + cell] +=
				group->metrics[r->outcomes[q - 1]].n;
	}
	return 0;
}

/* tact-compare's table: the joint one summed over the columns. */
static tact_status joint_table(const joint *j, tact_privacy_table *t,
                               tact_error *error)
{
	const size_t K = j->Q - 1, cells = j->segments * j->columns * j->arms;
	char **sorted = NULL;
	size_t s, c, a, q, d, n;
	tact_status status;

	if ((status = tact_privacy_table_alloc(t, j->segments, j->arms, K, j->D,
	                                       error)))
		return status;
	for (s = 0; s < j->segments; s++)
		for (c = 0; c < j->columns; c++)
			for (a = 0; a < j->arms; a++) {
				size_t cell = joint_cell(j, s, c, a);
				t->units[s * j->arms + a] += j->values[cell];
				for (q = 1; q < j->Q; q++)
					t->values[(s * j->arms + a) * K + q - 1] +=
						j->values[q * cells + cell];
			}
	if (j->D == 0)
		return TACT_OK;
	if (!(sorted = malloc((j->segments + 1) * sizeof *sorted)))
		return tact_error_oom(error);
	for (d = 0; d < j->D; d++) {
		for (s = 0; s < j->segments; s++)
			sorted[s] = j->labels[s][d];
		qsort(sorted, j->segments, sizeof *sorted, compare_texts);
		for (s = 0, n = 0; s < j->segments; s++)
			if (n == 0 || strcmp(sorted[n - 1], sorted[s]) != 0)
				sorted[n++] = sorted[s];
		t->label_counts[d] = n;
		for (s = 0; s < j->segments; s++) {
			char *key = j->labels[s][d];
			char **at = bsearch(&key, sorted, n, sizeof *sorted,
			                    compare_texts);
			t->labels[s * j->D + d] = (size_t)(at - sorted);
		}
	}
	free(sorted);
	return TACT_OK;
}

/* The figures printed under one of tact-compare's plans: per segment (or
 * group of segments of the run of mask, with runs) and arm, the pooled
 * ones per arm, and tact-validate's totals per label. */
static void compare_lines(joint *j, const tact_privacy_table *t,
                          const tact_privacy_plan *plan,
                          const tact_privacy_runs *runs, unsigned mask)
{
	unsigned char *in = calloc(j->segments + 1, 1);
	const size_t from = j->line_count;
	size_t s, g, a, q, d, k, label;

	if (!in) {
		j->failed = 1;
		return;
	}
	for (g = 0; g < t->segments + 1 && !j->failed; g++) {
		size_t first = (size_t)-1;
		/* runs: the group g of the run of mask; plan: segment g (0 the
		 * pooled figures). */
		for (s = 0; s < j->segments; s++) {
			in[s] = runs ? (mask == 0 ? g == 0
			                          : runs->groups[(size_t)mask * runs->segments + s] == g)
			             : (g == 0 || s == g - 1);
			if (in[s] && first == (size_t)-1)
				first = s;
		}
		if (first == (size_t)-1 || (runs && mask == 0 && g > 0) ||
		    (!runs && g > 0 && j->D == 0))
			continue;
		for (a = 0; a < j->arms; a++) {
			joint_line *l = joint_sum(j, in, 0, j->columns, 0, a);
			if (!l)
				break;
			for (q = 0; q < j->Q; q++) {
				size_t metric = q ? q - 1 : TACT_PRIVACY_UNITS;
				l->hidden[q] = (unsigned char)(runs
					? tact_privacy_run_hidden(runs, mask, first, a, metric)
					: tact_privacy_hidden(plan, g, a, metric));
			}
		}
	}
	/* tact-validate's label totals (units). */
	for (d = 0, k = 0; d < j->D && !j->failed; d++) {
		if (runs && !((mask >> d) & 1u))
			continue;
		for (label = 0; label < t->label_counts[d] && !j->failed; label++) {
			joint_line *l;
			for (s = 0; s < j->segments; s++)
				in[s] = t->labels[s * j->D + d] == label;
			if (!(l = joint_sum(j, in, 0, j->columns, 0, (size_t)-1)))
				break;
			l->units_only = 1;
			l->hidden[0] = (unsigned char)tact_privacy_label_hidden(
				plan, runs ? k : d, label);
		}
		k++;
	}
	for (s = from; s < j->line_count; s++)
		j->lines[s].mode = 1 + (runs ? TACT_PRIVACY_STRICT
		                             : TACT_PRIVACY_TABLES);
	free(in);
}

static void joint_release(joint *j)
{
	size_t i;

	for (i = 0; i < j->line_count; i++) {
		free(j->lines[i].cells);
		free(j->lines[i].parts);
		free(j->lines[i].hidden);
	}
	free(j->lines);
	free(j->keys);
	free(j->segment_of);
	free(j->labels);
	free(j->arm_names);
	free(j->analysed);
	free(j->empty);
	free(j->values);
}

/* Dose's figures as lines: per dose segment its bins (rows) and its total
 * (total), hidden as flags say (seg_h: segment x quantity; row_h: segment
 * x bin x quantity); rows[] and totals[] receive their line numbers. */
static void dose_lines(joint *j, const unsigned char *seg_h,
                       const unsigned char *row_h, size_t *rows,
                       size_t *totals)
{
	const tact_dose_result *r = j->r;
	const size_t B = r->bin_count, Q = j->Q;
	const size_t first = r->dimensions > 0 ? 1 : 0;
	unsigned char *in = calloc(j->segments + 1, 1);
	joint_line *l = NULL;
	size_t s, b, t;

	if (!in) {
		j->failed = 1;
		return;
	}
	for (s = 0; s < r->segment_count && !j->failed; s++) {
		for (t = 0; t < j->segments; t++)
			in[t] = s < first ||
			        same_labels(j->labels[t], r->segments[s].labels, j->D);
		for (b = 0; b < B; b++) {
			if (!(l = joint_sum(j, in, b, b + 1, 1, (size_t)-1)))
				break;
			l->hideable = 1;
			memcpy(l->hidden, &row_h[(s * B + b) * Q], Q);
			rows[s * B + b] = j->line_count - 1;
		}
		if (j->failed || !(l = joint_sum(j, in, 0, B + 1, 1, (size_t)-1)))
			break;
		l->hideable = 1;
		memcpy(l->hidden, &seg_h[s * Q], Q);
		totals[s] = j->line_count - 1;
	}
	/* The analysed units without a count (its data section). */
	if (!j->failed) {
		memset(in, 1, j->segments);
		if ((l = joint_sum(j, in, B + 1, B + 2, 1, (size_t)-1)))
			l->units_only = 1;
	}
	free(in);
	if (j->failed)
		return;
	/* Magnitude: a total over its bins; the pooled segment's bins over the
	 * segments' and its total over theirs. */
	for (s = 0; s < r->segment_count; s++) {
		l = &j->lines[totals[s]];
		if (!(l->parts = calloc(B + r->segment_count + 1, sizeof *l->parts))) {
			j->failed = 1;
			return;
		}
		for (b = 0; b < B; b++)
			l->parts[l->part_count++] = rows[s * B + b];
	}
	for (b = 0; first && b < B; b++) {
		l = &j->lines[rows[b]];
		if (!(l->parts = calloc(r->segment_count + 1, sizeof *l->parts))) {
			j->failed = 1;
			return;
		}
		for (s = first; s < r->segment_count; s++)
			l->parts[l->part_count++] = rows[s * B + b];
	}
	for (s = first; first && s < r->segment_count; s++) {
		l = &j->lines[totals[0]];
		l->parts[l->part_count++] = totals[s];
	}
}

/* Decide the dose flags again with tact-compare's figures. */
static tact_status joint_protect(const tact_dose_result *r,
                                 unsigned char *seg_h, unsigned char *row_h,
                                 tact_error *error)
{
	const size_t B = r->bin_count, Q = 1 + r->outcome_count;
	joint j;
	tact_privacy_table t;
	tact_privacy_plan plan;
	tact_privacy_runs runs;
	tact_privacy_line *lines = NULL;
	size_t *rows = NULL, *totals = NULL, i, q, s, b, cells;
	unsigned char *in;
	unsigned mask;
	int no_compare, changed;
	size_t modes, round;
	tact_status status = TACT_OK;

	memset(&j, 0, sizeof j);
	memset(&t, 0, sizeof t);
	memset(&plan, 0, sizeof plan);
	memset(&runs, 0, sizeof runs);
	j.r = r;
	j.D = r->dimensions;
	j.columns = B + 2;
	j.Q = Q;
	if ((no_compare = joint_arms(&j)) < 0 || joint_cells(&j)) {
		status = tact_error_oom(error);
		goto done;
	}
	cells = j.segments * j.columns * j.arms;
	rows = calloc(r->segment_count * B + 1, sizeof *rows);
	totals = calloc(r->segment_count + 1, sizeof *totals);
	if (!rows || !totals) {
		status = tact_error_oom(error);
		goto done;
	}
	if (!no_compare) {
		if ((status = joint_table(&j, &t, error)) ||
		    (status = tact_privacy_decide(&t, r->min_cell, TACT_PRIVACY_TABLES,
		                                  &plan, error)))
			goto done;
		compare_lines(&j, &t, &plan, NULL, 0);
		if (j.D >= 1 && j.D <= TACT_PRIVACY_STRICT_DIMENSIONS) {
			if ((status = tact_privacy_decide_runs(&t, r->min_cell, &runs,
			                                       error)))
				goto done;
			for (mask = 0; mask < (1u << j.D); mask++)
				compare_lines(&j, &t, &runs.plans[mask], &runs, mask);
		}
		/* Everything (tact-validate's units, the values every tool
		 * reports): printed. */
		if ((in = malloc(j.segments + 1))) {
			memset(in, 1, j.segments);
			joint_sum(&j, in, 0, j.columns, 0, (size_t)-1);
			free(in);
		} else
			j.failed = 1;
	}
	dose_lines(&j, seg_h, row_h, rows, totals);
	if (j.failed || !(lines = calloc(j.line_count + 1, sizeof *lines))) {
		status = tact_error_oom(error);
		goto done;
	}
	/* Safe with either mode's figures: each in turn, until dose's flags
	 * no longer change (they only grow). */
	modes = runs.plans ? 2 : 1;
	for (round = 0, changed = 1; changed && status == TACT_OK; round++) {
		const int mode = 1 + (int)(round % modes);
		changed = 0;
		for (q = 0; q < Q && status == TACT_OK; q++) {
			for (i = 0; i < j.line_count; i++) {
				const joint_line *l = &j.lines[i];
				const int other = l->mode && l->mode != mode;
				lines[i].cells = l->cells;
				lines[i].count = other || (q > 0 && l->units_only) ? 0
				                                                    : l->count;
				lines[i].parts = l->parts;
				lines[i].part_count = l->part_count;
				lines[i].hideable = l->hideable;
				lines[i].hidden = l->hidden[q] ||
				                  (l->hideable && l->hidden[0]);
			}
			status = tact_privacy_decide_lines(&j.values[q * cells], cells,
			                                   lines, j.line_count,
			                                   r->min_cell, error);
			for (i = 0; i < j.line_count; i++)
				if (j.lines[i].hideable && lines[i].hidden &&
				    !j.lines[i].hidden[q]) {
					j.lines[i].hidden[q] = 1;
					changed = 1;
				}
		}
		if (round == 0)
			changed = modes > 1;
	}
	for (s = 0; s < r->segment_count && status == TACT_OK; s++) {
		for (q = 0; q < Q; q++) {
			seg_h[s * Q + q] = j.lines[totals[s]].hidden[q];
			for (b = 0; b < B; b++)
				row_h[(s * B + b) * Q + q] = j.lines[rows[s * B + b]].hidden[q];
		}
	}
done:
	free(lines);
	free(rows);
	free(totals);
	tact_privacy_runs_release(&runs);
	tact_privacy_plan_release(&plan);
	tact_privacy_table_release(&t);
	joint_release(&j);
	return status;
}

tact_status tact_dose_protect(tact_dose_result *result, tact_error *error)
{
	const size_t K = result->outcome_count, B = result->bin_count, Q = K + 1;
	const size_t S = result->segment_count;
	tact_privacy_table table;
	tact_privacy_runs runs;
	dose_layout l;
	unsigned full, bins, totals;
	unsigned char *seg_h = calloc(S * Q + 1, 1);
	unsigned char *row_h = calloc(S * B * Q + 1, 1);
	size_t s, k, b;
	tact_status status;

	memset(&runs, 0, sizeof runs);
	memset(&table, 0, sizeof table);
	if (!seg_h || !row_h) {
		status = tact_error_oom(error);
		goto done;
	}
	if ((status = build_table(result, &l, &table, error)) ||
	    (status = tact_privacy_decide_runs(&table, result->min_cell, &runs,
	                                       error)))
		goto done;
	full = (1u << l.dimensions) - 1;
	bins = 1u << (l.dimensions - 1);
	totals = full & ~bins;
	for (s = 0; s < S; s++) {
		/* The segment's first cell in the table, and the runs that print
		 * its total and its bins. */
		const size_t at = s < l.first ? 0 : (s - l.first) * l.columns;
		const unsigned total = s < l.first ? 0 : totals;
		const unsigned cells = s < l.first ? bins : full;
		seg_h[s * Q] = (unsigned char)tact_privacy_run_hidden(
			&runs, total, at, 0, TACT_PRIVACY_UNITS);
		for (k = 0; k < K; k++)
			seg_h[s * Q + 1 + k] = (unsigned char)
				tact_privacy_run_hidden(&runs, total, at, 0, k);
		for (b = 0; b < B; b++) {
			row_h[(s * B + b) * Q] = (unsigned char)tact_privacy_run_hidden(
				&runs, cells, at + b, 0, TACT_PRIVACY_UNITS);
			for (k = 0; k < K; k++)
				row_h[(s * B + b) * Q + 1 + k] = (unsigned char)
					tact_privacy_run_hidden(&runs, cells, at + b, 0, k);
		}
	}
	if ((status = joint_protect(result, seg_h, row_h, error)))
		goto done;
	for (s = 0; s < S; s++) {
		tact_dose_segment *seg = &result->segments[s];
		if (!(seg->values_hidden = calloc(K + 1, 1))) {
			status = tact_error_oom(error);
			goto done;
		}
		seg->suppressed = seg_h[s * Q];
		for (k = 0; k < K; k++)
			seg->values_hidden[k] = seg_h[s * Q] || seg_h[s * Q + 1 + k];
		for (k = 0; k < K; k++)
			for (b = 0; b < B; b++)
				blank_row(result, &result->bin_rows[(s * K + k) * B + b],
				          row_h[(s * B + b) * Q],
				          row_h[(s * B + b) * Q] ||
				          row_h[(s * B + b) * Q + 1 + k]);
	}
done:
	free(seg_h);
	free(row_h);
	tact_privacy_runs_release(&runs);
	tact_privacy_table_release(&table);
	return status;
}
