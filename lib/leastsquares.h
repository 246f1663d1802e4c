/*
 * leastsquares.h - least squares from grouped values, with
 * heteroskedasticity-robust (HC1) standard errors, and the sandwich product
 * of robust covariances.
 *
 * Grouped values: row r stands for the n_r values that share one design
 * row x_r, given by their moments (count, sum, sum of squared deviations
 * from their mean: tact_moments).  That is exactly the least squares over
 * the values themselves: X'X = sum n_r x_r x_r', X'y = sum sum_r x_r, and
 * the squared residuals of row r add up to m2_r + n_r (mean_r - fit_r)^2,
 * which gives the residual sum of squares and the HC1 meat exactly.  The
 * coefficients and standard errors are those of statsmodels'
 * OLS(y, X).fit(cov_type="HC1") on the values.
 *
 * Why not gsl_multifit_wlinear (weights n_r on the rows' means): it solves
 * by singular value decomposition, this by a Cholesky factor of X'X (GSL's
 * too).  Both are right, but they differ in the last digits (relative
 * 1e-15), and tact writes its figures to 17 significant digits, so every
 * dose table, report and chart would change by that noise.
 */
#ifndef TACT_LEASTSQUARES_H
#define TACT_LEASTSQUARES_H

#include <stddef.h>

#include "error.h"
#include "summary.h"

/* A fit; the caller allocates the arrays (p = parameters). */
typedef struct tact_leastsquares_fit {
	double *coefficients;   /* p */
	double *inverse;        /* p x p, row-major: (X'X)^-1, the bread */
	double *covariance;     /* p x p, row-major: HC1 */
	double n;               /* values fitted */
	double residual_ss;     /* sum of squared residuals */
	double total_ss;        /* sum of squared deviations from the mean */
	int singular;           /* on TACT_DATA: 1 X'X is singular (constant
	                           or collinear terms), 0 too few values */
} tact_leastsquares_fit;

/*
 * Fit rows design rows x[r * parameters ...] (the intercept column
 * included, if any) with the values' moments groups[r] (a row with n = 0
 * adds nothing).  Errors: TACT_DATA when there are no more values than
 * parameters ("too few values for a least-squares fit") or X'X is not
 * positive definite ("the terms are constant or collinear"), with
 * fit->singular saying which; TACT_SOFTWARE (memory, GSL).
 */
tact_status tact_leastsquares_grouped(const double *x,
                                      const tact_moments *groups,
                                      size_t rows, size_t parameters,
                                      tact_leastsquares_fit *fit,
                                      tact_error *error);

/*
 * out = a meat b, for a (pa x pa), meat (pa x pb) and b (pb x pb), all
 * row-major; out is pa x pb.  The sandwich of a robust covariance: the
 * breads a and b, the meat between.
 */
void tact_leastsquares_sandwich(const double *a, size_t pa, const double *meat,
                                const double *b, size_t pb, double *out);

#endif
