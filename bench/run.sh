#!/usr/bin/env bash
# run.sh BUILD: every benchmark, each with its reference from the same run.
set -eu
build=${1:-build}
echo "== bench/import (MB of Markdown to generate: ${IMPORT_MB:-100})"
"$build/bench/bench_import" "${IMPORT_MB:-100}" 3
for b in bench/*/run.sh; do
    [ -x "$b" ] && { echo "== $(dirname "$b")"; "$b" "$build"; }
done
