/*
 * test_keymap.c - byte-string keys to dense indices in insertion order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "keymap.h"

#define MANY 100000

static size_t make_key(char *out, size_t size, const char *prefix, unsigned i)
{
	int n = snprintf(out, size, "%s%u", prefix, i);
	return (size_t)n;
}

static void check_key(const tact_keymap *map, size_t index, const char *key,
                      size_t length)
{
	size_t got_length = 0;
	const char *got = tact_keymap_key(map, index, &got_length);

	assert_int_equal(got_length, length);
	assert_memory_equal(got, key, length);
	assert_int_equal(got[length], '\0'); /* copies end in a NUL */
}

static void test_many_keys_in_order(void **state)
{
	tact_keymap map;
	char key[64];
	size_t index;
	unsigned i;

	(void)state;
	tact_keymap_init(&map);
	assert_int_equal(tact_keymap_find(&map, "x", 1), TACT_KEYMAP_NONE);
	for (i = 0; i < MANY; i++) {
		int added = -1;
		size_t length = make_key(key, sizeof key, "visitor-", i * 7919u);
		assert_int_equal(tact_keymap_intern(&map, key, length, &added), i);
		assert_int_equal(added, 1);
		assert_int_equal(map.count, i + 1);
	}
	assert_true(map.capacity >= 2 * map.count);
	for (i = 0; i < MANY; i++) {
		int added = -1;
		size_t length = make_key(key, sizeof key, "visitor-", i * 7919u);
		assert_int_equal(tact_keymap_find(&map, key, length), i);
		assert_int_equal(tact_keymap_intern(&map, key, length, &added), i);
		assert_int_equal(added, 0);
		check_key(&map, i, key, length);
	}
	assert_int_equal(map.count, MANY);
	/* Absent keys, some sharing prefixes or lengths with present ones. */
	for (i = 0; i < MANY; i++) {
		size_t length = make_key(key, sizeof key, "visitor-", i * 7919u + 1);
		assert_int_equal(tact_keymap_find(&map, key, length), TACT_KEYMAP_NONE);
		/* A present key cut short is found only as itself. */
		length = make_key(key, sizeof key, "visitor-", i * 7919u);
		index = tact_keymap_find(&map, key, length - 1);
		if (index != TACT_KEYMAP_NONE)
			check_key(&map, index, key, length - 1);
	}
	assert_true(tact_keymap_bytes(&map) > (size_t)MANY * 10);
	tact_keymap_release(&map);
	assert_int_equal(map.count, 0);
	assert_int_equal(tact_keymap_find(&map, "visitor-0", 9), TACT_KEYMAP_NONE);
	/* Usable again after release. */
	assert_int_equal(tact_keymap_intern(&map, "again", 5, NULL), 0);
	tact_keymap_release(&map);
}

/* Keys whose hashes agree in their low bits land in one probe chain. */
static void test_colliding_slots(void **state)
{
	tact_keymap map;
	char (*keys)[32] = calloc(1500, sizeof *keys);
	size_t lengths[1500], found = 0, i;
	unsigned candidate;

	(void)state;
	assert_non_null(keys);
	/* Low 12 bits all ones: the last slot of every table up to 4096
	 * slots, so probes wrap around to slot 0. */
	for (candidate = 0; found < 1500; candidate++) {
		char key[32];
		size_t length = make_key(key, sizeof key, "c", candidate);
		if ((tact_keymap_hash(key, length) & 0xFFF) == 0xFFF) {
			memcpy(keys[found], key, length + 1);
			lengths[found++] = length;
		}
	}
	tact_keymap_init(&map);
	for (i = 0; i < found; i++) {
		assert_int_equal(tact_keymap_intern(&map, keys[i], lengths[i], NULL), i);
		/* Every key so far is still found after each insertion (and
		 * each growth of the table). */
		if (i % 149 == 0 || i + 1 == found) {
			size_t j;
			for (j = 0; j <= i; j++)
				assert_int_equal(tact_keymap_find(&map, keys[j], lengths[j]),
				                 j);
		}
	}
	/* A colliding key that was never added is not found. */
	for (;; candidate++) {
		char key[32];
		size_t length = make_key(key, sizeof key, "c", candidate);
		if ((tact_keymap_hash(key, length) & 0xFFF) == 0xFFF) {
			assert_int_equal(tact_keymap_find(&map, key, length),
			                 TACT_KEYMAP_NONE);
			break;
		}
	}
	tact_keymap_release(&map);
	free(keys);
}

static void test_nul_bytes_and_lengths(void **state)
{
	static const struct { const char *bytes; size_t length; } keys[] = {
		{"", 0}, {"\0", 1}, {"\0\0", 2}, {"a", 1}, {"a\0", 2}, {"a\0b", 3},
		{"a\0c", 3}, {"\0a", 2}, {"ab", 2}, {"abcdefgh", 8},
		{"abcdefgh\0", 9}, {"abcdefg\0", 8}, {"abcdefghi", 9},
		{"\0\0\0\0\0\0\0\0", 8}, {"\0\0\0\0\0\0\0\0\0", 9},
	};
	const size_t n = sizeof keys / sizeof keys[0];
	tact_keymap map;
	size_t i;

	(void)state;
	tact_keymap_init(&map);
	for (i = 0; i < n; i++) {
		int added = 0;
		assert_int_equal(tact_keymap_intern(&map, keys[i].bytes, keys[i].length,
		                                    &added),
		                 i);
		assert_int_equal(added, 1);
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(tact_keymap_find(&map, keys[i].bytes, keys[i].length),
		                 i);
		check_key(&map, i, keys[i].bytes, keys[i].length);
	}
	assert_int_equal(map.count, n);
	tact_keymap_release(&map);
}

static void test_long_keys(void **state)
{
	tact_keymap map;
	size_t big = 200000, i;
	char *long_key = malloc(big), *other = malloc(big);

	(void)state;
	assert_non_null(long_key);
	assert_non_null(other);
	for (i = 0; i < big; i++)
		long_key[i] = (char)('a' + i % 26);
	memcpy(other, long_key, big);
	other[big - 1] = '#';
	tact_keymap_init(&map);
	assert_int_equal(tact_keymap_intern(&map, "short", 5, NULL), 0);
	/* Longer than an arena block. */
	assert_int_equal(tact_keymap_intern(&map, long_key, big, NULL), 1);
	assert_int_equal(tact_keymap_intern(&map, "after", 5, NULL), 2);
	assert_int_equal(tact_keymap_find(&map, other, big), TACT_KEYMAP_NONE);
	assert_int_equal(tact_keymap_intern(&map, other, big, NULL), 3);
	assert_int_equal(tact_keymap_find(&map, long_key, big), 1);
	check_key(&map, 0, "short", 5);
	check_key(&map, 1, long_key, big);
	check_key(&map, 2, "after", 5);
	check_key(&map, 3, other, big);
	/* Fill several arena blocks with mid-sized keys. */
	for (i = 0; i < 2000; i++) {
		char key[200];
		memset(key, 'k', sizeof key);
		snprintf(key, 12, "%010zu", i);
		assert_int_equal(tact_keymap_intern(&map, key, sizeof key, NULL), 4 + i);
	}
	for (i = 0; i < 2000; i++) {
		char key[200];
		memset(key, 'k', sizeof key);
		snprintf(key, 12, "%010zu", i);
		assert_int_equal(tact_keymap_find(&map, key, sizeof key), 4 + i);
		check_key(&map, 4 + i, key, sizeof key);
	}
	check_key(&map, 1, long_key, big);
	tact_keymap_release(&map);
	free(long_key);
	free(other);
}

/* A map of a few keys stays small, so that a tool may hold one per column:
 * tact-validate on a million columns held 5.8 GB when each map began with
 * 64 slots and a 64 KiB arena block (issue 15, item 19); and a map of many
 * keys still grows to the large blocks. */
static void test_small_maps_stay_small(void **state)
{
	tact_keymap map;
	char key[32];
	size_t i, bytes;
	int added;

	(void)state;
	tact_keymap_init(&map);
	assert_int_equal(tact_keymap_bytes(&map), 0);
	assert_int_equal(tact_keymap_intern(&map, "0", 1, &added), 0);
	assert_int_equal(tact_keymap_intern(&map, "1", 1, &added), 1);
	bytes = tact_keymap_bytes(&map);
	assert_true(bytes > 0 && bytes <= 512);
	for (i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof key, "key-%zu", i);
		assert_int_not_equal(tact_keymap_intern(&map, key, (size_t)n, &added),
		                     TACT_KEYMAP_NONE);
	}
	assert_int_equal(map.count, 100002);
	assert_int_equal(tact_keymap_find(&map, "key-99999", 9), 100001);
	/* Blocks reached 64 KiB: about 1 MB of keys in a few dozen blocks. */
	assert_true(tact_keymap_bytes(&map) < 8u * 1024 * 1024);
	tact_keymap_release(&map);
}

static void test_hash(void **state)
{
	char buffer[40];
	size_t offset;
	uint64_t reference = tact_keymap_hash("alignment-check-key", 19);

	(void)state;
	/* The same bytes hash the same wherever they lie in memory. */
	for (offset = 0; offset < 8; offset++) {
		memcpy(buffer + offset, "alignment-check-key", 19);
		assert_true(tact_keymap_hash(buffer + offset, 19) == reference);
	}
	/* Length takes part: trailing NULs change the hash. */
	assert_true(tact_keymap_hash("ab", 2) != tact_keymap_hash("ab\0", 3));
	assert_true(tact_keymap_hash("", 0) != tact_keymap_hash("\0", 1));
	/* Only length bytes are read. */
	assert_true(tact_keymap_hash("abcX", 3) == tact_keymap_hash("abcY", 3));
	assert_true(tact_keymap_hash("abcdefghijX", 10) ==
	            tact_keymap_hash("abcdefghijY", 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_keys_in_order),
		cmocka_unit_test(test_colliding_slots),
		cmocka_unit_test(test_nul_bytes_and_lengths),
		cmocka_unit_test(test_long_keys),
		cmocka_unit_test(test_small_maps_stay_small),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
