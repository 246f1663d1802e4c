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
		cmocka_unit_test(test_decide_segment_total),
		cmocka_unit_test(test_decide_missing_values),
		cmocka_unit_test(test_decide_two_dimensions),
		cmocka_unit_test(test_decide_tiny_arm),
		cmocka_unit_test(test_decide_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
