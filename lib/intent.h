/*
 * intent.h - reading a visitor's intent from behaviour: a logistic model
 * (or a set of rules) trained on labelled rows, applied to an export,
 * judged by cross-validation.
 *
 * Features.  Each feature column is, from the values of the training rows:
 * numeric when every value is a number (parse.h); boolean when every value
 * is a boolean (0/1, true/false, yes/no: coded 0 and 1); categorical
 * otherwise, or when the analyst says so.  A categorical feature with L
 * levels (distinct texts, sorted by their bytes) becomes L - 1 indicator
 * columns: the first level is the reference, coded by all indicators 0
 * (pandas get_dummies(drop_first=True) on sorted levels).  So the design has
 * no column that is the sum of others, and the unpenalized fit is
 * identified.
 *
 * Missing values.  A training row whose label or any feature is empty is
 * left out, and counted.  Applying a model, a row with an empty feature,
 * or with a categorical level the training never saw, gets empty
 * predictions, and is counted.
 *
 * Model.  Classes are the distinct label texts, sorted by their bytes.  Two
 * classes: a binary logistic regression of the second class against the
 * first.  More: a multinomial one (logistic.h: symmetric with a penalty,
 * first class as reference without).  The fit standardizes the encoded
 * columns (mean and standard deviation of the training rows, dividing by
 * n: scikit-learn's StandardScaler) and penalizes the standardized
 * coefficients with lambda = 1 / C (scikit-learn's C).  Coefficients are
 * kept on the raw scale of the encoded columns.
 *
 * Measured after exposure.  An intent inferred from behaviour after the
 * personalization was shown is not a pre-treatment segment: the treatment
 * has already moved it, and every per-segment comparison built on it is
 * biased.  tact cannot see when a column was measured, so it flags features
 * the analyst declared post-exposure, and features whose names look like
 * in-session outcomes (the stems below), unless declared pre-exposure; the
 * tool warns about them.
 */
#ifndef TACT_INTENT_H
#define TACT_INTENT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crossval.h"
#include "csvreader.h"
#include "error.h"
#include "roles.h"
#include "rule.h"

typedef enum tact_intent_kind {
	TACT_INTENT_NUMERIC,
	TACT_INTENT_BOOLEAN,
	TACT_INTENT_CATEGORICAL
} tact_intent_kind;

typedef enum tact_intent_exposure {
	TACT_EXPOSURE_UNKNOWN,     /* nothing declared, name unremarkable */
	TACT_EXPOSURE_PRE,         /* declared measured before exposure */
	TACT_EXPOSURE_POST,        /* declared measured after exposure */
	TACT_EXPOSURE_LOOKS_POST   /* its name looks like an in-session outcome */
} tact_intent_exposure;

typedef struct tact_intent_feature {
	char *name;
	tact_intent_kind kind;
	size_t level_count;        /* categorical: its levels, sorted; */
	char **levels;             /*   level 0 is the reference */
	size_t *level_lengths;
	size_t first;              /* its first encoded column */
	tact_intent_exposure exposure;
} tact_intent_feature;

typedef struct tact_intent_model {
	char *label;               /* label column; rules: the predicted column's
	                              name is predicted_<label> all the same */
	int rules;                 /* 1: rule_set decides, no coefficients */
	size_t class_count;
	char **classes;
	double *class_counts;      /* training rows per class (logistic) */
	size_t feature_count;
	tact_intent_feature *features;
	size_t encoded;            /* p, encoded columns */
	double *mean, *sd;         /* per encoded column, the standardization */
	double lambda;             /* 0: no penalty */
	size_t coefficient_rows;   /* 1 (two classes) or class_count */
	int reference;             /* multinomial without penalty: row 0 is 0 */
	double *coefficients;      /* coefficient_rows x (p + 1), intercept first */
	double *standard_errors;   /* same shape; NaN where none */
	double log_likelihood;
	size_t iterations;
	int converged;
	double rows, rows_left_out;
	double rows_excluded_consent; /* left out for lack of consent (training
	                                 and evaluation; not written) */
	tact_rule_set rule_set;    /* rules */
} tact_intent_model;

void tact_intent_model_init(tact_intent_model *model);
void tact_intent_model_release(tact_intent_model *model);

/* "12330 rows used, 0 left out (...); 2 classes; 13 features in 22
 * columns; converged in 7 iterations": a trained model in a sentence, into
 * buffer.  Returns buffer. */
char *tact_intent_model_describe(const tact_intent_model *model, char *buffer,
                                 size_t size);

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
 * The warning about a model's columns measured after exposure, into buffer
 * (empty when none): its features' recorded exposure, or for rules the
 * columns the rules read, judged with pre and post (either may be NULL).
 */
void tact_intent_model_warning(const tact_intent_model *model,
                               const tact_names *pre, const tact_names *post,
                               char *buffer, size_t size);

typedef struct tact_intent_options {
	const char *label;         /* the label column (required to train) */
	tact_names features;       /* feature columns */
	tact_names categorical;    /* features forced categorical */
	tact_names pre_exposure;   /* declared measured before exposure */
	tact_names post_exposure;  /* declared measured after exposure */
	const char *consent;       /* rows whose consent is not given are left
	                              out (counted): "consent" by default when
	                              the column exists; "" for none */
	int consent_set;           /* named by the analyst: must exist */
	double lambda;             /* L2 penalty = 1 / C; 0 = none */
	size_t max_iterations;     /* Newton steps (default 100) */
	size_t max_levels;         /* a categorical feature's levels, at most
	                              (default TACT_INTENT_MAX_LEVELS): the fit
	                              grows with the cube of the levels */
	int decimal_comma;
	char delimiter;            /* 0 = detect */
	tact_csv_progress_fn progress;
	void *progress_context;
} tact_intent_options;

#define TACT_INTENT_MAX_LEVELS 100

/* Defaults: lambda 1 (C = 1, scikit-learn's default), 100 iterations, at
 * most TACT_INTENT_MAX_LEVELS levels a categorical feature. */
void tact_intent_options_init(tact_intent_options *options);
void tact_intent_options_release(tact_intent_options *options);

/* The complete labelled rows of an export, encoded. */
typedef struct tact_intent_data {
	size_t rows;               /* complete labelled rows */
	size_t encoded;            /* p */
	double *x;                 /* rows x p, raw scale */
	size_t *labels;            /* per row, its class */
	uint64_t *lines;           /* per row, its line in the file */
	size_t *rule_class;        /* rules: per row, the class the rules give */
	double left_out;           /* rows without a label or with a feature empty */
	double excluded_consent;   /* rows without consent, never read further */
} tact_intent_data;

void tact_intent_data_init(tact_intent_data *data);
void tact_intent_data_release(tact_intent_data *data);

/*
 * Read path ("-" = stdin) and encode its complete labelled rows: model
 * (initialized) receives the label, the classes (sorted) with their
 * counts, the features with their kinds, levels and exposure; data the
 * encoded rows.  With rules (a rules model, bound here), the features are
 * not read: each row's rule class goes to data->rule_class (an index into
 * rules->classes), and model's classes are the label's texts only.
 * Errors: those of the reader; TACT_USAGE (no label, no features, a
 * feature given twice or equal to the label, a forced categorical that is
 * not a feature); TACT_DATA (a column missing from the header, no complete
 * row, a label with one class, a categorical feature with more levels than
 * options->max_levels, a label or a categorical feature that looks like a
 * unit id, tact_privacy_unit_like: refused here, before any fit).
 */
tact_status tact_intent_load(const char *path,
                             const tact_intent_options *options,
                             tact_intent_model *rules,
                             tact_intent_model *model, tact_intent_data *data,
                             tact_error *error);

/*
 * Fit model's coefficients (replacing any) on the rows which[0..count) of
 * data (which NULL: rows 0..count-1), with options' penalty and iterations;
 * also sets the class counts, the standardization and the convergence from
 * those rows.  Errors: those of logistic.h, TACT_DATA with the encoded
 * column and the file line named when the message has them, and a class
 * absent from the rows.
 */
tact_status tact_intent_fit(tact_intent_model *model,
                            const tact_intent_data *data, const size_t *which,
                            size_t count, const tact_intent_options *options,
                            const char *file, tact_error *error);

/*
 * Train: tact_intent_load, then tact_intent_fit on every row.  A fit that
 * does not converge returns TACT_OK with model->converged 0: check it.
 */
tact_status tact_intent_train(const char *path,
                              const tact_intent_options *options,
                              tact_intent_model *model, tact_error *error);

/*
 * Make a rules model: rules (texts "class: condition"), the default class,
 * label naming the predicted column (predicted_<label>).  model must be
 * initialized.  Errors: those of rule.h.
 */
tact_status tact_intent_rules(const char *const *rules, size_t count,
                              const char *default_class, const char *label,
                              tact_intent_model *model, tact_error *error);

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

#endif
