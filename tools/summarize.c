/*
 * tact-summarize - stream an export once and write its summary.
 */
#include <stdio.h>

#include "cli.h"
#include "summary_write.h"
#include "summaryfile.h"

static const char usage[] =
	"Usage: tact-summarize [OPTION]... [EXPORT]\n"
	"Stream an experiment export once and write its summary: per segment and\n"
	"arm, the unit count, each metric's count, sum and spread, and the\n"
	"cross-products between metrics (see tact-summary(5)).  Every statistics\n"
	"tool reads a summary as it reads the export.\n"
	"With no EXPORT, or when EXPORT is -, read standard input.\n"
	"\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	"      --format FORMAT    csv (the summary) or table (an overview) [csv]\n"
	"      --min-cell N       in the table, hide groups of fewer units [10]\n"
	"      --by-exposures     add the exposure count as a last segment column\n"
	"                         (the summary tact-dose needs)\n"
	CLI_TIME_HELP
	CLI_COVARIATE_HELP
	CLI_EXPORT_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"73 cannot create output, 74 input/output error.\n";

enum { OPT_BY_EXPOSURES = CLI_FIRST_TOOL_OPTION };

int main(int argc, char **argv)
{
	static const struct option options[] = {
		CLI_OUTPUT_OPTION,
		CLI_FORMAT_OPTION,
		CLI_MIN_CELL_OPTION,
		{"by-exposures", no_argument, NULL, OPT_BY_EXPOSURES},
		CLI_TIME_OPTIONS,
		CLI_COVARIATE_OPTION,
		CLI_EXPORT_OPTIONS,
	};
	enum { CSV, TABLE };
	int64_t min_cell = 10;
	tact_privacy_mode privacy = TACT_PRIVACY_TABLES;
	cli_options cli;
	tact_summary summary;
	tact_outfile out;
	tact_error error;
	int option;

	cli_options_init(&cli, "tact-summarize", usage, "csv,table");
	tact_error_init(&error);
	cli_options_settings(&cli, NULL, NULL, &min_cell, &privacy);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1) {
		if (option != OPT_BY_EXPOSURES)
			cli_usage_error("unexpected option");
		cli.load.exposure_dimension = 1;
	}
	cli_input(&cli, argc, argv, "one export at a time (use tact-merge to "
	                            "combine summaries)");

	tact_summary_init(&summary);
	cli_load(cli.input, &cli.load, &summary);
	cli_output_open(&out, cli.output);
	cli_output_close(&out,
	                 cli.format == TABLE
	                         ? tact_summary_write_table(&summary, min_cell,
	                                                    privacy, out.stream,
	                                                    &error)
	                         : tact_summaryfile_write(&summary, out.stream,
	                                                  &error),
	                 &error);
	tact_summary_release(&summary);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
