# csv-compare.awk - compare tact-compare's CSV output with the expected one
# (tests/expected/compare.py), with a tolerance per column:
#   labels, metric, direction, arms, test, verdict   the same text
#   n_control, n_arm, margin                          the same number
#   mean_control, mean_arm                            1e-9 relative
#   intervals, diff, lift, p-values, srm_p_value      1e-6 relative, or
#                                                     1e-15 absolute near 0
#   chance_to_beat                                    1e-4 absolute
#   expected_loss                                     1e-4 relative, or
#                                                     1e-12 absolute near 0
# A blank (an empty field) must be blank on both sides.
# Usage: awk -F, -f csv-compare.awk EXPECTED ACTUAL   (quoted commas unsupported)
# Prints "N rows, M figures agree" (M: the non-blank numbers compared), or
# each disagreement and a count; exit status 1 on any disagreement.
# With -v REPORT=1 it also prints the largest disagreement of each column.
function numeric(x) { return x ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
function kind(name) {
	if (name == "n_control" || name == "n_arm" || name == "margin") return "exact"
	if (name == "mean_control" || name == "mean_arm") return "mean"
	if (name == "chance_to_beat") return "chance"
	if (name == "expected_loss") return "loss"
	if (name ~ /_low$|_high$|^diff$|^lift$|p_value$|^p_adjusted$/) return "figure"
	return "text"
}
function bad(message) { print "line " FNR ", " column[i] ": " message; wrong++ }
BEGIN {
	rel["exact"] = 0;      floor["exact"] = 0
	rel["mean"] = 1e-9;    floor["mean"] = 1e-15
	rel["figure"] = 1e-6;  floor["figure"] = 1e-15
	rel["chance"] = 0;     floor["chance"] = 1e-4
	rel["loss"] = 1e-4;    floor["loss"] = 1e-12
}
NR == FNR {
	line[FNR] = $0
	expected_rows = FNR - 1
	if (FNR == 1)
		for (i = 1; i <= NF; i++) { column[i] = $i; class[i] = kind($i) }
	next
}
FNR == 1 {
	if ($0 != line[1]) { print "header differs: " $0; wrong++; exit 1 }
	next
}
{
	rows++
	if (!(FNR in line)) { print "line " FNR ": not expected: " $0; wrong++; next }
	n = split(line[FNR], want, FS)
	if (n != NF) { print "line " FNR ": " NF " fields, expected " n; wrong++; next }
	for (i = 1; i <= NF; i++) {
		a = want[i]; b = $i; c = class[i]
		if (c == "text") {
			if (a != b) bad("'" b "', expected '" a "'")
			continue
		}
		if (a == "" || b == "") {
			if (a != b) bad((b == "" ? "blank" : b) ", expected " (a == "" ? "blank" : a))
			continue
		}
		if (!numeric(a) || !numeric(b)) { bad("'" b "', expected '" a "'"); continue }
		figures++
		d = abs((a + 0) - (b + 0))
		scale = abs(a + 0)
		if (d > rel[c] * scale && d > floor[c]) bad(b ", expected " a)
		r = scale > 0 ? d / scale : (d > 0 ? 1 : 0)
		if (d > largest_abs[column[i]]) largest_abs[column[i]] = d
		if (d > floor[c] && r > largest_rel[column[i]]) largest_rel[column[i]] = r
	}
}
END {
	if (wrong && rows == 0) exit 1
	if (rows < expected_rows) { print (expected_rows - rows) " expected rows missing"; wrong++ }
	if (REPORT)
		for (i = 1; i in column; i++)
			if (class[i] != "text")
				printf "%-24s largest difference %.3g absolute, %.3g relative (beyond the floor)\n",
				       column[i], largest_abs[column[i]], largest_rel[column[i]]
	if (wrong) { print rows " rows, " wrong " disagreements"; exit 1 }
	print rows " rows, " figures " figures agree"
}
