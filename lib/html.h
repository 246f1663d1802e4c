/*
 * html.h - writing text into HTML safely: every label from the data goes
 * through here, so a segment named "<script>" is shown, never run.
 */
#ifndef TACT_HTML_H
#define TACT_HTML_H

#include <stdio.h>

/* Text content: & < > escaped; invalid UTF-8 bytes become U+FFFD. */
void tact_html_text(FILE *out, const char *text);

/* An attribute value (inside double quotes): also " and ' escaped. */
void tact_html_attribute(FILE *out, const char *text);

#endif
