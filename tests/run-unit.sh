#!/bin/sh
# run-unit.sh TEST... - run each cmocka test program; fail if any fails.
#
# TACT_JOBS programs run at a time (default: the number of cores); each
# one's output is kept apart and printed whole, in the order given.
set -u
jobs=${TACT_JOBS:-$(nproc 2>/dev/null || echo 1)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
i=0
for test in "$@"; do
	i=$((i + 1))
	printf '%s %s\n' "$i" "$test"
done | xargs -P "$jobs" -n 2 sh -c '
	if "$2" > "$0/$1.out" 2>&1; then : > "$0/$1.ok"; fi
' "$work"
status=0
i=0
for test in "$@"; do
	i=$((i + 1))
	cat "$work/$i.out"
	if [ ! -f "$work/$i.ok" ]; then
		echo "FAILED: $test" >&2
		status=1
	fi
done
exit $status
