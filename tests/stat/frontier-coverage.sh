#!/bin/sh
# frontier-coverage.sh SEEDS [FLAGS] - over SEEDS simulated experiments
# (seeds 1..SEEDS, 20,000 visitors each, the simulator's defaults), how
# often tact-frontier's 95% interval of the net value difference (the
# unadjusted one) covers the true difference, per intent and pooled, and how
# often each (adjusted) verdict comes out; the last line, how often the
# adjusted intervals (each at its row's level, at least 95%) cover it.
# FLAGS go to tact-frontier (e.g. --ignore-covariance).
set -eu
seeds=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/all"
seed=1
while [ "$seed" -le "$seeds" ]; do
	tact-simulate -n 20000 --seed "$seed" --truth "$work/truth.csv" > "$work/x.csv"
	tact-frontier --quiet "$@" --weights converted=40,bounced=-0.5,unsubscribed=-12 \
		"$work/x.csv" 2>/dev/null > "$work/f.csv"
	awk -F, '
		NR == FNR {
			if (FNR == 1) { for (i = 1; i <= NF; i++) col[$i] = i; next }
			if ($2 == "personalized") truth[$1] = $(col["diff_net_value"])
			next
		}
		FNR == 1 { for (i = 1; i <= NF; i++) f[$i] = i; next }
		{ t = truth[$1]
		  print $1, ($(f["diff_low_unadjusted"]) <= t && t <= $(f["diff_high_unadjusted"])) ? 1 : 0,
		        ($(f["diff_low"]) <= t && t <= $(f["diff_high"])) ? 1 : 0, $(f["verdict"]) }
	' "$work/truth.csv" "$work/f.csv" >> "$work/all"
	seed=$((seed + 1))
done
# Verdicts may hold a space ("hold back"): the verdict is the rest of the line.
awk '{ s = $1; n[s]++; h[s] += $2; A += $3; v = $4; for (i = 5; i <= NF; i++) v = v " " $i
       verdict[s, v]++; verdicts[v] = 1; N++; H += $2 }
	END {
		for (s in n) {
			line = sprintf("%-9s covered %3d/%d = %.2f; verdicts:", s, h[s], n[s], h[s] / n[s])
			for (v in verdicts) if ((s, v) in verdict) line = line sprintf(" %s %d", v, verdict[s, v])
			print line | "sort"
		}
		close("sort")
		printf "all       covered %d/%d = %.3f\n", H, N, H / N
		printf "adjusted  covered %d/%d = %.3f\n", A, N, A / N
	}' "$work/all"
