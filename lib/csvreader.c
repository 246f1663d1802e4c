/*
 * csvreader.c - reading CSV records with positions (see csvreader.h).
 *
 * The input is consumed a region of whole lines at a time by the bulk
 * path (split_region), which splits records in place, quoted fields
 * included, and stops at the first record it cannot prove well formed;
 * that line, and the lines the bulk path cannot take (the header, a line
 * cut by the buffer's end), go one physical line at a time to
 * process_piece: split in place when plain, or else fed to libcsv, alone,
 * so that every libcsv callback and every libcsv error happens on a known
 * line.  Whether a line starts inside a quoted field is known from the
 * parity of the quotes fed to libcsv since the last complete record: in
 * valid CSV, quotes come in pairs except inside an open quoted field (and
 * invalid CSV stops at libcsv's error).  The bulk path is taken only
 * outside an open record, where that parity is even.
 *
 * A line longer than what the buffer can hold is fed to libcsv in pieces,
 * so memory stays bounded by the chunk size plus the longest field.
 */
#include "csvreader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define DEFAULT_CHUNK (1u << 18) /* with its fields, stays in a core's L2 */
#define HEADER_LOOKAHEAD (1u << 20)
#define PROGRESS_STEP (UINT64_C(16) << 20)

typedef struct reader {
	const tact_csv_options *options;
	const char *name;
	tact_csv_record_fn callback;
	void *context;
	tact_error *error;
	tact_status status;          /* first failure; stops everything */

	int fd;                      /* -1 when reading memory */
	const char *memory;
	size_t memory_length, memory_position;
	int eof;
	uint64_t bytes_done, bytes_total, next_progress;
	uint64_t buffer_offset;      /* input offset of buffer[0] */
	uint64_t bytes_left;         /* in a range: bytes still to read */
	uint64_t record_offset;      /* libcsv path: offset of the open record */
	int stop;                    /* stop_after reached */
	int bom;                     /* the input began with a UTF-8 BOM */

	/* The input buffer (buffer, capacity), the record's fields, libcsv's
	 * field store and the raw bytes: memory a caller may keep from one
	 * reading to the next (options.buffers). */
	tact_csv_buffers held;
	size_t length, position;     /* of the input buffer */
	size_t chunk;

	char delimiter;
	uint64_t line;               /* physical line of buffer[position] */
	int partial_line;            /* part of this line already went to libcsv */
	int odd_quotes;              /* libcsv is inside a quoted field */
	int libcsv_pending;          /* libcsv holds part of an unfinished record */

	struct csv_parser parser;
	int parser_ready;

	/* The record being assembled. */
	size_t count;
	size_t store_length;         /* libcsv path: bytes used in store */
	uint64_t field_start_line;
	uint64_t record_index;
	size_t header_count;

	size_t raw_length;
	const char *raw_view;      /* keep_raw on the fast path: the record's
	                              bytes where they lie, else NULL */
	size_t nul_free_to;          /* buffer[position..nul_free_to) holds no
	                                NUL (the bulk path's search) */
	int clmul;                   /* the processor has PCLMULQDQ */
} reader;

void tact_csv_options_init(tact_csv_options *options)
{
	memset(options, 0, sizeof *options);
}

uint64_t tact_csv_line_start(int fd, uint64_t offset, uint64_t size)
{
	char buffer[65536];
	/* A line is usually short: read 4 KiB first, then twice as much each
	 * time up to the buffer (parts of 1 MiB cut a file at hundreds of
	 * places, and each read is a copy from the page cache). */
	size_t want = 4096;

	if (offset == 0)
		return 0;
	offset--; /* a line starts right after a '\n' at offset - 1 or later */
	while (offset < size) {
		ssize_t n = pread(fd, buffer, want, (off_t)offset);
		char *newline;
		if (n <= 0)
			return size;
		newline = memchr(buffer, '\n', (size_t)n);
		if (newline)
			return offset + (uint64_t)(newline - buffer) + 1;
		offset += (uint64_t)n;
		if (want < sizeof buffer)
			want *= 2;
	}
	return size;
}

const char *tact_csv_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static tact_status fail(reader *r, tact_status status, uint64_t line,
                        uint64_t column, const char *message)
{
	if (r->status == TACT_OK) {
		tact_error_set(r->error, status, r->name, line, column, "%s",
		               message);
		r->status = status;
	}
	return r->status;
}

static tact_status out_of_memory(reader *r)
{
	return fail(r, TACT_SOFTWARE, 0, 0, "out of memory while reading");
}

/* The capacity to grow to for need: doubled from capacity (or 16). */
static size_t grown(size_t capacity, size_t need)
{
	size_t size = capacity ? capacity : 16;

	while (size < need)
		size *= 2;
	return size;
}

static int grow(void **pointer, size_t *capacity, size_t need, size_t unit)
{
	size_t size = grown(*capacity, need);
	void *p;

	if (need <= *capacity)
		return 0;
	p = realloc(*pointer, size * unit);
	if (!p)
		return -1;
	*pointer = p;
	*capacity = size;
	return 0;
}

/*
 * grow for the bytes fields point into (the input buffer, libcsv's field
 * store): TACT_CSV_FIELD_PAD more bytes are allocated past the capacity, and
 * every byte never written is zeroed, so a field can be read
 * TACT_CSV_FIELD_PAD bytes from its start.
 */
static int grow_padded(char **pointer, size_t *capacity, size_t need)
{
	size_t had = *capacity ? *capacity + TACT_CSV_FIELD_PAD : 0;
	size_t size = grown(*capacity, need);
	char *p;

	if (need <= *capacity)
		return 0;
	p = realloc(*pointer, size + TACT_CSV_FIELD_PAD);
	if (!p)
		return -1;
	memset(p + had, 0, size + TACT_CSV_FIELD_PAD - had);
	*pointer = p;
	*capacity = size;
	return 0;
}

static int reserve_fields(reader *r, size_t need)
{
	tact_csv_buffers *h = &r->held;
	size_t capacity = h->field_capacity;

	if (need <= capacity)
		return 0;
	if (grow((void **)&h->fields, &capacity, need, sizeof *h->fields))
		return -1;
	capacity = h->field_capacity;
	if (grow((void **)&h->lengths, &capacity, need, sizeof *h->lengths))
		return -1;
	capacity = h->field_capacity;
	if (grow((void **)&h->lines, &capacity, need, sizeof *h->lines))
		return -1;
	capacity = h->field_capacity;
	if (grow((void **)&h->offsets, &capacity, need, sizeof *h->offsets))
		return -1;
	h->field_capacity = capacity;
	return 0;
}

static int append_raw(reader *r, const char *bytes, size_t length)
{
	if (!r->options->keep_raw)
		return 0;
	if (grow_padded(&r->held.raw, &r->held.raw_capacity,
	                r->raw_length + length + 1))
		return -1;
	memcpy(r->held.raw + r->raw_length, bytes, length);
	r->raw_length += length;
	return 0;
}

/* Hand the assembled record (fields, lengths, lines filled) on. */
static void deliver(reader *r)
{
	tact_csv_record record;

	if (r->status != TACT_OK)
		return;
	if (r->record_index == 0) {
		r->header_count = r->count;
	} else if (r->count != r->header_count) {
		char message[160];
		snprintf(message, sizeof message,
		         "expected %zu fields as in the header, found %zu",
		         r->header_count, r->count);
		fail(r, TACT_DATA, r->held.lines[0],
		     r->count < r->header_count ? r->count + 1 : r->header_count + 1,
		     message);
		return;
	}
	record.count = r->count;
	record.fields = r->held.fields;
	record.lengths = r->held.lengths;
	record.lines = r->held.lines;
	record.line = r->held.lines[0];
	record.index = r->record_index++;
	record.offset = r->record_offset;
	record.bom = r->bom;
	record.delimiter = r->delimiter;
	record.raw = r->options->keep_raw ? r->held.raw : NULL;
	record.raw_length = r->options->keep_raw ? r->raw_length : 0;
	if (r->raw_view)
		record.raw = r->raw_view;
	r->status = r->callback(r->context, &record, r->error);
	if (r->status != TACT_OK && r->error && r->error->status == TACT_OK)
		tact_error_set(r->error, r->status, r->name, record.line, 0,
		               "stopped reading");
	r->count = 0;
	r->raw_length = 0;
	if (r->options->stop_after && r->record_index >= r->options->stop_after)
		r->stop = 1;
}

/* ---- the slow path: libcsv ---------------------------------------- */

static void on_field(void *text, size_t length, void *data)
{
	reader *r = data;

	if (r->status != TACT_OK)
		return;
	if (reserve_fields(r, r->count + 1) ||
	    grow_padded(&r->held.store, &r->held.store_capacity,
	                r->store_length + length + 1)) {
		out_of_memory(r);
		return;
	}
	if (length)
		memcpy(r->held.store + r->store_length, text, length);
	r->held.store[r->store_length + length] = '\0';
	r->held.offsets[r->count] = r->store_length;
	r->held.lengths[r->count] = length;
	r->held.lines[r->count] = r->field_start_line;
	r->store_length += length + 1;
	r->count++;
	/* The delimiter that ended this field is on the current line. */
	r->field_start_line = r->line;
}

static void on_record(int terminator, void *data)
{
	reader *r = data;
	size_t i;

	(void)terminator;
	if (r->status != TACT_OK)
		return;
	for (i = 0; i < r->count; i++)
		r->held.fields[i] = r->held.store + r->held.offsets[i];
	deliver(r);
	r->store_length = 0;
	r->libcsv_pending = 0;
	r->field_start_line = r->line;
}

static void describe_parse_error(reader *r, const char *piece, size_t at)
{
	unsigned char c = (unsigned char)piece[at];

	if (csv_error(&r->parser) == CSV_ENOMEM ||
	    csv_error(&r->parser) == CSV_ETOOBIG) {
		out_of_memory(r);
	} else if (c == '"' && !r->parser.quoted) {
		fail(r, TACT_DATA, r->line, r->count + 1,
		     "quote inside an unquoted field: quote the whole field and "
		     "double the quotes inside it");
	} else {
		char message[200], shown[16];
		tact_error_quote(piece + at, 1, shown, sizeof shown);
		snprintf(message, sizeof message,
		         "unexpected '%s' after a closing quote: expected the "
		         "delimiter or the end of the line", shown);
		fail(r, TACT_DATA, r->line, r->count + 1, message);
	}
}

/*
 * libcsv ends a record at a carriage return, but a line ends only at '\n'
 * (a run of '\r' right before it, or at the very end of the input, is part
 * of the line end).  A bare '\r' outside quotes (old Mac line ends, a
 * stray byte) would end a record inside a line: every later position would
 * be wrong and keep_raw's bytes would no longer match the records.  The
 * offset of the first bare '\r' in piece, or length when there is none.
 */
static size_t find_bare_cr(const reader *r, const char *piece, size_t length)
{
	int quoted = r->odd_quotes;
	size_t i, j;

	for (i = 0; i < length; i++) {
		if (piece[i] == '"') {
			quoted = !quoted;
		} else if (piece[i] == '\r' && !quoted) {
			for (j = i; j < length && piece[j] == '\r'; j++)
				;
			/* Pieces cut inside a line never end with '\r' (see run). */
			if (j < length && piece[j] != '\n')
				return i;
			i = j - 1;
		}
	}
	return length;
}

/* Feed bytes of the current line (never past its '\n') to libcsv. */
static void feed_libcsv(reader *r, const char *piece, size_t length)
{
	size_t used, i, bare;

	if (!r->libcsv_pending) {
		r->field_start_line = r->line;
		r->libcsv_pending = 1;
		r->record_offset = r->buffer_offset +
		                   (uint64_t)(piece - r->held.buffer);
	}
	if (append_raw(r, piece, length)) {
		out_of_memory(r);
		return;
	}
	/* libcsv grows its field buffer by blk_size bytes at a time, copying
	 * it each time: keep the step as large as the buffer, so a huge field
	 * costs a few copies (doubling), not one per 64 KiB. */
	if (r->parser.entry_size > r->parser.blk_size)
		csv_set_blk_size(&r->parser, r->parser.entry_size);
	/* Up to a bare '\r' only, so that an earlier error is told first. */
	bare = find_bare_cr(r, piece, length);
	used = csv_parse(&r->parser, piece, bare, on_field, on_record, r);
	if (r->status != TACT_OK)
		return;
	if (used < bare) {
		describe_parse_error(r, piece, used);
		return;
	}
	if (bare < length) {
		fail(r, TACT_DATA, r->line, r->count + 1,
		     "carriage return without a line feed (old Mac line ends?): "
		     "lines must end with LF or CRLF, and a field holding one must "
		     "be quoted");
		return;
	}
	for (i = 0; i < length; i++)
		if (piece[i] == '"')
			r->odd_quotes = !r->odd_quotes;
}

/* ---- the fast path: split a plain line in place --------------------- */

static int is_blank_byte(char c, char delimiter)
{
	return (c == ' ' || c == '\t') && c != delimiter;
}

/*
 * Split line[0..length) (no '\n') into the record, in place.  Returns 0
 * when done (a record delivered, or a blank line skipped), 1 when the line
 * is not plain and must go through libcsv.
 */
static int split_plain(reader *r, char *line, size_t length, size_t with_end)
{
	const char delimiter = r->delimiter;
	size_t end = length, i, start;

	if (memchr(line, '"', length))
		return 1;
	while (end > 0 && line[end - 1] == '\r')
		end--;
	if (memchr(line, '\r', end))
		return 1;
	for (i = 0; i < end && is_blank_byte(line[i], delimiter); i++)
		;
	if (i == end)
		return 0; /* blank line: libcsv skips it too */
	if (r->options->keep_raw) {
		r->raw_length = 0;
		if (append_raw(r, line, with_end)) {
			out_of_memory(r);
			return 0;
		}
	}
	start = 0;
	r->count = 0;
	r->record_offset = r->buffer_offset + (uint64_t)(line - r->held.buffer);
	for (;;) {
		char *next = memchr(line + start, delimiter, end - start);
		size_t stop = next ? (size_t)(next - line) : end;
		size_t a = start, b = stop;

		while (a < b && is_blank_byte(line[a], delimiter))
			a++;
		while (b > a && is_blank_byte(line[b - 1], delimiter))
			b--;
		if (reserve_fields(r, r->count + 1)) {
			out_of_memory(r);
			return 0;
		}
		line[b] = '\0';
		r->held.fields[r->count] = line + a;
		r->held.lengths[r->count] = b - a;
		r->held.lines[r->count] = r->line;
		r->count++;
		if (!next)
			break;
		start = stop + 1;
	}
	deliver(r);
	return 0;
}

/* The last '\n' in text[0..length), or NULL (memrchr is a GNU extension). */
static char *last_newline(char *text, size_t length)
{
	while (length > 0)
		if (text[--length] == '\n')
			return text + length;
	return NULL;
}

/*
 * The bulk path finds the bytes that stop a field (the delimiter, '\n',
 * '\r') outside quotes, 64 at a time, as bits: scan_block sets bit i of
 * stops when p[i] is one of them and lies outside a quoted field, and a
 * scanner hands the set bits out in order, so each field costs one count
 * of trailing zeros instead of a loop over its bytes.  Which bytes lie
 * inside quotes is the prefix XOR of the quote bits (bit i set when an odd
 * number of quotes lie at or before i: the opening quote and what follows
 * it, up to the closing quote), carried from one block to the next; the
 * quotes themselves and the newlines inside quotes are set in odd, so a
 * field holding neither costs nothing more.  SSE2 (every x86-64) compares
 * 16 bytes at once, and PCLMULQDQ, where the processor has it, makes the
 * prefix XOR one carry-less multiplication by all ones; elsewhere a byte
 * loop and six shifts build the same bits.
 */
typedef struct block_bits_t {
	uint64_t stops;   /* field ends outside quotes */
	uint64_t odd;     /* quotes, and newlines inside quotes */
} block_bits_t;

/* The compared bytes of 64 at p: delimiter, '\n', '\r' (ends), '"', '\n'. */
typedef struct raw_bits {
	uint64_t ends, quotes, newlines;
} raw_bits;

static inline __attribute__((always_inline)) raw_bits compare_block(const char *p,
                                                                     char delimiter)
{
	raw_bits out;
#if defined(__SSE2__)
	const __m128i d = _mm_set1_epi8(delimiter);
	const __m128i n = _mm_set1_epi8('\n');
	const __m128i c = _mm_set1_epi8('\r');
	const __m128i q = _mm_set1_epi8('"');
	int k;

	out.ends = out.quotes = out.newlines = 0;
	for (k = 0; k < 4; k++) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i nl = _mm_cmpeq_epi8(w, n);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, d), nl),
		                           _mm_cmpeq_epi8(w, c));
		out.ends |= (uint64_t)(unsigned)_mm_movemask_epi8(hit) << (16 * k);
		out.newlines |= (uint64_t)(unsigned)_mm_movemask_epi8(nl) << (16 * k);
		out.quotes |= (uint64_t)(unsigned)_mm_movemask_epi8(
		                      _mm_cmpeq_epi8(w, q)) << (16 * k);
	}
#else
	int i;

	out.ends = out.quotes = out.newlines = 0;
	for (i = 0; i < 64; i++) {
		uint64_t bit = UINT64_C(1) << i;
		if (p[i] == delimiter || p[i] == '\n' || p[i] == '\r')
			out.ends |= bit;
		if (p[i] == '\n')
			out.newlines |= bit;
		if (p[i] == '"')
			out.quotes |= bit;
	}
#endif
	return out;
}

static inline __attribute__((always_inline)) uint64_t prefix_xor_shifts(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* TACT_CSV_NO_CLMUL builds the portable prefix XOR only (to test it). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
	!defined(TACT_CSV_NO_CLMUL)
#include <wmmintrin.h>
#define HAVE_CLMUL_PATH 1
/* The prefix XOR as a carry-less product by all ones: bit i of the
 * product is the XOR of bits 0..i of x.  Only called where the processor
 * has PCLMULQDQ (see bulk_lines). */
static inline __attribute__((target("pclmul,sse2"))) uint64_t
prefix_xor_clmul(uint64_t x)
{
	__m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x),
	                                       _mm_set1_epi8(-1), 0);
	return (uint64_t)_mm_cvtsi128_si64(product);
}
#else
#define HAVE_CLMUL_PATH 0
#endif

/* The stops and odd bits of the 64 bytes at p; *inside is all ones when p
 * starts inside a quoted field, and is left so for the next block. */
static inline __attribute__((always_inline)) block_bits_t
scan_block(const char *p, char delimiter, uint64_t *inside, int clmul)
{
	raw_bits raw = compare_block(p, delimiter);
	block_bits_t out;
	uint64_t quoted = *inside;

	(void)clmul;
	if (raw.quotes) {
#if HAVE_CLMUL_PATH
		if (clmul)
			quoted ^= prefix_xor_clmul(raw.quotes);
		else
#endif
			quoted ^= prefix_xor_shifts(raw.quotes);
		*inside = (uint64_t)0 - (quoted >> 63);
	}
	out.stops = raw.ends & ~quoted;
	out.odd = raw.quotes | (raw.newlines & quoted);
	return out;
}

/* scan_block over the last bytes, [base, end), fewer than 64: a copy
 * padded with NULs, which stop nothing. */
static __attribute__((noinline)) block_bits_t tail_block(const char *base,
                                                        const char *end,
                                                        char delimiter,
                                                        uint64_t *inside)
{
	char tail[64];

	memset(tail, 0, sizeof tail);
	memcpy(tail, base, (size_t)(end - base));
	return scan_block(tail, delimiter, inside, 0);
}

/* scan_block of the 64 bytes at base, of which those at or past end (the
 * region's end) are neither read nor stops. */
static inline __attribute__((always_inline)) block_bits_t
next_block(const char *base, const char *end, char delimiter,
           uint64_t *inside, int clmul)
{
	if (end - base >= 64)
		return scan_block(base, delimiter, inside, clmul);
	return tail_block(base, end, delimiter, inside);
}

/*
 * A field [field, stop) that holds a quote or a newline inside quotes: is
 * it one quoted field as libcsv reads it without a doubt (a quote at each
 * end, only doubled quotes between, no blank around)?  -1 when not (a
 * stray quote, a blank or a character next to the closing quote...:
 * libcsv judges the line), else twice the newlines it holds, plus 1 when
 * it holds a doubled quote.  (A result, not pointers: a local whose address
 * is taken lives in memory, and the caller's loop would reload it.)
 */
static __attribute__((noinline)) int64_t quoted_field(const char *field,
                                                       const char *stop)
{
	const char *s, *last = stop - 1;
	int64_t newlines = 0, escaped = 0;

	if (stop - field < 2 || *field != '"' || *last != '"')
		return -1;
	for (s = field + 1; s < last; s++) {
		if (*s == '"') {
			if (s + 1 >= last || s[1] != '"')
				return -1;
			s++;
			escaped = 1;
		} else if (*s == '\n') {
			newlines++;
		}
	}
	return 2 * newlines + escaped;
}

/* Undo the doubled quotes of a record's quoted fields, in place: each
 * field's content [fields[i], + lengths[i]) holds every quote doubled (an
 * unquoted field holds none); lengths become the unescaped ones, and the
 * content is NUL-terminated again. */
static __attribute__((noinline)) void unescape_fields(char *const *fields,
                                                       size_t *lengths,
                                                       size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		char *end = fields[i] + lengths[i];
		char *from = memchr(fields[i], '"', lengths[i]), *to = from;
		if (!from)
			continue;
		while (from < end) {
			char c = *from;
			*to++ = c;
			from += c == '"' ? 2 : 1;
		}
		*to = '\0'; /* never under keep_raw (see split_region_body) */
		lengths[i] = (size_t)(to - fields[i]);
	}
}

/* Put back the bytes the NULs of a record's first count fields replaced,
 * for libcsv to read the line as it was.  A field was cut by a NUL where
 * it ends with one (no NUL lies in a region), in place of its closing
 * quote when quoted (the byte before it is its opening quote: nothing else
 * in front of a field is a quote), else of the delimiter that ended it
 * (split_region_body leaves the fields it trims as they are until the
 * record is whole). */
static __attribute__((noinline)) void restore_fields(char *const *fields,
                                                      const size_t *lengths,
                                                      size_t count,
                                                      const char *line,
                                                      char delimiter)
{
	size_t i;

	for (i = 0; i < count; i++) {
		char *end = fields[i] + lengths[i];
		int quoted = i == 0 ? fields[0] != line : fields[i][-1] == '"';
		if (*end == '\0')
			*end = quoted ? '"' : delimiter;
	}
}

/*
 * The bulk path: a region of whole lines (ending with '\n') known to hold
 * no NUL and to start outside quotes, split in one pass.  Quoted fields
 * are taken when they are well formed beyond doubt (see quoted_field);
 * their quotes are dropped, and doubled quotes undone in place, only in a
 * field that holds them, once the record is checked whole.  At a record
 * the bulk path refuses (a stray quote, a blank next to a quote, a
 * carriage return that does not end the line, a quoted field running past
 * the region) it puts back the bytes its NULs replaced (restore_fields)
 * and stops, and that line goes, as it was, to process_piece and libcsv.
 * Returns the bytes consumed (whole records).  One piece: the fields go
 * out as locals across the blocks, and each step is a few instructions
 * per field, kept in registers (HACKING.md, rule 7).
 */
static inline __attribute__((always_inline)) size_t
split_region_body(reader *r, char *start, char *end, int clmul, int keep_raw)
{
	const char delimiter = r->delimiter;
	char *p = start;
	/* The stops not yet handed out, and the odd bits not yet passed, over
	 * the 64 bytes at base. */
	char *base = start;
	uint64_t inside = 0;
	block_bits_t block = next_block(base, end, delimiter, &inside, clmul);
	uint64_t bits = block.stops, odd = block.odd;
	/* The record in locals: each field's NUL is a char store, after which
	 * the compiler would reload every member of r. */
	char **fields = r->held.fields;
	size_t *lengths = r->held.lengths, capacity = r->held.field_capacity, count;
	uint64_t *lines = r->held.lines;

	while (p < end && r->status == TACT_OK) {
		char *line = p, *field = p;
		/* The line the next field starts on (after the quoted newlines
		 * of the record's fields so far). */
		uint64_t field_line = r->line;
		uint64_t odd_before = 0; /* the field's odd bits in earlier blocks */
		/* After the record: 1, undo doubled quotes; 2, end the trimmed
		 * fields with their NULs. */
		int after = 0;
		size_t i;

		r->record_offset = r->buffer_offset + (uint64_t)(line - r->held.buffer);
		count = 0;
		for (;;) {
			char *stop, *a, *b;
			int line_end;
			/* The next stop, unless a quoted field runs past the
			 * region (its '\n' is then inside quotes). */
			while (!bits) {
				odd_before |= odd;
				base += 64;
				if (base >= end)
					goto refuse;
				block = next_block(base, end, delimiter, &inside, clmul);
				bits = block.stops;
				odd = block.odd;
			}
			p = base + __builtin_ctzll(bits);
			bits &= bits - 1;
			stop = p;
			a = field;
			b = stop;
			if (count >= capacity) {
				r->count = count;
				if (reserve_fields(r, count + 1)) {
					out_of_memory(r);
					goto refuse;
				}
				fields = r->held.fields;
				lengths = r->held.lengths;
				lines = r->held.lines;
				capacity = r->held.field_capacity;
			}
			lines[count] = field_line;
			/* No odd bit in sight on a plain export: nothing to do. */
			if (odd | odd_before) {
				const uint64_t below = (UINT64_C(1) << (p - base)) - 1;
				const uint64_t field_odd = odd & below;
				odd &= ~below;
				/* A quote at each end and no other odd bit: a plain
				 * quoted field, the usual case, told from the bits. */
				if (!(field_odd | odd_before)) {
					;
				} else if (!odd_before && field >= base &&
				           stop - field >= 2 &&
				           field_odd == ((UINT64_C(1) << (field - base)) |
				                         (UINT64_C(1) << (stop - 1 - base)))) {
					a = field + 1;
					b = stop - 1;
				} else {
					const int64_t shape = quoted_field(field, stop);
					/* keep_raw leaves the line as it is: libcsv copies
					 * a field whose quotes must be undone. */
					if (shape < 0 || ((shape & 1) && keep_raw))
						goto refuse;
					after |= (int)(shape & 1);
					field_line += (uint64_t)shape >> 1;
					a = field + 1;
					b = stop - 1;
				}
				odd_before = 0;
			}
			if (*p == '\r') {
				/* Only a run of CRs right before '\n' ends a line; the
				 * stops among them are skipped. */
				char *q = p;
				size_t offset;
				while (*q == '\r')
					q++;
				if (*q != '\n')
					goto refuse;
				p = q;
				offset = (size_t)(q + 1 - base);
				if (offset >= 64) {
					base = q + 1;
					inside = 0; /* past a line end outside quotes */
					block = next_block(base, end, delimiter, &inside, clmul);
					bits = block.stops;
					odd = block.odd;
				} else {
					bits &= ~UINT64_C(0) << offset;
				}
			}
			line_end = *p == '\n';
			fields[count] = a;
			/* Most fields neither start nor end with a space or a tab:
			 * one compare each (both are below '!') rules that out.  A
			 * quoted field keeps its blanks.  A field trimmed gets its
			 * NUL after the record (see restore_fields). */
			if (a < b && ((unsigned char)*a < '!' ||
			              (unsigned char)b[-1] < '!') && *field != '"') {
				while (a < b && is_blank_byte(*a, delimiter))
					a++;
				while (b > a && is_blank_byte(b[-1], delimiter))
					b--;
				fields[count] = a;
				after |= 2;
			} else if (!keep_raw) {
				/* With keep_raw the line stays as it is: its bytes are
				 * the record's raw bytes, and fields go by their
				 * lengths. */
				*b = '\0';
			}
			lengths[count] = (size_t)(b - a);
			count++;
			if (line_end)
				break;
			field = ++p;
		}
		/* One unquoted field, nothing but spaces: a blank line, skipped
		 * as libcsv skips it (a quoted field starts the line: no blank
		 * before a quote on this path). */
		if (!(count == 1 && lengths[0] == 0 && *line != '"')) {
			/* The record is whole: only now may its quotes go. */
			if (after & 1)
				unescape_fields(fields, lengths, count);
			if ((after & 2) && !keep_raw)
				for (i = 0; i < count; i++)
					fields[i][lengths[i]] = '\0';
			r->count = count;
			if (keep_raw) {
				/* p is at the record's last '\n'. */
				r->raw_view = line;
				r->raw_length = (size_t)(p - line) + 1;
			}
			deliver(r);
			r->raw_view = NULL;
		} else {
			r->count = 0;
			r->raw_length = 0; /* not the next record's bytes */
		}
		r->line = field_line + 1;
		p++;
		if (r->stop)
			break;
		continue;
refuse:
		if (!keep_raw)
			restore_fields(fields, lengths, count, line, delimiter);
		r->count = 0;
		return (size_t)(line - start);
	}
	return (size_t)(p - start);
}

/* split_region_body compiled for keep_raw and without it: a test less per
 * field, and a register more. */
static __attribute__((noinline)) size_t split_region(reader *r, char *start,
                                                      char *end)
{
	if (r->options->keep_raw)
		return split_region_body(r, start, end, 0, 1);
	return split_region_body(r, start, end, 0, 0);
}

#if HAVE_CLMUL_PATH
/* The same, compiled for processors with PCLMULQDQ (bulk_lines asks). */
static __attribute__((noinline, target("pclmul,sse2"))) size_t
split_region_clmul(reader *r, char *start, char *end)
{
	if (r->options->keep_raw)
		return split_region_body(r, start, end, 1, 1);
	return split_region_body(r, start, end, 1, 0);
}
#endif

/* ---- lines --------------------------------------------------------- */

/*
 * Process one physical line, or a piece of one: line[0..length), which
 * ends with '\n' when has_newline.  complete = the line starts here (no
 * earlier piece went to libcsv) and ends here or at end of input.
 */
static void process_piece(reader *r, char *line, size_t length,
                          int has_newline, int complete)
{
	const char *nul = memchr(line, '\0', length);

	if (nul) {
		/* libcsv reads up to the NUL first: an error before it is told
		 * first, whatever the chunk size, and the fields it finishes
		 * give the NUL's column. */
		feed_libcsv(r, line, (size_t)(nul - line));
		fail(r, TACT_DATA, r->line, r->count + 1,
		     "NUL byte in the input: is this a binary file?");
		return;
	}
	if (complete && !r->odd_quotes && !r->libcsv_pending &&
	    !r->options->libcsv_only) {
		size_t content = has_newline ? length - 1 : length;
		if (split_plain(r, line, content, length) == 0) {
			if (has_newline)
				r->line++;
			return;
		}
	}
	feed_libcsv(r, line, length);
	if (has_newline) {
		r->line++;
		/* At an unquoted line end libcsv has finished the record, or
		 * skipped a blank line: the next line starts a new record (and
		 * a skipped line's bytes are not part of its raw bytes). */
		if (!r->odd_quotes) {
			r->libcsv_pending = 0;
			r->raw_length = 0;
		}
	}
}

/* ---- input --------------------------------------------------------- */

static void report_progress(reader *r, int final)
{
	if (!r->options->progress)
		return;
	if (final || r->bytes_done >= r->next_progress) {
		r->options->progress(r->options->progress_context, r->bytes_done,
		                     r->bytes_total);
		r->next_progress = r->bytes_done + PROGRESS_STEP;
	}
}

/* Read up to want bytes into the buffer's free space.  Returns bytes read. */
static size_t fill(reader *r, size_t want)
{
	size_t room = r->held.capacity - r->length, got = 0;

	if (want > room)
		want = room;
	if (r->options->range_end && want > r->bytes_left)
		want = (size_t)r->bytes_left;
	if (r->options->range_end && r->bytes_left == 0)
		r->eof = 1;
	if (r->eof || want == 0)
		return 0;
	if (r->fd < 0) {
		size_t left = r->memory_length - r->memory_position;
		got = want < left ? want : left;
		memcpy(r->held.buffer + r->length, r->memory + r->memory_position, got);
		r->memory_position += got;
		if (r->memory_position == r->memory_length)
			r->eof = 1;
	} else {
		while (got < want) {
			ssize_t n = read(r->fd, r->held.buffer + r->length + got,
			                 want - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				char message[300];
				snprintf(message, sizeof message, "cannot read: %s",
				         strerror(errno));
				fail(r, errno == EISDIR ? TACT_NOINPUT : TACT_IOERR, 0, 0,
				     message);
				r->eof = 1;
				break;
			}
			if (n == 0) {
				r->eof = 1;
				break;
			}
			got += (size_t)n;
			/* A short read from a pipe: hand over what we have. */
			break;
		}
	}
	r->length += got;
	r->bytes_done += got;
	if (r->options->range_end) {
		r->bytes_left -= got;
		if (r->bytes_left == 0)
			r->eof = 1;
	}
	report_progress(r, 0);
	return got;
}

static int ensure_capacity(reader *r, size_t need)
{
	return grow_padded(&r->held.buffer, &r->held.capacity, need);
}

/* Detect the delimiter from the header line at the start of the buffer. */
static char detect_delimiter(const char *text, size_t length)
{
	size_t commas = 0, semicolons = 0, tabs = 0, i;
	int quoted = 0;

	for (i = 0; i < length; i++) {
		char c = text[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted && c == ',')
			commas++;
		else if (!quoted && c == ';')
			semicolons++;
		else if (!quoted && c == '\t')
			tabs++;
	}
	if (semicolons > commas && semicolons >= tabs)
		return ';';
	if (tabs > commas && tabs > semicolons)
		return '\t';
	return ',';
}

/* Does buffer[from..length) hold an unquoted newline (the header's end)? */
static int header_complete(const reader *r)
{
	size_t i;
	int quoted = 0;

	for (i = r->position; i < r->length; i++) {
		if (r->held.buffer[i] == '"')
			quoted = !quoted;
		else if (!quoted && r->held.buffer[i] == '\n')
			return 1;
	}
	return 0;
}

/* A range of data lines: the header was read by the caller. */
static void start_range(reader *r)
{
	r->record_index = 1;
	r->header_count = r->options->header_fields;
	r->delimiter = r->options->delimiter;
	csv_set_delim(&r->parser, (unsigned char)r->delimiter);
	fill(r, r->chunk);
}

/* Read the header line into the buffer, skip a BOM and settle the
 * delimiter. */
static void start_input(reader *r)
{
	/* Look ahead for the header line whatever the chunk size, so that the
	 * detected delimiter does not depend on how the input is cut. */
	while (r->status == TACT_OK && !r->eof && !header_complete(r) &&
	       r->length < HEADER_LOOKAHEAD) {
		if (r->length == r->held.capacity &&
		    ensure_capacity(r, r->held.capacity * 2)) {
			out_of_memory(r);
			return;
		}
		fill(r, r->chunk);
	}
	if (r->status != TACT_OK)
		return;
	if (r->length >= 3 && memcmp(r->held.buffer, "\xEF\xBB\xBF", 3) == 0) {
		r->position = 3;
		r->bom = 1;
	}
	r->delimiter = r->options->delimiter
	                       ? r->options->delimiter
	                       : detect_delimiter(r->held.buffer + r->position,
	                                          r->length - r->position);
	csv_set_delim(&r->parser, (unsigned char)r->delimiter);
}

/* The bulk path over the whole lines in start[0..left), when it may be
 * taken (no record open, no NUL): the bytes it consumed, 0 when the next
 * line must go through process_piece. */
static size_t bulk_lines(reader *r, char *start, size_t left)
{
	char *last, *end, *nul;
	size_t from;

	if (r->partial_line || r->odd_quotes || r->libcsv_pending ||
	    r->options->libcsv_only || r->record_index == 0 || left == 0)
		return 0;
	last = last_newline(start, left);
	if (!last)
		return 0;
	end = last + 1;
	/* The buffer is searched for a NUL once, not at each call: after a
	 * line the bulk path refused, it is called again for the next one. */
	from = (size_t)(start - r->held.buffer);
	if (r->nul_free_to < from)
		r->nul_free_to = from;
	nul = memchr(r->held.buffer + r->nul_free_to, '\0',
	             (size_t)(end - r->held.buffer) - r->nul_free_to);
	if (nul) {
		r->nul_free_to = (size_t)(nul - r->held.buffer);
		end = last_newline(start, (size_t)(nul - start));
		if (!end)
			return 0;
		end++;
	} else {
		r->nul_free_to = (size_t)(end - r->held.buffer);
	}
#if HAVE_CLMUL_PATH
	if (r->clmul)
		return split_region_clmul(r, start, end);
#endif
	return split_region(r, start, end);
}

/* The input ended: the last line, start[0..left), has no '\n'. */
static void last_line(reader *r, char *start, size_t left)
{
	/* The fast path ends its last field with a NUL one byte past it,
	 * which must be ours. */
	if (left && r->length == r->held.capacity) {
		if (ensure_capacity(r, r->held.capacity + 1)) {
			out_of_memory(r);
			return;
		}
		start = r->held.buffer + r->position;
	}
	if (left)
		process_piece(r, start, left, 0, !r->partial_line);
	r->position = r->length;
}

/* No full line left in start[0..left): keep the rest, make room, read
 * more. */
static void refill(reader *r, char *start, size_t left)
{
	if (left >= r->chunk) {
		/* A line longer than a chunk: let libcsv take this piece,
		 * less any '\r' at its end, which may start a CRLF (cut
		 * apart, the record would end in one piece and its '\n'
		 * count in the next record's raw bytes). */
		size_t piece = left;
		while (piece > 0 && start[piece - 1] == '\r')
			piece--;
		if (piece > 0) {
			process_piece(r, start, piece, 0, 0);
			r->partial_line = 1;
		}
		r->position += piece;
		left -= piece;
	}
	memmove(r->held.buffer, r->held.buffer + r->position, left);
	r->nul_free_to = 0;
	r->buffer_offset += r->length - left;
	r->length = left;
	r->position = 0;
	if (r->held.capacity - r->length < r->chunk &&
	    ensure_capacity(r, r->length + r->chunk)) {
		out_of_memory(r);
		return;
	}
	fill(r, r->chunk);
}

/* Every line of the input, chunk by chunk, until the end, a failure or
 * stop_after. */
static void read_lines(reader *r)
{
	while (r->status == TACT_OK && !r->stop) {
		char *start = r->held.buffer + r->position;
		size_t left = r->length - r->position;
		size_t used = bulk_lines(r, start, left);
		char *newline;

		if (used > 0) {
			r->position += used;
			continue;
		}
		newline = memchr(start, '\n', left);
		if (newline) {
			size_t length = (size_t)(newline - start) + 1;
			process_piece(r, start, length, 1, !r->partial_line);
			r->partial_line = 0;
			r->position += length;
			/* libcsv may have completed a record on this line: its end
			 * is the next record's start. */
			continue;
		}
		if (r->eof) {
			last_line(r, start, left);
			break;
		}
		refill(r, start, left);
	}
}

/* After the last line: the outcome of a range, libcsv's last record, the
 * checks that need the whole input, the final progress. */
static void finish(reader *r)
{
	if (r->status != TACT_OK)
		return;
	if (r->options->outcome) {
		r->options->outcome->end_offset = r->buffer_offset + r->position;
		r->options->outcome->clean_end = 1;
		r->options->outcome->next_line = r->line;
	}
	if (r->stop) {
		report_progress(r, 1);
		return;
	}
	if (r->options->range_end && (r->odd_quotes || r->libcsv_pending)) {
		/* The range ends inside a record: the caller's boundary was inside
		 * a quoted field.  Not an error of the data. */
		if (r->options->outcome)
			r->options->outcome->clean_end = 0;
		return;
	}
	if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
		char message[120];
		snprintf(message, sizeof message,
		         "unterminated quoted field: the quote opened on line %llu "
		         "is never closed",
		         (unsigned long long)r->field_start_line);
		fail(r, TACT_DATA, r->line, r->count + 1, message);
		return;
	}
	if (r->status == TACT_OK && r->record_index == 0)
		fail(r, TACT_DATA, 0, 0, "empty input: expected a header row");
	report_progress(r, 1);
}

/* A failure in one step leaves r->status set: the steps after it do
 * nothing. */
static void run(reader *r)
{
	if (r->options->header_fields)
		start_range(r);
	else
		start_input(r);
	read_lines(r);
	finish(r);
}

void tact_csv_buffers_init(tact_csv_buffers *buffers)
{
	memset(buffers, 0, sizeof *buffers);
}

void tact_csv_buffers_release(tact_csv_buffers *buffers)
{
	free(buffers->buffer);
	free(buffers->fields);
	free(buffers->lengths);
	free(buffers->lines);
	free(buffers->offsets);
	free(buffers->store);
	free(buffers->raw);
	tact_csv_buffers_init(buffers);
}

static tact_status read_all(reader *r)
{
	tact_csv_buffers *kept = r->options->buffers;

	/* The caller's memory, taken (theirs is then empty) and given back at
	 * the end; without it, the reader's own, freed at the end. */
	if (kept) {
		r->held = *kept;
		tact_csv_buffers_init(kept);
	}
	r->chunk = r->options->chunk_size ? r->options->chunk_size : DEFAULT_CHUNK;
	r->line = r->options->first_line ? r->options->first_line : 1;
	r->field_start_line = r->line;
	r->next_progress = PROGRESS_STEP;
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		out_of_memory(r);
	} else {
		r->parser_ready = 1;
		/* libcsv grows its field buffer by blk_size bytes at a time: with
		 * the default of 128, a 50 MB field costs 400,000 reallocations. */
		csv_set_blk_size(&r->parser, 1u << 16);
		if (ensure_capacity(r, 2 * r->chunk))
			out_of_memory(r);
		else
			run(r);
		csv_free(&r->parser);
	}
	if (kept)
		*kept = r->held;
	else
		tact_csv_buffers_release(&r->held);
	return r->status;
}

static void reader_init(reader *r, const char *name,
                        const tact_csv_options *options,
                        tact_csv_record_fn callback, void *context,
                        tact_error *error)
{
	static const tact_csv_options defaults;

	memset(r, 0, sizeof *r);
	r->options = options ? options : &defaults;
	r->name = name;
	r->callback = callback;
	r->context = context;
	r->error = error;
	r->fd = -1;
#if HAVE_CLMUL_PATH
	r->clmul = __builtin_cpu_supports("pclmul");
#endif
}

tact_status tact_csv_read_memory(const char *name, const char *data,
                                 size_t length,
                                 const tact_csv_options *options,
                                 tact_csv_record_fn callback, void *context,
                                 tact_error *error)
{
	reader r;

	reader_init(&r, name, options, callback, context, error);
	r.memory = data;
	r.memory_length = length;
	r.bytes_total = length;
	r.eof = length == 0;
	return read_all(&r);
}

tact_status tact_csv_read_file(const char *path,
                               const tact_csv_options *options,
                               tact_csv_record_fn callback, void *context,
                               tact_error *error)
{
	const char *name = tact_csv_display_name(path);
	reader r;
	struct stat info;
	tact_status status;

	reader_init(&r, name, options, callback, context, error);
	if (strcmp(path, "-") == 0) {
		r.fd = STDIN_FILENO;
	} else {
		r.fd = open(path, O_RDONLY);
		if (r.fd < 0)
			return tact_error_set(error, TACT_NOINPUT, name, 0, 0,
			                      "cannot open: %s", strerror(errno));
	}
	if (fstat(r.fd, &info) == 0) {
		if (S_ISDIR(info.st_mode)) {
			if (r.fd != STDIN_FILENO)
				close(r.fd);
			return tact_error_set(error, TACT_NOINPUT, name, 0, 0,
			                      "is a directory, not a CSV file");
		}
		if (S_ISREG(info.st_mode))
			r.bytes_total = (uint64_t)info.st_size;
	}
	if (options && options->range_end) {
		if (options->range_end < options->range_start ||
		    lseek(r.fd, (off_t)options->range_start, SEEK_SET) < 0) {
			if (r.fd != STDIN_FILENO)
				close(r.fd);
			return tact_error_set(error, TACT_IOERR, name, 0, 0,
			                      "cannot read bytes %llu to %llu",
			                      (unsigned long long)options->range_start,
			                      (unsigned long long)options->range_end);
		}
		r.buffer_offset = options->range_start;
		r.bytes_left = options->range_end - options->range_start;
		r.bytes_total = r.bytes_left;
	}
	status = read_all(&r);
	if (r.fd != STDIN_FILENO)
		close(r.fd);
	return status;
}
