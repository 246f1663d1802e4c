#!/bin/sh
# bad-peak-memory.sh FILE COMMAND [ARG]... - run COMMAND and write its peak
# resident memory in KB to FILE: measured by /usr/bin/time when installed
# (Debian's package time), else by reading VmHWM (the high-water mark) of
# the running process every 20 ms.  Exits with COMMAND's status.
set -u
file=$1
shift
if [ -x /usr/bin/time ]; then
	exec /usr/bin/time -f %M -o "$file" "$@"
fi
"$@" &
pid=$!
peak=0
while kill -0 "$pid" 2> /dev/null; do
	kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2> /dev/null)
	[ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
	sleep 0.02
done
wait "$pid"
status=$?
echo "$peak" > "$file"
exit $status
