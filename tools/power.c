/*
 * tact-power - sample size and minimum detectable effect, planned or per
 * segment of an experiment.
 */
#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "powerplan.h"

static const char usage[] =
	"Usage: tact-power --baseline RATE (--mde X | --n N) [OPTION]...\n"
	"       tact-power --mean M --sd S (--mde X | --n N) [OPTION]...\n"
	"       tact-power [OPTION]... [INPUT]\n"
	"Plan an experiment: the units per arm needed to detect an effect of --mde\n"
	"on a rate (--baseline) or a mean (--mean, --sd), or the effect detectable\n"
	"with --n units in the control.  Or, from an export or summary, what each\n"
	"segment can detect with its current size, and whether it has the units\n"
	"to detect the effect that matters (--mde; without it, a relative 5% on\n"
	"the first goal metric).  Two-sided normal test; effect sizes Cohen's h\n"
	"(rates) and d (means), as statsmodels' NormalIndPower (see tact-power(1)).\n"
	"\n"
	"      --baseline RATE    the control's rate (0 to 1)\n"
	"      --mean M --sd S    the control's mean and standard deviation\n"
	"      --mde X            the effect to detect: relative, 5% or 0.05 (the\n"
	"                         arm 5% above the control), or absolute with\n"
	"                         'abs' (0.01abs = one point of a rate); per\n"
	"                         segment also METRIC=X, repeatable\n"
	"      --relative         accepted for old scripts: --mde is relative\n"
	"      --n N              units in the control: print the detectable effect\n"
	"      --ratio R          units in the arm per unit in the control [1]\n"
	"      --power P          chance to detect the effect [0.8]\n"
	"      --confidence X     1 - the two-sided level [0.95]\n"
	"      --min-cell N       per segment: suppress groups of fewer units [10]\n"
	"      --format FORMAT    csv, table or json [csv]\n"
	"  -o, --output FILE      write to FILE [stdout]\n"
	CLI_EXPORT_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"70 a figure that overflows, 73 cannot create output, 74 input/output\n"
	"error.\n";

enum { CSV, TABLE, JSON }; /* --format, in the order of cli_options_init's */

enum {
	OPT_BASELINE = CLI_FIRST_TOOL_OPTION, OPT_MEAN, OPT_SD, OPT_MDE,
	OPT_RELATIVE, OPT_N, OPT_RATIO, OPT_POWER
};

/* Planning: the one --mde (without METRIC=) or --n, into a design. */
static void plan(cli_options *cli, const tact_powerplan_options *settings,
                 double mean, tact_powerplan_design *design, int inputs)
{
	tact_outfile out;
	tact_error error;

	tact_error_init(&error);
	if (settings->target_count > 1 ||
	    (settings->target_count == 1 && settings->targets[0].metric))
		cli_usage_error("planning takes one --mde, without METRIC=");
	if (settings->target_count == 1) {
		design->mde = settings->targets[0].effect;
		design->kind = settings->targets[0].kind;
	}
	if (!isnan(design->baseline) && !isnan(mean))
		cli_usage_error("give --baseline (a rate) or --mean (a mean), not both");
	if (!isnan(mean) && isnan(design->sd))
		cli_usage_error("--mean needs --sd");
	if (isnan(design->mde) == isnan(design->n))
		cli_usage_error("give --mde (for a sample size) or --n (for the "
		                "detectable effect)");
	if (inputs)
		cli_usage_error("planning takes no input file");
	design->rate = !isnan(design->baseline);
	if (!design->rate)
		design->baseline = mean;
	design->power = settings->power;
	design->confidence = settings->confidence;
	cli_output_open(&out, cli->output);
	cli_output_close(
		&out,
		cli->format == TABLE  ? tact_powerplan_design_write_table(design, out.stream,
		                                                          &error)
		: cli->format == JSON ? tact_powerplan_design_write_json(design, out.stream,
		                                                         &error)
		                      : tact_powerplan_design_write_csv(design, out.stream,
		                                                        &error),
		&error);
}

/* Per segment: what each segment of the input can detect. */
static void segments(cli_options *cli, const tact_powerplan_options *settings)
{
	tact_summary summary;
	tact_powerplan result;
	tact_outfile out;
	tact_error error;
	tact_status status;

	tact_error_init(&error);
	tact_summary_init(&summary);
	cli_load(cli->input, &cli->load, &summary);
	status = tact_powerplan_run(&summary, settings, &result, &error);
	if (status != TACT_OK)
		cli_fail(&error);
	cli_output_open(&out, cli->output);
	cli_output_close(
		&out,
		cli->format == TABLE  ? tact_powerplan_write_table(&result, out.stream, &error)
		: cli->format == JSON ? tact_powerplan_write_json(&result, out.stream, &error)
		                      : tact_powerplan_write_csv(&result, out.stream, &error),
		&error);
	tact_powerplan_release(&result);
	tact_summary_release(&summary);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		CLI_OUTPUT_OPTION,
		CLI_FORMAT_OPTION,
		{"baseline", required_argument, NULL, OPT_BASELINE},
		{"mean", required_argument, NULL, OPT_MEAN},
		{"sd", required_argument, NULL, OPT_SD},
		{"mde", required_argument, NULL, OPT_MDE},
		{"relative", no_argument, NULL, OPT_RELATIVE},
		{"n", required_argument, NULL, OPT_N},
		{"ratio", required_argument, NULL, OPT_RATIO},
		{"power", required_argument, NULL, OPT_POWER},
		CLI_CONFIDENCE_OPTION,
		CLI_MIN_CELL_OPTION,
		CLI_EXPORT_OPTIONS,
	};
	tact_powerplan_design design = {0, NAN, NAN, NAN, TACT_POWER_RELATIVE, NAN,
	                                1, 0, 0};
	double mean = NAN;
	int relative = 0, option;
	tact_powerplan_options settings;
	cli_options cli;
	tact_error error;

	cli_options_init(&cli, "tact-power", usage, "csv,table,json");
	tact_error_init(&error);
	tact_powerplan_options_init(&settings);
	cli_options_settings(&cli, &settings.confidence, NULL,
	                     &settings.min_cell, &settings.privacy);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1) {
		switch (option) {
		case OPT_BASELINE: design.baseline = cli_number("baseline", optarg); break;
		case OPT_MEAN: mean = cli_number("mean", optarg); break;
		case OPT_SD: design.sd = cli_number("sd", optarg); break;
		case OPT_MDE:
			cli_value("mde", tact_powerplan_parse_mde(&settings, optarg, &error),
			          &error);
			break;
		case OPT_RELATIVE: relative = 1; break;
		case OPT_N: design.n = cli_number("n", optarg); break;
		case OPT_RATIO: design.ratio = cli_number("ratio", optarg); break;
		case OPT_POWER: settings.power = cli_level("power", optarg); break;
		default: cli_usage_error("unexpected option");
		}
	}
	for (size_t i = 0; i < settings.target_count; i++)
		if (relative && settings.targets[i].kind == TACT_POWER_ABSOLUTE)
			cli_usage_error("--relative contradicts an absolute --mde");
	if (!isnan(design.baseline) || !isnan(mean)) {
		if (optind < argc)
			cli.input = argv[optind];
		cli_check_outputs(&cli.output, 1, &cli.input, 1);
		plan(&cli, &settings, mean, &design, optind < argc);
	} else {
		if (!isnan(design.n))
			cli_usage_error("--n needs --baseline or --mean");
		cli_input(&cli, argc, argv, "one input at a time");
		segments(&cli, &settings);
	}
	tact_powerplan_options_release(&settings);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
