/*
 * dose_cap.c - the net value curve sum_k w_k f_k(e) of the weighted
 * models, the joint (sandwich) covariance of their coefficients, the cap
 * that maximizes the net value and its parametric bootstrap (see dose.h for
 * the method and why).
 */
#include "dose_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "leastsquares.h"
#include "numeric.h"

long tact_dose_argmax(const double *curve, size_t length)
{
	long best = -1;
	size_t e;

	for (e = 0; e < length; e++)
		if (!isnan(curve[e]) && (best < 0 || curve[e] > curve[best]))
			best = (long)e;
	return best;
}

typedef struct joint {
	size_t models;              /* weighted metrics */
	tact_dose_fit **fits;       /* per model */
	const double **breads;      /* per model: A^-1 */
	size_t *offset;             /* per model: first parameter */
	size_t parameters;          /* total */
	double *covariance;         /* parameters^2 */
	double *factor;             /* lower Cholesky factor */
	double *gradient, *gradient_zero, *x;
} joint;

static void release_joint(joint *j)
{
	free(j->fits);
	free((void *)j->breads);
	free(j->offset);
	free(j->covariance);
	free(j->factor);
	free(j->gradient);
	free(j->gradient_zero);
	free(j->x);
}

/* The summed cross-products of the residuals of models a and b over the
 * units of one cell: c + n (mean_a - fit_a)(mean_b - fit_b), from the
 * pair's co-moments (units where both are present). */
static double cross_residuals(const tact_dose_result *result,
                              const tact_dose_cell *cell,
                              const tact_dose_fit *a, double fit_a,
                              const tact_dose_fit *b, double fit_b)
{
	const tact_summary *summary = result->summary;
	const tact_comoments *pair =
		&cell->pairs[tact_summary_pair(summary, a->metric, b->metric)];
	double mean_a, mean_b;

	if (pair->n == 0)
		return 0;
	mean_a = (a->metric < b->metric ? pair->sum_a : pair->sum_b) /
	         (double)pair->n;
	mean_b = (a->metric < b->metric ? pair->sum_b : pair->sum_a) /
	         (double)pair->n;
	return pair->c + (double)pair->n * (mean_a - fit_a) * (mean_b - fit_b);
}

/* The meat B_ab of models a and b (b the same model as a when same): the
 * sum over the cells of x_a x_b' times the residual cross-products. */
static void pair_meat(const tact_dose_result *result,
                      const tact_dose_segment *seg, const tact_dose_fit *a,
                      const tact_dose_fit *b, int same, double *xa,
                      double *xb, double *meat)
{
	const size_t pa = a->parameters, pb = b->parameters;
	size_t c, i, k;

	memset(meat, 0, pa * pb * sizeof *meat);
	for (c = 0; c < seg->cell_count; c++) {
		const tact_dose_cell *cell = &seg->cells[c];
		double fa, fb, s;
		if (cell->metrics[a->metric].n == 0 ||
		    cell->metrics[b->metric].n == 0 ||
		    tact_dose_design(result, a, cell->exposures, xa) != 0 ||
		    tact_dose_design(result, b, cell->exposures, xb) != 0)
			continue;
		fa = tact_dose_mean_of(a, tact_dose_linear_predictor(
			a, a->coefficients, xa));
		fb = tact_dose_mean_of(b, tact_dose_linear_predictor(
			b, b->coefficients, xb));
		if (same) {
			/* A model with itself: its squared residuals. */
			const tact_moments *mm = &cell->metrics[a->metric];
			double gap = mm->sum / (double)mm->n - fa;
			s = mm->m2 + (double)mm->n * gap * gap;
		} else
			s = cross_residuals(result, cell, a, fa, b, fb);
		for (i = 0; i < pa; i++)
			for (k = 0; k < pb; k++)
				meat[i * pb + k] += s * xa[i] * xb[k];
	}
}

/*
 * The joint covariance of the stacked coefficients of the weighted models:
 * the sandwich A_a^-1 B_ab A_b^-1 for every pair of models, a model with
 * itself included, where A^-1 is the model's bread (inverse information,
 * or (X'X)^-1) and B_ab sums x_a x_b' times the residual cross-products of
 * each exposure count.  Using the sandwich on the diagonal too keeps the
 * whole positive semi-definite (a mix of model-based diagonal blocks and
 * sandwich cross blocks need not be: conversion and revenue are nearly
 * collinear).
 */
static tact_status joint_covariance(const tact_dose_result *result,
                                    const tact_dose_segment *seg, joint *j,
                                    tact_error *error)
{
	const size_t P = j->parameters;
	size_t m, l, i, k;
	double *xa = malloc((P + 1) * sizeof *xa), *xb = malloc((P + 1) * sizeof *xb);
	double *meat = malloc((P * P + 1) * sizeof *meat);
	double *block = malloc((P * P + 1) * sizeof *block);

	if (!xa || !xb || !meat || !block) {
		free(xa);
		free(xb);
		free(meat);
		free(block);
		return tact_error_oom(error);
	}
	for (m = 0; m < j->models; m++) {
		const tact_dose_fit *a = j->fits[m];
		for (l = m; l < j->models; l++) {
			const tact_dose_fit *b = j->fits[l];
			const size_t pa = a->parameters, pb = b->parameters;
			pair_meat(result, seg, a, b, l == m, xa, xb, meat);
			/* A_a^-1 meat A_b^-1, and its transpose below the diagonal */
			tact_leastsquares_sandwich(j->breads[m], pa, meat, j->breads[l],
			                           pb, block);
			for (i = 0; i < pa; i++)
				for (k = 0; k < pb; k++) {
					double v = block[i * pb + k];
					j->covariance[(j->offset[m] + i) * P + j->offset[l] + k] = v;
					j->covariance[(j->offset[l] + k) * P + j->offset[m] + i] = v;
				}
		}
	}
	free(xa);
	free(xb);
	free(meat);
	free(block);
	return TACT_OK;
}

/* The lower Cholesky factor of the joint covariance, or of its diagonal
 * blocks alone when the whole is not positive definite.  *joint_ok says
 * which. */
static tact_status factorize(joint *j, int *joint_ok, tact_error *error)
{
	const size_t P = j->parameters;
	gsl_matrix_view view = gsl_matrix_view_array(j->factor, P, P);
	size_t m, i, k;
	int status;

	memcpy(j->factor, j->covariance, P * P * sizeof *j->factor);
	status = gsl_linalg_cholesky_decomp1(&view.matrix);
	*joint_ok = status == GSL_SUCCESS;
	if (status == GSL_EDOM) {
		memset(j->factor, 0, P * P * sizeof *j->factor);
		for (m = 0; m < j->models; m++) {
			const size_t o = j->offset[m], p = j->fits[m]->parameters;
			gsl_matrix_view block;
			for (i = 0; i < p; i++)
				for (k = 0; k < p; k++)
					j->factor[(o + i) * P + o + k] =
						j->covariance[(o + i) * P + o + k];
			block = gsl_matrix_submatrix(&view.matrix, o, o, p, p);
			status = gsl_linalg_cholesky_decomp1(&block.matrix);
			if (status == GSL_EDOM)
				return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
				                      "a model's covariance is not positive "
				                      "definite");
			if (status != GSL_SUCCESS)
				break;
		}
	}
	if (tact_numeric_check(status, "Cholesky factor of the joint covariance",
	                       error))
		return TACT_SOFTWARE;
	/* decomp1 leaves L and L' in both triangles: keep L. */
	for (i = 0; i < P; i++)
		for (k = i + 1; k < P; k++)
			j->factor[i * P + k] = 0;
	return TACT_OK;
}

/* net(e) at coefficients beta (all models, stacked); with gradient, its
 * gradient with respect to beta.  NaN when a model has no row at e. */
static double net_at(const tact_dose_result *result, const joint *j,
                     const double *beta, int64_t e, double *gradient)
{
	double net = 0;
	size_t m, i;

	if (gradient)
		memset(gradient, 0, j->parameters * sizeof *gradient);
	for (m = 0; m < j->models; m++) {
		const tact_dose_fit *fit = j->fits[m];
		const double *b = beta + j->offset[m];
		double eta;
		if (tact_dose_design(result, fit, e, j->x) != 0)
			return NAN;
		eta = tact_dose_linear_predictor(fit, b, j->x);
		net += result->weights[m] * tact_dose_mean_of(fit, eta);
		if (gradient)
			for (i = 0; i < fit->parameters; i++)
				gradient[j->offset[m] + i] =
					result->weights[m] * tact_dose_slope_of(fit, eta) * j->x[i];
	}
	return net;
}

static int compare_longs(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static tact_status bootstrap(const tact_dose_result *result, const joint *j,
                             const double *beta, size_t draws,
                             unsigned long seed, tact_dose_cap *cap,
                             tact_error *error)
{
	const size_t P = j->parameters, grid = (size_t)result->max_exposures + 1;
	const double alpha = (1 - result->confidence) / 2;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *normal = malloc(P * sizeof *normal), *draw = malloc(P * sizeof *draw);
	double *curve = malloc(grid * sizeof *curve);
	long *caps = malloc(draws * sizeof *caps);
	size_t d, i, k, zeros = 0, e;

	if (!rng || !normal || !draw || !curve || !caps) {
		if (rng)
			gsl_rng_free(rng);
		free(normal);
		free(draw);
		free(curve);
		free(caps);
		return tact_error_oom(error);
	}
	gsl_rng_set(rng, seed);
	for (d = 0; d < draws; d++) {
		for (i = 0; i < P; i++)
			normal[i] = gsl_ran_gaussian(rng, 1.0);
		for (i = 0; i < P; i++) {
			draw[i] = beta[i];
			for (k = 0; k <= i; k++)
				draw[i] += j->factor[i * P + k] * normal[k];
		}
		for (e = 0; e < grid; e++)
			curve[e] = net_at(result, j, draw, (int64_t)e, NULL);
		caps[d] = tact_dose_argmax(curve, grid);
		zeros += caps[d] == 0;
	}
	qsort(caps, draws, sizeof *caps, compare_longs);
	{
		/* Inverted CDF: the smallest draw whose rank reaches q * draws. */
		size_t lo = (size_t)ceil(alpha * (double)draws - 1e-9);
		size_t hi = (size_t)ceil((1 - alpha) * (double)draws - 1e-9);
		cap->cap_low = caps[lo > 0 ? lo - 1 : 0];
		cap->cap_high = caps[hi > 0 ? hi - 1 : 0];
	}
	cap->p_cap_zero = (double)zeros / (double)draws;
	cap->draws = draws;
	gsl_rng_free(rng);
	free(normal);
	free(draw);
	free(curve);
	free(caps);
	return TACT_OK;
}

/* The cap's fields before any figure: no cap, NaN curves, the status of a
 * suppressed segment.  Returns 1 when the segment is suppressed. */
static int start_cap(const tact_dose_result *result, size_t s,
                     tact_dose_cap *cap)
{
	const size_t grid = (size_t)result->max_exposures + 1;
	size_t e;

	cap->segment = s;
	cap->status = TACT_DOSE_CAP_OK;
	cap->cap = cap->cap_low = cap->cap_high = -1;
	cap->p_cap_zero = cap->net_at_cap = cap->net_at_zero = NAN;
	cap->gain = cap->gain_low = cap->gain_high = NAN;
	for (e = 0; e < grid; e++)
		cap->curve[e] = cap->curve_low[e] = cap->curve_high[e] = NAN;
	if (!result->segments[s].suppressed)
		return 0;
	cap->status = TACT_DOSE_CAP_SUPPRESSED;
	snprintf(cap->note, sizeof cap->note,
	         result->segments[s].units < result->min_cell
	         ? "fewer than min-cell units"
	         : "hidden so that smaller segments cannot be recovered");
	return 1;
}

/* The weighted models of segment s into j, and their stacked coefficients
 * into *beta; a model that was not fitted fails the cap (cap->status). */
static tact_status join_fits(const tact_dose_result *result, size_t s,
                             double *const *breads, joint *j, double **beta,
                             tact_dose_cap *cap, tact_error *error)
{
	const tact_summary *summary = result->summary;
	size_t m, i, k;

	j->models = result->weight_count;
	j->fits = calloc(j->models, sizeof *j->fits);
	j->breads = calloc(j->models, sizeof *j->breads);
	j->offset = calloc(j->models, sizeof *j->offset);
	if (!j->fits || !j->breads || !j->offset)
		return tact_error_oom(error);
	for (m = 0; m < j->models; m++) {
		for (k = 0; k < result->outcome_count; k++)
			if (result->outcomes[k] == result->weight_metrics[m])
				break;
		j->fits[m] = &result->fits[s * result->outcome_count + k];
		j->breads[m] = breads[s * result->outcome_count + k];
		if (j->fits[m]->status != TACT_DOSE_FIT_OK || !j->fits[m]->converged) {
			cap->status = TACT_DOSE_CAP_FAILED;
			snprintf(cap->note, sizeof cap->note, "no fit of '%.200s': %.500s",
			         summary->metrics[j->fits[m]->metric].name,
			         j->fits[m]->note);
			return TACT_OK;
		}
		j->offset[m] = j->parameters;
		j->parameters += j->fits[m]->parameters;
	}
	j->covariance = calloc(j->parameters * j->parameters, sizeof(double));
	j->factor = calloc(j->parameters * j->parameters, sizeof(double));
	j->gradient = calloc(j->parameters, sizeof(double));
	j->gradient_zero = calloc(j->parameters, sizeof(double));
	j->x = calloc(j->parameters, sizeof(double));
	*beta = calloc(j->parameters, sizeof(double));
	if (!j->covariance || !j->factor || !j->gradient || !j->gradient_zero ||
	    !j->x || !*beta)
		return tact_error_oom(error);
	for (m = 0; m < j->models; m++)
		for (i = 0; i < j->fits[m]->parameters; i++)
			(*beta)[j->offset[m] + i] = j->fits[m]->coefficients[i];
	return TACT_OK;
}

/* The net value curve with its delta-method interval, the cap and the gain
 * net(cap) - net(0) with its interval; the cap fails when no count has a
 * fitted value. */
static void net_curve(const tact_dose_result *result, const joint *j,
                      const double *beta, tact_dose_cap *cap)
{
	const size_t grid = (size_t)result->max_exposures + 1;
	const double z = gsl_cdf_ugaussian_Pinv(0.5 + result->confidence / 2);
	size_t i, e;
	long best;
	double sd;

	for (e = 0; e < grid; e++) {
		double v = net_at(result, j, beta, (int64_t)e, j->gradient);
		if (isnan(v))
			continue;
		sd = sqrt(fmax(0, tact_dose_quadratic(j->covariance, j->parameters,
		                                      j->gradient, j->gradient)));
		cap->curve[e] = v;
		cap->curve_low[e] = v - z * sd;
		cap->curve_high[e] = v + z * sd;
	}
	best = tact_dose_argmax(cap->curve, grid);
	if (best < 0) {
		cap->status = TACT_DOSE_CAP_FAILED;
		snprintf(cap->note, sizeof cap->note,
		         "no exposure count in 0..%lld has a fitted value",
		         (long long)result->max_exposures);
		return;
	}
	cap->status = TACT_DOSE_CAP_OK;
	cap->cap = best;
	cap->at_max = best == result->max_exposures;
	cap->net_at_cap = cap->curve[best];
	cap->net_at_zero = cap->curve[0];
	if (isnan(cap->net_at_zero))
		return;
	net_at(result, j, beta, best, j->gradient);
	net_at(result, j, beta, 0, j->gradient_zero);
	for (i = 0; i < j->parameters; i++)
		j->gradient[i] -= j->gradient_zero[i];
	sd = sqrt(fmax(0, tact_dose_quadratic(j->covariance, j->parameters,
	                                      j->gradient, j->gradient)));
	cap->gain = cap->net_at_cap - cap->net_at_zero;
	cap->gain_low = cap->gain - z * sd;
	cap->gain_high = cap->gain + z * sd;
}

tact_status tact_dose_cap_segment(tact_dose_result *result, size_t s,
                                  double *const *breads,
                                  const tact_dose_options *options,
                                  tact_dose_cap *cap, tact_error *error)
{
	const size_t grid = (size_t)result->max_exposures + 1;
	joint j;
	double *beta = NULL;
	tact_status status;

	memset(&j, 0, sizeof j);
	cap->curve = malloc(grid * sizeof(double));
	cap->curve_low = malloc(grid * sizeof(double));
	cap->curve_high = malloc(grid * sizeof(double));
	if (!cap->curve || !cap->curve_low || !cap->curve_high)
		return tact_error_oom(error);
	if (start_cap(result, s, cap))
		return TACT_OK;
	status = join_fits(result, s, breads, &j, &beta, cap, error);
	if (status != TACT_OK || cap->status != TACT_DOSE_CAP_OK)
		goto done;
	if ((status = joint_covariance(result, &result->segments[s], &j, error)))
		goto done;
	net_curve(result, &j, beta, cap);
	if (cap->status != TACT_DOSE_CAP_OK || options->draws == 0)
		goto done;
	if ((status = factorize(&j, &cap->joint, error)))
		goto done;
	status = bootstrap(result, &j, beta, options->draws, options->seed + s,
	                   cap, error);
done:
	free(beta);
	release_joint(&j);
	return status;
}
