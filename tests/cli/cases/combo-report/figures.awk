# figures.awk - the figures of a report's page (data-figure="compare|SEG|
# METRIC|ARM|FIELD" or "periods|PERIOD|SCOPE|METRIC|ARM|FIELD", one
# segment column) against tact-compare's CSV (COMPARE) and tact-compare
# --by-period's (PERIODS), digit for digit.
# Usage: grep -o 'data-figure=...' index.html | awk -v COMPARE=c.csv -v PERIODS=p.csv -f figures.awk
BEGIN {
	# compare: intent, then metric (3rd column is direction): the key is
	# intent|metric|arm; periods: period|scope|metric|arm (one segment).
	FS = ","
	getline line < COMPARE; close(COMPARE)
	n = split(line, h, ",")
	while ((getline line < COMPARE) > 0) {
		split(line, f, ",")
		for (i = 1; i <= n; i++) c[h[i]] = f[i]
		for (i = 1; i <= n; i++)
			value["compare|" f[1] "|" f[2] "|" c["arm"] "|" h[i]] = f[i]
	}
	getline line < PERIODS
	n = split(line, h, ",")
	while ((getline line < PERIODS) > 0) {
		split(line, f, ",")
		for (i = 1; i <= n; i++) c[h[i]] = f[i]
		if (c["intent"] != "(all)") continue
		for (i = 1; i <= n; i++)
			value["periods|" c["period"] "|" c["scope"] "|" c["metric"] "|" c["arm"] "|" h[i]] = f[i]
	}
	FS = "\""
}
{
	key = $2; v = $4; gsub(/&amp;/, "\\&", key)
	kind = substr(key, 1, index(key, "|") - 1)
	checked[kind]++
	if (!(key in value)) { print "not in the CSV: " key; bad++ }
	else if (value[key] != v) { print "differs: " key ": page " v ", CSV " value[key]; bad++ }
}
END {
	for (k in checked) printf "%s: %d figures on the page equal tact-compare's\n", k, checked[k] | "sort"
	close("sort")
	exit bad > 0
}
