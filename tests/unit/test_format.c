/*
 * test_format.c - numbers and text as CSV and JSON.
 *
 * Numbers: every finite double must read back exactly (glibc's strtod is
 * the reference reader), with no more digits than the shortest decimal
 * that produced it.  Text: CSV fields written here must come back
 * unchanged through tact's own CSV reader; JSON strings must be valid
 * UTF-8 with the escapes RFC 8259 requires.
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
#include "format.h"
#include "utf8.h"

static uint64_t rng_state;

static uint64_t next_random(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void check_round_trip(double value)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];
	char *end;
	double back;

	tact_format_number(buffer, value);
	back = strtod(buffer, &end);
	if (*end != '\0' || !(back == value) ||
	    strlen(buffer) >= TACT_FORMAT_NUMBER_MAX) {
		print_error("%a formatted as '%s' reads back as %a\n", value, buffer,
		            back);
		fail();
	}
}

/* Significant digits in a number's text: mantissa digits from the first
 * nonzero one to the last nonzero one ("1000" and "0.0010" have one). */
static int significant_digits(const char *text)
{
	int count = 0, started = 0, zeros = 0;

	for (; *text && *text != 'e' && *text != 'E'; text++) {
		if (*text < '0' || *text > '9')
			continue;
		if (*text == '0') {
			zeros++;
			continue;
		}
		if (started)
			count += zeros;
		count++;
		zeros = 0;
		started = 1;
	}
	return count;
}

static void test_random_bits_round_trip(void **state)
{
	int i;

	(void)state;
	rng_state = 1;
	for (i = 0; i < 100000; i++) {
		uint64_t bits = next_random();
		double value;
		memcpy(&value, &bits, sizeof value);
		if (!isfinite(value))
			continue;
		check_round_trip(value);
	}
	/* Subnormals, extremes, powers of two and of ten. */
	check_round_trip(4.9406564584124654e-324);
	check_round_trip(-4.9406564584124654e-324);
	check_round_trip(2.2250738585072009e-308);
	check_round_trip(2.2250738585072014e-308);
	check_round_trip(1.7976931348623157e308);
	check_round_trip(-1.7976931348623157e308);
	for (i = -1074; i <= 1023; i++)
		check_round_trip(ldexp(1.0, i));
	for (i = -300; i <= 300; i++)
		check_round_trip(pow(10.0, i));
}

static void test_realistic_values_round_trip(void **state)
{
	int i;

	(void)state;
	rng_state = 2;
	for (i = 0; i < 50000; i++) {
		/* Means, rates, sums as tact computes them. */
		double a = (double)(next_random() % 1000000) / 997.0;
		double b = (double)(next_random() % 100000 + 1);
		check_round_trip(a / b);
		check_round_trip(a * b);
		check_round_trip(-a / 3.0);
		check_round_trip((double)(next_random() >> 11)); /* < 2^53 */
	}
}

static void test_shortest(void **state)
{
	char buffer[TACT_FORMAT_NUMBER_MAX], text[64];
	int i;

	(void)state;
	/* A double read from a short decimal is written with no more digits. */
	rng_state = 3;
	for (i = 0; i < 100000; i++) {
		int digits = 1 + (int)(next_random() % 15);
		uint64_t limit = 1, mantissa;
		int exponent = (int)(next_random() % 40) - 25, k;
		double value;
		for (k = 0; k < digits; k++)
			limit *= 10;
		mantissa = next_random() % limit;
		snprintf(text, sizeof text, "%llue%d", (unsigned long long)mantissa,
		         exponent);
		value = strtod(text, NULL);
		tact_format_number(buffer, value);
		if (strtod(buffer, NULL) != value ||
		    significant_digits(buffer) > significant_digits(text)) {
			print_error("'%s' (%a) formatted as '%s'\n", text, value, buffer);
			fail();
		}
	}
	assert_string_equal(tact_format_number(buffer, 0.1), "0.1");
	assert_string_equal(tact_format_number(buffer, 0.1 + 0.2),
	                    "0.30000000000000004");
	assert_string_equal(tact_format_number(buffer, 1.0 / 3.0),
	                    "0.3333333333333333");
	assert_string_equal(tact_format_number(buffer, 2.0 / 3.0),
	                    "0.6666666666666666");
	assert_string_equal(tact_format_number(buffer, 12.5), "12.5");
	assert_string_equal(tact_format_number(buffer, -0.025), "-0.025");
	assert_string_equal(tact_format_number(buffer, 1e-7), "1e-07");
	assert_string_equal(tact_format_number(buffer, 123456.0), "123456");
	assert_string_equal(tact_format_number(buffer, 999999999999999.0),
	                    "999999999999999");
	assert_string_equal(tact_format_number(buffer, -42.0), "-42");
	assert_string_equal(tact_format_number(buffer, 1e15), "1e+15");
	assert_string_equal(tact_format_number(buffer, 9007199254740992.0),
	                    "9007199254740992");
}

static void test_special_values(void **state)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];
	char fixed[32];

	(void)state;
	assert_string_equal(tact_format_number(buffer, NAN), "");
	assert_string_equal(tact_format_number(buffer, -NAN), "");
	assert_string_equal(tact_format_number(buffer, -0.0), "0");
	assert_string_equal(tact_format_number(buffer, 0.0), "0");
	assert_string_equal(tact_format_number(buffer, INFINITY), "inf");
	assert_string_equal(tact_format_number(buffer, -INFINITY), "-inf");

	assert_string_equal(tact_format_fixed(fixed, sizeof fixed, NAN, 2), "");
	assert_string_equal(tact_format_fixed(fixed, sizeof fixed, -0.0, 2), "0.00");
	assert_string_equal(tact_format_fixed(fixed, sizeof fixed, -0.004, 2),
	                    "0.00");
	assert_string_equal(tact_format_fixed(fixed, sizeof fixed, -0.4, 0), "0");
	assert_string_equal(tact_format_fixed(fixed, sizeof fixed, -0.06, 1),
	                    "-0.1");
	assert_string_equal(tact_format_fixed(fixed, sizeof fixed, 3.14159, 3),
	                    "3.142");
	assert_string_equal(tact_format_fixed(fixed, sizeof fixed, -10.0, 0), "-10");
	/* Truncated to the buffer, never overflowing. */
	assert_string_equal(tact_format_fixed(fixed, 4, 12345.0, 0), "123");

	assert_string_equal(tact_format_count(buffer, 0), "0");
	assert_string_equal(tact_format_count(buffer, 9007199254740993LL),
	                    "9007199254740993");
	assert_string_equal(tact_format_count(buffer, INT64_MIN),
	                    "-9223372036854775808");
}

/* Run write(out) into a memory stream; return its text (caller frees). */
static char *capture_csv(const char *text, size_t length, char delimiter)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&data, &size);

	assert_non_null(out);
	tact_format_csv_text(out, text, length, delimiter);
	assert_int_equal(fclose(out), 0);
	return data;
}

static void expect_csv(const char *text, char delimiter, const char *expected)
{
	char *got = capture_csv(text, strlen(text), delimiter);

	if (strcmp(got, expected) != 0) {
		print_error("'%s' (delimiter '%c') written as [%s], expected [%s]\n",
		            text, delimiter, got, expected);
		free(got);
		fail();
	}
	free(got);
}

static void test_csv_quoting(void **state)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out;

	(void)state;
	expect_csv("plain", ',', "plain");
	expect_csv("", ',', "");
	expect_csv("flâneur", ',', "flâneur");
	expect_csv("a,b", ',', "\"a,b\"");
	expect_csv("a,b", ';', "a,b");
	expect_csv("a;b", ';', "\"a;b\"");
	expect_csv("a;b", ',', "a;b");
	expect_csv("a\tb", '\t', "\"a\tb\"");
	expect_csv("say \"hi\"", ',', "\"say \"\"hi\"\"\"");
	expect_csv("\"", ',', "\"\"\"\"");
	expect_csv("two\nlines", ',', "\"two\nlines\"");
	expect_csv("cr\rhere", ',', "\"cr\rhere\"");
	expect_csv("crlf\r\n", ',', "\"crlf\r\n\"");
	expect_csv(" lead", ',', "\" lead\"");
	expect_csv("trail ", ',', "\"trail \"");
	expect_csv("\ttab", ',', "\"\ttab\"");
	expect_csv("tab\t", ',', "\"tab\t\"");
	expect_csv(" ", ',', "\" \"");
	expect_csv("in side", ',', "in side");

	out = open_memstream(&data, &size);
	assert_non_null(out);
	tact_format_csv_number(out, 0.5);
	putc(',', out);
	tact_format_csv_number(out, NAN);
	putc(',', out);
	tact_format_csv_number(out, -0.0);
	putc(',', out);
	tact_format_csv_string(out, "x,y", ',');
	fclose(out);
	assert_string_equal(data, "0.5,,0,\"x,y\"");
	free(data);
}

/* ---- a CSV row, a list, a number for a person ----------------------- */

static void test_csv_row(void **state)
{
	static const char *const names[] = {"metric", "a,b", "=sum"};
	char *data = NULL;
	size_t size = 0;
	tact_format_csv_row row;
	FILE *out = open_memstream(&data, &size);

	(void)state;
	assert_non_null(out);
	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_texts(&row, names, 3);
	tact_format_csv_row_end(&row);
	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_number(&row, 0.25);
	tact_format_csv_row_number(&row, NAN);
	tact_format_csv_row_finite(&row, INFINITY);
	tact_format_csv_row_finite(&row, -1.5);
	tact_format_csv_row_count(&row, 12);
	tact_format_csv_row_count(&row, -1);
	tact_format_csv_row_text(&row, NULL);
	tact_format_csv_row_blanks(&row, 2);
	tact_format_csv_row_text(&row, "end");
	assert_int_equal(row.fields, 10);
	tact_format_csv_row_end(&row);
	/* Safe mode reaches the row's text fields (OWASP's leading quote). */
	tact_format_set_safe_csv(1);
	tact_format_csv_row_begin(&row, out);
	tact_format_csv_row_texts(&row, names, 3);
	tact_format_csv_row_data_text(&row, "=sum");
	tact_format_csv_row_end(&row);
	tact_format_set_safe_csv(0);
	assert_int_equal(fclose(out), 0);
	assert_string_equal(data, "metric,\"a,b\",=sum\n"
	                          "0.25,,,-1.5,12,,,,,end\n"
	                          "metric,\"a,b\",\"'=sum\",=sum\n");
	free(data);
}

static void test_list_and_significant(void **state)
{
	static const char *const arms[] = {"control", "say \"hi\"", "b"};
	char *data = NULL;
	size_t size = 0;
	char buffer[TACT_FORMAT_NUMBER_MAX];
	FILE *out = open_memstream(&data, &size);

	(void)state;
	assert_non_null(out);
	tact_format_list(out, arms, 0, ",", tact_format_json_string);
	putc('[', out);
	tact_format_list(out, arms, 3, ",", tact_format_json_string);
	fputs("] ", out);
	tact_format_list(out, arms, 2, ", ", tact_format_terminal);
	assert_int_equal(fclose(out), 0);
	assert_string_equal(data, "[\"control\",\"say \\\"hi\\\"\",\"b\"] "
	                          "control, say \"hi\"");
	free(data);
	/* Quoted for a message, cut before a name that does not fit. */
	assert_string_equal(tact_format_quoted_list(buffer, sizeof buffer, arms,
	                                            3),
	                    "'control', 'say \"hi\"', 'b'");
	assert_string_equal(tact_format_quoted_list(buffer, 16, arms, 3),
	                    "'control', ...");
	assert_string_equal(tact_format_quoted_list(buffer, 8, arms, 3), "...");
	assert_string_equal(tact_format_quoted_list(buffer, sizeof buffer, arms,
	                                            0),
	                    "");
	/* A figure and its interval for a table. */
	{
		char text[64];
		assert_string_equal(tact_format_interval_text(text, sizeof text, 0.062,
		                                              0.05214, 0.07351, 1),
		                    "6.20% [5.21, 7.35]");
		assert_string_equal(tact_format_interval_text(text, sizeof text, 5.114,
		                                              4.3, NAN, 0),
		                    "5.11");
		assert_string_equal(tact_format_interval_text(text, sizeof text, NAN,
		                                              1, 2, 0),
		                    "-");
		assert_string_equal(tact_format_interval_text(text, sizeof text,
		                                              -0.001, -0.004, 0.002,
		                                              0),
		                    "0.00 [0.00, 0.00]");
	}
	/* The C standard's %.*g (Python's '%.4g' % x gives the same). */
	assert_string_equal(tact_format_significant(buffer, sizeof buffer, 95, 6),
	                    "95");
	assert_string_equal(tact_format_significant(buffer, sizeof buffer,
	                                            0.05000000000000004, 6),
	                    "0.05");
	assert_string_equal(tact_format_significant(buffer, sizeof buffer,
	                                            4.6e-51, 4),
	                    "4.6e-51");
	assert_string_equal(tact_format_significant(buffer, sizeof buffer,
	                                            0.123456, 3),
	                    "0.123");
	assert_string_equal(tact_format_significant(buffer, sizeof buffer,
	                                            5e9, 17),
	                    "5000000000");
}

/* ---- CSV fields written here read back unchanged by csvreader -------- */

typedef struct read_back {
	char fields[8][64];
	size_t count, records;
} read_back;

static tact_status keep_record(void *context, const tact_csv_record *record,
                               tact_error *error)
{
	read_back *r = context;
	size_t i;

	(void)error;
	r->records++;
	if (record->index != 1)
		return TACT_OK;
	r->count = record->count;
	for (i = 0; i < record->count && i < 8; i++) {
		assert_true(record->lengths[i] < sizeof r->fields[i]);
		memcpy(r->fields[i], record->fields[i], record->lengths[i] + 1);
	}
	return TACT_OK;
}

static void test_csv_read_back(void **state)
{
	static const char alphabet[] = {'a', 'b', ' ', '\t', ',', ';', '"', '\n',
	                                '\r', 'x'};
	int trial;

	(void)state;
	rng_state = 4;
	for (trial = 0; trial < 3000; trial++) {
		const char delimiters[] = {',', ';', '\t'};
		char delimiter = delimiters[trial % 3];
		char fields[3][16];
		char *data = NULL;
		size_t size = 0, f, i;
		FILE *out = open_memstream(&data, &size);
		tact_csv_options options;
		tact_error error;
		read_back r;

		assert_non_null(out);
		/* A header that fixes the delimiter, then one row. */
		fprintf(out, "h1%ch2%ch3\n", delimiter, delimiter);
		for (f = 0; f < 3; f++) {
			size_t length = 1 + next_random() % 10;
			for (i = 0; i < length; i++)
				fields[f][i] = alphabet[next_random() % sizeof alphabet];
			/* The reader drops a row whose fields are all empty; keep
			 * one letter so the row is never blank. */
			fields[f][0] = f == 0 ? 'k' : fields[f][0];
			fields[f][length] = '\0';
			if (f)
				putc(delimiter, out);
			tact_format_csv_string(out, fields[f], delimiter);
		}
		putc('\n', out);
		assert_int_equal(fclose(out), 0);

		memset(&r, 0, sizeof r);
		tact_csv_options_init(&options);
		options.delimiter = delimiter;
		tact_error_init(&error);
		if (tact_csv_read_memory("w.csv", data, size, &options, keep_record,
		                         &r, &error) != TACT_OK ||
		    r.records != 2 || r.count != 3 ||
		    strcmp(r.fields[0], fields[0]) || strcmp(r.fields[1], fields[1]) ||
		    strcmp(r.fields[2], fields[2])) {
			print_error("written [%s] did not read back (%s; %zu records)\n",
			            data, error.message, r.records);
			free(data);
			fail();
		}
		free(data);
	}
}

/* ---- JSON ------------------------------------------------------------ */

static void expect_json(const char *text, const char *expected)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&data, &size);

	assert_non_null(out);
	tact_format_json_string(out, text);
	assert_int_equal(fclose(out), 0);
	if (strcmp(data, expected) != 0 || !tact_utf8_valid(data, size)) {
		print_error("JSON of '%s' is [%s], expected [%s]\n", text, data,
		            expected);
		free(data);
		fail();
	}
	free(data);
}

#define FFFD "\xEF\xBF\xBD"

static void test_json_strings(void **state)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out;

	(void)state;
	expect_json("", "\"\"");
	expect_json("plain", "\"plain\"");
	expect_json("flâneur", "\"flâneur\"");
	expect_json("日本 😀", "\"日本 😀\"");
	expect_json("q\"b\\s/", "\"q\\\"b\\\\s/\"");
	expect_json("n\nr\rt\t", "\"n\\nr\\rt\\t\"");
	expect_json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	expect_json("\b\f", "\"\\u0008\\u000c\"");
	/* Invalid UTF-8: each bad byte becomes U+FFFD. */
	expect_json("a\xFF" "b", "\"a" FFFD "b\"");
	expect_json("\xC3", "\"" FFFD "\"");             /* cut at the end */
	expect_json("\xC3(", "\"" FFFD "(\"");            /* bad continuation */
	expect_json("\xC0\xAF", "\"" FFFD FFFD "\"");     /* overlong '/' */
	expect_json("\xE0\x80\xAF", "\"" FFFD FFFD FFFD "\"");
	expect_json("\xED\xA0\x80", "\"" FFFD FFFD FFFD "\""); /* surrogate */
	expect_json("\xF4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* > U+10FFFF */
	expect_json("\xE2\x82", "\"" FFFD FFFD "\"");
	expect_json("caf\xE9", "\"caf" FFFD "\"");        /* Latin-1 */
	expect_json("\x80\"", "\"" FFFD "\\\"\"");

	out = open_memstream(&data, &size);
	assert_non_null(out);
	tact_format_json_number(out, 0.25);
	putc(' ', out);
	tact_format_json_number(out, NAN);
	putc(' ', out);
	tact_format_json_number(out, INFINITY);
	putc(' ', out);
	tact_format_json_number(out, -INFINITY);
	putc(' ', out);
	tact_format_json_number(out, -0.0);
	putc(' ', out);
	tact_format_json_number(out, 1e300);
	fclose(out);
	assert_string_equal(data, "0.25 null null null 0 1e+300");
	free(data);
}

/* tact_format_thousands against Python's format(n, ","): the strings below
 * are what /usr/bin/python3 -c 'print(format(n, ","))' printed. */
static void test_thousands(void **state)
{
	static const struct {
		int64_t value;
		const char *text;
	} cases[] = {
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1,000"},
		{-1234, "-1,234"},
		{1234567, "1,234,567"},
		{INT64_MIN, "-9,223,372,036,854,775,808"},
		{INT64_MAX, "9,223,372,036,854,775,807"},
	};
	char buffer[32], small[6];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(tact_format_thousands(buffer, sizeof buffer,
		                                          cases[i].value),
		                    cases[i].text);
	/* cut to fit, never past the buffer */
	assert_string_equal(tact_format_thousands(small, sizeof small, 1234567),
	                    "1,23");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_bits_round_trip),
		cmocka_unit_test(test_thousands),
		cmocka_unit_test(test_realistic_values_round_trip),
		cmocka_unit_test(test_shortest),
		cmocka_unit_test(test_special_values),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_read_back),
		cmocka_unit_test(test_csv_row),
		cmocka_unit_test(test_list_and_significant),
		cmocka_unit_test(test_json_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
