/*
 * test_summaryfile.c - the summary as CSV: written, read back identical
 * (through tact_load_memory, as the tools read it), and malformed files
 * refused with their line and column.
 *
 * The dataset is tests/expected/summary_expected.h (tests/expected/
 * summary.py); the file format is man/tact-summary.5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <cmocka.h>

#include "check.h"
#include "load.h"
#include "summary.h"
#include "summaryfile.h"

#include "../expected/summary_expected.h"

static void summarize_dataset(tact_summary *summary)
{
	char *dimension = "intent";
	tact_error error;
	size_t row;

	tact_summary_init(summary);
	tact_error_init(&error);
	assert_int_equal(tact_summary_setup(summary, 1, &dimension, "arm",
	                                    SUMMARY_METRICS,
	                                    (char *const *)summary_metric_names,
	                                    summary_metric_roles, &error),
	                 TACT_OK);
	for (row = 0; row < SUMMARY_ROWS; row++) {
		const char *label = summary_groups[summary_rows[row].group].intent;
		const char *arm = summary_groups[summary_rows[row].group].arm;
		size_t length = strlen(label), group;
		assert_int_equal(tact_summary_group_find(summary, &label, &length, arm,
		                                         strlen(arm), &group, &error),
		                 TACT_OK);
		tact_summary_add(summary, group, summary_rows[row].values);
	}
	summary->rows_read = SUMMARY_ROWS + 40;
	summary->rows_rejected = 7;
	summary->rows_excluded_consent = 33;
	tact_summary_finish(summary);
}

/* Write summary into a malloc'd buffer. */
static char *write_to_memory(tact_summary *summary, size_t *size)
{
	char *data = NULL;
	FILE *out = open_memstream(&data, size);
	tact_error error;

	assert_non_null(out);
	tact_error_init(&error);
	assert_int_equal(tact_summaryfile_write(summary, out, &error), TACT_OK);
	assert_int_equal(fclose(out), 0);
	return data;
}

static tact_status load_text(const char *text, size_t length,
                             tact_summary *summary, tact_error *error)
{
	tact_load_options options;
	tact_load_report report;
	tact_status status;

	tact_error_init(error);
	assert_int_equal(tact_load_options_init(&options, error), TACT_OK);
	tact_summary_init(summary);
	status = tact_load_memory("s.csv", text, length, &options, summary,
	                          &report, error);
	if (status == TACT_OK)
		assert_true(report.from_summary);
	tact_load_options_release(&options);
	return status;
}

static int same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Every number of two groups identical. */
static void assert_same_group(const tact_summary *a,
                              const tact_summary_group *x,
                              const tact_summary_group *y)
{
	size_t k;

	assert_string_equal(x->arm, y->arm);
	assert_int_equal(x->units, y->units);
	for (k = 0; k < a->metric_count; k++) {
		assert_int_equal(x->metrics[k].n, y->metrics[k].n);
		assert_true(same_double(x->metrics[k].sum, y->metrics[k].sum));
		assert_true(same_double(x->metrics[k].m2, y->metrics[k].m2));
	}
	for (k = 0; k < a->pair_count; k++) {
		assert_int_equal(x->pairs[k].n, y->pairs[k].n);
		assert_true(same_double(x->pairs[k].sum_a, y->pairs[k].sum_a));
		assert_true(same_double(x->pairs[k].sum_b, y->pairs[k].sum_b));
		assert_true(same_double(x->pairs[k].c, y->pairs[k].c));
	}
}

/* Every number of two summaries identical, groups (and pooled groups) in
 * the same order. */
static void assert_identical(const tact_summary *a, const tact_summary *b)
{
	size_t g, k, d;

	assert_int_equal(a->dimensions, b->dimensions);
	for (d = 0; d < a->dimensions; d++)
		assert_string_equal(a->dimension_names[d], b->dimension_names[d]);
	assert_string_equal(a->arm_name, b->arm_name);
	assert_int_equal(a->metric_count, b->metric_count);
	for (k = 0; k < a->metric_count; k++) {
		assert_string_equal(a->metrics[k].name, b->metrics[k].name);
		assert_int_equal(a->metrics[k].role, b->metrics[k].role);
		assert_int_equal(a->metrics[k].binary, b->metrics[k].binary);
	}
	assert_int_equal(a->rows_read, b->rows_read);
	assert_int_equal(a->rows_rejected, b->rows_rejected);
	assert_int_equal(a->rows_excluded_consent, b->rows_excluded_consent);
	assert_int_equal(a->units_in_several_arms, b->units_in_several_arms);
	assert_true((a->control == NULL) == (b->control == NULL));
	if (a->control)
		assert_string_equal(a->control, b->control);
	assert_true((a->unit_name == NULL) == (b->unit_name == NULL));
	if (a->unit_name)
		assert_string_equal(a->unit_name, b->unit_name);
	assert_int_equal(a->group_count, b->group_count);
	for (g = 0; g < a->group_count; g++) {
		const tact_summary_group *x = &a->groups[g], *y = &b->groups[g];
		for (d = 0; d < a->dimensions; d++)
			assert_string_equal(x->labels[d], y->labels[d]);
		assert_string_equal(x->arm, y->arm);
		assert_int_equal(x->units, y->units);
		for (k = 0; k < a->metric_count; k++) {
			assert_int_equal(x->metrics[k].n, y->metrics[k].n);
			assert_true(same_double(x->metrics[k].sum, y->metrics[k].sum));
			assert_true(same_double(x->metrics[k].m2, y->metrics[k].m2));
		}
		for (k = 0; k < a->pair_count; k++) {
			assert_int_equal(x->pairs[k].n, y->pairs[k].n);
			assert_true(same_double(x->pairs[k].sum_a, y->pairs[k].sum_a));
			assert_true(same_double(x->pairs[k].sum_b, y->pairs[k].sum_b));
			assert_true(same_double(x->pairs[k].c, y->pairs[k].c));
		}
	}
	assert_int_equal(a->has_pooled, b->has_pooled);
	assert_int_equal(a->pooled_count, b->pooled_count);
	for (g = 0; g < a->pooled_count; g++)
		assert_same_group(a, &a->pooled[g], &b->pooled[g]);
}

static void test_write_read_identical(void **state)
{
	tact_summary written, read, again;
	tact_error error;
	char *text, *text2;
	size_t size, size2;

	(void)state;
	summarize_dataset(&written);
	assert_int_equal(tact_summary_set_control(&written, "control", &error),
	                 TACT_OK);
	text = write_to_memory(&written, &size);
	{
		static const char start[] = "tact_summary_v1,segment:intent,arm:arm,"
		                            "units,goal:converted:n,goal:converted:sum,"
		                            "goal:converted:m2,annoyance:bounced:n,";
		char rows_read[64];
		assert_memory_equal(text, start, sizeof start - 1);
		snprintf(rows_read, sizeof rows_read, "\nmeta,rows_read,%d,",
		         SUMMARY_ROWS + 40);
		assert_non_null(strstr(text, rows_read));
	}
	assert_non_null(strstr(text, ",cross:revenue:exposures:c\n"));
	assert_non_null(strstr(text, "\nmeta,binary:converted,1,"));
	assert_non_null(strstr(text, "\nmeta,control,control,"));
	assert_int_equal(load_text(text, size, &read, &error), TACT_OK);
	assert_identical(&written, &read);
	/* Written again, the same bytes. */
	text2 = write_to_memory(&read, &size2);
	assert_int_equal(size2, size);
	assert_memory_equal(text2, text, size);
	/* Read from a file path too, with the same result. */
	{
		char path[] = "/tmp/tact-summaryfile-XXXXXX";
		int fd = mkstemp(path);
		FILE *file;
		tact_load_options options;
		assert_true(fd >= 0);
		file = fdopen(fd, "w");
		assert_non_null(file);
		assert_int_equal(fwrite(text, 1, size, file), size);
		assert_int_equal(fclose(file), 0);
		assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
		tact_summary_init(&again);
		assert_int_equal(tact_load(path, &options, &again, NULL, &error),
		                 TACT_OK);
		assert_identical(&written, &again);
		tact_summary_release(&again);
		tact_load_options_release(&options);
		unlink(path);
	}
	free(text);
	free(text2);
	tact_summary_release(&written);
	tact_summary_release(&read);
}

/*
 * Pooled groups: with a dimension, each arm's pooled group holds to the
 * last bit what an unsegmented summary of the same rows holds for that
 * arm; they are written as "pooled" rows and read back identical; a
 * summary whose --by is '' takes them as its groups.
 */
static void test_pooled_groups(void **state)
{
	tact_summary segmented, plain, read;
	tact_error error;
	tact_names none = {0, NULL};
	size_t row, g;
	char *text;
	size_t size;

	(void)state;
	tact_error_init(&error);
	summarize_dataset(&segmented);
	assert_int_equal(tact_summary_set_control(&segmented, "control", &error),
	                 TACT_OK);
	tact_summary_init(&plain);
	assert_int_equal(tact_summary_setup(&plain, 0, NULL, "arm",
	                                    SUMMARY_METRICS,
	                                    (char *const *)summary_metric_names,
	                                    summary_metric_roles, &error),
	                 TACT_OK);
	assert_false(plain.has_pooled);
	for (row = 0; row < SUMMARY_ROWS; row++) {
		const char *arm = summary_groups[summary_rows[row].group].arm;
		size_t group;
		assert_int_equal(tact_summary_group_find(&plain, NULL, NULL, arm,
		                                         strlen(arm), &group, &error),
		                 TACT_OK);
		tact_summary_add(&plain, group, summary_rows[row].values);
	}
	tact_summary_finish(&plain);
	tact_summary_sort(&plain);
	tact_summary_sort(&segmented);
	assert_true(segmented.has_pooled);
	assert_int_equal(segmented.pooled_count, plain.group_count);
	for (g = 0; g < plain.group_count; g++) {
		assert_string_equal(segmented.pooled[g].labels[0], "(all)");
		assert_same_group(&segmented, &segmented.pooled[g], &plain.groups[g]);
	}
	/* Written and read back: the same pooled groups. */
	text = write_to_memory(&segmented, &size);
	assert_non_null(strstr(text, "\npooled,(all),"));
	assert_int_equal(load_text(text, size, &read, &error), TACT_OK);
	assert_identical(&segmented, &read);
	/* Projected to no dimension: the pooled groups become the groups. */
	assert_int_equal(tact_load_project(&read, &none, "s.csv", &error),
	                 TACT_OK);
	assert_int_equal(read.group_count, plain.group_count);
	for (g = 0; g < plain.group_count; g++)
		assert_same_group(&plain, &read.groups[g], &plain.groups[g]);
	tact_summary_release(&read);
	/* A summary without pooled rows (older, tact-sql) has none. */
	{
		char *cut = strstr(text, "\npooled,");
		cut[1] = '\0';
		assert_int_equal(load_text(text, strlen(text), &read, &error),
		                 TACT_OK);
		assert_false(read.has_pooled);
		assert_int_equal(read.pooled_count, 0);
		/* Merged with one that has them: the result has none. */
		assert_int_equal(tact_summary_merge(&segmented, &read, &error),
		                 TACT_OK);
		assert_false(segmented.has_pooled);
		assert_int_equal(segmented.pooled_count, 0);
		tact_summary_release(&read);
	}
	free(text);
	tact_summary_release(&segmented);
	tact_summary_release(&plain);
}

#define POOLED_HEADER "tact_summary_v1,segment:intent,arm:arm,units," \
                      "goal:converted:n,goal:converted:sum,goal:converted:m2\n" \
                      "group,buy,control,10,10,3,2.1\n" \
                      "group,look,control,5,4,1,0.75\n" \
                      "group,buy,treat,8,8,4,2\n"

static void expect_load_error(const char *text, uint64_t line, uint64_t column,
                              const char *message);

static void test_bad_pooled_rows(void **state)
{
	tact_summary summary;
	tact_error error;
	static const char good[] = POOLED_HEADER
		"pooled,(all),control,15,14,4,2.857142857142857\n"
		"pooled,(all),treat,8,8,4,2\n";

	(void)state;
	assert_int_equal(load_text(good, strlen(good), &summary, &error), TACT_OK);
	assert_true(summary.has_pooled);
	assert_int_equal(summary.pooled_count, 2);
	tact_summary_release(&summary);
	expect_load_error(POOLED_HEADER "pooled,buy,treat,8,8,4,2\n", 5, 2,
	                  "a pooled row's segment labels must be '(all)', got "
	                  "'buy'");
	expect_load_error(POOLED_HEADER "pooled,(all),treat,8,8,4,2\n"
	                  "pooled,(all),treat,8,8,4,2\n", 6, 0,
	                  "this arm's pooled row appears twice");
	expect_load_error(POOLED_HEADER "pooled,(all),treat,8,8,4,2\n", 0, 0,
	                  "arm 'control' has groups but no pooled row");
	/* m2 consistent with 4 ones among 13 (2.769...), so that the count check,
	 * not the moments check, speaks. */
	expect_load_error(POOLED_HEADER "pooled,(all),control,15,13,4,2.769230769230769\n"
	                  "pooled,(all),treat,8,8,4,2\n", 0, 0,
	                  "the pooled row of arm 'control' does not count what "
	                  "its groups count");
	expect_load_error(POOLED_HEADER "pooled,(all),control,16,14,4,2.857142857142857\n"
	                  "pooled,(all),treat,8,8,4,2\n", 0, 0,
	                  "the pooled row of arm 'control' does not count");
	expect_load_error(POOLED_HEADER "pooled,(all),control,15,14,4,2.857142857142857\n"
	                  "pooled,(all),treat,8,8,4,2\n"
	                  "pooled,(all),other,1,1,1,0\n", 0, 0,
	                  "does not count");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:converted:n,"
	                  "goal:converted:sum,goal:converted:m2\n"
	                  "group,treat,8,8,4,2\n"
	                  "pooled,treat,8,8,4,2\n", 3, 1,
	                  "no pooled rows in a summary without segment columns");
}

/* Labels that need quoting, a unit column and no control. */
static void test_awkward_labels(void **state)
{
	static const char *const labels[][2] = {
		{"a,b", "x"}, {"say \"hi\"", "x"}, {" lead", "x"}, {"trail ", "x"},
		{"two\nlines", "x"}, {"", "x"}, {"flâneur", "arm,with comma"},
		{"semi;colon", "x"}, {"tab\there", "x"},
	};
	char *dims[2] = {"intent", "segment:with:colons"};
	char *metric = "spend";
	tact_role role = TACT_ROLE_VALUE;
	tact_summary written, read;
	tact_error error;
	char *text;
	size_t size, i;

	(void)state;
	tact_summary_init(&written);
	assert_int_equal(tact_summary_setup(&written, 2, dims, "variant, v2", 1,
	                                    &metric, &role, &error),
	                 TACT_OK);
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		const char *l[2] = {labels[i][0], "z"};
		size_t lengths[2] = {strlen(labels[i][0]), 1}, group;
		double value = 0.1 * (double)i + 1e-17;
		assert_int_equal(tact_summary_group_find(&written, l, lengths,
		                                         labels[i][1],
		                                         strlen(labels[i][1]), &group,
		                                         &error),
		                 TACT_OK);
		tact_summary_add(&written, group, &value);
		value = -1e150;
		tact_summary_add(&written, group, &value);
	}
	written.unit_name = strdup("visitor id");
	written.units_in_several_arms = 12;
	written.rows_read = 18;
	tact_summary_finish(&written);
	text = write_to_memory(&written, &size);
	assert_int_equal(load_text(text, size, &read, &error), TACT_OK);
	/* No control recorded and no arm called 'control': none. */
	assert_null(read.control);
	assert_identical(&written, &read);
	free(text);
	tact_summary_release(&written);
	tact_summary_release(&read);
}

/* ---- malformed files -------------------------------------------------- */

#define HEADER "tact_summary_v1,segment:intent,arm:arm,units,goal:converted:n," \
               "goal:converted:sum,goal:converted:m2\n"
#define GOOD_ROW "group,buy,control,10,10,3,2.1\n"

static void expect_load_error(const char *text, uint64_t line, uint64_t column,
                              const char *message)
{
	tact_summary summary;
	tact_error error;
	tact_status status = load_text(text, strlen(text), &summary, &error);

	if (status != TACT_DATA || error.line != line || error.column != column ||
	    strcmp(error.file, "s.csv") != 0 || !strstr(error.message, message)) {
		print_error("status %d at %llu:%llu [%s]\nexpected 65 at %llu:%llu "
		            "[%s]\nfor:\n%s\n", status,
		            (unsigned long long)error.line,
		            (unsigned long long)error.column, error.message,
		            (unsigned long long)line, (unsigned long long)column,
		            message, text);
		tact_summary_release(&summary);
		fail();
	}
	tact_summary_release(&summary);
}

static void test_minimal_file_reads(void **state)
{
	tact_summary summary;
	tact_error error;
	const char text[] = HEADER GOOD_ROW "group,buy,treat,10,9,9,0\n";

	(void)state;
	assert_int_equal(load_text(text, sizeof text - 1, &summary, &error),
	                 TACT_OK);
	assert_int_equal(summary.group_count, 2);
	assert_int_equal(summary.groups[0].units, 10);
	assert_true(summary.groups[0].metrics[0].sum == 3.0);
	assert_true(summary.groups[0].metrics[0].m2 == 2.1);
	assert_string_equal(summary.control, "control"); /* the default arm */
	assert_true(summary.metrics[0].binary);
	tact_summary_release(&summary);
}

static void test_bad_headers(void **state)
{
	(void)state;
	expect_load_error("tact_summary_v2,arm:arm,units,goal:c:n,goal:c:sum,"
	                  "goal:c:m2\n" "group,a,1,1,1,0\n",
	                  1, 1, "summary version 2 is not supported: this tact "
	                        "reads version 1");
	expect_load_error("tact_summary_vx,arm:arm\ngroup,a\n", 1, 1,
	                  "unknown format in summary header: 'tact_summary_vx'");
	expect_load_error("tact_summary_v,arm:arm\ngroup,a\n", 1, 1,
	                  "unknown format");
	expect_load_error("tact_summary_v1,segment:intent,arm:arm,units,"
	                  "goal:converted:n,goal:converted:sum,goal:converted:m2,"
	                  "colour\n" "group,buy,control,10,10,3,2.1,red\n",
	                  1, 8, "unknown column in summary header: 'colour'");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:c:n,goal:c:sum,"
	                  "goal:c:mean\n" "group,a,1,1,1,0\n",
	                  1, 6, "unknown column in summary header: 'goal:c:mean'");
	expect_load_error("tact_summary_v1,arm:arm,units,target:c:n,goal:c:sum,"
	                  "goal:c:m2\n" "group,a,1,1,1,0\n",
	                  1, 4, "unknown column in summary header: 'target:c:n'");
	expect_load_error("tact_summary_v1,arm:arm,segment:intent,units,goal:c:n,"
	                  "goal:c:sum,goal:c:m2\n" "group,a,b,1,1,1,0\n",
	                  1, 3, "segment column out of place");
	expect_load_error("tact_summary_v1,arm:arm,arm:variant,units,goal:c:n,"
	                  "goal:c:sum,goal:c:m2\n" "group,a,b,1,1,1,0\n",
	                  1, 3, "second arm column");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:c:n,annoyance:c:sum,"
	                  "goal:c:m2\n" "group,a,1,1,1,0\n",
	                  1, 5, "metric with two roles in summary header: "
	                        "'annoyance:c:sum'");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:c:n,goal:c:sum\n"
	                  "group,a,1,1,1\n",
	                  1, 0, "summary header lacks a column (each metric needs "
	                        "n, sum, m2");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:c:n,goal:c:sum,"
	                  "goal:c:m2,goal:c:sum\n" "group,a,1,1,1,0,1\n",
	                  1, 7, "repeated column in summary header: 'goal:c:sum'");
	expect_load_error("tact_summary_v1,units,goal:c:n,goal:c:sum,goal:c:m2\n"
	                  "group,1,1,1,0\n",
	                  1, 0, "summary header has no arm:NAME column");
	expect_load_error("tact_summary_v1,arm:arm,units\ngroup,a,1\n", 1, 0,
	                  "summary header has no metric columns");
	/* Pairs: unknown metrics, wrong order, missing pair columns. */
	expect_load_error("tact_summary_v1,arm:arm,units,goal:a:n,goal:a:sum,"
	                  "goal:a:m2,goal:b:n,goal:b:sum,goal:b:m2,cross:a:z:n,"
	                  "cross:a:b:sum_a,cross:a:b:sum_b,cross:a:b:c\n"
	                  "group,x,1,1,1,0,1,1,0,1,1,1,0\n",
	                  1, 10, "pair of unknown metrics (or not in metric order) "
	                         "in summary header: 'cross:a:z:n'");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:a:n,goal:a:sum,"
	                  "goal:a:m2,goal:b:n,goal:b:sum,goal:b:m2,cross:b:a:n,"
	                  "cross:a:b:sum_a,cross:a:b:sum_b,cross:a:b:c\n"
	                  "group,x,1,1,1,0,1,1,0,1,1,1,0\n",
	                  1, 10, "not in metric order");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:a:n,goal:a:sum,"
	                  "goal:a:m2,goal:b:n,goal:b:sum,goal:b:m2,cross:a:b:n,"
	                  "cross:a:b:sum_a,cross:a:b:sum_b,cross:a:b:cov\n"
	                  "group,x,1,1,1,0,1,1,0,1,1,1,0\n",
	                  1, 13, "unknown column in summary header: "
	                         "'cross:a:b:cov'");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:a:n,goal:a:sum,"
	                  "goal:a:m2,goal:b:n,goal:b:sum,goal:b:m2,cross:a:b:n\n"
	                  "group,x,1,1,1,0,1,1,0,1\n",
	                  1, 0, "summary header lacks a column");
}

static void test_units_column_required(void **state)
{
	(void)state;
	/* Without 'units' no count can be checked against the group size:
	 * an incomplete header, refused at the header. */
	expect_load_error("tact_summary_v1,arm:arm,goal:c:n,goal:c:sum,goal:c:m2\n"
	                  "group,a,1,1,0\n",
	                  1, 0, "summary header has no units column");
	expect_load_error("tact_summary_v1,arm:arm,units,goal:c:n,goal:c:sum,"
	                  "goal:c:m2,units\n" "group,a,1,1,1,0,5\n",
	                  1, 7, "repeated column in summary header: 'units'");
}

static void test_bad_values(void **state)
{
	(void)state;
	/* Columns: 1 kind, 2 intent, 3 arm, 4 units, 5 n, 6 sum, 7 m2. */
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,2.5,1,0\n", 3, 5,
	                  "expected a whole non-negative count, got '2.5'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,-1,0,0,0\n", 3, 4,
	                  "expected a whole non-negative count, got '-1'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,1e17,0,0,0\n", 3, 4,
	                  "count too large (2^53 or more), got '1e17'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,abc,0\n", 3, 6,
	                  "expected a finite number, got 'abc'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,3,\n", 3, 7,
	                  "expected a finite number, got ''");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,3,nan\n", 3, 7,
	                  "expected a finite number, got 'nan'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,11,3,2\n", 3, 5,
	                  "a count above the group's units, got '11'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,3,-0.5\n", 3, 7,
	                  "a non-negative spread (m2), got '-0.5'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,11,0\n", 3, 6,
	                  "a 0/1 metric's sum must be a whole number between 0 "
	                  "and its count (a rate above 1?), got '11'");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,2.5,1\n", 3, 6,
	                  "a 0/1 metric's sum must be a whole number");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,-1,1\n", 3, 6,
	                  "a 0/1 metric's sum must be a whole number");
	expect_load_error(HEADER GOOD_ROW "group,buy,,10,10,3,2.1\n", 3, 3,
	                  "expected an arm label, got ''");
	expect_load_error(HEADER GOOD_ROW "grp,buy,treat,10,10,3,2.1\n", 3, 1,
	                  "expected 'meta', 'group' or 'pooled', got 'grp'");
	expect_load_error(HEADER GOOD_ROW GOOD_ROW, 3, 0,
	                  "this group (segment and arm) appears twice");
	/* A quoted label over two lines: the position is the field's line. */
	expect_load_error(HEADER GOOD_ROW "group,\"two\nlines\",treat,10,10,3,x\n",
	                  4, 7, "expected a finite number, got 'x'");
	expect_load_error(HEADER, 0, 0, "summary has no groups");
	expect_load_error(HEADER "meta,rows_read,5,,,,\n", 0, 0,
	                  "summary has no groups");
}

static void test_bad_meta(void **state)
{
	(void)state;
	expect_load_error(HEADER "meta,rows_red,5,,,,\n" GOOD_ROW, 2, 2,
	                  "unknown meta key, got 'rows_red'");
	expect_load_error(HEADER "meta,rows_read,many,,,,\n" GOOD_ROW, 2, 3,
	                  "expected a whole non-negative count, got 'many'");
	expect_load_error(HEADER "meta,binary:revenue,1,,,,\n" GOOD_ROW, 2, 2,
	                  "binary flag of an unknown metric, got 'binary:revenue'");
	expect_load_error(HEADER "meta,binary:converted,yes,,,,\n" GOOD_ROW, 2, 3,
	                  "expected 0 or 1, got 'yes'");
}

#define PAIR_HEADER "tact_summary_v1,arm:arm,units,goal:c:n,goal:c:sum," \
                    "goal:c:m2,value:r:n,value:r:sum,value:r:m2,cross:c:r:n," \
                    "cross:c:r:sum_a,cross:c:r:sum_b,cross:c:r:c\n"

/* Issue 15, item 22: summaries whose figures cannot all be true. */
static void test_inconsistent_summaries(void **state)
{
	tact_summary summary;
	tact_error error;
	/* m2 a rounding away from exact (3 ones of 10: 2.1), and a co-moment
	 * at the Cauchy-Schwarz bound (sqrt(2.1 * 40) = 9.16515...): read. */
	const char fine[] = PAIR_HEADER
		"group,control,10,10,3,2.1000000000001,10,50,40,10,3,50,9.16515138991168\n";

	(void)state;
	assert_int_equal(load_text(fine, sizeof fine - 1, &summary, &error),
	                 TACT_OK);
	tact_summary_release(&summary);
	/* A 0/1 metric with 3 ones among 10 has m2 3 * 7 / 10 = 2.1. */
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,3,2.5\n", 3, 0,
	                  "inconsistent summary: 0/1 metric 'converted' has m2 "
	                  "2.5, but 3 ones among 10 values give exactly 2.1");
	expect_load_error(HEADER GOOD_ROW "group,buy,treat,10,10,3,1\n", 3, 0,
	                  "has m2 1, but 3 ones");
	expect_load_error(PAIR_HEADER
	                  "group,control,10,10,3,2.1,10,50,40,10,3,50,9.2\n", 2, 0,
	                  "inconsistent summary: the co-moment of 'c' and 'r' (c "
	                  "9.2) exceeds what their spreads allow");
	expect_load_error(PAIR_HEADER
	                  "group,control,10,10,3,2.1,10,50,40,10,3,50,-9.2\n", 2, 0,
	                  "exceeds what their spreads allow");
	expect_load_error(PAIR_HEADER
	                  "group,control,12,10,3,2.1,10,50,40,11,3,50,1\n", 2, 0,
	                  "the pair 'c' and 'r' counts more units than one of "
	                  "its metrics");
	/* 20 units from 15 rows read. */
	expect_load_error(HEADER "meta,rows_read,15,,,,\n" GOOD_ROW
	                  "group,buy,treat,10,9,9,0\n", 0, 0,
	                  "inconsistent summary: its groups hold 20 units, more "
	                  "than the 15 rows read (less 0 rejected and 0 excluded "
	                  "for consent)");
	expect_load_error(HEADER "meta,rows_read,21,,,,\n"
	                  "meta,rows_rejected,2,,,,\n" GOOD_ROW
	                  "group,buy,treat,10,9,9,0\n", 0, 0,
	                  "hold 20 units, more than the 21 rows read (less 2");
	/* Meta rows come first, each once. */
	expect_load_error(HEADER "meta,rows_read,25,,,,\nmeta,rows_read,25,,,,\n"
	                  GOOD_ROW, 3, 2, "a meta key given twice, got 'rows_read'");
	expect_load_error(HEADER "meta,binary:converted,1,,,,\n"
	                  "meta,binary:converted,1,,,,\n" GOOD_ROW, 3, 2,
	                  "a meta key given twice");
	expect_load_error(HEADER GOOD_ROW "meta,rows_read,25,,,,\n", 3, 2,
	                  "a meta row after the groups (meta rows come first), "
	                  "got 'rows_read'");
	/* Names: no colon in a metric's, none empty, no segment twice. */
	expect_load_error("tact_summary_v1,arm:arm,units,goal:x:y:n,goal:x:y:sum,"
	                  "goal:x:y:m2\ngroup,a,1,1,1,0\n", 1, 4,
	                  "metric name with a colon in summary header: "
	                  "'goal:x:y:n'");
	expect_load_error("tact_summary_v1,arm:arm,units,goal::n,goal::sum,"
	                  "goal::m2\ngroup,a,1,1,1,0\n", 1, 4,
	                  "empty metric name in summary header: 'goal::n'");
	expect_load_error("tact_summary_v1,segment:,arm:arm,units,goal:c:n,"
	                  "goal:c:sum,goal:c:m2\ngroup,x,a,1,1,1,0\n", 1, 2,
	                  "empty segment name in summary header: 'segment:'");
	expect_load_error("tact_summary_v1,arm:,units,goal:c:n,"
	                  "goal:c:sum,goal:c:m2\ngroup,a,1,1,1,0\n", 1, 2,
	                  "empty arm name in summary header: 'arm:'");
	expect_load_error("tact_summary_v1,segment:intent,segment:intent,arm:arm,"
	                  "units,goal:c:n,goal:c:sum,goal:c:m2\n"
	                  "group,x,y,a,1,1,1,0\n", 1, 3,
	                  "segment column given twice in summary header: "
	                  "'segment:intent'");
}

static void test_meta_values_read(void **state)
{
	tact_summary summary;
	tact_error error;
	const char text[] = HEADER
		"meta,rows_read,25,,,,\n"
		"meta,rows_rejected,2,,,,\n"
		"meta,rows_excluded_consent,3,,,,\n"
		"meta,control,treat,,,,\n"
		"meta,unit,visitor_id,,,,\n"
		"meta,units_in_several_arms,4,,,,\n"
		"meta,binary:converted,0,,,,\n"
		GOOD_ROW "group,buy,treat,10,10,2.5,1\n";

	(void)state;
	assert_int_equal(load_text(text, sizeof text - 1, &summary, &error),
	                 TACT_OK);
	assert_int_equal(summary.rows_read, 25);
	assert_int_equal(summary.rows_rejected, 2);
	assert_int_equal(summary.rows_excluded_consent, 3);
	assert_string_equal(summary.control, "treat");
	assert_string_equal(summary.unit_name, "visitor_id");
	assert_int_equal(summary.units_in_several_arms, 4);
	/* Not binary: a sum of 2.5 is a mean's, not a count. */
	assert_false(summary.metrics[0].binary);
	assert_true(summary.groups[1].metrics[0].sum == 2.5);
	tact_summary_release(&summary);
}

static void test_write_error(void **state)
{
	tact_summary summary;
	tact_error error;
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full) {
		skip();
		return;
	}
	/* Unbuffered, so the error shows before any fclose. */
	setvbuf(full, NULL, _IONBF, 0);
	summarize_dataset(&summary);
	tact_error_init(&error);
	assert_int_equal(tact_summaryfile_write(&summary, full, &error),
	                 TACT_IOERR);
	assert_string_equal(error.message, "cannot write the summary");
	fclose(full);
	tact_summary_release(&summary);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_read_identical),
		cmocka_unit_test(test_awkward_labels),
		cmocka_unit_test(test_pooled_groups),
		cmocka_unit_test(test_bad_pooled_rows),
		cmocka_unit_test(test_minimal_file_reads),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_units_column_required),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bad_meta),
		cmocka_unit_test(test_inconsistent_summaries),
		cmocka_unit_test(test_meta_values_read),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
