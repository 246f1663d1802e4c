/*
 * means.c - t interval, Welch's test and delta-method lift (see means.h).
 *
 * Methods and references:
 *   - Welch's test: B. L. Welch (1947), Biometrika 34:28-35; degrees of
 *     freedom of F. E. Satterthwaite (1946), Biometrics Bulletin 2:110-114:
 *     df = (v1 + v0)^2 / (v1^2 / (n1 - 1) + v0^2 / (n0 - 1)), v = s^2 / n.
 *   - Ratio of means by the delta method: e.g. A. Deng, U. Knoblich, J. Lu
 *     (2018), "Applying the Delta Method in Metric Analytics", KDD.
 *   - Fieller's interval for a ratio of independent means: E. C. Fieller
 *     (1954), JRSS B 16:175-185; with unequal variances and Welch's t as
 *     its critical value, it excludes a ratio of 1 exactly when Welch's
 *     test rejects.  Relative change against |control| as GrowthBook.
 *
 * Checked against SciPy and statsmodels: tests/expected/means.py.
 */
#include "means.h"
#include "numeric.h"

#include <float.h>
#include <stdbool.h>
#include <math.h>

#include <gsl/gsl_cdf.h>

tact_status tact_means_check(tact_means_sample sample, const char *role,
                             tact_error *error)
{
	if (!(isfinite(sample.count) && sample.count == floor(sample.count) &&
	      sample.count >= 2))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "%s needs a whole count of at least 2 values for a variance, got %.17g",
		                      role, sample.count);
	if (!isfinite(sample.mean))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "%s mean must be finite, got %.17g", role,
		                      sample.mean);
	if (!(isfinite(sample.variance) && sample.variance >= 0))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "%s variance must be finite and non-negative, got %.17g",
		                      role, sample.variance);
	return TACT_OK;
}

static tact_status check_confidence(double confidence, tact_error *error)
{
	if (!(confidence > 0 && confidence < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "confidence level must be between 0 and 1, got %.17g",
		                      confidence);
	return TACT_OK;
}

/* The t quantile with upper tail probability q.  (GSL's is good to about
 * 1e-15 here; SciPy 1.10's t.isf only to about 1e-9, see means.py.) */
static double t_quantile(double q, double df)
{
	return gsl_cdf_tdist_Qinv(q, df);
}

static tact_status check_pair(tact_means_sample arm,
                              tact_means_sample control, double confidence,
                              tact_error *error)
{
	tact_status status;

	if ((status = tact_means_check(arm, "arm", error)) != TACT_OK ||
	    (status = tact_means_check(control, "control", error)) != TACT_OK)
		return status;
	return check_confidence(confidence, error);
}

tact_status tact_means_t_interval(tact_means_sample sample, double confidence,
                                  double *lower, double *upper,
                                  tact_error *error)
{
	double half_width;
	tact_status status;

	*lower = *upper = NAN;
	if ((status = tact_means_check(sample, "group", error)) != TACT_OK ||
	    (status = check_confidence(confidence, error)) != TACT_OK)
		return status;
	half_width = t_quantile((1 - confidence) / 2, sample.count - 1) *
	             sqrt(sample.variance / sample.count);
	*lower = sample.mean - half_width;
	*upper = sample.mean + half_width;
	return TACT_OK;
}

tact_status tact_means_welch(tact_means_sample arm, tact_means_sample control,
                             double confidence,
                             tact_means_welch_result *result,
                             tact_error *error)
{
	double v1, v0, se, df, t, half_width;
	tact_status status;

	result->difference = result->lower = result->upper = NAN;
	result->statistic = result->df = result->p_value = NAN;
	if ((status = check_pair(arm, control, confidence, error)) != TACT_OK)
		return status;
	result->difference = arm.mean - control.mean;
	v1 = arm.variance / arm.count;
	v0 = control.variance / control.count;
	se = sqrt(v1 + v0);
	if (!(se > 0))
		return TACT_OK;
	df = (v1 + v0) * (v1 + v0) /
	     (v1 * v1 / (arm.count - 1) + v0 * v0 / (control.count - 1));
	t = result->difference / se;
	half_width = t_quantile((1 - confidence) / 2, df) * se;
	result->lower = result->difference - half_width;
	result->upper = result->difference + half_width;
	result->statistic = t;
	result->df = df;
	result->p_value = 2 * gsl_cdf_tdist_Q(fabs(t), df);
	return TACT_OK;
}

tact_status tact_means_lift(tact_means_sample arm, tact_means_sample control,
                            double confidence, double *lift, double *lower,
                            double *upper, tact_error *error)
{
	double m1 = arm.mean, m0 = control.mean, ratio, variance, half_width;
	tact_status status;

	*lift = *lower = *upper = NAN;
	if ((status = check_pair(arm, control, confidence, error)) != TACT_OK)
		return status;
	if (m0 == 0)
		return TACT_OK;
	ratio = m1 / m0;
	/* var(R) = (s1^2/n1 + R^2 s0^2/n0) / m0^2, the same as the contract's
	 * form but without m0^4, which could overflow or underflow. */
	variance = (arm.variance / arm.count +
	            ratio * ratio * control.variance / control.count) / m0 / m0;
	half_width = tact_numeric_z(confidence) * sqrt(variance);
	*lift = (m1 - m0) / m0;
	*lower = *lift - half_width;
	*upper = *lift + half_width;
	return TACT_OK;
}

const char *tact_means_lift_blank_reason(tact_means_lift_blank why)
{
	switch (why) {
	case TACT_MEANS_LIFT_ZERO_CONTROL:
		return "control mean is 0";
	case TACT_MEANS_LIFT_UNBOUNDED:
		return "control mean not distinguishable from 0";
	case TACT_MEANS_LIFT_NO_VARIANCE:
		return "no variance in either group";
	case TACT_MEANS_LIFT_SHOWN:
		break;
	}
	return "";
}

/*
 * The roots of T(L)^2 = crit^2, divided through by m0^2:
 *     A L^2 - 2 B L + C = 0,  A = 1 - crit^2 w0,  B = D + s crit^2 w0,
 *     C = D^2 - crit^2 (w1 + w0),
 * with D = d / |m0| and w = v / m0^2.  When A > 0, T falls from
 * |m0| / sqrt(v0) > crit (L -> -inf) to -|m0| / sqrt(v0) < -crit, so the
 * smaller root is where T = crit (the lower bound) and the larger where
 * T = -crit (the upper bound).  Each root is taken in the form that does
 * not cancel (the other through the product C / A).  Returns false when
 * A <= 0 (unbounded).
 */
static bool fieller_root(double difference, double sign, double w1,
                         double w0, double crit, bool upper, double *root)
{
	double c2 = crit * crit;
	double a = 1 - c2 * w0, b = difference + sign * c2 * w0;
	double c = difference * difference - c2 * (w1 + w0);
	double q;

	if (!(a > 0))
		return false;
	q = sqrt(fmax(0, b * b - a * c));
	if (upper)
		*root = b >= 0 ? (b + q) / a : c / (b - q);
	else
		*root = b <= 0 ? (b - q) / a : c / (b + q);
	return true;
}

tact_status tact_means_fieller(tact_means_sample arm,
                               tact_means_sample control, double crit_lower,
                               double crit_upper, int nonnegative,
                               double *lift, double *lower, double *upper,
                               tact_means_lift_blank *why, tact_error *error)
{
	double m1 = arm.mean, m0 = control.mean, scale, sign;
	double v1, v0, t, relative, w1, w0;
	tact_means_lift_blank reason = TACT_MEANS_LIFT_SHOWN;
	tact_status status;

	*lift = *lower = *upper = NAN;
	if (why)
		*why = TACT_MEANS_LIFT_SHOWN;
	if ((status = tact_means_check(arm, "arm", error)) != TACT_OK ||
	    (status = tact_means_check(control, "control", error)) != TACT_OK)
		return status;
	if (!(crit_lower > 0))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "critical value for the lower bound must be positive, got %.17g",
		                      crit_lower);
	if (!(crit_upper > 0))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "critical value for the upper bound must be positive, got %.17g",
		                      crit_upper);
	if (nonnegative && (m1 < 0 || m0 < 0))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "a metric that cannot be negative has a negative mean, %.17g",
		                      m1 < 0 ? m1 : m0);
	if (m0 == 0) {
		if (why)
			*why = TACT_MEANS_LIFT_ZERO_CONTROL;
		return TACT_OK;
	}
	scale = fabs(m0);
	sign = m0 > 0 ? 1 : -1;
	*lift = (m1 - m0) / scale;
	/* Welch's t, written as tact_means_welch writes it. */
	v1 = arm.variance / arm.count;
	v0 = control.variance / control.count;
	if (!(sqrt(v1 + v0) > 0)) {
		if (why)
			*why = TACT_MEANS_LIFT_NO_VARIANCE;
		return TACT_OK;
	}
	t = (m1 - m0) / sqrt(v1 + v0);
	relative = *lift;
	w1 = v1 / scale / scale;
	w0 = v0 / scale / scale;
	if (isinf(crit_lower))
		*lower = -INFINITY;
	else if (!fieller_root(relative, sign, w1, w0, crit_lower, false, lower) ||
	         !isfinite(*lower))
		reason = TACT_MEANS_LIFT_UNBOUNDED;
	if (isinf(crit_upper))
		*upper = INFINITY;
	else if (!fieller_root(relative, sign, w1, w0, crit_upper, true, upper) ||
	         !isfinite(*upper))
		reason = TACT_MEANS_LIFT_UNBOUNDED;
	if (reason != TACT_MEANS_LIFT_SHOWN) {
		*lower = *upper = NAN;
		if (why)
			*why = reason;
		return TACT_OK;
	}
	/* Exclusion of 0 follows t, not the rounding of the roots. */
	if (t > crit_lower && !(*lower > 0))
		*lower = DBL_TRUE_MIN;
	else if (!(t > crit_lower) && *lower > 0)
		*lower = 0;
	if (t < -crit_upper && !(*upper < 0))
		*upper = -DBL_TRUE_MIN;
	else if (!(t < -crit_upper) && *upper < 0)
		*upper = 0;
	if (nonnegative) {
		*lower = fmax(*lower, -1);
		*upper = fmax(*upper, -1);
	}
	return TACT_OK;
}
