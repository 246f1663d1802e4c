/*
 * intenteval.c - cross-validating an intent model, or judging rules (see
 * intent.h).
 */
#include "intent_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tact_intent_evaluation_init(tact_intent_evaluation *e)
{
	memset(e, 0, sizeof *e);
	tact_crossval_report_init(&e->report);
	tact_intent_model_init(&e->encoding);
}

void tact_intent_evaluation_release(tact_intent_evaluation *e)
{
	size_t k;

	tact_crossval_report_release(&e->report);
	for (k = 0; k < e->class_count; k++)
		free(e->classes[k]);
	free(e->classes);
	free(e->label);
	free(e->labels);
	free(e->predicted);
	free(e->scores);
	tact_intent_model_release(&e->encoding);
	tact_intent_evaluation_init(e);
}

/* The evaluation's classes: the label's, then the rules' others; map[r] is
 * the evaluation class of rule class r. */
static tact_status merge_classes(tact_intent_evaluation *e,
                                 const tact_intent_model *rules, size_t *map,
                                 tact_error *error)
{
	const tact_intent_model *m = &e->encoding;
	size_t r, k, n = m->class_count;

	e->classes = calloc(m->class_count + rules->class_count,
	                    sizeof *e->classes);
	if (!e->classes)
		return tact_error_oom(error);
	for (k = 0; k < m->class_count; k++)
		if (!(e->classes[k] = strdup(m->classes[k])))
			return tact_error_oom(error);
	e->class_count = n;
	for (r = 0; r < rules->class_count; r++) {
		for (k = 0; k < n; k++)
			if (strcmp(e->classes[k], rules->classes[r]) == 0)
				break;
		if (k == n) {
			if (!(e->classes[n] = strdup(rules->classes[r])))
				return tact_error_oom(error);
			e->class_count = ++n;
		}
		map[r] = k;
	}
	return TACT_OK;
}

static tact_status evaluate_rules(tact_intent_evaluation *e,
                                  const tact_intent_model *rules,
                                  const tact_intent_data *data,
                                  tact_error *error)
{
	size_t *map = calloc(rules->class_count + 1, sizeof *map), i, K;
	tact_status status;

	if (!map)
		return tact_error_oom(error);
	status = merge_classes(e, rules, map, error);
	K = e->class_count;
	if (status == TACT_OK) {
		e->scores = calloc(data->rows * K, sizeof *e->scores);
		if (!e->scores)
			status = tact_error_oom(error);
	}
	for (i = 0; status == TACT_OK && i < data->rows; i++) {
		e->predicted[i] = map[data->rule_class[i]];
		e->scores[i * K + e->predicted[i]] = 1;
	}
	free(map);
	if (status == TACT_OK)
		status = tact_crossval_measure(e->labels, e->predicted, e->scores, 0,
		                               K, NULL, data->rows, &e->report.all,
		                               error);
	return status;
}

static tact_status evaluate_model(tact_intent_evaluation *e,
                                  const tact_intent_data *data,
                                  const tact_intent_options *options,
                                  const double *priors, double threshold,
                                  size_t folds, uint64_t seed, const char *file,
                                  tact_error *error)
{
	tact_intent_model *model = &e->encoding;
	tact_crossval_report *report = &e->report;
	const size_t n = data->rows, K = model->class_count;
	size_t *fold = malloc(n * sizeof *fold), *train = malloc(n * sizeof *train);
	size_t *test = malloc(n * sizeof *test), f, i, k;
	tact_status status;

	report->fold = calloc(folds, sizeof *report->fold);
	report->iterations = calloc(folds, sizeof *report->iterations);
	report->converged = calloc(folds, sizeof *report->converged);
	e->classes = calloc(K, sizeof *e->classes);
	e->scores = calloc(n * K, sizeof *e->scores);
	if (!fold || !train || !test || !report->fold || !report->iterations ||
	    !report->converged || !e->classes || !e->scores) {
		status = tact_error_oom(error);
		goto done;
	}
	report->folds = folds;
	for (k = 0; k < K; k++)
		if (!(e->classes[k] = strdup(model->classes[k]))) {
			status = tact_error_oom(error);
			goto done;
		}
	e->class_count = K;
	status = tact_crossval_folds(data->labels, n, K, folds, seed, fold, error);
	report->mean_accuracy = report->mean_auc = report->mean_log_loss = 0;
	for (f = 0; status == TACT_OK && f < folds; f++) {
		size_t trained = 0, tested = 0;
		for (i = 0; i < n; i++) {
			if (fold[i] == f)
				test[tested++] = i;
			else
				train[trained++] = i;
		}
		status = tact_intent_fit(model, data, train, trained, options, file,
		                         error);
		if (status != TACT_OK) {
			size_t length = strlen(error->message);
			snprintf(error->message + length, sizeof error->message - length,
			         " (training without fold %zu)", f + 1);
			break;
		}
		report->iterations[f] = model->iterations;
		report->converged[f] = model->converged;
		for (i = 0; i < tested; i++) {
			size_t r = test[i];
			double *p = e->scores + r * K;
			tact_intent_predict(model, data->x + r * data->encoded, p);
			if (priors)
				tact_intent_shift(p, priors, model->class_counts, K);
			e->predicted[r] = tact_intent_decide(p, K, threshold);
		}
		status = tact_crossval_measure(e->labels, e->predicted, e->scores, 1,
		                               K, test, tested, &report->fold[f],
		                               error);
		report->mean_accuracy += report->fold[f].accuracy / (double)folds;
		report->mean_auc += report->fold[f].auc / (double)folds;
		report->mean_log_loss += report->fold[f].log_loss / (double)folds;
	}
	if (status == TACT_OK)
		status = tact_crossval_measure(e->labels, e->predicted, e->scores, 1,
		                               K, NULL, n, &report->all, error);
done:
	free(fold);
	free(train);
	free(test);
	return status;
}

tact_status tact_intent_evaluate(const char *path,
                                 const tact_intent_options *options,
                                 tact_intent_model *rules,
                                 double threshold, const char *priors_text,
                                 size_t folds, uint64_t seed, size_t bins,
                                 tact_intent_evaluation *e, tact_error *error)
{
	tact_intent_data data;
	tact_crossval_report *report = &e->report;
	double *priors = NULL;
	tact_status status;
	size_t t, K;

	if (bins < 1)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the calibration table needs at least 1 bin");
	if (rules && (!isnan(threshold) || priors_text))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "rules give classes, not probabilities: no "
		                      "--threshold or --priors with rules");
	if (!isnan(threshold) && !(threshold >= 0 && threshold <= 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the threshold must lie between 0 and 1, got %g",
		                      threshold);
	tact_intent_data_init(&data);
	status = tact_intent_load(path, options, rules, &e->encoding, &data, error);
	if (status != TACT_OK)
		goto done;
	K = e->encoding.class_count;
	if (!rules && !isnan(threshold) && K != 2) {
		status = tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                        "a threshold needs two classes, the label has "
		                        "%zu (use --priors)", K);
		goto done;
	}
	if (priors_text) {
		priors = calloc(K, sizeof *priors);
		status = priors ? tact_intent_priors_parse(priors_text,
		                                           e->encoding.classes, K,
		                                           priors, error)
		                : tact_error_oom(error);
		if (status != TACT_OK)
			goto done;
	}
	e->label = strdup(options->label);
	e->rows = data.rows;
	e->labels = malloc(data.rows * sizeof *e->labels);
	e->predicted = calloc(data.rows, sizeof *e->predicted);
	if (!e->label || !e->labels || !e->predicted) {
		status = tact_error_oom(error);
		goto done;
	}
	memcpy(e->labels, data.labels, data.rows * sizeof *e->labels);
	if (rules)
		status = evaluate_rules(e, rules, &data, error);
	else
		status = evaluate_model(e, &data, options, priors, threshold, folds,
		                        seed, tact_csv_display_name(path), error);
	if (status != TACT_OK)
		goto done;

	report->label = e->label;
	report->method = rules ? "rules" : "logistic";
	report->lambda = rules ? 0 : options->lambda;
	report->classes = e->class_count;
	report->class_names = (const char *const *)e->classes;
	report->seed = seed;
	report->rows_left_out = data.left_out;
	if (!rules) {
		/* Calibration of the second class for two, of each for more. */
		report->calibration_count = e->class_count == 2 ? 1 : e->class_count;
		report->calibration = calloc(report->calibration_count,
		                             sizeof *report->calibration);
		if (!report->calibration) {
			report->calibration_count = 0;
			status = tact_error_oom(error);
		}
		for (t = 0; status == TACT_OK && t < report->calibration_count; t++)
			status = tact_crossval_calibrate(
			        e->labels, e->scores, e->rows, e->class_count,
			        e->class_count == 2 ? 1 : t, bins, &report->calibration[t],
			        error);
	}
done:
	free(priors);
	tact_intent_data_release(&data);
	return status;
}

tact_status tact_intent_write_roc(const tact_intent_evaluation *e, FILE *out,
                                  int64_t min_cell, tact_error *error)
{
	size_t k;
	tact_status status = TACT_OK;

	fputs("class,threshold,false_positive_rate,true_positive_rate\n", out);
	for (k = e->class_count == 2 ? 1 : 0;
	     status == TACT_OK && k < e->class_count; k++)
		status = tact_crossval_write_roc(out, e->classes[k], e->labels,
		                                 e->scores, e->rows, e->class_count, k,
		                                 min_cell, error);
	return status;
}

tact_status tact_intent_suppress(tact_intent_evaluation *e, int64_t min_cell,
                                 tact_error *error)
{
	tact_crossval_report *r = &e->report;
	tact_status status;
	size_t t;

	if ((double)e->rows < (double)min_cell)
		return tact_error_set(error, TACT_DATA, NULL, 0, 0,
		                      "fewer than --min-cell %lld rows to evaluate: "
		                      "every figure would be about too few people",
		                      (long long)min_cell);
	status = tact_crossval_suppress(r, min_cell, error);

	for (t = 0; status == TACT_OK && t < r->calibration_count; t++)
		status = tact_crossval_merge_bins(e->labels, e->scores, e->rows,
		                                  e->class_count, &r->calibration[t],
		                                  min_cell, error);
	return status;
}
