/*
 * cli.h - what every tact tool does the same way at its edges: its name in
 * messages, option errors, --help and --version, reporting a tact_error,
 * the progress bar, and closing standard output with a checked status.
 *
 * This is the front end (like git's builtin helpers): it prints and exits,
 * which lib/ never does.
 */
#ifndef TACT_CLI_H
#define TACT_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdnoreturn.h>

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
	CLI_FIRST_TOOL_OPTION = 1100 /* tools number their own from here */
};

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
	{"delimiter", required_argument, NULL, CLI_DELIMITER},       \
	{"decimal-comma", no_argument, NULL, CLI_DECIMAL_COMMA},     \
	{"skip-bad", no_argument, NULL, CLI_SKIP_BAD},               \
	{"quiet", no_argument, NULL, CLI_QUIET},                     \
	{"threads", required_argument, NULL, CLI_THREADS},            \
	{"safe-csv", no_argument, NULL, CLI_SAFE_CSV}

/* --cap, for the tools that compute statistics from an export (cap.h);
 * cli_input_option handles it. */
#define CLI_CAP_OPTION {"cap", required_argument, NULL, CLI_CAP}
#define CLI_CAP_HELP                                                           \
	"      --cap METRIC=NUMBER|METRIC=pQ  cap each unit's METRIC from above at\n" \
	"                         NUMBER, or at its Q-th percentile over all arms\n" \
	"                         (as spend=p99); repeatable, one per metric\n"

/* --privacy, for the tools that print counts (privacy.h); the tool reads
 * its value with cli_privacy. */
#define CLI_PRIVACY_OPTION {"privacy", required_argument, NULL, CLI_PRIVACY}
#define CLI_PRIVACY_HELP                                                       \
	"      --privacy MODE     tables: no hidden count follows from this run's\n" \
	"                         tables; strict: nor from those of every --by with\n" \
	"                         fewer of its columns, each run with strict [tables]\n"

/* The help text of CLI_INPUT_OPTIONS, for a tool's --help. */
#define CLI_INPUT_HELP                                                         \
	"Input columns (defaults in brackets; a named column must exist):\n"  \
	"      --arm COL          the arm of each row [arm]\n"                  \
	"      --control LABEL    the control arm [control]\n"                  \
	"      --by COLS          segment columns, comma-separated; '' for none [intent]\n" \
	"      --goal COLS        goal metrics, higher is better [converted]\n" \
	"      --annoyance COLS   annoyance metrics, lower is better [bounced,unsubscribed]\n" \
	"      --value COLS       value metrics, a number per row [revenue]\n"  \
	"      --exposures COL    exposure count [exposures]\n"                 \
	"      --consent COL      rows without consent are left out [consent]\n" \
	"      --unit COL         sessions of one unit are folded together [visitor_id]\n" \
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
 * tool to handle (it calls cli_usage / cli_version). */
int cli_getopt(int argc, char **argv, const char *short_options,
               const struct option *long_options);

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
 * An option's value, or exit 64 with a message naming the option: a level
 * strictly between 0 and 1 (--confidence); a whole number of 0 or more
 * (--min-cell); one word of a comma-separated list of choices (--format,
 * with choices "csv,table,json"), returned as given.
 */
double cli_level(const char *option, const char *text);
int64_t cli_count(const char *option, const char *text);

/* --privacy's value: "tables" or "strict", or exit 64. */
tact_privacy_mode cli_privacy(const char *text);
const char *cli_choice(const char *option, const char *text,
                       const char *choices);

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
