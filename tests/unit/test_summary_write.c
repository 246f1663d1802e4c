/*
 * test_summary_write.c - tact-summarize's overview table: the rate or mean
 * of each metric per group against NumPy (tests/expected/summary_write.py),
 * groups under --min-cell shown as "<N" with their figures hidden, and the
 * flags of tact_summary_hidden agreeing with what the table hides.
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
#include "load.h"
#include "summary_write.h"

/* tests/expected/summary_write.py */
#define CONTROL_UNITS "20"
#define CONTROL_CONVERTED "20.00%"
#define CONTROL_REVENUE "2.90"
#define PERSONALIZED_UNITS "20"
#define PERSONALIZED_CONVERTED "20.00%"
#define PERSONALIZED_REVENUE "2.85"

/* 44 rows: buy (i < 40) or browse, control (i even) or personalized. */
static void load(tact_summary *summary)
{
	tact_load_options options;
	tact_error error;
	char *data = NULL;
	size_t size = 0, i;
	FILE *out = open_memstream(&data, &size);

	assert_non_null(out);
	fputs("intent,arm,converted,revenue\n", out);
	for (i = 0; i < 44; i++)
		fprintf(out, "%s,%s,%d,%d\n", i < 40 ? "buy" : "browse",
		        i % 2 == 0 ? "control" : "personalized", (int)(i % 5 == 0),
		        (int)(i % 7));
	fclose(out);
	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	tact_summary_init(summary);
	assert_int_equal(tact_load_memory("in.csv", data, strlen(data), &options,
	                                  summary, NULL, &error), TACT_OK);
	tact_load_options_release(&options);
	free(data);
}

/* The table's line of segment and arm (words split by spaces), or NULL. */
static char *line_of(char *text, const char *segment, const char *arm)
{
	char *line = strtok(text, "\n");

	for (; line; line = strtok(NULL, "\n")) {
		char first[32], second[32];
		if (sscanf(line, "%31s %31s", first, second) == 2 &&
		    strcmp(first, segment) == 0 && strcmp(second, arm) == 0)
			return line;
	}
	return NULL;
}

/* Word k (0-based) of a line. */
static void word(const char *line, size_t k, char *out, size_t size)
{
	char copy[256], *w, *cursor;

	snprintf(copy, sizeof copy, "%s", line);
	for (w = strtok_r(copy, " ", &cursor); w && k; k--)
		w = strtok_r(NULL, " ", &cursor);
	snprintf(out, size, "%s", w ? w : "");
}

static char *table_of(const tact_summary *summary, int64_t min_cell)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&data, &size);
	tact_error error;

	assert_non_null(out);
	tact_error_init(&error);
	assert_int_equal(tact_summary_write_table(summary, min_cell,
	                                          TACT_PRIVACY_TABLES, out, &error),
	                 TACT_OK);
	fclose(out);
	return data;
}

static void test_figures(void **state)
{
	static const struct {
		const char *arm, *units, *converted, *revenue;
	} expected[] = {
		{"control", CONTROL_UNITS, CONTROL_CONVERTED, CONTROL_REVENUE},
		{"personalized", PERSONALIZED_UNITS, PERSONALIZED_CONVERTED,
		 PERSONALIZED_REVENUE},
	};
	tact_summary summary;
	char cell[64];
	size_t k;

	(void)state;
	load(&summary);
	for (k = 0; k < 2; k++) {
		/* --min-cell 1: nothing hidden. */
		char *text = table_of(&summary, 1), *line;
		line = line_of(text, "buy", expected[k].arm);
		assert_non_null(line);
		word(line, 2, cell, sizeof cell);
		assert_string_equal(cell, expected[k].units);
		word(line, 3, cell, sizeof cell);
		assert_string_equal(cell, expected[k].converted);
		word(line, 4, cell, sizeof cell);
		assert_string_equal(cell, expected[k].revenue);
		free(text);
	}
	tact_summary_release(&summary);
}

static void test_small_groups(void **state)
{
	tact_summary summary;
	unsigned char *hidden;
	tact_error error;
	char cell[64], *text, *line;
	size_t g;

	(void)state;
	load(&summary);
	/* browse has 2 units per arm: "<10", every figure "-". */
	text = table_of(&summary, 10);
	line = line_of(text, "browse", "control");
	assert_non_null(line);
	word(line, 2, cell, sizeof cell);
	assert_string_equal(cell, "<10");
	word(line, 3, cell, sizeof cell);
	assert_string_equal(cell, "-");
	word(line, 4, cell, sizeof cell);
	assert_string_equal(cell, "-");
	free(text);
	tact_error_init(&error);
	assert_int_equal(tact_summary_hidden(&summary, 10, TACT_PRIVACY_TABLES,
	                                     &hidden, &error), TACT_OK);
	for (g = 0; g < summary.group_count; g++)
		if (summary.groups[g].units < 10)
			assert_true(hidden[g * (1 + summary.metric_count)]);
	/* buy's arms are hidden too (complementary suppression: the pooled
	 * figures of other tools less buy's would give browse back), and the
	 * table says so. */
	text = table_of(&summary, 10);
	line = line_of(text, "buy", "control");
	assert_non_null(line);
	word(line, 2, cell, sizeof cell);
	for (g = 0; g < summary.group_count; g++)
		if (strcmp(summary.groups[g].labels[0], "buy") == 0 &&
		    strcmp(summary.groups[g].arm, "control") == 0)
			assert_string_equal(cell, hidden[g * (1 + summary.metric_count)]
			                                  ? "hidden"
			                                  : CONTROL_UNITS);
	free(text);
	free(hidden);
	/* --min-cell 1 shows everything: browse control is i = 40, 42. */
	text = table_of(&summary, 1);
	line = line_of(text, "browse", "control");
	assert_non_null(line);
	word(line, 2, cell, sizeof cell);
	assert_string_equal(cell, "2");
	word(line, 3, cell, sizeof cell);
	assert_string_equal(cell, "50.00%"); /* 40 % 5 == 0, 42 % 5 != 0 */
	free(text);
	tact_summary_release(&summary);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_small_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
