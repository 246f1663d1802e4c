/*
 * test_corrections.c - Holm and Benjamini-Hochberg adjusted p-values.
 *
 * Expected numbers: tests/expected/corrections_expected.h, printed by
 * tests/expected/corrections.py from statsmodels 0.13's
 * multitest.multipletests(method='holm' and 'fdr_bh') over the non-NaN
 * entries of each family.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "corrections.h"
#include "numeric.h"

#include "../expected/corrections_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static void check_family(tact_correction method, size_t f)
{
	const double *expected = method == TACT_CORRECTION_HOLM ?
	                         families[f].holm : families[f].bh;
	double *adjusted = malloc(families[f].count * sizeof *adjusted);
	size_t i;

	assert_non_null(adjusted);
	assert_int_equal(tact_corrections_adjust(method, families[f].p,
	                                         families[f].count, adjusted,
	                                         NULL), TACT_OK);
	for (i = 0; i < families[f].count; i++) {
		if (!tact_test_close(adjusted[i], expected[i], 1e-14, 0))
			print_error("family '%s' (%s), entry %zu\n",
			            families[f].name, tact_corrections_name(method),
			            i);
		assert_close(adjusted[i], expected[i], 1e-14);
	}
	/* In place gives the same. */
	memcpy(adjusted, families[f].p, families[f].count * sizeof *adjusted);
	assert_int_equal(tact_corrections_adjust(method, adjusted,
	                                         families[f].count, adjusted,
	                                         NULL), TACT_OK);
	for (i = 0; i < families[f].count; i++)
		assert_close(adjusted[i], expected[i], 1e-14);
	free(adjusted);
}

static void test_holm_matches_statsmodels(void **state)
{
	size_t f;

	(void)state;
	for (f = 0; f < COUNT(families); f++)
		check_family(TACT_CORRECTION_HOLM, f);
}

static void test_bh_matches_statsmodels(void **state)
{
	size_t f;

	(void)state;
	for (f = 0; f < COUNT(families); f++)
		check_family(TACT_CORRECTION_BH, f);
}

static void test_none_copies(void **state)
{
	const double p[] = {0.2, NAN, 0.01};
	double adjusted[3];

	(void)state;
	assert_int_equal(tact_corrections_adjust(TACT_CORRECTION_NONE, p, 3,
	                                         adjusted, NULL), TACT_OK);
	assert_true(adjusted[0] == 0.2 && isnan(adjusted[1]) &&
	            adjusted[2] == 0.01);
}

static void test_empty_and_untested_families(void **state)
{
	const double blank[] = {NAN, NAN};
	double adjusted[2] = {0, 0};

	(void)state;
	assert_int_equal(tact_corrections_adjust(TACT_CORRECTION_HOLM, NULL, 0,
	                                         NULL, NULL), TACT_OK);
	assert_int_equal(tact_corrections_adjust(TACT_CORRECTION_BH, blank, 2,
	                                         adjusted, NULL), TACT_OK);
	assert_true(isnan(adjusted[0]) && isnan(adjusted[1]));
}

static void test_bad_p_values(void **state)
{
	const double bad[] = {0.2, 1.5, 0.1};
	const double negative[] = {-0.01};
	const double infinite[] = {0.5, INFINITY};
	double adjusted[3] = {7, 7, 7};
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_corrections_adjust(TACT_CORRECTION_HOLM, bad, 3,
	                                         adjusted, &error), TACT_DATA);
	assert_string_equal(error.message,
	                    "p-value 2 must be between 0 and 1, got 1.5");
	assert_true(adjusted[0] == 7);
	assert_int_equal(tact_corrections_adjust(TACT_CORRECTION_BH, negative, 1,
	                                         adjusted, &error), TACT_DATA);
	assert_int_equal(tact_corrections_adjust(TACT_CORRECTION_NONE, infinite,
	                                         2, adjusted, &error), TACT_DATA);
}

static void test_parse_and_name(void **state)
{
	tact_correction method;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_corrections_parse("holm", &method, &error), TACT_OK);
	assert_int_equal(method, TACT_CORRECTION_HOLM);
	assert_int_equal(tact_corrections_parse("bh", &method, &error), TACT_OK);
	assert_int_equal(method, TACT_CORRECTION_BH);
	assert_int_equal(tact_corrections_parse("fdr_bh", &method, &error), TACT_OK);
	assert_int_equal(method, TACT_CORRECTION_BH);
	assert_int_equal(tact_corrections_parse("none", &method, &error), TACT_OK);
	assert_int_equal(method, TACT_CORRECTION_NONE);
	assert_string_equal(tact_corrections_name(TACT_CORRECTION_HOLM), "holm");
	assert_string_equal(tact_corrections_name(TACT_CORRECTION_BH), "bh");
	assert_string_equal(tact_corrections_name(TACT_CORRECTION_NONE), "none");
	assert_int_equal(tact_corrections_parse("bonferroni", &method, &error),
	                 TACT_USAGE);
	assert_string_equal(error.message,
	                    "correction must be holm, bh or none, got 'bonferroni'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holm_matches_statsmodels),
		cmocka_unit_test(test_bh_matches_statsmodels),
		cmocka_unit_test(test_none_copies),
		cmocka_unit_test(test_empty_and_untested_families),
		cmocka_unit_test(test_bad_p_values),
		cmocka_unit_test(test_parse_and_name),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
