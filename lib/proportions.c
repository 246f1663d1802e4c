/*
 * proportions.c - intervals, lift and tests for rates (see proportions.h).
 *
 * Methods and references:
 *   - Wilson score interval: E. B. Wilson (1927), JASA 22:209-212.
 *   - Difference of rates: Newcombe's hybrid score interval, method 10 of
 *     R. G. Newcombe (1998), Statistics in Medicine 17:873-890.
 *   - Risk ratio: log (Katz) interval, D. Katz, J. Baptista, S. P. Azen,
 *     M. C. Pike (1978), Biometrics 34:469-474; var(log RR) =
 *     1/x1 - 1/n1 + 1/x0 - 1/n0.
 *   - Pooled two-proportion z-test (statsmodels' proportions_ztest).
 *   - Fisher's exact test, two-sided by summing the probabilities of the
 *     tables no more likely than the observed one (scipy's definition,
 *     with its relative tolerance 1e-14 for ties).
 *   - Non-inferiority score test for a ratio: O. Miettinen, M. Nurminen
 *     (1985), Statistics in Medicine 4:213-226; C. P. Farrington,
 *     G. Manning (1990), Statistics in Medicine 9:1447-1454.
 *
 * Checked against SciPy and statsmodels: tests/expected/proportions.py.
 */
#include "proportions.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

/* scipy.stats.fisher_exact counts a table as "as extreme" as the observed
 * one when its probability is at most (1 + 1e-14) times the observed one. */
#define FISHER_RELATIVE_TOLERANCE 1e-14

static bool is_whole_count(double value)
{
	return isfinite(value) && value >= 0 && value == floor(value);
}

tact_status tact_proportions_check(tact_proportions_sample sample,
                                   const char *role, tact_error *error)
{
	if (!is_whole_count(sample.trials))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "%s trials must be a non-negative whole number, got %.17g",
		                      role, sample.trials);
	if (!is_whole_count(sample.successes))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "%s successes must be a non-negative whole number, got %.17g",
		                      role, sample.successes);
	if (sample.successes > sample.trials)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "%s successes (%.17g) exceed its trials (%.17g)",
		                      role, sample.successes, sample.trials);
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

static tact_status check_pair(tact_proportions_sample arm,
                              tact_proportions_sample control,
                              tact_error *error)
{
	tact_status status = tact_proportions_check(arm, "arm", error);

	if (status != TACT_OK)
		return status;
	return tact_proportions_check(control, "control", error);
}

/* The two-sided critical value z_{1 - (1 - confidence) / 2}. */
static double critical_z(double confidence)
{
	return gsl_cdf_ugaussian_Qinv((1 - confidence) / 2);
}

/*
 * Wilson bounds for x of n (n > 0) with critical value z: the roots of
 * (n + z^2) p^2 - (2x + z^2) p + x^2 / n = 0.  The upper root is a sum of
 * positive terms; the lower one is taken from the product of the roots,
 * x^2 / (n (n + z^2)), which avoids the cancellation of "centre minus
 * half-width" for rare events in large groups.  Both keep their relative
 * precision, and the bounds are exactly 0 and 1 at x = 0 and x = n.
 */
static void wilson(double x, double n, double z, double *lower, double *upper)
{
	double z2 = z * z;
	double root = (2 * x + z2 + z * sqrt(z2 + 4 * x * (n - x) / n)) /
	              (2 * (n + z2));

	*upper = x == n ? 1 : root;
	*lower = x == 0 ? 0 : x * x / (n * (n + z2) * root);
}

tact_status tact_proportions_wilson(tact_proportions_sample sample,
                                    double confidence, double *lower,
                                    double *upper, tact_error *error)
{
	tact_status status;

	*lower = *upper = NAN;
	if ((status = tact_proportions_check(sample, "group", error)) != TACT_OK ||
	    (status = check_confidence(confidence, error)) != TACT_OK)
		return status;
	if (sample.trials == 0)
		return TACT_OK;
	wilson(sample.successes, sample.trials, critical_z(confidence), lower,
	       upper);
	return TACT_OK;
}

tact_status tact_proportions_newcombe(tact_proportions_sample arm,
                                      tact_proportions_sample control,
                                      double confidence, double *difference,
                                      double *lower, double *upper,
                                      tact_error *error)
{
	double z, p1, p0, l1, u1, l0, u0;
	tact_status status;

	*difference = *lower = *upper = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK ||
	    (status = check_confidence(confidence, error)) != TACT_OK)
		return status;
	if (arm.trials == 0 || control.trials == 0)
		return TACT_OK;
	z = critical_z(confidence);
	p1 = arm.successes / arm.trials;
	p0 = control.successes / control.trials;
	wilson(arm.successes, arm.trials, z, &l1, &u1);
	wilson(control.successes, control.trials, z, &l0, &u0);
	*difference = p1 - p0;
	*lower = *difference - hypot(p1 - l1, u0 - p0);
	*upper = *difference + hypot(u1 - p1, p0 - l0);
	return TACT_OK;
}

tact_status tact_proportions_lift(tact_proportions_sample arm,
                                  tact_proportions_sample control,
                                  double confidence, double *lift,
                                  double *lower, double *upper,
                                  tact_error *error)
{
	double x1 = arm.successes, n1 = arm.trials;
	double x0 = control.successes, n0 = control.trials;
	double log_ratio, half_width;
	tact_status status;

	*lift = *lower = *upper = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK ||
	    (status = check_confidence(confidence, error)) != TACT_OK)
		return status;
	if (n1 == 0 || n0 == 0 || x0 == 0)
		return TACT_OK;
	if (x1 == 0) {
		*lift = -1;
		return TACT_OK;
	}
	/* log(p1 / p0) as a sum of logs keeps full precision when the rates
	 * are close; expm1 then gives the lift without losing digits. */
	log_ratio = log(x1) - log(n1) - log(x0) + log(n0);
	/* 1/x - 1/n = (n - x) / (x n), which is exactly 0 when x = n. */
	half_width = critical_z(confidence) *
	             sqrt((n1 - x1) / (x1 * n1) + (n0 - x0) / (x0 * n0));
	*lift = expm1(log_ratio);
	*lower = expm1(log_ratio - half_width);
	*upper = expm1(log_ratio + half_width);
	return TACT_OK;
}

tact_status tact_proportions_z_test(tact_proportions_sample arm,
                                    tact_proportions_sample control,
                                    double *statistic, double *p_value,
                                    tact_error *error)
{
	double n1 = arm.trials, n0 = control.trials, pooled, se, z;
	tact_status status;

	*statistic = *p_value = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK)
		return status;
	if (n1 == 0 || n0 == 0)
		return TACT_OK;
	pooled = (arm.successes + control.successes) / (n1 + n0);
	if (pooled == 0 || pooled == 1)
		return TACT_OK;
	se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
	z = (arm.successes / n1 - control.successes / n0) / se;
	*statistic = z;
	*p_value = 2 * gsl_cdf_ugaussian_Q(fabs(z));
	return TACT_OK;
}

/*
 * The hypergeometric law of the top-left cell given the margins: draws
 * items from a population of size total holding marked ones.  Its support
 * is [low, high]; step_up(i) = pmf(i + 1) / pmf(i) and step_down(i) =
 * pmf(i - 1) / pmf(i) are ratios of integers, computed in long double
 * (exact integer products up to 2^64 on x86-64) so that the probabilities
 * obtained by multiplying them from the mode stay accurate to about 1e-19
 * per step: well inside scipy's 1e-14 tie tolerance for any table whose
 * p-value does not underflow.
 */
typedef struct hypergeometric {
	long double total, marked, draws;
	long double low, high;
} hypergeometric;

static long double step_up(const hypergeometric *h, long double i)
{
	return ((h->marked - i) * (h->draws - i)) /
	       ((i + 1) * (h->total - h->marked - h->draws + i + 1));
}

static long double step_down(const hypergeometric *h, long double i)
{
	return (i * (h->total - h->marked - h->draws + i)) /
	       ((h->marked - i + 1) * (h->draws - i + 1));
}

/*
 * Sum the probabilities (relative to the mode's) from the mode outwards
 * in one direction (+1 or -1), into *all and, for those at most threshold,
 * into *extreme.  Once a term is at most threshold every later one is too
 * (the law is unimodal and log-concave): stop when the rest, bounded by a
 * geometric series with the current ratio, cannot change the sum.
 */
static void fisher_sweep(const hypergeometric *h, long double mode,
                         int direction, long double threshold,
                         long double *all, long double *extreme)
{
	long double i = mode, w = 1;

	for (;;) {
		long double ratio;

		if (direction > 0 ? i >= h->high : i <= h->low)
			return;
		ratio = direction > 0 ? step_up(h, i) : step_down(h, i);
		w *= ratio;
		i += direction;
		*all += w;
		if (w <= threshold) {
			long double next = direction > 0 ?
			                   (i < h->high ? step_up(h, i) : 0) :
			                   (i > h->low ? step_down(h, i) : 0);

			*extreme += w;
			if (w == 0 || next == 0 ||
			    (next < 1 && w * next / (1 - next) < 1e-18L * *extreme))
				return;
		}
	}
}

tact_status tact_proportions_fisher(tact_proportions_sample arm,
                                    tact_proportions_sample control,
                                    double *p_value, tact_error *error)
{
	hypergeometric h;
	long double mode, observed, i, w, threshold, all, extreme;
	tact_status status;

	*p_value = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK)
		return status;
	h.total = (long double)arm.trials + control.trials;
	h.marked = arm.trials;
	h.draws = (long double)arm.successes + control.successes;
	/* An empty row or column: every table with these margins is the
	 * observed one (scipy returns 1 here too). */
	if (arm.trials == 0 || control.trials == 0 || h.draws == 0 ||
	    h.draws == h.total) {
		*p_value = 1;
		return TACT_OK;
	}
	h.low = fmaxl(0, h.draws - (h.total - h.marked));
	h.high = fminl(h.marked, h.draws);
	/* The mode of the hypergeometric law (the formula scipy uses). */
	mode = floorl((h.draws + 1) * (h.marked + 1) / (h.total + 2));
	mode = fminl(fmaxl(mode, h.low), h.high);
	/* With counts past 2^32 the product above is rounded: make sure the
	 * sweeps start from the top, as they assume. */
	while (mode < h.high && step_up(&h, mode) > 1)
		mode++;
	while (mode > h.low && step_down(&h, mode) > 1)
		mode--;
	observed = arm.successes;

	/* The observed table's probability relative to the mode's.  Below
	 * 1e-350 the p-value, at most the number of tables (< 2^53) times
	 * this, is under half the smallest double: stop walking (which would
	 * take a billion steps for a billion-unit table) and answer 0. */
	w = 1;
	for (i = mode; i < observed && w >= 1e-350L; i++)
		w *= step_up(&h, i);
	for (i = mode; i > observed && w >= 1e-350L; i--)
		w *= step_down(&h, i);
	if (w < 1e-350L) {
		*p_value = 0;
		return TACT_OK;
	}
	threshold = w * (1 + FISHER_RELATIVE_TOLERANCE);
	if (threshold >= 1) {
		/* As likely as the mode: every table is as extreme. */
		*p_value = 1;
		return TACT_OK;
	}
	all = 1;
	extreme = 0;
	fisher_sweep(&h, mode, +1, threshold, &all, &extreme);
	fisher_sweep(&h, mode, -1, threshold, &all, &extreme);
	*p_value = (double)fminl(1, extreme / all);
	return TACT_OK;
}

bool tact_proportions_use_fisher(tact_proportions_sample arm,
                                 tact_proportions_sample control)
{
	double total = arm.trials + control.trials;
	double successes = arm.successes + control.successes;
	double failures = total - successes;
	double smallest_row = fmin(arm.trials, control.trials);
	double smallest_column = fmin(successes, failures);

	if (!(total > 0))
		return true;
	/* The smallest expected cell is the smallest row total times the
	 * smallest column total over the grand total. */
	return smallest_row * smallest_column / total < 5;
}

tact_status tact_proportions_noninferiority(tact_proportions_sample arm,
                                            tact_proportions_sample control,
                                            double margin, double *statistic,
                                            double *p_value,
                                            tact_error *error)
{
	double x1 = arm.successes, n1 = arm.trials;
	double x0 = control.successes, n0 = control.trials;
	double ratio = 1 + margin, n = n1 + n0, x = x1 + x0;
	double p1, p0, variance, z;
	tact_status status;

	*statistic = *p_value = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK)
		return status;
	if (!(isfinite(margin) && margin > -1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "non-inferiority margin must be greater than -1, got %.17g",
		                      margin);
	if (n1 == 0 || n0 == 0 || x == 0)
		return TACT_OK;
	if (ratio == 1) {
		p1 = p0 = x / n;
	} else {
		/* The rates that maximize the likelihood under p1 = ratio p0:
		 * p0 is the smaller root of a p^2 + b p + c = 0, taken in the
		 * form 2c / (-b + sqrt(b^2 - 4ac)), which does not cancel. */
		double a = n * ratio;
		double b = -(n1 * ratio + x1 + n0 + x0 * ratio);
		double c = x;
		double discriminant = fmax(0, b * b - 4 * a * c);

		p0 = 2 * c / (-b + sqrt(discriminant));
		p1 = p0 * ratio;
	}
	variance = (p1 * (1 - p1) / n1 + ratio * ratio * p0 * (1 - p0) / n0) *
	           n / (n - 1);
	if (!(variance > 0))
		return TACT_OK;
	z = (x1 / n1 - ratio * x0 / n0) / sqrt(variance);
	*statistic = z;
	*p_value = gsl_cdf_ugaussian_P(z);
	return TACT_OK;
}
