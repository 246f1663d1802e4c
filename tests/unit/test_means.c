/*
 * test_means.c - t interval, Welch's test, the delta-method lift and
 * Fieller's lift interval.
 *
 * Expected numbers: tests/expected/means_expected.h, printed by
 * tests/expected/means.py from seeded raw values: SciPy 1.10's
 * stats.ttest_ind(equal_var=False) for Welch's t and p, statsmodels 0.13's
 * _tconfint_generic with CompareMeans' Satterthwaite df for the intervals,
 * and a numerically differentiated delta method (statsmodels'
 * approx_fprime) for the lift; Fieller's interval from the roots of its
 * quadratic in mpmath (checked against NumPy's np.roots, and against
 * scipy.stats.ttest_ind_from_stats for agreement with Welch's test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>

#include <cmocka.h>

#include "check.h"
#include "means.h"
#include "numeric.h"

#include "../expected/means_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static tact_means_sample sample(double count, double mean, double variance)
{
	tact_means_sample s = {count, mean, variance};

	return s;
}

static void test_t_interval_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(t_interval_cases); i++) {
		double lower, upper;

		assert_int_equal(tact_means_t_interval(
			sample(t_interval_cases[i].n, t_interval_cases[i].mean,
			       t_interval_cases[i].variance),
			t_interval_cases[i].confidence, &lower, &upper, NULL),
			TACT_OK);
		assert_close(lower, t_interval_cases[i].lower, 1e-12);
		assert_close(upper, t_interval_cases[i].upper, 1e-12);
	}
}

static void test_welch_matches_scipy_and_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(welch_cases); i++) {
		tact_means_welch_result r;

		assert_int_equal(tact_means_welch(
			sample(welch_cases[i].n1, welch_cases[i].m1, welch_cases[i].v1),
			sample(welch_cases[i].n0, welch_cases[i].m0, welch_cases[i].v0),
			welch_cases[i].confidence, &r, NULL), TACT_OK);
		assert_close(r.difference, welch_cases[i].difference, 1e-12);
		assert_close(r.lower, welch_cases[i].lower, 1e-12);
		assert_close(r.upper, welch_cases[i].upper, 1e-12);
		/* SciPy's t and p come from the raw values. */
		assert_close(r.statistic, welch_cases[i].statistic, 1e-11);
		assert_close(r.df, welch_cases[i].df, 1e-10);
		assert_close(r.p_value, welch_cases[i].p_value, 1e-11);
	}
}

static void test_welch_without_variance_is_blank(void **state)
{
	tact_means_welch_result r;

	(void)state;
	assert_int_equal(tact_means_welch(sample(10, 3, 0), sample(12, 2.5, 0),
	                                  0.95, &r, NULL), TACT_OK);
	assert_true(r.difference == 0.5);
	assert_true(isnan(r.lower) && isnan(r.upper) && isnan(r.statistic) &&
	            isnan(r.df) && isnan(r.p_value));
}

static void test_lift_matches_numerical_delta_method(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(lift_cases); i++) {
		double lift, lower, upper;

		assert_int_equal(tact_means_lift(
			sample(lift_cases[i].n1, lift_cases[i].m1, lift_cases[i].v1),
			sample(lift_cases[i].n0, lift_cases[i].m0, lift_cases[i].v0),
			lift_cases[i].confidence, &lift, &lower, &upper, NULL),
			TACT_OK);
		/* The reference's standard error comes from a numerical
		 * derivative (centred differences): good to about 1e-9. */
		assert_close(lift, lift_cases[i].lift, 1e-9);
		assert_close(lower, lift_cases[i].lower, 1e-7);
		assert_close(upper, lift_cases[i].upper, 1e-7);
	}
}

static void test_lift_over_zero_control_is_blank(void **state)
{
	double lift, lower, upper;

	(void)state;
	assert_int_equal(tact_means_lift(sample(10, 3, 1), sample(10, 0, 1),
	                                 0.95, &lift, &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(isnan(lift) && isnan(lower) && isnan(upper));
}

static void test_fieller_matches_mpmath(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(fieller_cases); i++) {
		double lift, lower, upper;
		tact_means_lift_blank why;

		assert_int_equal(tact_means_fieller(
			sample(fieller_cases[i].n1, fieller_cases[i].m1,
			       fieller_cases[i].v1),
			sample(fieller_cases[i].n0, fieller_cases[i].m0,
			       fieller_cases[i].v0),
			fieller_cases[i].crit_lower, fieller_cases[i].crit_upper,
			fieller_cases[i].nonnegative, &lift, &lower, &upper, &why,
			NULL), TACT_OK);
		if ((int)why != fieller_cases[i].why)
			fail_msg("case %zu: why %d, expected %d", i, (int)why,
			         fieller_cases[i].why);
		TACT_ASSERT_CLOSE_(lift, fieller_cases[i].lift, 1e-15, 1e-300);
		TACT_ASSERT_CLOSE_(lower, fieller_cases[i].lower, 1e-12, 1e-15);
		TACT_ASSERT_CLOSE_(upper, fieller_cases[i].upper, 1e-12, 1e-15);
	}
}

/* xorshift64*, for the property test. */
static double uniform(uint64_t *seed)
{
	*seed ^= *seed >> 12;
	*seed ^= *seed << 25;
	*seed ^= *seed >> 27;
	return (double)((*seed * 2685821657736338717ULL) >> 11) * 0x1.0p-53;
}

/*
 * The rule tact-compare relies on: over random samples (small and large,
 * heavy spreads, negative and near-zero control means, constant groups),
 * and critical values (equal, one-sided, unequal, and |t| itself), the
 * lift interval excludes 0 exactly when Welch's t passes the critical
 * value on that side; a blank interval only when the control mean is
 * within crit standard errors of 0 (or is 0, or nothing varies).
 */
static void test_fieller_agrees_with_welch(void **state)
{
	uint64_t seed = 20261206;
	int i, shown = 0, rejections = 0;

	(void)state;
	for (i = 0; i < 5000; i++) {
		double n1 = 2 + floor(uniform(&seed) * (i % 3 ? 60 : 5000));
		double n0 = 2 + floor(uniform(&seed) * (i % 5 ? 60 : 5000));
		double m0 = (uniform(&seed) - 0.3) * 20;
		double m1 = m0 + (uniform(&seed) - 0.5) * (i % 2 ? 4 : 0.5) *
		            (1 + fabs(m0));
		double v1 = pow(10, 3 * uniform(&seed) - 1);
		double v0 = pow(10, 3 * uniform(&seed) - 1);
		double crit_lower = 0.3 + 3 * uniform(&seed), crit_upper;
		double lift, lower, upper, t;
		tact_means_lift_blank why;
		tact_means_welch_result welch;
		tact_means_sample arm, control;

		if (i % 23 == 0)
			v1 = 0;
		if (i % 29 == 0)
			v0 = 0;
		if (i % 31 == 0)
			m1 = m0;
		crit_upper = i % 4 ? crit_lower : i % 8 ? INFINITY :
		             0.3 + 3 * uniform(&seed);
		if (i % 12 == 1)
			crit_lower = INFINITY;
		arm = sample(n1, m1, v1);
		control = sample(n0, m0, v0);
		assert_int_equal(tact_means_welch(arm, control, 0.95, &welch,
		                                  NULL), TACT_OK);
		t = welch.statistic;
		if (i % 13 == 0 && isfinite(t) && t != 0)
			crit_lower = crit_upper = fabs(t);
		if (i % 17 == 0 && isfinite(t) && t != 0)
			crit_lower = crit_upper = nextafter(fabs(t), 0);
		assert_int_equal(tact_means_fieller(arm, control, crit_lower,
		                                    crit_upper, 0, &lift, &lower,
		                                    &upper, &why, NULL), TACT_OK);
		if (why == TACT_MEANS_LIFT_SHOWN) {
			shown++;
			rejections += lower > 0 || upper < 0;
			if ((lower > 0) != (t > crit_lower) ||
			    (upper < 0) != (t < -crit_upper) ||
			    !(lower <= lift && lift <= upper) ||
			    (lift > 0) != (m1 - m0 > 0))
				fail_msg("%g, %.17g, %g against %g, %.17g, %g, crit "
				         "%.17g %.17g: t %.17g, lift %.17g [%.17g, "
				         "%.17g]", n1, m1, v1, n0, m0, v0,
				         crit_lower, crit_upper, t, lift, lower,
				         upper);
		} else if (why == TACT_MEANS_LIFT_UNBOUNDED) {
			/* m0^2 <= crit^2 v0 for a finite side. */
			double c = fmax(isinf(crit_lower) ? 0 : crit_lower,
			                isinf(crit_upper) ? 0 : crit_upper);

			assert_true(m0 * m0 <= c * c * (v0 / n0) * (1 + 1e-12));
			assert_true(isnan(lower) && isnan(upper));
		} else {
			assert_true(why == TACT_MEANS_LIFT_NO_VARIANCE);
			assert_true(v1 == 0 && v0 == 0);
		}
	}
	assert_true(shown > 2500 && rejections > 500 && rejections < shown - 500);
}

static void test_fieller_issue_cases(void **state)
{
	double lift, lower, upper;
	tact_means_lift_blank why;
	tact_means_welch_result welch;
	tact_error error;

	(void)state;
	/* Control n=20, mean 3, variance 81; arm n=18, mean 0.7 (variance
	 * 1.6): Welch p 0.27.  The delta method's z interval was [-115%,
	 * -38%]; Fieller's is unbounded at 95%: blank, with the reason. */
	assert_int_equal(tact_means_welch(sample(18, 0.7, 1.6),
	                                  sample(20, 3, 81), 0.95, &welch, NULL),
	                 TACT_OK);
	assert_close(welch.p_value, 0.27, 0.02);
	assert_int_equal(tact_means_fieller(sample(18, 0.7, 1.6),
	                                    sample(20, 3, 81), 2.09, 2.09, 1,
	                                    &lift, &lower, &upper, &why, NULL),
	                 TACT_OK);
	assert_int_equal(why, TACT_MEANS_LIFT_UNBOUNDED);
	assert_string_equal(tact_means_lift_blank_reason(why),
	                    "control mean not distinguishable from 0");
	assert_true(isnan(lower) && isnan(upper));
	assert_close(lift, -2.3 / 3, 1e-15);
	/* Control -10, arm -5: +50%, the sign of the difference +5. */
	assert_int_equal(tact_means_fieller(sample(50, -5, 100),
	                                    sample(50, -10, 100), 1.98, 1.98, 0,
	                                    &lift, &lower, &upper, &why, NULL),
	                 TACT_OK);
	assert_true(lift == 0.5 && lower > 0 && upper > lift);
	/* A nonnegative metric never goes below -100%. */
	assert_int_equal(tact_means_fieller(sample(10, 0.5, 25),
	                                    sample(100, 5, 4), 2.25, 2.25, 1,
	                                    &lift, &lower, &upper, &why, NULL),
	                 TACT_OK);
	assert_true(lower == -1 && upper < 0);
	assert_int_equal(tact_means_fieller(sample(10, 0.5, 25),
	                                    sample(100, 5, 4), 2.25, 2.25, 0,
	                                    &lift, &lower, &upper, &why, NULL),
	                 TACT_OK);
	assert_true(lower < -1.5);
	/* Blank reasons. */
	assert_int_equal(tact_means_fieller(sample(10, 0.5, 25),
	                                    sample(100, 0, 4), 2.25, 2.25, 0,
	                                    &lift, &lower, &upper, &why, NULL),
	                 TACT_OK);
	assert_int_equal(why, TACT_MEANS_LIFT_ZERO_CONTROL);
	assert_true(isnan(lift) && isnan(lower) && isnan(upper));
	assert_string_equal(tact_means_lift_blank_reason(why), "control mean is 0");
	assert_int_equal(tact_means_fieller(sample(10, 3, 0), sample(10, 2, 0),
	                                    1.96, 1.96, 0, &lift, &lower, &upper,
	                                    &why, NULL), TACT_OK);
	assert_int_equal(why, TACT_MEANS_LIFT_NO_VARIANCE);
	assert_true(lift == 0.5 && isnan(lower) && isnan(upper));
	assert_string_equal(tact_means_lift_blank_reason(TACT_MEANS_LIFT_SHOWN), "");
	/* Errors. */
	tact_error_init(&error);
	assert_int_equal(tact_means_fieller(sample(10, 3, 1), sample(10, 2, 1),
	                                    -1, 1.96, 0, &lift, &lower, &upper,
	                                    &why, &error), TACT_USAGE);
	assert_string_equal(error.message,
	                    "critical value for the lower bound must be positive, got -1");
	assert_int_equal(tact_means_fieller(sample(10, -3, 1), sample(10, 2, 1),
	                                    1.96, 1.96, 1, &lift, &lower, &upper,
	                                    &why, &error), TACT_DATA);
	assert_int_equal(tact_means_fieller(sample(1, 3, 1), sample(10, 2, 1),
	                                    1.96, 1.96, 0, &lift, &lower, &upper,
	                                    NULL, &error), TACT_DATA);
	assert_true(isnan(lift) && isnan(lower) && isnan(upper));
}

static void test_bad_samples_are_data_errors(void **state)
{
	static const tact_means_sample bad[] = {
		{1, 2, 0}, {0, 0, 0}, {-3, 1, 1}, {2.5, 1, 1}, {NAN, 1, 1},
		{10, NAN, 1}, {10, INFINITY, 1}, {10, 1, -1e-9}, {10, 1, NAN},
		{10, 1, INFINITY},
	};
	tact_means_sample good = {10, 1, 1};
	tact_means_welch_result r;
	double a, b, c;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(bad); i++) {
		tact_error error;

		tact_error_init(&error);
		assert_int_equal(tact_means_t_interval(bad[i], 0.95, &a, &b, &error),
		                 TACT_DATA);
		assert_int_equal(error.status, TACT_DATA);
		assert_true(isnan(a) && isnan(b));
		assert_int_equal(tact_means_welch(good, bad[i], 0.95, &r, &error),
		                 TACT_DATA);
		assert_true(isnan(r.p_value));
		assert_int_equal(tact_means_welch(bad[i], good, 0.95, &r, &error),
		                 TACT_DATA);
		assert_int_equal(tact_means_lift(bad[i], good, 0.95, &a, &b, &c,
		                                 &error), TACT_DATA);
	}
}

static void test_messages(void **state)
{
	tact_means_welch_result r;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_means_welch(sample(1, 4, 0), sample(5, 1, 1), 0.95,
	                                  &r, &error), TACT_DATA);
	assert_string_equal(error.message,
	                    "arm needs a whole count of at least 2 values for a variance, got 1");
	assert_int_equal(tact_means_welch(sample(3, 4, 1), sample(5, 1, 1), 1.2,
	                                  &r, &error), TACT_USAGE);
	assert_string_equal(error.message,
	                    "confidence level must be between 0 and 1, got 1.2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_t_interval_matches_statsmodels),
		cmocka_unit_test(test_welch_matches_scipy_and_statsmodels),
		cmocka_unit_test(test_welch_without_variance_is_blank),
		cmocka_unit_test(test_lift_matches_numerical_delta_method),
		cmocka_unit_test(test_lift_over_zero_control_is_blank),
		cmocka_unit_test(test_fieller_matches_mpmath),
		cmocka_unit_test(test_fieller_agrees_with_welch),
		cmocka_unit_test(test_fieller_issue_cases),
		cmocka_unit_test(test_bad_samples_are_data_errors),
		cmocka_unit_test(test_messages),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
