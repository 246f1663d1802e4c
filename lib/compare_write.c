/*
 * compare_write.c - a comparison as CSV, as a terminal table, as JSON (see
 * compare.h).  The CSV's columns are the documented contract: one column
 * per segment dimension, then metric ... verdict, margin and
 * noninferiority_p_value, then (added later, so at the end) family ...
 * lift_high_unadjusted; blanks are empty fields, and so is the infinite end
 * of a one-sided interval.
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
	"noninferiority_p_value", "family", "alternative", "interval_level",
	"lift_note", "diff_low_unadjusted", "diff_high_unadjusted",
	"lift_low_unadjusted", "lift_high_unadjusted"};

static tact_status finish(FILE *out, tact_error *error)
{
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the comparison");
	return TACT_OK;
}

/* Names as CSV text fields (the char ** of the results). */
static void csv_texts(tact_format_csv_row *row, char *const *texts,
                      size_t count)
{
	tact_format_csv_row_texts(row, (const char *const *)texts, count);
}

/* The covariate adjusting a row's metric, or NULL. */
static const char *covariate_name(const tact_summary *summary,
                                  const tact_compare_row *row)
{
	size_t k = summary->covariate_of[row->metric];

	return k == TACT_NO_COLUMN ? NULL : summary->metrics[k].name;
}

/* One row's fields; an infinite value (the open end of a one-sided
 * interval) is blank. */
void tact_compare_write_csv_fields(const tact_compare_result *result,
                                   const tact_compare_row *row,
                                   tact_format_csv_row *fields)
{
	const tact_summary *summary = result->summary;
	const int blank = row->verdict == TACT_VERDICT_SUPPRESSED;
	tact_format_csv_row csv = *fields;

	csv_texts(&csv, result->segments[row->segment].labels,
	          summary->dimensions);
	tact_format_csv_row_text(&csv, summary->metrics[row->metric].name);
	tact_format_csv_row_text(&csv, row->up ? "up" : "down");
	tact_format_csv_row_text(&csv, result->arms[0]);
	tact_format_csv_row_text(&csv, result->arms[row->arm]);
	tact_format_csv_row_count(&csv, row->n_control);
	tact_format_csv_row_count(&csv, row->n_arm);
	tact_format_csv_row_finite(&csv, row->mean_control);
	tact_format_csv_row_finite(&csv, row->control_low);
	tact_format_csv_row_finite(&csv, row->control_high);
	tact_format_csv_row_finite(&csv, row->mean_arm);
	tact_format_csv_row_finite(&csv, row->arm_low);
	tact_format_csv_row_finite(&csv, row->arm_high);
	tact_format_csv_row_finite(&csv, row->diff);
	tact_format_csv_row_finite(&csv, row->diff_low);
	tact_format_csv_row_finite(&csv, row->diff_high);
	tact_format_csv_row_finite(&csv, row->lift);
	tact_format_csv_row_finite(&csv, row->lift_low);
	tact_format_csv_row_finite(&csv, row->lift_high);
	tact_format_csv_row_text(&csv, tact_compare_test_name(row->test));
	tact_format_csv_row_finite(&csv, row->p_value);
	tact_format_csv_row_finite(&csv, row->p_adjusted);
	tact_format_csv_row_finite(&csv, row->chance_to_beat);
	tact_format_csv_row_finite(&csv, row->expected_loss);
	tact_format_csv_row_finite(&csv, blank ? NAN : row->srm_p_value);
	tact_format_csv_row_text(&csv, tact_compare_verdict_name(row->verdict));
	tact_format_csv_row_finite(&csv, row->margin);
	tact_format_csv_row_finite(&csv, row->noninferiority_p_value);
	tact_format_csv_row_text(&csv, tact_compare_family_name(row->family));
	tact_format_csv_row_text(&csv,
	                         tact_compare_alternative_name(row->alternative));
	tact_format_csv_row_finite(&csv, row->interval_level);
	tact_format_csv_row_text(&csv, blank ? NULL : row->lift_note);
	tact_format_csv_row_finite(&csv, row->diff_low_unadjusted);
	tact_format_csv_row_finite(&csv, row->diff_high_unadjusted);
	tact_format_csv_row_finite(&csv, row->lift_low_unadjusted);
	tact_format_csv_row_finite(&csv, row->lift_high_unadjusted);
	if (tact_summary_has_covariates(summary)) { /* CUPED (cuped.h) */
		tact_format_csv_row_text(&csv, covariate_name(summary, row));
		tact_format_csv_row_finite(&csv, row->theta);
		tact_format_csv_row_finite(&csv, row->variance_reduction);
	}
	*fields = csv;
}

static void csv_row(const tact_compare_result *result,
                    const tact_compare_row *row, FILE *out)
{
	tact_format_csv_row csv;

	tact_format_csv_row_begin(&csv, out);
	tact_compare_write_csv_fields(result, row, &csv);
	tact_format_csv_row_end(&csv);
}

void tact_compare_write_csv_header_fields(const tact_compare_result *result,
                                          tact_format_csv_row *header)
{
	const tact_summary *summary = result->summary;

	csv_texts(header, summary->dimension_names, summary->dimensions);
	tact_format_csv_row_texts(header, csv_columns,
	                          sizeof csv_columns / sizeof csv_columns[0]);
	if (tact_summary_has_covariates(summary)) { /* only then: CUPED */
		tact_format_csv_row_text(header, "covariate");
		tact_format_csv_row_text(header, "theta");
		tact_format_csv_row_text(header, "variance_reduction");
	}
}

tact_status tact_compare_write_csv(const tact_compare_result *result,
                                   FILE *out, tact_error *error)
{
	tact_format_csv_row header;
	size_t r;

	tact_format_csv_row_begin(&header, out);
	tact_compare_write_csv_header_fields(result, &header);
	tact_format_csv_row_end(&header);
	for (r = 0; r < result->row_count; r++)
		csv_row(result, &result->rows[r], out);
	return finish(out, error);
}

/* ---- table ---------------------------------------------------------- */

/* An interval end: "+inf" / "-inf" for the open end of a one-sided one. */
static void bound(char *out, size_t size, double value, double scale)
{
	if (isinf(value))
		snprintf(out, size, "%s", value > 0 ? "+inf" : "-inf");
	else
		tact_format_fixed(out, size, value * scale, 2);
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
	bound(l, sizeof l, low, scale);
	bound(h, sizeof h, high, scale);
	snprintf(out, size, "%s%s%s [%s, %s]", value > 0 ? "+" : "", v, unit, l, h);
}

/* The lift notes the table explains in numbered footnotes. */
enum { NOTE_COUNT = 4 };
static const char *const notes[NOTE_COUNT] = {
	"no event in the control", "control mean is 0",
	"control mean not distinguishable from 0 at this level",
	"relative to |control mean| (negative)"};

static size_t note_index(const char *note)
{
	size_t k;

	for (k = 0; note && k < NOTE_COUNT; k++)
		if (strcmp(note, notes[k]) == 0)
			return k;
	return NOTE_COUNT;
}

/* "99.17%", "> 97.50%" (one-sided: arm above), "< 97.50%". */
static void level_text(char *out, size_t size, double level,
                       tact_compare_alternative alternative)
{
	char number[40];

	tact_format_fixed(number, sizeof number, 100 * level, 2);
	snprintf(out, size, "%s%s%%",
	         alternative == TACT_ALTERNATIVE_GREATER ? "> "
	         : alternative == TACT_ALTERNATIVE_LESS  ? "< " : "", number);
}

static void segment_title(const tact_compare_result *result,
                          const tact_compare_segment *seg, FILE *out)
{
	const tact_summary *summary = result->summary;
	char t[2][TACT_FORMAT_TEXT_MAX]; /* labels, sanitized (format.h) */
	size_t d, a;

	if (summary->dimensions == 0 || seg->pooled)
		fputs("All units", out);
	for (d = 0; d < summary->dimensions && !seg->pooled; d++)
		fprintf(out, "%s%s = %s", d ? ", " : "",
		        tact_format_terminal_text(t[0], sizeof t[0],
		                                  summary->dimension_names[d]),
		        seg->labels[d][0] ? tact_format_terminal_text(
		                                    t[1], sizeof t[1], seg->labels[d])
		                          : "(empty)");
	fputs("  (units:", out);
	for (a = 0; a < result->arm_count; a++) {
		const char *arm = tact_format_terminal_text(t[0], sizeof t[0],
		                                            result->arms[a]);
		/* privacy: small counts, and their complements (compare.h). */
		if (seg->units[a] < result->min_cell && seg->units[a] > 0)
			fprintf(out, " %s <%lld", arm, (long long)result->min_cell);
		else if (seg->units_suppressed[a])
			fprintf(out, " %s (hidden)", arm);
		else
			fprintf(out, " %s %lld", arm, (long long)seg->units[a]);
		fputs(a + 1 < result->arm_count ? "," : "", out);
	}
	if (!isnan(seg->srm_p_value)) {
		char p[TACT_FORMAT_NUMBER_MAX];
		char shown[TACT_FORMAT_NUMBER_MAX + 4];
		/* A p-value that underflows (0) is "< 1e-300", never "p = 0". */
		if (seg->srm_p_value <= 0)
			snprintf(shown, sizeof shown, "< 1e-300");
		else
			snprintf(shown, sizeof shown, "= %s",
			         tact_format_significant(p, sizeof p, seg->srm_p_value, 4));
		fprintf(out, "; sample ratio p %s%s", shown,
		        seg->srm_flag ? " MISMATCH" : "");
	}
	fputs(")\n", out);
}

enum { TABLE_COLUMNS = 11 };

/* The cells of a suppressed row: why, in the control column. */
static void suppressed_cells(const tact_compare_result *result,
                             const tact_compare_row *row, char *why,
                             size_t size, const char *cells[TABLE_COLUMNS])
{
	const tact_moments *x = tact_segments_metric(&result->cells, row->segment,
	                                             row->arm, row->metric);
	const tact_moments *c = tact_segments_metric(&result->cells, row->segment,
	                                             0, row->metric);
	size_t k;

	if (x->n < result->min_cell || c->n < result->min_cell)
		snprintf(why, size, "(fewer than %lld units)",
		         (long long)result->min_cell);
	else /* privacy: a complement (compare.h) */
		snprintf(why, size, "(hidden: protects a small segment)");
	cells[0] = result->summary->metrics[row->metric].name;
	cells[1] = result->arms[row->arm];
	cells[2] = why;
	for (k = 3; k + 1 < TABLE_COLUMNS; k++)
		cells[k] = "";
	cells[TABLE_COLUMNS - 1] = "suppressed";
}

/* The texts of a shown row's cells. */
typedef struct row_texts {
	char control[160], arm[160], diff[160], lift[180], p[16], q[16];
	char chance[16], level[48];
} row_texts;

/* The cells of a shown row, in t; sets used[k] for its lift note. */
static void row_cells(const tact_compare_result *result,
                      const tact_compare_row *row, row_texts *t,
                      const char *cells[TABLE_COLUMNS], int used[NOTE_COUNT])
{
	const int percent = row->rate;
	size_t k;

	tact_format_interval_text(t->control, sizeof t->control,
	                          row->mean_control, row->control_low,
	                          row->control_high, percent);
	tact_format_interval_text(t->arm, sizeof t->arm, row->mean_arm,
	                          row->arm_low, row->arm_high, percent);
	signed_figure(t->diff, sizeof t->diff, row->diff, row->diff_low,
	              row->diff_high, percent, percent ? " pt" : "");
	signed_figure(t->lift, sizeof t->lift, row->lift, row->lift_low,
	              row->lift_high, 1, "%");
	if ((k = note_index(row->lift_note)) < NOTE_COUNT) {
		size_t length = strlen(t->lift);
		snprintf(t->lift + length, sizeof t->lift - length, " (%zu)", k + 1);
		used[k] = 1;
	}
	if (isnan(row->interval_level))
		snprintf(t->level, sizeof t->level, "-");
	else
		level_text(t->level, sizeof t->level, row->interval_level,
		           row->alternative);
	tact_format_p_text(t->p, sizeof t->p, row->p_value);
	tact_format_p_text(t->q, sizeof t->q, row->p_adjusted);
	if (isnan(row->chance_to_beat)) {
		snprintf(t->chance, sizeof t->chance, "-");
	} else {
		char number[TACT_FORMAT_NUMBER_MAX];
		snprintf(t->chance, sizeof t->chance, "%s%%",
		         tact_format_fixed(number, sizeof number,
		                           100.0 * row->chance_to_beat, 1));
	}
	cells[0] = result->summary->metrics[row->metric].name;
	cells[1] = result->arms[row->arm];
	cells[2] = t->control;
	cells[3] = t->arm;
	cells[4] = t->diff;
	cells[5] = t->lift;
	cells[6] = t->level;
	cells[7] = t->p;
	cells[8] = t->q;
	cells[9] = t->chance;
	cells[10] = row->verdict == TACT_VERDICT_BETTER  ? "better \xE2\x96\xB2"
	            : row->verdict == TACT_VERDICT_WORSE ? "WORSE \xE2\x96\xBC"
	                                                 : "inconclusive";
}

/* CUPED: what the covariate bought on each tested row of rows
 * [first, end). */
static void cuped_lines(const tact_compare_result *result, size_t first,
                        size_t end, FILE *out)
{
	const tact_summary *summary = result->summary;
	size_t r;

	for (r = first; r < end; r++) {
		const tact_compare_row *row = &result->rows[r];
		char name[TACT_FORMAT_TEXT_MAX], covariate[TACT_FORMAT_TEXT_MAX];
		char arm[TACT_FORMAT_TEXT_MAX], reduction[40];
		char theta[TACT_FORMAT_NUMBER_MAX];
		if (!row->cuped || isnan(row->variance_reduction))
			continue;
		fprintf(out, "%s, %s: adjusted by %s (theta %s), variance of the "
		        "difference %s%%\n",
		        tact_format_terminal_text(name, sizeof name,
		                                  summary->metrics[row->metric].name),
		        tact_format_terminal_text(arm, sizeof arm,
		                                  result->arms[row->arm]),
		        tact_format_terminal_text(covariate, sizeof covariate,
		                                  covariate_name(summary, row)),
		        tact_format_significant(theta, sizeof theta, row->theta, 4),
		        tact_format_fixed(reduction, sizeof reduction,
		                          -100.0 * row->variance_reduction, 1));
	}
}

/* The chi-square test of independence of all arms, per metric. */
static void independence_lines(const tact_compare_result *result,
                               const tact_compare_segment *seg, FILE *out)
{
	const tact_summary *summary = result->summary;
	size_t m;

	for (m = 0; m < summary->metric_count; m++) {
		char name[TACT_FORMAT_TEXT_MAX], statistic[40], df[40];
		char p[TACT_FORMAT_NUMBER_MAX];
		if (isnan(seg->independence_p_value[m]))
			continue;
		fprintf(out, "all %zu arms, %s: chi-square %s, df %s, p = %s\n",
		        result->arm_count,
		        tact_format_terminal_text(name, sizeof name,
		                                  summary->metrics[m].name),
		        tact_format_fixed(statistic, sizeof statistic,
		                          seg->independence_statistic[m], 3),
		        tact_format_fixed(df, sizeof df, seg->independence_df[m], 0),
		        tact_format_significant(p, sizeof p,
		                                seg->independence_p_value[m], 4));
	}
}

/* Segment s's table from row *r on (its rows are consecutive), then its
 * independence tests; *r ends past them. */
static tact_status segment_table(const tact_compare_result *result, size_t s,
                                 size_t *r, int used[NOTE_COUNT], FILE *out,
                                 tact_error *error)
{
	static const char *const headers[TABLE_COLUMNS] = {
		"metric", "arm", "control", "arm value", "difference", "lift",
		"level", "p", "p (adj.)", "P(better)", "verdict"};
	tact_table table;
	size_t k, first = *r;

	if (tact_table_init(&table, TABLE_COLUMNS, headers) != 0)
		return tact_error_oom(error);
	segment_title(result, &result->segments[s], out);
	for (; *r < result->row_count && result->rows[*r].segment == s; ++*r) {
		const tact_compare_row *row = &result->rows[*r];
		const char *cells[TABLE_COLUMNS];
		row_texts t;

		if (row->verdict == TACT_VERDICT_SUPPRESSED)
			suppressed_cells(result, row, t.control, sizeof t.control, cells);
		else
			row_cells(result, row, &t, cells, used);
		tact_table_add(&table, cells, 0);
	}
	for (k = 6; k < 10; k++)
		tact_table_align_right(&table, k);
	tact_table_print(&table, out);
	tact_table_release(&table);
	cuped_lines(result, first, *r, out);
	independence_lines(result, &result->segments[s], out);
	putc('\n', out);
	return TACT_OK;
}

/* What the tables' figures mean, and what was left out. */
static void table_footer(const tact_compare_result *result,
                         const int used[NOTE_COUNT], FILE *out)
{
	size_t r, k, tested[2] = {0, 0}, one_sided = 0;
	char level[TACT_FORMAT_NUMBER_MAX], alpha[TACT_FORMAT_NUMBER_MAX];

	for (r = 0; r < result->row_count; r++) {
		if (!isnan(result->rows[r].p_value))
			tested[result->rows[r].family]++;
		if (result->rows[r].verdict != TACT_VERDICT_SUPPRESSED &&
		    result->rows[r].alternative != TACT_ALTERNATIVE_TWO_SIDED)
			one_sided++;
	}
	fprintf(out,
	        "Rates in %%, differences in percentage points (pt); group "
	        "intervals at %s%%.\nDifference and lift intervals at the row's "
	        "level: that of its adjusted test, so\nthey exclude 0 exactly when "
	        "the verdict is better or worse.\np adjusted by %s within two "
	        "families: the %zu tested pooled rows, the\n%zu tested segment "
	        "rows; a verdict needs p (adj.) < %s.\nP(better): posterior chance "
	        "the arm beats the control (lower is better for\nannoyance "
	        "metrics).\n",
	        tact_format_significant(level, sizeof level,
	                                100.0 * result->confidence, 6),
	        result->correction == TACT_CORRECTION_HOLM ? "Holm"
	        : result->correction == TACT_CORRECTION_BH ? "Benjamini-Hochberg"
	                                                   : "no correction",
	        tested[TACT_FAMILY_POOLED], tested[TACT_FAMILY_SEGMENT],
	        tact_format_significant(alpha, sizeof alpha,
	                                1 - result->confidence, 6));
	if (result->sequential)
		fprintf(out, "Always-valid (--sequential, tuning %s): p-values and "
		        "intervals hold however\noften the results are looked at.\n",
		        tact_format_significant(level, sizeof level, result->tuning, 6));
	if (result->stratify)
		fprintf(out, "Pooled rows post-stratified (--stratify): difference "
		        "and lift weighted over\nthe segments by their units; rates "
		        "and means shown raw.\n");
	if (one_sided)
		fprintf(out, "One-sided tests (level marked >: arm above control, "
		        "<: below) on %zu rows;\nthe open end of their intervals is "
		        "inf (blank in CSV, null in JSON).\n", one_sided);
	for (k = 0; k < NOTE_COUNT; k++)
		if (used[k])
			fprintf(out, "(%zu) lift: %s.\n", k + 1, notes[k]);
	fprintf(out,
	        "%zu rows suppressed (fewer than %lld units, or hidden so that totals "
	        "cannot\ngive a small segment away); %lld rows left out for lack "
	        "of consent.\n",
	        result->suppressed, (long long)result->min_cell,
	        (long long)result->summary->rows_excluded_consent);
}

tact_status tact_compare_write_table(const tact_compare_result *result,
                                     FILE *out, tact_error *error)
{
	size_t r = 0, s;
	int used[NOTE_COUNT] = {0};
	tact_status status;

	for (s = 0; s < result->segment_count; s++)
		if ((status = segment_table(result, s, &r, used, out, error)))
			return status;
	table_footer(result, used, out);
	return finish(out, error);
}

/* ---- JSON ------------------------------------------------------------ */

/* The settings, the arms and what was read and left out. */
static void json_settings(const tact_compare_result *result, FILE *out,
                          int *first)
{
	const tact_summary *summary = result->summary;
	size_t a;
	int f = 1;

	tact_format_json_number_field(out, "confidence", result->confidence,
	                              first);
	tact_format_json_string_field(out, "correction",
	                              tact_corrections_name(result->correction),
	                              first);
	tact_format_json_number_field(out, "min_cell", (double)result->min_cell,
	                              first);
	/* Only when asked for: outputs without them stay as they were. */
	if (result->sequential)
		tact_format_json_number_field(out, "sequential_tuning",
		                              result->tuning, first);
	if (result->stratify)
		tact_format_json_string_field(out, "stratify", "segments", first);
	tact_format_json_string_field(out, "control", result->arms[0], first);
	tact_format_json_key(out, "arms", first);
	putc('[', out);
	tact_format_list(out, (const char *const *)result->arms, result->arm_count,
	                 ",", tact_format_json_string);
	putc(']', out);
	tact_format_json_key(out, "planned_split", first);
	putc('[', out);
	for (a = 0; a < result->arm_count; a++) {
		if (a)
			putc(',', out);
		tact_format_json_number(out, result->split[a]);
	}
	putc(']', out);
	tact_format_json_key(out, "data", first);
	putc('{', out);
	tact_format_json_number_field(out, "rows_read", (double)summary->rows_read,
	                              &f);
	tact_format_json_number_field(out, "rows_rejected",
	                              (double)summary->rows_rejected, &f);
	tact_format_json_number_field(out, "rows_excluded_consent",
	                              (double)summary->rows_excluded_consent, &f);
	tact_summaryfile_write_where_json(out, summary, &f); /* --where */
	tact_format_json_number_field(out, "rows_suppressed",
	                              (double)result->suppressed, &f);
	tact_summaryfile_write_caps_json(out, summary, &f); /* cap.h */
	tact_summaryfile_write_units_json(out, summary, &f);
	putc('}', out);
}

/* A statistic, its degrees of freedom and p-value as the fields of an
 * object already opened. */
static void json_test(FILE *out, double statistic, double df, double p,
                      int *first)
{
	tact_format_json_number_field(out, "statistic", statistic, first);
	tact_format_json_number_field(out, "df", df, first);
	tact_format_json_number_field(out, "p_value", p, first);
}

/* One segment: labels, units per arm, sample ratio, independence. */
static void json_segment(const tact_compare_result *result,
                         const tact_compare_segment *seg, FILE *out)
{
	const tact_summary *summary = result->summary;
	size_t a, d, m;
	int f = 1, g = 1;

	putc('{', out);
	tact_format_json_key(out, "labels", &f);
	putc('{', out);
	for (d = 0; d < summary->dimensions; d++)
		tact_format_json_string_field(out, summary->dimension_names[d],
		                              seg->labels[d], &g);
	putc('}', out);
	tact_format_json_key(out, "pooled", &f);
	fputs(seg->pooled ? "true" : "false", out);
	tact_format_json_key(out, "units", &f);
	putc('{', out);
	for (a = 0, g = 1; a < result->arm_count; a++)
		tact_format_json_number_field(out, result->arms[a],
		                              seg->units_suppressed[a]
		                                      ? NAN
		                                      : (double)seg->units[a],
		                              &g);
	putc('}', out);
	tact_format_json_key(out, "sample_ratio", &f);
	putc('{', out);
	g = 1;
	json_test(out, seg->srm_statistic, seg->srm_df, seg->srm_p_value, &g);
	tact_format_json_key(out, "mismatch", &g);
	fputs(seg->srm_flag ? "true" : "false", out);
	putc('}', out);
	tact_format_json_key(out, "independence", &f);
	putc('{', out);
	for (m = 0, g = 1; m < summary->metric_count; m++) {
		int h = 1;
		if (isnan(seg->independence_p_value[m]))
			continue;
		tact_format_json_key(out, summary->metrics[m].name, &g);
		putc('{', out);
		json_test(out, seg->independence_statistic[m],
		          seg->independence_df[m], seg->independence_p_value[m], &h);
		putc('}', out);
	}
	putc('}', out);
	putc('}', out);
}

/* One row, under the CSV's column names (and "kind", "statistic"). */
void tact_compare_write_json_fields(const tact_compare_result *result,
                                    const tact_compare_row *row, FILE *out,
                                    int *first)
{
	const tact_summary *summary = result->summary;
	const tact_compare_segment *seg = &result->segments[row->segment];
	const int blank = row->verdict == TACT_VERDICT_SUPPRESSED;
	size_t d;
	int f = *first;

	for (d = 0; d < summary->dimensions; d++)
		tact_format_json_string_field(out, summary->dimension_names[d],
		                              seg->labels[d], &f);
	tact_format_json_string_field(out, "metric",
	                              summary->metrics[row->metric].name, &f);
	tact_format_json_string_field(out, "direction", row->up ? "up" : "down",
	                              &f);
	tact_format_json_string_field(out, "kind", row->rate ? "rate" : "mean",
	                              &f);
	tact_format_json_string_field(out, "control", result->arms[0], &f);
	tact_format_json_string_field(out, "arm", result->arms[row->arm], &f);
	tact_format_json_number_field(out, "n_control",
	                              row->n_control < 0 ? NAN
	                                                 : (double)row->n_control,
	                              &f);
	tact_format_json_number_field(out, "n_arm",
	                              row->n_arm < 0 ? NAN : (double)row->n_arm,
	                              &f);
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
	tact_format_json_string_field(out, "test",
	                              tact_compare_test_name(row->test), &f);
	tact_format_json_number_field(out, "statistic", row->statistic, &f);
	tact_format_json_number_field(out, "p_value", row->p_value, &f);
	tact_format_json_number_field(out, "p_adjusted", row->p_adjusted, &f);
	tact_format_json_number_field(out, "chance_to_beat", row->chance_to_beat,
	                              &f);
	tact_format_json_number_field(out, "expected_loss", row->expected_loss,
	                              &f);
	tact_format_json_number_field(out, "srm_p_value",
	                              blank ? NAN : row->srm_p_value, &f);
	tact_format_json_string_field(out, "verdict",
	                              tact_compare_verdict_name(row->verdict), &f);
	tact_format_json_number_field(out, "margin", row->margin, &f);
	tact_format_json_number_field(out, "noninferiority_p_value",
	                              row->noninferiority_p_value, &f);
	tact_format_json_string_field(out, "family",
	                              tact_compare_family_name(row->family), &f);
	tact_format_json_string_field(
		out, "alternative", tact_compare_alternative_name(row->alternative),
		&f);
	tact_format_json_number_field(out, "interval_level", row->interval_level,
	                              &f);
	tact_format_json_string_field(out, "lift_note",
	                              blank ? NULL : row->lift_note, &f);
	tact_format_json_number_field(out, "diff_low_unadjusted",
	                              row->diff_low_unadjusted, &f);
	tact_format_json_number_field(out, "diff_high_unadjusted",
	                              row->diff_high_unadjusted, &f);
	tact_format_json_number_field(out, "lift_low_unadjusted",
	                              row->lift_low_unadjusted, &f);
	tact_format_json_number_field(out, "lift_high_unadjusted",
	                              row->lift_high_unadjusted, &f);
	if (tact_summary_has_covariates(summary)) { /* CUPED (cuped.h) */
		tact_format_json_string_field(out, "covariate",
		                              covariate_name(summary, row), &f);
		tact_format_json_number_field(out, "theta", row->theta, &f);
		tact_format_json_number_field(out, "variance_reduction",
		                              row->variance_reduction, &f);
	}
	*first = f;
}

static void json_row(const tact_compare_result *result,
                     const tact_compare_row *row, FILE *out)
{
	int f = 1;

	putc('{', out);
	tact_compare_write_json_fields(result, row, out, &f);
	putc('}', out);
}

tact_status tact_compare_write_json(const tact_compare_result *result,
                                    FILE *out, tact_error *error)
{
	size_t s, r;
	int first = 1;

	putc('{', out);
	json_settings(result, out, &first);
	tact_format_json_key(out, "segments", &first);
	putc('[', out);
	for (s = 0; s < result->segment_count; s++) {
		if (s)
			putc(',', out);
		json_segment(result, &result->segments[s], out);
	}
	putc(']', out);
	tact_format_json_key(out, "rows", &first);
	putc('[', out);
	for (r = 0; r < result->row_count; r++) {
		fputs(r ? ",\n" : "\n", out);
		json_row(result, &result->rows[r], out);
	}
	fputs("]}\n", out);
	return finish(out, error);
}
