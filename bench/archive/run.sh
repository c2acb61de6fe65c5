#!/usr/bin/env bash
# run.sh BUILD: the archive benchmark: import of the generated corpus beside plain INSERTs.
# It leaves the archive at BUILD/bench-archive.db, where the search queries can run on it.
set -eu
build=${1:-build}
export ARCHIVE_DB="$build/bench-archive.db"
"$build/bench/bench_archive" --cases "${ARCHIVE_CASES:-100000}" --seed "${ARCHIVE_SEED:-1}" \
    --db "$ARCHIVE_DB"
