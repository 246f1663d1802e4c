/*
 * report_html.c - the report's page (see report.h).
 *
 * One self-contained HTML file: the styles inline, the charts inline as
 * SVG, nothing fetched from a network.  Sections: what to do (one sentence
 * per segment), data quality, the sample-ratio check, results per segment,
 * the trade-off and policy value, whom to personalize for (with
 * --target-features), exposure frequency, power, methods and
 * the command that made the report.  Key figures carry their full-precision
 * value in data-value attributes (data-figure names them), so a test can
 * check the page against the tools' CSV outputs.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cap.h"
#include "format.h"
#include "html.h"
#include "version.h"

static const char style[] =
	"body{font:15px/1.45 -apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
	"sans-serif;color:#1b1b1b;max-width:1120px;margin:0 auto;padding:24px}"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 8px;"
	"border-bottom:2px solid #e3e3e3;padding-bottom:4px}h3{font-size:16px;"
	"margin:20px 0 6px}.sub{color:#555;margin:0 0 18px}"
	/* A table wider than the window scrolls inside itself, never the page
	 * (issue 18: the page scrolled sideways at 760 pixels). */
	"table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px;"
	"display:block;max-width:100%;overflow-x:auto}"
	"th,td{padding:4px 10px;border-bottom:1px solid #e6e6e6;text-align:left;"
	"vertical-align:top}th{background:#f4f4f4;font-weight:600}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	".ci{display:block;color:#666;font-size:12px}"
	".chip{display:inline-block;padding:1px 8px;border-radius:10px;"
	"font-size:12.5px;font-weight:600;white-space:nowrap}"
	".good{background:#d6e9f8;color:#0b4f7a}.bad{background:#fbe0d2;"
	"color:#8a3200}.neutral{background:#ececec;color:#444}"
	".hidden{background:#f7f3d9;color:#6b5d00}"
	"ul.headline{list-style:none;padding:0}ul.headline li{margin:8px 0;"
	"padding:10px 14px;border-left:5px solid #ccc;background:#fafafa}"
	"ul.headline li.good{border-color:#0072b2}ul.headline li.bad{"
	"border-color:#d55e00}.chart svg{max-width:100%;height:auto}"
	".chart{margin:10px 0 18px}.note{color:#555;font-size:13px}"
	"pre{background:#f4f4f4;padding:10px;overflow-x:auto;white-space:pre-wrap}"
	"@media print{body{max-width:none;padding:0}h2{break-before:auto}"
	"section{break-inside:avoid-page}.chart{break-inside:avoid}"
	"a{color:inherit;text-decoration:none}"
	"table{display:table;overflow:visible}}" /* paper does not scroll */
	"@media (max-width:800px){body{padding:12px}th,td{padding:3px 6px}"
	"table{font-size:12.5px}}";

/* ---- small writers ----------------------------------------------------- */

static void text(FILE *out, const char *s)
{
	tact_html_text(out, s);
}

/* A figure shown as shown, with its exact value for tests. */
static void figure_cell(FILE *out, const char *key, double value,
                        const char *shown)
{
	char exact[TACT_FORMAT_NUMBER_MAX];

	fputs("<td class=\"n\"", out);
	if (key) {
		fputs(" data-figure=\"", out);
		tact_html_attribute(out, key);
		fprintf(out, "\" data-value=\"%s\"", tact_format_number(exact, value));
	}
	fputs(">", out);
	/* "value [low, high]": the interval on a line of its own, smaller, so
	 * that wide tables still fit a page. */
	{
		const char *bracket = strstr(shown, " [");
		if (bracket) {
			char main_part[256];
			size_t n = (size_t)(bracket - shown);
			if (n >= sizeof main_part)
				n = sizeof main_part - 1;
			memcpy(main_part, shown, n);
			main_part[n] = '\0';
			text(out, main_part);
			fputs("<span class=\"ci\">", out);
			text(out, bracket + 1);
			fputs("</span>", out);
		} else {
			text(out, shown);
		}
	}
	fputs("</td>", out);
}

static void fixed(char *out, size_t size, double value, int decimals,
                  int sign)
{
	char body[48];

	if (isnan(value)) {
		snprintf(out, size, "-");
		return;
	}
	if (isinf(value)) { /* an overflowing figure: blank, with the reason */
		snprintf(out, size, "overflow");
		return;
	}
	tact_format_fixed(body, sizeof body, value, decimals);
	snprintf(out, size, "%s%s", sign && value > 0 ? "+" : "", body);
}

/* The value already shown as v, its unit, then its interval when it has
 * one: "v unit [low, high]" (with sign, the bounds signed too). */
static void interval_after(char *out, size_t size, const char *v, double low,
                           double high, double scale, const char *unit,
                           int sign, int decimals)
{
	char l[64], h[64];

	if (isnan(low) || isnan(high)) {
		snprintf(out, size, "%s%s", v, unit);
		return;
	}
	fixed(l, sizeof l, low * scale, decimals, sign);
	fixed(h, sizeof h, high * scale, decimals, sign);
	snprintf(out, size, "%s%s [%s, %s]", v, unit, l, h);
}

/*
 * Decimals for a figure and its interval as shown: two, or as many as
 * give the interval's width two significant digits (at most six), so
 * that a small net value reads "+0.028 [+0.023, +0.034]" rather than
 * "+0.03 [+0.02, +0.03]" or "0.00 [-0.01, +0.00]" (issue 18).  Without
 * an interval, the figure's own size decides.
 */
static int decimals_for(double value, double low, double high, double scale)
{
	double span = isnan(low) || isnan(high) ? fabs(value) : high - low;
	int decimals;

	span *= scale;
	if (!isfinite(span) || span <= 0 || span >= 0.1)
		return 2;
	decimals = (int)ceil(-log10(span)) + 1;
	return decimals > 6 ? 6 : decimals;
}

/* "6.20% [5.22, 7.36]" or "1.74 [1.49, 2.00]" */
static void with_interval(char *out, size_t size, double value, double low,
                          double high, double scale, const char *unit,
                          int sign)
{
	char v[64];
	int decimals = decimals_for(value, low, high, scale);

	fixed(v, sizeof v, value * scale, decimals, sign);
	if (isnan(value)) {
		snprintf(out, size, "-");
		return;
	}
	if (isinf(value * scale)) { /* never "+inf%" (issue 15) */
		snprintf(out, size, "overflow");
		return;
	}
	interval_after(out, size, v, low, high, scale, unit, 0, decimals);
}

static void chip(FILE *out, const char *kind, const char *label)
{
	fprintf(out, "<span class=\"chip %s\">", kind);
	text(out, label);
	fputs("</span>", out);
}

static void segment_label(const tact_segments *cells, size_t s, char *out,
                          size_t size)
{
	const tact_summary *summary = cells->summary;
	size_t d, used = 0;

	if (s == 0 || summary->dimensions == 0) {
		snprintf(out, size, "all units");
		return;
	}
	out[0] = '\0';
	for (d = 0; d < summary->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s", d ? " / " : "",
		                 cells->labels[s][d][0] ? cells->labels[s][d]
		                                        : "(empty)");
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

/* The key of a figure: "compare|<labels joined by />|metric|arm|column". */
static void figure_key(char *out, size_t size, const char *table,
                       const tact_segments *cells, size_t s,
                       const char *metric, const char *arm,
                       const char *column)
{
	const tact_summary *summary = cells->summary;
	size_t d, used;
	int n;

	n = snprintf(out, size, "%s|", table);
	used = n > 0 ? (size_t)n : 0;
	for (d = 0; d < summary->dimensions && used < size; d++) {
		n = snprintf(out + used, size - used, "%s%s", d ? "/" : "",
		             cells->labels[s][d]);
		if (n > 0)
			used += (size_t)n;
	}
	if (used < size)
		snprintf(out + used, size - used, "|%s|%s|%s", metric, arm, column);
}

static void chart(FILE *out, const tact_report_data *d, tact_plot_kind kind,
                  const char *caption)
{
	const char *svg = d->chart_svg[kind], *start;

	if (!d->charts[kind] || !svg) {
		fputs("<p class=\"note\">No chart: nothing to draw (every figure is "
		      "suppressed or blank).</p>\n", out);
		return;
	}
	/* Inline the SVG element itself, without the XML prolog. */
	start = strstr(svg, "<svg");
	fprintf(out, "<figure class=\"chart\" id=\"chart-%s\">",
	        tact_plot_kind_name(kind));
	fputs(start ? start : svg, out);
	fputs("<figcaption class=\"note\">", out);
	text(out, caption);
	fprintf(out, " (also as <a href=\"%s.png\">PNG</a> and <a href=\"%s.svg\">"
	             "SVG</a>)</figcaption></figure>\n",
	        tact_plot_kind_name(kind), tact_plot_kind_name(kind));
}

/* ---- what to do -------------------------------------------------------- */

/*
 * The headline states verdicts only as the tables compute them: a metric's
 * verdict is its compare row's (row->verdict), a segment's recommendation
 * its frontier row's (row->verdict); nothing here recomputes a verdict
 * from an interval.  Each stated verdict is a "claim" element carrying the
 * table, segment, metric and arm of the row it comes from, and the rows of
 * the tables carry the same keys with their interval: the browser test
 * (tests/report/) matches every claim with its row.
 */

/* The segment's key in data attributes: "(all)" for the pooled one, else
 * its labels joined by "/". */
static void segment_key(FILE *out, const tact_segments *cells, size_t s)
{
	size_t k;

	if (s == 0) {
		fputs("(all)", out);
		return;
	}
	for (k = 0; k < cells->summary->dimensions; k++) {
		if (k)
			fputs("/", out);
		tact_html_attribute(out, cells->labels[s][k]);
	}
}

/* The data attributes naming one row: data-table, data-segment,
 * data-metric (NULL: net value) and data-arm. */
static void row_keys(FILE *out, const char *table, const tact_segments *cells,
                     size_t s, const char *metric, const char *arm)
{
	fprintf(out, " data-table=\"%s\" data-segment=\"", table);
	segment_key(out, cells, s);
	fputs("\" data-metric=\"", out);
	tact_html_attribute(out, metric ? metric : "net value");
	fputs("\" data-arm=\"", out);
	tact_html_attribute(out, arm);
	fputs("\"", out);
}

/* The interval printed with a row's verdict, exactly, and its direction
 * (1: higher is better), for the browser test. */
static void row_interval(FILE *out, int up, double low, double high)
{
	char l[TACT_FORMAT_NUMBER_MAX], h[TACT_FORMAT_NUMBER_MAX];

	fprintf(out, " data-up=\"%d\" data-low=\"%s\" data-high=\"%s\"", up,
	        tact_format_number(l, low), tact_format_number(h, high));
}

static const char *compare_kind(tact_compare_verdict verdict)
{
	return verdict == TACT_VERDICT_BETTER    ? "good"
	       : verdict == TACT_VERDICT_WORSE   ? "bad"
	       : verdict == TACT_VERDICT_SUPPRESSED ? "hidden"
	                                           : "neutral";
}

static const char *frontier_kind(tact_frontier_verdict verdict)
{
	return verdict == TACT_FRONTIER_PERSONALIZE ? "good"
	       : verdict == TACT_FRONTIER_HOLD_BACK ? "bad"
	       : verdict == TACT_FRONTIER_SUPPRESSED ? "hidden"
	                                             : "neutral";
}

/* "+7.66 pt [+6.91, +8.41]" for a rate, "+0.77 [+0.49, +1.05]" else. */
static void signed_interval(char *out, size_t size, double value, double low,
                            double high, double scale, const char *unit)
{
	char v[64];
	int decimals = decimals_for(value, low, high, scale);

	fixed(v, sizeof v, value * scale, decimals, 1);
	interval_after(out, size, v, low, high, scale, unit, 1, decimals);
}

/* One metric's result as a claim: "visit +7.66 pt [+6.91, +8.41] better". */
static void compare_claim(FILE *out, const tact_report_data *d,
                          const tact_compare_row *row)
{
	const tact_compare_result *c = &d->compare;
	const char *metric = d->summary.metrics[row->metric].name;
	char shown[256];

	fputs("<span class=\"claim\"", out);
	row_keys(out, "compare", &c->cells, row->segment, metric,
	         c->arms[row->arm]);
	fputs(">", out);
	text(out, metric);
	if (!row->up)
		fputs(" <span class=\"note\">(annoyance)</span>", out);
	fputs(" ", out);
	if (row->verdict != TACT_VERDICT_SUPPRESSED) {
		signed_interval(shown, sizeof shown, row->diff, row->diff_low,
		                row->diff_high, row->rate ? 100 : 1,
		                row->rate ? " pt" : "");
		text(out, shown);
		fputs(" ", out);
	}
	chip(out, compare_kind(row->verdict),
	     tact_compare_verdict_name(row->verdict));
	fputs("</span>", out);
}

/* The net value's result as a claim, with the frontier's verdict. */
static void frontier_claim(FILE *out, const tact_report_data *d,
                           const tact_frontier_row *row)
{
	char shown[256];

	fputs("<span class=\"claim\"", out);
	row_keys(out, "frontier", &d->frontier.cells, row->segment, NULL,
	         d->frontier.cells.arms[row->arm]);
	fputs(">net value ", out);
	if (row->verdict != TACT_FRONTIER_SUPPRESSED) {
		signed_interval(shown, sizeof shown, row->diff, row->diff_low,
		                row->diff_high, 1, " per unit");
		text(out, shown);
		fputs(" ", out);
	}
	chip(out, frontier_kind(row->verdict),
	     tact_frontier_verdict_name(row->verdict));
	fputs("</span>", out);
}

static const tact_frontier_row *frontier_row(const tact_report_data *d,
                                             size_t s, size_t a)
{
	return &d->frontier.rows[s * (d->frontier.cells.arm_count - 1) + a - 1];
}

/* What the rows of segment s and arm a hold: tested rows, suppressed rows,
 * and rows whose verdict is better or worse. */
typedef struct tally {
	size_t tested, suppressed, better, worse;
} tally;

static tally count_rows(const tact_report_data *d, size_t s, size_t a)
{
	const tact_compare_result *c = &d->compare;
	tally t = {0, 0, 0, 0};
	size_t r;

	for (r = 0; r < c->row_count; r++) {
		const tact_compare_row *row = &c->rows[r];
		if (row->segment != s || row->arm != a)
			continue;
		if (row->verdict == TACT_VERDICT_SUPPRESSED)
			t.suppressed++;
		else
			t.tested++;
		t.better += row->verdict == TACT_VERDICT_BETTER;
		t.worse += row->verdict == TACT_VERDICT_WORSE;
	}
	return t;
}

/* The claims of segment s and arm a: every row (all = 1), or only those
 * whose verdict is better or worse, separated by commas.  Returns how
 * many were written. */
static size_t claims(FILE *out, const tact_report_data *d, size_t s, size_t a,
                     int all)
{
	const tact_compare_result *c = &d->compare;
	size_t r, n = 0;

	for (r = 0; r < c->row_count; r++) {
		const tact_compare_row *row = &c->rows[r];
		if (row->segment != s || row->arm != a)
			continue;
		if (!all && row->verdict != TACT_VERDICT_BETTER &&
		    row->verdict != TACT_VERDICT_WORSE)
			continue;
		fputs(n++ ? "; " : "", out);
		compare_claim(out, d, row);
	}
	return n;
}

/* The colour of a line without a net-value verdict: significant harm on
 * any metric is the alarm, else a significant gain is good, else neutral
 * (whatever the point estimates). */
static const char *tally_kind(tally t)
{
	return t.worse ? "bad" : t.better ? "good"
	       : t.tested == 0 && t.suppressed ? "hidden" : "neutral";
}

static void overall(FILE *out, const tact_report_data *d)
{
	const tact_compare_result *c = &d->compare;
	size_t a;

	fputs("<h3>Overall: all units</h3>\n<ul class=\"headline\" "
	      "id=\"headline-overall\">\n", out);
	for (a = 1; a < c->arm_count; a++) {
		const tally t = count_rows(d, 0, a);
		const char *kind = d->have_frontier
		                       ? frontier_kind(frontier_row(d, 0, a)->verdict)
		                       : tally_kind(t);
		fprintf(out, "<li class=\"%s\" data-segment=\"(all)\"><b>", kind);
		text(out, c->arms[a]);
		fputs("</b> against <b>", out);
		text(out, c->arms[0]);
		fputs("</b>: ", out);
		if (d->have_frontier) {
			frontier_claim(out, d, frontier_row(d, 0, a));
			fputs("; ", out);
		}
		if (claims(out, d, 0, a, 1) == 0)
			fputs("no metric to compare", out);
		fputs(".</li>\n", out);
	}
	fputs("</ul>\n", out);
}

static void by_segment_frontier(FILE *out, const tact_report_data *d)
{
	const tact_segments *cells = &d->compare.cells;
	const int several = cells->arm_count > 2;
	size_t s, a;

	for (a = 1; a < cells->arm_count; a++)
		for (s = 1; s < cells->count; s++) {
			const tact_frontier_row *row = frontier_row(d, s, a);
			char name[512];
			const char *advice =
				row->verdict == TACT_FRONTIER_PERSONALIZE ? "personalize"
				: row->verdict == TACT_FRONTIER_HOLD_BACK ? "hold back"
				: row->verdict == TACT_FRONTIER_INCONCLUSIVE
					? "no clear answer yet"
					: NULL;

			segment_label(cells, s, name, sizeof name);
			fprintf(out, "<li class=\"%s\" data-segment=\"",
			        frontier_kind(row->verdict));
			segment_key(out, cells, s);
			fputs("\"><b>", out);
			text(out, name);
			fputs("</b>: ", out);
			if (!advice) {
				fprintf(out, "suppressed (fewer than %lld units).</li>\n",
				        (long long)d->frontier.min_cell);
				continue;
			}
			text(out, advice);
			if (several) {
				fputs(row->verdict == TACT_FRONTIER_PERSONALIZE ? " with "
				                                                 : " for ",
				      out);
				text(out, cells->arms[a]);
			}
			fputs(": ", out);
			frontier_claim(out, d, row);
			if (count_rows(d, s, a).better + count_rows(d, s, a).worse) {
				fputs("; significant changes: ", out);
				claims(out, d, s, a, 0);
			}
			fputs(".</li>\n", out);
		}
}

static void by_segment_metrics(FILE *out, const tact_report_data *d)
{
	const tact_segments *cells = &d->compare.cells;
	size_t s, a;

	for (s = 1; s < cells->count; s++) {
		tally total = {0, 0, 0, 0};
		char name[512];
		int any;

		for (a = 1; a < cells->arm_count; a++) {
			const tally t = count_rows(d, s, a);
			total.tested += t.tested;
			total.suppressed += t.suppressed;
			total.better += t.better;
			total.worse += t.worse;
		}
		segment_label(cells, s, name, sizeof name);
		fprintf(out, "<li class=\"%s\" data-segment=\"", tally_kind(total));
		segment_key(out, cells, s);
		fputs("\"><b>", out);
		text(out, name);
		fputs("</b>: ", out);
		if (total.tested == 0) {
			fprintf(out, "suppressed (fewer than %lld units).</li>\n",
			        (long long)d->compare.min_cell);
			continue;
		}
		if (total.better + total.worse == 0)
			fputs("no significant change.", out);
		for (a = 1, any = 0; a < cells->arm_count; a++) {
			const tally t = count_rows(d, s, a);
			if (t.better + t.worse == 0)
				continue;
			fputs(any++ ? " " : "", out);
			text(out, cells->arms[a]);
			fputs(": ", out);
			claims(out, d, s, a, 0);
			fputs(".", out);
		}
		if (total.suppressed)
			fprintf(out, " %zu comparison%s suppressed (fewer than %lld units).",
			        total.suppressed, total.suppressed == 1 ? "" : "s",
			        (long long)d->compare.min_cell);
		fputs("</li>\n", out);
	}
}

static void headline(FILE *out, const tact_report_data *d)
{
	const tact_segments *cells = &d->compare.cells;

	fputs("<section id=\"headline\"><h2>What to do</h2>\n", out);
	overall(out, d);
	if (cells->count > 1) {
		fputs("<h3>By segment</h3>\n<ul class=\"headline\" "
		      "id=\"headline-segments\">\n", out);
		if (d->have_frontier)
			by_segment_frontier(out, d);
		else
			by_segment_metrics(out, d);
		fputs("</ul>\n", out);
	}
	fputs("<p class=\"note\">Every verdict here is the one in the tables "
	      "below, where each interval is at the level its adjusted test used: "
	      "it excludes 0 exactly when the verdict is not inconclusive.  The "
	      "overall rows are one family (adjusted over metrics and arms), the "
	      "segment rows another; a segment is named by its significant changes "
	      "only.", out);
	if (!d->have_frontier)
		fputs("  Give <code>--weights</code> (the value of a conversion, the "
		      "cost of a bounce or an unsubscription) to weigh gains against "
		      "annoyance and get a verdict per segment.", out);
	fputs("</p>\n", out);
	if (d->have_frontier) {
		size_t i;
		for (i = 0; i + 2 < d->frontier.policy_count; i += 3) {
			const tact_frontier_policy *none = &d->frontier.policies[i];
			const tact_frontier_policy *all = &d->frontier.policies[i + 1];
			const tact_frontier_policy *target = &d->frontier.policies[i + 2];
			char a1[64], a2[64], a3[64];
			tact_format_thousands(a1, sizeof a1, (int64_t)llround(none->value));
			tact_format_thousands(a2, sizeof a2, (int64_t)llround(all->value));
			tact_format_thousands(a3, sizeof a3, (int64_t)llround(target->value));
			fputs("<p>Net value per 1,000 units with ", out);
			text(out, d->frontier.cells.arms[none->arm]);
			fprintf(out, ": personalize no one %s, everyone %s, only the %zu "
			             "segment%s whose verdict is <i>personalize</i> %s.</p>\n",
			        a1, a2, target->segments_personalized,
			        target->segments_personalized == 1 ? "" : "s", a3);
		}
	}
	fputs("</section>\n", out);
}

/* ---- data quality and sample ratio --------------------------------------- */

static void row_count(FILE *out, const char *label, int64_t value)
{
	char n[32];

	fputs("<tr><th>", out);
	text(out, label);
	fprintf(out, "</th><td class=\"n\">%s</td></tr>\n",
	        tact_format_thousands(n, sizeof n, value));
}

static void quality(FILE *out, const tact_report_data *d)
{
	const tact_summary *s = &d->summary;
	int64_t units = 0, missing;
	size_t g, m;

	for (g = 0; g < s->group_count; g++)
		units += s->groups[g].units;
	fputs("<section id=\"quality\"><h2>Data quality</h2>\n", out);
	if (s->units_in_several_arms > 0) /* issue 18: a warning, not a row */
		fprintf(out, "<p class=\"note\"><b>Warning:</b> %lld units were seen "
		        "in more than one arm and %s: randomization may have "
		        "leaked.</p>\n", (long long)s->units_in_several_arms,
		        s->mixed_units_kept ? "each kept in its first arm "
		        "(--mixed-units first)" : "dropped from every figure "
		        "(--mixed-units first keeps them)");
	fputs("<table>\n", out);
	row_count(out, "rows read", s->rows_read);
	if (s->where) {
		/* --where: the condition and the rows it dropped. */
		char label[300];
		snprintf(label, sizeof label, "rows dropped by --where %s", s->where);
		row_count(out, label, s->rows_excluded_where);
	}
	row_count(out, "rows rejected (bad cells, --skip-bad)", s->rows_rejected);
	row_count(out, "rows left out for lack of consent", s->rows_excluded_consent);
	if (s->unit_name) {
		row_count(out, "units (sessions folded by the unit column)", units);
		row_count(out, "units seen in more than one arm", s->units_in_several_arms);
	} else {
		row_count(out, "units analysed", units);
	}
	for (m = 0; m < s->metric_count; m++) {
		char label[300];
		missing = 0;
		for (g = 0; g < s->group_count; g++)
			missing += s->groups[g].units - s->groups[g].metrics[m].n;
		snprintf(label, sizeof label, "missing values of %s", s->metrics[m].name);
		row_count(out, label, missing);
	}
	for (m = 0; m < s->metric_count; m++) {
		/* --cap: which cap, the value it took, the units it touched. */
		const tact_cap *cap = &s->metrics[m].cap;
		char label[400], given[64], value[TACT_FORMAT_NUMBER_MAX];
		if (cap->kind == TACT_CAP_NONE)
			continue;
		snprintf(label, sizeof label, "units whose %s was capped at %s (%s)",
		         s->metrics[m].name, tact_cap_text(cap, given, sizeof given),
		         tact_format_number(value, cap->value));
		row_count(out, label, cap->touched);
	}
	row_count(out, "comparisons suppressed (fewer than --min-cell units)",
	          (int64_t)d->compare.suppressed);
	if (d->have_dose)
		row_count(out, "exposure bins suppressed", (int64_t)d->dose.suppressed);
	if (d->load.identifier_count > 0) {
		/* privacy: name the columns (never a value), as every tool does. */
		size_t i, n = d->load.identifier_count < TACT_LOAD_IDENTIFIERS_SHOWN
		                      ? d->load.identifier_count
		                      : TACT_LOAD_IDENTIFIERS_SHOWN;
		fputs("<tr><th>columns holding direct identifiers (never used, never "
		      "written: drop them from the export)</th><td>", out);
		for (i = 0; i < n; i++) {
			const tact_load_identifier *c = &d->load.identifiers[i];
			char kind[160];
			snprintf(kind, sizeof kind, " (%s)",
			         tact_identifier_kind_text(c->kind));
			fputs(i ? ", " : "", out);
			text(out, c->name);
			text(out, kind);
		}
		if (d->load.identifier_count > n)
			fprintf(out, " and %zu more", d->load.identifier_count - n);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<p class=\"note\">Suppressed figures are never printed: a "
	      "group with fewer units than the minimum cell size could identify "
	      "people.  Rows without consent count nowhere.</p></section>\n", out);
}

static void sample_ratio(FILE *out, const tact_report_data *d)
{
	const tact_compare_result *c = &d->compare;
	size_t s, a;
	int any = 0;

	fputs("<section id=\"sample-ratio\"><h2>Sample-ratio check</h2>\n"
	      "<p>Do the arms hold the share of units the experiment planned?  A "
	      "mismatch (p under 0.001) means the assignment or the logging is "
	      "broken, and no comparison can be trusted.  A segment that fails "
	      "while the whole passes is likely not pre-treatment: an intent "
	      "inferred after personalization was shown.</p>\n<table><tr><th>"
	      "segment</th>", out);
	for (a = 0; a < c->arm_count; a++) {
		fputs("<th>", out);
		text(out, c->arms[a]);
		fputs("</th>", out);
	}
	fputs("<th>p-value</th><th>check</th></tr>\n", out);
	for (s = 0; s < c->segment_count; s++) {
		const tact_compare_segment *seg = &c->segments[s];
		char name[512], p[32];
		segment_label(&c->cells, s, name, sizeof name);
		fputs("<tr><td>", out);
		text(out, name);
		fputs("</td>", out);
		for (a = 0; a < c->arm_count; a++) {
			char n[32];
			if (seg->units[a] > 0 && seg->units[a] < c->min_cell)
				snprintf(n, sizeof n, "<%lld", (long long)c->min_cell);
			else if (seg->units_suppressed[a]) /* privacy: a complement */
				snprintf(n, sizeof n, "hidden");
			else
				tact_format_thousands(n, sizeof n, seg->units[a]);
			fputs("<td class=\"n\">", out);
			text(out, n);
			fputs("</td>", out);
		}
		/* "-" when blank (privacy: a hidden arm), "<0.0001" rather
		 * than a p of 0 (issue 18). */
		tact_format_p_text(p, sizeof p, seg->srm_p_value);
		fputs("<td class=\"n\">", out);
		text(out, p);
		fputs("</td><td>", out);
		if (seg->srm_flag) {
			chip(out, "bad", "mismatch");
			any = 1;
		} else {
			chip(out, "neutral", "ok");
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (!any)
		fputs("<p class=\"note\">No mismatch.</p>\n", out);
	fputs("</section>\n", out);
}

/* ---- results ------------------------------------------------------------- */

static void results(FILE *out, const tact_report_data *d)
{
	const tact_compare_result *c = &d->compare;
	size_t s, r = 0;

	fputs("<section id=\"results\"><h2>Results per segment</h2>\n", out);
	chart(out, d, TACT_PLOT_FOREST,
	      "Lift of each arm against the control, per segment and metric, with "
	      "its interval; annoyance metrics are drawn apart from goal metrics");
	chart(out, d, TACT_PLOT_RATES,
	      "Each arm's rate per segment, with its interval");
	for (s = 0; s < c->segment_count; s++) {
		char name[512];
		segment_label(&c->cells, s, name, sizeof name);
		fputs("<h3>", out);
		text(out, name);
		fputs("</h3>\n<table><tr><th>metric</th><th>arm</th><th>control</th>"
		      "<th>arm value</th><th>difference</th><th>lift</th><th>p (adj.)"
		      "</th><th>chance to beat</th><th>verdict</th></tr>\n", out);
		for (; r < c->row_count && c->rows[r].segment == s; r++) {
			const tact_compare_row *row = &c->rows[r];
			const char *metric = d->summary.metrics[row->metric].name;
			const char *arm = c->arms[row->arm];
			const double scale = row->rate ? 100 : 1;
			char key[1024], shown[256];

			fputs("<tr", out);
			row_keys(out, "compare", &c->cells, s, metric, arm);
			row_interval(out, row->up, row->diff_low, row->diff_high);
			fputs("><td>", out);
			text(out, metric);
			fputs(row->up ? "" : " <span class=\"note\">(annoyance)</span>", out);
			fputs("</td><td>", out);
			text(out, arm);
			fputs("</td>", out);
			if (row->verdict == TACT_VERDICT_SUPPRESSED) {
				fprintf(out, "<td colspan=\"6\" class=\"note\">fewer than %lld "
				             "units: suppressed</td><td>", (long long)c->min_cell);
				chip(out, "hidden", "suppressed");
				fputs("</td></tr>\n", out);
				continue;
			}
			with_interval(shown, sizeof shown, row->mean_control, row->control_low,
			              row->control_high, scale, row->rate ? "%" : "", 0);
			figure_key(key, sizeof key, "compare", &c->cells, s, metric, arm,
			           "mean_control");
			figure_cell(out, key, row->mean_control, shown);
			with_interval(shown, sizeof shown, row->mean_arm, row->arm_low,
			              row->arm_high, scale, row->rate ? "%" : "", 0);
			figure_key(key, sizeof key, "compare", &c->cells, s, metric, arm,
			           "mean_arm");
			figure_cell(out, key, row->mean_arm, shown);
			with_interval(shown, sizeof shown, row->diff, row->diff_low,
			              row->diff_high, scale, row->rate ? " pt" : "", 1);
			figure_key(key, sizeof key, "compare", &c->cells, s, metric, arm,
			           "diff");
			figure_cell(out, key, row->diff, shown);
			with_interval(shown, sizeof shown, row->lift, row->lift_low,
			              row->lift_high, 100, "%", 1);
			figure_key(key, sizeof key, "compare", &c->cells, s, metric, arm,
			           "lift");
			figure_cell(out, key, row->lift, shown);
			if (isnan(row->p_adjusted))
				snprintf(shown, sizeof shown, "-");
			else if (row->p_adjusted < 0.0001)
				snprintf(shown, sizeof shown, "<0.0001");
			else
				snprintf(shown, sizeof shown, "%.4f", row->p_adjusted);
			figure_key(key, sizeof key, "compare", &c->cells, s, metric, arm,
			           "p_adjusted");
			figure_cell(out, key, row->p_adjusted, shown);
			fixed(shown, sizeof shown, 100 * row->chance_to_beat, 1, 0);
			if (shown[0] != '-')
				strcat(shown, "%");
			figure_key(key, sizeof key, "compare", &c->cells, s, metric, arm,
			           "chance_to_beat");
			figure_cell(out, key, row->chance_to_beat, shown);
			fputs("<td>", out);
			chip(out, compare_kind(row->verdict),
			     tact_compare_verdict_name(row->verdict));
			fputs("</td></tr>\n", out);
		}
		fputs("</table>\n", out);
	}
	fprintf(out, "<p class=\"note\">Rates in %%, differences in percentage "
	             "points (pt).  p (adj.): adjusted by %s within its family (the "
	             "all-units rows one family, the segment rows another); a verdict "
	             "needs it under %g, and each difference's interval is at the "
	             "level that test used, so it excludes 0 exactly when the "
	             "verdict is better or worse (rates' intervals at %g%%).  "
	             "Chance to beat: the posterior probability that the arm is "
	             "better than the control (lower is better for annoyance).</p>"
	             "</section>\n",
	        c->correction == TACT_CORRECTION_HOLM ? "Holm"
	        : c->correction == TACT_CORRECTION_BH ? "Benjamini-Hochberg"
	                                              : "nothing",
	        1 - c->confidence, 100 * c->confidence);
}

/* ---- trade-off ------------------------------------------------------------ */

/* "Net value per unit = 40 × converted − 0.5 × bounced ...". */
/* --time: the pooled row of a step (its period's own comparison, or the
 * cumulative one) for metric and arm (by name: a period may lack an arm),
 * or NULL. */
static const tact_compare_row *period_row(const tact_period_step *step,
                                          int cumulative, size_t metric,
                                          const char *arm)
{
	const tact_compare_result *r = cumulative ? &step->cumulative
	                                          : &step->period;
	size_t k;

	if (!(cumulative ? step->has_cumulative : step->has_period))
		return NULL;
	for (k = 0; k < r->row_count; k++)
		if (r->segments[r->rows[k].segment].pooled &&
		    r->rows[k].metric == metric &&
		    strcmp(r->arms[r->rows[k].arm], arm) == 0)
			return &r->rows[k];
	return NULL;
}

/* One figure of the effect over time: its key names the period, scope,
 * metric and arm, for the browser test (tests/report/period-check.sh). */
static void period_cell(FILE *out, const tact_period_step *step,
                        int cumulative, const char *metric, const char *arm,
                        const tact_compare_row *row, int interval)
{
	const double scale = row && row->rate ? 100 : 1;
	char key[1024], shown[256];

	if (!row || row->verdict == TACT_VERDICT_SUPPRESSED) {
		fputs("<td class=\"n\">-</td>", out);
		return;
	}
	snprintf(key, sizeof key, "periods|%s|%s|%s|%s|diff", step->label,
	         cumulative ? "cumulative" : "period", metric, arm);
	signed_interval(shown, sizeof shown, row->diff,
	                interval ? row->diff_low : NAN,
	                interval ? row->diff_high : NAN, scale,
	                row->rate ? " pt" : "");
	figure_cell(out, key, row->diff, shown);
}

/* --time: the cumulative chart, and per metric and arm the first and the
 * last period's own difference and the cumulative one at the end. */
static void periods(FILE *out, const tact_report_data *d)
{
	const tact_period_comparison *p = &d->periods;
	const tact_compare_result *c = &d->compare;
	const tact_period_step *first, *last;
	size_t m, a;

	if (!d->have_periods || p->count == 0)
		return;
	first = &p->steps[0];
	last = &p->steps[p->count - 1];
	fprintf(out, "<section id=\"periods\"><h2>The effect over time</h2>\n"
	             "<p>Is the effect stable, or a novelty that fades?  Each %s's "
	             "own difference (the units whose first row fell in it) and the "
	             "cumulative difference of every unit up to it, every segment "
	             "pooled, from %s to %s.  The cumulative line is for watching: "
	             "each step is adjusted within its own families, and the "
	             "verdicts above are made on every unit at the end.  %s</p>\n",
	        tact_period_kind_name(d->summary.periods->kind), first->label,
	        last->label,
	        d->options->compare->sequential
	                ? "The bands are always-valid (--sequential): they may be "
	                  "looked at after every period without inflating false "
	                  "alarms."
	                : "The bands are fixed-horizon intervals: looked at after "
	                  "every period, they exclude 0 by chance far "
	                  "more often than 5% of the time (--sequential makes them "
	                  "always-valid).");
	chart(out, d, TACT_PLOT_CUMULATIVE,
	      "The cumulative difference by period with its interval, and each "
	      "period's own difference");
	fputs("<table><tr><th>metric</th><th>arm</th><th>first period</th>"
	      "<th>last period</th><th>cumulative, at the end</th></tr>\n", out);
	for (m = 0; m < d->summary.metric_count; m++)
		for (a = 1; a < c->arm_count; a++) {
			const tact_compare_row *end = period_row(last, 1, m, c->arms[a]);
			const char *metric = d->summary.metrics[m].name;
			if (!end)
				continue;
			fputs("<tr><td>", out);
			text(out, metric);
			fputs("</td><td>", out);
			text(out, c->arms[a]);
			fputs("</td>", out);
			period_cell(out, first, 0, metric, c->arms[a],
			            period_row(first, 0, m, c->arms[a]), 0);
			period_cell(out, last, 0, metric, c->arms[a],
			            period_row(last, 0, m, c->arms[a]), 0);
			period_cell(out, last, 1, metric, c->arms[a], end, 1);
			fputs("</tr>\n", out);
		}
	fputs("</table></section>\n", out);
}

static void net_value_formula(FILE *out, const tact_report_data *d)
{
	const tact_frontier *f = &d->frontier;
	const tact_summary *summary = &d->summary;
	size_t i, k;

	fputs("<p>Net value per unit = ", out);
	for (k = 0, i = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0) {
			double w = f->weights[k];
			if (i++)
				fprintf(out, " %s %g &times; ", w < 0 ? "&minus;" : "+", fabs(w));
			else
				fprintf(out, "%s%g &times; ", w < 0 ? "&minus;" : "", fabs(w));
			text(out, summary->metrics[k].name);
		}
	fputs(".  The interval uses the covariance between outcomes (a visitor "
	      "who bounced rarely converts).</p>\n", out);
}

/* One segment and arm's net value: control, arm, difference, gain, cost
 * and verdict. */
static void frontier_row_html(FILE *out, const tact_frontier *f,
                              const tact_frontier_row *row)
{
	const char *arm = f->cells.arms[row->arm];
	char name[512], key[1024], shown[256];

	segment_label(&f->cells, row->segment, name, sizeof name);
	fputs("<tr", out);
	row_keys(out, "frontier", &f->cells, row->segment, NULL, arm);
	row_interval(out, 1, row->diff_low, row->diff_high);
	fputs("><td>", out);
	text(out, name);
	fputs("</td><td>", out);
	text(out, arm);
	fputs("</td>", out);
	if (row->verdict == TACT_FRONTIER_SUPPRESSED) {
		fputs("<td colspan=\"5\" class=\"note\">too few units: suppressed"
		      "</td><td>", out);
		chip(out, "hidden", "suppressed");
		fputs("</td></tr>\n", out);
		return;
	}
	fixed(shown, sizeof shown, row->mean_control, 3, 0);
	figure_key(key, sizeof key, "frontier", &f->cells, row->segment,
	           "net value", arm, "mean_control");
	figure_cell(out, key, row->mean_control, shown);
	fixed(shown, sizeof shown, row->mean_arm, 3, 0);
	figure_key(key, sizeof key, "frontier", &f->cells, row->segment,
	           "net value", arm, "mean_arm");
	figure_cell(out, key, row->mean_arm, shown);
	with_interval(shown, sizeof shown, row->diff, row->diff_low,
	              row->diff_high, 1, "", 1);
	figure_key(key, sizeof key, "frontier", &f->cells, row->segment,
	           "net value", arm, "diff");
	figure_cell(out, key, row->diff, shown);
	with_interval(shown, sizeof shown, row->gain, row->gain_low,
	              row->gain_high, 1, "", 1);
	figure_cell(out, NULL, row->gain, shown);
	with_interval(shown, sizeof shown, row->cost, row->cost_low,
	              row->cost_high, 1, "", 1);
	figure_cell(out, NULL, row->cost, shown);
	fputs("<td>", out);
	chip(out, frontier_kind(row->verdict),
	     tact_frontier_verdict_name(row->verdict));
	fputs("</td></tr>\n", out);
}

/* Whether the effects differ across segments, or change sign. */
static void heterogeneity_table(FILE *out, const tact_report_data *d)
{
	const tact_frontier *f = &d->frontier;
	size_t i;

	fputs("<h3>Across segments</h3>\n<table><tr><th>arm</th><th>"
	      "metric</th><th>Cochran's Q</th><th>I&sup2;</th><th>p (differs)</th>"
	      "<th>p (changes sign, Gail-Simon)</th></tr>\n", out);
	for (i = 0; i < f->test_count; i++) {
		const tact_frontier_test *t = &f->tests[i];
		char q[32], i2[32], p1[32], p2[32];
		snprintf(q, sizeof q, "%.2f", t->result.q);
		snprintf(i2, sizeof i2, "%.0f%%", 100 * t->result.i_squared);
		tact_format_p_text(p1, sizeof p1, t->result.q_p_value);
		tact_format_p_text(p2, sizeof p2, t->result.gail_simon_p_value);
		fputs("<tr><td>", out);
		text(out, f->cells.arms[t->arm]);
		fputs("</td><td>", out);
		text(out, t->metric == TACT_NO_COLUMN ? "net value"
		                                      : d->summary.metrics[t->metric].name);
		fprintf(out, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		             "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		        q, i2, p1, p2);
	}
	fputs("</table>\n", out);
	if (f->test_notes && f->test_notes[0]) {
		fputs("<p class=\"note\">", out);
		text(out, f->test_notes);
		fputs("</p>\n", out);
	}
}

static void policy_table(FILE *out, const tact_frontier *f)
{
	size_t i;

	fputs("<h3>Policy value per 1,000 units</h3>\n<table><tr><th>arm</th><th>"
	      "policy</th><th>value</th><th>gain over no one</th><th>segments "
	      "personalized</th></tr>\n", out);
	for (i = 0; i < f->policy_count; i++) {
		const tact_frontier_policy *p = &f->policies[i];
		char v[256], g[256];
		with_interval(v, sizeof v, p->value, p->low, p->high, 1, "", 0);
		with_interval(g, sizeof g, p->gain, p->gain_low, p->gain_high, 1, "", 1);
		fputs("<tr><td>", out);
		text(out, f->cells.arms[p->arm]);
		fputs("</td><td>", out);
		text(out, tact_frontier_policy_name(p->kind));
		fprintf(out, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		             "<td class=\"n\">%zu</td></tr>\n",
		        v, g, p->segments_personalized);
	}
	fputs("</table>\n<p class=\"note\">Targeting picks segments on the same data "
	      "it is valued on: confirm it on fresh data.</p>\n", out);
}

/* Per segment and arm, each weighted metric's break-even weight. */
static void breakeven_table(FILE *out, const tact_report_data *d)
{
	const tact_frontier *f = &d->frontier;
	const tact_summary *summary = &d->summary;
	size_t r, k;

	fputs("<h3>Break-even weights</h3>\n<p>The value of one event at which the "
	      "difference would be zero, the other weights unchanged (in brackets: "
	      "where the verdict changes).</p>\n<table><tr><th>segment</th><th>arm"
	      "</th>", out);
	for (k = 0; k < summary->metric_count; k++)
		if (f->weights[k] != 0) {
			fputs("<th>", out);
			text(out, summary->metrics[k].name);
			fputs("</th>", out);
		}
	fputs("</tr>\n", out);
	for (r = 0; r < f->row_count; r++) {
		const tact_frontier_row *row = &f->rows[r];
		char name[512];
		if (row->verdict == TACT_FRONTIER_SUPPRESSED)
			continue;
		segment_label(&f->cells, row->segment, name, sizeof name);
		fputs("<tr><td>", out);
		text(out, name);
		fputs("</td><td>", out);
		text(out, f->cells.arms[row->arm]);
		fputs("</td>", out);
		for (k = 0; k < summary->metric_count; k++) {
			char b[64], fl[64], both[160];
			if (f->weights[k] == 0)
				continue;
			fixed(b, sizeof b, row->breakeven[k], 2, 0);
			fixed(fl, sizeof fl, row->flip[k], 2, 0);
			snprintf(both, sizeof both, "%s [%s]", b, fl);
			figure_cell(out, NULL, row->breakeven[k], both);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>", out);
}

static void tradeoff(FILE *out, const tact_report_data *d)
{
	const tact_frontier *f = &d->frontier;
	int cost = tact_report_weighs_cost(d);
	size_t r;

	fputs("<section id=\"tradeoff\"><h2>Trade-off: does personalization pay?"
	      "</h2>\n", out);
	if (!d->have_frontier) {
		fputs("<p class=\"note\">Give <code>--weights</code> (the value of one "
		      "conversion and the cost of one bounce or unsubscription) to weigh "
		      "gains against annoyance.</p></section>\n", out);
		return;
	}
	net_value_formula(out, d);
	if (cost)
		chart(out, d, TACT_PLOT_FRONTIER,
		      "Each segment's change in conversion value (up) against its "
		      "change in annoyance cost (right), with intervals; above the "
		      "diagonal, personalization pays");
	else
		fputs("<p class=\"note\">No metric weighs as a cost (no annoyance "
		      "metric has a negative weight in <code>--weights</code>), so "
		      "every cost is 0 and the net value is the gain alone: the chart "
		      "of gain against cost and the break-even weights are left out."
		      "</p>\n", out);
	fputs("<table><tr><th>segment</th><th>arm</th><th>control</th><th>arm</th>"
	      "<th>difference</th><th>gain</th><th>cost</th><th>verdict</th></tr>\n",
	      out);
	for (r = 0; r < f->row_count; r++)
		frontier_row_html(out, f, &f->rows[r]);
	fputs("</table>\n", out);
	heterogeneity_table(out, d);
	policy_table(out, f);
	if (cost)
		breakeven_table(out, d);
	fputs("</section>\n", out);
}

/* ---- whom to personalize for ------------------------------------------ */

/* A figure of target.csv, exact in data-value for the browser check: a
 * <data> element keyed "target|POLICY|COLUMN" as the CSV names them. */
static void target_figure(FILE *out, const char *policy, const char *column,
                          double value, double scale, int decimals, int sign)
{
	char exact[TACT_FORMAT_NUMBER_MAX], shown[64], key[160];

	snprintf(key, sizeof key, "target|%s|%s", policy, column);
	fixed(shown, sizeof shown, value * scale, decimals, sign);
	fputs("<data data-figure=\"", out);
	tact_html_attribute(out, key);
	fprintf(out, "\" data-value=\"%s\" value=\"%s\">",
	        tact_format_number(exact, value), tact_format_number(exact, value));
	text(out, shown);
	fputs("</data>", out);
}

/* A cell "value [low, high]" of columns name, low and high. */
static void target_cell(FILE *out, const char *policy, const char *name,
                        const char *low, const char *high,
                        tact_target_estimate e, int sign)
{
	int decimals = decimals_for(e.value, e.low, e.high, 1);

	fputs("<td class=\"n\">", out);
	target_figure(out, policy, name, e.value, 1, decimals, sign);
	fputs("<span class=\"ci\">[", out);
	target_figure(out, policy, low, e.low, 1, decimals, sign);
	fputs(", ", out);
	target_figure(out, policy, high, e.high, 1, decimals, sign);
	fputs("]</span></td>", out);
}

/* A row of the policies' table, as target.csv's row of the same name. */
static void target_row(FILE *out, const char *policy, const char *label,
                       double share, tact_target_estimate value,
                       tact_target_estimate vs_all)
{
	fputs("<tr><td>", out);
	text(out, label);
	fputs("</td><td class=\"n\">", out);
	target_figure(out, policy, "share_personalized", share, 100, 1, 0);
	fputs("%</td>", out);
	target_cell(out, policy, "value_per_1000", "low", "high", value, 1);
	target_cell(out, policy, "vs_everyone_per_1000", "vs_everyone_low",
	            "vs_everyone_high", vs_all, 1);
	fputs("</tr>\n", out);
}

/* "+4.2 [+1.0, +7.4] per 1,000 units" */
static void target_interval(char *out, size_t size, tact_target_estimate e)
{
	signed_interval(out, size, e.value, e.low, e.high, 1, "");
}

/* One comparison of the learned policy (against everyone or no one) in
 * words, said by its interval: better, worse, or no better when the
 * interval of the difference holds 0.  tail follows the figure. */
static void target_claim(FILE *out, tact_target_estimate e,
                         const char *against, const char *claim,
                         const char *lead, const char *tail)
{
	char v[256], words[96];
	const char *kind = e.low > 0 ? "good" : e.high < 0 ? "bad" : "neutral";

	snprintf(words, sizeof words, "%s than personalizing %s",
	         kind[0] == 'g' ? "better" : kind[0] == 'b' ? "worse"
	                                                    : "no better",
	         against);
	target_interval(v, sizeof v, e);
	fprintf(out, "<li class=\"%s\" data-claim=\"%s\">", kind, claim);
	chip(out, kind, words);
	fprintf(out, " %s: ", lead);
	text(out, v);
	fprintf(out, " per 1,000 units%s%s</li>\n",
	        kind[0] == 'n' ? " (the interval holds 0)" : "", tail);
}

/* The honest reading: one sentence per comparison, said by its interval. */
static void target_reading(FILE *out, const tact_report_data *d)
{
	const tact_target_evaluation *e = &d->target_evaluation;
	char share[96];

	snprintf(share, sizeof share, "; it personalizes %.1f%% of units.",
	         100 * e->share);
	fputs("<ul class=\"headline\" id=\"target-reading\">\n", out);
	target_claim(out, e->learned_vs_all, "everyone", "vs-everyone",
	             "The learned policy, out of fold, against personalizing "
	             "everyone", "");
	target_claim(out, e->learned, "no one", "vs-no-one",
	             "Against personalizing no one", share);
	fputs("</ul>\n", out);
}

/* The rules in words: per leaf, its conditions, decision and share. */
static void target_rules_words(FILE *out, const tact_report_data *d)
{
	const tact_target_tree *tree = &d->target_tree;
	size_t n;

	fputs("<table id=\"target-rules\"><tr><th>visitors</th><th>share of "
	      "units</th><th>decision</th></tr>\n", out);
	for (n = 0; n < TACT_TARGET_NODES; n++) {
		const tact_target_node *node = &tree->nodes[n];
		char *path = NULL;
		size_t length = 0;
		FILE *memory;
		tact_error error;
		if (!node->used || !node->leaf)
			continue;
		tact_error_init(&error);
		memory = open_memstream(&path, &length);
		if (memory) {
			if (tact_target_write_path(&d->target, tree, n, memory, &error))
				fputs("?", memory);
			fclose(memory);
		}
		fputs("<tr><td><code>", out);
		text(out, path && *path ? path : "everyone");
		free(path);
		fprintf(out, "</code></td><td class=\"n\">%.1f%%</td><td>",
		        d->target.units ? 100.0 * (double)(node->treated +
		                                           node->control) /
		                              (double)d->target.units
		                        : 0.0);
		chip(out, node->personalize ? "good" : "bad",
		     node->personalize ? "personalize" : "hold back");
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void targeting(FILE *out, const tact_report_data *d)
{
	const tact_target_data *t = &d->target;
	const tact_target_options *o = d->options->target;
	const tact_target_evaluation *e = &d->target_evaluation;
	tact_target_estimate zero = {0, 0, 0, 0};
	tact_target_estimate none = {-e->everyone.value, -e->everyone.high,
	                             -e->everyone.low, e->everyone.se};
	char n[32];
	size_t f;

	if (!o)
		return;
	fputs("<section id=\"target\"><h2>Whom to personalize for</h2>\n", out);
	if (!d->have_target) {
		fputs("<p class=\"note\">No policy: ", out);
		text(out, d->target_note ? d->target_note : "not learned");
		fputs(".</p></section>\n", out);
		return;
	}
	fputs("<p>A policy learned by <code>tact-target</code>: personalize with "
	      "<b>", out);
	text(out, t->treatment);
	fputs("</b> or hold back (<b>", out);
	text(out, t->control);
	fprintf(out, "</b>), from what is known before exposure (");
	for (f = 0; f < t->feature_count; f++) {
		fputs(f ? ", " : "", out);
		text(out, t->features[f].name);
	}
	fprintf(out, "), maximizing the net value per unit (");
	for (f = 0; f < o->metric_count; f++) {
		char w[TACT_FORMAT_NUMBER_MAX];
		fputs(f ? ", " : "", out);
		text(out, o->metrics[f]);
		fprintf(out, " &times; %s", tact_format_number(w, o->weights[f]));
	}
	fprintf(out, "), on %s units; a tree of depth %zu at most, every leaf "
	        "holding at least %lld units of each arm.</p>\n",
	        tact_format_thousands(n, sizeof n, (int64_t)t->units), o->depth,
	        (long long)o->min_cell);
	target_reading(out, d);
	target_rules_words(out, d);
	chart(out, d, TACT_PLOT_TREE, "The policy learned from every unit: its "
	      "questions, and each leaf's decision and share of the units");
	fputs("<h3>Policy value per 1,000 units, out of fold</h3>\n<table "
	      "id=\"target-values\"><tr><th>policy</th><th>share personalized</th>"
	      "<th>net value over no one</th><th>over everyone</th></tr>\n", out);
	target_row(out, "learned (out of fold)", "learned policy (out of fold)",
	           e->share, e->learned, e->learned_vs_all);
	if (t->segment_count)
		target_row(out, "segments that gain (out of fold)",
		           "segments that gain (out of fold)", e->segments_share,
		           e->segments, e->segments_vs_all);
	target_row(out, "everyone", "everyone", 1, e->everyone, zero);
	target_row(out, "no one", "no one", 0, zero, none);
	fprintf(out, "</table>\n<p class=\"note\">Out of fold: the units are cut "
	        "into %zu folds (seed %llu); a policy learned on the other folds "
	        "decides for each fold, and the values are doubly robust (AIPW) "
	        "means with %g%% normal intervals, as <code>tact-target eval</code> "
	        "computes them.  Apply the policy with <code>tact-intent apply "
	        "--rules <a href=\"target.rules\">target.rules</a> --label policy"
	        "</code>; the figures: <a href=\"target.csv\">target.csv</a>, the "
	        "tree: <a href=\"target-tree.csv\">target-tree.csv</a>.</p>\n"
	        "</section>\n", o->folds, (unsigned long long)o->seed,
	        100 * o->confidence);
}

/* ---- exposure frequency ---------------------------------------------------- */

static void exposure(FILE *out, const tact_report_data *d)
{
	const tact_dose_result *r = &d->dose;
	size_t i, k;

	fputs("<section id=\"dose\"><h2>Exposure frequency</h2>\n", out);
	if (!d->have_dose) {
		fputs("<p class=\"note\">No exposure section: ", out);
		text(out, d->dose_note ? d->dose_note : "no exposure column");
		fputs(".</p></section>\n", out);
		return;
	}
	fprintf(out, "<p>Outcomes against the number of exposures in the treated "
	             "arms (%s curves on log(1 + exposures) where the transform is "
	             "the default).  Within an arm, exposure is not randomized: "
	             "visitors who see more ads may differ, so read the curve as "
	             "causal only where exposure is as good as random.</p>\n",
	        tact_dose_transform_name(r->transform));
	chart(out, d, TACT_PLOT_DOSE,
	      "Observed rate per exposure bin with its interval, the fitted curve, "
	      "and the frequency cap");
	if (r->cap_count == 0) {
		fputs("<p class=\"note\">Give --weights for the net value curve and "
		      "the frequency cap.</p></section>\n", out);
		return;
	}
	fputs("<h3>Frequency cap</h3>\n<table><tr><th>segment</th><th>cap</th>"
	      "<th>interval</th><th>net value gain at the cap</th><th>note</th>"
	      "</tr>\n", out);
	for (i = 0; i < r->cap_count; i++) {
		const tact_dose_cap *cap = &r->caps[i];
		const tact_dose_segment *seg = &r->segments[cap->segment];
		char name[512], c[32], interval[64], gain[256];
		size_t used = 0;

		name[0] = '\0';
		for (k = 0; k < r->dimensions; k++) {
			int n = snprintf(name + used, sizeof name - used, "%s%s",
			                 k ? " / " : "", seg->labels[k]);
			if (n > 0 && (size_t)n < sizeof name - used)
				used += (size_t)n;
		}
		if (seg->pooled || r->dimensions == 0)
			snprintf(name, sizeof name, "all units");
		if (cap->cap < 0)
			snprintf(c, sizeof c, "-");
		else
			snprintf(c, sizeof c, "%lld%s", (long long)cap->cap,
			         cap->at_max ? "+" : "");
		if (cap->cap_low < 0)
			snprintf(interval, sizeof interval, "-");
		else
			snprintf(interval, sizeof interval, "%lld to %lld",
			         (long long)cap->cap_low, (long long)cap->cap_high);
		with_interval(gain, sizeof gain, cap->gain, cap->gain_low,
		              cap->gain_high, 1, "", 1);
		fputs("<tr><td>", out);
		text(out, name);
		fputs("</td>", out);
		figure_cell(out, NULL, (double)cap->cap, c);
		figure_cell(out, NULL, NAN, interval);
		figure_cell(out, NULL, cap->gain, gain);
		fputs("<td class=\"note\">", out);
		text(out, cap->note);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<p class=\"note\">The cap is the exposure count that "
	      "maximizes the fitted net value; its interval comes from a "
	      "parametric bootstrap.  The gain at the cap is optimistic: the cap "
	      "was chosen on the same data.</p></section>\n", out);
}

/* ---- power ----------------------------------------------------------------- */

/* "5%" or "0.5 pt" or "0.12": an effect as the row's metric reads it. */
static void effect_text(char *out, size_t size, double relative,
                        double absolute, int rate)
{
	char v[48];

	if (!isnan(relative)) {
		tact_format_fixed(v, sizeof v, 100 * relative,
		                  100 * relative < 10 ? 1 : 0);
		snprintf(out, size, "%s%%", v);
	} else if (!isnan(absolute)) {
		tact_format_fixed(v, sizeof v, rate ? 100 * absolute : absolute, 2);
		snprintf(out, size, "%s%s", v, rate ? " pt" : "");
	} else {
		snprintf(out, size, "-");
	}
}

static void power(FILE *out, const tact_report_data *d)
{
	const tact_powerplan *p = &d->power;
	size_t r;

	fprintf(out, "<section id=\"power\"><h2>Power: what each segment could "
	             "detect</h2>\n<p>The smallest change each segment could detect "
	             "with %g%% power at its current size (two-sided, at %g%% "
	             "confidence, before any multiple-comparison adjustment), and "
	             "whether it has the units to detect the change that matters: ",
	        100 * p->options.power, 100 * p->options.confidence);
	if (p->default_target && p->default_metric != TACT_NO_COLUMN) {
		fprintf(out, "by default a relative %g%% change of <b>",
		        100 * TACT_POWERPLAN_DEFAULT_MDE);
		text(out, d->summary.metrics[p->default_metric].name);
		fputs("</b>, the first goal metric (give <code>--mde</code> to state "
		      "the effect that matters to you).", out);
	} else if (p->default_target) {
		fputs("none here (no goal metric for the default; give "
		      "<code>--mde</code>).", out);
	} else {
		fputs("the <code>--mde</code> given.", out);
	}
	fputs("  Power is judged against that stated effect, never against the "
	      "change observed: a verdict of better or worse stands whatever the "
	      "power; an inconclusive segment that has the units for the target "
	      "makes a change that large unlikely, one that lacks them says "
	      "little.</p>\n", out);
	chart(out, d, TACT_PLOT_POWER,
	      "Detectable relative change against units per arm, each segment's "
	      "current size marked");
	fputs("<table><tr><th>segment</th><th>metric</th><th>arm</th><th>units "
	      "(control / arm)</th><th>could detect</th><th>target</th><th>units "
	      "needed (control / arm)</th><th>for the target</th></tr>\n", out);
	for (r = 0; r < p->row_count; r++) {
		const tact_powerplan_row *row = &p->rows[r];
		char name[512], units[64], mde[64], target[64], needed[80], label[128];

		segment_label(&p->cells, row->segment, name, sizeof name);
		fputs("<tr><td>", out);
		text(out, name);
		fputs("</td><td>", out);
		text(out, d->summary.metrics[row->metric].name);
		fputs("</td><td>", out);
		text(out, p->cells.arms[row->arm]);
		fputs("</td>", out);
		if (row->suppressed) {
			fprintf(out, "<td colspan=\"4\" class=\"note\">fewer than %lld "
			             "units: suppressed</td><td>",
			        (long long)p->options.min_cell);
			chip(out, "hidden", "suppressed");
			fputs("</td></tr>\n", out);
			continue;
		}
		{
			char c1[32], c2[32];
			snprintf(units, sizeof units, "%s / %s",
			         tact_format_thousands(c1, sizeof c1, row->n_control),
			         tact_format_thousands(c2, sizeof c2, row->n_arm));
		}
		effect_text(mde, sizeof mde, row->mde_relative, row->mde_absolute,
		            row->rate);
		figure_cell(out, NULL, NAN, units);
		figure_cell(out, NULL, row->mde_relative, mde);
		if (!row->targeted) {
			fputs("<td class=\"n\">-</td><td class=\"n\">-</td><td>", out);
			chip(out, "neutral", "no target");
			fputs("</td></tr>\n", out);
			continue;
		}
		effect_text(target, sizeof target, row->target_relative,
		            row->target_absolute, row->rate);
		if (isnan(row->needed_control))
			snprintf(needed, sizeof needed, "-");
		else {
			char c1[32], c2[32];
			snprintf(needed, sizeof needed, "%s / %s",
			         tact_format_thousands(c1, sizeof c1, (int64_t)row->needed_control),
			         tact_format_thousands(c2, sizeof c2, (int64_t)row->needed_arm));
		}
		figure_cell(out, NULL, row->target_relative, target);
		figure_cell(out, NULL, NAN, needed);
		fputs("<td>", out);
		if (row->enough > 0) {
			snprintf(label, sizeof label, "enough for %s", target);
			chip(out, "neutral", label);
		} else if (row->enough == 0) {
			snprintf(label, sizeof label, "too few for %s", target);
			chip(out, "hidden", label);
		} else {
			chip(out, "neutral", "cannot be sized");
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<p class=\"note\">Could detect: the minimum detectable "
	      "effect at the observed sizes, relative to the control (for a rate, "
	      "an increase).  Cannot be sized: the target is a relative change of "
	      "a control at 0, or moves a rate beyond 0 or 1.</p></section>\n", out);
}

/* ---- methods and command ------------------------------------------------------ */

/* The methods that --sequential and --stratify add (issue 17). */
static void methods_options(FILE *out, const tact_report_data *d)
{
	const tact_compare_options *o = d->options->compare;
	char tuning[TACT_FORMAT_NUMBER_MAX];

	if (o->sequential) {
		fputs("<li>", out);
		text(out, "Always-valid inference (--sequential): every p-value and "
		     "interval of the comparisons and the trade-off is the "
		     "asymptotic confidence sequence of Waudby-Smith et al. (2023, "
		     "arXiv:2103.06476, as GrowthBook computes it), valid however "
		     "often the results are looked at; tuning parameter ");
		text(out, tact_format_significant(tuning, sizeof tuning, o->tuning, 6));
		text(out, " units.  Multiple-testing levels enter its log term only, "
		     "so each interval still agrees with its verdict.");
		fputs("</li>\n", out);
	}
	if (o->stratify) {
		fputs("<li>", out);
		text(out, "Post-stratification (--stratify): each pooled difference "
		     "is the average of the segments' differences weighted by their "
		     "share of the units (Miratrix, Sekhon and Yu 2013, JRSS B "
		     "75:369-396), its variance the sum of the squared weights times "
		     "the segments' variances, tested with the normal law; the "
		     "pooled means shown stay the raw ones.");
		fputs("</li>\n", out);
	}
}

/* CUPED (--covariate): which metric each covariate adjusts, and how (the
 * test it feeds is the always-valid one under --sequential). */
static void cuped_method(FILE *out, const tact_summary *summary,
                         const tact_compare_options *o)
{
	size_t m;
	int first = 1;

	if (!tact_summary_has_covariates(summary))
		return;
	fputs("<li>", out);
	text(out, "Covariate adjustment (CUPED, Deng, Xu, Kohavi and Walker "
	     "2013, WSDM; --covariate): ");
	for (m = 0; m < summary->metric_count; m++) {
		if (summary->covariate_of[m] == TACT_NO_COLUMN)
			continue;
		text(out, first ? "" : ", ");
		text(out, summary->metrics[m].name);
		text(out, " by the pre-experiment column ");
		text(out, summary->metrics[summary->covariate_of[m]].name);
		first = 0;
	}
	text(out, ".  Per segment and arm pair, theta = cov(x, y) / var(x) over "
	     "the units of both arms; each unit's value becomes y - theta (x - "
	     "mean of x over both arms), and the difference, its interval, the "
	     "test (");
	text(out, o->sequential ? "the always-valid one, on the adjusted "
	                          "estimate and standard error"
	                        : "Welch's, for rates too");
	text(out, "), the lift (relative to the adjusted "
	     "control mean, Fieller's interval) and the net value use the "
	     "adjusted values; the control and arm values shown stay raw.  A "
	     "missing covariate counts as 0.  variance_reduction in the CSV "
	     "tables: 1 - the adjusted over the raw variance of the difference.");
	if (o->stratify)
		text(out, "  Under --stratify each segment is adjusted by its own "
		     "theta before the pooled rows average the segments.");
	fputs("</li>\n", out);
}

static void methods(FILE *out, const tact_report_data *d)
{
	static const char *const items[] = {
		"Rates: Wilson score intervals (Wilson 1927, JASA 22:209-212).",
		"Difference of rates: the score interval that inverts the pooled "
		"z-test (Farrington and Manning 1990, Statistics in Medicine "
		"9:1447-1454); Fisher's exact rows scale its critical value so that "
		"it excludes 0 exactly when Fisher's test rejects.",
		"Relative lift of rates: risk ratio minus one, score interval of the "
		"ratio (Koopman 1984, Biometrics 40:513-517), which inverts the same "
		"test.",
		"Tests of rates: pooled two-proportion z-test; Fisher's exact test "
		"when an expected cell count is under 5.",
		"Means: Student's t intervals; Welch's test and interval for the "
		"difference (Welch 1947, Biometrika 34:28-35); lift relative to the "
		"absolute control mean, Fieller's interval (Fieller 1954, JRSS B "
		"16:175-185) with Welch's t, blank when the control mean cannot be "
		"told from 0.",
		"Multiple comparisons, two families: the pooled (all units) rows are "
		"the primary family, adjusted over metrics x arms, so the overall "
		"answer is the same whatever segments are asked for; the segment rows "
		"are a second family, adjusted among themselves.  Holm (1979, "
		"Scandinavian Journal of Statistics 6:65-70) or Benjamini and "
		"Hochberg (1995, JRSS B 57:289-300) within each family "
		"(--correction); the tables show the adjusted p-value.",
		"One rule for verdict and interval: each interval printed beside a "
		"verdict is at the level the adjusted test used for that row, so it "
		"excludes 0 exactly when the verdict is not inconclusive.  The same "
		"holds for the net value's verdicts (adjusted over segments and arms) "
		"and for What to do, which only repeats the tables' verdicts.",
		"Caps (--cap METRIC=VALUE or --cap METRIC=pQ): each unit's value of "
		"a heavy-tailed metric, after its sessions are folded, is capped from "
		"above (winsorized) before any figure is computed, so that one "
		"extreme unit cannot decide a small segment; pQ is the Q-th "
		"percentile (NumPy's linear quantile) over the consenting units of "
		"every arm.  The tables say which cap was applied and how many units "
		"it touched.",
		"Chance to beat and expected loss: Beta(1,1) priors for rates, normal "
		"approximation for means, computed by numerical integration.",
		"Sample ratio: chi-square goodness of fit to the planned split, "
		"flagged under p = 0.001 (Fabijan et al. 2019, KDD).",
		"Net value: weighted sum of outcomes; its variance from the summary's "
		"co-moments; t interval with Welch-Satterthwaite degrees of freedom.",
		"Heterogeneity: Cochran's Q and I-squared (Higgins and Thompson 2002, "
		"Statistics in Medicine 21:1539-1558); qualitative interaction: Gail "
		"and Simon (1985, Biometrics 41:361-372).",
		"Exposure frequency: logistic regression (binomial, by exposure "
		"count) or least squares with HC1 errors; the cap's interval by a "
		"parametric bootstrap.",
		"Power: two-sided normal test with Cohen's h or d (Cohen 1988), as "
		"statsmodels' NormalIndPower; judged against the effect stated with "
		"--mde (default: a relative 5% on the first goal metric), never "
		"against the effect observed.",
		"Sessions are folded into units when a unit column is present: the "
		"analysis is per randomization unit.",
	};
	size_t i;

	fputs("<section id=\"methods\"><h2>Methods</h2>\n<ul>\n", out);
	for (i = 0; i < sizeof items / sizeof items[0]; i++) {
		fputs("<li>", out);
		text(out, items[i]);
		fputs("</li>\n", out);
	}
	methods_options(out, d);
	cuped_method(out, &d->summary, d->options->compare);
	fputs("</ul></section>\n", out);
}

static void command(FILE *out, const tact_report_data *d)
{
	char when[64];
	time_t now = time(NULL);
	struct tm utc;

	gmtime_r(&now, &utc);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &utc);
	fputs("<section id=\"command\"><h2>How this report was made</h2>\n<pre>", out);
	text(out, d->options->command ? d->options->command : "tact-report");
	fprintf(out, "</pre>\n<p class=\"note\">tact %s, %s.  Tables: <a href=\""
	             "compare.csv\">compare.csv</a>, <a href=\"power.csv\">"
	             "power.csv</a>%s%s%s; every figure above comes from them.</p>"
	             "</section>\n",
	        TACT_VERSION, when,
	        d->have_frontier ? ", <a href=\"frontier.csv\">frontier.csv</a>, "
	                           "<a href=\"frontier-tests.csv\">frontier-tests.csv"
	                           "</a>"
	                         : "",
	        d->have_dose ? ", <a href=\"dose-bins.csv\">dose-bins.csv</a>, "
	                       "<a href=\"dose-caps.csv\">dose-caps.csv</a>"
	                     : "",
	        d->have_target ? ", <a href=\"target.csv\">target.csv</a>, "
	                         "<a href=\"target-tree.csv\">target-tree.csv</a>"
	                       : "");
}

tact_status tact_report_write_html(const tact_report_data *d, FILE *out,
                                   tact_error *error)
{
	const tact_compare_result *c = &d->compare;
	int64_t units = 0;
	size_t g, a;

	for (g = 0; g < d->summary.group_count; g++)
		units += d->summary.groups[g].units;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1"
	      "\"><title>tact report: ", out);
	text(out, d->name);
	fprintf(out, "</title><style>%s</style></head><body>\n", style);
	fputs("<header><h1>Where personalization helps, and where it intrudes</h1>"
	      "<p class=\"sub\">", out);
	text(out, d->name);
	{
		char n[32];
		fprintf(out, ": %s units; ", tact_format_thousands(n, sizeof n, units));
	}
	/* "personalized compared with control" (the word "control" once when
	 * the control arm is called so: issue 18), else "... compared with
	 * No E-Mail (the control)". */
	for (a = 1; a < c->arm_count; a++) {
		fputs(a > 1 ? ", <b>" : "<b>", out);
		text(out, c->arms[a]);
		fputs("</b>", out);
	}
	fputs(" compared with <b>", out);
	text(out, c->arms[0]);
	fputs(strcasecmp(c->arms[0], "control") == 0 ? "</b>"
	                                             : "</b> (the control)", out);
	if (d->summary.dimensions) {
		fputs("; segments by ", out);
		for (g = 0; g < d->summary.dimensions; g++) {
			if (g)
				fputs(" &times; ", out);
			text(out, d->summary.dimension_names[g]);
		}
	}
	fputs(".</p></header>\n", out);
	headline(out, d);
	quality(out, d);
	sample_ratio(out, d);
	results(out, d);
	periods(out, d);
	tradeoff(out, d);
	targeting(out, d);
	exposure(out, d);
	power(out, d);
	methods(out, d);
	command(out, d);
	fputs("</body></html>\n", out);
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the page");
	return TACT_OK;
}
