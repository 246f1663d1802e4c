/*
 * test_cleanup.c - the registry of temporaries and children: a process
 * stopped by a signal whose handler runs tact_cleanup_run leaves none of
 * what it recorded (files, a folder with files in it, a parent folder),
 * keeps what it forgot, and its recorded child is ended, not orphaned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cleanup.h"

static char directory[] = "/tmp/tact-cleanup-XXXXXX";

static int exists(const char *name)
{
	char path[256];
	struct stat info;

	snprintf(path, sizeof path, "%s/%s", directory, name);
	return lstat(path, &info) == 0;
}

static void on_signal(int number)
{
	tact_cleanup_run();
	signal(number, SIG_DFL);
	raise(number);
}

/* In a child: record a file, a folder holding files, a made parent, a
 * forgotten file and a sleeping grandchild; report the grandchild's pid;
 * then die of SIGTERM through the handler. */
static void child(int report)
{
	char file[256], folder[256], inside[300], kept[256], parent[256];
	pid_t sleeper;
	int fd;

	signal(SIGTERM, on_signal);
	snprintf(parent, sizeof parent, "%s/made", directory);
	if (mkdir(parent, 0777) != 0 || tact_cleanup_add(parent, TACT_CLEANUP_EMPTY))
		_exit(10);
	snprintf(file, sizeof file, "%s/made/out.csv.tmp.XXXXXX", directory);
	if ((fd = tact_cleanup_mkstemp(file)) < 0 || write(fd, "x\n", 2) != 2)
		_exit(11);
	snprintf(folder, sizeof folder, "%s/report.tmp-XXXXXX", directory);
	if (tact_cleanup_mkdtemp(folder) != 0)
		_exit(12);
	snprintf(inside, sizeof inside, "%s/index.html", folder);
	close(fd);
	if ((fd = open(inside, O_WRONLY | O_CREAT, 0644)) < 0)
		_exit(13);
	close(fd);
	snprintf(kept, sizeof kept, "%s/kept.tmp.XXXXXX", directory);
	if ((fd = tact_cleanup_mkstemp(kept)) < 0)
		_exit(14);
	close(fd);
	/* Renamed into place: forgotten, so kept. */
	{
		char final[256];
		snprintf(final, sizeof final, "%s/kept.csv", directory);
		if (rename(kept, final) != 0)
			_exit(15);
		tact_cleanup_forget(kept);
	}
	sleeper = fork();
	if (sleeper == 0) {
		execlp("sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	if (sleeper < 0 || tact_cleanup_add_child(sleeper) != 0)
		_exit(16);
	if (write(report, &sleeper, sizeof sleeper) != sizeof sleeper)
		_exit(17);
	raise(SIGTERM);
	_exit(18); /* not reached */
}

static void test_signal_removes_recorded(void **state)
{
	int channel[2];
	pid_t pid, sleeper = 0;
	int status;

	(void)state;
	assert_non_null(mkdtemp(directory));
	assert_int_equal(pipe(channel), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(channel[0]);
		child(channel[1]);
	}
	close(channel[1]);
	assert_int_equal(read(channel[0], &sleeper, sizeof sleeper),
	                 (ssize_t)sizeof sleeper);
	close(channel[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	/* The grandchild was killed and reaped by the handler: gone (or, if
	 * the init process has not yet reaped it, at least not sleeping on;
	 * kill(…, 0) on a reaped pid fails with ESRCH). */
	assert_int_equal(kill(sleeper, 0), -1);
	assert_int_equal(errno, ESRCH);
	/* Only what was forgotten (renamed into place) is left. */
	assert_false(exists("made"));
	assert_true(exists("kept.csv"));
	{
		char path[256];
		snprintf(path, sizeof path, "%s/kept.csv", directory);
		unlink(path);
	}
	assert_int_equal(rmdir(directory), 0); /* empty: nothing else left */
}

static void test_registry_full(void **state)
{
	char paths[TACT_CLEANUP_MAX + 1][64];
	size_t i;

	(void)state;
	for (i = 0; i < TACT_CLEANUP_MAX; i++) {
		snprintf(paths[i], sizeof paths[i], "/nonexistent/tact-%zu", i);
		assert_int_equal(tact_cleanup_add(paths[i], TACT_CLEANUP_FILE), 0);
	}
	errno = 0;
	assert_int_equal(tact_cleanup_add("/nonexistent/one-more", TACT_CLEANUP_FILE),
	                 -1);
	assert_int_equal(errno, ENOMEM);
	for (i = 0; i < TACT_CLEANUP_MAX; i++)
		tact_cleanup_forget(paths[i]);
	/* Room again once forgotten. */
	assert_int_equal(tact_cleanup_add("/nonexistent/again", TACT_CLEANUP_FILE), 0);
	tact_cleanup_forget("/nonexistent/again");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_removes_recorded),
		cmocka_unit_test(test_registry_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
