/*
 * test_summary.c - sufficient statistics per segment x arm: accumulating,
 * finishing, merging, sorting.
 *
 * Expected numbers: tests/expected/summary_expected.h, printed by
 * tests/expected/summary.py, which draws the dataset (fixed seed) and
 * computes every group's n, sum, m2 and every pair's n, sums and c exactly
 * with Python's fractions (cross-checked against numpy's float64).
 *
 * Tolerances: counts exactly; sums and m2 to 1e-12 relative; a pair's c to
 * 1e-12 relative to sqrt(m2_a m2_b), its natural scale (c itself may be
 * near zero by cancellation when two metrics are unrelated).  The
 * stability test (1e9 plus noise) asks for 1e-9 relative on the variance,
 * which a naive sum of squares misses by orders of magnitude.
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
#include "summary.h"

#include "../expected/summary_expected.h"

static uint64_t rng_state;

static uint64_t next_random(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform on [0, 1) with 53 random bits. */
static double next_uniform(void)
{
	return (double)(next_random() >> 11) * 0x1.0p-53;
}

static void setup_dataset_summary(tact_summary *summary)
{
	char *dimension = "intent";
	tact_error error;

	tact_summary_init(summary);
	tact_error_init(&error);
	assert_int_equal(tact_summary_setup(summary, 1, &dimension, "arm",
	                                    SUMMARY_METRICS,
	                                    (char *const *)summary_metric_names,
	                                    summary_metric_roles, &error),
	                 TACT_OK);
}

static void add_row(tact_summary *summary, size_t row)
{
	const char *label = summary_groups[summary_rows[row].group].intent;
	const char *arm = summary_groups[summary_rows[row].group].arm;
	size_t length = strlen(label), group;
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_summary_group_find(summary, &label, &length, arm,
	                                         strlen(arm), &group, &error),
	                 TACT_OK);
	tact_summary_add(summary, group, summary_rows[row].values);
}

/* The whole dataset, rows in file order (shard < 0), or one shard of it. */
static void summarize(tact_summary *summary, const int *shard_of, int shard)
{
	size_t row;

	setup_dataset_summary(summary);
	for (row = 0; row < SUMMARY_ROWS; row++) {
		if (shard >= 0 && shard_of[row] != shard)
			continue;
		add_row(summary, row);
		summary->rows_read++;
	}
	tact_summary_finish(summary);
}

/* The group of summary with these labels, or fail. */
static const tact_summary_group *group_named(const tact_summary *summary,
                                             const char *intent,
                                             const char *arm)
{
	size_t g;

	for (g = 0; g < summary->group_count; g++)
		if (strcmp(summary->groups[g].labels[0], intent) == 0 &&
		    strcmp(summary->groups[g].arm, arm) == 0)
			return &summary->groups[g];
	print_error("no group %s/%s\n", intent, arm);
	fail();
	return NULL;
}

static void check_scaled(double actual, double expected, double scale,
                         const char *what, size_t group, size_t index)
{
	double tolerance = 1e-12 * fmax(fabs(expected), scale);

	if (!(fabs(actual - expected) <= tolerance)) {
		print_error("group %zu %s %zu: %.17g, expected %.17g\n", group, what,
		            index, actual, expected);
		fail();
	}
}

/* Compare a finished summary with the exact expected values. */
static void check_against_expected(const tact_summary *summary)
{
	size_t g, k, p;

	assert_int_equal(summary->group_count, SUMMARY_GROUPS);
	assert_int_equal(summary->pair_count, SUMMARY_PAIRS);
	for (g = 0; g < SUMMARY_GROUPS; g++) {
		const tact_summary_group *group =
			group_named(summary, summary_groups[g].intent,
			            summary_groups[g].arm);
		assert_int_equal(group->units, summary_expected[g].units);
		for (k = 0; k < SUMMARY_METRICS; k++) {
			const tact_moments *mo = &group->metrics[k];
			assert_int_equal(mo->n, summary_expected[g].metrics[k].n);
			check_scaled(mo->sum, summary_expected[g].metrics[k].sum, 0,
			             "sum", g, k);
			check_scaled(mo->m2, summary_expected[g].metrics[k].m2, 0, "m2",
			             g, k);
			if (summary_metric_roles[k] == TACT_ROLE_GOAL ||
			    summary_metric_roles[k] == TACT_ROLE_ANNOYANCE)
				assert_true(mo->sum == summary_expected[g].metrics[k].sum);
		}
		for (k = 0, p = 0; k < SUMMARY_METRICS; k++) {
			size_t b;
			for (b = k + 1; b < SUMMARY_METRICS; b++, p++) {
				const tact_comoments *co = &group->pairs[p];
				double scale = sqrt(summary_expected[g].metrics[k].m2 *
				                    summary_expected[g].metrics[b].m2);
				assert_int_equal(tact_summary_pair(summary, k, b), p);
				assert_int_equal(co->n, summary_expected[g].pairs[p].n);
				check_scaled(co->sum_a, summary_expected[g].pairs[p].sum_a, 0,
				             "pair sum_a", g, p);
				check_scaled(co->sum_b, summary_expected[g].pairs[p].sum_b, 0,
				             "pair sum_b", g, p);
				check_scaled(co->c, summary_expected[g].pairs[p].c, scale,
				             "pair c", g, p);
			}
		}
	}
}

static void test_against_exact_computation(void **state)
{
	tact_summary summary;

	(void)state;
	summarize(&summary, NULL, -1);
	assert_true(summary.finished);
	check_against_expected(&summary);
	/* 0/1 metrics stay flagged binary; value and exposures never are. */
	assert_true(summary.metrics[0].binary);
	assert_true(summary.metrics[1].binary);
	assert_false(summary.metrics[2].binary);
	assert_false(summary.metrics[3].binary);
	assert_int_equal(summary.metric_count, 4);
	assert_string_equal(summary.metrics[2].name, "revenue");
	assert_int_equal(summary.metrics[3].role, TACT_ROLE_EXPOSURES);
	assert_int_equal(tact_summary_metric_index(&summary, "exposures"), 3);
	assert_int_equal(tact_summary_metric_index(&summary, "nope"), TACT_NO_COLUMN);
	/* Finishing twice changes nothing. */
	tact_summary_finish(&summary);
	check_against_expected(&summary);
	tact_summary_release(&summary);
}

static void test_pair_index(void **state)
{
	tact_summary summary;
	char *names[5] = {"a", "b", "c", "d", "e"};
	tact_role roles[5] = {TACT_ROLE_GOAL, TACT_ROLE_GOAL, TACT_ROLE_VALUE,
	                      TACT_ROLE_VALUE, TACT_ROLE_VALUE};
	tact_error error;
	size_t a, b, expected = 0;

	(void)state;
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 0, NULL, "arm", 5, names,
	                                    roles, &error),
	                 TACT_OK);
	assert_int_equal(summary.pair_count, 10);
	/* Pairs (a < b) in row-major order, either argument order. */
	for (a = 0; a < 5; a++)
		for (b = a + 1; b < 5; b++, expected++) {
			assert_int_equal(tact_summary_pair(&summary, a, b), expected);
			assert_int_equal(tact_summary_pair(&summary, b, a), expected);
		}
	tact_summary_release(&summary);
}

/* (b) 1e9 plus uniform noise: the variance of the noise survives. */
static void test_stability_large_offset(void **state)
{
	const size_t n = 1000000;
	double *noise = malloc(n * sizeof *noise);
	char *name = "value";
	tact_role role = TACT_ROLE_VALUE;
	tact_summary summary;
	tact_error error;
	size_t i, group;
	double mean = 0, m2 = 0;

	(void)state;
	assert_non_null(noise);
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 0, NULL, "arm", 1, &name,
	                                    &role, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, NULL, NULL, "a", 1,
	                                         &group, &error),
	                 TACT_OK);
	rng_state = 99;
	for (i = 0; i < n; i++) {
		double value = 1e9 + next_uniform();
		/* The noise the double actually holds (exact: Sterbenz). */
		noise[i] = value - 1e9;
		tact_summary_add(&summary, group, &value);
	}
	tact_summary_finish(&summary);
	/* The reference: two passes over the small noise values. */
	for (i = 0; i < n; i++)
		mean += noise[i];
	mean /= (double)n;
	for (i = 0; i < n; i++)
		m2 += (noise[i] - mean) * (noise[i] - mean);
	assert_int_equal(summary.groups[group].metrics[0].n, n);
	assert_close(summary.groups[group].metrics[0].m2, m2, 1e-9);
	assert_close(tact_moments_variance(summary.groups[group].metrics[0]),
	             m2 / (double)(n - 1), 1e-9);
	assert_close(tact_moments_mean(summary.groups[group].metrics[0]),
	             1e9 + mean, 1e-15);
	assert_close(m2 / (double)(n - 1), 1.0 / 12.0, 1e-2); /* sanity */
	tact_summary_release(&summary);
	free(noise);
}

/* (b') The same offset in a pair: c of two offset metrics. */
static void test_stability_comoment(void **state)
{
	const size_t n = 200000;
	char *names[2] = {"x", "y"};
	tact_role roles[2] = {TACT_ROLE_VALUE, TACT_ROLE_VALUE};
	tact_summary summary;
	tact_error error;
	size_t i, group;
	double *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v);
	double mu = 0, mv = 0, c = 0;

	(void)state;
	assert_non_null(u);
	assert_non_null(v);
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 0, NULL, "arm", 2, names,
	                                    roles, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, NULL, NULL, "a", 1,
	                                         &group, &error),
	                 TACT_OK);
	rng_state = 7;
	for (i = 0; i < n; i++) {
		double values[2];
		double e = next_uniform();
		values[0] = 1e9 + e;
		values[1] = -5e8 + (e + next_uniform()); /* correlated with x */
		/* Every tenth unit lacks y: the incomplete path too. */
		if (i % 10 == 3)
			values[1] = NAN;
		tact_summary_add(&summary, group, values);
		u[i] = values[0] - 1e9;
		v[i] = values[1] + 5e8;
	}
	tact_summary_finish(&summary);
	{
		size_t m = 0;
		for (i = 0; i < n; i++)
			if (!isnan(v[i])) {
				mu += u[i];
				mv += v[i];
				m++;
			}
		mu /= (double)m;
		mv /= (double)m;
		for (i = 0; i < n; i++)
			if (!isnan(v[i]))
				c += (u[i] - mu) * (v[i] - mv);
		assert_int_equal(summary.groups[group].pairs[0].n, m);
	}
	assert_close(summary.groups[group].pairs[0].c, c, 1e-9);
	tact_summary_release(&summary);
	free(u);
	free(v);
}

/* (c) Shards merged equal the whole. */
static void test_merge_shards(void **state)
{
	static int shard_of[SUMMARY_ROWS];
	const int shard_counts[] = {2, 3, 5, 8};
	tact_summary whole;
	size_t t, row;

	(void)state;
	summarize(&whole, NULL, -1);
	rng_state = 2024;
	for (t = 0; t < sizeof shard_counts / sizeof shard_counts[0]; t++) {
		const int k = shard_counts[t];
		tact_summary merged, shard;
		tact_error error;
		size_t g, m, p;
		int s;

		for (row = 0; row < SUMMARY_ROWS; row++)
			shard_of[row] = (int)(next_random() % (uint64_t)k);
		summarize(&merged, shard_of, 0);
		for (s = 1; s < k; s++) {
			summarize(&shard, shard_of, s);
			tact_error_init(&error);
			assert_int_equal(tact_summary_merge(&merged, &shard, &error),
			                 TACT_OK);
			tact_summary_release(&shard);
		}
		assert_int_equal(merged.rows_read, SUMMARY_ROWS);
		check_against_expected(&merged);
		/* And against the whole summarized at once. */
		for (g = 0; g < whole.group_count; g++) {
			const tact_summary_group *w = &whole.groups[g];
			const tact_summary_group *x =
				group_named(&merged, w->labels[0], w->arm);
			assert_int_equal(x->units, w->units);
			for (m = 0; m < whole.metric_count; m++) {
				assert_int_equal(x->metrics[m].n, w->metrics[m].n);
				check_scaled(x->metrics[m].sum, w->metrics[m].sum, 0, "sum",
				             g, m);
				check_scaled(x->metrics[m].m2, w->metrics[m].m2, 0, "m2", g,
				             m);
			}
			for (m = 0; m < whole.metric_count; m++) {
				size_t b;
				for (b = m + 1; b < whole.metric_count; b++) {
					p = tact_summary_pair(&whole, m, b);
					assert_int_equal(x->pairs[p].n, w->pairs[p].n);
					check_scaled(x->pairs[p].sum_a, w->pairs[p].sum_a, 0,
					             "sum_a", g, p);
					check_scaled(x->pairs[p].sum_b, w->pairs[p].sum_b, 0,
					             "sum_b", g, p);
					check_scaled(x->pairs[p].c, w->pairs[p].c,
					             sqrt(w->metrics[m].m2 * w->metrics[b].m2),
					             "c", g, p);
				}
			}
		}
		assert_true(merged.metrics[0].binary);
		assert_false(merged.metrics[2].binary);
		tact_summary_release(&merged);
	}
	tact_summary_release(&whole);
}

static void test_merge_into_empty_and_metadata(void **state)
{
	tact_summary into, from;
	tact_error error;

	(void)state;
	/* Merging into a summary with no groups copies every group. */
	setup_dataset_summary(&into);
	tact_summary_finish(&into);
	summarize(&from, NULL, -1);
	from.rows_rejected = 3;
	from.rows_excluded_consent = 5;
	from.units_in_several_arms = 2;
	into.rows_rejected = 1;
	assert_int_equal(tact_summary_merge(&into, &from, &error), TACT_OK);
	check_against_expected(&into);
	assert_int_equal(into.rows_read, SUMMARY_ROWS);
	assert_int_equal(into.rows_rejected, 4);
	assert_int_equal(into.rows_excluded_consent, 5);
	assert_int_equal(into.units_in_several_arms, 2);
	tact_summary_release(&into);
	tact_summary_release(&from);
}

static void test_merge_binary_flag(void **state)
{
	tact_summary a, b;
	tact_error error;
	double half[SUMMARY_METRICS] = {0.5, 0, 1, 1};
	size_t group;
	const char *label = "x";
	size_t length = 1;

	(void)state;
	summarize(&a, NULL, -1);
	setup_dataset_summary(&b);
	assert_int_equal(tact_summary_group_find(&b, &label, &length, "control", 7,
	                                         &group, &error),
	                 TACT_OK);
	tact_summary_add(&b, group, half); /* converted 0.5: not 0/1 any more */
	assert_false(b.metrics[0].binary);
	assert_true(b.metrics[1].binary);
	tact_summary_finish(&b);
	assert_int_equal(tact_summary_merge(&a, &b, &error), TACT_OK);
	assert_false(a.metrics[0].binary);
	assert_true(a.metrics[1].binary);
	assert_int_equal(a.group_count, SUMMARY_GROUPS + 1);
	tact_summary_release(&a);
	tact_summary_release(&b);
}

/* Merging refuses summaries of different shapes. */
static void test_merge_mismatches(void **state)
{
	char *dims1[1] = {"intent"}, *dims2[2] = {"intent", "device"};
	char *other_dim[1] = {"device"};
	char *metrics[2] = {"converted", "bounced"};
	char *metrics_renamed[2] = {"converted", "unsubscribed"};
	tact_role roles[2] = {TACT_ROLE_GOAL, TACT_ROLE_ANNOYANCE};
	tact_role roles_swapped[2] = {TACT_ROLE_GOAL, TACT_ROLE_GOAL};
	tact_summary base, other;
	tact_error error;

	(void)state;
	tact_summary_init(&base);
	assert_int_equal(tact_summary_setup(&base, 1, dims1, "arm", 2, metrics,
	                                    roles, &error),
	                 TACT_OK);
	tact_summary_finish(&base);

#define MISMATCH(setup_call, text_)                                          \
	do {                                                                  \
		tact_summary_init(&other);                                    \
		assert_int_equal(setup_call, TACT_OK);                        \
		tact_summary_finish(&other);                                  \
		tact_error_init(&error);                                      \
		assert_int_equal(tact_summary_merge(&base, &other, &error),   \
		                 TACT_DATA);                                  \
		if (!strstr(error.message, text_)) {                          \
			print_error("[%s] lacks [%s]\n", error.message, text_);   \
			fail();                                               \
		}                                                             \
		tact_summary_release(&other);                                 \
	} while (0)

	MISMATCH(tact_summary_setup(&other, 2, dims2, "arm", 2, metrics, roles,
	                            &error),
	         "summaries have different segment dimensions");
	MISMATCH(tact_summary_setup(&other, 1, other_dim, "arm", 2, metrics, roles,
	                            &error),
	         "summaries segment by different columns ('intent' and 'device')");
	MISMATCH(tact_summary_setup(&other, 1, dims1, "variant", 2, metrics, roles,
	                            &error),
	         "summaries have different arm columns ('arm' and 'variant')");
	MISMATCH(tact_summary_setup(&other, 1, dims1, "arm", 1, metrics, roles,
	                            &error),
	         "summaries have different metrics (2 and 1)");
	MISMATCH(tact_summary_setup(&other, 1, dims1, "arm", 2, metrics_renamed,
	                            roles, &error),
	         "different metrics or roles ('bounced' as annoyance, "
	         "'unsubscribed' as annoyance)");
	MISMATCH(tact_summary_setup(&other, 1, dims1, "arm", 2, metrics,
	                            roles_swapped, &error),
	         "('bounced' as annoyance, 'bounced' as goal)");

	/* Different controls, and a control against none. */
	assert_int_equal(tact_summary_set_control(&base, "control", &error),
	                 TACT_OK);
	MISMATCH(tact_summary_setup(&other, 1, dims1, "arm", 2, metrics, roles,
	                            &error) ||
	                 tact_summary_set_control(&other, "holdout", &error),
	         "summaries name different control arms ('control' and "
	         "'holdout')");
	MISMATCH(tact_summary_setup(&other, 1, dims1, "arm", 2, metrics, roles,
	                            &error),
	         "summaries name different control arms ('control' and '')");
	/* Units: one aggregated by visitor, the other not. */
	assert_int_equal(tact_summary_set_control(&base, NULL, &error), TACT_OK);
	base.unit_name = strdup("visitor_id");
	MISMATCH(tact_summary_setup(&other, 1, dims1, "arm", 2, metrics, roles,
	                            &error),
	         "summaries aggregate by different units");
#undef MISMATCH
	tact_summary_release(&base);
}

/* (d) 0/1 metrics: exact integer sums; m2 = s - s^2/n. */
static void test_binary_exact(void **state)
{
	const size_t n = 1000000;
	char *names[3] = {"starts_at_one", "starts_at_zero", "sparse"};
	tact_role roles[3] = {TACT_ROLE_GOAL, TACT_ROLE_ANNOYANCE, TACT_ROLE_GOAL};
	int64_t counts[3] = {0, 0, 0}, present[3] = {0, 0, 0};
	tact_summary summary;
	tact_error error;
	size_t i, k, group;

	(void)state;
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 0, NULL, "arm", 3, names,
	                                    roles, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, NULL, NULL, "a", 1,
	                                         &group, &error),
	                 TACT_OK);
	rng_state = 5;
	for (i = 0; i < n; i++) {
		double values[3];
		values[0] = i == 0 ? 1.0 : (next_uniform() < 0.3 ? 1.0 : 0.0);
		values[1] = i == 0 ? 0.0 : (next_uniform() < 0.7 ? 1.0 : 0.0);
		values[2] = next_uniform() < 0.001 ? 1.0 : 0.0;
		if (i % 17 == 5)
			values[1] = NAN;
		for (k = 0; k < 3; k++) {
			if (isnan(values[k]))
				continue;
			present[k]++;
			counts[k] += values[k] == 1.0;
		}
		tact_summary_add(&summary, group, values);
	}
	tact_summary_finish(&summary);
	for (k = 0; k < 3; k++) {
		const tact_moments *mo = &summary.groups[group].metrics[k];
		double s = (double)counts[k], nn = (double)present[k];
		assert_int_equal(mo->n, present[k]);
		assert_true(mo->sum == s);
		assert_true(mo->sum == floor(mo->sum));
		assert_close(mo->m2, s - s * s / nn, 1e-14);
		assert_true(summary.metrics[k].binary);
	}
	/* Pairs of 0/1 metrics: the sums are exact counts too. */
	for (k = 0; k < 3; k++)
		assert_true(summary.groups[group].pairs[k].sum_a ==
		            floor(summary.groups[group].pairs[k].sum_a));
	tact_summary_release(&summary);
}

static void test_moments_helpers(void **state)
{
	tact_moments empty = {0, 0, 0}, one = {1, 5.0, 0.0};
	tact_moments four = {4, 10.0, 5.0}; /* 1, 2, 3, 4 */
	tact_moments two = {2, 11.0, 0.5};  /* 5, 6 */
	tact_moments r;
	tact_comoments ca = {2, 3.0, 30.0, 5.0};   /* (1,10) (2,20) */
	tact_comoments cb = {1, 4.0, 10.0, 0.0};   /* (4,10) */
	tact_comoments cr;

	(void)state;
	assert_true(isnan(tact_moments_mean(empty)));
	assert_true(isnan(tact_moments_variance(empty)));
	assert_true(tact_moments_mean(one) == 5.0);
	assert_true(isnan(tact_moments_variance(one)));
	assert_true(tact_moments_mean(four) == 2.5);
	assert_close(tact_moments_variance(four), 5.0 / 3.0, 1e-15);
	r = tact_moments_combine(empty, four);
	assert_true(r.n == 4 && r.sum == 10.0 && r.m2 == 5.0);
	r = tact_moments_combine(four, empty);
	assert_true(r.n == 4 && r.sum == 10.0 && r.m2 == 5.0);
	/* 1..6: mean 3.5, m2 17.5. */
	r = tact_moments_combine(four, two);
	assert_int_equal(r.n, 6);
	assert_true(r.sum == 21.0);
	assert_close(r.m2, 17.5, 1e-15);
	r = tact_moments_combine(two, four);
	assert_close(r.m2, 17.5, 1e-15);
	/* (1,10) (2,20) (4,10): means 7/3, 40/3; c = -10/3. */
	cr = tact_comoments_combine(ca, cb);
	assert_int_equal(cr.n, 3);
	assert_true(cr.sum_a == 7.0 && cr.sum_b == 40.0);
	assert_close(cr.c, -10.0 / 3.0, 1e-15);
	cr = tact_comoments_combine((tact_comoments){0, 0, 0, 0}, cb);
	assert_true(cr.n == 1 && cr.sum_a == 4.0 && cr.c == 0.0);
}

static void test_missing_values(void **state)
{
	char *names[3] = {"a", "b", "c"};
	tact_role roles[3] = {TACT_ROLE_VALUE, TACT_ROLE_VALUE, TACT_ROLE_VALUE};
	double rows[][3] = {
		{NAN, NAN, NAN}, {1, NAN, 4}, {NAN, 2, 6}, {3, 5, NAN}, {NAN, NAN, NAN},
	};
	tact_summary summary;
	tact_error error;
	size_t i, group;
	const tact_summary_group *g;

	(void)state;
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 0, NULL, "arm", 3, names,
	                                    roles, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, NULL, NULL, "t", 1,
	                                         &group, &error),
	                 TACT_OK);
	for (i = 0; i < 5; i++)
		tact_summary_add(&summary, group, rows[i]);
	tact_summary_finish(&summary);
	g = &summary.groups[group];
	/* Units count every row, even one with every metric missing. */
	assert_int_equal(g->units, 5);
	assert_int_equal(g->metrics[0].n, 2);
	assert_true(g->metrics[0].sum == 4.0 && g->metrics[0].m2 == 2.0);
	assert_int_equal(g->metrics[1].n, 2);
	assert_true(g->metrics[1].sum == 7.0 && g->metrics[1].m2 == 4.5);
	assert_int_equal(g->metrics[2].n, 2);
	assert_true(g->metrics[2].sum == 10.0 && g->metrics[2].m2 == 2.0);
	/* (a, b): only the unit (3, 5). */
	assert_int_equal(g->pairs[0].n, 1);
	assert_true(g->pairs[0].sum_a == 3.0 && g->pairs[0].sum_b == 5.0 &&
	            g->pairs[0].c == 0.0);
	/* (a, c): (1, 4). (b, c): (2, 6). */
	assert_int_equal(g->pairs[1].n, 1);
	assert_true(g->pairs[1].sum_a == 1.0 && g->pairs[1].sum_b == 4.0);
	assert_int_equal(g->pairs[2].n, 1);
	assert_true(g->pairs[2].sum_a == 2.0 && g->pairs[2].sum_b == 6.0);
	tact_summary_release(&summary);
}

static void test_sort_and_find(void **state)
{
	static const char *const labels[][2] = {
		{"zeta", "b"}, {"flâneur", "a"}, {"alpha", "b"}, {"alpha", "a"},
		{"Zulu", "a"}, {"", "a"}, {"flaneur", "a"}, {"alpha", "B"},
	};
	static const char *const sorted[][2] = {
		{"", "a"}, {"Zulu", "a"}, {"alpha", "B"}, {"alpha", "a"},
		{"alpha", "b"}, {"flaneur", "a"}, {"flâneur", "a"}, {"zeta", "b"},
	};
	const size_t n = sizeof labels / sizeof labels[0];
	char *dimension = "intent", *metric = "m";
	tact_role role = TACT_ROLE_VALUE;
	tact_summary summary;
	tact_error error;
	size_t i, group;

	(void)state;
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 1, &dimension, "arm", 1,
	                                    &metric, &role, &error),
	                 TACT_OK);
	for (i = 0; i < n; i++) {
		const char *label = labels[i][0];
		size_t length = strlen(label);
		double value = (double)i;
		assert_int_equal(tact_summary_group_find(&summary, &label, &length,
		                                         labels[i][1],
		                                         strlen(labels[i][1]), &group,
		                                         &error),
		                 TACT_OK);
		assert_int_equal(group, i);
		tact_summary_add(&summary, group, &value);
	}
	tact_summary_finish(&summary);
	tact_summary_sort(&summary);
	for (i = 0; i < n; i++) {
		const char *label = sorted[i][0];
		size_t length = strlen(label);
		int added = -1;
		assert_string_equal(summary.groups[i].labels[0], sorted[i][0]);
		assert_string_equal(summary.groups[i].arm, sorted[i][1]);
		/* The index follows the sort. */
		assert_int_equal(tact_summary_group_insert(&summary, &label, &length,
		                                           sorted[i][1],
		                                           strlen(sorted[i][1]),
		                                           &group, &added, &error),
		                 TACT_OK);
		assert_int_equal(added, 0);
		assert_int_equal(group, i);
	}
	/* The values moved with their groups. */
	for (i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < n; j++)
			if (strcmp(labels[j][0], sorted[i][0]) == 0 &&
			    strcmp(labels[j][1], sorted[i][1]) == 0)
				assert_true(summary.groups[i].metrics[0].sum == (double)j);
	}
	tact_summary_release(&summary);
}

/* Labels are keyed with their lengths: "a"+"bc" differs from "ab"+"c". */
static void test_group_keys(void **state)
{
	char *dims[2] = {"d1", "d2"}, *metric = "m";
	tact_role role = TACT_ROLE_VALUE;
	tact_summary summary;
	tact_error error;
	const char *l1[2] = {"a", "bc"}, *l2[2] = {"ab", "c"};
	size_t len1[2] = {1, 2}, len2[2] = {2, 1}, g1, g2, g3;

	(void)state;
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 2, dims, "arm", 1, &metric,
	                                    &role, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, l1, len1, "x", 1, &g1,
	                                         &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, l2, len2, "x", 1, &g2,
	                                         &error),
	                 TACT_OK);
	/* The arm takes part in the key; lengths bound the labels. */
	assert_int_equal(tact_summary_group_find(&summary, l1, len1, "xy", 1, &g3,
	                                         &error),
	                 TACT_OK);
	assert_int_not_equal(g1, g2);
	assert_int_equal(g3, g1);
	assert_string_equal(summary.groups[g2].labels[0], "ab");
	assert_string_equal(summary.groups[g2].labels[1], "c");
	assert_int_equal(summary.group_count, 2);
	tact_summary_finish(&summary);
	tact_summary_release(&summary);
}

/*
 * tact_summary_group_find_padded (labels compared a word at a time) finds
 * the same groups as tact_summary_group_find: labels of every length from 0
 * to 20 (past the 16 bytes of the word path), differing only at byte 0, 7,
 * 8, 15 or 16, with other bytes after each label's end (the padding may
 * hold anything), and a column of 70 labels (past the cache's 64).
 */
static void test_group_find_padded(void **state)
{
	enum { LABELS = 70, ROWS = 5000 };
	char *dims[2] = {"d1", "d2"}, *metric = "m";
	tact_role role = TACT_ROLE_VALUE;
	tact_summary plain, padded;
	tact_error error;
	static char text[LABELS][48];
	size_t lengths[LABELS], i;
	unsigned seed = 12345;

	(void)state;
	for (i = 0; i < LABELS; i++) {
		size_t length = i % 21, k;
		memset(text[i], 'Z' - (int)(i % 3), sizeof text[i]);
		for (k = 0; k < length; k++)
			text[i][k] = (char)('a' + k % 7);
		/* Same length, one byte apart: positions 0, 7, 8, 15, 16. */
		if (length > 0 && i >= 21) {
			static const size_t at[] = {0, 7, 8, 15, 16};
			size_t p = at[(i / 21) % 5] % length;
			text[i][p] = (char)('A' + i / 21);
		}
		lengths[i] = length;
	}
	tact_summary_init(&plain);
	tact_summary_init(&padded);
	assert_int_equal(tact_summary_setup(&plain, 2, dims, "arm", 1, &metric,
	                                    &role, &error), TACT_OK);
	assert_int_equal(tact_summary_setup(&padded, 2, dims, "arm", 1, &metric,
	                                    &role, &error), TACT_OK);
	for (i = 0; i < ROWS; i++) {
		size_t a, b, c, g1, g2;
		const char *labels[2];
		size_t label_lengths[2];
		double value = (double)i;
		seed = seed * 1103515245u + 12345u;
		a = (seed >> 8) % LABELS;
		seed = seed * 1103515245u + 12345u;
		b = (seed >> 8) % 40; /* the second column stays under 64 */
		seed = seed * 1103515245u + 12345u;
		c = (seed >> 8) % 25;
		labels[0] = text[a];
		labels[1] = text[b];
		label_lengths[0] = lengths[a];
		label_lengths[1] = lengths[b];
		assert_int_equal(tact_summary_group_find(&plain, labels, label_lengths,
		                                         text[c], lengths[c], &g1,
		                                         &error), TACT_OK);
		assert_int_equal(tact_summary_group_find_padded(
		                         &padded, labels, label_lengths, text[c],
		                         lengths[c], &g2, &error), TACT_OK);
		assert_int_equal(g1, g2);
		assert_int_equal(strlen(padded.groups[g2].labels[0]), lengths[a]);
		assert_memory_equal(padded.groups[g2].labels[0], text[a], lengths[a]);
		assert_memory_equal(padded.groups[g2].labels[1], text[b], lengths[b]);
		assert_memory_equal(padded.groups[g2].arm, text[c], lengths[c]);
		tact_summary_add(&plain, g1, &value);
		tact_summary_add(&padded, g2, &value);
	}
	assert_int_equal(plain.group_count, padded.group_count);
	assert_true(plain.group_count > 1000);
	tact_summary_finish(&plain);
	tact_summary_finish(&padded);
	tact_summary_release(&plain);
	tact_summary_release(&padded);
}

/* Over rows where columns a and b are present: count, sums and the sum
 * of cross-products of deviations (two passes; a == b gives m2). */
static void two_pass(const double *values, size_t stride, size_t rows,
                     size_t a, size_t b, double *n, double *sum_a,
                     double *sum_b, double *c)
{
	double count = 0, sa = 0, sb = 0, ma, mb, total = 0;
	size_t i;

	for (i = 0; i < rows; i++) {
		const double *row = values + i * stride;
		if (isnan(row[a]) || isnan(row[b]))
			continue;
		count++;
		sa += row[a];
		sb += row[b];
	}
	ma = sa / count;
	mb = sb / count;
	for (i = 0; i < rows; i++) {
		const double *row = values + i * stride;
		if (isnan(row[a]) || isnan(row[b]))
			continue;
		total += (row[a] - ma) * (row[b] - mb);
	}
	*n = count;
	*sum_a = sa;
	*sum_b = sb;
	*c = total;
}

/* More than 64 metrics and dimensions: the heap paths. */
static void test_many_metrics_and_dimensions(void **state)
{
	enum { M = 70, D = 70, ROWS = 3000 };
	char *metric_names[M], *dimension_names[D];
	char name_text[M + D][16];
	tact_role roles[M];
	const char *labels[D];
	size_t lengths[D];
	static double values[ROWS][M];
	tact_summary summary, half;
	tact_error error;
	size_t i, k, d, group;

	(void)state;
	for (k = 0; k < M; k++) {
		snprintf(name_text[k], sizeof name_text[k], "m%zu", k);
		metric_names[k] = name_text[k];
		roles[k] = TACT_ROLE_VALUE;
	}
	for (d = 0; d < D; d++) {
		snprintf(name_text[M + d], sizeof name_text[M + d], "d%zu", d);
		dimension_names[d] = name_text[M + d];
		labels[d] = d % 2 ? "odd" : "even";
		lengths[d] = strlen(labels[d]);
	}
	rng_state = 11;
	for (i = 0; i < ROWS; i++)
		for (k = 0; k < M; k++)
			values[i][k] = next_random() % 7 == 0
			                       ? NAN
			                       : (double)(next_random() % 1000) / 8.0;
	tact_summary_init(&summary);
	tact_summary_init(&half);
	assert_int_equal(tact_summary_setup(&summary, D, dimension_names, "arm", M,
	                                    metric_names, roles, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_setup(&half, D, dimension_names, "arm", M,
	                                    metric_names, roles, &error),
	                 TACT_OK);
	for (i = 0; i < ROWS; i++) {
		tact_summary *target = i < ROWS / 2 ? &summary : &half;
		assert_int_equal(tact_summary_group_find(target, labels, lengths, "a",
		                                         1, &group, &error),
		                 TACT_OK);
		tact_summary_add(target, group, values[i]);
	}
	tact_summary_finish(&summary);
	tact_summary_finish(&half);
	assert_int_equal(tact_summary_merge(&summary, &half, &error), TACT_OK);
	tact_summary_sort(&summary);
	assert_int_equal(summary.group_count, 1);
	assert_int_equal(summary.groups[0].units, ROWS);
	/* Compare a few metrics and pairs with a two-pass computation. */
	for (k = 0; k < M; k += 23) {
		size_t b = (k + 31) % M;
		const tact_comoments *co =
			&summary.groups[0].pairs[tact_summary_pair(&summary, k, b)];
		double n, sum, m2, m2b, nb, sa, sb, c;

		two_pass(&values[0][0], M, ROWS, k, k, &n, &sum, &sum, &m2);
		assert_int_equal(summary.groups[0].metrics[k].n, (int64_t)n);
		assert_close(summary.groups[0].metrics[k].sum, sum, 1e-12);
		assert_close(summary.groups[0].metrics[k].m2, m2, 1e-12);
		two_pass(&values[0][0], M, ROWS, b, b, &nb, &sb, &sb, &m2b);
		two_pass(&values[0][0], M, ROWS, k, b, &nb, &sa, &sb, &c);
		assert_int_equal(co->n, (int64_t)nb);
		/* The pair stores the lower-numbered metric first. */
		assert_close(k < b ? co->sum_a : co->sum_b, sa, 1e-12);
		assert_close(k < b ? co->sum_b : co->sum_a, sb, 1e-12);
		assert_close_abs(co->c, c, 1e-12 * sqrt(m2 * m2b));
	}
	tact_summary_release(&summary);
	tact_summary_release(&half);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_exact_computation),
		cmocka_unit_test(test_pair_index),
		cmocka_unit_test(test_stability_large_offset),
		cmocka_unit_test(test_stability_comoment),
		cmocka_unit_test(test_merge_shards),
		cmocka_unit_test(test_merge_into_empty_and_metadata),
		cmocka_unit_test(test_merge_binary_flag),
		cmocka_unit_test(test_merge_mismatches),
		cmocka_unit_test(test_binary_exact),
		cmocka_unit_test(test_moments_helpers),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_sort_and_find),
		cmocka_unit_test(test_group_keys),
		cmocka_unit_test(test_group_find_padded),
		cmocka_unit_test(test_many_metrics_and_dimensions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
