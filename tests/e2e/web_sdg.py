"""web_sdg: the verdensmål (issue 10, sdg) against the real server: the yearly report of a
body in HTML (SVG chart, table, cases per goal) and CSV, for the public and for staff (a
closed case's goals and title never reach the public), the search filter verdensmål:N, the
JSON API's `sdg`, and the editor's goals fields with the body's default and the suggestions.

usage: web_sdg.py REFERAT EXAMPLES_DIR"""

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse

from web_common import (MARKER, Client, Ctx, Runner, Server, add_user, check, cleanup, eq,
                        make_archive, workdir)

OPEN = {"format": "referat-case/1", "title": "Klimaplan 2030", "public": True, "sdg": [13],
        "presentation": "Planen for kommunens klima og energi.", "has_table": True,
        "subitems": [{"time": None, "title": "Solceller på skolerne",
                      "text": "Tre skoler får solceller.", "guests": [], "sdg": [7, 9]}],
        "decisions": [{"body": "Direktionen", "date": "2024-05-01", "text": "Godkendt.",
                       "entries": []}]}
CLOSED = {"format": "referat-case/1", "title": "Grundkøb " + MARKER, "public": False,
          "public_title": "Lukket punkt om et grundkøb", "sdg": [13, 15],
          "presentation": "Hemmeligt " + MARKER,
          "decisions": [{"body": "Direktionen", "date": "2024-06-01", "text": "Godkendt.",
                         "entries": []}]}


def referat(ctx, *args):
    r = subprocess.run([ctx.referat] + list(args) + ["--db", ctx.db], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0, "referat %s: %s" % (" ".join(args), r.stderr))
    return r.stdout


def q(ctx, sql, args=()):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def case_id(ctx, title):
    return q(ctx, 'SELECT id FROM "case" WHERE title = ?', (title,))[0][0]


def test_report_public(ctx):
    st, h, body = ctx.srv.get("/organ/DIR/verdensmaal/2024")
    eq(st, 200, "report")
    text = body.decode()
    check(MARKER not in text and "grundkøb" not in text, "nothing of the closed case")
    check("<svg" in text and 'role="img"' in text, "an SVG chart")
    # Reads without colour: every bar's goal and count are text in the chart.
    svg = text[text.index("<svg"):text.index("</svg>")]
    check(">13 Klimaindsats</text>" in svg, "goal 13 labelled in the chart")
    check(re.search(r'fill="#3F7E44"[^>]*/><text[^>]*>1</text>', svg),
          "its bar carries its count")
    eq(svg.count("<text"), 34, "two texts per goal")
    check("Klimaplan 2030" in text, "the open case is listed")
    check(re.search(r"<th scope=\"row\">7 Bæredygtig energi</th><td>1</td><td>1</td>", text),
          "goal 7 (a sub-item's) has the case and its decision")
    check(re.search(r"<th scope=\"row\">15 Livet på land</th><td>0</td>", text),
          "goal 15 (only the closed case's) is 0 for the public")
    check("verdensm%C3%A5l%3A13" in text, "a link to the search by goal")
    st, _, body = ctx.srv.get("/organ/DIR/2024")
    check(st == 200 and b'href="/organ/DIR/verdensmaal/2024"' in body,
          "the body's year page links to its report")


def test_report_csv(ctx):
    st, h, body = ctx.srv.get("/organ/DIR/verdensmaal/2024.csv")
    eq(st, 200, "csv")
    check(h["content-type"].startswith("text/csv"), h["content-type"])
    rows = list(csv.reader(io.StringIO(body.decode())))
    eq(rows[0][:3], ["maal", "navn", "sager"], "header")
    eq(len(rows), 18, "a row per goal")
    eq(rows[9][:3], ["9", "Industri, innovation og infrastruktur", "1"], "quoted name")
    eq(rows[13][:4], ["13", "Klimaindsats", "1", "1"], "goal 13 for the public")
    eq(rows[15][2], "0", "goal 15 for the public")
    check(MARKER.encode() not in body, "nothing closed")


def test_report_staff(ctx):
    st, _, body = ctx.sek.get("/organ/DIR/verdensmaal/2024.csv")
    eq(st, 200, "staff csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    eq(rows[13][2], "2", "staff count the closed case under 13")
    eq(rows[15][2], "1", "and under 15")
    st, h, body = ctx.sek.get("/organ/DIR/verdensmaal/2024")
    check("no-store" in h.get("cache-control", "") or "private" in h.get("cache-control", ""),
          "staff page is not cached publicly: %r" % h.get("cache-control"))


def test_report_bad(ctx):
    for path in ("/organ/DIR/verdensmaal/20x4", "/organ/DIR/verdensmaal/2024.pdf",
                 "/organ/NOPE/verdensmaal/2024", "/organ/DIR/verdensmaal/0999"):
        st, _, body = ctx.srv.get(path)
        eq(st, 404, path)
        check(b"<h1>" in body, "an error page for " + path)
    st, _, body = ctx.srv.get("/organ/DIR/verdensmaal/2031")
    eq(st, 200, "a year without cases")
    check(b"0 sager med verdensm" in body, "says so")


def search(client, query, **kw):
    return client.get("/soeg?" + urllib.parse.urlencode(dict(q=query, **kw)))


def test_search_filter(ctx):
    st, _, body = search(ctx.srv, "verdensmål:13")
    eq(st, 200, "search by goal")
    text = body.decode()
    check("Klimaplan 2030" in text, "the open case")
    check(MARKER not in text and "grundkøb" not in text, "not the closed one")
    st, _, body = search(ctx.srv, "skoler verdensmaal:7")
    check(st == 200 and "Solceller" in body.decode(), "words and the ASCII spelling")
    st, _, body = search(ctx.srv, "verdensmål:4")
    check(st == 200 and "Klimaplan" not in body.decode(), "another goal finds nothing")
    st, _, body = search(ctx.sek, "verdensmål:15")
    check(st == 200 and "Grundkøb" in body.decode(), "staff find the closed case by its goal")
    st, _, body = search(ctx.srv, "verdensmål:18")
    eq(st, 400, "a goal that does not exist")
    check("fra 1 til 17, fx verdensmål:13" in body.decode(), "says what is expected")


def test_api(ctx):
    st, _, body = ctx.srv.get("/api/cases/%d" % ctx.open_id)
    eq(st, 200, "api")
    c = json.loads(body)["case"]
    eq(c["sdg"], [13], "case sdg")
    eq(c["subitems"][0]["sdg"], [7, 9], "sub-item sdg")
    st, _, body = ctx.srv.get("/api/cases/%d" % ctx.closed_id)
    eq(st, 200, "api closed")
    c = json.loads(body)["case"]
    eq(c["sdg"], [], "a closed case's goals stay closed (written, empty)")
    check(MARKER.encode() not in body, "nothing closed")


def form_post(client, url, form):
    st, _, body = client.get(url)
    m = re.search(rb'name="csrf" value="([0-9a-f]{64})"', body)
    return client.post(url, dict(form, csrf=m.group(1).decode()))


def test_editor(ctx):
    referat(ctx, "body", "settings", "DIR", "sdg.default=11, 17")
    url = "/arbejde/moede/%d/sag/ny" % ctx.meeting
    st, _, body = ctx.sek.get(url)
    eq(st, 200, "new case form")
    check(b'name="verdensmaal"' in body and b'value="11, 17"' in body, "the body's default")
    check(b'name="punkt[1].verdensmaal"' in body, "a goals field per row")
    base = {"titel": "Klimatilpasning", "adgang": "aaben", "punkter": "1",
            "sagsfremstilling": "Skybrud og oversvømmelse i midtbyen.",
            "punkt[1].titel": "Regnvandsbassin", "punkt[1].tekst": "Et bassin ved skolen.",
            "punkt[1].gaester": "0"}
    n = q(ctx, 'SELECT count(*) FROM "case"')[0][0]
    st, _, body = form_post(ctx.sek, url, dict(base, verdensmaal="7, 99",
                                               **{"punkt[1].verdensmaal": "x"}))
    eq(st, 400, "bad goals refused")
    text = body.decode()
    check(text.count("Skriv verdensmålenes numre fra 1 til 17") >= 2, "at both fields")
    eq(q(ctx, 'SELECT count(*) FROM "case"')[0][0], n, "nothing saved")
    # The suggestion from the text, beside the field, for what is not set yet.
    hints = re.findall(r"Forslag ud fra teksten: ([^<]*)", text)
    check(any("13 Klimaindsats" in h for h in hints), "the case's suggestion: %r" % hints)
    st, h, body = form_post(ctx.sek, url, dict(base, verdensmaal="13, 11",
                                               **{"punkt[1].verdensmaal": "6"}))
    eq(st, 303, "saved: %r" % body[:300])
    cid = q(ctx, 'SELECT max(id) FROM "case"')[0][0]
    eq(sorted(q(ctx, "SELECT subitem, goal FROM case_sdg WHERE case_id = ?", (cid,))),
       [(0, 11), (0, 13), (1, 6)], "stored")
    st, _, body = ctx.sek.get("/arbejde/sag/%d/rediger" % cid)
    check(st == 200 and b'value="11, 13"' in body and b'value="6"' in body, "shown again")
    st, _, body = search(ctx.sek, "verdensmål:6")
    check(st == 200 and "Regnvandsbassin" in body.decode(), "the save indexed its goals")
    out = referat(ctx, "export", str(cid), "--to", "json")
    eq(json.loads(out)["sdg"], [11, 13], "in the JSON export")


def test_setting_bad(ctx):
    r = subprocess.run([ctx.referat, "body", "settings", "DIR", "sdg.default=0, 3", "--db",
                        ctx.db], capture_output=True, text=True, timeout=60)
    check(r.returncode != 0 and "sdg.default" in r.stderr, "refused naming the key: %r"
          % r.stderr)


def main():
    ctx = Ctx()
    ctx.referat, examples = sys.argv[1], sys.argv[2]
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(ctx.referat, examples, ctx.dir)
        for name, doc in (("klima.json", OPEN), ("grund.json", CLOSED)):
            with open(os.path.join(ctx.dir, name), "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False)
            referat(ctx, "import", os.path.join(ctx.dir, name))
        ctx.open_id = case_id(ctx, OPEN["title"])
        ctx.closed_id = case_id(ctx, CLOSED["title"])
        add_user(ctx.referat, ctx.db, "sek", grants=[("DIR", "sekretaer")])
        out = referat(ctx, "meeting", "add", "DIR", "2026-12-16", "--start", "10:00", "--end",
                      "12:00")
        ctx.meeting = int(re.search(r"\d+", out).group(0))
        ctx.srv = Server(ctx.referat, ctx.db, ["--quiet"])
        ctx.sek = Client(ctx.srv)
        ctx.sek.login("sek")
        runner.run_all(globals(), ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
