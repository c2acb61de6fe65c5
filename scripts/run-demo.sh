#!/usr/bin/env bash
# run-demo.sh REFERAT: the main job on the embedded default: import examples/ into a fresh demo
# SQLite archive, make demo accounts (one per role on Direktionen, a member of
# Økonomiudvalget, an administrator) and a planned meeting, and serve it on 127.0.0.1 (PORT,
# default 8080) until Ctrl-C. DEMO_DIR (default demo/) is where the archive goes.
set -eu
referat=$1
root=$(cd "$(dirname "$0")/.." && pwd)
demo=${DEMO_DIR:-$root/demo}
mkdir -p "$demo"
rm -f "$demo/demo.db" "$demo/demo.db-wal" "$demo/demo.db-shm"
export REFERAT_DB="$demo/demo.db"
"$referat" import "$root"/examples/[0-9]*.md
# The body library (issue 8, library): Direktionen's standard texts, templates, recurring items.
"$referat" library import "$root"/examples/library/DIR.library.json

# Demo accounts: LOGIN NAME BODY ROLE. The passwords are fixed and printed below: a demo only.
accounts=(
    "admin|Demo Administrator|-|admin"
    "sekretaer|Demo Sekretær|DIR|sekretaer"
    "sagsbehandler|Demo Sagsbehandler|DIR|sagsbehandler"
    "godkender|Demo Godkender|DIR|godkender"
    "medlem|Demo Medlem af Direktionen|DIR|medlem"
    "medlem-oek|Demo Medlem af Økonomiudvalget|ØK|medlem"
)
password() { printf 'demo-kodeord-%s' "$1"; }
for a in "${accounts[@]}"; do
    IFS='|' read -r login name body role <<<"$a"
    if [ "$role" = admin ]; then
        password "$login" | "$referat" user add "$login" --name "$name" --admin \
            --password-stdin >/dev/null
    else
        password "$login" | "$referat" user add "$login" --name "$name" --password-stdin \
            >/dev/null
        "$referat" user grant "$login" "$body" "$role" >/dev/null
    fi
done
# A meeting of Direktionen two weeks from now, planned (not yet public).
when=$(date -d '+14 days' +%F)
"$referat" meeting add DIR "$when" --start 09:00 --end 11:00 --place "Mødelokale 1"
# ---- issue 10, followups: a unit whose name is an owner's in the examples, with the demo
# sagsbehandler in it ("Mine opfølgninger"), and a planned meeting of Økonomiudvalget that
# Direktionen's sekretær can forward a follow-up to ----
"$referat" unit add Ledelsessekretariatet >/dev/null
"$referat" unit member Ledelsessekretariatet sagsbehandler >/dev/null
"$referat" meeting add ØK "$(date -d '+21 days' +%F)" --start 13:00 --end 15:00 >/dev/null
# ---- end issue 10, followups ----

port=${PORT:-8080}
echo
echo "Demo-konti (kun til demo; adgangskoderne står her i klartekst):"
printf '  %-14s %-26s %s\n' LOGIN ADGANGSKODE ROLLE
for a in "${accounts[@]}"; do
    IFS='|' read -r login name body role <<<"$a"
    if [ "$role" = admin ]; then what="administrator"; else what="$role på $body"; fi
    printf '  %-14s %-26s %s\n' "$login" "$(password "$login")" "$what"
done
echo
echo "referat: åbn http://127.0.0.1:$port/ i en browser (Ctrl-C stopper)"
exec "$referat" serve --db "$demo/demo.db" --listen "127.0.0.1:$port"
