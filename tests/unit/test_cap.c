/*
 * test_cap.c - capping: NumPy's linear quantile to the bit on arrays that
 * trouble selection (ties, sorted, organ pipe, all equal, one and two
 * values), capping in place with its touched count, the syntax of --cap,
 * the loader's caps (rows held, streaming, sessions folded), and the
 * summary's caps through its file and a merge.  Expected values:
 * tests/expected/cap.py (numpy 1.24) in cap_expected.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "check.h"
#include "cap.h"
#include "load.h"
#include "summaryfile.h"

#include "../expected/cap_expected.h"

#define ARRAYS (sizeof cap_arrays / sizeof cap_arrays[0])

static double *copy(const double *values, size_t n)
{
	double *out = malloc((n + 1) * sizeof *out);

	assert_non_null(out);
	memcpy(out, values, n * sizeof *out);
	return out;
}

/* Every array, every q: NumPy's figure to the last bit, whatever order the
 * previous selection left the values in. */
static void test_quantile_numpy(void **state)
{
	size_t a, k;

	(void)state;
	for (a = 0; a < ARRAYS; a++) {
		double *v = copy(cap_arrays[a].values, cap_arrays[a].n);
		for (k = 0; k < CAP_QS; k++) {
			double fresh_q, *w = copy(cap_arrays[a].values, cap_arrays[a].n);
			double got = tact_quantile_linear(v, cap_arrays[a].n, cap_qs[k]);
			fresh_q = tact_quantile_linear(w, cap_arrays[a].n, cap_qs[k]);
			if (got != cap_arrays[a].quantiles[k] ||
			    fresh_q != cap_arrays[a].quantiles[k])
				fail_msg("%s q=%.17g: %a and %a, numpy %a", cap_arrays[a].name,
				         cap_qs[k], got, fresh_q, cap_arrays[a].quantiles[k]);
			free(w);
		}
		free(v);
	}
}

/* Selection keeps the values (a permutation). */
static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void test_quantile_permutes(void **state)
{
	size_t n = cap_arrays[0].n, i;
	double *v = copy(cap_arrays[0].values, n), *w = copy(cap_arrays[0].values, n);

	(void)state;
	tact_quantile_linear(v, n, 0.37);
	qsort(v, n, sizeof *v, compare);
	qsort(w, n, sizeof *w, compare);
	for (i = 0; i < n; i++)
		assert_true(v[i] == w[i]);
	free(v);
	free(w);
}

static void test_apply(void **state)
{
	size_t n = cap_arrays[0].n, i;
	double *v = copy(cap_arrays[0].values, n), sum = 0;
	tact_cap cap;

	(void)state;
	assert_int_equal(tact_cap_parse("p99", &cap), 0);
	cap.value = tact_quantile_linear(v, n, cap.given / 100);
	assert_true(cap.value == CAP_HEAVY_P99);
	memcpy(v, cap_arrays[0].values, n * sizeof *v);
	assert_int_equal(tact_cap_apply(&cap, v, n, 1), 1);
	assert_int_equal(cap.touched, CAP_HEAVY_P99_TOUCHED);
	for (i = 0; i < n; i++) {
		assert_true(v[i] <= CAP_HEAVY_P99);
		sum += v[i];
	}
	assert_close(sum, CAP_HEAVY_P99_SUM, 1e-13);

	/* An absolute cap; a stride; NaN stays. */
	assert_int_equal(tact_cap_parse("200", &cap), 0);
	assert_true(cap.value == 200);
	{
		double *pairs = malloc(2 * n * sizeof *pairs);
		assert_non_null(pairs);
		for (i = 0; i < n; i++) {
			pairs[2 * i] = NAN;
			pairs[2 * i + 1] = cap_arrays[0].values[i];
		}
		tact_cap_apply(&cap, pairs + 1, n, 2);
		for (sum = 0, i = 0; i < n; i++) {
			assert_true(isnan(pairs[2 * i]));
			sum += pairs[2 * i + 1];
		}
		assert_close(sum, CAP_HEAVY_200_SUM, 1e-13);
		assert_int_equal(cap.touched, CAP_HEAVY_200_TOUCHED);
		free(pairs);
	}
	free(v);
	{
		double binary[] = {0, 1, NAN, 1, 0};
		assert_int_equal(tact_cap_apply(&cap, binary, 5, 1), 0);
	}
}

static void test_syntax(void **state)
{
	static const char *const bad[] = {
		"spend", "=5", "spend=", "spend=p0", "spend=p100", "spend=p-1",
		"spend=p101", "spend=-5", "spend=0", "spend=abc", "spend=p", "spend=P99",
		"spend=inf", "spend=nan", "spend=p99x", "spend=1e999",
	};
	tact_caps caps;
	tact_error error;
	char text[48];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tact_caps_init(&caps);
		tact_error_init(&error);
		if (tact_caps_add(&caps, bad[i], &error) != TACT_USAGE)
			fail_msg("'%s' accepted", bad[i]);
		tact_caps_release(&caps);
	}
	tact_caps_init(&caps);
	assert_int_equal(tact_caps_add(&caps, "spend=p99.5", &error), TACT_OK);
	assert_int_equal(tact_caps_add(&caps, "a=b=250", &error), TACT_OK);
	assert_int_equal(tact_caps_add(&caps, "spend=500", &error), TACT_USAGE);
	assert_string_equal(error.message, "'spend' is capped twice");
	assert_int_equal(caps.count, 2);
	assert_string_equal(caps.metrics[0], "spend");
	assert_int_equal(caps.caps[0].kind, TACT_CAP_QUANTILE);
	assert_string_equal(tact_cap_text(&caps.caps[0], text, sizeof text), "p99.5");
	assert_string_equal(caps.metrics[1], "a=b");
	assert_int_equal(caps.caps[1].kind, TACT_CAP_VALUE);
	assert_string_equal(tact_cap_text(&caps.caps[1], text, sizeof text), "250");
	tact_caps_release(&caps);
}

/* An export of 2 arms: the spend of row i is i * i (0..399), every tenth
 * missing; a 0/1 goal. */
static char *export(int sessions)
{
	size_t size = 80 * 400 + 64, used = 0;
	char *text = malloc(size);
	int i;

	assert_non_null(text);
	used += (size_t)snprintf(text, size, "%sarm,intent,converted,spend\n",
	                         sessions ? "visitor_id," : "");
	for (i = 0; i < 400; i++) {
		const char *arm = i % 2 ? "arm" : "control";
		char first[32] = "", second[32] = "";
		if (i % 10 != 3) {
			snprintf(first, sizeof first, "%d", sessions ? i * i / 2 : i * i);
			snprintf(second, sizeof second, "%d", i * i - i * i / 2);
		}
		if (sessions) /* two sessions per unit, the spend split */
			used += (size_t)snprintf(text + used, size - used,
			                         "u%d,%s,x,%d,%s\nu%d,%s,x,0,%s\n", i, arm,
			                         i % 7 == 0, first, i, arm, second);
		else
			used += (size_t)snprintf(text + used, size - used, "%s,x,%d,%s\n",
			                         arm, i % 7 == 0, first);
		assert_true(used < size);
	}
	return text;
}

/* Load data from memory, or with file (then part_bytes) from a file: with
 * parts of a few bytes and two threads, the parallel reader. */
static tact_status load_file(const char *data, const char *cap,
                             tact_summary *summary, const char *file,
                             uint64_t part_bytes, tact_error *error)
{
	tact_load_options options;
	tact_status status;

	assert_int_equal(tact_load_options_init(&options, error), TACT_OK);
	if (cap)
		assert_int_equal(tact_roles_spec_set(&options.roles, "cap", cap, error),
		                 TACT_OK);
	assert_int_equal(tact_roles_spec_set(&options.roles, "value", "spend", error),
	                 TACT_OK);
	tact_summary_init(summary);
	if (file) {
		FILE *out = fopen(file, "w");
		assert_non_null(out);
		fputs(data, out);
		assert_int_equal(fclose(out), 0);
		options.part_bytes = part_bytes;
		options.threads = 2;
		status = tact_load(file, &options, summary, NULL, error);
		remove(file);
	} else {
		status = tact_load_memory("x.csv", data, strlen(data), &options,
		                          summary, NULL, error);
	}
	tact_load_options_release(&options);
	return status;
}

static tact_status load(const char *data, const char *cap, tact_summary *summary,
                        tact_error *error)
{
	return load_file(data, cap, summary, NULL, 0, error);
}

/* The expected cap and capped sum, from the same values by the functions
 * tested above. */
static void expected(double q, double *cap, double *sum, int64_t *touched)
{
	double v[400];
	size_t n = 0;
	int i;

	for (i = 0; i < 400; i++)
		if (i % 10 != 3)
			v[n++] = (double)i * i;
	*cap = q > 0 ? tact_quantile_linear(v, n, q) : -q;
	*sum = 0;
	*touched = 0;
	for (i = 0; i < 400; i++)
		if (i % 10 != 3) {
			*sum += (double)i * i > *cap ? *cap : (double)i * i;
			*touched += (double)i * i > *cap;
		}
}

static void check_loaded(const tact_summary *s, double q)
{
	double cap, sum, total = 0;
	int64_t touched;
	size_t m = tact_summary_metric_index(s, "spend"), g;

	expected(q, &cap, &sum, &touched);
	assert_true(s->metrics[m].cap.value == cap);
	assert_int_equal(s->metrics[m].cap.touched, touched);
	for (g = 0; g < s->group_count; g++)
		total += s->groups[g].metrics[m].sum;
	assert_close(total, sum, 1e-12);
}

static void test_load(void **state)
{
	char *rows = export(0), *sessions = export(1);
	tact_summary s;
	tact_error error;

	(void)state;
	/* pQ without a unit column: rows held. */
	assert_int_equal(load(rows, "spend=p90", &s, &error), TACT_OK);
	check_loaded(&s, 0.9);
	assert_int_equal(s.metrics[tact_summary_metric_index(&s, "spend")].cap.kind,
	                 TACT_CAP_QUANTILE);
	tact_summary_release(&s);
	/* Absolute: streaming. */
	assert_int_equal(load(rows, "spend=20000", &s, &error), TACT_OK);
	check_loaded(&s, -20000);
	tact_summary_release(&s);
	/* Sessions folded first: a unit's spend is the sum of its sessions. */
	assert_int_equal(load(sessions, "spend=p90", &s, &error), TACT_OK);
	check_loaded(&s, 0.9);
	tact_summary_release(&s);
	/* From a file: pQ by two passes (the second parallel, in parts of 2 KiB),
	 * the absolute cap parallel too. */
	assert_int_equal(load_file(rows, "spend=p90", &s, "test_cap.tmp.csv", 2048,
	                           &error), TACT_OK);
	check_loaded(&s, 0.9);
	tact_summary_release(&s);
	assert_int_equal(load_file(rows, "spend=20000", &s, "test_cap.tmp.csv", 2048,
	                           &error), TACT_OK);
	check_loaded(&s, -20000);
	tact_summary_release(&s);
	assert_int_equal(load_file(sessions, "spend=p90", &s, "test_cap.tmp.csv",
	                           2048, &error), TACT_OK);
	check_loaded(&s, 0.9);
	tact_summary_release(&s);
	/* Refusals. */
	assert_int_equal(load(rows, "converted=p50", &s, &error), TACT_USAGE);
	assert_string_equal(error.message, "--cap: 'converted' is a 0/1 metric "
	                    "(a rate), which cannot be capped");
	tact_summary_release(&s);
	assert_int_equal(load(rows, "spent=5", &s, &error), TACT_USAGE);
	assert_string_equal(error.message, "--cap: no metric 'spent'; the metrics "
	                    "are: 'converted', 'spend'");
	tact_summary_release(&s);
	free(rows);
	free(sessions);
}

/* A summary written and read back keeps its caps; merging: the same
 * absolute cap adds its counts, others are refused. */
static void test_summary_file_and_merge(void **state)
{
	char *rows = export(0), *text = NULL;
	size_t length = 0;
	tact_summary a, b, c, back;
	tact_error error;
	tact_load_options options;
	FILE *out;
	size_t m;

	(void)state;
	assert_int_equal(load(rows, "spend=20000", &a, &error), TACT_OK);
	assert_int_equal(load(rows, "spend=20000", &b, &error), TACT_OK);
	m = tact_summary_metric_index(&a, "spend");
	out = open_memstream(&text, &length);
	assert_int_equal(tact_summaryfile_write(&a, out, &error), TACT_OK);
	fclose(out);
	assert_non_null(strstr(text, "\nmeta,cap:spend,20000,"));
	assert_non_null(strstr(text, "\nmeta,cap_value:spend,20000,"));
	assert_non_null(strstr(text, "\nmeta,capped_units:spend,"));
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	tact_summary_init(&back);
	assert_int_equal(tact_load_memory("s.csv", text, length, &options, &back,
	                                  NULL, &error), TACT_OK);
	assert_int_equal(back.metrics[m].cap.kind, TACT_CAP_VALUE);
	assert_true(back.metrics[m].cap.value == 20000);
	assert_int_equal(back.metrics[m].cap.touched, a.metrics[m].cap.touched);
	tact_summary_release(&back);
	/* Asking a summary for another cap, or for a cap it lacks: refused. */
	assert_int_equal(tact_roles_spec_set(&options.roles, "cap", "spend=p99",
	                                     &error), TACT_OK);
	tact_summary_init(&back);
	assert_int_equal(tact_load_memory("s.csv", text, length, &options, &back,
	                                  NULL, &error), TACT_USAGE);
	tact_summary_release(&back);
	tact_load_options_release(&options);
	free(text);

	assert_int_equal(tact_summary_merge(&a, &b, &error), TACT_OK);
	assert_int_equal(a.metrics[m].cap.touched, 2 * b.metrics[m].cap.touched);
	assert_int_equal(load(rows, "spend=p90", &c, &error), TACT_OK);
	assert_int_equal(tact_summary_merge(&a, &c, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "absolute cap"));
	assert_int_equal(tact_summary_merge(&c, &c, &error), TACT_DATA);
	tact_summary_release(&c);
	assert_int_equal(load(rows, NULL, &c, &error), TACT_OK);
	assert_int_equal(tact_summary_merge(&a, &c, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "'20000' and 'none'"));
	tact_summary_release(&a);
	tact_summary_release(&b);
	tact_summary_release(&c);
	free(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile_numpy),
		cmocka_unit_test(test_quantile_permutes),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_summary_file_and_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
