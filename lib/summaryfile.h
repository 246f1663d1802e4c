/*
 * summaryfile.h - the summary as a CSV file: writing it, and reading it
 * back record by record (the loader decides from the header whether an
 * input is a summary or a raw export).  The format is documented in
 * man/tact-summary.5; in short:
 *
 *   tact_summary_v1,segment:intent,arm:arm,units,goal:converted:n,...
 *   meta,rows_read,20000,...
 *   group,buy,control,2011,...
 *
 * The first header field names the format and its version.  The others
 * name each column's role: segment:NAME per segment dimension, arm:NAME,
 * units, ROLE:METRIC:STAT (STAT = n, sum, m2) per metric, and
 * cross:A:B:STAT (STAT = n, sum_a, sum_b, c) per pair of metrics.  Rows are
 * "meta" rows (key in the second field, value in the third) or "group"
 * rows.
 */
#ifndef TACT_SUMMARYFILE_H
#define TACT_SUMMARYFILE_H

#include <stdio.h>

#include "csvreader.h"
#include "summary.h"

/* True when a header record is a summary's (its first field starts with
 * "tact_summary_v"). */
int tact_summaryfile_is_header(const tact_csv_record *header);

/*
 * Write summary (finished and sorted here) to out as CSV.  Returns
 * TACT_IOERR when out reports an error.
 */
tact_status tact_summaryfile_write(tact_summary *summary, FILE *out,
                                   tact_error *error);

/*
 * The caps of summary's metrics as one JSON field of an object being
 * written (after a comma unless *first, which is then cleared):
 *   "caps":[{"metric":"spend","cap":"p99","value":431.5,"units_capped":12}]
 * Nothing at all when no metric is capped, so uncapped outputs do not
 * change.  For the tools' JSON "data" objects.
 */
/*
 * --where, as JSON fields of the same object: "where":"country = 'DE'",
 * "rows_excluded_where":1709; nothing when the rows were not filtered.
 */
void tact_summaryfile_write_where_json(FILE *out, const tact_summary *summary,
                                       int *first);

void tact_summaryfile_write_caps_json(FILE *out, const tact_summary *summary,
                                      int *first);

/*
 * Units seen in several arms, as fields of the JSON object being written:
 *   "units_in_several_arms":6,"mixed_units":"drop"
 * ("first" when kept in their first arm).  Nothing when there were none.
 */
void tact_summaryfile_write_units_json(FILE *out, const tact_summary *summary,
                                       int *first);

typedef struct tact_summaryfile_reader tact_summaryfile_reader;

/*
 * Start reading a summary whose header is given: sets summary's columns.
 * file names the input in messages.  Errors (TACT_DATA): another version,
 * unknown or incomplete columns.
 */
tact_status tact_summaryfile_begin(tact_summaryfile_reader **reader,
                                   tact_summary *summary,
                                   const tact_csv_record *header,
                                   const char *file, tact_error *error);

/* Read one row (meta or group), checking every value: counts are whole and
 * non-negative, no count exceeds its units, 0/1 sums lie within [0, n],
 * spreads are non-negative, no group appears twice. */
tact_status tact_summaryfile_row(tact_summaryfile_reader *reader,
                                 const tact_csv_record *record,
                                 tact_error *error);

/* Finish: the summary is complete and finished. */
tact_status tact_summaryfile_end(tact_summaryfile_reader *reader,
                                 tact_error *error);

void tact_summaryfile_reader_free(tact_summaryfile_reader *reader);

#endif
