/*
 * dose_internal.h - what the dose modules share among themselves; only
 * lib/dose*.c include it (dose.h is the public interface).
 *
 * tact_dose_run (dose.c) runs the stages over one tact_dose_result:
 *   dose_cells.c     the analysed arms; the summary's groups gathered into
 *                    segments x exposure counts (cells)
 *   dose_bins.c      the bins and the grid 0..max; each bin's figures and
 *                    its fitted average
 *   dose_privacy.c   what is hidden: lib/privacy.c's decision, blanked
 *   dose_fit.c       one model per segment and outcome and its curve, with
 *                    the design rows and predictions the others use
 *   dose_cap.c       the net value curve, the joint covariance of the
 *                    weighted models and the cap's bootstrap
 * dose.c also holds the options and their parsing; dose_write.c writes
 * the result.
 */
#ifndef TACT_DOSE_INTERNAL_H
#define TACT_DOSE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "dose.h"

/* ---- dose.c ---------------------------------------------------------- */

/* A count at text[0..length): 0, or -1 when not a count. */
int tact_dose_parse_count(const char *text, size_t length, int64_t *value);

/* ---- dose_cells.c ---------------------------------------------------- */

/* The analysed arms (result->arms, byte order): all, the listed ones, or
 * every arm but the control.  TACT_DATA for an arm not in the data, no
 * control to leave out, or no arm besides it. */
tact_status tact_dose_choose_arms(tact_dose_result *result,
                                  const tact_dose_options *options,
                                  tact_error *error);

/* The analysed arms' groups into result->segments (the pooled one first),
 * each with its cells by increasing exposure count.  TACT_DATA for an
 * exposure label that is not a count, or no unit with one. */
tact_status tact_dose_gather_cells(tact_dose_result *result,
                                   tact_error *error);

/* Free a cell's contents. */
void tact_dose_cell_release(tact_dose_cell *cell);

/* ---- dose_bins.c ----------------------------------------------------- */

/* Whether count e falls in the bin. */
int tact_dose_in_bin(tact_dose_bin bin, int64_t e);

/* The index of e's bin, or -1 when e is in no bin. */
long tact_dose_bin_of(const tact_dose_result *result, int64_t e);

/* The bins (explicit, or the pooled segment's quantiles) and the grid's
 * max.  Needs the cells. */
tact_status tact_dose_choose_bins(tact_dose_result *result,
                                  const tact_dose_options *options,
                                  tact_error *error);

/* The bin rows of segment s and outcome k, before suppression: every
 * figure.  TACT_SOFTWARE when an interval fails. */
tact_status tact_dose_tabulate(tact_dose_result *result, size_t s, size_t k,
                               tact_error *error);

/* The fitted values averaged over each shown bin's units, once fit (the
 * fit of segment s and outcome k) is done; x holds fit->parameters. */
void tact_dose_bin_fitted(tact_dose_result *result, size_t s, size_t k,
                          const tact_dose_fit *fit, double *x);

/* ---- dose_privacy.c -------------------------------------------------- */

/* Ask lib/privacy.c what to hide (see dose_privacy.c): set each segment's
 * suppressed and values_hidden, blank the hidden figures of the bin rows
 * (suppressed: the outcome's figures hidden) and count those rows.  Needs
 * the bin rows tabulated.  TACT_SOFTWARE on memory. */
tact_status tact_dose_protect(tact_dose_result *result, tact_error *error);

/* ---- dose_fit.c ------------------------------------------------------ */

/* Whether a metric is a 0/1 rate (fitted by logistic regression). */
int tact_dose_is_rate(const tact_summary *summary, size_t metric);

/* The design row of exposure count e for a fit: x[0] = 1 (intercept), then
 * the terms.  Returns 0, or -1 when e has no row (categorical: its bin is
 * not fitted). */
int tact_dose_design(const tact_dose_result *result, const tact_dose_fit *fit,
                     int64_t e, double *x);

/* beta'x over the fit's parameters. */
double tact_dose_linear_predictor(const tact_dose_fit *fit, const double *beta,
                                  const double *x);

/* The mean at linear predictor eta (logistic: the probability). */
double tact_dose_mean_of(const tact_dose_fit *fit, double eta);

/* d mean / d eta. */
double tact_dose_slope_of(const tact_dose_fit *fit, double eta);

/* a' v b for the n x n row-major matrix v. */
double tact_dose_quadratic(const double *v, size_t n, const double *a,
                           const double *b);

/* Fit outcome k of segment s into fit, with its curve on the grid; bread
 * (room for (bin_count + 2)^2) receives the inverse information or
 * (X'X)^-1, for the cap's joint covariance.  A fit that cannot be made is
 * reported in fit->status and fit->note with TACT_OK; TACT_SOFTWARE for
 * memory or GSL.  Needs the bin rows suppressed (categorical). */
tact_status tact_dose_fit_outcome(tact_dose_result *result, size_t s,
                                  size_t k, tact_dose_fit *fit, double *bread,
                                  tact_error *error);

/* Free a fit's contents. */
void tact_dose_fit_release(tact_dose_fit *fit);

/* ---- dose_cap.c ------------------------------------------------------ */

/* The net value curve and the cap of segment s from the fits and their
 * breads (per segment x outcome).  A cap that cannot be computed is
 * reported in cap->status and cap->note with TACT_OK; TACT_SOFTWARE for
 * memory or GSL. */
tact_status tact_dose_cap_segment(tact_dose_result *result, size_t s,
                                  double *const *breads,
                                  const tact_dose_options *options,
                                  tact_dose_cap *cap, tact_error *error);

#endif
