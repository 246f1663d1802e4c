/*
 * test_privacy_period.c - the blocks of tact-compare --by-period
 * (tact_privacy_decide_periods, privacy.h "periods") on seeded scenarios
 * of small daily counts, against the rule written again in Python over
 * tests/expected/privacy.py's decision: tests/expected/privacy_period.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "load.h"
#include "period.h"
#include "privacy.h"
#include "segments.h"

#include "../expected/privacy_period_expected.h"

static const char *const arms[] = {"control", "p1", "p2"};

/* The export of a scenario: per day, segment and arm, its units, the
 * first ones with a revenue value. */
static char *export_of(const struct privacy_period_expected *x)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&data, &size);
	int p, s, a, k;

	assert_non_null(out);
	fputs("day,intent,arm,converted,revenue\n", out);
	for (p = 0; p < x->periods; p++)
		for (s = 0; s < x->segments; s++)
			for (a = 0; a < x->arms; a++)
				for (k = 0; k < x->counts[p][s][a][0]; k++)
					fprintf(out, "2026-12-%02d,s%d,%s,%d,%s\n", p + 1, s,
					        arms[a], k % 2,
					        k < x->counts[p][s][a][1] ? "1.5" : "");
	fclose(out);
	return data;
}

static void load(const char *data, tact_summary *summary)
{
	tact_load_options options;
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	assert_int_equal(tact_roles_spec_set(&options.roles, "by", "intent",
	                                     &error), TACT_OK);
	options.time_name = "day";
	tact_summary_init(summary);
	assert_int_equal(tact_load_memory("x.csv", data, strlen(data), &options,
	                                  summary, NULL, &error), TACT_OK);
	tact_load_options_release(&options);
	tact_periods_sort(summary);
}

static void check_scenario(int i)
{
	const struct privacy_period_expected *x = &privacy_period_expected[i];
	const tact_summary *periods[6];
	tact_privacy_blocks blocks;
	tact_segments cells;
	tact_summary summary;
	tact_error error;
	char *data = export_of(x), label[16], *labels[1] = {label};
	size_t p;
	int b, s;

	load(data, &summary);
	assert_int_equal(summary.periods->count, x->periods);
	for (p = 0; p < summary.periods->count; p++)
		periods[p] = &summary.periods->periods[p]->summary;
	tact_error_init(&error);
	assert_int_equal(tact_segments_build(&summary, &cells, &error), TACT_OK);
	assert_int_equal(tact_privacy_decide_periods(
		                 &cells, periods, summary.periods->count, x->min_cell,
		                 x->strict ? TACT_PRIVACY_STRICT : TACT_PRIVACY_TABLES,
		                 &blocks, &error), TACT_OK);
	if ((int)blocks.count != x->blocks || blocks.whole != x->whole)
		fail_msg("scenario %d: %zu blocks (whole %d), expected %d (%d)", i,
		         blocks.count, blocks.whole, x->blocks, x->whole);
	for (b = 0; b < x->blocks; b++)
		if ((int)blocks.last[b] != x->last[b])
			fail_msg("scenario %d: block %d ends at day %zu, expected %d", i,
			         b, blocks.last[b], x->last[b]);
	for (s = 0; s < x->segments; s++) {
		snprintf(label, sizeof label, "s%d", s);
		if (tact_privacy_blocks_shows(&blocks, labels) != x->shown[s])
			fail_msg("scenario %d: segment s%d shown %d, expected %d", i, s,
			         !x->shown[s], x->shown[s]);
	}
	tact_privacy_blocks_release(&blocks);
	tact_segments_release(&cells);
	tact_summary_release(&summary);
	free(data);
}

static void test_scenarios(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < PRIVACY_PERIOD_SCENARIOS; i++)
		check_scenario(i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
