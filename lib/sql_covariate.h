/*
 * sql_covariate.h - tact-sql's covariates (--covariate METRIC=COLUMN):
 * parsed, then bound to the summary's metrics and the table's columns.
 * Internal to lib/sql.c.
 *
 * A covariate is a pre-experiment column that adjusts a metric (CUPED).
 * The summary carries it as a metric after every other one (header word
 * covariate), in the order of first mention on the command line; one
 * covariate may serve several metrics, a metric has at most one.
 */
#ifndef TACT_SQL_COVARIATE_H
#define TACT_SQL_COVARIATE_H

#include "error.h"
#include "roles.h"

typedef struct tact_sql_covariates {
	size_t items;        /* --covariate items */
	char **metric;       /* per item: the metric it adjusts */
	char **column;       /* per item: the covariate column */
	size_t count;        /* distinct covariate columns */
	char **names;        /* per covariate: its column name (into column) */
	size_t *columns;     /* per covariate: its index among the statement's
	                        columns (after tact_sql_covariates_bind) */
	size_t *of_metric;   /* per metric of the map: its covariate, or
	                        TACT_NO_COLUMN (after bind) */
} tact_sql_covariates;

/*
 * Parse the items "METRIC=COLUMN" of given (NULL: none) into *covariates
 * (zeroed first; release with tact_sql_covariates_release, also on error).
 * Errors: TACT_USAGE for an item without '=', an empty metric or column,
 * a metric given twice, a column name holding ':'; TACT_SOFTWARE when out
 * of memory.
 */
tact_status tact_sql_covariates_parse(tact_sql_covariates *covariates,
                                      const tact_names *given,
                                      tact_error *error);

/*
 * Bind the parsed covariates to map's metrics and to the statement's
 * columns (columns[0..count), the names map's indices refer to).
 * listed: 1 when the columns are the table's (--columns), so that a
 * covariate column must be among them.
 * Errors (TACT_USAGE): a metric that is not one of map's, a column absent,
 * a column that already plays a role (arm, segment, metric, consent,
 * unit); TACT_SOFTWARE when out of memory.
 */
tact_status tact_sql_covariates_bind(tact_sql_covariates *covariates,
                                     const tact_column_map *map,
                                     char *const *columns, size_t count,
                                     int listed, tact_error *error);

void tact_sql_covariates_release(tact_sql_covariates *covariates);

#endif
