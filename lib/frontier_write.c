/*
 * frontier_write.c - the trade-off as CSV (segment rows; tests and
 * policies), a terminal table, and JSON (see frontier.h).
 */
#include "frontier.h"

#include <math.h>
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

static void number(FILE *out, double value)
{
	putc(',', out);
	tact_format_csv_number(out, value);
}

static void count(FILE *out, int64_t value)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	putc(',', out);
	if (value >= 0)
		fputs(tact_format_count(buffer, value), out);
}

static void labels(const tact_frontier *f, size_t segment, FILE *out)
{
	size_t d;

	for (d = 0; d < f->cells.summary->dimensions; d++) {
		tact_format_csv_string(out, f->cells.labels[segment][d], ',');
		putc(',', out);
	}
}

tact_status tact_frontier_write_csv(const tact_frontier *f, FILE *out,
                                    tact_error *error)
{
	const tact_summary *summary = f->cells.summary;
	size_t d, k, r;

	for (d = 0; d < summary->dimensions; d++) {
		tact_format_csv_string(out, summary->dimension_names[d], ',');
		putc(',', out);
	}
	fputs("arm,n_control,n_arm,mean_control,mean_arm,diff,diff_low,diff_high,"
	      "verdict,se,df,gain,gain_low,gain_high,cost,cost_low,cost_high,share",
	      out);
	for (k = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0) {
			fputs(",breakeven_", out);
			fputs(summary->metrics[k].name, out);
			fputs(",flip_", out);
			fputs(summary->metrics[k].name, out);
		}
	putc('\n', out);
	for (r = 0; r < f->row_count; r++) {
		const tact_frontier_row *row = &f->rows[r];
		labels(f, row->segment, out);
		tact_format_csv_string(out, f->cells.arms[row->arm], ',');
		count(out, row->n_control);
		count(out, row->n_arm);
		number(out, row->mean_control);
		number(out, row->mean_arm);
		number(out, row->diff);
		number(out, row->diff_low);
		number(out, row->diff_high);
		putc(',', out);
		fputs(tact_frontier_verdict_name(row->verdict), out);
		number(out, row->se);
		number(out, row->df);
		number(out, row->gain);
		number(out, row->gain_low);
		number(out, row->gain_high);
		number(out, row->cost);
		number(out, row->cost_low);
		number(out, row->cost_high);
		number(out, row->share);
		for (k = 0; k < summary->metric_count; k++)
			if (f->weights[k] != 0) {
				number(out, row->breakeven[k]);
				number(out, row->flip[k]);
			}
		putc('\n', out);
	}
	return finish(out, error);
}

static const char *metric_name(const tact_frontier *f, size_t metric)
{
	return metric == TACT_NO_COLUMN ? "net value"
	                                : f->cells.summary->metrics[metric].name;
}

tact_status tact_frontier_write_tests(const tact_frontier *f, FILE *out,
                                      tact_error *error)
{
	size_t i;

	fputs("kind,arm,metric,segments,statistic,df,p_value,i_squared,"
	      "pooled_effect,pooled_se,policy,value_per_1000,low,high,"
	      "gain_per_1000,gain_low,gain_high\n", out);
	for (i = 0; i < f->test_count; i++) {
		const tact_frontier_test *t = &f->tests[i];
		const tact_heterogeneity_result *h = &t->result;
		fputs("cochran_q,", out);
		tact_format_csv_string(out, f->cells.arms[t->arm], ',');
		putc(',', out);
		tact_format_csv_string(out, metric_name(f, t->metric), ',');
		count(out, (int64_t)h->segments);
		number(out, h->q);
		number(out, (double)h->degrees_of_freedom);
		number(out, h->q_p_value);
		number(out, h->i_squared);
		number(out, h->pooled_effect);
		number(out, h->pooled_standard_error);
		fputs(",,,,,,,\n", out);
		fputs("gail_simon,", out);
		tact_format_csv_string(out, f->cells.arms[t->arm], ',');
		putc(',', out);
		tact_format_csv_string(out, metric_name(f, t->metric), ',');
		count(out, (int64_t)h->segments);
		number(out, h->gail_simon_statistic);
		fputs(",", out);
		number(out, h->gail_simon_p_value);
		fputs(",,,,,,,,,,\n", out);
	}
	for (i = 0; i < f->policy_count; i++) {
		const tact_frontier_policy *p = &f->policies[i];
		fputs("policy,", out);
		tact_format_csv_string(out, f->cells.arms[p->arm], ',');
		fputs(",net value", out);
		count(out, (int64_t)p->segments_personalized);
		fputs(",,,,,,,", out);
		fputs(tact_frontier_policy_name(p->kind), out);
		number(out, p->value);
		number(out, p->low);
		number(out, p->high);
		number(out, p->gain);
		number(out, p->gain_low);
		number(out, p->gain_high);
		putc('\n', out);
	}
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

tact_status tact_frontier_write_table(const tact_frontier *f, FILE *out,
                                      tact_error *error)
{
	static const char *const headers[] = {
		"segment", "control", "arm", "difference", "gain", "cost", "verdict"};
	const tact_summary *summary = f->cells.summary;
	size_t a, r, k, i;

	fputs("Net value per unit = ", out);
	for (k = 0, i = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0)
			fprintf(out, "%s%g x %s", i++ ? " + " : "", f->weights[k],
			        summary->metrics[k].name);
	fputs("\n\n", out);
	for (a = 1; a < f->cells.arm_count; a++) {
		tact_table table;
		if (tact_table_init(&table, 7, headers) != 0)
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "out of memory");
		fprintf(out, "%s against %s\n", f->cells.arms[a], f->cells.arms[0]);
		for (r = 0; r < f->row_count; r++) {
			const tact_frontier_row *row = &f->rows[r];
			char name[256], c[64], x[64], d[128], g[128], co[128];
			const char *cells[7];
			if (row->arm != a)
				continue;
			segment_name(f, row->segment, name, sizeof name);
			money(c, sizeof c, row->mean_control, NAN, NAN);
			money(x, sizeof x, row->mean_arm, NAN, NAN);
			money(d, sizeof d, row->diff, row->diff_low, row->diff_high);
			money(g, sizeof g, row->gain, row->gain_low, row->gain_high);
			money(co, sizeof co, row->cost, row->cost_low, row->cost_high);
			cells[0] = name;
			cells[1] = c;
			cells[2] = x;
			cells[3] = d;
			cells[4] = g;
			cells[5] = co;
			cells[6] = tact_frontier_verdict_name(row->verdict);
			tact_table_add(&table, cells, row->segment == 1);
		}
		tact_table_align_right(&table, 1);
		tact_table_align_right(&table, 2);
		tact_table_print(&table, out);
		tact_table_release(&table);
		fputs("\n", out);
		for (i = 0; i < f->test_count; i++) {
			const tact_frontier_test *t = &f->tests[i];
			if (t->arm != a)
				continue;
			fprintf(out, "%-14s Cochran's Q %.2f (df %zu, p = %.3g, I2 = %.0f%%); "
			             "sign change (Gail-Simon) p = %.3g\n",
			        metric_name(f, t->metric), t->result.q,
			        t->result.degrees_of_freedom, t->result.q_p_value,
			        100 * t->result.i_squared, t->result.gail_simon_p_value);
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
		fputs("\nBreak-even weights (the weight at which the difference is 0; "
		      "in brackets, where the verdict changes):\n", out);
		for (r = 0; r < f->row_count; r++) {
			const tact_frontier_row *row = &f->rows[r];
			char name[256];
			if (row->arm != a || row->verdict == TACT_FRONTIER_SUPPRESSED)
				continue;
			segment_name(f, row->segment, name, sizeof name);
			fprintf(out, "  %-16s", name);
			for (k = 0; k < summary->metric_count; k++) {
				char b[40], fl[40];
				if (f->weights[k] == 0)
					continue;
				tact_format_fixed(b, sizeof b, row->breakeven[k], 2);
				tact_format_fixed(fl, sizeof fl, row->flip[k], 2);
				fprintf(out, "  %s %s [%s]", summary->metrics[k].name,
				        b[0] ? b : "-", fl[0] ? fl : "-");
			}
			putc('\n', out);
		}
		putc('\n', out);
	}
	fprintf(out, "Intervals at %g%%. \"personalize\": the interval of the "
	             "difference lies above 0; \"hold back\": below.\nTargeting "
	             "picks segments on the same data: confirm its value on fresh "
	             "data.\n",
	        100 * f->confidence);
	/* privacy: what was left out, and why. */
	for (r = 0, i = 0; r < f->row_count; r++)
		i += f->rows[r].verdict == TACT_FRONTIER_SUPPRESSED;
	fprintf(out, "%zu rows suppressed (fewer than %lld units, or hidden so "
	             "that totals cannot give a small\nsegment away); %lld rows "
	             "left out for lack of consent.\n",
	        i, (long long)f->min_cell,
	        (long long)summary->rows_excluded_consent);
	return finish(out, error);
}

/* ---- JSON ------------------------------------------------------------- */




tact_status tact_frontier_write_json(const tact_frontier *f, FILE *out,
                                     tact_error *error)
{
	const tact_summary *summary = f->cells.summary;
	size_t i, k, d;
	int first = 1;

	putc('{', out);
	tact_format_json_number_field(out, "confidence", f->confidence, &first);
	tact_format_json_number_field(out, "min_cell", (double)f->min_cell, &first);
	tact_format_json_string_field(out, "control", f->cells.arms[0], &first);
	tact_format_json_key(out, "data", &first);
	{
		/* privacy: what was left out (as tact-compare's JSON) */
		int g = 1;
		size_t suppressed = 0;
		for (i = 0; i < f->row_count; i++)
			suppressed += f->rows[i].verdict == TACT_FRONTIER_SUPPRESSED;
		putc('{', out);
		tact_format_json_number_field(out, "rows_read", (double)summary->rows_read, &g);
		tact_format_json_number_field(out, "rows_rejected", (double)summary->rows_rejected, &g);
		tact_format_json_number_field(out, "rows_excluded_consent",
		     (double)summary->rows_excluded_consent, &g);
		tact_format_json_number_field(out, "rows_suppressed", (double)suppressed, &g);
		tact_summaryfile_write_caps_json(out, summary, &g); /* cap.h */
		putc('}', out);
	}
	tact_format_json_key(out, "weights", &first);
	{
		int g = 1;
		putc('{', out);
		for (k = 0; k < summary->metric_count; k++)
			if (f->weights[k] != 0)
				tact_format_json_number_field(out, summary->metrics[k].name, f->weights[k], &g);
		putc('}', out);
	}
	tact_format_json_key(out, "segments", &first);
	putc('[', out);
	for (i = 0; i < f->row_count; i++) {
		const tact_frontier_row *row = &f->rows[i];
		int g = 1;
		if (i)
			putc(',', out);
		putc('\n', out);
		putc('{', out);
		for (d = 0; d < summary->dimensions; d++)
			tact_format_json_string_field(out, summary->dimension_names[d],
			     f->cells.labels[row->segment][d], &g);
		tact_format_json_string_field(out, "arm", f->cells.arms[row->arm], &g);
		tact_format_json_number_field(out, "n_control", row->n_control < 0 ? NAN : (double)row->n_control, &g);
		tact_format_json_number_field(out, "n_arm", row->n_arm < 0 ? NAN : (double)row->n_arm, &g);
		tact_format_json_number_field(out, "mean_control", row->mean_control, &g);
		tact_format_json_number_field(out, "mean_arm", row->mean_arm, &g);
		tact_format_json_number_field(out, "diff", row->diff, &g);
		tact_format_json_number_field(out, "diff_low", row->diff_low, &g);
		tact_format_json_number_field(out, "diff_high", row->diff_high, &g);
		tact_format_json_string_field(out, "verdict", tact_frontier_verdict_name(row->verdict), &g);
		tact_format_json_number_field(out, "se", row->se, &g);
		tact_format_json_number_field(out, "df", row->df, &g);
		tact_format_json_number_field(out, "gain", row->gain, &g);
		tact_format_json_number_field(out, "gain_low", row->gain_low, &g);
		tact_format_json_number_field(out, "gain_high", row->gain_high, &g);
		tact_format_json_number_field(out, "cost", row->cost, &g);
		tact_format_json_number_field(out, "cost_low", row->cost_low, &g);
		tact_format_json_number_field(out, "cost_high", row->cost_high, &g);
		tact_format_json_number_field(out, "share", row->share, &g);
		tact_format_json_key(out, "breakeven", &g);
		{
			int h = 1;
			putc('{', out);
			for (k = 0; k < summary->metric_count; k++)
				if (f->weights[k] != 0)
					tact_format_json_number_field(out, summary->metrics[k].name, row->breakeven[k], &h);
			putc('}', out);
		}
		tact_format_json_key(out, "flip", &g);
		{
			int h = 1;
			putc('{', out);
			for (k = 0; k < summary->metric_count; k++)
				if (f->weights[k] != 0)
					tact_format_json_number_field(out, summary->metrics[k].name, row->flip[k], &h);
			putc('}', out);
		}
		putc('}', out);
	}
	putc(']', out);
	tact_format_json_key(out, "tests", &first);
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
	tact_format_json_key(out, "policies", &first);
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
	tact_format_json_string_field(out, "notes", f->test_notes ? f->test_notes : "", &first);
	fputs("}\n", out);
	return finish(out, error);
}
