/*
 * utf8.h - the few UTF-8 facts tact needs: validating a sequence and the
 * display width of a label in a terminal table.
 */
#ifndef TACT_UTF8_H
#define TACT_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence at s, reading at most left bytes;
 * 0 when the bytes there are not valid UTF-8 (overlong forms, surrogates and
 * code points past U+10FFFF are invalid). */
size_t tact_utf8_sequence_length(const char *s, size_t left);

/*
 * The first invisible or look-alike code point in text[0..length): a
 * no-break space (U+00A0, U+202F), a zero-width space, joiner or mark
 * (U+200B-U+200F, U+2060), a byte-order mark (U+FEFF, here inside a
 * field), a soft hyphen (U+00AD) or another Unicode space (U+2000-U+200A,
 * U+3000).  Such a label prints like another ("buy" and "buy\u00A0") but
 * counts as a different group.  Returns its name ("a no-break space
 * (U+00A0)"), or NULL when there is none.
 */
const char *tact_utf8_lookalike(const char *text, size_t length);

/* True when text[0..length) is entirely valid UTF-8. */
int tact_utf8_valid(const char *text, size_t length);

/* Terminal columns taken by text: one per code point (no East Asian wide
 * forms are special-cased); invalid bytes count one each. */
size_t tact_utf8_width(const char *text, size_t length);

#endif
