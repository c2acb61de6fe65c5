#!/usr/bin/env python3
"""store_cli: end-to-end tests of the archive commands (import, export, show, followups,
followup done, db) run as the real `referat` binary. Usage: store_cli.py REFERAT EXAMPLES SEEDS.
Ends with "N passed, N failed"."""

import glob
import json
import os
import pty
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback

# The schema version this referat writes (src/store/store_sqlite.c SCHEMA_VERSION).
SCHEMA = 12  # issue 10: step 9 (009_sdg.sql), step 10 (010_followup, ...); issue 11: step 11
# issue 11, storage: step 12 (012_storage.sql: packed sources, contentless search tables)

MARKER = "KANARIE-LUKKET-7Q2"
REFERAT, EXAMPLES, SEEDS = (os.path.abspath(p) for p in sys.argv[1:4])
WORK = tempfile.mkdtemp(prefix="referat-store-cli-")
ENV = dict(os.environ)
ENV.pop("REFERAT_DB", None)


def run(*args, db=None, env=None, timeout=60, input=None, cwd=None):
    cmd = [REFERAT] + list(args)
    if db:
        cmd[2:2] = ["--db", db]
    r = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env or ENV, input=input,
                       cwd=cwd or WORK)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def cases(folder):
    return sorted(f for f in glob.glob(os.path.join(folder, "*"))
                  if f.endswith((".md", ".txt")) and not os.path.basename(f).startswith("README"))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def dump(db):
    """The archive's content, row by row, independent of page layout."""
    con = sqlite3.connect(db)
    out = []
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                               "sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"):
        out.append((name, con.execute('SELECT * FROM "%s"' % name).fetchall()))
    con.close()
    return out


def fresh(name):
    db = os.path.join(WORK, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    return db


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


N_EXAMPLES = len(cases(EXAMPLES))
N_SEEDS = len(cases(SEEDS))
# The whole-meeting documents under examples/real-layouts (a folder import finds them too;
# their PDFs are made at build time, not kept there): one document each.
N_LAYOUTS = len([f for f in glob.glob(os.path.join(EXAMPLES, "real-layouts", "*"))
                 if f.endswith((".txt", ".html", ".pdf"))])


def test_import_twice():
    db = fresh("twice.db")
    rc, out, err = run("import", EXAMPLES, SEEDS, db=db)
    eq(rc, 0, "exit")
    # Each example exists as .md and .txt with one key: the second of each pair updates.
    pairs = N_EXAMPLES // 2
    eq(out.decode(), "imported %d, unchanged 0, updated %d, failed 0\n"
       % (pairs + N_SEEDS + N_LAYOUTS, pairs), "summary")
    eq(err, "", "stderr (not a terminal: no progress bar)")
    before = dump(db)
    rc, out, err = run("import", EXAMPLES, SEEDS, db=db)
    eq(rc, 0, "exit")
    eq(out.decode(), "imported 0, unchanged %d, updated 0, failed 0\n"
       % (N_EXAMPLES + N_SEEDS + N_LAYOUTS), "summary")
    eq(dump(db), before, "the archive after importing the same documents again")
    rc, out, _ = run("db", "check", db=db)
    eq((rc, out), (0, b"ok\n"), "db check")


def test_export_gives_bytes_back():
    db = fresh("export.db")
    files = cases(EXAMPLES) + cases(SEEDS)
    run("import", "--quiet", *files, db=db)
    latest = {}
    for f in files:  # imported in this order: the last file of a key is its current version
        latest[os.path.splitext(os.path.basename(f))[0]] = f
    for key, path in latest.items():
        data = read(path)
        rc, out, err = run("export", key, "--original", db=db)
        eq(rc, 0, "export --original " + key)
        check(out == data, "export --original %s gives the source bytes" % key)
        fmt = "md" if data.lstrip().startswith(b"##") else "txt"
        rc, out, err = run("export", key, "--to", fmt, db=db)
        check(rc == 0 and out == data, "export %s --to %s gives the source bytes" % (key, fmt))
    # Version 1 of a pair is the Markdown file.
    rc, out, _ = run("export", "01-digitaliseringsstrategi", "--to", "md", "--version", "1",
                     db=db)
    check(rc == 0 and out == read(os.path.join(EXAMPLES, "01-digitaliseringsstrategi.md")),
          "export --version 1 gives the first version's bytes")
    rc, out, _ = run("export", "01-digitaliseringsstrategi", "--to", "html", db=db)
    check(rc == 0 and out.startswith(b"<!DOCTYPE html>") and b'lang="da"' in out, "html")
    rc, out, err = run("export", "no-such-case", "--to", "md", db=db)
    eq(rc, 1, "unknown case")
    check("no case with id or key 'no-such-case'" in err, err)
    rc, _, err = run("export", "1", "--to", "docx", db=db)
    eq(rc, 2, "unknown format")
    check("docx" in err, "the error names the format: " + err)


def test_public_never_shows_closed():
    db = fresh("public.db")
    run("import", "--quiet", EXAMPLES, db=db)
    closed = "04-lukkede-personalepunkter"
    rc, out, err = run("export", closed, "--to", "html", "--public", db=db)
    eq(rc, 0, "public html of a closed case")
    check(MARKER.encode() not in out and b"Lukket sag" in out, "closed case, public html")
    for fmt in ("md", "txt", "json"):
        rc, out, err = run("export", closed, "--to", fmt, "--public", db=db)
        check(rc == 0 and MARKER.encode() not in out, "public " + fmt)
    rc, out, err = run("export", closed, "--original", "--public", db=db)
    eq(rc, 1, "public original of a closed case")
    check(out == b"" and MARKER not in err, "nothing closed in the refusal")
    rc, out, err = run("show", closed, "--public", db=db)
    check(rc == 0 and MARKER.encode() not in out and b"Lukket sag" in out, "show --public")
    rc, out, err = run("followups", "--public", "--json", db=db)
    check(rc == 0 and MARKER.encode() not in out, "followups --public")
    ids = {f["case"] for f in json.loads(out)}
    rc, out, _ = run("show", closed, db=db)
    case_id = int(out.split()[1])
    check(case_id not in ids, "a closed case's follow-ups are not public")
    rc, out, _ = run("export", closed, "--to", "md", db=db)
    check(rc == 0 and MARKER.encode() in out, "staff export holds the closed text")


def test_followups_cli():
    db = fresh("followups.db")
    seed_txt = [f for f in cases(SEEDS) if read(f).lstrip().startswith(b"Punkter")][0]
    copy = os.path.join(WORK, "møde.txt")
    shutil.copy(seed_txt, copy)
    rc, out, err = run("import", copy, db=db)
    eq(out.decode(), "imported 1, unchanged 0, updated 0, failed 0\n", "summary")
    rc, out, _ = run("followups", "--json", db=db)
    eq(rc, 0, "followups")
    all_ = json.loads(out)
    eq(len(all_), 9, "follow-ups of the text seed")
    rc, out, _ = run("followups", "--json", "--overdue", "--on", "2023-12-01", db=db)
    overdue = json.loads(out)
    eq([f["due"] for f in overdue], ["2023-11-08", "2023-11-08", "2023-11-29"], "overdue")
    rc, out, _ = run("followups", "--json", "--owner", "Ledelsessekretariatet", db=db)
    owned = json.loads(out)
    eq(len(owned), 2, "owned by Ledelsessekretariatet")
    target = owned[0]["id"]
    rc, out, err = run("followup", "done", str(target), "--by", "Anne Sekretær", db=db)
    eq((rc, out.decode()), (0, "follow-up %d done by Anne Sekretær\n" % target), "done")
    rc, out, _ = run("followup", "done", str(target), db=db)
    eq(out.decode(), "follow-up %d was already done\n" % target, "done twice")
    rc, out, err = run("followup", "done", "99999", db=db)
    check(rc == 1 and "no follow-up with id 99999" in err, err)
    rc, _, _ = run("followup", "done", "abc", db=db)
    eq(rc, 2, "bad id")
    # A changed document keeps the status of unchanged follow-ups.
    data = read(copy).replace("Det indstilles".encode(), "Det indstilles herved".encode(), 1)
    check(data != read(copy), "the edit applies")
    with open(copy, "wb") as f:
        f.write(data)
    rc, out, err = run("import", copy, db=db)
    eq(out.decode(), "imported 0, unchanged 0, updated 1, failed 0\n", "re-import")
    rc, out, _ = run("followups", "--done", "--json", db=db)
    done = json.loads(out)
    eq([(f["id"], f["done_by"]) for f in done], [(target, "Anne Sekretær")], "still done")
    rc, out, _ = run("followups", "--open", db=db)
    check(out.decode().endswith("8 follow-up(s)\n"), out.decode()[-200:])
    rc, out, _ = run("show", "møde", db=db)
    check(b"history:\n  v1 " in out and b"  v2 " in out and b"(current)" in out, "history")


def test_failures_do_not_stop_others():
    db = fresh("fail.db")
    bad = os.path.join(WORK, "bad")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "a-not-a-case.md"), "wb") as f:
        f.write(b"hello\nworld\n")
    with open(os.path.join(bad, "b-broken-utf8.md"), "wb") as f:
        f.write(read(cases(EXAMPLES)[0])[:200] + b"\xff\xfe more")
    shutil.copy(cases(EXAMPLES)[0], os.path.join(bad, "c-good.md"))
    rc, out, err = run("import", bad, db=db)
    eq(rc, 1, "exit with failures")
    eq(out.decode(), "imported 1, unchanged 0, updated 0, failed 2\n", "summary")
    lines = err.splitlines()
    check(any(l.startswith(os.path.join(bad, "a-not-a-case.md") + ":1:1: ") for l in lines),
          err)
    check(any(l.startswith(os.path.join(bad, "b-broken-utf8.md") + ":") and ":" in l
              and "UTF-8" in l for l in lines), err)
    rc, out, _ = run("db", "stats", db=db)
    check(b"cases 1\n" in out, out)
    rc, out, err = run("import", os.path.join(WORK, "does-not-exist.md"), db=db)
    check(rc == 1 and "does-not-exist.md" in err, err)


MAX_SUBITEMS = 2047  # CASE_MAX_SUBITEMS (src/model/case.h)


def with_rows(example, n):
    """The md example with its Tid/Punkt table replaced by n rows, and the line of row k
    (0-based) as row_line(k)."""
    text = read(example).decode()
    head, rest = text.split("Tid\tPunkt\n", 1)
    tail = rest[rest.index("\n\n"):]
    rows = "\n".join("\t<p>Punkt %d</p>" % k for k in range(n))
    first = head.count("\n") + 2
    return (head + "Tid\tPunkt\n" + rows + tail).encode(), lambda k: first + k


def test_d8_oversized_document_refused():
    """D8: a case with more sub-items than the archive holds is refused by every reader (check
    too) at the first sub-item past the limit, and one such document never stops an import."""
    folder = os.path.join(WORK, "d8")
    os.makedirs(folder, exist_ok=True)
    example = os.path.join(EXAMPLES, "07-uden-bilag.md")
    big, row_line = with_rows(example, MAX_SUBITEMS + 1)
    with open(os.path.join(folder, "b-oversized.md"), "wb") as f:
        f.write(big)
    # The same through JSON: convert a case at the limit, then add one sub-item.
    at_limit, _ = with_rows(example, MAX_SUBITEMS)
    with open(os.path.join(WORK, "d8-limit.md"), "wb") as f:
        f.write(at_limit)
    rc, out, err = run("convert", os.path.join(WORK, "d8-limit.md"), "--to", "json")
    eq(rc, 0, "convert at the limit: " + err)
    doc = json.loads(out)
    doc.pop("layout", None)
    doc["subitems"].append({"time": None, "title": "Punkt for meget", "text": None})
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    at = text.rindex("{", 0, text.index("Punkt for meget"))
    json_pos = "%d:%d" % (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
    with open(os.path.join(folder, "d-oversized.json"), "w") as f:
        f.write(text)
    for name, src in (("a-good.md", cases(EXAMPLES)[0]), ("c-good.txt", cases(EXAMPLES)[1]),
                      ("e-at-limit.md", os.path.join(WORK, "d8-limit.md"))):
        shutil.copy(src, os.path.join(folder, name))

    md = os.path.join(folder, "b-oversized.md")
    md_pos = "%s:%d:1: " % (md, row_line(MAX_SUBITEMS))
    rc, out, err = run("check", md)
    eq(rc, 1, "check refuses")
    check(err.startswith(md_pos) and "at most %d sub-items" % MAX_SUBITEMS in err, err)
    rc, _, err = run("check", os.path.join(folder, "d-oversized.json"))
    eq(rc, 1, "check refuses the JSON")
    check(err.startswith(os.path.join(folder, "d-oversized.json") + ":" + json_pos + ": ") and
          "at most %d sub-items" % MAX_SUBITEMS in err and "$.subitems[%d]" % MAX_SUBITEMS in err, err)

    db = fresh("d8.db")
    rc, out, err = run("import", folder, db=db)
    eq(rc, 1, "exit with failures")
    eq(out.decode(), "imported 3, unchanged 0, updated 0, failed 2\n", "summary: " + err)
    check("stopped" not in err, err)
    lines = err.splitlines()
    check(any(l.startswith(md_pos) and str(MAX_SUBITEMS) in l for l in lines), err)
    check(any(l.startswith(os.path.join(folder, "d-oversized.json") + ":" + json_pos + ": ")
              for l in lines), err)
    rc, out, _ = run("db", "stats", db=db)
    check(b"cases 3\n" in out, out)
    # The case at the limit is in the archive whole, and searchable by its last sub-item.
    rc, out, err = run("search", '"Punkt %d"' % (MAX_SUBITEMS - 1), "--json", db=db)
    eq(rc, 0, "search: " + err)
    hits = json.loads(out)["hits"]
    eq([h["subitem"] for h in hits], [MAX_SUBITEMS], "the last sub-item is indexed")


def test_d12_convert_roundtrip():
    """D12: convert never writes md or txt that check refuses: JSON the line formats cannot
    carry is refused when read (JSON path and position, the value not repeated), and what
    they can carry is written so that it reads back."""
    folder = os.path.join(WORK, "d12")
    os.makedirs(folder, exist_ok=True)
    rc, out, err = run("convert", cases(EXAMPLES)[0], "--to", "json")
    eq(rc, 0, err)
    base = json.loads(out)
    base.pop("layout", None)

    def write(name, doc):
        path = os.path.join(folder, name)
        with open(path, "w") as f:
            f.write(json.dumps(doc, ensure_ascii=False, indent=2))
        return path

    bad_doc = json.loads(json.dumps(base))
    bad_doc["attachments"][0]["document"] = MARKER
    bad_title = json.loads(json.dumps(base))
    bad_title["title"] = "Punkter\ntil behandling"
    for path, where in ((write("document.json", bad_doc), "$.attachments[0].document"),
                        (write("title.json", bad_title), "$.title")):
        for to in ("md", "txt"):
            target = path + "." + to
            rc, out, err = run("convert", path, "--to", to, "-o", target)
            eq(rc, 1, "convert refuses " + path)
            check(err.startswith(path + ":") and where in err and MARKER not in err, err)
            check(not os.path.exists(target), "nothing written")
    # Odd but carriable: no route, no Indstilling, rows without has_table, blank padding.
    odd = json.loads(json.dumps(base))
    odd.update(route=[], recommendation=None, has_table=False, title=odd["title"] + "  ",
               presentation="Første linje  \n\n\n\nAnden linje")
    odd["subitems"][0]["text"] = ""
    odd["decisions"][0]["entries"][0]["title"] = ""
    path = write("odd.json", odd)
    for to in ("md", "txt"):
        target = path + "." + to
        rc, out, err = run("convert", path, "--to", to, "-o", target)
        eq(rc, 0, err)
        rc, out, err = run("check", target)
        eq(rc, 0, "check " + target + ": " + err)
        check(b"sagsgang:\n" in out and b"punkter: %d\n" % len(odd["subitems"]) in out, out)
    # Every example, through JSON to both line formats, reads back.
    for src in cases(EXAMPLES):
        rc, out, err = run("convert", src, "--to", "json", "-o", os.path.join(folder, "x.json"))
        eq(rc, 0, err)
        for to in ("md", "txt"):
            target = os.path.join(folder, "x." + to)
            rc, _, err = run("convert", os.path.join(folder, "x.json"), "--to", to, "-o", target)
            eq(rc, 0, err)
            rc, _, err = run("check", target)
            eq(rc, 0, "%s via json to %s: %s" % (src, to, err))


def test_import_dot_folder():
    """`referat import .` imports the documents of the current folder ("./x.md" is no
    hidden file)."""
    folder = os.path.join(WORK, "dot")
    os.makedirs(folder, exist_ok=True)
    shutil.copy(cases(EXAMPLES)[0], os.path.join(folder, "a.md"))
    db = fresh("dot.db")
    rc, out, err = run("import", ".", db=db, cwd=folder)
    eq((rc, out.decode()), (0, "imported 1, unchanged 0, updated 0, failed 0\n"), err)


def test_database_errors():
    missing = os.path.join(WORK, "nowhere.db")
    rc, out, err = run("show", "1", db=missing)
    check(rc == 1 and "no archive here" in err and not os.path.exists(missing), err)
    rc, out, err = run("followups", db=missing)
    check(rc == 1 and "no archive here" in err, err)
    # Corrupt: not a database at all, then a database with a damaged page.
    garbage = os.path.join(WORK, "garbage.db")
    with open(garbage, "wb") as f:
        f.write(b"x" * 8192)
    before = read(garbage)
    rc, out, err = run("import", cases(EXAMPLES)[0], db=garbage)
    check(rc == 1 and "corrupt or not a referat archive" in err, err)
    eq(read(garbage), before, "a corrupt file is left as it was")
    db = fresh("damaged.db")
    run("import", "--quiet", EXAMPLES, db=db)
    run("db", "check", db=db)  # checkpoints the WAL into the file
    with open(db, "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\x0d" + b"\xee" * 3000)
    rc, out, err = run("db", "check", db=db)
    eq(rc, 1, "db check of a damaged archive")
    check(b"problem" in out or "corrupt" in err, (out, err))
    # Locked: another process holds the write lock past the busy timeout.
    db = fresh("locked.db")
    run("import", "--quiet", cases(EXAMPLES)[0], db=db)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    env = dict(ENV, REFERAT_BUSY_MS="100")
    rc, out, err = run("import", cases(SEEDS)[0], db=db, env=env)
    check(rc == 1 and "locked by another process" in err, err)
    rc, out, err = run("followup", "done", "1", db=db, env=env)
    check(rc == 1 and "locked" in err, err)
    con.execute("ROLLBACK")
    con.close()
    rc, out, err = run("import", cases(SEEDS)[0], db=db)
    eq((rc, out.decode()), (0, "imported 1, unchanged 0, updated 0, failed 0\n"), "after")
    # A newer schema is refused, not downgraded.
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 42")
    con.close()
    rc, out, err = run("show", "1", db=db)
    check(rc == 1 and "newer than this referat knows" in err, err)


def test_db_commands_and_env():
    db = fresh("env.db")
    env = dict(ENV, REFERAT_DB=db)
    rc, out, err = run("db", "migrate", env=env)
    eq((rc, out.decode()), (0, "schema version 0 -> %d\n" % SCHEMA), "migrate a new archive")
    rc, out, err = run("db", "migrate", env=env)
    eq(out.decode(), "schema version %d: up to date\n" % SCHEMA, "migrate again")
    rc, out, err = run("import", "--quiet", cases(SEEDS)[0], env=env)
    eq(rc, 0, "import via REFERAT_DB")
    rc, out, err = run("db", "stats", env=env)
    check(rc == 0 and b"cases 1\n" in out and (b"schema %d\n" % SCHEMA) in out, out)
    # Without --db or REFERAT_DB: referat.db in the current folder.
    here = os.path.join(WORK, "referat.db")
    rc, out, err = run("import", "--quiet", cases(SEEDS)[0])
    check(rc == 0 and os.path.exists(here), "referat.db in the current folder")


def test_progress_bar_on_a_terminal():
    db = fresh("tty.db")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(WORK)
        # stdout to a file, stderr stays on the terminal
        out = os.open(os.path.join(WORK, "tty.out"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.execv(REFERAT, [REFERAT, "import", "--db", db, EXAMPLES])
    data = b""
    while True:
        r, _, _ = select.select([fd], [], [], 30)
        if not r:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    _, status = os.waitpid(pid, 0)
    eq(os.WEXITSTATUS(status), 0, "exit")
    check(b"\r" in data and b"[#" in data and b"/%d " % (N_EXAMPLES + N_LAYOUTS) in data,
          data[:300])
    check(read(os.path.join(WORK, "tty.out")).startswith(b"imported "), "summary on stdout")


def as_nobody():
    """The command prefix that runs referat as an unprivileged user (permissions mean nothing
    to root), or None when that is not possible here."""
    if os.getuid() != 0:
        return []
    if not shutil.which("setpriv"):
        return None
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def readonly_archive(name):
    """An archive of four examples in a folder nobody may read but not write, and the prefix
    to run as nobody; None when it cannot be set up."""
    prefix = as_nobody()
    if prefix is None:
        print("skip: running as root without setpriv; read-only archives not tested")
        return None
    folder = os.path.join(WORK, name)
    os.makedirs(folder)
    db = os.path.join(folder, "ro.db")
    rc, _, err = run("import", "--quiet", *sorted(glob.glob(os.path.join(EXAMPLES, "0[1-4]*.md"))),
                     db=db)
    check(rc == 0, err)
    for p in (WORK, folder):
        os.chmod(p, 0o755)
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    return db, prefix


def run_as(prefix, *args, db):
    r = subprocess.run(prefix + [REFERAT] + list(args) + ["--db", db], capture_output=True,
                       timeout=60, env=ENV, cwd="/")
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def test_d9_readonly_check():
    """D9 (issue 13): `db check` on a read-only archive failed with "... (not an error)". It
    checks what it can and says what it could not."""
    got = readonly_archive("d9")
    if not got:
        return
    db, prefix = got
    rc, out, err = run_as(prefix, "db", "check", db=db)
    check(rc == 0 and out == b"ok\n", "db check on a read-only archive: %r %r" % (out, err))
    check("not an error" not in err and "read-only" in err and "not run" in err,
          "says what it did not check: %r" % err)


def test_d10_readonly_folder():
    """D10 (issue 13): an archive in a read-only folder (WAL needs its -shm) could not be read
    by show, search, export, db check or serve."""
    got = readonly_archive("d10")
    if not got:
        return
    db, prefix = got
    for args in [("show", "1"), ("search", "budget"), ("export", "1", "--to", "md"),
                 ("followups",), ("db", "stats")]:
        rc, out, err = run_as(prefix, *args, db=db)
        check(rc == 0 and out, "%s on read-only media: %d %r" % (" ".join(args), rc, err))
    p = subprocess.Popen(prefix + [REFERAT, "serve", "--read-only", "--db", db, "--listen",
                                   "127.0.0.1:0", "--quiet"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, cwd="/")
    try:
        line = p.stdout.readline()
        port = int(re.search(r":(\d+)/", line).group(1))
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/sag/1")
        r = c.getresponse()
        body = r.read()
        check(r.status == 200 and b"<h1" in body, "serve --read-only: %d" % r.status)
        c.close()
    finally:
        p.terminate()
        p.wait(timeout=30)
    # Changes not yet checkpointed cannot be read without the folder: a clear message.
    folder = os.path.dirname(db)
    os.chmod(folder, 0o755)
    with open(db + "-wal", "wb") as f:
        f.write(b"x" * 100)
    os.chmod(folder, 0o555)
    rc, out, err = run_as(prefix, "show", "1", db=db)
    check(rc == 1 and "-wal" in err and "not yet written" in err, "pending -wal: %r" % err)


def test_d11_lock_is_not_a_problem():
    """D11 (issue 13): a lock held by another process made `db check` report "1 problem(s)".
    It waits its busy timeout, then says the archive is locked; nothing is a problem."""
    db = fresh("d11.db")
    rc, _, err = run("import", "--quiet", *cases(EXAMPLES)[:2], db=db)
    check(rc == 0, err)
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        env = dict(ENV, REFERAT_BUSY_MS="200")
        rc, out, err = run("db", "check", db=db, env=env)
        check(rc == 1 and b"problem" not in out and "locked" in err and "try again" in err,
              "a lock: %d %r %r" % (rc, out, err))
    finally:
        con.execute("ROLLBACK")
        con.close()
    rc, out, err = run("db", "check", db=db)
    check(rc == 0 and out == b"ok\n", "after the lock: %r" % out)


def test_meeting_documents():
    """Issue 12: a whole-meeting document is a meeting and one case per item; a cut-off one is
    refused strictly and stored with its warnings by `import --lenient`; the document's bytes
    come back with `export --meeting ID --original`, to the public only when nothing in it is
    closed."""
    db = fresh("meetings.db")
    layouts = os.path.join(EXAMPLES, "real-layouts")
    doc = os.path.join(layouts, "05-indholdsfortegnelse.txt")
    rc, out, err = run("import", doc, db=db)
    eq((rc, out.decode()), (0, "imported 1, unchanged 0, updated 0, failed 0\n"), err)
    rc, out, err = run("export", "--meeting", "1", "--original", db=db)
    eq((rc, out), (0, read(doc)), "the document back byte for byte: " + err)
    rc, out, err = run("export", "--meeting", "1", "--original", "--public", db=db)
    check(rc == 1 and "closed" in err and MARKER not in out.decode() + err, err)
    rc, out, err = run("export", "05-indholdsfortegnelse-pkt-3", "--to", "json", "--public", db=db)
    check(rc == 0 and MARKER.encode() not in out, out)
    # A section, a case number and a guest only the document gives are found by search.
    rc, _, err = run("import", "--quiet", os.path.join(layouts, "04-skraastreg-dato.txt"), db=db)
    check(rc == 0, err)
    for q in ["høringssvar", '"16/2211-14"', "Mette Bro"]:
        rc, out, err = run("search", q, db=db)
        check(rc == 0 and "Skoledistrikter fra skoleåret 2017/18" in out.decode()
              and "1-1 af 1" in out.decode(), "search %s: %r %s" % (q, out, err))
    cut = os.path.join(WORK, "afbrudt.txt")
    with open(cut, "wb") as f:
        f.write("Referat\nByrådet\nTirsdag den 5. marts 2024\n\n1. Godkendelse af dagsorden\n\n"
                "Beslutning\nGodkendt.\n\n2. Skolestruktur\n\nSagsfremstilling\n"
                "Tre skoler i Vestbyen lægges sammen til én skole\n".encode())
    rc, out, err = run("import", cut, db=db)
    check(rc == 1 and "afbrudt.txt:13:1: expected the last item" in err, err)
    eq(out.decode(), "imported 0, unchanged 0, updated 0, failed 1\n", "strict")
    rc, out, err = run("import", "--lenient", cut, db=db)
    eq((rc, out.decode()), (0, "imported 1, unchanged 0, updated 0, failed 0\n"), err)
    check("læst med forbehold" in err and "13:1: warning:" in err, err)
    con = sqlite3.connect(db)
    marked = con.execute("SELECT count(DISTINCT case_id) FROM case_caveat").fetchone()[0]
    con.close()
    eq(marked, 2, "both cases of the lenient document are marked")


TESTS = [test_meeting_documents, test_import_twice, test_export_gives_bytes_back,
         test_public_never_shows_closed,
         test_followups_cli, test_failures_do_not_stop_others, test_database_errors,
         test_db_commands_and_env, test_progress_bar_on_a_terminal,
         test_d8_oversized_document_refused, test_d12_convert_roundtrip, test_import_dot_folder,
         test_d9_readonly_check, test_d10_readonly_folder, test_d11_lock_is_not_a_problem]


def main():
    passed = failed = 0
    for t in TESTS:
        try:
            t()
            passed += 1
        except Exception:
            failed += 1
            print("FAIL %s" % t.__name__, file=sys.stderr)
            traceback.print_exc()
    if not failed:
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
