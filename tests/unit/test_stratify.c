/*
 * test_stratify.c - the post-stratified difference (lib/stratify).
 *
 * Expected numbers: tests/expected/stratify_expected.h, printed by
 * tests/expected/stratify.py (NumPy, from raw values drawn per stratum).
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
#include "stratify.h"

#include "../expected/stratify_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static void test_matches_numpy(void **state)
{
	tact_stratify_result r;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		const stratify_case *k = &cases[i];
		print_message("case %s\n", k->name);
		assert_int_equal(tact_stratify_combine(k->strata, k->count, &r, NULL),
		                 TACT_OK);
		assert_close(r.estimate, k->estimate, 1e-12);
		assert_close(r.se, k->se, 1e-12);
		assert_close(r.arm_mean, k->arm_mean, 1e-12);
		assert_close(r.control_mean, k->control_mean, 1e-12);
	}
}

/* One stratum: the plain difference and its unpooled standard error. */
static void test_one_stratum_is_plain(void **state)
{
	const tact_stratify_stratum one = {37, 2.5, 0.04, 2.0, 0.05};
	tact_stratify_result r;

	(void)state;
	assert_int_equal(tact_stratify_combine(&one, 1, &r, NULL), TACT_OK);
	assert_close(r.estimate, 0.5, 1e-15);
	assert_close(r.se, 0.3, 1e-15);
	assert_close(r.units, 37, 0);
}

static void test_refusals(void **state)
{
	tact_stratify_stratum bad[2] = {{10, 1, 0.1, 1, 0.1}, {0, 1, 0.1, 1, 0.1}};
	tact_stratify_result r;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_stratify_combine(bad, 2, &r, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "stratum 2"));
	assert_true(isnan(r.estimate) && isnan(r.se));
	bad[1].units = 5;
	bad[1].control_v = -1;
	assert_int_equal(tact_stratify_combine(bad, 2, &r, NULL), TACT_DATA);
	assert_int_equal(tact_stratify_combine(bad, 0, &r, NULL), TACT_DATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_numpy),
		cmocka_unit_test(test_one_stratum_is_plain),
		cmocka_unit_test(test_refusals),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
