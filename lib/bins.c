/*
 * bins.c - ranges of whole numbers, parsed, cut at quantiles, and a
 * segment column binned (see bins.h).
 */
#include "bins.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "summary.h"

/* A count at text[0..length): 0, or -1 when not a count. */
static int parse_count(const char *text, size_t length, int64_t *value)
{
	double number;

	if (length == 0 || tact_parse_count(text, length, 0, &number) != 0)
		return -1;
	*value = (int64_t)number;
	return 0;
}

/* One item, "7", "3-5" or "11-": 0, or -1 when malformed. */
static int parse_bin(const char *start, size_t length, tact_bin *bin)
{
	const char *dash = memchr(start, '-', length);

	if (!dash) {
		if (parse_count(start, length, &bin->low) != 0)
			return -1;
		bin->high = bin->low;
		return 0;
	}
	{
		size_t rest = length - (size_t)(dash - start) - 1;
		if (parse_count(start, (size_t)(dash - start), &bin->low) != 0 ||
		    (rest > 0 && parse_count(dash + 1, rest, &bin->high) != 0))
			return -1;
		if (rest == 0)
			bin->high = TACT_BIN_OPEN;
		else if (bin->high < bin->low)
			return -1;
	}
	return 0;
}

tact_status tact_bins_parse(const char *text, const char *what, size_t max,
                            tact_bin **bins_out, size_t *count_out,
                            unsigned *quantiles, tact_error *error)
{
	const char *start = text;
	tact_bin *bins = NULL;
	size_t count = 0;

	*bins_out = NULL;
	*count_out = 0;
	*quantiles = 0;
	if (strncmp(text, "quantiles:", 10) == 0) {
		int64_t k;
		if (parse_count(text + 10, strlen(text + 10), &k) != 0 || k < 2 ||
		    k > 100)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "%s quantiles:K needs K from 2 to 100, "
			                      "got '%s'", what, text);
		*quantiles = (unsigned)k;
		return TACT_OK;
	}
	for (;;) {
		const char *end = strchr(start, ',');
		size_t length = end ? (size_t)(end - start) : strlen(start);
		tact_bin bin, *grown;

		if (parse_bin(start, length, &bin) != 0) {
			free(bins);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "%s expects counts and ranges such as "
			                      "'0,1,2,3-5,6-10,11-' or 'quantiles:5', got "
			                      "'%s'", what, text);
		}
		if (count > 0 && (bins[count - 1].high == TACT_BIN_OPEN ||
		                  bin.low <= bins[count - 1].high)) {
			free(bins);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "%s must increase without overlapping, "
			                      "an open bin ('11-') last; got '%s'", what,
			                      text);
		}
		if (count == max) {
			free(bins);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "%s: at most %zu bins", what, max);
		}
		grown = realloc(bins, (count + 1) * sizeof *grown);
		if (!grown) {
			free(bins);
			return tact_error_oom(error);
		}
		bins = grown;
		bins[count++] = bin;
		if (!end)
			break;
		start = end + 1;
	}
	*bins_out = bins;
	*count_out = count;
	return TACT_OK;
}

void tact_bins_label(tact_bin bin, char *out, size_t size)
{
	if (bin.high == TACT_BIN_OPEN)
		snprintf(out, size, "%lld-", (long long)bin.low);
	else if (bin.high == bin.low)
		snprintf(out, size, "%lld", (long long)bin.low);
	else
		snprintf(out, size, "%lld-%lld", (long long)bin.low,
		         (long long)bin.high);
}

int64_t tact_bins_quantile(const int64_t *values, const int64_t *counts,
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

tact_status tact_bins_quantiles(const int64_t *values, const int64_t *counts,
                                size_t count, unsigned k, tact_bin **bins,
                                size_t *bin_count, tact_error *error)
{
	int64_t total = 0, first = -1, last = -1, previous;
	tact_bin *out;
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
		return tact_error_oom(error);
	previous = first - 1;
	for (j = 1; j < k; j++) {
		int64_t cut = tact_bins_quantile(values, counts, count,
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
	out[n].high = TACT_BIN_OPEN;
	*bins = out;
	*bin_count = n + 1;
	return TACT_OK;
}

/* ---- a segment column binned ---------------------------------------- */

void tact_binning_release(tact_binning *binning)
{
	size_t b;

	for (b = 0; b < binning->count; b++)
		free(binning->names[b]);
	free(binning->names);
	free(binning->bins);
	memset(binning, 0, sizeof *binning);
}

/* A copy of text[0..length) followed by 16 zero bytes. */
static char *padded_copy(const char *text, size_t length)
{
	char *copy = calloc(length + 17, 1);

	if (copy)
		memcpy(copy, text, length);
	return copy;
}

/* Name the bins: as written in text (NULL: by tact_bins_label). */
static tact_status name_bins(tact_binning *binning, const char *text,
                             tact_error *error)
{
	size_t b;

	binning->names = calloc(binning->count + 1, sizeof *binning->names);
	if (!binning->names)
		return tact_error_oom(error);
	for (b = 0; b < binning->count; b++) {
		char label[48];
		const char *start = label, *end;
		if (text) {
			start = text;
			end = strchr(text, ',');
			text = end ? end + 1 : text + strlen(text);
		} else {
			tact_bins_label(binning->bins[b], label, sizeof label);
			end = NULL;
		}
		if (!(binning->names[b] = padded_copy(start, end ? (size_t)(end - start)
		                                                 : strlen(start))))
			return tact_error_oom(error);
	}
	return TACT_OK;
}

tact_status tact_binning_parse(tact_binning *binning, const char *column,
                               const char *text, tact_error *error)
{
	char what[160];
	tact_status status;

	memset(binning, 0, sizeof *binning);
	snprintf(what, sizeof what, "'%s=BINS'", column);
	status = tact_bins_parse(text, what, 1000, &binning->bins,
	                         &binning->count, &binning->quantiles, error);
	if (status == TACT_OK && binning->count)
		status = name_bins(binning, text, error);
	if (status != TACT_OK)
		tact_binning_release(binning);
	return status;
}

tact_status tact_binning_set(tact_binning *binning, const tact_bin *bins,
                             size_t count, tact_error *error)
{
	tact_binning_release(binning);
	if (!(binning->bins = malloc((count + 1) * sizeof *bins)))
		return tact_error_oom(error);
	memcpy(binning->bins, bins, count * sizeof *bins);
	binning->count = count;
	return name_bins(binning, NULL, error);
}

long tact_binning_find(const tact_binning *binning, double x)
{
	size_t b;
	double f;

	if (isnan(x))
		return -1;
	f = floor(x);
	for (b = 0; b < binning->count; b++) {
		const tact_bin bin = binning->bins[b];
		if (f >= (double)bin.low &&
		    (bin.high == TACT_BIN_OPEN || f <= (double)bin.high))
			return (long)b;
	}
	return -1;
}

int tact_binning_text(const tact_binning *binning, char *out, size_t size)
{
	size_t b, used = 0;

	out[0] = '\0';
	for (b = 0; b < binning->count; b++) {
		int n = snprintf(out + used, size - used, "%s%s", b ? "," : "",
		                 binning->names[b]);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

/* ---- quantile bins of a summary's dimension -------------------------- */

static int compare_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The distinct values of dimension d, increasing, with their units. */
static tact_status dimension_counts(const tact_summary *summary, size_t d,
                                    int64_t **values_out, int64_t **counts_out,
                                    size_t *count_out, tact_error *error)
{
	size_t g, n = 0, k = 0;
	int64_t *values = malloc((summary->group_count + 1) * sizeof *values);
	int64_t *counts = calloc(summary->group_count + 1, sizeof *counts);

	if (!values || !counts) {
		free(values);
		free(counts);
		return tact_error_oom(error);
	}
	for (g = 0; g < summary->group_count; g++)
		if (*summary->groups[g].labels[d])
			values[n++] = strtoll(summary->groups[g].labels[d], NULL, 10);
	qsort(values, n, sizeof *values, compare_int64);
	for (g = 0; g < n; g++)
		if (k == 0 || values[g] != values[k - 1])
			values[k++] = values[g];
	for (g = 0; g < summary->group_count; g++) {
		const char *label = summary->groups[g].labels[d];
		int64_t v, *at;
		if (!*label)
			continue;
		v = strtoll(label, NULL, 10);
		at = bsearch(&v, values, k, sizeof *values, compare_int64);
		counts[at - values] += summary->groups[g].units;
	}
	*values_out = values;
	*counts_out = counts;
	*count_out = k;
	return TACT_OK;
}

tact_status tact_binning_resolve_quantiles(tact_binning *binning,
                                           tact_summary *summary, size_t d,
                                           tact_error *error)
{
	int64_t *values = NULL, *counts = NULL;
	tact_bin *bins = NULL;
	size_t count = 0, bin_count = 0, g;
	char text[16384];
	tact_status status;

	if ((status = dimension_counts(summary, d, &values, &counts, &count,
	                               error)))
		return status;
	if (count == 0)
		status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                        "no unit has a value of '%s' to cut at "
		                        "quantiles", summary->dimension_names[d]);
	else
		status = tact_bins_quantiles(values, counts, count,
		                             binning->quantiles, &bins, &bin_count,
		                             error);
	free(values);
	free(counts);
	if (status == TACT_OK)
		status = tact_binning_set(binning, bins, bin_count, error);
	free(bins);
	for (g = 0; status == TACT_OK && g < summary->group_count; g++) {
		char **label = &summary->groups[g].labels[d];
		long b;
		if (!**label)
			continue;
		b = tact_binning_find(binning, (double)strtoll(*label, NULL, 10));
		free(*label);
		/* Every value is in a bin: the bins start at the smallest and
		 * the last is open. */
		if (!(*label = strdup(binning->names[b < 0 ? 0 : b])))
			status = tact_error_oom(error);
	}
	if (status == TACT_OK && tact_binning_text(binning, text, sizeof text))
		status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                        "the bins of '%s' are too long to record",
		                        summary->dimension_names[d]);
	if (status == TACT_OK)
		status = tact_summary_set_bins(summary, d, text, error);
	if (status == TACT_OK)
		status = tact_summary_regroup(summary, error);
	return status;
}
