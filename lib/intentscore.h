/*
 * intentscore.h - what a model makes of one row: its linear scores, read
 * straight from the row's cells, and the class probabilities they give.
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
#ifndef TACT_INTENTSCORE_H
#define TACT_INTENTSCORE_H

#include <stddef.h>

#include "csvreader.h"
#include "error.h"
#include "intent.h"
#include "labelindex.h"

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

#endif
