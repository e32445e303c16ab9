#!/usr/bin/env bash
# Start-up time of Cairn through the README's run command (bin/run), to the first /health UP and
# to the first answer of the API: on a new data folder (cold: initdb and every migration), then on
# the same folder holding CATALOGS catalogs (half of them with DerivaML's schema), each start
# checking every catalog's migrations. The warm starts run idle, then under load (one busy process
# per core, as on a machine shared with other work). Each start also prints, from the server's
# log, how long Payara's deployment of the WAR took (its scan of the classes and CDI, before
# Cairn's own start-up work) and how long the catalog migration checks took. Stops every server
# it starts.
# Usage: bench/startup.sh [warm-runs] [catalogs]   (defaults 3 20)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
catalogs="${2:-20}"
data=$(mktemp -d -t cairn-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=""
hogs=()
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  for h in "${hogs[@]}"; do kill "$h" 2>/dev/null || true; done
  rm -rf "$data"
}
trap cleanup EXIT

mvn -B -q -DskipTests package   # build outside the measurement

now_ms() { date +%s%3N; }
start_once() {  # $1 = label; prints "label health_ms api_ms migrations_ms deploy_ms"
  local t0 health="" api="" migrations deploy
  t0=$(now_ms)
  CAIRN_DATA_DIR="$data" CAIRN_PORT="$port" bin/run > "$data/server-$1.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ -z "$health" ] && curl -sf "http://localhost:$port/health" 2>/dev/null | grep -q '"status":"UP"'; then
      health=$(( $(now_ms) - t0 ))
    fi
    if [ -n "$health" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/catalogs")" = 200 ]; then
      api=$(( $(now_ms) - t0 )); break
    fi
    sleep 0.1
  done
  [ -n "$api" ] || { echo "server did not start; see $data/server-$1.log" >&2; tail -20 "$data/server-$1.log" >&2; exit 1; }
  migrations=$(grep -o 'Catalog databases migrated: [0-9]* in [0-9]* ms' "$data/server-$1.log" | awk '{print $6}' | tail -1)
  deploy=$(grep -o 'cairn was successfully deployed in [0-9,]* milliseconds' "$data/server-$1.log" | awk '{gsub(",", "", $6); print $6}' | tail -1)
  echo "$1 $health $api ${migrations:--} ${deploy:--}"
}
stop() { kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
median() { sort -k2 -n "$1" | awk -v n="$runs" -v what="$2" '{h[NR]=$2; a[NR]=$3; m[NR]=$4; d[NR]=$5} END {k=int((n+1)/2); printf "# %s median: health UP %d ms, API ready %d ms, catalog migrations %s ms, deployment %s ms\n", what, h[k], a[k], m[k], d[k]}'; }

echo "# cairn start-up, $(nproc) cores, $(java -version 2>&1 | head -1), $catalogs catalogs on the warm starts"
echo "# run health_up_ms api_ready_ms catalog_migrations_ms deployment_ms"
start_once cold
token=$(cat "$data/admin-token")
for i in $(seq 1 "$catalogs"); do
  if [ $((i % 2)) = 0 ]; then  # with DerivaML's schema
    curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -X POST \
      "http://localhost:$port/api/catalogs" -d "{\"name\": \"c$i\"}" > /dev/null
  else                         # a plain ERMrest catalog, as deriva-py creates one
    curl -sf -H "Authorization: Bearer $token" -X POST "http://localhost:$port/ermrest/catalog" > /dev/null
  fi
done
stop
for i in $(seq 1 "$runs"); do start_once "warm$i"; stop; done | tee "$data/idle.txt"
for _ in $(seq 1 "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
for i in $(seq 1 "$runs"); do start_once "loaded$i"; stop; done | tee "$data/loaded.txt"
for h in "${hogs[@]}"; do kill "$h" 2>/dev/null || true; done; hogs=()
median "$data/idle.txt" "idle"
median "$data/loaded.txt" "under load ($(nproc) busy processes)"
