/*
 * roles.c - role flags and their resolution against a header (see roles.h).
 */
#include "roles.h"

#include <ctype.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bins.h"

static const char *const role_names[] = {"goal", "annoyance", "value",
                                          "exposures", "covariate"};

const char *tact_role_name(tact_role role)
{
	return role_names[role];
}

int tact_role_parse(const char *name, tact_role *role)
{
	int i;

	for (i = 0; i < 5; i++) {
		if (strcmp(name, role_names[i]) == 0) {
			*role = (tact_role)i;
			return 0;
		}
	}
	return -1;
}

void tact_names_release(tact_names *names)
{
	size_t i;

	for (i = 0; i < names->count; i++)
		free(names->items[i]);
	free(names->items);
	names->items = NULL;
	names->count = 0;
}

tact_status tact_names_parse(tact_names *names, const char *text,
                             tact_error *error)
{
	const char *start = text;

	tact_names_release(names);
	if (*text == '\0')
		return TACT_OK;
	for (;;) {
		const char *end = strchr(start, ',');
		size_t length = end ? (size_t)(end - start) : strlen(start);
		char **items;

		if (length == 0) {
			tact_names_release(names);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "empty column name in list '%s'", text);
		}
		items = realloc(names->items, (names->count + 1) * sizeof *items);
		if (!items)
			return tact_error_oom(error);
		names->items = items;
		names->items[names->count] = strndup(start, length);
		if (!names->items[names->count])
			return tact_error_oom(error);
		names->count++;
		if (!end)
			break;
		start = end + 1;
	}
	return TACT_OK;
}

/* Append a copy of text[0..length) to names. */
static tact_status push_name(tact_names *names, const char *text,
                             size_t length, tact_error *error)
{
	char **items = realloc(names->items, (names->count + 1) * sizeof *items);

	if (!items)
		return tact_error_oom(error);
	names->items = items;
	if (!(items[names->count] = strndup(text, length)))
		return tact_error_oom(error);
	names->count++;
	return TACT_OK;
}

/* Check the bins of item (the last --by column) and record them. */
static tact_status close_bins(tact_roles_spec *spec, const char *bins,
                              size_t length, tact_error *error)
{
	tact_binning binning;
	tact_status status;
	char *text = strndup(bins, length);

	if (!text)
		return tact_error_oom(error);
	status = tact_binning_parse(&binning, spec->by.items[spec->by.count - 1],
	                            text, error);
	tact_binning_release(&binning);
	if (status == TACT_OK)
		status = push_name(&spec->by_bins, text, length, error);
	free(text);
	return status;
}

/* --by: columns, each maybe binned (COL=BINS; see roles.h). */
static tact_status parse_by(tact_roles_spec *spec, const char *text,
                            tact_error *error)
{
	tact_names items = {0, NULL};
	tact_status status;
	size_t i, offset = 0; /* of item i in text (split at every ',') */

	tact_names_release(&spec->by);
	tact_names_release(&spec->by_bins);
	if ((status = tact_names_parse(&items, text, error)))
		return status;
	for (i = 0; i < items.count && status == TACT_OK; i++) {
		const char *item = items.items[i], *equals = strchr(item, '=');
		size_t name = equals ? (size_t)(equals - item) : 0, end;
		if (!equals) {
			if (!(status = push_name(&spec->by, item, strlen(item), error)))
				status = push_name(&spec->by_bins, "", 0, error);
			offset += strlen(item) + 1;
			continue;
		}
		if (name == 0 || equals[1] == '\0') {
			status = tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                        "COL=BINS needs a column and bins, "
			                        "got '%s'", item);
			break;
		}
		/* The bins run on over the items that start with a digit. */
		end = offset + strlen(item);
		while (i + 1 < items.count &&
		       isdigit((unsigned char)items.items[i + 1][0]))
			end += 1 + strlen(items.items[++i]);
		if (!(status = push_name(&spec->by, item, name, error)))
			status = close_bins(spec, text + offset + name + 1,
			                    end - offset - name - 1, error);
		offset = end + 1;
	}
	tact_names_release(&items);
	if (status != TACT_OK) {
		tact_names_release(&spec->by);
		tact_names_release(&spec->by_bins);
	}
	return status;
}

/* --covariate METRIC=COLUMN: one more pair (a metric takes one). */
static tact_status add_covariate(tact_roles_spec *spec, const char *value,
                                 tact_error *error)
{
	const char *equals = strchr(value, '=');
	size_t name = equals ? (size_t)(equals - value) : 0, i;

	if (!equals || name == 0 || equals[1] == '\0' || strchr(equals + 1, '='))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "a covariate is METRIC=COLUMN, got '%s'", value);
	for (i = 0; i < spec->covariates.count; i++)
		if (strncmp(spec->covariates.items[i], value, name + 1) == 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "metric '%.*s' is given two covariates "
			                      "('%s' and '%s')", (int)name, value,
			                      spec->covariates.items[i], value);
	return push_name(&spec->covariates, value, strlen(value), error);
}

static tact_status set_string(char **target, const char *value,
                              tact_error *error)
{
	char *copy = strdup(value);

	if (!copy)
		return tact_error_oom(error);
	free(*target);
	*target = copy;
	return TACT_OK;
}

tact_status tact_roles_spec_init(tact_roles_spec *spec, tact_error *error)
{
	tact_status status;

	memset(spec, 0, sizeof *spec);
	if ((status = set_string(&spec->arm, "arm", error)) ||
	    (status = set_string(&spec->control, "control", error)) ||
	    (status = set_string(&spec->exposures, "exposures", error)) ||
	    (status = set_string(&spec->consent, "consent", error)) ||
	    (status = set_string(&spec->unit, "visitor_id", error)) ||
	    (status = parse_by(spec, "intent", error)) ||
	    (status = tact_names_parse(&spec->goal, "converted", error)) ||
	    (status = tact_names_parse(&spec->annoyance, "bounced,unsubscribed",
	                               error)) ||
	    (status = tact_names_parse(&spec->value, "revenue", error)))
		tact_roles_spec_release(spec);
	return status;
}

void tact_roles_spec_release(tact_roles_spec *spec)
{
	free(spec->arm);
	free(spec->control);
	free(spec->exposures);
	free(spec->consent);
	free(spec->unit);
	tact_names_release(&spec->by);
	tact_names_release(&spec->by_bins);
	tact_names_release(&spec->goal);
	tact_names_release(&spec->annoyance);
	tact_names_release(&spec->value);
	tact_caps_release(&spec->caps);
	tact_names_release(&spec->covariates);
	memset(spec, 0, sizeof *spec);
}

tact_status tact_roles_spec_set(tact_roles_spec *spec, const char *role,
                                const char *value, tact_error *error)
{
	struct { const char *name; char **text; tact_names *list; int *set; } table[] = {
		{"arm", &spec->arm, NULL, &spec->arm_set},
		{"control", &spec->control, NULL, &spec->control_set},
		{"exposures", &spec->exposures, NULL, &spec->exposures_set},
		{"consent", &spec->consent, NULL, &spec->consent_set},
		{"unit", &spec->unit, NULL, &spec->unit_set},
		{"by", NULL, &spec->by, &spec->by_set},
		{"goal", NULL, &spec->goal, &spec->goal_set},
		{"annoyance", NULL, &spec->annoyance, &spec->annoyance_set},
		{"value", NULL, &spec->value, &spec->value_set},
	};
	size_t i;

	if (strcmp(role, "cap") == 0)
		return tact_caps_add(&spec->caps, value, error); /* repeatable */
	if (strcmp(role, "covariate") == 0)
		return add_covariate(spec, value, error); /* repeatable */
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		tact_status status;

		if (strcmp(role, table[i].name) != 0)
			continue;
		if (table[i].text) {
			if ((strcmp(role, "arm") == 0 || strcmp(role, "control") == 0) &&
			    *value == '\0')
				return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
				                      "--%s needs a non-empty value", role);
			status = set_string(table[i].text, value, error);
		} else if (table[i].list == &spec->by) {
			status = parse_by(spec, value, error);
		} else {
			status = tact_names_parse(table[i].list, value, error);
		}
		if (status == TACT_OK)
			*table[i].set = 1;
		return status;
	}
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0, "unknown role '%s'",
	                      role);
}

/* ---- resolution ---------------------------------------------------- */

typedef struct resolver {
	char *const *fields;
	const size_t *lengths;
	size_t count;
	const char *file;
	tact_error *error;
	const char **used_by; /* per column: the role that took it, or NULL */
	/* Role columns absent or in conflict, gathered so that one message
	 * lists them all ("; "-separated), and how many. */
	char problems[TACT_ERROR_MESSAGE_MAX];
	size_t problem_count;
	size_t problem_column;  /* the field of the only problem, 0 if none */
	int absent;             /* a problem is an absent column: list the
	                           header */
} resolver;

/* Add one problem to the list (cut when long: the first ones matter). */
static void add_problem(resolver *r, size_t column, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
static void add_problem(resolver *r, size_t column, const char *format, ...)
{
	size_t used = strlen(r->problems);
	va_list args;

	if (used + 3 < sizeof r->problems) {
		if (used)
			strcpy(r->problems + used, "; "), used += 2;
		va_start(args, format);
		vsnprintf(r->problems + used, sizeof r->problems - used, format, args);
		va_end(args);
	}
	r->problem_column = r->problem_count == 0 ? column : 0;
	r->problem_count++;
}

/* "a, b, c" (cut with "..." when long), for messages.  size >= 6. */
static void header_list(const resolver *r, char *out, size_t size)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < r->count; i++) {
		char shown[64];
		int n;
		tact_error_quote(r->fields[i], r->lengths[i], shown, sizeof shown);
		n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", shown);
		/* Keep room for ", ..." and the NUL, so a cut list says so. */
		if (n < 0 || (size_t)n + 6 > size - used) {
			snprintf(out + used, size - used, "%s...", i ? ", " : "");
			return;
		}
		used += (size_t)n;
	}
}

/* Column of name, TACT_NO_COLUMN if absent; error if it appears twice. */
static tact_status find(const resolver *r, const char *name, size_t *column)
{
	size_t i, length = strlen(name);

	*column = TACT_NO_COLUMN;
	for (i = 0; i < r->count; i++) {
		if (r->lengths[i] != length || memcmp(r->fields[i], name, length))
			continue;
		if (*column != TACT_NO_COLUMN)
			return tact_error_set(r->error, TACT_DATA, r->file, 1, i + 1,
			                      "column '%s' appears twice in the header "
			                      "(fields %zu and %zu)",
			                      name, *column + 1, i + 1);
		*column = i;
	}
	/* Not found, but there after a byte-order mark (a second one at the
	 * start, or one inside the header of files pasted together): name
	 * the mark, or the message would say the column is missing. */
	for (i = 0; i < r->count && *column == TACT_NO_COLUMN; i++) {
		const char *f = r->fields[i];
		size_t n = r->lengths[i];
		while (n >= 3 && memcmp(f, "\xEF\xBB\xBF", 3) == 0)
			f += 3, n -= 3;
		if (n == length && n < r->lengths[i] && memcmp(f, name, length) == 0)
			return tact_error_set(r->error, TACT_DATA, r->file, 1, i + 1,
			                      "the name of column %zu is '%s' after a "
			                      "byte-order mark (U+FEFF, bytes EF BB BF): "
			                      "remove the mark (save the file as UTF-8 "
			                      "once, or without it)", i + 1, name);
	}
	return TACT_OK;
}

/*
 * Resolve one role column.  required: absent is an error.  flag names the
 * option for the message.  Returns the column or TACT_NO_COLUMN in *column.
 */
static tact_status take(resolver *r, const char *name, const char *role,
                        const char *flag, int required, size_t *column)
{
	tact_status status = find(r, name, column);

	if (status != TACT_OK)
		return status;
	if (*column == TACT_NO_COLUMN) {
		if (required && (r->absent = 1))
			add_problem(r, 0, "no column '%s' for %s (name it with --%s)",
			            name, role, flag);
		return TACT_OK;
	}
	/* A default nobody named yields to a role given to its column
	 * ("--goal revenue" leaves out the default value metric 'revenue'). */
	if (r->used_by[*column] && !required) {
		*column = TACT_NO_COLUMN;
		return TACT_OK;
	}
	if (r->used_by[*column]) {
		add_problem(r, *column + 1, "column '%s' cannot be both %s and %s",
		            name, r->used_by[*column], role);
		*column = TACT_NO_COLUMN;
		return TACT_OK;
	}
	r->used_by[*column] = role;
	return TACT_OK;
}

static int push_metric(tact_column_map *map, size_t column, const char *name,
                       tact_role role)
{
	size_t n = map->metrics + 1;
	size_t *columns = realloc(map->metric_columns, n * sizeof *columns);
	char **names;
	tact_role *roles;

	if (!columns)
		return -1;
	map->metric_columns = columns;
	names = realloc(map->metric_names, n * sizeof *names);
	if (!names)
		return -1;
	map->metric_names = names;
	roles = realloc(map->metric_roles, n * sizeof *roles);
	if (!roles)
		return -1;
	map->metric_roles = roles;
	map->metric_columns[map->metrics] = column;
	map->metric_roles[map->metrics] = role;
	map->metric_names[map->metrics] = strdup(name);
	if (!map->metric_names[map->metrics])
		return -1;
	map->metrics = n;
	return 0;
}

static tact_status take_metric(resolver *r, tact_column_map *map,
                               const char *name, tact_role role, int required)
{
	static const char *const role_text[] = {"a goal metric",
	                                        "an annoyance metric",
	                                        "a value metric", "exposures"};
	size_t column;
	tact_status status = take(r, name, role_text[role], tact_role_name(role),
	                          required, &column);

	if (status != TACT_OK || column == TACT_NO_COLUMN)
		return status;
	if (strchr(name, ':'))
		return tact_error_set(r->error, TACT_DATA, r->file, 1, column + 1,
		                      "metric column name '%s' must not contain ':' "
		                      "(summaries use it as a separator)", name);
	if (push_metric(map, column, name, role))
		return tact_error_oom(r->error);
	return TACT_OK;
}

/* privacy: the unit column segmenting (--by visitor_id) would print one
 * row per unit, labelled with its id; the default unit does not yield to
 * it as other defaults yield. */
static tact_status refuse_unit_segment(resolver *r, const tact_roles_spec *spec)
{
	size_t column;

	if (find(r, spec->unit, &column) != TACT_OK || column == TACT_NO_COLUMN ||
	    !r->used_by[column] || strcmp(r->used_by[column], "a segment") != 0)
		return TACT_OK;
	return tact_error_set(r->error, TACT_DATA, r->file, 1, column + 1,
	                      "column '%s' is the unit (one id per unit) and "
	                      "cannot be a segment: its labels would name every "
	                      "unit in every output", spec->unit);
}

/* The segment columns.  The default 'intent', absent, means no segments
 * (a plain A/B export): map->segments_absent says so for a note. */
static tact_status resolve_segments(resolver *r, const tact_roles_spec *spec,
                                    tact_column_map *map)
{
	tact_status status;
	size_t i, column;

	map->dimension_columns = calloc(spec->by.count + 1, sizeof(size_t));
	map->dimension_names = calloc(spec->by.count + 1, sizeof(char *));
	map->dimension_bins = calloc(spec->by.count + 1, sizeof(char *));
	if (!map->dimension_columns || !map->dimension_names ||
	    !map->dimension_bins)
		return tact_error_oom(r->error);
	if (!spec->by_set && spec->by.count == 1) {
		if ((status = find(r, spec->by.items[0], &column)))
			return status;
		if (column == TACT_NO_COLUMN) {
			map->segments_absent = 1;
			return TACT_OK;
		}
	}
	for (i = 0; i < spec->by.count; i++) {
		status = take(r, spec->by.items[i], "a segment", "by", 1, &column);
		if (status != TACT_OK)
			return status;
		if (column == TACT_NO_COLUMN)
			continue; /* a problem listed */
		map->dimension_columns[map->dimensions] = column;
		map->dimension_names[map->dimensions] = strdup(spec->by.items[i]);
		if (!map->dimension_names[map->dimensions])
			return tact_error_oom(r->error);
		if (i < spec->by_bins.count && *spec->by_bins.items[i] &&
		    !(map->dimension_bins[map->dimensions] =
		          strdup(spec->by_bins.items[i])))
			return tact_error_oom(r->error);
		map->dimensions++;
	}
	return TACT_OK;
}

/* --covariate: each covariate column once, after every other metric, and
 * each metric's covariate in map->metric_covariate. */
static tact_status resolve_covariates(resolver *r, const tact_roles_spec *spec,
                                      tact_column_map *map)
{
	const size_t compared = map->metrics;
	size_t i, m, k, column;
	tact_status status;

	if (spec->covariates.count == 0)
		return TACT_OK;
	if (!(map->metric_covariate = malloc((compared + spec->covariates.count) *
	                                     sizeof *map->metric_covariate)))
		return tact_error_oom(r->error);
	for (m = 0; m < compared + spec->covariates.count; m++)
		map->metric_covariate[m] = TACT_NO_COLUMN;
	for (i = 0; i < spec->covariates.count; i++) {
		const char *item = spec->covariates.items[i];
		const char *name = strchr(item, '=') + 1;
		size_t length = (size_t)(name - 1 - item);

		for (m = 0; m < compared; m++)
			if (strlen(map->metric_names[m]) == length &&
			    memcmp(map->metric_names[m], item, length) == 0)
				break;
		if (m == compared || map->metric_roles[m] == TACT_ROLE_EXPOSURES) {
			add_problem(r, 0, "--covariate %s: no goal, annoyance or value "
			            "metric '%.*s'", item, (int)length, item);
			continue;
		}
		for (k = compared; k < map->metrics; k++)
			if (strcmp(map->metric_names[k], name) == 0)
				break;
		if (k == map->metrics) {
			if ((status = take(r, name, "a covariate", "covariate", 1,
			                   &column)))
				return status;
			if (column == TACT_NO_COLUMN)
				continue; /* a problem listed */
			if (strchr(name, ':'))
				return tact_error_set(r->error, TACT_DATA, r->file, 1,
				                      column + 1, "covariate column name "
				                      "'%s' must not contain ':' (summaries "
				                      "use it as a separator)", name);
			if (push_metric(map, column, name, TACT_ROLE_COVARIATE))
				return tact_error_oom(r->error);
		}
		map->metric_covariate[m] = k;
	}
	return TACT_OK;
}

static tact_status resolve(resolver *r, const tact_roles_spec *spec,
                           tact_column_map *map)
{
	const tact_names *lists[] = {&spec->goal, &spec->annoyance, &spec->value};
	const int list_set[] = {spec->goal_set, spec->annoyance_set,
	                        spec->value_set};
	tact_status status;
	size_t i, k;

	status = take(r, spec->arm, "the arm", "arm", 1, &map->arm);
	if (status != TACT_OK)
		return status;
	if (!(map->arm_name = strdup(spec->arm)))
		return tact_error_oom(r->error);
	if ((status = resolve_segments(r, spec, map)))
		return status;
	for (k = 0; k < 3; k++)
		for (i = 0; i < lists[k]->count; i++)
			if ((status = take_metric(r, map, lists[k]->items[i],
			                          (tact_role)k, list_set[k])))
				return status;
	if (*spec->exposures &&
	    (status = take_metric(r, map, spec->exposures, TACT_ROLE_EXPOSURES,
	                          spec->exposures_set)))
		return status;
	if (map->metrics == 0 && r->problem_count == 0 && (r->absent = 1))
		add_problem(r, 0, "no metric column: name them with --goal, "
		            "--annoyance, --value or --exposures");
	if ((status = resolve_covariates(r, spec, map)))
		return status;
	if (*spec->consent &&
	    (status = take(r, spec->consent, "the consent", "consent",
	                   spec->consent_set, &map->consent)))
		return status;
	if (*spec->unit && (status = refuse_unit_segment(r, spec)))
		return status;
	if (*spec->unit &&
	    (status = take(r, spec->unit, "the unit", "unit", spec->unit_set,
	                   &map->unit)))
		return status;
	if (r->problem_count) {
		/* Every absent or conflicting role column in one message. */
		char list[512];
		header_list(r, list, sizeof list);
		return tact_error_set(r->error, TACT_DATA, r->file, 1,
		                      r->problem_column, "%s%s%s", r->problems,
		                      r->absent ? "; the header has: " : "",
		                      r->absent ? list : "");
	}
	if (map->unit != TACT_NO_COLUMN && !(map->unit_name = strdup(spec->unit)))
		return tact_error_oom(r->error);
	return TACT_OK;
}

tact_status tact_roles_resolve(const tact_roles_spec *spec,
                               char *const *fields, const size_t *lengths,
                               size_t count, const char *file,
                               tact_column_map *map, tact_error *error)
{
	resolver r;
	tact_status status;

	memset(map, 0, sizeof *map);
	map->columns = count;
	map->consent = TACT_NO_COLUMN;
	map->unit = TACT_NO_COLUMN;
	r.fields = fields;
	r.lengths = lengths;
	r.count = count;
	r.file = file;
	r.error = error;
	r.problems[0] = '\0';
	r.problem_count = 0;
	r.problem_column = 0;
	r.absent = 0;
	r.used_by = calloc(count + 1, sizeof *r.used_by);
	if (!r.used_by)
		return tact_error_oom(error);
	status = resolve(&r, spec, map);
	free((void *)r.used_by);
	if (status != TACT_OK)
		tact_column_map_release(map);
	return status;
}

void tact_column_map_release(tact_column_map *map)
{
	size_t i;

	free(map->arm_name);
	for (i = 0; i < map->dimensions; i++) {
		free(map->dimension_names[i]);
		if (map->dimension_bins)
			free(map->dimension_bins[i]);
	}
	free(map->dimension_bins);
	for (i = 0; i < map->metrics; i++)
		free(map->metric_names[i]);
	free(map->dimension_columns);
	free(map->dimension_names);
	free(map->metric_columns);
	free(map->metric_names);
	free(map->metric_roles);
	free(map->metric_covariate);
	free(map->unit_name);
	memset(map, 0, sizeof *map);
	map->consent = TACT_NO_COLUMN;
	map->unit = TACT_NO_COLUMN;
}
