/*
 * plot_table.c - a tool's CSV output in memory for a chart (see
 * plot_internal.h).
 */
#include "plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvreader.h"
#include "format.h"
#include "parse.h"

typedef struct reading {
	tact_plot_table *table;
	const char *const *required;
	size_t capacity;
} reading;

void tact_plot_table_init(tact_plot_table *table)
{
	memset(table, 0, sizeof *table);
}

void tact_plot_table_release(tact_plot_table *table)
{
	size_t i;

	for (i = 0; i < table->columns; i++)
		free(table->header[i]);
	for (i = 0; i < table->rows * table->columns; i++)
		free(table->cells[i]);
	free(table->header);
	free(table->cells);
	free(table->lines);
	tact_plot_table_init(table);
}

static tact_status on_record(void *context, const tact_csv_record *record,
                             tact_error *error)
{
	reading *r = context;
	tact_plot_table *table = r->table;
	size_t i;

	if (record->index == 0) {
		table->header = calloc(record->count, sizeof *table->header);
		if (!table->header)
			return tact_error_oom(error);
		table->columns = record->count;
		for (i = 0; i < record->count; i++) {
			table->header[i] = strdup(record->fields[i]);
			if (!table->header[i])
				return tact_error_oom(error);
		}
		for (i = 0; r->required && r->required[i]; i++)
			if (tact_plot_table_column(table, r->required[i]) < 0)
				return tact_error_set(error, TACT_DATA, table->name,
				                      record->line, 0,
				                      "no '%s' column: expected the CSV "
				                      "output of %s", r->required[i],
				                      table->source);
		return TACT_OK;
	}
	if (table->rows >= TACT_PLOT_TABLE_MAX_ROWS)
		return tact_error_set(error, TACT_DATA, table->name, record->line, 0,
		                      "more than %d rows: expected the CSV output of "
		                      "%s, not an export", TACT_PLOT_TABLE_MAX_ROWS,
		                      table->source);
	if (table->rows == r->capacity) {
		size_t capacity = r->capacity ? 2 * r->capacity : 64;
		char **cells = realloc(table->cells,
		                       capacity * table->columns * sizeof *cells);
		uint64_t *lines;

		if (!cells)
			return tact_error_oom(error);
		table->cells = cells;
		lines = realloc(table->lines, capacity * sizeof *lines);
		if (!lines)
			return tact_error_oom(error);
		table->lines = lines;
		r->capacity = capacity;
	}
	for (i = 0; i < table->columns; i++) {
		char *copy = malloc(record->lengths[i] + 1);
		if (!copy) {
			/* Keep the table consistent for the release. */
			while (i-- > 0)
				free(table->cells[table->rows * table->columns + i]);
			return tact_error_oom(error);
		}
		memcpy(copy, record->fields[i], record->lengths[i]);
		copy[record->lengths[i]] = '\0';
		/* A field written under --safe-csv ("'=x", format.h): the chart
		 * shows the label itself. */
		if (copy[0] == '\'' &&
		    tact_format_csv_formula(copy + 1, record->lengths[i] - 1))
			memmove(copy, copy + 1, record->lengths[i]);
		table->cells[table->rows * table->columns + i] = copy;
	}
	table->lines[table->rows] = record->line;
	table->rows++;
	return TACT_OK;
}

static tact_status finish(tact_plot_table *table, tact_status status,
                          tact_error *error)
{
	if (status == TACT_OK && table->rows == 0)
		status = tact_error_set(error, TACT_DATA, table->name, 0, 0,
		                        "no rows: nothing to draw");
	if (status != TACT_OK)
		tact_plot_table_release(table);
	return status;
}

tact_status tact_plot_table_read_file(tact_plot_table *table,
                                      const char *path, const char *source,
                                      const char *const *required,
                                      tact_error *error)
{
	reading r = {table, required, 0};
	tact_csv_options options;

	tact_plot_table_init(table);
	snprintf(table->name, sizeof table->name, "%s",
	         tact_csv_display_name(path));
	table->source = source;
	tact_csv_options_init(&options);
	options.delimiter = ',';
	return finish(table, tact_csv_read_file(path, &options, on_record, &r,
	                                        error), error);
}

tact_status tact_plot_table_read_memory(tact_plot_table *table,
                                        const char *name, const char *data,
                                        size_t length, const char *source,
                                        const char *const *required,
                                        tact_error *error)
{
	reading r = {table, required, 0};
	tact_csv_options options;

	tact_plot_table_init(table);
	snprintf(table->name, sizeof table->name, "%s", name ? name : "");
	table->source = source;
	tact_csv_options_init(&options);
	options.delimiter = ',';
	return finish(table, tact_csv_read_memory(table->name, data, length,
	                                          &options, on_record, &r, error),
	              error);
}

long tact_plot_table_column(const tact_plot_table *table, const char *name)
{
	size_t i;

	for (i = 0; i < table->columns; i++)
		if (strcmp(table->header[i], name) == 0)
			return (long)i;
	return -1;
}

const char *tact_plot_table_text(const tact_plot_table *table, size_t row,
                                 size_t column)
{
	if (row >= table->rows || column >= table->columns)
		return "";
	return table->cells[row * table->columns + column];
}

tact_status tact_plot_table_number(const tact_plot_table *table, size_t row,
                                   size_t column, double *value,
                                   tact_error *error)
{
	const char *text = tact_plot_table_text(table, row, column);
	size_t length = strlen(text);
	char quoted[128];

	if (tact_parse_is_blank(text, length)) {
		*value = NAN;
		return TACT_OK;
	}
	if (tact_parse_number(text, length, 0, value) == 0)
		return TACT_OK;
	tact_error_quote(text, length, quoted, sizeof quoted);
	return tact_error_set(error, TACT_DATA, table->name, table->lines[row],
	                      column + 1, "'%s' must be a number, got '%s'",
	                      table->header[column], quoted);
}

size_t tact_plot_table_dimensions(const tact_plot_table *table,
                                  const char *first)
{
	long at = tact_plot_table_column(table, first);

	return at > 0 ? (size_t)at : 0;
}

void tact_plot_table_segment(const tact_plot_table *table, size_t row,
                             size_t dimensions, char *out, size_t size)
{
	size_t d, used = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	if (dimensions == 0) {
		snprintf(out, size, "(all)");
		return;
	}
	for (d = 0; d < dimensions; d++) {
		const char *cell = tact_plot_table_text(table, row, d);
		int n;

		/* The pooled row is "(all)" in every dimension: say it once. */
		if (d > 0 && strcmp(cell, "(all)") == 0 &&
		    strcmp(tact_plot_table_text(table, row, 0), "(all)") == 0)
			continue;
		n = snprintf(out + used, size - used, "%s%s", d ? " / " : "", cell);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}
