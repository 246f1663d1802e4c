/*
 * test_proportions.c - rates: Wilson, Newcombe, Katz lift, z-test, Fisher,
 * non-inferiority, and the score intervals that invert the z-test.
 *
 * Expected numbers: tests/expected/proportions_expected.h, printed by
 * tests/expected/proportions.py from statsmodels 0.13 (proportion_confint
 * wilson, confint_proportions_2indep newcomb and log, proportions_ztest,
 * the ratio score test of test_proportions_2indep) and SciPy 1.10
 * (stats.fisher_exact), with the Wilson and Newcombe bounds cross-checked
 * against mpmath at 50 digits, and Fisher's p-values for tables over 1e5
 * units summed exactly in mpmath (SciPy's drift there by up to 5e-10; the
 * header lists where it kept the exact value).  The score intervals are
 * solved from their definition in mpmath (statsmodels 0.13's difference
 * interval is wrong, its ratio interval is checked where it is right: see
 * the script).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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

static void test_score_intervals_match_mpmath(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(score_cases); i++) {
		double lower, upper;
		tact_proportions_sample arm = sample(score_cases[i].x1,
		                                     score_cases[i].n1);
		tact_proportions_sample control = sample(score_cases[i].x0,
		                                         score_cases[i].n0);

		assert_int_equal(tact_proportions_score_difference(
			arm, control, score_cases[i].crit_lower,
			score_cases[i].crit_upper, &lower, &upper, NULL), TACT_OK);
		assert_close_either(lower, score_cases[i].diff_lower, 1e-12, 1e-17);
		assert_close_either(upper, score_cases[i].diff_upper, 1e-12, 1e-17);
		assert_int_equal(tact_proportions_score_ratio(
			arm, control, score_cases[i].crit_lower,
			score_cases[i].crit_upper, &lower, &upper, NULL), TACT_OK);
		assert_close_either(lower, score_cases[i].lift_lower, 1e-12, 1e-15);
		assert_close_either(upper, score_cases[i].lift_upper, 1e-12, 1e-15);
	}
}

/* A deterministic generator for the property tests (xorshift64*). */
static double uniform(uint64_t *seed)
{
	*seed ^= *seed >> 12;
	*seed ^= *seed << 25;
	*seed ^= *seed >> 27;
	return (double)((*seed * 2685821657736338717ULL) >> 11) * 0x1.0p-53;
}

/*
 * The rule tact-compare relies on: each interval excludes 0 (the lift:
 * a ratio of 1) exactly when the pooled z-test rejects on that side,
 * lower > 0 iff z > crit_lower and upper < 0 iff z < -crit_upper, over
 * random tables (small, large, rare, common, x = 0 and x = n) and levels,
 * and on the knife edge where the critical value is |z| itself.
 */
static void test_score_intervals_agree_with_z_test(void **state)
{
	uint64_t seed = 20261206;
	int i, rejections = 0;

	(void)state;
	for (i = 0; i < 4000; i++) {
		double sizes[] = {5, 40, 300, 5000, 1e6};
		double n1 = 1 + floor(uniform(&seed) * sizes[i % 5]);
		double n0 = 1 + floor(uniform(&seed) * sizes[(i / 5) % 5]);
		double rate = uniform(&seed) < 0.3 ? 0.002 : uniform(&seed);
		double x1 = fmin(n1, floor(n1 * rate * (0.7 + 0.6 * uniform(&seed)) +
		                           uniform(&seed)));
		double x0 = fmin(n0, floor(n0 * rate + uniform(&seed)));
		double crit_lower = 0.5 + 3 * uniform(&seed), crit_upper, z, p;
		double d_lower, d_upper, l_lower, l_upper;
		tact_proportions_sample arm, control;

		if (i % 7 == 0)
			x1 = i % 2 ? 0 : n1;
		if (i % 11 == 0)
			x0 = i % 3 ? n0 : 0;
		crit_upper = i % 4 ? crit_lower : 0.5 + 3 * uniform(&seed);
		arm = sample(x1, n1);
		control = sample(x0, n0);
		assert_int_equal(tact_proportions_z_test(arm, control, &z, &p, NULL),
		                 TACT_OK);
		if (i % 13 == 0 && isfinite(z) && z != 0)
			crit_lower = crit_upper = fabs(z); /* on the edge */
		if (i % 17 == 0 && isfinite(z) && z != 0)
			crit_lower = crit_upper = nextafter(fabs(z), 0);
		assert_int_equal(tact_proportions_score_difference(
			arm, control, crit_lower, crit_upper, &d_lower, &d_upper,
			NULL), TACT_OK);
		assert_int_equal(tact_proportions_score_ratio(
			arm, control, crit_lower, crit_upper, &l_lower, &l_upper,
			NULL), TACT_OK);
		if ((d_lower > 0) != (z > crit_lower) ||
		    (d_upper < 0) != (z < -crit_upper) ||
		    (l_lower > 0) != (z > crit_lower) ||
		    (l_upper < 0) != (z < -crit_upper) ||
		    !(d_lower <= d_upper) || !(l_lower <= l_upper) ||
		    d_lower < -1 || d_upper > 1 || l_lower < -1)
			fail_msg("%g/%g against %g/%g, crit %.17g %.17g: z %.17g, "
			         "difference [%.17g, %.17g], lift [%.17g, %.17g]",
			         x1, n1, x0, n0, crit_lower, crit_upper, z, d_lower,
			         d_upper, l_lower, l_upper);
		rejections += d_lower > 0 || d_upper < 0;
	}
	/* The draws reach both answers often. */
	assert_true(rejections > 400 && rejections < 3600);
}

static void test_score_intervals_edge_cases(void **state)
{
	double lower, upper;
	tact_error error;

	(void)state;
	/* Everyone converted in both arms: a proper interval around 0, where
	 * the log (Katz) method collapses to [0, 0]. */
	assert_int_equal(tact_proportions_score_ratio(sample(40, 40),
	                                              sample(50, 50), 1.96, 1.96,
	                                              &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(lower < -0.05 && upper > 0.05);
	/* Exactly: T(r) = sqrt(n1 (1 - r) / r) below 1, sqrt(n0 (r - 1))
	 * above: r = n1 / (n1 + z^2) and 1 + z^2 / n0. */
	assert_close(lower, 40 / (40 + 1.96 * 1.96) - 1, 1e-13);
	assert_close(upper, 1.96 * 1.96 / 50, 1e-13);
	/* No successes anywhere: the difference's interval is finite (the
	 * Wilson-like ends c^2 / (n + c^2)), the ratio's is everything. */
	assert_int_equal(tact_proportions_score_difference(sample(0, 40),
	                                                   sample(0, 50), 1.96,
	                                                   1.96, &lower, &upper,
	                                                   NULL), TACT_OK);
	assert_close(lower, -1.96 * 1.96 / (50 + 1.96 * 1.96), 1e-13);
	assert_close(upper, 1.96 * 1.96 / (40 + 1.96 * 1.96), 1e-13);
	assert_int_equal(tact_proportions_score_ratio(sample(0, 40),
	                                              sample(0, 50), 1.96, 1.96,
	                                              &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(lower == -1 && upper == INFINITY);
	/* A control without successes: no upper end for the lift. */
	assert_int_equal(tact_proportions_score_ratio(sample(5, 10),
	                                              sample(0, 10), 1.96, 1.96,
	                                              &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(lower > 0 && upper == INFINITY);
	/* An arm without successes: the lift reaches -1 exactly. */
	assert_int_equal(tact_proportions_score_ratio(sample(0, 10),
	                                              sample(5, 10), 1.96, 1.96,
	                                              &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(lower == -1 && upper < 0);
	/* One-sided: the open side is -1 / 1 / +INFINITY. */
	assert_int_equal(tact_proportions_score_difference(sample(30, 100),
	                                                   sample(20, 100), 1.64,
	                                                   INFINITY, &lower,
	                                                   &upper, NULL), TACT_OK);
	assert_true(lower > -0.01 && lower < 0 && upper == 1);
	assert_int_equal(tact_proportions_score_ratio(sample(30, 100),
	                                              sample(20, 100), INFINITY,
	                                              1.64, &lower, &upper, NULL),
	                 TACT_OK);
	assert_true(lower == -1 && upper > 1 && isfinite(upper));
	/* The extremes of the difference: 0/n against m/m reaches -1. */
	assert_int_equal(tact_proportions_score_difference(sample(0, 7),
	                                                   sample(9, 9), 1.96,
	                                                   1.96, &lower, &upper,
	                                                   NULL), TACT_OK);
	assert_true(lower == -1 && upper < -0.5);
	/* No trials: blank.  Bad critical values: usage errors. */
	assert_int_equal(tact_proportions_score_difference(sample(0, 0),
	                                                   sample(3, 9), 1.96,
	                                                   1.96, &lower, &upper,
	                                                   NULL), TACT_OK);
	assert_true(isnan(lower) && isnan(upper));
	tact_error_init(&error);
	assert_int_equal(tact_proportions_score_ratio(sample(3, 9), sample(3, 9),
	                                              0, 1.96, &lower, &upper,
	                                              &error), TACT_USAGE);
	assert_string_equal(error.message,
	                    "critical value for the lower bound must be positive, got 0");
	assert_int_equal(tact_proportions_score_difference(sample(3, 9),
	                                                   sample(3, 9), 1.96,
	                                                   NAN, &lower, &upper,
	                                                   &error), TACT_USAGE);
	assert_int_equal(tact_proportions_score_difference(sample(3, 9),
	                                                   sample(13, 9), 1.96,
	                                                   1.96, &lower, &upper,
	                                                   &error), TACT_DATA);
	assert_true(isnan(lower) && isnan(upper));
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
		cmocka_unit_test(test_score_intervals_match_mpmath),
		cmocka_unit_test(test_score_intervals_agree_with_z_test),
		cmocka_unit_test(test_score_intervals_edge_cases),
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
