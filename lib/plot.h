/*
 * plot.h - charts of the tools' CSV outputs, drawn by gnuplot.
 *
 * Two halves.  The chart builders read the CSV that a tool wrote (a table
 * of tact-compare, tact-frontier, tact-power, tact-dose, tact-intent) and
 * turn it into
 * a gnuplot script: the figures travel inline as datablocks ($data << EOD),
 * labels as quoted strings, so no temporary data file is ever written.
 * The runner (the one place that starts gnuplot) feeds that script to
 * gnuplot through a pipe, captures gnuplot's standard error, checks its
 * exit status, and has gnuplot draw into a temporary file beside the
 * target that is renamed into place only when gnuplot succeeded: a failed
 * run never leaves a partial chart.
 *
 * Output formats: SVG (gnuplot's svg terminal), PNG (pngcairo) and PDF
 * (pdfcairo), chosen by the output's extension or by options.format.  All
 * three terminals are in Debian's gnuplot-nox.  Text is UTF-8 and never
 * goes through gnuplot's "enhanced" markup, so any label is shown as it
 * is written.
 *
 * Which gnuplot: options.gnuplot, else the environment variable
 * TACT_GNUPLOT, else "gnuplot" on PATH; it is started with -d (no
 * ~/.gnuplot, so a user's settings cannot change the chart).  Missing:
 * TACT_UNAVAILABLE with what to install.  gnuplot failing (a non-zero
 * exit), crashing (a signal), hanging past the timeout, or exiting 0
 * without drawing: TACT_SOFTWARE with gnuplot's standard error summarized.
 *
 * For tact-report: tact_plot_file() does the whole job in one call
 * without spawning tact-plot; tact_plot_build_memory() reads a
 * CSV held in memory; tact_plot_render() draws a script built earlier.
 *
 * This header is the whole interface of the subsystem lib/plot/ (its
 * files are listed in lib/plot/plot_internal.h, which only they include).
 */
#ifndef TACT_PLOT_H
#define TACT_PLOT_H

#include <stddef.h>

#include "error.h"

typedef enum tact_plot_kind {
	TACT_PLOT_FOREST,      /* tact-compare: lift or difference per row */
	TACT_PLOT_RATES,       /* tact-compare: each arm's rate per segment */
	TACT_PLOT_FRONTIER,    /* tact-frontier: gain against cost */
	TACT_PLOT_DOSE,        /* tact-dose: outcome against exposures */
	TACT_PLOT_POWER,       /* tact-power: detectable effect against n */
	TACT_PLOT_ROC,         /* tact-intent eval --roc */
	TACT_PLOT_CALIBRATION, /* tact-intent eval --calibration */
	TACT_PLOT_TREE,        /* tact-report's target-tree.csv: the policy
	                          tree of tact-target */
	TACT_PLOT_CUMULATIVE,  /* tact-compare --by-period: the cumulative
	                          difference over periods */
	TACT_PLOT_KIND_COUNT
} tact_plot_kind;

typedef enum tact_plot_format {
	TACT_PLOT_AUTO,        /* from the output's extension */
	TACT_PLOT_SVG,
	TACT_PLOT_PNG,
	TACT_PLOT_PDF
} tact_plot_format;

typedef enum tact_plot_measure {
	TACT_PLOT_LIFT,        /* forest: arm / control - 1, in % */
	TACT_PLOT_DIFF         /* forest: arm - control (points for rates) */
} tact_plot_measure;

typedef struct tact_plot_options {
	tact_plot_format format;   /* AUTO: from the output path */
	int width, height;         /* pixels (PDF: 72 per inch); 0 = the
	                              chart's own size */
	const char *title;         /* NULL: the chart's title; "": none */
	tact_plot_measure measure; /* forest */
	const char *metric;        /* only this metric (forest, rates, dose,
	                              power); NULL: all */
	const char *arm;           /* only this arm; NULL: all (power, dose:
	                              the first) */
	double confidence;         /* the interval level of the input, for the
	                              labels (the CSVs do not hold it) [0.95] */
	double power;              /* power chart: the power tact-power used
	                              [0.8] */
	int omit_suppressed;       /* forest, rates: leave suppressed rows
	                              out (a note counts them) instead of
	                              showing them as "suppressed" */
	const char *curve_path;    /* dose: tact-dose's curve table (the fitted
	                              curves); NULL: points only */
	const char *caps_path;     /* dose: tact-dose's caps table; NULL: no
	                              cap line */
	const char *gnuplot;       /* NULL: $TACT_GNUPLOT, else PATH */
	int timeout_seconds;       /* gnuplot is killed after this [120] */
} tact_plot_options;

/* A script built for gnuplot, without its terminal and output lines. */
typedef struct tact_plot_script {
	char *text;                /* NUL-terminated, owned */
	size_t length;
	int width, height;         /* the size the chart was laid out for */
	size_t notes;              /* rows left out or shown as suppressed */
} tact_plot_script;

/* Defaults as above. */
void tact_plot_options_init(tact_plot_options *options);

/* "forest", "rates", "frontier", "dose", "power", "roc", "calibration",
 * "tree".
 * TACT_USAGE otherwise. */
tact_status tact_plot_parse_kind(const char *text, tact_plot_kind *kind,
                                 tact_error *error);
const char *tact_plot_kind_name(tact_plot_kind kind);

/* The tool whose CSV output a kind reads ("tact-compare", ...). */
const char *tact_plot_kind_source(tact_plot_kind kind);

/* Format from path's extension (.svg, .png, .pdf, any case).
 * TACT_USAGE for another extension or none. */
tact_status tact_plot_format_from_path(const char *path,
                                       tact_plot_format *format,
                                       tact_error *error);

/*
 * Build the script of a chart of kind from the CSV at input ("-" is
 * standard input).  script is filled on success (release it with
 * tact_plot_script_release) and left empty on failure.  Errors:
 * TACT_NOINPUT (cannot open), TACT_DATA (not the expected tool's output:
 * a missing column, a figure that is not a number, with file:line:column;
 * nothing to draw), TACT_USAGE (an option that does not fit the input: an
 * unknown --metric or --arm), TACT_SOFTWARE (memory).
 */
tact_status tact_plot_build_file(tact_plot_kind kind, const char *input,
                                 const tact_plot_options *options,
                                 tact_plot_script *script, tact_error *error);

/* The same from a CSV held in memory; name is used in messages. */
tact_status tact_plot_build_memory(tact_plot_kind kind, const char *name,
                                   const char *data, size_t length,
                                   const tact_plot_options *options,
                                   tact_plot_script *script,
                                   tact_error *error);

void tact_plot_script_init(tact_plot_script *script);
void tact_plot_script_release(tact_plot_script *script);

/*
 * Draw script into output ("-": standard output, which then needs
 * options->format) with gnuplot: the terminal of the format, UTF-8 text,
 * the script's size unless options give one.  The file appears whole or
 * not at all.  Errors: TACT_USAGE (unknown extension), TACT_UNAVAILABLE
 * (no gnuplot), TACT_SOFTWARE (gnuplot failed, crashed, hung, or drew
 * nothing), TACT_CANTCREAT / TACT_IOERR (the output).
 */
tact_status tact_plot_render(const tact_plot_script *script,
                             const tact_plot_options *options,
                             const char *output, tact_error *error);

/*
 * The whole job: read input, build the chart of kind, draw it into output.
 * options may be NULL for the defaults.  Errors: those of build and render.
 * This is what tact-plot and tact-report call.
 */
tact_status tact_plot_file(tact_plot_kind kind, const char *input,
                           const tact_plot_options *options,
                           const char *output, tact_error *error);

/*
 * The runner, for callers that wrote their own script.  Find gnuplot:
 * given (a name looked up on PATH, or a path), else $TACT_GNUPLOT when set
 * and not empty, else "gnuplot" on PATH.  *path is malloc'ed.
 * TACT_UNAVAILABLE when there is none (the message says what to install).
 */
tact_status tact_plot_find_gnuplot(const char *given, char **path,
                                   tact_error *error);

/*
 * Run gnuplot (found as above) on script[0..length), written to its
 * standard input; its standard error is captured, its standard output goes
 * to ours when keep_stdout (a chart written to standard output), else
 * nowhere.  timeout_seconds <= 0 means 120.  TACT_OK when gnuplot exited
 * with status 0; otherwise TACT_UNAVAILABLE or TACT_SOFTWARE with the
 * status or signal and a summary of gnuplot's standard error.
 */
tact_status tact_plot_run(const char *gnuplot, const char *script,
                          size_t length, int keep_stdout,
                          int timeout_seconds, tact_error *error);

#endif
