/*
 * outdir.c - an output folder written whole, holding only what tact wrote
 * (see outdir.h).
 */
#define _GNU_SOURCE /* renameat2 */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "outfile.h"

#define LEGACY_MARKER "A report written by tact-report"

static char *join(const char *folder, const char *name)
{
	char *path = malloc(strlen(folder) + strlen(name) + 2);

	if (path)
		sprintf(path, "%s/%s", folder, name);
	return path;
}

/* The folder part of path ("." when none), malloc'ed. */
static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent;

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	parent = strndup(path, (size_t)(slash - path));
	return parent;
}

/*
 * What the marker in folder says tact wrote there: the names (one a line,
 * '#' lines are comments), or for the marker of an older tact (one line
 * of text, no list) every regular file named *.csv, *.json, *.svg, *.png
 * or *.html, which is all it wrote.  No marker: nothing is tact's.
 */
typedef struct listing {
	char *text;   /* the marker's bytes, lines cut in place */
	int present;
	int legacy;
} listing;

static void listing_read(const char *folder, const char *marker, listing *l)
{
	char *path = join(folder, marker);
	FILE *in;
	long size;

	memset(l, 0, sizeof *l);
	in = path ? fopen(path, "rb") : NULL;
	free(path);
	if (!in)
		return;
	l->present = 1;
	if (fseek(in, 0, SEEK_END) == 0 && (size = ftell(in)) >= 0 &&
	    size < (1 << 20) && fseek(in, 0, SEEK_SET) == 0 &&
	    (l->text = malloc((size_t)size + 1)) != NULL) {
		size_t n = fread(l->text, 1, (size_t)size, in);
		l->text[n] = '\0';
		l->legacy = strncmp(l->text, LEGACY_MARKER,
		                    strlen(LEGACY_MARKER)) == 0;
	}
	fclose(in);
}

static int listing_has(const listing *l, const char *name)
{
	const char *at, *end;
	size_t length = strlen(name);

	if (!l->present || !l->text)
		return 0;
	if (l->legacy) {
		static const char *const kinds[] = {".csv", ".json", ".svg", ".png",
		                                    ".html"};
		const char *dot = strrchr(name, '.');
		size_t k;
		for (k = 0; dot && k < sizeof kinds / sizeof kinds[0]; k++)
			if (strcmp(dot, kinds[k]) == 0)
				return 1;
		return 0;
	}
	for (at = l->text; *at; at = *end ? end + 1 : end) {
		end = strchr(at, '\n');
		if (!end)
			end = at + strlen(at);
		if (*at != '#' && (size_t)(end - at) == length &&
		    memcmp(at, name, length) == 0)
			return 1;
	}
	return 0;
}

/* TACT_OK when folder holds only its marker and the regular files listed
 * in it (or nothing); else TACT_CANTCREAT naming the first other entry. */
static tact_status check_contents(const char *folder, const char *marker,
                                  const char *shown, tact_error *error)
{
	listing l;
	DIR *dir;
	struct dirent *entry;
	tact_status status = TACT_OK;

	dir = opendir(folder);
	if (!dir)
		return tact_error_set(error, TACT_CANTCREAT, shown, 0, 0,
		                      "cannot read the folder: %s", strerror(errno));
	listing_read(folder, marker, &l);
	while (status == TACT_OK && (entry = readdir(dir)) != NULL) {
		struct stat info;
		char *path;
		int ours;

		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0 ||
		    (l.present && strcmp(entry->d_name, marker) == 0))
			continue;
		path = join(folder, entry->d_name);
		if (!path) {
			status = tact_error_oom(error);
			break;
		}
		ours = lstat(path, &info) == 0 && S_ISREG(info.st_mode) &&
		       listing_has(&l, entry->d_name);
		free(path);
		if (!ours) {
			char quoted[300];
			tact_error_quote(entry->d_name, strlen(entry->d_name), quoted,
			                 sizeof quoted);
			status = tact_error_set(
				error, TACT_CANTCREAT, shown, 0, 0,
				l.present ? "holds '%s', which tact did not write: remove "
				            "it or choose another folder with -o"
				          : "exists and is not a tact report (it holds "
				            "'%s'): remove it or choose another folder "
				            "with -o",
				quoted);
		}
	}
	closedir(dir);
	free(l.text);
	return status;
}

/* Remove a folder that held a report: the files its marker lists, the
 * marker, then the folder (kept, with what it holds, if anything else
 * appeared in it meanwhile: never a user's file). */
static void remove_report(const char *folder, const char *marker)
{
	listing l;
	DIR *dir = opendir(folder);
	struct dirent *entry;

	listing_read(folder, marker, &l);
	while (dir && (entry = readdir(dir)) != NULL) {
		char *path;
		struct stat info;

		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0 ||
		    strcmp(entry->d_name, marker) == 0 || !listing_has(&l, entry->d_name))
			continue;
		path = join(folder, entry->d_name);
		if (path && lstat(path, &info) == 0 && S_ISREG(info.st_mode))
			unlink(path);
		free(path);
	}
	if (dir)
		closedir(dir);
	free(l.text);
	if (l.present) {
		char *path = join(folder, marker);
		if (path)
			unlink(path);
		free(path);
	}
	rmdir(folder);
}

static void release(tact_outdir *dir)
{
	size_t i;

	for (i = 0; i < dir->name_count; i++)
		free(dir->names[i]);
	free(dir->names);
	for (i = 0; i < dir->made_count; i++)
		free(dir->made[i]);
	free(dir->made);
	free(dir->temporary);
	free(dir->target);
	memset(dir, 0, sizeof *dir);
}

void tact_outdir_abort(tact_outdir *dir)
{
	size_t i;

	if (dir->temporary) {
		/* Only tact's files are in it: the temporary is private. */
		DIR *d = opendir(dir->temporary);
		struct dirent *entry;
		while (d && (entry = readdir(d)) != NULL) {
			char *path;
			if (strcmp(entry->d_name, ".") == 0 ||
			    strcmp(entry->d_name, "..") == 0)
				continue;
			path = join(dir->temporary, entry->d_name);
			if (path)
				unlink(path);
			free(path);
		}
		if (d)
			closedir(d);
		rmdir(dir->temporary);
		tact_cleanup_forget(dir->temporary);
	}
	for (i = dir->made_count; i-- > 0;) {
		rmdir(dir->made[i]);
		tact_cleanup_forget(dir->made[i]);
	}
	release(dir);
}

/* Make the missing parents of target, outermost first, each recorded. */
static tact_status make_parents(tact_outdir *dir, tact_error *error)
{
	char *missing[64];
	size_t count = 0, i;
	char *at = parent_of(dir->target);
	struct stat info;
	tact_status status = TACT_OK;

	while (at && stat(at, &info) != 0 && errno == ENOENT && count < 64 &&
	       strcmp(at, ".") != 0 && strcmp(at, "/") != 0) {
		missing[count++] = at;
		at = parent_of(at);
	}
	free(at);
	dir->made = calloc(count ? count : 1, sizeof *dir->made);
	if (!dir->made) {
		for (i = 0; i < count; i++)
			free(missing[i]);
		return tact_error_oom(error);
	}
	for (i = count; i-- > 0;) {
		if (status == TACT_OK) {
			tact_cleanup_block();
			if (mkdir(missing[i], (mode_t)tact_outfile_mode(0777)) != 0)
				status = tact_error_set(error, TACT_CANTCREAT, missing[i], 0, 0,
				                        "cannot create the folder: %s",
				                        strerror(errno));
			else if (tact_cleanup_add(missing[i], TACT_CLEANUP_EMPTY) != 0) {
				rmdir(missing[i]);
				status = tact_error_oom(error);
			}
			tact_cleanup_unblock();
			if (status == TACT_OK) {
				dir->made[dir->made_count++] = missing[i];
				continue;
			}
		}
		free(missing[i]);
	}
	return status;
}

tact_status tact_outdir_open(tact_outdir *dir, const char *path,
                             const char *marker, tact_error *error)
{
	struct stat info;
	char *name;
	unsigned mode;
	int stream;
	tact_status status;

	memset(dir, 0, sizeof *dir);
	dir->marker = marker;
	if (!*path)
		return tact_error_set(error, TACT_USAGE, NULL, 0, 0,
		                      "the output folder name is empty");
	name = strdup(path);
	if (!name)
		return tact_error_oom(error);
	/* Trailing slashes would put the temporary folder inside the target. */
	while (strlen(name) > 1 && name[strlen(name) - 1] == '/')
		name[strlen(name) - 1] = '\0';
	dir->target = tact_outfile_resolve(name, &stream);
	free(name);
	if (!dir->target)
		return tact_error_oom(error);
	/* "." or "DIR/..": the temporary, made beside the name, would be made
	 * inside the folder and the folder then refused for holding it (issue
	 * 18: "-o ." in an empty folder).  The real path puts it beside. */
	{
		const char *slash = strrchr(dir->target, '/');
		const char *last = slash ? slash + 1 : dir->target;
		char *real;
		if ((strcmp(last, ".") == 0 || strcmp(last, "..") == 0) &&
		    (real = realpath(dir->target, NULL)) != NULL) {
			free(dir->target);
			dir->target = real;
		}
	}
	if (stat(dir->target, &info) == 0) {
		if (!S_ISDIR(info.st_mode)) {
			status = tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
			                        "exists and is not a folder: remove it "
			                        "or choose another folder with -o");
			release(dir);
			return status;
		}
		status = check_contents(dir->target, marker, path, error);
		if (status != TACT_OK) {
			release(dir);
			return status;
		}
		mode = (unsigned)(info.st_mode & 07777);
	} else {
		mode = tact_outfile_mode(0777);
		status = make_parents(dir, error);
		if (status != TACT_OK) {
			tact_outdir_abort(dir);
			return status;
		}
	}
	dir->temporary = malloc(strlen(dir->target) + 16);
	if (!dir->temporary) {
		tact_outdir_abort(dir);
		return tact_error_oom(error);
	}
	sprintf(dir->temporary, "%s.tmp-XXXXXX", dir->target);
	if (tact_cleanup_mkdtemp(dir->temporary) != 0) {
		status = tact_error_set(error, TACT_CANTCREAT, path, 0, 0,
		                        "cannot create the report folder: %s",
		                        strerror(errno));
		free(dir->temporary);
		dir->temporary = NULL;
		tact_outdir_abort(dir);
		return status;
	}
	/* mkdtemp makes 0700: a replaced folder keeps its mode, a new one
	 * honours the umask. */
	chmod(dir->temporary, (mode_t)mode);
	return TACT_OK;
}

int tact_outdir_holds(const tact_outdir *dir, const char *path)
{
	struct stat folder, file;
	char *parent;
	int holds;

	if (!path || strcmp(path, "-") == 0 || stat(dir->target, &folder) != 0 ||
	    stat(path, &file) != 0)
		return 0;
	/* The file's own folder (a link to it is followed: realpath). */
	{
		char *real = realpath(path, NULL);
		parent = real ? parent_of(real) : NULL;
		free(real);
	}
	holds = parent && stat(parent, &file) == 0 && file.st_dev == folder.st_dev &&
	        file.st_ino == folder.st_ino;
	free(parent);
	return holds;
}

char *tact_outdir_file(tact_outdir *dir, const char *name)
{
	char **grown = realloc(dir->names, (dir->name_count + 1) * sizeof *grown);
	char *copy = strdup(name);

	if (!grown || !copy) {
		if (grown)
			dir->names = grown;
		free(copy);
		return NULL;
	}
	dir->names = grown;
	dir->names[dir->name_count++] = copy;
	return join(dir->temporary, name);
}

static tact_status write_marker(tact_outdir *dir, const char *heading,
                                tact_error *error)
{
	char *path = join(dir->temporary, dir->marker);
	FILE *out;
	size_t i;
	int failed;

	if (!path)
		return tact_error_oom(error);
	out = fopen(path, "w");
	free(path);
	if (!out)
		return tact_error_set(error, TACT_CANTCREAT, dir->target, 0, 0,
		                      "cannot write the marker: %s", strerror(errno));
	fprintf(out, "# %s\n# The files tact wrote here; tact refuses to replace "
	        "this folder while it holds anything else.\n", heading);
	for (i = 0; i < dir->name_count; i++) {
		/* A file named but never written (a chart with nothing to draw)
		 * is left out: the marker lists what the folder holds. */
		char *file = join(dir->temporary, dir->names[i]);
		struct stat info;
		if (!file || lstat(file, &info) == 0)
			fprintf(out, "%s\n", dir->names[i]);
		free(file);
	}
	failed = ferror(out) != 0;
	if (fclose(out) != 0)
		failed = 1;
	return failed ? tact_error_set(error, TACT_IOERR, dir->target, 0, 0,
	                               "cannot write the marker: %s",
	                               strerror(errno ? errno : EIO))
	              : TACT_OK;
}

/* Without RENAME_EXCHANGE: the previous folder renamed aside, the new one
 * in, the previous one removed (or put back on failure). */
static tact_status install_aside(tact_outdir *dir, tact_error *error)
{
	char *old = malloc(strlen(dir->target) + 16);
	tact_status status = TACT_OK;

	if (!old)
		return tact_error_oom(error);
	sprintf(old, "%s.old-XXXXXX", dir->target);
	if (rename(dir->temporary, dir->target) == 0)
		goto done; /* absent or empty: replaced */
	if (!mkdtemp(old) || rename(dir->target, old) != 0) {
		status = tact_error_set(error, TACT_CANTCREAT, dir->target, 0, 0,
		                        "cannot move the previous report aside: %s",
		                        strerror(errno));
		rmdir(old);
		goto done;
	}
	if (rename(dir->temporary, dir->target) != 0) {
		status = tact_error_set(error, TACT_CANTCREAT, dir->target, 0, 0,
		                        "cannot rename into place: %s", strerror(errno));
		rename(old, dir->target);
		goto done;
	}
	remove_report(old, dir->marker);
done:
	free(old);
	return status;
}

/* Move name from the temporary folder into the target, never over a file
 * already there; 0 on success, else -1 with errno set. */
static int move_in(const tact_outdir *dir, const char *name)
{
	char *from = join(dir->temporary, name), *to = join(dir->target, name);
	int result = -1;

	if (!from || !to)
		errno = ENOMEM;
	else if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		result = 0;
	else if (errno == EINVAL || errno == ENOSYS) {
		struct stat info;
		if (lstat(to, &info) == 0)
			errno = EEXIST;
		else
			result = rename(from, to);
	}
	free(from);
	free(to);
	return result;
}

/*
 * An existing empty folder is filled in place rather than swapped, so it
 * stays the same folder: a shell inside it ("-o .": issue 18) sees the
 * report, and its owner and mode stay.  The marker goes first, so a fill
 * cut short leaves a folder a rerun replaces.  1: filled; 0: the folder
 * is absent or not empty (or another run got there first): swap as
 * usual; -1: error set.
 */
static int fill_empty(tact_outdir *dir, tact_error *error)
{
	DIR *folder = opendir(dir->target);
	struct dirent *entry;
	int empty = folder != NULL;

	while (folder && (entry = readdir(folder)) != NULL)
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			empty = 0;
	if (folder)
		closedir(folder);
	if (!empty || move_in(dir, dir->marker) != 0)
		return 0;
	/* What the temporary holds (a name listed may not have been written:
	 * a chart with nothing to draw). */
	folder = opendir(dir->temporary);
	while (folder && (entry = readdir(folder)) != NULL) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		if (move_in(dir, entry->d_name) != 0) {
			tact_error_set(error, TACT_CANTCREAT, dir->target, 0, 0,
			               "cannot move into place: %s", strerror(errno));
			closedir(folder);
			return -1;
		}
	}
	if (folder)
		closedir(folder);
	rmdir(dir->temporary);
	return 1;
}

tact_status tact_outdir_commit(tact_outdir *dir, const char *heading,
                               tact_error *error)
{
	tact_status status;
	int attempt, filled = 0;
	size_t i;

	status = write_marker(dir, heading, error);
	if (status == TACT_OK && (filled = fill_empty(dir, error)) < 0)
		status = TACT_CANTCREAT; /* what moved in stays, with its marker */
	for (attempt = 0; status == TACT_OK && filled == 0; attempt++) {
		struct stat info;

		if (renameat2(AT_FDCWD, dir->temporary, AT_FDCWD, dir->target,
		              RENAME_NOREPLACE) == 0)
			break;
		if (errno == EINVAL || errno == ENOSYS) {
			status = install_aside(dir, error);
			break;
		}
		if ((errno != EEXIST && errno != ENOTEMPTY) || attempt >= 8) {
			status = tact_error_set(error, TACT_CANTCREAT, dir->target, 0, 0,
			                        "cannot rename into place: %s",
			                        strerror(errno));
			break;
		}
		/* There now, or there from the start: the same rules again (it
		 * may have changed since the run began). */
		if (lstat(dir->target, &info) != 0)
			continue;
		if (!S_ISDIR(info.st_mode)) {
			status = tact_error_set(error, TACT_CANTCREAT, dir->target, 0, 0,
			                        "exists and is not a folder");
			break;
		}
		status = check_contents(dir->target, dir->marker, dir->target, error);
		if (status != TACT_OK)
			break;
		if (renameat2(AT_FDCWD, dir->temporary, AT_FDCWD, dir->target,
		              RENAME_EXCHANGE) == 0) {
			/* The temporary name now holds the previous report. */
			remove_report(dir->temporary, dir->marker);
			break;
		}
		if (errno == EINVAL || errno == ENOSYS) {
			status = install_aside(dir, error);
			break;
		}
		/* Gone meanwhile (ENOENT): try again. */
	}
	if (status != TACT_OK) {
		tact_outdir_abort(dir);
		return status;
	}
	tact_cleanup_forget(dir->temporary);
	for (i = 0; i < dir->made_count; i++)
		tact_cleanup_forget(dir->made[i]);
	release(dir);
	return TACT_OK;
}
