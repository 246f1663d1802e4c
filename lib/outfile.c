/*
 * outfile.c - write to a temporary, rename when complete (see outfile.h).
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#define LINK_HOPS 40

unsigned tact_outfile_mode(unsigned mode)
{
	FILE *status = fopen("/proc/self/status", "r");
	char line[256];
	mode_t mask;
	int known = 0;

	/* Linux shows the umask there: read without changing it, so no other
	 * thread ever creates a file under a umask of 0. */
	if (status) {
		unsigned value;
		while (!known && fgets(line, sizeof line, status))
			if (sscanf(line, "Umask: %o", &value) == 1) {
				mask = (mode_t)value;
				known = 1;
			}
		fclose(status);
	}
	if (!known) {
		mask = umask(0);
		umask(mask);
	}
	return mode & ~(unsigned)mask & 07777;
}

/* The folder part of path ("." when none), malloc'ed. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *folder;

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	folder = malloc((size_t)(slash - path) + 1);
	if (folder) {
		memcpy(folder, path, (size_t)(slash - path));
		folder[slash - path] = '\0';
	}
	return folder;
}

char *tact_outfile_resolve(const char *path, int *stream)
{
	char *current = strdup(path);
	int hop;

	*stream = 0;
	for (hop = 0; current && hop < LINK_HOPS; hop++) {
		struct stat info;
		char target[4096], *next;
		ssize_t n;

		if (lstat(current, &info) != 0 || !S_ISLNK(info.st_mode))
			return current;
		n = readlink(current, target, sizeof target - 1);
		if (n <= 0)
			return current; /* unreadable: the open reports it */
		target[n] = '\0';
		/* /dev/stdout -> /proc/self/fd/1 names a stream, not a file. */
		if (strncmp(target, "/proc/", 6) == 0 ||
		    strncmp(target, "/dev/", 5) == 0) {
			*stream = 1;
			return current;
		}
		if (target[0] == '/') {
			next = strdup(target);
		} else {
			char *folder = folder_of(current);
			next = folder ? malloc(strlen(folder) + strlen(target) + 2) : NULL;
			if (next)
				sprintf(next, "%s/%s", folder, target);
			free(folder);
		}
		free(current);
		current = next;
	}
	return current; /* a loop: the open fails with ELOOP */
}

static tact_status no_memory(tact_outfile *out, tact_error *error)
{
	tact_outfile_abort(out);
	return tact_error_oom(error);
}

tact_status tact_outfile_open(tact_outfile *out, const char *path,
                              tact_error *error)
{
	struct stat info;
	size_t length;
	unsigned mode;
	int fd, stream;
	char *final;

	memset(out, 0, sizeof *out);
	if (!path || strcmp(path, "-") == 0) {
		out->stream = stdout;
		return TACT_OK;
	}
	if (!*path)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the output file name is empty");
	final = tact_outfile_resolve(path, &stream);
	if (!final)
		return no_memory(out, error);
	/* A device or a pipe (-o /dev/null, a FIFO) is written in place:
	 * renaming a temporary over it would replace the device with a
	 * regular file.  So is anything reached through /proc or /dev. */
	if (stream || (stat(final, &info) == 0 && !S_ISREG(info.st_mode))) {
		if (!stream && S_ISDIR(info.st_mode)) {
			free(final);
			return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
			                      "cannot create: is a directory");
		}
		free(final);
		out->stream = fopen(path, "w");
		if (!out->stream)
			return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
			                      "cannot open for writing: %s",
			                      strerror(errno));
		out->device = 1;
		out->path = strdup(path);
		return TACT_OK;
	}
	/* A replaced file keeps its mode (a private 0600 summary stays
	 * private); a new one honours the umask.  mkstemp makes 0600. */
	mode = stat(final, &info) == 0 ? (unsigned)(info.st_mode & 07777)
	                               : tact_outfile_mode(0666);
	out->path = final;
	length = strlen(final);
	out->temporary = malloc(length + 16);
	if (!out->temporary)
		return no_memory(out, error);
	snprintf(out->temporary, length + 16, "%s.tmp.XXXXXX", out->path);
	fd = tact_cleanup_mkstemp(out->temporary);
	if (fd < 0) {
		int saved = errno;
		free(out->temporary);
		out->temporary = NULL;
		tact_outfile_abort(out);
		return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
		                      "cannot create: %s", strerror(saved));
	}
	(void)fchmod(fd, (mode_t)mode);
	out->stream = fdopen(fd, "w");
	if (!out->stream) {
		close(fd);
		tact_outfile_abort(out);
		return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
		                      "cannot create: %s", strerror(errno));
	}
	return TACT_OK;
}

/* Flush, sync and close (a device or standard output: flush and check);
 * the temporary stays for the rename.  On failure the output is aborted. */
static tact_status finish(tact_outfile *out, tact_error *error)
{
	const char *name = out->path ? out->path : "standard output";
	tact_status status;
	int failed, saved;

	if (out->device) {
		failed = fflush(out->stream) != 0 || ferror(out->stream);
		saved = errno;
		if (fclose(out->stream) != 0 && !failed) {
			failed = 1;
			saved = errno;
		}
		out->stream = NULL;
		out->device = 0;
		/* name is out->path: freed only once the error holds a copy. */
		status = failed ? tact_error_set(error, TACT_IOERR, name, 0, 0,
		                                 "cannot write: %s",
		                                 strerror(saved ? saved : EIO))
		                : TACT_OK;
		free(out->path);
		out->path = NULL;
		return status;
	}
	if (!out->path) {
		out->stream = NULL;
		if (fflush(stdout) != 0 || ferror(stdout))
			return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
			                      "cannot write to %s: %s", name,
			                      strerror(errno ? errno : EIO));
		return TACT_OK;
	}
	if (!out->stream)
		return TACT_OK; /* finished already */
	failed = fflush(out->stream) != 0 || ferror(out->stream);
	if (!failed)
		failed = fsync(fileno(out->stream)) != 0 && errno != EINVAL;
	saved = errno;
	if (fclose(out->stream) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	out->stream = NULL;
	if (failed) {
		/* The error is set before the abort, which frees name. */
		status = tact_error_set(error, TACT_IOERR, name, 0, 0,
		                        "cannot write: %s",
		                        strerror(saved ? saved : EIO));
		tact_outfile_abort(out);
		return status;
	}
	return TACT_OK;
}

static tact_status put_in_place(tact_outfile *out, tact_error *error)
{
	tact_status status;

	if (!out->temporary) {
		free(out->path);
		out->path = NULL;
		return TACT_OK;
	}
	if (rename(out->temporary, out->path) != 0) {
		int saved = errno;
		status = tact_error_set(error, TACT_CANTCREAT, out->path, 0, 0,
		                        "cannot rename into place: %s",
		                        strerror(saved));
		tact_outfile_abort(out);
		return status;
	}
	tact_cleanup_forget(out->temporary);
	free(out->temporary);
	out->temporary = NULL;
	free(out->path);
	out->path = NULL;
	return TACT_OK;
}

tact_status tact_outfile_commit(tact_outfile *out, tact_error *error)
{
	return tact_outfile_commit_all(out, 1, error);
}

tact_status tact_outfile_commit_all(tact_outfile *outs, size_t count,
                                    tact_error *error)
{
	tact_status status = TACT_OK;
	size_t i;

	for (i = 0; i < count && status == TACT_OK; i++)
		status = finish(&outs[i], error);
	if (status != TACT_OK) {
		for (i = 0; i < count; i++)
			tact_outfile_abort(&outs[i]);
		return status;
	}
	for (i = 0; i < count; i++) {
		status = put_in_place(&outs[i], error);
		if (status != TACT_OK) {
			for (; i < count; i++)
				tact_outfile_abort(&outs[i]);
			return status;
		}
	}
	return TACT_OK;
}

void tact_outfile_abort(tact_outfile *out)
{
	if (out->stream && out->stream != stdout)
		fclose(out->stream);
	out->device = 0;
	out->stream = NULL;
	if (out->temporary) {
		unlink(out->temporary);
		tact_cleanup_forget(out->temporary);
		free(out->temporary);
		out->temporary = NULL;
	}
	free(out->path);
	out->path = NULL;
}

/* What a name designates: an existing file's device and inode, or for a
 * file still to be made its folder's and its own name. */
typedef struct identity {
	dev_t device;
	ino_t inode;
	const char *name; /* NULL: an existing file */
	char *owned;
} identity;

static int identify(const char *path, int input, identity *id)
{
	struct stat info;
	int stream;
	char *final, *folder;

	memset(id, 0, sizeof *id);
	if (strcmp(path, "-") == 0) {
		if (!input || fstat(STDIN_FILENO, &info) != 0 || !S_ISREG(info.st_mode))
			return 0;
		id->device = info.st_dev;
		id->inode = info.st_ino;
		return 1;
	}
	if (stat(path, &info) == 0) {
		if (!S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode))
			return 0;
		id->device = info.st_dev;
		id->inode = info.st_ino;
		return 1;
	}
	if (input)
		return 0;
	final = tact_outfile_resolve(path, &stream);
	if (!final || stream) {
		free(final);
		return 0;
	}
	folder = folder_of(final);
	if (!folder || stat(folder, &info) != 0) {
		free(folder);
		free(final);
		return 0;
	}
	free(folder);
	id->device = info.st_dev;
	id->inode = info.st_ino;
	id->owned = final;
	id->name = strrchr(final, '/') ? strrchr(final, '/') + 1 : final;
	return 1;
}

int tact_outfile_same(const char *output, const char *input)
{
	identity a, b;
	int same;

	if (!output || !input || strcmp(output, "-") == 0)
		return 0;
	if (!identify(output, 0, &a))
		return 0;
	/* Another output not yet made is identified the way an output is. */
	if (!identify(input, !a.name ? 1 : 0, &b)) {
		free(a.owned);
		return 0;
	}
	same = a.device == b.device && a.inode == b.inode &&
	       (!a.name) == (!b.name) && (!a.name || strcmp(a.name, b.name) == 0);
	free(a.owned);
	free(b.owned);
	return same;
}
