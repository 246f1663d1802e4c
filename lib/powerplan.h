/*
 * powerplan.h - what each segment of an experiment can detect.
 *
 * For every segment (pooled first), metric (goal, annoyance, value) and
 * non-control arm: the units in the control and the arm, the control's
 * rate or mean (the baseline) and standard deviation, and the minimum
 * detectable effect at the given level and power with the current sizes
 * (the arm-to-control ratio as observed).  With a target effect, also the
 * units each group would need and whether the segment has them.  Methods:
 * lib/power.h (statsmodels' NormalIndPower convention; Cohen's h for
 * rates, Cohen's d with the control's standard deviation for means).
 * Rates are taken to move upward (a rise in conversion, or in annoyance).
 * Groups under min_cell units are suppressed (blank), and so are the rows
 * tact_privacy_decide (privacy.h) hides to protect them.
 */
#ifndef TACT_POWERPLAN_H
#define TACT_POWERPLAN_H

#include <stdio.h>

#include "power.h"
#include "privacy.h"
#include "segments.h"

typedef struct tact_powerplan_options {
	double confidence;       /* 0.95: alpha = 1 - confidence, two-sided */
	double power;            /* 0.8 */
	double target;           /* NaN: none */
	tact_power_effect target_kind;
	int64_t min_cell;        /* 10 */
	tact_privacy_mode privacy; /* tables */
} tact_powerplan_options;

typedef struct tact_powerplan_row {
	size_t segment, metric, arm;
	int rate;
	int suppressed;
	int64_t n_control, n_arm;
	double baseline, sd;
	double mde_absolute, mde_relative;
	double needed_control, needed_arm;  /* rounded up; NaN without target */
	int enough;                          /* -1 without target */
} tact_powerplan_row;

typedef struct tact_powerplan {
	tact_segments cells;
	tact_powerplan_options options;
	size_t row_count;
	tact_powerplan_row *rows;
} tact_powerplan;

void tact_powerplan_options_init(tact_powerplan_options *options);

/* Compute the plan of a finished summary.  Errors: those of segments and
 * power (TACT_DATA, TACT_USAGE for settings). */
tact_status tact_powerplan_run(const tact_summary *summary,
                               const tact_powerplan_options *options,
                               tact_powerplan *plan, tact_error *error);
void tact_powerplan_release(tact_powerplan *plan);

/* CSV: one column per dimension, then metric, control, arm, n_control,
 * n_arm, baseline, sd, mde_absolute, mde_relative, target, needed_control,
 * needed_arm, enough. */
tact_status tact_powerplan_write_csv(const tact_powerplan *plan, FILE *out,
                                     tact_error *error);

#endif
