#!/bin/sh
# demo.sh BIN - the main job on the bundled sample: summarize it and show
# the summary as a table a person reads.
set -eu
bin=$1
echo "tact demo: the bundled simulated export (datasets/sample.csv), per intent and arm"
echo
"$bin/tact-summarize" --format table datasets/sample.csv
echo
echo "The same export as a summary other tools read:  $bin/tact-summarize datasets/sample.csv"
