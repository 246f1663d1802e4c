/*
 * test_chisquare.c - sample-ratio goodness of fit and r x c independence.
 *
 * Expected numbers: tests/expected/chisquare_expected.h, printed by
 * tests/expected/chisquare.py from SciPy 1.10's stats.chisquare and
 * stats.chi2_contingency(correction=False) (tail p-values confirmed with
 * mpmath).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check.h"
#include "chisquare.h"
#include "numeric.h"

#include "../expected/chisquare_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static void test_goodness_of_fit_matches_scipy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(gof_cases); i++) {
		double statistic, df, p_value;

		assert_int_equal(tact_chisquare_goodness_of_fit(
			gof_cases[i].observed, gof_cases[i].planned,
			gof_cases[i].count, &statistic, &df, &p_value, NULL),
			TACT_OK);
		if (!tact_test_close(p_value, gof_cases[i].p_value, 1e-10, 0))
			print_error("case '%s'\n", gof_cases[i].name);
		assert_close_abs(statistic, gof_cases[i].statistic, 1e-12);
		assert_close(statistic, gof_cases[i].statistic, 1e-12);
		assert_true(df == gof_cases[i].df);
		assert_close(p_value, gof_cases[i].p_value, 1e-10);
	}
}

static void test_independence_matches_scipy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(independence_cases); i++) {
		double statistic, df, p_value;

		assert_int_equal(tact_chisquare_independence(
			independence_cases[i].cells, independence_cases[i].rows,
			independence_cases[i].columns, &statistic, &df, &p_value,
			NULL), TACT_OK);
		if (!tact_test_close(p_value, independence_cases[i].p_value, 1e-10, 0))
			print_error("case '%s'\n", independence_cases[i].name);
		assert_close(statistic, independence_cases[i].statistic, 1e-11);
		assert_true(df == independence_cases[i].df);
		assert_close(p_value, independence_cases[i].p_value, 1e-10);
	}
}

static void test_nothing_to_test_is_blank(void **state)
{
	const double no_units[] = {0, 0, 0};
	const double plan[] = {1, 1, 1};
	const double one_arm[] = {40, 60, 0, 0};          /* 2 x 2, one empty row */
	const double no_events[] = {0, 100, 0, 120, 0, 90}; /* 3 x 2 */
	double statistic, df, p_value;

	(void)state;
	assert_int_equal(tact_chisquare_goodness_of_fit(no_units, plan, 3,
	                                                &statistic, &df,
	                                                &p_value, NULL), TACT_OK);
	assert_true(isnan(statistic) && isnan(p_value));
	assert_true(df == 2);
	assert_int_equal(tact_chisquare_independence(one_arm, 2, 2, &statistic,
	                                             &df, &p_value, NULL),
	                 TACT_OK);
	assert_true(isnan(statistic) && isnan(p_value) && df == 0);
	assert_int_equal(tact_chisquare_independence(no_events, 3, 2, &statistic,
	                                             &df, &p_value, NULL),
	                 TACT_OK);
	assert_true(isnan(statistic) && isnan(p_value) && df == 0);
	assert_int_equal(tact_chisquare_independence(NULL, 0, 2, &statistic, &df,
	                                             &p_value, NULL), TACT_OK);
	assert_true(isnan(p_value));
}

static void test_bad_input(void **state)
{
	const double counts[] = {10, -1};
	const double good[] = {10, 12};
	const double plan[] = {1, 1};
	const double bad_plan[] = {1, 0};
	const double table[] = {1, 2, 3, NAN};
	double statistic, df, p_value;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_chisquare_goodness_of_fit(counts, plan, 2,
	                                                &statistic, &df,
	                                                &p_value, &error),
	                 TACT_DATA);
	assert_string_equal(error.message,
	                    "arm count 2 must be a finite non-negative count, got -1");
	assert_int_equal(tact_chisquare_goodness_of_fit(good, bad_plan, 2,
	                                                &statistic, &df,
	                                                &p_value, &error),
	                 TACT_DATA);
	assert_string_equal(error.message,
	                    "planned share 2 must be a positive number, got 0");
	assert_int_equal(tact_chisquare_goodness_of_fit(good, plan, 1,
	                                                &statistic, &df,
	                                                &p_value, &error),
	                 TACT_DATA);
	assert_int_equal(tact_chisquare_independence(table, 2, 2, &statistic,
	                                             &df, &p_value, &error),
	                 TACT_DATA);
	assert_string_equal(error.message,
	                    "cell at row 2, column 2 must be a finite non-negative count, got nan");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goodness_of_fit_matches_scipy),
		cmocka_unit_test(test_independence_matches_scipy),
		cmocka_unit_test(test_nothing_to_test_is_blank),
		cmocka_unit_test(test_bad_input),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
