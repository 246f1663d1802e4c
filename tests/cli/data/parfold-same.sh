# parfold-same.sh - sourced by the parfold-* cases: same NAME COMMAND...
# runs COMMAND with --threads 1, then with --threads 2 and the folding of
# sessions split fine (TACT_LOAD_TEST, default parts of 2 KiB and 7
# partitions; SPLIT replaces it), and prints "same: NAME (status S)" when
# standard output, standard error (the memory figure aside) and the exit
# status agree, else "DIFFER: NAME".
same() {
	name=$1
	shift
	"$@" --threads 1 > "$OUT/one" 2> "$OUT/one.err"
	echo "status $?" >> "$OUT/one"
	TACT_LOAD_TEST=${SPLIT:-unit_part_bytes=2048,partitions=7} "$@" --threads 2 > "$OUT/two" 2> "$OUT/two.err"
	echo "status $?" >> "$OUT/two"
	sed -i 's/([0-9.]* MB held/(MB held/' "$OUT/one.err" "$OUT/two.err"
	if cmp -s "$OUT/one" "$OUT/two" && cmp -s "$OUT/one.err" "$OUT/two.err"; then
		echo "same: $name ($(tail -n 1 "$OUT/one"))"
	else
		echo "DIFFER: $name"
	fi
}
