/*
 * test_dose.c - dose-response: bins (explicit and quantiles, ties), the cap
 * search, the analysed arms, suppression, the categorical model against
 * the observed rates, least squares and HC1 against the rows they stand
 * for, and bad input.
 *
 * Expected numbers are worked by hand here (quantiles, bins, net values of
 * a saturated model), or computed from the individual rows in the test
 * (least squares, its HC1 errors) where tact works from grouped moments.
 * The logistic fits and the joint covariance are checked against
 * statsmodels and numpy by the CLI cases dose-statsmodels and
 * dose-net-covariance (tests/expected/dose.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "dose.h"
#include "load.h"
#include "numeric.h"

/* ---- helpers ---------------------------------------------------------- */

typedef struct rows {
	char *text;
	size_t length, capacity;
} rows;

static void add(rows *r, const char *format, ...)
{
	va_list args;
	int n;

	for (;;) {
		size_t room = r->capacity - r->length;
		va_start(args, format);
		n = vsnprintf(r->text ? r->text + r->length : NULL, r->text ? room : 0,
		              format, args);
		va_end(args);
		assert_true(n >= 0);
		if (r->text && (size_t)n < room)
			break;
		r->capacity = 2 * (r->capacity + (size_t)n + 64);
		r->text = realloc(r->text, r->capacity);
		assert_non_null(r->text);
	}
	r->length += (size_t)n;
}

/* count rows of one kind */
static void repeat(rows *r, int count, const char *intent, const char *arm,
                   int exposures, int converted, int bounced)
{
	int i;

	for (i = 0; i < count; i++)
		add(r, "%s,%s,%d,%d,%d\n", intent, arm, exposures, converted, bounced);
}

static void load(rows *r, tact_summary *summary)
{
	tact_load_options options;
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_load_options_init(&options, &error), TACT_OK);
	options.exposure_dimension = 1;
	tact_summary_init(summary);
	assert_int_equal(tact_load_memory("in.csv", r->text, r->length, &options,
	                                  summary, NULL, &error),
	                 TACT_OK);
	tact_load_options_release(&options);
}

static tact_dose_options options_with(const char *bins, const char *weights)
{
	tact_dose_options o;
	tact_error error;

	tact_error_init(&error);
	assert_int_equal(tact_dose_options_init(&o, &error), TACT_OK);
	if (bins)
		assert_int_equal(tact_dose_parse_bins(&o, bins, &error), TACT_OK);
	if (weights)
		assert_int_equal(tact_dose_parse_weights(&o, weights, &error), TACT_OK);
	return o;
}

static const tact_dose_bin_row *bin_row(const tact_dose_result *r, size_t s,
                                        size_t k, size_t b)
{
	return &r->bin_rows[(s * r->outcome_count + k) * r->bin_count + b];
}

/* ---- bins ------------------------------------------------------------- */

static void test_parse_bins(void **state)
{
	static const char *const bad[] = {
		"", "a", "3-1", "0,0", "2,1", "5-,7", "0,1-3,2", "1-2-3", "-1",
		"0,,1", "1.5", "quantiles:1", "quantiles:101", "quantiles:", "quantiles:x"};
	tact_dose_options o = options_with(NULL, NULL);
	tact_error error;
	size_t i;

	(void)state;
	/* The default. */
	assert_int_equal(o.bin_count, 6);
	assert_int_equal(o.bins[3].low, 3);
	assert_int_equal(o.bins[3].high, 5);
	assert_int_equal(o.bins[5].low, 11);
	assert_int_equal(o.bins[5].high, TACT_DOSE_OPEN);
	assert_int_equal(tact_dose_parse_bins(&o, "0-5,6-10,11-20,21-50,51-100,101-",
	                                      &error), TACT_OK);
	assert_int_equal(o.bin_count, 6);
	assert_int_equal(o.bins[0].low, 0);
	assert_int_equal(o.bins[0].high, 5);
	assert_int_equal(o.bins[5].low, 101);
	/* Gaps are allowed; a bin may close the list. */
	assert_int_equal(tact_dose_parse_bins(&o, "1,4-6,9", &error), TACT_OK);
	assert_int_equal(o.bin_count, 3);
	assert_int_equal(o.bins[2].high, 9);
	assert_int_equal(tact_dose_parse_bins(&o, "quantiles:5", &error), TACT_OK);
	assert_int_equal(o.quantile_bins, 5);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tact_error_init(&error);
		assert_int_equal(tact_dose_parse_bins(&o, bad[i], &error), TACT_USAGE);
		assert_true(strstr(error.message, "--bins") != NULL);
	}
	/* A failed parse keeps the previous bins. */
	assert_int_equal(o.quantile_bins, 5);
	tact_dose_options_release(&o);
}

static void test_bin_labels(void **state)
{
	char label[32];
	tact_dose_bin a = {3, 5}, b = {7, 7}, c = {11, TACT_DOSE_OPEN};

	(void)state;
	tact_dose_bin_label(a, label, sizeof label);
	assert_string_equal(label, "3-5");
	tact_dose_bin_label(b, label, sizeof label);
	assert_string_equal(label, "7");
	tact_dose_bin_label(c, label, sizeof label);
	assert_string_equal(label, "11-");
}

static void test_quantile(void **state)
{
	const int64_t values[] = {0, 1, 2, 3};
	const int64_t counts[] = {5, 5, 0, 10};
	int64_t ten_values[10], ten_counts[10];
	int i;

	(void)state;
	/* F(0) = 0.25, F(1) = 0.5, F(2) = 0.5, F(3) = 1. */
	assert_int_equal(tact_dose_quantile(values, counts, 4, 0.1), 0);
	assert_int_equal(tact_dose_quantile(values, counts, 4, 0.25), 0);
	assert_int_equal(tact_dose_quantile(values, counts, 4, 0.5), 1);
	assert_int_equal(tact_dose_quantile(values, counts, 4, 0.51), 3);
	assert_int_equal(tact_dose_quantile(values, counts, 4, 1.0), 3);
	/* 0.2 * 10 units is the second unit, despite 0.2's rounding. */
	for (i = 0; i < 10; i++) {
		ten_values[i] = i;
		ten_counts[i] = 1;
	}
	assert_int_equal(tact_dose_quantile(ten_values, ten_counts, 10, 0.2), 1);
	assert_int_equal(tact_dose_quantile(ten_values, ten_counts, 10, 0.99), 9);
}

static void test_quantile_bins_and_ties(void **state)
{
	/* Half the units at 0: the quartile cuts 0, 0, 3 merge into two. */
	const int64_t values[] = {0, 1, 2, 3, 4, 5};
	const int64_t counts[] = {50, 10, 10, 10, 10, 10};
	const int64_t even_values[] = {1, 2, 3, 4, 5, 6, 7, 8};
	const int64_t even_counts[] = {1, 1, 1, 1, 1, 1, 1, 1};
	const int64_t two_values[] = {0, 1};
	const int64_t two_counts[] = {1, 99};
	const int64_t none[] = {0};
	tact_dose_bin *bins;
	size_t count;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_dose_quantile_bins(values, counts, 6, 4, &bins, &count,
	                                         &error), TACT_OK);
	assert_int_equal(count, 3);
	assert_int_equal(bins[0].low, 0);
	assert_int_equal(bins[0].high, 0);
	assert_int_equal(bins[1].low, 1);
	assert_int_equal(bins[1].high, 3);
	assert_int_equal(bins[2].low, 4);
	assert_int_equal(bins[2].high, TACT_DOSE_OPEN);
	free(bins);
	/* No ties: quartiles of 1..8 end at 2, 4, 6; the first bin starts at
	 * the smallest count. */
	assert_int_equal(tact_dose_quantile_bins(even_values, even_counts, 8, 4,
	                                         &bins, &count, &error), TACT_OK);
	assert_int_equal(count, 4);
	assert_int_equal(bins[0].low, 1);
	assert_int_equal(bins[0].high, 2);
	assert_int_equal(bins[1].high, 4);
	assert_int_equal(bins[2].high, 6);
	assert_int_equal(bins[3].low, 7);
	free(bins);
	/* A cut at the largest count would leave the last bin empty. */
	assert_int_equal(tact_dose_quantile_bins(two_values, two_counts, 2, 2, &bins,
	                                         &count, &error), TACT_OK);
	assert_int_equal(count, 1);
	assert_int_equal(bins[0].low, 0);
	assert_int_equal(bins[0].high, TACT_DOSE_OPEN);
	free(bins);
	assert_int_equal(tact_dose_quantile_bins(none, none, 1, 3, &bins, &count,
	                                         &error), TACT_DATA);
}

/* ---- the cap's search ------------------------------------------------- */

static void test_argmax(void **state)
{
	const double rising[] = {1, 2, 3};
	const double tie[] = {1, 3, 3, 2};
	const double gaps[] = {NAN, 2, NAN, 1};
	const double blank[] = {NAN, NAN};

	(void)state;
	assert_int_equal(tact_dose_argmax(rising, 3), 2);
	assert_int_equal(tact_dose_argmax(tie, 4), 1);   /* the smallest */
	assert_int_equal(tact_dose_argmax(gaps, 4), 1);
	assert_int_equal(tact_dose_argmax(blank, 2), -1);
	assert_int_equal(tact_dose_argmax(blank, 0), -1);
}

/*
 * A saturated model gives the cap from the observed rates.  Treated units
 * at 0, 1, 2 and 3 exposures; converted rates 10%, 30%, 40%, 45% and
 * bounced 20%, 20%, 60%, 55%.  With bins 0, 1, 2- (categorical) and
 * weights converted=10, bounced=-1 the fitted net values are
 * 10 * 0.1 - 0.2 = 0.8, 10 * 0.3 - 0.2 = 2.8, and for the bin 2- (rates
 * 0.425 and 0.575 over its 400 units) 4.25 - 0.575 = 3.675: the cap is 2,
 * the first count of the best bin.  The control (never exposed, 200 units)
 * is left out by default.  A segment of 6 units ("tiny") is suppressed,
 * and the next smallest ("other", 20 units) with it, or the pooled
 * segment less buy and other would give tiny away.
 */
static void build_saturated(rows *r)
{
	memset(r, 0, sizeof *r);
	add(r, "intent,arm,exposures,converted,bounced\n");
	repeat(r, 200, "buy", "control", 0, 0, 0);
	repeat(r, 10, "buy", "treated", 0, 1, 0);
	repeat(r, 70, "buy", "treated", 0, 0, 0);
	repeat(r, 20, "buy", "treated", 0, 0, 1);
	repeat(r, 30, "buy", "treated", 1, 1, 0);
	repeat(r, 50, "buy", "treated", 1, 0, 0);
	repeat(r, 20, "buy", "treated", 1, 0, 1);
	repeat(r, 80, "buy", "treated", 2, 1, 0);
	repeat(r, 120, "buy", "treated", 2, 0, 1);
	repeat(r, 90, "buy", "treated", 3, 1, 0);
	repeat(r, 110, "buy", "treated", 3, 0, 1);
	repeat(r, 5, "other", "treated", 1, 1, 0);
	repeat(r, 5, "other", "treated", 1, 0, 0);
	repeat(r, 5, "other", "treated", 2, 1, 0);
	repeat(r, 5, "other", "treated", 2, 0, 1);
	repeat(r, 3, "tiny", "treated", 1, 1, 0);
	repeat(r, 3, "tiny", "treated", 2, 0, 1);
}

static void test_categorical_cap_from_observed_rates(void **state)
{
	tact_dose_options o = options_with("0,1,2-", "converted=10,bounced=-1");
	tact_dose_result result;
	tact_summary summary;
	tact_error error;
	rows r;
	const tact_dose_cap *cap;

	(void)state;
	build_saturated(&r);
	load(&r, &summary);
	tact_error_init(&error);
	o.transform = TACT_DOSE_CATEGORICAL;
	o.max_exposures = 5;
	o.draws = 200;
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_OK);
	assert_int_equal(result.arm_count, 1);
	assert_string_equal(result.arms[0], "treated");
	assert_int_equal(result.segment_count, 4);   /* (all), buy, other, tiny */
	assert_string_equal(result.segments[1].labels[0], "buy");
	assert_int_equal(result.segments[1].units, 600);
	assert_int_equal(result.outcome_count, 2);
	/* The bins of buy: units, rates, mean exposures. */
	assert_int_equal(bin_row(&result, 1, 0, 0)->units, 100);
	assert_close(bin_row(&result, 1, 0, 0)->mean, 0.1, 1e-15);
	assert_close(bin_row(&result, 1, 0, 2)->mean, 170.0 / 400, 1e-15);
	assert_close(bin_row(&result, 1, 0, 2)->mean_exposures, 2.5, 1e-15);
	assert_close(bin_row(&result, 1, 1, 2)->mean, 0.575, 1e-15);
	/* A saturated fit reproduces each bin's rate. */
	assert_close(bin_row(&result, 1, 0, 1)->fitted, 0.3, 1e-9);
	assert_close(bin_row(&result, 1, 1, 2)->fitted, 0.575, 1e-9);
	/* The cap. */
	cap = &result.caps[1];
	assert_int_equal(cap->status, TACT_DOSE_CAP_OK);
	assert_int_equal(cap->cap, 2);
	assert_close(cap->net_at_zero, 0.8, 1e-9);
	assert_close(cap->net_at_cap, 4.25 - 0.575, 1e-9);
	assert_close(cap->curve[5], 4.25 - 0.575, 1e-9);
	assert_true(cap->cap_low <= 2 && cap->cap_high >= 2);
	assert_true(cap->cap_low >= 1);   /* bin 1 is far below */
	assert_int_equal(cap->at_max, 0);
	/* The tiny segment: everything suppressed, nothing printed; the
	 * other one hidden with it (complementary suppression). */
	assert_int_equal(result.segments[3].suppressed, 1);
	assert_int_equal(bin_row(&result, 3, 0, 1)->suppressed, 1);
	assert_int_equal(bin_row(&result, 3, 0, 1)->units, -1);
	assert_true(isnan(bin_row(&result, 3, 0, 1)->mean));
	assert_int_equal(result.fits[3 * 2].status, TACT_DOSE_FIT_SUPPRESSED);
	assert_int_equal(result.caps[3].status, TACT_DOSE_CAP_SUPPRESSED);
	assert_int_equal(result.caps[3].cap, -1);
	assert_int_equal(result.segments[2].suppressed, 1);
	assert_int_equal(bin_row(&result, 2, 0, 2)->units, -1);
	assert_int_equal(result.caps[2].status, TACT_DOSE_CAP_SUPPRESSED);
	assert_true(strstr(result.caps[2].note, "recovered") != NULL);
	assert_int_equal(result.segments[1].suppressed, 0);
	/* The pooled segment's bins stay: 113 and 413 units. */
	assert_int_equal(bin_row(&result, 0, 0, 1)->units, 113);
	assert_int_equal(bin_row(&result, 0, 0, 2)->units, 413);
	tact_dose_result_release(&result);
	tact_summary_release(&summary);
	tact_dose_options_release(&o);
	free(r.text);
}

/*
 * One segment, bins 0, 1, 2-: 5 units at 0 (suppressed), 12 at 1, 50 at 2.
 * The segment's 67 units less the shown bins would give the 5 away, so
 * bin 1 (the smallest shown) is hidden too: 17 hidden units.  With a
 * second segment, the pooled bin less the shown segments' bins is
 * checked the same way.
 */
static void test_complementary_bins(void **state)
{
	tact_dose_options o = options_with("0,1,2-", NULL);
	tact_dose_result result;
	tact_summary summary;
	tact_error error;
	rows r;

	(void)state;
	memset(&r, 0, sizeof r);
	add(&r, "intent,arm,exposures,converted,bounced\n");
	/* Controls large enough that tact-compare hides nothing here (with
	 * one control unit, dose's totals would give it back with
	 * tact-validate's: dose_privacy.c hides them then). */
	repeat(&r, 20, "a", "control", 0, 0, 0);
	repeat(&r, 20, "b", "control", 0, 0, 0);
	repeat(&r, 5, "a", "treated", 0, 1, 0);
	repeat(&r, 6, "a", "treated", 1, 1, 0);
	repeat(&r, 6, "a", "treated", 1, 0, 1);
	repeat(&r, 25, "a", "treated", 2, 1, 0);
	repeat(&r, 25, "a", "treated", 2, 0, 0);
	/* b: 40 units at 0, 40 at 1, 3 at 2: its bin 2- is suppressed, and
	 * the pooled 2- (53) less a's 50 would give its 3 away, so a's bin
	 * 2- goes too. */
	repeat(&r, 40, "b", "treated", 0, 0, 1);
	repeat(&r, 40, "b", "treated", 1, 1, 1);
	repeat(&r, 3, "b", "treated", 2, 1, 0);
	load(&r, &summary);
	tact_error_init(&error);
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_OK);
	assert_int_equal(result.segment_count, 3);
	/* Segment a: bin 0 (5 units) and bin 1 (12, complementary) hidden,
	 * and bin 2- (50) hidden for segment b's sake: all three. */
	assert_int_equal(bin_row(&result, 1, 0, 0)->suppressed, 1);
	assert_int_equal(bin_row(&result, 1, 0, 1)->suppressed, 1);
	assert_int_equal(bin_row(&result, 1, 0, 2)->suppressed, 1);
	/* Segment b: bin 2- (3) hidden, and then its smallest shown bin, so
	 * that 83 less its shown bins is not 3. */
	assert_int_equal(bin_row(&result, 2, 0, 2)->suppressed, 1);
	assert_int_equal(bin_row(&result, 2, 1, 2)->suppressed, 1);
	assert_int_equal(bin_row(&result, 2, 0, 0)->suppressed +
	                 bin_row(&result, 2, 0, 1)->suppressed, 1);
	/* The pooled segment shows everything (every bin has 10 or more). */
	assert_int_equal(bin_row(&result, 0, 0, 0)->units, 45);
	assert_int_equal(bin_row(&result, 0, 0, 1)->units, 52);
	assert_int_equal(bin_row(&result, 0, 0, 2)->units, 53);
	/* No hidden count is recoverable: for every outcome, each segment's
	 * units less its shown bins, and each pooled bin less the segments'
	 * shown ones, is 0 or at least 10. */
	{
		size_t k, s, b;
		for (k = 0; k < result.outcome_count; k++) {
			for (s = 0; s < result.segment_count; s++) {
				int64_t left = result.segments[s].units;
				for (b = 0; b < result.bin_count; b++)
					if (!bin_row(&result, s, k, b)->suppressed)
						left -= bin_row(&result, s, k, b)->units;
				assert_true(left == 0 || left >= 10);
			}
			for (b = 0; b < result.bin_count; b++) {
				int64_t left = bin_row(&result, 0, k, b)->units;
				for (s = 1; s < result.segment_count; s++)
					if (!bin_row(&result, s, k, b)->suppressed)
						left -= bin_row(&result, s, k, b)->units;
				assert_true(left == 0 || left >= 10);
			}
		}
	}
	tact_dose_result_release(&result);
	tact_summary_release(&summary);
	tact_dose_options_release(&o);
	free(r.text);
}

static void test_arms(void **state)
{
	tact_dose_options o = options_with(NULL, NULL);
	tact_dose_result result;
	tact_summary summary;
	tact_error error;
	rows r;

	(void)state;
	build_saturated(&r);
	load(&r, &summary);
	tact_error_init(&error);
	/* All arms: the control's 200 unexposed units join the bin 0. */
	assert_int_equal(tact_dose_parse_arms(&o, "all", &error), TACT_OK);
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_OK);
	assert_int_equal(result.arm_count, 2);
	assert_int_equal(bin_row(&result, 1, 0, 0)->units, 300);
	tact_dose_result_release(&result);
	assert_int_equal(tact_dose_parse_arms(&o, "control", &error), TACT_OK);
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_OK);
	assert_int_equal(result.units, 200);
	tact_dose_result_release(&result);
	assert_int_equal(tact_dose_parse_arms(&o, "nobody", &error), TACT_OK);
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_DATA);
	assert_true(strstr(error.message, "'nobody'") != NULL);
	tact_dose_result_release(&result);
	/* No control to leave out. */
	assert_int_equal(tact_dose_parse_arms(&o, "treated", &error), TACT_OK);
	free(summary.control);
	summary.control = NULL;
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_DATA);
	assert_true(strstr(error.message, "--arms") != NULL);
	tact_dose_result_release(&result);
	assert_int_equal(tact_dose_parse_arms(&o, "", &error), TACT_USAGE);
	tact_summary_release(&summary);
	tact_dose_options_release(&o);
	free(r.text);
}

/*
 * Least squares from grouped moments equals least squares over the rows:
 * a value y at exposures e, slope and intercept by the textbook formulas,
 * the HC1 standard errors from the rows' residuals, all computed here.
 */
static void test_least_squares_matches_rows(void **state)
{
	static const int e[] = {0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 5, 5, 8, 8, 8};
	static const double y[] = {0, 12.5, 0, 3, 40, 0, 7.25, 0, 0, 90, 11,
	                           0, 55.5, 0, 20, 130};
	const size_t n = sizeof e / sizeof e[0];
	tact_dose_options o = options_with(NULL, NULL);
	tact_dose_result result;
	tact_summary summary;
	tact_error error;
	double mx = 0, my = 0, sxx = 0, sxy = 0, b0, b1, m00 = 0, m01 = 0, m11 = 0;
	double det, i00, i01, i11, v00, v11;
	const tact_dose_fit *fit;
	size_t i;
	rows r;

	(void)state;
	memset(&r, 0, sizeof r);
	add(&r, "intent,arm,exposures,revenue\n");
	for (i = 0; i < n; i++)
		add(&r, "x,treated,%d,%.17g\n", e[i], y[i]);
	add(&r, "x,control,0,0\n");
	load(&r, &summary);
	tact_error_init(&error);
	o.transform = TACT_DOSE_LINEAR;
	o.min_cell = 1;
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_OK);
	fit = &result.fits[0];
	assert_int_equal(fit->status, TACT_DOSE_FIT_OK);
	assert_int_equal(fit->logistic, 0);
	for (i = 0; i < n; i++) {
		mx += e[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (i = 0; i < n; i++) {
		sxx += (e[i] - mx) * (e[i] - mx);
		sxy += (e[i] - mx) * (y[i] - my);
	}
	b1 = sxy / sxx;
	b0 = my - b1 * mx;
	assert_close(fit->coefficients[0], b0, 1e-12);
	assert_close(fit->coefficients[1], b1, 1e-12);
	/* HC1: (X'X)^-1 (sum x x' r^2) (X'X)^-1 n / (n - 2). */
	for (i = 0; i < n; i++) {
		double res = y[i] - b0 - b1 * e[i], r2 = res * res;
		m00 += r2;
		m01 += r2 * e[i];
		m11 += r2 * e[i] * e[i];
	}
	det = (double)n * (sxx + (double)n * mx * mx) - ((double)n * mx) * ((double)n * mx);
	i00 = (sxx + (double)n * mx * mx) / det;
	i01 = -((double)n * mx) / det;
	i11 = (double)n / det;
	v00 = i00 * i00 * m00 + 2 * i00 * i01 * m01 + i01 * i01 * m11;
	v11 = i01 * i01 * m00 + 2 * i01 * i11 * m01 + i11 * i11 * m11;
	assert_close(fit->standard_errors[0], sqrt(v00 * n / (n - 2.0)), 1e-10);
	assert_close(fit->standard_errors[1], sqrt(v11 * n / (n - 2.0)), 1e-10);
	/* The bins of a value metric are means with t intervals. */
	assert_close(bin_row(&result, 0, 0, 0)->mean, 6.25, 1e-15);
	assert_true(bin_row(&result, 0, 0, 0)->low < 0);
	tact_dose_result_release(&result);
	tact_summary_release(&summary);
	tact_dose_options_release(&o);
	free(r.text);
}

static void test_bad_input(void **state)
{
	tact_dose_options o = options_with(NULL, NULL);
	tact_dose_result result;
	tact_summary summary;
	tact_load_options load_options;
	tact_error error;
	rows r;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_dose_parse_weights(&o, "converted", &error), TACT_USAGE);
	assert_int_equal(tact_dose_parse_weights(&o, "a=1,a=2", &error), TACT_USAGE);
	assert_int_equal(tact_dose_parse_weights(&o, "=1", &error), TACT_USAGE);
	assert_int_equal(tact_dose_parse_weights(&o, "a=x", &error), TACT_USAGE);
	assert_int_equal(tact_dose_parse_transform(&o, "cubic", &error), TACT_USAGE);
	build_saturated(&r);
	load(&r, &summary);
	/* Weights on a metric that is not an outcome. */
	assert_int_equal(tact_dose_parse_weights(&o, "revenue=1", &error), TACT_OK);
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_USAGE);
	assert_true(strstr(error.message, "'converted'") != NULL);
	tact_dose_result_release(&result);
	assert_int_equal(tact_dose_parse_weights(&o, "exposures=1", &error), TACT_OK);
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_USAGE);
	tact_dose_result_release(&result);
	tact_summary_release(&summary);
	/* A summary without the exposure dimension. */
	assert_int_equal(tact_load_options_init(&load_options, &error), TACT_OK);
	tact_summary_init(&summary);
	assert_int_equal(tact_load_memory("in.csv", r.text, r.length, &load_options,
	                                  &summary, NULL, &error), TACT_OK);
	assert_int_equal(tact_dose_parse_weights(&o, "", &error), TACT_OK);
	assert_int_equal(tact_dose_run(&summary, &o, &result, &error), TACT_DATA);
	assert_true(strstr(error.message, "--by-exposures") != NULL);
	tact_dose_result_release(&result);
	tact_summary_release(&summary);
	tact_load_options_release(&load_options);
	tact_dose_options_release(&o);
	free(r.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_bins),
		cmocka_unit_test(test_bin_labels),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_quantile_bins_and_ties),
		cmocka_unit_test(test_argmax),
		cmocka_unit_test(test_categorical_cap_from_observed_rates),
		cmocka_unit_test(test_complementary_bins),
		cmocka_unit_test(test_arms),
		cmocka_unit_test(test_least_squares_matches_rows),
		cmocka_unit_test(test_bad_input),
	};

	tact_numeric_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
