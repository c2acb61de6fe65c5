#!/usr/bin/env bash
# run-demo.sh REFERAT: the main job on the embedded default: import examples/ into a fresh demo
# SQLite archive and serve it on 127.0.0.1 (PORT, default 8080) until Ctrl-C.
set -eu
referat=$1
root=$(cd "$(dirname "$0")/.." && pwd)
demo="$root/demo"
mkdir -p "$demo"
rm -f "$demo/demo.db" "$demo/demo.db-wal" "$demo/demo.db-shm"
"$referat" import --db "$demo/demo.db" "$root"/examples/[0-9]*.md
port=${PORT:-8080}
echo "referat: åbn http://127.0.0.1:$port/ i en browser (Ctrl-C stopper)"
exec "$referat" serve --db "$demo/demo.db" --listen "127.0.0.1:$port"
