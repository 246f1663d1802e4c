/*
 * dose_fit.c - the dose-response model of one segment and outcome:
 * logistic regression (logistic.h) for 0/1 rates, least squares with HC1
 * errors (leastsquares.h) for values, on the design rows of the exposure
 * counts, and the fitted curve with its delta-method interval on the grid
 * 0..max (see dose.h for the methods).
 */
#include "dose_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "leastsquares.h"
#include "logistic.h"

int tact_dose_is_rate(const tact_summary *summary, size_t metric)
{
	return summary->metrics[metric].binary &&
	       summary->metrics[metric].role != TACT_ROLE_VALUE;
}

int tact_dose_design(const tact_dose_result *result, const tact_dose_fit *fit,
                     int64_t e, double *x)
{
	size_t j;
	long b;

	x[0] = 1;
	switch (result->transform) {
	case TACT_DOSE_LOG:
		x[1] = log1p((double)e);
		return 0;
	case TACT_DOSE_LINEAR:
		x[1] = (double)e;
		return 0;
	case TACT_DOSE_CATEGORICAL:
		break;
	}
	b = tact_dose_bin_of(result, e);
	if (b < 0)
		return -1;
	for (j = 1; j < fit->parameters; j++)
		x[j] = fit->term_bins[j] == (size_t)b;
	if ((size_t)b == fit->term_bins[0])
		return 0;
	for (j = 1; j < fit->parameters; j++)
		if (x[j] != 0)
			return 0;
	return -1;
}

double tact_dose_linear_predictor(const tact_dose_fit *fit, const double *beta,
                                  const double *x)
{
	double eta = 0;
	size_t j;

	for (j = 0; j < fit->parameters; j++)
		eta += beta[j] * x[j];
	return eta;
}

double tact_dose_mean_of(const tact_dose_fit *fit, double eta)
{
	if (!fit->logistic)
		return eta;
	return eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta));
}

double tact_dose_slope_of(const tact_dose_fit *fit, double eta)
{
	double p;

	if (!fit->logistic)
		return 1;
	p = tact_dose_mean_of(fit, eta);
	return p * (1 - p);
}

double tact_dose_quadratic(const double *v, size_t n, const double *a,
                           const double *b)
{
	double total = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			total += a[i] * v[i * n + j] * b[j];
	return total;
}

void tact_dose_fit_release(tact_dose_fit *fit)
{
	free(fit->term_bins);
	free(fit->coefficients);
	free(fit->standard_errors);
	free(fit->z);
	free(fit->p_values);
	free(fit->covariance);
	free(fit->curve);
	free(fit->curve_low);
	free(fit->curve_high);
}

static tact_status alloc_fit(tact_dose_fit *fit, size_t parameters,
                             size_t grid, tact_error *error)
{
	fit->parameters = parameters;
	fit->coefficients = calloc(parameters, sizeof(double));
	fit->standard_errors = calloc(parameters, sizeof(double));
	fit->z = calloc(parameters, sizeof(double));
	fit->p_values = calloc(parameters, sizeof(double));
	fit->covariance = calloc(parameters * parameters, sizeof(double));
	fit->curve = malloc(grid * sizeof(double));
	fit->curve_low = malloc(grid * sizeof(double));
	fit->curve_high = malloc(grid * sizeof(double));
	if (!fit->coefficients || !fit->standard_errors || !fit->z ||
	    !fit->p_values || !fit->covariance || !fit->curve ||
	    !fit->curve_low || !fit->curve_high)
		return tact_error_oom(error);
	return TACT_OK;
}

static void fail_fit(tact_dose_fit *fit, tact_dose_fit_status status,
                     const char *note)
{
	fit->status = status;
	snprintf(fit->note, sizeof fit->note, "%s", note);
}

/* The rows of a fit: cells with values of the metric (and, categorical, in
 * a fitted bin).  x is rows x parameters; moments are the metric's. */
typedef struct design_rows {
	size_t rows;
	double *x, *successes, *trials;
	tact_moments *moments;
	const tact_dose_cell **cells;
} design_rows;

static void release_rows(design_rows *d)
{
	free(d->x);
	free(d->successes);
	free(d->trials);
	free(d->moments);
	free((void *)d->cells);
}

static tact_status build_rows(const tact_dose_result *result,
                              const tact_dose_segment *seg,
                              const tact_dose_fit *fit, design_rows *d,
                              tact_error *error)
{
	const size_t p = fit->parameters, n = seg->cell_count + 1;
	size_t c;

	memset(d, 0, sizeof *d);
	d->x = malloc(n * p * sizeof(double));
	d->successes = malloc(n * sizeof(double));
	d->trials = malloc(n * sizeof(double));
	d->moments = malloc(n * sizeof *d->moments);
	d->cells = malloc(n * sizeof *d->cells);
	if (!d->x || !d->successes || !d->trials || !d->moments || !d->cells)
		return tact_error_oom(error);
	for (c = 0; c < seg->cell_count; c++) {
		const tact_dose_cell *cell = &seg->cells[c];
		const tact_moments *m = &cell->metrics[fit->metric];
		if (m->n == 0 || tact_dose_design(result, fit, cell->exposures,
		                                  d->x + d->rows * p) != 0)
			continue;
		d->successes[d->rows] = m->sum;
		d->trials[d->rows] = (double)m->n;
		d->moments[d->rows] = *m;
		d->cells[d->rows] = cell;
		d->rows++;
	}
	return TACT_OK;
}

static tact_status fit_logistic(const design_rows *d, tact_dose_fit *fit,
                                tact_error *error)
{
	tact_logistic_data data;
	tact_logistic_model model;
	tact_error fit_error;
	tact_status status;
	size_t j, r;

	memset(&data, 0, sizeof data);
	data.rows = d->rows;
	data.features = fit->parameters - 1;
	/* logistic.c wants the features without the intercept column. */
	{
		double *x = malloc((d->rows * data.features + 1) * sizeof *x);
		if (!x)
			return tact_error_oom(error);
		for (r = 0; r < d->rows; r++)
			for (j = 1; j < fit->parameters; j++)
				x[r * data.features + j - 1] = d->x[r * fit->parameters + j];
		data.x = data.features ? x : NULL;
		data.successes = d->successes;
		data.trials = d->trials;
		tact_logistic_model_init(&model);
		tact_error_init(&fit_error);
		status = tact_logistic_fit(&data, NULL, &model, &fit_error);
		free(x);
	}
	if (status == TACT_DATA) {
		fail_fit(fit, TACT_DOSE_FIT_FAILED, fit_error.message);
		return TACT_OK;
	}
	if (status != TACT_OK) {
		*error = fit_error;
		return status;
	}
	for (j = 0; j < fit->parameters; j++) {
		fit->coefficients[j] = model.coefficients[j];
		fit->standard_errors[j] = model.standard_errors[j];
		fit->z[j] = model.z[j];
		fit->p_values[j] = model.p_values[j];
	}
	memcpy(fit->covariance, model.covariance,
	       fit->parameters * fit->parameters * sizeof(double));
	fit->iterations = model.iterations;
	fit->converged = model.converged;
	fit->log_likelihood = model.log_likelihood;
	fit->deviance = model.deviance;
	fit->null_deviance = model.null_deviance;
	if (!model.converged)
		snprintf(fit->note, sizeof fit->note,
		         "did not converge in %zu iterations", model.iterations);
	tact_logistic_model_release(&model);
	return TACT_OK;
}
/* Least squares of the values on the rows (leastsquares.h: exact from the
 * per-count moments, HC1 errors, normal p-values); bread receives
 * (X'X)^-1. */
static tact_status fit_least_squares(const design_rows *d, tact_dose_fit *fit,
                                     double *bread, tact_error *error)
{
	const size_t p = fit->parameters;
	tact_leastsquares_fit ls;
	tact_error fit_error;
	tact_status status;
	size_t i;

	ls.coefficients = fit->coefficients;
	ls.inverse = bread;
	ls.covariance = fit->covariance;
	tact_error_init(&fit_error);
	status = tact_leastsquares_grouped(d->x, d->moments, d->rows, p, &ls,
	                                   &fit_error);
	if (status == TACT_DATA) {
		fail_fit(fit, TACT_DOSE_FIT_FAILED,
		         ls.singular ? "the exposure terms are constant or "
		                       "collinear (too few distinct exposure "
		                       "counts)"
		                     : fit_error.message);
		return TACT_OK;
	}
	if (status != TACT_OK) {
		*error = fit_error;
		return status;
	}
	for (i = 0; i < p; i++) {
		fit->standard_errors[i] = sqrt(fit->covariance[i * p + i]);
		fit->z[i] = fit->coefficients[i] / fit->standard_errors[i];
		fit->p_values[i] = isnan(fit->z[i]) ? NAN
		                   : 2 * gsl_cdf_ugaussian_Q(fabs(fit->z[i]));
	}
	fit->converged = 1;
	fit->iterations = 0;
	fit->log_likelihood = NAN;
	fit->deviance = ls.residual_ss;
	fit->null_deviance = ls.total_ss;
	return TACT_OK;
}

/* The fitted value and its delta-method interval at e. */
static void predict(const tact_dose_result *result, const tact_dose_fit *fit,
                    int64_t e, double z, double *x, double *value,
                    double *low, double *high)
{
	double eta, se;

	*value = *low = *high = NAN;
	if (fit->status != TACT_DOSE_FIT_OK ||
	    tact_dose_design(result, fit, e, x) != 0)
		return;
	eta = tact_dose_linear_predictor(fit, fit->coefficients, x);
	se = sqrt(fmax(0, tact_dose_quadratic(fit->covariance, fit->parameters,
	                                      x, x)));
	*value = tact_dose_mean_of(fit, eta);
	*low = tact_dose_mean_of(fit, eta - z * se);
	*high = tact_dose_mean_of(fit, eta + z * se);
}

/*
 * A bin where no unit (or every unit) had the outcome has infinite
 * log-odds: say which, rather than the logistic fit's general message
 * about separation.  Returns 1 (the fit failed) or 0.
 */
static int separated_bin(const tact_dose_result *result, tact_dose_fit *fit,
                         const design_rows *d)
{
	size_t j, r;

	for (j = 0; j < fit->parameters; j++) {
		double successes = 0, trials = 0;
		char label[64];
		for (r = 0; r < d->rows; r++)
			if (tact_dose_bin_of(result, d->cells[r]->exposures) ==
			    (long)fit->term_bins[j]) {
				successes += d->successes[r];
				trials += d->trials[r];
			}
		if (successes > 0 && successes < trials)
			continue;
		tact_dose_bin_label(result->bins[fit->term_bins[j]], label,
		                    sizeof label);
		snprintf(fit->note, sizeof fit->note,
		         "%s units in bin %s had '%.200s': its log-odds are "
		         "infinite; merge it with a neighbour (--bins)",
		         successes > 0 ? "all" : "no", label,
		         result->summary->metrics[fit->metric].name);
		fit->status = TACT_DOSE_FIT_FAILED;
		return 1;
	}
	return 0;
}

/* Estimate the model of a fit that has values to fit, from the segment's
 * rows; a fit that cannot be made says why in fit->note. */
static tact_status estimate(const tact_dose_result *result,
                            const tact_dose_segment *seg, tact_dose_fit *fit,
                            double *bread, tact_error *error)
{
	const size_t parameters = fit->parameters;
	design_rows rows;
	tact_status status;

	if ((status = build_rows(result, seg, fit, &rows, error))) {
		release_rows(&rows);
		return status;
	}
	if (result->transform != TACT_DOSE_CATEGORICAL && rows.rows > 0 &&
	    rows.cells[rows.rows - 1]->exposures == rows.cells[0]->exposures) {
		/* Rows follow the cells' increasing counts: one count only. */
		snprintf(fit->note, sizeof fit->note,
		         "every unit has %lld exposures: no curve to fit (the "
		         "control sees none; see --arms)",
		         (long long)rows.cells[0]->exposures);
		fit->status = TACT_DOSE_FIT_FAILED;
		release_rows(&rows);
		return TACT_OK;
	}
	if (fit->logistic && result->transform == TACT_DOSE_CATEGORICAL &&
	    separated_bin(result, fit, &rows)) {
		release_rows(&rows);
		return TACT_OK;
	}
	if (fit->logistic) {
		status = fit_logistic(&rows, fit, error);
		if (status == TACT_OK && fit->status == TACT_DOSE_FIT_OK) {
			/* The bread of the cross-covariance: the inverse information,
			 * which is the model's covariance. */
			memcpy(bread, fit->covariance,
			       parameters * parameters * sizeof *bread);
		}
	} else
		status = fit_least_squares(&rows, fit, bread, error);
	release_rows(&rows);
	return status;
}

tact_status tact_dose_fit_outcome(tact_dose_result *result, size_t s,
                                  size_t k, tact_dose_fit *fit, double *bread,
                                  tact_error *error)
{
	const tact_summary *summary = result->summary;
	const tact_dose_segment *seg = &result->segments[s];
	const size_t metric = result->outcomes[k];
	const size_t grid = (size_t)result->max_exposures + 1;
	const double z = gsl_cdf_ugaussian_Pinv(0.5 + result->confidence / 2);
	size_t parameters = 2, b, e, c;
	int64_t n = 0;
	double *x;
	tact_status status;

	fit->segment = s;
	fit->metric = metric;
	fit->logistic = tact_dose_is_rate(summary, metric);
	fit->status = TACT_DOSE_FIT_OK;
	fit->log_likelihood = fit->deviance = fit->null_deviance = NAN;
	if (result->transform == TACT_DOSE_CATEGORICAL) {
		/* Bins shown in the table, the first the reference. */
		const tact_dose_bin_row *row =
			&result->bin_rows[(s * result->outcome_count + k) *
			                  result->bin_count];
		fit->term_bins = malloc((result->bin_count + 1) * sizeof(size_t));
		if (!fit->term_bins)
			return tact_error_oom(error);
		parameters = 0;
		for (b = 0; b < result->bin_count; b++)
			if (!row[b].suppressed)
				fit->term_bins[parameters++] = b;
	}
	if ((status = alloc_fit(fit, parameters ? parameters : 1, grid, error)))
		return status;
	for (e = 0; e < grid; e++)
		fit->curve[e] = fit->curve_low[e] = fit->curve_high[e] = NAN;
	for (c = 0; c < seg->cell_count; c++)
		n += seg->cells[c].metrics[metric].n;
	fit->n = n;
	if (seg->values_hidden[k]) {
		fail_fit(fit, TACT_DOSE_FIT_SUPPRESSED,
		         n < result->min_cell ? "fewer than min-cell values"
		         : seg->suppressed
		         ? "hidden so that smaller segments cannot be recovered"
		         : "hidden so that smaller counts cannot be recovered");
		fit->n = -1;
		return TACT_OK;
	}
	if (parameters == 0) {
		fail_fit(fit, TACT_DOSE_FIT_FAILED, "no bin with enough values");
		return TACT_OK;
	}
	status = estimate(result, seg, fit, bread, error);
	if (status != TACT_OK || fit->status != TACT_DOSE_FIT_OK)
		return status;
	x = malloc(parameters * sizeof *x);
	if (!x)
		return tact_error_oom(error);
	for (e = 0; e < grid; e++)
		predict(result, fit, (int64_t)e, z, x, &fit->curve[e],
		        &fit->curve_low[e], &fit->curve_high[e]);
	free(x);
	return TACT_OK;
}
