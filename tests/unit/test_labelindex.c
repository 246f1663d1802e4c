/*
 * test_labelindex.c - short labels found a word at a time (labelindex.h):
 * every label of a list is found at its position whatever follows it in
 * memory, nothing else is found, and labels past 16 bytes are told apart
 * by their other bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "labelindex.h"

/* text copied to the start of a 48-byte buffer filled with fill. */
static const char *placed(char *buffer, const char *text, size_t length,
                          char fill)
{
	memset(buffer, fill, 48);
	memcpy(buffer, text, length);
	return buffer;
}

/* Index text[0..count) in index and find each at its position, whatever
 * follows it in memory. */
static void build_and_find_all(const char *const *text, const size_t *length,
                               size_t count, tact_label_index *index)
{
	static const char fills[] = {'\0', 'Z', '\xff', 'B'};
	char *labels[64], buffer[48];
	size_t i, f;

	assert_true(count <= 64);
	for (i = 0; i < count; i++)
		labels[i] = (char *)text[i];
	assert_int_equal(tact_label_index_build(index, labels, length, count),
	                 TACT_OK);
	for (i = 0; i < count; i++)
		for (f = 0; f < sizeof fills; f++)
			assert_int_equal(tact_label_index_find(
			                         index,
			                         placed(buffer, text[i], length[i], fills[f]),
			                         length[i]),
			                 (long)i);
}

static void test_find_every_label(void **state)
{
	/* Lengths 0 to 20; pairs one byte apart at positions 0, 7, 8, 15;
	 * a label that is another's prefix; embedded NUL. */
	static const char *const text[] = {
		"", "a", "ab", "abc", "Aug", "Browse", "buy", "research",
		"Returning_Visito", "Returning_Visitor", "New_Visitor",
		"abcdefgh", "abcdefgX", "Xbcdefgh", "abcdefghijklmnop",
		"abcdefghijklmnoQ", "abcdefgHijklmnop", "abcdefghijklmnopqrst",
		"a\0b",
	};
	static const size_t length[] = {
		0, 1, 2, 3, 3, 6, 3, 8, 16, 17, 11, 8, 8, 8, 16, 16, 16, 20, 3,
	};
	tact_label_index index;
	char buffer[48];

	(void)state;
	build_and_find_all(text, length, sizeof length / sizeof length[0], &index);
	/* Not in the list: absent, a prefix, a longer form, another length. */
	assert_int_equal(tact_label_index_find(&index, placed(buffer, "abcd", 4, 'Z'),
	                                       4), -1);
	assert_int_equal(tact_label_index_find(&index, placed(buffer, "brow", 4, 'Z'),
	                                       4), -1);
	assert_int_equal(tact_label_index_find(&index, placed(buffer, "Browse", 6, 'Z'),
	                                       5), -1);
	assert_int_equal(tact_label_index_find(&index, placed(buffer, "a\0c", 3, 'Z'),
	                                       3), -1);
	assert_int_equal(tact_label_index_find(&index, placed(buffer, "abcdefgY", 8, 'Z'),
	                                       8), -1);
	/* Past 16 bytes: the same first 16 bytes and length, another byte
	 * after them (at 17 and at 20); a length between two labels'. */
	assert_int_equal(tact_label_index_find(
	                         &index, placed(buffer, "Returning_VisitoR", 17, 'Z'),
	                         17), -1);
	assert_int_equal(tact_label_index_find(
	                         &index, placed(buffer, "abcdefghijklmnopqrsT", 20, 'Z'),
	                         20), -1);
	assert_int_equal(tact_label_index_find(
	                         &index, placed(buffer, "abcdefghijklmnopqrs", 19, 't'),
	                         19), -1);
	tact_label_index_release(&index);
}

/* Long labels that share their first 16 bytes: each found, and only by its
 * own bytes (they fall in the same slot and are probed past). */
static void test_long_labels_sharing_a_head(void **state)
{
	static const char *const text[] = {
		"segment_of_visitors_A", "segment_of_visitors_B",
		"segment_of_visitors_AB", "segment_of_visitor",
		"segment_of_visit",
		"segment_of_visitors_who_came_back_to_buy",
		"segment_of_visitors_who_came_back_to_bu",
	};
	static const size_t length[] = {21, 21, 22, 18, 16, 40, 39};
	tact_label_index index;
	char buffer[48];

	(void)state;
	build_and_find_all(text, length, sizeof length / sizeof length[0], &index);
	assert_int_equal(tact_label_index_find(
	                         &index, placed(buffer, "segment_of_visitors_C", 21, 'A'),
	                         21), -1);
	assert_int_equal(tact_label_index_find(
	                         &index, placed(buffer, "segment_of_visitors", 19, 'A'),
	                         19), -1);
	/* Past 32 bytes: a byte changed in the middle, then in the last 16. */
	assert_int_equal(tact_label_index_find(
	                         &index,
	                         placed(buffer,
	                                "segment_of_visitors_whX_came_back_to_buy",
	                                40, 'A'),
	                         40), -1);
	assert_int_equal(tact_label_index_find(
	                         &index,
	                         placed(buffer,
	                                "segment_of_visitors_who_came_back_to_bux",
	                                40, 'A'),
	                         40), -1);
	tact_label_index_release(&index);
}

/* Many labels (the table grows past its first size) and an empty list. */
static void test_many_and_none(void **state)
{
	enum { COUNT = 300 };
	static char text[COUNT][8];
	char *labels[COUNT], buffer[48];
	size_t length[COUNT], i;
	tact_label_index index;

	(void)state;
	for (i = 0; i < COUNT; i++) {
		length[i] = (size_t)snprintf(text[i], sizeof text[i], "L%zu", i);
		labels[i] = text[i];
	}
	assert_int_equal(tact_label_index_build(&index, labels, length, COUNT),
	                 TACT_OK);
	assert_true(index.capacity >= 2 * COUNT);
	for (i = 0; i < COUNT; i++)
		assert_int_equal(tact_label_index_find(
		                         &index, placed(buffer, text[i], length[i], 'x'),
		                         length[i]),
		                 (long)i);
	assert_int_equal(tact_label_index_find(&index, placed(buffer, "L300", 4, 'x'),
	                                       4), -1);
	tact_label_index_release(&index);
	assert_int_equal(tact_label_index_build(&index, labels, length, 0), TACT_OK);
	assert_int_equal(tact_label_index_find(&index, placed(buffer, "L1", 2, 'x'), 2),
	                 -1);
	tact_label_index_release(&index);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_every_label),
		cmocka_unit_test(test_long_labels_sharing_a_head),
		cmocka_unit_test(test_many_and_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
