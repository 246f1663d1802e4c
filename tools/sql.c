/*
 * tact-sql - print the SQL that computes an experiment's summary inside a
 * warehouse (PostgreSQL, ClickHouse, BigQuery, Spark SQL, DuckDB).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"
#include "sql.h"

static const char usage[] =
	"Usage: tact-sql --dialect DIALECT --table TABLE [OPTION]...\n"
	"Print one SQL statement that computes, inside the warehouse, the summary\n"
	"tact-summarize writes (tact-summary(5)): run it and export its result as\n"
	"CSV with the header, and every statistics tool reads that file.\n"
	"\n"
	"  -d, --dialect DIALECT  postgres, clickhouse, bigquery, spark or duckdb\n"
	"  -t, --table TABLE      the table, inserted as given (a name, a qualified\n"
	"                         name, or a parenthesized subquery with an alias)\n"
	"      --columns COLS     the table's columns, comma-separated: roles are\n"
	"                         then resolved as against an export's header\n"
	"                         (default metrics and consent only when listed);\n"
	"                         without it every role column is assumed present\n"
	"      --header-row       put the summary header in the first result row\n"
	"                         and name the result's columns c1, c2, ...\n"
	"                         (export without a header: psql -t)\n"
	"  -o, --output FILE      write to FILE [stdout]\n"
	"\n"
	"Input columns (defaults in brackets, assumed present unless --columns):\n"
	"      --arm COL          the arm of each row [arm]\n"
	"      --control LABEL    the control arm [control]\n"
	"      --by COLS          segment columns, comma-separated; '' for none [intent]\n"
	"      --goal COLS        goal metrics, higher is better [converted]\n"
	"      --annoyance COLS   annoyance metrics, lower is better [bounced,unsubscribed]\n"
	"      --value COLS       value metrics, numeric columns [revenue]\n"
	"      --exposures COL    exposure count, a numeric column [exposures]\n"
	"      --consent COL      rows whose consent is not 1/true/yes are left out\n"
	"                         and counted; '' when the table has none [consent]\n"
	"      --unit COL         rows are sessions of units: fold them as\n"
	"                         tact-summarize --unit does [visitor_id when\n"
	"                         --columns lists it; '' for none]\n"
	"      --mixed-units drop|first  a unit seen in several arms is dropped,\n"
	"                         or kept in its first session's arm [drop]\n"
	"      --order-by COL     a unit's first session (its segments and arm)\n"
	"                         has the smallest COL [the smallest segments,\n"
	"                         then arm]\n"
	"      --covariate METRIC=COLUMN  a pre-experiment column adjusting METRIC\n"
	"                         (CUPED): the summary carries its sums; a NULL\n"
	"                         cell counts as 0 and is counted; repeatable\n"
	CLI_COMMON_HELP
	"\n"
	"Example: psql --csv -c \"$(tact-sql -d postgres -t events)\" > events.summary\n"
	"\n"
	"Exit status: 0 success, 64 usage, 73 cannot create output,\n"
	"74 input/output error.\n";

enum { OPT_COLUMNS = CLI_FIRST_TOOL_OPTION, OPT_HEADER_ROW, OPT_ORDER_BY,
       OPT_BY_EXPOSURES, OPT_COVARIATE };

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"dialect", required_argument, NULL, 'd'},
		{"table", required_argument, NULL, 't'},
		CLI_OUTPUT_OPTION,
		{"columns", required_argument, NULL, OPT_COLUMNS},
		{"header-row", no_argument, NULL, OPT_HEADER_ROW},
		{"arm", required_argument, NULL, CLI_ARM},
		{"control", required_argument, NULL, CLI_CONTROL},
		{"by", required_argument, NULL, CLI_BY},
		{"goal", required_argument, NULL, CLI_GOAL},
		{"annoyance", required_argument, NULL, CLI_ANNOYANCE},
		{"value", required_argument, NULL, CLI_VALUE},
		{"exposures", required_argument, NULL, CLI_EXPOSURES},
		{"consent", required_argument, NULL, CLI_CONSENT},
		{"unit", required_argument, NULL, CLI_UNIT},
		{"mixed-units", required_argument, NULL, CLI_MIXED_UNITS},
		{"order-by", required_argument, NULL, OPT_ORDER_BY},
		{"covariate", required_argument, NULL, OPT_COVARIATE},
		/* Refused with a reason, not as unknown (tact_sql_build). */
		CLI_CAP_OPTION,
		{"by-exposures", no_argument, NULL, OPT_BY_EXPOSURES},
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *dialect_name = NULL;
	tact_sql_options sql_options = {0};
	tact_names columns = {0};
	tact_names covariates = {0};  /* items point into argv */
	cli_options cli;
	tact_outfile out;
	tact_error error;
	char *sql;
	int option;

	cli_options_init(&cli, "tact-sql", usage, NULL);
	tact_error_init(&error);
	while ((option = cli_next(&cli, argc, argv, "d:t:o:", options)) != -1) {
		switch (option) {
		case 'd':
			dialect_name = optarg;
			if (tact_sql_dialect_parse(optarg, &sql_options.dialect))
				cli_usage_error("--dialect must be postgres, clickhouse, "
				                "bigquery, spark or duckdb, got '%s'",
				                optarg);
			break;
		case 't':
			sql_options.table = optarg;
			break;
		case OPT_COLUMNS:
			cli_value("columns", tact_names_parse(&columns, optarg, &error),
			          &error);
			sql_options.columns = &columns;
			break;
		case OPT_HEADER_ROW:
			sql_options.header_row = 1;
			break;
		case OPT_ORDER_BY:
			sql_options.order_by = optarg;
			break;
		case OPT_COVARIATE: {
			char **items = realloc(covariates.items, (covariates.count + 1) *
			                       sizeof *items);
			if (!items) {
				tact_error_oom(&error);
				cli_fail(&error);
			}
			items[covariates.count++] = optarg;
			covariates.items = items;
			sql_options.covariates = &covariates;
			break;
		}
		case OPT_BY_EXPOSURES:
			cli_usage_error("--by-exposures: the statement cannot make the "
			                "exposure count a segment; give --by with the "
			                "table's exposure column instead");
		default:
			cli_usage_error("unexpected option");
		}
	}
	if (optind < argc)
		cli_usage_error("unexpected argument '%s' (the table is given with "
		                "--table)", argv[optind]);
	if (!dialect_name)
		cli_usage_error("give the dialect: --dialect postgres, clickhouse, "
		                "bigquery, spark or duckdb");
	if (!sql_options.table)
		cli_usage_error("give the table: --table NAME");

	cli_check_outputs(&cli.output, 1, NULL, 0);
	sql_options.mixed_units_first = cli.load.mixed_units_first;
	if (tact_sql_build(&cli.load.roles, &sql_options, &sql, &error) != TACT_OK) {
		if (error.status == TACT_USAGE)
			cli_usage_error("%s", error.message);
		cli_fail(&error);
	}
	cli_output_open(&out, cli.output);
	fputs(sql, out.stream);
	cli_output_close(&out, TACT_OK, &error);
	free(sql);
	free(covariates.items);
	tact_names_release(&columns);
	cli_options_release(&cli);
	cli_exit(TACT_OK);
}
