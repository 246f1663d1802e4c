/*
 * tact-power - sample size and minimum detectable effect, planned or per
 * segment of an experiment.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "parse.h"
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
	"  -o, --output FILE      write to FILE [stdout]\n"
	CLI_INPUT_HELP
	CLI_CAP_HELP
	CLI_PRIVACY_HELP
	"      --help             show this help and exit\n"
	"      --version          show the version and exit\n"
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"70 a figure that overflows, 73 cannot create output, 74 input/output\n"
	"error.\n";

enum {
	OPT_BASELINE = CLI_FIRST_TOOL_OPTION, OPT_MEAN, OPT_SD, OPT_MDE,
	OPT_RELATIVE, OPT_N, OPT_RATIO, OPT_POWER, OPT_CONFIDENCE, OPT_MIN_CELL
};

static double number(const char *name, const char *text)
{
	double value;

	if (tact_parse_number(text, strlen(text), 0, &value) != 0)
		cli_usage_error("--%s must be a number, got '%s'", name, text);
	return value;
}

/* The planning mode: one line of CSV. */
static void plan(FILE *out, double baseline, double mean, double sd,
                 double mde, tact_power_effect kind, double n, double ratio,
                 double power, double confidence)
{
	const int rate = !isnan(baseline);
	double n_control = NAN, n_arm = NAN, absolute = NAN, relative = NAN;
	tact_error error;
	tact_status status;

	tact_error_init(&error);
	if (!isnan(mde))
		status = rate ? tact_power_proportions_sample_size(
		                        baseline, mde, kind, 1 - confidence, power, ratio,
		                        &n_control, &n_arm, &error)
		              : tact_power_means_sample_size(mean, sd, mde, kind,
		                                             1 - confidence, power,
		                                             ratio, &n_control, &n_arm,
		                                             &error);
	else
		status = rate ? tact_power_proportions_mde(baseline, n, 1 - confidence,
		                                           power, ratio,
		                                           TACT_POWER_INCREASE, &absolute,
		                                           &relative, &error)
		              : tact_power_means_mde(mean, sd, n, 1 - confidence, power,
		                                     ratio, &absolute, &relative, &error);
	if (status == TACT_DATA)
		error.status = status = TACT_USAGE; /* the figures came from flags */
	if (status != TACT_OK)
		cli_fail(&error);
	if (!isnan(mde)) {
		absolute = kind == TACT_POWER_ABSOLUTE ? mde : mde * (rate ? baseline : mean);
		relative = kind == TACT_POWER_RELATIVE ? mde
		           : (rate ? baseline : mean) != 0 ? mde / (rate ? baseline : mean)
		                                            : NAN;
		n = n_control;
	} else {
		n_control = n;
		n_arm = n * ratio;
	}
	fputs("kind,baseline,sd,mde_absolute,mde_relative,alpha,power,ratio,"
	      "n_control,n_arm,n_control_rounded,n_arm_rounded\n", out);
	fprintf(out, "%s,", rate ? "rate" : "mean");
	tact_format_csv_number(out, rate ? baseline : mean);
	putc(',', out);
	tact_format_csv_number(out, rate ? NAN : sd);
	putc(',', out);
	tact_format_csv_number(out, absolute);
	putc(',', out);
	tact_format_csv_number(out, relative);
	putc(',', out);
	/* 1 - 0.95 is 0.050000000000000044 in binary: show the level typed. */
	tact_format_csv_number(out, nearbyint((1 - confidence) * 1e12) / 1e12);
	putc(',', out);
	tact_format_csv_number(out, power);
	putc(',', out);
	tact_format_csv_number(out, ratio);
	putc(',', out);
	tact_format_csv_number(out, n_control);
	putc(',', out);
	tact_format_csv_number(out, n_arm);
	putc(',', out);
	tact_format_csv_number(out, ceil(n_control));
	putc(',', out);
	tact_format_csv_number(out, ceil(n_arm));
	putc('\n', out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"baseline", required_argument, NULL, OPT_BASELINE},
		{"mean", required_argument, NULL, OPT_MEAN},
		{"sd", required_argument, NULL, OPT_SD},
		{"mde", required_argument, NULL, OPT_MDE},
		{"relative", no_argument, NULL, OPT_RELATIVE},
		{"n", required_argument, NULL, OPT_N},
		{"ratio", required_argument, NULL, OPT_RATIO},
		{"power", required_argument, NULL, OPT_POWER},
		{"confidence", required_argument, NULL, OPT_CONFIDENCE},
		{"min-cell", required_argument, NULL, OPT_MIN_CELL},
		CLI_INPUT_OPTIONS,
		CLI_CAP_OPTION,
		CLI_PRIVACY_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	double baseline = NAN, mean = NAN, sd = NAN, mde = NAN, n = NAN, ratio = 1;
	tact_power_effect kind = TACT_POWER_RELATIVE;
	int relative = 0;
	tact_powerplan_options settings;
	const char *output = NULL, *input = "-";
	tact_load_options load;
	tact_outfile out;
	tact_error error;
	int option;

	cli_init("tact-power");
	tact_error_init(&error);
	tact_powerplan_options_init(&settings);
	if (tact_load_options_init(&load, &error) != TACT_OK)
		cli_fail(&error);
	while ((option = cli_getopt(argc, argv, "o:", options)) != -1) {
		if (cli_input_option(&load, option, optarg))
			continue;
		switch (option) {
		case 'o': output = optarg; break;
		case OPT_BASELINE: baseline = number("baseline", optarg); break;
		case OPT_MEAN: mean = number("mean", optarg); break;
		case OPT_SD: sd = number("sd", optarg); break;
		case OPT_MDE:
			if (tact_powerplan_parse_mde(&settings, optarg, &error))
				cli_usage_error("%s", error.message);
			break;
		case OPT_RELATIVE: relative = 1; break;
		case OPT_N: n = number("n", optarg); break;
		case OPT_RATIO: ratio = number("ratio", optarg); break;
		case OPT_POWER: settings.power = number("power", optarg); break;
		case OPT_CONFIDENCE:
			settings.confidence = number("confidence", optarg);
			break;
		case CLI_PRIVACY:
			settings.privacy = cli_privacy(optarg);
			break;
		case OPT_MIN_CELL:
			settings.min_cell = (int64_t)number("min-cell", optarg);
			break;
		case CLI_HELP: cli_help(usage);
		case CLI_VERSION: cli_version();
		default: cli_usage_error("unexpected option");
		}
	}
	if (!(settings.confidence > 0 && settings.confidence < 1))
		cli_usage_error("--confidence must lie between 0 and 1");
	if (optind < argc)
		input = argv[optind];
	cli_check_outputs(&output, 1, &input, 1);
	for (size_t i = 0; i < settings.target_count; i++)
		if (relative && settings.targets[i].kind == TACT_POWER_ABSOLUTE)
			cli_usage_error("--relative contradicts an absolute --mde");
	if (!isnan(baseline) || !isnan(mean)) {
		if (settings.target_count > 1 ||
		    (settings.target_count == 1 && settings.targets[0].metric))
			cli_usage_error("planning takes one --mde, without METRIC=");
		if (settings.target_count == 1) {
			mde = settings.targets[0].effect;
			kind = settings.targets[0].kind;
		}
	}
	cli_output_open(&out, output);
	if (!isnan(baseline) || !isnan(mean)) {
		if (!isnan(baseline) && !isnan(mean))
			cli_usage_error("give --baseline (a rate) or --mean (a mean), not both");
		if (!isnan(mean) && isnan(sd))
			cli_usage_error("--mean needs --sd");
		if (isnan(mde) == isnan(n))
			cli_usage_error("give --mde (for a sample size) or --n (for the "
			                "detectable effect)");
		if (optind < argc)
			cli_usage_error("planning takes no input file");
		plan(out.stream, baseline, mean, sd, mde, kind, n, ratio,
		     settings.power, settings.confidence);
	} else {
		tact_summary summary;
		tact_powerplan result;

		if (!isnan(n))
			cli_usage_error("--n needs --baseline or --mean");
		if (argc - optind > 1)
			cli_usage_error("one input at a time");
		if (optind < argc)
			input = argv[optind];
		tact_summary_init(&summary);
		cli_load(input, &load, &summary);
		if (tact_powerplan_run(&summary, &settings, &result, &error) ||
		    tact_powerplan_write_csv(&result, out.stream, &error)) {
			tact_outfile_abort(&out);
			cli_fail(&error);
		}
		tact_powerplan_release(&result);
		tact_summary_release(&summary);
	}
	if (tact_outfile_commit(&out, &error) != TACT_OK)
		cli_fail(&error);
	tact_load_options_release(&load);
	tact_powerplan_options_release(&settings);
	cli_exit(TACT_OK);
}
