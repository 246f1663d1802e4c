/*
 * heterogeneity.h - does an effect differ across segments, and does it
 * change sign?  Cochran's Q with I^2, and the Gail-Simon test for a
 * qualitative interaction, from one effect estimate and its standard error
 * per segment.
 *
 * Input: K segments, each with an effect d_i (a difference of rates, a net
 * value per visitor, a log odds ratio...) and its standard error s_i, the
 * segments independent.  With weights w_i = 1 / s_i^2:
 *
 *   pooled effect   sum w_i d_i / sum w_i, standard error 1 / sqrt(sum w_i)
 *   Cochran's Q     sum w_i (d_i - pooled)^2, chi-square with K - 1 df under
 *                   "the same effect in every segment"
 *   I^2             max(0, (Q - (K - 1)) / Q), the share of the variation
 *                   beyond chance (0 when Q = 0)
 *
 * Gail & Simon (1985, Biometrics 41:361-372) test the null hypothesis that
 * the effect has the same sign in every segment (all >= 0 or all <= 0)
 * against a qualitative interaction (it helps in some segments and harms in
 * others), with the likelihood ratio statistic
 *
 *   Q+ = sum over d_i > 0 of (d_i / s_i)^2,   Q- = sum over d_i < 0
 *   statistic = min(Q+, Q-)
 *
 * (Gail and Simon, and SAS, name these the other way round: their Q- sums
 * the positive effects, because it tests "all effects negative".  Here the
 * names say which effects are summed.)  A segment whose effect is exactly 0
 * adds to neither.  The p-value is the rejection probability at the least
 * favourable point of the null hypothesis, one effect at 0 and the other
 * K - 1 infinitely far on one side:
 *
 *   p = sum_{h=1}^{K-1} Binomial(h; K - 1, 1/2) * P(chi-square_h > statistic)
 *
 * the formula of SAS PROC FREQ (GAILSIMON) and of R's QualInt and
 * biostatUZH; its critical values reproduce the paper's table of critical
 * values as QualInt tabulates it (see tests/unit/test_heterogeneity.c).
 * (The variant with Binomial(h; K, 1/2) does not: 4.58 instead of 4.23 for
 * K = 3 at 5%.)  The p-value never exceeds
 * 1 - 2^-(K-1): with K = 2 segments of the same sign it is 1/2.
 */
#ifndef TACT_HETEROGENEITY_H
#define TACT_HETEROGENEITY_H

#include <stddef.h>

#include "error.h"

typedef struct tact_heterogeneity_result {
	size_t segments;               /* K */
	double pooled_effect;          /* inverse-variance weighted mean */
	double pooled_standard_error;  /* 1 / sqrt(sum of weights) */
	double q;                      /* Cochran's Q */
	size_t degrees_of_freedom;     /* K - 1 */
	double q_p_value;              /* P(chi-square_{K-1} > Q) */
	double i_squared;              /* in [0, 1) */
	double q_positive;             /* sum of (d/s)^2 over d > 0 */
	double q_negative;             /* sum of (d/s)^2 over d < 0 */
	double gail_simon_statistic;   /* min(q_positive, q_negative) */
	double gail_simon_p_value;     /* see the top of this file */
} tact_heterogeneity_result;

/*
 * Cochran's Q, I^2, the pooled effect and the Gail-Simon test for the K
 * segments whose effects and standard errors are given (arrays of K values,
 * the caller's).  result is filled on success.
 *
 * Errors: TACT_DATA for fewer than 2 segments, an effect that is not
 * finite, a standard error that is not a positive finite number, or values
 * so extreme that the weights or Q overflow (the message names the segment,
 * 1-based); TACT_SOFTWARE for a failure of GSL.
 */
tact_status tact_heterogeneity_test(const double *effects,
                                    const double *standard_errors,
                                    size_t segments,
                                    tact_heterogeneity_result *result,
                                    tact_error *error);

/*
 * The Gail-Simon p-value of a statistic (>= 0) for K segments (>= 2), by the
 * formula at the top of this file.  Errors: TACT_DATA for K < 2 or a
 * statistic that is negative or not a number (+infinity gives 0);
 * TACT_SOFTWARE for a failure of GSL.
 */
tact_status tact_heterogeneity_gail_simon_p_value(double statistic,
                                                  size_t segments,
                                                  double *p_value,
                                                  tact_error *error);

/*
 * The Gail-Simon critical value c for K segments at level alpha: the
 * statistic whose p-value is alpha (reject when the statistic exceeds c).
 * Found by Brent's method to 1e-12 relative.  Errors: TACT_DATA for K < 2;
 * TACT_USAGE for alpha outside (0, 1 - 2^-(K-1)), where no critical value
 * exists; TACT_SOFTWARE for a failure of GSL.
 */
tact_status tact_heterogeneity_gail_simon_critical_value(size_t segments,
                                                         double alpha,
                                                         double *critical_value,
                                                         tact_error *error);

#endif
