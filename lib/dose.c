/*
 * dose.c - outcomes against exposure frequency: the entry points (options,
 * their parsing, bin labels) and tact_dose_run, which runs the stages over
 * one result (see dose.h for the methods and why, and dose_internal.h for
 * the module of each stage): find the exposure dimension and the outcomes;
 * gather the analysed arms' groups into segments x exposure counts
 * (cells); choose the bins and the grid 0..max; tabulate the bins and
 * suppress; fit every outcome of every segment; then, under weights, the
 * net value curve and the cap; last, refuse figures that overflow.
 */
#include "dose_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "weights.h"

/* ---- options ------------------------------------------------------ */

tact_status tact_dose_options_init(tact_dose_options *options,
                                   tact_error *error)
{
	memset(options, 0, sizeof *options);
	options->transform = TACT_DOSE_LOG;
	options->confidence = 0.95;
	options->min_cell = 10;
	options->max_exposures = -1;
	options->max_quantile = 0.999;
	options->draws = 1000;
	options->seed = 1;
	return tact_dose_parse_bins(options, "0,1,2,3-5,6-10,11-", error);
}

static void release_weights(tact_dose_options *options)
{
	size_t i;

	for (i = 0; i < options->weight_count; i++)
		free(options->weights[i].metric);
	free(options->weights);
	options->weights = NULL;
	options->weight_count = 0;
}

void tact_dose_options_release(tact_dose_options *options)
{
	tact_names_release(&options->arms);
	free(options->bins);
	release_weights(options);
	memset(options, 0, sizeof *options);
}

/* A count at text[0..length): 0, or -1 when not a count. */
int tact_dose_parse_count(const char *text, size_t length, int64_t *value)
{
	double number;

	if (length == 0 || tact_parse_count(text, length, 0, &number) != 0)
		return -1;
	*value = (int64_t)number;
	return 0;
}

tact_status tact_dose_parse_bins(tact_dose_options *options,
                                 const char *text, tact_error *error)
{
	tact_dose_bin *bins;
	size_t count;
	unsigned quantiles;
	tact_status status = tact_bins_parse(text, "--bins", TACT_DOSE_MAX_BINS,
	                                     &bins, &count, &quantiles, error);

	if (status != TACT_OK)
		return status;
	if (quantiles) {
		options->quantile_bins = quantiles;
		return TACT_OK;
	}
	free(options->bins);
	options->bins = bins;
	options->bin_count = count;
	options->quantile_bins = 0;
	return TACT_OK;
}

tact_status tact_dose_parse_weights(tact_dose_options *options,
                                    const char *text, tact_error *error)
{
	char **metrics;
	double *weights;
	size_t count, i;
	tact_status status = tact_weights_parse(text, &metrics, &weights, &count,
	                                        error);

	if (status != TACT_OK)
		return status;
	release_weights(options);
	options->weights = calloc(count + 1, sizeof *options->weights);
	if (!options->weights) {
		for (i = 0; i < count; i++)
			free(metrics[i]);
		free(metrics);
		free(weights);
		return tact_error_oom(error);
	}
	for (i = 0; i < count; i++) {
		options->weights[i].metric = metrics[i]; /* owned now */
		options->weights[i].weight = weights[i];
	}
	options->weight_count = count;
	free(metrics);
	free(weights);
	return TACT_OK;
}

tact_status tact_dose_parse_arms(tact_dose_options *options,
                                 const char *text, tact_error *error)
{
	options->all_arms = strcmp(text, "all") == 0;
	tact_names_release(&options->arms);
	if (options->all_arms || strcmp(text, "treated") == 0)
		return TACT_OK;
	if (*text == '\0')
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--arms needs 'all', 'treated' or arm labels");
	return tact_names_parse(&options->arms, text, error);
}

tact_status tact_dose_parse_transform(tact_dose_options *options,
                                      const char *text, tact_error *error)
{
	if (strcmp(text, "log") == 0)
		options->transform = TACT_DOSE_LOG;
	else if (strcmp(text, "linear") == 0)
		options->transform = TACT_DOSE_LINEAR;
	else if (strcmp(text, "categorical") == 0)
		options->transform = TACT_DOSE_CATEGORICAL;
	else
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--transform must be log, linear or "
		                      "categorical, got '%s'", text);
	return TACT_OK;
}

const char *tact_dose_transform_name(tact_dose_transform transform)
{
	switch (transform) {
	case TACT_DOSE_LOG: return "log";
	case TACT_DOSE_LINEAR: return "linear";
	case TACT_DOSE_CATEGORICAL: return "categorical";
	}
	return "";
}

void tact_dose_bin_label(tact_dose_bin bin, char *out, size_t size)
{
	tact_bins_label(bin, out, size);
}

/* ---- the run ------------------------------------------------------- */

void tact_dose_result_release(tact_dose_result *result)
{
	size_t s, c, d, i;

	for (s = 0; s < result->segment_count; s++) {
		tact_dose_segment *seg = &result->segments[s];
		for (c = 0; c < seg->cell_count; c++)
			tact_dose_cell_release(&seg->cells[c]);
		free(seg->cells);
		free(seg->values_hidden);
		if (seg->labels)
			for (d = 0; d < result->dimensions; d++)
				free(seg->labels[d]);
		free(seg->labels);
	}
	free(result->segments);
	for (i = 0; i < result->arm_count; i++)
		free(result->arms[i]);
	free(result->arms);
	free(result->bins);
	free(result->outcomes);
	free(result->weight_metrics);
	free(result->weights);
	free(result->bin_rows);
	for (i = 0; i < result->fit_count; i++)
		tact_dose_fit_release(&result->fits[i]);
	free(result->fits);
	for (i = 0; i < result->cap_count; i++) {
		free(result->caps[i].curve);
		free(result->caps[i].curve_low);
		free(result->caps[i].curve_high);
	}
	free(result->caps);
	memset(result, 0, sizeof *result);
}

static tact_status find_exposures(tact_dose_result *result, tact_error *error)
{
	const tact_summary *summary = result->summary;
	size_t m;

	if (summary->dimensions > 0) {
		const char *last = summary->dimension_names[summary->dimensions - 1];
		for (m = 0; m < summary->metric_count; m++)
			if (summary->metrics[m].role == TACT_ROLE_EXPOSURES &&
			    strcmp(summary->metrics[m].name, last) == 0) {
				result->exposure_metric = m;
				result->dimensions = summary->dimensions - 1;
				return TACT_OK;
			}
	}
	return tact_error_set(error, TACT_DATA, NULL, 0, 0,
	                      "the summary is not split by exposure count: make "
	                      "it with tact-summarize --by-exposures");
}

static tact_status choose_metrics(tact_dose_result *result,
                                  const tact_dose_options *options,
                                  tact_error *error)
{
	const tact_summary *summary = result->summary;
	size_t m, w;

	result->outcomes = calloc(summary->metric_count + 1, sizeof(size_t));
	result->weight_metrics = calloc(options->weight_count + 1, sizeof(size_t));
	result->weights = calloc(options->weight_count + 1, sizeof(double));
	if (!result->outcomes || !result->weight_metrics || !result->weights)
		return tact_error_oom(error);
	for (m = 0; m < summary->metric_count; m++)
		if (summary->metrics[m].role != TACT_ROLE_EXPOSURES &&
		    summary->metrics[m].role != TACT_ROLE_COVARIATE) /* CUPED's */
			result->outcomes[result->outcome_count++] = m;
	if (result->outcome_count == 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "no goal, annoyance or value metric to relate "
		                      "to exposures");
	for (w = 0; w < options->weight_count; w++) {
		m = tact_summary_metric_index(summary, options->weights[w].metric);
		if (m == TACT_NO_COLUMN ||
		    summary->metrics[m].role == TACT_ROLE_EXPOSURES) {
			char list[512];
			size_t used = 0, k;
			list[0] = '\0';
			for (k = 0; k < result->outcome_count; k++) {
				int n = snprintf(list + used, sizeof list - used, "%s'%s'",
				                 k ? ", " : "",
				                 summary->metrics[result->outcomes[k]].name);
				if (n < 0 || (size_t)n >= sizeof list - used)
					break;
				used += (size_t)n;
			}
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--weights: '%s' is not an outcome metric; "
			                      "the outcomes are: %s",
			                      options->weights[w].metric, list);
		}
		result->weight_metrics[w] = m;
		result->weights[w] = options->weights[w].weight;
	}
	result->weight_count = options->weight_count;
	return TACT_OK;
}

/* The index of the first infinite value of values[0..count), or -1. */
static long first_infinite(const double *values, size_t count)
{
	size_t i;

	for (i = 0; values && i < count; i++)
		if (isinf(values[i]))
			return (long)i;
	return -1;
}

static const char *segment_text(const tact_dose_result *r, size_t s,
                                char *out, size_t size)
{
	size_t d, used = 0;

	out[0] = '\0';
	for (d = 0; d < r->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s", d ? " / " : "",
		                 r->segments[s].labels[d]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return r->dimensions ? out : "(all)";
}

/*
 * Infinite figures (weights or values near the largest double) would be
 * written as inf and read back by no tool: the run fails (TACT_SOFTWARE)
 * naming the first, and nothing is written.  The same rule as
 * tact-frontier's.
 */
static tact_status check_finite(const tact_dose_result *r, tact_error *error)
{
	const size_t grid = (size_t)r->max_exposures + 1;
	char segment[256];
	size_t i;

	for (i = 0; i < r->bin_row_count; i++) {
		const tact_dose_bin_row *b = &r->bin_rows[i];
		const double v[] = {b->mean_exposures, b->mean, b->low, b->high,
		                    b->fitted};
		if (first_infinite(v, sizeof v / sizeof v[0]) >= 0)
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "the mean of '%s' overflows in segment "
			                      "'%.200s': rescale the column",
			                      r->summary->metrics[b->metric].name,
			                      segment_text(r, b->segment, segment,
			                                   sizeof segment));
	}
	for (i = 0; i < r->fit_count; i++) {
		const tact_dose_fit *f = &r->fits[i];
		const double v[] = {f->log_likelihood, f->deviance, f->null_deviance};
		const size_t p = f->parameters;
		if (f->status != TACT_DOSE_FIT_OK)
			continue;
		if (first_infinite(v, 3) >= 0 ||
		    first_infinite(f->coefficients, p) >= 0 ||
		    first_infinite(f->standard_errors, p) >= 0 ||
		    first_infinite(f->z, p) >= 0 ||
		    first_infinite(f->covariance, p * p) >= 0 ||
		    first_infinite(f->curve, grid) >= 0 ||
		    first_infinite(f->curve_low, grid) >= 0 ||
		    first_infinite(f->curve_high, grid) >= 0)
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "the fit of '%s' overflows in segment "
			                      "'%.200s': rescale the column",
			                      r->summary->metrics[f->metric].name,
			                      segment_text(r, f->segment, segment,
			                                   sizeof segment));
	}
	for (i = 0; i < r->cap_count; i++) {
		const tact_dose_cap *c = &r->caps[i];
		const double v[] = {c->net_at_cap, c->net_at_zero, c->gain,
		                    c->gain_low, c->gain_high};
		if (c->status != TACT_DOSE_CAP_OK)
			continue;
		if (first_infinite(v, sizeof v / sizeof v[0]) >= 0 ||
		    first_infinite(c->curve, grid) >= 0 ||
		    first_infinite(c->curve_low, grid) >= 0 ||
		    first_infinite(c->curve_high, grid) >= 0)
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "the net value overflows in segment "
			                      "'%.200s': give smaller weights (any "
			                      "currency unit will do)",
			                      segment_text(r, c->segment, segment,
			                                   sizeof segment));
	}
	return TACT_OK;
}

/* The bin rows of every segment and outcome, suppressed and blanked. */
static tact_status tabulate_bins(tact_dose_result *result, tact_error *error)
{
	tact_status status = TACT_OK;
	size_t s, k;

	for (s = 0; s < result->segment_count && status == TACT_OK; s++)
		for (k = 0; k < result->outcome_count && status == TACT_OK; k++)
			status = tact_dose_tabulate(result, s, k, error);
	if (status != TACT_OK)
		return status;
	return tact_dose_protect(result, error);
}

/* The fit of every segment and outcome, with its bread in breads[i] and its
 * average over each bin. */
static tact_status fit_outcomes(tact_dose_result *result, double **breads,
                                tact_error *error)
{
	const size_t p = result->bin_count + 2;
	double *x = malloc(p * sizeof *x);
	tact_status status = TACT_OK;
	size_t s, k;

	if (!x)
		return tact_error_oom(error);
	for (s = 0; s < result->segment_count && status == TACT_OK; s++)
		for (k = 0; k < result->outcome_count && status == TACT_OK; k++) {
			size_t i = s * result->outcome_count + k;
			if (!(breads[i] = calloc(p * p, sizeof(double)))) {
				status = tact_error_oom(error);
				break;
			}
			result->fit_count = i + 1;
			if ((status = tact_dose_fit_outcome(result, s, k,
			                                    &result->fits[i], breads[i],
			                                    error)))
				break;
			tact_dose_bin_fitted(result, s, k, &result->fits[i], x);
		}
	free(x);
	return status;
}

/* The net value and the cap of every segment. */
static tact_status find_caps(tact_dose_result *result, double *const *breads,
                             const tact_dose_options *options,
                             tact_error *error)
{
	tact_status status = TACT_OK;
	size_t s;

	result->caps = calloc(result->segment_count, sizeof *result->caps);
	if (!result->caps)
		return tact_error_oom(error);
	for (s = 0; s < result->segment_count && status == TACT_OK; s++) {
		result->cap_count = s + 1;
		status = tact_dose_cap_segment(result, s, breads, options,
		                               &result->caps[s], error);
	}
	return status;
}

tact_status tact_dose_run(const tact_summary *summary,
                          const tact_dose_options *options,
                          tact_dose_result *result, tact_error *error)
{
	size_t s, count;
	double **breads = NULL;
	tact_status status;

	memset(result, 0, sizeof *result);
	result->summary = summary;
	result->transform = options->transform;
	result->confidence = options->confidence;
	result->min_cell = options->min_cell;
	result->seed = options->seed;
	if (!(options->confidence > 0 && options->confidence < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the confidence must lie between 0 and 1");
	if ((status = find_exposures(result, error)) ||
	    (status = choose_metrics(result, options, error)) ||
	    (status = tact_dose_choose_arms(result, options, error)) ||
	    (status = tact_dose_gather_cells(result, error)) ||
	    (status = tact_dose_choose_bins(result, options, error)))
		return status;
	count = result->segment_count * result->outcome_count;
	result->bin_rows = calloc(count * result->bin_count + 1,
	                          sizeof *result->bin_rows);
	result->fits = calloc(count + 1, sizeof *result->fits);
	breads = calloc(count + 1, sizeof *breads);
	if (!result->bin_rows || !result->fits || !breads) {
		status = tact_error_oom(error);
		goto done;
	}
	result->bin_row_count = count * result->bin_count;
	if ((status = tabulate_bins(result, error)) ||
	    (status = fit_outcomes(result, breads, error)))
		goto done;
	if (result->weight_count > 0)
		status = find_caps(result, breads, options, error);
done:
	if (status == TACT_OK)
		status = check_finite(result, error);
	if (breads)
		for (s = 0; s < count; s++)
			free(breads[s]);
	free(breads);
	return status;
}
