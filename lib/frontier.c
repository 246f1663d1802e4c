/*
 * frontier.c - net value per segment, heterogeneity, policy value and
 * break-even weights (see frontier.h).
 */
#include "frontier.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cuped.h"
#include "parse.h"
#include "weights.h"
#include "privacy.h"
#include "numeric.h"
#include "sequential.h"

const char *tact_frontier_verdict_name(tact_frontier_verdict verdict)
{
	switch (verdict) {
	case TACT_FRONTIER_PERSONALIZE: return "personalize";
	case TACT_FRONTIER_HOLD_BACK: return "hold back";
	case TACT_FRONTIER_INCONCLUSIVE: return "inconclusive";
	case TACT_FRONTIER_SUPPRESSED: return "suppressed";
	}
	return "";
}

const char *tact_frontier_policy_name(tact_frontier_policy_kind kind)
{
	switch (kind) {
	case TACT_POLICY_NO_ONE: return "no one";
	case TACT_POLICY_EVERYONE: return "everyone";
	case TACT_POLICY_TARGETED: return "targeted";
	}
	return "";
}

void tact_frontier_options_init(tact_frontier_options *options)
{
	memset(options, 0, sizeof *options);
	options->confidence = 0.95;
	options->correction = TACT_CORRECTION_HOLM;
	options->min_cell = 10;
	options->tuning = TACT_SEQUENTIAL_TUNING;
}

void tact_frontier_options_release(tact_frontier_options *options)
{
	size_t i;

	for (i = 0; i < options->weight_count; i++)
		free(options->weight_metrics[i]);
	free(options->weight_metrics);
	free(options->weights);
	tact_frontier_options_init(options);
}

tact_status tact_frontier_parse_weights(tact_frontier_options *options,
                                        const char *text, tact_error *error)
{
	char **metrics;
	double *weights;
	size_t count, i;
	tact_status status = tact_weights_parse(text, &metrics, &weights, &count,
	                                        error);

	if (status != TACT_OK)
		return status;
	/* The new list replaces the old one; the other settings stay. */
	for (i = 0; i < options->weight_count; i++)
		free(options->weight_metrics[i]);
	free(options->weight_metrics);
	free(options->weights);
	options->weight_metrics = metrics;
	options->weights = weights;
	options->weight_count = count;
	return TACT_OK;
}

void tact_frontier_release(tact_frontier *frontier)
{
	size_t r;

	for (r = 0; r < frontier->row_count; r++) {
		free(frontier->rows[r].breakeven);
		free(frontier->rows[r].flip);
	}
	free(frontier->rows);
	free(frontier->tests);
	free(frontier->policies);
	free(frontier->weights);
	free(frontier->test_notes);
	if (frontier->cells.summary)
		tact_segments_release(&frontier->cells);
	memset(frontier, 0, sizeof *frontier);
}

/* ---- one group's net value ------------------------------------------ */

/* Which metrics enter a sum. */
enum part { PART_ALL, PART_GAIN, PART_COST };

static int in_part(const tact_summary *summary, size_t k, enum part part)
{
	tact_role role = summary->metrics[k].role;

	if (part == PART_ALL)
		return 1;
	if (part == PART_GAIN)
		return role == TACT_ROLE_GOAL || role == TACT_ROLE_VALUE;
	return role == TACT_ROLE_ANNOYANCE || role == TACT_ROLE_EXPOSURES;
}

/*
 * The covariance matrix of the weighted metrics' means in one group:
 * cov[k * m + l] = Cov(mean_k, mean_l).  Returns 0, or -1 when a weighted
 * metric has fewer than two values (no variance).
 */
static int mean_covariance(const tact_segments *cells, size_t s, size_t a,
                           const double *weights, int ignore_covariance,
                           double *means, double *cov)
{
	const tact_summary *summary = cells->summary;
	const size_t m = summary->metric_count;
	size_t k, l;

	for (k = 0; k < m; k++) {
		const tact_moments *mk = tact_segments_metric(cells, s, a, k);
		means[k] = NAN;
		for (l = 0; l < m; l++)
			cov[k * m + l] = 0;
		if (weights[k] == 0)
			continue;
		if (mk->n < 2)
			return -1;
		means[k] = tact_moments_mean(*mk);
		cov[k * m + k] = tact_moments_variance(*mk) / (double)mk->n;
	}
	if (ignore_covariance)
		return 0;
	for (k = 0; k < m; k++)
		for (l = k + 1; l < m; l++) {
			const tact_comoments *c;
			const tact_moments *mk, *ml;
			double value;
			if (weights[k] == 0 || weights[l] == 0)
				continue;
			c = tact_segments_pair(cells, s, a, tact_summary_pair(summary, k, l));
			if (c->n < 2)
				continue;
			mk = tact_segments_metric(cells, s, a, k);
			ml = tact_segments_metric(cells, s, a, l);
			value = c->c / (double)(c->n - 1) * (double)c->n /
			        ((double)mk->n * (double)ml->n);
			cov[k * m + l] = cov[l * m + k] = value;
		}
	return 0;
}

/* w' x and w' C w over the metrics of a part. */
static void weigh(const tact_summary *summary, const double *weights,
                  const double *means, const double *cov, enum part part,
                  double *mean, double *variance)
{
	const size_t m = summary->metric_count;
	size_t k, l;

	*mean = 0;
	*variance = 0;
	for (k = 0; k < m; k++) {
		if (weights[k] == 0 || !in_part(summary, k, part))
			continue;
		*mean += weights[k] * means[k];
		for (l = 0; l < m; l++)
			if (weights[l] != 0 && in_part(summary, l, part))
				*variance += weights[k] * weights[l] * cov[k * m + l];
	}
}

static double smallest_count(const tact_segments *cells, size_t s, size_t a,
                             const double *weights)
{
	const size_t m = cells->summary->metric_count;
	double n = INFINITY;
	size_t k;

	for (k = 0; k < m; k++)
		if (weights[k] != 0) {
			double nk = (double)tact_segments_metric(cells, s, a, k)->n;
			if (nk < n)
				n = nk;
		}
	return n;
}

/* The weight of metric k at which the interval of the difference touches
 * 0, nearest to its current weight; NaN when it never does. */
static double flip_weight(double weight, double d0, double s0, double delta,
                          double var_delta, double cov_delta, double t)
{
	/* (d0 + u delta)^2 = t^2 (s0^2 + 2 u cov_delta + u^2 var_delta) */
	double a = delta * delta - t * t * var_delta;
	double b = 2 * (d0 * delta - t * t * cov_delta);
	double c = d0 * d0 - t * t * s0 * s0;
	double u1, u2, disc;

	if (fabs(a) < 1e-300) {
		if (fabs(b) < 1e-300)
			return NAN;
		return weight - c / b;
	}
	disc = b * b - 4 * a * c;
	if (disc < 0)
		return NAN;
	u1 = (-b - sqrt(disc)) / (2 * a);
	u2 = (-b + sqrt(disc)) / (2 * a);
	return weight + (fabs(u1) < fabs(u2) ? u1 : u2);
}

/* ---- the whole frontier ---------------------------------------------- */

static tact_status resolve_weights(const tact_summary *summary,
                                   const tact_frontier_options *options,
                                   double *weights, tact_error *error)
{
	size_t i, k, weighted = 0;

	for (i = 0; i < options->weight_count; i++) {
		k = tact_summary_metric_index(summary, options->weight_metrics[i]);
		if (k == TACT_NO_COLUMN)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--weights: no metric '%s' in the data",
			                      options->weight_metrics[i]);
		if (summary->metrics[k].role == TACT_ROLE_COVARIATE)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--weights: '%s' is a covariate (it adjusts "
			                      "metrics), not an outcome",
			                      options->weight_metrics[i]);
		weights[k] = options->weights[i];
		if (weights[k] != 0)
			weighted++;
	}
	if (weighted == 0)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "give --weights: the value of one event of each "
		                      "outcome, e.g. converted=40,bounced=-0.5,"
		                      "unsubscribed=-12");
	return TACT_OK;
}

/* ---- --stratify and --sequential ------------------------------------ */

static int stratified(const tact_frontier *f, const tact_frontier_row *row)
{
	return f->stratify && tact_segments_pooled(&f->cells, row->segment);
}

/*
 * Group g's (the control 0, or the arm) means and covariance matrix of
 * means for the pooled row of arm `arm`, post-stratified (stratify.h):
 * means = sum_s w_s means_s and cov = sum_s w_s^2 cov_s over the segments,
 * w_s the segment's share of the units of the control and that arm.
 * Returns 0, -1 when a segment has fewer than two values of a weighted
 * metric in the group (check_strata refuses that first), -2 out of memory.
 */
static int stratified_moments(const tact_frontier *f, size_t arm,
                              int ignore_covariance, double *means0,
                              double *cov0, double *means1, double *cov1)
{
	const size_t m = f->cells.summary->metric_count;
	double *one = malloc(2 * (m + m * m) * sizeof *one), total = 0;
	double *one0 = one, *c0 = one + m, *one1 = c0 + m * m, *c1 = one1 + m;
	size_t s, k;
	int status = 0;

	if (!one)
		return -2;
	for (k = 0; k < m; k++)
		means0[k] = means1[k] = 0;
	for (k = 0; k < m * m; k++)
		cov0[k] = cov1[k] = 0;
	for (s = 1; s < f->cells.count; s++)
		total += (double)(tact_segments_units(&f->cells, s, 0) +
		                  tact_segments_units(&f->cells, s, arm));
	for (s = 1; s < f->cells.count && status == 0; s++) {
		const double w = (double)(tact_segments_units(&f->cells, s, 0) +
		                          tact_segments_units(&f->cells, s, arm)) /
		                 total;
		if ((status = mean_covariance(&f->cells, s, 0, f->weights,
		                              ignore_covariance, one0, c0)) ||
		    (status = mean_covariance(&f->cells, s, arm, f->weights,
		                              ignore_covariance, one1, c1)))
			break;
		/* CUPED: each segment's metrics adjusted by its own theta. */
		tact_cuped_frontier(&f->cells, s, arm, f->weights,
		                    ignore_covariance, one0, c0, one1, c1);
		for (k = 0; k < m; k++) {
			means0[k] += w * one0[k];
			means1[k] += w * one1[k];
		}
		for (k = 0; k < m * m; k++) {
			cov0[k] += w * w * c0[k];
			cov1[k] += w * w * c1[k];
		}
	}
	free(one);
	return status;
}

/* A row's control and arm moments: its own (with CUPED's adjustment), or
 * the pooled row's post-stratified ones under --stratify. */
static int pair_moments(const tact_frontier *f, const tact_frontier_row *row,
                        int ignore_covariance, double *means0, double *cov0,
                        double *means1, double *cov1)
{
	int status;

	if (stratified(f, row))
		return stratified_moments(f, row->arm, ignore_covariance, means0,
		                          cov0, means1, cov1);
	if ((status = mean_covariance(&f->cells, row->segment, 0, f->weights,
	                              ignore_covariance, means0, cov0)) ||
	    (status = mean_covariance(&f->cells, row->segment, row->arm,
	                              f->weights, ignore_covariance, means1,
	                              cov1)))
		return status;
	tact_cuped_frontier(&f->cells, row->segment, row->arm, f->weights,
	                    ignore_covariance, means0, cov0, means1, cov1);
	return 0;
}

/* --stratify: every segment needs two values of each weighted metric in
 * the control and every arm (TACT_DATA naming it), and there must be
 * segments (TACT_USAGE). */
static tact_status check_strata(const tact_frontier *f,
                                const tact_frontier_options *options,
                                double *means, double *cov, tact_error *error)
{
	char name[256];
	size_t s, a;

	if (f->cells.count < 2)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--stratify needs segments: a summary with "
		                      "--by columns");
	for (s = 1; s < f->cells.count; s++)
		for (a = 0; a < f->cells.arm_count; a++)
			if (mean_covariance(&f->cells, s, a, f->weights,
			                    options->ignore_covariance, means, cov)) {
				tact_segments_name(&f->cells, s, name, sizeof name);
				return tact_error_set(
					error, TACT_DATA, NULL, 0, 0,
					"--stratify: segment %s has fewer than two values of "
					"a weighted metric in arm '%s'; every segment needs "
					"every arm (merge small segments, or leave --stratify "
					"out)", name, f->cells.arms[a]);
			}
	return TACT_OK;
}

/* The multiplier of a row's interval at level 1 - a: the sequential one
 * (rho from the nominal alpha, a in its log term only), the normal
 * quantile for a post-stratified row, else Student's t at the row's df. */
static double row_critical(const tact_frontier *f, const tact_frontier_row *row,
                           double a)
{
	if (f->sequential)
		return tact_sequential_multiplier(
			(double)(row->n_control + row->n_arm), f->rho, a,
			TACT_SEQUENTIAL_TWO_SIDED);
	if (isnan(row->df))
		return gsl_cdf_ugaussian_Qinv(a / 2);
	return gsl_cdf_tdist_Qinv(a / 2, row->df);
}

static void interval(double value, double se, double t, double *low,
                     double *high)
{
	*low = value - t * se;
	*high = value + t * se;
}

static void suppress_row(const tact_frontier *f, tact_frontier_row *row)
{
	size_t k;

	row->verdict = TACT_FRONTIER_SUPPRESSED;
	row->n_control = row->n_arm = -1;
	row->mean_control = row->mean_arm = row->se_control = row->se_arm = NAN;
	row->diff = row->se = row->df = row->diff_low = row->diff_high = NAN;
	row->p_value = row->p_adjusted = row->level = NAN;
	row->diff_low_unadjusted = row->diff_high_unadjusted = NAN;
	row->gain = row->gain_low = row->gain_high = row->gain_se = NAN;
	row->cost = row->cost_low = row->cost_high = row->cost_se = NAN;
	for (k = 0; k < f->cells.summary->metric_count; k++)
		row->breakeven[k] = row->flip[k] = NAN;
}

/*
 * privacy: what is hidden is decided once for every tool
 * (tact_privacy_decide, privacy.h).  A row shows the units and the net
 * value (every weighted metric) of the control and the arm: it is
 * suppressed when any of those counts is hidden, before shares, tests and
 * policies use the rows.
 */
static tact_status suppress_complements(tact_frontier *f, int64_t min_cell)
{
	const size_t M = f->cells.summary->metric_count;
	tact_privacy_plan plan;
	tact_error error;
	size_t r, k;

	tact_error_init(&error);
	if (tact_privacy_decide_segments(&f->cells, min_cell, f->privacy, &plan,
	                                 &error))
		return TACT_SOFTWARE;
	for (r = 0; r < f->row_count; r++) {
		tact_frontier_row *row = &f->rows[r];
		int hidden = 0;
		for (k = 0; k < M; k++)
			if (f->weights[k] != 0)
				hidden |= tact_privacy_hidden(&plan, row->segment, 0, k) ||
				          tact_privacy_hidden(&plan, row->segment, row->arm, k);
		hidden |= tact_privacy_hidden(&plan, row->segment, 0, TACT_PRIVACY_UNITS) ||
		          tact_privacy_hidden(&plan, row->segment, row->arm,
		                              TACT_PRIVACY_UNITS);
		if (hidden && row->verdict != TACT_FRONTIER_SUPPRESSED)
			suppress_row(f, row);
	}
	tact_privacy_plan_release(&plan);
	return TACT_OK;
}

/*
 * A row's figures that do not depend on the other rows: counts, means,
 * the difference with its standard error, degrees of freedom and p-value,
 * the gain and cost, the break-even weights.  The verdict, the intervals
 * and the flip weights wait for the family's adjustment (decide_row).
 */
static tact_status fill_row(tact_frontier *f, tact_frontier_row *row,
                            const tact_frontier_options *options,
                            double *means0, double *cov0, double *means1,
                            double *cov1)
{
	const tact_summary *summary = f->cells.summary;
	const size_t m = summary->metric_count;
	const double *w = f->weights;
	const size_t s = row->segment, a = row->arm;
	double n0 = smallest_count(&f->cells, s, 0, w);
	double n1 = smallest_count(&f->cells, s, a, w);
	double v0, v1, var, g0, g1, gv0, gv1, c0, c1, cv0, cv1;
	size_t k;

	row->breakeven = calloc(m + 1, sizeof(double));
	row->flip = calloc(m + 1, sizeof(double));
	if (!row->breakeven || !row->flip)
		return TACT_SOFTWARE;
	for (k = 0; k < m; k++)
		row->breakeven[k] = row->flip[k] = NAN;
	row->n_control = tact_segments_units(&f->cells, s, 0);
	row->n_arm = tact_segments_units(&f->cells, s, a);
	if (n0 < (double)options->min_cell || n1 < (double)options->min_cell ||
	    mean_covariance(&f->cells, s, 0, w, options->ignore_covariance, means0,
	                    cov0) != 0 ||
	    mean_covariance(&f->cells, s, a, w, options->ignore_covariance, means1,
	                    cov1) != 0) {
		suppress_row(f, row);
		return TACT_OK;
	}
	/* CUPED: the metrics with a covariate enter adjusted (cuped.h). */
	tact_cuped_frontier(&f->cells, s, a, w, options->ignore_covariance, means0,
	                    cov0, means1, cov1);
	row->verdict = TACT_FRONTIER_INCONCLUSIVE; /* until decide_row */
	row->p_adjusted = row->level = NAN;
	row->diff_low = row->diff_high = NAN;
	row->gain_low = row->gain_high = row->cost_low = row->cost_high = NAN;
	weigh(summary, w, means0, cov0, PART_ALL, &row->mean_control, &v0);
	weigh(summary, w, means1, cov1, PART_ALL, &row->mean_arm, &v1);
	row->se_control = sqrt(v0);
	row->se_arm = sqrt(v1);
	row->diff = row->mean_arm - row->mean_control;
	if (stratified(f, row)) {
		/* mean_control and mean_arm stay raw; the difference, gain,
		 * cost and break-even weights are post-stratified. */
		if (stratified_moments(f, a, options->ignore_covariance, means0,
		                       cov0, means1, cov1))
			return TACT_SOFTWARE;
		weigh(summary, w, means0, cov0, PART_ALL, &g0, &v0);
		weigh(summary, w, means1, cov1, PART_ALL, &g1, &v1);
		row->diff = g1 - g0;
	}
	var = v0 + v1;
	row->se = sqrt(var);
	/* Welch-Satterthwaite, each group counted by its smallest metric. */
	row->df = var * var / (v1 * v1 / (n1 - 1) + v0 * v0 / (n0 - 1));
	if (!isfinite(row->df))
		row->df = n0 + n1 - 2;
	if (stratified(f, row) || f->sequential)
		row->df = NAN; /* a sum over strata (the normal test), or the
		                  sequential test: no t */
	/* Welch's test of the difference, from the same t as the intervals;
	 * without spread the difference is known exactly. */
	if (var == 0)
		row->p_value = row->diff != 0 ? 0 : 1;
	else if (f->sequential)
		row->p_value = tact_sequential_p_value(
			row->diff, row->se, (double)(row->n_control + row->n_arm),
			f->rho, TACT_SEQUENTIAL_TWO_SIDED);
	else if (isnan(row->df))
		row->p_value = fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(row->diff) /
		                                               row->se));
	else
		row->p_value = fmin(1, 2 * gsl_cdf_tdist_Q(fabs(row->diff) / row->se,
		                                           row->df));
	weigh(summary, w, means0, cov0, PART_GAIN, &g0, &gv0);
	weigh(summary, w, means1, cov1, PART_GAIN, &g1, &gv1);
	row->gain = g1 - g0;
	row->gain_se = sqrt(gv0 + gv1);
	weigh(summary, w, means0, cov0, PART_COST, &c0, &cv0);
	weigh(summary, w, means1, cov1, PART_COST, &c1, &cv1);
	row->cost = -(c1 - c0);
	row->cost_se = sqrt(cv0 + cv1);
	for (k = 0; k < m; k++) {
		double delta = means1[k] - means0[k];
		if (w[k] != 0 && delta != 0)
			row->breakeven[k] = w[k] - row->diff / delta;
	}
	return TACT_OK;
}

/*
 * Adjust the p-values of one family (the count rows from first;
 * suppressed rows have NaN and stay out) and set each row's level:
 * 1 - alpha p / p_adjusted, so that its interval excludes 0 exactly when
 * p_adjusted < alpha (see frontier.h).
 */
static tact_status adjust_family(tact_frontier *f, size_t first,
                                 size_t count, tact_error *error)
{
	const double alpha = 1 - f->confidence;
	double *p;
	size_t i, tested = 0;
	tact_status status;

	if (count == 0)
		return TACT_OK; /* no segments */
	p = calloc(count, sizeof *p);
	if (!p)
		return tact_error_oom(error);
	for (i = 0; i < count; i++) {
		p[i] = f->rows[first + i].p_value;
		tested += !isnan(p[i]);
	}
	status = tact_corrections_adjust(f->correction, p, count, p, error);
	for (i = 0; i < count && status == TACT_OK; i++) {
		tact_frontier_row *row = &f->rows[first + i];
		double a;
		if (isnan(p[i]))
			continue;
		row->p_adjusted = p[i];
		/* p_adjusted = 0 (so p = 0): the smallest level the family
		 * could use, Holm's first step and Bonferroni's. */
		if (f->correction == TACT_CORRECTION_NONE)
			a = alpha;
		else if (p[i] == 0)
			a = alpha / (double)tested;
		else
			a = alpha * row->p_value / p[i];
		row->level = 1 - a;
	}
	free(p);
	return status;
}

/* The interval of a row at its level; its verdict; its flip weights. */
static void decide_row(tact_frontier *f, tact_frontier_row *row,
                       const tact_frontier_options *options, double *means0,
                       double *cov0, double *means1, double *cov1)
{
	const size_t m = f->cells.summary->metric_count;
	const double *w = f->weights;
	const double alpha = 1 - f->confidence;
	double t, t0;
	size_t k, l;

	if (row->verdict == TACT_FRONTIER_SUPPRESSED || isnan(row->level))
		return;
	t = row_critical(f, row, 1 - row->level);
	t0 = row_critical(f, row, alpha);
	interval(row->diff, row->se, t, &row->diff_low, &row->diff_high);
	interval(row->diff, row->se, t0, &row->diff_low_unadjusted,
	         &row->diff_high_unadjusted);
	interval(row->gain, row->gain_se, t, &row->gain_low,
	         &row->gain_high);
	interval(row->cost, row->cost_se, t, &row->cost_low,
	         &row->cost_high);
	row->verdict = !(row->p_adjusted < alpha) ? TACT_FRONTIER_INCONCLUSIVE
	               : row->diff > 0            ? TACT_FRONTIER_PERSONALIZE
	               : row->diff < 0            ? TACT_FRONTIER_HOLD_BACK
	                                          : TACT_FRONTIER_INCONCLUSIVE;
	/* Flip weights: where the interval at this row's level touches 0.
	 * The moments are those fill_row read (it succeeded for this row). */
	pair_moments(f, row, options->ignore_covariance, means0, cov0, means1,
	             cov1);
	for (k = 0; k < m; k++) {
		double delta, var_delta, cov_delta = 0;
		if (w[k] == 0)
			continue;
		delta = means1[k] - means0[k];
		var_delta = cov0[k * m + k] + cov1[k * m + k];
		for (l = 0; l < m; l++)
			if (w[l] != 0)
				cov_delta += w[l] * (cov0[k * m + l] + cov1[k * m + l]);
		row->flip[k] = flip_weight(w[k], row->diff, row->se, delta, var_delta,
		                           cov_delta, t);
	}
}

/*
 * The two families (the pooled rows; the segment rows), then each row's
 * interval and verdict.
 */
static tact_status decide(tact_frontier *f,
                          const tact_frontier_options *options,
                          double *means0, double *cov0, double *means1,
                          double *cov1, tact_error *error)
{
	const size_t per_segment = f->cells.arm_count - 1;
	tact_status status;
	size_t r;

	if ((status = adjust_family(f, 0, per_segment, error)) ||
	    (status = adjust_family(f, per_segment, f->row_count - per_segment,
	                            error)))
		return status;
	for (r = 0; r < f->row_count; r++)
		decide_row(f, &f->rows[r], options, means0, cov0, means1, cov1);
	return TACT_OK;
}

/* ---- figures that overflow -------------------------------------------- */

/* Name the first infinite figure of a row, or return NULL. */
static const char *infinite_row_figure(const tact_frontier *f,
                                       const tact_frontier_row *row)
{
	const size_t m = f->cells.summary->metric_count;
	const struct {
		const char *name;
		double value;
	} figures[] = {
		{"mean_control", row->mean_control}, {"mean_arm", row->mean_arm},
		{"diff", row->diff}, {"se", row->se}, {"df", row->df},
		{"diff_low", row->diff_low}, {"diff_high", row->diff_high},
		{"diff_low_unadjusted", row->diff_low_unadjusted},
		{"diff_high_unadjusted", row->diff_high_unadjusted},
		{"gain", row->gain}, {"gain_low", row->gain_low},
		{"gain_high", row->gain_high}, {"cost", row->cost},
		{"cost_low", row->cost_low}, {"cost_high", row->cost_high},
	};
	size_t i, k;

	for (i = 0; i < sizeof figures / sizeof figures[0]; i++)
		if (isinf(figures[i].value))
			return figures[i].name;
	for (k = 0; k < m; k++) {
		if (isinf(row->breakeven[k]))
			return "breakeven";
		if (isinf(row->flip[k]))
			return "flip";
	}
	return NULL;
}

/* A segment's labels joined by " / ", "(all)" for the pooled one. */
static const char *segment_text(const tact_frontier *f, size_t s, char *out,
                                size_t size)
{
	size_t d, used = 0;

	if (s == 0)
		return "(all)";
	out[0] = '\0';
	for (d = 0; d < f->cells.summary->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s", d ? " / " : "",
		                 f->cells.labels[s][d]);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return out;
}

/*
 * Infinite figures (weights near the largest double) would be written as
 * inf and read back by no tool: the run fails instead, naming the first
 * (TACT_SOFTWARE), so that nothing half-meaningful is written.  The tests
 * across segments already leave out, with a note, what overflows.
 */
static tact_status check_finite(const tact_frontier *f, tact_error *error)
{
	size_t r, i;
	char segment[256];

	for (r = 0; r < f->row_count; r++) {
		const tact_frontier_row *row = &f->rows[r];
		const char *name = infinite_row_figure(f, row);
		if (name)
			return tact_error_set(
				error, TACT_SOFTWARE, NULL, 0, 0,
				"the net value overflows ('%s' of segment '%.200s', arm "
				"'%.200s'): give smaller weights (any currency unit will do)",
				name, segment_text(f, row->segment, segment, sizeof segment),
				f->cells.arms[row->arm]);
	}
	for (i = 0; i < f->policy_count; i++) {
		const tact_frontier_policy *p = &f->policies[i];
		if (isinf(p->value) || isinf(p->low) || isinf(p->high) ||
		    isinf(p->gain) || isinf(p->gain_low) || isinf(p->gain_high))
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "the net value overflows (the value of the "
			                      "policy '%s'): give smaller weights (any "
			                      "currency unit will do)",
			                      tact_frontier_policy_name(p->kind));
	}
	return TACT_OK;
}

static tact_status run_tests(tact_frontier *f, tact_error *error)
{
	const tact_summary *summary = f->cells.summary;
	const size_t m = summary->metric_count, S = f->cells.count;
	double *effects = calloc(S + 1, sizeof *effects);
	double *errors = calloc(S + 1, sizeof *errors);
	size_t a, k, s, used;
	tact_status status = TACT_OK;
	char note[512] = "";

	f->tests = calloc((f->cells.arm_count + 1) * (m + 2), sizeof *f->tests);
	if (!effects || !errors || !f->tests) {
		free(effects);
		free(errors);
		return tact_error_oom(error);
	}
	for (a = 1; a < f->cells.arm_count && status == TACT_OK; a++) {
		/* k == m stands for the net value. */
		for (k = 0; k <= m && status == TACT_OK; k++) {
			tact_frontier_test *test;
			tact_error ignored;
			if (k < m && (summary->metrics[k].role == TACT_ROLE_EXPOSURES ||
			              summary->metrics[k].role == TACT_ROLE_COVARIATE))
				continue;
			used = 0;
			for (s = 1; s < S; s++) {
				const tact_frontier_row *row = &f->rows[s * (f->cells.arm_count - 1) + a - 1];
				if (row->verdict == TACT_FRONTIER_SUPPRESSED)
					continue;
				if (k == m) {
					effects[used] = row->diff;
					errors[used] = row->se;
				} else {
					const tact_moments *x1 = tact_segments_metric(&f->cells, s, a, k);
					const tact_moments *x0 = tact_segments_metric(&f->cells, s, 0, k);
					if (x1->n < 2 || x0->n < 2)
						continue;
					effects[used] = tact_moments_mean(*x1) - tact_moments_mean(*x0);
					errors[used] = sqrt(tact_moments_variance(*x1) / (double)x1->n +
					                    tact_moments_variance(*x0) / (double)x0->n);
					if (summary->covariate_of[k] != TACT_NO_COLUMN) {
						/* CUPED: the adjusted difference (cuped.h). */
						tact_cuped_result r;
						if (tact_cuped_row(&f->cells, s, a, k, &r, NULL))
							continue;
						effects[used] = r.arm.mean - r.control.mean;
						errors[used] = sqrt(r.arm.variance / r.arm.count +
						                    r.control.variance / r.control.count);
					}
				}
				if (!(errors[used] > 0))
					continue; /* no spread: no weight */
				used++;
			}
			if (used < 2) {
				snprintf(note, sizeof note,
				         "tests across segments need at least two segments "
				         "with data");
				continue;
			}
			test = &f->tests[f->test_count];
			test->arm = a;
			test->metric = k == m ? TACT_NO_COLUMN : k;
			tact_error_init(&ignored);
			status = tact_heterogeneity_test(effects, errors, used, &test->result,
			                                 &ignored);
			if (status == TACT_DATA) {
				/* Extreme values (a weight overflow): say so, go on. */
				snprintf(note, sizeof note, "%.500s", ignored.message);
				status = TACT_OK;
				continue;
			}
			if (status != TACT_OK)
				*error = ignored;
			else
				f->test_count++;
		}
	}
	free(effects);
	free(errors);
	f->test_notes = strdup(note);
	return status;
}

static void run_policies(tact_frontier *f, double z)
{
	const size_t S = f->cells.count, A = f->cells.arm_count;
	size_t a, s, kind;

	for (a = 1; a < A; a++) {
		double total = 0;
		/* Segments (the pooled one alone when there are no dimensions). */
		size_t first = S > 1 ? 1 : 0;
		for (s = first; s < S; s++) {
			const tact_frontier_row *row = &f->rows[s * (A - 1) + a - 1];
			if (row->verdict != TACT_FRONTIER_SUPPRESSED)
				total += (double)(row->n_control + row->n_arm);
		}
		for (kind = 0; kind < 3; kind++) {
			tact_frontier_policy *p = &f->policies[f->policy_count++];
			double value = 0, var = 0, gain = 0, gain_var = 0;
			p->arm = a;
			p->kind = (tact_frontier_policy_kind)kind;
			for (s = first; s < S && total > 0; s++) {
				tact_frontier_row *row = &f->rows[s * (A - 1) + a - 1];
				double share;
				int treat;
				if (row->verdict == TACT_FRONTIER_SUPPRESSED)
					continue;
				share = (double)(row->n_control + row->n_arm) / total;
				treat = kind == TACT_POLICY_EVERYONE ||
				        (kind == TACT_POLICY_TARGETED &&
				         row->verdict == TACT_FRONTIER_PERSONALIZE);
				if (treat) {
					value += share * row->mean_arm;
					var += share * share * row->se_arm * row->se_arm;
					gain += share * row->diff;
					gain_var += share * share * row->se * row->se;
					p->segments_personalized++;
				} else {
					value += share * row->mean_control;
					var += share * share * row->se_control * row->se_control;
				}
			}
			if (total == 0) {
				p->value = p->low = p->high = NAN;
				p->gain = p->gain_low = p->gain_high = NAN;
				continue;
			}
			p->value = 1000 * value;
			p->low = 1000 * (value - z * sqrt(var));
			p->high = 1000 * (value + z * sqrt(var));
			p->gain = 1000 * gain;
			p->gain_low = 1000 * (gain - z * sqrt(gain_var));
			p->gain_high = 1000 * (gain + z * sqrt(gain_var));
		}
	}
}

tact_status tact_frontier_run(const tact_summary *summary,
                              const tact_frontier_options *options,
                              tact_frontier *f, tact_error *error)
{
	const size_t m = summary->metric_count;
	double *means0 = NULL, *means1 = NULL, *cov0 = NULL, *cov1 = NULL;
	size_t s, a;
	tact_status status;

	memset(f, 0, sizeof *f);
	f->confidence = options->confidence;
	f->correction = options->correction;
	f->min_cell = options->min_cell;
	f->privacy = options->privacy;
	f->sequential = options->sequential;
	f->stratify = options->stratify;
	f->tuning = options->tuning;
	f->rho = NAN;
	if (!(options->confidence > 0 && options->confidence < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--confidence must lie between 0 and 1");
	if (options->sequential &&
	    (status = tact_sequential_rho(1 - options->confidence, options->tuning,
	                                  TACT_SEQUENTIAL_TWO_SIDED, &f->rho,
	                                  error)))
		return status;
	f->weights = calloc(m + 1, sizeof *f->weights);
	if (!f->weights)
		return tact_error_oom(error);
	if ((status = resolve_weights(summary, options, f->weights, error)) ||
	    (status = tact_segments_build(summary, &f->cells, error))) {
		tact_frontier_release(f);
		return status;
	}
	f->rows = calloc(f->cells.count * (f->cells.arm_count - 1) + 1,
	                 sizeof *f->rows);
	f->policies = calloc(3 * f->cells.arm_count, sizeof *f->policies);
	means0 = calloc(m + 1, sizeof(double));
	means1 = calloc(m + 1, sizeof(double));
	cov0 = calloc(m * m + 1, sizeof(double));
	cov1 = calloc(m * m + 1, sizeof(double));
	if (!f->rows || !f->policies || !means0 || !means1 || !cov0 || !cov1) {
		status = tact_error_oom(error);
		goto done;
	}
	if (options->stratify &&
	    (status = check_strata(f, options, means0, cov0, error)))
		goto done;
	for (s = 0; s < f->cells.count; s++)
		for (a = 1; a < f->cells.arm_count; a++) {
			tact_frontier_row *row = &f->rows[f->row_count++];
			row->segment = s;
			row->arm = a;
			if (fill_row(f, row, options, means0, cov0, means1, cov1)) {
				status = tact_error_oom(error);
				goto done;
			}
		}
	if (suppress_complements(f, options->min_cell)) {
		status = tact_error_oom(error);
		goto done;
	}
	/* Shares of the units, for the policies and the output. */
	for (s = 0; s < f->cells.count; s++) {
		for (a = 1; a < f->cells.arm_count; a++) {
			tact_frontier_row *row = &f->rows[s * (f->cells.arm_count - 1) + a - 1];
			double all = (double)(tact_segments_units(&f->cells, 0, 0) +
			                      tact_segments_units(&f->cells, 0, a));
			row->share = all > 0 ? (double)(tact_segments_units(&f->cells, s, 0) +
			                                tact_segments_units(&f->cells, s, a)) /
			                               all
			                     : NAN;
			if (row->verdict == TACT_FRONTIER_SUPPRESSED)
				row->share = NAN;
		}
	}
	if ((status = decide(f, options, means0, cov0, means1, cov1, error)) ||
	    (status = run_tests(f, error)))
		goto done;
	run_policies(f, tact_numeric_z(options->confidence));
	status = check_finite(f, error);
done:
	free(means0);
	free(means1);
	free(cov0);
	free(cov1);
	if (status != TACT_OK)
		tact_frontier_release(f);
	return status;
}
