/*
 * table.h - terminal tables: aligned columns a person reads at a glance.
 *
 * Cells are text; a column is right-aligned when it holds numbers (set per
 * column).  Widths are measured in UTF-8 code points so "flâneur" lines up.
 * Rows can be separated into blocks (a blank line between segments).
 */
#ifndef TACT_TABLE_H
#define TACT_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct tact_table {
	size_t columns;
	char **headers;
	int *right;          /* per column: right-align */
	size_t rows, row_capacity;
	char **cells;        /* rows x columns, owned */
	int *block_start;    /* per row: a blank line before it */
} tact_table;

/* Start a table with these headers (copied). Returns 0, or -1 on memory. */
int tact_table_init(tact_table *table, size_t columns,
                    const char *const *headers);
void tact_table_release(tact_table *table);

/* Right-align a column (numbers). */
void tact_table_align_right(tact_table *table, size_t column);

/* Append a row of columns cells (copied; NULL shows as empty).  block: a
 * blank line before it.  Returns 0, or -1 on memory. */
int tact_table_add(tact_table *table, const char *const *cells, int block);

/* Print with two spaces between columns and a rule under the headers. */
void tact_table_print(const tact_table *table, FILE *out);

#endif
