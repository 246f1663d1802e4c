/*
 * crossval_write.c - an evaluation's report written out: CSV (one row per
 * figure), a table for a person, JSON (format.h's writers, laid out as the
 * other tools' JSON) and the calibration tables as CSV (see intent.h).
 */
#include "intent_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "table.h"

/* The bin after b's group (b + 1 when bins are not merged). */
static size_t next_bin(const tact_crossval_calibration *c, size_t b)
{
	return c->last ? c->last[b] + 1 : b + 1;
}

/* A count of people, "(hidden)" when hidden (NaN: --min-cell), as
 * tact-compare's table shows a hidden count. */
static const char *count_text(char *buffer, double value)
{
	return isnan(value) ? "(hidden)"
	                    : tact_format_count(buffer, (int64_t)value);
}

/* -- CSV -- */

static void csv_row(FILE *out, const char *metric, const char *fold,
                    const char *class_name, const char *predicted, size_t bin,
                    double value)
{
	fputs(metric, out);
	putc(',', out);
	fputs(fold, out);
	putc(',', out);
	if (class_name)
		tact_format_csv_string(out, class_name, ',');
	putc(',', out);
	if (predicted)
		tact_format_csv_string(out, predicted, ',');
	putc(',', out);
	if (bin)
		fprintf(out, "%zu", bin);
	putc(',', out);
	tact_format_csv_number(out, value);
	putc('\n', out);
}

static void write_csv(const tact_crossval_report *r, FILE *out)
{
	const size_t k = r->classes;
	const tact_crossval_metrics *m = &r->all;
	size_t a, p, f, t, b;
	char fold[32];

	fputs("metric,fold,class,predicted,bin,value\n", out);
	csv_row(out, "rows", "all", NULL, NULL, 0, m->rows);
	csv_row(out, "rows_left_out", "all", NULL, NULL, 0, r->rows_left_out);
	csv_row(out, "accuracy", "all", NULL, NULL, 0, m->accuracy);
	csv_row(out, "auc", "all", NULL, NULL, 0, m->auc);
	csv_row(out, "log_loss", "all", NULL, NULL, 0, m->log_loss);
	for (a = 0; a < k; a++) {
		const char *name = r->class_names[a];
		csv_row(out, "support", "all", name, NULL, 0, m->support[a]);
		csv_row(out, "precision", "all", name, NULL, 0, m->precision[a]);
		csv_row(out, "recall", "all", name, NULL, 0, m->recall[a]);
		if (k > 2)
			csv_row(out, "auc", "all", name, NULL, 0, m->class_auc[a]);
	}
	for (a = 0; a < k; a++)
		for (p = 0; p < k; p++)
			csv_row(out, "confusion", "all", r->class_names[a],
			        r->class_names[p], 0, m->confusion[a * k + p]);
	for (t = 0; t < r->calibration_count; t++) {
		const tact_crossval_calibration *c = &r->calibration[t];
		const char *name = r->class_names[c->class_index];
		for (b = 0; b < c->bins; b = next_bin(c, b)) {
			csv_row(out, "calibration_count", "all", name, NULL, b + 1,
			        c->count[b]);
			csv_row(out, "calibration_mean_predicted", "all", name, NULL,
			        b + 1, c->mean_predicted[b]);
			csv_row(out, "calibration_observed_rate", "all", name, NULL,
			        b + 1, c->observed[b]);
		}
	}
	for (f = 0; f < r->folds; f++) {
		snprintf(fold, sizeof fold, "%zu", f + 1);
		csv_row(out, "rows", fold, NULL, NULL, 0, r->fold[f].rows);
		csv_row(out, "accuracy", fold, NULL, NULL, 0, r->fold[f].accuracy);
		csv_row(out, "auc", fold, NULL, NULL, 0, r->fold[f].auc);
		csv_row(out, "log_loss", fold, NULL, NULL, 0, r->fold[f].log_loss);
		csv_row(out, "iterations", fold, NULL, NULL, 0,
		        (double)r->iterations[f]);
		csv_row(out, "converged", fold, NULL, NULL, 0, r->converged[f]);
	}
	if (r->folds) {
		csv_row(out, "accuracy", "mean", NULL, NULL, 0, r->mean_accuracy);
		csv_row(out, "auc", "mean", NULL, NULL, 0, r->mean_auc);
		csv_row(out, "log_loss", "mean", NULL, NULL, 0, r->mean_log_loss);
	}
}

/* -- JSON --
 *
 * Laid out as the other tools' JSON (format.h's writers): one object, no
 * spaces, a line per record of its arrays of records (the folds, the
 * calibration tables and their bins), NaN and infinities as null.
 */

static void json_numbers(FILE *out, const double *values, size_t n)
{
	size_t i;

	putc('[', out);
	for (i = 0; i < n; i++) {
		if (i)
			putc(',', out);
		tact_format_json_number(out, values[i]);
	}
	putc(']', out);
}

/* The pooled measures: rows, accuracy, AUC, log loss, then per class. */
static void json_all(const tact_crossval_report *r, FILE *out, int *first)
{
	const size_t k = r->classes;
	const tact_crossval_metrics *m = &r->all;
	size_t a;
	int f = 1;

	tact_format_json_key(out, "all", first);
	putc('{', out);
	tact_format_json_number_field(out, "rows", m->rows, &f);
	tact_format_json_number_field(out, "accuracy", m->accuracy, &f);
	tact_format_json_number_field(out, "auc", m->auc, &f);
	tact_format_json_number_field(out, "log_loss", m->log_loss, &f);
	tact_format_json_key(out, "support", &f);
	json_numbers(out, m->support, k);
	tact_format_json_key(out, "precision", &f);
	json_numbers(out, m->precision, k);
	tact_format_json_key(out, "recall", &f);
	json_numbers(out, m->recall, k);
	tact_format_json_key(out, "class_auc", &f);
	json_numbers(out, m->class_auc, k);
	tact_format_json_key(out, "confusion", &f);
	putc('[', out);
	for (a = 0; a < k; a++) {
		if (a)
			putc(',', out);
		json_numbers(out, m->confusion + a * k, k);
	}
	fputs("]}", out);
}

/* The mean over the folds, then one record per fold. */
static void json_folds(const tact_crossval_report *r, FILE *out, int *first)
{
	size_t f;
	int g = 1;

	tact_format_json_key(out, "mean", first);
	putc('{', out);
	tact_format_json_number_field(out, "accuracy", r->mean_accuracy, &g);
	tact_format_json_number_field(out, "auc", r->mean_auc, &g);
	tact_format_json_number_field(out, "log_loss", r->mean_log_loss, &g);
	putc('}', out);
	tact_format_json_key(out, "fold_results", first);
	putc('[', out);
	for (f = 0; f < r->folds; f++) {
		const tact_crossval_metrics *m = &r->fold[f];
		int h = 1;

		fputs(f ? ",\n{" : "\n{", out);
		tact_format_json_number_field(out, "fold", (double)(f + 1), &h);
		tact_format_json_number_field(out, "rows", m->rows, &h);
		tact_format_json_number_field(out, "accuracy", m->accuracy, &h);
		tact_format_json_number_field(out, "auc", m->auc, &h);
		tact_format_json_number_field(out, "log_loss", m->log_loss, &h);
		tact_format_json_number_field(out, "iterations",
		                              (double)r->iterations[f], &h);
		tact_format_json_key(out, "converged", &h);
		fputs(r->converged[f] ? "true" : "false", out);
		putc('}', out);
	}
	putc(']', out);
}

/* Per calibrated class, its bins (a merged group once, as written in
 * CSV). */
static void json_calibration(const tact_crossval_report *r, FILE *out,
                             int *first)
{
	size_t t, b;

	tact_format_json_key(out, "calibration", first);
	putc('[', out);
	for (t = 0; t < r->calibration_count; t++) {
		const tact_crossval_calibration *c = &r->calibration[t];
		int g = 1;

		fputs(t ? ",\n{" : "\n{", out);
		tact_format_json_string_field(out, "class",
		                              r->class_names[c->class_index], &g);
		tact_format_json_key(out, "bins", &g);
		putc('[', out);
		for (b = 0; b < c->bins; b = next_bin(c, b)) {
			int h = 1;

			fputs(b ? ",\n{" : "\n{", out);
			tact_format_json_number_field(out, "low",
			                              (double)b / (double)c->bins, &h);
			tact_format_json_number_field(out, "high",
			                              (double)next_bin(c, b) /
			                              (double)c->bins, &h);
			tact_format_json_number_field(out, "count", c->count[b], &h);
			tact_format_json_number_field(out, "mean_predicted",
			                              c->mean_predicted[b], &h);
			tact_format_json_number_field(out, "observed_rate",
			                              c->observed[b], &h);
			putc('}', out);
		}
		fputs("]}", out);
	}
	putc(']', out);
}

static void write_json(const tact_crossval_report *r, FILE *out)
{
	size_t a;
	int first = 1;

	putc('{', out);
	tact_format_json_string_field(out, "label", r->label, &first);
	tact_format_json_string_field(out, "method", r->method, &first);
	if (strcmp(r->method, "logistic") == 0) {
		tact_format_json_number_field(out, "lambda", r->lambda, &first);
		tact_format_json_number_field(out, "C",
		                              r->lambda > 0 ? 1 / r->lambda : INFINITY,
		                              &first);
	}
	tact_format_json_number_field(out, "folds", (double)r->folds, &first);
	tact_format_json_number_field(out, "seed", (double)r->seed, &first);
	tact_format_json_key(out, "classes", &first);
	putc('[', out);
	for (a = 0; a < r->classes; a++) {
		if (a)
			putc(',', out);
		tact_format_json_string(out, r->class_names[a]);
	}
	putc(']', out);
	tact_format_json_number_field(out, "rows_left_out", r->rows_left_out,
	                              &first);
	json_all(r, out, &first);
	if (r->folds)
		json_folds(r, out, &first);
	json_calibration(r, out, &first);
	fputs("}\n", out);
}

/* -- table -- */

static const char *fixed(char *buffer, double value, int decimals)
{
	tact_format_fixed(buffer, TACT_FORMAT_NUMBER_MAX, value, decimals);
	return buffer[0] ? buffer : "-";
}

static tact_status print_table(tact_table *table, FILE *out, int failed,
                               tact_error *error)
{
	if (failed) {
		tact_table_release(table);
		return tact_error_oom(error);
	}
	tact_table_print(table, out);
	tact_table_release(table);
	return TACT_OK;
}

static tact_status table_summary(const tact_crossval_report *r, FILE *out,
                                 tact_error *error)
{
	const size_t columns = 2 + (r->folds ? 1 + r->folds : 0);
	const char **cells = calloc(columns, sizeof *cells);
	char (*text)[TACT_FORMAT_NUMBER_MAX] = calloc(columns, sizeof *text);
	tact_table table;
	size_t f, row, c;
	int failed = 0;

	if (!cells || !text) {
		free(cells);
		free(text);
		return tact_error_oom(error);
	}
	cells[0] = "";
	cells[1] = r->folds ? "out of fold" : "all rows";
	if (r->folds) {
		cells[2] = "mean of folds";
		for (f = 0; f < r->folds; f++) {
			snprintf(text[3 + f], sizeof text[0], "fold %zu", f + 1);
			cells[3 + f] = text[3 + f];
		}
	}
	if (tact_table_init(&table, columns, cells) != 0) {
		free(cells);
		free(text);
		return tact_error_oom(error);
	}
	for (c = 1; c < columns; c++)
		tact_table_align_right(&table, c);
	for (row = 0; row < (r->folds ? 6u : 4u); row++) {
		static const char *names[] = {"rows", "accuracy", "AUC", "log loss",
		                              "iterations", "converged"};
		cells[0] = names[row];
		for (c = 1; c < columns; c++) {
			const tact_crossval_metrics *m =
			        c == 1 ? &r->all : c >= 3 ? &r->fold[c - 3] : NULL;
			double v = NAN;
			switch (row) {
			case 0: v = m ? m->rows : NAN; break;
			case 1: v = m ? m->accuracy : r->mean_accuracy; break;
			case 2: v = m ? m->auc : r->mean_auc; break;
			case 3: v = m ? m->log_loss : r->mean_log_loss; break;
			}
			if (row == 0)
				cells[c] = m ? tact_format_count(text[c], (int64_t)v) : "";
			else if (row <= 3)
				cells[c] = fixed(text[c], v, 4);
			else if (c < 3)
				cells[c] = "";
			else if (row == 4)
				cells[c] = tact_format_count(text[c],
				                             (int64_t)r->iterations[c - 3]);
			else
				cells[c] = r->converged[c - 3] ? "yes" : "NO";
		}
		failed |= tact_table_add(&table, cells, 0) != 0;
	}
	free(cells);
	free(text);
	return print_table(&table, out, failed, error);
}

static tact_status table_classes(const tact_crossval_report *r, FILE *out,
                                 tact_error *error)
{
	const size_t k = r->classes, columns = 4 + (k > 2) + k;
	const char **cells = calloc(columns, sizeof *cells);
	char (*text)[TACT_FORMAT_NUMBER_MAX] = calloc(columns, sizeof *text);
	tact_table table;
	size_t a, p, c;
	int failed = 0;

	if (!cells || !text) {
		free(cells);
		free(text);
		return tact_error_oom(error);
	}
	cells[0] = "actual \\ predicted";
	cells[1] = "rows";
	cells[2] = "precision";
	cells[3] = "recall";
	if (k > 2)
		cells[4] = "AUC";
	for (p = 0; p < k; p++)
		cells[4 + (k > 2) + p] = r->class_names[p];
	if (tact_table_init(&table, columns, cells) != 0) {
		free(cells);
		free(text);
		return tact_error_oom(error);
	}
	for (c = 1; c < columns; c++)
		tact_table_align_right(&table, c);
	for (a = 0; a < k; a++) {
		cells[0] = r->class_names[a];
		cells[1] = count_text(text[1], r->all.support[a]);
		cells[2] = fixed(text[2], r->all.precision[a], 4);
		cells[3] = fixed(text[3], r->all.recall[a], 4);
		if (k > 2)
			cells[4] = fixed(text[4], r->all.class_auc[a], 4);
		for (p = 0; p < k; p++) {
			c = 4 + (k > 2) + p;
			cells[c] = count_text(text[c], r->all.confusion[a * k + p]);
		}
		failed |= tact_table_add(&table, cells, 0) != 0;
	}
	free(cells);
	free(text);
	return print_table(&table, out, failed, error);
}

static tact_status table_calibration(const tact_crossval_report *r,
                                     const tact_crossval_calibration *c,
                                     FILE *out, tact_error *error)
{
	static const char *headers[] = {"", "rows", "mean predicted",
	                                "observed rate"};
	const char *cells[4];
	char text[4][TACT_FORMAT_NUMBER_MAX];
	tact_table table;
	size_t b;
	int failed = 0;

	fputs("\nCalibration of the probability of ", out);
	tact_format_terminal(out, r->class_names[c->class_index]);
	fputs(":\n", out);
	if (tact_table_init(&table, 4, headers) != 0)
		return tact_error_oom(error);
	for (b = 1; b < 4; b++)
		tact_table_align_right(&table, b);
	for (b = 0; b < c->bins; b = next_bin(c, b)) {
		snprintf(text[0], sizeof text[0], "%.3g-%.3g",
		         (double)b / (double)c->bins,
		         (double)next_bin(c, b) / (double)c->bins);
		cells[0] = text[0];
		cells[1] = count_text(text[1], c->count[b]);
		cells[2] = fixed(text[2], c->mean_predicted[b], 4);
		cells[3] = fixed(text[3], c->observed[b], 4);
		failed |= tact_table_add(&table, cells, 0) != 0;
	}
	return print_table(&table, out, failed, error);
}

static tact_status write_table(const tact_crossval_report *r, FILE *out,
                               tact_error *error)
{
	tact_status status;
	size_t t;

	if (strcmp(r->method, "logistic") == 0) {
		tact_format_terminal(out, r->label);
		fputs(": logistic regression, ", out);
		if (r->lambda > 0)
			fprintf(out, "L2 penalty lambda %g (C %g), ", r->lambda,
			        1 / r->lambda);
		else
			fputs("no penalty, ", out);
		fprintf(out, "%zu-fold cross-validation, seed %llu\n", r->folds,
		        (unsigned long long)r->seed);
	} else {
		tact_format_terminal(out, r->label);
		fputs(": rules, on every labelled row (no folds)\n", out);
	}
	fprintf(out, "%.0f rows, %.0f left out (no label or a missing feature)\n\n",
	        r->all.rows, r->rows_left_out);
	status = table_summary(r, out, error);
	if (status == TACT_OK) {
		fprintf(out, "\nPer class%s (rows: actual class; last columns: "
		        "predicted class):\n", r->folds ? ", out of fold" : "");
		status = table_classes(r, out, error);
	}
	for (t = 0; status == TACT_OK && t < r->calibration_count; t++)
		status = table_calibration(r, &r->calibration[t], out, error);
	return status;
}

tact_status tact_crossval_report_write(const tact_crossval_report *report,
                                       tact_crossval_format format, FILE *out,
                                       tact_error *error)
{
	switch (format) {
	case TACT_CROSSVAL_TABLE:
		return write_table(report, out, error);
	case TACT_CROSSVAL_JSON:
		write_json(report, out);
		return TACT_OK;
	default:
		write_csv(report, out);
		return TACT_OK;
	}
}

void tact_crossval_write_calibration(const tact_crossval_report *report,
                                     FILE *out)
{
	size_t t, b;

	fputs("class,bin,low,high,count,mean_predicted,observed_rate\n", out);
	for (t = 0; t < report->calibration_count; t++) {
		const tact_crossval_calibration *c = &report->calibration[t];
		for (b = 0; b < c->bins; b = next_bin(c, b)) {
			tact_format_csv_string(out, report->class_names[c->class_index],
			                       ',');
			fprintf(out, ",%zu,", b + 1);
			tact_format_csv_number(out, (double)b / (double)c->bins);
			putc(',', out);
			tact_format_csv_number(out,
			                       (double)next_bin(c, b) / (double)c->bins);
			putc(',', out);
			tact_format_csv_number(out, c->count[b]);
			putc(',', out);
			tact_format_csv_number(out, c->mean_predicted[b]);
			putc(',', out);
			tact_format_csv_number(out, c->observed[b]);
			putc('\n', out);
		}
	}
}
