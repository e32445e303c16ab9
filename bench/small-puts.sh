#!/usr/bin/env bash
# Small objects under fresh names from 8 clients, in one run: nginx WebDAV PUT (the peer) and
# Cairn's Hatrac PUT (MD5 and SHA-256 computed, the blob and its database row durable, the audit
# entry committed before the answer), three alternating runs, medians (bench/SmallPuts.java).
# Installs nginx from Debian when it lacks it.
# Usage: bench/small-puts.sh [count] [clients] [bytes]   (defaults 4000 8 4096)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-4000}"; clients="${2:-8}"; size="${3:-4096}"; runs=3
[ -x /usr/sbin/nginx ] && /usr/sbin/nginx -V 2>&1 | grep -q http_dav_module \
  || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx > /dev/null; }
. bench/lib.sh
mvn -B -q -DskipTests package
start_cairn -Xmx512m
mkdir -p "$work/nginx/dav"
start_nginx "    root $work/nginx/dav;
    dav_methods PUT;
    create_full_put_path on;"
curl -sf -X PUT "${curl_auth[@]}" -H "Content-Type: application/x-hatrac-namespace" "http://127.0.0.1:$port/hatrac/small" -o /dev/null
echo "# $count PUTs of $size bytes from $clients clients, $(nproc) cores, $(java -version 2>&1 | head -1), $(/usr/sbin/nginx -v 2>&1)"
java bench/SmallPuts.java "http://127.0.0.1:$port/hatrac/small/warm" 1000 "$clients" "$size" "$CAIRN_TOKEN" > /dev/null
declare -A rate p99
for run in $(seq 1 $runs); do
  read -r r p50 p e < <(java bench/SmallPuts.java "http://127.0.0.1:$nginx_port/run$run/o" "$count" "$clients" "$size")
  echo "run $run nginx WebDAV: $r PUT/s, p50 $p50 ms, p99 $p ms, $e failed"; rate[nginx]+="$r "; p99[nginx]+="$p "
  read -r r p50 p e < <(java bench/SmallPuts.java "http://127.0.0.1:$port/hatrac/small/run$run" "$count" "$clients" "$size" "$CAIRN_TOKEN")
  echo "run $run Cairn:        $r PUT/s, p50 $p50 ms, p99 $p ms, $e failed"; rate[cairn]+="$r "; p99[cairn]+="$p "
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
n=$(echo "${rate[nginx]}" | median); c=$(echo "${rate[cairn]}" | median)
echo
echo "| $size-byte PUTs, $clients clients | nginx WebDAV | Cairn | ratio |"
echo "|---|---|---|---|"
echo "| PUT/s (median of $runs) | $n (p99 $(echo "${p99[nginx]}" | median) ms) | $c (p99 $(echo "${p99[cairn]}" | median) ms) | $(awk -v a="$c" -v b="$n" 'BEGIN { printf "%.2fx", a / b }') |"
