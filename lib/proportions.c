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
 *   - Score intervals for the difference and the ratio (the inversions of
 *     the same score statistics, without the N / (N - 1) factor): the
 *     constrained maximum-likelihood rates of Farrington and Manning (a
 *     cubic, solved by its trigonometric form) and of Miettinen and
 *     Nurminen (a quadratic); P. A. R. Koopman (1984), Biometrics
 *     40:513-517 for the ratio's interval.
 *
 * Checked against SciPy and statsmodels: tests/expected/proportions.py.
 */
#include "proportions.h"
#include "numeric.h"

#include <float.h>
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
	wilson(sample.successes, sample.trials, tact_numeric_z(confidence), lower,
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
	z = tact_numeric_z(confidence);
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
	half_width = tact_numeric_z(confidence) *
	             sqrt((n1 - x1) / (x1 * n1) + (n0 - x0) / (x0 * n0));
	*lift = expm1(log_ratio);
	*lower = expm1(log_ratio - half_width);
	*upper = expm1(log_ratio + half_width);
	return TACT_OK;
}

/*
 * The pooled z statistic of p1 = p0 for x1 of n1 against x0 of n0 (both
 * n > 0); NaN when the pooled rate is 0 or 1.  The z-test and the score
 * intervals (at d = 0, r = 1) both call this, so that they agree to the bit.
 */
static double pooled_z(double x1, double n1, double x0, double n0)
{
	double pooled = (x1 + x0) / (n1 + n0), se;

	if (pooled == 0 || pooled == 1)
		return NAN;
	se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
	return (x1 / n1 - x0 / n0) / se;
}

tact_status tact_proportions_z_test(tact_proportions_sample arm,
                                    tact_proportions_sample control,
                                    double *statistic, double *p_value,
                                    tact_error *error)
{
	double n1 = arm.trials, n0 = control.trials, z;
	tact_status status;

	*statistic = *p_value = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK)
		return status;
	if (n1 == 0 || n0 == 0)
		return TACT_OK;
	z = pooled_z(arm.successes, n1, control.successes, n0);
	if (isnan(z))
		return TACT_OK;
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

/* A 2x2 table for the score intervals: x of n in the arm (1) and in the
 * control (0), n > 0 in both. */
typedef struct score_table {
	double x1, n1, x0, n0;
} score_table;

/*
 * The constrained rates: p1 = slope p0 + offset, with their complements
 * kept apart (rate[0] = p1, rate[1] = 1 - p1, rate[2] = p0, rate[3] =
 * 1 - p0) so that a rate near 1 keeps the relative precision of 1 - p.
 */
typedef struct constrained_rates {
	double rate[4];
} constrained_rates;

/*
 * Polish the constrained maximum-likelihood rates by Newton's method on
 * the log-likelihood sum count_i log(rate_i), which is concave along the
 * hypothesis, so that its derivative decreases.  The closed forms are only
 * a start: the cubic's trigonometric form loses up to half the digits when
 * its cosine is near 1 (1 and 3 successes in a billion: p0 30% off), and p0
 * is only known to an absolute 1e-16, a poor relative precision for a tiny
 * rate (or complement).  So the variable of the steps is the smallest of
 * the four rates, the others affine in it (rate_i = c_i + s_i v, as the
 * hypothesis ties them), and each step that would leave the bracket known
 * to hold the root is replaced by a bisection.  The maximum can be on the
 * edge of the parameter space (a rate 0 where its count is 0): the steps
 * then stop there.
 */
static void polish_rates(const score_table *t, double slope,
                         double slope_minus_one, double offset,
                         constrained_rates *rates)
{
	double count[4] = {t->x1, t->n1 - t->x1, t->x0, t->n0 - t->x0};
	double c[4], s[4], v, low = 0, high = INFINITY;
	int i, m = 0, step;

	for (i = 1; i < 4; i++)
		if (rates->rate[i] < rates->rate[m])
			m = i;
	/* Every rate as c + s v, v the rate m, from p1 = offset + slope p0;
	 * the constants are written out so that none cancels (slope - 1 comes
	 * from the caller, as expm1 of the log ratio). */
	switch (m) {
	case 0: /* v = p1, p0 = (v - offset) / slope */
		c[0] = 0, s[0] = 1;
		c[1] = 1, s[1] = -1;
		c[2] = -offset / slope, s[2] = 1 / slope;
		c[3] = 1 + offset / slope, s[3] = -1 / slope;
		break;
	case 1: /* v = 1 - p1 */
		c[0] = 1, s[0] = -1;
		c[1] = 0, s[1] = 1;
		c[2] = (1 - offset) / slope, s[2] = -1 / slope;
		c[3] = (slope_minus_one + offset) / slope, s[3] = 1 / slope;
		break;
	case 2: /* v = p0 */
		c[0] = offset, s[0] = slope;
		c[1] = 1 - offset, s[1] = -slope;
		c[2] = 0, s[2] = 1;
		c[3] = 1, s[3] = -1;
		break;
	default: /* v = 1 - p0 */
		c[0] = offset + slope, s[0] = -slope;
		c[1] = -(slope_minus_one + offset), s[1] = slope;
		c[2] = 1, s[2] = -1;
		c[3] = 0, s[3] = 1;
		break;
	}
	/* The rates stay non-negative between low and high. */
	for (i = 0; i < 4; i++) {
		if (s[i] > 0)
			low = fmax(low, -c[i] / s[i]);
		else
			high = fmin(high, c[i] / -s[i]);
	}
	v = rates->rate[m];
	if (!(v >= low && v <= high))
		return;
	for (step = 0; step < 200; step++) {
		double g = 0, dg = 0, next;

		for (i = 0; i < 4; i++) {
			double r = c[i] + s[i] * v;

			if (count[i] == 0)
				continue;
			g += count[i] * s[i] / r;
			dg -= count[i] * s[i] * s[i] / (r * r);
		}
		if (isnan(g))
			break;
		if (g > 0)
			low = v;
		else if (g < 0)
			high = v;
		else
			break;
		next = isfinite(g) && isfinite(dg) && dg < 0 ? v - g / dg : NAN;
		if (!(next > low && next < high))
			next = low + (high - low) / 2;
		if (next == v || fabs(next - v) <= 2 * DBL_EPSILON * fabs(v) ||
		    high - low <= 2 * DBL_EPSILON * fabs(v))
			break;
		v = next;
	}
	for (i = 0; i < 4; i++)
		rates->rate[i] = fmin(1, fmax(0, i == m ? v : c[i] + s[i] * v));
}

/* The score statistic from its numerator and the constrained rates; slope
 * is the coefficient of p0 in the hypothesis (1 for d, r for r). */
static double score_statistic(const score_table *t, double numerator,
                              const constrained_rates *rates, double slope)
{
	/* slope * (slope * p0) rather than slope^2 p0: slope p0 <= 1, and
	 * slope may be near the largest doubles. */
	double variance = rates->rate[0] * rates->rate[1] / t->n1 +
	                  slope * (slope * rates->rate[2]) * rates->rate[3] /
	                  t->n0;

	if (numerator == 0)
		return 0;
	if (!(variance > 0))
		return numerator > 0 ? INFINITY : -INFINITY;
	return numerator / sqrt(variance);
}

/* The rates from p0 (clamped to [low, high]) for p1 = slope p0 + offset. */
static constrained_rates rates_from_p0(double p0, double slope, double offset)
{
	constrained_rates rates;
	double p1 = fmin(1, fmax(0, slope * p0 + offset));

	rates.rate[0] = p1;
	rates.rate[1] = 1 - p1;
	rates.rate[2] = p0;
	rates.rate[3] = 1 - p0;
	return rates;
}

/* p1 - p0 observed, from the failures when the rates are high, so that the
 * difference of two rates near 1 keeps its relative precision. */
static double observed_difference(const score_table *t)
{
	if (t->x1 / t->n1 + t->x0 / t->n0 > 1)
		return (t->n0 - t->x0) / t->n0 - (t->n1 - t->x1) / t->n1;
	return t->x1 / t->n1 - t->x0 / t->n0;
}

/* pooled_z with "no variation" read as 0 (the hypothesis fits exactly). */
static double null_statistic(const score_table *t)
{
	double z = pooled_z(t->x1, t->n1, t->x0, t->n0);

	return isnan(z) ? 0 : z;
}

/*
 * The score statistic of p1 - p0 = d, d in [-1, 1].  The constrained rates
 * solve Farrington and Manning's cubic (their equation for p0~, with the
 * coefficients divided by N), by its trigonometric form, clamped to the
 * rates the hypothesis allows and polished.
 */
static double difference_statistic(const score_table *t, double d)
{
	static const double pi = 3.14159265358979323846;
	double n = t->n1 + t->n0, x = t->x1 + t->x0;
	double l2, l1, l0, shift, q, p, p0;
	constrained_rates rates;
	double low = fmax(0, -d), high = fmin(1, 1 - d);

	if (d == 0)
		return null_statistic(t);
	l2 = ((t->n1 + 2 * t->n0) * d - n - x) / n;
	l1 = ((t->n0 * d - n - 2 * t->x0) * d + x) / n;
	l0 = t->x0 * d * (1 - d) / n;
	shift = l2 / 3;
	q = shift * shift * shift - l1 * l2 / 6 + l0 / 2;
	p = sqrt(fmax(0, shift * shift - l1 / 3));
	if (q < 0)
		p = -p;
	if (p == 0) {
		p0 = -shift;
	} else {
		double cosine = fmin(1, fmax(-1, q / (p * p * p)));

		p0 = 2 * p * cos((pi + acos(cosine)) / 3) - shift;
	}
	rates = rates_from_p0(fmin(high, fmax(low, p0)), 1, d);
	polish_rates(t, 1, 0, d, &rates);
	return score_statistic(t, observed_difference(t) - d, &rates, 1);
}

/*
 * The score statistic of p1 / p0 = r for r = exp(u) (u = 0 is r = 1
 * exactly).  The constrained p0~ is the smaller root of Miettinen and
 * Nurminen's quadratic a p^2 + b p + c = 0 (a = N r, b = -(n1 r + x1 + n0
 * + x0 r), c = x), divided by N, and for r > 1 also by r so that nothing
 * overflows; taken as 2c / (-b + sqrt(b^2 - 4ac)), which does not cancel.
 */
static double ratio_statistic(const score_table *t, double u)
{
	double n = t->n1 + t->n0, x = t->x1 + t->x0;
	double r, a, b, c, p0, numerator;
	constrained_rates rates;

	if (u == 0)
		return null_statistic(t);
	r = exp(u);
	if (r <= 1) {
		a = r;
		b = -(t->n1 * r + t->x1 + t->n0 + t->x0 * r) / n;
		c = x / n;
	} else {
		a = 1;
		b = -(t->n1 + t->x0 + (t->x1 + t->n0) / r) / n;
		c = x / n / r;
	}
	p0 = 2 * c / (-b + sqrt(fmax(0, b * b - 4 * a * c)));
	rates = rates_from_p0(fmin(fmin(1, 1 / r), fmax(0, p0)), r, 0);
	polish_rates(t, r, expm1(u), 0, &rates);
	/* p1 - r p0, or with rates near 1, (1 - r) - (1 - p1) + r (1 - p0),
	 * which keeps its digits when r is near 1. */
	if (t->x1 / t->n1 + t->x0 / t->n0 > 1)
		numerator = -expm1(u) - (t->n1 - t->x1) / t->n1 +
		            r * ((t->n0 - t->x0) / t->n0);
	else
		numerator = t->x1 / t->n1 - r * (t->x0 / t->n0);
	return score_statistic(t, numerator, &rates, r);
}

typedef double (*score_function)(const score_table *t, double value);

/*
 * The boundary of {v : sign T(v) <= crit} between a value out, where
 * sign T(out) > crit, and a value in, where sign T(in) <= crit (sign T
 * decreasing from out to in, whichever is larger).  Regula falsi with the
 * Illinois modification, with a bisection every third step so that it
 * always converges, until out and in are a few units in the last place
 * apart.  Returns in: a value that is inside the set as evaluated.
 */
static double score_boundary(score_function f, const score_table *t,
                             double sign, double crit, double out,
                             double in)
{
	double f_out = sign * f(t, out) - crit, f_in = sign * f(t, in) - crit;
	int step, last = 0;

	for (step = 0; step < 3000; step++) {
		double mid = out + (in - out) / 2, v, fv;

		if (mid == out || mid == in ||
		    fabs(in - out) <= 2 * DBL_EPSILON * fmax(fabs(in), fabs(out)))
			break;
		v = mid;
		if (step % 3 != 2 && isfinite(f_out) && isfinite(f_in) &&
		    f_out != f_in) {
			v = in - f_in * (in - out) / (f_in - f_out);
			if (!(v > fmin(in, out) && v < fmax(in, out)))
				v = mid;
		}
		fv = sign * f(t, v) - crit;
		if (fv > 0) {
			out = v;
			f_out = fv;
			if (last > 0)
				f_in /= 2;
			last = 1;
		} else {
			in = v;
			f_in = fv;
			if (last < 0)
				f_out /= 2;
			last = -1;
		}
	}
	return in;
}

static tact_status check_critical(double crit_lower, double crit_upper,
                                  tact_error *error)
{
	if (!(crit_lower > 0))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "critical value for the lower bound must be positive, got %.17g",
		                      crit_lower);
	if (!(crit_upper > 0))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "critical value for the upper bound must be positive, got %.17g",
		                      crit_upper);
	return TACT_OK;
}

tact_status tact_proportions_score_difference(tact_proportions_sample arm,
                                              tact_proportions_sample control,
                                              double crit_lower,
                                              double crit_upper, double *lower,
                                              double *upper,
                                              tact_error *error)
{
	score_table t = {arm.successes, arm.trials, control.successes,
	                 control.trials};
	double z;
	tact_status status;

	*lower = *upper = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK ||
	    (status = check_critical(crit_lower, crit_upper, error)) != TACT_OK)
		return status;
	if (t.n1 == 0 || t.n0 == 0)
		return TACT_OK;
	/* Split every search at d = 0, where T is the pooled z: whether the
	 * bound passes 0 is then decided by z itself, not by rounding. */
	z = null_statistic(&t);
	if (isinf(crit_lower))
		*lower = -1;
	else if (z > crit_lower)
		*lower = score_boundary(difference_statistic, &t, 1, crit_lower,
		                        0, 1);
	else if (difference_statistic(&t, -1) <= crit_lower)
		*lower = -1;
	else
		*lower = score_boundary(difference_statistic, &t, 1, crit_lower,
		                        -1, 0);
	if (isinf(crit_upper))
		*upper = 1;
	else if (-z > crit_upper)
		*upper = score_boundary(difference_statistic, &t, -1, crit_upper,
		                        0, -1);
	else if (-difference_statistic(&t, 1) <= crit_upper)
		*upper = 1;
	else
		*upper = score_boundary(difference_statistic, &t, -1, crit_upper,
		                        1, 0);
	return TACT_OK;
}

/* The ratio's search runs in u = log r over [-LOG_RATIO_LIMIT,
 * LOG_RATIO_LIMIT]: e^700 is about 1e304, and past it r is 0 or infinite
 * as far as doubles go. */
#define LOG_RATIO_LIMIT 700.0

/*
 * Walk from u = 0 in direction (+1 or -1) by doubling steps until
 * sign T(u) <= crit; returns that u with *previous the last u outside, or
 * NaN when the limit is reached first.
 */
static double ratio_walk_in(const score_table *t, double sign, double crit,
                            double direction, double *previous)
{
	double u = 0, step = 1;

	*previous = 0;
	for (;;) {
		double next = direction * fmin(fabs(u) + step, LOG_RATIO_LIMIT);

		if (sign * ratio_statistic(t, next) <= crit)
			return next;
		if (fabs(next) >= LOG_RATIO_LIMIT)
			return NAN;
		*previous = u = next;
		step *= 2;
	}
}

/* As ratio_walk_in, until sign T(u) > crit (the u returned is outside,
 * *previous the last u inside). */
static double ratio_walk_out(const score_table *t, double sign, double crit,
                             double direction, double *previous)
{
	double u = 0, step = 1;

	*previous = 0;
	for (;;) {
		double next = direction * fmin(fabs(u) + step, LOG_RATIO_LIMIT);

		if (sign * ratio_statistic(t, next) > crit)
			return next;
		if (fabs(next) >= LOG_RATIO_LIMIT)
			return NAN;
		*previous = u = next;
		step *= 2;
	}
}

/*
 * One bound of the ratio as a log ratio u: sign +1 for the lower bound
 * (T <= crit), -1 for the upper (-T <= crit).  z is T(0).  Returns
 * -LOG_RATIO_LIMIT-or-less as -INFINITY and the like when the set reaches
 * the end of the doubles.
 */
static double ratio_bound(const score_table *t, double sign, double crit,
                          double z)
{
	double edge, previous;

	if (sign * z > crit) {
		/* 0 is outside: walk towards the inside (up for the lower
		 * bound, down for the upper). */
		edge = ratio_walk_in(t, sign, crit, sign, &previous);
		if (isnan(edge))
			return NAN;
		return score_boundary(ratio_statistic, t, sign, crit, previous,
		                      edge);
	}
	edge = ratio_walk_out(t, sign, crit, -sign, &previous);
	if (isnan(edge))
		return -sign * INFINITY;
	return score_boundary(ratio_statistic, t, sign, crit, edge, previous);
}

tact_status tact_proportions_score_ratio(tact_proportions_sample arm,
                                         tact_proportions_sample control,
                                         double crit_lower, double crit_upper,
                                         double *lower, double *upper,
                                         tact_error *error)
{
	score_table t = {arm.successes, arm.trials, control.successes,
	                 control.trials};
	double z;
	tact_status status;

	*lower = *upper = NAN;
	if ((status = check_pair(arm, control, error)) != TACT_OK ||
	    (status = check_critical(crit_lower, crit_upper, error)) != TACT_OK)
		return status;
	if (t.n1 == 0 || t.n0 == 0)
		return TACT_OK;
	z = null_statistic(&t);
	/* No successes in the arm: T(r) = -r p0 / sqrt(V) <= 0 for every r,
	 * so every ratio down to 0 is inside; none in the control: T > 0 for
	 * every r, and every ratio up to infinity is. */
	if (isinf(crit_lower) || t.x1 == 0)
		*lower = -1;
	else
		*lower = expm1(ratio_bound(&t, 1, crit_lower, z));
	if (isinf(crit_upper) || t.x0 == 0)
		*upper = INFINITY;
	else
		*upper = expm1(ratio_bound(&t, -1, crit_upper, z));
	return TACT_OK;
}
