#!/usr/bin/env bash
# run.sh BUILD: every benchmark, each printing its figure beside a reference from the same run.
# `make bench` runs this; each line below also runs on its own.
set -eu
build=$(cd "${1:-build}" && pwd)
cd "$(dirname "$0")/.."
echo "== bench/layouts: recall and precision of the meeting readers per layout family"
"$build/bench/bench_layouts"
echo "== bench/import: our md/txt readers beside md4c (IMPORT_MB, default 100)"
"$build/bench/bench_import" "${IMPORT_MB:-100}" 3
echo "== bench/archive: import beside plain INSERTs (ARCHIVE_CASES, default 100000)"
bash bench/archive/run.sh "$build"
echo "== bench/archive: 200 queries beside raw FTS5 (and PostgreSQL if REFERAT_PG is set)"
"$build/bench/bench_search" --optimize --db "$build/bench-archive.db" ${REFERAT_PG:+--pg "$REFERAT_PG"}
echo "== bench/serve: wrk on referat beside nginx (soak: bench/serve/run.sh --soak)"
BUILD_DIR="$build" sh bench/serve/run.sh
