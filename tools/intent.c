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
#include "outfile.h"
#include "privacy.h"
#include "parse.h"
#include "rule.h"

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
	"      --rules FILE       rules from a file, one 'C: COND' a line, in order,\n"
	"                         and 'default: CLASS' (as tact-target writes)\n"
	"      --default CLASS    the class when no rule matches [other]\n"
	"      --pre-exposure COLS, --post-exposure COLS   columns measured before\n"
	"                         or after the first exposure\n"
	"      --threshold T      two classes: predict the second from probability T\n"
	"      --priors C=S,...   shift probabilities to these class shares\n"
	"      --consent COL      rows without consent are left out of training and\n"
	"                         evaluation, and left unscored by apply [consent]\n"
	"      --where CONDITION  train, eval: read only the rows where it holds, as\n"
	"                         \"device in (mobile, desktop) and visits >= 2\"\n"
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
	"Each command takes its own options, and refuses another's (64): the\n"
	"model's, --features to --max-levels, are train's and eval's; --threshold\n"
	"and --priors apply's and eval's; --folds to --calibration eval's;\n"
	"--threads apply's.\n"
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
	OPT_ROC, OPT_CALIBRATION, OPT_CONSENT, OPT_MAX_LEVELS, OPT_MIN_CELL,
	OPT_RULES
};

#define ARG(name, value) {name, required_argument, NULL, value}
#define FLAG(name, value) {name, no_argument, NULL, value}
/* Every command's options. */
#define SHARED_OPTIONS                                                  \
	ARG("output", 'o'), ARG("label", OPT_LABEL), ARG("rule", OPT_RULE),  \
	ARG("rules", OPT_RULES), ARG("default", OPT_DEFAULT), ARG("pre-exposure", OPT_PRE),           \
	ARG("post-exposure", OPT_POST), ARG("consent", OPT_CONSENT),         \
	ARG("min-cell", OPT_MIN_CELL), ARG("delimiter", CLI_DELIMITER),      \
	FLAG("decimal-comma", CLI_DECIMAL_COMMA), FLAG("quiet", CLI_QUIET),  \
	CLI_COMMON_OPTIONS
/* The model's: train and eval. */
#define MODEL_OPTIONS                                                   \
	ARG("features", OPT_FEATURES), ARG("categorical", OPT_CATEGORICAL),  \
	ARG("C", OPT_C), ARG("lambda", OPT_LAMBDA),                          \
	ARG("max-iterations", OPT_MAX_ITERATIONS),                           \
	ARG("max-levels", OPT_MAX_LEVELS)
/* Scoring: apply and eval. */
#define SCORING_OPTIONS ARG("threshold", OPT_THRESHOLD), ARG("priors", OPT_PRIORS)
#define EVAL_OPTIONS                                                    \
	ARG("folds", OPT_FOLDS), ARG("seed", OPT_SEED), ARG("bins", OPT_BINS), \
	ARG("format", OPT_FORMAT), ARG("roc", OPT_ROC),                      \
	ARG("calibration", OPT_CALIBRATION)
#define APPLY_OPTIONS ARG("threads", CLI_THREADS)
#define END_OPTIONS {NULL, 0, NULL, 0}

/* --where: the rows train and eval read (apply scores every row). */
#define WHERE_OPTIONS ARG("where", CLI_WHERE)

static const struct option train_options[] = {
	SHARED_OPTIONS, MODEL_OPTIONS, WHERE_OPTIONS, END_OPTIONS};
static const struct option apply_options[] = {
	SHARED_OPTIONS, SCORING_OPTIONS, APPLY_OPTIONS, END_OPTIONS};
static const struct option eval_options[] = {
	SHARED_OPTIONS, MODEL_OPTIONS, SCORING_OPTIONS, EVAL_OPTIONS, WHERE_OPTIONS,
	END_OPTIONS};
static const struct option every_option[] = {
	SHARED_OPTIONS, MODEL_OPTIONS, SCORING_OPTIONS, EVAL_OPTIONS,
	APPLY_OPTIONS, WHERE_OPTIONS, END_OPTIONS};

/* What a command's options set. */
typedef struct settings {
	tact_intent_options o;
	tact_intent_apply_options a;
	tact_load_options load;      /* --delimiter, --decimal-comma, --threads,
	                                --quiet */
	const char *outputs[3];      /* -o, --roc, --calibration */
	const char **rules;          /* --rule and --rules' lines, in order */
	size_t rule_count;
	char **file_rules;           /* --rules' lines (owned) */
	size_t file_rule_count;
	char *file_default;          /* --rules' 'default:' (owned) */
	const char *default_class;   /* --default */
	int default_given;
	int by_rules;                /* --rule or --rules given */
	size_t rest;                 /* arguments left: --rule's bound */
	int penalty_given;           /* --C or --lambda */
	int64_t min_cell;
	uint64_t seed;
	size_t folds, bins;
	tact_crossval_format format;
	tact_intent_model model;     /* the rules, when given */
} settings;

static void names_option(tact_names *names, const char *name, const char *text)
{
	tact_error error;

	tact_error_init(&error);
	cli_value(name, tact_names_parse(names, text, &error), &error);
}

/* --rules FILE: its lines join s->rules where the option stands; its
 * default is the default unless --default is given. */
static void rules_file(settings *s, const char *path)
{
	tact_error error;
	char **lines, *default_class, **kept;
	const char **rules;
	size_t count, i;

	tact_error_init(&error);
	if (tact_rule_file_read(path, &lines, &count, &default_class, &error) !=
	    TACT_OK)
		cli_fail(&error);
	if (default_class && s->file_default)
		cli_usage_error("two rule files give a default: keep one");
	rules = realloc(s->rules, (s->rule_count + count + s->rest + 1) *
	                                  sizeof *rules);
	kept = realloc(s->file_rules, (s->file_rule_count + count + 1) *
	                                      sizeof *kept);
	if (rules)
		s->rules = rules;
	if (kept)
		s->file_rules = kept;
	if (!rules || !kept) {
		tact_error_oom(&error);
		cli_fail(&error);
	}
	for (i = 0; i < count; i++) {
		s->rules[s->rule_count++] = lines[i];
		s->file_rules[s->file_rule_count++] = lines[i];
	}
	free(lines);
	if (default_class)
		s->file_default = default_class;
	if (!count && !default_class)
		cli_usage_error("'%s' has no rule", path);
}

/* One option of the command's table into s. */
static void set_option(settings *s, int option, const char *argument)
{
	if (cli_input_option(&s->load, option, argument))
		return;
	switch (option) {
	case 'o': s->outputs[0] = argument; break;
	case OPT_LABEL: s->o.label = argument; break;
	case OPT_FEATURES: names_option(&s->o.features, "features", argument); break;
	case OPT_CATEGORICAL:
		names_option(&s->o.categorical, "categorical", argument);
		break;
	case OPT_PRE: names_option(&s->o.pre_exposure, "pre-exposure", argument); break;
	case OPT_POST: names_option(&s->o.post_exposure, "post-exposure", argument); break;
	case OPT_C:
	case OPT_LAMBDA:
		if (s->penalty_given++)
			cli_usage_error("give the penalty once, by --C or --lambda");
		if (option == OPT_C)
			s->o.lambda = strcmp(argument, "inf") == 0
			                      ? 0
			                      : 1 / cli_number_at_least("C", argument, 1e-300);
		else
			s->o.lambda = cli_number_at_least("lambda", argument, 0);
		break;
	case OPT_MAX_LEVELS:
		s->o.max_levels = (size_t)cli_count_within("max-levels", argument, 2,
		                                           CLI_NO_LIMIT);
		break;
	case OPT_MAX_ITERATIONS:
		s->o.max_iterations = (size_t)cli_count_within(
			"max-iterations", argument, 1, CLI_NO_LIMIT);
		break;
	case OPT_RULE:
		s->rules[s->rule_count++] = argument;
		s->by_rules = 1;
		break;
	case OPT_RULES:
		rules_file(s, argument);
		s->by_rules = 1;
		break;
	case OPT_DEFAULT:
		s->default_class = argument;
		s->default_given = 1;
		break;
	case OPT_THRESHOLD:
		s->a.threshold = cli_number_at_least("threshold", argument, 0);
		break;
	case OPT_PRIORS: s->a.priors = argument; break;
	case OPT_FOLDS:
		s->folds = (size_t)cli_count_within("folds", argument, 2, CLI_NO_LIMIT);
		break;
	case OPT_SEED: s->seed = (uint64_t)cli_count("seed", argument); break;
	case OPT_BINS:
		s->bins = (size_t)cli_count_within("bins", argument, 1, CLI_NO_LIMIT);
		break;
	case OPT_FORMAT:
		s->format = (tact_crossval_format)cli_choose("format", argument,
		                                             "csv,table,json");
		break;
	case OPT_ROC: s->outputs[1] = argument; break;
	case OPT_CALIBRATION: s->outputs[2] = argument; break;
	case OPT_CONSENT:
		s->o.consent = s->a.consent = argument;
		s->o.consent_set = s->a.consent_set = 1;
		break;
	case OPT_MIN_CELL: s->min_cell = cli_count("min-cell", argument); break;
	case CLI_HELP: cli_help(usage);
	case CLI_VERSION: cli_version();
	default: cli_usage_error("unexpected option");
	}
}

/* Read the options of argv[0], the command, by its table; then the rules,
 * and at most exports (after a model file, for apply) operands. */
static void read_options(settings *s, int argc, char **argv,
                         const struct option *table, int exports)
{
	tact_error error;
	int option;

	memset(s, 0, sizeof *s);
	tact_error_init(&error);
	tact_intent_options_init(&s->o);
	tact_intent_apply_options_init(&s->a);
	tact_intent_model_init(&s->model);
	s->rules = calloc((size_t)argc + 1, sizeof *s->rules);
	s->default_class = "other";
	s->min_cell = 10;
	s->seed = 1;
	s->folds = 5;
	s->bins = 10;
	s->format = TACT_CROSSVAL_CSV;
	if (!s->rules || tact_load_options_init(&s->load, &error) != TACT_OK)
		cli_fail(&error);
	cli_command(argv[0], every_option);
	while ((option = cli_getopt(argc, argv, "o:", table)) != -1) {
		s->rest = (size_t)(argc - optind);
		set_option(s, option, optarg);
	}
	if (s->file_default && !s->default_given)
		s->default_class = s->file_default;
	s->o.decimal_comma = s->a.decimal_comma = s->load.decimal_comma;
	s->o.delimiter = s->a.delimiter = s->load.delimiter;
	s->a.threads = s->load.threads;
	s->o.where = s->load.where;
	s->o.progress = s->a.progress = cli_progress;
	if (s->by_rules && s->o.features.count)
		cli_usage_error("give --features (a model) or --rule, not both");
	if (s->by_rules &&
	    tact_intent_rules(s->rules, s->rule_count, s->default_class,
	                      s->o.label ? s->o.label : "intent", &s->model,
	                      &error) != TACT_OK)
		cli_usage_error("%s", error.message);
	if (argc - optind > exports + (exports == 2 && s->by_rules ? -1 : 0))
		cli_usage_error("one export at a time");
}

static void release(settings *s)
{
	tact_intent_model_release(&s->model);
	tact_intent_options_release(&s->o);
	tact_load_options_release(&s->load);
	free(s->rules);
	tact_rule_file_free(s->file_rules, s->file_rule_count, s->file_default);
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
	if (o->where && !cli_quiet())
		cli_note("%s: %.0f rows dropped by --where",
		         tact_csv_display_name(input), model->rows_excluded_where);
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
	if (o->where && !cli_quiet())
		cli_note("%s: %.0f rows dropped by --where",
		         tact_csv_display_name(input), e.encoding.rows_excluded_where);
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

/* The export of train and eval (command), after their checks; outputs
 * of s->outputs are the command's. */
static const char *model_input(const settings *s, const char *command,
                               size_t outputs, int argc, char **argv)
{
	const char *input = optind < argc ? argv[optind] : "-";

	if (!s->by_rules && (!s->o.label || !s->o.features.count))
		cli_usage_error("%s needs --label and --features (or --rule)", command);
	if (s->by_rules && outputs == 3 && !s->o.label)
		cli_usage_error("eval needs --label, the true classes");
	cli_check_outputs(s->outputs, outputs, &input, 1);
	if (s->by_rules)
		warn_exposure(&s->model, &s->o);
	return input;
}

static void command_train(int argc, char **argv)
{
	settings s;
	const char *input;

	read_options(&s, argc, argv, train_options, 1);
	input = model_input(&s, "train", 1, argc, argv);
	train(&s.o, &s.model, s.min_cell, input, s.outputs[0]);
	release(&s);
}

static void command_eval(int argc, char **argv)
{
	settings s;
	const char *input;
	size_t counts[2];

	read_options(&s, argc, argv, eval_options, 1);
	input = model_input(&s, "eval", 3, argc, argv);
	counts[0] = s.folds;
	counts[1] = s.bins;
	evaluate(&s.o, s.by_rules ? &s.model : NULL, &s.a, counts, s.seed,
	         s.min_cell, s.format, input, s.outputs);
	release(&s);
}

static void command_apply(int argc, char **argv)
{
	settings s;
	const char *inputs[2];

	read_options(&s, argc, argv, apply_options, 2);
	if (!s.by_rules && optind >= argc)
		cli_usage_error("apply needs a MODEL file (or --rule)");
	inputs[0] = s.by_rules ? NULL : argv[optind];
	inputs[1] = optind + !s.by_rules < argc ? argv[optind + !s.by_rules]
	                                          : "-";
	cli_check_outputs(s.outputs, 1, inputs, 2);
	apply(&s.model, inputs[0], inputs[1], &s.a, &s.o, s.outputs[0]);
	release(&s);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(int argc, char **argv);
	} commands[] = {
		{"train", command_train},
		{"apply", command_apply},
		{"eval", command_eval},
	};
	const char *command = argc > 1 ? argv[1] : "";
	size_t i;

	cli_init("tact-intent");
	if (strcmp(command, "--help") == 0)
		cli_help(usage);
	if (strcmp(command, "--version") == 0)
		cli_version();
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(command, commands[i].name) == 0) {
			/* The command's options and operands: argv[1] is its name. */
			commands[i].run(argc - 1, argv + 1);
			cli_exit(TACT_OK);
		}
	cli_usage_error("expected a command, train, apply or eval%s%s%s",
	                command[0] ? ", got '" : "", command,
	                command[0] ? "'" : "");
}
