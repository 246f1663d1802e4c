#!/bin/sh
# install-engines.sh DIR PACKAGE@VERSION... - install the npm packages of
# this list that DIR's node_modules lacks (or holds at another version),
# for make test-sql: the engines that run inside Node.js (@duckdb/node-api,
# and chdb, ClickHouse as a library; each ships its native library in the
# package, nothing is built).  Says what it installs, as mk/deps.sh does for
# Debian's packages; installs Debian's nodejs and npm first when missing.
# Does nothing (and says nothing) when all are there.
set -eu
dir=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
	sh "$here/../../mk/deps.sh" nodejs npm
fi
missing=""
for spec in "$@"; do
	name=${spec%@*}
	version=${spec##*@}
	have=$(node -e 'try { console.log(require(require("path").resolve(process.argv[1])).version) } catch (e) {}' \
		"$dir/node_modules/$name/package.json" 2>/dev/null || true)
	[ "$have" = "$version" ] || missing="$missing $spec"
done
[ -z "$missing" ] && exit 0
mkdir -p "$dir"
[ -f "$dir/package.json" ] ||
	echo '{"name": "tact-sql-engines", "private": true}' > "$dir/package.json"
echo "tact: installing missing npm packages into $dir:$missing" >&2
# shellcheck disable=SC2086
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error $missing >&2
echo "tact: installed into $dir:$missing" >&2
