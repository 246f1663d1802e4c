#!/bin/sh
# signal-wait.sh PATTERN - wait (at most 60 s, in 0.1 s steps) until a file
# matching the shell pattern PATTERN exists; exit 1 if none appeared.  For
# the signal cases: a tool is stopped once its temporary is there.
i=0
while [ $i -lt 600 ]; do
	for f in $1; do
		[ -e "$f" ] && exit 0
	done
	sleep 0.1
	i=$((i + 1))
done
echo "signal-wait: nothing matched $1 within 60 s" >&2
exit 1
