/*
 * load.c - raw exports and summaries into summaries (see load.h).
 */
#include "load.h"

#include <math.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bins.h"
#include "format.h"
#include "parse.h"
#include "summaryfile.h"
#include "units.h"
#include "unitspart.h"

/*
 * Parts: a raw export (without unit folding) is summarized in parts of
 * PART_BYTES of input (a record belongs to the part its first byte falls
 * in), each part's summary merged into the whole in order.  The parts are
 * the same whether one thread reads the file from start to end or several
 * read ranges of it at once, so the output is the same to the last bit.
 */
#define PART_BYTES(l) ((l)->options->part_bytes ? (l)->options->part_bytes \
                                                : UINT64_C(64) << 20)

typedef struct loader {
	const tact_load_options *options;
	const char *file;
	tact_summary *summary;       /* where rows go: the current part, or the
	                                whole when sessions are folded */
	tact_summary *whole;         /* the caller's summary */
	tact_summary part;
	int parted;                  /* rows go to parts */
	uint64_t part_index;
	uint64_t part_start, part_end; /* its bytes: no division per row */
	char report_delimiter;       /* the header's delimiter (parallel) */
	char last_delimiter;
	tact_load_report *report;
	tact_summaryfile_reader *summary_reader; /* input is a summary */
	tact_column_map map;
	int mapped;
	tact_units units;
	int by_unit;
	tact_unit_part *router;      /* sessions routed to partitions by a
	                                reading thread (unitspart.h), or NULL */
	size_t unit_peak_bytes;      /* held at most by the partitions */
	int64_t units_added;         /* units the partitions added to the
	                                summary themselves (not in units) */
	int64_t units_added_mixed;   /* of them, seen in several arms */
	int hold_rows;               /* a quantile cap without a unit column:
	                                every row held as a unit (cap.h) */
	tact_cap *caps;              /* per metric, NULL without --cap */
	unsigned char *cap_other;    /* per metric: a value neither 0 nor 1 */
	/* Quantile caps on a regular file without a unit column: a first pass
	 * (collect) gathers each capped metric's values, the second reads the
	 * file as usual with the quantiles found (quantiles, per metric). */
	int collect;
	double **collected;          /* per metric: its values (collect) */
	size_t *collected_count, *collected_capacity;
	const double *quantiles;     /* per metric (NaN: none), or NULL */
	double *values;
	const char **labels;
	size_t *label_lengths;
	size_t exposure_metric;      /* with exposure_dimension: its metric */
	char exposure_label[32];
	int64_t data_rows;
	/* privacy: identifiers in the first rows (privacy.h).  detector points
	 * at privacy, or for the first range of a parallel read at the probe's;
	 * NULL for the other ranges. */
	tact_privacy_detector privacy;
	tact_privacy_detector *detector;
	size_t *where_bound;         /* --where's columns' fields, or NULL */
	/* Binned --by columns (bins.h): per dimension, NULL when none are;
	 * shared read-only with the parallel ranges, which own bin_text. */
	tact_binning *binnings;
	size_t binning_count;        /* entries of binnings */
	char (*bin_text)[32];        /* per dimension: a quantile-binned
	                                column's whole number, as a label */
	/* --time (period.h): its column, and per unit held the period of its
	 * first session (an index into the whole summary's periods). */
	size_t time_column;          /* TACT_NO_COLUMN: none */
	uint32_t *unit_periods;
	size_t unit_periods_capacity;
} loader;

/* TACT_LOAD_TEST's settings (load.h): NAME=NUMBER, comma-separated;
 * what it does not know is ignored (tests only). */
static void test_settings(tact_load_options *options)
{
	const char *text = getenv("TACT_LOAD_TEST");

	while (text && *text) {
		const char *equal = strchr(text, '=');
		unsigned long long value;
		if (!equal)
			break;
		value = strtoull(equal + 1, NULL, 0);
		if (strncmp(text, "part_bytes=", 11) == 0 && value >= 64)
			options->part_bytes = value;
		else if (strncmp(text, "unit_part_bytes=", 16) == 0 && value >= 64)
			options->unit_part_bytes = value;
		else if (strncmp(text, "partitions=", 11) == 0 && value >= 1 &&
		         value <= 255)
			options->unit_partitions = (size_t)value;
		else if (strncmp(text, "hash_mask=", 10) == 0)
			options->unit_hash_mask = value;
		text = strchr(equal, ',');
		text = text ? text + 1 : NULL;
	}
}

tact_status tact_load_options_init(tact_load_options *options,
                                   tact_error *error)
{
	memset(options, 0, sizeof *options);
	tact_csv_options_init(&options->csv);
	test_settings(options);
	return tact_roles_spec_init(&options->roles, error);
}

void tact_load_options_release(tact_load_options *options)
{
	tact_roles_spec_release(&options->roles);
	if (options->where) {
		tact_rule_set_release(options->where);
		free(options->where);
		options->where = NULL;
	}
}

tact_status tact_load_options_where(tact_load_options *options,
                                    const char *condition, tact_error *error)
{
	tact_status status;

	if (options->where)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "given twice: join the conditions with 'and'");
	if (!(options->where = malloc(sizeof *options->where)))
		return tact_error_oom(error);
	tact_rule_set_init(options->where);
	status = tact_rule_set_condition(options->where, condition, error);
	if (status != TACT_OK) {
		tact_rule_set_release(options->where);
		free(options->where);
		options->where = NULL;
	}
	return status;
}

/* --where: resolve the condition's columns against the header. */
static tact_status begin_where(loader *l, const tact_csv_record *header,
                               tact_error *error)
{
	tact_rule_set *where = l->options->where;

	/* Numbers in cells are read as the other cells are. */
	where->decimal_comma = l->options->decimal_comma;
	l->where_bound = malloc((where->column_count + 1) * sizeof *l->where_bound);
	if (!l->where_bound)
		return tact_error_oom(error);
	return tact_rule_set_resolve(where, header, l->file, l->where_bound, error);
}

/* --where: 1 when the row is dropped (counted). */
static int where_drops(loader *l, const tact_csv_record *record)
{
	int unreadable;

	if (tact_rule_set_holds(l->options->where, l->where_bound, record,
	                        &unreadable))
		return 0;
	l->summary->rows_excluded_where++;
	l->summary->where_unreadable += unreadable;
	return 1;
}

/* ---- parts ----------------------------------------------------------- */

static tact_status start_part(loader *l, uint64_t index, tact_error *error)
{
	tact_status status;

	tact_summary_init(&l->part);
	l->parted = 1;
	l->part_index = index;
	l->part_start = index * PART_BYTES(l);
	l->part_end = l->part_start + PART_BYTES(l);
	l->summary = &l->part;
	status = tact_summary_setup(&l->part, l->map.dimensions,
	                            l->map.dimension_names, l->map.arm_name,
	                            l->map.metrics, l->map.metric_names,
	                            l->map.metric_roles, error);
	if (status == TACT_OK && l->time_column != TACT_NO_COLUMN)
		status = tact_periods_enable(&l->part, l->options->period,
		                             l->options->time_name, error);
	if (status == TACT_OK)
		tact_summary_set_covariates(&l->part, l->map.metric_covariate);
	return status;
}

/* Finish the current part and add it to the whole. */
static tact_status close_part(loader *l, tact_error *error)
{
	tact_status status;

	tact_summary_finish(&l->part);
	status = tact_summary_merge(l->whole, &l->part, error);
	tact_summary_release(&l->part);
	l->parted = 0;
	l->summary = l->whole;
	return status;
}

/* ---- the header of a raw export ---------------------------------- */

/* "'a', 'b'": the metrics of the map, for messages. */
static void metric_list(const tact_column_map *map, char *out, size_t size)
{
	size_t m, used = 0;

	out[0] = '\0';
	for (m = 0; m < map->metrics && used + 1 < size; m++) {
		int n = snprintf(out + used, size - used, "%s'%s'", m ? ", " : "",
		                 map->metric_names[m]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* The caps asked for (--cap), per metric of the map.  A quantile cap
 * without a unit column holds the rows (see hold_rows). */
static tact_status resolve_caps(loader *l, tact_error *error)
{
	const tact_caps *asked = &l->options->roles.caps;
	char list[512];
	size_t i, m;

	if (asked->count == 0)
		return TACT_OK;
	l->caps = calloc(l->map.metrics + 1, sizeof *l->caps);
	l->cap_other = calloc(l->map.metrics + 1, 1);
	if (!l->caps || !l->cap_other)
		return tact_error_oom(error);
	for (i = 0; i < asked->count; i++) {
		for (m = 0; m < l->map.metrics; m++)
			if (strcmp(l->map.metric_names[m], asked->metrics[i]) == 0)
				break;
		if (m == l->map.metrics) {
			metric_list(&l->map, list, sizeof list);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--cap: no metric '%s'; the metrics are: %s",
			                      asked->metrics[i], list);
		}
		if (l->map.metric_roles[m] == TACT_ROLE_EXPOSURES)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--cap: '%s' is the exposure count, which is "
			                      "not capped (tact-dose studies its levels)",
			                      asked->metrics[i]);
		if (l->map.metric_roles[m] == TACT_ROLE_COVARIATE)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--cap: '%s' is a covariate, which is not "
			                      "capped (it adjusts metrics as it is)",
			                      asked->metrics[i]);
		l->caps[m] = asked->caps[i];
		l->caps[m].touched = 0;
		if (asked->caps[i].kind == TACT_CAP_QUANTILE && l->quantiles &&
		    !isnan(l->quantiles[m]))
			l->caps[m].value = l->quantiles[m]; /* found by a first pass */
		else if (asked->caps[i].kind == TACT_CAP_QUANTILE &&
		         l->map.unit == TACT_NO_COLUMN)
			l->hold_rows = 1;
	}
	return TACT_OK;
}

/* The first pass of a quantile cap keeps the row's values of each metric
 * capped at a quantile. */
static tact_status collect_row(loader *l, const double *values,
                               tact_error *error)
{
	size_t m;

	for (m = 0; m < l->map.metrics; m++) {
		if (l->caps[m].kind != TACT_CAP_QUANTILE || isnan(values[m]))
			continue;
		if (l->collected_count[m] == l->collected_capacity[m]) {
			size_t capacity = l->collected_capacity[m] ?
			                  2 * l->collected_capacity[m] : 4096;
			double *grown = realloc(l->collected[m],
			                        capacity * sizeof *grown);
			if (!grown)
				return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
				                      "out of memory while holding the "
				                      "values of '%s' for its quantile cap",
				                      l->map.metric_names[m]);
			l->collected[m] = grown;
			l->collected_capacity[m] = capacity;
		}
		l->collected[m][l->collected_count[m]++] = values[m];
	}
	return TACT_OK;
}

/* Cap one row's values (no unit column, absolute caps). */
static void cap_row(loader *l, double *values)
{
	size_t m;

	for (m = 0; m < l->map.metrics; m++)
		if (l->caps[m].kind != TACT_CAP_NONE)
			l->cap_other[m] |= (unsigned char)tact_cap_apply(&l->caps[m],
			                                                 values + m, 1, 1);
}

/* The binned --by columns' bins (checked when the option was read). */
static tact_status setup_binnings(loader *l, tact_error *error)
{
	size_t d, binned = 0;
	tact_status status;

	for (d = 0; d < l->map.dimensions; d++)
		binned += l->map.dimension_bins && l->map.dimension_bins[d];
	if (binned == 0)
		return TACT_OK;
	l->binnings = calloc(l->map.dimensions + 1, sizeof *l->binnings);
	if (!l->binnings)
		return tact_error_oom(error);
	l->binning_count = l->map.dimensions;
	for (d = 0; d < l->map.dimensions; d++)
		if (l->map.dimension_bins[d] &&
		    (status = tact_binning_parse(&l->binnings[d],
		                                 l->map.dimension_names[d],
		                                 l->map.dimension_bins[d], error)))
			return status;
	return TACT_OK;
}

/* The label of row's cell in binned dimension d: its bin's name, or (to
 * be cut at quantiles once all are read) its whole number; "" for an
 * empty cell.  TACT_DATA for a cell that is no number or in no bin. */
static tact_status bin_label(loader *l, const tact_csv_record *record,
                             size_t d, tact_error *error)
{
	const tact_binning *binning = &l->binnings[d];
	const size_t column = l->map.dimension_columns[d];
	const char *text = record->fields[column];
	size_t length = record->lengths[column];
	char shown[64];
	double x;
	long b;

	if (length == 0)
		return TACT_OK; /* the label "" (missing) */
	tact_error_quote(text, length, shown, sizeof shown);
	if (tact_parse_number(text, length, l->options->decimal_comma, &x) != 0)
		return tact_error_set(error, TACT_DATA, l->file, record->lines[column],
		                      column + 1, "'%s' in '%s' is not a number, "
		                      "and --by bins it (clean the column, or "
		                      "--skip-bad to leave such rows out)", shown,
		                      l->map.dimension_names[d]);
	if (binning->quantiles) {
		if (x < 0 || x >= 9e15)
			return tact_error_set(error, TACT_DATA, l->file,
			                      record->lines[column], column + 1,
			                      "'%s' in '%s': quantile bins take whole "
			                      "numbers from 0", shown,
			                      l->map.dimension_names[d]);
		if (!l->bin_text &&
		    !(l->bin_text = calloc(l->map.dimensions, sizeof *l->bin_text)))
			return tact_error_oom(error);
		snprintf(l->bin_text[d], sizeof l->bin_text[d], "%.0f", floor(x));
		l->labels[d] = l->bin_text[d];
		l->label_lengths[d] = strlen(l->bin_text[d]);
		return TACT_OK;
	}
	if ((b = tact_binning_find(binning, x)) < 0)
		return tact_error_set(error, TACT_DATA, l->file, record->lines[column],
		                      column + 1, "'%s' in '%s' is in no bin of '%s'",
		                      shown, l->map.dimension_names[d],
		                      l->map.dimension_bins[d]);
	l->labels[d] = binning->names[b];
	l->label_lengths[d] = strlen(binning->names[b]);
	return TACT_OK;
}

/* Once every row is read: quantile bins cut, and every binned dimension's
 * bins recorded in the summary (not before: parts merge without them). */
static tact_status finish_binnings(loader *l, tact_summary *summary,
                                   tact_error *error)
{
	size_t d;
	tact_status status = TACT_OK;

	for (d = 0; l->binnings && d < l->map.dimensions && !status; d++) {
		if (l->binnings[d].quantiles)
			status = tact_binning_resolve_quantiles(&l->binnings[d], summary,
			                                        d, error);
		else if (l->binnings[d].count)
			status = tact_summary_set_bins(summary, d,
			                               l->map.dimension_bins[d], error);
	}
	return status;
}

/* --time: its column in the header, and the summary's periods. */
static tact_status begin_time(loader *l, const tact_csv_record *header,
                              tact_error *error)
{
	const char *name = l->options->time_name;
	size_t c, d;

	if (l->options->exposure_dimension)
		return tact_error_set(error, TACT_USAGE, l->file, 1, 0,
		                      "--time does not go with --by-exposures");
	for (d = 0; l->map.dimension_bins && d < l->map.dimensions; d++)
		if (l->map.dimension_bins[d] &&
		    strncmp(l->map.dimension_bins[d], "quantiles:", 10) == 0)
			return tact_error_set(error, TACT_USAGE, l->file, 1, 0,
			                      "--time does not go with quantile bins "
			                      "('%s'): give the bins' bounds",
			                      l->map.dimension_names[d]);
	for (c = 0; c < header->count; c++)
		if (strlen(name) == header->lengths[c] &&
		    memcmp(header->fields[c], name, header->lengths[c]) == 0)
			break;
	if (c == header->count)
		return tact_error_set(error, TACT_DATA, l->file, 1, 0,
		                      "no column '%s' for the time (--time)", name);
	l->time_column = c;
	return tact_periods_enable(l->summary, l->options->period, name, error);
}

static tact_status begin_raw(loader *l, const tact_csv_record *header,
                             tact_error *error)
{
	tact_status status;

	status = tact_roles_resolve(&l->options->roles, header->fields,
	                            header->lengths, header->count, l->file,
	                            &l->map, error);
	if (status != TACT_OK)
		return status;
	l->mapped = 1;
	if (l->report)
		l->report->segments_absent = l->map.segments_absent;
	if ((status = resolve_caps(l, error)))
		return status;
	if (l->options->where && (status = begin_where(l, header, error)))
		return status;
	/* privacy: a column named like an address (privacy.h). */
	if ((status = tact_privacy_check_names(header->fields, header->lengths,
	                                       header->count, l->file, error)))
		return status;
	if ((status = tact_privacy_detector_init(&l->privacy, header->fields,
	                                         header->lengths, header->count,
	                                         error)))
		return status;
	l->detector = &l->privacy;
	if (l->options->exposure_dimension) {
		/* The exposure count joins the segment dimensions, last. */
		size_t m;
		char **names;
		for (m = 0; m < l->map.metrics; m++)
			if (l->map.metric_roles[m] == TACT_ROLE_EXPOSURES)
				break;
		if (m == l->map.metrics)
			return tact_error_set(error, TACT_DATA, l->file, 1, 0,
			                      "no exposure column: name it with "
			                      "--exposures");
		l->exposure_metric = m;
		names = realloc(l->map.dimension_names,
		                (l->map.dimensions + 2) * sizeof *names);
		if (!names)
			return tact_error_oom(error);
		l->map.dimension_names = names;
		if (!(names[l->map.dimensions] = strdup(l->map.metric_names[m])))
			return tact_error_oom(error);
		l->map.dimensions++;
	}
	status = tact_summary_setup(l->summary, l->map.dimensions,
	                            l->map.dimension_names, l->map.arm_name,
	                            l->map.metrics, l->map.metric_names,
	                            l->map.metric_roles, error);
	if (status != TACT_OK)
		return status;
	tact_summary_set_covariates(l->summary, l->map.metric_covariate);
	if (l->options->time_name && (status = begin_time(l, header, error)))
		return status;
	l->values = calloc(l->map.metrics + 1, sizeof *l->values);
	l->labels = calloc(l->map.dimensions + 1, sizeof *l->labels);
	l->label_lengths = calloc(l->map.dimensions + 1, sizeof *l->label_lengths);
	if (!l->values || !l->labels || !l->label_lengths)
		return tact_error_oom(error);
	if ((status = setup_binnings(l, error)))
		return status;
	if (l->map.unit != TACT_NO_COLUMN) {
		l->by_unit = 1;
		tact_units_init(&l->units, l->map.metrics);
		if (l->options->unit_hash_mask)
			l->units.hash_mask = l->options->unit_hash_mask;
		l->summary->unit_name = strdup(l->map.unit_name);
		if (!l->summary->unit_name)
			return tact_error_oom(error);
		return TACT_OK;
	}
	if (l->collect) {
		l->collected = calloc(l->map.metrics + 1, sizeof *l->collected);
		l->collected_count = calloc(l->map.metrics + 1, sizeof(size_t));
		l->collected_capacity = calloc(l->map.metrics + 1, sizeof(size_t));
		if (!l->collected || !l->collected_count || !l->collected_capacity)
			return tact_error_oom(error);
	}
	if (l->hold_rows) {
		tact_units_init(&l->units, l->map.metrics);
		return TACT_OK;
	}
	return start_part(l, 0, error);
}

/* ---- one row of a raw export -------------------------------------- */

static tact_status bad_cell(const loader *l, const tact_csv_record *record,
                            size_t column, const char *name,
                            const char *expected, const char *hint,
                            tact_error *error)
{
	char shown[120];
	tact_identifier_kind kind = tact_privacy_value_kind(
		record->fields[column], record->lengths[column]);

	/* privacy: messages leave the machine too; an identifier is named,
	 * not quoted. */
	if (kind != TACT_IDENTIFIER_NONE)
		return tact_error_set(error, TACT_DATA, l->file, record->lines[column],
		                      column + 1, "'%s' must be %s, got a value that "
		                      "looks like a direct identifier (%s; not shown)",
		                      name, expected, tact_identifier_kind_text(kind));
	tact_error_quote(record->fields[column], record->lengths[column], shown,
	                 sizeof shown);
	return tact_error_set(error, TACT_DATA, l->file, record->lines[column],
	                      column + 1, "'%s' must be %s, got '%s'%s", name,
	                      expected, shown, hint);
}

/* The label of the row's period (its time cell parsed) into label;
 * TACT_DATA for a cell of no accepted form. */
static tact_status row_period(loader *l, const tact_csv_record *record,
                              char *label, tact_error *error)
{
	const size_t c = l->time_column;
	int64_t day;

	if (tact_period_parse_day(record->fields[c], record->lengths[c], &day))
		return bad_cell(l, record, c, l->options->time_name,
		                "a date or time (ISO 8601: 2026-12-06, "
		                "2026-12-06T14:30:00, with Z or +01:00)", "", error);
	tact_period_label(l->options->period, day, label);
	return TACT_OK;
}

/* That period in l->summary, made when new (only for a row that counts
 * in it: a unit's later sessions do not make periods). */
static tact_status find_period(loader *l, const char *label, size_t *period,
                               tact_error *error)
{
	return tact_periods_find(l->summary, label, strlen(label), period, error);
}

/* Remember a new unit's period (the one of its first session). */
static tact_status hold_unit_period(loader *l, size_t period,
                                    tact_error *error)
{
	size_t u = l->units.count - 1;

	if (u >= l->unit_periods_capacity) {
		size_t capacity = l->unit_periods_capacity ?
		                  2 * l->unit_periods_capacity : 4096;
		uint32_t *grown = realloc(l->unit_periods, capacity * sizeof *grown);
		if (!grown)
			return tact_error_oom(error);
		l->unit_periods = grown;
		l->unit_periods_capacity = capacity;
	}
	l->unit_periods[u] = (uint32_t)period;
	return TACT_OK;
}

/* A hint when a number failed for its decimal mark. */
static const char *decimal_hint(const loader *l, const char *text,
                                size_t length)
{
	double ignored;

	if (!l->options->decimal_comma && memchr(text, ',', length) &&
	    tact_parse_number(text, length, 1, &ignored) == 0)
		return " (for decimal commas, give --decimal-comma)";
	if (l->options->decimal_comma && memchr(text, '.', length) &&
	    tact_parse_number(text, length, 0, &ignored) == 0)
		return " (with --decimal-comma the decimal mark is ',')";
	return "";
}

/* privacy: "+33612345678" reads as a number but is a phone number, refused
 * as a metric value (bad_cell names it without quoting it).  Only a cell
 * starting with '+' is looked at: the usual cells never are. */
static int phone_number(const char *text, size_t length)
{
	return text[0] == '+' &&
	       tact_privacy_label_kind(text, length) == TACT_IDENTIFIER_PHONE;
}

static tact_status parse_metric(const loader *l, const tact_csv_record *record,
                                size_t metric, double *value, tact_error *error)
{
	size_t column = l->map.metric_columns[metric];
	const char *text = record->fields[column], *name = l->map.metric_names[metric];
	size_t length = record->lengths[column];
	int rc;

	/* Single digits were read by raw_row, before the call. */
	if (length == 0 || ((text[0] == ' ' || text[0] == '\t') &&
	                    tact_parse_is_blank(text, length))) {
		*value = NAN;
		return TACT_OK;
	}
	switch (l->map.metric_roles[metric]) {
	case TACT_ROLE_GOAL:
	case TACT_ROLE_ANNOYANCE:
		if (tact_parse_boolean(text, length, value) == 0 ||
		    (tact_parse_number(text, length, l->options->decimal_comma,
		                       value) == 0 && !phone_number(text, length)))
			return TACT_OK;
		if (!tact_parse_out_of_range(text, length, l->options->decimal_comma))
			return bad_cell(l, record, column, name,
			                "0 or 1 (or true/false, yes/no, or a number)",
			                decimal_hint(l, text, length), error);
		/* 1e400 is out of range, as in a value column: */
		/* fall through */
	case TACT_ROLE_VALUE:
	case TACT_ROLE_COVARIATE:
		if (tact_parse_number(text, length, l->options->decimal_comma,
		                      value) == 0 && !phone_number(text, length))
			return TACT_OK;
		if (tact_parse_out_of_range(text, length, l->options->decimal_comma))
			return bad_cell(l, record, column, name,
			                "within a double's range (about 1.8e308 either "
			                "side of 0): this number is out of range", "",
			                error);
		return bad_cell(l, record, column, name, "a number",
		                decimal_hint(l, text, length), error);
	case TACT_ROLE_EXPOSURES:
		rc = tact_parse_count(text, length, l->options->decimal_comma, value);
		if (rc == 0)
			return TACT_OK;
		return bad_cell(l, record, column, name,
		                rc == -4 ? "a count below 2^53"
		                         : "a whole number of 0 or more",
		                rc == -1 ? decimal_hint(l, text, length) : "", error);
	}
	return TACT_OK;
}

/* Returns TACT_OK and *consented, or an error for an unreadable value. */
static tact_status read_consent(const loader *l, const tact_csv_record *record,
                                int *consented, tact_error *error)
{
	size_t column = l->map.consent;
	double value;

	if (column == TACT_NO_COLUMN) {
		*consented = 1;
		return TACT_OK;
	}
	if (record->lengths[column] == 1 &&
	    (record->fields[column][0] == '1' || record->fields[column][0] == '0')) {
		*consented = record->fields[column][0] == '1';
		return TACT_OK;
	}
	/* No answer is no consent. */
	if (record->lengths[column] == 0 ||
	    tact_parse_is_blank(record->fields[column], record->lengths[column])) {
		*consented = 0;
		return TACT_OK;
	}
	if (tact_parse_boolean(record->fields[column], record->lengths[column],
	                       &value) != 0)
		return bad_cell(l, record, column, l->options->roles.consent,
		                "0 or 1, true/false or yes/no", "", error);
	*consented = value == 1.0;
	return TACT_OK;
}

/*
 * The metrics' cells of a row into l->values.  The common cells inline: a
 * single digit is a 0/1 outcome or a small count, whatever the role
 * ("0"/"1" read the same as numbers and as booleans); a plain decimal is a
 * value (or an outcome: no boolean looks like one); parse_metric does the
 * rest.
 */
static tact_status read_values(loader *l, const tact_csv_record *record,
                               tact_error *error)
{
	const tact_column_map *map = &l->map;
	const size_t *columns = map->metric_columns;
	const tact_role *roles = map->metric_roles;
	char *const *fields = record->fields;
	const size_t *lengths = record->lengths;
	double *values = l->values;
	const size_t metrics = map->metrics;
	const char mark = l->options->decimal_comma ? ',' : '.';
	tact_status status;
	size_t i;

	for (i = 0; i < metrics; i++) {
		const char *text = fields[columns[i]];
		const size_t length = lengths[columns[i]];
		unsigned digit = (unsigned)(unsigned char)text[0] - '0';
		if (length == 1 && digit < 10)
			values[i] = (double)digit;
		else if (roles[i] != TACT_ROLE_EXPOSURES &&
		         tact_parse_plain_number(text, length, mark,
		                                 &values[i]) == 0)
			continue;
		else if ((status = parse_metric(l, record, i, &values[i], error)))
			return status;
	}
	return TACT_OK;
}

static tact_status raw_row(loader *l, const tact_csv_record *record,
                           tact_error *error)
{
	const tact_column_map *map = &l->map;
	size_t arm = map->arm, i, group, period = 0;
	char label[TACT_PERIOD_LABEL_MAX];
	int consented = 0, timed;
	tact_status status;

	status = read_consent(l, record, &consented, error);
	if (status != TACT_OK)
		return status;
	if (!consented) {
		l->summary->rows_excluded_consent++;
		return TACT_OK;
	}
	if (record->lengths[arm] == 0)
		return tact_error_set(error, TACT_DATA, l->file, record->lines[arm],
		                      arm + 1, "the arm ('%s') is empty", map->arm_name);
	if ((status = read_values(l, record, error)))
		return status;
	for (i = 0; i < map->dimensions; i++) {
		if (l->options->exposure_dimension && i + 1 == map->dimensions) {
			/* The parsed count, written canonically ("3" for "3.0"). */
			double e = l->values[l->exposure_metric];
			if (isnan(e))
				l->exposure_label[0] = '\0';
			else
				snprintf(l->exposure_label, sizeof l->exposure_label, "%.0f", e);
			l->labels[i] = l->exposure_label;
			l->label_lengths[i] = strlen(l->exposure_label);
			continue;
		}
		l->labels[i] = record->fields[map->dimension_columns[i]];
		l->label_lengths[i] = record->lengths[map->dimension_columns[i]];
		if (l->binnings && (l->binnings[i].count || l->binnings[i].quantiles) &&
		    (status = bin_label(l, record, i, error)))
			return status;
	}
	timed = l->time_column != TACT_NO_COLUMN && !l->collect;
	if (timed && (status = row_period(l, record, label, error)))
		return status;
	if (!l->by_unit) {
		/* Record fields and exposure_label can be read 16 bytes on. */
		status = tact_summary_group_find_padded(
			l->summary, l->labels, l->label_lengths, record->fields[arm],
			record->lengths[arm], &group, error);
		if (status != TACT_OK)
			return status;
		if (l->collect)
			return collect_row(l, l->values, error);
		if (timed && (status = find_period(l, label, &period, error)))
			return status;
		if (l->hold_rows) {
			status = tact_units_append(&l->units, group, l->values, error);
			if (status == TACT_OK && l->time_column != TACT_NO_COLUMN)
				status = hold_unit_period(l, period, error);
			return status;
		}
		if (l->caps)
			cap_row(l, l->values);
		if (l->time_column != TACT_NO_COLUMN)
			return tact_periods_add(l->summary, group, period, l->values,
			                        error);
		tact_summary_add(l->summary, group, l->values);
		return TACT_OK;
	} else {
		const char *id = record->fields[map->unit];
		size_t id_length = record->lengths[map->unit];
		size_t unit;

		if (id_length == 0)
			return tact_error_set(error, TACT_DATA, l->file,
			                      record->lines[map->unit], map->unit + 1,
			                      "the unit id ('%s') is empty", map->unit_name);
		if (l->router) {
			/* A reading thread: the session goes to its unit's
			 * partition, with its group in this part (unitspart.h). */
			status = tact_summary_group_find_padded(
				l->summary, l->labels, l->label_lengths,
				record->fields[arm], record->lengths[arm], &group, error);
			if (status != TACT_OK)
				return status;
			return tact_unit_part_route(l->router, id, id_length,
			                            (uint32_t)group, l->values, error);
		}
		unit = tact_units_find(&l->units, id, id_length);
		if (unit == TACT_KEYMAP_NONE) {
			status = tact_summary_group_find_padded(
				l->summary, l->labels, l->label_lengths,
				record->fields[arm], record->lengths[arm], &group, error);
			if (status == TACT_OK && timed)
				status = find_period(l, label, &period, error);
			if (status != TACT_OK)
				return status;
		} else {
			const char *first_arm = l->summary->groups[l->units.groups[unit]].arm;
			group = l->units.groups[unit];
			if (strlen(first_arm) != record->lengths[arm] ||
			    memcmp(first_arm, record->fields[arm], record->lengths[arm]))
				tact_units_mark_several_arms(&l->units, unit);
		}
		status = tact_units_add(&l->units, unit, id, id_length, group,
		                        map->metric_roles, l->values, error);
		/* A unit's period is its first session's, like its arm. */
		if (status == TACT_OK && unit == TACT_KEYMAP_NONE &&
		    l->time_column != TACT_NO_COLUMN)
			status = hold_unit_period(l, period, error);
		return status;
	}
}

/* privacy: refuse an identifier column as the arm or a segment (the
 * exposure dimension is no column of its own). */
static tact_status privacy_roles(const loader *l,
                                 const tact_privacy_detector *detector,
                                 tact_error *error)
{
	tact_column_map map = l->map;

	if (l->options->exposure_dimension && map.dimensions > 0)
		map.dimensions--;
	return tact_privacy_check_roles(detector, &map, l->file, error);
}

static tact_status on_record(void *context, const tact_csv_record *record,
                             tact_error *error)
{
	loader *l = context;
	tact_status status;

	if (record->index == 0) {
		if (l->options->period_set && !l->options->time_name)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--period needs --time (the column of "
			                      "each row's date)");
		l->last_delimiter = record->delimiter;
		if (l->report)
			l->report->delimiter = record->delimiter;
		if (tact_summaryfile_is_header(record)) {
			if (l->report)
				l->report->from_summary = 1;
			if (l->options->where)
				return tact_error_set(error, TACT_USAGE, l->file, 1, 0,
				                      "--where filters the rows of an "
				                      "export, and this is a summary: "
				                      "give --where when summarizing");
			return tact_summaryfile_begin(&l->summary_reader, l->summary,
			                              record, l->file, error);
		}
		return begin_raw(l, record, error);
	}
	if (l->summary_reader)
		return tact_summaryfile_row(l->summary_reader, record, error);
	if (l->parted && (record->offset < l->part_start ||
	                  record->offset >= l->part_end)) {
		if ((status = close_part(l, error)) ||
		    (status = start_part(l, record->offset / PART_BYTES(l), error)))
			return status;
	}
	l->data_rows++;
	l->summary->rows_read++;
	/* privacy: the first rows feed the detector; once it has seen enough,
	 * an identifier column as the arm or a segment stops the load. */
	if (l->detector && !l->detector->done &&
	    !tact_privacy_detector_feed(l->detector, record->fields,
	                                record->lengths, record->count)) {
		tact_privacy_detector_finish(l->detector);
		if ((status = privacy_roles(l, l->detector, error)))
			return status;
	}
	if (l->where_bound && where_drops(l, record))
		return TACT_OK;
	status = raw_row(l, record, error);
	if (status == TACT_DATA && l->options->skip_bad) {
		l->summary->rows_rejected++;
		if (l->report && l->report->rejects_shown < TACT_LOAD_REJECTS_SHOWN) {
			char *out = l->report->rejects[l->report->rejects_shown++];
			tact_error_format(error, out, sizeof l->report->rejects[0]);
		}
		tact_error_init(error);
		return TACT_OK;
	}
	return status;
}

/* ---- after the last row ------------------------------------------- */

void tact_load_arm_list(const tact_summary *summary, char *out, size_t size)
{
	const char **arms = malloc((summary->group_count + 1) * sizeof *arms);
	size_t g, h, count = 0;

	if (!arms) {
		if (size > 0)
			snprintf(out, size, "...");
		return;
	}
	/* Each arm once, in the order the groups first show it. */
	for (g = 0; g < summary->group_count; g++) {
		const char *arm = summary->groups[g].arm;
		int seen = 0;
		for (h = 0; h < count && !seen; h++)
			seen = strcmp(arms[h], arm) == 0;
		if (!seen)
			arms[count++] = arm;
	}
	tact_format_quoted_list(out, size, arms, count);
	free(arms);
}

static int has_arm(const tact_summary *summary, const char *arm)
{
	size_t g;

	for (g = 0; g < summary->group_count; g++)
		if (strcmp(summary->groups[g].arm, arm) == 0)
			return 1;
	return 0;
}

/* The index in summary of each dimension named in by, in by's order. */
static tact_status find_dimensions(const tact_summary *summary,
                                   const tact_names *by, size_t *keep,
                                   const char *file, tact_error *error)
{
	size_t i, d, k;

	for (i = 0; i < by->count; i++) {
		for (d = 0; d < summary->dimensions; d++)
			if (strcmp(summary->dimension_names[d], by->items[i]) == 0)
				break;
		if (d == summary->dimensions)
			return tact_error_set(error, TACT_DATA, file, 0, 0,
			                      "the summary has no segment '%s' to "
			                      "segment by", by->items[i]);
		/* As for an export: one dimension cannot be two columns. */
		for (k = 0; k < i; k++)
			if (keep[k] == d)
				return tact_error_set(error, TACT_DATA, file, 0, 0,
				                      "segment '%s' is named twice in --by",
				                      by->items[i]);
		keep[i] = d;
	}
	return TACT_OK;
}

/* Set fresh (initialized) up with like's arm, metrics and covariates, names and
 * roles, over other dimensions. */
static tact_status setup_like(tact_summary *fresh, const tact_summary *like,
                              size_t dimensions, char *const *dimension_names,
                              tact_error *error)
{
	char **names = calloc(like->metric_count + 1, sizeof *names);
	tact_role *roles = calloc(like->metric_count + 1, sizeof *roles);
	tact_status status;
	size_t i;

	if (!names || !roles) {
		free(names);
		free(roles);
		return tact_error_oom(error);
	}
	for (i = 0; i < like->metric_count; i++) {
		names[i] = like->metrics[i].name;
		roles[i] = like->metrics[i].role;
	}
	status = tact_summary_setup(fresh, dimensions, dimension_names,
	                            like->arm_name, like->metric_count, names,
	                            roles, error);
	if (status == TACT_OK) /* and its covariates (CUPED) */
		tact_summary_set_covariates(fresh, like->covariate_of);
	free(names);
	free(roles);
	return status;
}

tact_status tact_load_setup_like(tact_summary *fresh, const tact_summary *like,
                                 size_t dimensions,
                                 char *const *dimension_names,
                                 tact_error *error)
{
	return setup_like(fresh, like, dimensions, dimension_names, error);
}

/* Pooled groups stay as they are: they do not depend on the dimensions. */
static tact_status copy_pooled(tact_summary *projected,
                               const tact_summary *summary, tact_error *error)
{
	tact_status status = TACT_OK;
	size_t g;

	for (g = 0; g < summary->pooled_count && status == TACT_OK; g++) {
		const tact_summary_group *src = &summary->pooled[g];
		size_t index;
		int added;
		status = tact_summary_pooled_insert(projected, src->arm,
		                                    strlen(src->arm), &index, &added,
		                                    error);
		if (status != TACT_OK)
			break;
		projected->pooled[index].units = src->units;
		memcpy(projected->pooled[index].metrics, src->metrics,
		       summary->metric_count * sizeof *src->metrics);
		memcpy(projected->pooled[index].pairs, src->pairs,
		       summary->pair_count * sizeof *src->pairs);
	}
	return status;
}

/* Add each of the count groups at from into projected's group of the
 * same arm and of its labels in the dimensions keep[0..kept). */
static tact_status merge_groups(tact_summary *projected,
                                const tact_summary *summary,
                                const tact_summary_group *from, size_t count,
                                const size_t *keep, size_t kept,
                                tact_error *error)
{
	tact_status status = TACT_OK;
	size_t g, i, p;

	for (g = 0; g < count && status == TACT_OK; g++) {
		const tact_summary_group *src = &from[g];
		tact_summary_group *into;
		const char *labels[64];
		size_t lengths[64], index;
		int added;

		if (kept > 64) {
			status = tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                        "too many --by dimensions (64 at most)");
			break;
		}
		for (i = 0; i < kept; i++) {
			labels[i] = src->labels[keep[i]];
			lengths[i] = strlen(labels[i]);
		}
		status = tact_summary_group_insert(projected, labels, lengths,
		                                   src->arm, strlen(src->arm), &index,
		                                   &added, error);
		if (status != TACT_OK)
			break;
		into = &projected->groups[index];
		into->units += src->units;
		for (i = 0; i < summary->metric_count; i++)
			into->metrics[i] = tact_moments_combine(into->metrics[i],
			                                        src->metrics[i]);
		for (p = 0; p < summary->pair_count; p++)
			into->pairs[p] = tact_comoments_combine(into->pairs[p],
			                                        src->pairs[p]);
	}
	return status;
}

/* Keep only the dimensions named in by (in that order), adding up the
 * groups that differ only in the others. */
static tact_status project(tact_summary *summary, const tact_names *by,
                           const char *file, tact_error *error)
{
	tact_summary projected;
	tact_periods *periods;
	size_t *keep, i;
	tact_status status;
	int from_pooled;

	keep = calloc(by->count + 1, sizeof *keep);
	if (!keep)
		return tact_error_oom(error);
	if ((status = find_dimensions(summary, by, keep, file, error))) {
		free(keep);
		return status;
	}
	tact_summary_init(&projected);
	status = setup_like(&projected, summary, by->count, by->items, error);
	for (i = 0; i < summary->metric_count && status == TACT_OK; i++) {
		projected.metrics[i].binary = summary->metrics[i].binary;
		projected.metrics[i].cap = summary->metrics[i].cap;
		projected.covariate_missing[i] = summary->covariate_missing[i];
	}
	if (status == TACT_OK)
		tact_summary_set_covariates(&projected, summary->covariate_of);
	for (i = 0; i < by->count && status == TACT_OK; i++)
		status = tact_summary_set_bins(&projected, i,
		                               summary->dimension_bins[keep[i]], error);
	projected.finished = 1;
	/* With no dimension left, the pooled groups are the groups.  A
	 * summary without them merges its groups, as before. */
	from_pooled = by->count == 0 && summary->has_pooled &&
	              summary->dimensions > 0;
	if (!summary->has_pooled)
		projected.has_pooled = 0;
	if (projected.has_pooled && status == TACT_OK)
		status = copy_pooled(&projected, summary, error);
	if (status == TACT_OK)
		status = merge_groups(&projected, summary,
		                      from_pooled ? summary->pooled : summary->groups,
		                      from_pooled ? summary->pooled_count
		                                  : summary->group_count,
		                      keep, by->count, error);
	free(keep);
	if (status != TACT_OK) {
		tact_summary_release(&projected);
		return status;
	}
	/* Carry the metadata over, then swap. */
	projected.control = summary->control;
	summary->control = NULL;
	projected.unit_name = summary->unit_name;
	summary->unit_name = NULL;
	projected.rows_read = summary->rows_read;
	projected.rows_rejected = summary->rows_rejected;
	projected.rows_excluded_consent = summary->rows_excluded_consent;
	projected.units_in_several_arms = summary->units_in_several_arms;
	tact_summary_move_where(&projected, summary);
	projected.mixed_units_kept = summary->mixed_units_kept;
	periods = summary->periods;
	summary->periods = NULL;
	tact_summary_release(summary);
	*summary = projected;
	/* The key map points into its own arena: moving the struct is safe. */
	summary->periods = periods;
	/* Each period's groups the same way (period.h). */
	for (i = 0; periods && i < periods->count; i++)
		if ((status = project(&periods->periods[i]->summary, by, file,
		                      error)))
			return status;
	return TACT_OK;
}

tact_status tact_load_project(tact_summary *summary, const tact_names *by,
                              const char *file, tact_error *error)
{
	return project(summary, by, file, error);
}

/*
 * With the exposure count as a dimension, a summary's last dimension is
 * that count (tact-summarize --by-exposures): an explicit --by keeps it,
 * or dose-response would lose what it needs.
 */
static tact_status project_by(loader *l, tact_summary *summary,
                              tact_error *error)
{
	const tact_names *by = &l->options->roles.by;
	const char *last;
	tact_names keep;
	tact_status status;
	size_t i;

	if (!l->options->exposure_dimension || summary->dimensions == 0)
		return project(summary, by, l->file, error);
	last = summary->dimension_names[summary->dimensions - 1];
	i = tact_summary_metric_index(summary, last);
	if (i == TACT_NO_COLUMN ||
	    summary->metrics[i].role != TACT_ROLE_EXPOSURES)
		return project(summary, by, l->file, error);
	for (i = 0; i < by->count; i++)
		if (strcmp(by->items[i], last) == 0)
			return project(summary, by, l->file, error);
	keep.count = by->count + 1;
	keep.items = malloc(keep.count * sizeof *keep.items);
	if (!keep.items)
		return tact_error_oom(error);
	if (by->count)
		memcpy(keep.items, by->items, by->count * sizeof *keep.items);
	keep.items[by->count] = (char *)last;
	status = project(summary, &keep, l->file, error);
	free(keep.items);
	return status;
}

/*
 * With the exposure count as a dimension and sessions folded into units, a
 * unit's label is its total over its sessions, known only now: the group
 * made at its first session carried that session's count.  Rebuild the
 * summary from the units, each in the group of its segment labels, total
 * and arm (the first-session groups, all still empty, are dropped).
 */
static tact_status flush_units_by_exposures(loader *l, tact_error *error)
{
	tact_summary *old = l->summary, fresh;
	const tact_units *units = &l->units;
	const size_t d = old->dimensions;
	const char *labels[64];
	size_t lengths[64], i, unit, group;
	double *values;
	tact_status status;

	if (d > 64)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "too many segment dimensions (64 at most)");
	if (!(values = malloc((units->metric_count + 1) * sizeof *values)))
		return tact_error_oom(error);
	tact_summary_init(&fresh);
	status = setup_like(&fresh, old, d, old->dimension_names, error);
	for (unit = 0; unit < units->count && status == TACT_OK; unit++) {
		const tact_summary_group *g = &old->groups[units->groups[unit]];
		double e;

		tact_units_row(units, unit, values);
		e = values[l->exposure_metric];

		if (units->mixed[unit] && !l->options->mixed_units_first)
			continue; /* seen in several arms: dropped (units.h) */
		for (i = 0; i + 1 < d; i++) {
			labels[i] = g->labels[i];
			lengths[i] = strlen(g->labels[i]);
		}
		if (isnan(e))
			l->exposure_label[0] = '\0';
		else
			snprintf(l->exposure_label, sizeof l->exposure_label, "%.0f", e);
		labels[d - 1] = l->exposure_label;
		lengths[d - 1] = strlen(l->exposure_label);
		status = tact_summary_group_find(&fresh, labels, lengths, g->arm,
		                                 strlen(g->arm), &group, error);
		if (status == TACT_OK)
			tact_summary_add(&fresh, group, values);
	}
	free(values);
	if (status != TACT_OK) {
		tact_summary_release(&fresh);
		return status;
	}
	fresh.unit_name = old->unit_name;
	old->unit_name = NULL;
	fresh.rows_read = old->rows_read;
	fresh.rows_rejected = old->rows_rejected;
	fresh.rows_excluded_consent = old->rows_excluded_consent;
	tact_summary_move_where(&fresh, old);
	fresh.units_in_several_arms = old->units_in_several_arms;
	fresh.mixed_units_kept = old->mixed_units_kept;
	tact_summary_release(old);
	*old = fresh;
	/* The key map points into its own arena: moving the struct is safe. */
	return TACT_OK;
}

/* privacy: decide on what the detector saw (a short export may end before
 * it has enough), refuse identifier roles, list the columns in the report. */
static tact_status privacy_finish(loader *l, tact_error *error)
{
	const tact_privacy_detector *d = &l->privacy;
	tact_status status;
	size_t c;

	if (!d->columns)
		return TACT_OK;
	tact_privacy_detector_finish(&l->privacy);
	if ((status = privacy_roles(l, d, error)))
		return status;
	for (c = 0; c < d->count && l->report; c++) {
		tact_load_report *r = l->report;
		tact_load_identifier *shown = &r->identifiers[r->identifier_count];
		if (d->columns[c].kind == TACT_IDENTIFIER_NONE)
			continue;
		if (r->identifier_count++ >= TACT_LOAD_IDENTIFIERS_SHOWN)
			continue;
		tact_error_quote(d->columns[c].name, strlen(d->columns[c].name),
		                 shown->name, sizeof shown->name);
		shown->kind = d->columns[c].kind;
		shown->reason = d->columns[c].reason;
		shown->unit = c == l->map.unit;
	}
	return TACT_OK;
}

/*
 * Caps on units held in memory (sessions folded by a unit column, or rows
 * held for a quantile cap): a pQ cap is NumPy's linear quantile of the
 * metric's values over every unit that has one, taken from a copy (8 bytes
 * per value), then every cap is applied in place.
 */
static tact_status cap_units(loader *l, tact_error *error)
{
	tact_units *units = &l->units;
	double *scratch = NULL, *column = NULL;
	size_t m, u, n;

	for (m = 0; m < l->map.metrics; m++) {
		tact_cap *cap = &l->caps[m];
		char text[48];
		if (cap->kind != TACT_CAP_NONE &&
		    !(column = tact_units_column(units, m))) {
			free(scratch);
			return tact_error_oom(error);
		}
		if (cap->kind == TACT_CAP_QUANTILE) {
			if (!scratch && !(scratch = malloc((units->count + 1) *
			                                   sizeof *scratch)))
				return tact_error_oom(error);
			for (n = 0, u = 0; u < units->count; u++) {
				double v = column[u];
				if (!isnan(v))
					scratch[n++] = v;
			}
			if (n == 0) {
				free(scratch);
				return tact_error_set(error, TACT_DATA, l->file, 0, 0,
				                      "--cap: '%s' has no values to take its "
				                      "%s from", l->map.metric_names[m],
				                      tact_cap_text(cap, text, sizeof text));
			}
			cap->value = tact_quantile_linear(scratch, n, cap->given / 100);
		}
		if (cap->kind != TACT_CAP_NONE)
			l->cap_other[m] |= (unsigned char)tact_cap_apply(
				cap, column, units->count, 1);
	}
	if (scratch && l->report) {
		l->report->cap_bytes = (units->count + 1) * sizeof *scratch +
		                       (l->hold_rows ? tact_units_bytes(units) : 0);
		l->report->cap_rows_held = l->hold_rows;
	}
	free(scratch);
	return TACT_OK;
}

/* A 0/1 goal or annoyance metric (a rate) has nothing to cap: refused. */
static tact_status check_binary_caps(const loader *l, tact_error *error)
{
	size_t m;

	for (m = 0; m < l->map.metrics; m++) {
		tact_role role = l->map.metric_roles[m];
		if (l->caps[m].kind == TACT_CAP_NONE || l->cap_other[m] ||
		    (role != TACT_ROLE_GOAL && role != TACT_ROLE_ANNOYANCE))
			continue;
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--cap: '%s' is a 0/1 metric (a rate), which "
		                      "cannot be capped", l->map.metric_names[m]);
	}
	return TACT_OK;
}

/* A summary's values cannot be capped afterwards: a --cap must be the cap
 * the summary records. */
static tact_status check_summary_caps(const loader *l,
                                      const tact_summary *summary,
                                      tact_error *error)
{
	const tact_caps *asked = &l->options->roles.caps;
	size_t i, m;
	char a[48], b[48];

	for (i = 0; i < asked->count; i++) {
		const tact_cap *have;
		m = tact_summary_metric_index(summary, asked->metrics[i]);
		if (m == TACT_NO_COLUMN)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--cap: the summary has no metric '%s'",
			                      asked->metrics[i]);
		have = &summary->metrics[m].cap;
		if (tact_cap_same(have, &asked->caps[i]))
			continue;
		if (have->kind == TACT_CAP_NONE)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--cap %s=%s: the summary's '%s' is not "
			                      "capped, and a summary cannot be capped "
			                      "afterwards: give --cap to tact-summarize, "
			                      "or the raw export here", asked->metrics[i],
			                      tact_cap_text(&asked->caps[i], a, sizeof a),
			                      asked->metrics[i]);
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--cap %s=%s: the summary's '%s' is capped at "
		                      "%s; give that cap, or none, or the raw export",
		                      asked->metrics[i],
		                      tact_cap_text(&asked->caps[i], a, sizeof a),
		                      asked->metrics[i], tact_cap_text(have, b, sizeof b));
	}
	return TACT_OK;
}

/* A summary's covariates were fixed when it was made: a --covariate must
 * be one it records (given none, its own apply). */
static tact_status check_summary_covariates(const loader *l,
                                            const tact_summary *summary,
                                            tact_error *error)
{
	const tact_names *asked = &l->options->roles.covariates;
	size_t i, m, adjusted = 0;

	for (m = 0; m < summary->metric_count; m++)
		adjusted += summary->covariate_of[m] != TACT_NO_COLUMN;
	for (i = 0; i < asked->count; i++) {
		const char *item = asked->items[i], *name = strchr(item, '=') + 1;
		size_t k;
		for (m = 0; m < summary->metric_count; m++)
			if (strncmp(summary->metrics[m].name, item, (size_t)(name - 1 - item)) == 0 &&
			    summary->metrics[m].name[name - 1 - item] == '\0')
				break;
		k = m < summary->metric_count ? summary->covariate_of[m] : TACT_NO_COLUMN;
		if (k == TACT_NO_COLUMN || strcmp(summary->metrics[k].name, name) != 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--covariate %s: the summary does not carry "
			                      "it, and a summary cannot be adjusted "
			                      "afterwards: give --covariate to "
			                      "tact-summarize, or the raw export here",
			                      item);
	}
	if (asked->count && asked->count != adjusted)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--covariate: the summary adjusts %zu metrics "
		                      "and %zu were given: give them all, or none",
		                      adjusted, asked->count);
	return TACT_OK;
}

/* A summary keeps the bins it was made with: --by COL=BINS is for raw
 * exports. */
static tact_status refuse_summary_bins(const loader *l, tact_error *error)
{
	const tact_names *bins = &l->options->roles.by_bins;
	size_t i;

	for (i = 0; l->options->roles.by_set && i < bins->count; i++)
		if (*bins->items[i])
			return tact_error_set(error, TACT_USAGE, l->file, 0, 0,
			                      "--by '%s=%s': bins apply to a raw export; "
			                      "this summary's segments are fixed (name "
			                      "the column alone)",
			                      l->options->roles.by.items[i],
			                      bins->items[i]);
	return TACT_OK;
}

static tact_status finish(loader *l, tact_error *error)
{
	const tact_roles_spec *roles = &l->options->roles;
	tact_summary *summary;
	tact_status status;
	char arms[512];
	size_t m;

	if (l->parted && (status = close_part(l, error)))
		return status;
	summary = l->summary = l->whole;

	if (l->summary_reader) {
		status = tact_summaryfile_end(l->summary_reader, error);
		if (status != TACT_OK)
			return status;
		if ((status = refuse_summary_bins(l, error)))
			return status;
		if (l->options->time_name &&
		    (status = tact_periods_choose(summary, l->options->time_name,
		                                  l->options->period,
		                                  l->options->period_set, l->file,
		                                  error)))
			return status;
		if (roles->by_set && (status = project_by(l, summary, error)))
			return status;
		if ((status = check_summary_caps(l, summary, error)) ||
		    (status = check_summary_covariates(l, summary, error)))
			return status;
	} else {
		if ((status = privacy_finish(l, error)))
			return status;
		if ((l->by_unit || l->hold_rows) && l->caps && l->data_rows > 0 &&
		    (status = cap_units(l, error)))
			return status;
		if (l->caps && l->data_rows > 0 &&
		    (status = check_binary_caps(l, error)))
			return status;
		if (l->by_unit && l->options->exposure_dimension) {
			if ((status = flush_units_by_exposures(l, error)))
				return status;
		} else if ((l->by_unit || l->hold_rows) &&
		           tact_units_flush(&l->units, summary,
		                            l->by_unit &&
		                                !l->options->mixed_units_first) != 0)
			return tact_error_oom(error);
		if ((l->by_unit || l->hold_rows) && l->time_column != TACT_NO_COLUMN &&
		    (status = tact_periods_flush_units(
			     summary, &l->units, l->unit_periods,
			     l->by_unit && !l->options->mixed_units_first, error)))
			return status;
		for (m = 0; l->caps && m < summary->metric_count; m++)
			summary->metrics[m].cap = l->caps[m];
		if (l->by_unit) {
			summary->units_in_several_arms = l->units.several_arms +
			                                 l->units_added_mixed;
			summary->mixed_units_kept = l->options->mixed_units_first;
			if (l->report) {
				l->report->unit_bytes = tact_units_bytes(&l->units);
				if (l->unit_peak_bytes > l->report->unit_bytes)
					l->report->unit_bytes = l->unit_peak_bytes;
				l->report->units = (int64_t)l->units.count +
				                    l->units_added;
			}
		}
		tact_summary_finish(summary);
		if (l->by_unit && !l->options->mixed_units_first &&
		    summary->units_in_several_arms &&
		    (status = tact_summary_drop_empty(summary, error)))
			return status;
		if (l->data_rows > 0 && (status = finish_binnings(l, summary, error)))
			return status;
		/* Which rows were kept, for merges (summary.h). */
		free(summary->consent);
		if (!(summary->consent = strdup(l->map.consent != TACT_NO_COLUMN
		                                        ? roles->consent : "")))
			return tact_error_oom(error);
		if ((status = tact_summary_set_where(
			     summary, l->options->where ? l->options->where->texts[0]
			                                : NULL, error)))
			return status;
		if (l->data_rows == 0)
			return tact_error_set(error, TACT_DATA, l->file, 0, 0,
			                      "no data rows after the header");
		if (summary->group_count == 0)
			return tact_error_set(error, TACT_DATA, l->file, 0, 0,
			                      "no rows left: all %lld rows were excluded "
			                      "or rejected",
			                      (long long)l->data_rows);
	}
	/* privacy: no label that looks like an identifier, in any group. */
	if ((status = tact_privacy_check_summary(summary, l->file, error)))
		return status;
	/* Values near 1e308 sum to infinity; merged summaries may pass 2^53. */
	if ((status = tact_summary_check_range(summary, l->file, error)))
		return status;
	tact_summary_sort(summary);
	/* The control: named by the analyst (must occur), or recorded in the
	 * summary, or the default label when it occurs. */
	if (roles->control_set || !summary->control) {
		if (has_arm(summary, roles->control)) {
			status = tact_summary_set_control(summary, roles->control, error);
			if (status != TACT_OK)
				return status;
		} else if (roles->control_set) {
			tact_load_arm_list(summary, arms, sizeof arms);
			return tact_error_set(error, TACT_DATA, l->file, 0, 0,
			                      "no control arm '%s' in the data; the arms "
			                      "are: %s", roles->control, arms);
		}
	}
	return TACT_OK;
}

static void loader_release(loader *l)
{
	free(l->unit_periods);
	l->unit_periods = NULL;
	if (l->collected) {
		size_t m;
		for (m = 0; m < l->map.metrics; m++)
			free(l->collected[m]);
	}
	free(l->collected);
	free(l->collected_count);
	free(l->collected_capacity);
	l->collected = NULL;
	l->collected_count = l->collected_capacity = NULL;
	if (l->parted)
		tact_summary_release(&l->part);
	l->parted = 0;
	tact_summaryfile_reader_free(l->summary_reader);
	if (l->mapped)
		tact_column_map_release(&l->map);
	if (l->by_unit || l->hold_rows)
		tact_units_release(&l->units);
	free(l->caps);
	free(l->cap_other);
	l->caps = NULL;
	l->cap_other = NULL;
	l->hold_rows = 0;
	free(l->values);
	free((void *)l->labels);
	free(l->label_lengths);
	tact_privacy_detector_release(&l->privacy);
	l->detector = NULL;
	free(l->where_bound);
	l->where_bound = NULL;
	if (l->binnings) {
		size_t d;
		for (d = 0; d < l->binning_count; d++)
			tact_binning_release(&l->binnings[d]);
	}
	l->binning_count = 0;
	free(l->binnings);
	free(l->bin_text);
	l->binnings = NULL;
	l->bin_text = NULL;
}

/* ---- reading a file with several threads ---------------------------- */

typedef struct job {
	uint64_t start, end;         /* byte range: whole lines */
	tact_summary summary;
	tact_status status;
	tact_error error;
	tact_csv_outcome outcome;
	int64_t data_rows;
	uint64_t progress;           /* bytes this job reported */
	tact_cap *caps;              /* absolute caps: this range's counts */
	unsigned char *cap_other;
	int routed;                  /* sessions routed to partitions: */
	tact_unit_part router;
} job;

typedef struct pool {
	const loader *probe;         /* the header's loader: map, options */
	const char *path;
	job *jobs;
	size_t count, next;
	pthread_mutex_t lock;
	uint64_t done, total;        /* progress over all jobs */
	tact_privacy_detector *detector; /* fed by the first range only */
} pool;

typedef struct job_context {
	pool *pool;
	job *job;
} job_context;

static void pool_progress(void *context, uint64_t done, uint64_t total)
{
	job_context *c = context;
	pool *p = c->pool;
	const tact_csv_options *csv = &p->probe->options->csv;

	(void)total;
	pthread_mutex_lock(&p->lock);
	p->done += done - c->job->progress;
	c->job->progress = done;
	if (csv->progress)
		csv->progress(csv->progress_context, p->done, p->total);
	pthread_mutex_unlock(&p->lock);
}

/* One range into its own summary, with a loader of its own that shares the
 * probe's column map. */
static void run_job(pool *p, job *j)
{
	const loader *probe = p->probe;
	tact_csv_options csv = probe->options->csv;
	job_context context = {p, j};
	loader l;

	memset(&l, 0, sizeof l);
	l.options = probe->options;
	l.file = probe->file;
	l.map = probe->map;   /* shared, read only; not released here */
	l.exposure_metric = probe->exposure_metric;
	l.where_bound = probe->where_bound; /* shared, read only */
	l.binnings = probe->binnings; /* shared, read only */
	l.time_column = probe->time_column;
	l.detector = j == p->jobs ? p->detector : NULL; /* privacy: first rows */
	l.by_unit = j->routed;
	l.router = j->routed ? &j->router : NULL;
	tact_summary_init(&j->summary);
	tact_error_init(&j->error);
	l.summary = l.whole = &j->summary;
	l.values = calloc(l.map.metrics + 1, sizeof *l.values);
	l.labels = calloc(l.map.dimensions + 1, sizeof *l.labels);
	l.label_lengths = calloc(l.map.dimensions + 1, sizeof *l.label_lengths);
	if (probe->caps) {
		/* Absolute caps only (a quantile cap holds the rows, one thread):
		 * the range counts what it capped, added up by load_parallel. */
		size_t m;
		l.caps = j->caps = malloc((l.map.metrics + 1) * sizeof *l.caps);
		l.cap_other = j->cap_other = calloc(l.map.metrics + 1, 1);
		for (m = 0; l.caps && m < l.map.metrics; m++) {
			l.caps[m] = probe->caps[m];
			l.caps[m].touched = 0;
		}
	}
	if (!l.values || !l.labels || !l.label_lengths ||
	    (probe->caps && (!l.caps || !l.cap_other))) {
		j->status = tact_error_oom(&j->error);
	} else {
		j->status = tact_summary_setup(&j->summary, l.map.dimensions,
		                               l.map.dimension_names, l.map.arm_name,
		                               l.map.metrics, l.map.metric_names,
		                               l.map.metric_roles, &j->error);
		if (j->status == TACT_OK && l.time_column != TACT_NO_COLUMN)
			j->status = tact_periods_enable(&j->summary,
			                                probe->options->period,
			                                probe->options->time_name,
			                                &j->error);
		if (j->status == TACT_OK)
			tact_summary_set_covariates(&j->summary,
			                            l.map.metric_covariate);
	}
	if (j->status == TACT_OK && j->end > j->start) {
		csv.delimiter = probe->options->delimiter ? probe->options->delimiter
		                                          : p->probe->report_delimiter;
		csv.range_start = j->start;
		csv.range_end = j->end;
		csv.header_fields = l.map.columns;
		csv.outcome = &j->outcome;
		csv.progress = pool_progress;
		csv.progress_context = &context;
		j->status = tact_csv_read_file(p->path, &csv, on_record, &l, &j->error);
	} else {
		j->outcome.clean_end = 1;
	}
	tact_summary_finish(&j->summary);
	j->data_rows = l.data_rows;
	free(l.values);
	free((void *)l.labels);
	free(l.label_lengths);
	free(l.bin_text);
}

static void *worker(void *argument)
{
	pool *p = argument;

	for (;;) {
		size_t k;
		pthread_mutex_lock(&p->lock);
		k = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (k >= p->count)
			return NULL;
		run_job(p, &p->jobs[k]);
	}
}

/* ---- sessions folded into units with several threads ---------------- */

/*
 * Sessions are read in parts of UNIT_PART_BYTES (smaller than the parts of
 * a summary: the records of a window of parts are held at once), routed to
 * partitions by their unit's id and folded there (unitspart.h), a window of
 * UNIT_WINDOW parts per thread at a time.  Each unit's first session and
 * the order units reach the summary are those of one thread: the result is
 * the same to the bit.
 */
#define UNIT_PART_BYTES(l) ((l)->options->unit_part_bytes               \
                                ? (l)->options->unit_part_bytes          \
                                : UINT64_C(4) << 20)
#define UNIT_WINDOW 2
#define UNIT_PARTITIONS 64

/* Run fn(argument) on up to n threads (on this one when none starts). */
static void run_threads(size_t n, void *(*fn)(void *), void *argument)
{
	pthread_t threads[256];
	size_t k, started = 0;

	for (k = 0; k < n && k < 256; k++)
		if (pthread_create(&threads[k], NULL, fn, argument) == 0)
			started++;
	if (started == 0)
		fn(argument);
	for (k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
}

/* The fold of one window: partitions taken one at a time by the threads. */
typedef struct fold_pool {
	tact_unit_partitions *partitions;
	const job *jobs;
	const tact_unit_part *parts;   /* the window's, in order */
	size_t n;
	const uint32_t *const *group_of;
	const uint32_t *arm_of;
	const tact_role *roles;
	size_t next;
	pthread_mutex_t lock;
	tact_status status;
	tact_error error;
} fold_pool;

static void *fold_worker(void *argument)
{
	fold_pool *f = argument;
	tact_error error;

	tact_error_init(&error);
	for (;;) {
		size_t p;
		tact_status status;
		pthread_mutex_lock(&f->lock);
		p = f->next++;
		pthread_mutex_unlock(&f->lock);
		if (p >= f->partitions->count)
			return NULL;
		status = tact_unit_partitions_fold(f->partitions, p, f->parts, f->n,
		                                   f->group_of, f->arm_of, f->roles,
		                                   &error);
		if (status != TACT_OK) {
			pthread_mutex_lock(&f->lock);
			if (f->status == TACT_OK) {
				f->status = status;
				f->error = error;
			}
			pthread_mutex_unlock(&f->lock);
		}
	}
}

/* What the fold shares across windows: the provisional groups (every
 * group a session was in, in the order the windows show them), their arms
 * as numbers, and the partitions. */
typedef struct unit_fold {
	loader *probe;
	tact_summary provisional;
	uint32_t *arm_of;             /* per provisional group */
	size_t arm_capacity;
	const char **arms;            /* distinct arms, in order */
	size_t arm_count;
	uint32_t **group_of;          /* per part of the window */
	tact_unit_partitions partitions;
	size_t *real_of;              /* per provisional group: the summary's */
	double *values;               /* the merge's scratch */
	int direct;                   /* units go to the summary, not units */
	int split;                    /* the adding split by arm (threads) */
	size_t threads;
	tact_status status;
	tact_error *error;
} unit_fold;

/* The provisional group (and its arm's number) of each group of the
 * window's part k. */
static tact_status map_groups(unit_fold *f, const tact_summary *part,
                              size_t k, tact_error *error)
{
	tact_summary *prov = &f->provisional;
	const char *labels[64];
	size_t lengths[64], g, i, a, index;
	tact_status status;

	if (!(f->group_of[k] = malloc((part->group_count + 1) * sizeof(uint32_t))))
		return tact_error_oom(error);
	if (part->dimensions > 64)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "too many segment dimensions (64 at most)");
	for (g = 0; g < part->group_count; g++) {
		const tact_summary_group *from = &part->groups[g];
		size_t before = prov->group_count;
		for (i = 0; i < part->dimensions; i++) {
			labels[i] = from->labels[i];
			lengths[i] = strlen(from->labels[i]);
		}
		if ((status = tact_summary_group_find(prov, labels, lengths,
		                                      from->arm, strlen(from->arm),
		                                      &index, error)))
			return status;
		f->group_of[k][g] = (uint32_t)index;
		if (prov->group_count == before)
			continue;
		if (index >= f->arm_capacity) {
			size_t c = 2 * index + 16;
			uint32_t *grown = realloc(f->arm_of, c * sizeof *grown);
			const char **arms = realloc((void *)f->arms, c * sizeof *arms);
			if (grown)
				f->arm_of = grown;
			if (arms)
				f->arms = arms;
			if (!grown || !arms)
				return tact_error_oom(error);
			f->arm_capacity = c;
		}
		for (a = 0; a < f->arm_count; a++)
			if (strcmp(f->arms[a], prov->groups[index].arm) == 0)
				break;
		if (a == f->arm_count)
			f->arms[f->arm_count++] = prov->groups[index].arm;
		f->arm_of[index] = (uint32_t)a;
	}
	return TACT_OK;
}

/* The merge: unit u of table t (its first session next in the file) into
 * the loader's units, in its group of the summary, made now if new: the
 * order one thread makes groups in. */
static int merge_unit(void *context, const tact_units *t, size_t u)
{
	unit_fold *f = context;
	loader *l = f->probe;
	const size_t pg = t->groups[u];
	const tact_summary_group *from = &f->provisional.groups[pg];

	if (f->real_of[pg] == TACT_KEYMAP_NONE) {
		const char *labels[64];
		size_t lengths[64], i;
		for (i = 0; i < f->provisional.dimensions; i++) {
			labels[i] = from->labels[i];
			lengths[i] = strlen(from->labels[i]);
		}
		f->status = tact_summary_group_find(l->whole, labels, lengths,
		                                    from->arm, strlen(from->arm),
		                                    &f->real_of[pg], f->error);
		if (f->status != TACT_OK)
			return 1;
	}
	if (f->direct) {
		/* As tact_units_flush would add it. */
		l->units_added++;
		l->units_added_mixed += t->mixed[u] != 0;
		if (f->split || (t->mixed[u] && !l->options->mixed_units_first))
			return 0; /* split: added by add_arms */
		tact_units_row(t, u, f->values);
		tact_summary_add(l->whole, f->real_of[pg], f->values);
		return 0;
	}
	tact_units_row(t, u, f->values);
	if ((f->status = tact_units_append(&l->units, f->real_of[pg], f->values,
	                                   f->error)))
		return 1;
	if (t->mixed[u])
		tact_units_mark_several_arms(&l->units, l->units.count - 1);
	return 0;
}

/* A thread adding the units of some arms (arm number % threads = index)
 * to the summary, in the order of their first sessions: each group and
 * pooled group gets its units in the order one thread adds them.  The
 * summary is a shallow copy with metrics of its own: adding clears a
 * metric's binary flag there (ANDed into the whole's afterwards). */
typedef struct arm_adder {
	const unit_fold *f;
	tact_summary summary;
	size_t index;
	double *values;
	int drop_mixed;
	int failed;
	int started;                  /* on a thread of its own */
	pthread_t thread;
} arm_adder;

static int add_arm_unit(void *context, const tact_units *t, size_t u)
{
	arm_adder *a = context;
	const size_t pg = t->groups[u];

	if (a->f->arm_of[pg] % a->f->threads != a->index ||
	    (t->mixed[u] && a->drop_mixed))
		return 0;
	tact_units_row(t, u, a->values);
	tact_summary_add(&a->summary, a->f->real_of[pg], a->values);
	return 0;
}

static void *add_arm_units(void *argument)
{
	arm_adder *a = argument;

	a->failed = tact_unit_partitions_each(&a->f->partitions, add_arm_unit,
	                                      a) != 0;
	return NULL;
}

/* The units added by arm, on f->threads threads.  0, or -1 on memory. */
static int add_arms(unit_fold *f)
{
	loader *l = f->probe;
	const size_t n = f->threads, m = l->map.metrics;
	arm_adder *adders = calloc(n, sizeof *adders);
	size_t k, i;
	int failed = 0;

	if (!adders)
		return -1;
	for (k = 0; k < n; k++) {
		arm_adder *a = &adders[k];
		a->f = f;
		a->index = k;
		a->summary = *l->whole;
		a->drop_mixed = !l->options->mixed_units_first;
		a->values = malloc((m + 1) * sizeof *a->values);
		a->summary.metrics = malloc((m + 1) * sizeof *a->summary.metrics);
		if (!a->values || !a->summary.metrics) {
			failed = 1;
			continue;
		}
		memcpy(a->summary.metrics, l->whole->metrics,
		       m * sizeof *a->summary.metrics);
		a->started = pthread_create(&a->thread, NULL, add_arm_units, a) == 0;
		if (!a->started)
			add_arm_units(a);
	}
	for (k = 0; k < n; k++) {
		arm_adder *a = &adders[k];
		if (a->started)
			pthread_join(a->thread, NULL);
		failed |= a->failed;
		for (i = 0; a->summary.metrics && i < m; i++)
			l->whole->metrics[i].binary &= a->summary.metrics[i].binary;
		free(a->values);
		free(a->summary.metrics);
	}
	free(adders);
	return failed ? -1 : 0;
}

/* Every unit, in the order of its first session, into the loader's units
 * (or, without caps and exposure dimension, straight into the summary). */
static tact_status merge_units(unit_fold *f, tact_error *error)
{
	loader *l = f->probe;
	size_t g, units = tact_unit_partitions_units(&f->partitions), bytes;

	f->real_of = malloc((f->provisional.group_count + 1) * sizeof *f->real_of);
	f->values = malloc((l->map.metrics + 1) * sizeof *f->values);
	if (!f->real_of || !f->values)
		return tact_error_oom(error);
	for (g = 0; g < f->provisional.group_count; g++)
		f->real_of[g] = TACT_KEYMAP_NONE;
	/* Caps and the exposure count as a dimension need every unit's
	 * values first (finish): then the units are copied, in order. */
	f->direct = !l->caps && !l->options->exposure_dimension;
	/* Several arms and threads: the groups made in order first, then
	 * each thread adds the units of its arms.  Not with covariates:
	 * tact_summary_add counts their missing cells in the summary, and
	 * uses its scratch row, which threads would share. */
	f->split = f->direct && f->threads > 1 && f->arm_count > 1 &&
	           l->summary->covariate_count == 0;
	if (f->threads > f->arm_count)
		f->threads = f->arm_count;
	l->units.without_ids = 1;
	if (!f->direct && tact_units_reserve(&l->units, units ? units : 1) != 0)
		return tact_error_oom(error);
	f->status = TACT_OK;
	f->error = error;
	tact_unit_partitions_drop_ids(&f->partitions);
	if (tact_unit_partitions_each(&f->partitions, merge_unit, f) != 0 &&
	    f->status == TACT_OK)
		return tact_error_oom(error);
	if (f->status == TACT_OK && f->split && add_arms(f) != 0)
		return tact_error_oom(error);
	/* The most held at once: the partitions (ids dropped) and the copy. */
	bytes = tact_unit_partitions_bytes(&f->partitions) +
	        tact_units_bytes(&l->units);
	if (bytes > l->unit_peak_bytes)
		l->unit_peak_bytes = bytes;
	return f->status;
}

/* Parts [first, first + n) of the window: read with routing, then folded.
 * *clean is 0 when a part failed or ended inside a quoted field (one
 * thread reads the file again). */
static tact_status fold_window(unit_fold *f, pool *p, job *jobs, size_t n,
                               size_t threads, int *clean, tact_error *error)
{
	loader *probe = f->probe;
	tact_unit_part parts[256];
	fold_pool fp;
	size_t k, bytes;
	tact_status status = TACT_OK;

	p->jobs = jobs;
	p->count = n;
	p->next = 0;
	run_threads(threads < n ? threads : n, worker, p);
	*clean = 1;
	for (k = 0; k < n; k++)
		if (jobs[k].status != TACT_OK || !jobs[k].outcome.clean_end)
			*clean = 0;
	if (!*clean)
		return TACT_OK;
	for (k = 0; k < n && status == TACT_OK; k++) {
		tact_summary *whole = probe->whole, *part = &jobs[k].summary;
		status = map_groups(f, part, k, error);
		parts[k] = jobs[k].router;
		probe->data_rows += jobs[k].data_rows;
		whole->rows_read += part->rows_read;
		whole->rows_excluded_consent += part->rows_excluded_consent;
		whole->rows_excluded_where += part->rows_excluded_where;
		whole->where_unreadable += part->where_unreadable;
	}
	if (status == TACT_OK)
		status = tact_unit_partitions_add_parts(&f->partitions, parts, n,
		                                        error);
	if (status != TACT_OK)
		return status;
	memset(&fp, 0, sizeof fp);
	fp.partitions = &f->partitions;
	fp.parts = parts;
	fp.n = n;
	fp.group_of = (const uint32_t *const *)f->group_of;
	fp.arm_of = f->arm_of;
	fp.roles = probe->map.metric_roles;
	tact_error_init(&fp.error);
	pthread_mutex_init(&fp.lock, NULL);
	run_threads(threads < f->partitions.count ? threads : f->partitions.count,
	            fold_worker, &fp);
	pthread_mutex_destroy(&fp.lock);
	bytes = tact_unit_partitions_bytes(&f->partitions);
	for (k = 0; k < n; k++)
		bytes += tact_unit_part_bytes(&parts[k]);
	if (bytes > probe->unit_peak_bytes)
		probe->unit_peak_bytes = bytes;
	if (fp.status != TACT_OK)
		*error = fp.error;
	return fp.status;
}

/* A window's jobs emptied for the next. */
static void release_window(unit_fold *f, job *jobs, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		tact_summary_release(&jobs[k].summary);
		tact_unit_part_release(&jobs[k].router);
		free(jobs[k].caps);
		free(jobs[k].cap_other);
		free(f->group_of[k]);
		f->group_of[k] = NULL;
	}
}

/*
 * Sessions folded into units with threads: parts of the file from
 * data_start (the header read by probe) cut at line starts, read and
 * folded a window at a time, then merged into probe's units in the order
 * one thread folds them.  *used as for load_parallel.
 */
static tact_status load_units_parallel(loader *probe, const char *path,
                                       uint64_t size, uint64_t data_start,
                                       size_t threads, int *used,
                                       tact_error *error)
{
	const tact_load_options *options = probe->options;
	const uint64_t part_bytes = UNIT_PART_BYTES(probe);
	size_t count = (size_t)((size + part_bytes - 1) / part_bytes), window, w, k;
	uint64_t *starts = calloc(count + 1, sizeof *starts);
	job *jobs;
	unit_fold f;
	pool p;
	tact_status status;
	int fd, clean = 1;

	*used = 0;
	window = threads * UNIT_WINDOW < 256 ? threads * UNIT_WINDOW : 256;
	jobs = calloc(window, sizeof *jobs);
	memset(&f, 0, sizeof f);
	f.probe = probe;
	f.threads = threads;
	f.group_of = calloc(window, sizeof *f.group_of);
	fd = open(path, O_RDONLY);
	if (!starts || !jobs || !f.group_of || fd < 0) {
		if (fd >= 0)
			close(fd);
		free(starts);
		free(jobs);
		free(f.group_of);
		return TACT_OK;
	}
	/* Part k: the records whose first byte lies in [k, k + 1) x PART. */
	for (k = 0; k < count; k++) {
		starts[k] = k == 0 ? data_start
		                   : tact_csv_line_start(fd, k * part_bytes, size);
		if (starts[k] < data_start)
			starts[k] = data_start;
		if (k > 0 && starts[k] < starts[k - 1])
			starts[k] = starts[k - 1];
	}
	starts[count] = size;
	close(fd);
	tact_summary_init(&f.provisional);
	status = tact_summary_setup(&f.provisional, probe->map.dimensions,
	                            probe->map.dimension_names,
	                            probe->map.arm_name, probe->map.metrics,
	                            probe->map.metric_names,
	                            probe->map.metric_roles, error);
	if (status == TACT_OK)
		status = tact_unit_partitions_init(
			&f.partitions,
			options->unit_partitions ? options->unit_partitions
			                         : UNIT_PARTITIONS,
			probe->map.metrics, probe->units.hash_mask, error);
	memset(&p, 0, sizeof p);
	p.probe = probe;
	p.path = path;
	p.total = size;
	pthread_mutex_init(&p.lock, NULL);
	for (w = 0; w < count && status == TACT_OK && clean; w += window) {
		size_t n = count - w < window ? count - w : window;
		for (k = 0; k < n; k++) {
			memset(&jobs[k], 0, sizeof jobs[k]);
			jobs[k].start = starts[w + k];
			jobs[k].end = starts[w + k + 1];
			jobs[k].routed = 1;
			tact_unit_part_init(&jobs[k].router, f.partitions.count,
			                    probe->map.metrics, probe->units.hash_mask);
		}
		p.detector = w == 0 ? &probe->privacy : NULL; /* first rows */
		status = fold_window(&f, &p, jobs, n, threads, &clean, error);
		release_window(&f, jobs, n);
	}
	pthread_mutex_destroy(&p.lock);
	if (status == TACT_OK && clean) {
		status = merge_units(&f, error);
		*used = status == TACT_OK;
	}
	tact_unit_partitions_release(&f.partitions);
	tact_summary_release(&f.provisional);
	free(f.arm_of);
	free((void *)f.arms);
	free(f.group_of);
	free(f.real_of);
	free(f.values);
	free(starts);
	free(jobs);
	return status;
}

/*
 * Try to read path with several threads (sessions folded into units:
 * load_units_parallel).  *used is 0 when the input does not lend itself
 * (small, stdin, a summary, --skip-bad, one core) or when any range failed
 * or ended inside a quoted field: the caller then reads it with one
 * thread, which also gives every error its exact line.  Otherwise the
 * summary is complete (or, for units, ready for finish).
 */
static tact_status load_parallel(loader *probe, const char *path, int *used,
                                 tact_error *error)
{
	const tact_load_options *options = probe->options;
	tact_csv_options csv = options->csv;
	tact_csv_outcome header_end;
	struct stat info;
	pool p;
	pthread_t *threads = NULL;
	size_t count, k, thread_count, started = 0;
	long cores = options->threads ? options->threads
	                              : sysconf(_SC_NPROCESSORS_ONLN);
	tact_status status = TACT_OK;
	int fd;

	*used = 0;
	if (strcmp(path, "-") == 0 || cores < 2 || options->skip_bad ||
	    options->csv.libcsv_only || options->csv.keep_raw ||
	    stat(path, &info) != 0 || !S_ISREG(info.st_mode) ||
	    (uint64_t)info.st_size < 2 * (UNIT_PART_BYTES(probe) < PART_BYTES(probe)
	                                  ? UNIT_PART_BYTES(probe)
	                                  : PART_BYTES(probe)))
		return TACT_OK;
	/* The header, with the probe loader: it resolves the roles. */
	csv.delimiter = options->delimiter;
	csv.stop_after = 1;
	csv.outcome = &header_end;
	csv.progress = NULL;
	status = tact_csv_read_file(path, &csv, on_record, probe, error);
	if (status != TACT_OK || probe->summary_reader)
		return TACT_OK; /* one thread will read it again and say more */
	probe->report_delimiter = probe->report ? probe->report->delimiter : 0;
	if (!probe->report_delimiter)
		probe->report_delimiter = probe->last_delimiter;
	/* Sessions with --time: a unit's period is its first session's,
	 * held by the one-thread fold only (load_units_parallel's records
	 * carry no period yet). */
	if (probe->by_unit && probe->time_column != TACT_NO_COLUMN)
		return TACT_OK;
	if (probe->by_unit)
		return load_units_parallel(probe, path, (uint64_t)info.st_size,
		                           header_end.end_offset, (size_t)cores, used,
		                           error);
	if (!probe->parted || (uint64_t)info.st_size < 2 * PART_BYTES(probe))
		return TACT_OK;

	count = (size_t)(((uint64_t)info.st_size + PART_BYTES(probe) - 1) /
	                 PART_BYTES(probe));
	memset(&p, 0, sizeof p);
	p.probe = probe;
	p.detector = &probe->privacy;
	p.path = path;
	p.count = count;
	p.total = (uint64_t)info.st_size;
	p.jobs = calloc(count, sizeof *p.jobs);
	thread_count = (size_t)cores < count ? (size_t)cores : count;
	threads = calloc(thread_count, sizeof *threads);
	fd = open(path, O_RDONLY);
	if (!p.jobs || !threads || fd < 0) {
		if (fd >= 0)
			close(fd);
		free(p.jobs);
		free(threads);
		return TACT_OK;
	}
	/* Part k: the records whose first byte lies in [k, k + 1) x PART. */
	for (k = 0; k < count; k++) {
		uint64_t start = k == 0 ? header_end.end_offset
		                        : tact_csv_line_start(fd, k * PART_BYTES(probe),
		                                           (uint64_t)info.st_size);
		if (start < header_end.end_offset)
			start = header_end.end_offset;
		p.jobs[k].start = start;
		if (k > 0)
			p.jobs[k - 1].end = start > p.jobs[k - 1].start ? start
			                                               : p.jobs[k - 1].start;
	}
	p.jobs[count - 1].end = (uint64_t)info.st_size;
	close(fd);
	pthread_mutex_init(&p.lock, NULL);
	for (k = 0; k < thread_count; k++)
		if (pthread_create(&threads[k], NULL, worker, &p) == 0)
			started++;
	if (started == 0)
		worker(&p);
	for (k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
	pthread_mutex_destroy(&p.lock);

	for (k = 0; k < count; k++)
		if (p.jobs[k].status != TACT_OK || !p.jobs[k].outcome.clean_end)
			break;
	if (k == count) {
		/* Every range ended at a record's end: merge the parts in order. */
		tact_summary_release(&probe->part);
		probe->parted = 0;
		probe->summary = probe->whole;
		for (k = 0; k < count && status == TACT_OK; k++) {
			size_t m;
			status = tact_summary_merge(probe->whole, &p.jobs[k].summary, error);
			probe->data_rows += p.jobs[k].data_rows;
			for (m = 0; probe->caps && m < probe->map.metrics; m++) {
				probe->caps[m].touched += p.jobs[k].caps[m].touched;
				probe->cap_other[m] |= p.jobs[k].cap_other[m];
			}
		}
		*used = status == TACT_OK;
	}
	for (k = 0; k < count; k++) {
		tact_summary_release(&p.jobs[k].summary);
		free(p.jobs[k].caps);
		free(p.jobs[k].cap_other);
	}
	free(p.jobs);
	free(threads);
	return status;
}

static tact_status run(loader *l, const char *path, const char *data,
                       size_t length, tact_error *error)
{
	tact_csv_options csv = l->options->csv;
	tact_status status;

	csv.delimiter = l->options->delimiter;
	if (data)
		status = tact_csv_read_memory(path, data, length, &csv, on_record, l,
		                              error);
	else
		status = tact_csv_read_file(path, &csv, on_record, l, error);
	if (status == TACT_OK)
		status = finish(l, error);
	loader_release(l);
	return status;
}

static void loader_init(loader *l, const char *file,
                        const tact_load_options *options,
                        tact_summary *summary, tact_load_report *report)
{
	memset(l, 0, sizeof *l);
	l->options = options;
	l->file = file;
	l->summary = summary;
	l->whole = summary;
	l->report = report;
	l->time_column = TACT_NO_COLUMN;
	if (report)
		memset(report, 0, sizeof *report);
}

static tact_status load_quantiles(const char *path,
                                  const tact_load_options *options,
                                  tact_summary *summary,
                                  tact_load_report *report,
                                  const double *quantiles, tact_error *error);

/*
 * Quantile caps on a regular file without a unit column: a first pass
 * reads the capped metrics' values (8 bytes each, rows as they come: the
 * same rows the second pass sums, consent and --skip-bad alike), and
 * *quantiles (malloc'ed, per metric, NaN where none) gets NumPy's linear
 * quantile of each.  Then the usual pass, streaming and parallel, caps
 * each row at a number.  Left NULL when not needed (no quantile cap, not a
 * regular file, a unit column, a summary) or when the header cannot be
 * read (the usual pass reports it).
 */
static tact_status find_quantiles(const char *path,
                                  const tact_load_options *options,
                                  tact_load_report *report,
                                  double **quantiles, tact_error *error)
{
	const tact_caps *asked = &options->roles.caps;
	tact_csv_options csv = options->csv;
	tact_summary scratch;
	struct stat info;
	loader l;
	tact_status status;
	size_t i, m, bytes = 0;

	*quantiles = NULL;
	for (i = 0; i < asked->count; i++)
		if (asked->caps[i].kind == TACT_CAP_QUANTILE)
			break;
	if (i == asked->count || strcmp(path, "-") == 0 ||
	    stat(path, &info) != 0 || !S_ISREG(info.st_mode))
		return TACT_OK;
	/* The header first: is there a unit column? */
	tact_summary_init(&scratch);
	loader_init(&l, tact_csv_display_name(path), options, &scratch, NULL);
	csv.delimiter = options->delimiter;
	csv.stop_after = 1;
	csv.progress = NULL;
	status = tact_csv_read_file(path, &csv, on_record, &l, error);
	i = status == TACT_OK && !l.summary_reader && l.hold_rows;
	loader_release(&l);
	tact_summary_release(&scratch);
	tact_error_init(error);
	if (!i)
		return TACT_OK;
	tact_summary_init(&scratch);
	loader_init(&l, tact_csv_display_name(path), options, &scratch, NULL);
	l.collect = 1;
	csv = options->csv;
	csv.delimiter = options->delimiter;
	status = tact_csv_read_file(path, &csv, on_record, &l, error);
	if (status == TACT_OK && !(*quantiles = malloc((l.map.metrics + 1) *
	                                               sizeof **quantiles)))
		status = tact_error_oom(error);
	for (m = 0; status == TACT_OK && m < l.map.metrics; m++) {
		(*quantiles)[m] = NAN;
		if (l.caps[m].kind == TACT_CAP_QUANTILE && l.collected_count[m])
			(*quantiles)[m] = tact_quantile_linear(
				l.collected[m], l.collected_count[m], l.caps[m].given / 100);
		bytes += l.collected_capacity[m] * sizeof(double);
	}
	if (report) {
		report->cap_bytes = bytes;
		report->cap_two_passes = 1;
	}
	loader_release(&l);
	tact_summary_release(&scratch);
	return status;
}

tact_status tact_load(const char *path, const tact_load_options *options,
                      tact_summary *summary, tact_load_report *report,
                      tact_error *error)
{
	tact_status status;
	double *quantiles;
	size_t cap_bytes;

	if (report)
		memset(report, 0, sizeof *report);
	if ((status = find_quantiles(path, options, report, &quantiles, error)))
		return status;
	cap_bytes = report ? report->cap_bytes : 0;
	status = load_quantiles(path, options, summary, report, quantiles, error);
	if (report && quantiles) {
		report->cap_bytes = cap_bytes;
		report->cap_two_passes = 1;
	}
	free(quantiles);
	return status;
}

/* tact_load once the quantile caps are known (quantiles, or NULL). */
static tact_status load_quantiles(const char *path,
                                  const tact_load_options *options,
                                  tact_summary *summary,
                                  tact_load_report *report,
                                  const double *quantiles, tact_error *error)
{
	loader l;
	tact_status status;
	int used;

	loader_init(&l, tact_csv_display_name(path), options, summary, report);
	l.quantiles = quantiles;
	status = load_parallel(&l, path, &used, error);
	if (status == TACT_OK && used) {
		status = finish(&l, error);
		loader_release(&l);
		return status;
	}
	/* One thread, from the start: reset what the probe set up. */
	loader_release(&l);
	tact_summary_release(summary);
	tact_summary_init(summary);
	tact_error_init(error);
	loader_init(&l, tact_csv_display_name(path), options, summary, report);
	l.quantiles = quantiles;
	return run(&l, path, NULL, 0, error);
}

tact_status tact_load_memory(const char *name, const char *data,
                             size_t length, const tact_load_options *options,
                             tact_summary *summary, tact_load_report *report,
                             tact_error *error)
{
	loader l;

	loader_init(&l, name, options, summary, report);
	return run(&l, name, data, length, error);
}
