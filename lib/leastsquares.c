/*
 * leastsquares.c - least squares from grouped values with HC1 errors, and
 * the sandwich product (see leastsquares.h for the method and why not
 * gsl_multifit_wlinear).
 */
#include "leastsquares.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include "numeric.h"

/* Invert the symmetric positive definite p x p matrix a in place.
 * Returns GSL's status (GSL_EDOM when not positive definite). */
static int invert_spd(double *a, size_t p)
{
	gsl_matrix_view view = gsl_matrix_view_array(a, p, p);
	int status = gsl_linalg_cholesky_decomp1(&view.matrix);

	if (status != GSL_SUCCESS)
		return status;
	return gsl_linalg_cholesky_invert(&view.matrix);
}

void tact_leastsquares_sandwich(const double *a, size_t pa, const double *meat,
                                const double *b, size_t pb, double *out)
{
	size_t i, k, r, t;

	for (i = 0; i < pa; i++)
		for (k = 0; k < pb; k++) {
			double v = 0;
			for (r = 0; r < pa; r++)
				for (t = 0; t < pb; t++)
					v += a[i * pa + r] * meat[r * pb + t] * b[t * pb + k];
			out[i * pb + k] = v;
		}
}

/* X'X into inverse, X'y into xty, and the count and moments of all the
 * values. */
static void cross_products(const double *x, const tact_moments *groups,
                           size_t rows, size_t p, tact_leastsquares_fit *fit,
                           double *xty, tact_moments *total)
{
	size_t r, i, j;

	memset(fit->inverse, 0, p * p * sizeof *fit->inverse);
	fit->n = 0;
	for (r = 0; r < rows; r++) {
		const double *row = x + r * p;
		const tact_moments *m = &groups[r];
		if (m->n == 0)
			continue;
		for (i = 0; i < p; i++) {
			xty[i] += row[i] * m->sum;
			for (j = 0; j < p; j++)
				fit->inverse[i * p + j] += (double)m->n * row[i] * row[j];
		}
		fit->n += (double)m->n;
		*total = tact_moments_combine(*total, *m);
	}
}

/* The residual sum of squares and the HC1 meat: per row, its squared
 * residuals m2 + n (mean - fit)^2 times x x'. */
static void residuals(const double *x, const tact_moments *groups,
                      size_t rows, size_t p, tact_leastsquares_fit *fit,
                      double *meat)
{
	size_t r, i, j;

	fit->residual_ss = 0;
	for (r = 0; r < rows; r++) {
		const double *row = x + r * p;
		const tact_moments *m = &groups[r];
		double eta = 0, residual, squares;
		if (m->n == 0)
			continue;
		for (j = 0; j < p; j++)
			eta += fit->coefficients[j] * row[j];
		residual = m->sum / (double)m->n - eta;
		squares = m->m2 + (double)m->n * residual * residual;
		fit->residual_ss += squares;
		for (i = 0; i < p; i++)
			for (j = 0; j < p; j++)
				meat[i * p + j] += squares * row[i] * row[j];
	}
}

tact_status tact_leastsquares_grouped(const double *x,
                                      const tact_moments *groups,
                                      size_t rows, size_t parameters,
                                      tact_leastsquares_fit *fit,
                                      tact_error *error)
{
	const size_t p = parameters;
	double *xty = calloc(p + 1, sizeof *xty);
	double *meat = calloc(p * p + 1, sizeof *meat);
	tact_moments total = {0, 0, 0};
	tact_status status = TACT_OK;
	size_t i, j;
	int gsl_status;

	fit->singular = 0;
	if (!xty || !meat) {
		status = tact_error_oom(error);
		goto done;
	}
	cross_products(x, groups, rows, p, fit, xty, &total);
	fit->total_ss = total.m2;
	if (fit->n <= (double)p) {
		status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                        "too few values for a least-squares fit");
		goto done;
	}
	gsl_status = invert_spd(fit->inverse, p);
	if (gsl_status == GSL_EDOM) {
		fit->singular = 1;
		status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                        "the terms are constant or collinear");
		goto done;
	}
	if ((status = tact_numeric_check(gsl_status, "least-squares inverse",
	                                 error)))
		goto done;
	for (i = 0; i < p; i++) {
		fit->coefficients[i] = 0;
		for (j = 0; j < p; j++)
			fit->coefficients[i] += fit->inverse[i * p + j] * xty[j];
	}
	residuals(x, groups, rows, p, fit, meat);
	/* HC1: bread meat bread * n / (n - p). */
	tact_leastsquares_sandwich(fit->inverse, p, meat, fit->inverse, p,
	                           fit->covariance);
	for (i = 0; i < p * p; i++)
		fit->covariance[i] = fit->covariance[i] * fit->n /
		                     (fit->n - (double)p);
done:
	free(xty);
	free(meat);
	return status;
}
