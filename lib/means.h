/*
 * means.h - means of a numeric metric (revenue, time on page): intervals,
 * Welch's test and the relative lift (delta method, and Fieller's interval
 * consistent with Welch's test), arm against control.
 *
 * A group enters as its sufficient statistics: the number of values, their
 * mean and their sample variance (denominator count - 1).  The count must
 * be a finite whole number of at least 2 (a variance needs two values),
 * the mean finite and the variance finite and non-negative: else TACT_DATA.
 * A confidence level outside (0, 1) returns TACT_USAGE.  Figures the data
 * cannot support are NaN (tact's blank) with TACT_OK; the open side of a
 * one-sided interval is -INFINITY or +INFINITY.
 */
#ifndef TACT_MEANS_H
#define TACT_MEANS_H

#include "error.h"

/* One group's sufficient statistics. */
typedef struct tact_means_sample {
	double count;    /* number of non-missing values */
	double mean;
	double variance; /* sample variance, denominator count - 1 */
} tact_means_sample;

/* Welch's comparison of an arm with the control. */
typedef struct tact_means_welch_result {
	double difference; /* mean_arm - mean_control */
	double lower;      /* confidence interval of the difference */
	double upper;
	double statistic;  /* Welch's t */
	double df;         /* Welch-Satterthwaite degrees of freedom */
	double p_value;    /* two-sided */
} tact_means_welch_result;

/*
 * Check that sample is usable (see the top of this file).  role ("arm",
 * "control") starts the message.  Returns TACT_OK or TACT_DATA.
 */
tact_status tact_means_check(tact_means_sample sample, const char *role,
                             tact_error *error);

/*
 * Student's t interval of the mean: mean -/+ t_{count-1} sqrt(variance /
 * count).  A variance of 0 gives the interval [mean, mean].
 * Errors: TACT_DATA, TACT_USAGE (confidence).
 */
tact_status tact_means_t_interval(tact_means_sample sample, double confidence,
                                  double *lower, double *upper,
                                  tact_error *error);

/*
 * Welch's unequal-variance t-test and interval for mean_arm - mean_control
 * (as scipy.stats.ttest_ind(equal_var=False) and statsmodels' CompareMeans
 * with usevar='unequal').  When both variances are 0 the difference is
 * exact and nothing can be tested: difference set, every other field NaN.
 * result is filled (NaN first) even on error.
 * Errors: TACT_DATA, TACT_USAGE.
 */
tact_status tact_means_welch(tact_means_sample arm, tact_means_sample control,
                             double confidence,
                             tact_means_welch_result *result,
                             tact_error *error);

/*
 * Relative lift mean_arm / mean_control - 1 with the delta-method normal
 * interval:  with R = m1 / m0,
 *     var(R) = s1^2 / (n1 m0^2) + m1^2 s0^2 / (n0 m0^4),
 * and the interval lift -/+ z_{(1+confidence)/2} sqrt(var(R)).  The means
 * are independent (two groups); the interval is symmetric and can cross
 * -1 when the control mean is poorly known.  A control mean of 0 makes the
 * lift undefined: lift and interval NaN.
 * Errors: TACT_DATA, TACT_USAGE.
 */
tact_status tact_means_lift(tact_means_sample arm, tact_means_sample control,
                            double confidence, double *lift, double *lower,
                            double *upper, tact_error *error);

/* Why tact_means_fieller left its interval blank. */
typedef enum tact_means_lift_blank {
	TACT_MEANS_LIFT_SHOWN = 0,       /* not blank: the interval is given */
	TACT_MEANS_LIFT_ZERO_CONTROL,    /* control mean exactly 0: no lift */
	TACT_MEANS_LIFT_UNBOUNDED,       /* control mean not distinguishable
	                                    from 0 at this level */
	TACT_MEANS_LIFT_NO_VARIANCE      /* both variances 0: Welch's test is
	                                    undefined, and so is the interval */
} tact_means_lift_blank;

/*
 * The reason to print beside a blank lift interval, lowercase, no final
 * period: "control mean is 0", "control mean not distinguishable from 0",
 * "no variance in either group"; "" for TACT_MEANS_LIFT_SHOWN.  Static
 * storage.
 */
const char *tact_means_lift_blank_reason(tact_means_lift_blank why);

/*
 * Relative lift (mean_arm - mean_control) / |mean_control| with Fieller's
 * interval, which inverts the same statistic as Welch's test.  With
 * d = m1 - m0, a = |m0|, s = sign(m0) and v = variance / count per group,
 * the lift L is tested by
 *     T(L) = (d - L a) / sqrt(v1 + (1 + s L)^2 v0),
 * (the hypothesis mu1 = (1 + s L) mu0), and the interval is
 * {L : -crit_upper <= T(L) <= crit_lower}.  At L = 0, T is Welch's t,
 * d / sqrt(v1 + v0), computed as tact_means_welch does, so that
 *     lower > 0  exactly when  t > crit_lower,
 *     upper < 0  exactly when  t < -crit_upper
 * (the closed-form roots are moved by at most a rounding error where they
 * would disagree).  The caller passes t quantiles with Welch's degrees of
 * freedom: two-sided at level 1 - alpha, crit_lower = crit_upper =
 * t_{df, 1 - alpha/2}; alternative "greater": crit_lower = t_{df, 1 -
 * alpha}, crit_upper = INFINITY; "less" the reverse.  Each must be > 0 or
 * INFINITY, else TACT_USAGE.  An INFINITY side is open: lower -INFINITY
 * (or -1, see nonnegative), upper +INFINITY.
 *
 * Against |m0|, as GrowthBook does, so that a negative control mean does
 * not flip the sign: control -10, arm -5 is a lift of +50%, like the
 * difference +5.  For m0 > 0 this is the usual Fieller interval for the
 * ratio mu1 / mu0, minus 1; for m0 < 0 it is 1 minus that interval.
 *
 * *lift is (m1 - m0) / |m0| (NaN when m0 = 0).  The interval is blank
 * (both NaN, TACT_OK) with *why saying why when:
 *   - m0 = 0 (TACT_MEANS_LIFT_ZERO_CONTROL);
 *   - v1 + v0 = 0 (TACT_MEANS_LIFT_NO_VARIANCE, Welch's test is blank);
 *   - m0^2 <= crit^2 v0 for a finite crit of either side: the set is then
 *     unbounded (the whole line, or two rays), the control mean is not
 *     distinguishable from 0 (TACT_MEANS_LIFT_UNBOUNDED); also when a
 *     finite-side bound overflows.
 * nonnegative (the metric cannot be negative: the caller knows every
 * value is >= 0): the lift cannot be below -100%, so both bounds are
 * clipped at -1 (the parameter space is restricted; whether 0 is excluded
 * does not change).  A negative mean with nonnegative set is TACT_DATA.
 * why may be NULL.  Outputs are set (NaN, TACT_MEANS_LIFT_SHOWN) even on
 * error.
 * Errors: TACT_DATA (samples, see the top of this file), TACT_USAGE.
 */
tact_status tact_means_fieller(tact_means_sample arm,
                               tact_means_sample control, double crit_lower,
                               double crit_upper, int nonnegative,
                               double *lift, double *lower, double *upper,
                               tact_means_lift_blank *why, tact_error *error);

#endif
