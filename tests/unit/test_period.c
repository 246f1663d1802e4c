/*
 * test_period.c - times to periods (the forms of period.h, against Python's
 * datetime: tests/expected/period_labels.py), and a summary's periods: a bad
 * time cell named by file, line and column, units in the period of their
 * first session, periods that add up to the groups, the groups unchanged by
 * --time, and periods surviving a write and a read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"
#include "load.h"
#include "period.h"
#include "summaryfile.h"

#include "../expected/period_expected.h"

static void test_labels(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof period_expected / sizeof period_expected[0]; i++) {
		const char *text = period_expected[i].text;
		char day[TACT_PERIOD_LABEL_MAX], week[TACT_PERIOD_LABEL_MAX];
		int64_t d;
		int status = tact_period_parse_day(text, strlen(text), &d);

		if (!period_expected[i].day) {
			if (status != -1)
				fail_msg("'%s' should be refused", text);
			continue;
		}
		if (status != 0)
			fail_msg("'%s' should be read", text);
		tact_period_label(TACT_PERIOD_DAY, d, day);
		tact_period_label(TACT_PERIOD_WEEK, d, week);
		if (strcmp(day, period_expected[i].day) ||
		    strcmp(week, period_expected[i].week))
			fail_msg("'%s': %s %s, expected %s %s", text, day, week,
			         period_expected[i].day, period_expected[i].week);
		assert_int_equal(tact_period_label_check(TACT_PERIOD_DAY, day), 0);
		assert_int_equal(tact_period_label_check(TACT_PERIOD_WEEK, week), 0);
	}
}

static void test_label_check(void **state)
{
	(void)state;
	assert_int_equal(tact_period_label_check(TACT_PERIOD_WEEK, "2026-W53"), 0);
	assert_int_equal(tact_period_label_check(TACT_PERIOD_WEEK, "2025-W53"), -1);
	assert_int_equal(tact_period_label_check(TACT_PERIOD_WEEK, "2026-W00"), -1);
	assert_int_equal(tact_period_label_check(TACT_PERIOD_WEEK, "2026-12-06"), -1);
	assert_int_equal(tact_period_label_check(TACT_PERIOD_DAY, "2026-W49"), -1);
	assert_int_equal(tact_period_label_check(TACT_PERIOD_DAY, "2026-12-06T00:00"), -1);
	assert_int_equal(tact_period_label_check(TACT_PERIOD_DAY, "2024-02-29"), 0);
}

static tact_status load(const char *data, const char *time, int unit,
                        tact_period_kind kind, tact_summary *summary,
                        tact_error *error)
{
	tact_load_options options;
	tact_status status;

	assert_int_equal(tact_load_options_init(&options, error), TACT_OK);
	assert_int_equal(tact_roles_spec_set(&options.roles, "unit",
	                                     unit ? "visitor" : "", error),
	                 TACT_OK);
	options.time_name = time;
	options.period = kind;
	options.part_bytes = 64; /* several parts, merged */
	tact_summary_init(summary);
	status = tact_load_memory("x.csv", data, strlen(data), &options, summary,
	                          NULL, error);
	tact_load_options_release(&options);
	return status;
}

static void test_bad_cell(void **state)
{
	const char *data = "arm,intent,converted,ts\n"
	                   "control,buy,1,2026-12-05\n"
	                   "personalized,buy,0,2026-12-05T10:00\n"
	                   "personalized,\"buy\",1,2026-02-29\n";
	tact_summary summary;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(load(data, "ts", 0, TACT_PERIOD_DAY, &summary, &error),
	                 TACT_DATA);
	assert_string_equal(error.file, "x.csv");
	assert_int_equal(error.line, 4);
	assert_int_equal(error.column, 4);
	assert_non_null(strstr(error.message, "'2026-02-29'"));
	tact_summary_release(&summary);
	tact_error_init(&error);
	assert_int_equal(load(data, "when", 0, TACT_PERIOD_DAY, &summary, &error),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "no column 'when'"));
	tact_summary_release(&summary);
}

/* The period's group of labels and arm, or NULL. */
static const tact_summary_group *period_group(const tact_summary *summary,
                                              const char *period,
                                              const char *label,
                                              const char *arm)
{
	const tact_periods *ps = summary->periods;
	size_t i, g;

	for (i = 0; ps && i < ps->count; i++) {
		const tact_summary *s = &ps->periods[i]->summary;
		if (strcmp(ps->periods[i]->label, period))
			continue;
		for (g = 0; g < s->group_count; g++)
			if (strcmp(s->groups[g].labels[0], label) == 0 &&
			    strcmp(s->groups[g].arm, arm) == 0)
				return &s->groups[g];
	}
	return NULL;
}

static void test_units_first_session(void **state)
{
	/* v1's sessions span two weeks (2026-W49 first); v2's first session is
	 * late on Sunday 2026-12-13 in UTC-1, so Monday 2026-12-14 (W51) in UTC. */
	const char *data = "visitor,arm,intent,converted,ts\n"
	                   "v1,control,buy,0,2026-12-06T10:00Z\n"
	                   "v2,control,buy,1,2026-12-13T23:30-01:00\n"
	                   "v1,control,buy,1,2026-12-08\n"
	                   "v3,personalized,buy,1,2026-12-07\n"
	                   "v2,control,buy,0,2026-12-01\n";
	tact_summary summary;
	tact_error error;
	const tact_summary_group *g;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(load(data, "ts", 1, TACT_PERIOD_WEEK, &summary, &error),
	                 TACT_OK);
	assert_non_null(summary.periods);
	assert_int_equal(summary.periods->count, 3);
	assert_string_equal(summary.periods->periods[0]->label, "2026-W49");
	assert_string_equal(summary.periods->periods[1]->label, "2026-W50");
	assert_string_equal(summary.periods->periods[2]->label, "2026-W51");
	g = period_group(&summary, "2026-W49", "buy", "control");
	assert_non_null(g);
	assert_int_equal(g->units, 1);
	assert_close(g->metrics[0].sum, 1.0, 0); /* v1: any session converted */
	g = period_group(&summary, "2026-W51", "buy", "control");
	assert_non_null(g);
	assert_int_equal(g->units, 1);
	assert_null(period_group(&summary, "2026-W50", "buy", "control"));
	assert_int_equal(tact_periods_check(&summary, NULL, &error), TACT_OK);
	tact_summary_release(&summary);
}

/* Write a summary to memory. */
static char *written(tact_summary *summary, size_t *length)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, length);
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_summaryfile_write(summary, out, &error), TACT_OK);
	fclose(out);
	return text;
}

static void test_groups_unchanged_and_round_trip(void **state)
{
	char data[1 << 16];
	size_t used, i, with_length, without_length, again_length;
	tact_summary with, without, again;
	tact_error error;
	char *a, *b, *c, *cut;

	(void)state;
	used = (size_t)snprintf(data, sizeof data,
	                        "visitor,arm,intent,converted,revenue,ts\n");
	for (i = 0; i < 400; i++)
		used += (size_t)snprintf(data + used, sizeof data - used,
		                         "u%zu,%s,%s,%d,%.2f,2026-12-%02zuT%02zu:00+05:00\n",
		                         i % 300, i % 3 ? "personalized" : "control",
		                         i % 5 ? "buy" : "browse", (int)(i % 7 == 0),
		                         (double)(i % 13) * 1.37, 1 + i % 20, i % 24);
	tact_error_init(&error);
	assert_int_equal(load(data, "ts", 1, TACT_PERIOD_DAY, &with, &error),
	                 TACT_OK);
	assert_int_equal(load(data, NULL, 1, TACT_PERIOD_DAY, &without, &error),
	                 TACT_OK);
	a = written(&with, &with_length);
	b = written(&without, &without_length);
	/* Without the period rows and the two meta rows, byte for byte. */
	cut = strstr(a, "\nperiod:");
	assert_non_null(cut);
	cut[1] = '\0';
	{
		char *t = strstr(a, "meta,time,"), *p = strstr(a, "meta,period,");
		char *end = strchr(p, '\n') + 1;
		assert_true(t && p && end);
		memmove(t, end, strlen(end) + 1);
	}
	assert_string_equal(a, b);
	free(a);
	/* Read back: the same text. */
	a = written(&with, &with_length);
	{
		tact_load_options options;
		assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
		tact_summary_init(&again);
		assert_int_equal(tact_load_memory("s.csv", a, with_length, &options,
		                                  &again, NULL, &error),
		                 TACT_OK);
		tact_load_options_release(&options);
	}
	c = written(&again, &again_length);
	assert_string_equal(a, c);
	free(a);
	free(b);
	free(c);
	tact_summary_release(&with);
	tact_summary_release(&without);
	tact_summary_release(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_label_check),
		cmocka_unit_test(test_bad_cell),
		cmocka_unit_test(test_units_first_session),
		cmocka_unit_test(test_groups_unchanged_and_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
