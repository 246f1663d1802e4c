/*
 * plot_frontier.c - the frontier chart of tact-frontier's output: per arm a
 * square panel, each segment a point at x = the change in annoyance cost
 * (the cost column: minus the weighted annoyance metrics, so more annoyance
 * is to the right) and y = the change in value (the gain column), with
 * interval crosses; the four quadrants named; the break-even line y = x,
 * above which the net value (gain - cost) is positive; segment names beside
 * the points, placed so that they do not overlap.
 *
 * Both axes share one symmetric range, so the origin is in the middle, the
 * four quadrants get the same room and the break-even line runs corner to
 * corner at 45 degrees.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

#define PANEL_SIZE 440.0
#define PANEL_GAP 70.0
#define LABEL_COLUMNS 24

typedef struct point {
	size_t arm;
	char label[128];
	double gain, gain_low, gain_high, cost, cost_low, cost_high;
	int verdict;               /* 0 personalize, 1 hold back, 2 other */
	/* where the label went, in panel pixels (y down) */
	double px, py;             /* the point */
	double lx, ly, lw;
	int align;                 /* -1 right-aligned, 0 centred, 1 left */
	int leader;                /* the label is away: draw a line to it */
} point;

static const struct {
	const char *name, *colour, *key;
	int point;
} verdicts[3] = {
	{"personalize", TACT_PLOT_GREEN, "personalize (net value above 0)", 7},
	{"hold back", TACT_PLOT_VERMILLION, "hold back (net value below 0)", 11},
	{"inconclusive", TACT_PLOT_GREY, "inconclusive", 13},
};

/* Overlap area of two boxes (x0, y0, x1, y1). */
static double overlap(const double *a, const double *b)
{
	double w = fmin(a[2], b[2]) - fmax(a[0], b[0]);
	double h = fmin(a[3], b[3]) - fmax(a[1], b[1]);

	return w > 0 && h > 0 ? w * h : 0;
}

/* Where point q's marker sits in panel pixels (y down). */
static void panel_xy(const point *q, double range, double size, double *x,
                     double *y)
{
	*x = (q->cost + range) / (2 * range) * size;
	*y = (range - q->gain) / (2 * range) * size;
}

/* score plus how much a label's box hits the points of arm (their
 * markers, and lightly their interval crosses) and the panel's edges
 * (added in that order: the sums stay as they were).  label_height and
 * label_width: the box's size. */
static double crowding(double score, const double *box, const point *points,
                       size_t count, size_t arm, double range, double size,
                       double label_height, double label_width)
{
	size_t j;

	for (j = 0; j < count; j++) {
		const point *q = &points[j];
		double qx, qy, marker[4];
		if (q->arm != arm || isnan(q->gain) || isnan(q->cost))
			continue;
		panel_xy(q, range, size, &qx, &qy);
		marker[0] = qx - 7;
		marker[1] = qy - 7;
		marker[2] = qx + 7;
		marker[3] = qy + 7;
		score += overlap(box, marker);
		/* The interval cross: thin boxes, a lighter penalty. */
		if (!isnan(q->gain_low) && !isnan(q->gain_high)) {
			marker[0] = qx - 1.5;
			marker[2] = qx + 1.5;
			marker[1] = (range - q->gain_high) / (2 * range) * size;
			marker[3] = (range - q->gain_low) / (2 * range) * size;
			score += 0.5 * overlap(box, marker);
		}
		if (!isnan(q->cost_low) && !isnan(q->cost_high)) {
			marker[1] = qy - 1.5;
			marker[3] = qy + 1.5;
			marker[0] = (q->cost_low + range) / (2 * range) * size;
			marker[2] = (q->cost_high + range) / (2 * range) * size;
			score += 0.5 * overlap(box, marker);
		}
	}
	/* Outside the panel counts as a large overlap. */
	if (box[0] < 0)
		score += -box[0] * label_height * 4;
	if (box[2] > size)
		score += (box[2] - size) * label_height * 4;
	if (box[1] < 0)
		score += -box[1] * label_width * 4;
	if (box[3] > size)
		score += (box[3] - size) * label_width * 4;
	return score;
}

/* score plus the overlap of box with what the panel writes itself, as
 * fractions of its size from the top-left: the quadrants' names in the
 * corners, and the break-even label along the diagonal around graph
 * (0.3, 0.3). */
static double hits_fixed(double score, const double *box, double size)
{
	static const double fixed[][4] = {
		{0, 0, 0.42, 0.11}, {0.58, 0, 1, 0.11},
		{0, 0.89, 0.42, 1}, {0.58, 0.89, 1, 1},
		{0.16, 0.68, 0.26, 0.78}, {0.22, 0.62, 0.32, 0.72},
		{0.28, 0.56, 0.38, 0.66},
	};
	size_t j;

	for (j = 0; j < sizeof fixed / sizeof fixed[0]; j++) {
		double f[4];
		f[0] = fixed[j][0] * size;
		f[1] = fixed[j][1] * size;
		f[2] = fixed[j][2] * size;
		f[3] = fixed[j][3] * size;
		score += overlap(box, f);
	}
	return score;
}

/*
 * Place each label beside its point: try eight directions at three
 * distances (nearest first), keep the first spot that hits no label placed
 * before, no point and stays inside the panel; else the least overlapping.
 * A label away from its point gets a leader line.  Coordinates: panel
 * pixels, (0, 0) top-left, size x size.
 */
static void place_labels(point *points, size_t count, size_t arm,
                         double range, double size)
{
	static const double directions[8][2] = {
		{1, 0}, {-1, 0}, {0, -1}, {0, 1},
		{0.8, -0.8}, {0.8, 0.8}, {-0.8, -0.8}, {-0.8, 0.8},
	};
	static const double distances[3] = {11, 30, 52};
	double (*boxes)[4] = calloc(count ? count : 1, sizeof *boxes);
	size_t placed = 0, i, j, c;

	for (i = 0; i < count; i++) {
		point *p = &points[i];
		double px, py, best_score = INFINITY, best_box[4] = {0, 0, 0, 0};
		double height = TACT_PLOT_FONT + 4;

		if (p->arm != arm || isnan(p->gain) || isnan(p->cost))
			continue;
		panel_xy(p, range, size, &px, &py);
		p->lw = tact_plot_text_width(p->label, TACT_PLOT_FONT);
		p->px = px;
		p->py = py;
		/* Default: right of the point (kept if memory ran out). */
		p->lx = px + distances[0];
		p->ly = py;
		p->align = 1;
		p->leader = 0;
		if (!boxes)
			continue;
		for (c = 0; c < 24; c++) {
			const double *d = directions[c % 8];
			double r = distances[c / 8];
			double box[4], score = 0;
			double ax = px + d[0] * r, ay = py + d[1] * r;
			int align = d[0] > 0.3 ? 1 : d[0] < -0.3 ? -1 : 0;

			box[0] = align > 0 ? ax : align < 0 ? ax - p->lw : ax - p->lw / 2;
			box[2] = box[0] + p->lw;
			box[1] = ay - height / 2;
			box[3] = ay + height / 2;
			for (j = 0; j < placed; j++)
				score += overlap(box, boxes[j]);
			score = hits_fixed(score, box, size);
			score = crowding(score, box, points, count, arm, range, size,
			                 height, p->lw);
			/* A farther spot must be clearly better to be chosen. */
			score += r - distances[0];
			if (score < best_score) {
				best_score = score;
				p->lx = ax;
				p->ly = ay;
				p->align = align;
				p->leader = r > distances[0];
				memcpy(best_box, box, sizeof box);
			}
			if (score <= r - distances[0])
				break;
		}
		memcpy(boxes[placed++], best_box, sizeof best_box);
	}
	free(boxes);
}

/* The chart: what was read, then the layout in pixels. */
typedef struct chart {
	tact_plot_list arms, all_arms;
	point *points;
	size_t count, suppressed;
	double range;              /* both axes: -range to range */
	int used[3];               /* verdicts present */
	double width, height, top, bottom, left;
	int notes;
} chart;

static void chart_release(chart *f)
{
	free(f->points);
	tact_plot_list_release(&f->arms);
	tact_plot_list_release(&f->all_arms);
}

/* Row r (kept, not suppressed) into the next point. */
static tact_status read_row(const tact_plot_table *table, size_t r,
                            const char *verdict, chart *f, tact_error *error)
{
	static const char *const figures[6] = {
		"gain", "gain_low", "gain_high", "cost", "cost_low", "cost_high"
	};
	size_t dims = tact_plot_table_dimensions(table, "arm");
	const char *arm = tact_plot_table_text(
		table, r, (size_t)tact_plot_table_column(table, "arm"));
	point *p = &f->points[f->count];
	char segment[512];
	double *slots[6];
	long at;
	size_t k;
	tact_status status;

	at = tact_plot_list_add(&f->arms, arm);
	if (at < 0)
		return tact_error_oom(error);
	p->arm = (size_t)at;
	tact_plot_table_segment(table, r, dims, segment, sizeof segment);
	tact_plot_shorten(segment, LABEL_COLUMNS, p->label, sizeof p->label);
	slots[0] = &p->gain;
	slots[1] = &p->gain_low;
	slots[2] = &p->gain_high;
	slots[3] = &p->cost;
	slots[4] = &p->cost_low;
	slots[5] = &p->cost_high;
	for (k = 0; k < 6; k++) {
		status = tact_plot_table_number(table, r,
		                                (size_t)tact_plot_table_column(
		                                        table, figures[k]),
		                                slots[k], error);
		if (status != TACT_OK)
			return status;
		if (!isnan(*slots[k]) && fabs(*slots[k]) > f->range)
			f->range = fabs(*slots[k]);
	}
	p->verdict = strcmp(verdict, verdicts[0].name) == 0 ? 0
	             : strcmp(verdict, verdicts[1].name) == 0 ? 1 : 2;
	f->used[p->verdict] = 1;
	f->count++;
	return TACT_OK;
}

/* The points of the arms kept; the range of both axes. */
static tact_status read_rows(const tact_plot_table *table,
                             const tact_plot_options *options, chart *f,
                             tact_error *error)
{
	size_t c_arm = (size_t)tact_plot_table_column(table, "arm");
	size_t c_verdict = (size_t)tact_plot_table_column(table, "verdict");
	size_t r;
	tact_status status;

	f->points = calloc(table->rows, sizeof *f->points);
	if (!f->points)
		return tact_error_oom(error);
	for (r = 0; r < table->rows; r++) {
		const char *arm = tact_plot_table_text(table, r, c_arm);
		const char *verdict = tact_plot_table_text(table, r, c_verdict);

		if (tact_plot_list_add(&f->all_arms, arm) < 0)
			return tact_error_oom(error);
		if (options->arm && strcmp(options->arm, arm) != 0)
			continue;
		if (strcmp(verdict, "suppressed") == 0) {
			/* Never read the figures of a suppressed row. */
			f->suppressed++;
			continue;
		}
		status = read_row(table, r, verdict, f, error);
		if (status != TACT_OK)
			return status;
	}
	if (f->count == 0)
		return tact_plot_nothing_to_draw(table, options, NULL, &f->all_arms,
		                                 "no rows to draw (all suppressed)",
		                                 error);
	if (!(f->range > 0))
		f->range = 1;
	f->range *= 1.12;
	return TACT_OK;
}

static const char net_note[] = "Net value = value - cost: positive above "
	"the dashed break-even line (figures in the weights' currency).";

/* A square panel per arm, side by side; wide enough for the title, the
 * key and the notes. */
static void lay_out(chart *f, const char *title)
{
	double key = 24;
	size_t k;

	f->top = 50;
	f->left = 80;
	f->notes = 1 + (f->suppressed > 0);
	f->bottom = 60 + 40 + 14 * f->notes;
	for (k = 0; k < 3; k++)
		if (f->used[k])
			key += tact_plot_key_width(verdicts[k].key);
	f->width = f->left + f->arms.count * PANEL_SIZE +
	           (f->arms.count - 1) * PANEL_GAP + 40;
	f->width = fmax(f->width, tact_plot_title_width(title));
	f->width = fmax(f->width, key);
	f->width = fmax(f->width, tact_plot_note_width(net_note));
	f->height = f->top + 30 + PANEL_SIZE + f->bottom;
}

/* The style, the title, the notes and the key of the verdicts. */
static void write_head(FILE *out, const chart *f, const char *title)
{
	int width = (int)f->width, height = (int)f->height, tag = 6;
	double x = 12, y = f->height - 14 * f->notes - 22;
	size_t k;

	tact_plot_style(out);
	fputs("set multiplot\n", out);
	tact_plot_title(out, title, width, height);
	if (f->suppressed)
		tact_plot_suppressed_note(out, f->suppressed, "segment",
		                          "tact-frontier", ", not shown", width,
		                          height, 1);
	tact_plot_note(out, net_note, width, height, 0);
	for (k = 0; k < 3; k++)
		if (f->used[k])
			x += tact_plot_key_entry(out, tag++, x, y, verdicts[k].key,
			                         verdicts[k].point, verdicts[k].colour,
			                         width, height);
	fputs("unset key\n", out);
}

/* The points of arm a: x, y, xlow, xhigh, ylow, yhigh, verdict. */
static void write_data(FILE *out, const chart *f, size_t a)
{
	size_t i;

	fprintf(out, "$frontier%zu << EOD\n", a);
	for (i = 0; i < f->count; i++) {
		const point *p = &f->points[i];
		double v[6];
		if (p->arm != a)
			continue;
		v[0] = p->cost;
		v[1] = p->gain;
		v[2] = p->cost_low;
		v[3] = p->cost_high;
		v[4] = p->gain_low;
		v[5] = p->gain_high;
		tact_plot_numbers(out, v, 6);
		fprintf(out, " %d\n", p->verdict);
	}
	fputs("EOD\n", out);
}

/* The axes of a panel, the tinted half of positive net value, the
 * break-even diagonal and the zero lines. */
static void write_axes(FILE *out, double range)
{
	double step = tact_plot_nice_step(2 * range, 8);

	fprintf(out, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n",
	        -range, range, -range, range);
	fprintf(out, "set xtics %.10g\nset ytics %.10g\nset mxtics 1\n"
	        "set mytics 1\nset format x '%%g'\nset format y '%%g'\n",
	        step, step);
	fputs("set border 15\nset grid xtics ytics\n", out);
	fprintf(out, "set xlabel 'change in annoyance cost (more annoyance "
	        "to the right)' font ',%g'\n", TACT_PLOT_FONT_AXIS);
	fprintf(out, "set ylabel 'change in value (more value up)' font "
	        "',%g'\n", TACT_PLOT_FONT_AXIS);
	fprintf(out, "set object 1 polygon from %.10g,%.10g to %.10g,%.10g "
	        "to %.10g,%.10g to %.10g,%.10g fillcolor rgb '#EEF7F3' "
	        "fillstyle solid 1.0 noborder behind\n", -range, -range,
	        range, range, -range, range, -range, -range);
	fprintf(out, "set arrow 1 from %.10g,%.10g to %.10g,%.10g nohead "
	        "lc rgb '%s' lw 1.5 dt 2 back\n", -range, -range, range, range,
	        TACT_PLOT_INK);
	fprintf(out, "set arrow 2 from 0, graph 0 to 0, graph 1 nohead "
	        "lc rgb '%s' lw 1 back\n", TACT_PLOT_INK);
	fprintf(out, "set arrow 3 from graph 0, first 0 to graph 1, first 0 "
	        "nohead lc rgb '%s' lw 1 back\n", TACT_PLOT_INK);
}

/* The quadrants, in their corners: a name, then what it means; the
 * break-even line's name.  Label tags from tag on; returns the next. */
static int write_quadrants(FILE *out, int tag)
{
	static const struct {
		const char *name, *meaning, *colour;
		double x, y;
	} quadrants[4] = {
		{"helps", "more value, less annoyance", TACT_PLOT_GREEN,
		 0.02, 0.975},
		{"trade-off", "more value, more annoyance", TACT_PLOT_INK,
		 0.98, 0.975},
		{"trade-off", "less value, less annoyance", TACT_PLOT_INK,
		 0.02, 0.075},
		{"intrudes", "less value, more annoyance", TACT_PLOT_VERMILLION,
		 0.98, 0.075},
	};
	size_t k;

	for (k = 0; k < 4; k++) {
		const char *align = quadrants[k].x < 0.5 ? "left" : "right";
		fprintf(out, "set label %d '%s' at graph %.3f, graph %.3f "
		        "%s front font ',%g' textcolor rgb '%s'\n", tag++,
		        quadrants[k].name, quadrants[k].x, quadrants[k].y,
		        align, TACT_PLOT_FONT_AXIS, quadrants[k].colour);
		fprintf(out, "set label %d '%s' at graph %.3f, graph %.3f "
		        "%s front textcolor rgb '%s'\n", tag++,
		        quadrants[k].meaning, quadrants[k].x,
		        quadrants[k].y - 0.045, align, quadrants[k].colour);
	}
	fprintf(out, "set label %d 'break-even: net value 0' at graph 0.3, "
	        "graph 0.3 center rotate by 45 offset -0.8,0.8 front "
	        "textcolor rgb '%s'\n", tag++, TACT_PLOT_INK);
	return tag;
}

/* Segment names of arm a where place_labels put them, with a leader line
 * to a label away from its point.  Tags from tag on. */
static void write_point_labels(FILE *out, const chart *f, size_t a, int tag)
{
	double range = f->range;
	size_t i;

	for (i = 0; i < f->count; i++) {
		const point *p = &f->points[i];
		double x, y;
		if (p->arm != a || isnan(p->gain) || isnan(p->cost))
			continue;
		x = p->lx / PANEL_SIZE * 2 * range - range;
		y = range - p->ly / PANEL_SIZE * 2 * range;
		fprintf(out, "set label %d ", tag++);
		tact_plot_quote(out, p->label);
		fprintf(out, " at %.10g,%.10g %s front textcolor rgb '%s'\n", x, y,
		        p->align > 0 ? "left" : p->align < 0 ? "right" : "center",
		        TACT_PLOT_INK);
		if (p->leader) {
			/* From near the point to near the label's anchor. */
			double dx = p->lx - p->px, dy = p->ly - p->py;
			double length = sqrt(dx * dx + dy * dy);
			double from = 7 / length, to = (length - 4) / length;
			fprintf(out, "set arrow %d from %.10g,%.10g to %.10g,%.10g "
			        "nohead lc rgb '%s' lw 0.8 front\n", tag++,
			        (p->px + dx * from) / PANEL_SIZE * 2 * range - range,
			        range - (p->py + dy * from) / PANEL_SIZE * 2 * range,
			        (p->px + dx * to) / PANEL_SIZE * 2 * range - range,
			        range - (p->py + dy * to) / PANEL_SIZE * 2 * range,
			        TACT_PLOT_GREY);
		}
	}
}

/* The panel of arm a. */
static void write_panel(FILE *out, chart *f, size_t a)
{
	double px = f->left + a * (PANEL_SIZE + PANEL_GAP);
	double py = f->top + 30;
	size_t k;
	int tag;

	place_labels(f->points, f->count, a, f->range, PANEL_SIZE);
	write_data(out, f, a);
	tact_plot_frame(out, (int)f->width, (int)f->height, px, py,
	                px + PANEL_SIZE, py + PANEL_SIZE);
	write_axes(out, f->range);
	tag = write_quadrants(out, 10);
	if (f->arms.count > 1) {
		char arm_title[160], shortened[128];
		snprintf(arm_title, sizeof arm_title, "%s against control",
		         f->arms.items[a]);
		tact_plot_shorten(arm_title, 60, shortened, sizeof shortened);
		fprintf(out, "set label %d ", tag++);
		tact_plot_quote(out, shortened);
		fprintf(out, " at screen %.5f, screen %.5f left front font "
		        "',%g' textcolor rgb '%s'\n", px / f->width,
		        1.0 - (py - 10) / f->height, TACT_PLOT_FONT_AXIS,
		        TACT_PLOT_INK);
	}
	write_point_labels(out, f, a, tag);
	fputs("plot ", out);
	for (k = 0; k < 3; k++)
		fprintf(out, "%s$frontier%zu using 3:($7 == %zu ? $2 : NaN):"
		        "($4-$3):(0) with vectors nohead lw 1.5 lc rgb '%s', \\\n"
		        "  '' using 1:($7 == %zu ? $5 : NaN):(0):($6-$5) with "
		        "vectors nohead lw 1.5 lc rgb '%s', \\\n"
		        "  '' using 1:($7 == %zu ? $2 : NaN) with points pt %d "
		        "ps 1.5*PS lc rgb '%s'", k ? ", \\\n  " : "", a, k,
		        verdicts[k].colour, k, verdicts[k].colour, k,
		        verdicts[k].point, verdicts[k].colour);
	fputs("\nunset label\nunset arrow\nunset object\n", out);
}

tact_status tact_plot_build_frontier(const tact_plot_table *table,
                                     const tact_plot_options *options,
                                     tact_plot_script *script,
                                     tact_error *error)
{
	chart f;
	char level[16], title[200];
	tact_plot_writer w;
	tact_status status;
	size_t a;

	memset(&f, 0, sizeof f);
	tact_plot_list_init(&f.arms);
	tact_plot_list_init(&f.all_arms);
	status = read_rows(table, options, &f, error);
	if (status == TACT_OK)
		status = tact_plot_writer_open(&w, error);
	if (status != TACT_OK) {
		chart_release(&f);
		return status;
	}
	tact_plot_percent_label(options->confidence, level, sizeof level);
	snprintf(title, sizeof title, "Value against annoyance, arm minus "
	         "control, %s intervals", level);
	lay_out(&f, tact_plot_title_text(options, title));
	write_head(w.out, &f, tact_plot_title_text(options, title));
	for (a = 0; a < f.arms.count; a++)
		write_panel(w.out, &f, a);
	fputs("unset multiplot\n", w.out);
	script->notes = f.suppressed;
	chart_release(&f);
	return tact_plot_writer_finish(&w, script, (int)f.width, (int)f.height,
	                               error);
}
