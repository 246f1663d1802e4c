/*
 * csvreader.h - the one CSV reader: RFC 4180 over libcsv in strict mode,
 * with positions in every error and a fast path for plain lines.
 *
 * Input: a file, standard input ("-"), or a memory buffer.  The first
 * record is the header; every later record must have as many fields.  A
 * UTF-8 byte-order mark is skipped; LF and CRLF line ends are accepted (a
 * carriage return outside quotes anywhere else, as in CR-only files, is a
 * data error); quoted fields may hold delimiters, doubled quotes, carriage
 * returns and newlines.  The
 * delimiter is ',', ';' or tab: given, or detected from the header line
 * (the one of the three that occurs most often outside quotes; ',' on a
 * tie).  As in libcsv, unquoted fields lose leading and trailing spaces and
 * tabs, and blank lines are skipped.  NUL bytes are refused (binary input).
 *
 * Positions: "line" is the physical line (newlines inside quoted fields
 * count), "column" the 1-based field number.
 *
 * Speed: libcsv copies every byte through its own buffer (about 6.5 ns a
 * byte).  Whole lines are split in place instead, 64 bytes at a time, and
 * quoted fields too: where the quotes are, and so which delimiters and
 * newlines lie inside them, is found for 64 bytes at once (the prefix XOR
 * of the quote bits); a field's quotes are dropped, and doubled quotes
 * undone in place, only where it holds them.  A record the fast path
 * cannot prove well formed (a stray quote, a blank next to a quote, a bare
 * carriage return, a quoted field past the end of the buffer) goes through
 * libcsv, which tells its errors: the result is libcsv's either way (see
 * the differential tests).  libcsv_only forces the slow path everywhere,
 * for those tests.
 */
#ifndef TACT_CSVREADER_H
#define TACT_CSVREADER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef void (*tact_csv_progress_fn)(void *context, uint64_t bytes_done,
                                     uint64_t bytes_total);

/* What a read ended with (optional, see tact_csv_options.outcome). */
typedef struct tact_csv_outcome {
	uint64_t end_offset;       /* byte offset where reading stopped: after
	                              the last line read (stop_after), or the
	                              end of the input or range */
	int clean_end;             /* 0 when a range ended inside a record */
	uint64_t next_line;        /* the physical line after the last read */
} tact_csv_outcome;

/*
 * A reader's memory, kept from one reading to the next by a caller that
 * reads many ranges one after another (a worker thread of a parallel
 * reading): fresh memory costs a page fault and a zeroing per page.  Start
 * with one zeroed (or tact_csv_buffers_init), set options.buffers to it:
 * the reading starts with what it holds and leaves its own there instead of
 * freeing them.  One reading at a time per buffers;
 * tact_csv_buffers_release frees them.
 */
typedef struct tact_csv_buffers {
	char *buffer;
	size_t capacity;
	char **fields;
	size_t *lengths;
	uint64_t *lines;
	size_t *offsets;
	size_t field_capacity;
	char *store;
	size_t store_capacity;
	char *raw;
	size_t raw_capacity;
} tact_csv_buffers;

void tact_csv_buffers_init(tact_csv_buffers *buffers);
void tact_csv_buffers_release(tact_csv_buffers *buffers);

typedef struct tact_csv_options {
	char delimiter;            /* ',', ';', '\t'; 0 = detect from the header */
	size_t chunk_size;         /* bytes per read; 0 = 256 KiB (tests vary it) */
	int libcsv_only;           /* 1 = no fast path (differential tests) */
	int keep_raw;              /* 1 = give each record's raw bytes; fields
	                              are then not NUL-terminated (read their
	                              lengths): a line split in place is left
	                              as it is and is its own raw bytes */
	tact_csv_progress_fn progress; /* called every 16 MiB and at the end */
	void *progress_context;
	/* Parallel reading of one file (tact_csv_read_file only):
	 * range_end > 0 reads the bytes [range_start, range_end), which must
	 * start and end at line starts; with header_fields > 0 the range holds
	 * no header and every record must have that many fields (delimiter
	 * must then be set).  Line numbers count from the range's start (or
	 * first_line).  A
	 * range that ends inside a quoted field is not an error: reading stops
	 * and outcome->clean_end is 0 (the caller chose a wrong boundary). */
	uint64_t range_start, range_end;
	size_t header_fields;
	uint64_t first_line;       /* the physical line number of the input's
	                              (or range's) first line; 0: 1 */
	uint64_t stop_after;       /* stop after this many records (0: never) */
	tact_csv_outcome *outcome; /* filled at the end when not NULL */
	tact_csv_buffers *buffers; /* memory kept between readings, or NULL */
} tact_csv_options;

/*
 * The first TACT_CSV_FIELD_PAD bytes from each field's start may be read,
 * even past the field's NUL (those bytes are initialized but unspecified):
 * a consumer may compare a short label a word at a time.
 */
#define TACT_CSV_FIELD_PAD 16

typedef struct tact_csv_record {
	size_t count;              /* fields in this record */
	char *const *fields;       /* each NUL-terminated (may hold no NUL),
	                              except with keep_raw; TACT_CSV_FIELD_PAD
	                              bytes readable */
	const size_t *lengths;     /* byte length of each field */
	const uint64_t *lines;     /* physical line where each field starts */
	uint64_t line;             /* physical line where the record starts */
	uint64_t index;            /* 0 for the header, then 1, 2, ... */
	uint64_t offset;           /* byte offset of the record's first line */
	int bom;                   /* the input began with a UTF-8 byte-order
	                              mark (skipped; raw bytes exclude it) */
	char delimiter;            /* the delimiter in use */
	const char *raw;           /* keep_raw: the record's bytes, line end */
	size_t raw_length;         /*   included, TACT_CSV_FIELD_PAD bytes
	                              readable past them; else NULL and 0 */
} tact_csv_record;

/*
 * Called once per record, header first.  The record and its fields are
 * valid only during the call (copy what you keep).  Return TACT_OK to go
 * on; any other status stops the reading, and tact_csv_read returns it
 * with the error the callback filled.
 */
typedef tact_status (*tact_csv_record_fn)(void *context,
                                          const tact_csv_record *record,
                                          tact_error *error);

/* Initialise options to the defaults (detect delimiter, 256 KiB chunks). */
void tact_csv_options_init(tact_csv_options *options);

/*
 * Read path ("-" for standard input) record by record.  options may be
 * NULL for the defaults.  Errors: TACT_NOINPUT (cannot open, a directory),
 * TACT_IOERR (read failure), TACT_DATA (malformed CSV, no header, field
 * count), TACT_SOFTWARE (out of memory), or the callback's status.
 */
tact_status tact_csv_read_file(const char *path,
                               const tact_csv_options *options,
                               tact_csv_record_fn callback, void *context,
                               tact_error *error);

/* The same over a memory buffer; name is used in error messages. */
tact_status tact_csv_read_memory(const char *name, const char *data,
                                 size_t length,
                                 const tact_csv_options *options,
                                 tact_csv_record_fn callback, void *context,
                                 tact_error *error);

/*
 * The start of the first line at or after offset in the open file fd of
 * size bytes (size if there is none): where a range of a file read in
 * parallel may begin.  A line start inside a quoted field cannot be told
 * from here; the reader finds it out (outcome.clean_end of the range
 * before it is 0).
 */
uint64_t tact_csv_line_start(int fd, uint64_t offset, uint64_t size);

/* The name errors use for path: "<stdin>" for "-", else path itself. */
const char *tact_csv_display_name(const char *path);

#endif
