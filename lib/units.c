/*
 * units.c - folding sessions into units (see units.h).
 */
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tact_units_init(tact_units *units, size_t metric_count)
{
	memset(units, 0, sizeof *units);
	tact_keymap_init(&units->ids);
	units->metric_count = metric_count;
}

void tact_units_release(tact_units *units)
{
	tact_keymap_release(&units->ids);
	free(units->values);
	free(units->groups);
	free(units->mixed);
	tact_units_init(units, 0);
}

size_t tact_units_find(const tact_units *units, const char *id, size_t length)
{
	return tact_keymap_find(&units->ids, id, length);
}

/* Room for one more unit.  Returns 0, or -1 on memory. */
static int grow(tact_units *units)
{
	const size_t m = units->metric_count;
	size_t capacity = units->capacity ? units->capacity * 2 : 1024;
	double *v;
	size_t *g;
	unsigned char *mixed;

	if (units->count < units->capacity)
		return 0;
	v = realloc(units->values, capacity * m * sizeof *v);
	if (!v && m)
		return -1;
	units->values = v;
	g = realloc(units->groups, capacity * sizeof *g);
	if (!g)
		return -1;
	units->groups = g;
	mixed = realloc(units->mixed, capacity);
	if (!mixed)
		return -1;
	units->mixed = mixed;
	units->capacity = capacity;
	return 0;
}

tact_status tact_units_append(tact_units *units, size_t group,
                              const double *values, tact_error *error)
{
	const size_t m = units->metric_count;

	if (grow(units) != 0)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory while holding rows");
	units->groups[units->count] = group;
	units->mixed[units->count] = 0;
	if (m)
		memcpy(units->values + units->count * m, values, m * sizeof *values);
	units->count++;
	return TACT_OK;
}

tact_status tact_units_add(tact_units *units, size_t unit, const char *id,
                           size_t length, size_t group, const tact_role *roles,
                           const double *values, tact_error *error)
{
	const size_t m = units->metric_count;
	double *slot;
	size_t i;

	if (unit == TACT_KEYMAP_NONE) {
		unit = tact_keymap_intern(&units->ids, id, length, NULL);
		if (unit == TACT_KEYMAP_NONE || grow(units) != 0)
			goto no_memory;
		units->count = unit + 1;
		units->groups[unit] = group;
		units->mixed[unit] = 0;
		for (i = 0; i < m; i++)
			units->values[unit * m + i] = NAN;
	}
	slot = units->values + unit * m;
	for (i = 0; i < m; i++) {
		double v = values[i];
		if (isnan(v))
			continue;
		if (isnan(slot[i]))
			slot[i] = v;
		else if (roles[i] == TACT_ROLE_GOAL || roles[i] == TACT_ROLE_ANNOYANCE)
			slot[i] = v > slot[i] ? v : slot[i];
		else
			slot[i] += v;
	}
	return TACT_OK;
no_memory:
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "out of memory while holding units");
}

void tact_units_mark_several_arms(tact_units *units, size_t unit)
{
	if (!units->mixed[unit]) {
		units->mixed[unit] = 1;
		units->several_arms++;
	}
}

void tact_units_flush(const tact_units *units, tact_summary *summary,
                      int drop_mixed)
{
	size_t u;

	for (u = 0; u < units->count; u++)
		if (!(drop_mixed && units->mixed[u]))
			tact_summary_add(summary, units->groups[u],
		                 units->values + u * units->metric_count);
}

size_t tact_units_bytes(const tact_units *units)
{
	return tact_keymap_bytes(&units->ids) +
	       units->capacity * (units->metric_count * sizeof(double) +
	                          sizeof(size_t) + 1);
}
