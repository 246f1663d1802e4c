/*
 * test_compare.c - tact_compare_run's promises that no other test states
 * row by row: on random summaries (small segments, rare and certain
 * events, three arms, negative means, counts), for every correction and
 * alternative,
 *   - the verdict is better or worse exactly when the difference interval
 *     excludes 0, and the lift interval (when shown) excludes 0 then too;
 *   - interval_level is 1 - alpha p / p_adjusted (alpha when they are
 *     equal or without correction, alpha / family size when p_adjusted is
 *     0), and the unadjusted intervals hold the adjusted ones at a lower
 *     level;
 *   - one-sided rows have the untested end infinite and never a verdict
 *     against their direction;
 *   - the pooled rows' p_adjusted do not depend on the segments' rows (the
 *     pooled family is adjusted alone).
 * Every figure itself is checked against SciPy/statsmodels by the CLI
 * cases of tests/expected/compare.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "check.h"
#include "compare.h"
#include "corrections.h"
#include "numeric.h"
#include "summary.h"

static uint64_t state = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static double uniform(void)
{
	return (double)(next_random() >> 11) * 0x1.0p-53;
}

#define METRICS 4
static char *metric_names[METRICS] = {"converted", "bounced", "revenue", "pages"};
static const tact_role metric_roles[METRICS] = {
	TACT_ROLE_GOAL, TACT_ROLE_ANNOYANCE, TACT_ROLE_VALUE, TACT_ROLE_GOAL};
static const char *const arms[3] = {"control", "a", "b"};
static const char *const segments[4] = {"big", "small", "rare", "certain"};

/* A random summary: four segments of very different sizes and rates. */
static void random_summary(tact_summary *summary)
{
	char *dimension = "intent";
	tact_error error;
	size_t s, a, k;

	tact_summary_init(summary);
	tact_error_init(&error);
	assert_int_equal(tact_summary_setup(summary, 1, &dimension, "arm", METRICS,
	                                    metric_names, metric_roles, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_set_control(summary, "control", &error),
	                 TACT_OK);
	for (s = 0; s < 4; s++) {
		for (a = 0; a < 3; a++) {
			const char *label = segments[s];
			size_t length = strlen(label), group;
			size_t units = s == 0 ? 200 + next_random() % 400
			               : s == 1 ? 10 + next_random() % 20
			                        : 40 + next_random() % 200;
			double rate = s == 2 ? 0.02 * uniform()
			              : s == 3 ? 1.0 : 0.05 + 0.5 * uniform();
			double shift = uniform() < 0.3 ? -60 : 0; /* negative means */

			assert_int_equal(tact_summary_group_find(summary, &label, &length,
			                                         arms[a], strlen(arms[a]),
			                                         &group, &error),
			                 TACT_OK);
			for (k = 0; k < units; k++) {
				double values[METRICS];
				values[0] = uniform() < rate;
				values[1] = s == 3 ? 0 : uniform() < 0.3 + 0.1 * a * uniform();
				values[2] = values[0] ? shift + 50 * uniform() * (1 + a)
				                      : shift * uniform();
				values[3] = floor(4 * uniform() * uniform() * (1 + 0.3 * a));
				if (uniform() < 0.02)
					values[2] = NAN;
				tact_summary_add(summary, group, values);
			}
		}
	}
	tact_summary_finish(summary);
}

static int excludes_zero(double low, double high)
{
	return low > 0 || high < 0;
}

static void check_rows(const tact_compare_result *result, double confidence,
                       tact_correction correction, size_t *decided)
{
	const double alpha = 1 - confidence;
	size_t family_size[2] = {0, 0}, r;

	for (r = 0; r < result->row_count; r++)
		if (!isnan(result->rows[r].p_value))
			family_size[result->rows[r].family]++;
	for (r = 0; r < result->row_count; r++) {
		const tact_compare_row *row = &result->rows[r];
		int decisive = row->verdict == TACT_VERDICT_BETTER ||
		               row->verdict == TACT_VERDICT_WORSE;
		double a_row;

		if (row->verdict == TACT_VERDICT_SUPPRESSED || isnan(row->p_value))
			continue;
		*decided += decisive;
		assert_int_equal(row->family, result->segments[row->segment].pooled
		                                      ? TACT_FAMILY_POOLED
		                                      : TACT_FAMILY_SEGMENT);
		/* The level rule. */
		if (correction == TACT_CORRECTION_NONE || row->p_adjusted == row->p_value)
			a_row = alpha;
		else if (row->p_adjusted == 0)
			a_row = alpha / (double)family_size[row->family];
		else
			a_row = alpha * row->p_value / row->p_adjusted;
		assert_close(row->interval_level, 1 - a_row, 1e-15);
		/* The promise. */
		if (excludes_zero(row->diff_low, row->diff_high) != decisive) {
			print_error("row %zu: verdict %s, diff [%.17g, %.17g], p %.17g, "
			            "p_adj %.17g, test %s\n", r,
			            tact_compare_verdict_name(row->verdict), row->diff_low,
			            row->diff_high, row->p_value, row->p_adjusted,
			            tact_compare_test_name(row->test));
			fail();
		}
		if (!isnan(row->lift_low) && !isnan(row->lift_high))
			assert_int_equal(excludes_zero(row->lift_low, row->lift_high),
			                 decisive);
		/* At a level no higher, the adjusted interval holds the nominal. */
		if (!isnan(row->diff_low_unadjusted)) {
			assert_true(row->diff_low <= row->diff_low_unadjusted + 1e-12);
			assert_true(row->diff_high >= row->diff_high_unadjusted - 1e-12);
		}
		/* One side. */
		if (row->alternative == TACT_ALTERNATIVE_GREATER) {
			assert_true(isinf(row->diff_high) && row->diff_high > 0);
			assert_false(decisive && !(row->diff > 0));
		} else if (row->alternative == TACT_ALTERNATIVE_LESS) {
			assert_true(isinf(row->diff_low) && row->diff_low < 0);
			assert_false(decisive && !(row->diff < 0));
		} else {
			assert_true(isfinite(row->diff_low) && isfinite(row->diff_high));
		}
		if (row->lift_low < -1)
			assert_true(isinf(row->lift_low) || row->metric == 2 ||
			            row->mean_control < 0);
	}
}

static void test_verdicts_agree_with_intervals(void **unused)
{
	static const tact_correction corrections[3] = {
		TACT_CORRECTION_HOLM, TACT_CORRECTION_BH, TACT_CORRECTION_NONE};
	static const tact_compare_alternative sides[3] = {
		TACT_ALTERNATIVE_TWO_SIDED, TACT_ALTERNATIVE_GREATER,
		TACT_ALTERNATIVE_LESS};
	size_t trial, c, k, decided = 0, rows = 0;

	(void)unused;
	for (trial = 0; trial < 40; trial++) {
		tact_summary summary;

		random_summary(&summary);
		for (c = 0; c < 3; c++) {
			for (k = 0; k < 3; k++) {
				tact_compare_options options;
				tact_compare_result result;
				tact_error error;

				tact_compare_options_init(&options);
				tact_error_init(&error);
				options.correction = corrections[c];
				options.alternative = sides[k];
				options.min_cell = 5;
				options.confidence = trial % 2 ? 0.95 : 0.9;
				assert_int_equal(tact_compare_run(&summary, &options, &result,
				                                  &error),
				                 TACT_OK);
				check_rows(&result, options.confidence, options.correction,
				           &decided);
				rows += result.row_count;
				tact_compare_result_release(&result);
				tact_compare_options_release(&options);
			}
		}
		tact_summary_release(&summary);
	}
	/* The corpus must hold both kinds of rows, or the test proves little. */
	assert_true(decided > 100);
	assert_true(rows - decided > 100);
}

/* The pooled rows' p_adjusted equal the adjustment of the pooled p-values
 * alone. */
static void test_pooled_family_alone(void **unused)
{
	tact_summary summary;
	tact_compare_options options;
	tact_compare_result result;
	tact_error error;
	double p[64], adjusted[64];
	size_t r, count = 0, k = 0;

	(void)unused;
	random_summary(&summary);
	tact_compare_options_init(&options);
	tact_error_init(&error);
	assert_int_equal(tact_compare_run(&summary, &options, &result, &error),
	                 TACT_OK);
	for (r = 0; r < result.row_count; r++)
		if (result.rows[r].family == TACT_FAMILY_POOLED && count < 64)
			p[count++] = result.rows[r].p_value;
	assert_true(count == 8);
	assert_int_equal(tact_corrections_adjust(TACT_CORRECTION_HOLM, p, count,
	                                         adjusted, &error),
	                 TACT_OK);
	for (r = 0; r < result.row_count; r++)
		if (result.rows[r].family == TACT_FAMILY_POOLED) {
			assert_true(result.rows[r].p_adjusted == adjusted[k]);
			k++;
		}
	tact_compare_result_release(&result);
	tact_compare_options_release(&options);
	tact_summary_release(&summary);
}

static void test_parse_alternative(void **unused)
{
	tact_compare_options options;
	tact_error error;

	(void)unused;
	tact_compare_options_init(&options);
	tact_error_init(&error);
	assert_int_equal(tact_compare_parse_alternative(&options, "less", &error),
	                 TACT_OK);
	assert_int_equal(options.alternative, TACT_ALTERNATIVE_LESS);
	assert_int_equal(tact_compare_parse_alternative(&options, "a=b=greater",
	                                                &error),
	                 TACT_OK);
	assert_string_equal(options.alternatives[0].metric, "a=b");
	assert_int_equal(options.alternatives[0].alternative,
	                 TACT_ALTERNATIVE_GREATER);
	assert_int_equal(tact_compare_parse_alternative(&options, "=less", &error),
	                 TACT_USAGE);
	assert_int_equal(tact_compare_parse_alternative(&options, "bigger", &error),
	                 TACT_USAGE);
	assert_string_equal(error.message, "--alternative expects two-sided, "
	                    "greater or less, or METRIC=one of them, got 'bigger'");
	tact_compare_options_release(&options);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts_agree_with_intervals),
		cmocka_unit_test(test_pooled_family_alone),
		cmocka_unit_test(test_parse_alternative),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
