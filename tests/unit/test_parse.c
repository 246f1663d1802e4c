/*
 * test_parse.c - cell text to numbers, booleans and counts.
 *
 * The reference for numbers is glibc's strtod in the "C" locale (correctly
 * rounded): random decimal strings, generated here from a fixed seed, must
 * convert to the very same double by tact_parse_number, on both of its
 * paths (the exact fast path for short mantissas, strtod for the rest).
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
#include "parse.h"

/* splitmix64: a fixed, portable sequence (rand() differs between libcs). */
static uint64_t rng_state;

static uint64_t next_random(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static unsigned random_below(unsigned n)
{
	return (unsigned)(next_random() % n);
}

static int parse(const char *text, double *value)
{
	return tact_parse_number(text, strlen(text), 0, value);
}

static int same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Parse text with '.' and, after swapping the mark, with ',' under
 * decimal_comma; both must give exactly strtod's double. */
static void check_against_strtod(const char *text)
{
	double expected = strtod(text, NULL), got = -12345.0;
	char comma[1024];
	char *dot;

	if (parse(text, &got) != 0 || !same_double(got, expected)) {
		print_error("'%s': parsed %.17g, strtod %.17g\n", text, got, expected);
		fail();
	}
	snprintf(comma, sizeof comma, "%s", text);
	if ((dot = strchr(comma, '.')) != NULL)
		*dot = ',';
	got = -12345.0;
	if (tact_parse_number(comma, strlen(comma), 1, &got) != 0 ||
	    !same_double(got, expected)) {
		print_error("'%s' (decimal comma): parsed %.17g, strtod %.17g\n",
		            comma, got, expected);
		fail();
	}
}

/* A random decimal: sign, integer digits, fraction digits, exponent. */
static void random_decimal(char *out, size_t size, unsigned max_digits,
                           int with_exponent)
{
	unsigned digits = 1 + random_below(max_digits);
	unsigned point = random_below(digits + 1); /* digits before the mark */
	size_t at = 0;
	unsigned i;

	if (random_below(3) == 0)
		out[at++] = '-';
	else if (random_below(10) == 0)
		out[at++] = '+';
	for (i = 0; i < digits; i++) {
		if (i == point && i > 0)
			out[at++] = '.';
		if (i == 0 && point == 0) {
			if (random_below(2))
				out[at++] = '0';
			out[at++] = '.';
		}
		/* Leading zeros now and then, and many zeros, to exercise the
		 * zero-skipping code. */
		out[at++] = (char)('0' + (random_below(4) == 0 ? 0 : random_below(10)));
	}
	if (with_exponent) {
		at += (size_t)snprintf(out + at, size - at, "%c%s%u",
		                       random_below(2) ? 'e' : 'E',
		                       random_below(2) ? "-" : (random_below(2) ? "+" : ""),
		                       random_below(40));
	}
	out[at] = '\0';
}

static void test_fast_path_matches_strtod(void **state)
{
	char text[128];
	int i;

	(void)state;
	rng_state = 20240501;
	/* Up to 15 significant digits: mantissa below 2^53, the exact path. */
	for (i = 0; i < 200000; i++) {
		random_decimal(text, sizeof text, 15, random_below(4) == 0);
		check_against_strtod(text);
	}
	/* 16 to 19 digits: fast path when the mantissa is below 2^53. */
	for (i = 0; i < 50000; i++) {
		random_decimal(text, sizeof text, 19, random_below(3) == 0);
		check_against_strtod(text);
	}
}

static void test_long_path_matches_strtod(void **state)
{
	char text[128];
	int i;

	(void)state;
	rng_state = 77;
	/* More than 19 digits: the strtod path (dropped or truncated digits). */
	for (i = 0; i < 50000; i++) {
		unsigned digits;
		do
			random_decimal(text, sizeof text, 60, random_below(3) == 0);
		while ((digits = (unsigned)strspn(text + strcspn(text, "0123456789"),
		                                  "0123456789.")) < 21);
		check_against_strtod(text);
	}
}

static void test_hard_cases(void **state)
{
	static const char *const cases[] = {
		"0", "-0", "1", "12.5", "0.1", "0.3", "100", "1e22", "1e23",
		"9007199254740991", "9007199254740992", "9007199254740993",
		"9007199254740995", "123456789012345678", "1234567890123456789",
		"12345678901234567890", "0.1000000000000000055511151231257827",
		"2.2250738585072011e-308", "2.2250738585072014e-308",
		"4.9406564584124654e-324", "1.7976931348623157e308",
		"0.000000000000000000000000000001", "1.5e-22", "1.5e+22",
		"0000000000000000000000000000000000012.5", "00.000", ".5", "5.",
		"-.25", "+7", "3E4", "7.2057594037927933e16", "8.98846567431158e307",
		"179769313486231570814527423731704356798070567525844996598917476803"
		"157260780028538760589558632766878171540458953514382464234321326889"
		"46", /* 134 digits: longer than a parser's stack buffer */
		"0.00000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000001",
		"1.00000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000"
		"000000000000000000000000000000000000000000000000000000000000000001",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_against_strtod(cases[i]);
}

static void test_exact_values(void **state)
{
	double v;

	(void)state;
	assert_int_equal(parse("12.5", &v), 0);
	assert_true(v == 12.5);
	assert_int_equal(parse("-0", &v), 0);
	assert_true(v == 0.0 && signbit(v));
	assert_int_equal(parse("  42\t", &v), 0); /* spaces around ignored */
	assert_true(v == 42.0);
	assert_int_equal(tact_parse_number("1,5", 3, 1, &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(tact_parse_number(" -1,25e2 ", 9, 1, &v), 0);
	assert_true(v == -125.0);
	/* Only the given length is read. */
	assert_int_equal(tact_parse_number("1234", 2, 0, &v), 0);
	assert_true(v == 12.0);
}

static void test_refused_forms(void **state)
{
	static const char *const dot_refused[] = {
		"", " ", "\t", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
		"0x10", "0x1p3", "1.2.3", "1,000", "1 000", "1,000.5", "1.000,5",
		"1e", "1e+", "e5", ".", "-", "+", "+-1", "--1", "1-", "1.5x",
		"x1", "1,5", "1e5.5", "1 e5", "12'345", "1_000", "1e309", "-2e308",
		"1.8e308", "\xC2\xA0" "1", "\"1\"", "1 2",
	};
	static const char *const comma_refused[] = {
		"1.5", "1.000,5", "1,000,5", "1,2,3", "", " ", ",", "nan", "0x1",
	};
	size_t i;
	double v;

	(void)state;
	for (i = 0; i < sizeof dot_refused / sizeof dot_refused[0]; i++) {
		v = 7.0;
		if (parse(dot_refused[i], &v) != -1) {
			print_error("'%s' accepted as %.17g\n", dot_refused[i], v);
			fail();
		}
	}
	for (i = 0; i < sizeof comma_refused / sizeof comma_refused[0]; i++) {
		if (tact_parse_number(comma_refused[i], strlen(comma_refused[i]), 1,
		                      &v) != -1) {
			print_error("'%s' accepted under decimal comma\n",
			            comma_refused[i]);
			fail();
		}
	}
	/* An embedded NUL is not the end of the text. */
	assert_int_equal(tact_parse_number("1\0" "2", 3, 0, &v), -1);
}

static void test_locale_independent(void **state)
{
	double v;

	(void)state;
	/* The parser never looks at the locale; with the "C" locale strtod
	 * agrees, but "1,5" must stay refused without decimal_comma. */
	assert_int_equal(parse("1,5", &v), -1);
	assert_int_equal(parse("1.5", &v), 0);
	assert_true(v == 1.5);
}

static void test_booleans(void **state)
{
	static const struct { const char *text; double value; } ok[] = {
		{"1", 1}, {"0", 0}, {"true", 1}, {"TRUE", 1}, {"True", 1},
		{"tRuE", 1}, {"false", 0}, {"FALSE", 0}, {"False", 0},
		{"yes", 1}, {"YES", 1}, {"Yes", 1}, {"no", 0}, {"NO", 0},
		{"No", 0}, {" yes ", 1}, {"\tfalse", 0}, {"fAlSe", 0},
		{"TRUE ", 1}, {" true", 1},
	};
	static const char *const bad[] = {
		"", " ", "2", "-1", "1.0", "0.0", "y", "n", "t", "f", "tru",
		"truex", "yess", "on", "off", "oui", "ja", "1 1", "no pe",
		/* one byte off "true" or "false", in each place */
		"trud", "TRUF", "tRuw", "frue", "tvue", "t\x12ue", "fals",
		"falsa", "FALSY", "fal\x13" "e", "fblse", "galse", "f@lse",
	};
	size_t i;
	double v;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = -1;
		assert_int_equal(tact_parse_boolean(ok[i].text, strlen(ok[i].text), &v),
		                 0);
		assert_true(v == ok[i].value);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (tact_parse_boolean(bad[i], strlen(bad[i]), &v) != -1) {
			print_error("'%s' accepted as a boolean\n", bad[i]);
			fail();
		}
	}
	/* Length, not NUL, bounds the text. */
	assert_int_equal(tact_parse_boolean("yesterday", 3, &v), 0);
	assert_true(v == 1.0);
	assert_int_equal(tact_parse_boolean("no", 1, &v), -1);
}

/* The inline reading of the usual cells gives what the general one gives:
 * each usual cell with one byte replaced by every byte value, in every
 * case, read both ways. */
static void test_booleans_inline_matches_general(void **state)
{
	static const char *const words[] = {
		"0", "1", "no", "NO", "yes", "YeS", "true", "TRUE", "false", "fAlSe",
	};
	size_t w, at;
	int byte;

	(void)state;
	for (w = 0; w < sizeof words / sizeof words[0]; w++) {
		size_t length = strlen(words[w]);
		for (at = 0; at < length; at++) {
			for (byte = 0; byte < 256; byte++) {
				char text[8];
				double fast = -1, general = -1;
				int rc_fast, rc_general;
				memcpy(text, words[w], length);
				text[at] = (char)byte;
				rc_fast = tact_parse_boolean(text, length, &fast);
				rc_general = tact_parse_boolean_any(text, length, &general);
				if (rc_fast != rc_general || (rc_fast == 0 && fast != general)) {
					print_error("'%s' with byte %d at %zu: %d/%g vs %d/%g\n",
					            words[w], byte, at, rc_fast, fast,
					            rc_general, general);
					fail();
				}
			}
		}
	}
}

static void test_counts(void **state)
{
	static const struct { const char *text; int comma, rc; double value; } cases[] = {
		{"0", 0, 0, 0},
		{"3", 0, 0, 3},
		{"3.0", 0, 0, 3},
		{"3,0", 1, 0, 3},
		{"1e3", 0, 0, 1000},
		{" 12 ", 0, 0, 12},
		{"-0", 0, 0, 0},
		{"-2", 0, -2, 0},
		{"-0.5", 0, -2, 0},
		{"2.5", 0, -3, 0},
		{"0.001", 0, -3, 0},
		{"2,5", 1, -3, 0},
		{"abc", 0, -1, 0},
		{"", 0, -1, 0},
		{"2,5", 0, -1, 0},
		{"9007199254740991", 0, 0, 9007199254740991.0},
		{"9007199254740992", 0, -4, 0},  /* 2^53: cannot tell from 2^53 + 1 */
		{"9007199254740994", 0, -4, 0},  /* 2^53 + 2 */
		{"9007199254740993", 0, -4, 0},  /* 2^53 + 1 reads as 2^53 */
		{"1e16", 0, -4, 0},
		{"1e300", 0, -4, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double v = -7;
		int rc = tact_parse_count(cases[i].text, strlen(cases[i].text),
		                          cases[i].comma, &v);
		if (rc != cases[i].rc || (rc == 0 && !same_double(v, cases[i].value))) {
			print_error("count '%s': rc %d value %.17g, expected rc %d "
			            "value %.17g\n", cases[i].text, rc, v, cases[i].rc,
			            cases[i].value);
			fail();
		}
	}
}

static void test_blank(void **state)
{
	(void)state;
	assert_true(tact_parse_is_blank("", 0));
	assert_true(tact_parse_is_blank(" \t ", 3));
	assert_false(tact_parse_is_blank(" x ", 3));
	assert_false(tact_parse_is_blank("\n", 1)); /* only spaces and tabs */
	assert_true(tact_parse_is_blank("  x", 2));
}

/* 1e400 is out of range, not malformed: the message says so, for the
 * number or for the item quoted (issue 15 item 23). */
static void test_range_message(void **state)
{
	tact_error error;

	(void)state;
	assert_true(tact_parse_out_of_range("1e400", 5, 0));
	assert_true(tact_parse_out_of_range("-2e308", 6, 0));
	assert_false(tact_parse_out_of_range("1e300", 5, 0));
	assert_false(tact_parse_out_of_range("abc", 3, 0));
	tact_error_init(&error);
	assert_int_equal(tact_parse_check_range("--confidence", "1e400", 5, NULL,
	                                        &error), TACT_USAGE);
	assert_string_equal(error.message,
	                    "--confidence must be within a double's range (about "
	                    "1.8e308 either side of 0): this number is out of "
	                    "range, got '1e400'");
	assert_int_equal(tact_parse_check_range("--weights", "1e400", 5,
	                                        "spend=1e400", &error),
	                 TACT_USAGE);
	assert_non_null(strstr(error.message, "got 'spend=1e400'"));
	tact_error_init(&error);
	assert_int_equal(tact_parse_check_range("x", "abc", 3, NULL, &error),
	                 TACT_OK);
	assert_int_equal(tact_parse_check_range("x", "12", 2, NULL, &error),
	                 TACT_OK);
	assert_string_equal(error.message, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_path_matches_strtod),
		cmocka_unit_test(test_long_path_matches_strtod),
		cmocka_unit_test(test_hard_cases),
		cmocka_unit_test(test_exact_values),
		cmocka_unit_test(test_refused_forms),
		cmocka_unit_test(test_locale_independent),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_booleans_inline_matches_general),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_range_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
