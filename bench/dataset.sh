#!/usr/bin/env bash
# Dataset bags, in one run on this machine: a dataset of 100,000 members over three tables (Subject,
# Sample and the asset table Image), 1,000 of them images of 1 MB each, released once. Times to the
# first byte and in total (read into /dev/null, as `cat` is) for the metadata-only bag (files in fetch.txt) and the materialized bag,
# first download (built and kept) and second (served from the store), against `cat` of the same
# 1,000 files in the same run; and the server's peak heap at -Xmx256m, sampled with jstat.
# Usage: bench/dataset.sh [members] [images]   (defaults 100000 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-100000}"
images="${2:-1000}"
. bench/lib.sh
mvn -B -q -DskipTests package
start_cairn "${CAIRN_JAVA_OPTS:--Xmx256m}"
echo "# cairn dataset bags, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx256m}"
base="http://localhost:$port"
json=(-H "Content-Type: application/json")
post() { curl -sf "${curl_auth[@]}" "${json[@]}" -X POST "$base$1" --data-binary "$2"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

cid=$(post /api/catalogs '{"name": "bench", "domainSchema": "bench"}' | field '["id"]')
api="/api/catalogs/$cid"
post "/ermrest/catalog/$cid/schema/bench/table" '{"table_name": "Subject", "column_definitions": [{"name": "Name", "type": {"typename": "text"}}]}' >/dev/null
post "/ermrest/catalog/$cid/schema/bench/table" '{"table_name": "Sample", "column_definitions": [{"name": "Name", "type": {"typename": "text"}}, {"name": "Subject", "type": {"typename": "text"}}], "foreign_keys": [{"foreign_key_columns": [{"schema_name": "bench", "table_name": "Sample", "column_name": "Subject"}], "referenced_columns": [{"schema_name": "bench", "table_name": "Subject", "column_name": "RID"}]}]}' >/dev/null
post "$api/asset-tables" '{"name": "Image", "referencedTables": ["Subject"]}' >/dev/null
for t in Subject Sample Image; do post "$api/datasets/element-types" "{\"table\": \"$t\"}" >/dev/null; done

# rows: subjects and samples through the entity API, in batches
subjects=$(( (members - images) * 2 / 5 ))
samples=$(( members - images - subjects ))
rows() {  # $1 table, $2 count, $3 subject RIDs file or "" -> RIDs on stdout
  python3 - "$1" "$2" "$3" <<'EOF' > "$work/rows.json"
import json, sys
table, count, subjects = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rids = open(subjects).read().split() if subjects else []
rows = [{"Name": f"{table}-{i}", **({"Subject": rids[i % len(rids)]} if rids else {})} for i in range(count)]
print(json.dumps(rows))
EOF
  curl -sf "${curl_auth[@]}" "${json[@]}" -X POST "$base/ermrest/catalog/$cid/entity/bench:$1?defaults=RID" --data-binary @"$work/rows.json" \
    | python3 -c 'import json,sys; print("\n".join(r["RID"] for r in json.load(sys.stdin)))'
}
rows Subject "$subjects" "" > "$work/subjects"
rows Sample "$samples" "$work/subjects" > "$work/samples"

# images: 1,000 files of 1 MB, committed by one execution
workflow=$(post "$api/workflows" '{"name": "bench", "type": "Ingest"}' | field '["RID"]')
execution=$(post "$api/executions" "{\"workflow\": \"$workflow\"}" | field '["RID"]')
curl -sf "${curl_auth[@]}" "${json[@]}" -X PUT "$base$api/executions/$execution/status" -d '{"status": "Running"}' >/dev/null
mkdir -p "$work/files"
python3 - "$work/files" "$images" <<'EOF'
import os, sys
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], f"image-{i:04d}.bin"), "wb") as f:
        f.write(os.urandom(1 << 20))
EOF
for f in "$work"/files/*; do
  curl -sf "${curl_auth[@]}" -X PUT --data-binary @"$f" "$base$api/executions/$execution/outputs/Image/$(basename "$f")" >/dev/null
done
curl -sf "${curl_auth[@]}" "${json[@]}" -X PUT "$base$api/executions/$execution/status" -d '{"status": "Stopped"}' >/dev/null
curl -sf "${curl_auth[@]}" -X POST "$base$api/executions/$execution/commit?async=false" \
  | python3 -c 'import json,sys; print("\n".join(a["RID"] for a in json.load(sys.stdin)["Assets"] if a["Asset_Role"] == "Output"))' > "$work/images"

# the dataset: every row as a member, by table
dataset=$(post "$api/datasets" '{"description": "bench", "types": ["Training"]}' | field '["RID"]')
t=$(date +%s.%N)
for table in Subject Sample Image; do
  file=$work/$(echo "$table" | tr 'A-Z' 'a-z')s
  python3 -c "import json,sys; print(json.dumps({'members': {'$table': open('$file').read().split()}}))" > "$work/members.json"
  curl -sf "${curl_auth[@]}" "${json[@]}" -X POST "$base$api/datasets/$dataset/members" --data-binary @"$work/members.json" >/dev/null
done
printf 'members added: %d (%d subjects, %d samples, %d images) in %.1f s\n' "$members" "$subjects" "$samples" "$images" \
  "$(echo "$(date +%s.%N) - $t" | bc)"
post "$api/datasets/$dataset/release" '{"bump": "minor"}' >/dev/null

# peak heap while the bags are made: jstat samples the old and eden generations in use
heap() { jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%.0f %.0f\n", ($3+$4+$6+$8)/1024, $8/1024}'; }
live_heap() { jcmd "$pid" GC.run >/dev/null; heap | cut -d' ' -f1; }
echo "server heap before bagging, after a full GC: $(live_heap) MB"
( while kill -0 "$pid" 2>/dev/null; do heap; sleep 0.2; done ) > "$work/heap" &
sampler=$!
bag() {  # $1 label, $2 query
  curl -s "${curl_auth[@]}" -o /dev/null -w "%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n" \
    "$base$api/datasets/$dataset/bag?$2" | {
      read -r code first total size
      [ "$code" = 200 ] || { echo "bag failed: $code"; exit 1; }
      printf '%-32s first byte %6.2f s, total %6.2f s, %8.1f MB, %7.1f MB/s\n' "$1" "$first" "$total" \
        "$(echo "$size / 1000000" | bc -l)" "$(echo "$size / 1000000 / $total" | bc -l)"
    }
}
bag "metadata-only, first (builds)" "version=0.2.0&materialize=false"
kept() {  # waits until the first download's bag is in the store (it is kept once sent)
  for _ in $(seq 1 600); do
    curl -sf "${curl_auth[@]}" "$base$api/datasets/$dataset/versions" | python3 -c "import json,sys
sys.exit(0 if any(b['materialized'] == $1 for v in json.load(sys.stdin) for b in v['Bags']) else 1)" && return 0
    sleep 0.2
  done
}
kept False
bag "metadata-only, kept" "version=0.2.0&materialize=false"
bag "metadata-only, live (dev)" "version=dev&materialize=false"
bag "materialized, first (builds)" "version=0.2.0&materialize=true"
kept True
bag "materialized, kept" "version=0.2.0&materialize=true"
bag "materialized, live (dev)" "version=dev&materialize=true"
sync; t=$(date +%s.%N); cat "$work"/files/* > /dev/null; cat_s=$(echo "$(date +%s.%N) - $t" | bc)
printf '%-32s %6.2f s, %7.1f MB/s\n' "cat of the $images files" "$cat_s" "$(echo "$images * 1.048576 / $cat_s" | bc -l)"
kill "$sampler" 2>/dev/null || true
echo "server heap after bagging, after a full GC: $(live_heap) MB"
echo "server heap while bagging, peak: $(sort -n "$work/heap" | tail -1 | cut -d' ' -f1) MB in use (of 256 MB), old generation $(cut -d' ' -f2 "$work/heap" | sort -n | tail -1) MB"
curl -sf "${curl_auth[@]}" -o "$work/bag.zip" "$base$api/datasets/$dataset/bag?version=0.2.0&materialize=true"
(cd "$work" && mkdir -p check && cd check && unzip -q ../bag.zip && ls | head -1 | xargs -I{} sh -c 'grep -c . {}/manifest-sha256.txt' \
  | xargs -I{} echo "materialized bag: {} payload files in its manifest")
