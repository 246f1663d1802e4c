/*
 * test_utf8.c - validating UTF-8 and measuring labels.
 *
 * The reference is the Unicode Standard's table of well-formed byte
 * sequences (Unicode 15, chapter 3, table 3-7), written below as byte
 * ranges: a formulation independent of lib/utf8.c, which decodes the code
 * point and checks it.  Every 1- and 2-byte input is compared, and 3- and
 * 4-byte inputs over all leading pairs with boundary continuation bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

/* Table 3-7: the byte ranges of each well-formed sequence. */
static const struct { unsigned char lo[4], hi[4]; size_t length; } table[] = {
	{{0x00}, {0x7F}, 1},
	{{0xC2, 0x80}, {0xDF, 0xBF}, 2},
	{{0xE0, 0xA0, 0x80}, {0xE0, 0xBF, 0xBF}, 3},
	{{0xE1, 0x80, 0x80}, {0xEC, 0xBF, 0xBF}, 3},
	{{0xED, 0x80, 0x80}, {0xED, 0x9F, 0xBF}, 3},
	{{0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}, 3},
	{{0xF0, 0x90, 0x80, 0x80}, {0xF0, 0xBF, 0xBF, 0xBF}, 4},
	{{0xF1, 0x80, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}, 4},
	{{0xF4, 0x80, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, 4},
};

/* Length of the well-formed sequence at s (left bytes), 0 if none. */
static size_t reference_length(const unsigned char *s, size_t left)
{
	size_t t, i;

	for (t = 0; t < sizeof table / sizeof table[0]; t++) {
		if (left < table[t].length)
			continue;
		for (i = 0; i < table[t].length; i++)
			if (s[i] < table[t].lo[i] || s[i] > table[t].hi[i])
				break;
		if (i == table[t].length)
			return table[t].length;
	}
	return 0;
}

static void compare(const unsigned char *s, size_t left)
{
	size_t got = tact_utf8_sequence_length((const char *)s, left);
	size_t expected = reference_length(s, left);

	if (got != expected) {
		print_error("bytes %02X %02X %02X %02X (left %zu): length %zu, "
		            "expected %zu\n", s[0], left > 1 ? s[1] : 0,
		            left > 2 ? s[2] : 0, left > 3 ? s[3] : 0, left, got,
		            expected);
		fail();
	}
}

static void test_one_and_two_bytes(void **state)
{
	unsigned a, b;
	unsigned char s[4];

	(void)state;
	for (a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		compare(s, 1);
		for (b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			compare(s, 2);
		}
	}
}

static void test_three_and_four_bytes(void **state)
{
	static const unsigned char edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90,
	                                      0x9F, 0xA0, 0xBF, 0xC0, 0xF5, 0xFF};
	const size_t n = sizeof edges;
	unsigned a, b;
	size_t c, d;
	unsigned char s[4];

	(void)state;
	for (a = 0xC0; a < 256; a++) {
		s[0] = (unsigned char)a;
		for (b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			for (c = 0; c < n; c++) {
				s[2] = edges[c];
				compare(s, 3);
				for (d = 0; d < n; d++) {
					s[3] = edges[d];
					compare(s, 4);
				}
			}
		}
	}
}

static void test_truncated(void **state)
{
	(void)state;
	/* A sequence cut by the end of the input is invalid. */
	assert_int_equal(tact_utf8_sequence_length("\xC3\xA2", 1), 0);
	assert_int_equal(tact_utf8_sequence_length("\xE2\x82\xAC", 2), 0);
	assert_int_equal(tact_utf8_sequence_length("\xF0\x9F\x98\x80", 3), 0);
	assert_int_equal(tact_utf8_sequence_length("a", 0), 0);
	assert_int_equal(tact_utf8_sequence_length("\xC3\xA2", 2), 2);
	assert_int_equal(tact_utf8_sequence_length("\xE2\x82\xAC", 3), 3);
	assert_int_equal(tact_utf8_sequence_length("\xF0\x9F\x98\x80", 4), 4);
}

/* Encode every code point (surrogates too) and check validity. */
static void test_every_code_point(void **state)
{
	unsigned long cp;

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		unsigned char s[4];
		size_t n;
		int valid = !(cp >= 0xD800 && cp <= 0xDFFF);

		if (cp < 0x80) {
			s[0] = (unsigned char)cp;
			n = 1;
		} else if (cp < 0x800) {
			s[0] = (unsigned char)(0xC0 | (cp >> 6));
			s[1] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 2;
		} else if (cp < 0x10000) {
			s[0] = (unsigned char)(0xE0 | (cp >> 12));
			s[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			s[2] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 3;
		} else {
			s[0] = (unsigned char)(0xF0 | (cp >> 18));
			s[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
			s[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			s[3] = (unsigned char)(0x80 | (cp & 0x3F));
			n = 4;
		}
		if (tact_utf8_sequence_length((const char *)s, n) != (valid ? n : 0) ||
		    tact_utf8_valid((const char *)s, n) != valid) {
			print_error("U+%04lX misjudged\n", cp);
			fail();
		}
	}
}

static void test_valid_strings(void **state)
{
	(void)state;
	assert_true(tact_utf8_valid("", 0));
	assert_true(tact_utf8_valid("flâneur", strlen("flâneur")));
	assert_true(tact_utf8_valid("日本語 😀 €", strlen("日本語 😀 €")));
	assert_true(tact_utf8_valid("a\0b", 3)); /* NUL is a valid code point */
	assert_false(tact_utf8_valid("fl\xE2neur", 7)); /* Latin-1 â */
	assert_false(tact_utf8_valid("ok\xC3", 3));
	assert_false(tact_utf8_valid("\xEF\xBB", 2));
	/* The length bounds the check: the bad byte lies beyond it. */
	assert_true(tact_utf8_valid("ok\xFF", 2));
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(tact_utf8_width("", 0), 0);
	assert_int_equal(tact_utf8_width("abc", 3), 3);
	assert_int_equal(tact_utf8_width("flâneur", strlen("flâneur")), 7);
	assert_int_equal(tact_utf8_width("€", 3), 1);
	assert_int_equal(tact_utf8_width("😀x", 5), 2);
	assert_int_equal(tact_utf8_width("日本", 6), 2); /* no wide forms */
	/* Invalid bytes count one each. */
	assert_int_equal(tact_utf8_width("a\xFF" "b", 3), 3);
	assert_int_equal(tact_utf8_width("\xE2\x82", 2), 2);
	assert_int_equal(tact_utf8_width("fl\xE2neur", 7), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_and_two_bytes),
		cmocka_unit_test(test_three_and_four_bytes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_valid_strings),
		cmocka_unit_test(test_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
