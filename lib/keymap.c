/*
 * keymap.c - an insertion-ordered hash map of byte strings (see keymap.h).
 */
#include "keymap.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536
#define ARENA_FIRST 64

struct tact_keymap_block {
	tact_keymap_block *next;
	size_t used, size;
	char bytes[];
};

void tact_keymap_init(tact_keymap *map)
{
	memset(map, 0, sizeof *map);
}

void tact_keymap_release(tact_keymap *map)
{
	tact_keymap_block *block = map->arena;

	while (block) {
		tact_keymap_block *next = block->next;
		free(block);
		block = next;
	}
	free(map->slots);
	free(map->hashes);
	free(map->keys);
	free(map->lengths);
	tact_keymap_init(map);
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

uint64_t tact_keymap_hash(const char *key, size_t length)
{
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ length;
	size_t i = 0;

	for (; i + 8 <= length; i += 8) {
		uint64_t word;
		memcpy(&word, key + i, 8);
		h = (h ^ word) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 29;
	}
	if (i < length) {
		uint64_t word = 0;
		memcpy(&word, key + i, length - i);
		h = (h ^ word) * UINT64_C(0x9e3779b97f4a7c15);
	}
	return mix(h);
}

size_t tact_keymap_find(const tact_keymap *map, const char *key, size_t length)
{
	uint64_t hash;
	size_t mask, slot;

	if (map->capacity == 0)
		return TACT_KEYMAP_NONE;
	hash = tact_keymap_hash(key, length);
	mask = map->capacity - 1;
	for (slot = hash & mask; map->slots[slot]; slot = (slot + 1) & mask) {
		size_t index = map->slots[slot] - 1;
		if (map->hashes[index] == hash && map->lengths[index] == length &&
		    memcmp(map->keys[index], key, length) == 0)
			return index;
	}
	return TACT_KEYMAP_NONE;
}

static int grow_table(tact_keymap *map)
{
	/* Small first: a tool may hold one map per column (tact-validate on a
	 * million columns held 5.8 GB when each began with 64 slots and a
	 * 64 KiB arena block); doubling makes the start cost nothing later. */
	size_t capacity = map->capacity ? map->capacity * 2 : 8;
	size_t *slots = calloc(capacity, sizeof *slots);
	size_t index;

	if (!slots)
		return -1;
	for (index = 0; index < map->count; index++) {
		size_t slot = map->hashes[index] & (capacity - 1);
		while (slots[slot])
			slot = (slot + 1) & (capacity - 1);
		slots[slot] = index + 1;
	}
	free(map->slots);
	map->slots = slots;
	map->capacity = capacity;
	return 0;
}

static int grow_indices(tact_keymap *map)
{
	size_t capacity = map->index_capacity ? map->index_capacity * 2 : 4;
	uint64_t *hashes = realloc(map->hashes, capacity * sizeof *hashes);
	const char **keys;
	size_t *lengths;

	if (!hashes)
		return -1;
	map->hashes = hashes;
	keys = realloc((void *)map->keys, capacity * sizeof *keys);
	if (!keys)
		return -1;
	map->keys = keys;
	lengths = realloc(map->lengths, capacity * sizeof *lengths);
	if (!lengths)
		return -1;
	map->lengths = lengths;
	map->index_capacity = capacity;
	return 0;
}

static const char *arena_copy(tact_keymap *map, const char *key, size_t length)
{
	tact_keymap_block *block = map->arena;
	char *copy;

	if (!block || block->size - block->used < length + 1) {
		/* Blocks double from ARENA_FIRST up to ARENA_BLOCK (see
		 * grow_table). */
		size_t size = block ? 2 * block->size : ARENA_FIRST;
		if (size > ARENA_BLOCK)
			size = ARENA_BLOCK;
		if (size < length + 1)
			size = length + 1;
		block = malloc(sizeof *block + size);
		if (!block)
			return NULL;
		block->used = 0;
		block->size = size;
		block->next = map->arena;
		map->arena = block;
	}
	copy = block->bytes + block->used;
	if (length)
		memcpy(copy, key, length);
	copy[length] = '\0';
	block->used += length + 1;
	return copy;
}

size_t tact_keymap_intern(tact_keymap *map, const char *key, size_t length,
                          int *added)
{
	size_t index = tact_keymap_find(map, key, length);
	size_t slot;
	const char *copy;

	if (added)
		*added = 0;
	if (index != TACT_KEYMAP_NONE)
		return index;
	/* Keep the load factor under one half. */
	if ((map->count + 1) * 2 > map->capacity && grow_table(map) != 0)
		return TACT_KEYMAP_NONE;
	if (map->count == map->index_capacity && grow_indices(map) != 0)
		return TACT_KEYMAP_NONE;
	copy = arena_copy(map, key, length);
	if (!copy)
		return TACT_KEYMAP_NONE;
	index = map->count++;
	map->hashes[index] = tact_keymap_hash(key, length);
	map->keys[index] = copy;
	map->lengths[index] = length;
	slot = map->hashes[index] & (map->capacity - 1);
	while (map->slots[slot])
		slot = (slot + 1) & (map->capacity - 1);
	map->slots[slot] = index + 1;
	if (added)
		*added = 1;
	return index;
}

const char *tact_keymap_key(const tact_keymap *map, size_t index,
                            size_t *length)
{
	if (length)
		*length = map->lengths[index];
	return map->keys[index];
}

size_t tact_keymap_bytes(const tact_keymap *map)
{
	size_t bytes = map->capacity * sizeof *map->slots +
	               map->index_capacity * (sizeof *map->hashes +
	                                      sizeof *map->keys +
	                                      sizeof *map->lengths);
	const tact_keymap_block *block;

	for (block = map->arena; block; block = block->next)
		bytes += sizeof *block + block->size;
	return bytes;
}
