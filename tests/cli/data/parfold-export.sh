#!/bin/sh
# parfold-export.sh ROWS SEED [long] - a deterministic export of sessions
# for the parfold-* cases: about ROWS/3 visitors met in random order, each
# session with its own intent now and then (the first session's counts),
# 3% of sessions in the other arm (units in several arms), 5% without
# consent, 2% of outcome cells empty, revenue with cents and tenths of
# cents (sums whose last bits depend on the order of addition), exposures
# 0 to 6.  "long" makes every id 48 bytes (past the 8 held inline).
# Its own generator (Park and Miller's, exact in doubles), the same with any awk.
LC_ALL=C awk -v rows="$1" -v seed="$2" -v long="${3:-}" '
function next_random() { state = (state * 16807) % 2147483647; return state }
BEGIN {
	state = seed
	units = int(rows / 3) + 1
	split("browse buy research unknown", intents, " ")
	split("mobile desktop tablet", devices, " ")
	print "visitor_id,intent,device,arm,consent,converted,bounced,revenue,exposures"
	for (i = 0; i < rows; i++) {
		u = next_random() % units
		id = long == "long" ? sprintf("visitor-%040d", u) : "v" u
		intent = intents[1 + (next_random() % 10 == 0 ? next_random() % 4 : u % 4)]
		device = devices[1 + next_random() % 3]
		arm = u % 2 ? "variant" : "control"
		if (next_random() % 100 < 3)
			arm = arm == "control" ? "variant" : "control"
		consent = next_random() % 100 < 5 ? 0 : 1
		converted = next_random() % 100 < 2 ? "" : (next_random() % 7 == 0)
		bounced = next_random() % 100 < 2 ? "" : (next_random() % 3 == 0)
		revenue = converted == 1 ? sprintf("%.3f", (next_random() % 100000) / 1000) : "0"
		if (next_random() % 100 < 2)
			revenue = ""
		exposures = next_random() % 7
		print id "," intent "," device "," arm "," consent "," converted "," bounced "," revenue "," exposures
	}
}'
