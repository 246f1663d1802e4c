# datatable.R EXPORT [SHAPE] - the bench's group-by with R data.table (fread
# with select, two threads).  Per intent x arm, over rows whose consent is
# 1: the row count, and per metric the count of non-missing values, their
# sum and their sum of squares.  SHAPE as in shape.sh (default quoted, which
# reads any plain numeric export):
#   plain   fread reads true/false as logical; yes/no (text) become 1/0
#   units   sessions folded by visitor_id first: the first session's intent
#           and arm, the largest outcome, the sum of revenue and exposures
#           (missing when every session's cell is), then the group-by
# Writes CSV: intent,arm,units,M_n,M_sum,M_sumsq,...
suppressPackageStartupMessages(library(data.table))
setDTthreads(2)
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
shape <- if (length(args) > 1) args[2] else "quoted"
metrics <- c("converted", "bounced", "unsubscribed", "revenue", "exposures")
outcomes <- c("converted", "bounced", "unsubscribed")
values <- c("revenue", "exposures")
columns <- c("intent", "arm", "consent", metrics)
if (shape == "units") columns <- c("visitor_id", columns)
dt <- fread(path, select = columns, showProgress = FALSE)
number <- function(x) {
  if (is.logical(x)) return(as.numeric(x))
  if (!is.character(x)) return(as.numeric(x))
  fifelse(x %chin% c("true", "yes"), 1, fifelse(x %chin% c("false", "no"), 0, NA_real_))
}
if (shape == "plain")
  for (name in c("converted", "bounced", "consent"))
    set(dt, j = name, value = number(dt[[name]]))
dt <- dt[consent == 1]
if (shape == "units") {
  # first, max and sum by visitor (GForce); a unit's metric is missing when
  # every session's cell is (its count of present cells is 0).
  for (name in metrics) {
    set(dt, j = paste0(name, "_has"), value = as.integer(!is.na(dt[[name]])))
    set(dt, j = name, value = as.numeric(dt[[name]]))
  }
  dt <- suppressWarnings(dt[, .(
    intent = first(intent), arm = first(arm),
    converted = max(converted, na.rm = TRUE), bounced = max(bounced, na.rm = TRUE),
    unsubscribed = max(unsubscribed, na.rm = TRUE),
    revenue = sum(revenue, na.rm = TRUE), exposures = sum(exposures, na.rm = TRUE),
    converted_has = max(converted_has), bounced_has = max(bounced_has),
    unsubscribed_has = max(unsubscribed_has), revenue_has = max(revenue_has),
    exposures_has = max(exposures_has)), by = visitor_id])
  for (name in metrics)
    set(dt, i = which(dt[[paste0(name, "_has")]] == 0L), j = name, value = NA)
}
result <- dt[, c(list(units = .N),
                 setNames(lapply(.SD, function(x) sum(!is.na(x))),
                          paste0(metrics, "_n")),
                 setNames(lapply(.SD, sum, na.rm = TRUE),
                          paste0(metrics, "_sum")),
                 setNames(lapply(.SD, function(x) sum(x * x, na.rm = TRUE)),
                          paste0(metrics, "_sumsq"))),
             by = .(intent, arm), .SDcols = metrics]
setorder(result, intent, arm)
fwrite(result, "", dec = ".")
