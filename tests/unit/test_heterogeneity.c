/*
 * test_heterogeneity.c - Cochran's Q, I^2, the pooled effect and the
 * Gail-Simon test for a qualitative interaction.
 *
 * Expected numbers: tests/expected/heterogeneity_expected.h, printed by
 * tests/expected/heterogeneity.py with numpy and SciPy 1.10 (chi2.sf,
 * special.comb, optimize.brentq).  The Gail-Simon critical values are also
 * checked against the published table (Gail & Simon 1985, Biometrics 41:361,
 * Table 1: critical values for I = 2..10, 12, ..., 30 subsets at alpha =
 * 0.20, 0.10, 0.05, 0.025, 0.001), as tabulated to two decimals in the R
 * package QualInt 1.0.0 (cvaluef).  A few entries: the published value,
 * then tact's (the formula's), with K the number of segments:
 *
 *     K   alpha 0.10  alpha 0.05  alpha 0.025
 *     2   1.64        2.71        3.84
 *     3   2.95        4.23        5.54
 *     4   4.01        5.43        6.86
 *     5   4.96        6.50        8.02
 *     10  9.02        10.99       12.87
 *     30  22.55       25.50       28.23
 *
 * all reproduced to the table's rounding; 9 of the 80 entries differ by
 * 0.01 or 0.02, and one (K = 9, alpha = 0.20) reads 6.75 where the formula
 * gives 6.25, between its neighbours 5.56 and 6.92: a slip in the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "heterogeneity.h"
#include "numeric.h"

#include "../expected/heterogeneity_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define REL 1e-12

static void test_matches_scipy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(heterogeneity_cases); i++) {
		const heterogeneity_case *c = &heterogeneity_cases[i];
		tact_heterogeneity_result r;
		tact_error error;

		print_message("case %s\n", c->name);
		tact_error_init(&error);
		assert_int_equal(tact_heterogeneity_test(c->effects,
		                                         c->standard_errors,
		                                         c->segments, &r, &error),
		                 TACT_OK);
		assert_int_equal(r.segments, c->segments);
		assert_int_equal(r.degrees_of_freedom, c->segments - 1);
		assert_close(r.pooled_effect, c->pooled_effect, REL);
		assert_close(r.pooled_standard_error, c->pooled_standard_error, REL);
		assert_close(r.q, c->q, REL);
		assert_close(r.q_p_value, c->q_p_value, 1e-10);
		/* I^2 is 0 exactly when Q <= df. */
		if (c->i_squared == 0)
			assert_true(r.i_squared == 0.0);
		else
			assert_close(r.i_squared, c->i_squared, REL);
		assert_close(r.q_positive, c->q_positive, REL);
		assert_close(r.q_negative, c->q_negative, REL);
		assert_close(r.gail_simon_statistic, c->gail_simon_statistic, REL);
		assert_close(r.gail_simon_p_value, c->gail_simon_p_value, 1e-10);
	}
}

static void test_gail_simon_p_value_matches_scipy(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(gail_simon_p_cases); i++) {
		const gail_simon_p_case *c = &gail_simon_p_cases[i];
		double p = -1;
		tact_error error;

		tact_error_init(&error);
		assert_int_equal(tact_heterogeneity_gail_simon_p_value(
			c->statistic, c->segments, &p, &error), TACT_OK);
		assert_close(p, c->p, 1e-10);
	}
}

/* At statistic 0 every chi-square tail is 1: p = 1 - 2^-(K-1). */
static void test_gail_simon_p_value_at_zero(void **state)
{
	double p;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_heterogeneity_gail_simon_p_value(0, 2, &p, &error),
	                 TACT_OK);
	assert_close(p, 0.5, 1e-15);
	assert_int_equal(tact_heterogeneity_gail_simon_p_value(0, 4, &p, &error),
	                 TACT_OK);
	assert_close(p, 0.875, 1e-15);
	assert_int_equal(tact_heterogeneity_gail_simon_p_value(INFINITY, 4, &p,
	                                                       &error),
	                 TACT_OK);
	assert_true(p == 0.0);
}

static void test_critical_values_match_scipy_and_the_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(gail_simon_critical_cases); i++) {
		const gail_simon_critical_case *c = &gail_simon_critical_cases[i];
		double critical = -1, p;
		tact_error error;

		tact_error_init(&error);
		assert_int_equal(tact_heterogeneity_gail_simon_critical_value(
			c->segments, c->alpha, &critical, &error), TACT_OK);
		assert_close(critical, c->critical, 1e-9);
		if (c->segments == 9 && c->alpha == 0.20)
			assert_close_abs(critical, 6.25, 0.005);  /* table: 6.75 */
		else
			assert_close_abs(critical, c->published, 0.025);
		/* And the critical value is where the p-value is alpha. */
		assert_int_equal(tact_heterogeneity_gail_simon_p_value(
			critical, c->segments, &p, &error), TACT_OK);
		assert_close(p, c->alpha, 1e-9);
	}
}

/* K = 2: the null distribution is half a chi-square with 1 df, so the
 * critical value is chi-square(1)'s upper 2 alpha point (1.96^2 at 0.025). */
static void test_two_segments(void **state)
{
	double critical;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_heterogeneity_gail_simon_critical_value(
		2, 0.025, &critical, &error), TACT_OK);
	assert_close(critical, 3.8414588206941236, 1e-10);
}

static void test_degenerate_input_is_refused(void **state)
{
	double effects[3] = {0.1, -0.2, 0.3}, se[3] = {0.1, 0.1, 0.1};
	tact_heterogeneity_result r;
	tact_error error;
	double p, c;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_heterogeneity_test(effects, se, 1, &r, &error),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "at least 2 segments"));
	assert_int_equal(tact_heterogeneity_test(effects, se, 0, &r, &error),
	                 TACT_DATA);

	se[1] = 0;
	assert_int_equal(tact_heterogeneity_test(effects, se, 3, &r, &error),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "segment 2"));
	se[1] = -0.1;
	assert_int_equal(tact_heterogeneity_test(effects, se, 3, &r, &error),
	                 TACT_DATA);
	se[1] = NAN;
	assert_int_equal(tact_heterogeneity_test(effects, se, 3, &r, &error),
	                 TACT_DATA);
	se[1] = INFINITY;
	assert_int_equal(tact_heterogeneity_test(effects, se, 3, &r, &error),
	                 TACT_DATA);
	se[1] = 1e-200;  /* the weight 1/se^2 overflows */
	assert_int_equal(tact_heterogeneity_test(effects, se, 3, &r, &error),
	                 TACT_DATA);
	se[1] = 0.1;
	effects[2] = NAN;
	assert_int_equal(tact_heterogeneity_test(effects, se, 3, &r, &error),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "segment 3"));
	effects[2] = -INFINITY;
	assert_int_equal(tact_heterogeneity_test(effects, se, 3, &r, &error),
	                 TACT_DATA);

	assert_int_equal(tact_heterogeneity_gail_simon_p_value(-1, 3, &p, &error),
	                 TACT_DATA);
	assert_int_equal(tact_heterogeneity_gail_simon_p_value(NAN, 3, &p, &error),
	                 TACT_DATA);
	assert_int_equal(tact_heterogeneity_gail_simon_p_value(1, 1, &p, &error),
	                 TACT_DATA);
	assert_int_equal(tact_heterogeneity_gail_simon_critical_value(1, 0.05, &c,
	                                                              &error),
	                 TACT_DATA);
	/* With 2 segments no level of 0.5 or more can be reached. */
	assert_int_equal(tact_heterogeneity_gail_simon_critical_value(2, 0.5, &c,
	                                                              &error),
	                 TACT_USAGE);
	assert_int_equal(tact_heterogeneity_gail_simon_critical_value(3, 0, &c,
	                                                              &error),
	                 TACT_USAGE);
	assert_int_equal(tact_heterogeneity_gail_simon_critical_value(3, NAN, &c,
	                                                              &error),
	                 TACT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_scipy),
		cmocka_unit_test(test_gail_simon_p_value_matches_scipy),
		cmocka_unit_test(test_gail_simon_p_value_at_zero),
		cmocka_unit_test(test_critical_values_match_scipy_and_the_table),
		cmocka_unit_test(test_two_segments),
		cmocka_unit_test(test_degenerate_input_is_refused),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
