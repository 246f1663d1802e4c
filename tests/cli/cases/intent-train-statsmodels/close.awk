# close.awk - the intercept and coefficient rows of a tact-intent model
# (record,feature,level,class,value,standard_error) against a reference in
# the same columns ('#' lines are comments): value and standard error within
# TOL relative.  Prints each disagreement; nothing when all agree.
# Usage: awk -F, -v TOL=1e-6 -f close.awk REFERENCE MODEL
function abs(x) { return x < 0 ? -x : x }
function far(a, b) { return abs(a - b) > TOL * abs(b) }
NR == FNR {
	if (FNR > 1 && $1 !~ /^#/) {
		key = $1 "," $2 "," $3 "," $4
		value[key] = $5
		se[key] = $6
	}
	next
}
$1 == "intercept" || $1 == "coefficient" {
	key = $1 "," $2 "," $3 "," $4
	if (!(key in value))
		next
	seen[key] = 1
	if (far($5, value[key]))
		print key ": tact " $5 ", reference " value[key]
	if (far($6, se[key]))
		print key " standard error: tact " $6 ", reference " se[key]
}
END {
	for (key in value)
		if (!(key in seen))
			print key ": not in the model"
}
