/*
 * summary_write.c - a summary as an overview table (see summary_write.h).
 */
#include "summary_write.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "table.h"

tact_status tact_summary_hidden(const tact_summary *summary, int64_t min_cell,
                                tact_privacy_mode mode, unsigned char **hidden,
                                tact_error *error)
{
	const size_t n = summary->group_count, q = 1 + summary->metric_count;
	size_t *segment = calloc(n + 1, sizeof *segment);
	size_t *arm = calloc(n + 1, sizeof *arm);
	tact_privacy_table table;
	tact_privacy_plan plan;
	tact_status status;
	size_t g, m;

	*hidden = calloc(n * q + 1, 1);
	if (!*hidden || !segment || !arm) {
		status = tact_error_oom(error);
		goto done;
	}
	status = tact_privacy_table_from_summary(summary, &table, segment, arm,
	                                         error);
	if (status != TACT_OK)
		goto done;
	status = tact_privacy_decide(&table, min_cell, mode, &plan, error);
	if (status == TACT_OK) {
		for (g = 0; g < n; g++) {
			(*hidden)[g * q] = (unsigned char)tact_privacy_hidden(
				&plan, segment[g], arm[g], TACT_PRIVACY_UNITS);
			for (m = 0; m < summary->metric_count; m++)
				(*hidden)[g * q + 1 + m] = (unsigned char)tact_privacy_hidden(
					&plan, segment[g], arm[g], m);
		}
		tact_privacy_plan_release(&plan);
	}
	tact_privacy_table_release(&table);
done:
	if (status != TACT_OK) {
		free(*hidden);
		*hidden = NULL;
	}
	free(segment);
	free(arm);
	return status;
}

/* One metric's cell: a rate in %, a mean, or "-". */
static void metric_cell(const tact_summary *summary, size_t metric,
                        const tact_summary_group *group, int hidden,
                        char *text, size_t size)
{
	double mean = tact_moments_mean(group->metrics[metric]);

	text[0] = '\0';
	if (!hidden && summary->metrics[metric].binary) {
		tact_format_fixed(text, size, 100.0 * mean, 2);
		if (text[0])
			strcat(text, "%");
	} else if (!hidden) {
		tact_format_fixed(text, size, mean, 2);
	}
	if (!text[0])
		strcpy(text, "-");
}

static void add_rows(const tact_summary *summary, const unsigned char *hide,
                     int64_t min_cell, const char **cells, char (*text)[40],
                     tact_table *table)
{
	const size_t d = summary->dimensions, m = summary->metric_count;
	size_t g, i;

	for (g = 0; g < summary->group_count; g++) {
		const tact_summary_group *group = &summary->groups[g];
		int hidden = hide[g * (1 + m)];
		for (i = 0; i < d; i++)
			cells[i] = group->labels[i][0] ? group->labels[i] : "(empty)";
		cells[d] = group->arm;
		if (group->units < min_cell)
			snprintf(text[d + 1], sizeof text[0], "<%lld", (long long)min_cell);
		else if (hidden)
			snprintf(text[d + 1], sizeof text[0], "hidden");
		else
			tact_format_count(text[d + 1], group->units);
		cells[d + 1] = text[d + 1];
		for (i = 0; i < m; i++) {
			metric_cell(summary, i, group, hidden || hide[g * (1 + m) + 1 + i],
			            text[d + 2 + i], sizeof text[0]);
			cells[d + 2 + i] = text[d + 2 + i];
		}
		/* A blank line between segments. */
		tact_table_add(table, cells,
		               g > 0 && d > 0 &&
		               strcmp(group->labels[0], summary->groups[g - 1].labels[0]));
	}
}

tact_status tact_summary_write_table(const tact_summary *summary,
                                     int64_t min_cell, tact_privacy_mode mode,
                                     FILE *out, tact_error *error)
{
	const size_t d = summary->dimensions, m = summary->metric_count;
	const size_t columns = d + 2 + m;
	const char **cells = calloc(columns, sizeof *cells);
	char (*text)[40] = calloc(columns, sizeof *text);
	unsigned char *hide = NULL;
	tact_table table;
	tact_status status;
	size_t i;

	if (!cells || !text) {
		status = tact_error_oom(error);
		goto done;
	}
	status = tact_summary_hidden(summary, min_cell, mode, &hide, error);
	if (status != TACT_OK)
		goto done;
	for (i = 0; i < d; i++)
		cells[i] = summary->dimension_names[i];
	cells[d] = summary->arm_name;
	cells[d + 1] = "units";
	for (i = 0; i < m; i++)
		cells[d + 2 + i] = summary->metrics[i].name;
	if (tact_table_init(&table, columns, cells) != 0) {
		status = tact_error_oom(error);
		goto done;
	}
	for (i = d + 1; i < columns; i++)
		tact_table_align_right(&table, i);
	add_rows(summary, hide, min_cell, cells, text, &table);
	tact_table_print(&table, out);
	fprintf(out, "\nRates in %%, means per unit; %lld rows read, %lld left out "
	             "for lack of consent, %lld rejected",
	        (long long)summary->rows_read,
	        (long long)summary->rows_excluded_consent,
	        (long long)summary->rows_rejected);
	if (summary->units_in_several_arms > 0)
		fprintf(out, "; %lld units seen in several arms, %s",
		        (long long)summary->units_in_several_arms,
		        summary->mixed_units_kept ? "each kept in its first"
		                                  : "dropped");
	fputs(".\n", out);
	tact_table_release(&table);
	if (ferror(out))
		status = tact_error_set(error, TACT_IOERR, NULL, 0, 0,
		                        "cannot write the table");
done:
	free(cells);
	free(text);
	free(hide);
	return status;
}
