/*
 * plot_chart.c - from a tool's CSV to a drawn chart: the kinds, the
 * options, reading the table and calling the builder of the kind (see
 * plot.h).
 */
#include "plot_internal.h"

#include <stdlib.h>
#include <string.h>


typedef tact_status (*builder)(const tact_plot_table *table,
                               const tact_plot_options *options,
                               tact_plot_script *script, tact_error *error);

static const struct {
	const char *name;
	const char *source;
	builder build;
	const char *const *required;
} kinds[TACT_PLOT_KIND_COUNT] = {
	[TACT_PLOT_FOREST] = {"forest", "tact-compare", tact_plot_build_forest,
		(const char *const[]){"metric", "direction", "arm", "diff",
		                      "diff_low", "diff_high", "lift", "lift_low",
		                      "lift_high", "test", "verdict", NULL}},
	[TACT_PLOT_RATES] = {"rates", "tact-compare", tact_plot_build_rates,
		(const char *const[]){"metric", "direction", "control", "arm",
		                      "mean_control", "control_low",
		                      "control_high", "mean_arm", "arm_low",
		                      "arm_high", "test", "verdict", NULL}},
	[TACT_PLOT_FRONTIER] = {"frontier", "tact-frontier",
		tact_plot_build_frontier,
		(const char *const[]){"arm", "diff", "verdict", "gain", "gain_low",
		                      "gain_high", "cost", "cost_low", "cost_high",
		                      NULL}},
	[TACT_PLOT_DOSE] = {"dose", "tact-dose",
		tact_plot_build_dose,
		(const char *const[]){"metric", "bin", "mean", "low", "high",
		                      NULL}},
	[TACT_PLOT_POWER] = {"power", "tact-power", tact_plot_build_power,
		(const char *const[]){"metric", "arm", "n_control", "n_arm",
		                      "baseline", "sd", "mde_relative", NULL}},
	[TACT_PLOT_ROC] = {"roc", "tact-intent eval --roc", tact_plot_build_roc,
		(const char *const[]){"class", "false_positive_rate",
		                      "true_positive_rate", NULL}},
	[TACT_PLOT_CALIBRATION] = {"calibration",
		"tact-intent eval --calibration", tact_plot_build_calibration,
		(const char *const[]){"class", "count", "mean_predicted",
		                      "observed_rate", NULL}},
	[TACT_PLOT_TREE] = {"tree", "tact-report (its target-tree.csv)",
		tact_plot_build_tree,
		(const char *const[]){"node", "parent", "question", "leaf",
		                      "decision", "share", NULL}},
	[TACT_PLOT_CUMULATIVE] = {"cumulative", "tact-compare --by-period",
		tact_plot_build_cumulative,
		(const char *const[]){"period", "scope", "metric", "direction",
		                      "arm", "n_arm", "diff", "diff_low",
		                      "diff_high", "test", NULL}},
};

void tact_plot_options_init(tact_plot_options *options)
{
	memset(options, 0, sizeof *options);
	options->format = TACT_PLOT_AUTO;
	options->measure = TACT_PLOT_LIFT;
	options->confidence = 0.95;
	options->power = 0.8;
}

tact_status tact_plot_parse_kind(const char *text, tact_plot_kind *kind,
                                 tact_error *error)
{
	int k;

	for (k = 0; k < TACT_PLOT_KIND_COUNT; k++)
		if (strcmp(text, kinds[k].name) == 0) {
			*kind = (tact_plot_kind)k;
			return TACT_OK;
		}
	return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
	                      "unknown chart '%s': forest, rates, frontier, dose, "
	                      "power, roc, calibration, tree or cumulative", text);
}

const char *tact_plot_kind_name(tact_plot_kind kind)
{
	return (unsigned)kind < TACT_PLOT_KIND_COUNT ? kinds[kind].name : "?";
}

const char *tact_plot_kind_source(tact_plot_kind kind)
{
	return (unsigned)kind < TACT_PLOT_KIND_COUNT ? kinds[kind].source : "?";
}

void tact_plot_script_init(tact_plot_script *script)
{
	memset(script, 0, sizeof *script);
}

void tact_plot_script_release(tact_plot_script *script)
{
	free(script->text);
	tact_plot_script_init(script);
}

/* Read the table of kind from the file at name, or (from_memory) from
 * data[0..length) named name, and build its script. */
static tact_status build(tact_plot_kind kind, const char *name,
                         int from_memory, const char *data, size_t length,
                         const tact_plot_options *options,
                         tact_plot_script *script, tact_error *error)
{
	tact_plot_options defaults;
	tact_plot_table table;
	tact_status status;

	tact_plot_script_init(script);
	if ((unsigned)kind >= TACT_PLOT_KIND_COUNT)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "unknown chart kind");
	if (from_memory)
		status = tact_plot_table_read_memory(&table, name, data, length,
		                                     kinds[kind].source,
		                                     kinds[kind].required, error);
	else
		status = tact_plot_table_read_file(&table, name, kinds[kind].source,
		                                   kinds[kind].required, error);
	if (status == TACT_OK) {
		if (!options) {
			tact_plot_options_init(&defaults);
			options = &defaults;
		}
		status = kinds[kind].build(&table, options, script, error);
		if (status != TACT_OK)
			tact_plot_script_release(script);
	}
	tact_plot_table_release(&table);
	return status;
}

tact_status tact_plot_build_file(tact_plot_kind kind, const char *input,
                                 const tact_plot_options *options,
                                 tact_plot_script *script, tact_error *error)
{
	return build(kind, input, 0, NULL, 0, options, script, error);
}

tact_status tact_plot_build_memory(tact_plot_kind kind, const char *name,
                                   const char *data, size_t length,
                                   const tact_plot_options *options,
                                   tact_plot_script *script,
                                   tact_error *error)
{
	return build(kind, name, 1, data, length, options, script, error);
}

tact_status tact_plot_file(tact_plot_kind kind, const char *input,
                           const tact_plot_options *options,
                           const char *output, tact_error *error)
{
	tact_plot_script script;
	tact_plot_options defaults;
	tact_status status;

	if (!options) {
		tact_plot_options_init(&defaults);
		options = &defaults;
	}
	/* A bad output name is a usage error: say so before reading. */
	if (options->format == TACT_PLOT_AUTO && output &&
	    strcmp(output, "-") != 0) {
		tact_plot_format format;
		status = tact_plot_format_from_path(output, &format, error);
		if (status != TACT_OK)
			return status;
	}
	status = tact_plot_build_file(kind, input, options, &script, error);
	if (status != TACT_OK)
		return status;
	status = tact_plot_render(&script, options, output, error);
	tact_plot_script_release(&script);
	return status;
}
