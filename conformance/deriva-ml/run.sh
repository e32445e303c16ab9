#!/usr/bin/env bash
# Runs deriva-ml, unchanged, against a running Cairn: its user story (story.py) and its own test
# suite. Usage, after setup.sh:
#   conformance/deriva-ml/run.sh VENV story
#   conformance/deriva-ml/run.sh VENV tests [pytest args...]    all of tests/, or e.g. tests/dataset -x
# Needs Cairn on http://127.0.0.1:${CAIRN_PORT:-8080}, nginx and openssl; deriva-ml speaks https to
# a host name, so ../tls-proxy.sh terminates TLS in front of Cairn and places the credential
# (CAIRN_TOKEN, or CAIRN_USER and CAIRN_PASSWORD). The tests' results go to
# ${RESULTS:-deriva-ml-results.xml} (JUnit XML), and summary.py counts them by directory.
set -euo pipefail
venv="$(cd "$1" && pwd)"; what="$2"; shift 2
# deriva-ml names the script that runs a workflow by the outermost frame that is not tooling, and
# knows a virtual environment's scripts by a folder named venv or .venv
case "$venv" in */venv|*/.venv) ;; *) echo "run.sh: name the environment's folder venv or .venv (deriva-ml looks for it)" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
results="$(realpath -m "${RESULTS:-deriva-ml-results.xml}")"
source "$here/../tls-proxy.sh"
# deriva-ml records the git state of the script that runs a workflow and refuses uncommitted
# changes; a conformance run from a working tree allows them, as deriva-ml's --allow-dirty does
export DERIVA_ML_ALLOW_DIRTY=true
# as an activated environment: deriva-ml's tests call its console scripts (deriva-ml-run-notebook...) by name
export PATH="$venv/bin:$PATH"
case "$what" in
  story) "$venv/bin/python" "$here/story.py" ;;
  tests)
    cd "$venv/deriva-ml"
    status=0
    [ $# -gt 0 ] || set -- tests
    "$venv/bin/pytest" -p no:cacheprovider -q --junitxml="$results" "$@" || status=$?
    "$venv/bin/python" "$here/summary.py" "$results"
    exit $status ;;
  *) echo "run.sh VENV story|tests [pytest args]" >&2; exit 2 ;;
esac
