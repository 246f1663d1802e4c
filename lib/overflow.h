/*
 * overflow.h - the one rule for figures that overflow (issue 15).
 *
 * A figure tact computes that overflows a double (infinite, where no
 * infinity is meant) makes the run fail with TACT_SOFTWARE (exit 70),
 * naming the figure, before any output is written: the same in every tool
 * and format (tact-frontier and tact-dose check their own figures the
 * same way, tact-plot the scripts it would hand gnuplot).  Not an
 * overflow: a figure left blank for a reason (a lift over a control mean
 * of 0, or not distinguishable from 0: blank with its lift_note), and the
 * open end of a one-sided interval.  Input values whose sums overflow are
 * bad data (TACT_DATA, "too large to sum"), found while reading.
 */
#ifndef TACT_OVERFLOW_H
#define TACT_OVERFLOW_H

#include "compare.h"
#include "error.h"
#include "powerplan.h"

/* TACT_OK, or TACT_SOFTWARE naming the first row's figure that is
 * infinite (the untested end of a one-sided interval excepted), or a lift
 * that is when shown in percent.  A lift over a control mean that is not
 * distinguishable from 0 (its lift_note says so) is undefined, not an
 * overflow: when infinite it is made blank (NaN), with its note. */
tact_status tact_overflow_check_compare(tact_compare_result *result,
                                        tact_error *error);

/* The same for a power plan's rows. */
tact_status tact_overflow_check_power(const tact_powerplan *plan,
                                      tact_error *error);

#endif
