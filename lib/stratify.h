/*
 * stratify.h - post-stratification of a pooled comparison over segments
 * that are pre-treatment (Miratrix, Sekhon and Yu 2013, "Adjusting
 * treatment effect estimates by post-stratification in randomized
 * experiments", JRSS B 75(2)).
 *
 * Each stratum s enters with its units (over the two groups compared), and
 * per group the mean of the metric and the variance of that mean (sample
 * variance / count for a mean, p (1 - p) / count for a rate).  With
 * weights w_s = units_s / sum units (the stratum's share of the units of
 * both groups, taken as known):
 *     estimate     sum_s w_s (arm_s - control_s)
 *     variance     sum_s w_s^2 (v_arm_s + v_control_s)
 * the variance conditional on the strata's sizes and their split between
 * the groups: Miratrix et al.'s variance of the post-stratified estimator
 * given that split, which their unconditional formula averages over splits
 * (its second-order term is that average's price, of order 1/n^2, and is
 * not the uncertainty of the split actually observed).  The weighted
 * group means (sum_s w_s arm_s, sum_s w_s^2 v_arm_s and the control's) are
 * given too, for the relative lift.
 */
#ifndef TACT_STRATIFY_H
#define TACT_STRATIFY_H

#include <stddef.h>

#include "error.h"

typedef struct tact_stratify_stratum {
	double units;                 /* of both groups; > 0 */
	double arm_mean, arm_v;       /* v: the variance of the mean */
	double control_mean, control_v;
} tact_stratify_stratum;

typedef struct tact_stratify_result {
	double estimate, se;          /* of arm - control */
	double arm_mean, arm_v;       /* weighted, and its variance */
	double control_mean, control_v;
	double units;                 /* sum over the strata */
} tact_stratify_result;

/*
 * Combine count >= 1 strata.  Every units must be positive and finite,
 * every mean finite and every v finite and >= 0: else TACT_DATA naming the
 * 1-based stratum.  result is filled (NaN first) even on error.
 */
tact_status tact_stratify_combine(const tact_stratify_stratum *strata,
                                  size_t count, tact_stratify_result *result,
                                  tact_error *error);

#endif
