/*
 * test_power.c - sample size and minimum detectable effect.
 *
 * Expected numbers: tests/expected/power_expected.h, printed by
 * tests/expected/power.py: roots of statsmodels 0.13's
 * NormalIndPower().power(...) = power (Cohen's h from
 * proportion_effectsize for rates, d = delta / sd for means), solved by
 * SciPy's brentq to 1e-15, since solve_power itself stops early.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check.h"
#include "numeric.h"
#include "power.h"

#include "../expected/power_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static void test_proportion_sample_size_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(proportion_size_cases); i++) {
		double n_control, n_arm;

		assert_int_equal(tact_power_proportions_sample_size(
			proportion_size_cases[i].baseline,
			proportion_size_cases[i].effect,
			proportion_size_cases[i].relative ? TACT_POWER_RELATIVE
			                                  : TACT_POWER_ABSOLUTE,
			proportion_size_cases[i].alpha,
			proportion_size_cases[i].power,
			proportion_size_cases[i].ratio, &n_control, &n_arm, NULL),
			TACT_OK);
		assert_close(n_control, proportion_size_cases[i].n_control, 1e-11);
		assert_close(n_arm, proportion_size_cases[i].n_arm, 1e-11);
	}
}

static void test_proportion_mde_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(proportion_mde_cases); i++) {
		double absolute, relative;

		assert_int_equal(tact_power_proportions_mde(
			proportion_mde_cases[i].baseline,
			proportion_mde_cases[i].n_control,
			proportion_mde_cases[i].alpha, proportion_mde_cases[i].power,
			proportion_mde_cases[i].ratio,
			proportion_mde_cases[i].decrease ? TACT_POWER_DECREASE
			                                 : TACT_POWER_INCREASE,
			&absolute, &relative, NULL), TACT_OK);
		assert_close(absolute, proportion_mde_cases[i].absolute, 1e-11);
		assert_close(relative, proportion_mde_cases[i].relative, 1e-11);
	}
}

static void test_mean_sample_size_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(mean_size_cases); i++) {
		double n_control, n_arm;

		assert_int_equal(tact_power_means_sample_size(
			mean_size_cases[i].baseline, mean_size_cases[i].sd,
			mean_size_cases[i].effect,
			mean_size_cases[i].relative ? TACT_POWER_RELATIVE
			                            : TACT_POWER_ABSOLUTE,
			mean_size_cases[i].alpha, mean_size_cases[i].power,
			mean_size_cases[i].ratio, &n_control, &n_arm, NULL),
			TACT_OK);
		assert_close(n_control, mean_size_cases[i].n_control, 1e-11);
		assert_close(n_arm, mean_size_cases[i].n_arm, 1e-11);
	}
}

static void test_mean_mde_matches_statsmodels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(mean_mde_cases); i++) {
		double absolute, relative;

		assert_int_equal(tact_power_means_mde(
			mean_mde_cases[i].baseline, mean_mde_cases[i].sd,
			mean_mde_cases[i].n_control, mean_mde_cases[i].alpha,
			mean_mde_cases[i].power, mean_mde_cases[i].ratio, &absolute,
			&relative, NULL), TACT_OK);
		assert_close(absolute, mean_mde_cases[i].absolute, 1e-11);
		assert_close(relative, mean_mde_cases[i].relative, 1e-11);
	}
}

static void test_round_trip(void **state)
{
	double n_control, n_arm, absolute, relative;

	(void)state;
	/* The MDE at the size needed for an effect is that effect. */
	assert_int_equal(tact_power_proportions_sample_size(
		0.031, 0.07, TACT_POWER_RELATIVE, 0.05, 0.8, 1.5, &n_control,
		&n_arm, NULL), TACT_OK);
	assert_int_equal(tact_power_proportions_mde(0.031, n_control, 0.05, 0.8,
	                                            1.5, TACT_POWER_INCREASE,
	                                            &absolute, &relative, NULL),
	                 TACT_OK);
	assert_close(relative, 0.07, 1e-12);
	assert_int_equal(tact_power_means_sample_size(12, 30, -0.5,
	                                              TACT_POWER_ABSOLUTE, 0.01,
	                                              0.9, 1, &n_control, &n_arm,
	                                              NULL), TACT_OK);
	assert_int_equal(tact_power_means_mde(12, 30, n_control, 0.01, 0.9, 1,
	                                      &absolute, &relative, NULL),
	                 TACT_OK);
	assert_close(absolute, 0.5, 1e-12);
}

static void test_bad_settings_and_data(void **state)
{
	double a, b;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	/* Settings: usage errors. */
	assert_int_equal(tact_power_proportions_sample_size(
		0.1, 0.01, TACT_POWER_ABSOLUTE, 0, 0.8, 1, &a, &b, &error),
		TACT_USAGE);
	assert_int_equal(tact_power_proportions_sample_size(
		0.1, 0.01, TACT_POWER_ABSOLUTE, 0.05, 0.04, 1, &a, &b, &error),
		TACT_USAGE);
	assert_int_equal(tact_power_proportions_sample_size(
		0.1, 0.01, TACT_POWER_ABSOLUTE, 0.05, 1, 1, &a, &b, &error),
		TACT_USAGE);
	assert_int_equal(tact_power_proportions_sample_size(
		0.1, 0.01, TACT_POWER_ABSOLUTE, 0.05, 0.8, 0, &a, &b, &error),
		TACT_USAGE);
	assert_int_equal(tact_power_proportions_sample_size(
		0.1, 0, TACT_POWER_ABSOLUTE, 0.05, 0.8, 1, &a, &b, &error),
		TACT_USAGE);
	assert_int_equal(tact_power_proportions_sample_size(
		0.6, 0.5, TACT_POWER_ABSOLUTE, 0.05, 0.8, 1, &a, &b, &error),
		TACT_USAGE);
	assert_true(isnan(a) && isnan(b));
	assert_int_equal(tact_power_proportions_sample_size(
		0, 0.5, TACT_POWER_RELATIVE, 0.05, 0.8, 1, &a, &b, &error),
		TACT_USAGE);
	assert_int_equal(tact_power_means_sample_size(
		5, 1, 0, TACT_POWER_ABSOLUTE, 0.05, 0.8, 1, &a, &b, &error),
		TACT_USAGE);
	assert_string_equal(error.message, "effect must be a non-zero number, got 0");
	/* Figures from data: data errors. */
	assert_int_equal(tact_power_proportions_sample_size(
		1.2, 0.01, TACT_POWER_ABSOLUTE, 0.05, 0.8, 1, &a, &b, &error),
		TACT_DATA);
	assert_int_equal(tact_power_proportions_mde(0.1, 0, 0.05, 0.8, 1,
	                                            TACT_POWER_INCREASE, &a, &b,
	                                            &error), TACT_DATA);
	assert_int_equal(tact_power_means_sample_size(
		5, 0, 1, TACT_POWER_ABSOLUTE, 0.05, 0.8, 1, &a, &b, &error),
		TACT_DATA);
	assert_int_equal(tact_power_means_sample_size(
		0, 2, 0.1, TACT_POWER_RELATIVE, 0.05, 0.8, 1, &a, &b, &error),
		TACT_DATA);
	assert_int_equal(tact_power_means_mde(5, -1, 100, 0.05, 0.8, 1, &a, &b,
	                                      &error), TACT_DATA);
	assert_string_equal(error.message,
	                    "standard deviation must be a positive number, got -1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proportion_sample_size_matches_statsmodels),
		cmocka_unit_test(test_proportion_mde_matches_statsmodels),
		cmocka_unit_test(test_mean_sample_size_matches_statsmodels),
		cmocka_unit_test(test_mean_mde_matches_statsmodels),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_settings_and_data),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
