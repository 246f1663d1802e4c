/*
 * overflow.c - the one rule for figures that overflow (see overflow.h).
 */
#include "overflow.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The start of compare's notes of a control mean 0 or not distinguishable
 * from 0: a lift then is undefined. */
#define UNDEFINED "control mean "

typedef struct figure {
	const char *name;
	double value;
} figure;

/* The name of the first infinite figure of figures[0..count), or NULL. */
static const char *first_infinite(const figure *figures, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (isinf(figures[i].value))
			return figures[i].name;
	return NULL;
}

/* A segment's labels joined by " / ", "(all)" for the pooled one. */
static const char *segment_text(const tact_segments *cells, size_t s,
                                char *out, size_t size)
{
	size_t d, used = 0;

	if (tact_segments_pooled(cells, s) || cells->summary->dimensions == 0)
		return TACT_POOLED_LABEL;
	out[0] = '\0';
	for (d = 0; d < cells->summary->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s", d ? " / " : "",
		                 cells->labels[s][d]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return out;
}

static tact_status overflows(const tact_segments *cells, const char *name,
                             size_t metric, size_t segment, size_t arm,
                             const char *advice, tact_error *error)
{
	char text[256];

	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "a figure overflows ('%s' of '%s', segment '%.200s', "
	                      "arm '%.200s'): %s",
	                      name, cells->summary->metrics[metric].name,
	                      segment_text(cells, segment, text, sizeof text),
	                      cells->arms[arm], advice);
}

/* A lift over a control mean that is 0 or not distinguishable from 0 is
 * undefined: when infinite, blank (its note says why), not an overflow. */
static void blank_undefined_lift(tact_compare_row *row)
{
	if (isinf(row->lift * 100) && row->lift_note &&
	    strncmp(row->lift_note, UNDEFINED, strlen(UNDEFINED)) == 0)
		row->lift = NAN;
}

/* The name of a compare row's first infinite figure, or NULL. */
static const char *compare_infinite(const tact_compare_row *row)
{
	/* The open end of a one-sided interval is infinite by design. */
	const int open_low = row->alternative == TACT_ALTERNATIVE_LESS;
	const int open_high = row->alternative == TACT_ALTERNATIVE_GREATER;
	const figure figures[] = {
		{"mean_control", row->mean_control},
		{"control_low", row->control_low},
		{"control_high", row->control_high},
		{"mean_arm", row->mean_arm}, {"arm_low", row->arm_low},
		{"arm_high", row->arm_high}, {"diff", row->diff},
		{"diff_low", open_low ? 0 : row->diff_low},
		{"diff_high", open_high ? 0 : row->diff_high},
		{"diff_low_unadjusted", open_low ? 0 : row->diff_low_unadjusted},
		{"diff_high_unadjusted", open_high ? 0 : row->diff_high_unadjusted},
		{"statistic", row->statistic}, {"df", row->df},
		{"chance_to_beat", row->chance_to_beat},
		{"expected_loss", row->expected_loss},
		/* A lift is shown in percent (tables, the report): one that
		 * overflows when multiplied by 100 overflows too. */
		{"lift", row->lift * 100},
		{"lift_low", open_low ? 0 : row->lift_low * 100},
		{"lift_high", open_high ? 0 : row->lift_high * 100},
		{"lift_low_unadjusted", open_low ? 0 : row->lift_low_unadjusted * 100},
		{"lift_high_unadjusted",
		 open_high ? 0 : row->lift_high_unadjusted * 100},
	};

	return first_infinite(figures, sizeof figures / sizeof figures[0]);
}

tact_status tact_overflow_check_compare(tact_compare_result *result,
                                        tact_error *error)
{
	size_t r;

	for (r = 0; r < result->row_count; r++) {
		tact_compare_row *row = &result->rows[r];
		const char *name;

		if (row->verdict == TACT_VERDICT_SUPPRESSED)
			continue;
		blank_undefined_lift(row);
		name = compare_infinite(row);
		if (name)
			return overflows(&result->cells, name, row->metric, row->segment,
			                 row->arm, "rescale the column", error);
	}
	return TACT_OK;
}

tact_status tact_overflow_check_power(const tact_powerplan *plan,
                                      tact_error *error)
{
	size_t r;

	for (r = 0; r < plan->row_count; r++) {
		const tact_powerplan_row *row = &plan->rows[r];
		const figure figures[] = {
			{"baseline", row->baseline}, {"sd", row->sd},
			{"mde_absolute", row->mde_absolute},
			/* relative figures are shown in percent: times 100 */
			{"mde_relative", row->mde_relative * 100},
			{"target", row->target_relative * 100},
			{"target_absolute", row->target_absolute},
			{"needed_control", row->needed_control},
			{"needed_arm", row->needed_arm},
		};
		const char *name;

		if (row->suppressed)
			continue;
		name = first_infinite(figures, sizeof figures / sizeof figures[0]);
		if (name)
			return overflows(&plan->cells, name, row->metric, row->segment,
			                 row->arm,
			                 "rescale the column or give a larger --mde",
			                 error);
	}
	return TACT_OK;
}
