#!/bin/sh
# run.sh BIN [CASE...] - run the command-line regression cases.
#
# Each case is a directory under tests/cli/cases/ holding:
#   cmd      the command line, run by sh in the case directory with BIN first
#            in PATH (so "tact-summarize in.csv" runs the build under test)
#   stdin    what the command reads on standard input (optional: none)
#   stdout   the exact expected standard output (absent: must be empty)
#   stderr   the exact expected standard error (absent: must be empty)
#   status   the expected exit status
#   files    optional: a script run after cmd in the same directory whose
#            output must be empty (checks on files the command wrote)
# Commands write files under $OUT, an empty directory made for each case.
# A status of 126 or more is always a failure (a crash, a sanitizer report,
# a missing program).  With TACT_VALGRIND=1 every tact tool runs under
# valgrind, and a valgrind error or leak is a failure too.
#
# Cases run TACT_JOBS at a time (default: the number of cores), each in its
# own scratch folder; a failing case's report is printed whole, never
# interleaved with another's.  TACT_CLI_TIMES=FILE appends "SECONDS NAME"
# for every case (to find the slow ones); TACT_CLI_SKIP="CASE..." leaves
# those cases out.
set -u
if [ "${1:-}" = --one ]; then
	# Internal: run one case (called by the parallel driver below).
	shift
	mode=one
else
	mode=all
fi
bin=$(cd "$1" && pwd) || exit 2
shift
here=$(cd "$(dirname "$0")" && pwd)
cases="$*"
[ -n "$cases" ] || cases=$(cd "$here/cases" && ls)
if [ -n "${TACT_CLI_SKIP:-}" ] && [ "$mode" = all ]; then
	# Leave out the cases named in TACT_CLI_SKIP (the sanitizer run skips the
	# long statistical simulations, which test figures, not memory).
	kept=""
	for name in $cases; do
		case " $TACT_CLI_SKIP " in
		*" $name "*) ;;
		*) kept="$kept $name" ;;
		esac
	done
	cases=$kept
fi
if [ "$mode" = all ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT INT TERM

	path="$bin"
	if [ "${TACT_VALGRIND:-0}" = 1 ]; then
		# Wrapper scripts: the same names, each running the tool under valgrind.
		mkdir "$work/valgrind"
		for tool in "$bin"/tact-*; do
			name=$(basename "$tool")
			cat > "$work/valgrind/$name" <<-WRAP
	#!/bin/sh
	exec valgrind -q --error-exitcode=199 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect "$tool" "\$@"
	WRAP
			chmod +x "$work/valgrind/$name"
		done
		path="$work/valgrind"
	fi
fi
export ASAN_OPTIONS="exitcode=198:detect_leaks=1"
export UBSAN_OPTIONS="exitcode=197:print_stacktrace=1"
export LC_ALL=C.UTF-8


# run_case NAME: run one case in a scratch folder of its own; prints nothing
# when it passes, the problem and the diffs when it fails; status 0/1.
run_case() {
	name=$1
	dir="$here/cases/$name"
	[ -f "$dir/cmd" ] || { echo "FAIL $name: no cmd file"; return 1; }
	expected_status=$(cat "$dir/status" 2>/dev/null || echo "missing")
	input=/dev/null
	[ -f "$dir/stdin" ] && input="$dir/stdin"
	scratch=$(mktemp -d "$work/case.XXXXXX")
	mkdir "$scratch/out"
	export OUT="$scratch/out"
	started=$(date +%s.%N)
	(cd "$dir" && PATH="$path:$PATH" sh -c "$(cat cmd)" < "$input" > "$scratch/stdout" 2> "$scratch/stderr")
	status=$?
	if [ -n "${TACT_CLI_TIMES:-}" ]; then
		awk -v a="$started" -v b="$(date +%s.%N)" -v n="$name" 'BEGIN { printf "%.2f %s\n", b - a, n }' >> "$TACT_CLI_TIMES"
	fi
	problem=""
	if [ "$status" -ge 126 ]; then
		problem="exit status $status (crash, sanitizer or valgrind report)"
	elif [ "$status" != "$expected_status" ]; then
		problem="exit status $status, expected $expected_status"
	fi
	for stream in stdout stderr; do
		expected="$dir/$stream"
		[ -f "$expected" ] || expected=/dev/null
		if ! cmp -s "$scratch/$stream" "$expected"; then
			problem="$problem${problem:+; }$stream differs"
			diff -u "$expected" "$scratch/$stream" | head -20 > "$scratch/diff.$stream"
		fi
	done
	if [ -z "$problem" ] && [ -f "$dir/files" ]; then
		check=$(cd "$dir" && PATH="$path:$PATH" sh ./files 2>&1)
		[ -n "$check" ] && problem="files check: $check"
	fi
	if [ -n "$problem" ]; then
		echo "FAIL $name: $problem"
		for stream in stdout stderr; do
			[ -f "$scratch/diff.$stream" ] && cat "$scratch/diff.$stream"
		done
		rm -rf "$scratch"
		return 1
	fi
	rm -rf "$scratch"
	return 0
}

if [ "$mode" = one ]; then
	# $work and $path come from the driver's environment.
	for name in $cases; do
		if run_case "$name" > "$work/report.$name" 2>&1; then
			echo pass >> "$work/results"
		else
			echo fail >> "$work/results"
			cat "$work/report.$name" >&2
		fi
		rm -f "$work/report.$name"
	done
	exit 0
fi

jobs=${TACT_JOBS:-$(nproc 2>/dev/null || echo 1)}
: > "$work/results"
export work path
# A failing case's report is written by one process in one go (cat of a
# small file), so reports of different cases do not interleave.
printf '%s\n' $cases | xargs -P "$jobs" -n 1 sh "$here/run.sh" --one "$bin"
passed=$(grep -c '^pass$' "$work/results")
failed=$(grep -c '^fail$' "$work/results")
total=$(printf '%s\n' $cases | grep -c .)
missing=$((total - passed - failed))
if [ "$missing" -ne 0 ]; then
	echo "cli: $missing cases gave no result" >&2
	failed=$((failed + missing))
fi
echo "cli: $passed passed, $failed failed" >&2
[ "$failed" -eq 0 ]
