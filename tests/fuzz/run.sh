#!/bin/sh
# run.sh DIR SECONDS FUZZER... - run each libFuzzer harness for SECONDS.
#
# Each fuzzer starts from its seed corpus (tests/fuzz/corpus/NAME, never
# written) and keeps what it finds in DIR/corpus/NAME; a crash is saved as
# DIR/crashes/NAME-crash-* and fails the run (reproduce it with
# "DIR/fuzz_NAME FILE").  Ends with one line per fuzzer: executions and
# time.  TACT_FUZZ_JOBS=N runs N processes per fuzzer (default 1).
set -u
dir=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
status=0
summary=""
mkdir -p "$dir/crashes"
for fuzzer in "$@"; do
	name=$(basename "$fuzzer")
	name=${name#fuzz_}
	mkdir -p "$dir/corpus/$name"
	log="$dir/$name.log"
	# ASan's leak check at exit and UBSan's reports are fatal; one input
	# may take at most 10 s; inputs up to 64 KiB.
	ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	"$fuzzer" -max_total_time="$seconds" -timeout=10 -max_len=65536 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/crashes/$name-" \
		"$dir/corpus/$name" "$here/corpus/$name" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ $rc -ne 0 ]; then
		status=1
		echo "fuzz: $name FAILED (exit $rc); see $log:" >&2
		grep -E 'ERROR|SUMMARY|differ|Test unit written' "$log" | head -10 >&2
	fi
	summary="$summary$name: ${runs:-?} executions in ${seconds} s$( [ $rc -ne 0 ] && echo ' (FAILED)')
"
done
printf '%s' "$summary" >&2
exit $status
