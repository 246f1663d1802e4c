/*
 * test_simulate.c - synthetic exports with known true effects.
 *
 * The truth tables are compared cell by cell with
 * tests/expected/simulate_expected.h, computed by tests/expected/simulate.py
 * from the model as lib/simulate.h describes it (SciPy's Poisson masses
 * and logistic).  Large seeded runs are then loaded like any export, and
 * every observed rate and mean per intent x arm must lie within 4.5
 * standard errors of the truth (deterministic: the seed is fixed).
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
#include "csvreader.h"
#include "load.h"
#include "parse.h"
#include "simulate.h"

#include "../expected/simulate_expected.h"

/* Truth columns (after intent and arm), as in man/tact-simulate.1. */
enum {
	T_INTENT_SHARE, T_ARM_SHARE, T_CONVERTED, T_BOUNCED, T_UNSUBSCRIBED,
	T_REVENUE, T_EXPOSURES
};

static char *run_to_memory(const tact_sim_spec *spec, int truth, size_t *size)
{
	char *data = NULL;
	FILE *out = open_memstream(&data, size);
	tact_error error;

	assert_non_null(out);
	tact_error_init(&error);
	if (truth)
		assert_int_equal(tact_simulate_truth(spec, out, &error), TACT_OK);
	else
		assert_int_equal(tact_simulate(spec, out, &error), TACT_OK);
	assert_int_equal(fclose(out), 0);
	return data;
}

static void set(tact_sim_spec *spec, const char *flag, const char *value)
{
	tact_error error;

	tact_error_init(&error);
	if (tact_sim_spec_set(spec, flag, value, &error) != TACT_OK) {
		print_error("--%s %s: %s\n", flag, value, error.message);
		fail();
	}
}

/* ---- the truth, cell by cell ------------------------------------------ */

typedef struct truth_table {
	size_t rows;
	char names[32][2][32];
	double values[32][TRUTH_COLUMNS];
	int header_ok;
} truth_table;

static tact_status keep_truth_row(void *context, const tact_csv_record *record,
                                  tact_error *error)
{
	truth_table *t = context;
	size_t i, row;

	(void)error;
	assert_int_equal(record->count, TRUTH_COLUMNS + 2);
	if (record->index == 0) {
		t->header_ok = strcmp(record->fields[0], "intent") == 0 &&
		               strcmp(record->fields[4], "converted") == 0 &&
		               strcmp(record->fields[21],
		                      "net_value_at_zero") == 0 &&
		               strcmp(record->fields[28],
		                      "revenue_per_converter") == 0;
		return TACT_OK;
	}
	row = t->rows++;
	assert_true(row < 32);
	snprintf(t->names[row][0], sizeof t->names[row][0], "%s",
	         record->fields[0]);
	snprintf(t->names[row][1], sizeof t->names[row][1], "%s",
	         record->fields[1]);
	for (i = 0; i < TRUTH_COLUMNS; i++) {
		double v = NAN;
		if (record->lengths[i + 2] > 0)
			assert_int_equal(tact_parse_number(record->fields[i + 2],
			                                   record->lengths[i + 2], 0, &v),
			                 0);
		t->values[row][i] = v;
	}
	return TACT_OK;
}

static void read_truth(const tact_sim_spec *spec, truth_table *t)
{
	size_t size;
	char *text = run_to_memory(spec, 1, &size);
	tact_error error;

	memset(t, 0, sizeof *t);
	tact_error_init(&error);
	assert_int_equal(tact_csv_read_memory("truth.csv", text, size, NULL,
	                                      keep_truth_row, t, &error),
	                 TACT_OK);
	assert_true(t->header_ok);
	free(text);
}

static void compare_truth(const truth_table *t, size_t rows,
                          const char *const *intents, const char *const *arms,
                          const double (*expected)[TRUTH_COLUMNS])
{
	size_t r, i;

	assert_int_equal(t->rows, rows);
	for (r = 0; r < rows; r++) {
		assert_string_equal(t->names[r][0], intents[r]);
		assert_string_equal(t->names[r][1], arms[r]);
		for (i = 0; i < TRUTH_COLUMNS; i++) {
			double got = t->values[r][i], want = expected[r][i];
			if (!tact_test_close(got, want, 1e-12, 1e-15)) {
				print_error("truth row %zu (%s, %s) column %zu: %.17g, "
				            "expected %.17g\n", r, intents[r], arms[r], i + 3,
				            got, want);
				fail();
			}
		}
	}
}

static void test_truth_default(void **state)
{
	enum { N = sizeof truth_default / sizeof truth_default[0] };
	const char *intents[N], *arms[N];
	double expected[N][TRUTH_COLUMNS];
	tact_sim_spec spec;
	tact_error error;
	truth_table t;
	size_t r;

	(void)state;
	for (r = 0; r < N; r++) {
		intents[r] = truth_default[r].intent;
		arms[r] = truth_default[r].arm;
		memcpy(expected[r], truth_default[r].values, sizeof expected[r]);
	}
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	read_truth(&spec, &t);
	compare_truth(&t, N, intents, arms, (const double (*)[TRUTH_COLUMNS])expected);
	tact_sim_spec_release(&spec);
}

static void test_truth_custom(void **state)
{
	enum { N = sizeof truth_custom / sizeof truth_custom[0] };
	const char *intents[N], *arms[N];
	double expected[N][TRUTH_COLUMNS];
	tact_sim_spec spec;
	tact_error error;
	truth_table t;
	size_t r;

	(void)state;
	for (r = 0; r < N; r++) {
		intents[r] = truth_custom[r].intent;
		arms[r] = truth_custom[r].arm;
		memcpy(expected[r], truth_custom[r].values, sizeof expected[r]);
	}
	/* The settings tests/expected/simulate.py's custom_spec() mirrors. */
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	set(&spec, "intents", "buy=0.3,browse=0.5,newcomer=0.2");
	set(&spec, "arms", "control=0.4,light=0.3,heavy=0.3");
	set(&spec, "exposure-mean", "light=1.5,heavy=9");
	set(&spec, "rate", "converted:buy=0.05/0.9,unsubscribed:newcomer=0.01");
	set(&spec, "revenue", "buy=120");
	set(&spec, "weights", "converted=30,bounced=-1,unsubscribed=-20,revenue=0.1");
	spec.sessions_mean = 2.5;
	spec.cap_max = 12;
	read_truth(&spec, &t);
	compare_truth(&t, N, intents, arms, (const double (*)[TRUTH_COLUMNS])expected);
	tact_sim_spec_release(&spec);
}

/* ---- determinism ------------------------------------------------------ */

static void test_deterministic(void **state)
{
	tact_sim_spec spec;
	tact_error error;
	char *a, *b, *c;
	size_t sa, sb, sc;

	(void)state;
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	spec.units = 3000;
	spec.seed = 7;
	spec.missing_rate = 0.05;
	a = run_to_memory(&spec, 0, &sa);
	b = run_to_memory(&spec, 0, &sb);
	assert_int_equal(sa, sb);
	assert_memory_equal(a, b, sa);
	spec.seed = 8;
	c = run_to_memory(&spec, 0, &sc);
	assert_true(sc != sa || memcmp(a, c, sa) != 0);
	{
		static const char header[] = "intent,device,arm,converted,bounced,"
		                             "unsubscribed,revenue,exposures,consent\n";
		assert_memory_equal(a, header, sizeof header - 1);
	}
	free(a);
	free(b);
	free(c);
	tact_sim_spec_release(&spec);
}

/* ---- large runs against the truth -------------------------------------- */

static tact_status load_export(const char *text, size_t size, const char *by,
                               const char *unit, tact_summary *summary,
                               tact_load_report *report)
{
	tact_load_options options;
	tact_error error;
	tact_status status;

	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	if (by)
		assert_int_equal(tact_roles_spec_set(&options.roles, "by", by, &error),
		                 TACT_OK);
	if (unit)
		assert_int_equal(tact_roles_spec_set(&options.roles, "unit", unit,
		                                     &error),
		                 TACT_OK);
	tact_summary_init(summary);
	status = tact_load_memory("sim.csv", text, size, &options, summary, report,
	                          &error);
	if (status != TACT_OK)
		print_error("%s\n", error.message);
	tact_load_options_release(&options);
	return status;
}

static const tact_summary_group *group_of(const tact_summary *summary,
                                          const char *intent, const char *arm)
{
	size_t g;

	for (g = 0; g < summary->group_count; g++)
		if (strcmp(summary->groups[g].labels[0], intent) == 0 &&
		    strcmp(summary->groups[g].arm, arm) == 0)
			return &summary->groups[g];
	print_error("no group %s/%s\n", intent, arm);
	fail();
	return NULL;
}

static void within(double observed, double truth, double standard_error,
                   const char *what, const char *intent, const char *arm)
{
	if (!(fabs(observed - truth) <= 4.5 * standard_error)) {
		print_error("%s/%s %s: observed %.6g, truth %.6g, %.2f standard "
		            "errors away\n", intent, arm, what, observed, truth,
		            (observed - truth) / standard_error);
		fail();
	}
}

/* Every group's metrics (converted, bounced, unsubscribed, revenue,
 * exposures, in that order in the summary) against the default truth. */
static void check_against_truth(const tact_summary *summary, uint64_t units)
{
	static const int columns[] = {T_CONVERTED, T_BOUNCED, T_UNSUBSCRIBED,
	                              T_REVENUE, T_EXPOSURES};
	static const char *const names[] = {"converted", "bounced", "unsubscribed",
	                                    "revenue", "exposures"};
	const size_t rows = sizeof truth_default / sizeof truth_default[0];
	int64_t total = 0;
	size_t r, k, g;

	assert_int_equal(summary->metric_count, 5);
	for (k = 0; k < 5; k++)
		assert_string_equal(summary->metrics[k].name, names[k]);
	for (g = 0; g < summary->group_count; g++)
		total += summary->groups[g].units;
	/* Consent is drawn per unit at 0.97. */
	assert_true(fabs((double)total / (double)units - 0.97) <
	            4.5 * sqrt(0.97 * 0.03 / (double)units));
	for (r = 0; r < rows; r++) {
		const char *intent = truth_default[r].intent, *arm = truth_default[r].arm;
		const double *truth = truth_default[r].values;
		const tact_summary_group *group;
		double p;

		if (strcmp(intent, "(all)") == 0)
			continue;
		group = group_of(summary, intent, arm);
		/* The group's share of the consenting units. */
		p = truth[T_INTENT_SHARE] * truth[T_ARM_SHARE];
		within((double)group->units / (double)total, p,
		       sqrt(p * (1 - p) / (double)total), "share", intent, arm);
		for (k = 0; k < 5; k++) {
			const tact_moments *m = &group->metrics[k];
			double se = sqrt(tact_moments_variance(*m) / (double)m->n);
			/* A rate that is exactly 0 in the data (exposures in the
			 * control arm) has no spread: then it must be exact. */
			if (se == 0)
				se = 1e-12;
			within(tact_moments_mean(*m), truth[columns[k]], se, names[k],
			       intent, arm);
		}
	}
}

static void test_large_run_matches_truth(void **state)
{
	tact_sim_spec spec;
	tact_summary summary;
	tact_load_report report;
	tact_error error;
	char *text;
	size_t size;

	(void)state;
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	spec.units = 200000;
	spec.seed = 12345;
	text = run_to_memory(&spec, 0, &size);
	assert_int_equal(load_export(text, size, NULL, NULL, &summary, &report),
	                 TACT_OK);
	assert_int_equal(summary.rows_read, 200000);
	assert_int_equal(summary.group_count, 8);
	assert_null(summary.unit_name);
	assert_string_equal(summary.control, "control");
	check_against_truth(&summary, spec.units);
	tact_summary_release(&summary);
	free(text);
	tact_sim_spec_release(&spec);
}

/* Sessions: visitor ids repeat; folded back into visitors, the rates are
 * the visitor-level truth. */
static void test_sessions_mode(void **state)
{
	tact_sim_spec spec;
	tact_summary summary;
	tact_load_report report;
	tact_error error;
	char *text, *line, *previous = NULL;
	size_t size, rows = 0, distinct = 0;

	(void)state;
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	spec.units = 60000;
	spec.seed = 99;
	spec.sessions_mean = 3;
	text = run_to_memory(&spec, 0, &size);
	assert_int_equal(strncmp(text, "visitor_id,intent,device,arm,", 29), 0);
	/* Count rows and distinct ids (a visitor's rows are adjacent). */
	for (line = strchr(text, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		size_t id_length = strcspn(line, ",");
		rows++;
		if (!previous || strncmp(previous, line, id_length + 1) != 0)
			distinct++;
		previous = line;
	}
	assert_int_equal(distinct, spec.units);
	assert_true(rows > 2 * spec.units); /* about 3 sessions a visitor */
	assert_true(fabs((double)rows / (double)spec.units - 3.0) < 0.05);

	assert_int_equal(load_export(text, size, NULL, NULL, &summary, &report),
	                 TACT_OK);
	assert_string_equal(summary.unit_name, "visitor_id");
	/* Visitors without consent are left out before folding. */
	{
		int64_t total = 0;
		size_t g;
		for (g = 0; g < summary.group_count; g++)
			total += summary.groups[g].units;
		assert_int_equal(report.units, total);
		assert_true(report.units < (int64_t)spec.units);
	}
	assert_int_equal(summary.rows_read, rows);
	/* A visitor keeps one arm: no contamination. */
	assert_int_equal(summary.units_in_several_arms, 0);
	check_against_truth(&summary, spec.units);
	tact_summary_release(&summary);
	free(text);
	tact_sim_spec_release(&spec);
}

/* ---- options and checks ----------------------------------------------- */

static void expect_usage(tact_sim_spec *spec, const char *flag,
                         const char *value, const char *message)
{
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_sim_spec_set(spec, flag, value, &error), TACT_USAGE);
	if (!strstr(error.message, message)) {
		print_error("[%s] lacks [%s]\n", error.message, message);
		fail();
	}
}

static void expect_spec_error(const tact_sim_spec *spec, const char *message)
{
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_sim_spec_check(spec, &error), TACT_USAGE);
	if (!strstr(error.message, message)) {
		print_error("[%s] lacks [%s]\n", error.message, message);
		fail();
	}
}

static void test_options(void **state)
{
	tact_sim_spec spec;
	tact_error error;

	(void)state;
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	assert_int_equal(tact_sim_spec_check(&spec, &error), TACT_OK);
	assert_int_equal(spec.intent_count, 4);
	expect_usage(&spec, "colour", "x", "unknown simulation setting 'colour'");
	expect_usage(&spec, "rate", "clicked:buy=0.1",
	             "--rate: unknown outcome 'clicked'");
	expect_usage(&spec, "rate", "converted:nobody=0.1",
	             "--rate: no intent 'nobody'");
	expect_usage(&spec, "rate", "converted=0.1",
	             "--rate expects OUTCOME:INTENT=BASE[/SLOPE]");
	expect_usage(&spec, "rate", "converted:buy=0.1/abc",
	             "a slope must be a number, got 'abc'");
	expect_usage(&spec, "exposure-mean", "ghost=3",
	             "--exposure-mean: no arm 'ghost'");
	expect_usage(&spec, "exposure-mean", "personalized=-1",
	             "an exposure mean (0 or more) must be a number");
	expect_usage(&spec, "revenue", "buy=-1",
	             "a mean revenue (above 0) must be a number, got '-1'");
	expect_usage(&spec, "weights", "clicks=1", "--weights: unknown outcome "
	                                           "'clicks'");
	expect_usage(&spec, "arms", "control=1,b", "--arms expects NAME=VALUE "
	                                           "items, got 'b'");
	tact_sim_spec_release(&spec);

	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	set(&spec, "intents", "buy=1,window=1");
	assert_int_equal(spec.intent_count, 2);
	assert_string_equal(spec.intents[0].name, "buy");
	assert_string_equal(spec.intents[1].name, "window");
	/* A new intent takes the "unknown" profile. */
	assert_true(spec.intents[1].base[0] == 0.02);
	assert_true(spec.intents[1].slope[2] == 0.80);
	set(&spec, "rate", "bounced:window=0.5/-1");
	assert_true(spec.intents[1].base[1] == 0.5);
	assert_true(spec.intents[1].slope[1] == -1.0);
	set(&spec, "rate", "converted:buy=1");
	expect_spec_error(&spec, "the converted rate of 'buy' must lie strictly "
	                    "between 0 and 1");
	set(&spec, "rate", "converted:buy=0.1");
	set(&spec, "intents", "buy=0,window=1");
	expect_spec_error(&spec, "intent 'buy' needs a share above 0");
	set(&spec, "intents", "buy=1,window=1");
	set(&spec, "arms", "a=1,b=1");
	expect_spec_error(&spec, "no arm is the control 'control'");
	set(&spec, "arms", "control=1");
	expect_spec_error(&spec, "at least one intent and two arms");
	set(&spec, "arms", "control=1,treat=2");
	/* A new arm gets 4 exposures a visitor, the control none. */
	assert_true(spec.arms[0].exposure_mean == 0.0);
	assert_true(spec.arms[1].exposure_mean == 4.0);
	assert_int_equal(tact_sim_spec_check(&spec, &error), TACT_OK);
	spec.sessions_mean = 0.5;
	expect_spec_error(&spec, "the mean number of sessions must lie between 1 and 1000");
	spec.sessions_mean = 1e300; /* a run that would never end */
	expect_spec_error(&spec, "the mean number of sessions must lie between 1 and 1000");
	spec.sessions_mean = 1;
	spec.arms[1].exposure_mean = 1e10; /* the truth would sum 1e10 terms */
	expect_spec_error(&spec, "must be at most 10000");
	spec.arms[1].exposure_mean = 4;
	spec.missing_rate = 1;
	expect_spec_error(&spec, "must lie between 0 and 1");
	tact_sim_spec_release(&spec);
}

/* Names are written into the export as they are: one that is too long
 * for a row or would break the CSV is refused, never truncated or
 * written past the row buffer. */
static void test_names_checked(void **state)
{
	tact_sim_spec spec;
	tact_error error;
	char value[1600];

	(void)state;
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	memset(value, 'a', 1500);
	strcpy(value + 1500, "=1,b=1");
	set(&spec, "intents", value);
	expect_spec_error(&spec, "intent name 'aaaa");
	expect_spec_error(&spec, "is longer than 100 bytes");
	assert_int_equal(tact_simulate(&spec, stdout, &error), TACT_USAGE);
	set(&spec, "intents", "say \"hi\"=1,b=1");
	expect_spec_error(&spec, "intent name 'say \"hi\"' holds a quote or a "
	                         "line break");
	set(&spec, "intents", "a=1,b=1");
	assert_int_equal(tact_sim_spec_check(&spec, &error), TACT_OK);
	set(&spec, "arms", "control=1,two\nlines=1");
	expect_spec_error(&spec, "arm name 'two\\x0Alines' holds a quote");
	tact_sim_spec_release(&spec);
}

static void test_identifiers_and_missing(void **state)
{
	tact_sim_spec spec;
	tact_summary summary;
	tact_load_report report;
	tact_error error;
	char *text;
	size_t size, g;
	int64_t units = 0, converted_n = 0;

	(void)state;
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	spec.units = 20000;
	spec.identifiers = 1;
	spec.missing_rate = 0.1;
	text = run_to_memory(&spec, 0, &size);
	assert_non_null(strstr(text, ",consent,email,phone,ip\n"));
	assert_non_null(strstr(text, ",user2@example.com,+33 6 10000001,10.0.0.1\n"));
	assert_int_equal(load_export(text, size, NULL, NULL, &summary, &report),
	                 TACT_OK);
	for (g = 0; g < summary.group_count; g++) {
		units += summary.groups[g].units;
		converted_n += summary.groups[g].metrics[0].n;
	}
	/* About a tenth of each metric's cells are blank. */
	assert_true(fabs((double)converted_n / (double)units - 0.9) <
	            4.5 * sqrt(0.09 / (double)units));
	tact_summary_release(&summary);
	free(text);
	tact_sim_spec_release(&spec);
}

static void test_write_error(void **state)
{
	tact_sim_spec spec;
	tact_error error;
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full)
		skip();
	assert_int_equal(tact_sim_spec_init(&spec, &error), TACT_OK);
	spec.units = 100000;
	assert_int_equal(tact_simulate(&spec, full, &error), TACT_IOERR);
	assert_string_equal(error.message, "cannot write the export");
	fclose(full);
	tact_sim_spec_release(&spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truth_default),
		cmocka_unit_test(test_truth_custom),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_large_run_matches_truth),
		cmocka_unit_test(test_sessions_mode),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_names_checked),
		cmocka_unit_test(test_identifiers_and_missing),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
