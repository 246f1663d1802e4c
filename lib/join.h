/*
 * join.h - attach columns of a small CSV (a segment per user, a pre-period
 * covariate) to every row of an export by a key column, streaming the
 * export and holding only the small file in memory.
 *
 * The small file is read whole (the one CSV reader, csvreader.h) into a
 * hash of its keys (keymap.h) with the cells of the columns to attach;
 * each key may appear once (a second row with the same key is refused,
 * TACT_DATA at its line).  A row of the small file with an empty key is
 * skipped and counted.  The export is then read row by row and written
 * back, comma-separated through the one CSV row writer (format.h), its
 * fields as read and the attached cells after them.  An export row whose
 * key is absent from the small file (or empty) gets empty cells, or is
 * dropped.  The key is an identifier: it is copied through, and no
 * message ever shows a key's value.
 */
#ifndef TACT_JOIN_H
#define TACT_JOIN_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"

typedef struct tact_join_options {
	const char *key;            /* the key column, by name, in both files */
	const char *const *columns; /* the small file's columns to attach, in
	                               this order; NULL: every column but the
	                               key, in the file's order */
	size_t column_count;
	int drop_unmatched;         /* 1: leave out an export row whose key the
	                               small file lacks; 0: empty cells */
	char delimiter;             /* both inputs; 0: detected per file */
} tact_join_options;

void tact_join_options_init(tact_join_options *options);

/* What a join did, for the tool to report. */
typedef struct tact_join_counts {
	uint64_t small_rows;        /* data rows of the small file */
	uint64_t small_empty_keys;  /* of which skipped for an empty key */
	uint64_t rows;              /* data rows of the export */
	uint64_t matched;           /* export rows whose key was found */
	uint64_t unmatched;         /* export rows whose key was not (or was
	                               empty): given empty cells, or dropped */
	uint64_t keys_unused;       /* keys of the small file no export row
	                               had */
	int started;                /* the output's header was written */
} tact_join_counts;

/*
 * Join: read small (a path) whole, then stream export (a path, "-" for
 * standard input) to out.  Errors: TACT_NOINPUT, TACT_IOERR, TACT_DATA
 * (malformed CSV; the key column missing from either file; a --columns
 * name missing from the small file or named twice, or the key itself; an
 * attached column whose name the export already has; a duplicate key, at
 * the line of its second row, naming the line of its first),
 * TACT_SOFTWARE (memory).  On error out may hold part of the output (the
 * tool writes it through a temporary that is then removed).
 */
tact_status tact_join_run(const char *small, const char *export_path,
                          const tact_join_options *options, FILE *out,
                          tact_join_counts *counts, tact_error *error);

#endif
