#!/bin/sh
# bench.sh BIN - tact-summarize against its peers on simulated exports.
# bench.sh --engines - only install the Node.js engines (make bench-engines).
#
# For each size in BENCH_ROWS (default "1000000 10000000") the exports of
# BENCH_SHAPES (default "plain quoted units") are generated once
# (bench/peers/shape.sh, tact-simulate seed 1, 0.1% missing cells) and
# cached in bench/cache/:
#   plain   UTF-8 intent labels, converted as true/false, bounced and
#           consent as yes/no
#   quoted  every field quoted, the header and empty cells too
#   units   sessions (about 2 rows a visitor): tact-summarize --unit
#           visitor_id folds them, and so does every peer first (the first
#           session's intent and arm, the largest outcome, the sum of
#           revenue and exposures, missing when every session's cell is)
# Then, side by side, each timed REPEAT times (default 3; the median is
# shown) with the files in the page cache:
#   cat                    the file to /dev/null: the memory-bandwidth bound
#   tact-summarize         the summary (its output is the reference)
#   tact-compare           the whole comparison from the raw export (only
#                          when BIN/tact-compare exists)
#   and the same group-by done by the peers in bench/peers/: per intent x
#   arm over the rows (units) with consent, the count and, per metric
#   (converted, bounced, unsubscribed, revenue, exposures), the count of
#   non-missing values, their sum and their sum of squares:
#   datamash (sorted)      GNU datamash on a prepared copy (words as 0/1,
#                          NA for missing cells: datamash refuses empty
#                          numbers) already sorted by the groups; the copy
#                          is made once, untimed; plain shape only
#                          (datamash has no CSV quoting, and no first-of-
#                          group with missing-aware maxima for the fold)
#   datamash -s            the same, sorting as it goes (datamash -s)
#   mlr stats1             Miller: filter, then stats1 (units: a map first;
#                          skipped above BENCH_MLR_UNITS_MAX rows, default
#                          2000000: 4.6 GB at 1M rows, so 10M would not fit)
#   pandas                 read_csv with usecols, then groupby
#   data.table             R: fread with select, setDTthreads(2)
#   sqlite import / query  SQLite: .import into a typed table, then GROUP BY
#                          (timed apart)
#   duckdb                 DuckDB in Node.js (@duckdb/node-api): read_csv
#                          and GROUP BY in one query (units: read_csv into
#                          a table first, for its rowid)
#   polars                 Polars in Node.js (nodejs-polars): readCSV,
#                          filter, groupBy
# DuckDB and Polars time themselves inside their process (reading and
# group-by, not Node.js's start nor the module's loading): the "in-proc s"
# column; "seconds" is, for every tool, the process's wall time.
# Every peer's result is checked against tact-summarize's (bench/peers/
# check.py: counts exactly, sums and sums of squares to 1e-9 relative):
# the 'agrees' column.  Peak memory is the largest maximum RSS over the
# runs (/usr/bin/time %M); "cpu s" the median user + system seconds (less
# disturbed than wall time when other work shares the machine).  MB/s is
# always the raw export's size over the time (wall time, taken around
# /usr/bin/time), whatever file the tool read.  "x tact" is the tool's
# time over tact-summarize's, "cpu x" the same for CPU seconds (data.table,
# DuckDB and Polars use both cores: their CPU seconds exceed their wall
# time on an idle machine), "x cat" the time over cat's.
#
# The peers come from Debian packages (make bench installs them: datamash,
# miller, python3-pandas, r-cran-data.table, sqlite3, time) and from npm:
# the engines in Node.js are installed into build/npm when missing, with a
# message (tests/sql/install-engines.sh, the folder make test-sql uses;
# versions pinned exactly).  A peer whose program is missing is skipped with
# a note.
set -eu
modules=build/npm
# DuckDB as make test-sql's NPM_ENGINES has it; Polars with its Linux
# build named too (npm may otherwise leave the platform package out).
engines="@duckdb/node-api@1.5.6-r.1 nodejs-polars@0.25.2 nodejs-polars-linux-x64-gnu@0.25.2"
install_engines() {
	# shellcheck disable=SC2086
	npm_config_save_exact=true sh tests/sql/install-engines.sh "$modules" $engines
}
if [ "${1:-}" = --engines ]; then
	install_engines
	exit
fi
given=$(cd "$1" && pwd)
sizes=${BENCH_ROWS:-"1000000 10000000"}
shapes=${BENCH_SHAPES:-"plain quoted units"}
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

if ! install_engines; then
	note "the Node.js engines could not be installed: DuckDB and Polars skipped"
fi
# engine NAME: is the npm package NAME in $modules?
engine() {
	have node && [ -f "$modules/node_modules/$1/package.json" ]
}

# median: the middle of the numbers on standard input.
median() {
	sort -n | awk '{a[NR] = $1} END {print NR ? a[int((NR + 1) / 2)] : "-"}'
}

# run NAME COMMAND...: the median seconds, the peak RSS (KB), the median
# CPU seconds and, for a tool that times itself ("bench-inner-seconds S"
# on standard error), the median of those, over $repeat runs, appended to
# $work/results; the last run's output is kept in $work/NAME.out.  A
# failing run is reported and the tool marked failed.
run() {
	name=$1
	shift
	times=""
	cpus=""
	inners=""
	rss=0
	i=0
	while [ $i -lt "$repeat" ]; do
		start=$(date +%s%N)
		if ! /usr/bin/time -f '%M %U %S' -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err"; then
			note "$name failed:"
			tail -n 5 "$work/$name.err" >&2
			echo "$key $name failed 0 0 - -" >> "$work/results"
			return 1
		fi
		end=$(date +%s%N)
		# Wall time from the shell, to the microsecond (time's %e rounds to
		# 10 ms: too coarse for cat on the smaller export).
		seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f", (b - a) / 1e9}')
		read -r kb user system < "$work/time"
		times="$times $seconds"
		cpus="$cpus $(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')"
		inners="$inners $(awk '$1 == "bench-inner-seconds" {print $2}' "$work/$name.err")"
		[ "$kb" -gt "$rss" ] && rss=$kb
		i=$((i + 1))
	done
	median=$(printf '%s\n' $times | median)
	cpu=$(printf '%s\n' $cpus | median)
	inner=$(printf '%s\n' $inners | grep . | median)
	echo "$key $name $median $rss $cpu $inner -" >> "$work/results"
}

# agrees NAME FORMAT: check NAME's output against tact-summarize's; marks
# the last result line yes or NO.
agrees() {
	if "$python" "$peers/check.py" "$work/tact-summarize.out" "$2" "$work/$1.out" 2> "$work/check.err"; then
		verdict=yes
	else
		verdict=NO
		note "$1 disagrees with tact-summarize on the $shape export:"
		cat "$work/check.err" >&2
	fi
	sed -i '$ s/ -$/ '"$verdict"'/' "$work/results"
}

# datamash_copies EXPORT: datamash's copies of the plain export: words as
# 0/1, NA for empty cells, and the same sorted by intent, arm and consent
# (bytewise); sets na and sorted.
datamash_copies() {
	na="$cache/plain-$size.na.csv"
	sorted="$cache/plain-$size.na-sorted.csv"
	[ -f "$sorted" ] && [ ! "$1" -nt "$sorted" ] && return
	note "preparing datamash's copies of $1"
	LC_ALL=C awk -F, -v OFS=, '
		NR > 1 {
			for (i = 1; i <= NF; i++) {
				if ($i == "" ) $i = "NA"
				else if ($i == "true" || $i == "yes") $i = 1
				else if ($i == "false" || $i == "no") $i = 0
			}
		}
		{ print }' "$1" > "$na.tmp"
	mv "$na.tmp" "$na"
	header=$(head -n 1 "$na")
	keys=""
	for k in intent arm consent; do
		k=$(printf '%s\n' "$header" | tr ',' '\n' | grep -n -x "$k" | cut -d: -f1)
		keys="$keys -k$k,$k"
	done
	# shellcheck disable=SC2086
	{ head -n 1 "$na"; tail -n +2 "$na" | LC_ALL=C sort -S 25% -t, $keys; } > "$sorted.tmp"
	mv "$sorted.tmp" "$sorted"
}

echo "machine: $(nproc) cores, $(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo "peers: $(datamash --version 2>/dev/null | head -n 1 || echo 'datamash missing'); $(mlr --version 2>/dev/null || echo 'mlr missing'); pandas $("$python" -c 'import pandas; print(pandas.__version__)' 2>/dev/null || echo missing); data.table $(Rscript -e 'cat(as.character(packageVersion("data.table")))' 2>/dev/null || echo missing); SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo missing); Node.js $(node --version 2>/dev/null || echo missing) with $(cd "$modules" 2>/dev/null && npm ls --depth=0 2>/dev/null | sed -n 's/^[^ ]* //p' | grep -e duckdb -e polars | tr '\n' ' ')"

began=$(date +%s)
for size in $sizes; do
	for shape in $shapes; do
		key="$shape-$size"
		export="$cache/$key.csv"
		if [ ! -f "$export" ]; then
			note "generating $export ($shape, $size rows, seed 1)"
			sh "$peers/shape.sh" "$bin/tact-simulate" "$shape" "$size" "$export"
		fi
		flags=""
		[ "$shape" = units ] && flags="--unit visitor_id"
		if [ "$shape" = plain ] && have datamash; then
			datamash_copies "$export"
		fi
		cat "$export" > /dev/null
		[ "$shape" = plain ] && have datamash && cat "$na" "$sorted" > /dev/null
		echo "$key bytes $(wc -c < "$export") $(($(wc -l < "$export") - 1)) 0 - -" >> "$work/results"

		note "$shape, $size rows: cat, tact-summarize, tact-compare"
		run cat cat "$export"
		# shellcheck disable=SC2086
		run tact-summarize "$bin/tact-summarize" --quiet $flags "$export"
		if [ -x "$bin/tact-compare" ]; then
			# shellcheck disable=SC2086
			run tact-compare "$bin/tact-compare" --quiet $flags "$export" || true
		else
			note "no $given/tact-compare yet: skipped"
		fi
		if [ "$shape" != plain ]; then
			:
		elif have datamash; then
			note "$shape, $size rows: datamash"
			run "datamash-sorted" sh "$peers/datamash.sh" "$sorted" && agrees datamash-sorted datamash
			run "datamash-s" sh "$peers/datamash.sh" --sort "$na" && agrees datamash-s datamash
		else
			note "no datamash: skipped (apt-get install datamash)"
		fi
		if [ "$shape" = units ] && [ "$size" -gt "${BENCH_MLR_UNITS_MAX:-2000000}" ]; then
			note "$shape, $size rows: Miller skipped (its fold holds every visitor in a map: 4.6 GB at 1M rows; BENCH_MLR_UNITS_MAX=$size runs it)"
		elif have mlr; then
			note "$shape, $size rows: Miller"
			run mlr-stats1 sh "$peers/mlr.sh" "$export" "$shape" && agrees mlr-stats1 mlr
		else
			note "no mlr: skipped (apt-get install miller)"
		fi
		if "$python" -c 'import pandas' 2> /dev/null; then
			note "$shape, $size rows: pandas"
			run pandas "$python" "$peers/pandas_groupby.py" "$export" "$shape" && agrees pandas plain
		else
			note "no pandas: skipped (apt-get install python3-pandas)"
		fi
		if have Rscript && Rscript -e 'library(data.table)' > /dev/null 2>&1; then
			note "$shape, $size rows: data.table"
			run data.table Rscript "$peers/datatable.R" "$export" "$shape" && agrees data.table plain
		else
			note "no R data.table: skipped (apt-get install r-cran-data.table)"
		fi
		if have sqlite3; then
			note "$shape, $size rows: SQLite"
			db="$cache/$key.sqlite"
			if run sqlite-import sh "$peers/sqlite.sh" import "$db" "$export"; then
				run sqlite-query sh "$peers/sqlite.sh" query "$db" "$shape" && agrees sqlite-query plain
			fi
			rm -f "$db"
		else
			note "no sqlite3: skipped (apt-get install sqlite3)"
		fi
		if engine @duckdb/node-api; then
			note "$shape, $size rows: DuckDB"
			run duckdb node "$peers/duckdb.js" "$modules" "$shape" "$export" && agrees duckdb plain
		else
			note "no DuckDB in $modules: skipped (make bench-engines)"
		fi
		if engine nodejs-polars; then
			note "$shape, $size rows: Polars"
			run polars node "$peers/polars.js" "$modules" "$shape" "$export" && agrees polars plain
		else
			note "no Polars in $modules: skipped (make bench-engines)"
		fi
	done
done

awk '
	function line(i,    s, mbs) {
		if (t[i] == "failed") {
			printf "%-18s %9s\n", name[i], "failed"
			return
		}
		s = t[i] > 0 ? t[i] : 0.005
		c = cpu[i] > 0 ? cpu[i] : 0.005
		printf "%-18s %9.3f %9s %8.2f %8.0f %8.1f %8.2f %8.2f %8.1f   %s\n", name[i], t[i],
			inner[i] == "-" ? "-" : sprintf("%.3f", inner[i]),
			cpu[i], bytes / 1e6 / s, kb[i] / 1024, s / tact, c / tactcpu, s / catt, check[i]
	}
	function flush(    i) {
		if (!count)
			return
		printf "\n%s export: %s rows, %.0f MB, in the page cache; medians of '"$repeat"' runs\n", shape, rows, bytes / 1e6
		printf "%-18s %9s %9s %8s %8s %8s %8s %8s %8s   %s\n", "tool", "seconds", "in-proc s", "cpu s", "MB/s", "peak MB", "x tact", "cpu x", "x cat", "agrees"
		for (i = 1; i <= count; i++)
			line(i)
		count = 0
	}
	$2 == "bytes" { flush(); shape = $1; sub(/-[0-9]+$/, "", shape); bytes = $3; rows = $4; next }
	{
		name[++count] = $2; t[count] = $3; kb[count] = $4; cpu[count] = $5; inner[count] = $6; check[count] = $7
		if ($2 == "cat") catt = ($3 > 0 ? $3 : 0.005)
		if ($2 == "tact-summarize") { tact = ($3 > 0 ? $3 : 0.005); tactcpu = ($5 > 0 ? $5 : 0.005) }
	}
	END { flush() }
' "$work/results"
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(($(date +%s) - began)) s in all (with the exports' generation when not cached)"
