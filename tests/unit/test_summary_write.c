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
#include "fixture.h"
#include "summary_write.h"

/* tests/expected/summary_write.py: units|rate|mean per group. */
#define BUY_CONTROL "20|20.00%|2.90"
#define BUY_PERSONALIZED "20|20.00%|2.85"
#define BROWSE_CONTROL "2|50.00%|2.50"
#define BROWSE_PERSONALIZED "2|0.00%|3.50"

/* 44 rows: buy (i < 40) or browse, control (i even) or personalized. */
static void rows(FILE *out)
{
	size_t i;

	fputs("intent,arm,converted,revenue\n", out);
	for (i = 0; i < 44; i++)
		fprintf(out, "%s,%s,%d,%d\n", i < 40 ? "buy" : "browse",
		        i % 2 == 0 ? "control" : "personalized", (int)(i % 5 == 0),
		        (int)(i % 7));
}

static void load(tact_summary *summary)
{
	fixture_load(summary, NULL, rows);
}

/* The table of summary at min_cell (TACT_PRIVACY_TABLES). */
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

/* The units, converted and revenue cells of segment and arm in the table
 * at min_cell, each a word of its line, joined by '|'. */
static void cells(const tact_summary *summary, int64_t min_cell,
                  const char *segment, const char *arm, char *joined,
                  size_t size)
{
	char *text = table_of(summary, min_cell), *line, *cursor;
	char words[5][64];

	joined[0] = '\0';
	for (line = strtok_r(text, "\n", &cursor); line;
	     line = strtok_r(NULL, "\n", &cursor))
		if (sscanf(line, "%63s %63s %63s %63s %63s", words[0], words[1],
		           words[2], words[3], words[4]) == 5 &&
		    strcmp(words[0], segment) == 0 && strcmp(words[1], arm) == 0)
			snprintf(joined, size, "%s|%s|%s", words[2], words[3], words[4]);
	free(text);
}

static void test_figures(void **state)
{
	tact_summary summary;
	char row[200];

	(void)state;
	load(&summary);
	/* --min-cell 1: nothing hidden. */
	cells(&summary, 1, "buy", "control", row, sizeof row);
	assert_string_equal(row, BUY_CONTROL);
	cells(&summary, 1, "buy", "personalized", row, sizeof row);
	assert_string_equal(row, BUY_PERSONALIZED);
	cells(&summary, 1, "browse", "control", row, sizeof row);
	assert_string_equal(row, BROWSE_CONTROL);
	cells(&summary, 1, "browse", "personalized", row, sizeof row);
	assert_string_equal(row, BROWSE_PERSONALIZED);
	tact_summary_release(&summary);
}

static void test_small_groups(void **state)
{
	tact_summary summary;
	unsigned char *hidden;
	tact_error error;
	char row[200];
	size_t g, q;

	(void)state;
	load(&summary);
	q = 1 + summary.metric_count;
	/* browse has 2 units per arm: "<10", every figure "-". */
	cells(&summary, 10, "browse", "control", row, sizeof row);
	assert_string_equal(row, "<10|-|-");
	tact_error_init(&error);
	assert_int_equal(tact_summary_hidden(&summary, 10, TACT_PRIVACY_TABLES,
	                                     &hidden, &error), TACT_OK);
	for (g = 0; g < summary.group_count; g++) {
		const tact_summary_group *group = &summary.groups[g];
		if (group->units < 10)
			assert_true(hidden[g * q]);
		/* buy's arms are hidden too (complementary suppression: the
		 * pooled figures of other tools less buy's would give browse
		 * back), and the table says so. */
		if (strcmp(group->labels[0], "buy") == 0) {
			cells(&summary, 10, "buy", group->arm, row, sizeof row);
			assert_true(hidden[g * q]);
			assert_string_equal(row, "hidden|-|-");
		}
	}
	free(hidden);
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
