/*
 * cleanup.h - what a run must undo if it is stopped: the temporaries it
 * is writing and the child it is waiting for.
 *
 * Every temporary output (outfile.h, outdir.h) and the gnuplot child
 * (plot.h) is recorded here while it exists.  tact_cleanup_run() ends the
 * children (SIGKILL, then reaps them) and removes the recorded files and
 * folders; it is async-signal-safe, so the tools' signal handlers
 * (tools/cli) call it before re-raising the signal, and at exit it removes
 * whatever a failed run had not committed.  This module only keeps the
 * registry: it never installs a handler, prints or exits.
 *
 * Creating and recording happen with SIGHUP, SIGINT, SIGTERM, SIGPIPE and
 * SIGXFSZ blocked in the calling thread, so a handler never sees a file
 * that exists but is not recorded.  A handler running in another thread
 * (a reader's worker) waits for the recording to finish.
 *
 * What no handler can cover: SIGKILL (or a power cut) leaves the
 * temporaries as they are, named after their target: FILE.tmp.XXXXXX
 * beside an output file, DIR.tmp-XXXXXX beside a report folder.
 */
#ifndef TACT_CLEANUP_H
#define TACT_CLEANUP_H

#include <sys/types.h>

typedef enum tact_cleanup_kind {
	TACT_CLEANUP_FILE,   /* unlink */
	TACT_CLEANUP_FOLDER, /* unlink the files in it, then rmdir */
	TACT_CLEANUP_EMPTY   /* rmdir only (a parent folder made for a report) */
} tact_cleanup_kind;

/* At most this many temporaries and children recorded at once. */
#define TACT_CLEANUP_MAX 64

/*
 * mkstemp/mkdtemp that record the result: the file or folder is removed
 * by tact_cleanup_run until tact_cleanup_forget(template).  Returns what
 * mkstemp returns (a descriptor) / 0 for a folder, or -1 with errno set
 * (ENOMEM: the registry is full or out of memory; nothing is then left).
 */
int tact_cleanup_mkstemp(char *template);
int tact_cleanup_mkdtemp(char *template);

/* Record an existing path (a folder made with mkdir) to remove; -1 with
 * errno ENOMEM when the registry is full. */
int tact_cleanup_add(const char *path, tact_cleanup_kind kind);

/* Stop tracking path (it was renamed into place, or removed).  A path
 * not recorded is ignored. */
void tact_cleanup_forget(const char *path);

/* Child processes: ended by tact_cleanup_run until forgotten.  Forget a
 * child before reaping it (its pid could then be reused). */
int tact_cleanup_add_child(pid_t pid);
void tact_cleanup_forget_child(pid_t pid);

/* Block (and unblock) the signals above in the calling thread; blocks
 * nest.  For a caller that must spawn a child and record it with no
 * window between. */
void tact_cleanup_block(void);
void tact_cleanup_unblock(void);

/* Async-signal-safe: SIGKILL and reap the recorded children, then remove
 * the recorded files and folders (the latest first).  Runs once; a second
 * call (a second signal, exit after a handler) does nothing. */
void tact_cleanup_run(void);

#endif
