/*
 * tact-compare - every arm against the control, per segment and metric.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "outfile.h"
#include "parse.h"

static const char usage[] =
	"Usage: tact-compare [OPTION]... [INPUT]\n"
	"Compare every arm with the control, per segment (and pooled, '(all)')\n"
	"and per metric: rates or means with intervals, difference, lift, a test,\n"
	"the p-value adjusted within its family (the pooled rows; the segment\n"
	"rows), the chance to beat control, the sample-ratio check and a verdict;\n"
	"the difference and lift intervals are at the level of the row's adjusted\n"
	"test, so they exclude 0 exactly when the verdict is better or worse.\n"
	"INPUT is an export or a summary (tact-summarize's output); - or nothing\n"
	"is standard input.  The columns and methods are in tact-compare(1).\n"
	"\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	"      --format FORMAT    csv, table or json [csv]\n"
	"      --confidence X     interval level; verdicts need p < 1 - X [0.95]\n"
	"      --correction M     holm, bh (Benjamini-Hochberg) or none, within each\n"
	"                         family [holm]\n"
	"      --alternative A    two-sided, greater (arm above control) or less,\n"
	"                         or METRIC=A for one metric (repeatable) [two-sided]\n"
	"      --min-cell N       suppress rows with fewer units in a group [10]\n"
	"      --split W,W,...    planned split (control first, then the other arms\n"
	"                         in byte order), or ARM=W,... [equal]\n"
	"      --margin M=REL     non-inferiority test of 0/1 annoyance metric M:\n"
	"                         may it rise by REL (0.1 = 10%) or more? (repeatable)\n"
	"      --fail-on-harm     exit 1 when a row is 'worse' on an annoyance metric\n"
	CLI_INPUT_HELP
	CLI_CAP_HELP
	CLI_PRIVACY_HELP
	"      --help             show this help and exit\n"
	"      --version          show the version and exit\n"
	"\n"
	"Exit status: 0 success, 1 harm found under --fail-on-harm, 64 usage,\n"
	"65 bad data, 66 cannot open input, 70 numerical failure, 73 cannot create\n"
	"output, 74 input/output error.\n";

enum {
	OPT_FORMAT = CLI_FIRST_TOOL_OPTION, OPT_CONFIDENCE, OPT_CORRECTION,
	OPT_MIN_CELL, OPT_SPLIT, OPT_MARGIN, OPT_FAIL_ON_HARM, OPT_ALTERNATIVE
};

/* Sample-ratio warnings, and a hint when a segment fails but the whole
 * passes: the segment may not be pre-treatment. */
static void warn_sample_ratio(const tact_compare_result *result)
{
	const tact_summary *summary = result->summary;
	int pooled_ok = !result->segments[0].srm_flag;
	size_t s, d;

	for (s = 0; s < result->segment_count; s++) {
		const tact_compare_segment *seg = &result->segments[s];
		char name[512];
		size_t used = 0;

		if (!seg->srm_flag)
			continue;
		name[0] = '\0';
		for (d = 0; d < summary->dimensions && !seg->pooled; d++) {
			int n = snprintf(name + used, sizeof name - used, "%s%s=%s",
			                 d ? ", " : "", summary->dimension_names[d],
			                 seg->labels[d]);
			if (n > 0 && (size_t)n < sizeof name - used)
				used += (size_t)n;
		}
		if (seg->pooled)
			cli_warn("sample-ratio mismatch over all units (p = %.3g): the arms "
			         "do not match the planned split; check the assignment "
			         "before trusting any comparison", seg->srm_p_value);
		else if (pooled_ok)
			cli_warn("sample-ratio mismatch in segment %s (p = %.3g) while the "
			         "whole passes: the segment may not be pre-treatment (was it "
			         "inferred after personalization was shown?)",
			         name, seg->srm_p_value);
		else
			cli_warn("sample-ratio mismatch in segment %s (p = %.3g)", name,
			         seg->srm_p_value);
	}
}

/* --fail-on-harm: name the rows worse on an annoyance metric. */
static int harm(const tact_compare_result *result)
{
	const tact_summary *summary = result->summary;
	size_t r, d, count = 0;

	for (r = 0; r < result->row_count; r++) {
		const tact_compare_row *row = &result->rows[r];
		const tact_compare_segment *seg = &result->segments[row->segment];
		char where[512];
		size_t used = 0;

		if (row->verdict != TACT_VERDICT_WORSE ||
		    summary->metrics[row->metric].role != TACT_ROLE_ANNOYANCE)
			continue;
		where[0] = '\0';
		for (d = 0; d < summary->dimensions; d++) {
			int n = snprintf(where + used, sizeof where - used, "%s=%s, ",
			                 summary->dimension_names[d], seg->labels[d]);
			if (n > 0 && (size_t)n < sizeof where - used)
				used += (size_t)n;
		}
		cli_note("harm: %s%s raises %s by %+.4g (adjusted p = %.3g)", where,
		         result->arms[row->arm], summary->metrics[row->metric].name,
		         row->diff, row->p_adjusted);
		count++;
	}
	return count > 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"confidence", required_argument, NULL, OPT_CONFIDENCE},
		{"correction", required_argument, NULL, OPT_CORRECTION},
		{"min-cell", required_argument, NULL, OPT_MIN_CELL},
		{"split", required_argument, NULL, OPT_SPLIT},
		{"margin", required_argument, NULL, OPT_MARGIN},
		{"fail-on-harm", no_argument, NULL, OPT_FAIL_ON_HARM},
		{"alternative", required_argument, NULL, OPT_ALTERNATIVE},
		CLI_INPUT_OPTIONS,
		CLI_CAP_OPTION,
		CLI_PRIVACY_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *input = "-", *format = "csv";
	int option, fail_on_harm = 0, status = TACT_OK;
	tact_load_options load;
	tact_compare_options compare;
	tact_compare_result result;
	tact_summary summary;
	tact_outfile out;
	tact_error error;

	cli_init("tact-compare");
	tact_error_init(&error);
	tact_compare_options_init(&compare);
	if (tact_load_options_init(&load, &error) != TACT_OK)
		cli_fail(&error);
	while ((option = cli_getopt(argc, argv, "o:", options)) != -1) {
		if (cli_input_option(&load, option, optarg))
			continue;
		switch (option) {
		case 'o':
			output = optarg;
			break;
		case OPT_FORMAT:
			format = cli_choice("format", optarg, "csv,table,json");
			break;
		case OPT_CONFIDENCE:
			compare.confidence = cli_level("confidence", optarg);
			break;
		case OPT_CORRECTION:
			if (tact_corrections_parse(optarg, &compare.correction, &error))
				cli_usage_error("--correction: %s", error.message);
			break;
		case CLI_PRIVACY:
			compare.privacy = cli_privacy(optarg);
			break;
		case OPT_MIN_CELL:
			compare.min_cell = cli_count("min-cell", optarg);
			break;
		case OPT_SPLIT:
			if (tact_compare_parse_split(&compare, optarg, &error))
				cli_usage_error("%s", error.message);
			break;
		case OPT_MARGIN:
			if (tact_compare_parse_margin(&compare, optarg, &error))
				cli_usage_error("%s", error.message);
			break;
		case OPT_ALTERNATIVE:
			if (tact_compare_parse_alternative(&compare, optarg, &error))
				cli_usage_error("%s", error.message);
			break;
		case OPT_FAIL_ON_HARM:
			fail_on_harm = 1;
			break;
		case CLI_HELP:
			cli_help(usage);
		case CLI_VERSION:
			cli_version();
		default:
			cli_usage_error("unexpected option");
		}
	}
	if (argc - optind > 1)
		cli_usage_error("one input at a time");
	if (optind < argc)
		input = argv[optind];
	cli_check_outputs(&output, 1, &input, 1);

	tact_summary_init(&summary);
	cli_load(input, &load, &summary);
	if (tact_compare_run(&summary, &compare, &result, &error) != TACT_OK)
		cli_fail(&error);
	warn_sample_ratio(&result);
	cli_output_open(&out, output);
	if ((strcmp(format, "csv") == 0 &&
	     tact_compare_write_csv(&result, out.stream, &error)) ||
	    (strcmp(format, "table") == 0 &&
	     tact_compare_write_table(&result, out.stream, &error)) ||
	    (strcmp(format, "json") == 0 &&
	     tact_compare_write_json(&result, out.stream, &error))) {
		tact_outfile_abort(&out);
		cli_fail(&error);
	}
	if (tact_outfile_commit(&out, &error) != TACT_OK)
		cli_fail(&error);
	if (fail_on_harm && harm(&result))
		status = TACT_GATE;
	tact_compare_result_release(&result);
	tact_summary_release(&summary);
	tact_compare_options_release(&compare);
	tact_load_options_release(&load);
	cli_exit(status);
}
