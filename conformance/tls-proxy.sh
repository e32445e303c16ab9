# Sourced by the conformance runners. Deriva's Python clients speak https to a host name only, so
# nginx terminates TLS on 127.0.0.1:${TLS_PORT:-8443} (a throwaway self-signed certificate) in
# front of Cairn on http://127.0.0.1:${CAIRN_PORT:-8080}. Afterwards:
#   DERIVA_HOST        localhost:TLS_PORT, the host name the clients are given
#   REQUESTS_CA_BUNDLE the certificate, so that requests trusts the proxy
#   HOME               a throwaway one whose ~/.deriva/credential.json holds the credential (and
#                      ~/.bdbag/keychain.json a token, for bdbag's fetches):
#     CAIRN_TOKEN=...                    a bearer token (e.g. the first-start admin-token)
#     CAIRN_USER=... CAIRN_PASSWORD=...  a login session: its webauthn cookie
#     neither                            anonymous
# The proxy stops and the folder goes when the shell exits.
cairn_port="${CAIRN_PORT:-8080}"
tls_port="${TLS_PORT:-8443}"
proxy_work="$(mktemp -d)"
trap 'nginx -p "$proxy_work" -c "$proxy_work/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$proxy_work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$proxy_work/key.pem" -out "$proxy_work/cert.pem" 2>/dev/null
mkdir -p "$proxy_work/logs"
cat > "$proxy_work/nginx.conf" <<CONF
worker_processes 1;
pid $proxy_work/nginx.pid;
error_log $proxy_work/logs/error.log;
events { worker_connections 256; }
http {
  access_log $proxy_work/logs/access.log;
  client_body_temp_path $proxy_work/body;
  proxy_temp_path $proxy_work/proxy;
  server {
    listen 127.0.0.1:$tls_port ssl;
    ssl_certificate $proxy_work/cert.pem;
    ssl_certificate_key $proxy_work/key.pem;
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_buffering off;
    proxy_read_timeout 600s;
    location / {
      proxy_pass http://127.0.0.1:$cairn_port;
      proxy_set_header Host \$host:\$server_port;
      proxy_http_version 1.1;
    }
  }
}
CONF
nginx -p "$proxy_work" -c "$proxy_work/nginx.conf"

export DERIVA_HOST="localhost:$tls_port"
export REQUESTS_CA_BUNDLE="$proxy_work/cert.pem"
export SSL_CERT_FILE="$proxy_work/cert.pem"
export HOME="$proxy_work/home"
mkdir -p "$HOME/.deriva"
if [ -n "${CAIRN_TOKEN:-}" ]; then
  printf '{"%s": {"bearer-token": "%s"}}\n' "$DERIVA_HOST" "$CAIRN_TOKEN" > "$HOME/.deriva/credential.json"
  # bdbag fetches a bag's files with its own keychain; Deriva's login tools write the token there too
  mkdir -p "$HOME/.bdbag"
  printf '[{"uri": "https://%s/", "auth_type": "bearer-token", "auth_params": {"token": "%s", "allow_redirects_with_token": false}}]\n' \
    "$DERIVA_HOST" "$CAIRN_TOKEN" > "$HOME/.bdbag/keychain.json"
elif [ -n "${CAIRN_USER:-}" ]; then
  cookie="$(curl -sf -D - -o /dev/null --data-urlencode "username=$CAIRN_USER" --data-urlencode "password=$CAIRN_PASSWORD" \
    "http://127.0.0.1:$cairn_port/authn/session" | sed -n 's/^Set-Cookie: \(webauthn=[^;]*\).*/\1/ip' | tr -d '\r')"
  [ -n "$cookie" ] || { echo "login as $CAIRN_USER failed" >&2; exit 1; }
  printf '{"%s": {"cookie": "%s"}}\n' "$DERIVA_HOST" "$cookie" > "$HOME/.deriva/credential.json"
fi
