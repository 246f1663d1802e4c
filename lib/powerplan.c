/*
 * powerplan.c - detectable effects per segment (see powerplan.h).
 */
#include "powerplan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "overflow.h"
#include "parse.h"
#include "privacy.h"

void tact_powerplan_options_init(tact_powerplan_options *options)
{
	options->confidence = 0.95;
	options->power = 0.8;
	options->min_cell = 10;
	options->target_count = 0;
	options->targets = NULL;
	options->privacy = TACT_PRIVACY_TABLES;
}

void tact_powerplan_options_release(tact_powerplan_options *options)
{
	size_t i;

	for (i = 0; i < options->target_count; i++)
		free(options->targets[i].metric);
	free(options->targets);
	options->targets = NULL;
	options->target_count = 0;
}

tact_status tact_powerplan_parse_effect(const char *text, double *effect,
                                        tact_power_effect *kind,
                                        tact_error *error)
{
	size_t length = strlen(text);
	double scale = 1;

	*kind = TACT_POWER_RELATIVE;
	if (length > 3 && strcmp(text + length - 3, "abs") == 0) {
		*kind = TACT_POWER_ABSOLUTE;
		length -= 3;
	} else if (length > 1 && text[length - 1] == '%') {
		scale = 0.01;
		length--;
	}
	if (tact_parse_check_range("--mde: the effect", text, length, NULL,
	                           error) != TACT_OK)
		return TACT_USAGE;
	if (tact_parse_number(text, length, 0, effect) != 0 ||
	    !(*effect > 0) || !isfinite(*effect))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--mde expects a positive effect: 5%% or 0.05 "
		                      "(relative), 0.01abs (absolute), optionally "
		                      "after METRIC=, got '%s'", text);
	*effect *= scale;
	return TACT_OK;
}

tact_status tact_powerplan_parse_mde(tact_powerplan_options *options,
                                     const char *text, tact_error *error)
{
	const char *equals = strrchr(text, '=');
	tact_powerplan_target target, *grown;
	tact_status status;

	if (equals == text)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "--mde: METRIC=EFFECT needs a metric, got '%s'",
		                      text);
	status = tact_powerplan_parse_effect(equals ? equals + 1 : text,
	                                     &target.effect, &target.kind, error);
	if (status != TACT_OK)
		return status;
	target.metric = NULL;
	if (equals && !(target.metric = strndup(text, (size_t)(equals - text))))
		return tact_error_oom(error);
	grown = realloc(options->targets,
	                (options->target_count + 1) * sizeof *grown);
	if (!grown) {
		free(target.metric);
		return tact_error_oom(error);
	}
	options->targets = grown;
	grown[options->target_count++] = target;
	return TACT_OK;
}

void tact_powerplan_release(tact_powerplan *plan)
{
	if (plan->cells.summary)
		tact_segments_release(&plan->cells);
	free(plan->rows);
	memset(plan, 0, sizeof *plan);
}

/* The target of metric m: its own --mde (the last given), else the one
 * for every metric (the last given), else the default; NULL for none. */
static const tact_powerplan_target *
target_of(const tact_powerplan *plan, size_t m,
          const tact_powerplan_target *fallback)
{
	const tact_powerplan_options *o = &plan->options;
	const tact_powerplan_target *every = NULL, *own = NULL;
	size_t i;

	for (i = 0; i < o->target_count; i++) {
		if (!o->targets[i].metric)
			every = &o->targets[i];
		else if (strcmp(o->targets[i].metric,
		                plan->cells.summary->metrics[m].name) == 0)
			own = &o->targets[i];
	}
	if (own || every)
		return own ? own : every;
	return plan->default_target && m == plan->default_metric ? fallback : NULL;
}

/* The units needed for the target: NaN when it cannot be sized (a relative
 * change of a baseline 0, a rate it would push outside [0, 1], a baseline
 * of 0 or 1 for a rate). */
static tact_status size_target(const tact_powerplan_options *o,
                               tact_powerplan_row *row, double ratio,
                               const tact_powerplan_target *t,
                               tact_error *error)
{
	const double alpha = 1 - o->confidence;
	const double b = row->baseline;

	row->targeted = 1;
	if (t->kind == TACT_POWER_RELATIVE) {
		row->target_relative = t->effect;
		/* No absolute form of a relative change of 0. */
		row->target_absolute = b != 0 ? t->effect * fabs(b) : NAN;
	} else {
		row->target_absolute = t->effect;
		row->target_relative = b != 0 ? t->effect / fabs(b) : NAN;
	}
	if (row->rate) {
		if (!(b > 0 && b < 1) || b + row->target_absolute > 1)
			return TACT_OK;
		return tact_power_proportions_sample_size(
			b, row->target_absolute, TACT_POWER_ABSOLUTE, alpha, o->power,
			ratio, &row->needed_control, &row->needed_arm, error);
	}
	if (!(row->sd > 0) || isnan(row->target_absolute))
		return TACT_OK;
	return tact_power_means_sample_size(b, row->sd, row->target_absolute,
	                                    TACT_POWER_ABSOLUTE, alpha, o->power,
	                                    ratio, &row->needed_control,
	                                    &row->needed_arm, error);
}

static tact_status plan_row(const tact_powerplan_options *o,
                            tact_powerplan_row *row, const tact_moments *arm,
                            const tact_moments *control,
                            const tact_powerplan_target *target,
                            tact_error *error)
{
	const double alpha = 1 - o->confidence;
	double ratio = (double)arm->n / (double)control->n;
	tact_status status = TACT_OK;

	row->baseline = tact_moments_mean(*control);
	row->sd = sqrt(tact_moments_variance(*control));
	if (row->rate)
		status = tact_power_proportions_mde(row->baseline, (double)control->n,
		                                    alpha, o->power, ratio,
		                                    TACT_POWER_INCREASE,
		                                    &row->mde_absolute,
		                                    &row->mde_relative, error);
	else if (row->sd > 0) /* no spread: nothing to size */
		status = tact_power_means_mde(row->baseline, row->sd,
		                              (double)control->n, alpha, o->power, ratio,
		                              &row->mde_absolute, &row->mde_relative,
		                              error);
	if (status == TACT_OK && target)
		status = size_target(o, row, ratio, target, error);
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
	const tact_powerplan_target fallback = {NULL, TACT_POWERPLAN_DEFAULT_MDE,
	                                        TACT_POWER_RELATIVE};
	size_t s, m, a, i;
	tact_status status;

	memset(plan, 0, sizeof *plan);
	plan->options = *options;
	plan->default_metric = TACT_NO_COLUMN;
	for (i = 0; i < options->target_count; i++) {
		const char *name = options->targets[i].metric;
		for (m = 0; name && m < summary->metric_count; m++)
			if (strcmp(summary->metrics[m].name, name) == 0 &&
			    summary->metrics[m].role != TACT_ROLE_EXPOSURES)
				break;
		if (name && m == summary->metric_count)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "--mde names '%s', which is not a goal, "
			                      "annoyance or value metric of the input",
			                      name);
	}
	if (options->target_count == 0) {
		plan->default_target = 1;
		for (m = 0; m < summary->metric_count; m++)
			if (summary->metrics[m].role == TACT_ROLE_GOAL) {
				plan->default_metric = m;
				break;
			}
	}
	if ((status = tact_segments_build(summary, &plan->cells, error)))
		return status;
	plan->rows = calloc(plan->cells.count * summary->metric_count *
	                            plan->cells.arm_count + 1,
	                    sizeof *plan->rows);
	if (!plan->rows) {
		tact_powerplan_release(plan);
		return tact_error_oom(error);
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
				row->target_relative = row->target_absolute = NAN;
				row->needed_control = row->needed_arm = NAN;
				row->enough = -1;
				row->n_control = control->n;
				row->n_arm = arm->n;
				if (arm->n < options->min_cell || control->n < options->min_cell ||
				    arm->n == 0 || control->n == 0) {
					row->suppressed = 1;
					continue;
				}
				if ((status = plan_row(options, row, arm, control,
				                       target_of(plan, m, &fallback),
				                       error))) {
					tact_powerplan_release(plan);
					return status;
				}
			}
		}
	if (suppress_complements(plan) != TACT_OK) {
		tact_powerplan_release(plan);
		return tact_error_oom(error);
	}
	if ((status = tact_overflow_check_power(plan, error))) {
		tact_powerplan_release(plan);
		return status;
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
	      "mde_relative,target,target_absolute,needed_control,needed_arm,"
	      "enough\n", out);
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
			fputs(",,,,,,,,,,,suppressed\n", out);
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
		tact_format_csv_number(out, row->target_relative);
		putc(',', out);
		tact_format_csv_number(out, row->target_absolute);
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

/* Sample sizes for design->mde, or the detectable effect at design->n:
 * figures not computed stay NaN. */
static tact_status design_figures(const tact_powerplan_design *d,
                                  double figures[4], tact_error *error)
{
	const double alpha = 1 - d->confidence;
	double *n_control = &figures[0], *n_arm = &figures[1];
	double *absolute = &figures[2], *relative = &figures[3];

	if (!isnan(d->mde))
		return d->rate ? tact_power_proportions_sample_size(
		                         d->baseline, d->mde, d->kind, alpha, d->power,
		                         d->ratio, n_control, n_arm, error)
		               : tact_power_means_sample_size(
		                         d->baseline, d->sd, d->mde, d->kind, alpha,
		                         d->power, d->ratio, n_control, n_arm, error);
	return d->rate ? tact_power_proportions_mde(d->baseline, d->n, alpha,
	                                            d->power, d->ratio,
	                                            TACT_POWER_INCREASE, absolute,
	                                            relative, error)
	               : tact_power_means_mde(d->baseline, d->sd, d->n, alpha,
	                                      d->power, d->ratio, absolute,
	                                      relative, error);
}

tact_status tact_powerplan_design_write_csv(const tact_powerplan_design *design,
                                            FILE *out, tact_error *error)
{
	/* n_control, n_arm, mde_absolute, mde_relative */
	double f[4] = {NAN, NAN, NAN, NAN}, row[11];
	const double base = design->baseline;
	tact_status status = design_figures(design, f, error);
	size_t i;

	if (status == TACT_DATA)
		error->status = status = TACT_USAGE; /* the figures are settings */
	if (status != TACT_OK)
		return status;
	if (!isnan(design->mde)) {
		f[2] = design->kind == TACT_POWER_ABSOLUTE ? design->mde
		                                           : design->mde * base;
		f[3] = design->kind == TACT_POWER_RELATIVE ? design->mde
		       : base != 0                         ? design->mde / base
		                                           : NAN;
	} else {
		f[0] = design->n;
		f[1] = design->n * design->ratio;
	}
	row[0] = base;
	row[1] = design->rate ? NAN : design->sd;
	row[2] = f[2];
	row[3] = f[3];
	/* 1 - 0.95 is 0.050000000000000044 in binary: show the level typed. */
	row[4] = nearbyint((1 - design->confidence) * 1e12) / 1e12;
	row[5] = design->power;
	row[6] = design->ratio;
	row[7] = f[0];
	row[8] = f[1];
	row[9] = ceil(f[0]);
	row[10] = ceil(f[1]);
	fputs("kind,baseline,sd,mde_absolute,mde_relative,alpha,power,ratio,"
	      "n_control,n_arm,n_control_rounded,n_arm_rounded\n", out);
	fputs(design->rate ? "rate" : "mean", out);
	for (i = 0; i < 11; i++) {
		putc(',', out);
		tact_format_csv_number(out, row[i]);
	}
	putc('\n', out);
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the plan");
	return TACT_OK;
}
