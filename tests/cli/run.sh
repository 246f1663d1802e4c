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
set -u
bin=$(cd "$1" && pwd) || exit 2
shift
here=$(cd "$(dirname "$0")" && pwd)
cases="$*"
[ -n "$cases" ] || cases=$(cd "$here/cases" && ls)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

path="$bin"
if [ "${TACT_VALGRIND:-0}" = 1 ]; then
	# Wrapper scripts: the same names, each running the tool under valgrind.
	mkdir "$work/valgrind"
	for tool in "$bin"/tact-*; do
		name=$(basename "$tool")
		cat > "$work/valgrind/$name" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=199 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect "$tool" "\$@"
WRAP
		chmod +x "$work/valgrind/$name"
	done
	path="$work/valgrind"
fi
export ASAN_OPTIONS="exitcode=198:detect_leaks=1"
export UBSAN_OPTIONS="exitcode=197:print_stacktrace=1"
export LC_ALL=C.UTF-8

passed=0
failed=0
for name in $cases; do
	dir="$here/cases/$name"
	[ -f "$dir/cmd" ] || { echo "cli: $name: no cmd file" >&2; failed=$((failed + 1)); continue; }
	expected_status=$(cat "$dir/status" 2>/dev/null || echo "missing")
	input=/dev/null
	[ -f "$dir/stdin" ] && input="$dir/stdin"
	rm -rf "$work/case"
	mkdir "$work/case"
	export OUT="$work/case"
	(cd "$dir" && PATH="$path:$PATH" sh -c "$(cat cmd)" < "$input" > "$work/out" 2> "$work/err")
	status=$?
	problem=""
	if [ "$status" -ge 126 ]; then
		problem="exit status $status (crash, sanitizer or valgrind report)"
	elif [ "$status" != "$expected_status" ]; then
		problem="exit status $status, expected $expected_status"
	fi
	for stream in stdout stderr; do
		actual="$work/out"
		[ $stream = stderr ] && actual="$work/err"
		expected="$dir/$stream"
		[ -f "$expected" ] || expected=/dev/null
		if ! cmp -s "$actual" "$expected"; then
			problem="$problem${problem:+; }$stream differs"
			diff -u "$expected" "$actual" | head -20 > "$work/diff.$stream"
		fi
	done
	if [ -z "$problem" ] && [ -f "$dir/files" ]; then
		check=$(cd "$dir" && PATH="$path:$PATH" sh ./files 2>&1)
		[ -n "$check" ] && problem="files check: $check"
	fi
	if [ -n "$problem" ]; then
		failed=$((failed + 1))
		echo "FAIL $name: $problem" >&2
		for stream in stdout stderr; do
			[ -f "$work/diff.$stream" ] && cat "$work/diff.$stream" >&2
			rm -f "$work/diff.$stream"
		done
	else
		passed=$((passed + 1))
	fi
done
echo "cli: $passed passed, $failed failed" >&2
[ "$failed" -eq 0 ]
