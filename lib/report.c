/*
 * report.c - running the analyses and writing the report folder
 * atomically (see report.h).  The page itself is report_html.c.
 */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".tact-report"

static tact_status no_memory(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
}

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

/* Remove a folder of plain files (the temporary report). */
static void remove_folder(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *entry;
	char file[4096];

	if (!dir)
		return;
	while ((entry = readdir(dir)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		snprintf(file, sizeof file, "%s/%s", path, entry->d_name);
		unlink(file);
	}
	closedir(dir);
	rmdir(path);
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

static tact_status write_file(const char *folder, const char *name,
                              writer_fn writer, const tact_report_data *data,
                              tact_error *error)
{
	char *path = join(folder, name);
	FILE *out;
	tact_status status;

	if (!path)
		return no_memory(error);
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

static tact_status html(const tact_report_data *d, FILE *out,
                        tact_error *error)
{
	return tact_report_write_html(d, out, error);
}

static tact_status marker(const tact_report_data *d, FILE *out,
                          tact_error *error)
{
	(void)d;
	fputs("A report written by tact-report; tact-report replaces this folder "
	      "when asked to write it again.\n", out);
	return ferror(out) ? tact_error_set(error, TACT_IOERR, NULL, 0, 0,
	                                    "cannot write the marker")
	                   : TACT_OK;
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
			return no_memory(error);
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

static tact_status analyse(tact_report_data *d, tact_error *error)
{
	const tact_report_options *o = d->options;
	tact_status status;

	tact_summary_init(&d->summary);
	status = tact_load(o->input, o->load, &d->summary, &d->load, error);
	if (status != TACT_OK)
		return status;
	if ((status = check_arm_count(&d->summary, o->input, error)))
		return status;
	if ((status = tact_compare_run(&d->summary, o->compare, &d->compare,
	                               error)) ||
	    (status = tact_powerplan_run(&d->summary, o->power, &d->power, error)))
		return status;
	if (o->frontier && o->frontier->weight_count > 0) {
		if ((status = tact_frontier_run(&d->summary, o->frontier, &d->frontier,
		                                error)))
			return status;
		d->have_frontier = 1;
	}
	if (!has_exposures(&d->summary) || d->load.from_summary ||
	    strcmp(o->input, "-") == 0) {
		d->dose_note = strdup(d->load.from_summary || strcmp(o->input, "-") == 0
		                          ? "exposure frequency needs the export itself, "
		                            "read from a file"
		                          : "the export has no exposure column");
		return d->dose_note ? TACT_OK : no_memory(error);
	}
	/* Dose-response: a second pass with the exposure count as a dimension. */
	{
		tact_load_options dose_load = *o->load;
		tact_dose_options dose = *o->dose;
		size_t i;

		dose_load.exposure_dimension = 1;
		dose_load.csv.progress = NULL;
		tact_summary_init(&d->dose_summary);
		status = tact_load(o->input, &dose_load, &d->dose_summary, NULL, error);
		if (status != TACT_OK)
			return status;
		/* The trade-off's weights price the net value curve and the cap. */
		if (d->have_frontier && dose.weight_count == 0) {
			dose.weight_count = o->frontier->weight_count;
			dose.weights = calloc(dose.weight_count, sizeof *dose.weights);
			if (!dose.weights)
				return no_memory(error);
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

static tact_status chart(tact_report_data *d, const char *folder,
                         tact_plot_kind kind, const char *input,
                         tact_error *error)
{
	const char *name = tact_plot_kind_name(kind);
	char file[64];
	tact_plot_options options;
	char *in = join(folder, input), *svg, *png;
	char *curve = NULL, *caps = NULL;
	tact_status status;

	snprintf(file, sizeof file, "%s.svg", name);
	svg = join(folder, file);
	snprintf(file, sizeof file, "%s.png", name);
	png = join(folder, file);
	if (!in || !svg || !png) {
		free(in);
		free(svg);
		free(png);
		return no_memory(error);
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

/* ---- the folder -------------------------------------------------------- */

static int is_report(const char *path)
{
	char *marker_path = join(path, MARKER);
	struct stat info;
	int yes = marker_path && stat(marker_path, &info) == 0;

	free(marker_path);
	return yes;
}

/* Move the finished temporary folder into place. */
static tact_status install(const char *temporary, const char *directory,
                           tact_error *error)
{
	struct stat info;
	char *old = NULL;

	if (stat(directory, &info) == 0) {
		if (!S_ISDIR(info.st_mode) || !is_report(directory))
			return tact_error_set(error, TACT_CANTCREAT, directory, 0, 0,
			                      "exists and is not a tact report: remove "
			                      "it or choose another folder with -o");
		old = malloc(strlen(directory) + 16);
		if (!old)
			return no_memory(error);
		sprintf(old, "%s.old-XXXXXX", directory);
		if (!mkdtemp(old) || rmdir(old) != 0 || rename(directory, old) != 0) {
			free(old);
			return tact_error_set(error, TACT_CANTCREAT, directory, 0, 0,
			                      "cannot move the previous report aside: %s",
			                      strerror(errno));
		}
	}
	if (rename(temporary, directory) != 0) {
		int saved = errno;
		if (old)
			rename(old, directory); /* put the previous report back */
		free(old);
		return tact_error_set(error, TACT_CANTCREAT, directory, 0, 0,
		                      "cannot rename into place: %s", strerror(saved));
	}
	if (old) {
		remove_folder(old);
		free(old);
	}
	return TACT_OK;
}

static void data_release(tact_report_data *d)
{
	size_t k;

	tact_compare_result_release(&d->compare);
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
	free(d->name);
}

tact_status tact_report_write(const tact_report_options *options,
                              char **directory_out, tact_error *error)
{
	tact_report_data d;
	char *directory, *temporary = NULL;
	tact_status status;

	*directory_out = NULL;
	memset(&d, 0, sizeof d);
	tact_summary_init(&d.summary);
	tact_summary_init(&d.dose_summary);
	d.options = options;
	directory = options->directory ? strdup(options->directory)
	                               : default_directory(options->input);
	d.name = strdup(strcmp(options->input, "-") == 0 ? "standard input"
	                                                 : options->input);
	if (!directory || !d.name) {
		free(directory);
		free(d.name);
		return no_memory(error);
	}
	/* Trailing slashes would put the temporary folder inside the target. */
	while (strlen(directory) > 1 && directory[strlen(directory) - 1] == '/')
		directory[strlen(directory) - 1] = '\0';

	status = analyse(&d, error);
	if (status == TACT_OK) {
		temporary = malloc(strlen(directory) + 16);
		if (!temporary)
			status = no_memory(error);
		else {
			sprintf(temporary, "%s.tmp-XXXXXX", directory);
			if (!mkdtemp(temporary)) {
				status = tact_error_set(error, TACT_CANTCREAT, directory, 0, 0,
				                        "cannot create the report folder: %s",
				                        strerror(errno));
				free(temporary);
				temporary = NULL;
			} else {
				chmod(temporary, 0755);
			}
		}
	}
	if (status == TACT_OK &&
	    !((status = write_file(temporary, "compare.csv", compare_csv, &d, error)) ||
	      (status = write_file(temporary, "compare.json", compare_json, &d, error)) ||
	      (status = write_file(temporary, "power.csv", power_csv, &d, error)) ||
	      (d.have_frontier &&
	       ((status = write_file(temporary, "frontier.csv", frontier_csv, &d, error)) ||
	        (status = write_file(temporary, "frontier-tests.csv", frontier_tests,
	                             &d, error)))) ||
	      (d.have_dose &&
	       ((status = write_file(temporary, "dose-bins.csv", dose_bins, &d, error)) ||
	        (status = write_file(temporary, "dose-fits.csv", dose_fits, &d, error)) ||
	        (status = write_file(temporary, "dose-curve.csv", dose_curve, &d, error)) ||
	        (status = write_file(temporary, "dose-caps.csv", dose_caps, &d, error)))))) {
		if (!((status = chart(&d, temporary, TACT_PLOT_FOREST, "compare.csv", error)) ||
		      (status = chart(&d, temporary, TACT_PLOT_RATES, "compare.csv", error)) ||
		      (status = chart(&d, temporary, TACT_PLOT_POWER, "power.csv", error)) ||
		      (d.have_frontier &&
		       (status = chart(&d, temporary, TACT_PLOT_FRONTIER, "frontier.csv",
		                       error))) ||
		      (d.have_dose &&
		       (status = chart(&d, temporary, TACT_PLOT_DOSE, "dose-bins.csv",
		                       error)))))
			if (!(status = write_file(temporary, "index.html", html, &d, error)))
				status = write_file(temporary, MARKER, marker, &d, error);
	}
	if (status == TACT_OK)
		status = install(temporary, directory, error);
	if (status != TACT_OK && temporary)
		remove_folder(temporary);
	free(temporary);
	data_release(&d);
	if (status == TACT_OK)
		*directory_out = directory;
	else
		free(directory);
	return status;
}
