/*
 * privacy.c - direct identifiers by column name and by values, the checks
 * that keep them out of outputs, and complementary suppression (see
 * privacy.h).
 */
#include "privacy.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"

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

static tact_status no_memory(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
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
		return no_memory(error);
	detector->count = count;
	for (i = 0; i < count; i++) {
		tact_privacy_column *c = &detector->columns[i];
		c->name = malloc(lengths[i] + 1);
		if (!c->name) {
			tact_privacy_detector_release(detector);
			return no_memory(error);
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
	/* The column rules over the labels (a summary file's dimensions were
	 * never looked at by a loader: "first_name", or mostly phones). */
	names = calloc(d + 2, sizeof *names);
	lengths = calloc(d + 2, sizeof *lengths);
	row = calloc(d + 2, sizeof *row);
	if (!names || !lengths || !row) {
		status = no_memory(error);
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

/* ---- complementary suppression --------------------------------------- */

size_t tact_privacy_complement(const int64_t *counts, unsigned char *hidden,
                               size_t n, int64_t min_cell)
{
	size_t added = 0;

	for (;;) {
		int64_t hidden_total = 0;
		size_t i, smallest = n;
		for (i = 0; i < n; i++) {
			if (hidden[i])
				hidden_total += counts[i] > 0 ? counts[i] : 0;
			else if (counts[i] > 0 &&
			         (smallest == n || counts[i] < counts[smallest]))
				smallest = i;
		}
		if (hidden_total <= 0 || hidden_total >= min_cell || smallest == n)
			return added;
		hidden[smallest] = 1;
		added++;
	}
}
