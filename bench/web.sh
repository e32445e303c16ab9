#!/usr/bin/env bash
# The web catalog's table page with three facets open on a large asset table, at 8 concurrent
# clients (no selection, then a random selection per request), beside the same reads sent to
# ERMrest one by one as a browser client does; then the forms' round trips (create form, create, edit
# form, save) beside the same writes as ERMrest JSON (bench/WebBench.java).
# Usage: bench/web.sh [rows]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
. bench/lib.sh
mvn -B -q -DskipTests package
start_cairn "${CAIRN_JAVA_OPTS:--Xmx512m}"
echo "# cairn web catalog, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx512m}"
java bench/WebBench.java "http://localhost:$port" "$rows"
