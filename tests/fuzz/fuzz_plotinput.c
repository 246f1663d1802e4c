/*
 * fuzz_plotinput.c - libFuzzer harness for what tact-plot reads: the CSV
 * output of tact-compare, tact-frontier, tact-dose, tact-power and
 * tact-intent eval, turned into a gnuplot script (lib/plot*.c), without
 * running gnuplot.  The first byte picks the kind of chart, the rest is
 * the CSV.  Beyond "no crash, leak, overflow or UB": a failure fills its
 * error, and a script is NUL-free text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tact_plot_options options;
	tact_plot_script script;
	tact_error error;
	tact_status status;
	tact_plot_kind kind;

	if (size == 0)
		return 0;
	kind = (tact_plot_kind)(data[0] % TACT_PLOT_KIND_COUNT);
	tact_plot_options_init(&options);
	tact_plot_script_init(&script);
	tact_error_init(&error);
	status = tact_plot_build_memory(kind, "fuzz", (const char *)data + 1,
	                                size - 1, &options, &script, &error);
	if (status != TACT_OK && error.status != status)
		abort();
	if (status == TACT_OK) {
		if (!script.text || memchr(script.text, '\0', script.length))
			abort();
	}
	tact_plot_script_release(&script);
	return 0;
}
