/*
 * tact-dose - outcomes against exposure frequency per segment: rates per
 * exposure bin, fitted curves, and under weights the frequency cap.
 */
#include <stdio.h>

#include "cli.h"
#include "dose.h"

static const char usage[] =
	"Usage: tact-dose [OPTION]... [INPUT]\n"
	"Relate each outcome to the exposure count, per segment (and pooled,\n"
	"'(all)'): the rate or mean per exposure bin with its interval, a fitted\n"
	"curve (logistic for 0/1 outcomes, least squares for values), and with\n"
	"--weights the net value curve and the exposure count that maximizes it\n"
	"(the frequency cap) with a bootstrap interval.  INPUT is an export or a\n"
	"summary made by 'tact-summarize --by-exposures'; - or nothing is\n"
	"standard input.  Columns and methods are in tact-dose(1).\n"
	"\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	"      --format FORMAT    csv, table or json [csv]\n"
	"      --fits             CSV of the fitted models instead of the bins\n"
	"      --curve            CSV of the fitted curves, 0..max, instead\n"
	"      --caps             CSV of the caps (needs --weights) instead\n"
	"      --output-bins FILE, --output-fits FILE, --output-curve FILE,\n"
	"      --output-caps FILE also write that CSV table to FILE\n"
	"      --arms ARMS        treated (every arm but the control), all, or\n"
	"                         a list of arm labels [treated]\n"
	"      --bins BINS        e.g. 0,1,2,3-5,6-10,11- or quantiles:5\n"
	"                         [0,1,2,3-5,6-10,11-]\n"
	"      --transform T      log (log(1 + x)), linear or categorical [log]\n"
	"      --weights M=W,...  value of each outcome per unit, e.g.\n"
	"                         converted=40,bounced=-0.5,unsubscribed=-12\n"
	"      --max N            curves and cap search over 0..N [the 0.999\n"
	"                         quantile of the exposure counts]\n"
	"      --draws N          bootstrap draws for the cap's interval [1000]\n"
	"      --seed N           seed of those draws [1]\n"
	"      --confidence X     interval level [0.95]\n"
	"      --min-cell N       suppress bins with fewer units or values [10]\n"
	CLI_INPUT_HELP
	CLI_WHERE_HELP
	CLI_CAP_HELP
	CLI_COMMON_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"70 numerical failure or a figure that overflows, 73 cannot create output,\n"
	"74 input/output error.\n";

enum {
	OPT_FITS = CLI_FIRST_TOOL_OPTION, OPT_CURVE, OPT_CAPS, OPT_OUTPUT_BINS,
	OPT_OUTPUT_FITS, OPT_OUTPUT_CURVE, OPT_OUTPUT_CAPS, OPT_ARMS, OPT_BINS,
	OPT_TRANSFORM, OPT_WEIGHTS, OPT_MAX, OPT_DRAWS, OPT_SEED
};
enum { CSV, TABLE, JSON };

/* What the command line asks for beyond cli_options and dose's settings. */
typedef struct request {
	tact_dose_table table;   /* --fits, --curve, --caps [the bins] */
	int chosen;              /* one of those was given */
	/* -o, then --output-bins, -fits, -curve, -caps: all or none. */
	const char *outputs[5];
} request;

/* Say what the reader of the numbers should know. */
static void notes(const tact_dose_result *result)
{
	size_t s;

	if (cli_quiet())
		return;
	if (result->missing_exposures > 0)
		cli_note("%lld units without an exposure count left out",
		         (long long)result->missing_exposures);
	if (result->max_clamped)
		cli_warn("the curves stop at %d exposures (the limit of --max)",
		         TACT_DOSE_MAX_EXPOSURES);
	for (s = 0; s < result->cap_count; s++)
		if (result->caps[s].status == TACT_DOSE_CAP_OK &&
		    result->caps[s].at_max && result->segments[s].pooled)
			cli_note("the pooled cap is at the end of the curve (%lld): "
			         "the net value still rises there",
			         (long long)result->max_exposures);
}

/* One option of dose's own into dose or want; exit 64 on a bad one. */
static void dose_option(int option, const char *argument,
                        tact_dose_options *dose, request *want)
{
	tact_error error;

	tact_error_init(&error);
	switch (option) {
	case OPT_FITS:
	case OPT_CURVE:
	case OPT_CAPS:
		if (want->chosen++)
			cli_usage_error("choose one of --fits, --curve and --caps");
		want->table = option == OPT_FITS    ? TACT_DOSE_TABLE_FITS
		              : option == OPT_CURVE ? TACT_DOSE_TABLE_CURVE
		                                    : TACT_DOSE_TABLE_CAPS;
		break;
	case OPT_OUTPUT_BINS:
	case OPT_OUTPUT_FITS:
	case OPT_OUTPUT_CURVE:
	case OPT_OUTPUT_CAPS:
		want->outputs[1 + option - OPT_OUTPUT_BINS] = argument;
		break;
	case OPT_ARMS:
		cli_value("arms", tact_dose_parse_arms(dose, argument, &error), &error);
		break;
	case OPT_BINS:
		cli_value("bins", tact_dose_parse_bins(dose, argument, &error), &error);
		break;
	case OPT_TRANSFORM:
		cli_value("transform",
		          tact_dose_parse_transform(dose, argument, &error), &error);
		break;
	case OPT_WEIGHTS:
		cli_value("weights", tact_dose_parse_weights(dose, argument, &error),
		          &error);
		break;
	case OPT_MAX:
		dose->max_exposures =
			cli_count_within("max", argument, 0, TACT_DOSE_MAX_EXPOSURES);
		break;
	case OPT_DRAWS:
		dose->draws = (size_t)cli_count_within("draws", argument, 0, 1000000);
		break;
	case OPT_SEED:
		dose->seed = (unsigned long)cli_count("seed", argument);
		break;
	default:
		cli_usage_error("unexpected option");
	}
}

/* Every output is opened and written before any is put in place. */
static void write_outputs(const tact_dose_result *result, size_t format,
                          const request *want)
{
	tact_outfile outs[5];
	tact_error error;
	tact_status status = TACT_OK;
	int i, given;

	tact_error_init(&error);
	for (i = 0; i < 5; i++)
		if (i == 0 || want->outputs[i])
			cli_output_open(&outs[i], want->outputs[i]);
	for (i = 1; i < 5 && status == TACT_OK; i++)
		if (want->outputs[i])
			status = tact_dose_write_csv(result, (tact_dose_table)(i - 1),
			                             outs[i].stream, &error);
	if (status == TACT_OK)
		status = format == CSV ? tact_dose_write_csv(result, want->table,
		                                             outs[0].stream, &error)
		         : format == TABLE
		                 ? tact_dose_write_table(result, outs[0].stream, &error)
		                 : tact_dose_write_json(result, outs[0].stream, &error);
	/* Compact the array to the outputs given, then all or none. */
	for (i = 1, given = 1; i < 5; i++)
		if (want->outputs[i])
			outs[given++] = outs[i];
	cli_outputs_close(outs, (size_t)given, status, &error);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		CLI_OUTPUT_OPTION,
		CLI_FORMAT_OPTION,
		{"fits", no_argument, NULL, OPT_FITS},
		{"curve", no_argument, NULL, OPT_CURVE},
		{"caps", no_argument, NULL, OPT_CAPS},
		{"output-bins", required_argument, NULL, OPT_OUTPUT_BINS},
		{"output-fits", required_argument, NULL, OPT_OUTPUT_FITS},
		{"output-curve", required_argument, NULL, OPT_OUTPUT_CURVE},
		{"output-caps", required_argument, NULL, OPT_OUTPUT_CAPS},
		{"arms", required_argument, NULL, OPT_ARMS},
		{"bins", required_argument, NULL, OPT_BINS},
		{"transform", required_argument, NULL, OPT_TRANSFORM},
		{"weights", required_argument, NULL, OPT_WEIGHTS},
		{"max", required_argument, NULL, OPT_MAX},
		{"draws", required_argument, NULL, OPT_DRAWS},
		{"seed", required_argument, NULL, OPT_SEED},
		CLI_CONFIDENCE_OPTION,
		CLI_MIN_CELL_OPTION,
		CLI_INPUT_OPTIONS,
		CLI_WHERE_OPTION,
		CLI_CAP_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	request want = {TACT_DOSE_TABLE_BINS, 0, {NULL, NULL, NULL, NULL, NULL}};
	cli_options cli;
	tact_dose_options dose;
	tact_dose_result result;
	tact_summary summary;
	tact_error error;
	int option;

	cli_options_init(&cli, "tact-dose", usage, "csv,table,json");
	tact_error_init(&error);
	if (tact_dose_options_init(&dose, &error) != TACT_OK)
		cli_fail(&error);
	cli_options_settings(&cli, &dose.confidence, NULL, &dose.min_cell, NULL);
	cli.load.exposure_dimension = 1;
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1)
		dose_option(option, optarg, &dose, &want);
	if (argc - optind > 1)
		cli_usage_error("one input at a time");
	if (optind < argc)
		cli.input = argv[optind];
	want.outputs[0] = cli.output;
	cli_check_outputs(want.outputs, 5, &cli.input, 1);
	if ((want.table == TACT_DOSE_TABLE_CAPS ||
	     want.outputs[1 + TACT_DOSE_TABLE_CAPS]) && dose.weight_count == 0)
		cli_usage_error("the caps need --weights (the value of each outcome)");
	if (want.chosen && cli.format != CSV)
		cli_usage_error("--fits, --curve and --caps choose a CSV table; "
		                "--format %s holds everything",
		                cli.format == TABLE ? "table" : "json");

	tact_summary_init(&summary);
	cli_load(cli.input, &cli.load, &summary);
	if (tact_dose_run(&summary, &dose, &result, &error) != TACT_OK)
		cli_fail(&error);
	notes(&result);
	write_outputs(&result, cli.format, &want);
	tact_dose_result_release(&result);
	tact_summary_release(&summary);
	tact_dose_options_release(&dose);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
