/*
 * test_proportions.c - rates: Wilson, Newcombe, Katz lift, z-test, Fisher,
 * non-inferiority.
 *
 * Expected numbers: tests/expected/proportions_expected.h, printed by
 * tests/expected/proportions.py from statsmodels 0.13 (proportion_confint
 * wilson, confint_proportions_2indep newcomb and log, proportions_ztest,
 * the ratio score test of test_proportions_2indep) and SciPy 1.10
 * (stats.fisher_exact), with the Wilson and Newcombe bounds cross-checked
 * against mpmath at 50 digits, and Fisher's p-values for tables over 1e5
 * units summed exactly in mpmath (SciPy's drift there by up to 5e-10; the
 * header lists where it kept the exact value).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "check.h"
#include "numeric.h"
#include "proportions.h"

#include "../expected/proportions_expected.h"

/* Within rel relatively or within abs absolutely. */
#define assert_close_either(actual, expected, rel, abs) \
	TACT_ASSERT_CLOSE_(actual, expected, rel, abs)

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static tact_proportions_sample sample(double successes, double trials)
{
	tact_proportions_sample s = {successes, trials};

	return s;
}

static void test_wilson_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(wilson_cases); i++) {
		double lower, upper;
		tact_error error;

		tact_error_init(&error);
		assert_int_equal(tact_proportions_wilson(
			sample(wilson_cases[i].x, wilson_cases[i].n),
			wilson_cases[i].confidence, &lower, &upper, &error),
			TACT_OK);
		assert_close(lower, wilson_cases[i].lower, 1e-12);
		assert_close(upper, wilson_cases[i].upper, 1e-12);
	}
}

static void test_wilson_bounds_are_exact_at_zero_and_all(void **state)
{
	double lower, upper;

	(void)state;
	assert_int_equal(tact_proportions_wilson(sample(0, 1000000), 0.95,
	                                         &lower, &upper, NULL), TACT_OK);
	assert_true(lower == 0);
	assert_true(upper > 0);
	assert_int_equal(tact_proportions_wilson(sample(37, 37), 0.95, &lower,
	                                         &upper, NULL), TACT_OK);
	assert_true(upper == 1);
	assert_true(lower < 1);
	/* No trials: blank, not an error. */
	assert_int_equal(tact_proportions_wilson(sample(0, 0), 0.95, &lower,
	                                         &upper, NULL), TACT_OK);
	assert_true(isnan(lower) && isnan(upper));
}

static void test_newcombe_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(newcombe_cases); i++) {
		double difference, lower, upper;

		assert_int_equal(tact_proportions_newcombe(
			sample(newcombe_cases[i].x1, newcombe_cases[i].n1),
			sample(newcombe_cases[i].x0, newcombe_cases[i].n0),
			newcombe_cases[i].confidence, &difference, &lower,
			&upper, NULL), TACT_OK);
		assert_close(difference, newcombe_cases[i].difference, 1e-12);
		assert_close_abs(lower, newcombe_cases[i].lower, 1e-15);
		assert_close(lower, newcombe_cases[i].lower, 1e-9);
		assert_close(upper, newcombe_cases[i].upper, 1e-9);
	}
}

static void test_lift_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(lift_cases); i++) {
		double lift, lower, upper;

		assert_int_equal(tact_proportions_lift(
			sample(lift_cases[i].x1, lift_cases[i].n1),
			sample(lift_cases[i].x0, lift_cases[i].n0),
			lift_cases[i].confidence, &lift, &lower, &upper, NULL),
			TACT_OK);
		/* Relative, or absolute near a lift of 0 (a ratio of 1). */
		assert_close_either(lift, lift_cases[i].lift, 1e-12, 1e-15);
		assert_close_either(lower, lift_cases[i].lower, 1e-10, 1e-14);
		assert_close_either(upper, lift_cases[i].upper, 1e-10, 1e-14);
	}
}

static void test_lift_with_zero_counts(void **state)
{
	double lift, lower, upper;

	(void)state;
	/* The control never converted: the ratio is infinite, all blank. */
	assert_int_equal(tact_proportions_lift(sample(4, 100), sample(0, 100),
	                                       0.95, &lift, &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(isnan(lift) && isnan(lower) && isnan(upper));
	/* The arm never converted: lift -1, no log interval. */
	assert_int_equal(tact_proportions_lift(sample(0, 100), sample(4, 100),
	                                       0.95, &lift, &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(lift == -1);
	assert_true(isnan(lower) && isnan(upper));
	/* Neither converted, and an empty group. */
	assert_int_equal(tact_proportions_lift(sample(0, 100), sample(0, 100),
	                                       0.95, &lift, &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(isnan(lift));
	assert_int_equal(tact_proportions_lift(sample(0, 0), sample(3, 10),
	                                       0.95, &lift, &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(isnan(lift));
	/* Everyone converted in both groups: the interval collapses. */
	assert_int_equal(tact_proportions_lift(sample(8, 8), sample(5, 5),
	                                       0.95, &lift, &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(lift == 0 && lower == 0 && upper == 0);
}

static void test_z_test_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(z_test_cases); i++) {
		double statistic, p_value;

		assert_int_equal(tact_proportions_z_test(
			sample(z_test_cases[i].x1, z_test_cases[i].n1),
			sample(z_test_cases[i].x0, z_test_cases[i].n0),
			&statistic, &p_value, NULL), TACT_OK);
		assert_close_abs(statistic, z_test_cases[i].statistic, 1e-13);
		assert_close(statistic, z_test_cases[i].statistic, 1e-11);
		assert_close(p_value, z_test_cases[i].p_value, 1e-10);
	}
}

static void test_z_test_without_variation_is_blank(void **state)
{
	double statistic, p_value;

	(void)state;
	assert_int_equal(tact_proportions_z_test(sample(0, 50), sample(0, 80),
	                                         &statistic, &p_value, NULL),
	                 TACT_OK);
	assert_true(isnan(statistic) && isnan(p_value));
	assert_int_equal(tact_proportions_z_test(sample(50, 50), sample(80, 80),
	                                         &statistic, &p_value, NULL),
	                 TACT_OK);
	assert_true(isnan(p_value));
	assert_true(tact_proportions_use_fisher(sample(0, 50), sample(0, 80)));
	assert_true(tact_proportions_use_fisher(sample(50, 50), sample(80, 80)));
}

static void test_fisher_matches_scipy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(fisher_cases); i++) {
		double p_value;

		assert_int_equal(tact_proportions_fisher(
			sample(fisher_cases[i].x1, fisher_cases[i].n1),
			sample(fisher_cases[i].x0, fisher_cases[i].n0),
			&p_value, NULL), TACT_OK);
		if (!tact_test_close(p_value, fisher_cases[i].p_value, 1e-12, 0))
			print_error("fisher case %zu: %g/%g vs %g/%g\n", i,
			            fisher_cases[i].x1, fisher_cases[i].n1,
			            fisher_cases[i].x0, fisher_cases[i].n0);
		assert_close(p_value, fisher_cases[i].p_value, 1e-12);
	}
}

static void test_fisher_is_fast_for_huge_groups(void **state)
{
	clock_t start = clock();
	double p_value, z, p_z, seconds;

	(void)state;
	/* A billion per arm: no reference implementation finishes in a test,
	 * but the exact and the normal p-values must then nearly agree. */
	assert_int_equal(tact_proportions_fisher(sample(50010000, 1e9),
	                                         sample(50000000, 1e9),
	                                         &p_value, NULL), TACT_OK);
	seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	assert_int_equal(tact_proportions_z_test(sample(50010000, 1e9),
	                                         sample(50000000, 1e9), &z, &p_z,
	                                         NULL), TACT_OK);
	assert_close(p_value, p_z, 1e-3);
	assert_true(seconds < 2.0);
}

static void test_use_fisher_rule(void **state)
{
	(void)state;
	/* Expected successes: 10 * 3 / 20 = 1.5 < 5. */
	assert_true(tact_proportions_use_fisher(sample(1, 10), sample(2, 10)));
	/* Smallest expected cell 100 * 10 / 200 = 5: not under 5. */
	assert_false(tact_proportions_use_fisher(sample(4, 100), sample(6, 100)));
	/* 100 * 9 / 200 = 4.5. */
	assert_true(tact_proportions_use_fisher(sample(4, 100), sample(5, 100)));
	/* Rare events in a big group still trip it; common ones do not. */
	assert_true(tact_proportions_use_fisher(sample(3, 1000000),
	                                        sample(4, 1000000)));
	assert_false(tact_proportions_use_fisher(sample(500, 1000000),
	                                         sample(560, 1000000)));
	/* A tiny arm against a big control: its expected failures are few. */
	assert_true(tact_proportions_use_fisher(sample(1, 4), sample(400, 1000)));
	assert_true(tact_proportions_use_fisher(sample(0, 0), sample(0, 0)));
}

static void test_noninferiority_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(noninferiority_cases); i++) {
		double statistic, p_value;

		assert_int_equal(tact_proportions_noninferiority(
			sample(noninferiority_cases[i].x1, noninferiority_cases[i].n1),
			sample(noninferiority_cases[i].x0, noninferiority_cases[i].n0),
			noninferiority_cases[i].margin, &statistic, &p_value,
			NULL), TACT_OK);
		assert_close_abs(statistic, noninferiority_cases[i].statistic, 1e-13);
		assert_close(statistic, noninferiority_cases[i].statistic, 1e-9);
		assert_close(p_value, noninferiority_cases[i].p_value, 1e-9);
	}
}

static void test_noninferiority_without_events_is_blank(void **state)
{
	double statistic, p_value;
	tact_error error;

	(void)state;
	assert_int_equal(tact_proportions_noninferiority(
		sample(0, 500), sample(0, 400), 0.1, &statistic, &p_value, NULL),
		TACT_OK);
	assert_true(isnan(statistic) && isnan(p_value));
	tact_error_init(&error);
	assert_int_equal(tact_proportions_noninferiority(
		sample(1, 500), sample(2, 400), -1, &statistic, &p_value, &error),
		TACT_USAGE);
	assert_int_equal(error.status, TACT_USAGE);
}

static void test_bad_counts_are_data_errors(void **state)
{
	static const tact_proportions_sample bad[] = {
		{11, 10}, {-1, 10}, {1, -10}, {2.5, 10}, {1, 10.5}, {NAN, 10},
		{1, INFINITY}, {INFINITY, INFINITY},
	};
	tact_proportions_sample good = {3, 10};
	double a, b, c;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(bad); i++) {
		tact_error error;

		tact_error_init(&error);
		assert_int_equal(tact_proportions_wilson(bad[i], 0.95, &a, &b,
		                                         &error), TACT_DATA);
		assert_int_equal(error.status, TACT_DATA);
		assert_true(error.message[0] != '\0');
		assert_true(isnan(a) && isnan(b));
		assert_int_equal(tact_proportions_newcombe(good, bad[i], 0.95, &a,
		                                           &b, &c, &error), TACT_DATA);
		assert_int_equal(tact_proportions_lift(bad[i], good, 0.95, &a, &b,
		                                       &c, &error), TACT_DATA);
		assert_int_equal(tact_proportions_z_test(good, bad[i], &a, &b,
		                                         &error), TACT_DATA);
		assert_int_equal(tact_proportions_fisher(bad[i], good, &a, &error),
		                 TACT_DATA);
		assert_int_equal(tact_proportions_noninferiority(good, bad[i], 0.1,
		                                                 &a, &b, &error),
		                 TACT_DATA);
	}
}

static void test_error_messages_name_the_group(void **state)
{
	tact_error error;
	double a, b, c;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_proportions_newcombe(sample(3, 10), sample(12, 10),
	                                           0.95, &a, &b, &c, &error),
	                 TACT_DATA);
	assert_string_equal(error.message,
	                    "control successes (12) exceed its trials (10)");
}

static void test_bad_confidence_is_a_usage_error(void **state)
{
	static const double bad[] = {0, 1, -0.5, 1.5, NAN};
	double a, b, c;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(bad); i++) {
		tact_error error;

		tact_error_init(&error);
		assert_int_equal(tact_proportions_wilson(sample(3, 10), bad[i], &a,
		                                         &b, &error), TACT_USAGE);
		assert_int_equal(tact_proportions_newcombe(sample(3, 10),
		                                           sample(4, 10), bad[i],
		                                           &a, &b, &c, &error),
		                 TACT_USAGE);
		assert_int_equal(tact_proportions_lift(sample(3, 10), sample(4, 10),
		                                       bad[i], &a, &b, &c, &error),
		                 TACT_USAGE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wilson_matches_statsmodels),
		cmocka_unit_test(test_wilson_bounds_are_exact_at_zero_and_all),
		cmocka_unit_test(test_newcombe_matches_statsmodels),
		cmocka_unit_test(test_lift_matches_statsmodels),
		cmocka_unit_test(test_lift_with_zero_counts),
		cmocka_unit_test(test_z_test_matches_statsmodels),
		cmocka_unit_test(test_z_test_without_variation_is_blank),
		cmocka_unit_test(test_fisher_matches_scipy),
		cmocka_unit_test(test_fisher_is_fast_for_huge_groups),
		cmocka_unit_test(test_use_fisher_rule),
		cmocka_unit_test(test_noninferiority_matches_statsmodels),
		cmocka_unit_test(test_noninferiority_without_events_is_blank),
		cmocka_unit_test(test_bad_counts_are_data_errors),
		cmocka_unit_test(test_error_messages_name_the_group),
		cmocka_unit_test(test_bad_confidence_is_a_usage_error),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
