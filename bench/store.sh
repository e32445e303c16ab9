#!/usr/bin/env bash
# Object store throughput and latency, in one run on one machine: the baselines (md5sum,
# sha256sum, a plain copy and a plain read of a 1 GiB file) and then Cairn over loopback
# (curl for single streams, bench/StoreBench.java for concurrency and latency). With --large, also a 5 GiB PUT and GET against a 256 MiB heap.
# Usage: bench/store.sh [--large]
set -euo pipefail
cd "$(dirname "$0")/.."
large="${1:-}"
. bench/lib.sh

mvn -B -q -DskipTests package
file="$work/one-gib.bin"
head -c $((1 << 30)) /dev/urandom > "$file"
sync

rate() {  # label, bytes, command...
  local label=$1 bytes=$2; shift 2
  local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N)
  awk -v l="$label" -v b="$bytes" -v ns=$((t1 - t0)) 'BEGIN { printf "%s: %.0f MB/s\n", l, b / 1e6 / (ns / 1e9) }'
}
size=$(stat -c %s "$file")
echo "# cairn object store, $(nproc) cores, $(java -version 2>&1 | head -1), file of $size bytes"
cat "$file" > /dev/null   # the baselines and Cairn all read it from the page cache
rate "md5sum" "$size" md5sum "$file"
rate "sha256sum" "$size" sha256sum "$file"
rate "plain read (cat)" "$size" cat "$file"
rate "plain copy (cp + sync)" "$size" bash -c "cp '$file' '$work/copy.bin' && sync '$work/copy.bin'"
rm -f "$work/copy.bin"

start_cairn -Xmx256m
for i in 1 2 3; do
  curl -sf "${curl_auth[@]}" -o /dev/null -w "%{speed_upload}\n" -X PUT -T "$file" "http://localhost:$port/hatrac/single/put-$i?parents=true"
done | awk -v mb="$(awk -v s="$size" 'BEGIN{print s/1e6}')" '{printf "cairn PUT %.0f MB single stream (curl), run %d: %.0f MB/s\n", mb, NR, $1 / 1e6}'
for i in 1 2 3; do
  curl -sf "${curl_auth[@]}" -o /dev/null -w "%{speed_download}\n" "http://localhost:$port/hatrac/single/put-1"
done | awk '{printf "cairn GET single stream (curl), run %d: %.0f MB/s\n", NR, $1 / 1e6}'
java bench/StoreBench.java "http://localhost:$port"

if [ "$large" = "--large" ]; then
  rm -f "$file"
  big="$work/five-gib.bin"
  head -c $((5 << 30)) /dev/zero | tr '\0' 'x' > "$big"
  t0=$(date +%s%N)
  code=$(curl -s "${curl_auth[@]}" -o /dev/null -w '%{http_code}' -X PUT -T "$big" "http://localhost:$port/hatrac/five-gib?parents=true")
  t1=$(date +%s%N)
  got=$(curl -s "${curl_auth[@]}" "http://localhost:$port/hatrac/five-gib" | md5sum | cut -d' ' -f1)
  t2=$(date +%s%N)
  want=$(md5sum < "$big" | cut -d' ' -f1)
  awk -v c="$code" -v p=$((t1 - t0)) -v g=$((t2 - t1)) -v ok="$([ "$got" = "$want" ] && echo match || echo MISMATCH)" \
    'BEGIN { printf "5 GiB with -Xmx256m: PUT %s in %.1f s, GET in %.1f s, MD5 %s\n", c, p / 1e9, g / 1e9, ok }'
  grep -c "OutOfMemoryError" "$work/server.log" | sed 's/^/OutOfMemoryError lines in the server log: /'
fi
