/*
 * plot_run.c - the one gnuplot runner: find gnuplot, feed it a script,
 * capture its standard error, reap it (see plot.h).
 *
 * Why posix_spawn and a socket: the script goes to gnuplot's standard
 * input while its standard error is read, both through poll(), so that
 * neither side can block the other whatever their sizes.  The script's end
 * of the channel is a socket because send(MSG_NOSIGNAL) cannot raise
 * SIGPIPE when gnuplot dies early: the library must not touch the
 * process's signal dispositions, and a tool must not die of a signal
 * because its helper crashed.
 */
#include "plot_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

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
				return tact_error_oom(error);
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

/* A running gnuplot: the script's channel, its standard error. */
typedef struct child {
	int channel[2];             /* [0] ours, [1] gnuplot's standard input */
	int errpipe[2];             /* [0] ours, [1] gnuplot's standard error */
	pid_t pid;
	int spawned;                /* not reaped yet */
} child;

static tact_status open_channels(child *c, tact_error *error)
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->channel) != 0 ||
	    pipe(c->errpipe) != 0 ||
	    fcntl(c->errpipe[0], F_SETFD, FD_CLOEXEC) != 0 ||
	    fcntl(c->errpipe[1], F_SETFD, FD_CLOEXEC) != 0)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "cannot make a pipe to gnuplot: %s",
		                      strerror(errno));
	return TACT_OK;
}

/* Start program -d on the channels, recorded in the cleanup. */
static tact_status spawn(char *program, int keep_stdout, child *c,
                         tact_error *error)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attributes;
	sigset_t defaults, none;
	char *argv[3];
	int rc;

	posix_spawn_file_actions_init(&actions);
	posix_spawnattr_init(&attributes);
	posix_spawn_file_actions_adddup2(&actions, c->channel[1], 0);
	if (!keep_stdout)
		posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, c->errpipe[1], 2);
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
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attributes, &none);
	posix_spawnattr_setflags(&attributes,
	                         POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	argv[0] = program;
	argv[1] = "-d";     /* no ~/.gnuplot: the user's settings stay out */
	argv[2] = NULL;
	if (keep_stdout)
		fflush(stdout);
	tact_cleanup_block();
	rc = posix_spawn(&c->pid, program, &actions, &attributes, argv, environ);
	if (rc == 0 && tact_cleanup_add_child(c->pid) != 0) {
		kill(c->pid, SIGKILL);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		rc = ENOMEM;
	}
	tact_cleanup_unblock();
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attributes);
	close(c->channel[1]);
	close(c->errpipe[1]);
	c->channel[1] = c->errpipe[1] = -1;
	if (rc != 0) {
		char quoted[256];
		tact_error_quote(program, strlen(program), quoted, sizeof quoted);
		return tact_error_set(error, rc == ENOMEM ? TACT_SOFTWARE
		                                          : TACT_UNAVAILABLE,
		                      NULL, 0, 0, "cannot start gnuplot '%s': %s: %s",
		                      quoted, strerror(rc), install_hint);
	}
	c->spawned = 1;
	return TACT_OK;
}

/* Feed the script and drain stderr into captured (its first STDERR_KEEP
 * bytes, *kept of them) until gnuplot closes its stderr or the deadline
 * passes (*timed_out). */
static tact_status exchange(child *c, const char *script, size_t length,
                            double deadline, char *captured, size_t *kept,
                            int *timed_out, tact_error *error)
{
	size_t written = 0;

	if (length == 0)
		shutdown(c->channel[0], SHUT_WR);
	for (;;) {
		struct pollfd fds[2];
		nfds_t count = 0;
		int left_ms, rc;
		double left = deadline - seconds_now();

		if (left <= 0) {
			*timed_out = 1;
			return TACT_OK;
		}
		left_ms = left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
		fds[count].fd = c->errpipe[0];
		fds[count].events = POLLIN;
		count++;
		if (written < length) {
			fds[count].fd = c->channel[0];
			fds[count].events = POLLOUT;
			count++;
		}
		rc = poll(fds, count, left_ms);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "cannot wait for gnuplot: %s",
			                      strerror(errno));
		}
		if (count == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = send(c->channel[0], script + written,
			                 length - written, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0) {
				written += (size_t)n;
				if (written == length)
					shutdown(c->channel[0], SHUT_WR);
			} else if (n < 0 && errno != EAGAIN && errno != EINTR &&
			           errno != EWOULDBLOCK) {
				/* gnuplot stopped reading (it died): its exit status
				 * and stderr say why. */
				written = length;
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char chunk[4096];
			ssize_t n = read(c->errpipe[0], chunk, sizeof chunk);
			if (n > 0) {
				size_t take = (size_t)n;
				if (take > STDERR_KEEP - *kept)
					take = STDERR_KEEP - *kept;
				memcpy(captured + *kept, chunk, take);
				*kept += take;
			} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
				return TACT_OK;
			}
		}
	}
}

/* Reap gnuplot into *wait_status. */
static tact_status reap(child *c, int *wait_status, tact_error *error)
{
	siginfo_t info;

	/* Wait without reaping, forget the child, then reap: its pid cannot
	 * be reused while the cleanup may still signal it. */
	while (waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOWAIT) < 0 &&
	       errno == EINTR)
		;
	tact_cleanup_forget_child(c->pid);
	c->spawned = 0;
	while (waitpid(c->pid, wait_status, 0) < 0) {
		if (errno != EINTR)
			return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
			                      "cannot wait for gnuplot: %s",
			                      strerror(errno));
	}
	return TACT_OK;
}

/* How gnuplot ended, as a status: TACT_OK for an exit status of 0. */
static tact_status verdict(const char *captured, size_t kept, int timed_out,
                           int wait_status, int timeout_seconds,
                           tact_error *error)
{
	char summary[SUMMARY_MAX];

	summarize(captured, kept, summary, sizeof summary);
	if (timed_out)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "gnuplot did not finish within %d s and was "
		                      "stopped", timeout_seconds);
	if (WIFSIGNALED(wait_status))
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "gnuplot crashed (signal %d, %s): %s",
		                      WTERMSIG(wait_status),
		                      strsignal(WTERMSIG(wait_status)), summary);
	if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) != 0)
		return tact_error_set(error, TACT_SOFTWARE, NULL, 0, 0,
		                      "gnuplot failed (exit status %d): %s",
		                      WEXITSTATUS(wait_status), summary);
	return TACT_OK;
}

/* Close what is open; kill and reap a gnuplot still running. */
static void child_close(child *c)
{
	int i;

	if (c->spawned) {
		kill(c->pid, SIGKILL);
		tact_cleanup_forget_child(c->pid);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		c->spawned = 0;
	}
	for (i = 0; i < 2; i++) {
		if (c->channel[i] >= 0)
			close(c->channel[i]);
		if (c->errpipe[i] >= 0)
			close(c->errpipe[i]);
	}
}

tact_status tact_plot_run(const char *gnuplot, const char *script,
                          size_t length, int keep_stdout,
                          int timeout_seconds, tact_error *error)
{
	child c = {{-1, -1}, {-1, -1}, -1, 0};
	char *program = NULL, *captured = NULL;
	size_t kept = 0;
	int wait_status = 0, timed_out = 0;
	tact_status status;

	status = tact_plot_find_gnuplot(gnuplot, &program, error);
	if (status != TACT_OK)
		return status;
	captured = malloc(STDERR_KEEP + 1);
	if (!captured)
		status = tact_error_oom(error);
	if (status == TACT_OK)
		status = open_channels(&c, error);
	if (status == TACT_OK)
		status = spawn(program, keep_stdout, &c, error);
	if (timeout_seconds <= 0)
		timeout_seconds = DEFAULT_TIMEOUT;
	if (status == TACT_OK)
		status = exchange(&c, script, length,
		                  seconds_now() + timeout_seconds, captured, &kept,
		                  &timed_out, error);
	if (status == TACT_OK) {
		captured[kept] = '\0';
		if (timed_out)
			kill(c.pid, SIGKILL);
		status = reap(&c, &wait_status, error);
	}
	if (status == TACT_OK)
		status = verdict(captured, kept, timed_out, wait_status,
		                 timeout_seconds, error);
	child_close(&c);
	free(captured);
	free(program);
	return status;
}
