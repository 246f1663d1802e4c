/*
 * labelindex.h - a fixed set of labels, found a word at a time.
 *
 * Labels come in random order row after row (intents, arms, months), so a
 * search that compares bytes branches on which label a row holds and is
 * mispredicted.  A label whose bytes may be read TACT_LABEL_SHORT bytes
 * from its start (as the fields of a CSV record: TACT_CSV_FIELD_PAD) is
 * read instead as two 64-bit words, masked to its length without a branch
 * on the length, and hashed: finding it is two loads, a few multiplies and
 * compares that almost always agree (a longer label's other bytes are then
 * compared).  summary.c numbers segment labels of at most TACT_LABEL_SHORT
 * bytes this way; tact_label_index finds the levels of a categorical
 * feature (intentscore.c).
 */
#ifndef TACT_LABELINDEX_H
#define TACT_LABELINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "status.h"

#define TACT_LABEL_SHORT 16

/* first[16 - n .. 32 - n): n bytes 0xff, then zeros. */
extern const unsigned char tact_label_first_bytes[2 * TACT_LABEL_SHORT];

/* The bytes of label (length <= TACT_LABEL_SHORT, 16 bytes readable from
 * label) as two words, zero past its length; returns a 64-bit hash of
 * them and the length. */
static inline uint64_t tact_label_words(const char *label, size_t length,
                                        uint64_t words[2])
{
	uint64_t w[2], m[2];

	memcpy(w, label, sizeof w);
	memcpy(m, tact_label_first_bytes + TACT_LABEL_SHORT - length, sizeof m);
	words[0] = w[0] & m[0];
	words[1] = w[1] & m[1];
	return ((words[0] * UINT64_C(0x9e3779b97f4a7c15)) ^
	        (words[1] * UINT64_C(0xc2b2ae3d27d4eb4f)) ^ length) *
	       UINT64_C(0x165667b19e3779f9);
}

typedef struct tact_label_slot {
	uint64_t words[2];        /* the first TACT_LABEL_SHORT bytes */
	size_t length;
	long index;               /* -1: empty */
	uint64_t tail[2];         /* a longer label: its last TACT_LABEL_SHORT
	                             bytes */
	const char *label;        /* the whole label: past 2 x TACT_LABEL_SHORT
	                             bytes, the middle is compared here */
} tact_label_slot;

/* The labels of a fixed list. */
typedef struct tact_label_index {
	size_t capacity;          /* a power of 2, at least twice the labels */
	tact_label_slot *slots;
} tact_label_index;

/* Index labels[0..count) (lengths[i] bytes each), which must outlive the
 * index (a label longer than TACT_LABEL_SHORT is compared with its bytes
 * past those). */
tact_status tact_label_index_build(tact_label_index *index,
                                   char *const *labels, const size_t *lengths,
                                   size_t count);

/* Is text (length > TACT_LABEL_SHORT bytes, which begin as s's) s's
 * label? */
static inline int tact_label_tail_equal(const tact_label_slot *s,
                                        const char *text, size_t length)
{
	uint64_t tail[2];

	memcpy(tail, text + length - TACT_LABEL_SHORT, sizeof tail);
	return tail[0] == s->tail[0] && tail[1] == s->tail[1] &&
	       (length <= 2 * TACT_LABEL_SHORT ||
	        memcmp(s->label + TACT_LABEL_SHORT, text + TACT_LABEL_SHORT,
	               length - 2 * TACT_LABEL_SHORT) == 0);
}

/*
 * The position in the list of text (length bytes, at least
 * TACT_LABEL_SHORT bytes readable from text), or -1 when it is not in the
 * list.  A text longer than TACT_LABEL_SHORT is found by its first
 * TACT_LABEL_SHORT bytes and its length (one probe, as a short one), then
 * its last TACT_LABEL_SHORT bytes compared as two words too (they lie
 * within the text), and past twice that its middle: a visitor type such as
 * "Returning_Visitor" is 17 bytes.
 */
static inline long tact_label_index_find(const tact_label_index *index,
                                         const char *text, size_t length)
{
	uint64_t words[2];
	const size_t head = length < TACT_LABEL_SHORT ? length : TACT_LABEL_SHORT;
	size_t slot, mask = index->capacity - 1;
	const tact_label_slot *s;

	slot = (size_t)((tact_label_words(text, head, words) ^ length) >> 40) &
	       mask;
	for (; (s = &index->slots[slot])->index >= 0; slot = (slot + 1) & mask)
		if (s->words[0] == words[0] && s->words[1] == words[1] &&
		    s->length == length &&
		    (length <= TACT_LABEL_SHORT ||
		     tact_label_tail_equal(s, text, length)))
			return s->index;
	return -1;
}

void tact_label_index_release(tact_label_index *index);

#endif
