/*
 * units.c - folding sessions into units (see units.h).
 */
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tact_units_init(tact_units *units, size_t metric_count)
{
	memset(units, 0, sizeof *units);
	units->metric_count = metric_count;
	units->bit_bytes = (2 * metric_count + 7) / 8;
	units->hash_mask = ~UINT64_C(0);
	/* Less slack than doubling: arrays grow by a quarter (large ones are
	 * moved by the kernel, not copied), slots by half. */
	units->growth = 10;
	units->fine_slots = 1;
}

void tact_units_release(tact_units *units)
{
	size_t m;

	for (m = 0; units->columns && m < units->metric_count; m++)
		free(units->columns[m]);
	free(units->columns);
	for (m = 0; units->smalls && m < units->metric_count; m++)
		free(units->smalls[m]);
	free(units->smalls);
	free(units->bits);
	free(units->groups);
	free(units->mixed);
	free(units->ids);
	free(units->id_lengths);
	free(units->slots);
	free(units->arena);
	free(units->firsts);
	tact_units_init(units, 0);
}

void tact_units_drop_ids(tact_units *units)
{
	free(units->ids);
	free(units->id_lengths);
	free(units->slots);
	free(units->arena);
	units->ids = NULL;
	units->id_lengths = NULL;
	units->slots = NULL;
	units->arena = NULL;
	units->slot_count = units->arena_used = units->arena_capacity = 0;
}

/* An id of up to 8 bytes as one word (byte i in bits 8i to 8i + 7). */
static uint64_t pack(const char *id, size_t length)
{
	uint64_t word = 0;
	size_t i;

	for (i = 0; i < length; i++)
		word |= (uint64_t)(unsigned char)id[i] << (8 * i);
	return word;
}

/* The hash of an id (word: pack(id, length) when length <= 8). */
static uint64_t hash_id(const char *id, size_t length, uint64_t word)
{
	if (length > 8)
		return tact_keymap_hash(id, length);
	return tact_units_hash_word(word, length);
}

uint64_t tact_units_hash(const char *id, size_t length, uint64_t mask)
{
	return hash_id(id, length, length <= 8 ? pack(id, length) : 0) & mask;
}

/* The hash of unit u's id. */
static uint64_t unit_hash(const tact_units *units, size_t u)
{
	uint32_t n;

	if (units->id_lengths[u] <= 8)
		return hash_id(NULL, units->id_lengths[u], units->ids[u]) &
		       units->hash_mask;
	memcpy(&n, units->arena + units->ids[u], sizeof n);
	return hash_id(units->arena + units->ids[u] + sizeof n, n, 0) &
	       units->hash_mask;
}

static int same_id(const tact_units *units, size_t u, const char *id,
                   size_t length, uint64_t word)
{
	uint32_t n;

	if (length <= 8)
		return units->id_lengths[u] == length && units->ids[u] == word;
	if (units->id_lengths[u] <= 8)
		return 0;
	memcpy(&n, units->arena + units->ids[u], sizeof n);
	return n == length &&
	       memcmp(units->arena + units->ids[u] + sizeof n, id, length) == 0;
}

/* Where the probe for hash h starts: its low bits (a power of two of
 * slots), or its low 32 bits scaled to the slots (fine_slots). */
static size_t first_slot(const tact_units *units, uint64_t h)
{
	if (units->fine_slots)
		return (size_t)(((h & 0xffffffffu) * (uint64_t)units->slot_count) >>
		                32);
	return (size_t)(h & (units->slot_count - 1));
}

static size_t find_in(const tact_units *units, const char *id,
                      size_t length, uint64_t word, uint64_t h);

size_t tact_units_find(const tact_units *units, const char *id, size_t length)
{
	uint64_t word;

	if (!units->slot_count || length == 0)
		return TACT_KEYMAP_NONE;
	word = length <= 8 ? pack(id, length) : 0;
	return find_in(units, id, length, word,
	               hash_id(id, length, word) & units->hash_mask);
}

size_t tact_units_find_hashed(const tact_units *units, const char *id,
                              size_t length, uint64_t h)
{
	if (!units->slot_count || length == 0)
		return TACT_KEYMAP_NONE;
	return find_in(units, id, length,
	               length <= 8 ? tact_units_word_padded(id, length) : 0,
	               h);
}

/* The unit of id (word: its bytes packed, when up to 8) and hash h. */
static size_t find_in(const tact_units *units, const char *id,
                      size_t length, uint64_t word, uint64_t h)
{
	uint64_t s;
	size_t i;

	for (i = first_slot(units, h); (s = units->slots[i]) != 0;
	     i = i + 1 == units->slot_count ? 0 : i + 1)
		if (s >> 32 == h >> 32 &&
		    same_id(units, (size_t)(uint32_t)s - 1, id, length, word))
			return (size_t)(uint32_t)s - 1;
	return TACT_KEYMAP_NONE;
}

/* Put unit u (its id already held, of hash h) in a free slot. */
static void place_hashed(tact_units *units, size_t u, uint64_t h)
{
	size_t i;

	for (i = first_slot(units, h); units->slots[i];
	     i = i + 1 == units->slot_count ? 0 : i + 1)
		;
	units->slots[i] = (h >> 32) << 32 | (uint64_t)(u + 1);
}

static void place(tact_units *units, size_t u)
{
	place_hashed(units, u, unit_hash(units, u));
}

/* Room in the table for one more id, load kept at most 3/4.  0, or -1. */
static int grow_slots(tact_units *units)
{
	size_t n = !units->slot_count ? 1024
	           : units->fine_slots ? units->slot_count / 2 * 3
	                               : units->slot_count * 2, u;
	uint64_t *slots;

	if ((units->count + 1) * 4 <= units->slot_count * 3)
		return 0;
	slots = calloc(n, sizeof *slots);
	if (!slots)
		return -1;
	free(units->slots);
	units->slots = slots;
	units->slot_count = n;
	for (u = 0; u < units->count; u++)
		place(units, u);
	return 0;
}

static int resize(tact_units *units, size_t capacity);

/* Room for one more unit (growth by units->growth eighths, default 16:
 * doubling).  Returns 0, or -1 on memory. */
static int grow(tact_units *units)
{
	size_t capacity = units->capacity
	                  ? units->capacity / 8 * (units->growth ? units->growth
	                                                         : 16)
	                  : 1024;

	if (units->count < units->capacity)
		return 0;
	return resize(units, capacity);
}

/* Room for capacity units in every per-unit array.  0, or -1 on memory. */
static int resize(tact_units *units, size_t capacity)
{
	const size_t m = units->metric_count;
	size_t i;
	uint32_t *g;
	unsigned char *mixed, *lengths, *bits;
	uint64_t *ids;

	if (capacity > UINT32_MAX - 1)
		return -1; /* unit + 1 in 32 bits */
	if (!units->columns && m && !(units->columns = calloc(m, sizeof(double *))))
		return -1;
	if (!units->smalls && m &&
	    !(units->smalls = calloc(m, sizeof(unsigned char *))))
		return -1;
	for (i = 0; i < m; i++)
		if (units->smalls[i]) {
			unsigned char *b = realloc(units->smalls[i], capacity);
			if (!b)
				return -1;
			units->smalls[i] = b;
		}
	for (i = 0; i < m; i++)
		if (units->columns[i]) {
			double *v = realloc(units->columns[i], capacity * sizeof *v);
			if (!v)
				return -1;
			units->columns[i] = v;
		}
	bits = realloc(units->bits, capacity * units->bit_bytes + 1);
	if (!bits)
		return -1;
	units->bits = bits;
	g = realloc(units->groups, capacity * sizeof *g);
	if (!g)
		return -1;
	units->groups = g;
	mixed = realloc(units->mixed, capacity);
	if (!mixed)
		return -1;
	units->mixed = mixed;
	if (!units->without_ids) {
		ids = realloc(units->ids, capacity * sizeof *ids);
		if (!ids)
			return -1;
		units->ids = ids;
		lengths = realloc(units->id_lengths, capacity);
		if (!lengths)
			return -1;
		units->id_lengths = lengths;
	}
	if (units->keep_firsts) {
		g = realloc(units->firsts, capacity * sizeof *g);
		if (!g)
			return -1;
		units->firsts = g;
	}
	units->capacity = capacity;
	return 0;
}

int tact_units_reserve(tact_units *units, size_t count)
{
	return count <= units->capacity ? 0 : resize(units, count);
}

/* Hold the id of the new unit u.  0, or -1 on memory. */
static int hold_id(tact_units *units, size_t u, const char *id, size_t length)
{
	uint32_t n = (uint32_t)length;

	if (length <= 8) {
		units->ids[u] = pack(id, length);
		units->id_lengths[u] = (unsigned char)length;
		return 0;
	}
	if (length > UINT32_MAX - sizeof n)
		return -1;
	while (units->arena_capacity - units->arena_used < sizeof n + length) {
		size_t c = units->arena_capacity ? units->arena_capacity * 2 : 65536;
		char *arena = realloc(units->arena, c);
		if (!arena)
			return -1;
		units->arena = arena;
		units->arena_capacity = c;
	}
	memcpy(units->arena + units->arena_used, &n, sizeof n);
	memcpy(units->arena + units->arena_used + sizeof n, id, length);
	units->ids[u] = units->arena_used;
	units->id_lengths[u] = 9;
	units->arena_used += sizeof n + length;
	return 0;
}

/* Metric m of unit u: 0 none, 1 zero, 2 one (while packed). */
static unsigned packed(const tact_units *units, size_t u, size_t m)
{
	return units->bits[u * units->bit_bytes + m / 4] >> (2 * (m % 4)) & 3u;
}

static void set_packed(tact_units *units, size_t u, size_t m, unsigned state)
{
	unsigned char *byte = &units->bits[u * units->bit_bytes + m / 4];

	*byte = (unsigned char)((*byte & ~(3u << (2 * (m % 4)))) |
	                        state << (2 * (m % 4)));
}

static double packed_value(unsigned state)
{
	return state == 0 ? NAN : state == 1 ? 0.0 : 1.0;
}

#define SMALL_MAX 254u
#define SMALL_NONE 255u

static double small_value(unsigned byte)
{
	return byte == SMALL_NONE ? NAN : (double)byte;
}

double *tact_units_column(tact_units *units, size_t m)
{
	double *column;
	size_t u;

	if (!units->columns &&
	    !(units->columns = calloc(units->metric_count, sizeof(double *))))
		return NULL;
	if (units->columns[m])
		return units->columns[m];
	column = malloc((units->capacity ? units->capacity : 1) * sizeof *column);
	if (!column)
		return NULL;
	if (units->smalls && units->smalls[m]) {
		for (u = 0; u < units->count; u++)
			column[u] = small_value(units->smalls[m][u]);
		free(units->smalls[m]);
		units->smalls[m] = NULL;
	} else {
		for (u = 0; u < units->count; u++)
			column[u] = packed_value(packed(units, u, m));
	}
	units->columns[m] = column;
	return column;
}

void tact_units_row(const tact_units *units, size_t u, double *values)
{
	size_t m;

	for (m = 0; m < units->metric_count; m++)
		values[m] = units->columns[m] ? units->columns[m][u]
		            : units->smalls[m] ? small_value(units->smalls[m][u])
		                               : packed_value(packed(units, u, m));
}

/* Metric m as a byte per unit (whole numbers to SMALL_MAX, SMALL_NONE for
 * none) from its 2-bit codes.  0, or -1 on memory. */
static int to_small(tact_units *units, size_t m)
{
	unsigned char *b = malloc(units->capacity ? units->capacity : 1);
	size_t u;

	if (!b)
		return -1;
	for (u = 0; u < units->count; u++) {
		unsigned state = packed(units, u, m);
		b[u] = state == 0 ? SMALL_NONE : (unsigned char)(state - 1);
	}
	units->smalls[m] = b;
	return 0;
}

/* v as a byte (a whole number from +0 to SMALL_MAX), or SMALL_NONE. */
static unsigned small_of(double v)
{
	return v >= 0 && v <= SMALL_MAX && v == (double)(unsigned)v && !signbit(v)
	       ? (unsigned)v : SMALL_NONE;
}

/* 1 for +0.0, 2 for 1.0 (held in 2 bits), else 0: read from their bits
 * (IEEE 754 doubles), a value is one of them exactly when its bits are. */
static unsigned packable(double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof bits);
	return bits == UINT64_C(0x3ff0000000000000) ? 2u : bits == 0 ? 1u : 0u;
}

/*
 * Fold value v into metric m of unit u (v not NaN): the first value, or
 * the largest (max) or the sum.  Returns 0, or -1 on memory.  Every case;
 * fold below does the common ones inline and calls it for the rest.
 */
static __attribute__((noinline)) int fold_any(tact_units *units, size_t u,
                                              size_t m, double v, int max)
{
	double *column = units->columns[m];

	if (!column && !units->smalls[m]) {
		unsigned state = packed(units, u, m), given = packable(v);
		if (given && (state == 0 || max || given == 1)) {
			/* none -> v; max of 0/1 values; x + 0 = x */
			if (state == 0 || given > state)
				set_packed(units, u, m, given);
			return 0;
		}
		if (small_of(v) == SMALL_NONE) {
			if (!(column = tact_units_column(units, m)))
				return -1;
		} else if (to_small(units, m) != 0) {
			return -1;
		}
	}
	if (!column) {
		/* Whole numbers in a byte: their sums and maxima are exact, as
		 * in doubles, until one leaves the byte. */
		unsigned have = units->smalls[m][u], given = small_of(v);
		unsigned r = have == SMALL_NONE ? given
		             : max ? (given > have ? given : have) : have + given;
		if (given != SMALL_NONE && r <= SMALL_MAX) {
			units->smalls[m][u] = (unsigned char)r;
			return 0;
		}
		if (!(column = tact_units_column(units, m)))
			return -1;
	}
	if (isnan(column[u]))
		column[u] = v;
	else if (max)
		column[u] = v > column[u] ? v : column[u];
	else
		column[u] += v;
	return 0;
}

/* fold_any's common cases inline (a call a value is a fifth of a
 * session's fold): a value into its column, or a 0/1 into its 2 bits, or
 * a small whole number into its byte, when it stays one. */
static inline __attribute__((always_inline)) int
fold(tact_units *units, size_t u, size_t m, double v, int max)
{
	double *column = units->columns[m];
	unsigned char *small = units->smalls[m];

	if (column) {
		if (isnan(column[u]))
			column[u] = v;
		else if (max)
			column[u] = v > column[u] ? v : column[u];
		else
			column[u] += v;
		return 0;
	}
	if (small) {
		unsigned have = small[u], given = small_of(v);
		unsigned r = have == SMALL_NONE ? given
		             : max ? (given > have ? given : have) : have + given;
		if (given != SMALL_NONE && r <= SMALL_MAX) {
			small[u] = (unsigned char)r;
			return 0;
		}
	} else {
		unsigned char *byte = &units->bits[u * units->bit_bytes + m / 4];
		unsigned shift = 2 * (unsigned)(m % 4), given = packable(v);
		unsigned state = *byte >> shift & 3u;
		if (given && (state == 0 || max || given == 1)) {
			if (state == 0 || given > state)
				*byte = (unsigned char)((*byte & ~(3u << shift)) |
				                        given << shift);
			return 0;
		}
	}
	return fold_any(units, u, m, v, max);
}

/* A new unit u, no values yet.  0, or -1 on memory. */
static int start_unit(tact_units *units, size_t u, size_t group)
{
	size_t m;

	units->groups[u] = (uint32_t)group;
	units->mixed[u] = 0;
	memset(units->bits + u * units->bit_bytes, 0, units->bit_bytes);
	for (m = 0; m < units->metric_count; m++) {
		if (units->columns[m])
			units->columns[m][u] = NAN;
		else if (units->smalls[m])
			units->smalls[m][u] = SMALL_NONE;
	}
	return 0;
}

tact_status tact_units_append(tact_units *units, size_t group,
                              const double *values, tact_error *error)
{
	const size_t m = units->metric_count;
	size_t u = units->count, i;

	if (grow(units) != 0)
		goto no_memory;
	start_unit(units, u, group);
	units->count = u + 1;
	for (i = 0; i < m; i++)
		if (!isnan(values[i]) && fold(units, u, i, values[i], 0) != 0)
			goto no_memory;
	return TACT_OK;
no_memory:
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "out of memory while holding rows");
}

tact_status tact_units_add(tact_units *units, size_t unit, const char *id,
                           size_t length, size_t group, const tact_role *roles,
                           const double *values, tact_error *error)
{
	return tact_units_add_hashed(units, unit, id, length,
	                             unit == TACT_KEYMAP_NONE
	                                 ? tact_units_hash(id, length,
	                                                   units->hash_mask)
	                                 : 0,
	                             group, 0, roles, values, error);
}

tact_status tact_units_add_hashed(tact_units *units, size_t unit,
                                  const char *id, size_t length, uint64_t hash,
                                  size_t group, uint32_t first,
                                  const tact_role *roles, const double *values,
                                  tact_error *error)
{
	const size_t m = units->metric_count;
	const int new_unit = unit == TACT_KEYMAP_NONE; /* its first session */
	size_t i;

	if (unit == TACT_KEYMAP_NONE) {
		unit = units->count;
		if (grow(units) != 0 || grow_slots(units) != 0 ||
		    hold_id(units, unit, id, length) != 0)
			goto no_memory;
		units->count = unit + 1;
		place_hashed(units, unit, hash);
		start_unit(units, unit, group);
		if (units->keep_firsts)
			units->firsts[unit] = first;
	}
	for (i = 0; i < m; i++) {
		double v = values[i];
		/* A covariate is the first session's value (CUPED), not a sum. */
		if (isnan(v) || (roles[i] == TACT_ROLE_COVARIATE && !new_unit))
			continue;
		if (fold(units, unit, i, v,
		         roles[i] == TACT_ROLE_GOAL ||
		             roles[i] == TACT_ROLE_ANNOYANCE) != 0)
			goto no_memory;
	}
	return TACT_OK;
no_memory:
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "out of memory while holding units");
}

void tact_units_mark_several_arms(tact_units *units, size_t unit)
{
	if (!units->mixed[unit]) {
		units->mixed[unit] = 1;
		units->several_arms++;
	}
}

int tact_units_flush(const tact_units *units, tact_summary *summary,
                     int drop_mixed)
{
	double row[64], *values = units->metric_count <= 64 ? row : NULL;
	size_t u;

	if (!values && !(values = malloc(units->metric_count * sizeof *values)))
		return -1;
	for (u = 0; u < units->count; u++)
		if (!(drop_mixed && units->mixed[u])) {
			tact_units_row(units, u, values);
			tact_summary_add(summary, units->groups[u], values);
		}
	if (values != row)
		free(values);
	return 0;
}

size_t tact_units_bytes(const tact_units *units)
{
	size_t m, columns = 0, smalls = 0;

	for (m = 0; units->columns && m < units->metric_count; m++)
		columns += units->columns[m] != NULL;
	for (m = 0; units->smalls && m < units->metric_count; m++)
		smalls += units->smalls[m] != NULL;
	return units->slot_count * sizeof *units->slots + units->arena_capacity +
	       units->capacity * (columns * sizeof(double) + smalls +
	                          units->bit_bytes +
	                          sizeof *units->groups + 1 +
	                          (units->ids ? sizeof *units->ids + 1 : 0) +
	                          (units->firsts ? sizeof *units->firsts : 0));
}
