/*
 * test_validate.c - the data-quality report of tact-validate: column types
 * and counts over the rows with consent only, distinct values up to the
 * bound, units and sessions, the arms and segments with small-cell and
 * complementary suppression, problems as errors or (with skip_bad)
 * warnings, identifier columns, and no cell value in the report.  The
 * expected figures are counted by hand from the small exports below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"
#include "validate.h"
#include "../expected/validate_expected.h"

static tact_validate v;
static tact_load_options options;

static void run(const char *data, int64_t min_cell)
{
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_validate_run_memory("x.csv", data, strlen(data),
	                                          &options, min_cell, &v, &error),
	                 TACT_OK);
}

static int setup(void **state)
{
	tact_error error;

	(void)state;
	tact_error_init(&error);
	return tact_load_options_init(&options, &error) != TACT_OK;
}

static int teardown(void **state)
{
	(void)state;
	tact_validate_release(&v);
	tact_load_options_release(&options);
	return 0;
}

static char *report(int json)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	tact_error error;

	assert_non_null(out);
	tact_error_init(&error);
	assert_int_equal(json ? tact_validate_write_json(&v, out, &error)
	                      : tact_validate_write_table(&v, out, &error),
	                 TACT_OK);
	fclose(out);
	return text;
}

static void test_columns_and_consent(void **state)
{
	char *text;

	(void)state;
	run("arm,intent,converted,revenue,consent,mail\n"
	    "control,buy,1,2.5,1,a@example.org\n"
	    "control,buy,0,,yes,b@example.org\n"
	    "treated,browse,1,3,1,c@example.org\n"
	    "treated,browse,true,-4,1,d@example.org\n"
	    /* without consent: counts nowhere but in the coverage */
	    "treated,secret-segment,7,x,0,e@example.org\n"
	    "treated,secret-segment,7,x,,e@example.org\n",
	    10);
	assert_int_equal(v.rows, 6);
	assert_int_equal(v.consent_yes, 4);
	assert_int_equal(v.consent_no, 1);
	assert_int_equal(v.consent_missing, 1);
	assert_int_equal(v.errors, 0);
	assert_int_equal(v.warnings, 1); /* the identifier column */
	assert_string_equal(v.columns[0].role, "arm");
	assert_string_equal(v.columns[1].role, "segment");
	assert_string_equal(v.columns[2].role, "goal");
	assert_string_equal(v.columns[3].role, "value");
	assert_string_equal(v.columns[4].role, "consent");
	assert_null(v.columns[5].role);
	assert_int_equal(v.columns[1].distinct.count, 2); /* not secret-segment */
	assert_int_equal(v.columns[3].missing, 1);
	assert_int_equal(v.columns[3].present, 3);
	assert_int_equal(v.columns[5].identifier, TACT_IDENTIFIER_EMAIL);
	assert_int_equal(v.columns[5].reason, TACT_IDENTIFIER_BY_BOTH);
	assert_int_equal(v.units, 4);
	text = report(0);
	assert_non_null(strstr(text, "Arms ('arm'): control <10, treated <10"));
	assert_null(strstr(text, "secret-segment"));
	assert_null(strstr(text, "@example.org"));
	free(text);
	text = report(1);
	assert_non_null(strstr(text, "\"status\":\"clean\""));
	assert_non_null(strstr(text, "{\"name\":\"converted\",\"type\":\"boolean\","
	                             "\"role\":\"goal\",\"present\":4,\"missing\":0,"
	                             "\"distinct\":3,"));
	assert_non_null(strstr(text, "{\"name\":\"revenue\",\"type\":\"number\","
	                             "\"role\":\"value\",\"present\":3,\"missing\":1,"
	                             "\"distinct\":3,"));
	assert_non_null(strstr(text, "{\"name\":\"mail\",\"type\":\"email\","
	                             "\"role\":null,\"present\":4,\"missing\":0,"
	                             "\"distinct\":4,"));
	assert_null(strstr(text, "@example.org"));
	assert_null(strstr(text, "secret-segment"));
	free(text);
}

static void test_units_and_suppression(void **state)
{
	char *data = NULL;
	size_t size = 0, i;
	FILE *out = open_memstream(&data, &size);
	char *text;

	(void)state;
	/* Units v0..v59 in big (two sessions each, the second of v0 in the
	 * other arm), 12 in mid, 3 in tiny: tiny is under 10, and so are
	 * mid's cells (6 per arm), so their totals are hidden (the other tools
	 * hide those cells: tact_privacy_decide); arm a's hidden cells add up
	 * to 9, so big's cell of arm a is hidden as their complement, and
	 * big's total with it. */
	fputs("visitor_id,intent,arm,converted\n", out);
	for (i = 0; i < 60; i++)
		fprintf(out, "v%zu,big,%s,0\nv%zu,big,%s,1\n", i, i % 2 ? "a" : "b",
		        i, i == 0 ? "a" : i % 2 ? "a" : "b");
	for (i = 0; i < 12; i++)
		fprintf(out, "m%zu,mid,%s,0\n", i, i % 2 ? "a" : "b");
	for (i = 0; i < 3; i++)
		fprintf(out, "t%zu,tiny,a,1\n", i);
	fclose(out);
	options.roles.control_set = 1;
	free(options.roles.control);
	options.roles.control = strdup("b");
	run(data, 10);
	free(data);
	assert_int_equal(v.units, 75);
	assert_int_equal(v.rows_counted, 135);
	assert_int_equal(v.units_repeated, 60);
	assert_int_equal(v.sessions_max, 2);
	assert_int_equal(v.units_several_arms, 1);
	assert_int_equal(v.errors, 0);
	assert_int_equal(v.warnings, 1); /* units in several arms */
	text = report(0);
	assert_non_null(strstr(text, "Units ('visitor_id'): 75, from 135 rows; 60 "
	                             "seen in more than one row (sessions per "
	                             "unit: mean 1.80, max 2); 1 in more than one "
	                             "arm"));
	assert_non_null(strstr(text, "Segment 'intent': big (hidden), mid (hidden), "
	                             "tiny <10"));
	assert_non_null(strstr(text, "Arms ('arm'): a 39, b 36"));
	free(text);
	text = report(1);
	assert_non_null(strstr(text, "{\"label\":\"mid\",\"units\":null,"
	                             "\"suppressed\":true}"));
	free(text);
}

static void test_distinct_bound(void **state)
{
	char *data = NULL;
	size_t size = 0, i;
	FILE *out = open_memstream(&data, &size);

	(void)state;
	fputs("arm,intent,converted,code\n", out);
	for (i = 0; i < 1500; i++)
		fprintf(out, "%s,x,1,k%zu\n", i % 2 ? "a" : "control", i % 1200);
	fclose(out);
	run(data, 10);
	free(data);
	assert_int_equal(v.columns[3].distinct_over, 1);
	assert_int_equal(v.columns[3].distinct.count, TACT_VALIDATE_DISTINCT_MAX);
	assert_int_equal(v.columns[0].distinct_over, 0);
}

static void test_problems(void **state)
{
	static const char data[] =
		"arm,intent,converted,exposures,consent\n"
		"control,buy,oops,1,1\n"     /* line 2: converted */
		",buy,1,1,1\n"               /* line 3: empty arm */
		"a,buy,1,-2,1\n"             /* line 4: exposures */
		"a,buy,1,1,perhaps\n"        /* line 5: consent */
		"a,buy,nope,1,1\n"           /* line 6: converted */
		"a,buy,1,1,1\n";
	char *text;

	(void)state;
	run(data, 10);
	assert_int_equal(v.errors, 4);
	assert_int_equal(v.warnings, 2); /* no 'control' arm, a single arm */
	assert_int_equal(v.rows_bad, 5);
	assert_int_equal(v.rows_counted, 1);
	text = report(0);
	assert_non_null(strstr(text, "error: 'converted' (goal) must be 0 or 1 (or "
	                             "true/false, yes/no, or a number) (2 cells, "
	                             "first at line 2 field 3, line 6 field 3)"));
	assert_non_null(strstr(text, "error: the arm ('arm') is empty (1 cell, "
	                             "first at line 3 field 1)"));
	assert_null(strstr(text, "oops"));
	assert_null(strstr(text, "perhaps"));
	free(text);
	tact_validate_release(&v);

	/* With --skip-bad the rows are rejected, not fatal. */
	options.skip_bad = 1;
	run(data, 10);
	assert_int_equal(v.errors, 0);
	assert_int_equal(v.warnings, 6);
	tact_validate_release(&v);

	/* Unless no row is left. */
	run("arm,intent,converted\ncontrol,buy,oops\n", 10);
	assert_int_equal(v.errors, 1);
	options.skip_bad = 0;
}

static void set_role(const char *role, const char *value)
{
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_roles_spec_set(&options.roles, role, value, &error),
	                 TACT_OK);
}

/* The column named name. */
static const tact_validate_column *column(const char *name)
{
	size_t i;

	for (i = 0; i < v.column_count; i++)
		if (strcmp(v.columns[i].name, name) == 0)
			return &v.columns[i];
	fail_msg("no column %s", name);
	return NULL;
}

/* Minimum, quartiles, p99, maximum and the extreme count against NumPy
 * (tests/expected/validate.py); a column with a label has none; a 0/1
 * column is counted, not shown; the warning names --cap. */
static void test_spread_exact(void **state)
{
	size_t size = 0, i;
	char *data = NULL, *text;
	FILE *out = open_memstream(&data, &size);
	const tact_validate_quantiles *q;

	(void)state;
	assert_non_null(out);
	fputs("arm,rounds,converted,note\n", out);
	for (i = 0; i < 3000; i++) {
		fprintf(out, "%s,", i % 2 ? "control" : "personalized");
		if (i == 1500)
			fputs("49854", out);
		else if (i % 97 != 5)
			fprintf(out, "%g", (double)((i * 7919) % 1009) / 4.0);
		fprintf(out, ",%d,%s\n", (int)(i % 3 == 0), i == 2000 ? "x" : "7");
	}
	fclose(out);
	set_role("by", "");
	set_role("annoyance", "");
	set_role("value", "rounds");
	run(data, 10);
	free(data);
	q = column("rounds")->quantiles;
	assert_non_null(q);
	assert_true(tact_validate_spread_shown(&v, column("rounds")));
	assert_int_equal(q->count, (int64_t)validate_exact[0]);
	assert_false(q->approximate);
	assert_close(q->min, validate_exact[1], 1e-15);
	assert_close(q->q1, validate_exact[2], 1e-15);
	assert_close(q->median, validate_exact[3], 1e-15);
	assert_close(q->q3, validate_exact[4], 1e-15);
	assert_close(q->p99, validate_exact[5], 1e-15);
	assert_close(q->max, validate_exact[6], 1e-15);
	assert_int_equal(q->extreme, (int64_t)validate_exact[7]);
	assert_null(column("note")->quantiles); /* freed at the label */
	assert_non_null(column("converted")->quantiles);
	assert_true(column("converted")->quantiles->binary);
	assert_int_equal(column("converted")->quantiles->values, NULL);
	assert_false(tact_validate_spread_shown(&v, column("converted")));
	text = report(0);
	assert_non_null(strstr(text, "'rounds' has 1 value above 100 times its 99th percentile (p99 249.58, maximum 49854): a few units can decide a segment; cap them with --cap rounds=p99"));
	assert_non_null(strstr(text, "rounds   2,969    0   63     126  189  249.58  49854        1  exact"));
	free(text);
	text = report(1);
	assert_non_null(strstr(text, "\"spread\":{\"count\":2969,\"method\":\"exact\""));
	free(text);
}

/* Beyond 65,536 values: a sample, quantiles within NumPy's at q -+ 0.01,
 * count, minimum and maximum exact; the state never grows past the bound. */
static void test_spread_approximate(void **state)
{
	size_t size = 0, i;
	char *data = NULL;
	FILE *out = open_memstream(&data, &size);
	const tact_validate_quantiles *q;
	const double *b = validate_approximate_bounds;

	(void)state;
	assert_non_null(out);
	fputs("arm,spend\n", out);
	for (i = 0; i < 200000; i++)
		fprintf(out, "%s,%.17g\n", i % 2 ? "control" : "personalized",
		        (double)((i * 2654435761ULL) % 1000003ULL) / 7.0);
	fclose(out);
	set_role("by", "");
	set_role("goal", "");
	set_role("annoyance", "");
	set_role("value", "spend");
	run(data, 10);
	free(data);
	q = column("spend")->quantiles;
	assert_non_null(q);
	assert_true(q->approximate);
	assert_int_equal(q->count, 200000);
	assert_true(q->capacity <= TACT_VALIDATE_QUANTILE_EXACT);
	assert_close(q->min, validate_approximate_range[0], 0);
	assert_close(q->max, validate_approximate_range[1], 1e-15);
	assert_true(q->q1 >= b[0] && q->q1 <= b[1]);
	assert_true(q->median >= b[2] && q->median <= b[3]);
	assert_true(q->q3 >= b[4] && q->q3 <= b[5]);
	assert_true(q->p99 >= b[6] && q->p99 <= b[7]);
	assert_int_equal(q->extreme, 0);
}

static void test_summary_and_roles(void **state)
{
	static const char summary[] = "tact_summary_v1,arm:arm,units\n";
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_validate_run_memory("s.csv", summary,
	                                          strlen(summary), &options, 10,
	                                          &v, &error),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "this is a tact summary"));
	tact_validate_release(&v);

	/* An identifier column as a segment: an error; its labels not kept
	 * for the report. */
	tact_names_release(&options.roles.by);
	assert_int_equal(tact_names_parse(&options.roles.by, "ip", &error), TACT_OK);
	options.roles.by_set = 1;
	run("arm,ip,converted\ncontrol,10.0.0.1,1\ntreated,10.0.0.2,0\n", 10);
	assert_int_equal(v.errors, 1);
	assert_int_equal(v.segments[0].hidden, 1);
	{
		char *text = report(0);
		assert_non_null(strstr(text, "Segment 'ip': not shown"));
		assert_null(strstr(text, "10.0.0"));
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_columns_and_consent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_units_and_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_distinct_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_and_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spread_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spread_approximate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
