#!/usr/bin/env bash
# Cairn side by side with the tools a user would pick instead, in one run, on one PostgreSQL:
#  - catalog reads: Platformatic DB (REST over the same table, same indexes, same PostgreSQL) and
#    Cairn's ERMrest entity API as a plain user whose group may read the catalog (access checks on),
#    wrk -t2 -c32, 20 s, warm, three alternating runs: a filtered GET by Filename (1 row) and a page
#    of 100 rows of one Kind sorted by RID;
#  - object transfer: 1 GiB PUT (wall time to the reply) against nginx WebDAV + sync and against
#    md5sum of the same file, and 1 GiB GET against nginx, three alternating runs, medians.
# Installs what it lacks: wrk, nginx-full and PostgreSQL 15 from Debian, Platformatic DB from npm
# into ~/.cache/cairn-bench. Cairn uses the system's PostgreSQL 15 through CAIRN_DB_URL. Every
# server is bound to 127.0.0.1.
# Usage: bench/peers.sh [rows]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
runs=3
seconds="${PEERS_SECONDS:-20}"
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
start_cairn "${CAIRN_JAVA_OPTS:--Xmx1g}"
echo "# Cairn and its peers, $(nproc) cores, $(java -version 2>&1 | head -1), node $(node --version), PostgreSQL $(psql_admin -tAc 'show server_version'), $rows rows"

read -r cid reader < <(java bench/PeersLoad.java "http://localhost:$port" "$CAIRN_TOKEN" "$rows")

# the same rows, columns and indexes for Platformatic DB
pg_url="postgres://$role:$password@127.0.0.1:$pgport"
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "${role}_platformatic" -v ON_ERROR_STOP=1 -c '
  create table asset (rid text primary key, filename text not null unique, url text not null, length int8 not null,
                      md5 text not null, kind text not null)'
cairn_indexes=$(PGPASSWORD="$password" psql -tA -h 127.0.0.1 -p "$pgport" -U "$role" -d "cairn_catalog_$cid" \
  -c "select count(*) from pg_indexes where schemaname = 'bench' and tablename = 'Asset'")
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "cairn_catalog_$cid" \
  -c '\copy (select "RID", "Filename", "URL", "Length", "MD5", "Kind" from bench."Asset") to stdout' \
  | PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pgport" -U "$role" -d "${role}_platformatic" -c '\copy asset from stdin'
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
    now=$(wrk -t2 -c32 -d15s -s "$work/$2.lua" "$1" | grep '^RESULT' | cut -d' ' -f2)
    runs+="$now "
    if [ "$i" -ge 10 ] && awk -v a="$last" -v b="$now" 'BEGIN { exit !((b - a) / a < 0.03 && (a - b) / a < 0.03) }'; then break; fi
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

# object transfer: nginx WebDAV with the data on the same file system as Cairn's store
mkdir -p "$work/nginx/dav"
start_nginx "    root $work/nginx/dav;
    dav_methods PUT;
    create_full_put_path on;"
curl -sf -X PUT "${curl_auth[@]}" -H "Content-Type: application/x-hatrac-namespace" "http://127.0.0.1:$port/hatrac/peers" -o /dev/null
big="$work/big.bin"
head -c $((1 << 30)) /dev/urandom > "$big"
declare -A mbs
took() { awk -v t="$1" -v n="$(date +%s.%N)" 'BEGIN { printf "%.0f", 1024 / (n - t) }'; }  # MiB/s of 1 GiB since $1
for run in $(seq 1 $runs); do
  printf '%016x' "$run$$" | dd of="$big" conv=notrunc status=none   # new content each run: no dedup
  cat "$big" > /dev/null
  md5=$(openssl dgst -md5 -binary "$big" | base64)
  t=$(date +%s.%N); md5sum "$big" > /dev/null; a=$(took "$t")
  t=$(date +%s.%N); curl -sf -X PUT -T "$big" -o /dev/null "http://127.0.0.1:$nginx_port/big-$run"; sync; b=$(took "$t")
  t=$(date +%s.%N); curl -sf -X PUT "${curl_auth[@]}" -H "Content-Type: application/octet-stream" -H "Content-MD5: $md5" \
    -T "$big" -o /dev/null "http://127.0.0.1:$port/hatrac/peers/big-$run"; c=$(took "$t")
  t=$(date +%s.%N); curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/big-$run"; d=$(took "$t")
  t=$(date +%s.%N); curl -sf "${curl_auth[@]}" -o /dev/null "http://127.0.0.1:$port/hatrac/peers/big-$run"; e=$(took "$t")
  rm "$work/nginx/dav/big-$run"
  echo "run $run transfer MiB/s: md5sum $a, nginx PUT+sync $b, Cairn PUT $c, nginx GET $d, Cairn GET $e"
  mbs[md5sum]+="$a "; mbs[nginx-put]+="$b "; mbs[cairn-put]+="$c "; mbs[nginx-get]+="$d "; mbs[cairn-get]+="$e "
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
n=$(echo "${mbs[nginx-get]}" | median); c=$(echo "${mbs[cairn-get]}" | median)
echo "| 1 GiB GET (MiB/s, median) | nginx: $n | $c | $(ratio "$c" "$n") |"
echo "runs: req/s Platformatic ${rps[plt-filename]}/ Cairn ${rps[cairn-filename]}(filtered); Platformatic ${rps[plt-page]}/ Cairn ${rps[cairn-page]}(page)"
jcmd "$pid" GC.run > /dev/null 2>&1 || true
echo "server heap after the run and a full GC: $(jcmd "$pid" GC.heap_info 2> /dev/null | grep -E 'garbage-first|total' | head -1 | sed 's/^ *//')"
