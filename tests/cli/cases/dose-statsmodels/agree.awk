# agree.awk - tact-dose --fits (standard input) against statsmodels
# (tests/expected/dose_statsmodels.csv, made by tests/expected/dose.py):
# coefficients and standard errors to a relative 1e-6, and the same fits
# failing.  Prints a count when all agree, each difference otherwise.
# Usage: awk -F, -f agree.awk EXPECTED -   (the notes hold no commas)
function abs(x) { return x < 0 ? -x : x }
function close_to(a, b) { return abs(a - b) <= 1e-6 * (abs(b) > 1e-12 ? abs(b) : 1e-12) }
NR == FNR {
	if (FNR > 1) {
		if ($7 == "failed") failed[$1 "|" $2 "|" $3] = 1
		else { b[$1 "|" $2 "|" $3 "|" $4] = $5; se[$1 "|" $2 "|" $3 "|" $4] = $6 }
	}
	next
}
$1 == "intent" { next }
{
	fit = $1 "|" $2 "|" $4
	if ($16 == "failed") {
		if (fit in failed) { both++; delete failed[fit] }
		else { print "tact failed, statsmodels did not: " fit; bad = 1 }
		next
	}
	key = fit "|" $5
	if (!(key in b)) { print "no expected value for " key; bad = 1; next }
	if (!close_to($6, b[key])) { print key ": coefficient " $6 ", statsmodels " b[key]; bad = 1 }
	if (!close_to($7, se[key])) { print key ": standard error " $7 ", statsmodels " se[key]; bad = 1 }
	compared++
	delete b[key]
}
END {
	for (key in b) { print "not in tact's output: " key; bad = 1 }
	for (fit in failed) { print "statsmodels failed, tact did not: " fit; bad = 1 }
	if (!bad)
		printf "%d coefficients and their standard errors agree with statsmodels to 1e-6; %d fit(s) separated in both\n", compared, both
	exit bad
}
