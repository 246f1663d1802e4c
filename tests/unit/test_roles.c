/*
 * test_roles.c - role flags and their resolution against a header row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "roles.h"

#define MAX_FIELDS 300

/* A header split on commas (no quoting needed in these tests). */
typedef struct header {
	char text[4096];
	char *fields[MAX_FIELDS];
	size_t lengths[MAX_FIELDS];
	size_t count;
} header;

static void split(header *h, const char *text)
{
	char *p;

	snprintf(h->text, sizeof h->text, "%s", text);
	h->count = 0;
	p = h->text;
	for (;;) {
		char *comma = strchr(p, ',');
		h->fields[h->count] = p;
		h->lengths[h->count] = comma ? (size_t)(comma - p) : strlen(p);
		h->count++;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
}

/* Resolve the header under spec; spec is built from flag pairs
 * ("by", "device,intent", ..., NULL). */
static tact_status resolve(const char *header_text, tact_column_map *map,
                           tact_error *error, ...)
{
	tact_roles_spec spec;
	tact_status status;
	header h;
	va_list args;
	const char *role;

	tact_error_init(error);
	assert_int_equal(tact_roles_spec_init(&spec, error), TACT_OK);
	va_start(args, error);
	while ((role = va_arg(args, const char *)) != NULL) {
		const char *value = va_arg(args, const char *);
		assert_int_equal(tact_roles_spec_set(&spec, role, value, error),
		                 TACT_OK);
	}
	va_end(args);
	split(&h, header_text);
	status = tact_roles_resolve(&spec, h.fields, h.lengths, h.count, "in.csv",
	                            map, error);
	tact_roles_spec_release(&spec);
	return status;
}

static void expect_error(tact_status status, const tact_error *error,
                         uint64_t column, const char *message)
{
	assert_int_equal(status, TACT_DATA);
	assert_string_equal(error->file, "in.csv");
	assert_int_equal(error->line, 1);
	assert_int_equal(error->column, column);
	if (!strstr(error->message, message)) {
		print_error("message [%s] lacks [%s]\n", error->message, message);
		fail();
	}
}

static void test_defaults_full_header(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	assert_int_equal(resolve("visitor_id,intent,arm,converted,bounced,"
	                         "unsubscribed,revenue,exposures,consent,email",
	                         &map, &error, NULL),
	                 TACT_OK);
	assert_int_equal(map.columns, 10);
	assert_int_equal(map.arm, 2);
	assert_string_equal(map.arm_name, "arm");
	assert_int_equal(map.dimensions, 1);
	assert_int_equal(map.dimension_columns[0], 1);
	assert_string_equal(map.dimension_names[0], "intent");
	/* Goal, then annoyance, value, exposures. */
	assert_int_equal(map.metrics, 5);
	assert_string_equal(map.metric_names[0], "converted");
	assert_int_equal(map.metric_roles[0], TACT_ROLE_GOAL);
	assert_int_equal(map.metric_columns[0], 3);
	assert_string_equal(map.metric_names[1], "bounced");
	assert_int_equal(map.metric_roles[1], TACT_ROLE_ANNOYANCE);
	assert_string_equal(map.metric_names[2], "unsubscribed");
	assert_int_equal(map.metric_roles[2], TACT_ROLE_ANNOYANCE);
	assert_int_equal(map.metric_columns[2], 5);
	assert_string_equal(map.metric_names[3], "revenue");
	assert_int_equal(map.metric_roles[3], TACT_ROLE_VALUE);
	assert_string_equal(map.metric_names[4], "exposures");
	assert_int_equal(map.metric_roles[4], TACT_ROLE_EXPOSURES);
	assert_int_equal(map.metric_columns[4], 7);
	assert_int_equal(map.consent, 8);
	assert_int_equal(map.unit, 0);
	assert_string_equal(map.unit_name, "visitor_id");
	tact_column_map_release(&map);
	assert_int_equal(map.consent, TACT_NO_COLUMN);
	assert_int_equal(map.unit, TACT_NO_COLUMN);
}

static void test_optional_defaults_absent(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	/* Reordered columns; metric, consent and unit defaults skipped. */
	assert_int_equal(resolve("bounced,arm,extra,intent", &map, &error, NULL),
	                 TACT_OK);
	assert_int_equal(map.arm, 1);
	assert_int_equal(map.dimension_columns[0], 3);
	assert_int_equal(map.metrics, 1);
	assert_string_equal(map.metric_names[0], "bounced");
	assert_int_equal(map.metric_columns[0], 0);
	assert_int_equal(map.consent, TACT_NO_COLUMN);
	assert_int_equal(map.unit, TACT_NO_COLUMN);
	assert_null(map.unit_name);
	tact_column_map_release(&map);
}

static void test_arm_missing(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	expect_error(resolve("intent,converted,Arm", &map, &error, NULL), &error,
	             0, "no column 'arm' for the arm (name it with --arm); the "
	                "header has: intent, converted, Arm");
	expect_error(resolve("intent,converted", &map, &error, "arm", "variant",
	                     NULL),
	             &error, 0, "no column 'variant' for the arm");
}

static void test_default_intent_missing(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	/* A plain A/B export: no segments, said in the map. */
	assert_int_equal(resolve("arm,converted", &map, &error, NULL), TACT_OK);
	assert_int_equal(map.dimensions, 0);
	assert_int_equal(map.segments_absent, 1);
	tact_column_map_release(&map);
	/* Every absent role column in one message. */
	expect_error(resolve("group,segment", &map, &error, "by", "segment,country",
	                     "goal", "buy", NULL),
	             &error, 0, "no column 'arm' for the arm (name it with --arm); "
	             "no column 'country' for a segment (name it with --by); "
	             "no column 'buy' for a goal metric (name it with --goal); "
	             "the header has: group, segment");
	/* Named by the analyst: the ordinary message, naming the flag. */
	expect_error(resolve("arm,intent,converted", &map, &error, "by",
	                     "intent,country", NULL),
	             &error, 0, "no column 'country' for a segment (name it with "
	                        "--by); the header has: arm, intent, converted");
}

static void test_no_dimensions(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	assert_int_equal(resolve("arm,converted", &map, &error, "by", "", NULL),
	                 TACT_OK);
	assert_int_equal(map.dimensions, 0);
	assert_int_equal(map.metrics, 1);
	tact_column_map_release(&map);
	/* Even when an 'intent' column is there. */
	assert_int_equal(resolve("arm,intent,converted", &map, &error, "by", "",
	                         NULL),
	                 TACT_OK);
	assert_int_equal(map.dimensions, 0);
	tact_column_map_release(&map);
}

static void test_several_dimensions(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	assert_int_equal(resolve("intent,device,arm,converted,country", &map,
	                         &error, "by", "country,intent,device", NULL),
	                 TACT_OK);
	assert_int_equal(map.dimensions, 3);
	assert_string_equal(map.dimension_names[0], "country");
	assert_int_equal(map.dimension_columns[0], 4);
	assert_string_equal(map.dimension_names[1], "intent");
	assert_int_equal(map.dimension_columns[1], 0);
	assert_string_equal(map.dimension_names[2], "device");
	assert_int_equal(map.dimension_columns[2], 1);
	tact_column_map_release(&map);
}

static void test_named_metrics(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	assert_int_equal(resolve("arm,intent,purchase,complaint,converted,basket",
	                         &map, &error, "goal", "purchase", "annoyance",
	                         "complaint", "value", "basket", NULL),
	                 TACT_OK);
	/* Named lists replace the defaults: 'converted' is not a metric. */
	assert_int_equal(map.metrics, 3);
	assert_string_equal(map.metric_names[0], "purchase");
	assert_string_equal(map.metric_names[1], "complaint");
	assert_int_equal(map.metric_roles[1], TACT_ROLE_ANNOYANCE);
	assert_string_equal(map.metric_names[2], "basket");
	assert_int_equal(map.metric_roles[2], TACT_ROLE_VALUE);
	tact_column_map_release(&map);
	/* A named metric must exist. */
	expect_error(resolve("arm,intent,converted", &map, &error, "goal",
	                     "converted,purchase", NULL),
	             &error, 0, "no column 'purchase' for a goal metric (name it "
	                        "with --goal)");
	expect_error(resolve("arm,intent,converted", &map, &error, "exposures",
	                     "impressions", NULL),
	             &error, 0, "no column 'impressions' for exposures");
	/* --exposures '' and --annoyance '' mean none. */
	assert_int_equal(resolve("arm,intent,converted,bounced,exposures", &map,
	                         &error, "exposures", "", "annoyance", "", NULL),
	                 TACT_OK);
	assert_int_equal(map.metrics, 1);
	tact_column_map_release(&map);
}

static void test_no_metric(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	expect_error(resolve("arm,intent,clicks", &map, &error, NULL), &error, 0,
	             "no metric column: name them with --goal, --annoyance, "
	             "--value or --exposures; the header has: arm, intent, clicks");
}

static void test_duplicate_columns(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	expect_error(resolve("arm,intent,converted,arm", &map, &error, NULL),
	             &error, 4, "column 'arm' appears twice in the header (fields "
	                        "1 and 4)");
	expect_error(resolve("arm,intent,converted,bounced,converted", &map,
	                     &error, NULL),
	             &error, 5, "column 'converted' appears twice");
	/* A repeated column that plays no role is harmless. */
	assert_int_equal(resolve("note,arm,note,intent,converted", &map, &error,
	                         NULL),
	                 TACT_OK);
	tact_column_map_release(&map);
}

static void test_two_roles(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	expect_error(resolve("arm,intent,converted", &map, &error, "by", "arm",
	                     NULL),
	             &error, 1, "column 'arm' cannot be both the arm and a segment");
	expect_error(resolve("arm,intent,converted,bounced", &map, &error, "goal",
	                     "converted", "annoyance", "converted", NULL),
	             &error, 3, "column 'converted' cannot be both a goal metric "
	                        "and an annoyance metric");
	expect_error(resolve("arm,intent,converted", &map, &error, "goal",
	                     "converted,converted", NULL),
	             &error, 3, "cannot be both a goal metric and a goal metric");
	expect_error(resolve("arm,intent,ok", &map, &error, "goal", "ok",
	                     "consent", "ok", NULL),
	             &error, 3, "cannot be both a goal metric and the consent");
}

static void test_default_yields_to_named_role(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	/* The analyst made 'bounced' a goal: the default annoyance list,
	 * which the analyst did not give, must not claim it as well. */
	assert_int_equal(resolve("arm,intent,bounced,unsubscribed", &map, &error,
	                         "goal", "bounced", NULL),
	                 TACT_OK);
	assert_int_equal(map.metrics, 2);
	assert_string_equal(map.metric_names[0], "bounced");
	assert_int_equal(map.metric_roles[0], TACT_ROLE_GOAL);
	assert_string_equal(map.metric_names[1], "unsubscribed");
	assert_int_equal(map.metric_roles[1], TACT_ROLE_ANNOYANCE);
	tact_column_map_release(&map);
	/* Segmenting by the exposure count leaves the default exposures
	 * metric out. */
	assert_int_equal(resolve("arm,exposures,converted", &map, &error, "by",
	                         "exposures", NULL),
	                 TACT_OK);
	assert_int_equal(map.dimensions, 1);
	assert_int_equal(map.metrics, 1);
	assert_string_equal(map.metric_names[0], "converted");
	tact_column_map_release(&map);
	/* The unit default does not yield to a segment of the same name: one
	 * row per unit, labelled with its id (issue 15 item 11). */
	assert_int_equal(resolve("arm,visitor_id,converted", &map, &error, "by",
	                         "visitor_id", NULL),
	                 TACT_DATA);
	assert_non_null(strstr(error.message, "column 'visitor_id' is the unit"));
	tact_column_map_release(&map);
}

static void test_colon_in_metric_name(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	expect_error(resolve("arm,intent,goal:x", &map, &error, "goal", "goal:x",
	                     NULL),
	             &error, 3, "metric column name 'goal:x' must not contain ':' "
	                        "(summaries use it as a separator)");
	expect_error(resolve("arm,intent,converted,rev:eur", &map, &error, "value",
	                     "rev:eur", NULL),
	             &error, 4, "must not contain ':'");
	/* ':' is fine in a segment or an arm column name. */
	assert_int_equal(resolve("arm:v2,intent:guess,converted", &map, &error,
	                         "arm", "arm:v2", "by", "intent:guess", NULL),
	                 TACT_OK);
	assert_int_equal(map.arm, 0);
	assert_int_equal(map.dimension_columns[0], 1);
	tact_column_map_release(&map);
}

static void test_consent_and_unit(void **state)
{
	tact_column_map map;
	tact_error error;

	(void)state;
	expect_error(resolve("arm,intent,converted", &map, &error, "consent",
	                     "gdpr_ok", NULL),
	             &error, 0, "no column 'gdpr_ok' for the consent (name it "
	                        "with --consent)");
	expect_error(resolve("arm,intent,converted", &map, &error, "unit",
	                     "user", NULL),
	             &error, 0, "no column 'user' for the unit");
	assert_int_equal(resolve("user,arm,intent,converted,gdpr_ok,consent", &map,
	                         &error, "unit", "user", "consent", "gdpr_ok",
	                         NULL),
	                 TACT_OK);
	assert_int_equal(map.unit, 0);
	assert_string_equal(map.unit_name, "user");
	assert_int_equal(map.consent, 4);
	tact_column_map_release(&map);
	/* '' turns the defaults off even when the columns exist. */
	assert_int_equal(resolve("visitor_id,arm,intent,converted,consent", &map,
	                         &error, "unit", "", "consent", "", NULL),
	                 TACT_OK);
	assert_int_equal(map.unit, TACT_NO_COLUMN);
	assert_int_equal(map.consent, TACT_NO_COLUMN);
	tact_column_map_release(&map);
}

static void test_long_header_in_message(void **state)
{
	char text[4000];
	size_t used = 0;
	int i;
	tact_column_map map;
	tact_error error;

	(void)state;
	for (i = 0; i < 250; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%scolumn%d",
		                         i ? "," : "", i);
	expect_error(resolve(text, &map, &error, NULL), &error, 0,
	             "the header has: column0, column1, ");
	assert_non_null(strstr(error.message, "..."));
	assert_true(strlen(error.message) < sizeof error.message - 1);
}

static void test_spec_set(void **state)
{
	tact_roles_spec spec;
	tact_error error;

	(void)state;
	tact_error_init(&error);
	assert_int_equal(tact_roles_spec_init(&spec, &error), TACT_OK);
	assert_string_equal(spec.arm, "arm");
	assert_string_equal(spec.control, "control");
	assert_string_equal(spec.unit, "visitor_id");
	assert_string_equal(spec.consent, "consent");
	assert_string_equal(spec.exposures, "exposures");
	assert_int_equal(spec.by.count, 1);
	assert_string_equal(spec.by.items[0], "intent");
	assert_int_equal(spec.annoyance.count, 2);
	assert_string_equal(spec.annoyance.items[1], "unsubscribed");
	assert_false(spec.by_set || spec.arm_set || spec.goal_set);

	assert_int_equal(tact_roles_spec_set(&spec, "colour", "x", &error),
	                 TACT_USAGE);
	assert_string_equal(error.message, "unknown role 'colour'");
	assert_int_equal(tact_roles_spec_set(&spec, "arm", "", &error), TACT_USAGE);
	assert_string_equal(error.message, "--arm needs a non-empty value");
	assert_int_equal(tact_roles_spec_set(&spec, "control", "", &error),
	                 TACT_USAGE);
	assert_false(spec.arm_set || spec.control_set);
	assert_string_equal(spec.arm, "arm");
	assert_int_equal(tact_roles_spec_set(&spec, "goal", "a,,b", &error),
	                 TACT_USAGE);
	assert_string_equal(error.message, "empty column name in list 'a,,b'");
	assert_int_equal(tact_roles_spec_set(&spec, "by", "a,", &error), TACT_USAGE);
	assert_int_equal(tact_roles_spec_set(&spec, "by", ",a", &error), TACT_USAGE);
	assert_int_equal(tact_roles_spec_set(&spec, "by", "x,y", &error), TACT_OK);
	assert_true(spec.by_set);
	assert_int_equal(spec.by.count, 2);
	assert_string_equal(spec.by.items[1], "y");
	assert_int_equal(tact_roles_spec_set(&spec, "control", "holdout", &error),
	                 TACT_OK);
	assert_true(spec.control_set);
	assert_string_equal(spec.control, "holdout");
	tact_roles_spec_release(&spec);
}

static void test_role_names(void **state)
{
	tact_role role;

	(void)state;
	assert_string_equal(tact_role_name(TACT_ROLE_GOAL), "goal");
	assert_string_equal(tact_role_name(TACT_ROLE_ANNOYANCE), "annoyance");
	assert_string_equal(tact_role_name(TACT_ROLE_VALUE), "value");
	assert_string_equal(tact_role_name(TACT_ROLE_EXPOSURES), "exposures");
	assert_int_equal(tact_role_parse("annoyance", &role), 0);
	assert_int_equal(role, TACT_ROLE_ANNOYANCE);
	assert_int_equal(tact_role_parse("exposures", &role), 0);
	assert_int_equal(role, TACT_ROLE_EXPOSURES);
	assert_int_equal(tact_role_parse("Goal", &role), -1);
	assert_int_equal(tact_role_parse("", &role), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_full_header),
		cmocka_unit_test(test_optional_defaults_absent),
		cmocka_unit_test(test_arm_missing),
		cmocka_unit_test(test_default_intent_missing),
		cmocka_unit_test(test_no_dimensions),
		cmocka_unit_test(test_several_dimensions),
		cmocka_unit_test(test_named_metrics),
		cmocka_unit_test(test_no_metric),
		cmocka_unit_test(test_duplicate_columns),
		cmocka_unit_test(test_two_roles),
		cmocka_unit_test(test_default_yields_to_named_role),
		cmocka_unit_test(test_colon_in_metric_name),
		cmocka_unit_test(test_consent_and_unit),
		cmocka_unit_test(test_long_header_in_message),
		cmocka_unit_test(test_spec_set),
		cmocka_unit_test(test_role_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
