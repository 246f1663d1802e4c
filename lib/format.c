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

char *tact_format_thousands(char *buffer, size_t size, int64_t value)
{
	char digits[32];
	size_t n, i, at = 0;
	uint64_t magnitude = value < 0 ? -(uint64_t)value : (uint64_t)value;

	snprintf(digits, sizeof digits, "%" PRIu64, magnitude);
	n = strlen(digits);
	if (value < 0 && at + 1 < size)
		buffer[at++] = '-';
	for (i = 0; i < n && at + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buffer[at++] = ',';
		buffer[at++] = digits[i];
	}
	buffer[at] = '\0';
	return buffer;
}

/* Safe mode (format.h): set once by a tool before any output. */
static int safe_csv;

void tact_format_set_safe_csv(int on)
{
	safe_csv = on != 0;
}

int tact_format_csv_formula(const char *text, size_t length)
{
	return length > 0 && (text[0] == '=' || text[0] == '+' ||
	                      text[0] == '-' || text[0] == '@' ||
	                      text[0] == '\t' || text[0] == '\r');
}

static void csv_field(FILE *out, const char *text, size_t length,
                      char delimiter, int safe)
{
	size_t i;
	int formula = safe && tact_format_csv_formula(text, length);
	int quote = formula ||
	            (length > 0 && (text[0] == ' ' || text[0] == '\t' ||
	                            text[length - 1] == ' ' ||
	                            text[length - 1] == '\t'));

	for (i = 0; i < length && !quote; i++)
		if (text[i] == delimiter || text[i] == '"' || text[i] == '\n' ||
		    text[i] == '\r')
			quote = 1;
	if (!quote) {
		fwrite(text, 1, length, out);
		return;
	}
	putc('"', out);
	if (formula)
		putc('\'', out);
	for (i = 0; i < length; i++) {
		if (text[i] == '"')
			putc('"', out);
		putc(text[i], out);
	}
	putc('"', out);
}

void tact_format_csv_text(FILE *out, const char *text, size_t length,
                          char delimiter)
{
	csv_field(out, text, length, delimiter, safe_csv);
}

void tact_format_csv_data_text(FILE *out, const char *text, size_t length,
                               char delimiter)
{
	csv_field(out, text, length, delimiter, 0);
}

void tact_format_csv_data_string(FILE *out, const char *text, char delimiter)
{
	csv_field(out, text, strlen(text), delimiter, 0);
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

/* ---- a CSV row -------------------------------------------------------- */

void tact_format_csv_row_begin(tact_format_csv_row *row, FILE *out)
{
	row->out = out;
	row->fields = 0;
}

/* The comma before every field but the row's first. */
static void next_field(tact_format_csv_row *row)
{
	if (row->fields++ > 0)
		putc(',', row->out);
}

void tact_format_csv_row_text(tact_format_csv_row *row, const char *text)
{
	next_field(row);
	if (text)
		tact_format_csv_string(row->out, text, ',');
}

void tact_format_csv_row_data_text(tact_format_csv_row *row,
                                   const char *text)
{
	next_field(row);
	if (text)
		tact_format_csv_data_string(row->out, text, ',');
}

void tact_format_csv_row_texts(tact_format_csv_row *row,
                               const char *const *texts, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		tact_format_csv_row_text(row, texts[i]);
}

void tact_format_csv_row_number(tact_format_csv_row *row, double value)
{
	next_field(row);
	tact_format_csv_number(row->out, value);
}

void tact_format_csv_row_finite(tact_format_csv_row *row, double value)
{
	next_field(row);
	if (!isinf(value))
		tact_format_csv_number(row->out, value);
}

void tact_format_csv_row_count(tact_format_csv_row *row, int64_t count)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	next_field(row);
	if (count >= 0)
		fputs(tact_format_count(buffer, count), row->out);
}

void tact_format_csv_row_blanks(tact_format_csv_row *row, size_t count)
{
	while (count-- > 0)
		next_field(row);
}

void tact_format_csv_row_end(tact_format_csv_row *row)
{
	putc('\n', row->out);
}

/* ---- lists and numbers for a person ---------------------------------- */

void tact_format_list(FILE *out, const char *const *items, size_t count,
                      const char *separator,
                      void (*write)(FILE *out, const char *text))
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (i)
			fputs(separator, out);
		write(out, items[i]);
	}
}

char *tact_format_quoted_list(char *out, size_t size,
                              const char *const *names, size_t count)
{
	size_t i, used = 0;

	if (size == 0)
		return out;
	out[0] = '\0';
	for (i = 0; i < count; i++) {
		int n = snprintf(out + used, size - used, "%s'%s'", used ? ", " : "",
		                 names[i]);
		/* Keep room for ", ..." so a cut list says so. */
		if (n < 0 || (size_t)n + 6 > size - used) {
			out[used] = '\0';
			if (size - used >= 6)
				strcpy(out + used, used ? ", ..." : "...");
			break;
		}
		used += (size_t)n;
	}
	return out;
}

char *tact_format_interval_text(char *out, size_t size, double value,
                                double low, double high, int percent)
{
	const double scale = percent ? 100.0 : 1.0;
	char v[40], l[40], h[40];

	if (isnan(value)) {
		snprintf(out, size, "-");
		return out;
	}
	tact_format_fixed(v, sizeof v, value * scale, 2);
	if (isnan(low) || isnan(high)) {
		snprintf(out, size, "%s%s", v, percent ? "%" : "");
		return out;
	}
	tact_format_fixed(l, sizeof l, low * scale, 2);
	tact_format_fixed(h, sizeof h, high * scale, 2);
	snprintf(out, size, "%s%s [%s, %s]", v, percent ? "%" : "", l, h);
	return out;
}

char *tact_format_significant(char *buffer, size_t size, double value,
                              int digits)
{
	snprintf(buffer, size, "%.*g", digits, value);
	return buffer;
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

/* ---- text for a person ----------------------------------------------- */

/* A code point that must not reach a terminal as itself (format.h). */
static int hidden_code_point(const unsigned char *s, size_t n)
{
	if (n == 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
		return 1; /* C1 controls */
	if (n == 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE)
		return 1; /* U+202A-U+202E */
	if (n == 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)
		return 1; /* U+2066-U+2069 */
	return 0;
}

size_t tact_format_terminal_piece(const char *text, size_t length,
                                  char piece[TACT_FORMAT_PIECE_MAX],
                                  size_t *piece_length, size_t *width)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = tact_utf8_sequence_length(text, length), i;

	if (n == 1 && s[0] >= 0x20 && s[0] != 0x7f) {
		piece[0] = (char)s[0];
		*piece_length = 1;
		*width = 1;
	} else if (n > 1 && !hidden_code_point(s, n)) {
		memcpy(piece, s, n);
		*piece_length = n;
		*width = 1;
	} else {
		static const char hex[] = "0123456789ABCDEF";
		if (n == 0)
			n = 1;
		for (i = 0; i < n; i++) {
			piece[4 * i] = '\\';
			piece[4 * i + 1] = 'x';
			piece[4 * i + 2] = hex[s[i] >> 4];
			piece[4 * i + 3] = hex[s[i] & 15];
		}
		*piece_length = 4 * n;
		*width = 4 * n;
	}
	piece[*piece_length] = '\0';
	return n;
}

void tact_format_terminal(FILE *out, const char *text)
{
	size_t left = strlen(text);

	while (left > 0) {
		char piece[TACT_FORMAT_PIECE_MAX];
		size_t piece_length, width;
		size_t n = tact_format_terminal_piece(text, left, piece, &piece_length,
		                                      &width);
		fwrite(piece, 1, piece_length, out);
		text += n;
		left -= n;
	}
}

size_t tact_format_terminal_width(const char *text)
{
	size_t left = strlen(text), total = 0;

	while (left > 0) {
		char piece[TACT_FORMAT_PIECE_MAX];
		size_t piece_length, width;
		size_t n = tact_format_terminal_piece(text, left, piece, &piece_length,
		                                      &width);
		total += width;
		text += n;
		left -= n;
	}
	return total;
}

const char *tact_format_terminal_text(char *buffer, size_t size,
                                      const char *text)
{
	size_t left = strlen(text), used = 0;

	if (size == 0)
		return buffer;
	while (left > 0) {
		char piece[TACT_FORMAT_PIECE_MAX];
		size_t piece_length, width;
		size_t n = tact_format_terminal_piece(text, left, piece, &piece_length,
		                                      &width);
		/* Keep room for "..." and the NUL unless this is the last piece. */
		if (used + piece_length + (n < left ? 4 : 1) > size) {
			if (used + 4 <= size) {
				memcpy(buffer + used, "...", 3);
				used += 3;
			}
			break;
		}
		memcpy(buffer + used, piece, piece_length);
		used += piece_length;
		text += n;
		left -= n;
	}
	buffer[used < size ? used : size - 1] = '\0';
	return buffer;
}

char *tact_format_p_text(char *out, size_t size, double p)
{
	if (isnan(p))
		snprintf(out, size, "-");
	else if (p < 0.0001)
		snprintf(out, size, "<0.0001");
	else
		snprintf(out, size, "%.4f", p);
	return out;
}
