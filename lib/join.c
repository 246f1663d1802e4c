/*
 * join.c - columns of a small CSV attached to an export by a key (see
 * join.h).
 */
#include "join.h"

#include <stdlib.h>
#include <string.h>

#include "csvreader.h"
#include "format.h"
#include "keymap.h"

void tact_join_options_init(tact_join_options *options)
{
	memset(options, 0, sizeof *options);
}

/* The small file in memory: its keys, and per key the cells to attach,
 * NUL-terminated and back to back in text. */
typedef struct table {
	const tact_join_options *options;
	const char *name;           /* the small file, for messages */
	size_t key;                 /* the key's field in the small file */
	size_t *picked;             /* fields attached, in order */
	size_t picked_count;
	const char **names;         /* their names (into text_names) */
	char *text_names;
	tact_keymap keys;
	uint64_t *lines;            /* per key: the line of its row */
	size_t *cells;              /* per key x picked: an offset into text */
	size_t key_capacity;
	char *text;
	size_t text_used, text_capacity;
	unsigned char *used;        /* per key: an export row had it */
	tact_join_counts *counts;
	/* The export, while streaming. */
	const char *export_name;
	size_t export_key;
	FILE *out;
} table;

static void table_release(table *t)
{
	free(t->picked);
	free(t->names);
	free(t->text_names);
	tact_keymap_release(&t->keys);
	free(t->lines);
	free(t->cells);
	free(t->text);
	free(t->used);
}

/* The field of header named name, or (size_t)-1; a name on two fields is
 * TACT_DATA. */
static tact_status find_column(const tact_csv_record *header, const char *name,
                               const char *file, size_t *found,
                               tact_error *error)
{
	size_t i;

	*found = (size_t)-1;
	for (i = 0; i < header->count; i++)
		if (strcmp(header->fields[i], name) == 0) {
			if (*found != (size_t)-1)
				return tact_error_set(error, TACT_DATA, file, header->line,
				                      i + 1, "two columns are named '%s'",
				                      name);
			*found = i;
		}
	return TACT_OK;
}

static tact_status need_column(const tact_csv_record *header, const char *name,
                               const char *file, const char *what,
                               size_t *found, tact_error *error)
{
	char quoted[300];
	tact_status status = find_column(header, name, file, found, error);

	if (status != TACT_OK || *found != (size_t)-1)
		return status;
	tact_error_quote(name, strlen(name), quoted, sizeof quoted);
	return tact_error_set(error, TACT_DATA, file, header->line, 0,
	                      "no column '%s' (%s)", quoted, what);
}

/* The small file's header: the key and the columns to attach. */
static tact_status small_header(table *t, const tact_csv_record *header,
                                tact_error *error)
{
	const tact_join_options *o = t->options;
	size_t i, n = o->columns ? o->column_count : header->count - 1, bytes = 0;
	tact_status status;
	char *at;

	status = need_column(header, o->key, t->name, "the --key column", &t->key,
	                     error);
	if (status != TACT_OK)
		return status;
	t->picked = calloc(n ? n : 1, sizeof *t->picked);
	t->names = calloc(n ? n : 1, sizeof *t->names);
	if (!t->picked || !t->names)
		return tact_error_oom(error);
	for (i = 0; i < header->count && !o->columns; i++)
		if (i != t->key)
			t->picked[t->picked_count++] = i;
	for (i = 0; o->columns && i < n; i++) {
		size_t field, j;
		status = need_column(header, o->columns[i], t->name,
		                     "named in --columns", &field, error);
		if (status != TACT_OK)
			return status;
		if (field == t->key)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--columns names the key '%s': the key is "
			                      "matched on, not attached", o->key);
		for (j = 0; j < t->picked_count; j++)
			if (t->picked[j] == field)
				return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
				                      "--columns names '%s' twice",
				                      o->columns[i]);
		t->picked[t->picked_count++] = field;
	}
	if (t->picked_count == 0)
		return tact_error_set(error, TACT_DATA, t->name, header->line, 0,
		                      "no column to attach: the file holds only the "
		                      "key");
	for (i = 0; i < t->picked_count; i++)
		bytes += header->lengths[t->picked[i]] + 1;
	t->text_names = malloc(bytes);
	if (!t->text_names)
		return tact_error_oom(error);
	for (i = 0, at = t->text_names; i < t->picked_count; i++) {
		size_t length = header->lengths[t->picked[i]];
		memcpy(at, header->fields[t->picked[i]], length);
		at[length] = '\0';
		t->names[i] = at;
		at += length + 1;
	}
	return TACT_OK;
}

/* Room for one more key's line and cells. */
static int grow_keys(table *t, size_t count)
{
	size_t capacity = t->key_capacity ? 2 * t->key_capacity : 1024;
	uint64_t *lines;
	size_t *cells;

	if (count < t->key_capacity)
		return 0;
	lines = realloc(t->lines, capacity * sizeof *lines);
	if (lines)
		t->lines = lines;
	cells = lines ? realloc(t->cells, capacity * t->picked_count * sizeof *cells)
	              : NULL;
	if (!cells)
		return -1;
	t->cells = cells;
	t->key_capacity = capacity;
	return 0;
}

/* Append a cell's bytes and a NUL to text; its offset, or (size_t)-1. */
static size_t keep_text(table *t, const char *bytes, size_t length)
{
	size_t at = t->text_used;

	if (t->text_used + length + 1 > t->text_capacity) {
		size_t capacity = t->text_capacity ? t->text_capacity : 1 << 16;
		char *grown;
		while (capacity < t->text_used + length + 1)
			capacity *= 2;
		grown = realloc(t->text, capacity);
		if (!grown)
			return (size_t)-1;
		t->text = grown;
		t->text_capacity = capacity;
	}
	memcpy(t->text + at, bytes, length);
	t->text[at + length] = '\0';
	t->text_used += length + 1;
	return at;
}

static tact_status small_row(void *context, const tact_csv_record *record,
                             tact_error *error)
{
	table *t = context;
	size_t index, i;
	int added;

	if (record->index == 0)
		return small_header(t, record, error);
	t->counts->small_rows++;
	if (record->lengths[t->key] == 0) {
		t->counts->small_empty_keys++;
		return TACT_OK;
	}
	index = tact_keymap_intern(&t->keys, record->fields[t->key],
	                           record->lengths[t->key], &added);
	if (index == TACT_KEYMAP_NONE)
		return tact_error_oom(error);
	if (!added) /* privacy: the key's value is never shown */
		return tact_error_set(error, TACT_DATA, t->name, record->line,
		                      t->key + 1,
		                      "the key in '%s' repeats the key of line %llu: "
		                      "each key must appear once in the file joined",
		                      t->options->key,
		                      (unsigned long long)t->lines[index]);
	if (grow_keys(t, index) != 0)
		return tact_error_oom(error);
	t->lines[index] = record->line;
	for (i = 0; i < t->picked_count; i++) {
		size_t field = t->picked[i];
		size_t at = keep_text(t, record->fields[field], record->lengths[field]);
		if (at == (size_t)-1)
			return tact_error_oom(error);
		t->cells[index * t->picked_count + i] = at;
	}
	return TACT_OK;
}

static tact_status export_header(table *t, const tact_csv_record *header,
                                 tact_error *error)
{
	tact_format_csv_row row;
	size_t i, found;
	tact_status status;

	status = need_column(header, t->options->key, t->export_name,
	                     "the --key column", &t->export_key, error);
	for (i = 0; status == TACT_OK && i < t->picked_count; i++) {
		status = find_column(header, t->names[i], t->export_name, &found, error);
		if (status == TACT_OK && found != (size_t)-1)
			status = tact_error_set(error, TACT_DATA, t->export_name,
			                        header->line, found + 1,
			                        "the export already has a column '%s': "
			                        "choose the columns to attach with "
			                        "--columns", t->names[i]);
	}
	if (status != TACT_OK)
		return status;
	tact_format_csv_row_begin(&row, t->out);
	for (i = 0; i < header->count; i++)
		tact_format_csv_row_data_text(&row, header->fields[i]);
	for (i = 0; i < t->picked_count; i++)
		tact_format_csv_row_data_text(&row, t->names[i]);
	tact_format_csv_row_end(&row);
	t->counts->started = 1;
	return TACT_OK;
}

static tact_status export_row(void *context, const tact_csv_record *record,
                              tact_error *error)
{
	table *t = context;
	tact_format_csv_row row;
	size_t index = TACT_KEYMAP_NONE, i;

	if (record->index == 0)
		return export_header(t, record, error);
	t->counts->rows++;
	if (record->lengths[t->export_key] > 0)
		index = tact_keymap_find(&t->keys, record->fields[t->export_key],
		                         record->lengths[t->export_key]);
	if (index == TACT_KEYMAP_NONE) {
		t->counts->unmatched++;
		if (t->options->drop_unmatched)
			return TACT_OK;
	} else {
		t->counts->matched++;
		t->used[index] = 1;
	}
	tact_format_csv_row_begin(&row, t->out);
	for (i = 0; i < record->count; i++)
		tact_format_csv_row_data_text(&row, record->fields[i]);
	for (i = 0; i < t->picked_count; i++)
		tact_format_csv_row_data_text(
			&row, index == TACT_KEYMAP_NONE
			              ? NULL
			              : t->text + t->cells[index * t->picked_count + i]);
	tact_format_csv_row_end(&row);
	/* A full disk is found here, not after a long stream. */
	if (ferror(t->out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the joined export");
	return TACT_OK;
}

tact_status tact_join_run(const char *small, const char *export_path,
                          const tact_join_options *options, FILE *out,
                          tact_join_counts *counts, tact_error *error)
{
	table t;
	tact_csv_options csv;
	tact_status status;
	size_t k;

	memset(&t, 0, sizeof t);
	memset(counts, 0, sizeof *counts);
	t.options = options;
	t.name = tact_csv_display_name(small);
	t.export_name = tact_csv_display_name(export_path);
	t.counts = counts;
	t.out = out;
	tact_keymap_init(&t.keys);
	tact_csv_options_init(&csv);
	csv.delimiter = options->delimiter;
	status = tact_csv_read_file(small, &csv, small_row, &t, error);
	if (status == TACT_OK && t.picked_count == 0) /* no header at all */
		status = tact_error_set(error, TACT_DATA, t.name, 0, 0,
		                        "no header: the file is empty");
	if (status == TACT_OK &&
	    !(t.used = calloc(t.keys.count ? t.keys.count : 1, 1)))
		status = tact_error_oom(error);
	if (status == TACT_OK)
		status = tact_csv_read_file(export_path, &csv, export_row, &t, error);
	if (status == TACT_OK) {
		for (k = 0; k < t.keys.count; k++)
			counts->keys_unused += !t.used[k];
		if (ferror(out))
			status = tact_error_set(error, TACT_IOERR, NULL, 0, 0,
			                        "cannot write the joined export");
	}
	table_release(&t);
	return status;
}
