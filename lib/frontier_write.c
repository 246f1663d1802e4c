/*
 * frontier_write.c - the trade-off as CSV (segment rows; tests and
 * policies), a terminal table, and JSON (see frontier.h).
 */
#include "frontier.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "summaryfile.h"
#include "table.h"

static tact_status finish(FILE *out, tact_error *error)
{
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the trade-off");
	return TACT_OK;
}

static const char *const csv_columns[] = {
	"arm", "n_control", "n_arm", "mean_control", "mean_arm", "diff",
	"diff_low", "diff_high", "verdict", "se", "df", "p_value", "p_adjusted",
	"interval_level", "diff_low_unadjusted", "diff_high_unadjusted", "gain",
	"gain_low", "gain_high", "cost", "cost_low", "cost_high", "share"};

/* The header: dimensions, csv_columns, then two columns per weighted
 * metric. */
/* A header field PREFIX + NAME, quoted as a CSV field when NAME needs it
 * (a metric name may hold a comma or a quote). */
static void prefixed_name(tact_format_csv_row *row, const char *prefix,
                          const char *name)
{
	size_t length = strlen(prefix) + strlen(name) + 1;
	char *field = malloc(length);

	if (!field) {
		/* Out of memory for a header field: the parts, unquoted. */
		tact_format_csv_row_blanks(row, 1);
		fprintf(row->out, "%s%s", prefix, name);
		return;
	}
	snprintf(field, length, "%s%s", prefix, name);
	tact_format_csv_row_text(row, field);
	free(field);
}

static void csv_header(const tact_frontier *f, FILE *out)
{
	const tact_summary *summary = f->cells.summary;
	tact_format_csv_row header;
	size_t k;

	tact_format_csv_row_begin(&header, out);
	tact_format_csv_row_texts(&header,
	                          (const char *const *)summary->dimension_names,
	                          summary->dimensions);
	tact_format_csv_row_texts(&header, csv_columns,
	                          sizeof csv_columns / sizeof csv_columns[0]);
	for (k = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0) {
			prefixed_name(&header, "breakeven_", summary->metrics[k].name);
			prefixed_name(&header, "flip_", summary->metrics[k].name);
		}
	tact_format_csv_row_end(&header);
}

static void csv_row(const tact_frontier *f, const tact_frontier_row *row,
                    FILE *out)
{
	const tact_summary *summary = f->cells.summary;
	tact_format_csv_row csv;
	size_t k;

	tact_format_csv_row_begin(&csv, out);
	tact_format_csv_row_texts(&csv,
	                          (const char *const *)f->cells.labels[row->segment],
	                          summary->dimensions);
	tact_format_csv_row_text(&csv, f->cells.arms[row->arm]);
	tact_format_csv_row_count(&csv, row->n_control);
	tact_format_csv_row_count(&csv, row->n_arm);
	tact_format_csv_row_number(&csv, row->mean_control);
	tact_format_csv_row_number(&csv, row->mean_arm);
	tact_format_csv_row_number(&csv, row->diff);
	tact_format_csv_row_number(&csv, row->diff_low);
	tact_format_csv_row_number(&csv, row->diff_high);
	tact_format_csv_row_text(&csv, tact_frontier_verdict_name(row->verdict));
	tact_format_csv_row_number(&csv, row->se);
	tact_format_csv_row_number(&csv, row->df);
	tact_format_csv_row_number(&csv, row->p_value);
	tact_format_csv_row_number(&csv, row->p_adjusted);
	tact_format_csv_row_number(&csv, row->level);
	tact_format_csv_row_number(&csv, row->diff_low_unadjusted);
	tact_format_csv_row_number(&csv, row->diff_high_unadjusted);
	tact_format_csv_row_number(&csv, row->gain);
	tact_format_csv_row_number(&csv, row->gain_low);
	tact_format_csv_row_number(&csv, row->gain_high);
	tact_format_csv_row_number(&csv, row->cost);
	tact_format_csv_row_number(&csv, row->cost_low);
	tact_format_csv_row_number(&csv, row->cost_high);
	tact_format_csv_row_number(&csv, row->share);
	for (k = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0) {
			tact_format_csv_row_number(&csv, row->breakeven[k]);
			tact_format_csv_row_number(&csv, row->flip[k]);
		}
	tact_format_csv_row_end(&csv);
}

tact_status tact_frontier_write_csv(const tact_frontier *f, FILE *out,
                                    tact_error *error)
{
	size_t r;

	csv_header(f, out);
	for (r = 0; r < f->row_count; r++)
		csv_row(f, &f->rows[r], out);
	return finish(out, error);
}

static const char *metric_name(const tact_frontier *f, size_t metric)
{
	return metric == TACT_NO_COLUMN ? "net value"
	                                : f->cells.summary->metrics[metric].name;
}

static const char *const tests_columns[] = {
	"kind", "arm", "metric", "segments", "statistic", "df", "p_value",
	"i_squared", "pooled_effect", "pooled_se", "policy", "value_per_1000",
	"low", "high", "gain_per_1000", "gain_low", "gain_high"};
enum { TESTS_COLUMNS = sizeof tests_columns / sizeof tests_columns[0] };

/* The first four fields of a test's row: kind ... segments. */
static void test_row_begin(const tact_frontier *f, const tact_frontier_test *t,
                           const char *kind, tact_format_csv_row *csv,
                           FILE *out)
{
	tact_format_csv_row_begin(csv, out);
	tact_format_csv_row_text(csv, kind);
	tact_format_csv_row_text(csv, f->cells.arms[t->arm]);
	tact_format_csv_row_text(csv, metric_name(f, t->metric));
	tact_format_csv_row_count(csv, (int64_t)t->result.segments);
}

/* A test across segments as two rows: Cochran's Q, Gail-Simon. */
static void test_rows(const tact_frontier *f, const tact_frontier_test *t,
                      FILE *out)
{
	const tact_heterogeneity_result *h = &t->result;
	tact_format_csv_row csv;

	test_row_begin(f, t, "cochran_q", &csv, out);
	tact_format_csv_row_number(&csv, h->q);
	tact_format_csv_row_number(&csv, (double)h->degrees_of_freedom);
	tact_format_csv_row_number(&csv, h->q_p_value);
	tact_format_csv_row_number(&csv, h->i_squared);
	tact_format_csv_row_number(&csv, h->pooled_effect);
	tact_format_csv_row_number(&csv, h->pooled_standard_error);
	tact_format_csv_row_blanks(&csv, TESTS_COLUMNS - csv.fields);
	tact_format_csv_row_end(&csv);
	test_row_begin(f, t, "gail_simon", &csv, out);
	tact_format_csv_row_number(&csv, h->gail_simon_statistic);
	tact_format_csv_row_blanks(&csv, 1);
	tact_format_csv_row_number(&csv, h->gail_simon_p_value);
	tact_format_csv_row_blanks(&csv, TESTS_COLUMNS - csv.fields);
	tact_format_csv_row_end(&csv);
}

static void policy_row(const tact_frontier *f, const tact_frontier_policy *p,
                       FILE *out)
{
	tact_format_csv_row csv;

	tact_format_csv_row_begin(&csv, out);
	tact_format_csv_row_text(&csv, "policy");
	tact_format_csv_row_text(&csv, f->cells.arms[p->arm]);
	tact_format_csv_row_text(&csv, "net value");
	tact_format_csv_row_count(&csv, (int64_t)p->segments_personalized);
	tact_format_csv_row_blanks(&csv, 6);
	tact_format_csv_row_text(&csv, tact_frontier_policy_name(p->kind));
	tact_format_csv_row_number(&csv, p->value);
	tact_format_csv_row_number(&csv, p->low);
	tact_format_csv_row_number(&csv, p->high);
	tact_format_csv_row_number(&csv, p->gain);
	tact_format_csv_row_number(&csv, p->gain_low);
	tact_format_csv_row_number(&csv, p->gain_high);
	tact_format_csv_row_end(&csv);
}

tact_status tact_frontier_write_tests(const tact_frontier *f, FILE *out,
                                      tact_error *error)
{
	tact_format_csv_row header;
	size_t i;

	tact_format_csv_row_begin(&header, out);
	tact_format_csv_row_texts(&header, tests_columns, TESTS_COLUMNS);
	tact_format_csv_row_end(&header);
	for (i = 0; i < f->test_count; i++)
		test_rows(f, &f->tests[i], out);
	for (i = 0; i < f->policy_count; i++)
		policy_row(f, &f->policies[i], out);
	return finish(out, error);
}

/* ---- table ------------------------------------------------------------ */

static void money(char *out, size_t size, double value, double low,
                  double high)
{
	char v[40], l[40], h[40];

	if (isnan(value)) {
		snprintf(out, size, "-");
		return;
	}
	tact_format_fixed(v, sizeof v, value, 3);
	if (isnan(low)) {
		snprintf(out, size, "%s", v);
		return;
	}
	tact_format_fixed(l, sizeof l, low, 3);
	tact_format_fixed(h, sizeof h, high, 3);
	snprintf(out, size, "%s%s [%s, %s]", value > 0 ? "+" : "", v, l, h);
}

static void level_text(char *out, size_t size, double level)
{
	char l[40];

	tact_format_fixed(l, sizeof l, 100 * level, 2);
	snprintf(out, size, "%s%s", l, l[0] ? "%" : "-");
}

static const char *correction_name(tact_correction correction)
{
	return correction == TACT_CORRECTION_HOLM ? "Holm"
	       : correction == TACT_CORRECTION_BH ? "Benjamini-Hochberg"
	                                          : "no correction";
}

static void segment_name(const tact_frontier *f, size_t s, char *out,
                         size_t size)
{
	const tact_summary *summary = f->cells.summary;
	size_t d, used = 0;

	if (s == 0) {
		snprintf(out, size, "(all)");
		return;
	}
	out[0] = '\0';
	for (d = 0; d < summary->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s", d ? " / " : "",
		                 f->cells.labels[s][d]);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

/* One arm's tests across segments and policy values, as text. */
static void tests_and_policies(const tact_frontier *f, size_t a, FILE *out)
{
	size_t i;
	char safe[TACT_FORMAT_TEXT_MAX]; /* a name, sanitized (format.h) */

	for (i = 0; i < f->test_count; i++) {
		const tact_frontier_test *t = &f->tests[i];
		char q[40], p[TACT_FORMAT_NUMBER_MAX], i2[40], gs[TACT_FORMAT_NUMBER_MAX];
		if (t->arm != a)
			continue;
		fprintf(out, "%-14s Cochran's Q %s (df %zu, p = %s, I2 = %s%%); "
		             "sign change (Gail-Simon) p = %s\n",
		        tact_format_terminal_text(safe, sizeof safe, metric_name(f, t->metric)),
		        tact_format_fixed(q, sizeof q, t->result.q, 2),
		        t->result.degrees_of_freedom,
		        tact_format_significant(p, sizeof p, t->result.q_p_value, 3),
		        tact_format_fixed(i2, sizeof i2, 100 * t->result.i_squared, 0),
		        tact_format_significant(gs, sizeof gs,
		                                t->result.gail_simon_p_value, 3));
	}
	if (f->test_notes && f->test_notes[0])
		fprintf(out, "(%s)\n", f->test_notes);
	fputs("\nPolicy value per 1,000 units:\n", out);
	for (i = 0; i < f->policy_count; i++) {
		const tact_frontier_policy *p = &f->policies[i];
		char v[128], g[128];
		if (p->arm != a)
			continue;
		money(v, sizeof v, p->value, p->low, p->high);
		money(g, sizeof g, p->gain, p->gain_low, p->gain_high);
		fprintf(out, "  %-12s %s  (gain %s; %zu segments personalized)\n",
		        tact_frontier_policy_name(p->kind), v, g,
		        p->segments_personalized);
	}
}

/* Arm a's break-even weights, a line per shown segment. */
static void breakeven_lines(const tact_frontier *f, size_t a, FILE *out)
{
	const tact_summary *summary = f->cells.summary;
	char safe[TACT_FORMAT_TEXT_MAX]; /* a name, sanitized (format.h) */
	size_t r, k;

	fputs("\nBreak-even weights (the weight at which the difference is 0; "
	      "in brackets, where the verdict changes):\n", out);
	for (r = 0; r < f->row_count; r++) {
		const tact_frontier_row *row = &f->rows[r];
		char name[256];
		if (row->arm != a || row->verdict == TACT_FRONTIER_SUPPRESSED)
			continue;
		segment_name(f, row->segment, name, sizeof name);
		fprintf(out, "  %-16s",
		        tact_format_terminal_text(safe, sizeof safe, name));
		for (k = 0; k < summary->metric_count; k++) {
			char b[40], fl[40];
			if (f->weights[k] == 0)
				continue;
			tact_format_fixed(b, sizeof b, row->breakeven[k], 2);
			tact_format_fixed(fl, sizeof fl, row->flip[k], 2);
			fprintf(out, "  %s %s [%s]",
			        tact_format_terminal_text(safe, sizeof safe,
			                                  summary->metrics[k].name),
			        b[0] ? b : "-", fl[0] ? fl : "-");
		}
		putc('\n', out);
	}
}

/* What the levels mean, and what was left out. */
static void table_footer(const tact_frontier *f, FILE *out)
{
	char alpha[TACT_FORMAT_NUMBER_MAX], level[TACT_FORMAT_NUMBER_MAX];
	size_t r, suppressed = 0;

	tact_format_significant(alpha, sizeof alpha, 1 - f->confidence, 6);
	fprintf(out, "p adjusted by %s within two families (the pooled rows; the "
	             "segment rows).\nA verdict needs p (adj.) < %s: "
	             "\"personalize\" above 0, \"hold back\" below.\nEach row's "
	             "intervals are at its level, 1 - %s p / p (adj.), so that "
	             "they\nexclude 0 exactly when the verdict is not "
	             "inconclusive.  Policy values at %s%%.\nTargeting picks "
	             "segments on the same data: confirm its value on fresh "
	             "data.\n",
	        correction_name(f->correction), alpha, alpha,
	        tact_format_significant(level, sizeof level, 100 * f->confidence,
	                                6));
	/* privacy: what was left out, and why. */
	for (r = 0; r < f->row_count; r++)
		suppressed += f->rows[r].verdict == TACT_FRONTIER_SUPPRESSED;
	fprintf(out, "%zu rows suppressed (fewer than %lld units, or hidden so "
	             "that totals cannot give a small\nsegment away); %lld rows "
	             "left out for lack of consent.\n",
	        suppressed, (long long)f->min_cell,
	        (long long)f->cells.summary->rows_excluded_consent);
}

tact_status tact_frontier_write_table(const tact_frontier *f, FILE *out,
                                      tact_error *error)
{
	static const char *const headers[] = {
		"segment", "control", "arm", "difference", "level", "p (adj.)", "gain",
		"cost", "verdict"};
	const tact_summary *summary = f->cells.summary;
	char safe[2][TACT_FORMAT_TEXT_MAX]; /* names, sanitized (format.h) */
	size_t a, r, k, i;

	fputs("Net value per unit = ", out);
	for (k = 0, i = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0)
			fprintf(out, "%s%s x %s", i++ ? " + " : "",
			        tact_format_significant(safe[1], sizeof safe[1],
			                                f->weights[k], 6),
			        tact_format_terminal_text(safe[0], sizeof safe[0],
			                                  summary->metrics[k].name));
	fputs("\n\n", out);
	for (a = 1; a < f->cells.arm_count; a++) {
		tact_table table;
		if (tact_table_init(&table, 9, headers) != 0)
			return tact_error_oom(error);
		fprintf(out, "%s against %s\n",
		        tact_format_terminal_text(safe[0], sizeof safe[0], f->cells.arms[a]),
		        tact_format_terminal_text(safe[1], sizeof safe[1], f->cells.arms[0]));
		for (r = 0; r < f->row_count; r++) {
			const tact_frontier_row *row = &f->rows[r];
			char name[256], c[64], x[64], d[128], g[128], co[128], lv[48],
				p[16];
			const char *cells[9];
			if (row->arm != a)
				continue;
			segment_name(f, row->segment, name, sizeof name);
			money(c, sizeof c, row->mean_control, NAN, NAN);
			money(x, sizeof x, row->mean_arm, NAN, NAN);
			money(d, sizeof d, row->diff, row->diff_low, row->diff_high);
			money(g, sizeof g, row->gain, row->gain_low, row->gain_high);
			money(co, sizeof co, row->cost, row->cost_low, row->cost_high);
			level_text(lv, sizeof lv, row->level);
			tact_format_p_text(p, sizeof p, row->p_adjusted);
			cells[0] = name;
			cells[1] = c;
			cells[2] = x;
			cells[3] = d;
			cells[4] = lv;
			cells[5] = p;
			cells[6] = g;
			cells[7] = co;
			cells[8] = tact_frontier_verdict_name(row->verdict);
			tact_table_add(&table, cells, row->segment == 1);
		}
		tact_table_align_right(&table, 1);
		tact_table_align_right(&table, 2);
		tact_table_align_right(&table, 4);
		tact_table_align_right(&table, 5);
		tact_table_print(&table, out);
		tact_table_release(&table);
		fputs("\n", out);
		tests_and_policies(f, a, out);
		breakeven_lines(f, a, out);
		putc('\n', out);
	}
	table_footer(f, out);
	return finish(out, error);
}

tact_status tact_frontier_write_tests_table(const tact_frontier *f,
                                            FILE *out, tact_error *error)
{
	char level[TACT_FORMAT_NUMBER_MAX];
	size_t a;

	fputs("Tests across segments and policy values of the net value per "
	      "unit\n\n", out);
	for (a = 1; a < f->cells.arm_count; a++) {
		tact_format_terminal(out, f->cells.arms[a]);
		fputs(" against ", out);
		tact_format_terminal(out, f->cells.arms[0]);
		putc('\n', out);
		tests_and_policies(f, a, out);
		putc('\n', out);
	}
	fprintf(out, "Policy values at %s%%; \"targeted\" personalizes the "
	             "segments whose verdict\n(p adjusted by %s) is "
	             "\"personalize\": confirm its value on fresh data.\n",
	        tact_format_significant(level, sizeof level, 100 * f->confidence,
	                                6),
	        correction_name(f->correction));
	return finish(out, error);
}

/* ---- JSON ------------------------------------------------------------- */

/* The settings and what was left out (as tact-compare's JSON). */
static void json_header(const tact_frontier *f, FILE *out, int *first)
{
	const tact_summary *summary = f->cells.summary;
	size_t i, suppressed = 0;
	int g = 1;

	tact_format_json_number_field(out, "confidence", f->confidence, first);
	tact_format_json_string_field(out, "correction",
	                              tact_corrections_name(f->correction), first);
	tact_format_json_number_field(out, "min_cell", (double)f->min_cell, first);
	tact_format_json_string_field(out, "control", f->cells.arms[0], first);
	tact_format_json_key(out, "data", first);
	/* privacy: what was left out */
	for (i = 0; i < f->row_count; i++)
		suppressed += f->rows[i].verdict == TACT_FRONTIER_SUPPRESSED;
	putc('{', out);
	tact_format_json_number_field(out, "rows_read", (double)summary->rows_read, &g);
	tact_format_json_number_field(out, "rows_rejected", (double)summary->rows_rejected, &g);
	tact_format_json_number_field(out, "rows_excluded_consent",
	                              (double)summary->rows_excluded_consent, &g);
	tact_summaryfile_write_where_json(out, summary, &g); /* --where */
	tact_format_json_number_field(out, "rows_suppressed", (double)suppressed, &g);
	tact_summaryfile_write_caps_json(out, summary, &g); /* cap.h */
	tact_summaryfile_write_units_json(out, summary, &g);
	putc('}', out);
}

/* "tests", "policies" and "notes". */
static void json_tests(const tact_frontier *f, FILE *out, int *first)
{
	size_t i;

	tact_format_json_key(out, "tests", first);
	putc('[', out);
	for (i = 0; i < f->test_count; i++) {
		const tact_frontier_test *t = &f->tests[i];
		int g = 1;
		if (i)
			putc(',', out);
		putc('{', out);
		tact_format_json_string_field(out, "arm", f->cells.arms[t->arm], &g);
		tact_format_json_string_field(out, "metric", metric_name(f, t->metric), &g);
		tact_format_json_number_field(out, "segments", (double)t->result.segments, &g);
		tact_format_json_number_field(out, "cochran_q", t->result.q, &g);
		tact_format_json_number_field(out, "df", (double)t->result.degrees_of_freedom, &g);
		tact_format_json_number_field(out, "q_p_value", t->result.q_p_value, &g);
		tact_format_json_number_field(out, "i_squared", t->result.i_squared, &g);
		tact_format_json_number_field(out, "pooled_effect", t->result.pooled_effect, &g);
		tact_format_json_number_field(out, "pooled_se", t->result.pooled_standard_error, &g);
		tact_format_json_number_field(out, "gail_simon_statistic", t->result.gail_simon_statistic, &g);
		tact_format_json_number_field(out, "gail_simon_p_value", t->result.gail_simon_p_value, &g);
		putc('}', out);
	}
	putc(']', out);
	tact_format_json_key(out, "policies", first);
	putc('[', out);
	for (i = 0; i < f->policy_count; i++) {
		const tact_frontier_policy *p = &f->policies[i];
		int g = 1;
		if (i)
			putc(',', out);
		putc('{', out);
		tact_format_json_string_field(out, "arm", f->cells.arms[p->arm], &g);
		tact_format_json_string_field(out, "policy", tact_frontier_policy_name(p->kind), &g);
		tact_format_json_number_field(out, "value_per_1000", p->value, &g);
		tact_format_json_number_field(out, "low", p->low, &g);
		tact_format_json_number_field(out, "high", p->high, &g);
		tact_format_json_number_field(out, "gain_per_1000", p->gain, &g);
		tact_format_json_number_field(out, "gain_low", p->gain_low, &g);
		tact_format_json_number_field(out, "gain_high", p->gain_high, &g);
		tact_format_json_number_field(out, "segments_personalized", (double)p->segments_personalized, &g);
		putc('}', out);
	}
	putc(']', out);
	tact_format_json_string_field(out, "notes", f->test_notes ? f->test_notes : "", first);
}

tact_status tact_frontier_write_tests_json(const tact_frontier *f, FILE *out,
                                           tact_error *error)
{
	int first = 1;

	putc('{', out);
	json_header(f, out, &first);
	json_tests(f, out, &first);
	fputs("}\n", out);
	return finish(out, error);
}

/* key: an object of one figure per weighted metric, values[k] for metric
 * k. */
static void json_per_metric(const tact_frontier *f, FILE *out,
                            const char *key, const double *values, int *first)
{
	const tact_summary *summary = f->cells.summary;
	size_t k;
	int g = 1;

	tact_format_json_key(out, key, first);
	putc('{', out);
	for (k = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0)
			tact_format_json_number_field(out, summary->metrics[k].name,
			                              values[k], &g);
	putc('}', out);
}

/* One row of the segment table, under the CSV's column names. */
static void json_row(const tact_frontier *f, const tact_frontier_row *row,
                     FILE *out)
{
	const tact_summary *summary = f->cells.summary;
	size_t d;
	int g = 1;

	putc('{', out);
	for (d = 0; d < summary->dimensions; d++)
		tact_format_json_string_field(out, summary->dimension_names[d],
		                              f->cells.labels[row->segment][d], &g);
	tact_format_json_string_field(out, "arm", f->cells.arms[row->arm], &g);
	tact_format_json_number_field(out, "n_control",
	                              row->n_control < 0 ? NAN
	                                                 : (double)row->n_control,
	                              &g);
	tact_format_json_number_field(out, "n_arm",
	                              row->n_arm < 0 ? NAN : (double)row->n_arm,
	                              &g);
	tact_format_json_number_field(out, "mean_control", row->mean_control, &g);
	tact_format_json_number_field(out, "mean_arm", row->mean_arm, &g);
	tact_format_json_number_field(out, "diff", row->diff, &g);
	tact_format_json_number_field(out, "diff_low", row->diff_low, &g);
	tact_format_json_number_field(out, "diff_high", row->diff_high, &g);
	tact_format_json_string_field(out, "verdict",
	                              tact_frontier_verdict_name(row->verdict), &g);
	tact_format_json_number_field(out, "se", row->se, &g);
	tact_format_json_number_field(out, "df", row->df, &g);
	tact_format_json_number_field(out, "p_value", row->p_value, &g);
	tact_format_json_number_field(out, "p_adjusted", row->p_adjusted, &g);
	tact_format_json_number_field(out, "interval_level", row->level, &g);
	tact_format_json_number_field(out, "diff_low_unadjusted",
	                              row->diff_low_unadjusted, &g);
	tact_format_json_number_field(out, "diff_high_unadjusted",
	                              row->diff_high_unadjusted, &g);
	tact_format_json_number_field(out, "gain", row->gain, &g);
	tact_format_json_number_field(out, "gain_low", row->gain_low, &g);
	tact_format_json_number_field(out, "gain_high", row->gain_high, &g);
	tact_format_json_number_field(out, "cost", row->cost, &g);
	tact_format_json_number_field(out, "cost_low", row->cost_low, &g);
	tact_format_json_number_field(out, "cost_high", row->cost_high, &g);
	tact_format_json_number_field(out, "share", row->share, &g);
	json_per_metric(f, out, "breakeven", row->breakeven, &g);
	json_per_metric(f, out, "flip", row->flip, &g);
	putc('}', out);
}

tact_status tact_frontier_write_json(const tact_frontier *f, FILE *out,
                                     tact_error *error)
{
	size_t i;
	int first = 1;

	putc('{', out);
	json_header(f, out, &first);
	json_per_metric(f, out, "weights", f->weights, &first);
	tact_format_json_key(out, "segments", &first);
	putc('[', out);
	for (i = 0; i < f->row_count; i++) {
		fputs(i ? ",\n" : "\n", out);
		json_row(f, &f->rows[i], out);
	}
	putc(']', out);
	json_tests(f, out, &first);
	fputs("}\n", out);
	return finish(out, error);
}
