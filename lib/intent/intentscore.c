/*
 * intentscore.c - a model's scores and probabilities for one row (see
 * intent_internal.h).
 */
#include "intent_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logistic.h"
#include "parse.h"

tact_status tact_intent_scorer_build(tact_intent_scorer *scorer,
                                     const tact_intent_model *model,
                                     const size_t *columns, tact_error *error)
{
	const size_t R = model->coefficient_rows, stride = model->encoded + 1;
	size_t f, k, l, used = 0, total = 0;

	memset(scorer, 0, sizeof *scorer);
	for (f = 0; f < model->feature_count; f++)
		total += model->features[f].kind == TACT_INTENT_CATEGORICAL
		                 ? model->features[f].level_count * R
		                 : R;
	scorer->rows = R;
	scorer->count = model->feature_count;
	scorer->terms = calloc(model->feature_count + 1, sizeof *scorer->terms);
	scorer->intercepts = calloc(R + 1, sizeof *scorer->intercepts);
	scorer->weights = calloc(total + 1, sizeof *scorer->weights);
	if (!scorer->terms || !scorer->intercepts || !scorer->weights)
		goto no_memory;
	for (k = 0; k < R; k++)
		scorer->intercepts[k] = model->coefficients[k * stride];
	for (f = 0; f < model->feature_count; f++) {
		const tact_intent_feature *feature = &model->features[f];
		tact_intent_term *term = &scorer->terms[f];
		double *w = scorer->weights + used;

		term->kind = feature->kind;
		term->column = columns[f];
		term->feature = feature;
		term->weights = w;
		if (feature->kind != TACT_INTENT_CATEGORICAL) {
			for (k = 0; k < R; k++)
				w[k] = model->coefficients[k * stride + 1 + feature->first];
			used += R;
			continue;
		}
		/* Level l's weights at w[l * R]; level 0's stay 0 (never read). */
		for (l = 1; l < feature->level_count; l++)
			for (k = 0; k < R; k++)
				w[l * R + k] = model->coefficients[k * stride + 1 +
				                                   feature->first + l - 1];
		used += feature->level_count * R;
		if (tact_label_index_build(&term->levels, feature->levels,
		                           feature->level_lengths,
		                           feature->level_count) != TACT_OK)
			goto no_memory;
	}
	return TACT_OK;
no_memory:
	return tact_error_oom(error);
}

void tact_intent_scorer_release(tact_intent_scorer *scorer)
{
	size_t t;

	for (t = 0; scorer->terms && t < scorer->count; t++)
		tact_label_index_release(&scorer->terms[t].levels);
	free(scorer->terms);
	free(scorer->intercepts);
	free(scorer->weights);
	memset(scorer, 0, sizeof *scorer);
}

/* The level of text (TACT_CSV_FIELD_PAD bytes readable), or -1. */
static inline long find_level(const tact_intent_term *term, const char *text,
                              size_t length)
{
	return tact_label_index_find(&term->levels, text, length);
}

/* A numeric or boolean cell that did not read: empty (outcome 1), or an
 * error at its position. */
static tact_status unreadable(const tact_intent_term *term,
                              const tact_csv_record *record, size_t t,
                              const char *file, int *outcome, size_t *feature,
                              tact_error *error)
{
	const size_t c = term->column;
	const char *text = record->fields[c];
	const size_t length = record->lengths[c];
	const int numeric = term->kind == TACT_INTENT_NUMERIC;
	char shown[120], name[120];

	if (tact_parse_is_blank(text, length)) {
		*outcome = 1;
		*feature = t;
		return TACT_OK;
	}
	tact_error_quote(text, length, shown, sizeof shown);
	tact_error_quote(term->feature->name, strlen(term->feature->name), name,
	                 sizeof name);
	return tact_error_set(error, TACT_DATA, file, record->lines[c], c + 1,
	                      "'%s' must be %s (the model was trained on %s), "
	                      "got '%s'", name,
	                      numeric ? "a number" : "0 or 1, true/false or yes/no",
	                      numeric ? "numbers" : "booleans", shown);
}

/* A number cell: one digit (the commonest cell of behavioural data:
 * counts, zeros), the usual form inline, else parse.h; 0 or -1. */
static inline int read_number(const char *text, size_t length,
                              int decimal_comma, double *value)
{
	const unsigned digit = (unsigned)(unsigned char)text[0] - '0';

	if (length == 1 && digit < 10) {
		*value = digit;
		return 0;
	}
	if (tact_parse_plain_number(text, length, decimal_comma ? ',' : '.',
	                            value) == 0)
		return 0;
	{
		/* Through a variable of its own: handing value on to
		 * tact_parse_number measured 1-2% slower in apply (three
		 * alternating runs of 11). */
		double read = 0;
		const int rc = tact_parse_number(text, length, decimal_comma, &read);
		*value = read;
		return rc;
	}
}

/* A categorical cell without a level: 1 when it is empty, 2 when it holds
 * a level the training never saw. */
static int missing_level(const char *text, size_t length)
{
	return tact_parse_is_blank(text, length) ? 1 : 2;
}

/* One term's cell for the general loop: 0 with *value (a number, a
 * boolean) or *level (categorical); 1 when the cell is empty, 2 an unseen
 * level, 3 a cell that is not a number or a boolean (unreadable tells
 * which).  A blank cell is told apart only after a failed read: it is
 * rare, and this runs for every cell of every row that apply reads. */
static inline int read_term(const tact_intent_term *term,
                            const tact_csv_record *record, int decimal_comma,
                            double *value, long *level)
{
	const char *text = record->fields[term->column];
	const size_t length = record->lengths[term->column];

	switch (term->kind) {
	case TACT_INTENT_NUMERIC:
		return read_number(text, length, decimal_comma, value) == 0 ? 0 : 3;
	case TACT_INTENT_BOOLEAN:
		return tact_parse_boolean(text, length, value) == 0 ? 0 : 3;
	case TACT_INTENT_CATEGORICAL:
		*level = find_level(term, text, length);
		return *level >= 0 ? 0 : missing_level(text, length);
	}
	return 3;
}

/* Two classes, the usual model: the score in a register, each cell read
 * inline (through read_term's pointers, the score and each value would go
 * to memory and back: 5% of apply's time).  The same sum as the general
 * loop, term by term. */
static tact_status score_two(const tact_intent_scorer *scorer,
                             const tact_csv_record *record, int decimal_comma,
                             const char *file, double *eta, int *outcome,
                             size_t *feature, tact_error *error)
{
	char *const *fields = record->fields;
	const size_t *lengths = record->lengths;
	double score = scorer->intercepts[0];
	size_t t;

	*outcome = 0;
	for (t = 0; t < scorer->count; t++) {
		const tact_intent_term *term = &scorer->terms[t];
		const char *text = fields[term->column];
		const size_t length = lengths[term->column];
		double value = 0;

		if (term->kind == TACT_INTENT_NUMERIC) {
			if (read_number(text, length, decimal_comma, &value) != 0)
				return unreadable(term, record, t, file, outcome, feature,
				                  error);
			score += term->weights[0] * value;
		} else if (term->kind == TACT_INTENT_CATEGORICAL) {
			/* A level's indicator is 1: its coefficient is added as it
			 * is (1 x b is b); the reference adds nothing. */
			const long level = find_level(term, text, length);
			if (level < 0) {
				*outcome = missing_level(text, length);
				*feature = t;
				return TACT_OK;
			}
			if (level > 0)
				score += term->weights[level];
		} else {
			if (tact_parse_boolean(text, length, &value) != 0)
				return unreadable(term, record, t, file, outcome, feature,
				                  error);
			score += term->weights[0] * value;
		}
	}
	eta[0] = score;
	return TACT_OK;
}

tact_status tact_intent_score(const tact_intent_scorer *scorer,
                              const tact_csv_record *record, int decimal_comma,
                              const char *file, double *eta, int *outcome,
                              size_t *feature, tact_error *error)
{
	const size_t R = scorer->rows;
	size_t t, k;

	if (R == 1)
		return score_two(scorer, record, decimal_comma, file, eta, outcome,
		                 feature, error);
	*outcome = 0;
	for (k = 0; k < R; k++)
		eta[k] = scorer->intercepts[k];
	for (t = 0; t < scorer->count; t++) {
		const tact_intent_term *term = &scorer->terms[t];
		const double *w = term->weights;
		double value = 0;
		long level = 0;
		const int read = read_term(term, record, decimal_comma, &value,
		                           &level);

		if (read != 0) {
			if (read == 3)
				return unreadable(term, record, t, file, outcome, feature,
				                  error);
			*outcome = read;
			*feature = t;
			return TACT_OK;
		}
		if (term->kind == TACT_INTENT_CATEGORICAL) {
			/* The level's indicator is 1: its coefficients are added as
			 * they are; the reference adds nothing. */
			if (level == 0)
				continue;
			w += (size_t)level * R;
			for (k = 0; k < R; k++)
				eta[k] += w[k];
		} else {
			for (k = 0; k < R; k++)
				eta[k] += w[k] * value;
		}
	}
	return TACT_OK;
}

void tact_intent_probabilities(const tact_intent_model *model,
                               const double *eta, double *probabilities)
{
	const size_t K = model->class_count;

	if (model->coefficient_rows == 1) {
		const double score = eta[0];
		/* Each probability from its own side, so a tiny one keeps its
		 * digits (1 - p would round it to 0). */
		if (score >= 0) {
			double e = exp(-score);
			probabilities[1] = 1 / (1 + e);
			probabilities[0] = e / (1 + e);
		} else {
			double e = exp(score);
			probabilities[1] = e / (1 + e);
			probabilities[0] = 1 / (1 + e);
		}
		return;
	}
	if (probabilities != eta)
		memcpy(probabilities, eta, K * sizeof *probabilities);
	tact_logistic_softmax(probabilities, K);
}

void tact_intent_predict(const tact_intent_model *model, const double *x,
                         double *probabilities)
{
	const size_t p = model->encoded;
	size_t k, j;

	/* The scores go where the probabilities will (class_count >= rows). */
	for (k = 0; k < model->coefficient_rows; k++) {
		const double *b = model->coefficients + k * (p + 1);
		double eta = b[0];
		for (j = 0; j < p; j++)
			eta += b[j + 1] * x[j];
		probabilities[k] = eta;
	}
	tact_intent_probabilities(model, probabilities, probabilities);
}
