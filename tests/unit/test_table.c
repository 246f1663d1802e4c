/*
 * test_table.c - terminal tables: columns aligned by display width, so
 * UTF-8 labels ("flâneur") line up with ASCII ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "utf8.h"

static char rule_text[4][400];
static int rule_next;

/* n copies of U+2500 (a light horizontal rule). */
static const char *rule_of(int n)
{
	char *out = rule_text[rule_next++ % 4];
	int i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		strcat(out, "\xE2\x94\x80");
	return out;
}

static char *print_table(const tact_table *table)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&data, &size);

	assert_non_null(out);
	tact_table_print(table, out);
	assert_int_equal(fclose(out), 0);
	return data;
}

static void expect_text(const char *got, const char *expected)
{
	if (strcmp(got, expected) != 0) {
		print_error("got:\n%s\nexpected:\n%s\n", got, expected);
		fail();
	}
}

static void test_utf8_alignment(void **state)
{
	const char *headers[] = {"intent", "arm", "n"};
	const char *row1[] = {"flâneur", "control", "12"};
	const char *row2[] = {"buy", "personalized", "3"};
	const char *row3[] = {"日本", "x", "1000"};
	tact_table table;
	char *text, expected[2048];

	(void)state;
	assert_int_equal(tact_table_init(&table, 3, headers), 0);
	tact_table_align_right(&table, 2);
	tact_table_align_right(&table, 7); /* out of range: ignored */
	assert_int_equal(tact_table_add(&table, row1, 0), 0);
	assert_int_equal(tact_table_add(&table, row2, 0), 0);
	assert_int_equal(tact_table_add(&table, row3, 1), 0);
	text = print_table(&table);
	/* Widths 7 ("flâneur" is 7 columns, 8 bytes), 12, 4. */
	snprintf(expected, sizeof expected,
	         "intent " "  " "arm         " "  " "   n\n"
	         "%s\n"
	         "flâneur" "  " "control     " "  " "  12\n"
	         "buy    " "  " "personalized" "  " "   3\n"
	         "\n"
	         "日本     " "  " "x           " "  " "1000\n",
	         rule_of(7 + 2 + 12 + 2 + 4));
	expect_text(text, expected);
	free(text);
	tact_table_release(&table);
}

static void test_left_last_column_and_empty_cells(void **state)
{
	const char *headers[] = {"n", "label"};
	const char *row1[] = {"1", "flâneur"};
	const char *row2[] = {"22", NULL};
	const char *row3[] = {NULL, "b"};
	tact_table table;
	char *text, expected[1024];

	(void)state;
	assert_int_equal(tact_table_init(&table, 2, headers), 0);
	tact_table_align_right(&table, 0);
	/* A block mark on the first row adds no blank line. */
	assert_int_equal(tact_table_add(&table, row1, 1), 0);
	assert_int_equal(tact_table_add(&table, row2, 0), 0);
	assert_int_equal(tact_table_add(&table, row3, 1), 0);
	text = print_table(&table);
	/* The last column is left-aligned: no trailing spaces. */
	snprintf(expected, sizeof expected,
	         " n  label\n"
	         "%s\n"
	         " 1  flâneur\n"
	         "22  \n"
	         "\n"
	         "    b\n",
	         rule_of(2 + 2 + 7));
	expect_text(text, expected);
	free(text);
	tact_table_release(&table);
}

/* Every line's columns start at the same display position. */
static void test_many_rows_line_up(void **state)
{
	static const char *const labels[] = {"flâneur", "é", "ab", "€€€",
	                                     "naïve-café", "x\xFFy"};
	const char *headers[] = {"segment", "value", "note"};
	tact_table table;
	char *text, *line, *save = NULL;
	size_t i, row = 0, header_width = 0;

	(void)state;
	assert_int_equal(tact_table_init(&table, 3, headers), 0);
	tact_table_align_right(&table, 1);
	for (i = 0; i < 40; i++) {
		char value[32];
		const char *cells[3];
		snprintf(value, sizeof value, "%zu", i * i * 37);
		cells[0] = labels[i % 6];
		cells[1] = value;
		cells[2] = "z";
		assert_int_equal(tact_table_add(&table, cells, 0), 0);
	}
	assert_int_equal(table.rows, 40);
	text = print_table(&table);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), row++) {
		size_t length = strlen(line), width = tact_utf8_width(line, length);
		if (row == 1)
			continue; /* the rule */
		if (row == 0) {
			header_width = width;
			continue;
		}
		/* The last column starts at the same display column on every
		 * row: "z" is one column wide, its header "note" four. */
		assert_int_equal(width - 1, header_width - 4);
		assert_int_equal(line[length - 1], 'z');
		assert_int_equal(line[length - 2], ' ');
	}
	assert_int_equal(row, 42);
	free(text);
	tact_table_release(&table);
}

static void test_empty_table(void **state)
{
	const char *headers[] = {"a", "bb"};
	tact_table table;
	char *text, expected[256];

	(void)state;
	assert_int_equal(tact_table_init(&table, 2, headers), 0);
	text = print_table(&table);
	snprintf(expected, sizeof expected, "a  bb\n%s\n", rule_of(5));
	expect_text(text, expected);
	free(text);
	tact_table_release(&table);
	/* Release twice is harmless (the struct is zeroed). */
	tact_table_release(&table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_alignment),
		cmocka_unit_test(test_left_last_column_and_empty_cells),
		cmocka_unit_test(test_many_rows_line_up),
		cmocka_unit_test(test_empty_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
