/*
 * test_bins.c - the bin syntax, a segment column binned, and the order of
 * binned and numeric segments (bins.h, summary.h).  Expected bins of the
 * quantile case follow the definition in bins.h (numpy's inverted-CDF
 * quantiles; tests/expected/segbins_bins.py checks the CLI case).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bins.h"
#include "roles.h"
#include "summary.h"

static void test_parse(void **state)
{
	tact_bin *bins;
	size_t count;
	unsigned k;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_bins_parse("0,1-29,30-99,100-", "--bins", 10, &bins,
	                                 &count, &k, &error), TACT_OK);
	assert_int_equal(count, 4);
	assert_int_equal(k, 0);
	assert_int_equal(bins[1].low, 1);
	assert_int_equal(bins[1].high, 29);
	assert_int_equal(bins[3].high, TACT_BIN_OPEN);
	free(bins);
	assert_int_equal(tact_bins_parse("quantiles:5", "--bins", 10, &bins,
	                                 &count, &k, &error), TACT_OK);
	assert_int_equal(k, 5);
	assert_null(bins);
	assert_int_equal(tact_bins_parse("0,5-3", "--bins", 10, &bins, &count, &k,
	                                 &error), TACT_USAGE);
	assert_int_equal(tact_bins_parse("0-,5", "--bins", 10, &bins, &count, &k,
	                                 &error), TACT_USAGE);
	assert_int_equal(tact_bins_parse("0,1,2", "--bins", 2, &bins, &count, &k,
	                                 &error), TACT_USAGE);
	assert_string_equal(error.message, "--bins: at most 2 bins");
}

static void test_binning(void **state)
{
	tact_binning b;
	tact_error error;
	char text[64];

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_binning_parse(&b, "visits", "0,1-29,30-", &error),
	                 TACT_OK);
	assert_string_equal(b.names[1], "1-29");
	assert_int_equal(tact_binning_find(&b, 0), 0);
	assert_int_equal(tact_binning_find(&b, 0.5), 0);
	assert_int_equal(tact_binning_find(&b, 29.9), 1);
	assert_int_equal(tact_binning_find(&b, 30), 2);
	assert_int_equal(tact_binning_find(&b, 1e9), 2);
	assert_int_equal(tact_binning_find(&b, -1), -1);
	assert_int_equal(tact_binning_text(&b, text, sizeof text), 0);
	assert_string_equal(text, "0,1-29,30-");
	tact_binning_release(&b);
	assert_int_equal(tact_binning_parse(&b, "visits", "2-3", &error), TACT_OK);
	assert_int_equal(tact_binning_find(&b, 4), -1);
	tact_binning_release(&b);
}

static void test_by_spec(void **state)
{
	tact_roles_spec spec;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_roles_spec_init(&spec, &error), TACT_OK);
	assert_int_equal(tact_roles_spec_set(&spec, "by",
	                                     "device,visits=0,1-29,30-,intent",
	                                     &error), TACT_OK);
	assert_int_equal(spec.by.count, 3);
	assert_string_equal(spec.by.items[1], "visits");
	assert_string_equal(spec.by_bins.items[0], "");
	assert_string_equal(spec.by_bins.items[1], "0,1-29,30-");
	assert_string_equal(spec.by.items[2], "intent");
	assert_int_equal(tact_roles_spec_set(&spec, "by", "v=quantiles:3",
	                                     &error), TACT_OK);
	assert_string_equal(spec.by_bins.items[0], "quantiles:3");
	assert_int_equal(tact_roles_spec_set(&spec, "by", "v=9,1", &error),
	                 TACT_USAGE);
	tact_roles_spec_release(&spec);
}

/* A summary of one dimension with these labels (one unit each). */
static void build(tact_summary *s, const char *const *labels, size_t n,
                  const char *bins)
{
	char *dims[] = {"v"}, *metrics[] = {"converted"};
	tact_role roles[] = {TACT_ROLE_GOAL};
	tact_error error;
	size_t i, g;
	double one = 1;

	tact_error_init(&error);
	tact_summary_init(s);
	assert_int_equal(tact_summary_setup(s, 1, dims, "arm", 1, metrics, roles,
	                                    &error), TACT_OK);
	for (i = 0; i < n; i++) {
		size_t length = strlen(labels[i]);
		assert_int_equal(tact_summary_group_find(s, &labels[i], &length,
		                                         "control", 7, &g, &error),
		                 TACT_OK);
		tact_summary_add(s, g, &one);
	}
	tact_summary_finish(s);
	if (bins)
		assert_int_equal(tact_summary_set_bins(s, 0, bins, &error), TACT_OK);
	tact_summary_sort(s);
}

static void test_order(void **state)
{
	const char *numbers[] = {"100", "10", "", "2", "1", "0"};
	const char *binned[] = {"30-", "0", "1-29", "0"};
	const char *text[] = {"b", "10", "a"};
	const char *want_numbers[] = {"0", "1", "2", "10", "100", ""};
	const char *want_binned[] = {"0", "1-29", "30-"};
	const char *want_text[] = {"10", "a", "b"};
	tact_summary s;
	size_t i, distinct;

	(void)state;
	build(&s, numbers, 6, NULL);
	for (i = 0; i < 6; i++)
		assert_string_equal(s.groups[i].labels[0], want_numbers[i]);
	assert_true(tact_summary_dimension_numeric(&s, 0, &distinct));
	assert_int_equal(distinct, 6);
	tact_summary_release(&s);
	build(&s, binned, 4, "0,1-29,30-");
	assert_int_equal(s.group_count, 3);
	for (i = 0; i < 3; i++)
		assert_string_equal(s.groups[i].labels[0], want_binned[i]);
	tact_summary_release(&s);
	build(&s, text, 3, NULL);
	for (i = 0; i < 3; i++)
		assert_string_equal(s.groups[i].labels[0], want_text[i]);
	assert_false(tact_summary_dimension_numeric(&s, 0, NULL));
	tact_summary_release(&s);
}

static void test_quantiles(void **state)
{
	/* Values 0..9, one unit each, plus nine more at 0: F(0) = 10/19. */
	const char *labels[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
	                        "0", "0", "0", "0", "0", "0", "0", "0", "0"};
	tact_summary s;
	tact_binning b;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	build(&s, labels, 19, NULL);
	assert_int_equal(tact_binning_parse(&b, "v", "quantiles:2", &error),
	                 TACT_OK);
	assert_int_equal(tact_binning_resolve_quantiles(&b, &s, 0, &error),
	                 TACT_OK);
	/* The median is 0 (10 of 19 units): bins 0 and 1-. */
	assert_string_equal(s.dimension_bins[0], "0,1-");
	assert_int_equal(s.group_count, 2);
	assert_int_equal(s.groups[0].units, 10);
	assert_int_equal(s.groups[1].units, 9);
	assert_int_equal(s.groups[1].metrics[0].n, 9);
	tact_binning_release(&b);
	tact_summary_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_binning),
		cmocka_unit_test(test_by_spec),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_quantiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
