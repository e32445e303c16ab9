#!/usr/bin/env bash
# A soak under mixed load (issue #33): CLIENTS clients for MINUTES minutes against one Cairn with
# its embedded PostgreSQL, on the local file store or (with `s3`) on S3Proxy. bench/Soak.java
# mixes filtered entity reads and pages, Hatrac GETs with Range, inserts, PUTs of 4 KiB to 50 MiB,
# chunked upload jobs, execution stage+commit, registry queries and web pages; every 30 s it
# samples the heap after a full GC, the RSS, threads, open file descriptors and database
# connections, and at the end prints p50/p99 per kind and whether the aims hold.
# Usage: bench/soak.sh [minutes] [clients] [fs|s3]   (defaults 10 32 fs)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
clients="${2:-32}"
store="${3:-fs}"
. bench/lib.sh
mvn -B -q -DskipTests package
if [ "$store" = s3 ]; then
  start_s3proxy
  export CAIRN_STORE=s3 S3_BUCKET=cairn S3_ENDPOINT_URL="$s3url" AWS_ACCESS_KEY_ID=$s3key AWS_SECRET_ACCESS_KEY=$s3secret
fi
start_cairn "${CAIRN_JAVA_OPTS:--Xmx1g}"
echo "# cairn soak, store $store, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx1g}"
java bench/Soak.java "http://localhost:$port" "$CAIRN_TOKEN" "$pid" "$minutes" "$clients"
