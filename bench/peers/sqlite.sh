#!/bin/sh
# sqlite.sh import DB EXPORT | sqlite.sh query DB [SHAPE] - the bench's
# group-by with SQLite: import the export into a table (metric and consent
# columns typed REAL, the others TEXT; .import unquotes quoted fields),
# then GROUP BY.  Empty cells import as '' (not NULL): NULLIF makes them
# missing.  SHAPE as in shape.sh (default quoted, which reads any plain
# numeric export):
#   plain   the words of converted (true/false), bounced and consent
#           (yes/no) are mapped to 1/0 by CASE
#   units   sessions folded by visitor_id first: the first session (the
#           smallest rowid) gives intent and arm, the largest outcome and
#           the sum of revenue and exposures (NULL when every session's cell
#           is), then the group-by
# The query writes CSV: intent,arm,units,M_n,M_sum,M_sumsq,...
set -eu
action=$1
db=$2
metrics="converted bounced unsubscribed revenue exposures"
# value COLUMN SHAPE: the SQL for a metric's number (NULL when missing).
value() {
	case "$2 $1" in
	"plain converted") echo "(CASE \"$1\" WHEN 'true' THEN 1.0 WHEN 'false' THEN 0.0 END)" ;;
	"plain bounced") echo "(CASE \"$1\" WHEN 'yes' THEN 1.0 WHEN 'no' THEN 0.0 END)" ;;
	*) echo "NULLIF(\"$1\", '')" ;;
	esac
}
case "$action" in
import)
	export=$3
	rm -f "$db"
	columns=""
	for name in $(head -n 1 "$export" | tr -d '"' | tr ',' ' '); do
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
	shape=${3:-quoted}
	from="t WHERE consent = 1"
	[ "$shape" = plain ] && from="t WHERE consent = 'yes'"
	if [ "$shape" = units ]; then
		fold=""
		for m in $metrics; do
			case $m in
			revenue | exposures) fold="$fold, SUM(NULLIF($m, '')) AS $m" ;;
			*) fold="$fold, MAX(NULLIF($m, '')) AS $m" ;;
			esac
		done
		from="(SELECT s.intent AS intent, s.arm AS arm, u.* FROM
			(SELECT MIN(rowid) AS first$fold FROM t WHERE consent = 1 GROUP BY visitor_id) AS u
			JOIN t AS s ON s.rowid = u.first)"
	fi
	select=""
	for m in $metrics; do
		v=$(value "$m" "$shape")
		select="$select, COUNT($v) AS ${m}_n, TOTAL($v) AS ${m}_sum, TOTAL($v * $v) AS ${m}_sumsq"
	done
	sqlite3 -csv -header "$db" \
		"SELECT intent, arm, COUNT(*) AS units$select FROM $from GROUP BY intent, arm ORDER BY intent, arm"
	;;
*)
	echo "usage: sqlite.sh import DB EXPORT | sqlite.sh query DB [SHAPE]" >&2
	exit 64
	;;
esac
