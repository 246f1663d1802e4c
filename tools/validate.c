/*
 * tact-validate - the data quality of an export, without printing any
 * identifier's value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"
#include "validate.h"

static const char usage[] =
	"Usage: tact-validate [OPTION]... [EXPORT]\n"
	"Report the data quality of an experiment export, read once: per column\n"
	"its type (empty, boolean, integer, number, label, or the kind of direct\n"
	"identifier: email, phone, ip, name, address), missing values, distinct\n"
	"values (exact up to 1000) and role; per numeric column its minimum,\n"
	"quartiles, 99th percentile and maximum (NumPy's linear quantiles, exact\n"
	"up to 65,536 values, beyond from a sample) and its extreme values (above\n"
	"100 times the p99: a hint to --cap); units and sessions per unit; the\n"
	"arms and segments with their units (under --min-cell shown as '<N');\n"
	"consent coverage; the columns holding direct identifiers and why; and\n"
	"the problems, with their first positions.  No value of any cell is\n"
	"printed, except arm and segment labels that identify no one and the\n"
	"spread of numeric columns (never an identifier's).  The role flags are\n"
	"tact-summarize's.  With no EXPORT, or when EXPORT is -, read standard\n"
	"input.\n"
	"\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	"      --format FORMAT    table (to read) or json [table]\n"
	"      --min-cell N       unit counts under N are shown as '<N' [10]\n"
	CLI_INPUT_HELP
	CLI_PRIVACY_HELP
	"      --help             show this help and exit\n"
	"      --version          show the version and exit\n"
	"\n"
	"Exit status: 0 the export is clean (warnings allowed), 65 it has errors\n"
	"that would stop tact-summarize (with the same flags), 64 usage, 66\n"
	"cannot open input, 73 cannot create output, 74 input/output error.\n";

enum { OPT_FORMAT = CLI_FIRST_TOOL_OPTION, OPT_MIN_CELL };

/* The labels it prints that print like others (issue 15): arms first. */
static void warn_lookalikes(const char *input, const tact_validate *v)
{
	size_t k, i, shown = 0;

	for (k = 0; k <= v->map.dimensions; k++) {
		const tact_validate_labels *l = k == 0 ? &v->arms : &v->segments[k - 1];
		if (l->hidden)
			continue;
		for (i = 0; i < l->labels.count; i++) {
			size_t length;
			const char *key = tact_keymap_key(&l->labels, i, &length);
			cli_warn_lookalike(input, k == 0 ? "arm" : "segment label", key,
			                   length, &shown);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"min-cell", required_argument, NULL, OPT_MIN_CELL},
		CLI_INPUT_OPTIONS,
		CLI_PRIVACY_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *input = "-";
	int json = 0, option;
	long min_cell = 10;
	tact_privacy_mode privacy = TACT_PRIVACY_TABLES;
	tact_load_options load;
	tact_validate report;
	tact_outfile out;
	tact_error error;
	tact_status status;

	cli_init("tact-validate");
	tact_error_init(&error);
	if (tact_load_options_init(&load, &error) != TACT_OK)
		cli_fail(&error);
	while ((option = cli_getopt(argc, argv, "o:", options)) != -1) {
		if (cli_input_option(&load, option, optarg))
			continue;
		switch (option) {
		case 'o':
			output = optarg;
			break;
		case OPT_FORMAT:
			json = strcmp(cli_choice("format", optarg, "table,json"),
			              "json") == 0;
			break;
		case CLI_PRIVACY:
			privacy = cli_privacy(optarg);
			break;
		case OPT_MIN_CELL:
			min_cell = (long)cli_count("min-cell", optarg);
			break;
		case CLI_HELP:
			cli_help(usage);
		case CLI_VERSION:
			cli_version();
		default:
			cli_usage_error("unexpected option");
		}
	}
	if (argc - optind > 1)
		cli_usage_error("one export at a time");
	if (optind < argc)
		input = argv[optind];
	cli_check_outputs(&output, 1, &input, 1);

	load.csv.progress = cli_progress;
	if (tact_validate_run(input, &load, min_cell, &report, &error) != TACT_OK ||
	    (privacy != TACT_PRIVACY_TABLES &&
	     tact_validate_suppress(&report, privacy, &error) != TACT_OK))
		cli_fail(&error);
	warn_lookalikes(input, &report);
	cli_output_open(&out, output);
	status = json ? tact_validate_write_json(&report, out.stream, &error)
	              : tact_validate_write_table(&report, out.stream, &error);
	cli_output_close(&out, status, &error);
	if (!cli_quiet() && report.errors)
		cli_note("%s: %zu error%s: tact-summarize would stop on this export",
		         tact_csv_display_name(input), report.errors,
		         report.errors == 1 ? "" : "s");
	status = report.errors ? TACT_DATA : TACT_OK;
	tact_validate_release(&report);
	tact_load_options_release(&load);
	cli_exit(status);
}
