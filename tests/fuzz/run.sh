#!/bin/sh
# run.sh DIR SECONDS FUZZER... - run each libFuzzer harness for SECONDS.
#
# Each fuzzer starts from its seed corpus (tests/fuzz/corpus/NAME, never
# written) and keeps what it finds in DIR/corpus/NAME; a crash is saved as
# DIR/crashes/NAME-crash-* and fails the run (reproduce it with
# "DIR/fuzz_NAME FILE").  As many fuzzers run at once as there are cores,
# each on its own for SECONDS.  Ends with one line per fuzzer: executions
# and time.
set -u
dir=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
cores=$(nproc 2>/dev/null || echo 1)
mkdir -p "$dir/crashes"

run_one() {
	name=$1
	fuzzer=$2
	mkdir -p "$dir/corpus/$name"
	# ASan's leak check at exit and UBSan's reports are fatal; one input
	# may take at most 10 s; inputs up to 64 KiB.
	ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	"$fuzzer" -max_total_time="$seconds" -timeout=10 -max_len=65536 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/crashes/$name-" \
		"$dir/corpus/$name" "$here/corpus/$name" > "$dir/$name.log" 2>&1
	echo $? > "$dir/$name.status"
}

running=0
for fuzzer in "$@"; do
	name=$(basename "$fuzzer")
	name=${name#fuzz_}
	run_one "$name" "$fuzzer" &
	running=$((running + 1))
	if [ "$running" -ge "$cores" ]; then
		wait
		running=0
	fi
done
wait

status=0
for fuzzer in "$@"; do
	name=$(basename "$fuzzer")
	name=${name#fuzz_}
	rc=$(cat "$dir/$name.status")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$name.log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "fuzz: $name FAILED (exit $rc); see $dir/$name.log:" >&2
		grep -E 'ERROR|SUMMARY|differ|Test unit written' "$dir/$name.log" | head -10 >&2
	fi
	echo "fuzz: $name: ${runs:-?} executions in $seconds s$( [ "$rc" -ne 0 ] && echo ' (FAILED)')" >&2
done
exit $status
