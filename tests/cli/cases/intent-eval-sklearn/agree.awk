# agree.awk - tact-intent eval's CSV (metric,fold,class,predicted,bin,value)
# against a reference (metric,fold,class,predicted,value; '#' lines are
# comments): every reference figure must be in tact's output within TOL
# (absolute).  Prints each disagreement; nothing when all agree.
# Usage: awk -F, -v TOL=0.005 -f agree.awk REFERENCE TACT
function abs(x) { return x < 0 ? -x : x }
NR == FNR {
	if (FNR > 1 && $1 !~ /^#/)
		want[$1 "," $2 "," $3 "," $4] = $5
	next
}
FNR > 1 {
	key = $1 "," $2 "," $3 "," $4
	if (!(key in want))
		next
	seen[key] = 1
	if (abs($6 - want[key]) > TOL)
		print key ": tact " $6 ", reference " want[key]
}
END {
	for (key in want)
		if (!(key in seen))
			print key ": not in tact's output"
}
