/*
 * tact-frontier - does personalization pay once conversion gains and
 * annoyance costs are weighed, per segment?
 */
#include <stdio.h>

#include "cli.h"
#include "frontier.h"

static const char usage[] =
	"Usage: tact-frontier --weights M=V,... [OPTION]... [INPUT]\n"
	"Weigh conversion gains against annoyance costs per segment: the net value\n"
	"per unit (sum of weight x outcome) in the control and each arm, their\n"
	"difference with its interval from the summary's co-moments, its p-value\n"
	"adjusted within its family (the pooled rows; the segment rows) and a\n"
	"verdict (personalize, hold back, inconclusive) that the interval beside it\n"
	"never contradicts; across segments, Cochran's Q with I2 and the Gail-Simon\n"
	"test of a sign change; the value per 1,000 units of personalizing no one,\n"
	"everyone, or the segments that gain; the break-even weights.  INPUT is an\n"
	"export or a summary; - or nothing is standard input.\n"
	"Columns and methods: tact-frontier(1).\n"
	"\n"
	"      --weights LIST     value of one event: converted=40,bounced=-0.5,\n"
	"                         unsubscribed=-12 (revenue=1 weighs a value metric)\n"
	"      --tests            print the tests and policy values instead (in\n"
	"                         every format)\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	"      --format FORMAT    csv, table or json [csv]\n"
	"      --confidence X     1 - the error rate of the verdicts [0.95]\n"
	"      --correction M     holm, bh (Benjamini-Hochberg) or none, within\n"
	"                         each family [holm]\n"
	"      --min-cell N       suppress groups with fewer units [10]\n"
	"      --ignore-covariance  drop the covariance between outcomes (wrong:\n"
	"                         shows what the co-moments are for)\n"
	"      --sequential       always-valid p-values and intervals (safe to look\n"
	"                         at while the experiment runs)\n"
	"      --tuning N         units at which --sequential is tightest [5000]\n"
	"      --stratify         pooled rows post-stratified over the segments\n"
	;

/* The rest of --help (one literal would pass C99's 4095 characters). */
static const char usage_tail[] =
	CLI_COVARIATE_HELP
	CLI_EXPORT_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"70 numerical failure or a figure that overflows, 73 cannot create output,\n"
	"74 input/output error.\n";

enum {
	OPT_WEIGHTS = CLI_FIRST_TOOL_OPTION, OPT_TESTS, OPT_IGNORE_COVARIANCE,
	OPT_SEQUENTIAL, OPT_TUNING, OPT_STRATIFY
};

/* The table or the tests, in the format chosen (--tests selects the tests
 * and policies in every format). */
static tact_status write(const tact_frontier *frontier, size_t format,
                         int tests, FILE *out, tact_error *error)
{
	enum { CSV, TABLE, JSON };

	if (format == TABLE)
		return tests ? tact_frontier_write_tests_table(frontier, out, error)
		             : tact_frontier_write_table(frontier, out, error);
	if (format == JSON)
		return tests ? tact_frontier_write_tests_json(frontier, out, error)
		             : tact_frontier_write_json(frontier, out, error);
	return tests ? tact_frontier_write_tests(frontier, out, error)
	             : tact_frontier_write_csv(frontier, out, error);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		CLI_OUTPUT_OPTION,
		{"weights", required_argument, NULL, OPT_WEIGHTS},
		{"tests", no_argument, NULL, OPT_TESTS},
		CLI_FORMAT_OPTION,
		CLI_CONFIDENCE_OPTION,
		CLI_CORRECTION_OPTION,
		CLI_MIN_CELL_OPTION,
		{"ignore-covariance", no_argument, NULL, OPT_IGNORE_COVARIANCE},
		{"sequential", no_argument, NULL, OPT_SEQUENTIAL},
		{"tuning", required_argument, NULL, OPT_TUNING},
		{"stratify", no_argument, NULL, OPT_STRATIFY},
		CLI_COVARIATE_OPTION,
		CLI_EXPORT_OPTIONS,
	};
	tact_frontier_options settings;
	cli_options cli;
	tact_frontier frontier;
	tact_summary summary;
	tact_outfile out;
	tact_error error;
	int option, tests = 0, tuning = 0;

	cli_options_init(&cli, "tact-frontier", usage, "csv,table,json");
	cli.usage_tail = usage_tail;
	tact_error_init(&error);
	tact_frontier_options_init(&settings);
	cli_options_settings(&cli, &settings.confidence, &settings.correction,
	                     &settings.min_cell, &settings.privacy);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1) {
		switch (option) {
		case OPT_WEIGHTS:
			cli_value("weights",
			          tact_frontier_parse_weights(&settings, optarg, &error),
			          &error);
			break;
		case OPT_TESTS:
			tests = 1;
			break;
		case OPT_IGNORE_COVARIANCE:
			settings.ignore_covariance = 1;
			break;
		case OPT_SEQUENTIAL:
			settings.sequential = 1;
			break;
		case OPT_TUNING:
			settings.tuning = cli_number("tuning", optarg);
			tuning = 1;
			break;
		case OPT_STRATIFY:
			settings.stratify = 1;
			break;
		default:
			cli_usage_error("unexpected option");
		}
	}
	if (settings.weight_count == 0)
		cli_usage_error("give --weights: the value of one event of each "
		                "outcome, e.g. converted=40,bounced=-0.5,"
		                "unsubscribed=-12");
	if (tuning && !settings.sequential)
		cli_usage_error("--tuning is the tuning of --sequential: give both");
	cli_input(&cli, argc, argv, "one input at a time");

	tact_summary_init(&summary);
	cli_load(cli.input, &cli.load, &summary);
	if (tact_frontier_run(&summary, &settings, &frontier, &error) != TACT_OK)
		cli_fail(&error);
	if (settings.ignore_covariance)
		cli_warn("--ignore-covariance: the intervals below leave out the "
		         "covariance between outcomes and are wrong");
	cli_output_open(&out, cli.output);
	cli_output_close(&out,
	                 write(&frontier, cli.format, tests, out.stream, &error),
	                 &error);
	tact_frontier_release(&frontier);
	tact_summary_release(&summary);
	tact_frontier_options_release(&settings);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
