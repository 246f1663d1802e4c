#!/bin/sh
# new-case.sh BIN NAME 'COMMAND' [STDIN-FILE] - record a new command-line case
# from what the command does now.  Read the recorded stdout, stderr and
# status before committing: they become the expected values.
set -eu
bin=$(cd "$1" && pwd)
name=$2
command=$3
here=$(cd "$(dirname "$0")" && pwd)
dir="$here/cases/$name"
mkdir -p "$dir"
printf '%s\n' "$command" > "$dir/cmd"
input=/dev/null
if [ $# -ge 4 ]; then
	cp "$4" "$dir/stdin"
	input="$dir/stdin"
fi
OUT=$(mktemp -d)
export OUT
set +e
(cd "$dir" && PATH="$bin:$PATH" LC_ALL=C.UTF-8 sh -c "$command" < "$input" > "$dir/stdout" 2> "$dir/stderr")
echo $? > "$dir/status"
set -e
rm -rf "$OUT"
[ -s "$dir/stdout" ] || rm -f "$dir/stdout"
[ -s "$dir/stderr" ] || rm -f "$dir/stderr"
echo "== $name: status $(cat "$dir/status")"
[ -f "$dir/stdout" ] && head -c 600 "$dir/stdout"
[ -f "$dir/stderr" ] && { echo "-- stderr:"; cat "$dir/stderr"; }
exit 0
