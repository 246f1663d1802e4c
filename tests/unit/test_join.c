/*
 * test_join.c - columns of a small CSV attached to an export by a key:
 * the rows written, unmatched rows (empty or dropped), the counts, a
 * repeated key refused at its line without showing it, column clashes,
 * and many keys in shuffled order each given its own cells (the expected
 * cell is a formula of the key, not the join's work).
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

#include "join.h"

static char folder[] = "/tmp/tact-join-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(folder) ? 0 : -1;
}

static int teardown(void **state)
{
	char command[128];

	(void)state;
	snprintf(command, sizeof command, "rm -rf '%s'", folder);
	return system(command);
}

/* Write text to folder/name; the path into path. */
static void file_with(char *path, size_t size, const char *name,
                      const char *text)
{
	FILE *out;

	snprintf(path, size, "%s/%s", folder, name);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
}

/* Join small and export (texts) with options; the output into *text
 * (malloc'ed), the status returned. */
static tact_status join(const char *small, const char *export_text,
                        const tact_join_options *options, char **text,
                        tact_join_counts *counts, tact_error *error)
{
	char a[256], b[256];
	size_t size = 0;
	FILE *out = open_memstream(text, &size);
	tact_status status;

	assert_non_null(out);
	file_with(a, sizeof a, "small.csv", small);
	file_with(b, sizeof b, "export.csv", export_text);
	status = tact_join_run(a, b, options, out, counts, error);
	assert_int_equal(fclose(out), 0);
	return status;
}

/* What a test's join needs: options for key, counts, an error. */
typedef struct run {
	tact_join_options o;
	tact_join_counts c;
	tact_error error;
	char *text;
} run;

static void start(run *r, const char *key)
{
	memset(r, 0, sizeof *r);
	tact_error_init(&r->error);
	tact_join_options_init(&r->o);
	r->o.key = key;
}

/* Join with r's options into r->text (freed first). */
static tact_status join_run(run *r, const char *small, const char *export_text)
{
	free(r->text);
	r->text = NULL;
	return join(small, export_text, &r->o, &r->text, &r->c, &r->error);
}

static void test_rows_and_counts(void **state)
{
	run r;

	(void)state;
	start(&r, "id");
	assert_int_equal(join_run(&r, "id,tier,pre\n1,gold,2.5\n2,\"a,b\",0\n9,x,1\n"
	                              ",lost,3\n",
	                          "arm,id,converted\ncontrol,1,1\nt,2,0\nt,3,1\n"
	                          "control,,0\n"),
	                 TACT_OK);
	assert_string_equal(r.text, "arm,id,converted,tier,pre\n"
	                            "control,1,1,gold,2.5\n"
	                            "t,2,0,\"a,b\",0\n"
	                            "t,3,1,,\n"
	                            "control,,0,,\n");
	assert_int_equal(r.c.small_rows, 4);
	assert_int_equal(r.c.small_empty_keys, 1);
	assert_int_equal(r.c.rows, 4);
	assert_int_equal(r.c.matched, 2);
	assert_int_equal(r.c.unmatched, 2);
	assert_int_equal(r.c.keys_unused, 1);
	free(r.text);
}

static void test_columns_and_drop(void **state)
{
	const char *const columns[] = {"pre", "tier"};
	run r;

	(void)state;
	start(&r, "id");
	r.o.columns = columns;
	r.o.column_count = 2;
	r.o.drop_unmatched = 1;
	/* A semicolon file; an unquoted cell loses its spaces, as read. */
	assert_int_equal(join_run(&r, "id;tier;pre;other\n1;gold;2.5;z\n"
	                              "2; silver ;0;z\n",
	                          "id,arm\n2,t\n3,t\n1,c\n"),
	                 TACT_OK);
	assert_string_equal(r.text, "id,arm,pre,tier\n2,t,0,silver\n1,c,2.5,gold\n");
	assert_int_equal(r.c.unmatched, 1);
	assert_int_equal(r.c.matched, 2);
	free(r.text);
}

static void test_duplicate_key_refused(void **state)
{
	run r;

	(void)state;
	start(&r, "email");
	assert_int_equal(join_run(&r, "email,seg\nann@example.com,a\n"
	                              "bo@example.com,b\nann@example.com,c\n",
	                          "email,arm\nann@example.com,c\n"),
	                 TACT_DATA);
	assert_int_equal(r.error.line, 4);
	assert_non_null(strstr(r.error.message, "line 2"));
	assert_null(strstr(r.error.message, "@")); /* the key is never shown */
	assert_int_equal(r.c.started, 0);          /* nothing written */
	free(r.text);
}

static void test_clashes_refused(void **state)
{
	const char *const key_itself[] = {"id"};
	run r;

	(void)state;
	start(&r, "id");
	/* The export has the column already. */
	assert_int_equal(join_run(&r, "id,arm\n1,x\n", "id,arm\n1,c\n"), TACT_DATA);
	/* The key is not attached. */
	r.o.columns = key_itself;
	r.o.column_count = 1;
	assert_int_equal(join_run(&r, "id,seg\n1,x\n", "id,arm\n1,c\n"), TACT_USAGE);
	/* No key column in the export. */
	r.o.columns = NULL;
	assert_int_equal(join_run(&r, "id,seg\n1,x\n", "user,arm\n1,c\n"), TACT_DATA);
	assert_non_null(strstr(r.error.message, "'id'"));
	free(r.text);
}

/* 20,000 keys, the export in another order: each row gets its own cell,
 * computed here from the key (k * 7919 mod 10007). */
static void test_many_keys(void **state)
{
	enum { KEYS = 20000 };
	char *small = malloc(KEYS * 32 + 32), *exp = malloc(KEYS * 32 + 32);
	char *line, *save = NULL;
	size_t used, rows = 0;
	unsigned i;
	run r;

	(void)state;
	assert_non_null(small);
	assert_non_null(exp);
	used = (size_t)sprintf(small, "user,score\n");
	for (i = 0; i < KEYS; i++)
		used += (size_t)sprintf(small + used, "u%u,%u\n", i,
		                        (unsigned)((i * 7919ull) % 10007));
	used = (size_t)sprintf(exp, "user,arm\n");
	for (i = 0; i < KEYS; i++) /* a permutation: 7 is prime to 20,000 */
		used += (size_t)sprintf(exp + used, "u%u,a\n", (i * 7u) % KEYS);
	start(&r, "user");
	assert_int_equal(join_run(&r, small, exp), TACT_OK);
	assert_int_equal(r.c.matched, KEYS);
	assert_int_equal(r.c.keys_unused, 0);
	for (line = strtok_r(r.text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned key, score;
		if (rows++ == 0)
			continue;
		assert_int_equal(sscanf(line, "u%u,a,%u", &key, &score), 2);
		assert_int_equal(score, (unsigned)((key * 7919ull) % 10007));
	}
	assert_int_equal(rows, KEYS + 1);
	free(r.text);
	free(small);
	free(exp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_counts),
		cmocka_unit_test(test_columns_and_drop),
		cmocka_unit_test(test_duplicate_key_refused),
		cmocka_unit_test(test_clashes_refused),
		cmocka_unit_test(test_many_keys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
