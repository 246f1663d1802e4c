/*
 * plot_internal.h - what the files of lib/plot/ share, and only they (the
 * public interface is lib/plot.h): the script buffer, gnuplot strings,
 * shortened labels, the palette, the page layout in pixels, the common
 * style (plot_script.c); a tool's CSV output held in memory (plot_table.c);
 * the chart builders (one plot_KIND.c each).  Outside lib/plot/ only
 * tests/unit/test_plot.c includes it, to test these helpers.
 *
 * The subsystem's files:
 *   plot_chart.c     the kinds, the options, CSV to script to chart
 *   plot_render.c    a built script drawn into a file, whole or not at all
 *   plot_run.c       the one gnuplot runner (find, spawn, feed, reap)
 *   plot_script.c    the pieces every script shares (below)
 *   plot_table.c     a tool's CSV output in memory (below)
 *   plot_compare.c   tact-compare's rows as forest and rates keep them
 *   plot_forest.c, plot_rates.c, plot_frontier.c, plot_dose.c,
 *   plot_power.c, plot_intent.c, plot_tree.c   one builder per chart
 *
 * Strings.  gnuplot single-quoted strings have one escape ('' for a quote)
 * and, under "set termoption noenhanced" (plot_render.c sets it), no
 * markup; tic labels are also printf formats, so there '%' is doubled.
 * Control bytes become spaces (a newline would end the command) and
 * invalid UTF-8 bytes U+FFFD, so that the SVG gnuplot writes stays
 * well-formed.
 *
 * Palette: Okabe and Ito's eight colours (2008, "Color universal design"),
 * distinguishable under the common colour-vision deficiencies, with grey
 * for the control and for "no verdict".
 *
 * Layout.  gnuplot places panels in screen fractions; the builders lay a
 * chart out in pixels (a panel's margins from the widths of its labels,
 * estimated from the font size) and convert.  Fonts: 10 pt tics, 11 pt
 * axis labels and panel titles, 13 pt the chart's title (the terminal's
 * default is set by plot_render.c).
 */
#ifndef TACT_PLOT_INTERNAL_H
#define TACT_PLOT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plot.h"

#define TACT_PLOT_FONT 10.0          /* tics, keys, labels */
#define TACT_PLOT_FONT_AXIS 11.0     /* axis labels, panel titles */
#define TACT_PLOT_FONT_TITLE 13.0    /* the chart's title */
#define TACT_PLOT_LABEL_MAX 28       /* columns of a segment label */

/* Okabe-Ito, in the order series take them (yellow last: pale on white). */
#define TACT_PLOT_BLACK "#000000"
#define TACT_PLOT_ORANGE "#E69F00"
#define TACT_PLOT_SKY_BLUE "#56B4E9"
#define TACT_PLOT_GREEN "#009E73"
#define TACT_PLOT_YELLOW "#F0E442"
#define TACT_PLOT_BLUE "#0072B2"
#define TACT_PLOT_VERMILLION "#D55E00"
#define TACT_PLOT_PURPLE "#CC79A7"
#define TACT_PLOT_GREY "#8C8C8C"      /* control, no verdict */
#define TACT_PLOT_LIGHT "#E5E5E5"     /* grid, shading */
#define TACT_PLOT_INK "#333333"       /* text, zero lines */

/* The colour of series i (any i: six colours repeat), and its dash type
 * (1 solid for the first six, then dashes tell the repeats apart). */
const char *tact_plot_series_colour(size_t i);
int tact_plot_series_dash(size_t i);

/* Colours of goal (higher is better) and annoyance metrics, and their
 * point types (filled; the open form is one less). */
#define TACT_PLOT_GOAL_COLOUR TACT_PLOT_BLUE
#define TACT_PLOT_ANNOYANCE_COLOUR TACT_PLOT_VERMILLION
#define TACT_PLOT_GOAL_POINT 7       /* filled circle (6 open) */
#define TACT_PLOT_ANNOYANCE_POINT 9  /* filled triangle (8 open) */

/* The script being written. */
typedef struct tact_plot_writer {
	FILE *out;
	char *text;
	size_t length;
} tact_plot_writer;

tact_status tact_plot_writer_open(tact_plot_writer *writer,
                                  tact_error *error);
/* Close and move the text into script (TACT_SOFTWARE on memory). */
tact_status tact_plot_writer_finish(tact_plot_writer *writer,
                                    tact_plot_script *script, int width,
                                    int height, tact_error *error);
void tact_plot_writer_abort(tact_plot_writer *writer);

/* text as a gnuplot string ('...'); _format doubles '%' (tic labels). */
void tact_plot_quote(FILE *out, const char *text);
void tact_plot_quote_format(FILE *out, const char *text);

/* text cut to at most columns code points, ending in "…" when cut.
 * Returns out. */
char *tact_plot_shorten(const char *text, size_t columns, char *out,
                        size_t size);

/* Estimated width in pixels of text at a font size (points = pixels). */
double tact_plot_text_width(const char *text, double font_size);

/* A figure in a datablock: the shortest exact form, NaN for a blank. */
void tact_plot_number(FILE *out, double value);

/* The style every chart shares: white background, light grid, ink-grey
 * border and text, key font.  Written once at the top. */
void tact_plot_style(FILE *out);

/* The chart's title across the top (empty or NULL: none); returns the
 * pixels it takes. */
int tact_plot_title(FILE *out, const char *title, int width, int height);

/* A small note at the bottom left (what was left out and why), line 0 the
 * lowest; label tags 3 + line (tags: 1 title, 2 to 9 the chart's own
 * notes and keys, 10 and up the builders' per-panel labels). */
void tact_plot_note(FILE *out, const char *text, int width, int height,
                    int line);

/* One entry of a hand-placed key: a point (pt, open when lw > 0 matters)
 * then its text, at pixel x, y from the top-left; label tag tag.  Returns
 * the pixels it takes along the line. */
double tact_plot_key_entry(FILE *out, int tag, double x, double y,
                           const char *text, int point, const char *colour,
                           int width, int height);

/* The same with a line sample (colour, dash type) through the point (none
 * when point < 0): for curves.  Uses arrow tag tag too.  Returns the pixels it takes. */
double tact_plot_key_line(FILE *out, int tag, double x, double y,
                          const char *text, int point, const char *colour,
                          int dash, int width, int height);

/* The pixels tact_plot_key_entry takes for text. */
double tact_plot_key_width(const char *text);

/* The width a chart needs for its title and a note line. */
double tact_plot_title_width(const char *title);
double tact_plot_note_width(const char *note);

/* A step of 1, 2 or 5 times a power of ten that cuts span into at most
 * count intervals (tics that do not crowd). */
double tact_plot_nice_step(double span, int count);

/* Put the next plot's frame at the pixel rectangle left..right, top..bottom
 * (from the top-left corner) of a width x height page. */
void tact_plot_frame(FILE *out, int width, int height, double left,
                     double top, double right, double bottom);

/* The title of the chart: options->title when given, else fallback. */
const char *tact_plot_title_text(const tact_plot_options *options,
                                 const char *fallback);

/* "95%" for a confidence of 0.95 (as few decimals as needed). */
void tact_plot_percent_label(double confidence, char *out, size_t size);

/* Distinct names in order of first appearance (segments, metrics, arms). */
typedef struct tact_plot_list {
	size_t count;
	char **items;
} tact_plot_list;

void tact_plot_list_init(tact_plot_list *list);
void tact_plot_list_release(tact_plot_list *list);
/* The index of name, added when new; -1 on memory. */
long tact_plot_list_add(tact_plot_list *list, const char *name);
/* The index of name, or -1. */
long tact_plot_list_find(const tact_plot_list *list, const char *name);
/* "a, b, c" (at most size bytes), for messages. */
void tact_plot_list_join(const tact_plot_list *list, char *out, size_t size);

/*
 * The table: a tool's CSV output held in memory for a chart: the header,
 * the cells as text, the line of each row; figures read on demand with
 * their position in errors.  Read through the one CSV reader (csvreader.h).
 *
 * The tables charted are small (a row per segment, metric and arm), so the
 * whole table is kept; a table of more than TACT_PLOT_TABLE_MAX_ROWS rows
 * is refused (it is not a tool's output but, say, a raw export).
 */
#define TACT_PLOT_TABLE_MAX_ROWS 200000

typedef struct tact_plot_table {
	char name[TACT_ERROR_FILE_MAX]; /* the input's name in messages */
	const char *source;             /* the tool that writes it */
	size_t columns;
	char **header;                  /* columns names */
	size_t rows;
	char **cells;                   /* rows x columns, row-major */
	uint64_t *lines;                /* physical line of each row */
} tact_plot_table;

void tact_plot_table_init(tact_plot_table *table);
void tact_plot_table_release(tact_plot_table *table);

/*
 * Read path ("-": standard input) or data[0..length).  required lists the
 * columns the chart needs (NULL-terminated); a missing one is TACT_DATA at
 * line 1, naming source (the tool whose output is expected).  Errors: those
 * of the CSV reader, TACT_DATA for a missing column, too many rows or no
 * row at all, TACT_SOFTWARE for memory.
 */
tact_status tact_plot_table_read_file(tact_plot_table *table,
                                      const char *path, const char *source,
                                      const char *const *required,
                                      tact_error *error);
tact_status tact_plot_table_read_memory(tact_plot_table *table,
                                        const char *name, const char *data,
                                        size_t length, const char *source,
                                        const char *const *required,
                                        tact_error *error);

/* The index of the column named name, or -1. */
long tact_plot_table_column(const tact_plot_table *table, const char *name);

/* The text of a cell (never NULL). */
const char *tact_plot_table_text(const tact_plot_table *table, size_t row,
                                 size_t column);

/* A cell as a number: blank is NaN; anything else not a number is
 * TACT_DATA at the cell's line and column. */
tact_status tact_plot_table_number(const tact_plot_table *table, size_t row,
                                   size_t column, double *value,
                                   tact_error *error);

/* The number of segment columns: those before the column named first
 * (the tools write their --by dimensions first).  0 when first is the
 * first column. */
size_t tact_plot_table_dimensions(const tact_plot_table *table,
                                  const char *first);

/* The segment label of a row: its first dimensions cells joined by " / ";
 * "(all)" when dimensions is 0.  Truncated to size. */
void tact_plot_table_segment(const tact_plot_table *table, size_t row,
                             size_t dimensions, char *out, size_t size);


/*
 * The error when the options leave no row to draw: an option naming a
 * metric or an arm the table does not hold is TACT_USAGE listing those it
 * holds (metrics, arms: every name of the table; NULL where the chart does
 * not filter by it), else TACT_DATA saying why (why).  Always fails.
 */
tact_status tact_plot_nothing_to_draw(const tact_plot_table *table,
                                      const tact_plot_options *options,
                                      const tact_plot_list *metrics,
                                      const tact_plot_list *arms,
                                      const char *why, tact_error *error);

/* count figures of a datablock row, separated by spaces (no newline). */
void tact_plot_numbers(FILE *out, const double *values, size_t count);

/* The note "N what(s) suppressed (fewer units than tool's --min-cell)tail."
 * at note line line. */
void tact_plot_suppressed_note(FILE *out, size_t count, const char *what,
                               const char *tool, const char *tail,
                               int width, int height, int line);

/* A panel's title above its frame (px, py: the frame's top-left, in
 * pixels): title cut to 40 columns in colour, subtitle in grey under it.
 * Uses label tags tag and tag + 1; returns tag + 2. */
int tact_plot_panel_title(FILE *out, int tag, const char *title,
                          const char *colour, const char *subtitle,
                          double px, double py, double width, double height);

/* "annoyance: lower is better" or "goal: higher is better". */
const char *tact_plot_role_subtitle(int down);

/* The widest of labels cut to TACT_PLOT_LABEL_MAX columns, in pixels. */
double tact_plot_label_width(const tact_plot_list *labels);

/* Tics of axis ('x' or 'y') named by labels (cut to TACT_PLOT_LABEL_MAX;
 * blank unless shown) at 0, 1, ... or, descending, at count, count-1, ... */
void tact_plot_label_tics(FILE *out, char axis, const tact_plot_list *labels,
                          int descending, int shown);

/*
 * The rows of tact-compare's output as a chart keeps them (forest, rates;
 * plot_compare.c): the options' metric and arm, suppressed rows left out
 * under omit_suppressed; segments, metrics and arms in order of first
 * appearance.
 */
typedef struct tact_plot_compare {
	tact_plot_list segments, metrics, arms;
	int *down;          /* per metric: annoyance (lower is better) */
	int *rate;          /* per metric: 1 a rate, 0 a mean, -1 unknown */
	tact_plot_list all_metrics, all_arms;   /* every name, for messages */
	size_t kept;        /* rows kept */
	size_t suppressed;  /* suppressed rows of the metric and arm kept,
	                       shown or left out */
} tact_plot_compare;

/* Empty, with room for the metrics of table.  TACT_SOFTWARE on memory
 * (release it all the same). */
tact_status tact_plot_compare_init(tact_plot_compare *compare,
                                   const tact_plot_table *table,
                                   tact_error *error);
void tact_plot_compare_release(tact_plot_compare *compare);

/* Row row of table: 1 when the options keep it, its segment, metric and
 * arm in at[0], at[1], at[2] (with control_first, the first arm is the
 * row's control); 0 when they do not; -1 on memory.  A kept row may be
 * suppressed: never read its figures. */
int tact_plot_compare_keep(tact_plot_compare *compare,
                           const tact_plot_table *table, size_t row,
                           const tact_plot_options *options,
                           int control_first, size_t at[3]);

/* After the last row: TACT_OK when a row was kept, else the error of
 * tact_plot_nothing_to_draw. */
tact_status tact_plot_compare_finish(const tact_plot_compare *compare,
                                     const tact_plot_table *table,
                                     const tact_plot_options *options,
                                     tact_error *error);

/* Each builder: from a table to a script (see plot.h for errors). */
tact_status tact_plot_build_forest(const tact_plot_table *table,
                                   const tact_plot_options *options,
                                   tact_plot_script *script,
                                   tact_error *error);
tact_status tact_plot_build_rates(const tact_plot_table *table,
                                  const tact_plot_options *options,
                                  tact_plot_script *script,
                                  tact_error *error);
tact_status tact_plot_build_frontier(const tact_plot_table *table,
                                     const tact_plot_options *options,
                                     tact_plot_script *script,
                                     tact_error *error);
tact_status tact_plot_build_dose(const tact_plot_table *table,
                                 const tact_plot_options *options,
                                 tact_plot_script *script,
                                 tact_error *error);
tact_status tact_plot_build_power(const tact_plot_table *table,
                                  const tact_plot_options *options,
                                  tact_plot_script *script,
                                  tact_error *error);
tact_status tact_plot_build_roc(const tact_plot_table *table,
                                const tact_plot_options *options,
                                tact_plot_script *script, tact_error *error);
tact_status tact_plot_build_calibration(const tact_plot_table *table,
                                        const tact_plot_options *options,
                                        tact_plot_script *script,
                                        tact_error *error);
tact_status tact_plot_build_cumulative(const tact_plot_table *table,
                                       const tact_plot_options *options,
                                       tact_plot_script *script,
                                       tact_error *error);
tact_status tact_plot_build_tree(const tact_plot_table *table,
                                 const tact_plot_options *options,
                                 tact_plot_script *script, tact_error *error);

#endif
