/*
 * test_powerplan.c - the per-segment power plan's targets (--mde): how an
 * effect is read, which metric gets which target (the default: a relative
 * 5% on the first goal metric), the units needed against statsmodels
 * (tests/expected/power_mde.py), and the targets that cannot be sized.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"
#include "load.h"
#include "fixture.h"
#include "powerplan.h"

static void test_effects(void **state)
{
	double effect;
	tact_power_effect kind;
	tact_error error;
	static const char *const bad[] = {"abc", "-5%", "0", "%", "abs", "inf",
	                                  "5%abs", "nan", ""};
	size_t i;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_powerplan_parse_effect("5%", &effect, &kind, &error),
	                 TACT_OK);
	assert_close(effect, 0.05, 1e-15);
	assert_int_equal(kind, TACT_POWER_RELATIVE);
	assert_int_equal(tact_powerplan_parse_effect("0.05", &effect, &kind, &error),
	                 TACT_OK);
	assert_close(effect, 0.05, 0);
	assert_int_equal(kind, TACT_POWER_RELATIVE);
	assert_int_equal(tact_powerplan_parse_effect("0.01abs", &effect, &kind,
	                                             &error), TACT_OK);
	assert_close(effect, 0.01, 0);
	assert_int_equal(kind, TACT_POWER_ABSOLUTE);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tact_error_init(&error);
		assert_int_equal(tact_powerplan_parse_effect(bad[i], &effect, &kind,
		                                             &error), TACT_USAGE);
		assert_non_null(strstr(error.message, "--mde"));
	}
}

static void test_mde_list(void **state)
{
	tact_powerplan_options o;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	tact_powerplan_options_init(&o);
	assert_int_equal(tact_powerplan_parse_mde(&o, "visit=2%", &error), TACT_OK);
	assert_int_equal(tact_powerplan_parse_mde(&o, "a=b=0.5abs", &error), TACT_OK);
	assert_int_equal(tact_powerplan_parse_mde(&o, "10%", &error), TACT_OK);
	assert_int_equal(tact_powerplan_parse_mde(&o, "=5%", &error), TACT_USAGE);
	assert_int_equal(tact_powerplan_parse_mde(&o, "x=y", &error), TACT_USAGE);
	assert_int_equal(o.target_count, 3);
	assert_string_equal(o.targets[0].metric, "visit");
	assert_close(o.targets[0].effect, 0.02, 1e-15);
	assert_string_equal(o.targets[1].metric, "a=b"); /* the last '=' splits */
	assert_int_equal(o.targets[1].kind, TACT_POWER_ABSOLUTE);
	assert_null(o.targets[2].metric);
	tact_powerplan_options_release(&o);
	assert_int_equal(o.target_count, 0);
}

/* 100 units per arm: converted 30% in the control, bounced never in the
 * control (a relative target has no absolute form), revenue i % 10. */
static void rows(FILE *out)
{
	size_t i;

	fputs("arm,converted,bounced,revenue\n", out);
	for (i = 0; i < 200; i++)
		fprintf(out, "%s,%d,%d,%d\n", i < 100 ? "control" : "personalized",
		        (int)(i % 100 < 30), (int)(i >= 100 && i % 7 == 0),
		        (int)(i % 10));
}

static void load(tact_summary *summary)
{
	fixture_load(summary, "", rows);
}

static const tact_powerplan_row *row_of(const tact_powerplan *plan,
                                        const char *metric)
{
	size_t r;

	for (r = 0; r < plan->row_count; r++)
		if (strcmp(plan->cells.summary->metrics[plan->rows[r].metric].name,
		           metric) == 0)
			return &plan->rows[r];
	fail_msg("no row for %s", metric);
	return NULL;
}

static void test_targets(void **state)
{
	tact_summary summary;
	tact_powerplan_options o;
	tact_powerplan plan;
	tact_error error;
	const tact_powerplan_row *row;

	(void)state;
	load(&summary);
	tact_error_init(&error);
	/* No --mde: 5% relative on converted only. */
	tact_powerplan_options_init(&o);
	assert_int_equal(tact_powerplan_run(&summary, &o, &plan, &error), TACT_OK);
	assert_true(plan.default_target);
	row = row_of(&plan, "converted");
	assert_true(row->targeted);
	assert_close(row->target_relative, 0.05, 0);
	assert_close(row->target_absolute, 0.015, 1e-14);
	assert_close(row->needed_control, 14855, 0); /* statsmodels */
	assert_close(row->needed_arm, 14855, 0);
	assert_int_equal(row->enough, 0);
	assert_false(row_of(&plan, "revenue")->targeted);
	assert_int_equal(row_of(&plan, "revenue")->enough, -1);
	tact_powerplan_release(&plan);
	/* --mde 10% for every metric, revenue by its own. */
	assert_int_equal(tact_powerplan_parse_mde(&o, "10%", &error), TACT_OK);
	assert_int_equal(tact_powerplan_parse_mde(&o, "revenue=0.45abs", &error),
	                 TACT_OK);
	assert_int_equal(tact_powerplan_run(&summary, &o, &plan, &error), TACT_OK);
	assert_false(plan.default_target);
	row = row_of(&plan, "revenue");
	assert_close(row->target_relative, 0.1, 1e-14);
	assert_close(row->needed_control, 646, 0); /* statsmodels */
	assert_int_equal(row->enough, 0);
	row = row_of(&plan, "bounced"); /* control at 0: cannot be sized */
	assert_true(row->targeted);
	assert_true(isnan(row->target_absolute));
	assert_true(isnan(row->needed_control));
	assert_int_equal(row->enough, -1);
	tact_powerplan_release(&plan);
	tact_powerplan_options_release(&o);
	/* A relative change that pushes a rate above 1; an unknown metric. */
	assert_int_equal(tact_powerplan_parse_mde(&o, "converted=300%", &error),
	                 TACT_OK);
	assert_int_equal(tact_powerplan_run(&summary, &o, &plan, &error), TACT_OK);
	row = row_of(&plan, "converted");
	assert_true(isnan(row->needed_control));
	assert_int_equal(row->enough, -1);
	tact_powerplan_release(&plan);
	assert_int_equal(tact_powerplan_parse_mde(&o, "nosuch=5%", &error), TACT_OK);
	assert_int_equal(tact_powerplan_run(&summary, &o, &plan, &error), TACT_USAGE);
	assert_non_null(strstr(error.message, "'nosuch'"));
	tact_powerplan_options_release(&o);
	tact_summary_release(&summary);
}

/* tests/expected/powerplan_design.py (statsmodels' NormalIndPower). */
#define DESIGN_RATE_N 8142.5953944364537
#define DESIGN_MEAN_N 205.53039614749943
#define DESIGN_DETECTABLE_ABSOLUTE 0.052336782567469098

/* Write design as CSV and read its row back into fields[12] (the kind as
 * NaN). */
static tact_status design_row(const tact_powerplan_design *design,
                              double fields[12], char *kind,
                              tact_error *error)
{
	char *data = NULL, *line, *at, *end;
	size_t size = 0, i;
	FILE *out = open_memstream(&data, &size);
	tact_status status;

	assert_non_null(out);
	status = tact_powerplan_design_write_csv(design, out, error);
	fclose(out);
	if (status == TACT_OK) {
		assert_true(strncmp(data, "kind,baseline,sd,mde_absolute,"
		                          "mde_relative,alpha,power,ratio,n_control,"
		                          "n_arm,n_control_rounded,n_arm_rounded\n",
		                    109) == 0);
		line = strchr(data, '\n') + 1;
		at = strchr(line, ',');
		memcpy(kind, line, (size_t)(at - line));
		kind[at - line] = '\0';
		fields[0] = NAN;
		for (i = 1; i < 12; i++) {
			at++;
			fields[i] = strtod(at, &end);
			if (end == at)
				fields[i] = NAN; /* an empty field */
			at = end;
		}
	}
	free(data);
	return status;
}

static void test_design(void **state)
{
	tact_powerplan_design rate = {1, 0.05, NAN, 0.2, TACT_POWER_RELATIVE,
	                              NAN, 1, 0.8, 0.95};
	tact_powerplan_design mean = {0, 10, 2, 0.5, TACT_POWER_ABSOLUTE,
	                              NAN, 2, 0.9, 0.9};
	tact_powerplan_design detect = {1, 0.2, NAN, NAN, TACT_POWER_RELATIVE,
	                                1000, 1, 0.8, 0.95};
	double f[12];
	char kind[16];
	tact_error error;

	(void)state;
	tact_error_init(&error);
	/* The units to detect a relative 20% of a rate of 0.05. */
	assert_int_equal(design_row(&rate, f, kind, &error), TACT_OK);
	assert_string_equal(kind, "rate");
	assert_close(f[1], 0.05, 0);
	assert_true(isnan(f[2]));                 /* no sd for a rate */
	assert_close(f[3], 0.01, 1e-12);          /* 20% of 0.05 */
	assert_close(f[4], 0.2, 0);
	assert_close(f[5], 0.05, 0);              /* the level typed */
	assert_close(f[8], DESIGN_RATE_N, 1e-8);
	assert_close(f[9], DESIGN_RATE_N, 1e-8);
	assert_close(f[10], ceil(DESIGN_RATE_N), 0);
	/* An absolute 0.5 of a mean of 10 (sd 2), twice the units in the arm. */
	assert_int_equal(design_row(&mean, f, kind, &error), TACT_OK);
	assert_string_equal(kind, "mean");
	assert_close(f[2], 2, 0);
	assert_close(f[3], 0.5, 0);
	assert_close(f[4], 0.05, 1e-12);          /* 0.5 of 10 */
	assert_close(f[5], 0.1, 0);
	assert_close(f[8], DESIGN_MEAN_N, 1e-8);
	assert_close(f[9], 2 * DESIGN_MEAN_N, 1e-8);
	assert_close(f[11], ceil(2 * DESIGN_MEAN_N), 0);
	/* The rise of a rate of 0.2 detectable with 1000 control units. */
	assert_int_equal(design_row(&detect, f, kind, &error), TACT_OK);
	assert_close(f[3], DESIGN_DETECTABLE_ABSOLUTE, 1e-8);
	assert_close(f[4], DESIGN_DETECTABLE_ABSOLUTE / 0.2, 1e-8);
	assert_close(f[8], 1000, 0);
	assert_close(f[9], 1000, 0);
	/* A rate above 1 comes from the caller's settings: a usage error. */
	detect.baseline = 1.5;
	assert_int_equal(design_row(&detect, f, kind, &error), TACT_USAGE);
	assert_int_equal(error.status, TACT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_effects),
		cmocka_unit_test(test_mde_list),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_design),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
