/*
 * test_privacy.c - direct identifiers by column name and by values, the
 * streaming detector and its thresholds, the role and label checks, and
 * the suppression decision.  The expected kinds follow the rules written
 * in lib/privacy.h (the lists below are the documentation's examples and
 * their near misses).
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

#include "privacy.h"
#include "summary.h"

static tact_identifier_kind name_kind(const char *name)
{
	return tact_privacy_name_kind(name, strlen(name));
}

static tact_identifier_kind value_kind(const char *value)
{
	return tact_privacy_value_kind(value, strlen(value));
}

static void test_names(void **state)
{
	static const struct { const char *name; tact_identifier_kind kind; } cases[] = {
		{"email", TACT_IDENTIFIER_EMAIL},
		{"e-mail", TACT_IDENTIFIER_EMAIL},
		{"E-Mail", TACT_IDENTIFIER_EMAIL},
		{"eMail", TACT_IDENTIFIER_EMAIL},
		{"EMAIL", TACT_IDENTIFIER_EMAIL},
		{"mail", TACT_IDENTIFIER_EMAIL},
		{"email_address", TACT_IDENTIFIER_EMAIL},
		{"EmailAddress", TACT_IDENTIFIER_EMAIL},
		{"customer.email", TACT_IDENTIFIER_EMAIL},
		{"user email 2", TACT_IDENTIFIER_EMAIL},
		{"phone", TACT_IDENTIFIER_PHONE},
		{"Phone Number", TACT_IDENTIFIER_PHONE},
		{"phone_no", TACT_IDENTIFIER_PHONE},
		{"tel", TACT_IDENTIFIER_PHONE},
		{"mobile", TACT_IDENTIFIER_PHONE},
		{"mobile_phone", TACT_IDENTIFIER_PHONE},
		{"telephone", TACT_IDENTIFIER_PHONE},
		{"ip", TACT_IDENTIFIER_IP},
		{"IP", TACT_IDENTIFIER_IP},
		{"ip_address", TACT_IDENTIFIER_IP},
		{"IPAddress", TACT_IDENTIFIER_IP},
		{"client_ip", TACT_IDENTIFIER_IP},
		{"userIP", TACT_IDENTIFIER_IP},
		{"ipv4", TACT_IDENTIFIER_IP},
		{"IPv6", TACT_IDENTIFIER_IP},
		{"name", TACT_IDENTIFIER_NAME},
		{"first_name", TACT_IDENTIFIER_NAME},
		{"firstName", TACT_IDENTIFIER_NAME},
		{"FirstName", TACT_IDENTIFIER_NAME},
		{"last_name", TACT_IDENTIFIER_NAME},
		{"lastname", TACT_IDENTIFIER_NAME},
		{"surname", TACT_IDENTIFIER_NAME},
		{"customer_name", TACT_IDENTIFIER_NAME},
		{"username", TACT_IDENTIFIER_NAME},
		{"address", TACT_IDENTIFIER_ADDRESS},
		{"street", TACT_IDENTIFIER_ADDRESS},
		{"home_address", TACT_IDENTIFIER_ADDRESS},
		{"Street Address", TACT_IDENTIFIER_ADDRESS},
		/* Not identifiers: whole words only, the last word decides. */
		{"domain", TACT_IDENTIFIER_NONE},
		{"ship", TACT_IDENTIFIER_NONE},
		{"shipping", TACT_IDENTIFIER_NONE},
		{"relationship", TACT_IDENTIFIER_NONE},
		{"filename", TACT_IDENTIFIER_NONE},
		{"hostname", TACT_IDENTIFIER_NONE},
		{"hotel", TACT_IDENTIFIER_NONE},
		{"intel", TACT_IDENTIFIER_NONE},
		{"telemetry", TACT_IDENTIFIER_NONE},
		{"zip", TACT_IDENTIFIER_NONE},
		{"zip_code", TACT_IDENTIFIER_NONE},
		{"tip", TACT_IDENTIFIER_NONE},
		{"gmail_share", TACT_IDENTIFIER_NONE},
		{"email_opened", TACT_IDENTIFIER_NONE},
		{"mail_sent", TACT_IDENTIFIER_NONE},
		{"ip_country", TACT_IDENTIFIER_NONE},
		{"phone_verified", TACT_IDENTIFIER_NONE},
		{"campaign_name", TACT_IDENTIFIER_NONE},
		{"product_name", TACT_IDENTIFIER_NONE},
		{"domain_name", TACT_IDENTIFIER_NONE},
		{"order_number", TACT_IDENTIFIER_NONE},
		{"visitor_id", TACT_IDENTIFIER_NONE},
		{"user id", TACT_IDENTIFIER_NONE},
		{"intent", TACT_IDENTIFIER_NONE},
		{"history_segment", TACT_IDENTIFIER_NONE},
		{"", TACT_IDENTIFIER_NONE},
		{"2024", TACT_IDENTIFIER_NONE},
		{"__", TACT_IDENTIFIER_NONE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (name_kind(cases[i].name) != cases[i].kind)
			fail_msg("name '%s': got %d, expected %d", cases[i].name,
			         name_kind(cases[i].name), cases[i].kind);
	}
	/* A very long name with many words: the last ones decide. */
	assert_int_equal(name_kind("a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_customer_email"),
	                 TACT_IDENTIFIER_EMAIL);
	assert_int_equal(name_kind("averyveryveryveryveryverylongwordthatmatchesnothing"),
	                 TACT_IDENTIFIER_NONE);
	/* A name that is an address (issue 15): of that kind, and refused
	 * whatever its role, by its column number. */
	assert_int_equal(name_kind("john@example.com"), TACT_IDENTIFIER_EMAIL);
	assert_int_equal(name_kind("clicks from 10.0.0.1"), TACT_IDENTIFIER_IP);
	assert_int_equal(name_kind("revenue_v1.2.3.4"), TACT_IDENTIFIER_NONE);
	{
		char *fields[] = {"intent", "arm", "john@example.com"};
		size_t lengths[] = {6, 3, 16};
		tact_error error;
		tact_error_init(&error);
		assert_int_equal(tact_privacy_check_names(fields, lengths, 2, "f.csv",
		                                          &error), TACT_OK);
		assert_int_equal(tact_privacy_check_names(fields, lengths, 3, "f.csv",
		                                          &error), TACT_DATA);
		assert_int_equal(error.column, 3);
		assert_null(strstr(error.message, "john"));
		assert_non_null(strstr(error.message, "column 3 looks like one of "
		                                      "e-mail addresses"));
	}
}

static void test_values(void **state)
{
	static const struct { const char *value; tact_identifier_kind kind; } cases[] = {
		{"user1@example.com", TACT_IDENTIFIER_EMAIL},
		{"Ada.Lovelace+news@mail.example.co.uk", TACT_IDENTIFIER_EMAIL},
		{"  bob@example.org ", TACT_IDENTIFIER_EMAIL},
		{"Ada Lovelace <ada@example.org>", TACT_IDENTIFIER_EMAIL},
		{"jos\xC3\xA9@exemple.fr", TACT_IDENTIFIER_EMAIL},
		{"x@xn--80ak6aa92e.com", TACT_IDENTIFIER_EMAIL},
		{"a@b", TACT_IDENTIFIER_NONE},
		{"a@b.c", TACT_IDENTIFIER_NONE},
		{"@example.com", TACT_IDENTIFIER_NONE},
		{"a@@example.com", TACT_IDENTIFIER_NONE},
		{"a@-example.com", TACT_IDENTIFIER_NONE},
		{"a@example..com", TACT_IDENTIFIER_NONE},
		/* Not addresses as a whole, but holding one (issue 15). */
		{".a@example.com", TACT_IDENTIFIER_EMAIL},
		{"a b@example.com", TACT_IDENTIFIER_EMAIL},
		{"mailto:john@example.com", TACT_IDENTIFIER_EMAIL},
		{"contact john@example.com now", TACT_IDENTIFIER_EMAIL},
		{"user@example.com;", TACT_IDENTIFIER_EMAIL},
		{"john@localhost", TACT_IDENTIFIER_EMAIL},
		{"<john@example.com>", TACT_IDENTIFIER_EMAIL},
		{"10.0.0.1:8080", TACT_IDENTIFIER_IP},
		{"host 10.1.2.3", TACT_IDENTIFIER_IP},
		{"from 10.1.2.3, then", TACT_IDENTIFIER_IP},
		{"server [2001:db8::1]:443", TACT_IDENTIFIER_IP},
		{"call +33 6 12 34 56 78 today", TACT_IDENTIFIER_PHONE},
		/* ... and what is none (false positives kept low). */
		{"team@home", TACT_IDENTIFIER_NONE},
		{"price@10", TACT_IDENTIFIER_NONE},
		{"v1.2.3.4", TACT_IDENTIFIER_NONE},
		{"release 1.2.3.4.5", TACT_IDENTIFIER_NONE},
		{"build 1.2.3", TACT_IDENTIFIER_NONE},
		{"at 12:30:45 on 2024-01-15", TACT_IDENTIFIER_NONE},
		{"ratio 0.25 of 3.5", TACT_IDENTIFIER_NONE},
		{"15.01.2024 10:00", TACT_IDENTIFIER_NONE},
		{"+5% lift", TACT_IDENTIFIER_NONE},
		{"A+B test", TACT_IDENTIFIER_NONE},
		{"bucket 256.1.1.1", TACT_IDENTIFIER_NONE},
		{"@handle", TACT_IDENTIFIER_NONE},
		{"+33 6 12 34 56 78", TACT_IDENTIFIER_PHONE},
		{"+33 6 10000000", TACT_IDENTIFIER_PHONE},
		{"+33612345678", TACT_IDENTIFIER_PHONE},
		{"+1 (555) 123-4567", TACT_IDENTIFIER_PHONE},
		{"+44 (0)20 7946 0958", TACT_IDENTIFIER_PHONE},
		{"020 7946 0958", TACT_IDENTIFIER_PHONE},
		{"06.12.34.56.78", TACT_IDENTIFIER_PHONE},
		{"06 12 34 56 78", TACT_IDENTIFIER_PHONE},
		{"555-123-4567", TACT_IDENTIFIER_PHONE},
		{"555.123.4567", TACT_IDENTIFIER_PHONE},
		{"(555) 123 4567", TACT_IDENTIFIER_PHONE},
		{"030 1234567", TACT_IDENTIFIER_PHONE},
		{"030-1234567", TACT_IDENTIFIER_PHONE},
		{"+1 555", TACT_IDENTIFIER_NONE},          /* too few digits */
		{"+1234567890123456", TACT_IDENTIFIER_NONE}, /* too many */
		{"33612345678", TACT_IDENTIFIER_NONE},     /* digits alone */
		{"1234567", TACT_IDENTIFIER_NONE},
		{"2024-01-15", TACT_IDENTIFIER_NONE},
		{"15.01.2024", TACT_IDENTIFIER_NONE},
		{"1 234 567", TACT_IDENTIFIER_NONE},
		{"12.345.678", TACT_IDENTIFIER_NONE},
		{"12345.678", TACT_IDENTIFIER_NONE},
		{"0.1234567", TACT_IDENTIFIER_NONE},
		{"-1234567.5", TACT_IDENTIFIER_NONE},
		{"1e10", TACT_IDENTIFIER_NONE},
		{"10000-20000", TACT_IDENTIFIER_NONE},
		{"1,234,567", TACT_IDENTIFIER_NONE},
		{"555-123-4567-", TACT_IDENTIFIER_NONE},
		{"555---1234567", TACT_IDENTIFIER_NONE},
		{"((555) 1234567", TACT_IDENTIFIER_NONE},
		{"(555 1234567", TACT_IDENTIFIER_NONE},
		{"10.0.0.1", TACT_IDENTIFIER_IP},
		{"192.168.1.254", TACT_IDENTIFIER_IP},
		{"10.0.0.0/8", TACT_IDENTIFIER_IP},
		{"256.1.1.1", TACT_IDENTIFIER_NONE},
		{"1.2.3", TACT_IDENTIFIER_NONE},
		{"1.2.3.4.5", TACT_IDENTIFIER_NONE},
		{"1.2.3.4/33", TACT_IDENTIFIER_NONE},
		{"1.2.3.", TACT_IDENTIFIER_NONE},
		{"2001:db8::1", TACT_IDENTIFIER_IP},
		{"2001:0db8:85a3:0000:0000:8a2e:0370:7334", TACT_IDENTIFIER_IP},
		{"::1", TACT_IDENTIFIER_IP},
		{"fe80::1%eth0", TACT_IDENTIFIER_IP},
		{"[2001:db8::2]", TACT_IDENTIFIER_IP},
		{"::ffff:192.0.2.128", TACT_IDENTIFIER_IP},
		{"12:30:45", TACT_IDENTIFIER_NONE},       /* a time */
		{"00:1a:2b:3c:4d:5e", TACT_IDENTIFIER_NONE}, /* 6 groups */
		{"2001:db8::1::2", TACT_IDENTIFIER_NONE},
		{"2001:db8:1", TACT_IDENTIFIER_NONE},
		{"fe80:", TACT_IDENTIFIER_NONE},
		{"12345:1", TACT_IDENTIFIER_NONE},
		{"control", TACT_IDENTIFIER_NONE},
		{"personalized", TACT_IDENTIFIER_NONE},
		{"No E-Mail", TACT_IDENTIFIER_NONE},
		{"1) $0 - $100", TACT_IDENTIFIER_NONE},
		{"0", TACT_IDENTIFIER_NONE},
		{"", TACT_IDENTIFIER_NONE},
		{"v123", TACT_IDENTIFIER_NONE},
		{"550e8400-e29b-41d4-a716-446655440000", TACT_IDENTIFIER_NONE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (value_kind(cases[i].value) != cases[i].kind)
			fail_msg("value '%s': got %d, expected %d", cases[i].value,
			         value_kind(cases[i].value), cases[i].kind);
	}
	/* Not NUL-terminated: only length bytes are read. */
	assert_int_equal(tact_privacy_value_kind("10.0.0.1999", 8),
	                 TACT_IDENTIFIER_IP);
	/* Labels keep only the unmistakable forms. */
	assert_int_equal(tact_privacy_label_kind("555-123-4567", 12),
	                 TACT_IDENTIFIER_NONE);
	assert_int_equal(tact_privacy_label_kind("+1 555-123-4567", 15),
	                 TACT_IDENTIFIER_PHONE);
	assert_int_equal(tact_privacy_label_kind("a@example.com", 13),
	                 TACT_IDENTIFIER_EMAIL);
	assert_int_equal(tact_privacy_label_kind("10.1.2.3", 8), TACT_IDENTIFIER_IP);
	assert_string_equal(tact_identifier_kind_key(TACT_IDENTIFIER_IP), "ip");
	assert_string_equal(tact_identifier_kind_text(TACT_IDENTIFIER_EMAIL),
	                    "e-mail addresses");
	assert_string_equal(tact_identifier_reason_text(TACT_IDENTIFIER_BY_BOTH),
	                    "name and values");
}

/* A detector over a header "a,b,...", fed rows of "x,y,..." */
typedef struct table {
	size_t count;
	char *fields[16];
	size_t lengths[16];
	char buffer[512];
} table;

static void split(table *t, const char *line)
{
	char *p;

	snprintf(t->buffer, sizeof t->buffer, "%s", line);
	t->count = 0;
	p = t->buffer;
	for (;;) {
		char *comma = strchr(p, ',');
		t->fields[t->count] = p;
		if (comma)
			*comma = '\0';
		t->lengths[t->count] = strlen(p);
		t->count++;
		if (!comma)
			break;
		p = comma + 1;
	}
}

static void detector_with(tact_privacy_detector *d, const char *header)
{
	table t;
	tact_error error;

	split(&t, header);
	tact_error_init(&error);
	assert_int_equal(tact_privacy_detector_init(d, t.fields, t.lengths,
	                                            t.count, &error),
	                 TACT_OK);
}

static int feed(tact_privacy_detector *d, const char *row)
{
	table t;

	split(&t, row);
	return tact_privacy_detector_feed(d, t.fields, t.lengths, t.count);
}

static void test_detector_threshold(void **state)
{
	tact_privacy_detector d;
	int i;

	(void)state;
	/* contact: half e-mails (not more than half): no; notes: 51 of 100. */
	detector_with(&d, "contact,notes,intent");
	for (i = 0; i < 100; i++) {
		char row[128];
		snprintf(row, sizeof row, "%s,%s,buy",
		         i % 2 ? "u@example.com" : "none",
		         i < 51 ? "+33 6 12 34 56 78" : "call back");
		assert_int_equal(feed(&d, row), i < 99);
	}
	/* Enough: more rows change nothing. */
	assert_int_equal(feed(&d, "u@example.com,u@example.com,buy"), 0);
	tact_privacy_detector_finish(&d);
	assert_int_equal(d.columns[0].kind, TACT_IDENTIFIER_NONE);
	assert_int_equal(d.columns[1].kind, TACT_IDENTIFIER_PHONE);
	assert_int_equal(d.columns[1].reason, TACT_IDENTIFIER_BY_VALUES);
	assert_int_equal(d.columns[1].seen, 100);
	assert_int_equal(d.columns[2].kind, TACT_IDENTIFIER_NONE);
	assert_int_equal(tact_privacy_detector_identifiers(&d), 1);
	tact_privacy_detector_release(&d);
	tact_privacy_detector_release(&d); /* twice is harmless */
}

static void test_detector_names_and_empties(void **state)
{
	tact_privacy_detector d;
	int i;

	(void)state;
	/* is_mobile holds booleans: a device flag.  last_name is empty: a
	 * name alone still flags it.  email both.  phone holds digits only
	 * (not a phone format, but not harmless either): flagged by name.
	 * ip holds "n/a": flagged by name.  ragged rows are skipped. */
	detector_with(&d, "is_mobile,last_name,email,phone,ip,mobile");
	assert_int_equal(feed(&d, "1,2,3"), 1);
	for (i = 0; i < 30; i++) {
		char row[200];
		snprintf(row, sizeof row, "%s,,a%d@example.com,33612345678,n/a,%d",
		         i % 2 ? "yes" : "no", i, i % 2);
		assert_int_equal(feed(&d, row), 1); /* last_name is still empty */
	}
	tact_privacy_detector_finish(&d);
	assert_int_equal(d.rows, 30); /* the ragged row is not counted */
	assert_int_equal(d.columns[0].kind, TACT_IDENTIFIER_NONE);
	assert_int_equal(d.columns[0].by_name, TACT_IDENTIFIER_PHONE);
	assert_int_equal(d.columns[1].kind, TACT_IDENTIFIER_NAME);
	assert_int_equal(d.columns[1].reason, TACT_IDENTIFIER_BY_NAME);
	assert_int_equal(d.columns[2].kind, TACT_IDENTIFIER_EMAIL);
	assert_int_equal(d.columns[2].reason, TACT_IDENTIFIER_BY_BOTH);
	assert_int_equal(d.columns[3].kind, TACT_IDENTIFIER_PHONE);
	assert_int_equal(d.columns[3].reason, TACT_IDENTIFIER_BY_NAME);
	assert_int_equal(d.columns[4].kind, TACT_IDENTIFIER_IP);
	assert_int_equal(d.columns[5].kind, TACT_IDENTIFIER_NONE);
	tact_privacy_detector_release(&d);

	/* An always-empty column keeps the detector asking, up to the row
	 * limit. */
	detector_with(&d, "a,b");
	for (i = 0; i < TACT_PRIVACY_ROWS - 1; i++)
		assert_int_equal(feed(&d, "x,"), 1);
	assert_int_equal(feed(&d, "x,"), 0);
	tact_privacy_detector_finish(&d);
	assert_int_equal(tact_privacy_detector_identifiers(&d), 0);
	tact_privacy_detector_release(&d);

	/* No columns at all. */
	{
		tact_error error;
		tact_error_init(&error);
		assert_int_equal(tact_privacy_detector_init(&d, NULL, NULL, 0, &error),
		                 TACT_OK);
		assert_int_equal(tact_privacy_detector_feed(&d, NULL, NULL, 0), 0);
		tact_privacy_detector_finish(&d);
		tact_privacy_detector_release(&d);
	}
}

static void test_check_roles(void **state)
{
	tact_privacy_detector d;
	tact_column_map map;
	size_t dimension = 1;
	tact_error error;

	(void)state;
	detector_with(&d, "arm,email,converted");
	assert_int_equal(feed(&d, "control,x@example.com,1"), 1);
	tact_privacy_detector_finish(&d);
	memset(&map, 0, sizeof map);
	map.arm = 0;
	map.dimensions = 1;
	map.dimension_columns = &dimension;
	tact_error_init(&error);
	assert_int_equal(tact_privacy_check_roles(&d, &map, "x.csv", &error),
	                 TACT_DATA);
	assert_int_equal(error.line, 1);
	assert_int_equal(error.column, 2);
	assert_non_null(strstr(error.message, "column 'email' holds direct "
	                                      "identifiers (e-mail addresses, by "
	                                      "its name and values) and cannot be "
	                                      "a segment (--by)"));
	assert_null(strstr(error.message, "x@example.com"));
	/* As the arm. */
	map.arm = 1;
	map.dimensions = 0;
	tact_error_init(&error);
	assert_int_equal(tact_privacy_check_roles(&d, &map, "x.csv", &error),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "cannot be the arm"));
	/* Elsewhere (a metric, the unit): allowed. */
	map.arm = 0;
	tact_error_init(&error);
	assert_int_equal(tact_privacy_check_roles(&d, &map, "x.csv", &error),
	                 TACT_OK);
	tact_privacy_detector_release(&d);
}

static void make_summary(tact_summary *s, const char *dimension,
                         const char *const *labels, const char *const *arms,
                         size_t groups)
{
	char *names[1];
	char *metric_names[1] = {"converted"};
	tact_role roles[1] = {TACT_ROLE_GOAL};
	tact_error error;
	size_t g, index;
	double one = 1;

	names[0] = (char *)dimension;
	tact_error_init(&error);
	tact_summary_init(s);
	assert_int_equal(tact_summary_setup(s, 1, names, "arm", 1, metric_names,
	                                    roles, &error),
	                 TACT_OK);
	for (g = 0; g < groups; g++) {
		const char *l[1] = {labels[g]};
		size_t lengths[1] = {strlen(labels[g])};
		assert_int_equal(tact_summary_group_find(s, l, lengths, arms[g],
		                                         strlen(arms[g]), &index,
		                                         &error),
		                 TACT_OK);
		tact_summary_add(s, index, &one);
	}
	tact_summary_finish(s);
}

static void test_check_summary(void **state)
{
	static const char *const arms[] = {"control", "treated", "control",
	                                   "treated"};
	static const char *const clean[] = {"buy", "buy", "browse", "browse"};
	static const char *const one_email[] = {"buy", "buy", "browse",
	                                        "someone@example.com"};
	static const char *const one_national[] = {"buy", "buy", "browse",
	                                           "0100-2000999"};
	tact_summary s;
	tact_error error;

	(void)state;
	make_summary(&s, "intent", clean, arms, 4);
	tact_error_init(&error);
	assert_int_equal(tact_privacy_check_summary(&s, "s.csv", &error), TACT_OK);
	tact_summary_release(&s);

	/* One label anywhere is enough (not only the first rows). */
	make_summary(&s, "referrer", one_email, arms, 4);
	tact_error_init(&error);
	assert_int_equal(tact_privacy_check_summary(&s, "s.csv", &error),
	                 TACT_DATA);
	assert_string_equal(error.message,
	                    "a label of segment 'referrer' looks like one of "
	                    "e-mail addresses: tact never copies identifiers into "
	                    "its outputs; segment by a column that identifies no "
	                    "one");
	tact_summary_release(&s);

	/* A national phone format alone is not enough for a label. */
	make_summary(&s, "band", one_national, arms, 4);
	tact_error_init(&error);
	assert_int_equal(tact_privacy_check_summary(&s, "s.csv", &error), TACT_OK);
	tact_summary_release(&s);

	/* A dimension named like a person's name. */
	make_summary(&s, "first_name", clean, arms, 4);
	tact_error_init(&error);
	assert_int_equal(tact_privacy_check_summary(&s, "s.csv", &error),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "segment 'first_name' holds direct "
	                                      "identifiers (people's names, by "
	                                      "its name)"));
	tact_summary_release(&s);

	/* An arm label. */
	{
		static const char *const ip_arms[] = {"control", "10.0.0.1",
		                                      "control", "10.0.0.1"};
		make_summary(&s, "intent", clean, ip_arms, 4);
		tact_error_init(&error);
		assert_int_equal(tact_privacy_check_summary(&s, "s.csv", &error),
		                 TACT_DATA);
		assert_non_null(strstr(error.message, "an arm label (column 'arm') "
		                                      "looks like one of IP addresses"));
		tact_summary_release(&s);
	}
}

/*
 * The suppression decision (tact_privacy_decide).  Each fixture is a
 * table of one metric; the expected hidden figures ('*') were computed by
 * tests/expected/privacy.py, which writes the rules again in Python (run
 * it: it prints these fixtures' decisions).  expected[] lists per segment
 * and arm "u" or "U" (units shown or hidden) then "m" or "M" (the
 * metric's count); pooled[] per arm; labels[] per dimension and label.
 */
typedef struct decide_fixture {
	size_t segments, arms, dimensions;
	const size_t *labels;
	const size_t *label_counts;
	const int64_t *units, *values;
	const char *expected;     /* per cell: two letters */
	const char *pooled;       /* per arm: '*' hidden, '-' shown */
	const char *label_totals; /* per dimension's labels in order */
} decide_fixture;

static void check_decision(const decide_fixture *f)
{
	tact_privacy_table t;
	tact_privacy_plan plan;
	tact_error error;
	size_t s, a, d, l, k = 0;

	tact_error_init(&error);
	assert_int_equal(tact_privacy_table_alloc(&t, f->segments, f->arms, 1,
	                                          f->dimensions, &error), TACT_OK);
	memcpy(t.labels, f->labels, f->segments * f->dimensions * sizeof(size_t));
	memcpy(t.label_counts, f->label_counts, f->dimensions * sizeof(size_t));
	memcpy(t.units, f->units, f->segments * f->arms * sizeof(int64_t));
	memcpy(t.values, f->values, f->segments * f->arms * sizeof(int64_t));
	assert_int_equal(tact_privacy_decide(&t, 10, TACT_PRIVACY_TABLES, &plan,
	                                     &error), TACT_OK);
	for (s = 0; s < f->segments; s++)
		for (a = 0; a < f->arms; a++) {
			const char *e = &f->expected[2 * (s * f->arms + a)];
			int units = tact_privacy_hidden(&plan, s + 1, a, TACT_PRIVACY_UNITS);
			int metric = tact_privacy_hidden(&plan, s + 1, a, 0);
			if (units != (e[0] == 'U') || metric != (e[1] == 'M'))
				fail_msg("segment %zu arm %zu: expected %.2s, got %c%c", s, a, e,
				         units ? 'U' : 'u', metric ? 'M' : 'm');
		}
	for (a = 0; a < f->arms; a++)
		assert_int_equal(tact_privacy_hidden(&plan, 0, a, TACT_PRIVACY_UNITS),
		                 f->pooled[a] == '*');
	for (d = 0; d < f->dimensions; d++)
		for (l = 0; l < f->label_counts[d]; l++, k++)
			assert_int_equal(tact_privacy_label_hidden(&plan, d, l),
			                 f->label_totals[k] == '*');
	/* The segment-wide figures go blank with any hidden arm. */
	for (s = 0; s < f->segments; s++) {
		int any = 0;
		for (a = 0; a < f->arms; a++)
			any |= f->expected[2 * (s * f->arms + a)] == 'U';
		assert_int_equal(tact_privacy_segment_hidden(&plan, s + 1,
		                                             TACT_PRIVACY_UNITS), any);
	}
	tact_privacy_plan_release(&plan);
	tact_privacy_table_release(&t);
}

/* Issue 15 item 9: three arms, small arms in two segments. */
static void test_decide_three_arms(void **state)
{
	static const size_t labels[] = {0, 1, 2}, counts[] = {3};
	static const int64_t units[] = {60, 60, 5, 50, 3, 40, 30, 30, 30};
	static const int64_t values[] = {55, 60, 5, 50, 3, 40, 30, 30, 30};
	const decide_fixture f = {3, 3, 1, labels, counts, units, values,
	                          "umumUM" "umUMum" "umUMUM", "---", "***"};
	(void)state;
	check_decision(&f);
}

/* Issue 15 item 8: tact-validate's segment total minus the control's
 * units gave the hidden arm; the total is hidden, the arm's line gets a
 * complement. */
static void test_decide_segment_total(void **state)
{
	static const size_t labels[] = {0, 1, 2}, counts[] = {3};
	static const int64_t units[] = {50, 5, 40, 40, 30, 30};
	static const int64_t values[] = {50, 5, 40, 40, 30, 30};
	const decide_fixture f = {3, 2, 1, labels, counts, units, values,
	                          "umUM" "umum" "umUM", "--", "*-*"};
	(void)state;
	check_decision(&f);
}

/* Issue 15 item 10: missing values make a metric's count small where the
 * units are not: that count is hidden, with a complement in its arm's
 * line (the pooled count minus the others would give it). */
static void test_decide_missing_values(void **state)
{
	static const size_t labels[] = {0, 1, 2}, counts[] = {3};
	static const int64_t units[] = {40, 40, 40, 40, 40, 40};
	static const int64_t values[] = {40, 3, 40, 40, 35, 20};
	const decide_fixture f = {3, 2, 1, labels, counts, units, values,
	                          "umuM" "umum" "umuM", "--", "---"};
	(void)state;
	check_decision(&f);
}

/* Two dimensions: the totals per label of each are tact-validate's. */
static void test_decide_two_dimensions(void **state)
{
	static const size_t labels[] = {0, 0, 0, 1, 1, 0, 1, 1}, counts[] = {2, 2};
	static const int64_t units[] = {30, 4, 30, 30, 30, 30, 30, 30};
	static const int64_t values[] = {30, 4, 30, 30, 30, 30, 30, 30};
	const decide_fixture f = {4, 2, 2, labels, counts, units, values,
	                          "umUM" "umUM" "umum" "umum", "--", "*-" "**"};
	(void)state;
	check_decision(&f);
}

/* An arm of 5 units overall: its pooled figure is hidden, and since the
 * units overall minus the other arms would give it, another arm's pooled
 * figure and one of its cells are hidden too (not the control's). */
static void test_decide_tiny_arm(void **state)
{
	static const size_t labels[] = {0, 1}, counts[] = {2};
	static const int64_t units[] = {30, 30, 2, 30, 30, 3};
	static const int64_t values[] = {30, 30, 2, 30, 30, 3};
	const decide_fixture f = {2, 3, 1, labels, counts, units, values,
	                          "umUMUM" "umumUM", "-**", "**"};
	(void)state;
	check_decision(&f);
}

/* Segments held in another order decide the same (every tool holds its
 * own order). */
static void test_decide_order(void **state)
{
	static const size_t labels[] = {2, 0, 1}, counts[] = {3};
	static const int64_t units[] = {30, 30, 50, 5, 40, 40};
	static const int64_t values[] = {30, 30, 50, 5, 40, 40};
	const decide_fixture f = {3, 2, 1, labels, counts, units, values,
	                          "umUM" "umUM" "umum", "--", "*-*"};
	(void)state;
	check_decision(&f);
}

/* ---- strict mode: linked tables (issue 15 item 12) --------------------- */

/* Intent (buy, look) x device (desktop, mobile, tablet), arms control and
 * pers, one metric (its counts the units).  The issue's figures: mobile's
 * pers units are 812 = buy's 808 + look's 4.  Tablet's pers cells are
 * small, so that the device table hides complements of its own. */
enum { LT_S = 6, LT_A = 2 };
static const size_t lt_labels[LT_S * 2] = {0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 1, 2};
static const size_t lt_counts[2] = {2, 3};
static const int64_t lt_issue[LT_S * LT_A] = {500, 300, 500, 808, 500, 3,
                                              500, 200, 500, 4, 500, 3};
/* Zeros: the shown 0s with the margins of intent and device pin every
 * other pers cell down (look/tablet = look's 43 - 0 - 35 = 8). */
static const int64_t lt_zeros[LT_S * LT_A] = {500, 40, 500, 0, 500, 30,
                                              500, 0, 500, 35, 500, 8};
static const int64_t *lt_units = lt_issue;

/* The table of dimensions mask of the fixture (segments in label order). */
static void linked_table(tact_privacy_table *t, unsigned mask)
{
	size_t s, a, d, k, n = 0, D = 0, group[LT_S];
	tact_error error;

	for (d = 0; d < 2; d++)
		D += (mask >> d) & 1u;
	/* group of each segment: its kept labels in order */
	for (s = 0; s < LT_S; s++) {
		size_t key = 0;
		for (d = 0; d < 2; d++)
			if ((mask >> d) & 1u)
				key = key * 3 + lt_labels[s * 2 + d];
		group[s] = key;
	}
	{
		size_t keys[LT_S], count = 0, i;
		for (s = 0; s < LT_S; s++) {
			for (i = 0; i < count && keys[i] != group[s]; i++)
				;
			if (i == count)
				keys[count++] = group[s];
		}
		n = count;
		tact_error_init(&error);
		assert_int_equal(tact_privacy_table_alloc(t, n, LT_A, 1, D, &error),
		                 TACT_OK);
		for (s = 0; s < LT_S; s++) {
			for (i = 0; keys[i] != group[s]; i++)
				;
			for (d = 0, k = 0; d < 2; d++)
				if ((mask >> d) & 1u) {
					t->labels[i * D + k] = lt_labels[s * 2 + d];
					t->label_counts[k++] = lt_counts[d];
				}
			for (a = 0; a < LT_A; a++) {
				t->units[i * LT_A + a] += lt_units[s * LT_A + a];
				t->values[i * LT_A + a] += lt_units[s * LT_A + a];
			}
		}
	}
}

static void linked_plan(unsigned mask, tact_privacy_mode mode,
                        tact_privacy_plan *plan)
{
	tact_privacy_table t;
	tact_error error;

	linked_table(&t, mask);
	tact_error_init(&error);
	assert_int_equal(tact_privacy_decide(&t, 10, mode, plan, &error), TACT_OK);
	tact_privacy_table_release(&t);
}

/* The rank of rows (count x n, destroyed). */
static size_t rank_n(double *rows, size_t count, size_t n)
{
	size_t r = 0, col, k, j;

	for (col = 0; col < n && r < count; col++) {
		size_t pivot = count;
		for (k = r; k < count; k++)
			if (fabs(rows[k * n + col]) > 1e-9) {
				pivot = k;
				break;
			}
		if (pivot == count)
			continue;
		for (j = 0; j < n; j++) {
			double tmp = rows[r * n + j];
			rows[r * n + j] = rows[pivot * n + j];
			rows[pivot * n + j] = tmp;
		}
		for (k = 0; k < count; k++) {
			double f;
			if (k == r)
				continue;
			f = rows[k * n + col] / rows[r * n + col];
			for (j = 0; j < n; j++)
				rows[k * n + j] -= f * rows[r * n + j];
		}
		r++;
	}
	return r;
}

/* The rank of rows (count x LT_S * LT_A, destroyed). */
static size_t rank_of(double *rows, size_t count)
{
	return rank_n(rows, count, LT_S * LT_A);
}

/* Every figure the runs with each --by (none, intent, device, both) print
 * about the units, as equations over the fixture's cells; then the hidden
 * cells of 1..9 units that follow from them (count). */
static size_t linked_leaks(tact_privacy_mode mode)
{
	enum { N = LT_S * LT_A, MAX = 200 };
	static double rows[(MAX + 1) * N], copy[(MAX + 1) * N];
	size_t count = 0, leaks = 0, s, a, c, g;
	unsigned mask;
	int shown[N] = {0};

	for (mask = 0; mask < 4; mask++) {
		tact_privacy_plan plan;
		tact_privacy_table t;
		linked_table(&t, mask);
		linked_plan(mask, mode, &plan);
		/* cells (mask 3 and lower), pooled, label totals */
		for (g = 0; g < t.segments; g++)
			for (a = 0; a < LT_A; a++) {
				size_t d, k;
				if (tact_privacy_hidden(&plan, mask ? g + 1 : 0, a,
				                        TACT_PRIVACY_UNITS))
					continue;
				memset(&rows[count * N], 0, N * sizeof(double));
				for (s = 0; s < LT_S; s++) {
					int same = 1;
					for (d = 0, k = 0; d < 2; d++)
						if ((mask >> d) & 1u)
							same &= t.labels[g * t.dimensions + k++] ==
							        lt_labels[s * 2 + d];
					if (same)
						rows[count * N + s * LT_A + a] = 1;
				}
				if (mask == 3)
					shown[g * LT_A + a] = 1;
				count++;
			}
		for (a = 0; a < LT_A; a++)
			if (!tact_privacy_hidden(&plan, 0, a, TACT_PRIVACY_UNITS)) {
				memset(&rows[count * N], 0, N * sizeof(double));
				for (s = 0; s < LT_S; s++)
					rows[count * N + s * LT_A + a] = 1;
				count++;
			}
		for (c = 0; c < t.dimensions; c++) {
			size_t d = mask == 3 ? c : (mask == 1 ? 0 : 1), l;
			for (l = 0; l < lt_counts[d]; l++)
				if (!tact_privacy_label_hidden(&plan, c, l)) {
					memset(&rows[count * N], 0, N * sizeof(double));
					for (s = 0; s < LT_S; s++)
						if (lt_labels[s * 2 + d] == l)
							for (a = 0; a < LT_A; a++)
								rows[count * N + s * LT_A + a] = 1;
					count++;
				}
		}
		assert_true(count < MAX);
		tact_privacy_plan_release(&plan);
		tact_privacy_table_release(&t);
	}
	for (c = 0; c < N; c++) /* the units overall */
		rows[count * N + c] = 1;
	count++;
	for (c = 0; c < N; c++) {
		size_t before, after;
		if (shown[c] || lt_units[c] <= 0 || lt_units[c] >= 10)
			continue;
		memcpy(copy, rows, count * N * sizeof(double));
		before = rank_of(copy, count);
		memcpy(copy, rows, count * N * sizeof(double));
		memset(&copy[count * N], 0, N * sizeof(double));
		copy[count * N + c] = 1;
		after = rank_of(copy, count + 1);
		leaks += after == before;
	}
	return leaks;
}

/* Per-table suppression: the device table's mobile/pers (812) minus the
 * shown buy/mobile/pers (808) gives look/mobile/pers (4) back. */
static void test_linked_tables_leak(void **state)
{
	tact_privacy_plan device, both;

	(void)state;
	linked_plan(2, TACT_PRIVACY_TABLES, &device);
	linked_plan(3, TACT_PRIVACY_TABLES, &both);
	assert_false(tact_privacy_hidden(&device, 2, 1, TACT_PRIVACY_UNITS)); /* 812 */
	assert_false(tact_privacy_hidden(&both, 2, 1, TACT_PRIVACY_UNITS));   /* 808 */
	assert_true(tact_privacy_hidden(&both, 5, 1, TACT_PRIVACY_UNITS));    /* 4 */
	assert_true(linked_leaks(TACT_PRIVACY_TABLES) > 0);
	tact_privacy_plan_release(&device);
	tact_privacy_plan_release(&both);
}

/* Strict: no hidden count of 1..9 follows from all four runs together
 * (the issue's table, and one where shown zeros close the equations). */
static void test_linked_tables_strict(void **state)
{
	(void)state;
	lt_units = lt_issue;
	assert_int_equal(linked_leaks(TACT_PRIVACY_STRICT), 0);
	lt_units = lt_zeros;
	assert_true(linked_leaks(TACT_PRIVACY_TABLES) > 0);
	assert_int_equal(linked_leaks(TACT_PRIVACY_STRICT), 0);
	lt_units = lt_issue;
}

/* Strict: the figures of the lower tables inside the two-dimension
 * decision are the lower runs' own decisions: the pooled figures the
 * run without --by's, each dimension's totals its one-dimension run's
 * (the device run hides complements of its own for tablet's 6). */
static void test_linked_tables_recursive(void **state)
{
	tact_privacy_plan none, intent, device, both;
	size_t a, l;

	(void)state;
	linked_plan(0, TACT_PRIVACY_STRICT, &none);
	linked_plan(1, TACT_PRIVACY_STRICT, &intent);
	linked_plan(2, TACT_PRIVACY_STRICT, &device);
	linked_plan(3, TACT_PRIVACY_STRICT, &both);
	assert_true(tact_privacy_hidden(&device, 3, 1, TACT_PRIVACY_UNITS));
	for (a = 0; a < LT_A; a++) {
		assert_int_equal(tact_privacy_hidden(&both, 0, a, TACT_PRIVACY_UNITS),
		                 tact_privacy_hidden(&none, 0, a, TACT_PRIVACY_UNITS));
		assert_int_equal(tact_privacy_hidden(&device, 0, a, TACT_PRIVACY_UNITS),
		                 tact_privacy_hidden(&none, 0, a, TACT_PRIVACY_UNITS));
	}
	for (l = 0; l < 2; l++)
		assert_int_equal(tact_privacy_label_hidden(&both, 0, l),
		                 tact_privacy_label_hidden(&intent, 0, l));
	for (l = 0; l < 3; l++)
		assert_int_equal(tact_privacy_label_hidden(&both, 1, l),
		                 tact_privacy_label_hidden(&device, 0, l));
	/* Segments held in another order decide the same. */
	{
		tact_privacy_table t;
		tact_privacy_plan again;
		tact_error error;
		size_t s, k;
		linked_table(&t, 3);
		for (s = 0; s < LT_S / 2; s++) {
			size_t o = LT_S - 1 - s;
			for (k = 0; k < 2; k++) {
				size_t tmp = t.labels[s * 2 + k];
				t.labels[s * 2 + k] = t.labels[o * 2 + k];
				t.labels[o * 2 + k] = tmp;
			}
			for (k = 0; k < LT_A; k++) {
				int64_t tmp = t.units[s * LT_A + k];
				t.units[s * LT_A + k] = t.units[o * LT_A + k];
				t.units[o * LT_A + k] = tmp;
				tmp = t.values[s * LT_A + k];
				t.values[s * LT_A + k] = t.values[o * LT_A + k];
				t.values[o * LT_A + k] = tmp;
			}
		}
		tact_error_init(&error);
		assert_int_equal(tact_privacy_decide(&t, 10, TACT_PRIVACY_STRICT,
		                                     &again, &error), TACT_OK);
		for (s = 0; s < LT_S; s++)
			for (k = 0; k < LT_A; k++)
				assert_int_equal(
					tact_privacy_hidden(&again, LT_S - s, k, TACT_PRIVACY_UNITS),
					tact_privacy_hidden(&both, s + 1, k, TACT_PRIVACY_UNITS));
		tact_privacy_plan_release(&again);
		tact_privacy_table_release(&t);
	}
	tact_privacy_plan_release(&none);
	tact_privacy_plan_release(&intent);
	tact_privacy_plan_release(&device);
	tact_privacy_plan_release(&both);
}

/* ---- linked runs: tact-dose's segments x exposure bins ------------------ */

/* Segments A, B, C (dimension 0) x bins 0, 1, 2 (dimension 1), the treated
 * arms pooled into one, one metric; the expected figures are
 * tests/expected/privacy.py's (show_runs).  tact-dose prints the cells, each
 * segment over the bins, each bin over the segments (the pooled segment's
 * bins) and the pooled figures.  Its old rule of its own (per segment and
 * per bin: while the hidden cells add up to 1..9, hide the smallest shown
 * one) hid A/0 (5), then A/1 (12) for segment A and B/0 (13) for bin 0:
 * every line's hidden cells then add up to 10 or more, but B's total less
 * its shown bins gives B/0 = 13 back, and bin 0's total less B/0 and C/0
 * gives A/0 = 5. */
enum { DS_S = 3, DS_B = 3, DS_N = DS_S * DS_B };
static const int64_t ds_units[DS_N] = {5, 12, 40, 13, 30, 30, 20, 30, 30};
static const int64_t ds_values[DS_N] = {5, 12, 40, 13, 30, 30, 20, 30, 25};

/* The rank of rows (count x DS_N, destroyed). */
static size_t dose_rank(double *rows, size_t count)
{
	return rank_n(rows, count, DS_N);
}

/* hidden(mask, segment or bin, context) says whether a figure of dose's
 * runs is hidden: mask 3 a cell (index s * DS_B + b), 1 a segment's total,
 * 2 a bin's, 0 the pooled one.  Returns the counts of 1..9 (cells and
 * totals, of counts[]) that are hidden yet follow from what is printed. */
typedef int (*dose_hidden_fn)(unsigned mask, size_t index, const void *context);

static int in_figure(unsigned mask, size_t index, size_t cell)
{
	return mask == 3 ? cell == index
	       : mask == 1 ? cell / DS_B == index
	       : mask == 2 ? cell % DS_B == index
	                   : 1;
}

static size_t dose_leaks(const int64_t *counts, dose_hidden_fn hidden,
                         const void *context)
{
	enum { MAX = 32 };
	static double rows[(MAX + 1) * DS_N], copy[(MAX + 1) * DS_N];
	static const size_t figures[4] = {1, DS_S, DS_B, DS_N};
	size_t count = 0, leaks = 0, i, c;
	unsigned mask;

	memset(rows, 0, sizeof rows);
	for (c = 0; c < DS_N; c++) /* the units and values overall */
		rows[c] = 1;
	count = 1;
	for (mask = 0; mask < 4; mask++)
		for (i = 0; i < figures[mask]; i++) {
			if (hidden(mask, i, context))
				continue;
			for (c = 0; c < DS_N; c++)
				rows[count * DS_N + c] = in_figure(mask, i, c);
			count++;
		}
	for (mask = 0; mask < 4; mask++)
		for (i = 0; i < figures[mask]; i++) {
			int64_t v = 0;
			size_t before, after;
			for (c = 0; c < DS_N; c++)
				v += in_figure(mask, i, c) ? counts[c] : 0;
			if (!hidden(mask, i, context) || v <= 0 || v >= 10)
				continue;
			memcpy(copy, rows, count * DS_N * sizeof(double));
			before = dose_rank(copy, count);
			memcpy(copy, rows, count * DS_N * sizeof(double));
			for (c = 0; c < DS_N; c++)
				copy[count * DS_N + c] = in_figure(mask, i, c);
			after = dose_rank(copy, count + 1);
			leaks += after == before;
		}
	return leaks;
}

/* The old rule's choice: A/0, A/1 and B/0 hidden, every total shown. */
static int old_dose_hidden(unsigned mask, size_t index, const void *context)
{
	(void)context;
	return mask == 3 && (index == 0 || index == 1 || index == 3);
}

typedef struct dose_context {
	const tact_privacy_runs *runs;
	size_t metric;
} dose_context;

/* The decision's: run mask, its figure holding table segment index (the
 * table's segments are the cells in order). */
static int runs_hidden(unsigned mask, size_t index, const void *context)
{
	const dose_context *x = context;
	size_t segment = mask == 3 ? index
	                 : mask == 1 ? index * DS_B
	                 : mask == 2 ? index : 0;
	return tact_privacy_run_hidden(x->runs, mask, segment, 0, x->metric);
}

/* The figures of every run against tests/expected/privacy.py's marks:
 * per figure "u" or "U" (units shown or hidden) then "m" or "M" (the
 * metric's count): the cells, the segments, the bins, the pooled one. */
static void check_runs(const tact_privacy_runs *runs, const char *cells,
                       const char *segments, const char *bins,
                       const char *pooled)
{
	const dose_context units = {runs, TACT_PRIVACY_UNITS}, values = {runs, 0};
	static const size_t figures[4] = {1, DS_S, DS_B, DS_N};
	const char *expected[4];
	unsigned mask;
	size_t i;

	expected[0] = pooled;
	expected[1] = segments;
	expected[2] = bins;
	expected[3] = cells;
	for (mask = 0; mask < 4; mask++)
		for (i = 0; i < figures[mask]; i++) {
			const char *e = &expected[mask][2 * i];
			int u = runs_hidden(mask, i, &units), m = runs_hidden(mask, i, &values);
			if (u != (e[0] == 'U') || m != (e[1] == 'M'))
				fail_msg("run %u figure %zu: expected %.2s, got %c%c", mask, i,
				         e, u ? 'U' : 'u', m ? 'M' : 'm');
		}
}

static void dose_table(tact_privacy_table *t)
{
	tact_error error;
	size_t c;

	tact_error_init(&error);
	assert_int_equal(tact_privacy_table_alloc(t, DS_N, 1, 1, 2, &error),
	                 TACT_OK);
	t->label_counts[0] = DS_S;
	t->label_counts[1] = DS_B;
	for (c = 0; c < DS_N; c++) {
		t->labels[c * 2] = c / DS_B;
		t->labels[c * 2 + 1] = c % DS_B;
		t->units[c] = ds_units[c];
		t->values[c] = ds_values[c];
	}
}

static void test_dose_runs(void **state)
{
	tact_privacy_table t;
	tact_privacy_runs runs;
	tact_privacy_plan strict;
	tact_error error;
	dose_context units = {&runs, TACT_PRIVACY_UNITS}, values = {&runs, 0};
	size_t c;

	(void)state;
	assert_true(dose_leaks(ds_units, old_dose_hidden, NULL) > 0);
	dose_table(&t);
	tact_error_init(&error);
	assert_int_equal(tact_privacy_decide_runs(&t, 10, &runs, &error), TACT_OK);
	assert_int_equal(dose_leaks(ds_units, runs_hidden, &units), 0);
	assert_int_equal(dose_leaks(ds_values, runs_hidden, &values), 0);
	check_runs(&runs, "UMUMum" "UMUMum" "UMumum", "umumum", "umumum", "um");
	/* A/0 hidden, and complements in its segment and in its bin. */
	assert_true(tact_privacy_run_hidden(&runs, 3, 0, 0, TACT_PRIVACY_UNITS));
	assert_true(runs_hidden(3, 1, &units) || runs_hidden(3, 2, &units));
	assert_true(runs_hidden(3, 3, &units) || runs_hidden(3, 6, &units));
	/* The totals are shown: every one is 10 or more, none a complement. */
	for (c = 0; c < DS_S; c++) {
		assert_false(runs_hidden(1, c, &units));
		assert_false(runs_hidden(2, c, &units));
	}
	assert_false(runs_hidden(0, 0, &units));
	/* The full run is strict mode's decision of the table. */
	assert_int_equal(tact_privacy_decide(&t, 10, TACT_PRIVACY_STRICT, &strict,
	                                     &error), TACT_OK);
	for (c = 0; c < DS_N; c++) {
		assert_int_equal(runs_hidden(3, c, &units),
		                 tact_privacy_hidden(&strict, c + 1, 0,
		                                     TACT_PRIVACY_UNITS));
		assert_int_equal(runs_hidden(3, c, &values),
		                 tact_privacy_hidden(&strict, c + 1, 0, 0));
	}
	tact_privacy_plan_release(&strict);
	tact_privacy_runs_release(&runs);
	tact_privacy_table_release(&t);
}

/* A segment of 6 units (so its total is hidden) beside one of 40: the
 * pooled figures less the big one would give the small one back, so the
 * big one's total is hidden too, and no count of 1..9 follows. */
static void test_dose_runs_small_segment(void **state)
{
	static const int64_t units[DS_N] = {2, 2, 2, 20, 10, 10, 0, 0, 0};
	tact_privacy_table t;
	tact_privacy_runs runs;
	tact_error error;
	dose_context x = {&runs, TACT_PRIVACY_UNITS};
	size_t c;

	(void)state;
	dose_table(&t);
	for (c = 0; c < DS_N; c++)
		t.units[c] = t.values[c] = units[c];
	tact_error_init(&error);
	assert_int_equal(tact_privacy_decide_runs(&t, 10, &runs, &error), TACT_OK);
	assert_true(runs_hidden(1, 0, &x));
	assert_true(runs_hidden(1, 1, &x));
	/* (C's empty bins show their 0 units; 0 values are hidden.) */
	check_runs(&runs, "UMUMUM" "UMUMUM" "uMuMuM", "UMUMuM", "umumum", "um");
	assert_int_equal(dose_leaks(units, runs_hidden, &x), 0);
	tact_privacy_runs_release(&runs);
	tact_privacy_table_release(&t);
}

/*
 * tact-dose's totals of the treated arms beside tact-compare's figures
 * (issue 15): segments a and b, arms control, p1, p2.  Compare hides a/p1
 * (4) and b/p1; the old dose decision, over the treated arms pooled,
 * shows both segments' totals (44, 60), and a's less compare's a/p2 gives
 * a/p1 back.  The lines decision hides both totals, the pooled one stays
 * (tests/expected/privacy.py: the fewest lines, by trying every subset).
 */
static void test_decide_lines_dose(void **state)
{
	static const int64_t units[6] = {30, 4, 40, 30, 30, 30};
	static const size_t all[6] = {0, 1, 2, 3, 4, 5};
	static const size_t dose_cells[3][4] = {{1, 2}, {4, 5}, {1, 2, 4, 5}};
	size_t pooled_cells[3][2], label_cells[2][3];
	tact_privacy_line lines[15];
	tact_privacy_table t, dt;
	tact_privacy_plan plan;
	tact_privacy_runs runs;
	tact_error error;
	size_t s, a, n = 0;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_privacy_table_alloc(&t, 2, 3, 1, 1, &error), TACT_OK);
	t.label_counts[0] = 2;
	for (s = 0; s < 2; s++) {
		t.labels[s] = s;
		for (a = 0; a < 3; a++)
			t.units[s * 3 + a] = t.values[s * 3 + a] = units[s * 3 + a];
	}
	assert_int_equal(tact_privacy_decide(&t, 10, TACT_PRIVACY_TABLES, &plan,
	                                     &error), TACT_OK);
	assert_true(tact_privacy_hidden(&plan, 1, 1, TACT_PRIVACY_UNITS));
	assert_false(tact_privacy_hidden(&plan, 1, 2, TACT_PRIVACY_UNITS));
	/* The old dose decision: the treated arms pooled, alone. */
	assert_int_equal(tact_privacy_table_alloc(&dt, 2, 1, 1, 1, &error), TACT_OK);
	dt.label_counts[0] = 2;
	for (s = 0; s < 2; s++) {
		dt.labels[s] = s;
		dt.units[s] = dt.values[s] = units[s * 3 + 1] + units[s * 3 + 2];
	}
	assert_int_equal(tact_privacy_decide_runs(&dt, 10, &runs, &error), TACT_OK);
	assert_false(tact_privacy_run_hidden(&runs, 1, 0, 0, TACT_PRIVACY_UNITS));
	assert_false(tact_privacy_run_hidden(&runs, 1, 1, 0, TACT_PRIVACY_UNITS));
	/* Compare's figures, as its plan prints them: not hideable. */
	memset(lines, 0, sizeof lines);
	for (s = 0; s < 2; s++)
		for (a = 0; a < 3; a++, n++) {
			lines[n].cells = &all[s * 3 + a];
			lines[n].count = 1;
			lines[n].hidden = (unsigned char)tact_privacy_hidden(
				&plan, s + 1, a, TACT_PRIVACY_UNITS);
		}
	for (a = 0; a < 3; a++, n++) {
		pooled_cells[a][0] = a;
		pooled_cells[a][1] = 3 + a;
		lines[n].cells = pooled_cells[a];
		lines[n].count = 2;
		lines[n].hidden = (unsigned char)tact_privacy_hidden(
			&plan, 0, a, TACT_PRIVACY_UNITS);
	}
	for (s = 0; s < 2; s++, n++) {
		for (a = 0; a < 3; a++)
			label_cells[s][a] = s * 3 + a;
		lines[n].cells = label_cells[s];
		lines[n].count = 3;
		lines[n].hidden = (unsigned char)tact_privacy_label_hidden(&plan, 0, s);
	}
	lines[n].cells = all;
	lines[n++].count = 6;
	/* Dose's, as the old decision showed them. */
	for (s = 0; s < 3; s++, n++) {
		lines[n].cells = dose_cells[s];
		lines[n].count = s < 2 ? 2 : 4;
		lines[n].hideable = 1;
	}
	assert_int_equal(n, 15);
	assert_int_equal(tact_privacy_decide_lines(units, 6, lines, n, 10,
	                                           &error), TACT_OK);
	assert_true(lines[12].hidden);
	assert_true(lines[13].hidden);
	assert_false(lines[14].hidden);
	/* Compare's figures as they were. */
	for (s = 0; s < 6; s++)
		assert_int_equal(lines[s].hidden, s % 3 == 1);
	tact_privacy_runs_release(&runs);
	tact_privacy_plan_release(&plan);
	tact_privacy_table_release(&dt);
	tact_privacy_table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_detector_threshold),
		cmocka_unit_test(test_detector_names_and_empties),
		cmocka_unit_test(test_check_roles),
		cmocka_unit_test(test_check_summary),
		cmocka_unit_test(test_decide_three_arms),
		cmocka_unit_test(test_decide_lines_dose),
		cmocka_unit_test(test_decide_segment_total),
		cmocka_unit_test(test_decide_missing_values),
		cmocka_unit_test(test_decide_two_dimensions),
		cmocka_unit_test(test_decide_tiny_arm),
		cmocka_unit_test(test_decide_order),
		cmocka_unit_test(test_linked_tables_leak),
		cmocka_unit_test(test_linked_tables_strict),
		cmocka_unit_test(test_linked_tables_recursive),
		cmocka_unit_test(test_dose_runs),
		cmocka_unit_test(test_dose_runs_small_segment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
