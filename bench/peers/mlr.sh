#!/bin/sh
# mlr.sh EXPORT - the bench's group-by with Miller (filter, then stats1).
# Empty cells are skipped by stats1.  Miller has no sum of squares: the
# sample variance is asked for (check.py rebuilds the sum of squares), and
# the units are consent's count.  Writes CSV with Miller's column names.
set -eu
exec mlr --icsv --ocsv filter '$consent == 1' \
	then stats1 -a count,sum,var \
	-f consent,converted,bounced,unsubscribed,revenue,exposures \
	-g intent,arm \
	then sort -f intent,arm "$1"
