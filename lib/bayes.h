/*
 * bayes.h - Bayesian chance to beat control and expected loss, computed
 * deterministically (numerical integration and closed forms, no Monte
 * Carlo noise: the same data always give the same figures).
 *
 * "Better" follows the metric's direction: higher for a goal metric
 * (conversion), lower for an annoyance metric (bounce, unsubscribe).
 *   chance_to_beat  P(arm better than control | data)
 *   expected_loss   E[max(how much better control is than the arm, 0)]:
 *                   the rate (or mean) given up, on average, by choosing
 *                   the arm; in the metric's own unit.
 */
#ifndef TACT_BAYES_H
#define TACT_BAYES_H

#include "error.h"
#include "means.h"
#include "proportions.h"

typedef enum tact_bayes_direction {
	TACT_BAYES_HIGHER_IS_BETTER, /* goal metrics */
	TACT_BAYES_LOWER_IS_BETTER   /* annoyance metrics */
} tact_bayes_direction;

/*
 * Rates with independent uniform Beta(1, 1) priors: the posteriors are
 * Beta(1 + successes, 1 + trials - successes).  For higher-is-better,
 * chance_to_beat = P(p_arm > p_control) and expected_loss =
 * E[max(p_control - p_arm, 0)]; for lower-is-better, P(p_arm < p_control)
 * and E[max(p_arm - p_control, 0)].  Both are good to about 1e-12
 * relative from no units to a billion per group (the loss down to about
 * 1e-15 times the posteriors' spread, below which it is only known to be
 * that small).  Groups without trials are allowed (the posterior is the
 * prior).
 * Errors: TACT_DATA (bad counts, see tact_proportions_check);
 * TACT_SOFTWARE when GSL's integration fails or the incomplete beta
 * function does not converge.
 */
tact_status tact_bayes_rates(tact_proportions_sample arm,
                             tact_proportions_sample control,
                             tact_bayes_direction direction,
                             double *chance_to_beat, double *expected_loss,
                             tact_error *error);

/*
 * Means, normal approximation: with flat priors the posterior of the
 * difference D = mean_arm - mean_control (sign flipped for
 * lower-is-better, so that D > 0 is "arm better") is normal with mean d
 * and standard deviation s = sqrt(var_arm / n_arm + var_control /
 * n_control).  Then chance_to_beat = Phi(d / s) and
 *     expected_loss = E[max(-D, 0)] = s phi(d / s) - d Phi(-d / s).
 * With s = 0 the difference is known: chance 1, 0.5 or 0 and loss
 * max(-d, 0).
 * Errors: TACT_DATA (see tact_means_check).
 */
tact_status tact_bayes_means(tact_means_sample arm, tact_means_sample control,
                             tact_bayes_direction direction,
                             double *chance_to_beat, double *expected_loss,
                             tact_error *error);

#endif
