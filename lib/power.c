/*
 * power.c - sample size and minimum detectable effect (see power.h).
 *
 * The power of the two-sided test depends on the data only through
 * x = |effect size| sqrt(n_eff), n_eff = n_control n_arm / (n_control +
 * n_arm).  So both questions reduce to one root: the x at which
 * Q(z - x) + P(-z - x) equals the wanted power, found with GSL's Brent
 * solver; then n_eff = (x / effect size)^2, or effect size = x /
 * sqrt(n_eff).  The second term (rejecting in the wrong direction) is
 * what makes this differ from the textbook (z_{1-alpha/2} + z_power)^2
 * formula; statsmodels includes it too.
 *
 * References: J. Cohen (1988), Statistical Power Analysis for the
 * Behavioral Sciences, 2nd ed., chapters 2 (d) and 6 (h = difference of
 * 2 asin sqrt(p)); statsmodels.stats.power.NormalIndPower.
 *
 * Checked against statsmodels: tests/expected/power.py.
 */
#include "power.h"

#include <float.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "numeric.h"

typedef struct power_target {
	double z;     /* z_{1 - alpha/2} */
	double power; /* wanted power */
} power_target;

static double power_gap(double x, void *params)
{
	const power_target *t = params;

	return gsl_cdf_ugaussian_Q(t->z - x) + gsl_cdf_ugaussian_P(-t->z - x) -
	       t->power;
}

static tact_status check_design(double alpha, double power, double ratio,
                                tact_error *error)
{
	if (!(alpha > 0 && alpha < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "significance level must be between 0 and 1, got %.17g",
		                      alpha);
	if (!(power > alpha && power < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "power must be between the significance level (%.15g) and 1, got %.17g",
		                      alpha, power);
	if (!(isfinite(ratio) && ratio > 0))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "allocation ratio must be a positive number, got %.17g",
		                      ratio);
	return TACT_OK;
}

/*
 * The x = |effect size| sqrt(n_eff) at which the test has the wanted
 * power.  power_gap is increasing in x >= 0, below 0 at x = 0 (where it is
 * alpha - power) and at least 0 at z + z_power (the first term alone
 * reaches the power there): a bracket for Brent's method.
 */
static tact_status noncentrality(double alpha, double power, double *x,
                                 tact_error *error)
{
	power_target target;
	gsl_function function;
	gsl_root_fsolver *solver;
	double low = 0, high;
	int status, iteration = 0;

	target.z = gsl_cdf_ugaussian_Qinv(alpha / 2);
	target.power = power;
	high = target.z + gsl_cdf_ugaussian_Pinv(power);
	if (power_gap(high, &target) == 0) {
		*x = high;
		return TACT_OK;
	}
	function.function = power_gap;
	function.params = &target;
	solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!solver)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory for the power equation's solver");
	status = gsl_root_fsolver_set(solver, &function, low, high);
	while (status == GSL_SUCCESS) {
		status = gsl_root_fsolver_iterate(solver);
		if (status != GSL_SUCCESS)
			break;
		low = gsl_root_fsolver_x_lower(solver);
		high = gsl_root_fsolver_x_upper(solver);
		status = gsl_root_test_interval(low, high, 0, 4 * DBL_EPSILON);
		if (status == GSL_SUCCESS)
			break;
		if (status == GSL_CONTINUE && ++iteration < 200)
			status = GSL_SUCCESS;
		else if (status == GSL_CONTINUE)
			status = GSL_EMAXITER;
	}
	*x = gsl_root_fsolver_root(solver);
	gsl_root_fsolver_free(solver);
	return tact_numeric_check(status, "solving the power equation", error);
}

/* n_control from the effective size: n_eff = n_c r n_c / (n_c + r n_c). */
static void split(double effective, double ratio, double *n_control,
                  double *n_arm)
{
	*n_control = effective * (1 + ratio) / ratio;
	*n_arm = ratio * *n_control;
}

static double effective_size(double n_control, double ratio)
{
	return n_control * ratio / (1 + ratio);
}

static tact_status check_rate(double baseline, tact_error *error)
{
	if (!(baseline >= 0 && baseline <= 1))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "baseline rate must be between 0 and 1, got %.17g",
		                      baseline);
	return TACT_OK;
}

tact_status tact_power_proportions_sample_size(double baseline, double effect,
                                               tact_power_effect kind,
                                               double alpha, double power,
                                               double ratio,
                                               double *n_control,
                                               double *n_arm,
                                               tact_error *error)
{
	double target, h, x;
	tact_status status;

	*n_control = *n_arm = NAN;
	if ((status = check_rate(baseline, error)) != TACT_OK ||
	    (status = check_design(alpha, power, ratio, error)) != TACT_OK)
		return status;
	target = kind == TACT_POWER_RELATIVE ? baseline * (1 + effect)
	                                     : baseline + effect;
	if (!(target >= 0 && target <= 1) || target == baseline)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "effect %.17g must move the baseline rate %.17g to another rate between 0 and 1",
		                      effect, baseline);
	h = 2 * asin(sqrt(target)) - 2 * asin(sqrt(baseline));
	if ((status = noncentrality(alpha, power, &x, error)) != TACT_OK)
		return status;
	split((x / h) * (x / h), ratio, n_control, n_arm);
	return TACT_OK;
}

static tact_status check_units(double n_control, tact_error *error)
{
	if (!(isfinite(n_control) && n_control > 0))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "control size must be a positive number, got %.17g",
		                      n_control);
	return TACT_OK;
}

tact_status tact_power_proportions_mde(double baseline, double n_control,
                                       double alpha, double power,
                                       double ratio,
                                       tact_power_direction direction,
                                       double *absolute, double *relative,
                                       tact_error *error)
{
	double x, half_h, angle, target;
	tact_status status;

	*absolute = *relative = NAN;
	if ((status = check_rate(baseline, error)) != TACT_OK ||
	    (status = check_units(n_control, error)) != TACT_OK ||
	    (status = check_design(alpha, power, ratio, error)) != TACT_OK ||
	    (status = noncentrality(alpha, power, &x, error)) != TACT_OK)
		return status;
	half_h = x / sqrt(effective_size(n_control, ratio)) / 2;
	angle = asin(sqrt(baseline)) +
	        (direction == TACT_POWER_DECREASE ? -half_h : half_h);
	/* Past 0 or pi/2 no rate is far enough: not detectable. */
	if (angle < 0 || angle > asin(1.0))
		return TACT_OK;
	target = sin(angle) * sin(angle);
	*absolute = target - baseline;
	if (baseline > 0)
		*relative = *absolute / baseline;
	return TACT_OK;
}

static tact_status check_spread(double baseline_mean, double sd,
                                tact_error *error)
{
	if (!isfinite(baseline_mean))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "baseline mean must be finite, got %.17g",
		                      baseline_mean);
	if (!(isfinite(sd) && sd > 0))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "standard deviation must be a positive number, got %.17g",
		                      sd);
	return TACT_OK;
}

tact_status tact_power_means_sample_size(double baseline_mean, double sd,
                                         double effect,
                                         tact_power_effect kind, double alpha,
                                         double power, double ratio,
                                         double *n_control, double *n_arm,
                                         tact_error *error)
{
	double delta, d, x;
	tact_status status;

	*n_control = *n_arm = NAN;
	if ((status = check_spread(baseline_mean, sd, error)) != TACT_OK ||
	    (status = check_design(alpha, power, ratio, error)) != TACT_OK)
		return status;
	if (kind == TACT_POWER_RELATIVE && baseline_mean == 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "a relative effect needs a non-zero baseline mean");
	delta = kind == TACT_POWER_RELATIVE ? effect * baseline_mean : effect;
	if (!(isfinite(delta) && delta != 0))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "effect must be a non-zero number, got %.17g",
		                      effect);
	d = delta / sd;
	if ((status = noncentrality(alpha, power, &x, error)) != TACT_OK)
		return status;
	split((x / d) * (x / d), ratio, n_control, n_arm);
	return TACT_OK;
}

tact_status tact_power_means_mde(double baseline_mean, double sd,
                                 double n_control, double alpha, double power,
                                 double ratio, double *absolute,
                                 double *relative, tact_error *error)
{
	double x;
	tact_status status;

	*absolute = *relative = NAN;
	if ((status = check_spread(baseline_mean, sd, error)) != TACT_OK ||
	    (status = check_units(n_control, error)) != TACT_OK ||
	    (status = check_design(alpha, power, ratio, error)) != TACT_OK ||
	    (status = noncentrality(alpha, power, &x, error)) != TACT_OK)
		return status;
	*absolute = x / sqrt(effective_size(n_control, ratio)) * sd;
	if (baseline_mean != 0)
		*relative = *absolute / fabs(baseline_mean);
	return TACT_OK;
}
