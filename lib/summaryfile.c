/*
 * summaryfile.c - summaries as CSV, written and read (see summaryfile.h and
 * man/tact-summary.5).
 */
#include "summaryfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bins.h"
#include "format.h"
#include "keymap.h"
#include "parse.h"
#include "period.h"

#define MAGIC "tact_summary_v"

static const char *const metric_stats[] = {"n", "sum", "m2"};
static const char *const pair_stats[] = {"n", "sum_a", "sum_b", "c"};

int tact_summaryfile_is_header(const tact_csv_record *header)
{
	return header->count > 0 &&
	       strncmp(header->fields[0], MAGIC, strlen(MAGIC)) == 0;
}

/* ---- writing ------------------------------------------------------- */

static void put_text(FILE *out, const char *text)
{
	putc(',', out);
	tact_format_csv_data_string(out, text, ',');
}

static void put_count(FILE *out, int64_t count)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	putc(',', out);
	fputs(tact_format_count(buffer, count), out);
}

static void put_number(FILE *out, double value)
{
	putc(',', out);
	tact_format_csv_number(out, value);
}

/* A meta row: "meta,key,value" then empty fields up to the header's width. */
static void put_meta(FILE *out, size_t width, const char *key,
                     const char *value)
{
	size_t i;

	fputs("meta", out);
	put_text(out, key);
	put_text(out, value);
	for (i = 3; i < width; i++)
		putc(',', out);
	putc('\n', out);
}

static void put_meta_count(FILE *out, size_t width, const char *key,
                           int64_t count)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	put_meta(out, width, key, tact_format_count(buffer, count));
}

void tact_summaryfile_write_where_json(FILE *out, const tact_summary *summary,
                                       int *first)
{
	if (!summary->where)
		return;
	tact_format_json_string_field(out, "where", summary->where, first);
	tact_format_json_number_field(out, "rows_excluded_where",
	                              (double)summary->rows_excluded_where, first);
}

void tact_summaryfile_write_units_json(FILE *out, const tact_summary *summary,
                                       int *first)
{
	if (summary->units_in_several_arms <= 0)
		return;
	tact_format_json_number_field(out, "units_in_several_arms",
	                              (double)summary->units_in_several_arms, first);
	tact_format_json_string_field(out, "mixed_units",
	                              summary->mixed_units_kept ? "first" : "drop",
	                              first);
}

void tact_summaryfile_write_caps_json(FILE *out, const tact_summary *summary,
                                      int *first)
{
	size_t m, shown = 0;
	char text[48];

	for (m = 0; m < summary->metric_count; m++) {
		const tact_cap *cap = &summary->metrics[m].cap;
		int f = 1;
		if (cap->kind == TACT_CAP_NONE)
			continue;
		if (shown++ == 0) {
			tact_format_json_key(out, "caps", first);
			putc('[', out);
		} else {
			putc(',', out);
		}
		putc('{', out);
		tact_format_json_string_field(out, "metric", summary->metrics[m].name, &f);
		tact_format_json_string_field(out, "cap",
		                              tact_cap_text(cap, text, sizeof text), &f);
		tact_format_json_number_field(out, "value", cap->value, &f);
		tact_format_json_number_field(out, "units_capped", (double)cap->touched,
		                              &f);
		putc('}', out);
	}
	if (shown)
		putc(']', out);
}

/* A group row: kind ("group" or "pooled"), labels, arm, numbers. */
static void put_group(FILE *out, const tact_summary *summary, const char *kind,
                      const tact_summary_group *group)
{
	size_t i, a, k;

	fputs(kind, out);
	for (i = 0; i < summary->dimensions; i++)
		put_text(out, group->labels[i]);
	put_text(out, group->arm);
	put_count(out, group->units);
	for (a = 0; a < summary->metric_count; a++) {
		put_count(out, group->metrics[a].n);
		put_number(out, group->metrics[a].sum);
		put_number(out, group->metrics[a].m2);
	}
	for (k = 0; k < summary->pair_count; k++) {
		put_count(out, group->pairs[k].n);
		put_number(out, group->pairs[k].sum_a);
		put_number(out, group->pairs[k].sum_b);
		put_number(out, group->pairs[k].c);
	}
	putc('\n', out);
}

/* --time: per period, in time order, its groups ("period:LABEL" rows)
 * then its pooled groups ("period_pooled:LABEL"), after every other row
 * (tact-summary(5)). */
static void put_periods(FILE *out, const tact_summary *summary)
{
	const tact_periods *ps = summary->periods;
	char kind[TACT_PERIOD_LABEL_MAX + 16];
	size_t i, g;

	for (i = 0; ps && i < ps->count; i++) {
		const tact_summary *s = &ps->periods[i]->summary;
		snprintf(kind, sizeof kind, "period:%s", ps->periods[i]->label);
		for (g = 0; g < s->group_count; g++)
			put_group(out, s, kind, &s->groups[g]);
		snprintf(kind, sizeof kind, "period_pooled:%s", ps->periods[i]->label);
		for (g = 0; s->has_pooled && s->dimensions > 0 &&
		            g < s->pooled_count; g++)
			put_group(out, s, kind, &s->pooled[g]);
	}
}

/* "meta,bins:COL,0,1-29,30-" (quoted) per binned dimension: merges and
 * readers keep the bins' order (tact-summary(5)). */
static void put_bins_meta(FILE *out, size_t width, const tact_summary *summary)
{
	char name[1024];
	size_t d;

	for (d = 0; summary->dimension_bins && d < summary->dimensions; d++) {
		if (!summary->dimension_bins[d])
			continue;
		snprintf(name, sizeof name, "bins:%s", summary->dimension_names[d]);
		put_meta(out, width, name, summary->dimension_bins[d]);
	}
}

/* CUPED: covariate:METRIC = NAME per adjusted metric, then
 * covariate_missing:NAME per covariate (FORMAT in tact-summary(5)). */
static void put_covariate_meta(FILE *out, size_t width,
                               const tact_summary *summary)
{
	char name[1024];
	size_t a;

	for (a = 0; a < summary->metric_count; a++) {
		if (summary->covariate_of[a] == TACT_NO_COLUMN)
			continue;
		snprintf(name, sizeof name, "covariate:%s", summary->metrics[a].name);
		put_meta(out, width, name,
		         summary->metrics[summary->covariate_of[a]].name);
	}
	for (a = 0; a < summary->metric_count; a++) {
		if (summary->metrics[a].role != TACT_ROLE_COVARIATE)
			continue;
		snprintf(name, sizeof name, "covariate_missing:%s",
		         summary->metrics[a].name);
		put_meta_count(out, width, name, summary->covariate_missing[a]);
	}
}

tact_status tact_summaryfile_write(tact_summary *summary, FILE *out,
                                   tact_error *error)
{
	const size_t m = summary->metric_count;
	size_t width = 1 + summary->dimensions + 2 + 3 * m + 4 * summary->pair_count;
	size_t i, a, b, g, k;
	char name[1024];

	tact_summary_finish(summary);
	tact_summary_sort(summary);
	fprintf(out, MAGIC "%d", TACT_SUMMARY_VERSION);
	for (i = 0; i < summary->dimensions; i++) {
		snprintf(name, sizeof name, "segment:%s", summary->dimension_names[i]);
		put_text(out, name);
	}
	snprintf(name, sizeof name, "arm:%s", summary->arm_name);
	put_text(out, name);
	fputs(",units", out);
	for (a = 0; a < m; a++)
		for (k = 0; k < 3; k++) {
			snprintf(name, sizeof name, "%s:%s:%s",
			         tact_role_name(summary->metrics[a].role),
			         summary->metrics[a].name, metric_stats[k]);
			put_text(out, name);
		}
	for (a = 0; a < m; a++)
		for (b = a + 1; b < m; b++)
			for (k = 0; k < 4; k++) {
				snprintf(name, sizeof name, "cross:%s:%s:%s",
				         summary->metrics[a].name, summary->metrics[b].name,
				         pair_stats[k]);
				put_text(out, name);
			}
	putc('\n', out);

	put_meta_count(out, width, "rows_read", summary->rows_read);
	put_meta_count(out, width, "rows_rejected", summary->rows_rejected);
	put_meta_count(out, width, "rows_excluded_consent",
	               summary->rows_excluded_consent);
	if (summary->control)
		put_meta(out, width, "control", summary->control);
	if (summary->consent)
		put_meta(out, width, "consent", summary->consent);
	/* Only when filtered: other summaries stay as they were. */
	if (summary->where) {
		put_meta(out, width, "where", summary->where);
		put_meta_count(out, width, "rows_excluded_where",
		               summary->rows_excluded_where);
	}
	put_bins_meta(out, width, summary);
	if (summary->periods) {
		put_meta(out, width, "time", summary->periods->time_name);
		put_meta(out, width, "period",
		         tact_period_kind_name(summary->periods->kind));
	}
	if (summary->unit_name) {
		put_meta(out, width, "unit", summary->unit_name);
		put_meta_count(out, width, "units_in_several_arms",
		               summary->units_in_several_arms);
		/* Whether they were dropped (the default) or kept in their
		 * first arm, when there were any. */
		if (summary->units_in_several_arms)
			put_meta(out, width, "mixed_units",
			         summary->mixed_units_kept ? "first" : "drop");
	}
	for (a = 0; a < m; a++) {
		if (summary->metrics[a].role != TACT_ROLE_GOAL &&
		    summary->metrics[a].role != TACT_ROLE_ANNOYANCE)
			continue;
		snprintf(name, sizeof name, "binary:%s", summary->metrics[a].name);
		put_meta(out, width, name, summary->metrics[a].binary ? "1" : "0");
	}
	for (a = 0; a < m; a++) {
		const tact_cap *cap = &summary->metrics[a].cap;
		char text[48], number[TACT_FORMAT_NUMBER_MAX];
		if (cap->kind == TACT_CAP_NONE)
			continue;
		snprintf(name, sizeof name, "cap:%s", summary->metrics[a].name);
		put_meta(out, width, name, tact_cap_text(cap, text, sizeof text));
		snprintf(name, sizeof name, "cap_value:%s", summary->metrics[a].name);
		put_meta(out, width, name, tact_format_number(number, cap->value));
		snprintf(name, sizeof name, "capped_units:%s",
		         summary->metrics[a].name);
		put_meta_count(out, width, name, cap->touched);
	}
	put_covariate_meta(out, width, summary);

	for (g = 0; g < summary->group_count; g++)
		put_group(out, summary, "group", &summary->groups[g]);
	for (g = 0; summary->has_pooled && summary->dimensions > 0 &&
	            g < summary->pooled_count; g++)
		put_group(out, summary, "pooled", &summary->pooled[g]);
	put_periods(out, summary);
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the summary");
	return TACT_OK;
}

/* ---- reading ------------------------------------------------------- */

enum column_kind { COL_KIND, COL_SEGMENT, COL_ARM, COL_UNITS, COL_METRIC, COL_PAIR };

typedef struct column_role {
	enum column_kind kind;
	size_t index;    /* dimension, metric or pair */
	int stat;        /* index into metric_stats or pair_stats */
} column_role;

struct tact_summaryfile_reader {
	tact_summary *summary;
	const char *file;
	size_t width;
	column_role *columns;
	unsigned char *seen;   /* per metric x stat / pair x stat: column seen */
	int binary_seen_meta;
	unsigned char *caps_seen; /* per metric: 1 cap, 2 cap_value, 4 capped_units */
	char **labels;
	size_t *label_lengths;
	tact_keymap meta_keys;  /* meta keys read, to refuse a repeated one */
	int rows_read_seen;     /* a rows_read meta row was read */
};

void tact_summaryfile_reader_free(tact_summaryfile_reader *reader)
{
	if (!reader)
		return;
	free(reader->columns);
	free(reader->seen);
	free(reader->caps_seen);
	free(reader->labels);
	free(reader->label_lengths);
	tact_keymap_release(&reader->meta_keys);
	free(reader);
}

/* Split "a:b:c" style names: text after the first ':' up to the last ':'. */
static int split_name(const char *field, const char **middle,
                      size_t *middle_length, const char **stat)
{
	const char *first = strchr(field, ':');
	const char *last = strrchr(field, ':');

	if (!first || first == last)
		return -1;
	*middle = first + 1;
	*middle_length = (size_t)(last - first - 1);
	*stat = last + 1;
	return 0;
}

static int stat_index(const char *const *stats, int count, const char *stat)
{
	int i;

	for (i = 0; i < count; i++)
		if (strcmp(stats[i], stat) == 0)
			return i;
	return -1;
}

static tact_status bad_header(tact_summaryfile_reader *r, size_t column,
                              const char *what, const char *field,
                              size_t length, tact_error *error)
{
	char shown[200];

	tact_error_quote(field, length, shown, sizeof shown);
	return tact_error_set(error, TACT_DATA, r->file, 1, column + 1,
	                      "%s in summary header: '%s'", what, shown);
}

/* The names parse_header's first pass collects from the header. */
typedef struct header_names {
	char **dimension_names, **metric_names; /* metric_names: owned */
	tact_role *roles;
	size_t dimensions, metrics, arm_column, units_column;
} header_names;

/* The first field: MAGIC and the version this tact reads. */
static tact_status check_version(tact_summaryfile_reader *r,
                                 const tact_csv_record *h, tact_error *error)
{
	long version;
	char *end;

	version = strtol(h->fields[0] + strlen(MAGIC), &end, 10);
	if (*end != '\0' || end == h->fields[0] + strlen(MAGIC))
		return bad_header(r, 0, "unknown format", h->fields[0],
		                  h->lengths[0], error);
	if (version != TACT_SUMMARY_VERSION)
		return tact_error_set(error, TACT_DATA, r->file, 1, 1,
		                      "summary version %ld is not supported: this tact "
		                      "reads version %d", version,
		                      TACT_SUMMARY_VERSION);
	return TACT_OK;
}

#define ROLE_NAME_MAX 16 /* with its NUL: longer is no role */

/* Column i, ROLE:NAME:STAT (NAME at middle, STAT at stat), a statistic
 * of a metric: the metric added to n when new, its role checked. */
static tact_status metric_column(tact_summaryfile_reader *r,
                                 const tact_csv_record *h, size_t i,
                                 const char *middle, size_t middle_length,
                                 const char *stat, header_names *n,
                                 tact_error *error)
{
	const char *f = h->fields[i];
	char role_name[ROLE_NAME_MAX];
	tact_role role;
	size_t k;

	memcpy(role_name, f, (size_t)(middle - 1 - f));
	role_name[middle - 1 - f] = '\0';
	if (tact_role_parse(role_name, &role) != 0 ||
	    stat_index(metric_stats, 3, stat) < 0)
		return bad_header(r, i, "unknown column", f, h->lengths[i], error);
	for (k = 0; k < n->metrics; k++)
		if (strlen(n->metric_names[k]) == middle_length &&
		    strncmp(n->metric_names[k], middle, middle_length) == 0)
			break;
	if (k == n->metrics) {
		n->metric_names[n->metrics] = strndup(middle, middle_length);
		if (!n->metric_names[n->metrics])
			return tact_error_oom(error);
		n->roles[n->metrics++] = role;
	} else if (n->roles[k] != role) {
		return bad_header(r, i, "metric with two roles", f, h->lengths[i],
		                  error);
	}
	r->columns[i].kind = COL_METRIC;
	r->columns[i].index = k;
	r->columns[i].stat = stat_index(metric_stats, 3, stat);
	return TACT_OK;
}

/* First pass over column i: segments, arm, units, metrics (from
 * ROLE:NAME:STAT); a pair column is only marked, for the second pass. */
static tact_status classify_column(tact_summaryfile_reader *r,
                                   const tact_csv_record *h, size_t i,
                                   header_names *n, tact_error *error)
{
	const char *f = h->fields[i], *middle, *stat;
	size_t middle_length;

	if (strncmp(f, "segment:", 8) == 0) {
		if (n->arm_column != TACT_NO_COLUMN || n->metrics)
			return bad_header(r, i, "segment column out of place", f,
			                  h->lengths[i], error);
		r->columns[i].kind = COL_SEGMENT;
		r->columns[i].index = n->dimensions;
		n->dimension_names[n->dimensions++] = (char *)f + 8;
	} else if (strncmp(f, "arm:", 4) == 0) {
		if (n->arm_column != TACT_NO_COLUMN)
			return bad_header(r, i, "second arm column", f, h->lengths[i],
			                  error);
		n->arm_column = i;
		r->columns[i].kind = COL_ARM;
	} else if (strcmp(f, "units") == 0) {
		if (n->units_column != TACT_NO_COLUMN)
			return bad_header(r, i, "repeated column", f, h->lengths[i],
			                  error);
		n->units_column = i;
		r->columns[i].kind = COL_UNITS;
	} else if (strncmp(f, "cross:", 6) == 0) {
		r->columns[i].kind = COL_PAIR; /* resolved in the second pass */
	} else if (split_name(f, &middle, &middle_length, &stat) == 0 &&
	           (size_t)(middle - 1 - f) < ROLE_NAME_MAX) {
		return metric_column(r, h, i, middle, middle_length, stat, n, error);
	} else {
		return bad_header(r, i, "unknown column", f, h->lengths[i], error);
	}
	return TACT_OK;
}

/* Second pass over pair column i, cross:A:B:STAT, now that the metric
 * names are known: its pair index and stat. */
static tact_status pair_column(tact_summaryfile_reader *r,
                               const tact_csv_record *h, size_t i,
                               size_t metrics, tact_error *error)
{
	const tact_summary *s = r->summary;
	const char *f = h->fields[i] + 6, *stat = strrchr(f, ':');
	column_role *c = &r->columns[i];
	size_t a, b;
	int found = 0, st = stat ? stat_index(pair_stats, 4, stat + 1) : -1;

	if (st < 0)
		return bad_header(r, i, "unknown column", h->fields[i], h->lengths[i],
		                  error);
	for (a = 0; a < metrics && !found; a++) {
		size_t la = strlen(s->metrics[a].name);
		if (strncmp(f, s->metrics[a].name, la) || f[la] != ':')
			continue;
		for (b = a + 1; b < metrics; b++) {
			size_t lb = strlen(s->metrics[b].name);
			if ((size_t)(stat - (f + la + 1)) == lb &&
			    strncmp(f + la + 1, s->metrics[b].name, lb) == 0) {
				c->index = tact_summary_pair(s, a, b);
				found = 1;
				break;
			}
		}
	}
	if (!found)
		return bad_header(r, i, "pair of unknown metrics (or not in metric "
		                  "order)", h->fields[i], h->lengths[i], error);
	c->stat = st;
	return TACT_OK;
}

static tact_status parse_header(tact_summaryfile_reader *r,
                                const tact_csv_record *h, tact_error *error)
{
	header_names n;
	size_t i, metrics;
	tact_status status;

	if ((status = check_version(r, h, error)))
		return status;
	n.dimensions = n.metrics = 0;
	n.arm_column = n.units_column = TACT_NO_COLUMN;
	n.dimension_names = calloc(h->count, sizeof(char *));
	n.metric_names = calloc(h->count, sizeof(char *));
	n.roles = calloc(h->count, sizeof *n.roles);
	r->columns = calloc(h->count, sizeof *r->columns);
	if (!n.dimension_names || !n.metric_names || !n.roles || !r->columns) {
		free(n.dimension_names);
		free(n.metric_names);
		free(n.roles);
		return tact_error_oom(error);
	}
	for (i = 1; i < h->count && status == TACT_OK; i++)
		status = classify_column(r, h, i, &n, error);
	if (status == TACT_OK && n.arm_column == TACT_NO_COLUMN)
		status = tact_error_set(error, TACT_DATA, r->file, 1, 0,
		                        "summary header has no arm:NAME column");
	/* Without units no count could be checked against its group. */
	if (status == TACT_OK && n.units_column == TACT_NO_COLUMN)
		status = tact_error_set(error, TACT_DATA, r->file, 1, 0,
		                        "summary header has no units column");
	if (status == TACT_OK && n.metrics == 0)
		status = tact_error_set(error, TACT_DATA, r->file, 1, 0,
		                        "summary header has no metric columns");
	if (status == TACT_OK)
		status = tact_summary_setup(r->summary, n.dimensions,
		                            n.dimension_names,
		                            h->fields[n.arm_column] + 4, n.metrics,
		                            n.metric_names, n.roles, error);
	metrics = n.metrics;
	for (i = 0; i < metrics; i++)
		free(n.metric_names[i]);
	free(n.metric_names);
	free(n.dimension_names);
	free(n.roles);
	if (status != TACT_OK)
		return status;

	/* Second pass: pairs; each statistic's column once. */
	r->seen = calloc(3 * metrics + 4 * r->summary->pair_count + 1, 1);
	if (!r->seen)
		return tact_error_oom(error);
	for (i = 1; i < h->count; i++) {
		column_role *c = &r->columns[i];
		size_t slot;

		if (c->kind == COL_PAIR) {
			if ((status = pair_column(r, h, i, metrics, error)))
				return status;
			slot = 3 * metrics + 4 * c->index + (size_t)c->stat;
		} else if (c->kind == COL_METRIC) {
			slot = 3 * c->index + (size_t)c->stat;
		} else {
			continue;
		}
		if (r->seen[slot])
			return bad_header(r, i, "repeated column", h->fields[i],
			                  h->lengths[i], error);
		r->seen[slot] = 1;
	}
	for (i = 0; i < 3 * metrics + 4 * r->summary->pair_count; i++)
		if (!r->seen[i])
			return tact_error_set(error, TACT_DATA, r->file, 1, 0,
			                      "summary header lacks a column (each metric "
			                      "needs n, sum, m2; each pair n, sum_a, "
			                      "sum_b, c)");
	return TACT_OK;
}

/* The names in a header (before parse_header builds anything from them):
 * no empty segment, arm or metric name, no segment column twice, no metric
 * name with a colon ("goal:x:y:n" would read as metric "x:y", which no
 * pair column can name without ambiguity). */
static tact_status check_header_names(tact_summaryfile_reader *r,
                                      const tact_csv_record *h,
                                      tact_error *error)
{
	size_t i, j;

	for (i = 1; i < h->count; i++) {
		const char *f = h->fields[i], *middle, *stat;
		size_t middle_length;

		if (strncmp(f, "segment:", 8) == 0) {
			if (f[8] == '\0')
				return bad_header(r, i, "empty segment name", f,
				                  h->lengths[i], error);
			for (j = 1; j < i; j++)
				if (strcmp(h->fields[j], f) == 0)
					return bad_header(r, i, "segment column given twice", f,
					                  h->lengths[i], error);
		} else if (strncmp(f, "arm:", 4) == 0) {
			if (f[4] == '\0')
				return bad_header(r, i, "empty arm name", f, h->lengths[i],
				                  error);
		} else if (strcmp(f, "units") && strncmp(f, "cross:", 6) &&
		           split_name(f, &middle, &middle_length, &stat) == 0) {
			if (middle_length == 0)
				return bad_header(r, i, "empty metric name", f,
				                  h->lengths[i], error);
			if (memchr(middle, ':', middle_length))
				return bad_header(r, i, "metric name with a colon", f,
				                  h->lengths[i], error);
		}
	}
	return TACT_OK;
}

tact_status tact_summaryfile_begin(tact_summaryfile_reader **reader,
                                   tact_summary *summary,
                                   const tact_csv_record *header,
                                   const char *file, tact_error *error)
{
	tact_summaryfile_reader *r = calloc(1, sizeof *r);
	tact_status status;

	*reader = r;
	if (!r)
		return tact_error_oom(error);
	r->summary = summary;
	r->file = file;
	r->width = header->count;
	tact_keymap_init(&r->meta_keys);
	status = check_header_names(r, header, error);
	if (status != TACT_OK)
		return status;
	status = parse_header(r, header, error);
	if (status != TACT_OK)
		return status;
	r->labels = calloc(summary->dimensions + 1, sizeof *r->labels);
	r->label_lengths = calloc(summary->dimensions + 1, sizeof *r->label_lengths);
	if (!r->labels || !r->label_lengths)
		return tact_error_oom(error);
	/* Groups read from a file arrive finished. */
	summary->finished = 1;
	return TACT_OK;
}

static tact_status bad_value(const tact_summaryfile_reader *r,
                             const tact_csv_record *record, size_t i,
                             const char *expected, tact_error *error)
{
	char shown[120];

	tact_error_quote(record->fields[i], record->lengths[i], shown, sizeof shown);
	return tact_error_set(error, TACT_DATA, r->file, record->lines[i], i + 1,
	                      "%s, got '%s'", expected, shown);
}

static tact_status read_count(const tact_summaryfile_reader *r,
                              const tact_csv_record *record, size_t i,
                              int64_t *count, tact_error *error)
{
	double value;
	int rc = tact_parse_count(record->fields[i], record->lengths[i], 0, &value);

	if (rc != 0)
		return bad_value(r, record, i,
		                 rc == -4 ? "count too large (2^53 or more)"
		                          : "expected a whole non-negative count",
		                 error);
	*count = (int64_t)value;
	return TACT_OK;
}

static tact_status read_number(const tact_summaryfile_reader *r,
                               const tact_csv_record *record, size_t i,
                               double *value, tact_error *error)
{
	if (tact_parse_number(record->fields[i], record->lengths[i], 0, value))
		return bad_value(r, record, i,
		                 tact_parse_out_of_range(record->fields[i],
		                                         record->lengths[i], 0)
		                         ? "expected a number " TACT_PARSE_RANGE_EXPECTED
		                         : "expected a finite number",
		                 error);
	return TACT_OK;
}

/* Not a cap key: read_meta goes on (a value no tact_status takes). */
#define NOT_A_CAP_KEY ((tact_status)-1)

/* The meta rows of a capped metric: cap:M (as given), cap_value:M (the
 * cap used), capped_units:M (units above it), each once. */
static tact_status read_cap_meta(tact_summaryfile_reader *r,
                                 const tact_csv_record *record,
                                 const char *key, size_t *metric,
                                 tact_error *error)
{
	static const char *const keys[] = {"cap:", "cap_value:", "capped_units:"};
	tact_summary *s = r->summary;
	tact_cap *cap;
	size_t k;
	double number;
	int64_t count;
	tact_status status;

	for (k = 0; k < 3; k++)
		if (strncmp(key, keys[k], strlen(keys[k])) == 0)
			break;
	if (k == 3)
		return NOT_A_CAP_KEY;
	*metric = tact_summary_metric_index(s, key + strlen(keys[k]));
	if (*metric == TACT_NO_COLUMN)
		return bad_value(r, record, 1, "cap of an unknown metric", error);
	if (!r->caps_seen &&
	    !(r->caps_seen = calloc(s->metric_count + 1, 1)))
		return tact_error_oom(error);
	if (r->caps_seen[*metric] & (1u << k))
		return bad_value(r, record, 1, "cap row given twice", error);
	r->caps_seen[*metric] |= (unsigned char)(1u << k);
	cap = &s->metrics[*metric].cap;
	switch (k) {
	case 0: {
		tact_cap given;
		if (tact_cap_parse(record->fields[2], &given) != 0)
			return bad_value(r, record, 2, "expected a cap (a number above "
			                 "0, or pQ with 0 < Q < 100)", error);
		cap->kind = given.kind;
		cap->given = given.given;
		return TACT_OK;
	}
	case 1:
		if ((status = read_number(r, record, 2, &number, error)))
			return status;
		cap->value = number;
		return TACT_OK;
	default:
		if ((status = read_count(r, record, 2, &count, error)))
			return status;
		cap->touched = count;
		return TACT_OK;
	}
}

/* Each capped metric has its three rows; an absolute cap is the value
 * used; no more units capped than the metric has values. */
static tact_status check_caps(const tact_summaryfile_reader *r,
                              tact_error *error)
{
	const tact_summary *s = r->summary;
	size_t m, g;

	for (m = 0; r->caps_seen && m < s->metric_count; m++) {
		const tact_cap *cap = &s->metrics[m].cap;
		int64_t n = 0;
		if (r->caps_seen[m] == 0)
			continue;
		if (r->caps_seen[m] != 7)
			return tact_error_set(error, TACT_DATA, r->file, 0, 0,
			                      "the cap of '%s' needs its three meta rows "
			                      "(cap, cap_value, capped_units)",
			                      s->metrics[m].name);
		if (cap->kind == TACT_CAP_VALUE && cap->value != cap->given)
			return tact_error_set(error, TACT_DATA, r->file, 0, 0,
			                      "the cap of '%s' is an absolute cap, but its "
			                      "cap_value differs from it",
			                      s->metrics[m].name);
		for (g = 0; g < s->group_count; g++)
			n += s->groups[g].metrics[m].n;
		if (cap->touched > n)
			return tact_error_set(error, TACT_DATA, r->file, 0, 0,
			                      "more units capped for '%s' than it has "
			                      "values", s->metrics[m].name);
	}
	return TACT_OK;
}

/* Meta rows come first, each key once: a meta row after a group, or a
 * key given twice (two shards pasted together?), is refused. */
static tact_status check_meta_row(tact_summaryfile_reader *r,
                                  const tact_csv_record *record,
                                  tact_error *error)
{
	int added;

	if (record->count < 2)
		return TACT_OK; /* read_meta names it */
	if (r->summary->group_count > 0)
		return bad_value(r, record, 1, "a meta row after the groups (meta "
		                 "rows come first)", error);
	if (tact_keymap_intern(&r->meta_keys, record->fields[1],
	                       record->lengths[1], &added) == TACT_KEYMAP_NONE)
		return tact_error_oom(error);
	if (!added)
		return bad_value(r, record, 1, "a meta key given twice", error);
	if (strcmp(record->fields[1], "rows_read") == 0)
		r->rows_read_seen = 1;
	return TACT_OK;
}

/* "bins:COL": the bins of a segment dimension, checked. */
static tact_status read_bins_meta(tact_summaryfile_reader *r,
                                  const tact_csv_record *record,
                                  const char *column, tact_error *error)
{
	tact_summary *s = r->summary;
	tact_bin *bins;
	size_t d, count;
	unsigned quantiles;
	tact_error ignored;

	for (d = 0; d < s->dimensions; d++)
		if (strcmp(s->dimension_names[d], column) == 0)
			break;
	if (d == s->dimensions)
		return bad_value(r, record, 1, "bins of an unknown segment column",
		                 error);
	tact_error_init(&ignored);
	if (tact_bins_parse(record->fields[2], "bins", 1000, &bins, &count,
	                    &quantiles, &ignored) != TACT_OK || quantiles) {
		return bad_value(r, record, 2, "expected bins such as '0,1-29,30-'",
		                 error);
	}
	free(bins);
	return tact_summary_set_bins(s, d, record->fields[2], error);
}

/* "time" (the column) then "period" (day or week): the summary has
 * per-period groups (period.h). */
static tact_status read_period_meta(tact_summaryfile_reader *r,
                                    const tact_csv_record *record,
                                    const char *key, tact_error *error)
{
	tact_summary *s = r->summary;
	tact_period_kind kind;

	if (key[0] == 't')
		return record->lengths[2] == 0
		       ? bad_value(r, record, 2, "a time column's name", error)
		       : tact_periods_enable(s, TACT_PERIOD_DAY, record->fields[2],
		                             error);
	if (!s->periods)
		return bad_value(r, record, 1, "the period after the time row",
		                 error);
	if (tact_period_kind_parse(record->fields[2], &kind) != 0)
		return bad_value(r, record, 2, "day or week", error);
	s->periods->kind = kind;
	return TACT_OK;
}

/* CUPED: covariate:METRIC = NAME (a compared metric, adjusted by a metric
 * of role covariate), covariate_missing:NAME = units counted as 0. */
static tact_status read_covariate_meta(tact_summaryfile_reader *r,
                                       const tact_csv_record *record,
                                       const char *key, tact_error *error)
{
	tact_summary *s = r->summary;
	size_t metric, covariate;
	int64_t count;
	tact_status status;

	if (strncmp(key, "covariate_missing:", 18) == 0) {
		metric = tact_summary_metric_index(s, key + 18);
		if (metric == TACT_NO_COLUMN ||
		    s->metrics[metric].role != TACT_ROLE_COVARIATE)
			return bad_value(r, record, 1, "covariate_missing of no "
			                 "covariate column", error);
		if ((status = read_count(r, record, 2, &count, error)))
			return status;
		s->covariate_missing[metric] = count;
		return TACT_OK;
	}
	if (strncmp(key, "covariate:", 10) != 0)
		return bad_value(r, record, 1, "unknown meta key", error);
	metric = tact_summary_metric_index(s, key + 10);
	if (metric == TACT_NO_COLUMN ||
	    s->metrics[metric].role == TACT_ROLE_COVARIATE ||
	    s->metrics[metric].role == TACT_ROLE_EXPOSURES)
		return bad_value(r, record, 1, "covariate of no goal, annoyance or "
		                 "value metric", error);
	covariate = tact_summary_metric_index(s, record->fields[2]);
	if (covariate == TACT_NO_COLUMN ||
	    s->metrics[covariate].role != TACT_ROLE_COVARIATE)
		return bad_value(r, record, 2, "no covariate column of that name",
		                 error);
	s->covariate_of[metric] = covariate;
	return TACT_OK;
}

static tact_status read_meta(tact_summaryfile_reader *r,
                             const tact_csv_record *record, tact_error *error)
{
	tact_summary *s = r->summary;
	const char *key = record->count > 1 ? record->fields[1] : "";
	int64_t count;
	tact_status status;
	size_t metric;

	if (record->count < 3)
		return bad_value(r, record, 0, "meta row too short", error);
	if (strcmp(key, "control") == 0)
		return tact_summary_set_control(s, record->fields[2], error);
	if (strcmp(key, "consent") == 0) {
		free(s->consent);
		s->consent = strdup(record->fields[2]);
		return s->consent ? TACT_OK : tact_error_oom(error);
	}
	if (strcmp(key, "where") == 0)
		return tact_summary_set_where(s, record->fields[2], error);
	if (strcmp(key, "unit") == 0) {
		free(s->unit_name);
		s->unit_name = strdup(record->fields[2]);
		return s->unit_name ? TACT_OK : tact_error_oom(error);
	}
	if (strcmp(key, "mixed_units") == 0) {
		if (strcmp(record->fields[2], "drop") &&
		    strcmp(record->fields[2], "first"))
			return bad_value(r, record, 2, "expected drop or first", error);
		s->mixed_units_kept = record->fields[2][0] == 'f';
		return TACT_OK;
	}
	if (strcmp(key, "time") == 0 || strcmp(key, "period") == 0)
		return read_period_meta(r, record, key, error);
	if (strncmp(key, "bins:", 5) == 0)
		return read_bins_meta(r, record, key + 5, error);
	if (strncmp(key, "binary:", 7) == 0) {
		metric = tact_summary_metric_index(s, key + 7);
		if (metric == TACT_NO_COLUMN)
			return bad_value(r, record, 1, "binary flag of an unknown metric",
			                 error);
		if (strcmp(record->fields[2], "0") && strcmp(record->fields[2], "1"))
			return bad_value(r, record, 2, "expected 0 or 1", error);
		s->metrics[metric].binary = record->fields[2][0] == '1';
		return TACT_OK;
	}
	if (strncmp(key, "covariate", 9) == 0)
		return read_covariate_meta(r, record, key, error);
	if (strncmp(key, "cap", 3) == 0 &&
	    (status = read_cap_meta(r, record, key, &metric, error)) !=
	    NOT_A_CAP_KEY)
		return status;
	status = read_count(r, record, 2, &count, error);
	if (status != TACT_OK)
		return status;
	if (strcmp(key, "rows_read") == 0)
		s->rows_read = count;
	else if (strcmp(key, "rows_rejected") == 0)
		s->rows_rejected = count;
	else if (strcmp(key, "rows_excluded_consent") == 0)
		s->rows_excluded_consent = count;
	else if (strcmp(key, "rows_excluded_where") == 0)
		s->rows_excluded_where = count;
	else if (strcmp(key, "units_in_several_arms") == 0)
		s->units_in_several_arms = count;
	else
		return bad_value(r, record, 1, "unknown meta key", error);
	return TACT_OK;
}

/* A relative tolerance for figures that went through rounding (sums of
 * squares accumulated as deviations, merged by Chan's formulas): far
 * above their error, far below any real inconsistency. */
#define CONSISTENCY_TOLERANCE 1e-7

/* What moments can be, given each other (after read_group's own checks):
 * a 0/1 metric with k ones among n has m2 = k (n - k) / n exactly, no
 * more and no less; a pair's count is at most each metric's count; and
 * its co-moment obeys Cauchy-Schwarz, c^2 <= m2_a m2_b (the metrics'
 * spreads are over a superset of the pair's units, which only makes them
 * larger). */
static tact_status check_group_moments(const tact_summaryfile_reader *r,
                                       const tact_csv_record *record,
                                       const tact_summary_group *group,
                                       tact_error *error)
{
	const tact_summary *s = r->summary;
	char t[4][TACT_FORMAT_NUMBER_MAX];
	size_t a, b;

	for (a = 0; a < s->metric_count; a++) {
		const tact_moments *mo = &group->metrics[a];
		double exact;
		if (!s->metrics[a].binary || mo->n == 0)
			continue;
		exact = mo->sum * ((double)mo->n - mo->sum) / (double)mo->n;
		if (fabs(mo->m2 - exact) > CONSISTENCY_TOLERANCE * (1.0 + exact))
			return tact_error_set(
				error, TACT_DATA, r->file, record->line, 0,
				"inconsistent summary: 0/1 metric '%s' has m2 %s, but %s "
				"ones among %s values give exactly %s",
				s->metrics[a].name, tact_format_number(t[0], mo->m2),
				tact_format_number(t[1], mo->sum), tact_format_count(t[3], mo->n),
				tact_format_number(t[2], exact));
	}
	for (a = 0; a < s->metric_count; a++)
		for (b = a + 1; b < s->metric_count; b++) {
			const tact_comoments *p =
				&group->pairs[tact_summary_pair(s, a, b)];
			double ma = group->metrics[a].m2, mb = group->metrics[b].m2;
			double bound = sqrt((ma > 0 ? ma : 0) * (mb > 0 ? mb : 0));
			if (p->n > group->metrics[a].n || p->n > group->metrics[b].n)
				return tact_error_set(
					error, TACT_DATA, r->file, record->line, 0,
					"inconsistent summary: the pair '%s' and '%s' counts "
					"more units than one of its metrics", s->metrics[a].name,
					s->metrics[b].name);
			if (fabs(p->c) > bound * (1 + CONSISTENCY_TOLERANCE) +
			                         CONSISTENCY_TOLERANCE * 1e-3)
				return tact_error_set(
					error, TACT_DATA, r->file, record->line, 0,
					"inconsistent summary: the co-moment of '%s' and '%s' "
					"(c %s) exceeds what their spreads allow (Cauchy-Schwarz: "
					"|c| <= sqrt(m2 m2) = %s)", s->metrics[a].name,
					s->metrics[b].name, tact_format_number(t[0], p->c),
					tact_format_number(t[1], bound));
		}
	return TACT_OK;
}

/* A group row's segment labels (into r->labels) and its arm. */
static tact_status read_labels(tact_summaryfile_reader *r,
                               const tact_csv_record *record, int pooled,
                               const char **arm, size_t *arm_length,
                               tact_error *error)
{
	size_t i;

	for (i = 1; i < record->count; i++) {
		if (r->columns[i].kind == COL_SEGMENT && pooled &&
		    strcmp(record->fields[i], TACT_SUMMARY_POOLED) != 0)
			return bad_value(r, record, i, "a pooled row's segment labels "
			                 "must be '" TACT_SUMMARY_POOLED "'", error);
		if (r->columns[i].kind == COL_SEGMENT) {
			r->labels[r->columns[i].index] = record->fields[i];
			r->label_lengths[r->columns[i].index] = record->lengths[i];
		} else if (r->columns[i].kind == COL_ARM) {
			*arm = record->fields[i];
			*arm_length = record->lengths[i];
			if (*arm_length == 0)
				return bad_value(r, record, i, "expected an arm label", error);
		}
	}
	return TACT_OK;
}

/* The new group (or pooled group) of the row's labels and arm: a group
 * given twice is refused. */
static tact_status add_group(tact_summaryfile_reader *r,
                             const tact_csv_record *record, int pooled,
                             const char *arm, size_t arm_length,
                             tact_summary_group **group, tact_error *error)
{
	tact_summary *s = r->summary;
	tact_status status;
	size_t index;
	int added;

	if (pooled && s->dimensions == 0)
		return bad_value(r, record, 0, "no pooled rows in a summary without "
		                 "segment columns", error);
	if (pooled && !arm)
		return bad_value(r, record, 0, "a pooled row with its arm", error);
	if (pooled)
		status = tact_summary_pooled_insert(s, arm, arm_length, &index,
		                                    &added, error);
	else
		status = tact_summary_group_insert(s, (const char *const *)r->labels,
		                                   r->label_lengths, arm, arm_length,
		                                   &index, &added, error);
	if (status != TACT_OK)
		return status;
	if (!added)
		return tact_error_set(error, TACT_DATA, r->file, record->line, 0,
		                      pooled ? "this arm's pooled row appears twice"
		                             : "this group (segment and arm) appears "
		                               "twice");
	*group = pooled ? &s->pooled[index] : &s->groups[index];
	return TACT_OK;
}

/* Column i's figure (units, a metric's or a pair's statistic) into group;
 * the other columns hold no figure. */
static tact_status read_figure(const tact_summaryfile_reader *r,
                               const tact_csv_record *record, size_t i,
                               tact_summary_group *group, tact_error *error)
{
	const column_role *c = &r->columns[i];
	double *number;

	switch (c->kind) {
	case COL_UNITS:
		return read_count(r, record, i, &group->units, error);
	case COL_METRIC: {
		tact_moments *mo = &group->metrics[c->index];
		if (c->stat == 0)
			return read_count(r, record, i, &mo->n, error);
		number = c->stat == 1 ? &mo->sum : &mo->m2;
		break;
	}
	case COL_PAIR: {
		tact_comoments *p = &group->pairs[c->index];
		if (c->stat == 0)
			return read_count(r, record, i, &p->n, error);
		number = c->stat == 1 ? &p->sum_a : c->stat == 2 ? &p->sum_b : &p->c;
		break;
	}
	default:
		return TACT_OK;
	}
	return read_number(r, record, i, number, error);
}

/* Consistency: counts within units, 0/1 sums within counts, spreads not
 * negative (beyond rounding). */
static tact_status check_group_figures(const tact_summaryfile_reader *r,
                                       const tact_csv_record *record,
                                       const tact_summary_group *group,
                                       tact_error *error)
{
	const tact_summary *s = r->summary;
	size_t i;

	for (i = 1; i < record->count; i++) {
		const column_role *c = &r->columns[i];
		const tact_moments *mo;

		if (c->kind != COL_METRIC)
			continue;
		mo = &group->metrics[c->index];
		if (c->stat == 0 && mo->n > group->units)
			return bad_value(r, record, i, "a count above the group's units",
			                 error);
		if (c->stat == 2 && mo->m2 < -1e-9 * (1.0 + fabs(mo->sum)))
			return bad_value(r, record, i, "a non-negative spread (m2)", error);
		if (c->stat == 1 && s->metrics[c->index].binary &&
		    (mo->sum < 0 || mo->sum > (double)mo->n ||
		     mo->sum != floor(mo->sum)))
			return bad_value(r, record, i,
			                 "a 0/1 metric's sum must be a whole number "
			                 "between 0 and its count (a rate above 1?)",
			                 error);
	}
	for (i = 1; i < record->count; i++) {
		const column_role *c = &r->columns[i];
		if (c->kind == COL_PAIR && c->stat == 0 &&
		    group->pairs[c->index].n > group->units)
			return bad_value(r, record, i, "a count above the group's units",
			                 error);
	}
	return check_group_moments(r, record, group, error);
}

/* A group row, or with pooled a pooled row (its labels all "(all)"). */
static tact_status read_group(tact_summaryfile_reader *r,
                              const tact_csv_record *record, int pooled,
                              tact_error *error)
{
	tact_summary *s = r->summary;
	const char *arm = NULL;
	size_t arm_length = 0, i;
	tact_summary_group *group = NULL;
	tact_status status;

	if ((status = read_labels(r, record, pooled, &arm, &arm_length, error)) ||
	    (status = add_group(r, record, pooled, arm, arm_length, &group,
	                        error)))
		return status;
	for (i = 1; i < record->count; i++)
		if ((status = read_figure(r, record, i, group, error)))
			return status;
	if ((status = check_group_figures(r, record, group, error)))
		return status;
	for (i = 0; i < s->metric_count; i++)
		if (group->metrics[i].m2 < 0)
			group->metrics[i].m2 = 0;
	return TACT_OK;
}

/* A "period:LABEL" or "period_pooled:LABEL" row: a group row of that
 * period's summary (period.h), read as the others are. */
static tact_status read_period_row(tact_summaryfile_reader *r,
                                   const tact_csv_record *record,
                                   tact_error *error)
{
	tact_summary *s = r->summary;
	const char *kind = record->fields[0];
	int pooled = strncmp(kind, "period_pooled:", 14) == 0;
	const char *label = kind + (pooled ? 14 : 7);
	tact_period *p;
	size_t index, i;
	tact_status status;

	if (!pooled && strncmp(kind, "period:", 7) != 0)
		return bad_value(r, record, 0, "expected 'meta', 'group' or 'pooled'",
		                 error);
	if (!s->periods)
		return bad_value(r, record, 0, "period rows after the time and "
		                 "period meta rows", error);
	if (s->group_count == 0)
		return bad_value(r, record, 0, "period rows after the groups", error);
	if (tact_period_label_check(s->periods->kind, label) != 0)
		return bad_value(r, record, 0, s->periods->kind == TACT_PERIOD_WEEK
		                 ? "period:YYYY-Www (an ISO week)"
		                 : "period:YYYY-MM-DD (a date)", error);
	if ((status = tact_periods_find(s, label, strlen(label), &index, error)))
		return status;
	p = s->periods->periods[index];
	for (i = 0; i < s->metric_count; i++)
		p->summary.metrics[i].binary = s->metrics[i].binary;
	r->summary = &p->summary;
	status = read_group(r, record, pooled, error);
	r->summary = s;
	return status;
}

tact_status tact_summaryfile_row(tact_summaryfile_reader *r,
                                 const tact_csv_record *record,
                                 tact_error *error)
{
	if (strcmp(record->fields[0], "meta") == 0) {
		tact_status status = check_meta_row(r, record, error);
		return status ? status : read_meta(r, record, error);
	}
	if (strcmp(record->fields[0], "group") == 0)
		return read_group(r, record, 0, error);
	if (strcmp(record->fields[0], "pooled") == 0)
		return read_group(r, record, 1, error);
	if (strncmp(record->fields[0], "period", 6) == 0)
		return read_period_row(r, record, error);
	return bad_value(r, record, 0, "expected 'meta', 'group' or 'pooled'",
	                 error);
}

/*
 * Pooled rows: none (an older summary, or tact-sql's: the groups are
 * merged), or one per arm of the groups whose counts are the sums of that
 * arm's groups' (their sums and spreads, accumulated apart, differ in the
 * last bits).
 */
static tact_status check_pooled(const tact_summaryfile_reader *r,
                                tact_error *error)
{
	tact_summary *s = r->summary;
	size_t g, k, i;
	int64_t *counts;
	const size_t width = 1 + s->metric_count + s->pair_count;

	if (s->pooled_count == 0) {
		tact_summary_drop_pooled(s);
		return TACT_OK;
	}
	counts = calloc(s->pooled_count * width + 1, sizeof *counts);
	if (!counts)
		return tact_error_oom(error);
	for (g = 0; g < s->group_count; g++) {
		const tact_summary_group *group = &s->groups[g];
		const tact_summary_group *pooled = tact_summary_pooled_find(s, group->arm);
		int64_t *c;
		if (!pooled) {
			free(counts);
			return tact_error_set(error, TACT_DATA, r->file, 0, 0,
			                      "arm '%s' has groups but no pooled row "
			                      "(pooled rows: one per arm, or none)",
			                      group->arm);
		}
		c = counts + (size_t)(pooled - s->pooled) * width;
		c[0] += group->units;
		for (i = 0; i < s->metric_count; i++)
			c[1 + i] += group->metrics[i].n;
		for (i = 0; i < s->pair_count; i++)
			c[1 + s->metric_count + i] += group->pairs[i].n;
	}
	for (k = 0; k < s->pooled_count; k++) {
		const tact_summary_group *pooled = &s->pooled[k];
		const int64_t *c = counts + k * width;
		int same = c[0] == pooled->units;
		for (i = 0; i < s->metric_count; i++)
			same &= c[1 + i] == pooled->metrics[i].n;
		for (i = 0; i < s->pair_count; i++)
			same &= c[1 + s->metric_count + i] == pooled->pairs[i].n;
		if (!same) {
			free(counts);
			return tact_error_set(error, TACT_DATA, r->file, 0, 0,
			                      "the pooled row of arm '%s' does not count "
			                      "what its groups count (units or values)",
			                      pooled->arm);
		}
	}
	free(counts);
	return TACT_OK;
}

/* The rows read hold every unit (a unit is a row, or several folded),
 * and the rows rejected and excluded besides.  A summary without a
 * rows_read row (one written by hand) is taken to have read exactly that
 * many, so that writing it back gives a summary this check accepts. */
static tact_status check_rows_read(const tact_summaryfile_reader *r,
                                   tact_error *error)
{
	tact_summary *s = r->summary;
	char t[5][TACT_FORMAT_NUMBER_MAX];
	int64_t units = 0;
	size_t g;

	for (g = 0; g < s->group_count; g++)
		units += s->groups[g].units;
	/* Dropped rows without the condition that dropped them would merge
	 * with an unfiltered shard. */
	if (s->rows_excluded_where > 0 && !s->where)
		return tact_error_set(error, TACT_DATA, r->file, 0, 0,
		                      "inconsistent summary: rows_excluded_where "
		                      "without the where row that dropped them");
	if (!r->rows_read_seen) {
		s->rows_read = units + s->rows_rejected + s->rows_excluded_consent +
		               s->rows_excluded_where;
		return TACT_OK;
	}
	if (units > s->rows_read - s->rows_rejected - s->rows_excluded_consent -
	            s->rows_excluded_where)
		return tact_error_set(
			error, TACT_DATA, r->file, 0, 0,
			"inconsistent summary: its groups hold %s units, more than the "
			"%s rows read (less %s rejected and %s excluded for consent%s%s%s)",
			tact_format_count(t[0], units), tact_format_count(t[1], s->rows_read),
			tact_format_count(t[2], s->rows_rejected),
			tact_format_count(t[3], s->rows_excluded_consent),
			s->rows_excluded_where ? ", and " : "",
			s->rows_excluded_where
			        ? tact_format_count(t[4], s->rows_excluded_where) : "",
			s->rows_excluded_where ? " dropped by --where" : "");
	return TACT_OK;
}

/* Periods: finished, pooled rows exactly when the summary has them, and
 * counts that add up to the groups' (tact_periods_check). */
static tact_status end_periods(const tact_summaryfile_reader *r,
                               tact_error *error)
{
	tact_periods *ps = r->summary->periods;
	size_t i;

	for (i = 0; ps && i < ps->count; i++) {
		tact_summary *p = &ps->periods[i]->summary;
		p->finished = 1;
		if (p->pooled_count == 0)
			tact_summary_drop_pooled(p);
	}
	return tact_periods_check(r->summary, r->file, error);
}

/* A covariate has a value for every unit (a missing cell counts as 0),
 * and comes after every other metric. */
static tact_status check_covariates(const tact_summaryfile_reader *r,
                                    tact_error *error)
{
	const tact_summary *s = r->summary;
	size_t m, g;

	for (m = 0; m + 1 < s->metric_count; m++)
		if (s->metrics[m].role == TACT_ROLE_COVARIATE &&
		    s->metrics[m + 1].role != TACT_ROLE_COVARIATE)
			return tact_error_set(error, TACT_DATA, r->file, 1, 0,
			                      "covariate '%s' comes before metric '%s': "
			                      "covariates come after every other metric",
			                      s->metrics[m].name, s->metrics[m + 1].name);
	for (m = 0; m < s->metric_count; m++)
		for (g = 0; s->metrics[m].role == TACT_ROLE_COVARIATE &&
		            g < s->group_count; g++)
			if (s->groups[g].metrics[m].n != s->groups[g].units)
				return tact_error_set(error, TACT_DATA, r->file, 0, 0,
				                      "inconsistent summary: covariate '%s' "
				                      "counts %lld values in a group of %lld "
				                      "units (a missing cell counts as 0)",
				                      s->metrics[m].name,
				                      (long long)s->groups[g].metrics[m].n,
				                      (long long)s->groups[g].units);
	return TACT_OK;
}

tact_status tact_summaryfile_end(tact_summaryfile_reader *r, tact_error *error)
{
	tact_status status;

	if (r->summary->group_count == 0)
		return tact_error_set(error, TACT_DATA, r->file, 0, 0,
		                      "summary has no groups");
	if ((status = check_caps(r, error)))
		return status;
	if ((status = check_rows_read(r, error)))
		return status;
	if ((status = check_pooled(r, error)))
		return status;
	if ((status = end_periods(r, error)) ||
	    (status = check_covariates(r, error)))
		return status;
	r->summary->finished = 1;
	return TACT_OK;
}
