/*
 * validate.h - the data quality of a raw export, read once, without
 * writing any identifier's value (tact-validate).
 *
 * Per column: the type its values take (empty, boolean, integer, number,
 * label; or the kind of direct identifier the privacy detector finds:
 * email, phone, ip, name, address), missing (empty) cells, the distinct
 * values (exact up to TACT_VALIDATE_DISTINCT_MAX, else "over"), the role
 * it plays (the --arm, --by, ... flags, resolved as tact-summarize
 * resolves them) and, for role columns, the cells its role refuses with
 * the first positions.  Then: units (with a unit column, the units seen
 * in more than one row and the sessions per unit, and the units seen in
 * more than one arm), the arms and the labels of each segment column with
 * their units (counts under min_cell shown as "<min_cell", with
 * complementary suppression against the printed total), consent coverage,
 * per numeric column (not an identifier, not the unit id, not 0/1 only;
 * at least min_cell values) its minimum, quartiles, 99th percentile and
 * maximum, with a warning for values above 100 times the 99th percentile
 * (a hint to cap them with --cap METRIC=p99),
 * the identifier columns with the reason, and the problems.
 *
 * Rows without consent are counted in the consent coverage and nowhere
 * else (not in the column profiles, not in the units), as in every tool.
 * The identifier detector sees the first rows whatever their consent, as
 * the loader's does.
 *
 * A problem is an error when it would stop tact-summarize on the same
 * export with the same flags (a malformed CSV, a role column missing, an
 * identifier column as the arm or a segment or an identifier-like label,
 * a bad cell, an empty arm or unit id, no data rows, a named control that
 * does not occur; with skip_bad, bad rows are rejected, not fatal, unless
 * no row is left), else a warning (identifier columns in the export, units
 * in several arms, no control arm, a single arm).  Values are never
 * printed, except arm and segment labels (which every tool prints), and
 * never a label that looks like an identifier.
 */
#ifndef TACT_VALIDATE_H
#define TACT_VALIDATE_H

#include <stdint.h>
#include <stdio.h>

#include "keymap.h"
#include "load.h"
#include "privacy.h"
#include "roles.h"

#define TACT_VALIDATE_DISTINCT_MAX 1000 /* distinct values counted exactly */
#define TACT_VALIDATE_LABELS_MAX 1000   /* labels kept per arm/segment column */
#define TACT_VALIDATE_CELL_KEY 17       /* arm + segment columns counted in cells */
#define TACT_VALIDATE_POSITIONS 3       /* positions shown per problem */
#define TACT_VALIDATE_QUANTILE_EXACT 65536 /* values kept per numeric column
                                           (512 KB at most) */
#define TACT_VALIDATE_EXTREME 100       /* extreme: above 100 x the p99 */

typedef enum tact_value_type {
	TACT_TYPE_EMPTY,
	TACT_TYPE_BOOLEAN,   /* 0/1, true/false, yes/no */
	TACT_TYPE_INTEGER,   /* digits with an optional sign */
	TACT_TYPE_NUMBER,    /* any number tact reads */
	TACT_TYPE_LABEL      /* anything else */
} tact_value_type;

/* "empty", "boolean", "integer", "number", "label". */
const char *tact_value_type_name(tact_value_type type);

typedef struct tact_validate_position {
	uint64_t line, column;
} tact_validate_position;

/*
 * The spread of a numeric column: minimum, quartiles, 99th percentile and
 * maximum, with NumPy's default (linear) quantile: the value at rank
 * h = (n - 1) q of the sorted values, interpolated between neighbours.
 * Memory is bounded per column: the first TACT_VALIDATE_QUANTILE_EXACT
 * values are kept and the quantiles are exact; beyond, a uniform random
 * sample of that many values is kept (reservoir sampling, Vitter's
 * algorithm R, with a fixed seed: the same file gives the same figures)
 * and the quantiles are approximate (the rank of a sample quantile is off
 * by about sqrt(q (1 - q) / 65536): 0.2 percentile points at the median,
 * 0.04 at the 99th percentile); minimum, maximum and count stay exact.  A
 * column of 0s and 1s only is counted, not stored.  The state exists only
 * for a column whose every value so far is a number (it is freed at the
 * first value that is not), so label columns cost nothing.
 */
typedef struct tact_validate_quantiles {
	int64_t count;                /* numeric values seen */
	double min, max;              /* exact */
	int64_t zeros, ones;          /* while every value is 0 or 1 */
	int binary;                   /* every value so far is 0 or 1 */
	size_t kept, capacity;        /* values held in values */
	double *values;
	uint64_t random;              /* reservoir sampling state */
	/* after tact_validate_run: */
	int approximate;              /* count > kept */
	double q1, median, q3, p99;
	int64_t extreme;              /* values above TACT_VALIDATE_EXTREME x
	                                 p99 when p99 > 0 (estimated from the
	                                 sample when approximate, at least 1
	                                 when the maximum is one) */
} tact_validate_quantiles;

typedef struct tact_validate_column {
	char *name;
	const char *role;             /* "arm", "segment", "goal", "annoyance",
	                                 "value", "exposures", "consent", "unit",
	                                 or NULL */
	int64_t present, missing;     /* non-empty and empty cells */
	int64_t booleans, integers, numbers; /* cells of each form */
	tact_keymap distinct;         /* up to TACT_VALIDATE_DISTINCT_MAX */
	int distinct_over;
	tact_identifier_kind identifier;
	tact_identifier_reason reason;
	tact_validate_quantiles *quantiles; /* NULL: not a numeric column */
	int quantiles_lost;           /* memory ran out: no quantiles */
} tact_validate_column;

/* The labels of the arm or of one segment column, with their units. */
typedef struct tact_validate_labels {
	size_t column;                /* in the header */
	tact_keymap labels;           /* up to TACT_VALIDATE_LABELS_MAX */
	int64_t *units;               /* per label */
	size_t capacity;
	int64_t other_units;          /* units whose label was not kept */
	size_t other_labels;          /* labels not kept (beyond the bound) */
	size_t identifier_labels;     /* labels that look like identifiers */
	int hidden;                   /* the column holds identifiers */
	unsigned char *suppressed;    /* per label, after tact_validate_end */
} tact_validate_labels;

/*
 * A column that looks like a unit id when no unit column is given: not a
 * role column, no number with a fraction, and at least half of its
 * non-empty values distinct (judged after TACT_VALIDATE_ID_PROBE counted
 * rows, which decide the columns tracked further, at most
 * TACT_VALIDATE_ID_COLUMNS, and again at the end).  Its ids are counted,
 * never shown: those seen again in the same arm, those seen in more than
 * one arm.
 */
#define TACT_VALIDATE_ID_PROBE 1000
#define TACT_VALIDATE_ID_COLUMNS 4
typedef struct tact_validate_idlike {
	size_t column;                /* in the header */
	tact_keymap ids;
	size_t *first_arm;            /* per id: the arm label's index */
	unsigned char *seen;          /* per id: 1 repeated in an arm, 2 in
	                                 several arms (each counted once) */
	size_t capacity;
	int64_t values;               /* non-empty cells seen */
	int64_t repeated_in_arm, several_arms;
	int dropped;                  /* not id-like after the probe */
} tact_validate_idlike;

typedef enum tact_validate_severity {
	TACT_VALIDATE_ERROR,
	TACT_VALIDATE_WARNING
} tact_validate_severity;

typedef struct tact_validate_problem {
	tact_validate_severity severity;
	char message[512];
	int64_t count;                /* cells or rows concerned (0: n/a) */
	size_t positions_shown;
	tact_validate_position positions[TACT_VALIDATE_POSITIONS];
} tact_validate_problem;

typedef struct tact_validate {
	/* settings */
	const tact_load_options *options;
	int64_t min_cell;
	/* the input */
	char file[TACT_ERROR_FILE_MAX];
	char delimiter;
	int summary;                  /* the input is a tact summary */
	int refused;                  /* a column name holds an identifier:
	                                 refused outright, nothing profiled */
	int stopped;                  /* malformed CSV: reading stopped */
	int64_t rows;                 /* data rows */
	size_t column_count;
	tact_validate_column *columns;
	int mapped;                   /* roles resolved */
	tact_column_map map;
	tact_privacy_detector detector;
	/* consent */
	int64_t consent_yes, consent_no, consent_missing, consent_bad;
	/* units */
	int64_t units;                /* units counted (consented, clean rows) */
	int64_t rows_counted;         /* rows behind them */
	int64_t rows_bad;             /* consented rows with a problem */
	tact_keymap unit_ids;
	uint32_t *unit_sessions;      /* per unit id */
	size_t *unit_arm;             /* per unit id: its first arm label */
	size_t unit_capacity;
	int64_t units_repeated, units_several_arms;
	uint32_t sessions_max;
	tact_validate_labels arms;
	tact_validate_labels *segments; /* per dimension */
	tact_keymap cells;            /* (arm, label per dimension) indices */
	int64_t *cell_units;          /* per cell */
	size_t cell_capacity;
	/* problems, in the order found */
	size_t problem_count;
	tact_validate_problem *problems;
	size_t errors, warnings;
	/* per role column: its bad-cell problem (index + 1, 0 = none) */
	size_t *cell_problem;
	size_t empty_arm_problem, empty_unit_problem;
	/* id-like columns (no unit column given) */
	tact_validate_idlike *idlike;
	size_t idlike_count;
	int64_t idlike_rows;          /* counted rows they saw */
	/* --where (options->where): its columns' fields, the rows it dropped
	 * (counted nowhere else) and, of them, those for a cell that is no
	 * number where it compares numbers */
	size_t *where_bound;
	int64_t rows_excluded_where, where_unreadable;
} tact_validate;

/*
 * Decide again which arm and segment totals are hidden, in privacy mode
 * (tact_privacy_decide over the export's segments x arms, so that the
 * totals agree with what the other tools hide; tact_validate_run decides
 * in TACT_PRIVACY_TABLES mode).  TACT_SOFTWARE on memory.
 */
tact_status tact_validate_suppress(tact_validate *v, tact_privacy_mode mode,
                                   tact_error *error);

/*
 * Read the export at path ("-" for stdin) and fill v (released with
 * tact_validate_release, whatever the status).  options gives the roles,
 * the delimiter, decimal commas and skip_bad, as for tact_load.  Problems
 * in the data are not failures: they are listed in v.  Returns TACT_OK,
 * TACT_NOINPUT (cannot open), TACT_IOERR (read failure), TACT_DATA when
 * the input is a tact summary (not an export), or TACT_SOFTWARE (memory);
 * error is then filled.
 */
tact_status tact_validate_run(const char *path,
                              const tact_load_options *options,
                              int64_t min_cell, tact_validate *v,
                              tact_error *error);

/* The same from memory (tests); name is used in messages. */
tact_status tact_validate_run_memory(const char *name, const char *data,
                                     size_t length,
                                     const tact_load_options *options,
                                     int64_t min_cell, tact_validate *v,
                                     tact_error *error);

void tact_validate_release(tact_validate *v);

/* Are column c's minimum, quantiles and maximum shown?  Only for a numeric
 * column that is not an identifier nor the unit id, not 0/1 only, with at
 * least min_cell values (after tact_validate_run). */
int tact_validate_spread_shown(const tact_validate *v,
                               const tact_validate_column *c);

/* The report: a readable text, or JSON.  TACT_IOERR when out fails. */
tact_status tact_validate_write_table(const tact_validate *v, FILE *out,
                                      tact_error *error);
tact_status tact_validate_write_json(const tact_validate *v, FILE *out,
                                     tact_error *error);

#endif
