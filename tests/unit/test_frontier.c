/*
 * test_frontier.c - the rule that ties tact-frontier's verdicts to the
 * intervals printed beside them, over many random exports; the two
 * families; figures that overflow.
 *
 * The rule (frontier.h): a verdict is "personalize" or "hold back" exactly
 * when p_adjusted < alpha, and the row's interval, at the level
 * 1 - alpha p / p_adjusted, excludes 0 exactly then.  The exports come from
 * tact_simulate (several seeds, 3 arms, small segments, some missing
 * values), analysed under holm, bh and none.  The figures themselves are
 * checked against numpy/scipy/statsmodels by the CLI case frontier-verify
 * (tests/expected/frontier.py); the Holm adjustment of the pooled family is
 * worked by hand here from the unadjusted p-values.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "frontier.h"
#include "load.h"
#include "numeric.h"
#include "simulate.h"

/* ---- helpers ---------------------------------------------------------- */

/* A simulated export of units visitors with three arms, as a summary. */
static void simulate(unsigned long seed, uint64_t units, double missing,
                     tact_summary *summary)
{
	tact_sim_spec spec;
	tact_load_options options;
	tact_error error;
	char *text = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&text, &length);

	assert_non_null(out);
	tact_error_init(&error);
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	spec.seed = seed;
	spec.units = units;
	spec.missing_rate = missing;
	assert_int_equal(tact_sim_spec_set(&spec, "arms",
	                                   "control=0.4,email=0.3,banner=0.3",
	                                   &error),
	                 TACT_OK);
	assert_int_equal(tact_sim_spec_check(&spec, &error), TACT_OK);
	assert_int_equal(tact_simulate(&spec, out, &error), TACT_OK);
	assert_int_equal(fclose(out), 0);
	tact_sim_spec_release(&spec);
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	tact_summary_init(summary);
	assert_int_equal(tact_load_memory("sim.csv", text, length, &options,
	                                  summary, NULL, &error),
	                 TACT_OK);
	tact_load_options_release(&options);
	free(text);
}

static void run(const tact_summary *summary, const char *weights,
                tact_correction correction, double confidence,
                tact_frontier *frontier)
{
	tact_frontier_options options;
	tact_error error;

	tact_error_init(&error);
	tact_frontier_options_init(&options);
	assert_int_equal(tact_frontier_parse_weights(&options, weights, &error),
	                 TACT_OK);
	options.correction = correction;
	options.confidence = confidence;
	assert_int_equal(tact_frontier_run(summary, &options, frontier, &error),
	                 TACT_OK);
	tact_frontier_options_release(&options);
}

typedef struct counts {
	size_t rows, decided, inconclusive, suppressed, moved;
} counts;

/* Every row of one family: the rule, and the level's bounds. */
static void check_family(const tact_frontier *f, size_t first, size_t count,
                         counts *tally)
{
	const double alpha = 1 - f->confidence;
	size_t i, m = 0;

	for (i = 0; i < count; i++)
		m += f->rows[first + i].verdict != TACT_FRONTIER_SUPPRESSED;
	for (i = 0; i < count; i++) {
		const tact_frontier_row *row = &f->rows[first + i];
		int excludes;
		if (row->verdict == TACT_FRONTIER_SUPPRESSED) {
			assert_true(isnan(row->p_value) && isnan(row->p_adjusted) &&
			            isnan(row->level) && isnan(row->diff_low));
			tally->suppressed++;
			continue;
		}
		tally->rows++;
		excludes = row->diff_low > 0 || row->diff_high < 0;
		/* The verdict and the interval beside it. */
		assert_int_equal(row->verdict == TACT_FRONTIER_PERSONALIZE,
		                 row->diff_low > 0);
		assert_int_equal(row->verdict == TACT_FRONTIER_HOLD_BACK,
		                 row->diff_high < 0);
		assert_int_equal(row->verdict != TACT_FRONTIER_INCONCLUSIVE,
		                 row->p_adjusted < alpha);
		assert_int_equal(excludes, row->p_adjusted < alpha);
		/* The level: 1 - alpha p / p_adjusted, within [1 - alpha,
		 * 1 - alpha / m]; the unadjusted interval is nested in it. */
		assert_true(row->p_adjusted >= row->p_value);
		assert_true(row->level >= 1 - alpha - 1e-15);
		assert_true(row->level <= 1 - alpha / (double)m + 1e-15);
		if (row->p_adjusted > 0)
			assert_close(1 - row->level, alpha * row->p_value / row->p_adjusted,
			             1e-12);
		assert_true(row->diff_low <= row->diff_low_unadjusted);
		assert_true(row->diff_high >= row->diff_high_unadjusted);
		if (f->correction == TACT_CORRECTION_NONE) {
			assert_true(row->p_adjusted == row->p_value);
			assert_true(row->level == 1 - alpha);
			assert_true(row->diff_low == row->diff_low_unadjusted);
		}
		tally->moved += row->level > 1 - alpha + 1e-12;
		if (excludes)
			tally->decided++;
		else
			tally->inconclusive++;
	}
}

/* ---- tests ------------------------------------------------------------ */

static void test_verdicts_agree_with_intervals(void **state)
{
	static const tact_correction corrections[] = {
		TACT_CORRECTION_HOLM, TACT_CORRECTION_BH, TACT_CORRECTION_NONE};
	static const char *const weights[] = {
		"converted=40,bounced=-0.5,unsubscribed=-12",
		"converted=40,bounced=-2,unsubscribed=-30,revenue=1"};
	counts tally = {0, 0, 0, 0, 0};
	unsigned long seed;
	size_t c;

	(void)state;
	for (seed = 1; seed <= 200; seed++) {
		tact_summary summary;
		/* 150 to about 3,000 visitors: segments of a few to a few hundred
		 * per arm, some under --min-cell. */
		simulate(seed, 150 + (seed * 7919) % 2900, seed % 3 ? 0 : 0.05,
		         &summary);
		for (c = 0; c < 3; c++) {
			tact_frontier f;
			const size_t arms = 2;
			run(&summary, weights[seed % 2], corrections[c],
			    seed % 4 ? 0.95 : 0.9, &f);
			assert_int_equal(f.cells.arm_count, arms + 1);
			check_family(&f, 0, arms, &tally);
			check_family(&f, arms, f.row_count - arms, &tally);
			tact_frontier_release(&f);
		}
		tact_summary_release(&summary);
	}
	/* Not vacuous: both kinds of rows, adjusted levels, suppression. */
	assert_true(tally.decided > 20);
	assert_true(tally.inconclusive > 20);
	assert_true(tally.moved > 20);
	assert_true(tally.suppressed > 0);
	print_message("%zu rows: %zu decided, %zu inconclusive, %zu at a "
	              "level above 1 - alpha; %zu suppressed\n",
	              tally.rows, tally.decided, tally.inconclusive, tally.moved,
	              tally.suppressed);
}

/* The pooled rows are a family of their own: Holm over the two arms'
 * pooled p-values, worked by hand; the segment rows do not enter it. */
static void test_pooled_family(void **state)
{
	tact_summary summary;
	tact_frontier none, holm;
	const char *w = "converted=40,bounced=-0.5,unsubscribed=-12";
	double p1, p2, low, high;

	(void)state;
	simulate(7, 6000, 0, &summary);
	run(&summary, w, TACT_CORRECTION_NONE, 0.95, &none);
	run(&summary, w, TACT_CORRECTION_HOLM, 0.95, &holm);
	p1 = none.rows[0].p_value;
	p2 = none.rows[1].p_value;
	/* Holm over two: the smaller times 2, the larger at least that. */
	low = fmin(1, 2 * fmin(p1, p2));
	high = fmax(low, fmax(p1, p2));
	assert_close(holm.rows[0].p_adjusted, p1 <= p2 ? low : high, 1e-15);
	assert_close(holm.rows[1].p_adjusted, p1 <= p2 ? high : low, 1e-15);
	/* The pooled family's levels: 1 - alpha / 2 for the smaller p. */
	assert_close(holm.rows[p1 <= p2 ? 0 : 1].level, 1 - 0.05 / 2, 1e-15);
	tact_frontier_release(&none);
	tact_frontier_release(&holm);
	tact_summary_release(&summary);
}

/* A difference without spread is known exactly: p = 0, p_adjusted = 0,
 * the level of Holm's first step (alpha / m), the interval one point. */
static void test_no_spread(void **state)
{
	char text[4096];
	size_t used = 0, i;
	tact_load_options load;
	tact_summary summary;
	tact_frontier f;
	tact_error error;

	(void)state;
	used += (size_t)snprintf(text + used, sizeof text - used,
	                         "intent,arm,converted\n");
	for (i = 0; i < 20; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
		                         "sure,control,0\nsure,email,1\n"
		                         "mixed,control,%d\nmixed,email,%d\n",
		                         i % 4 == 0, i % 3 == 0);
	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&load, &error), TACT_OK);
	tact_summary_init(&summary);
	assert_int_equal(tact_load_memory("in.csv", text, used, &load, &summary,
	                                  NULL, &error),
	                 TACT_OK);
	run(&summary, "converted=40", TACT_CORRECTION_HOLM, 0.95, &f);
	assert_int_equal(f.row_count, 3);  /* (all), mixed, sure */
	assert_true(f.rows[2].p_value == 0 && f.rows[2].p_adjusted == 0);
	assert_close(f.rows[2].level, 1 - 0.05 / 2, 1e-15);
	assert_true(f.rows[2].diff_low == 40 && f.rows[2].diff_high == 40);
	assert_int_equal(f.rows[2].verdict, TACT_FRONTIER_PERSONALIZE);
	assert_int_equal(f.rows[1].verdict, TACT_FRONTIER_INCONCLUSIVE);
	tact_frontier_release(&f);
	run(&summary, "converted=40", TACT_CORRECTION_NONE, 0.95, &f);
	assert_close(f.rows[2].level, 0.95, 1e-15);
	tact_frontier_release(&f);
	tact_summary_release(&summary);
	tact_load_options_release(&load);
}

/* Weights near the largest double: the run fails, naming the figure. */
static void test_overflow_fails(void **state)
{
	tact_summary summary;
	tact_frontier_options options;
	tact_frontier f;
	tact_error error;

	(void)state;
	simulate(3, 2000, 0, &summary);
	tact_error_init(&error);
	tact_frontier_options_init(&options);
	assert_int_equal(tact_frontier_parse_weights(&options,
	                                             "converted=1e200,bounced=-1",
	                                             &error),
	                 TACT_OK);
	assert_int_equal(tact_frontier_run(&summary, &options, &f, &error),
	                 TACT_SOFTWARE);
	assert_non_null(strstr(error.message, "overflows"));
	/* 1e150 still fits: the squares stay under 1.8e308. */
	assert_int_equal(tact_frontier_parse_weights(&options,
	                                             "converted=1e150,bounced=-1",
	                                             &error),
	                 TACT_OK);
	assert_int_equal(tact_frontier_run(&summary, &options, &f, &error),
	                 TACT_OK);
	tact_frontier_release(&f);
	tact_frontier_options_release(&options);
	tact_summary_release(&summary);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts_agree_with_intervals),
		cmocka_unit_test(test_pooled_family),
		cmocka_unit_test(test_no_spread),
		cmocka_unit_test(test_overflow_fails),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
