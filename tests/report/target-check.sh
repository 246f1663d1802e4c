#!/bin/sh
# target-check.sh REPORT_DIR TARGET_CSV - open a report made with
# --target-features in headless Chromium and check its section "Whom to
# personalize for" as rendered:
#   - the section is there, with its reading, its rules and its table;
#   - every figure of the table (data-figure "target|POLICY|COLUMN" with its
#     exact data-value) equals, digit for digit, the cell of TARGET_CSV
#     (tact-target eval's output on the same flags), and every cell of
#     TARGET_CSV is on the page;
#   - the tree chart rendered: its inline SVG has a size on the page and
#     draws boxes and text, and its PNG copy loads as an image (an <img>
#     added to a copy of the page: complete, with a natural size).
# Prints a line per check; exits 1 when one fails.  With SCREENSHOT=FILE,
# also saves a screenshot of the section alone (the others hidden) to FILE.
set -u
dir=$1
csv=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check=target-check
. "$(dirname "$0")/chrome.sh"
cp -R "$dir" "$work/report"
python3 - "$work/report/index.html" <<'PY'
import sys
page = sys.argv[1]
script = """<img id="tree-png" src="tree.png" alt="">
<script>
window.addEventListener("load", function () {
  var out = [], section = document.getElementById("target");
  out.push(section ? "section: " + section.querySelector("h2").textContent
           : "section: missing");
  if (section) {
    out.push("reading: " + section.querySelectorAll("#target-reading li").length);
    out.push("rules: " + (section.querySelectorAll("#target-rules tr").length - 1));
    section.querySelectorAll("data[data-figure^='target|']").forEach(function (d) {
      out.push("figure " + d.getAttribute("data-figure") + "=" +
               d.getAttribute("data-value"));
    });
    var svg = section.querySelector("#chart-tree svg"), box;
    if (svg) {
      box = svg.getBoundingClientRect();
      out.push("svg: " + Math.round(box.width) + "x" + Math.round(box.height) +
               " " + svg.querySelectorAll("path,rect,polygon").length +
               " shapes " + svg.querySelectorAll("text").length + " texts");
    } else {
      out.push("svg: missing");
    }
  }
  var img = document.getElementById("tree-png");
  out.push("png: " + (img.complete ? "complete " : "incomplete ") +
           img.naturalWidth + "x" + img.naturalHeight);
  document.body.setAttribute("data-target", out.join(";;"));
});
</script></body>"""
text = open(page, encoding="utf-8").read()
open(page, "w", encoding="utf-8").write(text.replace("</body>", script, 1))
PY
# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --window-size=1200,1600 --virtual-time-budget=5000 \
	--dump-dom "file://$work/report/index.html" 2> /dev/null |
	grep -o 'data-target="[^"]*"' | sed -e 's/^data-target="//' -e 's/"$//' \
	-e 's/&amp;/\&/g' -e 's/;;/\n/g' > "$work/found"
if [ ! -s "$work/found" ]; then
	echo "target-check: the browser rendered nothing" >&2
	exit 1
fi
status=0
grep -v '^figure ' "$work/found" | sed 's/^svg: [0-9]*x[0-9]* /svg: sized, /' |
	sed 's/^png: complete [1-9][0-9]*x[1-9][0-9]*$/png: loaded/'
grep -q '^section: Whom to personalize for$' "$work/found" || status=1
grep -Eq '^svg: [1-9][0-9]*x[1-9][0-9]* [1-9][0-9]* shapes [1-9][0-9]* texts$' \
	"$work/found" || { echo "the tree chart did not render"; status=1; }
grep -Eq '^png: complete [1-9][0-9]*x[1-9][0-9]*$' "$work/found" ||
	{ echo "the tree's PNG did not load"; status=1; }
# The figures against the CSV (no quoted field in tact-target's CSV but
# the policy names, which hold no comma).
sed -n 's/^figure //p' "$work/found" > "$work/figures"
awk -F, -v figures="$work/figures" '
	NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; n = NF; next }
	{ for (i = 2; i <= n; i++) { expected["target|" $1 "|" h[i]] = $i; cells++ } }
	END {
		while ((getline line < figures) > 0) {
			k = index(line, "=")
			key = substr(line, 1, k - 1); value = substr(line, k + 1)
			seen++
			if (!(key in expected)) { print "not in the CSV: " key; bad++; continue }
			if (expected[key] != value) { print "differs: " key ": page " value ", CSV " expected[key]; bad++ }
			found[key] = 1
		}
		for (key in expected) if (!(key in found)) { print "not on the page: " key; bad++ }
		if (bad || !seen) exit 1
		printf "figures: %d on the page equal tact-target eval'"'"'s, and %d cells of its CSV are all shown\n", seen, cells
	}' "$csv" || status=1
if [ -n "${SCREENSHOT:-}" ]; then
	# The section alone: the other sections hidden.
	sed 's|</style>|section:not(#target){display:none}</style>|' \
		"$dir/index.html" > "$work/report/section.html"
	# shellcheck disable=SC2086
	timeout 120 "$chrome" $flags --window-size=1200,1500 \
		--screenshot="$SCREENSHOT" "file://$work/report/section.html" \
		> /dev/null 2>&1
fi
exit $status
