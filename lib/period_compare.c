/*
 * period_compare.c - each period's and the cumulative comparison (see
 * period_compare.h), and their CSV, table and JSON.
 */
#include "period_compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "privacy.h"
#include "segments.h"
#include "table.h"

/* Compare one summary; *done says whether it could be (a period without
 * the control or any other arm cannot, and is skipped, not an error). */
static tact_status compare_one(const tact_summary *summary,
                               const tact_compare_options *options,
                               tact_compare_result *result, int *done,
                               tact_error *error)
{
	tact_status status;

	*done = 0;
	status = tact_compare_run(summary, options, result, error);
	if (status == TACT_DATA) {
		tact_error_init(error);
		return TACT_OK;
	}
	*done = status == TACT_OK;
	return status;
}

/* The rows of segments left out (privacy) are dropped. */
static void drop_left_out(tact_compare_result *result,
                          const tact_privacy_blocks *blocks)
{
	size_t r, kept = 0;

	for (r = 0; r < result->row_count; r++) {
		const tact_compare_segment *seg =
			&result->segments[result->rows[r].segment];
		if (!seg->pooled && !tact_privacy_blocks_shows(blocks, seg->labels)) {
			result->suppressed -=
				result->rows[r].verdict == TACT_VERDICT_SUPPRESSED;
			continue;
		}
		result->rows[kept++] = result->rows[r];
	}
	result->row_count = kept;
}

/* A block's label: its period's, or "first..last". */
static void block_label(tact_period_step *step, const tact_periods *ps,
                        size_t first, size_t last)
{
	if (first == last)
		snprintf(step->block_label, sizeof step->block_label, "%s",
		         ps->periods[first]->label);
	else
		snprintf(step->block_label, sizeof step->block_label, "%s..%s",
		         ps->periods[first]->label, ps->periods[last]->label);
	step->label = step->block_label;
}

/* Block b (periods first..last): its own comparison and the cumulative one
 * up to its end, each with the rows of left-out segments dropped. */
static tact_status compare_block(tact_period_comparison *comparison, size_t b,
                                 size_t first, size_t last,
                                 const tact_compare_options *options,
                                 const tact_privacy_blocks *blocks,
                                 tact_error *error)
{
	tact_period_step *step = &comparison->steps[b];
	tact_status status;

	block_label(step, comparison->summary->periods, first, last);
	tact_summary_init(&step->cumulative_summary);
	if ((status = tact_periods_range(comparison->summary, first, last,
	                                 &step->block_summary, error)) == TACT_OK)
		status = compare_one(&step->block_summary, options, &step->period,
		                     &step->has_period, error);
	if (status == TACT_OK)
		status = tact_periods_cumulative(comparison->summary, last,
		                                 &step->cumulative_summary, error);
	if (status == TACT_OK)
		status = compare_one(&step->cumulative_summary, options,
		                     &step->cumulative, &step->has_cumulative, error);
	if (step->has_period)
		drop_left_out(&step->period, blocks);
	if (step->has_cumulative)
		drop_left_out(&step->cumulative, blocks);
	comparison->skipped += !step->has_period + !step->has_cumulative;
	return status;
}

/* The blocks and the segments printed (privacy.h, "periods"), from the
 * cells of the comparison of every unit. */
static tact_status decide_blocks(const tact_summary *summary,
                                 const tact_segments *cells,
                                 const tact_compare_options *options,
                                 tact_privacy_blocks *blocks,
                                 tact_error *error)
{
	const tact_periods *ps = summary->periods;
	const tact_summary **periods = calloc(ps->count + 1, sizeof *periods);
	tact_status status;
	size_t i;

	if (!periods)
		return tact_error_oom(error);
	for (i = 0; i < ps->count; i++)
		periods[i] = &ps->periods[i]->summary;
	status = tact_privacy_decide_periods(cells, periods, ps->count,
	                                     options->min_cell, options->privacy,
	                                     blocks, error);
	free(periods);
	return status;
}

tact_status tact_period_compare(tact_summary *summary,
                                const tact_compare_options *options,
                                tact_period_comparison *comparison,
                                tact_error *error)
{
	tact_compare_options block_options = *options;
	tact_privacy_blocks blocks;
	tact_compare_result whole;
	tact_status status;
	size_t b;

	memset(comparison, 0, sizeof *comparison);
	memset(&blocks, 0, sizeof blocks);
	comparison->summary = summary;
	if (!summary->periods)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--by-period needs periods: give --time COL "
		                      "(the column of each row's date)");
	tact_periods_sort(summary); /* time order; the parent's control */
	/* Every unit first: when they cannot be compared, nothing can, and
	 * tact_compare_run says why. */
	if ((status = tact_compare_run(summary, options, &whole, error)))
		return status;
	status = decide_blocks(summary, &whole.cells, options, &blocks, error);
	tact_compare_result_release(&whole);
	if (status != TACT_OK)
		return status;
	/* Blocks print only counts of 0 or min_cell and more: nothing of
	 * theirs is hidden, and their own decision is not asked (it would hide
	 * complements that other blocks print).  One block is the comparison
	 * of every unit, with its own. */
	if (!blocks.whole && block_options.min_cell > 1)
		block_options.min_cell = 1;
	comparison->periods = summary->periods->count;
	comparison->segments_left_out = blocks.segments_left_out;
	comparison->steps = calloc(blocks.count + 1, sizeof *comparison->steps);
	if (!comparison->steps) {
		tact_privacy_blocks_release(&blocks);
		return tact_error_oom(error);
	}
	comparison->count = blocks.count;
	for (b = 0; b < blocks.count && status == TACT_OK; b++)
		status = compare_block(comparison, b,
		                       b ? blocks.last[b - 1] + 1 : 0, blocks.last[b],
		                       &block_options, &blocks, error);
	tact_privacy_blocks_release(&blocks);
	if (status == TACT_OK &&
	    (comparison->count == 0 ||
	     !comparison->steps[comparison->count - 1].has_cumulative))
		status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                        "no period to compare");
	if (status != TACT_OK)
		tact_period_comparison_release(comparison);
	return status;
}

void tact_period_comparison_release(tact_period_comparison *comparison)
{
	size_t i;

	for (i = 0; comparison->steps && i < comparison->count; i++) {
		tact_period_step *step = &comparison->steps[i];
		if (step->has_period)
			tact_compare_result_release(&step->period);
		if (step->has_cumulative)
			tact_compare_result_release(&step->cumulative);
		tact_summary_release(&step->cumulative_summary);
		tact_summary_release(&step->block_summary);
	}
	free(comparison->steps);
	memset(comparison, 0, sizeof *comparison);
}

/* ---- writing ---------------------------------------------------------- */

static tact_status finish(FILE *out, tact_error *error)
{
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the comparison by period");
	return TACT_OK;
}

/* Calls write for each computed result in order: per period, its own
 * rows, then the cumulative ones. */
typedef void (*result_writer)(const char *label, const char *scope,
                              const tact_compare_result *result,
                              const tact_compare_row *row, void *context);

static void each_row(const tact_period_comparison *comparison,
                     result_writer write, void *context)
{
	size_t i, r;

	for (i = 0; i < comparison->count; i++) {
		const tact_period_step *step = &comparison->steps[i];
		for (r = 0; step->has_period && r < step->period.row_count; r++)
			write(step->label, "period", &step->period,
			      &step->period.rows[r], context);
		for (r = 0; step->has_cumulative && r < step->cumulative.row_count;
		     r++)
			write(step->label, "cumulative", &step->cumulative,
			      &step->cumulative.rows[r], context);
	}
}

/* A row: its period and scope, then tact-compare's own fields. */
static void csv_row(const char *label, const char *scope,
                    const tact_compare_result *result,
                    const tact_compare_row *row, void *context)
{
	tact_format_csv_row csv;

	tact_format_csv_row_begin(&csv, context);
	tact_format_csv_row_text(&csv, label);
	tact_format_csv_row_text(&csv, scope);
	tact_compare_write_csv_fields(result, row, &csv);
	tact_format_csv_row_end(&csv);
}

tact_status tact_period_write_csv(const tact_period_comparison *comparison,
                                  FILE *out, tact_error *error)
{
	tact_format_csv_row header;

	tact_format_csv_row_begin(&header, out);
	tact_format_csv_row_text(&header, "period");
	tact_format_csv_row_text(&header, "scope");
	tact_compare_write_csv_header_fields(
		&comparison->steps[comparison->count - 1].cumulative, &header);
	tact_format_csv_row_end(&header);
	each_row(comparison, csv_row, out);
	return finish(out, error);
}

/* The row's segment as one text: its labels joined by " / ". */
static void segment_text(const tact_compare_result *result,
                         const tact_compare_row *row, char *out, size_t size)
{
	const tact_summary *summary = result->summary;
	size_t d, used = 0;

	out[0] = '\0';
	for (d = 0; d < summary->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s", d ? " / " : "",
		                 result->segments[row->segment].labels[d]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	if (summary->dimensions == 0)
		snprintf(out, size, "%s", TACT_SUMMARY_POOLED);
}

typedef struct table_context {
	tact_table table;
	const char *last_label;
	int failed;
} table_context;

static void table_row(const char *label, const char *scope,
                      const tact_compare_result *result,
                      const tact_compare_row *row, void *context)
{
	table_context *t = context;
	char segment[512], diff[160], n[TACT_FORMAT_NUMBER_MAX];
	const char *cells[8];
	int block = !t->last_label || strcmp(t->last_label, label) != 0;

	segment_text(result, row, segment, sizeof segment);
	tact_format_interval_text(diff, sizeof diff, row->diff, row->diff_low,
	                          row->diff_high, row->rate);
	cells[0] = label;
	cells[1] = scope;
	cells[2] = segment;
	cells[3] = result->summary->metrics[row->metric].name;
	cells[4] = result->arms[row->arm];
	cells[5] = row->n_arm < 0 ? "-" : tact_format_count(n, row->n_arm);
	cells[6] = diff;
	cells[7] = tact_compare_verdict_name(row->verdict);
	t->failed |= tact_table_add(&t->table, cells, block) != 0;
	t->last_label = label;
}

tact_status tact_period_write_table(const tact_period_comparison *comparison,
                                    FILE *out, tact_error *error)
{
	static const char *const headers[] = {
		"period", "scope", "segment", "metric", "arm", "n arm",
		"difference [interval]", "verdict"};
	table_context t;

	memset(&t, 0, sizeof t);
	if (tact_table_init(&t.table, 8, headers) != 0)
		return tact_error_oom(error);
	tact_table_align_right(&t.table, 5);
	each_row(comparison, table_row, &t);
	if (t.failed) {
		tact_table_release(&t.table);
		return tact_error_oom(error);
	}
	tact_table_print(&t.table, out);
	tact_table_release(&t.table);
	fprintf(out, "\nEach period and each cumulative step "
	        "is adjusted within its own\nfamilies; the cumulative rows are "
	        "for watching, not for a decision (tact-compare(1)).\n");
	if (comparison->count < comparison->periods ||
	    comparison->segments_left_out)
		fprintf(out, "For privacy %zu periods are shown in %zu block%s "
		        "and %zu segments have no rows\n(tact-compare(1), "
		        "PRIVACY BY PERIOD).\n", comparison->periods,
		        comparison->count, comparison->count == 1 ? "" : "s",
		        comparison->segments_left_out);
	return finish(out, error);
}

static void json_row(const char *label, const char *scope,
                     const tact_compare_result *result,
                     const tact_compare_row *row, void *context)
{
	FILE *out = ((void **)context)[0];
	int *count = ((void **)context)[1];
	int f = 1;

	fputs((*count)++ ? ",\n{" : "\n{", out);
	tact_format_json_string_field(out, "period", label, &f);
	tact_format_json_string_field(out, "scope", scope, &f);
	tact_compare_write_json_fields(result, row, out, &f);
	putc('}', out);
}

tact_status tact_period_write_json(const tact_period_comparison *comparison,
                                   FILE *out, tact_error *error)
{
	const tact_periods *ps = comparison->summary->periods;
	int count = 0, first = 1;
	void *context[2];
	size_t i;

	context[0] = out;
	context[1] = &count;
	putc('{', out);
	tact_format_json_string_field(out, "time", ps->time_name, &first);
	tact_format_json_string_field(out, "period",
	                              tact_period_kind_name(ps->kind), &first);
	tact_format_json_key(out, "periods", &first);
	putc('[', out);
	for (i = 0; i < comparison->count; i++) {
		if (i)
			putc(',', out);
		tact_format_json_string(out, comparison->steps[i].label);
	}
	putc(']', out);
	tact_format_json_key(out, "rows", &first);
	putc('[', out);
	each_row(comparison, json_row, context);
	fputs("]}\n", out);
	return finish(out, error);
}
