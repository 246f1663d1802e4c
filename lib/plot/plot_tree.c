/*
 * plot_tree.c - the chart of a targeting policy (tact-target's tree, as
 * tact-report writes it to target-tree.csv with tact_target_write_tree):
 * a box per node, the splits white with their question, the leaves
 * coloured by their decision (blue: personalize, vermilion: hold back, as
 * the report's chips), each with its share of the units; the left branch
 * of a question is its "yes".
 *
 * Nodes are numbered in heap order (the children of n are 2n+1, 2n+2), so
 * a node's place follows from its number: at depth k, the j-th slot of 2^k
 * across the page.  A leaf merged above the deepest level sits centred
 * over the slots its subtree would have taken.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_internal.h"

#define TREE_DEPTH 3
#define TREE_NODES 15          /* 2^(TREE_DEPTH + 1) - 1 */
#define BOX_HEIGHT 46.0
#define LEVEL_GAP 48.0
#define BOX_MIN 120.0

#define SPLIT_FILL "#FFFFFF"
#define GOOD_FILL "#D6E9F8"
#define GOOD_INK "#0B4F7A"
#define BAD_FILL "#FBE0D2"
#define BAD_INK "#8A3200"

typedef struct tree_node {
	int used, leaf, personalize;
	const char *question;      /* a split's left condition (the table's) */
	double share;
	double x, y;               /* the box's centre and top, in pixels */
} tree_node;

typedef struct tree {
	tree_node nodes[TREE_NODES];
	int depth;                 /* the deepest level used */
	double box_width, width, height, left, top;
} tree;

static int node_depth(size_t n)
{
	int k = 0;

	while (n >= ((size_t)2 << k) - 1)
		k++;
	return k;
}

/* ---- reading ------------------------------------------------------------ */

static tact_status bad_row(const tact_plot_table *table, size_t row,
                           size_t column, const char *why, tact_error *error)
{
	return tact_error_set(error, TACT_DATA, table->name, table->lines[row],
	                      column + 1, "%s", why);
}

/* A whole number 0 <= n < limit in a cell. */
static tact_status read_index(const tact_plot_table *table, size_t row,
                              size_t column, size_t limit, size_t *n,
                              tact_error *error)
{
	double v;
	tact_status status = tact_plot_table_number(table, row, column, &v,
	                                            error);

	if (status != TACT_OK)
		return status;
	if (isnan(v) || v < 0 || v >= (double)limit || v != floor(v))
		return bad_row(table, row, column, "a node must be a whole number "
		               "from 0 to 14 (a tree of depth 3 at most)", error);
	*n = (size_t)v;
	return TACT_OK;
}

static tact_status read_row(const tact_plot_table *table, size_t row,
                            tree *t, tact_error *error)
{
	size_t c_node = (size_t)tact_plot_table_column(table, "node");
	size_t c_parent = (size_t)tact_plot_table_column(table, "parent");
	size_t c_question = (size_t)tact_plot_table_column(table, "question");
	size_t c_leaf = (size_t)tact_plot_table_column(table, "leaf");
	size_t c_decision = (size_t)tact_plot_table_column(table, "decision");
	size_t c_share = (size_t)tact_plot_table_column(table, "share");
	const char *leaf = tact_plot_table_text(table, row, c_leaf);
	const char *decision = tact_plot_table_text(table, row, c_decision);
	size_t n, parent;
	tree_node *node;
	tact_status status;

	if ((status = read_index(table, row, c_node, TREE_NODES, &n, error)))
		return status;
	node = &t->nodes[n];
	if (node->used)
		return bad_row(table, row, c_node, "a node given twice", error);
	if (n == 0 ? tact_plot_table_text(table, row, c_parent)[0] != '\0'
	           : (status = read_index(table, row, c_parent, TREE_NODES,
	                                  &parent, error)) ||
	                 parent != (n - 1) / 2 || !t->nodes[parent].used ||
	                 t->nodes[parent].leaf)
		return status ? status
		              : bad_row(table, row, c_parent, "a node's parent must "
		                        "be a split given before it, numbered "
		                        "(node - 1) / 2", error);
	if (strcmp(leaf, "0") != 0 && strcmp(leaf, "1") != 0)
		return bad_row(table, row, c_leaf, "leaf must be 0 or 1", error);
	node->leaf = leaf[0] == '1';
	if (node->leaf && strcmp(decision, "personalize") != 0 &&
	    strcmp(decision, "hold back") != 0)
		return bad_row(table, row, c_decision, "a leaf's decision must be "
		               "'personalize' or 'hold back'", error);
	node->personalize = node->leaf && decision[0] == 'p';
	node->question = tact_plot_table_text(table, row, c_question);
	if (!node->leaf && !node->question[0])
		return bad_row(table, row, c_question, "a split needs its question",
		               error);
	if ((status = tact_plot_table_number(table, row, c_share, &node->share,
	                                     error)))
		return status;
	if (isnan(node->share) || node->share < 0 || node->share > 1)
		return bad_row(table, row, c_share, "a share must lie between 0 and "
		               "1", error);
	node->used = 1;
	return TACT_OK;
}

/* Every row into t; every split must have both children. */
static tact_status read_tree(const tact_plot_table *table, tree *t,
                             tact_error *error)
{
	size_t r, n;
	tact_status status;

	memset(t, 0, sizeof *t);
	for (r = 0; r < table->rows; r++)
		if ((status = read_row(table, r, t, error)))
			return status;
	if (!t->nodes[0].used)
		return tact_error_set(error, TACT_DATA, table->name, 0, 0,
		                      "no root (node 0) in the tree");
	for (n = 0; n < TREE_NODES; n++) {
		if (!t->nodes[n].used)
			continue;
		if (!t->nodes[n].leaf &&
		    (2 * n + 2 >= TREE_NODES || !t->nodes[2 * n + 1].used ||
		     !t->nodes[2 * n + 2].used))
			return tact_error_set(error, TACT_DATA, table->name, 0, 0,
			                      "split %zu lacks a child", n);
		if (node_depth(n) > t->depth)
			t->depth = node_depth(n);
	}
	return TACT_OK;
}

/* ---- layout ------------------------------------------------------------- */

static void share_text(const tree_node *node, char *out, size_t size)
{
	snprintf(out, size, "%.1f%% of units", 100 * node->share);
}

static void question_text(const tree_node *node, char *out, size_t size)
{
	char shortened[256];

	tact_plot_shorten(node->question, 40, shortened, sizeof shortened);
	snprintf(out, size, "%s ?", shortened);
}

/* The box width (the widest text), the page, and each box's place. */
static void lay_out(tree *t, const char *title)
{
	size_t n, slots = (size_t)1 << t->depth;
	double span, key = tact_plot_key_width("personalize") +
	                   tact_plot_key_width("hold back") + 60;
	char text[300];

	t->box_width = BOX_MIN;
	for (n = 0; n < TREE_NODES; n++) {
		if (!t->nodes[n].used)
			continue;
		if (t->nodes[n].leaf)
			snprintf(text, sizeof text, "%s", "hold back");
		else
			question_text(&t->nodes[n], text, sizeof text);
		t->box_width = fmax(t->box_width,
		                    tact_plot_text_width(text, TACT_PLOT_FONT) + 24);
	}
	span = (double)slots * (t->box_width + 18);
	t->width = fmax(span + 40, fmax(key + 40, tact_plot_title_width(title)));
	t->left = (t->width - span) / 2;
	t->top = title && *title ? 50 : 20;
	t->height = t->top + (t->depth + 1) * BOX_HEIGHT + t->depth * LEVEL_GAP +
	            70;
	for (n = 0; n < TREE_NODES; n++) {
		int k = node_depth(n);
		size_t j = n - (((size_t)1 << k) - 1);
		t->nodes[n].x = t->left + ((double)j + 0.5) * span /
		                              (double)((size_t)1 << k);
		t->nodes[n].y = t->top + k * (BOX_HEIGHT + LEVEL_GAP);
	}
}

/* ---- drawing ------------------------------------------------------------ */

/* A rectangle, object tag tag, from pixels (x1, y1) to (x2, y2). */
static void box(FILE *out, int tag, const tree *t, double x1, double y1,
                double x2, double y2, const char *fill, const char *border)
{
	fprintf(out, "set object %d rect from screen %.5f, screen %.5f to screen "
	        "%.5f, screen %.5f fillcolor rgb '%s' fillstyle solid 1.0 border "
	        "lc rgb '%s' lw 1.5 back\n", tag, x1 / t->width,
	        1 - y2 / t->height, x2 / t->width, 1 - y1 / t->height, fill,
	        border);
}

/* A centred label, tag tag, at pixel (x, y). */
static void label(FILE *out, int tag, const tree *t, double x, double y,
                  const char *text, const char *colour, double font)
{
	fprintf(out, "set label %d ", tag);
	tact_plot_quote(out, text);
	fprintf(out, " at screen %.5f, screen %.5f center front font ',%g' "
	        "textcolor rgb '%s'\n", x / t->width, 1 - y / t->height, font,
	        colour);
}

static void draw_node(FILE *out, const tree *t, size_t n)
{
	const tree_node *node = &t->nodes[n];
	const char *fill = SPLIT_FILL, *border = TACT_PLOT_INK,
	           *ink = TACT_PLOT_INK;
	double half = t->box_width / 2;
	char first[300], second[64];

	if (node->leaf) {
		fill = node->personalize ? GOOD_FILL : BAD_FILL;
		border = node->personalize ? TACT_PLOT_BLUE : TACT_PLOT_VERMILLION;
		ink = node->personalize ? GOOD_INK : BAD_INK;
		snprintf(first, sizeof first, "%s",
		         node->personalize ? "personalize" : "hold back");
	} else {
		question_text(node, first, sizeof first);
	}
	share_text(node, second, sizeof second);
	box(out, (int)n + 1, t, node->x - half, node->y, node->x + half,
	    node->y + BOX_HEIGHT, fill, border);
	label(out, 10 + 2 * (int)n, t, node->x, node->y + 17, first, ink,
	      TACT_PLOT_FONT_AXIS);
	label(out, 11 + 2 * (int)n, t, node->x, node->y + 34, second,
	      TACT_PLOT_GREY, TACT_PLOT_FONT - 1);
	if (n > 0) {
		const tree_node *parent = &t->nodes[(n - 1) / 2];
		double x1 = parent->x, y1 = parent->y + BOX_HEIGHT;
		double x2 = node->x, y2 = node->y;
		/* The head 7 pixels long whatever the page's width. */
		fprintf(out, "set arrow %d from screen %.5f, screen %.5f to screen "
		        "%.5f, screen %.5f head size screen %.5f,25 filled lc rgb "
		        "'%s' lw 1.2 back\n", (int)n, x1 / t->width,
		        1 - y1 / t->height, x2 / t->width, 1 - y2 / t->height,
		        7.0 / t->width, TACT_PLOT_INK);
		/* "yes" above the left edge, "no" above the right one. */
		label(out, 50 + (int)n, t, (x1 + x2) / 2 + (n % 2 ? -22 : 22),
		      (y1 + y2) / 2 - 8, n % 2 ? "yes" : "no", TACT_PLOT_GREY,
		      TACT_PLOT_FONT);
	}
}

/* The key: a swatch and the word of each decision, under the tree. */
static void draw_key(FILE *out, const tree *t)
{
	double y = t->height - 44, x = t->left;
	double w = tact_plot_key_width("personalize");

	box(out, 20, t, x, y - 6, x + 12, y + 6, GOOD_FILL, TACT_PLOT_BLUE);
	fprintf(out, "set label 80 'personalize' at screen %.5f, screen %.5f "
	        "left front font ',%g' textcolor rgb '%s'\n", (x + 18) / t->width,
	        1 - y / t->height, TACT_PLOT_FONT, TACT_PLOT_INK);
	x += w + 30;
	box(out, 21, t, x, y - 6, x + 12, y + 6, BAD_FILL, TACT_PLOT_VERMILLION);
	fprintf(out, "set label 81 'hold back' at screen %.5f, screen %.5f left "
	        "front font ',%g' textcolor rgb '%s'\n", (x + 18) / t->width,
	        1 - y / t->height, TACT_PLOT_FONT, TACT_PLOT_INK);
}

tact_status tact_plot_build_tree(const tact_plot_table *table,
                                 const tact_plot_options *options,
                                 tact_plot_script *script, tact_error *error)
{
	const char *title = tact_plot_title_text(options, "Whom to personalize "
	                                         "for: the learned policy");
	tree t;
	tact_plot_writer w;
	tact_status status;
	size_t n;

	if ((status = read_tree(table, &t, error)) ||
	    (status = tact_plot_writer_open(&w, error)))
		return status;
	lay_out(&t, title);
	tact_plot_style(w.out);
	fputs("unset key\nunset border\nunset tics\nunset grid\n", w.out);
	tact_plot_title(w.out, title, (int)t.width, (int)t.height);
	for (n = 0; n < TREE_NODES; n++)
		if (t.nodes[n].used)
			draw_node(w.out, &t, n);
	draw_key(w.out, &t);
	tact_plot_note(w.out, "Each box: its share of the units learned from; a "
	               "question's left branch is its yes.", (int)t.width,
	               (int)t.height, 0);
	tact_plot_frame(w.out, (int)t.width, (int)t.height, 0, 0, t.width,
	                t.height);
	/* Nothing to plot but the objects: a line outside the range draws
	 * the page without a warning. */
	fputs("set xrange [0:1]\nset yrange [0:1]\nplot -1 with lines notitle\n"
	      "unset label\nunset arrow\nunset object\n", w.out);
	return tact_plot_writer_finish(&w, script, (int)t.width, (int)t.height,
	                               error);
}
