#!/bin/sh
# barrier-gnuplot.sh FOLDER N - make FOLDER/gnuplot, a stand-in for gnuplot
# (set as TACT_GNUPLOT) for the concurrent-report case.  It writes a tiny
# whole chart to each output its script names (an SVG, or bytes ending in
# PNG's IEND chunk), then waits until N tact processes have made the same
# (k-th) call and lets them all go at one moment.  N runs started together
# so leave every drawing, the last included, at once and put their report
# folders in place together: the moment two of them race.  A run that
# never arrives holds the others 60 s at most (they then go on unheld);
# the stand-in always succeeds.  sh FOLDER/reset empties the barrier
# between rounds.
{
	echo '#!/bin/sh'
	echo "bar='$1' n=$2"
	cat <<'SCRIPT'
sed -n "s/^set output '\(.*\)'\$/\1/p" | while read -r file; do
	case "$file" in
	*.png.tmp.*) printf '\0\0\0\0IEND\256B\140\202' > "$file" ;;
	*) echo '<svg xmlns="http://www.w3.org/2000/svg"></svg>' > "$file" ;;
	esac
done
# This process's k-th call takes the i-th place at barrier k (mkdir is atomic).
k=1; while ! mkdir "$bar/$PPID.$k" 2> /dev/null; do k=$((k + 1)); done
i=1; while ! mkdir "$bar/slot.$k.$i" 2> /dev/null; do i=$((i + 1)); done
exec 3<> "$bar/go.$k"
if [ $i -ge $n ]; then
	# The last to arrive: one byte for each process waiting.
	j=1; while [ $j -lt $n ]; do printf '\n'; j=$((j + 1)); done >&3
else
	(trap 'kill $s; exit' TERM; sleep 60 & s=$!; wait $s; printf '\n' >&3) \
		> /dev/null 2>&1 &
	read -r line <&3; kill $! 2> /dev/null
fi
exit 0
SCRIPT
} > "$1/gnuplot"
{
	echo '#!/bin/sh'
	echo "bar='$1'"
	cat <<'SCRIPT'
rm -rf "$bar"/[0-9]* "$bar"/slot.* "$bar"/go.*
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do mkfifo "$bar/go.$k"; done
SCRIPT
} > "$1/reset"
chmod +x "$1/gnuplot" "$1/reset"
