/*
 * outfile.c - write to a temporary, rename when complete (see outfile.h).
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

tact_status tact_outfile_open(tact_outfile *out, const char *path,
                              tact_error *error)
{
	size_t length;
	int fd;

	memset(out, 0, sizeof *out);
	if (!path || strcmp(path, "-") == 0) {
		out->stream = stdout;
		return TACT_OK;
	}
	/* A device or a pipe (-o /dev/null, a FIFO) is written in place:
	 * renaming a temporary over it would replace the device with a
	 * regular file.  So is anything reached through /proc or /dev
	 * (-o /dev/stdout is a link to /proc/self/fd/1).  Another symbolic
	 * link keeps being a link: its target is the file replaced. */
	{
		struct stat info;
		char *resolved = NULL;
		int in_place = 0;

		if (lstat(path, &info) == 0 && S_ISLNK(info.st_mode)) {
			char target[4096];
			ssize_t n = readlink(path, target, sizeof target - 1);
			if (n > 0)
				target[n] = '\0';
			/* /dev/stdout -> /proc/self/fd/1 names a stream, not a file. */
			if (n <= 0 || strncmp(target, "/proc/", 6) == 0 ||
			    strncmp(target, "/dev/", 5) == 0 ||
			    !(resolved = realpath(path, NULL)))
				in_place = 1;
		}
		if (!in_place && stat(path, &info) == 0 && !S_ISREG(info.st_mode)) {
			if (S_ISDIR(info.st_mode)) {
				free(resolved);
				return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
				                      "cannot create: is a directory");
			}
			in_place = 1;
		}
		if (in_place) {
			free(resolved);
			out->stream = fopen(path, "w");
			if (!out->stream)
				return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
				                      "cannot open for writing: %s",
				                      strerror(errno));
			out->device = 1;
			out->path = strdup(path);
			return TACT_OK;
		}
		if (resolved) {
			/* The link's target, replaced atomically; the link stays. */
			length = strlen(resolved);
			out->path = resolved;
			goto temporary;
		}
	}
	length = strlen(path);
	out->path = strdup(path);
temporary:
	out->temporary = malloc(length + 16);
	if (!out->path || !out->temporary) {
		tact_outfile_abort(out);
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
	}
	snprintf(out->temporary, length + 16, "%s.tmp.XXXXXX", out->path);
	fd = mkstemp(out->temporary);
	if (fd < 0) {
		int saved = errno;
		free(out->temporary);
		out->temporary = NULL;
		tact_outfile_abort(out);
		return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
		                      "cannot create: %s", strerror(saved));
	}
	/* mkstemp makes the file 0600; outputs are ordinary files that
	 * honour the umask like any file a shell redirection creates. */
	{
		mode_t mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
	}
	out->stream = fdopen(fd, "w");
	if (!out->stream) {
		close(fd);
		tact_outfile_abort(out);
		return tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
		                      "cannot create: %s", strerror(errno));
	}
	return TACT_OK;
}

tact_status tact_outfile_commit(tact_outfile *out, tact_error *error)
{
	const char *name = out->path ? out->path : "standard output";
	tact_status status;
	int failed;

	if (out->device) {
		int saved;
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
		if (fflush(stdout) != 0 || ferror(stdout))
			return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
			                      "cannot write to %s: %s", name,
			                      strerror(errno ? errno : EIO));
		return TACT_OK;
	}
	failed = fflush(out->stream) != 0 || ferror(out->stream);
	if (!failed)
		failed = fsync(fileno(out->stream)) != 0 && errno != EINVAL;
	if (fclose(out->stream) != 0)
		failed = 1;
	out->stream = NULL;
	/* The error is set before the abort, which frees name (out->path). */
	if (failed) {
		int saved = errno;
		status = tact_error_set(error, TACT_IOERR, name, 0, 0,
		                        "cannot write: %s",
		                        strerror(saved ? saved : EIO));
		tact_outfile_abort(out);
		return status;
	}
	if (rename(out->temporary, out->path) != 0) {
		int saved = errno;
		status = tact_error_set(error, TACT_CANTCREAT, name, 0, 0,
		                        "cannot rename into place: %s",
		                        strerror(saved));
		tact_outfile_abort(out);
		return status;
	}
	free(out->temporary);
	out->temporary = NULL;
	free(out->path);
	out->path = NULL;
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
		free(out->temporary);
		out->temporary = NULL;
	}
	free(out->path);
	out->path = NULL;
}
