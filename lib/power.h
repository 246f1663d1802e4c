/*
 * power.h - sample size per arm and minimum detectable effect (MDE) for
 * comparing an arm with the control, on a rate or on a mean.
 *
 * One convention throughout, statsmodels' NormalIndPower: a two-sided
 * z-test at level alpha whose power counts both rejection tails,
 *     power = Q(z - x) + P(-z - x),   z = z_{1-alpha/2},
 *     x = |effect size| sqrt(n_control n_arm / (n_control + n_arm)),
 * with the effect size Cohen's h = 2 asin(sqrt(p_arm)) - 2 asin(sqrt(p_0))
 * for rates (statsmodels' proportion_effectsize) and Cohen's d = delta / sd
 * for means.  The normal test slightly understates the sample a t-test
 * needs below about 30 units per arm (TTestIndPower); tact's analyses are
 * normal-based at the sizes that matter.
 *
 * Sample sizes are returned unrounded (as statsmodels' solve_power): round
 * up to plan.  ratio is n_arm / n_control (1 for an even split).
 *
 * Errors: TACT_USAGE for settings (alpha outside (0, 1), power outside
 * (alpha, 1), ratio not positive and finite, an effect of 0 or one that
 * leaves [0, 1] for a rate); TACT_DATA for figures that come from data
 * (a baseline rate outside [0, 1], a standard deviation that is not
 * positive, a count that is not positive); TACT_SOFTWARE if GSL's root
 * finder fails.
 */
#ifndef TACT_POWER_H
#define TACT_POWER_H

#include "error.h"

/* How an effect is given: arm - control, or arm / control - 1. */
typedef enum tact_power_effect {
	TACT_POWER_ABSOLUTE,
	TACT_POWER_RELATIVE
} tact_power_effect;

/* Which way the arm's rate moves from the baseline (for the MDE of a
 * rate, which is not symmetric on the arcsine scale). */
typedef enum tact_power_direction {
	TACT_POWER_INCREASE,
	TACT_POWER_DECREASE
} tact_power_direction;

/*
 * Units needed in the control (*n_control) and in the arm (*n_arm =
 * ratio * *n_control) to detect a rate moving from baseline to
 * baseline + effect (TACT_POWER_ABSOLUTE) or baseline * (1 + effect)
 * (TACT_POWER_RELATIVE), at two-sided level alpha with the given power.
 */
tact_status tact_power_proportions_sample_size(double baseline, double effect,
                                               tact_power_effect kind,
                                               double alpha, double power,
                                               double ratio,
                                               double *n_control,
                                               double *n_arm,
                                               tact_error *error);

/*
 * The smallest change of a rate from baseline, in the given direction,
 * detectable with n_control units in the control and ratio * n_control in
 * the arm: *absolute = p_arm - baseline and *relative = p_arm / baseline
 * - 1 (NaN for a baseline of 0).  Both are NaN when no rate in [0, 1] is
 * far enough from the baseline (too few units).
 */
tact_status tact_power_proportions_mde(double baseline, double n_control,
                                       double alpha, double power,
                                       double ratio,
                                       tact_power_direction direction,
                                       double *absolute, double *relative,
                                       tact_error *error);

/*
 * Units needed to detect a mean moving by effect (TACT_POWER_ABSOLUTE,
 * in the metric's unit) or by effect * baseline_mean (TACT_POWER_RELATIVE;
 * baseline_mean must then be non-zero, else TACT_DATA), for a metric with
 * standard deviation sd in each group.  baseline_mean is not used for an
 * absolute effect.
 */
tact_status tact_power_means_sample_size(double baseline_mean, double sd,
                                         double effect,
                                         tact_power_effect kind, double alpha,
                                         double power, double ratio,
                                         double *n_control, double *n_arm,
                                         tact_error *error);

/*
 * The smallest detectable difference of means, *absolute (positive; the
 * test is symmetric) and *relative = *absolute / |baseline_mean| (NaN for
 * a baseline mean of 0), with n_control and ratio * n_control units.
 */
tact_status tact_power_means_mde(double baseline_mean, double sd,
                                 double n_control, double alpha, double power,
                                 double ratio, double *absolute,
                                 double *relative, tact_error *error);

#endif
