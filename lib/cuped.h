/*
 * cuped.h - CUPED (Deng, Xu, Kohavi and Walker 2013): a metric adjusted by
 * a pre-experiment covariate, from a summary's sufficient statistics.
 *
 * For one segment and one pair of arms (an arm and the control), over the
 * units of both arms where the metric y is present:
 *   theta  = cov(x, y) / var(x), the pooled co-moment of x and y over the
 *            spread of x, both arms' figures merged by Chan's formulas
 *            (the pooled co-moment includes the between-arm term, as the
 *            covariance over the two arms' units together does);
 *   x_bar  = the mean of x over those units of both arms;
 *   y'     = y - theta (x - x_bar), each unit's adjusted value.
 * Per arm the adjusted sample has the arm's count, the mean
 * y_bar - theta (x_bar_arm - x_bar) and the sample variance
 * (m2_y - 2 theta c_xy + theta^2 m2_x) / (n - 1): the sample variance of
 * the arm's adjusted values, exactly.  A test on the two adjusted samples
 * is Welch's test on the adjusted values.  theta is 0 (no adjustment) when
 * x does not vary.
 *
 * The covariate is present for every unit (a missing cell counts as 0,
 * summary.h).  When the metric is missing for some units of an arm, the
 * summary holds x's spread over all the arm's units, not over those with
 * the metric: m2_x is then taken as the variance over all units times
 * (n - 1), n the metric's count (x's mean over the metric's units is
 * exact, from the co-moment).
 *
 * variance_reduction = 1 - Var'(diff) / Var(diff), the variances of the
 * difference of the two means as Welch estimates them (v_arm / n_arm +
 * v_control / n_control), adjusted and raw.
 */
#ifndef TACT_CUPED_H
#define TACT_CUPED_H

#include <stddef.h>

#include "error.h"
#include "means.h"
#include "segments.h"
#include "summary.h"

/* One arm's figures: the metric, the covariate over the arm's units, and
 * their co-moment over the units where the metric is present. */
typedef struct tact_cuped_arm {
	tact_moments y;
	tact_moments x;
	tact_comoments xy;   /* sum_a: the metric's sum, sum_b: the covariate's */
} tact_cuped_arm;

typedef struct tact_cuped_result {
	double theta;
	double covariate_mean;        /* x_bar over both arms' metric units */
	tact_means_sample arm, control; /* adjusted; variance NaN under 2 */
	tact_means_sample raw_arm, raw_control;
	double variance_reduction;    /* NaN when either variance is undefined
	                                 or the raw one is 0 */
} tact_cuped_result;

/*
 * The adjusted samples of arm against control (see above).  Needs a
 * value in each arm: else TACT_DATA.
 */
tact_status tact_cuped_adjust(const tact_cuped_arm *arm,
                              const tact_cuped_arm *control,
                              tact_cuped_result *result, tact_error *error);

/* Arm a's figures of metric m and its covariate k in segment s. */
void tact_cuped_gather(const tact_segments *cells, size_t s, size_t a,
                       size_t m, size_t k, tact_cuped_arm *out);

/*
 * CUPED for metric m of segment s, arm a against the control (arm 0) of
 * cells, with the summary's covariate of m.  TACT_DATA when m has no
 * covariate or an arm has no value.
 */
tact_status tact_cuped_row(const tact_segments *cells, size_t s, size_t a,
                           size_t m, tact_cuped_result *result,
                           tact_error *error);

/*
 * tact-frontier's net value under CUPED: the means and the covariance
 * matrices of the means (m x m, as frontier.c builds them: cov[k * m + l]
 * = Cov(mean_k, mean_l), over the metrics of nonzero weight) of the
 * control (means0, cov0) and of arm a (means1, cov1) in segment s, turned
 * into those of the adjusted metrics, each metric with a covariate
 * adjusted by the theta of its (s, a) pair.  With x_k the covariate of
 * metric k (x_k = 0 for a metric without one):
 *   mean'_k       = mean_k - theta_k (x_bar_k,group - x_bar_k)
 *   Cov'(k, l)    = C(k, l) - theta_l C(k, x_l) - theta_k C(x_k, l)
 *                   + theta_k theta_l C(x_k, x_l)
 * where C(u, v) = Cov(mean_u, mean_v) = c_uv / (n_uv - 1) n_uv / (n_u n_v)
 * from the summary's cross co-moment of u and v (its variance over n for
 * u = v), as frontier.c computes it.  The off-diagonal entries are left
 * as they are when ignore_covariance.  Rows that cannot be adjusted (an
 * arm without values) are left raw.
 */
void tact_cuped_frontier(const tact_segments *cells, size_t s, size_t a,
                         const double *weights, int ignore_covariance,
                         double *means0, double *cov0, double *means1,
                         double *cov1);

#endif
