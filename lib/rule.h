/*
 * rule.h - intent rules for teams without labels: "buy: cart_adds > 0 or
 * page_value > 0", several of them, the first that matches gives the class,
 * a default class for rows no rule matches.
 *
 * Grammar of one rule (keywords in any case, spaces free):
 *
 *     rule       := class ':' expression
 *     expression := term ('or' term)*
 *     term       := factor ('and' factor)*
 *     factor     := 'not' factor | '(' expression ')' | comparison
 *     comparison := column op number          op: > >= < <= == !=
 *                 | column '=' text | column '!=' text
 *                 | column ['not'] 'in' '(' text (',' text)* ')'
 *     column     := a bare name (letters, digits, '_', '.', any byte of a
 *                   UTF-8 sequence) or a name in backquotes `like this`
 *     text       := 'single' or "double" quoted, or a bare word
 *     class      := a bare name or a quoted text
 *
 * A number on the right makes a numeric comparison: the cell is read as a
 * number (parse.h), or as a boolean (0/1, true/false, yes/no) when it is
 * not one; anything else is a data error naming the cell.  A text on the
 * right compares the cell's bytes exactly ('=' equal, '!=' different); an
 * empty cell is the empty text there (x = '' finds them).  For a numeric
 * comparison an empty cell is a missing value and the comparison is false
 * (so "not x > 0" is true for a missing x).  "==" with a number and "=" with
 * a text are the two equalities: "x = 3" compares text, "x == 3" numbers.
 * "x in (a, 'b c', 3)" is "x = a or x = 'b c' or x = 3" (texts, compared
 * exactly), "x not in (...)" its negation.  Nesting is limited to 64
 * levels.
 *
 * A condition alone (tact_rule_set_condition: --where of every tool that
 * reads an export) is an expression without class; evaluated by
 * tact_rule_set_holds, a cell that is neither a number nor a boolean makes
 * a numeric comparison false, as an empty one does, and is reported
 * rather than an error (a filter drops such rows; see tact-summarize(1)).
 */
#ifndef TACT_RULE_H
#define TACT_RULE_H

#include <stddef.h>

#include "csvreader.h"
#include "error.h"

typedef struct tact_rule_node tact_rule_node;

typedef struct tact_rule_set {
	size_t rule_count;
	char **texts;          /* per rule, its source text */
	size_t *rule_class;    /* per rule, an index into classes */
	size_t *roots;         /* per rule, its expression's node */
	tact_rule_node *nodes;
	size_t node_count, node_capacity;
	size_t class_count;    /* distinct classes: the rules' in order of
	                          first appearance, then the default */
	char **classes;
	size_t default_class;  /* index into classes; (size_t)-1 until set */
	size_t column_count;   /* distinct columns the rules read */
	char **columns;
	size_t *bound;         /* per column, its field in the header */
	int decimal_comma;     /* numbers in cells use ',' */
	int condition;         /* one condition (--where), no classes */
} tact_rule_set;

/* An empty rule set (no allocation). */
void tact_rule_set_init(tact_rule_set *set);

/* Free everything the set holds and leave it empty. */
void tact_rule_set_release(tact_rule_set *set);

/*
 * Parse one rule ("class: expression") and append it.  Errors: TACT_USAGE
 * with the character position (1-based) and what was expected, for
 * example "rule 'buy: x >': expected a number or a text after '>' at
 * character 8"; TACT_SOFTWARE when memory runs out.
 */
tact_status tact_rule_set_add(tact_rule_set *set, const char *text,
                              tact_error *error);

/*
 * Parse a condition alone (an expression, no class) into an empty set,
 * for a row filter (--where).  Errors: TACT_USAGE "at 12: expected a value
 * after '>'" (the 1-based character in the condition; the caller names the
 * option), "at 1: the condition is empty".
 */
tact_status tact_rule_set_condition(tact_rule_set *set, const char *text,
                                    tact_error *error);

/*
 * Resolve the set's columns against a header into bound (column_count
 * entries, the caller's: each thread of a reader can hold its own).
 * Errors: TACT_DATA (file, the header's line) naming the missing column.
 */
tact_status tact_rule_set_resolve(const tact_rule_set *set,
                                  const tact_csv_record *header,
                                  const char *file, size_t *bound,
                                  tact_error *error);

/*
 * Whether a condition (tact_rule_set_condition) holds for a record, its
 * columns resolved into bound.  A numeric comparison with a cell that is
 * neither a number nor a boolean is false, and sets *unreadable (may be
 * NULL) to 1; else *unreadable is 0.  Never fails; no allocation.
 */
int tact_rule_set_holds(const tact_rule_set *set, const size_t *bound,
                        const tact_csv_record *record, int *unreadable);

/* Set the class of rows no rule matches (copied).  Call after the rules;
 * TACT_USAGE for an empty class. */
tact_status tact_rule_set_default(tact_rule_set *set, const char *class_name,
                                  tact_error *error);

/*
 * Resolve the columns the rules read against a header record.  Errors:
 * TACT_DATA (file, line of the header) naming the missing column.
 */
tact_status tact_rule_set_bind(tact_rule_set *set,
                               const tact_csv_record *header,
                               const char *file, tact_error *error);

/*
 * The class of one record (after bind): the class of the first rule that
 * matches, else the default.  Errors: TACT_DATA with the cell's position
 * when a numeric comparison meets a cell that is neither a number nor a
 * boolean.
 */
tact_status tact_rule_set_classify(const tact_rule_set *set,
                                   const tact_csv_record *record,
                                   const char *file, size_t *class_index,
                                   tact_error *error);

/*
 * The rules of a file (tact-intent apply --rules FILE, tact-target's
 * policies): one "CLASS: CONDITION" a line, in order, as repeated --rule;
 * blank lines and lines starting with '#' are skipped; one line
 * "default: CLASS" (the class bare or quoted, nothing after it) sets the
 * class of rows no rule matches (a rule's condition always has a
 * comparison, so such a line is never a rule).  *lines gets copies of the
 * rule lines (free them with tact_rule_file_free), *count their number,
 * *default_class a copy of the default or NULL.  Errors: TACT_NOINPUT when
 * the file cannot be read, TACT_DATA (file, line) for a line with a NUL
 * byte or a second default.
 */
tact_status tact_rule_file_read(const char *path, char ***lines, size_t *count,
                                char **default_class, tact_error *error);

/* Free what tact_rule_file_read gave (NULLs are no-ops). */
void tact_rule_file_free(char **lines, size_t count, char *default_class);

#endif
