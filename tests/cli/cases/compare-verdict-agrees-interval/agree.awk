# agree.awk - every row of tact-compare's CSV: the verdict is better or
# worse exactly when the difference interval (diff_low, diff_high) excludes
# 0, and the lift interval, when shown, excludes 0 exactly then too; a
# blank end of a one-sided row is infinite.  Prints each disagreement, and
# at the end "ROWS rows, VERDICTS verdicts, LIFTS lift intervals agree".
function col(name) { return field[index_of[name]] }
FNR == 1 { for (i = 1; i <= NF; i++) index_of[$i] = i; next }
{
	split($0, field, ",")
	verdict = col("verdict")
	if (verdict == "suppressed" || col("interval_level") == "") next
	rows++
	decided = verdict == "better" || verdict == "worse"
	verdicts += decided
	low = col("diff_low"); high = col("diff_high")
	excludes = (low != "" && low + 0 > 0) || (high != "" && high + 0 < 0)
	if (excludes != decided) { print FILENAME ": " $0; wrong++ }
	low = col("lift_low"); high = col("lift_high")
	if (low == "" && high == "") next
	lifts++
	excludes = (low != "" && low + 0 > 0) || (high != "" && high + 0 < 0)
	if (excludes != decided) { print FILENAME ": lift: " $0; wrong++ }
}
END {
	if (wrong) { print wrong " disagreements"; exit 1 }
	print rows " rows, " verdicts " verdicts, " lifts " lift intervals agree"
}
