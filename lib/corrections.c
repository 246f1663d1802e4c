/*
 * corrections.c - Holm and Benjamini-Hochberg adjusted p-values (see
 * corrections.h).
 *
 * With the m tested p-values sorted, p_(1) <= ... <= p_(m):
 *   Holm:  adjusted p_(i) = max over j <= i of min(1, (m - j + 1) p_(j));
 *          S. Holm (1979), Scandinavian Journal of Statistics 6:65-70.
 *   BH:    adjusted p_(i) = min over j >= i of min(1, m p_(j) / j);
 *          Y. Benjamini, Y. Hochberg (1995), JRSS B 57:289-300.
 * These are the adjusted p-values of statsmodels' multipletests and of R's
 * p.adjust; tied p-values get the same adjusted value in any order.
 *
 * Checked against statsmodels: tests/expected/corrections.py.
 */
#include "corrections.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ranked {
	double p;
	size_t index;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	/* Ties by position, so that the order never depends on qsort. */
	return x->index < y->index ? -1 : x->index > y->index;
}

tact_status tact_corrections_parse(const char *name, tact_correction *method,
                                   tact_error *error)
{
	char quoted[64];

	if (strcmp(name, "holm") == 0)
		*method = TACT_CORRECTION_HOLM;
	else if (strcmp(name, "bh") == 0 || strcmp(name, "fdr_bh") == 0)
		*method = TACT_CORRECTION_BH;
	else if (strcmp(name, "none") == 0)
		*method = TACT_CORRECTION_NONE;
	else
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "correction must be holm, bh or none, got '%s'",
		                      tact_error_quote(name, strlen(name), quoted,
		                                       sizeof quoted));
	return TACT_OK;
}

const char *tact_corrections_name(tact_correction method)
{
	switch (method) {
	case TACT_CORRECTION_HOLM: return "holm";
	case TACT_CORRECTION_BH: return "bh";
	case TACT_CORRECTION_NONE: return "none";
	}
	return "unknown";
}

tact_status tact_corrections_adjust(tact_correction method,
                                    const double *p_values, size_t count,
                                    double *adjusted, tact_error *error)
{
	ranked *family;
	size_t i, m = 0;

	for (i = 0; i < count; i++)
		if (!isnan(p_values[i]) && !(p_values[i] >= 0 && p_values[i] <= 1))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "p-value %zu must be between 0 and 1, got %.17g",
			                      i + 1, p_values[i]);
	if (method == TACT_CORRECTION_NONE || count == 0) {
		if (adjusted != p_values && count > 0)
			memmove(adjusted, p_values, count * sizeof *adjusted);
		return TACT_OK;
	}
	family = malloc(count * sizeof *family);
	if (!family)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory adjusting %zu p-values", count);
	for (i = 0; i < count; i++) {
		if (isnan(p_values[i]))
			continue;
		family[m].p = p_values[i];
		family[m].index = i;
		m++;
	}
	qsort(family, m, sizeof *family, compare_ranked);
	/* Untested rows stay NaN (written after reading p_values, which
	 * adjusted may alias). */
	for (i = 0; i < count; i++)
		if (isnan(p_values[i]))
			adjusted[i] = NAN;
	if (method == TACT_CORRECTION_HOLM) {
		double running = 0;

		for (i = 0; i < m; i++) {
			double raw = fmin(1, (double)(m - i) * family[i].p);

			running = fmax(running, raw);
			adjusted[family[i].index] = running;
		}
	} else {
		double running = 1;

		for (i = m; i-- > 0;) {
			/* p / (rank / m), in statsmodels' order of operations. */
			double raw = fmin(1, family[i].p / ((double)(i + 1) / (double)m));

			running = fmin(running, raw);
			adjusted[family[i].index] = running;
		}
	}
	free(family);
	return TACT_OK;
}
