#!/usr/bin/env bash
# Start-up time of Cairn through the README's run command (bin/run), to the first /health UP and
# to the first answer of the API, on a new data folder (cold: initdb and every migration) and on
# an existing one (warm). Prints one line per start and a summary; stops every server it starts.
# Usage: bench/startup.sh [warm-runs]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
data=$(mktemp -d -t cairn-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=""
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

mvn -B -q -DskipTests package   # build outside the measurement

now_ms() { date +%s%3N; }
start_once() {  # $1 = label; prints "label health_ms api_ms"
  local t0 health="" api=""
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
  echo "$1 $health $api"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

echo "# cairn start-up, $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "# run health_up_ms api_ready_ms"
start_once cold
for i in $(seq 1 "$runs"); do start_once "warm$i"; done | tee "$data/warm.txt"
sort -k2 -n "$data/warm.txt" | awk -v n="$runs" '{h[NR]=$2; a[NR]=$3} END {m=int((n+1)/2); printf "# warm median: health UP %d ms, API ready %d ms\n", h[m], a[m]}'
