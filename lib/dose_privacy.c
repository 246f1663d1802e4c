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
 * dimension (the same figures, fewer runs).
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

tact_status tact_dose_protect(tact_dose_result *result, tact_error *error)
{
	const size_t K = result->outcome_count, B = result->bin_count;
	tact_privacy_table table;
	tact_privacy_runs runs;
	dose_layout l;
	unsigned full, bins, totals;
	size_t s, k, b;
	tact_status status;

	memset(&runs, 0, sizeof runs);
	memset(&table, 0, sizeof table);
	if ((status = build_table(result, &l, &table, error)) ||
	    (status = tact_privacy_decide_runs(&table, result->min_cell, &runs,
	                                       error)))
		goto done;
	full = (1u << l.dimensions) - 1;
	bins = 1u << (l.dimensions - 1);
	totals = full & ~bins;
	for (s = 0; s < result->segment_count; s++) {
		tact_dose_segment *seg = &result->segments[s];
		/* The segment's first cell in the table, and the runs that print
		 * its total and its bins. */
		const size_t at = s < l.first ? 0 : (s - l.first) * l.columns;
		const unsigned total = s < l.first ? 0 : totals;
		const unsigned cells = s < l.first ? bins : full;
		if (!(seg->values_hidden = calloc(K + 1, 1))) {
			status = tact_error_oom(error);
			goto done;
		}
		seg->suppressed = tact_privacy_run_hidden(&runs, total, at, 0,
		                                          TACT_PRIVACY_UNITS);
		for (k = 0; k < K; k++)
			seg->values_hidden[k] = (unsigned char)
				tact_privacy_run_hidden(&runs, total, at, 0, k);
		for (k = 0; k < K; k++)
			for (b = 0; b < B; b++)
				blank_row(result, &result->bin_rows[(s * K + k) * B + b],
				          tact_privacy_run_hidden(&runs, cells, at + b, 0,
				                                  TACT_PRIVACY_UNITS),
				          tact_privacy_run_hidden(&runs, cells, at + b, 0,
				                                  k));
	}
done:
	tact_privacy_runs_release(&runs);
	tact_privacy_table_release(&table);
	return status;
}
