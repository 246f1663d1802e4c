/*
 * compare.h - every arm against the control, per segment and metric.
 *
 * From a finished summary, one row per segment (each combination of
 * labels, and the pooled "(all)" first), per goal, annoyance or value
 * metric (exposures are not outcomes and are left out), per non-control
 * arm: the rate or mean of each group with its interval, the difference
 * and the relative lift with their intervals, a test, its p-value adjusted
 * within its family, the Bayesian chance to beat control and expected
 * loss, the segment's sample-ratio check, and a verdict.
 *
 * Methods (each checked against SciPy/statsmodels in the tests):
 *   0/1 metrics   Wilson score intervals of the rates; pooled
 *                 two-proportion z-test, or Fisher's exact test when an
 *                 expected cell is under 5; the difference's interval is
 *                 the score interval that inverts the z-test (Farrington-
 *                 Manning without the N / (N - 1) factor), lift = risk
 *                 ratio - 1 with the score interval of the ratio (which
 *                 inverts the same test); on Fisher rows both score
 *                 intervals are computed at a critical value scaled so that
 *                 they exclude 0 exactly when Fisher's test rejects;
 *                 Beta(1,1) posteriors, integrated numerically.
 *   other metrics t intervals; Welch's test and interval; lift = ratio of
 *                 means - 1 (relative to |control| when the control mean
 *                 is negative) with Fieller's interval at Welch's degrees
 *                 of freedom, blank when unbounded; normal posterior of
 *                 the difference.
 *   covariate     a metric with a covariate (CUPED, cuped.h): diff, its
 *                 interval, lift, test and p-value are those of Welch's
 *                 test on the adjusted values (rates too, at Welch's
 *                 degrees of freedom), lift relative to |adjusted control
 *                 mean| with Fieller's interval on the adjusted samples;
 *                 mean_control, mean_arm and their intervals stay raw; the
 *                 posterior is the normal one of the adjusted difference;
 *                 --margin's test stays on the raw rates.
 *   families      the pooled rows ("(all)") are one family, adjusted over
 *                 metrics x arms, the same whatever segments are asked
 *                 for; the segment rows are a second family.  Holm
 *                 (default), Benjamini-Hochberg or none within each.
 *   level         a tested row's difference and lift intervals are at
 *                 level 1 - a_row, a_row = alpha p / p_adjusted (alpha =
 *                 1 - confidence; alpha when p_adjusted = p; alpha over
 *                 the family's size when p_adjusted = 0): they exclude 0
 *                 exactly when the verdict is better or worse.  The
 *                 *_unadjusted intervals are at 1 - alpha.
 *   alternative   two-sided, or one-sided (greater: arm above control;
 *                 less: below): one-sided p-values and intervals (the
 *                 untested end infinite), verdicts only in that direction.
 *   sample ratio  chi-square goodness of fit of the segment's units across
 *                 all arms to the planned split; flagged under 0.001.
 *   3+ arms       chi-square test of independence, arms x (had / had not)
 *                 per segment and 0/1 metric.
 *   --sequential  every tested row: the always-valid test of sequential.h
 *                 on (estimate, SE, n) = (difference, Welch's SE or the
 *                 unpooled SE of rates, values of both groups); rho once
 *                 from the nominal alpha, a_row in the log term only, so
 *                 the rule above holds; lift: Fieller at the multiplier
 *                 half-width / SE with unpooled variances; no Fisher;
 *                 one-sided rows through the one-sided sequence; refused
 *                 with margins.
 *   --stratify    the pooled rows: the post-stratified difference over
 *                 the segments (stratify.h), normal test, the same rule;
 *                 raw mean_control and mean_arm; a segment without values
 *                 in the control or the arm is refused (TACT_DATA).
 *                 Both take (estimate, SE, n) from one function
 *                 (effect_of in compare.c).
 * A row whose control or arm has fewer than min_cell non-missing values is
 * "suppressed": every figure (counts included) is blank and the row is
 * not in the family.
 * Privacy: which counts are hidden is decided once for every tool
 * (tact_privacy_decide, privacy.h): units under min_cell, a metric's count
 * under min_cell, and the complements that keep them from being computed
 * from the totals any tool prints (pooled rows, tact-validate's totals per
 * arm and per label).  A row is suppressed when its control's or arm's
 * count is hidden; a segment's sample-ratio and independence figures are
 * blank when any arm's count in it is hidden.
 * Verdict: "better" or "worse" (in the metric's
 * direction: higher for goal and value metrics, lower for annoyance) when
 * the adjusted p-value is under 1 - confidence, else "inconclusive".
 */
#ifndef TACT_COMPARE_H
#define TACT_COMPARE_H

#include <stdint.h>
#include <stdio.h>

#include "corrections.h"
#include "format.h"
#include "privacy.h"
#include "segments.h"
#include "summary.h"

#define TACT_COMPARE_SRM_THRESHOLD 0.001

typedef enum tact_compare_test {
	TACT_TEST_NONE,    /* suppressed or not testable */
	TACT_TEST_Z,       /* pooled two-proportion z-test */
	TACT_TEST_FISHER,  /* Fisher's exact test, two-sided */
	TACT_TEST_WELCH,   /* Welch's t-test */
	TACT_TEST_STRATIFIED, /* normal test of the post-stratified
	                         difference (--stratify, pooled rows) */
	TACT_TEST_SEQUENTIAL  /* always-valid test (--sequential) */
} tact_compare_test;

typedef enum tact_compare_alternative {
	TACT_ALTERNATIVE_TWO_SIDED,
	TACT_ALTERNATIVE_GREATER,  /* H1: arm above control */
	TACT_ALTERNATIVE_LESS      /* H1: arm below control */
} tact_compare_alternative;

typedef enum tact_compare_family {
	TACT_FAMILY_POOLED,        /* the "(all)" rows */
	TACT_FAMILY_SEGMENT        /* the rows of the --by segments */
} tact_compare_family;

typedef enum tact_compare_verdict {
	TACT_VERDICT_BETTER,
	TACT_VERDICT_WORSE,
	TACT_VERDICT_INCONCLUSIVE,
	TACT_VERDICT_SUPPRESSED
} tact_compare_verdict;

/* "z", "fisher", "welch", "stratified", "sequential", "" / "better", "worse", "inconclusive",
 * "suppressed". */
const char *tact_compare_test_name(tact_compare_test test);
const char *tact_compare_verdict_name(tact_compare_verdict verdict);
/* "two-sided", "greater", "less" / "pooled", "segment". */
const char *tact_compare_alternative_name(tact_compare_alternative alternative);
const char *tact_compare_family_name(tact_compare_family family);

typedef struct tact_compare_margin {
	char *metric;
	double margin;      /* relative: 0.1 = may rise by at most 10% */
} tact_compare_margin;

typedef struct tact_compare_metric_alternative {
	char *metric;
	tact_compare_alternative alternative;
} tact_compare_metric_alternative;

typedef struct tact_compare_options {
	double confidence;             /* 0.95 */
	tact_correction correction;    /* Holm */
	int64_t min_cell;              /* 10 */
	tact_privacy_mode privacy;     /* tables */
	size_t split_count;            /* planned split; 0 = equal */
	double *split;                 /* weights, in the order of split_arms */
	char **split_arms;             /* NULL: control first, then the others
	                                  in byte order */
	size_t margin_count;
	tact_compare_margin *margins;
	tact_compare_alternative alternative;  /* every metric not named */
	size_t alternative_count;              /* per metric, the last wins */
	tact_compare_metric_alternative *alternatives;
	int sequential;                /* --sequential: always-valid tests */
	double tuning;                 /* its tuning parameter [5000] */
	int stratify;                  /* --stratify: post-stratified pooled
	                                  rows */
} tact_compare_options;

/* Defaults: 0.95, Holm, 10, equal split, no margins, two-sided, fixed
 * horizon (tuning 5000 for --sequential), no post-stratification. */
void tact_compare_options_init(tact_compare_options *options);
void tact_compare_options_release(tact_compare_options *options);

/* Parse "--split 50,50" or "control=50,personalized=50" into options. */
tact_status tact_compare_parse_split(tact_compare_options *options,
                                     const char *text, tact_error *error);

/* Parse "--margin unsubscribed=0.1" (repeatable; adds to options). */
tact_status tact_compare_parse_margin(tact_compare_options *options,
                                      const char *text, tact_error *error);

/* Parse "--alternative greater" (every metric not named otherwise) or
 * "converted=less" (one metric; repeatable, the last one wins); the words
 * are two-sided, greater and less.  TACT_USAGE for anything else. */
tact_status tact_compare_parse_alternative(tact_compare_options *options,
                                           const char *text,
                                           tact_error *error);

typedef struct tact_compare_segment {
	char **labels;         /* per dimension; "(all)" for the pooled one
	                          (owned by the result's segments) */
	int pooled;
	size_t arm_count;
	int64_t *units;        /* per arm (result's arm order) */
	unsigned char *units_suppressed; /* per arm: not to be shown (under
	                          min_cell, or hidden as a complement) */
	double srm_statistic, srm_df, srm_p_value;
	int srm_flag;          /* p under the threshold */
	/* Per metric (summary order): chi-square independence across arms,
	 * NaN unless 3+ arms and a 0/1 metric. */
	double *independence_statistic, *independence_df, *independence_p_value;
} tact_compare_segment;

typedef struct tact_compare_row {
	size_t segment;        /* index into result->segments */
	size_t metric;         /* index into the summary's metrics */
	size_t arm;            /* index into result->arms (never the control) */
	int up;                /* direction: 1 higher is better, 0 lower */
	int rate;              /* 0/1 metric */
	tact_compare_family family;
	tact_compare_alternative alternative;
	int64_t n_control, n_arm;            /* -1 when suppressed */
	double mean_control, control_low, control_high; /* at confidence */
	double mean_arm, arm_low, arm_high;
	/* diff_low..lift_high: at interval_level, so that they exclude 0
	 * exactly when the verdict is better or worse; the *_unadjusted ones
	 * at confidence.  One-sided rows: the untested end is -INFINITY or
	 * INFINITY (the writers print a blank).  NaN when not computed. */
	double diff, diff_low, diff_high;
	double lift, lift_low, lift_high;
	double interval_level; /* 1 - a_row; NaN on untested rows */
	double diff_low_unadjusted, diff_high_unadjusted;
	double lift_low_unadjusted, lift_high_unadjusted;
	const char *lift_note; /* why the lift or its interval is blank (or
	                          how it is relative), static text; NULL */
	tact_compare_test test;
	double statistic;      /* z or t; NaN for Fisher (z0 kept below) */
	double z0;             /* pooled z of a rate row (Fisher's too) */
	double df;             /* Welch's degrees of freedom */
	double p_value, p_adjusted; /* in the row's alternative, family */
	double chance_to_beat, expected_loss;
	double srm_p_value;
	tact_compare_verdict verdict;
	double margin;         /* NaN without --margin for this metric */
	double noninferiority_p_value;
	/* CUPED (cuped.h): the metric has a covariate; theta and the
	 * variance reduction of the difference (NaN without, or suppressed). */
	int cuped;
	double theta, variance_reduction;
} tact_compare_row;

typedef struct tact_compare_result {
	const tact_summary *summary;   /* not owned */
	tact_segments cells;           /* the summary in segments x arms */
	double confidence;
	tact_correction correction;
	int64_t min_cell;
	tact_privacy_mode privacy;
	int sequential, stratify;      /* the options' */
	double tuning;                 /* --tuning, when sequential */
	double rho[2];                 /* sequential: two-sided, one-sided
	                                  (from the nominal alpha) */
	size_t arm_count;
	char **arms;                   /* control first, then byte order
	                                  (owned by cells) */
	double *split;                 /* planned weights, result arm order */
	size_t segment_count;
	tact_compare_segment *segments; /* pooled first */
	size_t row_count;
	tact_compare_row *rows;
	size_t suppressed;             /* rows suppressed */
} tact_compare_result;

/*
 * Compare every arm with the control.  summary must be finished and name
 * a control that occurs (TACT_DATA otherwise, listing the arms), with at
 * least two arms.  result must be released with
 * tact_compare_result_release.  Errors: TACT_DATA (no control, one arm,
 * a split that does not match the arms), TACT_USAGE (confidence, margins
 * on unknown metrics), TACT_SOFTWARE (numerical failure).
 */
tact_status tact_compare_run(const tact_summary *summary,
                             const tact_compare_options *options,
                             tact_compare_result *result, tact_error *error);

void tact_compare_result_release(tact_compare_result *result);

/* Write the result as CSV (the documented columns), as a terminal table,
 * or as JSON.  TACT_IOERR when out reports an error. */
tact_status tact_compare_write_csv(const tact_compare_result *result,
                                   FILE *out, tact_error *error);
tact_status tact_compare_write_table(const tact_compare_result *result,
                                     FILE *out, tact_error *error);
tact_status tact_compare_write_json(const tact_compare_result *result,
                                    FILE *out, tact_error *error);

/*
 * The pieces of those outputs, for a writer that puts fields of its own
 * before them (tact-compare --by-period, period_compare.h): the CSV
 * header's fields (the segment dimensions, then the documented columns),
 * one row's CSV fields, and one row's JSON fields (inside an object the
 * caller opened; *first as for tact_format_json_key).  The caller begins
 * and ends the CSV rows.
 */
void tact_compare_write_csv_header_fields(const tact_compare_result *result,
                                          tact_format_csv_row *header);
void tact_compare_write_csv_fields(const tact_compare_result *result,
                                   const tact_compare_row *row,
                                   tact_format_csv_row *fields);
void tact_compare_write_json_fields(const tact_compare_result *result,
                                    const tact_compare_row *row, FILE *out,
                                    int *first);

#endif
