# agree.awk - check, on every row of tact-frontier's CSV, that the verdict
# and the interval printed beside it agree (ALPHA = 1 - confidence, 0.05
# unless given): "personalize" exactly when diff_low > 0, "hold back"
# exactly when diff_high < 0, and either exactly when p_adjusted < ALPHA;
# the interval's level 1 - ALPHA p / p_adjusted.  Quoted fields may hold
# commas (not quotes or line breaks).  Usage: awk -f agree.awk FILE.
# Prints each disagreement and a count; exit status 1 when any.
BEGIN { if (ALPHA == "") ALPHA = 0.05 }
# Split a CSV line into f[1..n].
function split_csv(line, f,    n, c, field, quoted, i) {
	n = 0; field = ""; quoted = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (c == "\"") quoted = !quoted
		else if (c == "," && !quoted) { f[++n] = field; field = "" }
		else field = field c
	}
	f[++n] = field
	return n
}
NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
{
	split_csv($0, f)
	v = f[col["verdict"]]
	if (v == "suppressed") { suppressed++; next }
	low = f[col["diff_low"]] + 0; high = f[col["diff_high"]] + 0
	p = f[col["p_value"]] + 0; q = f[col["p_adjusted"]] + 0
	level = f[col["interval_level"]] + 0
	want = low > 0 ? "personalize" : high < 0 ? "hold back" : "inconclusive"
	if (v != want) { print "line " NR ": " v " beside [" low ", " high "]"; bad++ }
	if ((q < ALPHA) != (v != "inconclusive")) { print "line " NR ": " v " with p_adjusted " q; bad++ }
	a = q == p || q == 0 ? level : 1 - ALPHA * p / q
	if (q > 0 && (a - level > 1e-12 || level - a > 1e-12)) { print "line " NR ": level " level ", expected " a; bad++ }
	rows++
	count[v]++
}
END {
	printf "%d rows checked (%d suppressed): personalize %d, hold back %d, inconclusive %d\n",
		rows, suppressed, count["personalize"], count["hold back"], count["inconclusive"]
	if (bad) { print bad " disagreements"; exit 1 }
}
