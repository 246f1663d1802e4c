# agree.awk - the net value curve of tact-dose --curve (standard input)
# against tests/expected/dose_net.csv (tests/expected/dose.py: the joint
# covariance summed visitor by visitor with numpy/statsmodels): the value
# and both bounds of the 95% interval to a relative 1e-6.
# Usage: awk -F, -f agree.awk EXPECTED -
function abs(x) { return x < 0 ? -x : x }
function close_to(a, b) { return abs(a - b) <= 1e-6 * (abs(b) > 1e-12 ? abs(b) : 1e-12) }
NR == FNR { if (FNR > 1) { v[$1 "|" $2] = $3; lo[$1 "|" $2] = $4; hi[$1 "|" $2] = $5 } next }
$2 != "net_value" { next }
{
	key = $1 "|" $3
	if (!(key in v)) { print "no expected value for " key; bad = 1; next }
	if (!close_to($4, v[key])) { print key ": net value " $4 ", expected " v[key]; bad = 1 }
	if (!close_to($5, lo[key])) { print key ": low " $5 ", expected " lo[key]; bad = 1 }
	if (!close_to($6, hi[key])) { print key ": high " $6 ", expected " hi[key]; bad = 1 }
	compared++
	delete v[key]
}
END {
	for (key in v) { print "not in tact's output: " key; bad = 1 }
	if (!bad)
		printf "%d points of the net value curve and their intervals agree with numpy to 1e-6\n", compared
	exit bad
}
