/*
 * cleanup.c - the registry of temporaries and children (see cleanup.h).
 *
 * One spin lock guards the table.  A thread changes the table only with
 * the signals blocked, so a handler never runs in the thread holding the
 * lock; a handler in another thread spins until the change is done, then
 * keeps the lock for good (the process is about to die by the signal).
 */
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct entry {
	int used;
	tact_cleanup_kind kind;
	char *path; /* NULL for a child */
	pid_t pid;
	unsigned long order; /* when recorded: the latest is removed first */
} entry;

static entry table[TACT_CLEANUP_MAX];
static atomic_flag lock = ATOMIC_FLAG_INIT;
static atomic_int ran;
static unsigned long recorded;
static _Thread_local int block_depth;
static _Thread_local sigset_t saved_mask;

void tact_cleanup_block(void)
{
	sigset_t set;

	if (block_depth++ > 0)
		return;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	sigaddset(&set, SIGXFSZ);
	pthread_sigmask(SIG_BLOCK, &set, &saved_mask);
}

void tact_cleanup_unblock(void)
{
	if (block_depth == 0 || --block_depth > 0)
		return;
	pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
}

/* Take the lock (signals blocked by the caller, or in a handler). */
static void acquire(void)
{
	while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) {
		struct timespec pause = {0, 100000};
		nanosleep(&pause, NULL);
	}
}

static void release(void)
{
	atomic_flag_clear_explicit(&lock, memory_order_release);
}

/* Record under the lock; the caller has blocked the signals. */
static int record(char *path, pid_t pid, tact_cleanup_kind kind)
{
	size_t i;

	acquire();
	for (i = 0; i < TACT_CLEANUP_MAX; i++)
		if (!table[i].used) {
			table[i].kind = kind;
			table[i].path = path;
			table[i].pid = pid;
			table[i].order = ++recorded;
			table[i].used = 1;
			release();
			return 0;
		}
	release();
	errno = ENOMEM;
	return -1;
}

static int make(char *template, tact_cleanup_kind kind)
{
	char *copy;
	int fd, saved;

	tact_cleanup_block();
	if (kind == TACT_CLEANUP_FOLDER)
		fd = mkdtemp(template) ? 0 : -1;
	else
		fd = mkstemp(template);
	if (fd < 0) {
		saved = errno;
		tact_cleanup_unblock();
		errno = saved;
		return -1;
	}
	copy = strdup(template);
	if (!copy || record(copy, 0, kind) != 0) {
		free(copy);
		if (kind == TACT_CLEANUP_FOLDER) {
			rmdir(template);
		} else {
			close(fd);
			unlink(template);
		}
		tact_cleanup_unblock();
		errno = ENOMEM;
		return -1;
	}
	tact_cleanup_unblock();
	return fd;
}

int tact_cleanup_mkstemp(char *template)
{
	return make(template, TACT_CLEANUP_FILE);
}

int tact_cleanup_mkdtemp(char *template)
{
	return make(template, TACT_CLEANUP_FOLDER);
}

int tact_cleanup_add(const char *path, tact_cleanup_kind kind)
{
	char *copy = strdup(path);
	int result;

	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	tact_cleanup_block();
	result = record(copy, 0, kind);
	tact_cleanup_unblock();
	if (result != 0)
		free(copy);
	return result;
}

int tact_cleanup_add_child(pid_t pid)
{
	int result;

	tact_cleanup_block();
	result = record(NULL, pid, TACT_CLEANUP_FILE);
	tact_cleanup_unblock();
	return result;
}

void tact_cleanup_forget(const char *path)
{
	char *gone = NULL;
	size_t i;

	tact_cleanup_block();
	acquire();
	for (i = TACT_CLEANUP_MAX; i-- > 0;)
		if (table[i].used && table[i].path && strcmp(table[i].path, path) == 0) {
			gone = table[i].path;
			table[i].used = 0;
			table[i].path = NULL;
			break;
		}
	release();
	tact_cleanup_unblock();
	free(gone);
}

void tact_cleanup_forget_child(pid_t pid)
{
	size_t i;

	tact_cleanup_block();
	acquire();
	for (i = 0; i < TACT_CLEANUP_MAX; i++)
		if (table[i].used && !table[i].path && table[i].pid == pid) {
			table[i].used = 0;
			break;
		}
	release();
	tact_cleanup_unblock();
}

/* Remove the files in a folder, then the folder: getdents64 and unlinkat
 * are async-signal-safe where opendir is not.  A report folder is flat. */
static void remove_folder(const char *path)
{
#ifdef SYS_getdents64
	static char buffer[8192];
	int pass;

	for (pass = 0; pass < 3; pass++) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		long n;

		if (fd < 0)
			return;
		while ((n = syscall(SYS_getdents64, fd, buffer, sizeof buffer)) > 0) {
			long at = 0;
			while (at < n) {
				/* struct linux_dirent64: ino 8, off 8, reclen 2,
				 * type 1, then the name. */
				unsigned short length;
				const char *name = buffer + at + 19;
				memcpy(&length, buffer + at + 16, sizeof length);
				if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
					unlinkat(fd, name, 0);
				at += length;
			}
		}
		close(fd);
		if (rmdir(path) == 0 || errno != ENOTEMPTY)
			return;
	}
#else
	rmdir(path);
#endif
}

void tact_cleanup_run(void)
{
	size_t i;
	int saved = errno;

	if (atomic_exchange(&ran, 1))
		return;
	/* Kept for good: nothing may change the table from here on. */
	acquire();
	for (i = 0; i < TACT_CLEANUP_MAX; i++)
		if (table[i].used && !table[i].path) {
			kill(table[i].pid, SIGKILL);
			while (waitpid(table[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
	/* The latest first: a report folder before the parent made for it. */
	for (;;) {
		size_t latest = TACT_CLEANUP_MAX;
		for (i = 0; i < TACT_CLEANUP_MAX; i++)
			if (table[i].used && table[i].path &&
			    (latest == TACT_CLEANUP_MAX ||
			     table[i].order > table[latest].order))
				latest = i;
		if (latest == TACT_CLEANUP_MAX)
			break;
		if (table[latest].kind == TACT_CLEANUP_FILE)
			unlink(table[latest].path);
		else if (table[latest].kind == TACT_CLEANUP_FOLDER)
			remove_folder(table[latest].path);
		else
			rmdir(table[latest].path);
		table[latest].used = 0; /* the path stays allocated: no free here */
	}
	errno = saved;
}
