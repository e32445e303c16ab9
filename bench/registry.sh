#!/usr/bin/env bash
# The asset registry (seed 001's Assets DB API), in one run on this machine: 100,000 registered
# assets with varied metadata and tags (loaded through the ERMrest entity API, as rows of
# deriva-ml:Registered_Asset), then p50/p99 latency of five representative MongoDB-style queries
# (POST /aios/{cid}/assets) at 8 concurrent clients, then the throughput of 1,000 small uploads
# through POST /aios/{cid}/upload_asset (multipart, one client).
# Usage: bench/registry.sh [assets] [requests per client per query]   (defaults 100000 200)
set -euo pipefail
cd "$(dirname "$0")/.."
assets="${1:-100000}"
requests="${2:-200}"
. bench/lib.sh
mvn -B -q -DskipTests package
start_cairn "${CAIRN_JAVA_OPTS:--Xmx512m}"
echo "# cairn asset registry, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx512m}"
base="http://localhost:$port"
cid=$(curl -sf "${curl_auth[@]}" -H "Content-Type: application/json" -X POST "$base/api/catalogs" \
  -d '{"name": "bench", "domainSchema": "bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

python3 - "$base" "$cid" "$assets" "$requests" "$CAIRN_TOKEN" <<'EOF'
import http.client, json, random, statistics, sys, threading, time, urllib.parse, uuid
base, cid, total, requests, token = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
host = urllib.parse.urlparse(base)
auth = {"Authorization": "Bearer " + token}

def call(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers={**auth, **(headers or {})})
    reply = conn.getresponse()
    data = reply.read()
    if reply.status >= 300:
        raise SystemExit(f"{method} {path}: {reply.status} {data[:300]!r}")
    return data

# 1. load: rows of Registered_Asset in batches of 10,000
rng = random.Random(1)
frameworks = ["pytorch", "tensorflow", "sklearn", "jax", "xgboost"]
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=600)
started = time.time()
for first in range(0, total, 10_000):
    rows = []
    for i in range(first, min(total, first + 10_000)):
        rows.append({"Name": f"model-{i // 10}", "Version": f"1.{i % 10}.{rng.randrange(20)}", "Tag": rng.choice(["", "initial", "prod"]),
                     "Metadata": {"framework": rng.choice(frameworks), "task": f"task-{rng.randrange(100)}",
                                  "accuracy": round(rng.random(), 4), "params": {"lr": rng.choice([0.1, 0.01, 0.001]), "layers": rng.randrange(1, 50)},
                                  "authors": [f"user{rng.randrange(50)}" for _ in range(rng.randrange(1, 3))]},
                     "Tags": sorted({f"tag-{rng.randrange(200)}" for _ in range(rng.randrange(1, 5))})})
    call(conn, "POST", f"/ermrest/catalog/{cid}/entity/deriva-ml:Registered_Asset?defaults=RID", json.dumps(rows), {"Content-Type": "application/json"})
print(f"loaded {total} registered assets in {time.time() - started:.1f} s")
call(conn, "GET", f"/ermrest/catalog/{cid}/aggregate/deriva-ml:Registered_Asset/n:=cnt(*)")

# 2. queries at 8 concurrent clients
queries = [
    ("indexed equality: asset_name", lambda r: {"asset_name": f"model-{r.randrange(total // 10)}"}),
    ("$in on asset_tags (limit 100)", lambda r: {"asset_tags": {"$in": [f"tag-{r.randrange(200)}", f"tag-{r.randrange(200)}"]}}),
    ("metadata equality, two keys (limit 100)", lambda r: {"asset_metadata.framework": r.choice(frameworks), "asset_metadata.task": f"task-{r.randrange(100)}"}),
    ("$in on metadata + $gte on a number (limit 100)", lambda r: {"asset_metadata.task": {"$in": [f"task-{r.randrange(100)}", f"task-{r.randrange(100)}"]}, "asset_metadata.accuracy": {"$gte": 0.9}}),
    ("name + semver range on asset_version.version", lambda r: {"asset_name": f"model-{r.randrange(total // 10)}", "asset_version.version": {"$gte": "1.5.0"}}),
]
clients = 8
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=600)
for warm in range(300):  # the JIT and PostgreSQL's buffers, for every query, before any is timed
    call(conn, "POST", f"/aios/{cid}/assets?limit=100", json.dumps(queries[warm % len(queries)][1](random.Random(warm))),
         {"Content-Type": "application/json"})
for title, make in queries:
    latencies, lock, errors = [], threading.Lock(), []
    def client(seed):
        r = random.Random(seed)
        c = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        mine = []
        for _ in range(requests):
            body = json.dumps(make(r))
            t = time.perf_counter()
            try:
                call(c, "POST", f"/aios/{cid}/assets?limit=100", body, {"Content-Type": "application/json"})
            except SystemExit as e:
                errors.append(str(e)); return
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            latencies.extend(mine)
    threads = [threading.Thread(target=client, args=(s,)) for s in range(clients)]
    started = time.time()
    [t.start() for t in threads]; [t.join() for t in threads]
    if errors:
        raise SystemExit(errors[0])
    wall = time.time() - started
    q = statistics.quantiles(latencies, n=100)
    print(f"{title:50s} p50 {q[49]:6.1f} ms  p99 {q[98]:6.1f} ms  {len(latencies) / wall:7.0f} req/s  ({clients} clients x {requests})")

# 3. 1,000 small uploads through upload_asset
boundary = "benchboundary"
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=600)
started = time.time()
for i in range(1000):
    payload = f"small asset {i} {uuid.uuid4()}".encode() * 10
    meta = json.dumps({"asset_name": f"upload-{i}", "asset_version": {"version": "1.0", "tag": "bench"},
                       "asset_metadata": {"n": i}, "asset_tags": ["bench"]})
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"asset_metadata\"\r\n\r\n{meta}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"asset\"; filename=\"f{i}.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + payload + f"\r\n--{boundary}--\r\n".encode()
    call(conn, "POST", f"/aios/{cid}/upload_asset", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
wall = time.time() - started
print(f"upload_asset: 1000 small assets in {wall:.1f} s = {1000 / wall:.0f} assets/s (one client, MD5 and SHA-256 recorded, fsynced)")
EOF
