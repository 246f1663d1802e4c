/*
 * labelindex.c - a fixed set of short labels (see labelindex.h).
 */
#include "labelindex.h"

#include <stdlib.h>

const unsigned char tact_label_first_bytes[2 * TACT_LABEL_SHORT] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

tact_status tact_label_index_build(tact_label_index *index,
                                   char *const *labels, const size_t *lengths,
                                   size_t count)
{
	size_t capacity = 16, i;

	index->capacity = 0;
	index->slots = NULL;
	while (capacity < 2 * count)
		capacity *= 2;
	index->slots = malloc(capacity * sizeof *index->slots);
	if (!index->slots)
		return TACT_SOFTWARE;
	index->capacity = capacity;
	for (i = 0; i < capacity; i++)
		index->slots[i].index = -1;
	for (i = 0; i < count; i++) {
		/* A copy padded to TACT_LABEL_SHORT readable bytes. */
		char padded[TACT_LABEL_SHORT];
		const size_t head = lengths[i] < TACT_LABEL_SHORT ? lengths[i]
		                                                  : TACT_LABEL_SHORT;
		uint64_t words[2];
		size_t slot;
		memset(padded, 0, sizeof padded);
		memcpy(padded, labels[i], head);
		slot = (size_t)((tact_label_words(padded, head, words) ^ lengths[i]) >>
		                40) & (capacity - 1);
		while (index->slots[slot].index >= 0)
			slot = (slot + 1) & (capacity - 1);
		index->slots[slot].words[0] = words[0];
		index->slots[slot].words[1] = words[1];
		index->slots[slot].length = lengths[i];
		index->slots[slot].index = (long)i;
		index->slots[slot].label = labels[i];
		memset(index->slots[slot].tail, 0, sizeof index->slots[slot].tail);
		if (lengths[i] > TACT_LABEL_SHORT)
			memcpy(index->slots[slot].tail,
			       labels[i] + lengths[i] - TACT_LABEL_SHORT,
			       sizeof index->slots[slot].tail);
	}
	return TACT_OK;
}

void tact_label_index_release(tact_label_index *index)
{
	free(index->slots);
	index->slots = NULL;
	index->capacity = 0;
}
