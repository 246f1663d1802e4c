/*
 * test_csvreader.c - the CSV reader: records, positions and errors, the
 * same whatever the chunk size and whichever path (fast or libcsv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csvreader.h"

typedef struct transcript {
	char text[8192];
	size_t length;
	int stop_at; /* stop with TACT_DATA at this record index (0 = never) */
	const char *input;  /* keep_raw: the input, to check the raw bytes */
	size_t input_length;
} transcript;

static void add(transcript *t, const char *format, ...)
{
	va_list args;
	int n;

	va_start(args, format);
	n = vsnprintf(t->text + t->length, sizeof t->text - t->length, format,
	              args);
	va_end(args);
	if (n > 0)
		t->length += (size_t)n;
}

static tact_status record_to_text(void *context, const tact_csv_record *record,
                                  tact_error *error)
{
	transcript *t = context;
	size_t i;

	add(t, "%llu:", (unsigned long long)record->index);
	for (i = 0; i < record->count; i++) {
		add(t, "%s[%llu]", i ? "|" : "",
		    (unsigned long long)record->lines[i]);
		/* Show the bytes exactly, NULs included (there must be none);
		 * NUL-terminated, except with keep_raw. */
		assert_null(memchr(record->fields[i], '\0', record->lengths[i]));
		if (!t->input)
			assert_int_equal(record->fields[i][record->lengths[i]], '\0');
		/* The padding promise: TACT_CSV_FIELD_PAD bytes readable from
		 * each field's start (AddressSanitizer and valgrind check it). */
		{
			volatile unsigned char sink = 0;
			size_t k;
			for (k = 0; k < TACT_CSV_FIELD_PAD; k++)
				sink ^= (unsigned char)record->fields[i][k];
			(void)sink;
		}
		add(t, "%.*s", (int)record->lengths[i], record->fields[i]);
	}
	add(t, "\n");
	/* keep_raw: the record's own bytes, from its offset on. */
	if (t->input) {
		assert_non_null(record->raw);
		assert_true(record->offset <= t->input_length &&
		            record->raw_length <= t->input_length - record->offset);
		assert_memory_equal(t->input + record->offset, record->raw,
		                    record->raw_length);
		/* TACT_CSV_FIELD_PAD bytes readable past them (AddressSanitizer
		 * and valgrind check it). */
		{
			volatile unsigned char sink = 0;
			size_t k;
			for (k = 0; k < TACT_CSV_FIELD_PAD; k++)
				sink ^= (unsigned char)record->raw[record->raw_length + k];
			(void)sink;
		}
	}
	if (t->stop_at && (int)record->index == t->stop_at)
		return tact_error_set(error, TACT_DATA, "x", record->line, 1,
		                      "stopped by test");
	return TACT_OK;
}

/* Read input with one chunk size and path; put records or error in out.
 * buffers: memory kept from earlier readings (tact_csv_buffers), or NULL. */
static tact_status read_with(const char *input, size_t length, size_t chunk,
                             int libcsv_only, int keep_raw, char delimiter,
                             tact_csv_buffers *buffers, transcript *out,
                             tact_error *error)
{
	tact_csv_options options;
	tact_status status;

	tact_csv_options_init(&options);
	options.chunk_size = chunk;
	options.libcsv_only = libcsv_only;
	options.keep_raw = keep_raw;
	options.delimiter = delimiter;
	options.buffers = buffers;
	memset(out, 0, sizeof *out);
	out->input = keep_raw ? input : NULL;
	out->input_length = length;
	tact_error_init(error);
	status = tact_csv_read_memory("in.csv", input, length, &options,
	                              record_to_text, out, error);
	return status;
}

/* Read input in every chunk size from 1 to its length + 2, by both paths,
 * with and without keep_raw (whose raw bytes must be the input's), each
 * with fresh memory and with memory kept from all the readings before
 * (tact_csv_buffers: what they left there must not show), and check all
 * agree; return the transcript and status of the default. */
static tact_status read_everywhere(const char *input, size_t length,
                                   char delimiter, transcript *result,
                                   tact_error *error)
{
	tact_status expected_status;
	tact_csv_buffers kept;
	size_t chunk;
	int mode;

	expected_status = read_with(input, length, 0, 0, 0, delimiter, NULL,
	                            result, error);
	tact_csv_buffers_init(&kept);
	/* mode 0: the fast path, 1: libcsv alone, 2: the fast path with
	 * keep_raw (fields left in the line), 3: libcsv with keep_raw; 4 to 7
	 * the same with kept memory. */
	for (mode = 0; mode <= 7; mode++) {
		const int slow = mode & 1, raw = (mode >> 1) & 1;
		tact_csv_buffers *buffers = mode >= 4 ? &kept : NULL;
		for (chunk = 1; chunk <= length + 2; chunk++) {
			transcript other;
			tact_error other_error;
			tact_status status = read_with(input, length, chunk, slow, raw,
			                               delimiter, buffers, &other,
			                               &other_error);
			if (status != expected_status ||
			    strcmp(other.text, result->text) != 0 ||
			    other_error.line != error->line ||
			    other_error.column != error->column ||
			    strcmp(other_error.message, error->message) != 0) {
				print_error("chunk %zu libcsv_only %d keep_raw %d kept %d "
				            "differs:\n"
				            "%s\n--- vs default:\n%s\nerrors: %llu:%llu %s / "
				            "%llu:%llu %s\n",
				            chunk, slow, raw, mode >= 4, other.text,
				            result->text,
				            (unsigned long long)other_error.line,
				            (unsigned long long)other_error.column,
				            other_error.message,
				            (unsigned long long)error->line,
				            (unsigned long long)error->column,
				            error->message);
				fail();
			}
		}
	}
	tact_csv_buffers_release(&kept);
	return expected_status;
}

#define READ_OK(input, expected)                                             \
	do {                                                                  \
		transcript t_;                                                \
		tact_error e_;                                                \
		assert_int_equal(read_everywhere(input, sizeof(input) - 1, 0, &t_, \
		                                 &e_),                         \
		                 TACT_OK);                                     \
		assert_string_equal(t_.text, expected);                       \
	} while (0)

#define READ_FAILS(input, status_, line_, column_, message_)                 \
	do {                                                                  \
		transcript t_;                                                \
		tact_error e_;                                                \
		assert_int_equal(read_everywhere(input, sizeof(input) - 1, 0, &t_, \
		                                 &e_),                         \
		                 status_);                                     \
		assert_int_equal(e_.line, line_);                             \
		assert_int_equal(e_.column, column_);                         \
		assert_non_null(strstr(e_.message, message_));                \
		assert_string_equal(e_.file, "in.csv");                       \
	} while (0)

static void test_plain(void **state)
{
	(void)state;
	READ_OK("a,b,c\n1,2,3\n4,5,6\n",
	        "0:[1]a|[1]b|[1]c\n1:[2]1|[2]2|[2]3\n2:[3]4|[3]5|[3]6\n");
}

static void test_no_final_newline(void **state)
{
	(void)state;
	READ_OK("a,b\n1,2", "0:[1]a|[1]b\n1:[2]1|[2]2\n");
}

static void test_crlf_and_bom(void **state)
{
	(void)state;
	READ_OK("\xEF\xBB\xBF" "a;b\r\n1,5;x\r\n",
	        "0:[1]a|[1]b\n1:[2]1,5|[2]x\n");
}

static void test_quoted_fields(void **state)
{
	(void)state;
	READ_OK("name,note\n\"flâneur\",\"has, comma\"\n\"say \"\"hi\"\"\",\"two\nlines\"\nlast,x\n",
	        "0:[1]name|[1]note\n1:[2]flâneur|[2]has, comma\n"
	        "2:[3]say \"hi\"|[3]two\nlines\n3:[5]last|[5]x\n");
}

static void test_field_starting_on_later_line(void **state)
{
	(void)state;
	READ_OK("a,b,c\n\"x\ny\",\"p\nq\",z\n",
	        "0:[1]a|[1]b|[1]c\n1:[2]x\ny|[3]p\nq|[4]z\n");
}

static void test_blank_lines_and_spaces(void **state)
{
	(void)state;
	READ_OK("a, b \n\n  \n 1 ,2\n\r\n3,\n",
	        "0:[1]a|[1]b\n1:[4]1|[4]2\n2:[6]3|[6]\n");
}

static void test_tab_delimiter_detected(void **state)
{
	(void)state;
	READ_OK("a\tb\n1\t\n", "0:[1]a|[1]b\n1:[2]1|[2]\n");
}

static void test_semicolon_detected_despite_quoted_commas(void **state)
{
	(void)state;
	READ_OK("\"a,b\";c\n1;2\n", "0:[1]a,b|[1]c\n1:[2]1|[2]2\n");
}

/* The bulk path takes quoted records: fully quoted rows, mixed quoting,
 * doubled quotes, quoted delimiters, newlines and carriage returns, an
 * empty quoted field alone on a line (a record, not a blank line). */
static void test_quoted_on_bulk_path(void **state)
{
	(void)state;
	READ_OK("a,b,c\n\"1\",\"x,y\",\"\"\n2,\"q\"\"r\",\"\"\"\"\n"
	        "\"m\nn\",\"c\r\",\"z\"\r\n\"\",,\"e\"\n",
	        "0:[1]a|[1]b|[1]c\n1:[2]1|[2]x,y|[2]\n2:[3]2|[3]q\"r|[3]\"\n"
	        "3:[4]m\nn|[5]c\r|[5]z\n4:[6]|[6]|[6]e\n");
	READ_OK("a\n\"\"\n\"x\"\n", "0:[1]a\n1:[2]\n2:[3]x\n");
	READ_OK("a;b\n\"1;2\";\"3\"\n", "0:[1]a|[1]b\n1:[2]1;2|[2]3\n");
}

/* Records the bulk path refuses (blanks around quotes, a quoted field
 * followed by text) go to libcsv whole: its result and errors, the same
 * on every path. */
static void test_quoted_refused_lines(void **state)
{
	(void)state;
	READ_OK("a,b\n\"1\",\"2\"\n \"3\",4\n\"5\",\"6\"\n",
	        "0:[1]a|[1]b\n1:[2]1|[2]2\n2:[3]3|[3]4\n3:[4]5|[4]6\n");
	READ_FAILS("a,b\n\"1\",\"2\"\n\"3\",\"4\"x\n\"5\",\"6\"\n", TACT_DATA, 3, 2,
	           "unexpected 'x' after a closing quote");
	READ_FAILS("a,b\n\"1\",\"2\"\n\"3\",4\"\n\"5\",\"6\"\n", TACT_DATA, 3, 2,
	           "quote inside an unquoted field");
	READ_FAILS("a,b\n\"1\",\"2\"\n\"3\",\"4\n5,6\n", TACT_DATA, 5, 2,
	           "the quote opened on line 3 is never closed");
}

/* Is p inside [start, start + length)? */
static int lies_in(const char *p, const char *start, size_t length)
{
	return p >= start && p < start + length;
}

typedef struct in_place {
	size_t records, split_in_place;
} in_place;

static tact_status count_in_place(void *context, const tact_csv_record *record,
                                  tact_error *error)
{
	in_place *c = context;
	size_t i, inside = 0;

	(void)error;
	for (i = 0; i < record->count; i++)
		inside += lies_in(record->fields[i], record->raw, record->raw_length);
	c->records++;
	c->split_in_place += inside == record->count;
	return TACT_OK;
}

/* Long quoted fields across the 64-byte blocks, with doubled quotes and
 * newlines at every offset, read the same by every path and chunk size;
 * with keep_raw, the data records (without doubled quotes) are split in
 * place (their fields lie in their raw bytes: the bulk path took them). */
static void test_quoted_across_blocks(void **state)
{
	char input[1200];
	size_t length, offset;
	int escapes;

	(void)state;
	for (escapes = 0; escapes <= 1; escapes++) {
		for (offset = 0; offset < 70; offset += 23) {
			transcript t;
			tact_error e;
			tact_csv_options options;
			in_place counted = {0, 0};
			size_t k;

			length = (size_t)snprintf(input, sizeof input, "h1,h2\n");
			for (k = 0; k < 4; k++) {
				size_t j;
				input[length++] = '"';
				for (j = 0; j < offset + 30 * k; j++)
					input[length++] = (char)('a' + (j + k) % 26);
				if (escapes) {
					memcpy(input + length, "\"\"", 2);
					length += 2;
				}
				memcpy(input + length, "\n,x\",\"", 6);
				length += 6;
				for (j = 0; j < 64 - offset % 64; j++)
					input[length++] = 'b';
				memcpy(input + length, "\"\n", 2);
				length += 2;
			}
			input[length] = '\0';
			assert_int_equal(read_everywhere(input, length, 0, &t, &e), TACT_OK);
			assert_non_null(strstr(t.text, "4:[8]"));
			tact_csv_options_init(&options);
			options.keep_raw = 1;
			assert_int_equal(tact_csv_read_memory("in.csv", input, length,
			                                      &options, count_in_place,
			                                      &counted, &e),
			                 TACT_OK);
			assert_int_equal(counted.records, 5);
			/* Not the header (split_plain copies its raw bytes), nor,
			 * under keep_raw, a record with doubled quotes (libcsv
			 * copies it). */
			assert_int_equal(counted.split_in_place, escapes ? 0 : 4);
		}
	}
}

static void test_ragged_rows(void **state)
{
	(void)state;
	READ_FAILS("a,b,c\n1,2,3\n4,5\n", TACT_DATA, 3, 3,
	           "expected 3 fields as in the header, found 2");
	READ_FAILS("a,b\n1,2,3\n", TACT_DATA, 2, 3,
	           "expected 2 fields as in the header, found 3");
}

static void test_stray_quote(void **state)
{
	(void)state;
	READ_FAILS("a,b\n1,x\"y\n", TACT_DATA, 2, 2, "quote inside an unquoted field");
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	READ_FAILS("a,b\n\"1\"x,2\n", TACT_DATA, 2, 1, "unexpected 'x' after a closing quote");
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	READ_FAILS("a,b\n1,\"open\nmore\n", TACT_DATA, 4, 2,
	           "the quote opened on line 2 is never closed");
}

static void test_nul_byte(void **state)
{
	(void)state;
	READ_FAILS("a,b\n1,x\0y\n", TACT_DATA, 2, 2, "NUL byte");
}

static void test_empty_input(void **state)
{
	(void)state;
	READ_FAILS("", TACT_DATA, 0, 0, "empty input: expected a header row");
	READ_FAILS("\n\n", TACT_DATA, 0, 0, "empty input");
}

static void test_callback_stops(void **state)
{
	transcript t;
	tact_error e;
	tact_csv_options options;

	(void)state;
	tact_csv_options_init(&options);
	memset(&t, 0, sizeof t);
	t.stop_at = 1;
	tact_error_init(&e);
	assert_int_equal(tact_csv_read_memory("in.csv", "a\n1\n2\n", 6, &options,
	                                      record_to_text, &t, &e),
	                 TACT_DATA);
	assert_string_equal(t.text, "0:[1]a\n1:[2]1\n");
	assert_string_equal(e.message, "stopped by test");
}

static tact_status raw_to_text(void *context, const tact_csv_record *record,
                               tact_error *error)
{
	transcript *t = context;

	(void)error;
	assert_non_null(record->raw);
	memcpy(t->text + t->length, record->raw, record->raw_length);
	t->length += record->raw_length;
	t->text[t->length++] = '|';
	return TACT_OK;
}

static void test_raw_bytes_kept(void **state)
{
	static const char input[] = "a,b\r\n\"x\ny\",2\r\n3, 4\n5,6";
	int slow;

	(void)state;
	for (slow = 0; slow <= 1; slow++) {
		transcript t;
		tact_error e;
		tact_csv_options options;
		tact_csv_options_init(&options);
		options.keep_raw = 1;
		options.libcsv_only = slow;
		memset(&t, 0, sizeof t);
		tact_error_init(&e);
		assert_int_equal(tact_csv_read_memory("in.csv", input, sizeof input - 1,
		                                      &options, raw_to_text, &t, &e),
		                 TACT_OK);
		assert_string_equal(t.text, "a,b\r\n|\"x\ny\",2\r\n|3, 4\n|5,6|");
	}
}

static void test_missing_file(void **state)
{
	tact_error e;

	(void)state;
	tact_error_init(&e);
	assert_int_equal(tact_csv_read_file("/nonexistent/x.csv", NULL,
	                                    record_to_text, NULL, &e),
	                 TACT_NOINPUT);
	assert_non_null(strstr(e.message, "cannot open"));
	tact_error_init(&e);
	assert_int_equal(tact_csv_read_file("/", NULL, record_to_text, NULL, &e),
	                 TACT_NOINPUT);
	assert_non_null(strstr(e.message, "directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_field_starting_on_later_line),
		cmocka_unit_test(test_blank_lines_and_spaces),
		cmocka_unit_test(test_tab_delimiter_detected),
		cmocka_unit_test(test_semicolon_detected_despite_quoted_commas),
		cmocka_unit_test(test_quoted_on_bulk_path),
		cmocka_unit_test(test_quoted_refused_lines),
		cmocka_unit_test(test_quoted_across_blocks),
		cmocka_unit_test(test_ragged_rows),
		cmocka_unit_test(test_stray_quote),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_raw_bytes_kept),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
