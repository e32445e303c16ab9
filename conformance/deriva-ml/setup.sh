#!/usr/bin/env bash
# Installs deriva-ml v1.34.0, unchanged, with deriva-py's 2.0-dev branch into a Python 3.11
# virtual environment, for run.sh. Usage:
#   conformance/deriva-ml/setup.sh MIRRORS VENV        (a folder named venv, e.g. /tmp/deriva-ml/venv)
# MIRRORS holds git repositories laid out as the tool library's `fetch` leaves them
# (MIRRORS/<owner>+<name>/repo): informatics-isi-edu/deriva-ml and deriva-py, fair-research/bdbag
# and native-login, LibraryOfCongress/bagit-python, bagit-profiles/bagit-profiles-validator,
# facebookresearch/hydra, mit-ll-responsible-ai/hydra-zen, antlr/antlr4, pika/pika and
# globus/globus-sdk-python. Everything else comes from pip's configured package index.
# What is not deriva-ml's own code, and why (see README.md here):
#   - deriva-ml v1.34.0 asks for Python >= 3.12; the two 3.12 behaviours it uses (itertools.batched,
#     pathlib.Path subclasses with constructors of their own) get stand-ins in stubs/sitecustomize.py,
#     and pip is told --ignore-requires-python;
#   - it asks for deriva-py's `deriva-ml` branch, which is not public in a form this machine can
#     reach; 2.0-dev is the nearest, with two lines of Table.define_association fixed (patches/deriva-py-define-association.patch);
#   - fair-identifiers-client (MINIDs only) is an empty stand-in.
set -euo pipefail
mirrors="$(cd "$1" && pwd)"; venv="$2"
here="$(cd "$(dirname "$0")" && pwd)"
src="$(mktemp -d)"; trap 'rm -rf "$src"' EXIT

# checkout OWNER+NAME REF: the tree of REF into $src/NAME
checkout() {
  local git="$mirrors/$1/repo"; [ -d "$git/.git" ] && git="$git/.git"
  mkdir -p "$src/$1"
  git --git-dir="$git" archive --format=tar "$2" | tar -x -C "$src/$1"
  echo "$src/$1"
}

python3.11 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
pip="$venv/bin/pip"
# pip's own index is PyPI: machines without it name theirs in PIP_INDEX_URL (pip config works too)
"$pip" install -q --upgrade pip 'setuptools>=80,<81' wheel 'setuptools-scm>=8'
# from the package index: what deriva-ml and its tests import (SQLAlchemy before 2.1, whose
# Mapper lost mapped_table, which deriva-ml's bag code reads)
"$pip" install -q 'SQLAlchemy<2.1' pandas numpy 'pydantic>=2.11' deepdiff nbconvert nest_asyncio regex pyyaml \
  scikit-learn requests 'urllib3<3' portalocker 'jsonschema>=3.1' pytest typing_extensions importlib_resources \
  packaging tzlocal pyjwt cryptography httpx ipykernel pytest-mock
# from their repositories, without their declared dependencies (all present by now); the version
# is the tag's, for the packages that read theirs from git metadata an archive lacks
from_repo() { # OWNER+NAME REF VERSION [SUBDIR]
  SETUPTOOLS_SCM_PRETEND_VERSION="$3" "$pip" install -q --no-deps --no-build-isolation "$(checkout "$1" "$2")/${4:-}"
}
from_repo antlr+antlr4 4.9.3 4.9.3 runtime/Python3
"$pip" install -q 'omegaconf==2.3.*'
from_repo LibraryOfCongress+bagit-python v1.9.0 1.9.0
from_repo bagit-profiles+bagit-profiles-validator 1.3.1 1.3.1
from_repo fair-research+bdbag master 1.8.0
from_repo pika+pika 1.3.2 1.3.2
from_repo globus+globus-sdk-python 3.65.0 3.65.0
from_repo fair-research+native-login v0.3.1 0.3.1
from_repo facebookresearch+hydra v1.3.2 1.3.2
from_repo mit-ll-responsible-ai+hydra-zen v0.15.0 0.15.0
deriva_py="$(checkout informatics-isi-edu+deriva-py 2.0-dev)"
patch -s -d "$deriva_py" -p1 < "$here/patches/deriva-py-define-association.patch"
"$pip" install -q --no-deps --no-build-isolation "$deriva_py"
# deriva-ml as its developers install it (uv sync): editable, from a git repository beside the
# environment, its tests included; deriva-ml records the commit of the code that runs a workflow
deriva_ml="$(checkout informatics-isi-edu+deriva-ml v1.34.0)"
rm -rf "$venv/deriva-ml"; cp -r "$deriva_ml" "$venv/deriva-ml"
git -C "$venv/deriva-ml" init -q
git -C "$venv/deriva-ml" add -A
git -C "$venv/deriva-ml" -c user.name=conformance -c user.email=conformance@localhost commit -qm "deriva-ml v1.34.0"
SETUPTOOLS_SCM_PRETEND_VERSION=1.34.0 "$pip" install -q --no-deps --no-build-isolation --ignore-requires-python -e "$venv/deriva-ml"
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
cp -r "$here"/stubs/* "$site/"
"$venv/bin/python" -c 'import deriva_ml, deriva.core; print("deriva-ml", deriva_ml.__version__ if hasattr(deriva_ml, "__version__") else "?", "ready")'
