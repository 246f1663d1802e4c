/*
 * test_load.c - raw exports and summaries into summaries: consent, missing
 * cells, bad cells (stopping or skipped), the control, sessions folded by
 * unit, summaries read back and projected onto fewer dimensions, and the
 * same numbers whatever the chunk size or CSV path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "check.h"
#include "load.h"
#include "summaryfile.h"

static uint64_t rng_state;

static uint64_t next_random(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A synthetic export: intent, device, arm, three metrics, exposures,
 * consent; CRLF line ends, some quoted fields, some empty cells. */
static char *make_export(size_t rows, size_t *length)
{
	static const char *const intents[] = {"browse", "buy", "flâneur"};
	static const char *const devices[] = {"mobile", "desktop"};
	char *data = NULL;
	FILE *out = open_memstream(&data, length);
	size_t i;

	assert_non_null(out);
	rng_state = 42;
	fputs("intent,device,arm,converted,bounced,revenue,exposures,consent\r\n",
	      out);
	for (i = 0; i < rows; i++) {
		const char *intent = intents[next_random() % 3];
		const char *device = devices[next_random() % 2];
		int treated = (int)(next_random() % 2);
		int converted = next_random() % 10 == 0;
		int bounced = next_random() % 3 == 0;
		unsigned cents = converted ? (unsigned)(next_random() % 20000) : 0;
		unsigned exposures = treated ? (unsigned)(next_random() % 9) : 0;
		int consent = next_random() % 20 != 0;

		if (next_random() % 4 == 0)
			fprintf(out, "\"%s\",", intent);
		else
			fprintf(out, "%s,", intent);
		fprintf(out, "%s,%s,", device, treated ? "personalized" : "control");
		if (next_random() % 25 == 0)
			fputs(",", out); /* converted missing */
		else
			fprintf(out, "%s,", converted ? (i % 2 ? "1" : "yes") : "0");
		if (next_random() % 30 == 0)
			fputs("\" \",", out); /* a blank quoted cell: missing */
		else
			fprintf(out, "%d,", bounced);
		fprintf(out, "%u.%02u,%u,%d\r\n", cents / 100, cents % 100, exposures,
		        consent);
	}
	assert_int_equal(fclose(out), 0);
	return data;
}

typedef struct load_setup {
	tact_load_options options;
	tact_load_report report;
	tact_error error;
} load_setup;

static void setup_init(load_setup *s)
{
	tact_error_init(&s->error);
	assert_int_equal(tact_load_options_init(&s->options, &s->error), TACT_OK);
}

static void setup_flag(load_setup *s, const char *role, const char *value)
{
	assert_int_equal(tact_roles_spec_set(&s->options.roles, role, value,
	                                     &s->error),
	                 TACT_OK);
}

static tact_status run_load(load_setup *s, const char *text, size_t length,
                            tact_summary *summary)
{
	tact_summary_init(summary);
	tact_error_init(&s->error);
	return tact_load_memory("in.csv", text, length, &s->options, summary,
	                        &s->report, &s->error);
}

static int same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

static void check_value(double actual, double expected, double tolerance,
                        double scale, const char *what)
{
	if (tolerance == 0 ? !same_double(actual, expected)
	                   : !(fabs(actual - expected) <=
	                       tolerance * fmax(fabs(expected), scale))) {
		print_error("%s: %.17g, expected %.17g\n", what, actual, expected);
		fail();
	}
}

/* Two sorted summaries with the same groups and numbers: bit for bit when
 * tolerance is 0, else to tolerance relative (c: relative to
 * sqrt(m2_a m2_b)). */
static void assert_same_summary(const tact_summary *a, const tact_summary *b,
                                double tolerance)
{
	size_t g, k, x, d;

	assert_int_equal(a->dimensions, b->dimensions);
	assert_int_equal(a->metric_count, b->metric_count);
	assert_int_equal(a->group_count, b->group_count);
	assert_int_equal(a->rows_read, b->rows_read);
	assert_int_equal(a->rows_rejected, b->rows_rejected);
	assert_int_equal(a->rows_excluded_consent, b->rows_excluded_consent);
	for (k = 0; k < a->metric_count; k++)
		assert_int_equal(a->metrics[k].binary, b->metrics[k].binary);
	for (g = 0; g < a->group_count; g++) {
		const tact_summary_group *p = &a->groups[g], *q = &b->groups[g];
		for (d = 0; d < a->dimensions; d++)
			assert_string_equal(p->labels[d], q->labels[d]);
		assert_string_equal(p->arm, q->arm);
		assert_int_equal(p->units, q->units);
		for (k = 0; k < a->metric_count; k++) {
			assert_int_equal(p->metrics[k].n, q->metrics[k].n);
			check_value(p->metrics[k].sum, q->metrics[k].sum, tolerance, 0,
			            "sum");
			check_value(p->metrics[k].m2, q->metrics[k].m2, tolerance, 0,
			            "m2");
		}
		for (k = 0; k < a->metric_count; k++)
			for (x = k + 1; x < a->metric_count; x++) {
				size_t i = tact_summary_pair(a, k, x);
				assert_int_equal(p->pairs[i].n, q->pairs[i].n);
				check_value(p->pairs[i].sum_a, q->pairs[i].sum_a, tolerance,
				            0, "sum_a");
				check_value(p->pairs[i].sum_b, q->pairs[i].sum_b, tolerance,
				            0, "sum_b");
				check_value(p->pairs[i].c, q->pairs[i].c, tolerance,
				            sqrt(q->metrics[k].m2 * q->metrics[x].m2), "c");
			}
	}
}

static const tact_summary_group *find_group(const tact_summary *summary,
                                            const char *label,
                                            const char *arm)
{
	size_t g;

	for (g = 0; g < summary->group_count; g++)
		if ((summary->dimensions == 0 ||
		     strcmp(summary->groups[g].labels[0], label) == 0) &&
		    strcmp(summary->groups[g].arm, arm) == 0)
			return &summary->groups[g];
	print_error("no group %s/%s\n", label, arm);
	fail();
	return NULL;
}

static void expect_failure(load_setup *s, const char *text, tact_status status,
                           uint64_t line, uint64_t column, const char *message)
{
	tact_summary summary;
	tact_status got = run_load(s, text, strlen(text), &summary);

	if (got != status || s->error.line != line || s->error.column != column ||
	    !strstr(s->error.message, message)) {
		print_error("got %d at %llu:%llu [%s], expected %d at %llu:%llu "
		            "[%s]\n", got, (unsigned long long)s->error.line,
		            (unsigned long long)s->error.column, s->error.message,
		            status, (unsigned long long)line,
		            (unsigned long long)column, message);
		tact_summary_release(&summary);
		fail();
	}
	tact_summary_release(&summary);
}

/* ---- tests ------------------------------------------------------------ */

static void test_consent_and_missing(void **state)
{
	static const char text[] =
		"intent,arm,converted,revenue,consent\n"
		"buy,control,1,10,1\n"
		"buy,control,0,,yes\n"       /* revenue missing */
		"buy,control,,5,TRUE\n"      /* converted missing */
		"buy,control,1,100,0\n"      /* no consent: left out */
		"buy,control,1,100,\n"       /* no answer: no consent */
		"buy,control,1,100,no\n"
		"buy,control,\"  \",2.5,1\n" /* blank: missing */
		"buy,treat,1,1,false\n";
	load_setup s;
	tact_summary summary;
	const tact_summary_group *g;

	(void)state;
	setup_init(&s);
	assert_int_equal(run_load(&s, text, sizeof text - 1, &summary), TACT_OK);
	assert_int_equal(summary.rows_read, 8);
	assert_int_equal(summary.rows_excluded_consent, 4);
	assert_int_equal(summary.rows_rejected, 0);
	/* Only the control arm has consenting rows. */
	assert_int_equal(summary.group_count, 1);
	g = find_group(&summary, "buy", "control");
	assert_int_equal(g->units, 4);
	assert_int_equal(g->metrics[0].n, 2); /* converted: 1, 0 */
	assert_true(g->metrics[0].sum == 1.0);
	assert_int_equal(g->metrics[1].n, 3); /* revenue: 10, 5, 2.5 */
	assert_true(g->metrics[1].sum == 17.5);
	assert_int_equal(g->pairs[0].n, 1);
	assert_string_equal(summary.control, "control");
	assert_false(s.report.from_summary);
	assert_int_equal(s.report.delimiter, ',');
	tact_summary_release(&summary);

	expect_failure(&s, "intent,arm,converted,consent\nbuy,control,1,maybe\n",
	               TACT_DATA, 2, 4, "'consent' must be 0 or 1, true/false or "
	                                "yes/no, got 'maybe'");
	tact_load_options_release(&s.options);
}

static void test_bad_cells_stop_with_position(void **state)
{
	load_setup s;

	(void)state;
	setup_init(&s);
	expect_failure(&s, "intent,arm,converted\nbuy,control,1\nbuy,treat,maybe\n",
	               TACT_DATA, 3, 3, "'converted' must be 0 or 1 (or "
	                                "true/false, yes/no, or a number), got "
	                                "'maybe'");
	expect_failure(&s, "intent,arm,revenue\nbuy,control,12,5\n", TACT_DATA,
	               2, 4, "expected 3 fields as in the header, found 4");
	expect_failure(&s, "intent,arm,revenue\nbuy,control,\"12,5\"\n", TACT_DATA,
	               2, 3, "'revenue' must be a number, got '12,5' (for decimal "
	                     "commas, give --decimal-comma)");
	expect_failure(&s, "intent,arm,exposures\nbuy,control,-1\n", TACT_DATA, 2,
	               3, "'exposures' must be a whole number of 0 or more, got "
	                  "'-1'");
	expect_failure(&s, "intent,arm,exposures\nbuy,control,2.5\n", TACT_DATA, 2,
	               3, "'exposures' must be a whole number of 0 or more");
	expect_failure(&s, "intent,arm,exposures\nbuy,control,1e17\n", TACT_DATA,
	               2, 3, "'exposures' must be a count below 2^53, got '1e17'");
	expect_failure(&s, "intent,arm,converted\nbuy,,1\n", TACT_DATA, 2, 2,
	               "the arm ('arm') is empty");
	expect_failure(&s, "intent,arm,converted\n", TACT_DATA, 0, 0,
	               "no data rows after the header");
	expect_failure(&s, "intent,arm,converted,consent\nbuy,a,1,0\nbuy,b,1,no\n",
	               TACT_DATA, 0, 0, "no rows left: all 2 rows were excluded "
	                                "or rejected");
	/* A multi-line quoted field: the bad cell's own line. */
	expect_failure(&s, "intent,arm,converted\n\"two\nlines\",control,\nbuy,"
	                   "\"x\ny\",2x\n",
	               TACT_DATA, 5, 3, "got '2x'");
	tact_load_options_release(&s.options);
}

static void test_decimal_comma(void **state)
{
	static const char text[] =
		"intent;arm;revenue;exposures\n"
		"buy;control;12,5;3,0\n"
		"buy;control;0,25;1\n";
	load_setup s;
	tact_summary summary;

	(void)state;
	setup_init(&s);
	s.options.decimal_comma = 1;
	assert_int_equal(run_load(&s, text, sizeof text - 1, &summary), TACT_OK);
	assert_int_equal(s.report.delimiter, ';');
	assert_true(summary.groups[0].metrics[0].sum == 12.75);
	assert_true(summary.groups[0].metrics[1].sum == 4.0);
	tact_summary_release(&summary);
	expect_failure(&s, "intent;arm;revenue\nbuy;control;12.5\n", TACT_DATA, 2,
	               3, "'revenue' must be a number, got '12.5' (with "
	                  "--decimal-comma the decimal mark is ',')");
	/* An explicit delimiter overrides detection. */
	s.options.decimal_comma = 0;
	s.options.delimiter = ',';
	expect_failure(&s, text, TACT_DATA, 1, 0, "no column 'arm'");
	tact_load_options_release(&s.options);
}

static void test_skip_bad(void **state)
{
	static const char text[] =
		"intent,arm,converted,revenue\n"
		"buy,control,1,10\n"
		"buy,control,oops,10\n"
		"buy,control,1,ten\n"
		"buy,,1,1\n"
		"buy,treat,0,1\n"
		"buy,treat,2x,1\n"
		"buy,treat,0,x1\n"
		"buy,treat,0,x2\n"
		"buy,treat,1,3\n";
	load_setup s;
	tact_summary summary;
	const tact_summary_group *g;

	(void)state;
	setup_init(&s);
	s.options.skip_bad = 1;
	assert_int_equal(run_load(&s, text, sizeof text - 1, &summary), TACT_OK);
	assert_int_equal(summary.rows_read, 9);
	assert_int_equal(summary.rows_rejected, 6);
	assert_int_equal(s.report.rejects_shown, TACT_LOAD_REJECTS_SHOWN);
	assert_string_equal(s.report.rejects[0],
	                    "in.csv:3:3: 'converted' must be 0 or 1 (or "
	                    "true/false, yes/no, or a number), got 'oops'");
	assert_string_equal(s.report.rejects[2],
	                    "in.csv:5:2: the arm ('arm') is empty");
	g = find_group(&summary, "buy", "control");
	assert_int_equal(g->units, 1);
	g = find_group(&summary, "buy", "treat");
	assert_int_equal(g->units, 2);
	assert_true(g->metrics[1].sum == 4.0);
	/* A rejected row leaves nothing behind in any group. */
	assert_true(g->metrics[0].sum == 1.0);
	tact_summary_release(&summary);
	/* A malformed CSV line is not a bad cell: it still stops. */
	expect_failure(&s, "intent,arm,converted\nbuy,a,1\nbuy,b\n", TACT_DATA, 3,
	               3, "expected 3 fields as in the header, found 2");
	tact_load_options_release(&s.options);
}

static void test_control(void **state)
{
	static const char with_control[] =
		"intent,arm,converted\nbuy,control,1\nbuy,treat,0\n";
	static const char without[] =
		"intent,arm,converted\nbuy,holdout,1\nbuy,treat,0\nbuy,alt,1\n";
	load_setup s;
	tact_summary summary;
	char arms[128];

	(void)state;
	setup_init(&s);
	assert_int_equal(run_load(&s, with_control, sizeof with_control - 1,
	                          &summary),
	                 TACT_OK);
	assert_string_equal(summary.control, "control");
	tact_summary_release(&summary);
	/* No arm called 'control', none named: no control. */
	assert_int_equal(run_load(&s, without, sizeof without - 1, &summary),
	                 TACT_OK);
	assert_null(summary.control);
	tact_load_arm_list(&summary, arms, sizeof arms);
	assert_string_equal(arms, "'alt', 'holdout', 'treat'");
	/* Cut for length: whole names, then "...". */
	tact_load_arm_list(&summary, arms, 12);
	assert_string_equal(arms, "'alt', ...");
	tact_load_arm_list(&summary, arms, 4);
	assert_string_equal(arms, "");
	tact_summary_release(&summary);
	/* Named: must occur. */
	setup_flag(&s, "control", "holdout");
	assert_int_equal(run_load(&s, without, sizeof without - 1, &summary),
	                 TACT_OK);
	assert_string_equal(summary.control, "holdout");
	tact_summary_release(&summary);
	setup_flag(&s, "control", "baseline");
	expect_failure(&s, without, TACT_DATA, 0, 0,
	               "no control arm 'baseline' in the data; the arms are: "
	               "'alt', 'holdout', 'treat'");
	tact_load_options_release(&s.options);
}

static void test_control_of_a_summary(void **state)
{
	static const char text[] =
		"intent,arm,converted\nbuy,control,1\nbuy,treat,0\nbuy,alt,1\n";
	load_setup s;
	tact_summary raw, read;
	char *data = NULL;
	size_t size = 0;
	FILE *out;

	(void)state;
	setup_init(&s);
	setup_flag(&s, "control", "alt");
	assert_int_equal(run_load(&s, text, sizeof text - 1, &raw), TACT_OK);
	assert_string_equal(raw.control, "alt");
	out = open_memstream(&data, &size);
	assert_int_equal(tact_summaryfile_write(&raw, out, &s.error), TACT_OK);
	fclose(out);
	tact_load_options_release(&s.options);
	/* The recorded control is kept, though 'control' is an arm. */
	setup_init(&s);
	assert_int_equal(run_load(&s, data, size, &read), TACT_OK);
	assert_true(s.report.from_summary);
	assert_string_equal(read.control, "alt");
	tact_summary_release(&read);
	/* A named control replaces it. */
	setup_flag(&s, "control", "treat");
	assert_int_equal(run_load(&s, data, size, &read), TACT_OK);
	assert_string_equal(read.control, "treat");
	tact_summary_release(&read);
	setup_flag(&s, "control", "nobody");
	expect_failure(&s, data, TACT_DATA, 0, 0, "no control arm 'nobody'");
	tact_load_options_release(&s.options);
	tact_summary_release(&raw);
	free(data);
}

static void test_sessions_by_unit(void **state)
{
	static const char text[] =
		"visitor_id,intent,arm,converted,bounced,revenue,exposures\n"
		"v1,buy,treat,0,0,0,2\n"
		"v2,buy,control,0,1,0,0\n"
		"v1,browse,treat,1,,30,1\n"   /* later intent ignored */
		"v3,browse,treat,0,0,,0\n"
		"v1,buy,control,0,1,5,0\n"    /* v1 seen in another arm */
		"v3,browse,control,0,0,,0\n"  /* v3 too */
		"v1,buy,alt,0,0,0,0\n"        /* v1 again: counted once */
		"v2,buy,control,0,1,0,0\n";
	load_setup s;
	tact_summary summary;
	const tact_summary_group *g;

	(void)state;
	setup_init(&s);
	/* By default v1 and v3 (several arms) are dropped: v2 alone stays. */
	assert_int_equal(run_load(&s, text, sizeof text - 1, &summary), TACT_OK);
	assert_int_equal(summary.units_in_several_arms, 2);
	assert_int_equal(summary.mixed_units_kept, 0);
	assert_int_equal(summary.rows_read, 8);
	assert_int_equal(summary.group_count, 1);
	assert_int_equal(find_group(&summary, "buy", "control")->units, 1);
	tact_summary_release(&summary);
	/* --mixed-units first: each kept in its first arm. */
	s.options.mixed_units_first = 1;
	assert_int_equal(run_load(&s, text, sizeof text - 1, &summary), TACT_OK);
	assert_int_equal(summary.mixed_units_kept, 1);
	assert_string_equal(summary.unit_name, "visitor_id");
	assert_int_equal(s.report.units, 3);
	assert_true(s.report.unit_bytes > 0);
	assert_int_equal(summary.units_in_several_arms, 2);
	assert_int_equal(summary.rows_read, 8);
	g = find_group(&summary, "buy", "treat"); /* v1 */
	assert_int_equal(g->units, 1);
	assert_true(g->metrics[0].sum == 1.0);  /* converted: max */
	assert_true(g->metrics[1].sum == 1.0);  /* bounced: max */
	assert_true(g->metrics[2].sum == 35.0); /* revenue: sum */
	assert_true(g->metrics[3].sum == 3.0);  /* exposures: sum */
	g = find_group(&summary, "buy", "control"); /* v2 */
	assert_int_equal(g->units, 1);
	assert_true(g->metrics[1].sum == 1.0);
	g = find_group(&summary, "browse", "treat"); /* v3 */
	assert_int_equal(g->units, 1);
	assert_int_equal(g->metrics[2].n, 0); /* revenue never recorded */
	assert_int_equal(summary.group_count, 3);
	tact_summary_release(&summary);
	expect_failure(&s, "visitor_id,intent,arm,converted\n,buy,a,1\n",
	               TACT_DATA, 2, 1, "the unit id ('visitor_id') is empty");
	/* --unit '' treats the rows as units. */
	setup_flag(&s, "unit", "");
	assert_int_equal(run_load(&s, text, sizeof text - 1, &summary), TACT_OK);
	assert_null(summary.unit_name);
	assert_int_equal(find_group(&summary, "buy", "control")->units, 3);
	tact_summary_release(&summary);
	tact_load_options_release(&s.options);
}

/* The same export in every chunk size and by both CSV paths. */
static void test_chunk_sizes_and_paths(void **state)
{
	size_t length, chunk;
	char *text = make_export(150, &length);
	load_setup s;
	tact_summary reference;
	int slow;

	(void)state;
	setup_init(&s);
	assert_int_equal(run_load(&s, text, length, &reference), TACT_OK);
	assert_int_equal(reference.group_count, 6);
	assert_int_equal(reference.rows_read, 150);
	assert_true(reference.rows_excluded_consent > 0);
	for (slow = 0; slow <= 1; slow++)
		for (chunk = 1; chunk <= 64; chunk++) {
			tact_summary other;
			s.options.csv.chunk_size = chunk;
			s.options.csv.libcsv_only = slow;
			assert_int_equal(run_load(&s, text, length, &other), TACT_OK);
			assert_same_summary(&other, &reference, 0);
			tact_summary_release(&other);
		}
	/* And with a byte-order mark in front. */
	{
		char *bom = malloc(length + 3);
		tact_summary other;
		assert_non_null(bom);
		memcpy(bom, "\xEF\xBB\xBF", 3);
		memcpy(bom + 3, text, length);
		s.options.csv.chunk_size = 2;
		assert_int_equal(run_load(&s, bom, length + 3, &other), TACT_OK);
		assert_same_summary(&other, &reference, 0);
		tact_summary_release(&other);
		free(bom);
	}
	tact_summary_release(&reference);
	tact_load_options_release(&s.options);
	free(text);
}

/* A summary read from memory equals the one loaded from the export. */
static void test_summary_round_trip(void **state)
{
	size_t length, size = 0;
	char *text = make_export(3000, &length), *data = NULL;
	load_setup s;
	tact_summary raw, read;
	FILE *out;

	(void)state;
	setup_init(&s);
	setup_flag(&s, "by", "intent,device");
	assert_int_equal(run_load(&s, text, length, &raw), TACT_OK);
	assert_int_equal(raw.group_count, 12);
	out = open_memstream(&data, &size);
	assert_int_equal(tact_summaryfile_write(&raw, out, &s.error), TACT_OK);
	fclose(out);
	tact_load_options_release(&s.options);
	setup_init(&s);
	assert_int_equal(run_load(&s, data, size, &read), TACT_OK);
	assert_true(s.report.from_summary);
	assert_same_summary(&read, &raw, 0);
	assert_string_equal(read.control, "control");
	tact_summary_release(&read);
	/* The summary is read the same in every chunk size. */
	s.options.csv.chunk_size = 7;
	s.options.csv.libcsv_only = 1;
	assert_int_equal(run_load(&s, data, size, &read), TACT_OK);
	assert_same_summary(&read, &raw, 0);
	tact_summary_release(&read);
	tact_load_options_release(&s.options);
	tact_summary_release(&raw);
	free(data);
	free(text);
}

/* --by on a summary keeps those dimensions and adds up the others: the
 * result equals the export summarized with fewer dimensions. */
static void test_summary_projection(void **state)
{
	static const char *const projections[] = {"device", "intent",
	                                          "device,intent", ""};
	size_t length, size = 0, t;
	char *text = make_export(3000, &length), *data = NULL;
	load_setup s;
	tact_summary full;
	FILE *out;

	(void)state;
	setup_init(&s);
	setup_flag(&s, "by", "intent,device");
	assert_int_equal(run_load(&s, text, length, &full), TACT_OK);
	/* metadata must survive the projection (two rows rejected among
	 * rows read: the reader refuses more units than rows) */
	full.rows_rejected = 2;
	full.rows_read += 2;
	out = open_memstream(&data, &size);
	assert_int_equal(tact_summaryfile_write(&full, out, &s.error), TACT_OK);
	fclose(out);
	tact_load_options_release(&s.options);

	for (t = 0; t < sizeof projections / sizeof projections[0]; t++) {
		tact_summary direct, projected;
		size_t d;
		setup_init(&s);
		setup_flag(&s, "by", projections[t]);
		assert_int_equal(run_load(&s, text, length, &direct), TACT_OK);
		direct.rows_rejected = 2;
		direct.rows_read += 2;
		assert_int_equal(run_load(&s, data, size, &projected), TACT_OK);
		assert_int_equal(projected.dimensions, direct.dimensions);
		for (d = 0; d < direct.dimensions; d++)
			assert_string_equal(projected.dimension_names[d],
			                    direct.dimension_names[d]);
		assert_same_summary(&projected, &direct, 1e-12);
		assert_string_equal(projected.control, "control");
		assert_int_equal(projected.metrics[0].binary, 1);
		tact_summary_release(&direct);
		tact_summary_release(&projected);
		tact_load_options_release(&s.options);
	}
	setup_init(&s);
	setup_flag(&s, "by", "intent,country");
	expect_failure(&s, data, TACT_DATA, 0, 0,
	               "the summary has no segment 'country' to segment by");
	/* A dimension named twice is refused, as it is for an export. */
	setup_flag(&s, "by", "intent,device,intent");
	expect_failure(&s, text, TACT_DATA, 1, 1,
	               "column 'intent' cannot be both a segment and a segment");
	expect_failure(&s, data, TACT_DATA, 0, 0,
	               "segment 'intent' is named twice");
	tact_load_options_release(&s.options);
	tact_summary_release(&full);
	free(data);
	free(text);
}

static void test_missing_file(void **state)
{
	load_setup s;
	tact_summary summary;

	(void)state;
	setup_init(&s);
	tact_summary_init(&summary);
	assert_int_equal(tact_load("/nonexistent/export.csv", &s.options, &summary,
	                           NULL, &s.error),
	                 TACT_NOINPUT);
	tact_summary_release(&summary);
	tact_load_options_release(&s.options);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consent_and_missing),
		cmocka_unit_test(test_bad_cells_stop_with_position),
		cmocka_unit_test(test_decimal_comma),
		cmocka_unit_test(test_skip_bad),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_control_of_a_summary),
		cmocka_unit_test(test_sessions_by_unit),
		cmocka_unit_test(test_chunk_sizes_and_paths),
		cmocka_unit_test(test_summary_round_trip),
		cmocka_unit_test(test_summary_projection),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
