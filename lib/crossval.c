/*
 * crossval.c - folds and measures of a classifier (see crossval.h).
 */
#include "crossval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "privacy.h"
#include "table.h"

#define LOG_LOSS_CLIP 1e-15

static tact_status out_of_memory(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "evaluation: out of memory");
}

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
		return out_of_memory(error);
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
		return out_of_memory(error);
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
		return out_of_memory(error);
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
		return out_of_memory(error);
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
		return out_of_memory(error);
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
		return out_of_memory(error);
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
	return follows < 0 ? out_of_memory(error) : TACT_OK;
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

/* The bin after b's group (b + 1 when bins are not merged). */
static size_t next_bin(const tact_crossval_calibration *c, size_t b)
{
	return c->last ? c->last[b] + 1 : b + 1;
}

/* A count of people, "(hidden)" when hidden (NaN: --min-cell), as
 * tact-compare's table shows a hidden count. */
static const char *count_text(char *buffer, double value)
{
	return isnan(value) ? "(hidden)"
	                    : tact_format_count(buffer, (int64_t)value);
}

/* -- CSV -- */

static void csv_row(FILE *out, const char *metric, const char *fold,
                    const char *class_name, const char *predicted, size_t bin,
                    double value)
{
	fputs(metric, out);
	putc(',', out);
	fputs(fold, out);
	putc(',', out);
	if (class_name)
		tact_format_csv_string(out, class_name, ',');
	putc(',', out);
	if (predicted)
		tact_format_csv_string(out, predicted, ',');
	putc(',', out);
	if (bin)
		fprintf(out, "%zu", bin);
	putc(',', out);
	tact_format_csv_number(out, value);
	putc('\n', out);
}

static void write_csv(const tact_crossval_report *r, FILE *out)
{
	const size_t k = r->classes;
	const tact_crossval_metrics *m = &r->all;
	size_t a, p, f, t, b;
	char fold[32];

	fputs("metric,fold,class,predicted,bin,value\n", out);
	csv_row(out, "rows", "all", NULL, NULL, 0, m->rows);
	csv_row(out, "rows_left_out", "all", NULL, NULL, 0, r->rows_left_out);
	csv_row(out, "accuracy", "all", NULL, NULL, 0, m->accuracy);
	csv_row(out, "auc", "all", NULL, NULL, 0, m->auc);
	csv_row(out, "log_loss", "all", NULL, NULL, 0, m->log_loss);
	for (a = 0; a < k; a++) {
		const char *name = r->class_names[a];
		csv_row(out, "support", "all", name, NULL, 0, m->support[a]);
		csv_row(out, "precision", "all", name, NULL, 0, m->precision[a]);
		csv_row(out, "recall", "all", name, NULL, 0, m->recall[a]);
		if (k > 2)
			csv_row(out, "auc", "all", name, NULL, 0, m->class_auc[a]);
	}
	for (a = 0; a < k; a++)
		for (p = 0; p < k; p++)
			csv_row(out, "confusion", "all", r->class_names[a],
			        r->class_names[p], 0, m->confusion[a * k + p]);
	for (t = 0; t < r->calibration_count; t++) {
		const tact_crossval_calibration *c = &r->calibration[t];
		const char *name = r->class_names[c->class_index];
		for (b = 0; b < c->bins; b = next_bin(c, b)) {
			csv_row(out, "calibration_count", "all", name, NULL, b + 1,
			        c->count[b]);
			csv_row(out, "calibration_mean_predicted", "all", name, NULL,
			        b + 1, c->mean_predicted[b]);
			csv_row(out, "calibration_observed_rate", "all", name, NULL,
			        b + 1, c->observed[b]);
		}
	}
	for (f = 0; f < r->folds; f++) {
		snprintf(fold, sizeof fold, "%zu", f + 1);
		csv_row(out, "rows", fold, NULL, NULL, 0, r->fold[f].rows);
		csv_row(out, "accuracy", fold, NULL, NULL, 0, r->fold[f].accuracy);
		csv_row(out, "auc", fold, NULL, NULL, 0, r->fold[f].auc);
		csv_row(out, "log_loss", fold, NULL, NULL, 0, r->fold[f].log_loss);
		csv_row(out, "iterations", fold, NULL, NULL, 0,
		        (double)r->iterations[f]);
		csv_row(out, "converged", fold, NULL, NULL, 0, r->converged[f]);
	}
	if (r->folds) {
		csv_row(out, "accuracy", "mean", NULL, NULL, 0, r->mean_accuracy);
		csv_row(out, "auc", "mean", NULL, NULL, 0, r->mean_auc);
		csv_row(out, "log_loss", "mean", NULL, NULL, 0, r->mean_log_loss);
	}
}

/* -- JSON -- */

static void json_array(FILE *out, const double *values, size_t n)
{
	size_t i;

	putc('[', out);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		tact_format_json_number(out, values[i]);
	}
	putc(']', out);
}

static void json_field(FILE *out, const char *name, double value, int comma)
{
	fprintf(out, "%s\"%s\": ", comma ? ", " : "", name);
	tact_format_json_number(out, value);
}

static void write_json(const tact_crossval_report *r, FILE *out)
{
	const size_t k = r->classes;
	const tact_crossval_metrics *m = &r->all;
	size_t a, f, t, b;

	fputs("{\n  \"label\": ", out);
	tact_format_json_string(out, r->label);
	fputs(",\n  \"method\": ", out);
	tact_format_json_string(out, r->method);
	if (strcmp(r->method, "logistic") == 0) {
		fputs(",\n  ", out);
		json_field(out, "lambda", r->lambda, 0);
		fputs(",\n  ", out);
		json_field(out, "C", r->lambda > 0 ? 1 / r->lambda : INFINITY, 0);
	}
	fprintf(out, ",\n  \"folds\": %zu,\n  \"seed\": %llu,\n  \"classes\": [",
	        r->folds, (unsigned long long)r->seed);
	for (a = 0; a < k; a++) {
		if (a)
			fputs(", ", out);
		tact_format_json_string(out, r->class_names[a]);
	}
	fputs("],\n  ", out);
	json_field(out, "rows_left_out", r->rows_left_out, 0);
	fputs(",\n  \"all\": {", out);
	json_field(out, "rows", m->rows, 0);
	json_field(out, "accuracy", m->accuracy, 1);
	json_field(out, "auc", m->auc, 1);
	json_field(out, "log_loss", m->log_loss, 1);
	fputs(",\n    \"support\": ", out);
	json_array(out, m->support, k);
	fputs(",\n    \"precision\": ", out);
	json_array(out, m->precision, k);
	fputs(",\n    \"recall\": ", out);
	json_array(out, m->recall, k);
	fputs(",\n    \"class_auc\": ", out);
	json_array(out, m->class_auc, k);
	fputs(",\n    \"confusion\": [", out);
	for (a = 0; a < k; a++) {
		fputs(a ? ", " : "", out);
		json_array(out, m->confusion + a * k, k);
	}
	fputs("]}", out);
	if (r->folds) {
		fputs(",\n  \"mean\": {", out);
		json_field(out, "accuracy", r->mean_accuracy, 0);
		json_field(out, "auc", r->mean_auc, 1);
		json_field(out, "log_loss", r->mean_log_loss, 1);
		fputs("},\n  \"fold_results\": [", out);
		for (f = 0; f < r->folds; f++) {
			fprintf(out, "%s\n    {\"fold\": %zu", f ? "," : "", f + 1);
			json_field(out, "rows", r->fold[f].rows, 1);
			json_field(out, "accuracy", r->fold[f].accuracy, 1);
			json_field(out, "auc", r->fold[f].auc, 1);
			json_field(out, "log_loss", r->fold[f].log_loss, 1);
			fprintf(out, ", \"iterations\": %zu, \"converged\": %s}",
			        r->iterations[f], r->converged[f] ? "true" : "false");
		}
		fputs("]", out);
	}
	fputs(",\n  \"calibration\": [", out);
	for (t = 0; t < r->calibration_count; t++) {
		const tact_crossval_calibration *c = &r->calibration[t];
		fputs(t ? ",\n    {\"class\": " : "\n    {\"class\": ", out);
		tact_format_json_string(out, r->class_names[c->class_index]);
		fputs(", \"bins\": [", out);
		for (b = 0; b < c->bins; b = next_bin(c, b)) {
			fprintf(out, "%s\n      {", b ? "," : "");
			json_field(out, "low", (double)b / (double)c->bins, 0);
			json_field(out, "high", (double)next_bin(c, b) / (double)c->bins,
			           1);
			json_field(out, "count", c->count[b], 1);
			json_field(out, "mean_predicted", c->mean_predicted[b], 1);
			json_field(out, "observed_rate", c->observed[b], 1);
			putc('}', out);
		}
		fputs("]}", out);
	}
	fputs("]\n}\n", out);
}

/* -- table -- */

static const char *fixed(char *buffer, double value, int decimals)
{
	tact_format_fixed(buffer, TACT_FORMAT_NUMBER_MAX, value, decimals);
	return buffer[0] ? buffer : "-";
}

static tact_status print_table(tact_table *table, FILE *out, int failed,
                               tact_error *error)
{
	if (failed) {
		tact_table_release(table);
		return out_of_memory(error);
	}
	tact_table_print(table, out);
	tact_table_release(table);
	return TACT_OK;
}

static tact_status table_summary(const tact_crossval_report *r, FILE *out,
                                 tact_error *error)
{
	const size_t columns = 2 + (r->folds ? 1 + r->folds : 0);
	const char **cells = calloc(columns, sizeof *cells);
	char (*text)[TACT_FORMAT_NUMBER_MAX] = calloc(columns, sizeof *text);
	tact_table table;
	size_t f, row, c;
	int failed = 0;

	if (!cells || !text) {
		free(cells);
		free(text);
		return out_of_memory(error);
	}
	cells[0] = "";
	cells[1] = r->folds ? "out of fold" : "all rows";
	if (r->folds) {
		cells[2] = "mean of folds";
		for (f = 0; f < r->folds; f++) {
			snprintf(text[3 + f], sizeof text[0], "fold %zu", f + 1);
			cells[3 + f] = text[3 + f];
		}
	}
	if (tact_table_init(&table, columns, cells) != 0) {
		free(cells);
		free(text);
		return out_of_memory(error);
	}
	for (c = 1; c < columns; c++)
		tact_table_align_right(&table, c);
	for (row = 0; row < (r->folds ? 6u : 4u); row++) {
		static const char *names[] = {"rows", "accuracy", "AUC", "log loss",
		                              "iterations", "converged"};
		cells[0] = names[row];
		for (c = 1; c < columns; c++) {
			const tact_crossval_metrics *m =
			        c == 1 ? &r->all : c >= 3 ? &r->fold[c - 3] : NULL;
			double v = NAN;
			switch (row) {
			case 0: v = m ? m->rows : NAN; break;
			case 1: v = m ? m->accuracy : r->mean_accuracy; break;
			case 2: v = m ? m->auc : r->mean_auc; break;
			case 3: v = m ? m->log_loss : r->mean_log_loss; break;
			}
			if (row == 0)
				cells[c] = m ? tact_format_count(text[c], (int64_t)v) : "";
			else if (row <= 3)
				cells[c] = fixed(text[c], v, 4);
			else if (c < 3)
				cells[c] = "";
			else if (row == 4)
				cells[c] = tact_format_count(text[c],
				                             (int64_t)r->iterations[c - 3]);
			else
				cells[c] = r->converged[c - 3] ? "yes" : "NO";
		}
		failed |= tact_table_add(&table, cells, 0) != 0;
	}
	free(cells);
	free(text);
	return print_table(&table, out, failed, error);
}

static tact_status table_classes(const tact_crossval_report *r, FILE *out,
                                 tact_error *error)
{
	const size_t k = r->classes, columns = 4 + (k > 2) + k;
	const char **cells = calloc(columns, sizeof *cells);
	char (*text)[TACT_FORMAT_NUMBER_MAX] = calloc(columns, sizeof *text);
	tact_table table;
	size_t a, p, c;
	int failed = 0;

	if (!cells || !text) {
		free(cells);
		free(text);
		return out_of_memory(error);
	}
	cells[0] = "actual \\ predicted";
	cells[1] = "rows";
	cells[2] = "precision";
	cells[3] = "recall";
	if (k > 2)
		cells[4] = "AUC";
	for (p = 0; p < k; p++)
		cells[4 + (k > 2) + p] = r->class_names[p];
	if (tact_table_init(&table, columns, cells) != 0) {
		free(cells);
		free(text);
		return out_of_memory(error);
	}
	for (c = 1; c < columns; c++)
		tact_table_align_right(&table, c);
	for (a = 0; a < k; a++) {
		cells[0] = r->class_names[a];
		cells[1] = count_text(text[1], r->all.support[a]);
		cells[2] = fixed(text[2], r->all.precision[a], 4);
		cells[3] = fixed(text[3], r->all.recall[a], 4);
		if (k > 2)
			cells[4] = fixed(text[4], r->all.class_auc[a], 4);
		for (p = 0; p < k; p++) {
			c = 4 + (k > 2) + p;
			cells[c] = count_text(text[c], r->all.confusion[a * k + p]);
		}
		failed |= tact_table_add(&table, cells, 0) != 0;
	}
	free(cells);
	free(text);
	return print_table(&table, out, failed, error);
}

static tact_status table_calibration(const tact_crossval_report *r,
                                     const tact_crossval_calibration *c,
                                     FILE *out, tact_error *error)
{
	static const char *headers[] = {"", "rows", "mean predicted",
	                                "observed rate"};
	const char *cells[4];
	char text[4][TACT_FORMAT_NUMBER_MAX];
	tact_table table;
	size_t b;
	int failed = 0;

	fputs("\nCalibration of the probability of ", out);
	tact_format_terminal(out, r->class_names[c->class_index]);
	fputs(":\n", out);
	if (tact_table_init(&table, 4, headers) != 0)
		return out_of_memory(error);
	for (b = 1; b < 4; b++)
		tact_table_align_right(&table, b);
	for (b = 0; b < c->bins; b = next_bin(c, b)) {
		snprintf(text[0], sizeof text[0], "%.3g-%.3g",
		         (double)b / (double)c->bins,
		         (double)next_bin(c, b) / (double)c->bins);
		cells[0] = text[0];
		cells[1] = count_text(text[1], c->count[b]);
		cells[2] = fixed(text[2], c->mean_predicted[b], 4);
		cells[3] = fixed(text[3], c->observed[b], 4);
		failed |= tact_table_add(&table, cells, 0) != 0;
	}
	return print_table(&table, out, failed, error);
}

static tact_status write_table(const tact_crossval_report *r, FILE *out,
                               tact_error *error)
{
	tact_status status;
	size_t t;

	if (strcmp(r->method, "logistic") == 0) {
		tact_format_terminal(out, r->label);
		fputs(": logistic regression, ", out);
		if (r->lambda > 0)
			fprintf(out, "L2 penalty lambda %g (C %g), ", r->lambda,
			        1 / r->lambda);
		else
			fputs("no penalty, ", out);
		fprintf(out, "%zu-fold cross-validation, seed %llu\n", r->folds,
		        (unsigned long long)r->seed);
	} else {
		tact_format_terminal(out, r->label);
		fputs(": rules, on every labelled row (no folds)\n", out);
	}
	fprintf(out, "%.0f rows, %.0f left out (no label or a missing feature)\n\n",
	        r->all.rows, r->rows_left_out);
	status = table_summary(r, out, error);
	if (status == TACT_OK) {
		fprintf(out, "\nPer class%s (rows: actual class; last columns: "
		        "predicted class):\n", r->folds ? ", out of fold" : "");
		status = table_classes(r, out, error);
	}
	for (t = 0; status == TACT_OK && t < r->calibration_count; t++)
		status = table_calibration(r, &r->calibration[t], out, error);
	return status;
}

tact_status tact_crossval_report_write(const tact_crossval_report *report,
                                       tact_crossval_format format, FILE *out,
                                       tact_error *error)
{
	switch (format) {
	case TACT_CROSSVAL_TABLE:
		return write_table(report, out, error);
	case TACT_CROSSVAL_JSON:
		write_json(report, out);
		return TACT_OK;
	default:
		write_csv(report, out);
		return TACT_OK;
	}
}

void tact_crossval_write_calibration(const tact_crossval_report *report,
                                     FILE *out)
{
	size_t t, b;

	fputs("class,bin,low,high,count,mean_predicted,observed_rate\n", out);
	for (t = 0; t < report->calibration_count; t++) {
		const tact_crossval_calibration *c = &report->calibration[t];
		for (b = 0; b < c->bins; b = next_bin(c, b)) {
			tact_format_csv_string(out, report->class_names[c->class_index],
			                       ',');
			fprintf(out, ",%zu,", b + 1);
			tact_format_csv_number(out, (double)b / (double)c->bins);
			putc(',', out);
			tact_format_csv_number(out,
			                       (double)next_bin(c, b) / (double)c->bins);
			putc(',', out);
			tact_format_csv_number(out, c->count[b]);
			putc(',', out);
			tact_format_csv_number(out, c->mean_predicted[b]);
			putc(',', out);
			tact_format_csv_number(out, c->observed[b]);
			putc('\n', out);
		}
	}
}
