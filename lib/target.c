/*
 * target.c - tact-target's data: an export read into units, features
 * binned, seeded folds and the cross-fitted doubly robust scores (see
 * target.h).
 */
#include "target.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvreader.h"
#include "keymap.h"
#include "logistic.h"
#include "parse.h"

void tact_target_options_init(tact_target_options *options)
{
	memset(options, 0, sizeof *options);
	options->folds = 5;
	options->seed = 1;
	options->depth = 2;
	options->bins = 10;
	options->min_cell = 10;
	options->confidence = 0.95;
	options->max_levels = 50;
}

void tact_target_data_init(tact_target_data *data)
{
	memset(data, 0, sizeof *data);
}

void tact_target_data_release(tact_target_data *data)
{
	size_t f, l;

	for (f = 0; data->features && f < data->feature_count; f++) {
		tact_target_feature *feature = &data->features[f];
		free(feature->name);
		for (l = 0; l < feature->level_count; l++)
			free(feature->levels[l]);
		free(feature->levels);
		free(feature->thresholds);
	}
	free(data->features);
	free(data->file);
	free(data->treatment);
	free(data->control);
	free(data->x);
	free(data->codes);
	free(data->treated);
	free(data->metrics);
	free(data->value);
	free(data->fold);
	free(data->score);
	free(data->g0);
	free(data->g1);
	free(data->binary);
	free(data->segment);
	memset(data, 0, sizeof *data);
}

/* ---- reading ---------------------------------------------------------- */

/* The reading's state: units as they come, cells kept raw until the end
 * says which features are numbers. */
typedef struct reader {
	const tact_target_options *options;
	tact_target_data *data;
	tact_column_map map;
	int mapped;
	size_t *feature_columns;
	size_t metric_count;
	tact_keymap units;         /* unit ids (with a unit column) */
	tact_keymap segments;      /* segment labels joined (with --by) */
	size_t *segment;           /* per unit */
	char *key;                 /* a segment's key being built */
	size_t key_capacity;
	tact_keymap *labels;       /* per feature: its cells' texts */
	size_t count, capacity;
	double *numbers;           /* unit x feature: the number, NaN: not one */
	size_t *label;             /* unit x feature: index in labels[f] */
	unsigned char *treated;
	double *sums, *maxima;     /* unit x metric */
	int *not_number;           /* per feature: a non-empty cell that is no
	                              number */
	const char *file;
	tact_error *error;
} reader;

static tact_status reader_grow(reader *r)
{
	size_t f = r->data->feature_count, m = r->metric_count;
	size_t n = r->capacity ? 2 * r->capacity : 1024;
	double *numbers = realloc(r->numbers, n * (f ? f : 1) * sizeof *numbers);
	size_t *label, *segment;
	unsigned char *treated;
	double *sums, *maxima;

	if (numbers)
		r->numbers = numbers;
	label = realloc(r->label, n * (f ? f : 1) * sizeof *label);
	if (label)
		r->label = label;
	treated = realloc(r->treated, n);
	if (treated)
		r->treated = treated;
	sums = realloc(r->sums, n * m * sizeof *sums);
	if (sums)
		r->sums = sums;
	maxima = realloc(r->maxima, n * m * sizeof *maxima);
	if (maxima)
		r->maxima = maxima;
	segment = realloc(r->segment, n * sizeof *segment);
	if (segment)
		r->segment = segment;
	if (!numbers || !label || !treated || !sums || !maxima || !segment)
		return tact_error_oom(r->error);
	r->capacity = n;
	return TACT_OK;
}

/* The header: the roles, the features' and the metrics' columns. */
static tact_status read_header(reader *r, const tact_csv_record *record,
                               tact_error *error)
{
	const tact_target_options *o = r->options;
	tact_roles_spec spec = o->load->roles; /* a view: never released */
	size_t f, c;

	spec.goal.count = o->metric_count;
	spec.goal.items = o->metrics;
	spec.goal_set = 1;
	spec.annoyance.count = spec.value.count = 0;
	spec.annoyance_set = spec.value_set = 1;
	if (!spec.by_set) {
		spec.by.count = 0;
		spec.by_set = 1;
	}
	if (tact_roles_resolve(&spec, record->fields, record->lengths,
	                       record->count, r->file, &r->map, error) != TACT_OK)
		return error->status;
	r->mapped = 1;
	for (f = 0; f < r->data->feature_count; f++) {
		const char *name = r->data->features[f].name;
		for (c = 0; c < record->count; c++)
			if (strcmp(record->fields[c], name) == 0)
				break;
		if (c == record->count)
			return tact_error_set(error, TACT_DATA, r->file, record->line, 0,
			                      "no feature column '%s' in the header", name);
		r->feature_columns[f] = c;
	}
	return TACT_OK;
}

/* Which arm a row is in: 1 treatment, 0 control, -1 another. */
static tact_status row_arm(reader *r, const tact_csv_record *record, int *arm,
                           tact_error *error)
{
	const char *label = record->fields[r->map.arm];
	size_t length = record->lengths[r->map.arm];
	const char *control = r->options->load->roles.control;
	tact_target_data *d = r->data;

	if (strlen(control) == length && memcmp(control, label, length) == 0) {
		*arm = 0;
		return TACT_OK;
	}
	if (!d->treatment && r->options->treatment)
		d->treatment = tact_parse_copy(r->options->treatment,
		                               strlen(r->options->treatment));
	if (!d->treatment) {
		d->treatment = tact_parse_copy(label, length);
		if (!d->treatment)
			return tact_error_oom(error);
	}
	if (strlen(d->treatment) == length &&
	    memcmp(d->treatment, label, length) == 0) {
		*arm = 1;
		return TACT_OK;
	}
	if (!r->options->treatment) {
		char shown[64];
		tact_error_quote(label, length, shown, sizeof shown);
		return tact_error_set(error, TACT_USAGE, r->file, record->line, 0,
		                      "several arms besides the control ('%s', "
		                      "'%s'): give the one to target by --treatment "
		                      "(one policy per arm)", d->treatment, shown);
	}
	*arm = -1;
	return TACT_OK;
}

/* A metric cell into *value (NaN when empty). */
static tact_status metric_cell(reader *r, const tact_csv_record *record,
                               size_t m, double *value, tact_error *error)
{
	size_t column = r->map.metric_columns[m];
	const char *text = record->fields[column];
	size_t length = record->lengths[column];
	char shown[64];

	if (!length || tact_parse_is_blank(text, length)) {
		*value = NAN;
		return TACT_OK;
	}
	if (tact_parse_number(text, length, r->options->load->decimal_comma,
	                      value) == 0 ||
	    tact_parse_boolean(text, length, value) == 0)
		return TACT_OK;
	tact_error_quote(text, length, shown, sizeof shown);
	return tact_error_set(error, TACT_DATA, r->file,
	                      record->lines[column], column + 1,
	                      "'%s' must be a number, got '%s'",
	                      r->options->metrics[m], shown);
}

/* A new unit's segment: the labels of the by columns, joined by a unit
 * separator byte. */
static tact_status unit_segment(reader *r, const tact_csv_record *record,
                                size_t unit, tact_error *error)
{
	size_t k, length = 0, need = 0;

	if (!r->map.dimensions) {
		r->segment[unit] = 0;
		return TACT_OK;
	}
	for (k = 0; k < r->map.dimensions; k++)
		need += record->lengths[r->map.dimension_columns[k]] + 1;
	if (need > r->key_capacity) {
		char *grown = realloc(r->key, need);
		if (!grown)
			return tact_error_oom(error);
		r->key = grown;
		r->key_capacity = need;
	}
	for (k = 0; k < r->map.dimensions; k++) {
		size_t column = r->map.dimension_columns[k];
		memcpy(r->key + length, record->fields[column], record->lengths[column]);
		length += record->lengths[column];
		r->key[length++] = '\x1f';
	}
	r->segment[unit] = tact_keymap_intern(&r->segments, r->key, length, NULL);
	return r->segment[unit] == TACT_KEYMAP_NONE ? tact_error_oom(error)
	                                            : TACT_OK;
}

/* A new unit's features from its first row. */
static tact_status unit_features(reader *r, const tact_csv_record *record,
                                 size_t unit, tact_error *error)
{
	size_t f, count = r->data->feature_count;

	for (f = 0; f < count; f++) {
		size_t column = r->feature_columns[f];
		const char *text = record->fields[column];
		size_t length = record->lengths[column];
		double number = NAN;
		size_t level;

		if (length && !tact_parse_is_blank(text, length) &&
		    tact_parse_number(text, length, r->options->load->decimal_comma,
		                      &number) != 0) {
			number = NAN;
			r->not_number[f] = 1;
		}
		level = tact_keymap_intern(&r->labels[f], text, length, NULL);
		if (level == TACT_KEYMAP_NONE)
			return tact_error_oom(error);
		r->numbers[unit * count + f] = number;
		r->label[unit * count + f] = level;
	}
	return TACT_OK;
}

static tact_status read_row(void *context, const tact_csv_record *record,
                            tact_error *error)
{
	reader *r = context;
	tact_target_data *d = r->data;
	size_t unit, m, M = r->metric_count;
	int arm, added = 1, consented = 1;
	double value;
	tact_status status;

	if (record->index == 0)
		return read_header(r, record, error);
	d->rows_read++;
	if (r->map.consent != TACT_NO_COLUMN) {
		const char *text = record->fields[r->map.consent];
		size_t length = record->lengths[r->map.consent];
		consented = tact_parse_boolean(text, length, &value) == 0 && value == 1;
	}
	if (!consented) {
		d->rows_no_consent++;
		return TACT_OK;
	}
	if ((status = row_arm(r, record, &arm, error)) != TACT_OK)
		return status;
	if (arm < 0) {
		d->units_other_arm++;
		return TACT_OK;
	}
	unit = r->count;
	if (r->map.unit != TACT_NO_COLUMN) {
		unit = tact_keymap_intern(&r->units, record->fields[r->map.unit],
		                          record->lengths[r->map.unit], &added);
		if (unit == TACT_KEYMAP_NONE)
			return tact_error_oom(error);
	}
	if (added) {
		if (r->count == r->capacity && reader_grow(r) != TACT_OK)
			return TACT_SOFTWARE;
		r->count++;
		r->treated[unit] = (unsigned char)arm;
		for (m = 0; m < M; m++) {
			r->sums[unit * M + m] = NAN;
			r->maxima[unit * M + m] = NAN;
		}
		if ((status = unit_features(r, record, unit, error)) != TACT_OK ||
		    (status = unit_segment(r, record, unit, error)) != TACT_OK)
			return status;
	} else if ((r->treated[unit] & 0x7f) != arm) {
		/* A unit seen in both arms (bit 7 marks it): dropped at the end
		 * by default, or kept in its first arm with every session under
		 * --mixed-units first, as tact-summarize does. */
		if (!(r->treated[unit] & 0x80)) {
			d->mixed_units++;
			r->treated[unit] |= 0x80;
		}
		if (!r->options->load->mixed_units_first)
			return TACT_OK;
	}
	for (m = 0; m < M; m++) {
		double *sum = &r->sums[unit * M + m], *max = &r->maxima[unit * M + m];
		if ((status = metric_cell(r, record, m, &value, error)) != TACT_OK)
			return status;
		if (isnan(value))
			continue;
		if (value != 0 && value != 1)
			d->binary[m] = 0;
		*sum = isnan(*sum) ? value : *sum + value;
		*max = isnan(*max) || value > *max ? value : *max;
	}
	return TACT_OK;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A numeric feature's cut points: up to bins - 1 quantiles of its values
 * (each a value of the data, so "x <= t" splits exactly), distinct, below
 * the largest. */
static tact_status cut_points(tact_target_data *d, size_t f, size_t bins,
                              tact_error *error)
{
	tact_target_feature *feature = &d->features[f];
	size_t n = d->units, i, k, count = 0;
	double *sorted = malloc((n ? n : 1) * sizeof *sorted);

	feature->thresholds = malloc(bins * sizeof *feature->thresholds);
	if (!sorted || !feature->thresholds) {
		free(sorted);
		return tact_error_oom(error);
	}
	for (i = 0; i < n; i++)
		sorted[i] = d->x[i * d->feature_count + f];
	qsort(sorted, n, sizeof *sorted, compare_doubles);
	for (k = 1; k < bins && n; k++) {
		size_t at = (k * n + bins - 1) / bins;
		double t = sorted[at ? at - 1 : 0];
		if (t >= sorted[n - 1])
			break;
		if (!count || t > feature->thresholds[count - 1])
			feature->thresholds[count++] = t;
	}
	feature->threshold_count = count;
	free(sorted);
	return TACT_OK;
}

/* The bin of a number: how many cut points lie below it. */
static unsigned short bin_of(const tact_target_feature *feature, double x)
{
	size_t low = 0, high = feature->threshold_count;

	while (low < high) {
		size_t middle = (low + high) / 2;
		if (feature->thresholds[middle] < x)
			low = middle + 1;
		else
			high = middle;
	}
	return (unsigned short)low;
}

/* A feature's kind and labels, from the reading. */
static tact_status settle_feature(reader *r, size_t f, tact_error *error)
{
	tact_target_feature *feature = &r->data->features[f];
	size_t l, length;

	feature->categorical = r->not_number[f];
	if (!feature->categorical)
		return TACT_OK;
	feature->level_count = r->labels[f].count;
	if (feature->level_count > r->options->max_levels)
		return tact_error_set(error, TACT_DATA, r->file, 0, 0,
		                      "feature '%s' has %zu labels, more than %zu: "
		                      "bin it first", feature->name,
		                      feature->level_count, r->options->max_levels);
	feature->levels = calloc(feature->level_count, sizeof *feature->levels);
	if (!feature->levels)
		return tact_error_oom(error);
	for (l = 0; l < feature->level_count; l++) {
		const char *key = tact_keymap_key(&r->labels[f], l, &length);
		if (!(feature->levels[l] = tact_parse_copy(key, length)))
			return tact_error_oom(error);
	}
	return TACT_OK;
}

/* The units read into data: kinds, values, the net value; units with a
 * number missing left out. */
static tact_status settle_units(reader *r, tact_error *error)
{
	tact_target_data *d = r->data;
	size_t F = d->feature_count, M = r->metric_count, i, f, m, kept = 0;
	tact_status status;

	for (f = 0; f < F; f++)
		if ((status = settle_feature(r, f, error)) != TACT_OK)
			return status;
	d->x = malloc((r->count ? r->count : 1) * (F ? F : 1) * sizeof *d->x);
	d->treated = malloc(r->count ? r->count : 1);
	d->metrics = malloc((r->count ? r->count : 1) * M * sizeof *d->metrics);
	d->value = malloc((r->count ? r->count : 1) * sizeof *d->value);
	d->segment = malloc((r->count ? r->count : 1) * sizeof *d->segment);
	if (!d->x || !d->treated || !d->metrics || !d->value || !d->segment)
		return tact_error_oom(error);
	d->segment_count = r->map.dimensions ? r->segments.count : 0;
	for (i = 0; i < r->count; i++) {
		int missing = 0;
		for (f = 0; f < F; f++) {
			double x = d->features[f].categorical
			                   ? (double)r->label[i * F + f]
			                   : r->numbers[i * F + f];
			missing |= isnan(x);
			d->x[kept * F + f] = x;
		}
		if ((r->treated[i] & 0x80) && !r->options->load->mixed_units_first)
			continue; /* seen in both arms: dropped (counted already) */
		if (missing) {
			d->units_missing++;
			continue;
		}
		d->treated[kept] = r->treated[i] & 0x7f;
		d->segment[kept] = r->segment[i];
		d->value[kept] = 0;
		for (m = 0; m < M; m++) {
			double v = d->binary[m] ? r->maxima[i * M + m] : r->sums[i * M + m];
			if (isnan(v)) {
				d->cells_missing++;
				v = 0;
			}
			d->metrics[kept * M + m] = v;
			d->value[kept] += r->options->weights[m] * v;
		}
		kept++;
	}
	d->units = kept;
	return TACT_OK;
}

static void reader_release(reader *r)
{
	size_t f;

	if (r->mapped)
		tact_column_map_release(&r->map);
	tact_keymap_release(&r->units);
	tact_keymap_release(&r->segments);
	free(r->segment);
	free(r->key);
	for (f = 0; r->labels && f < r->data->feature_count; f++)
		tact_keymap_release(&r->labels[f]);
	free(r->labels);
	free(r->feature_columns);
	free(r->numbers);
	free(r->label);
	free(r->treated);
	free(r->sums);
	free(r->maxima);
	free(r->not_number);
}

/* Read the export into data's units (before binning and scores). */
static tact_status read_units(const char *path,
                              const tact_target_options *o,
                              tact_target_data *d, tact_error *error)
{
	reader r;
	tact_csv_options csv = o->load->csv;
	size_t f, F = o->features->count;
	tact_status status = TACT_OK;

	memset(&r, 0, sizeof r);
	r.options = o;
	r.data = d;
	r.metric_count = o->metric_count;
	r.file = tact_csv_display_name(path);
	r.error = error;
	tact_keymap_init(&r.units);
	tact_keymap_init(&r.segments);
	d->file = tact_parse_copy(r.file, strlen(r.file));
	d->control = tact_parse_copy(o->load->roles.control,
	                             strlen(o->load->roles.control));
	d->feature_count = F;
	d->features = calloc(F ? F : 1, sizeof *d->features);
	d->binary = malloc(o->metric_count * sizeof *d->binary);
	r.labels = calloc(F ? F : 1, sizeof *r.labels);
	r.feature_columns = calloc(F ? F : 1, sizeof *r.feature_columns);
	r.not_number = calloc(F ? F : 1, sizeof *r.not_number);
	if (!d->file || !d->control || !d->features || !d->binary || !r.labels ||
	    !r.feature_columns || !r.not_number)
		status = tact_error_oom(error);
	for (f = 0; status == TACT_OK && f < F; f++) {
		tact_keymap_init(&r.labels[f]);
		if (!(d->features[f].name = tact_parse_copy(
			      o->features->items[f], strlen(o->features->items[f]))))
			status = tact_error_oom(error);
	}
	for (f = 0; f < o->metric_count && d->binary; f++)
		d->binary[f] = 1;
	csv.delimiter = o->load->delimiter;
	if (status == TACT_OK)
		status = tact_csv_read_file(path, &csv, read_row, &r, error);
	if (status == TACT_OK)
		status = settle_units(&r, error);
	reader_release(&r);
	return status;
}

/* ---- folds and scores ------------------------------------------------- */

/* splitmix64: a documented generator a test can repeat in a few lines. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Folds: the units shuffled (Fisher-Yates, splitmix64 from the seed), the
 * p-th of the shuffled order in fold p mod K. */
static tact_status draw_folds(tact_target_data *d, size_t folds, uint64_t seed,
                              tact_error *error)
{
	size_t n = d->units, i, *order = malloc((n ? n : 1) * sizeof *order);
	uint64_t state = seed;

	d->fold = malloc((n ? n : 1) * sizeof *d->fold);
	if (!order || !d->fold) {
		free(order);
		return tact_error_oom(error);
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		size_t j = (size_t)(next_random(&state) % i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++)
		d->fold[order[i]] = i % folds;
	free(order);
	return TACT_OK;
}

/* The design matrix of the outcome models: numbers as they are, labels
 * one-hot against their first. */
static size_t design_width(const tact_target_data *d)
{
	size_t f, width = 0;

	for (f = 0; f < d->feature_count; f++)
		width += d->features[f].categorical
		                 ? (d->features[f].level_count
		                            ? d->features[f].level_count - 1
		                            : 0)
		                 : 1;
	return width;
}

static void design_row(const tact_target_data *d, size_t unit, double *row)
{
	size_t f, l, at = 0;

	for (f = 0; f < d->feature_count; f++) {
		const tact_target_feature *feature = &d->features[f];
		double x = d->x[unit * d->feature_count + f];
		if (!feature->categorical) {
			row[at++] = x;
			continue;
		}
		for (l = 1; l < feature->level_count; l++)
			row[at++] = (size_t)x == l;
	}
}

/* mu[i] += weight * the prediction of metric m in arm for the units of
 * fold k, fitted on the other folds' units of arm. */
static tact_status predict_metric(tact_target_data *d,
                                  const tact_target_options *o,
                                  const double *design, size_t width,
                                  size_t k, int arm, size_t m, double *mu,
                                  tact_error *error)
{
	size_t n = d->units, M = o->metric_count, i, rows = 0;
	double *x = malloc((n ? n : 1) * (width ? width : 1) * sizeof *x);
	double *y = malloc((n ? n : 1) * sizeof *y), mean = 0;
	tact_logistic_options options;
	tact_logistic_data data;
	tact_logistic_model model;
	tact_error ignored;
	int fitted = 0;

	if (!x || !y) {
		free(x);
		free(y);
		return tact_error_oom(error);
	}
	for (i = 0; i < n; i++)
		if (d->fold[i] != k && d->treated[i] == arm) {
			memcpy(x + rows * width, design + i * width, width * sizeof *x);
			y[rows] = d->metrics[i * M + m];
			mean += y[rows++];
		}
	mean = rows ? mean / (double)rows : 0;
	tact_logistic_model_init(&model);
	if (d->binary[m] && rows) {
		tact_logistic_options_init(&options);
		options.lambda = 1;
		options.standardize = 1;
		memset(&data, 0, sizeof data);
		data.rows = rows;
		data.features = width;
		data.x = width ? x : NULL;
		data.successes = y;
		tact_error_init(&ignored);
		fitted = tact_logistic_fit(&data, &options, &model, &ignored) == TACT_OK;
		if (!fitted)
			d->fallback_fits++;
	}
	for (i = 0; i < n; i++)
		if (d->fold[i] == k)
			mu[i] += o->weights[m] *
			         (fitted ? tact_logistic_predict(&model, design + i * width)
			                 : mean);
	tact_logistic_model_release(&model);
	free(x);
	free(y);
	return TACT_OK;
}

/* The cross-fitted AIPW scores (target.h). */
static tact_status compute_scores(tact_target_data *d,
                                  const tact_target_options *o,
                                  tact_error *error)
{
	size_t n = d->units, width = design_width(d), i, k, m;
	double *design = malloc((n ? n : 1) * (width ? width : 1) * sizeof *design);
	double *mu[2], treated = 0;
	tact_status status = TACT_OK;
	int arm;

	mu[0] = calloc(n ? n : 1, sizeof *mu[0]);
	mu[1] = calloc(n ? n : 1, sizeof *mu[1]);
	d->score = malloc((n ? n : 1) * sizeof *d->score);
	d->g0 = malloc((n ? n : 1) * sizeof *d->g0);
	d->g1 = malloc((n ? n : 1) * sizeof *d->g1);
	if (!design || !mu[0] || !mu[1] || !d->score || !d->g0 || !d->g1)
		status = tact_error_oom(error);
	for (i = 0; status == TACT_OK && i < n; i++) {
		design_row(d, i, design + i * width);
		treated += d->treated[i];
	}
	d->share = n ? treated / (double)n : 0;
	for (k = 0; status == TACT_OK && k < o->folds; k++)
		for (arm = 0; status == TACT_OK && arm < 2; arm++)
			for (m = 0; status == TACT_OK && m < o->metric_count; m++)
				status = predict_metric(d, o, design, width, k, arm, m,
				                        mu[arm], error);
	for (i = 0; status == TACT_OK && i < n; i++) {
		double y = d->value[i], t = d->treated[i];
		d->g1[i] = mu[1][i] + t * (y - mu[1][i]) / d->share;
		d->g0[i] = mu[0][i] + (1 - t) * (y - mu[0][i]) / (1 - d->share);
		d->score[i] = d->g1[i] - d->g0[i];
	}
	free(design);
	free(mu[0]);
	free(mu[1]);
	return status;
}

tact_status tact_target_load(const char *path,
                             const tact_target_options *o,
                             tact_target_data *d, tact_error *error)
{
	size_t i, f, F = o->features->count;
	int64_t arms[2] = {0, 0};
	tact_status status = read_units(path, o, d, error);

	if (status != TACT_OK)
		return status;
	for (i = 0; i < d->units; i++)
		arms[d->treated[i]]++;
	if (!d->treatment || !arms[1])
		return tact_error_set(error, TACT_DATA, d->file, 0, 0,
		                      "no unit of a treatment arm%s%s%s",
		                      o->treatment ? " '" : "",
		                      o->treatment ? o->treatment : "",
		                      o->treatment ? "'" : "");
	if (arms[0] < 2 * o->min_cell || arms[1] < 2 * o->min_cell)
		return tact_error_set(error, TACT_DATA, d->file, 0, 0,
		                      "too few units to learn a policy: %lld in "
		                      "'%s', %lld in '%s', need %lld in each",
		                      (long long)arms[1], d->treatment,
		                      (long long)arms[0], d->control,
		                      (long long)(2 * o->min_cell));
	d->codes = malloc((d->units ? d->units : 1) * (F ? F : 1) *
	                  sizeof *d->codes);
	if (!d->codes)
		return tact_error_oom(error);
	for (f = 0; f < F; f++) {
		tact_target_feature *feature = &d->features[f];
		if (!feature->categorical &&
		    (status = cut_points(d, f, o->bins, error)) != TACT_OK)
			return status;
		for (i = 0; i < d->units; i++) {
			double x = d->x[i * F + f];
			d->codes[i * F + f] = feature->categorical
			                              ? (unsigned short)x
			                              : bin_of(feature, x);
		}
	}
	if ((status = draw_folds(d, o->folds, o->seed, error)) != TACT_OK)
		return status;
	return compute_scores(d, o, error);
}
