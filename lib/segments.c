/*
 * segments.c - groups gathered into segments x arms (see segments.h).
 *
 * The pooled segment is the summary's pooled groups when it has them
 * (summary.h: accumulated from the rows as an unsegmented summary's
 * groups, so its figures do not depend on the dimensions to the last bit),
 * else the groups merged by Chan's formulas (summaries written without
 * them: older files, tact-sql).
 */
#include "segments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static tact_status collect_arms(const tact_summary *summary,
                                tact_segments *segments, tact_error *error)
{
	size_t g, a, count = 0;
	char **arms = calloc(summary->group_count + 1, sizeof *arms);
	int has_control = 0;

	if (!arms)
		return tact_error_oom(error);
	segments->arms = arms;
	for (g = 0; g < summary->group_count; g++) {
		const char *arm = summary->groups[g].arm;
		for (a = 0; a < count; a++)
			if (strcmp(arms[a], arm) == 0)
				break;
		if (a < count)
			continue;
		if (!(arms[count] = strdup(arm)))
			return tact_error_oom(error);
		segments->arm_count = ++count;
		if (summary->control && strcmp(arm, summary->control) == 0)
			has_control = 1;
	}
	qsort(arms, count, sizeof *arms, compare_strings);
	if (!summary->control || !has_control) {
		char list[512];
		tact_format_quoted_list(list, sizeof list,
		                        (const char *const *)arms, count);
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "no control arm '%s' in the data: name it with "
		                      "--control; the arms are: %s",
		                      summary->control ? summary->control : "control",
		                      list);
	}
	if (count < 2)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "only one arm ('%s'): there is nothing to compare",
		                      arms[0]);
	for (a = 0; a < count; a++)
		if (strcmp(arms[a], summary->control) == 0)
			break;
	{
		char *control = arms[a];
		memmove(arms + 1, arms, a * sizeof *arms);
		arms[0] = control;
	}
	return TACT_OK;
}

static size_t arm_index(const tact_segments *segments, const char *arm)
{
	size_t a;

	for (a = 0; a < segments->arm_count; a++)
		if (strcmp(segments->arms[a], arm) == 0)
			return a;
	return 0; /* cannot happen: every arm was collected */
}

static int same_labels(const tact_summary *summary,
                       const tact_summary_group *a,
                       const tact_summary_group *b)
{
	size_t d;

	for (d = 0; d < summary->dimensions; d++)
		if (strcmp(a->labels[d], b->labels[d]) != 0)
			return 0;
	return 1;
}

static tact_status add_segment(tact_segments *segments,
                               const tact_summary_group *group,
                               tact_error *error)
{
	const tact_summary *summary = segments->summary;
	char **labels = calloc(summary->dimensions + 1, sizeof *labels);
	size_t d;

	if (!labels)
		return tact_error_oom(error);
	segments->labels[segments->count++] = labels;
	for (d = 0; d < summary->dimensions; d++)
		if (!(labels[d] = strdup(group ? group->labels[d] : TACT_POOLED_LABEL)))
			return tact_error_oom(error);
	return TACT_OK;
}

tact_status tact_segments_build(const tact_summary *summary,
                                tact_segments *segments, tact_error *error)
{
	const size_t m = summary->metric_count, p = summary->pair_count;
	size_t capacity = summary->group_count + 1, g, k, a, own;
	tact_status status;
	int pooled;

	memset(segments, 0, sizeof *segments);
	segments->summary = summary;
	if ((status = collect_arms(summary, segments, error)))
		goto fail;
	segments->labels = calloc(capacity, sizeof *segments->labels);
	segments->units = calloc(capacity * segments->arm_count,
	                         sizeof *segments->units);
	segments->moments = calloc(capacity * segments->arm_count * (m + 1),
	                           sizeof *segments->moments);
	segments->pairs = calloc(capacity * segments->arm_count * (p + 1),
	                         sizeof *segments->pairs);
	if (!segments->labels || !segments->units || !segments->moments ||
	    !segments->pairs) {
		status = tact_error_oom(error);
		goto fail;
	}
	if ((status = add_segment(segments, NULL, error)))
		goto fail;
	pooled = summary->dimensions > 0 && summary->has_pooled;
	for (a = 0; pooled && a < segments->arm_count; a++) {
		const tact_summary_group *group =
			tact_summary_pooled_find(summary, segments->arms[a]);
		size_t i;
		if (!group)
			continue; /* cannot happen: every arm has one */
		segments->units[a] = group->units;
		memcpy(&segments->moments[a * (m + 1)], group->metrics,
		       m * sizeof *group->metrics);
		for (i = 0; i < p; i++)
			segments->pairs[a * (p + 1) + i] = group->pairs[i];
	}
	/* Groups are sorted by labels: a new segment starts where they change. */
	for (g = 0; g < summary->group_count; g++) {
		const tact_summary_group *group = &summary->groups[g];
		if (summary->dimensions > 0 &&
		    (g == 0 || !same_labels(summary, group, &summary->groups[g - 1])) &&
		    (status = add_segment(segments, group, error)))
			goto fail;
		a = arm_index(segments, group->arm);
		own = summary->dimensions > 0 ? segments->count - 1 : 0;
		/* The pooled segment (unless the summary holds it), and the
		 * group's own when there is one. */
		for (k = pooled ? 1 : 0; k < (own ? 2u : 1u); k++) {
			size_t s = k == 0 ? 0 : own, i;
			size_t cell = s * segments->arm_count + a;
			segments->units[cell] += group->units;
			for (i = 0; i < m; i++)
				segments->moments[cell * (m + 1) + i] = tact_moments_combine(
					segments->moments[cell * (m + 1) + i], group->metrics[i]);
			for (i = 0; i < p; i++)
				segments->pairs[cell * (p + 1) + i] = tact_comoments_combine(
					segments->pairs[cell * (p + 1) + i], group->pairs[i]);
		}
	}
	return TACT_OK;
fail:
	tact_segments_release(segments);
	return status;
}

void tact_segments_release(tact_segments *segments)
{
	size_t s, d;

	for (s = 0; s < segments->count; s++) {
		for (d = 0; d < segments->summary->dimensions; d++)
			free(segments->labels[s][d]);
		free(segments->labels[s]);
	}
	free(segments->labels);
	for (s = 0; s < segments->arm_count; s++)
		free(segments->arms[s]);
	free(segments->arms);
	free(segments->units);
	free(segments->moments);
	free(segments->pairs);
	memset(segments, 0, sizeof *segments);
}

int tact_segments_pooled(const tact_segments *segments, size_t s)
{
	(void)segments;
	return s == 0;
}

const tact_moments *tact_segments_metric(const tact_segments *segments,
                                         size_t segment, size_t arm,
                                         size_t metric)
{
	size_t m = segments->summary->metric_count;

	return &segments->moments[(segment * segments->arm_count + arm) * (m + 1) +
	                          metric];
}

const tact_comoments *tact_segments_pair(const tact_segments *segments,
                                         size_t segment, size_t arm,
                                         size_t pair)
{
	size_t p = segments->summary->pair_count;

	return &segments->pairs[(segment * segments->arm_count + arm) * (p + 1) +
	                        pair];
}

int64_t tact_segments_units(const tact_segments *segments, size_t segment,
                            size_t arm)
{
	return segments->units[segment * segments->arm_count + arm];
}

void tact_segments_name(const tact_segments *segments, size_t segment,
                        char *out, size_t size)
{
	const tact_summary *summary = segments->summary;
	size_t d, used = 0;

	if (segment == 0 || summary->dimensions == 0) {
		snprintf(out, size, "all units");
		return;
	}
	out[0] = '\0';
	for (d = 0; d < summary->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s=%s", d ? ", " : "",
		                 summary->dimension_names[d],
		                 segments->labels[segment][d]);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}
