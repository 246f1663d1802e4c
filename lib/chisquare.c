/*
 * chisquare.c - Pearson's goodness-of-fit and independence tests (see
 * chisquare.h).
 *
 * K. Pearson (1900), Philosophical Magazine 50:157-175.  The upper tail of
 * the chi-square law comes from GSL's gsl_cdf_chisq_Q, accurate far into
 * the tail (sample-ratio mismatches in big experiments give p-values like
 * 1e-200).  Sample-ratio mismatch: R. Kohavi, D. Tang, Y. Xu (2020),
 * Trustworthy Online Controlled Experiments, chapter 21.
 *
 * Checked against SciPy: tests/expected/chisquare.py.
 */
#include "chisquare.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

tact_status tact_chisquare_goodness_of_fit(const double *observed,
                                           const double *planned,
                                           size_t count, double *statistic,
                                           double *df, double *p_value,
                                           tact_error *error)
{
	double total = 0, weights = 0, sum = 0;
	size_t i;

	*statistic = *df = *p_value = NAN;
	if (count < 2)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "a sample-ratio check needs at least 2 arms, got %zu",
		                      count);
	for (i = 0; i < count; i++) {
		if (!(isfinite(observed[i]) && observed[i] >= 0))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "arm count %zu must be a finite non-negative count, got %.17g",
			                      i + 1, observed[i]);
		if (!(isfinite(planned[i]) && planned[i] > 0))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "planned share %zu must be a positive number, got %.17g",
			                      i + 1, planned[i]);
		total += observed[i];
		weights += planned[i];
	}
	*df = (double)(count - 1);
	if (total == 0)
		return TACT_OK;
	for (i = 0; i < count; i++) {
		double expected = total * (planned[i] / weights);
		double deviation = observed[i] - expected;

		sum += deviation * deviation / expected;
	}
	*statistic = sum;
	*p_value = gsl_cdf_chisq_Q(sum, *df);
	return TACT_OK;
}

tact_status tact_chisquare_independence(const double *table, size_t rows,
                                        size_t columns, double *statistic,
                                        double *df, double *p_value,
                                        tact_error *error)
{
	double *row_sum, *column_sum, total = 0, sum = 0;
	size_t r, c, used_rows = 0, used_columns = 0;

	*statistic = *p_value = NAN;
	*df = 0;
	for (r = 0; r < rows; r++)
		for (c = 0; c < columns; c++) {
			double cell = table[r * columns + c];

			if (!(isfinite(cell) && cell >= 0))
				return tact_error_set(error, TACT_DATA, NULL, 0, 0,
				                      "cell at row %zu, column %zu must be a finite non-negative count, got %.17g",
				                      r + 1, c + 1, cell);
		}
	if (rows == 0 || columns == 0)
		return TACT_OK;
	row_sum = calloc(rows + columns, sizeof *row_sum);
	if (!row_sum)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory for a %zu x %zu table", rows,
		                      columns);
	column_sum = row_sum + rows;
	for (r = 0; r < rows; r++)
		for (c = 0; c < columns; c++) {
			row_sum[r] += table[r * columns + c];
			column_sum[c] += table[r * columns + c];
		}
	for (r = 0; r < rows; r++) {
		used_rows += row_sum[r] > 0;
		total += row_sum[r];
	}
	for (c = 0; c < columns; c++)
		used_columns += column_sum[c] > 0;
	if (used_rows >= 2 && used_columns >= 2) {
		for (r = 0; r < rows; r++)
			for (c = 0; c < columns; c++) {
				double expected, deviation;

				/* An empty row or column has no expected count:
				 * it is left out of the table. */
				if (row_sum[r] == 0 || column_sum[c] == 0)
					continue;
				expected = row_sum[r] * (column_sum[c] / total);
				deviation = table[r * columns + c] - expected;
				sum += deviation * deviation / expected;
			}
		*df = (double)(used_rows - 1) * (double)(used_columns - 1);
		*statistic = sum;
		*p_value = gsl_cdf_chisq_Q(sum, *df);
	}
	free(row_sum);
	return TACT_OK;
}
