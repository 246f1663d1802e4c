/*
 * sql_covariate.c - tact-sql's covariates: --covariate METRIC=COLUMN
 * parsed and bound to the metrics and columns (see sql_covariate.h).
 */
#include "sql_covariate.h"

#include <stdlib.h>
#include <string.h>

/* The covariate named column, or covariates->count when new. */
static size_t find_covariate(const tact_sql_covariates *covariates,
                             const char *column)
{
	size_t j;

	for (j = 0; j < covariates->count; j++)
		if (strcmp(covariates->names[j], column) == 0)
			return j;
	return covariates->count;
}

/* Item i ("METRIC=COLUMN") into metric[i] and column[i]. */
static tact_status parse_item(tact_sql_covariates *covariates, size_t i,
                              const char *item, tact_error *error)
{
	const char *equals = strchr(item, '=');
	size_t k;

	if (!equals || equals == item || !equals[1])
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--covariate must be METRIC=COLUMN, got '%s'",
		                      item);
	covariates->metric[i] = strndup(item, (size_t)(equals - item));
	covariates->column[i] = strdup(equals + 1);
	if (!covariates->metric[i] || !covariates->column[i])
		return tact_error_oom(error);
	if (strchr(covariates->column[i], ':'))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--covariate '%s': the column name must not "
		                      "contain ':' (summaries use it as a "
		                      "separator)", item);
	for (k = 0; k < i; k++)
		if (strcmp(covariates->metric[k], covariates->metric[i]) == 0 &&
		    strcmp(covariates->column[k], covariates->column[i]) == 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--covariate '%s' is given twice", item);
		else if (strcmp(covariates->metric[k], covariates->metric[i]) == 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--covariate: metric '%s' is given two "
			                      "covariates ('%s' and '%s'); a metric "
			                      "has at most one", covariates->metric[i],
			                      covariates->column[k],
			                      covariates->column[i]);
	if (find_covariate(covariates, covariates->column[i]) == covariates->count)
		covariates->names[covariates->count++] = covariates->column[i];
	return TACT_OK;
}

tact_status tact_sql_covariates_parse(tact_sql_covariates *covariates,
                                      const tact_names *given,
                                      tact_error *error)
{
	size_t n = given ? given->count : 0, i;
	tact_status status;

	memset(covariates, 0, sizeof *covariates);
	if (n == 0)
		return TACT_OK;
	covariates->metric = calloc(n, sizeof *covariates->metric);
	covariates->column = calloc(n, sizeof *covariates->column);
	covariates->names = calloc(n, sizeof *covariates->names);
	covariates->columns = calloc(n, sizeof *covariates->columns);
	if (!covariates->metric || !covariates->column || !covariates->names ||
	    !covariates->columns)
		return tact_error_oom(error);
	covariates->items = n;
	for (i = 0; i < n; i++)
		if ((status = parse_item(covariates, i, given->items[i], error)))
			return status;
	return TACT_OK;
}

/* The role column index plays in map, or NULL when none. */
static const char *role_of(const tact_column_map *map, size_t index)
{
	size_t i;

	if (index == map->arm)
		return "the arm";
	for (i = 0; i < map->dimensions; i++)
		if (index == map->dimension_columns[i])
			return "a segment";
	for (i = 0; i < map->metrics; i++)
		if (index == map->metric_columns[i])
			return "a metric";
	if (index == map->consent)
		return "the consent";
	if (index == map->unit)
		return "the unit";
	return NULL;
}

/* Covariate j's column among columns[0..count). */
static tact_status bind_column(tact_sql_covariates *covariates, size_t j,
                               const tact_column_map *map,
                               char *const *columns, size_t count,
                               int listed, tact_error *error)
{
	const char *name = covariates->names[j], *role;
	size_t c;

	for (c = 0; c < count; c++)
		if (strcmp(columns[c], name) == 0)
			break;
	if (c == count)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--covariate: column '%s' is not among the "
		                      "columns %s", name,
		                      listed ? "--columns lists" : "assumed");
	if ((role = role_of(map, c)) != NULL)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--covariate: column '%s' is already %s; a "
		                      "covariate is a column of its own", name, role);
	covariates->columns[j] = c;
	return TACT_OK;
}

tact_status tact_sql_covariates_bind(tact_sql_covariates *covariates,
                                     const tact_column_map *map,
                                     char *const *columns, size_t count,
                                     int listed, tact_error *error)
{
	size_t i, j, m;
	tact_status status;

	covariates->of_metric = malloc((map->metrics + 1) *
	                               sizeof *covariates->of_metric);
	if (!covariates->of_metric)
		return tact_error_oom(error);
	for (m = 0; m < map->metrics; m++)
		covariates->of_metric[m] = TACT_NO_COLUMN;
	for (j = 0; j < covariates->count; j++)
		if ((status = bind_column(covariates, j, map, columns, count, listed,
		                          error)))
			return status;
	for (i = 0; i < covariates->items; i++) {
		for (m = 0; m < map->metrics; m++)
			if (strcmp(map->metric_names[m], covariates->metric[i]) == 0)
				break;
		if (m == map->metrics)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--covariate '%s=%s': '%s' is not a "
			                      "metric of the summary",
			                      covariates->metric[i],
			                      covariates->column[i],
			                      covariates->metric[i]);
		covariates->of_metric[m] = find_covariate(covariates,
		                                          covariates->column[i]);
	}
	return TACT_OK;
}

void tact_sql_covariates_release(tact_sql_covariates *covariates)
{
	size_t i;

	if (covariates->metric && covariates->column)
		for (i = 0; i < covariates->items; i++) {
			free(covariates->metric[i]);
			free(covariates->column[i]);
		}
	free(covariates->metric);
	free(covariates->column);
	free(covariates->names);
	free(covariates->columns);
	free(covariates->of_metric);
	memset(covariates, 0, sizeof *covariates);
}
