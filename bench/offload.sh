#!/usr/bin/env bash
# Large GETs behind nginx, in one run: nginx serving a 1 GiB file itself (the peer), Cairn streaming
# it (a direct GET), and Cairn behind nginx with CAIRN_STORE_OFFLOAD=nginx, where Cairn checks access
# and answers X-Accel-Redirect and nginx sends the file (docs/operations.md's configuration).
# Three alternating runs, MiB/s, medians; also 200 small GETs (4 KiB) each way, for the per-request
# cost of the extra hop. Installs nginx from Debian when it lacks it.
# Usage: bench/offload.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
[ -x /usr/sbin/nginx ] || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx > /dev/null; }
. bench/lib.sh
mvn -B -q -DskipTests package
export CAIRN_STORE_OFFLOAD=nginx
start_cairn -Xmx512m
unset CAIRN_STORE_OFFLOAD

mkdir -p "$work/nginx/static"
start_nginx "    location /static/ { alias $work/nginx/static/; }
$(cairn_behind_nginx)"

big="$work/nginx/static/big.bin"
head -c $((1 << 30)) /dev/urandom > "$big"
head -c 4096 /dev/urandom > "$work/nginx/static/small.bin"
curl -sf -X PUT "${curl_auth[@]}" -H "Content-Type: application/x-hatrac-namespace" "http://127.0.0.1:$port/hatrac/offload" -o /dev/null
for f in big small; do
  curl -sf -X PUT "${curl_auth[@]}" -H "Content-Type: application/octet-stream" \
    -H "Content-MD5: $(openssl dgst -md5 -binary "$work/nginx/static/$f.bin" | base64)" \
    -T "$work/nginx/static/$f.bin" -o /dev/null "http://127.0.0.1:$port/hatrac/offload/$f.bin"
done
sync
echo "# large GETs behind nginx, $(nproc) cores, $(java -version 2>&1 | head -1), $(/usr/sbin/nginx -v 2>&1)"
# the offloaded GET sends the stored bytes
[ "$(curl -sf "${curl_auth[@]}" "http://127.0.0.1:$nginx_port/hatrac/offload/big.bin" | sha256sum)" = "$(sha256sum < "$big")" ] \
  || { echo "the offloaded GET differs from the file" >&2; exit 1; }
cat "$big" "$work/data/store/blobs"/*/*/* > /dev/null   # every reader finds the bytes in the page cache
took() { awk -v t="$1" -v n="$(date +%s.%N)" 'BEGIN { printf "%.0f", 1024 / (n - t) }'; }
declare -A mbs
for run in $(seq 1 $runs); do
  t=$(date +%s.%N); curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/static/big.bin"; a=$(took "$t")
  t=$(date +%s.%N); curl -sf "${curl_auth[@]}" -o /dev/null "http://127.0.0.1:$port/hatrac/offload/big.bin"; b=$(took "$t")
  t=$(date +%s.%N); curl -sf "${curl_auth[@]}" -o /dev/null "http://127.0.0.1:$nginx_port/hatrac/offload/big.bin"; c=$(took "$t")
  echo "run $run 1 GiB GET MiB/s: nginx static $a, Cairn direct $b, Cairn behind nginx (offloaded) $c"
  mbs[static]+="$a "; mbs[direct]+="$b "; mbs[offload]+="$c "
done
small() {  # url, auth?: 200 sequential GETs, requests per second
  local t; t=$(date +%s.%N)
  for _ in $(seq 1 200); do curl -sf "${@:2}" -o /dev/null "$1"; done
  awk -v t="$t" -v n="$(date +%s.%N)" 'BEGIN { printf "%.0f", 200 / (n - t) }'
}
s1=$(small "http://127.0.0.1:$nginx_port/static/small.bin")
s2=$(small "http://127.0.0.1:$port/hatrac/offload/small.bin" "${curl_auth[@]}")
s3=$(small "http://127.0.0.1:$nginx_port/hatrac/offload/small.bin" "${curl_auth[@]}")
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
st=$(echo "${mbs[static]}" | median); di=$(echo "${mbs[direct]}" | median); of=$(echo "${mbs[offload]}" | median)
echo
echo "| work | nginx static | Cairn direct | Cairn behind nginx, offloaded |"
echo "|---|---|---|---|"
echo "| 1 GiB GET, MiB/s (median of $runs) | $st | $di ($(ratio "$di" "$st")) | $of ($(ratio "$of" "$st")) |"
echo "| 4 KiB GETs, one curl each, req/s | $s1 | $s2 | $s3 |"
