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
