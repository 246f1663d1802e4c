/*
 * privacy_period.c - the suppression decision of tact-compare --by-period:
 * periods merged into blocks, and the segments printed per block (the
 * rule and why it is safe: privacy.h, "periods").
 */
#include "privacy.h"

#include <stdlib.h>
#include <string.h>

#include "segments.h"

/* The counts the rule reads, per period: segment (the pooled one 0) x arm
 * x quantity (0 the units, 1 + m metric m's values). */
typedef struct period_counts {
	size_t periods, segments, arms, quantities;
	int64_t *counts;
} period_counts;

static int64_t *count_at(const period_counts *c, size_t p, size_t s, size_t a)
{
	return &c->counts[((p * c->segments + s) * c->arms + a) * c->quantities];
}

/* Add period p's groups to its counts: each to its segment and arm (by
 * labels and name, through the indexes of index_cells) and, with
 * segments, to the pooled one. */
static int add_period(const tact_summary *period, size_t D,
                      const tact_keymap *arms, const tact_keymap *segments,
                      period_counts *c, size_t p)
{
	size_t g, m, k;

	for (g = 0; g < period->group_count; g++) {
		const tact_summary_group *group = &period->groups[g];
		size_t a = tact_keymap_find(arms, group->arm, strlen(group->arm));
		size_t s = 0, length = 0;
		if (a == TACT_KEYMAP_NONE)
			continue; /* cannot happen: the periods' arms are the summary's */
		if (D > 0) {
			char *key = tact_privacy_segment_key(group->labels, D, &length);
			if (!key)
				return -1;
			s = tact_keymap_find(segments, key, length);
			free(key);
			if (s == TACT_KEYMAP_NONE)
				continue; /* cannot happen either */
			s++;
		}
		for (k = 0; k < (s ? 2u : 1u); k++) {
			int64_t *q = count_at(c, p, k ? s : 0, a);
			q[0] += group->units;
			for (m = 0; m < c->quantities - 1; m++)
				q[1 + m] += group->metrics[m].n;
		}
	}
	return 0;
}

/* The index of each arm's name, and of each segment's labels, of cells. */
static int index_cells(const tact_segments *cells, size_t D,
                       tact_keymap *arms, tact_keymap *segments)
{
	size_t a, s, length;
	int failed = 0;

	for (a = 0; a < cells->arm_count && !failed; a++)
		failed = tact_keymap_intern(arms, cells->arms[a],
		                            strlen(cells->arms[a]), NULL) ==
		         TACT_KEYMAP_NONE;
	for (s = 1; D > 0 && s < cells->count && !failed; s++) {
		char *key = tact_privacy_segment_key(cells->labels[s], D, &length);
		failed = !key || tact_keymap_intern(segments, key, length, NULL) ==
		                         TACT_KEYMAP_NONE;
		free(key);
	}
	return failed ? -1 : 0;
}

static tact_status gather(const tact_segments *cells,
                          const tact_summary *const *periods, size_t P,
                          period_counts *c, tact_error *error)
{
	const size_t D = cells->count > 1 ? cells->summary->dimensions : 0;
	tact_keymap arms, segments;
	size_t p;
	int failed;

	c->periods = P;
	c->segments = cells->count;
	c->arms = cells->arm_count;
	c->quantities = 1 + cells->summary->metric_count;
	c->counts = calloc(P * c->segments * c->arms * c->quantities + 1,
	                   sizeof *c->counts);
	if (!c->counts)
		return tact_error_oom(error);
	tact_keymap_init(&arms);
	tact_keymap_init(&segments);
	failed = index_cells(cells, D, &arms, &segments);
	for (p = 0; p < P && !failed; p++)
		failed = add_period(periods[p], D, &arms, &segments, c, p);
	tact_keymap_release(&arms);
	tact_keymap_release(&segments);
	return failed ? tact_error_oom(error) : TACT_OK;
}

/* x may be printed: 0, or at least min_cell. */
static int printable(int64_t x, int64_t min_cell)
{
	return x == 0 || x >= min_cell;
}

/* Rule 1: blocks ended where the pooled counts since the block began are
 * all printable; a short last block joins the one before. */
static tact_status cut_blocks(const period_counts *c, int64_t min_cell,
                              tact_privacy_blocks *blocks, tact_error *error)
{
	const size_t AQ = c->arms * c->quantities;
	int64_t *sum = calloc(AQ + 1, sizeof *sum);
	size_t p, i;
	int open = 0;

	blocks->last = calloc(c->periods + 1, sizeof *blocks->last);
	if (!sum || !blocks->last) {
		free(sum);
		return tact_error_oom(error);
	}
	for (p = 0; p < c->periods; p++) {
		const int64_t *q = count_at(c, p, 0, 0);
		int ready = 1;
		for (i = 0; i < AQ; i++) {
			sum[i] += q[i];
			ready &= printable(sum[i], min_cell);
		}
		open = 1;
		if (!ready)
			continue;
		blocks->last[blocks->count++] = p;
		memset(sum, 0, AQ * sizeof *sum);
		open = 0;
	}
	if (open && blocks->count > 0)
		blocks->last[blocks->count - 1] = c->periods - 1;
	else if (open)
		blocks->last[blocks->count++] = c->periods - 1;
	free(sum);
	return TACT_OK;
}

/* Segment s's count i (arm x quantity) in block b, or, with s 0, the
 * left-out segments' (shown says which are printed) together. */
static int64_t block_sum(const period_counts *c,
                         const tact_privacy_blocks *blocks, size_t b, size_t s,
                         const unsigned char *shown, size_t i)
{
	int64_t sum = 0;
	size_t p, k;

	for (p = b ? blocks->last[b - 1] + 1 : 0; p <= blocks->last[b]; p++) {
		if (s)
			sum += count_at(c, p, s, 0)[i];
		else
			for (k = 1; k < c->segments; k++)
				sum += shown[k] ? 0 : count_at(c, p, k, 0)[i];
	}
	return sum;
}

/* The first block b and count i at which segment s (or the left-out
 * ones, s 0) is not printable, into *b and *i; 0 when there is none. */
static int first_unprintable(const period_counts *c,
                             const tact_privacy_blocks *blocks, size_t s,
                             const unsigned char *shown, int64_t min_cell,
                             size_t *b, size_t *i)
{
	const size_t AQ = c->arms * c->quantities;

	for (*b = 0; *b < blocks->count; (*b)++)
		for (*i = 0; *i < AQ; (*i)++)
			if (!printable(block_sum(c, blocks, *b, s, shown, *i), min_cell))
				return 1;
	return 0;
}

/* The printed segment with the smallest count above 0 at block b and
 * count i (the first in segment order among equals), or 0. */
static size_t smallest_shown(const period_counts *c,
                             const tact_privacy_blocks *blocks,
                             const unsigned char *shown, size_t b, size_t i)
{
	size_t s, best = 0;
	int64_t best_sum = 0;

	for (s = 1; s < c->segments; s++) {
		int64_t sum = shown[s] ? block_sum(c, blocks, b, s, NULL, i) : 0;
		if (sum > 0 && (!best || sum < best_sum)) {
			best = s;
			best_sum = sum;
		}
	}
	return best;
}

/* Is any of segment s's figures (every arm, units and metrics) hidden in
 * the comparison of every unit?  A metric without values is blank there
 * (nothing to compute), and in every block too: not a hidden count. */
static int any_hidden(const tact_privacy_plan *plan, const period_counts *c,
                      size_t s)
{
	size_t a, q, p;

	for (a = 0; a < c->arms; a++) {
		if (tact_privacy_hidden(plan, s, a, TACT_PRIVACY_UNITS))
			return 1;
		for (q = 1; q < c->quantities; q++) {
			int64_t values = 0;
			for (p = 0; p < c->periods; p++)
				values += count_at(c, p, s, a)[q];
			if (values > 0 && tact_privacy_hidden(plan, s, a, q - 1))
				return 1;
		}
	}
	return 0;
}

/* Rule 2: the segments printed per block, into blocks->shown. */
static tact_status choose_segments(const tact_segments *cells,
                                   const period_counts *c,
                                   const tact_privacy_plan *plan,
                                   int64_t min_cell,
                                   tact_privacy_blocks *blocks,
                                   tact_error *error)
{
	unsigned char *shown = calloc(c->segments + 1, 1);
	size_t s, length, b, i;
	tact_status status = TACT_OK;

	if (!shown)
		return tact_error_oom(error);
	for (s = 1; s < c->segments; s++)
		shown[s] = !any_hidden(plan, c, s) &&
		           !first_unprintable(c, blocks, s, NULL, min_cell, &b, &i);
	/* The left-out segments' sum: where it is not printable, the smallest
	 * printed segment there joins them (none left: pooled rows only). */
	while (first_unprintable(c, blocks, 0, shown, min_cell, &b, &i)) {
		size_t joins = smallest_shown(c, blocks, shown, b, i);
		if (!joins) {
			memset(shown, 0, c->segments);
			break;
		}
		shown[joins] = 0;
	}
	for (s = 1; s < c->segments && status == TACT_OK; s++) {
		char *key;
		if (!shown[s]) {
			blocks->segments_left_out++;
			continue;
		}
		blocks->segments_shown++;
		key = tact_privacy_segment_key(cells->labels[s], blocks->dimensions, &length);
		if (!key || tact_keymap_intern(&blocks->shown, key, length, NULL) ==
		                    TACT_KEYMAP_NONE)
			status = tact_error_oom(error);
		free(key);
	}
	free(shown);
	return status;
}

tact_status tact_privacy_decide_periods(const struct tact_segments *cells,
                                        const tact_summary *const *periods,
                                        size_t period_count, int64_t min_cell,
                                        tact_privacy_mode mode,
                                        tact_privacy_blocks *blocks,
                                        tact_error *error)
{
	period_counts c = {0};
	tact_privacy_plan plan = {0};
	tact_status status;

	memset(blocks, 0, sizeof *blocks);
	tact_keymap_init(&blocks->shown);
	blocks->dimensions = cells->count > 1 ? cells->summary->dimensions : 0;
	if (min_cell < 1)
		min_cell = 1;
	if ((status = tact_privacy_decide_segments(cells, min_cell, mode, &plan,
	                                           error)) ||
	    (status = gather(cells, periods, period_count, &c, error)) ||
	    (status = cut_blocks(&c, min_cell, blocks, error)))
		goto done;
	/* Rule 3: a pooled figure hidden in the comparison of every unit. */
	blocks->whole = blocks->count < 2 || any_hidden(&plan, &c, 0);
	if (blocks->whole) {
		blocks->count = period_count > 0;
		if (period_count > 0)
			blocks->last[0] = period_count - 1;
		blocks->segments_shown = cells->count - 1;
		goto done;
	}
	if (mode == TACT_PRIVACY_STRICT || cells->count == 1)
		blocks->segments_left_out = cells->count - 1;
	else
		status = choose_segments(cells, &c, &plan, min_cell, blocks, error);
done:
	tact_privacy_plan_release(&plan);
	free(c.counts);
	if (status != TACT_OK)
		tact_privacy_blocks_release(blocks);
	return status;
}

int tact_privacy_blocks_shows(const tact_privacy_blocks *blocks,
                              char *const *labels)
{
	size_t length;
	char *key;
	int found;

	if (blocks->whole)
		return 1;
	if (!(key = tact_privacy_segment_key(labels, blocks->dimensions, &length)))
		return 0; /* out of memory: leave it out, the safe side */
	found = tact_keymap_find(&blocks->shown, key, length) != TACT_KEYMAP_NONE;
	free(key);
	return found;
}

void tact_privacy_blocks_release(tact_privacy_blocks *blocks)
{
	free(blocks->last);
	tact_keymap_release(&blocks->shown);
	memset(blocks, 0, sizeof *blocks);
}
