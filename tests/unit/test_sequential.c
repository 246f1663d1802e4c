/*
 * test_sequential.c - always-valid intervals and p-values (lib/sequential).
 *
 * Expected numbers: tests/expected/sequential_expected.h, printed by
 * tests/expected/sequential.py (a NumPy/SciPy transcription of
 * GrowthBook's gbstats formulas, its one-sided p-values by root finding).
 * Beside them, GrowthBook's own published fixture values, cited where used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "numeric.h"
#include "sequential.h"

#include "../expected/sequential_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const sequential_case *find(const char *name)
{
	size_t i;

	for (i = 0; i < COUNT(cases); i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	fail_msg("no case '%s'", name);
	return NULL;
}

static void run(const sequential_case *k, tact_sequential_result *r)
{
	double rho;

	assert_int_equal(tact_sequential_rho(k->alpha, k->tuning, k->side, &rho,
	                                     NULL), TACT_OK);
	assert_int_equal(tact_sequential_test(k->estimate, k->se, k->n, k->a, rho,
	                                      k->side, r, NULL), TACT_OK);
}

static void test_matches_scipy(void **state)
{
	tact_sequential_result r;
	size_t i;
	double rho;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		const sequential_case *k = &cases[i];
		print_message("case %s\n", k->name);
		assert_int_equal(tact_sequential_rho(k->alpha, k->tuning, k->side,
		                                     &rho, NULL), TACT_OK);
		assert_close(rho, k->rho, 1e-12);
		run(k, &r);
		assert_close(r.half_width, k->half_width, 1e-12);
		assert_close(r.low, k->low, 1e-12);
		assert_close(r.high, k->high, 1e-12);
		/* brentq's root: 1e-9 relative; p = 0 below 1e-300 there. */
		if (k->p_value == 0)
			assert_true(r.p_value < 1e-300);
		else
			assert_close(r.p_value, k->p_value, 1e-9);
	}
}

/*
 * GrowthBook's fixtures, packages/stats/tests/frequentist/test_tests.py
 * (github:growthbook/growthbook, commit 8f1db44): the inputs are its
 * SampleMeanStatistic(sum=1396.87, sum_squares=52377.9767, n=3000) and
 * (2422.7, 134698.29, 3461), ProportionStatistic(1396, 3000) and
 * (2422, 3461); the estimates and standard errors are gbstats' (computed
 * in sequential.py).
 */
static void test_growthbook_fixtures(void **state)
{
	tact_sequential_result r;

	(void)state;
	/* TestSequentialOneSidedGreaterTTest.test_one_sided_ttest_absolute:
	 * ci=(-0.12656844172804982, np.inf) */
	run(find("gb means absolute greater"), &r);
	assert_close(r.low, -0.12656844172804982, 1e-6);
	assert_true(isinf(r.high) && r.high > 0);
	/* TestSequentialOneSidedLesserTTest.test_one_sided_ttest_absolute:
	 * ci=(-np.inf, 0.5953217750613832) */
	run(find("gb means absolute less"), &r);
	assert_close(r.high, 0.5953217750613832, 1e-6);
	/* TestSequentialTTest.test_sequential_test_runs (relative, tuning
	 * 1000): ci=(-0.55844, 1.56516), pValue=1; published to 5 decimals. */
	run(find("gb means relative tuning 1000"), &r);
	assert_close_abs(r.low, -0.55844, 5e-6);
	assert_close_abs(r.high, 1.56516, 5e-6);
	assert_true(r.p_value == 1);
	/* TestSequentialTTest.test_sequential_test_runs_prop (relative):
	 * ci=(0.40098, 0.60675), pValue=0.0 (to 5 decimals). */
	run(find("gb rates relative"), &r);
	assert_close_abs(r.low, 0.40098, 5e-6);
	assert_close_abs(r.high, 0.60675, 5e-6);
	assert_true(r.p_value < 5e-6);
}

/* The interval at 1 - a excludes 0 exactly when p < a, for any a: what
 * lets a multiple-testing level a_row go into the log term only. */
static void test_interval_inverts_p(void **state)
{
	static const tact_sequential_side sides[] = {
		TACT_SEQUENTIAL_TWO_SIDED, TACT_SEQUENTIAL_GREATER,
		TACT_SEQUENTIAL_LESS};
	tact_sequential_result r;
	double rho, a, z;
	size_t s;

	(void)state;
	for (s = 0; s < 3; s++) {
		assert_int_equal(tact_sequential_rho(0.05, 5000, sides[s], &rho, NULL),
		                 TACT_OK);
		for (a = 0.001; a < 0.2; a *= 1.7)
			for (z = -9; z <= 9; z += 0.37) {
				assert_int_equal(tact_sequential_test(z * 0.1, 0.1, 4000, a,
				                                      rho, sides[s], &r, NULL),
				                 TACT_OK);
				assert_int_equal(r.low > 0 || r.high < 0, r.p_value < a);
			}
	}
}

static void test_edges(void **state)
{
	tact_sequential_result r;
	double rho;

	(void)state;
	assert_int_equal(tact_sequential_rho(0, 5000, TACT_SEQUENTIAL_TWO_SIDED,
	                                     &rho, NULL), TACT_USAGE);
	assert_int_equal(tact_sequential_rho(0.5, 5000, TACT_SEQUENTIAL_LESS,
	                                     &rho, NULL), TACT_USAGE);
	assert_int_equal(tact_sequential_rho(0.05, 0, TACT_SEQUENTIAL_LESS, &rho,
	                                     NULL), TACT_USAGE);
	assert_int_equal(tact_sequential_rho(0.05, 5000, TACT_SEQUENTIAL_TWO_SIDED,
	                                     &rho, NULL), TACT_OK);
	assert_int_equal(tact_sequential_test(1, 0, 100, 0.05, rho,
	                                      TACT_SEQUENTIAL_TWO_SIDED, &r, NULL),
	                 TACT_OK);
	assert_true(r.p_value == 0 && r.low == 1 && r.high == 1);
	assert_true(tact_sequential_p_value(0, 0, 100, rho,
	                                    TACT_SEQUENTIAL_TWO_SIDED) == 1);
	assert_int_equal(tact_sequential_test(NAN, 1, 100, 0.05, rho,
	                                      TACT_SEQUENTIAL_TWO_SIDED, &r, NULL),
	                 TACT_DATA);
	assert_int_equal(tact_sequential_test(1, 1, 0, 0.05, rho,
	                                      TACT_SEQUENTIAL_TWO_SIDED, &r, NULL),
	                 TACT_USAGE);
	/* A huge z: the p-value underflows to 0, never NaN. */
	assert_true(tact_sequential_p_value(1e6, 1, 1e6, rho,
	                                    TACT_SEQUENTIAL_TWO_SIDED) == 0);
	assert_true(tact_sequential_p_value(1e6, 1, 1e6, rho,
	                                    TACT_SEQUENTIAL_GREATER) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_scipy),
		cmocka_unit_test(test_growthbook_fixtures),
		cmocka_unit_test(test_interval_inverts_p),
		cmocka_unit_test(test_edges),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
