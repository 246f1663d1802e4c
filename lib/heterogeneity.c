/*
 * heterogeneity.c - Cochran's Q, I^2 and the Gail-Simon test (see
 * heterogeneity.h).
 */
#include "heterogeneity.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>

#include "numeric.h"

#define ROOT_MAX_ITERATIONS 200
#define ROOT_RELATIVE_TOLERANCE 1e-12

/*
 * weights[h - 1] = Binomial(h; n, 1/2) for h = 1..n, the mixing weights of
 * the Gail-Simon null distribution (n = K - 1).  Computed in logs so that
 * C(n, h) / 2^n neither overflows nor underflows early for large n.
 */
static tact_status binomial_half_weights(size_t n, double *weights,
                                         tact_error *error)
{
	size_t h;

	for (h = 1; h <= n; h++) {
		gsl_sf_result log_choose;

		if (tact_numeric_check(gsl_sf_lnchoose_e((unsigned)n, (unsigned)h,
		                                         &log_choose),
		                       "Gail-Simon binomial weights",
		                       error) != TACT_OK)
			return TACT_SOFTWARE;
		weights[h - 1] = exp(log_choose.val - (double)n * M_LN2);
	}
	return TACT_OK;
}

/* sum_h weights[h-1] * P(chi-square_h > c): each term an upper tail, so
 * small p-values keep their relative accuracy. */
static double gail_simon_tail(double c, size_t n, const double *weights)
{
	double p = 0;
	size_t h;

	for (h = 1; h <= n; h++)
		p += weights[h - 1] * gsl_cdf_chisq_Q(c, (double)h);
	return p;
}

static tact_status check_segments(size_t segments, tact_error *error)
{
	if (segments < 2)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "at least 2 segments are needed to compare "
		                      "effects across segments, got %zu", segments);
	/* gsl_sf_lnchoose_e takes unsigned ints. */
	if (segments - 1 > 0xFFFFFFFFu)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "too many segments (%zu)", segments);
	return TACT_OK;
}

/* The weights for K segments, allocated (K - 1 values); NULL on failure. */
static double *gail_simon_weights(size_t segments, tact_error *error)
{
	double *weights = malloc((segments - 1) * sizeof *weights);

	if (!weights) {
		tact_error_oom(error);
		return NULL;
	}
	if (binomial_half_weights(segments - 1, weights, error) != TACT_OK) {
		free(weights);
		return NULL;
	}
	return weights;
}

tact_status tact_heterogeneity_gail_simon_p_value(double statistic,
                                                  size_t segments,
                                                  double *p_value,
                                                  tact_error *error)
{
	double *weights;
	tact_status status = check_segments(segments, error);

	if (status != TACT_OK)
		return status;
	if (!(statistic >= 0))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "the Gail-Simon statistic must be a "
		                      "non-negative number, got %g", statistic);
	weights = gail_simon_weights(segments, error);
	if (!weights)
		return TACT_SOFTWARE;
	*p_value = isinf(statistic) ? 0.0
	                            : gail_simon_tail(statistic, segments - 1,
	                                              weights);
	free(weights);
	return TACT_OK;
}

typedef struct root_parameters {
	size_t n;
	const double *weights;
	double alpha;
} root_parameters;

static double root_function(double c, void *parameters)
{
	const root_parameters *r = parameters;

	return gail_simon_tail(c, r->n, r->weights) - r->alpha;
}

tact_status tact_heterogeneity_gail_simon_critical_value(size_t segments,
                                                         double alpha,
                                                         double *critical_value,
                                                         tact_error *error)
{
	root_parameters parameters;
	gsl_function function;
	gsl_root_fsolver *solver;
	double *weights, low = 0, high = 1, largest;
	size_t iteration;
	int gsl_status = GSL_CONTINUE;
	tact_status status = check_segments(segments, error);

	if (status != TACT_OK)
		return status;
	/* At c = 0 every chi-square tail is 1: the largest p-value. */
	largest = -expm1(-(double)(segments - 1) * M_LN2);
	if (!(alpha > 0 && alpha < largest))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the level of the Gail-Simon test with %zu "
		                      "segments must lie strictly between 0 and %g, "
		                      "got %g", segments, largest, alpha);
	weights = gail_simon_weights(segments, error);
	if (!weights)
		return TACT_SOFTWARE;
	parameters.n = segments - 1;
	parameters.weights = weights;
	parameters.alpha = alpha;
	/* The tail decreases from `largest` at 0 to 0: bracket the root. */
	while (gail_simon_tail(high, segments - 1, weights) > alpha) {
		low = high;
		high *= 2;
		if (!isfinite(high)) {
			free(weights);
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "Gail-Simon critical value: no bracket "
			                      "for level %g", alpha);
		}
	}
	solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!solver) {
		free(weights);
		return tact_error_oom(error);
	}
	function.function = root_function;
	function.params = &parameters;
	status = tact_numeric_check(gsl_root_fsolver_set(solver, &function, low,
	                                                 high),
	                            "Gail-Simon critical value", error);
	for (iteration = 0; status == TACT_OK && gsl_status == GSL_CONTINUE &&
	                    iteration < ROOT_MAX_ITERATIONS; iteration++) {
		status = tact_numeric_check(gsl_root_fsolver_iterate(solver),
		                            "Gail-Simon critical value", error);
		if (status != TACT_OK)
			break;
		low = gsl_root_fsolver_x_lower(solver);
		high = gsl_root_fsolver_x_upper(solver);
		gsl_status = gsl_root_test_interval(low, high, 0,
		                                    ROOT_RELATIVE_TOLERANCE);
	}
	if (status == TACT_OK && gsl_status != GSL_SUCCESS)
		status = tact_numeric_check(gsl_status == GSL_CONTINUE
		                            ? GSL_EMAXITER : gsl_status,
		                            "Gail-Simon critical value", error);
	if (status == TACT_OK)
		*critical_value = gsl_root_fsolver_root(solver);
	gsl_root_fsolver_free(solver);
	free(weights);
	return status;
}

tact_status tact_heterogeneity_test(const double *effects,
                                    const double *standard_errors,
                                    size_t segments,
                                    tact_heterogeneity_result *result,
                                    tact_error *error)
{
	double sum_weights = 0, sum_weighted = 0, pooled, q = 0;
	double positive = 0, negative = 0, p;
	size_t i, df;
	tact_status status = check_segments(segments, error);

	if (status != TACT_OK)
		return status;
	for (i = 0; i < segments; i++) {
		double d = effects[i], s = standard_errors[i], w, z;

		if (!isfinite(d))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "segment %zu: the effect must be a finite "
			                      "number, got %g", i + 1, d);
		if (!isfinite(s) || !(s > 0))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "segment %zu: the standard error must be a "
			                      "positive number, got %g", i + 1, s);
		w = 1.0 / (s * s);
		z = d / s;
		if (!isfinite(w) || !isfinite(z * z))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "segment %zu: the effect %g with standard "
			                      "error %g is too extreme to weigh",
			                      i + 1, d, s);
		sum_weights += w;
		sum_weighted += w * d;
		if (d > 0)
			positive += z * z;
		else if (d < 0)
			negative += z * z;
	}
	pooled = sum_weighted / sum_weights;
	for (i = 0; i < segments; i++) {
		double r = (effects[i] - pooled) / standard_errors[i];

		q += r * r;
	}
	if (!isfinite(sum_weights) || !isfinite(pooled) || !isfinite(q) ||
	    !isfinite(positive) || !isfinite(negative))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "the effects and standard errors are too "
		                      "extreme to combine (the weighted sums "
		                      "overflow)");
	df = segments - 1;
	status = tact_heterogeneity_gail_simon_p_value(
		positive < negative ? positive : negative, segments, &p, error);
	if (status != TACT_OK)
		return status;
	result->segments = segments;
	result->pooled_effect = pooled;
	result->pooled_standard_error = 1.0 / sqrt(sum_weights);
	result->q = q;
	result->degrees_of_freedom = df;
	result->q_p_value = gsl_cdf_chisq_Q(q, (double)df);
	result->i_squared = q > (double)df ? (q - (double)df) / q : 0.0;
	result->q_positive = positive;
	result->q_negative = negative;
	result->gail_simon_statistic = positive < negative ? positive : negative;
	result->gail_simon_p_value = p;
	return TACT_OK;
}
