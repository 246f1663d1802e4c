/*
 * sql.h - the summarize step as one SQL statement, for a warehouse.
 *
 * tact-summarize streams an export on one machine; for a table that lives
 * in a warehouse, the same sufficient statistics can be computed where the
 * data are.  tact_sql_build writes one SELECT statement whose result,
 * exported as CSV with its header, is a tact summary (tact-summary(5)):
 * the same columns in the same order, the same version, the meta rows
 * (rows_read, rows_rejected = 0, rows_excluded_consent, control when the
 * control arm occurs, binary:METRIC), and the groups sorted by labels then
 * arm, bytewise.
 *
 * What the statement assumes of the table (it cannot see it):
 *  - every role column exists (the defaults too, unless the caller passes
 *    the table's column list, which is then resolved exactly as an export's
 *    header is: named columns must exist, default metrics and consent are
 *    used when present);
 *  - goal and annoyance columns are numeric, boolean, or text holding 0/1,
 *    true/false, yes/no (any case, spaces around) or a number; they are
 *    read through their text form, so all of these work;
 *  - value and exposure columns are numeric (cast to a double);
 *  - the consent column is boolean, integer 0/1 or text: a row is kept when
 *    its text form is 1, true or yes; NULL, empty and anything else is no
 *    consent (tact-summarize would stop on a value that is not a boolean);
 *  - NULL (and, for goal and annoyance, empty text) is a missing value;
 *  - segment and arm columns are read as text, NULL as the empty label.
 * Bad cells that tact-summarize would reject are not detected: a text that
 * is not a number makes PostgreSQL, ClickHouse and BigQuery fail the query
 * and Spark (outside ANSI mode) read NULL.
 *
 * Spreads are computed stably: m2 = var_pop(x) * count(x) and
 * c = covar_pop(a, b) * count(both), with each dialect's own names
 * (varPopStable/covarPopStable in ClickHouse, whose plain varPop is the
 * unstable textbook formula).
 *
 * Sessions folded into units (a unit column: --unit, or the default
 * visitor_id among the caller's column list) take two more levels, as
 * tact-summarize folds them (units.h): the consented sessions are ranked
 * within their unit (row_number over the order column, then the segment
 * labels and the arm, bytewise), and grouped per unit: a goal or
 * annoyance outcome is the largest over the sessions, a value or exposure
 * count the sum, the labels and the arm those of the first-ranked session;
 * a unit whose sessions hold more than one arm is counted in
 * units_in_several_arms and dropped (its sessions still count as rows
 * read), or with mixed_units_first stays in its first session's arm with
 * every session's values, as in tact-summarize.  tact-summarize's first session
 * is the first in the file; a table has no such order, so the statement
 * agrees with it when the order column orders each unit's sessions as the
 * file does, or, without one, when each unit's sessions agree on their
 * segments and arm.  A NULL unit id folds with the other NULL ones (where
 * tact-summarize stops on an empty id).
 *
 * COVARIATES (CUPED; --covariate METRIC=COLUMN, repeatable): each named
 * column becomes a metric of the summary after every other one (header
 * word covariate, in the order of first mention), with its n/sum/m2 and
 * its cross pairs with every metric by the usual rule.  A covariate is
 * numeric (cast to a double); a NULL cell (in Spark, also a text that is
 * not a number) counts as 0 and is counted in the meta row
 * covariate_missing:NAME (the units of the groups whose cell is missing),
 * so that covariate:NAME:n is the group's units.  With a unit column, a
 * unit's covariate is its first session's (a pre-experiment attribute,
 * repeated on its sessions), not a sum.  The meta row covariate:METRIC
 * names each metric's covariate.
 */
#ifndef TACT_SQL_H
#define TACT_SQL_H

#include "error.h"
#include "roles.h"

typedef enum tact_sql_dialect {
	TACT_SQL_POSTGRES,
	TACT_SQL_CLICKHOUSE,
	TACT_SQL_BIGQUERY,
	TACT_SQL_SPARK,
	TACT_SQL_DUCKDB
} tact_sql_dialect;

/* The dialect named name ("postgres", "clickhouse", "bigquery", "spark",
 * "duckdb"; also "postgresql" and "sparksql").  Returns 0, or -1 when
 * unknown. */
int tact_sql_dialect_parse(const char *name, tact_sql_dialect *dialect);

/* "postgres", "clickhouse", "bigquery", "spark", "duckdb". */
const char *tact_sql_dialect_name(tact_sql_dialect dialect);

/*
 * name as a quoted identifier of the dialect: "a b" in PostgreSQL and
 * DuckDB (a '"' doubled), `a b` in ClickHouse and BigQuery (backslash
 * escapes for '`', '\\' and line breaks), `a b` in Spark ('`' doubled).
 * Returns a string the caller frees, or NULL when out of memory.
 */
char *tact_sql_quote_identifier(tact_sql_dialect dialect, const char *name);

/*
 * text as a string literal of the dialect: 'it''s' in PostgreSQL and
 * DuckDB, 'it\'s' with backslash escapes in ClickHouse, BigQuery and
 * Spark.  Returns a string the caller frees, or NULL when out of memory.
 */
char *tact_sql_quote_string(tact_sql_dialect dialect, const char *text);

typedef struct tact_sql_options {
	tact_sql_dialect dialect;
	/* The table: a table expression inserted as given ("events",
	 * "analytics.events", "\"My table\"", or "(SELECT ...) t"). */
	const char *table;
	/* The table's columns, or NULL: every role column is assumed present
	 * (the unit default is not assumed). */
	const tact_names *columns;
	/* 1: the summary header is the result's first row and the result's
	 * own columns are named c1, c2, ... (export it without a header); for
	 * engines whose column names cannot hold the header's names. */
	int header_row;
	/* With a unit column: the column ordering a unit's sessions (its
	 * smallest is the first session), or NULL: the labels and the arm
	 * alone order them. */
	const char *order_by;
	/* With a unit column: 1 keeps a unit seen in several arms in its
	 * first session's arm (--mixed-units first); 0 drops it. */
	int mixed_units_first;
	/* --covariate items, "METRIC=COLUMN" each, or NULL: the summary's
	 * covariate columns (see COVARIATES above). */
	const tact_names *covariates;
} tact_sql_options;

/*
 * The statement computing the summary of options->table with the roles of
 * spec, in *sql (a NUL-terminated string the caller frees; one statement,
 * no final semicolon, lines ending in '\n').
 * Errors: TACT_USAGE for an empty table, a cap (spec->caps: not computed
 * by the statement), an order column without a unit column or absent from
 * options->columns, a role column absent from options->columns or given
 * two roles, no metric, a metric name holding ':', a bad covariate (an
 * item not METRIC=COLUMN, a metric not in the summary or given twice, a
 * column absent or playing another role), and, in PostgreSQL without header_row, a header name
 * longer than 63 bytes (PostgreSQL would cut it); TACT_SOFTWARE when out
 * of memory.  *sql is NULL on error.
 */
tact_status tact_sql_build(const tact_roles_spec *spec,
                           const tact_sql_options *options, char **sql,
                           tact_error *error);

#endif
