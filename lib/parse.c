/*
 * parse.c - cell text to numbers and booleans (see parse.h).
 *
 * Why not strtod alone: it honours the locale (a French LC_NUMERIC would
 * read "1.5" as 1), accepts "nan", "inf" and hex, and is slow (about 100 ns
 * a call).  Here the text is validated against one grammar first; short
 * decimal forms are then converted exactly by Clinger's fast path (an
 * integer mantissa below 2^53 times or divided by an exact power of ten is
 * one correctly rounded IEEE operation); the rest goes to strtod.
 */
#include "parse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double tact_parse_exact_powers_of_ten[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

int tact_parse_is_blank(const char *text, size_t length)
{
	size_t i;

	for (i = 0; i < length; i++)
		if (!is_space(text[i]))
			return 0;
	return 1;
}

static void trim(const char **text, size_t *length)
{
	while (*length && is_space((*text)[0]))
		(*text)++, (*length)--;
	while (*length && is_space((*text)[*length - 1]))
		(*length)--;
}

char *tact_parse_copy(const char *text, size_t length)
{
	char *copy = malloc(length + 1);

	if (copy) {
		memcpy(copy, text, length);
		copy[length] = '\0';
	}
	return copy;
}

int tact_parse_number(const char *text, size_t length, int decimal_comma,
                      double *value)
{
	const char separator = decimal_comma ? ',' : '.';
	uint64_t mantissa = 0;
	int digits = 0, significant = 0, fraction_digits = 0, negative = 0;
	int exponent = 0, exponent_negative = 0, exponent_digits = 0;
	int dropped = 0; /* integer digits beyond 19, not in mantissa */
	int truncated = 0; /* fraction digits beyond 19, not in mantissa */
	size_t i = 0;
	char buffer[128];
	char *copy, *end;
	double result;
	int ok;

	/* The usual cell first (see parse.h). */
	if (tact_parse_plain_number(text, length, separator, value) == 0)
		return 0;
	if (length && (is_space(text[0]) || is_space(text[length - 1])))
		trim(&text, &length);
	if (length == 0)
		return -1;
	if (text[i] == '+' || text[i] == '-')
		negative = text[i++] == '-';
	for (; i < length && text[i] >= '0' && text[i] <= '9'; i++, digits++) {
		if (mantissa == 0 && text[i] == '0')
			continue;
		if (significant < 19)
			mantissa = mantissa * 10 + (uint64_t)(text[i] - '0');
		else
			dropped++;
		significant++;
	}
	if (i < length && text[i] == separator) {
		for (i++; i < length && text[i] >= '0' && text[i] <= '9';
		     i++, digits++) {
			if (mantissa == 0 && text[i] == '0') {
				fraction_digits++;
				continue;
			}
			if (significant < 19) {
				mantissa = mantissa * 10 + (uint64_t)(text[i] - '0');
				fraction_digits++;
			} else {
				truncated = 1;
			}
			significant++;
		}
	}
	if (digits == 0)
		return -1;
	if (i < length && (text[i] == 'e' || text[i] == 'E')) {
		i++;
		if (i < length && (text[i] == '+' || text[i] == '-'))
			exponent_negative = text[i++] == '-';
		for (; i < length && text[i] >= '0' && text[i] <= '9'; i++) {
			if (exponent < 100000)
				exponent = exponent * 10 + (text[i] - '0');
			exponent_digits++;
		}
		if (exponent_digits == 0)
			return -1;
	}
	if (i != length)
		return -1;
	if (exponent_negative)
		exponent = -exponent;
	exponent += dropped - fraction_digits;

	if (dropped == 0 && !truncated && mantissa < (UINT64_C(1) << 53) &&
	    exponent >= -22 && exponent <= 22) {
		result = (double)mantissa;
		if (exponent < 0)
			result /= tact_parse_exact_powers_of_ten[-exponent];
		else
			result *= tact_parse_exact_powers_of_ten[exponent];
		*value = negative ? -result : result;
		return 0;
	}
	/* Slow path: the text is valid; hand a '.'-separated copy to strtod
	 * (on the heap when long: the grammar puts no limit on digits). */
	copy = length < sizeof buffer ? buffer : malloc(length + 1);
	if (!copy)
		return -1;
	memcpy(copy, text, length);
	copy[length] = '\0';
	if (decimal_comma) {
		char *comma = strchr(copy, ',');
		if (comma)
			*comma = '.';
	}
	result = strtod(copy, &end);
	ok = *end == '\0' && isfinite(result);
	if (copy != buffer)
		free(copy);
	if (!ok)
		return -1;
	*value = result;
	return 0;
}

int tact_parse_out_of_range(const char *text, size_t length,
                            int decimal_comma)
{
	char buffer[128], *end;
	size_t i = 0;
	double result;

	trim(&text, &length);
	if (length == 0 || length >= sizeof buffer)
		return 0;
	memcpy(buffer, text, length);
	buffer[length] = '\0';
	if (buffer[0] == '+' || buffer[0] == '-')
		i = 1;
	if (!(buffer[i] >= '0' && buffer[i] <= '9') &&
	    buffer[i] != (decimal_comma ? ',' : '.'))
		return 0; /* "inf", "nan", hexadecimal: not the accepted form */
	for (; i < length; i++) {
		if (buffer[i] == (decimal_comma ? '.' : ','))
			return 0;
		if (decimal_comma && buffer[i] == ',')
			buffer[i] = '.';
		if (!strchr("0123456789.eE+-", buffer[i]))
			return 0;
	}
	result = strtod(buffer, &end);
	return *end == '\0' && isinf(result);
}

static int equal_ignoring_case(const char *text, size_t length,
                               const char *word)
{
	size_t i;

	for (i = 0; i < length; i++) {
		char c = text[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (word[i] == '\0' || c != word[i])
			return 0;
	}
	return word[length] == '\0';
}

int tact_parse_boolean_any(const char *text, size_t length, double *value)
{
	trim(&text, &length);
	if (equal_ignoring_case(text, length, "1") ||
	    equal_ignoring_case(text, length, "true") ||
	    equal_ignoring_case(text, length, "yes")) {
		*value = 1.0;
		return 0;
	}
	if (equal_ignoring_case(text, length, "0") ||
	    equal_ignoring_case(text, length, "false") ||
	    equal_ignoring_case(text, length, "no")) {
		*value = 0.0;
		return 0;
	}
	return -1;
}

int tact_parse_count(const char *text, size_t length, int decimal_comma,
                     double *value)
{
	double number;

	if (tact_parse_number(text, length, decimal_comma, &number) != 0)
		return -1;
	if (number < 0)
		return -2;
	if (number != floor(number))
		return -3;
	/* 2^53 itself is refused too: "9007199254740993" reads as 2^53, so a
	 * count of 2^53 cannot be told from the one above it. */
	if (number >= 9007199254740992.0)
		return -4;
	*value = number + 0.0; /* turn -0 into +0 */
	return 0;
}

tact_status tact_parse_check_range(const char *what, const char *text,
                                   size_t length, const char *got,
                                   tact_error *error)
{
	if (!tact_parse_out_of_range(text, length, 0))
		return TACT_OK;
	if (got)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "%s " TACT_PARSE_RANGE_PROBLEM ", got '%s'", what,
		                      got);
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
	                      "%s " TACT_PARSE_RANGE_PROBLEM ", got '%.*s'", what,
	                      (int)length, text);
}
