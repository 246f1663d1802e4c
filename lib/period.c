/*
 * period.c - times to periods, and a summary's per-period groups (see
 * period.h).
 *
 * Dates are counted as days since 1970-01-01 in the proleptic Gregorian
 * calendar, by the usual era arithmetic: a 400-year era has 146097 days,
 * and starting the year in March puts the leap day last, so the day of
 * the year follows from the month by (153 m + 2) / 5.
 */
#include "period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

const char *tact_period_kind_name(tact_period_kind kind)
{
	return kind == TACT_PERIOD_WEEK ? "week" : "day";
}

int tact_period_kind_parse(const char *text, tact_period_kind *kind)
{
	if (strcmp(text, "day") == 0)
		*kind = TACT_PERIOD_DAY;
	else if (strcmp(text, "week") == 0)
		*kind = TACT_PERIOD_WEEK;
	else
		return -1;
	return 0;
}

/* ---- the calendar ---------------------------------------------------- */

static int leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of y-m-d (a valid date, year >= 1). */
static int64_t days_of(int64_t y, int m, int d)
{
	int64_t era, year_of_era, day_of_year, day_of_era;
	int march_month = m > 2 ? m - 3 : m + 9;

	if (m <= 2)
		y--;
	era = y / 400;  /* y >= 0 here: no rounding toward zero to undo */
	year_of_era = y - era * 400;
	day_of_year = (153 * march_month + 2) / 5 + d - 1;
	day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 +
	             day_of_year;
	return era * 146097 + day_of_era - 719468;
}

/* The date of a day count (the inverse of days_of). */
static void date_of(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era = (day_of_era - day_of_era / 1460 +
	                       day_of_era / 36524 - day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
	                                    year_of_era / 100);
	int64_t march_month = (5 * day_of_year + 2) / 153;

	*d = (int)(day_of_year - (153 * march_month + 2) / 5 + 1);
	*m = (int)(march_month < 10 ? march_month + 3 : march_month - 9);
	*y = year_of_era + era * 400 + (*m <= 2);
}

/* ---- parsing ---------------------------------------------------------- */

/* count digits at text[*at] as a number; -1 when they are not digits. */
static int digits(const char *text, size_t length, size_t *at, size_t count)
{
	int value = 0;
	size_t i;

	if (*at + count > length)
		return -1;
	for (i = 0; i < count; i++) {
		unsigned digit = (unsigned)(unsigned char)text[*at + i] - '0';
		if (digit > 9)
			return -1;
		value = value * 10 + (int)digit;
	}
	*at += count;
	return value;
}

static int expect(const char *text, size_t length, size_t *at, char c)
{
	if (*at >= length || text[*at] != c)
		return -1;
	(*at)++;
	return 0;
}

/* hh:mm[:ss[.f]] after the T at *at, as minutes of the day; -1 when bad. */
static int clock_minutes(const char *text, size_t length, size_t *at)
{
	int hour, minute, second;

	if ((hour = digits(text, length, at, 2)) < 0 || hour > 23 ||
	    expect(text, length, at, ':') ||
	    (minute = digits(text, length, at, 2)) < 0 || minute > 59)
		return -1;
	if (*at < length && text[*at] == ':') {
		(*at)++;
		if ((second = digits(text, length, at, 2)) < 0 || second > 59)
			return -1;
		if (*at < length && text[*at] == '.') {
			size_t start = ++*at;
			while (*at < length && *at - start < 9 &&
			       (unsigned)(unsigned char)text[*at] - '0' <= 9)
				(*at)++;
			if (*at == start)
				return -1;
		}
	}
	return hour * 60 + minute;
}

/* The zone after a clock: nothing, Z or +-hh:mm, as minutes east of UTC;
 * INT32_MIN when bad. */
static int zone_minutes(const char *text, size_t length, size_t *at)
{
	int sign, hour, minute;

	if (*at == length)
		return 0;
	if (text[*at] == 'Z') {
		(*at)++;
		return 0;
	}
	if (text[*at] != '+' && text[*at] != '-')
		return INT32_MIN;
	sign = text[(*at)++] == '-' ? -1 : 1;
	if ((hour = digits(text, length, at, 2)) < 0 || hour > 23 ||
	    expect(text, length, at, ':') ||
	    (minute = digits(text, length, at, 2)) < 0 || minute > 59)
		return INT32_MIN;
	return sign * (hour * 60 + minute);
}

int tact_period_parse_day(const char *text, size_t length, int64_t *day)
{
	size_t at = 0;
	int year, month, mday, minutes, zone;
	int64_t days;

	if ((year = digits(text, length, &at, 4)) < 1 ||
	    expect(text, length, &at, '-') ||
	    (month = digits(text, length, &at, 2)) < 1 || month > 12 ||
	    expect(text, length, &at, '-') ||
	    (mday = digits(text, length, &at, 2)) < 1 ||
	    mday > month_days(year, month))
		return -1;
	days = days_of(year, month, mday);
	if (at == length) {
		*day = days;
		return 0;
	}
	if (text[at] != 'T' && text[at] != ' ')
		return -1;
	at++;
	if ((minutes = clock_minutes(text, length, &at)) < 0 ||
	    (zone = zone_minutes(text, length, &at)) == INT32_MIN || at != length)
		return -1;
	/* Local time minus its offset is UTC; the day may move by one, but
	 * not out of the years 0001-9999 (labels have four digits). */
	minutes -= zone;
	if (minutes < 0)
		days--;
	else if (minutes >= 24 * 60)
		days++;
	if (days < days_of(1, 1, 1) || days > days_of(9999, 12, 31))
		return -1;
	*day = days;
	return 0;
}

int tact_period_label_check(tact_period_kind kind, const char *label)
{
	size_t at = 0, length = strlen(label);
	int64_t day;
	int year, week;

	if (kind == TACT_PERIOD_DAY)
		return length == 10 && tact_period_parse_day(label, length, &day) == 0
		       ? 0 : -1;
	if (length != 8 || (year = digits(label, length, &at, 4)) < 1 ||
	    expect(label, length, &at, '-') || expect(label, length, &at, 'W') ||
	    (week = digits(label, length, &at, 2)) < 1 || week > 53)
		return -1;
	/* Week 53 only in the years that have it. */
	if (week == 53) {
		char last[TACT_PERIOD_LABEL_MAX];
		tact_period_label(kind, days_of(year, 12, 28), last);
		return strcmp(last, label) == 0 ? 0 : -1;
	}
	return 0;
}

void tact_period_label(tact_period_kind kind, int64_t day, char *out)
{
	int64_t y;
	int m, d;

	if (kind == TACT_PERIOD_WEEK) {
		/* 1970-01-01 was a Thursday: weekday 0 = Monday. */
		int64_t weekday = ((day + 3) % 7 + 7) % 7;
		int64_t thursday = day - weekday + 3, week;
		date_of(thursday, &y, &m, &d);
		/* The week's Thursday names its ISO year; its day of the
		 * year (from 0) over 7 is the week (from 0). */
		week = (thursday - days_of(y, 1, 1)) / 7 + 1;
		snprintf(out, TACT_PERIOD_LABEL_MAX, "%04d-W%02d", (int)y, (int)week);
		return;
	}
	date_of(day, &y, &m, &d);
	snprintf(out, TACT_PERIOD_LABEL_MAX, "%04d-%02d-%02d", (int)y, m, d);
}

/* ---- a summary's periods ------------------------------------------------ */

static void period_free(tact_period *p)
{
	if (!p)
		return;
	tact_summary_release(&p->summary);
	free(p->map);
	free(p);
}

void tact_periods_free(tact_periods *periods)
{
	size_t i;

	if (!periods)
		return;
	for (i = 0; i < periods->count; i++)
		period_free(periods->periods[i]);
	free(periods->periods);
	free(periods->time_name);
	tact_keymap_release(&periods->index);
	free(periods);
}

tact_status tact_periods_enable(tact_summary *summary, tact_period_kind kind,
                                const char *time_name, tact_error *error)
{
	tact_periods *p = calloc(1, sizeof *p);

	if (!p || !(p->time_name = strdup(time_name))) {
		free(p);
		return tact_error_oom(error);
	}
	p->kind = kind;
	tact_keymap_init(&p->index);
	tact_periods_free(summary->periods);
	summary->periods = p;
	return TACT_OK;
}

/* A period's summary: the parent's columns, empty; finished when the
 * parent is (periods read from a file or merged get no accumulators). */
static tact_status setup_period(const tact_summary *parent, tact_summary *s,
                                tact_error *error)
{
	tact_status status;

	tact_summary_init(s);
	status = tact_load_setup_like(s, parent, parent->dimensions,
	                              parent->dimension_names, error);
	s->finished = parent->finished;
	if (!parent->has_pooled)
		s->has_pooled = 0;
	return status;
}

tact_status tact_periods_find(tact_summary *summary, const char *label,
                              size_t length, size_t *period,
                              tact_error *error)
{
	tact_periods *ps = summary->periods;
	tact_period *p;
	size_t index;
	int added;
	tact_status status;

	if (length >= TACT_PERIOD_LABEL_MAX)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "a period label is at most %d bytes",
		                      TACT_PERIOD_LABEL_MAX - 1);
	index = tact_keymap_intern(&ps->index, label, length, &added);
	if (index == TACT_KEYMAP_NONE)
		return tact_error_oom(error);
	*period = index;
	if (!added)
		return TACT_OK;
	if (ps->count == ps->capacity) {
		size_t capacity = ps->capacity ? 2 * ps->capacity : 8;
		tact_period **grown = realloc(ps->periods, capacity * sizeof *grown);
		if (!grown)
			return tact_error_oom(error);
		ps->periods = grown;
		ps->capacity = capacity;
	}
	if (!(p = calloc(1, sizeof *p)))
		return tact_error_oom(error);
	memcpy(p->label, label, length);
	p->label[length] = '\0';
	ps->periods[ps->count++] = p;
	if ((status = setup_period(summary, &p->summary, error)))
		return status;
	return TACT_OK;
}

/* Period p's group of the parent's group (created when new). */
static tact_status period_group(tact_summary *summary, tact_period *p,
                                size_t group, size_t *out, tact_error *error)
{
	const tact_summary_group *g = &summary->groups[group];
	size_t lengths[64], *len = lengths, d;
	tact_status status;

	if (group >= p->map_count) {
		size_t count = summary->group_count > group ? summary->group_count
		                                            : group + 1;
		size_t *grown = realloc(p->map, count * sizeof *grown);
		if (!grown)
			return tact_error_oom(error);
		memset(grown + p->map_count, 0,
		       (count - p->map_count) * sizeof *grown);
		p->map = grown;
		p->map_count = count;
	}
	if (p->map[group]) {
		*out = p->map[group] - 1;
		return TACT_OK;
	}
	if (summary->dimensions > 64 &&
	    !(len = malloc(summary->dimensions * sizeof *len)))
		return tact_error_oom(error);
	for (d = 0; d < summary->dimensions; d++)
		len[d] = strlen(g->labels[d]);
	status = tact_summary_group_find(&p->summary,
	                                 (const char *const *)g->labels, len,
	                                 g->arm, strlen(g->arm), out, error);
	if (len != lengths)
		free(len);
	if (status == TACT_OK)
		p->map[group] = *out + 1;
	return status;
}

tact_status tact_periods_add_only(tact_summary *summary, size_t group,
                                  size_t period, const double *values,
                                  tact_error *error)
{
	tact_period *p = summary->periods->periods[period];
	size_t own;
	tact_status status;

	if ((status = period_group(summary, p, group, &own, error)))
		return status;
	tact_summary_add(&p->summary, own, values);
	return TACT_OK;
}

tact_status tact_periods_add(tact_summary *summary, size_t group,
                             size_t period, const double *values,
                             tact_error *error)
{
	tact_summary_add(summary, group, values);
	return tact_periods_add_only(summary, group, period, values, error);
}

tact_status tact_periods_flush_units(tact_summary *summary,
                                     const tact_units *units,
                                     const uint32_t *period_of,
                                     int drop_mixed, tact_error *error)
{
	double row[64], *values = units->metric_count <= 64 ? row : NULL;
	tact_status status = TACT_OK;
	size_t u;

	if (!values && !(values = malloc(units->metric_count * sizeof *values)))
		return tact_error_oom(error);
	/* The rule of tact_units_flush: the same units, in the same order. */
	for (u = 0; u < units->count && status == TACT_OK; u++)
		if (!(drop_mixed && units->mixed && units->mixed[u])) {
			tact_units_row(units, u, values);
			status = tact_periods_add_only(summary, units->groups[u],
			                               period_of[u], values, error);
		}
	if (values != row)
		free(values);
	return status;
}

void tact_periods_finish(tact_summary *summary)
{
	tact_periods *ps = summary->periods;
	size_t i;

	for (i = 0; ps && i < ps->count; i++) {
		tact_summary_finish(&ps->periods[i]->summary);
		/* The parent's groups may move now (sorted, dropped). */
		free(ps->periods[i]->map);
		ps->periods[i]->map = NULL;
		ps->periods[i]->map_count = 0;
	}
}

static int compare_labels(const void *x, const void *y)
{
	const tact_period *a = *(tact_period *const *)x;
	const tact_period *b = *(tact_period *const *)y;

	return strcmp(a->label, b->label);
}

/* What says how a period's metrics are compared: the parent's. */
static void sync_period(const tact_summary *parent, tact_summary *s)
{
	size_t i;

	for (i = 0; i < parent->metric_count; i++) {
		s->metrics[i].binary = parent->metrics[i].binary;
		s->metrics[i].cap = parent->metrics[i].cap;
	}
	for (i = 0; parent->dimension_bins && i < parent->dimensions; i++)
		(void)tact_summary_set_bins(s, i, parent->dimension_bins[i], NULL);
	(void)tact_summary_set_control(s, parent->control, NULL);
}

void tact_periods_sort(tact_summary *summary)
{
	tact_periods *ps = summary->periods;
	size_t i, kept;

	if (!ps)
		return;
	/* A period whose units were all dropped (seen in several arms) has
	 * no group once the summary is finished: it is no period of it. */
	for (i = 0, kept = 0; i < ps->count; i++) {
		if (!summary->finished || ps->periods[i]->summary.group_count > 0)
			ps->periods[kept++] = ps->periods[i];
		else
			period_free(ps->periods[i]);
	}
	ps->count = kept;
	qsort(ps->periods, ps->count, sizeof *ps->periods, compare_labels);
	tact_keymap_release(&ps->index);
	tact_keymap_init(&ps->index);
	for (i = 0; i < ps->count; i++) {
		(void)tact_keymap_intern(&ps->index, ps->periods[i]->label,
		                         strlen(ps->periods[i]->label), NULL);
		sync_period(summary, &ps->periods[i]->summary);
		tact_summary_sort(&ps->periods[i]->summary);
	}
}

/* Add the finished summary src of period label into into's periods. */
static tact_status add_period(tact_summary *into, const char *label,
                              const tact_summary *src, tact_error *error)
{
	tact_summary *target;
	size_t index;
	tact_status status;

	if ((status = tact_periods_find(into, label, strlen(label), &index,
	                                error)))
		return status;
	target = &into->periods->periods[index]->summary;
	if (target->group_count == 0) {
		/* A new period takes its groups by merging, and the control
		 * and bins of the shard's. */
		target->finished = 1;
		sync_period(src, target);
		if (!src->has_pooled)
			tact_summary_drop_pooled(target);
	}
	return tact_summary_merge(target, src, error);
}

tact_status tact_periods_merge(tact_summary *into, const tact_summary *from,
                               tact_error *error)
{
	const tact_periods *fp = from->periods;
	tact_status status;
	size_t i;

	if (!fp) {
		if (into->periods && from->group_count > 0) {
			tact_periods_free(into->periods);
			into->periods = NULL;
		}
		return TACT_OK;
	}
	if (!into->periods) {
		if (into->group_count > 0)
			return TACT_OK; /* into's groups have no periods */
		if ((status = tact_periods_enable(into, fp->kind, fp->time_name,
		                                  error)))
			return status;
	}
	if (into->periods->kind != fp->kind ||
	    strcmp(into->periods->time_name, fp->time_name) != 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries have different periods (%ss of '%s' "
		                      "and %ss of '%s'): summarize every shard with "
		                      "the same --time and --period",
		                      tact_period_kind_name(into->periods->kind),
		                      into->periods->time_name,
		                      tact_period_kind_name(fp->kind), fp->time_name);
	for (i = 0; i < fp->count; i++)
		if ((status = add_period(into, fp->periods[i]->label,
		                         &fp->periods[i]->summary, error)))
			return status;
	return TACT_OK;
}

tact_status tact_periods_choose(tact_summary *summary, const char *time_name,
                                tact_period_kind kind, int kind_set,
                                const char *file, tact_error *error)
{
	tact_periods *old = summary->periods;
	tact_status status = TACT_OK;
	size_t i;

	if (!old)
		return tact_error_set(error, TACT_DATA, file, 0, 0,
		                      "the summary has no periods: summarize the "
		                      "export with --time '%s'", time_name);
	if (strcmp(old->time_name, time_name) != 0)
		return tact_error_set(error, TACT_DATA, file, 0, 0,
		                      "the summary's periods are of '%s', not '%s' "
		                      "(--time)", old->time_name, time_name);
	if (!kind_set || kind == old->kind)
		return TACT_OK;
	if (kind == TACT_PERIOD_DAY)
		return tact_error_set(error, TACT_DATA, file, 0, 0,
		                      "the summary's periods are weeks: days cannot "
		                      "be had from them (summarize with --period "
		                      "day)");
	/* Days into weeks: each day's groups merged into its week's. */
	summary->periods = NULL;
	status = tact_periods_enable(summary, kind, time_name, error);
	for (i = 0; status == TACT_OK && i < old->count; i++) {
		char label[TACT_PERIOD_LABEL_MAX];
		int64_t day;
		if (tact_period_parse_day(old->periods[i]->label,
		                          strlen(old->periods[i]->label), &day)) {
			status = tact_error_set(error, TACT_DATA, file, 0, 0,
			                        "bad day label '%s'",
			                        old->periods[i]->label);
			break;
		}
		tact_period_label(kind, day, label);
		status = add_period(summary, label, &old->periods[i]->summary,
		                    error);
	}
	tact_periods_free(old);
	if (status == TACT_OK)
		tact_periods_sort(summary);
	return status;
}

/* Add a group's counts to totals[1 + metrics + pairs]. */
static void add_counts(const tact_summary *s, const tact_summary_group *g,
                       int64_t *totals)
{
	size_t i;

	totals[0] += g->units;
	for (i = 0; i < s->metric_count; i++)
		totals[1 + i] += g->metrics[i].n;
	for (i = 0; i < s->pair_count; i++)
		totals[1 + s->metric_count + i] += g->pairs[i].n;
}

static int same_counts(const tact_summary *s, const tact_summary_group *g,
                       const int64_t *totals)
{
	size_t width = 1 + s->metric_count + s->pair_count, i;
	int64_t *mine = calloc(width, sizeof *mine);
	int same;

	if (!mine)
		return 0;
	add_counts(s, g, mine);
	same = 1;
	for (i = 0; i < width; i++)
		same &= mine[i] == totals[i];
	free(mine);
	return same;
}

/* The parent's group of g's labels and arm, or TACT_KEYMAP_NONE (a
 * search: files are checked once, and groups are few). */
static size_t parent_group(const tact_summary *summary,
                           const tact_summary_group *g)
{
	size_t k, d;

	for (k = 0; k < summary->group_count; k++) {
		const tact_summary_group *pg = &summary->groups[k];
		int same = strcmp(pg->arm, g->arm) == 0;
		for (d = 0; same && d < summary->dimensions; d++)
			same = strcmp(pg->labels[d], g->labels[d]) == 0;
		if (same)
			return k;
	}
	return TACT_KEYMAP_NONE;
}

/* Per group of the parent (and per pooled group), the counts over the
 * periods: totals[k * width ..]. */
static tact_status period_totals(const tact_summary *summary,
                                 int64_t *totals, int64_t *pooled,
                                 const char *file, tact_error *error)
{
	const tact_periods *ps = summary->periods;
	const size_t width = 1 + summary->metric_count + summary->pair_count;
	size_t i, g, index;

	for (i = 0; i < ps->count; i++) {
		const tact_summary *s = &ps->periods[i]->summary;
		if (s->has_pooled != summary->has_pooled ||
		    (summary->has_pooled && summary->dimensions > 0 &&
		     s->pooled_count == 0 && s->group_count > 0))
			return tact_error_set(error, TACT_DATA, file, 0, 0,
			                      "period %s: pooled rows in every period "
			                      "exactly when the summary has them",
			                      ps->periods[i]->label);
		for (g = 0; g < s->group_count; g++) {
			const tact_summary_group *grp = &s->groups[g];
			index = parent_group(summary, grp);
			if (index == TACT_KEYMAP_NONE)
				return tact_error_set(error, TACT_DATA, file, 0, 0,
				                      "period %s has a group (arm '%s') "
				                      "that the summary has not",
				                      ps->periods[i]->label, grp->arm);
			add_counts(summary, grp, totals + index * width);
		}
		for (g = 0; summary->has_pooled && g < s->pooled_count; g++) {
			const tact_summary_group *pg =
				tact_summary_pooled_find(summary, s->pooled[g].arm);
			if (!pg)
				return tact_error_set(error, TACT_DATA, file, 0, 0,
				                      "period %s has a pooled row of arm "
				                      "'%s', which the summary has not",
				                      ps->periods[i]->label, s->pooled[g].arm);
			add_counts(summary, &s->pooled[g],
			           pooled + (size_t)(pg - summary->pooled) * width);
		}
	}
	return TACT_OK;
}

tact_status tact_periods_check(tact_summary *summary, const char *file,
                               tact_error *error)
{
	const size_t width = 1 + summary->metric_count + summary->pair_count;
	int64_t *totals, *pooled;
	tact_status status;
	size_t g;

	if (!summary->periods)
		return TACT_OK;
	totals = calloc((summary->group_count + 1) * width, sizeof *totals);
	pooled = calloc((summary->pooled_count + 1) * width, sizeof *pooled);
	if (!totals || !pooled) {
		free(totals);
		free(pooled);
		return tact_error_oom(error);
	}
	status = period_totals(summary, totals, pooled, file, error);
	for (g = 0; status == TACT_OK && g < summary->group_count; g++)
		if (!same_counts(summary, &summary->groups[g], totals + g * width))
			status = tact_error_set(error, TACT_DATA, file, 0, 0,
			                        "the periods of arm '%s'%s do not count "
			                        "what its group counts (units or values)",
			                        summary->groups[g].arm,
			                        summary->dimensions ? " in one segment" : "");
	for (g = 0; status == TACT_OK && summary->has_pooled &&
	            g < summary->pooled_count; g++)
		if (!same_counts(summary, &summary->pooled[g], pooled + g * width))
			status = tact_error_set(error, TACT_DATA, file, 0, 0,
			                        "the periods' pooled rows of arm '%s' do "
			                        "not count what its pooled row counts",
			                        summary->pooled[g].arm);
	free(totals);
	free(pooled);
	return status;
}

tact_status tact_periods_range(const tact_summary *summary, size_t first,
                               size_t last, tact_summary *range,
                               tact_error *error)
{
	const tact_periods *ps = summary->periods;
	tact_status status;
	size_t i;

	tact_summary_init(range);
	if ((status = setup_period(summary, range, error)))
		return status;
	range->finished = 1;
	sync_period(summary, range);
	for (i = first; i <= last && i < ps->count && status == TACT_OK; i++)
		status = tact_summary_merge(range, &ps->periods[i]->summary, error);
	if (status == TACT_OK) {
		sync_period(summary, range);
		tact_summary_sort(range);
	}
	return status;
}

tact_status tact_periods_cumulative(const tact_summary *summary, size_t last,
                                    tact_summary *cumulative,
                                    tact_error *error)
{
	return tact_periods_range(summary, 0, last, cumulative, error);
}
