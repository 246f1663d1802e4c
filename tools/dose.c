/*
 * tact-dose - outcomes against exposure frequency per segment: rates per
 * exposure bin, fitted curves, and under weights the frequency cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dose.h"
#include "outfile.h"
#include "parse.h"

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
	CLI_CAP_HELP
	"      --help             show this help and exit\n"
	"      --version          show the version and exit\n"
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"70 numerical failure or a figure that overflows, 73 cannot create output,\n"
	"74 input/output error.\n";

enum {
	OPT_FORMAT = CLI_FIRST_TOOL_OPTION, OPT_FITS, OPT_CURVE, OPT_CAPS,
	OPT_OUTPUT_BINS, OPT_OUTPUT_FITS, OPT_OUTPUT_CURVE, OPT_OUTPUT_CAPS,
	OPT_ARMS, OPT_BINS, OPT_TRANSFORM, OPT_WEIGHTS, OPT_MAX, OPT_DRAWS,
	OPT_SEED, OPT_CONFIDENCE, OPT_MIN_CELL
};

static double count_argument(const char *name, const char *text)
{
	double number;

	if (tact_parse_count(text, strlen(text), 0, &number))
		cli_usage_error("--%s must be a whole number, got '%s'", name, text);
	return number;
}

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

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, OPT_FORMAT},
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
		{"confidence", required_argument, NULL, OPT_CONFIDENCE},
		{"min-cell", required_argument, NULL, OPT_MIN_CELL},
		CLI_INPUT_OPTIONS,
		CLI_CAP_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *input = "-", *format = "csv";
	/* -o, then --output-bins, -fits, -curve, -caps: all or none. */
	const char *outputs[5] = {NULL, NULL, NULL, NULL, NULL};
	const char **also = outputs + 1;
	tact_outfile outs[5];
	tact_dose_table table = TACT_DOSE_TABLE_BINS;
	int option, chosen = 0, i, given;
	tact_load_options load;
	tact_dose_options dose;
	tact_dose_result result;
	tact_summary summary;
	tact_error error;
	tact_status status;
	double number;

	cli_init("tact-dose");
	tact_error_init(&error);
	if (tact_load_options_init(&load, &error) != TACT_OK ||
	    tact_dose_options_init(&dose, &error) != TACT_OK)
		cli_fail(&error);
	load.exposure_dimension = 1;
	while ((option = cli_getopt(argc, argv, "o:", options)) != -1) {
		if (cli_input_option(&load, option, optarg))
			continue;
		status = TACT_OK;
		switch (option) {
		case 'o':
			output = optarg;
			break;
		case OPT_FORMAT:
			format = cli_choice("format", optarg, "csv,table,json");
			break;
		case OPT_FITS:
		case OPT_CURVE:
		case OPT_CAPS:
			if (chosen++)
				cli_usage_error("choose one of --fits, --curve and --caps");
			table = option == OPT_FITS    ? TACT_DOSE_TABLE_FITS
			        : option == OPT_CURVE ? TACT_DOSE_TABLE_CURVE
			                              : TACT_DOSE_TABLE_CAPS;
			break;
		case OPT_OUTPUT_BINS:
		case OPT_OUTPUT_FITS:
		case OPT_OUTPUT_CURVE:
		case OPT_OUTPUT_CAPS:
			also[option - OPT_OUTPUT_BINS] = optarg;
			break;
		case OPT_ARMS:
			status = tact_dose_parse_arms(&dose, optarg, &error);
			break;
		case OPT_BINS:
			status = tact_dose_parse_bins(&dose, optarg, &error);
			break;
		case OPT_TRANSFORM:
			status = tact_dose_parse_transform(&dose, optarg, &error);
			break;
		case OPT_WEIGHTS:
			status = tact_dose_parse_weights(&dose, optarg, &error);
			break;
		case OPT_MAX:
			number = count_argument("max", optarg);
			if (number > TACT_DOSE_MAX_EXPOSURES)
				cli_usage_error("--max must be at most %d, got '%s'",
				                TACT_DOSE_MAX_EXPOSURES, optarg);
			dose.max_exposures = (int64_t)number;
			break;
		case OPT_DRAWS:
			number = count_argument("draws", optarg);
			if (number > 1e6)
				cli_usage_error("--draws must be at most 1000000, got '%s'",
				                optarg);
			dose.draws = (size_t)number;
			break;
		case OPT_SEED:
			dose.seed = (unsigned long)count_argument("seed", optarg);
			break;
		case OPT_CONFIDENCE:
			dose.confidence = cli_level("confidence", optarg);
			break;
		case OPT_MIN_CELL:
			dose.min_cell = (int64_t)count_argument("min-cell", optarg);
			break;
		case CLI_HELP:
			cli_help(usage);
		case CLI_VERSION:
			cli_version();
		default:
			cli_usage_error("unexpected option");
		}
		if (status != TACT_OK)
			cli_usage_error("%s", error.message);
	}
	if (argc - optind > 1)
		cli_usage_error("one input at a time");
	if (optind < argc)
		input = argv[optind];
	outputs[0] = output;
	cli_check_outputs(outputs, 5, &input, 1);
	if ((table == TACT_DOSE_TABLE_CAPS || also[TACT_DOSE_TABLE_CAPS]) &&
	    dose.weight_count == 0)
		cli_usage_error("the caps need --weights (the value of each outcome)");
	if (chosen && strcmp(format, "csv") != 0)
		cli_usage_error("--fits, --curve and --caps choose a CSV table; "
		                "--format %s holds everything", format);

	tact_summary_init(&summary);
	cli_load(input, &load, &summary);
	if (tact_dose_run(&summary, &dose, &result, &error) != TACT_OK)
		cli_fail(&error);
	notes(&result);
	/* Every output is opened and written before any is put in place. */
	for (i = 0; i < 5; i++)
		if (i == 0 || outputs[i])
			cli_output_open(&outs[i], outputs[i]);
	status = TACT_OK;
	for (i = 1; i < 5 && status == TACT_OK; i++)
		if (outputs[i])
			status = tact_dose_write_csv(&result, (tact_dose_table)(i - 1),
			                             outs[i].stream, &error);
	if (status == TACT_OK)
		status = strcmp(format, "csv") == 0
		                 ? tact_dose_write_csv(&result, table, outs[0].stream,
		                                       &error)
		         : strcmp(format, "table") == 0
		                 ? tact_dose_write_table(&result, outs[0].stream, &error)
		                 : tact_dose_write_json(&result, outs[0].stream, &error);
	/* Compact the array to the outputs given, then all or none. */
	for (i = 1, given = 1; i < 5; i++)
		if (outputs[i])
			outs[given++] = outs[i];
	cli_outputs_close(outs, (size_t)given, status, &error);
	tact_dose_result_release(&result);
	tact_summary_release(&summary);
	tact_dose_options_release(&dose);
	tact_load_options_release(&load);
	cli_exit(TACT_OK);
}
