/*
 * intentapply.h - applying an intent model (or rules) to an export, row by
 * row, writing the export back with the predictions appended.
 *
 * Every byte of each input row is kept: the reader gives each record's raw
 * bytes, and the new fields go before its line end (LF, CRLF or none),
 * joined by the export's own delimiter.  Rows are formatted into one
 * buffer, without allocation, and probabilities are written by a formatter
 * made for them (10 significant digits, no printf), so applying a model
 * runs at about the speed of reading.  A regular file of two parts or more
 * is applied by several threads, in parts of whole lines written in order
 * (see intentapply.c): the output is the same whatever the threads.
 */
#ifndef TACT_INTENTAPPLY_H
#define TACT_INTENTAPPLY_H

#include <stdint.h>
#include <stdio.h>

#include "csvreader.h"
#include "error.h"
#include "intent.h"

typedef struct tact_intent_apply_options {
	double threshold;          /* see tact_intent_decide; NaN: none */
	const char *priors;        /* "A=0.2,B=0.8" or NULL (logistic models) */
	int decimal_comma;         /* read numbers, and write probabilities,
	                              with a decimal comma */
	char delimiter;            /* 0 = detect */
	const char *consent;       /* rows without consent get no prediction
	                              (empty fields, counted): "consent" by
	                              default when it exists; "" for none */
	int consent_set;           /* named by the analyst: must exist */
	long threads;              /* threads for a large file; 0: one per
	                              core */
	uint64_t part_bytes;       /* input per part with several threads;
	                              0: 1 MiB (tests make it small) */
	tact_csv_progress_fn progress;
	void *progress_context;
} tact_intent_apply_options;

typedef struct tact_intent_apply_report {
	uint64_t rows;             /* data rows written */
	uint64_t missing;          /* rows without a prediction: an empty cell */
	uint64_t unseen;           /*   or a level the training never saw */
	uint64_t no_consent;       /* rows without consent: not scored */
	char first_unseen[200];    /* the first unseen level, as "Month=Dec" */
} tact_intent_apply_report;

/* Defaults: no threshold, no priors, '.' decimals, delimiter detected. */
void tact_intent_apply_options_init(tact_intent_apply_options *options);

/*
 * Stream the export at path ("-" = stdin) to out with predicted_<label>
 * and, for a logistic model, probability_<class> per class appended (the
 * names quoted as needed).  A row without a prediction (see report) gets
 * empty fields.  A rules model is bound to the export's header here (its
 * rule set is modified).  With decimal_comma, probabilities use ',' (quoted when ','
 * is also the delimiter).  A UTF-8 byte-order mark at the start of a file
 * (not of standard input) is written back; blank lines are dropped (the
 * reader skips them).  report may be NULL.  Errors: those of the reader;
 * TACT_USAGE for a threshold outside [0, 1], a threshold with more than two
 * classes, bad priors, priors or a threshold given to rules; TACT_DATA for
 * a feature column missing from the header, an appended column that the
 * header already has, a cell that is not of its feature's kind;
 * TACT_SOFTWARE on memory.  Write errors are left in out for the caller.
 */
tact_status tact_intent_apply(tact_intent_model *model, const char *path,
                              const tact_intent_apply_options *options,
                              FILE *out, tact_intent_apply_report *report,
                              tact_error *error);

/* The report in a sentence, into buffer: "9 rows", or "2 of 9 rows without
 * a prediction: 1 with an empty feature, 1 with a level the training never
 * saw (the first: device=phablet (line 10))".  Returns buffer. */
char *tact_intent_apply_describe(const tact_intent_apply_report *report,
                                 char *buffer, size_t size);

/*
 * Write a probability p in [0, 1] with 10 significant digits (trailing
 * zeros dropped; "0" and "1" exactly; below 1e-4 in exponent form like
 * printf's %.10g), decimal_comma choosing ',' as the mark.  buffer holds
 * at least 24 bytes.  Returns the length written (no NUL added).  Faster
 * than printf by an order of magnitude; agrees with printf("%.10g") except,
 * rarely, by one unit in the tenth digit.
 */
size_t tact_intent_format_probability(char *buffer, double p,
                                      int decimal_comma);

#endif
