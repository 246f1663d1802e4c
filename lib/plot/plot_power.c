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

static tact_status oom(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
}

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

tact_status tact_plot_build_power(const tact_plot_table *table,
                                  const tact_plot_options *options,
                                  tact_plot_script *script,
                                  tact_error *error)
{
	size_t dims = tact_plot_table_dimensions(table, "metric");
	size_t c_metric = (size_t)tact_plot_table_column(table, "metric");
	size_t c_arm = (size_t)tact_plot_table_column(table, "arm");
	long c_target = tact_plot_table_column(table, "target");
	long c_needed = tact_plot_table_column(table, "needed_control");
	const double alpha = 1 - options->confidence, power = options->power;
	tact_plot_list segments, metrics, all_metrics, all_arms;
	curve *curves;
	size_t count = 0, suppressed = 0, no_baseline = 0, r, m, s, i;
	double n_low = INFINITY, n_high = 0, target = NAN;
	double width, height, left = 80, top = 44, bottom, panel_w, panel_h;
	size_t columns, lines;
	const char *chosen_arm = options->arm;
	char level[16], power_text[16], title[200];
	tact_plot_writer w;
	tact_status status = TACT_OK;
	FILE *out;

	tact_plot_list_init(&segments);
	tact_plot_list_init(&metrics);
	tact_plot_list_init(&all_metrics);
	tact_plot_list_init(&all_arms);
	curves = calloc(table->rows, sizeof *curves);
	if (!curves)
		return oom(error);
	for (r = 0; r < table->rows; r++) {
		const char *metric = tact_plot_table_text(table, r, c_metric);
		const char *arm = tact_plot_table_text(table, r, c_arm);
		static const char *const names[5] = {
			"n_control", "n_arm", "baseline", "sd", "mde_relative"
		};
		double figures[5], mde_absolute;
		char segment[512];
		curve *c = &curves[count];
		long at_s, at_m;

		if (tact_plot_list_add(&all_metrics, metric) < 0 ||
		    tact_plot_list_add(&all_arms, arm) < 0) {
			status = oom(error);
			goto fail;
		}
		/* One arm: the one asked for, else the first. */
		if (!chosen_arm)
			chosen_arm = all_arms.items[0];
		if (strcmp(arm, chosen_arm) != 0 ||
		    (options->metric && strcmp(options->metric, metric) != 0))
			continue;
		if (strcmp(tact_plot_table_text(
		                   table, r, (size_t)tact_plot_table_column(
		                                     table, "n_control")), "") == 0) {
			/* Suppressed: blank figures, never read. */
			suppressed++;
			continue;
		}
		for (i = 0; i < 5; i++) {
			status = tact_plot_table_number(
				table, r, (size_t)tact_plot_table_column(table, names[i]),
				&figures[i], error);
			if (status != TACT_OK)
				goto fail;
		}
		status = tact_plot_table_number(
			table, r, (size_t)tact_plot_table_column(table, "mde_absolute"),
			&mde_absolute, error);
		if (status != TACT_OK)
			goto fail;
		if (isnan(figures[4]) || isnan(mde_absolute) ||
		    !(figures[0] > 0) || !(figures[1] > 0)) {
			/* A baseline of 0 (no relative effect) or no spread. */
			no_baseline++;
			continue;
		}
		tact_plot_table_segment(table, r, dims, segment, sizeof segment);
		at_s = tact_plot_list_add(&segments, segment);
		at_m = tact_plot_list_add(&metrics, metric);
		if (at_s < 0 || at_m < 0) {
			status = oom(error);
			goto fail;
		}
		c->segment = (size_t)at_s;
		c->metric = (size_t)at_m;
		c->n_control = figures[0];
		c->ratio = figures[1] / figures[0];
		c->baseline = figures[2];
		c->sd = figures[3];
		c->mde_relative = figures[4];
		status = classify(table, r, c, mde_absolute, alpha, power, options,
		                  error);
		if (status != TACT_OK)
			goto fail;
		/* A target given as relative (--mde X --relative) is drawn: the
		 * units needed for it must match this row's needed_control. */
		if (c_target >= 0 && c_needed >= 0 && isnan(target)) {
			double t, needed, n_control, n_arm;
			tact_error ignored;
			tact_error_init(&ignored);
			if (tact_plot_table_number(table, r, (size_t)c_target, &t,
			                           &ignored) == TACT_OK && t > 0 &&
			    tact_plot_table_number(table, r, (size_t)c_needed, &needed,
			                           &ignored) == TACT_OK && needed > 0 &&
			    (c->rate ? tact_power_proportions_sample_size(
			                       c->baseline, t, TACT_POWER_RELATIVE, alpha,
			                       power, c->ratio, &n_control, &n_arm,
			                       &ignored)
			             : tact_power_means_sample_size(
			                       c->baseline, c->sd, t, TACT_POWER_RELATIVE,
			                       alpha, power, c->ratio, &n_control, &n_arm,
			                       &ignored)) == TACT_OK &&
			    close_to(ceil(n_control), needed))
				target = t;
		}
		if (c->n_control < n_low)
			n_low = c->n_control;
		if (c->n_control > n_high)
			n_high = c->n_control;
		count++;
	}
	if (count == 0) {
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
			                        "no rows to draw (suppressed, or no "
			                        "baseline to be relative to)");
		}
		goto fail;
	}
	/* Sizes from a tenth of the smallest segment to ten times the
	 * largest, in whole decades. */
	n_low = pow(10, floor(log10(n_low / 10)));
	n_high = pow(10, ceil(log10(n_high * 10)));
	if (n_low < 2)
		n_low = 2;

	if ((status = tact_plot_writer_open(&w, error)) != TACT_OK)
		goto fail;
	out = w.out;
	tact_plot_percent_label(options->confidence, level, sizeof level);
	tact_plot_percent_label(options->power, power_text, sizeof power_text);
	snprintf(title, sizeof title, "Smallest detectable effect per segment, "
	         "power %s at %s confidence", power_text, level);
	panel_w = left + PLOT_WIDTH + 30;
	panel_h = 40 + PLOT_HEIGHT + 50;
	columns = metrics.count < 2 ? metrics.count : 2;
	lines = (metrics.count + columns - 1) / columns;

	/* The key: one entry per segment, in lines that fit the width. */
	width = fmax(panel_w * columns, 560);
	{
		double x = 12;
		size_t key_lines = 1;
		char label[128];
		int dash;
		for (s = 0; s < segments.count; s++) {
			double entry;
			tact_plot_shorten(segments.items[s], TACT_PLOT_LABEL_MAX, label,
			                  sizeof label);
			entry = tact_plot_key_width(label) + 12;
			if (x + entry > width && x > 12) {
				key_lines++;
				x = 12;
			}
			x += entry;
		}
		bottom = 20 + 18.0 * key_lines + 14 * (2 + (suppressed > 0) +
		                                        (no_baseline > 0));
		width = fmax(width, tact_plot_title_width(
		                            tact_plot_title_text(options, title)));
		height = top + panel_h * lines + bottom;
		tact_plot_style(out);
		fputs("set multiplot\n", out);
		tact_plot_title(out, tact_plot_title_text(options, title),
		                (int)width, (int)height);
		x = 12;
		{
			double y = height - bottom + 16;
			for (s = 0; s < segments.count; s++) {
				double entry;
				const char *colour = segment_colour(&segments, s, &dash);
				tact_plot_shorten(segments.items[s], TACT_PLOT_LABEL_MAX,
				                  label, sizeof label);
				entry = tact_plot_key_width(label) + 12;
				if (x + entry > width && x > 12) {
					y += 18;
					x = 12;
				}
				/* Tags 100 and up: the key can be long. */
				x += tact_plot_key_line(out, (int)(100 + s), x + 8, y, label,
				                        7, colour, dash, (int)width,
				                        (int)height);
			}
		}
	}
	{
		int line = 0;
		char note[240];
		if (suppressed) {
			snprintf(note, sizeof note, "%zu row%s suppressed (fewer units "
			         "than tact-power's --min-cell), not drawn.", suppressed,
			         suppressed == 1 ? "" : "s");
			tact_plot_note(out, note, (int)width, (int)height, line++);
		}
		if (no_baseline) {
			snprintf(note, sizeof note, "%zu row%s without a relative effect "
			         "(a baseline of 0 or no spread), not drawn.", no_baseline,
			         no_baseline == 1 ? "" : "s");
			tact_plot_note(out, note, (int)width, (int)height, line++);
		}
		snprintf(note, sizeof note, "Arm: %s (it keeps its current share "
		         "of the units).%s", chosen_arm,
		         isnan(target) ? "" : "  Dashed: the target effect.");
		tact_plot_note(out, note, (int)width, (int)height, line++);
		tact_plot_note(out, "Curve: the smallest effect a segment of that "
		               "size can detect; dot: the segment as it is now.",
		               (int)width, (int)height, line++);
	}
	fputs("unset key\n", out);

	for (m = 0; m < metrics.count; m++) {
		double px = (m % columns) * panel_w + left;
		double py = top + (m / columns) * panel_h + 40;
		double y_low = INFINITY, y_high = 0, current_high = 0;
		int rate = -1, tag = 10;
		char label[128];

		/* Per segment: the curve (n, mde %), then its current point. */
		for (i = 0; i < count; i++) {
			const curve *c = &curves[i];
			size_t g;
			if (c->metric != m)
				continue;
			rate = c->rate;
			fprintf(out, "$curve%zu_%zu << EOD\n", m, i);
			for (g = 0; g <= GRID; g++) {
				double n = n_low * pow(n_high / n_low, (double)g / GRID);
				double y = 100 * relative_mde(c, n, alpha, power);
				tact_plot_number(out, n);
				putc(' ', out);
				tact_plot_number(out, y);
				putc('\n', out);
				if (!isnan(y) && y > 0) {
					y_low = fmin(y_low, y);
					y_high = fmax(y_high, y);
				}
			}
			fputs("EOD\n", out);
			current_high = fmax(current_high, 100 * c->mde_relative);
		}
		if (!(y_low < y_high)) {
			y_low = 1;
			y_high = 100;
		}
		/* Keep the interesting part: above, at most 30 times the largest
		 * current effect. */
		y_high = fmin(y_high, fmax(current_high * 30, y_low * 10));
		if (!isnan(target)) {
			y_low = fmin(y_low, 100 * target);
			y_high = fmax(y_high, 100 * target);
		}
		tact_plot_frame(out, (int)width, (int)height, px, py,
		                px + PLOT_WIDTH, py + PLOT_HEIGHT);
		fprintf(out, "set logscale xy\nset xrange [%.10g:%.10g]\n"
		        "set yrange [%.10g:%.10g]\n", n_low, n_high, y_low / 1.3,
		        y_high * 1.3);
		fputs("set xtics autofreq\nset mxtics 10\nset mytics 10\n"
		      "set format x '%.0f'\nset format y '%g%%'\n"
		      "set grid xtics ytics\n", out);
		/* Within three decades, tics at 1, 2 and 5 of each: a reader
		 * wants to see 6% rather than between 1% and 10%. */
		if (log10(y_high / y_low) <= 3) {
			double decade = pow(10, floor(log10(y_low / 1.3)));
			int first = 1;
			fputs("set ytics (", out);
			for (; decade <= y_high * 1.3; decade *= 10) {
				static const double steps[3] = {1, 2, 5};
				int k;
				for (k = 0; k < 3; k++) {
					double t = decade * steps[k];
					if (t < y_low / 1.3 || t > y_high * 1.3)
						continue;
					fprintf(out, "%s%.10g", first ? "" : ", ", t);
					first = 0;
				}
			}
			fputs(")\n", out);
		} else {
			fputs("set ytics autofreq\n", out);
		}
		fprintf(out, "set xlabel 'units in the control (log scale)' font "
		        "',%g' offset 0,0.3\n", TACT_PLOT_FONT);
		fprintf(out, "set ylabel 'detectable effect, relative' font ',%g'\n",
		        TACT_PLOT_FONT);
		fprintf(out, "set label %d ", tag++);
		tact_plot_shorten(metrics.items[m], 40, label, sizeof label);
		tact_plot_quote(out, label);
		fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
		        "textcolor rgb '%s'\n", px / width, 1.0 - (py - 24) / height,
		        TACT_PLOT_FONT_AXIS, TACT_PLOT_INK);
		fprintf(out, "set label %d ", tag++);
		tact_plot_quote(out, rate == 1
		                ? "a rate: effect relative to the control's rate"
		                : "a mean: effect relative to the control's mean");
		fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
		        "textcolor rgb '%s'\n", px / width, 1.0 - (py - 9) / height,
		        TACT_PLOT_FONT - 1, TACT_PLOT_GREY);
		if (!isnan(target))
			fprintf(out, "set arrow 1 from graph 0, first %.10g to graph 1, "
			        "first %.10g nohead lc rgb '%s' lw 1.2 dt 2 front\n",
			        100 * target, 100 * target, TACT_PLOT_INK);
		fputs("plot ", out);
		{
			int first = 1;
			for (i = 0; i < count; i++) {
				const curve *c = &curves[i];
				int dash;
				const char *colour = segment_colour(&segments, c->segment,
				                                    &dash);
				if (c->metric != m)
					continue;
				fprintf(out, "%s$curve%zu_%zu using 1:2 with lines lw 2 dt "
				        "%d lc rgb '%s', \\\n  '+' using (%.10g):(%.10g) "
				        "every ::0::0 with points pt 7 ps 1.4*PS lc rgb '%s'",
				        first ? "" : ", \\\n  ", m, i, dash, colour,
				        c->n_control, 100 * c->mde_relative, colour);
				first = 0;
			}
		}
		fputs("\nunset label\nunset arrow\nunset logscale\n", out);
	}
	fputs("unset multiplot\n", out);
	script->notes = suppressed + no_baseline;
	free(curves);
	tact_plot_list_release(&segments);
	tact_plot_list_release(&metrics);
	tact_plot_list_release(&all_metrics);
	tact_plot_list_release(&all_arms);
	return tact_plot_writer_finish(&w, script, (int)width, (int)height,
	                               error);

fail:
	free(curves);
	tact_plot_list_release(&segments);
	tact_plot_list_release(&metrics);
	tact_plot_list_release(&all_metrics);
	tact_plot_list_release(&all_arms);
	return status;
}
