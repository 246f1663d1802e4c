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
#include "table.h"

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
			    summary->metrics[m].role != TACT_ROLE_EXPOSURES &&
			    summary->metrics[m].role != TACT_ROLE_COVARIATE)
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
			if (summary->metrics[m].role == TACT_ROLE_EXPOSURES ||
			    summary->metrics[m].role == TACT_ROLE_COVARIATE)
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

/* The figures of a design, in the order of the CSV's columns after kind:
 * baseline, sd, mde_absolute, mde_relative, alpha, power, ratio,
 * n_control, n_arm, n_control_rounded, n_arm_rounded. */
#define DESIGN_FIGURES 11
static const char *const design_columns[DESIGN_FIGURES + 1] = {
	"kind", "baseline", "sd", "mde_absolute", "mde_relative", "alpha",
	"power", "ratio", "n_control", "n_arm", "n_control_rounded",
	"n_arm_rounded"};

static tact_status design_row(const tact_powerplan_design *design,
                              double row[DESIGN_FIGURES], tact_error *error)
{
	/* n_control, n_arm, mde_absolute, mde_relative */
	double f[4] = {NAN, NAN, NAN, NAN};
	const double base = design->baseline;
	tact_status status = design_figures(design, f, error);

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
	return TACT_OK;
}

static tact_status finish(FILE *out, const char *what, tact_error *error)
{
	if (ferror(out))
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot write the %s", what);
	return TACT_OK;
}

tact_status tact_powerplan_design_write_csv(const tact_powerplan_design *design,
                                            FILE *out, tact_error *error)
{
	double row[DESIGN_FIGURES];
	tact_status status = design_row(design, row, error);
	size_t i;

	if (status != TACT_OK)
		return status;
	for (i = 0; i <= DESIGN_FIGURES; i++)
		fprintf(out, "%s%s", i ? "," : "", design_columns[i]);
	putc('\n', out);
	fputs(design->rate ? "rate" : "mean", out);
	for (i = 0; i < DESIGN_FIGURES; i++) {
		putc(',', out);
		tact_format_csv_number(out, row[i]);
	}
	putc('\n', out);
	return finish(out, "plan", error);
}

tact_status tact_powerplan_design_write_json(const tact_powerplan_design *design,
                                             FILE *out, tact_error *error)
{
	double row[DESIGN_FIGURES];
	tact_status status = design_row(design, row, error);
	size_t i;
	int first = 1;

	if (status != TACT_OK)
		return status;
	putc('{', out);
	tact_format_json_string_field(out, "kind", design->rate ? "rate" : "mean",
	                              &first);
	for (i = 0; i < DESIGN_FIGURES; i++)
		tact_format_json_number_field(out, design_columns[i + 1], row[i],
		                              &first);
	fputs("}\n", out);
	return finish(out, "plan", error);
}

/* An effect for a person: "+5.0%" relative, else "+0.25 pt" (a rate) or
 * "+0.376" (a mean) absolute; "-" when neither is known. */
static void effect_text(char *out, size_t size, double relative,
                        double absolute, int rate)
{
	char v[TACT_FORMAT_NUMBER_MAX];

	if (!isnan(relative))
		snprintf(out, size, "+%s%%",
		         tact_format_significant(v, sizeof v, 100 * relative, 3));
	else if (!isnan(absolute))
		snprintf(out, size, "+%s%s",
		         tact_format_significant(v, sizeof v,
		                                 rate ? 100 * absolute : absolute, 3),
		         rate ? " pt" : "");
	else
		snprintf(out, size, "-");
}

/* A rate as a percentage, a mean with four significant digits. */
static void level_text(char *out, size_t size, double value, int rate)
{
	char v[TACT_FORMAT_NUMBER_MAX];

	if (isnan(value))
		snprintf(out, size, "-");
	else if (rate)
		snprintf(out, size, "%s%%", tact_format_fixed(v, sizeof v, 100 * value, 2));
	else
		snprintf(out, size, "%s", tact_format_significant(v, sizeof v, value, 4));
}

/* A count of units for a person ("122,107"), "-" when NaN. */
static void units_text(char *out, size_t size, double units)
{
	if (isnan(units) || units > 9e18)
		snprintf(out, size, "-");
	else
		tact_format_thousands(out, size, (int64_t)ceil(units));
}

/* Add a row of two cells; 0 or -1 on memory. */
static int add_pair(tact_table *table, const char *name, const char *value)
{
	const char *cells[2];

	cells[0] = name;
	cells[1] = value;
	return tact_table_add(table, cells, 0);
}

tact_status tact_powerplan_design_write_table(const tact_powerplan_design *design,
                                              FILE *out, tact_error *error)
{
	static const char *const headers[] = {"figure", "value"};
	double row[DESIGN_FIGURES];
	tact_status status = design_row(design, row, error);
	char base[64], sd[64], relative[64], absolute[64], c[40], p[40], r[40],
		n_control[32], n_arm[32];
	tact_table table;
	int failed;

	if (status != TACT_OK)
		return status;
	level_text(base, sizeof base, row[0], design->rate);
	level_text(sd, sizeof sd, row[1], 0);
	effect_text(relative, sizeof relative, row[3], NAN, design->rate);
	effect_text(absolute, sizeof absolute, NAN, row[2], design->rate);
	snprintf(c, sizeof c, "%s%%",
	         tact_format_significant(r, sizeof r, 100 * design->confidence, 6));
	snprintf(p, sizeof p, "%s%%",
	         tact_format_significant(r, sizeof r, 100 * design->power, 6));
	tact_format_significant(r, sizeof r, design->ratio, 6);
	units_text(n_control, sizeof n_control, row[9]);
	units_text(n_arm, sizeof n_arm, row[10]);
	if (tact_table_init(&table, 2, headers) != 0)
		return tact_error_oom(error);
	failed = add_pair(&table, "baseline", base) ||
	         (!design->rate && add_pair(&table, "sd", sd)) ||
	         add_pair(&table, isnan(design->mde) ? "detectable, relative"
	                                             : "effect, relative",
	                  relative) ||
	         add_pair(&table, isnan(design->mde) ? "detectable, absolute"
	                                             : "effect, absolute",
	                  absolute) ||
	         add_pair(&table, "confidence (two-sided)", c) ||
	         add_pair(&table, "power", p) ||
	         add_pair(&table, "arm per control unit", r) ||
	         add_pair(&table, isnan(design->mde) ? "units, control (given)"
	                                             : "units needed, control",
	                  n_control) ||
	         add_pair(&table, isnan(design->mde) ? "units, arm"
	                                             : "units needed, arm",
	                  n_arm);
	if (failed) {
		tact_table_release(&table);
		return tact_error_oom(error);
	}
	tact_table_align_right(&table, 1);
	tact_table_print(&table, out);
	tact_table_release(&table);
	return finish(out, "plan", error);
}

/* "(all)" or the segment's labels joined by " / ". */
static void segment_text(const tact_powerplan *plan, size_t s, char *out,
                         size_t size)
{
	const tact_summary *summary = plan->cells.summary;
	size_t d, used = 0;

	snprintf(out, size, "(all)");
	for (d = 0; s != 0 && d < summary->dimensions; d++) {
		int n = snprintf(out + used, size - used, "%s%s", d ? " / " : "",
		                 plan->cells.labels[s][d]);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

/* One row's cells for the terminal table (cells point into text). */
static void table_cells(const tact_powerplan *plan, const tact_powerplan_row *row,
                        char text[9][128], const char *cells[9])
{
	size_t i;

	segment_text(plan, row->segment, text[0], sizeof text[0]);
	snprintf(text[1], sizeof text[1], "%s",
	         plan->cells.summary->metrics[row->metric].name);
	for (i = 2; i < 9; i++)
		snprintf(text[i], sizeof text[i], "-");
	if (row->suppressed) {
		snprintf(text[8], sizeof text[8], "suppressed");
	} else {
		tact_format_thousands(text[2], sizeof text[2], row->n_control);
		tact_format_thousands(text[3], sizeof text[3], row->n_arm);
		level_text(text[4], sizeof text[4], row->baseline, row->rate);
		effect_text(text[5], sizeof text[5], row->mde_relative,
		            row->mde_absolute, row->rate);
		if (row->targeted) {
			effect_text(text[6], sizeof text[6], row->target_relative,
			            row->target_absolute, row->rate);
			if (!isnan(row->needed_control)) {
				char a[48], b[48];
				units_text(a, sizeof a, row->needed_control);
				units_text(b, sizeof b, row->needed_arm);
				snprintf(text[7], sizeof text[7], "%s / %s", a, b);
			}
			snprintf(text[8], sizeof text[8], "%s",
			         row->enough > 0 ? "yes" : row->enough == 0 ? "no" : "-");
		}
	}
	for (i = 0; i < 9; i++)
		cells[i] = text[i];
}

tact_status tact_powerplan_write_table(const tact_powerplan *plan, FILE *out,
                                       tact_error *error)
{
	static const char *const headers[] = {
		"segment", "metric", "control", "arm", "baseline", "could detect",
		"target", "needed (control / arm)", "enough"};
	const tact_summary *summary = plan->cells.summary;
	char safe[2][TACT_FORMAT_TEXT_MAX]; /* names, sanitized (format.h) */
	char c[40], p[40];
	size_t a, r, k;

	fprintf(out, "Detectable effects at %s%% power, two-sided at %s%% "
	             "confidence, with each segment's units\n",
	        tact_format_significant(p, sizeof p, 100 * plan->options.power, 6),
	        tact_format_significant(c, sizeof c, 100 * plan->options.confidence,
	                                6));
	if (plan->default_target && plan->default_metric != TACT_NO_COLUMN)
		fprintf(out, "Target: a relative %g%% change of %s (the first goal "
		             "metric; --mde states another)\n",
		        100 * TACT_POWERPLAN_DEFAULT_MDE,
		        tact_format_terminal_text(safe[0], sizeof safe[0],
		                                  summary->metrics[plan->default_metric]
		                                          .name));
	putc('\n', out);
	for (a = 1; a < plan->cells.arm_count; a++) {
		tact_table table;
		if (tact_table_init(&table, 9, headers) != 0)
			return tact_error_oom(error);
		for (k = 2; k < 9; k++)
			tact_table_align_right(&table, k);
		fprintf(out, "%s against %s\n",
		        tact_format_terminal_text(safe[0], sizeof safe[0],
		                                  plan->cells.arms[a]),
		        tact_format_terminal_text(safe[1], sizeof safe[1],
		                                  plan->cells.arms[0]));
		for (r = 0; r < plan->row_count; r++) {
			const tact_powerplan_row *row = &plan->rows[r];
			char text[9][128];
			const char *cells[9];
			if (row->arm != a)
				continue;
			table_cells(plan, row, text, cells);
			if (tact_table_add(&table, cells,
			                   r > 0 && plan->rows[r - 1].segment != row->segment) != 0) {
				tact_table_release(&table);
				return tact_error_oom(error);
			}
		}
		tact_table_print(&table, out);
		tact_table_release(&table);
		putc('\n', out);
	}
	fprintf(out, "could detect: the smallest change the current units detect, "
	             "relative to the control (a rate: a rise)\nenough: whether "
	             "the segment has the units for its target\nsuppressed: a group "
	             "of fewer than %lld units, or a figure that would give one "
	             "away\n",
	        (long long)plan->options.min_cell);
	return finish(out, "power table", error);
}

/* One row as a JSON object. */
static void json_row(const tact_powerplan *plan, const tact_powerplan_row *row,
                     FILE *out)
{
	const tact_summary *summary = plan->cells.summary;
	size_t d;
	int g = 1;

	putc('{', out);
	for (d = 0; d < summary->dimensions; d++)
		tact_format_json_string_field(out, summary->dimension_names[d],
		                              plan->cells.labels[row->segment][d], &g);
	tact_format_json_string_field(out, "metric",
	                              summary->metrics[row->metric].name, &g);
	tact_format_json_string_field(out, "arm", plan->cells.arms[row->arm], &g);
	tact_format_json_key(out, "suppressed", &g);
	fputs(row->suppressed ? "true" : "false", out);
	if (!row->suppressed) {
		tact_format_json_number_field(out, "n_control", (double)row->n_control, &g);
		tact_format_json_number_field(out, "n_arm", (double)row->n_arm, &g);
		tact_format_json_number_field(out, "baseline", row->baseline, &g);
		tact_format_json_number_field(out, "sd", row->sd, &g);
		tact_format_json_number_field(out, "mde_absolute", row->mde_absolute, &g);
		tact_format_json_number_field(out, "mde_relative", row->mde_relative, &g);
		tact_format_json_number_field(out, "target", row->target_relative, &g);
		tact_format_json_number_field(out, "target_absolute",
		                              row->target_absolute, &g);
		tact_format_json_number_field(out, "needed_control",
		                              row->needed_control, &g);
		tact_format_json_number_field(out, "needed_arm", row->needed_arm, &g);
		tact_format_json_key(out, "enough", &g);
		fputs(row->enough < 0 ? "null" : row->enough ? "true" : "false", out);
	}
	putc('}', out);
}

tact_status tact_powerplan_write_json(const tact_powerplan *plan, FILE *out,
                                      tact_error *error)
{
	const tact_summary *summary = plan->cells.summary;
	size_t r;
	int first = 1;

	putc('{', out);
	tact_format_json_number_field(out, "confidence", plan->options.confidence,
	                              &first);
	tact_format_json_number_field(out, "power", plan->options.power, &first);
	tact_format_json_number_field(out, "min_cell",
	                              (double)plan->options.min_cell, &first);
	tact_format_json_string_field(out, "control", plan->cells.arms[0], &first);
	tact_format_json_string_field(
		out, "default_target",
		plan->default_target && plan->default_metric != TACT_NO_COLUMN
			? summary->metrics[plan->default_metric].name
			: NULL,
		&first);
	tact_format_json_key(out, "rows", &first);
	putc('[', out);
	for (r = 0; r < plan->row_count; r++) {
		fputs(r ? ",\n" : "\n", out);
		json_row(plan, &plan->rows[r], out);
	}
	fputs("]}\n", out);
	return finish(out, "power table", error);
}
