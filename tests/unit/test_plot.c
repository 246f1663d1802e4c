/*
 * test_plot.c - charts without gnuplot, and the gnuplot runner with fake
 * gnuplots.
 *
 * Scripts: the chart builders are fed tools' CSV outputs held in memory and
 * their scripts checked as text: labels quoted for gnuplot ('' for a quote,
 * %% in tic labels, control bytes turned to spaces, UTF-8 kept, long
 * labels cut with an ellipsis), the Okabe-Ito colours of goal and annoyance
 * metrics, the datablocks, suppressed rows whose figures are never read,
 * errors with file:line:column.
 *
 * Runner: only the process boundary is faked (small shell scripts given as
 * the gnuplot program): one that draws (writes the file named by the
 * script's "set output"), one that fails with a message, one that crashes,
 * one that draws nothing, one that hangs, one that never reads its input;
 * a missing gnuplot (option, TACT_GNUPLOT, PATH).  Every failure must leave
 * no file behind and an existing target untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "plot.h"
#include "plot/plot_internal.h"

static char directory[] = "/tmp/tact-plot-XXXXXX";

static const char compare_header[] =
	"intent,metric,direction,control,arm,n_control,n_arm,mean_control,"
	"control_low,control_high,mean_arm,arm_low,arm_high,diff,diff_low,"
	"diff_high,lift,lift_low,lift_high,test,p_value,p_adjusted,"
	"chance_to_beat,expected_loss,srm_p_value,verdict,margin,"
	"noninferiority_p_value\n";

/* Rows of tact-compare's CSV: awkward labels, both roles, a suppressed row
 * holding figures that must never be read (0.987654321). */
static const char compare_rows[] =
	"(all),converted,up,control,personalized,100,100,0.1,0.05,0.15,0.2,"
	"0.1,0.3,0.1,0.01,0.19,1,0.25,2.5,z,0.01,0.02,0.99,0.001,0.5,better,,\n"
	"\"it's \"\"q\"\" \\ 5% @x_{y}\",converted,up,control,personalized,100,"
	"100,0.1,0.05,0.15,0.12,0.06,0.2,0.02,-0.05,0.09,0.2,-0.3,0.9,z,0.6,"
	"1,0.7,0.01,0.5,inconclusive,,\n"
	"flâneur,bounced,down,control,personalized,100,100,0.3,0.2,0.4,0.45,"
	"0.35,0.55,0.15,0.02,0.28,0.5,0.1,1.1,z,0.01,0.03,0.01,0.15,0.5,"
	"worse,,\n"
	"\"line\nbreak\",bounced,down,control,personalized,100,100,0.3,0.2,"
	"0.4,0.31,0.2,0.4,0.01,-0.1,0.1,0.03,-0.3,0.5,z,0.9,1,0.4,0.02,0.5,"
	"inconclusive,,\n"
	"a segment name far longer than any chart has room for,converted,up,"
	"control,personalized,100,100,0.1,0.05,0.15,0.11,0.05,0.2,0.01,-0.06,"
	"0.08,0.1,-0.4,0.8,z,0.8,1,0.6,0.02,0.5,inconclusive,,\n"
	"tiny,converted,up,control,personalized,0.987654321,0.987654321,"
	"0.987654321,0.987654321,0.987654321,0.987654321,0.987654321,"
	"0.987654321,0.987654321,0.987654321,0.987654321,0.987654321,"
	"0.987654321,0.987654321,,,,,,,suppressed,,\n";

static char *concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *out = malloc(la + lb + 1);

	assert_non_null(out);
	memcpy(out, a, la);
	memcpy(out + la, b, lb + 1);
	return out;
}

/* Build a chart from CSV text; returns the status, script filled. */
static tact_status build(tact_plot_kind kind, const char *csv,
                         const tact_plot_options *options,
                         tact_plot_script *script, tact_error *error)
{
	tact_error_init(error);
	return tact_plot_build_memory(kind, "test.csv", csv, strlen(csv),
	                              options, script, error);
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		print_error("expected to find [%s]\n", needle);
		fail();
	}
}

static void assert_lacks(const char *text, const char *needle)
{
	if (strstr(text, needle)) {
		print_error("did not expect [%s]\n", needle);
		fail();
	}
}

static void test_quote(void **state)
{
	char *text = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&text, &length);

	(void)state;
	assert_non_null(out);
	tact_plot_quote(out, "it's 5% a\\b @^_{}");
	fputc('|', out);
	tact_plot_quote_format(out, "it's 5%");
	fputc('|', out);
	tact_plot_quote(out, "tab\there\nnew\x7f");
	fputc('|', out);
	tact_plot_quote(out, "bad \xff byte, flâneur");
	fputc('|', out);
	/* gnuplot 5.4 reads '''@x' as '' then @x, a macro: an apostrophe
	 * first or right after an escaped one is U+2019 (checked by running
	 * gnuplot's print on each: a'b, x', ''x all print). */
	tact_plot_quote(out, "'@pers");
	fputc('|', out);
	tact_plot_quote(out, "a''b'");
	fclose(out);
	assert_string_equal(text, "'it''s 5% a\\b @^_{}'|'it''s 5%%'|"
	                          "'tab here new '|"
	                          "'bad \xEF\xBF\xBD byte, flâneur'|"
	                          "'\xE2\x80\x99@pers'|'a''\xE2\x80\x99" "b'''");
	free(text);
}

static void test_shorten(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(tact_plot_shorten("short", 10, out, sizeof out),
	                    "short");
	assert_string_equal(tact_plot_shorten("exactly10!", 10, out, sizeof out),
	                    "exactly10!");
	/* Nine code points then the ellipsis; a space before it is dropped. */
	assert_string_equal(tact_plot_shorten("abcdefghijklmnop", 10, out,
	                                      sizeof out), "abcdefghi…");
	assert_string_equal(tact_plot_shorten("abcd efghijk", 6, out, sizeof out),
	                    "abcd…");
	/* Code points, not bytes: accented letters are not cut in half. */
	assert_string_equal(tact_plot_shorten("éééééé", 4, out, sizeof out),
	                    "ééé…");
	/* A small buffer still ends in a whole character. */
	assert_string_equal(tact_plot_shorten("abcdefghijklmnop", 40, out, 8),
	                    "abcd…");
}

static void test_nice_step_and_percent(void **state)
{
	char text[16];

	(void)state;
	assert_true(tact_plot_nice_step(100, 5) == 20);
	assert_true(tact_plot_nice_step(9.5, 6) == 2);
	assert_true(tact_plot_nice_step(0.3, 4) == 0.1);
	assert_true(tact_plot_nice_step(0, 4) == 1);
	tact_plot_percent_label(0.95, text, sizeof text);
	assert_string_equal(text, "95%");
	tact_plot_percent_label(0.975, text, sizeof text);
	assert_string_equal(text, "97.5%");
}

static void test_forest_script(void **state)
{
	char *csv = concat(compare_header, compare_rows);
	tact_plot_options options;
	tact_plot_script script;
	tact_error error;

	(void)state;
	tact_plot_options_init(&options);
	assert_int_equal(build(TACT_PLOT_FOREST, csv, &options, &script, &error),
	                 TACT_OK);
	/* Tic labels are formats: quote doubled, % doubled, the rest kept. */
	assert_contains(script.text, "'it''s \"q\" \\ 5%% @x_{y}'");
	assert_contains(script.text, "'flâneur'");
	/* A newline inside a label would end the gnuplot command. */
	assert_contains(script.text, "'line break'");
	assert_lacks(script.text, "line\nbreak");
	/* Long labels are cut with an ellipsis. */
	assert_contains(script.text, "'a segment name far longer t…'");
	assert_lacks(script.text, "room for");
	/* Goal metrics blue, annoyance vermillion, in datablocks. */
	assert_contains(script.text, TACT_PLOT_GOAL_COLOUR);
	assert_contains(script.text, TACT_PLOT_ANNOYANCE_COLOUR);
	assert_contains(script.text, "$forest0 << EOD\n");
	assert_contains(script.text, "\nEOD\n");
	assert_contains(script.text, "plot $forest0 using");
	/* The lift in %: 1 -> 100 with its interval 25 to 250, significant. */
	assert_contains(script.text, "100 6 25 250 1\n");
	/* The suppressed row is named, its figures never read. */
	assert_contains(script.text, "suppressed (too few units)");
	assert_lacks(script.text, "98.7654321");
	assert_lacks(script.text, "0.987654321");
	assert_contains(script.text, "1 row suppressed");
	assert_int_equal(script.notes, 1);
	assert_contains(script.text, "Lift against control, 95% interval");
	assert_true(script.width > 0 && script.height > 0);
	tact_plot_script_release(&script);

	/* The difference instead: rates in points. */
	options.measure = TACT_PLOT_DIFF;
	options.confidence = 0.9;
	options.omit_suppressed = 1;
	assert_int_equal(build(TACT_PLOT_FOREST, csv, &options, &script, &error),
	                 TACT_OK);
	assert_contains(script.text, "Difference against control, 90% interval");
	assert_contains(script.text, "difference (percentage points)");
	assert_contains(script.text, "10 5 1 19 1\n");
	assert_lacks(script.text, "'tiny'");
	assert_contains(script.text, "left out");
	tact_plot_script_release(&script);
	free(csv);
}

static void test_rates_script(void **state)
{
	char *csv = concat(compare_header, compare_rows);
	tact_plot_options options;
	tact_plot_script script;
	tact_error error;

	(void)state;
	tact_plot_options_init(&options);
	options.metric = "converted";
	assert_int_equal(build(TACT_PLOT_RATES, csv, &options, &script, &error),
	                 TACT_OK);
	/* Control in grey, the arm in the first series colour; rates in %. */
	assert_contains(script.text, TACT_PLOT_GREY);
	assert_contains(script.text, tact_plot_series_colour(0));
	assert_contains(script.text, "$rates0 << EOD\n");
	assert_contains(script.text, " 10 5 15 0 0\n");
	assert_contains(script.text, " 20 10 30 1 1\n");
	assert_contains(script.text, "'suppressed'");
	assert_lacks(script.text, "98.7654321");
	assert_lacks(script.text, "bounced");
	tact_plot_script_release(&script);

	options.metric = "clicks";
	assert_int_equal(build(TACT_PLOT_RATES, csv, &options, &script, &error),
	                 TACT_USAGE);
	assert_string_equal(error.message, "no metric 'clicks' here: the "
	                                   "metrics are converted, bounced");
	assert_null(script.text);
	free(csv);
}

static void test_frontier_script(void **state)
{
	static const char csv[] =
		"intent,arm,n_control,n_arm,mean_control,mean_arm,diff,diff_low,"
		"diff_high,verdict,se,df,gain,gain_low,gain_high,cost,cost_low,"
		"cost_high,share\n"
		"(all),personalized,100,100,1,1.2,0.2,-0.1,0.5,inconclusive,0.1,190,"
		"0.7,0.5,0.9,0.5,0.4,0.6,1\n"
		"browse,personalized,50,50,0,-0.5,-0.5,-0.7,-0.3,hold back,0.1,90,"
		"0,-0.1,0.1,0.5,0.4,0.6,0.5\n"
		"\"it's\",personalized,50,50,2,4,2,1.5,2.5,personalize,0.2,90,"
		"3,2.5,3.5,1,0.8,1.2,0.4\n"
		"tiny,personalized,,,,,,,,suppressed,,,,,,,,,0.1\n";
	tact_plot_options options;
	tact_plot_script script;
	tact_error error;

	(void)state;
	tact_plot_options_init(&options);
	assert_int_equal(build(TACT_PLOT_FRONTIER, csv, &options, &script,
	                       &error), TACT_OK);
	/* x = cost, y = gain, crosses, verdict. */
	assert_contains(script.text, "$frontier0 << EOD\n0.5 0.7 0.4 0.6 0.5 "
	                             "0.9 2\n0.5 0 0.4 0.6 -0.1 0.1 1\n"
	                             "1 3 0.8 1.2 2.5 3.5 0\nEOD\n");
	assert_contains(script.text, "'helps'");
	assert_contains(script.text, "'intrudes'");
	assert_contains(script.text, "'more value, less annoyance'");
	assert_contains(script.text, "'less value, more annoyance'");
	assert_contains(script.text, "'trade-off'");
	assert_contains(script.text, "break-even: net value 0");
	assert_contains(script.text, "'it''s'");
	assert_contains(script.text, "1 segment suppressed");
	assert_contains(script.text, TACT_PLOT_GREEN);
	assert_contains(script.text, TACT_PLOT_VERMILLION);
	/* Both axes share one symmetric range: 3.5 * 1.12. */
	assert_contains(script.text, "set xrange [-3.92:3.92]\n"
	                             "set yrange [-3.92:3.92]\n");
	tact_plot_script_release(&script);
}

/* Rows of tact-power's output on the bundled sample (default power 0.8 at
 * 95%): a rate and a mean. */
static const char power_csv[] =
	"intent,metric,control,arm,n_control,n_arm,baseline,sd,mde_absolute,"
	"mde_relative,target,needed_control,needed_arm,enough\n"
	"(all),converted,control,personalized,9705,9638,0.02606903657908295,"
	"0.15934885722915051,0.006802323205871114,0.26093496724497695,,,,\n"
	"(all),revenue,control,personalized,9702,9636,1.7448639455782315,"
	"12.627705017292453,0.5088086439849709,0.2916036205999755,,,,\n"
	"research,converted,control,personalized,,,,,,,,,,suppressed\n";

static void test_power_script(void **state)
{
	tact_plot_options options;
	tact_plot_script script;
	tact_error error;

	(void)state;
	tact_plot_options_init(&options);
	assert_int_equal(build(TACT_PLOT_POWER, power_csv, &options, &script,
	                       &error), TACT_OK);
	assert_contains(script.text, "'a rate: effect relative to the "
	                             "control''s rate'");
	assert_contains(script.text, "'a mean: effect relative to the "
	                             "control''s mean'");
	/* The current point: 9705 units, 26.09...% detectable. */
	assert_contains(script.text, "(9705):(26.0934967");
	assert_contains(script.text, "$curve0_0 << EOD\n");
	assert_contains(script.text, "set logscale xy");
	assert_contains(script.text, "1 row suppressed");
	tact_plot_script_release(&script);

	/* Another power than tact-power used: the rows do not fit. */
	options.power = 0.9;
	assert_int_equal(build(TACT_PLOT_POWER, power_csv, &options, &script,
	                       &error), TACT_DATA);
	assert_int_equal(error.line, 2);
	assert_int_equal(error.column, 9);
	assert_contains(error.message, "give tact-plot the --power and "
	                               "--confidence");
}

static void test_dose_script(void **state)
{
	static const char bins[] =
		"intent,metric,direction,kind,bin,exposures_low,exposures_high,"
		"units,n,mean_exposures,mean,low,high,fitted,status\n"
		"flâneur,converted,up,rate,0,0,0,100,100,0,0.1,0.05,0.15,0.1,ok\n"
		"flâneur,converted,up,rate,1-3,1,3,100,100,2.5,0.2,0.1,0.3,0.2,ok\n"
		"flâneur,converted,up,rate,4-,4,,5,5,,,,,,suppressed\n";
	tact_plot_options options;
	tact_plot_script script;
	tact_error error;

	(void)state;
	tact_plot_options_init(&options);
	assert_int_equal(build(TACT_PLOT_DOSE, bins, &options, &script, &error),
	                 TACT_OK);
	assert_contains(script.text, "$bins0_0 << EOD\n0 10 5 15\n2.5 20 10 30\n");
	assert_contains(script.text, "'flâneur'");
	assert_contains(script.text, "1 bin suppressed");
	tact_plot_script_release(&script);

	/* A curve file that does not exist: cannot open input. */
	options.curve_path = "/nonexistent/curve.csv";
	assert_int_equal(build(TACT_PLOT_DOSE, bins, &options, &script, &error),
	                 TACT_NOINPUT);
}

static void test_intent_scripts(void **state)
{
	static const char roc[] =
		"class,threshold,false_positive_rate,true_positive_rate\n"
		"buy,,0,0\n"
		"buy,0.9,0,0.5\n"
		"buy,0.8,0.0001,0.5\n"      /* moves less than 0.001: thinned */
		"buy,0.5,0.5,1\n"
		"buy,0.1,1,1\n"
		"\"it's\",,0,0\n"
		"\"it's\",0.5,1,1\n";
	static const char calibration[] =
		"class,bin,low,high,count,mean_predicted,observed_rate\n"
		"buy,1,0,0.5,300,0.2,0.25\n"
		"buy,2,0.5,1,0,,\n"
		"buy,3,0.5,1,75,0.8,0.7\n";
	tact_plot_script script;
	tact_error error;

	(void)state;
	assert_int_equal(build(TACT_PLOT_ROC, roc, NULL, &script, &error),
	                 TACT_OK);
	/* Trapezoids on every point: 0.5 * 0.75 + 0.5 * 1. */
	assert_contains(script.text, "'buy against the rest, area 0.875'");
	assert_contains(script.text, "'it''s against the rest, area 0.500'");
	assert_contains(script.text, "$roc0 << EOD\n0 0\n0 0.5\n0.5 1\n1 1\n"
	                             "EOD\n");
	assert_contains(script.text, "'chance'");
	tact_plot_script_release(&script);

	assert_int_equal(build(TACT_PLOT_CALIBRATION, calibration, NULL, &script,
	                       &error), TACT_OK);
	/* Empty bins left out; marker size 0.5 + 2 sqrt(count / largest). */
	assert_contains(script.text, "$calibration0 << EOD\n0.2 0.25 2.5000\n"
	                             "0.8 0.7 1.5000\nNaN NaN NaN\nEOD\n");
	assert_contains(script.text, "'perfect calibration'");
	tact_plot_script_release(&script);

	/* A rate outside [0, 1]. */
	assert_int_equal(build(TACT_PLOT_ROC, "class,false_positive_rate,"
	                       "true_positive_rate\nbuy,0,1.5\n", NULL, &script,
	                       &error), TACT_DATA);
	assert_int_equal(error.line, 2);
}

static void test_input_errors(void **state)
{
	static const char frontier_csv[] = "intent,arm,gain\n(all),a,1\n";
	char *csv;
	tact_plot_script script;
	tact_error error;
	char *bad;

	(void)state;
	/* Another tool's output: the missing column, at line 1. */
	assert_int_equal(build(TACT_PLOT_FOREST, frontier_csv, NULL, &script,
	                       &error), TACT_DATA);
	assert_string_equal(error.file, "test.csv");
	assert_int_equal(error.line, 1);
	assert_string_equal(error.message, "no 'metric' column: expected the "
	                                   "CSV output of tact-compare");
	/* A figure that is not a number: its line and column. */
	csv = concat(compare_header, compare_rows);
	bad = strstr(csv, "0.25,2.5");
	assert_non_null(bad);
	memcpy(bad, "x.25", 4);
	assert_int_equal(build(TACT_PLOT_FOREST, csv, NULL, &script, &error),
	                 TACT_DATA);
	assert_int_equal(error.line, 2);
	assert_int_equal(error.column, 18);
	assert_string_equal(error.message,
	                    "'lift_low' must be a number, got 'x.25'");
	free(csv);
	/* Malformed CSV: the reader's position. */
	assert_int_equal(build(TACT_PLOT_FOREST, "a,b\n1,\"2\n", NULL, &script,
	                       &error), TACT_DATA);
	/* Nothing at all. */
	assert_int_equal(build(TACT_PLOT_FOREST, compare_header, NULL, &script,
	                       &error), TACT_DATA);
	assert_string_equal(error.message, "no rows: nothing to draw");
	assert_null(script.text);
}

/* When the options leave nothing: an unknown metric or arm names those
 * there are (the same message in every chart); otherwise why not. */
static void test_nothing_to_draw(void **state)
{
	char *csv = concat(compare_header,
	                   "tiny,converted,up,control,personalized,1,1,,,,,,,,"
	                   ",,,,,,,,,,,suppressed,,\n");
	static const tact_plot_kind kinds[] = {TACT_PLOT_FOREST,
	                                       TACT_PLOT_RATES};
	tact_plot_options options;
	tact_plot_script script;
	tact_error error;
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		tact_plot_options_init(&options);
		options.omit_suppressed = 1;
		assert_int_equal(build(kinds[k], csv, &options, &script, &error),
		                 TACT_DATA);
		assert_string_equal(error.message,
		                    "no rows to draw (all suppressed)");
		assert_null(script.text);
		options.arm = "other";
		assert_int_equal(build(kinds[k], csv, &options, &script, &error),
		                 TACT_USAGE);
		assert_string_equal(error.message, "no arm 'other' here: the arms "
		                                   "are personalized");
		options.metric = "clicks";
		assert_int_equal(build(kinds[k], csv, &options, &script, &error),
		                 TACT_USAGE);
		assert_string_equal(error.message, "no metric 'clicks' here: the "
		                                   "metrics are converted");
		/* Shown, not omitted: drawn as suppressed. */
		tact_plot_options_init(&options);
		assert_int_equal(build(kinds[k], csv, &options, &script, &error),
		                 TACT_OK);
		assert_int_equal(script.notes, 1);
		tact_plot_script_release(&script);
	}
	free(csv);
}

static void test_kinds_and_formats(void **state)
{
	tact_plot_kind kind;
	tact_plot_format format;
	tact_error error;
	int k;

	(void)state;
	for (k = 0; k < TACT_PLOT_KIND_COUNT; k++) {
		assert_int_equal(tact_plot_parse_kind(tact_plot_kind_name(
		                         (tact_plot_kind)k), &kind, &error), TACT_OK);
		assert_int_equal(kind, k);
	}
	assert_int_equal(tact_plot_parse_kind("pie", &kind, &error), TACT_USAGE);
	assert_int_equal(tact_plot_format_from_path("a/b.SVG", &format, &error),
	                 TACT_OK);
	assert_int_equal(format, TACT_PLOT_SVG);
	assert_int_equal(tact_plot_format_from_path("x.png", &format, &error),
	                 TACT_OK);
	assert_int_equal(format, TACT_PLOT_PNG);
	assert_int_equal(tact_plot_format_from_path("x.pdf", &format, &error),
	                 TACT_OK);
	assert_int_equal(format, TACT_PLOT_PDF);
	assert_int_equal(tact_plot_format_from_path("x.jpg", &format, &error),
	                 TACT_USAGE);
	assert_int_equal(tact_plot_format_from_path("dir.svg/x", &format,
	                                            &error), TACT_USAGE);
}

/* ---- the runner, with fake gnuplots ---- */

static int make_directory(void **state)
{
	(void)state;
	return mkdtemp(directory) ? 0 : -1;
}

static int empty_directory(void **state)
{
	DIR *dir = opendir(directory);
	struct dirent *entry;

	(void)state;
	if (!dir)
		return -1;
	while ((entry = readdir(dir)) != NULL) {
		char path[512];
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", directory, entry->d_name);
		unlink(path);
	}
	closedir(dir);
	return 0;
}

static int remove_directory(void **state)
{
	empty_directory(state);
	return rmdir(directory);
}

/* The directory's entries but the fake gnuplots ("gp-*"). */
static int count_outputs(void)
{
	DIR *dir = opendir(directory);
	struct dirent *entry;
	int count = 0;

	assert_non_null(dir);
	while ((entry = readdir(dir)) != NULL)
		if (entry->d_name[0] != '.' && strncmp(entry->d_name, "gp-", 3) != 0)
			count++;
	closedir(dir);
	return count;
}

/* A fake gnuplot: a shell script named gp-NAME in the directory. */
static const char *fake(const char *name, const char *body)
{
	static char path[512];
	FILE *out;

	snprintf(path, sizeof path, "%s/gp-%s", directory, name);
	out = fopen(path, "w");
	assert_non_null(out);
	fprintf(out, "#!/bin/sh\n%s\n", body);
	fclose(out);
	assert_int_equal(chmod(path, 0755), 0);
	return path;
}

static void path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", directory, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *out = fopen(path, "w");

	assert_non_null(out);
	fputs(text, out);
	fclose(out);
}

static void assert_file(const char *path, const char *text)
{
	char buffer[256];
	FILE *in = fopen(path, "r");
	size_t n;

	assert_non_null(in);
	n = fread(buffer, 1, sizeof buffer - 1, in);
	buffer[n] = '\0';
	fclose(in);
	assert_string_equal(buffer, text);
}

/* A fake that draws: writes a line to the file of "set output". */
static const char drawing[] =
	"out=$(sed -n \"s/^set output '\\(.*\\)'$/\\1/p\")\n"
	"[ -n \"$out\" ] || exit 3\n"
	"echo '<svg>drawn</svg>' > \"$out\"";

static void render(const char *gnuplot, const char *output,
                   tact_status expected, tact_error *error)
{
	tact_plot_script script;
	tact_plot_options options;

	tact_plot_options_init(&options);
	options.gnuplot = gnuplot;
	options.timeout_seconds = 2;
	tact_plot_script_init(&script);
	script.text = strdup("plot sin(x)\n");
	script.length = strlen(script.text);
	tact_error_init(error);
	assert_int_equal(tact_plot_render(&script, &options, output, error),
	                 expected);
	tact_plot_script_release(&script);
}

static void test_runner_draws(void **state)
{
	char target[512];
	tact_error error;

	(void)state;
	path_of(target, sizeof target, "chart.svg");
	render(fake("draw", drawing), target, TACT_OK, &error);
	assert_file(target, "<svg>drawn</svg>\n");
	assert_int_equal(count_outputs(), 1);   /* no temporary left */
}

static void test_runner_script_text(void **state)
{
	char target[512], copy[512], body[1400];
	tact_error error;

	(void)state;
	/* The fake keeps its standard input: the whole script.  It draws an
	 * SVG (the runner checks that the file ends as its format ends). */
	path_of(target, sizeof target, "chart.svg");
	path_of(copy, sizeof copy, "script.gp");
	snprintf(body, sizeof body, "tee '%s' | { %s; }", copy, drawing);
	render(fake("tee", body), target, TACT_OK, &error);
	{
		char text[4096];
		FILE *in = fopen(copy, "r");
		size_t n;
		assert_non_null(in);
		n = fread(text, 1, sizeof text - 1, in);
		text[n] = '\0';
		fclose(in);
		assert_contains(text, "set encoding utf8\n");
		assert_contains(text, "set terminal svg size 800,500");
		assert_contains(text, "set termoption noenhanced\n");
		assert_contains(text, "set output '");
		assert_contains(text, "chart.svg.tmp.");
		assert_contains(text, "plot sin(x)\n");
		assert_contains(text, "\nset output\n");
	}
}

static void test_runner_fails(void **state)
{
	char target[512];
	tact_error error;

	(void)state;
	path_of(target, sizeof target, "chart.svg");
	write_file(target, "old chart\n");
	render(fake("fail", "cat > /dev/null\n"
	                    "echo 'gnuplot> plot foo(x)' >&2\n"
	                    "echo '              ^' >&2\n"
	                    "echo '         line 3: undefined function: foo' >&2\n"
	                    "exit 1"),
	       target, TACT_SOFTWARE, &error);
	assert_string_equal(error.message, "gnuplot failed (exit status 1): "
	                                   "line 3: undefined function: foo");
	assert_file(target, "old chart\n");    /* the target untouched */
	assert_int_equal(count_outputs(), 1);   /* and no temporary */
}

static void test_runner_crashes(void **state)
{
	char target[512];
	tact_error error;

	(void)state;
	path_of(target, sizeof target, "chart.svg");
	render(fake("crash", "echo 'about to crash' >&2\nkill -SEGV $$"),
	       target, TACT_SOFTWARE, &error);
	assert_contains(error.message, "gnuplot crashed (signal 11");
	assert_contains(error.message, "about to crash");
	assert_int_equal(count_outputs(), 0);
}

static void test_runner_draws_nothing(void **state)
{
	char target[512];
	tact_error error;

	(void)state;
	path_of(target, sizeof target, "chart.pdf");
	render(fake("nothing", "cat > /dev/null"), target, TACT_SOFTWARE, &error);
	assert_string_equal(error.message, "gnuplot exited without drawing the "
	                                   "chart (an empty file)");
	assert_int_equal(count_outputs(), 0);
}

static void test_runner_does_not_read(void **state)
{
	char *big;
	size_t size = 4 << 20, i;
	tact_error error;

	(void)state;
	/* 4 MiB of script to a gnuplot that exits at once: the write must
	 * fail quietly (no SIGPIPE), and the exit status tell. */
	big = malloc(size + 1);
	assert_non_null(big);
	for (i = 0; i < size; i++)
		big[i] = i % 64 == 63 ? '\n' : '#';
	big[size] = '\0';
	tact_error_init(&error);
	assert_int_equal(tact_plot_run(fake("deaf", "exit 2"), big, size, 0, 5,
	                               &error), TACT_SOFTWARE);
	assert_string_equal(error.message, "gnuplot failed (exit status 2): "
	                                   "no message");
	/* And a large script read whole by a gnuplot that succeeds. */
	assert_int_equal(tact_plot_run(fake("reader", "cat > /dev/null"), big,
	                               size, 0, 5, &error), TACT_OK);
	free(big);
}

static void test_runner_hangs(void **state)
{
	char target[512];
	tact_error error;

	(void)state;
	path_of(target, sizeof target, "chart.svg");
	render(fake("hang", "exec sleep 30"), target, TACT_SOFTWARE, &error);
	assert_string_equal(error.message, "gnuplot did not finish within 2 s "
	                                   "and was stopped");
	assert_int_equal(count_outputs(), 0);
}

static void test_runner_missing(void **state)
{
	char target[512], *path = NULL, *saved_path;
	const char *saved_env;
	tact_error error;

	(void)state;
	path_of(target, sizeof target, "chart.svg");
	render("/nonexistent/gnuplot", target, TACT_UNAVAILABLE, &error);
	assert_string_equal(error.message, "the gnuplot option names "
	                    "'/nonexistent/gnuplot', which is not an executable "
	                    "program: install gnuplot (Debian: apt-get install "
	                    "gnuplot-nox) or set TACT_GNUPLOT to its path");
	assert_int_equal(count_outputs(), 0);

	saved_env = getenv("TACT_GNUPLOT");
	saved_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("TACT_GNUPLOT", "/nonexistent", 1);
	assert_int_equal(tact_plot_find_gnuplot(NULL, &path, &error),
	                 TACT_UNAVAILABLE);
	assert_contains(error.message, "TACT_GNUPLOT names '/nonexistent'");
	assert_null(path);
	/* TACT_GNUPLOT names a program found on PATH. */
	setenv("PATH", directory, 1);
	fake("named", "exit 0");
	setenv("TACT_GNUPLOT", "gp-named", 1);
	assert_int_equal(tact_plot_find_gnuplot(NULL, &path, &error), TACT_OK);
	assert_contains(path, "/gp-named");
	free(path);
	/* No gnuplot on PATH. */
	unsetenv("TACT_GNUPLOT");
	assert_int_equal(tact_plot_find_gnuplot(NULL, &path, &error),
	                 TACT_UNAVAILABLE);
	assert_string_equal(error.message, "gnuplot is not on PATH: install "
	                    "gnuplot (Debian: apt-get install gnuplot-nox) or set "
	                    "TACT_GNUPLOT to its path");
	/* An empty TACT_GNUPLOT is as if unset. */
	setenv("TACT_GNUPLOT", "", 1);
	assert_int_equal(tact_plot_find_gnuplot(NULL, &path, &error),
	                 TACT_UNAVAILABLE);
	if (saved_path) {
		setenv("PATH", saved_path, 1);
		free(saved_path);
	}
	if (saved_env)
		setenv("TACT_GNUPLOT", saved_env, 1);
	else
		unsetenv("TACT_GNUPLOT");
}

static void test_render_usage(void **state)
{
	char target[512];
	tact_error error;

	(void)state;
	path_of(target, sizeof target, "chart.jpg");
	render(fake("draw", drawing), target, TACT_USAGE, &error);
	assert_contains(error.message, "name it .svg, .png or .pdf");
	render(fake("draw", drawing), "-", TACT_USAGE, &error);
	assert_int_equal(count_outputs(), 0);
	/* An unwritable place. */
	render(fake("draw", drawing), "/nonexistent/dir/chart.svg",
	       TACT_CANTCREAT, &error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_shorten),
		cmocka_unit_test(test_nice_step_and_percent),
		cmocka_unit_test(test_forest_script),
		cmocka_unit_test(test_rates_script),
		cmocka_unit_test(test_frontier_script),
		cmocka_unit_test(test_power_script),
		cmocka_unit_test(test_dose_script),
		cmocka_unit_test(test_intent_scripts),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_nothing_to_draw),
		cmocka_unit_test(test_kinds_and_formats),
		cmocka_unit_test_teardown(test_runner_draws, empty_directory),
		cmocka_unit_test_teardown(test_runner_script_text, empty_directory),
		cmocka_unit_test_teardown(test_runner_fails, empty_directory),
		cmocka_unit_test_teardown(test_runner_crashes, empty_directory),
		cmocka_unit_test_teardown(test_runner_draws_nothing,
		                          empty_directory),
		cmocka_unit_test_teardown(test_runner_does_not_read,
		                          empty_directory),
		cmocka_unit_test_teardown(test_runner_hangs, empty_directory),
		cmocka_unit_test_teardown(test_runner_missing, empty_directory),
		cmocka_unit_test_teardown(test_render_usage, empty_directory),
	};
	return cmocka_run_group_tests(tests, make_directory, remove_directory);
}
