/*
 * intenteval.h - judging an intent model by seeded k-fold cross-validation,
 * or rules on every labelled row.
 *
 * The complete labelled rows are read once and encoded (intent.h: the
 * kinds and levels of the features come from all of them; they use no
 * label).  Rows are dealt to folds by class (crossval.h, reproducible from
 * the seed); for each fold a model is trained on the others (the
 * standardization and the fit see the training folds only) and predicts
 * the held-out fold.  The pooled out-of-fold predictions give one set of
 * measures, each fold its own, and the mean over folds is reported too.
 */
#ifndef TACT_INTENTEVAL_H
#define TACT_INTENTEVAL_H

#include <stdint.h>
#include <stdio.h>

#include "crossval.h"
#include "error.h"
#include "intent.h"

typedef struct tact_intent_evaluation {
	tact_crossval_report report;  /* its names point into this struct */
	char *label;
	size_t class_count;
	char **classes;
	size_t rows;                  /* rows evaluated */
	size_t *labels;               /* per row, the actual class */
	size_t *predicted;            /* per row, the predicted class */
	double *scores;               /* rows x classes, out of fold */
	tact_intent_model encoding;   /* features (kinds, levels, exposure) */
} tact_intent_evaluation;

void tact_intent_evaluation_init(tact_intent_evaluation *evaluation);
void tact_intent_evaluation_release(tact_intent_evaluation *evaluation);

/*
 * Evaluate.  options gives the label, the features and the penalty as for
 * tact_intent_train; rules, when not NULL, is a rules model evaluated
 * instead (options' features unused; its classes are matched to the label's
 * texts, and the report's classes are the label's then the rules' others).
 * threshold and priors decide as in apply (tact_intent_decide,
 * tact_intent_shift with the training folds' class shares); bins is the
 * number of calibration bins.  Errors: as tact_intent_train; TACT_USAGE
 * for folds < 2, more folds than rows, bins < 1, a bad threshold or bad
 * priors.
 */
tact_status tact_intent_evaluate(const char *path,
                                 const tact_intent_options *options,
                                 tact_intent_model *rules,
                                 double threshold, const char *priors,
                                 size_t folds, uint64_t seed, size_t bins,
                                 tact_intent_evaluation *evaluation,
                                 tact_error *error);

/* Write the ROC points (crossval.h) with the header
 * "class,threshold,false_positive_rate,true_positive_rate": of the second
 * class for two classes, of each class against the rest for more. */
tact_status tact_intent_write_roc(const tact_intent_evaluation *evaluation,
                                  FILE *out, int64_t min_cell,
                                  tact_error *error);

/* Privacy (--min-cell): hide the confusion cells of fewer than min_cell
 * rows with their complements (tact_crossval_suppress) and merge the
 * calibration bins (tact_crossval_merge_bins) of the evaluation's report;
 * the ROC points are thinned by tact_intent_write_roc's min_cell.  Call
 * once, after tact_intent_evaluate.  Errors: TACT_DATA when fewer than
 * min_cell rows were evaluated (the total itself is printed);
 * TACT_SOFTWARE (memory). */
tact_status tact_intent_suppress(tact_intent_evaluation *evaluation,
                                 int64_t min_cell, tact_error *error);

#endif
