/*
 * utf8.c - validating UTF-8 sequences and measuring labels (see utf8.h).
 */
#include "utf8.h"

size_t tact_utf8_sequence_length(const char *text, size_t left)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t need, i;
	unsigned long code;

	if (left == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, code = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, code = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, code = s[0] & 0x07;
	else
		return 0;
	if (left < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		code = (code << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && code < 0x800) || (need == 4 && code < 0x10000) ||
	    (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
		return 0;
	return need;
}

int tact_utf8_valid(const char *text, size_t length)
{
	size_t i = 0;

	while (i < length) {
		size_t n = tact_utf8_sequence_length(text + i, length - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

const char *tact_utf8_lookalike(const char *text, size_t length)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i;

	for (i = 0; i + 1 < length; i++) {
		if (s[i] == 0xC2 && s[i + 1] == 0xA0)
			return "a no-break space (U+00A0)";
		if (s[i] == 0xC2 && s[i + 1] == 0xAD)
			return "a soft hyphen (U+00AD)";
		if (i + 2 >= length)
			continue;
		if (s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF)
			return "a byte-order mark (U+FEFF)";
		if (s[i] == 0xE2 && s[i + 1] == 0x80) {
			if (s[i + 2] >= 0x8B && s[i + 2] <= 0x8F)
				return "a zero-width character (U+200B-U+200F)";
			if (s[i + 2] <= 0x8A)
				return "a Unicode space (U+2000-U+200A)";
			if (s[i + 2] == 0xAF)
				return "a no-break space (U+202F)";
		}
		if (s[i] == 0xE2 && s[i + 1] == 0x81 && s[i + 2] == 0xA0)
			return "a word joiner (U+2060)";
		if (s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
			return "an ideographic space (U+3000)";
	}
	return NULL;
}

size_t tact_utf8_width(const char *text, size_t length)
{
	size_t i = 0, width = 0;

	while (i < length) {
		size_t n = tact_utf8_sequence_length(text + i, length - i);
		i += n ? n : 1;
		width++;
	}
	return width;
}
