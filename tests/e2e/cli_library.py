#!/usr/bin/env python3
"""cli_library: `referat library import|list|export` run as the real binary (issue 8): the
examples' library imports, lists and exports back to the same file; a second import changes
nothing; --replace deletes what the file lacks; bad files are refused whole with FILE:LINE:COL
at the value that is wrong; each change is a ledger event. Folder imports of examples/ skip
library files. Usage: cli_library.py REFERAT EXAMPLES. Ends with "N passed, N failed"."""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback

REFERAT, EXAMPLES = (os.path.abspath(p) for p in sys.argv[1:3])
LIBRARY = os.path.join(EXAMPLES, "library", "DIR.library.json")
WORK = tempfile.mkdtemp(prefix="referat-cli-library-")
ENV = dict(os.environ)
ENV.pop("REFERAT_DB", None)


def run(*args, db=None):
    cmd = [REFERAT] + list(args) + (["--db", db] if db else [])
    r = subprocess.run(cmd, capture_output=True, timeout=60, env=ENV, cwd=WORK)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def fresh(name):
    db = os.path.join(WORK, name)
    rc, _, err = run("body", "add", "DIR", "--name", "Direktionen", db=db)
    eq(rc, 0, err)
    return db


def write(name, text):
    p = os.path.join(WORK, name)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    return p


def events(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM ledger WHERE action LIKE 'library.%'").fetchone()[0]


def items(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT kind, pos, name FROM body_item ORDER BY kind, pos").fetchall()


def test_roundtrip():
    db = fresh("round.db")
    rc, out, err = run("library", "import", LIBRARY, db=db)
    eq(rc, 0, err)
    eq(out, "library DIR: 8 added, 0 changed, 0 unchanged, 0 deleted\n", "summary")
    eq(events(db), 8, "one event per item")
    rc, out, err = run("library", "list", "--body", "DIR", "--json", db=db)
    eq(rc, 0, err)
    got = json.loads(out)
    eq([i["kind"] for i in got], ["text"] * 3 + ["template"] * 2 + ["recurring"] * 3, "kinds")
    eq(got[5]["name"], "Godkendelse af dagsorden", "first recurring item")
    rc, exported, err = run("library", "export", "--body", "DIR", db=db)
    eq(rc, 0, err)
    with open(LIBRARY, encoding="utf-8") as f:
        eq(json.loads(exported), json.load(f), "export equals the file")
    # The library file keeps the templates' help (it is the library's own; cases never get it).
    check("Angiv udgifter og indtægter" in exported, "help kept in the library's file")
    rc, out, err = run("library", "import", LIBRARY, db=db)
    eq(out, "library DIR: 0 added, 0 changed, 8 unchanged, 0 deleted\n", "again: " + err)
    eq(events(db), 8, "nothing unchanged is an event")


def test_replace_and_change():
    db = fresh("replace.db")
    eq(run("library", "import", LIBRARY, db=db)[0], 0, "import")
    small = write("small.library.json", json.dumps({
        "format": "referat-library/1", "body": "DIR",
        "texts": [{"name": "Oplæg på 5 minutter", "text": ["Et nyt afsnit.", "Og et til."]}],
        "recurring": [{"name": "Eventuelt", "duration": 10},
                      {"name": "Godkendelse af dagsorden", "duration": 5, "public": True}]}))
    rc, out, err = run("library", "import", small, db=db)
    eq(rc, 0, err)
    eq(out, "library DIR: 0 added, 2 changed, 1 unchanged, 0 deleted\n", "merge")
    rc, out, err = run("library", "import", small, "--replace", db=db)
    eq(out, "library DIR: 0 added, 0 changed, 3 unchanged, 5 deleted\n", "replace: " + err)
    eq(items(db), [("recurring", 1, "Eventuelt"), ("recurring", 2, "Godkendelse af dagsorden"),
                   ("text", 1, "Oplæg på 5 minutter")], "the file's items in its order")
    rc, out, err = run("library", "export", "--body", "DIR", "--output",
                       os.path.join(WORK, "out.json"), db=db)
    eq(rc, 0, err)
    with open(os.path.join(WORK, "out.json"), encoding="utf-8") as f:
        eq(json.load(f)["texts"][0]["text"], ["Et nyt afsnit.", "Og et til."], "paragraphs")


def test_bad_files():
    db = fresh("bad.db")
    eq(run("library", "import", LIBRARY, db=db)[0], 0, "import")
    before = (events(db), items(db))
    cases = [
        # (text, expected stderr line start, exit)
        ('{"format": "referat-library/1",\n "texts": [{"name": "A", "text": "x"},\n'
         '  {"name": "", "text": ""}],\n "recurring": [{"name": "E", "duration": 0}]}\n',
         ["F:3:12: name: expected a name", "F:3:24: text: expected the text",
          "F:4:42: duration: expected 1..600 minutes"], 1),
        ('{"format": "referat-library/1",\n "templates": [{"name": "T", "sections": '
         '[{"name": "S", "field": "beslutning"}]}]}',
         ["F:2:66: sections[0].field: expected presentation"], 1),
        ('{"format": "referat-library/1",\n "texts": [{"name": "A", "tekst": "x"}]}',
         ['F:2:26: $.texts[0].tekst: unknown key "tekst"'], 1),
        ('{"format": "referat-library/2"}', ['F:1:12: $.format: expected'], 1),
        ('{"format": "referat-library/1", "body": "DIR", "texts": [{"name": "A", "text": "x"}, '
         '{"name": "A ", "text": "y"}]}', ["F:1:95: name: an earlier item"], 1),
        ('{"format": "referat-library/1", "texts": [\n{"name": "A"', ["F:2:12: "], 1),
        ('{"format": "referat-library/1", "texts": [{"name": "A", "text": 5}]}',
         ["F:1:65: $.texts[0].text: expected a string or an array"], 1),
        # A text that holds a template's help text (it would go into cases).
        ('{"format": "referat-library/1", "body": "DIR", "texts": [{"name": "T", "text": '
         '"Angiv udgifter i hele tusinde kroner."}],\n "templates": [{"name": "S", "sections": '
         '[{"name": "A", "help": "Angiv udgifter i hele tusinde kroner."}]}]}',
         ["F:2:65: sections[0].help: the library's text \"T\" holds this help text"], 1),
        ('{"format": "referat-library/1", "body": "XX", "texts": []}',
         ["no body with code 'XX'"], 1),
        ('{"format": "referat-library/1", "texts": []}', ["referat library import: say which"],
         2),
    ]
    for i, (text, want, code) in enumerate(cases):
        p = write("bad%d.json" % i, text)
        rc, out, err = run("library", "import", p, db=db)
        eq(rc, code, "exit of case %d: %s" % (i, err))
        lines = err.splitlines()
        for w in want:
            w = w.replace("F:", p + ":", 1)
            check(any(l.startswith(w) or w in l for l in lines), "case %d: want %r in %r"
                  % (i, w, err))
        eq(out, "", "nothing on stdout")
    eq((events(db), items(db)), before, "nothing written")
    rc, _, err = run("library", "list", db=db)
    eq(rc, 2, "list needs --body")
    rc, _, err = run("library", "list", "--body", "XX", db=db)
    eq(rc, 1, err)
    check("no body with code" in err, err)
    rc, _, err = run("library", "list", "--body", "DIR", "--kind", "bog", db=db)
    eq(rc, 2, err)


def test_recurring_items_on_a_new_meeting():
    """The library's recurring items, in its order, are a new meeting's first agenda items."""
    db = fresh("meeting.db")
    eq(run("library", "import", LIBRARY, db=db)[0], 0, "import")
    rc, out, err = run("meeting", "add", "DIR", "2027-01-05", "--start", "09:00", "--end",
                       "12:00", db=db)
    eq(rc, 0, err)
    mid = out.split(":")[0].split()[-1]
    rc, out, err = run("meeting", "show", mid, db=db)
    eq(rc, 0, err)
    titles = [re.match(r"\s+\d+\. case \d+  (.*?)  \[", l).group(1) for l in out.splitlines()
              if re.match(r"\s+\d+\. case ", l)]
    eq(titles, ["Godkendelse af dagsorden", "Gensidig orientering", "Eventuelt"], out)


def test_folder_import_skips_library():
    folder = os.path.join(WORK, "folder")
    os.makedirs(os.path.join(folder, "library"))
    shutil.copy(os.path.join(EXAMPLES, "01-digitaliseringsstrategi.md"), folder)
    shutil.copy(LIBRARY, os.path.join(folder, "library"))
    db = os.path.join(WORK, "folder.db")
    rc, out, err = run("import", folder, db=db)
    eq(rc, 0, err)
    eq(out, "imported 1, unchanged 0, updated 0, failed 0\n", "the library is no case")


tests = [test_roundtrip, test_replace_and_change, test_bad_files,
         test_recurring_items_on_a_new_meeting, test_folder_import_skips_library]
passed = failed = 0
for t in tests:
    try:
        t()
        passed += 1
    except Exception:
        failed += 1
        print("FAIL %s" % t.__name__, file=sys.stderr)
        traceback.print_exc()
shutil.rmtree(WORK, ignore_errors=True)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
