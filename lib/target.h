/*
 * target.h - whom to personalize for: a targeting policy learned from a
 * randomized experiment and evaluated out of fold (tact-target).
 *
 * Data.  A raw export, read row by row (csvreader.h) with the roles of
 * every tool (roles.h): the arm and control columns, the metrics named by
 * the weights, consent (rows without it left out first) and the unit
 * (sessions folded into units as units.h does: a 0/1 metric is the largest
 * over the sessions, any other summed, arm and features those of the
 * unit's first session).  Units of arms other than the control and the
 * treatment are left out; so are units with a feature missing (a numeric
 * feature's empty cell), counted.  A missing metric counts as 0, counted.
 * Features: a column whose cells all read as numbers (parse.h) is numeric,
 * any other categorical (its labels).
 *
 * Method (Athey and Wager 2021, "Policy learning with observational
 * data").  The net value of a unit is Y = sum_k weight_k * metric_k.
 * Doubly robust (AIPW) scores, cross-fitted over K seeded folds: for a
 * unit of fold k, per arm a, mu_a(x) = sum_k weight_k * m_ak(x) where
 * m_ak is fitted on the other folds' units of arm a: for a 0/1 metric an
 * L2-penalized logistic regression (lambda 1 on standardized features,
 * scikit-learn's default C = 1; logistic.h) on the features (numbers as
 * they are, labels one-hot against the first), for any other metric (or a
 * 0/1 metric whose fit fails, as when it never occurs) the arm's mean;
 * e is the treatment's share of the units (the known assignment share);
 *   G1 = mu_1 + T (Y - mu_1) / e,  G0 = mu_0 + (1 - T) (Y - mu_0) / (1 - e),
 * and the unit's score D = G1 - G0, an unbiased estimate of its gain from
 * personalization.  A policy pi's value over personalizing no one is
 * mean(pi(x) D).
 * The policy is a tree of depth at most 2 (or 3) on binned features
 * (numbers split at "x <= t" on up to B quantiles, labels at "x = level"):
 * the exhaustive search maximizes sum over leaves of max(0, sum of D),
 * a leaf personalizing when its sum is above 0, every leaf holding at
 * least min_cell units of each arm (privacy.h's minimum cell); a split is
 * kept only when it strictly improves, and sibling leaves of one decision
 * are merged.
 * Out of fold (eval): for each fold k, a tree learned on the scores of
 * the other folds decides for the units of fold k; the value is the mean
 * of pi_k(x) D over all units, with a normal interval from its standard
 * deviation; likewise against personalizing everyone (pi - 1) D, and
 * everyone against no one.  With segments (--by), the policy that
 * personalizes the segments whose scores add up above 0 on the other folds
 * is valued the same way.
 */
#ifndef TACT_TARGET_H
#define TACT_TARGET_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "load.h"

typedef struct tact_target_options {
	const tact_load_options *load; /* roles, delimiter, decimal comma */
	const tact_names *features;    /* feature columns */
	char **metrics;                /* the weights' metrics ... */
	const double *weights;         /* ... and their values */
	size_t metric_count;
	const char *treatment;         /* the arm personalized; NULL: the only
	                                  arm besides the control */
	size_t folds;                  /* K, >= 2 [5] */
	uint64_t seed;                 /* folds' seed [1] */
	size_t depth;                  /* 1 to 3 [2] */
	size_t bins;                   /* quantile bins of a number, >= 2 [10] */
	int64_t min_cell;              /* units of each arm per leaf [10] */
	double confidence;             /* intervals [0.95] */
	size_t max_levels;             /* labels a feature may have [50] */
} tact_target_options;

/* The defaults in brackets above. */
void tact_target_options_init(tact_target_options *options);

/* One node of a policy tree (heap order: children of i at 2i+1, 2i+2). */
typedef struct tact_target_node {
	int used, leaf, personalize;
	size_t feature;            /* a split's feature */
	size_t split;              /* numbers: left is code < split (x <= the
	                              split-th threshold, 1-based); labels:
	                              left is code == split */
	double sum;                /* sum of D of its units */
	int64_t treated, control;  /* its units of each arm */
} tact_target_node;

#define TACT_TARGET_MAX_DEPTH 3
#define TACT_TARGET_NODES 15   /* 2^(MAX_DEPTH + 1) - 1 */

typedef struct tact_target_tree {
	tact_target_node nodes[TACT_TARGET_NODES];
} tact_target_tree;

/* A feature as the tree sees it. */
typedef struct tact_target_feature {
	char *name;
	int categorical;
	size_t level_count;        /* categorical: labels, in order of first
	                              appearance */
	char **levels;
	size_t threshold_count;    /* numbers: cut points, ascending */
	double *thresholds;
} tact_target_feature;

typedef struct tact_target_data {
	char *file;                /* the input's display name */
	char *treatment, *control; /* arm names */
	size_t feature_count;
	tact_target_feature *features;
	size_t units;              /* units kept */
	double *x;                 /* units x features: the number, or the
	                              label's index */
	unsigned short *codes;     /* units x features: the bin or the label */
	unsigned char *treated;    /* per unit */
	double *metrics;           /* units x metrics */
	double *value;             /* per unit: the net value Y */
	size_t *fold;              /* per unit */
	double *score;             /* per unit: D */
	double *g0, *g1;           /* per unit: the AIPW scores */
	double share;              /* e */
	int64_t rows_read, rows_no_consent, units_other_arm, units_missing;
	int64_t cells_missing;     /* metric cells counted as 0 */
	int64_t mixed_units;       /* units seen in both arms (dropped, or kept
	                              in their first arm: --mixed-units) */
	size_t fallback_fits;      /* 0/1 models replaced by the arm's mean */
	size_t segment_count;      /* --by given: its segments (labels of the
	                              by columns joined), else 0 */
	size_t *segment;           /* per unit, with segments */
	int *binary;               /* per metric: only 0 and 1 seen */
} tact_target_data;

void tact_target_data_init(tact_target_data *data);
void tact_target_data_release(tact_target_data *data);

/*
 * Read the export at path ("-": standard input) into data, bin its
 * features, draw the folds and compute the cross-fitted scores.  Errors:
 * the reader's and the roles' (TACT_DATA with positions), a feature or
 * metric missing from the header, a label feature with more than
 * max_levels labels, no treatment arm or several (give one), fewer units
 * of an arm than 2 * min_cell, a metric cell that is not a number
 * (TACT_DATA naming it), a numerical failure (TACT_SOFTWARE).
 */
tact_status tact_target_load(const char *path,
                             const tact_target_options *options,
                             tact_target_data *data, tact_error *error);

/*
 * The best tree on the units whose fold differs from skip_fold (skip_fold
 * >= folds: all units), into tree.  TACT_SOFTWARE when memory runs out.
 */
tact_status tact_target_learn(const tact_target_data *data,
                              const tact_target_options *options,
                              size_t skip_fold, tact_target_tree *tree,
                              tact_error *error);

/* 1 when the tree personalizes unit i. */
int tact_target_decide(const tact_target_data *data,
                       const tact_target_tree *tree, size_t unit);

/* An estimate per 1,000 units with its interval. */
typedef struct tact_target_estimate {
	double value, low, high, se;
} tact_target_estimate;

typedef struct tact_target_evaluation {
	tact_target_estimate learned;        /* learned vs no one */
	tact_target_estimate learned_vs_all; /* learned vs everyone */
	tact_target_estimate everyone;       /* everyone vs no one */
	double share;                        /* share personalized, out of fold */
	unsigned char *decision;             /* per unit, out of fold */
	/* With segments: personalizing the segments whose scores add up
	 * above 0 on the other folds (tact-frontier's policy, out of fold). */
	tact_target_estimate segments, segments_vs_all;
	double segments_share;
} tact_target_evaluation;

/* Cross-fitted evaluation (see the top).  Release with
 * tact_target_evaluation_release. */
tact_status tact_target_evaluate(const tact_target_data *data,
                                 const tact_target_options *options,
                                 tact_target_evaluation *evaluation,
                                 tact_error *error);
void tact_target_evaluation_release(tact_target_evaluation *evaluation);

/*
 * Write tree as rules (rule.h, tact-intent apply --rules): comment lines
 * saying what was learned, one "personalize: CONDITION" line per
 * personalizing leaf, then "default: hold back" (or "default: personalize"
 * when every leaf personalizes).  Units with a feature missing take the
 * default.  TACT_IOERR when out fails.
 */
tact_status tact_target_write_rules(const tact_target_data *data,
                                    const tact_target_options *options,
                                    const tact_target_tree *tree, FILE *out,
                                    tact_error *error);

/* The conditions from the root to node (an index of tree->nodes, used)
 * joined by " and ", as the rules write them (implied ones left out);
 * nothing for the root.  TACT_DATA when a name cannot be written. */
tact_status tact_target_write_path(const tact_target_data *data,
                                   const tact_target_tree *tree, size_t node,
                                   FILE *out, tact_error *error);

/* The tree as CSV for a chart (tact-plot --kind tree): per used node, in
 * heap order: node, parent (blank for the root), condition (the parent's
 * question as answered on the way here, e.g. "recency > 1"; blank for the
 * root), question (a split's left condition; blank for a leaf), leaf (0
 * or 1), decision (a leaf's "personalize" or "hold back"), share (of the
 * units learned from).  Each node holds at least min_cell units of each
 * arm, so no share is of fewer units than --min-cell. */
tact_status tact_target_write_tree(const tact_target_data *data,
                                   const tact_target_tree *tree, FILE *out,
                                   tact_error *error);

/* The evaluation as CSV: policy, share_personalized, value_per_1000 (over
 * no one) with low and high, vs_everyone_per_1000 with low and high; rows
 * "learned (out of fold)", "segments that gain (out of fold)" with
 * segments, "everyone", "no one". */
tact_status tact_target_write_evaluation(const tact_target_data *data,
                                         const tact_target_options *options,
                                         const tact_target_evaluation *e,
                                         FILE *out, tact_error *error);

/* Per unit: unit (1-based, in order of first row), fold, treated, value,
 * g0, g1, score, and decision when given (the out-of-fold one): for
 * checking the estimates against another implementation. */
tact_status tact_target_write_scores(const tact_target_data *data,
                                     const unsigned char *decision, FILE *out,
                                     tact_error *error);

#endif
