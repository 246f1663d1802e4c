/*
 * html.c - escaping for HTML text and attributes (see html.h).
 */
#include "html.h"

#include <string.h>

#include "utf8.h"

static void escape(FILE *out, const char *text, int attribute)
{
	size_t left = strlen(text);

	while (left > 0) {
		size_t n = tact_utf8_sequence_length(text, left);
		if (n == 0) {
			fputs("\xEF\xBF\xBD", out);
			n = 1;
		} else if (n == 1) {
			switch (*text) {
			case '&': fputs("&amp;", out); break;
			case '<': fputs("&lt;", out); break;
			case '>': fputs("&gt;", out); break;
			case '"':
				fputs(attribute ? "&quot;" : "\"", out);
				break;
			case '\'':
				fputs(attribute ? "&#39;" : "'", out);
				break;
			default:
				if ((unsigned char)*text < 0x20 && *text != '\n' && *text != '\t')
					fputs("\xEF\xBF\xBD", out);
				else
					putc(*text, out);
			}
		} else {
			fwrite(text, 1, n, out);
		}
		text += n;
		left -= n;
	}
}

void tact_html_text(FILE *out, const char *text)
{
	escape(out, text, 0);
}

void tact_html_attribute(FILE *out, const char *text)
{
	escape(out, text, 1);
}
