#!/bin/sh
# bench.sh BIN - tact-summarize against its peers on simulated exports.
#
# For each size in BENCH_ROWS (default "1000000 10000000") an export is
# generated once with tact-simulate (seed 1, 0.1% missing cells) and cached
# in bench/cache/.  Then, side by side, each timed REPEAT times (default 3;
# the median is shown) with the files in the page cache:
#   cat                    the file to /dev/null: the memory-bandwidth bound
#   tact-summarize         the summary (its output is the reference)
#   tact-compare           the whole comparison from the raw export (only
#                          when BIN/tact-compare exists)
#   and the same group-by done by the peers in bench/peers/: per intent x
#   arm over the rows with consent = 1, the row count and, per metric
#   (converted, bounced, unsubscribed, revenue, exposures), the count of
#   non-missing values, their sum and their sum of squares:
#   datamash (sorted)      GNU datamash on a copy already sorted by the
#                          groups (and with NA for missing cells: datamash
#                          refuses empty numbers); the copy is made once,
#                          untimed
#   datamash -s            the same, sorting as it goes (datamash -s)
#   mlr stats1             Miller: filter, then stats1
#   pandas                 read_csv with usecols, then groupby
#   data.table             R: fread with select, setDTthreads(2)
#   sqlite import / query  SQLite: .import into a typed table, then GROUP BY
#                          (timed apart)
# Every peer's result is checked against tact-summarize's (bench/peers/
# check.py: counts exactly, sums and sums of squares to 1e-9 relative):
# the 'agrees' column.  Peak memory is the largest maximum RSS over the
# runs (/usr/bin/time %M); "cpu s" the median user + system seconds (less
# disturbed than wall time when other work shares the machine).  MB/s is
# always the raw export's size over the time (wall time, taken around
# /usr/bin/time), whatever file the tool read.  "x tact" is the tool's
# time over tact-summarize's, "cpu x" the same for CPU seconds (data.table
# uses two threads: its CPU seconds exceed its wall time on an idle
# machine), "x cat" the time over cat's.
#
# The peers come from Debian packages (make bench installs them: datamash,
# miller, python3-pandas, r-cran-data.table, sqlite3, time); a peer whose
# program is missing is skipped with a note.
set -eu
given=$(cd "$1" && pwd)
sizes=${BENCH_ROWS:-"1000000 10000000"}
repeat=${REPEAT:-3}
cache=bench/cache
peers=bench/peers
python=/usr/bin/python3
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 2' INT TERM HUP
# Private copies of the tools: a rebuild of bin/ during the bench (make,
# another checkout's work) must not change or break what is timed.
bin="$work/bin"
mkdir "$bin"
for tool in tact-simulate tact-summarize tact-compare; do
	if [ -x "$given/$tool" ]; then
		cp "$given/$tool" "$bin/"
	fi
done

note() { echo "bench: $*" >&2; }
have() { command -v "$1" > /dev/null 2>&1; }

# run NAME COMMAND...: the median seconds and the peak RSS (KB) over
# $repeat runs, appended to $work/results; the last run's output is kept in
# $work/NAME.out.  A failing run is reported and the tool marked failed.
run() {
	name=$1
	shift
	times=""
	cpus=""
	rss=0
	i=0
	while [ $i -lt "$repeat" ]; do
		start=$(date +%s%N)
		if ! /usr/bin/time -f '%M %U %S' -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err"; then
			note "$name failed:"
			tail -n 5 "$work/$name.err" >&2
			echo "$size $name failed 0 0 -" >> "$work/results"
			return 1
		fi
		end=$(date +%s%N)
		# Wall time from the shell, to the microsecond (time's %e rounds to
		# 10 ms: too coarse for cat on the smaller export).
		seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f", (b - a) / 1e9}')
		read -r kb user system < "$work/time"
		times="$times $seconds"
		cpus="$cpus $(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')"
		[ "$kb" -gt "$rss" ] && rss=$kb
		i=$((i + 1))
	done
	median=$(printf '%s\n' $times | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	cpu=$(printf '%s\n' $cpus | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	echo "$size $name $median $rss $cpu -" >> "$work/results"
}

# agrees NAME FORMAT: check NAME's output against tact-summarize's; marks
# the last result line yes or NO.
agrees() {
	if "$python" "$peers/check.py" "$work/tact-summarize.out" "$2" "$work/$1.out" 2> "$work/check.err"; then
		verdict=yes
	else
		verdict=NO
		note "$1 disagrees with tact-summarize:"
		cat "$work/check.err" >&2
	fi
	sed -i '$ s/ -$/ '"$verdict"'/' "$work/results"
}

echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo "peers: $(datamash --version 2>/dev/null | head -n 1 || echo 'datamash missing'); $(mlr --version 2>/dev/null || echo 'mlr missing'); pandas $("$python" -c 'import pandas; print(pandas.__version__)' 2>/dev/null || echo missing); data.table $(Rscript -e 'cat(as.character(packageVersion("data.table")))' 2>/dev/null || echo missing); SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo missing)"

for size in $sizes; do
	export="$cache/sim-$size.csv"
	if [ ! -f "$export" ]; then
		note "generating $export ($size rows, seed 1)"
		"$bin/tact-simulate" -n "$size" --seed 1 --missing-rate 0.001 -o "$export"
	fi
	# datamash's copies: NA for empty cells (twice: ",,," holds two), and
	# the same sorted by intent, arm and consent (bytewise).
	na="$cache/sim-$size.na.csv"
	sorted="$cache/sim-$size.na-sorted.csv"
	if have datamash && { [ ! -f "$sorted" ] || [ "$export" -nt "$sorted" ]; }; then
		note "preparing datamash's copies of $export"
		sed 's/,,/,NA,/g; s/,,/,NA,/g; s/^,/NA,/; s/,$/,NA/' "$export" > "$na.tmp"
		mv "$na.tmp" "$na"
		header=$(head -n 1 "$na")
		keys=""
		for key in intent arm consent; do
			k=$(printf '%s\n' "$header" | tr ',' '\n' | grep -n -x "$key" | cut -d: -f1)
			keys="$keys -k$k,$k"
		done
		# shellcheck disable=SC2086
		{ head -n 1 "$na"; tail -n +2 "$na" | LC_ALL=C sort -S 25% -t, $keys; } > "$sorted.tmp"
		mv "$sorted.tmp" "$sorted"
	fi
	for f in "$export" "$na" "$sorted"; do
		[ -f "$f" ] && cat "$f" > /dev/null
	done
	echo "$size bytes $(wc -c < "$export") 0 0 -" >> "$work/results"

	note "$size rows: cat, tact-summarize, tact-compare"
	run cat cat "$export"
	run tact-summarize "$bin/tact-summarize" --quiet "$export"
	if [ -x "$bin/tact-compare" ]; then
		run tact-compare "$bin/tact-compare" --quiet "$export" || true
	else
		note "no $given/tact-compare yet: skipped"
	fi
	if have datamash; then
		note "$size rows: datamash"
		run "datamash-sorted" sh "$peers/datamash.sh" "$sorted" && agrees datamash-sorted datamash
		run "datamash-s" sh "$peers/datamash.sh" --sort "$na" && agrees datamash-s datamash
	else
		note "no datamash: skipped (apt-get install datamash)"
	fi
	if have mlr; then
		note "$size rows: Miller"
		run mlr-stats1 sh "$peers/mlr.sh" "$export" && agrees mlr-stats1 mlr
	else
		note "no mlr: skipped (apt-get install miller)"
	fi
	if "$python" -c 'import pandas' 2> /dev/null; then
		note "$size rows: pandas"
		run pandas "$python" "$peers/pandas_groupby.py" "$export" && agrees pandas plain
	else
		note "no pandas: skipped (apt-get install python3-pandas)"
	fi
	if have Rscript && Rscript -e 'library(data.table)' > /dev/null 2>&1; then
		note "$size rows: data.table"
		run data.table Rscript "$peers/datatable.R" "$export" && agrees data.table plain
	else
		note "no R data.table: skipped (apt-get install r-cran-data.table)"
	fi
	if have sqlite3; then
		note "$size rows: SQLite"
		db="$cache/sim-$size.sqlite"
		if run sqlite-import sh "$peers/sqlite.sh" import "$db" "$export"; then
			run sqlite-query sh "$peers/sqlite.sh" query "$db" && agrees sqlite-query plain
		fi
		rm -f "$db"
	else
		note "no sqlite3: skipped (apt-get install sqlite3)"
	fi
done

awk '
	function line(i,    s, mbs) {
		if (t[i] == "failed") {
			printf "%-18s %9s\n", name[i], "failed"
			return
		}
		s = t[i] > 0 ? t[i] : 0.005
		c = cpu[i] > 0 ? cpu[i] : 0.005
		printf "%-18s %9.3f %8.2f %8.0f %8.1f %8.2f %8.2f %8.1f   %s\n", name[i], t[i],
			cpu[i], bytes / 1e6 / s, kb[i] / 1024, s / tact, c / tactcpu, s / catt, check[i]
	}
	function flush(    i) {
		if (!count)
			return
		printf "\n%s rows, %.0f MB, in the page cache; medians of '"$repeat"' runs\n", size, bytes / 1e6
		printf "%-18s %9s %8s %8s %8s %8s %8s %8s   %s\n", "tool", "seconds", "cpu s", "MB/s", "peak MB", "x tact", "cpu x", "x cat", "agrees"
		for (i = 1; i <= count; i++)
			line(i)
		count = 0
	}
	$2 == "bytes" { flush(); size = $1; bytes = $3; next }
	{
		name[++count] = $2; t[count] = $3; kb[count] = $4; cpu[count] = $5; check[count] = $6
		if ($2 == "cat") catt = ($3 > 0 ? $3 : 0.005)
		if ($2 == "tact-summarize") { tact = ($3 > 0 ? $3 : 0.005); tactcpu = ($5 > 0 ? $5 : 0.005) }
	}
	END { flush() }
' "$work/results"
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
