/*
 * report.h - the whole analysis of one export into a folder a person opens
 * and shares: index.html (charts inline as SVG, nothing fetched from the
 * network; reads well in a browser and prints well), the CSV tables the
 * tools write, and PNG and SVG copies of the charts.
 *
 * What it runs: the summary (lib/load.h), every arm against control
 * (compare.h), per-segment power (powerplan.h), with weights the trade-off
 * (frontier.h), with an exposure column the dose-response (dose.h: a
 * second pass with the exposure count as a dimension), and the charts
 * (plot.h, through gnuplot).  With target options, whom to personalize
 * for (target.h: the policy learned from every unit, its tree charted,
 * and its out-of-fold value; a third pass over the export, which must be
 * a file read twice: else a note says so).
 *
 * Written atomically: everything goes into a temporary folder beside the
 * target, renamed into place only when complete, so a failed run leaves
 * no half-written report.  An existing target that a previous tact-report
 * wrote (it holds the marker file ".tact-report") is replaced; any other
 * existing path is refused (TACT_CANTCREAT), so no user file is deleted.
 *
 * Privacy: every figure on the page comes from the tools' outputs, which
 * suppress cells of fewer than min_cell units; the sample-ratio table does
 * the same with its unit counts; no raw row and no unit id is copied.
 */
#ifndef TACT_REPORT_H
#define TACT_REPORT_H

#include "compare.h"
#include "dose.h"
#include "frontier.h"
#include "load.h"
#include "period_compare.h"
#include "plot.h"
#include "powerplan.h"
#include "target.h"

/* The most arms a report draws: its charts grow with the arms (2,000 arms
 * made gnuplot's canvas too big after 14 s; 10,000 failed after 108 s).
 * More is refused (TACT_DATA) before any analysis: compare them with
 * tact-compare, which has no chart. */
#define TACT_REPORT_ARMS_MAX 100

typedef struct tact_report_options {
	const char *input;                 /* export or summary ("-": stdin) */
	const char *directory;             /* NULL: reports/<export name>/ */
	const tact_load_options *load;
	const tact_compare_options *compare;
	const tact_frontier_options *frontier; /* no weights: no trade-off */
	const tact_powerplan_options *power;
	const tact_dose_options *dose;     /* weights: those of frontier */
	const tact_target_options *target; /* NULL: no section "Whom to
	                                      personalize for" */
	/* Called once the policy's export is read (a tool warns about the
	 * labels the rules may print); NULL: none. */
	void (*target_loaded)(void *context, const tact_target_data *data);
	const char *command;               /* the command line, shown */
	const char *gnuplot;               /* NULL: $TACT_GNUPLOT or PATH */
	/* Called once the export is read, before the analyses (the library
	 * prints nothing: a tool warns about its labels); NULL: none. */
	void (*loaded)(void *context, const tact_summary *summary);
	void *loaded_context;
} tact_report_options;

/* Everything the page is made of (filled by tact_report_write, read by
 * the page writer in report_html.c). */
typedef struct tact_report_data {
	const tact_report_options *options;
	char *name;                        /* the export's name, for titles */
	tact_summary summary;
	tact_load_report load;
	tact_compare_result compare;
	int have_frontier;
	tact_frontier frontier;
	tact_powerplan power;
	int have_dose;
	tact_summary dose_summary;
	tact_dose_result dose;
	char *dose_note;                   /* why there is no dose section */
	int have_target;                   /* options->target and learned */
	tact_target_data target;
	tact_target_tree target_tree;      /* learned from every unit */
	tact_target_evaluation target_evaluation;
	char *target_note;                 /* why there is no policy */
	int have_periods;                  /* --time: the effect over time */
	tact_period_comparison periods;
	int charts[TACT_PLOT_KIND_COUNT];  /* drawn: <kind>.svg/.png exist */
	char *chart_svg[TACT_PLOT_KIND_COUNT]; /* the SVG text, for inlining */
} tact_report_data;

/*
 * Run the analysis and write the report.  On success *directory (malloc'ed,
 * the caller frees it) names the folder written.  Errors: those of loading
 * and the analyses; TACT_UNAVAILABLE (no gnuplot), TACT_SOFTWARE (gnuplot
 * failed); TACT_CANTCREAT (the folder cannot be made, or exists and is not
 * a tact report); TACT_IOERR.  Nothing is left behind on failure.
 */
tact_status tact_report_write(const tact_report_options *options,
                              char **directory, tact_error *error);

/* 1 when the trade-off has a cost side: some metric weighs negatively
 * (an annoyance metric in --weights).  Without one every segment's cost
 * is 0, so the gain-against-cost chart (a column of points at x = 0) and
 * the break-even weights say nothing and are left out (issue 18). */
int tact_report_weighs_cost(const tact_report_data *data);

/* Write index.html for data into out (report_html.c). */
tact_status tact_report_write_html(const tact_report_data *data, FILE *out,
                                   tact_error *error);

#endif
