/*
 * plot_dose.c - the dose chart of tact-dose's output: a row of panels per
 * segment, a column per outcome (and one for the net value when the curve
 * table has it); in each panel the observed rate (or mean) per exposure bin
 * at the bin's mean exposure count, with its interval, the fitted curve
 * with its band, and the segment's frequency cap as a dashed vertical line
 * over the shaded interval of the cap.
 *
 * Inputs: the bins table (tact-dose's default CSV, the chart's INPUT), and
 * optionally the curve table (--output-curve, options->curve_path) and the
 * caps table (--output-caps, options->caps_path).  Rows of the three are
 * matched by segment label and metric.  A column shares one y range over
 * its segments, so the rows compare at a glance.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

#define PLOT_WIDTH 210.0
#define PLOT_HEIGHT 130.0
#define LEFT 62.0            /* y tic labels of each panel */
#define GAP 24.0

typedef struct cap {
	int present;
	double cap, low, high;
} cap;

static const char net_name[] = "net_value";

typedef struct dose {
	tact_plot_table curve, caps;
	int have_curve, have_caps;
	tact_plot_list segments, metrics;   /* metrics: columns, net last */
	int *down, *rate;                   /* per column */
	int net;                            /* a net value column */
	cap *cap_of;                        /* per segment */
	double *y_low, *y_high;             /* per column */
	double x_high;
	size_t suppressed, capless;
	/* The layout, in pixels from the top-left corner. */
	size_t grid_columns, grid_rows;
	int single;                         /* one outcome: lines of three */
	double width, height, top, head, row_height, bottom, panel_width;
	double x_step;
	char level[16];
} dose;

static void dose_release(dose *d)
{
	if (d->have_curve)
		tact_plot_table_release(&d->curve);
	if (d->have_caps)
		tact_plot_table_release(&d->caps);
	tact_plot_list_release(&d->segments);
	tact_plot_list_release(&d->metrics);
	free(d->down);
	free(d->rate);
	free(d->cap_of);
	free(d->y_low);
	free(d->y_high);
}

static void widen(dose *d, size_t column, double low, double high)
{
	if (!isnan(low) && low < d->y_low[column])
		d->y_low[column] = low;
	if (!isnan(high) && high > d->y_high[column])
		d->y_high[column] = high;
}

/* The columns and segments, in the bins' order; the y ranges. */
static tact_status scan(const tact_plot_table *bins,
                        const tact_plot_options *options, dose *d,
                        tact_error *error)
{
	size_t dims = tact_plot_table_dimensions(bins, "metric");
	size_t c_metric = (size_t)tact_plot_table_column(bins, "metric");
	long c_direction = tact_plot_table_column(bins, "direction");
	long c_kind = tact_plot_table_column(bins, "kind");
	long c_status = tact_plot_table_column(bins, "status");
	long c_x = tact_plot_table_column(bins, "mean_exposures");
	size_t capacity = bins->rows + 2, r;
	tact_plot_list all;
	tact_status status = TACT_OK;

	tact_plot_list_init(&all);
	d->down = calloc(capacity, sizeof *d->down);
	d->rate = calloc(capacity, sizeof *d->rate);
	d->y_low = calloc(capacity, sizeof *d->y_low);
	d->y_high = calloc(capacity, sizeof *d->y_high);
	if (!d->down || !d->rate || !d->y_low || !d->y_high)
		return tact_error_oom(error);
	for (r = 0; r < bins->rows; r++) {
		const char *metric = tact_plot_table_text(bins, r, c_metric);
		char segment[512];
		double x, mean, low, high;
		size_t before = d->metrics.count;
		long s, m;

		if (tact_plot_list_add(&all, metric) < 0) {
			status = tact_error_oom(error);
			goto done;
		}
		if (options->metric && strcmp(options->metric, metric) != 0)
			continue;
		tact_plot_table_segment(bins, r, dims, segment, sizeof segment);
		s = tact_plot_list_add(&d->segments, segment);
		m = tact_plot_list_add(&d->metrics, metric);
		if (s < 0 || m < 0) {
			status = tact_error_oom(error);
			goto done;
		}
		if (d->metrics.count > before) {
			d->down[m] = c_direction >= 0 &&
			             strcmp(tact_plot_table_text(bins, r,
			                                         (size_t)c_direction),
			                    "down") == 0;
			d->rate[m] = c_kind < 0 ||
			             strcmp(tact_plot_table_text(bins, r, (size_t)c_kind),
			                    "rate") == 0;
			d->y_low[m] = d->rate[m] ? 0 : INFINITY;
			d->y_high[m] = -INFINITY;
		}
		if (c_status >= 0 &&
		    strcmp(tact_plot_table_text(bins, r, (size_t)c_status),
		           "suppressed") == 0) {
			/* Never read the figures of a suppressed bin. */
			d->suppressed++;
			continue;
		}
		if ((status = tact_plot_table_number(
		             bins, r, (size_t)tact_plot_table_column(bins, "mean"),
		             &mean, error)) ||
		    (status = tact_plot_table_number(
		             bins, r, (size_t)tact_plot_table_column(bins, "low"),
		             &low, error)) ||
		    (status = tact_plot_table_number(
		             bins, r, (size_t)tact_plot_table_column(bins, "high"),
		             &high, error)))
			goto done;
		if (c_x >= 0) {
			if ((status = tact_plot_table_number(bins, r, (size_t)c_x, &x,
			                                     error)))
				goto done;
			if (!isnan(x) && x > d->x_high)
				d->x_high = x;
		}
		widen(d, (size_t)m, isnan(low) ? mean : low,
		      isnan(high) ? mean : high);
	}
	if (d->metrics.count == 0)
		status = tact_plot_nothing_to_draw(bins, options, &all, NULL,
		                                   "no bins to draw", error);
done:
	tact_plot_list_release(&all);
	return status;
}

/* The curve table: widen the ranges, note a net value column. */
static tact_status scan_curve(const tact_plot_options *options, dose *d,
                              tact_error *error)
{
	static const char *const required[] = {
		"metric", "exposures", "fitted", "low", "high", NULL
	};
	tact_plot_table *t = &d->curve;
	size_t dims, c_metric, r;
	tact_status status;

	status = tact_plot_table_read_file(t, options->curve_path,
	                                   "tact-dose --output-curve", required,
	                                   error);
	if (status != TACT_OK)
		return status;
	d->have_curve = 1;
	dims = tact_plot_table_dimensions(t, "metric");
	c_metric = (size_t)tact_plot_table_column(t, "metric");
	for (r = 0; r < t->rows; r++) {
		const char *metric = tact_plot_table_text(t, r, c_metric);
		char segment[512];
		double x, low, high, fitted;
		long m;

		tact_plot_table_segment(t, r, dims, segment, sizeof segment);
		if (tact_plot_list_find(&d->segments, segment) < 0)
			continue;
		m = tact_plot_list_find(&d->metrics, metric);
		if (m < 0 && strcmp(metric, net_name) == 0 && !options->metric) {
			m = tact_plot_list_add(&d->metrics, net_name);
			if (m < 0)
				return tact_error_oom(error);
			d->net = 1;
			d->down[m] = 0;
			d->rate[m] = 0;
			d->y_low[m] = 0;      /* the zero line stays in view */
			d->y_high[m] = 0;
		}
		if (m < 0)
			continue;
		if ((status = tact_plot_table_number(
		             t, r, (size_t)tact_plot_table_column(t, "exposures"),
		             &x, error)) ||
		    (status = tact_plot_table_number(
		             t, r, (size_t)tact_plot_table_column(t, "fitted"),
		             &fitted, error)) ||
		    (status = tact_plot_table_number(
		             t, r, (size_t)tact_plot_table_column(t, "low"), &low,
		             error)) ||
		    (status = tact_plot_table_number(
		             t, r, (size_t)tact_plot_table_column(t, "high"), &high,
		             error)))
			return status;
		if (!isnan(x) && x > d->x_high)
			d->x_high = x;
		widen(d, (size_t)m, isnan(low) ? fitted : low,
		      isnan(high) ? fitted : high);
	}
	return TACT_OK;
}

static tact_status scan_caps(const tact_plot_options *options, dose *d,
                             tact_error *error)
{
	static const char *const required[] = {
		"cap", "cap_low", "cap_high", "status", NULL
	};
	tact_plot_table *t = &d->caps;
	size_t dims, c_status, r;
	tact_status status;

	status = tact_plot_table_read_file(t, options->caps_path,
	                                   "tact-dose --output-caps", required,
	                                   error);
	if (status != TACT_OK)
		return status;
	d->have_caps = 1;
	dims = tact_plot_table_dimensions(t, "units");
	c_status = (size_t)tact_plot_table_column(t, "status");
	for (r = 0; r < t->rows; r++) {
		char segment[512];
		long s;
		cap *c;

		tact_plot_table_segment(t, r, dims, segment, sizeof segment);
		s = tact_plot_list_find(&d->segments, segment);
		if (s < 0)
			continue;
		if (strcmp(tact_plot_table_text(t, r, c_status), "ok") != 0) {
			d->capless++;
			continue;
		}
		c = &d->cap_of[s];
		if ((status = tact_plot_table_number(
		             t, r, (size_t)tact_plot_table_column(t, "cap"),
		             &c->cap, error)) ||
		    (status = tact_plot_table_number(
		             t, r, (size_t)tact_plot_table_column(t, "cap_low"),
		             &c->low, error)) ||
		    (status = tact_plot_table_number(
		             t, r, (size_t)tact_plot_table_column(t, "cap_high"),
		             &c->high, error)))
			return status;
		c->present = !isnan(c->cap);
		if (c->present && c->cap > d->x_high)
			d->x_high = c->cap;
	}
	return TACT_OK;
}

/* The bins of one panel as a datablock: x, y, low, high. */
static tact_status write_bins(FILE *out, const tact_plot_table *bins,
                              const dose *d, size_t s, size_t m, double scale,
                              tact_error *error)
{
	size_t dims = tact_plot_table_dimensions(bins, "metric");
	size_t c_metric = (size_t)tact_plot_table_column(bins, "metric");
	long c_status = tact_plot_table_column(bins, "status");
	long c_x = tact_plot_table_column(bins, "mean_exposures");
	long c_low = tact_plot_table_column(bins, "exposures_low");
	size_t r;
	tact_status status;

	fprintf(out, "$bins%zu_%zu << EOD\n", s, m);
	for (r = 0; r < bins->rows; r++) {
		char segment[512];
		double v[4];

		if (strcmp(tact_plot_table_text(bins, r, c_metric),
		           d->metrics.items[m]) != 0)
			continue;
		tact_plot_table_segment(bins, r, dims, segment, sizeof segment);
		if (strcmp(segment, d->segments.items[s]) != 0)
			continue;
		if (c_status >= 0 &&
		    strcmp(tact_plot_table_text(bins, r, (size_t)c_status),
		           "suppressed") == 0)
			continue;
		/* x: the bin's mean exposure count, else its first count. */
		v[0] = NAN;
		if (c_x >= 0 &&
		    (status = tact_plot_table_number(bins, r, (size_t)c_x, &v[0],
		                                     error)))
			return status;
		if (isnan(v[0]) && c_low >= 0 &&
		    (status = tact_plot_table_number(bins, r, (size_t)c_low, &v[0],
		                                     error)))
			return status;
		if ((status = tact_plot_table_number(
		             bins, r, (size_t)tact_plot_table_column(bins, "mean"),
		             &v[1], error)) ||
		    (status = tact_plot_table_number(
		             bins, r, (size_t)tact_plot_table_column(bins, "low"),
		             &v[2], error)) ||
		    (status = tact_plot_table_number(
		             bins, r, (size_t)tact_plot_table_column(bins, "high"),
		             &v[3], error)))
			return status;
		v[1] *= scale;
		v[2] *= scale;
		v[3] *= scale;
		tact_plot_numbers(out, v, 4);
		fputc('\n', out);
	}
	fputs("NaN NaN NaN NaN\nEOD\n", out);
	return TACT_OK;
}

/* The curve of one panel: x, fitted, low, high (nothing without one). */
static int write_curve(FILE *out, const dose *d, size_t s, size_t m,
                       double scale)
{
	const tact_plot_table *t = &d->curve;
	size_t dims, c_metric, r, rows = 0;
	tact_error ignored;

	if (!d->have_curve)
		return 0;
	tact_error_init(&ignored);
	dims = tact_plot_table_dimensions(t, "metric");
	c_metric = (size_t)tact_plot_table_column(t, "metric");
	fprintf(out, "$curve%zu_%zu << EOD\n", s, m);
	for (r = 0; r < t->rows; r++) {
		char segment[512];
		double v[4];

		if (strcmp(tact_plot_table_text(t, r, c_metric),
		           d->metrics.items[m]) != 0)
			continue;
		tact_plot_table_segment(t, r, dims, segment, sizeof segment);
		if (strcmp(segment, d->segments.items[s]) != 0)
			continue;
		/* Read and checked by scan_curve already. */
		tact_plot_table_number(t, r, (size_t)tact_plot_table_column(
		                               t, "exposures"), &v[0], &ignored);
		tact_plot_table_number(t, r, (size_t)tact_plot_table_column(
		                               t, "fitted"), &v[1], &ignored);
		tact_plot_table_number(t, r, (size_t)tact_plot_table_column(
		                               t, "low"), &v[2], &ignored);
		tact_plot_table_number(t, r, (size_t)tact_plot_table_column(
		                               t, "high"), &v[3], &ignored);
		v[2] = scale * (isnan(v[2]) ? v[1] : v[2]);
		v[3] = scale * (isnan(v[3]) ? v[1] : v[3]);
		v[1] *= scale;
		tact_plot_numbers(out, v, 4);
		fputc('\n', out);
		rows++;
	}
	if (rows == 0)
		fputs("NaN NaN NaN NaN\n", out);
	fputs("EOD\n", out);
	return rows > 0;
}

static const char causal_note[] = "Exposure is not randomized within the "
	"arms: the curves are causal only if exposure is as good as random "
	"within a segment.";
static const char key_points[] = "observed, per bin (interval)";
static const char key_curve[] = "fitted curve (band: interval)";
static const char key_cap[] = "cap: the exposure count of highest net value "
	"(shaded: its interval)";

/* The bins, the curve and caps tables when given. */
static tact_status read_tables(const tact_plot_table *table,
                               const tact_plot_options *options, dose *d,
                               tact_error *error)
{
	tact_status status = scan(table, options, d, error);

	if (status == TACT_OK && options->curve_path)
		status = scan_curve(options, d, error);
	if (status == TACT_OK) {
		d->cap_of = calloc(d->segments.count, sizeof *d->cap_of);
		if (!d->cap_of)
			status = tact_error_oom(error);
	}
	if (status == TACT_OK && options->caps_path)
		status = scan_caps(options, d, error);
	return status;
}

/* A row per segment and a column per outcome; one outcome alone puts the
 * segments in lines of three instead. */
static void lay_out(dose *d, const char *title)
{
	size_t metric_count = d->metrics.count;
	double key_width;

	d->top = 44;
	d->head = 34;
	d->single = metric_count == 1;
	d->grid_columns = d->single ? (d->segments.count < 3 ? d->segments.count
	                                                     : 3)
	                            : metric_count;
	d->grid_rows = d->single ? (d->segments.count + 2) / 3
	                         : d->segments.count;
	d->panel_width = LEFT + PLOT_WIDTH + GAP;
	d->row_height = 24 + PLOT_HEIGHT + 44;
	key_width = 20 + tact_plot_key_width(key_points) +
	            (d->have_curve ? tact_plot_key_width(key_curve) + 12 : 0) +
	            (d->have_caps ? tact_plot_key_width(key_cap) + 12 : 0);
	d->width = 20 + d->panel_width * d->grid_columns;
	d->width = fmax(d->width, tact_plot_title_width(title));
	d->width = fmax(d->width, key_width);
	d->width = fmax(d->width, tact_plot_note_width(causal_note));
	d->bottom = 42 + 14 * (1 + (d->suppressed > 0) + (d->capless > 0)) + 10;
	d->height = d->top + d->head + d->row_height * d->grid_rows + d->bottom;
	if (!(d->x_high > 0))
		d->x_high = 1;
	d->x_step = tact_plot_nice_step(d->x_high, 5);
}

/* The colour of column m: the net value black, else the role's. */
static const char *column_colour(const dose *d, size_t m)
{
	if (d->net && m == d->metrics.count - 1)
		return TACT_PLOT_BLACK;
	return d->down[m] ? TACT_PLOT_ANNOYANCE_COLOUR : TACT_PLOT_GOAL_COLOUR;
}

/* Column heads (one head when one outcome): the metric in its role's
 * colour, then what is shown. */
static void write_column_heads(FILE *out, const dose *d)
{
	size_t m, metric_count = d->metrics.count;
	char label[160];

	for (m = 0; m < (d->single ? 1 : metric_count); m++) {
		double px = 20 + m * d->panel_width + LEFT;
		int is_net = d->net && m == metric_count - 1;
		const char *what = is_net ? "net value per unit (weights)"
		                   : d->rate[m] ? (d->down[m] ? "annoyance rate (%)"
		                                              : "goal rate (%)")
		                                : "mean per unit";
		fprintf(out, "set label %zu ", 20 + 2 * m);
		tact_plot_shorten(is_net ? "net value" : d->metrics.items[m], 30,
		                  label, sizeof label);
		tact_plot_quote(out, label);
		fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
		        "textcolor rgb '%s'\n", px / d->width,
		        1.0 - (d->top + 4) / d->height, TACT_PLOT_FONT_AXIS,
		        column_colour(d, m));
		fprintf(out, "set label %zu '%s' at screen %.5f, screen %.5f left "
		        "front font ',%g' textcolor rgb '%s'\n", 21 + 2 * m, what,
		        px / d->width, 1.0 - (d->top + 18) / d->height,
		        TACT_PLOT_FONT - 1, TACT_PLOT_GREY);
	}
}

/* The style, the title, the notes, the key and the column heads. */
static void write_head(FILE *out, const dose *d, const char *title)
{
	int width = (int)d->width, height = (int)d->height, line = 0;
	double x = 20, y = d->height - d->bottom + 22;
	char note[240];

	tact_plot_style(out);
	fputs("set multiplot\n", out);
	tact_plot_title(out, title, width, height);
	if (d->suppressed)
		tact_plot_suppressed_note(out, d->suppressed, "bin", "tact-dose",
		                          ", not drawn", width, height, line++);
	if (d->capless) {
		snprintf(note, sizeof note, "%zu segment%s without a cap "
		         "(suppressed or not fitted).", d->capless,
		         d->capless == 1 ? "" : "s");
		tact_plot_note(out, note, width, height, line++);
	}
	tact_plot_note(out, causal_note, width, height, line++);
	x += tact_plot_key_entry(out, 6, x, y, key_points, 7, TACT_PLOT_INK,
	                         width, height);
	if (d->have_curve)
		x += tact_plot_key_line(out, 7, x, y, key_curve, -1, TACT_PLOT_INK,
		                        1, width, height);
	if (d->have_caps)
		tact_plot_key_line(out, 8, x, y, key_cap, -1, TACT_PLOT_INK, 2,
		                   width, height);
	write_column_heads(out, d);
	fputs("unset key\n", out);
}

/* The segment's name over its panel, with its cap and the cap's interval
 * when there is one.  Label tag 10. */
static void write_segment_label(FILE *out, const dose *d, size_t s,
                                double px, double py)
{
	const cap *c = &d->cap_of[s];
	char text[300], label[160];

	if (c->present && !isnan(c->low) && !isnan(c->high))
		snprintf(text, sizeof text, "%s   cap %g (%s interval %g to %g)",
		         d->segments.items[s], c->cap, d->level, c->low, c->high);
	else if (c->present)
		snprintf(text, sizeof text, "%s   cap %g", d->segments.items[s],
		         c->cap);
	else
		snprintf(text, sizeof text, "%s", d->segments.items[s]);
	tact_plot_shorten(text, d->single ? 42 : 90, label, sizeof label);
	fputs("set label 10 ", out);
	tact_plot_quote(out, label);
	fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
	        "textcolor rgb '%s'\n", px / d->width, 1.0 - (py - 10) / d->height,
	        TACT_PLOT_FONT_AXIS, TACT_PLOT_INK);
}

/* The axes of a panel over y from lo to hi (a margin on both sides: no
 * point sits on an axis). */
static void write_axes(FILE *out, const dose *d, double lo, double hi,
                       double scale, int last_row)
{
	fprintf(out, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n",
	        -0.04 * d->x_high, 1.04 * d->x_high, lo, hi);
	fprintf(out, "set xtics %.10g\nset ytics %.10g\nset mxtics 1\n"
	        "set mytics 1\nset format x '%%g'\nset format y '%s'\n",
	        d->x_step, tact_plot_nice_step(hi - lo, 4),
	        scale == 100 ? "%g%%" : "%g");
	if (last_row)
		fprintf(out, "set xlabel 'exposures' font ',%g' offset 0,0.5\n",
		        TACT_PLOT_FONT);
	else
		fputs("unset xlabel\n", out);
}

/* The cap of segment s: a dashed line over its shaded interval. */
static void write_cap(FILE *out, const cap *c)
{
	if (!c->present)
		return;
	if (!isnan(c->low) && !isnan(c->high) && c->high > c->low)
		fprintf(out, "set object 1 rect from first %.10g, graph 0 to first "
		        "%.10g, graph 1 fillcolor rgb '%s' fillstyle solid 1.0 "
		        "noborder behind\n", c->low, c->high, "#EDEDED");
	fprintf(out, "set arrow 1 from first %.10g, graph 0 to first %.10g, "
	        "graph 1 nohead lc rgb '%s' lw 1.3 dt 2 front\n", c->cap, c->cap,
	        TACT_PLOT_INK);
}

/* The plot command of a panel: the curve's band and line, the bins. */
static void write_plot(FILE *out, size_t s, size_t m, const char *colour,
                       int curve, int is_net)
{
	fputs("plot ", out);
	if (curve)
		fprintf(out, "$curve%zu_%zu using 1:3:4 with filledcurves "
		        "fillcolor rgb '%s' fillstyle transparent solid 0.18 "
		        "noborder, \\\n  '' using 1:2 with lines lw 2 lc rgb "
		        "'%s'%s", s, m, colour, colour, is_net ? "" : ", \\\n  ");
	if (!is_net)
		fprintf(out, "$bins%zu_%zu using 1:3:(0):($4-$3) with vectors "
		        "nohead lw 1.2 lc rgb '%s', \\\n  '' using 1:2 with "
		        "points pt 7 ps 1.0*PS lc rgb '%s'", s, m, colour, colour);
	else if (!curve)
		fputs("NaN", out);
	fputs("\nunset label\nunset arrow\nunset object\n", out);
}

/* The panel of segment s and column m. */
static tact_status write_panel(FILE *out, const tact_plot_table *table,
                               const dose *d, size_t s, size_t m,
                               tact_error *error)
{
	size_t column = d->single ? s % d->grid_columns : m;
	size_t row = d->single ? s / d->grid_columns : s;
	double px = 20 + column * d->panel_width + LEFT;
	double py = d->top + d->head + row * d->row_height + 24;
	int is_net = d->net && m == d->metrics.count - 1;
	double scale = d->rate[m] && !is_net ? 100 : 1;
	double lo = d->y_low[m] * scale, hi = d->y_high[m] * scale;
	int curve;
	tact_status status;

	if (!is_net) {
		status = write_bins(out, table, d, s, m, scale, error);
		if (status != TACT_OK)
			return status;
	}
	curve = write_curve(out, d, s, m, scale);
	if (!(lo < hi)) {
		lo = isfinite(lo) ? lo - 1 : 0;
		hi = lo + 2;
	}
	hi += 0.06 * (hi - lo);
	if (lo < 0 || !d->rate[m] || is_net)
		lo -= 0.06 * (hi - lo);
	tact_plot_frame(out, (int)d->width, (int)d->height, px, py,
	                px + PLOT_WIDTH, py + PLOT_HEIGHT);
	write_axes(out, d, lo, hi, scale, row + 1 == d->grid_rows);
	if (d->single || m == 0)
		write_segment_label(out, d, s, px, py);
	write_cap(out, &d->cap_of[s]);
	if (is_net)
		fprintf(out, "set arrow 2 from graph 0, first 0 to graph 1, "
		        "first 0 nohead lc rgb '%s' lw 1 back\n", TACT_PLOT_GREY);
	write_plot(out, s, m, column_colour(d, m), curve, is_net);
	return TACT_OK;
}

tact_status tact_plot_build_dose(const tact_plot_table *table,
                                 const tact_plot_options *options,
                                 tact_plot_script *script,
                                 tact_error *error)
{
	dose d;
	tact_plot_writer w;
	tact_status status;
	size_t s, m;
	char title[200];

	memset(&d, 0, sizeof d);
	tact_plot_list_init(&d.segments);
	tact_plot_list_init(&d.metrics);
	status = read_tables(table, options, &d, error);
	if (status == TACT_OK)
		status = tact_plot_writer_open(&w, error);
	if (status != TACT_OK) {
		dose_release(&d);
		return status;
	}
	tact_plot_percent_label(options->confidence, d.level, sizeof d.level);
	snprintf(title, sizeof title, "Outcome by exposure count, %s intervals",
	         d.level);
	lay_out(&d, tact_plot_title_text(options, title));
	write_head(w.out, &d, tact_plot_title_text(options, title));
	for (s = 0; s < d.segments.count && status == TACT_OK; s++)
		for (m = 0; m < d.metrics.count && status == TACT_OK; m++)
			status = write_panel(w.out, table, &d, s, m, error);
	if (status != TACT_OK) {
		tact_plot_writer_abort(&w);
		dose_release(&d);
		return status;
	}
	fputs("unset multiplot\n", w.out);
	script->notes = d.suppressed;
	dose_release(&d);
	return tact_plot_writer_finish(&w, script, (int)d.width, (int)d.height,
	                               error);
}
