# csv-close.awk - compare two CSV files of the same shape field by field:
# numbers within a relative tolerance (TOL, default 1e-12), text exactly.
# Usage: awk -F, -v TOL=1e-12 -f csv-close.awk A B   (quoted commas unsupported)
# Prints each difference; exit status 1 when any.
function numeric(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
BEGIN { if (TOL == "") TOL = 1e-12 }
NR == FNR { line[FNR] = $0; n = FNR; next }
{
	if (!(FNR in line)) { print "extra line " FNR; bad = 1; next }
	split(line[FNR], a, FS)
	if (length(a) != NF) { print "line " FNR ": field counts differ"; bad = 1; next }
	for (i = 1; i <= NF; i++) {
		if (numeric(a[i]) && numeric($i)) {
			scale = abs(a[i]) > abs($i) ? abs(a[i]) : abs($i)
			if (abs(a[i] - $i) > TOL * scale) { print "line " FNR " field " i ": " a[i] " vs " $i; bad = 1 }
		} else if (a[i] != $i) { print "line " FNR " field " i ": '" a[i] "' vs '" $i "'"; bad = 1 }
	}
}
END { if (FNR < n) { print "missing lines"; bad = 1 } exit bad }
