/*
 * powerplan.c - detectable effects per segment (see powerplan.h).
 */
#include "powerplan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "privacy.h"

void tact_powerplan_options_init(tact_powerplan_options *options)
{
	options->confidence = 0.95;
	options->power = 0.8;
	options->target = NAN;
	options->target_kind = TACT_POWER_ABSOLUTE;
	options->min_cell = 10;
	options->privacy = TACT_PRIVACY_TABLES;
}

void tact_powerplan_release(tact_powerplan *plan)
{
	if (plan->cells.summary)
		tact_segments_release(&plan->cells);
	free(plan->rows);
	memset(plan, 0, sizeof *plan);
}

static tact_status plan_row(const tact_powerplan_options *o,
                            tact_powerplan_row *row, const tact_moments *arm,
                            const tact_moments *control, tact_error *error)
{
	const double alpha = 1 - o->confidence;
	double ratio = (double)arm->n / (double)control->n;
	tact_status status;

	row->baseline = tact_moments_mean(*control);
	row->sd = sqrt(tact_moments_variance(*control));
	if (row->rate) {
		status = tact_power_proportions_mde(row->baseline, (double)control->n,
		                                    alpha, o->power, ratio,
		                                    TACT_POWER_INCREASE,
		                                    &row->mde_absolute,
		                                    &row->mde_relative, error);
		if (status == TACT_OK && !isnan(o->target) && row->baseline > 0 &&
		    row->baseline < 1)
			status = tact_power_proportions_sample_size(
				row->baseline, o->target, o->target_kind, alpha, o->power,
				ratio, &row->needed_control, &row->needed_arm, error);
	} else {
		if (!(row->sd > 0))
			return TACT_OK; /* no spread: nothing to size */
		status = tact_power_means_mde(row->baseline, row->sd,
		                              (double)control->n, alpha, o->power, ratio,
		                              &row->mde_absolute, &row->mde_relative,
		                              error);
		if (status == TACT_OK && !isnan(o->target))
			status = tact_power_means_sample_size(
				row->baseline, row->sd, o->target, o->target_kind, alpha,
				o->power, ratio, &row->needed_control, &row->needed_arm, error);
	}
	if (status != TACT_OK)
		return status;
	if (!isnan(row->needed_control)) {
		row->needed_control = ceil(row->needed_control);
		row->needed_arm = ceil(row->needed_arm);
		row->enough = (double)control->n >= row->needed_control &&
		              (double)arm->n >= row->needed_arm;
	}
	return TACT_OK;
}

/*
 * privacy: what is hidden is decided once for every tool
 * (tact_privacy_decide, privacy.h); a row is suppressed when its control's
 * or its arm's count of the metric is hidden there.
 */
static tact_status suppress_complements(tact_powerplan *plan)
{
	tact_privacy_plan privacy;
	tact_error error;
	tact_status status;
	size_t r;

	tact_error_init(&error);
	if ((status = tact_privacy_decide_segments(&plan->cells,
	                                           plan->options.min_cell,
	                                           plan->options.privacy,
	                                           &privacy, &error)))
		return status;
	for (r = 0; r < plan->row_count; r++) {
		tact_powerplan_row *row = &plan->rows[r];
		row->suppressed |=
			tact_privacy_hidden(&privacy, row->segment, 0, row->metric) ||
			tact_privacy_hidden(&privacy, row->segment, row->arm, row->metric);
	}
	tact_privacy_plan_release(&privacy);
	return TACT_OK;
}

tact_status tact_powerplan_run(const tact_summary *summary,
                               const tact_powerplan_options *options,
                               tact_powerplan *plan, tact_error *error)
{
	size_t s, m, a;
	tact_status status;

	memset(plan, 0, sizeof *plan);
	plan->options = *options;
	if ((status = tact_segments_build(summary, &plan->cells, error)))
		return status;
	plan->rows = calloc(plan->cells.count * summary->metric_count *
	                            plan->cells.arm_count + 1,
	                    sizeof *plan->rows);
	if (!plan->rows) {
		tact_powerplan_release(plan);
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory");
	}
	for (s = 0; s < plan->cells.count; s++)
		for (m = 0; m < summary->metric_count; m++) {
			if (summary->metrics[m].role == TACT_ROLE_EXPOSURES)
				continue;
			for (a = 1; a < plan->cells.arm_count; a++) {
				tact_powerplan_row *row = &plan->rows[plan->row_count++];
				const tact_moments *arm = tact_segments_metric(&plan->cells, s, a, m);
				const tact_moments *control =
					tact_segments_metric(&plan->cells, s, 0, m);
				row->segment = s;
				row->metric = m;
				row->arm = a;
				row->rate = summary->metrics[m].binary;
				row->baseline = row->sd = NAN;
				row->mde_absolute = row->mde_relative = NAN;
				row->needed_control = row->needed_arm = NAN;
				row->enough = -1;
				row->n_control = control->n;
				row->n_arm = arm->n;
				if (arm->n < options->min_cell || control->n < options->min_cell ||
				    arm->n == 0 || control->n == 0) {
					row->suppressed = 1;
					continue;
				}
				if ((status = plan_row(options, row, arm, control, error))) {
					tact_powerplan_release(plan);
					return status;
				}
			}
		}
	if (suppress_complements(plan) != TACT_OK) {
		tact_powerplan_release(plan);
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory");
	}
	return TACT_OK;
}

tact_status tact_powerplan_write_csv(const tact_powerplan *plan, FILE *out,
                                     tact_error *error)
{
	const tact_summary *summary = plan->cells.summary;
	char count[TACT_FORMAT_NUMBER_MAX];
	size_t d, r;

	for (d = 0; d < summary->dimensions; d++) {
		tact_format_csv_string(out, summary->dimension_names[d], ',');
		putc(',', out);
	}
	fputs("metric,control,arm,n_control,n_arm,baseline,sd,mde_absolute,"
	      "mde_relative,target,needed_control,needed_arm,enough\n", out);
	for (r = 0; r < plan->row_count; r++) {
		const tact_powerplan_row *row = &plan->rows[r];
		for (d = 0; d < summary->dimensions; d++) {
			tact_format_csv_string(out, plan->cells.labels[row->segment][d], ',');
			putc(',', out);
		}
		tact_format_csv_string(out, summary->metrics[row->metric].name, ',');
		putc(',', out);
		tact_format_csv_string(out, plan->cells.arms[0], ',');
		putc(',', out);
		tact_format_csv_string(out, plan->cells.arms[row->arm], ',');
		if (row->suppressed) {
			fputs(",,,,,,,,,,suppressed\n", out);
			continue;
		}
		fprintf(out, ",%s", tact_format_count(count, row->n_control));
		fprintf(out, ",%s,", tact_format_count(count, row->n_arm));
		tact_format_csv_number(out, row->baseline);
		putc(',', out);
		tact_format_csv_number(out, row->sd);
		putc(',', out);
		tact_format_csv_number(out, row->mde_absolute);
		putc(',', out);
		tact_format_csv_number(out, row->mde_relative);
		putc(',', out);
		tact_format_csv_number(out, plan->options.target);
		putc(',', out);
		tact_format_csv_number(out, row->needed_control);
		putc(',', out);
		tact_format_csv_number(out, row->needed_arm);
		fputs(row->enough < 0 ? "," : row->enough ? ",yes" : ",no", out);
		putc('\n', out);
	}
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the power table");
	return TACT_OK;
}
