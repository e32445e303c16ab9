#!/usr/bin/env bash
# DerivaML workflow figures, in one run on this machine: commits of execution outputs (1,000 staged
# 10 KB files; one 1 GiB file) against the same amount of bytes PUT straight into the object store,
# and lineage queries on a chain of 10,000 executions (bench/MlBench.java); ML_BENCH_LINEAGE_ONLY=1 runs only these.
# Usage: bench/ml.sh [large-file-MiB]   (default 1024; 0 skips the large file)
set -euo pipefail
cd "$(dirname "$0")/.."
mib="${1:-1024}"
. bench/lib.sh
mvn -B -q -DskipTests package
start_cairn "${CAIRN_JAVA_OPTS:--Xmx512m}"
echo "# cairn DerivaML workflow, $(nproc) cores, $(java -version 2>&1 | head -1), server ${CAIRN_JAVA_OPTS:--Xmx512m}"
java bench/MlBench.java "http://localhost:$port" "$work" "$mib"
