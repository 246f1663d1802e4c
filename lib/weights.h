/*
 * weights.h - the analyst's price of each outcome: "--weights
 * converted=40,bounced=-0.5,unsubscribed=-12", the value of one event of
 * each metric in the analyst's currency (negative for a cost).  One parser
 * for every tool that weighs outcomes (tact-frontier, tact-dose,
 * tact-report).
 */
#ifndef TACT_WEIGHTS_H
#define TACT_WEIGHTS_H

#include <stddef.h>

#include "error.h"

/*
 * Parse text into count metric names and their weights (both malloc'ed;
 * the caller frees each name and both arrays).  Errors (TACT_USAGE): an
 * item that is not METRIC=NUMBER, a metric named twice, an empty list
 * item; TACT_SOFTWARE on memory.  Nothing is allocated on error.
 */
tact_status tact_weights_parse(const char *text, char ***metrics,
                               double **weights, size_t *count,
                               tact_error *error);

#endif
