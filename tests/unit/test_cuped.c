/*
 * test_cuped.c - CUPED: theta, the adjusted samples and the variance
 * reduction from a summary; compare's rows on them; the covariate's role,
 * its missing cells, its first-session rule, and merges.
 *
 * Expected numbers: tests/expected/cuped_expected.h, written by
 * tests/expected/cuped.py with NumPy (theta = cov(x, y) / var(x) over both
 * arms, the adjusted values' means and sample variances).
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
#include "compare.h"
#include "cuped.h"
#include "load.h"
#include "means.h"
#include "numeric.h"
#include "segments.h"

#include "../expected/cuped_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The unit test's sample as an export: spend and its covariate history;
 * the arm's covariate of 0 is written as an empty cell (counted as 0). */
static char *export_text(void)
{
	char *data = NULL;
	size_t size = 0, i;
	FILE *out = open_memstream(&data, &size);

	assert_non_null(out);
	fputs("arm,spend,history\n", out);
	for (i = 0; i < COUNT(CUPED_Y_ARM); i++) {
		if (CUPED_X_ARM[i] == 0)
			fprintf(out, "treat,%.17g,\n", CUPED_Y_ARM[i]);
		else
			fprintf(out, "treat,%.17g,%.17g\n", CUPED_Y_ARM[i],
			        CUPED_X_ARM[i]);
	}
	for (i = 0; i < COUNT(CUPED_Y_CONTROL); i++)
		fprintf(out, "control,%.17g,%.17g\n", CUPED_Y_CONTROL[i],
		        CUPED_X_CONTROL[i]);
	fclose(out);
	return data;
}

static tact_status load_text(const char *text, const char *covariate,
                             const char *unit, tact_summary *summary,
                             tact_error *error)
{
	tact_load_options options;
	tact_status status;

	assert_int_equal(tact_load_options_init(&options, error), TACT_OK);
	assert_int_equal(tact_roles_spec_set(&options.roles, "goal", "", error),
	                 TACT_OK);
	assert_int_equal(tact_roles_spec_set(&options.roles, "value", "spend",
	                                     error), TACT_OK);
	if (covariate)
		assert_int_equal(tact_roles_spec_set(&options.roles, "covariate",
		                                     covariate, error), TACT_OK);
	if (unit)
		assert_int_equal(tact_roles_spec_set(&options.roles, "unit", unit,
		                                     error), TACT_OK);
	tact_summary_init(summary);
	status = tact_load_memory("in.csv", text, strlen(text), &options, summary,
	                          NULL, error);
	tact_load_options_release(&options);
	return status;
}

static void load_sample(tact_summary *summary, const char *covariate)
{
	tact_error error;
	char *text = export_text();

	tact_error_init(&error);
	assert_int_equal(load_text(text, covariate, NULL, summary, &error),
	                 TACT_OK);
	free(text);
}

static void test_adjusted_samples_match_numpy(void **state)
{
	tact_summary summary;
	tact_segments cells;
	tact_cuped_result r;
	tact_error error;
	size_t history;

	(void)state;
	tact_error_init(&error);
	load_sample(&summary, "spend=history");
	history = tact_summary_metric_index(&summary, "history");
	assert_int_equal(summary.metrics[history].role, TACT_ROLE_COVARIATE);
	assert_int_equal(summary.covariate_of[0], history);
	assert_int_equal(summary.covariate_missing[history], 1);
	assert_int_equal(tact_segments_build(&summary, &cells, &error), TACT_OK);
	assert_int_equal(tact_cuped_row(&cells, 0, 1, 0, &r, &error), TACT_OK);
	assert_close(r.theta, CUPED_THETA, 1e-12);
	assert_close(r.covariate_mean, CUPED_X_BAR, 1e-12);
	assert_close(r.arm.mean, CUPED_MEAN_ARM, 1e-12);
	assert_close(r.control.mean, CUPED_MEAN_CONTROL, 1e-12);
	assert_close(r.arm.variance, CUPED_VARIANCE_ARM, 1e-12);
	assert_close(r.control.variance, CUPED_VARIANCE_CONTROL, 1e-12);
	assert_close(r.variance_reduction, CUPED_VARIANCE_REDUCTION, 1e-12);
	assert_close(r.arm.count, (double)COUNT(CUPED_Y_ARM), 0);
	/* No covariate: an error, not a guess. */
	assert_int_equal(tact_cuped_row(&cells, 0, 1, history, &r, &error),
	                 TACT_DATA);
	tact_segments_release(&cells);
	tact_summary_release(&summary);
}

static void test_compare_tests_the_adjusted_values(void **state)
{
	tact_summary summary;
	tact_compare_options options;
	tact_compare_result result;
	tact_means_welch_result welch;
	tact_means_sample a = {7, CUPED_MEAN_ARM, CUPED_VARIANCE_ARM};
	tact_means_sample c = {6, CUPED_MEAN_CONTROL, CUPED_VARIANCE_CONTROL};
	tact_error error;
	const tact_compare_row *row;
	double raw_arm = 0;
	size_t i;

	(void)state;
	tact_error_init(&error);
	load_sample(&summary, "spend=history");
	tact_compare_options_init(&options);
	options.min_cell = 1;
	assert_int_equal(tact_compare_run(&summary, &options, &result, &error),
	                 TACT_OK);
	assert_int_equal(result.row_count, 1); /* the covariate is no row */
	row = &result.rows[0];
	for (i = 0; i < COUNT(CUPED_Y_ARM); i++)
		raw_arm += CUPED_Y_ARM[i] / (double)COUNT(CUPED_Y_ARM);
	assert_true(row->cuped);
	assert_close(row->mean_arm, raw_arm, 1e-12); /* raw mean */
	assert_close(row->diff, CUPED_MEAN_ARM - CUPED_MEAN_CONTROL, 1e-12);
	assert_int_equal(tact_means_welch(a, c, 0.95, &welch, &error), TACT_OK);
	assert_close(row->statistic, welch.statistic, 1e-10);
	assert_close(row->df, welch.df, 1e-10);
	assert_close(row->p_value, welch.p_value, 1e-10);
	assert_close(row->diff_low, welch.lower, 1e-10);
	assert_close(row->diff_high, welch.upper, 1e-10);
	assert_close(row->variance_reduction, CUPED_VARIANCE_REDUCTION, 1e-12);
	assert_close(row->lift, row->diff / CUPED_MEAN_CONTROL, 1e-12);
	tact_compare_result_release(&result);
	tact_compare_options_release(&options);
	tact_summary_release(&summary);
}

static void test_merge_refuses_other_covariates(void **state)
{
	tact_summary with, without;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	load_sample(&with, "spend=history");
	load_sample(&without, "spend=history");
	without.covariate_of[0] = TACT_NO_COLUMN;
	assert_int_equal(tact_summary_merge(&with, &without, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "covariate:spend"));
	tact_summary_release(&without);
	/* The same settings merge, and the missing cells add up. */
	load_sample(&without, "spend=history");
	assert_int_equal(tact_summary_merge(&with, &without, &error), TACT_OK);
	assert_int_equal(with.covariate_missing[1], 2);
	tact_summary_release(&without);
	tact_summary_release(&with);
}

static void test_covariate_flag_errors(void **state)
{
	tact_roles_spec spec;
	tact_summary summary;
	tact_error error;
	char *text = export_text();

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_roles_spec_init(&spec, &error), TACT_OK);
	assert_int_equal(tact_roles_spec_set(&spec, "covariate", "spend", &error),
	                 TACT_USAGE);
	assert_int_equal(tact_roles_spec_set(&spec, "covariate", "=history",
	                                     &error), TACT_USAGE);
	assert_int_equal(tact_roles_spec_set(&spec, "covariate", "spend=history",
	                                     &error), TACT_OK);
	assert_int_equal(tact_roles_spec_set(&spec, "covariate", "spend=other",
	                                     &error), TACT_USAGE);
	tact_roles_spec_release(&spec);
	/* A metric that is not in the export, a column that is not either. */
	assert_int_equal(load_text(text, "revenue=history", NULL, &summary,
	                           &error), TACT_DATA);
	tact_summary_release(&summary);
	assert_int_equal(load_text(text, "spend=last_year", NULL, &summary,
	                           &error), TACT_DATA);
	tact_summary_release(&summary);
	free(text);
}

/* Sessions folded by visitor: the covariate is the first session's. */
static void test_first_session_covariate(void **state)
{
	static const char text[] =
		"visitor_id,arm,spend,history\n"
		"v1,control,1,5\n"
		"v2,treat,2,\n"
		"v1,control,3,7\n"
		"v2,treat,4,9\n"
		"v3,treat,1,2\n";
	tact_summary summary;
	tact_error error;
	size_t g;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(load_text(text, "spend=history", "visitor_id", &summary,
	                           &error), TACT_OK);
	assert_int_equal(summary.covariate_missing[1], 1); /* v2's first */
	for (g = 0; g < summary.group_count; g++) {
		const tact_summary_group *group = &summary.groups[g];
		if (strcmp(group->arm, "control") == 0) {
			assert_close(group->metrics[1].sum, 5, 0); /* not 12 */
			assert_close(group->metrics[0].sum, 4, 0); /* spend adds */
		} else {
			assert_close(group->metrics[1].sum, 2, 0); /* 0 + 2 */
			assert_int_equal(group->metrics[1].n, 2);
		}
	}
	tact_summary_release(&summary);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjusted_samples_match_numpy),
		cmocka_unit_test(test_compare_tests_the_adjusted_values),
		cmocka_unit_test(test_merge_refuses_other_covariates),
		cmocka_unit_test(test_covariate_flag_errors),
		cmocka_unit_test(test_first_session_covariate),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
