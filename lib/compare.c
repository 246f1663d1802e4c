/*
 * compare.c - arms against the control per segment and metric (see
 * compare.h).  The statistics themselves live in proportions, means,
 * bayes, chisquare and corrections; this module gathers the groups of a
 * summary into segments, calls them, and decides the verdicts.
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "bayes.h"
#include "chisquare.h"
#include "cuped.h"
#include "format.h"
#include "means.h"
#include "overflow.h"
#include "parse.h"
#include "privacy.h"
#include "proportions.h"
#include "sequential.h"
#include "stratify.h"

const char *tact_compare_test_name(tact_compare_test test)
{
	switch (test) {
	case TACT_TEST_Z: return "z";
	case TACT_TEST_FISHER: return "fisher";
	case TACT_TEST_WELCH: return "welch";
	case TACT_TEST_STRATIFIED: return "stratified";
	case TACT_TEST_SEQUENTIAL: return "sequential";
	case TACT_TEST_NONE: break;
	}
	return "";
}

const char *tact_compare_verdict_name(tact_compare_verdict verdict)
{
	switch (verdict) {
	case TACT_VERDICT_BETTER: return "better";
	case TACT_VERDICT_WORSE: return "worse";
	case TACT_VERDICT_INCONCLUSIVE: return "inconclusive";
	case TACT_VERDICT_SUPPRESSED: return "suppressed";
	}
	return "";
}

const char *tact_compare_alternative_name(tact_compare_alternative alternative)
{
	switch (alternative) {
	case TACT_ALTERNATIVE_GREATER: return "greater";
	case TACT_ALTERNATIVE_LESS: return "less";
	case TACT_ALTERNATIVE_TWO_SIDED: break;
	}
	return "two-sided";
}

const char *tact_compare_family_name(tact_compare_family family)
{
	return family == TACT_FAMILY_POOLED ? "pooled" : "segment";
}

void tact_compare_options_init(tact_compare_options *options)
{
	memset(options, 0, sizeof *options);
	options->confidence = 0.95;
	options->correction = TACT_CORRECTION_HOLM;
	options->min_cell = 10;
	options->tuning = TACT_SEQUENTIAL_TUNING;
}

void tact_compare_options_release(tact_compare_options *options)
{
	size_t i;

	if (options->split_arms)
		for (i = 0; i < options->split_count; i++)
			free(options->split_arms[i]);
	free(options->split_arms);
	free(options->split);
	for (i = 0; i < options->margin_count; i++)
		free(options->margins[i].metric);
	free(options->margins);
	for (i = 0; i < options->alternative_count; i++)
		free(options->alternatives[i].metric);
	free(options->alternatives);
	tact_compare_options_init(options);
}

tact_status tact_compare_parse_split(tact_compare_options *options,
                                     const char *text, tact_error *error)
{
	char *copy = strdup(text), *cursor, *item;
	size_t named = 0, count = 0, i;

	if (!copy)
		return tact_error_oom(error);
	/* A later --split replaces an earlier one, names and all. */
	if (options->split_arms)
		for (i = 0; i < options->split_count; i++)
			free(options->split_arms[i]);
	free(options->split_arms);
	options->split_arms = NULL;
	free(options->split);
	options->split = NULL;
	options->split_count = 0;
	for (item = strtok_r(copy, ",", &cursor); item;
	     item = strtok_r(NULL, ",", &cursor)) {
		char *equals = strrchr(item, '=');
		const char *number = equals ? equals + 1 : item;
		double weight;
		double *grown = realloc(options->split, (count + 1) * sizeof *grown);
		char **names;

		if (!grown)
			goto memory;
		options->split = grown;
		if (tact_parse_check_range("--split: a weight", number,
		                           strlen(number), NULL, error) != TACT_OK) {
			free(copy); /* number pointed into it: quoted above */
			return TACT_USAGE;
		}
		if (tact_parse_number(number, strlen(number), 0, &weight) != 0 ||
		    !(weight > 0)) {
			/* number points into copy: quote it before freeing. */
			tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			               "--split weights must be positive numbers, got "
			               "'%s'", number);
			free(copy);
			return TACT_USAGE;
		}
		options->split[count] = weight;
		/* split_arms holds a name for every weight, or is NULL. */
		if (equals ? named != count : named != 0) {
			free(copy);
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--split: name every arm (ARM=WEIGHT) or "
			                      "none");
		}
		if (equals) {
			names = realloc(options->split_arms, (count + 1) * sizeof *names);
			if (!names)
				goto memory;
			options->split_arms = names;
			*equals = '\0';
			if (!(names[count] = strdup(item)))
				goto memory;
			named++;
		}
		options->split_count = ++count;
	}
	free(copy);
	if (named && named != count)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--split: name every arm (ARM=WEIGHT) or none");
	if (count < 2)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--split needs a weight per arm, at least two");
	return TACT_OK;
memory:
	free(copy);
	return tact_error_oom(error);
}

tact_status tact_compare_parse_margin(tact_compare_options *options,
                                      const char *text, tact_error *error)
{
	const char *equals = strrchr(text, '=');
	tact_compare_margin *grown;
	double margin;

	if (equals && equals != text &&
	    tact_parse_check_range("--margin: the margin", equals + 1,
	                           strlen(equals + 1), NULL, error) != TACT_OK)
		return TACT_USAGE;
	if (!equals || equals == text ||
	    tact_parse_number(equals + 1, strlen(equals + 1), 0, &margin) != 0 ||
	    !(margin > -1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--margin expects METRIC=RELATIVE (0.1 for "
		                      "+10%%), got '%s'", text);
	grown = realloc(options->margins,
	                (options->margin_count + 1) * sizeof *grown);
	if (!grown)
		return tact_error_oom(error);
	options->margins = grown;
	grown[options->margin_count].metric = strndup(text, (size_t)(equals - text));
	if (!grown[options->margin_count].metric)
		return tact_error_oom(error);
	grown[options->margin_count].margin = margin;
	options->margin_count++;
	return TACT_OK;
}

tact_status tact_compare_parse_alternative(tact_compare_options *options,
                                           const char *text,
                                           tact_error *error)
{
	static const char *const words[] = {"two-sided", "greater", "less"};
	const char *equals = strrchr(text, '='), *word = equals ? equals + 1 : text;
	tact_compare_metric_alternative *grown;
	char quoted[96];
	size_t k;

	for (k = 0; k < 3 && strcmp(word, words[k]) != 0; k++)
		;
	if (k == 3 || equals == text)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--alternative expects two-sided, greater or "
		                      "less, or METRIC=one of them, got '%s'",
		                      tact_error_quote(text, strlen(text), quoted,
		                                       sizeof quoted));
	if (!equals) {
		options->alternative = (tact_compare_alternative)k;
		return TACT_OK;
	}
	grown = realloc(options->alternatives,
	                (options->alternative_count + 1) * sizeof *grown);
	if (!grown)
		return tact_error_oom(error);
	options->alternatives = grown;
	grown[options->alternative_count].metric =
		strndup(text, (size_t)(equals - text));
	if (!grown[options->alternative_count].metric)
		return tact_error_oom(error);
	grown[options->alternative_count].alternative = (tact_compare_alternative)k;
	options->alternative_count++;
	return TACT_OK;
}

void tact_compare_result_release(tact_compare_result *result)
{
	size_t i;

	for (i = 0; i < result->segment_count; i++) {
		tact_compare_segment *s = &result->segments[i];
		free(s->units);
		free(s->units_suppressed);
		free(s->independence_statistic);
		free(s->independence_df);
		free(s->independence_p_value);
	}
	free(result->segments);
	if (result->cells.summary)
		tact_segments_release(&result->cells);
	free(result->split);
	free(result->rows);
	memset(result, 0, sizeof *result);
}

/* ---- segments ------------------------------------------------------ */

static tact_status init_segment(tact_compare_result *result, size_t index,
                                tact_error *error)
{
	tact_compare_segment *s = &result->segments[index];
	size_t m = result->summary->metric_count, i;

	memset(s, 0, sizeof *s);
	s->labels = result->cells.labels[index];
	s->pooled = tact_segments_pooled(&result->cells, index);
	s->arm_count = result->arm_count;
	s->units = calloc(result->arm_count, sizeof *s->units);
	s->units_suppressed = calloc(result->arm_count + 1, 1);
	s->independence_statistic = malloc((m + 1) * sizeof(double));
	s->independence_df = malloc((m + 1) * sizeof(double));
	s->independence_p_value = malloc((m + 1) * sizeof(double));
	if (!s->units || !s->units_suppressed || !s->independence_statistic ||
	    !s->independence_df || !s->independence_p_value)
		return tact_error_oom(error);
	for (i = 0; i < m; i++)
		s->independence_statistic[i] = s->independence_df[i] =
			s->independence_p_value[i] = NAN;
	for (i = 0; i < result->arm_count; i++)
		s->units[i] = tact_segments_units(&result->cells, index, i);
	return TACT_OK;
}

/* ---- --sequential and --stratify ----------------------------------- */

/*
 * A row's effect as the sequential and the post-stratified tests read it:
 * the estimate of arm - control, its standard error, n (the values of
 * both groups), and each group's mean with the variance of that mean (for
 * Fieller's lift).  Means: sample variance / count (Welch's); rates:
 * p (1 - p) / count (unpooled); the pooled rows under --stratify: the
 * post-stratified figures over the segments (stratified_effect).  This is
 * the one point where those tests take (estimate, SE, n): an adjustment
 * that changes a row's estimate and standard error (CUPED) changes them
 * here and both tests follow.
 */
typedef struct row_effect {
	double estimate, se, n;
	double arm_mean, arm_v, control_mean, control_v;
} row_effect;

static void group_effect(const tact_moments *m, int rate, double *mean,
                         double *v)
{
	const double n = (double)m->n;

	*mean = rate ? m->sum / n : tact_moments_mean(*m);
	*v = rate ? *mean * (1 - *mean) / n : tact_moments_variance(*m) / n;
}

/* A metric with a covariate (CUPED): each group's adjusted mean and the
 * variance of that mean (adjusted sample variance / count, for rates
 * too), in segment s of the row's arm and the control (cuped.h). */
static tact_status cuped_effect(const tact_compare_result *result, size_t s,
                                const tact_compare_row *row, row_effect *e,
                                tact_error *error)
{
	tact_cuped_result cuped;
	tact_status status;

	if ((status = tact_cuped_row(&result->cells, s, row->arm, row->metric,
	                             &cuped, error)))
		return status;
	e->arm_mean = cuped.arm.mean;
	e->arm_v = cuped.arm.variance / cuped.arm.count;
	e->control_mean = cuped.control.mean;
	e->control_v = cuped.control.variance / cuped.control.count;
	return TACT_OK;
}

static int stratified_row(const tact_compare_result *result,
                          const tact_compare_row *row)
{
	return result->stratify && result->segments[row->segment].pooled;
}

/* The pooled row's effect as the units-weighted average of the segments'
 * (stratify.h).  A segment where the control or the arm has no value of
 * the metric (or, for a mean, fewer than two) is refused: TACT_DATA. */
static tact_status stratified_effect(const tact_compare_result *result,
                                     const tact_compare_row *row, int adjust,
                                     row_effect *e, tact_error *error)
{
	const size_t S = result->segment_count;
	tact_stratify_stratum *strata = calloc(S, sizeof *strata);
	tact_stratify_result combined;
	size_t s, k = 0;
	tact_status status;

	if (!strata)
		return tact_error_oom(error);
	for (s = 0; s < S; s++) {
		const tact_moments *arm, *control;
		const int64_t need = row->rate ? 1 : 2;
		char name[256];

		if (tact_segments_pooled(&result->cells, s))
			continue;
		arm = tact_segments_metric(&result->cells, s, row->arm, row->metric);
		control = tact_segments_metric(&result->cells, s, 0, row->metric);
		if (arm->n < need || control->n < need) {
			tact_segments_name(&result->cells, s, name, sizeof name);
			free(strata);
			return tact_error_set(
				error, TACT_DATA, NULL, 0, 0,
				"--stratify: segment %s has %s value%s in arm '%s'; every "
				"segment needs both groups (merge small segments, or "
				"leave --stratify out)",
				name, row->rate ? "no" : "fewer than two",
				row->rate ? "" : "s",
				result->arms[arm->n < need ? row->arm : 0]);
		}
		strata[k].units =
			(double)(tact_segments_units(&result->cells, s, 0) +
			         tact_segments_units(&result->cells, s, row->arm));
		if (adjust) {
			row_effect adjusted;
			if ((status = cuped_effect(result, s, row, &adjusted, error))) {
				free(strata);
				return status;
			}
			strata[k].arm_mean = adjusted.arm_mean;
			strata[k].arm_v = adjusted.arm_v;
			strata[k].control_mean = adjusted.control_mean;
			strata[k].control_v = adjusted.control_v;
		} else {
			group_effect(arm, row->rate, &strata[k].arm_mean,
			             &strata[k].arm_v);
			group_effect(control, row->rate, &strata[k].control_mean,
			             &strata[k].control_v);
		}
		k++;
	}
	status = tact_stratify_combine(strata, k, &combined, error);
	free(strata);
	if (status != TACT_OK)
		return status;
	e->estimate = combined.estimate;
	e->se = combined.se;
	e->arm_mean = combined.arm_mean;
	e->arm_v = combined.arm_v;
	e->control_mean = combined.control_mean;
	e->control_v = combined.control_v;
	return TACT_OK;
}

static tact_status effect_of(const tact_compare_result *result,
                             const tact_compare_row *row, row_effect *e,
                             tact_error *error)
{
	const tact_moments *arm = tact_segments_metric(&result->cells, row->segment,
	                                               row->arm, row->metric);
	const tact_moments *control = tact_segments_metric(
		&result->cells, row->segment, 0, row->metric);

	tact_status status;

	e->n = (double)(arm->n + control->n);
	if (stratified_row(result, row))
		return stratified_effect(result, row, row->cuped, e, error);
	if (row->cuped) {
		if ((status = cuped_effect(result, row->segment, row, e, error)))
			return status;
	} else {
		group_effect(arm, row->rate, &e->arm_mean, &e->arm_v);
		group_effect(control, row->rate, &e->control_mean, &e->control_v);
	}
	e->estimate = e->arm_mean - e->control_mean;
	e->se = sqrt(e->arm_v + e->control_v);
	return TACT_OK;
}

static tact_sequential_side side_of(tact_compare_alternative alternative)
{
	return alternative == TACT_ALTERNATIVE_GREATER ? TACT_SEQUENTIAL_GREATER
	       : alternative == TACT_ALTERNATIVE_LESS  ? TACT_SEQUENTIAL_LESS
	                                               : TACT_SEQUENTIAL_TWO_SIDED;
}

static double rho_of(const tact_compare_result *result,
                     const tact_compare_row *row)
{
	return result->rho[row->alternative != TACT_ALTERNATIVE_TWO_SIDED];
}

/* The normal p-value of z = estimate / se in the row's alternative; se 0:
 * 0 when the estimate lies on the tested side, else 1. */
static double normal_p(const row_effect *e, tact_compare_alternative alternative)
{
	const double z = e->estimate / e->se;
	const double toward = alternative == TACT_ALTERNATIVE_GREATER ? e->estimate
	                      : alternative == TACT_ALTERNATIVE_LESS
	                              ? -e->estimate
	                              : fabs(e->estimate);

	if (e->se == 0)
		return toward > 0 ? 0 : 1;
	return alternative == TACT_ALTERNATIVE_GREATER ? gsl_cdf_ugaussian_Q(z)
	       : alternative == TACT_ALTERNATIVE_LESS ? gsl_cdf_ugaussian_P(z)
	                                              : 2 * gsl_cdf_ugaussian_Q(fabs(z));
}

/*
 * Under --sequential (every tested row) or --stratify (the pooled rows):
 * the row's test becomes the always-valid one or the normal test of the
 * post-stratified difference, on effect_of's figures.  mean_control and
 * mean_arm stay the raw means; a stratified row's diff and lift are the
 * post-stratified ones.
 */
static tact_status effect_test(const tact_compare_result *result,
                               tact_compare_row *row, tact_error *error)
{
	row_effect e;
	tact_status status;

	if (!(result->sequential || stratified_row(result, row)) ||
	    row->test == TACT_TEST_NONE)
		return TACT_OK;
	if ((status = effect_of(result, row, &e, error)))
		return status;
	if (stratified_row(result, row)) {
		row->diff = e.estimate;
		row->lift = e.control_mean == 0 ? NAN
		                                : e.estimate / fabs(e.control_mean);
	}
	if (stratified_row(result, row) && row->cuped) {
		/* Each segment has its own theta: none is the row's; what
		 * CUPED bought is measured on the post-stratified variance. */
		row_effect raw;
		if ((status = stratified_effect(result, row, 0, &raw, error)))
			return status;
		row->theta = NAN;
		row->variance_reduction =
			raw.se > 0 ? 1 - (e.se * e.se) / (raw.se * raw.se) : NAN;
	}
	row->statistic = e.se > 0 ? e.estimate / e.se : NAN;
	row->df = NAN;
	if (result->sequential) {
		row->test = TACT_TEST_SEQUENTIAL;
		row->p_value = tact_sequential_p_value(e.estimate, e.se, e.n,
		                                       rho_of(result, row),
		                                       side_of(row->alternative));
	} else {
		row->test = TACT_TEST_STRATIFIED;
		row->p_value = normal_p(&e, row->alternative);
	}
	return TACT_OK;
}

/* ---- intervals that invert the tests ------------------------------- */

/*
 * A row's verdict comes from its test, so the interval printed beside it
 * is the set of effects that test does not reject at the row's level (see
 * "level" in compare.h): for rates the score intervals of the pooled z
 * (tact_proportions_score_difference, _ratio), for means Welch's interval
 * and Fieller's for the lift (tact_means_fieller), each given the critical
 * values of its side(s).  They exclude 0 exactly when the statistic passes
 * the critical value, bit for bit.
 */

/* The critical value of level 1 - a, two-sided or one-sided: normal, or
 * Student's t with df degrees of freedom when df is a number. */
static double critical(double a, tact_compare_alternative alternative,
                       double df)
{
	const double tail = alternative == TACT_ALTERNATIVE_TWO_SIDED ? a / 2 : a;

	return isnan(df) ? gsl_cdf_ugaussian_Qinv(tail)
	                 : gsl_cdf_tdist_Qinv(tail, df);
}

static double clamp01(double p)
{
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* ---- one row ------------------------------------------------------- */

static const char NOTE_NO_CONTROL_EVENT[] = "no event in the control";
static const char NOTE_CONTROL_ZERO[] = "control mean is 0";
static const char NOTE_UNBOUNDED[] =
	"control mean not distinguishable from 0 at this level";
static const char NOTE_NEGATIVE[] =
	"relative to |control mean| (negative)";

static tact_proportions_sample rate_sample(const tact_moments *m)
{
	tact_proportions_sample s;

	s.successes = m->sum;
	s.trials = (double)m->n;
	return s;
}

/* One-sided Fisher: P(X >= x1) (greater) or P(X <= x1) (less), X the
 * arm's events under the hypergeometric law of the table's margins. */
static tact_status fisher_one_sided(tact_proportions_sample a,
                                    tact_proportions_sample c, int greater,
                                    double *p_value, tact_error *error)
{
	const double events = a.successes + c.successes;
	const double total = a.trials + c.trials;
	char number[TACT_FORMAT_NUMBER_MAX];

	if (total > 4e9)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "one-sided Fisher's test supports up to 4e9 "
		                      "units, got %s",
		                      tact_format_significant(number, sizeof number,
		                                              total, 17));
	if (greater)
		*p_value = a.successes == 0
		                   ? 1
		                   : gsl_cdf_hypergeometric_Q(
			                     (unsigned)a.successes - 1, (unsigned)events,
			                     (unsigned)(total - events), (unsigned)a.trials);
	else
		*p_value = gsl_cdf_hypergeometric_P(
			(unsigned)a.successes, (unsigned)events,
			(unsigned)(total - events), (unsigned)a.trials);
	*p_value = clamp01(*p_value);
	return TACT_OK;
}

static tact_status rate_row(const tact_compare_options *options,
                            tact_compare_row *row, const tact_moments *arm,
                            const tact_moments *control, tact_error *error)
{
	tact_proportions_sample a = rate_sample(arm), c = rate_sample(control);
	const double confidence = options->confidence;
	double p_z;
	tact_status status;

	row->mean_arm = a.successes / a.trials;
	row->mean_control = c.successes / c.trials;
	row->diff = row->mean_arm - row->mean_control;
	if (c.successes == 0)
		row->lift_note = NOTE_NO_CONTROL_EVENT;
	else
		row->lift = row->mean_arm / row->mean_control - 1;
	if ((status = tact_proportions_wilson(a, confidence, &row->arm_low,
	                                      &row->arm_high, error)) ||
	    (status = tact_proportions_wilson(c, confidence, &row->control_low,
	                                      &row->control_high, error)) ||
	    (status = tact_proportions_z_test(a, c, &row->z0, &p_z, error)))
		return status;
	if (tact_proportions_use_fisher(a, c)) {
		row->test = TACT_TEST_FISHER;
		row->statistic = NAN;
		if (row->alternative == TACT_ALTERNATIVE_TWO_SIDED)
			status = tact_proportions_fisher(a, c, &row->p_value, error);
		else
			status = fisher_one_sided(a, c,
			                          row->alternative == TACT_ALTERNATIVE_GREATER,
			                          &row->p_value, error);
	} else {
		row->test = TACT_TEST_Z;
		row->statistic = row->z0;
		row->p_value =
			row->alternative == TACT_ALTERNATIVE_GREATER ? gsl_cdf_ugaussian_Q(row->z0)
			: row->alternative == TACT_ALTERNATIVE_LESS ? gsl_cdf_ugaussian_P(row->z0)
			                                            : p_z;
	}
	if (status != TACT_OK)
		return status;
	if (!isnan(row->margin)) {
		double ignored;
		status = tact_proportions_noninferiority(a, c, row->margin, &ignored,
		                                         &row->noninferiority_p_value,
		                                         error);
		if (status != TACT_OK)
			return status;
	}
	return tact_bayes_rates(a, c,
	                        row->up ? TACT_BAYES_HIGHER_IS_BETTER
	                                : TACT_BAYES_LOWER_IS_BETTER,
	                        &row->chance_to_beat, &row->expected_loss, error);
}

static tact_means_sample means_sample(const tact_moments *m)
{
	tact_means_sample s;

	s.count = (double)m->n;
	s.mean = tact_moments_mean(*m);
	s.variance = tact_moments_variance(*m);
	return s;
}

/* Welch's test of a means row from its two samples (raw, or adjusted by
 * CUPED): the estimate, its test and p-value, the lift, the posterior. */
static tact_status welch_row(const tact_compare_options *options,
                             tact_compare_row *row, tact_means_sample a,
                             tact_means_sample c, tact_error *error)
{
	tact_means_welch_result welch;
	tact_status status;

	if (c.mean == 0) {
		row->lift_note = NOTE_CONTROL_ZERO;
	} else {
		/* Relative to |control| (as GrowthBook): the sign of the lift is
		 * that of the difference. */
		row->lift = row->diff / fabs(c.mean);
		if (c.mean < 0)
			row->lift_note = NOTE_NEGATIVE;
	}
	if ((status = tact_means_welch(a, c, options->confidence, &welch, error)))
		return status;
	row->diff = welch.difference;
	row->statistic = welch.statistic;
	row->df = welch.df;
	row->p_value =
		row->alternative == TACT_ALTERNATIVE_GREATER
			? gsl_cdf_tdist_Q(welch.statistic, welch.df)
		: row->alternative == TACT_ALTERNATIVE_LESS
			? gsl_cdf_tdist_P(welch.statistic, welch.df)
			: welch.p_value;
	if (isnan(welch.p_value)) {
		row->test = TACT_TEST_NONE;
		row->p_value = NAN;
	}
	return tact_bayes_means(a, c,
	                        row->up ? TACT_BAYES_HIGHER_IS_BETTER
	                                : TACT_BAYES_LOWER_IS_BETTER,
	                        &row->chance_to_beat, &row->expected_loss, error);
}

/* A means row's own figures: the two means and their t intervals.  A
 * variance needs two values: below that, means but no test (TEST_NONE). */
static tact_status mean_figures(const tact_compare_options *options,
                                tact_compare_row *row, tact_means_sample a,
                                tact_means_sample c, tact_error *error)
{
	tact_status status;

	row->mean_arm = a.mean;
	row->mean_control = c.mean;
	row->diff = a.mean - c.mean;
	row->test = TACT_TEST_WELCH;
	if (a.count < 2 || c.count < 2) {
		row->test = TACT_TEST_NONE;
		return TACT_OK;
	}
	if ((status = tact_means_t_interval(a, options->confidence, &row->arm_low,
	                                    &row->arm_high, error)) ||
	    (status = tact_means_t_interval(c, options->confidence,
	                                    &row->control_low, &row->control_high,
	                                    error)))
		return status;
	return TACT_OK;
}

static tact_status mean_row(const tact_compare_options *options,
                            tact_compare_row *row, const tact_moments *arm,
                            const tact_moments *control, tact_error *error)
{
	tact_means_sample a = means_sample(arm), c = means_sample(control);
	tact_status status = mean_figures(options, row, a, c, error);

	if (status != TACT_OK || row->test == TACT_TEST_NONE)
		return status;
	return welch_row(options, row, a, c, error);
}

/*
 * A row of a metric with a covariate (CUPED, compare.h): the raw means
 * and their intervals as without it, then the estimate and its test from
 * the adjusted samples (cuped.h), by the means row's steps.
 */
static tact_status cuped_row(const tact_compare_options *options,
                             const tact_compare_result *result,
                             tact_compare_row *row, const tact_moments *arm,
                             const tact_moments *control, tact_error *error)
{
	tact_cuped_result cuped;
	double ignored;
	tact_status status;

	if (row->rate) {
		tact_proportions_sample a = rate_sample(arm), c = rate_sample(control);
		row->mean_arm = a.successes / a.trials;
		row->mean_control = c.successes / c.trials;
		if ((status = tact_proportions_wilson(a, options->confidence,
		                                      &row->arm_low, &row->arm_high,
		                                      error)) ||
		    (status = tact_proportions_wilson(c, options->confidence,
		                                      &row->control_low,
		                                      &row->control_high, error)))
			return status;
		if (!isnan(row->margin) &&
		    (status = tact_proportions_noninferiority(
			     a, c, row->margin, &ignored,
			     &row->noninferiority_p_value, error)))
			return status;
	} else if ((status = mean_figures(options, row, means_sample(arm),
	                                  means_sample(control), error))) {
		return status;
	}
	if ((status = tact_cuped_row(&result->cells, row->segment, row->arm,
	                             row->metric, &cuped, error)))
		return status;
	/* The estimate and its standard error come from the adjusted
	 * samples; welch_row turns them into the test and p-value, and
	 * intervals_at into the intervals, as for any means row. */
	row->theta = cuped.theta;
	row->variance_reduction = cuped.variance_reduction;
	row->diff = cuped.arm.mean - cuped.control.mean;
	row->test = TACT_TEST_WELCH;
	if (arm->n < 2 || control->n < 2) {
		row->test = TACT_TEST_NONE;
		return TACT_OK;
	}
	return welch_row(options, row, cuped.arm, cuped.control, error);
}

/*
 * The critical value of a Fisher row's score intervals at level 1 - a:
 * c the normal critical value, z the pooled z in the tested direction
 * (|z| two-sided), zf Fisher's p turned into a z.  c z / zf makes the
 * intervals exclude 0 exactly when z > c z / zf, i.e. zf > c, i.e. Fisher's
 * p < a.  When Fisher does not reject, any value >= z keeps 0 inside: the
 * scaled one is capped at z + c (it grows without bound as Fisher's p
 * nears 1).  With z <= 0 the interval holds 0 at c already.
 */
static double fisher_critical(double c, double z0, double p_fisher, double a,
                              tact_compare_alternative alternative)
{
	const int two = alternative == TACT_ALTERNATIVE_TWO_SIDED;
	double z = isnan(z0) ? 0
	           : two ? fabs(z0)
	           : alternative == TACT_ALTERNATIVE_GREATER ? z0 : -z0;
	double zf = gsl_cdf_ugaussian_Qinv(two ? p_fisher / 2 : p_fisher);

	if (!(z > 0))
		return c;
	if (p_fisher < a)
		return c * z / zf;
	return zf > 0 ? fmin(c * z / zf, z + c) : z + c;
}

/* The lower and upper critical values of an alternative: the untested
 * side's is infinite. */
static void sided(double c, tact_compare_alternative alternative,
                  double *lower, double *upper)
{
	*lower = alternative == TACT_ALTERNATIVE_LESS ? INFINITY : c;
	*upper = alternative == TACT_ALTERNATIVE_GREATER ? INFINITY : c;
}

/* The open end of a one-sided interval is shown as such (blank), not as
 * the metric's natural bound; a lift interval with a blank end is blank. */
static void open_ends(const tact_compare_row *row, double out[4])
{
	if (row->alternative == TACT_ALTERNATIVE_LESS)
		out[0] = out[2] = -INFINITY;
	if (row->alternative == TACT_ALTERNATIVE_GREATER)
		out[1] = out[3] = INFINITY;
	if (isnan(out[2]) || isnan(out[3]))
		out[2] = out[3] = NAN;
}

/*
 * The difference and lift intervals of a tested row at critical value c
 * (for its sides), into the four outputs; the untested end of a one-sided
 * row is infinite.  nonnegative: a metric that cannot be negative (its
 * lift never goes below -1).
 */
static tact_status intervals_at(const tact_compare_result *result,
                                const tact_compare_row *row, double c,
                                int nonnegative, double out[4],
                                const char **note, tact_error *error)
{
	const tact_moments *arm = tact_segments_metric(&result->cells, row->segment,
	                                               row->arm, row->metric);
	const tact_moments *control = tact_segments_metric(
		&result->cells, row->segment, 0, row->metric);
	double lower, upper, lift;
	tact_status status;

	out[0] = out[1] = out[2] = out[3] = NAN;
	sided(c, row->alternative, &lower, &upper);
	if (row->rate && !row->cuped) {
		tact_proportions_sample a = rate_sample(arm), b = rate_sample(control);

		if ((status = tact_proportions_score_difference(a, b, lower, upper,
		                                                &out[0], &out[1],
		                                                error)))
			return status;
		if (control->sum > 0 &&
		    (status = tact_proportions_score_ratio(a, b, lower, upper, &out[2],
		                                           &out[3], error)))
			return status;
	} else {
		tact_means_sample x = means_sample(arm), y = means_sample(control);
		double se;
		tact_means_lift_blank why;

		if (row->cuped) {
			/* The samples the row was tested on: adjusted. */
			tact_cuped_result cuped;
			if ((status = tact_cuped_row(&result->cells, row->segment,
			                             row->arm, row->metric, &cuped, error)))
				return status;
			x = cuped.arm;
			y = cuped.control;
		}
		se = sqrt(x.variance / x.count + y.variance / y.count);

		out[0] = row->diff - lower * se;
		out[1] = row->diff + upper * se;
		if ((status = tact_means_fieller(x, y, lower, upper, nonnegative, &lift,
		                                 &out[2], &out[3], &why, error)))
			return status;
		if (why == TACT_MEANS_LIFT_UNBOUNDED)
			*note = NOTE_UNBOUNDED;
	}
	open_ends(row, out);
	return TACT_OK;
}

static int excludes_zero(const double out[4])
{
	return out[0] > 0 || out[1] < 0;
}

/*
 * The difference and lift intervals of a sequential or stratified row at
 * multiplier c: estimate -/+ c se, and Fieller's interval of the lift
 * with the groups' means and variances of means (unpooled for rates), so
 * that the lift excludes 0 exactly when the difference does.
 */
static tact_status effect_intervals_at(const tact_compare_row *row,
                                       const row_effect *e, double c,
                                       int nonnegative, double out[4],
                                       const char **note, tact_error *error)
{
	/* Fieller reads variance / count only: count 2 with twice the
	 * variance of the mean gives it that variance. */
	tact_means_sample x = {2, e->arm_mean, 2 * e->arm_v};
	tact_means_sample y = {2, e->control_mean, 2 * e->control_v};
	double lower, upper, lift;
	tact_means_lift_blank why;
	tact_status status;

	sided(c, row->alternative, &lower, &upper);
	out[0] = e->estimate - lower * e->se;
	out[1] = e->estimate + upper * e->se;
	out[2] = out[3] = NAN;
	if ((status = tact_means_fieller(x, y, lower, upper,
	                                 nonnegative && e->arm_mean >= 0 &&
	                                         e->control_mean >= 0,
	                                 &lift, &out[2], &out[3], &why, error)))
		return status;
	if (why == TACT_MEANS_LIFT_UNBOUNDED)
		*note = NOTE_UNBOUNDED;
	open_ends(row, out);
	return TACT_OK;
}

/* row_intervals for a sequential or stratified row: the multiplier of
 * level 1 - a is the sequential one (rho from the nominal alpha, a only in
 * its log term) or the normal quantile. */
static tact_status effect_intervals(const tact_compare_result *result,
                                    const tact_compare_row *row, double a,
                                    int decisive, int nonnegative,
                                    double out[4], const char **note,
                                    tact_error *error)
{
	row_effect e;
	double c;
	tact_status status;

	if ((status = effect_of(result, row, &e, error)))
		return status;
	c = row->test == TACT_TEST_SEQUENTIAL
	            ? tact_sequential_multiplier(e.n, rho_of(result, row), a,
	                                         side_of(row->alternative))
	            : critical(a, row->alternative, NAN);
	if ((status = effect_intervals_at(row, &e, c, nonnegative, out, note,
	                                  error)))
		return status;
	if (decisive >= 0 && excludes_zero(out) != decisive && e.se > 0 &&
	    e.estimate != 0) {
		c = fabs(e.estimate / e.se) * (decisive ? 1 - 1e-12 : 1 + 1e-12);
		status = effect_intervals_at(row, &e, c, nonnegative, out, note, error);
	}
	return status;
}

/*
 * The intervals of a tested row at level 1 - a.  Fisher rows: the score
 * intervals at fisher_critical's scaled value.  decisive >= 0: the verdict
 * (1 better or worse, 0 inconclusive) the intervals must agree with.  The
 * statistic passes the critical value exactly when p < a in exact
 * arithmetic; where rounding of the two computations disagrees (p within
 * an ulp of a), the critical value is set a hair beyond the statistic on
 * the verdict's side.
 */
static tact_status row_intervals(const tact_compare_result *result,
                                 const tact_compare_row *row, double a,
                                 int decisive, int nonnegative, double out[4],
                                 const char **note, tact_error *error)
{
	const int score = row->rate && !row->cuped; /* else Welch's t */
	double c = critical(a, row->alternative, score ? NAN : row->df);
	double statistic = score ? row->z0 : row->statistic;
	tact_status status;

	if (row->test == TACT_TEST_SEQUENTIAL || row->test == TACT_TEST_STRATIFIED)
		return effect_intervals(result, row, a, decisive, nonnegative, out,
		                        note, error);
	if (row->test == TACT_TEST_FISHER)
		c = fisher_critical(c, row->z0, row->p_value, a, row->alternative);
	if ((status = intervals_at(result, row, c, nonnegative, out, note, error)))
		return status;
	if (decisive >= 0 && excludes_zero(out) != decisive && isfinite(statistic) &&
	    statistic != 0) {
		c = fabs(statistic) * (decisive ? 1 - 1e-12 : 1 + 1e-12);
		status = intervals_at(result, row, c, nonnegative, out, note, error);
	}
	return status;
}

static void blank_row(tact_compare_row *row)
{
	row->n_control = row->n_arm = -1;
	row->mean_control = row->control_low = row->control_high = NAN;
	row->mean_arm = row->arm_low = row->arm_high = NAN;
	row->diff = row->diff_low = row->diff_high = NAN;
	row->lift = row->lift_low = row->lift_high = NAN;
	row->interval_level = NAN;
	row->diff_low_unadjusted = row->diff_high_unadjusted = NAN;
	row->lift_low_unadjusted = row->lift_high_unadjusted = NAN;
	row->lift_note = NULL;
	row->statistic = row->z0 = row->df = row->p_value = row->p_adjusted = NAN;
	row->chance_to_beat = row->expected_loss = NAN;
	row->noninferiority_p_value = NAN;
	row->test = TACT_TEST_NONE;
	row->cuped = 0;
	row->theta = row->variance_reduction = NAN;
}

/* ---- the whole comparison ------------------------------------------ */

static tact_status plan_split(const tact_compare_options *options,
                              tact_compare_result *result, tact_error *error)
{
	size_t a, k;

	result->split = calloc(result->arm_count, sizeof *result->split);
	if (!result->split)
		return tact_error_oom(error);
	if (options->split_count == 0) {
		for (a = 0; a < result->arm_count; a++)
			result->split[a] = 1.0;
		return TACT_OK;
	}
	if (options->split_count != result->arm_count)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--split gives %zu weights for %zu arms",
		                      options->split_count, result->arm_count);
	if (!options->split_arms) {
		memcpy(result->split, options->split,
		       result->arm_count * sizeof *result->split);
		return TACT_OK;
	}
	for (k = 0; k < options->split_count; k++) {
		for (a = 0; a < result->arm_count; a++)
			if (strcmp(result->arms[a], options->split_arms[k]) == 0)
				break;
		if (a == result->arm_count)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--split names arm '%s', which is not in "
			                      "the data", options->split_arms[k]);
		result->split[a] = options->split[k];
	}
	for (a = 0; a < result->arm_count; a++)
		if (result->split[a] == 0)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--split gives no weight to arm '%s'",
			                      result->arms[a]);
	return TACT_OK;
}

static double margin_of(const tact_compare_options *options, const char *metric)
{
	size_t i;

	for (i = 0; i < options->margin_count; i++)
		if (strcmp(options->margins[i].metric, metric) == 0)
			return options->margins[i].margin;
	return NAN;
}

static tact_status check_margins(const tact_summary *summary,
                                 const tact_compare_options *options,
                                 tact_error *error)
{
	size_t i, m;

	for (i = 0; i < options->margin_count; i++) {
		m = tact_summary_metric_index(summary, options->margins[i].metric);
		if (m == TACT_NO_COLUMN ||
		    summary->metrics[m].role != TACT_ROLE_ANNOYANCE ||
		    !summary->metrics[m].binary)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--margin %s: margins apply to 0/1 "
			                      "annoyance metrics, and '%s' is not one",
			                      options->margins[i].metric,
			                      options->margins[i].metric);
	}
	return TACT_OK;
}

static tact_compare_alternative alternative_of(const tact_compare_options *options,
                                               const char *metric)
{
	size_t i;

	for (i = options->alternative_count; i-- > 0;)
		if (strcmp(options->alternatives[i].metric, metric) == 0)
			return options->alternatives[i].alternative;
	return options->alternative;
}

static tact_status check_alternatives(const tact_summary *summary,
                                      const tact_compare_options *options,
                                      tact_error *error)
{
	size_t i, m;
	int one_sided = options->alternative != TACT_ALTERNATIVE_TWO_SIDED;

	for (i = 0; i < options->alternative_count; i++) {
		m = tact_summary_metric_index(summary, options->alternatives[i].metric);
		if (m == TACT_NO_COLUMN ||
		    summary->metrics[m].role == TACT_ROLE_EXPOSURES)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--alternative %s: no compared metric '%s'",
			                      options->alternatives[i].metric,
			                      options->alternatives[i].metric);
		one_sided |= options->alternatives[i].alternative !=
		             TACT_ALTERNATIVE_TWO_SIDED;
	}
	/* A one-sided bound at 1 - a is a two-sided one at 1 - 2a. */
	if (one_sided && !(options->confidence > 0.5))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "one-sided tests need --confidence above 0.5");
	return TACT_OK;
}

/* --sequential and --stratify into the result; rho once, from the nominal
 * alpha.  --margin's non-inferiority test is fixed-horizon: refused with
 * --sequential (TACT_USAGE), as is a bad --tuning. */
static tact_status check_sequential(const tact_compare_options *options,
                                    tact_compare_result *result,
                                    tact_error *error)
{
	const double alpha = 1 - options->confidence;
	tact_status status;

	result->sequential = options->sequential;
	result->stratify = options->stratify;
	result->tuning = options->tuning;
	result->rho[0] = result->rho[1] = NAN;
	if (!options->sequential)
		return TACT_OK;
	if (options->margin_count)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--margin's non-inferiority test is "
		                      "fixed-horizon: not with --sequential");
	if ((status = tact_sequential_rho(alpha, options->tuning,
	                                  TACT_SEQUENTIAL_TWO_SIDED,
	                                  &result->rho[0], error)))
		return status;
	/* One-sided rows need confidence > 0.5 (check_alternatives). */
	if (alpha < 0.5)
		return tact_sequential_rho(alpha, options->tuning,
		                           TACT_SEQUENTIAL_GREATER, &result->rho[1],
		                           error);
	return TACT_OK;
}

/* A metric whose values cannot be negative: 0/1 metrics, and goal or
 * annoyance metrics that are counts (pages, complaints) while neither mean
 * is negative (a negative mean proves negative values).  Value metrics
 * (revenue, with its refunds) are not assumed to be. */
static int nonnegative_metric(const tact_summary *summary, size_t m,
                              const tact_compare_row *row)
{
	if (summary->metrics[m].binary)
		return 1;
	return summary->metrics[m].role != TACT_ROLE_VALUE &&
	       row->mean_arm >= 0 && row->mean_control >= 0;
}

static int compared_metric(const tact_summary *summary, size_t m)
{
	return summary->metrics[m].role != TACT_ROLE_EXPOSURES &&
	       summary->metrics[m].role != TACT_ROLE_COVARIATE;
}

/*
 * privacy: what is hidden is decided once for every tool
 * (tact_privacy_decide, privacy.h); here it is applied.  A segment's units
 * per arm are shown as the plan allows; the sample-ratio and independence
 * figures, computed from all arms' counts, go blank with any hidden arm.
 */
static tact_status suppress_units(tact_compare_result *result,
                                  tact_privacy_plan *plan, tact_error *error)
{
	const size_t S = result->segment_count, A = result->arm_count;
	size_t s, a, m;
	tact_status status;

	if ((status = tact_privacy_decide_segments(&result->cells, result->min_cell,
	                                           result->privacy, plan, error)))
		return status;
	for (s = 0; s < S; s++) {
		tact_compare_segment *seg = &result->segments[s];
		for (a = 0; a < A; a++)
			seg->units_suppressed[a] =
				tact_privacy_hidden(plan, s, a, TACT_PRIVACY_UNITS);
		for (m = 0; m < result->summary->metric_count; m++)
			if (tact_privacy_segment_hidden(plan, s, m))
				seg->independence_statistic[m] = seg->independence_df[m] =
					seg->independence_p_value[m] = NAN;
		if (!tact_privacy_segment_hidden(plan, s, TACT_PRIVACY_UNITS))
			continue;
		seg->srm_statistic = seg->srm_df = seg->srm_p_value = NAN;
		seg->srm_flag = 0;
	}
	return TACT_OK;
}

/* privacy: a row shows the control's and the arm's counts of its metric. */
static int row_hidden(const tact_privacy_plan *plan, const tact_compare_row *row)
{
	return tact_privacy_hidden(plan, row->segment, 0, row->metric) ||
	       tact_privacy_hidden(plan, row->segment, row->arm, row->metric);
}

/* Segment s's sample-ratio check and, with 3+ arms, its tests of
 * independence; observed and table are scratch space for the counts. */
static tact_status segment_test(tact_compare_result *result, size_t s,
                                double *observed, double *table,
                                tact_error *error)
{
	const tact_summary *summary = result->summary;
	tact_compare_segment *seg = &result->segments[s];
	size_t a, m;
	tact_status status;

	for (a = 0; a < result->arm_count; a++)
		observed[a] = (double)seg->units[a];
	if ((status = tact_chisquare_goodness_of_fit(
		     observed, result->split, result->arm_count, &seg->srm_statistic,
		     &seg->srm_df, &seg->srm_p_value, error)))
		return status;
	seg->srm_flag = seg->srm_p_value < TACT_COMPARE_SRM_THRESHOLD;
	if (result->arm_count < 3)
		return TACT_OK;
	for (m = 0; m < summary->metric_count; m++) {
		if (!summary->metrics[m].binary || !compared_metric(summary, m))
			continue;
		for (a = 0; a < result->arm_count; a++) {
			const tact_moments *mo =
				tact_segments_metric(&result->cells, s, a, m);
			table[2 * a] = mo->sum;
			table[2 * a + 1] = (double)mo->n - mo->sum;
		}
		if ((status = tact_chisquare_independence(
			     table, result->arm_count, 2,
			     &seg->independence_statistic[m], &seg->independence_df[m],
			     &seg->independence_p_value[m], error)))
			return status;
	}
	return TACT_OK;
}

/* Every segment's sample-ratio check and tests of independence. */
static tact_status segment_tests(tact_compare_result *result,
                                 tact_error *error)
{
	double *observed = calloc(result->arm_count, sizeof *observed);
	double *table = calloc(2 * result->arm_count, sizeof *table);
	tact_status status = TACT_OK;
	size_t s;

	if (!observed || !table)
		status = tact_error_oom(error);
	for (s = 0; status == TACT_OK && s < result->segment_count; s++)
		status = segment_test(result, s, observed, table, error);
	free(observed);
	free(table);
	return status;
}

/* The next row: arm a against the control for metric m in segment s,
 * tested unless too small or hidden (then suppressed). */
static tact_status add_row(const tact_compare_options *options,
                           tact_compare_result *result,
                           const tact_privacy_plan *plan, size_t s, size_t m,
                           size_t a, tact_error *error)
{
	const tact_summary *summary = result->summary;
	tact_compare_row *row = &result->rows[result->row_count++];
	const tact_moments *arm = tact_segments_metric(&result->cells, s, a, m);
	const tact_moments *control = tact_segments_metric(&result->cells, s, 0, m);
	tact_status status;

	blank_row(row);
	row->segment = s;
	row->metric = m;
	row->arm = a;
	row->up = summary->metrics[m].role != TACT_ROLE_ANNOYANCE;
	row->rate = summary->metrics[m].binary;
	row->family = result->segments[s].pooled ? TACT_FAMILY_POOLED
	                                         : TACT_FAMILY_SEGMENT;
	row->alternative = alternative_of(options, summary->metrics[m].name);
	row->srm_p_value = result->segments[s].srm_p_value;
	row->margin = row->rate ? margin_of(options, summary->metrics[m].name)
	                        : NAN;
	if (arm->n < options->min_cell || control->n < options->min_cell ||
	    arm->n == 0 || control->n == 0 || row_hidden(plan, row)) {
		row->verdict = TACT_VERDICT_SUPPRESSED;
		result->suppressed++;
		return TACT_OK;
	}
	row->n_arm = arm->n;
	row->n_control = control->n;
	row->cuped = summary->covariate_of[m] != TACT_NO_COLUMN;
	status = row->cuped  ? cuped_row(options, result, row, arm, control, error)
	         : row->rate ? rate_row(options, row, arm, control, error)
	                     : mean_row(options, row, arm, control, error);
	if (status == TACT_OK)
		status = effect_test(result, row, error);
	if (status != TACT_OK) {
		char context[TACT_ERROR_MESSAGE_MAX];
		snprintf(context, sizeof context, "%s", error->message);
		tact_error_set(error, status, NULL, 0, 0,
		               "comparing '%s' for arm '%s': %.600s",
		               summary->metrics[m].name, result->arms[a], context);
	}
	return status;
}

/* The rows: per segment, per compared metric, per arm but the control. */
static tact_status add_rows(const tact_compare_options *options,
                            tact_compare_result *result,
                            const tact_privacy_plan *plan, tact_error *error)
{
	const size_t m_count = result->summary->metric_count;
	size_t s, m, a;
	tact_status status;

	result->rows = calloc(result->segment_count * m_count * result->arm_count + 1,
	                      sizeof *result->rows);
	if (!result->rows)
		return tact_error_oom(error);
	for (s = 0; s < result->segment_count; s++)
		for (m = 0; m < m_count; m++) {
			if (!compared_metric(result->summary, m))
				continue;
			for (a = 1; a < result->arm_count; a++)
				if ((status = add_row(options, result, plan, s, m, a, error)))
					return status;
		}
	return TACT_OK;
}

/* Two families (compare.h): the pooled rows, then the segments'.  Sets
 * each tested row's p_adjusted and family_size (tested rows per family). */
static tact_status adjust_families(const tact_compare_options *options,
                                   tact_compare_result *result,
                                   size_t family_size[2], tact_error *error)
{
	double *p_values = malloc((result->row_count + 1) * sizeof *p_values);
	double *adjusted = malloc((result->row_count + 1) * sizeof *adjusted);
	tact_status status = TACT_OK;
	size_t r;
	int family;

	if (!p_values || !adjusted)
		status = tact_error_oom(error);
	for (family = 0; status == TACT_OK && family < 2; family++) {
		for (r = 0; r < result->row_count; r++)
			p_values[r] = result->rows[r].family == (tact_compare_family)family
			                      ? result->rows[r].p_value : NAN;
		if ((status = tact_corrections_adjust(options->correction, p_values,
		                                      result->row_count, adjusted,
		                                      error)))
			break;
		family_size[family] = 0;
		for (r = 0; r < result->row_count; r++) {
			if (isnan(p_values[r]))
				continue;
			family_size[family]++;
			result->rows[r].p_adjusted = adjusted[r];
		}
	}
	free(p_values);
	free(adjusted);
	return status;
}

/* A tested row's verdict, the level of its adjusted test (compare.h) and
 * its intervals at that level and at the unadjusted one. */
static tact_status decide_row(const tact_compare_options *options,
                              const tact_compare_result *result,
                              tact_compare_row *row,
                              const size_t family_size[2], tact_error *error)
{
	const double alpha = 1 - options->confidence;
	const char *ignored_note = NULL;
	int toward, nonnegative;
	double a_row, bounds[4];
	tact_status status;

	/* Only the tested direction can give a verdict. */
	toward = row->alternative == TACT_ALTERNATIVE_GREATER ? row->diff > 0
	         : row->alternative == TACT_ALTERNATIVE_LESS  ? row->diff < 0
	                                                      : row->diff != 0;
	if (row->p_adjusted < alpha && !isnan(row->diff) && toward)
		row->verdict = (row->diff > 0) == (row->up != 0)
		                       ? TACT_VERDICT_BETTER
		                       : TACT_VERDICT_WORSE;
	else
		row->verdict = TACT_VERDICT_INCONCLUSIVE;
	if (isnan(row->p_value))
		return TACT_OK;
	if (options->correction == TACT_CORRECTION_NONE ||
	    row->p_adjusted == row->p_value)
		a_row = alpha;
	else if (row->p_adjusted == 0)
		a_row = alpha / (double)family_size[row->family];
	else
		a_row = alpha * row->p_value / row->p_adjusted;
	row->interval_level = 1 - a_row;
	/* Adjusted means of a metric that cannot be negative can be. */
	nonnegative = !row->cuped &&
	              nonnegative_metric(result->summary, row->metric, row);
	if ((status = row_intervals(result, row, a_row,
	                            row->verdict != TACT_VERDICT_INCONCLUSIVE,
	                            nonnegative, bounds, &row->lift_note, error)))
		return status;
	row->diff_low = bounds[0];
	row->diff_high = bounds[1];
	row->lift_low = bounds[2];
	row->lift_high = bounds[3];
	if ((status = row_intervals(result, row, alpha, -1, nonnegative, bounds,
	                            &ignored_note, error)))
		return status;
	row->diff_low_unadjusted = bounds[0];
	row->diff_high_unadjusted = bounds[1];
	row->lift_low_unadjusted = bounds[2];
	row->lift_high_unadjusted = bounds[3];
	return TACT_OK;
}

tact_status tact_compare_run(const tact_summary *summary,
                             const tact_compare_options *options,
                             tact_compare_result *result, tact_error *error)
{
	size_t s, r, family_size[2] = {0, 0};
	tact_privacy_plan plan = {0};
	tact_status status;

	memset(result, 0, sizeof *result);
	result->summary = summary;
	result->confidence = options->confidence;
	result->correction = options->correction;
	result->min_cell = options->min_cell;
	result->privacy = options->privacy;
	if (!(options->confidence > 0 && options->confidence < 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--confidence must lie between 0 and 1");
	if ((status = check_margins(summary, options, error)) ||
	    (status = check_alternatives(summary, options, error)) ||
	    (status = check_sequential(options, result, error)) ||
	    (status = tact_segments_build(summary, &result->cells, error)))
		return status;
	if (options->stratify && result->cells.count < 2) {
		status = tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                        "--stratify needs segments: a summary with "
		                        "--by columns");
		goto done;
	}
	result->arm_count = result->cells.arm_count;
	result->arms = result->cells.arms;
	if ((status = plan_split(options, result, error)))
		goto done;
	result->segments = calloc(result->cells.count, sizeof *result->segments);
	if (!result->segments) {
		status = tact_error_oom(error);
		goto done;
	}
	for (s = 0; s < result->cells.count; s++) {
		result->segment_count = s + 1;
		if ((status = init_segment(result, s, error)))
			goto done;
	}
	if ((status = segment_tests(result, error)) ||
	    (status = suppress_units(result, &plan, error)) ||
	    (status = add_rows(options, result, &plan, error)) ||
	    (status = adjust_families(options, result, family_size, error)))
		goto done;
	for (r = 0; r < result->row_count; r++)
		if (result->rows[r].verdict != TACT_VERDICT_SUPPRESSED &&
		    (status = decide_row(options, result, &result->rows[r],
		                         family_size, error)))
			goto done;
	status = tact_overflow_check_compare(result, error); /* issue 15 */
done:
	tact_privacy_plan_release(&plan);
	if (status != TACT_OK)
		tact_compare_result_release(result);
	return status;
}
