/*
 * summary.c - accumulating, finishing and merging summaries (see summary.h).
 *
 * The accumulator keeps, per group, two kinds of sums of deviations from
 * the shifts (d = value - shift):
 *   - over complete units (every metric present, the usual case): the
 *     count, the sum of d per metric and the sum of d_a * d_b for every
 *     a <= b (a triangle that includes the squares);
 *   - over incomplete units: per metric the count and the sums of d and
 *     d^2, and per pair (both present) the count and the sums of d_a, d_b
 *     and d_a * d_b.
 * A complete unit costs m + m(m+1)/2 multiply-adds and no branch per pair.
 * Sums go to a block first and are folded into the totals every 1024 units
 * of the group (pairwise-style summation: the rounding error grows with
 * the number of blocks, not of units).
 */
#include "summary.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labelindex.h"
#include "period.h"

#define BLOCK_ROWS 1024

struct tact_summary_cache;
static void cache_free(struct tact_summary_cache *cache);

struct tact_accumulator {
	double *shift;          /* per metric */
	unsigned char *shifted; /* per metric: shift set */
	int all_shifted;        /* every metric's shift is set */
	unsigned binary_left;   /* metrics (of the first UNROLLED_METRICS) this
	                           group has not yet seen take a value other
	                           than 0 and 1 */
	int64_t complete;       /* complete units */
	int64_t *incomplete_n;  /* per metric */
	int64_t *pair_n;        /* per pair, incomplete units only */
	size_t doubles;         /* length of block and total */
	double *block, *total;  /* layout: see offsets in struct layout */
	unsigned rows_in_block;
};

/* Offsets into an accumulator's double arrays, the same for all groups. */
typedef struct layout {
	size_t m, pairs, triangle;
	size_t complete_s1, complete_products;   /* m, triangle */
	size_t incomplete_s1, incomplete_s2;     /* m, m */
	size_t pair_sa, pair_sb, pair_sab;       /* pairs each */
	size_t doubles;
} layout;

static layout layout_of(size_t m)
{
	layout l;

	l.m = m;
	l.pairs = m * (m - 1) / 2;
	l.triangle = m * (m + 1) / 2;
	l.complete_s1 = 0;
	l.complete_products = l.complete_s1 + m;
	l.incomplete_s1 = l.complete_products + l.triangle;
	l.incomplete_s2 = l.incomplete_s1 + m;
	l.pair_sa = l.incomplete_s2 + m;
	l.pair_sb = l.pair_sa + l.pairs;
	l.pair_sab = l.pair_sb + l.pairs;
	l.doubles = l.pair_sab + l.pairs;
	return l;
}

/* Index of (a, b), a <= b, in the triangle with the diagonal. */
static size_t triangle_index(size_t m, size_t a, size_t b)
{
	/* Row a starts after rows 0..a-1, of m, m-1, ... entries. */
	return a * m - (a * (a - 1)) / 2 + (b - a);
}

size_t tact_summary_pair(const tact_summary *summary, size_t a, size_t b)
{
	size_t m = summary->metric_count;

	if (a > b) {
		size_t t = a;
		a = b;
		b = t;
	}
	return a * m - a * (a + 1) / 2 + (b - a - 1);
}

void tact_summary_init(tact_summary *summary)
{
	memset(summary, 0, sizeof *summary);
	tact_keymap_init(&summary->index);
	tact_keymap_init(&summary->pooled_index);
}

static void accumulator_free(tact_accumulator *acc)
{
	if (!acc)
		return;
	free(acc->shift);
	free(acc->shifted);
	free(acc->incomplete_n);
	free(acc->pair_n);
	free(acc->block);
	free(acc->total);
	free(acc);
}

static void group_release(tact_summary *summary, tact_summary_group *group)
{
	size_t i;

	if (group->labels)
		for (i = 0; i < summary->dimensions; i++)
			free(group->labels[i]);
	free(group->labels);
	free(group->arm);
	free(group->metrics);
	free(group->pairs);
	accumulator_free(group->accumulator);
}

void tact_summary_release(tact_summary *summary)
{
	size_t i;

	for (i = 0; i < summary->group_count; i++)
		group_release(summary, &summary->groups[i]);
	free(summary->groups);
	for (i = 0; i < summary->pooled_count; i++)
		group_release(summary, &summary->pooled[i]);
	free(summary->pooled);
	tact_keymap_release(&summary->pooled_index);
	for (i = 0; i < summary->dimensions; i++)
		free(summary->dimension_names[i]);
	free(summary->dimension_names);
	for (i = 0; summary->dimension_bins && i < summary->dimensions; i++)
		free(summary->dimension_bins[i]);
	free(summary->dimension_bins);
	free(summary->arm_name);
	for (i = 0; i < summary->metric_count; i++)
		free(summary->metrics[i].name);
	free(summary->metrics);
	free(summary->control);
	free(summary->unit_name);
	free(summary->consent);
	free(summary->where);
	free(summary->covariate_of);
	free(summary->covariate_missing);
	free(summary->covariate_row);
	free(summary->key_buffer);
	tact_periods_free(summary->periods);
	cache_free(summary->cache);
	tact_keymap_release(&summary->index);
	tact_summary_init(summary);
}

tact_status tact_summary_set_where(tact_summary *summary, const char *where,
                                   tact_error *error)
{
	free(summary->where);
	summary->where = NULL;
	if (where && !(summary->where = strdup(where)))
		return tact_error_oom(error);
	return TACT_OK;
}

void tact_summary_move_where(tact_summary *to, tact_summary *from)
{
	free(to->where);
	to->where = from->where;
	from->where = NULL;
	to->rows_excluded_where = from->rows_excluded_where;
	to->where_unreadable = from->where_unreadable;
}

/* --where: shards filtered differently (or one not at all) do not add up
 * to one filtered export. */
static tact_status merge_where(tact_summary *into, const tact_summary *from,
                               tact_error *error)
{
	if ((into->where == NULL) != (from->where == NULL) ||
	    (into->where && strcmp(into->where, from->where) != 0))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries filter rows differently (%s%s%s and "
		                      "%s%s%s): summarize every shard with the same "
		                      "--where",
		                      into->where ? "--where \"" : "no --where",
		                      into->where ? into->where : "",
		                      into->where ? "\"" : "",
		                      from->where ? "--where \"" : "no --where",
		                      from->where ? from->where : "",
		                      from->where ? "\"" : "");
	into->rows_excluded_where += from->rows_excluded_where;
	into->where_unreadable += from->where_unreadable;
	return TACT_OK;
}

tact_status tact_summary_setup(tact_summary *summary, size_t dimensions,
                               char *const *dimension_names,
                               const char *arm_name, size_t metric_count,
                               char *const *metric_names,
                               const tact_role *metric_roles,
                               tact_error *error)
{
	size_t i;

	summary->dimension_names = calloc(dimensions + 1, sizeof(char *));
	summary->dimension_bins = calloc(dimensions + 1, sizeof(char *));
	summary->metrics = calloc(metric_count + 1, sizeof *summary->metrics);
	summary->arm_name = strdup(arm_name);
	if (!summary->dimension_names || !summary->dimension_bins ||
	    !summary->metrics || !summary->arm_name)
		return tact_error_oom(error);
	for (i = 0; i < dimensions; i++) {
		summary->dimension_names[i] = strdup(dimension_names[i]);
		if (!summary->dimension_names[i])
			return tact_error_oom(error);
		summary->dimensions++;
	}
	for (i = 0; i < metric_count; i++) {
		summary->metrics[i].name = strdup(metric_names[i]);
		if (!summary->metrics[i].name)
			return tact_error_oom(error);
		summary->metrics[i].role = metric_roles[i];
		summary->metrics[i].binary =
			metric_roles[i] == TACT_ROLE_GOAL ||
			metric_roles[i] == TACT_ROLE_ANNOYANCE;
		summary->metric_count++;
	}
	summary->pair_count = metric_count * (metric_count - 1) / 2;
	if (metric_count == 0)
		summary->pair_count = 0;
	summary->covariate_of = malloc((metric_count + 1) *
	                               sizeof *summary->covariate_of);
	summary->covariate_missing = calloc(metric_count + 1,
	                                    sizeof *summary->covariate_missing);
	summary->covariate_row = malloc((metric_count + 1) *
	                                sizeof *summary->covariate_row);
	if (!summary->covariate_of || !summary->covariate_missing ||
	    !summary->covariate_row)
		return tact_error_oom(error);
	for (i = 0; i < metric_count; i++) {
		summary->covariate_of[i] = TACT_NO_COLUMN;
		summary->covariate_count += metric_roles[i] == TACT_ROLE_COVARIATE;
	}
	/* An unsegmented summary's groups are its pooled ones. */
	summary->has_pooled = dimensions > 0;
	return TACT_OK;
}

void tact_summary_set_covariates(tact_summary *summary,
                                 const size_t *covariate_of)
{
	if (covariate_of)
		memcpy(summary->covariate_of, covariate_of,
		       summary->metric_count * sizeof *covariate_of);
}

int tact_summary_has_covariates(const tact_summary *summary)
{
	size_t m;

	for (m = 0; summary->covariate_of && m < summary->metric_count; m++)
		if (summary->covariate_of[m] != TACT_NO_COLUMN)
			return 1;
	return 0;
}

tact_status tact_summary_set_control(tact_summary *summary,
                                     const char *control, tact_error *error)
{
	char *copy = NULL;

	if (control && !(copy = strdup(control)))
		return tact_error_oom(error);
	free(summary->control);
	summary->control = copy;
	return TACT_OK;
}

size_t tact_summary_metric_index(const tact_summary *summary, const char *name)
{
	size_t i;

	for (i = 0; i < summary->metric_count; i++)
		if (strcmp(summary->metrics[i].name, name) == 0)
			return i;
	return TACT_NO_COLUMN;
}

/* The key of a group: each label and the arm, length-prefixed, built in
 * the summary's scratch buffer (no allocation per row). */
static const char *group_key(tact_summary *summary, const char *const *labels,
                             const size_t *lengths, const char *arm,
                             size_t arm_length, size_t *key_length)
{
	size_t i, size = sizeof(size_t) + arm_length, at = 0;
	char *key;

	for (i = 0; i < summary->dimensions; i++)
		size += sizeof(size_t) + lengths[i];
	if (size > summary->key_capacity) {
		size_t capacity = size * 2;
		char *buffer = realloc(summary->key_buffer, capacity);
		if (!buffer)
			return NULL;
		summary->key_buffer = buffer;
		summary->key_capacity = capacity;
	}
	key = summary->key_buffer;
	for (i = 0; i < summary->dimensions; i++) {
		memcpy(key + at, &lengths[i], sizeof(size_t));
		at += sizeof(size_t);
		memcpy(key + at, labels[i], lengths[i]);
		at += lengths[i];
	}
	memcpy(key + at, &arm_length, sizeof(size_t));
	at += sizeof(size_t);
	memcpy(key + at, arm, arm_length);
	*key_length = size;
	return key;
}

static tact_accumulator *accumulator_new(size_t m)
{
	layout l = layout_of(m);
	tact_accumulator *acc = calloc(1, sizeof *acc);

	if (!acc)
		return NULL;
	acc->shift = calloc(m + 1, sizeof *acc->shift);
	acc->shifted = calloc(m + 1, 1);
	acc->incomplete_n = calloc(m + 1, sizeof *acc->incomplete_n);
	acc->pair_n = calloc(l.pairs + 1, sizeof *acc->pair_n);
	acc->doubles = l.doubles;
	acc->binary_left = ~0u;
	acc->block = calloc(l.doubles + 1, sizeof(double));
	acc->total = calloc(l.doubles + 1, sizeof(double));
	if (!acc->shift || !acc->shifted || !acc->incomplete_n || !acc->pair_n ||
	    !acc->block || !acc->total) {
		accumulator_free(acc);
		return NULL;
	}
	return acc;
}

static tact_status pooled_find_or_add(tact_summary *summary, const char *arm,
                                     size_t arm_length, int with_accumulator,
                                     size_t *pooled, int *added,
                                     tact_error *error);

/* Fill a new group (zeroed first): labels copied, or all "(all)" when
 * labels is NULL (a pooled group); an accumulator when with_accumulator. */
static tact_status group_fill(const tact_summary *summary,
                              tact_summary_group *group,
                              const char *const *labels, const size_t *lengths,
                              const char *arm, size_t arm_length,
                              int with_accumulator, tact_error *error)
{
	size_t i;

	memset(group, 0, sizeof *group);
	group->labels = calloc(summary->dimensions + 1, sizeof(char *));
	group->arm = strndup(arm, arm_length);
	group->metrics = calloc(summary->metric_count + 1, sizeof *group->metrics);
	group->pairs = calloc(summary->pair_count + 1, sizeof *group->pairs);
	if (!group->labels || !group->arm || !group->metrics || !group->pairs)
		return tact_error_oom(error);
	for (i = 0; i < summary->dimensions; i++)
		if (!(group->labels[i] = labels ? strndup(labels[i], lengths[i])
		                                : strdup(TACT_SUMMARY_POOLED)))
			return tact_error_oom(error);
	if (with_accumulator &&
	    !(group->accumulator = accumulator_new(summary->metric_count)))
		return tact_error_oom(error);
	return TACT_OK;
}

/* Append a group (labels copied); accumulator only when with_accumulator,
 * and then, with pooled groups, its arm's pooled group found or made. */
static tact_status group_append(tact_summary *summary,
                                const char *const *labels,
                                const size_t *lengths, const char *arm,
                                size_t arm_length, int with_accumulator,
                                tact_error *error)
{
	tact_summary_group *group;
	tact_status status;

	if (summary->group_count == summary->group_capacity) {
		size_t capacity = summary->group_capacity ? summary->group_capacity * 2 : 16;
		tact_summary_group *groups =
			realloc(summary->groups, capacity * sizeof *groups);
		if (!groups)
			return tact_error_oom(error);
		summary->groups = groups;
		summary->group_capacity = capacity;
	}
	group = &summary->groups[summary->group_count++];
	if ((status = group_fill(summary, group, labels, lengths, arm, arm_length,
	                         with_accumulator, error)))
		return status;
	if (with_accumulator && summary->has_pooled) {
		size_t pooled;
		int added;
		status = pooled_find_or_add(summary, arm, arm_length, 1, &pooled,
		                            &added, error);
		if (status != TACT_OK)
			return status;
		/* pooled_find_or_add moved no group: this one is still there. */
		summary->groups[summary->group_count - 1].pooled = pooled;
	}
	return TACT_OK;
}

/* The pooled group of an arm, made when new (labels all "(all)"). */
static tact_status pooled_find_or_add(tact_summary *summary, const char *arm,
                                     size_t arm_length, int with_accumulator,
                                     size_t *pooled, int *added,
                                     tact_error *error)
{
	tact_summary_group *group;
	size_t index;

	index = tact_keymap_intern(&summary->pooled_index, arm, arm_length, added);
	if (index == TACT_KEYMAP_NONE)
		return tact_error_oom(error);
	*pooled = index;
	if (!*added)
		return TACT_OK;
	if (summary->pooled_count == summary->pooled_capacity) {
		size_t capacity = summary->pooled_capacity ? summary->pooled_capacity * 2 : 4;
		tact_summary_group *grown =
			realloc(summary->pooled, capacity * sizeof *grown);
		if (!grown)
			return tact_error_oom(error);
		summary->pooled = grown;
		summary->pooled_capacity = capacity;
	}
	group = &summary->pooled[summary->pooled_count++];
	return group_fill(summary, group, NULL, NULL, arm, arm_length,
	                  with_accumulator, error);
}

tact_status tact_summary_pooled_insert(tact_summary *summary, const char *arm,
                                       size_t arm_length, size_t *pooled,
                                       int *added, tact_error *error)
{
	return pooled_find_or_add(summary, arm, arm_length, 0, pooled, added,
	                          error);
}

const tact_summary_group *tact_summary_pooled_find(const tact_summary *summary,
                                                   const char *arm)
{
	size_t index;

	if (!summary->has_pooled)
		return NULL;
	index = tact_keymap_find(&summary->pooled_index, arm, strlen(arm));
	return index == TACT_KEYMAP_NONE ? NULL : &summary->pooled[index];
}

void tact_summary_drop_pooled(tact_summary *summary)
{
	size_t i;

	for (i = 0; i < summary->pooled_count; i++)
		group_release(summary, &summary->pooled[i]);
	free(summary->pooled);
	summary->pooled = NULL;
	summary->pooled_count = summary->pooled_capacity = 0;
	tact_keymap_release(&summary->pooled_index);
	tact_keymap_init(&summary->pooled_index);
	summary->has_pooled = 0;
}

static tact_status find_or_add(tact_summary *summary,
                               const char *const *labels,
                               const size_t *lengths, const char *arm,
                               size_t arm_length, int with_accumulator,
                               size_t *group, int *added, tact_error *error)
{
	size_t key_length, index;
	const char *key = group_key(summary, labels, lengths, arm, arm_length,
	                            &key_length);
	tact_status status = TACT_OK;

	if (!key)
		return tact_error_oom(error);
	index = tact_keymap_intern(&summary->index, key, key_length, added);
	if (index == TACT_KEYMAP_NONE)
		return tact_error_oom(error);
	if (*added)
		status = group_append(summary, labels, lengths, arm, arm_length,
		                      with_accumulator, error);
	*group = index;
	return status;
}

/*
 * The fast lookup of groups while rows stream in.  Segment and arm columns
 * hold few distinct labels (intents, devices, arms), so each label is
 * numbered, the numbers are packed into one 64-bit code, and the code finds
 * the group in a small open-addressing table: no key is built and no long
 * string hashed per row.  A column with more than CACHE_LABELS labels, or
 * more than CACHE_COLUMNS columns, turns the cache off and the key map
 * serves every row (as it always does for inserts from merges).
 *
 * Numbering a label: when its bytes may be read TACT_LABEL_SHORT bytes from its
 * start (tact_summary_group_find_padded) and it is no longer than that, its
 * bytes, zero-padded, are two 64-bit words, hashed into the column's table
 * of LABEL_SLOTS slots and compared a word at a time: no loop over bytes
 * and no branch that depends on which label the row holds (labels come in
 * random order, so such branches are mispredicted).  Otherwise (or when the
 * table has no slot for it yet) a linear search among the column's labels.
 */
#define CACHE_LABELS 64    /* 6 bits per column */
#define CACHE_COLUMNS 10   /* 60 bits */
#define LABEL_SLOTS 128    /* a power of 2, twice CACHE_LABELS */

typedef struct label_slot {
	uint64_t low, high;     /* the label's bytes, zero-padded */
	size_t length;
	int id;                 /* -1: empty */
} label_slot;

struct tact_summary_cache {
	int off;
	size_t columns;                     /* dimensions + 1 (the arm) */
	size_t counts[CACHE_COLUMNS];
	char *labels[CACHE_COLUMNS][CACHE_LABELS];
	size_t lengths[CACHE_COLUMNS][CACHE_LABELS];
	label_slot slots[CACHE_COLUMNS][LABEL_SLOTS];
	size_t capacity, used;              /* the code table, a power of 2 */
	uint64_t *codes;                    /* code + 1; 0 = empty */
	size_t *groups;
};

static void cache_free(struct tact_summary_cache *cache)
{
	size_t c, i;

	if (!cache)
		return;
	for (c = 0; c < cache->columns && c < CACHE_COLUMNS; c++)
		for (i = 0; i < cache->counts[c]; i++)
			free(cache->labels[c][i]);
	free(cache->codes);
	free(cache->groups);
	free(cache);
}

/* The number of label in column c, adding it; -1 when the column is full
 * or memory runs out. */
static int cache_label(struct tact_summary_cache *cache, size_t c,
                       const char *label, size_t length)
{
	size_t i, n = cache->counts[c];

	for (i = 0; i < n; i++) {
		const char *known = cache->labels[c][i];
		size_t k;
		if (cache->lengths[c][i] != length)
			continue;
		/* Labels are short: a byte loop beats a call to memcmp. */
		for (k = 0; k < length && known[k] == label[k]; k++)
			;
		if (k == length)
			return (int)i;
	}
	if (n == CACHE_LABELS || !(cache->labels[c][n] = malloc(length + 1)))
		return -1;
	memcpy(cache->labels[c][n], label, length);
	cache->labels[c][n][length] = '\0';
	cache->lengths[c][n] = length;
	cache->counts[c] = n + 1;
	return (int)n;
}

/*
 * Number a label of at most TACT_LABEL_SHORT bytes, readable that far from
 * its start, through column c's slots: its bytes masked to its length are
 * two words (tact_label_words); a hit costs two loads, a few multiplies and
 * compares that almost always agree.
 */
static int cache_short_label(struct tact_summary_cache *cache, size_t c,
                             const char *label, size_t length)
{
	uint64_t words[2], low, high;
	size_t slot;
	label_slot *slots = cache->slots[c];
	int id;

	slot = (size_t)(tact_label_words(label, length, words) >> 57) &
	       (LABEL_SLOTS - 1);
	low = words[0];
	high = words[1];
	for (; slots[slot].id >= 0; slot = (slot + 1) & (LABEL_SLOTS - 1))
		if (slots[slot].low == low && slots[slot].high == high &&
		    slots[slot].length == length)
			return slots[slot].id;
	/* New to the slots: number it the long way, then remember it (at most
	 * CACHE_LABELS of LABEL_SLOTS slots fill, so one stays empty). */
	id = cache_label(cache, c, label, length);
	if (id >= 0) {
		slots[slot].low = low;
		slots[slot].high = high;
		slots[slot].length = length;
		slots[slot].id = id;
	}
	return id;
}

static int cache_grow(struct tact_summary_cache *cache)
{
	size_t capacity = cache->capacity ? cache->capacity * 2 : 64, i;
	uint64_t *codes = calloc(capacity, sizeof *codes);
	size_t *groups = calloc(capacity, sizeof *groups);

	if (!codes || !groups) {
		free(codes);
		free(groups);
		return -1;
	}
	for (i = 0; i < cache->capacity; i++) {
		size_t slot;
		if (!cache->codes[i])
			continue;
		slot = (size_t)((cache->codes[i] * UINT64_C(0x9e3779b97f4a7c15)) >> 40) &
		       (capacity - 1);
		while (codes[slot])
			slot = (slot + 1) & (capacity - 1);
		codes[slot] = cache->codes[i];
		groups[slot] = cache->groups[i];
	}
	free(cache->codes);
	free(cache->groups);
	cache->codes = codes;
	cache->groups = groups;
	cache->capacity = capacity;
	return 0;
}

static tact_status group_find(tact_summary *summary,
                              const char *const *labels,
                              const size_t *label_lengths,
                              const char *arm, size_t arm_length, int padded,
                              size_t *group, tact_error *error)
{
	struct tact_summary_cache *cache = summary->cache;
	uint64_t code = 0;
	size_t c, slot;
	tact_status status;
	int added;

	if (!cache) {
		cache = summary->cache = calloc(1, sizeof *cache);
		if (!cache)
			return tact_error_oom(error);
		cache->columns = summary->dimensions + 1;
		cache->off = cache->columns > CACHE_COLUMNS;
		for (c = 0; c < CACHE_COLUMNS; c++)
			for (slot = 0; slot < LABEL_SLOTS; slot++)
				cache->slots[c][slot].id = -1;
	}
	if (cache->off)
		return find_or_add(summary, labels, label_lengths, arm, arm_length, 1,
		                   group, &added, error);
	for (c = 0; c < cache->columns; c++) {
		const char *label = c < summary->dimensions ? labels[c] : arm;
		size_t length = c < summary->dimensions ? label_lengths[c]
		                                        : arm_length;
		int id = padded && length <= TACT_LABEL_SHORT
		                 ? cache_short_label(cache, c, label, length)
		                 : cache_label(cache, c, label, length);
		if (id < 0) {
			cache->off = 1;
			return find_or_add(summary, labels, label_lengths, arm,
			                   arm_length, 1, group, &added, error);
		}
		code = (code << 6) | (uint64_t)id;
	}
	code += 1; /* 0 marks an empty slot */
	if (cache->capacity) {
		slot = (size_t)((code * UINT64_C(0x9e3779b97f4a7c15)) >> 40) &
		       (cache->capacity - 1);
		for (; cache->codes[slot]; slot = (slot + 1) & (cache->capacity - 1))
			if (cache->codes[slot] == code) {
				*group = cache->groups[slot];
				return TACT_OK;
			}
	}
	status = find_or_add(summary, labels, label_lengths, arm, arm_length, 1,
	                     group, &added, error);
	if (status != TACT_OK)
		return status;
	if ((cache->used + 1) * 2 > cache->capacity && cache_grow(cache) != 0) {
		cache->off = 1;
		return TACT_OK;
	}
	slot = (size_t)((code * UINT64_C(0x9e3779b97f4a7c15)) >> 40) &
	       (cache->capacity - 1);
	while (cache->codes[slot])
		slot = (slot + 1) & (cache->capacity - 1);
	cache->codes[slot] = code;
	cache->groups[slot] = *group;
	cache->used++;
	return TACT_OK;
}

tact_status tact_summary_group_find(tact_summary *summary,
                                    const char *const *labels,
                                    const size_t *label_lengths,
                                    const char *arm, size_t arm_length,
                                    size_t *group, tact_error *error)
{
	return group_find(summary, labels, label_lengths, arm, arm_length, 0,
	                  group, error);
}

tact_status tact_summary_group_find_padded(tact_summary *summary,
                                           const char *const *labels,
                                           const size_t *label_lengths,
                                           const char *arm, size_t arm_length,
                                           size_t *group, tact_error *error)
{
	return group_find(summary, labels, label_lengths, arm, arm_length, 1,
	                  group, error);
}

tact_status tact_summary_group_insert(tact_summary *summary,
                                      const char *const *labels,
                                      const size_t *label_lengths,
                                      const char *arm, size_t arm_length,
                                      size_t *group, int *added,
                                      tact_error *error)
{
	return find_or_add(summary, labels, label_lengths, arm, arm_length, 0,
	                   group, added, error);
}

static void fold(tact_accumulator *acc)
{
	size_t i;

	for (i = 0; i < acc->doubles; i++) {
		acc->total[i] += acc->block[i];
		acc->block[i] = 0.0;
	}
	acc->rows_in_block = 0;
}

/*
 * A complete unit of a group whose shifts are all set, with m (a constant
 * where it is called, so the compiler unrolls every loop) metrics at most
 * UNROLLED_METRICS.  No branch on the values (0s and 1s come in random
 * order).  Returns 0, having changed nothing, when a value is missing.
 */
#define UNROLLED_METRICS 8

static inline __attribute__((always_inline)) int
add_unrolled(tact_summary *summary, tact_summary_group *group,
             const double *values, const size_t m)
{
	tact_accumulator *acc = group->accumulator;
	double d[UNROLLED_METRICS], *s1 = acc->block, *products = acc->block + m;
	unsigned missing = 0, other = 0;
	size_t a, b, k = 0;

#pragma GCC unroll 8
	for (a = 0; a < m; a++) {
		double v = values[a];
		missing |= (unsigned)(v != v) << a;
		/* v (v - 1) is 0 for 0 and 1 only (and NaN for NaN, left out
		 * below): one multiply and one compare. */
		other |= (unsigned)(v * (v - 1.0) != 0.0) << a;
		d[a] = v - acc->shift[a];
	}
	if (missing)
		return 0;
	if (other & acc->binary_left) {
		for (a = 0; a < m; a++)
			if (other >> a & 1u)
				summary->metrics[a].binary = 0;
		acc->binary_left &= ~other;
	}
	group->units++;
	acc->complete++;
	/* layout_of: the complete sums first, then the triangle. */
#pragma GCC unroll 8
	for (a = 0; a < m; a++) {
		s1[a] += d[a];
#pragma GCC unroll 8
		for (b = a; b < m; b++)
			products[k++] += d[a] * d[b];
	}
	if (++acc->rows_in_block == BLOCK_ROWS)
		fold(acc);
	return 1;
}

/* Any unit: shifts set on first sight, missing values, many metrics. */
static __attribute__((noinline)) void add_general(tact_summary *summary,
                                                  tact_summary_group *group,
                                                  const double *values)
{
	tact_accumulator *acc = group->accumulator;
	const size_t m = summary->metric_count;
	const layout l = layout_of(m);
	double d[64], *dev = d, *heap = NULL;
	int complete = 1;
	size_t a, b;

	if (m > 64) {
		heap = malloc(m * sizeof *heap);
		if (!heap)
			return; /* cannot happen in practice: m is small */
		dev = heap;
	}
	group->units++;
	for (a = 0; a < m; a++) {
		double v = values[a];
		if (isnan(v)) {
			complete = 0;
			continue;
		}
		if (!acc->shifted[a]) {
			acc->shift[a] = v;
			acc->shifted[a] = 1;
		}
		summary->metrics[a].binary &= (v == 0.0) | (v == 1.0);
		dev[a] = v - acc->shift[a];
	}
	if (!acc->all_shifted) {
		for (a = 0; a < m && acc->shifted[a]; a++)
			;
		acc->all_shifted = a == m;
	}
	if (complete) {
		double *s1 = acc->block + l.complete_s1;
		double *products = acc->block + l.complete_products;
		size_t k = 0;
		acc->complete++;
		for (a = 0; a < m; a++) {
			s1[a] += dev[a];
			for (b = a; b < m; b++)
				products[k++] += dev[a] * dev[b];
		}
	} else {
		size_t p = 0;
		for (a = 0; a < m; a++) {
			if (isnan(values[a]))
				continue;
			acc->incomplete_n[a]++;
			acc->block[l.incomplete_s1 + a] += dev[a];
			acc->block[l.incomplete_s2 + a] += dev[a] * dev[a];
		}
		for (a = 0; a < m; a++) {
			for (b = a + 1; b < m; b++, p++) {
				if (isnan(values[a]) || isnan(values[b]))
					continue;
				acc->pair_n[p]++;
				acc->block[l.pair_sa + p] += dev[a];
				acc->block[l.pair_sb + p] += dev[b];
				acc->block[l.pair_sab + p] += dev[a] * dev[b];
			}
		}
	}
	if (++acc->rows_in_block == BLOCK_ROWS)
		fold(acc);
	free(heap);
}

static inline __attribute__((always_inline)) void
add_to(tact_summary *summary, tact_summary_group *group, const double *values)
{
	/* The usual unit: every shift set, every metric present, few
	 * metrics: the loops unrolled for that number of metrics (the rest
	 * in its own function, so that this one saves no registers). */
	if (group->accumulator->all_shifted) {
		int done;
		switch (summary->metric_count) {
		case 1: done = add_unrolled(summary, group, values, 1); break;
		case 2: done = add_unrolled(summary, group, values, 2); break;
		case 3: done = add_unrolled(summary, group, values, 3); break;
		case 4: done = add_unrolled(summary, group, values, 4); break;
		case 5: done = add_unrolled(summary, group, values, 5); break;
		case 6: done = add_unrolled(summary, group, values, 6); break;
		case 7: done = add_unrolled(summary, group, values, 7); break;
		case 8: done = add_unrolled(summary, group, values, 8); break;
		default: done = 0; break;
		}
		if (done)
			return;
	}
	add_general(summary, group, values);
}

void tact_summary_add(tact_summary *summary, size_t group_index,
                      const double *values)
{
	tact_summary_group *group = &summary->groups[group_index];

	if (summary->covariate_count) {
		/* CUPED: a missing covariate counts as 0, and is counted. */
		size_t m;
		for (m = 0; m < summary->metric_count; m++) {
			double v = values[m];
			if (summary->metrics[m].role == TACT_ROLE_COVARIATE && isnan(v)) {
				v = 0;
				summary->covariate_missing[m]++;
			}
			summary->covariate_row[m] = v;
		}
		values = summary->covariate_row;
	}
	add_to(summary, group, values);
	/* The same unit to its arm's pooled group, by the same steps as for
	 * an unsegmented summary's group: the same bits. */
	if (summary->has_pooled)
		add_to(summary, &summary->pooled[group->pooled], values);
}

static void finish_group(const tact_summary *summary, tact_summary_group *group)
{
	tact_accumulator *acc = group->accumulator;
	const size_t m = summary->metric_count;
	const layout l = layout_of(m);
	const double *t;
	size_t a, b, p = 0;

	if (!acc)
		return;
	fold(acc);
	t = acc->total;
	for (a = 0; a < m; a++) {
		tact_moments *mo = &group->metrics[a];
		double s1 = t[l.complete_s1 + a] + t[l.incomplete_s1 + a];
		double s2 = t[l.complete_products + triangle_index(m, a, a)] +
		            t[l.incomplete_s2 + a];
		mo->n = acc->complete + acc->incomplete_n[a];
		if (mo->n == 0) {
			mo->sum = mo->m2 = 0.0;
			continue;
		}
		mo->sum = (double)mo->n * acc->shift[a] + s1;
		mo->m2 = s2 - s1 * s1 / (double)mo->n;
		if (mo->m2 < 0)
			mo->m2 = 0.0;
	}
	for (a = 0; a < m; a++) {
		for (b = a + 1; b < m; b++, p++) {
			tact_comoments *co = &group->pairs[p];
			double sa = t[l.complete_s1 + a] + t[l.pair_sa + p];
			double sb = t[l.complete_s1 + b] + t[l.pair_sb + p];
			double sab = t[l.complete_products + triangle_index(m, a, b)] +
			             t[l.pair_sab + p];
			co->n = acc->complete + acc->pair_n[p];
			if (co->n == 0) {
				co->sum_a = co->sum_b = co->c = 0.0;
				continue;
			}
			co->sum_a = (double)co->n * acc->shift[a] + sa;
			co->sum_b = (double)co->n * acc->shift[b] + sb;
			co->c = sab - sa * sb / (double)co->n;
		}
	}
	accumulator_free(acc);
	group->accumulator = NULL;
}

void tact_summary_finish(tact_summary *summary)
{
	size_t i;

	if (summary->finished)
		return;
	for (i = 0; i < summary->group_count; i++)
		finish_group(summary, &summary->groups[i]);
	for (i = 0; i < summary->pooled_count; i++)
		finish_group(summary, &summary->pooled[i]);
	tact_periods_finish(summary);
	summary->finished = 1;
}

static const tact_summary *sort_context;

/* How a dimension's labels are ordered while sorting (tact_summary_sort). */
typedef struct label_order {
	int numeric;          /* every non-empty label is a number */
	size_t bin_count;     /* binned: the bins' names */
	char **bin_names;
} label_order;
static label_order *sort_orders;

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A label that is a number, whole: 0 and *value, or -1. */
static int label_number(const char *label, double *value)
{
	char *end;

	if (!*label || isspace((unsigned char)*label))
		return -1;
	*value = strtod(label, &end);
	return *end == '\0' && isfinite(*value) ? 0 : -1;
}

/* The rank of label among the bins, bin_count when in none. */
static size_t bin_rank(const label_order *order, const char *label)
{
	size_t b;

	for (b = 0; b < order->bin_count; b++)
		if (strcmp(order->bin_names[b], label) == 0)
			return b;
	return order->bin_count;
}

static int compare_labels(const label_order *order, const char *a,
                          const char *b)
{
	double x, y;

	if (order && order->bin_count) {
		size_t i = bin_rank(order, a), j = bin_rank(order, b);
		if (i != j)
			return i < j ? -1 : 1;
	} else if (order && order->numeric) {
		int has_x = label_number(a, &x) == 0, has_y = label_number(b, &y) == 0;
		if (has_x != has_y)
			return has_x ? -1 : 1; /* empty labels last */
		if (has_x && x != y)
			return x < y ? -1 : 1;
	}
	return strcmp(a, b);
}

static int compare_groups(const void *x, const void *y)
{
	const tact_summary_group *a = x, *b = y;
	size_t i;
	int c;

	for (i = 0; i < sort_context->dimensions; i++)
		if ((c = compare_labels(sort_orders ? &sort_orders[i] : NULL,
		                        a->labels[i], b->labels[i])) != 0)
			return c;
	return strcmp(a->arm, b->arm);
}

int tact_summary_dimension_numeric(const tact_summary *summary, size_t d,
                                   size_t *distinct)
{
	double *values = malloc((summary->group_count + 1) * sizeof *values);
	size_t g, n = 0, count = 0;
	int numeric = 1, empty = 0;

	if (!values)
		return 0;
	for (g = 0; g < summary->group_count && numeric; g++) {
		const char *label = summary->groups[g].labels[d];
		if (!*label)
			empty = 1;
		else if (label_number(label, &values[n]) == 0)
			n++;
		else
			numeric = 0;
	}
	if (numeric && distinct) {
		qsort(values, n, sizeof *values, compare_doubles);
		for (g = 0; g < n; g++)
			count += g == 0 || values[g] != values[g - 1];
		*distinct = count + (size_t)empty;
	}
	free(values);
	return numeric && n > 0;
}

/* Each dimension's order, or NULL (all bytewise, or out of memory). */
static label_order *label_orders(const tact_summary *summary)
{
	label_order *orders = calloc(summary->dimensions + 1, sizeof *orders);
	size_t d;
	char *c;

	for (d = 0; orders && d < summary->dimensions; d++) {
		const char *bins = summary->dimension_bins
		                       ? summary->dimension_bins[d] : NULL;
		if (!bins) {
			orders[d].numeric = tact_summary_dimension_numeric(summary, d,
			                                                   NULL);
			continue;
		}
		/* The names, split at ',' in a copy: names then point into it. */
		orders[d].bin_names = calloc(strlen(bins) + 2, sizeof(char *));
		if (!orders[d].bin_names || !(orders[d].bin_names[0] = strdup(bins)))
			continue;
		orders[d].bin_count = 1;
		for (c = orders[d].bin_names[0]; *c; c++)
			if (*c == ',') {
				*c = '\0';
				orders[d].bin_names[orders[d].bin_count++] = c + 1;
			}
	}
	return orders;
}

static void label_orders_free(label_order *orders, size_t dimensions)
{
	size_t d;

	for (d = 0; orders && d < dimensions; d++) {
		if (orders[d].bin_names)
			free(orders[d].bin_names[0]);
		free(orders[d].bin_names);
	}
	free(orders);
}

static int compare_arms(const void *x, const void *y)
{
	const tact_summary_group *a = x, *b = y;

	return strcmp(a->arm, b->arm);
}

static tact_status rebuild_index(tact_summary *summary, tact_error *error)
{
	size_t i, d;

	tact_keymap_release(&summary->index);
	for (i = 0; i < summary->group_count; i++) {
		tact_summary_group *g = &summary->groups[i];
		size_t lengths[64], *len = lengths, key_length, index;
		const char *key;
		int added;

		if (summary->dimensions > 64 &&
		    !(len = malloc(summary->dimensions * sizeof *len)))
			return tact_error_oom(error);
		for (d = 0; d < summary->dimensions; d++)
			len[d] = strlen(g->labels[d]);
		key = group_key(summary, (const char *const *)g->labels, len, g->arm,
		                strlen(g->arm), &key_length);
		if (len != lengths)
			free(len);
		if (!key)
			return tact_error_oom(error);
		index = tact_keymap_intern(&summary->index, key, key_length, &added);
		if (index != i)
			return tact_error_oom(error);
	}
	return TACT_OK;
}

void tact_summary_sort(tact_summary *summary)
{
	/* Sorting moves groups: the cache's indices would be stale. */
	cache_free(summary->cache);
	summary->cache = NULL;
	sort_context = summary;
	sort_orders = summary->group_count > 1 ? label_orders(summary) : NULL;
	if (summary->group_count > 1)
		qsort(summary->groups, summary->group_count, sizeof *summary->groups,
		      compare_groups);
	label_orders_free(sort_orders, summary->dimensions);
	sort_orders = NULL;
	(void)rebuild_index(summary, NULL);
	if (summary->pooled_count > 1) {
		size_t i;
		qsort(summary->pooled, summary->pooled_count,
		      sizeof *summary->pooled, compare_arms);
		tact_keymap_release(&summary->pooled_index);
		for (i = 0; i < summary->pooled_count; i++)
			(void)tact_keymap_intern(&summary->pooled_index,
			                         summary->pooled[i].arm,
			                         strlen(summary->pooled[i].arm), NULL);
	}
	tact_periods_sort(summary);
}

tact_status tact_summary_set_bins(tact_summary *summary, size_t d,
                                  const char *bins, tact_error *error)
{
	char *copy = NULL;

	if (bins && !(copy = strdup(bins)))
		return tact_error_oom(error);
	free(summary->dimension_bins[d]);
	summary->dimension_bins[d] = copy;
	return TACT_OK;
}

static int same_group(const tact_summary *summary, const tact_summary_group *a,
                      const tact_summary_group *b)
{
	size_t d;

	for (d = 0; d < summary->dimensions; d++)
		if (strcmp(a->labels[d], b->labels[d]))
			return 0;
	return strcmp(a->arm, b->arm) == 0;
}

tact_status tact_summary_drop_empty(tact_summary *summary, tact_error *error)
{
	size_t g, kept = 0;

	for (g = 0; g < summary->group_count; g++) {
		if (summary->groups[g].units == 0)
			group_release(summary, &summary->groups[g]);
		else
			summary->groups[kept++] = summary->groups[g];
	}
	if (kept == summary->group_count)
		return TACT_OK;
	summary->group_count = kept;
	tact_summary_sort(summary); /* the index, of the groups kept */
	return summary->index.count == kept || kept == 0 ? TACT_OK
	       : tact_error_oom(error);
}

static void add_group(const tact_summary *into, tact_summary_group *dst,
                      const tact_summary_group *src);

tact_status tact_summary_regroup(tact_summary *summary, tact_error *error)
{
	size_t g, kept = 0;

	tact_summary_sort(summary);
	for (g = 0; g < summary->group_count; g++) {
		tact_summary_group *group = &summary->groups[g];
		if (kept == 0 || !same_group(summary, group,
		                             &summary->groups[kept - 1])) {
			summary->groups[kept++] = *group;
			continue;
		}
		add_group(summary, &summary->groups[kept - 1], group);
		group_release(summary, group);
	}
	summary->group_count = kept;
	tact_summary_sort(summary); /* the index, of the groups kept */
	return summary->index.count == kept || kept == 0 ? TACT_OK
	       : tact_error_oom(error);
}

tact_moments tact_moments_combine(tact_moments a, tact_moments b)
{
	tact_moments r;
	double delta;

	if (a.n == 0)
		return b;
	if (b.n == 0)
		return a;
	r.n = a.n + b.n;
	r.sum = a.sum + b.sum;
	delta = b.sum / (double)b.n - a.sum / (double)a.n;
	r.m2 = a.m2 + b.m2 +
	       delta * delta * ((double)a.n * (double)b.n / (double)r.n);
	return r;
}

tact_comoments tact_comoments_combine(tact_comoments a, tact_comoments b)
{
	tact_comoments r;
	double da, db;

	if (a.n == 0)
		return b;
	if (b.n == 0)
		return a;
	r.n = a.n + b.n;
	r.sum_a = a.sum_a + b.sum_a;
	r.sum_b = a.sum_b + b.sum_b;
	da = b.sum_a / (double)b.n - a.sum_a / (double)a.n;
	db = b.sum_b / (double)b.n - a.sum_b / (double)a.n;
	r.c = a.c + b.c + da * db * ((double)a.n * (double)b.n / (double)r.n);
	return r;
}

double tact_moments_mean(tact_moments m)
{
	return m.n > 0 ? m.sum / (double)m.n : NAN;
}

double tact_moments_variance(tact_moments m)
{
	return m.n > 1 ? m.m2 / (double)(m.n - 1) : NAN;
}

static int same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

#define EXACT_COUNT_LIMIT INT64_C(9007199254740992) /* 2^53 */

/* "segment 'buy', arm 'control'" (segments joined by '/') into out. */
static void describe_group(const tact_summary *summary,
                           const tact_summary_group *group, char *out,
                           size_t size)
{
	size_t d, used = 0;
	int n;

	out[0] = '\0';
	for (d = 0; d < summary->dimensions && used < size; d++) {
		n = snprintf(out + used, size - used, "%s%s", d ? "/" : "segment '",
		             group->labels[d]);
		if (n < 0)
			return;
		used += (size_t)n;
	}
	if (used < size)
		snprintf(out + used, size - used, "%sarm '%s'",
		         summary->dimensions ? "', " : "", group->arm);
}

tact_status tact_summary_check_range(const tact_summary *summary,
                                     const char *file, tact_error *error)
{
	size_t g, i, a, b;
	char where[160];

	if (summary->rows_read >= EXACT_COUNT_LIMIT ||
	    summary->rows_rejected >= EXACT_COUNT_LIMIT ||
	    summary->rows_excluded_consent >= EXACT_COUNT_LIMIT ||
	    summary->rows_excluded_where >= EXACT_COUNT_LIMIT)
		return tact_error_set(error, TACT_DATA, file, 0, 0,
		                      "the row count reaches 2^53: beyond it counts "
		                      "are not exact");
	for (g = 0; g < summary->group_count + summary->pooled_count; g++) {
		const tact_summary_group *group =
			g < summary->group_count ? &summary->groups[g]
			                         : &summary->pooled[g - summary->group_count];
		int too_many = group->units >= EXACT_COUNT_LIMIT;

		for (i = 0; i < summary->metric_count; i++)
			too_many |= group->metrics[i].n >= EXACT_COUNT_LIMIT;
		for (i = 0; i < summary->pair_count; i++)
			too_many |= group->pairs[i].n >= EXACT_COUNT_LIMIT;
		if (too_many) {
			describe_group(summary, group, where, sizeof where);
			return tact_error_set(error, TACT_DATA, file, 0, 0,
			                      "a count reaches 2^53 (%s): beyond it "
			                      "counts are not exact", where);
		}
		for (i = 0; i < summary->metric_count; i++) {
			const tact_moments *m = &group->metrics[i];
			if (m->n > 0 && (!isfinite(m->sum) || !isfinite(m->m2))) {
				describe_group(summary, group, where, sizeof where);
				return tact_error_set(error, TACT_DATA, file, 0, 0,
				                      "values of '%s' too large to sum (%s): "
				                      "the sum or spread overflows; rescale "
				                      "the column", summary->metrics[i].name,
				                      where);
			}
		}
		for (a = 0; a < summary->metric_count; a++)
			for (b = a + 1; b < summary->metric_count; b++) {
				const tact_comoments *c =
					&group->pairs[tact_summary_pair(summary, a, b)];
				if (c->n > 0 && (!isfinite(c->sum_a) || !isfinite(c->sum_b) ||
				                 !isfinite(c->c))) {
					describe_group(summary, group, where, sizeof where);
					return tact_error_set(error, TACT_DATA, file, 0, 0,
					                      "values of '%s' and '%s' too large "
					                      "to sum (%s): their cross-product "
					                      "overflows; rescale the columns",
					                      summary->metrics[a].name,
					                      summary->metrics[b].name, where);
				}
			}
	}
	return TACT_OK;
}

/* The caps of two summaries to merge: the same absolute caps, whose
 * touched counts add (into's are updated only when every metric agrees). */
static tact_status merge_caps(tact_summary *into, const tact_summary *from,
                              tact_error *error)
{
	size_t i;
	char a[48], b[48];

	for (i = 0; i < into->metric_count; i++) {
		const tact_cap *x = &into->metrics[i].cap, *y = &from->metrics[i].cap;
		if (x->kind == TACT_CAP_QUANTILE || y->kind == TACT_CAP_QUANTILE)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "'%s' is capped at a quantile (%s), whose "
			                      "value depends on the shard: summarize the "
			                      "shards with one absolute cap (as --cap "
			                      "%s=500) to merge them",
			                      into->metrics[i].name,
			                      tact_cap_text(x->kind == TACT_CAP_QUANTILE
			                                    ? x : y, a, sizeof a),
			                      into->metrics[i].name);
		if (!tact_cap_same(x, y))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "summaries cap '%s' differently ('%s' and "
			                      "'%s'): summarize every shard with the same "
			                      "absolute cap (as --cap %s=500) to merge "
			                      "them", into->metrics[i].name,
			                      x->kind ? tact_cap_text(x, a, sizeof a)
			                              : "none",
			                      y->kind ? tact_cap_text(y, b, sizeof b)
			                              : "none",
			                      into->metrics[i].name);
	}
	for (i = 0; i < into->metric_count; i++)
		into->metrics[i].cap.touched += from->metrics[i].cap.touched;
	return TACT_OK;
}

/* Add a finished group's counts and moments into another of the same
 * summary shape (a group, or a pooled group). */
static void add_group(const tact_summary *into, tact_summary_group *dst,
                      const tact_summary_group *src)
{
	size_t i, p;

	dst->units += src->units;
	for (i = 0; i < into->metric_count; i++)
		dst->metrics[i] = tact_moments_combine(dst->metrics[i],
		                                       src->metrics[i]);
	for (p = 0; p < into->pair_count; p++)
		dst->pairs[p] = tact_comoments_combine(dst->pairs[p], src->pairs[p]);
}

/* The summaries must describe the same analysis: segment columns and
 * their bins, arm column, metrics and roles, control, unit, and how units
 * seen in several arms were treated. */
static tact_status check_same_shape(const tact_summary *into,
                                    const tact_summary *from,
                                    tact_error *error)
{
	size_t i;

	if (into->dimensions != from->dimensions)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries have different segment dimensions");
	for (i = 0; i < into->dimensions; i++)
		if (strcmp(into->dimension_names[i], from->dimension_names[i]))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "summaries segment by different columns "
			                      "('%s' and '%s')",
			                      into->dimension_names[i],
			                      from->dimension_names[i]);
	for (i = 0; i < into->dimensions; i++)
		if (!same_text(into->dimension_bins[i], from->dimension_bins[i]))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "summaries bin '%s' differently ('%s' and "
			                      "'%s'): summarize every shard with the same "
			                      "explicit --by bins (quantiles depend on "
			                      "the shard)", into->dimension_names[i],
			                      into->dimension_bins[i]
			                          ? into->dimension_bins[i] : "no bins",
			                      from->dimension_bins[i]
			                          ? from->dimension_bins[i] : "no bins");
	if (strcmp(into->arm_name, from->arm_name))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries have different arm columns ('%s' and "
		                      "'%s')", into->arm_name, from->arm_name);
	if (into->covariate_count != from->covariate_count)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries adjust metrics differently (%zu and "
		                      "%zu covariate columns; see their covariate:"
		                      "METRIC rows): summarize every shard with the "
		                      "same --covariate", into->covariate_count,
		                      from->covariate_count);
	if (into->metric_count != from->metric_count)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries have different metrics (%zu and %zu)",
		                      into->metric_count, from->metric_count);
	for (i = 0; i < into->metric_count; i++)
		if (strcmp(into->metrics[i].name, from->metrics[i].name) ||
		    into->metrics[i].role != from->metrics[i].role)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "summaries have different metrics or roles "
			                      "('%s' as %s, '%s' as %s)",
			                      into->metrics[i].name,
			                      tact_role_name(into->metrics[i].role),
			                      from->metrics[i].name,
			                      tact_role_name(from->metrics[i].role));
	if (!same_text(into->control, from->control))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries name different control arms ('%s' "
		                      "and '%s')",
		                      into->control ? into->control : "",
		                      from->control ? from->control : "");
	if (!same_text(into->unit_name, from->unit_name))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries aggregate by different units");
	for (i = 0; i < into->metric_count; i++)
		if (into->covariate_of[i] != from->covariate_of[i])
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "summaries adjust '%s' differently "
			                      "(covariate:%s is '%s' and '%s'): "
			                      "summarize every shard with the same "
			                      "--covariate", into->metrics[i].name,
			                      into->metrics[i].name,
			                      into->covariate_of[i] == TACT_NO_COLUMN
			                          ? "" : into->metrics[into->covariate_of[i]].name,
			                      from->covariate_of[i] == TACT_NO_COLUMN
			                          ? "" : from->metrics[from->covariate_of[i]].name);
	if (into->units_in_several_arms && from->units_in_several_arms &&
	    into->mixed_units_kept != from->mixed_units_kept)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries treat units seen in several arms "
		                      "differently (dropped in one, kept in the "
		                      "other): summarize every shard with the same "
		                      "--mixed-units");
	return TACT_OK;
}

/* from's pooled groups and groups added into into's. */
static tact_status merge_groups(tact_summary *into, const tact_summary *from,
                                tact_error *error)
{
	size_t g;
	tact_status status;

	/* Pooled groups: merged by arm when both have them (from, an empty
	 * part, may have none yet); when from's groups come without them,
	 * into's would leave those out: dropped, readers merge groups. */
	if (into->has_pooled && !from->has_pooled && from->group_count > 0)
		tact_summary_drop_pooled(into);
	for (g = 0; into->has_pooled && g < from->pooled_count; g++) {
		const tact_summary_group *src = &from->pooled[g];
		size_t index = 0;
		int added;

		status = pooled_find_or_add(into, src->arm, strlen(src->arm), 0,
		                            &index, &added, error);
		if (status != TACT_OK)
			return status;
		add_group(into, &into->pooled[index], src);
	}
	for (g = 0; g < from->group_count; g++) {
		const tact_summary_group *src = &from->groups[g];
		size_t lengths[64], *len = lengths, d, index = 0;
		int added;

		if (into->dimensions > 64 &&
		    !(len = malloc(into->dimensions * sizeof *len)))
			return tact_error_oom(error);
		for (d = 0; d < into->dimensions; d++)
			len[d] = strlen(src->labels[d]);
		status = find_or_add(into, (const char *const *)src->labels, len,
		                     src->arm, strlen(src->arm), 0, &index, &added,
		                     error);
		if (len != lengths)
			free(len);
		if (status != TACT_OK)
			return status;
		add_group(into, &into->groups[index], src);
	}
	return TACT_OK;
}

tact_status tact_summary_merge(tact_summary *into, const tact_summary *from,
                               tact_error *error)
{
	size_t i;
	tact_status status;

	if ((status = check_same_shape(into, from, error)))
		return status;
	if ((status = merge_caps(into, from, error)))
		return status;
	if ((status = merge_where(into, from, error)))
		return status;
	/* A shard that kept every row beside one that kept consenting rows
	 * only would count people who said no (issue 15). */
	if (into->consent && from->consent && strcmp(into->consent, from->consent))
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "summaries filter by consent differently "
		                      "(%s%s%s and %s%s%s): summarize every shard with "
		                      "the same --consent",
		                      into->consent[0] ? "column '" : "no consent column",
		                      into->consent, into->consent[0] ? "'" : "",
		                      from->consent[0] ? "column '" : "no consent column",
		                      from->consent, from->consent[0] ? "'" : "");
	if (!into->consent && from->consent &&
	    !(into->consent = strdup(from->consent)))
		return tact_error_oom(error);
	for (i = 0; i < into->metric_count; i++) {
		into->metrics[i].binary &= from->metrics[i].binary;
		into->covariate_missing[i] += from->covariate_missing[i];
	}
	into->rows_read += from->rows_read;
	into->rows_rejected += from->rows_rejected;
	into->rows_excluded_consent += from->rows_excluded_consent;
	if (from->units_in_several_arms)
		into->mixed_units_kept = from->mixed_units_kept;
	into->units_in_several_arms += from->units_in_several_arms;
	if ((status = tact_periods_merge(into, from, error)))
		return status;
	return merge_groups(into, from, error);
}
