/*
 * test_unitspart.c - sessions routed to partitions and folded there come
 * back in the order of their units' first sessions, with the group of the
 * first session, the values folded by role and the arms compared; over 1,
 * 2 and 255 partitions and with every hash colliding.  The expected
 * values are worked out by hand in the comments.
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

#include "unitspart.h"

#define M 2
static const tact_role roles[M] = {TACT_ROLE_GOAL, TACT_ROLE_VALUE};

/* Sessions: part, id, group in its part, goal, value. */
typedef struct session {
	int part;
	const char *id;
	uint32_t group;
	double goal, value;
} session;

static const session sessions[] = {
	{0, "b", 0, 0, 1.5},
	{0, "a-long-id-past-eight-bytes", 1, 1, 2},
	{0, "b", 1, 1, NAN},
	{1, "c", 0, 0, 0.25},
	{1, "a-long-id-past-eight-bytes", 0, 0, 3},
	{1, "d", 1, NAN, NAN},
	{2, "d", 0, 1, 7},
	{2, "e", 0, 0, 0.5},
	{2, "c", 0, 0, 0.25},
};

/* Provisional groups: part 0's groups 0, 1 are 10, 11; part 1's 0, 1 are
 * 11, 12; part 2's 0 is 12.  Arms: 10 and 12 arm 0, 11 arm 1. */
static const uint32_t groups0[] = {10, 11}, groups1[] = {11, 12},
                      groups2[] = {12};
static const uint32_t arm_of[13] = {[10] = 0, [11] = 1, [12] = 0};

typedef struct seen {
	size_t count;
	char ids[8][32];
	size_t groups[8];
	double values[8][M];
	int mixed[8];
} seen;

static int each(void *context, const tact_units *table, size_t u)
{
	seen *s = context;

	assert_true(s->count < 8);
	s->groups[s->count] = table->groups[u];
	s->mixed[s->count] = table->mixed[u];
	tact_units_row(table, u, s->values[s->count]);
	s->count++;
	return 0;
}

static void fold(size_t count, uint64_t mask)
{
	tact_unit_partitions partitions;
	tact_unit_part parts[3];
	const uint32_t *group_of[3] = {groups0, groups1, groups2};
	tact_error error;
	seen s;
	size_t i, p;
	int k;

	tact_error_init(&error);
	memset(&s, 0, sizeof s);
	assert_int_equal(tact_unit_partitions_init(&partitions, count, M, mask,
	                                           &error), TACT_OK);
	for (k = 0; k < 3; k++)
		tact_unit_part_init(&parts[k], count, M, mask);
	for (i = 0; i < sizeof sessions / sizeof *sessions; i++) {
		const session *x = &sessions[i];
		double v[M] = {x->goal, x->value};
		char id[64] = {0}; /* 16 readable bytes, as a CSV field's */
		strcpy(id, x->id);
		assert_int_equal(tact_unit_part_route(&parts[x->part], id,
		                                      strlen(id), x->group, v,
		                                      &error), TACT_OK);
	}
	/* Two windows: parts 0 and 1, then part 2. */
	assert_int_equal(tact_unit_partitions_add_parts(&partitions, parts, 2,
	                                                &error), TACT_OK);
	for (p = 0; p < count; p++)
		assert_int_equal(tact_unit_partitions_fold(&partitions, p, parts, 2,
		                                           group_of, arm_of, roles,
		                                           &error), TACT_OK);
	assert_int_equal(tact_unit_partitions_add_parts(&partitions, parts + 2, 1,
	                                                &error), TACT_OK);
	for (p = 0; p < count; p++)
		assert_int_equal(tact_unit_partitions_fold(&partitions, p, parts + 2,
		                                           1, group_of + 2, arm_of,
		                                           roles, &error), TACT_OK);
	assert_int_equal(tact_unit_partitions_units(&partitions), 5);
	assert_int_equal(tact_unit_partitions_each(&partitions, each, &s), 0);
	/* b, a..., c, d, e: the order of first sessions. */
	assert_int_equal(s.count, 5);
	/* b: first in group 10 (arm 0), then 11 (arm 1): mixed; goal max 1,
	 * value 1.5 (NaN skipped). */
	assert_int_equal(s.groups[0], 10);
	assert_int_equal(s.mixed[0], 1);
	assert_true(s.values[0][0] == 1 && s.values[0][1] == 1.5);
	/* a...: group 11, then 11 again (part 1's 0): not mixed; 1, 5. */
	assert_int_equal(s.groups[1], 11);
	assert_int_equal(s.mixed[1], 0);
	assert_true(s.values[1][0] == 1 && s.values[1][1] == 5);
	/* c: group 11 (arm 1), then 12 (arm 0): mixed; 0, 0.5. */
	assert_int_equal(s.groups[2], 11);
	assert_int_equal(s.mixed[2], 1);
	assert_true(s.values[2][0] == 0 && s.values[2][1] == 0.5);
	/* d: group 12, then 12: missing first, then 1 and 7. */
	assert_int_equal(s.groups[3], 12);
	assert_int_equal(s.mixed[3], 0);
	assert_true(s.values[3][0] == 1 && s.values[3][1] == 7);
	/* e: group 12, 0, 0.5. */
	assert_int_equal(s.groups[4], 12);
	assert_true(s.values[4][0] == 0 && s.values[4][1] == 0.5);
	for (k = 0; k < 3; k++)
		tact_unit_part_release(&parts[k]);
	tact_unit_partitions_release(&partitions);
}

static void test_one_partition(void **state)
{
	(void)state;
	fold(1, ~UINT64_C(0));
}

static void test_two_partitions(void **state)
{
	(void)state;
	fold(2, ~UINT64_C(0));
}

static void test_many_partitions(void **state)
{
	(void)state;
	fold(255, ~UINT64_C(0));
}

static void test_colliding_hashes(void **state)
{
	(void)state;
	fold(3, 0);
	fold(3, UINT64_C(0x8000000000000001));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_partition),
		cmocka_unit_test(test_two_partitions),
		cmocka_unit_test(test_many_partitions),
		cmocka_unit_test(test_colliding_hashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
