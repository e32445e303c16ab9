#!/usr/bin/env bash
# Catalog engine figures, in one run on this machine: bulk insert of an asset-like table through
# the entity API, filtered GETs and sorted pages at 32 concurrent clients, and a full CSV export
# with the server's peak memory (bench/CatalogBench.java).
# Usage: bench/catalog.sh [rows]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
work=$(mktemp -d -t cairn-catalog-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=""
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mvn -B -q -DskipTests package
CAIRN_DATA_DIR="$work/data" CAIRN_PORT="$port" CAIRN_JAVA_OPTS="${CAIRN_JAVA_OPTS:--Xmx512m}" bin/run > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/catalogs")" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || { tail -30 "$work/server.log"; exit 1; }
  sleep 0.2
done
echo "# cairn catalog engine, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx512m}"
java bench/CatalogBench.java "http://localhost:$port" "$pid" "$rows"
