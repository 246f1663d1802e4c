#!/bin/sh
# bad-readonly.sh 'COMMAND' - run COMMAND (sh syntax) with $RO a folder it
# may not write to; the command's stderr is shown with that folder as RO,
# then whether anything appeared in it; exits with the command's status.
#
# chmod does not stop root: when run as root, the command runs as nobody
# (setpriv), from copies of the tools in a folder nobody may enter (the
# PATH of the tests may be a private folder, e.g. valgrind's wrappers).
set -u
dir=$(mktemp -d /tmp/tact-readonly.XXXXXX) || exit 2
chmod 755 "$dir"
mkdir "$dir/ro" "$dir/bin"
chmod 555 "$dir/ro"
RO="$dir/ro"
export RO
if [ "$(id -u)" = 0 ]; then
	for tool in $(echo "$1" | grep -o 'tact-[a-z]*' | sort -u); do
		path=$(command -v "$tool") && cp "$path" "$dir/bin/"
	done
	chmod -R a+rx "$dir/bin"
	PATH="$dir/bin:$PATH" setpriv --reuid=65534 --regid=65534 \
		--clear-groups sh -c "$1" 2> "$dir/err"
else
	sh -c "$1" 2> "$dir/err"
fi
status=$?
sed "s|$RO|RO|g" "$dir/err" >&2
if [ -z "$(ls -A "$RO")" ]; then
	echo "RO is left empty"
else
	echo "RO holds: $(ls -A "$RO")"
fi
chmod 755 "$RO"
rm -rf "$dir"
exit $status
