/*
 * tact-summarize - stream an export once and write its summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "outfile.h"
#include "privacy.h"
#include "summaryfile.h"
#include "table.h"

static const char usage[] =
	"Usage: tact-summarize [OPTION]... [EXPORT]\n"
	"Stream an experiment export once and write its summary: per segment and\n"
	"arm, the unit count, each metric's count, sum and spread, and the\n"
	"cross-products between metrics (see tact-summary(5)).  Every statistics\n"
	"tool reads a summary as it reads the export.\n"
	"With no EXPORT, or when EXPORT is -, read standard input.\n"
	"\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	"      --format FORMAT    csv (the summary) or table (an overview) [csv]\n"
	"      --min-cell N       in the table, hide groups of fewer units [10]\n"

	"      --by-exposures     add the exposure count as a last segment column\n"
	"                         (the summary tact-dose needs)\n"
	CLI_INPUT_HELP
	CLI_CAP_HELP
	CLI_PRIVACY_HELP
	"      --help             show this help and exit\n"
	"      --version          show the version and exit\n"
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"73 cannot create output, 74 input/output error.\n";

enum { OPT_FORMAT = CLI_FIRST_TOOL_OPTION, OPT_MIN_CELL, OPT_BY_EXPOSURES };

/*
 * privacy: what to hide is decided once for every tool (tact_privacy_decide,
 * privacy.h): per group, hidden[g * (1 + metrics)] for its units (then
 * everything), [g * (1 + metrics) + 1 + m] for metric m.  NULL on memory.
 */
static unsigned char *hidden_groups(const tact_summary *summary, long min_cell,
                                    tact_privacy_mode mode)
{
	const size_t n = summary->group_count, q = 1 + summary->metric_count;
	unsigned char *hidden = calloc(n * q + 1, 1);
	size_t *segment = calloc(n + 1, sizeof *segment);
	size_t *arm = calloc(n + 1, sizeof *arm);
	tact_privacy_table table;
	tact_privacy_plan plan;
	tact_error error;
	size_t g, m;

	tact_error_init(&error);
	if (!hidden || !segment || !arm ||
	    tact_privacy_table_from_summary(summary, &table, segment, arm, &error)) {
		free(hidden);
		hidden = NULL;
		goto done;
	}
	if (tact_privacy_decide(&table, min_cell, mode, &plan, &error)) {
		free(hidden);
		hidden = NULL;
		tact_privacy_table_release(&table);
		goto done;
	}
	for (g = 0; g < n; g++) {
		hidden[g * q] = (unsigned char)tact_privacy_hidden(
			&plan, segment[g], arm[g], TACT_PRIVACY_UNITS);
		for (m = 0; m < summary->metric_count; m++)
			hidden[g * q + 1 + m] =
				(unsigned char)tact_privacy_hidden(&plan, segment[g], arm[g], m);
	}
	tact_privacy_plan_release(&plan);
	tact_privacy_table_release(&table);
done:
	free(segment);
	free(arm);
	return hidden;
}

/* An overview a person reads: the rate or mean of each metric per group. */
static void print_table(const tact_summary *summary, FILE *out, long min_cell,
                        tact_privacy_mode mode)
{
	const size_t d = summary->dimensions, m = summary->metric_count;
	const size_t columns = d + 2 + m;
	const char **cells = calloc(columns, sizeof *cells);
	char (*text)[40] = calloc(columns, sizeof *text);
	unsigned char *hide = hidden_groups(summary, min_cell, mode);
	tact_table table;
	size_t g, i;

	if (!cells || !text || !hide)
		goto done;
	for (i = 0; i < d; i++)
		cells[i] = summary->dimension_names[i];
	cells[d] = summary->arm_name;
	cells[d + 1] = "units";
	for (i = 0; i < m; i++)
		cells[d + 2 + i] = summary->metrics[i].name;
	if (tact_table_init(&table, columns, cells) != 0)
		goto done;
	for (i = d + 1; i < columns; i++)
		tact_table_align_right(&table, i);
	for (g = 0; g < summary->group_count; g++) {
		const tact_summary_group *group = &summary->groups[g];
		int hidden = hide[g * (1 + m)];
		for (i = 0; i < d; i++)
			cells[i] = group->labels[i][0] ? group->labels[i] : "(empty)";
		cells[d] = group->arm;
		if (group->units < min_cell)
			snprintf(text[d + 1], sizeof text[0], "<%ld", min_cell);
		else if (hidden)
			snprintf(text[d + 1], sizeof text[0], "hidden");
		else
			tact_format_count(text[d + 1], group->units);
		cells[d + 1] = text[d + 1];
		for (i = 0; i < m; i++) {
			double mean = tact_moments_mean(group->metrics[i]);
			char *t = text[d + 2 + i];
			if (hidden || hide[g * (1 + m) + 1 + i]) {
				strcpy(t, "-");
			} else if (summary->metrics[i].binary) {
				tact_format_fixed(t, sizeof text[0], 100.0 * mean, 2);
				if (t[0])
					strcat(t, "%");
			} else {
				tact_format_fixed(t, sizeof text[0], mean, 2);
			}
			cells[d + 2 + i] = t[0] ? t : "-";
		}
		/* A blank line between segments. */
		tact_table_add(&table, cells,
		               g > 0 && d > 0 &&
		               strcmp(group->labels[0], summary->groups[g - 1].labels[0]));
	}
	tact_table_print(&table, out);
	fprintf(out, "\nRates in %%, means per unit; %lld rows read, %lld left out "
	             "for lack of consent, %lld rejected.\n",
	        (long long)summary->rows_read,
	        (long long)summary->rows_excluded_consent,
	        (long long)summary->rows_rejected);
	tact_table_release(&table);
done:
	free(cells);
	free(text);
	free(hide);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"min-cell", required_argument, NULL, OPT_MIN_CELL},
		{"by-exposures", no_argument, NULL, OPT_BY_EXPOSURES},
		CLI_INPUT_OPTIONS,
		CLI_CAP_OPTION,
		CLI_PRIVACY_OPTION,
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *input = "-";
	int table = 0, option;
	long min_cell = 10;
	tact_privacy_mode privacy = TACT_PRIVACY_TABLES;
	tact_load_options load;
	tact_summary summary;
	tact_outfile out;
	tact_error error;

	cli_init("tact-summarize");
	tact_error_init(&error);
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
			table = strcmp(cli_choice("format", optarg, "csv,table"),
			               "table") == 0;
			break;
		case CLI_PRIVACY:
			privacy = cli_privacy(optarg);
			break;
		case OPT_MIN_CELL:
			min_cell = (long)cli_count("min-cell", optarg);
			break;
		case OPT_BY_EXPOSURES:
			load.exposure_dimension = 1;
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
		cli_usage_error("one export at a time (use tact-merge to combine "
		                "summaries)");
	if (optind < argc)
		input = argv[optind];
	cli_check_outputs(&output, 1, &input, 1);

	tact_summary_init(&summary);
	cli_load(input, &load, &summary);
	cli_output_open(&out, output);
	if (table)
		print_table(&summary, out.stream, min_cell, privacy);
	else if (tact_summaryfile_write(&summary, out.stream, &error) != TACT_OK) {
		tact_outfile_abort(&out);
		cli_fail(&error);
	}
	if (tact_outfile_commit(&out, &error) != TACT_OK)
		cli_fail(&error);
	tact_summary_release(&summary);
	tact_load_options_release(&load);
	cli_exit(TACT_OK);
}
