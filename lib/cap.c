/*
 * cap.c - caps: parsing, NumPy's linear quantile, applying (see cap.h).
 */
#include "cap.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "parse.h"

void tact_caps_init(tact_caps *caps)
{
	memset(caps, 0, sizeof *caps);
}

void tact_caps_release(tact_caps *caps)
{
	size_t i;

	for (i = 0; i < caps->count; i++)
		free(caps->metrics[i]);
	free(caps->metrics);
	free(caps->caps);
	tact_caps_init(caps);
}

int tact_cap_parse(const char *text, tact_cap *cap)
{
	double number;

	memset(cap, 0, sizeof *cap);
	if (text[0] == 'p') {
		if (tact_parse_number(text + 1, strlen(text + 1), 0, &number) != 0 ||
		    !(number > 0 && number < 100) || text[1] == '+' || text[1] == ' ')
			return -1;
		cap->kind = TACT_CAP_QUANTILE;
		cap->given = number;
		cap->value = NAN;
		return 0;
	}
	if (tact_parse_number(text, strlen(text), 0, &number) != 0 ||
	    !(number > 0) || text[0] == '+' || text[0] == ' ')
		return -1;
	cap->kind = TACT_CAP_VALUE;
	cap->given = number;
	cap->value = number;
	return 0;
}

/* 1e400 as a cap: out of range, said so (parse.h). */
static tact_status range(const char *metric, size_t length,
                         const char *number, tact_error *error)
{
	char what[160];

	snprintf(what, sizeof what, "the cap of '%.*s'", (int)length, metric);
	return tact_parse_check_range(what, number, strlen(number), NULL, error);
}

tact_status tact_caps_add(tact_caps *caps, const char *text,
                          tact_error *error)
{
	const char *equals = strrchr(text, '=');
	char **metrics;
	tact_cap cap, *list;
	size_t length, i;

	if (!equals || equals == text)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "expected METRIC=NUMBER or METRIC=pQ "
		                      "(as spend=500 or spend=p99), got '%s'", text);
	length = (size_t)(equals - text);
	if (tact_cap_parse(equals + 1, &cap) != 0 &&
	    range(text, length, equals + 1 + (equals[1] == 'p'), error) != TACT_OK)
		return TACT_USAGE;
	if (tact_cap_parse(equals + 1, &cap) != 0)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the cap of '%.*s' must be a number above 0 or "
		                      "pQ with Q between 0 and 100 (as p99 or p99.5), "
		                      "got '%s'", (int)length, text, equals + 1);
	for (i = 0; i < caps->count; i++)
		if (strlen(caps->metrics[i]) == length &&
		    memcmp(caps->metrics[i], text, length) == 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "'%s' is capped twice", caps->metrics[i]);
	metrics = realloc(caps->metrics, (caps->count + 1) * sizeof *metrics);
	if (metrics)
		caps->metrics = metrics;
	list = realloc(caps->caps, (caps->count + 1) * sizeof *list);
	if (list)
		caps->caps = list;
	if (!metrics || !list ||
	    !(caps->metrics[caps->count] = strndup(text, length)))
		return tact_error_oom(error);
	caps->caps[caps->count++] = cap;
	return TACT_OK;
}

char *tact_cap_text(const tact_cap *cap, char *out, size_t size)
{
	char number[TACT_FORMAT_NUMBER_MAX];

	tact_format_number(number, cap->given);
	snprintf(out, size, "%s%s", cap->kind == TACT_CAP_QUANTILE ? "p" : "",
	         cap->kind == TACT_CAP_NONE ? "" : number);
	return out;
}

int tact_cap_same(const tact_cap *a, const tact_cap *b)
{
	return a->kind == b->kind &&
	       (a->kind == TACT_CAP_NONE || a->given == b->given);
}

/* ---- selection -------------------------------------------------------- */

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void swap(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/*
 * Put the k-th smallest of v[0..n) at v[k], smaller or equal ones before,
 * greater or equal ones after (Hoare's FIND as Wirth writes it, the pivot
 * the median of three).  After 2 log2(n) + 16 rounds (adversarial input)
 * the rest is sorted: O(n log n) at worst.
 */
static void select_kth(double *v, size_t n, size_t kth)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, k = (ptrdiff_t)kth;
	size_t rounds = 16, m;

	for (m = n; m > 1; m >>= 1)
		rounds += 2;
	while (lo < hi) {
		ptrdiff_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		double pivot;

		if (rounds-- == 0) {
			qsort(v + lo, (size_t)(hi - lo + 1), sizeof *v, compare_doubles);
			return;
		}
		if (v[mid] < v[lo])
			swap(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap(&v[hi], &v[mid]);
		pivot = v[mid]; /* a value of the range: both scans stop */
		do {
			while (v[i] < pivot)
				i++;
			while (pivot < v[j])
				j--;
			if (i <= j) {
				swap(&v[i], &v[j]);
				i++;
				j--;
			}
		} while (i <= j);
		if (j < k)
			lo = i;
		if (k < i)
			hi = j;
	}
}

double tact_quantile_linear(double *values, size_t n, double q)
{
	/* As NumPy: the virtual index in doubles, (n - 1) * q. */
	double h = (double)(n - 1) * q, below, a, b, d, g;
	size_t lo, i;

	if (n == 1 || h >= (double)(n - 1)) {
		/* NumPy takes the last order statistic: the largest. */
		for (a = values[0], i = 1; i < n; i++)
			a = values[i] > a ? values[i] : a;
		return a;
	}
	below = floor(h);
	lo = (size_t)below;
	select_kth(values, n, lo);
	a = values[lo];
	for (b = values[lo + 1], i = lo + 2; i < n; i++)
		b = values[i] < b ? values[i] : b;
	g = h - below;
	d = b - a;
	/* NumPy's _lerp: from the nearer end. */
	return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

int tact_cap_apply(tact_cap *cap, double *values, size_t n, size_t stride)
{
	const double c = cap->value;
	int64_t touched = 0;
	int other = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double *v = values + i * stride;
		if (isnan(*v))
			continue;
		other |= *v != 0.0 && *v != 1.0;
		if (*v > c) {
			*v = c;
			touched++;
		}
	}
	cap->touched += touched;
	return other;
}
