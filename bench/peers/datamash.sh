#!/bin/sh
# datamash.sh [--sort] EXPORT - the bench's group-by with GNU datamash.
# datamash refuses empty numeric fields even with --narm, so EXPORT must be
# the prepared copy where missing values are NA (mk/bench.sh makes it);
# without --sort it must also be sorted by intent, arm, consent.  datamash
# cannot filter, so consent is a grouping column and check.py keeps the
# consent=1 groups.  It has no sum of squares: the population variance is
# asked for (check.py rebuilds the sum of squares).  Writes, with no header:
# intent,arm,consent,units, then per metric count,sum,pvar.
set -eu
sort=""
if [ "$1" = --sort ]; then
	sort="-s"
	shift
fi
export=$1
header=$(head -n 1 "$export")
column() {
	printf '%s\n' "$header" | tr ',' '\n' | grep -n -x "$1" | cut -d: -f1
}
ops="count $(column intent)"
for metric in converted bounced unsubscribed revenue exposures; do
	c=$(column "$metric")
	ops="$ops count $c sum $c pvar $c"
done
# shellcheck disable=SC2086
LC_ALL=C exec datamash -t, --header-in --narm $sort --format %.17g \
	-g "$(column intent),$(column arm),$(column consent)" $ops < "$export"
