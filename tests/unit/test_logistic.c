/*
 * test_logistic.c - logistic regression: binary, weighted, grouped, L2,
 * multinomial; separation and bad input.
 *
 * Expected numbers: tests/expected/logistic_expected.h, printed by
 * tests/expected/logistic.py (which also draws the data with a fixed seed)
 * from statsmodels 0.13 (Logit, GLM Binomial with freq_weights and with
 * grouped endog, GLM get_prediction, MNLogit) and scikit-learn 1.2
 * (LogisticRegression, l2, lambda = 1/C, optionally behind StandardScaler);
 * the penalized standard errors from numpy's inverse / pseudo-inverse of the
 * penalized information at sklearn's optimum.  The other tests check
 * identities that need no reference: grouped rows against the rows they
 * stand for, weights against repeated rows, the intercept-only model in
 * closed form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "logistic.h"
#include "numeric.h"

#include "../expected/logistic_expected.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Agreement with the unpenalized references (Newton to 1e-14 there). */
#define REL_FIT 1e-8
/* Agreement with sklearn's exact-Newton solvers (gradient < 1e-10). */
#define REL_L2 1e-6

static tact_logistic_data binary_a(const double *weights)
{
	tact_logistic_data d;

	memset(&d, 0, sizeof d);
	d.rows = A_ROWS;
	d.features = A_FEATURES;
	d.x = a_x;
	d.successes = a_y;
	d.weights = weights;
	return d;
}

static tact_logistic_data grouped_b(void)
{
	tact_logistic_data d;

	memset(&d, 0, sizeof d);
	d.rows = B_ROWS;
	d.features = B_FEATURES;
	d.x = b_x;
	d.successes = b_successes;
	d.trials = b_trials;
	return d;
}

static tact_logistic_multinomial_data multinomial_m(void)
{
	tact_logistic_multinomial_data d;

	memset(&d, 0, sizeof d);
	d.rows = M_ROWS;
	d.features = M_FEATURES;
	d.classes = M_CLASSES;
	d.x = m_x;
	d.labels = m_y;
	return d;
}

static tact_status fit(const tact_logistic_data *d, double lambda,
                       int standardize, tact_logistic_model *model,
                       tact_error *error)
{
	tact_logistic_options options;

	tact_logistic_options_init(&options);
	options.lambda = lambda;
	options.standardize = standardize;
	tact_error_init(error);
	return tact_logistic_fit(d, &options, model, error);
}

static tact_status fit_multinomial(const tact_logistic_multinomial_data *d,
                                   double lambda, int standardize,
                                   tact_logistic_multinomial_model *model,
                                   tact_error *error)
{
	tact_logistic_options options;

	tact_logistic_options_init(&options);
	options.lambda = lambda;
	options.standardize = standardize;
	tact_error_init(error);
	return tact_logistic_multinomial_fit(d, &options, model, error);
}

static void assert_vector_close(const double *actual, const double *expected,
                                size_t n, double rel)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_close(actual[i], expected[i], rel);
}

static void assert_model_a_logit(const tact_logistic_model *m)
{
	assert_int_equal(m->features, A_FEATURES);
	assert_int_equal(m->parameters, A_FEATURES + 1);
	assert_vector_close(m->coefficients, a_logit_coef, 4, REL_FIT);
	assert_vector_close(m->standard_errors, a_logit_se, 4, REL_FIT);
	assert_vector_close(m->z, a_logit_z, 4, REL_FIT);
	assert_vector_close(m->p_values, a_logit_p, 4, REL_FIT);
	assert_vector_close(m->covariance, a_logit_cov, 16, REL_FIT);
	assert_close(m->log_likelihood, A_LOGIT_LLF, REL_FIT);
	/* Bernoulli rows: the saturated log-likelihood is 0. */
	assert_close(m->deviance, -2.0 * A_LOGIT_LLF, REL_FIT);
	assert_close(m->null_deviance, -2.0 * A_LOGIT_LLNULL, REL_FIT);
	assert_true(m->converged);
	assert_true(m->iterations >= 2 && m->iterations < 20);
}

static void test_binary_matches_statsmodels_logit(void **state)
{
	tact_logistic_data d = binary_a(NULL);
	tact_logistic_model m;
	tact_error error;

	(void)state;
	tact_logistic_model_init(&m);
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_OK);
	assert_model_a_logit(&m);
	/* Without a penalty, standardizing is a change of coordinates only. */
	assert_int_equal(fit(&d, 0.0, 1, &m, &error), TACT_OK);
	assert_model_a_logit(&m);
	/* Default options (NULL) are the same fit. */
	tact_error_init(&error);
	assert_int_equal(tact_logistic_fit(&d, NULL, &m, &error), TACT_OK);
	assert_model_a_logit(&m);
	tact_logistic_model_release(&m);
}

static void test_prediction_interval_matches_statsmodels_glm(void **state)
{
	tact_logistic_data d = binary_a(NULL);
	tact_logistic_model m;
	tact_error error;
	double p, low, high;

	(void)state;
	tact_logistic_model_init(&m);
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_OK);
	assert_close(tact_logistic_predict(&m, a_point), A_POINT_P, REL_FIT);
	assert_int_equal(tact_logistic_predict_interval(&m, a_point, 0.95, &p,
	                                                &low, &high, &error),
	                 TACT_OK);
	assert_close(p, A_POINT_P, REL_FIT);
	assert_close(low, A_POINT_LOW95, REL_FIT);
	assert_close(high, A_POINT_HIGH95, REL_FIT);
	assert_int_equal(tact_logistic_predict_interval(&m, a_point, 0.90, NULL,
	                                                &low, &high, &error),
	                 TACT_OK);
	assert_close(low, A_POINT_LOW90, REL_FIT);
	assert_close(high, A_POINT_HIGH90, REL_FIT);
	tact_logistic_model_release(&m);
}

static void test_weighted_matches_glm_freq_weights(void **state)
{
	tact_logistic_data d = binary_a(a_w);
	tact_logistic_model m, repeated;
	tact_error error;
	double *x, *y;
	size_t i, j, k, n = 0;

	(void)state;
	tact_logistic_model_init(&m);
	tact_logistic_model_init(&repeated);
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_OK);
	assert_vector_close(m.coefficients, a_weighted_coef, 4, REL_FIT);
	assert_vector_close(m.standard_errors, a_weighted_se, 4, REL_FIT);
	assert_close(m.log_likelihood, A_WEIGHTED_LLF, REL_FIT);
	assert_close(m.deviance, A_WEIGHTED_DEVIANCE, REL_FIT);

	/* A frequency weight of w is w copies of the row. */
	x = malloc(3 * A_ROWS * A_FEATURES * sizeof *x);
	y = malloc(3 * A_ROWS * sizeof *y);
	assert_non_null(x);
	assert_non_null(y);
	for (i = 0; i < A_ROWS; i++)
		for (k = 0; k < (size_t)a_w[i]; k++, n++) {
			for (j = 0; j < A_FEATURES; j++)
				x[n * A_FEATURES + j] = a_x[i * A_FEATURES + j];
			y[n] = a_y[i];
		}
	d.rows = n;
	d.x = x;
	d.successes = y;
	d.weights = NULL;
	assert_int_equal(fit(&d, 0.0, 0, &repeated, &error), TACT_OK);
	assert_vector_close(repeated.coefficients, m.coefficients, 4, 1e-9);
	assert_vector_close(repeated.standard_errors, m.standard_errors, 4, 1e-9);
	assert_close(repeated.log_likelihood, m.log_likelihood, 1e-10);
	free(x);
	free(y);
	tact_logistic_model_release(&m);
	tact_logistic_model_release(&repeated);
}

static void test_grouped_matches_glm_binomial(void **state)
{
	tact_logistic_data d = grouped_b();
	tact_logistic_model m;
	tact_error error;

	(void)state;
	tact_logistic_model_init(&m);
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_OK);
	assert_vector_close(m.coefficients, b_glm_coef, 3, REL_FIT);
	assert_vector_close(m.standard_errors, b_glm_se, 3, REL_FIT);
	assert_close(m.deviance, B_GLM_DEVIANCE, REL_FIT);
	assert_close(m.null_deviance, B_GLM_NULL_DEVIANCE, REL_FIT);
	/* tact's log-likelihood leaves out the binomial coefficients: it is
	 * that of Logit on the rows expanded to one per trial. */
	assert_close(m.log_likelihood, B_BERNOULLI_LLF, REL_FIT);
	assert_true(m.converged);
	tact_logistic_model_release(&m);
}

/* The grouped fit is the fit of the rows it stands for (about 4,500 rows:
 * also exercises the blocks of 256 rows). */
static void test_grouped_equals_expanded_rows(void **state)
{
	tact_logistic_data d = grouped_b();
	tact_logistic_model grouped, expanded;
	tact_error error;
	double *x, *y, total = 0;
	size_t i, j, k, n = 0;

	(void)state;
	for (i = 0; i < B_ROWS; i++)
		total += b_trials[i];
	x = malloc((size_t)total * B_FEATURES * sizeof *x);
	y = malloc((size_t)total * sizeof *y);
	assert_non_null(x);
	assert_non_null(y);
	for (i = 0; i < B_ROWS; i++)
		for (k = 0; k < (size_t)b_trials[i]; k++, n++) {
			for (j = 0; j < B_FEATURES; j++)
				x[n * B_FEATURES + j] = b_x[i * B_FEATURES + j];
			y[n] = k < (size_t)b_successes[i] ? 1.0 : 0.0;
		}
	tact_logistic_model_init(&grouped);
	tact_logistic_model_init(&expanded);
	assert_int_equal(fit(&d, 0.0, 0, &grouped, &error), TACT_OK);
	d.rows = n;
	d.x = x;
	d.successes = y;
	d.trials = NULL;
	assert_int_equal(fit(&d, 0.0, 0, &expanded, &error), TACT_OK);
	assert_vector_close(expanded.coefficients, grouped.coefficients, 3, 1e-9);
	assert_vector_close(expanded.standard_errors, grouped.standard_errors, 3,
	                    1e-9);
	assert_close(expanded.log_likelihood, grouped.log_likelihood, 1e-10);
	assert_close(expanded.null_deviance - expanded.deviance,
	             grouped.null_deviance - grouped.deviance, 1e-8);
	/* The same with a penalty, standardized: units weight the scaling. */
	assert_int_equal(fit(&d, 1.0 / B_L2STD_C, 1, &expanded, &error), TACT_OK);
	assert_vector_close(expanded.coefficients, b_l2std_coef, 3, REL_L2);
	free(x);
	free(y);
	tact_logistic_model_release(&grouped);
	tact_logistic_model_release(&expanded);
}

static void test_l2_matches_sklearn(void **state)
{
	tact_logistic_data d = binary_a(NULL);
	tact_logistic_model m;
	tact_error error;
	size_t j;

	(void)state;
	tact_logistic_model_init(&m);
	/* sklearn's C is 1 / lambda. */
	assert_int_equal(fit(&d, 1.0 / A_L2_C, 0, &m, &error), TACT_OK);
	assert_true(m.converged);
	assert_close(m.lambda, 1.0 / A_L2_C, 1e-15);
	assert_vector_close(m.coefficients, a_l2_coef, 4, REL_L2);
	assert_vector_close(m.standard_errors, a_l2_se, 4, REL_L2);
	assert_close(m.log_likelihood, A_L2_LLF, REL_L2);
	for (j = 0; j < 4; j++) {
		assert_true(isnan(m.z[j]));
		assert_true(isnan(m.p_values[j]));
	}
	tact_logistic_model_release(&m);
}

static void test_l2_standardized_weighted_matches_sklearn(void **state)
{
	tact_logistic_data d = binary_a(a_w);
	tact_logistic_model m;
	tact_error error;

	(void)state;
	tact_logistic_model_init(&m);
	assert_int_equal(fit(&d, 1.0 / A_L2STD_C, 1, &m, &error), TACT_OK);
	assert_true(m.converged);
	assert_true(m.standardized);
	assert_vector_close(m.coefficients, a_l2std_coef, 4, REL_L2);
	tact_logistic_model_release(&m);
}

static void test_grouped_l2_standardized_matches_sklearn(void **state)
{
	tact_logistic_data d = grouped_b();
	tact_logistic_model m;
	tact_error error;

	(void)state;
	tact_logistic_model_init(&m);
	assert_int_equal(fit(&d, 1.0 / B_L2STD_C, 1, &m, &error), TACT_OK);
	assert_vector_close(m.coefficients, b_l2std_coef, 3, REL_L2);
	tact_logistic_model_release(&m);
}

/* Intercept only: b0 = logit(rate), se = 1 / sqrt(n rate (1 - rate)). */
static void test_intercept_only_in_closed_form(void **state)
{
	static const double y[] = {1, 0, 0, 1, 0, 0, 0, 1, 0, 0};
	tact_logistic_data d;
	tact_logistic_model m;
	tact_error error;

	(void)state;
	memset(&d, 0, sizeof d);
	d.rows = COUNT(y);
	d.successes = y;
	tact_logistic_model_init(&m);
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_OK);
	assert_int_equal(m.parameters, 1);
	assert_close(m.coefficients[0], log(0.3 / 0.7), 1e-12);
	assert_close(m.standard_errors[0], 1.0 / sqrt(10 * 0.3 * 0.7), 1e-12);
	assert_close(m.deviance, m.null_deviance, 1e-12);
	tact_logistic_model_release(&m);
}

static void test_multinomial_matches_statsmodels_mnlogit(void **state)
{
	tact_logistic_multinomial_data d = multinomial_m();
	tact_logistic_multinomial_model m;
	tact_error error;
	double p[M_CLASSES];
	size_t j;

	(void)state;
	tact_logistic_multinomial_init(&m);
	assert_int_equal(fit_multinomial(&d, 0.0, 0, &m, &error), TACT_OK);
	assert_true(m.converged);
	assert_false(m.symmetric);
	assert_int_equal(m.classes, M_CLASSES);
	assert_int_equal(m.parameters, M_FEATURES + 1);
	for (j = 0; j < 3; j++) {
		assert_true(m.coefficients[j] == 0.0);
		assert_true(m.standard_errors[j] == 0.0);
	}
	assert_vector_close(m.coefficients + 3, m_mnlogit_coef, 6, REL_FIT);
	assert_vector_close(m.standard_errors + 3, m_mnlogit_se, 6, REL_FIT);
	assert_close(m.log_likelihood, M_MNLOGIT_LLF, REL_FIT);
	assert_close(m.deviance, -2.0 * M_MNLOGIT_LLF, REL_FIT);
	tact_logistic_multinomial_predict(&m, m_point, p);
	assert_vector_close(p, m_mnlogit_point_p, 3, REL_FIT);
	/* Standardizing changes nothing without a penalty. */
	assert_int_equal(fit_multinomial(&d, 0.0, 1, &m, &error), TACT_OK);
	assert_vector_close(m.coefficients + 3, m_mnlogit_coef, 6, REL_FIT);
	assert_vector_close(m.standard_errors + 3, m_mnlogit_se, 6, REL_FIT);
	tact_logistic_multinomial_release(&m);
}

static void test_multinomial_l2_matches_sklearn(void **state)
{
	tact_logistic_multinomial_data d = multinomial_m();
	tact_logistic_multinomial_model m;
	tact_error error;
	double p[M_CLASSES];

	(void)state;
	tact_logistic_multinomial_init(&m);
	assert_int_equal(fit_multinomial(&d, 1.0 / M_L2_C, 0, &m, &error),
	                 TACT_OK);
	assert_true(m.converged);
	assert_true(m.symmetric);
	assert_vector_close(m.coefficients, m_l2_coef, 9, REL_L2);
	assert_vector_close(m.standard_errors, m_l2_se, 9, REL_L2);
	assert_close(m.log_likelihood, M_L2_LLF, REL_L2);
	tact_logistic_multinomial_predict(&m, m_point, p);
	assert_vector_close(p, m_l2_point_p, 3, REL_L2);

	assert_int_equal(fit_multinomial(&d, 1.0 / M_L2STD_C, 1, &m, &error),
	                 TACT_OK);
	assert_vector_close(m.coefficients, m_l2std_coef, 9, REL_L2);
	tact_logistic_multinomial_release(&m);
}

/* Labels, one-hot counts, and counts against weights give one fit. */
static void test_multinomial_counts_equal_labels(void **state)
{
	tact_logistic_multinomial_data d = multinomial_m();
	tact_logistic_multinomial_model by_label, by_count;
	tact_error error;
	double counts[M_ROWS * M_CLASSES], weights[M_ROWS];
	size_t i, k;

	(void)state;
	for (i = 0; i < M_ROWS; i++) {
		for (k = 0; k < M_CLASSES; k++)
			counts[i * M_CLASSES + k] = m_y[i] == k ? 2.0 : 0.0;
		weights[i] = 2.0;
	}
	tact_logistic_multinomial_init(&by_label);
	tact_logistic_multinomial_init(&by_count);
	d.weights = weights;
	assert_int_equal(fit_multinomial(&d, 0.5, 0, &by_label, &error), TACT_OK);
	d.labels = NULL;
	d.counts = counts;
	d.weights = NULL;
	assert_int_equal(fit_multinomial(&d, 0.5, 0, &by_count, &error), TACT_OK);
	assert_vector_close(by_count.coefficients, by_label.coefficients, 9, 1e-9);
	assert_vector_close(by_count.standard_errors, by_label.standard_errors, 9,
	                    1e-9);
	assert_close(by_count.log_likelihood, by_label.log_likelihood, 1e-12);
	tact_logistic_multinomial_release(&by_label);
	tact_logistic_multinomial_release(&by_count);
}

static const double separated_x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5};
static const double separated_y[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};

static void test_separation_is_a_data_error(void **state)
{
	tact_logistic_data d;
	tact_logistic_model m;
	tact_error error;
	static const double trials[] = {10, 10, 10, 10};
	static const double successes[] = {0, 0, 10, 10};
	static const double gx[] = {1, 2, 3, 4};

	(void)state;
	memset(&d, 0, sizeof d);
	d.features = 1;
	d.x = separated_x;
	d.successes = separated_y;
	tact_logistic_model_init(&m);

	d.rows = 10;  /* complete: y = (x > 5) */
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "separate"));
	assert_null(m.coefficients);

	d.rows = 11;  /* quasi-complete: x = 5 has both outcomes */
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "separate"));

	/* Grouped: all failures below, all successes above. */
	d.rows = 4;
	d.x = gx;
	d.trials = trials;
	d.successes = successes;
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "separate"));

	/* A penalty gives the separated data a finite answer. */
	d.rows = 10;
	d.x = separated_x;
	d.successes = separated_y;
	d.trials = NULL;
	assert_int_equal(fit(&d, 1.0, 0, &m, &error), TACT_OK);
	assert_true(m.converged);
	assert_true(m.coefficients[1] > 0);
	tact_logistic_model_release(&m);
}

static void test_multinomial_separation_is_a_data_error(void **state)
{
	static const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
	static const size_t y[] = {0, 0, 0, 1, 1, 1, 2, 2, 2};
	tact_logistic_multinomial_data d;
	tact_logistic_multinomial_model m;
	tact_error error;

	(void)state;
	memset(&d, 0, sizeof d);
	d.rows = COUNT(y);
	d.features = 1;
	d.classes = 3;
	d.x = x;
	d.labels = y;
	tact_logistic_multinomial_init(&m);
	assert_int_equal(fit_multinomial(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "separate"));
	assert_null(m.coefficients);
	assert_int_equal(fit_multinomial(&d, 0.1, 0, &m, &error), TACT_OK);
	assert_true(m.converged);
	tact_logistic_multinomial_release(&m);
}

static void test_collinear_and_constant_features(void **state)
{
	double x[A_ROWS * 2];
	tact_logistic_data d = binary_a(NULL);
	tact_logistic_model m;
	tact_error error;
	size_t i;

	(void)state;
	tact_logistic_model_init(&m);
	d.features = 2;
	d.x = x;
	for (i = 0; i < A_ROWS; i++) {  /* the second column is twice the first */
		x[2 * i] = a_x[3 * i];
		x[2 * i + 1] = 2.0 * a_x[3 * i];
	}
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "collinear"));
	/* A penalty makes the coefficients identified: they split evenly
	 * between the two columns in proportion to their scale. */
	assert_int_equal(fit(&d, 1.0, 0, &m, &error), TACT_OK);
	assert_close(m.coefficients[2], 2.0 * m.coefficients[1], 1e-6);

	for (i = 0; i < A_ROWS; i++)  /* a constant second column */
		x[2 * i + 1] = 0.1;
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "constant"));
	assert_non_null(strstr(error.message, "feature 2 is constant"));
	/* Penalized, a constant column gets a coefficient of exactly 0. */
	assert_int_equal(fit(&d, 1.0, 1, &m, &error), TACT_OK);
	assert_true(m.coefficients[2] == 0.0);
	tact_logistic_model_release(&m);
}

static void test_outcome_that_never_varies(void **state)
{
	static const double zeros[] = {0, 0, 0, 0};
	static const double x[] = {1, 2, 3, 4};
	static const size_t labels[] = {0, 2, 0, 2};
	tact_logistic_data d;
	tact_logistic_multinomial_data md;
	tact_logistic_model m;
	tact_logistic_multinomial_model mm;
	tact_error error;

	(void)state;
	memset(&d, 0, sizeof d);
	d.rows = 4;
	d.features = 1;
	d.x = x;
	d.successes = zeros;
	tact_logistic_model_init(&m);
	assert_int_equal(fit(&d, 1.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "never varies"));

	memset(&md, 0, sizeof md);
	md.rows = 4;
	md.features = 1;
	md.classes = 3;
	md.x = x;
	md.labels = labels;
	tact_logistic_multinomial_init(&mm);
	assert_int_equal(fit_multinomial(&md, 1.0, 0, &mm, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "class 1 never occurs"));
}

static void test_bad_data_and_options(void **state)
{
	double x[4] = {1, 2, 3, 4}, y[4] = {0, 1, 0, 1}, t[4] = {1, 1, 1, 1};
	double w[4] = {1, 1, 1, 1};
	size_t labels[4] = {0, 1, 0, 1};
	tact_logistic_data d;
	tact_logistic_multinomial_data md;
	tact_logistic_options options;
	tact_logistic_model m;
	tact_logistic_multinomial_model mm;
	tact_error error;

	(void)state;
	memset(&d, 0, sizeof d);
	d.rows = 4;
	d.features = 1;
	d.x = x;
	d.successes = y;
	d.trials = t;
	d.weights = w;
	tact_logistic_model_init(&m);

	x[2] = NAN;
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "row 3: feature 1"));
	x[2] = 3;
	y[1] = 2;  /* successes > trials */
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "row 2: successes"));
	y[1] = 1;
	w[3] = -1;
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	w[3] = 1;
	t[0] = INFINITY;
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	t[0] = 1;
	d.rows = 0;
	assert_int_equal(fit(&d, 0.0, 0, &m, &error), TACT_DATA);
	d.rows = 4;

	tact_logistic_options_init(&options);
	options.tolerance = 0;
	assert_int_equal(tact_logistic_fit(&d, &options, &m, &error), TACT_USAGE);
	tact_logistic_options_init(&options);
	options.lambda = -1;
	assert_int_equal(tact_logistic_fit(&d, &options, &m, &error), TACT_USAGE);
	options.lambda = NAN;
	assert_int_equal(tact_logistic_fit(&d, &options, &m, &error), TACT_USAGE);
	tact_logistic_options_init(&options);
	options.max_iterations = 0;
	assert_int_equal(tact_logistic_fit(&d, &options, &m, &error), TACT_USAGE);

	/* Running out of iterations is not an error: converged says so. */
	{
		tact_logistic_data a = binary_a(NULL);

		tact_logistic_options_init(&options);
		options.max_iterations = 1;
		tact_error_init(&error);
		assert_int_equal(tact_logistic_fit(&a, &options, &m, &error),
		                 TACT_OK);
		assert_false(m.converged);
		assert_int_equal(m.iterations, 1);
	}
	{
		double p, low, high, bad[A_FEATURES] = {0, NAN, 0};

		assert_int_equal(tact_logistic_predict_interval(&m, a_point, 1.0,
		                                                &p, &low, &high,
		                                                &error),
		                 TACT_USAGE);
		assert_int_equal(tact_logistic_predict_interval(&m, a_point, 0.0,
		                                                &p, &low, &high,
		                                                &error),
		                 TACT_USAGE);
		assert_int_equal(tact_logistic_predict_interval(&m, bad, 0.95, &p,
		                                                &low, &high,
		                                                &error),
		                 TACT_DATA);
	}
	tact_logistic_model_release(&m);

	memset(&md, 0, sizeof md);
	md.rows = 4;
	md.features = 1;
	md.classes = 2;
	md.x = x;
	md.labels = labels;
	tact_logistic_multinomial_init(&mm);
	labels[3] = 2;  /* outside [0, classes) */
	assert_int_equal(fit_multinomial(&md, 0.0, 0, &mm, &error), TACT_DATA);
	assert_non_null(strstr(error.message, "row 4: class"));
	labels[3] = 1;
	md.classes = 1;
	assert_int_equal(fit_multinomial(&md, 0.0, 0, &mm, &error), TACT_DATA);
	assert_null(mm.coefficients);
}

/* Refitting a model replaces its contents; _free takes NULL and malloc'ed
 * models (ASan checks for leaks). */
static void test_lifecycle(void **state)
{
	tact_logistic_data d = binary_a(NULL);
	tact_logistic_multinomial_data md = multinomial_m();
	tact_logistic_model *m = malloc(sizeof *m);
	tact_logistic_multinomial_model *mm = malloc(sizeof *mm);
	tact_error error;

	(void)state;
	assert_non_null(m);
	assert_non_null(mm);
	tact_logistic_model_free(NULL);
	tact_logistic_multinomial_free(NULL);
	tact_logistic_model_init(m);
	tact_logistic_multinomial_init(mm);
	assert_int_equal(fit(&d, 0.0, 0, m, &error), TACT_OK);
	assert_int_equal(fit(&d, 2.0, 1, m, &error), TACT_OK);
	d.rows = 0;  /* a failed refit leaves the model empty */
	assert_int_equal(fit(&d, 0.0, 0, m, &error), TACT_DATA);
	assert_null(m->coefficients);
	assert_int_equal(fit_multinomial(&md, 0.0, 0, mm, &error), TACT_OK);
	assert_int_equal(fit_multinomial(&md, 1.0, 0, mm, &error), TACT_OK);
	tact_logistic_model_release(m);
	tact_logistic_model_release(m);  /* twice is harmless */
	tact_logistic_model_free(m);
	tact_logistic_multinomial_free(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binary_matches_statsmodels_logit),
		cmocka_unit_test(test_prediction_interval_matches_statsmodels_glm),
		cmocka_unit_test(test_weighted_matches_glm_freq_weights),
		cmocka_unit_test(test_grouped_matches_glm_binomial),
		cmocka_unit_test(test_grouped_equals_expanded_rows),
		cmocka_unit_test(test_l2_matches_sklearn),
		cmocka_unit_test(test_l2_standardized_weighted_matches_sklearn),
		cmocka_unit_test(test_grouped_l2_standardized_matches_sklearn),
		cmocka_unit_test(test_intercept_only_in_closed_form),
		cmocka_unit_test(test_multinomial_matches_statsmodels_mnlogit),
		cmocka_unit_test(test_multinomial_l2_matches_sklearn),
		cmocka_unit_test(test_multinomial_counts_equal_labels),
		cmocka_unit_test(test_separation_is_a_data_error),
		cmocka_unit_test(test_multinomial_separation_is_a_data_error),
		cmocka_unit_test(test_collinear_and_constant_features),
		cmocka_unit_test(test_outcome_that_never_varies),
		cmocka_unit_test(test_bad_data_and_options),
		cmocka_unit_test(test_lifecycle),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
