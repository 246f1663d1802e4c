/*
 * format.h - the one way numbers and text leave tact as CSV or JSON.
 *
 * Numbers are written with the fewest significant digits (15 to 17) that
 * read back to the same double, so CSV outputs keep full precision and stay
 * short.  A NaN is a blank figure: an empty CSV field, null in JSON.  Text is
 * quoted per RFC 4180 when it holds the delimiter, a quote, CR, LF, or
 * leading/trailing spaces (which CSV readers such as libcsv would strip).
 */
#ifndef TACT_FORMAT_H
#define TACT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TACT_FORMAT_NUMBER_MAX 32

/* Write value into buffer (at least TACT_FORMAT_NUMBER_MAX bytes): shortest
 * round-trip form, "" for NaN, "inf"/"-inf" never happen in tact outputs but
 * are written as such.  Returns buffer. */
char *tact_format_number(char *buffer, double value);

/* Write value with a fixed number of decimals (for terminal tables and
 * reports, never for CSV). "" for NaN.  Returns buffer. */
char *tact_format_fixed(char *buffer, size_t size, double value, int decimals);

/* Write a count. */
char *tact_format_count(char *buffer, int64_t count);

/* Write one CSV field (text of length bytes), quoted when needed. */
void tact_format_csv_text(FILE *out, const char *text, size_t length,
                          char delimiter);

/* Convenience: a NUL-terminated string as a CSV field. */
void tact_format_csv_string(FILE *out, const char *text, char delimiter);

/* A number as a CSV field (blank for NaN). */
void tact_format_csv_number(FILE *out, double value);

/* A JSON string literal (with quotes), escaping as RFC 8259 requires;
 * invalid UTF-8 bytes become U+FFFD so the output is always valid JSON. */
void tact_format_json_string(FILE *out, const char *text);

/* A JSON number, or null for NaN and infinities. */
void tact_format_json_number(FILE *out, double value);

/* The fields of a JSON object one by one: the key (after a comma unless
 * *first, which is then cleared) and its value (a NULL string is null). */
void tact_format_json_key(FILE *out, const char *key, int *first);
void tact_format_json_number_field(FILE *out, const char *key, double value,
                                   int *first);
void tact_format_json_string_field(FILE *out, const char *key,
                                   const char *value, int *first);

#endif
