# close.awk - compare two CSV files of the same shape field by field: text
# exactly, numbers within TOL relative to the larger magnitude, or within
# ABS absolute (sums of products that are zero in exact arithmetic come
# out as rounding noise, of different size in different engines).
# Quoted fields are unquoted first (PostgreSQL quotes an empty string:
# "" and an empty field are the same value for tact); no newlines inside
# fields.
# Usage: awk -v TOL=1e-9 -v ABS=1e-9 -f close.awk EXPECTED ACTUAL
# Prints each difference; exit status 1 when any.
function numeric(x) { return x ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
# Split a CSV line into f[1..n]; returns n.
function split_csv(line, f,    n, i, c, field, quoted) {
	n = 0; field = ""; quoted = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (quoted) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
				else quoted = 0
			} else field = field c
		} else if (c == "\"") quoted = 1
		else if (c == ",") { f[++n] = field; field = "" }
		else field = field c
	}
	f[++n] = field
	return n
}
BEGIN { if (TOL == "") TOL = 1e-9; if (ABS == "") ABS = 1e-9 }
NR == FNR { line[FNR] = $0; n = FNR; next }
{
	if (!(FNR in line)) { print "extra line " FNR ": " $0; bad = 1; next }
	na = split_csv(line[FNR], a)
	nb = split_csv($0, b)
	if (na != nb) { print "line " FNR ": " na " fields against " nb; bad = 1; next }
	for (i = 1; i <= na; i++) {
		if (numeric(a[i]) && numeric(b[i])) {
			scale = abs(a[i]) > abs(b[i]) ? abs(a[i]) : abs(b[i])
			d = abs(a[i] - b[i])
			if (d > TOL * scale && d > ABS) {
				print "line " FNR " field " i ": " a[i] " against " b[i]
				bad = 1
			}
		} else if (a[i] != b[i]) {
			print "line " FNR " field " i ": '" a[i] "' against '" b[i] "'"
			bad = 1
		}
	}
}
END { if (FNR < n) { print "missing lines from " FNR + 1; bad = 1 } exit bad }
