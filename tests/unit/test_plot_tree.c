/*
 * test_plot_tree.c - the chart of a targeting policy's tree (plot_tree.c)
 * without gnuplot: scripts built from target-tree.csv tables held in
 * memory, checked as text (boxes, colours by decision, shares, quoting,
 * places), and the tables it refuses, with their positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plot.h"

static const char header[] =
	"node,parent,condition,question,leaf,decision,share\n";

static tact_status build(const char *rows, tact_plot_script *script,
                         tact_error *error)
{
	char csv[2048];

	snprintf(csv, sizeof csv, "%s%s", header, rows);
	tact_error_init(error);
	return tact_plot_build_memory(TACT_PLOT_TREE, "tree.csv", csv,
	                              strlen(csv), NULL, script, error);
}

static int count(const char *text, const char *what)
{
	int n = 0;

	for (text = strstr(text, what); text; text = strstr(text + 1, what))
		n++;
	return n;
}

static void test_kind_name(void **state)
{
	tact_plot_kind kind;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_plot_parse_kind("tree", &kind, &error), TACT_OK);
	assert_int_equal(kind, TACT_PLOT_TREE);
	assert_string_equal(tact_plot_kind_name(TACT_PLOT_TREE), "tree");
}

/* Hillstrom's policy: a split, a leaf, a split of two leaves. */
static void test_depth_two(void **state)
{
	tact_plot_script script;
	tact_error error;

	(void)state;
	assert_int_equal(build("0,,,recency <= 1,0,,1\n"
	                       "1,0,recency <= 1,womens <= 0,0,,0.14\n"
	                       "2,0,recency > 1,,1,personalize,0.86\n"
	                       "3,1,womens <= 0,,1,hold back,0.059\n"
	                       "4,1,womens > 0,,1,personalize,0.081\n",
	                       &script, &error),
	                 TACT_OK);
	/* five boxes and the key's two swatches */
	assert_int_equal(count(script.text, " rect from screen"), 7);
	assert_non_null(strstr(script.text, "'recency <= 1 ?'"));
	assert_non_null(strstr(script.text, "'womens <= 0 ?'"));
	assert_non_null(strstr(script.text, "'86.0% of units'"));
	assert_non_null(strstr(script.text, "'5.9% of units'"));
	/* two personalizing leaves and one swatch blue, one leaf and one
	 * swatch vermilion */
	assert_int_equal(count(script.text, "fillcolor rgb '#D6E9F8'"), 3);
	assert_int_equal(count(script.text, "fillcolor rgb '#FBE0D2'"), 2);
	assert_int_equal(count(script.text, "'yes'"), 2);
	assert_int_equal(count(script.text, "'no'"), 2);
	assert_int_equal(count(script.text, "set arrow "), 4);
	assert_true(script.width > 0 && script.height > 0);
	tact_plot_script_release(&script);
}

/* A single leaf: one box, no arrow; a question's quote doubled. */
static void test_single_leaf_and_quote(void **state)
{
	tact_plot_script script;
	tact_error error;

	(void)state;
	assert_int_equal(build("0,,,,1,personalize,1\n", &script, &error),
	                 TACT_OK);
	assert_int_equal(count(script.text, " rect from screen"), 3);
	assert_int_equal(count(script.text, "set arrow "), 0);
	assert_non_null(strstr(script.text, "'100.0% of units'"));
	tact_plot_script_release(&script);
	assert_int_equal(build("0,,,\"ref = 'a'\",0,,1\n"
	                       "1,0,,,1,personalize,0.5\n"
	                       "2,0,,,1,hold back,0.5\n", &script, &error),
	                 TACT_OK);
	assert_non_null(strstr(script.text, "'ref = ''a'' ?'"));
	tact_plot_script_release(&script);
}

static void refused(const char *rows, uint64_t line, size_t column,
                    const char *message)
{
	tact_plot_script script;
	tact_error error;

	assert_int_equal(build(rows, &script, &error), TACT_DATA);
	assert_int_equal(error.line, line);
	assert_int_equal(error.column, column);
	assert_non_null(strstr(error.message, message));
	assert_null(script.text);
}

static void test_refused(void **state)
{
	(void)state;
	refused("0,,,x <= 1,0,,1\n1,0,,,1,personalize,0.5\n", 0, 0,
	        "split 0 lacks a child");
	refused("0,,,,1,maybe,1\n", 2, 6, "'personalize' or 'hold back'");
	refused("0,,,,1,hold back,1.5\n", 2, 7, "between 0 and 1");
	refused("0,,,,1,hold back,1\n0,,,,1,hold back,1\n", 3, 1, "twice");
	refused("0,,,x <= 1,0,,1\n1,0,,,1,personalize,0.5\n2,1,,,1,hold back,"
	        "0.5\n", 4, 2, "numbered (node - 1) / 2");
	refused("15,,,,1,hold back,1\n", 2, 1, "from 0 to 14");
	refused("1,0,,,1,hold back,1\n", 2, 2, "given before it");
	refused("0,,,,0,,1\n", 2, 4, "needs its question");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_name),
		cmocka_unit_test(test_depth_two),
		cmocka_unit_test(test_single_leaf_and_quote),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
