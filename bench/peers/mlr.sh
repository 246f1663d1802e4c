#!/bin/sh
# mlr.sh EXPORT [SHAPE] - the bench's group-by with Miller (filter, then
# stats1).  Empty cells are skipped by stats1.  Miller has no sum of
# squares: the sample variance is asked for (check.py rebuilds the sum of
# squares), and the units are consent's count.  SHAPE as in shape.sh
# (default quoted, which reads any plain numeric export; Miller unquotes):
#   plain   the words of converted (true/false), bounced and consent
#           (yes/no) are turned into 1/0 by put
#   units   sessions folded by visitor_id first, in a map (put -q): the
#           first session's intent and arm, the largest outcome, the sum of
#           revenue and exposures (empty when every session's cell is)
# Writes CSV with Miller's column names.
set -eu
export=$1
shape=${2:-quoted}
stats='stats1 -a count,sum,var -f consent,converted,bounced,unsubscribed,revenue,exposures -g intent,arm then sort -f intent,arm'
case "$shape" in
plain)
	# shellcheck disable=SC2086
	exec mlr --icsv --ocsv filter '$consent == "yes"' then put '
		$consent = 1;
		if ($converted == "true") { $converted = 1 } elif ($converted == "false") { $converted = 0 }
		if ($bounced == "yes") { $bounced = 1 } elif ($bounced == "no") { $bounced = 0 }
	' then $stats "$export"
	;;
units)
	# shellcheck disable=SC2086
	exec mlr --icsv --ocsv filter '$consent == 1' then put -q '
		if (is_absent(@units[$visitor_id])) {
			@units[$visitor_id] = {"intent": $intent, "arm": $arm, "consent": 1,
			    "converted": "", "bounced": "", "unsubscribed": "", "revenue": "",
			    "exposures": ""};
		}
		u = @units[$visitor_id];
		for (k in ["converted", "bounced", "unsubscribed"]) {
			if (!is_empty($[k])) { u[k] = is_empty(u[k]) ? $[k] : max(u[k], $[k]) }
		}
		for (k in ["revenue", "exposures"]) {
			if (!is_empty($[k])) { u[k] = is_empty(u[k]) ? $[k] : u[k] + $[k] }
		}
		@units[$visitor_id] = u;
		end { emit @units, "visitor_id" }
	' then $stats "$export"
	;;
*)
	# shellcheck disable=SC2086
	exec mlr --icsv --ocsv filter '$consent == 1' then $stats "$export"
	;;
esac
