/*
 * plot_cumulative.c - the cumulative chart of tact-compare --by-period: per
 * metric a panel, the periods in time order along x, the cumulative
 * difference (the units of every period up to each) as a line in its
 * interval's band, each period's own difference as an open dot, and zero as
 * a dashed line.  Is the effect stable, or a novelty that fades?
 *
 * It draws the pooled segment ("(all)") of one arm (--arm, else the
 * first); rates (rows tested by z or Fisher) in percentage points.  The band is the row's interval
 * (diff_low, diff_high: at the level of its own adjusted test; always-valid
 * when tact-compare computed it so).  Suppressed rows are left out and
 * counted in a note.
 *
 * Steps: reading (read_rows), layout (lay_out), drawing (write_head,
 * write_panel).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

#define PLOT_WIDTH 420.0
#define PLOT_HEIGHT 240.0

/* One drawn figure: a period's own, or the cumulative one. */
typedef struct point {
	size_t period, metric;
	int cumulative;
	double diff, low, high;
} point;

/* The chart: what was read, then the layout in pixels. */
typedef struct chart {
	tact_plot_list periods, metrics, all_metrics, all_arms;
	unsigned char *rate, *down;  /* per metric */
	point *points;
	size_t count, suppressed;
	const char *chosen_arm;
	double width, height, top, bottom, panel_w, panel_h, left;
	size_t columns, lines;
} chart;

static void chart_release(chart *p)
{
	free(p->points);
	free(p->rate);
	free(p->down);
	tact_plot_list_release(&p->periods);
	tact_plot_list_release(&p->metrics);
	tact_plot_list_release(&p->all_metrics);
	tact_plot_list_release(&p->all_arms);
}

/* Is row r of the pooled segment (every label between "scope" and
 * "metric" is "(all)", or there are none)? */
static int pooled_row(const tact_plot_table *table, size_t r, size_t first,
                      size_t last)
{
	size_t c;

	for (c = first; c < last; c++)
		if (strcmp(tact_plot_table_text(table, r, c), "(all)") != 0)
			return 0;
	return 1;
}

/* Row r's figures into the next point. */
static tact_status read_row(const tact_plot_table *table, size_t r,
                            const char *scope, chart *p, tact_error *error)
{
	static const char *const names[3] = {"diff", "diff_low", "diff_high"};
	const char *metric = tact_plot_table_text(
		table, r, (size_t)tact_plot_table_column(table, "metric"));
	const char *period = tact_plot_table_text(
		table, r, (size_t)tact_plot_table_column(table, "period"));
	const char *direction = tact_plot_table_text(
		table, r, (size_t)tact_plot_table_column(table, "direction"));
	const char *test = tact_plot_table_text(
		table, r, (size_t)tact_plot_table_column(table, "test"));
	point *pt = &p->points[p->count];
	double figures[3];
	long at_p, at_m;
	size_t i, known = p->metrics.count;
	tact_status status;

	for (i = 0; i < 3; i++)
		if ((status = tact_plot_table_number(
			     table, r, (size_t)tact_plot_table_column(table, names[i]),
			     &figures[i], error)))
			return status;
	at_p = tact_plot_list_add(&p->periods, period);
	at_m = tact_plot_list_add(&p->metrics, metric);
	if (at_p < 0 || at_m < 0)
		return tact_error_oom(error);
	pt->period = (size_t)at_p;
	pt->metric = (size_t)at_m;
	pt->cumulative = strcmp(scope, "cumulative") == 0;
	if (pt->metric == known)
		p->down[pt->metric] = strcmp(direction, "down") == 0;
	/* A rate is tested by z or Fisher, a mean by Welch (blank: untested). */
	p->rate[pt->metric] |= strcmp(test, "z") == 0 ||
	                       strcmp(test, "fisher") == 0;
	pt->diff = figures[0];
	pt->low = figures[1];
	pt->high = figures[2];
	p->count++;
	return TACT_OK;
}

/* The pooled rows of one arm (the one asked for, else the first). */
static tact_status read_rows(const tact_plot_table *table,
                             const tact_plot_options *options, chart *p,
                             tact_error *error)
{
	size_t c_metric = (size_t)tact_plot_table_column(table, "metric");
	size_t c_arm = (size_t)tact_plot_table_column(table, "arm");
	size_t c_scope = (size_t)tact_plot_table_column(table, "scope");
	size_t c_n = (size_t)tact_plot_table_column(table, "n_arm");
	size_t r;
	tact_status status;

	p->points = calloc(table->rows + 1, sizeof *p->points);
	p->rate = calloc(table->rows + 1, 1);
	p->down = calloc(table->rows + 1, 1);
	if (!p->points || !p->rate || !p->down)
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
		    (options->metric && strcmp(options->metric, metric) != 0) ||
		    !pooled_row(table, r, c_scope + 1, c_metric))
			continue;
		if (strcmp(tact_plot_table_text(table, r, c_n), "") == 0) {
			p->suppressed++;
			continue;
		}
		status = read_row(table, r, tact_plot_table_text(table, r, c_scope),
		                  p, error);
		if (status != TACT_OK)
			return status;
	}
	if (p->count == 0)
		return tact_plot_nothing_to_draw(table, options, &p->all_metrics,
		                                 &p->all_arms,
		                                 "no pooled rows to draw", error);
	return TACT_OK;
}

/* The panels, two a line, with room under each for the period labels. */
static void lay_out(chart *p, const char *title)
{
	p->left = 80;
	p->top = 44;
	p->panel_w = p->left + PLOT_WIDTH + 30;
	p->panel_h = 40 + PLOT_HEIGHT + 70;
	p->columns = p->metrics.count < 2 ? p->metrics.count : 2;
	p->lines = (p->metrics.count + p->columns - 1) / p->columns;
	p->width = fmax(p->panel_w * p->columns, 560);
	p->bottom = 20 + 18.0 + 14 * (2 + (p->suppressed > 0));
	p->width = fmax(p->width, tact_plot_title_width(title));
	p->height = p->top + p->panel_h * p->lines + p->bottom;
}

/* The style, the title, the key and the notes. */
static void write_head(FILE *out, const chart *p, const char *title)
{
	int width = (int)p->width, height = (int)p->height, line = 0;
	double x = 12, y = p->height - p->bottom + 16;
	char note[240];

	tact_plot_style(out);
	fputs("set multiplot\n", out);
	tact_plot_title(out, title, width, height);
	x += tact_plot_key_line(out, 100, x + 8, y, "cumulative difference "
	                        "(band: its interval)", -1, TACT_PLOT_BLUE, 1,
	                        width, height);
	tact_plot_key_entry(out, 102, x + 8, y, "the period's own difference", 6,
	                    TACT_PLOT_GREY, width, height);
	if (p->suppressed)
		tact_plot_suppressed_note(out, p->suppressed, "row", "tact-compare",
		                          ", not drawn", width, height, line++);
	snprintf(note, sizeof note, "Arm: %s against the control, every "
	         "segment pooled; rates in percentage points.", p->chosen_arm);
	tact_plot_note(out, note, width, height, line++);
	tact_plot_note(out, "The cumulative line is for watching, not for "
	               "deciding: decide on every unit at the planned end.",
	               width, height, line++);
	fputs("unset key\n", out);
}

/* The datablocks of metric m: cumulative (x, diff, low, high) and the
 * periods' own (x, diff); the y range of both. */
static void write_data(FILE *out, const chart *p, size_t m, double *low,
                       double *high)
{
	const double scale = p->rate[m] ? 100.0 : 1.0;
	int own;
	size_t i;

	for (own = 0; own < 2; own++) {
		fprintf(out, "$%s%zu << EOD\n", own ? "own" : "cum", m);
		for (i = 0; i < p->count; i++) {
			const point *pt = &p->points[i];
			double v[4];
			if (pt->metric != m || pt->cumulative == own)
				continue;
			v[0] = (double)pt->period;
			v[1] = pt->diff * scale;
			v[2] = pt->low * scale;
			v[3] = pt->high * scale;
			tact_plot_numbers(out, v, own ? 2 : 4);
			putc('\n', out);
			if (!isnan(v[1])) {
				*low = fmin(*low, v[1]);
				*high = fmax(*high, v[1]);
			}
			if (!own && isfinite(v[2]) && isfinite(v[3])) {
				*low = fmin(*low, v[2]);
				*high = fmax(*high, v[3]);
			}
		}
		fputs("EOD\n", out);
	}
}

/* The panel of metric m. */
static void write_panel(FILE *out, const chart *p, size_t m)
{
	double px = (double)(m % p->columns) * p->panel_w + p->left;
	double py = p->top + (double)(m / p->columns) * p->panel_h + 40;
	double low = 0, high = 0, pad;
	const char *colour = p->down[m] ? TACT_PLOT_ANNOYANCE_COLOUR
	                                : TACT_PLOT_GOAL_COLOUR;

	write_data(out, p, m, &low, &high);
	pad = (high - low) * 0.08 + 1e-9;
	tact_plot_frame(out, (int)p->width, (int)p->height, px, py,
	                px + PLOT_WIDTH, py + PLOT_HEIGHT);
	fprintf(out, "set xrange [-0.5:%.10g]\nset yrange [%.10g:%.10g]\n",
	        (double)p->periods.count - 0.5, low - pad, high + pad);
	fputs("set grid ytics\nset ytics autofreq\nset format y '%g'\n", out);
	tact_plot_label_tics(out, 'x', &p->periods, 0, 1);
	if (p->periods.count > 8)
		fputs("set xtics rotate by 45 right\n", out);
	fprintf(out, "set xlabel '' \nset ylabel '%s' font ',%g'\n",
	        p->rate[m] ? "difference (points)" : "difference",
	        TACT_PLOT_FONT);
	tact_plot_panel_title(out, 10, p->metrics.items[m], colour,
	                      tact_plot_role_subtitle(p->down[m]), px, py,
	                      p->width, p->height);
	fprintf(out, "set arrow 1 from graph 0, first 0 to graph 1, first 0 "
	        "nohead lc rgb '%s' lw 1 dt 2 back\n", TACT_PLOT_INK);
	fprintf(out, "plot $cum%zu using 1:3:4 with filledcurves fc rgb '%s' "
	        "fs transparent solid 0.18 noborder, \\\n"
	        "  $cum%zu using 1:2 with linespoints lw 2 pt 7 ps 0.8*PS lc rgb "
	        "'%s', \\\n"
	        "  $own%zu using 1:2 with points pt 6 ps 1.1*PS lc rgb '%s'\n",
	        m, colour, m, colour, m, TACT_PLOT_GREY);
	fputs("unset label\nunset arrow\nset xtics norotate\n", out);
}

tact_status tact_plot_build_cumulative(const tact_plot_table *table,
                                       const tact_plot_options *options,
                                       tact_plot_script *script,
                                       tact_error *error)
{
	chart p;
	tact_plot_writer w;
	tact_status status;
	size_t m;
	const char *title;

	memset(&p, 0, sizeof p);
	tact_plot_list_init(&p.periods);
	tact_plot_list_init(&p.metrics);
	tact_plot_list_init(&p.all_metrics);
	tact_plot_list_init(&p.all_arms);
	p.chosen_arm = options->arm;
	status = read_rows(table, options, &p, error);
	if (status == TACT_OK)
		status = tact_plot_writer_open(&w, error);
	if (status != TACT_OK) {
		chart_release(&p);
		return status;
	}
	title = tact_plot_title_text(options, "The effect over time: the "
	                             "cumulative difference by period");
	lay_out(&p, title);
	write_head(w.out, &p, title);
	for (m = 0; m < p.metrics.count; m++)
		write_panel(w.out, &p, m);
	fputs("unset multiplot\n", w.out);
	script->notes = p.suppressed;
	chart_release(&p);
	return tact_plot_writer_finish(&w, script, (int)p.width, (int)p.height,
	                               error);
}
