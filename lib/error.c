/*
 * error.c - filling and rendering tact_error values (see error.h).
 */
#include "error.h"
#include "format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *tact_status_name(tact_status status)
{
	switch (status) {
	case TACT_OK: return "success";
	case TACT_GATE: return "guardrail breached";
	case TACT_USAGE: return "usage error";
	case TACT_DATA: return "data error";
	case TACT_NOINPUT: return "cannot open input";
	case TACT_UNAVAILABLE: return "program unavailable";
	case TACT_SOFTWARE: return "internal error";
	case TACT_CANTCREAT: return "cannot create output";
	case TACT_IOERR: return "input/output error";
	}
	return "unknown status";
}

void tact_error_init(tact_error *error)
{
	if (!error)
		return;
	error->status = TACT_OK;
	error->file[0] = '\0';
	error->line = 0;
	error->column = 0;
	error->message[0] = '\0';
}

tact_status tact_error_set(tact_error *error, tact_status status,
                           const char *file, uint64_t line, uint64_t column,
                           const char *format, ...)
{
	va_list args;

	if (!error)
		return status;
	error->status = status;
	snprintf(error->file, sizeof error->file, "%s", file ? file : "");
	error->line = line;
	error->column = column;
	va_start(args, format);
	vsnprintf(error->message, sizeof error->message, format, args);
	va_end(args);
	return status;
}

tact_status tact_error_oom(tact_error *error)
{
	return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0, "out of memory");
}

char *tact_error_format(const tact_error *error, char *buffer, size_t size)
{
	size_t used = 0;
	int n;

	if (size == 0)
		return buffer;
	buffer[0] = '\0';
	if (error->file[0]) {
		if (error->line && error->column)
			n = snprintf(buffer, size, "%s:%llu:%llu: ", error->file,
			             (unsigned long long)error->line,
			             (unsigned long long)error->column);
		else if (error->line)
			n = snprintf(buffer, size, "%s:%llu: ", error->file,
			             (unsigned long long)error->line);
		else
			n = snprintf(buffer, size, "%s: ", error->file);
		used = n < 0 ? 0 : (size_t)n;
		if (used >= size)
			return buffer;
	}
	snprintf(buffer + used, size - used, "%s", error->message);
	return buffer;
}

char *tact_error_quote(const char *text, size_t length, char *buffer,
                       size_t size)
{
	size_t in = 0, out = 0;

	if (size == 0)
		return buffer;
	while (in < length) {
		/* The one sanitizer for text a person reads (format.h). */
		char piece[TACT_FORMAT_PIECE_MAX];
		size_t piece_length, width;
		size_t seq = tact_format_terminal_piece(text + in, length - in, piece,
		                                        &piece_length, &width);

		/* Keep room for "..." and the terminating NUL. */
		if (out + piece_length + 4 > size) {
			if (out + 4 <= size) {
				memcpy(buffer + out, "...", 3);
				out += 3;
			}
			break;
		}
		memcpy(buffer + out, piece, piece_length);
		out += piece_length;
		in += seq;
	}
	buffer[out < size ? out : size - 1] = '\0';
	return buffer;
}
