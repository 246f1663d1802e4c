/*
 * test_parallel.c - a file read by several threads gives the very summary
 * one thread gives (parts make both the same to the last bit), and a
 * boundary that falls inside a quoted field falls back to one thread.
 * Small parts (part_bytes) make small files exercise it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "load.h"
#include "summaryfile.h"

static char *summarize(const char *path, long threads, uint64_t part_bytes,
                       tact_status *status_out)
{
	tact_load_options options;
	tact_summary summary;
	tact_error error;
	tact_status status;
	char *text = NULL;
	size_t size = 0;
	FILE *out;

	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	options.threads = threads;
	options.part_bytes = part_bytes;
	tact_summary_init(&summary);
	status = tact_load(path, &options, &summary, NULL, &error);
	*status_out = status;
	if (status == TACT_OK) {
		out = open_memstream(&text, &size);
		assert_non_null(out);
		assert_int_equal(tact_summaryfile_write(&summary, out, &error), TACT_OK);
		fclose(out);
	} else {
		text = strdup(error.message);
	}
	tact_summary_release(&summary);
	tact_load_options_release(&options);
	return text;
}

/* A fresh temporary file name (tests may run side by side). */
static char *temporary_path(void)
{
	char *path = strdup("/tmp/tact-test-parallel-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

/* Write an export of rows rows; every 97th label quoted with a newline when
 * quoted_newlines (so boundaries can fall inside a quoted field). */
static void write_export(const char *path, int rows, int quoted_newlines)
{
	FILE *f = fopen(path, "w");
	int i;

	assert_non_null(f);
	fputs("intent,arm,converted,bounced,revenue,consent\n", f);
	for (i = 0; i < rows; i++) {
		const char *intent = i % 3 == 0 ? "buy" : i % 3 == 1 ? "browse" : "research";
		if (quoted_newlines && i % 97 == 0)
			fprintf(f, "\"%s\nmore\",", intent);
		else
			fprintf(f, "%s,", intent);
		fprintf(f, "%s,%d,%d,%d.%02d,%d\n", i % 2 ? "control" : "personalized",
		        (i * 7) % 11 == 0, (i * 5) % 3 == 0, (i * 37) % 500, i % 100,
		        i % 31 != 0);
	}
	fclose(f);
}

static void test_threads_give_the_same_bits(void **state)
{
	char *path = temporary_path();
	tact_status s1, s2, s3;
	char *one, *two, *four;

	(void)state;
	write_export(path, 20000, 0);
	one = summarize(path, 1, 4096, &s1);
	two = summarize(path, 2, 4096, &s2);
	four = summarize(path, 4, 4096, &s3);
	assert_int_equal(s1, TACT_OK);
	assert_int_equal(s2, TACT_OK);
	assert_int_equal(s3, TACT_OK);
	assert_string_equal(one, two);
	assert_string_equal(one, four);
	free(one);
	free(two);
	free(four);
	remove(path);
	free(path);
}

static void test_boundaries_inside_quotes_fall_back(void **state)
{
	char *path = temporary_path();
	tact_status s1, s2;
	char *one, *two;
	uint64_t part;

	(void)state;
	write_export(path, 20000, 1);
	/* Many part sizes: some boundaries fall inside "buy\nmore". */
	for (part = 1000; part < 1300; part += 37) {
		one = summarize(path, 1, part, &s1);
		two = summarize(path, 2, part, &s2);
		assert_int_equal(s1, TACT_OK);
		assert_int_equal(s2, TACT_OK);
		assert_string_equal(one, two);
		free(one);
		free(two);
	}
	remove(path);
	free(path);
}

static void test_errors_keep_their_line(void **state)
{
	char *path = temporary_path();
	tact_status s1, s2;
	char *one, *two;
	FILE *f;

	(void)state;
	write_export(path, 20000, 0);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs("buy,control,maybe,0,1.00,1\n", f);
	fclose(f);
	one = summarize(path, 1, 4096, &s1);
	two = summarize(path, 2, 4096, &s2);
	assert_int_equal(s1, TACT_DATA);
	assert_int_equal(s2, TACT_DATA);
	assert_string_equal(one, two); /* the message names 'converted' */
	free(one);
	free(two);
	remove(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_give_the_same_bits),
		cmocka_unit_test(test_boundaries_inside_quotes_fall_back),
		cmocka_unit_test(test_errors_keep_their_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
