/*
 * logistic.h - logistic regression: binary, grouped binomial and multinomial,
 * unpenalized or with an L2 penalty, fitted by Newton's method (IRLS).
 * A statistics module of its own (lib/logistic.c): the intent model and
 * tact-dose both fit with it.
 *
 * The model is P(y = 1 | x) = 1 / (1 + exp(-(b0 + b1 x1 + ... + bp xp))).
 * One row of data is either one visitor (successes 0 or 1 out of 1 trial) or
 * a group of visitors sharing the same x (successes out of trials), so that a
 * caller can fit millions of visitors aggregated by distinct x cheaply: the
 * fit of the grouped rows is the fit of the rows they stand for (same
 * coefficients, standard errors and log-likelihood).  Rows may also carry
 * frequency weights: a row of weight w counts as w copies of itself.
 *
 * Penalty.  With lambda > 0 the fit minimizes
 *
 *     -loglik(b) + (lambda / 2) * sum_{j >= 1} b_j^2
 *
 * (the intercept b0 is never penalized).  scikit-learn's
 * LogisticRegression(penalty='l2', C=C) minimizes
 * 0.5 * ||w||^2 + C * sum(logloss), the same objective divided by C, so
 *
 *     lambda = 1 / C        (C = 1 / lambda)
 *
 * with sklearn's sample_weight as tact's weights.  A penalty depends on the
 * scale of the features: with standardize set, the penalty applies to the
 * coefficients of the standardized features (x - mean) / sd, where mean and sd
 * are weighted by the units of each row (trials x weight) and sd divides by
 * the total units (not minus one): exactly StandardScaler followed by
 * LogisticRegression.  Coefficients are always reported on the raw scale of
 * x, so that predict takes raw x whether or not standardize was set.  Without
 * a penalty, standardize changes nothing but the path of the iterations.
 *
 * Multinomial (K >= 3 classes, also valid for K = 2).  Unpenalized, class 0 is
 * the reference (its coefficients are 0), as in statsmodels MNLogit.  With
 * lambda > 0 every class has its own coefficient vector, all of them
 * penalized, intercepts unpenalized and summing to zero: the parameterisation
 * of sklearn's multinomial LogisticRegression, with the same lambda = 1 / C.
 *
 * Algorithm.  Newton's method on the penalized negative log-likelihood (for
 * the binary model this is iteratively reweighted least squares), with the
 * information matrix formed with GSL BLAS and solved by Cholesky.  A step that
 * would increase the objective (the penalized negative log-likelihood) is
 * halved.  The fit has converged when an accepted step changes the objective
 * by at most tolerance * (|objective| + 0.1) and no coefficient (on the
 * internal, standardized scale) by more than
 * sqrt(tolerance) * (1 + |coefficient|); the second condition keeps a
 * separated fit, whose objective creeps to its infimum while the
 * coefficients run off, from looking converged.
 *
 * Failures.  Perfect or quasi-complete separation (some combination of the
 * features predicts the outcome perfectly, so the unpenalized maximum-
 * likelihood coefficients are infinite), collinear or constant features, an
 * outcome that never varies, and non-finite results are errors (TACT_DATA or
 * TACT_SOFTWARE), never a model full of huge numbers.  A penalized fit cannot
 * separate; an outcome or class that never occurs is refused even then, since
 * the intercepts are unpenalized.  Errors name the row (1-based) and the
 * feature (1-based) in the message but set no file position (line and
 * column 0): only the caller knows where its rows came from.
 */
#ifndef TACT_LOGISTIC_H
#define TACT_LOGISTIC_H

#include <stddef.h>

#include "error.h"

typedef struct tact_logistic_options {
	size_t max_iterations; /* Newton steps allowed (default 100) */
	double tolerance;      /* convergence tolerance, > 0 (default 1e-10) */
	double lambda;         /* L2 penalty strength, >= 0 (default 0 = none) */
	int standardize;       /* penalize standardized coefficients (default 0) */
} tact_logistic_options;

/* The rows of a binary or grouped binomial fit.  Arrays are the caller's. */
typedef struct tact_logistic_data {
	size_t rows;              /* number of rows, >= 1 */
	size_t features;          /* p, >= 0; the intercept is added */
	const double *x;          /* rows x features, row-major; NULL if p == 0 */
	const double *successes;  /* per row, in [0, trials] */
	const double *trials;     /* per row, >= 0; NULL: every row is 1 trial */
	const double *weights;    /* frequency weights, >= 0; NULL: all 1 */
} tact_logistic_data;

/*
 * A fitted binary model.  Vectors have parameters = features + 1 entries,
 * the intercept first; covariance is parameters x parameters, row-major, on
 * the raw scale of x.  With lambda > 0 the covariance is the inverse of the
 * penalized information (the Laplace approximation under the Gaussian prior
 * the penalty stands for): usable for intervals around predictions, but the
 * estimates are shrunk, so z and p_values are NaN (no Wald test).
 */
typedef struct tact_logistic_model {
	size_t features;          /* p */
	size_t parameters;        /* p + 1 */
	double *coefficients;     /* b0, b1..bp */
	double *standard_errors;  /* sqrt of the covariance diagonal */
	double *z;                /* coefficient / standard error */
	double *p_values;         /* two-sided, normal */
	double *covariance;       /* inverse (penalized) Fisher information */
	double log_likelihood;    /* sum of w*(y log p + (n-y) log(1-p)) */
	double deviance;          /* 2 * (saturated - fitted) log-likelihood */
	double null_deviance;     /* the same for the intercept-only model */
	double lambda;            /* the penalty the model was fitted with */
	int standardized;         /* options->standardize when fitted */
	size_t iterations;        /* Newton steps taken */
	int converged;            /* 1 if the convergence test passed */
} tact_logistic_model;

/* The rows of a multinomial fit. */
typedef struct tact_logistic_multinomial_data {
	size_t rows;              /* >= 1 */
	size_t features;          /* p, >= 0 */
	size_t classes;           /* K, >= 2 */
	const double *x;          /* rows x features, row-major; NULL if p == 0 */
	const size_t *labels;     /* per row, the class in [0, K); or NULL */
	const double *counts;     /* rows x K counts, >= 0, when labels is NULL */
	const double *weights;    /* frequency weights, >= 0; NULL: all 1 */
} tact_logistic_multinomial_data;

/*
 * A fitted multinomial model.  coefficients and standard_errors are
 * classes x parameters, row-major: row k holds class k's intercept then its
 * p slopes, on the raw scale of x.  Unpenalized (symmetric == 0), row 0 is
 * zero and the standard errors of rows 1..K-1 come from the inverse
 * information of that reference parameterisation (as MNLogit).  Penalized
 * (symmetric == 1), the standard errors come from the pseudo-inverse of the
 * penalized information, the covariance under the constraint that the
 * intercepts sum to zero.
 */
typedef struct tact_logistic_multinomial_model {
	size_t features;          /* p */
	size_t classes;           /* K */
	size_t parameters;        /* p + 1 per class */
	int symmetric;            /* 1: all K rows free (penalized); 0: reference */
	double *coefficients;     /* K x (p + 1) */
	double *standard_errors;  /* K x (p + 1) */
	double log_likelihood;    /* sum of w * count * log p(class) */
	double deviance;          /* 2 * (saturated - fitted) log-likelihood */
	double lambda;
	int standardized;
	size_t iterations;
	int converged;
} tact_logistic_multinomial_model;

/* Defaults: 100 iterations, tolerance 1e-10, no penalty, no standardizing. */
void tact_logistic_options_init(tact_logistic_options *options);

/* An empty model (no allocation); safe to release or to pass to a fit. */
void tact_logistic_model_init(tact_logistic_model *model);

/* Free the model's arrays and leave it empty (as after _init). */
void tact_logistic_model_release(tact_logistic_model *model);

/* Release a model allocated with malloc, then free it.  NULL is a no-op. */
void tact_logistic_model_free(tact_logistic_model *model);

/*
 * Fit a binary or grouped binomial logistic regression.
 *
 * data: see tact_logistic_data; options: NULL for the defaults.  model must
 * be initialized (or released); its previous contents are released, and on
 * success it owns newly allocated arrays (release them with _release).  On
 * failure the model is left empty.
 *
 * Errors: TACT_USAGE for invalid options (tolerance <= 0, lambda < 0 or not
 * finite, max_iterations 0); TACT_DATA for invalid data (no rows, a
 * non-finite value, successes outside [0, trials], negative trials or
 * weights, no units at all, an outcome that never varies), for collinear or
 * constant features and for separation (unpenalized only); TACT_SOFTWARE for a
 * failure of GSL, of memory, or a non-finite result.  A fit that runs out of
 * iterations without those failures returns TACT_OK with converged == 0:
 * check it.
 */
tact_status tact_logistic_fit(const tact_logistic_data *data,
                              const tact_logistic_options *options,
                              tact_logistic_model *model, tact_error *error);

/*
 * The fitted probability at x (model->features raw values).  Computed stably
 * for any linear predictor.  Precondition: a fitted model, finite x.
 */
double tact_logistic_predict(const tact_logistic_model *model, const double *x);

/*
 * The fitted probability at x and its delta-method interval at the given
 * level (0.95 for 95%): eta +- z * se(eta) on the logit scale, with
 * se(eta)^2 = (1, x)' covariance (1, x), transformed back by the logistic
 * function, so the bounds stay inside (0, 1).  Any output pointer may be NULL.
 * Errors: TACT_USAGE for a level outside (0, 1); TACT_DATA for a non-finite x.
 */
tact_status tact_logistic_predict_interval(const tact_logistic_model *model,
                                           const double *x, double level,
                                           double *probability, double *low,
                                           double *high, tact_error *error);

/* An empty multinomial model (no allocation). */
void tact_logistic_multinomial_init(tact_logistic_multinomial_model *model);

/* Free the multinomial model's arrays and leave it empty. */
void tact_logistic_multinomial_release(tact_logistic_multinomial_model *model);

/* Release a malloc'ed multinomial model, then free it.  NULL is a no-op. */
void tact_logistic_multinomial_free(tact_logistic_multinomial_model *model);

/*
 * Fit a multinomial (softmax) logistic regression; see the top of this file
 * for the two parameterisations.  Contract, ownership and errors as
 * tact_logistic_fit; in addition a label outside [0, K), fewer than two
 * classes, and a class that never occurs are TACT_DATA.
 */
tact_status tact_logistic_multinomial_fit(
	const tact_logistic_multinomial_data *data,
	const tact_logistic_options *options,
	tact_logistic_multinomial_model *model, tact_error *error);

/*
 * Scores into probabilities, in place: values[k] becomes
 * exp(values[k] - max) / sum over classes (the largest score subtracted
 * first, so no exponential overflows).
 */
void tact_logistic_softmax(double *values, size_t count);

/*
 * The class probabilities at x (model->features raw values) into
 * probabilities[0..K-1], which sum to 1.  Precondition: a fitted model.
 */
void tact_logistic_multinomial_predict(
	const tact_logistic_multinomial_model *model, const double *x,
	double *probabilities);

#endif
