/*
 * unitspart.c - sessions folded into units by partitions (see unitspart.h).
 */
#include "unitspart.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/*
 * A record: its row among the part's routed sessions, the session's group
 * in its part, the id's length and the id (its bytes when up to 8, else
 * its offset in the part's arena); then a byte per metric: 0 missing,
 * 1 + k for the whole number k from 0 to SMALL_MAX (+0.0 for 0), else
 * VALUE_FOLLOWS and the double after the bytes.  Unaligned: read and
 * written with memcpy.  About 25 bytes for a row of 0/1 outcomes.
 */
typedef struct record_head {
	uint32_t row;
	uint32_t group;
	uint32_t length;
	uint64_t offset;          /* a long id's, in the arena */
} record_head;

#define HEAD_BYTES (3 * sizeof(uint32_t) + 8)
#define ID_AT (3 * sizeof(uint32_t))

/* word: a short id's (tact_units_word_padded), zeros after its bytes. */
static void put_head(unsigned char *at, const record_head *head,
                     uint64_t word)
{
	memcpy(at, &head->row, 4);
	memcpy(at + 4, &head->group, 4);
	memcpy(at + 8, &head->length, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(at + ID_AT, head->length <= 8 ? &word : &head->offset, 8);
#else
	if (head->length <= 8) {
		size_t i;
		for (i = 0; i < 8; i++)
			at[ID_AT + i] = (unsigned char)(word >> (8 * i));
	} else {
		memcpy(at + ID_AT, &head->offset, 8);
	}
#endif
}

static void get_head(const unsigned char *at, record_head *head)
{
	memcpy(&head->row, at, 4);
	memcpy(&head->group, at + 4, 4);
	memcpy(&head->length, at + 8, 4);
	if (head->length > 8)
		memcpy(&head->offset, at + ID_AT, 8);
}
#define SMALL_MAX 250
#define VALUE_FOLLOWS 255
/* The bits of +0.0 and of 1.0 (IEEE 754 doubles): a value is one of the
 * two exactly when its bits are. */
#define ZERO_BITS UINT64_C(0)
#define ONE_BITS UINT64_C(0x3ff0000000000000)

void tact_unit_part_init(tact_unit_part *part, size_t partitions,
                         size_t metric_count, uint64_t hash_mask)
{
	memset(part, 0, sizeof *part);
	part->partitions = partitions;
	part->metric_count = metric_count;
	part->hash_mask = hash_mask;
	/* The most a record takes. */
	part->record_bytes = HEAD_BYTES + metric_count * (1 + sizeof(double));
}

void tact_unit_part_release(tact_unit_part *part)
{
	size_t p;

	for (p = 0; part->records && p < part->partitions; p++)
		free(part->records[p]);
	free(part->records);
	free(part->used);
	free(part->capacity);
	free(part->arena);
	tact_unit_part_init(part, part->partitions, part->metric_count,
	                    part->hash_mask);
}

size_t tact_unit_partition_of(uint64_t hash, size_t count)
{
	/* The high bits (the slots' tags): the table's slot is chosen by the
	 * low ones. */
	return (size_t)(((hash >> 32) * (uint64_t)count) >> 32);
}

/* Room for one more record in partition p.  0, or -1 on memory. */
static int room(tact_unit_part *part, size_t p)
{
	size_t capacity;
	unsigned char *grown;

	if (!part->records) {
		part->records = calloc(part->partitions, sizeof *part->records);
		part->used = calloc(part->partitions, sizeof *part->used);
		part->capacity = calloc(part->partitions, sizeof *part->capacity);
		if (!part->records || !part->used || !part->capacity)
			return -1;
	}
	if (part->capacity[p] - part->used[p] >= part->record_bytes)
		return 0;
	capacity = part->capacity[p] ? part->capacity[p] * 2
	                             : 256 * part->record_bytes;
	if (!(grown = realloc(part->records[p], capacity)))
		return -1;
	part->records[p] = grown;
	part->capacity[p] = capacity;
	return 0;
}

/* Hold a long id in the arena; its offset in *offset.  0, or -1. */
static int hold_long_id(tact_unit_part *part, const char *id, size_t length,
                        uint64_t *offset)
{
	while (part->arena_capacity - part->arena_used < length) {
		size_t c = part->arena_capacity ? part->arena_capacity * 2 : 65536;
		char *arena = realloc(part->arena, c);
		if (!arena)
			return -1;
		part->arena = arena;
		part->arena_capacity = c;
	}
	memcpy(part->arena + part->arena_used, id, length);
	*offset = part->arena_used;
	part->arena_used += length;
	return 0;
}

tact_status tact_unit_part_route(tact_unit_part *part, const char *id,
                                 size_t length, uint32_t group,
                                 const double *values, tact_error *error)
{
	record_head head;
	/* A CSV field may be read 16 bytes on (TACT_CSV_FIELD_PAD). */
	uint64_t word = length <= 8 ? tact_units_word_padded(id, length) : 0;
	uint64_t hash = (length <= 8 ? tact_units_hash_word(word, length)
	                             : tact_keymap_hash(id, length)) &
	                part->hash_mask;
	size_t p = tact_unit_partition_of(hash, part->partitions), m;
	unsigned char *at, *codes, *follow;

	if (part->rows == UINT32_MAX || length > UINT32_MAX || room(part, p) != 0)
		goto no_memory;
	memset(&head, 0, sizeof head);
	head.length = (uint32_t)length;
	head.group = group;
	head.row = part->rows++;
	if (length > 8 && hold_long_id(part, id, length, &head.offset) != 0)
		goto no_memory;
	at = part->records[p] + part->used[p];
	put_head(at, &head, word);
	codes = at + HEAD_BYTES;
	follow = codes + part->metric_count;
	for (m = 0; m < part->metric_count; m++) {
		double v = values[m];
		uint64_t bits;
		memcpy(&bits, &v, sizeof bits);
		if (bits == ONE_BITS) {
			codes[m] = 2;
		} else if (bits == ZERO_BITS) {
			codes[m] = 1;
		} else if (isnan(v)) {
			codes[m] = 0;
		} else if (v >= 0 && v <= SMALL_MAX && v == (double)(int)v &&
		           !signbit(v)) {
			codes[m] = (unsigned char)(1 + (int)v);
		} else {
			codes[m] = VALUE_FOLLOWS;
			memcpy(follow, &v, sizeof v);
			follow += sizeof v;
		}
	}
	part->used[p] += (size_t)(follow - at);
	return TACT_OK;
no_memory:
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "out of memory while routing sessions to units");
}

size_t tact_unit_part_bytes(const tact_unit_part *part)
{
	size_t p, bytes = part->arena_capacity;

	for (p = 0; part->capacity && p < part->partitions; p++)
		bytes += part->capacity[p];
	return bytes;
}

tact_status tact_unit_partitions_init(tact_unit_partitions *partitions,
                                      size_t count, size_t metric_count,
                                      uint64_t hash_mask, tact_error *error)
{
	size_t p;

	memset(partitions, 0, sizeof *partitions);
	if (count < 1 || count > 255)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "%zu partitions: 1 to 255", count);
	if (!(partitions->tables = calloc(count, sizeof *partitions->tables)))
		return tact_error_oom(error);
	partitions->count = count;
	for (p = 0; p < count; p++) {
		tact_units *t = &partitions->tables[p];
		tact_units_init(t, metric_count);
		t->hash_mask = hash_mask;
		t->keep_firsts = 1;
	}
	return TACT_OK;
}

void tact_unit_partitions_release(tact_unit_partitions *partitions)
{
	size_t p;

	for (p = 0; partitions->tables && p < partitions->count; p++)
		tact_units_release(&partitions->tables[p]);
	free(partitions->tables);
	free(partitions->first_counts);
	free(partitions->part_rows);
	memset(partitions, 0, sizeof *partitions);
}

tact_status tact_unit_partitions_add_parts(tact_unit_partitions *partitions,
                                           const tact_unit_part *parts,
                                           size_t n, tact_error *error)
{
	const size_t count = partitions->count;
	size_t k, need = partitions->part_count + n;

	if (need > partitions->part_capacity) {
		size_t c = need * 2;
		uint32_t *counts = realloc(partitions->first_counts,
		                           c * count * sizeof *counts);
		uint32_t *rows;
		if (!counts)
			return tact_error_oom(error);
		partitions->first_counts = counts;
		if (!(rows = realloc(partitions->part_rows, c * sizeof *rows)))
			return tact_error_oom(error);
		partitions->part_rows = rows;
		partitions->part_capacity = c;
	}
	for (k = 0; k < n; k++) {
		size_t at = partitions->part_count + k;
		partitions->part_rows[at] = parts[k].rows;
		memset(partitions->first_counts + at * count, 0,
		       count * sizeof *partitions->first_counts);
	}
	partitions->part_count = need;
	return TACT_OK;
}

/* Fold one part's records of partition p into table t (part index at). */
static tact_status fold_part(tact_unit_partitions *partitions, size_t p,
                             size_t at, const tact_unit_part *part,
                             const uint32_t *group_of, const uint32_t *arm_of,
                             const tact_role *roles, tact_error *error)
{
	tact_units *t = &partitions->tables[p];
	uint32_t *firsts = &partitions->first_counts[at * partitions->count + p];
	const unsigned char *r, *end;
	double values[64], *v = part->metric_count <= 64 ? values : NULL;
	tact_status status = TACT_OK;

	if (!part->records || !part->used[p])
		return TACT_OK;
	if (!v && !(v = malloc(part->metric_count * sizeof *v)))
		return tact_error_oom(error);
	r = part->records[p];
	end = r + part->used[p];
	while (r < end && status == TACT_OK) {
		record_head head;
		const char *id;
		const unsigned char *codes = r + HEAD_BYTES, *follow;
		size_t u, m;
		uint32_t group;
		uint64_t hash;
		get_head(r, &head);
		follow = codes + part->metric_count;
		for (m = 0; m < part->metric_count; m++) {
			unsigned k = codes[m] - 1u; /* 1 + k, or 0 */
			if (k < VALUE_FOLLOWS - 1u) {
				v[m] = (double)k;
			} else if (codes[m] == 0) {
				v[m] = NAN;
			} else {
				memcpy(&v[m], follow, sizeof v[m]);
				follow += sizeof v[m];
			}
		}
		id = head.length <= 8 ? (const char *)r + ID_AT
		                      : part->arena + head.offset;
		r = follow;
		/* A record's id may be read 8 bytes on: a short one is its
		 * word, zeros after its bytes. */
		hash = tact_units_hash_padded(id, head.length, t->hash_mask);
		group = group_of[head.group];
		u = tact_units_find_hashed(t, id, head.length, hash);
		if (u == TACT_KEYMAP_NONE)
			++*firsts;
		else if (arm_of[t->groups[u]] != arm_of[group])
			tact_units_mark_several_arms(t, u);
		status = tact_units_add_hashed(t, u, id, head.length, hash,
		                               u == TACT_KEYMAP_NONE ? group
		                                                     : t->groups[u],
		                               head.row, roles, v, error);
	}
	if (v != values)
		free(v);
	return status;
}

tact_status tact_unit_partitions_fold(tact_unit_partitions *partitions,
                                      size_t p, const tact_unit_part *parts,
                                      size_t n, const uint32_t *const *group_of,
                                      const uint32_t *arm_of,
                                      const tact_role *roles,
                                      tact_error *error)
{
	size_t k, first = partitions->part_count - n;
	tact_status status = TACT_OK;

	for (k = 0; k < n && status == TACT_OK; k++)
		status = fold_part(partitions, p, first + k, &parts[k], group_of[k],
		                   arm_of, roles, error);
	return status;
}

size_t tact_unit_partitions_units(const tact_unit_partitions *partitions)
{
	size_t p, n = 0;

	for (p = 0; p < partitions->count; p++)
		n += partitions->tables[p].count;
	return n;
}

size_t tact_unit_partitions_bytes(const tact_unit_partitions *partitions)
{
	size_t p, n = 0;

	for (p = 0; p < partitions->count; p++)
		n += tact_units_bytes(&partitions->tables[p]);
	return n;
}

void tact_unit_partitions_drop_ids(tact_unit_partitions *partitions)
{
	size_t p;

	for (p = 0; p < partitions->count; p++)
		tact_units_drop_ids(&partitions->tables[p]);
}

/*
 * Within a part, the units first seen there are, in each partition, in
 * the order of their first rows: a byte per routed row (owner) says which
 * partition's next unit comes at that row, and a scan of the rows in
 * order interleaves them.  Reads the partitions only: several threads may
 * walk them at once.
 */
int tact_unit_partitions_each(const tact_unit_partitions *partitions,
                              int (*each)(void *context,
                                          const tact_units *table, size_t u),
                              void *context)
{
	const size_t count = partitions->count;
	size_t *next = calloc(count, sizeof *next), k, p, r, capacity = 0;
	unsigned char *owner = NULL;
	int rc = 0;

	if (!next)
		return -1;
	for (k = 0; k < partitions->part_count && rc == 0; k++) {
		const uint32_t rows = partitions->part_rows[k];
		const uint32_t *firsts = &partitions->first_counts[k * count];
		if (rows == 0)
			continue; /* a part whose every row was left out */
		if (rows > capacity) {
			free(owner);
			if (!(owner = malloc(rows))) {
				rc = -1;
				break;
			}
			capacity = rows;
		}
		memset(owner, 0xff, rows);
		for (p = 0; p < count; p++) {
			const tact_units *t = &partitions->tables[p];
			uint32_t i;
			for (i = 0; i < firsts[p]; i++)
				owner[t->firsts[next[p] + i]] = (unsigned char)p;
		}
		for (r = 0; r < rows && rc == 0; r++)
			if (owner[r] != 0xff) {
				p = owner[r];
				rc = each(context, &partitions->tables[p], next[p]++);
			}
	}
	free(owner);
	free(next);
	return rc;
}
