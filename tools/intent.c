/*
 * tact-intent - infer the intent segment from behaviour: train a model,
 * apply it to an export, evaluate it by cross-validation (or rules).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "intent.h"
#include "intentapply.h"
#include "intenteval.h"
#include "intentfile.h"
#include "outfile.h"
#include "privacy.h"
#include "parse.h"

static const char usage[] =
	"Usage: tact-intent train --label COL --features COLS [OPTION]... [EXPORT]\n"
	"       tact-intent apply [OPTION]... MODEL [EXPORT]\n"
	"       tact-intent eval --label COL --features COLS [OPTION]... [EXPORT]\n"
	"       (--rule 'CLASS: CONDITION'... --default CLASS instead of a model)\n"
	"Read a visitor's intent from behaviour.  train fits an L2-regularized\n"
	"logistic regression (multinomial beyond two classes) on standardized\n"
	"features and writes the model (tact-intent-model(5)); apply appends\n"
	"predicted_LABEL and probability_CLASS columns to every row of an export,\n"
	"keeping every other byte; eval cross-validates and measures.  With no\n"
	"EXPORT, or when EXPORT is -, read standard input.\n"
	"\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	"      --label COL        the class column; for rules, names the predicted one\n"
	"      --features COLS    feature columns: numbers, booleans or labels (one-hot)\n"
	"      --categorical COLS features one-hot encoded even if numeric\n"
	"      --C C, --lambda L  L2 penalty lambda = 1/C (scikit-learn's C) [C 1];\n"
	"                         --C inf or --lambda 0: none\n"
	"      --max-iterations N Newton steps allowed [100]\n"
	"      --max-levels N     levels a categorical feature may have [100]\n"
	"      --rule 'C: COND'   a rule (repeat: the first that matches wins)\n"
	"      --default CLASS    the class when no rule matches [other]\n"
	"      --pre-exposure COLS, --post-exposure COLS   columns measured before\n"
	"                         or after the first exposure\n"
	"      --threshold T      two classes: predict the second from probability T\n"
	"      --priors C=S,...   shift probabilities to these class shares\n"
	"      --consent COL      rows without consent are left out of training and\n"
	"                         evaluation, and left unscored by apply [consent]\n"
	"      --folds K, --seed S, --bins B   eval: folds [5], their seed [1],\n"
	"                         calibration bins [10]\n"
	"      --format FORMAT    eval: csv, table or json [csv]\n"
	"      --roc FILE, --calibration FILE   eval: ROC points, calibration (CSV)\n"
	"      --delimiter C      ',', ';' or 'tab' [detected from the header]\n"
	"      --decimal-comma    numbers use ',' as the decimal mark\n"
	"      --threads N        apply: threads for a large file [one per core]\n"
	"      --min-cell N       train: refuse a class of fewer rows; eval: hide\n"
	"                         counts of fewer people (confusion cells, bins,\n"
	"                         ROC steps) [10]; 1 shows everything\n"
	"      --quiet            no counts on standard error\n"
	"      --help, --version  show this help, or the version, and exit\n"
	"\n"
	"Features measured after exposure (declared, or named like bounce, exit,\n"
	"duration, revenue...) are warned about: an intent inferred from them is\n"
	"not a pre-treatment segment.  See tact-intent(1).\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"70 numerical failure, 73 cannot create output, 74 input/output error.\n";

enum {
	OPT_LABEL = CLI_FIRST_TOOL_OPTION, OPT_FEATURES, OPT_CATEGORICAL, OPT_C,
	OPT_LAMBDA, OPT_MAX_ITERATIONS, OPT_RULE, OPT_DEFAULT, OPT_PRE, OPT_POST,
	OPT_THRESHOLD, OPT_PRIORS, OPT_FOLDS, OPT_SEED, OPT_BINS, OPT_FORMAT,
	OPT_ROC, OPT_CALIBRATION, OPT_CONSENT, OPT_MAX_LEVELS, OPT_MIN_CELL
};

/* A number of at least low; whole when whole is set. */
static double number_option(const char *name, const char *text, double low,
                            int whole)
{
	double value;

	if (tact_parse_number(text, strlen(text), 0, &value) != 0 || value < low ||
	    (whole && value != floor(value)))
		cli_usage_error("--%s must be a %snumber of at least %g, got '%s'",
		                name, whole ? "whole " : "", low, text);
	return value;
}

static void names_option(tact_names *names, const char *name, const char *text)
{
	tact_error error;

	tact_error_init(&error);
	if (tact_names_parse(names, text, &error) != TACT_OK)
		cli_usage_error("--%s: %s", name, error.message);
}

/* Warn about the columns measured, or looking measured, after exposure. */
static void warn_exposure(const tact_intent_model *model,
                          const tact_intent_options *o)
{
	char message[2048];

	tact_intent_model_warning(model, &o->pre_exposure, &o->post_exposure,
	                          message, sizeof message);
	if (message[0])
		cli_warn("%s", message);
}

/* privacy: a class of fewer than min_cell rows is refused (issue 15 item
 * 13): its count would be written into the model, and a class of 7 people
 * is not something to model.  Before the fit. */
static tact_status refuse_small_classes(const tact_intent_model *model,
                                        int64_t min_cell, const char *input,
                                        tact_error *error)
{
	size_t k;

	for (k = 0; k < model->class_count; k++)
		if (model->class_counts[k] < (double)min_cell)
			return tact_error_set(
				error, TACT_DATA, tact_csv_display_name(input), 0, 0,
				"class '%s' of the label '%s' has fewer than --min-cell %lld "
				"rows: too few people to model or to write a count of; merge "
				"it into another class or leave its rows out",
				model->classes[k], model->label, (long long)min_cell);
	return TACT_OK;
}

/* Class labels and categorical levels that print like others (issue 15). */
static void warn_lookalikes(const char *input, size_t class_count,
                            char *const *classes, const tact_intent_model *m)
{
	size_t i, k, shown = 0;
	char kind[160];

	for (i = 0; i < class_count; i++)
		cli_warn_lookalike(input, "class", classes[i], strlen(classes[i]),
		                   &shown);
	for (i = 0; i < m->feature_count; i++)
		for (k = 0; k < m->features[i].level_count; k++) {
			snprintf(kind, sizeof kind, "level of '%.100s'",
			         m->features[i].name);
			cli_warn_lookalike(input, kind, m->features[i].levels[k],
			                   m->features[i].level_lengths[k], &shown);
		}
}

static void train(const tact_intent_options *o, tact_intent_model *model,
                  int64_t min_cell, const char *input, const char *output)
{
	tact_outfile out;
	tact_error error;
	char note[400];

	tact_error_init(&error);
	if (!model->rules) {
		tact_intent_data data;
		tact_status status;

		tact_intent_data_init(&data);
		status = tact_intent_load(input, o, NULL, model, &data, &error);
		if (status == TACT_OK)
			status = refuse_small_classes(model, min_cell, input, &error);
		if (status == TACT_OK)
			status = tact_intent_fit(model, &data, NULL, data.rows, o,
			                         tact_csv_display_name(input), &error);
		tact_intent_data_release(&data);
		if (status != TACT_OK)
			cli_fail(&error);
	}
	if (!model->rules) {
		warn_exposure(model, o);
		warn_lookalikes(input, model->class_count, model->classes, model);
	}
	cli_output_open(&out, output);
	cli_output_close(&out, tact_intent_model_write(model, out.stream, &error),
	                 &error);
	if (!model->rules && !model->converged)
		cli_warn("%s: the fit did not converge in %zu iterations: the model is "
		         "not the optimum (raise --max-iterations, or penalize more)",
		         tact_csv_display_name(input), model->iterations);
	if (!model->rules && !cli_quiet())
		cli_note("%s: %s", tact_csv_display_name(input),
		         tact_intent_model_describe(model, note, sizeof note));
	if (model->rows_excluded_consent > 0)
		cli_note("%s: %.0f rows left out for lack of consent",
		         tact_csv_display_name(input), model->rows_excluded_consent);
}

static void evaluate(const tact_intent_options *o, tact_intent_model *rules,
                     const tact_intent_apply_options *a, const size_t *counts,
                     uint64_t seed, int64_t min_cell,
                     tact_crossval_format format, const char *input,
                     const char *const *outputs)
{
	tact_intent_evaluation e;
	tact_outfile outs[3];
	tact_error error;
	tact_status status;
	size_t f, given = 1;

	tact_error_init(&error);
	tact_intent_evaluation_init(&e);
	if (tact_intent_evaluate(input, o, rules, a->threshold, a->priors,
	                         counts[0], seed, counts[1], &e, &error) != TACT_OK ||
	    tact_intent_suppress(&e, min_cell, &error) != TACT_OK)
		cli_fail(&error);
	if (!rules)
		warn_exposure(&e.encoding, o);
	warn_lookalikes(input, e.class_count, e.classes, &e.encoding);
	for (f = 0; f < e.report.folds; f++)
		if (!e.report.converged[f])
			cli_warn("fold %zu: the fit did not converge in %zu iterations",
			         f + 1, e.report.iterations[f]);
	if (!cli_quiet())
		cli_note("%s: %zu rows evaluated, %.0f left out (no label or an empty "
		         "feature)", tact_csv_display_name(input), e.rows,
		         e.report.rows_left_out);
	if (e.encoding.rows_excluded_consent > 0)
		cli_note("%s: %.0f rows left out for lack of consent",
		         tact_csv_display_name(input), e.encoding.rows_excluded_consent);
	/* The report, the ROC points and the calibration: all or none. */
	cli_output_open(&outs[0], outputs[0]);
	status = tact_crossval_report_write(&e.report, format, outs[0].stream,
	                                    &error);
	for (f = 1; f < 3; f++)
		if (outputs[f])
			cli_output_open(&outs[given++], outputs[f]);
	if (status == TACT_OK && outputs[1])
		status = tact_intent_write_roc(&e, outs[1].stream, min_cell,
		                               &error);
	if (status == TACT_OK && outputs[2])
		tact_crossval_write_calibration(&e.report, outs[given - 1].stream);
	cli_outputs_close(outs, given, status, &error);
	tact_intent_evaluation_release(&e);
}

static void apply(tact_intent_model *model, const char *model_path,
                  const char *input, const tact_intent_apply_options *a,
                  const tact_intent_options *o, const char *output)
{
	tact_intent_apply_report r;
	tact_outfile out;
	tact_error error;
	char note[400];

	tact_error_init(&error);
	if (model_path &&
	    tact_intent_model_read(model_path, model, &error) != TACT_OK)
		cli_fail(&error);
	warn_exposure(model, o);
	cli_output_open(&out, output);
	cli_output_close(&out,
	                 tact_intent_apply(model, input, a, out.stream, &r, &error),
	                 &error);
	tact_intent_apply_describe(&r, note, sizeof note);
	if (r.missing || r.unseen)
		cli_warn("%s: %s", tact_csv_display_name(input), note);
	else if (!cli_quiet())
		cli_note("%s: %s", tact_csv_display_name(input), note);
}

#define ARG(name, value) {name, required_argument, NULL, value}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		ARG("output", 'o'), ARG("label", OPT_LABEL),
		ARG("features", OPT_FEATURES),
		ARG("categorical", OPT_CATEGORICAL), ARG("C", OPT_C),
		ARG("lambda", OPT_LAMBDA),
		ARG("max-iterations", OPT_MAX_ITERATIONS),
		ARG("rule", OPT_RULE), ARG("default", OPT_DEFAULT),
		ARG("pre-exposure", OPT_PRE), ARG("post-exposure", OPT_POST),
		ARG("threshold", OPT_THRESHOLD), ARG("priors", OPT_PRIORS),
		ARG("folds", OPT_FOLDS), ARG("seed", OPT_SEED),
		ARG("bins", OPT_BINS), ARG("format", OPT_FORMAT),
		ARG("roc", OPT_ROC), ARG("calibration", OPT_CALIBRATION),
		ARG("consent", OPT_CONSENT), ARG("max-levels", OPT_MAX_LEVELS),
		ARG("min-cell", OPT_MIN_CELL),
		ARG("delimiter", CLI_DELIMITER), ARG("threads", CLI_THREADS),
		{"decimal-comma", no_argument, NULL, CLI_DECIMAL_COMMA},
		{"quiet", no_argument, NULL, CLI_QUIET},
		CLI_COMMON_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *command = argc > 1 ? argv[1] : "", *default_class = "other";
	const char *outputs[3] = {NULL, NULL, NULL}; /* -o, --roc, --calibration */
	const char **rules = calloc((size_t)argc, sizeof *rules);
	size_t rule_count = 0, counts[2] = {5, 10};     /* --folds, --bins */
	int option, penalty_given = 0;
	int64_t min_cell = 10;
	uint64_t seed = 1;
	tact_crossval_format format = TACT_CROSSVAL_CSV;
	tact_intent_options o;
	tact_intent_apply_options a;
	tact_load_options load;
	tact_intent_model model;
	tact_error error;

	cli_init("tact-intent");
	tact_error_init(&error);
	tact_intent_options_init(&o);
	tact_intent_apply_options_init(&a);
	if (!rules || tact_load_options_init(&load, &error) != TACT_OK)
		cli_fail(&error);
	if (strcmp(command, "--help") == 0)
		cli_help(usage);
	if (strcmp(command, "--version") == 0)
		cli_version();
	if (strcmp(command, "train") && strcmp(command, "apply") &&
	    strcmp(command, "eval"))
		cli_usage_error("expected a command, train, apply or eval%s%s%s",
		                command[0] ? ", got '" : "", command,
		                command[0] ? "'" : "");
	while ((option = cli_getopt(argc - 1, argv + 1, "o:", options)) != -1) {
		if (cli_input_option(&load, option, optarg))
			continue;
		switch (option) {
		case 'o': outputs[0] = optarg; break;
		case OPT_LABEL: o.label = optarg; break;
		case OPT_FEATURES: names_option(&o.features, "features", optarg); break;
		case OPT_CATEGORICAL:
			names_option(&o.categorical, "categorical", optarg);
			break;
		case OPT_PRE: names_option(&o.pre_exposure, "pre-exposure", optarg); break;
		case OPT_POST: names_option(&o.post_exposure, "post-exposure", optarg); break;
		case OPT_C:
		case OPT_LAMBDA:
			if (penalty_given++)
				cli_usage_error("give the penalty once, by --C or --lambda");
			if (option == OPT_C)
				o.lambda = strcmp(optarg, "inf") == 0
				                   ? 0
				                   : 1 / number_option("C", optarg, 1e-300, 0);
			else
				o.lambda = number_option("lambda", optarg, 0, 0);
			break;
		case OPT_MAX_LEVELS:
			o.max_levels = (size_t)number_option("max-levels", optarg, 2, 1);
			break;
		case OPT_MAX_ITERATIONS:
			o.max_iterations = (size_t)number_option("max-iterations", optarg, 1, 1);
			break;
		case OPT_RULE: rules[rule_count++] = optarg; break;
		case OPT_DEFAULT: default_class = optarg; break;
		case OPT_THRESHOLD: a.threshold = number_option("threshold", optarg, 0, 0); break;
		case OPT_PRIORS: a.priors = optarg; break;
		case OPT_FOLDS: counts[0] = (size_t)number_option("folds", optarg, 2, 1); break;
		case OPT_SEED: seed = (uint64_t)number_option("seed", optarg, 0, 1); break;
		case OPT_BINS: counts[1] = (size_t)number_option("bins", optarg, 1, 1); break;
		case OPT_FORMAT:
			(void)cli_choice("format", optarg, "csv,table,json");
			format = optarg[0] == 'c' ? TACT_CROSSVAL_CSV
			         : optarg[0] == 't' ? TACT_CROSSVAL_TABLE
			                            : TACT_CROSSVAL_JSON;
			break;
		case OPT_ROC: outputs[1] = optarg; break;
		case OPT_CONSENT:
			o.consent = a.consent = optarg;
			o.consent_set = a.consent_set = 1;
			break;
		case OPT_CALIBRATION: outputs[2] = optarg; break;
		case OPT_MIN_CELL: min_cell = cli_count("min-cell", optarg); break;
		case CLI_HELP: cli_help(usage);
		case CLI_VERSION: cli_version();
		default: cli_usage_error("unexpected option");
		}
	}
	optind++; /* back to argv's numbering: argv[1] is the command */
	o.decimal_comma = a.decimal_comma = load.decimal_comma;
	o.delimiter = a.delimiter = load.delimiter;
	a.threads = load.threads;
	o.progress = a.progress = cli_progress;
	if (rule_count && o.features.count)
		cli_usage_error("give --features (a model) or --rule, not both");

	tact_intent_model_init(&model);
	if (rule_count && tact_intent_rules(rules, rule_count, default_class,
	                                    o.label ? o.label : "intent", &model,
	                                    &error) != TACT_OK)
		cli_usage_error("%s", error.message);
	if (argc - optind > (command[0] == 'a' && !rule_count ? 2 : 1))
		cli_usage_error("one export at a time");
	if (command[0] == 'a') {
		if (!rule_count && optind >= argc)
			cli_usage_error("apply needs a MODEL file (or --rule)");
		const char *inputs[] = {
			rule_count ? NULL : argv[optind],
			optind + !rule_count < argc ? argv[optind + !rule_count] : "-"};
		cli_check_outputs(outputs, 1, inputs, 2);
		apply(&model, inputs[0], inputs[1], &a, &o, outputs[0]);
	} else {
		const char *input = optind < argc ? argv[optind] : "-";
		if (!rule_count && (!o.label || !o.features.count))
			cli_usage_error("%s needs --label and --features (or --rule)",
			                command);
		if (rule_count && command[0] == 'e' && !o.label)
			cli_usage_error("eval needs --label, the true classes");
		cli_check_outputs(outputs, command[0] == 't' ? 1 : 3, &input, 1);
		if (rule_count)
			warn_exposure(&model, &o);
		if (command[0] == 't')
			train(&o, &model, min_cell, input, outputs[0]);
		else
			evaluate(&o, rule_count ? &model : NULL, &a, counts, seed, min_cell,
			         format,
			         input, outputs);
	}
	tact_intent_model_release(&model);
	tact_intent_options_release(&o);
	tact_load_options_release(&load);
	free(rules);
	cli_exit(TACT_OK);
}
