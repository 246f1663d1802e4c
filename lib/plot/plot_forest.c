/*
 * plot_forest.c - the forest chart of tact-compare's output: per arm and
 * metric a panel, per segment a row with the lift (or difference) and its
 * interval, a zero line, significant rows filled, annoyance metrics in
 * vermillion triangles and goal metrics in blue circles.
 *
 * Panels rather than one axis: lifts of different metrics differ by orders
 * of magnitude (+5% on conversion, +1500% on a rare unsubscription), so a
 * shared axis would flatten all but one.  Rows keep the same order in every
 * panel (the input's), so a segment reads across on one line.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

#define ROW_HEIGHT 24.0
#define PANEL_WIDTH 250.0     /* plotting area of a panel */
#define PANEL_GAP 30.0
#define PANELS_PER_LINE 4

typedef struct row {
	size_t segment, metric, arm;
	double value, low, high;
	int significant, suppressed;
} row;

typedef struct forest {
	tact_plot_compare names;    /* segments, metrics, arms */
	row *rows;
	size_t row_count;
	/* The layout, in pixels from the top-left corner. */
	size_t lines_per_arm, columns;
	double left, width, height, top, bottom, panel_height, plot_height;
	int any_goal, any_annoyance, pooled_first;
} forest;

static void forest_release(forest *f)
{
	tact_plot_compare_release(&f->names);
	free(f->rows);
}

/* The note under every forest chart. */
#define FILLED_NOTE "Filled: significant after the multiple-comparison " \
	"adjustment (verdict better or worse); open: inconclusive."

/* Read the rows the options keep. */
static tact_status read_rows(const tact_plot_table *table,
                             const tact_plot_options *options, forest *f,
                             tact_error *error)
{
	size_t c_verdict = (size_t)tact_plot_table_column(table, "verdict");
	int diff = options->measure == TACT_PLOT_DIFF;
	size_t c_value = (size_t)tact_plot_table_column(table,
	                                                diff ? "diff" : "lift");
	size_t c_low = (size_t)tact_plot_table_column(table, diff ? "diff_low"
	                                                          : "lift_low");
	size_t c_high = (size_t)tact_plot_table_column(table, diff ? "diff_high"
	                                                           : "lift_high");
	size_t r;
	tact_status status;

	status = tact_plot_compare_init(&f->names, table, error);
	if (status != TACT_OK)
		return status;
	f->rows = calloc(table->rows, sizeof *f->rows);
	if (!f->rows)
		return tact_error_oom(error);
	for (r = 0; r < table->rows; r++) {
		const char *verdict = tact_plot_table_text(table, r, c_verdict);
		row *out = &f->rows[f->row_count];
		size_t at[3];
		int kept = tact_plot_compare_keep(&f->names, table, r, options, 0,
		                                  at);

		if (kept < 0)
			return tact_error_oom(error);
		if (kept == 0)
			continue;
		out->segment = at[0];
		out->metric = at[1];
		out->arm = at[2];
		out->suppressed = strcmp(verdict, "suppressed") == 0;
		out->significant = strcmp(verdict, "better") == 0 ||
		                   strcmp(verdict, "worse") == 0;
		if (out->suppressed) {
			/* Never read the figures of a suppressed row. */
			out->value = out->low = out->high = NAN;
		} else if ((status = tact_plot_table_number(table, r, c_value,
		                                            &out->value, error)) ||
		           (status = tact_plot_table_number(table, r, c_low,
		                                            &out->low, error)) ||
		           (status = tact_plot_table_number(table, r, c_high,
		                                            &out->high, error))) {
			return status;
		}
		f->row_count++;
	}
	return tact_plot_compare_finish(&f->names, table, options, error);
}

/* The figure as drawn: lifts and differences of rates in % or points. */
static double scaled(const forest *f, const row *r, double x,
                     tact_plot_measure measure)
{
	if (measure == TACT_PLOT_LIFT || f->names.rate[r->metric] != 0)
		return 100 * x;
	return x;
}

static void axis_range(const forest *f, size_t metric, size_t arm,
                       tact_plot_measure measure, double *lo, double *hi)
{
	size_t i;

	*lo = 0;
	*hi = 0;
	for (i = 0; i < f->row_count; i++) {
		const row *r = &f->rows[i];
		double a, b;

		if (r->metric != metric || r->arm != arm || r->suppressed)
			continue;
		a = scaled(f, r, isnan(r->low) ? r->value : r->low, measure);
		b = scaled(f, r, isnan(r->high) ? r->value : r->high, measure);
		if (!isnan(a) && a < *lo)
			*lo = a;
		if (!isnan(b) && b > *hi)
			*hi = b;
	}
	if (*hi - *lo <= 0) {
		*lo = -1;
		*hi = 1;
	}
	{
		double pad = 0.06 * (*hi - *lo);
		*lo -= pad;
		*hi += pad;
	}
}

/* Tics that do not crowd a panel of PANEL_WIDTH pixels. */
static void write_xtics(FILE *out, double lo, double hi, int percent)
{
	double biggest = fmax(fabs(lo), fabs(hi));
	double chars = (biggest >= 1 ? floor(log10(biggest)) + 1 : 3) + 2 +
	               (percent ? 1 : 0);
	int count = (int)(PANEL_WIDTH / (chars * TACT_PLOT_FONT * 0.6 + 16));
	double step = tact_plot_nice_step(hi - lo, count < 2 ? 2 : count);

	fprintf(out, "set xtics %g\nset mxtics 2\n", step);
	fprintf(out, "set format x '%s'\n", percent ? "%+g%%" : "%+g");
}

/* Where the panels go: a column of segment labels, then up to
 * PANELS_PER_LINE panels a line, a set of lines per arm. */
static void lay_out(forest *f)
{
	size_t m;

	for (m = 0; m < f->names.metrics.count; m++) {
		if (f->names.down[m])
			f->any_annoyance = 1;
		else
			f->any_goal = 1;
	}
	f->pooled_first = strcmp(f->names.segments.items[0], "(all)") == 0;
	f->columns = f->names.metrics.count < PANELS_PER_LINE
	             ? f->names.metrics.count : PANELS_PER_LINE;
	f->lines_per_arm = (f->names.metrics.count + PANELS_PER_LINE - 1) /
	                   PANELS_PER_LINE;
	f->left = 20 + tact_plot_label_width(&f->names.segments) + 10;
	f->width = f->left + f->columns * PANEL_WIDTH +
	           (f->columns - 1) * PANEL_GAP + 30;
	if (f->width < 560)
		f->width = 560;
	/* One metric makes a narrow chart: wide enough for its note (issue
	 * 18: it was cut at "open: incon"). */
	if (f->width < tact_plot_note_width(FILLED_NOTE))
		f->width = tact_plot_note_width(FILLED_NOTE);
	f->plot_height = ROW_HEIGHT * f->names.segments.count + 8;
	f->panel_height = 40 + f->plot_height + 50;
	f->top = 44;
	f->bottom = 40 + 14 * (1 + (f->names.suppressed > 0)) + 6;
	f->height = f->top +
	            f->panel_height * f->lines_per_arm * f->names.arms.count +
	            f->bottom;
}

/* The style, the title, the notes and the key. */
static void write_head(FILE *out, const forest *f,
                       const tact_plot_options *options)
{
	int width = (int)f->width, height = (int)f->height, line = 0;
	char level[16], title[160];
	double x = 12, y = f->height - f->bottom + 18;

	tact_plot_percent_label(options->confidence, level, sizeof level);
	snprintf(title, sizeof title, "%s against control, %s interval",
	         options->measure == TACT_PLOT_DIFF ? "Difference" : "Lift",
	         level);
	tact_plot_style(out);
	fputs("set multiplot\n", out);
	tact_plot_title(out, tact_plot_title_text(options, title), width, height);
	if (f->names.suppressed)
		tact_plot_suppressed_note(out, f->names.suppressed, "row",
		                          "tact-compare",
		                          options->omit_suppressed ? ", left out"
		                                                   : "",
		                          width, height, line++);
	tact_plot_note(out, FILLED_NOTE, width, height, line++);
	/* The key, hand-placed on one line above the notes. */
	if (f->any_goal) {
		x += tact_plot_key_entry(out, 6, x, y, "goal, significant",
		                         TACT_PLOT_GOAL_POINT, TACT_PLOT_GOAL_COLOUR,
		                         width, height);
		x += tact_plot_key_entry(out, 7, x, y, "goal, inconclusive",
		                         TACT_PLOT_GOAL_POINT - 1,
		                         TACT_PLOT_GOAL_COLOUR, width, height);
	}
	if (f->any_annoyance) {
		x += tact_plot_key_entry(out, 8, x, y, "annoyance, significant",
		                         TACT_PLOT_ANNOYANCE_POINT,
		                         TACT_PLOT_ANNOYANCE_COLOUR, width, height);
		tact_plot_key_entry(out, 9, x, y, "annoyance, inconclusive",
		                    TACT_PLOT_ANNOYANCE_POINT - 1,
		                    TACT_PLOT_ANNOYANCE_COLOUR, width, height);
	}
	fputs("unset key\n", out);
}

/* The data of a panel: x, y, low, high, significant. */
static void write_data(FILE *out, const forest *f, size_t m, size_t a,
                       size_t panel, tact_plot_measure measure)
{
	size_t i, drawn = 0;

	fprintf(out, "$forest%zu << EOD\n", panel);
	for (i = 0; i < f->row_count; i++) {
		const row *r = &f->rows[i];
		double v[4];
		if (r->metric != m || r->arm != a || r->suppressed ||
		    isnan(r->value))
			continue;
		v[0] = scaled(f, r, r->value, measure);
		v[1] = (double)(f->names.segments.count - r->segment);
		v[2] = scaled(f, r, r->low, measure);
		v[3] = scaled(f, r, r->high, measure);
		tact_plot_numbers(out, v, 4);
		fprintf(out, " %d\n", r->significant);
		drawn++;
	}
	if (drawn == 0)
		fputs("NaN NaN NaN NaN 0\n", out);
	fputs("EOD\n", out);
}

/* A note in place of each row of the panel without a figure: suppressed,
 * or no lift (the control is 0).  Label tags from tag on. */
static void write_missing(FILE *out, const forest *f, size_t m, size_t a,
                          int tag)
{
	size_t i;

	for (i = 0; i < f->row_count; i++) {
		const row *r = &f->rows[i];
		if (r->metric != m || r->arm != a)
			continue;
		if (!r->suppressed && !isnan(r->value))
			continue;
		fprintf(out, "set label %d %s at graph 0.5, first %zu "
		        "center front textcolor rgb '%s'\n", tag++,
		        r->suppressed ? "'suppressed (too few units)'"
		        : r->significant ? "'no lift: the control is 0 "
		                           "(significant)'"
		                         : "'no lift: the control is 0'",
		        f->names.segments.count - r->segment, TACT_PLOT_GREY);
	}
}

/* The panel of metric m and arm a. */
static void write_panel(FILE *out, const forest *f,
                        const tact_plot_options *options, size_t m, size_t a,
                        size_t panel)
{
	size_t line = a * f->lines_per_arm + m / PANELS_PER_LINE;
	size_t col = m % PANELS_PER_LINE;
	double px = f->left + col * (PANEL_WIDTH + PANEL_GAP);
	double py = f->top + line * f->panel_height + 40;
	double lo, hi;
	const char *colour = f->names.down[m] ? TACT_PLOT_ANNOYANCE_COLOUR
	                                : TACT_PLOT_GOAL_COLOUR;
	int point = f->names.down[m] ? TACT_PLOT_ANNOYANCE_POINT
	                       : TACT_PLOT_GOAL_POINT;
	int diff = options->measure == TACT_PLOT_DIFF;
	char panel_title[300];
	int tag;

	write_data(out, f, m, a, panel, options->measure);
	tact_plot_frame(out, (int)f->width, (int)f->height, px, py,
	                px + PANEL_WIDTH, py + f->plot_height);
	axis_range(f, m, a, options->measure, &lo, &hi);
	fprintf(out, "set xrange [%.10g:%.10g]\n", lo, hi);
	fprintf(out, "set yrange [0.5:%g]\n", f->names.segments.count + 0.5);
	write_xtics(out, lo, hi, !diff);
	tact_plot_label_tics(out, 'y', &f->names.segments, 1, col == 0);
	fprintf(out, "set xlabel %s offset 0,0.4 font ',%g'\n",
	        !diff ? "'lift (%)'"
	              : f->names.rate[m] != 0 ? "'difference (percentage points)'"
	                                : "'difference (per unit)'",
	        TACT_PLOT_FONT);
	/* Zero line; a rule under the pooled row. */
	fprintf(out, "set arrow 1 from first 0, graph 0 to first 0, "
	        "graph 1 nohead lc rgb '%s' lw 1.2 front\n", TACT_PLOT_INK);
	if (f->pooled_first && f->names.segments.count > 1)
		fprintf(out, "set arrow 2 from graph 0, first %g to graph 1, "
		        "first %g nohead lc rgb '%s' lw 1 back\n",
		        f->names.segments.count - 0.5, f->names.segments.count - 0.5,
		        TACT_PLOT_GREY);
	/* Panel title above the frame: the metric (and arm) in the role's
	 * colour, then what the role means. */
	snprintf(panel_title, sizeof panel_title, "%s%s%s",
	         f->names.metrics.items[m], f->names.arms.count > 1 ? " · " : "",
	         f->names.arms.count > 1 ? f->names.arms.items[a] : "");
	tag = tact_plot_panel_title(out, 10, panel_title, colour,
	                            tact_plot_role_subtitle(f->names.down[m]),
	                            px, py, f->width, f->height);
	write_missing(out, f, m, a, tag);
	fprintf(out, "plot $forest%zu using 3:2:($4-$3):(0) with "
	        "vectors nohead lw 2 lc rgb '%s', \\\n", panel, colour);
	fprintf(out, "  '' using 1:($5 > 0 ? $2 : NaN) with points "
	        "pt %d ps 1.4*PS lc rgb '%s', \\\n", point, colour);
	fprintf(out, "  '' using 1:($5 > 0 ? NaN : $2) with points "
	        "pt %d ps 1.1*PS lc rgb 'white', \\\n", point);
	fprintf(out, "  '' using 1:($5 > 0 ? NaN : $2) with points "
	        "pt %d ps 1.4*PS lw 1.5 lc rgb '%s'\n", point - 1, colour);
	fputs("unset label\nunset arrow\n", out);
}

tact_status tact_plot_build_forest(const tact_plot_table *table,
                                   const tact_plot_options *options,
                                   tact_plot_script *script,
                                   tact_error *error)
{
	forest f;
	tact_plot_writer w;
	tact_status status;
	size_t m, a, panel = 0;

	memset(&f, 0, sizeof f);
	status = read_rows(table, options, &f, error);
	if (status == TACT_OK)
		status = tact_plot_writer_open(&w, error);
	if (status != TACT_OK) {
		forest_release(&f);
		return status;
	}
	lay_out(&f);
	write_head(w.out, &f, options);
	for (a = 0; a < f.names.arms.count; a++)
		for (m = 0; m < f.names.metrics.count; m++, panel++)
			write_panel(w.out, &f, options, m, a, panel);
	fputs("unset multiplot\n", w.out);
	script->notes = f.names.suppressed;
	forest_release(&f);
	return tact_plot_writer_finish(&w, script, (int)f.width, (int)f.height,
	                               error);
}
