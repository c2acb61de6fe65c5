#!/usr/bin/env python3
"""store_kill: kills `referat import` with SIGKILL at seeded random moments, many times over,
and checks after each kill that the archive passes `db check` and that every document is
either fully there (its export is byte for byte the file it came from) or absent.
Usage: store_kill.py REFERAT EXAMPLES [RUNS] [SEED]. Ends with "N passed, N failed"."""

import glob
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
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 30
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 20231220
COPIES = 3


def make_corpus(folder):
    """COPIES renamed copies of every example, .md and .txt: each key gets a new case from its
    .md and an update from its .txt, so a kill can land in either."""
    src = sorted(f for f in glob.glob(os.path.join(EXAMPLES, "[0-9][0-9]-*"))
                 if f.endswith((".md", ".txt")))
    files = {}
    for i in range(COPIES):
        for f in src:
            name = "%d-%s" % (i, os.path.basename(f))
            with open(f, "rb") as fh:
                data = fh.read()
            with open(os.path.join(folder, name), "wb") as fh:
                fh.write(data)
            files[name] = data
    return files


def referat(*args, timeout=120):
    r = subprocess.run([REFERAT] + list(args), capture_output=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def verify(db, files):
    """Problems found in the archive after a kill (an empty list when all is well)."""
    problems = []
    if not os.path.exists(db):  # killed before the archive was created: every one absent
        return problems
    rc, out, err = referat("db", "check", "--db", db)
    if rc != 0:
        problems.append("db check: %s %s" % (out.decode(errors="replace"), err))
        return problems
    con = sqlite3.connect(db)
    rows = con.execute('SELECT c.key, s.format, s.bytes, s.packed FROM "case" c JOIN source s '
                       "ON s.case_id = c.id AND s.version = c.version").fetchall()
    con.close()
    for key, fmt, data, packed in rows:
        if packed:  # issue 11, storage: the bytes deflated (zlib)
            data = zlib.decompress(data)
        if files.get("%s.%s" % (key, fmt)) != data:
            problems.append("%s: stored source is not the %s file" % (key, fmt))
            continue
        rc, out, err = referat("export", key, "--to", fmt, "--db", db)
        if rc != 0 or out != data:
            problems.append("%s: export --to %s differs from the file (rc %d)" % (key, fmt, rc))
    return problems


def main():
    rnd = random.Random(SEED)
    work = tempfile.mkdtemp(prefix="referat-store-kill-")
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus)
    files = make_corpus(corpus)
    db = os.path.join(work, "kill.db")
    # How long one full import takes here, so the kills fall inside it.
    t0 = time.monotonic()
    rc, _, err = referat("import", "--quiet", "--db", os.path.join(work, "timing.db"), corpus)
    span = time.monotonic() - t0
    passed = failed = 0
    if rc != 0:
        print("timing import failed: %s" % err, file=sys.stderr)
        failed += 1
    killed = 0
    for run in range(RUNS):
        if run % 3 == 0:  # start over now and then, so most kills land in real work
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
        delay = rnd.uniform(0, span)
        p = subprocess.Popen([REFERAT, "import", "--quiet", "--db", db, corpus],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        problems = verify(db, files)
        if problems:
            failed += 1
            print("run %d (kill after %.3f s): %s" % (run, delay, "; ".join(problems[:5])),
                  file=sys.stderr)
        else:
            passed += 1
    # Finally an import that is let finish: everything is there, in its last version.
    rc, out, err = referat("import", "--quiet", "--db", db, corpus)
    con = sqlite3.connect(db)
    n = con.execute('SELECT count(*) FROM "case"').fetchone()[0]
    current = con.execute('SELECT count(*) FROM "case" c JOIN source s ON s.case_id = c.id '
                          "AND s.version = c.version WHERE s.format = 'txt'").fetchone()[0]
    con.close()
    if rc == 0 and n == len(files) // 2 and current == n and not verify(db, files):
        passed += 1
    else:
        failed += 1
        print("final import: rc %d, %d cases, %d current from .txt: %s" % (rc, n, current, err),
              file=sys.stderr)
    print("%d runs, %d killed mid-import (seed %d, import takes %.2f s)"
          % (RUNS, killed, SEED, span), file=sys.stderr)
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
