#!/usr/bin/env bash
# Runs deriva-py's own integration tests, unchanged, against a running Cairn: the acceptance check
# that Deriva's Python client works with Cairn. Usage:
#   conformance/deriva-py/run.sh DERIVA_PY_CHECKOUT [pytest args...]
# Needs: Cairn on http://127.0.0.1:${CAIRN_PORT:-8080}, nginx and openssl (Debian packages), and a
# Python 3 with requests, pytest and jsonschema. deriva-py's tests speak https only, so nginx
# terminates TLS on 127.0.0.1:${TLS_PORT:-8443} with a throwaway self-signed certificate. The
# modules deriva-py needs only for Globus, BDBag and AMQP are replaced by the stand-ins in stubs/.
# Credentials go where deriva-py reads them, a ~/.deriva/credential.json of a throwaway HOME:
#   CAIRN_TOKEN=...                        a bearer token (e.g. the first-start admin-token)
#   CAIRN_USER=... CAIRN_PASSWORD=...      a login session: its webauthn cookie
#   neither                                anonymous (every test that writes then gets 401)
set -euo pipefail
checkout="$(cd "$1" && pwd)"; shift
here="$(cd "$(dirname "$0")" && pwd)"
cairn_port="${CAIRN_PORT:-8080}"
tls_port="${TLS_PORT:-8443}"
work="$(mktemp -d)"
trap 'nginx -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/logs"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 256; }
http {
  access_log $work/logs/access.log;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  server {
    listen 127.0.0.1:$tls_port ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    location / {
      proxy_pass http://127.0.0.1:$cairn_port;
      proxy_set_header Host \$host:\$server_port;
      proxy_http_version 1.1;
    }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf"

cd "$checkout"
export PYTHONPATH="$here/stubs:$checkout"
export REQUESTS_CA_BUNDLE="$work/cert.pem"
export DERIVA_PY_TEST_HOSTNAME="localhost:$tls_port"
export HOME="$work"
mkdir -p "$HOME/.deriva"
if [ -n "${CAIRN_TOKEN:-}" ]; then
  printf '{"%s": {"bearer-token": "%s"}}\n' "$DERIVA_PY_TEST_HOSTNAME" "$CAIRN_TOKEN" > "$HOME/.deriva/credential.json"
elif [ -n "${CAIRN_USER:-}" ]; then
  cookie="$(curl -sf -D - -o /dev/null --data-urlencode "username=$CAIRN_USER" --data-urlencode "password=$CAIRN_PASSWORD" \
    "http://127.0.0.1:$cairn_port/authn/session" | sed -n 's/^Set-Cookie: \(webauthn=[^;]*\).*/\1/ip' | tr -d '\r')"
  [ -n "$cookie" ] || { echo "login as $CAIRN_USER failed" >&2; exit 1; }
  printf '{"%s": {"cookie": "%s"}}\n' "$DERIVA_PY_TEST_HOSTNAME" "$cookie" > "$HOME/.deriva/credential.json"
fi
python3 -m pytest -p no:cacheprovider -q tests/deriva/core "$@"
