#!/usr/bin/env bash
# run.sh REFERAT: golden files for every reader and writer. For each example (and each seed,
# when ../shared/seeds is there) every writer's output, staff and public, must equal the file
# under tests/golden/<writer>[-public]/. UPDATE_GOLDEN=1 rewrites them; review the diff.
set -u
referat=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pass=0
fail=0
inputs=("$root"/examples/[0-9]*.md "$root"/examples/[0-9]*.txt)
if [ -d "$root/../shared/seeds" ]; then
    inputs+=("$root"/../shared/seeds/[0-9]*.txt)
else
    echo "skip: ../shared/seeds absent, seed goldens not checked"
fi
for in in "${inputs[@]}"; do
    base=$(basename "$in")
    case "$in" in */seeds/*) name="seed-${base%.txt}" ;; *) name=$base ;; esac
    for to in md txt json html; do
        for mode in staff public; do
            dir="$here/$to"
            args=(convert "$in" --to "$to")
            if [ $mode = public ]; then dir="$here/$to-public"; args+=(--public); fi
            want="$dir/$name.$to"
            got=$(mktemp)
            if ! "$referat" "${args[@]}" >"$got" 2>/dev/null; then
                echo "FAIL $name -> $to ($mode): convert failed"
                fail=$((fail + 1))
            elif [ "${UPDATE_GOLDEN:-}" = 1 ]; then
                mkdir -p "$dir"
                cp "$got" "$want"
                pass=$((pass + 1))
            elif cmp -s "$got" "$want"; then
                pass=$((pass + 1))
            else
                echo "FAIL $name -> $to ($mode): differs from ${want#$root/}"
                diff "$want" "$got" | head -n 10
                fail=$((fail + 1))
            fi
            rm -f "$got"
        done
    done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
