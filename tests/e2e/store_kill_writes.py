#!/usr/bin/env python3
"""store_kill_writes: kills the workspace's writes (`referat case save`, `user grant`,
`meeting add`) with SIGKILL at seeded random moments and checks after each kill that the
archive passes `db check` and `audit verify`, that each write is all there or not at all
(with its ledger event), and that every case's current version reads back whole.
Usage: store_kill_writes.py REFERAT EXAMPLES [RUNS] [SEED]. Ends with "N passed, N failed"."""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import zlib
import tempfile
import time

REFERAT, EXAMPLES = (os.path.abspath(p) for p in sys.argv[1:3])
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 21
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 20250114
ENV = dict(os.environ, USER="killer")
ENV.pop("REFERAT_DB", None)
ROLES = ["sekretaer", "sagsbehandler", "godkender", "medlem"]


def referat(*args, input=None, timeout=60):
    r = subprocess.run([REFERAT] + list(args), capture_output=True, timeout=timeout,
                       input=input, env=ENV)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def query(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def setup(work):
    db = os.path.join(work, "kill.db")
    rc, _, err = referat("import", "--quiet", "--db", db, EXAMPLES)
    assert rc == 0, err
    rc, _, err = referat("user", "add", "sara", "--name", "Sara", "--password-stdin", "--db", db,
                         input=b"et-langt-kodeord-1\n")
    assert rc == 0, err
    rc, out, err = referat("meeting", "add", "DIR", "2025-01-15", "--db", db)
    assert rc == 0, err
    meeting = out.split()[1].rstrip(b":").decode()
    rc, out, err = referat("case", "new", "--meeting", meeting, "--db", db,
                           os.path.join(EXAMPLES, "06-dagsorden-uden-beslutning.md"))
    assert rc == 0, err
    case = out.split()[1].decode()
    return db, case


def case_file(work, db, case, run):
    """The case's current model with a new title and one sub-item more, as a JSON file."""
    rc, out, err = referat("export", case, "--to", "json", "--db", db)
    assert rc == 0, err
    doc = json.loads(out)
    doc["title"] = "Punkter til behandling, udgave %d" % run
    doc.setdefault("subitems", []).append({"title": "Tilføjet punkt %d" % run})
    path = os.path.join(work, "case-%d.json" % run)
    with open(path, "w") as f:
        json.dump(doc, f, ensure_ascii=False)
    return path


def command(kind, work, db, case, run):
    """The write of this run, and how to tell it got through (a query and its value)."""
    if kind == "case save":
        version = query(db, 'SELECT version FROM "case" WHERE id = ?', case)[0][0]
        path = case_file(work, db, case, run)
        return (["case", "save", case, "--version", str(version), path],
                ('SELECT version FROM "case" WHERE id = %s' % case, version + 1))
    if kind == "user grant":
        body = ["DIR", "ØK", "KB"][run % 3]
        role = ROLES[run % 4]
        held = query(db, "SELECT count(*) FROM account_role r JOIN body b ON b.id = r.body_id "
                         "WHERE b.code = ? AND r.role = ?", body, role)[0][0]
        verb = "revoke" if held else "grant"
        return (["user", verb, "sara", body, role],
                ("SELECT count(*) FROM account_role r JOIN body b ON b.id = r.body_id "
                 "WHERE b.code = '%s' AND r.role = '%s'" % (body, role), 1 - held))
    n = query(db, "SELECT count(*) FROM meeting WHERE authored")[0][0]
    return (["meeting", "add", "DIR", "2025-%02d-%02d" % (2 + run % 10, 1 + run % 27),
             "--place", "Lokale %d" % run],
            ("SELECT count(*) FROM meeting WHERE authored", n + 1))


def verify(db, before_events, done_sql, done_value):
    problems = []
    rc, out, err = referat("db", "check", "--db", db)
    if rc != 0:
        problems.append("db check: %s %s" % (out.decode(errors="replace"), err))
    rc, out, err = referat("audit", "verify", "--db", db)
    if rc != 0 or not out.startswith(b"ok\n"):
        problems.append("audit verify: %s %s" % (out.decode(errors="replace"), err))
    events = query(db, "SELECT count(*) FROM ledger")[0][0]
    done = query(db, done_sql)[0][0] == done_value
    # All or nothing, together with its event.
    if events != before_events + (1 if done else 0):
        problems.append("%d events after, %d before, write %s" % (events, before_events,
                                                                   "done" if done else "not done"))
    # Every case's current version reads back whole.
    rows = query(db, 'SELECT c.id, c.authored, s.format, s.bytes, s.packed FROM "case" c '
                     "JOIN source s ON s.case_id = c.id AND s.version = c.version")
    if len(rows) != query(db, 'SELECT count(*) FROM "case"')[0][0]:
        problems.append("a case without its current source")
    for cid, authored, fmt, data, packed in rows:
        if packed:  # issue 11, storage: the bytes deflated (zlib)
            data = zlib.decompress(data)
        rc, out, err = referat("export", str(cid), "--to", fmt, "--db", db)
        if rc != 0:
            problems.append("case %d: export failed: %s" % (cid, err))
        elif authored and json.loads(out) != json.loads(data):
            problems.append("case %d: the model is not its saved version" % cid)
        elif not authored and out != data:
            problems.append("case %d: export differs from its source" % cid)
    return problems, done


def main():
    rnd = random.Random(SEED)
    work = tempfile.mkdtemp(prefix="referat-kill-writes-")
    db, case = setup(work)
    kinds = ["case save", "user grant", "meeting add"]
    # How long each write takes here, so that the kills fall inside it.
    spans = {}
    for k, kind in enumerate(kinds):
        args, _ = command(kind, work, db, case, 1000 + k)
        t0 = time.monotonic()
        rc, _, err = referat(*args, "--db", db)
        spans[kind] = time.monotonic() - t0
        assert rc == 0, "%s: %s" % (kind, err)
    passed = failed = killed = done_count = 0
    for run in range(RUNS):
        kind = kinds[run % len(kinds)]
        args, (done_sql, done_value) = command(kind, work, db, case, run)
        before = query(db, "SELECT count(*) FROM ledger")[0][0]
        # Up to half again the measured span, so some writes finish before their kill even
        # when this machine is slower now than when it measured (the check below needs both).
        delay = rnd.uniform(0, 1.5 * spans[kind])
        p = subprocess.Popen([REFERAT] + args + ["--db", db], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=ENV)
        time.sleep(delay)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        problems, done = verify(db, before, done_sql, done_value)
        done_count += done
        if problems:
            failed += 1
            print("run %d (%s, kill after %.3f s): %s" % (run, kind, delay,
                                                          "; ".join(problems[:5])),
                  file=sys.stderr)
        else:
            passed += 1
    print("%d runs, %d killed mid-write, %d writes got through (seed %d; %s)"
          % (RUNS, killed, done_count, SEED,
             ", ".join("%s %.3f s" % kv for kv in spans.items())), file=sys.stderr)
    # The kills must have landed both before and after commits, or the test proved little.
    if not (0 < done_count < RUNS and killed > 0):
        failed += 1
        print("the kills did not fall inside the writes", file=sys.stderr)
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
