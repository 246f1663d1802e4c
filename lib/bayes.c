/*
 * bayes.c - chance to beat control and expected loss (see bayes.h).
 *
 * Rates.  With U the posterior of the group that wins when it is larger
 * (the arm for higher-is-better, the control for lower-is-better) and V
 * the other, both Beta laws:
 *     chance        = P(U > V) = integral of f_V(t) Q_U(t) dt
 *     expected loss = E[max(V - U, 0)] = integral of F_U(t) Q_V(t) dt
 * (the second because E[(V - U)+] = integral of P(U <= t < V) dt for
 * independent U and V), where f is a density, F the lower and Q the upper
 * tail.  Both integrands are non-negative, so nothing cancels.  When U is
 * ahead (chance above one half) the smaller P(U < V) = integral of f_V F_U
 * is integrated instead and the chance is 1 minus it, so that a chance
 * like 1 - 1e-12 keeps its digits in the complement.
 *
 * The integrals run over a window of 60 posterior standard deviations on
 * either side of both means (cut to [0, 1]), split at each mean and at 3
 * and 10 standard deviations from it, with GSL's adaptive QAG on each
 * piece.  With a million trials a posterior is a spike of width 1e-4 in
 * [0, 1]: a window and break points around the mass are what make the
 * integration reliable.  Beyond 60 sd the mass left out is under e^-61
 * even for the most skewed posterior, Beta(1, b).
 *
 * The tails of the Beta laws (the regularized incomplete beta function)
 * are computed here, not with GSL's gsl_cdf_beta_P/Q: in GSL 2.7 those
 * stop their continued fraction after 512 terms and silently return NaN
 * near the mean once both parameters pass about 1e6 (a million
 * conversions), while the fraction needs about sqrt(min(a, b)) terms (1830
 * for a = 4e7).  Here the same continued fraction (modified Lentz, as in
 * Numerical Recipes 6.4, with I_x(a, b) = 1 - I_{1-x}(b, a) to stay where
 * it converges) runs until it converges, and where it is ill-conditioned
 * (few successes or few failures, see beta_tails) the tail is a short
 * binomial sum instead.  The prefactor x^a (1-x)^b / B(a, b) is taken in
 * logs about the mean, with Stirling's series for the constant
 * (beta_law_init): about 1e-12 relative accuracy at a billion trials,
 * where the plain log-gamma form keeps about 1e-8.
 *
 * Means: the closed forms in bayes.h (the loss is E[max(-D, 0)] for a
 * normal D, the "expected shortfall" of a normal law).
 *
 * References: E. Miller (2015), "Formulas for Bayesian A/B Testing"
 * (closed-form sums used as the independent check); C. Stucchio (2015),
 * "Bayesian A/B Testing at VWO" (expected loss as decision criterion).
 * Checked against mpmath sums and SciPy: tests/expected/bayes.py.
 */
#include "bayes.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "numeric.h"

#define WINDOW_SD 60.0
#define WORKSPACE_INTERVALS 1000
#define RELATIVE_TOLERANCE 1e-10

typedef struct beta_law {
	double a, b;
	double mean, complement; /* a / (a + b) and b / (a + b) */
	double sd;
	double log_constant;     /* a log(mean) + b log(complement) - log B(a, b) */
} beta_law;

/*
 * Stirling's error: log Gamma(x) - ((x - 1/2) log x - x + log(2 pi) / 2),
 * for x >= 1.  From its asymptotic series when x >= 15 (the first omitted
 * term is under 1e-16 there), else directly from GSL's log Gamma.
 */
static double stirling_error(double x)
{
	const double half_log_2pi = 0.91893853320467274178;

	if (x < 15)
		return gsl_sf_lngamma(x) - (x - 0.5) * log(x) + x - half_log_2pi;
	{
		double y = 1 / (x * x);

		return (1.0 / 12 - y * (1.0 / 360 - y * (1.0 / 1260 -
		        y * (1.0 / 1680 - y / 1188)))) / x;
	}
}

/*
 * Both the density and the tails need x^a (1 - x)^b / B(a, b).  Its log,
 * a log x + b log(1 - x) - log B(a, b), is a difference of numbers as large
 * as the parameters (1e9 for a billion trials) and would lose their last
 * digits.  So it is taken about the mean m = a / (a + b):
 *     a log1p(d / m) + b log1p(-d / (1 - m)) + C,   d = x - m,
 * where the first two terms are of the order sqrt(a + b) d / sd and C,
 * by Stirling's formula with its error terms, is exactly
 *     C = log(a b / (2 pi (a + b))) / 2 - e(a) - e(b) + e(a + b)
 * with e the Stirling error: no term larger than log(a) anywhere.
 */
static void beta_law_init(beta_law *law, double a, double b)
{
	const double log_2pi = 1.83787706640934548356;

	law->a = a;
	law->b = b;
	law->mean = a / (a + b);
	law->complement = b / (a + b);
	law->sd = sqrt(law->mean * law->complement / (a + b + 1));
	law->log_constant = 0.5 * (log(a) + log(b) - log(a + b) - log_2pi) -
	                    stirling_error(a) - stirling_error(b) +
	                    stirling_error(a + b);
}

/* log(x^a (1 - x)^b / B(a, b)), for 0 < x < 1. */
static double beta_log_front(const beta_law *law, double x)
{
	double d = x - law->mean;

	return law->a * log1p(d / law->mean) +
	       law->b * log1p(-d / law->complement) + law->log_constant;
}

static double beta_density(const beta_law *law, double t)
{
	if (!(t > 0 && t < 1))
		return 0;
	return exp(beta_log_front(law, t) - log(t) - log1p(-t));
}

/*
 * The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified
 * Lentz), given x and y = 1 - x each to full precision; converges fast for
 * x < (a + 1) / (a + b + 2).  Returns GSL_EMAXITER if it has not converged
 * after far more terms than it needs (it needs about sqrt(min(a, b))).
 */
static int beta_fraction(double a, double b, double x, double y,
                         double *result)
{
	const double tiny = 1e-300;
	/* 1 - (a + b) x / (a + 1), written with y = 1 - x so that it keeps
	 * its digits when x is 1 minus a tiny t (a rare event in a big group,
	 * through the symmetry): 1 - (1 - t) would leave t only 1e-16 /
	 * t of relative precision. */
	double c = 1, d = ((a + 1) * y + (1 - b) * x) / (a + 1), h;
	double limit = 1000 + 20 * sqrt(fmin(a, b));
	double m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (m = 1; m <= limit; m++) {
		double m2 = 2 * m, step, delta;

		step = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
		d = 1 + step * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + step / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		step = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
		d = 1 + step * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + step / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) <= DBL_EPSILON) {
			*result = h;
			return GSL_SUCCESS;
		}
	}
	*result = h;
	return GSL_EMAXITER;
}

/*
 * sum of the terms T(m-1), T(m-2), ..., T(0) of a binomial law's pmf, given
 * the largest T(m-1) = top, the law's size n and its odds p / (1 - p):
 * T(j-1) = T(j) j / (n - j + 1) * odds.  The steps shrink as j falls, so
 * the sum stops when a geometric bound on what is left cannot change it.
 */
static double binomial_head(double top, double m, double n, double odds)
{
	double sum = top, term = top, j;

	for (j = m - 1; j >= 1 && term > 0; j--) {
		double step = j / (n - j + 1) * odds;

		term *= step;
		sum += term;
		if (step < 1 && term * step / (1 - step) < 1e-17 * sum)
			break;
	}
	return sum;
}

/*
 * Both tails of the law at t, each with its own relative precision.
 *
 * The continued fraction for I_x(a, b) loses digits when its x is close to
 * 1 (its odd steps then cancel to about 1 - x): that is the upper tail of
 * a posterior with few successes (a small, b huge) past its mean, or the
 * lower tail of one with few failures.  The parameters are whole numbers
 * (1 + a count), so there the tail is a finite binomial sum,
 *     Q(t) = P(Bin(a + b - 1, t) <= a - 1),  F(t) = P(Bin(a + b - 1, 1 - t) <= b - 1),
 * whose largest term is the same prefactor over b t (or a (1 - t)); it is
 * summed downwards from there, with at most SUM_LIMIT terms.
 */
#define SUM_LIMIT 1e5

static int beta_tails(const beta_law *law, double t, double *lower,
                      double *upper)
{
	double a = law->a, b = law->b, front, fraction;
	int status = GSL_SUCCESS;

	if (!(t > 0)) {
		*lower = 0;
		*upper = 1;
		return GSL_SUCCESS;
	}
	if (!(t < 1)) {
		*lower = 1;
		*upper = 0;
		return GSL_SUCCESS;
	}
	front = exp(beta_log_front(law, t));
	if (t < (a + 1) / (a + b + 2)) {
		if (b <= SUM_LIMIT) {
			*lower = binomial_head(front / (a * (1 - t)), b, a + b - 1,
			                       t / (1 - t));
		} else {
			status = beta_fraction(a, b, t, 1 - t, &fraction);
			*lower = front * fraction / a;
		}
		*upper = 1 - *lower;
	} else {
		if (a <= SUM_LIMIT) {
			*upper = binomial_head(front / (b * t), a, a + b - 1,
			                       (1 - t) / t);
		} else {
			status = beta_fraction(b, a, 1 - t, t, &fraction);
			*upper = front * fraction / b;
		}
		*lower = 1 - *upper;
	}
	return status;
}

typedef struct pair {
	beta_law u, v;  /* u wins when larger */
	int status;     /* first failure inside an integrand */
} pair;

static void note(pair *p, int status)
{
	if (status != GSL_SUCCESS && p->status == GSL_SUCCESS)
		p->status = status;
}

/* f_V(t) F_U(t): integrates to P(U < V). */
static double u_below(double t, void *params)
{
	pair *p = params;
	double density = beta_density(&p->v, t), lower, upper;

	if (density == 0)
		return 0;
	note(p, beta_tails(&p->u, t, &lower, &upper));
	return density * lower;
}

/* f_V(t) Q_U(t): integrates to P(U > V). */
static double u_above(double t, void *params)
{
	pair *p = params;
	double density = beta_density(&p->v, t), lower, upper;

	if (density == 0)
		return 0;
	note(p, beta_tails(&p->u, t, &lower, &upper));
	return density * upper;
}

/* F_U(t) Q_V(t): integrates to E[max(V - U, 0)]. */
static double shortfall(double t, void *params)
{
	pair *p = params;
	double u_lower, u_upper, v_lower, v_upper;

	note(p, beta_tails(&p->u, t, &u_lower, &u_upper));
	if (u_lower == 0)
		return 0;
	note(p, beta_tails(&p->v, t, &v_lower, &v_upper));
	return u_lower * v_upper;
}

static void add_point(double *points, size_t *count, double t, double low,
                      double high)
{
	if (t > low && t < high)
		points[(*count)++] = t;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The window around both posteriors' mass and its break points, sorted
 * and strictly increasing: points[0] and points[count - 1] are the ends.
 */
static size_t window(const pair *p, double *points)
{
	const beta_law *laws[2] = {&p->u, &p->v};
	static const double offsets[] = {-10, -3, 0, 3, 10};
	double low = 1, high = 0, gap;
	size_t count = 0, kept = 1, i, j;

	for (i = 0; i < 2; i++) {
		low = fmin(low, laws[i]->mean - WINDOW_SD * laws[i]->sd);
		high = fmax(high, laws[i]->mean + WINDOW_SD * laws[i]->sd);
	}
	low = fmax(low, 0);
	high = fmin(high, 1);
	points[count++] = low;
	for (i = 0; i < 2; i++)
		for (j = 0; j < sizeof offsets / sizeof offsets[0]; j++)
			add_point(points, &count,
			          laws[i]->mean + offsets[j] * laws[i]->sd, low,
			          high);
	points[count++] = high;
	qsort(points + 1, count - 2, sizeof *points, compare_doubles);
	/* Merge points closer than a thousandth of the narrower posterior's
	 * sd (the mean of one law can fall a rounding error away from a break
	 * point of the other): GSL cannot integrate over a sliver of width
	 * 1e-24 and says "roundoff error". */
	gap = 1e-3 * fmin(p->u.sd, p->v.sd);
	for (i = 1; i < count; i++) {
		if (points[i] - points[kept - 1] > gap)
			points[kept++] = points[i];
		else if (i == count - 1)
			points[kept - 1] = points[i]; /* keep the window's end */
	}
	if (kept < 2)
		points[kept++] = high;
	return kept;
}

/*
 * Integrate over the window, piece by piece between the break points, with
 * GSL's adaptive Gauss-Kronrod rule (QAG; the integrands are smooth, so
 * QAGS's extrapolation is not needed and only gets confused by the long
 * stretches of zeros in the window).
 */
static tact_status integrate(pair *p, double (*integrand)(double, void *),
                             double absolute_tolerance, double *result,
                             const char *what, tact_error *error)
{
	gsl_integration_workspace *workspace;
	gsl_function function;
	double points[12], sum = 0;
	size_t count = window(p, points), i;
	int status = GSL_SUCCESS;

	*result = NAN;
	workspace = gsl_integration_workspace_alloc(WORKSPACE_INTERVALS);
	if (!workspace)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory integrating the %s", what);
	function.function = integrand;
	function.params = p;
	p->status = GSL_SUCCESS;
	for (i = 0; i + 1 < count && status == GSL_SUCCESS; i++) {
		double piece, estimated_error;

		status = gsl_integration_qag(&function, points[i], points[i + 1],
		                             absolute_tolerance / (double)count,
		                             RELATIVE_TOLERANCE, WORKSPACE_INTERVALS,
		                             GSL_INTEG_GAUSS31, workspace, &piece,
		                             &estimated_error);
		sum += piece;
	}
	gsl_integration_workspace_free(workspace);
	if (status == GSL_SUCCESS)
		status = p->status;
	if (status == GSL_SUCCESS)
		*result = sum;
	return tact_numeric_check(status, what, error);
}

tact_status tact_bayes_rates(tact_proportions_sample arm,
                             tact_proportions_sample control,
                             tact_bayes_direction direction,
                             double *chance_to_beat, double *expected_loss,
                             tact_error *error)
{
	tact_proportions_sample winner_if_larger = arm, other = control;
	double probability;
	pair p;
	tact_status status;

	*chance_to_beat = *expected_loss = NAN;
	if ((status = tact_proportions_check(arm, "arm", error)) != TACT_OK ||
	    (status = tact_proportions_check(control, "control", error)) != TACT_OK)
		return status;
	if (direction == TACT_BAYES_LOWER_IS_BETTER) {
		winner_if_larger = control;
		other = arm;
	}
	beta_law_init(&p.u, 1 + winner_if_larger.successes,
	              1 + winner_if_larger.trials - winner_if_larger.successes);
	beta_law_init(&p.v, 1 + other.successes, 1 + other.trials - other.successes);
	if (p.u.mean + p.v.mean > 1) {
		/* Rates near 1 are integrated as failure rates near 0, where
		 * doubles are dense: next to 1 their spacing (1e-16) is 1e-9 of
		 * a posterior sd at a billion trials and blurs the quadrature
		 * nodes.  With U' = 1 - V ~ Beta(b_V, a_V) and V' = 1 - U,
		 * P(U' > V') = P(U > V) and E[(V' - U')+] = E[(V - U)+]. */
		beta_law mirrored_u, mirrored_v;

		beta_law_init(&mirrored_u, p.v.b, p.v.a);
		beta_law_init(&mirrored_v, p.u.b, p.u.a);
		p.u = mirrored_u;
		p.v = mirrored_v;
	}
	if (p.u.mean >= p.v.mean) {
		status = integrate(&p, u_below, 1e-15, &probability,
		                   "chance to beat control", error);
		*chance_to_beat = 1 - probability;
	} else {
		status = integrate(&p, u_above, 1e-15, &probability,
		                   "chance to beat control", error);
		*chance_to_beat = probability;
	}
	if (status != TACT_OK) {
		*chance_to_beat = NAN;
		return status;
	}
	/* Absolute tolerance on the scale of the posteriors' spread. */
	status = integrate(&p, shortfall, 1e-15 * (p.u.sd + p.v.sd),
	                   expected_loss, "expected loss", error);
	if (status != TACT_OK) {
		*chance_to_beat = *expected_loss = NAN;
		return status;
	}
	*chance_to_beat = fmin(1, fmax(0, *chance_to_beat));
	return TACT_OK;
}

tact_status tact_bayes_means(tact_means_sample arm, tact_means_sample control,
                             tact_bayes_direction direction,
                             double *chance_to_beat, double *expected_loss,
                             tact_error *error)
{
	double d, s, z;
	tact_status status;

	*chance_to_beat = *expected_loss = NAN;
	if ((status = tact_means_check(arm, "arm", error)) != TACT_OK ||
	    (status = tact_means_check(control, "control", error)) != TACT_OK)
		return status;
	d = arm.mean - control.mean;
	if (direction == TACT_BAYES_LOWER_IS_BETTER)
		d = -d;
	s = sqrt(arm.variance / arm.count + control.variance / control.count);
	if (!(s > 0)) {
		*chance_to_beat = d > 0 ? 1 : d < 0 ? 0 : 0.5;
		*expected_loss = fmax(-d, 0);
		return TACT_OK;
	}
	z = d / s;
	*chance_to_beat = gsl_cdf_ugaussian_P(z);
	*expected_loss = s * gsl_ran_ugaussian_pdf(z) - d * gsl_cdf_ugaussian_P(-z);
	/* Rounding can leave a tiny negative where the loss is ~0. */
	*expected_loss = fmax(*expected_loss, 0);
	return TACT_OK;
}
