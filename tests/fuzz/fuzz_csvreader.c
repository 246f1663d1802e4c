/*
 * fuzz_csvreader.c - libFuzzer harness for the CSV reader (lib/csvreader.c),
 * and the differential test of its fast path against libcsv.
 *
 * Every input is read from memory several ways: with the fast path (bulk
 * regions, quoted records included, and plain lines split in place) and
 * with libcsv alone (libcsv_only), each in one chunk (as the default 1 MiB
 * chunk reads any input this size) and at a small chunk size picked from
 * the input's hash (so lines are cut at every place over the runs), and
 * with keep_raw (in small and large chunks).  Each run is written down as a
 * transcript (every record's index, line, offset, fields with their lengths
 * and lines, then the final status and error); the harness aborts when two
 * transcripts differ.  The fast path exists only for speed, so anything it
 * does differently from libcsv is a bug, whatever the input.
 *
 * A record callback that stops at a chosen record (from the hash) checks
 * the early-stop path too.  Quoted records must go through the fast path
 * (the bulk path splits them in place): with FUZZ_CSVREADER_STATS set in
 * the environment, the harness counts at exit the records holding a quote
 * whose fields lie in their raw bytes (split in place) on the fast path
 * with keep_raw, and those read otherwise.  The raw bytes kept with keep_raw are compared
 * between the fast path and libcsv (and must be the input's own bytes).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvreader.h"

typedef struct transcript {
	char *text;
	size_t length, capacity;
	int with_raw;
	uint64_t stop_at;          /* stop (TACT_DATA) at this record; 0 never */
	const uint8_t *input;
	size_t input_size;
	int fast;                  /* the fast path may be taken */
} transcript;

/* Records holding a quote, read with keep_raw on the fast path: split in
 * place (every field in the raw bytes) or copied (libcsv). */
static unsigned long long quoted_in_place, quoted_copied;

static void print_stats(void)
{
	fprintf(stderr, "fuzz_csvreader: records with quotes on the fast path: "
	        "%llu split in place, %llu through libcsv\n", quoted_in_place,
	        quoted_copied);
}

static void count_in_place(const tact_csv_record *record)
{
	size_t i;

	if (!memchr(record->raw, '"', record->raw_length))
		return;
	for (i = 0; i < record->count; i++)
		if (record->fields[i] < record->raw ||
		    record->fields[i] >= record->raw + record->raw_length)
			break;
	if (i == record->count && record->count > 0)
		quoted_in_place++;
	else
		quoted_copied++;
}

static void put(transcript *t, const void *bytes, size_t length)
{
	if (t->length + length > t->capacity) {
		size_t capacity = t->capacity ? t->capacity : 4096;
		while (capacity < t->length + length)
			capacity *= 2;
		t->text = realloc(t->text, capacity);
		if (!t->text)
			abort();
		t->capacity = capacity;
	}
	memcpy(t->text + t->length, bytes, length);
	t->length += length;
}

static void put_u64(transcript *t, uint64_t value)
{
	put(t, &value, sizeof value);
}

static tact_status on_record(void *context, const tact_csv_record *record,
                             tact_error *error)
{
	transcript *t = context;
	size_t i;

	put_u64(t, record->index);
	put_u64(t, record->line);
	put_u64(t, record->offset);
	put_u64(t, (uint64_t)(unsigned char)record->delimiter);
	put_u64(t, record->count);
	for (i = 0; i < record->count; i++) {
		/* The contract: length bytes long, without a NUL; NUL-terminated
		 * unless keep_raw (then the line may be left as it is). */
		if (memchr(record->fields[i], '\0', record->lengths[i]) ||
		    (!t->with_raw && record->fields[i][record->lengths[i]] != '\0'))
			abort();
		put_u64(t, record->lengths[i]);
		put_u64(t, record->lines[i]);
		put(t, record->fields[i], record->lengths[i]);
	}
	if (t->with_raw) {
		if (!record->raw)
			abort();
		/* The record's own bytes, from its offset on. */
		if (record->offset > t->input_size ||
		    record->raw_length > t->input_size - record->offset ||
		    memcmp(t->input + record->offset, record->raw,
		           record->raw_length) != 0) {
			fprintf(stderr, "fuzz_csvreader: record %llu: raw bytes are not "
			        "the input's at offset %llu\n",
			        (unsigned long long)record->index,
			        (unsigned long long)record->offset);
			abort();
		}
		/* TACT_CSV_FIELD_PAD bytes readable past them (ASan checks). */
		{
			volatile unsigned char sink = 0;
			size_t k;
			for (k = 0; k < TACT_CSV_FIELD_PAD; k++)
				sink ^= (unsigned char)record->raw[record->raw_length + k];
			(void)sink;
		}
		put_u64(t, record->raw_length);
		put(t, record->raw, record->raw_length);
		if (t->fast)
			count_in_place(record);
	}
	if (t->stop_at && record->index + 1 == t->stop_at)
		return tact_error_set(error, TACT_DATA, "fuzz", record->line, 1,
		                      "stopped at record %llu",
		                      (unsigned long long)record->index);
	return TACT_OK;
}

static void run(const uint8_t *data, size_t size, size_t chunk,
                int libcsv_only, int keep_raw, char delimiter,
                uint64_t stop_at, transcript *t)
{
	tact_csv_options options;
	tact_error error;
	tact_status status;

	memset(t, 0, sizeof *t);
	t->with_raw = keep_raw;
	t->stop_at = stop_at;
	t->input = data;
	t->input_size = size;
	t->fast = !libcsv_only;
	tact_csv_options_init(&options);
	options.chunk_size = chunk;
	options.libcsv_only = libcsv_only;
	options.keep_raw = keep_raw;
	options.delimiter = delimiter;
	tact_error_init(&error);
	status = tact_csv_read_memory("fuzz", (const char *)data, size, &options,
	                              on_record, t, &error);
	put_u64(t, (uint64_t)status);
	if (status != TACT_OK) {
		if (error.status != status)
			abort();
		put_u64(t, error.line);
		put_u64(t, error.column);
		put(t, error.message, strlen(error.message));
	}
}

/* Show where two transcripts part, then abort (libFuzzer saves the input). */
static void compare(const transcript *a, const transcript *b,
                    const char *what)
{
	size_t i;

	if (a->length == b->length && memcmp(a->text, b->text, a->length) == 0)
		return;
	for (i = 0; i < a->length && i < b->length && a->text[i] == b->text[i]; i++)
		;
	fprintf(stderr, "fuzz_csvreader: %s: transcripts differ at byte %zu "
	        "(lengths %zu and %zu)\n", what, i, a->length, b->length);
	fprintf(stderr, "  first: %.*s\n  second: %.*s\n",
	        (int)(a->length - i < 200 ? a->length - i : 200), a->text + i,
	        (int)(b->length - i < 200 ? b->length - i : 200), b->text + i);
	abort();
}

static uint64_t hash(const uint8_t *data, size_t size)
{
	uint64_t h = UINT64_C(1469598103934665603);
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * UINT64_C(1099511628211);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delimiters[] = {0, 0, 0, ',', ';', '\t'};
	uint64_t h = hash(data, size);
	size_t small = 1 + (size_t)(h % 37);
	/* Larger than any input (-max_len), so read in one chunk, as the
	 * default 1 MiB does, without allocating 2 MiB per run. */
	size_t large = size + 1 > 4096 ? size + 1 : 4096;
	char delimiter = delimiters[(h >> 8) % sizeof delimiters];
	uint64_t stop_at = (h >> 16) % 4 == 0 ? 1 + (h >> 20) % 5 : 0;
	transcript fast, slow, fast_small, slow_small, fast_raw, slow_raw;
	transcript fast_raw_large;
	static int stats;

	if (!stats) {
		stats = 1;
		if (getenv("FUZZ_CSVREADER_STATS"))
			atexit(print_stats);
	}

	run(data, size, large, 0, 0, delimiter, stop_at, &fast);
	run(data, size, large, 1, 0, delimiter, stop_at, &slow);
	compare(&fast, &slow, "fast path vs libcsv (large chunks)");
	run(data, size, small, 0, 0, delimiter, stop_at, &fast_small);
	compare(&fast, &fast_small, "fast path, large vs small chunks");
	run(data, size, small + 3, 1, 0, delimiter, stop_at, &slow_small);
	compare(&slow, &slow_small, "libcsv, large vs small chunks");
	run(data, size, small, 0, 1, delimiter, stop_at, &fast_raw);
	run(data, size, large, 1, 1, delimiter, stop_at, &slow_raw);
	compare(&fast_raw, &slow_raw, "keep_raw: fast path vs libcsv");
	run(data, size, large, 0, 1, delimiter, stop_at, &fast_raw_large);
	compare(&fast_raw_large, &slow_raw,
	        "keep_raw: fast path (large chunks) vs libcsv");

	free(fast.text);
	free(slow.text);
	free(fast_small.text);
	free(slow_small.text);
	free(fast_raw.text);
	free(slow_raw.text);
	free(fast_raw_large.text);
	return 0;
}
