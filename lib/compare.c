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

#include "bayes.h"
#include "chisquare.h"
#include "means.h"
#include "parse.h"
#include "privacy.h"
#include "proportions.h"

const char *tact_compare_test_name(tact_compare_test test)
{
	switch (test) {
	case TACT_TEST_Z: return "z";
	case TACT_TEST_FISHER: return "fisher";
	case TACT_TEST_WELCH: return "welch";
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

void tact_compare_options_init(tact_compare_options *options)
{
	memset(options, 0, sizeof *options);
	options->confidence = 0.95;
	options->correction = TACT_CORRECTION_HOLM;
	options->min_cell = 10;
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
	tact_compare_options_init(options);
}

static tact_status no_memory(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
}

tact_status tact_compare_parse_split(tact_compare_options *options,
                                     const char *text, tact_error *error)
{
	char *copy = strdup(text), *cursor, *item;
	size_t named = 0, count = 0, i;

	if (!copy)
		return no_memory(error);
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
	return no_memory(error);
}

tact_status tact_compare_parse_margin(tact_compare_options *options,
                                      const char *text, tact_error *error)
{
	const char *equals = strrchr(text, '=');
	tact_compare_margin *grown;
	double margin;

	if (!equals || equals == text ||
	    tact_parse_number(equals + 1, strlen(equals + 1), 0, &margin) != 0 ||
	    !(margin > -1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--margin expects METRIC=RELATIVE (0.1 for "
		                      "+10%%), got '%s'", text);
	grown = realloc(options->margins,
	                (options->margin_count + 1) * sizeof *grown);
	if (!grown)
		return no_memory(error);
	options->margins = grown;
	grown[options->margin_count].metric = strndup(text, (size_t)(equals - text));
	if (!grown[options->margin_count].metric)
		return no_memory(error);
	grown[options->margin_count].margin = margin;
	options->margin_count++;
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
		return no_memory(error);
	for (i = 0; i < m; i++)
		s->independence_statistic[i] = s->independence_df[i] =
			s->independence_p_value[i] = NAN;
	for (i = 0; i < result->arm_count; i++)
		s->units[i] = tact_segments_units(&result->cells, index, i);
	return TACT_OK;
}

/* ---- one row ------------------------------------------------------- */

static tact_status rate_row(const tact_compare_options *options,
                            tact_compare_row *row, const tact_moments *arm,
                            const tact_moments *control, tact_error *error)
{
	tact_proportions_sample a = {arm->sum, (double)arm->n};
	tact_proportions_sample c = {control->sum, (double)control->n};
	const double confidence = options->confidence;
	tact_status status;

	row->mean_arm = a.successes / a.trials;
	row->mean_control = c.successes / c.trials;
	if ((status = tact_proportions_wilson(a, confidence, &row->arm_low,
	                                      &row->arm_high, error)) ||
	    (status = tact_proportions_wilson(c, confidence, &row->control_low,
	                                      &row->control_high, error)) ||
	    (status = tact_proportions_newcombe(a, c, confidence, &row->diff,
	                                        &row->diff_low, &row->diff_high,
	                                        error)) ||
	    (status = tact_proportions_lift(a, c, confidence, &row->lift,
	                                    &row->lift_low, &row->lift_high,
	                                    error)))
		return status;
	if (tact_proportions_use_fisher(a, c)) {
		row->test = TACT_TEST_FISHER;
		row->statistic = NAN;
		status = tact_proportions_fisher(a, c, &row->p_value, error);
	} else {
		row->test = TACT_TEST_Z;
		status = tact_proportions_z_test(a, c, &row->statistic, &row->p_value,
		                                 error);
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

static tact_status mean_row(const tact_compare_options *options,
                            tact_compare_row *row, const tact_moments *arm,
                            const tact_moments *control, tact_error *error)
{
	tact_means_sample a = means_sample(arm), c = means_sample(control);
	tact_means_welch_result welch;
	tact_status status;

	row->mean_arm = a.mean;
	row->mean_control = c.mean;
	row->test = TACT_TEST_WELCH;
	/* A variance needs two values: below that, means but no test. */
	if (arm->n < 2 || control->n < 2) {
		row->test = TACT_TEST_NONE;
		row->diff = a.mean - c.mean;
		return TACT_OK;
	}
	if ((status = tact_means_t_interval(a, options->confidence, &row->arm_low,
	                                    &row->arm_high, error)) ||
	    (status = tact_means_t_interval(c, options->confidence,
	                                    &row->control_low, &row->control_high,
	                                    error)) ||
	    (status = tact_means_welch(a, c, options->confidence, &welch, error)) ||
	    (status = tact_means_lift(a, c, options->confidence, &row->lift,
	                              &row->lift_low, &row->lift_high, error)))
		return status;
	row->diff = welch.difference;
	row->diff_low = welch.lower;
	row->diff_high = welch.upper;
	row->statistic = welch.statistic;
	row->p_value = welch.p_value;
	if (isnan(row->p_value))
		row->test = TACT_TEST_NONE;
	return tact_bayes_means(a, c,
	                        row->up ? TACT_BAYES_HIGHER_IS_BETTER
	                                : TACT_BAYES_LOWER_IS_BETTER,
	                        &row->chance_to_beat, &row->expected_loss, error);
}

static void blank_row(tact_compare_row *row)
{
	row->n_control = row->n_arm = -1;
	row->mean_control = row->control_low = row->control_high = NAN;
	row->mean_arm = row->arm_low = row->arm_high = NAN;
	row->diff = row->diff_low = row->diff_high = NAN;
	row->lift = row->lift_low = row->lift_high = NAN;
	row->statistic = row->p_value = row->p_adjusted = NAN;
	row->chance_to_beat = row->expected_loss = NAN;
	row->noninferiority_p_value = NAN;
	row->test = TACT_TEST_NONE;
}

/* ---- the whole comparison ------------------------------------------ */

static tact_status plan_split(const tact_compare_options *options,
                              tact_compare_result *result, tact_error *error)
{
	size_t a, k;

	result->split = calloc(result->arm_count, sizeof *result->split);
	if (!result->split)
		return no_memory(error);
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

static int compared_metric(const tact_summary *summary, size_t m)
{
	return summary->metrics[m].role != TACT_ROLE_EXPOSURES;
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

tact_status tact_compare_run(const tact_summary *summary,
                             const tact_compare_options *options,
                             tact_compare_result *result, tact_error *error)
{
	const size_t m_count = summary->metric_count;
	size_t a, m, s, r;
	double *p_values = NULL, *adjusted = NULL, *observed = NULL, *table = NULL;
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
	    (status = tact_segments_build(summary, &result->cells, error)))
		return status;
	result->arm_count = result->cells.arm_count;
	result->arms = result->cells.arms;
	if ((status = plan_split(options, result, error)))
		goto done;
	result->segments = calloc(result->cells.count, sizeof *result->segments);
	if (!result->segments) {
		status = no_memory(error);
		goto done;
	}
	for (s = 0; s < result->cells.count; s++) {
		result->segment_count = s + 1;
		if ((status = init_segment(result, s, error)))
			goto done;
	}

	/* Sample-ratio check and, with 3+ arms, independence per segment. */
	observed = calloc(result->arm_count, sizeof *observed);
	table = calloc(2 * result->arm_count, sizeof *table);
	if (!observed || !table) {
		status = no_memory(error);
		goto done;
	}
	for (s = 0; s < result->segment_count; s++) {
		tact_compare_segment *seg = &result->segments[s];
		for (a = 0; a < result->arm_count; a++)
			observed[a] = (double)seg->units[a];
		if ((status = tact_chisquare_goodness_of_fit(
			     observed, result->split, result->arm_count,
			     &seg->srm_statistic, &seg->srm_df, &seg->srm_p_value, error)))
			goto done;
		seg->srm_flag = seg->srm_p_value < TACT_COMPARE_SRM_THRESHOLD;
		if (result->arm_count < 3)
			continue;
		for (m = 0; m < m_count; m++) {
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
				     &seg->independence_statistic[m],
				     &seg->independence_df[m],
				     &seg->independence_p_value[m], error)))
				goto done;
		}
	}
	if ((status = suppress_units(result, &plan, error)))
		goto done;

	/* Rows. */
	result->rows = calloc(result->segment_count * m_count * result->arm_count + 1,
	                      sizeof *result->rows);
	if (!result->rows) {
		status = no_memory(error);
		goto done;
	}
	for (s = 0; s < result->segment_count; s++) {
		for (m = 0; m < m_count; m++) {
			if (!compared_metric(summary, m))
				continue;
			for (a = 1; a < result->arm_count; a++) {
				tact_compare_row *row = &result->rows[result->row_count++];
				const tact_moments *arm =
					tact_segments_metric(&result->cells, s, a, m);
				const tact_moments *control =
					tact_segments_metric(&result->cells, s, 0, m);

				blank_row(row);
				row->segment = s;
				row->metric = m;
				row->arm = a;
				row->up = summary->metrics[m].role != TACT_ROLE_ANNOYANCE;
				row->rate = summary->metrics[m].binary;
				row->srm_p_value = result->segments[s].srm_p_value;
				row->margin = row->rate ? margin_of(options, summary->metrics[m].name)
				                        : NAN;
				if (arm->n < options->min_cell || control->n < options->min_cell ||
				    arm->n == 0 || control->n == 0 ||
				    row_hidden(&plan, row)) {
					row->verdict = TACT_VERDICT_SUPPRESSED;
					result->suppressed++;
					continue;
				}
				row->n_arm = arm->n;
				row->n_control = control->n;
				status = row->rate ? rate_row(options, row, arm, control, error)
				                   : mean_row(options, row, arm, control, error);
				if (status != TACT_OK) {
					char context[TACT_ERROR_MESSAGE_MAX];
					snprintf(context, sizeof context, "%s", error->message);
					tact_error_set(error, status, NULL, 0, 0,
					               "comparing '%s' for arm '%s': %.600s",
					               summary->metrics[m].name,
					               result->arms[a], context);
					goto done;
				}
			}
		}
	}

	/* One family: every tested row of the output. */
	p_values = malloc((result->row_count + 1) * sizeof *p_values);
	adjusted = malloc((result->row_count + 1) * sizeof *adjusted);
	if (!p_values || !adjusted) {
		status = no_memory(error);
		goto done;
	}
	for (r = 0; r < result->row_count; r++)
		p_values[r] = result->rows[r].p_value;
	if ((status = tact_corrections_adjust(options->correction, p_values,
	                                      result->row_count, adjusted, error)))
		goto done;
	for (r = 0; r < result->row_count; r++) {
		tact_compare_row *row = &result->rows[r];
		if (row->verdict == TACT_VERDICT_SUPPRESSED)
			continue;
		row->p_adjusted = adjusted[r];
		if (row->p_adjusted < 1 - options->confidence && !isnan(row->diff) &&
		    row->diff != 0)
			row->verdict = (row->diff > 0) == (row->up != 0)
			                       ? TACT_VERDICT_BETTER
			                       : TACT_VERDICT_WORSE;
		else
			row->verdict = TACT_VERDICT_INCONCLUSIVE;
	}
	status = TACT_OK;
done:
	free(p_values);
	free(adjusted);
	free(observed);
	free(table);
	tact_privacy_plan_release(&plan);
	if (status != TACT_OK)
		tact_compare_result_release(result);
	return status;
}
