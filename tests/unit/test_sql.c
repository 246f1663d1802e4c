/*
 * test_sql.c - tact-sql's statement: quoting per dialect, role resolution
 * (assumed columns, --columns, the unit column), the sessions folded into
 * units, the refusals, and the statement's shape in each dialect.  Whether
 * the statement computes the right numbers is checked on real engines
 * (PostgreSQL, DuckDB, ClickHouse) by tests/sql/ (make test-sql).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "roles.h"
#include "sql.h"

static void check_quote(char *quoted, const char *expected)
{
	assert_non_null(quoted);
	assert_string_equal(quoted, expected);
	free(quoted);
}

static void test_dialect_names(void **state)
{
	tact_sql_dialect d;

	(void)state;
	assert_int_equal(tact_sql_dialect_parse("postgres", &d), 0);
	assert_int_equal(d, TACT_SQL_POSTGRES);
	assert_int_equal(tact_sql_dialect_parse("postgresql", &d), 0);
	assert_int_equal(d, TACT_SQL_POSTGRES);
	assert_int_equal(tact_sql_dialect_parse("clickhouse", &d), 0);
	assert_int_equal(d, TACT_SQL_CLICKHOUSE);
	assert_int_equal(tact_sql_dialect_parse("bigquery", &d), 0);
	assert_int_equal(d, TACT_SQL_BIGQUERY);
	assert_int_equal(tact_sql_dialect_parse("spark", &d), 0);
	assert_int_equal(d, TACT_SQL_SPARK);
	assert_int_equal(tact_sql_dialect_parse("duckdb", &d), 0);
	assert_int_equal(d, TACT_SQL_DUCKDB);
	assert_string_equal(tact_sql_dialect_name(TACT_SQL_DUCKDB), "duckdb");
	assert_int_equal(tact_sql_dialect_parse("mysql", &d), -1);
	assert_int_equal(tact_sql_dialect_parse("", &d), -1);
	assert_string_equal(tact_sql_dialect_name(TACT_SQL_CLICKHOUSE),
	                    "clickhouse");
}

static void test_quote_identifier(void **state)
{
	(void)state;
	check_quote(tact_sql_quote_identifier(TACT_SQL_POSTGRES, "visit intent"),
	            "\"visit intent\"");
	check_quote(tact_sql_quote_identifier(TACT_SQL_POSTGRES, "arm\"s"),
	            "\"arm\"\"s\"");
	/* PostgreSQL takes a backslash in an identifier literally. */
	check_quote(tact_sql_quote_identifier(TACT_SQL_POSTGRES, "a\\b"),
	            "\"a\\b\"");
	check_quote(tact_sql_quote_identifier(TACT_SQL_CLICKHOUSE, "a`b\\c"),
	            "`a\\`b\\\\c`");
	check_quote(tact_sql_quote_identifier(TACT_SQL_BIGQUERY, "a b`c"),
	            "`a b\\`c`");
	check_quote(tact_sql_quote_identifier(TACT_SQL_BIGQUERY, "a\nb"),
	            "`a\\nb`");
	/* Spark doubles the backquote and knows no backslash escapes. */
	check_quote(tact_sql_quote_identifier(TACT_SQL_SPARK, "a`b\\c"),
	            "`a``b\\c`");
	check_quote(tact_sql_quote_identifier(TACT_SQL_SPARK, "flâneur"),
	            "`flâneur`");
	check_quote(tact_sql_quote_identifier(TACT_SQL_DUCKDB, "arm\"s a\\b"),
	            "\"arm\"\"s a\\b\"");
}

static void test_quote_string(void **state)
{
	(void)state;
	check_quote(tact_sql_quote_string(TACT_SQL_POSTGRES, "it's"), "'it''s'");
	check_quote(tact_sql_quote_string(TACT_SQL_POSTGRES, "a\\b"), "'a\\b'");
	check_quote(tact_sql_quote_string(TACT_SQL_CLICKHOUSE, "it's a\\b"),
	            "'it\\'s a\\\\b'");
	check_quote(tact_sql_quote_string(TACT_SQL_BIGQUERY, "No E-Mail"),
	            "'No E-Mail'");
	check_quote(tact_sql_quote_string(TACT_SQL_BIGQUERY, "a\tb\r\n"),
	            "'a\\tb\\r\\n'");
	check_quote(tact_sql_quote_string(TACT_SQL_SPARK, "it's"), "'it\\'s'");
	check_quote(tact_sql_quote_string(TACT_SQL_SPARK, ""), "''");
	check_quote(tact_sql_quote_string(TACT_SQL_DUCKDB, "it's a\\b"),
	            "'it''s a\\b'");
}

/* The order column build() passes (NULL: none). */
static const char *build_order_by;

/* The --covariate items build() passes (NULL: none). */
static const tact_names *build_covariates;

/* Build with the default roles plus the flags given as "role=value"
 * pairs; returns the status, *sql set on success. */
static tact_status build(tact_sql_dialect dialect, const char *table,
                         const char *columns, int header_row, char **sql,
                         tact_error *error, ...)
{
	tact_roles_spec spec;
	tact_sql_options options = {0};
	tact_names names = {0};
	tact_status status;
	const char *pair;
	va_list args;

	tact_error_init(error);
	assert_int_equal(tact_roles_spec_init(&spec, error), TACT_OK);
	va_start(args, error);
	while ((pair = va_arg(args, const char *)) != NULL) {
		char role[32];
		const char *equals = strchr(pair, '=');
		assert_non_null(equals);
		snprintf(role, sizeof role, "%.*s", (int)(equals - pair), pair);
		assert_int_equal(tact_roles_spec_set(&spec, role, equals + 1, error),
		                 TACT_OK);
	}
	va_end(args);
	options.dialect = dialect;
	options.table = table;
	options.header_row = header_row;
	options.order_by = build_order_by;
	options.covariates = build_covariates;
	if (columns) {
		assert_int_equal(tact_names_parse(&names, columns, error), TACT_OK);
		options.columns = &names;
	}
	status = tact_sql_build(&spec, &options, sql, error);
	if (status != TACT_OK)
		assert_null(*sql);
	tact_names_release(&names);
	tact_roles_spec_release(&spec);
	return status;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part)) {
		print_error("'%s' not found in the statement:\n%s\n", part, text);
		fail();
	}
}

static int occurrences(const char *text, const char *part)
{
	int count = 0;

	while ((text = strstr(text, part)) != NULL) {
		count++;
		text += strlen(part);
	}
	return count;
}

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part)) {
		print_error("'%s' found in the statement:\n%s\n", part, text);
		fail();
	}
}

static void test_postgres_default(void **state)
{
	tact_error error;
	char *sql;

	(void)state;
	assert_int_equal(build(TACT_SQL_POSTGRES, "sample", NULL, 0, &sql, &error,
	                       NULL), TACT_OK);
	assert_contains(sql, "FROM sample\n");
	assert_contains(sql, "CAST(\"revenue\" AS double precision) AS tact_m4");
	assert_contains(sql, "LOWER(TRIM(CAST(\"consent\" AS text))) IN "
	                     "('1', 'true', 'yes')");
	assert_contains(sql, "VAR_POP(tact_m1) * COUNT(tact_m1)");
	assert_contains(sql, "COVAR_POP(tact_m1, tact_m2)");
	assert_contains(sql, "THEN CASE WHEN tact_k = 1001 THEN 'pooled' ELSE "
	                     "'group' END ELSE 'meta' END AS \"tact_summary_v1\"");
	/* The pooled rows, per arm, in the same aggregation. */
	assert_contains(sql, "GROUPING(tact_s1) AS tact_pool");
	assert_contains(sql, "GROUP BY GROUPING SETS ((tact_consent, tact_s1, "
	                     "tact_arm), (tact_consent, tact_arm))");
	assert_contains(sql, "CASE WHEN tact_pool = 1 THEN '(all)' ELSE tact_s1 "
	                     "END ELSE tact_key END AS \"segment:intent\"");
	assert_contains(sql, "SELECT 1001, ''");
	assert_contains(sql, "AS \"segment:intent\"");
	assert_contains(sql, "AS \"cross:revenue:exposures:c\"");
	assert_contains(sql, "SELECT 4, 'consent'");
	assert_contains(sql, "SELECT 7, 'binary:unsubscribed'");
	assert_lacks(sql, "binary:revenue");
	assert_contains(sql, "tact_arm = 'control'");
	assert_contains(sql, "ORDER BY tact_k, tact_s1 COLLATE \"C\", "
	                     "tact_arm COLLATE \"C\"");
	/* One scan: each step is used once, so no engine runs it twice. */
	assert_int_equal(occurrences(sql, "FROM sample"), 1);
	assert_int_equal(occurrences(sql, "FROM tact_rows"), 1);
	assert_int_equal(occurrences(sql, "FROM tact_cells"), 1);
	assert_int_equal(occurrences(sql, "FROM tact_totals"), 1);
	/* One statement: no semicolon anywhere. */
	assert_null(strchr(sql, ';'));
	/* No unit column is assumed. */
	assert_lacks(sql, "visitor_id");
	free(sql);
}

static void test_dialect_spellings(void **state)
{
	tact_error error;
	char *sql;

	(void)state;
	assert_int_equal(build(TACT_SQL_CLICKHOUSE, "db.events", NULL, 0, &sql,
	                       &error, NULL), TACT_OK);
	assert_contains(sql, "varPopStable(tact_m1)");
	assert_contains(sql, "covarPopStable(tact_m1, tact_m2)");
	assert_contains(sql, "CAST(`revenue` AS Nullable(Float64))");
	assert_contains(sql, "toString(`intent`)");
	assert_lacks(sql, "COLLATE");
	/* A NULL would be written \N in ClickHouse's CSV. */
	assert_lacks(sql, "NULL AS");
	free(sql);

	assert_int_equal(build(TACT_SQL_BIGQUERY, "`project.dataset.events`",
	                       NULL, 0, &sql, &error, NULL), TACT_OK);
	assert_contains(sql, "FROM `project.dataset.events`\n");
	assert_contains(sql, "FORMAT('%.17g', tact_m4_sum)");
	assert_contains(sql, "CAST(`exposures` AS FLOAT64)");
	assert_contains(sql, "AS `goal:converted:n`");
	free(sql);

	assert_int_equal(build(TACT_SQL_SPARK, "events", NULL, 0, &sql, &error,
	                       NULL), TACT_OK);
	assert_contains(sql, "CAST(`revenue` AS DOUBLE)");
	assert_contains(sql, "VAR_POP(tact_m5)");
	assert_contains(sql, "CAST(tact_m5_m2 AS STRING)");
	free(sql);
}

static void test_roles(void **state)
{
	tact_error error;
	char *sql;

	(void)state;
	/* Several segments, no consent, names that need quoting. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "by=visit intent,device", "consent=",
	                       "arm=arm\"s", "control=it's", NULL), TACT_OK);
	assert_contains(sql, "COALESCE(CAST(\"visit intent\" AS text), '') AS "
	                     "tact_s1");
	assert_contains(sql, "COALESCE(CAST(\"device\" AS text), '') AS tact_s2");
	assert_contains(sql, "1 AS tact_consent");
	assert_contains(sql, "tact_arm = 'it''s'");
	assert_contains(sql, "AS \"arm:arm\"\"s\"");
	assert_contains(sql, "GROUP BY GROUPING SETS ((tact_consent, tact_s1, "
	                     "tact_s2, tact_arm), (tact_consent, tact_arm))");
	free(sql);

	/* No segments. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "by=", NULL), TACT_OK);
	assert_contains(sql, "GROUP BY tact_consent, tact_arm\n");
	assert_lacks(sql, "segment:");
	/* No segments, no pooled rows (tact-summarize writes none either). */
	assert_lacks(sql, "GROUPING");
	assert_lacks(sql, "pooled");
	assert_lacks(sql, "1001");
	free(sql);

	/* --columns: default metrics and consent only when listed. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", "intent,arm,converted,x",
	                       0, &sql, &error, NULL), TACT_OK);
	assert_contains(sql, "AS \"goal:converted:m2\"");
	assert_lacks(sql, "bounced");
	assert_lacks(sql, "revenue");
	assert_contains(sql, "1 AS tact_consent");
	free(sql);
}

static void test_refusals(void **state)
{
	tact_error error;
	char *sql;
	char long_name[80];

	(void)state;
	/* A cap is not computed by the statement: refused, naming it. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "cap=revenue=p99", NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "--cap"));
	assert_non_null(strstr(error.message, "'revenue'"));
	/* An order column needs a unit column, and one that --columns lists. */
	build_order_by = "started_at";
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "--unit"));
	assert_int_equal(build(TACT_SQL_POSTGRES, "t",
	                       "intent,arm,converted,visitor_id", 0, &sql, &error,
	                       NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "'started_at'"));
	build_order_by = "";
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "unit=visitor_id", NULL), TACT_USAGE);
	build_order_by = NULL;
	/* A named column absent from --columns: a usage error, no position. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", "intent,arm,converted", 0,
	                       &sql, &error, "value=spend", NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "'spend'"));
	assert_int_equal(error.line, 0);
	/* Two roles for one column. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "goal=revenue", "value=revenue", NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "cannot be both"));
	/* No metric. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "goal=", "annoyance=", "value=", "exposures=",
	                       NULL), TACT_USAGE);
	/* A metric name with ':'. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "goal=a:b", NULL), TACT_USAGE);
	/* No table. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "", NULL, 0, &sql, &error,
	                       NULL), TACT_USAGE);

	/* A header name PostgreSQL would cut: refused, unless --header-row. */
	memset(long_name, 'm', 60);
	strcpy(long_name + 60, "=");
	{
		char pair[90];
		snprintf(pair, sizeof pair, "goal=%.60s", long_name);
		assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
		                       pair, NULL), TACT_USAGE);
		assert_non_null(strstr(error.message, "--header-row"));
		assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 1, &sql, &error,
		                       pair, NULL), TACT_OK);
		free(sql);
		assert_int_equal(build(TACT_SQL_CLICKHOUSE, "t", NULL, 0, &sql,
		                       &error, pair, NULL), TACT_OK);
		free(sql);
	}
}

static void test_units(void **state)
{
	tact_error error;
	char *sql;

	(void)state;
	/* --unit: sessions ranked in their unit, folded, then aggregated. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &sql, &error,
	                       "unit=visitor_id", NULL), TACT_OK);
	assert_contains(sql, "CAST(\"visitor_id\" AS text) AS tact_unit");
	assert_contains(sql, "row_number() OVER (PARTITION BY tact_consent, "
	                     "tact_unit ORDER BY tact_s1 COLLATE \"C\", tact_arm "
	                     "COLLATE \"C\") AS tact_rank");
	assert_contains(sql, "MAX(CASE WHEN tact_rank = 1 THEN tact_x_s1 END) AS "
	                     "tact_s1");
	assert_contains(sql, "MAX(CASE WHEN tact_rank = 1 THEN tact_x_arm END) AS "
	                     "tact_arm");
	/* Outcomes: the largest; values and exposures: the sum. */
	assert_contains(sql, "MAX(tact_x_m1) AS tact_m1");
	assert_contains(sql, "MAX(tact_x_m3) AS tact_m3");
	assert_contains(sql, "SUM(tact_x_m4) AS tact_m4");
	assert_contains(sql, "SUM(tact_x_m5) AS tact_m5");
	assert_contains(sql, "CASE WHEN MIN(tact_x_arm) = MAX(tact_x_arm) THEN 0 "
	                     "ELSE 1 END AS tact_several");
	/* Units in several arms dropped (the default): consent 2. */
	assert_contains(sql, "tact_consent AS tact_x_consent");
	assert_contains(sql, "CASE WHEN tact_x_consent = 1 AND MIN(tact_x_arm) <> "
	                     "MAX(tact_x_arm) THEN 2 ELSE tact_x_consent END AS "
	                     "tact_consent");
	assert_contains(sql, "GROUP BY tact_x_consent, CASE WHEN tact_x_consent "
	                     "= 1 THEN tact_unit END");
	assert_contains(sql, "SUM(CASE WHEN tact_consent >= 1 OR tact_pool = 1 "
	                     "THEN 0");
	assert_contains(sql, "FROM tact_units\n");
	/* Rows read count sessions. */
	assert_contains(sql, "SUM(tact_sessions) AS tact_session_n");
	assert_contains(sql, "ELSE tact_session_n END) OVER () AS tact_read");
	/* The meta rows of tact-summarize --unit, in its order. */
	assert_contains(sql, "SELECT 4, 'consent'\n  UNION ALL SELECT 5, 'unit'\n"
	                     "  UNION ALL SELECT 6, 'units_in_several_arms'\n"
	                     "  UNION ALL SELECT 7, 'mixed_units'\n"
	                     "  UNION ALL SELECT 8, 'binary:converted'");
	assert_contains(sql, "WHEN 5 THEN 'visitor_id' WHEN 6 THEN "
	                     "CAST(tact_several_total AS text) WHEN 7 THEN 'drop'");
	assert_contains(sql, "(tact_k <> 7 OR tact_several_total > 0)");
	assert_lacks(sql, "tact_order");
	/* Each step still read once. */
	assert_int_equal(occurrences(sql, "FROM t\n"), 1);
	assert_int_equal(occurrences(sql, "FROM tact_rows"), 1);
	assert_int_equal(occurrences(sql, "FROM tact_ranked"), 1);
	assert_int_equal(occurrences(sql, "FROM tact_units"), 1);
	free(sql);

	/* --order-by: the smallest first, NULL last, then labels and arm. */
	build_order_by = "started at";
	assert_int_equal(build(TACT_SQL_CLICKHOUSE, "t", NULL, 0, &sql, &error,
	                       "unit=visitor_id", NULL), TACT_OK);
	assert_contains(sql, "`started at` AS tact_order");
	assert_contains(sql, "ORDER BY CASE WHEN tact_order IS NULL THEN 1 ELSE 0 "
	                     "END, tact_order, tact_s1, tact_arm) AS tact_rank");
	/* No alias that its own expression names (ClickHouse would loop). */
	assert_lacks(sql, "MAX(tact_m1) AS tact_m1");
	free(sql);
	build_order_by = NULL;

	/* The unit default among --columns folds, as tact-summarize does;
	 * --unit '' says rows are units already. */
	assert_int_equal(build(TACT_SQL_DUCKDB, "t",
	                       "intent,arm,converted,visitor_id", 0, &sql, &error,
	                       NULL), TACT_OK);
	assert_contains(sql, "CAST(\"visitor_id\" AS VARCHAR) AS tact_unit");
	assert_contains(sql, "SELECT 5, 'unit'");
	free(sql);
	assert_int_equal(build(TACT_SQL_DUCKDB, "t",
	                       "intent,arm,converted,visitor_id", 0, &sql, &error,
	                       "unit=", NULL), TACT_OK);
	assert_lacks(sql, "AS tact_unit\n");
	assert_lacks(sql, "visitor_id");
	free(sql);
	/* A unit column absent from --columns. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", "intent,arm,converted", 0,
	                       &sql, &error, "unit=visitor", NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "'visitor'"));
}

/* Build with the --covariate items of text ("a=b,c=d") and one more role
 * pair (or NULL). */
static tact_status build_with_covariates(const char *text, const char *columns,
                                         char **sql, tact_error *error,
                                         const char *unit)
{
	tact_names items = {0};
	tact_status status;

	tact_error_init(error);
	assert_int_equal(tact_names_parse(&items, text, error), TACT_OK);
	build_covariates = &items;
	status = build(TACT_SQL_POSTGRES, "t", columns, 0, sql, error, unit, NULL);
	build_covariates = NULL;
	tact_names_release(&items);
	return status;
}

/* The covariates (FORMAT of the covariate): after every metric, in the
 * order of first mention, in the cross pairs, the meta rows; a unit's
 * first session's value; the refusals. */
static void test_covariates(void **state)
{
	tact_error error;
	char *sql, *plain;
	const char *exposures_m2, *history_n, *visits_n, *first_cross;

	(void)state;
	assert_int_equal(build_with_covariates("revenue=history,converted=visits,"
	                                       "bounced=history", NULL, &sql,
	                                       &error, NULL), TACT_OK);
	exposures_m2 = strstr(sql, "\"exposures:exposures:m2\"");
	history_n = strstr(sql, "\"covariate:history:n\"");
	visits_n = strstr(sql, "\"covariate:visits:n\"");
	first_cross = strstr(sql, "\"cross:");
	assert_non_null(exposures_m2);
	assert_true(exposures_m2 < history_n && history_n < visits_n &&
	            visits_n < first_cross);
	assert_contains(sql, "\"cross:revenue:history:c\"");
	assert_contains(sql, "\"cross:history:visits:c\"");
	assert_contains(sql, "\"cross:exposures:visits:sum_b\"");
	/* A missing cell is 0, and counted. */
	assert_contains(sql, "CASE WHEN CAST(\"history\" AS double precision) IS "
	                     "NULL THEN 1 ELSE 0 END AS tact_v1");
	assert_contains(sql, "COALESCE(CAST(\"history\" AS double precision), 0) "
	                     "AS tact_m6");
	assert_contains(sql, "'covariate:converted'");
	assert_contains(sql, "'covariate:bounced'");
	assert_contains(sql, "'covariate:revenue'");
	assert_contains(sql, "'covariate_missing:history'");
	assert_contains(sql, "'covariate_missing:visits'");
	assert_int_equal(occurrences(sql, "'covariate_missing:"), 2);
	assert_lacks(sql, "binary:history");
	/* Without --covariate, not a word of it. */
	assert_int_equal(build(TACT_SQL_POSTGRES, "t", NULL, 0, &plain, &error,
	                       NULL), TACT_OK);
	assert_lacks(plain, "covariate");
	assert_lacks(plain, "tact_v1");
	free(plain);
	free(sql);

	/* Sessions: the first session's value, not a sum. */
	assert_int_equal(build_with_covariates("revenue=history", NULL, &sql,
	                                       &error, "unit=visitor_id"), TACT_OK);
	assert_contains(sql, "MAX(CASE WHEN tact_rank = 1 THEN tact_x_m6 END) AS "
	                     "tact_m6");
	assert_contains(sql, "MAX(CASE WHEN tact_rank = 1 THEN tact_x_v1 END) AS "
	                     "tact_v1");
	assert_contains(sql, "SUM(tact_x_m4) AS tact_m4");
	free(sql);
	/* A covariate named like the default unit does not make it the unit. */
	assert_int_equal(build_with_covariates("revenue=visitor_id", NULL, &sql,
	                                       &error, NULL), TACT_OK);
	assert_lacks(sql, "tact_ranked");
	free(sql);

	/* Refusals. */
	assert_int_equal(build_with_covariates("revenue", NULL, &sql, &error,
	                                       NULL), TACT_USAGE);
	assert_int_equal(build_with_covariates("spend=history", NULL, &sql,
	                                       &error, NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "'spend' is not a metric"));
	assert_int_equal(build_with_covariates("revenue=a,revenue=b", NULL, &sql,
	                                       &error, NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "at most one"));
	assert_int_equal(build_with_covariates("revenue=intent", NULL, &sql,
	                                       &error, NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "a segment"));
	assert_int_equal(build_with_covariates("revenue=history",
	                                       "intent,arm,revenue", &sql, &error,
	                                       NULL), TACT_USAGE);
	assert_non_null(strstr(error.message, "--columns"));
	assert_int_equal(build_with_covariates("revenue=a:b", NULL, &sql, &error,
	                                       NULL), TACT_USAGE);
}

static void test_header_row(void **state)
{
	tact_error error;
	char *sql;

	(void)state;
	assert_int_equal(build(TACT_SQL_SPARK, "t", NULL, 1, &sql, &error,
	                       "by=", "annoyance=", "value=", "exposures=", NULL),
	                 TACT_OK);
	assert_contains(sql, "SELECT -1 AS tact_k");
	assert_contains(sql, "WHEN tact_k = -1 THEN 'tact_summary_v1' ELSE "
	                     "'meta' END AS c1");
	assert_contains(sql, "WHEN tact_k = -1 THEN 'goal:converted:m2' ELSE "
	                     "CAST(NULL AS STRING) END AS c6\n");
	assert_lacks(sql, "`tact_summary_v1`");
	free(sql);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dialect_names),
		cmocka_unit_test(test_quote_identifier),
		cmocka_unit_test(test_quote_string),
		cmocka_unit_test(test_postgres_default),
		cmocka_unit_test(test_dialect_spellings),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_header_row),
		cmocka_unit_test(test_covariates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
