#!/bin/sh
# postgres-roundtrip.sh BIN - run tact-sql's statement on a real PostgreSQL
# server and check that its result is the summary tact-summarize writes.
#
# Starts a private throw-away server (initdb in a temporary directory, a
# Unix socket there, no TCP port, so it never meets a system cluster), run
# as the postgres user (or nobody) when this runs as root, stopped and
# removed on exit whatever happens.  Then, on datasets/sample.csv:
#   1. a table of text columns loaded with \copy: the SQL's result must
#      equal tact-summarize's output less its pooled rows (text exactly, counts exactly, other
#      numbers to 1e-9 relative, or 1e-9 absolute for rounding noise
#      around zero);
#   2. the same rows in typed columns (integer, boolean, yes/no text,
#      numeric, a boolean consent) under awkward names (a space, a double
#      quote), with every role named by flag: the same summary;
#   3. --header-row, exported without psql's header: the same summary;
#   4. when bin/tact-compare exists, tact-compare on the SQL's result must
#      equal tact-compare on the export (same tolerances).
# Needs Debian's postgresql package (make test-sql installs it).  With
# TACT_SQL_KEEP=1 the directory (statements, results, server log) is kept.
set -eu
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sample="$root/datasets/sample.csv"
close="$here/close.awk"

pg=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg" ] || [ ! -x "$pg/initdb" ]; then
	echo "sql: no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)" >&2
	exit 1
fi
command -v psql > /dev/null || { echo "sql: no psql on PATH" >&2; exit 1; }

work=$(mktemp -d /tmp/tact-pg.XXXXXX)
data="$work/data"
as_owner=""
if [ "$(id -u)" -eq 0 ]; then
	# initdb refuses to run as root: the server runs as an unprivileged user.
	owner=postgres
	id "$owner" > /dev/null 2>&1 || owner=nobody
	chown "$owner" "$work"
	as_owner="setpriv --reuid=$owner --regid=$(id -g "$owner") --clear-groups"
fi
chmod 755 "$work"
# The server's user may not enter the caller's directory (a clone under
# /root): work from the temporary one (every path below is absolute).
cd "$work"

stop() {
	if [ -f "$data/postmaster.pid" ]; then
		$as_owner "$pg/pg_ctl" -D "$data" -m immediate -w stop > /dev/null 2>&1 || true
	fi
	if [ -n "${TACT_SQL_KEEP:-}" ]; then
		echo "sql: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
trap stop EXIT
trap 'exit 2' INT TERM HUP

# A fixed locale and encoding: labels compare the same on every machine.
$as_owner "$pg/initdb" -D "$data" -U tact -A trust -E UTF8 --locale=C.UTF-8 \
	--no-sync > "$work/initdb.log" 2>&1 ||
	{ cat "$work/initdb.log" >&2; echo "sql: initdb failed" >&2; exit 1; }
$as_owner "$pg/pg_ctl" -D "$data" -l "$work/server.log" -w -t 60 \
	-o "-k $work -c listen_addresses= -c fsync=off -c port=54329" start > /dev/null ||
	{ cat "$work/server.log" >&2; echo "sql: the server did not start" >&2; exit 1; }

psql_run() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$work" -p 54329 -U tact -d postgres "$@"
}

failed=0
passed=0
check() {
	name=$1
	expected=$2
	actual=$3
	if awk -v TOL=1e-9 -v ABS=1e-9 -f "$close" "$expected" "$actual" > "$work/diff" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL sql $name:" >&2
		head -n 20 "$work/diff" >&2
	fi
}

# 1. Text columns, default roles.
columns=$(head -n 1 "$sample" | tr -d '\r' | sed 's/,/ text, /g; s/$/ text/')
psql_run -c "CREATE TABLE sample ($columns)"
psql_run -c "\\copy sample FROM '$sample' WITH (FORMAT csv, HEADER true)"
# Less its pooled rows: the statement leaves them out (tact-sql(1)), and a
# summary without them pools its groups (tact-summary(5)).
"$bin/tact-summarize" --quiet "$sample" | grep -v '^pooled,' > "$work/expected.csv"
"$bin/tact-sql" --dialect postgres --table sample > "$work/sample.sql"
psql_run --csv -f "$work/sample.sql" > "$work/actual.csv"
check "text columns, default roles" "$work/expected.csv" "$work/actual.csv"

# 2. Typed columns, awkward names, every role named.
psql_run -c "CREATE TABLE \"typed sample\" AS SELECT
	intent AS \"visit intent\", device, arm AS \"arm\"\"s label\",
	CAST(converted AS integer) AS converted,
	CAST(bounced AS boolean) AS \"bounced?\",
	CASE unsubscribed WHEN '1' THEN ' Yes' WHEN '0' THEN 'no' END AS unsubscribed,
	CAST(revenue AS numeric(12, 2)) AS revenue,
	CAST(exposures AS integer) AS exposures,
	CAST(consent AS boolean) AS \"has consent\"
	FROM sample"
"$bin/tact-sql" --dialect postgres --table '"typed sample"' \
	--arm 'arm"s label' --control control --by 'visit intent' \
	--goal converted --annoyance 'bounced?,unsubscribed' --value revenue \
	--exposures exposures --consent 'has consent' \
	--columns 'visit intent,device,arm"s label,converted,bounced?,unsubscribed,revenue,exposures,has consent' \
	> "$work/typed.sql"
psql_run --csv -f "$work/typed.sql" |
	sed '1s/segment:visit intent/segment:intent/; s/bounced?/bounced/g
	     s/^meta,consent,has consent,/meta,consent,consent,/' \
	> "$work/typed.csv"
# psql quotes header names holding a double quote: undo that for the check.
sed -i '1s/"arm:arm""s label"/arm:arm/' "$work/typed.csv"
check "typed columns, quoted names" "$work/expected.csv" "$work/typed.csv"

# 3. The header as the first row.
"$bin/tact-sql" --dialect postgres --table sample --header-row > "$work/header.sql"
psql_run --csv -t -f "$work/header.sql" > "$work/header.csv"
check "--header-row" "$work/expected.csv" "$work/header.csv"

# 4. tact-compare reads the SQL's result as it reads the export.
if [ -x "$bin/tact-compare" ]; then
	"$bin/tact-compare" --quiet "$sample" > "$work/compare-export.csv"
	"$bin/tact-compare" --quiet "$work/actual.csv" > "$work/compare-sql.csv"
	check "tact-compare on the result" "$work/compare-export.csv" "$work/compare-sql.csv"
else
	echo "sql: no $bin/tact-compare yet: its check is skipped" >&2
fi

echo "sql: $passed passed, $failed failed" >&2
[ "$failed" -eq 0 ]
