/*
 * dose_write.c - a dose-response result as CSV tables (bins, fits, curve,
 * caps), as a terminal table, as JSON (see dose.h).  The CSV columns are
 * the documented contract (man/tact-dose.1); JSON holds the same rows under
 * the same keys, so one list of column names serves both.
 */
#include "dose.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "summaryfile.h"
#include "table.h"

static const char *const bins_columns[] = {
	"metric", "direction", "kind", "bin", "exposures_low", "exposures_high",
	"units", "n", "mean_exposures", "mean", "low", "high", "fitted",
	"status", NULL};
static const char *const fits_columns[] = {
	"metric", "model", "transform", "term", "coefficient", "standard_error",
	"z", "p_value", "n", "converged", "iterations", "log_likelihood",
	"deviance", "null_deviance", "status", "note", NULL};
static const char *const curve_columns[] = {
	"metric", "exposures", "fitted", "low", "high", NULL};
static const char *const caps_columns[] = {
	"units", "cap", "cap_low", "cap_high", "cap_at_max", "max_exposures",
	"net_value_at_cap", "net_value_at_zero", "gain", "gain_low", "gain_high",
	"p_cap_zero", "draws", "covariance", "status", "note", NULL};

/* Rows as CSV lines or JSON objects, the fields in column order. */
typedef struct emitter {
	FILE *out;
	const tact_dose_result *result;
	int json;
	int rows;                /* rows written (JSON commas) */
	size_t field;            /* JSON fields written in this row */
	tact_format_csv_row csv; /* the CSV row being written */
	const char *const *columns;
} emitter;

/* The key of the next JSON field, after a comma unless it is the first. */
static void json_name(emitter *e)
{
	const tact_dose_result *r = e->result;
	const size_t d = e->field;

	if (e->field++ > 0)
		putc(',', e->out);
	tact_format_json_string(e->out, d < r->dimensions
	                                        ? r->summary->dimension_names[d]
	                                        : e->columns[d - r->dimensions]);
	putc(':', e->out);
}

static void put_text(emitter *e, const char *text)
{
	if (!e->json) {
		tact_format_csv_row_text(&e->csv, text);
		return;
	}
	json_name(e);
	tact_format_json_string(e->out, text);
}

static void put_number(emitter *e, double value)
{
	if (!e->json) {
		tact_format_csv_row_number(&e->csv, value);
		return;
	}
	json_name(e);
	tact_format_json_number(e->out, value);
}

/* A count; negative is blank. */
static void put_count(emitter *e, int64_t value)
{
	put_number(e, value < 0 ? NAN : (double)value);
}

static void begin_row(emitter *e, size_t segment)
{
	const tact_dose_segment *seg = &e->result->segments[segment];
	size_t d;

	if (e->json)
		fputs(e->rows ? ",\n{" : "\n{", e->out);
	else
		tact_format_csv_row_begin(&e->csv, e->out);
	e->rows++;
	e->field = 0;
	for (d = 0; d < e->result->dimensions; d++)
		put_text(e, seg->labels[d]);
}

static void end_row(emitter *e)
{
	if (e->json)
		putc('}', e->out);
	else
		tact_format_csv_row_end(&e->csv);
}

static void header(emitter *e)
{
	const tact_dose_result *r = e->result;
	size_t count = 0;

	while (e->columns[count])
		count++;
	tact_format_csv_row_begin(&e->csv, e->out);
	tact_format_csv_row_texts(&e->csv,
	                          (const char *const *)r->summary->dimension_names,
	                          r->dimensions);
	tact_format_csv_row_texts(&e->csv, e->columns, count);
	tact_format_csv_row_end(&e->csv);
}

static const char *metric_name(const tact_dose_result *r, size_t metric)
{
	return r->summary->metrics[metric].name;
}

static int is_rate(const tact_dose_result *r, size_t metric)
{
	return r->summary->metrics[metric].binary &&
	       r->summary->metrics[metric].role != TACT_ROLE_VALUE;
}

static void emit_bins(emitter *e)
{
	const tact_dose_result *r = e->result;
	size_t i;

	e->columns = bins_columns;
	for (i = 0; i < r->bin_row_count; i++) {
		const tact_dose_bin_row *row = &r->bin_rows[i];
		const tact_dose_bin bin = r->bins[row->bin];
		const tact_role role = r->summary->metrics[row->metric].role;
		char label[64];

		tact_dose_bin_label(bin, label, sizeof label);
		begin_row(e, row->segment);
		put_text(e, metric_name(r, row->metric));
		put_text(e, role == TACT_ROLE_ANNOYANCE ? "down" : "up");
		put_text(e, is_rate(r, row->metric) ? "rate" : "mean");
		put_text(e, label);
		put_count(e, bin.low);
		put_count(e, bin.high);
		put_count(e, row->units);
		put_count(e, row->n);
		put_number(e, row->mean_exposures);
		put_number(e, row->mean);
		put_number(e, row->low);
		put_number(e, row->high);
		put_number(e, row->fitted);
		put_text(e, row->suppressed ? "suppressed" : "ok");
		end_row(e);
	}
}

static const char *fit_status(const tact_dose_fit *fit)
{
	switch (fit->status) {
	case TACT_DOSE_FIT_OK: return fit->converged ? "ok" : "not_converged";
	case TACT_DOSE_FIT_SUPPRESSED: return "suppressed";
	case TACT_DOSE_FIT_FAILED: return "failed";
	}
	return "";
}

/* The name of term j of a fit. */
static void term_name(const tact_dose_result *r, const tact_dose_fit *fit,
                      size_t j, char *out, size_t size)
{
	char label[64];

	if (r->transform != TACT_DOSE_CATEGORICAL) {
		snprintf(out, size, "%s",
		         j == 0 ? "intercept"
		         : r->transform == TACT_DOSE_LOG ? "log1p(exposures)"
		                                         : "exposures");
		return;
	}
	tact_dose_bin_label(r->bins[fit->term_bins[j]], label, sizeof label);
	snprintf(out, size, "bin %s%s", label, j == 0 ? " (reference)" : "");
}

static void emit_fits(emitter *e)
{
	const tact_dose_result *r = e->result;
	size_t i, j;

	e->columns = fits_columns;
	for (i = 0; i < r->fit_count; i++) {
		const tact_dose_fit *fit = &r->fits[i];
		const int fitted = fit->status == TACT_DOSE_FIT_OK;
		/* A fit that did not happen has one row, with its reason. */
		const size_t terms = fitted ? fit->parameters : 1;

		for (j = 0; j < terms; j++) {
			char term[96];
			if (fitted)
				term_name(r, fit, j, term, sizeof term);
			else
				term[0] = '\0';
			begin_row(e, fit->segment);
			put_text(e, metric_name(r, fit->metric));
			put_text(e, fit->logistic ? "logistic" : "least_squares");
			put_text(e, tact_dose_transform_name(r->transform));
			put_text(e, term);
			put_number(e, fitted ? fit->coefficients[j] : NAN);
			put_number(e, fitted ? fit->standard_errors[j] : NAN);
			put_number(e, fitted ? fit->z[j] : NAN);
			put_number(e, fitted ? fit->p_values[j] : NAN);
			put_count(e, fit->n);
			put_count(e, fitted ? fit->converged : -1);
			put_count(e, fitted && fit->logistic ? (int64_t)fit->iterations
			                                     : -1);
			put_number(e, fitted ? fit->log_likelihood : NAN);
			put_number(e, fitted ? fit->deviance : NAN);
			put_number(e, fitted ? fit->null_deviance : NAN);
			put_text(e, fit_status(fit));
			put_text(e, fit->note);
			end_row(e);
		}
	}
}

static void emit_curve_of(emitter *e, size_t segment, const char *metric,
                          const double *value, const double *low,
                          const double *high)
{
	int64_t x;

	for (x = 0; x <= e->result->max_exposures; x++) {
		if (isnan(value[x]))
			continue;
		begin_row(e, segment);
		put_text(e, metric);
		put_count(e, x);
		put_number(e, value[x]);
		put_number(e, low[x]);
		put_number(e, high[x]);
		end_row(e);
	}
}

static void emit_curve(emitter *e)
{
	const tact_dose_result *r = e->result;
	size_t s, k;

	e->columns = curve_columns;
	for (s = 0; s < r->segment_count; s++) {
		for (k = 0; k < r->outcome_count; k++) {
			const tact_dose_fit *fit = &r->fits[s * r->outcome_count + k];
			if (s * r->outcome_count + k >= r->fit_count ||
			    fit->status != TACT_DOSE_FIT_OK)
				continue;
			emit_curve_of(e, s, metric_name(r, fit->metric), fit->curve,
			              fit->curve_low, fit->curve_high);
		}
		if (s < r->cap_count && r->caps[s].status == TACT_DOSE_CAP_OK)
			emit_curve_of(e, s, TACT_DOSE_NET_VALUE, r->caps[s].curve,
			              r->caps[s].curve_low, r->caps[s].curve_high);
	}
}

static const char *cap_status(const tact_dose_cap *cap)
{
	switch (cap->status) {
	case TACT_DOSE_CAP_OK: return "ok";
	case TACT_DOSE_CAP_SUPPRESSED: return "suppressed";
	case TACT_DOSE_CAP_FAILED: return "failed";
	}
	return "";
}

static void emit_caps(emitter *e)
{
	const tact_dose_result *r = e->result;
	size_t s;

	e->columns = caps_columns;
	for (s = 0; s < r->cap_count; s++) {
		const tact_dose_cap *cap = &r->caps[s];
		const int ok = cap->status == TACT_DOSE_CAP_OK;
		const int drawn = ok && cap->draws > 0;
		begin_row(e, s);
		put_count(e, cap->status == TACT_DOSE_CAP_SUPPRESSED
		                 ? -1 : r->segments[s].units);
		put_count(e, cap->cap);
		put_count(e, cap->cap_low);
		put_count(e, cap->cap_high);
		put_count(e, ok ? cap->at_max : -1);
		put_count(e, r->max_exposures);
		put_number(e, cap->net_at_cap);
		put_number(e, cap->net_at_zero);
		put_number(e, cap->gain);
		put_number(e, cap->gain_low);
		put_number(e, cap->gain_high);
		put_number(e, drawn ? cap->p_cap_zero : NAN);
		put_count(e, drawn ? (int64_t)cap->draws : -1);
		put_text(e, !drawn ? "" : cap->joint ? "joint" : "independent");
		put_text(e, cap_status(cap));
		put_text(e, cap->note);
		end_row(e);
	}
}

static tact_status finish(FILE *out, tact_error *error)
{
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the dose-response result");
	return TACT_OK;
}

tact_status tact_dose_write_csv(const tact_dose_result *result,
                                tact_dose_table table, FILE *out,
                                tact_error *error)
{
	emitter e;

	memset(&e, 0, sizeof e);
	e.out = out;
	e.result = result;
	switch (table) {
	case TACT_DOSE_TABLE_BINS: e.columns = bins_columns; break;
	case TACT_DOSE_TABLE_FITS: e.columns = fits_columns; break;
	case TACT_DOSE_TABLE_CURVE: e.columns = curve_columns; break;
	case TACT_DOSE_TABLE_CAPS: e.columns = caps_columns; break;
	}
	header(&e);
	switch (table) {
	case TACT_DOSE_TABLE_BINS: emit_bins(&e); break;
	case TACT_DOSE_TABLE_FITS: emit_fits(&e); break;
	case TACT_DOSE_TABLE_CURVE: emit_curve(&e); break;
	case TACT_DOSE_TABLE_CAPS: emit_caps(&e); break;
	}
	return finish(out, error);
}

/* ---- JSON ------------------------------------------------------------ */



static void json_array(emitter *e, const char *key, int *first,
                       void (*emit)(emitter *))
{
	tact_format_json_key(e->out, key, first);
	putc('[', e->out);
	e->rows = 0;
	emit(e);
	fputs("]", e->out);
}

tact_status tact_dose_write_json(const tact_dose_result *r, FILE *out,
                                 tact_error *error)
{
	const tact_summary *summary = r->summary;
	emitter e;
	int first = 1, f;
	size_t i;

	memset(&e, 0, sizeof e);
	e.out = out;
	e.result = r;
	e.json = 1;
	putc('{', out);
	tact_format_json_key(out, "settings", &first);
	f = 1;
	putc('{', out);
	tact_format_json_key(out, "transform", &f);
	tact_format_json_string(out, tact_dose_transform_name(r->transform));
	tact_format_json_number_field(out, "confidence", r->confidence, &f);
	tact_format_json_number_field(out, "min_cell", (double)r->min_cell, &f);
	tact_format_json_key(out, "exposures", &f);
	tact_format_json_string(out, summary->metrics[r->exposure_metric].name);
	tact_format_json_key(out, "arms", &f);
	putc('[', out);
	tact_format_list(out, (const char *const *)r->arms, r->arm_count, ",",
	                 tact_format_json_string);
	putc(']', out);
	tact_format_json_key(out, "bins", &f);
	putc('[', out);
	for (i = 0; i < r->bin_count; i++) {
		char label[64];
		int g = 1;
		tact_dose_bin_label(r->bins[i], label, sizeof label);
		fputs(i ? ",{" : "{", out);
		tact_format_json_key(out, "label", &g);
		tact_format_json_string(out, label);
		tact_format_json_number_field(out, "low", (double)r->bins[i].low, &g);
		tact_format_json_number_field(out, "high", r->bins[i].high == TACT_DOSE_OPEN
		                             ? NAN : (double)r->bins[i].high, &g);
		putc('}', out);
	}
	putc(']', out);
	tact_format_json_number_field(out, "max_exposures", (double)r->max_exposures, &f);
	tact_format_json_key(out, "max_clamped", &f);
	fputs(r->max_clamped ? "true" : "false", out);
	tact_format_json_key(out, "weights", &f);
	putc('{', out);
	{
		int g = 1;
		for (i = 0; i < r->weight_count; i++)
			tact_format_json_number_field(out, metric_name(r, r->weight_metrics[i]),
			            r->weights[i], &g);
	}
	putc('}', out);
	tact_format_json_number_field(out, "seed", (double)r->seed, &f);
	putc('}', out);
	tact_format_json_key(out, "data", &first);
	f = 1;
	putc('{', out);
	tact_format_json_number_field(out, "rows_read", (double)summary->rows_read, &f);
	tact_format_json_number_field(out, "rows_rejected", (double)summary->rows_rejected, &f);
	tact_format_json_number_field(out, "rows_excluded_consent",
	            (double)summary->rows_excluded_consent, &f);
	tact_summaryfile_write_where_json(out, summary, &f); /* --where */
	/* privacy: hidden with the pooled segment's units (dose_privacy.c). */
	tact_format_json_number_field(out, "units", r->segments[0].suppressed
	                                            ? NAN : (double)r->units, &f);
	tact_format_json_number_field(out, "units_missing_exposures", (double)r->missing_exposures,
	            &f);
	tact_format_json_number_field(out, "bins_suppressed", (double)r->suppressed, &f);
	tact_summaryfile_write_caps_json(out, summary, &f); /* cap.h */
	tact_summaryfile_write_units_json(out, summary, &f);
	putc('}', out);
	json_array(&e, "bins", &first, emit_bins);
	json_array(&e, "fits", &first, emit_fits);
	json_array(&e, "curve", &first, emit_curve);
	json_array(&e, "caps", &first, emit_caps);
	fputs("}\n", out);
	return finish(out, error);
}

/* ---- table ------------------------------------------------------------ */

static void segment_title(const tact_dose_result *r, size_t s, FILE *out)
{
	const tact_dose_segment *seg = &r->segments[s];
	char safe[2][TACT_FORMAT_TEXT_MAX]; /* sanitized (format.h) */
	size_t d;

	if (r->dimensions == 0 || seg->pooled)
		fputs("All units", out);
	for (d = 0; d < r->dimensions && !seg->pooled; d++)
		fprintf(out, "%s%s = %s", d ? ", " : "",
		        tact_format_terminal_text(safe[0], sizeof safe[0],
		                                  r->summary->dimension_names[d]),
		        seg->labels[d][0] ? tact_format_terminal_text(
		                                    safe[1], sizeof safe[1],
		                                    seg->labels[d])
		                          : "(empty)");
	if (seg->units < r->min_cell)
		fprintf(out, " (fewer than %lld units)\n", (long long)r->min_cell);
	else if (seg->suppressed)
		fputs(" (hidden: smaller segments could be recovered from it)\n", out);
	else
		fprintf(out, " (%lld units)\n", (long long)seg->units);
}

static tact_status bins_table(const tact_dose_result *r, size_t s, FILE *out,
                              tact_error *error)
{
	const size_t columns = 3 + r->outcome_count;
	const char **headers = calloc(columns, sizeof *headers);
	const char **cells = calloc(columns, sizeof *cells);
	char (*text)[160] = calloc(columns, sizeof *text);
	tact_table table;
	size_t b, k;

	if (!headers || !cells || !text) {
		free((void *)headers);
		free((void *)cells);
		free(text);
		return tact_error_oom(error);
	}
	headers[0] = "exposures";
	headers[1] = "units";
	headers[2] = "mean exp.";
	for (k = 0; k < r->outcome_count; k++)
		headers[3 + k] = metric_name(r, r->outcomes[k]);
	if (tact_table_init(&table, columns, headers) != 0) {
		free((void *)headers);
		free((void *)cells);
		free(text);
		return tact_error_oom(error);
	}
	for (b = 0; b < r->bin_count; b++) {
		const tact_dose_bin_row *first =
			&r->bin_rows[(s * r->outcome_count) * r->bin_count + b];
		tact_dose_bin_label(r->bins[b], text[0], sizeof text[0]);
		if (first->units >= 0)
			snprintf(text[1], sizeof text[1], "%lld",
			         (long long)first->units);
		else
			snprintf(text[1], sizeof text[1], "hidden");
		tact_format_fixed(text[2], sizeof text[2], first->mean_exposures, 2);
		for (k = 0; k < r->outcome_count; k++) {
			const tact_dose_bin_row *row =
				&r->bin_rows[(s * r->outcome_count + k) * r->bin_count + b];
			tact_format_interval_text(text[3 + k], sizeof text[3 + k],
			                          row->mean, row->low, row->high,
			                          is_rate(r, row->metric));
		}
		for (k = 0; k < columns; k++)
			cells[k] = text[k][0] ? text[k] : "-";
		tact_table_add(&table, cells, 0);
	}
	tact_table_align_right(&table, 1);
	tact_table_align_right(&table, 2);
	tact_table_print(&table, out);
	tact_table_release(&table);
	free((void *)headers);
	free((void *)cells);
	free(text);
	return TACT_OK;
}

static tact_status fits_table(const tact_dose_result *r, size_t s, FILE *out,
                              tact_error *error)
{
	static const char *const headers[] = {
		"metric", "model", "term", "coefficient", "s.e.", "p", "note"};
	tact_table table;
	size_t k, j;

	if (tact_table_init(&table, 7, headers) != 0)
		return tact_error_oom(error);
	for (k = 0; k < r->outcome_count; k++) {
		const tact_dose_fit *fit = &r->fits[s * r->outcome_count + k];
		const size_t terms = fit->status == TACT_DOSE_FIT_OK ? fit->parameters
		                                                     : 1;
		for (j = 0; j < terms; j++) {
			char term[96], b[40], se[40], p[16], note[TACT_ERROR_MESSAGE_MAX];
			const char *cells[7];
			if (fit->status == TACT_DOSE_FIT_OK) {
				term_name(r, fit, j, term, sizeof term);
				tact_format_fixed(b, sizeof b, fit->coefficients[j], 4);
				tact_format_fixed(se, sizeof se, fit->standard_errors[j], 4);
				tact_format_p_text(p, sizeof p, fit->p_values[j]);
				snprintf(note, sizeof note, "%s",
				         j > 0 ? ""
				         : !fit->logistic ? "HC1 standard errors"
				         : fit->converged ? ""
				                          : fit->note);
				if (j == 0 && fit->logistic && fit->converged)
					snprintf(note, sizeof note, "converged in %zu iterations",
					         fit->iterations);
			} else {
				snprintf(term, sizeof term, "-");
				snprintf(b, sizeof b, "-");
				snprintf(se, sizeof se, "-");
				snprintf(p, sizeof p, "-");
				snprintf(note, sizeof note, "%s: %.700s", fit_status(fit),
				         fit->note);
			}
			cells[0] = j == 0 ? metric_name(r, fit->metric) : "";
			cells[1] = j == 0 ? (fit->logistic ? "logistic" : "least squares")
			                  : "";
			cells[2] = term;
			cells[3] = b;
			cells[4] = se;
			cells[5] = p;
			cells[6] = note;
			tact_table_add(&table, cells, 0);
		}
	}
	tact_table_align_right(&table, 3);
	tact_table_align_right(&table, 4);
	tact_table_align_right(&table, 5);
	tact_table_print(&table, out);
	tact_table_release(&table);
	return TACT_OK;
}

static void cap_text(const tact_dose_result *r, size_t s, FILE *out)
{
	const tact_dose_cap *cap = &r->caps[s];
	char a[40], b[40], g[40], gl[40], gh[40], safe[TACT_FORMAT_TEXT_MAX];
	size_t i;

	fputs("net value per unit (", out);
	for (i = 0; i < r->weight_count; i++)
		fprintf(out, "%s%s=%s", i ? ", " : "",
		        tact_format_terminal_text(safe, sizeof safe,
		                                  metric_name(r, r->weight_metrics[i])),
		        tact_format_significant(a, sizeof a, r->weights[i], 6));
	fputs("): ", out);
	if (cap->status != TACT_DOSE_CAP_OK) {
		fprintf(out, "no cap (%s)\n", cap->note);
		return;
	}
	fprintf(out, "frequency cap %lld exposure%s", (long long)cap->cap,
	        cap->cap == 1 ? "" : "s");
	if (cap->draws > 0)
		fprintf(out, " [%lld, %lld] (%s%% of %zu draws; %s%% of draws at 0)",
		        (long long)cap->cap_low, (long long)cap->cap_high,
		        tact_format_significant(a, sizeof a, 100 * r->confidence, 6),
		        cap->draws,
		        tact_format_fixed(b, sizeof b, 100 * cap->p_cap_zero, 1));
	if (cap->at_max)
		fprintf(out, ", at the edge of the curve (%lld): it may lie higher",
		        (long long)r->max_exposures);
	tact_format_fixed(a, sizeof a, cap->net_at_cap, 4);
	tact_format_fixed(b, sizeof b, cap->net_at_zero, 4);
	fprintf(out, "\n  net value %s at the cap, %s at 0", a, b);
	if (!isnan(cap->gain)) {
		tact_format_fixed(g, sizeof g, cap->gain, 4);
		tact_format_fixed(gl, sizeof gl, cap->gain_low, 4);
		tact_format_fixed(gh, sizeof gh, cap->gain_high, 4);
		fprintf(out, ": gain %s%s [%s, %s]", cap->gain > 0 ? "+" : "", g, gl,
		        gh);
	}
	putc('\n', out);
}

tact_status tact_dose_write_table(const tact_dose_result *r, FILE *out,
                                  tact_error *error)
{
	size_t s;
	tact_status status;
	char safe[TACT_FORMAT_TEXT_MAX]; /* sanitized (format.h) */

	fprintf(out, "Outcomes by exposure count (%s) in arm%s ",
	        tact_format_terminal_text(safe, sizeof safe,
	                                  r->summary->metrics[r->exposure_metric].name),
	        r->arm_count == 1 ? "" : "s");
	tact_format_list(out, (const char *const *)r->arms, r->arm_count, ", ",
	                 tact_format_terminal);
	fprintf(out, "%s; models on %s; curves over 0..%lld exposures.\n\n",
	        r->arm_count == 1 ? "" : " (pooled)",
	        r->transform == TACT_DOSE_LOG ? "log(1 + exposures)"
	        : r->transform == TACT_DOSE_LINEAR ? "exposures"
	                                           : "the bins (one level each)",
	        (long long)r->max_exposures);
	for (s = 0; s < r->segment_count; s++) {
		segment_title(r, s, out);
		if ((status = bins_table(r, s, out, error)))
			return status;
		putc('\n', out);
		if ((status = fits_table(r, s, out, error)))
			return status;
		if (s < r->cap_count)
			cap_text(r, s, out);
		putc('\n', out);
	}
	fprintf(out,
	        "Rates in %%, intervals at %s%% (Wilson for rates, t for means); "
	        "coefficients on\nthe log-odds scale (logistic) or in the "
	        "metric's unit (least squares, HC1\nstandard errors).  %zu bin "
	        "cells hidden (fewer than %lld units or values, or\nhidden so "
	        "that such a cell cannot be recovered by subtraction).",
	        tact_format_significant(safe, sizeof safe, 100 * r->confidence, 6),
	        r->suppressed, (long long)r->min_cell);
	if (r->missing_exposures > 0)
		fprintf(out, "  %lld units without an exposure count left out.",
		        (long long)r->missing_exposures);
	/* privacy: every output says how many rows lacked consent. */
	fprintf(out, "\n%lld rows left out for lack of consent.",
	        (long long)r->summary->rows_excluded_consent);
	putc('\n', out);
	return finish(out, error);
}
