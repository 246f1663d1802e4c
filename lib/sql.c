/*
 * sql.c - the summarize step as one SQL statement (see sql.h).
 *
 * The statement has one shape in every dialect; only spellings differ
 * (quoting, casts, the names of the variance functions, the byte-order
 * collation).  Its parts, as common table expressions, each used once (so
 * no engine reads the table twice, and PostgreSQL materializes nothing):
 *
 *   tact_rows    one row per table row: the consent flag (1 or 0), the
 *                labels and the arm as text, each metric as a double (NULL
 *                when missing), each covariate (--covariate) as a metric
 *                after the others, a missing cell 0 with a flag tact_v<j>
 *                (sql_covariate.h; folded as the first session's);
 *   tact_ranked, tact_units (with a unit column) sessions ranked within
 *                their unit, then folded into one row per unit;
 *   tact_cells   the one aggregation, per consent x labels x arm: units,
 *                per metric n/sum/m2 (and for 0/1 candidates whether every
 *                value is 0 or 1), per pair n/sum_a/sum_b/c; the cells
 *                without consent are only counted in the end; with
 *                segments, by grouping sets, the pooled cells per arm;
 *   tact_totals  each cell with the meta values, window aggregates over
 *                the few cells (rows read, rows without consent, whether
 *                the control arm occurs, the binary flags), and one cell
 *                marked to carry the meta rows;
 *   tact_kinds   the kinds of output row: the header (--header-row), the
 *                meta rows in the order tact-summarize writes them, the
 *                groups (1000) and the pooled rows (1001);
 *
 * then cells x kinds, keeping the consented cells as group rows and the
 * marked cell once per meta row, every column as text (the meta rows put a
 * key and a value where group rows have labels and counts), ordered by the
 * kind, the labels and the arm.
 */
#include "sql.h"

#include "privacy.h"
#include "sql_covariate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL cuts identifiers at NAMEDATALEN - 1 bytes. */
#define POSTGRES_NAME_MAX 63

static const char *const metric_stats[] = {"n", "sum", "m2"};
static const char *const pair_stats[] = {"n", "sum_a", "sum_b", "c"};

/* ---- a growing string ---------------------------------------------- */

typedef struct text {
	char *data;
	size_t length, capacity;
	int failed;      /* out of memory: later appends do nothing */
} text;

static void text_append(text *t, const char *s, size_t length)
{
	if (t->failed)
		return;
	if (t->length + length + 1 > t->capacity) {
		size_t capacity = t->capacity ? t->capacity : 1024;
		char *data;
		while (t->length + length + 1 > capacity)
			capacity *= 2;
		data = realloc(t->data, capacity);
		if (!data) {
			t->failed = 1;
			return;
		}
		t->data = data;
		t->capacity = capacity;
	}
	memcpy(t->data + t->length, s, length);
	t->length += length;
	t->data[t->length] = '\0';
}

static void text_puts(text *t, const char *s)
{
	text_append(t, s, strlen(s));
}

static void text_printf(text *t, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void text_printf(text *t, const char *format, ...)
{
	char small[512];
	va_list args;
	int n;

	va_start(args, format);
	n = vsnprintf(small, sizeof small, format, args);
	va_end(args);
	if (n < 0) {
		t->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		text_append(t, small, (size_t)n);
		return;
	}
	{
		char *big = malloc((size_t)n + 1);
		if (!big) {
			t->failed = 1;
			return;
		}
		va_start(args, format);
		vsnprintf(big, (size_t)n + 1, format, args);
		va_end(args);
		text_append(t, big, (size_t)n);
		free(big);
	}
}

/* The string built, or NULL (and the buffer freed) when out of memory. */
static char *text_finish(text *t)
{
	if (t->failed || !t->data) {
		free(t->data);
		t->data = NULL;
		return NULL;
	}
	return t->data;
}

/* ---- dialects ------------------------------------------------------ */

typedef struct dialect_spelling {
	const char *name;
	const char *to_text;     /* printf format, one %s: any value as text */
	const char *to_double;   /* a numeric (or numeric text) as a double */
	const char *float_text;  /* a double as text that reads back exactly */
	const char *trim;        /* spaces off both ends */
	const char *var_pop;     /* population variance, stable */
	const char *covar_pop;   /* population covariance, stable */
	const char *collate;     /* after a sort key: bytewise order */
	const char *pad;         /* an empty field in a meta row */
	const char *row_key;     /* printf format, one %d: the row key */
} dialect_spelling;

static const dialect_spelling spellings[] = {
	[TACT_SQL_POSTGRES] = {
		"postgres", "CAST(%s AS text)", "CAST(%s AS double precision)",
		/* float8 output is the shortest exact form since PostgreSQL 12
		 * (extra_float_digits = 1, the default). */
		"CAST(%s AS text)", "TRIM(%s)", "VAR_POP", "COVAR_POP",
		" COLLATE \"C\"", "CAST(NULL AS text)", "%d"},
	[TACT_SQL_CLICKHOUSE] = {
		/* toString keeps NULL; a NULL output field would be written \N in
		 * ClickHouse's CSV, so meta rows are padded with ''. */
		"clickhouse", "toString(%s)", "CAST(%s AS Nullable(Float64))",
		"toString(%s)", "trimBoth(%s)", "varPopStable", "covarPopStable",
		"", "''", "toInt32(%d)"},
	[TACT_SQL_BIGQUERY] = {
		/* CAST(FLOAT64 AS STRING) is documented as approximate: 17
		 * significant digits always read back exactly. */
		"bigquery", "CAST(%s AS STRING)", "CAST(%s AS FLOAT64)",
		"FORMAT('%%.17g', %s)", "TRIM(%s)", "VAR_POP", "COVAR_POP", "",
		"CAST(NULL AS STRING)", "%d"},
	[TACT_SQL_SPARK] = {
		"spark", "CAST(%s AS STRING)", "CAST(%s AS DOUBLE)",
		"CAST(%s AS STRING)", "TRIM(%s)", "VAR_POP", "COVAR_POP", "",
		"CAST(NULL AS STRING)", "%d"},
	[TACT_SQL_DUCKDB] = {
		/* DOUBLE to VARCHAR is the shortest exact form; text compares
		 * bytewise unless a collation is asked for. */
		"duckdb", "CAST(%s AS VARCHAR)", "CAST(%s AS DOUBLE)",
		"CAST(%s AS VARCHAR)", "TRIM(%s)", "VAR_POP", "COVAR_POP", "",
		"CAST(NULL AS VARCHAR)", "%d"},
};

int tact_sql_dialect_parse(const char *name, tact_sql_dialect *dialect)
{
	static const struct { const char *name; tact_sql_dialect dialect; } names[] = {
		{"postgres", TACT_SQL_POSTGRES},     {"postgresql", TACT_SQL_POSTGRES},
		{"clickhouse", TACT_SQL_CLICKHOUSE}, {"bigquery", TACT_SQL_BIGQUERY},
		{"spark", TACT_SQL_SPARK},           {"sparksql", TACT_SQL_SPARK},
		{"duckdb", TACT_SQL_DUCKDB},
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i].name) == 0) {
			*dialect = names[i].dialect;
			return 0;
		}
	}
	return -1;
}

const char *tact_sql_dialect_name(tact_sql_dialect dialect)
{
	return spellings[dialect].name;
}

/* Append s with each byte that needs it escaped.  doubled: the quote is
 * written twice (SQL standard); otherwise backslash escapes. */
static void append_quoted(text *t, const char *s, char quote, int doubled)
{
	text_append(t, &quote, 1);
	for (; *s; s++) {
		char c = *s;
		if (doubled) {
			if (c == quote)
				text_append(t, &quote, 1);
			text_append(t, s, 1);
			continue;
		}
		switch (c) {
		case '\\':
			text_puts(t, "\\\\");
			break;
		case '\n':
			text_puts(t, "\\n");
			break;
		case '\r':
			text_puts(t, "\\r");
			break;
		case '\t':
			text_puts(t, "\\t");
			break;
		default:
			if (c == quote)
				text_puts(t, "\\");
			text_append(t, s, 1);
		}
	}
	text_append(t, &quote, 1);
}

static void append_identifier(text *t, tact_sql_dialect dialect,
                              const char *name)
{
	switch (dialect) {
	case TACT_SQL_POSTGRES:
	case TACT_SQL_DUCKDB:
		append_quoted(t, name, '"', 1);
		break;
	case TACT_SQL_SPARK:
		/* Spark's backquoted identifiers know no backslash escapes. */
		append_quoted(t, name, '`', 1);
		break;
	case TACT_SQL_CLICKHOUSE:
	case TACT_SQL_BIGQUERY:
		append_quoted(t, name, '`', 0);
		break;
	}
}

static void append_string(text *t, tact_sql_dialect dialect, const char *s)
{
	/* PostgreSQL's and DuckDB's standard strings take a backslash
	 * literally. */
	append_quoted(t, s, '\'', dialect == TACT_SQL_POSTGRES ||
	                          dialect == TACT_SQL_DUCKDB);
}

char *tact_sql_quote_identifier(tact_sql_dialect dialect, const char *name)
{
	text t = {0};

	append_identifier(&t, dialect, name);
	return text_finish(&t);
}

char *tact_sql_quote_string(tact_sql_dialect dialect, const char *s)
{
	text t = {0};

	append_string(&t, dialect, s);
	return text_finish(&t);
}

/* ---- roles --------------------------------------------------------- */

/* Add name to fields unless already there. */
static int add_field(char **fields, size_t *lengths, size_t *count,
                     const char *name)
{
	size_t i;

	if (!*name)
		return 0;
	for (i = 0; i < *count; i++)
		if (strcmp(fields[i], name) == 0)
			return 0;
	fields[*count] = (char *)name;
	lengths[*count] = strlen(name);
	(*count)++;
	return 1;
}

/*
 * The roles resolved against the table's columns: the given list, or,
 * without one, the role columns themselves (each once, so that a column
 * named for two roles is reported as such).
 */
static tact_status resolve_roles(const tact_roles_spec *spec,
                                 const tact_sql_options *options,
                                 const tact_sql_covariates *covariates,
                                 tact_column_map *map, char ***names,
                                 size_t *names_count, tact_error *error)
{
	size_t count = 0, capacity, i;
	char **fields;
	size_t *lengths;
	tact_status status;

	if (options->columns) {
		capacity = options->columns->count;
		fields = options->columns->items;
		lengths = calloc(capacity + 1, sizeof *lengths);
		if (!lengths)
			return tact_error_oom(error);
		for (i = 0; i < capacity; i++)
			lengths[i] = strlen(fields[i]);
		count = capacity;
	} else {
		capacity = 4 + spec->by.count + spec->goal.count +
		           spec->annoyance.count + spec->value.count +
		           covariates->count;
		fields = calloc(capacity, sizeof *fields);
		lengths = calloc(capacity, sizeof *lengths);
		if (!fields || !lengths) {
			free(fields);
			free(lengths);
			return tact_error_oom(error);
		}
		add_field(fields, lengths, &count, spec->arm);
		for (i = 0; i < spec->by.count; i++)
			add_field(fields, lengths, &count, spec->by.items[i]);
		for (i = 0; i < spec->goal.count; i++)
			add_field(fields, lengths, &count, spec->goal.items[i]);
		for (i = 0; i < spec->annoyance.count; i++)
			add_field(fields, lengths, &count, spec->annoyance.items[i]);
		for (i = 0; i < spec->value.count; i++)
			add_field(fields, lengths, &count, spec->value.items[i]);
		add_field(fields, lengths, &count, spec->exposures);
		add_field(fields, lengths, &count, spec->consent);
		/* The unit default is not assumed: only a named one. */
		if (spec->unit_set)
			add_field(fields, lengths, &count, spec->unit);
	}
	status = tact_roles_resolve(spec, fields, lengths, count, NULL, map,
	                            error);
	if (status != TACT_OK) {
		free(lengths);
		if (!options->columns)
			free(fields);
		/* The columns are the command line's, not a file's header. */
		if (error && status == TACT_DATA) {
			char *header = strstr(error->message, "the header has:");
			error->status = TACT_USAGE;
			error->line = 0;
			error->column = 0;
			if (header) {
				char rest[TACT_ERROR_MESSAGE_MAX];
				snprintf(rest, sizeof rest, "%s",
				         header + strlen("the header has:"));
				snprintf(header, sizeof error->message -
				         (size_t)(header - error->message), "%s:%s",
				         options->columns ? "--columns lists"
				                          : "the columns assumed are",
				         rest);
			}
		}
		return status == TACT_DATA ? TACT_USAGE : status;
	}
	/* The covariates after the roles are resolved, so that none becomes a
	 * default role (a covariate named visitor_id is not the unit). */
	if (!options->columns)
		for (i = 0; i < covariates->count; i++)
			add_field(fields, lengths, &count, covariates->names[i]);
	free(lengths);
	*names = fields;   /* map columns index into these */
	*names_count = count;
	return TACT_OK;
}

/* ---- the statement ------------------------------------------------- */

/* One metric of the statement: the map's, then the covariates. */
typedef struct sql_metric {
	const char *name;
	size_t column;            /* index into the builder's columns */
	const char *word;         /* the header's role word */
	int rate;                 /* a goal or annoyance: 0/1 candidate */
	size_t covariate;         /* the covariate's index, or TACT_NO_COLUMN */
} sql_metric;

typedef struct builder {
	text t;
	tact_sql_dialect dialect;
	const dialect_spelling *d;
	const tact_column_map *map;
	char *const *columns;     /* column names, indexed by the map */
	size_t width;             /* output columns */
	int by_unit;              /* sessions folded into units */
	const char *order_by;     /* the sessions' order column, or NULL */
	int drop_mixed;           /* units in several arms dropped: their
	                             consent becomes 2 in tact_units, so that
	                             they are counted but make no group */
	size_t binary_kind;       /* the kind of the first binary: meta row */
	size_t metrics;           /* the map's metrics, then the covariates */
	sql_metric *m;
	const tact_sql_covariates *covariates;
	size_t covariate_kind;    /* the kind of the first covariate:METRIC
	                             meta row (covariate_missing follow) */
} builder;

static void put_format(builder *b, const char *format, const char *argument)
{
	text_printf(&b->t, format, argument);
}

static void put_identifier(builder *b, const char *name)
{
	append_identifier(&b->t, b->dialect, name);
}

static void put_string(builder *b, const char *s)
{
	append_string(&b->t, b->dialect, s);
}

/* The column with this map index, quoted. */
static char *column(const builder *b, size_t index)
{
	return tact_sql_quote_identifier(b->dialect, b->columns[index]);
}

/* LOWER(TRIM(<to_text>(quoted))), a string the caller frees (NULL when out
 * of memory). */
static char *lowered_text(const builder *b, const char *quoted)
{
	text t = {0}, inner = {0};

	text_printf(&inner, b->d->to_text, quoted);
	if (!text_finish(&inner))
		return NULL;
	{
		text trimmed = {0};
		text_printf(&trimmed, b->d->trim, inner.data);
		free(inner.data);
		if (!text_finish(&trimmed))
			return NULL;
		text_printf(&t, "LOWER(%s)", trimmed.data);
		free(trimmed.data);
	}
	return text_finish(&t);
}

/* The column with this map index, quoted, as text.  Returns 0, or -1 (and
 * the statement marked failed) when out of memory. */
static int put_column_text(builder *b, size_t index)
{
	char *quoted = column(b, index);

	if (!quoted) {
		b->t.failed = 1;
		return -1;
	}
	put_format(b, b->d->to_text, quoted);
	free(quoted);
	return 0;
}

/*
 * Metric i, a covariate (quoted: its column), in tact_rows: whether the
 * cell is missing (NULL, or in Spark a text that is not a number), then
 * its value with a missing cell as 0 (FORMAT: GrowthBook's convention),
 * left for the caller to name tact_m<i+1>.
 */
static void put_covariate_row(builder *b, const char *quoted, size_t i)
{
	text_puts(&b->t, "CASE WHEN ");
	put_format(b, b->d->to_double, quoted);
	text_printf(&b->t, " IS NULL THEN 1 ELSE 0 END AS tact_v%zu,\n    "
	            "COALESCE(", b->m[i].covariate + 1);
	put_format(b, b->d->to_double, quoted);
	text_puts(&b->t, ", 0)");
}

/* The tact_rows CTE. */
static void put_rows(builder *b, const char *table)
{
	const tact_column_map *map = b->map;
	size_t i;
	char *quoted, *lowered;

	text_puts(&b->t, "WITH tact_rows AS (\n  SELECT\n");
	if (map->consent != TACT_NO_COLUMN) {
		quoted = column(b, map->consent);
		lowered = quoted ? lowered_text(b, quoted) : NULL;
		if (!lowered)
			b->t.failed = 1;
		else
			text_printf(&b->t, "    CASE WHEN %s IN ('1', 'true', 'yes') "
			            "THEN 1 ELSE 0 END AS tact_consent,\n", lowered);
		free(quoted);
		free(lowered);
	} else {
		text_puts(&b->t, "    1 AS tact_consent,\n");
	}
	for (i = 0; i < map->dimensions; i++) {
		text_puts(&b->t, "    COALESCE(");
		if (put_column_text(b, map->dimension_columns[i]) != 0)
			return;
		text_printf(&b->t, ", '') AS tact_s%zu,\n", i + 1);
	}
	text_puts(&b->t, "    COALESCE(");
	if (put_column_text(b, map->arm) != 0)
		return;
	text_puts(&b->t, ", '') AS tact_arm");
	for (i = 0; i < b->metrics; i++) {
		quoted = column(b, b->m[i].column);
		if (!quoted) {
			b->t.failed = 1;
			return;
		}
		text_puts(&b->t, ",\n    ");
		if (b->m[i].covariate != TACT_NO_COLUMN) {
			put_covariate_row(b, quoted, i);
		} else if (b->m[i].rate) {
			/* Through the text form, so that numbers, booleans and
			 * 0/1/true/false/yes/no text all read as tact reads a cell. */
			text inner = {0};
			lowered = lowered_text(b, quoted);
			if (!lowered) {
				free(quoted);
				b->t.failed = 1;
				return;
			}
			text_printf(&inner, "NULLIF(CASE %s WHEN 'true' THEN '1' "
			            "WHEN 'yes' THEN '1' WHEN 'false' THEN '0' "
			            "WHEN 'no' THEN '0' ELSE %s END, '')",
			            lowered, lowered);
			free(lowered);
			if (!text_finish(&inner)) {
				free(quoted);
				b->t.failed = 1;
				return;
			}
			put_format(b, b->d->to_double, inner.data);
			free(inner.data);
		} else {
			put_format(b, b->d->to_double, quoted);
		}
		text_printf(&b->t, " AS tact_m%zu", i + 1);
		free(quoted);
	}
	if (b->by_unit) {
		text_puts(&b->t, ",\n    ");
		if (put_column_text(b, map->unit) != 0)
			return;
		text_puts(&b->t, " AS tact_unit");
		if (b->order_by) {
			/* As typed: a time orders as a time, a number as a number. */
			text_puts(&b->t, ",\n    ");
			put_identifier(b, b->order_by);
			text_puts(&b->t, " AS tact_order");
		}
	}
	text_printf(&b->t, "\n  FROM %s\n),\n", table);
}

/*
 * With a unit column, the tact_ranked and tact_units CTEs: each session
 * ranked within its unit (the order column, NULL last, then the labels
 * and the arm bytewise: rank 1 is the first session), then one row per
 * unit with its first session's labels and arm, its outcomes' largest,
 * its values' sums, its sessions and whether they hold several arms.
 * Sessions without consent are not folded (tact-summarize leaves them out
 * before folding): they make one row, only counted.
 * The columns are renamed on the way (tact_x_...): ClickHouse resolves an
 * alias inside its own defining expression.
 */
static void put_units(builder *b)
{
	const tact_column_map *map = b->map;
	size_t i;

	text_puts(&b->t, b->drop_mixed ? "tact_ranked AS (\n  SELECT\n"
	                 "    tact_consent AS tact_x_consent,\n    tact_unit,\n"
	                 : "tact_ranked AS (\n  SELECT\n"
	                 "    tact_consent,\n    tact_unit,\n");
	for (i = 0; i < map->dimensions; i++)
		text_printf(&b->t, "    tact_s%zu AS tact_x_s%zu,\n", i + 1, i + 1);
	text_puts(&b->t, "    tact_arm AS tact_x_arm,\n");
	for (i = 0; i < b->metrics; i++)
		text_printf(&b->t, "    tact_m%zu AS tact_x_m%zu,\n", i + 1, i + 1);
	for (i = 0; b->covariates && i < b->covariates->count; i++)
		text_printf(&b->t, "    tact_v%zu AS tact_x_v%zu,\n", i + 1, i + 1);
	text_puts(&b->t, "    row_number() OVER (PARTITION BY tact_consent, "
	                 "tact_unit ORDER BY ");
	if (b->order_by)
		text_puts(&b->t, "CASE WHEN tact_order IS NULL THEN 1 ELSE 0 END, "
		                 "tact_order, ");
	for (i = 0; i < map->dimensions; i++)
		text_printf(&b->t, "tact_s%zu%s, ", i + 1, b->d->collate);
	text_printf(&b->t, "tact_arm%s) AS tact_rank\n  FROM tact_rows\n),\n",
	            b->d->collate);
	/* Dropped units (several arms) as consent 2; renamed columns only:
	 * ClickHouse would read an alias inside its own definition. */
	text_puts(&b->t, b->drop_mixed ? "tact_units AS (\n  SELECT\n"
	                 "    CASE WHEN tact_x_consent = 1 AND MIN(tact_x_arm) <> "
	                 "MAX(tact_x_arm) THEN 2 ELSE tact_x_consent END AS "
	                 "tact_consent,\n"
	                 : "tact_units AS (\n  SELECT\n    tact_consent,\n");
	for (i = 0; i < map->dimensions; i++)
		text_printf(&b->t, "    MAX(CASE WHEN tact_rank = 1 THEN tact_x_s%zu "
		            "END) AS tact_s%zu,\n", i + 1, i + 1);
	text_puts(&b->t, "    MAX(CASE WHEN tact_rank = 1 THEN tact_x_arm END) "
	                 "AS tact_arm,\n"
	                 "    COUNT(*) AS tact_sessions,\n"
	                 "    CASE WHEN MIN(tact_x_arm) = MAX(tact_x_arm) THEN 0 "
	                 "ELSE 1 END AS tact_several");
	for (i = 0; i < b->metrics; i++)
		if (b->m[i].covariate != TACT_NO_COLUMN)
			/* A pre-experiment attribute: the first session's. */
			text_printf(&b->t, ",\n    MAX(CASE WHEN tact_rank = 1 THEN "
			            "tact_x_m%zu END) AS tact_m%zu", i + 1, i + 1);
		else
			text_printf(&b->t, ",\n    %s(tact_x_m%zu) AS tact_m%zu",
			            b->m[i].rate ? "MAX" : "SUM", i + 1, i + 1);
	for (i = 0; b->covariates && i < b->covariates->count; i++)
		text_printf(&b->t, ",\n    MAX(CASE WHEN tact_rank = 1 THEN "
		            "tact_x_v%zu END) AS tact_v%zu", i + 1, i + 1);
	text_puts(&b->t, b->drop_mixed
	                 ? "\n  FROM tact_ranked\n  GROUP BY tact_x_consent, "
	                 "CASE WHEN tact_x_consent = 1 THEN tact_unit END\n),\n"
	                 : "\n  FROM tact_ranked\n  GROUP BY tact_consent, "
	                 "CASE WHEN tact_consent = 1 THEN tact_unit END\n),\n");
}

/* "CASE WHEN COUNT(x) = 0 THEN 0 ELSE F(x) * COUNT(x) END": var_pop and
 * covar_pop are NULL (NaN in ClickHouse) over no values; tact writes 0. */
static void put_spread(builder *b, const char *function, const char *arguments,
                       const char *count)
{
	text_printf(&b->t, "CASE WHEN %s = 0 THEN 0 ELSE %s(%s) * %s END",
	            count, function, arguments, count);
}

static int is_rate_role(tact_role role)
{
	return role == TACT_ROLE_GOAL || role == TACT_ROLE_ANNOYANCE;
}

/*
 * The tact_cells CTE: the one aggregation, per consent x labels x arm
 * (tact_pool 0), and with segments, by grouping sets in the same pass, per
 * consent x arm (tact_pool 1: the pooled rows, accumulated over the units
 * apart from the groups, as tact-summarize does: tact-summary(5)).
 */
static void put_cells(builder *b)
{
	const tact_column_map *map = b->map;
	size_t i, a, c;
	char both[160], arguments[64], count[200];

	text_puts(&b->t, "tact_cells AS (\n  SELECT\n    tact_consent,\n");
	/* GROUPING is 1 in the rows of the set that leaves the labels out. */
	if (map->dimensions > 0)
		text_puts(&b->t, "    GROUPING(tact_s1) AS tact_pool,\n");
	else
		text_puts(&b->t, "    0 AS tact_pool,\n");
	for (i = 0; i < map->dimensions; i++)
		text_printf(&b->t, "    tact_s%zu,\n", i + 1);
	text_puts(&b->t, "    tact_arm,\n    COUNT(*) AS tact_units");
	if (b->by_unit)
		text_puts(&b->t, ",\n    SUM(tact_sessions) AS tact_session_n,\n"
		                 "    SUM(tact_several) AS tact_several_n");
	for (a = 0; a < b->metrics; a++) {
		snprintf(count, sizeof count, "COUNT(tact_m%zu)", a + 1);
		snprintf(arguments, sizeof arguments, "tact_m%zu", a + 1);
		text_printf(&b->t, ",\n    %s AS tact_m%zu_n", count, a + 1);
		text_printf(&b->t, ",\n    COALESCE(SUM(tact_m%zu), 0) AS tact_m%zu_sum",
		            a + 1, a + 1);
		text_puts(&b->t, ",\n    ");
		put_spread(b, b->d->var_pop, arguments, count);
		text_printf(&b->t, " AS tact_m%zu_m2", a + 1);
		if (b->m[a].rate)
			text_printf(&b->t, ",\n    MIN(CASE WHEN tact_m%zu IS NULL OR "
			            "tact_m%zu = 0 OR tact_m%zu = 1 THEN 1 ELSE 0 END) "
			            "AS tact_m%zu_b", a + 1, a + 1, a + 1, a + 1);
	}
	for (a = 0; a < b->metrics; a++)
		for (c = a + 1; c < b->metrics; c++) {
			snprintf(both, sizeof both,
			         "tact_m%zu IS NOT NULL AND tact_m%zu IS NOT NULL",
			         a + 1, c + 1);
			snprintf(count, sizeof count, "COUNT(CASE WHEN %s THEN 1 END)",
			         both);
			snprintf(arguments, sizeof arguments, "tact_m%zu, tact_m%zu",
			         a + 1, c + 1);
			text_printf(&b->t, ",\n    %s AS tact_p%zu_%zu_n", count, a + 1,
			            c + 1);
			text_printf(&b->t, ",\n    COALESCE(SUM(CASE WHEN %s THEN "
			            "tact_m%zu END), 0) AS tact_p%zu_%zu_sum_a",
			            both, a + 1, a + 1, c + 1);
			text_printf(&b->t, ",\n    COALESCE(SUM(CASE WHEN %s THEN "
			            "tact_m%zu END), 0) AS tact_p%zu_%zu_sum_b",
			            both, c + 1, a + 1, c + 1);
			text_puts(&b->t, ",\n    ");
			/* covar_pop leaves out the rows where either is NULL. */
			put_spread(b, b->d->covar_pop, arguments, count);
			text_printf(&b->t, " AS tact_p%zu_%zu_c", a + 1, c + 1);
		}
	for (i = 0; b->covariates && i < b->covariates->count; i++)
		text_printf(&b->t, ",\n    SUM(tact_v%zu) AS tact_v%zu_missing",
		            i + 1, i + 1);
	text_printf(&b->t, "\n  FROM %s\n  GROUP BY ",
	            b->by_unit ? "tact_units" : "tact_rows");
	if (map->dimensions > 0)
		text_puts(&b->t, "GROUPING SETS ((tact_consent, ");
	else
		text_puts(&b->t, "tact_consent, ");
	for (i = 0; i < map->dimensions; i++)
		text_printf(&b->t, "tact_s%zu, ", i + 1);
	text_puts(&b->t, map->dimensions > 0
	                 ? "tact_arm), (tact_consent, tact_arm))\n),\n"
	                 : "tact_arm\n),\n");
}

/* The tact_totals CTE: each cell with the meta values over all cells
 * (window aggregates over the few cells, not over the table) and a mark on
 * one cell, which carries the meta rows. */
static void put_totals(builder *b, const char *control)
{
	size_t a;

	/* Rows read and left out count sessions, not units, and the pooled
	 * cells count again what the groups count. */
	const char *rows = b->by_unit ? "tact_session_n" : "tact_units";

	/* Consent 2: the dropped units (consented). */
	const char *consented = b->drop_mixed ? ">= 1" : "= 1";

	text_printf(&b->t, "tact_totals AS (\n  SELECT\n    tact_cells.*,\n"
	            "    SUM(CASE WHEN tact_pool = 1 THEN 0 ELSE %s END) OVER () "
	            "AS tact_read,\n"
	            "    SUM(CASE WHEN tact_consent %s OR tact_pool = 1 THEN 0 "
	            "ELSE %s END) OVER () AS tact_excluded,\n", rows, consented,
	            rows);
	if (b->by_unit)
		text_printf(&b->t, "    SUM(CASE WHEN tact_consent %s AND tact_pool "
		            "= 0 THEN tact_several_n ELSE 0 END) OVER () AS "
		            "tact_several_total,\n", consented);
	text_puts(&b->t, "    MAX(CASE WHEN tact_consent = 1 AND tact_arm = ");
	put_string(b, control);
	text_puts(&b->t, " THEN 1 ELSE 0 END) OVER () AS tact_has_control");
	for (a = 0; a < b->metrics; a++)
		if (b->m[a].rate)
			text_printf(&b->t, ",\n    MIN(CASE WHEN tact_consent = 1 THEN "
			            "tact_m%zu_b END) OVER () AS tact_b%zu", a + 1, a + 1);
	/* Missing covariate cells: the units of the groups (not the pooled
	 * rows again, nor the units dropped or without consent). */
	for (a = 0; b->covariates && a < b->covariates->count; a++)
		text_printf(&b->t, ",\n    SUM(CASE WHEN tact_consent = 1 AND "
		            "tact_pool = 0 THEN tact_v%zu_missing ELSE 0 END) OVER () "
		            "AS tact_v%zu_total", a + 1, a + 1);
	/* Spark wants an ordered window for row_number; lower case because
	 * ClickHouse's function names are case-sensitive (the others' not). */
	text_puts(&b->t, ",\n    row_number() OVER (ORDER BY tact_consent) AS "
	                 "tact_first\n  FROM tact_cells\n),\n");
}

/* One row of tact_kinds: its key and the meta row's name (the first row
 * names the columns). */
static void put_kind(builder *b, int *first, int key, const char *name)
{
	text_puts(&b->t, *first ? "  SELECT " : "  UNION ALL SELECT ");
	text_printf(&b->t, b->d->row_key, key);
	text_puts(&b->t, *first ? " AS tact_k, " : ", ");
	put_string(b, name);
	text_puts(&b->t, *first ? " AS tact_key\n" : "\n");
	*first = 0;
}

/* A row of tact_kinds named prefix then name ("binary:converted"). */
static void put_named_kind(builder *b, int *first, size_t key,
                           const char *prefix, const char *name)
{
	text t = {0};

	text_printf(&t, "%s%s", prefix, name);
	if (!text_finish(&t)) {
		b->t.failed = 1;
		return;
	}
	put_kind(b, first, (int)key, t.data);
	free(t.data);
}

/* The tact_kinds CTE: one row per output row kind: the header (with
 * header_row), the meta rows in the order tact-summarize writes them, 1000
 * for the groups and, with segments, 1001 for the pooled rows. */
static void put_kinds(builder *b, int header_row)
{
	const tact_column_map *map = b->map;
	size_t a;
	int first = 1;

	text_puts(&b->t, "tact_kinds AS (\n");
	if (header_row)
		put_kind(b, &first, -1, "");
	put_kind(b, &first, 0, "rows_read");
	put_kind(b, &first, 1, "rows_rejected");
	put_kind(b, &first, 2, "rows_excluded_consent");
	put_kind(b, &first, 3, "control");
	put_kind(b, &first, 4, "consent");
	if (b->by_unit) {
		put_kind(b, &first, 5, "unit");
		put_kind(b, &first, 6, "units_in_several_arms");
		put_kind(b, &first, 7, "mixed_units");
	}
	for (a = 0; a < b->metrics; a++)
		if (b->m[a].rate)
			put_named_kind(b, &first, b->binary_kind + a, "binary:",
			               b->m[a].name);
	/* FORMAT of the covariate: which metric each adjusts, then the
	 * missing cells of each. */
	for (a = 0; b->covariates && a < map->metrics; a++)
		if (b->covariates->of_metric[a] != TACT_NO_COLUMN)
			put_named_kind(b, &first, b->covariate_kind + a, "covariate:",
			               b->m[a].name);
	for (a = 0; b->covariates && a < b->covariates->count; a++)
		put_named_kind(b, &first, b->covariate_kind + map->metrics + a,
		               "covariate_missing:", b->covariates->names[a]);
	put_kind(b, &first, 1000, "");
	if (map->dimensions > 0)
		put_kind(b, &first, 1001, "");
	text_puts(&b->t, ")\n");
}

/* The header names, in order (caller frees each and the array). */
static char **header_names(const builder *b, size_t width)
{
	const tact_column_map *map = b->map;
	char **names = calloc(width, sizeof *names);
	size_t at = 0, i, a, c, k;
	text t;

	if (!names)
		return NULL;
#define NAME(...)                                                   \
	do {                                                        \
		memset(&t, 0, sizeof t);                            \
		text_printf(&t, __VA_ARGS__);                       \
		names[at++] = text_finish(&t);                      \
	} while (0)
	NAME("tact_summary_v1");
	for (i = 0; i < map->dimensions; i++)
		NAME("segment:%s", map->dimension_names[i]);
	NAME("arm:%s", map->arm_name);
	NAME("units");
	for (a = 0; a < b->metrics; a++)
		for (k = 0; k < 3; k++)
			NAME("%s:%s:%s", b->m[a].word, b->m[a].name,
			     metric_stats[k]);
	for (a = 0; a < b->metrics; a++)
		for (c = a + 1; c < b->metrics; c++)
			for (k = 0; k < 4; k++)
				NAME("cross:%s:%s:%s", b->m[a].name, b->m[c].name,
				     pair_stats[k]);
#undef NAME
	for (i = 0; i < width; i++)
		if (!names[i]) {
			for (i = 0; i < width; i++)
				free(names[i]);
			free(names);
			return NULL;
		}
	return names;
}

/* The value of output column i (0-based) in a group row. */
static void put_group_value(builder *b, size_t i)
{
	const tact_column_map *map = b->map;
	size_t metric_start = 1 + map->dimensions + 2, k;
	char field[64];

	if (i == 0) {
		text_puts(&b->t, b->map->dimensions > 0 ? "CASE WHEN tact_k = 1001 "
		                 "THEN 'pooled' ELSE 'group' END" : "'group'");
		return;
	}
	if (i <= map->dimensions) {
		text_printf(&b->t, "CASE WHEN tact_pool = 1 THEN '(all)' ELSE "
		            "tact_s%zu END", i);
		return;
	}
	if (i == map->dimensions + 1) {
		text_puts(&b->t, "tact_arm");
		return;
	}
	if (i == map->dimensions + 2) {
		put_format(b, b->d->to_text, "tact_units");
		return;
	}
	k = i - metric_start;
	if (k < 3 * b->metrics) {
		snprintf(field, sizeof field, "tact_m%zu_%s", k / 3 + 1,
		         metric_stats[k % 3]);
		put_format(b, k % 3 == 0 ? b->d->to_text : b->d->float_text, field);
		return;
	}
	k -= 3 * b->metrics;
	{
		size_t pair = k / 4, x, y, p = 0;
		for (x = 0; x < b->metrics; x++)
			for (y = x + 1; y < b->metrics; y++, p++)
				if (p == pair) {
					snprintf(field, sizeof field, "tact_p%zu_%zu_%s", x + 1,
					         y + 1, pair_stats[k % 4]);
					put_format(b, k % 4 == 0 ? b->d->to_text
					                         : b->d->float_text, field);
					return;
				}
	}
}

/* The value of the third column in a meta row, by kind. */
static void put_meta_value(builder *b, const char *control,
                           const char *consent)
{
	const tact_column_map *map = b->map;
	size_t a;

	text_puts(&b->t, "CASE tact_k WHEN 0 THEN ");
	put_format(b, b->d->to_text, "tact_read");
	text_puts(&b->t, " WHEN 1 THEN '0' WHEN 2 THEN ");
	put_format(b, b->d->to_text, "tact_excluded");
	text_puts(&b->t, " WHEN 3 THEN ");
	put_string(b, control);
	/* Which rows were kept (summary.h's consent): the consent column, or
	 * '' when the table has none, as tact-summarize writes it. */
	text_puts(&b->t, " WHEN 4 THEN ");
	put_string(b, consent);
	if (b->by_unit) {
		text_puts(&b->t, " WHEN 5 THEN ");
		put_string(b, map->unit_name);
		text_puts(&b->t, " WHEN 6 THEN ");
		put_format(b, b->d->to_text, "tact_several_total");
		text_puts(&b->t, b->drop_mixed ? " WHEN 7 THEN 'drop'"
		                               : " WHEN 7 THEN 'first'");
	}
	for (a = 0; a < b->metrics; a++)
		if (b->m[a].rate)
			text_printf(&b->t, " WHEN %zu THEN CASE WHEN COALESCE(tact_b%zu, 1) "
			            "= 1 THEN '1' ELSE '0' END", b->binary_kind + a, a + 1);
	for (a = 0; b->covariates && a < map->metrics; a++)
		if (b->covariates->of_metric[a] != TACT_NO_COLUMN) {
			text_printf(&b->t, " WHEN %zu THEN ", b->covariate_kind + a);
			put_string(b, b->covariates->names[b->covariates->of_metric[a]]);
		}
	for (a = 0; b->covariates && a < b->covariates->count; a++) {
		char field[64];
		text_printf(&b->t, " WHEN %zu THEN ",
		            b->covariate_kind + map->metrics + a);
		snprintf(field, sizeof field, "tact_v%zu_total", a + 1);
		put_format(b, b->d->to_text, field);
	}
	text_puts(&b->t, " END");
}

static void put_select(builder *b, const char *control,
                       const char *consent, int header_row, char **names)
{
	const tact_column_map *map = b->map;
	size_t i;

	text_puts(&b->t, "SELECT\n");
	for (i = 0; i < b->width; i++) {
		text_puts(&b->t, "  CASE WHEN tact_k >= 1000 THEN ");
		put_group_value(b, i);
		if (header_row) {
			text_puts(&b->t, " WHEN tact_k = -1 THEN ");
			put_string(b, names[i]);
		}
		text_puts(&b->t, " ELSE ");
		if (i == 0)
			text_puts(&b->t, "'meta'");
		else if (i == 1)
			text_puts(&b->t, "tact_key");
		else if (i == 2)
			put_meta_value(b, control, consent);
		else
			text_puts(&b->t, b->d->pad);
		text_puts(&b->t, " END AS ");
		if (header_row)
			text_printf(&b->t, "c%zu", i + 1);
		else
			put_identifier(b, names[i]);
		text_puts(&b->t, i + 1 < b->width ? ",\n" : "\n");
	}
	/* Groups come from the consented cells, pooled rows from the pooled
	 * ones; the meta rows (and the header) from the one marked cell. */
	text_puts(&b->t, "FROM tact_totals CROSS JOIN tact_kinds\n"
	                 "WHERE (tact_k = 1000 AND tact_consent = 1 AND "
	                 "tact_pool = 0)\n");
	if (map->dimensions > 0)
		text_puts(&b->t, "   OR (tact_k = 1001 AND tact_consent = 1 AND "
		                 "tact_pool = 1)\n");
	/* The control when it occurs; mixed_units when a unit was in several
	 * arms, as tact-summarize writes them. */
	text_puts(&b->t, b->by_unit
	                 ? "   OR (tact_k < 1000 AND tact_first = 1 AND "
	                 "(tact_k <> 3 OR tact_has_control = 1) AND "
	                 "(tact_k <> 7 OR tact_several_total > 0))\n"
	                 "ORDER BY tact_k"
	                 : "   OR (tact_k < 1000 AND tact_first = 1 AND "
	                 "(tact_k <> 3 OR tact_has_control = 1))\n"
	                 "ORDER BY tact_k");
	for (i = 0; i < map->dimensions; i++)
		text_printf(&b->t, ", tact_s%zu%s", i + 1, b->d->collate);
	text_printf(&b->t, ", tact_arm%s\n", b->d->collate);
}

/* The order column orders a unit's sessions: a unit column is needed, and
 * the column must be the table's when its columns are listed. */
static tact_status check_order_by(const tact_sql_options *options,
                                  const tact_column_map *map,
                                  tact_error *error)
{
	size_t i;

	if (map->unit == TACT_NO_COLUMN)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--order-by orders a unit's sessions: give "
		                      "the unit column too (--unit COL)");
	if (!options->columns)
		return TACT_OK;
	for (i = 0; i < options->columns->count; i++)
		if (strcmp(options->columns->items[i], options->order_by) == 0)
			return TACT_OK;
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
	                      "--order-by: '%s' is not among the columns "
	                      "--columns lists", options->order_by);
}

/* What the statement cannot do with the columns resolved: an empty or
 * missing --order-by column, binned --by, an arm or segment named like
 * direct identifiers. */
static tact_status check_mapped(const tact_sql_options *options,
                                const tact_column_map *map, tact_error *error)
{
	tact_status status;
	size_t i;

	if (options->order_by &&
	    (status = check_order_by(options, map, error)) != TACT_OK)
		return status;
	for (i = 0; i < map->dimensions; i++)
		if (map->dimension_bins && map->dimension_bins[i])
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--by '%s=%s': the statement does not "
			                      "bin; summarize by the column and bin "
			                      "with tact-summarize, or give the "
			                      "table a binned column",
			                      map->dimension_names[i],
			                      map->dimension_bins[i]);
	/* privacy: tact-sql never sees the values, so only a name can say that
	 * the arm or a segment holds direct identifiers (privacy.h), whose
	 * labels the summary would carry out of the warehouse. */
	for (i = 0; i <= map->dimensions; i++) {
		const char *name = i < map->dimensions ? map->dimension_names[i]
		                                       : map->arm_name;
		tact_identifier_kind kind = tact_privacy_name_kind(name, strlen(name));
		if (kind != TACT_IDENTIFIER_NONE)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "column '%s' is named like direct "
			                      "identifiers (%s) and cannot be %s: its "
			                      "labels would leave the warehouse in the "
			                      "summary",
			                      name, tact_identifier_kind_text(kind),
			                      i < map->dimensions ? "a segment (--by)"
			                                          : "the arm");
	}
	return TACT_OK;
}

/* PostgreSQL truncates longer names: refuse them unless the names go in a
 * header row of their own. */
static tact_status check_name_lengths(const tact_sql_options *options,
                                      char *const *names, size_t width,
                                      tact_error *error)
{
	size_t i;

	if (options->dialect != TACT_SQL_POSTGRES || options->header_row)
		return TACT_OK;
	for (i = 0; i < width; i++)
		if (strlen(names[i]) > POSTGRES_NAME_MAX)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "the summary column '%s' is longer "
			                      "than PostgreSQL's %d-byte names: "
			                      "give --header-row (and export "
			                      "without a header)",
			                      names[i], POSTGRES_NAME_MAX);
	return TACT_OK;
}

/* The statement for the resolved columns into *sql. */
/* The statement's metrics into b->m: the map's, then the covariates. */
static tact_status list_metrics(builder *b,
                                const tact_sql_covariates *covariates,
                                tact_error *error)
{
	const tact_column_map *map = b->map;
	size_t i, last;

	b->metrics = map->metrics + covariates->count;
	b->covariates = covariates->count > 0 ? covariates : NULL;
	b->covariate_kind = b->binary_kind + b->metrics;
	/* The meta rows' kinds stay below the groups' (1000). */
	last = b->covariates ? b->covariate_kind + map->metrics + covariates->count
	                     : b->binary_kind + b->metrics;
	if (last >= 1000)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "%zu metrics: the statement takes at most "
		                      "%zu", b->metrics, b->metrics - (last - 999));
	b->m = calloc(b->metrics + 1, sizeof *b->m);
	if (!b->m)
		return tact_error_oom(error);
	for (i = 0; i < map->metrics; i++) {
		b->m[i].name = map->metric_names[i];
		b->m[i].column = map->metric_columns[i];
		b->m[i].word = tact_role_name(map->metric_roles[i]);
		b->m[i].rate = is_rate_role(map->metric_roles[i]);
		b->m[i].covariate = TACT_NO_COLUMN;
	}
	for (i = 0; i < covariates->count; i++) {
		sql_metric *m = &b->m[map->metrics + i];
		m->name = covariates->names[i];
		m->column = covariates->columns[i];
		/* The header word of the role covariate (FORMAT). */
		m->word = "covariate";
		m->covariate = i;
	}
	return TACT_OK;
}

static tact_status build(const tact_roles_spec *spec,
                         const tact_sql_options *options,
                         const tact_column_map *map, char **columns,
                         const tact_sql_covariates *covariates,
                         char **sql, tact_error *error)
{
	char **names;
	builder b;
	size_t i;
	tact_status status;

	memset(&b, 0, sizeof b);
	b.dialect = options->dialect;
	b.d = &spellings[options->dialect];
	b.map = map;
	b.columns = columns;
	b.by_unit = map->unit != TACT_NO_COLUMN;
	b.order_by = b.by_unit ? options->order_by : NULL;
	b.drop_mixed = b.by_unit && !options->mixed_units_first;
	b.binary_kind = b.by_unit ? 8 : 5;
	if ((status = list_metrics(&b, covariates, error)) != TACT_OK) {
		free(b.m);
		return status;
	}
	b.width = 1 + map->dimensions + 2 + 3 * b.metrics +
	          4 * (b.metrics * (b.metrics - 1) / 2);
	names = header_names(&b, b.width);
	if (!names) {
		free(b.m);
		return tact_error_oom(error);
	}
	status = check_name_lengths(options, names, b.width, error);
	if (status == TACT_OK) {
		put_rows(&b, options->table);
		if (b.by_unit)
			put_units(&b);
		put_cells(&b);
		put_totals(&b, spec->control);
		put_kinds(&b, options->header_row);
		put_select(&b, spec->control,
		           map->consent != TACT_NO_COLUMN ? spec->consent : "",
		           options->header_row, names);
		*sql = text_finish(&b.t);
		if (!*sql)
			status = tact_error_oom(error);
	}
	for (i = 0; i < b.width; i++)
		free(names[i]);
	free(names);
	free(b.m);
	if (status != TACT_OK) {
		free(b.t.data);
		*sql = NULL;
	}
	return status;
}

tact_status tact_sql_build(const tact_roles_spec *spec,
                           const tact_sql_options *options, char **sql,
                           tact_error *error)
{
	tact_column_map map;
	tact_sql_covariates covariates;
	char **columns = NULL;
	size_t count = 0;
	tact_status status;

	*sql = NULL;
	if (!options->table || !*options->table)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the table is empty: name it with --table");
	if (spec->caps.count > 0)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--cap: the statement does not cap values: "
		                      "summarize uncapped, or cap each unit's '%s' "
		                      "in the warehouse first",
		                      spec->caps.metrics[0]);
	if (options->order_by && !*options->order_by)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--order-by: the column name is empty");
	status = tact_sql_covariates_parse(&covariates, options->covariates,
	                                   error);
	if (status == TACT_OK)
		status = resolve_roles(spec, options, &covariates, &map, &columns,
		                       &count, error);
	if (status != TACT_OK) {
		tact_sql_covariates_release(&covariates);
		return status;
	}
	if (covariates.count > 0)
		status = tact_sql_covariates_bind(&covariates, &map, columns, count,
		                                  options->columns != NULL, error);
	if (status == TACT_OK &&
	    (status = check_mapped(options, &map, error)) == TACT_OK)
		status = build(spec, options, &map, columns, &covariates, sql, error);
	if (!options->columns)
		free(columns);
	tact_column_map_release(&map);
	tact_sql_covariates_release(&covariates);
	return status;
}
