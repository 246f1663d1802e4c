/*
 * intent_internal.h - what the files of lib/intent/ share among themselves:
 * the pieces of the intent model (encoded columns, exposure, binding to a
 * header, priors, the decision), the folds and measures of a classifier,
 * the per-row scorer and the probability formatter.  Outside lib/intent/
 * only unit tests and fuzzers include it; tools and other modules use
 * intent.h.
 */
#ifndef TACT_INTENT_INTERNAL_H
#define TACT_INTENT_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csvreader.h"
#include "error.h"
#include "intent.h"
#include "labelindex.h"
#include "roles.h"

/* ---- The model (intent.c) --------------------------------------------- */

/* The name of encoded column j: "Month=Nov" for an indicator, else the
 * feature's name.  Written into buffer (truncated to size); returns it. */
char *tact_intent_column_name(const tact_intent_model *model, size_t j,
                              char *buffer, size_t size);

/*
 * Does a column name look like an in-session outcome?  Returns the stem
 * found ("bounce", "exit", "duration", ...) or NULL.  The name is lowercased
 * and stripped of everything but letters and digits, then searched for:
 * bounce, exit, duration, dwell, timeon, timespent, revenue, convert,
 * purchase, order, transaction, checkout, cart, click, unsubscrib,
 * complain, pagevalue.
 */
const char *tact_intent_post_exposure_stem(const char *name);

/* The exposure of a column: declared in post or pre (lists may be NULL),
 * else LOOKS_POST when its name has a stem, else UNKNOWN.  A column
 * declared in both is POST. */
tact_intent_exposure tact_intent_exposure_of(const char *name,
                                             const tact_names *pre,
                                             const tact_names *post);

/*
 * The warning for the columns among names (count of them) that are, or look,
 * measured after exposure, written into buffer: empty when none.  Example:
 * "features measured after exposure: 'BounceRates' (its name has 'bounce'),
 * 'PageValues' (declared): ...".
 */
void tact_intent_exposure_warning(char *const *names,
                                  const tact_intent_exposure *exposures,
                                  size_t count, char *buffer, size_t size);

/*
 * Bind the model's features to a header: columns[f] receives the field of
 * feature f.  Errors: TACT_DATA (file, the header's line) naming a missing
 * column.
 */
tact_status tact_intent_bind(const tact_intent_model *model,
                             const tact_csv_record *header, const char *file,
                             size_t *columns, tact_error *error);

/*
 * Parse "A=0.2,B=0.8" against classes[count]: every class once, each share
 * positive; shares[] receives them divided by their sum.  Errors:
 * TACT_USAGE naming what is wrong.
 */
tact_status tact_intent_priors_parse(const char *text, char *const *classes,
                                     size_t count, double *shares,
                                     tact_error *error);

/* Move probabilities learned under the class shares training[] (or the
 * training counts) to the shares priors[]: p_k * priors_k / training_k,
 * renormalized (Bayes' rule for a change of class balance). */
void tact_intent_shift(double *probabilities, const double *priors,
                       const double *training, size_t count);

/* The decision: with two classes and a threshold (not NaN), the second
 * class when its probability >= threshold; else the most probable class,
 * the first of equals.  Inline: apply decides every row. */
static inline size_t tact_intent_decide(const double *probabilities,
                                        size_t count, double threshold)
{
	size_t k, best = 0;

	/* Two classes: a comparison, not a branch on which class won (the
	 * rows' classes come in no order). */
	if (count == 2)
		return isnan(threshold) ? probabilities[1] > probabilities[0]
		                        : probabilities[1] >= threshold;
	for (k = 1; k < count; k++)
		if (probabilities[k] > probabilities[best])
			best = k;
	return best;
}

/* ---- Folds and measures (crossval.c) -----------------------------------
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
 */

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

void tact_crossval_report_init(tact_crossval_report *report);
void tact_crossval_report_release(tact_crossval_report *report);

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

/* ---- Scoring one row (intentscore.c) -----------------------------------
 *
 * What a model makes of one row: its linear scores, read straight from the
 * row's cells, and the class probabilities they give.
 *
 * A model's design has a column per number or boolean and an indicator per
 * level of a categorical feature but the first (intent.h).  Encoding each
 * row into that design and multiplying it by the coefficients writes and
 * reads, per row, the indicators of every level a row does not have.  A
 * scorer instead holds, per feature, its coefficients (for a number, one
 * per row of coefficients; for a categorical feature, one set per level,
 * the reference's being none) and adds a feature's part as its cell is
 * read.  The parts are added in the design's column order and only the
 * products of a coefficient with an indicator that is 0 are skipped (each
 * exactly 0), so a row's scores are tact_intent_predict's on the encoded
 * row, bit for bit.
 */

typedef struct tact_intent_term {
	tact_intent_kind kind;
	size_t column;             /* its field in the export's records */
	const tact_intent_feature *feature;
	const double *weights;     /* number, boolean: one per coefficient row;
	                              categorical: as many per level, from
	                              level 1 (level 0 is the reference) */
	tact_label_index levels;   /* categorical: its levels, found by words */
} tact_intent_term;

typedef struct tact_intent_scorer {
	size_t rows;               /* coefficient rows: 1 for two classes */
	size_t count;              /* terms, one per feature, in its order */
	tact_intent_term *terms;
	double *intercepts;        /* rows values */
	double *weights;           /* the terms' weights, one block */
} tact_intent_scorer;

/*
 * A scorer for a logistic model (not rules) over records whose field
 * columns[f] holds feature f (tact_intent_bind).  The scorer points into
 * model, which must outlive it.  Release with tact_intent_scorer_release
 * (also after a failure).  Errors: TACT_SOFTWARE on memory.
 */
tact_status tact_intent_scorer_build(tact_intent_scorer *scorer,
                                     const tact_intent_model *model,
                                     const size_t *columns, tact_error *error);
void tact_intent_scorer_release(tact_intent_scorer *scorer);

/*
 * The scores of record into eta[scorer->rows].  The record's fields must
 * be readable TACT_CSV_FIELD_PAD bytes from their start, as the reader's
 * are.  *outcome is 0 when eta is filled, 1 when a feature's cell is empty
 * (*feature set to it), 2 when a categorical cell is a level the training
 * never saw (*feature set).  Errors: TACT_DATA with the cell's position
 * (file, its line, its field) when a numeric or boolean feature's cell is
 * not a number or a boolean.
 */
tact_status tact_intent_score(const tact_intent_scorer *scorer,
                              const tact_csv_record *record, int decimal_comma,
                              const char *file, double *eta, int *outcome,
                              size_t *feature, tact_error *error);

/* The class probabilities from the scores eta[model->coefficient_rows]
 * into probabilities[class_count] (eta may be probabilities). */
void tact_intent_probabilities(const tact_intent_model *model,
                               const double *eta, double *probabilities);

/* The class probabilities at encoded x (model->encoded values) into
 * probabilities[class_count]. */
void tact_intent_predict(const tact_intent_model *model, const double *x,
                         double *probabilities);

/* ---- Writing probabilities (intentapply.c) ----------------------------- */

/*
 * Write a probability p in [0, 1] with 10 significant digits (trailing
 * zeros dropped; "0" and "1" exactly; below 1e-4 in exponent form like
 * printf's %.10g), decimal_comma choosing ',' as the mark.  buffer holds
 * at least 24 bytes.  Returns the length written (no NUL added).  Faster
 * than printf by an order of magnitude; agrees with printf("%.10g") except,
 * rarely, by one unit in the tenth digit.
 */
size_t tact_intent_format_probability(char *buffer, double p,
                                      int decimal_comma);

#endif
