/*
 * period_compare.h - tact-compare --by-period: each period's difference,
 * and the cumulative one, per segment, metric and arm.
 *
 * For each period of a summary with periods (period.h), in time order:
 * the comparison of the units of that period alone ("period" rows) and of
 * the units of every period up to and including it ("cumulative" rows).
 * Each is a whole tact_compare_run on those units, so every row is
 * computed as tact-compare computes its rows (the same tests, intervals,
 * suppression, and whatever options the comparison is given); nothing is
 * re-derived here.  The last cumulative step holds every unit: its
 * figures are those of tact-compare without --by-period (to rounding:
 * its moments are merged from the periods').
 *
 * Multiple testing: each period's comparison and each cumulative step is
 * adjusted within its own families (pooled and segment, as tact-compare
 * does), and nothing across periods or steps.  The cumulative rows are for
 * watching how the effect moves (stable, or a novelty that fades), not
 * for deciding: a fixed-horizon interval looked at every period is not
 * valid at the look one stops at (use always-valid intervals for that),
 * and the decision is the comparison of every unit at the planned end.
 *
 * A period in which a comparison cannot be made (the control or every
 * other arm absent) has no rows of that kind, and is counted in skipped.
 *
 * Privacy: the periods are compared in blocks of consecutive periods, and
 * some segments may have no rows, as tact_privacy_decide_periods
 * (privacy.h) decides; a block's and a cumulative step's comparison then
 * suppresses nothing of its own (the rule made every printed count 0 or
 * at least min_cell), except with one block, the comparison of every
 * unit with its own suppression.  With --min-cell 1 or 0 every period is
 * a block.
 */
#ifndef TACT_PERIOD_COMPARE_H
#define TACT_PERIOD_COMPARE_H

#include <stdio.h>

#include "compare.h"
#include "period.h"

#define TACT_PERIOD_BLOCK_LABEL_MAX (2 * TACT_PERIOD_LABEL_MAX + 2)

typedef struct tact_period_step {
	const char *label;            /* the block's label: its period's, or
	                                 "first..last" (into block_label) */
	char block_label[TACT_PERIOD_BLOCK_LABEL_MAX];
	int has_period, has_cumulative; /* which results were computed */
	tact_compare_result period;     /* the period's units */
	tact_compare_result cumulative; /* the units up to it */
	tact_summary cumulative_summary; /* what cumulative reads (owned) */
	tact_summary block_summary;    /* what period reads (owned) */
} tact_period_step;

typedef struct tact_period_comparison {
	const tact_summary *summary;  /* not owned */
	size_t count;                 /* periods, in time order */
	tact_period_step *steps;
	size_t skipped;               /* results that could not be computed */
	size_t periods;               /* the summary's periods (count: blocks) */
	size_t segments_left_out;     /* segments without rows (privacy) */
} tact_period_comparison;

/*
 * Compare by period.  summary is finished, loaded with --time (TACT_USAGE
 * otherwise); its periods are sorted here.  Errors: those of
 * tact_compare_run on every unit (a comparison that cannot be made at
 * all), TACT_SOFTWARE.  On success the last step has its cumulative
 * result.  Release with tact_period_comparison_release.
 */
tact_status tact_period_compare(tact_summary *summary,
                                const tact_compare_options *options,
                                tact_period_comparison *comparison,
                                tact_error *error);

void tact_period_comparison_release(tact_period_comparison *comparison);

/*
 * Write it: CSV (the columns period and scope, period or cumulative, then
 * tact-compare's own columns, tact_compare_write_csv_fields), a terminal
 * table, or JSON (rows of the same fields).  TACT_IOERR when out reports
 * an error.
 */
tact_status tact_period_write_csv(const tact_period_comparison *comparison,
                                  FILE *out, tact_error *error);
tact_status tact_period_write_table(const tact_period_comparison *comparison,
                                    FILE *out, tact_error *error);
tact_status tact_period_write_json(const tact_period_comparison *comparison,
                                   FILE *out, tact_error *error);

#endif
