/*
 * corrections.h - multiple-comparison adjustment of a family of p-values.
 *
 * Every tested row of an output (segment x arm x metric) is one family.
 * Holm's step-down method (the default) controls the family-wise error
 * rate; Benjamini-Hochberg controls the false discovery rate; "none"
 * leaves the p-values as they are.  A NaN p-value marks a row that was not
 * tested (a blank): it is left out of the family and stays NaN.
 */
#ifndef TACT_CORRECTIONS_H
#define TACT_CORRECTIONS_H

#include <stddef.h>

#include "error.h"

typedef enum tact_correction {
	TACT_CORRECTION_HOLM, /* Holm (1979), family-wise error rate */
	TACT_CORRECTION_BH,   /* Benjamini-Hochberg (1995), false discovery rate */
	TACT_CORRECTION_NONE
} tact_correction;

/*
 * Read a method's name as the user types it: "holm", "bh" (also
 * "fdr_bh", statsmodels' name) or "none".  Returns TACT_OK, or TACT_USAGE
 * for any other name (the message quotes it).
 */
tact_status tact_corrections_parse(const char *name, tact_correction *method,
                                   tact_error *error);

/* The canonical name of a method ("holm", "bh", "none"). */
const char *tact_corrections_name(tact_correction method);

/*
 * Adjust count p-values into adjusted (which may be p_values itself), as
 * statsmodels.stats.multitest.multipletests(method='holm' or 'fdr_bh') does
 * over the non-NaN entries; NaN entries stay NaN and do not count in the
 * family's size.  Every other p-value must lie in [0, 1]: else TACT_DATA
 * naming its 1-based position, and adjusted is left unchanged.  Allocates
 * a work array of count entries: TACT_SOFTWARE when memory runs out.
 */
tact_status tact_corrections_adjust(tact_correction method,
                                    const double *p_values, size_t count,
                                    double *adjusted, tact_error *error);

#endif
