# csv-columns.awk - keep some columns of a CSV by name, and optionally only
# the rows whose column "metric" is METRIC (quoted commas unsupported).
#
# Usage: awk -F, -v COLUMNS=metric,arm,diff [-v METRIC=spend] -f csv-columns.awk FILE
# Used by the cap-verify cases (tests/expected/cap.py) to compare the
# columns their reference computes.
BEGIN { n = split(COLUMNS, want, ",") }
NR == 1 {
	for (i = 1; i <= NF; i++) at[$i] = i
	for (k = 1; k <= n; k++) {
		if (!(want[k] in at)) { print "no column " want[k] > "/dev/stderr"; exit 2 }
		printf "%s%s", (k > 1 ? "," : ""), want[k]
	}
	print ""
	next
}
METRIC != "" && $at["metric"] != METRIC { next }
{
	for (k = 1; k <= n; k++) printf "%s%s", (k > 1 ? "," : ""), $at[want[k]]
	print ""
}
