/*
 * test_crossval.c - folds, measures, calibration and ROC points.
 *
 * Expected numbers: tests/expected/intent_metrics_expected.h, printed by
 * tests/expected/intent_metrics.py from scikit-learn 1.2's metrics
 * (roc_auc_score binary and one-vs-rest macro, log_loss, accuracy,
 * precision, recall, confusion_matrix, roc_curve, calibration_curve) and the
 * fold assignment rewritten in Python from tact-intent(1)'s description.
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
#include "intent.h"
#include "intent/intent_internal.h"

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

/* ---- --min-cell (privacy) ---------------------------------------------- */

/* The rank of an m x n matrix (row-major, destroyed): Gaussian elimination
 * with partial pivoting, independent of lib/privacy.c's elimination. */
static size_t rank_of(double *a, size_t m, size_t n)
{
	size_t rank = 0, c, r, i, j;

	for (c = 0; c < n && rank < m; c++) {
		size_t pivot = rank;
		for (r = rank; r < m; r++)
			if (fabs(a[r * n + c]) > fabs(a[pivot * n + c]))
				pivot = r;
		if (fabs(a[pivot * n + c]) < 1e-9)
			continue;
		for (j = 0; j < n; j++) {
			double t = a[rank * n + j];
			a[rank * n + j] = a[pivot * n + j];
			a[pivot * n + j] = t;
		}
		for (i = 0; i < m; i++)
			if (i != rank && a[i * n + c] != 0) {
				double f = a[i * n + c] / a[rank * n + c];
				for (j = 0; j < n; j++)
					a[i * n + j] -= f * a[rank * n + j];
			}
		rank++;
	}
	return rank;
}

/*
 * Check a suppressed k x k confusion matrix: from the figures printed (the
 * grand total, the row totals whose support is shown, the column totals
 * whose precision is shown, as precision gives them back, the diagonal
 * total when the accuracy is shown) and the shown cells, no hidden cell
 * of 1 to min_cell - 1 follows by sums and differences (its unit vector is
 * not in the row space of the equations over the hidden cells).
 */
static void check_no_small_cell_follows(const double *original,
                                        const tact_crossval_report *r,
                                        int64_t min_cell)
{
	const size_t k = r->classes;
	size_t hidden[64], h = 0, i, j, e, m;
	double a[(2 * 8 + 4) * 64];

	for (i = 0; i < k * k; i++)
		if (isnan(r->all.confusion[i])) {
			if (original[i] != 0)   /* a hidden 0 taken as known */
				hidden[h++] = i;
		} else
			assert_close(r->all.confusion[i], original[i], 0);
	if (h == 0)
		return;
	for (e = 0; e < h; e++) {
		size_t cell = hidden[e];
		if (original[cell] == 0 || original[cell] >= (double)min_cell)
			continue;
		memset(a, 0, sizeof a);
		m = 0;
		for (j = 0; j < h; j++)             /* the grand total */
			a[m * h + j] = 1;
		m++;
		for (i = 0; i < k; i++)             /* row totals: support */
			if (!isnan(r->all.support[i])) {
				for (j = 0; j < h; j++)
					a[m * h + j] = hidden[j] / k == i;
				m++;
			}
		for (i = 0; i < k; i++)             /* column totals: precision */
			if (!isnan(r->all.precision[i])) {
				for (j = 0; j < h; j++)
					a[m * h + j] = hidden[j] % k == i;
				m++;
			}
		if (!isnan(r->all.accuracy)) {      /* the diagonal total */
			for (j = 0; j < h; j++)
				a[m * h + j] = hidden[j] / k == hidden[j] % k;
			m++;
		}
		{
			double b[sizeof a / sizeof a[0]];
			size_t without, with;
			memcpy(b, a, sizeof a);
			without = rank_of(b, m, h);
			for (j = 0; j < h; j++)
				a[m * h + j] = j == e;
			with = rank_of(a, m + 1, h);
			if (with <= without) {
				for (i = 0; i < k * k; i++)
					fprintf(stderr, "%g%s%s", original[i],
					        isnan(r->all.confusion[i]) ? "*" : "",
					        i % k == k - 1 ? "\n" : " ");
				fprintf(stderr, "acc %g cell %zu\n", r->all.accuracy, cell);
			}
			assert_true(with > without); /* not determined */
		}
	}
}

static void report_of(tact_crossval_report *r, const double *cells, size_t k)
{
	static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
	size_t a, p;

	tact_crossval_report_init(r);
	r->classes = r->all.classes = k;
	r->class_names = names;
	r->all.confusion = calloc(k * k, sizeof *r->all.confusion);
	r->all.support = calloc(k, sizeof *r->all.support);
	r->all.precision = calloc(k, sizeof *r->all.precision);
	r->all.recall = calloc(k, sizeof *r->all.recall);
	r->all.class_auc = calloc(k, sizeof *r->all.class_auc);
	assert_non_null(r->all.class_auc);
	for (a = 0; a < k; a++)
		for (p = 0; p < k; p++) {
			r->all.confusion[a * k + p] = cells[a * k + p];
			r->all.support[a] += cells[a * k + p];
			r->all.rows += cells[a * k + p];
		}
	for (a = 0; a < k; a++) {
		r->all.precision[a] = 0.5;
		r->all.recall[a] = 0.5;
	}
	r->all.accuracy = r->mean_accuracy = 0.5;
}

static void test_suppress_confusion(void **state)
{
	/* The 3-class evaluation of case intent-min-cell-eval. */
	const double cells[] = {14, 30, 12, 9, 65, 27, 14, 36, 33};
	tact_crossval_report r;
	size_t i;

	(void)state;
	report_of(&r, cells, 3);
	assert_int_equal(tact_crossval_suppress(&r, 1, NULL), TACT_OK);
	for (i = 0; i < 9; i++)
		assert_close(r.all.confusion[i], cells[i], 0);
	assert_close(r.all.accuracy, 0.5, 0);
	assert_int_equal(tact_crossval_suppress(&r, 10, NULL), TACT_OK);
	assert_true(isnan(r.all.confusion[3]));          /* the 9 */
	check_no_small_cell_follows(cells, &r, 10);
	assert_true(isnan(r.all.accuracy));              /* a diagonal hidden */
	assert_true(isnan(r.all.precision[0]) && isnan(r.all.recall[0]));
	/* The strict decision (lib/privacy.c) hides the browse and buy row
	 * totals as complements (with the 9 and its row); research's stays. */
	assert_true(isnan(r.all.support[0]) && isnan(r.all.support[1]));
	assert_close(r.all.support[2], 83, 0);
	tact_crossval_report_release(&r);
}

static void test_suppress_confusion_random(void **state)
{
	uint64_t seed = 15;
	double cells[36];
	size_t trial, i, k;

	(void)state;
	for (trial = 0; trial < 300; trial++) {
		tact_crossval_report r;
		k = 2 + tact_crossval_random(&seed) % 4;
		for (i = 0; i < k * k; i++) {
			uint64_t u = tact_crossval_random(&seed) % 10;
			cells[i] = u < 2 ? 0 : u < 5 ? (double)(1 + u % 9) :
			           (double)(10 + tact_crossval_random(&seed) % 60);
		}
		report_of(&r, cells, k);
		if (r.all.rows < 10) {  /* refused by tact-intent eval */
			tact_crossval_report_release(&r);
			continue;
		}
		assert_int_equal(tact_crossval_suppress(&r, 10, NULL), TACT_OK);
		check_no_small_cell_follows(cells, &r, 10);
		for (i = 0; i < k * k; i++)   /* every small cell is hidden */
			if (cells[i] > 0 && cells[i] < 10)
				assert_true(isnan(r.all.confusion[i]));
		tact_crossval_report_release(&r);
	}
}

/* Calibration bins merged: rows of score s, positive or not (class 1). */
static void test_merge_bins(void **state)
{
	/* 4 bins: [0, .25) 3 rows, all the class; [.25, .5) 20 rows, 10 of
	 * the class; [.5, .75) 12 rows, none; [.75, 1] 2 rows, 1 of them. */
	size_t labels[64], i, n = 0;
	double scores[128];
	tact_crossval_calibration c;

	(void)state;
#define ROW(s, y) (scores[2 * n] = 1 - (s), scores[2 * n + 1] = (s), labels[n++] = (y))
	for (i = 0; i < 3; i++) ROW(0.1, 1);
	for (i = 0; i < 20; i++) ROW(0.3 + 0.001 * (double)i, i < 10);
	for (i = 0; i < 12; i++) ROW(0.6, 0);
	ROW(0.8, 1);
	ROW(0.9, 0);
#undef ROW
	assert_int_equal(tact_crossval_calibrate(labels, scores, n, 2, 1, 4, &c,
	                                         NULL), TACT_OK);
	assert_int_equal(tact_crossval_merge_bins(labels, scores, n, 2, &c, 1,
	                                          NULL), TACT_OK);
	for (i = 0; i < 4; i++)     /* 1: every bin alone */
		assert_int_equal(c.last[i], i);
	assert_int_equal(tact_crossval_merge_bins(labels, scores, n, 2, &c, 10,
	                                          NULL), TACT_OK);
	/* [0, .5): 23 rows, 13 of the class; [.5, 1]: 14 rows, 1 of the class
	 * would be shown alone: it joins the first; one group of 37, 14. */
	assert_int_equal(c.last[0], 3);
	assert_close(c.count[0], 37, 0);
	assert_close(c.observed[0], 14.0 / 37.0, 1e-12);
	tact_crossval_calibration_release(&c);
	/* With 3 of the class in [.75, 1] instead: two groups. */
	n = 0;
	for (i = 0; i < 3; i++) {
		scores[2 * n] = 0.9; scores[2 * n + 1] = 0.1; labels[n++] = 1;
	}
	for (i = 0; i < 20; i++) {
		scores[2 * n] = 0.7; scores[2 * n + 1] = 0.3; labels[n++] = i < 10;
	}
	for (i = 0; i < 20; i++) {
		scores[2 * n] = 0.2; scores[2 * n + 1] = 0.8; labels[n++] = i < 10;
	}
	assert_int_equal(tact_crossval_calibrate(labels, scores, n, 2, 1, 4, &c,
	                                         NULL), TACT_OK);
	assert_int_equal(tact_crossval_merge_bins(labels, scores, n, 2, &c, 10,
	                                          NULL), TACT_OK);
	assert_int_equal(c.last[0], 1);     /* 23 rows: 13 of the class, 10 */
	assert_close(c.count[0], 23, 0);
	assert_close(c.mean_predicted[0], (3 * 0.1 + 20 * 0.3) / 23, 1e-12);
	assert_close(c.observed[0], 13.0 / 23.0, 1e-12);
	assert_int_equal(c.last[2], 2);     /* empty: alone */
	assert_int_equal(c.last[3], 3);     /* 20 rows: 10 and 10 */
	assert_close(c.count[3], 20, 0);
	tact_crossval_calibration_release(&c);
	/* Fewer than 10 rows in all: one blank bin. */
	n = 5;
	assert_int_equal(tact_crossval_calibrate(labels, scores, n, 2, 1, 4, &c,
	                                         NULL), TACT_OK);
	assert_int_equal(tact_crossval_merge_bins(labels, scores, n, 2, &c, 10,
	                                          NULL), TACT_OK);
	assert_int_equal(c.last[0], 3);
	assert_true(isnan(c.count[0]) && isnan(c.observed[0]));
	tact_crossval_calibration_release(&c);
}

static void test_roc_thinned(void **state)
{
	enum { N = 300 };
	size_t labels[N], i;
	double scores[2 * N], fp0 = 0, tp0 = 0;
	uint64_t seed = 3;
	char *text = NULL, *cursor, *line;
	size_t size = 0, points = 0;
	FILE *out;

	(void)state;
	for (i = 0; i < N; i++) {
		labels[i] = tact_crossval_random(&seed) % 3 == 0;
		scores[2 * i + 1] = (double)(tact_crossval_random(&seed) % 1000) / 1000;
		scores[2 * i] = 1 - scores[2 * i + 1];
	}
	double positives = 0;
	for (i = 0; i < N; i++)
		positives += labels[i];
	out = open_memstream(&text, &size);
	assert_non_null(out);
	assert_int_equal(tact_crossval_write_roc(out, "yes", labels, scores, N, 2,
	                                         1, 10, NULL), TACT_OK);
	fclose(out);
	cursor = text;
	while ((line = strsep(&cursor, "\n")) && *line) {
		double t, fpr, tpr;
		if (points++ == 0) {
			assert_string_equal(line, "yes,,0,0");
			continue;
		}
		assert_int_equal(sscanf(line, "yes,%lf,%lf,%lf", &t, &fpr, &tpr), 3);
		/* the steps in people: none, or 10 or more */
		double dtp = tpr * positives - tp0, dfp = fpr * (N - positives) - fp0;
		assert_true(fabs(dtp) < 1e-9 || dtp > 10 - 1e-9);
		assert_true(fabs(dfp) < 1e-9 || dfp > 10 - 1e-9);
		tp0 = tpr * positives;
		fp0 = fpr * (N - positives);
	}
	assert_true(points >= 5);
	assert_close(tp0, positives, 1e-9);   /* ends at (1, 1) */
	assert_close(fp0, N - positives, 1e-9);
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
		cmocka_unit_test(test_suppress_confusion),
		cmocka_unit_test(test_suppress_confusion_random),
		cmocka_unit_test(test_merge_bins),
		cmocka_unit_test(test_roc_thinned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
