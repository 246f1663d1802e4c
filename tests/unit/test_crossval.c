/*
 * test_crossval.c - folds, measures, calibration and ROC points.
 *
 * Expected numbers: tests/expected/intent_metrics_expected.h, printed by
 * tests/expected/intent_metrics.py from scikit-learn 1.2's metrics
 * (roc_auc_score binary and one-vs-rest macro, log_loss, accuracy,
 * precision, recall, confusion_matrix, roc_curve, calibration_curve) and the
 * fold assignment rewritten in Python from tact-intent(1)'s description.
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
#include "crossval.h"
#include "intent.h"

#include "../expected/intent_metrics_expected.h"

#define REL 1e-12

static void test_splitmix64(void **state)
{
	uint64_t s = 0;

	(void)state;
	assert_true(tact_crossval_random(&s) == SPLITMIX64_FIRST_FROM_0);
}

static void test_folds_match_python(void **state)
{
	size_t fold[30], i;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_crossval_folds(fold_labels, 30, 3, 4, 12345, fold,
	                                     &error), TACT_OK);
	for (i = 0; i < 30; i++)
		assert_int_equal(fold[i], fold_expected[i]);
}

static void test_folds_balanced(void **state)
{
	size_t labels[103], fold[103], sizes[7] = {0}, per_class[7][2], i;
	tact_error error;

	(void)state;
	memset(per_class, 0, sizeof per_class);
	for (i = 0; i < 103; i++)
		labels[i] = i % 5 == 0;  /* 21 of class 1, 82 of class 0 */
	assert_int_equal(tact_crossval_folds(labels, 103, 2, 7, 99, fold, NULL),
	                 TACT_OK);
	for (i = 0; i < 103; i++) {
		sizes[fold[i]]++;
		per_class[fold[i]][labels[i]]++;
	}
	for (i = 0; i < 7; i++) {
		assert_true(sizes[i] == 14 || sizes[i] == 15);
		assert_true(per_class[i][1] == 3 || per_class[i][1] == 4);
	}
	tact_error_init(&error);
	assert_int_equal(tact_crossval_folds(labels, 103, 2, 1, 1, fold, &error),
	                 TACT_USAGE);
	assert_int_equal(tact_crossval_folds(labels, 5, 2, 6, 1, fold, &error),
	                 TACT_USAGE);
}

static void test_binary_measures(void **state)
{
	double scores[2 * B_ROWS];
	size_t predicted[B_ROWS], i;
	tact_crossval_metrics m;
	tact_error error;

	(void)state;
	for (i = 0; i < B_ROWS; i++) {
		scores[2 * i] = 1 - b_p1[i];
		scores[2 * i + 1] = b_p1[i];
		predicted[i] = tact_intent_decide(scores + 2 * i, 2, NAN);
	}
	tact_crossval_metrics_init(&m);
	tact_error_init(&error);
	assert_int_equal(tact_crossval_measure(b_labels, predicted, scores, 1, 2,
	                                       NULL, B_ROWS, &m, &error), TACT_OK);
	assert_close(m.auc, B_AUC, REL);
	assert_close(m.log_loss, B_LOG_LOSS, REL);
	assert_close(m.accuracy, B_ACCURACY, REL);
	for (i = 0; i < 2; i++) {
		assert_close(m.precision[i], b_precision[i], REL);
		assert_close(m.recall[i], b_recall[i], REL);
	}
	for (i = 0; i < 4; i++)
		assert_close(m.confusion[i], b_confusion[i], REL);
	tact_crossval_metrics_release(&m);
}

static void test_subset_and_undefined(void **state)
{
	const size_t labels[4] = {0, 0, 1, 1}, predicted[4] = {0, 0, 0, 0};
	const size_t which[2] = {0, 1};
	const double scores[8] = {0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.7, 0.3};
	tact_crossval_metrics m;

	(void)state;
	tact_crossval_metrics_init(&m);
	assert_int_equal(tact_crossval_measure(labels, predicted, scores, 1, 2,
	                                       NULL, 4, &m, NULL), TACT_OK);
	assert_true(isnan(m.precision[1]));   /* never predicted */
	assert_close(m.recall[1], 0, REL);
	assert_close(m.auc, 1, REL);          /* 0.4 and 0.3 above 0.2 and 0.1 */
	/* Only rows 0 and 1: class 1 never occurs, its AUC is undefined. */
	assert_int_equal(tact_crossval_measure(labels, predicted, scores, 1, 2,
	                                       which, 2, &m, NULL), TACT_OK);
	assert_true(isnan(m.auc));
	assert_true(isnan(m.recall[1]));
	assert_close(m.accuracy, 1, REL);
	tact_crossval_metrics_release(&m);
}

static void test_multiclass_measures(void **state)
{
	size_t predicted[M_ROWS], i;
	tact_crossval_metrics m;

	(void)state;
	for (i = 0; i < M_ROWS; i++)
		predicted[i] = tact_intent_decide(m_scores + 3 * i, 3, NAN);
	tact_crossval_metrics_init(&m);
	assert_int_equal(tact_crossval_measure(m_labels, predicted, m_scores, 1, 3,
	                                       NULL, M_ROWS, &m, NULL), TACT_OK);
	assert_close(m.auc, M_AUC, REL);
	for (i = 0; i < 3; i++)
		assert_close(m.class_auc[i], m_class_auc[i], REL);
	assert_close(m.log_loss, M_LOG_LOSS, REL);
	assert_close(m.accuracy, M_ACCURACY, REL);
	/* Not probabilities: no log loss. */
	assert_int_equal(tact_crossval_measure(m_labels, predicted, m_scores, 0, 3,
	                                       NULL, M_ROWS, &m, NULL), TACT_OK);
	assert_true(isnan(m.log_loss));
	tact_crossval_metrics_release(&m);
}

static void test_calibration(void **state)
{
	double scores[2 * B_ROWS];
	tact_crossval_calibration table;
	size_t i, full = 0;

	(void)state;
	for (i = 0; i < B_ROWS; i++) {
		scores[2 * i] = 1 - b_p1[i];
		scores[2 * i + 1] = b_p1[i];
	}
	assert_int_equal(tact_crossval_calibrate(b_labels, scores, B_ROWS, 2, 1, 5,
	                                         &table, NULL), TACT_OK);
	for (i = 0; i < 5; i++) {
		assert_close(table.count[i], b_calibration_count[i], REL);
		if (table.count[i] == 0) {
			assert_true(isnan(table.observed[i]));
			continue;
		}
		assert_close(table.observed[i], b_calibration_observed[full], REL);
		assert_close(table.mean_predicted[i], b_calibration_predicted[full],
		             1e-12);
		full++;
	}
	tact_crossval_calibration_release(&table);
	assert_int_equal(tact_crossval_calibrate(b_labels, scores, B_ROWS, 2, 1, 0,
	                                         &table, NULL), TACT_USAGE);
}

static void test_roc_points(void **state)
{
	double scores[2 * B_ROWS], threshold, fpr, tpr;
	char *text = NULL, *line, *cursor;
	size_t size = 0, i, points = 0;
	FILE *out;

	(void)state;
	for (i = 0; i < B_ROWS; i++) {
		scores[2 * i] = 1 - b_p1[i];
		scores[2 * i + 1] = b_p1[i];
	}
	out = open_memstream(&text, &size);
	assert_non_null(out);
	assert_int_equal(tact_crossval_write_roc(out, "yes", b_labels, scores,
	                                         B_ROWS, 2, 1, 1, NULL), TACT_OK);
	fclose(out);
	cursor = text;
	while ((line = strsep(&cursor, "\n")) && *line) {
		if (points == 0) {
			assert_string_equal(line, "yes,,0,0");
		} else {
			assert_int_equal(sscanf(line, "yes,%lf,%lf,%lf", &threshold, &fpr,
			                        &tpr), 3);
			assert_close(threshold, b_roc_threshold[points - 1], REL);
		}
		if (points > 0) {
			assert_close(fpr, b_roc_fpr[points], REL);
			assert_close(tpr, b_roc_tpr[points], REL);
		}
		points++;
	}
	assert_int_equal(points, B_ROC_POINTS);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splitmix64),
		cmocka_unit_test(test_folds_match_python),
		cmocka_unit_test(test_folds_balanced),
		cmocka_unit_test(test_binary_measures),
		cmocka_unit_test(test_subset_and_undefined),
		cmocka_unit_test(test_multiclass_measures),
		cmocka_unit_test(test_calibration),
		cmocka_unit_test(test_roc_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
