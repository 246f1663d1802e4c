/*
 * error.h - the error value that library functions fill instead of printing.
 *
 * Like jq, the library never prints and never exits: a function that fails
 * returns a tact_status and describes the failure in a caller-owned
 * tact_error.  The tool that called it prints the message (prefixed with the
 * tool's name) and exits with the status.  Positions follow the convention
 * "file:line:column", where line is the physical line of the input (newlines
 * inside quoted fields count) and column is the 1-based field number.  Zero
 * means "not known" for line and column; an empty file name means "none".
 */
#ifndef TACT_ERROR_H
#define TACT_ERROR_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define TACT_ERROR_FILE_MAX 256
#define TACT_ERROR_MESSAGE_MAX 768

typedef struct tact_error {
	tact_status status;                  /* TACT_OK when no error is set */
	char file[TACT_ERROR_FILE_MAX];      /* input the error is about, or "" */
	uint64_t line;                       /* physical line, 1-based; 0 = unknown */
	uint64_t column;                     /* field number, 1-based; 0 = unknown */
	char message[TACT_ERROR_MESSAGE_MAX];/* problem first, lowercase, no period */
} tact_error;

/* Clear an error value (status TACT_OK, no position, empty message). */
void tact_error_init(tact_error *error);

/*
 * Set an error and return its status, so that a function can write
 * "return tact_error_set(error, TACT_DATA, ...);".  file may be NULL.
 * error may be NULL (the status is still returned).  The message is
 * truncated to fit; it never overflows.
 */
tact_status tact_error_set(tact_error *error, tact_status status,
                           const char *file, uint64_t line, uint64_t column,
                           const char *format, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * The one out-of-memory error: sets "out of memory" (TACT_SOFTWARE, no
 * position) and returns TACT_SOFTWARE.  error may be NULL.
 */
tact_status tact_error_oom(tact_error *error);

/*
 * Render "file:line:column: message" (omitting what is unknown) into
 * buffer, truncated to size.  Returns buffer.
 */
char *tact_error_format(const tact_error *error, char *buffer, size_t size);

/*
 * Quote a user's value for a message: at most limit bytes of text, with
 * control bytes and invalid UTF-8 shown as \xNN, and "..." when cut.
 * Returns buffer, always NUL-terminated.
 */
char *tact_error_quote(const char *text, size_t length, char *buffer,
                       size_t size);

#endif
