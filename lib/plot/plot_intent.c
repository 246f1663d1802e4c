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

/* The classes of the table, in order of first appearance. */
static tact_status read_classes(const tact_plot_table *table,
                                tact_plot_list *classes, tact_error *error)
{
	size_t c_class = (size_t)tact_plot_table_column(table, "class");
	size_t r;

	for (r = 0; r < table->rows; r++)
		if (tact_plot_list_add(classes,
		                       tact_plot_table_text(table, r, c_class)) < 0)
			return tact_error_oom(error);
	return TACT_OK;
}

/* The style and the title of a chart of one square panel. */
static void start(FILE *out, const char *title, double width, double height)
{
	tact_plot_style(out);
	fputs("set multiplot\nunset key\n", out);
	tact_plot_title(out, title, (int)width, (int)height);
}

/* The key entry of class k, in a column under the panel. */
static void class_key(FILE *out, size_t k, const char *label, int point,
                      double top, double width, double height)
{
	tact_plot_key_line(out, (int)(100 + k), 30, top + PANEL + 66 + 20.0 * k,
	                   label, point, tact_plot_series_colour(k),
	                   tact_plot_series_dash(k), (int)width, (int)height);
}

/* The ROC curve of class k as a datablock, thinned, and its area (by the
 * trapezoids of every point). */
static tact_status write_roc_curve(FILE *out, const tact_plot_table *table,
                                   const char *class, size_t k, double *auc,
                                   tact_error *error)
{
	size_t c_class = (size_t)tact_plot_table_column(table, "class");
	size_t c_fpr = (size_t)tact_plot_table_column(table,
	                                              "false_positive_rate");
	size_t c_tpr = (size_t)tact_plot_table_column(table, "true_positive_rate");
	double kept_x = -1, kept_y = -1, x = 0, y = 0, last_x = 0, last_y = 0;
	double v[2];
	int first = 1;
	size_t r;
	tact_status status;

	fprintf(out, "$roc%zu << EOD\n", k);
	for (r = 0; r < table->rows; r++) {
		double px = x, py = y;
		if (strcmp(tact_plot_table_text(table, r, c_class), class) != 0)
			continue;
		if ((status = tact_plot_table_number(table, r, c_fpr, &x, error)) ||
		    (status = tact_plot_table_number(table, r, c_tpr, &y, error)))
			return status;
		if (isnan(x) || isnan(y) || x < 0 || x > 1 || y < 0 || y > 1)
			return tact_error_set(error, TACT_DATA, table->name,
			                      table->lines[r], c_fpr + 1,
			                      "a rate must lie between 0 and 1");
		if (!first)
			*auc += (x - px) * (y + py) / 2;
		first = 0;
		if (fabs(x - kept_x) >= THIN || fabs(y - kept_y) >= THIN || x == 1) {
			v[0] = x;
			v[1] = y;
			tact_plot_numbers(out, v, 2);
			fputc('\n', out);
			kept_x = x;
			kept_y = y;
		}
		last_x = x;
		last_y = y;
	}
	/* The last point always, so the curve reaches (1, 1). */
	if (kept_x != last_x || kept_y != last_y) {
		v[0] = last_x;
		v[1] = last_y;
		tact_plot_numbers(out, v, 2);
		fputc('\n', out);
	}
	fputs("EOD\n", out);
	return TACT_OK;
}

tact_status tact_plot_build_roc(const tact_plot_table *table,
                                const tact_plot_options *options,
                                tact_plot_script *script, tact_error *error)
{
	const char *title = tact_plot_title_text(options, "ROC curve of the "
	                                         "intent model, cross-validated");
	tact_plot_list classes;
	double *auc = NULL;
	double width, height, left = 70, top = 50, key_width = 0;
	tact_plot_writer w;
	tact_status status;
	size_t k;
	char label[160];

	tact_plot_list_init(&classes);
	status = read_classes(table, &classes, error);
	if (status != TACT_OK)
		goto done;
	auc = calloc(classes.count, sizeof *auc);
	if (!auc) {
		status = tact_error_oom(error);
		goto done;
	}
	if ((status = tact_plot_writer_open(&w, error)) != TACT_OK)
		goto done;
	for (k = 0; k < classes.count && status == TACT_OK; k++)
		status = write_roc_curve(w.out, table, classes.items[k], k, &auc[k],
		                         error);
	if (status != TACT_OK) {
		tact_plot_writer_abort(&w);
		goto done;
	}
	for (k = 0; k < classes.count; k++) {
		snprintf(label, sizeof label, "%s against the rest, area %.3f",
		         classes.items[k], auc[k]);
		key_width = fmax(key_width, tact_plot_key_width(label) + 12);
	}
	width = fmax(left + PANEL + 40, key_width + 40);
	width = fmax(width, tact_plot_title_width(title));
	height = top + PANEL + 60 + 20 * classes.count + 20;
	start(w.out, title, width, height);
	for (k = 0; k < classes.count; k++) {
		char shortened[128];
		tact_plot_shorten(classes.items[k], TACT_PLOT_LABEL_MAX, shortened,
		                  sizeof shortened);
		snprintf(label, sizeof label, "%s against the rest, area %.3f",
		         shortened, auc[k]);
		class_key(w.out, k, label, -1, top, width, height);
	}
	square(w.out, width, height, left, top, "false positive rate",
	       "true positive rate", "chance");
	fputs("plot ", w.out);
	for (k = 0; k < classes.count; k++)
		fprintf(w.out, "%s$roc%zu using 1:2 with lines lw 2 dt %d lc rgb "
		        "'%s'", k ? ", \\\n  " : "", k, tact_plot_series_dash(k),
		        tact_plot_series_colour(k));
	fputs("\nunset label\nunset arrow\nunset multiplot\n", w.out);
	status = tact_plot_writer_finish(&w, script, (int)width, (int)height,
	                                 error);
done:
	free(auc);
	tact_plot_list_release(&classes);
	return status;
}

/* The largest count of a bin, for the points' sizes. */
static tact_status largest_count(const tact_plot_table *table,
                                 double *largest, tact_error *error)
{
	size_t c_count = (size_t)tact_plot_table_column(table, "count");
	size_t r;
	tact_status status;

	*largest = 0;
	for (r = 0; r < table->rows; r++) {
		double count;
		if ((status = tact_plot_table_number(table, r, c_count, &count,
		                                     error)) != TACT_OK)
			return status;
		if (count > *largest)
			*largest = count;
	}
	return TACT_OK;
}

/* The bins of class k: predicted, observed, point size (area ~ rows). */
static tact_status write_bins(FILE *out, const tact_plot_table *table,
                              const char *class, size_t k, double largest,
                              tact_error *error)
{
	size_t c_class = (size_t)tact_plot_table_column(table, "class");
	size_t c_count = (size_t)tact_plot_table_column(table, "count");
	size_t c_predicted = (size_t)tact_plot_table_column(table,
	                                                    "mean_predicted");
	size_t c_observed = (size_t)tact_plot_table_column(table,
	                                                   "observed_rate");
	size_t r;
	tact_status status;

	fprintf(out, "$calibration%zu << EOD\n", k);
	for (r = 0; r < table->rows; r++) {
		double count, v[2];
		if (strcmp(tact_plot_table_text(table, r, c_class), class) != 0)
			continue;
		if ((status = tact_plot_table_number(table, r, c_count, &count,
		                                     error)) ||
		    (status = tact_plot_table_number(table, r, c_predicted, &v[0],
		                                     error)) ||
		    (status = tact_plot_table_number(table, r, c_observed, &v[1],
		                                     error)))
			return status;
		if (!(count > 0) || isnan(v[0]) || isnan(v[1]))
			continue;   /* an empty bin */
		tact_plot_numbers(out, v, 2);
		fprintf(out, " %.4f\n", 0.5 + 2.0 * sqrt(count / largest));
	}
	fputs("NaN NaN NaN\nEOD\n", out);
	return TACT_OK;
}

tact_status tact_plot_build_calibration(const tact_plot_table *table,
                                        const tact_plot_options *options,
                                        tact_plot_script *script,
                                        tact_error *error)
{
	const char *title = tact_plot_title_text(options, "Calibration of the "
	                                         "intent model, "
	                                         "cross-validated");
	tact_plot_list classes;
	double largest, width, height, left = 70, top = 50, key_width = 0;
	tact_plot_writer w;
	tact_status status;
	size_t k;

	tact_plot_list_init(&classes);
	status = read_classes(table, &classes, error);
	if (status == TACT_OK)
		status = largest_count(table, &largest, error);
	if (status == TACT_OK)
		status = tact_plot_writer_open(&w, error);
	for (k = 0; k < classes.count && status == TACT_OK; k++)
		if ((status = write_bins(w.out, table, classes.items[k], k, largest,
		                         error)) != TACT_OK)
			tact_plot_writer_abort(&w);
	if (status != TACT_OK) {
		tact_plot_list_release(&classes);
		return status;
	}
	for (k = 0; k < classes.count; k++)
		key_width = fmax(key_width, tact_plot_key_width(classes.items[k]));
	width = fmax(left + PANEL + 40, key_width + 40);
	width = fmax(width, tact_plot_title_width(title));
	height = top + PANEL + 60 + 20 * classes.count + 40;
	start(w.out, title, width, height);
	for (k = 0; k < classes.count; k++) {
		char shortened[128];
		tact_plot_shorten(classes.items[k], TACT_PLOT_LABEL_MAX, shortened,
		                  sizeof shortened);
		class_key(w.out, k, shortened, 7, top, width, height);
	}
	tact_plot_note(w.out, "Each point a bin of predicted probability; its "
	               "area grows with the bin's rows.", (int)width, (int)height,
	               0);
	square(w.out, width, height, left, top, "mean predicted probability",
	       "observed share", "perfect calibration");
	fputs("plot ", w.out);
	for (k = 0; k < classes.count; k++)
		fprintf(w.out, "%s$calibration%zu using 1:2 with lines lw 1.5 dt %d "
		        "lc rgb '%s', \\\n  '' using 1:2:($3*PS) with points pt 7 "
		        "ps variable lc rgb '%s'", k ? ", \\\n  " : "", k,
		        tact_plot_series_dash(k), tact_plot_series_colour(k),
		        tact_plot_series_colour(k));
	fputs("\nunset label\nunset arrow\nunset multiplot\n", w.out);
	tact_plot_list_release(&classes);
	return tact_plot_writer_finish(&w, script, (int)width, (int)height,
	                               error);
}
