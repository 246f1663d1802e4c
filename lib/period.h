/*
 * period.h - the effect over time: a date or timestamp per row (--time),
 * its calendar period (--period day|week), and a summary's per-period
 * groups.
 *
 * Times: ISO 8601 in these forms only (a cell in any other is refused):
 *   YYYY-MM-DD
 *   YYYY-MM-DDThh:mm, YYYY-MM-DDThh:mm:ss, YYYY-MM-DDThh:mm:ss.f (1 to 9
 *   digits of fraction), each with a space instead of the T allowed, and
 *   each followed by nothing (the time as written is taken as UTC), Z
 *   (UTC), or an offset +hh:mm or -hh:mm (hh 00-23, mm 00-59).
 * Years 0001 to 9999, the real calendar (February 29 only in leap years),
 * hours 00-23, minutes and seconds 00-59 (no leap second); the UTC day
 * must lie in the years 0001-9999 too.  An offset is applied before the
 * day is taken: 2026-12-06T23:30-02:00 is 2026-12-07T01:30Z, so its day is
 * 2026-12-07; every period is a UTC day or week.
 *
 * Periods: "day" labels a row by its UTC date, 2026-12-06; "week" by its
 * ISO 8601 week (weeks start on Monday; week 1 holds the year's first
 * Thursday), 2026-W49, so that 2027-01-01 (a Friday) is in 2026-W53.
 * Labels sort bytewise in time order.
 *
 * Per-period groups (summary.h): a summary given a time column holds,
 * beside its groups and pooled groups (which stay exactly what they are
 * without --time), per period a summary of its own over the same columns:
 * the period's groups and, with segment columns, its pooled groups, each
 * accumulated from the units of that period.  With sessions folded into
 * units, a unit belongs to the period of its first session (as its
 * segments and arm are those of its first session).  Per-period summaries
 * merge by period label, so shards add up.  tact-summary(5) has the rows.
 */
#ifndef TACT_PERIOD_H
#define TACT_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "keymap.h"
#include "summary.h"
#include "units.h"

typedef enum tact_period_kind {
	TACT_PERIOD_DAY,
	TACT_PERIOD_WEEK
} tact_period_kind;

#define TACT_PERIOD_LABEL_MAX 16

/* "day" / "week"; the kind named by text (0), or -1. */
const char *tact_period_kind_name(tact_period_kind kind);
int tact_period_kind_parse(const char *text, tact_period_kind *kind);

/*
 * The UTC day of a time (the forms above) as days since 1970-01-01 (may
 * be negative).  0, or -1 when text is none of the forms.
 */
int tact_period_parse_day(const char *text, size_t length, int64_t *day);

/* The label of the period holding day (days since 1970-01-01) into
 * out[TACT_PERIOD_LABEL_MAX]. */
void tact_period_label(tact_period_kind kind, int64_t day, char *out);

/* 0 when label is a period label of kind (2026-12-06, 2026-W49: a real
 * date, or a week its year has), else -1. */
int tact_period_label_check(tact_period_kind kind, const char *label);

/* One period: its label and the summary of its units. */
typedef struct tact_period {
	char label[TACT_PERIOD_LABEL_MAX];
	tact_summary summary;
	size_t *map;          /* while adding rows: parent group -> this
	                         summary's group + 1 (0: not yet) */
	size_t map_count;
} tact_period;

/* A summary's periods (summary->periods; NULL when it has none). */
typedef struct tact_periods {
	tact_period_kind kind;
	char *time_name;      /* the time column */
	size_t count, capacity;
	tact_period **periods; /* in time order once sorted */
	tact_keymap index;    /* label -> period */
} tact_periods;

/*
 * Give summary (set up, without periods) per-period groups, by time
 * column time_name (copied).  TACT_SOFTWARE on memory.
 */
tact_status tact_periods_enable(tact_summary *summary, tact_period_kind kind,
                                const char *time_name, tact_error *error);

/* Free a summary's periods (NULL: nothing). */
void tact_periods_free(tact_periods *periods);

/*
 * The index of the period labelled label in summary (which has periods),
 * created (set up like summary, empty) when new.  TACT_SOFTWARE on memory.
 */
tact_status tact_periods_find(tact_summary *summary, const char *label,
                              size_t length, size_t *period,
                              tact_error *error);

/*
 * Add one unit to group of summary (tact_summary_add) and to the same
 * labels and arm in period (an index from tact_periods_find).  Only while
 * adding rows (before tact_summary_finish).  TACT_SOFTWARE on memory.
 */
tact_status tact_periods_add(tact_summary *summary, size_t group,
                             size_t period, const double *values,
                             tact_error *error);

/* The same for a unit's period only (the parent's group already has it). */
tact_status tact_periods_add_only(tact_summary *summary, size_t group,
                                  size_t period, const double *values,
                                  tact_error *error);

/*
 * Sessions folded into units: add every unit that tact_units_flush adds
 * to summary (the same rule for units in several arms) to its period,
 * period_of[u] (an index from tact_periods_find), in unit order.  Call
 * before the summary is finished.  TACT_SOFTWARE on memory.
 */
tact_status tact_periods_flush_units(tact_summary *summary,
                                     const tact_units *units,
                                     const uint32_t *period_of,
                                     int drop_mixed, tact_error *error);

/* Hooks of summary.c: finish every period's summary; sort the periods by
 * label and each period's groups (and give each the parent's control,
 * bins and 0/1 flags, which say how its metrics are compared). */
void tact_periods_finish(tact_summary *summary);
void tact_periods_sort(tact_summary *summary);

/*
 * Hook of tact_summary_merge, before the groups merge: from's periods add
 * into into's by label.  When only one of them has periods, the result
 * has none (as for pooled groups), unless into is still empty (a shard
 * to come).  Errors (TACT_DATA): periods of another kind or time column.
 */
tact_status tact_periods_merge(tact_summary *into, const tact_summary *from,
                               tact_error *error);

/*
 * A summary input given --time (time_name) and perhaps --period (kind,
 * when kind_set): its periods must be of that column; days become weeks
 * (each week's groups merged from its days'), weeks cannot become days.
 * Errors TACT_DATA naming file.
 */
tact_status tact_periods_choose(tact_summary *summary, const char *time_name,
                                tact_period_kind kind, int kind_set,
                                const char *file, tact_error *error);

/*
 * Checks of a summary read from a file (tact-summary(5)): every period
 * group's labels and arm are a group's of the summary, and over the
 * periods each group's counts (units, values, pairs) add up to the
 * group's; pooled rows per period exactly when the summary has them.
 * Errors TACT_DATA naming file.
 */
tact_status tact_periods_check(tact_summary *summary, const char *file,
                               tact_error *error);

/*
 * The summary of the units of the periods 0..last (in time order, sorted)
 * into cumulative (initialized here): their summaries merged, with the
 * parent's control, bins and flags.  TACT_SOFTWARE on memory.
 */
tact_status tact_periods_cumulative(const tact_summary *summary, size_t last,
                                    tact_summary *cumulative,
                                    tact_error *error);

/* The same for the periods first..last (a block of tact-compare
 * --by-period, privacy.h). */
tact_status tact_periods_range(const tact_summary *summary, size_t first,
                               size_t last, tact_summary *range,
                               tact_error *error);

#endif
