/*
 * crossval.h - judging a classifier: seeded stratified folds, and the
 * measures of its predictions (accuracy, precision and recall per class,
 * confusion matrix, ROC AUC, log loss, calibration table, ROC points).
 *
 * Folds.  So that another program can rebuild them exactly, the folds are
 * dealt as follows (documented in tact-intent(1) and reproduced by
 * tests/expected/intent_sklearn.py):
 *
 *   - the random numbers are splitmix64 (Steele, Lea and Flood 2014) with
 *     its state starting at the seed: state += 0x9E3779B97F4A7C15;
 *     z = state; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
 *     z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)
 *     (all modulo 2^64);
 *   - for each class in class order, the rows of that class (numbered
 *     0, 1, ... in the order they were used, in file order) are shuffled by
 *     Fisher-Yates: for i = m-1 down to 1, j = next() mod (i + 1), swap the
 *     rows at i and j; one stream of numbers serves all classes in turn;
 *   - the shuffled rows, class after class, are dealt to folds 0, 1, ...,
 *     k-1, 0, 1, ... with one counter running across the classes.
 *
 * So every fold holds each class in nearly its overall share (stratified),
 * and fold sizes differ by at most one.
 *
 * Measures.  Predictions are a predicted class per row and a score per row
 * and class (the predicted probabilities; for rules, 1 for the predicted
 * class and 0 for the others).  AUC is the Mann-Whitney probability that a
 * row of the class scores above a row of another, ties counting one half:
 * for two classes of the second class's score (sklearn roc_auc_score), for
 * more the unweighted mean over the classes of each class against the rest
 * (sklearn multi_class='ovr', average='macro').  Log loss is the mean of
 * -log p(actual class), probabilities clipped to [1e-15, 1 - 1e-15] as in
 * scikit-learn 1.2.  Precision of a class never predicted, recall of a class
 * that never occurs and AUC of a class that never or always occurs are
 * undefined: NaN, written as a blank.
 */
#ifndef TACT_CROSSVAL_H
#define TACT_CROSSVAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/* The next number of the splitmix64 stream whose state is *state. */
uint64_t tact_crossval_random(uint64_t *state);

/*
 * Deal rows to folds as described above: labels[i] in [0, classes) is the
 * class of row i; fold[i] receives its fold in [0, folds).  Errors:
 * TACT_USAGE when folds < 2 or folds > rows; TACT_SOFTWARE on memory.
 */
tact_status tact_crossval_folds(const size_t *labels, size_t rows,
                                size_t classes, size_t folds, uint64_t seed,
                                size_t *fold, tact_error *error);

typedef struct tact_crossval_metrics {
	size_t classes;
	double rows;          /* predictions measured */
	double accuracy;
	double auc;           /* see above; NaN when undefined */
	double log_loss;      /* NaN when the scores are not probabilities */
	double *confusion;    /* classes x classes: [actual * classes + predicted] */
	double *support;      /* per class, rows whose actual class it is */
	double *precision;    /* per class */
	double *recall;       /* per class */
	double *class_auc;    /* per class, against the rest */
} tact_crossval_metrics;

void tact_crossval_metrics_init(tact_crossval_metrics *metrics);
void tact_crossval_metrics_release(tact_crossval_metrics *metrics);

/*
 * Measure predictions.  labels[i] and predicted[i] are classes in
 * [0, classes); scores is rows x classes, row-major; probabilistic says
 * whether the scores are probabilities (else log_loss is NaN).  which
 * lists the rows to measure (count of them), or is NULL for rows 0..count-1.
 * metrics is (re)allocated.  Errors: TACT_SOFTWARE on memory.
 */
tact_status tact_crossval_measure(const size_t *labels, const size_t *predicted,
                                  const double *scores, int probabilistic,
                                  size_t classes, const size_t *which,
                                  size_t count, tact_crossval_metrics *metrics,
                                  tact_error *error);

/* One class's calibration: bins of equal width over [0, 1] (a score of 1
 * falls in the last), per bin the count of rows, their mean score and the
 * share of them whose actual class is the class. */
typedef struct tact_crossval_calibration {
	size_t class_index;
	size_t bins;
	double *count, *mean_predicted, *observed;
	size_t *last;   /* NULL: every bin alone; else bins merged by
	                   tact_crossval_merge_bins: for the first bin b of a
	                   group, last[b] is its last bin, and bin b holds the
	                   group's figures (the others are not written) */
} tact_crossval_calibration;

void tact_crossval_calibration_release(tact_crossval_calibration *table);

/* Compute the calibration table of class_index over all rows.  Errors:
 * TACT_USAGE for bins < 1; TACT_SOFTWARE on memory. */
tact_status tact_crossval_calibrate(const size_t *labels, const double *scores,
                                    size_t rows, size_t classes,
                                    size_t class_index, size_t bins,
                                    tact_crossval_calibration *table,
                                    tact_error *error);

/*
 * Write the ROC curve of class_index against the rest as CSV rows
 * "class,threshold,false_positive_rate,true_positive_rate" (no header; the
 * class name quoted as needed): first (0, 0) with a blank threshold (no row
 * predicted), then one point per distinct score, highest first, each
 * counting the rows whose score is at least the threshold.  Nothing is
 * written when the class never or always occurs.  Privacy: with min_cell
 * above 1 a point is written only when the rows of the class (and those of
 * the others) between it and the previous written point are none or
 * min_cell or more; the last point (1, 1) always, dropping the points
 * before it until its step qualifies; nothing when the class or the rest
 * has fewer than min_cell rows.  Errors: TACT_SOFTWARE on
 * memory.
 */
tact_status tact_crossval_write_roc(FILE *out, const char *class_name,
                                    const size_t *labels, const double *scores,
                                    size_t rows, size_t classes,
                                    size_t class_index, int64_t min_cell,
                                    tact_error *error);

/*
 * Merge calibration bins for --min-cell (privacy): consecutive bins are
 * grouped, left to right, so that each group written is empty or holds
 * min_cell rows or more, of which the class's rows and the others are each
 * none or min_cell or more; an incomplete group at the end joins the one
 * before it.  When no grouping can be shown the whole table is one blank
 * bin.  labels, scores, rows and classes are those c was computed from.
 * min_cell 1 changes nothing (but sets c->last).  Errors: TACT_SOFTWARE.
 */
tact_status tact_crossval_merge_bins(const size_t *labels,
                                     const double *scores, size_t rows,
                                     size_t classes,
                                     tact_crossval_calibration *c,
                                     int64_t min_cell, tact_error *error);

/*
 * The result of an evaluation, as the writers below print it.  Names are
 * borrowed (the caller keeps them alive); the arrays are owned and freed by
 * tact_crossval_report_release.
 */
typedef enum tact_crossval_format {
	TACT_CROSSVAL_CSV, TACT_CROSSVAL_TABLE, TACT_CROSSVAL_JSON
} tact_crossval_format;

typedef struct tact_crossval_report {
	const char *label;            /* the label column */
	const char *method;           /* "logistic" or "rules" */
	double lambda;                /* logistic: the penalty (0 = none) */
	size_t classes;
	const char *const *class_names;
	size_t folds;                 /* 0: no folds (rules are not trained) */
	uint64_t seed;
	double rows_left_out;         /* rows without a label or a feature */
	tact_crossval_metrics all;    /* pooled out-of-fold predictions */
	tact_crossval_metrics *fold;  /* per fold (folds of them) */
	size_t *iterations;           /* per fold: Newton steps */
	int *converged;               /* per fold */
	double mean_accuracy, mean_auc, mean_log_loss; /* over the folds */
	size_t calibration_count;     /* 1 for two classes, else one per class */
	tact_crossval_calibration *calibration;
} tact_crossval_report;

void tact_crossval_report_init(tact_crossval_report *report);
void tact_crossval_report_release(tact_crossval_report *report);

/*
 * Write the report.  CSV: the header "metric,fold,class,predicted,bin,value"
 * then one row per figure (see tact-intent(1) for the list); table: the
 * same for a person; JSON: one object.  Errors: TACT_SOFTWARE on memory.
 * Write errors are left in the stream for the caller to find.
 */
tact_status tact_crossval_report_write(const tact_crossval_report *report,
                                       tact_crossval_format format, FILE *out,
                                       tact_error *error);

/*
 * Hide the confusion-matrix cells of report->all under min_cell (privacy,
 * tact-intent --min-cell), with complements, by tact_privacy_decide in
 * strict mode over actual x predicted classes (the support, row totals,
 * and the column totals that precision gives back, printed beside them):
 * hidden cells become NaN (written blank), and so do the support of a
 * hidden row total, the recall of a class whose diagonal cell or support
 * is hidden and the precision of a class whose diagonal cell or column
 * total is hidden; with a diagonal cell hidden, the accuracy (pooled, per
 * fold and mean: the diagonal's total) is hidden too.  min_cell 1 changes
 * nothing.  Errors: TACT_SOFTWARE.
 */
tact_status tact_crossval_suppress(tact_crossval_report *report,
                                   int64_t min_cell, tact_error *error);

/* Write the calibration tables as CSV with the header
 * "class,bin,low,high,count,mean_predicted,observed_rate". */
void tact_crossval_write_calibration(const tact_crossval_report *report,
                                     FILE *out);

#endif
