/*
 * plot_table.h - a tool's CSV output held in memory for a chart: the header,
 * the cells as text, the line of each row; figures read on demand with
 * their position in errors.  Read through the one CSV reader (csvreader.h).
 *
 * The tables charted are small (a row per segment, metric and arm), so the
 * whole table is kept; a table of more than TACT_PLOT_TABLE_MAX_ROWS rows
 * is refused (it is not a tool's output but, say, a raw export).
 */
#ifndef TACT_PLOT_TABLE_H
#define TACT_PLOT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define TACT_PLOT_TABLE_MAX_ROWS 200000

typedef struct tact_plot_table {
	char name[TACT_ERROR_FILE_MAX]; /* the input's name in messages */
	const char *source;             /* the tool that writes it */
	size_t columns;
	char **header;                  /* columns names */
	size_t rows;
	char **cells;                   /* rows x columns, row-major */
	uint64_t *lines;                /* physical line of each row */
} tact_plot_table;

void tact_plot_table_init(tact_plot_table *table);
void tact_plot_table_release(tact_plot_table *table);

/*
 * Read path ("-": standard input) or data[0..length).  required lists the
 * columns the chart needs (NULL-terminated); a missing one is TACT_DATA at
 * line 1, naming source (the tool whose output is expected).  Errors: those
 * of the CSV reader, TACT_DATA for a missing column, too many rows or no
 * row at all, TACT_SOFTWARE for memory.
 */
tact_status tact_plot_table_read_file(tact_plot_table *table,
                                      const char *path, const char *source,
                                      const char *const *required,
                                      tact_error *error);
tact_status tact_plot_table_read_memory(tact_plot_table *table,
                                        const char *name, const char *data,
                                        size_t length, const char *source,
                                        const char *const *required,
                                        tact_error *error);

/* The index of the column named name, or -1. */
long tact_plot_table_column(const tact_plot_table *table, const char *name);

/* The text of a cell (never NULL). */
const char *tact_plot_table_text(const tact_plot_table *table, size_t row,
                                 size_t column);

/* A cell as a number: blank is NaN; anything else not a number is
 * TACT_DATA at the cell's line and column. */
tact_status tact_plot_table_number(const tact_plot_table *table, size_t row,
                                   size_t column, double *value,
                                   tact_error *error);

/* The number of segment columns: those before the column named first
 * (the tools write their --by dimensions first).  0 when first is the
 * first column. */
size_t tact_plot_table_dimensions(const tact_plot_table *table,
                                  const char *first);

/* The segment label of a row: its first dimensions cells joined by " / ";
 * "(all)" when dimensions is 0.  Truncated to size. */
void tact_plot_table_segment(const tact_plot_table *table, size_t row,
                             size_t dimensions, char *out, size_t size);

#endif
