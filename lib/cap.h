/*
 * cap.h - capping (winsorizing from above) a metric's unit values, as
 * GrowthBook and Statsig do: one unit with 49,854 game rounds should not
 * decide a segment.
 *
 * A cap is given as "METRIC=NUMBER" (an absolute cap, above 0) or
 * "METRIC=pQ" with 0 < Q < 100 (the Q-th percentile of the metric over the
 * consenting units of every arm that have a value, NumPy's default
 * 'linear' quantile: numpy.quantile(values, Q / 100)).  Each unit's value
 * (after sessions are folded into units) above the cap becomes the cap;
 * missing values stay missing.  The loader applies caps (load.h), the
 * summary records them (summary.h, tact-summary(5)).
 */
#ifndef TACT_CAP_H
#define TACT_CAP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef enum tact_cap_kind {
	TACT_CAP_NONE,
	TACT_CAP_VALUE,      /* NUMBER */
	TACT_CAP_QUANTILE    /* pQ */
} tact_cap_kind;

/* One metric's cap. */
typedef struct tact_cap {
	tact_cap_kind kind;
	double given;        /* the NUMBER, or Q of pQ */
	double value;        /* the cap used (NUMBER, or the quantile found) */
	int64_t touched;     /* units whose value was above it */
} tact_cap;

/* The caps asked for, one per metric, in the order given. */
typedef struct tact_caps {
	size_t count;
	char **metrics;
	tact_cap *caps;      /* kind and given; value and touched unset */
} tact_caps;

void tact_caps_init(tact_caps *caps);
void tact_caps_release(tact_caps *caps);

/*
 * Add one "METRIC=NUMBER" or "METRIC=pQ" (split at the last '=').
 * Errors (TACT_USAGE, message without the option's name): no '=', an
 * empty metric, a NUMBER not above 0 or not finite, Q not strictly
 * between 0 and 100, a metric capped twice.
 */
tact_status tact_caps_add(tact_caps *caps, const char *text,
                          tact_error *error);

/* Parse the part after '=' into cap (kind and given; value set to given
 * for NUMBER).  Returns 0, or -1 when it is neither form. */
int tact_cap_parse(const char *text, tact_cap *cap);

/* The cap as given, canonical: "500", "p99", "p99.5" (shortest round-trip
 * digits).  size >= 40.  Returns out. */
char *tact_cap_text(const tact_cap *cap, char *out, size_t size);

/* 1 when two caps were asked for alike (kind and given). */
int tact_cap_same(const tact_cap *a, const tact_cap *b);

/*
 * NumPy's default quantile, numpy.quantile(values, q) with method
 * 'linear' (NumPy 1.22 and later), to the last bit: h = (n - 1) q, the
 * order statistics a = x(floor h) and b = x(floor h + 1), g = h - floor h,
 * and a + (b - a) g, or b - (b - a)(1 - g) when g >= 0.5.  values[0..n)
 * are finite, n > 0, 0 <= q <= 1; values are reordered (selection, O(n)
 * expected time, no memory of its own).
 */
double tact_quantile_linear(double *values, size_t n, double q);

/*
 * Cap values[0..n) at cap->value in place (NaN stays), adding the number
 * of values above it to cap->touched.  Returns 1 when some value (before
 * capping) was neither 0 nor 1.
 */
int tact_cap_apply(tact_cap *cap, double *values, size_t n, size_t stride);

#endif
