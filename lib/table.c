/*
 * table.c - aligned terminal tables (see table.h).
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"

int tact_table_init(tact_table *table, size_t columns,
                    const char *const *headers)
{
	size_t i;

	memset(table, 0, sizeof *table);
	table->columns = columns;
	table->headers = calloc(columns + 1, sizeof(char *));
	table->right = calloc(columns + 1, sizeof(int));
	if (!table->headers || !table->right)
		return -1;
	for (i = 0; i < columns; i++)
		if (!(table->headers[i] = strdup(headers[i])))
			return -1;
	return 0;
}

void tact_table_release(tact_table *table)
{
	size_t i;

	if (table->headers)
		for (i = 0; i < table->columns; i++)
			free(table->headers[i]);
	for (i = 0; i < table->rows * table->columns; i++)
		free(table->cells[i]);
	free(table->headers);
	free(table->right);
	free(table->cells);
	free(table->block_start);
	memset(table, 0, sizeof *table);
}

void tact_table_align_right(tact_table *table, size_t column)
{
	if (column < table->columns)
		table->right[column] = 1;
}

int tact_table_add(tact_table *table, const char *const *cells, int block)
{
	size_t i;

	if (table->rows == table->row_capacity) {
		size_t capacity = table->row_capacity ? table->row_capacity * 2 : 16;
		char **c = realloc(table->cells, capacity * table->columns * sizeof *c);
		int *b;
		if (!c)
			return -1;
		table->cells = c;
		b = realloc(table->block_start, capacity * sizeof *b);
		if (!b)
			return -1;
		table->block_start = b;
		table->row_capacity = capacity;
	}
	for (i = 0; i < table->columns; i++) {
		char *copy = strdup(cells[i] ? cells[i] : "");
		if (!copy) {
			while (i-- > 0)
				free(table->cells[table->rows * table->columns + i]);
			return -1;
		}
		table->cells[table->rows * table->columns + i] = copy;
	}
	table->block_start[table->rows] = block;
	table->rows++;
	return 0;
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		putc(' ', out);
}

static void print_cell(FILE *out, const char *text, size_t width, int right,
                       int last)
{
	size_t w = tact_format_terminal_width(text);

	if (right)
		pad(out, width - w);
	/* Labels come from the data: a control byte (an escape sequence) must
	 * not reach the terminal.  The one sanitizer shows it as \xNN, as the
	 * width counted it (format.h). */
	tact_format_terminal(out, text);
	if (!right && !last)
		pad(out, width - w);
}

void tact_table_print(const tact_table *table, FILE *out)
{
	size_t *width = calloc(table->columns + 1, sizeof *width);
	size_t i, r, total = 0;

	if (!width)
		return;
	for (i = 0; i < table->columns; i++)
		width[i] = tact_format_terminal_width(table->headers[i]);
	for (r = 0; r < table->rows; r++)
		for (i = 0; i < table->columns; i++) {
			const char *cell = table->cells[r * table->columns + i];
			size_t w = tact_format_terminal_width(cell);
			if (w > width[i])
				width[i] = w;
		}
	for (i = 0; i < table->columns; i++) {
		if (i)
			fputs("  ", out);
		print_cell(out, table->headers[i], width[i], table->right[i],
		           i + 1 == table->columns);
		total += width[i] + (i ? 2 : 0);
	}
	putc('\n', out);
	for (i = 0; i < total; i++)
		fputs("\xE2\x94\x80", out); /* U+2500, a light horizontal rule */
	putc('\n', out);
	for (r = 0; r < table->rows; r++) {
		if (table->block_start[r] && r > 0)
			putc('\n', out);
		for (i = 0; i < table->columns; i++) {
			if (i)
				fputs("  ", out);
			print_cell(out, table->cells[r * table->columns + i], width[i],
			           table->right[i], i + 1 == table->columns);
		}
		putc('\n', out);
	}
	free(width);
}
