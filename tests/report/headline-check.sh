#!/bin/sh
# headline-check.sh REPORT_DIR [--no-table-rule] - open a report's
# index.html in headless Chromium, take the DOM as rendered (--dump-dom)
# and check that What to do says the overall result first and that every
# verdict it states agrees with the tables on the page
# (headline-check.py says how).  With SCREENSHOT=FILE, also saves what a
# reader sees (1200 pixels wide) to FILE.  Exits 1 when a check fails.
set -u
dir=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check=headline-check
. "$(dirname "$0")/chrome.sh"
page="file://$(cd "$dir" && pwd)/index.html"
# shellcheck disable=SC2086
timeout 120 "$chrome" $flags --dump-dom "$page" 2> /dev/null > "$work/dom.html"
if [ ! -s "$work/dom.html" ]; then
	echo "headline-check: the browser rendered nothing" >&2
	exit 1
fi
if [ -n "${SCREENSHOT:-}" ]; then
	# shellcheck disable=SC2086
	timeout 120 "$chrome" $flags --window-size=1200,1600 \
		--screenshot="$SCREENSHOT" "$page" > /dev/null 2>&1
fi
python3 "$here/headline-check.py" "$@" "$work/dom.html"
