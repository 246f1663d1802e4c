/*
 * test_rule.c - the rule language: parsing, precedence, numbers and texts,
 * missing values, errors with their position.
 *
 * No reference implementation: the expected classes follow from the grammar
 * in lib/rule.h, row by row, by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule.h"

/* A header and rows of up to 4 fields, as the reader would give them. */
typedef struct fake {
	char *fields[4];
	size_t lengths[4];
	uint64_t lines[4];
	tact_csv_record record;
} fake;

static const tact_csv_record *make(fake *f, const char *a, const char *b,
                                   const char *c, const char *d, uint64_t line)
{
	const char *texts[4] = {a, b, c, d};
	size_t i;

	for (i = 0; i < 4; i++) {
		f->fields[i] = (char *)texts[i];
		f->lengths[i] = strlen(texts[i]);
		f->lines[i] = line;
	}
	memset(&f->record, 0, sizeof f->record);
	f->record.count = 4;
	f->record.fields = f->fields;
	f->record.lengths = f->lengths;
	f->record.lines = f->lines;
	f->record.line = line;
	f->record.index = line - 1;
	f->record.delimiter = ',';
	return &f->record;
}

/* Parse rules (NULL-terminated), set the default, bind to the header
 * "cart_adds,page value,source,returning". */
static void setup(tact_rule_set *set, const char *const *rules)
{
	fake header;
	tact_error error;

	tact_rule_set_init(set);
	tact_error_init(&error);
	for (; *rules; rules++)
		assert_int_equal(tact_rule_set_add(set, *rules, &error), TACT_OK);
	assert_int_equal(tact_rule_set_default(set, "browse", &error), TACT_OK);
	assert_int_equal(tact_rule_set_bind(set, make(&header, "cart_adds",
	                                              "page value", "source",
	                                              "returning", 1),
	                                    "x.csv", &error), TACT_OK);
}

static const char *classify(tact_rule_set *set, const char *a, const char *b,
                            const char *c, const char *d)
{
	fake row;
	size_t k = 99;
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_rule_set_classify(set, make(&row, a, b, c, d, 2),
	                                        "x.csv", &k, &error), TACT_OK);
	assert_true(k < set->class_count);
	return set->classes[k];
}

static void test_first_match_wins(void **state)
{
	static const char *const rules[] = {
		"buy: cart_adds > 0 or `page value` > 0",
		"research: source = 'search' and not returning = yes",
		"\"loyal fan\": returning == 1",
		NULL,
	};
	tact_rule_set set;

	(void)state;
	setup(&set, rules);
	assert_int_equal(set.class_count, 4);
	assert_string_equal(classify(&set, "2", "0", "search", "no"), "buy");
	assert_string_equal(classify(&set, "0", "1.5", "ads", "yes"), "buy");
	assert_string_equal(classify(&set, "0", "0", "search", "no"), "research");
	assert_string_equal(classify(&set, "0", "0", "search", "yes"), "loyal fan");
	assert_string_equal(classify(&set, "0", "0", "ads", "0"), "browse");
	tact_rule_set_release(&set);
}

static void test_precedence_and_parentheses(void **state)
{
	/* and binds tighter than or: a or (b and c). */
	static const char *const loose[] = {
		"x: cart_adds >= 3 or source = a and returning = yes", NULL};
	static const char *const tight[] = {
		"x: (cart_adds >= 3 or source = a) and returning = yes", NULL};
	tact_rule_set set;

	(void)state;
	setup(&set, loose);
	assert_string_equal(classify(&set, "3", "", "b", "no"), "x");
	assert_string_equal(classify(&set, "1", "", "a", "no"), "browse");
	tact_rule_set_release(&set);
	setup(&set, tight);
	assert_string_equal(classify(&set, "3", "", "b", "no"), "browse");
	assert_string_equal(classify(&set, "1", "", "a", "yes"), "x");
	tact_rule_set_release(&set);
}

static void test_comparisons(void **state)
{
	static const char *const rules[] = {
		"lt: cart_adds < -1.5", "le: cart_adds <= 0", "eq: cart_adds == 2",
		"ne: cart_adds != 7 AND cart_adds>=3", "text: source != ''",
		NULL,
	};
	tact_rule_set set;

	(void)state;
	setup(&set, rules);
	assert_string_equal(classify(&set, "-2", "", "", ""), "lt");
	assert_string_equal(classify(&set, "0", "", "", ""), "le");
	assert_string_equal(classify(&set, "2.0", "", "", ""), "eq");
	assert_string_equal(classify(&set, "2e0", "", "", ""), "eq");
	assert_string_equal(classify(&set, "8", "", "", ""), "ne");
	assert_string_equal(classify(&set, "7", "", "", ""), "browse");
	assert_string_equal(classify(&set, "7", "", "mail", ""), "text");
	/* Booleans compare as 0/1. */
	assert_string_equal(classify(&set, "false", "", "", ""), "le");
	assert_string_equal(classify(&set, "TRUE", "", "", ""), "browse");
	tact_rule_set_release(&set);
}

static void test_missing_values(void **state)
{
	static const char *const rules[] = {
		"a: cart_adds > 0", "b: not cart_adds > 0 and source = ''", NULL};
	tact_rule_set set;

	(void)state;
	setup(&set, rules);
	/* Empty: every numeric comparison is false, so "not" makes it true. */
	assert_string_equal(classify(&set, "", "", "", ""), "b");
	assert_string_equal(classify(&set, "  ", "", "x", ""), "browse");
	tact_rule_set_release(&set);
}

static void test_bad_cell(void **state)
{
	static const char *const rules[] = {"a: source = x or cart_adds > 0", NULL};
	tact_rule_set set;
	tact_error error;
	fake row;
	size_t k;

	(void)state;
	setup(&set, rules);
	tact_error_init(&error);
	assert_int_equal(tact_rule_set_classify(&set, make(&row, "lots", "", "y",
	                                                   "", 7),
	                                        "x.csv", &k, &error), TACT_DATA);
	assert_int_equal(error.line, 7);
	assert_int_equal(error.column, 1);
	assert_string_equal(error.file, "x.csv");
	assert_non_null(strstr(error.message, "'lots'"));
	/* Short-circuit: the bad cell is not read when the text matches. */
	assert_int_equal(tact_rule_set_classify(&set, make(&row, "lots", "", "x",
	                                                   "", 7),
	                                        "x.csv", &k, &error), TACT_OK);
	tact_rule_set_release(&set);
}

static void expect_syntax_error(const char *rule, const char *fragment)
{
	tact_rule_set set;
	tact_error error;

	tact_rule_set_init(&set);
	tact_error_init(&error);
	assert_int_equal(tact_rule_set_add(&set, rule, &error), TACT_USAGE);
	if (!strstr(error.message, fragment))
		fail_msg("rule '%s': message '%s' lacks '%s'", rule, error.message,
		         fragment);
	tact_rule_set_release(&set);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_syntax_error("cart_adds > 0", "expected ':' after the class name at character 11");
	expect_syntax_error("buy:", "expected a condition after ':'");
	expect_syntax_error("buy: x >", "expected a number or a text at character 9");
	expect_syntax_error("buy: x > abc", "expected a number at character 10");
	expect_syntax_error("buy: x == abc", "'==' compares numbers");
	expect_syntax_error("buy: (x > 1", "unclosed '(' from character 6: expected ')' at character 12");
	expect_syntax_error("buy: x > 1)", "unmatched ')'");
	expect_syntax_error("buy: x > 1 y", "expected 'and', 'or' or the end");
	expect_syntax_error("buy: x ! 1", "expected '!='");
	expect_syntax_error("buy: x = 'open", "unterminated quoted text");
	expect_syntax_error(": x > 1", "a class name first");
	expect_syntax_error("buy: and > 1", "a column named like a keyword");
	expect_syntax_error("buy: x >", "expected a number or a text");
	expect_syntax_error("buy: ((((((((((((((((((((((((((((((((((((((((((((((((("
	                    "(((((((((((((((((((x > 1", "nested too deeply");
}

static void test_missing_column(void **state)
{
	tact_rule_set set;
	tact_error error;
	fake header;

	(void)state;
	tact_rule_set_init(&set);
	tact_error_init(&error);
	assert_int_equal(tact_rule_set_add(&set, "a: clicks > 1", &error), TACT_OK);
	assert_int_equal(tact_rule_set_default(&set, "b", &error), TACT_OK);
	assert_int_equal(tact_rule_set_bind(&set, make(&header, "x", "y", "z", "w", 1),
	                                    "x.csv", &error), TACT_DATA);
	assert_non_null(strstr(error.message, "'clicks'"));
	assert_int_equal(error.line, 1);
	tact_rule_set_release(&set);
}

/* "in (...)" in a rule: the or of text equalities; "not in" its negation. */
static void test_in_list(void **state)
{
	static const char *const rules[] = {
		"ads: source in (search, 'paid ads', \"3\")",
		"other: source not in (direct)", NULL};
	/* source cell, class: "3.0" is another text than "3" */
	static const char *const cases[][2] = {
		{"search", "ads"}, {"paid ads", "ads"}, {"3", "ads"},
		{"3.0", "other"}, {"direct", "browse"}};
	tact_rule_set set;
	size_t i;

	(void)state;
	setup(&set, rules);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(classify(&set, "0", "0", cases[i][0], "0"),
		                    cases[i][1]);
	tact_rule_set_release(&set);
}

/* A condition alone (--where): parsed without class, evaluated leniently
 * (a cell that is no number makes a numeric comparison false, reported),
 * errors "at N: ...". */
static void test_condition(void **state)
{
	static const char *const bad[][2] = {
		{"country = DE and x >", "at 21: expected a value after '>'"},
		{"  ", "at 3: the condition is empty"},
		{"x in (a b)", "at 9: expected ',' or ')' in the list of 'in'"}};
	size_t i;
	tact_rule_set set;
	tact_error error;
	fake header, row;
	size_t bound[4];
	int unreadable = 7;

	(void)state;
	tact_rule_set_init(&set);
	tact_error_init(&error);
	assert_int_equal(tact_rule_set_condition(
		&set, "cart_adds >= 2 and source in (a, b) or not `page value` > 0",
		&error), TACT_OK);
	assert_int_equal(tact_rule_set_resolve(&set, make(&header, "source",
	                                                  "cart_adds", "x",
	                                                  "page value", 1),
	                                       "x.csv", bound, &error), TACT_OK);
	assert_true(tact_rule_set_holds(&set, bound, make(&row, "a", "2", "", "5", 2),
	                                &unreadable));
	assert_int_equal(unreadable, 0);
	assert_false(tact_rule_set_holds(&set, bound, make(&row, "c", "2", "", "5", 2),
	                                 &unreadable));
	assert_false(tact_rule_set_holds(&set, bound, make(&row, "a", "NA", "", "5", 2),
	                                 &unreadable));
	assert_int_equal(unreadable, 1);
	/* A missing page value: "not > 0" holds. */
	assert_true(tact_rule_set_holds(&set, bound, make(&row, "c", "0", "", "", 2),
	                                &unreadable));
	tact_rule_set_release(&set);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tact_rule_set_init(&set);
		assert_int_equal(tact_rule_set_condition(&set, bad[i][0], &error),
		                 TACT_USAGE);
		assert_string_equal(error.message, bad[i][1]);
		tact_rule_set_release(&set);
	}
	tact_rule_set_init(&set);
	assert_int_equal(tact_rule_set_condition(&set, "nope = 1", &error), TACT_OK);
	assert_int_equal(tact_rule_set_resolve(&set, make(&header, "a", "b", "c",
	                                                  "d", 1),
	                                       "x.csv", bound, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "no column 'nope'"));
	tact_rule_set_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_match_wins),
		cmocka_unit_test(test_precedence_and_parentheses),
		cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_bad_cell),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_in_list),
		cmocka_unit_test(test_condition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
