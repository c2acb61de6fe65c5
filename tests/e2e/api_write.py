"""api_write: the write API (/api/v1, docs/api.md) against the real server: a case-management
(ESDH) integration plans a meeting, writes the reference case 001 onto its agenda, reads it
back, saves a change against a stale version, moves it through its workflow and releases the
agenda; every bad input gets a 4xx with a JSON error naming the field, and changes nothing.
The case written through the API exports (`referat export --to md`) to what the seed reads as,
without its decision.

usage: api_write.py REFERAT EXAMPLES_DIR SEED_001"""

import json
import os
import sqlite3
import subprocess
import sys

from web_common import (Ctx, Runner, Server, add_user, check, cleanup, eq, make_archive,
                        raw_status, workdir)


def run(ctx, *args, input=None):
    r = subprocess.run([ctx.referat] + list(args), capture_output=True, text=True,
                       timeout=60, input=input)
    return r.returncode, r.stdout, r.stderr


def api(ctx, method, path, doc=None, who="dir-sekretaer", raw=None, ctype="application/json"):
    """(status, parsed JSON or None, headers) of one API call as `who` (None: no token)."""
    h = {}
    if who:
        h["Authorization"] = "Bearer " + ctx.tokens[who]
    body = raw if raw is not None else (json.dumps(doc).encode() if doc is not None else None)
    if body is not None and ctype:
        h["Content-Type"] = ctype
    st, hd, data = ctx.srv.get(path, method, h, body)
    check(hd.get("content-type", "").startswith("application/json"),
          "%s %s answers JSON: %r" % (method, path, hd.get("content-type")))
    return st, json.loads(data) if data else None, hd


def ledger_count(ctx):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute("SELECT count(*) FROM ledger").fetchone()[0]
    finally:
        con.close()


def seed_model(ctx, drop_decision):
    """The seed's model as JSON (docs/json.md); without its decision for an agenda."""
    rc, out, err = run(ctx, "convert", ctx.seed, "--to", "json")
    check(rc == 0, "convert seed: " + err)
    doc = json.loads(out)
    doc.pop("layout", None)
    if drop_decision:
        doc["decisions"] = []
    return doc


def test_meeting_is_planned(ctx):
    before = ledger_count(ctx)
    st, doc, h = api(ctx, "POST", "/api/v1/meetings", {
        "body": "DIR", "date": "2023-11-01", "start": "10.30", "end": "12:00",
        "place": "Mødelokale 1, Rådhuset"})
    eq(st, 201, "created")
    ctx.meeting = doc["id"]
    eq(h.get("location"), "/api/v1/meetings/%d" % ctx.meeting, "Location")
    st, m, _ = api(ctx, "GET", "/api/v1/meetings/%d" % ctx.meeting)
    eq(st, 200, "read back")
    eq((m["body"], m["date"], m["start"], m["end"], m["place"], m["state"]),
       ("DIR", "2023-11-01", "10:30", "12:00", "Mødelokale 1, Rådhuset", "planlagt"), "meeting")
    eq(m["cases"], [], "an empty agenda")
    eq(ledger_count(ctx), before + 1, "one ledger event")


def test_meeting_bad_input(ctx):
    before = ledger_count(ctx)
    cases = [
        ({"body": "DIR", "date": "2023-02-30"}, 400, "$.date"),
        ({"body": "DIR", "date": "1. november 2023"}, 400, "$.date"),
        ({"body": "DIR", "date": "2023-11-01", "start": "25:00"}, 400, "$.start"),
        ({"body": "DIR", "date": "2023-11-01", "start": "10:61"}, 400, "$.start"),
        ({"body": "DIR", "date": "2023-11-01", "start": "12:00", "end": "11:00"}, 400, "$.end"),
        ({"body": "DIR", "date": "2023-11-01", "place": 7}, 400, "$.place"),
        ({"date": "2023-11-01"}, 400, "$.body"),
        ({"body": "XYZ", "date": "2023-11-01"}, 404, "$.body"),
    ]
    for doc, want, field in cases:
        st, err, _ = api(ctx, "POST", "/api/v1/meetings", doc)
        eq(st, want, "status for %r" % doc)
        eq(err["error"].get("field"), field, "field for %r" % doc)
        check(err["error"]["message"], "a message")
    # A body the token's account has no role on: refused by the store (no sekretær there).
    st, err, _ = api(ctx, "POST", "/api/v1/meetings", {"body": "ØK", "date": "2023-11-01"})
    check(st in (403, 404), "another body's meeting: %d" % st)
    st, err, _ = api(ctx, "POST", "/api/v1/meetings", raw=b'{"body": "DIR",\n "date": }')
    eq(st, 400, "JSON syntax")
    eq((err["error"]["line"], err["error"]["column"]), (2, 10), "where the syntax error is")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings", raw=b'{"body": "DIR", "body": "DIR"}')
    eq(st, 400, "a duplicate member")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings", raw=b'[]')
    eq((st, err["error"]["field"]), (400, "$"), "not an object")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings", raw=b'body=DIR',
                     ctype="application/x-www-form-urlencoded")
    eq(st, 415, "a form is not JSON")
    # Too large: refused from the head, before a byte of the body is read.
    resp = ctx.srv.raw(b"POST /api/v1/meetings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Authorization: Bearer " + ctx.tokens["dir-sekretaer"].encode() +
                       b"\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 900000000\r\n\r\n{")
    eq(raw_status(resp), 413, "too large")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings", {"body": "DIR", "date": "2023-11-01"},
                     who=None)
    eq(st, 401, "no token")
    eq(ledger_count(ctx), before, "nothing written")


def test_case_is_written_onto_the_agenda(ctx):
    before = ledger_count(ctx)
    doc = seed_model(ctx, drop_decision=True)
    st, out, h = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, doc)
    eq(st, 201, "created: %r" % out)
    ctx.case, ctx.version = out["id"], out["version"]
    eq(h.get("location"), "/api/v1/cases/%d" % ctx.case, "Location")
    eq(ledger_count(ctx), before + 1, "one ledger event")
    st, got, _ = api(ctx, "GET", "/api/v1/cases/%d" % ctx.case)
    eq(st, 200, "read back")
    eq(got["version"], ctx.version, "version")
    eq(got["body"], "DIR", "body")
    eq(got["case"]["title"], doc["title"], "title")
    eq(len(got["case"]["subitems"]), len(doc["subitems"]), "sub-items")
    eq(len(got["case"]["attachments"]), 4, "bilag")
    st, m, _ = api(ctx, "GET", "/api/v1/meetings/%d" % ctx.meeting)
    eq([c["id"] for c in m["cases"]], [ctx.case], "on the meeting's agenda")
    # Exported as the seed looks before a decision (md and txt), and read back into the same
    # model.
    for fmt in ("md", "txt"):
        path = os.path.join(ctx.dir, "001." + fmt)
        rc, _, err = run(ctx, "export", str(ctx.case), "--to", fmt, "--db", ctx.db, "-o", path)
        check(rc == 0, "export: " + err)
        text = open(path, encoding="utf-8").read()
        check("Beslutning" not in text, "no Beslutning section before a decision")
        rc, out, err = run(ctx, "convert", path, "--to", "json")
        check(rc == 0, "convert the %s export: %s" % (fmt, err))
        back = json.loads(out)
        back.pop("layout", None)
        for k in ("format", "title", "public", "route", "presentation", "intro", "subitems",
                  "recommendation", "attachments"):
            eq(back.get(k), doc.get(k), "the %s export's %s" % (fmt, k))
        eq(back.get("decisions") or [], [], "no decision")


def test_case_bad_input(ctx):
    before = ledger_count(ctx)
    doc = seed_model(ctx, drop_decision=True)
    bad = dict(doc, title="")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, bad)
    eq(st, 400, "an empty title: %r" % err)
    eq(err["error"]["field"], "$.title", "field")
    bad = json.loads(json.dumps(doc))
    bad["subitems"][1]["time"] = "10.75"
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, bad)
    eq(st, 400, "a time that does not exist: %r" % err)
    check(err["error"]["field"].startswith("$.subitems[1]"), "field %r" % err["error"]["field"])
    # The meeting is 10.30-12.00: a sub-item at 9.00 or at 12.00 lies outside it.
    for t in ("09.00", "12:00"):
        bad = json.loads(json.dumps(doc))
        bad["subitems"][0]["time"] = t
        st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, bad)
        eq((st, err["error"]["field"]), (400, "$.subitems[0].time"), "a sub-item at " + t)
    bad = json.loads(json.dumps(doc))
    bad["subitems"][2]["guests"] = [{"name": "Tonny Olsen", "role": "Chef",
                                     "email": "tonny@@norddjurs"}]
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, bad)
    eq((st, err["error"]["field"]), (400, "$.subitems[2].guests[0].email"), "a bad e-mail")
    check("e-mail" in err["error"]["detail"], "said in Danish: %r" % err)
    bad = dict(doc, public=False)
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, bad)
    eq((st, err["error"]["field"]), (400, "$.public_title"), "a closed case's public title")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, {"title": 7})
    eq(st, 400, "not a case")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/999999/cases", doc)
    eq(st, 404, "no such meeting")
    # Someone of another body does not learn the meeting exists.
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, doc,
                     who="oek-sekretaer")
    eq(st, 404, "another body")
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % ctx.meeting, doc,
                     who="dir-medlem")
    eq(st, 404, "a member does not write")
    eq(ledger_count(ctx), before, "nothing written")


def test_stale_save_is_a_conflict(ctx):
    st, got, _ = api(ctx, "GET", "/api/v1/cases/%d" % ctx.case)
    v = got["version"]
    c = got["case"]
    c["recommendation"] = "Det indstilles, at punkterne drøftes."
    st, out, _ = api(ctx, "PUT", "/api/v1/cases/%d" % ctx.case, {"version": v, "case": c})
    eq(st, 200, "saved: %r" % out)
    eq(out["version"], v + 1, "a new version")
    eq(out["case"]["recommendation"], c["recommendation"], "the change")
    before = ledger_count(ctx)
    c["recommendation"] = "Et andet forslag."
    st, err, _ = api(ctx, "PUT", "/api/v1/cases/%d" % ctx.case, {"version": v, "case": c})
    eq(st, 409, "stale")
    st, now, _ = api(ctx, "GET", "/api/v1/cases/%d" % ctx.case)
    eq((now["version"], now["case"]["recommendation"]),
       (v + 1, "Det indstilles, at punkterne drøftes."), "nothing changed")
    eq(ledger_count(ctx), before, "no event")
    for body, field in [({"case": c}, "$.version"), ({"version": "2", "case": c}, "$.version"),
                        ({"version": v + 1}, "$.case")]:
        st, err, _ = api(ctx, "PUT", "/api/v1/cases/%d" % ctx.case, body)
        eq((st, err["error"]["field"]), (400, field), "bad PUT %r" % list(body))
    st, err, _ = api(ctx, "PUT", "/api/v1/cases/%d" % ctx.case, {"version": v + 1, "case": c},
                     who="oek-sekretaer")
    eq(st, 404, "another body's case")


def test_workflow_and_release(ctx):
    st, got, _ = api(ctx, "GET", "/api/v1/cases/%d" % ctx.case)
    v, state = got["version"], got["state"]
    st, err, _ = api(ctx, "POST", "/api/v1/cases/%d/actions/flyv" % ctx.case, {"version": v})
    eq(st, 404, "an action that does not exist")
    st, err, _ = api(ctx, "POST", "/api/v1/cases/%d/actions/indsend" % ctx.case, {})
    eq((st, err["error"]["field"]), (400, "$.version"), "the version is required")
    if state == "kladde":
        st, out, _ = api(ctx, "POST", "/api/v1/cases/%d/actions/indsend" % ctx.case,
                         {"version": v})
        eq((st, out["state"]), (200, "til_godkendelse"), "submitted: %r" % out)
        st, err, _ = api(ctx, "POST", "/api/v1/cases/%d/actions/indsend" % ctx.case,
                         {"version": out["version"]})
        eq(st, 409, "a transition the table does not allow")
        check("indsend" in json.dumps(err, ensure_ascii=False), "the message names it")
        st, out, _ = api(ctx, "POST", "/api/v1/cases/%d/actions/godkend" % ctx.case,
                         {"version": out["version"]}, who="dir-godkender")
        eq((st, out["state"]), (200, "godkendt"), "approved: %r" % out)
        st, out, _ = api(ctx, "POST", "/api/v1/cases/%d/actions/optag" % ctx.case,
                         {"version": out["version"]})
        eq((st, out["state"]), (200, "paa_dagsorden"), "on the agenda: %r" % out)
    st, m, _ = api(ctx, "GET", "/api/v1/meetings/%d" % ctx.meeting)
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/actions/frigiv" % ctx.meeting,
                     {"version": m["version"]}, who="dir-medlem")
    check(st in (403, 409), "a member does not release: %d" % st)
    st, out, _ = api(ctx, "POST", "/api/v1/meetings/%d/actions/frigiv" % ctx.meeting,
                     {"version": m["version"]})
    eq((st, out["state"]), (200, "dagsorden_frigivet"), "released: %r" % out)
    st, err, _ = api(ctx, "POST", "/api/v1/meetings/%d/actions/frigiv" % ctx.meeting,
                     {"version": m["version"]})
    eq(st, 409, "stale or not allowed twice")
    # The ledger names the token's account for every step.
    con = sqlite3.connect(ctx.db)
    rows = con.execute("SELECT DISTINCT a.login FROM ledger l JOIN account a "
                       "ON a.id = l.actor_id WHERE l.object IN (?, ?)",
                       ("case:%d" % ctx.case, "meeting:%d" % ctx.meeting)).fetchall()
    con.close()
    check({r[0] for r in rows} <= {"dir-sekretaer", "dir-godkender"} and rows,
          "the actors: %r" % rows)


def put_file(ctx, number, data, version, who="dir-sekretaer", extra=""):
    h = {"Authorization": "Bearer " + ctx.tokens[who], "Content-Type": "application/pdf"}
    q = "?version=%s" % version if version is not None else "?"
    st, hd, body = ctx.srv.get("/api/v1/cases/%d/attachments/%s%s%s" % (ctx.case, number, q,
                                                                     extra), "PUT", h, data)
    check(hd.get("content-type", "").startswith("application/json"), "JSON: %r" % body[:200])
    return st, json.loads(body)


def test_attachment_files(ctx):
    """PUT /api/v1/cases/ID/attachments/N: the file of a bilag the case lists; its type from
    the content; the open one downloadable on the portal once the agenda is released, the
    closed one never."""
    st, got, _ = api(ctx, "GET", "/api/v1/cases/%d" % ctx.case)
    v = got["version"]
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    before = ledger_count(ctx)
    for args, want in [((1, b"<html><script>alert(1)</script></html>", v), 415),
                       ((1, pdf, v - 1), 409), ((9, pdf, v), 404), (("1x", pdf, v), 404),
                       ((1, pdf, None), 400), ((1, b"", v), 400)]:
        st, err = put_file(ctx, *args)
        eq(st, want, "PUT bilag %r: %r" % (args[0], err))
    st, err = put_file(ctx, 1, pdf, v, who="dir-medlem")
    eq(st, 404, "a member does not write")
    eq(ledger_count(ctx), before, "nothing written")
    st, out = put_file(ctx, 1, pdf, v, extra="&filename=kursus.pdf")
    eq((st, out["version"]), (200, v + 1), "stored: %r" % out)
    secret = pdf + b"% KANARIE-LUKKET-7Q2\n"
    st, out = put_file(ctx, 3, secret, v + 1)
    eq(st, 200, "the closed one: %r" % out)
    eq(ledger_count(ctx), before + 2, "an event each")
    st, h, body = ctx.srv.get("/sag/%d/bilag/1" % ctx.case)
    eq((st, body), (200, pdf), "the open bilag of a released agenda on the portal")
    st, h, body = ctx.srv.get("/sag/%d/bilag/3" % ctx.case)
    st9, h9, body9 = ctx.srv.get("/sag/%d/bilag/9" % ctx.case)
    check(st == st9 == 404 and b"KANARIE" not in body, "the closed one never: %d" % st)
    # Above the site's limit (1 MB here): refused before it is stored.
    rc, _, err = run(ctx, "config", "set", "attachment.max_mb", "1", "--db", ctx.db)
    check(rc == 0, "config set: " + err)
    big = pdf + b"0" * ((1 << 20) + 1 - len(pdf))  # one byte above: the store says so
    st, err = put_file(ctx, 2, big, v + 2)
    eq(st, 413, "too big: %r" % err)
    check("MB" in err["error"]["detail"], "the limit named: %r" % err)

    def head_only(token, length):
        return raw_status(ctx.srv.raw(
            b"PUT /api/v1/cases/%d/attachments/2?version=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer %s\r\nContent-Type: application/pdf\r\n"
            b"Content-Length: %d\r\n\r\n%%PDF" % (ctx.case, v + 2, token.encode(), length)))
    # Far above: refused from the head, before a byte is read; without a valid token the
    # server takes no more than the form limit (1 MB) whatever the bilag limit says.
    eq(head_only(ctx.tokens["dir-sekretaer"], 5 << 20), 413, "refused from the head")
    rc, _, err = run(ctx, "config", "unset", "attachment.max_mb", "--db", ctx.db)
    eq(head_only(ctx.tokens["dir-sekretaer"], 5 << 20) != 413, True, "50 MB by default")
    eq(head_only("rft_" + "0" * 40, 5 << 20), 413, "a bad token reads no file")


def test_closed_case_view(ctx):
    """The staff view shows a closed case to its body; the public API never does."""
    doc = seed_model(ctx, drop_decision=True)
    doc["public"] = False
    doc["title"] = "Personalesag KANARIE-LUKKET-7Q2"
    doc["public_title"] = "Personalesag"
    st, m, _ = api(ctx, "POST", "/api/v1/meetings", {"body": "DIR", "date": "2023-12-06"})
    st, out, _ = api(ctx, "POST", "/api/v1/meetings/%d/cases" % m["id"], doc)
    eq(st, 201, "closed case: %r" % out)
    st, got, _ = api(ctx, "GET", "/api/v1/cases/%d" % out["id"], who="dir-medlem")
    eq((st, got["case"]["title"]), (200, doc["title"]), "the body's member reads it")
    st, hd, body = ctx.srv.get("/api/cases/%d" % out["id"])
    check(b"KANARIE" not in body, "the public API does not show it")


def test_staff_meetings_upcoming_and_past(ctx):
    """/arbejde/moeder lists a body's upcoming meetings (soonest first) apart from its past
    ones (newest first)."""
    from web_common import Client
    for date in ("2099-03-01", "2099-01-15"):
        st, m, _ = api(ctx, "POST", "/api/v1/meetings", {"body": "DIR", "date": date})
        eq(st, 201, "planned " + date)
    sec = Client(ctx.srv)
    sec.login("dir-sekretaer")
    st, _, body = sec.get("/arbejde/moeder")
    page = body.decode()
    up, past = page.find("Kommende møder"), page.find("Afholdte møder")
    check(st == 200 and 0 < up < past, "both sections, upcoming first: %d %d" % (up, past))
    jan, mar = page.find("15. januar 2099"), page.find("1. marts 2099")
    nov, dec = page.find("1. november 2023"), page.find("6. december 2023")
    check(up < jan < mar < past, "upcoming soonest first")
    check(past < dec < nov, "past newest first")


def main():
    referat, examples, seed = sys.argv[1:4]
    ctx = Ctx()
    ctx.referat, ctx.seed = referat, seed
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        ctx.tokens = {}
        for login, grants in [("dir-sekretaer", [("DIR", "sekretaer")]),
                              ("dir-godkender", [("DIR", "godkender")]),
                              ("dir-medlem", [("DIR", "medlem")]),
                              ("oek-sekretaer", [("ØK", "sekretaer")])]:
            add_user(referat, ctx.db, login, grants=grants)
            rc, out, err = run(ctx, "token", "add", login, "--db", ctx.db)
            check(rc == 0, "token add: " + err)
            ctx.tokens[login] = out.strip()
        ctx.srv = Server(referat, ctx.db, ["--quiet"])
        runner.run_all(globals(), ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
