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
	"      --target-features COLS  add \"Whom to personalize for\": the policy\n"
	"                         tact-target learns from these columns (known\n"
	"                         before exposure) and --weights, its tree charted,\n"
	"                         its out-of-fold value; without it, no section\n"
	"      --treatment ARM    the arm the policy targets [the only one besides\n"
	"                         the control]\n"
	"      --depth D, --folds K, --seed S  the policy's tree depth [2], its\n"
	"                         cross-fitting folds [5] and their seed [1]\n"
	CLI_EXPORT_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"69 gnuplot missing, 70 gnuplot or numerical failure, 73 cannot create the\n"
	"folder (or it exists and is not a tact report), 74 input/output error.\n";

enum {
	OPT_WEIGHTS = CLI_FIRST_TOOL_OPTION, OPT_SPLIT, OPT_BINS, OPT_MDE,
	OPT_POWER, OPT_TARGET_FEATURES, OPT_TREATMENT, OPT_DEPTH, OPT_FOLDS,
	OPT_SEED
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

/* The policy's labels (its rules may print them), as tact-target checks
 * them; the arms were checked with the summary. */
static void warn_target_labels(void *input, const tact_target_data *d)
{
	size_t f, l, shown = 0;

	(void)input;
	for (f = 0; f < d->feature_count; f++)
		for (l = 0; l < d->features[f].level_count; l++)
			cli_warn_lookalike(d->file, "label", d->features[f].levels[l],
			                   strlen(d->features[f].levels[l]), &shown);
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
		{"target-features", required_argument, NULL, OPT_TARGET_FEATURES},
		{"treatment", required_argument, NULL, OPT_TREATMENT},
		{"depth", required_argument, NULL, OPT_DEPTH},
		{"folds", required_argument, NULL, OPT_FOLDS},
		{"seed", required_argument, NULL, OPT_SEED},
		CLI_EXPORT_OPTIONS,
	};
	tact_report_options report;
	cli_options cli;
	tact_compare_options compare;
	tact_frontier_options frontier;
	tact_powerplan_options power;
	tact_dose_options dose;
	tact_target_options target;
	tact_names features;
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
	memset(&features, 0, sizeof features);
	tact_target_options_init(&target);
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
		case OPT_TARGET_FEATURES:
			tact_names_release(&features);
			cli_value("target-features",
			          tact_names_parse(&features, optarg, &error), &error);
			break;
		case OPT_TREATMENT: target.treatment = optarg; break;
		case OPT_DEPTH:
			target.depth = (size_t)cli_count_within("depth", optarg, 1,
			                                        TACT_TARGET_MAX_DEPTH);
			break;
		case OPT_FOLDS:
			target.folds = (size_t)cli_count_within("folds", optarg, 2, 100);
			break;
		case OPT_SEED: target.seed = (uint64_t)cli_count("seed", optarg); break;
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
	if (features.count && frontier.weight_count == 0)
		cli_usage_error("--target-features needs --weights (the value the "
		                "policy maximizes)");
	if (!features.count && target.treatment)
		cli_usage_error("--treatment needs --target-features");
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
	if (features.count) {
		/* As tact-target on the same flags: the weights of --weights, the
		 * interval level and --min-cell of the report. */
		target.load = &cli.load;
		target.features = &features;
		target.metrics = frontier.weight_metrics;
		target.weights = frontier.weights;
		target.metric_count = frontier.weight_count;
		target.confidence = compare.confidence;
		target.min_cell = compare.min_cell > 0 ? compare.min_cell : 1;
		report.target = &target;
		report.target_loaded = warn_target_labels;
	}
	report.command = command;
	report.loaded = warn_labels;
	report.loaded_context = (void *)report.input;
	if (tact_report_write(&report, &directory, &error) != TACT_OK)
		cli_fail(&error);
	printf("%s/index.html\n", directory);
	free(directory);
	free(command);
	tact_names_release(&features);
	tact_dose_options_release(&dose);
	tact_frontier_options_release(&frontier);
	tact_powerplan_options_release(&power);
	tact_compare_options_release(&compare);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
