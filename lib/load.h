/*
 * load.h - an input, raw export or summary, into a summary.
 *
 * Every statistics tool starts here, so "tact-summarize x.csv |
 * tact-compare -" and "tact-compare x.csv" see the same numbers.  The
 * header decides: a summary's first field is "tact_summary_vN"; anything
 * else is a raw export, streamed once.
 *
 * Raw exports: the roles are resolved against the header (roles.h); rows
 * for which the --where condition does not hold are counted and dropped
 * first (rule.h: the summary records the condition); rows
 * without consent are counted and left out before anything else is looked
 * at; each cell is parsed by its role; empty cells are missing values; a
 * bad cell stops the load with its position (or, with skip_bad, rejects
 * the row, counted, the first few messages kept).  With a unit column,
 * sessions are folded into units first (units.h).
 *
 * Summaries: read and checked (summaryfile.h).  An explicit --by keeps
 * only those dimensions (the other ones are added up); an explicit
 * --control replaces the recorded one.
 */
#ifndef TACT_LOAD_H
#define TACT_LOAD_H

#include "csvreader.h"
#include "period.h"
#include "privacy.h"
#include "roles.h"
#include "rule.h"
#include "summary.h"

#define TACT_LOAD_REJECTS_SHOWN 5
#define TACT_LOAD_IDENTIFIERS_SHOWN 16

/* A column of a raw export that holds direct identifiers (privacy.h): its
 * name only, never a value. */
typedef struct tact_load_identifier {
	char name[72];             /* quoted for messages, cut to fit */
	tact_identifier_kind kind;
	tact_identifier_reason reason;
	int unit;                  /* it is the unit column: a key, not written */
} tact_load_identifier;

typedef struct tact_load_options {
	tact_roles_spec roles;     /* owned; tact_load_options_release frees */
	int decimal_comma;         /* ',' is the decimal mark in numbers */
	char delimiter;            /* 0 = detect */
	int skip_bad;              /* reject bad rows instead of stopping */
	long threads;              /* threads reading a large file; 0: one per
	                              core (the result does not depend on it) */
	uint64_t part_bytes;       /* input per part (see load.c); 0: 64 MiB.
	                              Tests make it small. */
	int exposure_dimension;    /* add the exposure count as a last segment
	                              dimension (named after its column; labels
	                              "0", "1", ...; "" when missing): for
	                              dose-response, which needs every count */
	tact_csv_options csv;      /* progress, chunk size (tests) */
	tact_rule_set *where;      /* --where: only rows where it holds; NULL
	                              for every row.  Owned (release). */
	int mixed_units_first;     /* a unit seen in several arms is kept in
	                              its first (--mixed-units first); by
	                              default it is dropped (units.h) */
	const char *time_name;     /* --time: each row's date or time column
	                              (not owned), giving the summary per-period
	                              groups (period.h); NULL for none.  A
	                              summary input must have periods of this
	                              column (and kind, or days to make weeks
	                              of) */
	tact_period_kind period;   /* --period: day (default) or week */
	int period_set;            /* --period was given */
	/* Tests (the result does not depend on them): sessions folded by
	 * threads are read in parts of unit_part_bytes (0: 4 MiB) and go to
	 * unit_partitions partitions (1 to 255; 0: 64), and every unit id's
	 * hash is ANDed with unit_hash_mask (0: all ones) to force
	 * collisions.  tact_load_options_init reads them, and part_bytes,
	 * from the environment variable TACT_LOAD_TEST
	 * ("unit_part_bytes=4096,partitions=3,hash_mask=0x100000001"). */
	uint64_t unit_part_bytes;
	size_t unit_partitions;
	uint64_t unit_hash_mask;
} tact_load_options;

typedef struct tact_load_report {
	int from_summary;          /* the input was a summary */
	char delimiter;            /* as used */
	size_t rejects_shown;
	char rejects[TACT_LOAD_REJECTS_SHOWN][TACT_ERROR_FILE_MAX +
	                                      TACT_ERROR_MESSAGE_MAX + 48];
	size_t unit_bytes;         /* memory held for unit aggregation */
	size_t cap_bytes;          /* memory held for quantile caps (rows held
	                              without a unit column, and the values
	                              copied to find the quantile) */
	int cap_rows_held;         /* a quantile cap held every row's values
	                              (standard input, no unit column) */
	int cap_two_passes;        /* a quantile cap read the file twice */
	int64_t units;             /* distinct units (unit aggregation) */
	int segments_absent;       /* no --by and no column 'intent': analysed
	                              without segments (roles.h) */
	/* Raw exports: columns holding direct identifiers, found in the first
	 * rows (privacy.h); the first TACT_LOAD_IDENTIFIERS_SHOWN listed. */
	size_t identifier_count;
	tact_load_identifier identifiers[TACT_LOAD_IDENTIFIERS_SHOWN];
} tact_load_report;

tact_status tact_load_options_init(tact_load_options *options,
                                   tact_error *error);
void tact_load_options_release(tact_load_options *options);

/*
 * Keep only the rows of a raw export where condition holds (--where, the
 * language of rule.h).  Errors: TACT_USAGE "at N: ..." for a condition
 * that does not parse, before any input is read (the caller names the
 * option); given twice, TACT_USAGE.  A summary input given a condition is
 * refused (TACT_USAGE) when loaded; a column the export lacks is TACT_DATA.
 */
tact_status tact_load_options_where(tact_load_options *options,
                                    const char *condition, tact_error *error);

/*
 * Load path ("-" = stdin) into summary (initialised by the caller; set up
 * here; finished on return).  report may be NULL.  Errors: those of the
 * reader, of the roles, TACT_DATA for bad cells or a named control arm
 * that does not occur, or "no data rows".
 *
 * Privacy: the first rows of a raw export go through a privacy detector
 * (privacy.h); columns of direct identifiers are listed in the report, and
 * an arm or segment column among them is refused (TACT_DATA), as is an arm
 * or segment label that looks like an e-mail, IP address or '+' phone
 * number, in exports and summaries alike (tact_privacy_check_summary).  A
 * bad cell that looks like an identifier is not quoted in the message.
 */
tact_status tact_load(const char *path, const tact_load_options *options,
                      tact_summary *summary, tact_load_report *report,
                      tact_error *error);

/* The same from memory (tests). */
tact_status tact_load_memory(const char *name, const char *data,
                             size_t length, const tact_load_options *options,
                             tact_summary *summary, tact_load_report *report,
                             tact_error *error);

/*
 * Keep only the segment dimensions named in by (in that order), adding up
 * the groups that differ only in the others (what an explicit --by does to
 * a summary input).  file names the input in messages.  TACT_DATA for a
 * name that is not a dimension of the summary.
 */
tact_status tact_load_project(tact_summary *summary, const tact_names *by,
                              const char *file, tact_error *error);

/* Set fresh (initialized) up with like's arm column and metrics (names,
 * roles) over the given dimensions (names copied).  TACT_SOFTWARE on
 * memory. */
tact_status tact_load_setup_like(tact_summary *fresh, const tact_summary *like,
                                 size_t dimensions,
                                 char *const *dimension_names,
                                 tact_error *error);

/* "'a', 'b', 'c'": the arms of a summary, for messages; whole names only,
 * ending in "..." when cut to fit size (> 0). */
void tact_load_arm_list(const tact_summary *summary, char *out, size_t size);

#endif
