#!/bin/sh
# bench-apply.sh BIN - tact-intent apply against tact-summarize reading the
# same columns of the same export.
#
# The export is the Online Shoppers data set (datasets/) copied 82 times
# (1,011,060 sessions, 88 MB) and 246 times (3,033,180 sessions, 264 MB),
# made once and cached in bench/cache/.  The model is trained on the data
# set itself with the 13 features of tact-intent(1)'s example (the page
# counts and durations, BounceRates, ExitRates, PageValues, SpecialDay,
# VisitorType, Weekend, Month).  tact-summarize reads the same 13 columns:
# VisitorType as the arm, Month as the segment, Revenue as the goal and the
# 10 numbers as values.  Apply's output goes to /dev/null (what a consumer
# does with it is not apply's time), as does summarize's.
#
# Four cases, each run REPEAT times (default 11) alternating the two tools,
# the medians shown: one thread each, and each tool's default (one thread
# per core: tact-summarize reads a file in parts of 64 MiB, so the 88 MB
# file with one thread; apply in parts of 1 MiB), on both files.  "apply /
# summarize" is the ratio of the medians (below 1: apply is faster).  Before
# timing, apply's output with one thread and with its default is checked
# to be the same bytes.
set -eu
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
cache="$here/bench/cache"
repeat=${REPEAT:-11}
mkdir -p "$cache"
cd "$cache"

source_csv="$here/datasets/online_shoppers_intention.csv"
for copies in 82 246; do
	file="shoppers-x$copies.csv"
	if [ ! -s "$file" ]; then
		echo "bench-apply: making $file ($copies copies of the data set)"
		{
			head -n 1 "$source_csv"
			i=0
			while [ "$i" -lt "$copies" ]; do
				tail -n +2 "$source_csv"
				i=$((i + 1))
			done
		} > "$file.tmp"
		mv "$file.tmp" "$file"
	fi
done
features=Administrative,Administrative_Duration,Informational,Informational_Duration
features=$features,ProductRelated,ProductRelated_Duration,BounceRates,ExitRates
features=$features,PageValues,SpecialDay,VisitorType,Weekend,Month
values=Administrative,Administrative_Duration,Informational,Informational_Duration
values=$values,ProductRelated,ProductRelated_Duration,BounceRates,ExitRates
values=$values,PageValues,SpecialDay
"$bin/tact-intent" train --quiet --label Revenue --features "$features" \
	-o shoppers-model.csv "$source_csv" 2>/dev/null

one=$("$bin/tact-intent" apply --quiet --threads 1 shoppers-model.csv \
	shoppers-x82.csv 2>/dev/null | cksum)
default=$("$bin/tact-intent" apply --quiet shoppers-model.csv \
	shoppers-x82.csv 2>/dev/null | cksum)
if [ "$one" != "$default" ]; then
	echo "bench-apply: apply's output differs with one thread and its default" >&2
	exit 1
fi

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# time LABEL COMMAND...: one run; appends "LABEL wall cpu" to times.  Wall
# time from the shell, to the microsecond (time's %e rounds to 10 ms, a
# few per cent of these runs); CPU time from time (to 10 ms).
timed() {
	label=$1
	shift
	start=$(date +%s%N)
	/usr/bin/time -f "$label %U %S" -o one.time "$@" > /dev/null 2>&1
	end=$(date +%s%N)
	awk -v a="$start" -v b="$end" \
		'{ printf "%s %.4f %.2f\n", $1, (b - a) / 1e9, $2 + $3 }' \
		one.time >> times
}

: > times
for case in "x82 --threads=1" "x82 default" "x246 --threads=1" "x246 default"; do
	set -- $case
	file="shoppers-$1.csv"
	threads=""
	[ "$2" = default ] || threads=$2
	i=0
	while [ "$i" -lt "$repeat" ]; do
		timed "$1/$2/apply" "$bin/tact-intent" apply --quiet $threads \
			shoppers-model.csv "$file"
		timed "$1/$2/summarize" "$bin/tact-summarize" --quiet $threads \
			--arm VisitorType --control Returning_Visitor --by Month \
			--goal Revenue --value "$values" --annoyance '' --exposures '' \
			--consent '' "$file"
		i=$((i + 1))
	done
done

printf '%-22s %12s %12s %14s %14s %10s %10s\n' case apply_s apply_cpu \
	summarize_s summarize_cpu "ratio" "cpu ratio"
for case in "x82/--threads=1" "x82/default" "x246/--threads=1" "x246/default"; do
	aw=$(awk -v l="$case/apply" '$1 == l { print $2 }' times | median)
	ac=$(awk -v l="$case/apply" '$1 == l { print $3 }' times | median)
	sw=$(awk -v l="$case/summarize" '$1 == l { print $2 }' times | median)
	sc=$(awk -v l="$case/summarize" '$1 == l { print $3 }' times | median)
	printf '%-22s %12s %12s %14s %14s %10.3f %10.2f\n' "$case" "$aw" "$ac" \
		"$sw" "$sc" "$(echo "$aw $sw" | awk '{ print $1 / $2 }')" \
		"$(echo "$ac $sc" | awk '{ print $1 / $2 }')"
done
echo "(seconds: medians of $repeat runs; ratio: apply over summarize)"
rm -f one.time times
