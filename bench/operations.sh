#!/usr/bin/env bash
# What the operations features cost, in one run on this machine: catalog reads (a filtered entity
# GET, 1 row, as the administrator) with wrk -t2 -c16 for 15 s, warm, on one server with the
# request log on (the default) and, after a restart on the same data, with CAIRN_LOG_REQUESTS=false
# (metrics still count), three alternating runs each; then how long a /metrics scrape and an
# /openapi document take. Installs wrk from Debian if it lacks it.
# Usage: bench/operations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk > /dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq wrk > /dev/null; }
. bench/lib.sh
mvn -B -q -DskipTests package
echo "# cairn operations, $(nproc) cores, $(java -version 2>&1 | head -1), server -Xmx512m"

start_cairn -Xmx512m
base="http://localhost:$port"
cid=$(curl -s "${curl_auth[@]}" -H 'Content-Type: application/json' -X POST "$base/api/catalogs" \
  -d '{"name": "ops", "domainSchema": "ops"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -s -o /dev/null "${curl_auth[@]}" -H 'Content-Type: application/json' -X POST "$base/ermrest/catalog/$cid/schema/ops/table" \
  -d '{"table_name": "T", "column_definitions": [{"name": "Name", "type": {"typename": "text"}}], "keys": [{"unique_columns": ["Name"]}]}'
python3 -c 'import json; print(json.dumps([{"Name": "n%d" % i} for i in range(10000)]))' > "$work/rows.json"
curl -s -o /dev/null "${curl_auth[@]}" -H 'Content-Type: application/json' -X POST "$base/ermrest/catalog/$cid/entity/ops:T" --data-binary @"$work/rows.json"
url="$base/ermrest/catalog/$cid/entity/ops:T/Name=n4242"

restart() {  # $1 = CAIRN_LOG_REQUESTS
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  CAIRN_LOG_REQUESTS="$1" start_cairn -Xmx512m
  wrk -t2 -c16 -d5s -H "Authorization: Bearer $CAIRN_TOKEN" "$url" > /dev/null   # warm
}
rate() { wrk -t2 -c16 -d15s -H "Authorization: Bearer $CAIRN_TOKEN" "$url" | awk '/Requests\/sec/ {print $2}'; }
on=(); off=()
for run in 1 2 3; do
  restart true;  on+=("$(rate)")
  restart false; off+=("$(rate)")
done
lines=$(grep -c 'dev.cairn.requests' "$work/server.log" || true)
echo "filtered GET, request log on : ${on[*]} req/s"
echo "filtered GET, request log off: ${off[*]} req/s   (request lines in the last server's log: $lines)"

scrape=$(curl -s -o /dev/null -w '%{time_total}' "${curl_auth[@]}" "$base/metrics")
size=$(curl -s "${curl_auth[@]}" "$base/metrics" | wc -c)
first=$(curl -s -o /dev/null -w '%{time_total}' "$base/openapi")
again=$(curl -s -o /dev/null -w '%{time_total}' "$base/openapi?format=json")
echo "/metrics scrape: ${scrape}s, ${size} bytes; /openapi first: ${first}s, again (JSON): ${again}s"
