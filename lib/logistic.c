/*
 * logistic.c - logistic regression by Newton's method over GSL (see logistic.h).
 *
 * How it is built.  One Newton engine (newton_run) minimizes an objective
 * given by a callback that returns its value, gradient and Hessian; the
 * binary and the multinomial models each provide that callback.  Both work in
 * internal coordinates where every feature is centered and scaled, which
 * keeps the information matrix well conditioned (an exposure count of 1000
 * next to an intercept of 1 costs digits), and map the result back to the raw
 * scale at the end: the raw coefficients are T * internal, the raw covariance
 * T * C * T', for the linear map T that undoes the standardization.  A
 * penalty on the raw coefficients becomes, internally, a penalty weighted by
 * 1 / scale^2, so standardizing internally never changes the answer.
 *
 * The data are never copied: each evaluation streams the caller's rows in
 * blocks of BLOCK_ROWS, standardizes a block into a small matrix, and adds
 * its contribution to the gradient (dgemv, dgemm) and to the information
 * matrix (dsyrk for the binary model, dgemm per pair of classes for the
 * multinomial one).  Memory is O(parameters^2), whatever the number of rows.
 *
 * Separation.  When some combination of the features predicts the outcome
 * perfectly, the likelihood keeps increasing as coefficients grow without
 * bound: Newton's objective change shrinks to nothing while its steps stay
 * large, so the fit neither converges nor fails on its own.  The engine
 * stops after FLAT_STEPS such steps in a row, and tact calls it separation
 * when an unpenalized fit ends without converging (flat, out of iterations,
 * stalled, or with a numerically singular information matrix) and some
 * row's fitted probability is within SEPARATION_PROBABILITY of 0 or 1.  A fit that converges is never called separated, even with extreme
 * fitted probabilities (a legitimate fit can have them: a slope of 0.05 over
 * 1000 exposures).
 *
 * GSL statuses: every call that can fail on its inputs goes through
 * tact_numeric_check; Cholesky's GSL_EDOM (not positive definite) is read
 * as a singular information matrix, a property of the data.  Calls whose
 * only failure is a length mismatch between buffers allocated here together
 * (gsl_*_memcpy, gsl_vector_scale) are not checked.
 */
#include "logistic.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "numeric.h"

#define BLOCK_ROWS 256
#define MAX_HALVINGS 30
/* Accepted steps in a row that change the objective by less than the
 * tolerance while still moving the coefficients: the sign of separation
 * (the likelihood approaches its supremum at infinity).  Stopping there
 * rather than at max_iterations saves most of the passes over the data. */
#define FLAT_STEPS 3
/* Below this reciprocal condition number (internal, standardized scale) the
 * information matrix is treated as singular. */
#define SINGULAR_RCOND 1e-12
/* A fitted probability this close to 0 or 1 is "numerically 0 or 1". */
#define SEPARATION_PROBABILITY 1e-8

/* ---------------------------------------------------------------------
 * Small numerical helpers
 */

/* log(1 + exp(z)) without overflow or loss of precision. */
static double softplus(double z)
{
	return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

/* 1 / (1 + exp(-z)) without overflow. */
static double logistic_function(double z)
{
	double e;

	if (z >= 0)
		return 1.0 / (1.0 + exp(-z));
	e = exp(z);
	return e / (1.0 + e);
}

/* y * log(y / n), with 0 log 0 = 0: a term of the saturated log-likelihood. */
static double xlogx_over(double y, double n)
{
	return y > 0 ? y * log(y / n) : 0.0;
}

static tact_status check_options(const tact_logistic_options *options,
                                 tact_error *error)
{
	if (options->max_iterations == 0)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the maximum number of iterations must be at least 1");
	if (!(options->tolerance > 0) || !isfinite(options->tolerance))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the convergence tolerance must be a positive number, got %g",
		                      options->tolerance);
	if (!(options->lambda >= 0) || !isfinite(options->lambda))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the penalty lambda must be a non-negative number, got %g",
		                      options->lambda);
	return TACT_OK;
}

/* ---------------------------------------------------------------------
 * Standardization shared by both models
 */

typedef struct scaling {
	size_t features;
	double *center;  /* p weighted means */
	double *scale;   /* p weighted standard deviations (1 for a constant) */
	int *constant;   /* p flags: the feature takes one value in every unit */
	double *penalty; /* p + 1 internal penalty weights; [0] = 0 */
} scaling;

static void scaling_release(scaling *s)
{
	free(s->center);
	free(s->scale);
	free(s->constant);
	free(s->penalty);
	memset(s, 0, sizeof *s);
}

/*
 * Weighted mean and standard deviation (divisor: total units) of each
 * feature over the rows with units[i] > 0, two passes for accuracy.  A
 * feature with one value in every such row is flagged constant and gets
 * scale 1 and that exact value as center, so it becomes an exact column of
 * zeros (a computed mean could differ from the value in the last bit and
 * leave rounding noise for Newton to fit).  penalty[j + 1] is the internal
 * weight of feature j's penalty (see the top of the file).
 */
static tact_status scaling_compute(scaling *s, const double *x, size_t rows,
                                   size_t features, const double *units,
                                   double total_units,
                                   const tact_logistic_options *options,
                                   tact_error *error)
{
	size_t i, j;

	memset(s, 0, sizeof *s);
	s->features = features;
	s->center = calloc(features ? features : 1, sizeof *s->center);
	s->scale = calloc(features ? features : 1, sizeof *s->scale);
	s->constant = calloc(features ? features : 1, sizeof *s->constant);
	s->penalty = calloc(features + 1, sizeof *s->penalty);
	if (!s->center || !s->scale || !s->constant || !s->penalty) {
		scaling_release(s);
		return tact_error_oom(error);
	}
	for (j = 0; j < features; j++) {
		double sum = 0, first = 0, variance = 0;
		int seen = 0, constant = 1;

		for (i = 0; i < rows; i++) {
			double v = x[i * features + j];

			if (units[i] <= 0)
				continue;
			if (!seen) {
				first = v;
				seen = 1;
			} else if (v != first) {
				constant = 0;
			}
			sum += units[i] * v;
		}
		s->constant[j] = constant;
		if (constant) {
			s->center[j] = first;
			s->scale[j] = 1.0;
		} else {
			s->center[j] = sum / total_units;
			for (i = 0; i < rows; i++) {
				double d = x[i * features + j] - s->center[j];

				if (units[i] > 0)
					variance += units[i] * d * d;
			}
			s->scale[j] = sqrt(variance / total_units);
			if (!(s->scale[j] > 0) || !isfinite(s->scale[j]))
				s->scale[j] = 1.0;
		}
		/* Internal coefficient c = raw coefficient * scale: a penalty
		 * lambda/2 raw^2 is lambda/(2 scale^2) c^2. */
		s->penalty[j + 1] = options->standardize
		                    ? options->lambda
		                    : options->lambda / (s->scale[j] * s->scale[j]);
	}
	return TACT_OK;
}

/* scaling_compute for a fit: a constant feature has no coefficient to
 * estimate without a penalty (TACT_DATA). */
static tact_status scaling_for_fit(scaling *s, const double *x, size_t rows,
                                   size_t features, const double *units,
                                   double total_units,
                                   const tact_logistic_options *options,
                                   tact_error *error)
{
	size_t j;
	tact_status status = scaling_compute(s, x, rows, features, units,
	                                     total_units, options, error);

	if (status != TACT_OK || options->lambda > 0)
		return status;
	for (j = 0; j < s->features; j++)
		if (s->constant[j])
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "feature %zu is constant (%g in every row), "
			                      "so its coefficient is not identified",
			                      j + 1, s->center[j]);
	return TACT_OK;
}

/* Rows first..first+count-1 of x, standardized, with a leading 1, into the
 * top count rows of block. */
static void fill_block(const double *x, size_t features, size_t first,
                       size_t count, const scaling *s, gsl_matrix *block)
{
	size_t i, j;

	for (i = 0; i < count; i++) {
		const double *row = x ? x + (first + i) * features : NULL;

		gsl_matrix_set(block, i, 0, 1.0);
		for (j = 0; j < features; j++)
			gsl_matrix_set(block, i, j + 1,
			               (row[j] - s->center[j]) / s->scale[j]);
	}
}

/*
 * The matrix T (q x q) mapping internal coefficients of one linear predictor
 * to raw ones: raw slope j = internal / scale_j, raw intercept = internal
 * intercept - sum_j internal_j * center_j / scale_j.
 */
static void fill_unscaling(const scaling *s, gsl_matrix *t)
{
	size_t j;

	gsl_matrix_set_zero(t);
	gsl_matrix_set(t, 0, 0, 1.0);
	for (j = 0; j < s->features; j++) {
		gsl_matrix_set(t, 0, j + 1, -s->center[j] / s->scale[j]);
		gsl_matrix_set(t, j + 1, j + 1, 1.0 / s->scale[j]);
	}
}

/* out = a * b * a' for square matrices (out distinct from a and b). */
static tact_status sandwich(const gsl_matrix *a, const gsl_matrix *b,
                            gsl_matrix *out, tact_error *error)
{
	gsl_matrix *tmp = gsl_matrix_alloc(a->size1, b->size2);
	tact_status status;

	if (!tmp)
		return tact_error_oom(error);
	status = tact_numeric_check(
		gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, a, b, 0.0, tmp),
		"logistic covariance transform", error);
	if (status == TACT_OK)
		status = tact_numeric_check(
			gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, tmp, a, 0.0, out),
			"logistic covariance transform", error);
	gsl_matrix_free(tmp);
	return status;
}

/* Copy the lower triangle of a square matrix onto its upper triangle. */
static void symmetrize_from_lower(gsl_matrix *m)
{
	size_t i, j;

	for (i = 0; i < m->size1; i++)
		for (j = i + 1; j < m->size2; j++)
			gsl_matrix_set(m, i, j, gsl_matrix_get(m, j, i));
}

/* Cholesky factor of a (copied into factor) and its reciprocal condition
 * number; *singular is set when a is not numerically positive definite. */
static tact_status cholesky(const gsl_matrix *a, gsl_matrix *factor,
                            gsl_vector *work, int *singular,
                            tact_error *error)
{
	double rcond = 0;
	int gsl_status;

	*singular = 0;
	gsl_matrix_memcpy(factor, a);
	gsl_status = gsl_linalg_cholesky_decomp1(factor);
	if (gsl_status == GSL_EDOM) {  /* not positive definite */
		*singular = 1;
		return TACT_OK;
	}
	if (tact_numeric_check(gsl_status, "logistic Cholesky factorization",
	                       error) != TACT_OK)
		return TACT_SOFTWARE;
	if (tact_numeric_check(gsl_linalg_cholesky_rcond(factor, &rcond, work),
	                       "logistic condition number", error) != TACT_OK)
		return TACT_SOFTWARE;
	if (!(rcond >= SINGULAR_RCOND))
		*singular = 1;
	return TACT_OK;
}

/* ---------------------------------------------------------------------
 * The Newton engine
 */

typedef struct newton_problem {
	size_t dimension;
	/* Objective (to minimize), its gradient and Hessian at beta. */
	tact_status (*evaluate)(void *context, const gsl_vector *beta,
	                        double *objective, gsl_vector *gradient,
	                        gsl_matrix *hessian, tact_error *error);
	/* Add curvature along directions in which the objective is flat and the
	 * gradient is always zero (NULL when there are none). */
	void (*fix_null_space)(void *context, gsl_matrix *hessian);
	/* The rows (with units) whose fitted probabilities at beta are
	 * numerically 0 or 1: how many, and the first (1-based). */
	void (*extremes)(void *context, const gsl_vector *beta, size_t *extreme,
	                 size_t *first_row);
	void *context;
} newton_problem;

typedef enum newton_outcome {
	NEWTON_CONVERGED,
	NEWTON_OUT_OF_ITERATIONS,
	NEWTON_STALLED,   /* no step length decreased the objective */
	NEWTON_SINGULAR,  /* the Hessian is not numerically positive definite */
	NEWTON_FLAT       /* the objective stopped changing, the steps did not */
} newton_outcome;

typedef struct newton_work {
	gsl_vector *gradient, *trial_gradient, *trial, *step, *rcond_work;
	gsl_matrix *trial_hessian, *factor;
} newton_work;

static void newton_work_release(newton_work *w)
{
	gsl_vector_free(w->gradient);
	gsl_vector_free(w->trial_gradient);
	gsl_vector_free(w->trial);
	gsl_vector_free(w->step);
	gsl_vector_free(w->rcond_work);
	gsl_matrix_free(w->trial_hessian);
	gsl_matrix_free(w->factor);
}

/*
 * Minimize from beta (the start, replaced by the last accepted point);
 * hessian receives the Hessian at that point, without the null-space fix.
 */
static tact_status newton_run(const newton_problem *problem,
                              const tact_logistic_options *options,
                              gsl_vector *beta, gsl_matrix *hessian,
                              size_t *iterations, newton_outcome *outcome,
                              tact_error *error)
{
	size_t n = problem->dimension, j, halving, flat_steps = 0;
	newton_work w;
	double objective, trial_objective = 0;
	double step_tolerance = sqrt(options->tolerance);
	tact_status status;

	*iterations = 0;
	*outcome = NEWTON_OUT_OF_ITERATIONS;
	w.gradient = gsl_vector_alloc(n);
	w.trial_gradient = gsl_vector_alloc(n);
	w.trial = gsl_vector_alloc(n);
	w.step = gsl_vector_alloc(n);
	w.rcond_work = gsl_vector_alloc(3 * n);
	w.trial_hessian = gsl_matrix_alloc(n, n);
	w.factor = gsl_matrix_alloc(n, n);
	if (!w.gradient || !w.trial_gradient || !w.trial || !w.step ||
	    !w.rcond_work || !w.trial_hessian || !w.factor) {
		newton_work_release(&w);
		return tact_error_oom(error);
	}
	status = problem->evaluate(problem->context, beta, &objective,
	                           w.gradient, hessian, error);
	if (status == TACT_OK && !isfinite(objective))
		status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                        "logistic regression: the log-likelihood "
		                        "at the starting values is not finite");
	while (status == TACT_OK && *iterations < options->max_iterations) {
		double step_length = 1.0, change;
		int singular, accepted = 0, small_step = 1;

		gsl_matrix_memcpy(w.trial_hessian, hessian);
		if (problem->fix_null_space)
			problem->fix_null_space(problem->context, w.trial_hessian);
		status = cholesky(w.trial_hessian, w.factor, w.rcond_work,
		                  &singular, error);
		if (status != TACT_OK)
			break;
		if (singular) {
			*outcome = NEWTON_SINGULAR;
			break;
		}
		status = tact_numeric_check(
			gsl_linalg_cholesky_solve(w.factor, w.gradient, w.step),
			"logistic Newton step", error);
		if (status != TACT_OK)
			break;
		gsl_vector_scale(w.step, -1.0);
		for (halving = 0; halving < MAX_HALVINGS; halving++) {
			gsl_vector_memcpy(w.trial, beta);
			status = tact_numeric_check(
				gsl_blas_daxpy(step_length, w.step, w.trial),
				"logistic Newton step", error);
			if (status != TACT_OK)
				break;
			status = problem->evaluate(problem->context, w.trial,
			                           &trial_objective,
			                           w.trial_gradient,
			                           w.trial_hessian, error);
			if (status != TACT_OK)
				break;
			/* A little slack: near the optimum the change is below
			 * the rounding of a sum over many rows. */
			if (isfinite(trial_objective) &&
			    trial_objective <= objective + 1e-12 * (fabs(objective) + 1)) {
				accepted = 1;
				break;
			}
			step_length *= 0.5;
		}
		if (status != TACT_OK)
			break;
		if (!accepted) {
			*outcome = NEWTON_STALLED;
			break;
		}
		++*iterations;
		for (j = 0; j < n; j++) {
			double moved = step_length * fabs(gsl_vector_get(w.step, j));

			if (moved > step_tolerance *
			            (1.0 + fabs(gsl_vector_get(w.trial, j))))
				small_step = 0;
		}
		change = fabs(objective - trial_objective);
		gsl_vector_memcpy(beta, w.trial);
		gsl_vector_memcpy(w.gradient, w.trial_gradient);
		gsl_matrix_memcpy(hessian, w.trial_hessian);
		objective = trial_objective;
		if (change <= options->tolerance * (fabs(objective) + 0.1)) {
			if (small_step) {
				*outcome = NEWTON_CONVERGED;
				break;
			}
			if (++flat_steps == FLAT_STEPS) {
				*outcome = NEWTON_FLAT;
				break;
			}
		} else {
			flat_steps = 0;
		}
	}
	newton_work_release(&w);
	return status;
}

static tact_status separation_error(size_t extreme, size_t first_row,
                                    tact_error *error)
{
	return tact_error_set(error, TACT_DATA, NULL, 0, 0,
	                      "the features separate the outcome perfectly "
	                      "(complete or quasi-complete separation): the "
	                      "fitted probabilities of %zu rows (the first is row "
	                      "%zu) went to 0 or 1 and the coefficients have no "
	                      "finite estimate; use a penalty (lambda > 0) or "
	                      "drop the separating feature", extreme, first_row);
}

static tact_status singular_error(tact_error *error)
{
	return tact_error_set(error, TACT_DATA, NULL, 0, 0,
	                      "the features are collinear: the information "
	                      "matrix is singular, so the coefficients are not "
	                      "identified");
}

/*
 * The Newton step both fits share: run the engine from beta and judge how
 * it ended.  An unpenalized fit that did not converge with some fitted
 * probability numerically 0 or 1 is separated (TACT_DATA); a singular
 * Hessian is collinearity (TACT_DATA); running out of iterations is not an
 * error (*converged 0).  On success beta is the solution and the problem
 * has been evaluated once more there, so hessian and the problem's
 * log-likelihood are those of beta (the engine's last evaluation may have
 * been a rejected trial step).
 */
static tact_status newton_fit(const newton_problem *problem,
                              const tact_logistic_options *options,
                              gsl_vector *beta, gsl_matrix *hessian,
                              size_t *iterations, int *converged,
                              tact_error *error)
{
	newton_outcome outcome;
	size_t extreme, first_row;
	double objective;
	gsl_vector *gradient;
	tact_status status;

	status = newton_run(problem, options, beta, hessian, iterations,
	                    &outcome, error);
	if (status != TACT_OK)
		return status;
	*converged = outcome == NEWTON_CONVERGED;
	if (outcome != NEWTON_CONVERGED) {
		problem->extremes(problem->context, beta, &extreme, &first_row);
		if (options->lambda == 0 && extreme > 0)
			return separation_error(extreme, first_row, error);
		if (outcome == NEWTON_SINGULAR)
			return singular_error(error);
	}
	gradient = gsl_vector_alloc(problem->dimension);
	if (!gradient)
		return tact_error_oom(error);
	status = problem->evaluate(problem->context, beta, &objective, gradient,
	                           hessian, error);
	gsl_vector_free(gradient);
	return status;
}

/*
 * A fit in progress, whichever the model: its options, the units of its
 * rows, the standardization, and the engine's point and Hessian.  The
 * steps of both fits: fit_begin, the model's check of its data (filling
 * units and total_units), scaling_for_fit, fit_allocate, starting values
 * in beta, newton_fit, the model's finish; fit_end in every case.
 */
typedef struct fit_state {
	tact_logistic_options defaults;
	const tact_logistic_options *options; /* the caller's or &defaults */
	double *units;        /* per row: its trials (or counts) x weight */
	double total_units;
	scaling scaling;
	gsl_vector *beta;     /* internal coefficients */
	gsl_matrix *hessian;
} fit_state;

/* Options (NULL: the defaults) checked, data given (what names the model
 * in the message), units for rows allocated. */
static tact_status fit_begin(fit_state *f, const tact_logistic_options *options,
                             const void *data, size_t rows, const char *what,
                             tact_error *error)
{
	tact_status status;

	memset(f, 0, sizeof *f);
	if (!options) {
		tact_logistic_options_init(&f->defaults);
		options = &f->defaults;
	}
	f->options = options;
	status = check_options(options, error);
	if (status != TACT_OK)
		return status;
	if (!data)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "%s regression: no data", what);
	f->units = malloc((rows ? rows : 1) * sizeof *f->units);
	return f->units ? TACT_OK : tact_error_oom(error);
}

/* The engine's point (zero) and Hessian for dimension parameters. */
static tact_status fit_allocate(fit_state *f, size_t dimension,
                                tact_error *error)
{
	f->beta = gsl_vector_calloc(dimension);
	f->hessian = gsl_matrix_alloc(dimension, dimension);
	return f->beta && f->hessian ? TACT_OK : tact_error_oom(error);
}

static void fit_end(fit_state *f)
{
	scaling_release(&f->scaling);
	free(f->units);
	gsl_vector_free(f->beta);
	gsl_matrix_free(f->hessian);
}

/* ---------------------------------------------------------------------
 * Binary and grouped binomial model
 */

typedef struct binary_problem {
	const tact_logistic_data *data;
	const scaling *scaling;
	const double *row_units; /* per row: trials x weight */
	gsl_matrix *block;    /* BLOCK_ROWS x q */
	gsl_vector *eta;      /* BLOCK_ROWS */
	gsl_vector *residual; /* BLOCK_ROWS */
	gsl_vector *root;     /* BLOCK_ROWS: sqrt of each row's IRLS weight */
	double log_likelihood;
} binary_problem;

static double row_trials(const tact_logistic_data *d, size_t i)
{
	return d->trials ? d->trials[i] : 1.0;
}

static double row_weight(const double *weights, size_t i)
{
	return weights ? weights[i] : 1.0;
}

static tact_status binary_evaluate(void *context, const gsl_vector *beta,
                                   double *objective, gsl_vector *gradient,
                                   gsl_matrix *hessian, tact_error *error)
{
	binary_problem *b = context;
	const tact_logistic_data *d = b->data;
	size_t q = d->features + 1, first, i, j;
	double log_likelihood = 0, penalty = 0;

	gsl_vector_set_zero(gradient);
	gsl_matrix_set_zero(hessian);
	for (first = 0; first < d->rows; first += BLOCK_ROWS) {
		size_t count = d->rows - first < BLOCK_ROWS ? d->rows - first
		                                            : BLOCK_ROWS;
		gsl_matrix_view x = gsl_matrix_submatrix(b->block, 0, 0, count, q);
		gsl_vector_view eta = gsl_vector_subvector(b->eta, 0, count);
		gsl_vector_view residual =
			gsl_vector_subvector(b->residual, 0, count);

		fill_block(d->x, d->features, first, count, b->scaling, b->block);
		if (tact_numeric_check(gsl_blas_dgemv(CblasNoTrans, 1.0, &x.matrix,
		                                      beta, 0.0, &eta.vector),
		                       "logistic linear predictor", error) != TACT_OK)
			return TACT_SOFTWARE;
		for (i = 0; i < count; i++) {
			size_t row = first + i;
			double w = row_weight(d->weights, row);
			double yes = w * d->successes[row];
			double no = w * (row_trials(d, row) - d->successes[row]);
			double e = gsl_vector_get(&eta.vector, i);
			double p = logistic_function(e), not_p = logistic_function(-e);

			/* log p = -softplus(-e), log(1 - p) = -softplus(e) */
			if (yes > 0)
				log_likelihood -= yes * softplus(-e);
			if (no > 0)
				log_likelihood -= no * softplus(e);
			gsl_vector_set(&residual.vector, i, yes - (yes + no) * p);
			gsl_vector_set(b->root, i, sqrt((yes + no) * p * not_p));
		}
		if (tact_numeric_check(gsl_blas_dgemv(CblasTrans, 1.0, &x.matrix,
		                                      &residual.vector, 1.0, gradient),
		                       "logistic score", error) != TACT_OK)
			return TACT_SOFTWARE;
		/* X' W X as (W^1/2 X)' (W^1/2 X). */
		for (i = 0; i < count; i++) {
			gsl_vector_view xrow = gsl_matrix_row(&x.matrix, i);

			gsl_vector_scale(&xrow.vector, gsl_vector_get(b->root, i));
		}
		if (tact_numeric_check(gsl_blas_dsyrk(CblasLower, CblasTrans, 1.0,
		                                      &x.matrix, 1.0, hessian),
		                       "logistic information matrix", error) != TACT_OK)
			return TACT_SOFTWARE;
	}
	symmetrize_from_lower(hessian);
	/* The objective is the negative log-likelihood plus the penalty. */
	gsl_vector_scale(gradient, -1.0);
	for (j = 1; j < q; j++) {
		double lambda = b->scaling->penalty[j], c = gsl_vector_get(beta, j);

		penalty += 0.5 * lambda * c * c;
		gsl_vector_set(gradient, j, gsl_vector_get(gradient, j) + lambda * c);
		gsl_matrix_set(hessian, j, j, gsl_matrix_get(hessian, j, j) + lambda);
	}
	b->log_likelihood = log_likelihood;
	*objective = -log_likelihood + penalty;
	return TACT_OK;
}

/* Validate the binary data; total units, successes and failures. */
static tact_status binary_check(const tact_logistic_data *d, double *units,
                                double *total_units, double *total_successes,
                                tact_error *error)
{
	size_t i, j;
	double failures = 0;

	*total_units = *total_successes = 0;
	if (d->rows == 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "logistic regression needs at least one row");
	if (d->features > 0 && (!d->x || d->rows > SIZE_MAX / d->features /
	                                          sizeof(double)))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "logistic regression: %zu features given "
		                      "without their values", d->features);
	if (d->features >= SIZE_MAX / (sizeof(double) * (d->features + 1)))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "logistic regression: too many features (%zu)",
		                      d->features);
	if (!d->successes)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "logistic regression: no outcomes given");
	for (i = 0; i < d->rows; i++) {
		double t = row_trials(d, i), s = d->successes[i];
		double w = row_weight(d->weights, i);

		if (!isfinite(t) || t < 0)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "row %zu: trials must be a non-negative "
			                      "number, got %g", i + 1, t);
		if (!isfinite(s) || s < 0 || s > t)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "row %zu: successes must lie between 0 and "
			                      "the trials (%g), got %g", i + 1, t, s);
		if (!isfinite(w) || w < 0)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "row %zu: weight must be a non-negative "
			                      "number, got %g", i + 1, w);
		for (j = 0; j < d->features; j++)
			if (!isfinite(d->x[i * d->features + j]))
				return tact_error_set(error, TACT_DATA, NULL, 0,
				                      0, "row %zu: feature %zu must "
				                      "be a finite number, got %g",
				                      i + 1, j + 1,
				                      d->x[i * d->features + j]);
		units[i] = w * t;
		*total_units += w * t;
		*total_successes += w * s;
		failures += w * (t - s);
	}
	if (!(*total_units > 0) || !isfinite(*total_units))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "logistic regression: no trials with positive "
		                      "weight (total %g)", *total_units);
	if (!(*total_successes > 0) || !(failures > 0))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "the outcome never varies: %s in every trial, so "
		                      "the intercept is infinite",
		                      *total_successes > 0 ? "a success" : "a failure");
	return TACT_OK;
}


/* Invert a symmetric positive definite matrix in place by Cholesky; a matrix
 * that is not positive definite is the data's fault (collinearity). */
static tact_status invert_spd(gsl_matrix *a, const char *what,
                              tact_error *error)
{
	int gsl_status = gsl_linalg_cholesky_decomp1(a);

	if (gsl_status == GSL_EDOM)
		return singular_error(error);
	if (tact_numeric_check(gsl_status, what, error) != TACT_OK)
		return TACT_SOFTWARE;
	return tact_numeric_check(gsl_linalg_cholesky_invert(a), what, error);
}

/* Rows (with units) whose fitted probability is numerically 0 or 1 (the
 * engine's extremes callback). */
static void binary_extremes(void *context, const gsl_vector *beta,
                            size_t *extreme, size_t *first_row)
{
	const binary_problem *b = context;
	const tact_logistic_data *d = b->data;
	const scaling *s = b->scaling;
	size_t i, j;

	*extreme = 0;
	*first_row = 0;
	for (i = 0; i < d->rows; i++) {
		double e = gsl_vector_get(beta, 0), p;

		if (b->row_units[i] <= 0)
			continue;
		for (j = 0; j < d->features; j++)
			e += gsl_vector_get(beta, j + 1) *
			     (d->x[i * d->features + j] - s->center[j]) / s->scale[j];
		p = logistic_function(-fabs(e));
		if (p < SEPARATION_PROBABILITY) {
			if (!*extreme)
				*first_row = i + 1;
			++*extreme;
		}
	}
}

void tact_logistic_options_init(tact_logistic_options *options)
{
	options->max_iterations = 100;
	options->tolerance = 1e-10;
	options->lambda = 0.0;
	options->standardize = 0;
}

void tact_logistic_model_init(tact_logistic_model *model)
{
	memset(model, 0, sizeof *model);
}

void tact_logistic_model_release(tact_logistic_model *model)
{
	if (!model)
		return;
	free(model->coefficients);
	free(model->standard_errors);
	free(model->z);
	free(model->p_values);
	free(model->covariance);
	tact_logistic_model_init(model);
}

void tact_logistic_model_free(tact_logistic_model *model)
{
	if (!model)
		return;
	tact_logistic_model_release(model);
	free(model);
}

/* Fill the model from the internal solution: raw coefficients, covariance,
 * standard errors, z and p-values. */
static tact_status binary_finish(tact_logistic_model *model, const scaling *s,
                                 const gsl_vector *beta,
                                 const gsl_matrix *hessian, tact_error *error)
{
	size_t q = model->parameters, j;
	gsl_matrix *factor = gsl_matrix_alloc(q, q), *t = gsl_matrix_alloc(q, q);
	gsl_vector *raw = gsl_vector_alloc(q);
	gsl_matrix_view covariance =
		gsl_matrix_view_array(model->covariance, q, q);
	tact_status status = TACT_OK;

	if (!factor || !t || !raw) {
		status = tact_error_oom(error);
		goto done;
	}
	fill_unscaling(s, t);
	status = tact_numeric_check(gsl_blas_dgemv(CblasNoTrans, 1.0, t, beta,
	                                           0.0, raw),
	                            "logistic coefficients", error);
	if (status != TACT_OK)
		goto done;
	gsl_matrix_memcpy(factor, hessian);
	status = invert_spd(factor, "logistic information matrix inverse", error);
	if (status == TACT_OK)
		status = sandwich(t, factor, &covariance.matrix, error);
	if (status != TACT_OK)
		goto done;
	for (j = 0; j < q; j++) {
		double c = gsl_vector_get(raw, j);
		double v = gsl_matrix_get(&covariance.matrix, j, j);

		if (!isfinite(c) || !isfinite(v) || !(v > 0)) {
			status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                        "logistic regression produced a "
			                        "non-finite coefficient or variance "
			                        "(coefficient %zu)", j);
			goto done;
		}
		model->coefficients[j] = c;
		model->standard_errors[j] = sqrt(v);
		if (model->lambda > 0) {
			model->z[j] = NAN;
			model->p_values[j] = NAN;
		} else {
			model->z[j] = c / model->standard_errors[j];
			model->p_values[j] = 2.0 * gsl_cdf_ugaussian_Q(fabs(model->z[j]));
		}
	}
done:
	gsl_matrix_free(factor);
	gsl_matrix_free(t);
	gsl_vector_free(raw);
	return status;
}

/* Saturated log-likelihood, for the deviances. */
static double binary_saturated(const tact_logistic_data *d)
{
	size_t i;
	double total = 0;

	for (i = 0; i < d->rows; i++) {
		double t = row_trials(d, i), s = d->successes[i];

		total += row_weight(d->weights, i) *
		         (xlogx_over(s, t) + xlogx_over(t - s, t));
	}
	return total;
}

/* The binary fit's buffers and the model's arrays for q parameters. */
static tact_status binary_allocate(binary_problem *problem,
                                   tact_logistic_model *model, size_t q,
                                   tact_error *error)
{
	problem->block = gsl_matrix_alloc(BLOCK_ROWS, q);
	problem->eta = gsl_vector_alloc(BLOCK_ROWS);
	problem->residual = gsl_vector_alloc(BLOCK_ROWS);
	problem->root = gsl_vector_alloc(BLOCK_ROWS);
	model->coefficients = calloc(q, sizeof(double));
	model->standard_errors = calloc(q, sizeof(double));
	model->z = calloc(q, sizeof(double));
	model->p_values = calloc(q, sizeof(double));
	model->covariance = calloc(q * q, sizeof(double));
	if (!problem->block || !problem->eta || !problem->residual ||
	    !problem->root || !model->coefficients || !model->standard_errors ||
	    !model->z || !model->p_values || !model->covariance)
		return tact_error_oom(error);
	return TACT_OK;
}

static void binary_release(binary_problem *problem)
{
	gsl_matrix_free(problem->block);
	gsl_vector_free(problem->eta);
	gsl_vector_free(problem->residual);
	gsl_vector_free(problem->root);
}

/* The log-likelihood and the deviances of the fitted model. */
static tact_status binary_deviances(tact_logistic_model *model,
                                    const tact_logistic_data *data,
                                    double log_likelihood, double successes,
                                    double units, tact_error *error)
{
	double saturated = binary_saturated(data), rate = successes / units;

	model->log_likelihood = log_likelihood;
	model->deviance = 2.0 * (saturated - log_likelihood);
	model->null_deviance =
		2.0 * (saturated - successes * log(rate) -
		       (units - successes) * log1p(-rate));
	if (!isfinite(model->log_likelihood) || !isfinite(model->deviance))
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "logistic regression produced a non-finite "
		                      "log-likelihood");
	return TACT_OK;
}

tact_status tact_logistic_fit(const tact_logistic_data *data,
                              const tact_logistic_options *options,
                              tact_logistic_model *model, tact_error *error)
{
	fit_state f;
	binary_problem problem;
	newton_problem newton;
	size_t q = 0;
	double total_successes = 0, rate;
	tact_status status;

	tact_logistic_model_release(model);
	memset(&problem, 0, sizeof problem);
	status = fit_begin(&f, options, data, data ? data->rows : 0, "logistic",
	                   error);
	if (status == TACT_OK)
		status = binary_check(data, f.units, &f.total_units,
		                      &total_successes, error);
	if (status == TACT_OK)
		status = scaling_for_fit(&f.scaling, data->x, data->rows,
		                         data->features, f.units, f.total_units,
		                         f.options, error);
	if (status == TACT_OK) {
		q = data->features + 1;
		status = fit_allocate(&f, q, error);
	}
	if (status == TACT_OK)
		status = binary_allocate(&problem, model, q, error);
	if (status != TACT_OK)
		goto done;
	problem.data = data;
	problem.scaling = &f.scaling;
	problem.row_units = f.units;
	model->features = data->features;
	model->parameters = q;
	model->lambda = f.options->lambda;
	model->standardized = f.options->standardize != 0;

	/* Start at the intercept-only fit: with centered features every row's
	 * fitted probability is then the overall rate. */
	rate = total_successes / f.total_units;
	gsl_vector_set(f.beta, 0, log(rate) - log1p(-rate));
	newton.dimension = q;
	newton.evaluate = binary_evaluate;
	newton.fix_null_space = NULL;
	newton.extremes = binary_extremes;
	newton.context = &problem;
	status = newton_fit(&newton, f.options, f.beta, f.hessian,
	                    &model->iterations, &model->converged, error);
	if (status == TACT_OK)
		status = binary_finish(model, &f.scaling, f.beta, f.hessian, error);
	if (status == TACT_OK)
		status = binary_deviances(model, data, problem.log_likelihood,
		                          total_successes, f.total_units, error);
done:
	if (status != TACT_OK)
		tact_logistic_model_release(model);
	binary_release(&problem);
	fit_end(&f);
	return status;
}

static double linear_predictor(const double *coefficients, size_t features,
                               const double *x)
{
	double e = coefficients[0];
	size_t j;

	for (j = 0; j < features; j++)
		e += coefficients[j + 1] * x[j];
	return e;
}

double tact_logistic_predict(const tact_logistic_model *model, const double *x)
{
	return logistic_function(
		linear_predictor(model->coefficients, model->features, x));
}

tact_status tact_logistic_predict_interval(const tact_logistic_model *model,
                                           const double *x, double level,
                                           double *probability, double *low,
                                           double *high, tact_error *error)
{
	size_t q = model->parameters, i, j;
	double e, variance = 0, z;

	if (!(level > 0 && level < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the confidence level must lie strictly between "
		                      "0 and 1, got %g", level);
	if (!model->coefficients || !model->covariance)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "logistic prediction from a model that was not "
		                      "fitted");
	for (j = 0; j < model->features; j++)
		if (!isfinite(x[j]))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "feature %zu must be a finite number, got %g",
			                      j + 1, x[j]);
	e = linear_predictor(model->coefficients, model->features, x);
	/* (1, x)' covariance (1, x) */
	for (i = 0; i < q; i++)
		for (j = 0; j < q; j++)
			variance += (i ? x[i - 1] : 1.0) *
			            model->covariance[i * q + j] *
			            (j ? x[j - 1] : 1.0);
	if (!isfinite(e) || !isfinite(variance))
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "logistic prediction is not finite");
	if (variance < 0)  /* rounding of a quadratic form that is >= 0 */
		variance = 0;
	z = tact_numeric_z(level);
	if (probability)
		*probability = logistic_function(e);
	if (low)
		*low = logistic_function(e - z * sqrt(variance));
	if (high)
		*high = logistic_function(e + z * sqrt(variance));
	return TACT_OK;
}

/* ---------------------------------------------------------------------
 * Multinomial model
 *
 * Internally every class k has a coefficient vector theta_k (q entries); the
 * parameter vector is theta_0 .. theta_{K-1}, index k * q + j.  Adding the
 * same vector to every theta_k leaves the probabilities unchanged, so the
 * likelihood is flat along the directions u_j (1/sqrt(K) at (k, j) for all
 * k).  A penalty on every class's slopes removes that flatness for the slopes
 * but not for the intercepts; without a penalty it is flat along every u_j.
 * Newton's Hessian is then singular along those directions, while the
 * gradient is always orthogonal to them.  Adding mu * u_j u_j' to the
 * Hessian before solving makes it positive definite without changing the
 * step's component orthogonal to u_j, and the step has no component along
 * u_j: starting from a point whose coefficients sum to zero over classes,
 * every iterate keeps summing to zero.  The unpenalized answer is then
 * reported against class 0, the penalized one as it is.
 */

typedef struct multinomial_problem {
	const tact_logistic_multinomial_data *data;
	const scaling *scaling;
	const double *row_units; /* per row: its counts x weight */
	size_t classes, q;
	int all_null;          /* unpenalized: flat along every u_j */
	double mu;             /* curvature added along the flat directions */
	gsl_matrix *block;     /* BLOCK_ROWS x q, standardized rows */
	gsl_matrix *scaled;    /* BLOCK_ROWS x q, rows times a weight */
	gsl_matrix *eta;       /* BLOCK_ROWS x K: linear predictors, then p */
	gsl_matrix *residual;  /* BLOCK_ROWS x K */
	double *units;         /* BLOCK_ROWS: weighted count of each row */
	double log_likelihood;
} multinomial_problem;

static double class_count(const tact_logistic_multinomial_data *d, size_t i,
                          size_t k)
{
	if (d->labels)
		return d->labels[i] == k ? 1.0 : 0.0;
	return d->counts[i * d->classes + k];
}

static tact_status multinomial_evaluate(void *context, const gsl_vector *beta,
                                        double *objective,
                                        gsl_vector *gradient,
                                        gsl_matrix *hessian, tact_error *error)
{
	multinomial_problem *m = context;
	const tact_logistic_multinomial_data *d = m->data;
	size_t K = m->classes, q = m->q, first, i, j, k, l;
	gsl_matrix_const_view theta = gsl_matrix_const_view_vector(beta, K, q);
	gsl_matrix_view g = gsl_matrix_view_vector(gradient, K, q);
	double log_likelihood = 0, penalty = 0;

	gsl_vector_set_zero(gradient);
	gsl_matrix_set_zero(hessian);
	for (first = 0; first < d->rows; first += BLOCK_ROWS) {
		size_t count = d->rows - first < BLOCK_ROWS ? d->rows - first
		                                            : BLOCK_ROWS;
		gsl_matrix_view x = gsl_matrix_submatrix(m->block, 0, 0, count, q);
		gsl_matrix_view sx = gsl_matrix_submatrix(m->scaled, 0, 0, count, q);
		gsl_matrix_view eta = gsl_matrix_submatrix(m->eta, 0, 0, count, K);
		gsl_matrix_view r = gsl_matrix_submatrix(m->residual, 0, 0, count, K);

		fill_block(d->x, d->features, first, count, m->scaling, m->block);
		if (tact_numeric_check(gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0,
		                                      &x.matrix, &theta.matrix, 0.0,
		                                      &eta.matrix),
		                       "multinomial linear predictors", error) != TACT_OK)
			return TACT_SOFTWARE;
		for (i = 0; i < count; i++) {
			size_t row = first + i;
			double w = row_weight(d->weights, row), top, sum = 0, lse;
			double units = 0;

			top = gsl_matrix_get(&eta.matrix, i, 0);
			for (k = 1; k < K; k++)
				if (gsl_matrix_get(&eta.matrix, i, k) > top)
					top = gsl_matrix_get(&eta.matrix, i, k);
			for (k = 0; k < K; k++)
				sum += exp(gsl_matrix_get(&eta.matrix, i, k) - top);
			lse = top + log(sum);
			for (k = 0; k < K; k++)
				units += w * class_count(d, row, k);
			m->units[i] = units;
			for (k = 0; k < K; k++) {
				double c = w * class_count(d, row, k);
				double e = gsl_matrix_get(&eta.matrix, i, k);
				double p = exp(e - lse);

				if (c > 0)
					log_likelihood += c * (e - lse);
				gsl_matrix_set(&r.matrix, i, k, c - units * p);
				gsl_matrix_set(&eta.matrix, i, k, p);
			}
		}
		if (tact_numeric_check(gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0,
		                                      &r.matrix, &x.matrix, 1.0,
		                                      &g.matrix),
		                       "multinomial score", error) != TACT_OK)
			return TACT_SOFTWARE;
		/* Block (k, l) of the information: sum over rows of
		 * units * p_k * (delta_kl - p_l) * x x'. */
		for (k = 0; k < K; k++) {
			for (l = k; l < K; l++) {
				gsl_matrix_view h = gsl_matrix_submatrix(hessian, k * q,
				                                         l * q, q, q);

				for (i = 0; i < count; i++) {
					double pk = gsl_matrix_get(&eta.matrix, i, k);
					double pl = gsl_matrix_get(&eta.matrix, i, l);
					double a = m->units[i] * pk *
					           ((k == l ? 1.0 : 0.0) - pl);

					for (j = 0; j < q; j++)
						gsl_matrix_set(&sx.matrix, i, j,
						               a * gsl_matrix_get(&x.matrix, i, j));
				}
				if (tact_numeric_check(
					    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0,
					                   &x.matrix, &sx.matrix, 1.0,
					                   &h.matrix),
					    "multinomial information matrix",
					    error) != TACT_OK)
					return TACT_SOFTWARE;
			}
		}
	}
	/* Mirror the blocks above the diagonal to below it. */
	for (k = 0; k < K; k++)
		for (l = k + 1; l < K; l++)
			for (i = 0; i < q; i++)
				for (j = 0; j < q; j++)
					gsl_matrix_set(hessian, l * q + j, k * q + i,
					               gsl_matrix_get(hessian, k * q + i,
					                              l * q + j));
	gsl_vector_scale(gradient, -1.0);
	for (k = 0; k < K; k++) {
		for (j = 1; j < q; j++) {
			size_t at = k * q + j;
			double lambda = m->scaling->penalty[j];
			double c = gsl_vector_get(beta, at);

			penalty += 0.5 * lambda * c * c;
			gsl_vector_set(gradient, at,
			               gsl_vector_get(gradient, at) + lambda * c);
			gsl_matrix_set(hessian, at, at,
			               gsl_matrix_get(hessian, at, at) + lambda);
		}
	}
	m->log_likelihood = log_likelihood;
	*objective = -log_likelihood + penalty;
	return TACT_OK;
}

static void multinomial_fix_null_space(void *context, gsl_matrix *hessian)
{
	multinomial_problem *m = context;
	size_t K = m->classes, q = m->q, n = K * q, i, j, k, l;
	double trace = 0;

	for (i = 0; i < n; i++)
		trace += gsl_matrix_get(hessian, i, i);
	/* Any positive mu gives the same step; one of the order of the
	 * Hessian's own curvature keeps the matrix well conditioned. */
	m->mu = trace > 0 && isfinite(trace) ? trace / (double)n : 1.0;
	for (j = 0; j < (m->all_null ? q : 1); j++)
		for (k = 0; k < K; k++)
			for (l = 0; l < K; l++)
				gsl_matrix_set(hessian, k * q + j, l * q + j,
				               gsl_matrix_get(hessian, k * q + j,
				                              l * q + j) +
				               m->mu / (double)K);
}

static tact_status multinomial_check(const tact_logistic_multinomial_data *d,
                                     double *units, double *class_totals,
                                     double *total_units, tact_error *error)
{
	size_t i, j, k, K = d->classes;

	*total_units = 0;
	if (d->rows == 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "multinomial regression needs at least one row");
	if (K < 2)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "multinomial regression needs at least 2 "
		                      "classes, got %zu", K);
	if (d->features > 0 && (!d->x || d->rows > SIZE_MAX / d->features /
	                                          sizeof(double)))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "multinomial regression: %zu features given "
		                      "without their values", d->features);
	if (K > SIZE_MAX / sizeof(double) / (d->features + 1) ||
	    K * (d->features + 1) > SIZE_MAX / sizeof(double) /
	                            (K * (d->features + 1)))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "multinomial regression: too many parameters "
		                      "(%zu classes, %zu features)", K, d->features);
	if (!d->labels && (!d->counts || d->rows > SIZE_MAX / K / sizeof(double)))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "multinomial regression: no outcomes given");
	for (k = 0; k < K; k++)
		class_totals[k] = 0;
	for (i = 0; i < d->rows; i++) {
		double w = row_weight(d->weights, i), n = 0;

		if (!isfinite(w) || w < 0)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "row %zu: weight must be a non-negative "
			                      "number, got %g", i + 1, w);
		if (d->labels && d->labels[i] >= K)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "row %zu: class must be below %zu, got %zu",
			                      i + 1, K, d->labels[i]);
		for (k = 0; k < K; k++) {
			double c = class_count(d, i, k);

			if (!isfinite(c) || c < 0)
				return tact_error_set(error, TACT_DATA, NULL, 0, 0,
				                      "row %zu: the count of class %zu "
				                      "must be a non-negative number, "
				                      "got %g", i + 1, k, c);
			n += c;
			class_totals[k] += w * c;
		}
		for (j = 0; j < d->features; j++)
			if (!isfinite(d->x[i * d->features + j]))
				return tact_error_set(error, TACT_DATA, NULL, 0,
				                      0, "row %zu: feature %zu must "
				                      "be a finite number, got %g",
				                      i + 1, j + 1,
				                      d->x[i * d->features + j]);
		units[i] = w * n;
		*total_units += w * n;
	}
	if (!(*total_units > 0) || !isfinite(*total_units))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "multinomial regression: no observations with "
		                      "positive weight");
	for (k = 0; k < K; k++)
		if (!(class_totals[k] > 0))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "class %zu never occurs, so its intercept "
			                      "is infinite", k);
	return TACT_OK;
}

/* Rows (with units) where some class probability is numerically 0 or 1
 * (the engine's extremes callback). */
static void multinomial_extremes(void *context, const gsl_vector *beta,
                                 size_t *extreme, size_t *first_row)
{
	const multinomial_problem *m = context;
	const tact_logistic_multinomial_data *d = m->data;
	const scaling *s = m->scaling;
	size_t i, j, k, K = d->classes, q = m->q;

	*extreme = 0;
	*first_row = 0;
	for (i = 0; i < d->rows; i++) {
		double top = -INFINITY, bottom = INFINITY;

		if (m->row_units[i] <= 0)
			continue;
		for (k = 0; k < K; k++) {
			double e = gsl_vector_get(beta, k * q);

			for (j = 0; j < d->features; j++)
				e += gsl_vector_get(beta, k * q + j + 1) *
				     (d->x[i * d->features + j] - s->center[j]) /
				     s->scale[j];
			if (e > top)
				top = e;
			if (e < bottom)
				bottom = e;
		}
		/* p_min <= exp(bottom - top): small when the spread is wide. */
		if (bottom - top < log(SEPARATION_PROBABILITY)) {
			if (!*extreme)
				*first_row = i + 1;
			++*extreme;
		}
	}
}

void tact_logistic_multinomial_init(tact_logistic_multinomial_model *model)
{
	memset(model, 0, sizeof *model);
}

void tact_logistic_multinomial_release(tact_logistic_multinomial_model *model)
{
	if (!model)
		return;
	free(model->coefficients);
	free(model->standard_errors);
	tact_logistic_multinomial_init(model);
}

void tact_logistic_multinomial_free(tact_logistic_multinomial_model *model)
{
	if (!model)
		return;
	tact_logistic_multinomial_release(model);
	free(model);
}

/* Block-diagonal matrix with `blocks` copies of t. */
static gsl_matrix *block_diagonal(const gsl_matrix *t, size_t blocks)
{
	size_t q = t->size1, b;
	gsl_matrix *big = gsl_matrix_calloc(blocks * q, blocks * q);

	if (!big)
		return NULL;
	for (b = 0; b < blocks; b++) {
		gsl_matrix_view v = gsl_matrix_submatrix(big, b * q, b * q, q, q);

		gsl_matrix_memcpy(&v.matrix, t);
	}
	return big;
}

/*
 * Raw coefficients and standard errors from the internal solution.
 * Penalized: the covariance is the pseudo-inverse of the penalized
 * information, computed as inverse(H + mu u0 u0') - u0 u0' / mu, mapped to
 * the raw scale by T and projected on "intercepts sum to zero" (the mapping
 * does not preserve that subspace; the projection makes the result the
 * pseudo-inverse of the raw-scale information).  Unpenalized: the inverse of
 * the information of classes 1..K-1 (class 0 fixed at zero), mapped by T.
 */
static tact_status multinomial_finish(tact_logistic_multinomial_model *model,
                                      multinomial_problem *m, const scaling *s,
                                      const gsl_vector *beta,
                                      const gsl_matrix *hessian,
                                      tact_error *error)
{
	size_t K = m->classes, q = m->q, free_classes, n, i, j, k, first;
	gsl_matrix *t = gsl_matrix_alloc(q, q), *big = NULL, *c = NULL,
	           *cov = NULL;
	tact_status status = TACT_OK;

	if (!t)
		return tact_error_oom(error);
	fill_unscaling(s, t);
	/* Raw coefficients: T theta_k for every class. */
	for (k = 0; k < K; k++) {
		for (i = 0; i < q; i++) {
			double v = 0;

			for (j = 0; j < q; j++)
				v += gsl_matrix_get(t, i, j) *
				     gsl_vector_get(beta, k * q + j);
			model->coefficients[k * q + i] = v;
		}
	}
	if (!model->symmetric) {
		for (k = K; k-- > 0;)
			for (i = 0; i < q; i++)
				model->coefficients[k * q + i] -= model->coefficients[i];
	}
	free_classes = model->symmetric ? K : K - 1;
	first = model->symmetric ? 0 : 1;
	n = free_classes * q;
	big = block_diagonal(t, free_classes);
	c = gsl_matrix_alloc(n, n);
	cov = gsl_matrix_alloc(n, n);
	if (!big || !c || !cov) {
		status = tact_error_oom(error);
		goto done;
	}
	{
		gsl_matrix_const_view h =
			gsl_matrix_const_submatrix(hessian, first * q, first * q, n, n);

		gsl_matrix_memcpy(c, &h.matrix);
	}
	if (model->symmetric)  /* flat along u0 only (intercepts) */
		multinomial_fix_null_space(m, c);
	status = invert_spd(c, "multinomial information matrix inverse", error);
	if (status != TACT_OK)
		goto done;
	if (model->symmetric)
		for (k = 0; k < K; k++)
			for (i = 0; i < K; i++)
				gsl_matrix_set(c, k * q, i * q,
				               gsl_matrix_get(c, k * q, i * q) -
				               1.0 / (m->mu * (double)K));
	status = sandwich(big, c, cov, error);
	if (status != TACT_OK)
		goto done;
	if (model->symmetric) {
		/* cov = P cov P with P = I - u0 u0': subtract the mean over
		 * classes of the intercept rows, then of the intercept
		 * columns. */
		for (j = 0; j < n; j++) {
			double mean = 0;

			for (k = 0; k < K; k++)
				mean += gsl_matrix_get(cov, k * q, j) / (double)K;
			for (k = 0; k < K; k++)
				gsl_matrix_set(cov, k * q, j,
				               gsl_matrix_get(cov, k * q, j) - mean);
		}
		for (i = 0; i < n; i++) {
			double mean = 0;

			for (k = 0; k < K; k++)
				mean += gsl_matrix_get(cov, i, k * q) / (double)K;
			for (k = 0; k < K; k++)
				gsl_matrix_set(cov, i, k * q,
				               gsl_matrix_get(cov, i, k * q) - mean);
		}
	}
	for (i = 0; i < q; i++)
		model->standard_errors[i] = 0.0;  /* class 0 when it is reference */
	for (i = 0; i < n; i++) {
		double v = gsl_matrix_get(cov, i, i);
		double coefficient = model->coefficients[first * q + i];

		if (!isfinite(v) || !(v > 0) || !isfinite(coefficient)) {
			status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                        "multinomial regression produced a "
			                        "non-finite coefficient or variance");
			goto done;
		}
		model->standard_errors[first * q + i] = sqrt(v);
	}
done:
	gsl_matrix_free(t);
	gsl_matrix_free(big);
	gsl_matrix_free(c);
	gsl_matrix_free(cov);
	return status;
}

static double multinomial_saturated(const tact_logistic_multinomial_data *d)
{
	size_t i, k;
	double total = 0;

	for (i = 0; i < d->rows; i++) {
		double n = 0, w = row_weight(d->weights, i);

		for (k = 0; k < d->classes; k++)
			n += class_count(d, i, k);
		for (k = 0; k < d->classes; k++)
			total += w * xlogx_over(class_count(d, i, k), n);
	}
	return total;
}

/* The multinomial fit's buffers and the model's arrays for K classes of q
 * parameters (problem's classes and q set). */
static tact_status multinomial_allocate(multinomial_problem *problem,
                                        tact_logistic_multinomial_model *model,
                                        tact_error *error)
{
	size_t K = problem->classes, q = problem->q;

	problem->block = gsl_matrix_alloc(BLOCK_ROWS, q);
	problem->scaled = gsl_matrix_alloc(BLOCK_ROWS, q);
	problem->eta = gsl_matrix_alloc(BLOCK_ROWS, K);
	problem->residual = gsl_matrix_alloc(BLOCK_ROWS, K);
	problem->units = malloc(BLOCK_ROWS * sizeof *problem->units);
	model->coefficients = calloc(K * q, sizeof(double));
	model->standard_errors = calloc(K * q, sizeof(double));
	if (!problem->block || !problem->scaled || !problem->eta ||
	    !problem->residual || !problem->units || !model->coefficients ||
	    !model->standard_errors)
		return tact_error_oom(error);
	return TACT_OK;
}

/* The log-likelihood and the deviance of the fitted model. */
static tact_status multinomial_deviance(tact_logistic_multinomial_model *model,
                                        const tact_logistic_multinomial_data *data,
                                        double log_likelihood,
                                        tact_error *error)
{
	model->log_likelihood = log_likelihood;
	model->deviance = 2.0 * (multinomial_saturated(data) - log_likelihood);
	if (!isfinite(model->log_likelihood) || !isfinite(model->deviance))
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "multinomial regression produced a "
		                      "non-finite log-likelihood");
	return TACT_OK;
}

static void multinomial_problem_release(multinomial_problem *problem)
{
	gsl_matrix_free(problem->block);
	gsl_matrix_free(problem->scaled);
	gsl_matrix_free(problem->eta);
	gsl_matrix_free(problem->residual);
	free(problem->units);
}

tact_status tact_logistic_multinomial_fit(
	const tact_logistic_multinomial_data *data,
	const tact_logistic_options *options,
	tact_logistic_multinomial_model *model, tact_error *error)
{
	fit_state f;
	multinomial_problem problem;
	newton_problem newton;
	size_t K = data ? data->classes : 0, q = 0, k;
	double *class_totals = NULL, mean_log = 0;
	tact_status status;

	tact_logistic_multinomial_release(model);
	memset(&problem, 0, sizeof problem);
	status = fit_begin(&f, options, data, data ? data->rows : 0,
	                   "multinomial", error);
	if (status == TACT_OK) {
		class_totals = malloc((K ? K : 1) * sizeof *class_totals);
		if (!class_totals)
			status = tact_error_oom(error);
	}
	if (status == TACT_OK)
		status = multinomial_check(data, f.units, class_totals,
		                           &f.total_units, error);
	if (status == TACT_OK)
		status = scaling_for_fit(&f.scaling, data->x, data->rows,
		                         data->features, f.units, f.total_units,
		                         f.options, error);
	if (status == TACT_OK) {
		q = data->features + 1;
		status = fit_allocate(&f, K * q, error);
	}
	problem.classes = K;
	problem.q = q;
	if (status == TACT_OK)
		status = multinomial_allocate(&problem, model, error);
	if (status != TACT_OK)
		goto done;
	problem.data = data;
	problem.scaling = &f.scaling;
	problem.row_units = f.units;
	problem.all_null = f.options->lambda == 0;
	model->features = data->features;
	model->classes = K;
	model->parameters = q;
	model->symmetric = f.options->lambda > 0;
	model->lambda = f.options->lambda;
	model->standardized = f.options->standardize != 0;

	/* Start at the intercept-only fit, intercepts summing to zero. */
	for (k = 0; k < K; k++)
		mean_log += log(class_totals[k]) / (double)K;
	for (k = 0; k < K; k++)
		gsl_vector_set(f.beta, k * q, log(class_totals[k]) - mean_log);
	newton.dimension = K * q;
	newton.evaluate = multinomial_evaluate;
	newton.fix_null_space = multinomial_fix_null_space;
	newton.extremes = multinomial_extremes;
	newton.context = &problem;
	status = newton_fit(&newton, f.options, f.beta, f.hessian,
	                    &model->iterations, &model->converged, error);
	if (status == TACT_OK)
		status = multinomial_finish(model, &problem, &f.scaling, f.beta,
		                            f.hessian, error);
	if (status == TACT_OK)
		status = multinomial_deviance(model, data, problem.log_likelihood,
		                              error);
done:
	if (status != TACT_OK)
		tact_logistic_multinomial_release(model);
	multinomial_problem_release(&problem);
	fit_end(&f);
	free(class_totals);
	return status;
}

void tact_logistic_softmax(double *values, size_t count)
{
	double top = -INFINITY, sum = 0;
	size_t k;

	for (k = 0; k < count; k++)
		if (values[k] > top)
			top = values[k];
	for (k = 0; k < count; k++) {
		values[k] = exp(values[k] - top);
		sum += values[k];
	}
	for (k = 0; k < count; k++)
		values[k] /= sum;
}

void tact_logistic_multinomial_predict(
	const tact_logistic_multinomial_model *model, const double *x,
	double *probabilities)
{
	size_t K = model->classes, q = model->parameters, k;

	for (k = 0; k < K; k++)
		probabilities[k] = linear_predictor(model->coefficients + k * q,
		                                    model->features, x);
	tact_logistic_softmax(probabilities, K);
}
