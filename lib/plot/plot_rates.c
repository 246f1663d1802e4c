/*
 * plot_rates.c - the rates chart of tact-compare's output: per metric a
 * panel, per segment a group of bars (the control in grey, then each arm in
 * its colour) with interval whiskers; rates in %, means in the metric's
 * unit; a star over an arm whose verdict is significant.
 *
 * The control's figures are on every row of its segment (one row per arm):
 * they are taken from the first row that is not suppressed.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

#define PLOT_HEIGHT 200.0
#define BAR_WIDTH 20.0         /* pixels per bar */
#define GROUP_GAP 26.0         /* pixels between groups */

typedef struct bar {
	double mean, low, high;
	int present;              /* a row gave the figures */
	int suppressed;
	int significant;          /* arms only */
} bar;

typedef struct rates {
	tact_plot_compare names;  /* segments, metrics, arms: arms[0] control */
	bar *bars;                /* [metric][segment][arm] */
	size_t capacity_segments, capacity_arms;
	/* The layout, in pixels from the top-left corner. */
	double group, plot_width, left, top, panel_height, bottom;
	double width, height, label_columns, panel_width;
	size_t columns;
	int rotate;
} rates;

/* The x of the middle of arm a's bar in segment s's group. */
static double bar_x(size_t s, size_t a, size_t arms, double group)
{
	double filled = 1 - GROUP_GAP / group;

	return (double)s + (a + 0.5) / arms * filled - filled / 2;
}

static bar *bar_at(rates *r, size_t metric, size_t segment, size_t arm)
{
	return &r->bars[(metric * r->capacity_segments + segment) *
	                r->capacity_arms + arm];
}

static tact_status read_triplet(const tact_plot_table *table, size_t row,
                                const char *mean, const char *low,
                                const char *high, bar *out,
                                tact_error *error)
{
	tact_status status;

	if ((status = tact_plot_table_number(table, row,
	                                     (size_t)tact_plot_table_column(table, mean),
	                                     &out->mean, error)) ||
	    (status = tact_plot_table_number(table, row,
	                                     (size_t)tact_plot_table_column(table, low),
	                                     &out->low, error)) ||
	    (status = tact_plot_table_number(table, row,
	                                     (size_t)tact_plot_table_column(table, high),
	                                     &out->high, error)))
		return status;
	out->present = 1;
	return TACT_OK;
}

/* Every metric and arm of the table, for the bounds; the bars, room for
 * every segment, metric and arm a row could bring. */
static tact_status allocate(const tact_plot_table *table, rates *r,
                            tact_error *error)
{
	size_t c_metric = (size_t)tact_plot_table_column(table, "metric");
	size_t c_arm = (size_t)tact_plot_table_column(table, "arm");
	tact_plot_list *all_metrics = &r->names.all_metrics;
	size_t row;
	tact_status status;

	status = tact_plot_compare_init(&r->names, table, error);
	if (status != TACT_OK)
		return status;
	for (row = 0; row < table->rows; row++) {
		const char *metric = tact_plot_table_text(table, row, c_metric);
		const char *arm = tact_plot_table_text(table, row, c_arm);
		if (tact_plot_list_add(all_metrics, metric) < 0 ||
		    tact_plot_list_add(&r->names.all_arms, arm) < 0)
			return tact_error_oom(error);
	}
	r->capacity_segments = table->rows;
	r->capacity_arms = r->names.all_arms.count + 1;
	if (all_metrics->count * r->capacity_segments > SIZE_MAX / 2 /
	    (r->capacity_arms * sizeof *r->bars))
		return tact_error_oom(error);
	r->bars = calloc(all_metrics->count * r->capacity_segments *
	                 r->capacity_arms, sizeof *r->bars);
	if (!r->bars)
		return tact_error_oom(error);
	return TACT_OK;
}

static tact_status read_rows(const tact_plot_table *table,
                             const tact_plot_options *options, rates *r,
                             tact_error *error)
{
	size_t c_verdict = (size_t)tact_plot_table_column(table, "verdict");
	size_t row;
	tact_status status;

	status = allocate(table, r, error);
	if (status != TACT_OK)
		return status;
	for (row = 0; row < table->rows; row++) {
		const char *verdict = tact_plot_table_text(table, row, c_verdict);
		size_t at[3];
		int kept = tact_plot_compare_keep(&r->names, table, row, options, 1,
		                                  at);
		bar *b;

		if (kept < 0)
			return tact_error_oom(error);
		if (kept == 0)
			continue;
		b = bar_at(r, at[1], at[0], at[2]);
		if (strcmp(verdict, "suppressed") == 0) {
			/* Never read the figures of a suppressed row. */
			b->suppressed = 1;
			continue;
		}
		b->significant = strcmp(verdict, "better") == 0 ||
		                 strcmp(verdict, "worse") == 0;
		if ((status = read_triplet(table, row, "mean_arm", "arm_low",
		                           "arm_high", b, error)) != TACT_OK)
			return status;
		b = bar_at(r, at[1], at[0], 0);
		if (!b->present &&
		    (status = read_triplet(table, row, "mean_control", "control_low",
		                           "control_high", b, error)) != TACT_OK)
			return status;
	}
	return tact_plot_compare_finish(&r->names, table, options, error);
}

static void rates_release(rates *r)
{
	tact_plot_compare_release(&r->names);
	free(r->bars);
}

/* A group of bars per segment, as wide as its bars or its label; panels
 * side by side, in lines of balanced length. */
static void lay_out(rates *r)
{
	size_t lines;

	r->left = 90;
	r->top = 44;
	r->group = r->names.arms.count * BAR_WIDTH + GROUP_GAP;
	r->label_columns = tact_plot_label_width(&r->names.segments) + 12;
	/* Labels wider than their bars: widen the groups while the chart
	 * stays under 1300 pixels, else slant the labels. */
	if (r->label_columns > r->group) {
		if (r->label_columns * r->names.segments.count + r->left + 30 <= 1300)
			r->group = r->label_columns;
		else
			r->rotate = 1;
	}
	r->plot_width = r->group * r->names.segments.count;
	if (r->plot_width < 300)
		r->plot_width = 300;
	r->group = r->plot_width / r->names.segments.count;
	/* Panels side by side while the chart stays under 1300 pixels, in
	 * lines of balanced length. */
	r->panel_width = r->left + r->plot_width + 30;
	r->columns = (size_t)(1300 / r->panel_width);
	if (r->columns < 1)
		r->columns = 1;
	if (r->columns > r->names.metrics.count)
		r->columns = r->names.metrics.count;
	lines = (r->names.metrics.count + r->columns - 1) / r->columns;
	r->columns = (r->names.metrics.count + lines - 1) / lines;
	r->width = r->panel_width * r->columns;
	if (r->width < 560)
		r->width = 560;
	r->panel_height = 40 + PLOT_HEIGHT +
	                  (r->rotate ? r->label_columns * 0.5 + 20 : 40);
	r->bottom = 30 + 14 * (1 + (r->names.suppressed > 0)) + 6;
	r->height = r->top + r->panel_height * lines + r->bottom;
}

/* The style, the title, the notes and the key. */
static void write_head(FILE *out, const rates *r,
                       const tact_plot_options *options)
{
	int width = (int)r->width, height = (int)r->height, line = 0;
	char level[16], title[160], label[128];
	double x = 12, y = r->height - r->bottom + 14;
	size_t a;

	tact_plot_percent_label(options->confidence, level, sizeof level);
	snprintf(title, sizeof title, "Rate or mean per arm and segment, %s "
	         "intervals", level);
	tact_plot_style(out);
	fputs("set multiplot\n", out);
	tact_plot_title(out, tact_plot_title_text(options, title), width, height);
	if (r->names.suppressed)
		tact_plot_suppressed_note(out, r->names.suppressed, "row",
		                          "tact-compare",
		                          options->omit_suppressed ? ", left out"
		                                                   : "",
		                          width, height, line++);
	tact_plot_note(out, "*: significant difference from the control "
	               "(after the multiple-comparison adjustment).", width,
	               height, line++);
	for (a = 0; a < r->names.arms.count && a < 7; a++) {
		char text[160];
		/* "control" needs no "(control)". */
		snprintf(text, sizeof text, "%s%s", r->names.arms.items[a],
		         a == 0 && strcmp(r->names.arms.items[a], "control") != 0
		         ? " (control)" : "");
		tact_plot_shorten(text, 36, label, sizeof label);
		x += tact_plot_key_entry(out, (int)(5 + a), x, y, label, 5,
		                         a == 0 ? TACT_PLOT_GREY
		                                : tact_plot_series_colour(a - 1),
		                         width, height);
	}
	fputs("unset key\nset style fill solid 1.0 noborder\n", out);
}

/* The bars of metric m: x, mean, low, high, arm, significant; lo and hi
 * get the range of the figures (scaled). */
static void write_data(FILE *out, rates *r, size_t m, double scale,
                       double *lo, double *hi)
{
	size_t s, a, arms = r->names.arms.count;

	fprintf(out, "$rates%zu << EOD\n", m);
	for (s = 0; s < r->names.segments.count; s++) {
		for (a = 0; a < arms; a++) {
			bar *b = bar_at(r, m, s, a);
			double v[4];
			if (!b->present)
				continue;
			v[0] = bar_x(s, a, arms, r->group);
			v[1] = scale * b->mean;
			v[2] = scale * b->low;
			v[3] = scale * b->high;
			tact_plot_numbers(out, v, 4);
			fprintf(out, " %zu %d\n", a, b->significant);
			if (!isnan(b->high) && scale * b->high > *hi)
				*hi = scale * b->high;
			if (!isnan(b->mean) && scale * b->mean > *hi)
				*hi = scale * b->mean;
			if (!isnan(b->low) && scale * b->low < *lo)
				*lo = scale * b->low;
		}
	}
	fputs("NaN NaN NaN NaN 0 0\nEOD\n", out);
}

/* Suppressed: one word over a group with no figure at all, else over each
 * suppressed bar.  Label tags from tag on. */
static void write_suppressed(FILE *out, rates *r, size_t m, int tag)
{
	size_t s, a, arms = r->names.arms.count;

	for (s = 0; s < r->names.segments.count; s++) {
		size_t shown = 0;
		for (a = 0; a < arms; a++)
			shown += bar_at(r, m, s, a)->present;
		for (a = 0; a < arms; a++) {
			double x = shown == 0 ? (double)s : bar_x(s, a, arms, r->group);
			if (!bar_at(r, m, s, a)->suppressed)
				continue;
			fprintf(out, "set label %d 'suppressed' at first %.10g, "
			        "graph 0.06 left front rotate by 90 textcolor rgb "
			        "'%s' font ',%g'\n", tag++, x, TACT_PLOT_GREY,
			        TACT_PLOT_FONT - 1);
			if (shown == 0)
				break;
		}
	}
}

/* The plot command of metric m: a box per arm, whiskers, stars. */
static void write_plot(FILE *out, const rates *r, size_t m)
{
	size_t a, arms = r->names.arms.count;

	fprintf(out, "bar = %.10g\n",
	        1.0 / arms * (1 - GROUP_GAP / r->group) * 0.92);
	fputs("plot ", out);
	for (a = 0; a < arms; a++)
		fprintf(out, "%s$rates%zu using 1:($5 == %zu ? $2 : NaN):(bar) "
		        "with boxes lc rgb '%s'", a ? ", \\\n  " : "", m, a,
		        a == 0 ? TACT_PLOT_GREY : tact_plot_series_colour(a - 1));
	fprintf(out, ", \\\n  $rates%zu using 1:3:(0):($4-$3) with vectors "
	        "nohead lw 1.3 lc rgb '%s'", m, TACT_PLOT_INK);
	fprintf(out, ", \\\n  '' using ($1-bar/4):3:(bar/2):(0) with vectors "
	        "nohead lw 1.3 lc rgb '%s'", TACT_PLOT_INK);
	fprintf(out, ", \\\n  '' using ($1-bar/4):4:(bar/2):(0) with vectors "
	        "nohead lw 1.3 lc rgb '%s'", TACT_PLOT_INK);
	fprintf(out, ", \\\n  '' using 1:($6 > 0 ? $4 : NaN):('*') with "
	        "labels offset 0,0.6 font ',13' textcolor rgb '%s'\n",
	        TACT_PLOT_INK);
	fputs("unset label\nunset arrow\n", out);
}

/* The panel of metric m. */
static void write_panel(FILE *out, rates *r, size_t m)
{
	double py = r->top + (m / r->columns) * r->panel_height + 40;
	double px = (m % r->columns) * r->panel_width + r->left;
	double scale = r->names.rate[m] != 0 ? 100 : 1;
	double lo = 0, hi = 0, step;
	int tag;

	write_data(out, r, m, scale, &lo, &hi);
	if (hi <= lo)
		hi = lo + 1;
	hi += 0.12 * (hi - lo);   /* room for the stars */
	if (lo < 0)
		lo -= 0.05 * (hi - lo);
	step = tact_plot_nice_step(hi - lo, 6);
	tact_plot_frame(out, (int)r->width, (int)r->height, px, py,
	                px + r->plot_width, py + PLOT_HEIGHT);
	fprintf(out, "set xrange [-0.5:%g]\nset yrange [%.10g:%.10g]\n",
	        r->names.segments.count - 0.5, lo, hi);
	fprintf(out, "set ytics %g\nset mytics 2\nset format y '%s'\n", step,
	        r->names.rate[m] != 0 ? "%g%%" : "%g");
	fputs("set grid noxtics ytics\n", out);
	tact_plot_label_tics(out, 'x', &r->names.segments, 0, 1);
	if (r->rotate)
		fputs("set xtics rotate by 30 right scale 0\n", out);
	else
		fputs("set xtics norotate scale 0\n", out);
	fputs("unset xlabel\n", out);
	fprintf(out, "set ylabel '%s' font ',%g' offset 0,0\n",
	        r->names.rate[m] != 0 ? "rate (%)" : "mean per unit",
	        TACT_PLOT_FONT);
	tag = tact_plot_panel_title(out, 10, r->names.metrics.items[m],
	                            r->names.down[m] ? TACT_PLOT_ANNOYANCE_COLOUR
	                                       : TACT_PLOT_GOAL_COLOUR,
	                            tact_plot_role_subtitle(r->names.down[m]),
	                            px, py, r->width, r->height);
	write_suppressed(out, r, m, tag);
	write_plot(out, r, m);
}

tact_status tact_plot_build_rates(const tact_plot_table *table,
                                  const tact_plot_options *options,
                                  tact_plot_script *script,
                                  tact_error *error)
{
	rates r;
	tact_plot_writer w;
	tact_status status;
	size_t m;

	memset(&r, 0, sizeof r);
	status = read_rows(table, options, &r, error);
	if (status == TACT_OK)
		status = tact_plot_writer_open(&w, error);
	if (status != TACT_OK) {
		rates_release(&r);
		return status;
	}
	lay_out(&r);
	write_head(w.out, &r, options);
	for (m = 0; m < r.names.metrics.count; m++)
		write_panel(w.out, &r, m);
	fputs("unset multiplot\n", w.out);
	script->notes = r.names.suppressed;
	rates_release(&r);
	return tact_plot_writer_finish(&w, script, (int)r.width, (int)r.height,
	                               error);
}
