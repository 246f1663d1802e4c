/*
 * test_bayes.c - chance to beat control and expected loss.
 *
 * Expected numbers: tests/expected/bayes_expected.h, printed by
 * tests/expected/bayes.py: for rates, Evan Miller's closed-form sum for
 * Beta posteriors with integer parameters, in mpmath at 50 digits (and
 * scipy.integrate.quad for the small groups); for means, SciPy's normal
 * cdf and scipy.integrate.quad / mpmath.quad of the loss integral.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "bayes.h"
#include "check.h"
#include "numeric.h"

#include "../expected/bayes_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Within rel relatively or within abs absolutely. */
#define assert_close_either(actual, expected, rel, abs) \
	TACT_ASSERT_CLOSE_(actual, expected, rel, abs)

static void test_rates_match_closed_form(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(rate_cases); i++) {
		tact_proportions_sample arm = {rate_cases[i].x1, rate_cases[i].n1};
		tact_proportions_sample control = {rate_cases[i].x0, rate_cases[i].n0};
		double chance, loss;
		tact_error error;

		tact_error_init(&error);
		assert_int_equal(tact_bayes_rates(arm, control,
		                                  rate_cases[i].lower_is_better ?
		                                  TACT_BAYES_LOWER_IS_BETTER :
		                                  TACT_BAYES_HIGHER_IS_BETTER,
		                                  &chance, &loss, &error), TACT_OK);
		if (!tact_test_close(chance, rate_cases[i].chance, 1e-10, 0) ||
		    !tact_test_close(loss, rate_cases[i].loss, 1e-10, 0))
			print_error("case %zu: %g/%g vs %g/%g\n", i,
			            rate_cases[i].x1, rate_cases[i].n1,
			            rate_cases[i].x0, rate_cases[i].n0);
		/* Far tighter than the 1e-4 an analyst needs: the method is
		 * good to about 1e-12 from 1 trial to a billion. */
		assert_close(chance, rate_cases[i].chance, 1e-10);
		assert_close(loss, rate_cases[i].loss, 1e-10);
	}
}

static void test_direction_swaps_roles(void **state)
{
	tact_proportions_sample arm = {130, 1000}, control = {100, 1000};
	double chance_up, loss_up, chance_down, loss_down;

	(void)state;
	assert_int_equal(tact_bayes_rates(arm, control,
	                                  TACT_BAYES_HIGHER_IS_BETTER, &chance_up,
	                                  &loss_up, NULL), TACT_OK);
	assert_int_equal(tact_bayes_rates(control, arm,
	                                  TACT_BAYES_LOWER_IS_BETTER,
	                                  &chance_down, &loss_down, NULL),
	                 TACT_OK);
	/* "arm higher than control" is "control lower than arm". */
	assert_close(chance_down, chance_up, 1e-12);
	assert_close(loss_down, loss_up, 1e-12);
}

static void test_huge_groups_are_fast(void **state)
{
	/* A billion trials per arm: posteriors of width 1e-5 in [0, 1], and
	 * parameters where GSL's own beta cdf returns NaN. */
	tact_proportions_sample arm = {500030000, 1000000000};
	tact_proportions_sample control = {500000000, 1000000000};
	clock_t start = clock();
	double chance, loss, z, mean_gap, spread;

	(void)state;
	assert_int_equal(tact_bayes_rates(arm, control,
	                                  TACT_BAYES_HIGHER_IS_BETTER, &chance,
	                                  &loss, NULL), TACT_OK);
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
	/* At this size both posteriors are normal to many digits: compare
	 * with the normal closed forms. */
	mean_gap = (500030001.0 - 500000001.0) / 1000000002.0;
	spread = sqrt(2 * 0.5 * 0.5 / 1000000003.0);
	z = mean_gap / spread;
	assert_close(chance, 0.5 * erfc(-z / sqrt(2)), 1e-6);
	assert_close(loss, spread * exp(-z * z / 2) / sqrt(2 * acos(-1.0)) -
	                   mean_gap * 0.5 * erfc(z / sqrt(2)), 1e-5);
}

static void test_means_match_scipy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(mean_cases); i++) {
		tact_means_sample arm = {mean_cases[i].n1, mean_cases[i].m1,
		                         mean_cases[i].v1};
		tact_means_sample control = {mean_cases[i].n0, mean_cases[i].m0,
		                             mean_cases[i].v0};
		double chance, loss;

		assert_int_equal(tact_bayes_means(arm, control,
		                                  mean_cases[i].lower_is_better ?
		                                  TACT_BAYES_LOWER_IS_BETTER :
		                                  TACT_BAYES_HIGHER_IS_BETTER,
		                                  &chance, &loss, NULL), TACT_OK);
		assert_close(chance, mean_cases[i].chance, 1e-12);
		assert_close_either(loss, mean_cases[i].loss, 1e-10, 1e-300);
	}
}

static void test_means_without_spread(void **state)
{
	tact_means_sample arm = {5, 3, 0}, control = {5, 2, 0};
	double chance, loss;

	(void)state;
	assert_int_equal(tact_bayes_means(arm, control,
	                                  TACT_BAYES_HIGHER_IS_BETTER, &chance,
	                                  &loss, NULL), TACT_OK);
	assert_true(chance == 1 && loss == 0);
	assert_int_equal(tact_bayes_means(arm, control,
	                                  TACT_BAYES_LOWER_IS_BETTER, &chance,
	                                  &loss, NULL), TACT_OK);
	assert_true(chance == 0 && loss == 1);
	assert_int_equal(tact_bayes_means(arm, arm, TACT_BAYES_HIGHER_IS_BETTER,
	                                  &chance, &loss, NULL), TACT_OK);
	assert_true(chance == 0.5 && loss == 0);
}

static void test_bad_input(void **state)
{
	tact_proportions_sample good = {3, 10}, bad = {11, 10};
	tact_means_sample mean_good = {10, 1, 1}, mean_bad = {1, 1, 1};
	double chance, loss;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_bayes_rates(good, bad, TACT_BAYES_HIGHER_IS_BETTER,
	                                  &chance, &loss, &error), TACT_DATA);
	assert_string_equal(error.message,
	                    "control successes (11) exceed its trials (10)");
	assert_true(isnan(chance) && isnan(loss));
	assert_int_equal(tact_bayes_means(mean_bad, mean_good,
	                                  TACT_BAYES_HIGHER_IS_BETTER, &chance,
	                                  &loss, &error), TACT_DATA);
	assert_true(isnan(chance) && isnan(loss));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_match_closed_form),
		cmocka_unit_test(test_direction_swaps_roles),
		cmocka_unit_test(test_huge_groups_are_fast),
		cmocka_unit_test(test_means_match_scipy),
		cmocka_unit_test(test_means_without_spread),
		cmocka_unit_test(test_bad_input),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
