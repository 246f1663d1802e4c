/*
 * test_outfile.c - output files that appear whole or not at all: a commit
 * renames the temporary into place, an abort or a failed write leaves no
 * file and an existing target untouched, a full disk is TACT_IOERR, an
 * unwritable place is TACT_CANTCREAT; the same file is recognised through
 * links, a dangling link is never written in place, several outputs are
 * committed all or none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "outfile.h"

static char directory[] = "/tmp/tact-outfile-XXXXXX";

static int make_directory(void **state)
{
	(void)state;
	return mkdtemp(directory) ? 0 : -1;
}

/* Empty the directory after each test (it holds only plain files, or the
 * one subdirectory a test makes and removes). */
static int empty_directory(void **state)
{
	DIR *dir = opendir(directory);
	struct dirent *entry;

	(void)state;
	if (!dir)
		return -1;
	while ((entry = readdir(dir)) != NULL) {
		char path[512];
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", directory, entry->d_name);
		if (unlink(path) != 0)
			rmdir(path);
	}
	closedir(dir);
	return 0;
}

static int remove_directory(void **state)
{
	empty_directory(state);
	return rmdir(directory);
}

/* Entries of the directory, excluding . and .. */
static int count_entries(void)
{
	DIR *dir = opendir(directory);
	struct dirent *entry;
	int count = 0;

	assert_non_null(dir);
	while ((entry = readdir(dir)) != NULL)
		if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
			count++;
	closedir(dir);
	return count;
}

static void path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", directory, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *file = fopen(path, "w");

	assert_non_null(file);
	fputs(text, file);
	assert_int_equal(fclose(file), 0);
}

static void assert_file_holds(const char *path, const char *text)
{
	char buffer[256] = "";
	FILE *file = fopen(path, "r");
	size_t n;

	assert_non_null(file);
	n = fread(buffer, 1, sizeof buffer - 1, file);
	buffer[n] = '\0';
	fclose(file);
	assert_string_equal(buffer, text);
}

static void test_commit_renames(void **state)
{
	char path[512];
	tact_outfile out;
	tact_error error;
	struct stat info;
	mode_t old_mask;

	(void)state;
	path_of(path, sizeof path, "result.csv");
	tact_error_init(&error);
	old_mask = umask(022);
	assert_int_equal(tact_outfile_open(&out, path, &error), TACT_OK);
	assert_non_null(out.stream);
	assert_true(out.stream != stdout);
	fputs("a,b\n1,2\n", out.stream);
	/* Nothing at the target yet; one temporary beside it. */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_entries(), 1);
	assert_non_null(out.temporary);
	assert_int_equal(strncmp(out.temporary, path, strlen(path)), 0);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
	assert_file_holds(path, "a,b\n1,2\n");
	assert_int_equal(count_entries(), 1);
	/* An ordinary file: mode 0666 under the umask. */
	assert_int_equal(stat(path, &info), 0);
	assert_int_equal(info.st_mode & 0777, 0644);
	/* Abort after a commit is harmless and keeps the file. */
	tact_outfile_abort(&out);
	assert_file_holds(path, "a,b\n1,2\n");

	/* A commit replaces an existing target, keeping its mode (the umask
	 * applies to new files only). */
	umask(077);
	assert_int_equal(tact_outfile_open(&out, path, &error), TACT_OK);
	fputs("new\n", out.stream);
	assert_file_holds(path, "a,b\n1,2\n");
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
	assert_file_holds(path, "new\n");
	assert_int_equal(stat(path, &info), 0);
	assert_int_equal(info.st_mode & 0777, 0644);
	/* A private file stays private when rewritten under umask 022. */
	assert_int_equal(chmod(path, 0600), 0);
	umask(022);
	assert_int_equal(tact_outfile_open(&out, path, &error), TACT_OK);
	fputs("newer\n", out.stream);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
	assert_int_equal(stat(path, &info), 0);
	assert_int_equal(info.st_mode & 0777, 0600);
	/* A new file under umask 077: 0600. */
	umask(077);
	{
		char other[512];
		path_of(other, sizeof other, "new.csv");
		assert_int_equal(tact_outfile_open(&out, other, &error), TACT_OK);
		assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
		assert_int_equal(stat(other, &info), 0);
		assert_int_equal(info.st_mode & 0777, 0600);
		unlink(other);
	}
	assert_int_equal(count_entries(), 1);
	umask(old_mask);
}

static void test_abort_leaves_nothing(void **state)
{
	char path[512];
	tact_outfile out;
	tact_error error;

	(void)state;
	path_of(path, sizeof path, "never.csv");
	assert_int_equal(tact_outfile_open(&out, path, &error), TACT_OK);
	fputs("half a result", out.stream);
	tact_outfile_abort(&out);
	assert_int_equal(count_entries(), 0);
	assert_null(out.stream);
	tact_outfile_abort(&out); /* twice is harmless */

	/* An existing target stays as it was. */
	path_of(path, sizeof path, "kept.csv");
	write_file(path, "old\n");
	assert_int_equal(tact_outfile_open(&out, path, &error), TACT_OK);
	fputs("new\n", out.stream);
	fflush(out.stream);
	tact_outfile_abort(&out);
	assert_file_holds(path, "old\n");
	assert_int_equal(count_entries(), 1);
}

static void test_standard_output(void **state)
{
	tact_outfile out;
	tact_error error;

	(void)state;
	assert_int_equal(tact_outfile_open(&out, "-", &error), TACT_OK);
	assert_true(out.stream == stdout);
	assert_null(out.path);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
	tact_outfile_abort(&out); /* never closes stdout */
	assert_int_equal(tact_outfile_open(&out, NULL, &error), TACT_OK);
	assert_true(out.stream == stdout);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
	assert_int_not_equal(fputs("", stdout), EOF);
}

/* Run child() in a child process; return its exit status. */
static int in_child(int (*child)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Standard output on /dev/full: the commit reports TACT_IOERR. */
static int full_stdout_child(void)
{
	tact_outfile out;
	tact_error error;
	int fd = open("/dev/full", O_WRONLY);
	tact_status status;

	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		return 90;
	if (tact_outfile_open(&out, "-", &error) != TACT_OK)
		return 91;
	fputs("tact_summary_v1,...\n", out.stream);
	status = tact_outfile_commit(&out, &error);
	if (status != TACT_IOERR)
		return 92;
	if (!strstr(error.message, "cannot write to standard output") ||
	    !strstr(error.message, "No space left on device"))
		return 93;
	return (int)status;
}

static void test_full_standard_output(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(in_child(full_stdout_child), TACT_IOERR);
}

/* A file write that fails part way (the file size limit stands in for a
 * full disk): TACT_IOERR at commit, no temporary left, the old target
 * untouched. */
static char limited_path[512];

static int size_limit_child(void)
{
	struct rlimit limit = {4096, 4096};
	tact_outfile out;
	tact_error error;
	tact_status status;
	int i;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
		return 90;
	if (tact_outfile_open(&out, limited_path, &error) != TACT_OK)
		return 91;
	for (i = 0; i < 2000; i++)
		fputs("0.123456789,0.987654321\n", out.stream);
	status = tact_outfile_commit(&out, &error);
	if (status == TACT_IOERR && (!strstr(error.message, "cannot write") ||
	                             strcmp(error.file, limited_path) != 0))
		return 93;
	return (int)status;
}

static void test_failed_write(void **state)
{
	(void)state;
	path_of(limited_path, sizeof limited_path, "big.csv");
	write_file(limited_path, "previous\n");
	assert_int_equal(in_child(size_limit_child), TACT_IOERR);
	assert_file_holds(limited_path, "previous\n");
	assert_int_equal(count_entries(), 1);
}

static void test_cannot_create(void **state)
{
	tact_outfile out;
	tact_error error;
	char path[512];

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_outfile_open(&out, "/nonexistent-dir/x/out.csv",
	                                   &error),
	                 TACT_CANTCREAT);
	assert_string_equal(error.file, "/nonexistent-dir/x/out.csv");
	assert_non_null(strstr(error.message, "cannot create: "));
	assert_null(out.stream);
	assert_null(out.temporary);
	tact_outfile_abort(&out); /* harmless after a failed open */

	/* A directory no one may write to (root ignores permissions, so for
	 * root use /proc, which takes no new files). */
	if (geteuid() == 0) {
		assert_int_equal(tact_outfile_open(&out, "/proc/tact-out.csv", &error),
		                 TACT_CANTCREAT);
	} else {
		path_of(path, sizeof path, "locked");
		assert_int_equal(mkdir(path, 0500), 0);
		path_of(path, sizeof path, "locked/out.csv");
		assert_int_equal(tact_outfile_open(&out, path, &error),
		                 TACT_CANTCREAT);
		assert_non_null(strstr(error.message, "Permission denied"));
		path_of(path, sizeof path, "locked");
		rmdir(path);
	}
	assert_non_null(strstr(error.message, "cannot create: "));
}

static void test_rename_fails(void **state)
{
	tact_outfile out;
	tact_error error;
	char path[512], inside[600];

	(void)state;
	/* While the output is written, a directory holding a file appears at
	 * the target: the rename refuses to replace it. */
	path_of(path, sizeof path, "adir");
	assert_int_equal(tact_outfile_open(&out, path, &error), TACT_OK);
	fputs("data\n", out.stream);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(inside, sizeof inside, "%s/f", path);
	write_file(inside, "x");
	tact_error_init(&error);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_CANTCREAT);
	assert_non_null(strstr(error.message, "cannot rename into place"));
	assert_string_equal(error.file, path);
	/* The temporary is gone; the directory still holds its file. */
	assert_int_equal(count_entries(), 1);
	assert_file_holds(inside, "x");
	/* A directory as the target is refused at once. */
	assert_int_equal(tact_outfile_open(&out, path, &error), TACT_CANTCREAT);
	assert_string_equal(error.file, path);
	assert_int_equal(count_entries(), 1);
	unlink(inside);
	rmdir(path);
}

/* A device named as the output is written in place, not replaced. */
/* The same file through a hard link, a symbolic link, a new name twice;
 * not a device, not another file. */
static void test_same(void **state)
{
	char a[512], hard[512], soft[512], other[512], fresh[512];

	(void)state;
	path_of(a, sizeof a, "a.csv");
	path_of(hard, sizeof hard, "hard.csv");
	path_of(soft, sizeof soft, "soft.csv");
	path_of(other, sizeof other, "other.csv");
	path_of(fresh, sizeof fresh, "fresh.csv");
	fclose(fopen(a, "w"));
	fclose(fopen(other, "w"));
	assert_int_equal(link(a, hard), 0);
	assert_int_equal(symlink("a.csv", soft), 0);
	assert_int_equal(tact_outfile_same(a, a), 1);
	assert_int_equal(tact_outfile_same(hard, soft), 1);
	assert_int_equal(tact_outfile_same(soft, a), 1);
	assert_int_equal(tact_outfile_same(a, other), 0);
	assert_int_equal(tact_outfile_same(fresh, fresh), 1);
	assert_int_equal(tact_outfile_same(fresh, other), 0);
	assert_int_equal(tact_outfile_same("/dev/null", "/dev/null"), 0);
	assert_int_equal(tact_outfile_same("-", a), 0);
	assert_int_equal(tact_outfile_same(a, NULL), 0);
}

/* A dangling link: the link stays, its target is made by a rename, and a
 * failed run leaves no target. */
static void test_dangling_link(void **state)
{
	char link_path[512], target[512];
	tact_outfile out;
	tact_error error;
	struct stat info;

	(void)state;
	tact_error_init(&error);
	path_of(link_path, sizeof link_path, "link.csv");
	path_of(target, sizeof target, "target.csv");
	assert_int_equal(symlink("target.csv", link_path), 0);
	assert_int_equal(tact_outfile_open(&out, link_path, &error), TACT_OK);
	fputs("partial", out.stream);
	fflush(out.stream);
	assert_int_equal(access(target, F_OK), -1); /* not written in place */
	tact_outfile_abort(&out);
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(count_entries(), 1);
	assert_int_equal(tact_outfile_open(&out, link_path, &error), TACT_OK);
	fputs("whole\n", out.stream);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
	assert_file_holds(target, "whole\n");
	assert_int_equal(lstat(link_path, &info), 0);
	assert_true(S_ISLNK(info.st_mode));
}

/* Several outputs: one that cannot be written and none appears. */
static void test_commit_all(void **state)
{
	char a[512], b[512];
	tact_outfile outs[3];
	tact_error error;

	(void)state;
	tact_error_init(&error);
	path_of(a, sizeof a, "a.csv");
	path_of(b, sizeof b, "b.csv");
	assert_int_equal(tact_outfile_open(&outs[0], a, &error), TACT_OK);
	assert_int_equal(tact_outfile_open(&outs[1], "/dev/full", &error), TACT_OK);
	assert_int_equal(tact_outfile_open(&outs[2], b, &error), TACT_OK);
	fputs("a\n", outs[0].stream);
	fputs("full\n", outs[1].stream);
	fputs("b\n", outs[2].stream);
	assert_int_equal(tact_outfile_commit_all(outs, 3, &error), TACT_IOERR);
	assert_int_equal(count_entries(), 0);
	/* All written: all appear. */
	assert_int_equal(tact_outfile_open(&outs[0], a, &error), TACT_OK);
	assert_int_equal(tact_outfile_open(&outs[1], b, &error), TACT_OK);
	fputs("a\n", outs[0].stream);
	fputs("b\n", outs[1].stream);
	assert_int_equal(tact_outfile_commit_all(outs, 2, &error), TACT_OK);
	assert_file_holds(a, "a\n");
	assert_file_holds(b, "b\n");
	assert_int_equal(count_entries(), 2);
}

static void test_devices(void **state)
{
	tact_outfile out;
	tact_error error;
	struct stat info;

	(void)state;
	if (access("/dev/full", W_OK) != 0 || access("/dev/null", W_OK) != 0)
		skip();
	assert_int_equal(tact_outfile_open(&out, "/dev/null", &error), TACT_OK);
	fputs("discarded\n", out.stream);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_OK);
	assert_int_equal(stat("/dev/null", &info), 0);
	assert_true(S_ISCHR(info.st_mode));
	/* /dev/full: the commit reports the full disk, naming the file. */
	assert_int_equal(tact_outfile_open(&out, "/dev/full", &error), TACT_OK);
	fputs("a result\n", out.stream);
	tact_error_init(&error);
	assert_int_equal(tact_outfile_commit(&out, &error), TACT_IOERR);
	assert_string_equal(error.file, "/dev/full");
	assert_string_equal(error.message,
	                    "cannot write: No space left on device");
	assert_null(out.stream);
	tact_outfile_abort(&out);
	assert_int_equal(stat("/dev/full", &info), 0);
	assert_true(S_ISCHR(info.st_mode));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_commit_renames, empty_directory),
		cmocka_unit_test_teardown(test_abort_leaves_nothing, empty_directory),
		cmocka_unit_test_teardown(test_standard_output, empty_directory),
		cmocka_unit_test_teardown(test_full_standard_output, empty_directory),
		cmocka_unit_test_teardown(test_failed_write, empty_directory),
		cmocka_unit_test_teardown(test_cannot_create, empty_directory),
		cmocka_unit_test_teardown(test_rename_fails, empty_directory),
		cmocka_unit_test_teardown(test_devices, empty_directory),
		cmocka_unit_test_teardown(test_same, empty_directory),
		cmocka_unit_test_teardown(test_dangling_link, empty_directory),
		cmocka_unit_test_teardown(test_commit_all, empty_directory),
	};
	return cmocka_run_group_tests(tests, make_directory, remove_directory);
}
