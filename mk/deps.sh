#!/bin/sh
# deps.sh PACKAGE... - install the Debian packages of this list that are missing.
#
# Called by `make demo`, `make test` and `make bench` so that a fresh Debian 12
# machine needs no manual step.  Says what it installs; uses apt-get as root,
# sudo otherwise.  Does nothing (and says nothing) when all are present.
set -eu
missing=""
for package in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $package" ;;
	esac
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "tact: missing packages:$missing (no apt-get here: install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "tact: missing packages:$missing (not root and no sudo: install them by hand)" >&2
	exit 1
fi
echo "tact: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2 || echo "tact: apt-get update failed; trying the install anyway" >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
echo "tact: installed:$missing" >&2
