/*
 * intent.c - the intent model: features and their encoding, loading the
 * labelled rows, fitting, predicting, deciding (see intent.h and
 * intent_internal.h).
 *
 * Loading keeps, per feature, the distinct texts of its cells (a keymap)
 * and per row the index of each cell's text: the kind of a feature can
 * only be known once every value has been seen (one text among a million
 * numbers makes it categorical), and each distinct text is then parsed
 * once, not once per row.
 */
#include "intent_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "logistic.h"
#include "parse.h"
#include "privacy.h"

#define NO_COLUMN ((size_t)-1)


/* Byte order, shorter first on a common prefix (the order of levels and
 * classes; Python's sorted() on UTF-8 text agrees). */
static int compare_bytes(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

/* ---- exposure ---------------------------------------------------------- */

static const char *const post_exposure_stems[] = {
	"bounce", "exit", "duration", "dwell", "timeon", "timespent", "revenue",
	"convert", "purchase", "order", "transaction", "checkout", "cart",
	"click", "unsubscrib", "complain", "pagevalue",
};

const char *tact_intent_post_exposure_stem(const char *name)
{
	char folded[256];
	size_t n = 0, i;

	for (; *name && n + 1 < sizeof folded; name++)
		if (isalnum((unsigned char)*name))
			folded[n++] = (char)tolower((unsigned char)*name);
	folded[n] = '\0';
	for (i = 0; i < sizeof post_exposure_stems / sizeof *post_exposure_stems;
	     i++)
		if (strstr(folded, post_exposure_stems[i]))
			return post_exposure_stems[i];
	return NULL;
}

static int names_has(const tact_names *names, const char *name)
{
	size_t i;

	for (i = 0; names && i < names->count; i++)
		if (strcmp(names->items[i], name) == 0)
			return 1;
	return 0;
}

tact_intent_exposure tact_intent_exposure_of(const char *name,
                                             const tact_names *pre,
                                             const tact_names *post)
{
	if (names_has(post, name))
		return TACT_EXPOSURE_POST;
	if (names_has(pre, name))
		return TACT_EXPOSURE_PRE;
	if (tact_intent_post_exposure_stem(name))
		return TACT_EXPOSURE_LOOKS_POST;
	return TACT_EXPOSURE_UNKNOWN;
}

void tact_intent_exposure_warning(char *const *names,
                                  const tact_intent_exposure *exposures,
                                  size_t count, char *buffer, size_t size)
{
	size_t i, used = 0, flagged = 0, looks = 0;

	if (size == 0)
		return;
	buffer[0] = '\0';
	for (i = 0; i < count; i++) {
		char shown[80], why[64];
		int n;
		if (exposures[i] != TACT_EXPOSURE_POST &&
		    exposures[i] != TACT_EXPOSURE_LOOKS_POST)
			continue;
		tact_error_quote(names[i], strlen(names[i]), shown, sizeof shown);
		if (exposures[i] == TACT_EXPOSURE_POST) {
			snprintf(why, sizeof why, "declared");
		} else {
			snprintf(why, sizeof why, "its name has '%s'",
			         tact_intent_post_exposure_stem(names[i]));
			looks++;
		}
		n = snprintf(buffer + used, size - used, "%s'%s' (%s)",
		             flagged ? ", " : "columns measured after exposure: ",
		             shown, why);
		flagged++;
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
	if (flagged)
		snprintf(buffer + used, size - used,
		         ": an intent inferred from behaviour after the "
		         "personalization was shown is not a pre-treatment segment "
		         "and biases every per-segment comparison%s",
		         looks ? " (declare columns measured before the first "
		                 "exposure with --pre-exposure)"
		               : "");
}

void tact_intent_model_warning(const tact_intent_model *model,
                               const tact_names *pre, const tact_names *post,
                               char *buffer, size_t size)
{
	size_t n = model->rules ? model->rule_set.column_count
	                        : model->feature_count, i;
	char **names = calloc(n + 1, sizeof *names);
	tact_intent_exposure *kinds = calloc(n + 1, sizeof *kinds);

	if (size)
		buffer[0] = '\0';
	for (i = 0; names && kinds && i < n; i++) {
		names[i] = model->rules ? model->rule_set.columns[i]
		                        : model->features[i].name;
		kinds[i] = model->rules ? tact_intent_exposure_of(names[i], pre, post)
		                        : model->features[i].exposure;
	}
	if (names && kinds)
		tact_intent_exposure_warning(names, kinds, n, buffer, size);
	free(names);
	free(kinds);
}

/* ---- model ------------------------------------------------------------- */

void tact_intent_model_init(tact_intent_model *model)
{
	memset(model, 0, sizeof *model);
	tact_rule_set_init(&model->rule_set);
}

static void free_coefficients(tact_intent_model *model)
{
	free(model->coefficients);
	free(model->standard_errors);
	free(model->mean);
	free(model->sd);
	model->coefficients = model->standard_errors = NULL;
	model->mean = model->sd = NULL;
	model->coefficient_rows = 0;
}

void tact_intent_model_release(tact_intent_model *model)
{
	size_t i, l;

	free(model->label);
	for (i = 0; i < model->class_count; i++)
		free(model->classes[i]);
	free(model->classes);
	free(model->class_counts);
	for (i = 0; i < model->feature_count; i++) {
		tact_intent_feature *f = &model->features[i];
		free(f->name);
		for (l = 0; l < f->level_count; l++)
			free(f->levels[l]);
		free(f->levels);
		free(f->level_lengths);
	}
	free(model->features);
	free_coefficients(model);
	tact_rule_set_release(&model->rule_set);
	tact_intent_model_init(model);
}

char *tact_intent_model_describe(const tact_intent_model *model, char *buffer,
                                 size_t size)
{
	snprintf(buffer, size,
	         "%.0f rows used, %.0f left out (no label or an empty feature); "
	         "%zu classes; %zu features in %zu columns; %s in %zu iterations",
	         model->rows, model->rows_left_out, model->class_count,
	         model->feature_count, model->encoded,
	         model->converged ? "converged" : "NOT converged",
	         model->iterations);
	return buffer;
}

char *tact_intent_column_name(const tact_intent_model *model, size_t j,
                              char *buffer, size_t size)
{
	size_t f;

	if (size)
		buffer[0] = '\0';
	for (f = 0; f < model->feature_count; f++) {
		const tact_intent_feature *feature = &model->features[f];
		size_t width = feature->kind == TACT_INTENT_CATEGORICAL
		                       ? feature->level_count - 1
		                       : 1;
		if (j >= feature->first && j < feature->first + width) {
			if (feature->kind == TACT_INTENT_CATEGORICAL)
				snprintf(buffer, size, "%s=%s", feature->name,
				         feature->levels[j - feature->first + 1]);
			else
				snprintf(buffer, size, "%s", feature->name);
			break;
		}
	}
	return buffer;
}

void tact_intent_options_init(tact_intent_options *options)
{
	memset(options, 0, sizeof *options);
	options->consent = "consent";
	options->lambda = 1.0;
	options->max_iterations = 100;
	options->max_levels = TACT_INTENT_MAX_LEVELS;
}

void tact_intent_options_release(tact_intent_options *options)
{
	tact_names_release(&options->features);
	tact_names_release(&options->categorical);
	tact_names_release(&options->pre_exposure);
	tact_names_release(&options->post_exposure);
	tact_intent_options_init(options);
}

void tact_intent_data_init(tact_intent_data *data)
{
	memset(data, 0, sizeof *data);
}

void tact_intent_data_release(tact_intent_data *data)
{
	free(data->x);
	free(data->labels);
	free(data->lines);
	free(data->rule_class);
	tact_intent_data_init(data);
}

/* ---- loading ----------------------------------------------------------- */

typedef struct loader {
	const tact_intent_options *options;
	tact_intent_model *rules;
	const char *file;
	size_t label_column;
	size_t feature_count;
	size_t *columns;            /* per feature, its field */
	tact_keymap labels;         /* distinct label texts */
	tact_keymap *values;        /* per feature, distinct texts */
	uint32_t *cells;            /* rows x features */
	uint32_t *label_of;         /* per row */
	uint64_t *lines;            /* per row */
	size_t *rule_class;         /* per row (rules) */
	size_t rows, capacity;
	double left_out;
	size_t consent_column;      /* NO_COLUMN when none */
	double excluded_consent;
	size_t *where_bound;        /* --where's columns' fields, or NULL */
	double excluded_where;
	tact_privacy_detector privacy; /* identifiers in the first rows */
} loader;

static tact_status find_column(const tact_csv_record *header, const char *name,
                               const char *role, const char *file,
                               size_t *column, tact_error *error)
{
	size_t length = strlen(name), i;
	char shown[120];

	*column = NO_COLUMN;
	for (i = 0; i < header->count; i++) {
		if (header->lengths[i] != length ||
		    memcmp(header->fields[i], name, length) != 0)
			continue;
		if (*column != NO_COLUMN) {
			tact_error_quote(name, length, shown, sizeof shown);
			return tact_error_set(error, TACT_DATA, file, header->line, i + 1,
			                      "column '%s' (%s) appears twice in the "
			                      "header", shown, role);
		}
		*column = i;
	}
	if (*column == NO_COLUMN) {
		tact_error_quote(name, length, shown, sizeof shown);
		return tact_error_set(error, TACT_DATA, file, header->line, 0,
		                      "no column '%s' (%s) in the header", shown, role);
	}
	return TACT_OK;
}

static tact_status grow_rows(loader *l, tact_error *error)
{
	size_t capacity = l->capacity ? 2 * l->capacity : 1024;
	uint32_t *cells, *label_of;
	uint64_t *lines;

	if (l->feature_count) {
		cells = realloc(l->cells, capacity * l->feature_count * sizeof *cells);
		if (!cells)
			return tact_error_oom(error);
		l->cells = cells;
	}
	label_of = realloc(l->label_of, capacity * sizeof *label_of);
	if (!label_of)
		return tact_error_oom(error);
	l->label_of = label_of;
	lines = realloc(l->lines, capacity * sizeof *lines);
	if (!lines)
		return tact_error_oom(error);
	l->lines = lines;
	if (l->rules) {
		size_t *rule_class = realloc(l->rule_class,
		                             capacity * sizeof *rule_class);
		if (!rule_class)
			return tact_error_oom(error);
		l->rule_class = rule_class;
	}
	l->capacity = capacity;
	return TACT_OK;
}

static tact_status intern(tact_keymap *map, const char *text, size_t length,
                          uint32_t *index, tact_error *error)
{
	size_t i = tact_keymap_intern(map, text, length, NULL);

	if (i == TACT_KEYMAP_NONE)
		return tact_error_oom(error);
	if (i > UINT32_MAX)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "more than 2^32 distinct values in one column");
	*index = (uint32_t)i;
	return TACT_OK;
}

/* privacy: the label's classes and a categorical feature's levels are
 * written into the model, so a column of direct identifiers (privacy.h)
 * can be neither. */
static tact_status refuse_identifiers(loader *l, tact_error *error)
{
	size_t f, c;

	tact_privacy_detector_finish(&l->privacy);
	for (f = 0; f <= l->feature_count; f++) {
		const tact_privacy_column *column;
		c = f < l->feature_count ? l->columns[f] : l->label_column;
		if (c >= l->privacy.count)
			continue;
		column = &l->privacy.columns[c];
		if (column->kind != TACT_IDENTIFIER_NONE)
			return tact_error_set(
				error, TACT_DATA, l->file, 1, c + 1,
				"column '%.100s' holds direct identifiers (%s, by its %s) and "
				"cannot be %s: its values would be copied into the model",
				column->name, tact_identifier_kind_text(column->kind),
				tact_identifier_reason_text(column->reason),
				f < l->feature_count ? "a feature" : "the label");
	}
	return TACT_OK;
}

static tact_status on_record(void *context, const tact_csv_record *record,
                             tact_error *error)
{
	loader *l = context;
	const tact_intent_options *o = l->options;
	size_t f;
	uint32_t index;
	tact_status status;

	if (record->index == 0) {
		status = find_column(record, o->label, "the label", l->file,
		                     &l->label_column, error);
		for (f = 0; status == TACT_OK && f < l->feature_count; f++)
			status = find_column(record, o->features.items[f], "a feature",
			                     l->file, &l->columns[f], error);
		if (status == TACT_OK && l->rules)
			status = tact_rule_set_bind(&l->rules->rule_set, record, l->file,
			                            error);
		l->consent_column = NO_COLUMN;
		if (status == TACT_OK && o->consent && *o->consent) {
			status = find_column(record, o->consent, "the consent", l->file,
			                     &l->consent_column, error);
			/* The default consent column is used only when it exists. */
			if (status == TACT_DATA && !o->consent_set &&
			    l->consent_column == NO_COLUMN) {
				tact_error_init(error);
				status = TACT_OK;
			}
		}
		if (status == TACT_OK && o->where) {
			/* --where: its columns, before anything else is read. */
			o->where->decimal_comma = o->decimal_comma;
			l->where_bound = malloc((o->where->column_count + 1) *
			                        sizeof *l->where_bound);
			status = l->where_bound
			         ? tact_rule_set_resolve(o->where, record, l->file,
			                                 l->where_bound, error)
			         : tact_error_oom(error);
		}
		if (status == TACT_OK) /* privacy: names like addresses */
			status = tact_privacy_check_names(record->fields,
			                                  record->lengths, record->count,
			                                  l->file, error);
		if (status == TACT_OK)
			status = tact_privacy_detector_init(&l->privacy, record->fields,
			                                    record->lengths, record->count,
			                                    error);
		return status;
	}
	if (!l->privacy.done &&
	    !tact_privacy_detector_feed(&l->privacy, record->fields,
	                                record->lengths, record->count) &&
	    (status = refuse_identifiers(l, error)) != TACT_OK)
		return status;
	if (l->where_bound &&
	    !tact_rule_set_holds(o->where, l->where_bound, record, NULL)) {
		l->excluded_where++;
		return TACT_OK;
	}
	/* Rows without consent are left out before anything else is read:
	 * no answer (an empty cell), 0, false or no.  An unreadable answer is
	 * taken as no consent too, and counted with them. */
	if (l->consent_column != NO_COLUMN) {
		double given = 0;
		if (tact_parse_boolean(record->fields[l->consent_column],
		                       record->lengths[l->consent_column], &given) != 0 ||
		    given != 1.0) {
			l->excluded_consent++;
			return TACT_OK;
		}
	}
	if (tact_parse_is_blank(record->fields[l->label_column],
	                        record->lengths[l->label_column])) {
		l->left_out++;
		return TACT_OK;
	}
	for (f = 0; f < l->feature_count; f++)
		if (tact_parse_is_blank(record->fields[l->columns[f]],
		                        record->lengths[l->columns[f]])) {
			l->left_out++;
			return TACT_OK;
		}
	if (l->rows == l->capacity && (status = grow_rows(l, error)) != TACT_OK)
		return status;
	for (f = 0; f < l->feature_count; f++) {
		size_t c = l->columns[f];
		status = intern(&l->values[f], record->fields[c], record->lengths[c],
		                &l->cells[l->rows * l->feature_count + f], error);
		if (status != TACT_OK)
			return status;
	}
	status = intern(&l->labels, record->fields[l->label_column],
	                record->lengths[l->label_column], &index, error);
	if (status != TACT_OK)
		return status;
	l->label_of[l->rows] = index;
	l->lines[l->rows] = record->line;
	if (l->rules) {
		status = tact_rule_set_classify(&l->rules->rule_set, record, l->file,
		                                &l->rule_class[l->rows], error);
		if (status != TACT_OK)
			return status;
	}
	l->rows++;
	return TACT_OK;
}

static tact_status check_options(const tact_intent_options *o, int rules,
                                 tact_error *error)
{
	size_t i, j;

	if (!o->label || !o->label[0])
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the label column is required (--label)");
	if (rules)
		return TACT_OK;
	if (o->features.count == 0)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "at least one feature is required (--features)");
	for (i = 0; i < o->features.count; i++) {
		if (strcmp(o->features.items[i], o->label) == 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "the label '%s' cannot be a feature too",
			                      o->label);
		for (j = 0; j < i; j++)
			if (strcmp(o->features.items[i], o->features.items[j]) == 0)
				return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
				                      "feature '%s' is given twice",
				                      o->features.items[i]);
	}
	for (i = 0; i < o->categorical.count; i++)
		if (!names_has(&o->features, o->categorical.items[i]))
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "'%s' is declared categorical but is not a "
			                      "feature", o->categorical.items[i]);
	return TACT_OK;
}

/* Sort indices of a keymap's keys by their bytes. */
static const tact_keymap *sorting_map;

static int by_key(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b, la, lb;
	const char *ka = tact_keymap_key(sorting_map, ia, &la);
	const char *kb = tact_keymap_key(sorting_map, ib, &lb);

	return compare_bytes(ka, la, kb, lb);
}

/* order[0..count) = the map's indices sorted; rank[index] = position. */
static tact_status sort_keys(const tact_keymap *map, size_t **order,
                             size_t **rank, tact_error *error)
{
	size_t i, n = map->count;

	*order = malloc((n ? n : 1) * sizeof **order);
	*rank = malloc((n ? n : 1) * sizeof **rank);
	if (!*order || !*rank) {
		free(*order);
		free(*rank);
		*order = *rank = NULL;
		return tact_error_oom(error);
	}
	for (i = 0; i < n; i++)
		(*order)[i] = i;
	/* qsort has no context argument in C11: the map goes through a static,
	 * which is safe because lib/ runs one load at a time per process. */
	sorting_map = map;
	qsort(*order, n, sizeof **order, by_key);
	for (i = 0; i < n; i++)
		(*rank)[(*order)[i]] = i;
	return TACT_OK;
}

/* Decide one feature's kind and fill values[key] (numeric, boolean) or
 * level[key] (categorical, via rank). */
static tact_status encode_feature(loader *l, size_t f, tact_intent_model *model,
                                  double **values, size_t **rank,
                                  tact_error *error)
{
	const tact_keymap *map = &l->values[f];
	tact_intent_feature *feature = &model->features[f];
	size_t i, n = map->count, *order = NULL;
	int numeric = 1, boolean = 1;
	tact_status status;

	*values = malloc((n ? n : 1) * sizeof **values);
	if (!*values)
		return tact_error_oom(error);
	if (!names_has(&l->options->categorical, feature->name)) {
		for (i = 0; i < n && (numeric || boolean); i++) {
			size_t length;
			const char *key = tact_keymap_key(map, i, &length);
			double ignored;
			numeric = numeric && tact_parse_number(key, length,
			                                       l->options->decimal_comma,
			                                       &ignored) == 0;
			boolean = boolean &&
			          tact_parse_boolean(key, length, &ignored) == 0;
		}
		if (numeric || boolean) {
			/* 0/1 columns are both: numbers, the same codes. */
			feature->kind = numeric ? TACT_INTENT_NUMERIC : TACT_INTENT_BOOLEAN;
			for (i = 0; i < n; i++) {
				size_t length;
				const char *key = tact_keymap_key(map, i, &length);
				if (numeric)
					tact_parse_number(key, length, l->options->decimal_comma,
					                  &(*values)[i]);
				else
					tact_parse_boolean(key, length, &(*values)[i]);
			}
			return TACT_OK;
		}
	}
	feature->kind = TACT_INTENT_CATEGORICAL;
	/* L levels make L - 1 columns, and each Newton step solves a system of
	 * their square: the time grows with the cube (600 levels took 68 s and
	 * 233 MB; 3,000 visitor ids over 10 minutes and 3.3 GB). */
	if (l->options->max_levels && n > l->options->max_levels)
		return tact_error_set(
			error, TACT_DATA, l->file, 0, 0,
			"categorical feature '%.100s' has %zu levels, more than "
			"--max-levels %zu: its one-hot columns would make the fit grow "
			"with the cube of the levels; group rare levels into one, or "
			"raise --max-levels", feature->name, n, l->options->max_levels);
	status = sort_keys(map, &order, rank, error);
	if (status != TACT_OK)
		return status;
	feature->levels = calloc(n ? n : 1, sizeof *feature->levels);
	feature->level_lengths = calloc(n ? n : 1, sizeof *feature->level_lengths);
	if (!feature->levels || !feature->level_lengths) {
		free(order);
		return tact_error_oom(error);
	}
	feature->level_count = n;
	for (i = 0; i < n; i++) {
		size_t length;
		const char *key = tact_keymap_key(map, order[i], &length);
		feature->levels[i] = tact_parse_copy(key, length);
		feature->level_lengths[i] = length;
		if (!feature->levels[i]) {
			free(order);
			return tact_error_oom(error);
		}
	}
	free(order);
	return TACT_OK;
}

/* Everything after reading: classes, features, the encoded matrix. */
static tact_status encode_all(loader *l, tact_intent_model *model,
                              tact_intent_data *data, tact_error *error)
{
	const tact_intent_options *o = l->options;
	size_t *class_order = NULL, *class_rank = NULL, i, f, p = 0;
	double **values = NULL;
	size_t **ranks = NULL;
	tact_status status;

	status = sort_keys(&l->labels, &class_order, &class_rank, error);
	if (status != TACT_OK)
		return status;
	model->class_count = l->labels.count;
	model->classes = calloc(model->class_count, sizeof *model->classes);
	model->class_counts = calloc(model->class_count,
	                             sizeof *model->class_counts);
	model->feature_count = l->feature_count;
	model->features = calloc(l->feature_count ? l->feature_count : 1,
	                         sizeof *model->features);
	values = calloc(l->feature_count ? l->feature_count : 1, sizeof *values);
	ranks = calloc(l->feature_count ? l->feature_count : 1, sizeof *ranks);
	data->labels = malloc(l->rows * sizeof *data->labels);
	if (!model->classes || !model->class_counts || !model->features ||
	    !values || !ranks || !data->labels) {
		status = tact_error_oom(error);
		goto done;
	}
	for (i = 0; i < model->class_count; i++) {
		size_t length;
		const char *key = tact_keymap_key(&l->labels, class_order[i], &length);
		model->classes[i] = tact_parse_copy(key, length);
		if (!model->classes[i]) {
			status = tact_error_oom(error);
			goto done;
		}
	}
	for (i = 0; i < l->rows; i++) {
		data->labels[i] = class_rank[l->label_of[i]];
		model->class_counts[data->labels[i]]++;
	}
	for (f = 0; f < l->feature_count; f++) {
		tact_intent_feature *feature = &model->features[f];
		feature->name = tact_parse_copy(o->features.items[f],
		                           strlen(o->features.items[f]));
		if (!feature->name) {
			status = tact_error_oom(error);
			goto done;
		}
		feature->exposure = tact_intent_exposure_of(
		        feature->name, &o->pre_exposure, &o->post_exposure);
		status = encode_feature(l, f, model, &values[f], &ranks[f], error);
		if (status != TACT_OK)
			goto done;
		feature->first = p;
		p += feature->kind == TACT_INTENT_CATEGORICAL
		             ? feature->level_count - 1
		             : 1;
	}
	model->encoded = data->encoded = p;
	data->rows = l->rows;
	data->x = calloc(l->rows * (p ? p : 1), sizeof *data->x);
	if (!data->x) {
		status = tact_error_oom(error);
		goto done;
	}
	for (i = 0; i < l->rows; i++) {
		double *x = data->x + i * p;
		for (f = 0; f < l->feature_count; f++) {
			const tact_intent_feature *feature = &model->features[f];
			uint32_t key = l->cells[i * l->feature_count + f];
			if (feature->kind != TACT_INTENT_CATEGORICAL)
				x[feature->first] = values[f][key];
			else if (ranks[f][key] > 0)
				x[feature->first + ranks[f][key] - 1] = 1.0;
		}
	}
	status = TACT_OK;
done:
	for (f = 0; values && ranks && f < l->feature_count; f++) {
		free(values[f]);
		free(ranks[f]);
	}
	free(values);
	free(ranks);
	free(class_order);
	free(class_rank);
	return status;
}

/* privacy: a feature or a label of mostly one row per level is a unit id
 * (a visitor id): a model would write every id, an evaluation print one
 * class per visitor (issue 15 item 11).  Checked before any fit. */
static tact_status refuse_unit_like(const tact_intent_model *model,
                                    double rows, const char *file,
                                    tact_error *error)
{
	size_t f;

	if (tact_privacy_unit_like(model->class_count, rows))
		return tact_error_set(error, TACT_DATA, file, 0, 0,
		                      "label '%s' has %zu classes for %.0f rows "
		                      "(mostly one row each): it looks like a unit id, "
		                      "which a model or its evaluation would write "
		                      "out; predict a coarser column", model->label, model->class_count,
		                      rows);
	for (f = 0; f < model->feature_count; f++)
		if (model->features[f].level_count > 0 &&
		    tact_privacy_unit_like(model->features[f].level_count, rows))
			return tact_error_set(
				error, TACT_DATA, file, 0, 0,
				"feature '%s' has %zu levels for %.0f rows (mostly one row "
				"each): it looks like a unit id, which a model or its "
				"evaluation would write out; leave it out of --features", model->features[f].name,
				model->features[f].level_count, rows);
	return TACT_OK;
}

tact_status tact_intent_load(const char *path,
                             const tact_intent_options *options,
                             tact_intent_model *rules,
                             tact_intent_model *model, tact_intent_data *data,
                             tact_error *error)
{
	tact_csv_options csv;
	loader l;
	size_t f;
	tact_status status;

	status = check_options(options, rules != NULL, error);
	if (status != TACT_OK)
		return status;
	memset(&l, 0, sizeof l);
	l.options = options;
	l.rules = rules;
	l.file = tact_csv_display_name(path);
	l.feature_count = rules ? 0 : options->features.count;
	tact_keymap_init(&l.labels);
	l.columns = calloc(l.feature_count + 1, sizeof *l.columns);
	l.values = calloc(l.feature_count + 1, sizeof *l.values);
	if (!l.columns || !l.values) {
		free(l.columns);
		free(l.values);
		return tact_error_oom(error);
	}
	for (f = 0; f < l.feature_count; f++)
		tact_keymap_init(&l.values[f]);

	if (rules)
		rules->rule_set.decimal_comma = options->decimal_comma;
	tact_csv_options_init(&csv);
	csv.delimiter = options->delimiter;
	csv.progress = options->progress;
	csv.progress_context = options->progress_context;
	status = tact_csv_read_file(path, &csv, on_record, &l, error);
	if (status == TACT_OK)
		status = refuse_identifiers(&l, error);
	if (status == TACT_OK && l.rows == 0)
		status = tact_error_set(error, TACT_DATA, l.file, 0, 0,
		                        "no row with a label%s (%.0f left out)",
		                        rules ? "" : " and every feature", l.left_out);
	if (status == TACT_OK) {
		model->label = tact_parse_copy(options->label, strlen(options->label));
		status = model->label ? encode_all(&l, model, data, error)
		                      : tact_error_oom(error);
	}
	if (status == TACT_OK)
		status = refuse_unit_like(model, (double)l.rows, l.file, error);
	if (status == TACT_OK && model->class_count < 2 && !rules)
		status = tact_error_set(error, TACT_DATA, l.file, 0, 0,
		                        "the label '%s' has one class ('%s') in the "
		                        "complete rows: a model needs two or more",
		                        options->label, model->classes[0]);
	if (status == TACT_OK) {
		data->left_out = l.left_out;
		data->excluded_consent = l.excluded_consent;
		model->rows = (double)l.rows;
		model->rows_left_out = l.left_out;
		model->rows_excluded_consent = l.excluded_consent;
		model->rows_excluded_where = l.excluded_where;
		data->lines = l.lines;
		data->rule_class = l.rule_class;
		l.lines = NULL;
		l.rule_class = NULL;
	}
	for (f = 0; f < l.feature_count; f++)
		tact_keymap_release(&l.values[f]);
	tact_keymap_release(&l.labels);
	free(l.values);
	free(l.columns);
	free(l.cells);
	free(l.label_of);
	free(l.lines);
	free(l.rule_class);
	free(l.where_bound);
	tact_privacy_detector_release(&l.privacy);
	return status;
}

/* ---- fitting ----------------------------------------------------------- */

/* Name the encoded column and the file line that a logistic error's
 * message numbers ("feature 3", "row 17"). */
static void explain_fit_error(const tact_intent_model *model,
                              const tact_intent_data *data, const size_t *which,
                              size_t count, const char *file, tact_error *error)
{
	char column[160], extra[400] = "";
	const char *at;
	size_t n, used = 0;

	at = strstr(error->message, "feature ");
	if (at && sscanf(at, "feature %zu", &n) == 1 && n >= 1 &&
	    n <= model->encoded) {
		tact_intent_column_name(model, n - 1, column, sizeof column);
		used += (size_t)snprintf(extra + used, sizeof extra - used,
		                         "feature %zu is '%s'", n, column);
	}
	at = strstr(error->message, "row ");
	if (at && sscanf(at, "row %zu", &n) == 1 && n >= 1 && n <= count &&
	    used < sizeof extra)
		snprintf(extra + used, sizeof extra - used, "%srow %zu is line %llu of %s",
		         used ? "; " : "", n,
		         (unsigned long long)data->lines[which ? which[n - 1] : n - 1],
		         file);
	if (extra[0]) {
		size_t length = strlen(error->message);
		snprintf(error->message + length, sizeof error->message - length,
		         " (%s)", extra);
	}
}

/*
 * The rows which[0..count) of data (which NULL: rows 0..count-1) into x
 * (count x p), y (1 for the second class) and labels; model receives the
 * class counts and the standardization (mean and standard deviation
 * dividing by count) of those rows.  Errors: TACT_DATA for a class absent
 * from them.
 */
static tact_status gather_rows(tact_intent_model *model,
                               const tact_intent_data *data,
                               const size_t *which, size_t count, double *x,
                               double *y, size_t *labels, const char *file,
                               tact_error *error)
{
	const size_t p = data->encoded, K = model->class_count;
	size_t i, j, k;

	for (k = 0; k < K; k++)
		model->class_counts[k] = 0;
	for (i = 0; i < count; i++) {
		size_t r = which ? which[i] : i;
		memcpy(x + i * p, data->x + r * p, p * sizeof *x);
		labels[i] = data->labels[r];
		y[i] = labels[i] == 1;
		model->class_counts[labels[i]]++;
		for (j = 0; j < p; j++)
			model->mean[j] += x[i * p + j];
	}
	for (k = 0; k < K; k++)
		if (model->class_counts[k] == 0)
			return tact_error_set(error, TACT_DATA, file, 0, 0,
			                      "class '%s' has no row to learn from",
			                      model->classes[k]);
	for (j = 0; j < p; j++) {
		double ss = 0;
		model->mean[j] /= (double)count;
		for (i = 0; i < count; i++)
			ss += (x[i * p + j] - model->mean[j]) * (x[i * p + j] - model->mean[j]);
		model->sd[j] = sqrt(ss / (double)count);
	}
	return TACT_OK;
}

/* Copy a fit's model->coefficient_rows x (p + 1) coefficients and standard
 * errors into model; with a reference class (row 0 fixed at zero) its
 * standard errors are NaN. */
static tact_status keep_coefficients(tact_intent_model *model, size_t p,
                                     const double *coefficients,
                                     const double *standard_errors,
                                     tact_error *error)
{
	size_t n = model->coefficient_rows * (p + 1), j;

	model->coefficients = malloc(n * sizeof *model->coefficients);
	model->standard_errors = malloc(n * sizeof *model->standard_errors);
	if (!model->coefficients || !model->standard_errors)
		return tact_error_oom(error);
	memcpy(model->coefficients, coefficients,
	       n * sizeof *model->coefficients);
	memcpy(model->standard_errors, standard_errors,
	       n * sizeof *model->standard_errors);
	if (model->reference)
		for (j = 0; j <= p; j++)
			model->standard_errors[j] = NAN;
	return TACT_OK;
}

tact_status tact_intent_fit(tact_intent_model *model,
                            const tact_intent_data *data, const size_t *which,
                            size_t count, const tact_intent_options *options,
                            const char *file, tact_error *error)
{
	const size_t p = data->encoded, K = model->class_count;
	double *x = NULL, *y = NULL;
	size_t *labels = NULL;
	tact_logistic_options fit;
	tact_logistic_model binary;
	tact_logistic_multinomial_model multi;
	tact_status status;

	free_coefficients(model);
	tact_logistic_model_init(&binary);
	tact_logistic_multinomial_init(&multi);
	x = malloc((count ? count : 1) * (p ? p : 1) * sizeof *x);
	y = malloc((count ? count : 1) * sizeof *y);
	labels = malloc((count ? count : 1) * sizeof *labels);
	model->mean = calloc(p ? p : 1, sizeof *model->mean);
	model->sd = calloc(p ? p : 1, sizeof *model->sd);
	if (!x || !y || !labels || !model->mean || !model->sd)
		status = tact_error_oom(error);
	else
		status = gather_rows(model, data, which, count, x, y, labels, file,
		                     error);
	if (status != TACT_OK)
		goto done;

	tact_logistic_options_init(&fit);
	fit.lambda = options->lambda;
	fit.standardize = 1;
	fit.max_iterations = options->max_iterations;
	model->lambda = options->lambda;
	if (K == 2) {
		tact_logistic_data d;
		memset(&d, 0, sizeof d);
		d.rows = count;
		d.features = p;
		d.x = p ? x : NULL;
		d.successes = y;
		status = tact_logistic_fit(&d, &fit, &binary, error);
		if (status != TACT_OK)
			goto done;
		model->coefficient_rows = 1;
		model->reference = 0;
		model->iterations = binary.iterations;
		model->converged = binary.converged;
		model->log_likelihood = binary.log_likelihood;
		status = keep_coefficients(model, p, binary.coefficients,
		                           binary.standard_errors, error);
	} else {
		tact_logistic_multinomial_data d;
		memset(&d, 0, sizeof d);
		d.rows = count;
		d.features = p;
		d.classes = K;
		d.x = p ? x : NULL;
		d.labels = labels;
		status = tact_logistic_multinomial_fit(&d, &fit, &multi, error);
		if (status != TACT_OK)
			goto done;
		model->coefficient_rows = K;
		model->reference = !multi.symmetric;
		model->iterations = multi.iterations;
		model->converged = multi.converged;
		model->log_likelihood = multi.log_likelihood;
		status = keep_coefficients(model, p, multi.coefficients,
		                           multi.standard_errors, error);
	}
done:
	if (status != TACT_OK) {
		if (error && error->status == TACT_DATA && !error->file[0])
			snprintf(error->file, sizeof error->file, "%s", file);
		explain_fit_error(model, data, which, count, file, error);
		free_coefficients(model);
	}
	tact_logistic_model_release(&binary);
	tact_logistic_multinomial_release(&multi);
	free(x);
	free(y);
	free(labels);
	return status;
}

tact_status tact_intent_train(const char *path,
                              const tact_intent_options *options,
                              tact_intent_model *model, tact_error *error)
{
	tact_intent_data data;
	tact_status status;

	tact_intent_data_init(&data);
	status = tact_intent_load(path, options, NULL, model, &data, error);
	if (status == TACT_OK)
		status = tact_intent_fit(model, &data, NULL, data.rows, options,
		                         tact_csv_display_name(path), error);
	tact_intent_data_release(&data);
	if (status != TACT_OK)
		tact_intent_model_release(model);
	return status;
}

tact_status tact_intent_rules(const char *const *rules, size_t count,
                              const char *default_class, const char *label,
                              tact_intent_model *model, tact_error *error)
{
	size_t i;
	tact_status status = TACT_OK;

	model->rules = 1;
	for (i = 0; status == TACT_OK && i < count; i++)
		status = tact_rule_set_add(&model->rule_set, rules[i], error);
	if (status == TACT_OK)
		status = tact_rule_set_default(&model->rule_set, default_class, error);
	if (status != TACT_OK)
		return status;
	model->label = tact_parse_copy(label, strlen(label));
	model->class_count = model->rule_set.class_count;
	model->classes = calloc(model->class_count, sizeof *model->classes);
	if (!model->label || !model->classes)
		return tact_error_oom(error);
	for (i = 0; i < model->class_count; i++) {
		model->classes[i] = tact_parse_copy(model->rule_set.classes[i],
		                               strlen(model->rule_set.classes[i]));
		if (!model->classes[i])
			return tact_error_oom(error);
	}
	return TACT_OK;
}

/* ---- binding to an export ------------------------------------------- */

tact_status tact_intent_bind(const tact_intent_model *model,
                             const tact_csv_record *header, const char *file,
                             size_t *columns, tact_error *error)
{
	size_t f;
	tact_status status;

	for (f = 0; f < model->feature_count; f++) {
		status = find_column(header, model->features[f].name, "a feature",
		                     file, &columns[f], error);
		if (status != TACT_OK)
			return status;
	}
	return TACT_OK;
}

/* ---- decisions ------------------------------------------------------ */

tact_status tact_intent_priors_parse(const char *text, char *const *classes,
                                     size_t count, double *shares,
                                     tact_error *error)
{
	const char *item = text;
	double sum = 0;
	size_t k;
	int *seen = calloc(count ? count : 1, sizeof *seen);

	if (!seen)
		return tact_error_oom(error);
	for (k = 0; k < count; k++)
		shares[k] = NAN;
	while (*item) {
		const char *end = strchr(item, ','), *equals;
		size_t length = end ? (size_t)(end - item) : strlen(item);
		double share;

		equals = NULL;
		for (k = 0; k < length; k++)
			if (item[k] == '=')
				equals = item + k;
		if (!equals) {
			free(seen);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "priors are CLASS=SHARE,..., got '%.*s'",
			                      (int)length, item);
		}
		for (k = 0; k < count; k++)
			if (strlen(classes[k]) == (size_t)(equals - item) &&
			    memcmp(classes[k], item, (size_t)(equals - item)) == 0)
				break;
		if (k == count || seen[k]) {
			free(seen);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      k == count ? "priors: no class '%.*s' in the "
			                                   "model"
			                                 : "priors: class '%.*s' given twice",
			                      (int)(equals - item), item);
		}
		if (tact_parse_number(equals + 1, length - (size_t)(equals - item) - 1,
		                      0, &share) != 0 || !(share > 0)) {
			free(seen);
			if (tact_parse_check_range(
				    "priors: a share", equals + 1,
				    length - (size_t)(equals - item) - 1, NULL, error))
				return TACT_USAGE;
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "priors: the share of '%.*s' must be a "
			                      "positive number", (int)(equals - item), item);
		}
		seen[k] = 1;
		shares[k] = share;
		sum += share;
		item += length + (end != NULL);
	}
	for (k = 0; k < count; k++)
		if (!seen[k]) {
			free(seen);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "priors: class '%s' has no share (give "
			                      "every class)", classes[k]);
		}
	free(seen);
	for (k = 0; k < count; k++)
		shares[k] /= sum;
	return TACT_OK;
}

void tact_intent_shift(double *probabilities, const double *priors,
                       const double *training, size_t count)
{
	double sum = 0;
	size_t k;

	for (k = 0; k < count; k++) {
		probabilities[k] *= priors[k] / training[k];
		sum += probabilities[k];
	}
	for (k = 0; k < count; k++)
		probabilities[k] /= sum;
}
