/*
 * sequential.h - always-valid inference: the asymptotic confidence
 * sequence of Waudby-Smith, Arnold, Wu, Ramdas, Rice and Ramdas (2023,
 * "Time-uniform central limit theory and asymptotic confidence
 * sequences", arXiv:2103.06476v7), as GrowthBook's gbstats computes it
 * (SequentialTwoSidedTTest and its one-sided variants).
 *
 * An effect enters as its estimate, its standard error SE and n, the
 * units of both groups.  With s2 = SE^2 n and T = n rho^2 + 1:
 *   rho          sqrt((-2 log a' + log(-2 log a' + 1)) / tuning), a' =
 *                alpha two-sided, 2 alpha one-sided (their eq. 161), from
 *                the NOMINAL alpha: callers compute it once per run;
 *   half-width   sqrt(s2) sqrt(2 T log(sqrt(T) / a) / (n rho)^2)
 *                two-sided (eq. 9), sqrt(s2 2 T log(1 + sqrt(T) / (2 a))
 *                / (n rho)^2) one-sided (eq. 134), at level 1 - a;
 *   p-value      two-sided min(1, sqrt(T) exp(-rho^2 n z^2 / (2 T))),
 *                z = estimate / SE (eq. 155); one-sided the a at which the
 *                one-sided half-width equals the estimate on the tested
 *                side, min(1, sqrt(T) / (2 expm1(rho^2 n z^2 / (2 T)))),
 *                and 1 on the other side (GrowthBook finds that a by
 *                bisection; this is its closed form).
 * The half-width is SE times a multiplier that depends on n, rho and a
 * only, so the interval at level 1 - a excludes 0 exactly when p < a:
 * the same a may be a multiple-testing level (a_row) while rho stays that
 * of the nominal alpha.
 */
#ifndef TACT_SEQUENTIAL_H
#define TACT_SEQUENTIAL_H

#include "error.h"

#define TACT_SEQUENTIAL_TUNING 5000.0 /* GrowthBook's default */

/* Which side(s) the interval and the p-value test. */
typedef enum tact_sequential_side {
	TACT_SEQUENTIAL_TWO_SIDED,
	TACT_SEQUENTIAL_GREATER,   /* H1: effect > 0; interval [low, +inf) */
	TACT_SEQUENTIAL_LESS       /* H1: effect < 0; interval (-inf, high] */
} tact_sequential_side;

typedef struct tact_sequential_result {
	double multiplier;  /* half-width / SE */
	double half_width;
	double low, high;   /* the open end of a one-sided one is infinite */
	double p_value;     /* always-valid, in the side's direction */
} tact_sequential_result;

/*
 * rho of the mixture from the nominal alpha (0 < alpha < 1; one-sided
 * alpha < 0.5) and the tuning parameter (the sample size at which the
 * sequence is tightest; > 0).  TACT_USAGE otherwise.
 */
tact_status tact_sequential_rho(double alpha, double tuning,
                                tact_sequential_side side, double *rho,
                                tact_error *error);

/* The multiplier c (half-width = c SE) at level 1 - a for n units: n > 0,
 * rho > 0, 0 < a < 1 (else NaN). */
double tact_sequential_multiplier(double n, double rho, double a,
                                  tact_sequential_side side);

/* The always-valid p-value of estimate with standard error se (both
 * finite, se >= 0; se = 0 gives 1 when the estimate is 0 or on the
 * untested side, else 0).  NaN for inputs out of range. */
double tact_sequential_p_value(double estimate, double se, double n,
                               double rho, tact_sequential_side side);

/*
 * Everything at once: the interval at level 1 - a around estimate and
 * the p-value.  Preconditions as above; TACT_USAGE when n, rho or a is
 * out of range, TACT_DATA when estimate or se is not finite or se < 0.
 * result is filled (NaN first) even on error.
 */
tact_status tact_sequential_test(double estimate, double se, double n,
                                 double a, double rho,
                                 tact_sequential_side side,
                                 tact_sequential_result *result,
                                 tact_error *error);

#endif
