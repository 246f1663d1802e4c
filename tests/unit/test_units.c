/*
 * test_units.c - sessions folded into units: the max rule for goal and
 * annoyance metrics, the sum rule for value and exposures, missing only
 * when missing in every session, contamination counted once per unit.
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
#include "units.h"

#define M 4
static const tact_role roles[M] = {TACT_ROLE_GOAL, TACT_ROLE_ANNOYANCE,
                                   TACT_ROLE_VALUE, TACT_ROLE_EXPOSURES};

/* Fold one session of unit id into units, as the loader does. */
static size_t session(tact_units *units, const char *id, size_t group,
                      double goal, double annoyance, double value,
                      double exposures)
{
	double values[M];
	size_t unit = tact_units_find(units, id, strlen(id));
	tact_error error;

	values[0] = goal;
	values[1] = annoyance;
	values[2] = value;
	values[3] = exposures;
	tact_error_init(&error);
	assert_int_equal(tact_units_add(units, unit, id, strlen(id), group, roles,
	                                values, &error),
	                 TACT_OK);
	unit = tact_units_find(units, id, strlen(id));
	assert_int_not_equal(unit, TACT_KEYMAP_NONE);
	return unit;
}

static const double *unit_values(const tact_units *units, size_t unit)
{
	static double row[M];

	tact_units_row(units, unit, row);
	return row;
}

static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static void check_unit(const tact_units *units, const char *id, double goal,
                       double annoyance, double value, double exposures)
{
	size_t unit = tact_units_find(units, id, strlen(id));
	const double *v;

	assert_int_not_equal(unit, TACT_KEYMAP_NONE);
	v = unit_values(units, unit);
	if (!same(v[0], goal) || !same(v[1], annoyance) || !same(v[2], value) ||
	    !same(v[3], exposures)) {
		print_error("unit %s: %g %g %g %g, expected %g %g %g %g\n", id, v[0],
		            v[1], v[2], v[3], goal, annoyance, value, exposures);
		fail();
	}
}

static void test_rules(void **state)
{
	tact_units units;

	(void)state;
	tact_units_init(&units, M);
	assert_int_equal(tact_units_find(&units, "v1", 2), TACT_KEYMAP_NONE);
	/* v1: converted in its second session, bounced in its third. */
	session(&units, "v1", 0, 0, 0, 10, 2);
	session(&units, "v1", 0, 1, NAN, 5.5, 3);
	session(&units, "v1", 0, 0, 1, NAN, 0);
	check_unit(&units, "v1", 1, 1, 15.5, 5);
	/* v2: the goal never recorded stays missing; one known value is
	 * enough for the others. */
	session(&units, "v2", 1, NAN, NAN, NAN, NAN);
	check_unit(&units, "v2", NAN, NAN, NAN, NAN);
	session(&units, "v2", 1, NAN, 0, NAN, 0);
	session(&units, "v2", 1, NAN, NAN, 0, NAN);
	check_unit(&units, "v2", NAN, 0, 0, 0);
	/* v3: numeric goal and annoyance take the largest, even negative. */
	session(&units, "v3", 0, -3, 2.5, -1.25, 1);
	session(&units, "v3", 0, -7, 0.5, -1.25, 1);
	check_unit(&units, "v3", -3, 2.5, -2.5, 2);
	session(&units, "v3", 0, 3.5, NAN, 0.25, NAN);
	check_unit(&units, "v3", 3.5, 2.5, -2.25, 2);
	/* Ids are bytes: "v1" and "v1 " are different units. */
	session(&units, "v1 ", 0, 0, 0, 0, 0);
	check_unit(&units, "v1", 1, 1, 15.5, 5);
	assert_int_equal(units.count, 4);
	/* Each unit keeps the group of its first session. */
	assert_int_equal(units.groups[tact_units_find(&units, "v2", 2)], 1);
	assert_int_equal(units.groups[tact_units_find(&units, "v3", 2)], 0);
	assert_true(tact_units_bytes(&units) > 4 * M * sizeof(double));
	tact_units_release(&units);
	assert_int_equal(units.count, 0);
}

static void test_contamination_counted_once(void **state)
{
	tact_units units;
	size_t a, b;

	(void)state;
	tact_units_init(&units, M);
	a = session(&units, "a", 0, 0, 0, 0, 0);
	b = session(&units, "b", 0, 0, 0, 0, 0);
	session(&units, "c", 0, 0, 0, 0, 0);
	assert_int_equal(units.several_arms, 0);
	tact_units_mark_several_arms(&units, a);
	tact_units_mark_several_arms(&units, a);
	tact_units_mark_several_arms(&units, a);
	assert_int_equal(units.several_arms, 1);
	tact_units_mark_several_arms(&units, b);
	assert_int_equal(units.several_arms, 2);
	assert_true(units.mixed[a] && units.mixed[b]);
	assert_false(units.mixed[tact_units_find(&units, "c", 1)]);
	tact_units_release(&units);
}

/* Many units (past the first allocation), flushed into a summary. */
static void test_flush_many(void **state)
{
	enum { UNITS = 5000 };
	char *names[M] = {"converted", "bounced", "revenue", "exposures"};
	tact_summary summary;
	tact_units units;
	tact_error error;
	size_t groups[2], u, g;
	double expected_goal[2] = {0, 0}, expected_value[2] = {0, 0};
	int64_t expected_units[2] = {0, 0}, goal_n[2] = {0, 0};

	(void)state;
	tact_summary_init(&summary);
	assert_int_equal(tact_summary_setup(&summary, 0, NULL, "arm", M, names,
	                                    roles, &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, NULL, NULL, "control",
	                                         7, &groups[0], &error),
	                 TACT_OK);
	assert_int_equal(tact_summary_group_find(&summary, NULL, NULL, "treat", 5,
	                                         &groups[1], &error),
	                 TACT_OK);
	tact_units_init(&units, M);
	/* Unit u has 1 + u % 3 sessions; it converts in its last session when
	 * u % 5 == 0; its goal is missing everywhere when u % 7 == 0. */
	for (u = 0; u < UNITS; u++) {
		char id[16];
		size_t s, sessions = 1 + u % 3;
		g = u % 2;
		snprintf(id, sizeof id, "u%zu", u);
		for (s = 0; s < sessions; s++) {
			double goal = u % 7 == 0 ? NAN
			                         : (u % 5 == 0 && s + 1 == sessions);
			session(&units, id, groups[g], goal, 0, 1.5, 1);
		}
		expected_units[g]++;
		if (u % 7 != 0) {
			goal_n[g]++;
			expected_goal[g] += u % 5 == 0;
		}
		expected_value[g] += 1.5 * (double)sessions;
	}
	/* Sessions interleaved: a unit seen again after others. */
	session(&units, "u1", groups[1], NAN, 1, 0.5, NAN);
	expected_value[1] += 0.5;
	assert_int_equal(units.count, UNITS);
	assert_int_equal(tact_units_flush(&units, &summary, 1), 0); /* none mixed */
	tact_summary_finish(&summary);
	for (g = 0; g < 2; g++) {
		const tact_summary_group *group = &summary.groups[groups[g]];
		assert_int_equal(group->units, expected_units[g]);
		assert_int_equal(group->metrics[0].n, goal_n[g]);
		assert_true(group->metrics[0].sum == expected_goal[g]);
		assert_int_equal(group->metrics[2].n, expected_units[g]);
		assert_close(group->metrics[2].sum, expected_value[g], 1e-15);
		assert_true(summary.metrics[0].binary);
	}
	/* u1's late bounce counts for u1 only: one bounce in treat. */
	assert_true(summary.groups[groups[1]].metrics[1].sum == 1.0);
	tact_units_release(&units);
	tact_summary_release(&summary);
}

/* Ids of up to 8 bytes held in the slot, longer ones in the arena: ids
 * that differ only in length, in a NUL byte or past the 8th byte are
 * distinct units, found again after the table has grown. */
static void test_ids_short_and_long(void **state)
{
	static const char *const ids[] = {
		"a", "a\0", "\0", "\0\0", "abcdefgh", "abcdefgh\0",
		"abcdefghi", "abcdefghj", "abcdefghij-long visitor id 1",
		"abcdefghij-long visitor id 2", "b"};
	static const size_t lengths[] = {1, 2, 1, 2, 8, 9, 9, 9, 28, 28, 1};
	enum { N = sizeof lengths / sizeof *lengths, MANY = 20000 };
	tact_units units;
	tact_error error;
	double values[M] = {1, 0, 2, 1};
	size_t i, u;

	(void)state;
	tact_units_init(&units, M);
	for (i = 0; i < N; i++) {
		assert_int_equal(tact_units_find(&units, ids[i], lengths[i]),
		                 TACT_KEYMAP_NONE);
		assert_int_equal(tact_units_add(&units, TACT_KEYMAP_NONE, ids[i],
		                                lengths[i], i, roles, values, &error),
		                 TACT_OK);
	}
	for (u = 0; u < MANY; u++) { /* past several growths of the table */
		char id[40];
		int n = snprintf(id, sizeof id, u % 2 ? "visitor-%zu-of-many" : "%zu",
		                 u);
		assert_int_equal(tact_units_add(&units, TACT_KEYMAP_NONE, id,
		                                (size_t)n, 0, roles, values, &error),
		                 TACT_OK);
	}
	assert_int_equal(units.count, N + MANY);
	for (i = 0; i < N; i++) {
		u = tact_units_find(&units, ids[i], lengths[i]);
		assert_int_equal(u, i);
		assert_int_equal(units.groups[u], i);
	}
	for (u = 0; u < MANY; u++) {
		char id[40];
		int n = snprintf(id, sizeof id, u % 2 ? "visitor-%zu-of-many" : "%zu",
		                 u);
		assert_int_equal(tact_units_find(&units, id, (size_t)n), N + u);
	}
	assert_int_equal(tact_units_find(&units, "abcdefghk", 9), TACT_KEYMAP_NONE);
	assert_int_equal(tact_units_find(&units, "", 0), TACT_KEYMAP_NONE);
	assert_true(tact_units_bytes(&units) >= (N + MANY) * (M * sizeof(double)));
	tact_units_release(&units);
}

/* Values of 0 and 1 are held in 2 bits until another value comes: the
 * rules give what they give on doubles, -0.0 included, and a column read
 * for a cap holds the same values. */
static void test_packed_values(void **state)
{
	tact_units units;
	size_t small, packed_bytes;
	double *column;

	(void)state;
	tact_units_init(&units, M);
	session(&units, "a", 0, 0, 0, 0, 1);
	session(&units, "a", 0, 1, 0, 0, 0);
	session(&units, "a", 0, 0, 1, 0, NAN);
	session(&units, "b", 0, 1, NAN, 0, 0);
	session(&units, "b", 0, 0, NAN, 0, 0);
	check_unit(&units, "a", 1, 1, 0, 1);
	check_unit(&units, "b", 1, NAN, 0, 0);
	small = tact_units_bytes(&units);
	packed_bytes = units.capacity * (M * sizeof(double));
	assert_true(small < packed_bytes); /* no column of doubles yet */
	/* A sum past 1, a goal of 0.5 and a -0.0 value: columns of doubles. */
	session(&units, "a", 0, 0.5, 0, 1, 1);
	session(&units, "c", 0, 0.5, 0, -0.0, 1);
	session(&units, "c", 0, 0, 0, NAN, 1);
	check_unit(&units, "a", 1, 1, 1, 2);
	check_unit(&units, "b", 1, NAN, 0, 0);
	check_unit(&units, "c", 0.5, 0, 0, 2);
	assert_true(signbit(unit_values(&units, tact_units_find(&units, "c", 1))[2]));
	assert_true(tact_units_bytes(&units) > small);
	/* The annoyance column, still packed, read as doubles. */
	column = tact_units_column(&units, 1);
	assert_non_null(column);
	assert_true(column[0] == 1 && isnan(column[1]) && column[2] == 0);
	column[0] = 0.25; /* changed in place, as a cap does */
	check_unit(&units, "a", 1, 0.25, 1, 2);
	session(&units, "b", 0, 0, 1, 0, 0);
	check_unit(&units, "b", 1, 1, 0, 0);
	tact_units_release(&units);
}

/* Whole numbers to 254 held in a byte a unit: sums and maxima as in
 * doubles; a sum past 254, a fraction or -0.0 moves the metric to doubles
 * with every unit's value kept. */
static void test_small_values(void **state)
{
	tact_units units;
	double *column;

	(void)state;
	tact_units_init(&units, M);
	session(&units, "a", 0, 3, 0, 2, 5);
	session(&units, "a", 0, 7, 0, 0, 250);
	session(&units, "b", 0, NAN, 0, 1, 4);
	session(&units, "b", 0, 2, 0, 200, NAN);
	check_unit(&units, "a", 7, 0, 2, 255); /* 5 + 250: past a byte */
	check_unit(&units, "b", 2, 0, 201, 4);
	assert_non_null(units.smalls[0]); /* goal: max 7, a byte */
	assert_null(units.columns[0]);
	assert_non_null(units.smalls[2]); /* value: 201, a byte */
	assert_null(units.smalls[3]);     /* exposures: 255, doubles */
	assert_non_null(units.columns[3]);
	session(&units, "b", 0, 0, 0, 54, 0);  /* 201 + 54 = 255: doubles */
	check_unit(&units, "b", 2, 0, 255, 4);
	assert_null(units.smalls[2]);
	check_unit(&units, "a", 7, 0, 2, 255);
	session(&units, "c", 0, 2.5, 0, -0.0, 1);
	check_unit(&units, "c", 2.5, 0, 0, 1);
	assert_true(signbit(unit_values(&units, tact_units_find(&units, "c", 1))[2]));
	check_unit(&units, "a", 7, 0, 2, 255);
	/* A byte column read as doubles, for a cap. */
	session(&units, "d", 0, NAN, 0, 0, 0);
	tact_units_release(&units);
	tact_units_init(&units, M);
	session(&units, "a", 0, 3, 0, 0, 0);
	session(&units, "b", 0, NAN, 0, 0, 0);
	column = tact_units_column(&units, 0);
	assert_non_null(column);
	assert_true(column[0] == 3 && isnan(column[1]));
	assert_null(units.smalls[0]);
	tact_units_release(&units);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_values),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_contamination_counted_once),
		cmocka_unit_test(test_flush_many),
		cmocka_unit_test(test_ids_short_and_long),
		cmocka_unit_test(test_packed_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
