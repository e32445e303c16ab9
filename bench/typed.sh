#!/usr/bin/env bash
# Typed assets: statistics extracted at upload, in one run on this machine. A CSV and a Parquet
# file of about 1 GiB each (bench/TabularFiles.java) are read with cat, then uploaded through
# POST /aios/{cid}/upload_asset; for each: cat's time, the upload's wall time to the reply, the
# server's own time reading the statistics (File_Info.inspection.millis), and what extraction adds
# to the upload. The server's peak heap (-Xmx512m) is sampled by one jstat throughout.
# Usage: bench/typed.sh [MiB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
mib="${1:-1024}"
. bench/lib.sh
mvn -B -q -DskipTests package
duckdb=$(ls ~/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*-linux_amd64.jar | tail -1)
java -cp "$duckdb" bench/TabularFiles.java "$work/table.csv" "$work/table.parquet" "$mib"
start_cairn "${CAIRN_JAVA_OPTS:--Xmx512m}"
echo "# cairn typed assets, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx512m}"
base="http://localhost:$port"
cid=$(curl -sf "${curl_auth[@]}" -H "Content-Type: application/json" -X POST "$base/api/catalogs" \
  -d '{"name": "bench", "domainSchema": "bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
heap() { jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%.0f\n", ($3+$4+$6+$8)/1024}'; }
jcmd "$pid" GC.run >/dev/null
echo "server heap before, after a full GC: $(heap) MB"
# one jstat process sampling every 250 ms (a jstat started per sample would take a core by itself)
jstat -gc "$pid" 250 > "$work/heap" 2>/dev/null &
sampler=$!
for kind in csv parquet; do
  file="$work/table.$kind"
  size=$(stat -c %s "$file")
  cat "$file" > /dev/null  # warm: both readers start from the page cache
  t=$(date +%s.%N); cat "$file" > /dev/null; cat_s=$(echo "$(date +%s.%N) - $t" | bc)
  t=$(date +%s.%N)
  reply=$(curl -sf "${curl_auth[@]}" -F "asset=@$file" \
    -F "asset_metadata={\"asset_name\": \"table-$kind\", \"asset_version\": {\"version\": \"1\"}}" "$base/aios/$cid/upload_asset")
  upload_s=$(echo "$(date +%s.%N) - $t" | bc)
  echo "$reply" | python3 -c "
import json, sys
a = json.load(sys.stdin)['asset_file_info']
size, cat_s, upload_s = $size, $cat_s, $upload_s
inspect_s = a['inspection']['millis'] / 1000
print(f'$kind {size / 2**20:7.0f} MiB, {a[\"row_count\"]:>10,} rows x {a[\"num_features\"]} columns: cat {cat_s:5.2f} s ({size / 2**20 / cat_s:6.0f} MiB/s); '
      f'upload {upload_s:6.2f} s ({size / 2**20 / upload_s:5.0f} MiB/s), of which statistics {inspect_s:5.2f} s: '
      f'extraction adds {100 * inspect_s / (upload_s - inspect_s):3.0f} % to the upload without it')
"
done
kill "$sampler" 2>/dev/null || true
jcmd "$pid" GC.run >/dev/null
peak=$(awk '$1 ~ /^[0-9.]+$/ {h = ($3+$4+$6+$8)/1024; if (h > max) max = h} END {printf "%.0f", max}' "$work/heap")
echo "server heap after, after a full GC: $(heap) MB; peak in use during the uploads: $peak MB (of 512)"
