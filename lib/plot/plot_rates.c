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
	tact_plot_list segments, metrics, arms;   /* arms: arms[0] control */
	int *down, *rate;                          /* per metric */
	bar *bars;                /* [metric][segment][arm] */
	size_t capacity_segments, capacity_arms;
	size_t suppressed;
} rates;

/* The x of the middle of arm a's bar in segment s's group. */
static double bar_x(size_t s, size_t a, size_t arms, double group)
{
	double filled = 1 - GROUP_GAP / group;

	return (double)s + (a + 0.5) / arms * filled - filled / 2;
}

static tact_status oom(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
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

static tact_status read_rows(const tact_plot_table *table,
                             const tact_plot_options *options, rates *r,
                             tact_error *error)
{
	size_t dims = tact_plot_table_dimensions(table, "metric");
	size_t c_metric = (size_t)tact_plot_table_column(table, "metric");
	size_t c_direction = (size_t)tact_plot_table_column(table, "direction");
	size_t c_control = (size_t)tact_plot_table_column(table, "control");
	size_t c_arm = (size_t)tact_plot_table_column(table, "arm");
	size_t c_test = (size_t)tact_plot_table_column(table, "test");
	size_t c_verdict = (size_t)tact_plot_table_column(table, "verdict");
	tact_plot_list all_metrics, all_arms;
	size_t row, kept = 0;
	tact_status status = TACT_OK;

	tact_plot_list_init(&all_metrics);
	tact_plot_list_init(&all_arms);
	/* Bounds: every row could bring a new segment, metric or arm. */
	r->capacity_segments = table->rows;
	r->capacity_arms = 1;
	for (row = 0; row < table->rows; row++) {
		const char *metric = tact_plot_table_text(table, row, c_metric);
		const char *arm = tact_plot_table_text(table, row, c_arm);
		if (tact_plot_list_add(&all_metrics, metric) < 0 ||
		    tact_plot_list_add(&all_arms, arm) < 0) {
			status = oom(error);
			goto done;
		}
	}
	r->capacity_arms = all_arms.count + 1;
	if (all_metrics.count * r->capacity_segments > SIZE_MAX / 2 /
	    (r->capacity_arms * sizeof *r->bars)) {
		status = oom(error);
		goto done;
	}
	r->bars = calloc(all_metrics.count * r->capacity_segments *
	                 r->capacity_arms, sizeof *r->bars);
	r->down = calloc(all_metrics.count, sizeof *r->down);
	r->rate = calloc(all_metrics.count, sizeof *r->rate);
	if (!r->bars || !r->down || !r->rate) {
		status = oom(error);
		goto done;
	}
	for (row = 0; row < table->rows; row++) {
		char segment[512];
		const char *metric = tact_plot_table_text(table, row, c_metric);
		const char *control = tact_plot_table_text(table, row, c_control);
		const char *arm = tact_plot_table_text(table, row, c_arm);
		const char *verdict = tact_plot_table_text(table, row, c_verdict);
		const char *test = tact_plot_table_text(table, row, c_test);
		int suppressed = strcmp(verdict, "suppressed") == 0;
		size_t before = r->metrics.count;
		long s, m, a;
		bar *b;

		if ((options->metric && strcmp(options->metric, metric) != 0) ||
		    (options->arm && strcmp(options->arm, arm) != 0))
			continue;
		if (suppressed && options->omit_suppressed) {
			r->suppressed++;
			continue;
		}
		tact_plot_table_segment(table, row, dims, segment, sizeof segment);
		if (r->arms.count == 0 && tact_plot_list_add(&r->arms, control) < 0) {
			status = oom(error);
			goto done;
		}
		s = tact_plot_list_add(&r->segments, segment);
		m = tact_plot_list_add(&r->metrics, metric);
		a = tact_plot_list_add(&r->arms, arm);
		if (s < 0 || m < 0 || a < 0) {
			status = oom(error);
			goto done;
		}
		if (r->metrics.count > before) {
			r->down[m] = strcmp(tact_plot_table_text(table, row, c_direction),
			                    "down") == 0;
			r->rate[m] = -1;
		}
		if (strcmp(test, "z") == 0 || strcmp(test, "fisher") == 0)
			r->rate[m] = 1;
		else if (strcmp(test, "welch") == 0)
			r->rate[m] = 0;
		kept++;
		b = bar_at(r, (size_t)m, (size_t)s, (size_t)a);
		if (suppressed) {
			/* Never read the figures of a suppressed row. */
			b->suppressed = 1;
			r->suppressed++;
			continue;
		}
		b->significant = strcmp(verdict, "better") == 0 ||
		                 strcmp(verdict, "worse") == 0;
		if ((status = read_triplet(table, row, "mean_arm", "arm_low",
		                           "arm_high", b, error)) != TACT_OK)
			goto done;
		b = bar_at(r, (size_t)m, (size_t)s, 0);
		if (!b->present &&
		    (status = read_triplet(table, row, "mean_control", "control_low",
		                           "control_high", b, error)) != TACT_OK)
			goto done;
	}
	if (kept == 0) {
		char names[256];
		if (options->metric && tact_plot_list_find(&all_metrics,
		                                           options->metric) < 0) {
			tact_plot_list_join(&all_metrics, names, sizeof names);
			status = tact_error_set(error, TACT_USAGE, table->name, 0, 0,
			                        "no metric '%s' here: the metrics are %s",
			                        options->metric, names);
		} else if (options->arm && tact_plot_list_find(&all_arms,
		                                               options->arm) < 0) {
			tact_plot_list_join(&all_arms, names, sizeof names);
			status = tact_error_set(error, TACT_USAGE, table->name, 0, 0,
			                        "no arm '%s' here: the arms are %s",
			                        options->arm, names);
		} else {
			status = tact_error_set(error, TACT_DATA, table->name, 0, 0,
			                        "no rows to draw (all suppressed)");
		}
	}
done:
	tact_plot_list_release(&all_metrics);
	tact_plot_list_release(&all_arms);
	return status;
}

static void rates_release(rates *r)
{
	tact_plot_list_release(&r->segments);
	tact_plot_list_release(&r->metrics);
	tact_plot_list_release(&r->arms);
	free(r->down);
	free(r->rate);
	free(r->bars);
}

tact_status tact_plot_build_rates(const tact_plot_table *table,
                                  const tact_plot_options *options,
                                  tact_plot_script *script,
                                  tact_error *error)
{
	rates r;
	tact_plot_writer w;
	tact_status status;
	size_t m, s, a, arms;
	double group, plot_width, left = 90, top = 44, panel_height, bottom;
	double width, height, label_columns, panel_width;
	size_t columns, lines;
	char level[16], title[160], label[128];
	int rotate = 0, notes;
	FILE *out;

	memset(&r, 0, sizeof r);
	status = read_rows(table, options, &r, error);
	if (status != TACT_OK) {
		rates_release(&r);
		return status;
	}
	if ((status = tact_plot_writer_open(&w, error)) != TACT_OK) {
		rates_release(&r);
		return status;
	}
	out = w.out;
	arms = r.arms.count;

	/* Layout: a group is as wide as its bars, or its label. */
	group = arms * BAR_WIDTH + GROUP_GAP;
	label_columns = 0;
	for (s = 0; s < r.segments.count; s++) {
		double c;
		tact_plot_shorten(r.segments.items[s], TACT_PLOT_LABEL_MAX, label,
		                  sizeof label);
		c = tact_plot_text_width(label, TACT_PLOT_FONT) + 12;
		if (c > label_columns)
			label_columns = c;
	}
	/* Labels wider than their bars: widen the groups while the chart
	 * stays under 1300 pixels, else slant the labels. */
	if (label_columns > group) {
		if (label_columns * r.segments.count + left + 30 <= 1300)
			group = label_columns;
		else
			rotate = 1;
	}
	plot_width = group * r.segments.count;
	if (plot_width < 300)
		plot_width = 300;
	group = plot_width / r.segments.count;
	/* Panels side by side while the chart stays under 1300 pixels, in
	 * lines of balanced length. */
	panel_width = left + plot_width + 30;
	columns = (size_t)(1300 / panel_width);
	if (columns < 1)
		columns = 1;
	if (columns > r.metrics.count)
		columns = r.metrics.count;
	lines = (r.metrics.count + columns - 1) / columns;
	columns = (r.metrics.count + lines - 1) / lines;
	width = panel_width * columns;
	if (width < 560)
		width = 560;
	panel_height = 40 + PLOT_HEIGHT + (rotate ? label_columns * 0.5 + 20 : 40);
	notes = 1 + (r.suppressed > 0);
	bottom = 30 + 14 * notes + 6;
	height = top + panel_height * lines + bottom;

	tact_plot_percent_label(options->confidence, level, sizeof level);
	snprintf(title, sizeof title, "Rate or mean per arm and segment, %s "
	         "intervals", level);
	tact_plot_style(out);
	fputs("set multiplot\n", out);
	tact_plot_title(out, tact_plot_title_text(options, title), (int)width,
	                (int)height);
	{
		int line = 0;
		if (r.suppressed) {
			char note[200];
			snprintf(note, sizeof note, "%zu row%s suppressed (fewer units "
			         "than tact-compare's --min-cell)%s.", r.suppressed,
			         r.suppressed == 1 ? "" : "s",
			         options->omit_suppressed ? ", left out" : "");
			tact_plot_note(out, note, (int)width, (int)height, line++);
		}
		tact_plot_note(out, "*: significant difference from the control "
		               "(after the multiple-comparison adjustment).",
		               (int)width, (int)height, line++);
	}
	{
		double x = 12, y = height - bottom + 14;
		for (a = 0; a < arms && a < 7; a++) {
			char text[160];
			/* "control" needs no "(control)". */
			snprintf(text, sizeof text, "%s%s", r.arms.items[a],
			         a == 0 && strcmp(r.arms.items[a], "control") != 0
			         ? " (control)" : "");
			tact_plot_shorten(text, 36, label, sizeof label);
			x += tact_plot_key_entry(out, (int)(5 + a), x, y, label, 5,
			                         a == 0 ? TACT_PLOT_GREY
			                                : tact_plot_series_colour(a - 1),
			                         (int)width, (int)height);
		}
	}
	fputs("unset key\nset style fill solid 1.0 noborder\n", out);

	for (m = 0; m < r.metrics.count; m++) {
		double py = top + (m / columns) * panel_height + 40;
		double px = (m % columns) * panel_width + left;
		double scale = r.rate[m] != 0 ? 100 : 1;
		double lo = 0, hi = 0, step;
		int tag = 10;
		const char *colour = r.down[m] ? TACT_PLOT_ANNOYANCE_COLOUR
		                               : TACT_PLOT_GOAL_COLOUR;

		/* Data per bar: x, mean, low, high, arm, significant. */
		fprintf(out, "$rates%zu << EOD\n", m);
		for (s = 0; s < r.segments.count; s++) {
			for (a = 0; a < arms; a++) {
				bar *b = bar_at(&r, m, s, a);
				double x = bar_x(s, a, arms, group);
				if (!b->present)
					continue;
				tact_plot_number(out, x);
				putc(' ', out);
				tact_plot_number(out, scale * b->mean);
				putc(' ', out);
				tact_plot_number(out, scale * b->low);
				putc(' ', out);
				tact_plot_number(out, scale * b->high);
				fprintf(out, " %zu %d\n", a, b->significant);
				if (!isnan(b->high) && scale * b->high > hi)
					hi = scale * b->high;
				if (!isnan(b->mean) && scale * b->mean > hi)
					hi = scale * b->mean;
				if (!isnan(b->low) && scale * b->low < lo)
					lo = scale * b->low;
			}
		}
		fputs("NaN NaN NaN NaN 0 0\nEOD\n", out);
		if (hi <= lo)
			hi = lo + 1;
		hi += 0.12 * (hi - lo);   /* room for the stars */
		if (lo < 0)
			lo -= 0.05 * (hi - lo);
		step = tact_plot_nice_step(hi - lo, 6);

		tact_plot_frame(out, (int)width, (int)height, px, py,
		                px + plot_width, py + PLOT_HEIGHT);
		fprintf(out, "set xrange [-0.5:%g]\nset yrange [%.10g:%.10g]\n",
		        r.segments.count - 0.5, lo, hi);
		fprintf(out, "set ytics %g\nset mytics 2\nset format y '%s'\n", step,
		        r.rate[m] != 0 ? "%g%%" : "%g");
		fputs("set grid noxtics ytics\n", out);
		fputs("set xtics (", out);
		for (s = 0; s < r.segments.count; s++) {
			tact_plot_shorten(r.segments.items[s], TACT_PLOT_LABEL_MAX, label,
			                  sizeof label);
			if (s)
				fputs(", ", out);
			tact_plot_quote_format(out, label);
			fprintf(out, " %zu", s);
		}
		fputs(")\n", out);
		if (rotate)
			fputs("set xtics rotate by 30 right scale 0\n", out);
		else
			fputs("set xtics norotate scale 0\n", out);
		fputs("unset xlabel\n", out);
		fprintf(out, "set ylabel '%s' font ',%g' offset 0,0\n",
		        r.rate[m] != 0 ? "rate (%)" : "mean per unit",
		        TACT_PLOT_FONT);
		fprintf(out, "set label %d ", tag++);
		tact_plot_shorten(r.metrics.items[m], 40, label, sizeof label);
		tact_plot_quote(out, label);
		fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
		        "textcolor rgb '%s'\n", px / width, 1.0 - (py - 24) / height,
		        TACT_PLOT_FONT_AXIS, colour);
		fprintf(out, "set label %d '%s' at screen %.5f, screen %.5f left "
		        "front font ',%g' textcolor rgb '%s'\n", tag++,
		        r.down[m] ? "annoyance: lower is better"
		                  : "goal: higher is better",
		        px / width, 1.0 - (py - 9) / height, TACT_PLOT_FONT - 1,
		        TACT_PLOT_GREY);
		/* Suppressed: one word over a group with no figure at all, else
		 * over each suppressed bar. */
		for (s = 0; s < r.segments.count; s++) {
			size_t shown = 0;
			for (a = 0; a < arms; a++)
				shown += bar_at(&r, m, s, a)->present;
			for (a = 0; a < arms; a++) {
				double x = shown == 0 ? (double)s
				           : bar_x(s, a, arms, group);
				if (!bar_at(&r, m, s, a)->suppressed)
					continue;
				fprintf(out, "set label %d 'suppressed' at first %.10g, "
				        "graph 0.06 left front rotate by 90 textcolor rgb "
				        "'%s' font ',%g'\n", tag++, x, TACT_PLOT_GREY,
				        TACT_PLOT_FONT - 1);
				if (shown == 0)
					break;
			}
		}
		fprintf(out, "bar = %.10g\n", 1.0 / arms * (1 - GROUP_GAP / group) * 0.92);
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
	fputs("unset multiplot\n", out);
	script->notes = r.suppressed;
	rates_release(&r);
	return tact_plot_writer_finish(&w, script, (int)width, (int)height,
	                               error);
}
