/*
 * frontier.h - the trade-off: does personalization pay, per segment, once
 * conversion gains and annoyance costs are weighed against each other?
 *
 * The analyst prices each outcome (--weights converted=40,bounced=-0.5,
 * unsubscribed=-12: the value of one event in the analyst's currency; a
 * value metric such as revenue can be weighted too).  The net value of a
 * unit is V = sum_k w_k x_k.  Per segment (pooled first) and arm, the mean
 * net value is sum_k w_k mean_k, and its variance
 *     Var(mean V) = sum_k sum_l w_k w_l Cov(mean_k, mean_l),
 *     Cov(mean_k, mean_l) = cov_kl n_kl / (n_k n_l)
 * with cov_kl estimated over the n_kl units where both are present (the
 * summary's co-moments): the covariance terms matter, since a visitor who
 * bounced rarely converts.  The difference arm - control has the variance
 * of the two groups added, Welch's t statistic T = diff / se with
 * Welch-Satterthwaite degrees of freedom, its two-sided p-value, and a
 * verdict.
 *
 * Verdicts and intervals follow one rule (the same as tact-compare's).
 * The tested rows form two families: the pooled rows ("(all)", one per
 * arm) and the segment rows (every shown segment x arm); the p-values are
 * adjusted within each family (holm by default, bh or none;
 * corrections.h).  With alpha = 1 - confidence, a row's verdict is
 * "personalize" (diff > 0) or "hold back" (diff < 0) when p_adjusted <
 * alpha, else "inconclusive"; "suppressed" for a group under min_cell.
 * Its intervals (difference, gain, cost) are at the level 1 - a with
 * a = alpha p / p_adjusted (alpha without correction; alpha / family size
 * when p_adjusted is 0): since T and the interval use the same t
 * distribution, the difference's interval excludes 0 exactly when
 * p < a, i.e. when p_adjusted < alpha: the interval never contradicts
 * the verdict beside it.  a is Holm's step level alpha / (m - j + 1) for
 * the row's rank j (Benjamini-Hochberg's j alpha / m), unless the
 * monotone step moved it; it always lies in [alpha / m, alpha].  The
 * difference's interval at the unadjusted level (confidence) is kept too.
 * The difference splits into a gain (weighted goal and value metrics) and
 * a cost (minus the weighted annoyance and exposure metrics): the two axes
 * of the frontier chart.
 *
 * Break-even: for each weighted metric, the weight at which the difference
 * is 0 (the others fixed), and the weight at which the verdict changes
 * (the row's interval, its level held fixed, touches 0: a quadratic in the
 * weight; the nearest root).
 *
 * Across segments (for each arm, on the net value and on each metric, with
 * Wald standard errors for single metrics): Cochran's Q with I^2, and the
 * Gail-Simon test of a qualitative interaction (lib/heterogeneity.h).
 *
 * Policy value per 1,000 units, each segment weighted by its share of the
 * units: personalize no one, everyone, or only the segments whose
 * (adjusted) verdict is "personalize" ("targeted"), with normal intervals
 * at the confidence level (shares taken as known).  Choosing segments on the same data flatters "targeted" (the
 * winner's curse): confirm on fresh data.
 *
 * --sequential: p-values and intervals always-valid (sequential.h: the
 * difference, se and the units of both groups; rho from the nominal alpha,
 * the row's level a in the log term only, so the rule above holds; df
 * NaN).  --stratify: the pooled rows' means and covariances of means are
 * post-stratified over the segments (stratify.h; weights: the segment's
 * share of the units of the control and the arm), normal test, df NaN;
 * mean_control and mean_arm stay raw.  A segment short of two values of
 * a weighted metric in any arm is refused (TACT_DATA).
 *
 * Infinite figures: a figure that overflows a double (weights of 1e300)
 * makes the run fail (TACT_SOFTWARE, naming it) rather than write inf.
 */
#ifndef TACT_FRONTIER_H
#define TACT_FRONTIER_H

#include <stdio.h>

#include "corrections.h"
#include "heterogeneity.h"
#include "privacy.h"
#include "segments.h"

typedef enum tact_frontier_verdict {
	TACT_FRONTIER_PERSONALIZE,
	TACT_FRONTIER_HOLD_BACK,
	TACT_FRONTIER_INCONCLUSIVE,
	TACT_FRONTIER_SUPPRESSED
} tact_frontier_verdict;

/* "personalize", "hold back", "inconclusive", "suppressed". */
const char *tact_frontier_verdict_name(tact_frontier_verdict verdict);

typedef struct tact_frontier_options {
	double confidence;          /* 0.95 */
	tact_correction correction; /* holm: within each family */
	int64_t min_cell;           /* 10 */
	tact_privacy_mode privacy;  /* tables */
	int ignore_covariance;      /* 1 = drop the covariance terms (wrong;
	                               for demonstration only) */
	int sequential;             /* always-valid tests (sequential.h) */
	double tuning;              /* their tuning parameter [5000] */
	int stratify;               /* pooled rows post-stratified over the
	                               segments (stratify.h) */
	size_t weight_count;
	char **weight_metrics;
	double *weights;
} tact_frontier_options;

void tact_frontier_options_init(tact_frontier_options *options);
void tact_frontier_options_release(tact_frontier_options *options);

/* Parse "converted=40,bounced=-0.5,unsubscribed=-12" (replaces earlier
 * weights).  TACT_USAGE for a malformed list. */
tact_status tact_frontier_parse_weights(tact_frontier_options *options,
                                        const char *text, tact_error *error);

typedef struct tact_frontier_row {
	size_t segment, arm;
	tact_frontier_verdict verdict;
	int64_t n_control, n_arm;         /* units; -1 when suppressed */
	double mean_control, mean_arm;    /* mean net value per unit */
	double se_control, se_arm;        /* their standard errors */
	double diff, se, df;
	double p_value, p_adjusted;       /* Welch's t test; within the family */
	double level;                     /* of the intervals: 1 - a (above) */
	double diff_low, diff_high;       /* at level: agree with the verdict */
	double diff_low_unadjusted, diff_high_unadjusted; /* at confidence */
	double gain, gain_low, gain_high; /* weighted goal and value metrics */
	double cost, cost_low, cost_high; /* minus weighted annoyance, exposures */
	double gain_se, cost_se;          /* their standard errors */
	double share;                     /* of all units (1 for the pooled) */
	double *breakeven;                /* per metric: weight giving diff 0 */
	double *flip;                     /* per metric: weight changing the
	                                     verdict (nearest), NaN if none */
} tact_frontier_row;

typedef struct tact_frontier_test {
	size_t arm;
	size_t metric;                    /* TACT_NO_COLUMN: the net value */
	tact_heterogeneity_result result;
} tact_frontier_test;

typedef enum tact_frontier_policy_kind {
	TACT_POLICY_NO_ONE,
	TACT_POLICY_EVERYONE,
	TACT_POLICY_TARGETED
} tact_frontier_policy_kind;

const char *tact_frontier_policy_name(tact_frontier_policy_kind kind);

typedef struct tact_frontier_policy {
	size_t arm;
	tact_frontier_policy_kind kind;
	double value, low, high;          /* per 1,000 units */
	double gain, gain_low, gain_high; /* against personalizing no one */
	size_t segments_personalized;
} tact_frontier_policy;

typedef struct tact_frontier {
	tact_segments cells;
	double confidence;
	tact_correction correction;
	int64_t min_cell;
	tact_privacy_mode privacy;
	int sequential, stratify;         /* the options' */
	double tuning, rho;               /* sequential: rho from the nominal
	                                     alpha */
	double *weights;                  /* per metric of the summary (0 when
	                                     not weighted) */
	size_t row_count;
	tact_frontier_row *rows;          /* segment-major, then arm */
	size_t test_count;
	tact_frontier_test *tests;
	size_t policy_count;
	tact_frontier_policy *policies;
	char *test_notes;                 /* why some tests are missing, or "" */
} tact_frontier;

/*
 * Weigh a finished summary.  Errors: TACT_USAGE (no weights, a weighted
 * metric that is not in the summary, confidence), those of segments
 * (TACT_DATA: no control, one arm), TACT_SOFTWARE (memory; a figure that
 * overflows, named in the message).
 */
tact_status tact_frontier_run(const tact_summary *summary,
                              const tact_frontier_options *options,
                              tact_frontier *frontier, tact_error *error);
void tact_frontier_release(tact_frontier *frontier);

/* Writers.  CSV of the segment rows (documented columns), a table, JSON
 * with everything; the tests and policies alone (--tests) as CSV, a table
 * or JSON. */
tact_status tact_frontier_write_csv(const tact_frontier *frontier, FILE *out,
                                    tact_error *error);
tact_status tact_frontier_write_tests(const tact_frontier *frontier,
                                      FILE *out, tact_error *error);
tact_status tact_frontier_write_table(const tact_frontier *frontier,
                                      FILE *out, tact_error *error);
tact_status tact_frontier_write_json(const tact_frontier *frontier,
                                     FILE *out, tact_error *error);
tact_status tact_frontier_write_tests_table(const tact_frontier *frontier,
                                            FILE *out, tact_error *error);
tact_status tact_frontier_write_tests_json(const tact_frontier *frontier,
                                           FILE *out, tact_error *error);

#endif
