/*
 * test_weights.c - the one --weights parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "weights.h"

static void free_list(char **metrics, double *weights, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(metrics[i]);
	free(metrics);
	free(weights);
}

static void test_list(void **state)
{
	char **metrics;
	double *weights;
	size_t count;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_weights_parse("converted=40,bounced=-0.5,unsubscribed=-12",
	                                    &metrics, &weights, &count, &error),
	                 TACT_OK);
	assert_int_equal(count, 3);
	assert_string_equal(metrics[0], "converted");
	assert_string_equal(metrics[2], "unsubscribed");
	assert_true(weights[0] == 40 && weights[1] == -0.5 && weights[2] == -12);
	free_list(metrics, weights, count);
	/* A metric name may hold '=' (the last one splits). */
	assert_int_equal(tact_weights_parse("a=b=1", &metrics, &weights, &count,
	                                    &error), TACT_OK);
	assert_string_equal(metrics[0], "a=b");
	free_list(metrics, weights, count);
}

static void test_errors(void **state)
{
	static const char *const bad[] = {"converted", "converted=", "=3",
	                                  "converted=forty", "a=1,,b=2",
	                                  "a=1,a=2", "a=nan"};
	char **metrics;
	double *weights;
	size_t count, i;
	tact_error error;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tact_error_init(&error);
		assert_int_equal(tact_weights_parse(bad[i], &metrics, &weights, &count,
		                                    &error), TACT_USAGE);
		assert_null(metrics);
		assert_int_equal(count, 0);
		assert_true(error.message[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
