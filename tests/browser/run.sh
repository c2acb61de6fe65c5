#!/bin/sh
# run.sh: the browser tests (Playwright on /usr/bin/chromium, axe-core, html-validate).
# usage: run.sh [-t NAME] REFERAT EXAMPLES_DIR [SEED]
# NAME picks NAME.test.mjs: portal (the default, the public portal), staff (logins and the
# staff area) or agenda000 (case 000's agenda through the forms; one more argument: the seed).
# Installs the npm packages from package-lock.json on first use (never a browser). Without
# Debian's chromium or node the tests are skipped (exit 77), saying what to install.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=portal
if [ "${1:-}" = "-t" ]; then
    name=${2:?run.sh: -t needs a test name}
    shift 2
fi
if [ ! -f "$here/$name.test.mjs" ]; then
    echo "run.sh: no such browser test: $here/$name.test.mjs" >&2
    exit 2
fi
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
    echo "browser tests skipped: needs Debian packages chromium and nodejs (apt-get install -y chromium nodejs npm)"
    exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/html-validate" ] ||
   [ ! -d "$here/node_modules/axe-core" ]; then
    (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/$name.test.mjs" "$@"
