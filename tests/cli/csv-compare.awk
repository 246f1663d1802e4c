# csv-compare.awk - compare tact-compare's output with the expected one
# (tests/expected/compare.py), with a tolerance per column:
#   labels, metric, direction, arms, kind, test, verdict, flags   the same text
#   counts (n_*, units, rows_*, df), margin, settings             the same number
#   mean_control, mean_arm                            1e-9 relative
#   intervals, diff, lift, statistics,                1e-6 relative, or
#     interval_level
#                                                     1e-15 absolute near 0
#   p-values (p_value, p_adjusted, srm_p_value,       1e-6 relative (down
#     noninferiority_p_value)                         to 1e-300)
#   chance_to_beat                                    1e-4 absolute
#   expected_loss                                     1e-4 relative, or
#                                                     1e-12 absolute near 0
# A blank (an empty field; null in JSON) must be blank on both sides.
#
# Usage: awk -F, -f csv-compare.awk EXPECTED.csv ACTUAL.csv
#   (CSV with a header; quoted commas unsupported), or
#        awk -F'\t' -v FLAT=1 -f csv-compare.awk EXPECTED.flat ACTUAL.flat
#   (JSON flattened by json-flat.awk and sorted: PATH<TAB>VALUE lines; the
#   column of a value is the last key of its path that is not an index, or
#   "units" for a segment's units per arm).
# Prints "N rows, M figures agree" ("N values" when FLAT; M counts the
# non-blank numbers compared), or each disagreement and their count; exit
# status 1 on any disagreement.  With -v REPORT=1 it also prints the
# largest absolute difference of each numeric column, and the largest
# relative one among values over 1000 times the column's absolute floor.
function numeric(x) { return x ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
function kind(name) {
	if (name ~ /^(n_control|n_arm|margin|units|df|rows_read|rows_rejected|rows_excluded_consent|rows_suppressed|min_cell|confidence|planned_split)$/)
		return "exact"
	if (name == "mean_control" || name == "mean_arm") return "mean"
	if (name == "chance_to_beat") return "chance"
	if (name == "expected_loss") return "loss"
	if (name ~ /(^|_)p_value$|^p_adjusted$/) return "p"
	if (name ~ /_low$|_high$|_unadjusted$|^diff$|^lift$|^statistic$|^interval_level$/) return "figure"
	return "text"
}
function column_of(p,   parts, k) {
	if (p ~ /^segments\.[0-9]+\.units\./) return "units"
	k = split(p, parts, ".")
	while (k > 1 && parts[k] ~ /^[0-9]+$/) k--
	return parts[k]
}
function bad(where, message) { print where ": " message; wrong++ }
function check(where, name, c, a, b,   d, scale, r) {
	if (c == "text") {
		if (a != b) bad(where, "'" b "', expected '" a "'")
		return
	}
	if (FLAT) { if (a == "null") a = ""; if (b == "null") b = "" }
	if (a == "" || b == "") {
		if (a != b) bad(where, (b == "" ? "blank" : b) ", expected " (a == "" ? "blank" : a))
		return
	}
	if (!numeric(a) || !numeric(b)) { bad(where, "'" b "', expected '" a "'"); return }
	figures++
	d = abs((a + 0) - (b + 0))
	scale = abs(a + 0)
	if (d > rel[c] * scale && d > floor[c]) bad(where, b ", expected " a)
	r = scale > 0 ? d / scale : (d > 0 ? 1 : 0)
	if (d > largest_abs[name]) largest_abs[name] = d
	if (scale > 1000 * floor[c] && r > largest_rel[name]) largest_rel[name] = r
	seen[name] = 1
}
BEGIN {
	rel["exact"] = 0;      floor["exact"] = 0
	rel["mean"] = 1e-9;    floor["mean"] = 1e-15
	rel["figure"] = 1e-6;  floor["figure"] = 1e-15
	rel["p"] = 1e-6;       floor["p"] = 1e-300
	rel["chance"] = 0;     floor["chance"] = 1e-4
	rel["loss"] = 1e-4;    floor["loss"] = 1e-12
}
NR == FNR {
	line[FNR] = $0
	expected_rows = FNR - (FLAT ? 0 : 1)
	if (FNR == 1 && !FLAT)
		for (i = 1; i <= NF; i++) { column[i] = $i; class[i] = kind($i) }
	next
}
FNR == 1 && !FLAT {
	if ($0 != line[1]) { print "header differs: " $0; wrong++; exit 1 }
	next
}
{
	rows++
	if (!(FNR in line)) { print "line " FNR ": not expected: " $0; wrong++; next }
	n = split(line[FNR], want, FS)
	if (n != NF) { print "line " FNR ": " NF " fields, expected " n; wrong++; next }
	if (FLAT) {
		if ($1 != want[1]) { bad("line " FNR, "'" $1 "', expected '" want[1] "'"); next }
		name = column_of($1)
		check($1, name, kind(name), want[2], $2)
		next
	}
	for (i = 1; i <= NF; i++)
		check("line " FNR ", " column[i], column[i], class[i], want[i], $i)
}
END {
	if (wrong && rows == 0) exit 1
	if (rows < expected_rows) { print (expected_rows - rows) " expected lines missing"; wrong++ }
	if (REPORT)
		for (name in seen)
			printf "%-24s largest difference %.3g absolute, %.3g relative\n",
			       name, largest_abs[name], largest_rel[name]
	if (wrong) { print rows (FLAT ? " values, " : " rows, ") wrong " disagreements"; exit 1 }
	print rows (FLAT ? " values, " : " rows, ") figures " figures agree"
}
