#!/bin/sh
# browser-check.sh REPORT_DIR COMPARE_CSV - open a report's index.html in
# headless Chromium as a reader would, and check what the reader sees:
#   - the page loads and renders (a screenshot is taken and is not blank);
#   - every chart rendered: each inline SVG holds drawing elements, and no
#     <img> is broken (the page uses none: all charts are inline);
#   - nothing is fetched from a network (no http: or https: URL in the page);
#   - the key figures on the page (data-figure / data-value attributes of
#     the results table) equal, digit for digit, tact-compare's CSV for the
#     same export and options (COMPARE_CSV).
# Prints a short verdict per check; exits 1 when any fails.
set -u
dir=$1
compare=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check=browser-check
. "$(dirname "$0")/chrome.sh"
page="file://$(cd "$dir" && pwd)/index.html"
status=0

chrome_page 6000

svgs=$(grep -o '<svg' "$work/dom.html" | wc -l)
empty=$(awk 'BEGIN { RS = "</svg>" } /<svg/ && !/<(path|rect|circle|polygon|polyline|line|text)/ { n++ } END { print n + 0 }' "$work/dom.html")
if [ "$svgs" -gt 0 ] && [ "$empty" -eq 0 ]; then
	echo "charts rendered: every inline SVG draws something"
else
	echo "charts: $svgs inline SVG, $empty empty"
	status=1
fi
if grep -q '<img' "$work/dom.html"; then
	echo "an <img> element: the page should inline its charts"
	status=1
else
	echo "no image to break: charts are inline"
fi
if grep -Eqi '(src|href)="https?:' "$work/dom.html"; then
	echo "the page fetches from a network"
	status=1
else
	echo "nothing fetched from a network"
fi

# Key figures: the page's data-value against tact-compare's CSV.
grep -o 'data-figure="[^"]*" data-value="[^"]*"' "$work/dom.html" |
	sed -e 's/^data-figure="//' -e 's/" data-value="/|/' -e 's/"$//' |
	grep '^compare|' | sed 's/&amp;/\&/g' > "$work/figures"
awk -v figures="$work/figures" '
	# Split one CSV line (quoted fields with commas and doubled quotes; no
	# newline inside a field) into f[1..n]; returns n.
	function csv(line, f,    n, i, c, field, quoted) {
		n = 0; field = ""; quoted = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (quoted) {
				if (c == "\"") {
					if (substr(line, i + 1, 1) == "\"") { field = field c; i++ }
					else quoted = 0
				} else field = field c
			} else if (c == "\"") quoted = 1
			else if (c == ",") { f[++n] = field; field = "" }
			else field = field c
		}
		f[++n] = field
		return n
	}
	NR == 1 {
		n = csv($0, h)
		for (i = 1; i <= n; i++) col[h[i]] = i
		dims = col["metric"] - 1
		next
	}
	{
		csv($0, f)
		label = ""
		for (i = 1; i <= dims; i++) label = label (i > 1 ? "/" : "") f[i]
		for (k = 0; k < 6; k++) {
			name = k == 0 ? "mean_control" : k == 1 ? "mean_arm" : k == 2 ? "diff" : k == 3 ? "lift" : k == 4 ? "p_adjusted" : "chance_to_beat"
			if (f[col["verdict"]] == "suppressed") continue
			key = "compare|" label "|" f[col["metric"]] "|" f[col["arm"]] "|" name
			expected[key] = f[col[name]]
		}
	}
	END {
		while ((getline line < figures) > 0) {
			n = split(line, part, "|")
			value = part[n]
			key = part[1]
			for (i = 2; i < n; i++) key = key "|" part[i]
			checked++
			if (!(key in expected)) { missing++; print "not in the CSV: " key; continue }
			if (expected[key] != value) { wrong++; print "differs: " key ": page " value ", CSV " expected[key] }
		}
		if (checked == 0) { print "no key figure on the page"; exit 1 }
		if (missing + wrong > 0) exit 1
		printf "key figures: %d on the page equal tact-compare'"'"'s\n", checked
	}' "$compare" || status=1
exit $status
