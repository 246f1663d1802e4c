/*
 * cli.c - the shared front end of the tools (see cli.h).
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "cleanup.h"
#include "numeric.h"
#include "parse.h"
#include "utf8.h"
#include "version.h"

#define PROGRESS_THRESHOLD (UINT64_C(64) << 20)

static const char *tool_name = "tact";
static const char *command_name;
static const struct option *command_options;
static int quiet;
static int progress_shown;

/* Undo what the run was writing, then die of the signal (async-signal-
 * safe: the registry's cleanup, sigaction, raise). */
static void on_signal(int signal_number)
{
	struct sigaction fallback;

	tact_cleanup_run();
	memset(&fallback, 0, sizeof fallback);
	fallback.sa_handler = SIG_DFL;
	sigemptyset(&fallback.sa_mask);
	sigaction(signal_number, &fallback, NULL);
	/* Blocked while the handler runs: delivered when it returns. */
	raise(signal_number);
}

static void at_exit(void)
{
	tact_cleanup_run();
}

void cli_init(const char *name)
{
	static const int signals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGXFSZ};
	struct sigaction action, previous;
	size_t i;

	tool_name = name;
	tact_numeric_init();
	atexit(at_exit);
	memset(&action, 0, sizeof action);
	action.sa_handler = on_signal;
	sigemptyset(&action.sa_mask);
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		sigaddset(&action.sa_mask, signals[i]);
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		/* A signal ignored at start stays ignored (nohup, a background
		 * job of a shell without job control, trap '' XFSZ). */
		if (sigaction(signals[i], NULL, &previous) == 0 &&
		    previous.sa_handler == SIG_IGN)
			continue;
		sigaction(signals[i], &action, NULL);
	}
}

const char *cli_name(void)
{
	return tool_name;
}

int cli_quiet(void)
{
	return quiet;
}

static void vmessage(const char *prefix, const char *format, va_list args)
{
	char text[4096], *whole = text;
	va_list again;
	int n;

	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
	/* Messages quote labels and names from the data: the one sanitizer
	 * keeps escapes and line breaks off the terminal (format.h).  A long
	 * message is formatted again on the heap, never cut. */
	va_copy(again, args);
	n = vsnprintf(text, sizeof text, format, args);
	if (n >= (int)sizeof text && (whole = malloc((size_t)n + 1)) != NULL)
		vsnprintf(whole, (size_t)n + 1, format, again);
	else
		whole = text;
	va_end(again);
	fprintf(stderr, "%s: %s", tool_name, prefix);
	tact_format_terminal(stderr, whole);
	fputc('\n', stderr);
	if (whole != text)
		free(whole);
}

void cli_warn(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vmessage("warning: ", format, args);
	va_end(args);
}

void cli_note(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vmessage("", format, args);
	va_end(args);
}

noreturn void cli_usage_error(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vmessage("", format, args);
	va_end(args);
	fprintf(stderr, "Try '%s --help' for more information.\n", tool_name);
	exit(TACT_USAGE);
}

void cli_command(const char *command, const struct option *every_option)
{
	command_name = command;
	command_options = every_option;
}

/* An option that is not the command's: another command's, or unknown. */
static noreturn void refuse_option(const char *text)
{
	size_t i, n = strcspn(text, "=");

	for (i = 0; command_name && command_options[i].name; i++)
		if (strncmp(text, "--", 2) == 0 &&
		    n - 2 == strlen(command_options[i].name) &&
		    strncmp(text + 2, command_options[i].name, n - 2) == 0)
			cli_usage_error("option '%.*s' does not apply to %s", (int)n, text,
			                command_name);
	cli_usage_error("unknown option '%s'", text);
}

int cli_getopt(int argc, char **argv, const char *short_options,
               const struct option *long_options)
{
	char optstring[128];
	int option;

	snprintf(optstring, sizeof optstring, ":%s", short_options);
	opterr = 0;
	option = getopt_long(argc, argv, optstring, long_options, NULL);
	if (option == '?') {
		if (optopt && optopt < 256)
			cli_usage_error("unknown option '-%c'", optopt);
		refuse_option(argv[optind - 1]);
	}
	if (option == ':') {
		if (optopt && optopt < 256)
			cli_usage_error("option '-%c' needs a value", optopt);
		cli_usage_error("option '%s' needs a value", argv[optind - 1]);
	}
	return option;
}

noreturn void cli_version(void)
{
	printf("%s (tact) %s\n", tool_name, TACT_VERSION);
	cli_exit(TACT_OK);
}

noreturn void cli_help(const char *text)
{
	fputs(text, stdout);
	cli_exit(TACT_OK);
}

void cli_report(const tact_error *error)
{
	char buffer[TACT_ERROR_FILE_MAX + TACT_ERROR_MESSAGE_MAX + 64];

	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
	fprintf(stderr, "%s: ", tool_name);
	tact_format_terminal(stderr, tact_error_format(error, buffer, sizeof buffer));
	fputc('\n', stderr);
}

noreturn void cli_fail(const tact_error *error)
{
	cli_report(error);
	/* Whatever went wrong, standard output may hold a partial result:
	 * the status says it is not to be trusted. */
	exit(error->status == TACT_OK ? TACT_SOFTWARE : (int)error->status);
}

int cli_input_option(tact_load_options *options, int option,
                     const char *argument)
{
	static const struct { int option; const char *role; } roles[] = {
		{CLI_ARM, "arm"},           {CLI_CONTROL, "control"},
		{CLI_BY, "by"},             {CLI_GOAL, "goal"},
		{CLI_ANNOYANCE, "annoyance"}, {CLI_VALUE, "value"},
		{CLI_EXPOSURES, "exposures"}, {CLI_CONSENT, "consent"},
		{CLI_UNIT, "unit"},         {CLI_CAP, "cap"},
		{CLI_COVARIATE, "covariate"},
	};
	tact_error error;
	size_t i;

	for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		if (roles[i].option != option)
			continue;
		tact_error_init(&error);
		if (tact_roles_spec_set(&options->roles, roles[i].role, argument,
		                        &error) != TACT_OK)
			cli_usage_error("--%s: %s", roles[i].role, error.message);
		return 1;
	}
	switch (option) {
	case CLI_DELIMITER:
		if (strcmp(argument, ",") == 0 || strcmp(argument, "comma") == 0)
			options->delimiter = ',';
		else if (strcmp(argument, ";") == 0 || strcmp(argument, "semicolon") == 0)
			options->delimiter = ';';
		else if (strcmp(argument, "\t") == 0 || strcmp(argument, "tab") == 0)
			options->delimiter = '\t';
		else
			cli_usage_error("--delimiter must be ',', ';' or 'tab', got '%s'",
			                argument);
		return 1;
	case CLI_DECIMAL_COMMA:
		options->decimal_comma = 1;
		return 1;
	case CLI_SKIP_BAD:
		options->skip_bad = 1;
		return 1;
	case CLI_MIXED_UNITS:
		if (strcmp(argument, "drop") && strcmp(argument, "first"))
			cli_usage_error("--mixed-units must be drop or first, got '%s'",
			                argument);
		options->mixed_units_first = argument[0] == 'f';
		return 1;
	case CLI_TIME:
		if (argument[0] == '\0')
			cli_usage_error("--time needs a column name");
		options->time_name = argument;
		return 1;
	case CLI_PERIOD:
		if (tact_period_kind_parse(argument, &options->period) != 0)
			cli_usage_error("--period must be day or week, got '%s'", argument);
		options->period_set = 1;
		return 1;
	case CLI_SAFE_CSV:
		/* OWASP's advice for CSV meant for spreadsheets (format.h). */
		tact_format_set_safe_csv(1);
		return 1;
	case CLI_QUIET:
		quiet = 1;
		return 1;
	case CLI_THREADS:
		options->threads = (long)cli_count_within("threads", argument, 1, 256);
		return 1;
	case CLI_WHERE:
		/* Parsed now: a bad condition stops before any input is read. */
		tact_error_init(&error);
		cli_value("where", tact_load_options_where(options, argument, &error),
		          &error);
		return 1;
	}
	return 0;
}

/* Exit 64 when text is a number beyond a double's range ("1e400"): the
 * same words as for such a cell of an export (parse.h). */
static void refuse_out_of_range(const char *option, const char *text)
{
	char what[80];
	tact_error error;

	snprintf(what, sizeof what, "--%s", option);
	tact_error_init(&error);
	if (tact_parse_check_range(what, text, strlen(text), NULL, &error))
		cli_usage_error("%s", error.message);
}

double cli_number(const char *option, const char *text)
{
	double value;

	refuse_out_of_range(option, text);
	if (tact_parse_number(text, strlen(text), 0, &value) != 0)
		cli_usage_error("--%s must be a number, got '%s'", option, text);
	return value;
}

double cli_number_at_least(const char *option, const char *text, double low)
{
	double value;

	refuse_out_of_range(option, text);
	if (tact_parse_number(text, strlen(text), 0, &value) != 0 || value < low)
		cli_usage_error("--%s must be a number of at least %g, got '%s'",
		                option, low, text);
	return value;
}

double cli_level(const char *option, const char *text)
{
	double value;

	refuse_out_of_range(option, text);
	if (tact_parse_number(text, strlen(text), 0, &value) != 0 ||
	    !(value > 0 && value < 1))
		cli_usage_error("--%s must lie between 0 and 1, got '%s'", option, text);
	return value;
}

tact_privacy_mode cli_privacy(const char *text)
{
	tact_privacy_mode mode = TACT_PRIVACY_TABLES;

	if (tact_privacy_mode_parse(text, &mode) != 0)
		cli_usage_error("--privacy must be 'tables' or 'strict', got '%s'", text);
	return mode;
}

int64_t cli_count_within(const char *option, const char *text, int64_t low,
                         int64_t high)
{
	double value;
	int rc;

	refuse_out_of_range(option, text);
	rc = tact_parse_count(text, strlen(text), 0, &value);
	if (rc == -4)
		cli_usage_error("--%s must be a whole number below 2^53, got '%s'",
		                option, text);
	if (rc == 0 && value >= (double)low &&
	    (high == CLI_NO_LIMIT || value <= (double)high))
		return (int64_t)value;
	if (high != CLI_NO_LIMIT)
		cli_usage_error("--%s must be a whole number from %lld to %lld, got "
		                "'%s'", option, (long long)low, (long long)high, text);
	if (low == 0)
		cli_usage_error("--%s must be a whole number of 0 or more, got '%s'",
		                option, text);
	cli_usage_error("--%s must be a whole number of at least %lld, got '%s'",
	                option, (long long)low, text);
}

int64_t cli_count(const char *option, const char *text)
{
	return cli_count_within(option, text, 0, CLI_NO_LIMIT);
}

size_t cli_choose(const char *option, const char *text, const char *choices)
{
	size_t length = strlen(text), used = 0, count = 0, total = 1;
	const char *at;
	char list[256];

	for (at = choices; *at; at++)
		total += *at == ',';
	for (at = choices; *at;) {
		const char *end = strchr(at, ',');
		size_t n = end ? (size_t)(end - at) : strlen(at);
		int written;
		if (n == length && strncmp(at, text, n) == 0)
			return count;
		/* "csv, table or json" for the message. */
		count++;
		written = snprintf(list + used, sizeof list - used, "%s%.*s",
		                   count == 1 ? "" : count == total ? " or " : ", ",
		                   (int)n, at);
		if (written > 0 && (size_t)written < sizeof list - used)
			used += (size_t)written;
		at += n + (end ? 1 : 0);
	}
	cli_usage_error("--%s must be %s, got '%s'", option, list, text);
}

void cli_value(const char *option, tact_status status, const tact_error *error)
{
	size_t n = strlen(option);
	const char *message = error->message;

	if (status == TACT_OK)
		return;
	if (status != TACT_USAGE)
		cli_fail(error);
	if (strncmp(message, "--", 2) == 0 && strncmp(message + 2, option, n) == 0 &&
	    !isalnum((unsigned char)message[2 + n]) && message[2 + n] != '-')
		cli_usage_error("%s", message);
	cli_usage_error("--%s: %s", option, message);
}

void cli_options_init(cli_options *options, const char *name,
                      const char *usage, const char *formats)
{
	tact_error error;

	cli_init(name);
	memset(options, 0, sizeof *options);
	options->usage = usage;
	options->input = "-";
	options->formats = formats;
	tact_error_init(&error);
	if (tact_load_options_init(&options->load, &error) != TACT_OK)
		cli_fail(&error);
}

void cli_options_settings(cli_options *options, double *confidence,
                          tact_correction *correction, int64_t *min_cell,
                          tact_privacy_mode *privacy)
{
	options->confidence = confidence;
	options->correction = correction;
	options->min_cell = min_cell;
	options->privacy = privacy;
}

void cli_options_release(cli_options *options)
{
	tact_load_options_release(&options->load);
}

int cli_option(cli_options *options, int option, const char *argument)
{
	tact_error error;

	if (cli_input_option(&options->load, option, argument))
		return 1;
	switch (option) {
	case 'o':
		options->output = argument;
		return 1;
	case CLI_FORMAT:
		if (!options->formats)
			return 0;
		options->format = cli_choose("format", argument, options->formats);
		return 1;
	case CLI_CONFIDENCE:
		if (!options->confidence)
			return 0;
		*options->confidence = cli_level("confidence", argument);
		return 1;
	case CLI_MIN_CELL:
		if (!options->min_cell)
			return 0;
		*options->min_cell = cli_count("min-cell", argument);
		return 1;
	case CLI_CORRECTION:
		if (!options->correction)
			return 0;
		tact_error_init(&error);
		cli_value("correction",
		          tact_corrections_parse(argument, options->correction, &error),
		          &error);
		return 1;
	case CLI_PRIVACY:
		if (!options->privacy)
			return 0;
		*options->privacy = cli_privacy(argument);
		return 1;
	case CLI_HELP:
		if (options->usage_tail)
			fputs(options->usage, stdout);
		cli_help(options->usage_tail ? options->usage_tail : options->usage);
	case CLI_VERSION:
		cli_version();
	}
	return 0;
}

int cli_next(cli_options *options, int argc, char **argv,
             const char *short_options, const struct option *long_options)
{
	int option;

	while ((option = cli_getopt(argc, argv, short_options, long_options)) != -1)
		if (!cli_option(options, option, optarg))
			return option;
	return -1;
}

void cli_input(cli_options *options, int argc, char **argv,
               const char *too_many)
{
	if (argc - optind > 1)
		cli_usage_error("%s", too_many);
	if (optind < argc)
		options->input = argv[optind];
	cli_check_outputs(&options->output, 1, &options->input, 1);
}

/* --where: the rows it dropped, and those for a cell that is no number
 * (a summary keeps the first count, not the second). */
static void report_where(const char *path, const tact_summary *summary,
                         int from_summary)
{
	char a[32], b[32], shown[200];

	if (!summary->where)
		return;
	tact_error_quote(summary->where, strlen(summary->where), shown,
	                 sizeof shown);
	if (from_summary)
		cli_note("%s: summarized with --where \"%s\", which dropped %s rows",
		         tact_csv_display_name(path), shown,
		         tact_format_thousands(a, sizeof a,
		                               summary->rows_excluded_where));
	if (summary->where_unreadable > 0)
		cli_note("%s: of the rows dropped by --where, %s had a cell that is "
		         "not a number where it compares numbers (such a comparison "
		         "is false, as for an empty cell)",
		         tact_csv_display_name(path),
		         tact_format_thousands(b, sizeof b, summary->where_unreadable));
}

static void report_counts(const char *path, const tact_summary *summary,
                          const tact_load_report *report)
{
	char a[32], b[32], c[32], d[32], where[64], missing[512];
	size_t m, g, used = 0;

	if (report->from_summary) {
		cli_note("%s: a summary of %s rows in %zu group%s",
		         tact_csv_display_name(path),
		         tact_format_thousands(a, sizeof a, summary->rows_read),
		         summary->group_count, summary->group_count == 1 ? "" : "s");
		report_where(path, summary, 1);
		return;
	}
	missing[0] = '\0';
	for (m = 0; m < summary->metric_count; m++) {
		int64_t count = 0;
		int n;
		for (g = 0; g < summary->group_count; g++)
			count += summary->groups[g].units - summary->groups[g].metrics[m].n;
		if (count == 0)
			continue;
		n = snprintf(missing + used, sizeof missing - used, "%s%s %s",
		             used ? ", " : "; missing values: ",
		             summary->metrics[m].name, tact_format_thousands(a, sizeof a, count));
		if (n > 0 && (size_t)n < sizeof missing - used)
			used += (size_t)n;
	}
	where[0] = '\0';
	if (summary->where)
		snprintf(where, sizeof where, "%s dropped by --where, ",
		         tact_format_thousands(d, sizeof d,
		                               summary->rows_excluded_where));
	cli_note("%s: %s rows read, %s%s rejected, %s left out for lack of "
	         "consent%s; %zu group%s",
	         tact_csv_display_name(path),
	         tact_format_thousands(a, sizeof a, summary->rows_read), where,
	         tact_format_thousands(b, sizeof b, summary->rows_rejected),
	         tact_format_thousands(c, sizeof c, summary->rows_excluded_consent), missing,
	         summary->group_count, summary->group_count == 1 ? "" : "s");
	report_where(path, summary, 0);
	if (summary->unit_name)
		cli_note("%s: sessions folded into %s units by '%s' (%.1f MB held "
		         "in memory; give --unit '' when rows are already units)",
		         tact_csv_display_name(path),
		         tact_format_thousands(a, sizeof a, report->units), summary->unit_name,
		         (double)report->unit_bytes / 1e6);
}

void cli_note_covariates(const tact_summary *summary)
{
	char n[32];
	size_t m;

	/* Kept under --quiet: the adjusted figures count them as 0. */
	for (m = 0; m < summary->metric_count; m++)
		if (summary->metrics[m].role == TACT_ROLE_COVARIATE &&
		    summary->covariate_missing[m] > 0)
			cli_note("covariate %s: %s unit%s had no value, counted as 0",
			         summary->metrics[m].name,
			         tact_format_thousands(n, sizeof n,
			                               summary->covariate_missing[m]),
			         summary->covariate_missing[m] == 1 ? "" : "s");
}

void cli_note_caps(const char *path, const tact_summary *summary)
{
	char a[32], b[32], text[48], value[TACT_FORMAT_NUMBER_MAX];
	size_t m, g;

	/* Kept under --quiet: the figures that follow are of capped values. */
	for (m = 0; m < summary->metric_count; m++) {
		const tact_cap *cap = &summary->metrics[m].cap;
		int64_t n = 0;
		if (cap->kind == TACT_CAP_NONE)
			continue;
		for (g = 0; g < summary->group_count; g++)
			n += summary->groups[g].metrics[m].n;
		tact_cap_text(cap, text, sizeof text);
		tact_format_number(value, cap->value);
		cli_note("%s: '%s' capped at %s%s%s%s: %s of %s units above it",
		         tact_csv_display_name(path), summary->metrics[m].name, text,
		         cap->kind == TACT_CAP_QUANTILE ? " (" : "",
		         cap->kind == TACT_CAP_QUANTILE ? value : "",
		         cap->kind == TACT_CAP_QUANTILE ? ")" : "",
		         tact_format_thousands(a, sizeof a, cap->touched), tact_format_thousands(b, sizeof b, n));
		if (cap->kind == TACT_CAP_QUANTILE && cap->value <= 0 && cap->touched)
			cli_warn("%s: the %s of '%s' is %s: every value above it became "
			         "%s (most units have none); give a higher percentile or "
			         "an absolute cap", tact_csv_display_name(path), text,
			         summary->metrics[m].name, value, value);
	}
}

/* privacy: name the columns that hold direct identifiers (never a value),
 * even with --quiet: the analyst should drop them from the export. */
static void report_identifiers(const char *path, const tact_load_report *report)
{
	char list[TACT_LOAD_IDENTIFIERS_SHOWN * 140 + 64];
	size_t i, used = 0, shown = report->identifier_count;

	if (shown == 0)
		return;
	if (shown > TACT_LOAD_IDENTIFIERS_SHOWN)
		shown = TACT_LOAD_IDENTIFIERS_SHOWN;
	list[0] = '\0';
	for (i = 0; i < shown; i++) {
		const tact_load_identifier *c = &report->identifiers[i];
		int n = snprintf(list + used, sizeof list - used, "%s'%s' (%s, by %s%s)",
		                 i ? ", " : "", c->name, tact_identifier_kind_text(c->kind),
		                 tact_identifier_reason_text(c->reason),
		                 c->unit ? "; the unit key" : "");
		if (n > 0 && (size_t)n < sizeof list - used)
			used += (size_t)n;
	}
	if (report->identifier_count > shown)
		snprintf(list + used, sizeof list - used, " and %zu more",
		         report->identifier_count - shown);
	cli_warn("%s: %zu column%s hold%s direct identifiers: %s; tact never "
	         "writes them into its outputs (drop them from the export)",
	         tact_csv_display_name(path), report->identifier_count,
	         report->identifier_count == 1 ? "" : "s",
	         report->identifier_count == 1 ? "s" : "", list);
}

int cli_warn_lookalike(const char *path, const char *kind, const char *label,
                       size_t length, size_t *shown)
{
	const char *what = tact_utf8_lookalike(label, length);
	char quoted[200];

	if (!what || *shown >= 3)
		return 0;
	tact_error_quote(label, length, quoted, sizeof quoted);
	cli_warn("%s: %s '%s' holds %s: it prints like another label but is "
	         "counted apart; clean the column",
	         tact_csv_display_name(path), kind, quoted, what);
	(*shown)++;
	return 1;
}

/* The label of group g at dimension d (d == dimensions: the arm). */
static const char *group_label(const tact_summary *summary, size_t g, size_t d)
{
	return d < summary->dimensions ? summary->groups[g].labels[d]
	                               : summary->groups[g].arm;
}

void cli_warn_lookalikes(const char *path, const tact_summary *summary)
{
	size_t g, d, earlier, shown = 0;

	for (g = 0; g < summary->group_count && shown < 3; g++)
		for (d = 0; d <= summary->dimensions && shown < 3; d++) {
			const char *label = group_label(summary, g, d);
			if (!tact_utf8_lookalike(label, strlen(label)))
				continue;
			/* Each label once: not when an earlier group has it. */
			for (earlier = 0; earlier < g; earlier++)
				if (strcmp(group_label(summary, earlier, d), label) == 0)
					break;
			if (earlier < g)
				continue;
			cli_warn_lookalike(path,
			                   d < summary->dimensions ? "segment label" : "arm",
			                   label, strlen(label), &shown);
		}
}

/* A --by column of many distinct numbers makes one segment per number:
 * name the bin syntax (issue 18). */
static void warn_numeric_segments(const char *path, const tact_summary *summary,
                                  const tact_load_options *options)
{
	size_t d, distinct, dimensions = summary->dimensions;

	/* The exposure count as a last dimension (tact-dose) is meant so. */
	if (options->exposure_dimension && dimensions > 0)
		dimensions--;
	for (d = 0; d < dimensions; d++)
		if (!summary->dimension_bins[d] &&
		    tact_summary_dimension_numeric(summary, d, &distinct) &&
		    distinct > 50)
			cli_warn("%s: segment column '%s' holds %zu distinct numbers, "
			         "one segment each: bin them with --by '%s=0,1-9,10-99,"
			         "100-' or --by '%s=quantiles:5'",
			         tact_csv_display_name(path), summary->dimension_names[d],
			         distinct, summary->dimension_names[d],
			         summary->dimension_names[d]);
}

void cli_load(const char *path, tact_load_options *options,
              tact_summary *summary)
{
	tact_load_report report;
	tact_error error;
	size_t i;

	tact_error_init(&error);
	options->csv.progress = cli_progress;
	options->csv.progress_context = NULL;
	if (tact_load(path, options, summary, &report, &error) != TACT_OK)
		cli_fail(&error);
	report_identifiers(path, &report);
	if (!quiet && report.segments_absent)
		cli_note("%s: no column 'intent': analysed without segments (name "
		         "segment columns with --by)", tact_csv_display_name(path));
	for (i = 0; i < report.rejects_shown; i++)
		cli_warn("rejected: %s", report.rejects[i]);
	if (summary->rows_rejected > (int64_t)report.rejects_shown)
		cli_warn("rejected %lld more rows",
		         (long long)(summary->rows_rejected -
		                     (int64_t)report.rejects_shown));
	if (!quiet)
		report_counts(path, summary, &report);
	if (!quiet && report.cap_bytes)
		cli_note("%s: %.1f MB held in memory for the quantile cap (%s)",
		         tact_csv_display_name(path), (double)report.cap_bytes / 1e6,
		         report.cap_two_passes ? "the capped values, from a first "
		         "pass over the file" : report.cap_rows_held ? "every row, "
		         "read once: standard input cannot be read twice" :
		         "a copy of the units' values");
	cli_note_caps(path, summary);
	cli_note_covariates(summary);
	cli_warn_lookalikes(path, summary);
	warn_numeric_segments(path, summary, options);
	/* A warning about the data, not a count: --quiet keeps it. */
	if (summary->units_in_several_arms) {
		char n[32];
		cli_warn("%s: %s units appear in more than one arm (%s): "
		         "randomization may have leaked",
		         tact_csv_display_name(path),
		         tact_format_thousands(n, sizeof n, summary->units_in_several_arms),
		         summary->mixed_units_kept ? "each kept in its first" :
		         "dropped; --mixed-units first keeps each in its first arm");
	}
}

void cli_progress(void *context, uint64_t done, uint64_t total)
{
	static int tty = -1;
	char bar[41];
	int filled, i;

	(void)context;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty || quiet)
		return;
	if (done >= total && total > 0) {
		if (progress_shown)
			fputs("\r\033[K", stderr);
		progress_shown = 0;
		return;
	}
	if ((total ? total : done) < PROGRESS_THRESHOLD)
		return;
	filled = total ? (int)(40.0 * (double)done / (double)total) : 0;
	for (i = 0; i < 40; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[40] = '\0';
	if (total)
		fprintf(stderr, "\r%s: [%s] %3d%% %llu MB", tool_name, bar,
		        (int)(100.0 * (double)done / (double)total),
		        (unsigned long long)(done >> 20));
	else
		fprintf(stderr, "\r%s: %llu MB read", tool_name,
		        (unsigned long long)(done >> 20));
	progress_shown = 1;
}

void cli_output_open(tact_outfile *out, const char *path)
{
	tact_error error;

	tact_error_init(&error);
	if (tact_outfile_open(out, path, &error) != TACT_OK)
		cli_fail(&error);
}

void cli_output_close(tact_outfile *out, tact_status status,
                      tact_error *error)
{
	if (status != TACT_OK) {
		tact_outfile_abort(out);
		cli_fail(error);
	}
	if (tact_outfile_commit(out, error) != TACT_OK)
		cli_fail(error);
}

void cli_outputs_close(tact_outfile *outs, size_t count, tact_status status,
                       tact_error *error)
{
	size_t i;

	if (status != TACT_OK) {
		for (i = 0; i < count; i++)
			tact_outfile_abort(&outs[i]);
		cli_fail(error);
	}
	if (tact_outfile_commit_all(outs, count, error) != TACT_OK)
		cli_fail(error);
}

void cli_check_outputs(const char *const *outputs, size_t output_count,
                       const char *const *inputs, size_t input_count)
{
	size_t i, j;

	for (i = 0; i < output_count; i++) {
		if (!outputs[i])
			continue;
		if (!*outputs[i])
			cli_usage_error("the output file name is empty ('')");
		for (j = 0; j < input_count; j++)
			if (inputs[j] && tact_outfile_same(outputs[i], inputs[j]))
				cli_usage_error("the output '%s' is the input '%s': inputs "
				                "are only ever read, choose another output",
				                outputs[i], inputs[j]);
		for (j = 0; j < i; j++)
			if (outputs[j] && tact_outfile_same(outputs[i], outputs[j]))
				cli_usage_error("the outputs '%s' and '%s' are the same file",
				                outputs[j], outputs[i]);
	}
}

noreturn void cli_exit(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout) | (fclose(stdout) != 0)) {
		int saved = errno;
		fprintf(stderr, "%s: cannot write to standard output: %s\n", tool_name,
		        strerror(saved ? saved : EIO));
		exit(TACT_IOERR);
	}
	exit(status);
}
