/*
 * dose_suppress.c - complementary suppression of the dose bins, so that no
 * hidden count can be recovered by subtraction (see dose.h).
 *
 * A hidden cell must not be recoverable by subtraction from what is shown:
 * a segment's units (shown) minus its shown bins, or the pooled segment's
 * bin minus the other segments' shown bins.  So, per outcome, while such a
 * difference is between 1 and min_cell - 1 units (or values), the smallest
 * bin still shown in that segment (or, for a bin, the smallest segment
 * still showing it) is hidden too.  Before that, segments: while the
 * segments hidden for having fewer than min_cell units add up to fewer than
 * min_cell, the next smallest is hidden whole (the pooled segment minus the
 * others would give them away).
 */
#include "dose_internal.h"

#include <math.h>

void tact_dose_suppress_segments(tact_dose_result *result)
{
	int64_t hidden = 0;
	size_t s;

	for (s = 1; s < result->segment_count; s++)
		if (result->segments[s].units < result->min_cell) {
			result->segments[s].suppressed = 1;
			hidden += result->segments[s].units;
		}
	if (result->segments[0].units < result->min_cell)
		result->segments[0].suppressed = 1;
	while (hidden > 0 && hidden < result->min_cell) {
		size_t smallest = 0;
		for (s = 1; s < result->segment_count; s++)
			if (!result->segments[s].suppressed &&
			    (smallest == 0 ||
			     result->segments[s].units < result->segments[smallest].units))
				smallest = s;
		if (smallest == 0)
			break;
		result->segments[smallest].suppressed = 1;
		hidden += result->segments[smallest].units;
	}
}

static int too_few(const tact_dose_result *result, int64_t count)
{
	return count > 0 && count < result->min_cell;
}

/* Hide the smallest shown row among rows[0..count) with a stride; returns
 * 1 when one was hidden. */
static int hide_smallest(tact_dose_bin_row *rows, size_t count, size_t stride)
{
	tact_dose_bin_row *smallest = NULL;
	size_t i;

	for (i = 0; i < count; i++) {
		tact_dose_bin_row *row = &rows[i * stride];
		if (!row->suppressed && (!smallest || row->units < smallest->units))
			smallest = row;
	}
	if (!smallest)
		return 0;
	smallest->suppressed = 1;
	return 1;
}

void tact_dose_suppress_bins(tact_dose_result *result)
{
	const size_t B = result->bin_count, K = result->outcome_count;
	int changed = 1;
	size_t s, k, b, i;

	while (changed) {
		changed = 0;
		for (k = 0; k < K; k++) {
			/* Within a segment: its units and values less its shown bins. */
			for (s = 0; s < result->segment_count; s++) {
				tact_dose_bin_row *rows = &result->bin_rows[(s * K + k) * B];
				const tact_dose_segment *seg = &result->segments[s];
				int64_t units = seg->units, n = 0;
				size_t c;
				if (seg->suppressed)
					continue;
				for (c = 0; c < seg->cell_count; c++)
					n += seg->cells[c].metrics[result->outcomes[k]].n;
				for (b = 0; b < B; b++)
					if (!rows[b].suppressed) {
						units -= rows[b].units;
						n -= rows[b].n;
					}
				if ((too_few(result, units) || too_few(result, n)) &&
				    hide_smallest(rows, B, 1))
					changed = 1;
			}
			/* Within a bin: the pooled bin less the segments' shown ones. */
			for (b = 0; b < B && result->segment_count > 1; b++) {
				const tact_dose_bin_row *pooled = &result->bin_rows[k * B + b];
				tact_dose_bin_row *first = &result->bin_rows[(K + k) * B + b];
				int64_t units = pooled->units, n = pooled->n;
				if (pooled->suppressed)
					continue;
				for (i = 0; i + 1 < result->segment_count; i++)
					if (!first[i * K * B].suppressed) {
						units -= first[i * K * B].units;
						n -= first[i * K * B].n;
					}
				if ((too_few(result, units) || too_few(result, n)) &&
				    hide_smallest(first, result->segment_count - 1, K * B))
					changed = 1;
			}
		}
	}
}

/* Blank every figure of the hidden bins. */
void tact_dose_blank_bins(tact_dose_result *result)
{
	size_t i;

	for (i = 0; i < result->bin_row_count; i++) {
		tact_dose_bin_row *row = &result->bin_rows[i];
		if (!row->suppressed)
			continue;
		row->units = row->n = -1;
		row->mean_exposures = row->mean = row->low = row->high = NAN;
		result->suppressed++;
	}
}

