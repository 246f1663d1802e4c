/*
 * intentapply.c - an intent model applied to an export, row by row (see
 * intent.h).
 *
 * Speed: this runs once per row of exports of hundreds of millions of rows,
 * so nothing is allocated per row, rows are assembled in one buffer written
 * in large blocks, and probabilities skip printf (whose %.17g-then-check
 * shortest form costs a microsecond a number; format.h's formatter is kept
 * for outputs where round-tripping matters, which a probability appended for
 * a decision does not).
 */
#include "intent_internal.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
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

/* "000" to "999", 3 bytes each (and a NUL: 4 bytes may be read from any). */
#define D10(p) p "0" p "1" p "2" p "3" p "4" p "5" p "6" p "7" p "8" p "9"
#define D100(p) D10(p "0") D10(p "1") D10(p "2") D10(p "3") D10(p "4") \
	D10(p "5") D10(p "6") D10(p "7") D10(p "8") D10(p "9")
static const char digit_triples[] = D100("0") D100("1") D100("2") D100("3")
	D100("4") D100("5") D100("6") D100("7") D100("8") D100("9");
#undef D100
#undef D10

/* For 0 to 999: the digits up to its last non-zero one, of its three (0
 * for 0): "120" has 2.  g = 100a + 10b + c: 3 when c, else 2 when b,
 * else 1 when a. */
#define L10(z) z, 3, 3, 3, 3, 3, 3, 3, 3, 3
#define L100(z) L10(z), L10(2), L10(2), L10(2), L10(2), L10(2), L10(2), \
	L10(2), L10(2), L10(2)
static const unsigned char group_length[1000] = {
	L100(0), L100(1), L100(1), L100(1), L100(1), L100(1), L100(1),
	L100(1), L100(1), L100(1)
};
#undef L100
#undef L10

/*
 * Write the 10 digits of m (10^9 <= m < 10^10) without trailing zeros, a
 * mark after the first when point.  Returns the length; up to 12 bytes are
 * written.  The digits after the first come three at a time from a table
 * of 3 KB (four bytes stored, the fourth overwritten by the next three):
 * three divisions by constants and three loads, where making them by
 * arithmetic is a chain of a dozen multiplications.
 */
static inline __attribute__((always_inline)) size_t
digits(char *out, uint64_t m, int point, char mark)
{
	const uint32_t first = (uint32_t)(m / 1000000000u);
	const uint32_t rest = (uint32_t)(m - (uint64_t)first * 1000000000u);
	const uint32_t g1 = rest / 1000000u, low = rest % 1000000u;
	const uint32_t g2 = low / 1000u, g3 = low % 1000u;
	char *d = out + (point ? 1 : 0);
	int last;

	d[0] = (char)('0' + first);
	memcpy(d + 1, digit_triples + 3 * g1, 4);
	memcpy(d + 4, digit_triples + 3 * g2, 4);
	memcpy(d + 7, digit_triples + 3 * g3, 4);
	/* The last non-zero digit: in the last non-zero group (almost always
	 * the third), its position within it, from a table (where testing
	 * the group's last digits is a branch mispredicted one time in
	 * ten). */
	if (g3)
		last = 6 + group_length[g3];
	else if (g2)
		last = 3 + group_length[g2];
	else
		last = group_length[g1];
	if (!point)
		return (size_t)last + 1;
	/* d[0], the mark, d[1..last]. */
	out[0] = d[0];
	if (last == 0)
		return 1;
	out[1] = mark;
	return (size_t)last + 2;
}

/* p in [1e-4, 1): "0.", up to three zeros, the digits; or "1" when p
 * rounds up to 1. */
static inline __attribute__((always_inline)) size_t
format_usual(char *buffer, double p, char mark)
{
	/* Without a branch on the magnitude (probabilities of every size come
	 * in random order). */
	int e = -1 - (p < 0.1) - (p < 0.01) - (p < 0.001);
	/* 10^(9 - e) is exact, so the product is rounded once; the product is
	 * positive and below 2^63, so adding one half and truncating rounds it
	 * (half up) without llround's call, and the signed conversion is one
	 * instruction (the unsigned one tests for 2^63 first). */
	uint64_t m = (uint64_t)(int64_t)(p * powers_of_ten[9 - e] + 0.5);
	size_t n;

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
	/* -1 - e zeros after the mark (0 to 3): written always, kept as many
	 * as needed. */
	memcpy(buffer + 2, "000", 3);
	n = 2 + (size_t)(-1 - e);
	return n + digits(buffer + n, m, 0, mark);
}

/* The rest: 0, 1, and below 1e-4 the exponent form (kept out of the
 * usual path, whose registers it would take). */
static __attribute__((noinline)) size_t format_rare(char *buffer, double p,
                                                     char mark)
{
	size_t n;
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
		return format_usual(buffer, 1e-4, mark);
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

static inline size_t format_probability(char *buffer, double p, char mark)
{
	if (p >= 1e-4 && p < 1)
		return format_usual(buffer, p, mark);
	return format_rare(buffer, p, mark);
}

size_t tact_intent_format_probability(char *buffer, double p,
                                      int decimal_comma)
{
	return format_probability(buffer, p, decimal_comma ? ',' : '.');
}

/* ---- the stream --------------------------------------------------------- */

void tact_intent_apply_options_init(tact_intent_apply_options *options)
{
	memset(options, 0, sizeof *options);
	options->threshold = NAN;
	options->consent = "consent";
}

/*
 * An applier turns records into output rows.  The model, the header's
 * binding and the class fields are shared, read only once rows flow, by
 * the parts of a parallel run; each part has its own scores, buffer and
 * counts.
 */
typedef struct applier {
	tact_intent_model *model;
	const tact_intent_apply_options *options;
	const char *file;
	char delimiter;
	size_t header_count;       /* fields in the header */
	size_t *columns;           /* features' fields */
	tact_intent_scorer scorer; /* a logistic model's, bound to the header */
	size_t consent;            /* the consent field, or (size_t)-1 */
	double *priors;
	char **class_fields;       /* per class, the predicted field, quoted */
	size_t *class_lengths;
	size_t appended_max;       /* bytes the appended fields can take */
	/* Each stream's own: */
	FILE *out;                 /* rows go out as the buffer fills; NULL:
	                              the buffer grows (a part, written later) */
	double *probabilities;     /* the row's scores, then in place its
	                              probabilities (a copy from one to the
	                              other read 8-byte stores with a wider
	                              load: a stall, 7% of a four-class
	                              apply) */
	char *buffer;
	size_t used, capacity;
	tact_intent_apply_report counts; /* first_unseen without its line */
	uint64_t unseen_line;      /* the line of the first unseen level */
} applier;

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
	a->header_count = record->count;
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
			return tact_error_oom(error);
		tact_format_csv_data_string(memory, a->model->classes[i], a->delimiter);
		if (fclose(memory) != 0)
			return tact_error_oom(error);
		if (a->class_lengths[i] > a->appended_max)
			a->appended_max = a->class_lengths[i];
	}
	a->appended_max += appended * (1 + PROBABILITY_MAX + 2) + 2;

	if (record->bom)  /* the input's, kept */
		fputs("\xEF\xBB\xBF", a->out);
	fwrite(record->raw, 1, record->raw_length - end, a->out);
	for (i = 0; i < appended; i++) {
		char name[TACT_ERROR_MESSAGE_MAX / 2];
		appended_name(a, i, name, sizeof name);
		putc(a->delimiter, a->out);
		tact_format_csv_data_string(a->out, name, a->delimiter);
	}
	fwrite(record->raw + record->raw_length - end, 1, end, a->out);
	return TACT_OK;
}

static tact_status make_room(applier *a, size_t need, tact_error *error)
{
	size_t capacity;
	char *bigger;

	if (a->used + need <= a->capacity)
		return TACT_OK;
	if (a->out) {
		flush(a);
		if (need <= a->capacity)
			return TACT_OK;
		capacity = need;
	} else {
		capacity = 2 * a->capacity > a->used + need ? 2 * a->capacity
		                                            : a->used + need;
	}
	bigger = realloc(a->buffer, capacity);
	if (!bigger)
		return tact_error_oom(error);
	a->buffer = bigger;
	a->capacity = capacity;
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
	const char mark = comma ? ',' : '.';
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
		status = tact_intent_score(&a->scorer, record, comma, a->file,
		                           a->probabilities, &outcome, &which, error);
		if (status == TACT_OK && outcome == 0) {
			tact_intent_probabilities(model, a->probabilities,
			                          a->probabilities);
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
	/* The row's bytes, 16 at a time: the raw bytes have that many readable
	 * past their end, and the buffer room for the appended fields (no
	 * call for a copy of a length that varies). */
	for (k = 0; k < body; k += 16)
		memcpy(out + k, record->raw + k, 16);
	out += body;
	*out++ = a->delimiter;
	if (outcome == 0) {
		memcpy(out, a->class_fields[predicted], a->class_lengths[predicted]);
		out += a->class_lengths[predicted];
	} else if (outcome == 3) {
		a->counts.no_consent++;
	} else if (outcome == 1) {
		a->counts.missing++;
	} else if (a->counts.unseen++ == 0) {
		const tact_intent_feature *f = &model->features[which];
		const size_t c = a->columns[which];
		char shown[120];
		tact_error_quote(record->fields[c], record->lengths[c], shown,
		                 sizeof shown);
		snprintf(a->counts.first_unseen, sizeof a->counts.first_unseen,
		         "%s=%s", f->name, shown);
		a->unseen_line = record->line;
	}
	if (!model->rules)
		for (k = 0; k < K; k++) {
			*out++ = a->delimiter;
			if (outcome != 0)
				continue;
			if (quote)
				*out++ = '"';
			out += format_probability(out, a->probabilities[k], mark);
			if (quote)
				*out++ = '"';
		}
	memcpy(out, record->raw + body, end);
	out += end;
	a->used = (size_t)(out - a->buffer);
	a->counts.rows++;
	return TACT_OK;
}

/* Add a's counts to report; a's lines are base + line - 1 in the file. */
static void add_counts(tact_intent_apply_report *report, const applier *a,
                       uint64_t base)
{
	if (!report)
		return;
	if (a->counts.unseen && !report->unseen)
		snprintf(report->first_unseen, sizeof report->first_unseen,
		         "%.160s (line %llu)", a->counts.first_unseen,
		         (unsigned long long)(base + a->unseen_line - 1));
	report->rows += a->counts.rows;
	report->missing += a->counts.missing;
	report->unseen += a->counts.unseen;
	report->no_consent += a->counts.no_consent;
}

/* a's own parts (the rest may be a copy of another applier's), its
 * buffer of capacity bytes given or allocated: without out, the buffer
 * grows. */
static tact_status stream_init(applier *a, FILE *out, char *buffer,
                               size_t capacity, tact_error *error)
{
	const size_t K = a->model->class_count;

	a->out = out;
	a->used = 0;
	a->capacity = capacity;
	memset(&a->counts, 0, sizeof a->counts);
	a->unseen_line = 0;
	a->probabilities = calloc(K + 1, sizeof *a->probabilities);
	a->buffer = buffer ? buffer : malloc(capacity);
	if (!a->probabilities || !a->buffer)
		return tact_error_oom(error);
	return TACT_OK;
}

static void stream_release(applier *a)
{
	free(a->probabilities);
	free(a->buffer);
	a->probabilities = NULL;
	a->buffer = NULL;
}

/* ---- several threads ------------------------------------------------- */

/*
 * A large file is cut into parts of whole lines (a part begins at the first
 * line start at or after a multiple of part_bytes), applied by worker
 * threads into memory and written in order by whichever worker finds the
 * next part to write done; a worker takes a part at most two per thread
 * ahead of the next part to write.  A part whose reading fails, or ends
 * inside a quoted field (it was cut at a newline inside quotes), stops the
 * workers and is read again from its start by the calling thread alone,
 * to the end of the file, with its first line's number: whatever it finds
 * (an error, a row with a level never seen) is reported as one reading
 * would.  The output is byte for byte that of one thread.
 */

/* Parts of 1 MiB: a part's rows (its buffer: 1.5 MiB) stay in the cache
 * of the core that writes them; larger parts were slower (4 MiB by 2%,
 * 64 MiB by 17% on 3 million rows), smaller ones too (256 KiB by 5%). */
#define PART_BYTES (UINT64_C(1) << 20)

struct pool;

typedef struct part {
	struct pool *pool;
	uint64_t start, end;       /* whole lines of the file */
	applier a;                 /* its rows, in memory */
	tact_status status;
	tact_error error;
	tact_csv_outcome outcome;
	uint64_t progress;         /* bytes it has reported */
	int done;
} part;

typedef struct pool {
	const applier *shared;     /* bound to the header */
	const char *path;
	tact_csv_options csv;      /* how parts are read */
	const tact_intent_apply_options *options;
	part *parts;
	size_t count, next, written, window;
	uint64_t part_bytes;
	int stop;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	uint64_t read, offset, total; /* progress: bytes of the parts read, the
	                                 offset of the first, the file's size */
	/* Buffers of parts written, for later parts (fresh memory would cost
	 * a page fault per page); the last one given back is taken first, by
	 * the thread that wrote it, still in its cache. */
	char **spare;
	size_t *spare_capacity, spares;
	/* Writing, by whichever thread finds the next part done: */
	int writing;               /* a thread is writing */
	FILE *out;
	tact_intent_apply_report *report;
	uint64_t base;             /* the line where the next part begins */
	uint64_t rest;             /* the offset where the next part begins */
} pool;

static void part_progress(void *context, uint64_t done, uint64_t total)
{
	part *t = context;
	pool *p = t->pool;

	(void)total;
	pthread_mutex_lock(&p->lock);
	p->read += done - t->progress;
	t->progress = done;
	p->options->progress(p->options->progress_context, p->offset + p->read,
	                     p->total);
	pthread_mutex_unlock(&p->lock);
}

/* The calling thread alone, after a part that failed: from offset on. */
static void rest_progress(void *context, uint64_t done, uint64_t total)
{
	pool *p = context;

	(void)total;
	p->options->progress(p->options->progress_context, p->offset + done,
	                     p->total);
}

/* Part t, read with the worker's buffers (kept from part to part). */
static void run_part(pool *p, part *t, tact_csv_buffers *buffers)
{
	tact_csv_options csv = p->csv;
	char *buffer = NULL;
	/* Room for the part with half as much again appended (the buffer
	 * grows if a part needs more).  Parts differ from part_bytes by less
	 * than a line: sized as one of part_bytes and 64 KiB more, all but
	 * those with lines longer than that take the same size, and a spare
	 * buffer serves any of them (sized by its own length, half the
	 * parts, those a little longer than part_bytes, would not fit in the
	 * spare of a shorter one, and would take fresh memory). */
	const uint64_t usual = p->part_bytes + 65536;
	const uint64_t longer = t->end - t->start > usual ? t->end - t->start
	                                                 : usual;
	size_t capacity = (size_t)(longer + longer / 2 + 65536);
	size_t spare_capacity = 0;

	tact_error_init(&t->error);
	t->a = *p->shared;
	pthread_mutex_lock(&p->lock);
	if (p->spares) {
		p->spares--;
		buffer = p->spare[p->spares];
		spare_capacity = p->spare_capacity[p->spares];
	}
	pthread_mutex_unlock(&p->lock);
	if (buffer && spare_capacity < capacity) {
		free(buffer);   /* a part with a long line: a fresh buffer */
		buffer = NULL;
	} else if (buffer) {
		capacity = spare_capacity;
	}
	t->status = stream_init(&t->a, NULL, buffer, capacity, &t->error);
	if (t->status != TACT_OK)
		return;
	if (t->end <= t->start) {
		t->outcome.clean_end = 1;
		t->outcome.next_line = 1;
		return;
	}
	csv.range_start = t->start;
	csv.range_end = t->end;
	csv.outcome = &t->outcome;
	csv.buffers = buffers;
	csv.progress = p->options->progress ? part_progress : NULL;
	csv.progress_context = t;
	t->status = tact_csv_read_file(p->path, &csv, on_row, &t->a, &t->error);
}

/*
 * Write the parts that are done, in order, from the next one to write, and
 * give their buffers back; unless a thread is at it already (it writes
 * these too).  A part that failed stops everything: the calling thread
 * reads on from its start.  Called, and returns, with the lock held.
 */
static void write_done_parts(pool *p)
{
	if (p->writing)
		return;
	p->writing = 1;
	while (!p->stop && p->written < p->count && p->parts[p->written].done) {
		part *t = &p->parts[p->written];
		if (t->status != TACT_OK || !t->outcome.clean_end) {
			p->stop = 1;
			break;
		}
		pthread_mutex_unlock(&p->lock);
		/* Only the writing thread touches out, report, base and rest. */
		if (t->a.used)
			fwrite(t->a.buffer, 1, t->a.used, p->out);
		add_counts(p->report, &t->a, p->base);
		p->base += t->outcome.next_line - 1;
		p->rest = t->end;
		pthread_mutex_lock(&p->lock);
		if (p->spare && p->spares <= p->window) {
			p->spare_capacity[p->spares] = t->a.capacity;
			p->spare[p->spares++] = t->a.buffer;
			t->a.buffer = NULL;
		}
		stream_release(&t->a);
		p->written++;
		pthread_cond_broadcast(&p->changed);  /* the window moved */
	}
	p->writing = 0;
}

static void *worker(void *argument)
{
	pool *p = argument;
	tact_csv_buffers buffers;

	tact_csv_buffers_init(&buffers);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		size_t k;
		while (!p->stop && p->next < p->count &&
		       p->next >= p->written + p->window)
			pthread_cond_wait(&p->changed, &p->lock);
		if (p->stop || p->next >= p->count)
			break;
		k = p->next++;
		pthread_mutex_unlock(&p->lock);
		run_part(p, &p->parts[k], &buffers);
		pthread_mutex_lock(&p->lock);
		p->parts[k].done = 1;
		write_done_parts(p);
		pthread_cond_broadcast(&p->changed);
	}
	pthread_mutex_unlock(&p->lock);
	tact_csv_buffers_release(&buffers);
	return NULL;
}

/* Cut [data, size) of the file at path into p->parts; 0 when there is
 * nothing to cut or it cannot be opened (one thread will then say why). */
static int cut_parts(pool *p, uint64_t data, uint64_t size, uint64_t part_bytes)
{
	size_t k;
	int fd;

	if (data >= size)
		return 0;  /* no rows: nothing to cut */
	fd = open(p->path, O_RDONLY);
	if (fd < 0)
		return 0;
	p->count = (size_t)((size - data + part_bytes - 1) / part_bytes);
	p->parts = calloc(p->count + 1, sizeof *p->parts);
	if (!p->parts) {
		close(fd);
		return 0;
	}
	for (k = 0; k < p->count; k++) {
		uint64_t start = k == 0 ? data
		                        : tact_csv_line_start(fd, data + k * part_bytes,
		                                              size);
		p->parts[k].pool = p;
		p->parts[k].start = start;
		if (k > 0)
			p->parts[k - 1].end = start > p->parts[k - 1].start
			                              ? start : p->parts[k - 1].start;
	}
	p->parts[p->count - 1].end = size;
	close(fd);
	return 1;
}

/*
 * Apply to path with several threads, writing through a (bound to the
 * header here).  *used is 0 when the input does not lend itself (standard
 * input, not a regular file, under two parts, one thread): nothing was read
 * and the caller reads it with one thread.
 */
static tact_status apply_parallel(applier *a, const char *path,
                                  const tact_csv_options *reading,
                                  long threads, uint64_t part_bytes,
                                  tact_intent_apply_report *report, int *used,
                                  tact_error *error)
{
	tact_csv_options csv = *reading;
	tact_csv_outcome header_end;
	struct stat info;
	pthread_t *ids;
	size_t k, started = 0, thread_count;
	tact_status status;
	pool p;

	*used = 0;
	if (threads < 2 || strcmp(path, "-") == 0 || stat(path, &info) != 0 ||
	    !S_ISREG(info.st_mode) || (uint64_t)info.st_size < 2 * part_bytes)
		return TACT_OK;
	*used = 1;
	/* The header: it binds a, and goes out first. */
	memset(&header_end, 0, sizeof header_end);
	csv.stop_after = 1;
	csv.outcome = &header_end;
	csv.progress = NULL;
	status = tact_csv_read_file(path, &csv, on_row, a, error);
	if (status != TACT_OK)
		return status;
	memset(&p, 0, sizeof p);
	p.shared = a;
	p.path = path;
	p.options = a->options;
	p.csv = *reading;
	p.csv.delimiter = a->delimiter;
	p.csv.header_fields = a->header_count;
	p.offset = header_end.end_offset;
	p.total = (uint64_t)info.st_size;
	p.part_bytes = part_bytes;
	p.out = a->out;
	p.report = report;
	p.base = header_end.next_line;
	p.rest = header_end.end_offset;
	/* Without parts or threads, the calling thread reads all the rows
	 * below, as after a part that failed. */
	thread_count = 0;
	if (cut_parts(&p, header_end.end_offset, p.total, part_bytes))
		thread_count = (size_t)threads < p.count ? (size_t)threads : p.count;
	p.window = 2 * thread_count;
	ids = calloc(thread_count + 1, sizeof *ids);
	p.spare = calloc(p.window + 2, sizeof *p.spare);
	p.spare_capacity = calloc(p.window + 2, sizeof *p.spare_capacity);
	if (!p.spare || !p.spare_capacity) {
		free(p.spare);
		p.spare = NULL;  /* parts then get fresh buffers */
	}
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.changed, NULL);
	for (k = 0; ids && k < thread_count; k++)
		if (pthread_create(&ids[k], NULL, worker, &p) == 0)
			started++;
	for (k = 0; k < started; k++)
		pthread_join(ids[k], NULL);
	for (k = 0; k < p.count; k++)
		stream_release(&p.parts[k].a);
	if (p.rest < p.total) {
		/* From the first part not written to the end, one thread. */
		csv = p.csv;
		csv.range_start = p.rest;
		csv.range_end = p.total;
		csv.first_line = p.base;
		p.offset = p.rest;
		csv.progress = a->options->progress ? rest_progress : NULL;
		csv.progress_context = &p;
		status = tact_csv_read_file(path, &csv, on_row, a, error);
		if (status == TACT_OK) {
			flush(a);
			add_counts(report, a, 1);
		}
	}
	pthread_cond_destroy(&p.changed);
	pthread_mutex_destroy(&p.lock);
	for (k = 0; k < p.spares; k++)
		free(p.spare[k]);
	free(p.spare);
	free(p.spare_capacity);
	free(ids);
	free(p.parts);
	return status;
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
	const long threads = options->threads ? options->threads
	                                      : sysconf(_SC_NPROCESSORS_ONLN);
	tact_csv_options csv;
	applier a;
	tact_status status;
	size_t k;
	int used = 0;

	memset(&a, 0, sizeof a);
	a.model = model;
	a.options = options;
	a.file = tact_csv_display_name(path);
	if (report)
		memset(report, 0, sizeof *report);
	a.columns = calloc(model->feature_count + 1, sizeof *a.columns);
	a.priors = options->priors ? calloc(K + 1, sizeof *a.priors) : NULL;
	a.class_fields = calloc(K + 1, sizeof *a.class_fields);
	a.class_lengths = calloc(K + 1, sizeof *a.class_lengths);
	if (!a.columns || (options->priors && !a.priors) || !a.class_fields ||
	    !a.class_lengths) {
		status = tact_error_oom(error);
		goto done;
	}
	status = stream_init(&a, out, NULL, BUFFER_SIZE, error);
	if (status != TACT_OK)
		goto done;
	status = check_decision(model, options, a.priors, error);
	if (status != TACT_OK)
		goto done;
	model->rule_set.decimal_comma = options->decimal_comma;
	tact_csv_options_init(&csv);
	csv.delimiter = options->delimiter;
	csv.keep_raw = 1;
	csv.progress = options->progress;
	csv.progress_context = options->progress_context;
	status = apply_parallel(&a, path, &csv, threads,
	                        options->part_bytes ? options->part_bytes
	                                            : PART_BYTES,
	                        report, &used, error);
	if (status == TACT_OK && !used) {
		status = tact_csv_read_file(path, &csv, on_row, &a, error);
		if (status == TACT_OK) {
			flush(&a);
			add_counts(report, &a, 1);
		}
	}
done:
	for (k = 0; a.class_fields && k < K; k++)
		free(a.class_fields[k]);
	free(a.class_fields);
	free(a.class_lengths);
	tact_intent_scorer_release(&a.scorer);
	free(a.columns);
	free(a.priors);
	stream_release(&a);
	return status;
}
