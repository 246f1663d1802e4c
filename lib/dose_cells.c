/*
 * dose_cells.c - the analysed arms, and the summary's groups of those arms
 * gathered into segments (the pooled one first) x exposure counts (cells),
 * the arms of one count added up (see dose.h).
 */
#include "dose_internal.h"

#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "segments.h"

typedef struct gather {
	tact_dose_result *result;
	size_t *capacity;           /* per segment: cells allocated */
	size_t segment_capacity;
} gather;

void tact_dose_cell_release(tact_dose_cell *cell)
{
	free(cell->metrics);
	free(cell->pairs);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int arm_listed(const tact_dose_result *result, const char *arm)
{
	size_t a;

	for (a = 0; a < result->arm_count; a++)
		if (strcmp(result->arms[a], arm) == 0)
			return 1;
	return 0;
}

static int summary_has_arm(const tact_summary *summary, const char *arm)
{
	size_t g;

	for (g = 0; g < summary->group_count; g++)
		if (strcmp(summary->groups[g].arm, arm) == 0)
			return 1;
	return 0;
}

static tact_status add_arm(tact_dose_result *result, const char *arm,
                           tact_error *error)
{
	char **grown;

	if (arm_listed(result, arm))
		return TACT_OK;
	grown = realloc(result->arms, (result->arm_count + 1) * sizeof *grown);
	if (!grown)
		return tact_error_oom(error);
	result->arms = grown;
	if (!(grown[result->arm_count] = strdup(arm)))
		return tact_error_oom(error);
	result->arm_count++;
	return TACT_OK;
}

tact_status tact_dose_choose_arms(tact_dose_result *result,
                                  const tact_dose_options *options,
                                  tact_error *error)
{
	const tact_summary *summary = result->summary;
	char list[512];
	size_t g, i;
	tact_status status;

	tact_load_arm_list(summary, list, sizeof list);
	for (i = 0; i < options->arms.count; i++) {
		if (!summary_has_arm(summary, options->arms.items[i]))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "--arms: no arm '%s' in the data; the arms "
			                      "are: %s", options->arms.items[i], list);
		if ((status = add_arm(result, options->arms.items[i], error)))
			return status;
	}
	if (options->arms.count == 0) {
		if (!options->all_arms &&
		    (!summary->control || !summary_has_arm(summary, summary->control)))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "no control arm '%s' to leave out: name it "
			                      "with --control, or choose the arms with "
			                      "--arms (all, or labels); the arms are: %s",
			                      summary->control ? summary->control
			                                       : "control", list);
		for (g = 0; g < summary->group_count; g++) {
			const char *arm = summary->groups[g].arm;
			if (!options->all_arms && strcmp(arm, summary->control) == 0)
				continue;
			if ((status = add_arm(result, arm, error)))
				return status;
		}
		if (result->arm_count == 0)
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "no arm besides the control '%s': give "
			                      "--arms all to analyse it",
			                      summary->control);
	}
	qsort(result->arms, result->arm_count, sizeof *result->arms,
	      compare_strings);
	return TACT_OK;
}

static tact_status append_cell(gather *g, size_t s, int64_t exposures,
                               const tact_summary_group *group,
                               tact_error *error)
{
	tact_dose_result *result = g->result;
	const tact_summary *summary = result->summary;
	tact_dose_segment *seg = &result->segments[s];
	tact_dose_cell *cell;

	if (seg->cell_count == g->capacity[s]) {
		size_t capacity = g->capacity[s] ? 2 * g->capacity[s] : 16;
		tact_dose_cell *grown = realloc(seg->cells, capacity * sizeof *grown);
		if (!grown)
			return tact_error_oom(error);
		seg->cells = grown;
		g->capacity[s] = capacity;
	}
	cell = &seg->cells[seg->cell_count];
	memset(cell, 0, sizeof *cell);
	cell->metrics = malloc((summary->metric_count + 1) * sizeof *cell->metrics);
	cell->pairs = malloc((summary->pair_count + 1) * sizeof *cell->pairs);
	if (!cell->metrics || !cell->pairs) {
		tact_dose_cell_release(cell);
		return tact_error_oom(error);
	}
	seg->cell_count++;
	cell->exposures = exposures;
	cell->units = group->units;
	memcpy(cell->metrics, group->metrics,
	       summary->metric_count * sizeof *cell->metrics);
	memcpy(cell->pairs, group->pairs, summary->pair_count * sizeof *cell->pairs);
	seg->units += group->units;
	return TACT_OK;
}

static int same_segment(const tact_dose_result *result,
                        const tact_dose_segment *seg,
                        const tact_summary_group *group)
{
	size_t d;

	for (d = 0; d < result->dimensions; d++)
		if (strcmp(seg->labels[d], group->labels[d]) != 0)
			return 0;
	return 1;
}

static tact_status new_segment(gather *g, const tact_summary_group *group,
                               size_t *index, tact_error *error)
{
	tact_dose_result *result = g->result;
	tact_dose_segment *seg;
	size_t d;

	if (result->segment_count == g->segment_capacity) {
		size_t capacity = g->segment_capacity ? 2 * g->segment_capacity : 8;
		tact_dose_segment *grown =
			realloc(result->segments, capacity * sizeof *grown);
		size_t *caps = realloc(g->capacity, capacity * sizeof *caps);
		if (grown)
			result->segments = grown;
		if (caps)
			g->capacity = caps;
		if (!grown || !caps)
			return tact_error_oom(error);
		g->segment_capacity = capacity;
	}
	seg = &result->segments[result->segment_count];
	memset(seg, 0, sizeof *seg);
	g->capacity[result->segment_count] = 0;
	*index = result->segment_count++;
	seg->pooled = group == NULL;
	seg->labels = calloc(result->dimensions + 1, sizeof *seg->labels);
	if (!seg->labels)
		return tact_error_oom(error);
	for (d = 0; d < result->dimensions; d++)
		if (!(seg->labels[d] = strdup(group ? group->labels[d]
		                                    : TACT_POOLED_LABEL)))
			return tact_error_oom(error);
	return TACT_OK;
}

static int compare_cells(const void *a, const void *b)
{
	const tact_dose_cell *x = a, *y = b;
	return (x->exposures > y->exposures) - (x->exposures < y->exposures);
}

/* Sort a segment's cells by exposure count and add up those of one count
 * (from several arms, or several segments for the pooled one). */
static void merge_cells(const tact_summary *summary, tact_dose_segment *seg)
{
	size_t c, out = 0, i;

	if (seg->cell_count == 0)
		return;
	qsort(seg->cells, seg->cell_count, sizeof *seg->cells, compare_cells);
	for (c = 1; c < seg->cell_count; c++) {
		tact_dose_cell *into = &seg->cells[out], *from = &seg->cells[c];
		if (from->exposures != into->exposures) {
			seg->cells[++out] = *from;
			continue;
		}
		into->units += from->units;
		for (i = 0; i < summary->metric_count; i++)
			into->metrics[i] = tact_moments_combine(into->metrics[i],
			                                        from->metrics[i]);
		for (i = 0; i < summary->pair_count; i++)
			into->pairs[i] = tact_comoments_combine(into->pairs[i],
			                                        from->pairs[i]);
		tact_dose_cell_release(from);
	}
	seg->cell_count = out + 1;
}

tact_status tact_dose_gather_cells(tact_dose_result *result,
                                   tact_error *error)
{
	const tact_summary *summary = result->summary;
	const size_t last = summary->dimensions - 1;
	gather g;
	size_t i, pooled, current = 0;
	tact_status status = TACT_OK;

	memset(&g, 0, sizeof g);
	g.result = result;
	if ((status = new_segment(&g, NULL, &pooled, error)))
		goto done;
	for (i = 0; i < summary->group_count; i++) {
		const tact_summary_group *group = &summary->groups[i];
		const char *label = group->labels[last];
		int64_t exposures;
		size_t s;

		if (!arm_listed(result, group->arm) || group->units == 0)
			continue;
		if (label[0] == '\0') {
			result->missing_exposures += group->units;
			continue;
		}
		if (tact_dose_parse_count(label, strlen(label), &exposures) != 0) {
			status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                        "the exposure segment '%s' holds '%s', "
			                        "not a count of exposures",
			                        summary->dimension_names[last], label);
			goto done;
		}
		if ((status = append_cell(&g, pooled, exposures, group, error)))
			goto done;
		result->units += group->units;
		if (result->dimensions == 0)
			continue;
		/* Groups come sorted by labels: one segment's are contiguous;
		 * look further back only in case they are not. */
		if (current == 0 ||
		    !same_segment(result, &result->segments[current], group)) {
			for (s = 1; s < result->segment_count; s++)
				if (same_segment(result, &result->segments[s], group))
					break;
			if (s == result->segment_count &&
			    (status = new_segment(&g, group, &s, error)))
				goto done;
			current = s;
		}
		if ((status = append_cell(&g, current, exposures, group, error)))
			goto done;
	}
	for (i = 0; i < result->segment_count; i++)
		merge_cells(summary, &result->segments[i]);
	if (result->units == 0)
		status = tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                        "no unit with an exposure count in the "
		                        "analysed arms");
done:
	free(g.capacity);
	return status;
}
