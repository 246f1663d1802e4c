/*
 * test_intent.c - the intent model around the fit: the probability
 * formatter, exposure flags, priors and decisions, encoding, the model
 * file (written, read back, refused when broken), apply's byte keeping.
 *
 * References: the formatter against the C library's printf("%.10g");
 * the model file against itself (a model read back must predict exactly
 * what the fitted one does).  The fits themselves are checked against
 * statsmodels and scikit-learn by the CLI cases intent-train-statsmodels,
 * intent-train-mnlogit and intent-eval-sklearn (tests/expected/intent_*.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"
#include "intent.h"
#include "intent/intent_internal.h"

/* A temporary file holding text; its name in path (at least 32 bytes). */
static void temporary(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/tact-intent-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static char *slurp(const char *path, size_t *length)
{
	FILE *in = fopen(path, "rb");
	char *text = malloc(1 << 16);

	assert_non_null(in);
	*length = fread(text, 1, (1 << 16) - 1, in);
	text[*length] = '\0';
	fclose(in);
	return text;
}

static void test_probability_format(void **state)
{
	char buffer[32], reference[32];
	size_t n, i, differ = 0;
	uint64_t s = 42;

	(void)state;
#define CHECK(p, text)                                                        \
	do {                                                                  \
		n = tact_intent_format_probability(buffer, p, 0);             \
		buffer[n] = '\0';                                             \
		assert_string_equal(buffer, text);                            \
	} while (0)
	CHECK(0.0, "0");
	CHECK(1.0, "1");
	CHECK(0.5, "0.5");
	CHECK(0.25, "0.25");
	CHECK(0.1, "0.1");
	CHECK(0.0001, "0.0001");
	CHECK(0.00012345, "0.00012345");
	CHECK(1e-5, "1e-05");
	CHECK(2.5e-123, "2.5e-123");
	CHECK(0.99999999999, "1");
	CHECK(0.099999999999, "0.1");
	CHECK(0.12345678912345, "0.1234567891");
	CHECK(4.9e-324, "4.940656458e-324");
	n = tact_intent_format_probability(buffer, 0.125, 1);
	buffer[n] = '\0';
	assert_string_equal(buffer, "0,125");
	/* Against printf over every magnitude: equal, or one unit apart in the
	 * tenth digit (printf rounds the exact binary value; this rounds a
	 * product). */
	for (i = 0; i < 200000; i++) {
		double u = (double)(tact_crossval_random(&s) >> 11) / 9007199254740992.0;
		double p = u * pow(10.0, -(double)(i % 40));
		n = tact_intent_format_probability(buffer, p, 0);
		buffer[n] = '\0';
		snprintf(reference, sizeof reference, "%.10g", p);
		if (strcmp(buffer, reference) != 0) {
			double a = strtod(buffer, NULL), b = strtod(reference, NULL);
			differ++;
			if (!(fabs(a - b) <= 1.0001e-9 * fabs(b)))
				fail_msg("%.17g: '%s' against printf's '%s'", p, buffer,
				         reference);
		}
	}
	assert_true(differ < 200);
#undef CHECK
}

static void test_exposure(void **state)
{
	tact_names pre, post;
	char *names[3] = {"BounceRates", "Month", "minutes_on_site"};
	tact_intent_exposure kinds[3];
	char message[1024];

	(void)state;
	assert_string_equal(tact_intent_post_exposure_stem("BounceRates"), "bounce");
	assert_string_equal(tact_intent_post_exposure_stem("Administrative_Duration"),
	                    "duration");
	assert_string_equal(tact_intent_post_exposure_stem("time_on_page"), "timeon");
	assert_string_equal(tact_intent_post_exposure_stem("Add-To-Cart"), "cart");
	assert_null(tact_intent_post_exposure_stem("Month"));
	assert_null(tact_intent_post_exposure_stem("referrer"));
	memset(&pre, 0, sizeof pre);
	memset(&post, 0, sizeof post);
	assert_int_equal(tact_names_parse(&pre, "BounceRates", NULL), TACT_OK);
	assert_int_equal(tact_names_parse(&post, "minutes_on_site", NULL), TACT_OK);
	kinds[0] = tact_intent_exposure_of(names[0], &pre, &post);
	kinds[1] = tact_intent_exposure_of(names[1], &pre, &post);
	kinds[2] = tact_intent_exposure_of(names[2], &pre, &post);
	assert_int_equal(kinds[0], TACT_EXPOSURE_PRE);
	assert_int_equal(kinds[1], TACT_EXPOSURE_UNKNOWN);
	assert_int_equal(kinds[2], TACT_EXPOSURE_POST);
	assert_int_equal(tact_intent_exposure_of("ExitRates", &pre, NULL),
	                 TACT_EXPOSURE_LOOKS_POST);
	tact_intent_exposure_warning(names, kinds, 3, message, sizeof message);
	assert_non_null(strstr(message, "'minutes_on_site' (declared)"));
	assert_null(strstr(message, "BounceRates"));
	assert_non_null(strstr(message, "not a pre-treatment segment"));
	kinds[2] = TACT_EXPOSURE_UNKNOWN;
	tact_intent_exposure_warning(names, kinds, 3, message, sizeof message);
	assert_string_equal(message, "");
	tact_names_release(&pre);
	tact_names_release(&post);
}

static void test_priors_and_decisions(void **state)
{
	char *classes[3] = {"browse", "buy", "research"};
	double shares[3], p[3] = {0.5, 0.3, 0.2}, training[3] = {50, 30, 20};
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_intent_priors_parse("buy=1,browse=2,research=1",
	                                          classes, 3, shares, &error),
	                 TACT_OK);
	assert_close(shares[0], 0.5, 1e-15);
	assert_close(shares[1], 0.25, 1e-15);
	assert_int_equal(tact_intent_priors_parse("buy=1,browse=2", classes, 3,
	                                          shares, &error), TACT_USAGE);
	assert_non_null(strstr(error.message, "'research'"));
	assert_int_equal(tact_intent_priors_parse("buy=1,buy=2,research=1",
	                                          classes, 3, shares, &error),
	                 TACT_USAGE);
	assert_int_equal(tact_intent_priors_parse("buy=0,browse=2,research=1",
	                                          classes, 3, shares, &error),
	                 TACT_USAGE);
	assert_int_equal(tact_intent_priors_parse("shop=1,browse=2,research=1",
	                                          classes, 3, shares, &error),
	                 TACT_USAGE);
	assert_int_equal(tact_intent_priors_parse("buy", classes, 3, shares,
	                                          &error), TACT_USAGE);
	/* Shifting to the training shares themselves changes nothing. */
	shares[0] = 0.5; shares[1] = 0.3; shares[2] = 0.2;
	tact_intent_shift(p, shares, training, 3);
	assert_close(p[0], 0.5, 1e-15);
	/* Doubling a class's prior doubles its odds. */
	shares[0] = 0.25; shares[1] = 0.6; shares[2] = 0.15;
	tact_intent_shift(p, shares, training, 3);
	assert_close(p[1] / p[0], (0.3 / 0.5) * (0.6 / 0.3) / (0.25 / 0.5), 1e-14);
	assert_close(p[0] + p[1] + p[2], 1, 1e-15);

	p[0] = 0.4; p[1] = 0.4; p[2] = 0.2;
	assert_int_equal(tact_intent_decide(p, 3, NAN), 0);  /* ties: first */
	p[0] = 0.7; p[1] = 0.3;
	assert_int_equal(tact_intent_decide(p, 2, NAN), 0);
	assert_int_equal(tact_intent_decide(p, 2, 0.3), 1);
	assert_int_equal(tact_intent_decide(p, 2, 0.31), 0);
}

static const char training_data[] =
	"id,visits,device,returning,label\n"
	"1,1,mobile,yes,browse\n2,5,desktop,no,buy\n3,2,mobile,no,browse\n"
	"4,7,tablet,yes,buy\n5,0,desktop,no,browse\n6,4,mobile,yes,buy\n"
	"7,3,desktop,yes,browse\n8,6,mobile,no,buy\n9,1,tablet,no,browse\n"
	"10,5,mobile,yes,browse\n11,,mobile,yes,buy\n12,2,desktop,yes,\n"
	"13,8,desktop,no,buy\n14,2,tablet,yes,buy\n";

static void train_small(tact_intent_model *model, const char *path)
{
	tact_intent_options o;
	tact_error error;

	tact_intent_options_init(&o);
	tact_error_init(&error);
	o.label = "label";
	assert_int_equal(tact_names_parse(&o.features, "visits,device,returning",
	                                  &error), TACT_OK);
	assert_int_equal(tact_intent_train(path, &o, model, &error), TACT_OK);
	tact_intent_options_release(&o);
}

static void test_train_and_round_trip(void **state)
{
	char data[64], saved[64], name[64];
	tact_intent_model model, back;
	tact_error error;
	FILE *out;
	size_t j;
	double x[4], p[2], q[2];

	(void)state;
	temporary(data, training_data);
	tact_intent_model_init(&model);
	train_small(&model, data);
	assert_int_equal(model.class_count, 2);
	assert_string_equal(model.classes[1], "buy");
	assert_close(model.rows, 12, 0);
	assert_close(model.rows_left_out, 2, 0);
	assert_int_equal(model.features[0].kind, TACT_INTENT_NUMERIC);
	assert_int_equal(model.features[1].kind, TACT_INTENT_CATEGORICAL);
	assert_int_equal(model.features[2].kind, TACT_INTENT_BOOLEAN);
	assert_int_equal(model.encoded, 4);
	assert_string_equal(tact_intent_column_name(&model, 2, name, sizeof name),
	                    "device=tablet");
	assert_true(model.converged);

	temporary(saved, "");
	out = fopen(saved, "w");
	assert_int_equal(tact_intent_model_write(&model, out, &error), TACT_OK);
	fclose(out);
	tact_intent_model_init(&back);
	tact_error_init(&error);
	assert_int_equal(tact_intent_model_read(saved, &back, &error), TACT_OK);
	assert_int_equal(back.encoded, model.encoded);
	for (j = 0; j <= model.encoded; j++) {
		assert_true(back.coefficients[j] == model.coefficients[j]);
		assert_true(back.standard_errors[j] == model.standard_errors[j]);
	}
	x[0] = 3; x[1] = 1; x[2] = 0; x[3] = 1;
	tact_intent_predict(&model, x, p);
	tact_intent_predict(&back, x, q);
	assert_true(p[0] == q[0] && p[1] == q[1]);
	assert_close(p[0] + p[1], 1, 1e-15);
	tact_intent_model_release(&back);
	tact_intent_model_release(&model);
	unlink(data);
	unlink(saved);
}

static void expect_read_error(const char *text, const char *fragment,
                              uint64_t line)
{
	char path[64];
	tact_intent_model model;
	tact_error error;

	temporary(path, text);
	tact_intent_model_init(&model);
	tact_error_init(&error);
	assert_int_equal(tact_intent_model_read(path, &model, &error), TACT_DATA);
	if (!strstr(error.message, fragment) || error.line != line)
		fail_msg("line %llu: '%s', expected '%s' on line %llu",
		         (unsigned long long)error.line, error.message, fragment,
		         (unsigned long long)line);
	unlink(path);
}

static void test_model_file_errors(void **state)
{
	const char *head = "record,feature,level,class,value,standard_error\n"
	                   "format,,,,tact_intent_model_v1,\nmethod,,,,logistic,\n"
	                   "label,,,,y,\n";
	char text[2048];

	(void)state;
	expect_read_error("a,b\n1,2\n", "not a tact-intent model file", 1);
	expect_read_error("record,feature,level,class,value,standard_error\n"
	                  "format,,,,tact_intent_model_v9,\n", "is not supported", 2);
	snprintf(text, sizeof text, "%sclass,,,b,3,\nclass,,,a,3,\n", head);
	expect_read_error(text, "sorted", 6);
	snprintf(text, sizeof text,
	         "%sclass,,,a,3,\nclass,,,b,3,\nfeature,d,,,categorical,\n"
	         "level,d,y,,,\nlevel,d,x,,,\n", head);
	expect_read_error(text, "'x' is out of order", 9);
	snprintf(text, sizeof text,
	         "%sclass,,,a,3,\nclass,,,b,3,\nfeature,v,,,numeric,\n"
	         "intercept,,,b,0.5,\n", head);
	expect_read_error(text, "no coefficient for 'v' of class 'b'", 0);
	snprintf(text, sizeof text,
	         "%sclass,,,a,3,\nclass,,,b,3,\nfeature,v,,,numeric,\n"
	         "intercept,,,a,0.5,\n", head);
	expect_read_error(text, "second class only", 8);
	snprintf(text, sizeof text,
	         "%sclass,,,a,3,\nclass,,,b,3,\nfeature,v,,,numeric,\n"
	         "coefficient,w,,b,0.5,\n", head);
	expect_read_error(text, "no feature 'w'", 8);
	snprintf(text, sizeof text,
	         "%sclass,,,a,3,\nclass,,,b,3,\nfeature,v,,,numeric,\n"
	         "coefficient,v,,b,zero,\n", head);
	expect_read_error(text, "expected a number, got 'zero'", 8);
}

static void test_apply_keeps_bytes(void **state)
{
	static const char input[] =
		"\xEF\xBB\xBFid,visits,note,device,returning\r\n"
		"1,3,\"a, \"\"quoted\"\"\r\nnote\",mobile,yes\r\n"
		"2, 4 ,flâneur ☕,desktop,no\r\n"
		"3,,x,mobile,no\r\n"
		"4,1,y,phablet,no\r\n"
		"5,2,z,tablet,yes";
	char data[64], export[64], result[64];
	tact_intent_model model;
	tact_intent_apply_options options;
	tact_intent_apply_report report;
	tact_error error;
	FILE *out;
	char *text;
	size_t length;

	(void)state;
	temporary(data, training_data);
	temporary(export, input);
	temporary(result, "");
	tact_intent_model_init(&model);
	train_small(&model, data);
	tact_intent_apply_options_init(&options);
	tact_error_init(&error);
	out = fopen(result, "w");
	assert_int_equal(tact_intent_apply(&model, export, &options, out, &report,
	                                   &error), TACT_OK);
	fclose(out);
	assert_int_equal(report.rows, 5);
	assert_int_equal(report.missing, 1);
	assert_int_equal(report.unseen, 1);
	assert_non_null(strstr(report.first_unseen, "device=phablet"));
	text = slurp(result, &length);
	assert_memory_equal(text, "\xEF\xBB\xBFid,visits,note,device,returning,"
	                    "predicted_label,probability_browse,probability_buy\r\n"
	                    "1,3,\"a, \"\"quoted\"\"\r\nnote\",mobile,yes,", 103);
	assert_non_null(strstr(text, "\r\n3,,x,mobile,no,,,\r\n"));
	assert_non_null(strstr(text, "\r\n4,1,y,phablet,no,,,\r\n"));
	assert_non_null(strstr(text, "\r\n2, 4 ,flâneur ☕,desktop,no,"));
	/* The last row has no line end, and gets none. */
	assert_true(text[length - 1] != '\n');
	free(text);

	/* A bad number stops with its position. */
	unlink(export);
	temporary(export, "visits,device,returning\n1,mobile,no\nmany,mobile,no\n");
	out = fopen(result, "w");
	assert_int_equal(tact_intent_apply(&model, export, &options, out, &report,
	                                   &error), TACT_DATA);
	assert_int_equal(error.line, 3);
	assert_int_equal(error.column, 1);
	assert_non_null(strstr(error.message, "'visits' must be a number"));
	/* A threshold lies in [0, 1]. */
	options.threshold = 1.5;
	assert_int_equal(tact_intent_apply(&model, export, &options, out, &report,
	                                   &error), TACT_USAGE);
	fclose(out);
	tact_intent_model_release(&model);
	unlink(data);
	unlink(export);
	unlink(result);
}

/* ---- the scorer against encoding and tact_intent_predict ------------- */

static const char scoring_training[] =
	"visits,minutes,device,returning,goal,intent\n"
	"1,0.5,mobile,yes,no,browse\n5,12.25,desktop,no,yes,buy\n"
	"2,3.5,mobile,no,no,browse\n7,20,a-tablet-of-a-long-name,yes,yes,buy\n"
	"0,0,desktop,no,no,leave\n4,8.75,mobile,yes,yes,buy\n"
	"3,1.5,desktop,yes,no,browse\n6,15,mobile,no,yes,buy\n"
	"1,0.25,a-tablet-of-a-long-name,no,no,leave\n5,2,mobile,yes,no,browse\n"
	"8,30.5,desktop,no,yes,buy\n2,4,a-tablet-of-a-long-name,yes,yes,browse\n"
	"0,0.1,mobile,no,no,leave\n3,6,desktop,yes,yes,buy\n"
	"1,0,desktop,no,no,leave\n4,9,a-tablet-of-a-long-name,no,no,browse\n";

typedef struct scoring {
	const tact_intent_model *model;
	size_t columns[8];
	tact_intent_scorer scorer;
	size_t scored, empty, unseen;
} scoring;

/* Encode a record by hand (the design of intent.h), independently of the
 * scorer: 0, or 1 (empty cell) or 2 (unseen level). */
static int encode_by_hand(const scoring *s, const tact_csv_record *record,
                          double *x)
{
	const tact_intent_model *m = s->model;
	size_t f, l;

	for (f = 0; f < m->feature_count; f++) {
		const tact_intent_feature *feature = &m->features[f];
		const char *text = record->fields[s->columns[f]];
		if (!*text)
			return 1;
		if (feature->kind == TACT_INTENT_NUMERIC) {
			x[feature->first] = strtod(text, NULL);
		} else if (feature->kind == TACT_INTENT_BOOLEAN) {
			x[feature->first] = strcmp(text, "yes") == 0;
		} else {
			for (l = 0; l < feature->level_count; l++)
				if (strcmp(feature->levels[l], text) == 0)
					break;
			if (l == feature->level_count)
				return 2;
			for (l = 1; l < feature->level_count; l++)
				x[feature->first + l - 1] =
				        strcmp(feature->levels[l], text) == 0;
		}
	}
	return 0;
}

static tact_status score_row(void *context, const tact_csv_record *record,
                             tact_error *error)
{
	scoring *s = context;
	double x[16], eta[4], p[4], q[4];
	size_t k, which = 99;
	int outcome = -1, expected;

	if (record->index == 0) {
		assert_int_equal(tact_intent_bind(s->model, record, "t", s->columns,
		                                  error), TACT_OK);
		return tact_intent_scorer_build(&s->scorer, s->model, s->columns,
		                                error);
	}
	assert_int_equal(tact_intent_score(&s->scorer, record, 0, "t", eta,
	                                   &outcome, &which, error), TACT_OK);
	expected = encode_by_hand(s, record, x);
	assert_int_equal(outcome, expected);
	if (outcome != 0) {
		assert_int_equal(which, outcome == 1 ? 0 : 2);
		s->empty += outcome == 1;
		s->unseen += outcome == 2;
		return TACT_OK;
	}
	tact_intent_probabilities(s->model, eta, p);
	tact_intent_predict(s->model, x, q);
	for (k = 0; k < s->model->class_count; k++)
		assert_memory_equal(&p[k], &q[k], sizeof p[k]);  /* bit for bit */
	s->scored++;
	return TACT_OK;
}

static void score_rows(const char *training, const char *label,
                       size_t classes)
{
	static const char rows[] =
		"intent,returning,device,minutes,visits\n"
		"buy,yes,mobile,2.5,3\nbuy,no,desktop,0,0\n"
		"x,yes,a-tablet-of-a-long-name,99.125,12\n"
		"x,no,a-tablet-of-a-long-name-too,1,1\n"   /* unseen, long */
		"x,no,phablet,1,1\n"                       /* unseen, short */
		"x,no,mobile,1,\n"                         /* empty visits */
		"x,yes,desktop,1e3,40\nx,no,mobile,0.001,1\n";
	tact_intent_options o;
	tact_intent_model model;
	tact_error error;
	scoring s;

	tact_intent_options_init(&o);
	tact_error_init(&error);
	o.label = label;
	assert_int_equal(tact_names_parse(&o.features,
	                                  "visits,minutes,device,returning",
	                                  &error), TACT_OK);
	tact_intent_model_init(&model);
	assert_int_equal(tact_intent_train(training, &o, &model, &error),
	                 TACT_OK);
	assert_int_equal(model.class_count, classes);
	assert_int_equal(model.features[2].kind, TACT_INTENT_CATEGORICAL);
	memset(&s, 0, sizeof s);
	s.model = &model;
	assert_int_equal(tact_csv_read_memory("rows", rows, strlen(rows), NULL,
	                                      score_row, &s, &error), TACT_OK);
	assert_int_equal(s.scored, 5);
	assert_int_equal(s.empty, 1);
	assert_int_equal(s.unseen, 2);
	tact_intent_scorer_release(&s.scorer);
	tact_intent_model_release(&model);
	tact_intent_options_release(&o);
}

static void test_scorer_equals_predict(void **state)
{
	char training[64];

	(void)state;
	temporary(training, scoring_training);
	score_rows(training, "goal", 2);      /* one row of coefficients */
	score_rows(training, "intent", 3);    /* multinomial */
	unlink(training);
}

/* A wide model, three classes: 39 numbers and a categorical last (past
 * any small fixed number of terms a scorer might keep at hand), scored as
 * predict does, bit for bit; an empty cell late in the row named. */
enum { WIDE_NUMBERS = 39, WIDE_ROWS = 90 };

typedef struct wide {
	const tact_intent_model *model;
	size_t columns[WIDE_NUMBERS + 1];
	tact_intent_scorer scorer;
	size_t scored, empty;
} wide;

static tact_status score_wide_row(void *context, const tact_csv_record *record,
                                  tact_error *error)
{
	wide *w = context;
	const tact_intent_model *m = w->model;
	double x[64], eta[4], p[4], q[4];
	size_t f, k, which = 99;
	int outcome = -1, empty = 0;

	if (record->index == 0) {
		assert_int_equal(tact_intent_bind(m, record, "t", w->columns, error),
		                 TACT_OK);
		return tact_intent_scorer_build(&w->scorer, m, w->columns, error);
	}
	assert_int_equal(tact_intent_score(&w->scorer, record, 0, "t", eta,
	                                   &outcome, &which, error), TACT_OK);
	assert_true(m->encoded < 64);
	for (f = 0; f < m->feature_count; f++) {
		const tact_intent_feature *feature = &m->features[f];
		const char *text = record->fields[w->columns[f]];
		size_t l;
		if (!*text && !empty) {
			empty = 1;
			assert_int_equal(which, f);
		}
		if (feature->kind == TACT_INTENT_NUMERIC) {
			x[feature->first] = strtod(text, NULL);
			continue;
		}
		for (l = 1; l < feature->level_count; l++)
			x[feature->first + l - 1] = strcmp(feature->levels[l], text) == 0;
	}
	assert_int_equal(outcome, empty);
	if (empty) {
		w->empty++;
		return TACT_OK;
	}
	tact_intent_probabilities(m, eta, p);
	tact_intent_predict(m, x, q);
	for (k = 0; k < m->class_count; k++)
		assert_memory_equal(&p[k], &q[k], sizeof p[k]);  /* bit for bit */
	w->scored++;
	return TACT_OK;
}

static void test_scorer_many_terms(void **state)
{
	static const char *const classes[] = {"buy", "browse", "leave"};
	static const char *const devices[] = {"mobile", "desktop", "tablet"};
	const size_t size = 64 + (WIDE_ROWS + 1) * (WIDE_NUMBERS * 8 + 24);
	char *rows = malloc(size), path[64], features[WIDE_NUMBERS * 5 + 8];
	size_t used = 0, r, j, flen = 0;
	tact_intent_options o;
	tact_intent_model model;
	tact_error error;
	wide w;

	(void)state;
	assert_non_null(rows);
	used += (size_t)snprintf(rows + used, size - used, "label");
	for (j = 0; j < WIDE_NUMBERS; j++) {
		used += (size_t)snprintf(rows + used, size - used, ",f%zu", j);
		flen += (size_t)snprintf(features + flen, sizeof features - flen,
		                         "f%zu,", j);
	}
	snprintf(features + flen, sizeof features - flen, "device");
	used += (size_t)snprintf(rows + used, size - used, ",device\n");
	for (r = 0; r < WIDE_ROWS; r++) {
		used += (size_t)snprintf(rows + used, size - used, "%s",
		                         classes[(r + r / 7) % 3]);
		for (j = 0; j < WIDE_NUMBERS; j++)
			used += (size_t)snprintf(rows + used, size - used, ",%g",
			                         (double)((r * 7 + j * 13 + r * j) % 17) /
			                                 4.0);
		used += (size_t)snprintf(rows + used, size - used, ",%s\n",
		                         devices[(r * 5 + r / 3) % 3]);
	}
	rows[used] = '\0';
	temporary(path, rows);

	tact_intent_options_init(&o);
	tact_error_init(&error);
	o.label = "label";
	assert_int_equal(tact_names_parse(&o.features, features, &error), TACT_OK);
	tact_intent_model_init(&model);
	assert_int_equal(tact_intent_train(path, &o, &model, &error), TACT_OK);
	assert_int_equal(model.class_count, 3);
	assert_int_equal(model.feature_count, WIDE_NUMBERS + 1);
	/* A last row with f35 empty: told apart, with its feature. */
	used += (size_t)snprintf(rows + used, size - used, "buy");
	for (j = 0; j < WIDE_NUMBERS; j++)
		used += (size_t)snprintf(rows + used, size - used, j == 35 ? "," : ",1");
	used += (size_t)snprintf(rows + used, size - used, ",mobile\n");
	memset(&w, 0, sizeof w);
	w.model = &model;
	assert_int_equal(tact_csv_read_memory("rows", rows, used, NULL,
	                                      score_wide_row, &w, &error), TACT_OK);
	assert_int_equal(w.scored, WIDE_ROWS);
	assert_int_equal(w.empty, 1);
	tact_intent_scorer_release(&w.scorer);
	tact_intent_model_release(&model);
	tact_intent_options_release(&o);
	unlink(path);
	free(rows);
}

/* ---- several threads: the same bytes as one --------------------------- */

/* Apply model to export with threads and part_bytes; the output's bytes
 * into *text (malloc'd), the status returned. */
static tact_status apply_with(tact_intent_model *model, const char *export,
                              long threads, uint64_t part_bytes, char **text,
                              size_t *length, tact_intent_apply_report *report,
                              tact_error *error)
{
	tact_intent_apply_options options;
	tact_status status;
	FILE *out;

	tact_intent_apply_options_init(&options);
	options.threads = threads;
	options.part_bytes = part_bytes;
	tact_error_init(error);
	*text = NULL;
	*length = 0;
	out = open_memstream(text, length);
	assert_non_null(out);
	status = tact_intent_apply(model, export, &options, out, report, error);
	assert_int_equal(fclose(out), 0);
	return status;
}

/* An export of rows rows: quoted fields holding delimiters and quotes,
 * and newlines every newline_every rows (0: never; a part that begins
 * inside them is read again), CRLF and LF line ends, blank lines, rows
 * without consent, an empty feature, levels never seen. */
static char *threads_export(size_t rows, size_t bad_row, size_t newline_every)
{
	static const char *const devices[] = {"mobile", "desktop", "tablet"};
	size_t size = 128 + rows * 96, used = 0, r;
	char *text = malloc(size);

	assert_non_null(text);
	used += (size_t)snprintf(text + used, size - used,
	                         "\xEF\xBB\xBFid,visits,note,device,returning,"
	                         "consent\r\n");
	for (r = 1; r <= rows; r++) {
		char visits[16], note[40];
		const char *device = devices[r % 3];
		snprintf(visits, sizeof visits, "%zu", r % 9);
		if (r == bad_row)
			snprintf(visits, sizeof visits, "many");
		if (r % 41 == 0)
			visits[0] = '\0';
		if (r % 67 == 0)
			device = "phablet";
		if (newline_every && r % newline_every == 0)
			snprintf(note, sizeof note, "\"line %zu\nand, \"\"more\"\"\n\"", r);
		else if (r % 5 == 0)
			snprintf(note, sizeof note, "\"n%zu, \"\"quoted\"\"\"", r);
		else
			snprintf(note, sizeof note, "n%zu", r);
		used += (size_t)snprintf(text + used, size - used, "%zu,%s,%s,%s,%s,%d%s",
		                         r, visits, note, device,
		                         r % 2 ? "yes" : "no", r % 13 != 0,
		                         r % 3 ? "\n" : "\r\n");
		if (r % 50 == 0)
			used += (size_t)snprintf(text + used, size - used, "\n");
	}
	return text;
}

static void test_apply_threads_same_bytes(void **state)
{
	static const uint64_t parts[] = {16, 61, 64, 100, 333, 1000, 4096};
	char data[64], export[64];
	tact_intent_model model;
	tact_intent_apply_report one, many;
	tact_error error, error_many;
	char *expected, *got, *input;
	size_t expected_length, got_length, p, newlines;
	long threads;

	(void)state;
	temporary(data, training_data);
	tact_intent_model_init(&model);
	train_small(&model, data);

	/* Without newlines in quotes every part is applied by a thread; with
	 * them, some part begins inside quotes, and from there one thread
	 * reads on. */
	for (newlines = 0; newlines <= 90; newlines += 90) {
	input = threads_export(300, 0, newlines);
	temporary(export, input);
	free(input);
	assert_int_equal(apply_with(&model, export, 1, 0, &expected,
	                            &expected_length, &one, &error), TACT_OK);
	assert_int_equal(one.rows, 300);
	assert_true(one.missing > 0 && one.unseen > 0 && one.no_consent > 0);
	assert_non_null(strstr(one.first_unseen, "device=phablet (line "));
	for (p = 0; p < sizeof parts / sizeof *parts; p++)
		for (threads = 2; threads <= 3; threads++) {
			assert_int_equal(apply_with(&model, export, threads, parts[p],
			                            &got, &got_length, &many, &error),
			                 TACT_OK);
			assert_int_equal(got_length, expected_length);
			assert_memory_equal(got, expected, expected_length);
			assert_int_equal(many.rows, one.rows);
			assert_int_equal(many.missing, one.missing);
			assert_int_equal(many.unseen, one.unseen);
			assert_int_equal(many.no_consent, one.no_consent);
			assert_string_equal(many.first_unseen, one.first_unseen);
			free(got);
		}
	free(expected);
	unlink(export);
	}

	/* An error in a later part: the same position and message. */
	input = threads_export(300, 217, 0);
	temporary(export, input);
	free(input);
	assert_int_equal(apply_with(&model, export, 1, 0, &expected,
	                            &expected_length, &one, &error), TACT_DATA);
	free(expected);
	assert_true(error.line > 217);
	for (p = 0; p < sizeof parts / sizeof *parts; p++) {
		assert_int_equal(apply_with(&model, export, 2, parts[p], &got,
		                            &got_length, &many, &error_many),
		                 TACT_DATA);
		free(got);
		assert_int_equal(error_many.line, error.line);
		assert_int_equal(error_many.column, error.column);
		assert_string_equal(error_many.message, error.message);
	}
	unlink(export);
	tact_intent_model_release(&model);
	unlink(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probability_format),
		cmocka_unit_test(test_exposure),
		cmocka_unit_test(test_priors_and_decisions),
		cmocka_unit_test(test_train_and_round_trip),
		cmocka_unit_test(test_model_file_errors),
		cmocka_unit_test(test_apply_keeps_bytes),
		cmocka_unit_test(test_scorer_equals_predict),
		cmocka_unit_test(test_scorer_many_terms),
		cmocka_unit_test(test_apply_threads_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
