/*
 * parse.h - reading one cell's text as a number, a boolean or a count.
 *
 * Every number tact reads goes through here, so the accepted forms are the
 * same everywhere: an optional sign, digits with an optional decimal
 * separator ('.' or, under decimal_comma, ',' and only ','), an optional
 * exponent.  Spaces around the text are ignored.  Not accepted: NaN,
 * infinities, hexadecimal, thousands separators, values that overflow a
 * double.  Parsing does not depend on the locale.
 *
 * The common short forms ("0", "1", "12.5") are converted exactly without
 * strtod; everything else falls back to strtod, whose result is correctly
 * rounded (the tools keep LC_NUMERIC at "C").
 */
#ifndef TACT_PARSE_H
#define TACT_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"

/* A NUL-terminated copy of the length bytes at text (which may hold NUL
 * bytes; the copy keeps them), or NULL when out of memory.  The caller
 * frees it. */
char *tact_parse_copy(const char *text, size_t length);

/* Parse text[0..length) as a finite number into *value.  Returns 0 on
 * success, -1 when the text is not a number in the accepted form. */
int tact_parse_number(const char *text, size_t length, int decimal_comma,
                      double *value);

/* True when text[0..length) is a number in the accepted form whose value
 * is beyond a double's range ("1e400", "-2e308"): tact_parse_number
 * refuses it, and a message should say "out of range", not "not a
 * number". */
int tact_parse_out_of_range(const char *text, size_t length,
                            int decimal_comma);

/* What a message says of such a number, after the name of what it is
 * ("'revenue' " or "--confidence "), before ", got '1e400'"; EXPECTED
 * without its "must be ". */
#define TACT_PARSE_RANGE_EXPECTED                                 \
	"within a double's range (about 1.8e308 either side of 0): " \
	"this number is out of range"
#define TACT_PARSE_RANGE_PROBLEM "must be " TACT_PARSE_RANGE_EXPECTED

/*
 * For a parser of a setting that refused text[0..length): when that is a
 * number beyond a double's range, fill error (TACT_USAGE) with "WHAT "
 * TACT_PARSE_RANGE_PROBLEM ", got 'GOT'" and return TACT_USAGE, so that
 * 1e400 is called out of range and not malformed; else TACT_OK (error
 * untouched).  got is what the message quotes (the whole item, or NULL
 * for the number itself).
 */
tact_status tact_parse_check_range(const char *what, const char *text,
                                   size_t length, const char *got,
                                   tact_error *error);

/* 10^0 to 10^22, each exact in a double. */
extern const double tact_parse_exact_powers_of_ten[23];

/*
 * The usual cell, inline (the loops that read every cell of every row call
 * it before tact_parse_number): at most 15 digits and one decimal mark, and
 * nothing else.  Returns 0 with *value (the same as tact_parse_number's),
 * or -1 for anything else, which tact_parse_number then reads.  Its
 * mantissa is below 2^53 and its exponent at least -15, so the one division
 * is exact to the last bit (Clinger's fast case).
 */
static inline int tact_parse_plain_number(const char *text, size_t length,
                                          char mark, double *value)
{
	uint64_t m = 0;
	int fraction = -1, count = 0;
	size_t k;

	if (length > 15)
		return -1;
	for (k = 0; k < length; k++) {
		const unsigned digit = (unsigned)(unsigned char)text[k] - '0';
		if (digit < 10) {
			m = m * 10 + digit;
			count++;
			fraction += fraction >= 0;
		} else if (text[k] == mark && fraction < 0) {
			fraction = 0;
		} else {
			return -1;
		}
	}
	if (count == 0)
		return -1;
	*value = fraction > 0
	                 ? (double)m / tact_parse_exact_powers_of_ten[fraction]
	                 : (double)m;
	return 0;
}

/* tact_parse_boolean for every cell (spaces, ...): call that one. */
int tact_parse_boolean_any(const char *text, size_t length, double *value);

/*
 * Parse a boolean: 0/1, true/false, yes/no in any case (spaces around
 * ignored).  Returns 0 and sets *value to 0.0 or 1.0, or -1.  The cells
 * people write, without spaces, are read here without a call: a loader
 * asks this of every goal cell, and the general parser cost 13% of a
 * reading of true/false cells.  Setting bit 5 lowers a letter, and of the
 * bytes it changes only the upper-case letters become lower-case ones, so
 * "TRUE" and "tRuE" are "true" after one OR.
 */
static inline int tact_parse_boolean(const char *text, size_t length,
                                     double *value)
{
	/* Words compared as integers, built by memcpy from the text (as
	 * many bytes as it holds) and from the words themselves, so the
	 * byte order does not matter. */
	uint16_t pair, no, ye;
	uint32_t word, true_word, false_word;

	switch (length) {
	case 1:
		if (text[0] == '0' || text[0] == '1') {
			*value = text[0] == '1';
			return 0;
		}
		break;
	case 2:
	case 3:
		memcpy(&pair, text, 2);
		memcpy(&no, "no", 2);
		memcpy(&ye, "ye", 2);
		pair |= 0x2020;
		if (length == 2 && pair == no) {
			*value = 0.0;
			return 0;
		}
		if (length == 3 && pair == ye && (text[2] | 0x20) == 's') {
			*value = 1.0;
			return 0;
		}
		break;
	case 4:
	case 5:
		memcpy(&word, text, 4);
		memcpy(&true_word, "true", 4);
		memcpy(&false_word, "fals", 4);
		word |= UINT32_C(0x20202020);
		if (length == 4 && word == true_word) {
			*value = 1.0;
			return 0;
		}
		if (length == 5 && word == false_word && (text[4] | 0x20) == 'e') {
			*value = 0.0;
			return 0;
		}
		break;
	default:
		break;
	}
	return tact_parse_boolean_any(text, length, value);
}

/* Parse a non-negative whole number (a count such as exposures): digits,
 * or a number with a zero fractional part ("3.0").  Returns 0 on success,
 * -1 when not a number, -2 when negative, -3 when not whole, -4 when 2^53
 * or above (where doubles stop counting exactly: 2^53 + 1 reads as 2^53). */
int tact_parse_count(const char *text, size_t length, int decimal_comma,
                     double *value);

/* True when text[0..length) holds only spaces and tabs (or nothing). */
int tact_parse_is_blank(const char *text, size_t length);

#endif
