# strip.awk - take the last n fields off every record of a CSV file and keep
# every other byte (the fields taken must hold no quote and no comma).  A
# record ends at a line end outside quotes; a CR before the LF is kept.
# Usage: awk -v n=3 -f strip.awk FILE
{
	line = $0
	cr = sub(/\r$/, "", line) ? "\r" : ""
	copy = line
	odd = (odd + gsub(/"/, "", copy)) % 2
	if (!odd)
		for (i = 0; i < n; i++)
			sub(/,[^,"]*$/, "", line)
	print line cr
}
