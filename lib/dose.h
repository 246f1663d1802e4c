/*
 * dose.h - outcomes against exposure frequency, per segment: observed rates
 * per exposure bin, a fitted dose-response curve per outcome, and under
 * outcome weights the net value curve and the exposure count that
 * maximizes it (the frequency cap), with its uncertainty.
 *
 * Input: a finished summary whose last segment dimension is the exposure
 * count (tact_load_options.exposure_dimension, or a summary written by
 * "tact-summarize --by-exposures").  Every (segment, exposure count, arm)
 * group then holds all moments and co-moments, which is all this module
 * needs: nothing is ever re-read per unit, so a summary of a billion rows
 * fits in seconds.
 *
 * Arms.  Exposure varies in the treated arms (the control sees none), so by
 * default the non-control arms are pooled; all arms, or a list, on request.
 * Units whose exposure count is missing are left out (counted).
 *
 * Segments: the pooled one ("(all)") first, then every combination of the
 * other dimensions' labels, in byte order.  Outcomes: every goal,
 * annoyance and value metric (the exposure metric is not an outcome).
 *
 * Bins.  Explicit ("0,1,2,3-5,6-10,11-": single counts, closed ranges, one
 * open range last; increasing, not overlapping; counts in no bin are shown
 * in no bin but are still fitted), or "quantiles:K": cut points at the
 * inverted-CDF quantiles j/K (j = 1..K-1) of the exposure counts of the
 * pooled segment's analysed units, i.e. bin j ends at the smallest count c
 * with F(c) >= j/K.  A count is never split between bins, so ties (many
 * units at one count) merge cut points and can give fewer than K bins.
 * Per bin: units, non-missing values, the units' mean exposure count, the
 * rate with its Wilson interval (0/1 metrics) or the mean with its t
 * interval, and the model's fitted value averaged over the bin's units.
 * What is hidden is lib/privacy.c's decision (dose_privacy.c): the
 * segments x bins table, the analysed arms pooled, with each segment over
 * the bins, each bin over the segments (the pooled segment's bins) and the
 * pooled figures as linked runs (tact_privacy_decide_runs).  A bin row is
 * suppressed (its outcome's figures blank, its units too when they are
 * hidden) and a segment whose units are hidden is not fitted or capped;
 * no hidden count under min_cell follows from the printed ones.
 *
 * Models, per segment and outcome, on x = t(exposures): t = log(1 + e)
 * (default), e (linear), or one indicator per bin (categorical, the first
 * fitted bin the reference; bins suppressed in the table are left out of
 * the fit too, so that no coefficient reveals a suppressed cell).
 *   0/1 goal and annoyance metrics: logistic regression (logistic.h) in the
 *     grouped binomial form, one row per distinct exposure count (successes
 *     out of units), which is exactly the fit over units; model-based
 *     standard errors, Wald z and two-sided normal p-values (as statsmodels'
 *     Logit).
 *   value metrics and non-0/1 goals or annoyances: least squares of the
 *     value on the same x (leastsquares.h), exact from the per-count sums
 *     and squares, with heteroskedasticity-robust HC1 standard errors (as
 *     statsmodels' OLS(...).fit(cov_type="HC1"), normal p-values): revenue
 *     is mostly zeros with a long tail, where the classical errors are
 *     wrong.
 * A segment whose metric has fewer than min_cell values is not fitted.  A
 * fit that fails (an outcome that never varies, separation) is reported
 * with its reason and the rest goes on.
 *
 * Net value and cap.  With weights (metric=weight), net(e) = sum_k w_k f_k(e)
 * over the fitted curves f_k, on e = 0..max (max: --max, or the 0.999
 * quantile of the exposure counts, as above, at most
 * TACT_DOSE_MAX_EXPOSURES).  The cap is the smallest e in 0..max attaining
 * the largest net(e).  Its uncertainty comes from a parametric bootstrap:
 * draws coefficient vectors of all weighted metrics jointly from the normal
 * approximation of their estimates and takes the quantiles
 * (1 - confidence)/2 and (1 + confidence)/2 of the draws' caps (inverted
 * CDF, so the bounds are counts that occurred among the draws).  The joint
 * covariance is the sandwich A_k^-1 B_kl A_l^-1 for every pair of models
 * (k = l included), with A the information (logistic) or X'X (least
 * squares) and B_kl the sum of x x' times the two outcomes' residual
 * cross-products, exact per exposure count from the summary's moments and
 * co-moments: a unit that bounced rarely converts, and revenue comes only
 * with a conversion, so the estimates of the curves are correlated and
 * drawing them independently would misstate the cap's spread.  The
 * sandwich is robust, equals the models' own covariance when they hold,
 * and is positive semi-definite by construction; with missing values
 * (co-moments over the units where both outcomes are present) it may not
 * be, and the draws then fall back to each model's own block, and say so.  Why a bootstrap rather than a delta
 * method: the argmax of a curve is not a smooth function of the
 * coefficients (it jumps between counts and sticks at 0 or max).  The net
 * value curve and the gain net(cap) - net(0) get delta-method intervals
 * from the same joint covariance (the gain's ignores that the cap was
 * chosen on the same data, so it is optimistic).
 *
 * Caution for the reader of the output: within the treated arms, the
 * exposure count is not randomized (engaged visitors see more ads), so the
 * curve is causal only when exposure is as good as random within a
 * segment, as in tact-simulate or a randomized frequency test.
 */
#ifndef TACT_DOSE_H
#define TACT_DOSE_H

#include <stdint.h>
#include <stdio.h>

#include "logistic.h"
#include "bins.h"
#include "roles.h"
#include "summary.h"

#define TACT_DOSE_MAX_EXPOSURES 10000   /* largest max (grid 0..max) */
#define TACT_DOSE_MAX_BINS 1000
#define TACT_DOSE_OPEN TACT_BIN_OPEN    /* high end of an open bin */
#define TACT_DOSE_NET_VALUE "net_value" /* the net curve's metric name */

typedef enum tact_dose_transform {
	TACT_DOSE_LOG,          /* log(1 + e) */
	TACT_DOSE_LINEAR,       /* e */
	TACT_DOSE_CATEGORICAL   /* one indicator per bin */
} tact_dose_transform;

/* A bin of exposure counts (bins.h: the syntax tact-dose shares with a
 * binned --by). */
typedef tact_bin tact_dose_bin;

typedef struct tact_dose_weight {
	char *metric;
	double weight;
} tact_dose_weight;

typedef struct tact_dose_options {
	int all_arms;           /* pool every arm, the control too */
	tact_names arms;        /* else these arms; none: the non-control arms */
	size_t bin_count;       /* explicit bins (quantile_bins == 0) */
	tact_dose_bin *bins;
	unsigned quantile_bins; /* K of "quantiles:K", 0 = explicit bins */
	tact_dose_transform transform;
	double confidence;      /* 0.95: intervals and the cap's quantiles */
	int64_t min_cell;       /* 10 */
	size_t weight_count;
	tact_dose_weight *weights;
	int64_t max_exposures;  /* -1: the max_quantile of the counts */
	double max_quantile;    /* 0.999 */
	size_t draws;           /* bootstrap draws for the cap (1000; 0 none) */
	unsigned long seed;     /* 1 */
} tact_dose_options;

/* Defaults as above, with the bins 0,1,2,3-5,6-10,11-. */
tact_status tact_dose_options_init(tact_dose_options *options,
                                   tact_error *error);
void tact_dose_options_release(tact_dose_options *options);

/* "--bins 0,1,2,3-5,6-10,11-" or "quantiles:K" (2 <= K <= 100).
 * TACT_USAGE for anything else, overlapping or unordered bins, an open
 * bin before the last. */
tact_status tact_dose_parse_bins(tact_dose_options *options,
                                 const char *text, tact_error *error);

/* "--weights converted=40,bounced=-0.5" (replaces earlier weights). */
tact_status tact_dose_parse_weights(tact_dose_options *options,
                                    const char *text, tact_error *error);

/* "--arms all", "--arms treated" (the default) or "--arms A,B". */
tact_status tact_dose_parse_arms(tact_dose_options *options,
                                 const char *text, tact_error *error);

/* "log", "linear" or "categorical". */
tact_status tact_dose_parse_transform(tact_dose_options *options,
                                      const char *text, tact_error *error);

/* "log", "linear", "categorical". */
const char *tact_dose_transform_name(tact_dose_transform transform);

/* One exposure count within a segment, the analysed arms added up. */
typedef struct tact_dose_cell {
	int64_t exposures;
	int64_t units;
	tact_moments *metrics;       /* per summary metric */
	tact_comoments *pairs;       /* per summary pair */
} tact_dose_cell;

typedef struct tact_dose_segment {
	char **labels;               /* per segment dimension; "(all)" pooled */
	int pooled;
	int suppressed;              /* fewer than min_cell units, or hidden so
	                                that smaller ones cannot be recovered */
	unsigned char *values_hidden; /* per outcome: its count of values
	                                 hidden (no fit) */
	int64_t units;
	size_t cell_count;
	tact_dose_cell *cells;       /* by exposure count, increasing */
} tact_dose_segment;

typedef enum tact_dose_fit_status {
	TACT_DOSE_FIT_OK,
	TACT_DOSE_FIT_SUPPRESSED,    /* fewer than min_cell values */
	TACT_DOSE_FIT_FAILED         /* note says why */
} tact_dose_fit_status;

typedef struct tact_dose_fit {
	size_t segment, metric;      /* metric: summary index */
	int logistic;                /* 1 logistic, 0 least squares */
	tact_dose_fit_status status;
	char note[TACT_ERROR_MESSAGE_MAX];
	int64_t n;                   /* values fitted */
	size_t parameters;           /* intercept + terms */
	size_t *term_bins;           /* categorical: term j >= 1 is bin
	                                term_bins[j]; term_bins[0] the reference */
	double *coefficients, *standard_errors, *z, *p_values;
	double *covariance;          /* parameters^2, row-major */
	size_t iterations;
	int converged;
	double log_likelihood;       /* logistic; NaN for least squares */
	double deviance;             /* residual deviance, or residual SS */
	double null_deviance;        /* intercept-only deviance, or total SS */
	double *curve, *curve_low, *curve_high; /* e = 0..max, NaN when the
	                                           categorical bin is unfitted */
} tact_dose_fit;

typedef struct tact_dose_bin_row {
	size_t segment, metric, bin;
	int suppressed;
	int64_t units, n;
	double mean_exposures, mean, low, high, fitted;
} tact_dose_bin_row;

typedef enum tact_dose_cap_status {
	TACT_DOSE_CAP_OK,
	TACT_DOSE_CAP_SUPPRESSED,    /* the segment has fewer than min_cell units */
	TACT_DOSE_CAP_FAILED         /* a weighted metric could not be fitted */
} tact_dose_cap_status;

typedef struct tact_dose_cap {
	size_t segment;
	tact_dose_cap_status status;
	char note[TACT_ERROR_MESSAGE_MAX];
	int64_t cap;                 /* -1 when not computed */
	int64_t cap_low, cap_high;   /* bootstrap quantiles; -1 without draws */
	double p_cap_zero;           /* share of draws whose cap is 0 */
	int at_max;                  /* cap == max: the curve still rises */
	double net_at_cap, net_at_zero;
	double gain, gain_low, gain_high; /* net(cap) - net(0) */
	size_t draws;
	int joint;                   /* 1 joint covariance, 0 independent */
	double *curve, *curve_low, *curve_high; /* net value, e = 0..max */
} tact_dose_cap;

typedef struct tact_dose_result {
	const tact_summary *summary; /* not owned */
	size_t dimensions;           /* segment dimensions (without exposures) */
	size_t exposure_metric;      /* its summary index */
	size_t arm_count;
	char **arms;                 /* analysed, byte order */
	int64_t units;               /* analysed units with an exposure count */
	int64_t missing_exposures;   /* analysed units without one */
	tact_dose_transform transform;
	double confidence;
	int64_t min_cell;
	unsigned long seed;
	size_t bin_count;
	tact_dose_bin *bins;
	int64_t max_exposures;       /* grid 0..max */
	int max_clamped;             /* the quantile exceeded the limit */
	size_t outcome_count;
	size_t *outcomes;            /* summary indices of the outcomes */
	size_t weight_count;
	size_t *weight_metrics;      /* summary indices */
	double *weights;
	size_t segment_count;
	tact_dose_segment *segments;
	size_t bin_row_count;
	tact_dose_bin_row *bin_rows; /* segment, outcome, bin */
	size_t fit_count;
	tact_dose_fit *fits;         /* segment, outcome */
	size_t cap_count;
	tact_dose_cap *caps;         /* per segment, with weights */
	size_t suppressed;           /* bins suppressed */
} tact_dose_result;

/*
 * Run the analysis.  summary: finished, its last dimension the exposure
 * count (named after an exposures metric).  result is released with
 * tact_dose_result_release (also after a failure).  Errors: TACT_DATA (no
 * exposure dimension, an exposure label that is not a count, no control
 * and no --arms, an arm that does not occur, no unit in the analysed
 * arms), TACT_USAGE (a weight on an unknown metric or on the exposures),
 * TACT_SOFTWARE (memory, GSL).
 */
tact_status tact_dose_run(const tact_summary *summary,
                          const tact_dose_options *options,
                          tact_dose_result *result, tact_error *error);
void tact_dose_result_release(tact_dose_result *result);

/* The bin's label: "3-5", "7", "11-". */
void tact_dose_bin_label(tact_dose_bin bin, char *out, size_t size);

/* The quantile bins of counts[i] units at exposures values[i] (increasing,
 * count entries): see the top of this file.  *bins is malloc'ed.
 * TACT_DATA when there are no units. */
tact_status tact_dose_quantile_bins(const int64_t *values,
                                    const int64_t *counts, size_t count,
                                    unsigned k, tact_dose_bin **bins,
                                    size_t *bin_count, tact_error *error);

/* The smallest value whose cumulative share reaches q (0 < q <= 1). */
int64_t tact_dose_quantile(const int64_t *values, const int64_t *counts,
                           size_t count, double q);

/* The smallest index of the largest non-NaN value of curve[0..length);
 * -1 when all are NaN. */
long tact_dose_argmax(const double *curve, size_t length);

/* Writers.  Tables: the CSV of the bins, fits, curve (each fitted metric
 * and the net value, e = 0..max) or caps; the terminal table and JSON hold
 * everything.  TACT_IOERR when out reports an error. */
typedef enum tact_dose_table {
	TACT_DOSE_TABLE_BINS,
	TACT_DOSE_TABLE_FITS,
	TACT_DOSE_TABLE_CURVE,
	TACT_DOSE_TABLE_CAPS
} tact_dose_table;

tact_status tact_dose_write_csv(const tact_dose_result *result,
                                tact_dose_table table, FILE *out,
                                tact_error *error);
tact_status tact_dose_write_table(const tact_dose_result *result, FILE *out,
                                  tact_error *error);
tact_status tact_dose_write_json(const tact_dose_result *result, FILE *out,
                                 tact_error *error);

#endif
