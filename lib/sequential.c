/*
 * sequential.c - always-valid intervals and p-values (see sequential.h).
 */
#include "sequential.h"

#include <math.h>

tact_status tact_sequential_rho(double alpha, double tuning,
                                tact_sequential_side side, double *rho,
                                tact_error *error)
{
	/* Eq. 161 of Waudby-Smith et al.: the rho that makes the boundary
	 * tightest at tuning units; a one-sided sequence uses 2 alpha. */
	const double a = side == TACT_SEQUENTIAL_TWO_SIDED ? alpha : 2 * alpha;
	double l;

	*rho = NAN;
	if (!(alpha > 0 && a < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "sequential tests need an alpha between 0 and "
		                      "%s", side == TACT_SEQUENTIAL_TWO_SIDED ? "1"
		                                                             : "0.5");
	if (!(tuning > 0) || !isfinite(tuning))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--tuning must be a positive number of units");
	l = -2 * log(a);
	*rho = sqrt((l + log(l + 1)) / tuning);
	return TACT_OK;
}

double tact_sequential_multiplier(double n, double rho, double a,
                                  tact_sequential_side side)
{
	const double nr2 = n * rho * rho, t = nr2 + 1;
	double l;

	if (!(n > 0 && rho > 0 && a > 0 && a < 1) || !isfinite(nr2))
		return NAN;
	/* s2 = SE^2 n: sqrt(s2) / (n rho) = SE / sqrt(n rho^2), so SE factors
	 * out of the half-width. */
	l = side == TACT_SEQUENTIAL_TWO_SIDED ? log(sqrt(t) / a)
	                                      : log1p(sqrt(t) / (2 * a));
	return sqrt(2 * t * l / nr2);
}

double tact_sequential_p_value(double estimate, double se, double n,
                               double rho, tact_sequential_side side)
{
	const double nr2 = n * rho * rho, t = nr2 + 1;
	double toward, x, log_p;

	if (!(n > 0 && rho > 0 && se >= 0) || !isfinite(estimate) ||
	    !isfinite(se) || !isfinite(nr2))
		return NAN;
	toward = side == TACT_SEQUENTIAL_GREATER ? estimate
	         : side == TACT_SEQUENTIAL_LESS  ? -estimate
	                                         : fabs(estimate);
	if (!(toward > 0))
		return 1;
	if (se == 0)
		return 0;
	/* rho^2 S_t^2 / (2 T) with S_t^2 = n z^2 (GrowthBook's st2). */
	x = nr2 * (estimate / se) * (estimate / se) / (2 * t);
	if (side == TACT_SEQUENTIAL_TWO_SIDED) {
		/* 1 / e-value, in logs: exp(x) overflows long before p
		 * underflows. */
		log_p = 0.5 * log(t) - x;
		return log_p >= 0 ? 1 : exp(log_p);
	}
	/* The a solving log(1 + sqrt(T) / (2 a)) = x. */
	x = sqrt(t) / (2 * expm1(x));
	return x > 1 ? 1 : x;
}

tact_status tact_sequential_test(double estimate, double se, double n,
                                 double a, double rho,
                                 tact_sequential_side side,
                                 tact_sequential_result *result,
                                 tact_error *error)
{
	result->multiplier = result->half_width = NAN;
	result->low = result->high = result->p_value = NAN;
	if (!(n > 0 && rho > 0 && a > 0 && a < 1) || !isfinite(n * rho * rho))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "a sequential test needs units, rho > 0 and a "
		                      "level between 0 and 1");
	if (!isfinite(estimate) || !isfinite(se) || se < 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "a sequential test needs a finite estimate and "
		                      "standard error");
	result->multiplier = tact_sequential_multiplier(n, rho, a, side);
	result->half_width = result->multiplier * se;
	result->low = side == TACT_SEQUENTIAL_LESS ? -INFINITY
	                                           : estimate - result->half_width;
	result->high = side == TACT_SEQUENTIAL_GREATER
	                       ? INFINITY
	                       : estimate + result->half_width;
	result->p_value = tact_sequential_p_value(estimate, se, n, rho, side);
	return TACT_OK;
}
