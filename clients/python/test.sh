#!/usr/bin/env bash
# Tests the Python client against a real Cairn: installs the package (pip install clients/python, with
# its test extras) into a fresh virtual environment under target/, then runs pytest. The tests start
# Cairn themselves from the built WAR (target/cairn.war: run `mvn -B -DskipTests package` first), or
# use the server named by CAIRN_TEST_URL and CAIRN_TEST_TOKEN. Extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/target/python-client-venv"
rm -rf "$venv"
python3 -m venv "$venv"
# --retries 0: where only a local index answers, an unreachable default index fails at once, not after backoff
"$venv/bin/pip" install -q --disable-pip-version-check --retries 0 "$here[test,progress]" 2> >(grep -v -e '^WARNING: Retrying' -e '^WARNING: Location' >&2)
cd "$here"
exec "$venv/bin/pytest" -q --junitxml="$repo/target/python-client-results.xml" "$@"
