# chrome.sh - sourced by the report's browser checks: sets chrome (the
# headless Chromium to run) and flags (its options, with a private profile
# under $work), or exits 1 naming the check ($check) when Chromium is not
# installed.  Needs work (a scratch folder) and check set.
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
	echo "$check: chromium is not installed" >&2
	exit 1
fi
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--hide-scrollbars --user-data-dir=$work/profile"

# chrome_page HEIGHT: render $page, HEIGHT pixels tall, to $work/page.png
# (size: its bytes), say whether the screenshot was taken (status=1 when
# missing or blank), and dump the rendered DOM to $work/dom.html.
chrome_page() {
	# shellcheck disable=SC2086
	timeout 120 "$chrome" $flags --window-size=1200,"$1" \
		--screenshot="$work/page.png" "$page" > /dev/null 2>&1
	size=$(wc -c < "$work/page.png" 2>/dev/null || echo 0)
	if [ "$size" -gt 100000 ]; then
		echo "screenshot taken"
	else
		echo "screenshot missing or blank ($size bytes)"
		status=1
	fi
	# shellcheck disable=SC2086
	timeout 120 "$chrome" $flags --dump-dom "$page" 2> /dev/null > "$work/dom.html"
}
