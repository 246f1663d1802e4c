/*
 * intent.h - reading a visitor's intent from behaviour: a logistic model
 * (or a set of rules) trained on labelled rows, applied to an export,
 * judged by cross-validation.  The one public header of the subsystem in
 * lib/intent/: what tools and other modules may call.  What the
 * subsystem's files share among themselves (and unit tests may reach) is
 * in lib/intent/intent_internal.h; the logistic regression under the
 * model is lib/logistic.h (tact-dose fits with it too).
 *
 * The subsystem's files:
 *   intent.c          features and their encoding, loading the labelled
 *                     rows, fitting, rules, priors
 *   intentscore.c     a model's scores and probabilities for one row
 *   intentapply.c     a model applied to an export, row by row
 *   intenteval.c      cross-validating a model, or judging rules
 *   intentfile.c      the model file (tact-intent-model(5))
 *   crossval.c        folds and measures of a classifier
 *   crossval_write.c  an evaluation's report as CSV, a table or JSON
 *   logistic.c        logistic regression by Newton's method (logistic.h)
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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csvreader.h"
#include "error.h"
#include "roles.h"
#include "rule.h"

/* ---- The model (intent.c) --------------------------------------------- */

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
	double rows_excluded_where; /* dropped by --where (not written) */
	tact_rule_set rule_set;    /* rules */
} tact_intent_model;

void tact_intent_model_init(tact_intent_model *model);
void tact_intent_model_release(tact_intent_model *model);

/* "12330 rows used, 0 left out (...); 2 classes; 13 features in 22
 * columns; converged in 7 iterations": a trained model in a sentence, into
 * buffer.  Returns buffer. */
char *tact_intent_model_describe(const tact_intent_model *model, char *buffer,
                                 size_t size);

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
	tact_rule_set *where;      /* --where (rule.h): only rows where it
	                              holds are read, the others counted;
	                              NULL for every row.  Not owned. */
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

/* ---- The model file (intentfile.c) -------------------------------------
 *
 * The model file of tact-intent (tact-intent-model(5)): a CSV file that the one reader reads back, so a model is a text an
 * analyst can open, diff and review: the header
 * "record,feature,level,class,value,standard_error" and one row per fact
 * (format, label, classes and their training counts, the penalty, the fit's
 * convergence, the features with their kind, levels, exposure and
 * standardization, then the coefficients with their standard errors; or
 * the rules).  Numbers are written to full precision (format.h), so a model
 * read back predicts exactly what the fitted one did.
 */

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

/* ---- Applying a model (intentapply.c) ----------------------------------
 *
 * An intent model (or rules) applied to an export, row by row, writing the
 * export back with the predictions appended.
 *
 * Every byte of each input row is kept: the reader gives each record's raw
 * bytes, and the new fields go before its line end (LF, CRLF or none),
 * joined by the export's own delimiter.  Rows are formatted into one
 * buffer, without allocation, and probabilities are written by a formatter
 * made for them (10 significant digits, no printf), so applying a model
 * runs at about the speed of reading.  A regular file of two parts or more
 * is applied by several threads, in parts of whole lines written in order
 * (see intentapply.c): the output is the same whatever the threads.
 */

typedef struct tact_intent_apply_options {
	double threshold;          /* see tact_intent_decide (internal);
	                              NaN: none */
	const char *priors;        /* "A=0.2,B=0.8" or NULL (logistic models) */
	int decimal_comma;         /* read numbers, and write probabilities,
	                              with a decimal comma */
	char delimiter;            /* 0 = detect */
	const char *consent;       /* rows without consent get no prediction
	                              (empty fields, counted): "consent" by
	                              default when it exists; "" for none */
	int consent_set;           /* named by the analyst: must exist */
	long threads;              /* threads for a large file; 0: one per
	                              core */
	uint64_t part_bytes;       /* input per part with several threads;
	                              0: 1 MiB (tests make it small) */
	tact_csv_progress_fn progress;
	void *progress_context;
} tact_intent_apply_options;

typedef struct tact_intent_apply_report {
	uint64_t rows;             /* data rows written */
	uint64_t missing;          /* rows without a prediction: an empty cell */
	uint64_t unseen;           /*   or a level the training never saw */
	uint64_t no_consent;       /* rows without consent: not scored */
	char first_unseen[200];    /* the first unseen level, as "Month=Dec" */
} tact_intent_apply_report;

/* Defaults: no threshold, no priors, '.' decimals, delimiter detected. */
void tact_intent_apply_options_init(tact_intent_apply_options *options);

/*
 * Stream the export at path ("-" = stdin) to out with predicted_<label>
 * and, for a logistic model, probability_<class> per class appended (the
 * names quoted as needed).  A row without a prediction (see report) gets
 * empty fields.  A rules model is bound to the export's header here (its
 * rule set is modified).  With decimal_comma, probabilities use ',' (quoted when ','
 * is also the delimiter).  A UTF-8 byte-order mark at the start of a file
 * (not of standard input) is written back; blank lines are dropped (the
 * reader skips them).  report may be NULL.  Errors: those of the reader;
 * TACT_USAGE for a threshold outside [0, 1], a threshold with more than two
 * classes, bad priors, priors or a threshold given to rules; TACT_DATA for
 * a feature column missing from the header, an appended column that the
 * header already has, a cell that is not of its feature's kind;
 * TACT_SOFTWARE on memory.  Write errors are left in out for the caller.
 */
tact_status tact_intent_apply(tact_intent_model *model, const char *path,
                              const tact_intent_apply_options *options,
                              FILE *out, tact_intent_apply_report *report,
                              tact_error *error);

/* The report in a sentence, into buffer: "9 rows", or "2 of 9 rows without
 * a prediction: 1 with an empty feature, 1 with a level the training never
 * saw (the first: device=phablet (line 10))".  Returns buffer. */
char *tact_intent_apply_describe(const tact_intent_apply_report *report,
                                 char *buffer, size_t size);

/* ---- Judging a model (intenteval.c, crossval.c, crossval_write.c) ------
 *
 * An intent model judged by seeded k-fold cross-validation, or rules on
 * every labelled row.
 *
 * The complete labelled rows are read once and encoded (as above: the
 * kinds and levels of the features come from all of them; they use no
 * label).  Rows are dealt to folds by class (tact_crossval_folds in
 * intent_internal.h, reproducible from the seed); for each fold a model is trained on the others (the
 * standardization and the fit see the training folds only) and predicts
 * the held-out fold.  The pooled out-of-fold predictions give one set of
 * measures, each fold its own, and the mean over folds is reported too.
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

/*
 * Write the report.  CSV: the header "metric,fold,class,predicted,bin,value"
 * then one row per figure (see tact-intent(1) for the list); table: the
 * same for a person; JSON: one object.  Errors: TACT_SOFTWARE on memory.
 * Write errors are left in the stream for the caller to find.
 */
tact_status tact_crossval_report_write(const tact_crossval_report *report,
                                       tact_crossval_format format, FILE *out,
                                       tact_error *error);

/* Write the calibration tables as CSV with the header
 * "class,bin,low,high,count,mean_predicted,observed_rate". */
void tact_crossval_write_calibration(const tact_crossval_report *report,
                                     FILE *out);

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
 * tact_intent_shift (intent_internal.h) with the training folds' class shares); bins is the
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

/* Write the ROC points (tact_crossval_write_roc) with the header
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
