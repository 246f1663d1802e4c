/*
 * format.c - numbers and text as CSV and JSON (see format.h).
 */
#include "format.h"
#include "utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

char *tact_format_number(char *buffer, double value)
{
	int precision;

	if (isnan(value)) {
		buffer[0] = '\0';
		return buffer;
	}
	if (value == 0.0) { /* also turns -0 into 0 */
		strcpy(buffer, "0");
		return buffer;
	}
	if (value == floor(value) && fabs(value) < 1e15) {
		snprintf(buffer, TACT_FORMAT_NUMBER_MAX, "%.0f", value);
		return buffer;
	}
	for (precision = 15; precision <= 17; precision++) {
		snprintf(buffer, TACT_FORMAT_NUMBER_MAX, "%.*g", precision, value);
		if (strtod(buffer, NULL) == value)
			break;
	}
	return buffer;
}

char *tact_format_fixed(char *buffer, size_t size, double value, int decimals)
{
	if (isnan(value)) {
		if (size)
			buffer[0] = '\0';
		return buffer;
	}
	snprintf(buffer, size, "%.*f", decimals, value);
	/* "-0.00" reads as a sign without a cause. */
	if (buffer[0] == '-' && strspn(buffer + 1, "0.") == strlen(buffer + 1))
		memmove(buffer, buffer + 1, strlen(buffer));
	return buffer;
}

char *tact_format_count(char *buffer, int64_t count)
{
	snprintf(buffer, TACT_FORMAT_NUMBER_MAX, "%" PRId64, count);
	return buffer;
}

void tact_format_csv_text(FILE *out, const char *text, size_t length,
                          char delimiter)
{
	size_t i;
	int quote = length > 0 && (text[0] == ' ' || text[0] == '\t' ||
	                           text[length - 1] == ' ' ||
	                           text[length - 1] == '\t');

	for (i = 0; i < length && !quote; i++)
		if (text[i] == delimiter || text[i] == '"' || text[i] == '\n' ||
		    text[i] == '\r')
			quote = 1;
	if (!quote) {
		fwrite(text, 1, length, out);
		return;
	}
	putc('"', out);
	for (i = 0; i < length; i++) {
		if (text[i] == '"')
			putc('"', out);
		putc(text[i], out);
	}
	putc('"', out);
}

void tact_format_csv_string(FILE *out, const char *text, char delimiter)
{
	tact_format_csv_text(out, text, strlen(text), delimiter);
}

void tact_format_csv_number(FILE *out, double value)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	fputs(tact_format_number(buffer, value), out);
}

void tact_format_json_string(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t left = strlen(text);

	putc('"', out);
	while (*s) {
		size_t n = tact_utf8_sequence_length((const char *)s, left);

		left -= n ? n : 1;

		if (n == 0) {
			fputs("\xEF\xBF\xBD", out);
			s++;
		} else if (n > 1) {
			fwrite(s, 1, n, out);
			s += n;
		} else {
			switch (*s) {
			case '"': fputs("\\\"", out); break;
			case '\\': fputs("\\\\", out); break;
			case '\n': fputs("\\n", out); break;
			case '\r': fputs("\\r", out); break;
			case '\t': fputs("\\t", out); break;
			default:
				if (*s < 0x20 || *s == 0x7f)
					fprintf(out, "\\u%04x", *s);
				else
					putc(*s, out);
			}
			s++;
		}
	}
	putc('"', out);
}

void tact_format_json_number(FILE *out, double value)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	if (!isfinite(value)) {
		fputs("null", out);
		return;
	}
	fputs(tact_format_number(buffer, value), out);
}

void tact_format_json_key(FILE *out, const char *key, int *first)
{
	if (!*first)
		putc(',', out);
	*first = 0;
	tact_format_json_string(out, key);
	putc(':', out);
}

void tact_format_json_number_field(FILE *out, const char *key, double value,
                                   int *first)
{
	tact_format_json_key(out, key, first);
	tact_format_json_number(out, value);
}

void tact_format_json_string_field(FILE *out, const char *key,
                                   const char *value, int *first)
{
	tact_format_json_key(out, key, first);
	if (value)
		tact_format_json_string(out, value);
	else
		fputs("null", out);
}
