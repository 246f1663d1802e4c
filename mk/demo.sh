#!/bin/sh
# demo.sh BIN - the main job on the bundled sample (20,000 simulated
# visitors, datasets/sample.csv): its summary as a table, then the whole
# report into reports/demo/; then a novelty that fades, reported by day
# into reports/demo-time/.
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
echo
echo "The effect over time: 20,000 simulated visitors over 14 days whose effect"
echo "halves every 3 days (tact-simulate --days 14 --fade 3), reported by day:"
export_file=reports/fading.csv
"$bin/tact-simulate" -n 20000 --days 14 --fade 3 -o "$export_file"
page=$("$bin/tact-report" --quiet --time time -o reports/demo-time "$export_file")
echo "  open $page#periods"
echo "(the export is $export_file: try bin/tact-compare --by-period --time time on it)"
