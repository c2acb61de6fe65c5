#!/usr/bin/env bash
# run.sh: every test (unit, golden, fuzz replay, end-to-end, browser), in the normal build and
# under ASan+UBSan, then short fuzz runs; ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp # issue 10, pdf: font caches (see the file)
pass=0
fail=0
skip=0

# Adds the counts of one meson test run: a program that ends with "N passed, N failed" counts
# for its N; any other counts as one.
count_meson() {
    local counts
    counts=$(python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, re, sys
p = f = s = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    m = None
    for l in (t.get("stdout") or "").splitlines()[::-1]:
        m = re.fullmatch(r"(?:\w+: )?(\d+) passed, (\d+) failed(?:, \d+ skipped)?", l.strip())
        if m:
            break
    if t["result"] == "SKIP":
        s += 1
        continue
    ok = t["result"] in ("OK", "EXPECTEDFAIL")
    if m:
        p += int(m.group(1)); f += int(m.group(2))
        if not ok and int(m.group(2)) == 0:
            f += 1
    elif ok:
        p += 1
    else:
        f += 1
print(p, f, s)
PY
)
    read -r p f s <<<"$counts"
    pass=$((pass + p))
    fail=$((fail + f))
    skip=$((skip + s))
}

for dir in build build-asan; do
    echo "== meson test ($dir)"
    meson test -C "$dir" --print-errorlogs --num-processes 2 --no-rebuild >"$dir/test-output.txt" 2>&1
    tail -n 12 "$dir/test-output.txt" | grep -E '^(Ok|Fail|Timeout|Skipped|Expected|Unexpected)' || true
    if grep -E '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT)' "$dir/test-output.txt"; then
        # What failed, in CI's output too (a rare failure is otherwise lost with the build).
        grep -E -A25 '^(FAIL |Traceback|AssertionError|.*check failed)' "$dir/test-output.txt" |
            head -n 150 || true
    fi
    count_meson "$dir"
done

# Short fuzz runs: each target for a few seconds from its saved corpus.
if [ -d build-fuzz ]; then
    for t in build-fuzz/tests/fuzz/fuzz_*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        name=$(basename "$t")
        corpus=tests/fuzz/corpus/${name#fuzz_}
        work=$(mktemp -d)
        if "$t" -max_total_time="${FUZZ_SECONDS:-15}" -rss_limit_mb=2048 -timeout=10 \
            "$work" "$corpus" >"build-fuzz/$name.log" 2>&1; then
            pass=$((pass + 1))
            echo "fuzz $name: ok"
        else
            fail=$((fail + 1))
            echo "fuzz $name: FAILED (see build-fuzz/$name.log)"
            tail -n 30 "build-fuzz/$name.log"
        fi
        rm -rf "$work"
    done
fi

if [ "$skip" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
