/*
 * compare_write.c - a comparison as CSV, as a terminal table, as JSON (see
 * compare.h).  The CSV's columns are the documented contract: one column
 * per segment dimension, then metric ... verdict, then margin and
 * noninferiority_p_value; blanks are empty fields.
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "summaryfile.h"
#include "table.h"

static const char *const csv_columns[] = {
	"metric", "direction", "control", "arm", "n_control", "n_arm",
	"mean_control", "control_low", "control_high", "mean_arm", "arm_low",
	"arm_high", "diff", "diff_low", "diff_high", "lift", "lift_low",
	"lift_high", "test", "p_value", "p_adjusted", "chance_to_beat",
	"expected_loss", "srm_p_value", "verdict", "margin",
	"noninferiority_p_value"};

static tact_status finish(FILE *out, tact_error *error)
{
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the comparison");
	return TACT_OK;
}

static void csv_number(FILE *out, double value)
{
	putc(',', out);
	tact_format_csv_number(out, value);
}

static void csv_count(FILE *out, int64_t value)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	putc(',', out);
	if (value >= 0)
		fputs(tact_format_count(buffer, value), out);
}

tact_status tact_compare_write_csv(const tact_compare_result *result,
                                   FILE *out, tact_error *error)
{
	const tact_summary *summary = result->summary;
	size_t d, i, r;

	for (d = 0; d < summary->dimensions; d++) {
		tact_format_csv_string(out, summary->dimension_names[d], ',');
		putc(',', out);
	}
	for (i = 0; i < sizeof csv_columns / sizeof csv_columns[0]; i++)
		fprintf(out, "%s%s", i ? "," : "", csv_columns[i]);
	putc('\n', out);
	for (r = 0; r < result->row_count; r++) {
		const tact_compare_row *row = &result->rows[r];
		const tact_compare_segment *seg = &result->segments[row->segment];
		const int blank = row->verdict == TACT_VERDICT_SUPPRESSED;

		for (d = 0; d < summary->dimensions; d++) {
			tact_format_csv_string(out, seg->labels[d], ',');
			putc(',', out);
		}
		tact_format_csv_string(out, summary->metrics[row->metric].name, ',');
		fputs(row->up ? ",up," : ",down,", out);
		tact_format_csv_string(out, result->arms[0], ',');
		putc(',', out);
		tact_format_csv_string(out, result->arms[row->arm], ',');
		csv_count(out, row->n_control);
		csv_count(out, row->n_arm);
		csv_number(out, row->mean_control);
		csv_number(out, row->control_low);
		csv_number(out, row->control_high);
		csv_number(out, row->mean_arm);
		csv_number(out, row->arm_low);
		csv_number(out, row->arm_high);
		csv_number(out, row->diff);
		csv_number(out, row->diff_low);
		csv_number(out, row->diff_high);
		csv_number(out, row->lift);
		csv_number(out, row->lift_low);
		csv_number(out, row->lift_high);
		fprintf(out, ",%s", tact_compare_test_name(row->test));
		csv_number(out, row->p_value);
		csv_number(out, row->p_adjusted);
		csv_number(out, row->chance_to_beat);
		csv_number(out, row->expected_loss);
		csv_number(out, blank ? NAN : row->srm_p_value);
		fprintf(out, ",%s", tact_compare_verdict_name(row->verdict));
		csv_number(out, row->margin);
		csv_number(out, row->noninferiority_p_value);
		putc('\n', out);
	}
	return finish(out, error);
}

/* ---- table ---------------------------------------------------------- */

/* "6.20% [5.21, 7.35]" for rates, "5.11 [4.30, 5.92]" for means. */
static void figure(char *out, size_t size, double value, double low,
                   double high, int percent)
{
	const double scale = percent ? 100.0 : 1.0;
	const int decimals = 2;
	char v[40], l[40], h[40];

	if (isnan(value)) {
		snprintf(out, size, "-");
		return;
	}
	tact_format_fixed(v, sizeof v, value * scale, decimals);
	if (isnan(low) || isnan(high)) {
		snprintf(out, size, "%s%s", v, percent ? "%" : "");
		return;
	}
	tact_format_fixed(l, sizeof l, low * scale, decimals);
	tact_format_fixed(h, sizeof h, high * scale, decimals);
	snprintf(out, size, "%s%s [%s, %s]", v, percent ? "%" : "", l, h);
}

static void signed_figure(char *out, size_t size, double value, double low,
                          double high, int percent, const char *unit)
{
	const double scale = percent ? 100.0 : 1.0;
	char v[40], l[40], h[40];

	if (isnan(value)) {
		snprintf(out, size, "-");
		return;
	}
	tact_format_fixed(v, sizeof v, value * scale, 2);
	if (isnan(low) || isnan(high)) {
		snprintf(out, size, "%s%s%s", value > 0 ? "+" : "", v, unit);
		return;
	}
	tact_format_fixed(l, sizeof l, low * scale, 2);
	tact_format_fixed(h, sizeof h, high * scale, 2);
	snprintf(out, size, "%s%s%s [%s, %s]", value > 0 ? "+" : "", v, unit, l, h);
}

static void p_text(char *out, size_t size, double p)
{
	if (isnan(p))
		snprintf(out, size, "-");
	else if (p < 0.0001)
		snprintf(out, size, "<0.0001");
	else
		snprintf(out, size, "%.4f", p);
}

static void segment_title(const tact_compare_result *result,
                          const tact_compare_segment *seg, FILE *out)
{
	const tact_summary *summary = result->summary;
	size_t d, a;

	if (summary->dimensions == 0 || seg->pooled)
		fputs("All units", out);
	for (d = 0; d < summary->dimensions && !seg->pooled; d++)
		fprintf(out, "%s%s = %s", d ? ", " : "", summary->dimension_names[d],
		        seg->labels[d][0] ? seg->labels[d] : "(empty)");
	fputs("  (units:", out);
	for (a = 0; a < result->arm_count; a++) {
		/* privacy: small counts, and their complements (compare.h). */
		if (seg->units[a] < result->min_cell && seg->units[a] > 0)
			fprintf(out, " %s <%lld", result->arms[a],
			        (long long)result->min_cell);
		else if (seg->units_suppressed[a])
			fprintf(out, " %s (hidden)", result->arms[a]);
		else
			fprintf(out, " %s %lld", result->arms[a], (long long)seg->units[a]);
		fputs(a + 1 < result->arm_count ? "," : "", out);
	}
	if (!isnan(seg->srm_p_value))
		fprintf(out, "; sample ratio p = %.4g%s", seg->srm_p_value,
		        seg->srm_flag ? " MISMATCH" : "");
	fputs(")\n", out);
}

tact_status tact_compare_write_table(const tact_compare_result *result,
                                     FILE *out, tact_error *error)
{
	static const char *const headers[] = {
		"metric", "arm", "control", "arm value", "difference", "lift",
		"p (adj.)", "P(better)", "verdict"};
	const tact_summary *summary = result->summary;
	size_t r = 0, s, m, tested = 0;

	for (r = 0; r < result->row_count; r++)
		if (!isnan(result->rows[r].p_value))
			tested++;
	r = 0;
	for (s = 0; s < result->segment_count; s++) {
		tact_table table;
		if (tact_table_init(&table, 9, headers) != 0)
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "out of memory");
		segment_title(result, &result->segments[s], out);
		for (; r < result->row_count && result->rows[r].segment == s; r++) {
			const tact_compare_row *row = &result->rows[r];
			char control[160], arm[160], diff[160], lift[160], p[16], chance[16];
			const char *verdict;
			const char *cells[9];
			int percent = row->rate;

			if (row->verdict == TACT_VERDICT_SUPPRESSED) {
				const tact_moments *x = tact_segments_metric(
					&result->cells, row->segment, row->arm, row->metric);
				const tact_moments *c = tact_segments_metric(
					&result->cells, row->segment, 0, row->metric);
				if (x->n < result->min_cell || c->n < result->min_cell)
					snprintf(control, sizeof control, "(fewer than %lld units)",
					         (long long)result->min_cell);
				else /* privacy: a complement (compare.h) */
					snprintf(control, sizeof control, "(hidden: protects a "
					         "small segment)");
				cells[0] = summary->metrics[row->metric].name;
				cells[1] = result->arms[row->arm];
				cells[2] = control;
				cells[3] = cells[4] = cells[5] = cells[6] = cells[7] = "";
				cells[8] = "suppressed";
				tact_table_add(&table, cells, 0);
				continue;
			}
			figure(control, sizeof control, row->mean_control, row->control_low,
			       row->control_high, percent);
			figure(arm, sizeof arm, row->mean_arm, row->arm_low, row->arm_high,
			       percent);
			signed_figure(diff, sizeof diff, row->diff, row->diff_low,
			              row->diff_high, percent, percent ? " pt" : "");
			signed_figure(lift, sizeof lift, row->lift, row->lift_low,
			              row->lift_high, 1, "%");
			p_text(p, sizeof p, row->p_adjusted);
			if (isnan(row->chance_to_beat))
				snprintf(chance, sizeof chance, "-");
			else
				snprintf(chance, sizeof chance, "%.1f%%",
				         100.0 * row->chance_to_beat);
			verdict = row->verdict == TACT_VERDICT_BETTER  ? "better \xE2\x96\xB2"
			          : row->verdict == TACT_VERDICT_WORSE ? "WORSE \xE2\x96\xBC"
			                                               : "inconclusive";
			cells[0] = summary->metrics[row->metric].name;
			cells[1] = result->arms[row->arm];
			cells[2] = control;
			cells[3] = arm;
			cells[4] = diff;
			cells[5] = lift;
			cells[6] = p;
			cells[7] = chance;
			cells[8] = verdict;
			tact_table_add(&table, cells, 0);
		}
		tact_table_align_right(&table, 6);
		tact_table_align_right(&table, 7);
		tact_table_print(&table, out);
		tact_table_release(&table);
		for (m = 0; m < summary->metric_count; m++) {
			const tact_compare_segment *seg = &result->segments[s];
			if (isnan(seg->independence_p_value[m]))
				continue;
			fprintf(out, "all %zu arms, %s: chi-square %.3f, df %.0f, p = %.4g\n",
			        result->arm_count, summary->metrics[m].name,
			        seg->independence_statistic[m], seg->independence_df[m],
			        seg->independence_p_value[m]);
		}
		putc('\n', out);
	}
	fprintf(out,
	        "Rates in %%, differences in percentage points (pt), intervals at "
	        "%g%%.\np adjusted by %s over the %zu tested rows; a verdict needs "
	        "p (adj.) < %g.\nP(better): posterior chance the arm beats the "
	        "control (lower is better for\nannoyance metrics).\n%zu rows "
	        "suppressed (fewer than %lld units, or hidden so that totals "
	        "cannot\ngive a small segment away); %lld rows left out for lack "
	        "of consent.\n",
	        100.0 * result->confidence,
	        result->correction == TACT_CORRECTION_HOLM ? "Holm"
	        : result->correction == TACT_CORRECTION_BH ? "Benjamini-Hochberg"
	                                                   : "no correction",
	        tested, 1 - result->confidence, result->suppressed,
	        (long long)result->min_cell,
	        (long long)summary->rows_excluded_consent);
	return finish(out, error);
}

/* ---- JSON ------------------------------------------------------------ */




tact_status tact_compare_write_json(const tact_compare_result *result,
                                    FILE *out, tact_error *error)
{
	const tact_summary *summary = result->summary;
	size_t a, d, m, s, r;
	int first = 1;

	putc('{', out);
	tact_format_json_number_field(out, "confidence", result->confidence, &first);
	tact_format_json_string_field(out, "correction",
	                  tact_corrections_name(result->correction), &first);
	tact_format_json_number_field(out, "min_cell", (double)result->min_cell, &first);
	tact_format_json_string_field(out, "control", result->arms[0], &first);
	tact_format_json_key(out, "arms", &first);
	putc('[', out);
	for (a = 0; a < result->arm_count; a++) {
		if (a)
			putc(',', out);
		tact_format_json_string(out, result->arms[a]);
	}
	fputs("]", out);
	tact_format_json_key(out, "planned_split", &first);
	putc('[', out);
	for (a = 0; a < result->arm_count; a++) {
		if (a)
			putc(',', out);
		tact_format_json_number(out, result->split[a]);
	}
	putc(']', out);
	tact_format_json_key(out, "data", &first);
	{
		int f = 1;
		putc('{', out);
		tact_format_json_number_field(out, "rows_read", (double)summary->rows_read, &f);
		tact_format_json_number_field(out, "rows_rejected", (double)summary->rows_rejected, &f);
		tact_format_json_number_field(out, "rows_excluded_consent",
		                  (double)summary->rows_excluded_consent, &f);
		tact_format_json_number_field(out, "rows_suppressed", (double)result->suppressed, &f);
		tact_summaryfile_write_caps_json(out, summary, &f); /* cap.h */
		putc('}', out);
	}
	tact_format_json_key(out, "segments", &first);
	putc('[', out);
	for (s = 0; s < result->segment_count; s++) {
		const tact_compare_segment *seg = &result->segments[s];
		int f = 1;
		if (s)
			putc(',', out);
		putc('{', out);
		tact_format_json_key(out, "labels", &f);
		{
			int g = 1;
			putc('{', out);
			for (d = 0; d < summary->dimensions; d++)
				tact_format_json_string_field(out, summary->dimension_names[d],
				                  seg->labels[d], &g);
			putc('}', out);
		}
		tact_format_json_key(out, "pooled", &f);
		fputs(seg->pooled ? "true" : "false", out);
		tact_format_json_key(out, "units", &f);
		{
			int g = 1;
			putc('{', out);
			for (a = 0; a < result->arm_count; a++)
				tact_format_json_number_field(out, result->arms[a],
				                  seg->units_suppressed[a]
				                          ? NAN
				                          : (double)seg->units[a],
				                  &g);
			putc('}', out);
		}
		tact_format_json_key(out, "sample_ratio", &f);
		{
			int g = 1;
			putc('{', out);
			tact_format_json_number_field(out, "statistic", seg->srm_statistic, &g);
			tact_format_json_number_field(out, "df", seg->srm_df, &g);
			tact_format_json_number_field(out, "p_value", seg->srm_p_value, &g);
			tact_format_json_key(out, "mismatch", &g);
			fputs(seg->srm_flag ? "true" : "false", out);
			putc('}', out);
		}
		tact_format_json_key(out, "independence", &f);
		{
			int g = 1;
			putc('{', out);
			for (m = 0; m < summary->metric_count; m++) {
				int h = 1;
				if (isnan(seg->independence_p_value[m]))
					continue;
				tact_format_json_key(out, summary->metrics[m].name, &g);
				putc('{', out);
				tact_format_json_number_field(out, "statistic",
				                  seg->independence_statistic[m], &h);
				tact_format_json_number_field(out, "df", seg->independence_df[m], &h);
				tact_format_json_number_field(out, "p_value",
				                  seg->independence_p_value[m], &h);
				putc('}', out);
			}
			putc('}', out);
		}
		putc('}', out);
	}
	putc(']', out);
	tact_format_json_key(out, "rows", &first);
	putc('[', out);
	for (r = 0; r < result->row_count; r++) {
		const tact_compare_row *row = &result->rows[r];
		const tact_compare_segment *seg = &result->segments[row->segment];
		const int blank = row->verdict == TACT_VERDICT_SUPPRESSED;
		int f = 1;

		if (r)
			putc(',', out);
		putc('\n', out);
		putc('{', out);
		for (d = 0; d < summary->dimensions; d++)
			tact_format_json_string_field(out, summary->dimension_names[d], seg->labels[d],
			                  &f);
		tact_format_json_string_field(out, "metric", summary->metrics[row->metric].name, &f);
		tact_format_json_string_field(out, "direction", row->up ? "up" : "down", &f);
		tact_format_json_string_field(out, "kind", row->rate ? "rate" : "mean", &f);
		tact_format_json_string_field(out, "control", result->arms[0], &f);
		tact_format_json_string_field(out, "arm", result->arms[row->arm], &f);
		tact_format_json_number_field(out, "n_control",
		                  row->n_control < 0 ? NAN : (double)row->n_control, &f);
		tact_format_json_number_field(out, "n_arm",
		                  row->n_arm < 0 ? NAN : (double)row->n_arm, &f);
		tact_format_json_number_field(out, "mean_control", row->mean_control, &f);
		tact_format_json_number_field(out, "control_low", row->control_low, &f);
		tact_format_json_number_field(out, "control_high", row->control_high, &f);
		tact_format_json_number_field(out, "mean_arm", row->mean_arm, &f);
		tact_format_json_number_field(out, "arm_low", row->arm_low, &f);
		tact_format_json_number_field(out, "arm_high", row->arm_high, &f);
		tact_format_json_number_field(out, "diff", row->diff, &f);
		tact_format_json_number_field(out, "diff_low", row->diff_low, &f);
		tact_format_json_number_field(out, "diff_high", row->diff_high, &f);
		tact_format_json_number_field(out, "lift", row->lift, &f);
		tact_format_json_number_field(out, "lift_low", row->lift_low, &f);
		tact_format_json_number_field(out, "lift_high", row->lift_high, &f);
		tact_format_json_string_field(out, "test", tact_compare_test_name(row->test), &f);
		tact_format_json_number_field(out, "statistic", row->statistic, &f);
		tact_format_json_number_field(out, "p_value", row->p_value, &f);
		tact_format_json_number_field(out, "p_adjusted", row->p_adjusted, &f);
		tact_format_json_number_field(out, "chance_to_beat", row->chance_to_beat, &f);
		tact_format_json_number_field(out, "expected_loss", row->expected_loss, &f);
		tact_format_json_number_field(out, "srm_p_value", blank ? NAN : row->srm_p_value, &f);
		tact_format_json_string_field(out, "verdict", tact_compare_verdict_name(row->verdict),
		                  &f);
		tact_format_json_number_field(out, "margin", row->margin, &f);
		tact_format_json_number_field(out, "noninferiority_p_value",
		                  row->noninferiority_p_value, &f);
		putc('}', out);
	}
	fputs("]}\n", out);
	return finish(out, error);
}
