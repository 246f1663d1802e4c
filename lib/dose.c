/*
 * dose.c - outcomes against exposure frequency: bins, fitted curves, the
 * net value and the frequency cap (see dose.h for the methods and why).
 *
 * The work runs in stages over one result: gather the summary's groups of
 * the analysed arms into segments x exposure counts (cells); choose the
 * bins and the grid 0..max; tabulate the bins; fit every outcome of every
 * segment; then, under weights, the net value curve and the cap.
 */
#include "dose.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "load.h"
#include "means.h"
#include "numeric.h"
#include "parse.h"
#include "proportions.h"
#include "segments.h"
#include "weights.h"

static tact_status no_memory(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
}

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
static int parse_count(const char *text, size_t length, int64_t *value)
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
	const char *start = text;
	tact_dose_bin *bins = NULL;
	size_t count = 0;

	if (strncmp(text, "quantiles:", 10) == 0) {
		int64_t k;
		if (parse_count(text + 10, strlen(text + 10), &k) != 0 || k < 2 ||
		    k > 100)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--bins quantiles:K needs K from 2 to 100, "
			                      "got '%s'", text);
		options->quantile_bins = (unsigned)k;
		return TACT_OK;
	}
	for (;;) {
		const char *end = strchr(start, ',');
		size_t length = end ? (size_t)(end - start) : strlen(start);
		const char *dash = memchr(start, '-', length);
		tact_dose_bin bin;
		tact_dose_bin *grown;

		if (dash) {
			size_t rest = length - (size_t)(dash - start) - 1;
			if (parse_count(start, (size_t)(dash - start), &bin.low) != 0 ||
			    (rest > 0 && parse_count(dash + 1, rest, &bin.high) != 0))
				goto bad;
			if (rest == 0)
				bin.high = TACT_DOSE_OPEN;
			else if (bin.high < bin.low)
				goto bad;
		} else {
			if (parse_count(start, length, &bin.low) != 0)
				goto bad;
			bin.high = bin.low;
		}
		if (count > 0 && (bins[count - 1].high == TACT_DOSE_OPEN ||
		                  bin.low <= bins[count - 1].high)) {
			free(bins);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--bins must increase without overlapping, "
			                      "an open bin ('11-') last; got '%s'", text);
		}
		if (count == TACT_DOSE_MAX_BINS) {
			free(bins);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--bins: at most %d bins", TACT_DOSE_MAX_BINS);
		}
		grown = realloc(bins, (count + 1) * sizeof *grown);
		if (!grown) {
			free(bins);
			return no_memory(error);
		}
		bins = grown;
		bins[count++] = bin;
		if (!end)
			break;
		start = end + 1;
	}
	free(options->bins);
	options->bins = bins;
	options->bin_count = count;
	options->quantile_bins = 0;
	return TACT_OK;
bad:
	free(bins);
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
	                      "--bins expects counts and ranges such as "
	                      "'0,1,2,3-5,6-10,11-' or 'quantiles:5', got '%s'",
	                      text);
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
		return no_memory(error);
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
	if (bin.high == TACT_DOSE_OPEN)
		snprintf(out, size, "%lld-", (long long)bin.low);
	else if (bin.high == bin.low)
		snprintf(out, size, "%lld", (long long)bin.low);
	else
		snprintf(out, size, "%lld-%lld", (long long)bin.low,
		         (long long)bin.high);
}

static int in_bin(tact_dose_bin bin, int64_t e)
{
	return e >= bin.low && (bin.high == TACT_DOSE_OPEN || e <= bin.high);
}

/* ---- quantiles and the cap's search --------------------------------- */

int64_t tact_dose_quantile(const int64_t *values, const int64_t *counts,
                           size_t count, double q)
{
	double total = 0, running = 0;
	size_t i;

	for (i = 0; i < count; i++)
		total += (double)counts[i];
	for (i = 0; i < count; i++) {
		running += (double)counts[i];
		/* A relative slack so that 0.2 * 10 units reaches the second
		 * unit's value despite rounding. */
		if (running >= q * total * (1 - 1e-12) && counts[i] > 0)
			return values[i];
	}
	return count ? values[count - 1] : 0;
}

tact_status tact_dose_quantile_bins(const int64_t *values,
                                    const int64_t *counts, size_t count,
                                    unsigned k, tact_dose_bin **bins,
                                    size_t *bin_count, tact_error *error)
{
	int64_t total = 0, first = -1, last = -1, previous;
	tact_dose_bin *out;
	size_t i, n = 0;
	unsigned j;

	*bins = NULL;
	*bin_count = 0;
	for (i = 0; i < count; i++) {
		total += counts[i];
		if (counts[i] > 0) {
			if (first < 0)
				first = values[i];
			last = values[i];
		}
	}
	if (total == 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "no units with an exposure count to bin");
	out = calloc(k, sizeof *out);
	if (!out)
		return no_memory(error);
	previous = first - 1;
	for (j = 1; j < k; j++) {
		int64_t cut = tact_dose_quantile(values, counts, count,
		                                 (double)j / (double)k);
		/* A tie repeats a cut; a cut at the largest count would leave the
		 * open last bin empty. */
		if (cut <= previous || cut >= last)
			continue;
		out[n].low = previous + 1;
		out[n].high = cut;
		n++;
		previous = cut;
	}
	out[n].low = previous + 1;
	out[n].high = TACT_DOSE_OPEN;
	*bins = out;
	*bin_count = n + 1;
	return TACT_OK;
}

long tact_dose_argmax(const double *curve, size_t length)
{
	long best = -1;
	size_t e;

	for (e = 0; e < length; e++)
		if (!isnan(curve[e]) && (best < 0 || curve[e] > curve[best]))
			best = (long)e;
	return best;
}

/* ---- gathering ---------------------------------------------------- */

typedef struct gather {
	tact_dose_result *result;
	size_t *capacity;           /* per segment: cells allocated */
	size_t segment_capacity;
} gather;

static void free_cell(tact_dose_cell *cell)
{
	free(cell->metrics);
	free(cell->pairs);
}

static void release_fit(tact_dose_fit *fit)
{
	free(fit->term_bins);
	free(fit->coefficients);
	free(fit->standard_errors);
	free(fit->z);
	free(fit->p_values);
	free(fit->covariance);
	free(fit->curve);
	free(fit->curve_low);
	free(fit->curve_high);
}

void tact_dose_result_release(tact_dose_result *result)
{
	size_t s, c, d, i;

	for (s = 0; s < result->segment_count; s++) {
		tact_dose_segment *seg = &result->segments[s];
		for (c = 0; c < seg->cell_count; c++)
			free_cell(&seg->cells[c]);
		free(seg->cells);
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
		release_fit(&result->fits[i]);
	free(result->fits);
	for (i = 0; i < result->cap_count; i++) {
		free(result->caps[i].curve);
		free(result->caps[i].curve_low);
		free(result->caps[i].curve_high);
	}
	free(result->caps);
	memset(result, 0, sizeof *result);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int arm_listed(const tact_dose_result *result, const char *arm)
{
	size_t a;

	for (a = 0; a < result->arm_count; a++)
		if (strcmp(result->arms[a], arm) == 0)
			return 1;
	return 0;
}

static int summary_has_arm(const tact_summary *summary, const char *arm)
{
	size_t g;

	for (g = 0; g < summary->group_count; g++)
		if (strcmp(summary->groups[g].arm, arm) == 0)
			return 1;
	return 0;
}

static tact_status add_arm(tact_dose_result *result, const char *arm,
                           tact_error *error)
{
	char **grown;

	if (arm_listed(result, arm))
		return TACT_OK;
	grown = realloc(result->arms, (result->arm_count + 1) * sizeof *grown);
	if (!grown)
		return no_memory(error);
	result->arms = grown;
	if (!(grown[result->arm_count] = strdup(arm)))
		return no_memory(error);
	result->arm_count++;
	return TACT_OK;
}

/* The analysed arms: all, the listed ones, or every arm but the control. */
static tact_status choose_arms(tact_dose_result *result,
                               const tact_dose_options *options,
                               tact_error *error)
{
	const tact_summary *summary = result->summary;
	char list[512];
	size_t g, i;
	tact_status status;

	tact_load_arm_list(summary, list, sizeof list);
	for (i = 0; i < options->arms.count; i++) {
		if (!summary_has_arm(summary, options->arms.items[i]))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "--arms: no arm '%s' in the data; the arms "
			                      "are: %s", options->arms.items[i], list);
		if ((status = add_arm(result, options->arms.items[i], error)))
			return status;
	}
	if (options->arms.count == 0) {
		if (!options->all_arms &&
		    (!summary->control || !summary_has_arm(summary, summary->control)))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "no control arm '%s' to leave out: name it "
			                      "with --control, or choose the arms with "
			                      "--arms (all, or labels); the arms are: %s",
			                      summary->control ? summary->control
			                                       : "control", list);
		for (g = 0; g < summary->group_count; g++) {
			const char *arm = summary->groups[g].arm;
			if (!options->all_arms && strcmp(arm, summary->control) == 0)
				continue;
			if ((status = add_arm(result, arm, error)))
				return status;
		}
		if (result->arm_count == 0)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "no arm besides the control '%s': give "
			                      "--arms all to analyse it",
			                      summary->control);
	}
	qsort(result->arms, result->arm_count, sizeof *result->arms,
	      compare_strings);
	return TACT_OK;
}

static tact_status append_cell(gather *g, size_t s, int64_t exposures,
                               const tact_summary_group *group,
                               tact_error *error)
{
	tact_dose_result *result = g->result;
	const tact_summary *summary = result->summary;
	tact_dose_segment *seg = &result->segments[s];
	tact_dose_cell *cell;

	if (seg->cell_count == g->capacity[s]) {
		size_t capacity = g->capacity[s] ? 2 * g->capacity[s] : 16;
		tact_dose_cell *grown = realloc(seg->cells, capacity * sizeof *grown);
		if (!grown)
			return no_memory(error);
		seg->cells = grown;
		g->capacity[s] = capacity;
	}
	cell = &seg->cells[seg->cell_count];
	memset(cell, 0, sizeof *cell);
	cell->metrics = malloc((summary->metric_count + 1) * sizeof *cell->metrics);
	cell->pairs = malloc((summary->pair_count + 1) * sizeof *cell->pairs);
	if (!cell->metrics || !cell->pairs) {
		free_cell(cell);
		return no_memory(error);
	}
	seg->cell_count++;
	cell->exposures = exposures;
	cell->units = group->units;
	memcpy(cell->metrics, group->metrics,
	       summary->metric_count * sizeof *cell->metrics);
	memcpy(cell->pairs, group->pairs, summary->pair_count * sizeof *cell->pairs);
	seg->units += group->units;
	return TACT_OK;
}

static int same_segment(const tact_dose_result *result,
                        const tact_dose_segment *seg,
                        const tact_summary_group *group)
{
	size_t d;

	for (d = 0; d < result->dimensions; d++)
		if (strcmp(seg->labels[d], group->labels[d]) != 0)
			return 0;
	return 1;
}

static tact_status new_segment(gather *g, const tact_summary_group *group,
                               size_t *index, tact_error *error)
{
	tact_dose_result *result = g->result;
	tact_dose_segment *seg;
	size_t d;

	if (result->segment_count == g->segment_capacity) {
		size_t capacity = g->segment_capacity ? 2 * g->segment_capacity : 8;
		tact_dose_segment *grown =
			realloc(result->segments, capacity * sizeof *grown);
		size_t *caps = realloc(g->capacity, capacity * sizeof *caps);
		if (grown)
			result->segments = grown;
		if (caps)
			g->capacity = caps;
		if (!grown || !caps)
			return no_memory(error);
		g->segment_capacity = capacity;
	}
	seg = &result->segments[result->segment_count];
	memset(seg, 0, sizeof *seg);
	g->capacity[result->segment_count] = 0;
	*index = result->segment_count++;
	seg->pooled = group == NULL;
	seg->labels = calloc(result->dimensions + 1, sizeof *seg->labels);
	if (!seg->labels)
		return no_memory(error);
	for (d = 0; d < result->dimensions; d++)
		if (!(seg->labels[d] = strdup(group ? group->labels[d]
		                                    : TACT_POOLED_LABEL)))
			return no_memory(error);
	return TACT_OK;
}

static int compare_cells(const void *a, const void *b)
{
	const tact_dose_cell *x = a, *y = b;
	return (x->exposures > y->exposures) - (x->exposures < y->exposures);
}

/* Sort a segment's cells by exposure count and add up those of one count
 * (from several arms, or several segments for the pooled one). */
static void merge_cells(const tact_summary *summary, tact_dose_segment *seg)
{
	size_t c, out = 0, i;

	if (seg->cell_count == 0)
		return;
	qsort(seg->cells, seg->cell_count, sizeof *seg->cells, compare_cells);
	for (c = 1; c < seg->cell_count; c++) {
		tact_dose_cell *into = &seg->cells[out], *from = &seg->cells[c];
		if (from->exposures != into->exposures) {
			seg->cells[++out] = *from;
			continue;
		}
		into->units += from->units;
		for (i = 0; i < summary->metric_count; i++)
			into->metrics[i] = tact_moments_combine(into->metrics[i],
			                                        from->metrics[i]);
		for (i = 0; i < summary->pair_count; i++)
			into->pairs[i] = tact_comoments_combine(into->pairs[i],
			                                        from->pairs[i]);
		free_cell(from);
	}
	seg->cell_count = out + 1;
}

static tact_status gather_cells(tact_dose_result *result, tact_error *error)
{
	const tact_summary *summary = result->summary;
	const size_t last = summary->dimensions - 1;
	gather g;
	size_t i, pooled, current = 0;
	tact_status status = TACT_OK;

	memset(&g, 0, sizeof g);
	g.result = result;
	if ((status = new_segment(&g, NULL, &pooled, error)))
		goto done;
	for (i = 0; i < summary->group_count; i++) {
		const tact_summary_group *group = &summary->groups[i];
		const char *label = group->labels[last];
		int64_t exposures;
		size_t s;

		if (!arm_listed(result, group->arm) || group->units == 0)
			continue;
		if (label[0] == '\0') {
			result->missing_exposures += group->units;
			continue;
		}
		if (parse_count(label, strlen(label), &exposures) != 0) {
			status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                        "the exposure segment '%s' holds '%s', "
			                        "not a count of exposures",
			                        summary->dimension_names[last], label);
			goto done;
		}
		if ((status = append_cell(&g, pooled, exposures, group, error)))
			goto done;
		result->units += group->units;
		if (result->dimensions == 0)
			continue;
		/* Groups come sorted by labels: one segment's are contiguous;
		 * look further back only in case they are not. */
		if (current == 0 ||
		    !same_segment(result, &result->segments[current], group)) {
			for (s = 1; s < result->segment_count; s++)
				if (same_segment(result, &result->segments[s], group))
					break;
			if (s == result->segment_count &&
			    (status = new_segment(&g, group, &s, error)))
				goto done;
			current = s;
		}
		if ((status = append_cell(&g, current, exposures, group, error)))
			goto done;
	}
	for (i = 0; i < result->segment_count; i++)
		merge_cells(summary, &result->segments[i]);
	if (result->units == 0)
		status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                        "no unit with an exposure count in the "
		                        "analysed arms");
done:
	free(g.capacity);
	return status;
}

/* ---- setup: metrics, weights, bins, the grid ------------------------ */

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
		return no_memory(error);
	for (m = 0; m < summary->metric_count; m++)
		if (summary->metrics[m].role != TACT_ROLE_EXPOSURES)
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

static tact_status choose_bins(tact_dose_result *result,
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
		return no_memory(error);
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
			status = no_memory(error);
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

/* ---- models --------------------------------------------------------- */

static int is_rate(const tact_summary *summary, size_t metric)
{
	return summary->metrics[metric].binary &&
	       summary->metrics[metric].role != TACT_ROLE_VALUE;
}

static long bin_of(const tact_dose_result *result, int64_t e)
{
	size_t b;

	for (b = 0; b < result->bin_count; b++)
		if (in_bin(result->bins[b], e))
			return (long)b;
	return -1;
}

/*
 * The design row of exposure count e for a fit: x[0] = 1 (intercept), then
 * the terms.  Returns 0, or -1 when e has no row (categorical: its bin is
 * not fitted).
 */
static int design(const tact_dose_result *result, const tact_dose_fit *fit,
                  int64_t e, double *x)
{
	size_t j;
	long b;

	x[0] = 1;
	switch (result->transform) {
	case TACT_DOSE_LOG:
		x[1] = log1p((double)e);
		return 0;
	case TACT_DOSE_LINEAR:
		x[1] = (double)e;
		return 0;
	case TACT_DOSE_CATEGORICAL:
		break;
	}
	b = bin_of(result, e);
	if (b < 0)
		return -1;
	for (j = 1; j < fit->parameters; j++)
		x[j] = fit->term_bins[j] == (size_t)b;
	if ((size_t)b == fit->term_bins[0])
		return 0;
	for (j = 1; j < fit->parameters; j++)
		if (x[j] != 0)
			return 0;
	return -1;
}

static double linear_predictor(const tact_dose_fit *fit, const double *beta,
                               const double *x)
{
	double eta = 0;
	size_t j;

	for (j = 0; j < fit->parameters; j++)
		eta += beta[j] * x[j];
	return eta;
}

static double mean_of(const tact_dose_fit *fit, double eta)
{
	if (!fit->logistic)
		return eta;
	return eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta));
}

/* d mean / d eta */
static double slope_of(const tact_dose_fit *fit, double eta)
{
	double p;

	if (!fit->logistic)
		return 1;
	p = mean_of(fit, eta);
	return p * (1 - p);
}

static double quadratic(const double *v, size_t n, const double *a,
                        const double *b)
{
	double total = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			total += a[i] * v[i * n + j] * b[j];
	return total;
}

static tact_status alloc_fit(tact_dose_fit *fit, size_t parameters,
                             size_t grid, tact_error *error)
{
	fit->parameters = parameters;
	fit->coefficients = calloc(parameters, sizeof(double));
	fit->standard_errors = calloc(parameters, sizeof(double));
	fit->z = calloc(parameters, sizeof(double));
	fit->p_values = calloc(parameters, sizeof(double));
	fit->covariance = calloc(parameters * parameters, sizeof(double));
	fit->curve = malloc(grid * sizeof(double));
	fit->curve_low = malloc(grid * sizeof(double));
	fit->curve_high = malloc(grid * sizeof(double));
	if (!fit->coefficients || !fit->standard_errors || !fit->z ||
	    !fit->p_values || !fit->covariance || !fit->curve ||
	    !fit->curve_low || !fit->curve_high)
		return no_memory(error);
	return TACT_OK;
}

static void fail_fit(tact_dose_fit *fit, tact_dose_fit_status status,
                     const char *note)
{
	fit->status = status;
	snprintf(fit->note, sizeof fit->note, "%s", note);
}

/* The rows of a fit: cells with values of the metric (and, categorical, in
 * a fitted bin).  x is rows x parameters. */
typedef struct design_rows {
	size_t rows;
	double *x, *successes, *trials;
	const tact_dose_cell **cells;
} design_rows;

static void release_rows(design_rows *d)
{
	free(d->x);
	free(d->successes);
	free(d->trials);
	free((void *)d->cells);
}

static tact_status build_rows(const tact_dose_result *result,
                              const tact_dose_segment *seg,
                              const tact_dose_fit *fit, design_rows *d,
                              tact_error *error)
{
	const size_t p = fit->parameters, n = seg->cell_count + 1;
	size_t c;

	memset(d, 0, sizeof *d);
	d->x = malloc(n * p * sizeof(double));
	d->successes = malloc(n * sizeof(double));
	d->trials = malloc(n * sizeof(double));
	d->cells = malloc(n * sizeof *d->cells);
	if (!d->x || !d->successes || !d->trials || !d->cells)
		return no_memory(error);
	for (c = 0; c < seg->cell_count; c++) {
		const tact_dose_cell *cell = &seg->cells[c];
		const tact_moments *m = &cell->metrics[fit->metric];
		if (m->n == 0 || design(result, fit, cell->exposures,
		                        d->x + d->rows * p) != 0)
			continue;
		d->successes[d->rows] = m->sum;
		d->trials[d->rows] = (double)m->n;
		d->cells[d->rows] = cell;
		d->rows++;
	}
	return TACT_OK;
}

static tact_status fit_logistic(const design_rows *d, tact_dose_fit *fit,
                                tact_error *error)
{
	tact_logistic_data data;
	tact_logistic_model model;
	tact_error fit_error;
	tact_status status;
	size_t j, r;

	memset(&data, 0, sizeof data);
	data.rows = d->rows;
	data.features = fit->parameters - 1;
	/* logistic.c wants the features without the intercept column. */
	{
		double *x = malloc((d->rows * data.features + 1) * sizeof *x);
		if (!x)
			return no_memory(error);
		for (r = 0; r < d->rows; r++)
			for (j = 1; j < fit->parameters; j++)
				x[r * data.features + j - 1] = d->x[r * fit->parameters + j];
		data.x = data.features ? x : NULL;
		data.successes = d->successes;
		data.trials = d->trials;
		tact_logistic_model_init(&model);
		tact_error_init(&fit_error);
		status = tact_logistic_fit(&data, NULL, &model, &fit_error);
		free(x);
	}
	if (status == TACT_DATA) {
		fail_fit(fit, TACT_DOSE_FIT_FAILED, fit_error.message);
		return TACT_OK;
	}
	if (status != TACT_OK) {
		*error = fit_error;
		return status;
	}
	for (j = 0; j < fit->parameters; j++) {
		fit->coefficients[j] = model.coefficients[j];
		fit->standard_errors[j] = model.standard_errors[j];
		fit->z[j] = model.z[j];
		fit->p_values[j] = model.p_values[j];
	}
	memcpy(fit->covariance, model.covariance,
	       fit->parameters * fit->parameters * sizeof(double));
	fit->iterations = model.iterations;
	fit->converged = model.converged;
	fit->log_likelihood = model.log_likelihood;
	fit->deviance = model.deviance;
	fit->null_deviance = model.null_deviance;
	if (!model.converged)
		snprintf(fit->note, sizeof fit->note,
		         "did not converge in %zu iterations", model.iterations);
	tact_logistic_model_release(&model);
	return TACT_OK;
}

/* Invert the symmetric positive definite p x p matrix a in place.
 * Returns GSL's status (GSL_EDOM when not positive definite). */
static int invert_spd(double *a, size_t p)
{
	gsl_matrix_view view = gsl_matrix_view_array(a, p, p);
	int status = gsl_linalg_cholesky_decomp1(&view.matrix);

	if (status != GSL_SUCCESS)
		return status;
	return gsl_linalg_cholesky_invert(&view.matrix);
}

/*
 * Least squares from the per-count moments.  For units i at count c with
 * design row x_c: X'X = sum n_c x_c x_c', X'y = sum x_c sum_c, and the
 * squared residuals of a count add up to m2_c + n_c (mean_c - fit_c)^2,
 * which gives the residual sum of squares and the HC1 meat exactly.
 */
static tact_status fit_least_squares(const design_rows *d, tact_dose_fit *fit,
                                     double *bread, tact_error *error)
{
	const size_t p = fit->parameters;
	double *xty = calloc(p, sizeof *xty), *meat = calloc(p * p, sizeof *meat);
	double n = 0, rss = 0;
	tact_moments total = {0, 0, 0};
	size_t r, i, j, k;
	int gsl_status;

	if (!xty || !meat) {
		free(xty);
		free(meat);
		return no_memory(error);
	}
	memset(bread, 0, p * p * sizeof *bread);
	for (r = 0; r < d->rows; r++) {
		const double *x = d->x + r * p;
		const tact_moments *m = &d->cells[r]->metrics[fit->metric];
		for (i = 0; i < p; i++) {
			xty[i] += x[i] * m->sum;
			for (j = 0; j < p; j++)
				bread[i * p + j] += (double)m->n * x[i] * x[j];
		}
		n += (double)m->n;
		total = tact_moments_combine(total, *m);
	}
	if (n <= (double)p) {
		free(xty);
		free(meat);
		fail_fit(fit, TACT_DOSE_FIT_FAILED,
		         "too few values for a least-squares fit");
		return TACT_OK;
	}
	gsl_status = invert_spd(bread, p);
	if (gsl_status == GSL_EDOM) {
		free(xty);
		free(meat);
		fail_fit(fit, TACT_DOSE_FIT_FAILED,
		         "the exposure terms are constant or collinear (too few "
		         "distinct exposure counts)");
		return TACT_OK;
	}
	if (tact_numeric_check(gsl_status, "least-squares inverse", error)) {
		free(xty);
		free(meat);
		return TACT_SOFTWARE;
	}
	for (i = 0; i < p; i++) {
		fit->coefficients[i] = 0;
		for (j = 0; j < p; j++)
			fit->coefficients[i] += bread[i * p + j] * xty[j];
	}
	for (r = 0; r < d->rows; r++) {
		const double *x = d->x + r * p;
		const tact_moments *m = &d->cells[r]->metrics[fit->metric];
		double residual = m->sum / (double)m->n -
		                  linear_predictor(fit, fit->coefficients, x);
		double squares = m->m2 + (double)m->n * residual * residual;
		rss += squares;
		for (i = 0; i < p; i++)
			for (j = 0; j < p; j++)
				meat[i * p + j] += squares * x[i] * x[j];
	}
	/* HC1: bread meat bread * n / (n - p). */
	for (i = 0; i < p; i++)
		for (j = 0; j < p; j++) {
			double v = 0;
			size_t l;
			for (k = 0; k < p; k++)
				for (l = 0; l < p; l++)
					v += bread[i * p + k] * meat[k * p + l] * bread[l * p + j];
			fit->covariance[i * p + j] = v * n / (n - (double)p);
		}
	for (i = 0; i < p; i++) {
		fit->standard_errors[i] = sqrt(fit->covariance[i * p + i]);
		fit->z[i] = fit->coefficients[i] / fit->standard_errors[i];
		fit->p_values[i] = isnan(fit->z[i]) ? NAN
		                   : 2 * gsl_cdf_ugaussian_Q(fabs(fit->z[i]));
	}
	fit->converged = 1;
	fit->iterations = 0;
	fit->log_likelihood = NAN;
	fit->deviance = rss;
	fit->null_deviance = total.m2;
	free(xty);
	free(meat);
	return TACT_OK;
}

/* The fitted value and its delta-method interval at e. */
static void predict(const tact_dose_result *result, const tact_dose_fit *fit,
                    int64_t e, double z, double *x, double *value,
                    double *low, double *high)
{
	double eta, se;

	*value = *low = *high = NAN;
	if (fit->status != TACT_DOSE_FIT_OK || design(result, fit, e, x) != 0)
		return;
	eta = linear_predictor(fit, fit->coefficients, x);
	se = sqrt(fmax(0, quadratic(fit->covariance, fit->parameters, x, x)));
	*value = mean_of(fit, eta);
	*low = mean_of(fit, eta - z * se);
	*high = mean_of(fit, eta + z * se);
}

/*
 * A bin where no unit (or every unit) had the outcome has infinite
 * log-odds: say which, rather than the logistic fit's general message
 * about separation.  Returns 1 (the fit failed) or 0.
 */
static int separated_bin(const tact_dose_result *result, tact_dose_fit *fit,
                         const design_rows *d)
{
	size_t j, r;

	for (j = 0; j < fit->parameters; j++) {
		double successes = 0, trials = 0;
		char label[64];
		for (r = 0; r < d->rows; r++)
			if (bin_of(result, d->cells[r]->exposures) ==
			    (long)fit->term_bins[j]) {
				successes += d->successes[r];
				trials += d->trials[r];
			}
		if (successes > 0 && successes < trials)
			continue;
		tact_dose_bin_label(result->bins[fit->term_bins[j]], label,
		                    sizeof label);
		snprintf(fit->note, sizeof fit->note,
		         "%s units in bin %s had '%.200s': its log-odds are "
		         "infinite; merge it with a neighbour (--bins)",
		         successes > 0 ? "all" : "no", label,
		         result->summary->metrics[fit->metric].name);
		fit->status = TACT_DOSE_FIT_FAILED;
		return 1;
	}
	return 0;
}

static tact_status fit_one(tact_dose_result *result, size_t s, size_t k,
                           tact_dose_fit *fit, double *bread,
                           tact_error *error)
{
	const tact_summary *summary = result->summary;
	const tact_dose_segment *seg = &result->segments[s];
	const size_t metric = result->outcomes[k];
	const size_t grid = (size_t)result->max_exposures + 1;
	const double z = gsl_cdf_ugaussian_Pinv(0.5 + result->confidence / 2);
	size_t parameters = 2, b, e;
	int64_t n = 0;
	double *x;
	design_rows rows;
	tact_status status;

	fit->segment = s;
	fit->metric = metric;
	fit->logistic = is_rate(summary, metric);
	fit->status = TACT_DOSE_FIT_OK;
	fit->log_likelihood = fit->deviance = fit->null_deviance = NAN;
	if (result->transform == TACT_DOSE_CATEGORICAL) {
		/* Bins shown in the table, the first the reference. */
		const tact_dose_bin_row *row =
			&result->bin_rows[(s * result->outcome_count + k) *
			                  result->bin_count];
		fit->term_bins = malloc((result->bin_count + 1) * sizeof(size_t));
		if (!fit->term_bins)
			return no_memory(error);
		parameters = 0;
		for (b = 0; b < result->bin_count; b++)
			if (!row[b].suppressed)
				fit->term_bins[parameters++] = b;
	}
	if ((status = alloc_fit(fit, parameters ? parameters : 1, grid, error)))
		return status;
	for (e = 0; e < grid; e++)
		fit->curve[e] = fit->curve_low[e] = fit->curve_high[e] = NAN;
	{
		size_t c;
		for (c = 0; c < seg->cell_count; c++)
			n += seg->cells[c].metrics[metric].n;
	}
	fit->n = n;
	if (n < result->min_cell || seg->suppressed) {
		fail_fit(fit, TACT_DOSE_FIT_SUPPRESSED,
		         seg->suppressed && seg->units >= result->min_cell
		         ? "hidden so that smaller segments cannot be recovered"
		         : "fewer than min-cell values");
		fit->n = -1;
		return TACT_OK;
	}
	if (parameters == 0) {
		fail_fit(fit, TACT_DOSE_FIT_FAILED, "no bin with enough values");
		return TACT_OK;
	}
	if ((status = build_rows(result, seg, fit, &rows, error))) {
		release_rows(&rows);
		return status;
	}
	if (result->transform != TACT_DOSE_CATEGORICAL && rows.rows > 0 &&
	    rows.cells[rows.rows - 1]->exposures == rows.cells[0]->exposures) {
		/* Rows follow the cells' increasing counts: one count only. */
		snprintf(fit->note, sizeof fit->note,
		         "every unit has %lld exposures: no curve to fit (the "
		         "control sees none; see --arms)",
		         (long long)rows.cells[0]->exposures);
		fit->status = TACT_DOSE_FIT_FAILED;
		release_rows(&rows);
		return TACT_OK;
	}
	if (fit->logistic && result->transform == TACT_DOSE_CATEGORICAL &&
	    separated_bin(result, fit, &rows)) {
		release_rows(&rows);
		return TACT_OK;
	}
	if (fit->logistic) {
		status = fit_logistic(&rows, fit, error);
		if (status == TACT_OK && fit->status == TACT_DOSE_FIT_OK) {
			/* The bread of the cross-covariance: the inverse information,
			 * which is the model's covariance. */
			memcpy(bread, fit->covariance,
			       parameters * parameters * sizeof *bread);
		}
	} else
		status = fit_least_squares(&rows, fit, bread, error);
	release_rows(&rows);
	if (status != TACT_OK || fit->status != TACT_DOSE_FIT_OK)
		return status;
	x = malloc(parameters * sizeof *x);
	if (!x)
		return no_memory(error);
	for (e = 0; e < grid; e++)
		predict(result, fit, (int64_t)e, z, x, &fit->curve[e],
		        &fit->curve_low[e], &fit->curve_high[e]);
	free(x);
	return TACT_OK;
}

/* ---- bins ----------------------------------------------------------- */

/* The bins of one segment and outcome, before suppression: every figure,
 * and suppressed set for bins with fewer than min_cell units or values. */
static tact_status tabulate(tact_dose_result *result, size_t s, size_t k,
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
			if (!in_bin(result->bins[b], cell->exposures))
				continue;
			units += cell->units;
			exposure_total += (double)cell->units * (double)cell->exposures;
			m = tact_moments_combine(m, cell->metrics[metric]);
		}
		row->units = units;
		row->n = m.n;
		row->suppressed = seg->suppressed || units < result->min_cell ||
		                  m.n < result->min_cell;
		if (units > 0)
			row->mean_exposures = exposure_total / (double)units;
		if (m.n == 0)
			continue;
		row->mean = m.sum / (double)m.n;
		if (is_rate(summary, metric)) {
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

/* ---- suppression ------------------------------------------------------ */

/*
 * Complementary suppression.  A hidden cell must not be recoverable by
 * subtraction from what is shown: a segment's units (shown) minus its
 * shown bins, or the pooled segment's bin minus the other segments' shown
 * bins.  So, per outcome, while such a difference is between 1 and
 * min_cell - 1 units (or values), the smallest bin still shown in that
 * segment (or, for a bin, the smallest segment still showing it) is hidden
 * too.  Before that, segments: while the segments hidden for having fewer
 * than min_cell units add up to fewer than min_cell, the next smallest is
 * hidden whole (the pooled segment minus the others would give them away).
 */
static void suppress_segments(tact_dose_result *result)
{
	int64_t hidden = 0;
	size_t s;

	for (s = 1; s < result->segment_count; s++)
		if (result->segments[s].units < result->min_cell) {
			result->segments[s].suppressed = 1;
			hidden += result->segments[s].units;
		}
	if (result->segments[0].units < result->min_cell)
		result->segments[0].suppressed = 1;
	while (hidden > 0 && hidden < result->min_cell) {
		size_t smallest = 0;
		for (s = 1; s < result->segment_count; s++)
			if (!result->segments[s].suppressed &&
			    (smallest == 0 ||
			     result->segments[s].units < result->segments[smallest].units))
				smallest = s;
		if (smallest == 0)
			break;
		result->segments[smallest].suppressed = 1;
		hidden += result->segments[smallest].units;
	}
}

static int too_few(const tact_dose_result *result, int64_t count)
{
	return count > 0 && count < result->min_cell;
}

/* Hide the smallest shown row among rows[0..count) with a stride; returns
 * 1 when one was hidden. */
static int hide_smallest(tact_dose_bin_row *rows, size_t count, size_t stride)
{
	tact_dose_bin_row *smallest = NULL;
	size_t i;

	for (i = 0; i < count; i++) {
		tact_dose_bin_row *row = &rows[i * stride];
		if (!row->suppressed && (!smallest || row->units < smallest->units))
			smallest = row;
	}
	if (!smallest)
		return 0;
	smallest->suppressed = 1;
	return 1;
}

static void suppress_bins(tact_dose_result *result)
{
	const size_t B = result->bin_count, K = result->outcome_count;
	int changed = 1;
	size_t s, k, b, i;

	while (changed) {
		changed = 0;
		for (k = 0; k < K; k++) {
			/* Within a segment: its units and values less its shown bins. */
			for (s = 0; s < result->segment_count; s++) {
				tact_dose_bin_row *rows = &result->bin_rows[(s * K + k) * B];
				const tact_dose_segment *seg = &result->segments[s];
				int64_t units = seg->units, n = 0;
				size_t c;
				if (seg->suppressed)
					continue;
				for (c = 0; c < seg->cell_count; c++)
					n += seg->cells[c].metrics[result->outcomes[k]].n;
				for (b = 0; b < B; b++)
					if (!rows[b].suppressed) {
						units -= rows[b].units;
						n -= rows[b].n;
					}
				if ((too_few(result, units) || too_few(result, n)) &&
				    hide_smallest(rows, B, 1))
					changed = 1;
			}
			/* Within a bin: the pooled bin less the segments' shown ones. */
			for (b = 0; b < B && result->segment_count > 1; b++) {
				const tact_dose_bin_row *pooled = &result->bin_rows[k * B + b];
				tact_dose_bin_row *first = &result->bin_rows[(K + k) * B + b];
				int64_t units = pooled->units, n = pooled->n;
				if (pooled->suppressed)
					continue;
				for (i = 0; i + 1 < result->segment_count; i++)
					if (!first[i * K * B].suppressed) {
						units -= first[i * K * B].units;
						n -= first[i * K * B].n;
					}
				if ((too_few(result, units) || too_few(result, n)) &&
				    hide_smallest(first, result->segment_count - 1, K * B))
					changed = 1;
			}
		}
	}
}

/* Blank every figure of the hidden bins. */
static void blank_bins(tact_dose_result *result)
{
	size_t i;

	for (i = 0; i < result->bin_row_count; i++) {
		tact_dose_bin_row *row = &result->bin_rows[i];
		if (!row->suppressed)
			continue;
		row->units = row->n = -1;
		row->mean_exposures = row->mean = row->low = row->high = NAN;
		result->suppressed++;
	}
}

/* The fitted values averaged over each bin's units (once fitted). */
static void bin_fitted(tact_dose_result *result, size_t s, size_t k,
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
			if (!in_bin(result->bins[b], cell->exposures) || n == 0 ||
			    design(result, fit, cell->exposures, x) != 0)
				continue;
			total += n * mean_of(fit, linear_predictor(fit, fit->coefficients,
			                                           x));
			weight += n;
		}
		row->fitted = weight > 0 ? total / weight : NAN;
	}
}

/* ---- net value and the cap ------------------------------------------ */

typedef struct joint {
	size_t models;              /* weighted metrics */
	tact_dose_fit **fits;       /* per model */
	const double **breads;      /* per model: A^-1 */
	size_t *offset;             /* per model: first parameter */
	size_t parameters;          /* total */
	double *covariance;         /* parameters^2 */
	double *factor;             /* lower Cholesky factor */
	double *gradient, *gradient_zero, *x;
} joint;

static void release_joint(joint *j)
{
	free(j->fits);
	free((void *)j->breads);
	free(j->offset);
	free(j->covariance);
	free(j->factor);
	free(j->gradient);
	free(j->gradient_zero);
	free(j->x);
}

/* The summed cross-products of the residuals of models a and b over the
 * units of one cell: c + n (mean_a - fit_a)(mean_b - fit_b), from the
 * pair's co-moments (units where both are present). */
static double cross_residuals(const tact_dose_result *result,
                              const tact_dose_cell *cell,
                              const tact_dose_fit *a, double fit_a,
                              const tact_dose_fit *b, double fit_b)
{
	const tact_summary *summary = result->summary;
	const tact_comoments *pair =
		&cell->pairs[tact_summary_pair(summary, a->metric, b->metric)];
	double mean_a, mean_b;

	if (pair->n == 0)
		return 0;
	mean_a = (a->metric < b->metric ? pair->sum_a : pair->sum_b) /
	         (double)pair->n;
	mean_b = (a->metric < b->metric ? pair->sum_b : pair->sum_a) /
	         (double)pair->n;
	return pair->c + (double)pair->n * (mean_a - fit_a) * (mean_b - fit_b);
}

/*
 * The joint covariance of the stacked coefficients of the weighted models:
 * the sandwich A_a^-1 B_ab A_b^-1 for every pair of models, a model with
 * itself included, where A^-1 is the model's bread (inverse information,
 * or (X'X)^-1) and B_ab sums x_a x_b' times the residual cross-products of
 * each exposure count.  Using the sandwich on the diagonal too keeps the
 * whole positive semi-definite (a mix of model-based diagonal blocks and
 * sandwich cross blocks need not be: conversion and revenue are nearly
 * collinear).
 */
static tact_status joint_covariance(const tact_dose_result *result,
                                    const tact_dose_segment *seg, joint *j,
                                    tact_error *error)
{
	const size_t P = j->parameters;
	size_t m, l, i, k, c;
	double *xa = malloc((P + 1) * sizeof *xa), *xb = malloc((P + 1) * sizeof *xb);
	double *meat = malloc((P * P + 1) * sizeof *meat);

	if (!xa || !xb || !meat) {
		free(xa);
		free(xb);
		free(meat);
		return no_memory(error);
	}
	for (m = 0; m < j->models; m++) {
		const tact_dose_fit *a = j->fits[m];
		for (l = m; l < j->models; l++) {
			const tact_dose_fit *b = j->fits[l];
			const size_t pa = a->parameters, pb = b->parameters;
			memset(meat, 0, pa * pb * sizeof *meat);
			for (c = 0; c < seg->cell_count; c++) {
				const tact_dose_cell *cell = &seg->cells[c];
				double fa, fb, s;
				if (cell->metrics[a->metric].n == 0 ||
				    cell->metrics[b->metric].n == 0 ||
				    design(result, a, cell->exposures, xa) != 0 ||
				    design(result, b, cell->exposures, xb) != 0)
					continue;
				fa = mean_of(a, linear_predictor(a, a->coefficients, xa));
				fb = mean_of(b, linear_predictor(b, b->coefficients, xb));
				if (l == m) {
					/* A model with itself: its squared residuals. */
					const tact_moments *mm = &cell->metrics[a->metric];
					double gap = mm->sum / (double)mm->n - fa;
					s = mm->m2 + (double)mm->n * gap * gap;
				} else
					s = cross_residuals(result, cell, a, fa, b, fb);
				for (i = 0; i < pa; i++)
					for (k = 0; k < pb; k++)
						meat[i * pb + k] += s * xa[i] * xb[k];
			}
			/* A_a^-1 meat A_b^-1 */
			for (i = 0; i < pa; i++)
				for (k = 0; k < pb; k++) {
					double v = 0;
					size_t r, t;
					for (r = 0; r < pa; r++)
						for (t = 0; t < pb; t++)
							v += j->breads[m][i * pa + r] * meat[r * pb + t] *
							     j->breads[l][t * pb + k];
					j->covariance[(j->offset[m] + i) * P + j->offset[l] + k] = v;
					j->covariance[(j->offset[l] + k) * P + j->offset[m] + i] = v;
				}
		}
	}
	free(xa);
	free(xb);
	free(meat);
	return TACT_OK;
}

/* The lower Cholesky factor of the joint covariance, or of its diagonal
 * blocks alone when the whole is not positive definite.  *joint_ok says
 * which. */
static tact_status factorize(joint *j, int *joint_ok, tact_error *error)
{
	const size_t P = j->parameters;
	gsl_matrix_view view = gsl_matrix_view_array(j->factor, P, P);
	size_t m, i, k;
	int status;

	memcpy(j->factor, j->covariance, P * P * sizeof *j->factor);
	status = gsl_linalg_cholesky_decomp1(&view.matrix);
	*joint_ok = status == GSL_SUCCESS;
	if (status == GSL_EDOM) {
		memset(j->factor, 0, P * P * sizeof *j->factor);
		for (m = 0; m < j->models; m++) {
			const size_t o = j->offset[m], p = j->fits[m]->parameters;
			gsl_matrix_view block;
			for (i = 0; i < p; i++)
				for (k = 0; k < p; k++)
					j->factor[(o + i) * P + o + k] =
						j->covariance[(o + i) * P + o + k];
			block = gsl_matrix_submatrix(&view.matrix, o, o, p, p);
			status = gsl_linalg_cholesky_decomp1(&block.matrix);
			if (status == GSL_EDOM)
				return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
				                      "a model's covariance is not positive "
				                      "definite");
			if (status != GSL_SUCCESS)
				break;
		}
	}
	if (tact_numeric_check(status, "Cholesky factor of the joint covariance",
	                       error))
		return TACT_SOFTWARE;
	/* decomp1 leaves L and L' in both triangles: keep L. */
	for (i = 0; i < P; i++)
		for (k = i + 1; k < P; k++)
			j->factor[i * P + k] = 0;
	return TACT_OK;
}

/* net(e) at coefficients beta (all models, stacked); with gradient, its
 * gradient with respect to beta.  NaN when a model has no row at e. */
static double net_at(const tact_dose_result *result, const joint *j,
                     const double *beta, int64_t e, double *gradient)
{
	double net = 0;
	size_t m, i;

	if (gradient)
		memset(gradient, 0, j->parameters * sizeof *gradient);
	for (m = 0; m < j->models; m++) {
		const tact_dose_fit *fit = j->fits[m];
		const double *b = beta + j->offset[m];
		double eta;
		if (design(result, fit, e, j->x) != 0)
			return NAN;
		eta = linear_predictor(fit, b, j->x);
		net += result->weights[m] * mean_of(fit, eta);
		if (gradient)
			for (i = 0; i < fit->parameters; i++)
				gradient[j->offset[m] + i] =
					result->weights[m] * slope_of(fit, eta) * j->x[i];
	}
	return net;
}

static int compare_longs(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static tact_status bootstrap(const tact_dose_result *result, const joint *j,
                             const double *beta, size_t draws,
                             unsigned long seed, tact_dose_cap *cap,
                             tact_error *error)
{
	const size_t P = j->parameters, grid = (size_t)result->max_exposures + 1;
	const double alpha = (1 - result->confidence) / 2;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *normal = malloc(P * sizeof *normal), *draw = malloc(P * sizeof *draw);
	double *curve = malloc(grid * sizeof *curve);
	long *caps = malloc(draws * sizeof *caps);
	size_t d, i, k, zeros = 0, e;

	if (!rng || !normal || !draw || !curve || !caps) {
		if (rng)
			gsl_rng_free(rng);
		free(normal);
		free(draw);
		free(curve);
		free(caps);
		return no_memory(error);
	}
	gsl_rng_set(rng, seed);
	for (d = 0; d < draws; d++) {
		for (i = 0; i < P; i++)
			normal[i] = gsl_ran_gaussian(rng, 1.0);
		for (i = 0; i < P; i++) {
			draw[i] = beta[i];
			for (k = 0; k <= i; k++)
				draw[i] += j->factor[i * P + k] * normal[k];
		}
		for (e = 0; e < grid; e++)
			curve[e] = net_at(result, j, draw, (int64_t)e, NULL);
		caps[d] = tact_dose_argmax(curve, grid);
		zeros += caps[d] == 0;
	}
	qsort(caps, draws, sizeof *caps, compare_longs);
	{
		/* Inverted CDF: the smallest draw whose rank reaches q * draws. */
		size_t lo = (size_t)ceil(alpha * (double)draws - 1e-9);
		size_t hi = (size_t)ceil((1 - alpha) * (double)draws - 1e-9);
		cap->cap_low = caps[lo > 0 ? lo - 1 : 0];
		cap->cap_high = caps[hi > 0 ? hi - 1 : 0];
	}
	cap->p_cap_zero = (double)zeros / (double)draws;
	cap->draws = draws;
	gsl_rng_free(rng);
	free(normal);
	free(draw);
	free(curve);
	free(caps);
	return TACT_OK;
}

static tact_status cap_one(tact_dose_result *result, size_t s,
                           double *const *breads, const tact_dose_options *options,
                           tact_dose_cap *cap, tact_error *error)
{
	const tact_summary *summary = result->summary;
	const size_t grid = (size_t)result->max_exposures + 1;
	const double z = gsl_cdf_ugaussian_Pinv(0.5 + result->confidence / 2);
	joint j;
	double *beta = NULL;
	size_t m, i, e;
	long best;
	tact_status status = TACT_OK;

	memset(&j, 0, sizeof j);
	cap->segment = s;
	cap->cap = cap->cap_low = cap->cap_high = -1;
	cap->p_cap_zero = cap->net_at_cap = cap->net_at_zero = NAN;
	cap->gain = cap->gain_low = cap->gain_high = NAN;
	cap->curve = malloc(grid * sizeof(double));
	cap->curve_low = malloc(grid * sizeof(double));
	cap->curve_high = malloc(grid * sizeof(double));
	if (!cap->curve || !cap->curve_low || !cap->curve_high)
		return no_memory(error);
	for (e = 0; e < grid; e++)
		cap->curve[e] = cap->curve_low[e] = cap->curve_high[e] = NAN;
	if (result->segments[s].suppressed) {
		cap->status = TACT_DOSE_CAP_SUPPRESSED;
		snprintf(cap->note, sizeof cap->note,
		         result->segments[s].units < result->min_cell
		         ? "fewer than min-cell units"
		         : "hidden so that smaller segments cannot be recovered");
		return TACT_OK;
	}
	j.models = result->weight_count;
	j.fits = calloc(j.models, sizeof *j.fits);
	j.breads = calloc(j.models, sizeof *j.breads);
	j.offset = calloc(j.models, sizeof *j.offset);
	if (!j.fits || !j.breads || !j.offset) {
		status = no_memory(error);
		goto done;
	}
	for (m = 0; m < j.models; m++) {
		size_t k;
		for (k = 0; k < result->outcome_count; k++)
			if (result->outcomes[k] == result->weight_metrics[m])
				break;
		j.fits[m] = &result->fits[s * result->outcome_count + k];
		j.breads[m] = breads[s * result->outcome_count + k];
		if (j.fits[m]->status != TACT_DOSE_FIT_OK || !j.fits[m]->converged) {
			cap->status = TACT_DOSE_CAP_FAILED;
			snprintf(cap->note, sizeof cap->note, "no fit of '%.200s': %.500s",
			         summary->metrics[j.fits[m]->metric].name,
			         j.fits[m]->note);
			goto done;
		}
		j.offset[m] = j.parameters;
		j.parameters += j.fits[m]->parameters;
	}
	j.covariance = calloc(j.parameters * j.parameters, sizeof(double));
	j.factor = calloc(j.parameters * j.parameters, sizeof(double));
	j.gradient = calloc(j.parameters, sizeof(double));
	j.gradient_zero = calloc(j.parameters, sizeof(double));
	j.x = calloc(j.parameters, sizeof(double));
	beta = calloc(j.parameters, sizeof(double));
	if (!j.covariance || !j.factor || !j.gradient || !j.gradient_zero ||
	    !j.x || !beta) {
		status = no_memory(error);
		goto done;
	}
	for (m = 0; m < j.models; m++)
		for (i = 0; i < j.fits[m]->parameters; i++)
			beta[j.offset[m] + i] = j.fits[m]->coefficients[i];
	if ((status = joint_covariance(result, &result->segments[s], &j, error)))
		goto done;
	for (e = 0; e < grid; e++) {
		double v = net_at(result, &j, beta, (int64_t)e, j.gradient), sd;
		if (isnan(v))
			continue;
		sd = sqrt(fmax(0, quadratic(j.covariance, j.parameters, j.gradient,
		                            j.gradient)));
		cap->curve[e] = v;
		cap->curve_low[e] = v - z * sd;
		cap->curve_high[e] = v + z * sd;
	}
	best = tact_dose_argmax(cap->curve, grid);
	if (best < 0) {
		cap->status = TACT_DOSE_CAP_FAILED;
		snprintf(cap->note, sizeof cap->note,
		         "no exposure count in 0..%lld has a fitted value",
		         (long long)result->max_exposures);
		goto done;
	}
	cap->status = TACT_DOSE_CAP_OK;
	cap->cap = best;
	cap->at_max = best == result->max_exposures;
	cap->net_at_cap = cap->curve[best];
	cap->net_at_zero = cap->curve[0];
	if (!isnan(cap->net_at_zero)) {
		double sd;
		net_at(result, &j, beta, best, j.gradient);
		net_at(result, &j, beta, 0, j.gradient_zero);
		for (i = 0; i < j.parameters; i++)
			j.gradient[i] -= j.gradient_zero[i];
		sd = sqrt(fmax(0, quadratic(j.covariance, j.parameters, j.gradient,
		                            j.gradient)));
		cap->gain = cap->net_at_cap - cap->net_at_zero;
		cap->gain_low = cap->gain - z * sd;
		cap->gain_high = cap->gain + z * sd;
	}
	if (options->draws > 0) {
		if ((status = factorize(&j, &cap->joint, error)))
			goto done;
		status = bootstrap(result, &j, beta, options->draws,
		                   options->seed + s, cap, error);
	}
done:
	free(beta);
	release_joint(&j);
	return status;
}

/* ---- run ------------------------------------------------------------- */

/* ---- figures that overflow ------------------------------------------ */

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

tact_status tact_dose_run(const tact_summary *summary,
                          const tact_dose_options *options,
                          tact_dose_result *result, tact_error *error)
{
	size_t s, k, count;
	double **breads = NULL, *x = NULL;
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
	    (status = choose_arms(result, options, error)) ||
	    (status = gather_cells(result, error)) ||
	    (status = choose_bins(result, options, error)))
		return status;
	count = result->segment_count * result->outcome_count;
	result->bin_rows = calloc(count * result->bin_count + 1,
	                          sizeof *result->bin_rows);
	result->fits = calloc(count + 1, sizeof *result->fits);
	breads = calloc(count + 1, sizeof *breads);
	x = malloc((result->bin_count + 2) * sizeof *x);
	if (!result->bin_rows || !result->fits || !breads || !x) {
		status = no_memory(error);
		goto done;
	}
	result->bin_row_count = count * result->bin_count;
	suppress_segments(result);
	for (s = 0; s < result->segment_count && status == TACT_OK; s++)
		for (k = 0; k < result->outcome_count && status == TACT_OK; k++)
			status = tabulate(result, s, k, error);
	if (status != TACT_OK)
		goto done;
	suppress_bins(result);
	blank_bins(result);
	for (s = 0; s < result->segment_count && status == TACT_OK; s++)
		for (k = 0; k < result->outcome_count && status == TACT_OK; k++) {
			size_t i = s * result->outcome_count + k;
			size_t p = result->bin_count + 2;
			if (!(breads[i] = calloc(p * p, sizeof(double)))) {
				status = no_memory(error);
				break;
			}
			result->fit_count = i + 1;
			if ((status = fit_one(result, s, k, &result->fits[i], breads[i],
			                      error)))
				break;
			bin_fitted(result, s, k, &result->fits[i], x);
		}
	if (status != TACT_OK || result->weight_count == 0)
		goto done;
	result->caps = calloc(result->segment_count, sizeof *result->caps);
	if (!result->caps) {
		status = no_memory(error);
		goto done;
	}
	for (s = 0; s < result->segment_count && status == TACT_OK; s++) {
		result->cap_count = s + 1;
		status = cap_one(result, s, breads, options, &result->caps[s], error);
	}
done:
	if (status == TACT_OK)
		status = check_finite(result, error);
	if (breads)
		for (s = 0; s < count; s++)
			free(breads[s]);
	free(breads);
	free(x);
	return status;
}
