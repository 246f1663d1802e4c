#!/bin/sh
# engines.sh BIN MODULES [ENGINE]... - run tact-sql's statement on DuckDB and
# ClickHouse, each embedded in Node.js (engine.js) from the npm packages
# installed under MODULES (@duckdb/node-api; chdb, ClickHouse as a library),
# and check each result against tact-summarize and tact-compare on the same
# export (common.sh).  ENGINE: duckdb, clickhouse [both].
#
# Per engine, on tables loaded from the exports (common.sh):
#   sample          text columns, default roles;
#   typed sample    typed columns (integer, boolean, yes/no text, decimal,
#                   a boolean consent) under awkward names, every role named;
#   sessions        text columns, --unit visitor_id --order-by session;
#   typed sessions  the engine's own types (inferred from the CSV), the same;
#   agree           text columns, --unit visitor_id, no order column (each
#                   visitor's sessions agree on intent and arm);
#   sessions again  without --order-by: what differs (check_unordered);
# and with covariates (--covariate; common.sh's check_covariates against
# NumPy on the export):
#   cov sample      text columns, three covariate items, two columns;
#   cov sessions    text columns, --unit visitor_id --order-by session, and
#                   again with --mixed-units first;
#   typed cov sessions  the engine's own types, --unit --order-by.
# With TACT_SQL_KEEP=1 the folder (statements, results) is kept.
set -eu
bin=$(cd "$1" && pwd)
modules=$(cd "$2" && pwd)
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
engines=${*:-duckdb clickhouse}

command -v node > /dev/null || { echo "sql: no node on PATH" >&2; exit 1; }
. "$here/common.sh"
work=$(mktemp -d /tmp/tact-engines.XXXXXX)
trap remove_work EXIT
trap 'exit 2' INT TERM HUP
make_exports
make_covariate_exports
grep '^group,' "$work/expected-sessions.csv" > "$work/unordered-groups"

# The statements of one dialect: E.sample.sql and the others.
statements() {
	d=$1
	q=$2    # the identifier quote of the dialect
	"$bin/tact-sql" -d "$d" -t sample > "$work/$d.sample.sql"
	"$bin/tact-sql" -d "$d" -t "${q}typed sample${q}" \
		--arm 'arm"s label' --control control --by 'visit intent' \
		--goal converted --annoyance 'bounced?,unsubscribed' --value revenue \
		--exposures exposures --consent 'has consent' \
		--columns 'visit intent,device,arm"s label,converted,bounced?,unsubscribed,revenue,exposures,has consent' \
		> "$work/$d.typed.sql"
	"$bin/tact-sql" -d "$d" -t sessions --unit visitor_id --order-by session \
		> "$work/$d.sessions.sql"
	"$bin/tact-sql" -d "$d" -t "${q}typed sessions${q}" \
		--columns "$(head -n 1 "$work/sessions.csv")" --order-by session \
		> "$work/$d.typed-sessions.sql"
	"$bin/tact-sql" -d "$d" -t agree --unit visitor_id > "$work/$d.agree.sql"
	"$bin/tact-sql" -d "$d" -t sessions --unit visitor_id > "$work/$d.unordered.sql"
	"$bin/tact-sql" -d "$d" -t sessions --unit visitor_id --order-by session \
		--mixed-units first > "$work/$d.first.sql"
	# shellcheck disable=SC2086
	"$bin/tact-sql" -d "$d" -t cov_sample $cov_sample_args > "$work/$d.cov-sample.sql"
	for mixed in drop first; do
		# shellcheck disable=SC2086
		"$bin/tact-sql" -d "$d" -t cov_sessions --unit visitor_id \
			--order-by session --mixed-units $mixed $cov_sessions_args \
			> "$work/$d.cov-sessions-$mixed.sql"
	done
	# shellcheck disable=SC2086
	"$bin/tact-sql" -d "$d" -t "${q}typed cov sessions${q}" \
		--columns "$(head -n 1 "$work/cov-sessions.csv")" --order-by session \
		$cov_sessions_args > "$work/$d.typed-cov-sessions.sql"
}

# The covariates' results of one engine.
check_engine_covariates() {
	e=$1
	sessions="--unit visitor_id --order-by session"
	# shellcheck disable=SC2086
	check_covariates "$e, covariates" cov-sample "$work/$e.cov-sample.csv" \
		$cov_sample_args
	for mixed in drop first; do
		# shellcheck disable=SC2086
		check_covariates "$e, covariates of sessions, --mixed-units $mixed" \
			cov-sessions "$work/$e.cov-sessions-$mixed.csv" $sessions \
			--mixed-units $mixed $cov_sessions_args
	done
	# shellcheck disable=SC2086
	check_covariates "$e, typed covariates of sessions" cov-sessions \
		"$work/$e.typed-cov-sessions.csv" $sessions $cov_sessions_args
}

# What differs without --order-by where a visitor's sessions disagree
# (tact-sql(1), UNITS): the same meta rows (sessions read and left out,
# units in several arms) and the same units in all, but not the same
# groups: some visitors go to their smallest intent, not their first.
check_unordered() {
	label=$1
	result=$2
	unquote='s/"//g'
	if sed "$unquote" "$result" | grep '^meta,' > "$work/unordered-meta" &&
		grep '^meta,' "$work/expected-sessions.csv" | cmp -s - "$work/unordered-meta" &&
		[ "$(sed "$unquote" "$result" | awk -F, '$1 == "group" { n += $4 } END { print n }')" = \
		  "$(awk -F, '$1 == "group" { n += $4 } END { print n }' "$work/expected-sessions.csv")" ] &&
		! sed "$unquote" "$result" | grep '^group,' |
			cmp -s - "$work/unordered-groups"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL sql $label: without --order-by, expected the same meta rows" \
			"and units in all, and other groups" >&2
	fi
}

# The tables of one engine, from the exports.
setup_duckdb() {
	for name in sample sessions agree cov-sample cov-sessions; do
		echo "CREATE TABLE $(echo "$name" | tr - _) AS SELECT * FROM read_csv('$work/$name.csv', header = true, all_varchar = true);"
	done
	cat <<EOF
CREATE TABLE "typed sample" AS SELECT
	intent AS "visit intent", device, arm AS "arm""s label",
	CAST(converted AS INTEGER) AS converted,
	CAST(bounced AS BOOLEAN) AS "bounced?",
	CASE unsubscribed WHEN '1' THEN ' Yes' WHEN '0' THEN 'no' END AS unsubscribed,
	CAST(revenue AS DECIMAL(12, 2)) AS revenue,
	CAST(exposures AS INTEGER) AS exposures,
	CAST(consent AS BOOLEAN) AS "has consent"
	FROM sample;
CREATE TABLE "typed sessions" AS SELECT * FROM read_csv('$work/sessions.csv', header = true);
CREATE TABLE "typed cov sessions" AS SELECT * FROM read_csv('$work/cov-sessions.csv', header = true);
EOF
}

setup_clickhouse() {
	for name in sample sessions agree cov-sample cov-sessions; do
		structure=$(head -n 1 "$work/$name.csv" | tr -d '\r' |
			sed 's/,/ Nullable(String), /g; s/$/ Nullable(String)/')
		echo "CREATE TABLE $(echo "$name" | tr - _) ENGINE = Memory AS SELECT * FROM file('$work/$name.csv', 'CSVWithNames', '$structure');"
	done
	cat <<EOF
CREATE TABLE \`typed sample\` ENGINE = Memory AS SELECT
	intent AS \`visit intent\`, device, arm AS \`arm"s label\`,
	toInt32(converted) AS converted,
	CAST(toUInt8(bounced) AS Nullable(Bool)) AS \`bounced?\`,
	CASE unsubscribed WHEN '1' THEN ' Yes' WHEN '0' THEN 'no' END AS unsubscribed,
	toDecimal64(revenue, 2) AS revenue,
	toInt32(exposures) AS exposures,
	CAST(toUInt8(consent) AS Nullable(Bool)) AS \`has consent\`
	FROM sample;
CREATE TABLE \`typed sessions\` ENGINE = Memory AS SELECT * FROM file('$work/sessions.csv', 'CSVWithNames');
CREATE TABLE \`typed cov sessions\` ENGINE = Memory AS SELECT * FROM file('$work/cov-sessions.csv', 'CSVWithNames');
EOF
}

for engine in $engines; do
	case $engine in
	duckdb) quote='"' ;;
	clickhouse) quote='`' ;;
	*) echo "sql: unknown engine '$engine'" >&2; exit 64 ;;
	esac
	statements "$engine" "$quote"
	"setup_$engine" > "$work/$engine.setup.sql"
	set --
	for part in sample typed sessions typed-sessions agree unordered first \
		cov-sample cov-sessions-drop cov-sessions-first typed-cov-sessions; do
		set -- "$@" "$work/$engine.$part.sql" "$work/$engine.$part.csv"
	done
	start=$(date +%s)
	if ! node "$here/engine.js" "$modules" "$engine" "$work/$engine.setup.sql" "$@"; then
		failed=$((failed + 1))
		echo "FAIL sql $engine: the statements did not run" >&2
		continue
	fi
	echo "sql: $engine ran 11 statements in $(($(date +%s) - start)) s" >&2
	typed_names "$work/$engine.typed.csv"
	check_result "$engine, text columns" sample "$work/$engine.sample.csv"
	check_result "$engine, typed columns, quoted names" sample "$work/$engine.typed.csv"
	check_result "$engine, sessions, --unit --order-by" sessions "$work/$engine.sessions.csv"
	check_result "$engine, typed sessions, --unit --order-by" sessions \
		"$work/$engine.typed-sessions.csv"
	check_result "$engine, agreeing sessions, --unit" agree "$work/$engine.agree.csv"
	check_unordered "$engine, sessions, --unit without --order-by" \
		"$work/$engine.unordered.csv"
	check_result "$engine, sessions, --mixed-units first" sessions-first \
		"$work/$engine.first.csv"
	check_engine_covariates "$engine"
done
finish sql-engines
