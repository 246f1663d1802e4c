/*
 * outfile.h - output files that appear whole or not at all.
 *
 * A tool writes to a temporary file beside the target (same directory, so
 * the final rename is atomic) and renames it only once everything is
 * written and flushed; on failure the temporary is removed and an existing
 * target is left untouched.  "-" or NULL means standard output, where the
 * commit flushes and checks for errors (a full disk is TACT_IOERR).  A
 * target that exists and is not a regular file (/dev/null, /dev/full, a
 * FIFO) is written in place, never replaced.
 */
#ifndef TACT_OUTFILE_H
#define TACT_OUTFILE_H

#include <stdio.h>

#include "error.h"

typedef struct tact_outfile {
	FILE *stream;      /* write here */
	char *path;        /* the target, NULL for standard output */
	char *temporary;   /* the file being written */
	int device;        /* the target is a device or pipe: written in place */
} tact_outfile;

/* Open a temporary beside path (or standard output).  TACT_CANTCREAT when
 * the directory is not writable or absent. */
tact_status tact_outfile_open(tact_outfile *out, const char *path,
                              tact_error *error);

/* Flush, close and rename into place.  TACT_IOERR when writing failed
 * (the temporary is removed), TACT_CANTCREAT when the rename fails. */
tact_status tact_outfile_commit(tact_outfile *out, tact_error *error);

/* Give up: close and remove the temporary.  Safe after a commit. */
void tact_outfile_abort(tact_outfile *out);

#endif
