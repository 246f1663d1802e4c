/*
 * outfile.h - output files that appear whole or not at all.
 *
 * A tool writes to a temporary file beside the target (same directory, so
 * the final rename is atomic) and renames it only once everything is
 * written and flushed; on failure the temporary is removed and an existing
 * target is left untouched.  The temporary is recorded in cleanup.h's
 * registry, so a signal or an exit before the commit removes it; only
 * SIGKILL can leave one, named TARGET.tmp.XXXXXX.  "-" or NULL means
 * standard output, where the commit flushes and checks for errors (a full
 * disk is TACT_IOERR).  A target that exists and is not a regular file
 * (/dev/null, /dev/full, a FIFO) is written in place, never replaced.
 *
 * Symbolic links: the link stays, its final target is replaced (written
 * beside that target and renamed over it), also when the target does not
 * exist yet (a dangling link): a link is never written through in place.
 * A link into /dev or /proc (-o /dev/stdout) names a stream: in place.
 *
 * Permissions: a replaced file keeps its mode; a new file gets 0666 less
 * the umask, as a shell redirection would give it.
 */
#ifndef TACT_OUTFILE_H
#define TACT_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef struct tact_outfile {
	FILE *stream;      /* write here */
	char *path;        /* the target, NULL for standard output */
	char *temporary;   /* the file being written */
	int device;        /* the target is a device or pipe: written in place */
} tact_outfile;

/* Open a temporary beside path (or standard output).  TACT_USAGE for an
 * empty name; TACT_CANTCREAT when the directory is not writable or
 * absent, or path is a folder. */
tact_status tact_outfile_open(tact_outfile *out, const char *path,
                              tact_error *error);

/* Flush, close and rename into place.  TACT_IOERR when writing failed
 * (the temporary is removed), TACT_CANTCREAT when the rename fails. */
tact_status tact_outfile_commit(tact_outfile *out, tact_error *error);

/*
 * Commit several outputs of one run, all or none: every one is flushed,
 * synced and closed first; if any of those fails, all are removed and no
 * target changes.  Then the temporaries are renamed, one after another.
 * The limit: a rename failing there (the folder was made read-only or
 * removed meanwhile) leaves the outputs renamed before it in place; the
 * others are removed.  Errors as tact_outfile_commit.
 */
tact_status tact_outfile_commit_all(tact_outfile *outs, size_t count,
                                    tact_error *error);

/* Give up: close and remove the temporary.  Safe after a commit. */
void tact_outfile_abort(tact_outfile *out);

/*
 * Would writing output replace input?  1 when both name the same regular
 * file (same device and inode, through symbolic and hard links; input
 * "-" is standard input), or when both would create the same new file;
 * 0 otherwise (a device, a name that cannot be resolved).  Output "-" is
 * standard output, never compared.
 */
int tact_outfile_same(const char *output, const char *input);

/* mode (0666 for a file, 0777 for a folder) less the process's umask,
 * read from /proc without changing it (elsewhere by setting it and
 * back: call it before threads start there). */
unsigned tact_outfile_mode(unsigned mode);

/*
 * The path a write to path would replace: symbolic links followed to
 * their final target, which need not exist (a dangling link).  malloc'ed;
 * NULL when out of memory.  *stream is set to 1 when a link leads into
 * /dev or /proc (a stream, written in place).
 */
char *tact_outfile_resolve(const char *path, int *stream);

#endif
