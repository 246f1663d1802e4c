/*
 * plot_script.c - the pieces every chart script shares (see plot_internal.h).
 */
#include "plot_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "utf8.h"

/* Black is kept for the pooled segment and yellow left out: too pale on
 * white for a line or a small point. */
static const char *const series[] = {
	TACT_PLOT_BLUE, TACT_PLOT_ORANGE, TACT_PLOT_GREEN, TACT_PLOT_PURPLE,
	TACT_PLOT_SKY_BLUE, TACT_PLOT_VERMILLION,
};

#define SERIES (sizeof series / sizeof series[0])

const char *tact_plot_series_colour(size_t i)
{
	return series[i % SERIES];
}

int tact_plot_series_dash(size_t i)
{
	return 1 + (int)((i / SERIES) % 5);
}

tact_status tact_plot_writer_open(tact_plot_writer *writer,
                                  tact_error *error)
{
	writer->text = NULL;
	writer->length = 0;
	writer->out = open_memstream(&writer->text, &writer->length);
	if (!writer->out)
		return tact_error_oom(error);
	return TACT_OK;
}

static int word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* An "inf" (any case, a whole word, outside quoted strings) in a script:
 * a figure that overflowed a double on the way (issue 15: the same rule
 * everywhere, a run fails rather than draw it).  NaN is gnuplot's missing
 * value and stays. */
static int has_infinity(const char *t, size_t n)
{
	size_t i;
	char quote = 0;

	for (i = 0; i < n; i++) {
		if (quote) {
			if (quote == '"' && t[i] == '\\' && i + 1 < n)
				i++;
			else if (t[i] == quote)
				quote = 0; /* '' reopens at once: the same result */
			continue;
		}
		if (t[i] == '\'' || t[i] == '"') {
			quote = t[i];
			continue;
		}
		if (i + 3 <= n && (t[i] == 'i' || t[i] == 'I') &&
		    (t[i + 1] == 'n' || t[i + 1] == 'N') &&
		    (t[i + 2] == 'f' || t[i + 2] == 'F') &&
		    (i == 0 || !word_char((unsigned char)t[i - 1])) &&
		    (i + 3 == n || !word_char((unsigned char)t[i + 3])))
			return 1;
	}
	return 0;
}

tact_status tact_plot_writer_finish(tact_plot_writer *writer,
                                    tact_plot_script *script, int width,
                                    int height, tact_error *error)
{
	int failed = ferror(writer->out) != 0;

	if (fclose(writer->out) != 0)
		failed = 1;
	writer->out = NULL;
	if (failed || !writer->text) {
		free(writer->text);
		writer->text = NULL;
		return tact_error_oom(error);
	}
	if (has_infinity(writer->text, writer->length)) {
		free(writer->text);
		writer->text = NULL;
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "a figure of the chart overflows (it would "
		                      "reach gnuplot as 'inf'): no chart");
	}
	script->text = writer->text;
	script->length = writer->length;
	script->width = width;
	script->height = height;
	writer->text = NULL;
	return TACT_OK;
}

void tact_plot_writer_abort(tact_plot_writer *writer)
{
	if (writer->out)
		fclose(writer->out);
	writer->out = NULL;
	free(writer->text);
	writer->text = NULL;
}

static void quote(FILE *out, const char *text, int format)
{
	size_t left = strlen(text);
	int first = 1, after_quote = 0;

	putc('\'', out);
	while (left > 0) {
		size_t n = tact_utf8_sequence_length(text, left);
		int quote_here = n == 1 && *text == '\'';

		if (n == 0) {
			fputs("\xEF\xBF\xBD", out);   /* U+FFFD */
			n = 1;
		} else if (n == 1 && (unsigned char)*text < 0x20) {
			putc(' ', out);
		} else if (n == 1 && *text == 0x7f) {
			putc(' ', out);
		} else if (*text == '\'' && (first || after_quote)) {
			/* gnuplot 5.4 mis-reads its own '' escape at the start of
			 * a string or right after another (three quotes then x
			 * read as an empty string and another, and an @name after
			 * it runs as a macro): such an apostrophe is drawn as
			 * U+2019 instead. */
			fputs("\xE2\x80\x99", out);
		} else if (*text == '\'') {
			fputs("''", out);
		} else if (*text == '%' && format) {
			fputs("%%", out);
		} else {
			fwrite(text, 1, n, out);
		}
		after_quote = quote_here && !first && !after_quote;
		first = 0;
		text += n;
		left -= n;
	}
	putc('\'', out);
}

void tact_plot_quote(FILE *out, const char *text)
{
	quote(out, text, 0);
}

void tact_plot_quote_format(FILE *out, const char *text)
{
	quote(out, text, 1);
}

char *tact_plot_shorten(const char *text, size_t columns, char *out,
                        size_t size)
{
	size_t length = strlen(text), i = 0, used = 0, count = 0;
	static const char ellipsis[] = "\xE2\x80\xA6";

	if (size == 0)
		return out;
	if (columns == 0)
		columns = 1;
	if (tact_utf8_width(text, length) <= columns && length < size) {
		memcpy(out, text, length + 1);
		return out;
	}
	/* Keep columns - 1 code points, then the ellipsis; drop a trailing
	 * space so that "long name …" reads "long name…". */
	while (i < length && count + 1 < columns) {
		size_t n = tact_utf8_sequence_length(text + i, length - i);
		if (n == 0)
			n = 1;
		if (used + n + sizeof ellipsis > size)
			break;
		memcpy(out + used, text + i, n);
		used += n;
		i += n;
		count++;
	}
	while (used > 0 && out[used - 1] == ' ')
		used--;
	if (used + sizeof ellipsis <= size) {
		memcpy(out + used, ellipsis, sizeof ellipsis);
	} else {
		out[used] = '\0';
	}
	return out;
}

double tact_plot_text_width(const char *text, double font_size)
{
	/* Average advance of DejaVu Sans (what fontconfig gives for
	 * sans-serif on Debian) over mixed text, as measured on rendered
	 * charts: 0.68 em on lowercase text (a 44-character label is 300 pixels
	 * at 10 points in pngcairo), more with capitals; err on the wide side. */
	return (double)tact_utf8_width(text, strlen(text)) * font_size * 0.72;
}

void tact_plot_number(FILE *out, double value)
{
	char buffer[TACT_FORMAT_NUMBER_MAX];

	if (isnan(value) || isinf(value)) {
		fputs("NaN", out);
		return;
	}
	fputs(tact_format_number(buffer, value), out);
}

void tact_plot_style(FILE *out)
{
	fprintf(out,
	        "set border 3 lc rgb '%s' lw 1\n"
	        "set tics nomirror out scale 0.5 textcolor rgb '%s' font ',%g'\n"
	        "set grid back lc rgb '%s' lw 1 dt 1\n"
	        "set key noautotitle textcolor rgb '%s' font ',%g'\n"
	        "set datafile missing 'NaN'\n"
	        "set style fill solid 1.0 noborder\n"
	        "set pointsize 1.2\n"
	        "set minussign\n",
	        TACT_PLOT_INK, TACT_PLOT_INK, TACT_PLOT_FONT, TACT_PLOT_LIGHT,
	        TACT_PLOT_INK, TACT_PLOT_FONT);
}

int tact_plot_title(FILE *out, const char *title, int width, int height)
{
	if (!title || !*title)
		return 10;
	fputs("set label 1 ", out);
	tact_plot_quote(out, title);
	fprintf(out, " at screen %.5f, screen %.5f center front "
	        "font ',%g' textcolor rgb '%s'\n", 0.5,
	        1.0 - 20.0 / height, TACT_PLOT_FONT_TITLE, TACT_PLOT_INK);
	(void)width;
	return 40;
}

void tact_plot_note(FILE *out, const char *text, int width, int height,
                    int line)
{
	fprintf(out, "set label %d ", 3 + line);
	tact_plot_quote(out, text);
	fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
	        "textcolor rgb '%s'\n", 12.0 / width,
	        (12.0 + 14.0 * line) / height, TACT_PLOT_FONT - 1, TACT_PLOT_INK);
}

void tact_plot_frame(FILE *out, int width, int height, double left,
                     double top, double right, double bottom)
{
	fprintf(out,
	        "set lmargin at screen %.5f\nset rmargin at screen %.5f\n"
	        "set tmargin at screen %.5f\nset bmargin at screen %.5f\n",
	        left / width, right / width, 1.0 - top / height,
	        1.0 - bottom / height);
}

const char *tact_plot_title_text(const tact_plot_options *options,
                                 const char *fallback)
{
	return options->title ? options->title : fallback;
}

void tact_plot_percent_label(double confidence, char *out, size_t size)
{
	double percent = confidence * 100;
	int decimals;

	for (decimals = 0; decimals < 4; decimals++) {
		double scale = pow(10, decimals);
		if (fabs(round(percent * scale) - percent * scale) < 1e-6)
			break;
	}
	snprintf(out, size, "%.*f%%", decimals, percent);
}

void tact_plot_list_init(tact_plot_list *list)
{
	list->count = 0;
	list->items = NULL;
}

void tact_plot_list_release(tact_plot_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	tact_plot_list_init(list);
}

long tact_plot_list_find(const tact_plot_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i], name) == 0)
			return (long)i;
	return -1;
}

long tact_plot_list_add(tact_plot_list *list, const char *name)
{
	long at = tact_plot_list_find(list, name);
	char **items, *copy;

	if (at >= 0)
		return at;
	copy = strdup(name);
	items = copy ? realloc(list->items, (list->count + 1) * sizeof *items)
	             : NULL;
	if (!items) {
		free(copy);
		return -1;
	}
	list->items = items;
	list->items[list->count] = copy;
	return (long)list->count++;
}

void tact_plot_list_join(const tact_plot_list *list, char *out, size_t size)
{
	size_t i, used = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < list->count; i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "",
		                 list->items[i]);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

double tact_plot_key_entry(FILE *out, int tag, double x, double y,
                           const char *text, int point, const char *colour,
                           int width, int height)
{
	fprintf(out, "set label %d ", tag);
	tact_plot_quote(out, text);
	fprintf(out, " at screen %.5f, screen %.5f left front textcolor rgb "
	        "'%s' point pt %d ps 1.3*PS lw 1.5 lc rgb '%s' offset 1.2,0\n",
	        x / width, 1.0 - y / height, TACT_PLOT_INK, point, colour);
	return tact_plot_key_width(text);
}

double tact_plot_key_line(FILE *out, int tag, double x, double y,
                          const char *text, int point, const char *colour,
                          int dash, int width, int height)
{
	fprintf(out, "set arrow %d from screen %.5f, screen %.5f to screen "
	        "%.5f, screen %.5f nohead lc rgb '%s' lw 2 dt %d front\n", tag,
	        (x - 8) / width, 1.0 - y / height, (x + 14) / width,
	        1.0 - y / height, colour, dash);
	fprintf(out, "set label %d ", tag);
	tact_plot_quote(out, text);
	fprintf(out, " at screen %.5f, screen %.5f left front textcolor rgb "
	        "'%s' ", (x + 3) / width, 1.0 - y / height, TACT_PLOT_INK);
	if (point >= 0)
		fprintf(out, "point pt %d ps 1.1*PS lc rgb '%s' ", point, colour);
	fputs("offset 1.8,0\n", out);
	return tact_plot_key_width(text) + 12;
}

double tact_plot_key_width(const char *text)
{
	return 12 + 10 + tact_plot_text_width(text, TACT_PLOT_FONT) + 24;
}

double tact_plot_title_width(const char *title)
{
	return title ? tact_plot_text_width(title, TACT_PLOT_FONT_TITLE) + 40
	             : 0;
}

double tact_plot_note_width(const char *note)
{
	return tact_plot_text_width(note, TACT_PLOT_FONT - 1) + 24;
}

double tact_plot_nice_step(double span, int count)
{
	double raw, magnitude, fraction;

	if (!(span > 0) || count < 1)
		return 1;
	raw = span / count;
	magnitude = pow(10, floor(log10(raw)));
	fraction = raw / magnitude;
	if (fraction <= 1)
		return magnitude;
	if (fraction <= 2)
		return 2 * magnitude;
	if (fraction <= 5)
		return 5 * magnitude;
	return 10 * magnitude;
}

tact_status tact_plot_nothing_to_draw(const tact_plot_table *table,
                                      const tact_plot_options *options,
                                      const tact_plot_list *metrics,
                                      const tact_plot_list *arms,
                                      const char *why, tact_error *error)
{
	char names[256];

	if (metrics && options->metric &&
	    tact_plot_list_find(metrics, options->metric) < 0) {
		tact_plot_list_join(metrics, names, sizeof names);
		return tact_error_set(error, TACT_USAGE, table->name, 0, 0,
		                      "no metric '%s' here: the metrics are %s",
		                      options->metric, names);
	}
	if (arms && options->arm && tact_plot_list_find(arms, options->arm) < 0) {
		tact_plot_list_join(arms, names, sizeof names);
		return tact_error_set(error, TACT_USAGE, table->name, 0, 0,
		                      "no arm '%s' here: the arms are %s",
		                      options->arm, names);
	}
	return tact_error_set(error, TACT_DATA, table->name, 0, 0, "%s", why);
}

void tact_plot_numbers(FILE *out, const double *values, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (i)
			putc(' ', out);
		tact_plot_number(out, values[i]);
	}
}

void tact_plot_suppressed_note(FILE *out, size_t count, const char *what,
                               const char *tool, const char *tail,
                               int width, int height, int line)
{
	char note[240];

	snprintf(note, sizeof note, "%zu %s%s suppressed (fewer units than "
	         "%s's --min-cell)%s.", count, what, count == 1 ? "" : "s", tool,
	         tail);
	tact_plot_note(out, note, width, height, line);
}

int tact_plot_panel_title(FILE *out, int tag, const char *title,
                          const char *colour, const char *subtitle,
                          double px, double py, double width, double height)
{
	char label[128];

	tact_plot_shorten(title, 40, label, sizeof label);
	fprintf(out, "set label %d ", tag++);
	tact_plot_quote(out, label);
	fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
	        "textcolor rgb '%s'\n", px / width, 1.0 - (py - 24) / height,
	        TACT_PLOT_FONT_AXIS, colour);
	fprintf(out, "set label %d ", tag++);
	tact_plot_quote(out, subtitle);
	fprintf(out, " at screen %.5f, screen %.5f left front font ',%g' "
	        "textcolor rgb '%s'\n", px / width, 1.0 - (py - 9) / height,
	        TACT_PLOT_FONT - 1, TACT_PLOT_GREY);
	return tag;
}

const char *tact_plot_role_subtitle(int down)
{
	return down ? "annoyance: lower is better" : "goal: higher is better";
}

double tact_plot_label_width(const tact_plot_list *labels)
{
	double widest = 0;
	size_t i;

	for (i = 0; i < labels->count; i++) {
		char label[128];
		double w;
		tact_plot_shorten(labels->items[i], TACT_PLOT_LABEL_MAX, label,
		                  sizeof label);
		w = tact_plot_text_width(label, TACT_PLOT_FONT);
		if (w > widest)
			widest = w;
	}
	return widest;
}

void tact_plot_label_tics(FILE *out, char axis, const tact_plot_list *labels,
                          int descending, int shown)
{
	size_t i;

	fprintf(out, "set %ctics (", axis);
	for (i = 0; i < labels->count; i++) {
		char label[128];
		tact_plot_shorten(labels->items[i], TACT_PLOT_LABEL_MAX, label,
		                  sizeof label);
		if (i)
			fputs(", ", out);
		tact_plot_quote_format(out, shown ? label : "");
		fprintf(out, " %zu", descending ? labels->count - i : i);
	}
	fputs(")\n", out);
}

