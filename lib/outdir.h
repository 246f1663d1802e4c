/*
 * outdir.h - an output folder (tact-report's) that appears whole or not
 * at all, and holds only what tact wrote.
 *
 * The folder is written as a temporary folder beside the target
 * (DIR.tmp-XXXXXX, recorded in cleanup.h's registry: a signal or a failed
 * run removes it) and put in place at the end.  The target's rules:
 *
 * - absent: made, with any missing parent folder (reports/); a parent
 *   made by a run that then fails is removed again;
 * - an empty folder: accepted and filled in place (the files moved in,
 *   the marker first), so it stays the same folder: a shell inside it
 *   sees the report.  "." or a name ending in ".." is taken by its real
 *   path, so the temporary folder is made beside it;
 * - a folder tact wrote: it holds a marker file listing what tact wrote
 *   there; it is replaced when it holds nothing else (no other file, no
 *   subfolder); anything else in it and the run is refused before any
 *   work (TACT_CANTCREAT), so no user file is ever deleted;
 * - a symbolic link: followed; its target folder is the one replaced
 *   (by the same rules), the link itself stays;
 * - anything else (a file): refused (TACT_CANTCREAT).
 *
 * Putting in place: renamed onto the name when it is absent, else swapped
 * with the previous folder in one step (renameat2 RENAME_EXCHANGE; on a
 * file system without it, the previous folder is renamed aside first),
 * after which the previous folder's listed files, then the folder, are
 * removed.  Two runs writing one folder at once each swap in turn: the
 * last to finish wins and neither leaves anything beside it.  Nothing is
 * left beside the folder after success, failure or a caught signal; only
 * SIGKILL during the run can leave DIR.tmp-XXXXXX.
 *
 * Permissions: a replaced folder's mode is kept; a new one gets 0777 less
 * the umask; the files in it 0666 less the umask.
 */
#ifndef TACT_OUTDIR_H
#define TACT_OUTDIR_H

#include <stddef.h>

#include "error.h"

typedef struct tact_outdir {
	char *target;      /* symbolic links followed: the folder replaced */
	char *temporary;   /* the folder being written */
	const char *marker;/* the marker file's name */
	char **names;      /* the files written, listed in the marker */
	size_t name_count;
	char **made;       /* parent folders made, outermost first */
	size_t made_count;
} tact_outdir;

/*
 * Check path as above and make the temporary folder (and any missing
 * parent).  marker names the marker file (".tact-report").  Errors:
 * TACT_USAGE (an empty name), TACT_CANTCREAT (refused, or cannot make),
 * TACT_SOFTWARE (out of memory).  On error nothing is left and dir needs
 * no release.
 */
tact_status tact_outdir_open(tact_outdir *dir, const char *path,
                             const char *marker, tact_error *error);

/* 1 when path names a file directly inside the target folder (an input
 * the run would delete by replacing the folder). */
int tact_outdir_holds(const tact_outdir *dir, const char *path);

/* The path of file name (no '/') inside the temporary folder, recorded
 * for the marker; malloc'ed, the caller frees it.  NULL: out of memory. */
char *tact_outdir_file(tact_outdir *dir, const char *name);

/*
 * Write the marker (heading, a line of text, then the name of each file
 * written, one a line: a name given by tact_outdir_file but never written
 * is left out) and put the folder in place (see above).  TACT_CANTCREAT
 * when it cannot be (the target changed meanwhile and now holds a foreign
 * file), TACT_IOERR when the marker cannot be written.  The folder is released either way.
 */
tact_status tact_outdir_commit(tact_outdir *dir, const char *heading,
                               tact_error *error);

/* Give up: remove the temporary folder and any parent made; release. */
void tact_outdir_abort(tact_outdir *dir);

#endif
