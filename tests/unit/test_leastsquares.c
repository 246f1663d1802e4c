/*
 * test_leastsquares.c - least squares from grouped values against
 * statsmodels' OLS(...).fit(cov_type="HC1") on the values one by one, the
 * sandwich product against numpy, and the two ways a fit fails.
 *
 * Expected numbers: tests/expected/leastsquares.py (statsmodels, numpy),
 * written to tests/expected/leastsquares_expected.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "leastsquares.h"
#include "numeric.h"

#include "../expected/leastsquares_expected.h"

#define MAX_P 3

/* Fit the grouped rows and compare every figure with statsmodels'. */
static void check_fit(const double *x, const tact_moments *groups,
                      size_t rows, size_t p, const double *coefficients,
                      const double *covariance, const double *inverse,
                      double n, double rss, double tss)
{
	double beta[MAX_P], inv[MAX_P * MAX_P], cov[MAX_P * MAX_P];
	tact_leastsquares_fit fit = {beta, inv, cov, 0, 0, 0, 0};
	tact_error error;
	size_t i;

	tact_error_init(&error);
	assert_int_equal(tact_leastsquares_grouped(x, groups, rows, p, &fit,
	                                           &error), TACT_OK);
	for (i = 0; i < p; i++)
		assert_close(beta[i], coefficients[i], 1e-10);
	for (i = 0; i < p * p; i++) {
		assert_close(cov[i], covariance[i], 1e-9);
		assert_close(inv[i], inverse[i], 1e-10);
	}
	assert_close(fit.n, n, 0);
	assert_close(fit.residual_ss, rss, 1e-10);
	assert_close(fit.total_ss, tss, 1e-10);
}

static void test_log_design(void **state)
{
	(void)state;
	check_fit(ls_log_x, ls_log_groups, LS_LOG_ROWS, LS_LOG_P,
	          ls_log_coefficients, ls_log_covariance, ls_log_inverse,
	          ls_log_n, ls_log_rss, ls_log_tss);
}

/* Indicators, and a group without values (it adds nothing). */
static void test_indicators_and_empty_group(void **state)
{
	(void)state;
	check_fit(ls_bins_x, ls_bins_groups, LS_BINS_ROWS, LS_BINS_P,
	          ls_bins_coefficients, ls_bins_covariance, ls_bins_inverse,
	          ls_bins_n, ls_bins_rss, ls_bins_tss);
}

static void test_sandwich(void **state)
{
	double out[6];
	size_t i;

	(void)state;
	tact_leastsquares_sandwich(ls_sandwich_a, 2, ls_sandwich_meat,
	                           ls_sandwich_b, 3, out);
	for (i = 0; i < 6; i++)
		assert_close(out[i], ls_sandwich_out[i], 1e-15);
}

static void test_failures(void **state)
{
	/* [1, e, e]: the last two terms are the same. */
	const double collinear[] = {1, 0, 0, 1, 1, 1, 1, 2, 2};
	const tact_moments groups[] = {{5, 2, 1}, {5, 3, 1}, {5, 4, 1}};
	const double line[] = {1, 0, 1, 1};
	const tact_moments two[] = {{1, 2, 0}, {1, 3, 0}};
	double beta[MAX_P], inv[MAX_P * MAX_P], cov[MAX_P * MAX_P];
	tact_leastsquares_fit fit = {beta, inv, cov, 0, 0, 0, 0};
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_leastsquares_grouped(collinear, groups, 3, 3, &fit,
	                                           &error), TACT_DATA);
	assert_int_equal(fit.singular, 1);
	assert_string_equal(error.message, "the terms are constant or collinear");

	/* Two values, two parameters: no degree of freedom left. */
	tact_error_init(&error);
	assert_int_equal(tact_leastsquares_grouped(line, two, 2, 2, &fit,
	                                           &error), TACT_DATA);
	assert_int_equal(fit.singular, 0);
	assert_string_equal(error.message,
	                    "too few values for a least-squares fit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_design),
		cmocka_unit_test(test_indicators_and_empty_group),
		cmocka_unit_test(test_sandwich),
		cmocka_unit_test(test_failures),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
