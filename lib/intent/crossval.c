/*
 * crossval.c - folds and measures of a classifier (see intent.h and
 * intent_internal.h).
 */
#include "intent_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "privacy.h"

#define LOG_LOSS_CLIP 1e-15

uint64_t tact_crossval_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

tact_status tact_crossval_folds(const size_t *labels, size_t rows,
                                size_t classes, size_t folds, uint64_t seed,
                                size_t *fold, tact_error *error)
{
	size_t *members, c, i, next_fold = 0;
	uint64_t state = seed;

	if (folds < 2)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "cross-validation needs at least 2 folds, got %zu",
		                      folds);
	if (folds > rows)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "%zu folds need at least as many rows, got %zu",
		                      folds, rows);
	members = malloc(rows * sizeof *members);
	if (!members)
		return tact_error_oom(error);
	for (c = 0; c < classes; c++) {
		size_t m = 0;
		for (i = 0; i < rows; i++)
			if (labels[i] == c)
				members[m++] = i;
		for (i = m; i > 1; i--) {
			size_t j = (size_t)(tact_crossval_random(&state) % (uint64_t)i);
			size_t swap = members[i - 1];
			members[i - 1] = members[j];
			members[j] = swap;
		}
		for (i = 0; i < m; i++) {
			fold[members[i]] = next_fold;
			next_fold = (next_fold + 1) % folds;
		}
	}
	free(members);
	return TACT_OK;
}

/* ---- measures -------------------------------------------------------- */

void tact_crossval_metrics_init(tact_crossval_metrics *metrics)
{
	memset(metrics, 0, sizeof *metrics);
}

void tact_crossval_metrics_release(tact_crossval_metrics *metrics)
{
	free(metrics->confusion);
	free(metrics->support);
	free(metrics->precision);
	free(metrics->recall);
	free(metrics->class_auc);
	tact_crossval_metrics_init(metrics);
}

typedef struct scored {
	double score;
	int positive;
} scored;

static int by_score(const void *a, const void *b)
{
	double x = ((const scored *)a)->score, y = ((const scored *)b)->score;

	return (x > y) - (x < y);
}

/* Mann-Whitney AUC of the n pairs (sorted here); NaN when one side is
 * empty. */
static double auc_of(scored *pairs, size_t n)
{
	double positives = 0, rank_sum = 0;
	size_t i = 0, j, k;

	qsort(pairs, n, sizeof *pairs, by_score);
	while (i < n) {
		/* Rows i..j-1 tie: each gets the mean of ranks i+1..j. */
		double mean_rank;
		for (j = i + 1; j < n && pairs[j].score == pairs[i].score; j++)
			;
		mean_rank = 0.5 * ((double)i + 1 + (double)j);
		for (k = i; k < j; k++)
			if (pairs[k].positive) {
				positives++;
				rank_sum += mean_rank;
			}
		i = j;
	}
	if (positives == 0 || positives == (double)n)
		return NAN;
	return (rank_sum - positives * (positives + 1) / 2) /
	       (positives * ((double)n - positives));
}

tact_status tact_crossval_measure(const size_t *labels, const size_t *predicted,
                                  const double *scores, int probabilistic,
                                  size_t classes, const size_t *which,
                                  size_t count, tact_crossval_metrics *m,
                                  tact_error *error)
{
	scored *pairs;
	double correct = 0, loss = 0, auc_sum = 0;
	size_t i, c, defined = 0;

	tact_crossval_metrics_release(m);
	m->classes = classes;
	m->rows = (double)count;
	m->confusion = calloc(classes * classes, sizeof *m->confusion);
	m->support = calloc(classes, sizeof *m->support);
	m->precision = calloc(classes, sizeof *m->precision);
	m->recall = calloc(classes, sizeof *m->recall);
	m->class_auc = calloc(classes, sizeof *m->class_auc);
	pairs = malloc((count ? count : 1) * sizeof *pairs);
	if (!m->confusion || !m->support || !m->precision || !m->recall ||
	    !m->class_auc || !pairs) {
		free(pairs);
		tact_crossval_metrics_release(m);
		return tact_error_oom(error);
	}
	for (i = 0; i < count; i++) {
		size_t r = which ? which[i] : i;
		double p = scores[r * classes + labels[r]];
		m->confusion[labels[r] * classes + predicted[r]]++;
		m->support[labels[r]]++;
		correct += labels[r] == predicted[r];
		if (p < LOG_LOSS_CLIP)
			p = LOG_LOSS_CLIP;
		if (p > 1 - LOG_LOSS_CLIP)
			p = 1 - LOG_LOSS_CLIP;
		loss -= log(p);
	}
	m->accuracy = count ? correct / (double)count : NAN;
	m->log_loss = probabilistic && count ? loss / (double)count : NAN;
	for (c = 0; c < classes; c++) {
		double predicted_c = 0;
		size_t a;
		for (a = 0; a < classes; a++)
			predicted_c += m->confusion[a * classes + c];
		m->precision[c] = predicted_c > 0
		                          ? m->confusion[c * classes + c] / predicted_c
		                          : NAN;
		m->recall[c] = m->support[c] > 0
		                       ? m->confusion[c * classes + c] / m->support[c]
		                       : NAN;
		for (i = 0; i < count; i++) {
			size_t r = which ? which[i] : i;
			pairs[i].score = scores[r * classes + c];
			pairs[i].positive = labels[r] == c;
		}
		m->class_auc[c] = auc_of(pairs, count);
		if (!isnan(m->class_auc[c])) {
			auc_sum += m->class_auc[c];
			defined++;
		}
	}
	free(pairs);
	if (classes == 2)
		m->auc = m->class_auc[1];
	else
		m->auc = defined ? auc_sum / (double)defined : NAN;
	return TACT_OK;
}

/* ---- calibration and ROC --------------------------------------------- */

void tact_crossval_calibration_release(tact_crossval_calibration *table)
{
	free(table->count);
	free(table->last);
	table->last = NULL;
	free(table->mean_predicted);
	free(table->observed);
	memset(table, 0, sizeof *table);
}

tact_status tact_crossval_calibrate(const size_t *labels, const double *scores,
                                    size_t rows, size_t classes,
                                    size_t class_index, size_t bins,
                                    tact_crossval_calibration *table,
                                    tact_error *error)
{
	size_t i, b;

	memset(table, 0, sizeof *table);
	if (bins < 1)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the calibration table needs at least 1 bin");
	table->class_index = class_index;
	table->bins = bins;
	table->count = calloc(bins, sizeof *table->count);
	table->mean_predicted = calloc(bins, sizeof *table->mean_predicted);
	table->observed = calloc(bins, sizeof *table->observed);
	if (!table->count || !table->mean_predicted || !table->observed) {
		tact_crossval_calibration_release(table);
		return tact_error_oom(error);
	}
	for (i = 0; i < rows; i++) {
		double p = scores[i * classes + class_index];
		double at = floor(p * (double)bins);
		b = at < 0 ? 0 : at >= (double)bins ? bins - 1 : (size_t)at;
		table->count[b]++;
		table->mean_predicted[b] += p;
		table->observed[b] += labels[i] == class_index;
	}
	for (b = 0; b < bins; b++) {
		if (table->count[b] > 0) {
			table->mean_predicted[b] /= table->count[b];
			table->observed[b] /= table->count[b];
		} else {
			table->mean_predicted[b] = NAN;
			table->observed[b] = NAN;
		}
	}
	return TACT_OK;
}

/* A step of d people (between two shown ROC points, or inside a merged
 * calibration bin) may be shown: none, or min_cell or more. */
static int step_shown(double d, int64_t min_cell)
{
	return d == 0 || d >= (double)min_cell;
}

tact_status tact_crossval_write_roc(FILE *out, const char *class_name,
                                    const size_t *labels, const double *scores,
                                    size_t rows, size_t classes,
                                    size_t class_index, int64_t min_cell,
                                    tact_error *error)
{
	scored *pairs = malloc((rows ? rows : 1) * sizeof *pairs);
	double *point = malloc(3 * (rows + 1) * sizeof *point); /* t, fp, tp */
	double positives = 0, negatives, tp = 0, fp = 0;
	size_t i, shown = 1;

	if (!pairs || !point) {
		free(pairs);
		free(point);
		return tact_error_oom(error);
	}
	for (i = 0; i < rows; i++) {
		pairs[i].score = scores[i * classes + class_index];
		pairs[i].positive = labels[i] == class_index;
		positives += pairs[i].positive;
	}
	negatives = (double)rows - positives;
	if (positives == 0 || negatives == 0 || positives < (double)min_cell ||
	    negatives < (double)min_cell) {
		free(pairs);
		free(point);
		return TACT_OK;
	}
	qsort(pairs, rows, sizeof *pairs, by_score);
	point[0] = NAN;
	point[1] = point[2] = 0;
	i = rows;
	while (i > 0) {
		double threshold = pairs[i - 1].score;
		double *last = &point[3 * (shown - 1)];
		while (i > 0 && pairs[i - 1].score == threshold) {
			if (pairs[i - 1].positive)
				tp++;
			else
				fp++;
			i--;
		}
		/* privacy: a point is shown only when the positives and the
		 * negatives since the last shown one are each none or min_cell
		 * or more; the last point (every row) always, dropping the points
		 * before it that would leave it a small step. */
		if (i == 0)
			while (shown > 1 &&
			       (!step_shown(tp - point[3 * (shown - 1) + 2], min_cell) ||
			        !step_shown(fp - point[3 * (shown - 1) + 1], min_cell)))
				shown--;
		else if (!step_shown(tp - last[2], min_cell) ||
		         !step_shown(fp - last[1], min_cell))
			continue;
		point[3 * shown] = threshold;
		point[3 * shown + 1] = fp;
		point[3 * shown + 2] = tp;
		shown++;
	}
	for (i = 0; i < shown; i++) {
		tact_format_csv_string(out, class_name, ',');
		putc(',', out);
		if (i == 0) {
			fputs(",0,0\n", out);
			continue;
		}
		tact_format_csv_number(out, point[3 * i]);
		putc(',', out);
		tact_format_csv_number(out, point[3 * i + 1] / negatives);
		putc(',', out);
		tact_format_csv_number(out, point[3 * i + 2] / positives);
		putc('\n', out);
	}
	free(pairs);
	free(point);
	return TACT_OK;
}

/* ---- suppression (--min-cell) ------------------------------------------ */

tact_status tact_crossval_merge_bins(const size_t *labels,
                                     const double *scores, size_t rows,
                                     size_t classes,
                                     tact_crossval_calibration *c,
                                     int64_t min_cell, tact_error *error)
{
	double *positives = calloc(c->bins, sizeof *positives);
	double *sum = calloc(c->bins, sizeof *sum);
	size_t i, b, start, groups = 0;
	size_t *first = malloc(c->bins * sizeof *first);

	free(c->last);
	c->last = malloc(c->bins * sizeof *c->last);
	if (!positives || !sum || !first || !c->last) {
		free(positives);
		free(sum);
		free(first);
		return tact_error_oom(error);
	}
	for (i = 0; i < rows; i++) {
		double s = scores[i * classes + c->class_index];
		double at = floor(s * (double)c->bins);
		b = at < 0 ? 0 : at >= (double)c->bins ? c->bins - 1 : (size_t)at;
		positives[b] += labels[i] == c->class_index;
		sum[b] += s;
	}
	/* Groups of consecutive bins, left to right: a group closes when it
	 * is empty or holds min_cell rows or more of which the class's rows
	 * and the others are each none or min_cell or more; an open group at
	 * the end joins the groups before it until it may be shown. */
	for (b = 0, start = 0; b < c->bins; b++) {
		double n = 0, pos = 0;
		for (i = start; i <= b; i++) {
			n += c->count[i];
			pos += positives[i];
		}
		if (n == 0 || (n >= (double)min_cell && step_shown(pos, min_cell) &&
		               step_shown(n - pos, min_cell))) {
			first[groups++] = start;
			start = b + 1;
		}
	}
	if (start < c->bins) {  /* the open group at the end */
		int shown = 0;
		while (!shown) {
			double n = 0, pos = 0;
			for (i = start; i < c->bins; i++) {
				n += c->count[i];
				pos += positives[i];
			}
			shown = n == 0 || (n >= (double)min_cell &&
			                   step_shown(pos, min_cell) &&
			                   step_shown(n - pos, min_cell));
			if (!shown && groups == 0)
				break;
			if (!shown)
				start = first[--groups];
		}
		if (shown)
			first[groups++] = start;
		else {           /* nothing may be shown: one blank bin */
			first[groups++] = 0;
			for (i = 0; i < c->bins; i++)
				c->count[i] = c->mean_predicted[i] = c->observed[i] = NAN;
		}
	}
	for (i = 0; i < groups; i++) {
		size_t end = i + 1 < groups ? first[i + 1] - 1 : c->bins - 1;
		double n = 0, pos = 0, total = 0;
		c->last[first[i]] = end;
		if (isnan(c->count[first[i]]))
			continue;
		for (b = first[i]; b <= end; b++) {
			n += c->count[b];
			pos += positives[b];
			total += sum[b];
		}
		c->count[first[i]] = n;
		c->mean_predicted[first[i]] = n > 0 ? total / n : NAN;
		c->observed[first[i]] = n > 0 ? pos / n : NAN;
	}
	free(positives);
	free(sum);
	free(first);
	return TACT_OK;
}

/* The rank of an m x n matrix (row-major, destroyed). */
static size_t rank_of(double *a, size_t m, size_t n)
{
	size_t rank = 0, c, r, i, j;

	for (c = 0; c < n && rank < m; c++) {
		size_t pivot = rank;
		for (r = rank; r < m; r++)
			if (fabs(a[r * n + c]) > fabs(a[pivot * n + c]))
				pivot = r;
		if (fabs(a[pivot * n + c]) < 1e-9)
			continue;
		for (j = 0; j < n; j++) {
			double t = a[rank * n + j];
			a[rank * n + j] = a[pivot * n + j];
			a[pivot * n + j] = t;
		}
		for (i = 0; i < m; i++)
			if (i != rank && a[i * n + c] != 0) {
				double f = a[i * n + c] / a[rank * n + c];
				for (j = 0; j < n; j++)
					a[i * n + j] -= f * a[rank * n + j];
			}
		rank++;
	}
	return rank;
}

/*
 * Does a hidden cell of 1 to min_cell - 1 follow from what is printed: the
 * grand total, the shown supports (row totals), the column totals whose
 * precision is shown, the diagonal total when the accuracy is, and the
 * shown cells (a hidden 0 taken as known)?  -1 on memory.
 */
static int small_cell_follows(const double *original,
                              const tact_crossval_metrics *m, size_t k,
                              int64_t min_cell)
{
	size_t *hidden = malloc(k * k * sizeof *hidden);
	double *a = NULL, *b = NULL;
	size_t h = 0, i, j, e, rows;
	int follows = 0;

	if (!hidden)
		return -1;
	for (i = 0; i < k * k; i++)
		if (isnan(m->confusion[i]) && original[i] != 0)
			hidden[h++] = i;
	a = malloc((2 * k + 3) * (h ? h : 1) * sizeof *a);
	b = malloc((2 * k + 3) * (h ? h : 1) * sizeof *b);
	if (!a || !b) {
		free(hidden);
		free(a);
		free(b);
		return -1;
	}
	for (e = 0; e < h && !follows; e++) {
		size_t without;
		if (original[hidden[e]] >= (double)min_cell)
			continue;
		memset(a, 0, (2 * k + 3) * h * sizeof *a);
		rows = 0;
		for (j = 0; j < h; j++)
			a[j] = 1;
		rows++;
		for (i = 0; i < k; i++) {
			if (!isnan(m->support[i])) {
				for (j = 0; j < h; j++)
					a[rows * h + j] = hidden[j] / k == i;
				rows++;
			}
			if (!isnan(m->precision[i])) {
				for (j = 0; j < h; j++)
					a[rows * h + j] = hidden[j] % k == i;
				rows++;
			}
		}
		if (!isnan(m->accuracy)) {
			for (j = 0; j < h; j++)
				a[rows * h + j] = hidden[j] / k == hidden[j] % k;
			rows++;
		}
		memcpy(b, a, rows * h * sizeof *a);
		without = rank_of(b, rows, h);
		for (j = 0; j < h; j++)
			a[rows * h + j] = j == e;
		follows = rank_of(a, rows + 1, h) == without;
	}
	free(hidden);
	free(a);
	free(b);
	return follows;
}

tact_status tact_crossval_suppress(tact_crossval_report *r, int64_t min_cell,
                                   tact_error *error)
{
	double *original;
	int follows;
	const size_t k = r->classes;
	tact_crossval_metrics *m = &r->all;
	tact_privacy_table table;
	tact_privacy_plan plan;
	tact_status status;
	size_t a, p;
	int diagonal_hidden_any = 0;

	if (min_cell <= 1 || k == 0)
		return TACT_OK;
	original = malloc(k * k * sizeof *original);
	if (!original)
		return tact_error_oom(error);
	memcpy(original, m->confusion, k * k * sizeof *original);
	status = tact_privacy_table_alloc(&table, k, k, 0, 1, error);
	if (status != TACT_OK) {
		free(original);
		return status;
	}
	table.label_counts[0] = k;
	for (a = 0; a < k; a++) {
		table.labels[a] = a;
		for (p = 0; p < k; p++)
			table.units[a * k + p] = (int64_t)m->confusion[a * k + p];
	}
	/* Strict: the row totals (support) and the column totals (what
	 * precision gives back) are printed beside the cells. */
	status = tact_privacy_decide(&table, min_cell, TACT_PRIVACY_STRICT, &plan,
	                             error);
	tact_privacy_table_release(&table);
	if (status != TACT_OK) {
		free(original);
		return status;
	}
	for (a = 0; a < k; a++) {
		int row_hidden = tact_privacy_label_hidden(&plan, 0, a);
		int column_hidden = tact_privacy_hidden(&plan, 0, a,
		                                        TACT_PRIVACY_UNITS);
		int diagonal_hidden = tact_privacy_hidden(&plan, a + 1, a,
		                                          TACT_PRIVACY_UNITS);
		for (p = 0; p < k; p++)
			if (tact_privacy_hidden(&plan, a + 1, p, TACT_PRIVACY_UNITS))
				m->confusion[a * k + p] = NAN;
		if (row_hidden)
			m->support[a] = NAN;
		if (row_hidden || diagonal_hidden)
			m->recall[a] = NAN;
		if (column_hidden || diagonal_hidden)
			m->precision[a] = NAN;
		diagonal_hidden_any |= diagonal_hidden;
	}
	/* Accuracy is the diagonal's total over the rows: with a diagonal
	 * cell hidden it would give the hidden cells back (in a 2 x 2 table
	 * with its margins, each of them), so it is hidden, per fold too. */
	if (diagonal_hidden_any) {
		m->accuracy = r->mean_accuracy = NAN;
		for (p = 0; p < r->folds; p++)
			r->fold[p].accuracy = NAN;
	}
	tact_privacy_plan_release(&plan);
	/* A check of the result, over the figures as printed: where a small
	 * cell still follows (the decision takes hidden zeros as known and
	 * may leave a cell alone in a margin), hide every count. */
	follows = small_cell_follows(original, m, k, min_cell);
	if (follows > 0)
		for (a = 0; a < k; a++) {
			for (p = 0; p < k; p++)
				m->confusion[a * k + p] = NAN;
			m->support[a] = m->precision[a] = m->recall[a] = NAN;
		}
	free(original);
	return follows < 0 ? tact_error_oom(error) : TACT_OK;
}

/* ---- the report ------------------------------------------------------- */

void tact_crossval_report_init(tact_crossval_report *report)
{
	memset(report, 0, sizeof *report);
	tact_crossval_metrics_init(&report->all);
	report->mean_accuracy = report->mean_auc = report->mean_log_loss = NAN;
}

void tact_crossval_report_release(tact_crossval_report *report)
{
	size_t i;

	tact_crossval_metrics_release(&report->all);
	if (report->fold)
		for (i = 0; i < report->folds; i++)
			tact_crossval_metrics_release(&report->fold[i]);
	for (i = 0; i < report->calibration_count; i++)
		tact_crossval_calibration_release(&report->calibration[i]);
	free(report->fold);
	free(report->iterations);
	free(report->converged);
	free(report->calibration);
	tact_crossval_report_init(report);
}
