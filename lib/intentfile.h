/*
 * intentfile.h - the model file of tact-intent (tact-intent-model(5)).
 *
 * A CSV file that the one reader reads back, so a model is a text an
 * analyst can open, diff and review: the header
 * "record,feature,level,class,value,standard_error" and one row per fact
 * (format, label, classes and their training counts, the penalty, the fit's
 * convergence, the features with their kind, levels, exposure and
 * standardization, then the coefficients with their standard errors; or
 * the rules).  Numbers are written to full precision (format.h), so a model
 * read back predicts exactly what the fitted one did.
 */
#ifndef TACT_INTENTFILE_H
#define TACT_INTENTFILE_H

#include <stdio.h>

#include "error.h"
#include "intent.h"

/* The first field of the format row's value: the version written. */
#define TACT_INTENT_MODEL_FORMAT "tact_intent_model_v1"

/* Write model to out.  Errors: TACT_SOFTWARE on memory; write errors are
 * left in out for the caller to find. */
tact_status tact_intent_model_write(const tact_intent_model *model, FILE *out,
                                    tact_error *error);

/*
 * Read a model file (path, "-" for standard input) into model (initialized;
 * filled on success, left empty on failure).  Errors: those of the reader;
 * TACT_DATA with the position of what is wrong (not a model file, another
 * version, an unknown record, a missing or inconsistent part).
 */
tact_status tact_intent_model_read(const char *path, tact_intent_model *model,
                                   tact_error *error);

#endif
