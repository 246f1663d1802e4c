/*
 * plot_intent.c - the charts of the intent model's evaluation (tact-intent
 * eval --roc, --calibration): the ROC curve of each class against the rest,
 * with the area under it and the chance diagonal; the calibration of each
 * class, observed share against mean predicted probability per bin, the
 * marker's area growing with the bin's rows, and the diagonal of perfect
 * calibration.
 *
 * A ROC file holds a point per distinct predicted probability: thousands on
 * a real export.  The curve is thinned to the points that move it by a
 * thousandth of an axis or more (a fraction of a pixel), which keeps its
 * shape and keeps the SVG small; the area is computed on every point (the
 * trapezoidal rule, as scikit-learn's roc_auc_score over the same points).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

#define PANEL 420.0
#define THIN 0.001

static tact_status oom(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
}

/* The square panel, its axes on [0, 1] and the diagonal. */
static void square(FILE *out, double width, double height, double left,
                   double top, const char *xlabel, const char *ylabel,
                   const char *diagonal)
{
	tact_plot_frame(out, (int)width, (int)height, left, top, left + PANEL,
	                top + PANEL);
	fputs("set xrange [0:1]\nset yrange [0:1]\nset xtics 0.2\nset ytics 0.2\n"
	      "set mxtics 2\nset mytics 2\nset format x '%g'\nset format y '%g'\n"
	      "set grid xtics ytics\nset border 15\n", out);
	fprintf(out, "set xlabel '%s' font ',%g'\nset ylabel '%s' font ',%g'\n",
	        xlabel, TACT_PLOT_FONT_AXIS, ylabel, TACT_PLOT_FONT_AXIS);
	fprintf(out, "set arrow 1 from 0,0 to 1,1 nohead lc rgb '%s' lw 1.2 dt 2 "
	        "back\n", TACT_PLOT_GREY);
	fprintf(out, "set label 2 '%s' at graph 0.62, graph 0.55 center rotate "
	        "by 45 front textcolor rgb '%s'\n", diagonal, TACT_PLOT_GREY);
}

tact_status tact_plot_build_roc(const tact_plot_table *table,
                                const tact_plot_options *options,
                                tact_plot_script *script, tact_error *error)
{
	size_t c_class = (size_t)tact_plot_table_column(table, "class");
	size_t c_fpr = (size_t)tact_plot_table_column(table,
	                                              "false_positive_rate");
	size_t c_tpr = (size_t)tact_plot_table_column(table, "true_positive_rate");
	tact_plot_list classes;
	double *auc = NULL, *last_x = NULL, *last_y = NULL;
	double width, height, left = 70, top = 50, key_width = 0;
	tact_plot_writer w;
	tact_status status;
	size_t r, k;
	char label[160];
	FILE *out;

	tact_plot_list_init(&classes);
	for (r = 0; r < table->rows; r++)
		if (tact_plot_list_add(&classes,
		                       tact_plot_table_text(table, r, c_class)) < 0) {
			tact_plot_list_release(&classes);
			return oom(error);
		}
	auc = calloc(classes.count, sizeof *auc);
	last_x = calloc(classes.count, sizeof *last_x);
	last_y = calloc(classes.count, sizeof *last_y);
	if (!auc || !last_x || !last_y) {
		status = oom(error);
		goto done;
	}
	if ((status = tact_plot_writer_open(&w, error)) != TACT_OK)
		goto done;
	out = w.out;

	/* One datablock per class, thinned; the area on every point. */
	for (k = 0; k < classes.count; k++) {
		double kept_x = -1, kept_y = -1, x = 0, y = 0;
		int first = 1;

		fprintf(out, "$roc%zu << EOD\n", k);
		for (r = 0; r < table->rows; r++) {
			double px = x, py = y;
			if (strcmp(tact_plot_table_text(table, r, c_class),
			           classes.items[k]) != 0)
				continue;
			if ((status = tact_plot_table_number(table, r, c_fpr, &x,
			                                     error)) ||
			    (status = tact_plot_table_number(table, r, c_tpr, &y,
			                                     error))) {
				tact_plot_writer_abort(&w);
				goto done;
			}
			if (isnan(x) || isnan(y) || x < 0 || x > 1 || y < 0 || y > 1) {
				tact_plot_writer_abort(&w);
				status = tact_error_set(error, TACT_DATA, table->name,
				                        table->lines[r], c_fpr + 1,
				                        "a rate must lie between 0 and 1");
				goto done;
			}
			if (!first)
				auc[k] += (x - px) * (y + py) / 2;
			first = 0;
			if (fabs(x - kept_x) >= THIN || fabs(y - kept_y) >= THIN ||
			    x == 1) {
				tact_plot_number(out, x);
				fputc(' ', out);
				tact_plot_number(out, y);
				fputc('\n', out);
				kept_x = x;
				kept_y = y;
			}
			last_x[k] = x;
			last_y[k] = y;
		}
		/* The last point always, so the curve reaches (1, 1). */
		if (kept_x != last_x[k] || kept_y != last_y[k]) {
			tact_plot_number(out, last_x[k]);
			fputc(' ', out);
			tact_plot_number(out, last_y[k]);
			fputc('\n', out);
		}
		fputs("EOD\n", out);
	}
	for (k = 0; k < classes.count; k++) {
		snprintf(label, sizeof label, "%s against the rest, area %.3f",
		         classes.items[k], auc[k]);
		key_width = fmax(key_width, tact_plot_key_width(label) + 12);
	}
	width = fmax(left + PANEL + 40, key_width + 40);
	width = fmax(width, tact_plot_title_width(
	                            tact_plot_title_text(options, "ROC curve of "
	                                                 "the intent model, "
	                                                 "cross-validated")));
	height = top + PANEL + 60 + 20 * classes.count + 20;
	tact_plot_style(out);
	fputs("set multiplot\nunset key\n", out);
	tact_plot_title(out, tact_plot_title_text(options, "ROC curve of the "
	                                          "intent model, cross-validated"),
	                (int)width, (int)height);
	for (k = 0; k < classes.count; k++) {
		char shortened[128];
		tact_plot_shorten(classes.items[k], TACT_PLOT_LABEL_MAX, shortened,
		                  sizeof shortened);
		snprintf(label, sizeof label, "%s against the rest, area %.3f",
		         shortened, auc[k]);
		tact_plot_key_line(out, (int)(100 + k), 30,
		                   top + PANEL + 66 + 20.0 * k, label, -1,
		                   tact_plot_series_colour(k),
		                   tact_plot_series_dash(k), (int)width, (int)height);
	}
	square(out, width, height, left, top, "false positive rate",
	       "true positive rate", "chance");
	fputs("plot ", out);
	for (k = 0; k < classes.count; k++)
		fprintf(out, "%s$roc%zu using 1:2 with lines lw 2 dt %d lc rgb '%s'",
		        k ? ", \\\n  " : "", k, tact_plot_series_dash(k),
		        tact_plot_series_colour(k));
	fputs("\nunset label\nunset arrow\nunset multiplot\n", out);
	status = tact_plot_writer_finish(&w, script, (int)width, (int)height,
	                                 error);
done:
	free(auc);
	free(last_x);
	free(last_y);
	tact_plot_list_release(&classes);
	return status;
}

tact_status tact_plot_build_calibration(const tact_plot_table *table,
                                        const tact_plot_options *options,
                                        tact_plot_script *script,
                                        tact_error *error)
{
	size_t c_class = (size_t)tact_plot_table_column(table, "class");
	size_t c_count = (size_t)tact_plot_table_column(table, "count");
	size_t c_predicted = (size_t)tact_plot_table_column(table,
	                                                    "mean_predicted");
	size_t c_observed = (size_t)tact_plot_table_column(table,
	                                                   "observed_rate");
	static const char title[] = "Calibration of the intent model, "
	                            "cross-validated";
	tact_plot_list classes;
	double largest = 0, width, height, left = 70, top = 50, key_width = 0;
	tact_plot_writer w;
	tact_status status;
	size_t r, k;
	FILE *out;

	tact_plot_list_init(&classes);
	for (r = 0; r < table->rows; r++) {
		double count;
		if (tact_plot_list_add(&classes,
		                       tact_plot_table_text(table, r, c_class)) < 0) {
			tact_plot_list_release(&classes);
			return oom(error);
		}
		if ((status = tact_plot_table_number(table, r, c_count, &count,
		                                     error)) != TACT_OK) {
			tact_plot_list_release(&classes);
			return status;
		}
		if (count > largest)
			largest = count;
	}
	if ((status = tact_plot_writer_open(&w, error)) != TACT_OK) {
		tact_plot_list_release(&classes);
		return status;
	}
	out = w.out;
	/* Per class: predicted, observed, point size (area ~ rows). */
	for (k = 0; k < classes.count; k++) {
		fprintf(out, "$calibration%zu << EOD\n", k);
		for (r = 0; r < table->rows; r++) {
			double count, predicted, observed;
			if (strcmp(tact_plot_table_text(table, r, c_class),
			           classes.items[k]) != 0)
				continue;
			if ((status = tact_plot_table_number(table, r, c_count, &count,
			                                     error)) ||
			    (status = tact_plot_table_number(table, r, c_predicted,
			                                     &predicted, error)) ||
			    (status = tact_plot_table_number(table, r, c_observed,
			                                     &observed, error))) {
				tact_plot_writer_abort(&w);
				tact_plot_list_release(&classes);
				return status;
			}
			if (!(count > 0) || isnan(predicted) || isnan(observed))
				continue;   /* an empty bin */
			tact_plot_number(out, predicted);
			fputc(' ', out);
			tact_plot_number(out, observed);
			fprintf(out, " %.4f\n", 0.5 + 2.0 * sqrt(count / largest));
		}
		fputs("NaN NaN NaN\nEOD\n", out);
	}
	for (k = 0; k < classes.count; k++)
		key_width = fmax(key_width, tact_plot_key_width(classes.items[k]));
	width = fmax(left + PANEL + 40, key_width + 40);
	width = fmax(width, tact_plot_title_width(tact_plot_title_text(options,
	                                                               title)));
	height = top + PANEL + 60 + 20 * classes.count + 40;
	tact_plot_style(out);
	fputs("set multiplot\nunset key\n", out);
	tact_plot_title(out, tact_plot_title_text(options, title), (int)width,
	                (int)height);
	for (k = 0; k < classes.count; k++) {
		char shortened[128];
		tact_plot_shorten(classes.items[k], TACT_PLOT_LABEL_MAX, shortened,
		                  sizeof shortened);
		tact_plot_key_line(out, (int)(100 + k), 30,
		                   top + PANEL + 66 + 20.0 * k, shortened, 7,
		                   tact_plot_series_colour(k),
		                   tact_plot_series_dash(k), (int)width, (int)height);
	}
	tact_plot_note(out, "Each point a bin of predicted probability; its area "
	               "grows with the bin's rows.", (int)width, (int)height, 0);
	square(out, width, height, left, top, "mean predicted probability",
	       "observed share", "perfect calibration");
	fputs("plot ", out);
	for (k = 0; k < classes.count; k++)
		fprintf(out, "%s$calibration%zu using 1:2 with lines lw 1.5 dt %d lc "
		        "rgb '%s', \\\n  '' using 1:2:($3*PS) with points pt 7 ps "
		        "variable lc rgb '%s'", k ? ", \\\n  " : "", k,
		        tact_plot_series_dash(k), tact_plot_series_colour(k),
		        tact_plot_series_colour(k));
	fputs("\nunset label\nunset arrow\nunset multiplot\n", out);
	tact_plot_list_release(&classes);
	return tact_plot_writer_finish(&w, script, (int)width, (int)height,
	                               error);
}
