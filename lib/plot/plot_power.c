/*
 * plot_power.c - the power chart of tact-power's per-segment output: per
 * metric a panel, per segment a curve of the smallest detectable effect
 * (relative to the control's rate or mean, in %) against the units in the
 * control, both axes logarithmic, with the segment's current size marked;
 * with tact-power --mde X --relative, the target as a dashed line.
 *
 * The curves come from the power formulas themselves (power.h) over a range
 * of sizes, at the segment's current split between arm and control.  The
 * CSV holds neither the level nor the power, so they are options (0.95 and
 * 0.8, tact-power's defaults); every row is checked: its mde_absolute must
 * follow from its baseline, sd and units under them, which also tells a
 * rate (Cohen's h) from a mean (Cohen's d).  A row that does not fit is a
 * data error naming the options to give.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"
#include "power.h"

#define PLOT_WIDTH 400.0
#define PLOT_HEIGHT 260.0
#define GRID 60

typedef struct curve {
	size_t segment, metric;
	double n_control, ratio, baseline, sd, mde_relative;
	int rate;
} curve;

/* The pooled segment in black, the others in the series' colours. */
static const char *segment_colour(const tact_plot_list *segments, size_t s,
                                  int *dash)
{
	int pooled = strcmp(segments->items[0], "(all)") == 0;

	if (pooled && s == 0) {
		*dash = 1;
		return TACT_PLOT_BLACK;
	}
	*dash = tact_plot_series_dash(s - (size_t)pooled);
	return tact_plot_series_colour(s - (size_t)pooled);
}

static int close_to(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(fabs(a), fabs(b)) + 1e-15;
}

/* The relative MDE (a fraction) of a row at n units in the control. */
static double relative_mde(const curve *c, double n, double alpha,
                           double power)
{
	double absolute = NAN, relative = NAN;
	tact_error ignored;

	tact_error_init(&ignored);
	if (c->rate) {
		if (tact_power_proportions_mde(c->baseline, n, alpha, power, c->ratio,
		                               TACT_POWER_INCREASE, &absolute,
		                               &relative, &ignored) != TACT_OK)
			return NAN;
	} else if (tact_power_means_mde(c->baseline, c->sd, n, alpha, power,
	                                c->ratio, &absolute, &relative,
	                                &ignored) != TACT_OK) {
		return NAN;
	}
	return relative;
}

/* Rate or mean: whichever formula gives the row's mde_absolute. */
static tact_status classify(const tact_plot_table *table, size_t row,
                            curve *c, double mde_absolute, double alpha,
                            double power, const tact_plot_options *options,
                            tact_error *error)
{
	double absolute, relative;
	tact_error ignored;
	char level[16], power_text[16];

	tact_error_init(&ignored);
	if (c->baseline >= 0 && c->baseline <= 1 &&
	    tact_power_proportions_mde(c->baseline, c->n_control, alpha, power,
	                               c->ratio, TACT_POWER_INCREASE, &absolute,
	                               &relative, &ignored) == TACT_OK &&
	    close_to(absolute, mde_absolute)) {
		c->rate = 1;
		return TACT_OK;
	}
	if (c->sd > 0 &&
	    tact_power_means_mde(c->baseline, c->sd, c->n_control, alpha, power,
	                         c->ratio, &absolute, &relative,
	                         &ignored) == TACT_OK &&
	    close_to(absolute, mde_absolute)) {
		c->rate = 0;
		return TACT_OK;
	}
	tact_plot_percent_label(options->confidence, level, sizeof level);
	tact_plot_percent_label(options->power, power_text, sizeof power_text);
	return tact_error_set(error, TACT_DATA, table->name, table->lines[row],
	                      (size_t)tact_plot_table_column(table,
	                                                     "mde_absolute") + 1,
	                      "mde_absolute does not follow from the row's "
	                      "baseline, sd and units at power %s and %s "
	                      "confidence: give tact-plot the --power and "
	                      "--confidence that tact-power was run with",
	                      power_text, level);
}

/* The chart: what was read, then the layout in pixels. */
typedef struct chart {
	tact_plot_list segments, metrics, all_metrics, all_arms;
	curve *curves;
	size_t count, suppressed, no_baseline;
	double alpha, power;
	double n_low, n_high;       /* the x range, whole decades */
	double target;              /* the relative target, NaN: none */
	const char *chosen_arm;
	double width, height, left, top, bottom, panel_w, panel_h;
	size_t columns, lines;
} chart;

static void chart_release(chart *p)
{
	free(p->curves);
	tact_plot_list_release(&p->segments);
	tact_plot_list_release(&p->metrics);
	tact_plot_list_release(&p->all_metrics);
	tact_plot_list_release(&p->all_arms);
}

/* A target given as relative (--mde X --relative) is drawn: the units
 * needed for it must match row r's needed_control. */
static void find_target(const tact_plot_table *table, size_t r,
                        const curve *c, chart *p)
{
	long c_target = tact_plot_table_column(table, "target");
	long c_needed = tact_plot_table_column(table, "needed_control");
	double t, needed, n_control, n_arm;
	tact_error ignored;

	if (c_target < 0 || c_needed < 0 || !isnan(p->target))
		return;
	tact_error_init(&ignored);
	if (tact_plot_table_number(table, r, (size_t)c_target, &t,
	                           &ignored) == TACT_OK && t > 0 &&
	    tact_plot_table_number(table, r, (size_t)c_needed, &needed,
	                           &ignored) == TACT_OK && needed > 0 &&
	    (c->rate ? tact_power_proportions_sample_size(
	                       c->baseline, t, TACT_POWER_RELATIVE, p->alpha,
	                       p->power, c->ratio, &n_control, &n_arm, &ignored)
	             : tact_power_means_sample_size(
	                       c->baseline, c->sd, t, TACT_POWER_RELATIVE,
	                       p->alpha, p->power, c->ratio, &n_control, &n_arm,
	                       &ignored)) == TACT_OK &&
	    close_to(ceil(n_control), needed))
		p->target = t;
}

/* Row r, of the arm and metric kept and not suppressed: its figures into
 * the next curve (unless it has no relative effect). */
static tact_status read_row(const tact_plot_table *table, size_t r,
                            const tact_plot_options *options, chart *p,
                            tact_error *error)
{
	static const char *const names[6] = {
		"n_control", "n_arm", "baseline", "sd", "mde_relative",
		"mde_absolute"
	};
	size_t dims = tact_plot_table_dimensions(table, "metric");
	const char *metric = tact_plot_table_text(
		table, r, (size_t)tact_plot_table_column(table, "metric"));
	double figures[6];
	char segment[512];
	curve *c = &p->curves[p->count];
	long at_s, at_m;
	size_t i;
	tact_status status;

	for (i = 0; i < 6; i++) {
		status = tact_plot_table_number(
			table, r, (size_t)tact_plot_table_column(table, names[i]),
			&figures[i], error);
		if (status != TACT_OK)
			return status;
	}
	if (isnan(figures[4]) || isnan(figures[5]) || !(figures[0] > 0) ||
	    !(figures[1] > 0)) {
		/* A baseline of 0 (no relative effect) or no spread. */
		p->no_baseline++;
		return TACT_OK;
	}
	tact_plot_table_segment(table, r, dims, segment, sizeof segment);
	at_s = tact_plot_list_add(&p->segments, segment);
	at_m = tact_plot_list_add(&p->metrics, metric);
	if (at_s < 0 || at_m < 0)
		return tact_error_oom(error);
	c->segment = (size_t)at_s;
	c->metric = (size_t)at_m;
	c->n_control = figures[0];
	c->ratio = figures[1] / figures[0];
	c->baseline = figures[2];
	c->sd = figures[3];
	c->mde_relative = figures[4];
	status = classify(table, r, c, figures[5], p->alpha, p->power, options,
	                  error);
	if (status != TACT_OK)
		return status;
	find_target(table, r, c, p);
	if (c->n_control < p->n_low)
		p->n_low = c->n_control;
	if (c->n_control > p->n_high)
		p->n_high = c->n_control;
	p->count++;
	return TACT_OK;
}

/* The curves of one arm (the one asked for, else the first), then the
 * x range. */
static tact_status read_rows(const tact_plot_table *table,
                             const tact_plot_options *options, chart *p,
                             tact_error *error)
{
	size_t c_metric = (size_t)tact_plot_table_column(table, "metric");
	size_t c_arm = (size_t)tact_plot_table_column(table, "arm");
	size_t c_n = (size_t)tact_plot_table_column(table, "n_control");
	size_t r;
	tact_status status;

	p->curves = calloc(table->rows, sizeof *p->curves);
	if (!p->curves)
		return tact_error_oom(error);
	for (r = 0; r < table->rows; r++) {
		const char *metric = tact_plot_table_text(table, r, c_metric);
		const char *arm = tact_plot_table_text(table, r, c_arm);

		if (tact_plot_list_add(&p->all_metrics, metric) < 0 ||
		    tact_plot_list_add(&p->all_arms, arm) < 0)
			return tact_error_oom(error);
		if (!p->chosen_arm)
			p->chosen_arm = p->all_arms.items[0];
		if (strcmp(arm, p->chosen_arm) != 0 ||
		    (options->metric && strcmp(options->metric, metric) != 0))
			continue;
		if (strcmp(tact_plot_table_text(table, r, c_n), "") == 0) {
			/* Suppressed: blank figures, never read. */
			p->suppressed++;
			continue;
		}
		status = read_row(table, r, options, p, error);
		if (status != TACT_OK)
			return status;
	}
	if (p->count == 0)
		return tact_plot_nothing_to_draw(table, options, &p->all_metrics,
		                                 &p->all_arms,
		                                 "no rows to draw (suppressed, or "
		                                 "no baseline to be relative to)",
		                                 error);
	/* Sizes from a tenth of the smallest segment to ten times the
	 * largest, in whole decades. */
	p->n_low = pow(10, floor(log10(p->n_low / 10)));
	p->n_high = pow(10, ceil(log10(p->n_high * 10)));
	if (p->n_low < 2)
		p->n_low = 2;
	return TACT_OK;
}

/* The panels, two a line; the key's lines of segments under them. */
static void lay_out(chart *p, const char *title)
{
	double x = 12;
	size_t key_lines = 1, s;
	char label[128];

	p->left = 80;
	p->top = 44;
	p->panel_w = p->left + PLOT_WIDTH + 30;
	p->panel_h = 40 + PLOT_HEIGHT + 50;
	p->columns = p->metrics.count < 2 ? p->metrics.count : 2;
	p->lines = (p->metrics.count + p->columns - 1) / p->columns;
	p->width = fmax(p->panel_w * p->columns, 560);
	for (s = 0; s < p->segments.count; s++) {
		double entry;
		tact_plot_shorten(p->segments.items[s], TACT_PLOT_LABEL_MAX, label,
		                  sizeof label);
		entry = tact_plot_key_width(label) + 12;
		if (x + entry > p->width && x > 12) {
			key_lines++;
			x = 12;
		}
		x += entry;
	}
	p->bottom = 20 + 18.0 * key_lines +
	            14 * (2 + (p->suppressed > 0) + (p->no_baseline > 0));
	p->width = fmax(p->width, tact_plot_title_width(title));
	p->height = p->top + p->panel_h * p->lines + p->bottom;
}

/* The key: one entry per segment, in lines that fit the width. */
static void write_key(FILE *out, const chart *p)
{
	double x = 12, y = p->height - p->bottom + 16;
	char label[128];
	size_t s;
	int dash;

	for (s = 0; s < p->segments.count; s++) {
		double entry;
		const char *colour = segment_colour(&p->segments, s, &dash);
		tact_plot_shorten(p->segments.items[s], TACT_PLOT_LABEL_MAX, label,
		                  sizeof label);
		entry = tact_plot_key_width(label) + 12;
		if (x + entry > p->width && x > 12) {
			y += 18;
			x = 12;
		}
		/* Tags 100 and up: the key can be long. */
		x += tact_plot_key_line(out, (int)(100 + s), x + 8, y, label, 7,
		                        colour, dash, (int)p->width,
		                        (int)p->height);
	}
}

/* The style, the title, the key and the notes. */
static void write_head(FILE *out, const chart *p, const char *title)
{
	int width = (int)p->width, height = (int)p->height, line = 0;
	char note[240];

	tact_plot_style(out);
	fputs("set multiplot\n", out);
	tact_plot_title(out, title, width, height);
	write_key(out, p);
	if (p->suppressed)
		tact_plot_suppressed_note(out, p->suppressed, "row", "tact-power",
		                          ", not drawn", width, height, line++);
	if (p->no_baseline) {
		snprintf(note, sizeof note, "%zu row%s without a relative effect "
		         "(a baseline of 0 or no spread), not drawn.",
		         p->no_baseline, p->no_baseline == 1 ? "" : "s");
		tact_plot_note(out, note, width, height, line++);
	}
	snprintf(note, sizeof note, "Arm: %s (it keeps its current share of "
	         "the units).%s", p->chosen_arm,
	         isnan(p->target) ? "" : "  Dashed: the target effect.");
	tact_plot_note(out, note, width, height, line++);
	tact_plot_note(out, "Curve: the smallest effect a segment of that size "
	               "can detect; dot: the segment as it is now.", width,
	               height, line++);
	fputs("unset key\n", out);
}

/* Per segment of metric m: the curve (n, mde %) as a datablock.  The
 * y range of the curves and the largest current effect; *rate: whether
 * the metric is a rate (-1: no curve). */
static void write_curves(FILE *out, const chart *p, size_t m, double *y_low,
                         double *y_high, double *current_high, int *rate)
{
	size_t i, g;

	for (i = 0; i < p->count; i++) {
		const curve *c = &p->curves[i];
		if (c->metric != m)
			continue;
		*rate = c->rate;
		fprintf(out, "$curve%zu_%zu << EOD\n", m, i);
		for (g = 0; g <= GRID; g++) {
			double v[2];
			v[0] = p->n_low * pow(p->n_high / p->n_low, (double)g / GRID);
			v[1] = 100 * relative_mde(c, v[0], p->alpha, p->power);
			tact_plot_numbers(out, v, 2);
			putc('\n', out);
			if (!isnan(v[1]) && v[1] > 0) {
				*y_low = fmin(*y_low, v[1]);
				*y_high = fmax(*y_high, v[1]);
			}
		}
		fputs("EOD\n", out);
		*current_high = fmax(*current_high, 100 * c->mde_relative);
	}
}

/* Within three decades, tics at 1, 2 and 5 of each: a reader wants to
 * see 6% rather than between 1% and 10%. */
static void write_ytics(FILE *out, double y_low, double y_high)
{
	static const double steps[3] = {1, 2, 5};
	double decade = pow(10, floor(log10(y_low / 1.3)));
	int first = 1, k;

	if (log10(y_high / y_low) > 3) {
		fputs("set ytics autofreq\n", out);
		return;
	}
	fputs("set ytics (", out);
	for (; decade <= y_high * 1.3; decade *= 10) {
		for (k = 0; k < 3; k++) {
			double t = decade * steps[k];
			if (t < y_low / 1.3 || t > y_high * 1.3)
				continue;
			fprintf(out, "%s%.10g", first ? "" : ", ", t);
			first = 0;
		}
	}
	fputs(")\n", out);
}

/* The plot command of metric m: a curve and a dot per segment. */
static void write_plot(FILE *out, const chart *p, size_t m)
{
	size_t i;
	int first = 1;

	fputs("plot ", out);
	for (i = 0; i < p->count; i++) {
		const curve *c = &p->curves[i];
		int dash;
		const char *colour = segment_colour(&p->segments, c->segment, &dash);
		if (c->metric != m)
			continue;
		fprintf(out, "%s$curve%zu_%zu using 1:2 with lines lw 2 dt %d lc "
		        "rgb '%s', \\\n  '+' using (%.10g):(%.10g) every ::0::0 with "
		        "points pt 7 ps 1.4*PS lc rgb '%s'", first ? "" : ", \\\n  ",
		        m, i, dash, colour, c->n_control, 100 * c->mde_relative,
		        colour);
		first = 0;
	}
	fputs("\nunset label\nunset arrow\nunset logscale\n", out);
}

/* The panel of metric m. */
static void write_panel(FILE *out, const chart *p, size_t m)
{
	double px = (m % p->columns) * p->panel_w + p->left;
	double py = p->top + (m / p->columns) * p->panel_h + 40;
	double y_low = INFINITY, y_high = 0, current_high = 0;
	int rate = -1;

	write_curves(out, p, m, &y_low, &y_high, &current_high, &rate);
	if (!(y_low < y_high)) {
		y_low = 1;
		y_high = 100;
	}
	/* Keep the interesting part: above, at most 30 times the largest
	 * current effect. */
	y_high = fmin(y_high, fmax(current_high * 30, y_low * 10));
	if (!isnan(p->target)) {
		y_low = fmin(y_low, 100 * p->target);
		y_high = fmax(y_high, 100 * p->target);
	}
	tact_plot_frame(out, (int)p->width, (int)p->height, px, py,
	                px + PLOT_WIDTH, py + PLOT_HEIGHT);
	fprintf(out, "set logscale xy\nset xrange [%.10g:%.10g]\n"
	        "set yrange [%.10g:%.10g]\n", p->n_low, p->n_high, y_low / 1.3,
	        y_high * 1.3);
	fputs("set xtics autofreq\nset mxtics 10\nset mytics 10\n"
	      "set format x '%.0f'\nset format y '%g%%'\n"
	      "set grid xtics ytics\n", out);
	write_ytics(out, y_low, y_high);
	fprintf(out, "set xlabel 'units in the control (log scale)' font "
	        "',%g' offset 0,0.3\n", TACT_PLOT_FONT);
	fprintf(out, "set ylabel 'detectable effect, relative' font ',%g'\n",
	        TACT_PLOT_FONT);
	tact_plot_panel_title(out, 10, p->metrics.items[m], TACT_PLOT_INK,
	                      rate == 1
	                      ? "a rate: effect relative to the control's rate"
	                      : "a mean: effect relative to the control's mean",
	                      px, py, p->width, p->height);
	if (!isnan(p->target))
		fprintf(out, "set arrow 1 from graph 0, first %.10g to graph 1, "
		        "first %.10g nohead lc rgb '%s' lw 1.2 dt 2 front\n",
		        100 * p->target, 100 * p->target, TACT_PLOT_INK);
	write_plot(out, p, m);
}

tact_status tact_plot_build_power(const tact_plot_table *table,
                                  const tact_plot_options *options,
                                  tact_plot_script *script,
                                  tact_error *error)
{
	chart p;
	char level[16], power_text[16], title[200];
	tact_plot_writer w;
	tact_status status;
	size_t m;

	memset(&p, 0, sizeof p);
	tact_plot_list_init(&p.segments);
	tact_plot_list_init(&p.metrics);
	tact_plot_list_init(&p.all_metrics);
	tact_plot_list_init(&p.all_arms);
	p.alpha = 1 - options->confidence;
	p.power = options->power;
	p.n_low = INFINITY;
	p.target = NAN;
	p.chosen_arm = options->arm;
	status = read_rows(table, options, &p, error);
	if (status == TACT_OK)
		status = tact_plot_writer_open(&w, error);
	if (status != TACT_OK) {
		chart_release(&p);
		return status;
	}
	tact_plot_percent_label(options->confidence, level, sizeof level);
	tact_plot_percent_label(options->power, power_text, sizeof power_text);
	snprintf(title, sizeof title, "Smallest detectable effect per segment, "
	         "power %s at %s confidence", power_text, level);
	lay_out(&p, tact_plot_title_text(options, title));
	write_head(w.out, &p, tact_plot_title_text(options, title));
	for (m = 0; m < p.metrics.count; m++)
		write_panel(w.out, &p, m);
	fputs("unset multiplot\n", w.out);
	script->notes = p.suppressed + p.no_baseline;
	chart_release(&p);
	return tact_plot_writer_finish(&w, script, (int)p.width, (int)p.height,
	                               error);
}
