/*
 * rule.c - parsing and evaluating intent rules (see rule.h).
 *
 * A rule is parsed by recursive descent into nodes kept in one array
 * (children are indices, so growing the array moves nothing that matters).
 * Evaluation walks the nodes with short-circuit and/or, reading the cells
 * of the record it is given: no allocation per row.  "c in (a, b)" is
 * parsed as "c = a or c = b" (and "not in" as its negation), so the
 * evaluator knows only comparisons, and, or, not.
 */
#include "rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_DEPTH 64
#define NO_INDEX ((size_t)-1)

enum node_kind { NODE_OR, NODE_AND, NODE_NOT, NODE_NUMBER, NODE_TEXT };
enum op { OP_GT, OP_GE, OP_LT, OP_LE, OP_EQ, OP_NE, OP_TEXT_EQ };

struct tact_rule_node {
	enum node_kind kind;
	size_t left, right;      /* children (or, and: both; not: left) */
	size_t column;           /* comparisons: index into set->columns */
	enum op op;
	double number;           /* NODE_NUMBER */
	char *text;              /* NODE_TEXT, owned */
	size_t text_length;
};

enum token_kind {
	TOKEN_END, TOKEN_WORD, TOKEN_NAME, TOKEN_STRING, TOKEN_OP,
	TOKEN_OPEN, TOKEN_CLOSE, TOKEN_COLON, TOKEN_COMMA
};

typedef struct token {
	enum token_kind kind;
	size_t start, length;    /* in the rule's text (quotes included) */
	const char *value;       /* the content (quotes excluded) */
	size_t value_length;
	enum op op;
} token;

typedef struct parser {
	tact_rule_set *set;
	const char *text;
	size_t position;
	token current;
	int depth;
	tact_error *error;
	tact_status status;
} parser;

void tact_rule_set_init(tact_rule_set *set)
{
	memset(set, 0, sizeof *set);
	set->default_class = NO_INDEX;
}

void tact_rule_set_release(tact_rule_set *set)
{
	size_t i;

	for (i = 0; i < set->rule_count; i++)
		free(set->texts[i]);
	for (i = 0; i < set->node_count; i++)
		free(set->nodes[i].text);
	for (i = 0; i < set->class_count; i++)
		free(set->classes[i]);
	for (i = 0; i < set->column_count; i++)
		free(set->columns[i]);
	free(set->texts);
	free(set->rule_class);
	free(set->roots);
	free(set->nodes);
	free(set->classes);
	free(set->columns);
	free(set->bound);
	tact_rule_set_init(set);
}


/* ---- tokens --------------------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes that end a bare word. */
static int is_special(char c)
{
	return is_space(c) || c == '\0' || strchr("()<>=!:,'\"`", c) != NULL;
}

static tact_status syntax_error(parser *p, size_t at, const char *expected)
{
	char shown[200];

	if (p->status != TACT_OK)
		return p->status;
	/* A condition (--where) is the option's value: the tool names the
	 * option, the message gives the position first. */
	if (p->set->condition) {
		p->status = tact_error_set(p->error, TACT_USAGE, NULL, 0, 0,
		                           "at %zu: %s", at + 1, expected);
		return p->status;
	}
	tact_error_quote(p->text, strlen(p->text), shown, sizeof shown);
	p->status = tact_error_set(p->error, TACT_USAGE, NULL, 0, 0,
	                           "rule '%s': %s at character %zu", shown,
	                           expected, at + 1);
	return p->status;
}

static tact_status out_of_memory(parser *p)
{
	if (p->status == TACT_OK)
		p->status = tact_error_oom(p->error);
	return p->status;
}

/* Read the next token into p->current. */
static tact_status next_token(parser *p)
{
	const char *s = p->text;
	size_t i = p->position;
	token *t = &p->current;

	while (is_space(s[i]))
		i++;
	t->start = i;
	t->value = s + i;
	t->value_length = 0;
	if (s[i] == '\0') {
		t->kind = TOKEN_END;
		t->length = 0;
		p->position = i;
		return TACT_OK;
	}
	if (s[i] == '\'' || s[i] == '"' || s[i] == '`') {
		char quote = s[i];
		const char *end = strchr(s + i + 1, quote);
		if (!end)
			return syntax_error(p, i, quote == '`' ? "unterminated `name`"
			                                       : "unterminated quoted text");
		t->kind = quote == '`' ? TOKEN_NAME : TOKEN_STRING;
		t->value = s + i + 1;
		t->value_length = (size_t)(end - (s + i + 1));
		t->length = t->value_length + 2;
		if (t->kind == TOKEN_NAME && t->value_length == 0)
			return syntax_error(p, i, "empty `name`");
	} else if (s[i] == '(' || s[i] == ')' || s[i] == ':' || s[i] == ',') {
		t->kind = s[i] == '(' ? TOKEN_OPEN : s[i] == ')' ? TOKEN_CLOSE
		        : s[i] == ':' ? TOKEN_COLON : TOKEN_COMMA;
		t->length = 1;
	} else if (strchr("<>=!", s[i])) {
		int two = s[i + 1] == '=';
		t->kind = TOKEN_OP;
		t->length = two ? 2 : 1;
		switch (s[i]) {
		case '>': t->op = two ? OP_GE : OP_GT; break;
		case '<': t->op = two ? OP_LE : OP_LT; break;
		case '=': t->op = two ? OP_EQ : OP_TEXT_EQ; break;
		default:
			if (!two)
				return syntax_error(p, i, "expected '!=' (use 'not' to negate)");
			t->op = OP_NE;
		}
	} else {
		size_t j = i;
		while (!is_special(s[j]))
			j++;
		t->kind = TOKEN_WORD;
		t->length = j - i;
		t->value_length = j - i;
	}
	p->position = i + t->length;
	return TACT_OK;
}

static int is_keyword(const token *t, const char *keyword)
{
	size_t n = strlen(keyword), i;

	if (t->kind != TOKEN_WORD || t->value_length != n)
		return 0;
	for (i = 0; i < n; i++)
		if ((t->value[i] | 0x20) != keyword[i])
			return 0;
	return 1;
}

/* ---- nodes ------------------------------------------------------------ */

static size_t new_node(parser *p, enum node_kind kind)
{
	tact_rule_set *set = p->set;

	if (set->node_count == set->node_capacity) {
		size_t capacity = set->node_capacity ? 2 * set->node_capacity : 16;
		tact_rule_node *nodes = realloc(set->nodes, capacity * sizeof *nodes);
		if (!nodes) {
			out_of_memory(p);
			return NO_INDEX;
		}
		set->nodes = nodes;
		set->node_capacity = capacity;
	}
	memset(&set->nodes[set->node_count], 0, sizeof set->nodes[0]);
	set->nodes[set->node_count].kind = kind;
	return set->node_count++;
}

/* Index of a column name, added when new. */
static size_t column_index(parser *p, const char *name, size_t length)
{
	tact_rule_set *set = p->set;
	size_t i;
	char **columns;
	char *copy;

	for (i = 0; i < set->column_count; i++)
		if (strlen(set->columns[i]) == length &&
		    memcmp(set->columns[i], name, length) == 0)
			return i;
	columns = realloc(set->columns, (set->column_count + 1) * sizeof *columns);
	if (!columns) {
		out_of_memory(p);
		return NO_INDEX;
	}
	set->columns = columns;
	copy = tact_parse_copy(name, length);
	if (!copy) {
		out_of_memory(p);
		return NO_INDEX;
	}
	set->columns[set->column_count] = copy;
	return set->column_count++;
}

static size_t parse_expression(parser *p);

/* What a condition lacks after an operator. */
static const char *value_after(enum op op)
{
	switch (op) {
	case OP_GT: return "expected a value after '>'";
	case OP_GE: return "expected a value after '>='";
	case OP_LT: return "expected a value after '<'";
	case OP_LE: return "expected a value after '<='";
	case OP_EQ: return "expected a value after '=='";
	case OP_NE: return "expected a value after '!='";
	default: return "expected a value after '='";
	}
}

/* One "column = text" node (the values of an in-list). */
static size_t text_equal_node(parser *p, size_t column, const token *value)
{
	size_t node = new_node(p, NODE_TEXT);
	char *text;

	if (node == NO_INDEX)
		return NO_INDEX;
	text = tact_parse_copy(value->value, value->value_length);
	if (!text) {
		out_of_memory(p);
		return NO_INDEX;
	}
	p->set->nodes[node].column = column;
	p->set->nodes[node].op = OP_TEXT_EQ;
	p->set->nodes[node].text = text;
	p->set->nodes[node].text_length = value->value_length;
	return node;
}

/* "in (v, ...)" after the column (p->current is 'in'): the or of the
 * text equalities, negated for "not in". */
static size_t parse_in_list(parser *p, const token *column, int negated)
{
	size_t index, result = NO_INDEX, node;

	if (next_token(p) != TACT_OK)
		return NO_INDEX;
	if (p->current.kind != TOKEN_OPEN) {
		syntax_error(p, p->current.start, "expected '(' after 'in'");
		return NO_INDEX;
	}
	index = column_index(p, column->value, column->value_length);
	if (index == NO_INDEX)
		return NO_INDEX;
	for (;;) {
		size_t equal;
		if (next_token(p) != TACT_OK)
			return NO_INDEX;
		if (p->current.kind != TOKEN_WORD && p->current.kind != TOKEN_STRING) {
			syntax_error(p, p->current.start,
			             "expected a value in the list of 'in'");
			return NO_INDEX;
		}
		equal = text_equal_node(p, index, &p->current);
		if (equal == NO_INDEX)
			return NO_INDEX;
		if (result == NO_INDEX) {
			result = equal;
		} else {
			node = new_node(p, NODE_OR);
			if (node == NO_INDEX)
				return NO_INDEX;
			p->set->nodes[node].left = result;
			p->set->nodes[node].right = equal;
			result = node;
		}
		if (next_token(p) != TACT_OK)
			return NO_INDEX;
		if (p->current.kind == TOKEN_CLOSE)
			break;
		if (p->current.kind != TOKEN_COMMA) {
			syntax_error(p, p->current.start,
			             "expected ',' or ')' in the list of 'in'");
			return NO_INDEX;
		}
	}
	if (next_token(p) != TACT_OK)
		return NO_INDEX;
	if (!negated)
		return result;
	node = new_node(p, NODE_NOT);
	if (node != NO_INDEX)
		p->set->nodes[node].left = result;
	return node;
}

/* After the column, with p->current 'not': is it "not in"?  Reads the
 * 'in' when it is; leaves the parser where it was when not. */
static int not_in(parser *p)
{
	size_t position = p->position;
	token saved = p->current;

	if (next_token(p) != TACT_OK)
		return 0;
	if (is_keyword(&p->current, "in"))
		return 1;
	p->position = position;
	p->current = saved;
	return 0;
}

static size_t parse_comparison(parser *p)
{
	token column = p->current, value;
	size_t node, index;
	enum op op;
	double number = 0;
	int numeric;

	if (column.kind != TOKEN_WORD && column.kind != TOKEN_NAME) {
		syntax_error(p, column.start, "expected a column name, 'not' or '('");
		return NO_INDEX;
	}
	if (is_keyword(&column, "and") || is_keyword(&column, "or")) {
		syntax_error(p, column.start,
		             "expected a column name (a column named like a keyword "
		             "goes in backquotes)");
		return NO_INDEX;
	}
	if (next_token(p) != TACT_OK)
		return NO_INDEX;
	if (is_keyword(&p->current, "in"))
		return parse_in_list(p, &column, 0);
	if (is_keyword(&p->current, "not") && not_in(p))
		return parse_in_list(p, &column, 1);
	if (p->status != TACT_OK)
		return NO_INDEX;
	if (p->current.kind != TOKEN_OP) {
		syntax_error(p, p->current.start,
		             "expected a comparison (> >= < <= == != =) or 'in' "
		             "after the column");
		return NO_INDEX;
	}
	op = p->current.op;
	if (next_token(p) != TACT_OK)
		return NO_INDEX;
	value = p->current;
	if (value.kind != TOKEN_WORD && value.kind != TOKEN_STRING) {
		syntax_error(p, value.start, p->set->condition
		             ? value_after(op) : "expected a number or a text");
		return NO_INDEX;
	}
	numeric = value.kind == TOKEN_WORD &&
	          tact_parse_number(value.value, value.value_length, 0, &number) == 0;
	if (op == OP_TEXT_EQ)
		numeric = 0;
	else if (op != OP_NE && !numeric) {
		syntax_error(p, value.start,
		             op == OP_EQ ? "'==' compares numbers: expected a number "
		                           "(use '=' to compare text)"
		                         : "expected a number");
		return NO_INDEX;
	}
	index = column_index(p, column.value, column.value_length);
	if (index == NO_INDEX)
		return NO_INDEX;
	node = new_node(p, numeric ? NODE_NUMBER : NODE_TEXT);
	if (node == NO_INDEX)
		return NO_INDEX;
	p->set->nodes[node].column = index;
	p->set->nodes[node].op = op;
	p->set->nodes[node].number = number;
	if (!numeric) {
		char *text = tact_parse_copy(value.value, value.value_length);
		if (!text) {
			out_of_memory(p);
			return NO_INDEX;
		}
		p->set->nodes[node].text = text;
		p->set->nodes[node].text_length = value.value_length;
	}
	if (next_token(p) != TACT_OK)
		return NO_INDEX;
	return node;
}

static size_t parse_factor(parser *p)
{
	size_t node, inner;

	if (++p->depth > MAX_DEPTH) {
		syntax_error(p, p->current.start, "nested too deeply");
		return NO_INDEX;
	}
	if (is_keyword(&p->current, "not")) {
		if (next_token(p) != TACT_OK)
			return NO_INDEX;
		inner = parse_factor(p);
		if (inner == NO_INDEX)
			return NO_INDEX;
		node = new_node(p, NODE_NOT);
		if (node != NO_INDEX)
			p->set->nodes[node].left = inner;
	} else if (p->current.kind == TOKEN_OPEN) {
		size_t open = p->current.start;
		if (next_token(p) != TACT_OK)
			return NO_INDEX;
		node = parse_expression(p);
		if (node == NO_INDEX)
			return NO_INDEX;
		if (p->current.kind != TOKEN_CLOSE) {
			char message[80];
			snprintf(message, sizeof message,
			         "unclosed '(' from character %zu: expected ')'", open + 1);
			syntax_error(p, p->current.start, message);
			return NO_INDEX;
		}
		if (next_token(p) != TACT_OK)
			return NO_INDEX;
	} else {
		node = parse_comparison(p);
	}
	p->depth--;
	return node;
}

/* term := factor ('and' factor)*; expression := term ('or' term)*. */
static size_t parse_binary(parser *p, int level)
{
	const char *keyword = level == 0 ? "or" : "and";
	size_t left = level == 0 ? parse_binary(p, 1) : parse_factor(p);

	while (left != NO_INDEX && is_keyword(&p->current, keyword)) {
		size_t right, node;
		if (next_token(p) != TACT_OK)
			return NO_INDEX;
		right = level == 0 ? parse_binary(p, 1) : parse_factor(p);
		if (right == NO_INDEX)
			return NO_INDEX;
		node = new_node(p, level == 0 ? NODE_OR : NODE_AND);
		if (node == NO_INDEX)
			return NO_INDEX;
		p->set->nodes[node].left = left;
		p->set->nodes[node].right = right;
		left = node;
	}
	return left;
}

static size_t parse_expression(parser *p)
{
	return parse_binary(p, 0);
}

/* Index of a class name, added when new. */
static tact_status class_index(tact_rule_set *set, const char *name,
                               size_t length, size_t *index, tact_error *error)
{
	size_t i;
	char **classes;

	for (i = 0; i < set->class_count; i++)
		if (strlen(set->classes[i]) == length &&
		    memcmp(set->classes[i], name, length) == 0) {
			*index = i;
			return TACT_OK;
		}
	classes = realloc(set->classes, (set->class_count + 1) * sizeof *classes);
	if (!classes)
		return tact_error_oom(error);
	set->classes = classes;
	set->classes[set->class_count] = tact_parse_copy(name, length);
	if (!set->classes[set->class_count])
		return tact_error_oom(error);
	*index = set->class_count++;
	return TACT_OK;
}

/* The expression that makes up the rest of the text: empty is the
 * message for no expression, end_of for text after it. */
static size_t parse_whole(parser *p, const char *empty, const char *end_of)
{
	size_t root;

	if (p->current.kind == TOKEN_END) {
		syntax_error(p, p->current.start, empty);
		return NO_INDEX;
	}
	root = parse_expression(p);
	if (root == NO_INDEX)
		return NO_INDEX;
	if (p->current.kind != TOKEN_END) {
		syntax_error(p, p->current.start,
		             p->current.kind == TOKEN_CLOSE ? "unmatched ')'" : end_of);
		return NO_INDEX;
	}
	return root;
}

static tact_status append_rule(tact_rule_set *set, const char *text,
                               size_t class_number, size_t root,
                               tact_error *error);

/* A parser at the first token of text. */
static tact_status parser_start(parser *p, tact_rule_set *set,
                                const char *text, tact_error *error)
{
	memset(p, 0, sizeof *p);
	p->set = set;
	p->text = text;
	p->error = error;
	return next_token(p);
}

tact_status tact_rule_set_add(tact_rule_set *set, const char *text,
                              tact_error *error)
{
	parser p;
	token class_token;
	size_t root, class_number;
	tact_status status;

	if (set->default_class != NO_INDEX)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "rule: rules must be added before the default");
	if (parser_start(&p, set, text, error) != TACT_OK)
		return p.status;
	class_token = p.current;
	if (class_token.kind != TOKEN_WORD && class_token.kind != TOKEN_STRING)
		return syntax_error(&p, class_token.start,
		                    "expected 'class: condition' (a class name first)");
	if (class_token.value_length == 0)
		return syntax_error(&p, class_token.start, "the class name is empty");
	if (next_token(&p) != TACT_OK)
		return p.status;
	if (p.current.kind != TOKEN_COLON)
		return syntax_error(&p, p.current.start,
		                    "expected ':' after the class name");
	if (next_token(&p) != TACT_OK)
		return p.status;
	root = parse_whole(&p, "expected a condition after ':'",
	                   "expected 'and', 'or' or the end of the rule");
	if (root == NO_INDEX)
		return p.status;
	status = class_index(set, class_token.value, class_token.value_length,
	                     &class_number, error);
	if (status != TACT_OK)
		return status;
	return append_rule(set, text, class_number, root, error);
}

/* Append a parsed rule (its text copied). */
static tact_status append_rule(tact_rule_set *set, const char *text,
                               size_t class_number, size_t root,
                               tact_error *error)
{
	size_t n = set->rule_count + 1;
	char **texts;
	size_t *rule_class, *roots;

	texts = realloc(set->texts, n * sizeof *texts);
	if (texts)
		set->texts = texts;
	rule_class = realloc(set->rule_class, n * sizeof *rule_class);
	if (rule_class)
		set->rule_class = rule_class;
	roots = realloc(set->roots, n * sizeof *roots);
	if (roots)
		set->roots = roots;
	if (!texts || !rule_class || !roots)
		return tact_error_oom(error);
	set->texts[n - 1] = tact_parse_copy(text, strlen(text));
	if (!set->texts[n - 1])
		return tact_error_oom(error);
	set->rule_class[n - 1] = class_number;
	set->roots[n - 1] = root;
	set->rule_count = n;
	return TACT_OK;
}

tact_status tact_rule_set_condition(tact_rule_set *set, const char *text,
                                    tact_error *error)
{
	parser p;
	size_t root, class_number;
	tact_status status;

	if (set->rule_count > 0 || set->default_class != NO_INDEX)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "rule: a condition goes in an empty set");
	set->condition = 1;
	if (parser_start(&p, set, text, error) != TACT_OK ||
	    (root = parse_whole(&p, "the condition is empty",
	                        "expected 'and', 'or' or the end of the "
	                        "condition")) == NO_INDEX)
		return p.status;
	/* Rows it holds for are "keep", the others "drop" (classify). */
	if ((status = class_index(set, "keep", 4, &class_number, error)) ||
	    (status = append_rule(set, text, class_number, root, error)))
		return status;
	return class_index(set, "drop", 4, &set->default_class, error);
}

tact_status tact_rule_set_default(tact_rule_set *set, const char *class_name,
                                  tact_error *error)
{
	if (!class_name[0])
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the default class is empty");
	return class_index(set, class_name, strlen(class_name),
	                   &set->default_class, error);
}

tact_status tact_rule_set_resolve(const tact_rule_set *set,
                                  const tact_csv_record *header,
                                  const char *file, size_t *bound,
                                  tact_error *error)
{
	size_t i, j;

	for (i = 0; i < set->column_count; i++) {
		size_t length = strlen(set->columns[i]);
		bound[i] = NO_INDEX;
		for (j = 0; j < header->count; j++)
			if (header->lengths[j] == length &&
			    memcmp(header->fields[j], set->columns[i], length) == 0) {
				bound[i] = j;
				break;
			}
		if (bound[i] == NO_INDEX) {
			char shown[120];
			tact_error_quote(set->columns[i], length, shown, sizeof shown);
			return tact_error_set(error, TACT_DATA, file, header->line, 0,
			                      set->condition
			                              ? "no column '%s' in the header "
			                                "(--where reads it)"
			                              : "no column '%s' in the header (a "
			                                "rule reads it)", shown);
		}
	}
	return TACT_OK;
}

tact_status tact_rule_set_bind(tact_rule_set *set,
                               const tact_csv_record *header,
                               const char *file, tact_error *error)
{
	free(set->bound);
	set->bound = malloc((set->column_count ? set->column_count : 1) *
	                    sizeof *set->bound);
	if (!set->bound)
		return tact_error_oom(error);
	return tact_rule_set_resolve(set, header, file, set->bound, error);
}

/* ---- evaluation ------------------------------------------------------- */

typedef struct evaluation {
	const tact_rule_set *set;
	const size_t *bound;         /* per column, its field */
	int lenient;                 /* a cell that is no number: false */
	int unreadable;              /* lenient: such a cell was met */
	const tact_csv_record *record;
	const char *file;
	tact_error *error;
	tact_status status;
} evaluation;

static int compare_number(evaluation *e, const tact_rule_node *node)
{
	size_t field = e->bound[node->column];
	const char *text = e->record->fields[field];
	size_t length = e->record->lengths[field];
	double x;

	if (e->status != TACT_OK || tact_parse_is_blank(text, length))
		return 0;
	if (tact_parse_number(text, length, e->set->decimal_comma, &x) != 0 &&
	    tact_parse_boolean(text, length, &x) != 0) {
		char shown[120], column[120];
		if (e->lenient) {
			e->unreadable = 1;
			return 0;
		}
		tact_error_quote(text, length, shown, sizeof shown);
		tact_error_quote(e->set->columns[node->column],
		                 strlen(e->set->columns[node->column]), column,
		                 sizeof column);
		e->status = tact_error_set(e->error, TACT_DATA, e->file,
		                           e->record->lines[field], field + 1,
		                           "'%s' must be a number or a boolean (a rule "
		                           "compares it with a number), got '%s'",
		                           column, shown);
		return 0;
	}
	switch (node->op) {
	case OP_GT: return x > node->number;
	case OP_GE: return x >= node->number;
	case OP_LT: return x < node->number;
	case OP_LE: return x <= node->number;
	case OP_EQ: return x == node->number;
	default: return x != node->number;
	}
}

static int evaluate(evaluation *e, size_t index)
{
	const tact_rule_node *node = &e->set->nodes[index];
	size_t field;
	int equal;

	switch (node->kind) {
	case NODE_OR:
		return evaluate(e, node->left) ||
		       (e->status == TACT_OK && evaluate(e, node->right));
	case NODE_AND:
		return evaluate(e, node->left) && evaluate(e, node->right);
	case NODE_NOT:
		return !evaluate(e, node->left);
	case NODE_NUMBER:
		return compare_number(e, node);
	case NODE_TEXT:
		field = e->bound[node->column];
		equal = e->record->lengths[field] == node->text_length &&
		        memcmp(e->record->fields[field], node->text,
		               node->text_length) == 0;
		return node->op == OP_TEXT_EQ ? equal : !equal;
	}
	return 0;
}

tact_status tact_rule_set_classify(const tact_rule_set *set,
                                   const tact_csv_record *record,
                                   const char *file, size_t *class_index_out,
                                   tact_error *error)
{
	evaluation e;
	size_t i;

	memset(&e, 0, sizeof e);
	e.set = set;
	e.bound = set->bound;
	e.record = record;
	e.file = file;
	e.error = error;
	e.status = TACT_OK;
	for (i = 0; i < set->rule_count; i++) {
		int match = evaluate(&e, set->roots[i]);
		if (e.status != TACT_OK)
			return e.status;
		if (match) {
			*class_index_out = set->rule_class[i];
			return TACT_OK;
		}
	}
	*class_index_out = set->default_class;
	return TACT_OK;
}

/* ---- rule files -------------------------------------------------------- */

/* The class of a "default: CLASS" line into *name (a copy), or leave it
 * NULL when line is not one. */
static tact_status default_line(const char *line, char **name, tact_error *error)
{
	const char *p = line, *end;
	size_t length;

	*name = NULL;
	if (strncmp(p, "default", 7) != 0)
		return TACT_OK;
	for (p += 7; is_space(*p); p++)
		;
	if (*p++ != ':')
		return TACT_OK;
	while (is_space(*p))
		p++;
	end = p + strlen(p);
	while (end > p && is_space(end[-1]))
		end--;
	if (end - p >= 2 && (*p == '\'' || *p == '"') && end[-1] == *p &&
	    !memchr(p + 1, *p, (size_t)(end - p - 2))) {
		p++;
		end--;
	} else {
		const char *q;

		/* A condition has an operator: then a rule of class "default". */
		for (q = p; q < end; q++)
			if (*q == '\0' || strchr("()<>=!:'\"`", *q))
				return TACT_OK;
	}
	length = (size_t)(end - p);
	if (!length)
		return TACT_OK;
	*name = tact_parse_copy(p, length);
	return *name ? TACT_OK : tact_error_oom(error);
}

/* Append a copy of line to *lines. */
static tact_status keep_line(char ***lines, size_t *count, const char *line,
                             size_t length, tact_error *error)
{
	char **grown = realloc(*lines, (*count + 1) * sizeof *grown);

	if (!grown)
		return tact_error_oom(error);
	*lines = grown;
	grown[*count] = tact_parse_copy(line, length);
	if (!grown[*count])
		return tact_error_oom(error);
	++*count;
	return TACT_OK;
}

tact_status tact_rule_file_read(const char *path, char ***lines, size_t *count,
                                char **default_class, tact_error *error)
{
	FILE *file = fopen(path, "rb");
	char *line = NULL, *name;
	size_t capacity = 0, number = 0, start, length;
	ssize_t got;
	tact_status status = TACT_OK;

	*lines = NULL;
	*count = 0;
	*default_class = NULL;
	if (!file)
		return tact_error_set(error, TACT_NOINPUT, path, 0, 0,
		                      "cannot read the rules");
	while (status == TACT_OK && (got = getline(&line, &capacity, file)) != -1) {
		number++;
		length = (size_t)got;
		while (length && (line[length - 1] == '\n' || line[length - 1] == '\r' ||
		                  is_space(line[length - 1])))
			line[--length] = '\0';
		for (start = 0; start < length && is_space(line[start]); start++)
			;
		if (strlen(line) != length)
			status = tact_error_set(error, TACT_DATA, path, number, 0,
			                        "a NUL byte in a rule");
		else if (start == length || line[start] == '#')
			continue;
		else if ((status = default_line(line + start, &name, error)) != TACT_OK)
			break;
		else if (name && *default_class) {
			free(name);
			status = tact_error_set(error, TACT_DATA, path, number, 0,
			                        "a second 'default:' line");
		} else if (name)
			*default_class = name;
		else
			status = keep_line(lines, count, line + start, length - start,
			                   error);
	}
	if (status == TACT_OK && ferror(file))
		status = tact_error_set(error, TACT_IOERR, path, 0, 0,
		                        "cannot read the rules");
	free(line);
	fclose(file);
	if (status != TACT_OK) {
		tact_rule_file_free(*lines, *count, *default_class);
		*lines = NULL;
		*count = 0;
		*default_class = NULL;
	}
	return status;
}

void tact_rule_file_free(char **lines, size_t count, char *default_class)
{
	size_t i;

	for (i = 0; lines && i < count; i++)
		free(lines[i]);
	free(lines);
	free(default_class);
}

int tact_rule_set_holds(const tact_rule_set *set, const size_t *bound,
                        const tact_csv_record *record, int *unreadable)
{
	evaluation e;
	int match;

	memset(&e, 0, sizeof e);
	e.set = set;
	e.bound = bound;
	e.lenient = 1;
	e.record = record;
	e.status = TACT_OK;
	match = evaluate(&e, set->roots[0]);
	if (unreadable)
		*unreadable = e.unreadable;
	return match;
}
