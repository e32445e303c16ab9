#!/usr/bin/env bash
# Catalog engine figures, in one run on this machine: bulk insert of an asset-like table through
# the entity API, filtered GETs and sorted pages at 32 concurrent clients, the cost of access control
# (filtered GETs on the table open to anonymous clients, then readable only through a row-level ACL
# binding), and a full CSV export with the server's peak memory (bench/CatalogBench.java).
# Usage: bench/catalog.sh [rows]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
. bench/lib.sh
mvn -B -q -DskipTests package
start_cairn "${CAIRN_JAVA_OPTS:--Xmx512m}"
echo "# cairn catalog engine, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx512m}"
java bench/CatalogBench.java "http://localhost:$port" "$pid" "$rows"
