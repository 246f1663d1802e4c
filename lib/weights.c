/*
 * weights.c - parsing --weights (see weights.h).
 */
#include "weights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "roles.h"

/* 1e400 as a weight: out of range, said so (parse.h). */
static tact_status range(const char *item, const char *equals,
                         tact_error *error)
{
	char what[160];

	snprintf(what, sizeof what, "the weight of '%.*s'",
	         (int)(equals - item), item);
	return tact_parse_check_range(what, equals + 1, strlen(equals + 1), NULL,
	                              error);
}

tact_status tact_weights_parse(const char *text, char ***metrics_out,
                               double **weights_out, size_t *count_out,
                               tact_error *error)
{
	tact_names items;
	char **metrics = NULL;
	double *weights = NULL;
	size_t i, j, count = 0;
	tact_status status;

	*metrics_out = NULL;
	*weights_out = NULL;
	*count_out = 0;
	memset(&items, 0, sizeof items);
	if ((status = tact_names_parse(&items, text, error)) != TACT_OK)
		return status;
	metrics = calloc(items.count + 1, sizeof *metrics);
	weights = calloc(items.count + 1, sizeof *weights);
	if (!metrics || !weights) {
		status = tact_error_oom(error);
		goto done;
	}
	for (i = 0; i < items.count; i++) {
		char *item = items.items[i], *equals = strrchr(item, '=');
		if (!equals || equals == item ||
		    tact_parse_number(equals + 1, strlen(equals + 1), 0, &weights[i])) {
			if (equals && equals != item &&
			    (status = range(item, equals, error)) != TACT_OK)
				goto done;
			status = tact_error_set(error, TACT_USAGE, NULL, 0, 0,
			                        "--weights expects METRIC=NUMBER items "
			                        "(the value of one event, negative for a "
			                        "cost: converted=40,bounced=-0.5), got '%s'",
			                        item);
			goto done;
		}
		*equals = '\0';
		for (j = 0; j < count; j++)
			if (strcmp(metrics[j], item) == 0) {
				status = tact_error_set(error, TACT_USAGE, NULL, 0, 0,
				                        "--weights names '%s' twice", item);
				goto done;
			}
		if (!(metrics[count] = strdup(item))) {
			status = tact_error_oom(error);
			goto done;
		}
		count++;
	}
done:
	tact_names_release(&items);
	if (status != TACT_OK) {
		for (i = 0; i < count; i++)
			free(metrics[i]);
		free(metrics);
		free(weights);
		return status;
	}
	*metrics_out = metrics;
	*weights_out = weights;
	*count_out = count;
	return TACT_OK;
}
