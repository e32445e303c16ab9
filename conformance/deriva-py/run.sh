#!/usr/bin/env bash
# Runs deriva-py's own integration tests, unchanged, against a running Cairn: the acceptance check
# that Deriva's Python client works with Cairn. Usage:
#   conformance/deriva-py/run.sh DERIVA_PY_CHECKOUT [pytest args...]
# Needs: Cairn on http://127.0.0.1:${CAIRN_PORT:-8080}, nginx and openssl (Debian packages), and a
# Python 3 with requests, pytest and jsonschema. deriva-py's tests speak https only, so nginx
# terminates TLS in front of it (../tls-proxy.sh, which also says how to pass a credential:
# CAIRN_TOKEN, or CAIRN_USER and CAIRN_PASSWORD; without one every test that writes gets 401).
# The modules deriva-py needs only for Globus, BDBag and AMQP are replaced by the stand-ins in stubs/.
set -euo pipefail
checkout="$(cd "$1" && pwd)"; shift
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../tls-proxy.sh"

cd "$checkout"
export PYTHONPATH="$here/stubs:$checkout"
export DERIVA_PY_TEST_HOSTNAME="$DERIVA_HOST"
python3 -m pytest -p no:cacheprovider -q tests/deriva/core "$@"
