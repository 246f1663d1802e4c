/*
 * chisquare.h - Pearson's chi-square tests: goodness of fit of arm counts
 * to the planned split (the sample-ratio mismatch check) and independence
 * of an r x c table (all arms at once).
 *
 * Counts are doubles: they must be finite and non-negative (they need not
 * be whole), else TACT_DATA naming the offending cell.  A test the data
 * cannot support (no units at all; a table left with fewer than two
 * non-empty rows or columns) gives a NaN statistic and p-value, tact's
 * blank, with TACT_OK.
 */
#ifndef TACT_CHISQUARE_H
#define TACT_CHISQUARE_H

#include <stddef.h>

#include "error.h"

/*
 * Goodness of fit of count observed values (units per arm) to the planned
 * split, given as count positive weights (any scale: 50/50 and 0.5/0.5
 * are the same plan): the statistic sum (o - e)^2 / e with e = total *
 * weight / sum of weights, df = count - 1 and the upper-tail p-value, as
 * scipy.stats.chisquare(observed, expected).  An arm with no units is a
 * count of 0 and takes part.  With a total of 0 the statistic and p-value
 * are NaN.
 * Errors: TACT_DATA for fewer than 2 arms, a bad count or a weight that is
 * not finite and positive.
 */
tact_status tact_chisquare_goodness_of_fit(const double *observed,
                                           const double *planned,
                                           size_t count, double *statistic,
                                           double *df, double *p_value,
                                           tact_error *error);

/*
 * Pearson's chi-square test of independence on the rows x columns table
 * (row-major: table[row * columns + column]), without continuity
 * correction: statistic, df = (r - 1)(c - 1) and the upper-tail p-value,
 * as scipy.stats.chi2_contingency(table, correction=False).  Rows and
 * columns that are entirely 0 (an arm without units, an outcome no one
 * had) carry no information and are left out, r and c counting only the
 * others (SciPy instead refuses such tables).  With fewer than 2 non-empty
 * rows or columns, df is 0 and the statistic and p-value are NaN (SciPy
 * reports 0 and 1 for df 0).
 * Errors: TACT_DATA for a bad cell; TACT_SOFTWARE when memory runs out.
 */
tact_status tact_chisquare_independence(const double *table, size_t rows,
                                        size_t columns, double *statistic,
                                        double *df, double *p_value,
                                        tact_error *error);

#endif
