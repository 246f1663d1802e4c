/*
 * units.h - sessions folded into units (visitors) before summarizing.
 *
 * When rows are sessions but randomization was by visitor, treating the
 * sessions as independent understates every interval (a visitor's
 * sessions resemble each other).  The analysis is then per unit: a goal or
 * annoyance outcome is the largest over the unit's sessions (for 0/1, "any
 * session had it"), a value or exposure count is summed, a metric is
 * missing only when missing in every session, and the segment and arm are
 * those of the unit's first session (pre-treatment).  A unit seen in
 * several arms is counted (contamination) and, by default, dropped at the
 * flush (as GrowthBook does); or kept in its first arm (--mixed-units
 * first).
 *
 * Memory grows with the number of units (about 30 bytes each, plus 2 bits
 * per metric whose values are all 0 or 1, a byte per metric of small
 * whole numbers (counts of exposures) and 8 bytes per other metric;
 * ids of up to 8 bytes held in one word, longer ones in an arena; 4 more
 * for the position of the first session when folded by threads,
 * unitspart.h), not with the number of groups: the tools say so.
 */
#ifndef TACT_UNITS_H
#define TACT_UNITS_H

#include <string.h>

#include "keymap.h"
#include "summary.h"

typedef struct tact_units {
	size_t count;          /* units held */
	size_t metric_count;
	/* Values: a metric's column, per unit (NaN = none yet), or NULL while
	 * every value seen is 0 or 1, then held in 2 bits a unit in bits
	 * (bit_bytes per unit: 0 none, 1 zero, 2 one, at bits 2m, 2m + 1), or
	 * while every value held is a whole number to 254 (smalls).  Read
	 * them with tact_units_row. */
	double **columns;
	unsigned char **smalls; /* or, per metric, while every value held is a
	                           whole number to 254: a byte a unit (255:
	                           none), or NULL */
	unsigned char *bits;
	size_t bit_bytes;
	uint32_t *groups;      /* per unit: its group in the summary */
	unsigned char *mixed;  /* per unit: seen in another arm too */
	size_t capacity;
	int64_t several_arms;  /* units seen in more than one arm */
	/* The ids (empty when rows are held, tact_units_append): per unit, its
	 * id's bytes when they fit in 8 (zero-padded, id_lengths 1 to 8), else
	 * the offset of its length and bytes in arena (id_lengths 9); slots,
	 * open addressing, holds per slot the id's hash in its high 32 bits
	 * and unit + 1 in its low 32 (0: empty). */
	uint64_t *ids;
	unsigned char *id_lengths;
	uint64_t *slots;
	size_t slot_count;     /* a power of two, or 0 */
	char *arena;
	size_t arena_used, arena_capacity;
	/* Set between tact_units_init and the first unit: */
	uint64_t hash_mask;    /* ANDed with every id's hash (all ones; tests
	                          force collisions with few bits) */
	int keep_firsts;       /* hold firsts: per unit, the position given
	                          with its first session (tact_units_add_hashed) */
	uint32_t *firsts;
	int without_ids;       /* rows appended only: no id arrays */
	unsigned growth;       /* capacity grows by growth/8 (0: doubles) */
	int fine_slots;        /* slots grow by half (any count), not double
	                          (a power of two): less memory, a multiply
	                          per probe */
} tact_units;

void tact_units_init(tact_units *units, size_t metric_count);
void tact_units_release(tact_units *units);

/* Index of the unit id, or TACT_KEYMAP_NONE when not seen yet. */
size_t tact_units_find(const tact_units *units, const char *id, size_t length);

/*
 * Fold one session's values into a unit.  unit is the index from
 * tact_units_find, or TACT_KEYMAP_NONE for a new unit, which then joins
 * group.  roles[metric] sets each metric's rule.  TACT_SOFTWARE on memory.
 */
tact_status tact_units_add(tact_units *units, size_t unit, const char *id,
                           size_t length, size_t group, const tact_role *roles,
                           const double *values, tact_error *error);

/*
 * Hold one row as a unit of its own, without an id (a quantile cap on an
 * export without a unit column needs every row's values before any sum).
 * Not mixed with tact_units_add.  TACT_SOFTWARE on memory.
 */
tact_status tact_units_append(tact_units *units, size_t group,
                              const double *values, tact_error *error);

/* The hash of an id, as the table uses it (mask: units->hash_mask). */
uint64_t tact_units_hash(const char *id, size_t length, uint64_t mask);

/* The hash of an id of 1 to 8 bytes, given as one word (byte i in bits
 * 8i to 8i + 7, zeros above). */
static inline uint64_t tact_units_hash_word(uint64_t word, size_t length)
{
	uint64_t h = (word ^ (uint64_t)length << 59) *
	             UINT64_C(0x9e3779b97f4a7c15);

	h ^= h >> 29;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	return h ^ h >> 32;
}

/* The word of an id of up to 8 bytes whose 8 bytes from its start may be
 * read whatever its length (a CSV field, a routed record). */
static inline uint64_t tact_units_word_padded(const char *id, size_t length)
{
	uint64_t word = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&word, id, sizeof word);
	return length >= 8 ? word : word & ((UINT64_C(1) << (8 * length)) - 1);
#else
	size_t i;

	for (i = 0; i < length; i++)
		word |= (uint64_t)(unsigned char)id[i] << (8 * i);
	return word;
#endif
}

/* tact_units_hash for an id whose 8 bytes from its start may be read
 * whatever its length (a CSV field, a routed record): faster, inline (a
 * call a session). */
static inline uint64_t tact_units_hash_padded(const char *id, size_t length,
                                              uint64_t mask)
{
	return (length > 8 ? tact_keymap_hash(id, length)
	                   : tact_units_hash_word(tact_units_word_padded(id,
	                                                                 length),
	                                          length)) &
	       mask;
}

/* tact_units_find with the id's hash (tact_units_hash) already known; the
 * id's 8 bytes from its start may be read (as for tact_units_hash_padded). */
size_t tact_units_find_hashed(const tact_units *units, const char *id,
                              size_t length, uint64_t hash);

/*
 * tact_units_add with the id's hash known (used only for a new unit), and
 * first, held in units->firsts for a new unit when keep_firsts is set (the
 * position of its first session, for merging tables in order).
 */
tact_status tact_units_add_hashed(tact_units *units, size_t unit,
                                  const char *id, size_t length, uint64_t hash,
                                  size_t group, uint32_t first,
                                  const tact_role *roles, const double *values,
                                  tact_error *error);

/* Free the ids and their table once every session is folded (no find or
 * add after); the units' groups and values stay. */
void tact_units_drop_ids(tact_units *units);

/* Room for count units in all, allocated at once (no slack).  0, or -1 on
 * memory. */
int tact_units_reserve(tact_units *units, size_t count);

/* Note that a unit was seen in another arm than its first (counted once
 * per unit in several_arms). */
void tact_units_mark_several_arms(tact_units *units, size_t unit);

/* Add every unit to its group of summary (once all rows are read); with
 * drop_mixed, not the units seen in several arms.  0, or -1 on memory. */
int tact_units_flush(const tact_units *units, tact_summary *summary,
                     int drop_mixed);

/* Unit u's values, one per metric, into values. */
void tact_units_row(const tact_units *units, size_t u, double *values);

/* Metric m's values as a column of doubles (one per unit, NaN = none), to
 * read or change in place (caps); NULL on memory. */
double *tact_units_column(tact_units *units, size_t m);

/* Bytes held, for the memory note. */
size_t tact_units_bytes(const tact_units *units);

#endif
