/*
 * test_target.c - tact-target's tree, its rules and its evaluation on
 * hand-made scores whose best policy is known by construction, the rule
 * files tact-intent reads them from, and the reading of an export.  The
 * estimates on real data are checked against NumPy by the CLI cases
 * (tests/expected/target.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "check.h"
#include "rule.h"
#include "target.h"

#define UNITS 400

/* One numeric feature x with cut points 1, 2, 3 (codes 0..3, 100 units
 * each, the arms alternating); the score is +1 from code 2 up, else -1:
 * the best policy personalizes x > 2, half the units. */
static void hand_made(tact_target_data *d, tact_target_feature *feature,
                      double *thresholds)
{
	static unsigned short codes[UNITS];
	static unsigned char treated[UNITS];
	static double score[UNITS];
	static size_t fold[UNITS];
	size_t i;

	memset(d, 0, sizeof *d);
	memset(feature, 0, sizeof *feature);
	thresholds[0] = 1;
	thresholds[1] = 2;
	thresholds[2] = 3;
	feature->name = "x";
	feature->threshold_count = 3;
	feature->thresholds = thresholds;
	for (i = 0; i < UNITS; i++) {
		codes[i] = (unsigned short)(i / 2 % 4);
		treated[i] = (unsigned char)(i % 2);
		score[i] = codes[i] >= 2 ? 1 : -1;
		fold[i] = i % 5;
	}
	d->file = "hand";
	d->treatment = "p";
	d->control = "c";
	d->feature_count = 1;
	d->features = feature;
	d->units = UNITS;
	d->codes = codes;
	d->treated = treated;
	d->score = score;
	d->fold = fold;
}

static void test_tree_finds_the_best_split(void **state)
{
	tact_target_data d;
	tact_target_feature feature;
	tact_target_options o;
	tact_target_tree tree;
	tact_error error;
	double thresholds[3];
	char *text = NULL;
	size_t size = 0, i;
	FILE *out;
	char *metrics[] = {"converted"};
	double weights[] = {1};

	(void)state;
	hand_made(&d, &feature, thresholds);
	tact_target_options_init(&o);
	o.metrics = metrics;
	o.weights = weights;
	o.metric_count = 1;
	tact_error_init(&error);
	assert_int_equal(tact_target_learn(&d, &o, o.folds, &tree, &error),
	                 TACT_OK);
	for (i = 0; i < UNITS; i++)
		assert_int_equal(tact_target_decide(&d, &tree, i), d.codes[i] >= 2);
	out = open_memstream(&text, &size);
	assert_int_equal(tact_target_write_rules(&d, &o, &tree, out, &error),
	                 TACT_OK);
	fclose(out);
	/* One leaf personalizes, x > 2 (the depth-2 tree pruned to a stump). */
	assert_non_null(strstr(text, "\npersonalize: x > 2\ndefault: hold back\n"));
	free(text);

	/* Leaves of 100 units per arm are too small at min-cell 101: one
	 * leaf, whose sum is 0, holds everyone back. */
	o.min_cell = 101;
	assert_int_equal(tact_target_learn(&d, &o, o.folds, &tree, &error),
	                 TACT_OK);
	for (i = 0; i < UNITS; i++)
		assert_int_equal(tact_target_decide(&d, &tree, i), 0);
}

static void test_evaluation(void **state)
{
	tact_target_data d;
	tact_target_feature feature;
	tact_target_options o;
	tact_target_evaluation e;
	tact_error error;
	double thresholds[3];

	(void)state;
	hand_made(&d, &feature, thresholds);
	tact_target_options_init(&o);
	tact_error_init(&error);
	assert_int_equal(tact_target_evaluate(&d, &o, &e, &error), TACT_OK);
	/* Every fold learns x > 2: half the units, each +1 -> 500 per 1,000;
	 * everyone: 200 x 1 + 200 x -1 -> 0; the learned policy over everyone:
	 * the -1 of the held-back half -> +500. */
	assert_close(e.share, 0.5, 1e-12);
	assert_close(e.learned.value, 500, 1e-9);
	assert_close(e.everyone.value, 0, 1e-9);
	assert_close(e.learned_vs_all.value, 500, 1e-9);
	/* sd of c = 0/1 halves: sqrt(0.25 * 400 / 399); se = sd / 20. */
	assert_close(e.learned.se, 1000 * sqrt(0.25 * 400.0 / 399) / 20, 1e-9);
	tact_target_evaluation_release(&e);
}

static void test_rule_file(void **state)
{
	char path[] = "/tmp/tact-test-rules-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	char **lines, *default_class;
	size_t count;
	tact_error error;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# a comment\n\npersonalize: x > 2 and y = 'a'\r\n"
	      "  'hold back': x <= 0  \ndefault: 'hold back'\n", f);
	fclose(f);
	tact_error_init(&error);
	assert_int_equal(tact_rule_file_read(path, &lines, &count, &default_class,
	                                     &error), TACT_OK);
	assert_int_equal(count, 2);
	assert_string_equal(lines[0], "personalize: x > 2 and y = 'a'");
	assert_string_equal(lines[1], "'hold back': x <= 0");
	assert_string_equal(default_class, "hold back");
	tact_rule_file_free(lines, count, default_class);

	/* A rule of class "default" is a rule; a second default line is not. */
	f = fopen(path, "w");
	fputs("default: x > 1\ndefault: hold back\ndefault: other\n", f);
	fclose(f);
	assert_int_equal(tact_rule_file_read(path, &lines, &count, &default_class,
	                                     &error), TACT_DATA);
	assert_int_equal(error.line, 3);
	assert_null(lines);
	unlink(path);
	assert_int_equal(tact_rule_file_read(path, &lines, &count, &default_class,
	                                     &error), TACT_NOINPUT);
}

static void test_load_folds_units(void **state)
{
	char path[] = "/tmp/tact-test-target-XXXXXX";
	int fd = mkstemp(path), i;
	FILE *f;
	tact_load_options load;
	tact_target_options o;
	tact_target_data d;
	tact_names features = {0, NULL};
	tact_error error;
	char *metrics[] = {"converted", "revenue"};
	double weights[] = {10, 1};

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("visitor_id,arm,pages,src,converted,revenue,consent\n", f);
	/* 60 visitors of two sessions each, a third of them without consent
	 * in their first session (that row left out, the second kept). */
	for (i = 0; i < 120; i++)
		fprintf(f, "v%d,%s,%d,%s,%d,%d,%d\n", i % 60,
		        i % 60 % 2 ? "p" : "control", i % 60 % 7,
		        i % 3 ? "ads" : "mail", i % 4 == 0, i < 60 ? 5 : 1,
		        !(i < 60 && i % 3 == 0));
	fclose(f);
	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&load, &error), TACT_OK);
	assert_int_equal(tact_names_parse(&features, "pages,src", &error), TACT_OK);
	tact_target_options_init(&o);
	o.load = &load;
	o.features = &features;
	o.metrics = metrics;
	o.weights = weights;
	o.metric_count = 2;
	o.min_cell = 5;
	tact_target_data_init(&d);
	assert_int_equal(tact_target_load(path, &o, &d, &error), TACT_OK);
	assert_int_equal(d.units, 60);
	assert_int_equal(d.rows_read, 120);
	assert_int_equal(d.rows_no_consent, 20);
	assert_string_equal(d.treatment, "p");
	assert_false(d.features[0].categorical);
	assert_true(d.features[1].categorical);
	assert_true(d.binary[0]);
	assert_false(d.binary[1]);
	/* Units in order of their first consented row: v1 first, both
	 * sessions (revenue 5 + 1, converted in neither); v0 is the 41st (the
	 * 40 visitors whose first session has consent come first): its
	 * second session only, converted (i = 60) and revenue 1 -> 10 + 1. */
	assert_close(d.value[0], 6, 1e-12);
	assert_close(d.value[40], 11, 1e-12);
	assert_close(d.share, 0.5, 1e-12);
	tact_target_data_release(&d);
	tact_names_release(&features);
	tact_load_options_release(&load);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_finds_the_best_split),
		cmocka_unit_test(test_evaluation),
		cmocka_unit_test(test_rule_file),
		cmocka_unit_test(test_load_folds_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
