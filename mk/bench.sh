#!/bin/sh
# bench.sh BIN - speed and memory of tact-summarize on a 10-million-row
# simulated export (generated once, seeded, cached in bench/cache/).
# Prints MB/s, peak memory and the time relative to cat of the same file,
# medians of REPEAT runs (default 3).  The file is read once first so that
# every run reads it from the page cache.
set -eu
bin=$(cd "$1" && pwd)
rows=${BENCH_ROWS:-10000000}
repeat=${REPEAT:-3}
cache=bench/cache
mkdir -p "$cache"
export="$cache/sim-$rows.csv"
if [ ! -f "$export" ]; then
	echo "bench: generating $export ($rows rows, seed 1)" >&2
	"$bin/tact-simulate" -n "$rows" --seed 1 --missing-rate 0.001 -o "$export"
fi
bytes=$(wc -c < "$export")
cat "$export" > /dev/null

# run NAME COMMAND...: median seconds and peak RSS (KB) over $repeat runs.
run() {
	name=$1
	shift
	times=""
	rss=0
	i=0
	while [ $i -lt "$repeat" ]; do
		/usr/bin/time -f '%e %M' -o "$cache/time.txt" "$@" > /dev/null
		read -r seconds kb < "$cache/time.txt"
		times="$times $seconds"
		[ "$kb" -gt "$rss" ] && rss=$kb
		i=$((i + 1))
	done
	median=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	echo "$name $median $rss"
}

cat_line=$(run cat cat "$export")
sum_line=$(run tact-summarize "$bin/tact-summarize" --quiet "$export")
echo "$cat_line
$sum_line" | awk -v bytes="$bytes" -v rows="$rows" '
	{ name[NR] = $1; t[NR] = $2; kb[NR] = $3 }
	END {
		printf "bench: %d rows, %.0f MB, in page cache; medians of runs\n", rows, bytes / 1e6
		printf "%-16s %9s %10s %12s %14s\n", "tool", "seconds", "MB/s", "peak MB", "time / cat"
		for (i = 1; i <= NR; i++) {
			s = t[i] > 0 ? t[i] : 0.005
			printf "%-16s %9.2f %10.0f %12.1f %14.1f\n", name[i], t[i], bytes / 1e6 / s, kb[i] / 1024, s / (t[1] > 0 ? t[1] : 0.005)
		}
	}'
