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

/* A count for a person, in groups of three digits: 1234567 -> "1,234,567",
 * -1234 -> "-1,234"; cut to fit size (at least 1).  Returns buffer. */
char *tact_format_thousands(char *buffer, size_t size, int64_t value);

/* A p-value for a terminal table: "-" for NaN, "<0.0001" below it, else
 * four decimals ("0.0372").  Returns out. */
char *tact_format_p_text(char *out, size_t size, double p);

/*
 * Write one CSV field (text of length bytes), quoted when needed: the one
 * writer of text fields in every CSV output.
 *
 * Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell
 * that starts with '=', '+', '-' or '@' (or a tab or CR before one) as a
 * formula, so a label "=HYPERLINK(...)" in a result CSV would run when an
 * analyst opens it.  Under safe mode (tact_format_set_safe_csv) such a
 * field is written quoted with a leading apostrophe, as OWASP advises:
 * "'=HYPERLINK(...)".  The apostrophe is then part of the value for any
 * other reader, so safe mode is off by default (the CSV on standard output
 * is data for programs), on with --safe-csv, and always on for the CSV
 * files in tact-report's folder (meant for spreadsheets).  Files tact reads
 * back (summaries, models, tact-intent apply's export) are written with
 * tact_format_csv_data_text and never changed.
 */
void tact_format_csv_text(FILE *out, const char *text, size_t length,
                          char delimiter);

/* The same without safe mode: for files tact reads back. */
void tact_format_csv_data_text(FILE *out, const char *text, size_t length,
                               char delimiter);
void tact_format_csv_data_string(FILE *out, const char *text, char delimiter);

/* Turn safe mode on (1) or off (0) for this process; set it before any
 * output and before threads start (it is a plain global). */
void tact_format_set_safe_csv(int on);

/* True when a field starting with text[0..length) would run as a formula
 * in a spreadsheet (see above). */
int tact_format_csv_formula(const char *text, size_t length);

/* Convenience: a NUL-terminated string as a CSV field. */
void tact_format_csv_string(FILE *out, const char *text, char delimiter);

/* A number as a CSV field (blank for NaN). */
void tact_format_csv_number(FILE *out, double value);

/*
 * One CSV row written field by field: the one CSV field writer, used by
 * the result tables of compare, frontier and dose.  Each call writes the
 * comma before its field unless it is the row's first; text goes through
 * tact_format_csv_text (safe mode applies) or tact_format_csv_data_text,
 * numbers through tact_format_number.  The struct is the caller's, on the
 * stack; it allocates nothing.
 */
typedef struct tact_format_csv_row {
	FILE *out;
	size_t fields; /* written since tact_format_csv_row_begin */
} tact_format_csv_row;

/* Start a row on out (writes nothing). */
void tact_format_csv_row_begin(tact_format_csv_row *row, FILE *out);

/* A text field, quoted when needed (format.h above); NULL is blank. */
void tact_format_csv_row_text(tact_format_csv_row *row, const char *text);

/* A text field never changed by safe mode: for files tact reads back
 * (tact_format_csv_data_text). */
void tact_format_csv_row_data_text(tact_format_csv_row *row,
                                   const char *text);

/* count text fields in turn (a header's column names). */
void tact_format_csv_row_texts(tact_format_csv_row *row,
                               const char *const *texts, size_t count);

/* A number field, blank for NaN. */
void tact_format_csv_row_number(tact_format_csv_row *row, double value);

/* A number field, blank unless finite (the open end of a one-sided
 * interval). */
void tact_format_csv_row_finite(tact_format_csv_row *row, double value);

/* A count field, blank when negative (unknown or hidden). */
void tact_format_csv_row_count(tact_format_csv_row *row, int64_t count);

/* count empty fields. */
void tact_format_csv_row_blanks(tact_format_csv_row *row, size_t count);

/* End the row: a newline. */
void tact_format_csv_row_end(tact_format_csv_row *row);

/*
 * A list of names (the arms, say) joined by separator, each written by
 * write: tact_format_json_string inside a JSON array ("," and the caller's
 * brackets), tact_format_terminal for a person (", ").  The one joiner of
 * name lists written to a stream.
 */
void tact_format_list(FILE *out, const char *const *items, size_t count,
                      const char *separator,
                      void (*write)(FILE *out, const char *text));

/* The names quoted and joined for a message ("'a', 'b', 'c'") into out
 * (size bytes, NUL-terminated): the one joiner of name lists into text.  A
 * list that does not fit ends in ", ..." rather than half a name.  Returns
 * out. */
char *tact_format_quoted_list(char *out, size_t size,
                              const char *const *names, size_t count);

/* A figure with its interval for a terminal table, two decimals:
 * "6.20% [5.21, 7.35]" for a rate (percent: the three times 100, a %
 * sign), "5.11 [4.30, 5.92]" for a mean; the value alone when an end is
 * NaN, "-" when the value is.  Returns out. */
char *tact_format_interval_text(char *out, size_t size, double value,
                                double low, double high, int percent);

/* value as printf's "%.*g" with digits significant digits, into buffer
 * (size bytes; TACT_FORMAT_NUMBER_MAX is enough): for text a person reads
 * (settings such as 95 in "intervals at 95%", statistics shown to a few
 * digits, messages), never for CSV or JSON.  Returns buffer. */
char *tact_format_significant(char *buffer, size_t size, double value,
                              int digits);

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

/*
 * Text for a person (terminal tables, headings, messages): the one
 * sanitizer.  Labels come from the data, and a label holding an escape
 * sequence or a line break must not reach a terminal or split a line.  So
 * control bytes (below 0x20 and 0x7f), invalid UTF-8 bytes, C1 controls
 * (U+0080-U+009F, which some terminals obey as escapes) and the
 * bidirectional controls (U+202A-U+202E, U+2066-U+2069, which reorder
 * what is shown) are written as \xNN per byte; everything else as it is.
 * A piece is at most TACT_FORMAT_PIECE_MAX bytes.
 */
#define TACT_FORMAT_PIECE_MAX 16

/* The piece for the text at text[0..length) (length > 0): copies it into
 * piece (NUL-terminated), sets *piece_length and *width (terminal columns),
 * and returns the bytes of text it stands for (at least 1). */
size_t tact_format_terminal_piece(const char *text, size_t length,
                                  char piece[TACT_FORMAT_PIECE_MAX],
                                  size_t *piece_length, size_t *width);

/* Write text sanitized (above) to out. */
void tact_format_terminal(FILE *out, const char *text);

/* Terminal columns text takes once sanitized. */
size_t tact_format_terminal_width(const char *text);

/* text sanitized into buffer (NUL-terminated; cut at a piece boundary and
 * ended with "..." when size is short: TACT_FORMAT_TEXT_MAX is enough for
 * any heading), for a printf argument.  Returns buffer. */
#define TACT_FORMAT_TEXT_MAX 1024
const char *tact_format_terminal_text(char *buffer, size_t size,
                                      const char *text);

#endif
