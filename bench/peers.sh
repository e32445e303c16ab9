#!/usr/bin/env bash
# Cairn side by side with the tools a user would pick instead, in one run, on one PostgreSQL; every
# aim of issue #31 in one table at the end:
#  - bulk insert through the entity API (batches of 1,000, history kept) against COPY of the same
#    rows, and inserts into one table by 1 writer against 4 at once (bench/CatalogBench.java);
#  - catalog reads: Platformatic DB (REST over the same table, same indexes, same PostgreSQL) and
#    Cairn's ERMrest entity API as a plain user whose group may read the catalog (access checks on),
#    wrk -t2 -c32, 20 s, warm, three alternating runs: a filtered GET by Filename (1 row) and a page
#    of 100 rows of one Kind sorted by RID;
#  - the web catalog's table page with three facets open and a never-seen selection per request,
#    8 clients, against Chaise's 7 sequential ERMrest reads for such a page (bench/WebBench.java);
#  - 4 KiB PUTs under fresh names, 8 clients: nginx WebDAV against Cairn (bench/SmallPuts.java);
#  - 100,000 files of 4 KiB (PEERS_FILES) PUT one by one from 8 clients against as many staged for
#    one execution as one tar archive and committed (bench/MlBench.java);
#  - object transfer: 1 GiB PUT (wall time to the reply) against nginx WebDAV + sync and against
#    md5sum of the same file, and 1 GiB GET against nginx serving the file, Cairn direct and Cairn
#    behind nginx with CAIRN_STORE_OFFLOAD=nginx, three alternating runs, medians;
#  - lineage of a chain of 10,000 executions (20,001 nodes) (bench/MlBench.java).
# Installs what it lacks: wrk, nginx-full and PostgreSQL 15 from Debian, Platformatic DB from npm
# into ~/.cache/cairn-bench. Cairn uses the system's PostgreSQL 15 through CAIRN_DB_URL. Every
# server is bound to 127.0.0.1. The machine should be otherwise idle.
# Usage: bench/peers.sh [rows]   (default 1000000; PEERS_FILES, PEERS_SECONDS per measured run,
# PEERS_WARM_RUNS and PEERS_WARM_SECONDS shorten a trial run)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
runs=3
seconds="${PEERS_SECONDS:-20}"
files="${PEERS_FILES:-100000}"
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo

missing=()
command -v wrk > /dev/null || missing+=(wrk)
[ -x /usr/sbin/nginx ] && /usr/sbin/nginx -V 2>&1 | grep -q http_dav_module || missing+=(nginx-full)
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
command -v node > /dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
fi
platformatic="${XDG_CACHE_HOME:-$HOME/.cache}/cairn-bench/platformatic-2.61"
if [ ! -d "$platformatic/node_modules/@platformatic/db-core" ]; then
  mkdir -p "$platformatic"
  (cd "$platformatic" && npm init -y > /dev/null && npm install -s --no-audit --no-fund @platformatic/db-core@2.61 fastify@5 pg > /dev/null 2>&1)
fi
cp bench/platformatic.mjs "$platformatic/"

mvn -B -q -DskipTests package
. bench/lib.sh

# the system's PostgreSQL, a throwaway role owning Cairn's databases and Platformatic's
$sudo pg_ctlcluster 15 main start 2> /dev/null || true
pgport=$($sudo -u postgres psql -tAc 'show port' 2>/dev/null || runuser -u postgres -- psql -tAc 'show port')
psql_admin() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 "$@"; else sudo -u postgres psql -q -v ON_ERROR_STOP=1 "$@"; fi; }
role="cairn_peers_$$"
password=$(openssl rand -hex 16)
psql_admin -c "create role $role login createdb password '$password'"
psql_admin -c "create database ${role}_system owner $role"
psql_admin -c "create database ${role}_platformatic owner $role"
node_pid=""
drop_all() {
  { [ -n "$node_pid" ] && kill "$node_pid"; [ -n "$nginx_pid" ] && kill "$nginx_pid"; } 2> /dev/null || true
  { [ -n "$pid" ] && kill -TERM "$pid" && wait "$pid"; } 2> /dev/null || true
  pid=""
  for db in $(psql_admin -tAc "select datname from pg_database d join pg_roles r on r.oid = d.datdba where r.rolname = '$role'"); do
    psql_admin -c "drop database \"$db\" with (force)" || true
  done
  psql_admin -c "drop role if exists $role" || true
}
trap 'status=$?; drop_all; (exit $status); cleanup' EXIT
export CAIRN_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/${role}_system" CAIRN_DB_USER="$role" CAIRN_DB_PASSWORD="$password"
export CAIRN_STORE_OFFLOAD=nginx  # only GETs that come through nginx (X-Sendfile-Type) are offloaded
start_cairn "${CAIRN_JAVA_OPTS:--Xmx1g}"
unset CAIRN_STORE_OFFLOAD
echo "# Cairn and its peers, $(nproc) cores, $(java -version 2>&1 | head -1), node $(node --version), PostgreSQL $(psql_admin -tAc 'show server_version'), $rows rows"

read -r cid reader < <(java bench/PeersLoad.java "http://localhost:$port" "$CAIRN_TOKEN" "$rows" 2> "$work/load.txt")
cat "$work/load.txt"
insert_rate=$(grep -o '[0-9,]* rows/s' "$work/load.txt" | head -1 | cut -d' ' -f1 | tr -d ,)

# the same rows, columns and indexes for Platformatic DB
pg_url="postgres://$role:$password@127.0.0.1:$pgport"
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "${role}_platformatic" -v ON_ERROR_STOP=1 -c '
  create table asset (rid text primary key, filename text not null unique, url text not null, length int8 not null,
                      md5 text not null, kind text not null)'
cairn_indexes=$(PGPASSWORD="$password" psql -tA -h 127.0.0.1 -p "$pgport" -U "$role" -d "cairn_catalog_$cid" \
  -c "select count(*) from pg_indexes where schemaname = 'bench' and tablename = 'Asset'")
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "cairn_catalog_$cid" \
  -c '\copy (select "RID", "Filename", "URL", "Length", "MD5", "Kind" from bench."Asset") to stdout' > "$work/rows.tsv"
t=$(date +%s.%N)
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "${role}_platformatic" -c '\copy asset from stdin' < "$work/rows.tsv"
copy_rate=$(awk -v t="$t" -v n="$(date +%s.%N)" -v r="$rows" 'BEGIN { printf "%.0f", r / (n - t) }')
rm "$work/rows.tsv"
echo "COPY of the same rows into Platformatic's table (one primary key, one unique key, no history): $copy_rate rows/s"
# and into a twin of Cairn's table: every column, all its indexes (trigram ones too), no history trigger
cairn_psql() { PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "cairn_catalog_$cid" -v ON_ERROR_STOP=1 "$@"; }
cairn_psql -c 'create table bench."Asset_twin" (like bench."Asset" including defaults including indexes)'
cairn_psql -c '\copy bench."Asset" to stdout' > "$work/rows.tsv"
t=$(date +%s.%N)
cairn_psql -c '\copy bench."Asset_twin" from stdin' < "$work/rows.tsv"
twin_rate=$(awk -v t="$t" -v n="$(date +%s.%N)" -v r="$rows" 'BEGIN { printf "%.0f", r / (n - t) }')
rm "$work/rows.tsv"
cairn_psql -c 'drop table bench."Asset_twin"'
echo "COPY of the same rows into a twin of Cairn's table (its $cairn_indexes indexes, no history): $twin_rate rows/s"
if [ "$cairn_indexes" -gt 2 ]; then  # Cairn's per-column indexes, matched
  for c in url length md5 kind; do
    PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "${role}_platformatic" -c "create index on asset ($c)"
  done
fi
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "${role}_platformatic" -c 'vacuum analyze asset'
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "cairn_catalog_$cid" -c 'vacuum analyze bench."Asset"'
echo "indexes on the table: Cairn $cairn_indexes, Platformatic $(PGPASSWORD="$password" psql -tA -h 127.0.0.1 -p "$pgport" \
  -U "$role" -d "${role}_platformatic" -c "select count(*) from pg_indexes where tablename = 'asset'")"

plt_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$platformatic" && exec node platformatic.mjs "$pg_url/${role}_platformatic" "$plt_port") > "$work/platformatic.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$plt_port/asset?limit=1" && break; sleep 0.2; done

# wrk scripts: a random row each request
cat > "$work/cairn-filename.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $reader"
request = function() return wrk.format("GET", "/ermrest/catalog/$cid/entity/bench:Asset/Filename=file-" .. math.random(0, $rows - 1) .. ".png") end
EOF
cat > "$work/cairn-page.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $reader"
request = function() return wrk.format("GET", "/ermrest/catalog/$cid/entity/bench:Asset/Kind=kind-" .. math.random(0, 19) .. "@sort(RID)?limit=100") end
EOF
cat > "$work/plt-filename.lua" <<EOF
request = function() return wrk.format("GET", "/asset?where.filename.eq=file-" .. math.random(0, $rows - 1) .. ".png") end
EOF
cat > "$work/plt-page.lua" <<EOF
request = function() return wrk.format("GET", "/asset?where.kind.eq=kind-" .. math.random(0, 19) .. "&orderby.rid=asc&limit=100") end
EOF
for f in cairn-filename cairn-page plt-filename plt-page; do
  cat >> "$work/$f.lua" <<'EOF'
local bad = 0
response = function(status) if status ~= 200 then bad = bad + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.1f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
EOF
done
# sanity: both answer the same row
[ "$(curl -s -H "Authorization: Bearer $reader" "http://127.0.0.1:$port/ermrest/catalog/$cid/entity/bench:Asset/Filename=file-7.png" | grep -o '"MD5":"[0-9a-f]*"' | cut -d'"' -f4)" \
  = "$(curl -s "http://127.0.0.1:$plt_port/asset?where.filename.eq=file-7.png" | grep -o '"md5":"[0-9a-f]*"' | cut -d'"' -f4)" ] \
  || { echo "Cairn and Platformatic disagree on file-7.png" >&2; exit 1; }

wrk_run() {  # $1 = url base, $2 = script; prints "req/s p99ms errors"
  wrk -t2 -c32 -d"${seconds}s" -s "$work/$2.lua" "$1" | grep '^RESULT' | cut -d' ' -f2-
}
warm() {  # $1 = url base, $2 = script
  local last=0 now runs=""
  for i in $(seq 1 20); do
    now=$(wrk -t2 -c32 -d"${PEERS_WARM_SECONDS:-15}s" -s "$work/$2.lua" "$1" | grep '^RESULT' | cut -d' ' -f2)
    runs+="$now "
    if [ "$i" -ge "${PEERS_WARM_RUNS:-10}" ] && awk -v a="$last" -v b="$now" 'BEGIN { exit !((b - a) / a < 0.03 && (a - b) / a < 0.03) }'; then break; fi
    last=$now
  done
  echo "warm-up $2 (req/s per 15 s): $runs"
}
declare -A rps p99
for name in filename page; do
  # warm-up: at least 10 runs of 15 s, then until two in a row agree within 3 % (at most 20 runs):
  # under full load on 2 cores the JVM's compilers take minutes to finish Payara's and Cairn's hot code
  warm "http://127.0.0.1:$port" "cairn-$name"
  warm "http://127.0.0.1:$plt_port" "plt-$name"
  for run in $(seq 1 $runs); do
    read -r r p e < <(wrk_run "http://127.0.0.1:$plt_port" "plt-$name")
    echo "run $run $name Platformatic: $r req/s, p99 $p ms, $e errors"
    rps[plt-$name]+="$r "; p99[plt-$name]+="$p "
    read -r r p e < <(wrk_run "http://127.0.0.1:$port" "cairn-$name")
    echo "run $run $name Cairn:        $r req/s, p99 $p ms, $e errors"
    rps[cairn-$name]+="$r "; p99[cairn-$name]+="$p "
  done
done
kill "$node_pid"; node_pid=""

# the web catalog's facets, on a table of their own (the same number of rows)
WEB_BENCH_FACETS_ONLY=1 java bench/WebBench.java "http://localhost:$port" "$rows" | tee "$work/web.txt"
facet_line=$(grep 'random selection' "$work/web.txt")
chaise_line=$(grep 'one after another' "$work/web.txt")
# writers of one table: 1, then 4 at once
CATALOG_BENCH_WRITERS_ONLY=1 java bench/CatalogBench.java "http://localhost:$port" "$pid" 100000 | tee "$work/writers.txt"
writers_line=$(grep 'writers at once' "$work/writers.txt")

# nginx: WebDAV with its data on the same file system as Cairn's store, and Cairn behind it with
# GETs offloaded (docs/operations.md's configuration)
mkdir -p "$work/nginx/dav"
start_nginx "    location /dav/ {
      root $work/nginx;
      dav_methods PUT;
      create_full_put_path on;
    }
$(cairn_behind_nginx)"
curl -sf -X PUT "${curl_auth[@]}" -H "Content-Type: application/x-hatrac-namespace" "http://127.0.0.1:$port/hatrac/peers" -o /dev/null

# 4 KiB PUTs under fresh names, 8 clients, three alternating runs after 1,000 to warm up
declare -A puts
java bench/SmallPuts.java "http://127.0.0.1:$port/hatrac/peers/warm" 1000 8 4096 "$CAIRN_TOKEN" > /dev/null
for run in $(seq 1 $runs); do
  read -r r p50 p e < <(java bench/SmallPuts.java "http://127.0.0.1:$nginx_port/dav/run$run/o" 4000 8 4096)
  echo "run $run 4 KiB PUTs nginx WebDAV: $r PUT/s, p50 $p50 ms, p99 $p ms, $e failed"; puts[nginx]+="$r "; puts[nginx-p99]+="$p "
  read -r r p50 p e < <(java bench/SmallPuts.java "http://127.0.0.1:$port/hatrac/peers/run$run" 4000 8 4096 "$CAIRN_TOKEN")
  echo "run $run 4 KiB PUTs Cairn:        $r PUT/s, p50 $p50 ms, p99 $p ms, $e failed"; puts[cairn]+="$r "; puts[cairn-p99]+="$p "
done

# small files through one execution, and lineage (each on a catalog of its own)
mkdir -p "$work/ml"
ML_BENCH_FILES="$files" java bench/MlBench.java "http://localhost:$port" "$work/ml" 0 | tee "$work/files.txt"
files_line=$(grep 'stage + commit' "$work/files.txt")
rm -rf "$work/ml"; mkdir -p "$work/ml"
ML_BENCH_LINEAGE_ONLY=1 java bench/MlBench.java "http://localhost:$port" "$work/ml" 0 | tee "$work/lineage.txt"
big="$work/big.bin"
head -c $((1 << 30)) /dev/urandom > "$big"
declare -A mbs
took() { awk -v t="$1" -v n="$(date +%s.%N)" 'BEGIN { printf "%.0f", 1024 / (n - t) }'; }  # MiB/s of 1 GiB since $1
for run in $(seq 1 $runs); do
  printf '%016x' "$run$$" | dd of="$big" conv=notrunc status=none   # new content each run: no dedup
  cat "$big" > /dev/null
  md5=$(openssl dgst -md5 -binary "$big" | base64)
  t=$(date +%s.%N); md5sum "$big" > /dev/null; a=$(took "$t")
  t=$(date +%s.%N); curl -sf -X PUT -T "$big" -o /dev/null "http://127.0.0.1:$nginx_port/dav/big-$run"; sync; b=$(took "$t")
  t=$(date +%s.%N); curl -sf -X PUT "${curl_auth[@]}" -H "Content-Type: application/octet-stream" -H "Content-MD5: $md5" \
    -T "$big" -o /dev/null "http://127.0.0.1:$port/hatrac/peers/big-$run"; c=$(took "$t")
  t=$(date +%s.%N); curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/dav/big-$run"; d=$(took "$t")
  t=$(date +%s.%N); curl -sf "${curl_auth[@]}" -o /dev/null "http://127.0.0.1:$port/hatrac/peers/big-$run"; e=$(took "$t")
  t=$(date +%s.%N); curl -sf "${curl_auth[@]}" -o /dev/null "http://127.0.0.1:$nginx_port/hatrac/peers/big-$run"; f=$(took "$t")
  rm "$work/nginx/dav/big-$run"
  echo "run $run transfer MiB/s: md5sum $a, nginx PUT+sync $b, Cairn PUT $c, nginx GET $d, Cairn GET $e, Cairn GET offloaded to nginx $f"
  mbs[md5sum]+="$a "; mbs[nginx-put]+="$b "; mbs[cairn-put]+="$c "; mbs[nginx-get]+="$d "; mbs[cairn-get]+="$e "; mbs[offload-get]+="$f "
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo
echo "| work | peer | Cairn | ratio |"
echo "|---|---|---|---|"
for name in filename page; do
  pr=$(echo "${rps[plt-$name]}" | median); cr=$(echo "${rps[cairn-$name]}" | median)
  pp=$(echo "${p99[plt-$name]}" | median); cp=$(echo "${p99[cairn-$name]}" | median)
  label=$([ "$name" = filename ] && echo "filtered GET by Filename" || echo "page of 100 by Kind, sorted by RID")
  echo "| $label | Platformatic: $pr req/s, p99 $pp ms | $cr req/s, p99 $cp ms | $(ratio "$cr" "$pr") |"
done
m=$(echo "${mbs[md5sum]}" | median); n=$(echo "${mbs[nginx-put]}" | median); c=$(echo "${mbs[cairn-put]}" | median)
echo "| 1 GiB PUT (MiB/s, median) | nginx WebDAV + sync: $n; md5sum: $m | $c (MD5 + SHA-256 verified, fsynced) | $(ratio "$c" "$n") nginx, $(ratio "$c" "$m") md5sum |"
n=$(echo "${mbs[nginx-get]}" | median); c=$(echo "${mbs[cairn-get]}" | median); o=$(echo "${mbs[offload-get]}" | median)
echo "| 1 GiB GET (MiB/s, median) | nginx: $n | direct $c; behind nginx, offloaded $o | $(ratio "$c" "$n") direct, $(ratio "$o" "$n") offloaded |"
n=$(echo "${puts[nginx]}" | median); c=$(echo "${puts[cairn]}" | median)
echo "| 4 KiB PUTs, 8 clients (PUT/s, median) | nginx WebDAV: $n (p99 $(echo "${puts[nginx-p99]}" | median) ms) | $c (p99 $(echo "${puts[cairn-p99]}" | median) ms) | $(ratio "$c" "$n") |"
echo "| bulk insert, entity API, batches of 1,000, history kept (rows/s) | COPY into Platformatic's table: $copy_rate; into a twin of Cairn's (same indexes, no history): $twin_rate | $insert_rate | $(ratio "$insert_rate" "$copy_rate"), $(ratio "$insert_rate" "$twin_rate") twin |"
echo "| 1 writer against 4 into one table | - | ${writers_line#*: } | |"
echo "| facet page, never-seen selection, 8 clients | ${chaise_line#*: } (Chaise's 7 reads, no selection) | ${facet_line#*: } | |"
echo "| $files files of 4 KiB through one execution | ${files_line%%; through*} | ${files_line#*execution: } | |"
grep '^lineage' "$work/lineage.txt" | sed 's/^lineage *\(.*\): median \([0-9]* ms\).*/| lineage \1 | - | \2 | |/' 
echo
echo "runs: req/s Platformatic ${rps[plt-filename]}/ Cairn ${rps[cairn-filename]}(filtered); Platformatic ${rps[plt-page]}/ Cairn ${rps[cairn-page]}(page)"
jcmd "$pid" GC.run > /dev/null 2>&1 || true
echo "server heap after the run and a full GC: $(jcmd "$pid" GC.heap_info 2> /dev/null | grep -E 'garbage-first|total' | head -1 | sed 's/^ *//')"
