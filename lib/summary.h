/*
 * summary.h - the sufficient statistics of an experiment, per segment x arm.
 *
 * For every group (one label per segment dimension, and an arm) a summary
 * holds the unit count and, per metric, the count of non-missing values,
 * their sum and their sum of squared deviations from the mean (m2); per
 * pair of metrics, over the units where both are present, the count, both
 * sums and the sum of cross-products of deviations (c).  From these every
 * statistic tact reports follows: rates, means, variances, and the
 * variance of any weighted sum of metrics (the net value), whose covariance
 * terms are why the pairs are kept.
 *
 * Numerical stability: values are accumulated as deviations from a shift
 * (the group's first value of each metric), in blocks of 1024 rows folded
 * into running totals, so a column of 1e9 plus noise keeps its variance,
 * 0/1 metrics are summed exactly, and rounding grows with the number of
 * blocks rather than of rows.  Finished summaries merge exactly for counts
 * and by the parallel formulas of Chan, Golub and LeVeque (1979) for m2
 * and c.
 *
 * Pooled groups: with segment dimensions, a summary also holds per arm a
 * pooled group (every label "(all)") fed every unit of the arm, by the
 * very procedure of an unsegmented summary's group (its own shifts and
 * blocks, the units in the same order), so that its moments are those of
 * a summary without dimensions to the last bit.  Merged from the
 * segments' groups instead, they would move in their last bits with the
 * dimensions asked for (floating-point sums are not associative), and
 * "did the change work overall?" would get answers that differ.  A
 * summary read from a file without them (older files, tact-sql) has none:
 * has_pooled is 0 and readers merge the groups.
 *
 * Lifecycle: tact_summary_init, tact_summary_setup (the columns),
 * tact_summary_group + tact_summary_add per row, tact_summary_finish,
 * then read or merge; tact_summary_release frees everything.
 */
#ifndef TACT_SUMMARY_H
#define TACT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "cap.h"
#include "error.h"
#include "keymap.h"
#include "roles.h"

#define TACT_SUMMARY_VERSION 1

typedef struct tact_moments {
	int64_t n;      /* non-missing values */
	double sum;     /* their sum */
	double m2;      /* sum of squared deviations from their mean */
} tact_moments;

typedef struct tact_comoments {
	int64_t n;      /* units where both metrics are present */
	double sum_a;   /* sum of the first metric over those units */
	double sum_b;   /* sum of the second */
	double c;       /* sum of (a - mean a)(b - mean b) over them */
} tact_comoments;

typedef struct tact_summary_metric {
	char *name;
	tact_role role;
	int binary;     /* every value seen is 0 or 1 (always 0 for value and
	                   exposures metrics) */
	tact_cap cap;   /* the cap its unit values were held to (cap.h);
	                   kind TACT_CAP_NONE when uncapped */
} tact_summary_metric;

typedef struct tact_accumulator tact_accumulator;

typedef struct tact_summary_group {
	char **labels;            /* one per dimension */
	char *arm;
	int64_t units;
	tact_moments *metrics;    /* per metric (valid once finished) */
	tact_comoments *pairs;    /* per pair, see tact_summary_pair */
	tact_accumulator *accumulator; /* while adding rows */
	size_t pooled;            /* while adding rows: its arm's pooled group */
} tact_summary_group;

typedef struct tact_summary {
	size_t dimensions;
	char **dimension_names;
	char **dimension_bins;    /* per dimension: its bins, "0,1-29,30-"
	                             (bins.h), or NULL; a binned dimension's
	                             segments are ordered by bin */
	char *arm_name;
	size_t metric_count;
	tact_summary_metric *metrics;
	size_t pair_count;
	char *control;            /* the control arm's label, or NULL */
	char *unit_name;          /* the unit column when rows were aggregated */
	char *consent;            /* the consent column whose consenting rows
	                             were kept, "" when every row was (no
	                             consent column); NULL when not recorded.
	                             Shards that differ do not merge. */
	int64_t rows_read;        /* data rows read from exports */
	int64_t rows_rejected;    /* bad rows skipped (--skip-bad) */
	int64_t rows_excluded_consent;
	int64_t units_in_several_arms;
	char *where;              /* the --where condition the rows were
	                             filtered by, or NULL for every row.
	                             Shards that differ do not merge. */
	int64_t rows_excluded_where; /* rows it dropped */
	int64_t where_unreadable; /* of them, rows whose cell was no number
	                             where it compared numbers (not written) */
	int mixed_units_kept;     /* those units were kept in their first arm
	                             (--mixed-units first), not dropped */
	/* CUPED (cuped.h): per metric, the index of the covariate metric
	 * adjusting it, or TACT_NO_COLUMN; and per covariate metric (role
	 * TACT_ROLE_COVARIATE), the units whose cell was missing, added as 0
	 * by tact_summary_add.  Both of metric_count entries, set up by
	 * tact_summary_setup.  Shards that differ in covariate_of do not
	 * merge; the missing counts add up. */
	size_t *covariate_of;
	int64_t *covariate_missing;
	size_t covariate_count;   /* metrics of role covariate */
	double *covariate_row;    /* scratch for tact_summary_add */
	size_t group_count, group_capacity;
	tact_summary_group *groups;
	tact_keymap index;        /* group key -> group */
	char *key_buffer;         /* scratch for group keys */
	size_t key_capacity;
	struct tact_summary_cache *cache; /* fast group lookup (summary.c) */
	/* Pooled groups (see above): per arm, labels all TACT_SUMMARY_POOLED;
	 * has_pooled says they are present and complete (only with
	 * dimensions). */
	int has_pooled;
	size_t pooled_count, pooled_capacity;
	tact_summary_group *pooled;
	tact_keymap pooled_index;  /* arm -> pooled group */
	/* Per-period groups (--time, period.h), or NULL: the groups above
	 * stay what they are without them. */
	struct tact_periods *periods;
	int finished;
} tact_summary;

#define TACT_SUMMARY_POOLED "(all)"


void tact_summary_init(tact_summary *summary);
void tact_summary_release(tact_summary *summary);

/* Record the --where condition (copied; NULL: none).  TACT_SOFTWARE when
 * memory runs out. */
tact_status tact_summary_set_where(tact_summary *summary, const char *where,
                                   tact_error *error);

/* Move from's --where condition and counts to to (replacing to's). */
void tact_summary_move_where(tact_summary *to, tact_summary *from);

/*
 * Set the columns: dimension names, arm column name, metric names and
 * roles (copied).  Must come before any group.  TACT_SOFTWARE on memory.
 */
tact_status tact_summary_setup(tact_summary *summary, size_t dimensions,
                               char *const *dimension_names,
                               const char *arm_name, size_t metric_count,
                               char *const *metric_names,
                               const tact_role *metric_roles,
                               tact_error *error);

/* Set each metric's covariate from covariate_of[metric_count] (metric
 * indices or TACT_NO_COLUMN; NULL: none), after tact_summary_setup. */
void tact_summary_set_covariates(tact_summary *summary,
                                 const size_t *covariate_of);

/* Does any metric have a covariate? */
int tact_summary_has_covariates(const tact_summary *summary);

/* Set (copy) the control label; NULL clears it. */
tact_status tact_summary_set_control(tact_summary *summary,
                                     const char *control, tact_error *error);

/* Index of the pair (a, b), a != b, in group->pairs. */
size_t tact_summary_pair(const tact_summary *summary, size_t a, size_t b);

/*
 * The group with these labels (labels[i] of lengths[i] bytes, one per
 * dimension) and arm, created when new.  Returns TACT_OK and *group.
 */
tact_status tact_summary_group_find(tact_summary *summary,
                                    const char *const *labels,
                                    const size_t *label_lengths,
                                    const char *arm, size_t arm_length,
                                    size_t *group, tact_error *error);

/*
 * The same, faster, when each label and the arm may be read 16 bytes from
 * its start whatever its length (as the fields of a CSV record:
 * TACT_CSV_FIELD_PAD).
 */
tact_status tact_summary_group_find_padded(tact_summary *summary,
                                           const char *const *labels,
                                           const size_t *label_lengths,
                                           const char *arm, size_t arm_length,
                                           size_t *group, tact_error *error);

/*
 * The same for a finished summary (groups read from a file or merged):
 * the group is created without an accumulator; *added says whether it is
 * new.
 */
tact_status tact_summary_group_insert(tact_summary *summary,
                                      const char *const *labels,
                                      const size_t *label_lengths,
                                      const char *arm, size_t arm_length,
                                      size_t *group, int *added,
                                      tact_error *error);

/* Add one unit to a group (and to its arm's pooled group, when the
 * summary has them): values[metric_count], NaN = missing; a covariate's
 * NaN is added as 0 and counted in covariate_missing.  Not after
 * tact_summary_finish. */
void tact_summary_add(tact_summary *summary, size_t group,
                      const double *values);

/* Turn the accumulators into moments.  Idempotent. */
void tact_summary_finish(tact_summary *summary);

/*
 * The pooled group of arm (arm_length bytes) in a finished summary,
 * created (empty, without an accumulator) when new; *added says whether it
 * is.  For readers of summary files.  TACT_SOFTWARE on memory.
 */
tact_status tact_summary_pooled_insert(tact_summary *summary, const char *arm,
                                       size_t arm_length, size_t *pooled,
                                       int *added, tact_error *error);

/* The pooled group of arm, or NULL (no such arm, or no pooled groups). */
const tact_summary_group *tact_summary_pooled_find(const tact_summary *summary,
                                                   const char *arm);

/* Drop the pooled groups (has_pooled becomes 0): readers then merge the
 * groups. */
void tact_summary_drop_pooled(tact_summary *summary);

/* Record the bins of dimension d (copied; NULL clears).  TACT_SOFTWARE on
 * memory. */
tact_status tact_summary_set_bins(tact_summary *summary, size_t d,
                                  const char *bins, tact_error *error);

/* Sort groups by labels then arm, pooled groups by arm, for stable output.
 * Labels of a binned dimension are ordered by bin (labels in no bin
 * after, bytewise); of a dimension whose every non-empty label is a
 * number, numerically (empty labels last); of any other, bytewise. */
void tact_summary_sort(tact_summary *summary);

/* Is every non-empty label of dimension d a number?  *distinct is the
 * number of distinct labels (may be NULL). */
int tact_summary_dimension_numeric(const tact_summary *summary, size_t d,
                                   size_t *distinct);

/*
 * After labels were changed in place (a dimension binned once its values
 * were known): add up the groups that now share labels and arm, and sort.
 * TACT_SOFTWARE on memory.
 */
tact_status tact_summary_regroup(tact_summary *summary, tact_error *error);

/*
 * Add the finished summary from into into (finished): groups with the same
 * labels and arm are combined, others copied; counts and metadata add up.
 * Pooled groups merge the same way, by arm, when both summaries have them;
 * when from has groups but no pooled ones, into's are dropped.
 * Errors (TACT_DATA): different dimensions or bins, arm column, metrics or roles,
 * different controls or units, different covariates (naming the key
 * covariate:METRIC), metrics capped differently (the same
 * absolute cap merges, its touched counts adding up) or capped at a
 * quantile (a pQ cap's value depends on the shard); the message says how
 * to shard (an absolute cap).
 */
tact_status tact_summary_merge(tact_summary *into, const tact_summary *from,
                               tact_error *error);

/*
 * Check that a finished summary still holds exact counts and finite
 * figures: every count (units, values, rows) below 2^53, where doubles
 * stop counting exactly (summaries merged again and again could pass it),
 * and every sum, spread and cross-product finite (values near 1e308 sum to
 * infinity).  The loader checks every summary it returns; a caller that
 * merges summaries checks the result.  file names the input in messages (NULL: none).  Errors:
 * TACT_DATA naming the metric, segment and arm.
 */
tact_status tact_summary_check_range(const tact_summary *summary,
                                     const char *file, tact_error *error);

/* Remove the groups of no unit (their units were dropped: units seen in
 * several arms).  TACT_SOFTWARE on memory. */
tact_status tact_summary_drop_empty(tact_summary *summary, tact_error *error);

/* Combine moments / comoments (Chan et al.). */
tact_moments tact_moments_combine(tact_moments a, tact_moments b);
tact_comoments tact_comoments_combine(tact_comoments a, tact_comoments b);

/* Mean and sample variance (n - 1) of moments; NaN when undefined. */
double tact_moments_mean(tact_moments m);
double tact_moments_variance(tact_moments m);

/* The metric index named name, or TACT_NO_COLUMN. */
size_t tact_summary_metric_index(const tact_summary *summary,
                                 const char *name);

#endif
