/*
 * powerplan.h - what each segment of an experiment can detect.
 *
 * For every segment (pooled first), metric (goal, annoyance, value) and
 * non-control arm: the units in the control and the arm, the control's
 * rate or mean (the baseline) and standard deviation, and the minimum
 * detectable effect at the given level and power with the current sizes
 * (the arm-to-control ratio as observed).  With a target effect (--mde,
 * or the default: a relative 5% on the primary goal metric), also the
 * units each group would need and whether the segment has them: power is
 * judged against the effect the analyst states, never against the effect
 * observed (a post-hoc comparison that says nothing new).  Methods:
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

/* The effect that matters for a metric (--mde): the analyst's, stated
 * before looking, so that power is judged against it and never against
 * the effect observed. */
typedef struct tact_powerplan_target {
	char *metric;            /* NULL: every metric without a target of its
	                            own */
	double effect;           /* positive and finite */
	tact_power_effect kind;  /* relative (arm / control - 1) or absolute
	                            (in the metric's unit: 0.01 = one point of
	                            a rate) */
} tact_powerplan_target;

/* Without any --mde: a relative 5% change of the primary goal metric (the
 * first goal metric in the summary's order). */
#define TACT_POWERPLAN_DEFAULT_MDE 0.05

typedef struct tact_powerplan_options {
	double confidence;       /* 0.95: alpha = 1 - confidence, two-sided */
	double power;            /* 0.8 */
	int64_t min_cell;        /* 10 */
	size_t target_count;     /* 0: the default target */
	tact_powerplan_target *targets; /* owned */
	tact_privacy_mode privacy; /* tables */
} tact_powerplan_options;

typedef struct tact_powerplan_row {
	size_t segment, metric, arm;
	int rate;
	int suppressed;
	int64_t n_control, n_arm;
	double baseline, sd;
	double mde_absolute, mde_relative;  /* what the current sizes detect */
	int targeted;                       /* the metric has a target */
	double target_relative, target_absolute; /* the target in both forms
	                                       (NaN when it has no such form:
	                                       relative of a baseline 0) */
	double needed_control, needed_arm;  /* rounded up; NaN without target,
	                                       or when no rate in [0, 1] is
	                                       that far from the baseline */
	int enough;                         /* -1 without target (or needed
	                                       unknown) */
} tact_powerplan_row;

typedef struct tact_powerplan {
	tact_segments cells;
	tact_powerplan_options options;    /* targets not owned */
	int default_target;                /* no --mde: the default applied */
	size_t default_metric;             /* its metric (TACT_NO_COLUMN: none,
	                                      there is no goal metric) */
	size_t row_count;
	tact_powerplan_row *rows;
} tact_powerplan;

void tact_powerplan_options_init(tact_powerplan_options *options);
void tact_powerplan_options_release(tact_powerplan_options *options);

/*
 * Read an effect: "5%" or "0.05" is relative (arm / control - 1 = 0.05),
 * "0.01abs" absolute, in the metric's unit (for a rate 0.01 is one
 * percentage point).  The effect must be positive and finite.  TACT_USAGE
 * otherwise, with a message naming the text.
 */
tact_status tact_powerplan_parse_effect(const char *text, double *effect,
                                        tact_power_effect *kind,
                                        tact_error *error);

/* Add one --mde: "EFFECT" (every metric without its own) or
 * "METRIC=EFFECT" (that metric; a later one replaces an earlier one).
 * TACT_USAGE for a malformed effect; TACT_SOFTWARE for memory. */
tact_status tact_powerplan_parse_mde(tact_powerplan_options *options,
                                     const char *text, tact_error *error);

/* Compute the plan of a finished summary.  Each row's target is its
 * metric's --mde, else the one for every metric, else (no --mde at all)
 * the default on the primary goal metric.  Errors: those of segments and
 * power (TACT_DATA, TACT_USAGE for settings and for an --mde naming a
 * metric that is not an outcome of the summary). */
tact_status tact_powerplan_run(const tact_summary *summary,
                               const tact_powerplan_options *options,
                               tact_powerplan *plan, tact_error *error);
void tact_powerplan_release(tact_powerplan *plan);

/* CSV: one column per dimension, then metric, control, arm, n_control,
 * n_arm, baseline, sd, mde_absolute, mde_relative, target (relative),
 * target_absolute, needed_control, needed_arm, enough. */
tact_status tact_powerplan_write_csv(const tact_powerplan *plan, FILE *out,
                                     tact_error *error);

/* The same for a person: per non-control arm, a table of segment, metric,
 * units, baseline, detectable effect, target, units needed and whether
 * they are there (tact_table, labels sanitized), and a note. */
tact_status tact_powerplan_write_table(const tact_powerplan *plan, FILE *out,
                                       tact_error *error);

/* The same as JSON: confidence, power, min_cell, control, default_target
 * (the metric of the default target, or null), and rows: one object per
 * CSV row (the dimensions by name, metric, arm, suppressed, and unless
 * suppressed the CSV's figures, null for a blank; enough true, false or
 * null). */
tact_status tact_powerplan_write_json(const tact_powerplan *plan, FILE *out,
                                      tact_error *error);

/*
 * A planned experiment (tact-power --baseline or --mean): the units per arm
 * to detect mde, or, when mde is NaN, the effect detectable with n units
 * in the control (a rise, for a rate).
 */
typedef struct tact_powerplan_design {
	int rate;                /* 1: baseline is a rate; 0: a mean with sd */
	double baseline;         /* the control's rate (0 to 1) or mean */
	double sd;               /* means: the control's standard deviation */
	double mde;              /* the effect to detect, or NaN */
	tact_power_effect kind;  /* of mde: relative or absolute */
	double n;                /* without mde: units in the control */
	double ratio;            /* units in the arm per unit in the control */
	double power;            /* chance to detect the effect */
	double confidence;       /* 1 - the two-sided level */
} tact_powerplan_design;

/*
 * Compute a design and write it as two lines of CSV: kind, baseline, sd,
 * mde_absolute, mde_relative, alpha, power, ratio, n_control, n_arm,
 * n_control_rounded, n_arm_rounded (lib/power.h's sample sizes and
 * detectable effects).  The figures are the caller's settings: a design
 * power.h refuses is TACT_USAGE, with its message.
 */
tact_status tact_powerplan_design_write_csv(const tact_powerplan_design *design,
                                            FILE *out, tact_error *error);

/* The same design as a two-column table for a person (figure, value), or
 * as one JSON object with kind and the CSV's figures (null for a blank). */
tact_status tact_powerplan_design_write_table(const tact_powerplan_design *design,
                                              FILE *out, tact_error *error);
tact_status tact_powerplan_design_write_json(const tact_powerplan_design *design,
                                             FILE *out, tact_error *error);

#endif
