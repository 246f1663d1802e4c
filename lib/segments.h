/*
 * segments.h - a summary's groups gathered into segments x arms.
 *
 * Every statistics tool works per segment (each combination of labels,
 * plus the pooled "(all)" segment first) and per arm (the control first,
 * then the others in byte order).  This module adds the groups up once:
 * units, the moments of every metric and the co-moments of every pair, so
 * that compare, power, frontier and dose read the same cells.
 */
#ifndef TACT_SEGMENTS_H
#define TACT_SEGMENTS_H

#include <stdint.h>

#include "summary.h"

#define TACT_POOLED_LABEL "(all)"

typedef struct tact_segments {
	const tact_summary *summary;  /* not owned */
	size_t arm_count;
	char **arms;                  /* the control first */
	size_t count;                 /* segments, the pooled one first */
	char ***labels;               /* per segment, per dimension */
	int64_t *units;               /* segment x arm */
	tact_moments *moments;        /* segment x arm x metric */
	tact_comoments *pairs;        /* segment x arm x pair */
} tact_segments;

/*
 * Gather a finished summary.  The summary must name a control arm that
 * occurs and hold at least two arms: else TACT_DATA with a message that
 * lists the arms.  Release with tact_segments_release.
 */
tact_status tact_segments_build(const tact_summary *summary,
                                tact_segments *segments, tact_error *error);
void tact_segments_release(tact_segments *segments);

/* Is segment s the pooled one (s == 0)? */
int tact_segments_pooled(const tact_segments *segments, size_t s);

const tact_moments *tact_segments_metric(const tact_segments *segments,
                                         size_t segment, size_t arm,
                                         size_t metric);
const tact_comoments *tact_segments_pair(const tact_segments *segments,
                                         size_t segment, size_t arm,
                                         size_t pair);
int64_t tact_segments_units(const tact_segments *segments, size_t segment,
                            size_t arm);

/* "intent=buy, device=mobile" or "all units", for messages. */
void tact_segments_name(const tact_segments *segments, size_t segment,
                        char *out, size_t size);

#endif
