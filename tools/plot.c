/*
 * tact-plot - charts of the tools' CSV outputs, drawn by gnuplot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plot.h"

static const char usage[] =
	"Usage: tact-plot KIND [OPTION]... [INPUT] -o FILE\n"
	"Draw a chart of a tact tool's CSV output with gnuplot.  INPUT is that\n"
	"output (- or nothing: standard input); FILE's extension (.svg, .png,\n"
	".pdf) chooses the format.  The file appears whole or not at all.\n"
	"\n"
	"Kinds (and the output they read):\n"
	"  forest     lift (or difference) per segment and metric, with its\n"
	"             interval (tact-compare)\n"
	"  rates      each arm's rate per segment, bars with intervals\n"
	"             (tact-compare)\n"
	"  frontier   change in value against change in annoyance cost, per\n"
	"             segment (tact-frontier)\n"
	"  dose       rate per exposure bin, fitted curve, cap (tact-dose)\n"
	"  power      detectable effect against units per arm (tact-power)\n"
	"  roc        the intent model's ROC curves (tact-intent eval --roc)\n"
	"  calibration  the intent model's calibration (tact-intent eval\n"
	"             --calibration)\n"
	"  tree       a targeting policy's tree (tact-report --target-features:\n"
	"             the report folder's target-tree.csv)\n"
	"  cumulative the cumulative difference over periods with its band, and\n"
	"             each period's own (tact-compare --by-period)\n"
	"\n"
	"  -o, --output FILE      the chart: .svg, .png or .pdf (- with --format)\n"
	"      --format F         svg, png or pdf, whatever FILE's extension\n"
	"      --size W,H         in pixels (PDF: 72 per inch) [the chart's own]\n"
	"      --title TEXT       the chart's title ('' for none)\n"
	"      --metric M         only metric M (forest, rates, dose, power,\n"
	"                         cumulative)\n"
	"      --arm A            only arm A\n"
	"      --measure M        forest: lift or diff [lift]\n"
	"      --omit-suppressed  forest, rates: leave suppressed rows out\n"
	"      --confidence X     the interval level of the input [0.95]\n"
	"      --power P          power: the power tact-power used [0.8]\n"
	"      --curve FILE       dose: tact-dose's curve table\n"
	"      --caps FILE        dose: tact-dose's caps table\n"
	CLI_COMMON_HELP
	"\n"
	"gnuplot: $TACT_GNUPLOT, else gnuplot on PATH (Debian: gnuplot-nox).\n"
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"69 gnuplot missing, 70 gnuplot failed, 73 cannot create output,\n"
	"74 input/output error.\n";

enum {
	OPT_FORMAT = CLI_FIRST_TOOL_OPTION, OPT_SIZE, OPT_TITLE, OPT_METRIC,
	OPT_ARM, OPT_MEASURE, OPT_OMIT, OPT_CONFIDENCE, OPT_POWER, OPT_CURVE,
	OPT_CAPS
};

static void parse_size(const char *text, tact_plot_options *options)
{
	int width, height, end = 0;

	if (sscanf(text, "%d,%d%n", &width, &height, &end) != 2 ||
	    text[end] != '\0' || width < 100 || height < 100 ||
	    width > 20000 || height > 20000)
		cli_usage_error("--size must be W,H in pixels (100 to 20000), got "
		                "'%s'", text);
	options->width = width;
	options->height = height;
}

/* One option of the chart's into options. */
static void handle(int option, tact_plot_options *options)
{
	static const tact_plot_format formats[] = {TACT_PLOT_SVG, TACT_PLOT_PNG,
	                                           TACT_PLOT_PDF};

	switch (option) {
	case OPT_FORMAT:
		options->format = formats[cli_choose("format", optarg, "svg,png,pdf")];
		break;
	case OPT_SIZE:
		parse_size(optarg, options);
		break;
	case OPT_TITLE:
		options->title = optarg;
		break;
	case OPT_METRIC:
		options->metric = optarg;
		break;
	case OPT_ARM:
		options->arm = optarg;
		break;
	case OPT_MEASURE:
		options->measure = cli_choose("measure", optarg, "lift,diff") == 0
		                           ? TACT_PLOT_LIFT
		                           : TACT_PLOT_DIFF;
		break;
	case OPT_OMIT:
		options->omit_suppressed = 1;
		break;
	case OPT_CONFIDENCE:
		options->confidence = cli_level("confidence", optarg);
		break;
	case OPT_POWER:
		options->power = cli_level("power", optarg);
		break;
	case OPT_CURVE:
		options->curve_path = optarg;
		break;
	case OPT_CAPS:
		options->caps_path = optarg;
		break;
	default:
		cli_usage_error("unexpected option");
	}
}

int main(int argc, char **argv)
{
	static const struct option table[] = {
		CLI_OUTPUT_OPTION,
		{"format", required_argument, NULL, OPT_FORMAT},
		{"size", required_argument, NULL, OPT_SIZE},
		{"title", required_argument, NULL, OPT_TITLE},
		{"metric", required_argument, NULL, OPT_METRIC},
		{"arm", required_argument, NULL, OPT_ARM},
		{"measure", required_argument, NULL, OPT_MEASURE},
		{"omit-suppressed", no_argument, NULL, OPT_OMIT},
		{"confidence", required_argument, NULL, OPT_CONFIDENCE},
		{"power", required_argument, NULL, OPT_POWER},
		{"curve", required_argument, NULL, OPT_CURVE},
		{"caps", required_argument, NULL, OPT_CAPS},
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *input = "-";
	cli_options cli;
	tact_plot_options options;
	tact_plot_kind kind;
	tact_error error;
	int option;

	cli_options_init(&cli, "tact-plot", usage, NULL);
	tact_error_init(&error);
	tact_plot_options_init(&options);
	/* GNU getopt permutes: options may come before or after the kind. */
	while ((option = cli_next(&cli, argc, argv, "o:", table)) != -1)
		handle(option, &options);
	if (optind >= argc)
		cli_usage_error("which chart? forest, rates, frontier, dose, power, "
		                "roc, calibration, tree or cumulative");
	if (tact_plot_parse_kind(argv[optind], &kind, &error) != TACT_OK)
		cli_usage_error("%s", error.message);
	optind++;
	if (argc - optind > 1)
		cli_usage_error("one input at a time");
	if (optind < argc)
		input = argv[optind];
	if (!cli.output)
		cli_usage_error("no output: give -o FILE (.svg, .png or .pdf)");
	{
		const char *inputs[] = {input, options.curve_path, options.caps_path};
		cli_check_outputs(&cli.output, 1, inputs, 3);
	}
	if (strcmp(cli.output, "-") == 0 && options.format == TACT_PLOT_AUTO)
		cli_usage_error("-o - (standard output) needs --format svg, png or "
		                "pdf");
	if (tact_plot_file(kind, input, &options, cli.output, &error) != TACT_OK)
		cli_fail(&error);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
