/*
 * privacy.c - direct identifiers by column name and by values, the checks
 * that keep them out of outputs, and the one suppression decision (see
 * privacy.h).
 */
#include "privacy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "segments.h"

static const char *const kind_texts[] = {
	"", "e-mail addresses", "phone numbers", "IP addresses", "people's names",
	"postal addresses"};
static const char *const kind_keys[] = {"", "email", "phone", "ip", "name",
                                        "address"};

const char *tact_identifier_kind_text(tact_identifier_kind kind)
{
	return kind_texts[kind];
}

const char *tact_identifier_kind_key(tact_identifier_kind kind)
{
	return kind_keys[kind];
}

const char *tact_identifier_reason_text(tact_identifier_reason reason)
{
	switch (reason) {
	case TACT_IDENTIFIER_BY_NAME: return "name";
	case TACT_IDENTIFIER_BY_VALUES: return "values";
	case TACT_IDENTIFIER_BY_BOTH: return "name and values";
	}
	return "";
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_alpha(int c) { return is_lower(c) || is_upper(c); }
static int is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static tact_identifier_kind embedded_kind(const char *t, size_t n);

/* ---- names ----------------------------------------------------------- */

#define MAX_WORDS 16
#define WORD_MAX 32

typedef struct words {
	size_t count;
	char word[MAX_WORDS][WORD_MAX];
} words;

static void push_word(words *w, const char *start, size_t length)
{
	size_t i, digits = 0;

	for (i = 0; i < length; i++)
		digits += is_digit((unsigned char)start[i]) != 0;
	if (length == 0 || digits == length)
		return; /* "2" in "email2", "4" in "ipv4" */
	if (w->count == MAX_WORDS) {
		/* Keep the last words: they decide. */
		memmove(w->word[0], w->word[1], (MAX_WORDS - 1) * WORD_MAX);
		w->count--;
	}
	if (length >= WORD_MAX)
		length = WORD_MAX - 1; /* a long word matches nothing anyway */
	for (i = 0; i < length; i++) {
		int c = (unsigned char)start[i];
		w->word[w->count][i] = (char)(is_upper(c) ? c - 'A' + 'a' : c);
	}
	w->word[w->count][length] = '\0';
	w->count++;
}

/* Cut at non-alphanumerics (bytes >= 0x80 count as letters), at
 * lower->Upper ("firstName"), at Upper->Upper+lower ("IPAddress"), and
 * between letters and digits ("ipv4" -> "ipv", "4"). */
static void split_words(const char *name, size_t length, words *w)
{
	size_t i, start = 0;

	w->count = 0;
	for (i = 0; i <= length; i++) {
		int c = i < length ? (unsigned char)name[i] : 0;
		int p = i > start ? (unsigned char)name[i - 1] : 0;
		int n = i + 1 < length ? (unsigned char)name[i + 1] : 0;
		int word_char = i < length && (is_alpha(c) || is_digit(c) || c >= 0x80);
		int boundary = 0;

		if (!word_char) {
			push_word(w, name + start, i - start);
			start = i + 1;
			continue;
		}
		if (i > start) {
			boundary = (is_lower(p) && is_upper(c)) ||
			           (is_upper(p) && is_upper(c) && is_lower(n)) ||
			           (is_digit(p) != is_digit(c));
		}
		if (boundary) {
			push_word(w, name + start, i - start);
			start = i;
		}
	}
}

static int in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return 1;
	return 0;
}

static const char *const email_words[] = {"email", "mail", "emailaddress",
                                          "mailaddress", NULL};
static const char *const phone_words[] = {
	"phone", "telephone", "tel", "mobile", "cellphone", "phonenumber",
	"msisdn", "fax", NULL};
static const char *const ip_words[] = {"ip", "ipaddress", "ipaddr", "ipv",
                                       NULL};
static const char *const name_words[] = {
	"firstname", "lastname", "fullname", "surname", "givenname",
	"familyname", "forename", "middlename", "nickname", "username", NULL};
static const char *const name_qualifiers[] = {
	"first", "last", "full", "given", "family", "middle", "maiden", "sur",
	"user", "customer", "client", "contact", "visitor", "member", "person",
	"display", "real", NULL};
static const char *const address_words[] = {"address", "addr", "street",
                                            "streetaddress", NULL};
static const char *const number_words[] = {"number", "num", "no", "nr", NULL};

tact_identifier_kind tact_privacy_name_kind(const char *name, size_t length)
{
	words w;
	const char *last, *previous;
	tact_identifier_kind kind_in_text;

	/* A name that is (or holds) an address: "john@example.com". */
	kind_in_text = embedded_kind(name, length);
	if (kind_in_text != TACT_IDENTIFIER_NONE)
		return kind_in_text;
	split_words(name, length, &w);
	while (w.count > 1 && in_list(w.word[w.count - 1], number_words))
		w.count--;
	if (w.count == 0)
		return TACT_IDENTIFIER_NONE;
	last = w.word[w.count - 1];
	previous = w.count > 1 ? w.word[w.count - 2] : NULL;
	if (strcmp(last, "address") == 0 || strcmp(last, "addr") == 0) {
		if (previous && in_list(previous, ip_words))
			return TACT_IDENTIFIER_IP;
		if (previous && in_list(previous, email_words))
			return TACT_IDENTIFIER_EMAIL;
	}
	if (in_list(last, email_words))
		return TACT_IDENTIFIER_EMAIL;
	if (in_list(last, phone_words))
		return TACT_IDENTIFIER_PHONE;
	if (in_list(last, ip_words))
		return TACT_IDENTIFIER_IP;
	if (in_list(last, name_words))
		return TACT_IDENTIFIER_NAME;
	if (strcmp(last, "name") == 0 &&
	    (!previous || in_list(previous, name_qualifiers)))
		return TACT_IDENTIFIER_NAME;
	if (in_list(last, address_words))
		return TACT_IDENTIFIER_ADDRESS;
	/* Cut too finely: "IPv6" is "i", "pv"; "E_Mail" is fine already. */
	{
		char joined[WORD_MAX * 2];
		size_t i, used = 0;
		for (i = 0; i < w.count; i++) {
			size_t n = strlen(w.word[i]);
			if (used + n >= sizeof joined)
				return TACT_IDENTIFIER_NONE;
			memcpy(joined + used, w.word[i], n);
			used += n;
		}
		joined[used] = '\0';
		if (in_list(joined, email_words))
			return TACT_IDENTIFIER_EMAIL;
		if (in_list(joined, ip_words))
			return TACT_IDENTIFIER_IP;
		if (in_list(joined, phone_words))
			return TACT_IDENTIFIER_PHONE;
	}
	return TACT_IDENTIFIER_NONE;
}

/* ---- values ---------------------------------------------------------- */

static void trim(const char **text, size_t *length)
{
	while (*length && (**text == ' ' || **text == '\t')) {
		(*text)++;
		(*length)--;
	}
	while (*length && ((*text)[*length - 1] == ' ' ||
	                   (*text)[*length - 1] == '\t'))
		(*length)--;
}

static int email_local_char(int c)
{
	return is_alpha(c) || is_digit(c) || c >= 0x80 ||
	       (c && strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

static int is_email(const char *t, size_t n)
{
	const char *at, *lt;
	size_t i, local, label = 0, labels = 0, tld_letters = 0;

	/* "Ada Lovelace <ada@example.org>" */
	if (n > 2 && t[n - 1] == '>' && (lt = memchr(t, '<', n)) != NULL)
		return is_email(lt + 1, (size_t)(t + n - 1 - (lt + 1)));
	at = memchr(t, '@', n);
	if (!at || memchr(at + 1, '@', n - (size_t)(at - t) - 1))
		return 0;
	local = (size_t)(at - t);
	if (local == 0 || local > 64 || t[0] == '.' || t[local - 1] == '.')
		return 0;
	for (i = 0; i < local; i++)
		if (!email_local_char((unsigned char)t[i]))
			return 0;
	/* Domain: labels of letters, digits, '-' (or UTF-8), dot-separated. */
	for (i = local + 1; i <= n; i++) {
		int c = i < n ? (unsigned char)t[i] : '.';
		if (c == '.') {
			if (label == 0 || t[i - 1] == '-' || t[i - label] == '-')
				return 0;
			labels++;
			if (i == n)
				break;
			label = 0;
			tld_letters = 0;
			continue;
		}
		if (!(is_alpha(c) || is_digit(c) || c == '-' || c >= 0x80))
			return 0;
		label++;
		tld_letters += is_alpha(c) || c >= 0x80;
	}
	/* The top-level label: letters only, two or more ("xn--" labels hold
	 * digits and dashes: allow them). */
	return labels >= 2 && label >= 2 &&
	       (tld_letters == label || (label > 4 && memcmp(t + n - label, "xn--", 4) == 0));
}

static int is_ipv4(const char *t, size_t n)
{
	size_t i = 0, parts = 0;

	for (;;) {
		unsigned value = 0, digits = 0;
		while (i < n && is_digit((unsigned char)t[i]) && digits < 4) {
			value = value * 10 + (unsigned)(t[i] - '0');
			digits++;
			i++;
		}
		if (digits == 0 || digits > 3 || value > 255)
			return 0;
		parts++;
		if (i == n || t[i] == '/')
			break;
		if (t[i] != '.' || parts == 4)
			return 0;
		i++;
	}
	if (parts != 4)
		return 0;
	if (i < n) { /* "/24" */
		unsigned prefix = 0, digits = 0;
		for (i++; i < n && is_digit((unsigned char)t[i]) && digits < 3; i++) {
			prefix = prefix * 10 + (unsigned)(t[i] - '0');
			digits++;
		}
		return i == n && digits > 0 && prefix <= 32;
	}
	return 1;
}

static int is_ipv6(const char *t, size_t n)
{
	size_t i = 0, groups = 0;
	int compressed = 0;
	const char *percent;

	if (n >= 2 && t[0] == '[' && t[n - 1] == ']') {
		t++;
		n -= 2;
	}
	if ((percent = memchr(t, '%', n)) != NULL) /* "fe80::1%eth0" */
		n = (size_t)(percent - t);
	if (n < 2 || !memchr(t, ':', n))
		return 0;
	if (t[0] == ':') {
		if (t[1] != ':')
			return 0;
		compressed = 1;
		i = 2;
	}
	while (i < n) {
		size_t start = i, digits = 0;
		while (i < n && is_hex((unsigned char)t[i]) && digits < 5) {
			digits++;
			i++;
		}
		if (i < n && t[i] == '.') {
			/* An IPv4 tail: the rest, worth two groups. */
			if (!is_ipv4(t + start, n - start))
				return 0;
			groups += 2;
			i = n;
			break;
		}
		if (digits == 0 || digits > 4)
			return 0;
		groups++;
		if (i == n)
			break;
		if (t[i] != ':')
			return 0;
		i++;
		if (i < n && t[i] == ':') {
			if (compressed)
				return 0;
			compressed = 1;
			i++;
		} else if (i == n) {
			return 0; /* a trailing single ':' */
		}
	}
	return compressed ? groups <= 7 : groups == 8;
}

/* Phone numbers: see privacy.h.  strict: only with '+'. */
static int is_phone(const char *t, size_t n, int strict)
{
	size_t i = 0, digits = 0, groups = 0, length[16];
	int plus = 0, open = 0, closed = 0, parenthesized_first = 0;
	char separator = 0;
	int mixed = 0;

	if (n && t[0] == '+') {
		plus = 1;
		i = 1;
	}
	if (strict && !plus)
		return 0;
	while (i < n) {
		int c = (unsigned char)t[i];
		if (is_digit(c)) {
			size_t run = 0;
			while (i < n && is_digit((unsigned char)t[i])) {
				run++;
				i++;
			}
			if (groups == 16)
				return 0;
			length[groups++] = run;
			digits += run;
			continue;
		}
		if (c == '(') {
			/* One pair, around a group: "(555) 123-4567", "+44 (0)20". */
			if (open)
				return 0;
			open = 1;
			if (groups == 0)
				parenthesized_first = 1;
			i++;
			continue;
		}
		if (c == ')') {
			if (!open || closed || groups == 0)
				return 0;
			closed = 1;
			i++;
			continue;
		}
		if (c == ' ' || c == '.' || c == '-') {
			/* Between groups; at most two separators in a row (" - "
			 * is one, as in "020 - 7946"). */
			if (groups == 0 && !open)
				return 0;
			if (i + 1 < n && (t[i + 1] == ' ' || t[i + 1] == '.' || t[i + 1] == '-')) {
				if (i + 2 < n && (t[i + 2] == ' ' || t[i + 2] == '.' || t[i + 2] == '-'))
					return 0;
			}
			if (c != ' ') {
				if (separator && separator != c)
					mixed = 1;
				separator = (char)c;
			}
			i++;
			continue;
		}
		return 0;
	}
	if (open != closed || digits < 7 || digits > 15 || groups == 0 ||
	    !is_digit((unsigned char)t[n - 1]))
		return 0;
	if (plus)
		return 1;
	if (groups < 2)
		return 0;
	if (groups == 2 && !parenthesized_first &&
	    !(t[0] == '0' && length[0] >= 2))
		return 0;
	if (groups == 3 && !parenthesized_first && !mixed &&
	    ((length[0] == 4 && length[1] <= 2 && length[2] <= 2) ||
	     (length[0] <= 2 && length[1] <= 2 && length[2] == 4)))
		return 0; /* a date: 2024-01-15, 15.01.2024, 1.5.2024 */
	if (!parenthesized_first && !mixed && t[0] != '0' && length[0] <= 3) {
		size_t g;
		for (g = 1; g < groups && length[g] == 3; g++)
			;
		if (g == groups)
			return 0; /* thousands: 1 234 567, 12.345.678 */
	}
	return 1;
}

/* ---- identifiers inside a longer text -------------------------------- */

static int domain_char(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c >= 0x80;
}

/* An e-mail address around the '@' at t[at] ("mailto:a@b.cc", "write to
 * a@b.cc;"): the local part runs left over its characters, the domain
 * right over a hostname's; a dotted domain is checked as a whole value is,
 * and "localhost" is the one name without a dot that counts. */
static int email_at(const char *t, size_t n, size_t at)
{
	size_t start = at, end = at + 1;

	while (start > 0 && email_local_char((unsigned char)t[start - 1]) &&
	       t[start - 1] != '@')
		start--;
	while (start < at && t[start] == '.')
		start++;
	while (end < n && domain_char((unsigned char)t[end]))
		end++;
	while (end > at + 1 && (t[end - 1] == '.' || t[end - 1] == '-'))
		end--;
	if (start == at || end == at + 1)
		return 0;
	if (end - (at + 1) == 9 && memcmp(t + at + 1, "localhost", 9) == 0)
		return 1;
	return is_email(t + start, end - start);
}

/* A dotted quad inside a text ("host 10.1.2.3", "10.0.0.1:8080"): four
 * parts of 0-255, not glued to a letter, a digit or a dot before it
 * ("v1.2.3.4", a version, is not an address) nor continued by a digit or
 * ".digit" after it ("1.2.3.4.5"); a "/prefix" after it must be valid. */
static int ipv4_at(const char *t, size_t n, size_t i)
{
	size_t end = i, parts = 0;

	if (i > 0 && (is_alpha((unsigned char)t[i - 1]) ||
	              is_digit((unsigned char)t[i - 1]) || t[i - 1] == '.' ||
	              (unsigned char)t[i - 1] >= 0x80))
		return 0;
	for (;;) {
		size_t digits = 0;
		while (end < n && is_digit((unsigned char)t[end]) && digits < 4) {
			end++;
			digits++;
		}
		if (digits == 0 || digits > 3)
			return 0;
		if (++parts == 4)
			break;
		if (end >= n || t[end] != '.')
			return 0;
		end++;
	}
	if (end < n && (is_digit((unsigned char)t[end]) ||
	                (t[end] == '.' && end + 1 < n &&
	                 is_digit((unsigned char)t[end + 1]))))
		return 0;
	if (end < n && t[end] == '/') {
		size_t stop = end + 1;
		while (stop < n && is_digit((unsigned char)t[stop]))
			stop++;
		return is_ipv4(t + i, stop - i);
	}
	return is_ipv4(t + i, end - i);
}

/* A '+' phone number inside a text ("call +33 6 12 34 56 78 now"). */
static int phone_at(const char *t, size_t n, size_t plus)
{
	size_t end = plus + 1;

	if (plus > 0 && (is_alpha((unsigned char)t[plus - 1]) ||
	                 is_digit((unsigned char)t[plus - 1])))
		return 0;
	while (end < n && (is_digit((unsigned char)t[end]) || t[end] == ' ' ||
	                   t[end] == '.' || t[end] == '-' || t[end] == '(' ||
	                   t[end] == ')'))
		end++;
	while (end > plus + 1 && !is_digit((unsigned char)t[end - 1]))
		end--;
	return is_phone(t + plus, end - plus, 1);
}

/* An IPv6 address as one word of a text (between spaces and the usual
 * punctuation; "[::1]:8080" gives "::1"). */
static int ipv6_word(const char *t, size_t n)
{
	const char *close;

	while (n && strchr("\"'(<,;", t[0]))
		t++, n--;
	while (n && strchr("\"')>,;.", t[n - 1]))
		n--;
	if (n > 2 && t[0] == '[' && (close = memchr(t, ']', n)) != NULL)
		return is_ipv6(t + 1, (size_t)(close - t - 1));
	return n >= 2 && is_ipv6(t, n);
}

/* The unmistakable identifiers anywhere in a text: e-mail and IP
 * addresses and '+' phone numbers. */
static tact_identifier_kind embedded_kind(const char *t, size_t n)
{
	size_t i, word = 0;

	for (i = 0; i < n; i++)
		if (t[i] == '@' && email_at(t, n, i))
			return TACT_IDENTIFIER_EMAIL;
	for (i = 0; i < n; i++)
		if (is_digit((unsigned char)t[i]) && ipv4_at(t, n, i))
			return TACT_IDENTIFIER_IP;
	if (memchr(t, ':', n))
		for (i = 0; i <= n; i++)
			if (i == n || t[i] == ' ' || t[i] == '\t') {
				if (i > word && memchr(t + word, ':', i - word) &&
				    ipv6_word(t + word, i - word))
					return TACT_IDENTIFIER_IP;
				word = i + 1;
			}
	for (i = 0; i < n; i++)
		if (t[i] == '+' && phone_at(t, n, i))
			return TACT_IDENTIFIER_PHONE;
	return TACT_IDENTIFIER_NONE;
}

tact_identifier_kind tact_privacy_value_kind(const char *text, size_t length)
{
	trim(&text, &length);
	if (length < 3)
		return TACT_IDENTIFIER_NONE;
	if (length <= 320) {
		if (memchr(text, '@', length) && is_email(text, length))
			return TACT_IDENTIFIER_EMAIL;
		if (memchr(text, ':', length) && is_ipv6(text, length))
			return TACT_IDENTIFIER_IP;
		if (!memchr(text, ':', length) && is_ipv4(text, length))
			return TACT_IDENTIFIER_IP;
		if (!memchr(text, '@', length) && !memchr(text, ':', length) &&
		    is_phone(text, length, 0))
			return TACT_IDENTIFIER_PHONE;
	}
	/* Inside a longer text: "mailto:a@b.cc", "host 10.1.2.3". */
	return embedded_kind(text, length);
}

tact_identifier_kind tact_privacy_label_kind(const char *text, size_t length)
{
	tact_identifier_kind kind = tact_privacy_value_kind(text, length);

	if (kind == TACT_IDENTIFIER_PHONE) {
		trim(&text, &length);
		if (!is_phone(text, length, 1))
			return embedded_kind(text, length) == TACT_IDENTIFIER_PHONE
			               ? TACT_IDENTIFIER_PHONE
			               : TACT_IDENTIFIER_NONE;
	}
	return kind;
}

tact_identifier_kind tact_privacy_text_kind(const char *text, size_t length)
{
	return embedded_kind(text, length);
}

/* A boolean, or a number of fewer than 7 digits: what no identifier is. */
static int harmless(const char *text, size_t length)
{
	double value;
	size_t i, digits = 0;

	if (tact_parse_boolean(text, length, &value) == 0)
		return 1;
	for (i = 0; i < length; i++)
		digits += is_digit((unsigned char)text[i]) != 0;
	return digits < 7 && (tact_parse_number(text, length, 0, &value) == 0 ||
	                      tact_parse_number(text, length, 1, &value) == 0);
}

/* ---- the detector ---------------------------------------------------- */

tact_status tact_privacy_detector_init(tact_privacy_detector *detector,
                                       char *const *fields,
                                       const size_t *lengths, size_t count,
                                       tact_error *error)
{
	size_t i;

	memset(detector, 0, sizeof *detector);
	detector->columns = calloc(count + 1, sizeof *detector->columns);
	if (!detector->columns)
		return tact_error_oom(error);
	detector->count = count;
	for (i = 0; i < count; i++) {
		tact_privacy_column *c = &detector->columns[i];
		c->name = malloc(lengths[i] + 1);
		if (!c->name) {
			tact_privacy_detector_release(detector);
			return tact_error_oom(error);
		}
		memcpy(c->name, fields[i], lengths[i]);
		c->name[lengths[i]] = '\0';
		c->by_name = tact_privacy_name_kind(fields[i], lengths[i]);
	}
	if (count == 0)
		detector->done = 1;
	return TACT_OK;
}

int tact_privacy_detector_feed(tact_privacy_detector *detector,
                               char *const *fields, const size_t *lengths,
                               size_t count)
{
	size_t i;
	int wanting = 0;

	if (detector->done)
		return 0;
	if (count != detector->count)
		return 1;
	for (i = 0; i < count; i++) {
		tact_privacy_column *c = &detector->columns[i];
		const char *text = fields[i];
		size_t length = lengths[i];

		if (c->seen >= TACT_PRIVACY_SAMPLE)
			continue;
		trim(&text, &length);
		if (length == 0) {
			wanting = 1;
			continue;
		}
		c->seen++;
		c->matches[tact_privacy_value_kind(text, length)]++;
		c->harmless += harmless(text, length) != 0;
		if (c->seen < TACT_PRIVACY_SAMPLE)
			wanting = 1;
	}
	if (++detector->rows >= TACT_PRIVACY_ROWS || !wanting)
		detector->done = 1;
	return !detector->done;
}

void tact_privacy_detector_finish(tact_privacy_detector *detector)
{
	size_t i;
	int k;

	for (i = 0; i < detector->count; i++) {
		tact_privacy_column *c = &detector->columns[i];
		tact_identifier_kind best = TACT_IDENTIFIER_NONE;

		for (k = TACT_IDENTIFIER_EMAIL; k <= TACT_IDENTIFIER_IP; k++)
			if (c->matches[k] > c->matches[best])
				best = (tact_identifier_kind)k;
		c->kind = TACT_IDENTIFIER_NONE;
		c->reason = 0;
		if (best != TACT_IDENTIFIER_NONE && 2 * c->matches[best] > c->seen) {
			c->kind = best;
			c->reason = c->by_name != TACT_IDENTIFIER_NONE
			                    ? TACT_IDENTIFIER_BY_BOTH
			                    : TACT_IDENTIFIER_BY_VALUES;
		} else if (c->by_name != TACT_IDENTIFIER_NONE &&
		           !(c->seen > 0 && c->harmless == c->seen)) {
			c->kind = c->by_name;
			c->reason = TACT_IDENTIFIER_BY_NAME;
		}
	}
	detector->finished = 1;
}

size_t tact_privacy_detector_identifiers(const tact_privacy_detector *detector)
{
	size_t i, n = 0;

	for (i = 0; i < detector->count; i++)
		n += detector->columns[i].kind != TACT_IDENTIFIER_NONE;
	return n;
}

void tact_privacy_detector_release(tact_privacy_detector *detector)
{
	size_t i;

	if (detector->columns)
		for (i = 0; i < detector->count; i++)
			free(detector->columns[i].name);
	free(detector->columns);
	memset(detector, 0, sizeof *detector);
}

/* ---- checks ---------------------------------------------------------- */

tact_status tact_privacy_check_names(char *const *fields, const size_t *lengths,
                                     size_t count, const char *file,
                                     tact_error *error)
{
	size_t i;

	for (i = 0; i < count; i++) {
		tact_identifier_kind kind = embedded_kind(fields[i], lengths[i]);
		if (kind != TACT_IDENTIFIER_NONE)
			return tact_error_set(
				error, TACT_DATA, file, 1, i + 1,
				"the name of column %zu looks like one of %s (not shown): "
				"tact never copies identifiers into its outputs, and column "
				"names go into every one; rename the column", i + 1,
				tact_identifier_kind_text(kind));
	}
	return TACT_OK;
}

static tact_status refuse_column(const tact_privacy_column *c, size_t column,
                                 const char *role, const char *file,
                                 tact_error *error)
{
	return tact_error_set(
		error, TACT_DATA, file, file ? 1 : 0, column + 1,
		"column '%.100s' holds direct identifiers (%s, by its %s) and "
		"cannot be %s: its labels would be copied into every output; "
		"use a coarser column that identifies no one",
		c->name, tact_identifier_kind_text(c->kind),
		tact_identifier_reason_text(c->reason), role);
}

tact_status tact_privacy_check_roles(const tact_privacy_detector *detector,
                                     const tact_column_map *map,
                                     const char *file, tact_error *error)
{
	size_t d;

	if (map->arm < detector->count &&
	    detector->columns[map->arm].kind != TACT_IDENTIFIER_NONE)
		return refuse_column(&detector->columns[map->arm], map->arm,
		                     "the arm", file, error);
	for (d = 0; d < map->dimensions; d++) {
		size_t column = map->dimension_columns[d];
		if (column < detector->count &&
		    detector->columns[column].kind != TACT_IDENTIFIER_NONE)
			return refuse_column(&detector->columns[column], column,
			                     "a segment (--by)", file, error);
	}
	return TACT_OK;
}

static int compare_text_pointers(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int tact_privacy_unit_like(size_t labels, double units)
{
	return labels >= TACT_PRIVACY_UNIT_LIKE_LABELS && 2.0 * (double)labels > units;
}

/* A segment column holding mostly one unit per label is a unit id (a
 * visitor id, a session id): refused as any identifier is. */
static tact_status check_unit_like(const tact_summary *summary,
                                   const char *file, tact_error *error)
{
	const size_t G = summary->group_count;
	const char **labels;
	int64_t units = 0;
	size_t d, g;

	for (g = 0; g < G; g++)
		units += summary->groups[g].units;
	if (G < TACT_PRIVACY_UNIT_LIKE_LABELS || summary->dimensions == 0)
		return TACT_OK;
	labels = calloc(G + 1, sizeof *labels);
	if (!labels)
		return tact_error_oom(error);
	for (d = 0; d < summary->dimensions; d++) {
		size_t distinct = 0;
		for (g = 0; g < G; g++)
			labels[g] = summary->groups[g].labels[d];
		qsort(labels, G, sizeof *labels, compare_text_pointers);
		for (g = 0; g < G; g++)
			distinct += g == 0 || strcmp(labels[g - 1], labels[g]) != 0;
		if (tact_privacy_unit_like(distinct, (double)units)) {
			free((void *)labels);
			return tact_error_set(
				error, TACT_DATA, file, 0, 0,
				"segment '%.100s' has %zu labels for %lld units (mostly one "
				"unit each): it looks like a unit id and would name units in "
				"every output; segment by a coarser column",
				summary->dimension_names[d], distinct, (long long)units);
		}
	}
	free((void *)labels);
	return TACT_OK;
}

tact_status tact_privacy_check_summary(const tact_summary *summary,
                                       const char *file, tact_error *error)
{
	const size_t d = summary->dimensions;
	tact_privacy_detector detector;
	char **names;
	size_t *lengths, i, g;
	const char **row;
	tact_status status = TACT_OK;

	/* The names: a summary file's header was never looked at by a
	 * loader. */
	for (i = 0; i <= d + 1 + summary->metric_count; i++) {
		const char *name = i < d ? summary->dimension_names[i]
		                   : i == d ? summary->arm_name
		                   : i == d + 1 ? summary->unit_name
		                                : summary->metrics[i - d - 2].name;
		tact_identifier_kind kind =
			name ? embedded_kind(name, strlen(name)) : TACT_IDENTIFIER_NONE;
		if (kind != TACT_IDENTIFIER_NONE)
			return tact_error_set(
				error, TACT_DATA, file, 0, 0,
				"a %s name looks like one of %s (not shown): tact never "
				"copies identifiers into its outputs; rename it",
				i < d ? "segment" : i == d ? "arm column" : i == d + 1
				                                  ? "unit column" : "metric",
				tact_identifier_kind_text(kind));
	}
	/* Every label, one by one, in the unmistakable forms. */
	for (g = 0; g < summary->group_count; g++) {
		const tact_summary_group *group = &summary->groups[g];
		tact_identifier_kind kind =
			tact_privacy_label_kind(group->arm, strlen(group->arm));
		if (kind != TACT_IDENTIFIER_NONE)
			return tact_error_set(
				error, TACT_DATA, file, 0, 0,
				"an arm label (column '%.100s') looks like one of %s: tact "
				"never copies identifiers into its outputs; fix the arm "
				"column", summary->arm_name, tact_identifier_kind_text(kind));
		for (i = 0; i < d; i++) {
			kind = tact_privacy_label_kind(group->labels[i],
			                               strlen(group->labels[i]));
			if (kind != TACT_IDENTIFIER_NONE)
				return tact_error_set(
					error, TACT_DATA, file, 0, 0,
					"a label of segment '%.100s' looks like one of %s: tact "
					"never copies identifiers into its outputs; segment by "
					"a column that identifies no one",
					summary->dimension_names[i],
					tact_identifier_kind_text(kind));
		}
	}
	if ((status = check_unit_like(summary, file, error)))
		return status;
	/* The column rules over the labels (a summary file's dimensions were
	 * never looked at by a loader: "first_name", or mostly phones). */
	names = calloc(d + 2, sizeof *names);
	lengths = calloc(d + 2, sizeof *lengths);
	row = calloc(d + 2, sizeof *row);
	if (!names || !lengths || !row) {
		status = tact_error_oom(error);
		goto done;
	}
	for (i = 0; i < d; i++) {
		names[i] = summary->dimension_names[i];
		lengths[i] = strlen(names[i]);
	}
	names[d] = summary->arm_name ? summary->arm_name : "";
	lengths[d] = strlen(names[d]);
	if ((status = tact_privacy_detector_init(&detector, names, lengths, d + 1,
	                                         error)))
		goto done;
	for (g = 0; g < summary->group_count; g++) {
		const tact_summary_group *group = &summary->groups[g];
		for (i = 0; i < d; i++) {
			row[i] = group->labels[i];
			lengths[i] = strlen(row[i]);
		}
		row[d] = group->arm;
		lengths[d] = strlen(row[d]);
		if (!tact_privacy_detector_feed(&detector, (char *const *)row, lengths,
		                                d + 1))
			break;
	}
	tact_privacy_detector_finish(&detector);
	for (i = 0; i <= d && status == TACT_OK; i++)
		if (detector.columns[i].kind != TACT_IDENTIFIER_NONE)
			status = tact_error_set(
				error, TACT_DATA, file, 0, 0,
				"%s '%.100s' holds direct identifiers (%s, by its %s): tact "
				"never copies identifiers into its outputs",
				i == d ? "the arm" : "segment", detector.columns[i].name,
				tact_identifier_kind_text(detector.columns[i].kind),
				tact_identifier_reason_text(detector.columns[i].reason));
	tact_privacy_detector_release(&detector);
done:
	free(names);
	free(lengths);
	free((void *)row);
	return status;
}

/* ---- the suppression decision (privacy.h) ------------------------------ */

int tact_privacy_mode_parse(const char *text, tact_privacy_mode *mode)
{
	if (strcmp(text, "tables") == 0)
		*mode = TACT_PRIVACY_TABLES;
	else if (strcmp(text, "strict") == 0)
		*mode = TACT_PRIVACY_STRICT;
	else
		return -1;
	return 0;
}

tact_status tact_privacy_table_alloc(tact_privacy_table *table,
                                     size_t segments, size_t arms,
                                     size_t metrics, size_t dimensions,
                                     tact_error *error)
{
	memset(table, 0, sizeof *table);
	table->segments = segments;
	table->arms = arms;
	table->metrics = metrics;
	table->dimensions = dimensions;
	table->labels = calloc(segments * dimensions + 1, sizeof *table->labels);
	table->label_counts = calloc(dimensions + 1, sizeof *table->label_counts);
	table->units = calloc(segments * arms + 1, sizeof *table->units);
	table->values = calloc(segments * arms * metrics + 1, sizeof *table->values);
	if (!table->labels || !table->label_counts || !table->units ||
	    !table->values) {
		tact_privacy_table_release(table);
		return tact_error_oom(error);
	}
	return TACT_OK;
}

void tact_privacy_table_release(tact_privacy_table *table)
{
	free(table->labels);
	free(table->label_counts);
	free(table->units);
	free(table->values);
	memset(table, 0, sizeof *table);
}

enum { LINE_GRAND, LINE_ARM, LINE_LABEL, LINE_LOWER };

/* A printed total: the sum of some cells (see privacy.h). */
typedef struct plan_line {
	size_t *cells;           /* cell indices, s * arms + a */
	size_t count;
	int kind;
	unsigned family;         /* lines of one kind: same dimensions, per arm
	                            or over the arms */
	size_t arm, dimension, label; /* LINE_ARM; LINE_LABEL */
	int metrics;             /* printed for the metrics too, not only units */
	int hideable;            /* may be hidden as a complement */
	int fixed;               /* strict: decided by a lower run, as given */
	unsigned char *hidden;   /* per quantity */
	unsigned char *stuck;    /* per quantity: no complement found */
} plan_line;

typedef struct plan_work {
	const tact_privacy_table *t;
	/* strict: per subset (mask) of the dimensions, its run's plan */
	tact_privacy_plan *const *lower;
	int64_t min_cell;
	tact_privacy_mode mode;
	size_t cells, quantities;  /* S * A; 1 + metrics */
	unsigned char *hidden;     /* cells x quantities */
	unsigned char *stuck;
	plan_line *lines;
	size_t line_count, line_capacity;
	size_t **cell_lines;       /* per cell, the lines holding it */
	size_t *cell_line_count;
	/* scratch for the exactness test */
	size_t *column_of;         /* per cell: column in the matrix or -1 */
	size_t *hidden_cells;
	double *matrix, *vector;
	size_t matrix_capacity;    /* doubles */
	size_t *pivots;
	int failed;                /* out of memory */
} plan_work;

static int64_t cell_value(const plan_work *w, size_t c, size_t q)
{
	return q == 0 ? w->t->units[c]
	              : w->t->values[c * w->t->metrics + q - 1];
}

static int64_t line_value(const plan_work *w, const plan_line *l, size_t q)
{
	int64_t total = 0;
	size_t i;

	for (i = 0; i < l->count; i++)
		total += cell_value(w, l->cells[i], q);
	return total;
}

static int line_printed(const plan_line *l, size_t q)
{
	return (q == 0 || l->metrics) && !l->hidden[q];
}

static plan_line *add_line(plan_work *w, int kind, unsigned family,
                           int metrics, int hideable)
{
	plan_line *l;

	if (w->line_count == w->line_capacity) {
		size_t capacity = w->line_capacity ? 2 * w->line_capacity : 16;
		plan_line *lines = realloc(w->lines, capacity * sizeof *lines);
		if (!lines)
			return NULL;
		w->lines = lines;
		w->line_capacity = capacity;
	}
	l = &w->lines[w->line_count];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	l->family = family;
	l->metrics = metrics;
	l->hideable = hideable;
	l->cells = calloc(w->cells + 1, sizeof *l->cells);
	l->hidden = calloc(w->quantities, 1);
	l->stuck = calloc(w->quantities, 1);
	if (!l->cells || !l->hidden || !l->stuck) {
		free(l->cells);
		free(l->hidden);
		free(l->stuck);
		return NULL;
	}
	w->line_count++;
	return l;
}

/* Segment keys over the dimensions of mask, for grouping. */
typedef struct segment_key {
	size_t segment;
	const size_t *labels;
	size_t dimensions;
	unsigned mask;
} segment_key;

static int compare_keys(const void *pa, const void *pb)
{
	const segment_key *a = pa, *b = pb;
	size_t d;

	for (d = 0; d < a->dimensions; d++) {
		if (!(a->mask & (1u << d)))
			continue;
		if (a->labels[d] != b->labels[d])
			return a->labels[d] < b->labels[d] ? -1 : 1;
	}
	return a->segment < b->segment ? -1 : a->segment > b->segment;
}

static int same_group(const segment_key *a, const segment_key *b)
{
	size_t d;

	for (d = 0; d < a->dimensions; d++)
		if ((a->mask & (1u << d)) && a->labels[d] != b->labels[d])
			return 0;
	return 1;
}

/* t's segments as keys over the dimensions of mask, sorted (calloc'ed;
 * NULL on memory). */
static segment_key *sorted_keys(const tact_privacy_table *t, unsigned mask)
{
	const size_t S = t->segments, D = t->dimensions;
	segment_key *keys = calloc(S + 1, sizeof *keys);
	size_t s;

	if (!keys)
		return NULL;
	for (s = 0; s < S; s++) {
		keys[s].segment = s;
		keys[s].labels = &t->labels[s * D];
		keys[s].dimensions = D;
		keys[s].mask = mask;
	}
	qsort(keys, S, sizeof *keys, compare_keys);
	return keys;
}

/*
 * The lines of one subset (mask) of the dimensions: per group of segments
 * agreeing on those dimensions, the total over the arms and (per_arm) one
 * total per arm.
 */
static int add_mask_lines(plan_work *w, unsigned mask, int per_arm,
                          int over_arms, int kind, int metrics, int hideable)
{
	const tact_privacy_table *t = w->t;
	const size_t S = t->segments, A = t->arms, D = t->dimensions;
	segment_key *keys = sorted_keys(t, mask);
	size_t start, a, d;

	if (!keys)
		return -1;
	for (start = 0; start < S;) {
		size_t end = start + 1;
		while (end < S && same_group(&keys[start], &keys[end]))
			end++;
		for (a = 0; a <= A; a++) {
			plan_line *l;
			size_t k;
			if (a < A ? !per_arm : !over_arms)
				continue;
			l = add_line(w, kind, mask * 2u + (a < A), metrics, hideable);
			if (!l) {
				free(keys);
				return -1;
			}
			for (k = start; k < end; k++) {
				size_t b;
				for (b = 0; b < A; b++)
					if (a == A || b == a)
						l->cells[l->count++] = keys[k].segment * A + b;
			}
			if (a < A)
				l->arm = a;
			for (d = 0; d < D; d++)
				if (mask == (1u << d)) {
					l->dimension = d;
					l->label = keys[start].labels[d];
				}
		}
		start = end;
	}
	free(keys);
	return 0;
}

/*
 * Strict mode: the figures of the runs with fewer --by dimensions, as their
 * own decisions (w->lower, per subset of the dimensions) print them: per
 * proper subset, per group and arm, the lower table's cell (for no
 * dimension: the pooled "(all)" figures); over the arms, the grand total
 * and (two dimensions or more) tact-validate's label totals of the
 * one-dimension runs.  None of them is this decision's to hide.
 */
static int build_lower_lines(plan_work *w)
{
	const size_t D = w->t->dimensions, A = w->t->arms, Q = w->quantities;
	const unsigned full = (1u << D) - 1;
	unsigned mask;
	size_t first, i, q, d;

	if (add_mask_lines(w, 0, 0, 1, LINE_GRAND, 1, 0))
		return -1;
	for (mask = 0; mask < full; mask++) {
		const tact_privacy_plan *p = w->lower[mask];
		first = w->line_count;
		if (add_mask_lines(w, mask, 1, 0, mask ? LINE_LOWER : LINE_ARM, 1, 0))
			return -1;
		/* The groups come in the lower table's segment order. */
		for (i = first; i < w->line_count; i++) {
			plan_line *l = &w->lines[i];
			size_t g = (i - first) / A, a = (i - first) % A;
			l->fixed = 1;
			for (q = 0; q < Q; q++)
				l->hidden[q] = mask ? p->cells[(g * A + a) * Q + q]
				                    : p->pooled[a * Q + q];
		}
	}
	if (D == 1)  /* its own label totals */
		return add_mask_lines(w, 1, 0, 1, LINE_LABEL, 0, 1);
	for (d = 0; d < D; d++) {
		const tact_privacy_plan *p = w->lower[1u << d];
		first = w->line_count;
		if (add_mask_lines(w, 1u << d, 0, 1, LINE_LABEL, 0, 0))
			return -1;
		for (i = first; i < w->line_count; i++) {
			plan_line *l = &w->lines[i];
			l->fixed = 1;
			l->hidden[0] = (unsigned char)tact_privacy_label_hidden(p, 0,
			                                                        l->label);
		}
	}
	return 0;
}

static int build_lines(plan_work *w)
{
	const size_t D = w->t->dimensions;
	size_t d, i, c;

	if (w->lower) {
		if (build_lower_lines(w))
			return -1;
	} else {
		/* Everything; per arm (the pooled figures). */
		if (add_mask_lines(w, 0, 0, 1, LINE_GRAND, 1, 0) ||
		    add_mask_lines(w, 0, 1, 0, LINE_ARM, 1, 1))
			return -1;
		/* tact-validate's totals per label: units only. */
		for (d = 0; d < D; d++)
			if (add_mask_lines(w, 1u << d, 0, 1, LINE_LABEL, 0, 1))
				return -1;
	}
	/* Which lines hold each cell. */
	w->cell_lines = calloc(w->cells + 1, sizeof *w->cell_lines);
	w->cell_line_count = calloc(w->cells + 1, sizeof *w->cell_line_count);
	if (!w->cell_lines || !w->cell_line_count)
		return -1;
	for (i = 0; i < w->line_count; i++)
		for (c = 0; c < w->lines[i].count; c++)
			w->cell_line_count[w->lines[i].cells[c]]++;
	for (c = 0; c < w->cells; c++) {
		w->cell_lines[c] = calloc(w->cell_line_count[c] + 1, sizeof(size_t));
		if (!w->cell_lines[c])
			return -1;
		w->cell_line_count[c] = 0;
	}
	for (i = 0; i < w->line_count; i++)
		for (c = 0; c < w->lines[i].count; c++) {
			size_t cell = w->lines[i].cells[c];
			w->cell_lines[cell][w->cell_line_count[cell]++] = i;
		}
	return 0;
}

/* Hide a cell's quantity q (its units: everything). */
static void hide_cell(plan_work *w, size_t c, size_t q)
{
	size_t k;

	if (q == 0)
		for (k = 0; k < w->quantities; k++)
			w->hidden[c * w->quantities + k] = 1;
	else
		w->hidden[c * w->quantities + q] = 1;
}

static void hide_line(plan_work *w, plan_line *l, size_t q)
{
	size_t k;

	if (q == 0)
		for (k = 0; k < w->quantities; k++)
			l->hidden[k] = 1;
	else
		l->hidden[q] = 1;
}

static int cell_hidden(const plan_work *w, size_t c, size_t q)
{
	return w->hidden[c * w->quantities + q];
}

/* Is cell a a better complement than cell b (smaller; not the control)? */
static int better(const plan_work *w, size_t a, size_t b, size_t q)
{
	int64_t va = cell_value(w, a, q), vb = cell_value(w, b, q);
	int ca = a % w->t->arms == 0, cb = b % w->t->arms == 0;

	if (va != vb)
		return va < vb;
	if (ca != cb)
		return cb;
	return a < b;
}

/* The best shown cell of a count above 0 in line l, or -1. */
static size_t smallest_shown(const plan_work *w, const plan_line *l, size_t q,
                             size_t best, int zeros)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		size_t c = l->cells[i];
		if (cell_hidden(w, c, q) || cell_value(w, c, q) < !zeros)
			continue;
		if (best == (size_t)-1 || better(w, c, best, q))
			best = c;
	}
	return best;
}

/* Magnitude: a printed total whose hidden cells add up to 1..min_cell-1. */
static int fix_magnitude(plan_work *w, size_t q)
{
	size_t i, k;

	for (i = 0; i < w->line_count; i++) {
		plan_line *l = &w->lines[i];
		int64_t sum = 0;
		size_t c;
		if (!line_printed(l, q) || l->stuck[q])
			continue;
		for (k = 0; k < l->count; k++)
			if (cell_hidden(w, l->cells[k], q) &&
			    cell_value(w, l->cells[k], q) > 0)
				sum += cell_value(w, l->cells[k], q);
		/* A total of tact-validate that serves no comparison is hidden
		 * as soon as it holds a hidden cell (then it says nothing of
		 * them), not at the cost of a cell the comparisons need. */
		if (sum > 0 && l->kind == LINE_LABEL && l->hideable) {
			hide_line(w, l, q);
			return 1;
		}
		if (sum <= 0 || sum >= w->min_cell)
			continue;
		c = smallest_shown(w, l, q, (size_t)-1, 0);
		if (c == (size_t)-1) {
			l->stuck[q] = 1;
			continue;
		}
		hide_cell(w, c, q);
		return 1;
	}
	return 0;
}

/* Reduced row echelon form of the printed totals over the hidden cells of
 * quantity q; the number of pivot rows. */
static size_t reduce(plan_work *w, size_t q, size_t columns)
{
	const double eps = 1e-9;
	size_t rows = 0, i, k, r, col;

	for (i = 0; i < w->line_count; i++) {
		const plan_line *l = &w->lines[i];
		double *row = &w->matrix[rows * columns];
		int any = 0;
		if (!line_printed(l, q))
			continue;
		memset(row, 0, columns * sizeof *row);
		for (k = 0; k < l->count; k++) {
			size_t column = w->column_of[l->cells[k]];
			if (column != (size_t)-1) {
				row[column] = 1;
				any = 1;
			}
		}
		rows += any;
	}
	r = 0;
	for (col = 0; col < columns && r < rows; col++) {
		size_t pivot = r, j;
		double best = 0, scale;
		for (k = r; k < rows; k++) {
			double v = w->matrix[k * columns + col];
			if ((v < 0 ? -v : v) > best) {
				best = v < 0 ? -v : v;
				pivot = k;
			}
		}
		if (best < eps)
			continue;
		if (pivot != r)
			for (j = 0; j < columns; j++) {
				double tmp = w->matrix[r * columns + j];
				w->matrix[r * columns + j] = w->matrix[pivot * columns + j];
				w->matrix[pivot * columns + j] = tmp;
			}
		scale = w->matrix[r * columns + col];
		for (j = 0; j < columns; j++)
			w->matrix[r * columns + j] /= scale;
		for (k = 0; k < rows; k++) {
			double f = w->matrix[k * columns + col];
			if (k == r || (f < 0 ? -f : f) < eps)
				continue;
			for (j = 0; j < columns; j++)
				w->matrix[k * columns + j] -= f * w->matrix[r * columns + j];
		}
		w->pivots[r++] = col;
	}
	return r;
}

/* Does w->vector (over the hidden cells) follow from the pivot rows? */
static int follows(plan_work *w, size_t rank, size_t columns)
{
	size_t r, j;

	for (r = 0; r < rank; r++) {
		double f = w->vector[w->pivots[r]];
		if (f == 0)
			continue;
		for (j = 0; j < columns; j++)
			w->vector[j] -= f * w->matrix[r * columns + j];
	}
	for (j = 0; j < columns; j++)
		if (w->vector[j] > 1e-7 || w->vector[j] < -1e-7)
			return 0;
	return 1;
}

/* A complement for a hidden figure that follows: the best shown cell of a
 * printed total sharing a hidden cell with it. */
static size_t neighbour(const plan_work *w, const size_t *cells, size_t count,
                        size_t q)
{
	size_t i, k, best = (size_t)-1;

	for (i = 0; i < count; i++) {
		size_t c = cells[i];
		if (!cell_hidden(w, c, q) || cell_value(w, c, q) <= 0)
			continue;
		for (k = 0; k < w->cell_line_count[c]; k++) {
			const plan_line *l = &w->lines[w->cell_lines[c][k]];
			if (line_printed(l, q))
				best = smallest_shown(w, l, q, best, w->lower != NULL);
		}
	}
	return best;
}

/* Does a line hold a hidden cell with a count (then hiding the line takes
 * an equation about the hidden cells away)? */
static int holds_hidden(const plan_work *w, const plan_line *l, size_t q)
{
	size_t k;

	for (k = 0; k < l->count; k++)
		if (cell_hidden(w, l->cells[k], q) && cell_value(w, l->cells[k], q) > 0)
			return 1;
	return 0;
}

/*
 * Strict mode: is a hidden 0 unknown to the reader?  A 0 that follows from
 * the lower tables' margins with the zeros this table shows can give a
 * small count back (its margin, minus the others); hidden, it is one more
 * unknown, and a complement that costs the analyst nothing.  A metric's 0
 * is known when the cell's units are shown as 0.
 */
static int unknown_zero(const plan_work *w, size_t c, size_t q)
{
	return w->lower &&
	       (q == 0 || cell_hidden(w, c, 0) || cell_value(w, c, 0) > 0);
}

/* Exactness: no hidden count follows from the printed ones. */
static int fix_exactness(plan_work *w, size_t q)
{
	size_t columns = 0, rank, c, i, k;

	for (c = 0; c < w->cells; c++) {
		w->column_of[c] = (size_t)-1;
		if (cell_hidden(w, c, q) &&
		    (cell_value(w, c, q) > 0 || unknown_zero(w, c, q))) {
			w->column_of[c] = columns;
			w->hidden_cells[columns++] = c;
		}
	}
	if (columns == 0)
		return 0;
	if (w->line_count * columns > w->matrix_capacity) {
		double *matrix = realloc(w->matrix, w->line_count * columns *
		                                        sizeof *matrix);
		if (!matrix) {
			w->failed = 1;
			return 0;
		}
		w->matrix = matrix;
		w->matrix_capacity = w->line_count * columns;
	}
	rank = reduce(w, q, columns);
	for (k = 0; k < columns; k++) {
		size_t cell = w->hidden_cells[k], best;
		/* Only the counts under min_cell need it: a complement that
		 * follows gives nothing away unless a small count follows too. */
		if (w->stuck[cell * w->quantities + q] ||
		    cell_value(w, cell, q) <= 0 ||
		    cell_value(w, cell, q) >= w->min_cell)
			continue;
		memset(w->vector, 0, columns * sizeof *w->vector);
		w->vector[k] = 1;
		if (!follows(w, rank, columns))
			continue;
		best = neighbour(w, &cell, 1, q);
		if (best != (size_t)-1) {
			hide_cell(w, best, q);
			return 1;
		}
		w->stuck[cell * w->quantities + q] = 1;
	}
	for (i = 0; i < w->line_count; i++) {
		plan_line *l = &w->lines[i], *other = NULL;
		size_t best, j;
		if (l->kind == LINE_GRAND || !l->hidden[q] || l->stuck[q] ||
		    (q > 0 && !l->metrics) || line_value(w, l, q) <= 0 ||
		    line_value(w, l, q) >= w->min_cell)
			continue;
		memset(w->vector, 0, columns * sizeof *w->vector);
		for (k = 0; k < l->count; k++)
			if (w->column_of[l->cells[k]] != (size_t)-1)
				w->vector[w->column_of[l->cells[k]]] = 1;
		if (!follows(w, rank, columns))
			continue;
		/* A segment total given back by the others of its dimension:
		 * hide one more of them (they serve no comparison). */
		best = l->kind == LINE_LABEL ? (size_t)-1
		                             : smallest_shown(w, l, q, (size_t)-1,
		                                              w->lower != NULL);
		if (best == (size_t)-1 && w->mode == TACT_PRIVACY_TABLES)
			for (j = 0; j < w->line_count; j++) {
				plan_line *o = &w->lines[j];
				if (o != l && o->family == l->family && o->hideable &&
				    line_printed(o, q) && holds_hidden(w, o, q) &&
				    (!other || line_value(w, o, q) < line_value(w, other, q) ||
				     (line_value(w, o, q) == line_value(w, other, q) &&
				      other->kind == LINE_ARM && other->arm == 0)))
					other = o;
			}
		if (best == (size_t)-1 && !other)
			best = smallest_shown(w, l, q, (size_t)-1, w->lower != NULL);
		if (best == (size_t)-1 && !other)
			best = neighbour(w, l->cells, l->count, q);
		if (best != (size_t)-1) {
			hide_cell(w, best, q);
			return 1;
		}
		if (other) {
			hide_line(w, other, q);
			return 1;
		}
		l->stuck[q] = 1;
	}
	return 0;
}

static void work_release(plan_work *w)
{
	size_t i;

	for (i = 0; i < w->line_count; i++) {
		free(w->lines[i].cells);
		free(w->lines[i].hidden);
		free(w->lines[i].stuck);
	}
	free(w->lines);
	if (w->cell_lines)
		for (i = 0; i < w->cells; i++)
			free(w->cell_lines[i]);
	free(w->cell_lines);
	free(w->cell_line_count);
	free(w->hidden);
	free(w->stuck);
	free(w->column_of);
	free(w->hidden_cells);
	free(w->matrix);
	free(w->vector);
	free(w->pivots);
}

/* Primary suppression: figures under min_cell (and empty ones). */
static void primary(plan_work *w)
{
	size_t c, q, i;

	/* No units: nothing to hide but nothing to compute either (its
	 * metrics have no values, hidden as such); a 0 is shown as 0. */
	for (c = 0; c < w->cells; c++)
		for (q = 0; q < w->quantities; q++) {
			int64_t v = cell_value(w, c, q);
			if (v < w->min_cell && (q > 0 || v > 0))
				hide_cell(w, c, q);
		}
	for (i = 0; i < w->line_count; i++) {
		plan_line *l = &w->lines[i];
		if (l->kind == LINE_GRAND || l->fixed)
			continue;
		for (q = 0; q < w->quantities; q++) {
			int64_t v = line_value(w, l, q);
			if ((q == 0 || l->metrics) && v < w->min_cell && (q > 0 || v > 0))
				hide_line(w, l, q);
		}
	}
}

static tact_status fill_plan(const plan_work *w, tact_privacy_plan *plan,
                             tact_error *error)
{
	const tact_privacy_table *t = w->t;
	const size_t Q = w->quantities;
	size_t c, q, i, d;

	plan->segments = t->segments;
	plan->arms = t->arms;
	plan->metrics = t->metrics;
	plan->dimensions = t->dimensions;
	plan->min_cell = w->min_cell;
	plan->cells = calloc(w->cells * Q + 1, 1);
	plan->primary = calloc(w->cells * Q + 1, 1);
	plan->pooled = calloc(t->arms * Q + 1, 1);
	plan->label_totals = calloc(t->dimensions + 1, sizeof *plan->label_totals);
	plan->label_counts = calloc(t->dimensions + 1, sizeof *plan->label_counts);
	if (!plan->cells || !plan->primary || !plan->pooled ||
	    !plan->label_totals || !plan->label_counts)
		return tact_error_oom(error);
	for (d = 0; d < t->dimensions; d++) {
		plan->label_counts[d] = t->label_counts[d];
		plan->label_totals[d] = calloc(t->label_counts[d] + 1, 1);
		if (!plan->label_totals[d])
			return tact_error_oom(error);
	}
	for (c = 0; c < w->cells; c++)
		for (q = 0; q < Q; q++) {
			int64_t v = cell_value(w, c, q);
			plan->cells[c * Q + q] = w->hidden[c * Q + q];
			plan->primary[c * Q + q] = v > 0 && v < w->min_cell;
		}
	for (i = 0; i < w->line_count; i++) {
		const plan_line *l = &w->lines[i];
		if (l->kind == LINE_ARM)
			for (q = 0; q < Q; q++)
				plan->pooled[l->arm * Q + q] = l->hidden[q] || l->hidden[0];
		if (l->kind == LINE_LABEL && l->label < t->label_counts[l->dimension])
			plan->label_totals[l->dimension][l->label] = l->hidden[0];
	}
	return TACT_OK;
}

static tact_status decide(const tact_privacy_table *table, int64_t min_cell,
                          tact_privacy_mode mode,
                          tact_privacy_plan *const *lower,
                          tact_privacy_plan *plan, tact_error *error)
{
	plan_work w;
	size_t q;
	tact_status status = TACT_OK;

	memset(plan, 0, sizeof *plan);
	memset(&w, 0, sizeof w);
	w.t = table;
	w.min_cell = min_cell;
	w.mode = mode;
	w.lower = lower;
	w.cells = table->segments * table->arms;
	w.quantities = 1 + table->metrics;
	w.hidden = calloc(w.cells * w.quantities + 1, 1);
	w.stuck = calloc(w.cells * w.quantities + 1, 1);
	w.column_of = calloc(w.cells + 1, sizeof *w.column_of);
	w.hidden_cells = calloc(w.cells + 1, sizeof *w.hidden_cells);
	w.vector = calloc(w.cells + 1, sizeof *w.vector);
	w.pivots = calloc(w.cells + 1, sizeof *w.pivots);
	if (!w.hidden || !w.stuck || !w.column_of || !w.hidden_cells ||
	    !w.vector || !w.pivots || build_lines(&w)) {
		status = tact_error_oom(error);
		goto done;
	}
	primary(&w);
	for (;;) {
		int changed = 0;
		for (q = 0; q < w.quantities && !changed; q++)
			changed = fix_magnitude(&w, q) || fix_exactness(&w, q);
		if (!changed)
			break;
	}
	status = w.failed ? tact_error_oom(error) : fill_plan(&w, plan, error);
done:
	work_release(&w);
	if (status != TACT_OK)
		tact_privacy_plan_release(plan);
	return status;
}

/*
 * The table of a subset (mask) of t's dimensions: its cells summed over
 * the others, segments in the order of their labels (t's segments are),
 * label indices as t's.
 */
static tact_status aggregate(const tact_privacy_table *t, unsigned mask,
                             tact_privacy_table *out, tact_error *error)
{
	const size_t S = t->segments, A = t->arms, M = t->metrics;
	const size_t D = t->dimensions;
	segment_key *keys = sorted_keys(t, mask);
	size_t s, start, groups = 0, d, k, a, m, kept = 0;
	tact_status status;

	if (!keys)
		return tact_error_oom(error);
	for (d = 0; d < D; d++)
		kept += (mask >> d) & 1u;
	for (start = 0; start < S; groups++)
		for (start++; start < S && same_group(&keys[start - 1], &keys[start]);)
			start++;
	if ((status = tact_privacy_table_alloc(out, groups, A, M, kept, error))) {
		free(keys);
		return status;
	}
	for (d = 0, k = 0; d < D; d++)
		if ((mask >> d) & 1u)
			out->label_counts[k++] = t->label_counts[d];
	for (s = 0, groups = 0; s < S; s++) {
		const size_t from = keys[s].segment;
		if (s > 0 && !same_group(&keys[s - 1], &keys[s]))
			groups++;
		for (d = 0, k = 0; d < D; d++)
			if ((mask >> d) & 1u)
				out->labels[groups * kept + k++] = t->labels[from * D + d];
		for (a = 0; a < A; a++) {
			out->units[groups * A + a] += t->units[from * A + a];
			for (m = 0; m < M; m++)
				out->values[(groups * A + a) * M + m] +=
					t->values[(from * A + a) * M + m];
		}
	}
	free(keys);
	return TACT_OK;
}

/* Strict: the plan of subset mask of t's dimensions (t sorted), after
 * those of its own subsets, smallest first; plans[] memoizes per mask. */
static tact_status decide_subset(const tact_privacy_table *t, unsigned mask,
                                 int64_t min_cell, tact_privacy_plan **plans,
                                 tact_error *error)
{
	const size_t D = t->dimensions;
	tact_privacy_plan **lower = NULL;
	tact_privacy_table table;
	unsigned sub, local, count, bit;
	size_t d, k, position[16];
	tact_status status;

	if (plans[mask])
		return TACT_OK;
	/* Its subsets first (the run with that --by decides them so). */
	if (mask) {
		for (sub = (mask - 1) & mask;; sub = (sub - 1) & mask) {
			if ((status = decide_subset(t, sub, min_cell, plans, error)))
				return status;
			if (sub == 0)
				break;
		}
	}
	for (d = 0, k = 0; d < D; d++)
		if ((mask >> d) & 1u)
			position[k++] = d;
	count = 1u << k;
	plans[mask] = calloc(1, sizeof **plans);
	lower = calloc(count, sizeof *lower);
	if (!plans[mask] || !lower) {
		free(lower);
		return tact_error_oom(error);
	}
	/* The lower plans as the run with this --by numbers its subsets. */
	for (local = 0; local + 1 < count; local++) {
		unsigned global = 0;
		for (bit = 0; bit < k; bit++)
			if ((local >> bit) & 1u)
				global |= 1u << position[bit];
		lower[local] = plans[global];
	}
	memset(&table, 0, sizeof table);
	if ((status = aggregate(t, mask, &table, error)) == TACT_OK)
		status = decide(&table, min_cell, TACT_PRIVACY_STRICT,
		                k > 0 ? lower : NULL, plans[mask], error);
	tact_privacy_table_release(&table);
	free(lower);
	return status;
}

static tact_status decide_strict(const tact_privacy_table *t, int64_t min_cell,
                                 tact_privacy_plan *plan, tact_error *error)
{
	const unsigned full = (1u << t->dimensions) - 1, count = full + 1;
	tact_privacy_plan **plans = calloc(count, sizeof *plans);
	unsigned mask;
	tact_status status;

	if (!plans)
		return tact_error_oom(error);
	status = decide_subset(t, full, min_cell, plans, error);
	if (status == TACT_OK) {
		*plan = *plans[full];
		free(plans[full]);
		plans[full] = NULL;
	}
	for (mask = 0; mask < count; mask++)
		if (plans[mask]) {
			tact_privacy_plan_release(plans[mask]);
			free(plans[mask]);
		}
	free(plans);
	return status;
}

/* A copy of table with its segments in the order of their labels; order
 * (S entries) receives each sorted segment's index in table. */
static tact_status sort_table(const tact_privacy_table *table,
                              tact_privacy_table *sorted, size_t *order,
                              tact_error *error)
{
	const size_t S = table->segments, A = table->arms, M = table->metrics;
	const size_t D = table->dimensions;
	segment_key *keys = sorted_keys(table, ~0u);
	size_t i;
	tact_status status;

	memset(sorted, 0, sizeof *sorted);
	if (!keys)
		return tact_error_oom(error);
	for (i = 0; i < S; i++)
		order[i] = keys[i].segment;
	free(keys);
	if ((status = tact_privacy_table_alloc(sorted, S, A, M, D, error)))
		return status;
	memcpy(sorted->label_counts, table->label_counts,
	       D * sizeof *sorted->label_counts);
	for (i = 0; i < S; i++) {
		const size_t from = order[i];
		memcpy(&sorted->labels[i * D], &table->labels[from * D],
		       D * sizeof(size_t));
		memcpy(&sorted->units[i * A], &table->units[from * A],
		       A * sizeof(int64_t));
		memcpy(&sorted->values[i * A * M], &table->values[from * A * M],
		       A * M * sizeof(int64_t));
	}
	return TACT_OK;
}

/* The decision is made over the segments in the order of their labels
 * (label indices are in byte order), so that every tool, whatever order it
 * holds its segments in, makes the same choices among equal candidates. */
tact_status tact_privacy_decide(const tact_privacy_table *table,
                                int64_t min_cell, tact_privacy_mode mode,
                                tact_privacy_plan *plan, tact_error *error)
{
	const size_t S = table->segments, A = table->arms, M = table->metrics;
	const size_t D = table->dimensions, Q = 1 + M;
	size_t *order = calloc(S + 1, sizeof *order);
	unsigned char *cells = malloc(S * A * Q + 1), *primary = malloc(S * A * Q + 1);
	tact_privacy_table sorted;
	size_t i, a;
	tact_status status;

	memset(plan, 0, sizeof *plan);
	memset(&sorted, 0, sizeof sorted);
	if (!order || !cells || !primary) {
		status = tact_error_oom(error);
		goto done;
	}
	if ((status = sort_table(table, &sorted, order, error)))
		goto done;
	if (mode == TACT_PRIVACY_STRICT && D >= 1 && D <= TACT_PRIVACY_STRICT_DIMENSIONS)
		status = decide_strict(&sorted, min_cell, plan, error);
	else
		status = decide(&sorted, min_cell, mode, NULL, plan, error);
	if (status)
		goto done;
	for (i = 0; i < S; i++)
		for (a = 0; a < A; a++) {
			memcpy(&cells[(order[i] * A + a) * Q],
			       &plan->cells[(i * A + a) * Q], Q);
			memcpy(&primary[(order[i] * A + a) * Q],
			       &plan->primary[(i * A + a) * Q], Q);
		}
	free(plan->cells);
	free(plan->primary);
	plan->cells = cells;
	plan->primary = primary;
	cells = primary = NULL;
done:
	tact_privacy_table_release(&sorted);
	free(order);
	free(cells);
	free(primary);
	return status;
}

/* Each sorted segment's group in the table of subset mask (as aggregate
 * numbers them) into groups[order[i]]. */
static tact_status group_segments(const tact_privacy_table *sorted,
                                  unsigned mask, const size_t *order,
                                  size_t *groups, tact_error *error)
{
	const size_t S = sorted->segments;
	segment_key *keys = sorted_keys(sorted, mask);
	size_t s, group = 0;

	if (!keys)
		return tact_error_oom(error);
	for (s = 0; s < S; s++) {
		if (s > 0 && !same_group(&keys[s - 1], &keys[s]))
			group++;
		groups[order[keys[s].segment]] = group;
	}
	free(keys);
	return TACT_OK;
}

tact_status tact_privacy_decide_runs(const tact_privacy_table *table,
                                     int64_t min_cell,
                                     tact_privacy_runs *runs,
                                     tact_error *error)
{
	const size_t S = table->segments, D = table->dimensions;
	const unsigned count = 1u << D;
	size_t *order = NULL;
	tact_privacy_plan **plans = NULL;
	tact_privacy_table sorted;
	unsigned mask;
	tact_status status = TACT_OK;

	memset(runs, 0, sizeof *runs);
	memset(&sorted, 0, sizeof sorted);
	if (D > TACT_PRIVACY_STRICT_DIMENSIONS)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the linked runs are decided for %d "
		                      "dimensions at most, not %zu",
		                      TACT_PRIVACY_STRICT_DIMENSIONS, D);
	runs->dimensions = D;
	runs->segments = S;
	runs->arms = table->arms;
	order = calloc(S + 1, sizeof *order);
	plans = calloc(count, sizeof *plans);
	runs->plans = calloc(count, sizeof *runs->plans);
	runs->groups = calloc((size_t)count * S + 1, sizeof *runs->groups);
	if (!order || !plans || !runs->plans || !runs->groups) {
		status = tact_error_oom(error);
		goto done;
	}
	if ((status = sort_table(table, &sorted, order, error)) ||
	    (status = decide_subset(&sorted, count - 1, min_cell, plans, error)))
		goto done;
	for (mask = 0; mask < count && status == TACT_OK; mask++) {
		runs->plans[mask] = *plans[mask];
		free(plans[mask]);
		plans[mask] = NULL;
		status = group_segments(&sorted, mask, order,
		                        &runs->groups[(size_t)mask * S], error);
	}
done:
	if (plans)
		for (mask = 0; mask < count; mask++)
			if (plans[mask]) {
				tact_privacy_plan_release(plans[mask]);
				free(plans[mask]);
			}
	free(plans);
	free(order);
	tact_privacy_table_release(&sorted);
	if (status != TACT_OK)
		tact_privacy_runs_release(runs);
	return status;
}

int tact_privacy_run_hidden(const tact_privacy_runs *runs, unsigned mask,
                            size_t segment, size_t arm, size_t metric)
{
	const tact_privacy_plan *plan;
	const unsigned char *f;
	size_t Q;

	if (mask >= (1u << runs->dimensions) || segment >= runs->segments ||
	    arm >= runs->arms)
		return 1;
	plan = &runs->plans[mask];
	Q = 1 + plan->metrics;
	f = mask == 0 ? &plan->pooled[arm * Q]
	              : &plan->cells[(runs->groups[(size_t)mask * runs->segments +
	                                           segment] *
	                              plan->arms + arm) * Q];
	return f[0] || (metric != TACT_PRIVACY_UNITS && f[1 + metric]);
}

void tact_privacy_runs_release(tact_privacy_runs *runs)
{
	unsigned mask;

	if (runs->plans)
		for (mask = 0; mask < (1u << runs->dimensions); mask++)
			tact_privacy_plan_release(&runs->plans[mask]);
	free(runs->plans);
	free(runs->groups);
	memset(runs, 0, sizeof *runs);
}

/* ---- the decision over printed lines (tact_privacy_decide_lines) ---- */

typedef struct lines_work {
	const tact_privacy_line *lines;
	size_t count, cells;
	int64_t *value;           /* per line */
	size_t *order;            /* the printed lines, as the basis takes them */
	double *rows;             /* rank x cells: the reduced printed lines */
	double *combos;           /* rank x count: each as a sum of lines */
	size_t *pivots;
	double *x, *combo;        /* scratch */
	size_t rank;
} lines_work;

static int by_value(const lines_work *w, size_t a, size_t b)
{
	const tact_privacy_line *la = &w->lines[a], *lb = &w->lines[b];

	/* Not hideable first, then the hideable ones from the largest. */
	if (la->hideable != lb->hideable)
		return la->hideable ? 1 : -1;
	if (la->hideable && w->value[a] != w->value[b])
		return w->value[a] > w->value[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Reduce w->x (and its combination) by the basis rows. */
static void lines_reduce(lines_work *w)
{
	size_t r, j;

	for (r = 0; r < w->rank; r++) {
		double f = w->x[w->pivots[r]];
		if (f == 0)
			continue;
		for (j = 0; j < w->cells; j++)
			w->x[j] -= f * w->rows[r * w->cells + j];
		for (j = 0; j < w->count; j++)
			w->combo[j] -= f * w->combos[r * w->count + j];
	}
}

static void lines_load(lines_work *w, size_t line, int own)
{
	const tact_privacy_line *l = &w->lines[line];
	size_t k;

	memset(w->x, 0, w->cells * sizeof *w->x);
	memset(w->combo, 0, w->count * sizeof *w->combo);
	for (k = 0; k < l->count; k++)
		w->x[l->cells[k]] += 1;
	if (own)
		w->combo[line] = 1;
}

/* The basis of the printed lines, in w->order's order. */
static void lines_basis(lines_work *w)
{
	size_t i, j, printed = 0;

	for (i = 0; i < w->count; i++)
		if (!w->lines[i].hidden)
			w->order[printed++] = i;
	/* Insertion sort: few lines, and stable. */
	for (i = 1; i < printed; i++) {
		size_t v = w->order[i];
		for (j = i; j > 0 && by_value(w, w->order[j - 1], v) > 0; j--)
			w->order[j] = w->order[j - 1];
		w->order[j] = v;
	}
	w->rank = 0;
	for (i = 0; i < printed; i++) {
		size_t pivot = 0;
		double best = 0, scale;
		lines_load(w, w->order[i], 1);
		lines_reduce(w);
		for (j = 0; j < w->cells; j++)
			if (fabs(w->x[j]) > best) {
				best = fabs(w->x[j]);
				pivot = j;
			}
		if (best < 1e-9)
			continue;
		scale = w->x[pivot];
		for (j = 0; j < w->cells; j++)
			w->rows[w->rank * w->cells + j] = w->x[j] / scale;
		for (j = 0; j < w->count; j++)
			w->combos[w->rank * w->count + j] = w->combo[j] / scale;
		w->pivots[w->rank++] = pivot;
	}
}

/* Line p if it is a shown hideable line of at least least, smaller than
 * best (the first among equals), else best. */
static size_t smaller_line(const lines_work *w, const tact_privacy_line *lines,
                           size_t p, size_t best, int64_t least)
{
	if (lines[p].hidden || !lines[p].hideable || w->value[p] < least)
		return best;
	if (best == (size_t)-1 || w->value[p] < w->value[best] ||
	    (w->value[p] == w->value[best] && p < best))
		return p;
	return best;
}

/* Hide line best (1), or, when there is none, take line i as stuck (0). */
static int hide_best(tact_privacy_line *lines, size_t best,
                     unsigned char *stuck, size_t i)
{
	if (best == (size_t)-1) {
		stuck[i] = 1;
		return 0;
	}
	lines[best].hidden = 1;
	return 1;
}

/* Magnitude over the parts of the printed lines; 1 when a part is hidden. */
static int lines_magnitude(lines_work *w, tact_privacy_line *lines,
                           unsigned char *stuck, int64_t min_cell)
{
	size_t i, k;

	for (i = 0; i < w->count; i++) {
		const tact_privacy_line *l = &lines[i];
		int64_t sum = 0;
		size_t best = (size_t)-1;
		if (l->hidden || stuck[i] || l->part_count == 0)
			continue;
		for (k = 0; k < l->part_count; k++)
			if (lines[l->parts[k]].hidden && w->value[l->parts[k]] > 0)
				sum += w->value[l->parts[k]];
		if (sum <= 0 || sum >= min_cell)
			continue;
		for (k = 0; k < l->part_count; k++)
			best = smaller_line(w, lines, l->parts[k], best, 1);
		if (hide_best(lines, best, stuck, i))
			return 1;
	}
	return 0;
}

/* Exactness; 1 when a line is hidden. */
static int lines_exactness(lines_work *w, tact_privacy_line *lines,
                           unsigned char *stuck, int64_t min_cell)
{
	size_t i, j;

	lines_basis(w);
	for (i = 0; i < w->count; i++) {
		size_t best = (size_t)-1;
		int zero = 1;
		if (!lines[i].hidden || stuck[i] || w->value[i] <= 0 ||
		    w->value[i] >= min_cell)
			continue;
		lines_load(w, i, 0);
		lines_reduce(w);
		for (j = 0; j < w->cells && zero; j++)
			zero = fabs(w->x[j]) < 1e-7;
		if (!zero)
			continue;
		for (j = 0; j < w->count; j++)
			if (fabs(w->combo[j]) >= 1e-7)
				best = smaller_line(w, lines, j, best, 0);
		if (hide_best(lines, best, stuck, i))
			return 1;
	}
	return 0;
}

tact_status tact_privacy_decide_lines(const int64_t *values, size_t cells,
                                      tact_privacy_line *lines, size_t count,
                                      int64_t min_cell, tact_error *error)
{
	lines_work w;
	unsigned char *stuck = calloc(count + 1, 1);
	unsigned char *mstuck = calloc(count + 1, 1);
	size_t i, k, rank = cells < count ? cells : count;
	tact_status status = TACT_OK;

	memset(&w, 0, sizeof w);
	w.lines = lines;
	w.count = count;
	w.cells = cells;
	w.value = calloc(count + 1, sizeof *w.value);
	w.order = calloc(count + 1, sizeof *w.order);
	w.rows = calloc(rank * cells + 1, sizeof *w.rows);
	w.combos = calloc(rank * count + 1, sizeof *w.combos);
	w.pivots = calloc(rank + 1, sizeof *w.pivots);
	w.x = calloc(cells + 1, sizeof *w.x);
	w.combo = calloc(count + 1, sizeof *w.combo);
	if (!stuck || !mstuck || !w.value || !w.order || !w.rows || !w.combos ||
	    !w.pivots || !w.x || !w.combo) {
		status = tact_error_oom(error);
		goto done;
	}
	for (i = 0; i < count; i++) {
		for (k = 0; k < lines[i].count; k++)
			w.value[i] += values[lines[i].cells[k]];
		if (lines[i].hideable && w.value[i] > 0 && w.value[i] < min_cell)
			lines[i].hidden = 1;
	}
	while (lines_magnitude(&w, lines, mstuck, min_cell) ||
	       lines_exactness(&w, lines, stuck, min_cell))
		;
done:
	free(stuck);
	free(mstuck);
	free(w.value);
	free(w.order);
	free(w.rows);
	free(w.combos);
	free(w.pivots);
	free(w.x);
	free(w.combo);
	return status;
}

void tact_privacy_plan_release(tact_privacy_plan *plan)
{
	size_t d;

	if (plan->label_totals)
		for (d = 0; d < plan->dimensions; d++)
			free(plan->label_totals[d]);
	free(plan->label_totals);
	free(plan->label_counts);
	free(plan->cells);
	free(plan->primary);
	free(plan->pooled);
	memset(plan, 0, sizeof *plan);
}

static const unsigned char *figure(const tact_privacy_plan *plan,
                                   const unsigned char *cells, size_t segment,
                                   size_t arm)
{
	const size_t Q = 1 + plan->metrics;

	if (segment == 0)
		return &plan->pooled[arm * Q];
	return &cells[((segment - 1) * plan->arms + arm) * Q];
}

int tact_privacy_hidden(const tact_privacy_plan *plan, size_t segment,
                        size_t arm, size_t metric)
{
	const unsigned char *f;

	if (segment > plan->segments || arm >= plan->arms)
		return 1;
	f = figure(plan, plan->cells, segment, arm);
	return f[0] || (metric != TACT_PRIVACY_UNITS && f[1 + metric]);
}

int tact_privacy_primary(const tact_privacy_plan *plan, size_t segment,
                         size_t arm, size_t metric)
{
	if (segment == 0 || segment > plan->segments || arm >= plan->arms)
		return 0;
	return figure(plan, plan->primary, segment, arm)
		[metric == TACT_PRIVACY_UNITS ? 0 : 1 + metric];
}

int tact_privacy_segment_hidden(const tact_privacy_plan *plan,
                                size_t segment, size_t metric)
{
	size_t a;

	for (a = 0; a < plan->arms; a++)
		if (tact_privacy_hidden(plan, segment, a, metric))
			return 1;
	return 0;
}

int tact_privacy_label_hidden(const tact_privacy_plan *plan, size_t d,
                              size_t label)
{
	return d < plan->dimensions && label < plan->label_counts[d] &&
	       plan->label_totals[d][label];
}

static int compare_label_pointers(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Each segment's label of each dimension as an index into its sorted
 * distinct labels.  labels[s][d] for s in [first, first + S). */
static int index_labels(char ***labels, size_t first, tact_privacy_table *t)
{
	const size_t S = t->segments, D = t->dimensions;
	const char **sorted = calloc(S + 1, sizeof *sorted);
	size_t s, d;

	if (!sorted)
		return -1;
	for (d = 0; d < D; d++) {
		size_t n = 0;
		for (s = 0; s < S; s++)
			sorted[s] = labels[first + s][d];
		qsort(sorted, S, sizeof *sorted, compare_label_pointers);
		for (s = 0; s < S; s++)
			if (n == 0 || strcmp(sorted[n - 1], sorted[s]) != 0)
				sorted[n++] = sorted[s];
		t->label_counts[d] = n;
		for (s = 0; s < S; s++) {
			const char *key = labels[first + s][d];
			const char **found = bsearch(&key, sorted, n, sizeof *sorted,
			                             compare_label_pointers);
			t->labels[s * D + d] = (size_t)(found - sorted);
		}
	}
	free((void *)sorted);
	return 0;
}

tact_status tact_privacy_table_from_segments(const tact_segments *cells,
                                             tact_privacy_table *table,
                                             tact_error *error)
{
	const tact_summary *summary = cells->summary;
	const size_t M = summary->metric_count, A = cells->arm_count;
	/* With no --by the pooled segment is the only one: the table's. */
	const size_t first = cells->count > 1 ? 1 : 0;
	const size_t S = cells->count - first;
	const size_t D = first ? summary->dimensions : 0;
	size_t s, a, m;
	tact_status status;

	if ((status = tact_privacy_table_alloc(table, S, A, M, D, error)))
		return status;
	for (s = 0; s < S; s++)
		for (a = 0; a < A; a++) {
			table->units[s * A + a] = tact_segments_units(cells, first + s, a);
			for (m = 0; m < M; m++)
				table->values[(s * A + a) * M + m] =
					tact_segments_metric(cells, first + s, a, m)->n;
		}
	if (D > 0 && index_labels(cells->labels, first, table)) {
		tact_privacy_table_release(table);
		return tact_error_oom(error);
	}
	return TACT_OK;
}

tact_status tact_privacy_decide_segments(const tact_segments *cells,
                                         int64_t min_cell,
                                         tact_privacy_mode mode,
                                         tact_privacy_plan *plan,
                                         tact_error *error)
{
	tact_privacy_table table;
	tact_status status;

	memset(plan, 0, sizeof *plan);
	if ((status = tact_privacy_table_from_segments(cells, &table, error)))
		return status;
	status = tact_privacy_decide(&table, min_cell, mode, plan, error);
	tact_privacy_table_release(&table);
	return status;
}

char *tact_privacy_segment_key(char *const *labels, size_t D, size_t *length)
{
	size_t d, n = 0;
	char *key;

	for (d = 0; d < D; d++)
		n += 8 + strlen(labels[d]);
	key = malloc(n + 1);
	if (!key)
		return NULL;
	*length = 0;
	for (d = 0; d < D; d++) {
		uint64_t l = strlen(labels[d]);
		memcpy(key + *length, &l, 8);
		memcpy(key + *length + 8, labels[d], l);
		*length += 8 + l;
	}
	return key;
}

/* A group's segment key. */
static char *segment_key_text(const tact_summary_group *group, size_t D,
                              size_t *length)
{
	return tact_privacy_segment_key(group->labels, D, length);
}

/* Arms renumbered as tact_segments numbers them: the control first, then
 * the others in byte order. */
static int arms_in_order(const tact_summary *summary, const tact_keymap *arms,
                         size_t *group_arm, size_t groups)
{
	const size_t A = arms->count;
	const char **names = calloc(A + 1, sizeof *names);
	size_t *number = calloc(A + 1, sizeof *number);
	size_t a, g, first = 0, length;

	if (!names || !number) {
		free((void *)names);
		free(number);
		return -1;
	}
	for (a = 0; a < A; a++)
		names[a] = tact_keymap_key(arms, a, &length);
	if (A > 0 && summary->control && strcmp(names[0], summary->control) == 0)
		first = 1; /* interned first when it occurs */
	qsort(names + first, A - first, sizeof *names, compare_label_pointers);
	for (a = 0; a < A; a++) {
		size_t k, n = strlen(names[a]);
		for (k = 0; k < A; k++) {
			const char *key = tact_keymap_key(arms, k, &length);
			if (length == n && memcmp(key, names[a], n) == 0)
				number[k] = a;
		}
	}
	for (g = 0; g < groups; g++)
		group_arm[g] = number[group_arm[g]];
	free((void *)names);
	free(number);
	return 0;
}

tact_status tact_privacy_table_from_summary(const tact_summary *summary,
                                            tact_privacy_table *table,
                                            size_t *group_segment,
                                            size_t *group_arm,
                                            tact_error *error)
{
	const size_t G = summary->group_count, D = summary->dimensions;
	const size_t M = summary->metric_count;
	tact_keymap segments, arms;
	char ***labels = NULL;
	size_t g, m, S, A;
	int added;
	tact_status status = TACT_OK;

	memset(table, 0, sizeof *table);
	tact_keymap_init(&segments);
	tact_keymap_init(&arms);
	for (g = 0; g < G && summary->control; g++)
		if (strcmp(summary->groups[g].arm, summary->control) == 0) {
			if (tact_keymap_intern(&arms, summary->control,
			                       strlen(summary->control), &added) ==
			    TACT_KEYMAP_NONE)
				goto memory;
			break;
		}
	for (g = 0; g < G; g++) {
		const tact_summary_group *group = &summary->groups[g];
		size_t length;
		char *key = segment_key_text(group, D, &length);
		if (!key)
			goto memory;
		group_segment[g] = tact_keymap_intern(&segments, key, length, &added);
		free(key);
		group_arm[g] = tact_keymap_intern(&arms, group->arm,
		                                  strlen(group->arm), &added);
		if (group_segment[g] == TACT_KEYMAP_NONE ||
		    group_arm[g] == TACT_KEYMAP_NONE)
			goto memory;
	}
	S = segments.count;
	A = arms.count;
	labels = calloc(S + 1, sizeof *labels);
	if (!labels || arms_in_order(summary, &arms, group_arm, G))
		goto memory;
	if ((status = tact_privacy_table_alloc(table, S, A, M, D, error)))
		goto done;
	for (g = 0; g < G; g++) {
		const tact_summary_group *group = &summary->groups[g];
		size_t c = group_segment[g] * A + group_arm[g];
		labels[group_segment[g]] = group->labels;
		table->units[c] += group->units;
		for (m = 0; m < M; m++)
			table->values[c * M + m] += group->metrics[m].n;
		group_segment[g]++; /* as tact_privacy_hidden counts */
	}
	if (D > 0 && index_labels(labels, 0, table)) {
		tact_privacy_table_release(table);
		goto memory;
	}
	goto done;
memory:
	status = tact_error_oom(error);
done:
	free(labels);
	tact_keymap_release(&segments);
	tact_keymap_release(&arms);
	return status;
}
