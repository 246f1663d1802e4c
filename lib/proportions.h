/*
 * proportions.h - rates of a 0/1 metric: intervals, lift and tests, arm
 * against control.
 *
 * Every function takes the arm first and the control second and describes
 * the arm relative to the control (difference arm - control, ratio
 * arm / control).  Counts are doubles so that sums read from a summary can
 * be passed as they are; they must be finite, non-negative whole numbers
 * with successes <= trials, else the function returns TACT_DATA.  A
 * confidence level outside (0, 1) or a margin <= -1 is a setting the user
 * chose, and returns TACT_USAGE.
 *
 * A figure that the data cannot support (a rate of an empty group, the
 * relative lift over a control that never converted) is NaN, the "blank"
 * of tact's outputs, and the function still returns TACT_OK: that is a
 * legitimate state of a segment, not an error.  An interval end that is
 * genuinely unbounded (the score interval of the lift over a control
 * without successes, or the open side of a one-sided interval) is
 * +INFINITY or -INFINITY; callers print every non-finite figure blank.
 */
#ifndef TACT_PROPORTIONS_H
#define TACT_PROPORTIONS_H

#include <stdbool.h>

#include "error.h"

/* One group's counts: units with the outcome, and units observed. */
typedef struct tact_proportions_sample {
	double successes;
	double trials;
} tact_proportions_sample;

/*
 * Check that sample holds valid counts (finite, whole, non-negative,
 * successes <= trials).  role ("arm", "control") starts the message.
 * Returns TACT_OK or TACT_DATA.
 */
tact_status tact_proportions_check(tact_proportions_sample sample,
                                   const char *role, tact_error *error);

/*
 * Wilson score interval for the rate successes / trials at the given
 * confidence level (two-sided).  The bounds are exactly 0 for 0 successes
 * and exactly 1 for trials successes.  With no trials both bounds are NaN.
 * Errors: TACT_DATA (bad counts), TACT_USAGE (confidence).
 */
tact_status tact_proportions_wilson(tact_proportions_sample sample,
                                    double confidence, double *lower,
                                    double *upper, tact_error *error);

/*
 * Difference of rates p_arm - p_control with Newcombe's hybrid score
 * interval (method 10: built from the two Wilson intervals).  With no
 * trials in either group all three figures are NaN.
 * Errors: TACT_DATA, TACT_USAGE.
 */
tact_status tact_proportions_newcombe(tact_proportions_sample arm,
                                      tact_proportions_sample control,
                                      double confidence, double *difference,
                                      double *lower, double *upper,
                                      tact_error *error);

/*
 * Relative lift p_arm / p_control - 1 with the log (Katz) interval of the
 * risk ratio, minus one.  Zero counts (no Haldane correction is applied):
 *   - no trials in a group, or no successes in the control: lift and
 *     interval NaN (the ratio is undefined or infinite);
 *   - no successes in the arm (control has some): lift -1, interval NaN
 *     (the log interval needs a success in each group);
 *   - all trials successes in both groups: the log variance is 0 and the
 *     interval collapses onto the lift.
 * Errors: TACT_DATA, TACT_USAGE.
 */
tact_status tact_proportions_lift(tact_proportions_sample arm,
                                  tact_proportions_sample control,
                                  double confidence, double *lift,
                                  double *lower, double *upper,
                                  tact_error *error);

/*
 * Pooled two-proportion z-test of p_arm = p_control: the z statistic and
 * its two-sided p-value.  When the pooled rate is 0 or 1 (no variation at
 * all) or a group has no trials, both are NaN; such tables have expected
 * counts under 5, so tact_proportions_use_fisher sends them to Fisher's
 * test, which gives p = 1.
 * Errors: TACT_DATA.
 */
tact_status tact_proportions_z_test(tact_proportions_sample arm,
                                    tact_proportions_sample control,
                                    double *statistic, double *p_value,
                                    tact_error *error);

/*
 * Fisher's exact test on the 2x2 table [[arm successes, arm failures],
 * [control successes, control failures]], two-sided p-value as in
 * scipy.stats.fisher_exact: the sum of the probabilities of all tables
 * with the same margins whose probability is at most (1 + 1e-14) times
 * that of the observed table.  p = 1 when a row or column of the table is
 * empty.  Exact to about 1e-15 relative (SciPy's own value drifts by up
 * to 5e-10 at a million units); p-values below the doubles (under about
 * 1e-320) are 0.  The time is linear in the width of the hypergeometric
 * law's mass, not in the counts: about a millisecond for a billion units
 * per arm.  Relies on an 80-bit long double (x86-64) for its ratios.
 * Errors: TACT_DATA.
 */
tact_status tact_proportions_fisher(tact_proportions_sample arm,
                                    tact_proportions_sample control,
                                    double *p_value, tact_error *error);

/*
 * Whether the comparison should use Fisher's exact test rather than the
 * z-test: true when any expected cell count of the 2x2 table (row total
 * times column total over the grand total) is under 5, and for an empty
 * table.  The counts are assumed valid (tact_proportions_check).
 */
bool tact_proportions_use_fisher(tact_proportions_sample arm,
                                 tact_proportions_sample control);

/*
 * One-sided non-inferiority test for an annoyance rate (lower is better)
 * with a relative margin: H0 p_arm / p_control >= 1 + margin against
 * H1 p_arm / p_control < 1 + margin.  A small p-value shows the arm does
 * not raise the rate by the margin or more.  Score test of Miettinen and
 * Nurminen (constrained maximum likelihood under H0, variance times
 * N / (N - 1)), as statsmodels' test_proportions_2indep(compare='ratio',
 * value=1+margin, alternative='smaller', method='score').  margin must be
 * finite and > -1.  With no successes in either group, or no trials in a
 * group, the test is undefined: statistic and p-value NaN.
 * Errors: TACT_DATA, TACT_USAGE (margin).
 */
tact_status tact_proportions_noninferiority(tact_proportions_sample arm,
                                            tact_proportions_sample control,
                                            double margin, double *statistic,
                                            double *p_value,
                                            tact_error *error);

/*
 * Score intervals that invert the pooled z-test (tact_proportions_z_test):
 * difference p_arm - p_control, and ratio p_arm / p_control.
 *
 * Each is the set of hypothesised values v whose score statistic T(v) lies
 * in [-crit_upper, crit_lower]:
 *     difference  T(d) = (p1 - p0 - d) / sqrt(V(d)),
 *     ratio       T(r) = (p1 - r p0) / sqrt(V(r)),
 * where p1 = x1 / n1 and p0 = x0 / n0 are the observed rates and V is the
 * variance p1~ (1 - p1~) / n1 + k^2 p0~ (1 - p0~) / n0 (k = 1 for the
 * difference, r for the ratio) at the rates p1~, p0~ that maximise the
 * likelihood under the hypothesis (p1~ - p0~ = d, or p1~ = r p0~).  This is
 * the Farrington-Manning score interval for the difference and the
 * Koopman / Miettinen-Nurminen one for the ratio, WITHOUT Miettinen and
 * Nurminen's factor N / (N - 1) on V: at d = 0 and at r = 1, T is exactly
 * the pooled z of tact_proportions_z_test (computed by the same code, to
 * the bit), so that
 *     lower > 0 (ratio: > 1)  exactly when  z > crit_lower,
 *     upper < 0 (ratio: < 1)  exactly when  z < -crit_upper,
 * and the interval includes 0 (ratio 1) when z is NaN (no variation).  As
 * statsmodels' confint_proportions_2indep(method='score', correction=False)
 * means to be; its ratio interval agrees, its difference interval (0.13)
 * does not: it keeps the factor and mis-states the constrained rates (see
 * tests/expected/proportions.py, which solves both from the definition).
 *
 * Critical values: a two-sided interval at confidence level 1 - alpha
 * passes crit_lower = crit_upper = z_{1 - alpha/2}; a one-sided lower
 * bound (alternative "greater") passes crit_lower = z_{1 - alpha} and
 * crit_upper = INFINITY, and "less" the reverse.  Each must be > 0 (or
 * INFINITY); else TACT_USAGE.  An INFINITY side is unbounded: the
 * difference's bound is then -1 (lower) or 1 (upper), the lift's -1
 * (lower) or +INFINITY (upper).
 *
 * Bounds are found by bisection-safeguarded regula falsi to within a few
 * units in the last place of the double, on a statistic that decreases
 * with the hypothesised value.  With no trials in a group both bounds are
 * NaN (TACT_OK).  Zero counts are legitimate:
 *   - difference: bounds stay inside [-1, 1]; they are exactly -1 or 1 only
 *     for a one-sided interval or a table such as 0/n against m/m;
 *   - ratio (bounds given as ratio - 1, the relative lift): no successes in
 *     the control make the upper bound +INFINITY (the caller shows a blank,
 *     as for every non-finite figure); no successes in the arm make the
 *     lower bound exactly -1; no successes in either group give [-1,
 *     +INFINITY].  All trials successes in both groups give a proper
 *     interval around 0 (not the log method's [0, 0]).
 * They invert the z-test only: a table sent to Fisher's exact test
 * (tact_proportions_use_fisher) can have a Fisher p-value and a score
 * interval that disagree near the critical value.  About 30 microseconds
 * a call.
 * Errors: TACT_DATA (bad counts), TACT_USAGE (critical values).
 */
tact_status tact_proportions_score_difference(tact_proportions_sample arm,
                                              tact_proportions_sample control,
                                              double crit_lower,
                                              double crit_upper, double *lower,
                                              double *upper,
                                              tact_error *error);

tact_status tact_proportions_score_ratio(tact_proportions_sample arm,
                                         tact_proportions_sample control,
                                         double crit_lower, double crit_upper,
                                         double *lower, double *upper,
                                         tact_error *error);

#endif
