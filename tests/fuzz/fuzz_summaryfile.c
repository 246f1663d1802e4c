/*
 * fuzz_summaryfile.c - libFuzzer harness for loading an input into a
 * summary (lib/load.c, lib/summaryfile.c, lib/summary.c): the input bytes
 * are a raw export or a summary, as every statistics tool reads them.
 *
 * Load options (skip_bad, decimal_comma, --by-exposures, --by '' and a
 * tiny part size so raw rows go through several parts merged in order)
 * are picked from the input's hash, so one corpus file covers them over the
 * runs without changing its bytes.
 *
 * What must hold, whatever the input:
 *   - no crash, leak, out-of-bounds access or undefined behaviour;
 *   - a failure has its status in the error value;
 *   - a loaded summary written as a summary file reads back, and writing
 *     that again gives the same bytes (the summary format round-trips);
 *   - tact_summary_merge of the summary with its own re-read succeeds;
 *   - read as a file by several threads (tiny parts), the input gives the
 *     same summary to the last bit, or the same error;
 *   - tact-compare's, tact-frontier's, tact-dose's and tact-power's
 *     computations on it run to a status (their writers too), whatever
 *     that status is.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compare.h"
#include "dose.h"
#include "frontier.h"
#include "load.h"
#include "numeric.h"
#include "powerplan.h"
#include "summaryfile.h"

static FILE *null_stream(void)
{
	static FILE *sink;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return sink;
}

/* Write summary as a summary file into a fresh buffer (caller frees). */
static char *write_summary(tact_summary *summary, size_t *length)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, length);
	tact_error error;

	if (!out)
		abort();
	tact_error_init(&error);
	if (tact_summaryfile_write(summary, out, &error) != TACT_OK)
		abort();
	if (fclose(out) != 0)
		abort();
	return text;
}

static void check_error(tact_status status, const tact_error *error)
{
	if (status != TACT_OK && error->status != status) {
		fprintf(stderr, "status %d but error status %d (%s)\n", (int)status,
		        (int)error->status, error->message);
		abort();
	}
}

static void analyse(const tact_summary *summary)
{
	tact_compare_options compare;
	tact_compare_result result;
	tact_frontier_options frontier_options;
	tact_frontier frontier;
	tact_powerplan_options plan_options;
	tact_powerplan plan;
	tact_error error;
	tact_status status;
	char weights[512];
	size_t m, used = 0;

	tact_compare_options_init(&compare);
	tact_error_init(&error);
	status = tact_compare_run(summary, &compare, &result, &error);
	check_error(status, &error);
	if (status == TACT_OK) {
		tact_compare_write_csv(&result, null_stream(), &error);
		tact_compare_write_table(&result, null_stream(), &error);
		tact_compare_write_json(&result, null_stream(), &error);
		tact_compare_result_release(&result);
	}
	tact_compare_options_release(&compare);

	/* Every metric weighed, alternately gained and lost. */
	weights[0] = '\0';
	for (m = 0; m < summary->metric_count && m < 8; m++) {
		int n = snprintf(weights + used, sizeof weights - used, "%s%s=%s",
		                 used ? "," : "", summary->metrics[m].name,
		                 m % 2 ? "-1.5" : "40");
		if (n < 0 || (size_t)n >= sizeof weights - used)
			break;
		used += (size_t)n;
	}
	tact_frontier_options_init(&frontier_options);
	tact_error_init(&error);
	if (used && tact_frontier_parse_weights(&frontier_options, weights,
	                                        &error) == TACT_OK) {
		status = tact_frontier_run(summary, &frontier_options, &frontier,
		                           &error);
		check_error(status, &error);
		if (status == TACT_OK) {
			tact_frontier_write_csv(&frontier, null_stream(), &error);
			tact_frontier_write_tests(&frontier, null_stream(), &error);
			tact_frontier_write_table(&frontier, null_stream(), &error);
			tact_frontier_write_json(&frontier, null_stream(), &error);
			tact_frontier_release(&frontier);
		}
	}
	tact_frontier_options_release(&frontier_options);

	/* Dose-response, when the last dimension is an exposure count (the
	 * weights as above; few bootstrap draws, for speed). */
	if (summary->dimensions > 0) {
		tact_dose_options dose_options;
		tact_dose_result dose;
		tact_error_init(&error);
		if (tact_dose_options_init(&dose_options, &error) != TACT_OK)
			abort();
		dose_options.draws = 20;
		dose_options.max_exposures = 30;
		if (used)
			(void)tact_dose_parse_weights(&dose_options, weights, &error);
		tact_error_init(&error);
		memset(&dose, 0, sizeof dose);
		status = tact_dose_run(summary, &dose_options, &dose, &error);
		check_error(status, &error);
		if (status == TACT_OK) {
			tact_dose_write_csv(&dose, TACT_DOSE_TABLE_BINS, null_stream(),
			                    &error);
			tact_dose_write_csv(&dose, TACT_DOSE_TABLE_CAPS, null_stream(),
			                    &error);
			tact_dose_write_table(&dose, null_stream(), &error);
			tact_dose_write_json(&dose, null_stream(), &error);
		}
		tact_dose_result_release(&dose);
		tact_dose_options_release(&dose_options);
	}

	tact_powerplan_options_init(&plan_options);
	tact_error_init(&error);
	status = tact_powerplan_run(summary, &plan_options, &plan, &error);
	check_error(status, &error);
	if (status == TACT_OK) {
		tact_powerplan_write_csv(&plan, null_stream(), &error);
		tact_powerplan_release(&plan);
	}
}

/*
 * The same input as a file read by several threads (tact_load over a memfd,
 * with the memory read's parts of a few bytes, so that even a small input
 * makes several ranges)
 * must give the same summary, to the last bit, or the same error as the
 * memory read: ranges that fail or end inside a quoted field fall back to
 * one thread.
 */
static void compare_threads(const uint8_t *data, size_t size,
                            const tact_load_options *base, tact_status status,
                            const tact_error *error, const char *text,
                            size_t length, uint64_t h)
{
	tact_load_options options = *base;
	tact_summary summary;
	tact_error file_error;
	tact_status file_status;
	char path[64], *file_text;
	size_t file_length;
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	/* The same parts as the memory read (a part's summary is what makes
	 * the bits): only the threads differ. */
	options.threads = 2 + (long)((h >> 40) % 3);
	tact_summary_init(&summary);
	tact_error_init(&file_error);
	file_status = tact_load(path, &options, &summary, NULL, &file_error);
	if (file_status != status ||
	    (status != TACT_OK &&
	     (file_error.line != error->line ||
	      file_error.column != error->column ||
	      strcmp(file_error.message, error->message) != 0))) {
		fprintf(stderr, "threads: status %d (%s) vs memory %d (%s)\n",
		        (int)file_status, file_error.message, (int)status,
		        error->message);
		abort();
	}
	if (status == TACT_OK) {
		file_text = write_summary(&summary, &file_length);
		if (file_length != length || memcmp(file_text, text, length) != 0) {
			fprintf(stderr, "threads: the summary differs from one "
			        "thread's:\n%.*s\n--- vs\n%.*s\n", (int)file_length,
			        file_text, (int)length, text);
			abort();
		}
		free(file_text);
	}
	tact_summary_release(&summary);
	close(fd);
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
	static int initialised;
	uint64_t h = hash(data, size);
	tact_load_options options;
	tact_summary summary, again, twice;
	tact_error error;
	tact_status status;
	char *first, *second;
	size_t first_length, second_length;

	if (!initialised) {
		tact_numeric_init();
		initialised = 1;
	}
	tact_error_init(&error);
	if (tact_load_options_init(&options, &error) != TACT_OK)
		abort();
	options.skip_bad = (h & 1) != 0;
	options.decimal_comma = (h & 6) == 6;
	options.exposure_dimension = (h & 24) == 24;
	options.part_bytes = 1 + (h >> 8) % 200;
	/* Small chunks cut lines at every place over the runs; otherwise
	 * 64 KiB, as large as any input (the 1 MiB default would allocate
	 * 2 MiB per run, which halves the speed under ASan). */
	options.csv.chunk_size = (h >> 16) % 3 == 0 ? 1 + (h >> 24) % 61
	                                            : (size_t)1 << 16;
	if ((h & 96) == 96 &&
	    tact_roles_spec_set(&options.roles, "by", "", &error) != TACT_OK)
		abort();

	tact_summary_init(&summary);
	status = tact_load_memory("fuzz", (const char *)data, size, &options,
	                          &summary, NULL, &error);
	check_error(status, &error);
	if (status != TACT_OK && (h & 0x300) == 0x300 && !options.skip_bad)
		compare_threads(data, size, &options, status, &error, NULL, 0, h);
	if (status == TACT_OK) {
		analyse(&summary);

		/* Round trip: summary -> file -> summary -> file, same bytes. */
		first = write_summary(&summary, &first_length);
		if ((h & 0x300) == 0x300 && !options.skip_bad)
			compare_threads(data, size, &options, status, &error, first,
			                first_length, h);
		tact_load_options_release(&options);
		tact_load_options_init(&options, &error);
		options.csv.chunk_size = (size_t)1 << 16;
		tact_summary_init(&again);
		tact_error_init(&error);
		status = tact_load_memory("written", first, first_length, &options,
		                          &again, NULL, &error);
		if (status != TACT_OK) {
			fprintf(stderr, "a written summary does not read back: %s\n"
			        "%.*s\n", error.message, (int)first_length, first);
			abort();
		}
		second = write_summary(&again, &second_length);
		if (first_length != second_length ||
		    memcmp(first, second, first_length) != 0) {
			fprintf(stderr, "summary round trip differs:\n%.*s\n--- vs\n%.*s\n",
			        (int)first_length, first, (int)second_length, second);
			abort();
		}
		/* Merging a summary with its own copy must be accepted. */
		tact_summary_init(&twice);
		tact_error_init(&error);
		status = tact_load_memory("written", first, first_length, &options,
		                          &twice, NULL, &error);
		if (status != TACT_OK)
			abort();
		status = tact_summary_merge(&twice, &again, &error);
		if (status != TACT_OK) {
			fprintf(stderr, "merging a summary with itself: %s\n",
			        error.message);
			abort();
		}
		free(first);
		free(second);
		tact_summary_release(&again);
		tact_summary_release(&twice);
	}
	tact_summary_release(&summary);
	tact_load_options_release(&options);
	return 0;
}
