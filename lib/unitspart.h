/*
 * unitspart.h - sessions folded into units by several threads, exactly as
 * one thread folds them (units.h).
 *
 * The export is read in parts (whole lines, in file order).  A reader
 * thread routes each kept session of its part as a compact record (its
 * id's hash and bytes, its group in the part, its values) to one of P
 * partitions, chosen by the id's hash: a unit's sessions all go to one
 * partition.  Each partition then folds its records part after part, in
 * file order, into a unit table of its own (small: it stays in the cache),
 * so a unit's first session is the same as for one thread.  Finally the
 * units of every partition are visited in the order of their first session
 * in the file (tact_unit_partitions_each): the order one thread adds them
 * to the summary, so every floating-point sum is the same to the bit.
 *
 * Groups: a part's record carries its group in the part's own table; the
 * caller maps it to a shared (provisional) group before the fold, and the
 * fold keeps in each unit the provisional group of its first session and
 * notes a unit whose later session is in another arm (arm_of).
 */
#ifndef TACT_UNITSPART_H
#define TACT_UNITSPART_H

#include <stdint.h>

#include "units.h"

/* One part's sessions, routed to the partitions.  Filled by one thread. */
typedef struct tact_unit_part {
	size_t partitions;
	size_t metric_count;
	uint64_t hash_mask;            /* tact_units_hash's mask */
	size_t record_bytes;
	unsigned char **records;       /* per partition */
	size_t *used, *capacity;       /* per partition, in bytes */
	char *arena;                   /* ids longer than 8 bytes */
	size_t arena_used, arena_capacity;
	uint32_t rows;                 /* sessions routed */
} tact_unit_part;

void tact_unit_part_init(tact_unit_part *part, size_t partitions,
                         size_t metric_count, uint64_t hash_mask);
void tact_unit_part_release(tact_unit_part *part);

/*
 * Route one session: its id (length > 0 bytes, and 8 bytes from its start
 * readable, as a CSV field's), its group in the part's
 * table, its values (metric_count, NaN = missing).  TACT_SOFTWARE on
 * memory or past 2^32 - 1 sessions in a part.
 */
tact_status tact_unit_part_route(tact_unit_part *part, const char *id,
                                 size_t length, uint32_t group,
                                 const double *values, tact_error *error);

/* Bytes held, for the memory note. */
size_t tact_unit_part_bytes(const tact_unit_part *part);

/* The partitions' unit tables and what the merge needs. */
typedef struct tact_unit_partitions {
	size_t count;                  /* P, at most 255 */
	tact_units *tables;            /* per partition */
	size_t part_count, part_capacity;
	uint32_t *first_counts;        /* part x partition: the units whose
	                                  first session is in that part */
	uint32_t *part_rows;           /* per part: sessions routed */
} tact_unit_partitions;

/* count partitions (1 to 255) of units with metric_count metrics, ids
 * hashed with hash_mask.  TACT_SOFTWARE on memory. */
tact_status tact_unit_partitions_init(tact_unit_partitions *partitions,
                                      size_t count, size_t metric_count,
                                      uint64_t hash_mask, tact_error *error);
void tact_unit_partitions_release(tact_unit_partitions *partitions);

/* Note parts[0..n) as the next parts of the file (before folding them).
 * TACT_SOFTWARE on memory. */
tact_status tact_unit_partitions_add_parts(tact_unit_partitions *partitions,
                                           const tact_unit_part *parts,
                                           size_t n, tact_error *error);

/*
 * Fold partition p's records of parts[0..n), the last n parts added, in
 * order.  group_of[k][g]: the provisional group of group g of part k;
 * arm_of[group]: the arm of a provisional group (any number, equal for
 * equal arms).  roles: per metric.  Partitions may be folded by several
 * threads at once (each touches its own table).  TACT_SOFTWARE on memory.
 */
tact_status tact_unit_partitions_fold(tact_unit_partitions *partitions,
                                      size_t p, const tact_unit_part *parts,
                                      size_t n, const uint32_t *const *group_of,
                                      const uint32_t *arm_of,
                                      const tact_role *roles,
                                      tact_error *error);

/* Units held, and bytes held, over every partition. */
size_t tact_unit_partitions_units(const tact_unit_partitions *partitions);
size_t tact_unit_partitions_bytes(const tact_unit_partitions *partitions);

/* Once every part is folded: the ids freed (tact_units_drop_ids). */
void tact_unit_partitions_drop_ids(tact_unit_partitions *partitions);

/*
 * Once every part is folded: each unit of every partition, in the order of
 * its first session in the file, to each(context, table, unit); stops at
 * a non-zero return, which it returns.  Changes nothing: several threads
 * may walk the same partitions.  -1 on memory.
 */
int tact_unit_partitions_each(const tact_unit_partitions *partitions,
                              int (*each)(void *context,
                                          const tact_units *table, size_t u),
                              void *context);

/* The partition of a hash among count. */
size_t tact_unit_partition_of(uint64_t hash, size_t count);

#endif
