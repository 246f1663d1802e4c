#!/bin/sh
# layout-check.sh REPORT_DIR WIDTH - open a report's index.html in headless
# Chromium at WIDTH pixels and check its layout as rendered:
#   - the page does not scroll sideways (document.scrollingElement's
#     scrollWidth is at most WIDTH; a wide table scrolls inside itself);
#   - every chart's notes fit the chart (each SVG text that ends a
#     sentence lies inside the SVG's own width: a single-metric forest
#     chart once cut its note at "open: incon").
# Prints a line per check; exits 1 when one fails.  With SCREENSHOT=FILE,
# also saves the top of the page at that width to FILE.
set -u
dir=$1
width=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check=layout-check
. "$(dirname "$0")/chrome.sh"
# The measuring script runs in the page and leaves its findings in an
# attribute of <body>, which --dump-dom shows.
python3 - "$dir/index.html" "$work/page.html" "$width" <<'PY'
import sys
src, dst, width = sys.argv[1], sys.argv[2], int(sys.argv[3])
script = """<script>
(function () {
  var out = [], s = document.scrollingElement;
  out.push(s.scrollWidth <= %d ? "no sideways scrolling at %d px"
           : "scrolls sideways at %d px: " + s.scrollWidth + " px wide");
  document.querySelectorAll("figure.chart svg").forEach(function (svg) {
    var box = svg.viewBox.baseVal, w = box && box.width ? box.width
              : svg.width.baseVal.value, cut = 0, n = 0;
    svg.querySelectorAll("text").forEach(function (t) {
      if (!/\\.\\s*$/.test(t.textContent)) return;
      var b = t.getBBox(), m = t.getCTM(), right = b.x + b.width;
      if (m) right = m.a * right + m.e;
      n++;
      if (right > w + 0.5) cut++;
    });
    var id = svg.parentNode.id;
    out.push(cut ? id + ": " + cut + " of " + n + " notes cut"
             : id + ": notes fit");
  });
  document.body.setAttribute("data-layout", out.join("|"));
})();
</script></body>""" % (width, width, width)
text = open(src, encoding="utf-8").read()
open(dst, "w", encoding="utf-8").write(text.replace("</body>", script, 1))
PY
flags="$flags --window-size=$width,1600"
# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --dump-dom "file://$work/page.html" 2> /dev/null |
	grep -o 'data-layout="[^"]*"' | sed -e 's/^data-layout="//' -e 's/"$//' |
	tr '|' '\n' > "$work/found"
if [ ! -s "$work/found" ]; then
	echo "layout-check: the browser rendered nothing" >&2
	exit 1
fi
if [ -n "${SCREENSHOT:-}" ]; then
	# shellcheck disable=SC2086
	timeout 120 "$chrome" $flags --screenshot="$SCREENSHOT" \
		"file://$work/page.html" > /dev/null 2>&1
fi
cat "$work/found"
! grep -q 'scrolls sideways\|cut$' "$work/found"
