# json-flat.awk - flatten a JSON document into one line per scalar:
#   PATH<TAB>VALUE    e.g. segments.1.units.control<TAB>89
# PATH joins object keys and array indices (from 0) with dots; VALUE is the
# token as written (strings keep their quotes and escapes; numbers, true,
# false, null).  Empty objects and arrays print nothing.  Tokens may span
# lines but not a string (tact's JSON keeps each on one line).
# Usage: awk -f json-flat.awk FILE.json | LC_ALL=C sort
function path(   p, k) {
	p = ""
	for (k = 1; k <= depth; k++)
		p = p (k > 1 ? "." : "") (type[k] == "{" ? key[k] : index_[k])
	return p
}
function scalar(token) {
	if (type[depth] == "{" && want_key) {
		key[depth] = substr(token, 2, length(token) - 2)
		want_key = 0
		return
	}
	print path() "\t" token
}
{
	line = $0
	while (line != "") {
		c = substr(line, 1, 1)
		if (c ~ /[ \t\r]/) { line = substr(line, 2); continue }
		if (c == "{" || c == "[") {
			type[++depth] = c
			index_[depth] = 0
			want_key = c == "{"
			line = substr(line, 2)
		} else if (c == "}" || c == "]") {
			depth--
			line = substr(line, 2)
		} else if (c == ":") {
			line = substr(line, 2)
		} else if (c == ",") {
			if (type[depth] == "[") index_[depth]++
			else want_key = 1
			line = substr(line, 2)
		} else if (c == "\"") {
			if (!match(line, /^"([^"\\]|\\.)*"/)) { print "json-flat: bad string at line " NR > "/dev/stderr"; exit 2 }
			scalar(substr(line, 1, RLENGTH))
			line = substr(line, RLENGTH + 1)
		} else if (match(line, /^(-?[0-9][0-9.eE+-]*|true|false|null)/)) {
			scalar(substr(line, 1, RLENGTH))
			line = substr(line, RLENGTH + 1)
		} else {
			print "json-flat: unexpected '" c "' at line " NR > "/dev/stderr"
			exit 2
		}
	}
}
