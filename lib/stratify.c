/*
 * stratify.c - the post-stratified difference and its variance (see
 * stratify.h).
 */
#include "stratify.h"

#include <math.h>

static int usable(const tact_stratify_stratum *s)
{
	return s->units > 0 && isfinite(s->units) && isfinite(s->arm_mean) &&
	       isfinite(s->control_mean) && s->arm_v >= 0 && isfinite(s->arm_v) &&
	       s->control_v >= 0 && isfinite(s->control_v);
}

tact_status tact_stratify_combine(const tact_stratify_stratum *strata,
                                  size_t count, tact_stratify_result *result,
                                  tact_error *error)
{
	double total = 0, arm = 0, control = 0, arm_v = 0, control_v = 0;
	size_t i;

	result->estimate = result->se = NAN;
	result->arm_mean = result->arm_v = NAN;
	result->control_mean = result->control_v = result->units = NAN;
	if (count == 0)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "post-stratification needs at least one "
		                      "stratum");
	for (i = 0; i < count; i++) {
		if (!usable(&strata[i]))
			return tact_error_set(error, TACT_DATA, NULL, 0, 0,
			                      "stratum %zu has no usable units, means "
			                      "or variances", i + 1);
		total += strata[i].units;
	}
	for (i = 0; i < count; i++) {
		const double w = strata[i].units / total;
		arm += w * strata[i].arm_mean;
		control += w * strata[i].control_mean;
		arm_v += w * w * strata[i].arm_v;
		control_v += w * w * strata[i].control_v;
	}
	result->units = total;
	result->arm_mean = arm;
	result->control_mean = control;
	result->arm_v = arm_v;
	result->control_v = control_v;
	/* sum w (a - c), as the difference of the weighted means: the very
	 * numbers Fieller's lift interval reads, so both agree on 0. */
	result->estimate = arm - control;
	result->se = sqrt(arm_v + control_v);
	return TACT_OK;
}
