/*
 * status.h - the one table of exit statuses shared by every tact tool.
 *
 * The values follow sysexits(3) so that shells and CI systems can tell a
 * usage mistake from bad data from a missing file.  Library functions return
 * one of these (TACT_OK on success) and fill a tact_error; only tools turn
 * the status into a process exit status.
 */
#ifndef TACT_STATUS_H
#define TACT_STATUS_H

typedef enum tact_status {
	TACT_OK = 0,           /* success */
	TACT_GATE = 1,         /* a gate answered "no": a guardrail was breached */
	TACT_USAGE = 64,       /* the command line is wrong */
	TACT_DATA = 65,        /* the input data are malformed or inconsistent */
	TACT_NOINPUT = 66,     /* an input file cannot be opened or read as a file */
	TACT_UNAVAILABLE = 69, /* a required external program (gnuplot) is missing */
	TACT_SOFTWARE = 70,    /* an internal error, or a numerical (GSL) failure */
	TACT_CANTCREAT = 73,   /* an output file cannot be created */
	TACT_IOERR = 74        /* reading or writing failed part way (full disk) */
} tact_status;

/* A short lowercase name of a status ("data error"), for messages and docs. */
const char *tact_status_name(tact_status status);

#endif
