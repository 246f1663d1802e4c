/*
 * cuped.c - CUPED: theta, the adjusted means and variances per arm, and
 * tact-frontier's adjusted net value (see cuped.h).
 */
#include "cuped.h"

#include <math.h>
#include <string.h>

/* The sum of squared deviations of x over the n units where the metric is
 * present (cuped.h: exact when it is present for every unit). */
static double covariate_m2(const tact_cuped_arm *arm)
{
	if (arm->x.n == arm->y.n || arm->x.n < 2)
		return arm->x.m2;
	return arm->x.m2 / (double)(arm->x.n - 1) * (double)(arm->y.n - 1);
}

/* The adjusted sample of one arm. */
static tact_means_sample adjusted(const tact_cuped_arm *arm, double theta,
                                  double x_bar)
{
	const double n = (double)arm->y.n;
	const double x_arm = arm->xy.sum_b / n;
	double m2 = arm->y.m2 - 2 * theta * arm->xy.c +
	            theta * theta * covariate_m2(arm);
	tact_means_sample s;

	s.count = n;
	s.mean = arm->y.sum / n - theta * (x_arm - x_bar);
	/* Rounding can take a perfect fit a hair below 0. */
	s.variance = arm->y.n < 2 ? NAN : fmax(m2, 0) / (n - 1);
	return s;
}

static tact_means_sample raw(const tact_cuped_arm *arm)
{
	tact_means_sample s;

	s.count = (double)arm->y.n;
	s.mean = tact_moments_mean(arm->y);
	s.variance = tact_moments_variance(arm->y);
	return s;
}

tact_status tact_cuped_adjust(const tact_cuped_arm *arm,
                              const tact_cuped_arm *control,
                              tact_cuped_result *result, tact_error *error)
{
	tact_comoments both;
	tact_moments xa, xc, x;
	double raw_var, adjusted_var;

	if (arm->y.n == 0 || control->y.n == 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "CUPED needs a value in each arm");
	/* Both arms' co-moment and spread of x, by Chan's formulas. */
	both = tact_comoments_combine(arm->xy, control->xy);
	xa.n = arm->y.n;
	xa.sum = arm->xy.sum_b;
	xa.m2 = covariate_m2(arm);
	xc.n = control->y.n;
	xc.sum = control->xy.sum_b;
	xc.m2 = covariate_m2(control);
	x = tact_moments_combine(xa, xc);
	result->theta = x.m2 > 0 && isfinite(both.c) ? both.c / x.m2 : 0;
	result->covariate_mean = x.sum / (double)x.n;
	result->arm = adjusted(arm, result->theta, result->covariate_mean);
	result->control = adjusted(control, result->theta, result->covariate_mean);
	result->raw_arm = raw(arm);
	result->raw_control = raw(control);
	raw_var = result->raw_arm.variance / result->raw_arm.count +
	          result->raw_control.variance / result->raw_control.count;
	adjusted_var = result->arm.variance / result->arm.count +
	               result->control.variance / result->control.count;
	result->variance_reduction = raw_var > 0 && isfinite(adjusted_var)
	                                     ? 1 - adjusted_var / raw_var
	                                     : NAN;
	return TACT_OK;
}

void tact_cuped_gather(const tact_segments *cells, size_t s, size_t a,
                       size_t m, size_t k, tact_cuped_arm *out)
{
	const tact_comoments *pair = tact_segments_pair(
		cells, s, a, tact_summary_pair(cells->summary, m, k));

	out->y = *tact_segments_metric(cells, s, a, m);
	out->x = *tact_segments_metric(cells, s, a, k);
	out->xy = *pair;
	if (k < m) { /* the pair holds the earlier metric first */
		out->xy.sum_a = pair->sum_b;
		out->xy.sum_b = pair->sum_a;
	}
}

tact_status tact_cuped_row(const tact_segments *cells, size_t s, size_t a,
                           size_t m, tact_cuped_result *result,
                           tact_error *error)
{
	const tact_summary *summary = cells->summary;
	size_t k = summary->covariate_of ? summary->covariate_of[m]
	                                 : TACT_NO_COLUMN;
	tact_cuped_arm arm, control;

	if (k == TACT_NO_COLUMN)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "metric '%s' has no covariate",
		                      summary->metrics[m].name);
	tact_cuped_gather(cells, s, a, m, k, &arm);
	tact_cuped_gather(cells, s, 0, m, k, &control);
	return tact_cuped_adjust(&arm, &control, result, error);
}

/* ---- tact-frontier ------------------------------------------------- */

/* Cov(mean_u, mean_v) in group (s, g), as frontier.c computes it. */
static double mean_cov(const tact_segments *cells, size_t s, size_t g,
                       size_t u, size_t v)
{
	const tact_moments *mu = tact_segments_metric(cells, s, g, u);
	const tact_moments *mv = tact_segments_metric(cells, s, g, v);
	const tact_comoments *c;

	if (u == v)
		return mu->n < 2 ? 0 : tact_moments_variance(*mu) / (double)mu->n;
	c = tact_segments_pair(cells, s, g, tact_summary_pair(cells->summary, u, v));
	if (c->n < 2)
		return 0;
	return c->c / (double)(c->n - 1) * (double)c->n /
	       ((double)mu->n * (double)mv->n);
}

/* The adjusted covariance of the means of k and l in group (s, g);
 * theta[k] is 0 for a metric without a covariate. */
static double adjusted_cov(const tact_segments *cells, size_t s, size_t g,
                           size_t k, size_t l, const double *theta,
                           double raw)
{
	const size_t *of = cells->summary->covariate_of;
	double value = raw;

	if (theta[l] != 0)
		value -= theta[l] * mean_cov(cells, s, g, k, of[l]);
	if (theta[k] != 0)
		value -= theta[k] * mean_cov(cells, s, g, of[k], l);
	if (theta[k] != 0 && theta[l] != 0)
		value += theta[k] * theta[l] * mean_cov(cells, s, g, of[k], of[l]);
	return value;
}

/* One group's adjusted means and covariance matrix, in place. */
static void adjust_group(const tact_segments *cells, size_t s, size_t g,
                         const double *weights, int ignore_covariance,
                         const double *theta, const double *x_bar,
                         double *means, double *cov)
{
	const tact_summary *summary = cells->summary;
	const size_t m = summary->metric_count;
	size_t k, l;

	for (k = 0; k < m; k++) {
		tact_cuped_arm arm;
		if (weights[k] == 0 || theta[k] == 0)
			continue;
		tact_cuped_gather(cells, s, g, k, summary->covariate_of[k], &arm);
		means[k] -= theta[k] * (arm.xy.sum_b / (double)arm.y.n - x_bar[k]);
	}
	for (k = 0; k < m; k++)
		for (l = 0; l < m; l++) {
			if (weights[k] == 0 || weights[l] == 0 ||
			    (theta[k] == 0 && theta[l] == 0) ||
			    (k != l && ignore_covariance))
				continue;
			cov[k * m + l] = adjusted_cov(cells, s, g, k, l, theta,
			                              cov[k * m + l]);
		}
}

void tact_cuped_frontier(const tact_segments *cells, size_t s, size_t a,
                         const double *weights, int ignore_covariance,
                         double *means0, double *cov0, double *means1,
                         double *cov1)
{
	const tact_summary *summary = cells->summary;
	const size_t m = summary->metric_count;
	double theta[64], x_bar[64];
	size_t k;

	/* Frontier weighs few metrics; past 64, no adjustment is safer than
	 * an allocation that could fail in a void function. */
	if (!tact_summary_has_covariates(summary) || m > 64)
		return;
	for (k = 0; k < m; k++) {
		tact_cuped_result r;
		theta[k] = x_bar[k] = 0;
		if (weights[k] == 0 || summary->covariate_of[k] == TACT_NO_COLUMN ||
		    tact_cuped_row(cells, s, a, k, &r, NULL) != TACT_OK)
			continue;
		theta[k] = r.theta;
		x_bar[k] = r.covariate_mean;
	}
	adjust_group(cells, s, 0, weights, ignore_covariance, theta, x_bar, means0,
	             cov0);
	adjust_group(cells, s, a, weights, ignore_covariance, theta, x_bar, means1,
	             cov1);
}
