/*
 * tact-merge - add summaries of shards into the summary of the whole.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "summaryfile.h"

static const char usage[] =
	"Usage: tact-merge [OPTION]... INPUT...\n"
	"Add the summaries of shards of one experiment into the summary of the\n"
	"whole (counts exactly; sums, spreads and cross-products by the parallel\n"
	"formulas of Chan, Golub and LeVeque).  An INPUT may also be a raw export,\n"
	"summarized on the way with the input options.  - is standard input.\n"
	"All inputs must have the same segment columns, arm column, metrics and\n"
	"roles, control, unit and caps: shard with one absolute cap (--cap\n"
	"spend=500); summaries capped at a percentile do not merge.\n"
	"\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	CLI_INPUT_HELP
	CLI_CAP_HELP
	CLI_COMMON_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data or summaries that do not\n"
	"match, 66 cannot open input, 73 cannot create output, 74 I/O error.\n";

int main(int argc, char **argv)
{
	static const struct option options[] = {
		CLI_OUTPUT_OPTION,
		CLI_INPUT_OPTIONS,
		CLI_CAP_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	cli_options cli;
	tact_summary whole;
	tact_outfile out;
	tact_error error;
	int option, i, stdin_used = 0;

	cli_options_init(&cli, "tact-merge", usage, NULL);
	tact_error_init(&error);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1)
		cli_usage_error("unexpected option");
	if (optind >= argc)
		cli_usage_error("no input: give the summaries to merge");
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0 && stdin_used++)
			cli_usage_error("standard input given twice");
	}

	cli_check_outputs(&cli.output, 1, (const char *const *)argv + optind,
	                  (size_t)(argc - optind));
	tact_summary_init(&whole);
	for (i = optind; i < argc; i++) {
		tact_summary part;

		tact_summary_init(&part);
		cli_load(argv[i], &cli.load, &part);
		if (i == optind) {
			whole = part;
			continue;
		}
		if (tact_summary_merge(&whole, &part, &error) != TACT_OK) {
			tact_error located;
			tact_error_set(&located, error.status,
			               tact_csv_display_name(argv[i]), 0, 0,
			               "cannot merge: %.700s", error.message);
			cli_fail(&located);
		}
		tact_summary_release(&part);
	}
	/* Each input was within range; their sum may not be. */
	if (tact_summary_check_range(&whole, NULL, &error) != TACT_OK)
		cli_fail(&error);
	cli_output_open(&out, cli.output);
	cli_output_close(&out, tact_summaryfile_write(&whole, out.stream, &error),
	                 &error);
	tact_summary_release(&whole);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
