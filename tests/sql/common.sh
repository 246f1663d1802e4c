# common.sh - sourced by the round trips of tact-sql's statement on real
# engines (postgres-roundtrip.sh, engines.sh): the exports, what each
# statement's result must equal, and the checks.
#
# Needs, by the time its functions run: bin (the tools' folder), root (the
# source tree), here (this folder), work (a temporary folder).  Defines:
#   make_exports     writes into $work:
#                      sample.csv    datasets/sample.csv (rows are units);
#                      sessions.csv  tact-simulate's sessions (seed 20, 2,000
#                                    visitors, 2.5 sessions each, intents
#                                    drifting between sessions) with a
#                                    column 'session' (the row's number,
#                                    zero-padded: it orders as text and as a
#                                    number), and every 40th visitor's later
#                                    sessions moved to the other arm (units
#                                    in several arms);
#                      agree.csv     the same model (seed 21) without drift:
#                                    each visitor's sessions agree on intent
#                                    and arm;
#                    and for each NAME, expected-NAME.csv (tact-summarize's
#                    summary, pooled rows and all), compare-NAME.csv and
#                    compare-NAME.txt (tact-compare as CSV and as a table).
#   check_result LABEL NAME RESULT
#                    RESULT (a statement's result, exported as CSV) against
#                    the export NAME: the summary field by field (text
#                    exactly, numbers to 1e-9 relative or 1e-9 absolute:
#                    engines add in other orders than tact), tact-compare's
#                    CSV the same way and, but for revenue's rows (sums of
#                    cents, rounded in the engine's order), byte for byte,
#                    and tact-compare's table byte for byte (every figure a
#                    person reads).
#   typed_names FILE rewrites the awkward names of the typed tables back.
#   remove_work      removes $work (kept with TACT_SQL_KEEP=1).
#   finish           prints the count and fails when any check failed.

failed=0
passed=0

# Remove $work, or keep it (and say where) with TACT_SQL_KEEP=1.
remove_work() {
	if [ -n "${TACT_SQL_KEEP:-}" ]; then
		echo "sql: kept $work" >&2
	else
		rm -rf "$work"
	fi
}

# One check: awk close.awk EXPECTED ACTUAL, or cmp with BYTES=1.
check_files() {
	label=$1
	expected=$2
	actual=$3
	if [ -n "${BYTES:-}" ]; then
		if diff "$expected" "$actual" > "$work/diff" 2>&1; then
			passed=$((passed + 1))
			return 0
		fi
	elif awk -v TOL=1e-9 -v ABS=1e-9 -f "$here/close.awk" "$expected" "$actual" \
		> "$work/diff" 2>&1; then
		passed=$((passed + 1))
		return 0
	fi
	failed=$((failed + 1))
	echo "FAIL sql $label:" >&2
	head -n 20 "$work/diff" >&2
	return 0
}

make_exports() {
	cp "$root/datasets/sample.csv" "$work/sample.csv"
	"$bin/tact-simulate" -n 2000 -s 20 --sessions-mean 2.5 |
		awk -F, -v OFS=, '
			NR == 1 { print $0, "session"; next }
			{
				# every 40th visitor: later sessions in the other arm
				id = substr($1, 2) + 0
				if (id % 40 == 0 && ($1 in seen))
					$4 = $4 == "control" ? "personalized" : "control"
				seen[$1] = 1
				print $0, sprintf("%06d", NR - 1)
			}' > "$work/sessions.csv"
	"$bin/tact-simulate" -n 2000 -s 21 --sessions-mean 2.5 --intent-drift 0 \
		> "$work/agree.csv"
	# The warnings (units in several arms) go to exports.log.
	for name in sample sessions agree; do
		"$bin/tact-summarize" --quiet "$work/$name.csv" \
			> "$work/expected-$name.csv" 2>> "$work/exports.log"
		"$bin/tact-compare" --quiet "$work/$name.csv" \
			> "$work/compare-$name.csv" 2>> "$work/exports.log"
		"$bin/tact-compare" --quiet --format table "$work/$name.csv" \
			> "$work/compare-$name.txt" 2>> "$work/exports.log"
	done
	# Units in several arms kept in their first (--mixed-units first).
	"$bin/tact-summarize" --quiet --mixed-units first "$work/sessions.csv" \
		> "$work/expected-sessions-first.csv" 2>> "$work/exports.log"
	"$bin/tact-compare" --quiet --mixed-units first "$work/sessions.csv" \
		> "$work/compare-sessions-first.csv" 2>> "$work/exports.log"
	"$bin/tact-compare" --quiet --mixed-units first --format table \
		"$work/sessions.csv" > "$work/compare-sessions-first.txt" \
		2>> "$work/exports.log"
}

check_result() {
	label=$1
	name=$2
	result=$3
	check_files "$label: summary" "$work/expected-$name.csv" "$result"
	if compare_result "$label" "$result"; then
		check_files "$label: tact-compare" "$work/compare-$name.csv" \
			"$result.compare.csv"
		# Outcomes and exposures are whole numbers: their sums are exact in
		# any order, so their rows must match to the last digit; revenue's
		# sums of cents are rounded in the engine's order.
		grep -v '^[^,]*,revenue,' "$work/compare-$name.csv" > "$work/exact-expected.csv"
		grep -v '^[^,]*,revenue,' "$result.compare.csv" > "$result.compare-exact.csv"
		BYTES=1 check_files "$label: tact-compare, all but revenue byte for byte" \
			"$work/exact-expected.csv" "$result.compare-exact.csv"
		BYTES=1 check_files "$label: tact-compare --format table" \
			"$work/compare-$name.txt" "$result.compare.txt"
	fi
}

# compare_result LABEL RESULT: tact-compare on RESULT, as CSV and as a
# table (RESULT.compare.csv, RESULT.compare.txt); a failed check, and
# status 1, when it cannot read RESULT.
compare_result() {
	if "$bin/tact-compare" --quiet "$2" > "$2.compare.csv" 2> "$work/diff" &&
		"$bin/tact-compare" --quiet --format table "$2" \
			> "$2.compare.txt" 2> "$work/diff"; then
		return 0
	fi
	failed=$((failed + 1))
	echo "FAIL sql $1: tact-compare cannot read the result:" >&2
	cat "$work/diff" >&2
	return 1
}

typed_names() {
	sed -i '1s/segment:visit intent/segment:intent/; s/bounced?/bounced/g
		s/has consent/consent/; 1s/arm""s label/arm/' "$1"
}

finish() {
	echo "$1: $passed passed, $failed failed" >&2
	[ "$failed" -eq 0 ]
}

# ---- covariates (--covariate, CUPED) -----------------------------------
# make_covariate_exports writes into $work, after make_exports:
#   cov-sample.csv    sample.csv with every 13th revenue cell emptied and
#                     two covariates: history (2 decimals, every 7th cell
#                     empty), visits_before (whole, every 11th empty);
#   cov-sessions.csv  sessions.csv with every 17th revenue cell emptied and
#                     a covariate history that changes from one session of
#                     a visitor to the next (so that only the first session's
#                     value is right), empty on the first session of every
#                     9th visitor and on the second of every 5th;
# and expected-cov-sample.csv, expected-cov-sessions.csv,
# expected-cov-sessions-first.csv: tact-summarize's summaries of them,
# which here carry no covariate (the other helper adds it to tact-summarize).
# check_covariates LABEL EXPORT RESULT ARGS... checks a statement's result
# with tests/expected/sql_covariate.py: every covariate figure (n, sum, m2,
# the cross pairs, per group and pooled, the meta rows) against NumPy's on
# EXPORT, every other field against tact-summarize's summary (ARGS: the
# covariates and the unit options the statement was given).
# When tact-summarize takes --covariate (covariate-roundtrip.md), also the
# round trip: the result against tact-summarize --covariate's summary (to
# 1e-9), tact-compare on it against tact-compare --covariate on the export
# (its CSV to 1e-9: theta and the adjusted figures use the covariate's
# sums of decimals, added in the engine's order; its table byte for byte).
make_covariate_exports() {
	awk -F, -v OFS=, '
		NR == 1 { print $0, "history", "visits_before"; next }
		{
			if (NR % 13 == 0) $7 = ""
			history = NR % 7 == 0 ? "" : sprintf("%.2f", (NR * 7919) % 10007 / 100)
			visits = NR % 11 == 0 ? "" : NR % 23
			print $0, history, visits
		}' "$work/sample.csv" > "$work/cov-sample.csv"
	awk -F, -v OFS=, '
		NR == 1 { print $0, "history"; next }
		{
			id = substr($1, 2) + 0
			j = ++session[$1]
			if (NR % 17 == 0) $8 = ""
			history = sprintf("%.2f", (id * 31) % 400 / 4 + j / 2)
			if ((id % 9 == 0 && j == 1) || (id % 5 == 0 && j == 2)) history = ""
			print $0, history
		}' "$work/sessions.csv" > "$work/cov-sessions.csv"
	"$bin/tact-summarize" --quiet "$work/cov-sample.csv" \
		> "$work/expected-cov-sample.csv" 2>> "$work/exports.log"
	"$bin/tact-summarize" --quiet "$work/cov-sessions.csv" \
		> "$work/expected-cov-sessions.csv" 2>> "$work/exports.log"
	"$bin/tact-summarize" --quiet --mixed-units first "$work/cov-sessions.csv" \
		> "$work/expected-cov-sessions-first.csv" 2>> "$work/exports.log"
	if "$bin/tact-summarize" --help 2>/dev/null | grep -q -- --covariate; then
		# shellcheck disable=SC2086
		roundtrip_expected cov-sample cov-sample $cov_sample_args
		# shellcheck disable=SC2086
		roundtrip_expected cov-sessions cov-sessions $cov_sessions_args
		# shellcheck disable=SC2086
		roundtrip_expected cov-sessions cov-sessions-first --mixed-units first \
			$cov_sessions_args
	fi
}

# roundtrip_expected EXPORT NAME ARGS...: tact-summarize's and
# tact-compare's outputs with the covariates, roundtrip-NAME.*.
roundtrip_expected() {
	source_name=$1
	name=$2
	shift 2
	"$bin/tact-summarize" --quiet "$@" "$work/$source_name.csv" \
		> "$work/roundtrip-$name.csv" 2>> "$work/exports.log"
	"$bin/tact-compare" --quiet "$@" "$work/$source_name.csv" \
		> "$work/roundtrip-$name.compare.csv" 2>> "$work/exports.log"
	"$bin/tact-compare" --quiet --format table "$@" "$work/$source_name.csv" \
		> "$work/roundtrip-$name.compare.txt" 2>> "$work/exports.log"
}

# check_roundtrip LABEL NAME RESULT: the round trip of check_covariates.
check_roundtrip() {
	roundtrip_label=$1    # check_files sets label
	name=$2
	result=$3
	check_files "$roundtrip_label: tact-summarize --covariate" \
		"$work/roundtrip-$name.csv" "$result"
	if compare_result "$roundtrip_label" "$result"; then
		check_files "$roundtrip_label: tact-compare" \
			"$work/roundtrip-$name.compare.csv" "$result.compare.csv"
		BYTES=1 check_files "$roundtrip_label: tact-compare --format table" \
			"$work/roundtrip-$name.compare.txt" "$result.compare.txt"
	fi
}

# The covariates of the statements on cov-sample and on cov-sessions.
cov_sample_args="--covariate revenue=history --covariate converted=history --covariate bounced=visits_before"
cov_sessions_args="--covariate revenue=history --covariate converted=history"

check_covariates() {
	label=$1
	covariates_label=$1
	export_name=$2
	result=$3
	shift 3
	summary=$work/expected-$export_name.csv
	roundtrip=$export_name
	case " $* " in
	*" first "*)
		summary=$work/expected-$export_name-first.csv
		roundtrip=$export_name-first
		;;
	esac
	if /usr/bin/python3 "$root/tests/expected/sql_covariate.py" \
		"$work/$export_name.csv" "$summary" "$result" "$@" > "$work/diff" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL sql $label:" >&2
		head -n 20 "$work/diff" >&2
	fi
	if [ -f "$work/roundtrip-$roundtrip.csv" ]; then
		check_roundtrip "$covariates_label" "$roundtrip" "$result"
	fi
}
