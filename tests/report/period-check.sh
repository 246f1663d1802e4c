#!/bin/sh
# period-check.sh REPORT_DIR PERIODS_CSV [SCREENSHOT] - open a report made
# with --time in headless Chromium and check the section "The effect over
# time" as a reader sees it:
#   - the section is there, with the cumulative chart inline and drawing
#     something (a path per panel: the band and the line);
#   - its figures (data-figure="periods|PERIOD|SCOPE|METRIC|ARM|diff") equal,
#     digit for digit, the pooled rows of tact-compare --by-period's CSV for
#     the same export and options (PERIODS_CSV);
#   - the page renders (a screenshot, kept as SCREENSHOT when given).
# Prints a short verdict per check; exits 1 when any fails.
set -u
dir=$1
periods=$2
shot=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check=period-check
. "$(dirname "$0")/chrome.sh"
page="file://$(cd "$dir" && pwd)/index.html"
status=0

chrome_page 9000
if [ -n "$shot" ] && [ "$size" -gt 100000 ]; then
	cp "$work/page.png" "$shot"
fi
if grep -q '<section id="periods"><h2>The effect over time</h2>' "$work/dom.html"; then
	echo "the section on the effect over time is there"
else
	echo "no section on the effect over time"
	status=1
fi
awk 'BEGIN { RS = "</figure>" } /id="chart-cumulative"/ { n += gsub(/<path/, "&") } END { exit !(n > 0) }' \
	"$work/dom.html" && echo "the cumulative chart is drawn inline" || {
	echo "the cumulative chart is missing or empty"
	status=1
}
grep -o 'data-figure="periods|[^"]*" data-value="[^"]*"' "$work/dom.html" |
	sed -e 's/^data-figure="//' -e 's/" data-value="/|/' -e 's/"$//' |
	sed 's/&amp;/\&/g' > "$work/figures"
awk -F, -v figures="$work/figures" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		pooled = 1
		for (i = col["scope"] + 1; i < col["metric"]; i++) if ($i != "(all)") pooled = 0
		if (!pooled || $col["verdict"] == "suppressed") next
		expected["periods|" $col["period"] "|" $col["scope"] "|" $col["metric"] "|" $col["arm"] "|diff"] = $col["diff"]
	}
	END {
		while ((getline line < figures) > 0) {
			n = split(line, part, "|")
			key = part[1]
			for (i = 2; i < n; i++) key = key "|" part[i]
			checked++
			if (!(key in expected)) { bad++; print "not in the CSV: " key; continue }
			if (expected[key] != part[n]) { bad++; print "differs: " key ": page " part[n] ", CSV " expected[key] }
		}
		if (checked == 0) { print "no figure of the effect over time on the page"; exit 1 }
		if (bad > 0) exit 1
		printf "figures over time: %d on the page equal tact-compare --by-period'"'"'s\n", checked
	}' "$periods" || status=1
exit $status
