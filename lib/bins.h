/*
 * bins.h - ranges of whole numbers: the one bin syntax of tact-dose's
 * --bins and of a binned --by column ("0,1,2,3-5,6-10,11-" or
 * "quantiles:K"), quantile bins of counted values, and a segment column
 * binned (tact_binning).
 *
 * A bin is a count ("7"), a closed range ("3-5") or, last, an open one
 * ("11-"); bins increase without overlapping.  A number x (of a segment
 * column) is in the bin that holds floor(x): "1-29" holds 1 to 29.99...;
 * numbers below the first bin, above a closed last one or between bins
 * are in none.  "quantiles:K" (2 <= K <= 100) cuts at the K-quantiles of
 * the values' units: bin j ends at the smallest value v with F(v) >= j/K;
 * a value is never split between bins, so ties can give fewer than K bins.
 */
#ifndef TACT_BINS_H
#define TACT_BINS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define TACT_BIN_OPEN (-1) /* high end of an open bin */

typedef struct tact_bin {
	int64_t low;  /* first count in the bin */
	int64_t high; /* last, or TACT_BIN_OPEN */
} tact_bin;

/*
 * Parse text into *bins (malloc'ed, *count of them, at most max) or, for
 * "quantiles:K", set *quantiles = K and leave *bins NULL (*quantiles is 0
 * otherwise).  what names the option in messages ("--bins").  TACT_USAGE
 * for anything else, unordered or overlapping bins, an open bin before the
 * last, more than max bins.
 */
tact_status tact_bins_parse(const char *text, const char *what, size_t max,
                            tact_bin **bins, size_t *count,
                            unsigned *quantiles, tact_error *error);

/* The bin's label: "3-5", "7", "11-". */
void tact_bins_label(tact_bin bin, char *out, size_t size);

/* The smallest value whose cumulative share reaches q (0 < q <= 1), of
 * counts[i] units at values[i] (increasing). */
int64_t tact_bins_quantile(const int64_t *values, const int64_t *counts,
                           size_t count, double q);

/* The quantile bins of counts[i] units at values[i] (increasing): see
 * above.  *bins is malloc'ed.  TACT_DATA when there are no units. */
tact_status tact_bins_quantiles(const int64_t *values, const int64_t *counts,
                                size_t count, unsigned k, tact_bin **bins,
                                size_t *bin_count, tact_error *error);

/* A segment column binned: --by 'COL=BINS'. */
typedef struct tact_binning {
	size_t count;       /* bins (0 while quantiles wait for the values) */
	tact_bin *bins;
	char **names;       /* each bin's name as written, padded so that it
	                       may be read 16 bytes on (csvreader.h) */
	unsigned quantiles; /* K of "quantiles:K", 0 for explicit bins */
} tact_binning;

/* Parse the bins of column (for messages) from text.  TACT_USAGE as
 * tact_bins_parse.  Release with tact_binning_release. */
tact_status tact_binning_parse(tact_binning *binning, const char *column,
                               const char *text, tact_error *error);
void tact_binning_release(tact_binning *binning);

/* Set explicit bins (copied; names from tact_bins_label). */
tact_status tact_binning_set(tact_binning *binning, const tact_bin *bins,
                             size_t count, tact_error *error);

/* The bin of x, or -1 when x is in none (or NaN). */
long tact_binning_find(const tact_binning *binning, double x);

/* The bins written back, "0,1-29,30-" (names joined by ','), into out of
 * size bytes; returns 0, or -1 when cut. */
int tact_binning_text(const tact_binning *binning, char *out, size_t size);

/*
 * Bin dimension d of a finished summary whose labels there are whole
 * numbers ("" for none), now that they are known: binning's quantiles
 * (K) become bins over the groups' units, each label becomes its bin's
 * name, groups that then share labels are added up (exact counts; moments
 * by Chan's formulas) and the summary records the bins.  TACT_DATA when
 * no unit has a value.
 */
struct tact_summary;
tact_status tact_binning_resolve_quantiles(tact_binning *binning,
                                           struct tact_summary *summary,
                                           size_t d, tact_error *error);

#endif
