/*
 * means.h - means of a numeric metric (revenue, time on page): intervals,
 * Welch's test and the relative lift, arm against control.
 *
 * A group enters as its sufficient statistics: the number of values, their
 * mean and their sample variance (denominator count - 1).  The count must
 * be a finite whole number of at least 2 (a variance needs two values),
 * the mean finite and the variance finite and non-negative: else TACT_DATA.
 * A confidence level outside (0, 1) returns TACT_USAGE.  Figures the data
 * cannot support are NaN (tact's blank) with TACT_OK.
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

#endif
