/*
 * keymap.h - byte-string keys to dense indices 0, 1, 2, ... in insertion
 * order.  Used for groups (segment x arm) and for units (visitor ids).
 *
 * Open addressing with linear probing; keys are copied into arena blocks so
 * ten million short keys cost ten million small copies, not ten million
 * mallocs.  Keys may hold any bytes, including NUL.
 */
#ifndef TACT_KEYMAP_H
#define TACT_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#define TACT_KEYMAP_NONE ((size_t)-1)

typedef struct tact_keymap_block tact_keymap_block;

typedef struct tact_keymap {
	size_t count;          /* keys held */
	size_t capacity;       /* slots in the table (a power of two) */
	size_t *slots;         /* index + 1 per slot; 0 = empty */
	uint64_t *hashes;      /* per index */
	const char **keys;     /* per index, into the arena */
	size_t *lengths;       /* per index */
	size_t index_capacity;
	tact_keymap_block *arena;
} tact_keymap;

void tact_keymap_init(tact_keymap *map);
void tact_keymap_release(tact_keymap *map);

/* 64-bit hash of a byte string (not cryptographic). */
uint64_t tact_keymap_hash(const char *key, size_t length);

/* Index of key, or TACT_KEYMAP_NONE. */
size_t tact_keymap_find(const tact_keymap *map, const char *key, size_t length);

/* Index of key, adding it when absent (*added set to 1, else 0; added may be
 * NULL).  Returns TACT_KEYMAP_NONE when memory runs out. */
size_t tact_keymap_intern(tact_keymap *map, const char *key, size_t length,
                          int *added);

/* The key at index (not NUL-terminated in general: use *length). */
const char *tact_keymap_key(const tact_keymap *map, size_t index,
                            size_t *length);

/* Bytes held by the map (table, indices and arena), for memory reports. */
size_t tact_keymap_bytes(const tact_keymap *map);

#endif
