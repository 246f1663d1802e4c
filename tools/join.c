/*
 * tact-join - attach columns of a small CSV to an export by a key column,
 * streaming the export (a filter: its output goes to any other tool).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "format.h"
#include "join.h"

static const char usage[] =
	"Usage: tact-join --key COL [OPTION]... SMALL [EXPORT]\n"
	"Attach the columns of SMALL (a CSV with one row per key: a segment per\n"
	"user, a pre-period covariate) to every row of EXPORT whose column COL\n"
	"holds that key, and write the export, comma-separated, with the\n"
	"columns after its own.  SMALL is held in memory and EXPORT streamed:\n"
	"give the smaller file first.  A key repeated in SMALL is refused with\n"
	"its line.  Rows of EXPORT whose key SMALL lacks get empty cells (or\n"
	"are dropped); they are counted on standard error.  Key values are\n"
	"never printed.  With no EXPORT, or when EXPORT is -, read standard\n"
	"input, so that tact-join goes in a pipe:\n"
	"  tact-join --key user_id segments.csv export.csv | tact-compare --by segment\n"
	"\n"
	"      --key COL          the key column, in both files (required)\n"
	"      --columns A,B      the columns of SMALL to attach [all but the key]\n"
	"      --unmatched WHAT   a row whose key SMALL lacks: empty (cells left\n"
	"                         empty) or drop (row left out) [empty]\n"
	"      --delimiter C      ',', ';' or 'tab', both inputs [detected]\n"
	"      --quiet            no counts on standard error\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	CLI_COMMON_HELP
	"\n"
	"Exit status: 0 success, 64 usage, 65 bad data (a repeated key, a missing\n"
	"column), 66 cannot open input, 73 cannot create output, 74 I/O error.\n";

enum { OPT_KEY = CLI_FIRST_TOOL_OPTION, OPT_COLUMNS, OPT_UNMATCHED };

/* "a,b,c" into a NULL-terminated list of names (the text is cut in
 * place); exits on an empty name. */
static char **split_names(char *text, size_t *count)
{
	char **names = calloc(strlen(text) / 2 + 2, sizeof *names);
	char *at = text, *comma;

	if (!names) {
		tact_error error;
		tact_error_oom(&error);
		cli_fail(&error);
	}
	*count = 0;
	for (;;) {
		comma = strchr(at, ',');
		if (comma)
			*comma = '\0';
		if (!*at)
			cli_usage_error("--columns has an empty name");
		names[(*count)++] = at;
		if (!comma)
			break;
		at = comma + 1;
	}
	return names;
}

/* Counts for the user: rows, matched, unmatched, keys of SMALL unused. */
static void report(const char *small, const char *export_path,
                   const tact_join_options *options,
                   const tact_join_counts *c)
{
	char rows[32], matched[32], unmatched[32], unused[32], empty[32];

	if (cli_quiet())
		return;
	tact_format_thousands(rows, sizeof rows, (int64_t)c->rows);
	tact_format_thousands(matched, sizeof matched, (int64_t)c->matched);
	tact_format_thousands(unmatched, sizeof unmatched, (int64_t)c->unmatched);
	tact_format_thousands(unused, sizeof unused, (int64_t)c->keys_unused);
	cli_note("%s: %s rows, %s matched, %s unmatched (%s); %s key%s of %s "
	         "matched no row",
	         tact_csv_display_name(export_path), rows, matched, unmatched,
	         options->drop_unmatched ? "dropped" : "given empty cells", unused,
	         c->keys_unused == 1 ? "" : "s", tact_csv_display_name(small));
	if (c->small_empty_keys)
		cli_note("%s: %s row%s with an empty key left out",
		         tact_csv_display_name(small),
		         tact_format_thousands(empty, sizeof empty,
		                               (int64_t)c->small_empty_keys),
		         c->small_empty_keys == 1 ? "" : "s");
}

/* SMALL is held in memory: say so when it is the larger file, and large
 * enough for memory to matter (16 MiB). */
static void check_sizes(const char *small, const char *export_path)
{
	struct stat a, b;

	if (strcmp(small, "-") != 0 && strcmp(export_path, "-") != 0 &&
	    stat(small, &a) == 0 && stat(export_path, &b) == 0 &&
	    S_ISREG(a.st_mode) && S_ISREG(b.st_mode) && a.st_size > b.st_size &&
	    a.st_size > (16 << 20))
		cli_warn("%s is larger than %s: the first file is the one held in "
		         "memory; give the smaller first",
		         tact_csv_display_name(small),
		         tact_csv_display_name(export_path));
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		CLI_OUTPUT_OPTION,
		{"key", required_argument, NULL, OPT_KEY},
		{"columns", required_argument, NULL, OPT_COLUMNS},
		{"unmatched", required_argument, NULL, OPT_UNMATCHED},
		{"delimiter", required_argument, NULL, CLI_DELIMITER},
		{"quiet", no_argument, NULL, CLI_QUIET},
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	tact_join_options join;
	tact_join_counts counts;
	const char *inputs[2];
	char **columns = NULL;
	cli_options cli;
	tact_outfile out;
	tact_error error;
	tact_status status;
	int option;

	cli_options_init(&cli, "tact-join", usage, NULL);
	tact_error_init(&error);
	tact_join_options_init(&join);
	while ((option = cli_next(&cli, argc, argv, "o:", options)) != -1) {
		switch (option) {
		case OPT_KEY:
			if (!*optarg)
				cli_usage_error("--key is empty: name the key column");
			join.key = optarg;
			break;
		case OPT_COLUMNS:
			free(columns);
			columns = split_names(optarg, &join.column_count);
			join.columns = (const char *const *)columns;
			break;
		case OPT_UNMATCHED:
			join.drop_unmatched =
				(int)cli_choose("unmatched", optarg, "empty,drop");
			break;
		default: cli_usage_error("unexpected option");
		}
	}
	if (!join.key)
		cli_usage_error("--key is required: the column both files share");
	if (optind >= argc)
		cli_usage_error("no input: give the small file, then the export");
	if (argc - optind > 2)
		cli_usage_error("two inputs at most: the small file, then the export");
	inputs[0] = argv[optind];
	inputs[1] = optind + 1 < argc ? argv[optind + 1] : "-";
	if (strcmp(inputs[0], "-") == 0 && strcmp(inputs[1], "-") == 0)
		cli_usage_error("standard input given twice: the small file must be "
		                "a file");
	cli_check_outputs(&cli.output, 1, inputs, 2);
	join.delimiter = cli.load.delimiter;
	check_sizes(inputs[0], inputs[1]);
	cli_output_open(&out, cli.output);
	status = tact_join_run(inputs[0], inputs[1], &join, out.stream, &counts,
	                       &error);
	/* Rows already streamed down a pipe: end them with a line of one
	 * field (the output has two or more), so that the reader at the other
	 * end fails too rather than analysing part of the export.  A file
	 * output is removed whole. */
	if (status != TACT_OK && counts.started &&
	    (!cli.output || strcmp(cli.output, "-") == 0))
		fputs("tact-join failed: the joined export is incomplete\n",
		      out.stream);
	cli_output_close(&out, status, &error);
	report(inputs[0], inputs[1], &join, &counts);
	free(columns);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
