/*
 * test_outdir.c - the report folder's rules: made with its parents, put in
 * place whole with a marker listing what tact wrote, replaced when it
 * holds only that, refused (and untouched) when it holds anything else,
 * reached through a link, and nothing ever left beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "outdir.h"

static char base[] = "/tmp/tact-outdir-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char command[128];

	(void)state;
	snprintf(command, sizeof command, "rm -rf '%s'", base);
	return system(command);
}

static void path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", base, name);
}

/* The names in folder (sorted, comma-separated, dot files included). */
static void listing(const char *folder, char *out, size_t size)
{
	struct dirent **entries;
	int n, i;

	out[0] = '\0';
	n = scandir(folder, &entries, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(entries[i]->d_name, ".") && strcmp(entries[i]->d_name, "..")) {
			if (out[0])
				strncat(out, ",", size - strlen(out) - 1);
			strncat(out, entries[i]->d_name, size - strlen(out) - 1);
		}
		free(entries[i]);
	}
	free(entries);
}

static void write_text(const char *path, const char *text)
{
	FILE *out = fopen(path, "w");

	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
}

/* Write a folder with the files named (comma-separated) into path. */
static tact_status report(const char *path, const char *names,
                          tact_error *error)
{
	tact_outdir dir;
	char copy[256], *name, *save = NULL;
	tact_status status = tact_outdir_open(&dir, path, ".tact-report", error);

	if (status != TACT_OK)
		return status;
	snprintf(copy, sizeof copy, "%s", names);
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		char *file = tact_outdir_file(&dir, name);
		assert_non_null(file);
		write_text(file, name);
		free(file);
	}
	return tact_outdir_commit(&dir, "A report written by a test", error);
}

static void test_new_with_parents(void **state)
{
	char path[256], seen[512];
	tact_error error;
	struct stat info;

	(void)state;
	tact_error_init(&error);
	path_of(path, sizeof path, "reports/deep/r");
	assert_int_equal(report(path, "a.csv,index.html", &error), TACT_OK);
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,a.csv,index.html");
	path_of(path, sizeof path, "reports/deep");
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, "r"); /* nothing beside the folder */
	/* The marker lists the files. */
	path_of(path, sizeof path, "reports/deep/r/.tact-report");
	{
		FILE *in = fopen(path, "r");
		char text[512];
		size_t n;
		assert_non_null(in);
		n = fread(text, 1, sizeof text - 1, in);
		text[n] = '\0';
		fclose(in);
		assert_non_null(strstr(text, "\na.csv\nindex.html\n"));
		assert_int_equal(text[0], '#');
	}
	path_of(path, sizeof path, "reports/deep/r");
	assert_int_equal(stat(path, &info), 0);
	assert_true(S_ISDIR(info.st_mode));
}

static void test_rerun_replaces(void **state)
{
	char path[256], seen[512];
	tact_error error;

	(void)state;
	tact_error_init(&error);
	path_of(path, sizeof path, "r");
	assert_int_equal(report(path, "old.csv,index.html", &error), TACT_OK);
	assert_int_equal(chmod(path, 0700), 0);
	assert_int_equal(report(path, "new.csv,index.html", &error), TACT_OK);
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,index.html,new.csv");
	listing(base, seen, sizeof seen);
	assert_string_equal(seen, "r,reports"); /* no r.old-*, no r.tmp-* */
	{
		struct stat info;
		assert_int_equal(stat(path, &info), 0);
		assert_int_equal(info.st_mode & 0777, 0700); /* the mode kept */
	}
}

static void test_foreign_refused(void **state)
{
	char path[256], file[300], seen[512];
	tact_error error;
	tact_outdir dir;

	(void)state;
	tact_error_init(&error);
	path_of(path, sizeof path, "r");
	snprintf(file, sizeof file, "%s/NOTES.txt", path);
	write_text(file, "mine");
	assert_int_equal(tact_outdir_open(&dir, path, ".tact-report", &error),
	                 TACT_CANTCREAT);
	assert_non_null(strstr(error.message, "NOTES.txt"));
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,NOTES.txt,index.html,new.csv");
	listing(base, seen, sizeof seen);
	assert_string_equal(seen, "r,reports");
	unlink(file);
	/* A subfolder: refused too. */
	snprintf(file, sizeof file, "%s/sub", path);
	assert_int_equal(mkdir(file, 0777), 0);
	assert_int_equal(tact_outdir_open(&dir, path, ".tact-report", &error),
	                 TACT_CANTCREAT);
	rmdir(file);
	/* A plain file: refused. */
	path_of(file, sizeof file, "plain");
	write_text(file, "x");
	assert_int_equal(tact_outdir_open(&dir, file, ".tact-report", &error),
	                 TACT_CANTCREAT);
	unlink(file);
}

static void test_link_and_empty(void **state)
{
	char path[256], link[256], seen[512], mine[300];
	tact_error error;

	(void)state;
	tact_error_init(&error);
	path_of(path, sizeof path, "r");
	path_of(link, sizeof link, "link");
	assert_int_equal(symlink("r", link), 0);
	assert_int_equal(report(link, "via-link.csv", &error), TACT_OK);
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,via-link.csv");
	{
		struct stat info;
		assert_int_equal(lstat(link, &info), 0);
		assert_true(S_ISLNK(info.st_mode)); /* the link stays */
	}
	/* Through the link, a user's file makes it refuse. */
	snprintf(mine, sizeof mine, "%s/NOTES.txt", path);
	write_text(mine, "mine");
	assert_int_equal(report(link, "x.csv", &error), TACT_CANTCREAT);
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,NOTES.txt,via-link.csv");
	/* An empty folder is used. */
	path_of(path, sizeof path, "empty");
	assert_int_equal(mkdir(path, 0777), 0);
	assert_int_equal(report(path, "e.csv", &error), TACT_OK);
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,e.csv");
}

/* An empty folder is filled in place: the same folder (inode, mode), so a
 * shell inside it sees the report; "." names it from inside (issue 18:
 * the temporary was made inside it, and the folder refused). */
static void test_empty_filled_in_place(void **state)
{
	char path[256], seen[512], here[4096];
	struct stat before, after;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	path_of(path, sizeof path, "inplace");
	assert_int_equal(mkdir(path, 0750), 0);
	assert_int_equal(chmod(path, 0750), 0);
	assert_int_equal(stat(path, &before), 0);
	assert_non_null(getcwd(here, sizeof here));
	assert_int_equal(chdir(path), 0);
	assert_int_equal(report(".", "a.csv,index.html", &error), TACT_OK);
	listing(".", seen, sizeof seen); /* the shell's view: the same folder */
	assert_string_equal(seen, ".tact-report,a.csv,index.html");
	/* Again from inside: a report there now, swapped as usual. */
	assert_int_equal(report(".", "b.csv", &error), TACT_OK);
	assert_int_equal(chdir(here), 0);
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,b.csv");
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_mode & 07777, 0750);
	listing(base, seen, sizeof seen);
	assert_null(strstr(seen, "tmp")); /* nothing left beside it */
	/* The first run kept the folder itself. */
	path_of(path, sizeof path, "inplace2");
	assert_int_equal(mkdir(path, 0777), 0);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(report(path, "c.csv", &error), TACT_OK);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	{
		char command[600];
		snprintf(command, sizeof command, "rm -rf '%s/inplace' '%s/inplace2'",
		         base, base);
		assert_int_equal(system(command), 0); /* the other tests list base */
	}
}

static void test_abort_and_holds(void **state)
{
	char path[256], input[300], seen[512];
	tact_error error;
	tact_outdir dir;

	(void)state;
	tact_error_init(&error);
	path_of(path, sizeof path, "new/parent/r");
	assert_int_equal(tact_outdir_open(&dir, path, ".tact-report", &error), TACT_OK);
	{
		char *file = tact_outdir_file(&dir, "a.csv");
		write_text(file, "a");
		free(file);
	}
	tact_outdir_abort(&dir);
	path_of(path, sizeof path, "new");
	assert_int_equal(access(path, F_OK), -1); /* the parents made are gone */
	/* An input inside the folder is seen, through a link too. */
	path_of(path, sizeof path, "empty");
	assert_int_equal(tact_outdir_open(&dir, path, ".tact-report", &error), TACT_OK);
	snprintf(input, sizeof input, "%s/e.csv", path);
	assert_int_equal(tact_outdir_holds(&dir, input), 1);
	path_of(input, sizeof input, "in-link");
	assert_int_equal(symlink("empty/e.csv", input), 0);
	assert_int_equal(tact_outdir_holds(&dir, input), 1);
	assert_int_equal(tact_outdir_holds(&dir, "-"), 0);
	path_of(input, sizeof input, "link");
	assert_int_equal(tact_outdir_holds(&dir, input), 0);
	tact_outdir_abort(&dir);
	listing(base, seen, sizeof seen);
	assert_string_equal(seen, "empty,in-link,link,r,reports");
}

static void test_legacy_marker(void **state)
{
	char path[256], file[300], seen[512];
	tact_error error;

	(void)state;
	tact_error_init(&error);
	path_of(path, sizeof path, "legacy");
	assert_int_equal(mkdir(path, 0777), 0);
	snprintf(file, sizeof file, "%s/.tact-report", path);
	write_text(file, "A report written by tact-report; tact-report replaces this "
	                 "folder when asked to write it again.\n");
	snprintf(file, sizeof file, "%s/compare.csv", path);
	write_text(file, "x");
	snprintf(file, sizeof file, "%s/forest.svg", path);
	write_text(file, "x");
	assert_int_equal(report(path, "index.html", &error), TACT_OK);
	listing(path, seen, sizeof seen);
	assert_string_equal(seen, ".tact-report,index.html");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_with_parents),
		cmocka_unit_test(test_rerun_replaces),
		cmocka_unit_test(test_foreign_refused),
		cmocka_unit_test(test_link_and_empty),
		cmocka_unit_test(test_empty_filled_in_place),
		cmocka_unit_test(test_abort_and_holds),
		cmocka_unit_test(test_legacy_marker),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
