/*
 * fuzz_options.c - libFuzzer harness for the parsers behind the tools'
 * options, fed fuzzed strings.
 *
 * The input is a script of lines; each line's first byte picks a parser
 * ('A' the first, see run_line) and the rest of the line is its argument (as a tool gets it from argv).  The
 * parsers share state across the lines (roles, compare, frontier, dose and
 * simulation options, a rule set), so repeated and replacing options are
 * exercised as on a command line.  At the end the accumulated state is
 * checked and used: the simulation spec is checked, the rule set gets its
 * default class, tact_sql_build runs on the roles in every dialect.
 *
 * Beyond "no crash, no leak, no undefined behaviour", what must hold:
 *   - a failing parser fills its error with the same status;
 *   - numbers parsed are finite; counts are whole, >= 0 and < 2^53;
 *   - quoting for messages stays within its buffer;
 *   - a JSON string written for any text is valid JSON (no raw control
 *     byte, valid UTF-8, quotes and backslashes escaped);
 *   - a CSV field written for any text reads back as the same text;
 *   - SQL identifiers and literals quoted for PostgreSQL and Spark decode
 *     back to the text (nothing escapes the quotes).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "corrections.h"
#include "dose.h"
#include "error.h"
#include "format.h"
#include "frontier.h"
#include "intent.h"
#include "intent/intent_internal.h"
#include "parse.h"
#include "plot.h"
#include "roles.h"
#include "rule.h"
#include "simulate.h"
#include "sql.h"
#include "utf8.h"

typedef struct state {
	tact_roles_spec roles;
	tact_compare_options compare;
	tact_frontier_options frontier;
	tact_sim_spec sim;
	tact_dose_options dose;
	tact_rule_set rules;
	int sim_ready, dose_ready;
} state;

static void check(tact_status status, const tact_error *error,
                  const char *what)
{
	if (status != TACT_OK && error->status != status) {
		fprintf(stderr, "%s: status %d but error status %d\n", what,
		        (int)status, (int)error->status);
		abort();
	}
	if (status != TACT_OK && memchr(error->message, '\0',
	                                sizeof error->message) == NULL)
		abort();
}

/* ---- properties of the writers --------------------------------------- */

static void json_string_valid(const char *text)
{
	char *out = NULL;
	size_t length = 0, i;
	FILE *stream = open_memstream(&out, &length);

	if (!stream)
		abort();
	tact_format_json_string(stream, text);
	fclose(stream);
	if (length < 2 || out[0] != '"' || out[length - 1] != '"')
		abort();
	if (!tact_utf8_valid(out, length))
		abort();
	for (i = 1; i + 1 < length; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x20)
			abort();
		if (c == '"')
			abort(); /* an unescaped quote ends the string early */
		if (c == '\\') {
			char e = out[++i];
			if (i + 1 >= length)
				abort(); /* the escape ate the closing quote */
			if (e == 'u') {
				if (i + 4 >= length)
					abort();
				i += 4;
			} else if (!strchr("\"\\/bfnrt", e)) {
				abort();
			}
		}
	}
	free(out);
}

static tact_status take_field(void *context, const tact_csv_record *record,
                              tact_error *error)
{
	char **field = context;

	(void)error;
	if (record->index == 1 && record->count == 2) {
		*field = malloc(record->lengths[0] + 1);
		if (!*field)
			abort();
		memcpy(*field, record->fields[0], record->lengths[0] + 1);
	}
	return TACT_OK;
}

static void csv_field_round_trip(const char *text, char delimiter)
{
	char *out = NULL, *back = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&out, &length);
	tact_csv_options options;
	tact_error error;
	tact_status status;
	const char header[] = {'h', delimiter, 'i', '\n', 0};

	if (!stream)
		abort();
	fputs(header, stream);
	tact_format_csv_string(stream, text, delimiter);
	fputc(delimiter, stream);
	fputs("z\n", stream);
	fclose(stream);
	tact_csv_options_init(&options);
	options.delimiter = delimiter;
	options.chunk_size = 4096; /* not 1 MiB: a 2 MiB buffer per call */
	tact_error_init(&error);
	status = tact_csv_read_memory("round-trip", out, length, &options,
	                              take_field, &back, &error);
	if (status != TACT_OK || !back || strcmp(back, text) != 0) {
		fprintf(stderr, "CSV field does not read back (status %d: %s)\n"
		        "written: %s\n", (int)status, error.message, out);
		abort();
	}
	free(back);
	free(out);
}

/* PostgreSQL identifiers ("..." with "" inside) and literals ('...' with
 * '' inside), Spark identifiers (`...` with `` inside): decode and compare. */
static void sql_doubled_quotes(const char *quoted, char quote,
                               const char *text)
{
	size_t length = strlen(quoted), i, at = 0;
	char *decoded;

	if (length < 2 || quoted[0] != quote || quoted[length - 1] != quote)
		abort();
	decoded = malloc(length);
	if (!decoded)
		abort();
	for (i = 1; i + 1 < length; i++) {
		if (quoted[i] == quote) {
			if (i + 2 >= length || quoted[i + 1] != quote)
				abort(); /* a lone quote would end the token */
			i++;
		}
		decoded[at++] = quoted[i];
	}
	decoded[at] = '\0';
	if (strcmp(decoded, text) != 0)
		abort();
	free(decoded);
}

static void sql_quoting(const char *text)
{
	static const tact_sql_dialect dialects[] = {
		TACT_SQL_POSTGRES, TACT_SQL_CLICKHOUSE, TACT_SQL_BIGQUERY,
		TACT_SQL_SPARK};
	size_t d;

	for (d = 0; d < 4; d++) {
		char *identifier = tact_sql_quote_identifier(dialects[d], text);
		char *literal = tact_sql_quote_string(dialects[d], text);
		if (!identifier || !literal)
			abort();
		if (dialects[d] == TACT_SQL_POSTGRES) {
			sql_doubled_quotes(identifier, '"', text);
			sql_doubled_quotes(literal, '\'', text);
		} else if (dialects[d] == TACT_SQL_SPARK) {
			sql_doubled_quotes(identifier, '`', text);
		}
		free(identifier);
		free(literal);
	}
}

/* ---- one line of the script ------------------------------------------ */

/* The argument as a --where condition: parsed, bound to a header of its
 * own columns and evaluated on a row whose every cell is the argument
 * itself (a text, a number or neither).  TACT_USAGE is the only failure
 * of a parse; a condition is always decidable. */
static tact_status fuzz_condition(const char *arg, tact_error *error)
{
	tact_rule_set set;
	tact_status status;
	size_t *bound, *lengths, i, n;
	char **fields;
	uint64_t *lines;
	tact_csv_record header, row;
	int unreadable = 2;

	tact_rule_set_init(&set);
	status = tact_rule_set_condition(&set, arg, error);
	if (status != TACT_OK) {
		if (status != TACT_USAGE && status != TACT_SOFTWARE)
			abort();
		tact_rule_set_release(&set);
		return status;
	}
	n = set.column_count;
	bound = calloc(n + 1, sizeof *bound);
	lengths = calloc(n + 1, sizeof *lengths);
	fields = calloc(n + 1, sizeof *fields);
	lines = calloc(n + 1, sizeof *lines);
	if (!bound || !lengths || !fields || !lines)
		abort();
	memset(&header, 0, sizeof header);
	header.count = n;
	header.fields = fields;
	header.lengths = lengths;
	header.lines = lines;
	for (i = 0; i < n; i++) {
		fields[i] = set.columns[i];
		lengths[i] = strlen(set.columns[i]);
	}
	if (tact_rule_set_resolve(&set, &header, "x.csv", bound, error) != TACT_OK)
		abort();
	row = header;
	for (i = 0; i < n; i++) {
		fields[i] = (char *)arg;
		lengths[i] = strlen(arg);
	}
	(void)tact_rule_set_holds(&set, bound, &row, &unreadable);
	if (unreadable != 0 && unreadable != 1)
		abort();
	free(bound);
	free(lengths);
	free(fields);
	free(lines);
	tact_rule_set_release(&set);
	return TACT_OK;
}

static void run_line(state *s, unsigned op, const char *arg, size_t length)
{
	static const char *const roles[] = {"arm", "control", "by", "goal",
		"annoyance", "value", "exposures", "consent", "unit"};
	static const char *const sim_flags[] = {"intents", "arms",
		"exposure-mean", "rate", "revenue", "weights"};
	static char *const classes[] = {"buy", "browse", "research"};
	tact_error error;
	tact_status status = TACT_OK;
	double value, shares[3];
	char quoted[64];
	int rc;

	tact_error_init(&error);
	switch (op % 34) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:
		status = tact_roles_spec_set(&s->roles, roles[op % 34], arg, &error);
		break;
	case 9: {
		tact_names names = {0, NULL};
		status = tact_names_parse(&names, arg, &error);
		tact_names_release(&names);
		break;
	}
	case 10:
		status = tact_compare_parse_split(&s->compare, arg, &error);
		break;
	case 11:
		status = tact_compare_parse_margin(&s->compare, arg, &error);
		break;
	case 12:
		status = tact_frontier_parse_weights(&s->frontier, arg, &error);
		break;
	case 13: case 14: case 15: case 16: case 17: case 18:
		if (s->sim_ready)
			status = tact_sim_spec_set(&s->sim, sim_flags[op % 34 - 13], arg,
			                           &error);
		break;
	case 19: case 20:
		if (tact_parse_number(arg, length, op % 34 == 20, &value) == 0 &&
		    !isfinite(value))
			abort();
		break;
	case 21:
		if (tact_parse_boolean(arg, length, &value) == 0 &&
		    value != 0.0 && value != 1.0)
			abort();
		break;
	case 22: case 23:
		rc = tact_parse_count(arg, length, op % 34 == 23, &value);
		if (rc == 0 && !(value >= 0 && value == floor(value) &&
		                 value < 9007199254740992.0))
			abort();
		if (rc < -4 || rc > 0)
			abort();
		break;
	case 24:
		if (s->dose_ready)
			status = tact_dose_parse_bins(&s->dose, arg, &error);
		break;
	case 25:
		if (s->dose_ready)
			status = tact_dose_parse_weights(&s->dose, arg, &error);
		break;
	case 26:
		if (s->dose_ready)
			status = tact_dose_parse_arms(&s->dose, arg, &error);
		break;
	case 27:
		if (s->dose_ready)
			status = tact_dose_parse_transform(&s->dose, arg, &error);
		break;
	case 28:
		status = tact_rule_set_add(&s->rules, arg, &error);
		check(status, &error, "rule");
		tact_error_init(&error);
		status = fuzz_condition(arg, &error);
		break;
	case 29:
		status = tact_intent_priors_parse(arg, classes, 3, shares, &error);
		if (status == TACT_OK &&
		    !(fabs(shares[0] + shares[1] + shares[2] - 1) < 1e-9))
			abort();
		break;
	case 30: {
		tact_correction method;
		status = tact_corrections_parse(arg, &method, &error);
		break;
	}
	case 31: {
		tact_plot_kind kind;
		tact_plot_format format;
		status = tact_plot_parse_kind(arg, &kind, &error);
		check(status, &error, "plot kind");
		tact_error_init(&error);
		status = tact_plot_format_from_path(arg, &format, &error);
		break;
	}
	case 32:
		tact_error_quote(arg, length, quoted, sizeof quoted);
		if (strlen(quoted) >= sizeof quoted)
			abort();
		json_string_valid(arg);
		csv_field_round_trip(arg, ',');
		csv_field_round_trip(arg, ';');
		csv_field_round_trip(arg, '\t');
		break;
	case 33: {
		tact_sql_dialect dialect;
		(void)tact_sql_dialect_parse(arg, &dialect);
		sql_quoting(arg);
		break;
	}
	}
	check(status, &error, "option");
}

static void finish(state *s)
{
	static const tact_sql_dialect dialects[] = {
		TACT_SQL_POSTGRES, TACT_SQL_CLICKHOUSE, TACT_SQL_BIGQUERY,
		TACT_SQL_SPARK};
	tact_sql_options sql;
	tact_error error;
	tact_status status;
	size_t d;

	if (s->sim_ready) {
		tact_error_init(&error);
		check(tact_sim_spec_check(&s->sim, &error), &error, "sim check");
	}
	tact_error_init(&error);
	check(tact_rule_set_default(&s->rules, "other", &error), &error,
	      "rule default");
	for (d = 0; d < 4; d++) {
		char *text = NULL;
		memset(&sql, 0, sizeof sql);
		sql.dialect = dialects[d];
		sql.table = "events";
		sql.header_row = (int)(d & 1);
		tact_error_init(&error);
		status = tact_sql_build(&s->roles, &sql, &text, &error);
		check(status, &error, "sql build");
		if ((status == TACT_OK) != (text != NULL))
			abort();
		free(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	state s;
	tact_error error;
	char *text;
	size_t at = 0;

	/* Arguments are C strings: the script is NUL-terminated text, split
	 * at '\n' (a NUL inside ends that argument early, as in argv). */
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	memset(&s, 0, sizeof s);
	tact_error_init(&error);
	if (tact_roles_spec_init(&s.roles, &error) != TACT_OK)
		abort();
	tact_compare_options_init(&s.compare);
	tact_frontier_options_init(&s.frontier);
	s.sim_ready = tact_sim_spec_init(&s.sim, &error) == TACT_OK;
	s.dose_ready = tact_dose_options_init(&s.dose, &error) == TACT_OK;
	if (!s.sim_ready || !s.dose_ready)
		abort();
	tact_rule_set_init(&s.rules);

	while (at < size) {
		char *end = memchr(text + at, '\n', size - at);
		size_t stop = end ? (size_t)(end - text) : size;
		/* 'A' is parser 0, 'B' 1, ... (any byte picks one). */
		unsigned op = ((unsigned)(unsigned char)text[at] + 34 * 8 - 'A') % 34;
		char *arg = text + at + 1;

		if (stop == at) {
			at++;
			continue;
		}
		text[stop] = '\0';
		run_line(&s, op, arg, strlen(arg));
		at = stop + 1;
	}
	finish(&s);

	tact_roles_spec_release(&s.roles);
	tact_compare_options_release(&s.compare);
	tact_frontier_options_release(&s.frontier);
	tact_sim_spec_release(&s.sim);
	tact_dose_options_release(&s.dose);
	tact_rule_set_release(&s.rules);
	free(text);
	return 0;
}
