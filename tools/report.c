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
	"      --sequential, --tuning N, --stratify  as in tact-compare(1)\n"
	"      --bins SPEC        exposure bins, e.g. 0,1,2,3-5,6-10,11- [quantiles:5]\n"
	"      --mde X            the effect that matters (power): 5% or 0.05\n"
	"                         relative, 0.01abs absolute, or METRIC=X [5%]\n"
	"      --power P          chance to detect it [0.8]\n"
	"      --target-features COLS  add the policy tact-target learns from\n"
	"                         COLS and --weights: its tree, its value\n"
	"      --treatment ARM    the arm the policy targets [the only other]\n"
	"      --depth D, --folds K, --seed S  the policy's tree depth [2], its\n"
	"                         cross-fitting folds [5] and their seed [1]\n"
	"      --time COL, --period day|week  each row's date: the effect over time\n"
	"      --covariate M=COL  CUPED: adjust M by pre-experiment column COL\n"
	;

/* The rest of --help (one literal would pass C99's 4095 characters). */
static const char usage_tail[] =
	CLI_EXPORT_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"69 gnuplot missing, 70 gnuplot or numerical failure, 73 cannot create the\n"
	"folder (or it exists and is not a tact report), 74 input/output error.\n";

enum {
	OPT_WEIGHTS = CLI_FIRST_TOOL_OPTION, OPT_SPLIT, OPT_BINS, OPT_MDE,
	OPT_POWER, OPT_TARGET_FEATURES, OPT_TREATMENT, OPT_DEPTH, OPT_FOLDS,
	OPT_SEED, OPT_SEQUENTIAL, OPT_TUNING, OPT_STRATIFY
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

/* After loading: labels that print like others, warned about as by every
 * tool, and the note every tool gives when the default segment column is
 * absent.  context is the tool's settings (main). */
static void after_load(void *context, const tact_summary *summary)
{
	const tact_report_options *report = context;
	const tact_load_options *load = report->load;

	cli_warn_lookalikes(report->input, summary);
	cli_note_covariates(summary);
	if (!cli_quiet() && !load->roles.by_set && summary->dimensions == 0)
		cli_note("%s: no column 'intent': analysed without segments (name "
		         "segment columns with --by)",
		         tact_csv_display_name(report->input));
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

/* Everything the command line sets. */
typedef struct settings {
	tact_report_options report;
	cli_options cli;
	tact_compare_options compare;
	tact_frontier_options frontier;
	tact_powerplan_options power;
	tact_dose_options dose;
	tact_target_options target;
	tact_names features;
	int tuning_set;        /* --tuning given (it needs --sequential) */
} settings;

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
	{"sequential", no_argument, NULL, OPT_SEQUENTIAL},
	{"tuning", required_argument, NULL, OPT_TUNING},
	{"stratify", no_argument, NULL, OPT_STRATIFY},
	CLI_TIME_OPTIONS,
	CLI_COVARIATE_OPTION,
	CLI_EXPORT_OPTIONS,
};

static void init(settings *s)
{
	tact_error error;

	memset(s, 0, sizeof *s);
	cli_options_init(&s->cli, "tact-report", usage, NULL);
	s->cli.usage_tail = usage_tail;
	/* The folder's CSV files are meant for spreadsheets: always safe from
	 * formula injection (format.h). */
	tact_format_set_safe_csv(1);
	tact_error_init(&error);
	tact_compare_options_init(&s->compare);
	tact_frontier_options_init(&s->frontier);
	tact_powerplan_options_init(&s->power);
	if (tact_dose_options_init(&s->dose, &error) != TACT_OK)
		cli_fail(&error);
	/* Read into compare's settings, copied to the others below. */
	cli_options_settings(&s->cli, &s->compare.confidence,
	                     &s->compare.correction, &s->compare.min_cell,
	                     &s->compare.privacy);
	tact_target_options_init(&s->target);
}

/* One of the tool's own options. */
static void own_option(settings *s, int option, const char *argument)
{
	tact_error error;

	tact_error_init(&error);
	switch (option) {
	case OPT_WEIGHTS:
		cli_value("weights",
		          tact_frontier_parse_weights(&s->frontier, argument, &error),
		          &error);
		break;
	case OPT_SPLIT:
		cli_value("split",
		          tact_compare_parse_split(&s->compare, argument, &error),
		          &error);
		break;
	case OPT_BINS:
		cli_value("bins", tact_dose_parse_bins(&s->dose, argument, &error),
		          &error);
		break;
	case OPT_MDE:
		cli_value("mde", tact_powerplan_parse_mde(&s->power, argument, &error),
		          &error);
		break;
	case OPT_POWER:
		s->power.power = cli_level("power", argument);
		break;
	case OPT_TARGET_FEATURES:
		tact_names_release(&s->features);
		cli_value("target-features",
		          tact_names_parse(&s->features, argument, &error), &error);
		break;
	case OPT_TREATMENT: s->target.treatment = argument; break;
	case OPT_DEPTH:
		s->target.depth = (size_t)cli_count_within("depth", argument, 1,
		                                           TACT_TARGET_MAX_DEPTH);
		break;
	case OPT_FOLDS:
		s->target.folds = (size_t)cli_count_within("folds", argument, 2, 100);
		break;
	case OPT_SEED: s->target.seed = (uint64_t)cli_count("seed", argument); break;
	case OPT_SEQUENTIAL: s->compare.sequential = 1; break;
	case OPT_TUNING:
		s->compare.tuning = cli_number("tuning", argument);
		s->tuning_set = 1;
		break;
	case OPT_STRATIFY: s->compare.stratify = 1; break;
	default:
		cli_usage_error("unexpected option");
	}
}

/* The shared settings copied from compare's to the other analyses, and
 * the checks that need every option. */
static void settle(settings *s, int argc)
{
	s->frontier.confidence = s->power.confidence = s->dose.confidence =
		s->compare.confidence;
	s->frontier.min_cell = s->power.min_cell = s->dose.min_cell =
		s->compare.min_cell;
	s->frontier.privacy = s->power.privacy = s->compare.privacy;
	s->frontier.sequential = s->compare.sequential;
	s->frontier.tuning = s->compare.tuning;
	s->frontier.stratify = s->compare.stratify;
	if (argc - optind != 1)
		cli_usage_error("give one export to report on");
	if (s->features.count && s->frontier.weight_count == 0)
		cli_usage_error("--target-features needs --weights (the value the "
		                "policy maximizes)");
	if (!s->features.count && s->target.treatment)
		cli_usage_error("--treatment needs --target-features");
	if (s->tuning_set && !s->compare.sequential)
		cli_usage_error("--tuning is the tuning of --sequential: give both");
}

/* The report's options pointing at the analyses' settings. */
static void wire(settings *s, const char *input, char *command)
{
	tact_report_options *report = &s->report;

	s->cli.load.csv.progress = cli_progress;
	report->input = input;
	report->directory = s->cli.output;
	cli_check_outputs(&report->directory, 1, &report->input, 1);
	report->load = &s->cli.load;
	report->compare = &s->compare;
	report->frontier = &s->frontier;
	report->power = &s->power;
	report->dose = &s->dose;
	if (s->features.count) {
		/* As tact-target on the same flags: the weights of --weights, the
		 * interval level and --min-cell of the report. */
		s->target.load = &s->cli.load;
		s->target.features = &s->features;
		s->target.metrics = s->frontier.weight_metrics;
		s->target.weights = s->frontier.weights;
		s->target.metric_count = s->frontier.weight_count;
		s->target.confidence = s->compare.confidence;
		s->target.min_cell = s->compare.min_cell > 0 ? s->compare.min_cell : 1;
		report->target = &s->target;
		report->target_loaded = warn_target_labels;
	}
	report->command = command;
	report->loaded = after_load;
	report->loaded_context = report;
}

int main(int argc, char **argv)
{
	static settings s;
	tact_error error;
	char *directory, *command;
	int option;

	init(&s);
	tact_error_init(&error);
	while ((option = cli_next(&s.cli, argc, argv, "o:", options)) != -1)
		own_option(&s, option, optarg);
	settle(&s, argc);
	command = command_line(argc, argv);
	wire(&s, argv[optind], command);
	if (tact_report_write(&s.report, &directory, &error) != TACT_OK)
		cli_fail(&error);
	printf("%s/index.html\n", directory);
	free(directory);
	free(command);
	tact_names_release(&s.features);
	tact_dose_options_release(&s.dose);
	tact_frontier_options_release(&s.frontier);
	tact_powerplan_options_release(&s.power);
	tact_compare_options_release(&s.compare);
	cli_options_release(&s.cli);
	cli_exit(TACT_OK);
}
