#!/bin/sh
# postgres-roundtrip.sh BIN - run tact-sql's statement on a real PostgreSQL
# server and check each result against tact-summarize and tact-compare on
# the same export (common.sh: the summary field by field, tact-compare's CSV
# the same way, its table byte for byte).
#
# Starts a private throw-away server (initdb in a temporary directory, a
# Unix socket there, no TCP port, so it never meets a system cluster), run
# as the postgres user (or nobody) when this runs as root, stopped and
# removed on exit whatever happens.  Then, on the exports of common.sh:
#   1. sample in text columns loaded with \copy, default roles;
#   2. the same rows in typed columns (integer, boolean, yes/no text,
#      numeric, a boolean consent) under awkward names (a space, a double
#      quote), with every role named by flag;
#   3. --header-row, exported without psql's header;
#   4. sessions in text columns, --unit visitor_id --order-by session;
#   5. sessions in typed columns (session an integer), the unit taken from
#      --columns (visitor_id, as tact-summarize does);
#   6. agree (sessions agreeing on intent and arm), --unit, no order column;
#   7. sessions, --mixed-units first;
# and with covariates (--covariate, common.sh's check_covariates against
# NumPy on the export):
#   8. cov-sample in text columns;
#   9. the same typed (covariates double precision and integer), --columns,
#      --header-row;
#  10. cov-sessions, --unit visitor_id --order-by session;
#  11. the same, --mixed-units first.
# Needs Debian's postgresql package (make test-sql installs it).  With
# TACT_SQL_KEEP=1 the directory (statements, results, server log) is kept.
set -eu
bin=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/common.sh"

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
	remove_work
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

make_exports
make_covariate_exports

# Text tables, one per export, loaded as they are.
for name in sample sessions agree cov-sample cov-sessions; do
	table=$(echo "$name" | tr - _)
	columns=$(head -n 1 "$work/$name.csv" | tr -d '\r' | sed 's/,/ text, /g; s/$/ text/')
	psql_run -c "CREATE TABLE $table ($columns)"
	psql_run -c "\\copy $table FROM '$work/$name.csv' WITH (FORMAT csv, HEADER true)"
done

# 1. Text columns, default roles.
"$bin/tact-sql" --dialect postgres --table sample > "$work/sample.sql"
psql_run --csv -f "$work/sample.sql" > "$work/actual.csv"
check_result "postgres, text columns" sample "$work/actual.csv"

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
psql_run --csv -f "$work/typed.sql" > "$work/typed.csv"
typed_names "$work/typed.csv"
check_result "postgres, typed columns, quoted names" sample "$work/typed.csv"

# 3. The header as the first row.
"$bin/tact-sql" --dialect postgres --table sample --header-row > "$work/header.sql"
psql_run --csv -t -f "$work/header.sql" > "$work/header.csv"
check_result "postgres, --header-row" sample "$work/header.csv"

# 4. Sessions folded into visitors, ordered by the session column.
"$bin/tact-sql" --dialect postgres --table sessions --unit visitor_id \
	--order-by session > "$work/sessions.sql"
psql_run --csv -f "$work/sessions.sql" > "$work/sessions-result.csv"
check_result "postgres, sessions, --unit --order-by" sessions "$work/sessions-result.csv"

# 5. The same in typed columns, the unit column found in --columns.
psql_run -c "CREATE TABLE \"typed sessions\" AS SELECT
	visitor_id, intent, device, arm,
	CAST(converted AS smallint) AS converted,
	CAST(bounced AS boolean) AS bounced,
	CAST(unsubscribed AS integer) AS unsubscribed,
	CAST(revenue AS double precision) AS revenue,
	CAST(exposures AS bigint) AS exposures,
	CAST(consent AS integer) AS consent,
	CAST(session AS integer) AS session
	FROM sessions"
"$bin/tact-sql" --dialect postgres --table '"typed sessions"' \
	--columns "$(head -n 1 "$work/sessions.csv")" --order-by session \
	> "$work/typed-sessions.sql"
psql_run --csv -f "$work/typed-sessions.sql" > "$work/typed-sessions.csv"
check_result "postgres, typed sessions, --unit --order-by" sessions \
	"$work/typed-sessions.csv"

# 6. Sessions that agree on intent and arm: no order column needed.
"$bin/tact-sql" --dialect postgres --table agree --unit visitor_id > "$work/agree.sql"
psql_run --csv -f "$work/agree.sql" > "$work/agree-result.csv"
check_result "postgres, agreeing sessions, --unit" agree "$work/agree-result.csv"

# 7. Units in several arms kept in their first (--mixed-units first).
"$bin/tact-sql" --dialect postgres --table sessions --unit visitor_id \
	--order-by session --mixed-units first > "$work/first.sql"
psql_run --csv -f "$work/first.sql" > "$work/first-result.csv"
check_result "postgres, sessions, --mixed-units first" sessions-first \
	"$work/first-result.csv"

# 8. Covariates in text columns.
# shellcheck disable=SC2086
"$bin/tact-sql" --dialect postgres --table cov_sample $cov_sample_args \
	> "$work/cov-sample.sql"
psql_run --csv -f "$work/cov-sample.sql" > "$work/cov-sample-result.csv"
# shellcheck disable=SC2086
check_covariates "postgres, covariates" cov-sample "$work/cov-sample-result.csv" \
	$cov_sample_args

# 9. Covariates typed, the columns listed, the header as the first row.
psql_run -c "CREATE TABLE typed_cov_sample AS SELECT
	intent, device, arm, CAST(converted AS integer) AS converted,
	CAST(bounced AS boolean) AS bounced, unsubscribed,
	CAST(revenue AS numeric(12, 2)) AS revenue,
	CAST(exposures AS integer) AS exposures, consent,
	CAST(history AS double precision) AS history,
	CAST(visits_before AS integer) AS visits_before
	FROM cov_sample"
# shellcheck disable=SC2086
"$bin/tact-sql" --dialect postgres --table typed_cov_sample --header-row \
	--columns "$(head -n 1 "$work/cov-sample.csv")" $cov_sample_args \
	> "$work/typed-cov-sample.sql"
psql_run --csv -t -f "$work/typed-cov-sample.sql" > "$work/typed-cov-sample.csv"
# shellcheck disable=SC2086
check_covariates "postgres, typed covariates, --header-row" cov-sample \
	"$work/typed-cov-sample.csv" $cov_sample_args

# 10. and 11. Covariates of sessions: the first session's.
for mixed in drop first; do
	# shellcheck disable=SC2086
	"$bin/tact-sql" --dialect postgres --table cov_sessions --unit visitor_id \
		--order-by session --mixed-units $mixed $cov_sessions_args \
		> "$work/cov-sessions-$mixed.sql"
	psql_run --csv -f "$work/cov-sessions-$mixed.sql" \
		> "$work/cov-sessions-$mixed.csv"
	# shellcheck disable=SC2086
	check_covariates "postgres, covariates of sessions, --mixed-units $mixed" \
		cov-sessions "$work/cov-sessions-$mixed.csv" --unit visitor_id \
		--order-by session --mixed-units $mixed $cov_sessions_args
done

finish sql-postgres
