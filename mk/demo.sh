#!/bin/sh
# demo.sh BIN - the main job on the bundled sample (20,000 simulated
# visitors, datasets/sample.csv): its summary as a table, then the whole
# report into reports/demo/.
set -eu
bin=$1
echo "tact demo: datasets/sample.csv, 20,000 simulated visitors, per intent and arm"
echo
"$bin/tact-summarize" --quiet --format table datasets/sample.csv
echo
page=$("$bin/tact-report" --quiet --weights converted=40,bounced=-0.5,unsubscribed=-12 \
	-o reports/demo datasets/sample.csv)
echo "The report (what to do per segment, the trade-off, charts, methods):"
echo "  open $page"
echo "(the folder also holds the CSV tables and every chart as PNG and SVG)"
