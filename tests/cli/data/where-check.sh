#!/bin/sh
# where-check.sh TOOL [ARG]... - run TOOL with --where on where.csv, and
# again without it on where.csv filtered by awk to the same rows; print the
# filtered run's output and whether both agree (the where- CLI cases: the
# figures under --where are those of the export filtered beforehand).
# The condition and its awk twin (age "NA" or empty is no number: dropped).
# where.csv: tact-simulate -n 3000 -s 11, with country, age and user_id
# added by awk (see tests/cli/data/where.txt).
set -u
data=$(dirname "$0")/where.csv
condition="country in (DE, US) and age >= 30 and not device = 'mobile'"
awk -F, 'NR == 1 || (($10 == "DE" || $10 == "US") && $11 ~ /^[0-9]+$/ &&
                     $11 + 0 >= 30 && $2 != "mobile")' "$data" > "$OUT/awk.csv"
tool=$1
shift
"$tool" --where "$condition" "$@" "$data" > "$OUT/where.out"
status=$?
"$tool" --quiet "$@" "$OUT/awk.csv" > "$OUT/awk.out" 2> /dev/null
# A summary differs only in its meta rows about rows read and dropped.
filter() {
	grep -v '^meta,\(rows_read\|where\|rows_excluded_where\),' "$1"
}
if [ ! -s "$OUT/where.out" ]; then
	echo "== no output"
elif filter "$OUT/where.out" | cmp -s - "$OUT/awk.out" ||
   { filter "$OUT/where.out" > "$OUT/w2"; filter "$OUT/awk.out" > "$OUT/a2";
     cmp -s "$OUT/w2" "$OUT/a2"; }; then
	echo "== the same as $tool on the export filtered with awk"
else
	echo "== DIFFERENT from $tool on the export filtered with awk:"
	diff "$OUT/where.out" "$OUT/awk.out" | head -20
fi
kept=$(($(wc -l < "$OUT/awk.csv") - 1))
echo "== awk keeps $kept of 3000 rows: --where should drop $((3000 - kept))"
cat "$OUT/where.out"
exit $status
