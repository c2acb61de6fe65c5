#!/bin/sh
# run.sh: bench/serve (wrk against `referat serve` beside nginx). Builds first.
# usage: bench/serve/run.sh [--soak [--minutes M]] [--seconds S] [--connections C]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
[ -d "$build" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" >/dev/null
exec python3 "$root/bench/serve/bench.py" "$build/src/cli/referat" "$@"
