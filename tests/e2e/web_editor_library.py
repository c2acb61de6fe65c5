"""web_editor_library: the body's library in the case editor (issue 8) against the real
server: a new case prefilled from a template, its help text shown beside the fields but never
in a field's value, the saved model or any export, and a standard text inserted with one
button that saves nothing.

usage: web_editor_library.py REFERAT EXAMPLES_DIR"""

import html
import json
import os
import re
import sqlite3
import subprocess
import sys

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq,
                        make_archive, workdir)
from web_editor import form_of, post


def referat(ctx, *args):
    r = subprocess.run([ctx.referat] + list(args) + ["--db", ctx.db], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0, "referat %s: %s" % (" ".join(args), r.stderr))
    return r.stdout


def counts(ctx):
    con = sqlite3.connect(ctx.db)
    try:
        return tuple(con.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                     for t in ('"case"', "source", "ledger"))
    finally:
        con.close()


def paragraphs(t):
    return "\n\n".join(t) if isinstance(t, list) else t


def help_lines(ctx):
    """Every line of every help text of the body's templates (as the library file has them)."""
    out = []
    for t in ctx.lib["templates"]:
        for s in t["sections"]:
            h = s.get("help")
            for p in (h if isinstance(h, list) else [h] if h else []):
                out += [line for line in p.split("\n") if len(line) >= 10]
    return out


def template_id(ctx, name):
    return next(i["id"] for i in ctx.items if i["kind"] == "template" and i["name"] == name)


def text_id(ctx, name):
    return next(i["id"] for i in ctx.items if i["kind"] == "text" and i["name"] == name)


def new_url(ctx):
    return "/arbejde/moede/%d/sag/ny" % ctx.m


def test_templates_offered(ctx):
    st, _, body = ctx.sec.get(new_url(ctx))
    check(st == 200, "new case: %d" % st)
    page = body.decode()
    for t in ctx.lib["templates"]:
        check(">%s</option>" % html.escape(t["name"], quote=False) in page,
              "template offered: " + t["name"])
    check('<form method="get" action="%s"' % new_url(ctx) in page, "a plain GET form")
    check('name="skabelon"' in page and 'type="hidden" name="skabelon"' not in page,
          "no template chosen yet")


def test_template_prefill(ctx):
    tid = template_id(ctx, "Punkter til behandling")
    st, _, body = ctx.sec.get(new_url(ctx) + "?skabelon=%d" % tid)
    check(st == 200, "prefilled: %d" % st)
    f = form_of(body)
    tpl = next(t for t in ctx.lib["templates"] if t["name"] == "Punkter til behandling")
    by = {s["field"]: s for s in tpl["sections"]}
    eq(f["titel"], tpl["title"], "the template's title")
    eq(f["indledning"], paragraphs(by["intro"]["text"]), "intro prefilled")
    eq(f["indstilling"], paragraphs(by["recommendation"]["text"]), "Indstilling prefilled")
    eq(f["sagsfremstilling"], "", "no prefilled presentation")
    eq(f["skabelon"], str(tid), "the template travels in the form")
    page = html.unescape(body.decode())
    for s in tpl["sections"]:
        for p in (s["help"] if isinstance(s["help"], list) else [s["help"]]):
            check(p in page, "help shown: %s" % p[:40])
    for k, v in f.items():
        for line in help_lines(ctx):
            check(line not in v, "help in no field's value (%s)" % k)
    # another template: its sections of their own have their help shown too
    tid2 = template_id(ctx, "Sag til politisk behandling")
    st, _, body = ctx.sec.get(new_url(ctx) + "?skabelon=%d" % tid2)
    page = html.unescape(body.decode())
    check(st == 200 and "Skabelonens afsnit Økonomi: Angiv udgifter" in page,
          "a section's own help shown")
    st, _, body = ctx.sec.get(new_url(ctx) + "?skabelon=999999")
    check(st == 200 and "Skabelonen findes ikke" in body.decode() and
          'type="hidden" name="skabelon"' not in body.decode(), "an unknown template: %d" % st)


def test_help_never_saved(ctx):
    tid = template_id(ctx, "Punkter til behandling")
    _, _, body = ctx.sec.get(new_url(ctx) + "?skabelon=%d" % tid)
    f = form_of(body)
    f.update({"sagsfremstilling": "Direktionen drøfter tre emner.",
              "punkt[1].titel": "Budget 2028", "punkt[1].start": "10.30",
              "punkt[1].minutter": "15"})
    # a row more first: the form comes back with the help still beside the fields
    st, _, body = post(ctx.sec, new_url(ctx), dict(f, tilfoej="punkt"))
    page = html.unescape(body.decode())
    check(st == 200 and "Skriv kort, hvorfor punkterne er på dagsordenen" in page,
          "help kept on a re-render: %d" % st)
    before = counts(ctx)
    st, h, body = post(ctx.sec, new_url(ctx), form_of(body))
    check(st == 303, "saved: %d %r" % (st, body[-500:]))
    check(counts(ctx) != before, "something was written")
    cid = int(re.search(r"/sag/(\d+)", h["location"]).group(1))
    model = json.loads(referat(ctx, "export", str(cid), "--to", "json"))
    model = model.get("case", model)
    eq(model["intro"], "Direktionen har følgende punkter til behandling:", "prefill saved")
    eq(model["title"], "Punkter til behandling", "title saved")
    outs = {to: referat(ctx, "export", str(cid), "--to", to) for to in ("md", "txt", "json",
                                                                         "html")}
    # every table but the library's own (cases, sources, versions, the ledger, the index)
    con = sqlite3.connect(ctx.db)
    try:
        stored = []
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                "name NOT LIKE 'body_item%'").fetchall():
            try:
                rows = con.execute('SELECT * FROM "%s"' % t).fetchall()
            except sqlite3.OperationalError:  # the full-text index: its shadow tables count
                continue
            for row in rows:
                stored += [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                           for v in row]
    finally:
        con.close()
    stored = "\n".join(stored)
    outs["stored"] = stored
    _, _, staff = ctx.sec.get("/arbejde/sag/%d" % cid)
    outs["staff page"] = html.unescape(staff.decode())
    for line in help_lines(ctx):
        for what, text in outs.items():
            check(line not in text and " ".join(line.split()) not in " ".join(text.split()),
                  "help not in %s: %s" % (what, line[:40]))


def test_standard_text_insert(ctx):
    tid = text_id(ctx, "Verdensmål")
    txt = next(t for t in ctx.lib["texts"] if t["name"] == "Verdensmål")
    want = paragraphs(txt["text"])
    _, _, body = ctx.sec.get(new_url(ctx))
    check(b'name="standardtekst-sagsfremstilling"' in body and
          b'name="punkt[1].standardtekst"' in body and "Indsæt standardtekst".encode() in body,
          "a select and a button at the paragraph fields")
    f = {"titel": "Verdensmål i praksis", "adgang": "aaben", "punkter": "2",
         "sagsfremstilling": "Første afsnit.", "punkt[1].gaester": "1",
         "punkt[2].gaester": "1", "punkt[2].titel": "", "indstilling": "",
         "standardtekst-sagsfremstilling": str(tid), "indsaet": "sagsfremstilling"}
    before = counts(ctx)
    st, _, body = post(ctx.sec, new_url(ctx), f)
    check(st == 200, "inserted: %d" % st)
    g = form_of(body)
    eq(g["sagsfremstilling"], "Første afsnit.\n\n" + want, "appended as paragraphs")
    eq(counts(ctx), before, "nothing saved")
    # into a sub-item's text, the second row when the first is blank (rows renumber)
    g.update({"punkt[2].standardtekst": str(text_id(ctx, "Oplæg på 5 minutter")),
              "indsaet": "punkt-2"})
    st, _, body = post(ctx.sec, new_url(ctx), g)
    h = form_of(body)
    five = paragraphs(next(t for t in ctx.lib["texts"]
                           if t["name"] == "Oplæg på 5 minutter")["text"])
    eq(h.get("punkt[1].tekst"), five, "into the sub-item's text")
    eq(counts(ctx), before, "nothing saved")
    # no text chosen: said so, nothing changed
    h["indsaet"] = "indstilling"
    h["standardtekst-indstilling"] = ""
    st, _, body = post(ctx.sec, new_url(ctx), h)
    check(st == 200 and "Vælg en standardtekst" in body.decode() and
          form_of(body)["indstilling"] == "", "no text chosen")
    # a text of no body's list is not inserted
    h["standardtekst-indstilling"] = "999999"
    st, _, body = post(ctx.sec, new_url(ctx), h)
    check(form_of(body)["indstilling"] == "", "an unknown text is not inserted")
    h.pop("indsaet")
    h["punkt[1].titel"] = "Oplæg"
    st, hd, body = post(ctx.sec, new_url(ctx), h)
    check(st == 303, "then saved: %d %r" % (st, body[-400:]))
    cid = int(re.search(r"/sag/(\d+)", hd["location"]).group(1))
    md = referat(ctx, "export", str(cid), "--to", "md")
    check(want.split("\n\n")[1] in md and five in md, "the texts are in the export")


def test_edit_has_texts(ctx):
    """The edit form offers the standard texts too (no templates: those start a case)."""
    st, h, _ = post(ctx.sec, new_url(ctx), {"titel": "Til redigering", "adgang": "aaben",
                                             "punkter": "0"})
    check(st == 303, "made: %d" % st)
    cid = int(re.search(r"/sag/(\d+)", h["location"]).group(1))
    st, _, body = ctx.sec.get("/arbejde/sag/%d/rediger" % cid)
    check(st == 200 and b'name="standardtekst-indstilling"' in body and
          b'name="skabelon"' not in body, "edit: texts, no templates")
    f = form_of(body)
    f.update({"standardtekst-indstilling": str(text_id(ctx, "Inddragelse af MED-organisationen")),
              "indsaet": "indstilling"})
    st, _, body = post(ctx.sec, "/arbejde/sag/%d/rediger" % cid, f)
    check(st == 200 and "Hoved-MED-udvalget" in form_of(body)["indstilling"], "inserted")


def test_script_served_and_allowed_only_where_loaded(ctx):
    """/static/referat.js is the embedded file's exact bytes; the editor loads it from a file
    under a policy with script-src 'self' (no inline script); other pages allow no script."""
    st, h, body = ctx.srv.get("/static/referat.js")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "src", "web", "static", "referat.js"), "rb") as f:
        check(st == 200 and body == f.read(), "the script served: %d" % st)
    check(h["content-type"].startswith("text/javascript"), h["content-type"])
    st, h, body = ctx.sec.get(new_url(ctx))
    csp = h["content-security-policy"]
    check("script-src 'self'" in csp and "unsafe" not in csp and "default-src 'none'" in csp,
          "the editor's policy: " + csp)
    check(b'<script src="/static/referat.js" defer></script>' in body, "the script element")
    check(not re.search(rb"<script(?![^>]*\bsrc=)", body), "no inline script")
    plan = re.search(rb'<fieldset class="timetable" data-from="([^"]*)" data-end="([^"]*)">',
                     body)
    check(plan and plan.group(2) == b"12.00", "the plan's times for the script: %r"
          % (plan and plan.group(0)))
    for path in ("/", "/soeg?q=budget"):
        st, h, body = ctx.srv.get(path)
        check("script-src" not in h["content-security-policy"] and b"<script" not in body,
              path + " allows and loads no script")
    st, h, body = ctx.sec.get("/arbejde")
    check("script-src" not in h["content-security-policy"], "nor the staff overview")


def meeting_version(ctx, mid):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute("SELECT version FROM meeting WHERE id = ?", (mid,)).fetchone()[0]
    finally:
        con.close()


def test_release_guard_finds_a_help_line(ctx):
    """One line of a template's help pasted into a case's open text blocks the release, naming
    the case and the place (the guard uses the library's rule: any line of 10 characters or
    more, not only the whole help text)."""
    out = referat(ctx, "meeting", "add", "DIR", "2027-03-03", "--start", "10:30", "--end",
                  "12:00", "--place", "Mødelokale 1")
    mid = int(re.search(r"\d+", out).group(0))
    url = "/arbejde/moede/%d/sag/ny" % mid
    line = "Brug standardteksten om oplæg på 5 minutter, når punkterne er oplæg."
    check(line in help_lines(ctx), "the line is one of the template's help lines")
    st, h, body = post(ctx.sec, url, {
        "titel": "Oplæg om budget", "adgang": "aaben", "punkter": "1",
        "punkt[1].titel": "Budget", "punkt[1].gaester": "1",
        "punkt[1].tekst": "Indledende ord.\n\n" + line})
    check(st == 303, "saved: %d %r" % (st, body[-300:]))
    cid = int(re.search(r"/sag/(\d+)", h["location"]).group(1))
    form = {"handling": "frigiv_dagsorden", "version": str(meeting_version(ctx, mid))}
    st, _, body = post(ctx.sec, "/arbejde/moede/%d/handling" % mid, form)
    text = html.unescape(body.decode())
    check(st == 409 and "hjælpetekst" in text and "sag %d" % cid in text and
          "Punkt 1, tekst, linje 3, kolonne 1" in text, "refused, naming case and place: %d %s"
          % (st, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[-600:]))
    check(line not in text, "the help is not shown in the refusal")
    con = sqlite3.connect(ctx.db)
    try:
        check(con.execute("SELECT published FROM meeting WHERE id = ?", (mid,)).fetchone()[0]
              == 0, "nothing released")
    finally:
        con.close()


def test_server_exits_clean(ctx):
    rc = ctx.srv.stop()
    log = "".join(ctx.srv.log)
    check(rc == 0 and "Sanitizer" not in log and "runtime error" not in log,
          "server exit %r: %s" % (rc, log[-3000:]))


def main():
    ctx = Ctx()
    ctx.referat, examples = sys.argv[1], sys.argv[2]
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(ctx.referat, examples, ctx.dir)
        lib = os.path.join(examples, "library", "DIR.library.json")
        with open(lib, encoding="utf-8") as f:
            ctx.lib = json.load(f)
        referat(ctx, "library", "import", lib)
        ctx.items = json.loads(referat(ctx, "library", "list", "--body", "DIR", "--json"))
        if isinstance(ctx.items, dict):
            ctx.items = ctx.items.get("items", [])
        add_user(ctx.referat, ctx.db, "sek", grants=[("DIR", "sekretaer")])
        out = referat(ctx, "meeting", "add", "DIR", "2027-02-03", "--start", "10:30", "--end",
                      "12:00", "--place", "Mødelokale 1")
        ctx.m = int(re.search(r"\d+", out).group(0))
        ctx.srv = Server(ctx.referat, ctx.db, ["--quiet"])
        ctx.sec = Client(ctx.srv)
        ctx.sec.login("sek")
        runner.run_all(globals(), ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
