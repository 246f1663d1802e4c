/*
 * tact-compare - every arm against the control, per segment and metric.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "period_compare.h"

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
	"      --sequential       always-valid p-values and intervals (safe to look\n"
	"                         at while the experiment runs)\n"
	"      --tuning N         units at which --sequential is tightest [5000]\n"
	"      --stratify         pooled rows post-stratified over the segments\n"
	"      --by-period        with --time: per period, its difference and the\n"
	"                         cumulative one (units up to it), in time order\n"
	;

/* The rest of --help (one literal would pass C99's 4095 characters). */
static const char usage_tail[] =
	CLI_TIME_HELP
	CLI_COVARIATE_HELP
	CLI_EXPORT_HELP
	"\n"
	"Exit status: 0 success, 1 harm found under --fail-on-harm, 64 usage,\n"
	"65 bad data, 66 cannot open input, 70 numerical failure, 73 cannot create\n"
	"output, 74 input/output error.\n";

enum {
	OPT_SPLIT = CLI_FIRST_TOOL_OPTION, OPT_MARGIN, OPT_FAIL_ON_HARM,
	OPT_ALTERNATIVE, OPT_SEQUENTIAL, OPT_TUNING, OPT_STRATIFY, OPT_BY_PERIOD
};

/* --by-period: each period's and the cumulative comparison
 * (period_compare.h), written in the format asked for. */
static int by_period(const cli_options *cli, tact_summary *summary,
                     const tact_compare_options *compare)
{
	tact_period_comparison comparison;
	tact_outfile out;
	tact_error error;

	tact_error_init(&error);
	if (tact_period_compare(summary, compare, &comparison, &error) != TACT_OK)
		cli_fail(&error);
	if (comparison.skipped)
		cli_note("%zu period comparisons left out: the control or every "
		         "other arm had no unit in them", comparison.skipped);
	if (comparison.count < comparison.periods)
		cli_note("%zu periods shown in %zu block%s, so that no count under "
		         "--min-cell follows from the rows", comparison.periods,
		         comparison.count, comparison.count == 1 ? "" : "s");
	if (comparison.segments_left_out)
		cli_note("%zu segments have no rows by period, so that none of "
		         "their counts under --min-cell follows from the rows",
		         comparison.segments_left_out);
	cli_output_open(&out, cli->output);
	cli_output_close(&out,
	                 cli->format == 0
	                         ? tact_period_write_csv(&comparison, out.stream,
	                                                 &error)
	                 : cli->format == 1
	                         ? tact_period_write_table(&comparison, out.stream,
	                                                   &error)
	                         : tact_period_write_json(&comparison, out.stream,
	                                                  &error),
	                 &error);
	tact_period_comparison_release(&comparison);
	return TACT_OK;
}

/* Sample-ratio warnings, and a hint when a segment fails but the whole
 * passes: the segment may not be pre-treatment. */
static void warn_sample_ratio(const tact_compare_result *result)
{
	const tact_summary *summary = result->summary;
	int pooled_ok = !result->segments[0].srm_flag;
	size_t s, d;

	for (s = 0; s < result->segment_count; s++) {
		const tact_compare_segment *seg = &result->segments[s];
		char name[512], p[32];
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
		if (seg->srm_p_value <= 0) /* underflow: never "p = 0" */
			snprintf(p, sizeof p, "< 1e-300");
		else
			snprintf(p, sizeof p, "= %.3g", seg->srm_p_value);
		if (seg->pooled)
			cli_warn("sample-ratio mismatch over all units (p %s): the arms "
			         "do not match the planned split; check the assignment "
			         "before trusting any comparison", p);
		else if (pooled_ok)
			cli_warn("sample-ratio mismatch in segment %s (p %s) while the "
			         "whole passes: the segment may not be pre-treatment (was it "
			         "inferred after personalization was shown?)",
			         name, p);
		else
			cli_warn("sample-ratio mismatch in segment %s (p %s)", name, p);
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
		CLI_OUTPUT_OPTION,
		CLI_FORMAT_OPTION,
		CLI_CONFIDENCE_OPTION,
		CLI_CORRECTION_OPTION,
		CLI_MIN_CELL_OPTION,
		{"split", required_argument, NULL, OPT_SPLIT},
		{"margin", required_argument, NULL, OPT_MARGIN},
		{"fail-on-harm", no_argument, NULL, OPT_FAIL_ON_HARM},
		{"alternative", required_argument, NULL, OPT_ALTERNATIVE},
		{"sequential", no_argument, NULL, OPT_SEQUENTIAL},
		{"tuning", required_argument, NULL, OPT_TUNING},
		{"stratify", no_argument, NULL, OPT_STRATIFY},
		{"by-period", no_argument, NULL, OPT_BY_PERIOD},
		CLI_TIME_OPTIONS,
		CLI_COVARIATE_OPTION,
		CLI_EXPORT_OPTIONS,
	};
	enum { CSV, TABLE, JSON };
	int option, fail_on_harm = 0, tuning = 0, status = TACT_OK, periods = 0;
	cli_options cli;
	tact_compare_options compare;
	tact_compare_result result;
	tact_summary summary;
	tact_outfile out;
	tact_error error;

	cli_options_init(&cli, "tact-compare", usage, "csv,table,json");
	cli.usage_tail = usage_tail;
	tact_error_init(&error);
	tact_compare_options_init(&compare);
	cli_options_settings(&cli, &compare.confidence, &compare.correction,
	                     &compare.min_cell, &compare.privacy);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1) {
		switch (option) {
		case OPT_SPLIT:
			cli_value("split",
			          tact_compare_parse_split(&compare, optarg, &error), &error);
			break;
		case OPT_MARGIN:
			cli_value("margin",
			          tact_compare_parse_margin(&compare, optarg, &error),
			          &error);
			break;
		case OPT_ALTERNATIVE:
			cli_value("alternative",
			          tact_compare_parse_alternative(&compare, optarg, &error),
			          &error);
			break;
		case OPT_FAIL_ON_HARM:
			fail_on_harm = 1;
			break;
		case OPT_SEQUENTIAL:
			compare.sequential = 1;
			break;
		case OPT_TUNING:
			compare.tuning = cli_number("tuning", optarg);
			tuning = 1;
			break;
		case OPT_STRATIFY:
			compare.stratify = 1;
			break;
		case OPT_BY_PERIOD:
			periods = 1;
			break;
		default:
			cli_usage_error("unexpected option");
		}
	}
	if (tuning && !compare.sequential)
		cli_usage_error("--tuning is the tuning of --sequential: give both");
	cli_input(&cli, argc, argv, "one input at a time");

	if (periods && fail_on_harm)
		cli_usage_error("--fail-on-harm decides on every unit: not with "
		                "--by-period");
	tact_summary_init(&summary);
	cli_load(cli.input, &cli.load, &summary);
	if (periods) {
		status = by_period(&cli, &summary, &compare);
		tact_summary_release(&summary);
		tact_compare_options_release(&compare);
		cli_options_release(&cli);
		cli_exit(status);
	}
	if (tact_compare_run(&summary, &compare, &result, &error) != TACT_OK)
		cli_fail(&error);
	warn_sample_ratio(&result);
	cli_output_open(&out, cli.output);
	cli_output_close(&out,
	                 cli.format == CSV
	                         ? tact_compare_write_csv(&result, out.stream, &error)
	                 : cli.format == TABLE
	                         ? tact_compare_write_table(&result, out.stream, &error)
	                         : tact_compare_write_json(&result, out.stream, &error),
	                 &error);
	if (fail_on_harm && harm(&result))
		status = TACT_GATE;
	tact_compare_result_release(&result);
	tact_summary_release(&summary);
	tact_compare_options_release(&compare);
	cli_options_release(&cli);
	cli_exit(status);
}
