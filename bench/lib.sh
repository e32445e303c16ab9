# Shared by the benchmarks: a work folder, a free port, and Cairn started through bin/run on them.
# After `start_cairn HEAP`, $pid is the server (java) process and $port its port; both are cleaned
# up on exit (and nginx, once start_nginx ran). CAIRN_TOKEN is the first-start administrator's token, and curl_auth the curl
# arguments that send it.
work=$(mktemp -d -t cairn-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=""
nginx_pid=""
cleanup() { local status=$?; { [ -n "$nginx_pid" ] && kill "$nginx_pid"; } 2>/dev/null || true; { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; } || true; rm -rf "$work"; exit "$status"; }
trap cleanup EXIT

start_cairn() {  # $1 = heap, e.g. -Xmx512m
  CAIRN_DATA_DIR="$work/data" CAIRN_PORT="$port" CAIRN_JAVA_OPTS="$1" bin/run > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/catalogs")" = 200 ]; then
      export CAIRN_TOKEN; CAIRN_TOKEN="$(cat "$work/data/admin-token")"
      curl_auth=(-H "Authorization: Bearer $CAIRN_TOKEN")
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -30 "$work/server.log"; exit 1; }
    sleep 0.2
  done
  echo "Cairn did not start; see $work/server.log" >&2
  exit 1
}

start_s3proxy() {  # S3Proxy (target/s3proxy.jar, filesystem-nio2) on a free port; sets s3url, s3key, s3secret, s3pid
  s3key=bench-key; s3secret=bench-secret-key
  local s3port; s3port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$work/s3"
  cat > "$work/s3.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$s3key
s3proxy.credential=$s3secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3
PROPS
  java -Xmx1g -jar target/s3proxy.jar --properties "$work/s3.properties" > "$work/s3proxy.log" 2>&1 &
  s3pid=$!
  trap 'status=$?; kill $s3pid 2> /dev/null || true; (exit $status); cleanup' EXIT
  for _ in $(seq 1 300); do (echo > "/dev/tcp/127.0.0.1/$s3port") 2> /dev/null && break; sleep 0.2; done
  s3url="http://127.0.0.1:$s3port"
}

start_nginx() {  # $1 = the server block's directives; nginx (2 workers, no access log) on a free port: sets nginx_port, nginx_pid
  nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$work/nginx/tmp" "$work/nginx/logs"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
$( [ "$(id -u)" = 0 ] && echo 'user root;' )
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    client_max_body_size 0;
$1
  }
}
CONF
  /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$nginx_port") 2> /dev/null && return 0; sleep 0.1; done
  echo "nginx did not start; see $work/nginx/logs/error.log" >&2
  exit 1
}

cairn_behind_nginx() {  # the server block's locations that put Cairn ($port, $work/data) behind nginx with GETs offloaded (docs/operations.md)
  cat <<CONF
    location / {
      proxy_pass http://127.0.0.1:$port;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Sendfile-Type X-Accel-Redirect;
      proxy_request_buffering off;
    }
    location /_cairn_blobs/ {
      internal;
      alias $work/data/store/blobs/;
      etag off;
      add_header Content-MD5 \$upstream_http_content_md5;
      add_header Content-SHA256 \$upstream_http_content_sha256;
      add_header Content-Location \$upstream_http_content_location;
      add_header ETag \$upstream_http_etag;
    }
CONF
}
