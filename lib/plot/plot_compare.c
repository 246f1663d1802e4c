/*
 * plot_compare.c - the rows of tact-compare's output as the forest and
 * rates charts keep them (see plot_internal.h): the options' metric and
 * arm, suppressed rows left out when asked; segments, metrics (with their
 * direction and kind) and arms in order of first appearance.
 */
#include "plot_internal.h"

#include <stdlib.h>
#include <string.h>

tact_status tact_plot_compare_init(tact_plot_compare *compare,
                                   const tact_plot_table *table,
                                   tact_error *error)
{
	memset(compare, 0, sizeof *compare);
	tact_plot_list_init(&compare->segments);
	tact_plot_list_init(&compare->metrics);
	tact_plot_list_init(&compare->arms);
	tact_plot_list_init(&compare->all_metrics);
	tact_plot_list_init(&compare->all_arms);
	/* Every row could bring a new metric. */
	compare->down = calloc(table->rows, sizeof *compare->down);
	compare->rate = calloc(table->rows, sizeof *compare->rate);
	if (!compare->down || !compare->rate)
		return tact_error_oom(error);
	return TACT_OK;
}

void tact_plot_compare_release(tact_plot_compare *compare)
{
	tact_plot_list_release(&compare->segments);
	tact_plot_list_release(&compare->metrics);
	tact_plot_list_release(&compare->arms);
	tact_plot_list_release(&compare->all_metrics);
	tact_plot_list_release(&compare->all_arms);
	free(compare->down);
	free(compare->rate);
	compare->down = compare->rate = NULL;
}

int tact_plot_compare_keep(tact_plot_compare *compare,
                           const tact_plot_table *table, size_t row,
                           const tact_plot_options *options,
                           int control_first, size_t at[3])
{
	const char *metric = tact_plot_table_text(
		table, row, (size_t)tact_plot_table_column(table, "metric"));
	const char *arm = tact_plot_table_text(
		table, row, (size_t)tact_plot_table_column(table, "arm"));
	const char *verdict = tact_plot_table_text(
		table, row, (size_t)tact_plot_table_column(table, "verdict"));
	const char *test = tact_plot_table_text(
		table, row, (size_t)tact_plot_table_column(table, "test"));
	size_t before = compare->metrics.count;
	char segment[512];
	long s, m, a;

	if (tact_plot_list_add(&compare->all_metrics, metric) < 0 ||
	    tact_plot_list_add(&compare->all_arms, arm) < 0)
		return -1;
	if ((options->metric && strcmp(options->metric, metric) != 0) ||
	    (options->arm && strcmp(options->arm, arm) != 0))
		return 0;
	if (strcmp(verdict, "suppressed") == 0) {
		compare->suppressed++;
		if (options->omit_suppressed)
			return 0;
	}
	tact_plot_table_segment(table, row,
	                        tact_plot_table_dimensions(table, "metric"),
	                        segment, sizeof segment);
	/* The control leads the arms (the rates chart's grey bar). */
	if (control_first && compare->arms.count == 0 &&
	    tact_plot_list_add(&compare->arms, tact_plot_table_text(
	            table, row,
	            (size_t)tact_plot_table_column(table, "control"))) < 0)
		return -1;
	s = tact_plot_list_add(&compare->segments, segment);
	m = tact_plot_list_add(&compare->metrics, metric);
	a = tact_plot_list_add(&compare->arms, arm);
	if (s < 0 || m < 0 || a < 0)
		return -1;
	if (compare->metrics.count > before) {
		compare->down[m] = strcmp(tact_plot_table_text(
		        table, row,
		        (size_t)tact_plot_table_column(table, "direction")),
		        "down") == 0;
		compare->rate[m] = -1;
	}
	/* The test says what the metric is: z or Fisher for a rate, Welch
	 * for a mean (blank on a suppressed row: unknown still). */
	if (strcmp(test, "z") == 0 || strcmp(test, "fisher") == 0)
		compare->rate[m] = 1;
	else if (strcmp(test, "welch") == 0)
		compare->rate[m] = 0;
	at[0] = (size_t)s;
	at[1] = (size_t)m;
	at[2] = (size_t)a;
	compare->kept++;
	return 1;
}

tact_status tact_plot_compare_finish(const tact_plot_compare *compare,
                                     const tact_plot_table *table,
                                     const tact_plot_options *options,
                                     tact_error *error)
{
	if (compare->kept > 0)
		return TACT_OK;
	return tact_plot_nothing_to_draw(table, options, &compare->all_metrics,
	                                 &compare->all_arms,
	                                 "no rows to draw (all suppressed)",
	                                 error);
}
