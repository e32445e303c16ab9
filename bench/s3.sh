#!/usr/bin/env bash
# The object store on S3, against the same transfers straight to the same S3 server, in one run:
# S3Proxy 4.1.0 (filesystem-nio2, on 127.0.0.1; the jar the build copies to target/s3proxy.jar)
# behind Cairn with CAIRN_STORE=s3, and curl with --aws-sigv4 as the direct client.
#  - 1 GiB PUT and GET, three alternating runs each (wall time to the reply; Cairn checks MD5 and
#    SHA-256, sends 8 MiB parts with their Content-MD5 and copies the staged object to its
#    content-addressed key). The direct PUT is done twice: one streamed PUT (curl), and a multipart
#    upload of 8 MiB parts with their Content-MD5 as client libraries do it (bench/S3Direct.java on
#    the AWS SDK, the AWS CLI's default part size);
#  - 1,000 small PUTs (4 KiB, each different) over one connection (curl -K), then the same on 8
#    connections at once.
# Usage: bench/s3.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$work/sdk.cp" > /dev/null

start_s3proxy
key=$s3key; secret=$s3secret
s3=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
curl -sf "${s3[@]}" -X PUT "$s3url/direct" > /dev/null

export CAIRN_STORE=s3 S3_BUCKET=cairn S3_ENDPOINT_URL="$s3url" AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret
start_cairn -Xmx1g
cairn="http://localhost:$port"
curl -sf "${curl_auth[@]}" -X PUT -H 'Content-Type: application/x-hatrac-namespace' "$cairn/hatrac/bench" > /dev/null

file="$work/one-gib.bin"
head -c $((1 << 30)) /dev/urandom > "$file"
size=$(stat -c %s "$file")
echo "# Cairn on S3 (S3Proxy 4.1.0, filesystem-nio2) against S3Proxy directly, $(nproc) cores, $(java -version 2>&1 | head -1)"
seconds() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N); awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mibs() { awk -v b="$size" -v s="$1" 'BEGIN { printf "%.0f", b / 1048576 / s }'; }

cat "$file" > /dev/null
: > "$work/put-direct"; : > "$work/put-multipart"; : > "$work/put-cairn"; : > "$work/get-direct"; : > "$work/get-cairn"
for i in 1 2 3; do
  seconds curl -sf "${s3[@]}" -T "$file" "$s3url/direct/one-gib-$i" >> "$work/put-direct"; echo >> "$work/put-direct"
  java -cp "$(cat "$work/sdk.cp")" bench/S3Direct.java "$s3url" "$key" "$secret" direct "multipart-$i" "$file" >> "$work/put-multipart"
  seconds curl -sf "${curl_auth[@]}" -T "$file" "$cairn/hatrac/bench/one-gib-$i" >> "$work/put-cairn"; echo >> "$work/put-cairn"
  # the next run's content differs: Cairn would otherwise find the blob there already
  printf '%08d' "$i" | dd of="$file" bs=1 count=8 conv=notrunc status=none
done
for i in 1 2 3; do
  seconds curl -sf "${s3[@]}" -o /dev/null "$s3url/direct/one-gib-$i" >> "$work/get-direct"; echo >> "$work/get-direct"
  seconds curl -sf "${curl_auth[@]}" -o /dev/null "$cairn/hatrac/bench/one-gib-$i" >> "$work/get-cairn"; echo >> "$work/get-cairn"
done
d=$(median < "$work/put-multipart"); c=$(median < "$work/put-cairn")
echo "1 GiB PUT as multipart (8 MiB parts with Content-MD5): direct $(mibs "$d") MiB/s ($(paste -sd/ "$work/put-multipart") s), Cairn $(mibs "$c") MiB/s: $(awk -v d="$d" -v c="$c" 'BEGIN { printf "%.2fx", d / c }')"
for kind in put get; do
  d=$(median < "$work/$kind-direct"); c=$(median < "$work/$kind-cairn")
  echo "1 GiB ${kind^^}: direct $(mibs "$d") MiB/s ($(paste -sd/ "$work/$kind-direct") s), Cairn $(mibs "$c") MiB/s ($(paste -sd/ "$work/$kind-cairn") s): $(awk -v d="$d" -v c="$c" 'BEGIN { printf "%.2fx", d / c }')"
done
rm -f "$file"

# 1,000 small PUTs, each different content, sequentially over one connection, then on 8 connections
mkdir -p "$work/small"
for n in $(seq 1 1000); do head -c 4096 /dev/urandom > "$work/small/$n"; done
: > "$work/direct.cfg"; : > "$work/cairn.cfg"
for n in $(seq 1 1000); do
  printf 'upload-file = "%s"\nurl = "%s"\noutput = "/dev/null"\n' "$work/small/$n" "$s3url/direct/small-$n" >> "$work/direct.cfg"
  printf 'upload-file = "%s"\nurl = "%s"\noutput = "/dev/null"\n' "$work/small/$n" "$cairn/hatrac/bench/small-$n" >> "$work/cairn.cfg"
done
head -600 "$work/cairn.cfg" | sed 's/small-/warm-/' > "$work/warm.cfg"   # 200 PUTs to warm Cairn's JIT
curl -sf "${curl_auth[@]}" -K "$work/warm.cfg"
d=$(seconds curl -sf "${s3[@]}" -K "$work/direct.cfg")
c=$(seconds curl -sf "${curl_auth[@]}" -K "$work/cairn.cfg")
echo "1,000 PUTs of 4 KiB, one connection: direct $(awk -v s="$d" 'BEGIN { printf "%.0f", 1000 / s }')/s, Cairn $(awk -v s="$c" 'BEGIN { printf "%.0f", 1000 / s }')/s: $(awk -v d="$d" -v c="$c" 'BEGIN { printf "%.2fx", d / c }')"
for side in direct cairn; do
  awk 'NR % 3 == 1 { a = $0; next } NR % 3 == 2 { b = $0; next } { print a "\t" b "\t" $0 }' "$work/$side.cfg" \
    | sed 's/small-/small8-/' > "$work/$side.lines"
  split -n l/8 -d "$work/$side.lines" "$work/$side-part"
done
parallel8() {  # side, curl args...
  local side=$1; shift
  for part in "$work/$side-part"*; do tr '\t' '\n' < "$part" > "$part.cfg"; curl -sf "$@" -K "$part.cfg" & done
  wait
}
d=$(seconds parallel8 direct "${s3[@]}")
c=$(seconds parallel8 cairn "${curl_auth[@]}")
echo "1,000 PUTs of 4 KiB, 8 connections: direct $(awk -v s="$d" 'BEGIN { printf "%.0f", 1000 / s }')/s, Cairn $(awk -v s="$c" 'BEGIN { printf "%.0f", 1000 / s }')/s: $(awk -v d="$d" -v c="$c" 'BEGIN { printf "%.2fx", d / c }')"
