/*
 * validate.c - the data quality of a raw export (see validate.h): one
 * pass over the rows with the CSV reader, the roles resolved as the loader
 * resolves them, each role's cells checked by the loader's rules, the
 * privacy detector on the first rows; then the report as text or JSON.
 */
#include "validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "parse.h"
#include "summaryfile.h"
#include "table.h"

#define MIXED_ARMS UINT32_C(0x80000000) /* in unit_sessions: seen in 2 arms */

static const char *const type_names[] = {"empty", "boolean", "integer",
                                         "number", "label"};

const char *tact_value_type_name(tact_value_type type)
{
	return type_names[type];
}

/* ---- problems -------------------------------------------------------- */

static size_t add_problem(tact_validate *v, tact_validate_severity severity,
                          int64_t count, const char *format, ...)
	__attribute__((format(printf, 4, 5)));

/* Returns the problem's index + 1, or 0 when memory ran out (the problem
 * is then lost, and counted as an error so the status stays right). */
static size_t add_problem(tact_validate *v, tact_validate_severity severity,
                          int64_t count, const char *format, ...)
{
	tact_validate_problem *grown, *p;
	va_list args;

	grown = realloc(v->problems, (v->problem_count + 1) * sizeof *grown);
	if (!grown) {
		if (severity == TACT_VALIDATE_ERROR)
			v->errors++;
		return 0;
	}
	v->problems = grown;
	p = &v->problems[v->problem_count++];
	memset(p, 0, sizeof *p);
	p->severity = severity;
	p->count = count;
	va_start(args, format);
	vsnprintf(p->message, sizeof p->message, format, args);
	va_end(args);
	return v->problem_count;
}

static void add_position(tact_validate *v, size_t problem, uint64_t line,
                         uint64_t column)
{
	tact_validate_problem *p;

	if (problem == 0)
		return;
	p = &v->problems[problem - 1];
	p->count++;
	if (p->positions_shown < TACT_VALIDATE_POSITIONS) {
		p->positions[p->positions_shown].line = line;
		p->positions[p->positions_shown].column = column;
		p->positions_shown++;
	}
}

/* A bad row stops tact-summarize, unless --skip-bad rejects it. */
static tact_validate_severity row_severity(const tact_validate *v)
{
	return v->options->skip_bad ? TACT_VALIDATE_WARNING : TACT_VALIDATE_ERROR;
}

/* ---- the header ------------------------------------------------------ */

static int labels_init(tact_validate_labels *l, size_t column)
{
	memset(l, 0, sizeof *l);
	l->column = column;
	tact_keymap_init(&l->labels);
	return 0;
}

static void labels_release(tact_validate_labels *l)
{
	tact_keymap_release(&l->labels);
	free(l->units);
	free(l->suppressed);
	memset(l, 0, sizeof *l);
}

/* Count a unit under label (not kept when it looks like an identifier or
 * beyond the bound).  Returns the label's index or TACT_KEYMAP_NONE; -1 in
 * *failed when memory runs out. */
static size_t count_label(tact_validate_labels *l, const char *text,
                          size_t length, int *failed)
{
	size_t index;
	int added;

	if (tact_privacy_label_kind(text, length) != TACT_IDENTIFIER_NONE) {
		l->identifier_labels++;
		return TACT_KEYMAP_NONE;
	}
	index = tact_keymap_find(&l->labels, text, length);
	if (index == TACT_KEYMAP_NONE) {
		if (l->labels.count >= TACT_VALIDATE_LABELS_MAX) {
			l->other_units++;
			l->other_labels++; /* an upper bound: repeats count again */
			return TACT_KEYMAP_NONE;
		}
		index = tact_keymap_intern(&l->labels, text, length, &added);
		if (index == TACT_KEYMAP_NONE) {
			*failed = 1;
			return index;
		}
		if (index >= l->capacity) {
			size_t capacity = l->capacity ? 2 * l->capacity : 16;
			int64_t *units = realloc(l->units, capacity * sizeof *units);
			if (!units) {
				*failed = 1;
				return TACT_KEYMAP_NONE;
			}
			memset(units + l->capacity, 0,
			       (capacity - l->capacity) * sizeof *units);
			l->units = units;
			l->capacity = capacity;
		}
	}
	l->units[index]++;
	return index;
}

/* Count a unit in its cell (arm x labels), for the suppression decision.
 * Units with a label not kept are left out (privacy: the totals' "other"
 * units).  Returns -1 when memory runs out. */
static int count_cell(tact_validate *v, const tact_csv_record *record,
                      size_t arm)
{
	const tact_column_map *map = &v->map;
	size_t key[TACT_VALIDATE_CELL_KEY], d, n = 0, index;
	int added;

	if (arm == TACT_KEYMAP_NONE || map->dimensions + 1 > TACT_VALIDATE_CELL_KEY)
		return 0;
	key[n++] = arm;
	for (d = 0; d < map->dimensions; d++) {
		size_t c = map->dimension_columns[d];
		key[n] = tact_keymap_find(&v->segments[d].labels, record->fields[c],
		                          record->lengths[c]);
		if (key[n++] == TACT_KEYMAP_NONE)
			return 0;
	}
	index = tact_keymap_intern(&v->cells, (const char *)key, n * sizeof *key,
	                           &added);
	if (index == TACT_KEYMAP_NONE)
		return -1;
	if (index >= v->cell_capacity) {
		size_t capacity = v->cell_capacity ? 2 * v->cell_capacity : 64;
		int64_t *units = realloc(v->cell_units, capacity * sizeof *units);
		if (!units)
			return -1;
		memset(units + v->cell_capacity, 0,
		       (capacity - v->cell_capacity) * sizeof *units);
		v->cell_units = units;
		v->cell_capacity = capacity;
	}
	v->cell_units[index]++;
	return 0;
}

/* ---- id-like columns ------------------------------------------------- */

/* Every column without a role may be a unit id: tracked until the probe
 * decides (no unit column given). */
static tact_status idlike_begin(tact_validate *v, tact_error *error)
{
	size_t i;

	if (v->map.unit != TACT_NO_COLUMN)
		return TACT_OK;
	v->idlike = calloc(v->column_count + 1, sizeof *v->idlike);
	if (!v->idlike)
		return tact_error_oom(error);
	for (i = 0; i < v->column_count; i++) {
		tact_validate_idlike *c;
		if (v->columns[i].role)
			continue;
		c = &v->idlike[v->idlike_count++];
		c->column = i;
		tact_keymap_init(&c->ids);
	}
	return TACT_OK;
}

static void idlike_release(tact_validate_idlike *c)
{
	tact_keymap_release(&c->ids);
	free(c->first_arm);
	free(c->seen);
	c->first_arm = NULL;
	c->seen = NULL;
	c->capacity = 0;
}

/* Mostly distinct values, none a number with a fraction. */
static int idlike_holds(const tact_validate *v, const tact_validate_idlike *c)
{
	const tact_validate_column *column = &v->columns[c->column];

	return c->values > 0 && 2 * (int64_t)c->ids.count >= c->values &&
	       column->numbers <= column->integers &&
	       column->booleans < column->present;
}

/* After the probe: keep the id-like columns (at most
 * TACT_VALIDATE_ID_COLUMNS), free the others. */
static void idlike_decide(tact_validate *v)
{
	size_t i, kept = 0;

	for (i = 0; i < v->idlike_count; i++) {
		tact_validate_idlike *c = &v->idlike[i];
		if (c->dropped)
			continue;
		if (kept < TACT_VALIDATE_ID_COLUMNS && idlike_holds(v, c)) {
			kept++;
			continue;
		}
		c->dropped = 1;
		idlike_release(c);
	}
}

/* One counted row: each tracked column's id, in arm. */
static int idlike_row(tact_validate *v, const tact_csv_record *record,
                      size_t arm)
{
	size_t i;

	for (i = 0; i < v->idlike_count; i++) {
		tact_validate_idlike *c = &v->idlike[i];
		const char *text = record->fields[c->column];
		size_t length = record->lengths[c->column], id;
		int added;

		if (c->dropped || length == 0 || tact_parse_is_blank(text, length))
			continue;
		c->values++;
		id = tact_keymap_intern(&c->ids, text, length, &added);
		if (id == TACT_KEYMAP_NONE)
			return -1;
		if (id >= c->capacity) {
			size_t capacity = c->capacity ? 2 * c->capacity : 1024;
			size_t *arms = realloc(c->first_arm, capacity * sizeof *arms);
			unsigned char *seen;
			if (!arms)
				return -1;
			c->first_arm = arms;
			if (!(seen = realloc(c->seen, capacity)))
				return -1;
			c->seen = seen;
			c->capacity = capacity;
		}
		if (added) {
			c->first_arm[id] = arm;
			c->seen[id] = 0;
		} else if (c->first_arm[id] == arm && !(c->seen[id] & 1)) {
			c->seen[id] |= 1;
			c->repeated_in_arm++;
		} else if (c->first_arm[id] != arm && !(c->seen[id] & 2)) {
			c->seen[id] |= 2;
			c->several_arms++;
		}
	}
	if (++v->idlike_rows == TACT_VALIDATE_ID_PROBE)
		idlike_decide(v);
	return 0;
}

/* At the end: a warning per id-like column whose ids repeat, naming
 * --unit (counts only: privacy, no id is shown). */
static void idlike_end(tact_validate *v)
{
	size_t i;

	for (i = 0; i < v->idlike_count; i++) {
		tact_validate_idlike *c = &v->idlike[i];
		const char *name = v->columns[c->column].name;
		if (c->dropped || !idlike_holds(v, c) ||
		    (c->repeated_in_arm == 0 && c->several_arms == 0))
			continue;
		add_problem(v, TACT_VALIDATE_WARNING, 0,
		            "'%.100s' looks like a unit id (%.0f%% of its values "
		            "distinct): %lld ids repeat within an arm and %lld appear "
		            "in more than one arm; if its rows are sessions of units, "
		            "give --unit %.100s",
		            name, 100.0 * (double)c->ids.count / (double)c->values,
		            (long long)c->repeated_in_arm, (long long)c->several_arms,
		            name);
	}
}

static tact_status begin(tact_validate *v, const tact_csv_record *header,
                         tact_error *error)
{
	const tact_load_options *o = v->options;
	tact_error roles_error;
	size_t i, d;

	v->delimiter = header->delimiter;
	v->columns = calloc(header->count + 1, sizeof *v->columns);
	v->cell_problem = calloc(header->count + 1, sizeof *v->cell_problem);
	if (!v->columns || !v->cell_problem)
		return tact_error_oom(error);
	v->column_count = header->count;
	for (i = 0; i < header->count; i++) {
		tact_validate_column *c = &v->columns[i];
		tact_keymap_init(&c->distinct);
		c->name = strndup(header->fields[i], header->lengths[i]);
		if (!c->name)
			return tact_error_oom(error);
	}
	/* privacy: a column named like an address (privacy.h). */
	if (tact_privacy_check_names(header->fields, header->lengths,
	                             header->count, v->file, error)) {
		v->refused = 1;
		return TACT_DATA;
	}
	if (tact_privacy_detector_init(&v->detector, header->fields,
	                               header->lengths, header->count, error))
		return TACT_SOFTWARE;
	tact_error_init(&roles_error);
	if (tact_roles_resolve(&o->roles, header->fields, header->lengths,
	                       header->count, v->file, &v->map,
	                       &roles_error) != TACT_OK) {
		size_t p;
		if (roles_error.status == TACT_SOFTWARE)
			return tact_error_oom(error);
		p = add_problem(v, TACT_VALIDATE_ERROR, 0, "%s", roles_error.message);
		if (p && roles_error.column) {
			add_position(v, p, roles_error.line, roles_error.column);
			v->problems[p - 1].count = 0;
		}
		/* Consent still decides which rows count. */
		v->map.consent = TACT_NO_COLUMN;
		for (i = 0; *o->roles.consent && i < header->count; i++)
			if (strcmp(v->columns[i].name, o->roles.consent) == 0)
				v->map.consent = i;
		if (v->map.consent != TACT_NO_COLUMN)
			v->columns[v->map.consent].role = "consent";
		return TACT_OK;
	}
	v->mapped = 1;
	v->columns[v->map.arm].role = "arm";
	for (d = 0; d < v->map.dimensions; d++)
		v->columns[v->map.dimension_columns[d]].role = "segment";
	for (i = 0; i < v->map.metrics; i++)
		v->columns[v->map.metric_columns[i]].role =
			tact_role_name(v->map.metric_roles[i]);
	if (v->map.consent != TACT_NO_COLUMN)
		v->columns[v->map.consent].role = "consent";
	if (v->map.unit != TACT_NO_COLUMN)
		v->columns[v->map.unit].role = "unit";
	labels_init(&v->arms, v->map.arm);
	v->segments = calloc(v->map.dimensions + 1, sizeof *v->segments);
	if (!v->segments)
		return tact_error_oom(error);
	for (d = 0; d < v->map.dimensions; d++)
		labels_init(&v->segments[d], v->map.dimension_columns[d]);
	if (v->map.unit != TACT_NO_COLUMN)
		tact_keymap_init(&v->unit_ids);
	tact_keymap_init(&v->cells);
	return idlike_begin(v, error);
}

/* --where: its columns against the header; a missing one stops the run
 * (as it stops tact-summarize). */
static tact_status where_begin(tact_validate *v, const tact_csv_record *header,
                               tact_error *error)
{
	const tact_rule_set *where = v->options->where;

	if (!where)
		return TACT_OK;
	v->options->where->decimal_comma = v->options->decimal_comma;
	v->where_bound = malloc((where->column_count + 1) * sizeof *v->where_bound);
	if (!v->where_bound)
		return tact_error_oom(error);
	if (tact_rule_set_resolve(where, header, v->file, v->where_bound, error)) {
		v->refused = 1;
		return error->status;
	}
	return TACT_OK;
}

/* ---- one row --------------------------------------------------------- */

static int is_integer(const char *text, size_t length)
{
	size_t i = 0;

	while (length && (text[length - 1] == ' ' || text[length - 1] == '\t'))
		length--;
	while (i < length && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i < length && (text[i] == '-' || text[i] == '+'))
		i++;
	if (i == length)
		return 0;
	for (; i < length; i++)
		if (text[i] < '0' || text[i] > '9')
			return 0;
	return 1;
}

/* ---- quantiles (see tact_validate_quantiles) ----------------------- */

int tact_validate_spread_shown(const tact_validate *v,
                               const tact_validate_column *c)
{
	const tact_validate_quantiles *q = c->quantiles;

	/* privacy: never the figures of an identifier or of the unit ids. */
	return q && c->identifier == TACT_IDENTIFIER_NONE &&
	       !(c->role && strcmp(c->role, "unit") == 0) && !q->binary &&
	       q->count >= v->min_cell && q->count > 0;
}

/* splitmix64: a fixed, portable sequence for reservoir sampling. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Keep x: in the first TACT_VALIDATE_QUANTILE_EXACT values, else in place
 * of a random kept value with probability kept / count (algorithm R).
 * Returns -1 when memory runs out. */
static int sample_add(tact_validate_quantiles *q, double x)
{
	q->count++;
	if (q->kept < TACT_VALIDATE_QUANTILE_EXACT) {
		if (q->kept == q->capacity) {
			size_t capacity = q->capacity ? 2 * q->capacity : 4;
			double *grown;
			if (capacity > TACT_VALIDATE_QUANTILE_EXACT)
				capacity = TACT_VALIDATE_QUANTILE_EXACT;
			grown = realloc(q->values, capacity * sizeof *grown);
			if (!grown)
				return -1;
			q->values = grown;
			q->capacity = capacity;
		}
		q->values[q->kept++] = x;
	} else {
		uint64_t j = next_random(&q->random) % (uint64_t)q->count;
		if (j < TACT_VALIDATE_QUANTILE_EXACT)
			q->values[j] = x;
	}
	return 0;
}

static int quantiles_add(tact_validate_quantiles *q, double x)
{
	int64_t i;

	if (q->count + q->zeros + q->ones == 0 || x < q->min)
		q->min = x;
	if (q->count + q->zeros + q->ones == 0 || x > q->max)
		q->max = x;
	if (q->binary && (x == 0 || x == 1)) {
		if (x == 0)
			q->zeros++;
		else
			q->ones++;
		return 0;
	}
	if (q->binary) {
		/* The first value other than 0 or 1: the counted ones go in. */
		q->binary = 0;
		for (i = 0; i < q->zeros; i++)
			if (sample_add(q, 0) != 0)
				return -1;
		for (i = 0; i < q->ones; i++)
			if (sample_add(q, 1) != 0)
				return -1;
	}
	return sample_add(q, x);
}

static void quantiles_free(tact_validate_quantiles *q)
{
	if (q)
		free(q->values);
	free(q);
}

static int by_value(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* NumPy's linear quantile of n sorted values (at(i) gives the i-th). */
static double linear_quantile(const tact_validate_quantiles *q, size_t n,
                              double p)
{
	const double h = (double)(n - 1) * p;
	const size_t low = (size_t)floor(h);
	double below, above;

	if (q->binary) {
		below = (int64_t)low < q->zeros ? 0 : 1;
		above = (int64_t)low + 1 < q->zeros ? 0 : 1;
	} else {
		below = q->values[low];
		above = low + 1 < n ? q->values[low + 1] : below;
	}
	/* NumPy's _lerp, for the same last bits: from the nearer end. */
	return h - (double)low >= 0.5
	               ? above - (above - below) * (1 - (h - (double)low))
	               : below + (above - below) * (h - (double)low);
}

static void quantiles_finish(tact_validate_quantiles *q)
{
	const size_t n = q->binary ? (size_t)(q->zeros + q->ones) : q->kept;
	size_t i, above = 0;
	double threshold;

	if (q->binary)
		q->count = q->zeros + q->ones;
	if (n == 0)
		return;
	if (!q->binary)
		qsort(q->values, n, sizeof *q->values, by_value);
	q->approximate = !q->binary && (size_t)q->count > q->kept;
	q->q1 = linear_quantile(q, n, 0.25);
	q->median = linear_quantile(q, n, 0.5);
	q->q3 = linear_quantile(q, n, 0.75);
	q->p99 = linear_quantile(q, n, 0.99);
	if (!(q->p99 > 0) || !(q->max > TACT_VALIDATE_EXTREME * q->p99))
		return;
	threshold = TACT_VALIDATE_EXTREME * q->p99;
	for (i = 0; !q->binary && i < n; i++)
		above += q->values[i] > threshold;
	q->extreme = q->approximate
	                 ? llround((double)above * (double)q->count / (double)n)
	                 : (int64_t)above;
	if (q->extreme < 1)
		q->extreme = 1; /* the maximum is one */
}

/* Up to 6 significant digits, as the table shows them. */
static const char *short_number(double value, char *buffer, size_t size)
{
	snprintf(buffer, size, "%.6g", value);
	return buffer;
}

static void profile(tact_validate *v, const tact_csv_record *record)
{
	size_t i;
	double ignored, value;

	for (i = 0; i < v->column_count; i++) {
		tact_validate_column *c = &v->columns[i];
		const char *text = record->fields[i];
		size_t length = record->lengths[i];

		if (length == 0 || tact_parse_is_blank(text, length)) {
			c->missing++;
			continue;
		}
		c->present++;
		c->booleans += tact_parse_boolean(text, length, &ignored) == 0;
		c->integers += is_integer(text, length);
		if (tact_parse_number(text, length, v->options->decimal_comma,
		                      &value) == 0) {
			c->numbers++;
			/* Quantile state only for a column numeric so far. */
			if (!c->quantiles && c->numbers == c->present &&
			    !c->quantiles_lost) {
				c->quantiles = calloc(1, sizeof *c->quantiles);
				if (c->quantiles)
					c->quantiles->binary = 1;
				else
					c->quantiles_lost = 1;
			}
			if (c->quantiles && quantiles_add(c->quantiles, value) != 0) {
				quantiles_free(c->quantiles); /* out of memory: none */
				c->quantiles = NULL;
				c->quantiles_lost = 1;
			}
		} else if (c->quantiles) {
			quantiles_free(c->quantiles);
			c->quantiles = NULL;
		}
		if (!c->distinct_over &&
		    tact_keymap_find(&c->distinct, text, length) == TACT_KEYMAP_NONE) {
			if (c->distinct.count >= TACT_VALIDATE_DISTINCT_MAX)
				c->distinct_over = 1;
			else
				tact_keymap_intern(&c->distinct, text, length, NULL);
		}
	}
}

/* The loader's rules for a metric cell (load.c, parse_metric). */
static const char *metric_problem(const tact_validate *v, tact_role role,
                                  const char *text, size_t length)
{
	const int comma = v->options->decimal_comma;
	double value;

	if (length == 0 || tact_parse_is_blank(text, length))
		return NULL;
	if ((role == TACT_ROLE_GOAL || role == TACT_ROLE_ANNOYANCE ||
	     role == TACT_ROLE_VALUE) &&
	    tact_parse_out_of_range(text, length, comma))
		return TACT_PARSE_RANGE_EXPECTED; /* 1e400: as the loader says */
	switch (role) {
	case TACT_ROLE_GOAL:
	case TACT_ROLE_ANNOYANCE:
		if (tact_parse_boolean(text, length, &value) == 0 ||
		    tact_parse_number(text, length, comma, &value) == 0)
			return NULL;
		return "0 or 1 (or true/false, yes/no, or a number)";
	case TACT_ROLE_VALUE:
	case TACT_ROLE_COVARIATE:
		return tact_parse_number(text, length, comma, &value) == 0
		               ? NULL
		               : "a number";
	case TACT_ROLE_EXPOSURES:
		switch (tact_parse_count(text, length, comma, &value)) {
		case 0: return NULL;
		case -4: return "a count below 2^53";
		default: return "a whole number of 0 or more";
		}
	}
	return NULL;
}

/* A bad cell of a role column: one problem per column, positions added. */
static void bad_cell(tact_validate *v, const tact_csv_record *record,
                     size_t column, const char *expected)
{
	if (v->cell_problem[column] == 0)
		v->cell_problem[column] = add_problem(
			v, row_severity(v), 0, "'%.100s' (%s) must be %s",
			v->columns[column].name, v->columns[column].role, expected);
	add_position(v, v->cell_problem[column], record->lines[column],
	             column + 1);
}

/* Consent as the loader reads it: 1 yes, 0 no (or no answer), -1 bad. */
static int consent_of(const tact_csv_record *record, size_t column)
{
	const char *text = record->fields[column];
	size_t length = record->lengths[column];
	double value;

	if (length == 0 || tact_parse_is_blank(text, length))
		return 0;
	if (tact_parse_boolean(text, length, &value) != 0)
		return -1;
	return value == 1.0;
}

static tact_status count_unit(tact_validate *v, const tact_csv_record *record,
                              tact_error *error)
{
	const tact_column_map *map = &v->map;
	size_t d, arm, unit = TACT_KEYMAP_NONE;
	int failed = 0, added = 0;

	if (map->unit != TACT_NO_COLUMN) {
		unit = tact_keymap_intern(&v->unit_ids, record->fields[map->unit],
		                          record->lengths[map->unit], &added);
		if (unit == TACT_KEYMAP_NONE)
			return tact_error_oom(error);
		if (unit >= v->unit_capacity) {
			size_t capacity = v->unit_capacity ? 2 * v->unit_capacity : 1024;
			uint32_t *sessions = realloc(v->unit_sessions,
			                             capacity * sizeof *sessions);
			size_t *arms;
			if (!sessions)
				return tact_error_oom(error);
			v->unit_sessions = sessions;
			arms = realloc(v->unit_arm, capacity * sizeof *arms);
			if (!arms)
				return tact_error_oom(error);
			v->unit_arm = arms;
			v->unit_capacity = capacity;
		}
		if (!added) {
			/* A later session: its segment and arm do not count. */
			uint32_t *s = &v->unit_sessions[unit];
			size_t first = v->unit_arm[unit];
			if ((*s & ~MIXED_ARMS) == 1)
				v->units_repeated++;
			if ((*s & ~MIXED_ARMS) < ~MIXED_ARMS)
				(*s)++;
			if ((*s & ~MIXED_ARMS) > v->sessions_max)
				v->sessions_max = *s & ~MIXED_ARMS;
			if (!(*s & MIXED_ARMS) && first != TACT_KEYMAP_NONE &&
			    tact_keymap_find(&v->arms.labels, record->fields[map->arm],
			                     record->lengths[map->arm]) != first) {
				*s |= MIXED_ARMS;
				v->units_several_arms++;
			}
			return TACT_OK;
		}
		v->unit_sessions[unit] = 1;
		if (v->sessions_max == 0)
			v->sessions_max = 1;
	}
	v->units++;
	arm = count_label(&v->arms, record->fields[map->arm],
	                  record->lengths[map->arm], &failed);
	if (unit != TACT_KEYMAP_NONE)
		v->unit_arm[unit] = arm;
	for (d = 0; d < map->dimensions; d++) {
		size_t c = map->dimension_columns[d];
		count_label(&v->segments[d], record->fields[c], record->lengths[c],
		            &failed);
	}
	if (!failed && count_cell(v, record, arm))
		failed = 1;
	if (!failed && v->idlike && idlike_row(v, record, arm))
		failed = 1;
	return failed ? tact_error_oom(error) : TACT_OK;
}

static tact_status row(tact_validate *v, const tact_csv_record *record,
                       tact_error *error)
{
	const tact_column_map *map = &v->map;
	size_t i;
	int consent = 1, bad = 0;

	v->rows++;
	if (!v->detector.done)
		tact_privacy_detector_feed(&v->detector, record->fields,
		                           record->lengths, record->count);
	if (v->where_bound) {
		int unreadable;
		if (!tact_rule_set_holds(v->options->where, v->where_bound, record,
		                         &unreadable)) {
			v->rows_excluded_where++;
			v->where_unreadable += unreadable;
			return TACT_OK; /* counts nowhere else */
		}
	}
	if (map->consent != TACT_NO_COLUMN) {
		consent = consent_of(record, map->consent);
		if (consent < 0) {
			v->consent_bad++;
			v->rows_bad++;
			bad_cell(v, record, map->consent, "0 or 1, true/false or yes/no");
			return TACT_OK;
		}
		if (consent)
			v->consent_yes++;
		else if (record->lengths[map->consent] == 0 ||
		         tact_parse_is_blank(record->fields[map->consent],
		                             record->lengths[map->consent]))
			v->consent_missing++;
		else
			v->consent_no++;
	}
	if (!consent)
		return TACT_OK; /* counts nowhere else */
	profile(v, record);
	if (!v->mapped)
		return TACT_OK;
	if (record->lengths[map->arm] == 0) {
		if (v->empty_arm_problem == 0)
			v->empty_arm_problem = add_problem(v, row_severity(v), 0,
			                                   "the arm ('%.100s') is empty",
			                                   map->arm_name);
		add_position(v, v->empty_arm_problem, record->lines[map->arm],
		             map->arm + 1);
		bad = 1;
	}
	for (i = 0; i < map->metrics; i++) {
		size_t c = map->metric_columns[i];
		const char *expected = metric_problem(v, map->metric_roles[i],
		                                      record->fields[c],
		                                      record->lengths[c]);
		if (expected) {
			bad_cell(v, record, c, expected);
			bad = 1;
		}
	}
	if (map->unit != TACT_NO_COLUMN && record->lengths[map->unit] == 0) {
		if (v->empty_unit_problem == 0)
			v->empty_unit_problem = add_problem(
				v, row_severity(v), 0, "the unit id ('%.100s') is empty",
				map->unit_name);
		add_position(v, v->empty_unit_problem, record->lines[map->unit],
		             map->unit + 1);
		bad = 1;
	}
	if (bad) {
		v->rows_bad++;
		return TACT_OK;
	}
	v->rows_counted++;
	return count_unit(v, record, error);
}

static tact_status on_record(void *context, const tact_csv_record *record,
                             tact_error *error)
{
	tact_validate *v = context;

	if (record->index == 0) {
		if (tact_summaryfile_is_header(record)) {
			v->summary = 1;
			return tact_error_set(error, TACT_DATA, v->file, 1, 0,
			                      "this is a tact summary, not an export: "
			                      "tact-validate checks raw exports");
		}
		tact_status status = where_begin(v, record, error);
		return status ? status : begin(v, record, error);
	}
	return row(v, record, error);
}

/* ---- after the last row ---------------------------------------------- */

/* Byte order of a label list: rank[i] is label i's place. */
static int order_labels(const tact_validate_labels *l, const char *first,
                        size_t *rank)
{
	const size_t n = l->labels.count;
	size_t i, j;

	for (i = 0; i < n; i++) {
		size_t li, place = 0;
		const char *ki = tact_keymap_key(&l->labels, i, &li);
		int i_first = first && strlen(first) == li && memcmp(ki, first, li) == 0;
		for (j = 0; j < n; j++) {
			size_t lj;
			const char *kj = tact_keymap_key(&l->labels, j, &lj);
			int j_first = first && strlen(first) == lj &&
			              memcmp(kj, first, lj) == 0;
			int c = memcmp(kj, ki, lj < li ? lj : li);
			if (j == i || i_first)
				continue;
			if (j_first || c < 0 || (c == 0 && lj < li))
				place++;
		}
		rank[i] = place;
	}
	return 0;
}

/*
 * privacy: the totals printed per arm and per label are hidden as the one
 * decision for every tool says (tact_privacy_decide over the cells counted
 * here), so that they and the other tools' figures give no hidden count
 * back.  The units of labels not listed (beyond the bound) are left out of
 * the totals: while they come to 1..min_cell-1 the smallest shown label is
 * hidden too.
 */
static void hide_other(tact_validate_labels *l, int64_t min_cell)
{
	int64_t smallest = -1;
	size_t i, k = l->labels.count;

	if (!(l->other_units > 0 && l->other_units < min_cell))
		return;
	for (i = 0; i < l->labels.count; i++)
		if (!l->suppressed[i] && l->units[i] > 0 &&
		    (smallest < 0 || l->units[i] < smallest)) {
			smallest = l->units[i];
			k = i;
		}
	if (k < l->labels.count)
		l->suppressed[k] = 1;
}

tact_status tact_validate_suppress(tact_validate *v, tact_privacy_mode mode,
                                   tact_error *error)
{
	const size_t D = v->map.dimensions, A = v->arms.labels.count;
	const size_t C = v->cells.count;
	size_t **rank = calloc(D + 2, sizeof *rank);
	size_t *cell_segment = calloc(C + 1, sizeof *cell_segment);
	tact_keymap segments;
	tact_privacy_table table;
	tact_privacy_plan plan;
	size_t c, d, i, length;
	tact_status status = TACT_OK;

	tact_keymap_init(&segments);
	memset(&table, 0, sizeof table);
	memset(&plan, 0, sizeof plan);
	if (!rank || !cell_segment)
		goto memory;
	for (d = 0; d <= D; d++) {
		tact_validate_labels *l = d == 0 ? &v->arms : &v->segments[d - 1];
		free(l->suppressed);
		l->suppressed = calloc(l->labels.count + 1, 1);
		rank[d] = calloc(l->labels.count + 1, sizeof **rank);
		if (!l->suppressed || !rank[d] ||
		    order_labels(l, d == 0 ? v->options->roles.control : NULL, rank[d]))
			goto memory;
	}
	for (c = 0; c < C; c++) {
		const char *key = tact_keymap_key(&v->cells, c, &length);
		cell_segment[c] = tact_keymap_intern(&segments, key + sizeof(size_t),
		                                     length - sizeof(size_t), NULL);
		if (cell_segment[c] == TACT_KEYMAP_NONE)
			goto memory;
	}
	if (D == 0 && segments.count == 0 && A > 0 &&
	    tact_keymap_intern(&segments, "", 0, NULL) == TACT_KEYMAP_NONE)
		goto memory;
	if ((status = tact_privacy_table_alloc(&table, segments.count, A, 0, D,
	                                       error)))
		goto done;
	for (d = 0; d < D; d++)
		table.label_counts[d] = v->segments[d].labels.count;
	for (c = 0; c < C; c++) {
		size_t key[TACT_VALIDATE_CELL_KEY];
		memcpy(key, tact_keymap_key(&v->cells, c, &length), length);
		table.units[cell_segment[c] * A + rank[0][key[0]]] += v->cell_units[c];
		for (d = 0; d < D; d++)
			table.labels[cell_segment[c] * D + d] = rank[d + 1][key[d + 1]];
	}
	if ((status = tact_privacy_decide(&table, v->min_cell, mode, &plan, error)))
		goto done;
	for (i = 0; i < A; i++)
		v->arms.suppressed[i] = (unsigned char)tact_privacy_hidden(
			&plan, 0, rank[0][i], TACT_PRIVACY_UNITS);
	hide_other(&v->arms, v->min_cell);
	for (d = 0; d < D; d++) {
		for (i = 0; i < v->segments[d].labels.count; i++)
			v->segments[d].suppressed[i] = (unsigned char)
				tact_privacy_label_hidden(&plan, d, rank[d + 1][i]);
		hide_other(&v->segments[d], v->min_cell);
	}
	goto done;
memory:
	status = tact_error_oom(error);
done:
	tact_privacy_plan_release(&plan);
	tact_privacy_table_release(&table);
	tact_keymap_release(&segments);
	for (d = 0; rank && d <= D; d++)
		free(rank[d]);
	free(rank);
	free(cell_segment);
	return status;
}

static void labels_end(tact_validate *v, tact_validate_labels *l,
                       const char *what, const char *name)
{
	const tact_privacy_column *c = &v->detector.columns[l->column];

	l->hidden = c->kind != TACT_IDENTIFIER_NONE;
	/* A column refused as a whole needs no second problem. */
	if (l->identifier_labels > 0 && !l->hidden)
		add_problem(v, TACT_VALIDATE_ERROR, 0,
		            "%s '%.100s' has labels that look like e-mail addresses, "
		            "IP addresses or phone numbers (not shown; %zu unit%s): "
		            "tact refuses to copy them into its outputs", what, name,
		            l->identifier_labels, l->identifier_labels == 1 ? "" : "s");
}

static tact_status end(tact_validate *v, tact_error *error)
{
	const tact_roles_spec *roles = &v->options->roles;
	tact_error refused;
	size_t i, d, identifiers = 0;

	tact_privacy_detector_finish(&v->detector);
	for (i = 0; i < v->column_count; i++) {
		v->columns[i].identifier = v->detector.columns[i].kind;
		v->columns[i].reason = v->detector.columns[i].reason;
		identifiers += v->columns[i].identifier != TACT_IDENTIFIER_NONE;
	}
	if (identifiers)
		add_problem(v, TACT_VALIDATE_WARNING, 0,
		            "%zu column%s hold%s direct identifiers: drop %s from "
		            "the export (tact never writes them into its outputs)",
		            identifiers, identifiers == 1 ? "" : "s",
		            identifiers == 1 ? "s" : "", identifiers == 1 ? "it" : "them");
	if (v->mapped) {
		/* Every refused role column, not only the first (the tools stop at
		 * the first: tact_privacy_check_roles). */
		tact_column_map one = v->map;
		one.dimensions = 0;
		tact_error_init(&refused);
		if (tact_privacy_check_roles(&v->detector, &one, v->file,
		                             &refused) != TACT_OK)
			add_problem(v, TACT_VALIDATE_ERROR, 0, "%s", refused.message);
		for (d = 0; d < v->map.dimensions; d++) {
			one.arm = TACT_NO_COLUMN;
			one.dimensions = 1;
			one.dimension_columns = &v->map.dimension_columns[d];
			tact_error_init(&refused);
			if (tact_privacy_check_roles(&v->detector, &one, v->file,
			                             &refused) != TACT_OK)
				add_problem(v, TACT_VALIDATE_ERROR, 0, "%s", refused.message);
		}
		labels_end(v, &v->arms, "the arm", v->map.arm_name);
		for (d = 0; d < v->map.dimensions; d++)
			labels_end(v, &v->segments[d], "segment",
			           v->map.dimension_names[d]);
		if (tact_validate_suppress(v, TACT_PRIVACY_TABLES, error))
			return TACT_SOFTWARE;
	}
	if (v->rows == 0 && !v->stopped) {
		add_problem(v, TACT_VALIDATE_ERROR, 0, "no data rows after the header");
	} else if (v->mapped && v->rows_counted == 0) {
		add_problem(v, TACT_VALIDATE_ERROR, 0,
		            "no rows left: all %lld rows were excluded or rejected",
		            (long long)v->rows);
	} else if (v->mapped && v->rows_counted > 0 && !v->arms.hidden) {
		int has_control = tact_keymap_find(&v->arms.labels, roles->control,
		                                   strlen(roles->control)) !=
		                  TACT_KEYMAP_NONE;
		if (!has_control)
			add_problem(v, roles->control_set ? TACT_VALIDATE_ERROR
			                                  : TACT_VALIDATE_WARNING,
			            0, "no control arm '%.100s' in the data%s",
			            roles->control,
			            roles->control_set ? "" : " (name it with --control)");
		if (v->arms.labels.count + v->arms.other_labels < 2)
			add_problem(v, TACT_VALIDATE_WARNING, 0,
			            "a single arm: nothing to compare");
	}
	idlike_end(v);
	if (v->units_several_arms > 0)
		add_problem(v, TACT_VALIDATE_WARNING, 0,
		            "%lld units appear in more than one arm (each is kept in "
		            "its first): randomization may have leaked",
		            (long long)v->units_several_arms);
	for (i = 0; i < v->column_count; i++) {
		tact_validate_column *c = &v->columns[i];
		char p99[40], max[40];
		if (!c->quantiles)
			continue;
		quantiles_finish(c->quantiles);
		if (!tact_validate_spread_shown(v, c) || c->quantiles->extreme == 0)
			continue;
		add_problem(v, TACT_VALIDATE_WARNING, 0,
		            "'%.100s' has %s%lld value%s above %d times its 99th "
		            "percentile (p99 %s, maximum %s): a few units can decide "
		            "a segment; cap them with --cap %.100s=p99",
		            c->name, c->quantiles->approximate ? "about " : "",
		            (long long)c->quantiles->extreme,
		            c->quantiles->extreme == 1 ? "" : "s",
		            TACT_VALIDATE_EXTREME,
		            short_number(c->quantiles->p99, p99, sizeof p99),
		            short_number(c->quantiles->max, max, sizeof max), c->name);
	}
	for (i = 0; i < v->problem_count; i++) {
		if (v->problems[i].severity == TACT_VALIDATE_ERROR)
			v->errors++;
		else
			v->warnings++;
	}
	return TACT_OK;
}

/* ---- running --------------------------------------------------------- */

static tact_status run(tact_validate *v, const char *name, const char *path,
                       const char *data, size_t length,
                       const tact_load_options *options, int64_t min_cell,
                       tact_error *error)
{
	tact_csv_options csv = options->csv;
	tact_error reading;
	tact_status status;

	memset(v, 0, sizeof *v);
	v->options = options;
	v->min_cell = min_cell;
	v->map.consent = v->map.unit = TACT_NO_COLUMN;
	snprintf(v->file, sizeof v->file, "%s", name);
	csv.delimiter = options->delimiter;
	tact_error_init(&reading);
	if (data)
		status = tact_csv_read_memory(name, data, length, &csv, on_record, v,
		                              &reading);
	else
		status = tact_csv_read_file(path, &csv, on_record, v, &reading);
	if (status == TACT_DATA && (v->summary || v->refused)) {
		*error = reading;
		return status;
	}
	if (status == TACT_DATA) {
		/* Malformed CSV: reading stopped there. */
		v->stopped = 1;
		size_t p = add_problem(v, TACT_VALIDATE_ERROR, 0, "%s%s",
		                       reading.message,
		                       reading.line > 1 ? " (reading stopped there)"
		                                        : "");
		if (p && reading.line) {
			add_position(v, p, reading.line, reading.column);
			v->problems[p - 1].count = 0;
		}
		if (v->columns == NULL) {
			/* No header: only that problem. */
			v->errors = 1;
			return TACT_OK;
		}
	} else if (status != TACT_OK) {
		*error = reading;
		return status;
	}
	return end(v, error);
}

tact_status tact_validate_run(const char *path,
                              const tact_load_options *options,
                              int64_t min_cell, tact_validate *v,
                              tact_error *error)
{
	return run(v, tact_csv_display_name(path), path, NULL, 0, options,
	           min_cell, error);
}

tact_status tact_validate_run_memory(const char *name, const char *data,
                                     size_t length,
                                     const tact_load_options *options,
                                     int64_t min_cell, tact_validate *v,
                                     tact_error *error)
{
	return run(v, name, NULL, data, length, options, min_cell, error);
}

void tact_validate_release(tact_validate *v)
{
	size_t i;

	for (i = 0; v->columns && i < v->column_count; i++) {
		free(v->columns[i].name);
		quantiles_free(v->columns[i].quantiles);
		tact_keymap_release(&v->columns[i].distinct);
	}
	free(v->columns);
	free(v->cell_problem);
	if (v->mapped) {
		labels_release(&v->arms);
		for (i = 0; v->segments && i < v->map.dimensions; i++)
			labels_release(&v->segments[i]);
		tact_column_map_release(&v->map);
	}
	free(v->segments);
	tact_keymap_release(&v->cells);
	free(v->cell_units);
	tact_keymap_release(&v->unit_ids);
	free(v->unit_sessions);
	free(v->unit_arm);
	tact_privacy_detector_release(&v->detector);
	free(v->problems);
	for (i = 0; i < v->idlike_count; i++)
		idlike_release(&v->idlike[i]);
	free(v->idlike);
	free(v->where_bound);
	memset(v, 0, sizeof *v);
}
