#!/bin/sh
# demo.sh BIN - the main job on the bundled sample: the whole report of
# datasets/sample.csv (simulated, with known truth) into reports/demo/.
set -eu
bin=$1
echo "tact demo: the report of datasets/sample.csv (20,000 simulated visitors)" >&2
page=$("$bin/tact-report" --weights converted=40,bounced=-0.5,unsubscribed=-12 \
	-o reports/demo datasets/sample.csv)
echo
echo "Open the report: $page"
echo "(the folder also holds the CSV tables and the charts as PNG and SVG)"
