#!/bin/sh
# run-unit.sh TEST... - run each cmocka test program; fail if any fails.
status=0
for test in "$@"; do
	if ! "$test"; then
		echo "FAILED: $test" >&2
		status=1
	fi
done
exit $status
