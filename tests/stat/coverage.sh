#!/bin/sh
# coverage.sh MODE SEEDS - how often tact-compare's 95% intervals of the
# difference cover the true difference, over SEEDS simulated experiments
# (seeds 1..SEEDS, so the result is the same on every run).
#   MODE units     sessions folded into visitors (the default with a
#                  visitor_id column): should cover about 95%
#   MODE sessions  sessions taken as independent units (--unit ''), compared
#                  with the true per-session differences: the shortcut,
#                  which should cover less for a clustered outcome (bounce)
# Prints the coverage per metric and overall.
set -eu
mode=$1
seeds=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed=1
: > "$work/hits"
while [ "$seed" -le "$seeds" ]; do
	tact-simulate -n 3000 --seed "$seed" --sessions-mean 3 --repeat-rate 0.6 \
		--intent-drift 0 --consent-rate 1 --truth "$work/truth.csv" > "$work/x.csv"
	if [ "$mode" = units ]; then
		tact-compare --quiet --correction none --min-cell 0 "$work/x.csv" > "$work/c.csv"
	else
		tact-compare --quiet --correction none --min-cell 0 --unit '' "$work/x.csv" > "$work/c.csv"
	fi
	# truth: intent,arm -> diff per metric (visitor or session level)
	awk -F, -v mode="$mode" '
		NR == FNR {
			if (FNR == 1) { for (i = 1; i <= NF; i++) col[$i] = i; next }
			if ($2 != "personalized") next
			split("converted bounced unsubscribed revenue", m, " ")
			for (k = 1; k <= 4; k++) {
				if (mode == "units") d = $(col["diff_" m[k]])
				else {
					# per session: arm minus control of the session figures
					d = $(col["session_" m[k]]) - control[$1, m[k]]
				}
				truth[$1, m[k]] = d
			}
			next
		}
		FNR == 1 { next }
		($1, $2) in truth {
			t = truth[$1, $2]
			print $2, ($15 <= t && t <= $16) ? 1 : 0
		}
	' "$work/truth.csv" "$work/c.csv" > "$work/part" 2>/dev/null || true
	if [ "$mode" = sessions ]; then
		# Session truth needs the control's session figures: second pass.
		awk -F, '
			NR == FNR {
				if (FNR == 1) { for (i = 1; i <= NF; i++) col[$i] = i; next }
				split("converted bounced unsubscribed revenue", m, " ")
				for (k = 1; k <= 4; k++) s[$1, $2, m[k]] = $(col["session_" m[k]])
				next
			}
			FNR == 1 { next }
			{
				t = s[$1, "personalized", $2] - s[$1, "control", $2]
				print $2, ($15 <= t && t <= $16) ? 1 : 0
			}
		' "$work/truth.csv" "$work/c.csv" > "$work/part"
	fi
	cat "$work/part" >> "$work/hits"
	seed=$((seed + 1))
done
awk '{ n[$1]++; h[$1] += $2; N++; H += $2 }
	END {
		for (k in n) printf "%s %d/%d = %.3f\n", k, h[k], n[k], h[k] / n[k] | "sort"
		close("sort")
		printf "all %d/%d = %.3f\n", H, N, H / N
	}' "$work/hits"
