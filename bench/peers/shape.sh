#!/bin/sh
# shape.sh SIMULATE SHAPE ROWS FILE - write the bench's export of one shape
# (about ROWS rows, seed 1, 0.1% missing metric cells) to FILE:
#   plain   tact-simulate's export with UTF-8 intent labels (navegação,
#           compra, pesquisa, неизвестно) and words for some 0/1 cells:
#           converted true/false, bounced and consent yes/no
#   quoted  tact-simulate's export with every field quoted, header and
#           empty cells too (as a spreadsheet or R's write.csv may write)
#   units   sessions, not visitors: ROWS/2 visitors with 2 sessions each
#           on average (--sessions-mean 2), so about ROWS rows; the
#           visitor_id column is the unit to fold sessions into
set -eu
simulate=$1
shape=$2
rows=$3
file=$4
case "$shape" in
plain)
	"$simulate" -n "$rows" --seed 1 --missing-rate 0.001 |
		LC_ALL=C awk -F, -v OFS=, '
			NR == 1 {
				for (i = 1; i <= NF; i++)
					column[$i] = i
				print
				next
			}
			{
				i = column["intent"]
				if ($i == "browse") $i = "navegação"
				else if ($i == "buy") $i = "compra"
				else if ($i == "research") $i = "pesquisa"
				else if ($i == "unknown") $i = "неизвестно"
				i = column["converted"]
				if ($i != "") $i = $i == 1 ? "true" : "false"
				i = column["bounced"]
				if ($i != "") $i = $i == 1 ? "yes" : "no"
				i = column["consent"]
				if ($i != "") $i = $i == 1 ? "yes" : "no"
				print
			}' > "$file.tmp"
	;;
quoted)
	"$simulate" -n "$rows" --seed 1 --missing-rate 0.001 |
		LC_ALL=C awk -F, -v OFS=, '{
			for (i = 1; i <= NF; i++)
				$i = "\"" $i "\""
			print
		}' > "$file.tmp"
	;;
units)
	"$simulate" -n $((rows / 2)) --seed 1 --missing-rate 0.001 \
		--sessions-mean 2 -o "$file.tmp"
	;;
*)
	echo "shape.sh: unknown shape '$shape' (plain, quoted or units)" >&2
	exit 64
	;;
esac
mv "$file.tmp" "$file"
