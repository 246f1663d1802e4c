/*
 * report.c - running the analyses and writing the report folder
 * atomically (see report.h).  The page itself is report_html.c.
 */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outdir.h"

#define MARKER ".tact-report"

/* "reports/<name of the export without its extension>". */
static char *default_directory(const char *input)
{
	const char *base = strrchr(input, '/');
	char *name, *dot, *path;

	base = base ? base + 1 : input;
	if (strcmp(input, "-") == 0 || !*base)
		base = "stdin";
	name = strdup(base);
	if (!name)
		return NULL;
	dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	path = malloc(strlen(name) + 16);
	if (path)
		sprintf(path, "reports/%s", name);
	free(name);
	return path;
}

static char *join(const char *folder, const char *name)
{
	char *path = malloc(strlen(folder) + strlen(name) + 2);

	if (path)
		sprintf(path, "%s/%s", folder, name);
	return path;
}

typedef tact_status (*writer_fn)(const tact_report_data *data, FILE *out,
                                 tact_error *error);

static tact_status write_file(tact_outdir *folder, const char *name,
                              writer_fn writer, const tact_report_data *data,
                              tact_error *error)
{
	char *path = tact_outdir_file(folder, name);
	FILE *out;
	tact_status status;

	if (!path)
		return tact_error_oom(error);
	out = fopen(path, "w");
	if (!out) {
		status = tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
		                        "cannot create: %s", strerror(errno));
		free(path);
		return status;
	}
	status = writer(data, out, error);
	if (fclose(out) != 0 && status == TACT_OK)
		status = tact_error_set(error, TACT_IOERR, path, 0, 0,
		                        "cannot write: %s", strerror(errno));
	free(path);
	return status;
}

/* ---- the tables -------------------------------------------------------- */

static tact_status compare_csv(const tact_report_data *d, FILE *out,
                               tact_error *error)
{
	return tact_compare_write_csv(&d->compare, out, error);
}

static tact_status compare_json(const tact_report_data *d, FILE *out,
                                tact_error *error)
{
	return tact_compare_write_json(&d->compare, out, error);
}

static tact_status periods_csv(const tact_report_data *d, FILE *out,
                               tact_error *error)
{
	return tact_period_write_csv(&d->periods, out, error);
}

static tact_status frontier_csv(const tact_report_data *d, FILE *out,
                                tact_error *error)
{
	return tact_frontier_write_csv(&d->frontier, out, error);
}

static tact_status frontier_tests(const tact_report_data *d, FILE *out,
                                  tact_error *error)
{
	return tact_frontier_write_tests(&d->frontier, out, error);
}

static tact_status power_csv(const tact_report_data *d, FILE *out,
                             tact_error *error)
{
	return tact_powerplan_write_csv(&d->power, out, error);
}

static tact_status dose_bins(const tact_report_data *d, FILE *out,
                             tact_error *error)
{
	return tact_dose_write_csv(&d->dose, TACT_DOSE_TABLE_BINS, out, error);
}

static tact_status dose_fits(const tact_report_data *d, FILE *out,
                             tact_error *error)
{
	return tact_dose_write_csv(&d->dose, TACT_DOSE_TABLE_FITS, out, error);
}

static tact_status dose_curve(const tact_report_data *d, FILE *out,
                              tact_error *error)
{
	return tact_dose_write_csv(&d->dose, TACT_DOSE_TABLE_CURVE, out, error);
}

static tact_status dose_caps(const tact_report_data *d, FILE *out,
                             tact_error *error)
{
	return tact_dose_write_csv(&d->dose, TACT_DOSE_TABLE_CAPS, out, error);
}

static tact_status target_rules(const tact_report_data *d, FILE *out,
                                 tact_error *error)
{
	return tact_target_write_rules(&d->target, d->options->target,
	                               &d->target_tree, out, error);
}

static tact_status target_csv(const tact_report_data *d, FILE *out,
                              tact_error *error)
{
	return tact_target_write_evaluation(&d->target, d->options->target,
	                                    &d->target_evaluation, out, error);
}

static tact_status target_tree(const tact_report_data *d, FILE *out,
                               tact_error *error)
{
	return tact_target_write_tree(&d->target, &d->target_tree, out, error);
}

static tact_status html(const tact_report_data *d, FILE *out,
                        tact_error *error)
{
	return tact_report_write_html(d, out, error);
}

/* ---- the analyses ------------------------------------------------------ */

/* Does the export have an exposure column?  (A summary input: no.) */
static int has_exposures(const tact_summary *summary)
{
	size_t m;

	for (m = 0; m < summary->metric_count; m++)
		if (summary->metrics[m].role == TACT_ROLE_EXPOSURES)
			return 1;
	return 0;
}

/* A regular file can be read twice; a pipe, a FIFO or <(...) only once:
 * the dose-response's second pass is then left out, as for stdin. */
static int read_once(const char *input)
{
	struct stat info;

	return strcmp(input, "-") == 0 || stat(input, &info) != 0 ||
	       !S_ISREG(info.st_mode);
}

/* A bounded page (report.h): at most TACT_REPORT_ARMS_MAX arms. */
static tact_status check_arm_count(const tact_summary *summary,
                                   const char *input, tact_error *error)
{
	tact_keymap arms;
	size_t g, count;

	tact_keymap_init(&arms);
	for (g = 0; g < summary->group_count; g++)
		if (tact_keymap_intern(&arms, summary->groups[g].arm,
		                       strlen(summary->groups[g].arm),
		                       NULL) == TACT_KEYMAP_NONE) {
			tact_keymap_release(&arms);
			return tact_error_oom(error);
		}
	count = arms.count;
	tact_keymap_release(&arms);
	if (count > TACT_REPORT_ARMS_MAX)
		return tact_error_set(
			error, TACT_DATA, tact_csv_display_name(input), 0, 0,
			"%zu arms: a report draws at most %d (its charts grow with the "
			"arms); compare them with tact-compare, or report on fewer arms",
			count, TACT_REPORT_ARMS_MAX);
	return TACT_OK;
}

/* Whom to personalize for: a third pass (target.h), the policy learned
 * from every unit (as tact-target learn) and valued out of fold (as
 * tact-target eval), on the same options. */
static tact_status target(tact_report_data *d, tact_error *error)
{
	const tact_report_options *o = d->options;
	tact_status status;

	if (d->load.from_summary || read_once(o->input)) {
		d->target_note = strdup("whom to personalize for needs the export "
		                        "itself, read from a file");
		return d->target_note ? TACT_OK : tact_error_oom(error);
	}
	if ((status = tact_target_load(o->input, o->target, &d->target, error)))
		return status;
	if (o->target_loaded)
		o->target_loaded(o->loaded_context, &d->target);
	if ((status = tact_target_learn(&d->target, o->target, o->target->folds,
	                                &d->target_tree, error)) ||
	    (status = tact_target_evaluate(&d->target, o->target,
	                                   &d->target_evaluation, error)))
		return status;
	d->have_target = 1;
	return TACT_OK;
}

static tact_status analyse(tact_report_data *d, tact_error *error)
{
	const tact_report_options *o = d->options;
	tact_status status;

	tact_summary_init(&d->summary);
	status = tact_load(o->input, o->load, &d->summary, &d->load, error);
	if (status != TACT_OK)
		return status;
	if (o->loaded)
		o->loaded(o->loaded_context, &d->summary);
	if ((status = check_arm_count(&d->summary, o->input, error)))
		return status;
	if ((status = tact_compare_run(&d->summary, o->compare, &d->compare,
	                               error)) ||
	    (status = tact_powerplan_run(&d->summary, o->power, &d->power, error)))
		return status;
	/* --time: each period's and the cumulative difference. */
	if (d->summary.periods) {
		if ((status = tact_period_compare(&d->summary, o->compare,
		                                  &d->periods, error)))
			return status;
		d->have_periods = 1;
	}
	if (o->frontier && o->frontier->weight_count > 0) {
		if ((status = tact_frontier_run(&d->summary, o->frontier, &d->frontier,
		                                error)))
			return status;
		d->have_frontier = 1;
	}
	if (o->target && (status = target(d, error)))
		return status;
	if (!has_exposures(&d->summary) || d->load.from_summary ||
	    read_once(o->input)) {
		d->dose_note = strdup(d->load.from_summary || read_once(o->input)
		                          ? "exposure frequency needs the export itself, "
		                            "read from a file"
		                          : "the export has no exposure column");
		return d->dose_note ? TACT_OK : tact_error_oom(error);
	}
	/* Dose-response: a second pass with the exposure count as a dimension. */
	{
		tact_load_options dose_load = *o->load;
		tact_dose_options dose = *o->dose;
		size_t i;

		dose_load.exposure_dimension = 1;
		dose_load.csv.progress = NULL;
		dose_load.time_name = NULL; /* periods: the first pass's */
		dose_load.period_set = 0;
		tact_summary_init(&d->dose_summary);
		status = tact_load(o->input, &dose_load, &d->dose_summary, NULL, error);
		if (status != TACT_OK)
			return status;
		/* The trade-off's weights price the net value curve and the cap. */
		if (d->have_frontier && dose.weight_count == 0) {
			dose.weight_count = o->frontier->weight_count;
			dose.weights = calloc(dose.weight_count, sizeof *dose.weights);
			if (!dose.weights)
				return tact_error_oom(error);
			for (i = 0; i < dose.weight_count; i++) {
				dose.weights[i].metric = o->frontier->weight_metrics[i];
				dose.weights[i].weight = o->frontier->weights[i];
			}
		}
		status = tact_dose_run(&d->dose_summary, &dose, &d->dose, error);
		if (dose.weights != o->dose->weights)
			free(dose.weights);
		if (status != TACT_OK)
			return status;
		d->have_dose = 1;
	}
	return TACT_OK;
}

/* ---- the charts -------------------------------------------------------- */

static char *read_text(const char *path)
{
	FILE *in = fopen(path, "rb");
	char *text = NULL;
	long size;

	if (!in)
		return NULL;
	if (fseek(in, 0, SEEK_END) == 0 && (size = ftell(in)) >= 0 &&
	    fseek(in, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1))) {
		if (fread(text, 1, (size_t)size, in) != (size_t)size) {
			free(text);
			text = NULL;
		} else {
			text[size] = '\0';
		}
	}
	fclose(in);
	return text;
}

static tact_status chart(tact_report_data *d, tact_outdir *dir,
                         tact_plot_kind kind, const char *input,
                         tact_error *error)
{
	const char *name = tact_plot_kind_name(kind), *folder = dir->temporary;
	char file[64];
	tact_plot_options options;
	char *in = join(folder, input), *svg, *png;
	char *curve = NULL, *caps = NULL;
	tact_status status;

	snprintf(file, sizeof file, "%s.svg", name);
	svg = tact_outdir_file(dir, file);
	snprintf(file, sizeof file, "%s.png", name);
	png = tact_outdir_file(dir, file);
	if (!in || !svg || !png) {
		free(in);
		free(svg);
		free(png);
		return tact_error_oom(error);
	}
	tact_plot_options_init(&options);
	options.gnuplot = d->options->gnuplot;
	options.confidence = d->options->compare->confidence;
	options.power = d->options->power->power;
	if (kind == TACT_PLOT_DOSE) {
		curve = join(folder, "dose-curve.csv");
		caps = d->dose.cap_count ? join(folder, "dose-caps.csv") : NULL;
		options.curve_path = curve;
		options.caps_path = caps;
	}
	status = tact_plot_file(kind, in, &options, svg, error);
	if (status == TACT_OK)
		status = tact_plot_file(kind, in, &options, png, error);
	if (status == TACT_OK) {
		d->chart_svg[kind] = read_text(svg);
		d->charts[kind] = d->chart_svg[kind] != NULL;
	} else if (status == TACT_DATA) {
		/* Nothing to draw (every row suppressed): no chart, a note. */
		tact_error_init(error);
		status = TACT_OK;
	}
	free(in);
	free(svg);
	free(png);
	free(curve);
	free(caps);
	return status;
}

int tact_report_weighs_cost(const tact_report_data *d)
{
	size_t k;

	if (!d->have_frontier)
		return 0;
	for (k = 0; k < d->summary.metric_count; k++)
		if (d->frontier.weights[k] < 0)
			return 1;
	return 0;
}

static void data_release(tact_report_data *d)
{
	size_t k;

	tact_compare_result_release(&d->compare);
	if (d->have_periods)
		tact_period_comparison_release(&d->periods);
	if (d->have_frontier)
		tact_frontier_release(&d->frontier);
	tact_powerplan_release(&d->power);
	if (d->have_dose)
		tact_dose_result_release(&d->dose);
	tact_summary_release(&d->dose_summary);
	tact_summary_release(&d->summary);
	for (k = 0; k < TACT_PLOT_KIND_COUNT; k++)
		free(d->chart_svg[k]);
	free(d->dose_note);
	tact_target_evaluation_release(&d->target_evaluation);
	tact_target_data_release(&d->target);
	free(d->target_note);
	free(d->name);
}

tact_status tact_report_write(const tact_report_options *options,
                              char **directory_out, tact_error *error)
{
	tact_report_data d;
	tact_outdir folder, *temporary = &folder;
	char *directory;
	tact_status status;

	*directory_out = NULL;
	memset(&d, 0, sizeof d);
	tact_summary_init(&d.summary);
	tact_summary_init(&d.dose_summary);
	tact_target_data_init(&d.target);
	d.options = options;
	directory = options->directory ? strdup(options->directory)
	                               : default_directory(options->input);
	d.name = strdup(strcmp(options->input, "-") == 0 ? "standard input"
	                                                 : options->input);
	if (!directory || !d.name) {
		free(directory);
		free(d.name);
		return tact_error_oom(error);
	}
	/* Before any work: the folder may be written (outdir.h's rules), and
	 * replacing it would not delete the input. */
	status = tact_outdir_open(&folder, directory, MARKER, error);
	if (status != TACT_OK) {
		free(directory);
		free(d.name);
		return status;
	}
	if (tact_outdir_holds(&folder, options->input)) {
		tact_outdir_abort(&folder);
		status = tact_error_set(error, TACT_USAGE, directory, 0, 0,
		                        "holds the input '%s', which replacing the "
		                        "folder would delete: choose another folder "
		                        "with -o", options->input);
		free(directory);
		free(d.name);
		return status;
	}
	status = analyse(&d, error);
	if (status == TACT_OK &&
	    !((status = write_file(temporary, "compare.csv", compare_csv, &d, error)) ||
	      (status = write_file(temporary, "compare.json", compare_json, &d, error)) ||
	      (status = write_file(temporary, "power.csv", power_csv, &d, error)) ||
	      (d.have_periods &&
	       (status = write_file(temporary, "compare-periods.csv", periods_csv,
	                            &d, error))) ||
	      (d.have_frontier &&
	       ((status = write_file(temporary, "frontier.csv", frontier_csv, &d, error)) ||
	        (status = write_file(temporary, "frontier-tests.csv", frontier_tests,
	                             &d, error)))) ||
	      (d.have_dose &&
	       ((status = write_file(temporary, "dose-bins.csv", dose_bins, &d, error)) ||
	        (status = write_file(temporary, "dose-fits.csv", dose_fits, &d, error)) ||
	        (status = write_file(temporary, "dose-curve.csv", dose_curve, &d, error)) ||
	        (status = write_file(temporary, "dose-caps.csv", dose_caps, &d, error)))) ||
	      (d.have_target &&
	       ((status = write_file(temporary, "target.rules", target_rules, &d, error)) ||
	        (status = write_file(temporary, "target.csv", target_csv, &d, error)) ||
	        (status = write_file(temporary, "target-tree.csv", target_tree, &d,
	                             error)))))) {
		if (!((status = chart(&d, temporary, TACT_PLOT_FOREST, "compare.csv", error)) ||
		      (status = chart(&d, temporary, TACT_PLOT_RATES, "compare.csv", error)) ||
		      (status = chart(&d, temporary, TACT_PLOT_POWER, "power.csv", error)) ||
		      (d.have_periods &&
		       (status = chart(&d, temporary, TACT_PLOT_CUMULATIVE,
		                       "compare-periods.csv", error))) ||
		      (tact_report_weighs_cost(&d) &&
		       (status = chart(&d, temporary, TACT_PLOT_FRONTIER, "frontier.csv",
		                       error))) ||
		      (d.have_dose &&
		       (status = chart(&d, temporary, TACT_PLOT_DOSE, "dose-bins.csv",
		                       error))) ||
		      (d.have_target &&
		       (status = chart(&d, temporary, TACT_PLOT_TREE, "target-tree.csv",
		                       error)))))
			status = write_file(temporary, "index.html", html, &d, error);
	}
	if (status == TACT_OK)
		status = tact_outdir_commit(&folder, "A report written by tact-report",
		                            error);
	else
		tact_outdir_abort(&folder);
	data_release(&d);
	if (status == TACT_OK)
		*directory_out = directory;
	else
		free(directory);
	return status;
}
