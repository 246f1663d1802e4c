/*
 * tact-report - the whole analysis of one export into a report folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "report.h"

static const char usage[] =
	"Usage: tact-report [OPTION]... EXPORT\n"
	"Analyse an export and write a report folder: index.html (self-contained:\n"
	"charts inline, nothing fetched from a network; prints well), the CSV\n"
	"tables and PNG and SVG copies of the charts.  Sections: what to do per\n"
	"segment, data quality, the sample-ratio check, results per segment, the\n"
	"trade-off and policy value (with --weights), exposure frequency (with an\n"
	"exposure column), power, methods, and this command.  The folder appears\n"
	"whole or not at all; a previous report there is replaced, a folder holding\n"
	"anything tact did not write is refused.  Prints the path of the page.\n"
	"\n"
	"  -o, --output DIR       the report folder [reports/<export name>]\n"
	"      --weights LIST     value of one event: converted=40,bounced=-0.5,\n"
	"                         unsubscribed=-12 (the trade-off and the cap)\n"
	"      --confidence X     interval level [0.95]\n"
	"      --correction M     holm, bh or none [holm]\n"
	"      --min-cell N       suppress figures of fewer units [10]\n"
	"      --split W,W,...    planned split for the sample-ratio check [equal]\n"
	"      --bins SPEC        exposure bins, e.g. 0,1,2,3-5,6-10,11- [quantiles:5]\n"
	"      --mde X            the effect that matters, for the power section:\n"
	"                         5% or 0.05 relative, 0.01abs absolute, for every\n"
	"                         metric or as METRIC=X (repeatable) [5% on the\n"
	"                         first goal metric]\n"
	"      --power P          chance to detect it [0.8]\n"
	CLI_EXPORT_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"69 gnuplot missing, 70 gnuplot or numerical failure, 73 cannot create the\n"
	"folder (or it exists and is not a tact report), 74 input/output error.\n";

enum {
	OPT_WEIGHTS = CLI_FIRST_TOOL_OPTION, OPT_SPLIT, OPT_BINS, OPT_MDE,
	OPT_POWER
};

/* The command line as typed, each argument quoted when it needs it. */
static char *command_line(int argc, char **argv)
{
	size_t size = 1, i;
	char *text, *at;

	for (i = 0; i < (size_t)argc; i++)
		size += 2 * strlen(argv[i]) + 3;
	text = malloc(size);
	if (!text)
		return NULL;
	at = text;
	for (i = 0; i < (size_t)argc; i++) {
		const char *a = i == 0 ? "tact-report" : argv[i];
		int plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
		                            "QRSTUVWXYZ0123456789-_=.,/:+") == strlen(a);
		if (i)
			*at++ = ' ';
		if (plain) {
			strcpy(at, a);
			at += strlen(a);
			continue;
		}
		*at++ = '\'';
		for (; *a; a++) {
			if (*a == '\'') {
				memcpy(at, "'\\''", 4);
				at += 4;
			} else {
				*at++ = *a;
			}
		}
		*at++ = '\'';
	}
	*at = '\0';
	return text;
}

/* Labels that print like others: warned about as by every tool. */
static void warn_labels(void *input, const tact_summary *summary)
{
	cli_warn_lookalikes(input, summary);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		CLI_OUTPUT_OPTION,
		{"weights", required_argument, NULL, OPT_WEIGHTS},
		CLI_CONFIDENCE_OPTION,
		CLI_CORRECTION_OPTION,
		CLI_MIN_CELL_OPTION,
		{"split", required_argument, NULL, OPT_SPLIT},
		{"bins", required_argument, NULL, OPT_BINS},
		{"mde", required_argument, NULL, OPT_MDE},
		{"power", required_argument, NULL, OPT_POWER},
		CLI_EXPORT_OPTIONS,
	};
	tact_report_options report;
	cli_options cli;
	tact_compare_options compare;
	tact_frontier_options frontier;
	tact_powerplan_options power;
	tact_dose_options dose;
	tact_error error;
	char *directory, *command;
	int option;

	cli_options_init(&cli, "tact-report", usage, NULL);
	/* The folder's CSV files are meant for spreadsheets: always safe from
	 * formula injection (format.h). */
	tact_format_set_safe_csv(1);
	tact_error_init(&error);
	tact_compare_options_init(&compare);
	tact_frontier_options_init(&frontier);
	tact_powerplan_options_init(&power);
	if (tact_dose_options_init(&dose, &error) != TACT_OK)
		cli_fail(&error);
	/* Read into compare's settings, copied to the others below. */
	cli_options_settings(&cli, &compare.confidence, &compare.correction,
	                     &compare.min_cell, &compare.privacy);
	memset(&report, 0, sizeof report);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1) {
		switch (option) {
		case OPT_WEIGHTS:
			cli_value("weights",
			          tact_frontier_parse_weights(&frontier, optarg, &error),
			          &error);
			break;
		case OPT_SPLIT:
			cli_value("split",
			          tact_compare_parse_split(&compare, optarg, &error), &error);
			break;
		case OPT_BINS:
			cli_value("bins", tact_dose_parse_bins(&dose, optarg, &error),
			          &error);
			break;
		case OPT_MDE:
			cli_value("mde", tact_powerplan_parse_mde(&power, optarg, &error),
			          &error);
			break;
		case OPT_POWER:
			power.power = cli_level("power", optarg);
			break;
		default:
			cli_usage_error("unexpected option");
		}
	}
	frontier.confidence = power.confidence = dose.confidence =
		compare.confidence;
	frontier.min_cell = power.min_cell = dose.min_cell = compare.min_cell;
	frontier.privacy = power.privacy = compare.privacy;
	if (argc - optind != 1)
		cli_usage_error("give one export to report on");
	command = command_line(argc, argv);
	cli.load.csv.progress = cli_progress;
	report.input = argv[optind];
	report.directory = cli.output;
	cli_check_outputs(&report.directory, 1, &report.input, 1);
	report.load = &cli.load;
	report.compare = &compare;
	report.frontier = &frontier;
	report.power = &power;
	report.dose = &dose;
	report.command = command;
	report.loaded = warn_labels;
	report.loaded_context = (void *)report.input;
	if (tact_report_write(&report, &directory, &error) != TACT_OK)
		cli_fail(&error);
	printf("%s/index.html\n", directory);
	free(directory);
	free(command);
	tact_dose_options_release(&dose);
	tact_frontier_options_release(&frontier);
	tact_powerplan_options_release(&power);
	tact_compare_options_release(&compare);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
