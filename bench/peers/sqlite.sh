#!/bin/sh
# sqlite.sh import DB EXPORT | sqlite.sh query DB - the bench's group-by with
# SQLite: import the export into a table (metric and consent columns typed
# REAL, the others TEXT), then GROUP BY.  Empty cells import as '' (not
# NULL): NULLIF makes them missing.  The query writes CSV:
# intent,arm,units,M_n,M_sum,M_sumsq,...
set -eu
action=$1
db=$2
metrics="converted bounced unsubscribed revenue exposures"
case "$action" in
import)
	export=$3
	rm -f "$db"
	columns=""
	for name in $(head -n 1 "$export" | tr ',' ' '); do
		type=TEXT
		case " $metrics consent " in *" $name "*) type=REAL ;; esac
		columns="$columns${columns:+, }\"$name\" $type"
	done
	sqlite3 "$db" > /dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE t ($columns);
.import --csv --skip 1 $export t
SQL
	;;
query)
	select=""
	for m in $metrics; do
		v="NULLIF(\"$m\", '')"
		select="$select, COUNT($v) AS ${m}_n, TOTAL($v) AS ${m}_sum, TOTAL($v * $v) AS ${m}_sumsq"
	done
	sqlite3 -csv -header "$db" \
		"SELECT intent, arm, COUNT(*) AS units$select FROM t WHERE consent = 1 GROUP BY intent, arm ORDER BY intent, arm"
	;;
*)
	echo "usage: sqlite.sh import DB EXPORT | sqlite.sh query DB" >&2
	exit 64
	;;
esac
