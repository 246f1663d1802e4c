/*
 * intentfile.c - writing and reading the model file (see intent.h and
 * man/tact-intent-model.5).
 *
 * Reading is strict: rows come in the order they are written (the facts,
 * then the features with their levels, then the numbers that refer to
 * them), every row is checked, and a model with a missing coefficient is
 * refused, so that a hand-edited file cannot predict nonsense quietly.
 */
#include "intent_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "parse.h"

#define HEADER "record,feature,level,class,value,standard_error"


static const char *const kind_names[] = {"numeric", "boolean", "categorical"};
static const char *const exposure_names[] = {"unknown", "pre", "post",
                                             "looks_post"};

/* ---- writing ------------------------------------------------------------ */

static void text_field(FILE *out, const char *text)
{
	if (text)
		tact_format_csv_data_string(out, text, ',');
	putc(',', out);
}

/* One row: record, feature, level, class, then value (text or number) and
 * the standard error (NaN: blank). */
static void row(FILE *out, const char *record, const char *feature,
                const char *level, const char *class_name, const char *text,
                double value, double standard_error)
{
	fputs(record, out);
	putc(',', out);
	text_field(out, feature);
	text_field(out, level);
	text_field(out, class_name);
	if (text)
		tact_format_csv_data_string(out, text, ',');
	else
		tact_format_csv_number(out, value);
	putc(',', out);
	tact_format_csv_number(out, standard_error);
	putc('\n', out);
}

/* The feature and level of encoded column j. */
static void column_of(const tact_intent_model *model, size_t j,
                      const char **feature, const char **level)
{
	size_t f;

	for (f = 0; f < model->feature_count; f++) {
		const tact_intent_feature *x = &model->features[f];
		size_t width = x->kind == TACT_INTENT_CATEGORICAL ? x->level_count - 1
		                                                  : 1;
		if (j >= x->first && j < x->first + width) {
			*feature = x->name;
			*level = x->kind == TACT_INTENT_CATEGORICAL
			                 ? x->levels[j - x->first + 1]
			                 : NULL;
			return;
		}
	}
	*feature = *level = NULL;
}

tact_status tact_intent_model_write(const tact_intent_model *model, FILE *out,
                                    tact_error *error)
{
	const size_t p = model->encoded;
	size_t i, f, l, j;

	(void)error;
	fputs(HEADER "\n", out);
	row(out, "format", NULL, NULL, NULL, TACT_INTENT_MODEL_FORMAT, 0, NAN);
	row(out, "method", NULL, NULL, NULL, model->rules ? "rules" : "logistic",
	    0, NAN);
	row(out, "label", NULL, NULL, NULL, model->label, 0, NAN);
	if (model->rules) {
		for (i = 0; i < model->rule_set.rule_count; i++)
			row(out, "rule", NULL, NULL, NULL, model->rule_set.texts[i], 0,
			    NAN);
		row(out, "default", NULL, NULL,
		    model->rule_set.classes[model->rule_set.default_class], "", 0,
		    NAN);
		return TACT_OK;
	}
	for (i = 0; i < model->class_count; i++)
		row(out, "class", NULL, NULL, model->classes[i], NULL,
		    model->class_counts[i], NAN);
	row(out, "lambda", NULL, NULL, NULL, NULL, model->lambda, NAN);
	row(out, "rows", NULL, NULL, NULL, NULL, model->rows, NAN);
	row(out, "rows_left_out", NULL, NULL, NULL, NULL, model->rows_left_out,
	    NAN);
	row(out, "iterations", NULL, NULL, NULL, NULL, (double)model->iterations,
	    NAN);
	row(out, "converged", NULL, NULL, NULL, NULL, model->converged, NAN);
	row(out, "log_likelihood", NULL, NULL, NULL, NULL, model->log_likelihood,
	    NAN);
	for (f = 0; f < model->feature_count; f++) {
		const tact_intent_feature *x = &model->features[f];
		row(out, "feature", x->name, NULL, NULL, kind_names[x->kind], 0, NAN);
		row(out, "exposure", x->name, NULL, NULL,
		    exposure_names[x->exposure], 0, NAN);
		for (l = 0; l < x->level_count; l++)
			row(out, "level", x->name, x->levels[l], NULL, "", 0, NAN);
	}
	for (j = 0; j < p; j++) {
		const char *feature, *level;
		column_of(model, j, &feature, &level);
		row(out, "mean", feature, level, NULL, NULL, model->mean[j], NAN);
		row(out, "sd", feature, level, NULL, NULL, model->sd[j], NAN);
	}
	for (i = 0; i < model->coefficient_rows; i++) {
		const char *class_name =
		        model->classes[model->coefficient_rows == 1 ? 1 : i];
		const double *b = model->coefficients + i * (p + 1);
		const double *se = model->standard_errors + i * (p + 1);
		row(out, "intercept", NULL, NULL, class_name, NULL, b[0], se[0]);
		for (j = 0; j < p; j++) {
			const char *feature, *level;
			column_of(model, j, &feature, &level);
			row(out, "coefficient", feature, level, class_name, NULL,
			    b[j + 1], se[j + 1]);
		}
	}
	return TACT_OK;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct model_reader {
	tact_intent_model *model;
	const char *file;
	int seen_format, seen_method, seen_default, finalized;
	char **rules;
	size_t rule_count;
	char *default_class;
	unsigned char *filled;       /* per coefficient (rows x (p + 1)) */
} model_reader;

enum field { F_RECORD, F_FEATURE, F_LEVEL, F_CLASS, F_VALUE, F_SE };

static tact_status fail(model_reader *r, const tact_csv_record *record,
                        size_t field, tact_error *error, const char *format,
                        const char *detail)
{
	char shown[200];

	tact_error_quote(detail ? detail : "", detail ? strlen(detail) : 0, shown,
	                 sizeof shown);
	return tact_error_set(error, TACT_DATA, r->file,
	                      record->lines[field < record->count ? field : 0],
	                      field + 1, format, shown);
}

static int is(const tact_csv_record *record, size_t field, const char *text)
{
	return strcmp(record->fields[field], text) == 0;
}

static tact_status number(model_reader *r, const tact_csv_record *record,
                          size_t field, double *value, tact_error *error)
{
	if (tact_parse_number(record->fields[field], record->lengths[field], 0,
	                      value) != 0)
		return fail(r, record, field, error, "expected a number, got '%s'",
		            record->fields[field]);
	return TACT_OK;
}

static tact_intent_feature *find_feature(tact_intent_model *model,
                                         const char *name)
{
	size_t f;

	for (f = 0; f < model->feature_count; f++)
		if (strcmp(model->features[f].name, name) == 0)
			return &model->features[f];
	return NULL;
}

/* After the features: lay out the encoded columns, allocate the numbers. */
static tact_status finalize(model_reader *r, const tact_csv_record *record,
                            tact_error *error)
{
	tact_intent_model *m = r->model;
	size_t f, p = 0, n;

	if (r->finalized)
		return TACT_OK;
	if (m->class_count < 2)
		return fail(r, record, F_RECORD, error,
		            "a logistic model needs two or more classes before '%s'",
		            record->fields[0]);
	for (f = 0; f < m->feature_count; f++) {
		tact_intent_feature *x = &m->features[f];
		if (x->kind == TACT_INTENT_CATEGORICAL && x->level_count == 0)
			return fail(r, record, F_RECORD, error,
			            "categorical feature '%s' has no level", x->name);
		x->first = p;
		p += x->kind == TACT_INTENT_CATEGORICAL ? x->level_count - 1 : 1;
	}
	m->encoded = p;
	m->coefficient_rows = m->class_count == 2 ? 1 : m->class_count;
	m->reference = m->class_count > 2 && m->lambda == 0;
	n = m->coefficient_rows * (p + 1);
	m->coefficients = calloc(n, sizeof *m->coefficients);
	m->standard_errors = calloc(n, sizeof *m->standard_errors);
	m->mean = calloc(p + 1, sizeof *m->mean);
	m->sd = calloc(p + 1, sizeof *m->sd);
	r->filled = calloc(n, 1);
	if (!m->coefficients || !m->standard_errors || !m->mean || !m->sd ||
	    !r->filled)
		return tact_error_oom(error);
	r->finalized = 1;
	return TACT_OK;
}

/* The encoded column (feature, level) names, or (size_t)-1 for an error
 * already set. */
static size_t encoded_column(model_reader *r, const tact_csv_record *record,
                             tact_error *error)
{
	tact_intent_feature *x = find_feature(r->model, record->fields[F_FEATURE]);
	size_t l;

	if (!x) {
		fail(r, record, F_FEATURE, error, "no feature '%s' declared",
		     record->fields[F_FEATURE]);
		return (size_t)-1;
	}
	if (x->kind != TACT_INTENT_CATEGORICAL) {
		if (record->lengths[F_LEVEL] == 0)
			return x->first;
		fail(r, record, F_LEVEL, error,
		     "a level ('%s') for a feature that is not categorical",
		     record->fields[F_LEVEL]);
		return (size_t)-1;
	}
	for (l = 1; l < x->level_count; l++)
		if (x->level_lengths[l] == record->lengths[F_LEVEL] &&
		    memcmp(x->levels[l], record->fields[F_LEVEL],
		           record->lengths[F_LEVEL]) == 0)
			return x->first + l - 1;
	fail(r, record, F_LEVEL, error,
	     "no level '%s' after the reference level of this feature",
	     record->fields[F_LEVEL]);
	return (size_t)-1;
}

static tact_status class_row(model_reader *r, const tact_csv_record *record,
                             size_t *row_index, tact_error *error)
{
	tact_intent_model *m = r->model;
	size_t k;

	for (k = 0; k < m->class_count; k++)
		if (strcmp(m->classes[k], record->fields[F_CLASS]) == 0)
			break;
	if (k == m->class_count)
		return fail(r, record, F_CLASS, error, "no class '%s' declared",
		            record->fields[F_CLASS]);
	if (m->coefficient_rows == 1 && k != 1)
		return fail(r, record, F_CLASS, error,
		            "a two-class model has coefficients for its second class "
		            "only, got '%s'", record->fields[F_CLASS]);
	*row_index = m->coefficient_rows == 1 ? 0 : k;
	return TACT_OK;
}

static tact_status add_feature(model_reader *r, const tact_csv_record *record,
                               tact_error *error)
{
	tact_intent_model *m = r->model;
	tact_intent_feature *features, *x;
	int kind;

	if (record->lengths[F_FEATURE] == 0)
		return fail(r, record, F_FEATURE, error, "a feature needs a name%s",
		            "");
	if (find_feature(m, record->fields[F_FEATURE]))
		return fail(r, record, F_FEATURE, error, "feature '%s' declared twice",
		            record->fields[F_FEATURE]);
	for (kind = 0; kind < 3; kind++)
		if (is(record, F_VALUE, kind_names[kind]))
			break;
	if (kind == 3)
		return fail(r, record, F_VALUE, error,
		            "a feature is numeric, boolean or categorical, got '%s'",
		            record->fields[F_VALUE]);
	features = realloc(m->features,
	                   (m->feature_count + 1) * sizeof *features);
	if (!features)
		return tact_error_oom(error);
	m->features = features;
	x = &m->features[m->feature_count];
	memset(x, 0, sizeof *x);
	x->name = tact_parse_copy(record->fields[F_FEATURE], record->lengths[F_FEATURE]);
	if (!x->name)
		return tact_error_oom(error);
	x->kind = (tact_intent_kind)kind;
	m->feature_count++;
	return TACT_OK;
}

static tact_status add_level(model_reader *r, const tact_csv_record *record,
                             tact_error *error)
{
	tact_intent_model *m = r->model;
	tact_intent_feature *x = m->feature_count
	                                 ? &m->features[m->feature_count - 1]
	                                 : NULL;
	char **levels;
	size_t *lengths, n;
	int order;

	if (!x || strcmp(x->name, record->fields[F_FEATURE]) != 0 ||
	    x->kind != TACT_INTENT_CATEGORICAL)
		return fail(r, record, F_FEATURE, error,
		            "a level must follow its categorical feature's row, "
		            "got feature '%s'", record->fields[F_FEATURE]);
	n = x->level_count;
	if (n) {
		size_t a = x->level_lengths[n - 1], b = record->lengths[F_LEVEL];
		order = memcmp(x->levels[n - 1], record->fields[F_LEVEL], a < b ? a : b);
		if (order == 0)
			order = (a > b) - (a < b);
		if (order >= 0)
			return fail(r, record, F_LEVEL, error,
			            "levels must be sorted by their bytes, each once; "
			            "'%s' is out of order", record->fields[F_LEVEL]);
	}
	levels = realloc(x->levels, (n + 1) * sizeof *levels);
	if (!levels)
		return tact_error_oom(error);
	x->levels = levels;
	lengths = realloc(x->level_lengths, (n + 1) * sizeof *lengths);
	if (!lengths)
		return tact_error_oom(error);
	x->level_lengths = lengths;
	x->levels[n] = tact_parse_copy(record->fields[F_LEVEL], record->lengths[F_LEVEL]);
	if (!x->levels[n])
		return tact_error_oom(error);
	x->level_lengths[n] = record->lengths[F_LEVEL];
	x->level_count = n + 1;
	return TACT_OK;
}

static tact_status add_class(model_reader *r, const tact_csv_record *record,
                             tact_error *error)
{
	tact_intent_model *m = r->model;
	size_t n = m->class_count;
	char **classes;
	double *counts;
	tact_status status;

	if (record->lengths[F_CLASS] == 0)
		return fail(r, record, F_CLASS, error, "a class needs a name%s", "");
	if (n && strcmp(m->classes[n - 1], record->fields[F_CLASS]) >= 0)
		return fail(r, record, F_CLASS, error,
		            "classes must be sorted by their bytes, each once; '%s' "
		            "is out of order", record->fields[F_CLASS]);
	classes = realloc(m->classes, (n + 1) * sizeof *classes);
	if (!classes)
		return tact_error_oom(error);
	m->classes = classes;
	counts = realloc(m->class_counts, (n + 1) * sizeof *counts);
	if (!counts)
		return tact_error_oom(error);
	m->class_counts = counts;
	m->classes[n] = tact_parse_copy(record->fields[F_CLASS], record->lengths[F_CLASS]);
	if (!m->classes[n])
		return tact_error_oom(error);
	m->class_count = n + 1;
	status = number(r, record, F_VALUE, &m->class_counts[n], error);
	if (status == TACT_OK && !(m->class_counts[n] > 0))
		return fail(r, record, F_VALUE, error,
		            "a class's training count must be positive, got '%s'",
		            record->fields[F_VALUE]);
	return status;
}

/* The header row: exactly HEADER. */
static tact_status check_header(const model_reader *r,
                                const tact_csv_record *record,
                                tact_error *error)
{
	size_t i, at = 0;
	int ok = record->count == 6;

	for (i = 0; ok && i < 6; i++) {
		size_t n = strcspn(HEADER + at, ",");
		ok = record->lengths[i] == n &&
		     memcmp(record->fields[i], HEADER + at, n) == 0;
		at += n + 1;
	}
	if (!ok)
		return tact_error_set(error, TACT_DATA, r->file, record->line, 0,
		                      "not a tact-intent model file (expected the "
		                      "header '" HEADER "')");
	return TACT_OK;
}

/* The first row after the header: the format, in the version read here. */
static tact_status read_format(model_reader *r, const tact_csv_record *record,
                               tact_error *error)
{
	if (!is(record, F_RECORD, "format"))
		return fail(r, record, F_RECORD, error,
		            "expected the 'format' row first, got '%s'",
		            record->fields[F_RECORD]);
	if (!is(record, F_VALUE, TACT_INTENT_MODEL_FORMAT))
		return fail(r, record, F_VALUE, error,
		            "model format '%s' is not supported (this tact reads "
		            TACT_INTENT_MODEL_FORMAT ")", record->fields[F_VALUE]);
	r->seen_format = 1;
	return TACT_OK;
}

/* A row of a rules model after its label: rule rows, then one default. */
static tact_status read_rule_row(model_reader *r,
                                 const tact_csv_record *record,
                                 tact_error *error)
{
	if (is(record, F_RECORD, "rule") && !r->seen_default) {
		char **rules = realloc(r->rules, (r->rule_count + 1) * sizeof *rules);
		if (!rules)
			return tact_error_oom(error);
		r->rules = rules;
		r->rules[r->rule_count] = tact_parse_copy(record->fields[F_VALUE],
		                                     record->lengths[F_VALUE]);
		if (!r->rules[r->rule_count])
			return tact_error_oom(error);
		r->rule_count++;
		return TACT_OK;
	}
	if (is(record, F_RECORD, "default") && !r->seen_default) {
		r->default_class = tact_parse_copy(record->fields[F_CLASS],
		                              record->lengths[F_CLASS]);
		r->seen_default = 1;
		return r->default_class ? TACT_OK : tact_error_oom(error);
	}
	return fail(r, record, F_RECORD, error,
	            "unexpected '%s' row in a rules model (rule rows, then "
	            "one default row)", record->fields[F_RECORD]);
}

static tact_status read_exposure(model_reader *r,
                                 const tact_csv_record *record,
                                 tact_error *error)
{
	tact_intent_feature *x = find_feature(r->model, record->fields[F_FEATURE]);
	int e;

	for (e = 0; e < 4; e++)
		if (is(record, F_VALUE, exposure_names[e]))
			break;
	if (!x || e == 4)
		return fail(r, record, x ? F_VALUE : F_FEATURE, error,
		            "an exposure row names a declared feature and one of "
		            "unknown, pre, post, looks_post; got '%s'",
		            record->fields[x ? F_VALUE : F_FEATURE]);
	x->exposure = (tact_intent_exposure)e;
	return TACT_OK;
}

/* The rows of single figures about the fit, before the features. */
static const char *const scalars[] = {"lambda", "rows", "rows_left_out",
                                      "iterations", "converged",
                                      "log_likelihood"};
#define SCALARS (sizeof scalars / sizeof *scalars)

/* Which of scalars the row is; SCALARS when none. */
static size_t scalar_of(const tact_csv_record *record)
{
	size_t i;

	for (i = 0; i < SCALARS && !is(record, F_RECORD, scalars[i]); i++)
		;
	return i;
}

static tact_status read_scalar(model_reader *r, const tact_csv_record *record,
                               size_t which, tact_error *error)
{
	tact_intent_model *m = r->model;
	double value;
	tact_status status = number(r, record, F_VALUE, &value, error);

	if (status != TACT_OK)
		return status;
	switch (which) {
	case 0:
		if (!(value >= 0))
			return fail(r, record, F_VALUE, error,
			            "lambda must be 0 or more, got '%s'",
			            record->fields[F_VALUE]);
		m->lambda = value;
		break;
	case 1: m->rows = value; break;
	case 2: m->rows_left_out = value; break;
	case 3: m->iterations = value >= 0 ? (size_t)value : 0; break;
	case 4: m->converged = value != 0; break;
	default: m->log_likelihood = value;
	}
	return TACT_OK;
}

/* An intercept or coefficient row (the model finalized), with its
 * standard error when given. */
static tact_status read_coefficient(model_reader *r,
                                    const tact_csv_record *record,
                                    tact_error *error)
{
	tact_intent_model *m = r->model;
	size_t k = 0, j = 0, at;
	double se = NAN;
	tact_status status = class_row(r, record, &k, error);

	if (status != TACT_OK)
		return status;
	if (is(record, F_RECORD, "coefficient")) {
		j = encoded_column(r, record, error);
		if (j == (size_t)-1)
			return TACT_DATA;
		j++;
	}
	at = k * (m->encoded + 1) + j;
	if (r->filled[at])
		return fail(r, record, F_RECORD, error, "this %s is given twice",
		            record->fields[F_RECORD]);
	status = number(r, record, F_VALUE, &m->coefficients[at], error);
	if (status == TACT_OK && record->lengths[F_SE])
		status = number(r, record, F_SE, &se, error);
	m->standard_errors[at] = se;
	r->filled[at] = 1;
	return status;
}

/* A row after the features: mean, sd, intercept or coefficient (the first
 * of them finalizes the model's features). */
static tact_status read_fitted(model_reader *r, const tact_csv_record *record,
                               tact_error *error)
{
	tact_intent_model *m = r->model;
	double value;
	size_t j;
	tact_status status;

	if (!m->feature_count ||
	    !(is(record, F_RECORD, "mean") || is(record, F_RECORD, "sd") ||
	      is(record, F_RECORD, "intercept") ||
	      is(record, F_RECORD, "coefficient")))
		return fail(r, record, F_RECORD, error,
		            "unexpected '%s' row here (see tact-intent-model(5) for "
		            "the order)", record->fields[F_RECORD]);
	status = finalize(r, record, error);
	if (status != TACT_OK)
		return status;
	if (!is(record, F_RECORD, "mean") && !is(record, F_RECORD, "sd"))
		return read_coefficient(r, record, error);
	j = encoded_column(r, record, error);
	if (j == (size_t)-1)
		return TACT_DATA;
	status = number(r, record, F_VALUE, &value, error);
	if (status != TACT_OK)
		return status;
	if (is(record, F_RECORD, "mean"))
		m->mean[j] = value;
	else
		m->sd[j] = value;
	return TACT_OK;
}

static tact_status on_model_record(void *context, const tact_csv_record *record,
                                   tact_error *error)
{
	model_reader *r = context;
	tact_intent_model *m = r->model;
	size_t scalar;

	if (record->index == 0)
		return check_header(r, record, error);
	if (!r->seen_format)
		return read_format(r, record, error);
	if (is(record, F_RECORD, "method")) {
		if (!is(record, F_VALUE, "logistic") && !is(record, F_VALUE, "rules"))
			return fail(r, record, F_VALUE, error,
			            "the method is logistic or rules, got '%s'",
			            record->fields[F_VALUE]);
		m->rules = is(record, F_VALUE, "rules");
		r->seen_method = 1;
		return TACT_OK;
	}
	if (!r->seen_method)
		return fail(r, record, F_RECORD, error,
		            "expected the 'method' row second, got '%s'",
		            record->fields[F_RECORD]);
	if (is(record, F_RECORD, "label")) {
		free(m->label);
		m->label = tact_parse_copy(record->fields[F_VALUE], record->lengths[F_VALUE]);
		return m->label ? TACT_OK : tact_error_oom(error);
	}
	if (m->rules)
		return read_rule_row(r, record, error);
	if (is(record, F_RECORD, "class") && !m->feature_count)
		return add_class(r, record, error);
	if (is(record, F_RECORD, "feature") && !r->finalized)
		return add_feature(r, record, error);
	if (is(record, F_RECORD, "level") && !r->finalized)
		return add_level(r, record, error);
	if (is(record, F_RECORD, "exposure") && !r->finalized)
		return read_exposure(r, record, error);
	scalar = m->feature_count || r->finalized ? SCALARS : scalar_of(record);
	if (scalar < SCALARS)
		return read_scalar(r, record, scalar, error);
	return read_fitted(r, record, error);
}

tact_status tact_intent_model_read(const char *path, tact_intent_model *model,
                                   tact_error *error)
{
	model_reader r;
	tact_csv_options csv;
	tact_status status;
	size_t i;

	memset(&r, 0, sizeof r);
	r.model = model;
	r.file = tact_csv_display_name(path);
	tact_csv_options_init(&csv);
	csv.delimiter = ',';
	status = tact_csv_read_file(path, &csv, on_model_record, &r, error);
	if (status == TACT_OK && (!r.seen_format || !r.seen_method || !model->label))
		status = tact_error_set(error, TACT_DATA, r.file, 0, 0,
		                        "incomplete model: %s", !r.seen_format
		                                ? "no format row"
		                                : !r.seen_method ? "no method row"
		                                                 : "no label row");
	if (status == TACT_OK && model->rules) {
		char *label = model->label;
		if (!r.seen_default) {
			status = tact_error_set(error, TACT_DATA, r.file, 0, 0,
			                        "incomplete rules model: no default row");
		} else {
			model->label = NULL;
			status = tact_intent_rules((const char *const *)r.rules,
			                           r.rule_count, r.default_class, label,
			                           model, error);
			if (status != TACT_OK && error)
				snprintf(error->file, sizeof error->file, "%s", r.file);
			free(label);
		}
	} else if (status == TACT_OK) {
		size_t n;
		if (!r.finalized)
			status = tact_error_set(error, TACT_DATA, r.file, 0, 0,
			                        "incomplete model: no coefficients");
		n = r.finalized ? model->coefficient_rows * (model->encoded + 1) : 0;
		for (i = 0; status == TACT_OK && i < n; i++) {
			size_t k = i / (model->encoded + 1), j = i % (model->encoded + 1);
			char name[200] = "the intercept";
			if (r.filled[i] || (model->reference && k == 0))
				continue;
			if (j > 0) {
				char column[160];
				snprintf(name, sizeof name, "'%s'",
				         tact_intent_column_name(model, j - 1, column,
				                                 sizeof column));
			}
			status = tact_error_set(error, TACT_DATA, r.file, 0, 0,
			                        "incomplete model: no coefficient for %s "
			                        "of class '%s'", name,
			                        model->classes[model->coefficient_rows == 1
			                                               ? 1
			                                               : k]);
		}
	}
	for (i = 0; i < r.rule_count; i++)
		free(r.rules[i]);
	free(r.rules);
	free(r.default_class);
	free(r.filled);
	if (status != TACT_OK)
		tact_intent_model_release(model);
	return status;
}
