/*
 * dose_bins.c - the bins of exposure counts: the quantile bins,
 * the bins and grid of a run, and each bin's figures (units, the rate with
 * its Wilson interval or the mean with its t interval, the fitted average;
 * see dose.h).
 */
#include "dose_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "means.h"
#include "proportions.h"

int tact_dose_in_bin(tact_dose_bin bin, int64_t e)
{
	return e >= bin.low && (bin.high == TACT_DOSE_OPEN || e <= bin.high);
}

long tact_dose_bin_of(const tact_dose_result *result, int64_t e)
{
	size_t b;

	for (b = 0; b < result->bin_count; b++)
		if (tact_dose_in_bin(result->bins[b], e))
			return (long)b;
	return -1;
}

int64_t tact_dose_quantile(const int64_t *values, const int64_t *counts,
                           size_t count, double q)
{
	return tact_bins_quantile(values, counts, count, q);
}

tact_status tact_dose_quantile_bins(const int64_t *values,
                                    const int64_t *counts, size_t count,
                                    unsigned k, tact_dose_bin **bins,
                                    size_t *bin_count, tact_error *error)
{
	return tact_bins_quantiles(values, counts, count, k, bins, bin_count,
	                           error);
}

tact_status tact_dose_choose_bins(tact_dose_result *result,
                                  const tact_dose_options *options,
                                  tact_error *error)
{
	const tact_dose_segment *pooled = &result->segments[0];
	int64_t *values, *counts;
	size_t c;
	tact_status status = TACT_OK;

	values = malloc((pooled->cell_count + 1) * sizeof *values);
	counts = malloc((pooled->cell_count + 1) * sizeof *counts);
	if (!values || !counts) {
		free(values);
		free(counts);
		return tact_error_oom(error);
	}
	for (c = 0; c < pooled->cell_count; c++) {
		values[c] = pooled->cells[c].exposures;
		counts[c] = pooled->cells[c].units;
	}
	if (options->quantile_bins)
		status = tact_dose_quantile_bins(values, counts, pooled->cell_count,
		                                 options->quantile_bins, &result->bins,
		                                 &result->bin_count, error);
	else {
		result->bins = malloc((options->bin_count + 1) * sizeof *result->bins);
		if (!result->bins)
			status = tact_error_oom(error);
		else {
			memcpy(result->bins, options->bins,
			       options->bin_count * sizeof *result->bins);
			result->bin_count = options->bin_count;
		}
	}
	if (options->max_exposures >= 0)
		result->max_exposures = options->max_exposures;
	else
		result->max_exposures = tact_dose_quantile(values, counts,
		                                           pooled->cell_count,
		                                           options->max_quantile);
	if (result->max_exposures > TACT_DOSE_MAX_EXPOSURES) {
		result->max_exposures = TACT_DOSE_MAX_EXPOSURES;
		result->max_clamped = 1;
	}
	free(values);
	free(counts);
	return status;
}

tact_status tact_dose_tabulate(tact_dose_result *result, size_t s, size_t k,
                               tact_error *error)
{
	const tact_summary *summary = result->summary;
	const tact_dose_segment *seg = &result->segments[s];
	const size_t metric = result->outcomes[k];
	size_t b, c;
	tact_status status = TACT_OK;

	for (b = 0; b < result->bin_count; b++) {
		tact_dose_bin_row *row =
			&result->bin_rows[(s * result->outcome_count + k) *
			                  result->bin_count + b];
		tact_moments m = {0, 0, 0};
		double exposure_total = 0;
		int64_t units = 0;

		row->segment = s;
		row->metric = metric;
		row->bin = b;
		row->mean = row->low = row->high = row->fitted = NAN;
		row->mean_exposures = NAN;
		for (c = 0; c < seg->cell_count; c++) {
			const tact_dose_cell *cell = &seg->cells[c];
			if (!tact_dose_in_bin(result->bins[b], cell->exposures))
				continue;
			units += cell->units;
			exposure_total += (double)cell->units * (double)cell->exposures;
			m = tact_moments_combine(m, cell->metrics[metric]);
		}
		row->units = units;
		row->n = m.n;
		row->suppressed = 0;
		if (units > 0)
			row->mean_exposures = exposure_total / (double)units;
		if (m.n == 0)
			continue;
		row->mean = m.sum / (double)m.n;
		if (tact_dose_is_rate(summary, metric)) {
			tact_proportions_sample sample = {m.sum, (double)m.n};
			status = tact_proportions_wilson(sample, result->confidence,
			                                 &row->low, &row->high, error);
		} else if (m.n >= 2) {
			tact_means_sample sample = {(double)m.n, row->mean,
			                            tact_moments_variance(m)};
			status = tact_means_t_interval(sample, result->confidence,
			                               &row->low, &row->high, error);
		}
		if (status != TACT_OK)
			return status;
	}
	return TACT_OK;
}

void tact_dose_bin_fitted(tact_dose_result *result, size_t s, size_t k,
                          const tact_dose_fit *fit, double *x)
{
	const tact_dose_segment *seg = &result->segments[s];
	size_t b, c;

	if (fit->status != TACT_DOSE_FIT_OK)
		return;
	for (b = 0; b < result->bin_count; b++) {
		tact_dose_bin_row *row =
			&result->bin_rows[(s * result->outcome_count + k) *
			                  result->bin_count + b];
		double total = 0, weight = 0;
		if (row->suppressed)
			continue;
		for (c = 0; c < seg->cell_count; c++) {
			const tact_dose_cell *cell = &seg->cells[c];
			double n = (double)cell->metrics[fit->metric].n;
			if (!tact_dose_in_bin(result->bins[b], cell->exposures) ||
			    n == 0 ||
			    tact_dose_design(result, fit, cell->exposures, x) != 0)
				continue;
			total += n * tact_dose_mean_of(fit,
				tact_dose_linear_predictor(fit, fit->coefficients, x));
			weight += n;
		}
		row->fitted = weight > 0 ? total / weight : NAN;
	}
}
