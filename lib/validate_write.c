/*
 * validate_write.c - the data-quality report as readable text or as JSON
 * (see validate.h).  No cell value is written, except arm and segment
 * labels, and not those of a column that holds identifiers.
 */
#include "validate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "table.h"

static tact_status finish(FILE *out, tact_error *error)
{
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the report");
	return TACT_OK;
}

static tact_value_type column_type(const tact_validate_column *c)
{
	if (c->present == 0)
		return TACT_TYPE_EMPTY;
	if (c->booleans == c->present)
		return TACT_TYPE_BOOLEAN;
	if (c->integers == c->present)
		return TACT_TYPE_INTEGER;
	if (c->numbers == c->present)
		return TACT_TYPE_NUMBER;
	return TACT_TYPE_LABEL;
}

/* The type shown: the identifier kind when there is one. */
static const char *type_text(const tact_validate_column *c)
{
	if (c->identifier != TACT_IDENTIFIER_NONE)
		return tact_identifier_kind_key(c->identifier);
	return tact_value_type_name(column_type(c));
}

/* Label indices in byte order, as the other tools list them. */
typedef struct sort_item {
	const char *key;
	size_t length, index;
} sort_item;

static int by_bytes(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->length < y->length ? x->length
	                                                      : y->length);

	return c ? c : (x->length > y->length) - (x->length < y->length);
}

static size_t *sorted_labels(const tact_validate_labels *l)
{
	size_t i, n = l->labels.count;
	size_t *order = malloc((n + 1) * sizeof *order);
	sort_item *items = malloc((n + 1) * sizeof *items);

	if (!order || !items) {
		free(order);
		free(items);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		items[i].key = tact_keymap_key(&l->labels, i, &items[i].length);
		items[i].index = i;
	}
	qsort(items, n, sizeof *items, by_bytes);
	for (i = 0; i < n; i++)
		order[i] = items[i].index;
	free(items);
	return order;
}

/* ---- text ------------------------------------------------------------ */

#define LABELS_SHOWN 20

static int table_labels(const tact_validate *v, const tact_validate_labels *l,
                        const char *title, FILE *out)
{
	size_t i, *order, shown;
	char count[32];

	tact_format_terminal(out, title); /* names from the header */
	putc(':', out);
	if (l->hidden) {
		fputs(" not shown (the column holds direct identifiers)\n", out);
		return 0;
	}
	if (!(order = sorted_labels(l)))
		return -1;
	shown = l->labels.count < LABELS_SHOWN ? l->labels.count : LABELS_SHOWN;
	for (i = 0; i < shown; i++) {
		size_t length, k = order[i];
		const char *key = tact_keymap_key(&l->labels, k, &length);
		char quoted[80];
		tact_error_quote(key, length, quoted, sizeof quoted);
		if (l->suppressed[k] && l->units[k] < v->min_cell)
			snprintf(count, sizeof count, "<%lld", (long long)v->min_cell);
		else if (l->suppressed[k]) /* a complement */
			snprintf(count, sizeof count, "(hidden)");
		else
			tact_format_thousands(count, sizeof count, l->units[k]);
		fprintf(out, "%s %s %s", i ? "," : "", length ? quoted : "(empty)",
		        count);
	}
	if (l->labels.count == 0)
		fputs(" none", out);
	if (l->labels.count > shown)
		fprintf(out, ", and %zu more label%s", l->labels.count - shown,
		        l->labels.count - shown == 1 ? "" : "s");
	if (l->other_labels)
		fprintf(out, "; over %d labels: the others are not listed",
		        TACT_VALIDATE_LABELS_MAX);
	putc('\n', out);
	free(order);
	return 0;
}

static void share(char *out, size_t size, int64_t part, int64_t whole)
{
	if (whole <= 0)
		snprintf(out, size, "-");
	else
		tact_format_fixed(out, size, 100.0 * (double)part / (double)whole, 1);
}

/* A figure for the text table: up to 6 significant digits. */
static const char *short_number(double value, char *buffer, size_t size)
{
	snprintf(buffer, size, "%.6g", value);
	return buffer;
}

/* Minimum, quartiles, 99th percentile and maximum of the numeric columns
 * (tact_validate_spread_shown), with their extreme values. */
static int spread_table(const tact_validate *v, FILE *out)
{
	static const char *const headers[] = {"column", "values", "min", "p25",
	                                      "median", "p75", "p99", "max",
	                                      "extreme", "quantiles"};
	tact_table table;
	size_t i, k, shown = 0;

	if (tact_table_init(&table, 10, headers) != 0)
		return -1;
	for (k = 1; k < 9; k++)
		tact_table_align_right(&table, k);
	for (i = 0; i < v->column_count; i++) {
		const tact_validate_column *c = &v->columns[i];
		const tact_validate_quantiles *q = c->quantiles;
		char name[80], f[8][40];
		const char *cells[10];
		if (!tact_validate_spread_shown(v, c))
			continue;
		tact_error_quote(c->name, strlen(c->name), name, sizeof name);
		cells[0] = name;
		cells[1] = tact_format_thousands(f[0], sizeof f[0], q->count);
		cells[2] = short_number(q->min, f[1], sizeof f[1]);
		cells[3] = short_number(q->q1, f[2], sizeof f[2]);
		cells[4] = short_number(q->median, f[3], sizeof f[3]);
		cells[5] = short_number(q->q3, f[4], sizeof f[4]);
		cells[6] = short_number(q->p99, f[5], sizeof f[5]);
		cells[7] = short_number(q->max, f[6], sizeof f[6]);
		snprintf(f[7], sizeof f[7], "%s%lld", q->approximate && q->extreme ? "~" : "",
		         (long long)q->extreme);
		cells[8] = f[7];
		cells[9] = q->approximate ? "approximate" : "exact";
		if (tact_table_add(&table, cells, 0) != 0) {
			tact_table_release(&table);
			return -1;
		}
		shown++;
	}
	if (shown) {
		tact_table_print(&table, out);
		fprintf(out, "(NumPy's linear quantiles over the rows with consent: "
		             "exact up to %d values, beyond from a random sample of "
		             "that many; min and max always exact; extreme: values "
		             "above %d times the p99)\n\n",
		        TACT_VALIDATE_QUANTILE_EXACT, TACT_VALIDATE_EXTREME);
	}
	tact_table_release(&table);
	return 0;
}

/* The table of columns, then the table of spreads.  -1: out of memory. */
static int columns_table(const tact_validate *v, FILE *out)
{
	static const char *const headers[] = {"column", "type", "role", "missing",
	                                      "distinct"};
	tact_table table;
	size_t i;

	if (tact_table_init(&table, 5, headers) != 0)
		return -1;
	tact_table_align_right(&table, 3);
	tact_table_align_right(&table, 4);
	for (i = 0; i < v->column_count; i++) {
		const tact_validate_column *col = &v->columns[i];
		char name[80], missing[32], distinct[32];
		const char *cells[5];
		tact_error_quote(col->name, strlen(col->name), name, sizeof name);
		if (col->distinct_over)
			snprintf(distinct, sizeof distinct, "over %d",
			         TACT_VALIDATE_DISTINCT_MAX);
		else
			tact_format_thousands(distinct, sizeof distinct, (int64_t)col->distinct.count);
		cells[0] = name;
		cells[1] = type_text(col);
		cells[2] = col->role ? col->role : "";
		cells[3] = tact_format_thousands(missing, sizeof missing, col->missing);
		cells[4] = distinct;
		if (tact_table_add(&table, cells, 0) != 0) {
			tact_table_release(&table);
			return -1;
		}
	}
	tact_table_print(&table, out);
	tact_table_release(&table);
	fputs("(missing and distinct over the rows with consent)\n\n", out);
	return spread_table(v, out);
}

/* Units, then the labels of the arm and of each segment.  -1: out of
 * memory. */
static int units_text(const tact_validate *v, FILE *out)
{
	char a[32], b[32], c[32], d[32], title[160];
	size_t k;

	if (v->map.unit != TACT_NO_COLUMN) {
		char mean[32], safe[TACT_FORMAT_TEXT_MAX];
		tact_format_fixed(mean, sizeof mean,
		                  v->units ? (double)v->rows_counted /
		                                     (double)v->units
		                           : 0.0,
		                  2);
		fprintf(out, "Units ('%s'): %s, from %s rows; %s seen in more than "
		             "one row (sessions per unit: mean %s, max %u); %s in "
		             "more than one arm\n",
		        tact_format_terminal_text(safe, sizeof safe,
		                                  v->map.unit_name),
		        tact_format_thousands(a, sizeof a, v->units),
		        tact_format_thousands(b, sizeof b, v->rows_counted),
		        tact_format_thousands(c, sizeof c, v->units_repeated), mean,
		        (unsigned)v->sessions_max,
		        tact_format_thousands(d, sizeof d, v->units_several_arms));
	} else {
		fprintf(out, "Units: %s (one per row: no unit column)\n",
		        tact_format_thousands(a, sizeof a, v->units));
	}
	snprintf(title, sizeof title, "Arms ('%.100s')", v->map.arm_name);
	if (table_labels(v, &v->arms, title, out))
		return -1;
	for (k = 0; k < v->map.dimensions; k++) {
		snprintf(title, sizeof title, "Segment '%.100s'",
		         v->map.dimension_names[k]);
		if (table_labels(v, &v->segments[k], title, out))
			return -1;
	}
	return 0;
}

static void consent_text(const tact_validate *v, FILE *out)
{
	char a[32], b[32], c[32], d[32];
	char s1[32], s2[32], s3[32], safe[TACT_FORMAT_TEXT_MAX];
	int64_t all;

	if (v->map.consent == TACT_NO_COLUMN) {
		if (v->column_count > 0)
			fputs("Consent: no consent column (every row counts)\n", out);
		return;
	}
	all = v->consent_yes + v->consent_no + v->consent_missing +
	      v->consent_bad;
	share(s1, sizeof s1, v->consent_yes, all);
	share(s2, sizeof s2, v->consent_no, all);
	share(s3, sizeof s3, v->consent_missing, all);
	fprintf(out, "Consent ('%s'): %s with (%s%%), %s without (%s%%), %s "
	             "missing (%s%%)",
	        tact_format_terminal_text(safe, sizeof safe,
	                                  v->columns[v->map.consent].name),
	        tact_format_thousands(a, sizeof a, v->consent_yes), s1,
	        tact_format_thousands(b, sizeof b, v->consent_no), s2,
	        tact_format_thousands(c, sizeof c, v->consent_missing), s3);
	if (v->consent_bad)
		fprintf(out, ", %s unreadable", tact_format_thousands(d, sizeof d, v->consent_bad));
	fputs("; rows without consent count nowhere else\n", out);
}

/* --where: the rows it dropped (only when given). */
static void where_text(const tact_validate *v, FILE *out)
{
	char a[32], b[32], safe[TACT_FORMAT_TEXT_MAX];

	if (!v->options->where)
		return;
	fprintf(out, "Filter (--where \"%s\"): %s rows dropped",
	        tact_format_terminal_text(safe, sizeof safe,
	                                  v->options->where->texts[0]),
	        tact_format_thousands(a, sizeof a, v->rows_excluded_where));
	if (v->where_unreadable)
		fprintf(out, " (%s for a cell that is not a number where it "
		             "compares numbers)",
		        tact_format_thousands(b, sizeof b, v->where_unreadable));
	fputs("; they count nowhere else\n", out);
}

static void identifiers_text(const tact_validate *v, FILE *out)
{
	size_t i, k;

	fputs("Identifiers:", out);
	for (i = 0, k = 0; i < v->column_count; i++) {
		const tact_validate_column *col = &v->columns[i];
		char name[80];
		if (col->identifier == TACT_IDENTIFIER_NONE)
			continue;
		tact_error_quote(col->name, strlen(col->name), name, sizeof name);
		fprintf(out, "%s '%s' (%s, by %s%s%s)", k++ ? "," : "", name,
		        tact_identifier_kind_text(col->identifier),
		        tact_identifier_reason_text(col->reason),
		        col->role ? "; role " : "", col->role ? col->role : "");
	}
	fputs(k ? "\n" : " none found\n", out);
}

static void problems_text(const tact_validate *v, FILE *out)
{
	char a[32];
	size_t i, k;

	fputs("\nProblems:", out);
	if (v->problem_count == 0)
		fputs(" none\n", out);
	else
		putc('\n', out);
	for (i = 0; i < v->problem_count; i++) {
		const tact_validate_problem *p = &v->problems[i];
		fprintf(out, "  %s: %s", p->severity == TACT_VALIDATE_ERROR ? "error"
		                                                           : "warning",
		        p->message);
		if (p->count > 0 && p->positions_shown > 0)
			fprintf(out, " (%s %s, first at", tact_format_thousands(a, sizeof a, p->count),
			        p->count == 1 ? "cell" : "cells");
		else if (p->positions_shown > 0)
			fputs(" (at", out);
		for (k = 0; k < p->positions_shown; k++)
			fprintf(out, "%s line %llu field %llu", k ? "," : "",
			        (unsigned long long)p->positions[k].line,
			        (unsigned long long)p->positions[k].column);
		if (p->positions_shown > 0)
			putc(')', out);
		putc('\n', out);
	}
	putc('\n', out);
}

tact_status tact_validate_write_table(const tact_validate *v, FILE *out,
                                      tact_error *error)
{
	char a[32];

	tact_format_terminal(out, v->file);
	fprintf(out, ": %s data rows, %zu columns",
	        tact_format_thousands(a, sizeof a, v->rows), v->column_count);
	if (v->delimiter)
		fprintf(out, ", delimiter '%s'", v->delimiter == '\t' ? "tab"
		        : v->delimiter == ';' ? ";" : ",");
	fputs("\n\n", out);
	if ((v->column_count > 0 && columns_table(v, out) != 0) ||
	    (v->mapped && units_text(v, out) != 0))
		return tact_error_oom(error);
	where_text(v, out);
	consent_text(v, out);
	identifiers_text(v, out);
	problems_text(v, out);
	if (v->errors)
		fprintf(out, "%zu error%s, %zu warning%s: tact-summarize would stop "
		             "on this export (exit 65)\n",
		        v->errors, v->errors == 1 ? "" : "s", v->warnings,
		        v->warnings == 1 ? "" : "s");
	else
		fprintf(out, "No error (%zu warning%s): tact-summarize reads this "
		             "export\n",
		        v->warnings, v->warnings == 1 ? "" : "s");
	return finish(out, error);
}

/* ---- JSON ------------------------------------------------------------ */

static int json_labels(const tact_validate *v, const tact_validate_labels *l,
                       const char *column, FILE *out)
{
	size_t i, *order;
	int first = 1;

	putc('{', out);
	tact_format_json_string_field(out, "column", column, &first);
	tact_format_json_key(out, "shown", &first);
	fputs(l->hidden ? "false" : "true", out);
	tact_format_json_key(out, "labels", &first);
	putc('[', out);
	if (!l->hidden) {
		if (!(order = sorted_labels(l)))
			return -1;
		for (i = 0; i < l->labels.count; i++) {
			size_t length, k = order[i];
			const char *text = tact_keymap_key(&l->labels, k, &length);
			char *label = strndup(text, length);
			int f = 1;
			if (!label) {
				free(order);
				return -1;
			}
			if (i)
				putc(',', out);
			putc('{', out);
			tact_format_json_string_field(out, "label", label, &f);
			tact_format_json_number_field(out, "units", l->suppressed[k] ? NAN : (double)l->units[k], &f);
			tact_format_json_key(out, "suppressed", &f);
			fputs(l->suppressed[k] ? "true" : "false", out);
			putc('}', out);
			free(label);
		}
		free(order);
	}
	putc(']', out);
	tact_format_json_number_field(out, "labels_not_listed", (double)l->other_labels, &first);
	tact_format_json_number_field(out, "units_with_identifier_like_labels",
	     (double)l->identifier_labels, &first);
	putc('}', out);
	(void)v;
	return 0;
}

/* A numeric column's spread, or null when it is not shown. */
static void json_spread(const tact_validate *v, const tact_validate_column *c,
                        FILE *out)
{
	const tact_validate_quantiles *q = c->quantiles;
	int g = 1;

	if (!tact_validate_spread_shown(v, c)) {
		fputs("null", out);
		return;
	}
	putc('{', out);
	tact_format_json_number_field(out, "count", (double)q->count, &g);
	tact_format_json_string_field(out, "method", q->approximate ? "approximate" : "exact", &g);
	tact_format_json_number_field(out, "min", q->min, &g);
	tact_format_json_number_field(out, "p25", q->q1, &g);
	tact_format_json_number_field(out, "median", q->median, &g);
	tact_format_json_number_field(out, "p75", q->q3, &g);
	tact_format_json_number_field(out, "p99", q->p99, &g);
	tact_format_json_number_field(out, "max", q->max, &g);
	tact_format_json_number_field(out, "extreme", (double)q->extreme, &g);
	putc('}', out);
}

static void json_column(const tact_validate *v, const tact_validate_column *c,
                        FILE *out)
{
	int f = 1;

	putc('{', out);
	tact_format_json_string_field(out, "name", c->name, &f);
	tact_format_json_string_field(out, "type", type_text(c), &f);
	tact_format_json_string_field(out, "role", c->role, &f);
	tact_format_json_number_field(out, "present", (double)c->present, &f);
	tact_format_json_number_field(out, "missing", (double)c->missing, &f);
	tact_format_json_number_field(out, "distinct", c->distinct_over ? NAN : (double)c->distinct.count,
	     &f);
	tact_format_json_number_field(out, "distinct_over",
	     c->distinct_over ? TACT_VALIDATE_DISTINCT_MAX : NAN, &f);
	tact_format_json_string_field(out, "identifier",
	     c->identifier ? tact_identifier_kind_key(c->identifier) : NULL, &f);
	tact_format_json_string_field(out, "identifier_reason",
	     c->identifier ? tact_identifier_reason_text(c->reason) : NULL, &f);
	tact_format_json_key(out, "spread", &f);
	json_spread(v, c, out);
	putc('}', out);
}

static void json_units(const tact_validate *v, FILE *out)
{
	int f = 1;
	const int by_unit = v->mapped && v->map.unit != TACT_NO_COLUMN;

	putc('{', out);
	tact_format_json_string_field(out, "column", by_unit ? v->map.unit_name : NULL, &f);
	tact_format_json_number_field(out, "units", v->mapped ? (double)v->units : NAN, &f);
	tact_format_json_number_field(out, "rows", v->mapped ? (double)v->rows_counted : NAN, &f);
	tact_format_json_number_field(out, "repeated", by_unit ? (double)v->units_repeated : NAN, &f);
	tact_format_json_number_field(out, "sessions_mean",
	     by_unit && v->units ? (double)v->rows_counted / (double)v->units
	                         : NAN, &f);
	tact_format_json_number_field(out, "sessions_max", by_unit ? (double)v->sessions_max : NAN, &f);
	tact_format_json_number_field(out, "in_several_arms",
	     by_unit ? (double)v->units_several_arms : NAN, &f);
	putc('}', out);
}

static void json_consent(const tact_validate *v, FILE *out)
{
	int f = 1;
	const int has = v->map.consent != TACT_NO_COLUMN;

	putc('{', out);
	tact_format_json_string_field(out, "column", has ? v->columns[v->map.consent].name : NULL, &f);
	tact_format_json_number_field(out, "with", has ? (double)v->consent_yes : NAN, &f);
	tact_format_json_number_field(out, "without", has ? (double)v->consent_no : NAN, &f);
	tact_format_json_number_field(out, "missing", has ? (double)v->consent_missing : NAN, &f);
	tact_format_json_number_field(out, "unreadable", has ? (double)v->consent_bad : NAN, &f);
	putc('}', out);
}

static void json_identifiers(const tact_validate *v, FILE *out)
{
	size_t i, k;

	putc('[', out);
	for (i = 0, k = 0; i < v->column_count; i++) {
		const tact_validate_column *c = &v->columns[i];
		int f = 1;
		if (c->identifier == TACT_IDENTIFIER_NONE)
			continue;
		if (k++)
			putc(',', out);
		putc('{', out);
		tact_format_json_string_field(out, "column", c->name, &f);
		tact_format_json_string_field(out, "kind", tact_identifier_kind_key(c->identifier), &f);
		tact_format_json_string_field(out, "reason", tact_identifier_reason_text(c->reason), &f);
		tact_format_json_string_field(out, "role", c->role, &f);
		putc('}', out);
	}
	putc(']', out);
}

static void json_problem(const tact_validate_problem *p, FILE *out)
{
	size_t k;
	int f = 1;

	putc('{', out);
	tact_format_json_string_field(out, "severity",
	     p->severity == TACT_VALIDATE_ERROR ? "error" : "warning", &f);
	tact_format_json_string_field(out, "message", p->message, &f);
	tact_format_json_number_field(out, "count", p->count > 0 ? (double)p->count : NAN, &f);
	tact_format_json_key(out, "positions", &f);
	putc('[', out);
	for (k = 0; k < p->positions_shown; k++) {
		int g = 1;
		if (k)
			putc(',', out);
		putc('{', out);
		tact_format_json_number_field(out, "line", (double)p->positions[k].line, &g);
		tact_format_json_number_field(out, "field", (double)p->positions[k].column, &g);
		putc('}', out);
	}
	putc(']', out);
	putc('}', out);
}

tact_status tact_validate_write_json(const tact_validate *v, FILE *out,
                                     tact_error *error)
{
	char delimiter[2] = {v->delimiter, '\0'};
	size_t i, k;
	int first = 1;

	putc('{', out);
	tact_format_json_string_field(out, "file", v->file, &first);
	tact_format_json_string_field(out, "delimiter", v->delimiter ? delimiter : NULL, &first);
	tact_format_json_number_field(out, "rows", (double)v->rows, &first);
	tact_format_json_number_field(out, "min_cell", (double)v->min_cell, &first);
	tact_format_json_key(out, "status", &first);
	tact_format_json_string(out, v->errors ? "errors" : "clean");
	tact_format_json_number_field(out, "errors", (double)v->errors, &first);
	tact_format_json_number_field(out, "warnings", (double)v->warnings, &first);
	tact_format_json_key(out, "columns", &first);
	putc('[', out);
	for (i = 0; i < v->column_count; i++) {
		if (i)
			putc(',', out);
		putc('\n', out);
		json_column(v, &v->columns[i], out);
	}
	putc(']', out);
	tact_format_json_key(out, "units", &first);
	json_units(v, out);
	tact_format_json_key(out, "arms", &first);
	if (!v->mapped)
		fputs("null", out);
	else if (json_labels(v, &v->arms, v->map.arm_name, out))
		return tact_error_oom(error);
	tact_format_json_key(out, "segments", &first);
	putc('[', out);
	for (k = 0; v->mapped && k < v->map.dimensions; k++) {
		if (k)
			putc(',', out);
		if (json_labels(v, &v->segments[k], v->map.dimension_names[k], out))
			return tact_error_oom(error);
	}
	putc(']', out);
	if (v->options->where) {
		int f = 1;
		tact_format_json_key(out, "where", &first);
		putc('{', out);
		tact_format_json_string_field(out, "condition",
		                              v->options->where->texts[0], &f);
		tact_format_json_number_field(out, "rows_dropped",
		                              (double)v->rows_excluded_where, &f);
		tact_format_json_number_field(out, "rows_unreadable",
		                              (double)v->where_unreadable, &f);
		putc('}', out);
	}
	tact_format_json_key(out, "consent", &first);
	json_consent(v, out);
	tact_format_json_key(out, "identifiers", &first);
	json_identifiers(v, out);
	tact_format_json_key(out, "problems", &first);
	putc('[', out);
	for (i = 0; i < v->problem_count; i++) {
		if (i)
			putc(',', out);
		putc('\n', out);
		json_problem(&v->problems[i], out);
	}
	fputs("]}\n", out);
	return finish(out, error);
}
