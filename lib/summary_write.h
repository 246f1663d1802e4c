/*
 * summary_write.h - a summary as an overview a person reads (tact-summarize
 * --format table): per group, its units and the rate or mean of each
 * metric, with what the privacy rule hides hidden.
 */
#ifndef TACT_SUMMARY_WRITE_H
#define TACT_SUMMARY_WRITE_H

#include <stdint.h>
#include <stdio.h>

#include "privacy.h"
#include "summary.h"

/*
 * What to hide of each group, decided by tact_privacy_decide (privacy.h)
 * at min_cell under mode: on success *hidden is an owned array of
 * group_count * (1 + metric_count) flags, [g * (1 + metric_count)] for the
 * group's units (then everything of it), [g * (1 + metric_count) + 1 + m]
 * for its metric m.  Errors: those of tact_privacy_decide, TACT_SOFTWARE
 * for memory (then *hidden is NULL).
 */
tact_status tact_summary_hidden(const tact_summary *summary, int64_t min_cell,
                                tact_privacy_mode mode, unsigned char **hidden,
                                tact_error *error);

/*
 * The overview table of a finished summary on out: the segment labels
 * ("(empty)" for an empty one), the arm, the units ("<N" under min_cell,
 * "hidden" when the privacy rule hides them), and each metric's rate (in
 * %, 0/1 metrics) or mean per unit with two decimals ("-" when hidden or
 * without values); a blank line between first-column segments; then a
 * line of the row counts.  Errors: those of tact_summary_hidden; TACT_IOERR
 * when out fails.
 */
tact_status tact_summary_write_table(const tact_summary *summary,
                                     int64_t min_cell, tact_privacy_mode mode,
                                     FILE *out, tact_error *error);

#endif
