/*
 * cli.h - what every tact tool does the same way at its edges: its name in
 * messages, option errors, --help and --version, the options most tools
 * share (cli_options: -o, --format, --confidence, --min-cell, ...), option
 * values read with one message per mistake, reporting a tact_error, the
 * progress bar, outputs opened and put in place whole, and closing
 * standard output with a checked status.
 *
 * This is the front end (like git's builtin helpers): it prints and exits,
 * which lib/ never does.
 */
#ifndef TACT_CLI_H
#define TACT_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "corrections.h"
#include "error.h"
#include "load.h"
#include "outfile.h"
#include "privacy.h"

/* Long-option values shared by the tools (above any short option). */
enum {
	CLI_HELP = 1000,
	CLI_VERSION,
	CLI_ARM,
	CLI_CONTROL,
	CLI_BY,
	CLI_GOAL,
	CLI_ANNOYANCE,
	CLI_VALUE,
	CLI_EXPOSURES,
	CLI_CONSENT,
	CLI_UNIT,
	CLI_DELIMITER,
	CLI_DECIMAL_COMMA,
	CLI_SKIP_BAD,
	CLI_QUIET,
	CLI_THREADS,
	CLI_CAP,
	CLI_SAFE_CSV,
	CLI_PRIVACY,
	CLI_FORMAT,
	CLI_CONFIDENCE,
	CLI_MIN_CELL,
	CLI_CORRECTION,
	CLI_WHERE,
	CLI_MIXED_UNITS,
	CLI_TIME,
	CLI_PERIOD,
	CLI_COVARIATE,
	CLI_FIRST_TOOL_OPTION = 1100 /* tools number their own from here */
};

/* The options of cli_options, one entry each for a tool's table: -o FILE,
 * --format, --confidence, --min-cell and --correction (the values under
 * CLI_FIRST_TOOL_OPTION are the same in every tool). */
#define CLI_OUTPUT_OPTION {"output", required_argument, NULL, 'o'}
#define CLI_FORMAT_OPTION {"format", required_argument, NULL, CLI_FORMAT}
#define CLI_CONFIDENCE_OPTION                                         \
	{"confidence", required_argument, NULL, CLI_CONFIDENCE}
#define CLI_MIN_CELL_OPTION {"min-cell", required_argument, NULL, CLI_MIN_CELL}
#define CLI_CORRECTION_OPTION                                         \
	{"correction", required_argument, NULL, CLI_CORRECTION}

/* The last entries of the table of a tool that reads an export and prints
 * counts: the input options, --cap, --privacy, --help, --version, the
 * end. */
#define CLI_EXPORT_OPTIONS                                          \
	CLI_INPUT_OPTIONS, CLI_WHERE_OPTION, CLI_CAP_OPTION,         \
	CLI_PRIVACY_OPTION, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}

/* --where, for the tools that read an export (load.h, rule.h);
 * cli_input_option handles it. */
#define CLI_WHERE_OPTION {"where", required_argument, NULL, CLI_WHERE}
#define CLI_WHERE_HELP                                                         \
	"      --where CONDITION  keep only the rows where it holds, as\n"         \
	"                         \"country = 'DE' and visits >= 2\" (comparisons,\n" \
	"                         and, or, not, in (...): see tact-summarize(1))\n"

#define CLI_COMMON_OPTIONS                                          \
	{"help", no_argument, NULL, CLI_HELP},                       \
	{"version", no_argument, NULL, CLI_VERSION}

#define CLI_INPUT_OPTIONS                                           \
	{"arm", required_argument, NULL, CLI_ARM},                   \
	{"control", required_argument, NULL, CLI_CONTROL},           \
	{"by", required_argument, NULL, CLI_BY},                     \
	{"goal", required_argument, NULL, CLI_GOAL},                 \
	{"annoyance", required_argument, NULL, CLI_ANNOYANCE},       \
	{"value", required_argument, NULL, CLI_VALUE},               \
	{"exposures", required_argument, NULL, CLI_EXPOSURES},       \
	{"consent", required_argument, NULL, CLI_CONSENT},           \
	{"unit", required_argument, NULL, CLI_UNIT},                 \
	{"mixed-units", required_argument, NULL, CLI_MIXED_UNITS},   \
	{"delimiter", required_argument, NULL, CLI_DELIMITER},       \
	{"decimal-comma", no_argument, NULL, CLI_DECIMAL_COMMA},     \
	{"skip-bad", no_argument, NULL, CLI_SKIP_BAD},               \
	{"quiet", no_argument, NULL, CLI_QUIET},                     \
	{"threads", required_argument, NULL, CLI_THREADS},            \
	{"safe-csv", no_argument, NULL, CLI_SAFE_CSV}

/* --time and --period, for the tools that follow the effect over time
 * (period.h); cli_input_option handles them. */
#define CLI_TIME_OPTIONS                                            \
	{"time", required_argument, NULL, CLI_TIME},                 \
	{"period", required_argument, NULL, CLI_PERIOD}
#define CLI_TIME_HELP                                                          \
	"      --time COL         each row's date or time (ISO 8601): per-period\n" \
	"      --period day|week  groups of UTC days, or ISO weeks (2026-W49) [day]\n"

/* --cap, for the tools that compute statistics from an export (cap.h);
 * cli_input_option handles it. */
#define CLI_CAP_OPTION {"cap", required_argument, NULL, CLI_CAP}
#define CLI_CAP_HELP                                                           \
	"      --cap METRIC=NUMBER|METRIC=pQ  cap each unit's METRIC from above at\n" \
	"                         NUMBER, or at its Q-th percentile over all arms\n" \
	"                         (as spend=p99); repeatable, one per metric\n"

/* --covariate, for the tools that adjust metrics by a pre-experiment
 * column (CUPED, cuped.h); cli_input_option handles it. */
#define CLI_COVARIATE_OPTION                                          \
	{"covariate", required_argument, NULL, CLI_COVARIATE}
#define CLI_COVARIATE_HELP                                                     \
	"      --covariate M=COL  adjust metric M by the pre-experiment column COL\n" \
	"                         (CUPED; repeatable; a missing cell counts as 0)\n"

/* --privacy, for the tools that print counts (privacy.h); the tool reads
 * its value with cli_privacy. */
#define CLI_PRIVACY_OPTION {"privacy", required_argument, NULL, CLI_PRIVACY}
#define CLI_PRIVACY_HELP                                                       \
	"      --privacy MODE     tables: no hidden count follows from this run's\n" \
	"                         tables; strict: nor from those of every --by with\n" \
	"                         fewer of its columns, each run with strict [tables]\n"

/* The help text of CLI_EXPORT_OPTIONS (defined below its parts). */
#define CLI_EXPORT_HELP \
	CLI_INPUT_HELP CLI_WHERE_HELP CLI_CAP_HELP CLI_PRIVACY_HELP CLI_COMMON_HELP

/* The help text of CLI_COMMON_OPTIONS. */
#define CLI_COMMON_HELP                                                        \
	"      --help             show this help and exit\n"                  \
	"      --version          show the version and exit\n"

/* The help text of CLI_INPUT_OPTIONS, for a tool's --help. */
#define CLI_INPUT_HELP                                                         \
	"Input columns (defaults in brackets; a named column must exist):\n"  \
	"      --arm COL          the arm of each row [arm]\n"                  \
	"      --control LABEL    the control arm [control]\n"                  \
	"      --by COLS          segment columns, comma-separated; '' for none; COL=BINS\n" \
	"                         bins numbers (0,1-29,30- or quantiles:K) [intent]\n" \
	"      --goal COLS        goal metrics, higher is better [converted]\n" \
	"      --annoyance COLS   annoyance metrics, lower is better [bounced,unsubscribed]\n" \
	"      --value COLS       value metrics, a number per row [revenue]\n"  \
	"      --exposures COL    exposure count [exposures]\n"                 \
	"      --consent COL      rows without consent are left out [consent]\n" \
	"      --unit COL         sessions of one unit are folded together [visitor_id]\n" \
	"      --mixed-units drop|first  a unit seen in several arms is dropped, or\n" \
	"                         kept in its first arm [drop]\n" \
	"      --delimiter C      ',', ';' or 'tab' [detected from the header]\n" \
	"      --decimal-comma    numbers use ',' as the decimal mark\n"        \
	"      --skip-bad         reject bad rows (counted) instead of stopping\n" \
	"      --threads N        threads reading a large file [one per core]\n" \
	"      --quiet            no counts on standard error\n"              \
	"      --safe-csv         CSV results: a text field a spreadsheet would run\n" \
	"                         as a formula (=, +, -, @) gets a leading '\n"

/* Start: remember the tool's name, turn GSL's abort handler off, and
 * install the signal handlers: on SIGHUP, SIGINT, SIGTERM, SIGPIPE and
 * SIGXFSZ (those not ignored when the tool started) the gnuplot child is
 * ended and every temporary removed (lib/cleanup.h), then the signal is
 * raised again, so the tool dies of it (exit status 128 + the signal in a
 * shell).  At exit, any temporary a failed run left is removed too. */
void cli_init(const char *name);

/* The tool's name ("tact-summarize"). */
const char *cli_name(void);

/* getopt_long with tact's messages: an unknown option or a missing value
 * is a usage error (exit 64); --help and --version are returned for the
 * tool to handle (it calls cli_help / cli_version; cli_option does). */
int cli_getopt(int argc, char **argv, const char *short_options,
               const struct option *long_options);

/* A tool of several commands (tact-intent train, apply, eval) gives each
 * its own option table; before reading a command's options it names the
 * command and the options of every command, so that cli_getopt refuses an
 * option of another command as "option '--roc' does not apply to train"
 * (64) and one of no command as any tool's unknown option. */
void cli_command(const char *command, const struct option *every_option);

/* Print "tact-x (tact) VERSION" and exit 0. */
noreturn void cli_version(void);

/* Print usage text to stdout and exit 0. */
noreturn void cli_help(const char *text);

/* Print "tact-x: message" and "Try 'tact-x --help'." and exit 64. */
noreturn void cli_usage_error(const char *format, ...)
	__attribute__((format(printf, 1, 2)));

/* Print "tact-x: file:line:col: message" to stderr. */
void cli_report(const tact_error *error);

/* Report error and exit with its status. */
noreturn void cli_fail(const tact_error *error);

/* "tact-x: warning: ..." / "tact-x: ..." on stderr. */
void cli_warn(const char *format, ...) __attribute__((format(printf, 1, 2)));
void cli_note(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Handle an input option (CLI_INPUT_OPTIONS) into options; returns 1 when
 * handled, 0 when the option is not an input option.  Exits 64 on a bad
 * value. */
int cli_input_option(tact_load_options *options, int option,
                     const char *argument);

/*
 * An option's value, or exit 64 with a message naming the option (the same
 * message for the same mistake in every tool; a number beyond a double's
 * range, as 1e400, is called out of range):
 *   cli_number        any number (--baseline, --ratio)
 *   cli_number_at_least  a number of at least low (--lambda, --threshold)
 *   cli_level         strictly between 0 and 1 (--confidence, --power)
 *   cli_count         a whole number of 0 or more (--min-cell, --seed)
 *   cli_count_within  a whole number from low to high (--threads, --max);
 *                     CLI_NO_LIMIT as high: of at least low
 *   cli_choose        one word of a comma-separated list of choices
 *                     ("csv,table,json"): its index in the list
 */
#define CLI_NO_LIMIT INT64_MAX
double cli_number(const char *option, const char *text);
double cli_number_at_least(const char *option, const char *text, double low);
double cli_level(const char *option, const char *text);
int64_t cli_count(const char *option, const char *text);
int64_t cli_count_within(const char *option, const char *text, int64_t low,
                         int64_t high);
size_t cli_choose(const char *option, const char *text, const char *choices);

/* --privacy's value: "tables" or "strict", or exit 64. */
tact_privacy_mode cli_privacy(const char *text);

/*
 * The status of a lib/ function that read an option's value (METRIC=VALUE
 * lists, arm lists, bins: tact_X_parse_Y): on failure exit 64 with its
 * message, which starts with "--option" (added when the message does not
 * name it), so that a mistake reads the same in every tool that takes the
 * option.  TACT_SOFTWARE (memory) exits 70.
 */
void cli_value(const char *option, tact_status status, const tact_error *error);

/*
 * What most tools take besides their own options, handled by cli_option:
 * the input options (CLI_INPUT_OPTIONS, --cap) into load; -o into output;
 * --format (one of formats, "csv,table,json": format is the index of the
 * word, 0 by default); --help (usage) and --version; and, when the tool
 * points them at its own settings, --confidence, --min-cell, --correction
 * and --privacy.  A pointer left NULL means the tool has no such option
 * (leave it out of the option table too).
 */
typedef struct cli_options {
	const char *usage;
	const char *usage_tail;        /* printed after usage by --help, or
	                                  NULL: a usage text longer than one C
	                                  string literal may hold (4095) */
	const char *output;            /* NULL: standard output */
	const char *input;             /* after cli_input: "-" by default */
	const char *formats;           /* NULL: no --format */
	size_t format;
	double *confidence;
	int64_t *min_cell;
	tact_correction *correction;
	tact_privacy_mode *privacy;
	tact_load_options load;
} cli_options;

/* Point --confidence, --correction, --min-cell and --privacy at a tool's
 * settings (a NULL: the tool has no such option). */
void cli_options_settings(cli_options *options, double *confidence,
                          tact_correction *correction, int64_t *min_cell,
                          tact_privacy_mode *privacy);

/* cli_init(name), then options with the defaults above and load's
 * (tact_load_options_init; exit on failure). */
void cli_options_init(cli_options *options, const char *name,
                      const char *usage, const char *formats);
void cli_options_release(cli_options *options);

/* Handle one option of cli_options (exits on --help, --version and a bad
 * value); returns 1 when handled, 0 when the option is the tool's own. */
int cli_option(cli_options *options, int option, const char *argument);

/* The next option of the command line that is the tool's own (cli_getopt,
 * with cli_option handling the shared ones on the way), or -1 at the end:
 * while ((option = cli_next(&cli, argc, argv, "o:", table)) != -1)
 * switch (option) { ... } */
int cli_next(cli_options *options, int argc, char **argv,
             const char *short_options, const struct option *long_options);

/* After the options: at most one INPUT in argv[optind..] (else exit 64
 * with too_many, as "one input at a time") into options->input, then
 * cli_check_outputs of output against it. */
void cli_input(cli_options *options, int argc, char **argv,
               const char *too_many);

/* 1 when --quiet was given (cli_input_option records it). */
int cli_quiet(void);

/* Load an input with the progress bar and report the counts on stderr
 * (unless quiet).  Exits with the error's status on failure. */
/*
 * Labels that print like others but are not (issue 15): warn when
 * label[0..length) holds an invisible or look-alike character (tact_utf8_lookalike), kind
 * naming what it is ("arm", "class", ...), the label quoted by the one
 * sanitizer (which shows the character as it is: the message names it).
 * At most three warnings a run: *shown counts them.  1 when warned.  Every
 * label a tool prints goes through it (cli_load's arms and segments, the
 * intent classes and levels, validate's labels).
 */
int cli_warn_lookalike(const char *path, const char *kind, const char *label,
                       size_t length, size_t *shown);

/* The same for a summary's arms and segment labels (each arm once):
 * cli_load calls it, and tact-report once its export is read. */
void cli_warn_lookalikes(const char *path, const tact_summary *summary);

void cli_load(const char *path, tact_load_options *options,
              tact_summary *summary);

/* "tact-x: FILE: 'spend' capped at p99 (431.5): 12 of 1,000 units above
 * it", one note per capped metric of summary, even with --quiet (the
 * figures are of capped values); a warning when a quantile cap is 0 or
 * below and touched values (a metric most units lack). */
void cli_note_caps(const char *path, const tact_summary *summary);

/* CUPED: per covariate, the units whose cell was missing (counted as 0),
 * one line each, even with --quiet. */
void cli_note_covariates(const tact_summary *summary);

/* Progress callback for the CSV reader: a bar on stderr when stderr is a
 * terminal and the input is large. */
void cli_progress(void *context, uint64_t done, uint64_t total);

/* Open an output (path, or "-"/NULL for standard output) written whole or
 * not at all; exit with the error's status when it cannot be made. */
void cli_output_open(tact_outfile *out, const char *path);

/* Finish an output written with status: on failure remove it and exit
 * with error's status; else put it in place (exit 73/74 when that fails). */
void cli_output_close(tact_outfile *out, tact_status status,
                      tact_error *error);

/* The same for the several outputs of one run, all or none
 * (tact_outfile_commit_all). */
void cli_outputs_close(tact_outfile *outs, size_t count, tact_status status,
                       tact_error *error);

/*
 * Before any work: exit 64 when an output name is empty (-o ''), when an
 * output is the same file as an input (through links and hard links:
 * writing it would replace the input), or when two outputs are the same
 * file.  NULL entries are skipped; "-" is standard input or output.
 */
void cli_check_outputs(const char *const *outputs, size_t output_count,
                       const char *const *inputs, size_t input_count);

/* Flush and close standard output; on failure say so and exit 74.  Then
 * exit with status. */
noreturn void cli_exit(int status);

#endif
