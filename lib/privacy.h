/*
 * privacy.h - direct identifiers in an export: which columns hold e-mail
 * addresses, phone numbers, IP addresses, people's names or postal
 * addresses, so that the tools can say so and never copy them into an
 * output (DESIGN, "Privacy by design").
 *
 * A column is an identifier by its NAME or by its VALUES.
 *
 * By name.  The name is cut into lowercase words at every character that is
 * not a letter or a digit and at camelCase boundaries ("firstName",
 * "IPAddress", "e-mail", "Phone Number"); words of digits only are dropped
 * ("email2", "ipv4"), and so are trailing "number", "num", "no", "nr"
 * ("phone_no").  Then the LAST word decides, so that a qualifier in front
 * is allowed ("customer_email", "client_ip") but an identifier word in
 * front of something else is not an identifier ("email_opened",
 * "ip_country", "phone_verified" are outcomes or derived labels):
 *   e-mail   email, mail, emailaddress, mailaddress; "address" after one
 *   phone    phone, telephone, tel, mobile, cellphone, phonenumber, msisdn,
 *            fax
 *   IP       ip, ipaddress, ipaddr, ipv (ipv4, ipv6); "address" after one
 *   name     firstname, lastname, fullname, surname, givenname,
 *            familyname, forename, middlename, nickname, username; "name"
 *            alone or after first, last, full, given, family, middle,
 *            maiden, sur, user, customer, client, contact, visitor,
 *            member, person, display or real ("campaign_name",
 *            "product_name" are not people)
 *   address  address, addr, street, streetaddress (postal)
 * Whole words only: "domain", "ship", "shipping", "filename", "hostname",
 * "hotel", "zip_code", "telemetry" are not identifiers.
 *
 * A name that itself holds an e-mail or IP address or a '+' phone number
 * (tact_privacy_text_kind) is of that kind.
 *
 * By values.  Each non-empty value is classified (tact_privacy_value_kind):
 *   e-mail   local@domain.tld (RFC 5321's characters, a dotted domain, a
 *            top-level label of two letters or more), or "Name <a@b.cc>"
 *   phone    '+' then 7 to 15 digits in groups (E.164: "+33 6 12 34 56
 *            78", "+1 (555) 123-4567"); or, without '+', 7 to 15 digits in
 *            two or more groups separated by spaces, dots, dashes or a
 *            parenthesized area code ("020 7946 0958", "06.12.34.56.78",
 *            "555-123-4567", "(555) 123 4567"), where two groups need a
 *            leading 0 or the parentheses ("030 1234567"), and dates
 *            ("2024-01-15", "15.01.2024") and thousands ("1 234 567")
 *            are not phone numbers.  Digits alone are never a phone number
 *            (ids, counts and amounts look the same).
 *   IP       dotted IPv4 (each part 0-255, an optional /prefix), or IPv6
 *            (hexadecimal groups, one "::" at most, an IPv4 tail allowed).
 *   and, when the whole value is none of these, an e-mail or IP address
 *   or a '+' phone number inside it (tact_privacy_text_kind, below).
 * A column is an identifier by its values when more than half of its first
 * TACT_PRIVACY_SAMPLE non-empty values (among the first TACT_PRIVACY_ROWS
 * data rows) are of one kind.
 *
 * A name without values to back it is still an identifier (safe side),
 * except when every sampled value is harmless: a boolean or a number of
 * fewer than 7 digits ("is_mobile" holding 0/1 is a device flag, not a
 * phone number).
 *
 * Streaming: a detector is set up from the header and fed record by record
 * (the loader feeds it the first rows as it reads them); it says when it
 * has seen enough, and tact_privacy_detector_finish decides.
 */
#ifndef TACT_PRIVACY_H
#define TACT_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "keymap.h"
#include "roles.h"
#include "summary.h"

#define TACT_PRIVACY_SAMPLE 100    /* non-empty values looked at per column */
#define TACT_PRIVACY_ROWS 10000    /* data rows looked at, at most */

typedef enum tact_identifier_kind {
	TACT_IDENTIFIER_NONE,
	TACT_IDENTIFIER_EMAIL,
	TACT_IDENTIFIER_PHONE,
	TACT_IDENTIFIER_IP,
	TACT_IDENTIFIER_NAME,      /* a person's name: by column name only */
	TACT_IDENTIFIER_ADDRESS    /* a postal address: by column name only */
} tact_identifier_kind;

#define TACT_IDENTIFIER_KINDS 6

/* "e-mail addresses", "phone numbers", "IP addresses", "people's names",
 * "postal addresses" ("" for none): for messages. */
const char *tact_identifier_kind_text(tact_identifier_kind kind);

/* "email", "phone", "ip", "name", "address" ("" for none): for JSON and
 * the type column of tact-validate. */
const char *tact_identifier_kind_key(tact_identifier_kind kind);

/* What a column's name says (see above).  name need not be NUL-terminated. */
tact_identifier_kind tact_privacy_name_kind(const char *name, size_t length);

/* What one value looks like: e-mail, phone or IP, or none (see above). */
tact_identifier_kind tact_privacy_value_kind(const char *text, size_t length);

/*
 * The same, keeping only the unmistakable forms: e-mail and IP addresses,
 * and phone numbers written with '+'.  For single labels (one arm or
 * segment label decides alone, so national phone formats, which a range
 * label such as "0100-2000999" could imitate, are left to the columns).
 */
tact_identifier_kind tact_privacy_label_kind(const char *text, size_t length);

/*
 * An identifier anywhere in a text, in the unmistakable forms: an e-mail
 * address ("mailto:john@example.com", "contact john@example.com now",
 * "user@example.com;", "john@localhost"), a dotted IPv4 address
 * ("10.0.0.1:8080", "host 10.1.2.3"; not glued to a letter or a dot
 * before it, so "v1.2.3.4" is a version, and not continued by ".digit",
 * so "1.2.3.4.5" is not an address; a dotted quad alone is one, even if
 * meant as a version), an IPv6 address as a word ("[::1]:8080"), or a '+'
 * phone number ("call +33 6 12 34 56 78").  Dates, decimals and times are
 * none of these.  tact_privacy_value_kind and tact_privacy_label_kind
 * fall back on it when the whole text is not an identifier.
 */
tact_identifier_kind tact_privacy_text_kind(const char *text, size_t length);

/*
 * Refuse a header whose column NAMES hold an identifier
 * (tact_privacy_text_kind: a column named "john@example.com" or
 * "10.0.0.1"): names are copied into every output, so no role makes such
 * a column safe.  Returns TACT_OK, or TACT_DATA at file:1:column naming
 * the column by its number, never by the name.
 */
tact_status tact_privacy_check_names(char *const *fields, const size_t *lengths,
                                     size_t count, const char *file,
                                     tact_error *error);

/* Why a column was found to hold identifiers. */
typedef enum tact_identifier_reason {
	TACT_IDENTIFIER_BY_NAME = 1,
	TACT_IDENTIFIER_BY_VALUES = 2,
	TACT_IDENTIFIER_BY_BOTH = 3
} tact_identifier_reason;

/* "name", "values", "name and values". */
const char *tact_identifier_reason_text(tact_identifier_reason reason);

typedef struct tact_privacy_column {
	char *name;                          /* as in the header */
	tact_identifier_kind by_name;        /* what the name says */
	uint32_t seen;                       /* non-empty values sampled */
	uint32_t matches[TACT_IDENTIFIER_KINDS]; /* per value kind */
	uint32_t harmless;                   /* booleans, short numbers */
	/* The verdict, set by tact_privacy_detector_finish: */
	tact_identifier_kind kind;           /* NONE: not an identifier */
	tact_identifier_reason reason;
} tact_privacy_column;

typedef struct tact_privacy_detector {
	size_t count;                        /* columns */
	tact_privacy_column *columns;
	uint64_t rows;                       /* data rows fed */
	int done;                            /* wants no more rows */
	int finished;                        /* verdicts are set */
} tact_privacy_detector;

/*
 * Set up a detector from a header row (fields[0..count), lengths).  Release
 * with tact_privacy_detector_release.  Errors: TACT_SOFTWARE (memory).
 */
tact_status tact_privacy_detector_init(tact_privacy_detector *detector,
                                       char *const *fields,
                                       const size_t *lengths, size_t count,
                                       tact_error *error);

/*
 * Feed one data row.  A row with another field count is skipped (the
 * reader refuses it anyway).  Returns 1 while the detector wants more
 * rows, 0 once it has enough (every column sampled, or TACT_PRIVACY_ROWS
 * rows); feeding more is then a no-op.
 */
int tact_privacy_detector_feed(tact_privacy_detector *detector,
                               char *const *fields, const size_t *lengths,
                               size_t count);

/* Decide every column's verdict from what was fed (callable more than
 * once; feeding after it is allowed and a second call decides again). */
void tact_privacy_detector_finish(tact_privacy_detector *detector);

/* Columns found to hold identifiers (after finish). */
size_t tact_privacy_detector_identifiers(const tact_privacy_detector *detector);

void tact_privacy_detector_release(tact_privacy_detector *detector);

/*
 * Refuse a role that would copy identifiers into an output: the arm or a
 * segment column (their labels are printed by every tool) that the
 * (finished) detector flags.  The unit column is a key that is never
 * written, metrics are parsed as numbers: both are allowed.  Returns
 * TACT_OK, or TACT_DATA naming the column (never a value) at file:1:col.
 */
tact_status tact_privacy_check_roles(const tact_privacy_detector *detector,
                                     const tact_column_map *map,
                                     const char *file, tact_error *error);

#define TACT_PRIVACY_UNIT_LIKE_LABELS 20 /* labels from which a segment column
                                            of mostly one unit each is a unit id */

/* Do labels distinct labels over units units look like a unit id (mostly
 * one unit each: TACT_PRIVACY_UNIT_LIKE_LABELS or more, more than half as
 * many as units)?  For segments, and tact-intent's features and label. */
int tact_privacy_unit_like(size_t labels, double units);

/*
 * Refuse a summary whose labels would copy identifiers into an output:
 * a segment dimension of TACT_PRIVACY_UNIT_LIKE_LABELS labels or more,
 * more than half as many as units (a unit id: mostly one unit per label);
 * an arm or segment label that looks like an e-mail address, an IP
 * address or a '+' phone number (tact_privacy_label_kind; every group is
 * looked at, not only the first rows), or an arm or segment dimension that
 * the detector's column rules flag when run over the group labels.
 * Works for summaries loaded from exports and from summary files.
 * Returns TACT_OK, or TACT_DATA naming the dimension, never the label.
 */
tact_status tact_privacy_check_summary(const tact_summary *summary,
                                       const char *file, tact_error *error);

/* ---- the suppression decision ------------------------------------------
 *
 * One decision, made here and nowhere else, of which counts every tool
 * hides for an export (issue 16): tact-compare, tact-power, tact-frontier,
 * tact-summarize --format table and tact-validate all build the same table
 * from the same export and flags, call tact_privacy_decide, and print only
 * what it allows, so that no figure printed by one of them, added to or
 * subtracted from figures printed by the others, gives back a hidden count.
 * tact-dose, whose table is segments x exposure bins with the analysed
 * arms pooled, prints the margins of that table too and asks
 * tact_privacy_decide_runs (below), the same decision over linked runs;
 * then, since its pooled-arm figures and the per-arm ones of the others
 * are sums over one joint table (segments x bins x arms), it asks
 * tact_privacy_decide_lines (below) with the others' figures, as this
 * decision prints them, fixed, and hides more of its own.
 *
 * The table: one cell per segment (a combination of labels, one per --by
 * dimension) and arm, holding the cell's units and, per metric, its count
 * of non-missing values.  What the tools print about it (the published
 * figures) is modelled as the cells themselves plus these totals ("lines"):
 *   - per arm, over the segments: the pooled "(all)" rows (units, and each
 *     metric's count) and tact-validate's arm totals;
 *   - per label of each segment dimension, over the other dimensions and
 *     the arms: tact-validate's segment totals (units);
 *   - everything: the units (tact-validate) and, per metric, the values
 *     (the rows read minus the missing values every tool reports).
 * Under TACT_PRIVACY_STRICT the figures that the runs with fewer --by
 * dimensions print about the same export are printed too, exactly as their
 * own strict decisions show them: for the table of dimensions D, every
 * table of a proper subset of D is first decided in strict mode itself
 * (its cells summed over the other dimensions; recursively, smallest
 * subsets first, each once), and D's decision then takes their shown cells
 * and totals as printed (the pooled "(all)" figures are the empty subset's,
 * tact-validate's label totals the one-dimension runs') and hides
 * complements among D's own cells only, until no hidden count under
 * min_cell, of D's cells or of any lower table, follows from the union of
 * all these runs' figures.  A lower table's decision is the same whether
 * made inside D's or by a run with that --by alone (for the same export,
 * metrics and dimension order), so the analyst who runs every --by with
 * --privacy strict publishes figures from which no hidden count under
 * min_cell follows.  Up to TACT_PRIVACY_STRICT_DIMENSIONS dimensions
 * (2^D decisions); beyond, strict decides as tables.
 *
 * The decision.  A cell's units are hidden under min_cell (primary
 * suppression); a cell with hidden units has every figure hidden; a metric
 * of a cell is hidden under min_cell values.  A total under min_cell is
 * hidden too.  Then, until nothing changes:
 *   - a segment total of tact-validate that holds a hidden cell is hidden
 *     itself (it serves no comparison, and hidden it says nothing of the
 *     cells; in strict mode only a one-dimension run's own totals, the
 *     others being that run's);
 *   - magnitude: where the hidden cells of a printed total add up to more
 *     than 0 and less than min_cell, the smallest shown cell of that total
 *     is hidden too (a non-control arm first among equals);
 *   - exactness: no hidden count under min_cell (a cell's or a total's)
 *     may follow from the printed ones by any sums and differences (a
 *     complement that follows gives nothing away unless a small count
 *     follows with it).  A hidden count x follows when its unit vector
 *     lies in the row space of the printed totals restricted to the hidden
 *     cells (reduced row echelon form); then a shown cell sharing a printed
 *     total with it is hidden (the smallest), or, for a hidden total all of
 *     whose cells are hidden, another total of its kind.
 * Cells and totals of count 0 are never sensitive and, in tables mode,
 * never a complement (a hidden 0 is taken as known).  In strict mode with
 * one dimension or more a shown 0 may be an exactness complement and a
 * hidden 0 is an unknown (but a metric's 0 where the cell's units show 0):
 * shown zeros with the margins of two lower tables can pin a small cell
 * down.  The grand total is always printed.
 */

typedef enum tact_privacy_mode {
	TACT_PRIVACY_TABLES,   /* default: each output's own tables */
	TACT_PRIVACY_STRICT    /* also every table of fewer --by dimensions */
} tact_privacy_mode;

#define TACT_PRIVACY_STRICT_DIMENSIONS 8

/* Parse "tables" or "strict"; -1 for anything else. */
int tact_privacy_mode_parse(const char *text, tact_privacy_mode *mode);

#define TACT_PRIVACY_UNITS ((size_t)-1)   /* the units, as a "metric" */

/* The counts the decision reads.  Arm 0 is the control (never preferred
 * as a complement).  Fill after tact_privacy_table_alloc. */
typedef struct tact_privacy_table {
	size_t segments, arms, metrics, dimensions;
	size_t *labels;          /* segments x dimensions: a label index */
	size_t *label_counts;    /* per dimension: labels (indices below it) */
	int64_t *units;          /* segments x arms */
	int64_t *values;         /* segments x arms x metrics */
} tact_privacy_table;

/* Allocate a zeroed table.  TACT_SOFTWARE on memory. */
tact_status tact_privacy_table_alloc(tact_privacy_table *table,
                                     size_t segments, size_t arms,
                                     size_t metrics, size_t dimensions,
                                     tact_error *error);
void tact_privacy_table_release(tact_privacy_table *table);

typedef struct tact_privacy_plan {
	size_t segments, arms, metrics, dimensions;
	int64_t min_cell;
	unsigned char *cells;    /* segments x arms x (1 + metrics): [0] the
	                            units, [1 + m] metric m; 1 = hidden */
	unsigned char *primary;  /* the same: hidden for being under min_cell */
	unsigned char *pooled;   /* arms x (1 + metrics): the "(all)" figures */
	unsigned char **label_totals; /* per dimension, per label (units) */
	size_t *label_counts;
} tact_privacy_plan;

/*
 * Decide what is hidden (see above).  table must be filled; min_cell 1 or
 * more (1 hides nothing).  Release the plan with tact_privacy_plan_release.
 * Errors: TACT_SOFTWARE (memory).
 */
tact_status tact_privacy_decide(const tact_privacy_table *table,
                                int64_t min_cell, tact_privacy_mode mode,
                                tact_privacy_plan *plan, tact_error *error);
void tact_privacy_plan_release(tact_privacy_plan *plan);

/*
 * Is a figure hidden?  segment is counted as tact_segments counts it (0 is
 * the pooled "(all)" segment, k the table's segment k - 1); metric is a
 * metric index or TACT_PRIVACY_UNITS.  Hidden units hide every metric.
 */
int tact_privacy_hidden(const tact_privacy_plan *plan, size_t segment,
                        size_t arm, size_t metric);

/* Was it hidden for being under min_cell (not as a complement)? */
int tact_privacy_primary(const tact_privacy_plan *plan, size_t segment,
                         size_t arm, size_t metric);

/* Is any arm's figure hidden in this segment (then figures computed from
 * all arms together, sample-ratio and independence tests, are blank)? */
int tact_privacy_segment_hidden(const tact_privacy_plan *plan,
                                size_t segment, size_t metric);

/* Is tact-validate's total of label (index) of dimension d hidden? */
int tact_privacy_label_hidden(const tact_privacy_plan *plan, size_t d,
                              size_t label);

/*
 * The linked runs of one table (tact-dose): every subset of its dimensions
 * decided as a run with that --by in strict mode (the cells summed over the
 * other dimensions; the empty subset's pooled "(all)" figures), each after
 * its own subsets, exactly as tact_privacy_decide decides the full table
 * in strict mode, and all kept, for an output that prints the cells of one
 * table and the totals of others: tact-dose prints segments x exposure
 * bins (the full table, the bins one dimension), each segment over the
 * bins (the segment dimensions' run), the pooled segment's bins (the bin
 * dimension's run) and the pooled figures (no dimension), units and every
 * metric's values of each.  Up to TACT_PRIVACY_STRICT_DIMENSIONS
 * dimensions (TACT_USAGE beyond).  Errors: TACT_SOFTWARE (memory).
 */
typedef struct tact_privacy_runs {
	size_t dimensions, segments, arms;
	tact_privacy_plan *plans;  /* per subset (bit d: dimension d) */
	size_t *groups;            /* per subset, per table segment: its
	                              segment in that run's table */
} tact_privacy_runs;

tact_status tact_privacy_decide_runs(const tact_privacy_table *table,
                                     int64_t min_cell,
                                     tact_privacy_runs *runs,
                                     tact_error *error);

/* Is the figure of the run of subset mask that holds the table's segment
 * (0-based), for arm and metric (or TACT_PRIVACY_UNITS), hidden?  Mask 0:
 * the pooled figures.  Hidden units hide every metric. */
int tact_privacy_run_hidden(const tact_privacy_runs *runs, unsigned mask,
                            size_t segment, size_t arm, size_t metric);
void tact_privacy_runs_release(tact_privacy_runs *runs);

/*
 * The decision over printed totals of one joint table, for outputs whose
 * figures are sums over different sets of its cells (tact-dose's treated
 * arms pooled per exposure bin, with tact-compare's arms summed over the
 * bins): the cells are never printed themselves, only the lines, each the
 * sum of a list of cells, of one quantity (the caller decides each
 * quantity apart: units, or one metric's values).  A line comes printed
 * or hidden (hidden); only a hideable one may be hidden here.  Then:
 *   - primary: a hideable line under min_cell (above 0) is hidden;
 *   - magnitude: a printed line with parts (lines adding up to it) whose
 *     hidden parts add up to more than 0 and less than min_cell has its
 *     smallest shown hideable part above 0 hidden too;
 *   - exactness: no hidden line of a count from 1 to min_cell - 1 may
 *     follow from the printed ones by sums and differences (its vector
 *     over the cells in their row space, every cell an unknown): the
 *     printed lines are taken not hideable first, then hideable ones from
 *     the largest, and of the hideable lines in the one combination of
 *     them that gives the hidden count back, the smallest is hidden;
 * until nothing changes.  A hidden count that the lines that may not be
 * hidden give back alone is left (it is not this decision's).
 * values: per cell.  Errors: TACT_SOFTWARE (memory).
 */
typedef struct tact_privacy_line {
	const size_t *cells;     /* the cells it adds up */
	size_t count;
	const size_t *parts;     /* lines adding up to it (magnitude), or none */
	size_t part_count;
	int hideable;            /* may be hidden as a complement */
	unsigned char hidden;    /* in: hidden already; out: the decision */
} tact_privacy_line;

tact_status tact_privacy_decide_lines(const int64_t *values, size_t cells,
                                      tact_privacy_line *lines, size_t count,
                                      int64_t min_cell, tact_error *error);

/* The table of a summary's segments x arms (segments.h order). */
struct tact_segments;
tact_status tact_privacy_table_from_segments(const struct tact_segments *cells,
                                             tact_privacy_table *table,
                                             tact_error *error);

/* The same decided in one call: build the table, decide. */
tact_status tact_privacy_decide_segments(const struct tact_segments *cells,
                                         int64_t min_cell,
                                         tact_privacy_mode mode,
                                         tact_privacy_plan *plan,
                                         tact_error *error);

/*
 * The table of a summary's groups without a control (tact-summarize):
 * segments in order of first appearance, arms with the summary's control
 * (when it occurs) first.  group_segment and group_arm (group_count each,
 * caller-allocated) receive each group's place; the segment numbers are
 * the table's plus one, as tact_privacy_hidden counts them.
 */
tact_status tact_privacy_table_from_summary(const tact_summary *summary,
                                            tact_privacy_table *table,
                                            size_t *group_segment,
                                            size_t *group_arm,
                                            tact_error *error);

/* ---- periods: tact-compare --by-period ----------------------------------
 *
 * Each period's comparison and each cumulative step print the same cells
 * (segment x arm) over other units, so a period's small cell, hidden in
 * its own step, would follow from two successive cumulative steps, from
 * the period's pooled row minus the other segments', or from the last step
 * against the whole comparison.  The one rule (privacy_period.c):
 *   1. Blocks.  The periods are merged, forward in time, into blocks of
 *      consecutive periods: a block ends at the first period where each
 *      arm's pooled units and each metric's pooled count of values since
 *      the block began are 0 or at least min_cell; a short last block is
 *      merged into the one before.  Rows are per block and cumulative
 *      steps only at block ends, so every printed figure is a sum of whole
 *      blocks: no period inside a block can be told apart.  The blocks
 *      depend on the pooled counts alone, so they are the same for every
 *      --by list.
 *   2. Segments.  A segment's rows are printed per block only when none of
 *      its figures is hidden in the comparison of every unit (its plan,
 *      in the mode asked for) and each of its cells (every arm's units
 *      and metric counts) is 0 or at least min_cell in every block.  The
 *      other segments are left out of every block; where their sum (the
 *      pooled row minus the printed segments') is not 0 or at least
 *      min_cell, at the first such block, arm and count, the printed
 *      segment with the smallest count above 0 there is left out too,
 *      until their sum passes everywhere (at worst every segment is left
 *      out: pooled rows only).  Under TACT_PRIVACY_STRICT the segments are always
 *      left out: the runs of other --by lists would print other sums of
 *      the same left-out cells per block.
 *   3. One block.  With fewer than two blocks, or a pooled figure hidden
 *      in the comparison of every unit, there is one block of every
 *      period, compared exactly as tact-compare compares every unit (its
 *      own suppression).
 * Why it is safe: every block prints the same kind of figures (pooled,
 * the same segments), none of them hidden or under min_cell (but 0), and
 * their sums over all blocks are figures of the comparison of every unit
 * (or follow from them); so the figures that are constant over time give
 * back nothing beyond that comparison, and a block's figures give back of
 * its left-out cells only their sum.  With min_cell 1 or less every
 * period is a block and every segment is printed.
 */
typedef struct tact_privacy_blocks {
	size_t count;            /* blocks, in time order */
	size_t *last;            /* per block: its last period (the first is
	                            the one after the previous block's last) */
	int whole;               /* rule 3: one block, the comparison's own
	                            suppression */
	size_t dimensions;
	size_t segments_shown;   /* segments printed per block */
	size_t segments_left_out;
	tact_keymap shown;       /* the printed segments' labels */
} tact_privacy_blocks;

/*
 * Decide the blocks of periods (the period_count summaries of a summary's
 * periods, in time order) and the segments printed, for cells (the
 * summary's segments x arms, segments.h).  Release with
 * tact_privacy_blocks_release.  Errors: TACT_SOFTWARE (memory).
 */
tact_status tact_privacy_decide_periods(const struct tact_segments *cells,
                                        const tact_summary *const *periods,
                                        size_t period_count, int64_t min_cell,
                                        tact_privacy_mode mode,
                                        tact_privacy_blocks *blocks,
                                        tact_error *error);

/* A segment's key for a tact_keymap: each of its D labels' length (8
 * bytes) and bytes.  The caller frees it; NULL when memory runs out. */
char *tact_privacy_segment_key(char *const *labels, size_t D, size_t *length);

/* Are the rows of the segment of these labels (one per dimension) printed
 * per block?  (Pooled rows always are.) */
int tact_privacy_blocks_shows(const tact_privacy_blocks *blocks,
                              char *const *labels);

void tact_privacy_blocks_release(tact_privacy_blocks *blocks);

#endif
