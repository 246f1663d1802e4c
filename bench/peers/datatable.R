# datatable.R EXPORT - the bench's group-by with R data.table (fread with
# select, two threads).  Per intent x arm, over rows whose consent is 1: the
# row count, and per metric the count of non-missing values, their sum and
# their sum of squares.  Writes CSV: intent,arm,units,M_n,M_sum,M_sumsq,...
suppressPackageStartupMessages(library(data.table))
setDTthreads(2)
path <- commandArgs(trailingOnly = TRUE)[1]
metrics <- c("converted", "bounced", "unsubscribed", "revenue", "exposures")
dt <- fread(path, select = c("intent", "arm", "consent", metrics),
            showProgress = FALSE)
dt <- dt[consent == 1]
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
