/*
 * intentapply.c - an intent model applied to an export, row by row (see
 * intentapply.h).
 *
 * Speed: this runs once per row of exports of hundreds of millions of rows,
 * so nothing is allocated per row, rows are assembled in one buffer written
 * in large blocks, and probabilities skip printf (whose %.17g-then-check
 * shortest form costs a microsecond a number; format.h's formatter is kept
 * for outputs where round-tripping matters, which a probability appended for
 * a decision does not).
 */
#include "intentapply.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "intentscore.h"
#include "parse.h"

#define BUFFER_SIZE (1u << 18)
#define PROBABILITY_MAX 24

/* ---- probabilities ---------------------------------------------------- */

static const double powers_of_ten[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define TEN_DIGITS UINT64_C(10000000000)
#define NINE_DIGITS UINT64_C(1000000000)

/* 10^k for 0 <= k <= 340: exact up to 22, within a few ulps beyond (only
 * the exponent form of tiny probabilities uses those). */
static double power_of_ten(int k)
{
	double result = 1;

	while (k > 22) {
		result *= 1e22;
		k -= 22;
	}
	return result * powers_of_ten[k];
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Write the 10 digits of m (10^9 <= m < 10^10) without trailing zeros,
 * a mark after the first when point.  Returns the length; up to 11 bytes
 * are written.  The first two digits come from a table; the last eight are
 * made side by side in one 64-bit word (a digit a byte, the most
 * significant in the lowest byte), which gives the last non-zero digit by a
 * count of leading zero bits and goes out as one store: no division chain,
 * no loop over trailing zeros, no read-back of bytes just stored. */
static size_t digits(char *out, uint64_t m, int point, char mark)
{
	const uint32_t high = (uint32_t)(m / 100000000u);
	const uint32_t low = (uint32_t)(m % 100000000u);
	/* Two 4-digit halves in 32-bit lanes, then 2-digit quarters in 16-bit
	 * lanes, then digits in bytes: x / 100 = x * 10486 >> 20 for x below
	 * 10^4 and x / 10 = x * 103 >> 10 for x below 100 (both checked for
	 * every x), and no lane's product reaches the next lane. */
	uint64_t v = (low / 10000u) | ((uint64_t)(low % 10000u) << 32), q;
	uint64_t ascii;
	char *d = out + (point ? 1 : 0);
	int last;

	q = ((v * 10486) >> 20) & UINT64_C(0x0000007F0000007F);
	v = q | ((v - q * 100) << 16);
	q = ((v * 103) >> 10) & UINT64_C(0x000F000F000F000F);
	v = q | ((v - q * 10) << 8);
	ascii = v + UINT64_C(0x3030303030303030);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	ascii = __builtin_bswap64(ascii);  /* the first digit at the lowest address */
#endif
	memcpy(d, digit_pairs + 2 * high, 2);
	memcpy(d + 2, &ascii, 8);
	if (v)
		last = 2 + (63 - __builtin_clzll(v)) / 8;
	else
		last = high % 10 ? 1 : 0;
	if (!point)
		return (size_t)last + 1;
	/* d[0], the mark, d[1..last]. */
	out[0] = d[0];
	if (last == 0)
		return 1;
	out[1] = mark;
	return (size_t)last + 2;
}

size_t tact_intent_format_probability(char *buffer, double p,
                                      int decimal_comma)
{
	const char mark = decimal_comma ? ',' : '.';
	size_t n = 0;
	uint64_t m;
	int e;

	if (!(p > 0)) {
		buffer[0] = '0';
		return 1;
	}
	if (p >= 1) {
		buffer[0] = '1';
		return 1;
	}
	if (p >= 1e-4) {
		/* Without a branch on the magnitude (probabilities of every size
		 * come in random order). */
		e = -1 - (p < 0.1) - (p < 0.01) - (p < 0.001);
		/* 10^(9 - e) is exact, so the product is rounded once; the
		 * product is positive and below 2^63, so adding one half and
		 * truncating rounds it (half up) without llround's call. */
		m = (uint64_t)(p * powers_of_ten[9 - e] + 0.5);
		if (m >= TEN_DIGITS) {
			m /= 10;
			e++;
		}
		if (e == 0) {
			buffer[0] = '1';
			return 1;
		}
		buffer[0] = '0';
		buffer[1] = mark;
		/* -1 - e zeros after the mark (0 to 3): written always, kept as
		 * many as needed. */
		memcpy(buffer + 2, "000", 3);
		n = 2 + (size_t)(-1 - e);
		return n + digits(buffer + n, m, 0, mark);
	}
	e = (int)floor(log10(p));
	m = (uint64_t)((e < -300 ? p * 1e300 * power_of_ten(9 - e - 300)
	                         : p * power_of_ten(9 - e)) + 0.5);
	if (m >= TEN_DIGITS) {
		m = (m + 5) / 10;
		e++;
	} else if (m < NINE_DIGITS) {
		m *= 10;
		e--;
	}
	if (e >= -4)  /* rounded up to 1e-4 */
		return tact_intent_format_probability(buffer, 1e-4, decimal_comma);
	n = digits(buffer, m, 1, mark);
	buffer[n++] = 'e';
	buffer[n++] = '-';
	e = -e;
	if (e >= 100)
		buffer[n++] = (char)('0' + e / 100);
	buffer[n++] = (char)('0' + e / 10 % 10);
	buffer[n++] = (char)('0' + e % 10);
	return n;
}

/* ---- the stream --------------------------------------------------------- */

void tact_intent_apply_options_init(tact_intent_apply_options *options)
{
	memset(options, 0, sizeof *options);
	options->threshold = NAN;
	options->consent = "consent";
}

typedef struct applier {
	tact_intent_model *model;
	const tact_intent_apply_options *options;
	tact_intent_apply_report *report;
	const char *file;
	FILE *out;
	int bom;                   /* write a byte-order mark before the header */
	char delimiter;
	size_t *columns;           /* features' fields */
	tact_intent_scorer scorer; /* a logistic model's, bound to the header */
	size_t consent;            /* the consent field, or (size_t)-1 */
	double *eta, *probabilities, *priors;
	char **class_fields;       /* per class, the predicted field, quoted */
	size_t *class_lengths;
	size_t appended_max;       /* bytes the appended fields can take */
	char *buffer;
	size_t used, capacity;
} applier;

static tact_status out_of_memory(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
	                      "apply: out of memory");
}

static void flush(applier *a)
{
	if (a->used)
		fwrite(a->buffer, 1, a->used, a->out);
	a->used = 0;
}

/* The name of appended column i (0: predicted_<label>, then one per class). */
static void appended_name(const applier *a, size_t i, char *name, size_t size)
{
	if (i == 0)
		snprintf(name, size, "predicted_%s", a->model->label);
	else
		snprintf(name, size, "probability_%s", a->model->classes[i - 1]);
}

static size_t line_end(const char *raw, size_t length)
{
	if (length >= 2 && raw[length - 2] == '\r' && raw[length - 1] == '\n')
		return 2;
	if (length >= 1 && raw[length - 1] == '\n')
		return 1;
	return 0;
}

/* Is field i of record the text name?  (With keep_raw, fields are not
 * NUL-terminated.) */
static int field_is(const tact_csv_record *record, size_t i, const char *name)
{
	return record->lengths[i] == strlen(name) &&
	       memcmp(record->fields[i], name, record->lengths[i]) == 0;
}

static tact_status write_header(applier *a, const tact_csv_record *record,
                                tact_error *error)
{
	const size_t appended = 1 + (a->model->rules ? 0 : a->model->class_count);
	const size_t end = line_end(record->raw, record->raw_length);
	size_t i, j;
	tact_status status;

	a->delimiter = record->delimiter;
	a->consent = (size_t)-1;
	if (a->options->consent && *a->options->consent) {
		for (i = 0; i < record->count; i++)
			if (field_is(record, i, a->options->consent))
				a->consent = i;
		if (a->consent == (size_t)-1 && a->options->consent_set)
			return tact_error_set(error, TACT_DATA, a->file, record->line, 0,
			                      "no column '%s' (the consent) in the header",
			                      a->options->consent);
	}
	if (a->model->rules)
		status = tact_rule_set_bind(&a->model->rule_set,
		                            record, a->file, error);
	else if ((status = tact_intent_bind(a->model, record, a->file,
	                                    a->columns, error)) == TACT_OK)
		status = tact_intent_scorer_build(&a->scorer, a->model, a->columns,
		                                  error);
	if (status != TACT_OK)
		return status;
	for (i = 0; i < appended; i++) {
		char name[TACT_ERROR_MESSAGE_MAX / 2];
		appended_name(a, i, name, sizeof name);
		for (j = 0; j < record->count; j++)
			if (field_is(record, j, name)) {
				char shown[200];
				tact_error_quote(name, strlen(name), shown, sizeof shown);
				return tact_error_set(error, TACT_DATA, a->file, record->line,
				                      j + 1,
				                      "the export already has a column '%s' "
				                      "(applied twice?)", shown);
			}
	}
	/* The predicted class of each row, quoted once here. */
	a->appended_max = 0;
	for (i = 0; i < a->model->class_count; i++) {
		FILE *memory = open_memstream(&a->class_fields[i], &a->class_lengths[i]);
		if (!memory)
			return out_of_memory(error);
		tact_format_csv_string(memory, a->model->classes[i], a->delimiter);
		if (fclose(memory) != 0)
			return out_of_memory(error);
		if (a->class_lengths[i] > a->appended_max)
			a->appended_max = a->class_lengths[i];
	}
	a->appended_max += appended * (1 + PROBABILITY_MAX + 2) + 2;

	if (a->bom)
		fputs("\xEF\xBB\xBF", a->out);
	fwrite(record->raw, 1, record->raw_length - end, a->out);
	for (i = 0; i < appended; i++) {
		char name[TACT_ERROR_MESSAGE_MAX / 2];
		appended_name(a, i, name, sizeof name);
		putc(a->delimiter, a->out);
		tact_format_csv_string(a->out, name, a->delimiter);
	}
	fwrite(record->raw + record->raw_length - end, 1, end, a->out);
	return TACT_OK;
}

static tact_status make_room(applier *a, size_t need, tact_error *error)
{
	if (a->used + need <= a->capacity)
		return TACT_OK;
	flush(a);
	if (need > a->capacity) {
		char *bigger = realloc(a->buffer, need);
		if (!bigger)
			return out_of_memory(error);
		a->buffer = bigger;
		a->capacity = need;
	}
	return TACT_OK;
}

static tact_status on_row(void *context, const tact_csv_record *record,
                          tact_error *error)
{
	applier *a = context;
	const tact_intent_model *model = a->model;
	const size_t K = model->class_count;
	const size_t end = line_end(record->raw, record->raw_length);
	const size_t body = record->raw_length - end;
	const int comma = a->options->decimal_comma;
	const int quote = comma && a->delimiter == ',';
	char *out;
	size_t k, predicted = 0, which = 0;
	int outcome = 0;
	tact_status status = TACT_OK;

	if (record->index == 0)
		return write_header(a, record, error);
	/* A row without consent is not scored: its prediction stays empty. */
	if (a->consent != (size_t)-1) {
		double given = 0;
		if (tact_parse_boolean(record->fields[a->consent],
		                       record->lengths[a->consent], &given) != 0 ||
		    given != 1.0)
			outcome = 3;
	}
	if (outcome == 3) {
		/* nothing to compute */
	} else if (model->rules) {
		status = tact_rule_set_classify(&model->rule_set, record, a->file,
		                                &predicted, error);
	} else {
		/* Records come from the reader: their fields are padded. */
		status = tact_intent_score(&a->scorer, record, comma, a->file, a->eta,
		                           &outcome, &which, error);
		if (status == TACT_OK && outcome == 0) {
			tact_intent_probabilities(model, a->eta, a->probabilities);
			if (a->priors)
				tact_intent_shift(a->probabilities, a->priors,
				                  model->class_counts, K);
			predicted = tact_intent_decide(a->probabilities, K,
			                               a->options->threshold);
		}
	}
	if (status != TACT_OK)
		return status;
	status = make_room(a, body + a->appended_max, error);
	if (status != TACT_OK)
		return status;
	out = a->buffer + a->used;
	memcpy(out, record->raw, body);
	out += body;
	*out++ = a->delimiter;
	if (outcome == 0) {
		memcpy(out, a->class_fields[predicted], a->class_lengths[predicted]);
		out += a->class_lengths[predicted];
	} else if (a->report) {
		if (outcome == 3)
			a->report->no_consent++;
		else if (outcome == 1)
			a->report->missing++;
		else if (a->report->unseen++ == 0) {
			const tact_intent_feature *f = &model->features[which];
			const size_t c = a->columns[which];
			char shown[120];
			tact_error_quote(record->fields[c], record->lengths[c], shown,
			                 sizeof shown);
			snprintf(a->report->first_unseen, sizeof a->report->first_unseen,
			         "%s=%s (line %llu)", f->name, shown,
			         (unsigned long long)record->line);
		}
	}
	if (!model->rules)
		for (k = 0; k < K; k++) {
			*out++ = a->delimiter;
			if (outcome != 0)
				continue;
			if (quote)
				*out++ = '"';
			out += tact_intent_format_probability(out, a->probabilities[k],
			                                      comma);
			if (quote)
				*out++ = '"';
		}
	memcpy(out, record->raw + body, end);
	out += end;
	a->used = (size_t)(out - a->buffer);
	if (a->report)
		a->report->rows++;
	return TACT_OK;
}

char *tact_intent_apply_describe(const tact_intent_apply_report *r,
                                 char *buffer, size_t size)
{
	int n;

	if (!r->missing && !r->unseen)
		n = snprintf(buffer, size, "%llu rows", (unsigned long long)r->rows);
	else
		n = snprintf(buffer, size,
		         "%llu of %llu rows without a prediction: %llu with an empty "
		         "feature, %llu with a level the training never saw%s%s%s",
		         (unsigned long long)(r->missing + r->unseen),
		         (unsigned long long)r->rows, (unsigned long long)r->missing,
		         (unsigned long long)r->unseen, r->unseen ? " (the first: " : "",
		         r->first_unseen, r->unseen ? ")" : "");
	if (r->no_consent && n > 0 && (size_t)n < size)
		snprintf(buffer + n, size - (size_t)n,
		         "; %llu rows without consent left unscored",
		         (unsigned long long)r->no_consent);
	return buffer;
}

/* Does the file at path start with a UTF-8 byte-order mark?  (The reader
 * skips it and does not say; standard input cannot be peeked at.) */
static int starts_with_bom(const char *path)
{
	unsigned char head[3];
	FILE *in;
	int bom;

	if (strcmp(path, "-") == 0)
		return 0;
	in = fopen(path, "rb");
	if (!in)
		return 0;
	bom = fread(head, 1, 3, in) == 3 && head[0] == 0xEF && head[1] == 0xBB &&
	      head[2] == 0xBF;
	fclose(in);
	return bom;
}

static tact_status check_decision(const tact_intent_model *model,
                                  const tact_intent_apply_options *options,
                                  double *priors, tact_error *error)
{
	const double t = options->threshold;

	if (model->rules && (!isnan(t) || options->priors))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "rules give classes, not probabilities: no "
		                      "--threshold or --priors with rules");
	if (!isnan(t) && model->class_count != 2)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "a threshold needs two classes, the model has "
		                      "%zu (use --priors)", model->class_count);
	if (!isnan(t) && !(t >= 0 && t <= 1))
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the threshold must lie between 0 and 1, got %g",
		                      t);
	if (options->priors)
		return tact_intent_priors_parse(options->priors, model->classes,
		                                model->class_count, priors, error);
	return TACT_OK;
}

tact_status tact_intent_apply(tact_intent_model *model, const char *path,
                              const tact_intent_apply_options *options,
                              FILE *out, tact_intent_apply_report *report,
                              tact_error *error)
{
	const size_t K = model->class_count;
	tact_csv_options csv;
	applier a;
	tact_status status;
	size_t k;

	memset(&a, 0, sizeof a);
	a.model = model;
	a.options = options;
	a.report = report;
	a.file = tact_csv_display_name(path);
	a.out = out;
	if (report)
		memset(report, 0, sizeof *report);
	a.columns = calloc(model->feature_count + 1, sizeof *a.columns);
	a.eta = calloc(K + 1, sizeof *a.eta);
	a.probabilities = calloc(K + 1, sizeof *a.probabilities);
	a.priors = options->priors ? calloc(K + 1, sizeof *a.priors) : NULL;
	a.class_fields = calloc(K + 1, sizeof *a.class_fields);
	a.class_lengths = calloc(K + 1, sizeof *a.class_lengths);
	a.buffer = malloc(BUFFER_SIZE);
	a.capacity = BUFFER_SIZE;
	if (!a.columns || !a.eta || !a.probabilities ||
	    (options->priors && !a.priors) || !a.class_fields ||
	    !a.class_lengths || !a.buffer) {
		status = out_of_memory(error);
		goto done;
	}
	status = check_decision(model, options, a.priors, error);
	if (status != TACT_OK)
		goto done;
	a.bom = starts_with_bom(path);
	model->rule_set.decimal_comma = options->decimal_comma;
	tact_csv_options_init(&csv);
	csv.delimiter = options->delimiter;
	csv.keep_raw = 1;
	csv.progress = options->progress;
	csv.progress_context = options->progress_context;
	status = tact_csv_read_file(path, &csv, on_row, &a, error);
	if (status == TACT_OK)
		flush(&a);
done:
	for (k = 0; a.class_fields && k < K; k++)
		free(a.class_fields[k]);
	free(a.class_fields);
	free(a.class_lengths);
	tact_intent_scorer_release(&a.scorer);
	free(a.columns);
	free(a.eta);
	free(a.probabilities);
	free(a.priors);
	free(a.buffer);
	return status;
}
