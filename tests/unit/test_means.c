/*
 * test_means.c - t interval, Welch's test and the delta-method lift.
 *
 * Expected numbers: tests/expected/means_expected.h, printed by
 * tests/expected/means.py from seeded raw values: SciPy 1.10's
 * stats.ttest_ind(equal_var=False) for Welch's t and p, statsmodels 0.13's
 * _tconfint_generic with CompareMeans' Satterthwaite df for the intervals,
 * and a numerically differentiated delta method (statsmodels'
 * approx_fprime) for the lift.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
		cmocka_unit_test(test_bad_samples_are_data_errors),
		cmocka_unit_test(test_messages),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
