/*
 * plot.c - the one gnuplot runner, and drawing a built script into a file
 * that appears whole or not at all (see plot.h).
 *
 * Why posix_spawn and a socket: the script goes to gnuplot's standard
 * input while its standard error is read, both through poll(), so that
 * neither side can block the other whatever their sizes.  The script's end
 * of the channel is a socket because send(MSG_NOSIGNAL) cannot raise
 * SIGPIPE when gnuplot dies early: the library must not touch the
 * process's signal dispositions, and a tool must not die of a signal
 * because its helper crashed.
 */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "outfile.h"

extern char **environ;

#define STDERR_KEEP 65536        /* bytes of gnuplot's stderr kept */
#define SUMMARY_MAX 400          /* bytes of it put in a message */
#define DEFAULT_TIMEOUT 120

static const char install_hint[] =
	"install gnuplot (Debian: apt-get install gnuplot-nox) or set "
	"TACT_GNUPLOT to its path";

/* An executable regular file at path? */
static int executable(const char *path)
{
	struct stat info;

	return stat(path, &info) == 0 && S_ISREG(info.st_mode) &&
	       access(path, X_OK) == 0;
}

/* name (without '/') on PATH, malloc'ed, or NULL. */
static char *search_path(const char *name)
{
	const char *path = getenv("PATH");
	const char *start;

	if (!path || !*path)
		path = "/usr/bin:/bin";
	start = path;
	for (;;) {
		const char *end = strchr(start, ':');
		size_t length = end ? (size_t)(end - start) : strlen(start);
		size_t size = length + strlen(name) + 2;
		char *candidate = malloc(size);

		if (!candidate)
			return NULL;
		/* An empty PATH entry is the current directory. */
		if (length == 0)
			snprintf(candidate, size, "./%s", name);
		else
			snprintf(candidate, size, "%.*s/%s", (int)length, start, name);
		if (executable(candidate))
			return candidate;
		free(candidate);
		if (!end)
			return NULL;
		start = end + 1;
	}
}

tact_status tact_plot_find_gnuplot(const char *given, char **path,
                                   tact_error *error)
{
	const char *name = given, *origin = "the gnuplot option";
	char quoted[256];

	*path = NULL;
	if (!name || !*name) {
		name = getenv("TACT_GNUPLOT");
		origin = "TACT_GNUPLOT";
	}
	if (!name || !*name) {
		*path = search_path("gnuplot");
		if (!*path)
			return tact_error_set(error, TACT_UNAVAILABLE, NULL, 0, 0,
			                      "gnuplot is not on PATH: %s",
			                      install_hint);
		return TACT_OK;
	}
	if (strchr(name, '/')) {
		if (executable(name)) {
			*path = strdup(name);
			if (!*path)
				return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
				                      "out of memory");
			return TACT_OK;
		}
	} else if ((*path = search_path(name)) != NULL) {
		return TACT_OK;
	}
	tact_error_quote(name, strlen(name), quoted, sizeof quoted);
	return tact_error_set(error, TACT_UNAVAILABLE, NULL, 0, 0,
	                      "%s names '%s', which is not an executable "
	                      "program: %s", origin, quoted, install_hint);
}

/*
 * The gist of gnuplot's standard error for a message: gnuplot's own error
 * lines ("line 12: undefined variable: x") when there are any, else the
 * last non-blank lines; one line, control bytes escaped, cut with "...".
 */
static void summarize(const char *text, size_t length, char *out,
                      size_t size)
{
	char joined[SUMMARY_MAX * 2];
	size_t used = 0, start, pass;

	joined[0] = '\0';
	for (pass = 0; pass < 2 && used == 0; pass++) {
		/* pass 0: error lines only; pass 1: the last three lines. */
		size_t lines = 0, skip = 0, line_start;

		if (pass == 1) {
			for (start = 0; start < length; start++)
				if (text[start] == '\n')
					lines++;
			skip = lines > 3 ? lines - 3 : 0;
		}
		line_start = 0;
		lines = 0;
		for (start = 0; start <= length; start++) {
			size_t a, b;

			if (start < length && text[start] != '\n')
				continue;
			a = line_start;
			b = start;
			line_start = start + 1;
			if (lines++ < skip)
				continue;
			while (a < b && (text[a] == ' ' || text[a] == '\t' ||
			                 text[a] == '\r'))
				a++;
			while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\r'))
				b--;
			if (a == b || (b - a == 1 && text[a] == '^'))
				continue;
			if (pass == 0 && !(b - a > 5 && memcmp(text + a, "line ", 5) == 0 &&
			                   memchr(text + a, ':', b - a)))
				continue;
			if (used + (b - a) + 3 >= sizeof joined)
				break;
			if (used) {
				memcpy(joined + used, "; ", 2);
				used += 2;
			}
			memcpy(joined + used, text + a, b - a);
			used += b - a;
			joined[used] = '\0';
		}
	}
	if (used == 0) {
		snprintf(out, size, "no message");
		return;
	}
	tact_error_quote(joined, used, out, size < SUMMARY_MAX ? size : SUMMARY_MAX);
}

static double seconds_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

tact_status tact_plot_run(const char *gnuplot, const char *script,
                          size_t length, int keep_stdout,
                          int timeout_seconds, tact_error *error)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attributes;
	sigset_t defaults;
	char *program = NULL, *captured = NULL;
	char *argv[3];
	int channel[2] = {-1, -1}, errpipe[2] = {-1, -1};
	size_t written = 0, kept = 0;
	int spawned = 0, wait_status = 0, timed_out = 0, rc;
	pid_t pid = -1;
	double deadline;
	tact_status status;

	status = tact_plot_find_gnuplot(gnuplot, &program, error);
	if (status != TACT_OK)
		return status;
	captured = malloc(STDERR_KEEP + 1);
	if (!captured) {
		free(program);
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory");
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0 ||
	    pipe(errpipe) != 0 || fcntl(errpipe[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(errpipe[1], F_SETFD, FD_CLOEXEC) != 0) {
		status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                        "cannot make a pipe to gnuplot: %s",
		                        strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawnattr_init(&attributes);
	posix_spawn_file_actions_adddup2(&actions, channel[1], 0);
	if (!keep_stdout)
		posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, errpipe[1], 2);
	/* gnuplot gets the default handling of the signals a tool might
	 * ignore (a shell pipeline may have SIGPIPE ignored). */
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGTERM);
	posix_spawnattr_setsigdefault(&attributes, &defaults);
	/* The child starts with no signal blocked, though the spawn happens
	 * with the cleanup's signals blocked: recorded before a handler can
	 * run, so a stopped tool never leaves gnuplot running. */
	{
		sigset_t none;
		sigemptyset(&none);
		posix_spawnattr_setsigmask(&attributes, &none);
	}
	posix_spawnattr_setflags(&attributes,
	                         POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	argv[0] = program;
	argv[1] = "-d";     /* no ~/.gnuplot: the user's settings stay out */
	argv[2] = NULL;
	if (keep_stdout)
		fflush(stdout);
	tact_cleanup_block();
	rc = posix_spawn(&pid, program, &actions, &attributes, argv, environ);
	if (rc == 0 && tact_cleanup_add_child(pid) != 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		rc = ENOMEM;
	}
	tact_cleanup_unblock();
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attributes);
	close(channel[1]);
	close(errpipe[1]);
	channel[1] = errpipe[1] = -1;
	if (rc != 0) {
		char quoted[256];
		tact_error_quote(program, strlen(program), quoted, sizeof quoted);
		status = tact_error_set(error, rc == ENOMEM ? TACT_SOFTWARE
		                                            : TACT_UNAVAILABLE,
		                        NULL, 0, 0, "cannot start gnuplot '%s': %s: %s",
		                        quoted, strerror(rc), install_hint);
		goto done;
	}
	spawned = 1;
	if (length == 0)
		shutdown(channel[0], SHUT_WR);
	if (timeout_seconds <= 0)
		timeout_seconds = DEFAULT_TIMEOUT;
	deadline = seconds_now() + timeout_seconds;

	/* Feed the script and drain stderr until gnuplot closes its stderr. */
	for (;;) {
		struct pollfd fds[2];
		nfds_t count = 0;
		int left_ms;
		double left = deadline - seconds_now();

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		left_ms = left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
		fds[count].fd = errpipe[0];
		fds[count].events = POLLIN;
		count++;
		if (written < length) {
			fds[count].fd = channel[0];
			fds[count].events = POLLOUT;
			count++;
		}
		rc = poll(fds, count, left_ms);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                        "cannot wait for gnuplot: %s",
			                        strerror(errno));
			goto done;
		}
		if (count == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = send(channel[0], script + written, length - written,
			                 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0) {
				written += (size_t)n;
				if (written == length)
					shutdown(channel[0], SHUT_WR);
			} else if (n < 0 && errno != EAGAIN && errno != EINTR &&
			           errno != EWOULDBLOCK) {
				/* gnuplot stopped reading (it died): its exit status
				 * and stderr say why. */
				written = length;
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char chunk[4096];
			ssize_t n = read(errpipe[0], chunk, sizeof chunk);
			if (n > 0) {
				size_t take = (size_t)n;
				if (take > STDERR_KEEP - kept)
					take = STDERR_KEEP - kept;
				memcpy(captured + kept, chunk, take);
				kept += take;
			} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
				break;
			}
		}
	}
	captured[kept] = '\0';
	if (timed_out)
		kill(pid, SIGKILL);
	/* Wait without reaping, forget the child, then reap: its pid cannot
	 * be reused while the cleanup may still signal it. */
	{
		siginfo_t info;
		while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 &&
		       errno == EINTR)
			;
	}
	tact_cleanup_forget_child(pid);
	while (waitpid(pid, &wait_status, 0) < 0) {
		if (errno != EINTR) {
			status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                        "cannot wait for gnuplot: %s",
			                        strerror(errno));
			spawned = 0;
			goto done;
		}
	}
	spawned = 0;
	{
		char summary[SUMMARY_MAX];

		summarize(captured, kept, summary, sizeof summary);
		if (timed_out)
			status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                        "gnuplot did not finish within %d s and "
			                        "was stopped", timeout_seconds);
		else if (WIFSIGNALED(wait_status))
			status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                        "gnuplot crashed (signal %d, %s): %s",
			                        WTERMSIG(wait_status),
			                        strsignal(WTERMSIG(wait_status)), summary);
		else if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) != 0)
			status = tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                        "gnuplot failed (exit status %d): %s",
			                        WEXITSTATUS(wait_status), summary);
		else
			status = TACT_OK;
	}

done:
	if (spawned) {
		kill(pid, SIGKILL);
		tact_cleanup_forget_child(pid);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (channel[0] >= 0)
		close(channel[0]);
	if (channel[1] >= 0)
		close(channel[1]);
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	free(captured);
	free(program);
	return status;
}

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
	char *text = NULL;
	size_t text_length = 0;
	FILE *stream;
	int width, height, to_stdout;
	tact_status status;
	const char *p;

	if (!options) {
		tact_plot_options_init(&defaults);
		options = &defaults;
	}
	to_stdout = !output || strcmp(output, "-") == 0;
	format = options->format;
	if (format == TACT_PLOT_AUTO) {
		if (to_stdout)
			return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                      "a chart on standard output needs a format "
			                      "(svg, png or pdf)");
		status = tact_plot_format_from_path(output, &format, error);
		if (status != TACT_OK)
			return status;
	}
	for (p = output ? output : ""; *p; p++)
		if ((unsigned char)*p < 0x20)
			return tact_error_set(error, TACT_CANTCREAT, NULL, 0, 0,
			                      "cannot create a chart whose name holds a "
			                      "control character");
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
	stream = open_memstream(&text, &text_length);
	if (!stream) {
		if (scratch_fd >= 0) {
			close(scratch_fd);
			unlink(scratch);
			tact_cleanup_forget(scratch);
		}
		tact_outfile_abort(&out);
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory");
	}
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
		if (scratch_fd >= 0) {
			close(scratch_fd);
			unlink(scratch);
			tact_cleanup_forget(scratch);
		}
		tact_outfile_abort(&out);
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "out of memory");
	}
	status = tact_plot_run(options->gnuplot, text, text_length, 0,
	                       options->timeout_seconds, error);
	free(text);
	if (status == TACT_OK)
		status = check_whole(target, format, error);
	if (status == TACT_OK && scratch_fd >= 0)
		status = copy_scratch(scratch_fd, out.stream, error);
	if (scratch_fd >= 0) {
		close(scratch_fd);
		unlink(scratch);
		tact_cleanup_forget(scratch);
	}
	if (status != TACT_OK) {
		tact_outfile_abort(&out);
		return status;
	}
	/* A temporary was written by gnuplot through its own descriptor (the
	 * commit syncs and renames it); standard output or a device got the
	 * copy (the commit flushes it and checks for errors). */
	return tact_outfile_commit(&out, error);
}
