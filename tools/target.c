/*
 * tact-target - whom to personalize for: learn a targeting policy from a
 * randomized experiment, and value it out of fold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "intent.h"
#include "target.h"
#include "weights.h"

static const char usage[] =
	"Usage: tact-target learn --features COLS --weights M=V,... [OPTION]... [EXPORT]\n"
	"       tact-target eval --features COLS --weights M=V,... [OPTION]... [EXPORT]\n"
	"Learn whom to personalize for from a randomized experiment: a policy\n"
	"'personalize' or 'hold back' per visitor, from what is known before\n"
	"exposure, maximizing the mean net value (sum of weight x outcome, as in\n"
	"tact-frontier).  Doubly robust scores, cross-fitted (logistic outcome\n"
	"models per arm, the assignment share as propensity), then the best tree\n"
	"of depth 2 on binned features, no leaf under --min-cell units of each arm.\n"
	"learn writes the policy as rules (tact-intent apply --rules FILE --label\n"
	"policy appends predicted_policy); eval values it out of fold (a tree\n"
	"learned on the other folds decides for each fold) per 1,000 units,\n"
	"against personalizing no one and everyone, with intervals.  EXPORT is a\n"
	"raw export; - or nothing is standard input.\n"
	"\n"
	"      --features COLS    columns known before exposure: numbers or labels\n"
	"      --weights LIST     value of one event: converted=40,bounced=-0.5,\n"
	"                         unsubscribed=-12 (revenue=1 weighs a value metric)\n"
	"      --treatment ARM    the arm to target, against the control [the only\n"
	"                         other arm]; several arms: one policy per arm\n"
	"      --depth D          tree depth, 1 to 3 [2]\n"
	"      --bins B           cut points of a number: B quantile bins [10]\n"
	"      --folds K, --seed S  cross-fitting folds [5] and their seed [1]\n"
	"      --min-cell N       units of each arm a leaf must hold [10]\n"
	"      --confidence X     eval: intervals [0.95]\n"
	"      --by COLS          eval: also value personalizing the segments whose\n"
	"                         scores add up above 0, out of fold [no segments]\n"
	"      --scores FILE      each unit's fold and doubly robust scores (CSV;\n"
	"                         eval: and its out-of-fold decision)\n"
	"      --pre-exposure COLS, --post-exposure COLS   features measured before\n"
	"                         or after the first exposure (tact-intent's rule)\n"
	"  -o, --output FILE      write to FILE (complete or not at all) [stdout]\n"
	CLI_INPUT_HELP CLI_COMMON_HELP
	"\n"
	"Features measured after exposure (declared, or named like bounce, exit,\n"
	"duration, revenue...) are warned about.  See tact-target(1).\n"
	"Exit status: 0 success, 64 usage, 65 bad data, 66 cannot open input,\n"
	"70 numerical failure, 73 cannot create output, 74 input/output error.\n";

enum {
	OPT_FEATURES = CLI_FIRST_TOOL_OPTION, OPT_WEIGHTS, OPT_TREATMENT,
	OPT_DEPTH, OPT_BINS, OPT_FOLDS, OPT_SEED, OPT_SCORES, OPT_PRE, OPT_POST
};

typedef struct settings {
	cli_options cli;
	tact_target_options o;
	tact_names features, pre, post;
	char **metrics;
	double *weights;
	size_t metric_count;
	const char *scores;
	double confidence;
	int64_t min_cell;
} settings;

static void names_option(tact_names *names, const char *name, const char *text)
{
	tact_error error;

	tact_error_init(&error);
	tact_names_release(names);
	cli_value(name, tact_names_parse(names, text, &error), &error);
}

static void read_options(settings *s, const char *name, int argc, char **argv)
{
	static const struct option options[] = {
		{"features", required_argument, NULL, OPT_FEATURES},
		{"weights", required_argument, NULL, OPT_WEIGHTS},
		{"treatment", required_argument, NULL, OPT_TREATMENT},
		{"depth", required_argument, NULL, OPT_DEPTH},
		{"bins", required_argument, NULL, OPT_BINS},
		{"folds", required_argument, NULL, OPT_FOLDS},
		{"seed", required_argument, NULL, OPT_SEED},
		{"scores", required_argument, NULL, OPT_SCORES},
		{"pre-exposure", required_argument, NULL, OPT_PRE},
		{"post-exposure", required_argument, NULL, OPT_POST},
		CLI_OUTPUT_OPTION, CLI_CONFIDENCE_OPTION, CLI_MIN_CELL_OPTION,
		CLI_INPUT_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	tact_error error;
	int option;

	memset(s, 0, sizeof *s);
	tact_error_init(&error);
	tact_target_options_init(&s->o);
	s->confidence = s->o.confidence;
	s->min_cell = s->o.min_cell;
	cli_options_init(&s->cli, name, usage, NULL);
	cli_options_settings(&s->cli, &s->confidence, NULL, &s->min_cell, NULL);
	while ((option = cli_next(&s->cli, argc, argv, "o:", options)) != -1) {
		switch (option) {
		case OPT_FEATURES: names_option(&s->features, "features", optarg); break;
		case OPT_PRE: names_option(&s->pre, "pre-exposure", optarg); break;
		case OPT_POST: names_option(&s->post, "post-exposure", optarg); break;
		case OPT_WEIGHTS:
			if (s->metrics)
				cli_usage_error("give --weights once");
			cli_value("weights",
			          tact_weights_parse(optarg, &s->metrics, &s->weights,
			                             &s->metric_count, &error),
			          &error);
			break;
		case OPT_TREATMENT: s->o.treatment = optarg; break;
		case OPT_DEPTH:
			s->o.depth = (size_t)cli_count_within("depth", optarg, 1,
			                                      TACT_TARGET_MAX_DEPTH);
			break;
		case OPT_BINS:
			s->o.bins = (size_t)cli_count_within("bins", optarg, 2, 1000);
			break;
		case OPT_FOLDS:
			s->o.folds = (size_t)cli_count_within("folds", optarg, 2, 100);
			break;
		case OPT_SEED: s->o.seed = (uint64_t)cli_count("seed", optarg); break;
		case OPT_SCORES: s->scores = optarg; break;
		default: cli_usage_error("unexpected option");
		}
	}
	if (!s->features.count || !s->metrics)
		cli_usage_error("%s needs --features and --weights", argv[0]);
	{
		const char *outputs[] = {s->cli.output, s->scores};
		cli_input(&s->cli, argc, argv, "one export at a time");
		cli_check_outputs(outputs, 2, &s->cli.input, 1);
	}
	{
		const tact_names *bins = &s->cli.load.roles.by_bins;
		size_t i;
		for (i = 0; i < bins->count; i++)
			if (bins->items[i][0])
				cli_usage_error("--by: tact-target takes segment columns as "
				                "they are, not binned (COL=BINS): bin the "
				                "column with tact-summarize's syntax there, "
				                "or give the feature to --features");
	}
	s->o.load = &s->cli.load;
	s->o.features = &s->features;
	s->o.metrics = s->metrics;
	s->o.weights = s->weights;
	s->o.metric_count = s->metric_count;
	s->o.confidence = s->confidence;
	s->o.min_cell = s->min_cell > 0 ? s->min_cell : 1;
}

static void release(settings *s)
{
	size_t i;

	for (i = 0; i < s->metric_count; i++)
		free(s->metrics[i]);
	free(s->metrics);
	free(s->weights);
	tact_names_release(&s->features);
	tact_names_release(&s->pre);
	tact_names_release(&s->post);
	cli_options_release(&s->cli);
}

/* tact-intent's warning about features measured after exposure: the
 * features as the columns of rules, judged by its one rule. */
static void warn_exposure(const settings *s)
{
	tact_intent_model model;
	tact_error error;
	char **rules = calloc(s->features.count, sizeof *rules), message[1024];
	size_t i;

	tact_error_init(&error);
	tact_intent_model_init(&model);
	for (i = 0; rules && i < s->features.count; i++) {
		size_t length = strlen(s->features.items[i]) + 16;
		if (!(rules[i] = malloc(length)))
			break;
		snprintf(rules[i], length, "f: `%s` > 0", s->features.items[i]);
	}
	message[0] = '\0';
	if (rules && i == s->features.count &&
	    tact_intent_rules((const char *const *)rules, i, "other", "policy",
	                      &model, &error) == TACT_OK)
		tact_intent_model_warning(&model, &s->pre, &s->post, message,
		                          sizeof message);
	if (message[0])
		cli_warn("%s", message);
	tact_intent_model_release(&model);
	for (i = 0; rules && i < s->features.count; i++)
		free(rules[i]);
	free(rules);
}

/* The labels the policy may print, each checked once for look-alikes. */
static void warn_lookalikes(const tact_target_data *d)
{
	size_t f, l, shown = 0;

	cli_warn_lookalike(d->file, "arm", d->treatment, strlen(d->treatment),
	                   &shown);
	cli_warn_lookalike(d->file, "arm", d->control, strlen(d->control), &shown);
	for (f = 0; f < d->feature_count; f++)
		for (l = 0; l < d->features[f].level_count; l++)
			cli_warn_lookalike(d->file, "label", d->features[f].levels[l],
			                   strlen(d->features[f].levels[l]), &shown);
}

/* Load with the notes every tool gives. */
static void load(settings *s, tact_target_data *d)
{
	tact_error error;

	tact_error_init(&error);
	tact_target_data_init(d);
	warn_exposure(s);
	if (tact_target_load(s->cli.input, &s->o, d, &error) != TACT_OK)
		cli_fail(&error);
	warn_lookalikes(d);
	if (cli_quiet())
		return;
	cli_note("%s: %zu units ('%s' against '%s', treatment share %.3f), %lld "
	         "rows left out for lack of consent, %lld rows of other arms, "
	         "%lld units with a feature missing", d->file, d->units, d->treatment,
	         d->control, d->share, (long long)d->rows_no_consent,
	         (long long)d->units_other_arm, (long long)d->units_missing);
	if (d->mixed_units)
		cli_warn("%s: %lld units seen in both arms (%s)", d->file,
		         (long long)d->mixed_units,
		         s->cli.load.mixed_units_first ? "kept in their first arm"
		                                : "dropped; --mixed-units first keeps them");
	if (d->fallback_fits)
		cli_note("%s: %zu outcome models fell back to the arm's mean (an "
		         "outcome that never varies in a fold)", d->file,
		         d->fallback_fits);
}

static void write_scores(const settings *s, const tact_target_data *d,
                         const unsigned char *decision)
{
	tact_outfile out;
	tact_error error;

	if (!s->scores)
		return;
	tact_error_init(&error);
	cli_output_open(&out, s->scores);
	cli_output_close(&out, tact_target_write_scores(d, decision, out.stream,
	                                                &error),
	                 &error);
}

/* learn (eval 0) or eval (1): load, learn or evaluate, write. */
static void run(int argc, char **argv, int eval)
{
	settings s;
	tact_target_data d;
	tact_target_tree tree;
	tact_target_evaluation e;
	tact_outfile out;
	tact_error error;
	tact_status status;

	read_options(&s, "tact-target", argc, argv);
	load(&s, &d);
	tact_error_init(&error);
	memset(&e, 0, sizeof e);
	status = eval ? tact_target_evaluate(&d, &s.o, &e, &error)
	              : tact_target_learn(&d, &s.o, s.o.folds, &tree, &error);
	if (status != TACT_OK)
		cli_fail(&error);
	write_scores(&s, &d, eval ? e.decision : NULL);
	cli_output_open(&out, s.cli.output);
	status = eval ? tact_target_write_evaluation(&d, &s.o, &e, out.stream,
	                                             &error)
	              : tact_target_write_rules(&d, &s.o, &tree, out.stream,
	                                        &error);
	cli_output_close(&out, status, &error);
	tact_target_evaluation_release(&e);
	tact_target_data_release(&d);
	release(&s);
}

int main(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : "";

	cli_init("tact-target");
	if (strcmp(command, "--help") == 0)
		cli_help(usage);
	if (strcmp(command, "--version") == 0)
		cli_version();
	if (strcmp(command, "learn") == 0 || strcmp(command, "eval") == 0)
		run(argc - 1, argv + 1, strcmp(command, "eval") == 0);
	else
		cli_usage_error("expected a command, learn or eval%s%s%s",
		                command[0] ? ", got '" : "", command,
		                command[0] ? "'" : "");
	cli_exit(TACT_OK);
}
