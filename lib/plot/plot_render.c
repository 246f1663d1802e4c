/*
 * plot_render.c - drawing a built script into a file that appears whole or
 * not at all: the terminal of the format, a temporary beside the target
 * renamed when gnuplot succeeded, a check that the file is whole (see
 * plot.h).
 */
#include "plot_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cleanup.h"
#include "outfile.h"

tact_status tact_plot_format_from_path(const char *path,
                                       tact_plot_format *format,
                                       tact_error *error)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');

	if (dot && strcasecmp(dot, ".svg") == 0)
		*format = TACT_PLOT_SVG;
	else if (dot && strcasecmp(dot, ".png") == 0)
		*format = TACT_PLOT_PNG;
	else if (dot && strcasecmp(dot, ".pdf") == 0)
		*format = TACT_PLOT_PDF;
	else
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "cannot tell the chart's format from '%s': "
		                      "name it .svg, .png or .pdf", path);
	return TACT_OK;
}

/* A gnuplot single-quoted string: '' is the only escape. */
static void quote_path(FILE *out, const char *text)
{
	putc('\'', out);
	for (; *text; text++) {
		if (*text == '\'')
			putc('\'', out);
		putc(*text, out);
	}
	putc('\'', out);
}

/*
 * gnuplot ignores write errors (a chart to /dev/full exits 0), so tact
 * checks the file it drew: whole when it ends as its format ends (SVG's
 * closing tag, PNG's IEND chunk, PDF's %%EOF), else cut short (a full
 * disk).
 */
static tact_status check_whole(const char *path, tact_plot_format format,
                               tact_error *error)
{
	static const char png_end[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
	                               (char)0xAE, 'B', 0x60, (char)0x82};
	char tail[64];
	size_t n = 0;
	int whole = 0;
	FILE *in = fopen(path, "rb");

	if (in && fseek(in, 0, SEEK_END) == 0) {
		long size = ftell(in);
		if (size > 0 && fseek(in, size > (long)sizeof tail
		                              ? size - (long)sizeof tail : 0,
		                      SEEK_SET) == 0)
			n = fread(tail, 1, sizeof tail, in);
	}
	if (in)
		fclose(in);
	if (n == 0)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "gnuplot exited without drawing the chart (an "
		                      "empty file)");
	if (format == TACT_PLOT_PNG) {
		whole = n >= sizeof png_end &&
		        memcmp(tail + n - sizeof png_end, png_end,
		               sizeof png_end) == 0;
	} else {
		const char *end = format == TACT_PLOT_PDF ? "%%EOF" : "</svg>";
		size_t i, k = strlen(end);
		for (i = 0; i + k <= n && !whole; i++)
			whole = memcmp(tail + i, end, k) == 0;
	}
	if (!whole)
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "gnuplot could not write the whole chart (a "
		                      "full disk?)");
	return TACT_OK;
}

/* Copy the scratch file fd into out (whose errors the commit checks). */
static tact_status copy_scratch(int fd, FILE *out, tact_error *error)
{
	char buffer[65536];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                      "cannot read the drawn chart: %s",
		                      strerror(errno));
	while ((n = read(fd, buffer, sizeof buffer)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return tact_error_set(error, TACT_IOERR, NULL, 0, 0,
			                      "cannot read the drawn chart: %s",
			                      strerror(errno));
		if (fwrite(buffer, 1, (size_t)n, out) != (size_t)n)
			break; /* the commit reports it */
	}
	return TACT_OK;
}

/* Forget the scratch file (fd < 0: none). */
static void scratch_close(char *scratch, int fd)
{
	if (fd < 0)
		return;
	close(fd);
	unlink(scratch);
	tact_cleanup_forget(scratch);
}

/* The format of the chart: options->format, else output's extension;
 * output must not hold a control character. */
static tact_status render_format(const tact_plot_options *options,
                                 const char *output, int to_stdout,
                                 tact_plot_format *format, tact_error *error)
{
	const char *p;
	tact_status status;

	*format = options->format;
	if (*format == TACT_PLOT_AUTO) {
		if (to_stdout)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "a chart on standard output needs a format "
			                      "(svg, png or pdf)");
		status = tact_plot_format_from_path(output, format, error);
		if (status != TACT_OK)
			return status;
	}
	for (p = output ? output : ""; *p; p++)
		if ((unsigned char)*p < 0x20)
			return tact_error_set(error, TACT_CANTCREAT, NULL, 0, 0,
			                      "cannot create a chart whose name holds a "
			                      "control character");
	return TACT_OK;
}

/* The whole script gnuplot reads: the terminal of format at width x
 * height, UTF-8 and plain text, the output target, script, the closing
 * lines, malloc'ed (its length in *length); NULL on memory. */
static char *compose(const tact_plot_script *script, tact_plot_format format,
                     int width, int height, const char *target,
                     size_t *length)
{
	char *text = NULL;
	FILE *stream = open_memstream(&text, length);

	if (!stream)
		return NULL;
	fputs("set encoding utf8\n", stream);
	switch (format) {
	case TACT_PLOT_PNG:
		fprintf(stream, "set terminal pngcairo size %d,%d font "
		        "'sans-serif,10' background rgb 'white'\n", width, height);
		break;
	case TACT_PLOT_PDF:
		fprintf(stream, "set terminal pdfcairo size %.3fin,%.3fin font "
		        "'sans-serif,10' background rgb 'white'\n",
		        width / 72.0, height / 72.0);
		break;
	default:
		/* A browser draws the svg terminal's text and points at other
		 * sizes than cairo: scaled so that an SVG looks like its PNG (the
		 * builders' layout is measured on cairo). */
		fprintf(stream, "set terminal svg size %d,%d font 'sans-serif,10' "
		        "fontscale 1.25 background rgb 'white'\n", width, height);
		break;
	}
	/* Point sizes in the builders are multiplied by PS. */
	fprintf(stream, "PS = %s\n", format == TACT_PLOT_SVG ? "0.8" : "1");
	/* Labels are data: no enhanced-text markup (^ _ @ { } &). */
	fputs("set termoption noenhanced\n", stream);
	fputs("set output ", stream);
	quote_path(stream, target);
	putc('\n', stream);
	fwrite(script->text, 1, script->length, stream);
	/* Closing the output makes gnuplot finish the file before it exits. */
	fputs("\nunset multiplot\nset output\n", stream);
	if (fclose(stream) != 0 || !text) {
		free(text);
		return NULL;
	}
	return text;
}

tact_status tact_plot_render(const tact_plot_script *script,
                             const tact_plot_options *options,
                             const char *output, tact_error *error)
{
	char scratch[] = "/tmp/tact-plot.XXXXXX";
	int scratch_fd = -1;
	tact_plot_options defaults;
	tact_plot_format format;
	tact_outfile out;
	const char *target;
	char *text;
	size_t text_length = 0;
	int width, height;
	tact_status status;

	if (!options) {
		tact_plot_options_init(&defaults);
		options = &defaults;
	}
	status = render_format(options, output, !output || strcmp(output, "-") == 0,
	                       &format, error);
	if (status != TACT_OK)
		return status;
	width = options->width > 0 ? options->width : script->width;
	height = options->height > 0 ? options->height : script->height;
	if (width <= 0)
		width = 800;
	if (height <= 0)
		height = 500;

	status = tact_outfile_open(&out, output, error);
	if (status != TACT_OK)
		return status;
	target = out.temporary;
	if (!target) {
		/* Standard output or a device: gnuplot draws into a scratch file,
		 * copied through our stream, whose write errors are checked. */
		scratch_fd = tact_cleanup_mkstemp(scratch);
		if (scratch_fd < 0) {
			int saved = errno;
			tact_outfile_abort(&out);
			return tact_error_set(error, TACT_CANTCREAT, scratch, 0, 0,
			                      "cannot create: %s", strerror(saved));
		}
		target = scratch;
	}
	text = compose(script, format, width, height, target, &text_length);
	if (!text)
		status = tact_error_oom(error);
	else
		status = tact_plot_run(options->gnuplot, text, text_length, 0,
		                       options->timeout_seconds, error);
	free(text);
	if (status == TACT_OK)
		status = check_whole(target, format, error);
	if (status == TACT_OK && scratch_fd >= 0)
		status = copy_scratch(scratch_fd, out.stream, error);
	scratch_close(scratch, scratch_fd);
	if (status != TACT_OK) {
		tact_outfile_abort(&out);
		return status;
	}
	/* A temporary was written by gnuplot through its own descriptor (the
	 * commit syncs and renames it); standard output or a device got the
	 * copy (the commit flushes it and checks for errors). */
	return tact_outfile_commit(&out, error);
}
