/*
 * tact-validate - the data quality of an export, without printing any
 * identifier's value.
 */
#include <stdio.h>

#include "cli.h"
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
	CLI_WHERE_HELP
	CLI_PRIVACY_HELP
	CLI_COMMON_HELP
	"\n"
	"Exit status: 0 the export is clean (warnings allowed), 65 it has errors\n"
	"that would stop tact-summarize (with the same flags), 64 usage, 66\n"
	"cannot open input, 73 cannot create output, 74 input/output error.\n";

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
		CLI_OUTPUT_OPTION,
		CLI_FORMAT_OPTION,
		CLI_MIN_CELL_OPTION,
		CLI_INPUT_OPTIONS,
		CLI_WHERE_OPTION,
		CLI_PRIVACY_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	enum { TABLE, JSON };
	int64_t min_cell = 10;
	tact_privacy_mode privacy = TACT_PRIVACY_TABLES;
	cli_options cli;
	tact_validate report;
	tact_outfile out;
	tact_error error;
	tact_status status;
	int option;

	cli_options_init(&cli, "tact-validate", usage, "table,json");
	tact_error_init(&error);
	cli_options_settings(&cli, NULL, NULL, &min_cell, &privacy);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1)
		cli_usage_error("unexpected option");
	cli_input(&cli, argc, argv, "one export at a time");

	cli.load.csv.progress = cli_progress;
	if (tact_validate_run(cli.input, &cli.load, (long)min_cell, &report,
	                      &error) != TACT_OK ||
	    (privacy != TACT_PRIVACY_TABLES &&
	     tact_validate_suppress(&report, privacy, &error) != TACT_OK))
		cli_fail(&error);
	warn_lookalikes(cli.input, &report);
	cli_output_open(&out, cli.output);
	cli_output_close(&out,
	                 cli.format == JSON
	                         ? tact_validate_write_json(&report, out.stream, &error)
	                         : tact_validate_write_table(&report, out.stream, &error),
	                 &error);
	if (!cli_quiet() && report.errors)
		cli_note("%s: %zu error%s: tact-summarize would stop on this export",
		         tact_csv_display_name(cli.input), report.errors,
		         report.errors == 1 ? "" : "s");
	status = report.errors ? TACT_DATA : TACT_OK;
	tact_validate_release(&report);
	cli_options_release(&cli);
	cli_exit(status);
}
