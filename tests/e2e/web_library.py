"""web_library: a body's library in the staff area (issue 8) against the real server: the list by
kind; the body's sekretær adds, changes, moves and deletes (each a ledger event, nothing half
saved); errors at the field in Danish; a stale form refused with 409 and what was typed kept;
members read (help text included) but get no forms; other bodies' people get 404; an
administrator manages any body's library; CSRF on every form.

usage: web_library.py REFERAT EXAMPLES_DIR"""

import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq,
                        make_archive, workdir)

BASE = "/arbejde/organ/DIR/bibliotek"
OEK = "/arbejde/organ/" + urllib.parse.quote("ØK") + "/bibliotek"


def q(ctx, sql, args=()):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def item_id(ctx, name, body="DIR"):
    rows = q(ctx, "SELECT i.id FROM body_item i JOIN body b ON b.id = i.body_id WHERE b.code = ? "
                  "AND i.name = ?", (body, name))
    return rows[0][0] if rows else None


def events(ctx, action=None):
    return q(ctx, "SELECT count(*) FROM ledger WHERE action LIKE ?",
             (action or "library.%",))[0][0]


def client(ctx, login):
    c = Client(ctx.srv)
    c.login(login)
    return c


def test_list(ctx):
    sec, member = client(ctx, "dir-sekretaer"), client(ctx, "dir-medlem")
    st, h, body = member.get(BASE)
    eq(st, 200, "a member reads the library")
    text = body.decode()
    for name in ("Verdensmål", "Punkter til behandling", "Godkendelse af dagsorden",
                 "Eventuelt"):
        check(name in text, "listed: " + name)
    check(text.index("Standardtekster") < text.index("Skabeloner") < text.index("Faste punkter"),
          "by kind")
    check("Ny standardtekst" not in text and "/flyt" not in text, "no forms for a member")
    check("no-store" in h.get("cache-control", ""), "staff pages are not stored")
    st, _, body = sec.get(BASE)
    check(st == 200 and b"Ny standardtekst" in body and b"/flyt" in body and b"/slet" in body,
          "the sekretaer gets the forms")
    check("Nyt fast punkt" in body.decode(), "Danish: et punkt")
    check("4 afsnit" in body.decode() and "3 afsnit" in body.decode(), "templates' sections")


def test_index(ctx):
    """/arbejde/bibliotek: the libraries of one's bodies; every body's for an administrator."""
    dir_link, oek_link = 'href="%s"' % BASE, 'href="%s"' % OEK
    for login, want in (("dir-medlem", (True, False)), ("oek-sekretaer", (False, True)),
                        ("admin", (True, True))):
        st, _, body = client(ctx, login).get("/arbejde/bibliotek")
        eq(st, 200, login)
        text = body.decode()
        eq((dir_link in text, oek_link in text), want, "%s: the bodies listed" % login)
        check('href="/arbejde/bibliotek" aria-current="page"' in text, "in the navigation")


def test_add_and_errors(ctx):
    sec = client(ctx, "dir-sekretaer")
    st, _, body = sec.get(BASE + "/ny?slags=text")
    eq(st, 200, "new form")
    csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', body).group(1).decode()
    before = events(ctx)
    st, _, body = sec.post(BASE + "/ny", {"csrf": csrf, "kind": "text", "name": " ",
                                          "text": "Tekst uden navn."})
    eq(st, 400, "an empty name")
    text = body.decode()
    check('id="name-error"' in text and "Skriv et navn." in text, "the error at the field")
    check('aria-invalid="true"' in text and "Tekst uden navn." in text, "what was typed kept")
    check("Intet er gemt" in text, "the summary says nothing was saved")
    eq(events(ctx), before, "nothing written")
    st, _, body = sec.post(BASE + "/ny", {"csrf": csrf, "kind": "text", "name": "Verdensmål",
                                          "text": "Samme navn."})
    eq(st, 400, "a taken name")
    check("Navnet bruges allerede" in body.decode(), body[:2000])
    # A template's help text may not be in a text that goes into cases.
    st, _, body = sec.post(BASE + "/ny", {"csrf": csrf, "kind": "text", "name": "Tidsplan",
                                          "text": "Indledningen står over tidsplanen. Giv hvert "
                                                  "underpunkt et tidspunkt og en varighed."})
    eq(st, 400, "help text in a standard text")
    check('id="text-error"' in body.decode() and "hjælpetekst" in body.decode(), "at the field")
    eq(events(ctx), before, "nothing written")
    st, h, _ = sec.post(BASE + "/ny", {"csrf": csrf, "kind": "text", "name": "Klimaaftryk",
                                       "text": "Sagens klimaaftryk er vurderet.\r\n"})
    eq(st, 303, "added")
    eq(h["location"], BASE + "?gemt=1", "back to the list")
    eq(events(ctx), before + 1, "one event")
    eq(q(ctx, "SELECT actor FROM ledger WHERE action = 'library.add' ORDER BY id DESC LIMIT 1"),
       [("dir-sekretaer",)], "the event names the actor")
    eq(q(ctx, "SELECT text FROM body_item WHERE name = 'Klimaaftryk'"),
       [("Sagens klimaaftryk er vurderet.",)], "stored normalised")
    st, _, _ = sec.post(BASE + "/ny", {"csrf": csrf, "kind": "bog", "name": "X", "text": "Y"})
    eq(st, 400, "an unknown kind")
    st, _, _ = sec.get(BASE + "/ny?slags=bog")
    eq(st, 400, "an unknown kind to create")
    st, _, body = sec.post(BASE + "/ny", {"csrf": csrf, "kind": "recurring", "name": "Pause",
                                          "duration": "ti", "public": "1"})
    eq(st, 400, "minutes that are no number")
    check('id="duration-error"' in body.decode(), "at the field")


def test_template(ctx):
    sec = client(ctx, "dir-sekretaer")
    tid = item_id(ctx, "Sag til politisk behandling")
    st, _, body = sec.get("%s/%d" % (BASE, tid))
    eq(st, 200, "the template's form")
    text = body.decode()
    version = re.search(r'name="version" value="(\d+)"', text).group(1)
    check('name="sections[3].help"' in text and 'name="sections[5].name"' in text,
          "its sections and two empty rows")
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', text).group(1)
    form = {"csrf": csrf, "version": version, "name": "Sag til politisk behandling", "text": "",
            "sections[0].name": "Sagsfremstilling", "sections[0].field": "presentation",
            "sections[0].text": "", "sections[0].help": "Beskriv baggrunden kort.",
            "sections[1].name": "", "sections[1].field": "", "sections[1].text": "",
            "sections[1].help": "",
            "sections[2].name": "Høring", "sections[2].field": "presentation",
            "sections[2].text": "Sagen har været i høring.", "sections[2].help": ""}
    st, _, body = sec.post("%s/%d" % (BASE, tid), form)
    eq(st, 400, "a field used twice")
    text = body.decode()
    # The error is at the row the person wrote it in (row 2), not the section's number (1).
    check('id="sections-2--field-error"' in text, text[:3000])
    check("Sagen har været i høring." in text, "typed text kept")
    form["sections[2].field"] = ""
    before = events(ctx, "library.save")
    st, h, _ = sec.post("%s/%d" % (BASE, tid), form)
    eq(st, 303, "saved")
    eq(events(ctx, "library.save"), before + 1, "one event")
    sections = q(ctx, "SELECT sections, version FROM body_item WHERE id = ?", (tid,))[0]
    check('"name":"Høring"' in sections[0] and sections[0].count('"name"') == 2,
          "the empty row left out: " + sections[0])
    eq(sections[1], int(version) + 1, "a new version")


def test_stale(ctx):
    a, b = client(ctx, "dir-sekretaer"), client(ctx, "admin")
    iid = item_id(ctx, "Oplæg på 5 minutter")
    forms = []
    for c in (a, b):
        st, _, body = c.get("%s/%d" % (BASE, iid))
        eq(st, 200, "both open the form")
        t = body.decode()
        forms.append({"csrf": re.search(r'name="csrf" value="([0-9a-f]{64})"', t).group(1),
                      "version": re.search(r'name="version" value="(\d+)"', t).group(1),
                      "name": "Oplæg på 5 minutter"})
    st, _, _ = a.post("%s/%d" % (BASE, iid), dict(forms[0], text="Første ændring."))
    eq(st, 303, "the first save")
    st, _, body = b.post("%s/%d" % (BASE, iid), dict(forms[1], text="Anden ændring."))
    eq(st, 409, "the second save is stale")
    check("ændret af en anden" in body.decode() and "Anden ændring." in body.decode(),
          "said, and the typed text kept")
    eq(q(ctx, "SELECT text FROM body_item WHERE id = ?", (iid,)), [("Første ændring.",)],
       "the first save stands")
    st, _, _ = a.post("%s/%d" % (BASE, iid), {"csrf": forms[0]["csrf"], "name": "X",
                                              "text": "Y"})
    eq(st, 400, "a form without its version")


def test_move_delete(ctx):
    sec = client(ctx, "dir-sekretaer")
    csrf = sec.csrf(BASE)
    order = lambda: [r[0] for r in q(ctx, "SELECT i.name FROM body_item i JOIN body b ON "
                                          "b.id = i.body_id WHERE b.code = 'DIR' AND i.kind = "
                                          "'recurring' ORDER BY i.pos")]
    first = order()
    iid = item_id(ctx, first[0])
    st, h, _ = sec.post("%s/%d/flyt" % (BASE, iid), {"csrf": csrf, "retning": "ned"})
    eq(st, 303, "moved")
    eq(order(), [first[1], first[0]] + first[2:], "one place down")
    st, _, _ = sec.post("%s/%d/flyt" % (BASE, iid), {"csrf": csrf, "retning": "sidelæns"})
    eq(st, 400, "an unknown direction")
    st, _, body = sec.get("%s/%d/slet" % (BASE, iid))
    eq(st, 200, "the delete page asks")
    version = re.search(rb'name="version" value="(\d+)"', body).group(1).decode()
    st, _, _ = sec.post("%s/%d/slet" % (BASE, iid), {"csrf": csrf, "version": "99"})
    eq(st, 409, "a stale delete")
    check(item_id(ctx, first[0]), "still there")
    before = events(ctx, "library.delete")
    st, h, _ = sec.post("%s/%d/slet" % (BASE, iid), {"csrf": csrf, "version": version})
    eq(st, 303, "deleted")
    check(item_id(ctx, first[0]) is None, "gone")
    eq(events(ctx, "library.delete"), before + 1, "one event")
    eq([r[0] for r in q(ctx, "SELECT pos FROM body_item i JOIN body b ON b.id = i.body_id "
                             "WHERE b.code = 'DIR' AND kind = 'recurring' ORDER BY pos")],
       list(range(1, len(first))), "the others moved up")


def test_who(ctx):
    member, other, admin = (client(ctx, "dir-medlem"), client(ctx, "oek-sekretaer"),
                            client(ctx, "admin"))
    tid = item_id(ctx, "Punkter til behandling")
    st, _, body = member.get("%s/%d" % (BASE, tid))
    eq(st, 200, "a member reads an item")
    text = body.decode()
    check("Hjælpetekst" in text and "<form class=\"form\"" not in text, "read-only, help shown")
    st, _, _ = member.post("%s/%d" % (BASE, tid), {"csrf": member.csrf(), "name": "X"})
    eq(st, 404, "a member may not save")
    st, _, _ = other.get(BASE)
    eq(st, 404, "another body's sekretaer does not see it")
    st, _, _ = other.post(BASE + "/ny", {"csrf": other.csrf(), "kind": "text", "name": "X",
                                         "text": "Y"})
    eq(st, 404, "nor writes it")
    # An ØK item asked for under DIR's address does not exist there.
    oek_item = item_id(ctx, "Budgetopfølgning", "ØK")
    check(oek_item, "the ØK library has its item")
    st, _, _ = client(ctx, "dir-sekretaer").get("%s/%d" % (BASE, oek_item))
    eq(st, 404, "another body's item under this body")
    st, _, _ = admin.get(OEK)
    eq(st, 200, "an administrator reads any body's library")
    st, _, _ = admin.post(OEK + "/ny", {"csrf": admin.csrf(), "kind": "text",
                                        "name": "Administratorens tekst", "text": "Tekst."})
    eq(st, 303, "and writes it")
    st, _, _ = admin.post(OEK + "/ny", {"csrf": "0" * 64, "kind": "text", "name": "Uden token",
                                        "text": "Tekst."})
    eq(st, 403, "CSRF")
    check(item_id(ctx, "Uden token", "ØK") is None, "nothing written")
    st, _, _ = Client(ctx.srv).get(BASE)
    check(st == 303, "the public is sent to log in: %d" % st)


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        oek = os.path.join(ctx.dir, "oek.library.json")
        with open(oek, "w", encoding="utf-8") as f:
            f.write('{"format": "referat-library/1", "body": "ØK", "texts": [{"name": '
                    '"Budgetopfølgning", "text": "Forventet regnskab."}]}')
        for path in (os.path.join(examples, "library", "DIR.library.json"), oek):
            r = subprocess.run([referat, "library", "import", path, "--db", ctx.db],
                               capture_output=True, text=True, timeout=60)
            check(r.returncode == 0, "library import: " + r.stderr)
        for login, grants, admin in (("dir-sekretaer", [("DIR", "sekretaer")], False),
                                     ("dir-medlem", [("DIR", "medlem")], False),
                                     ("oek-sekretaer", [("ØK", "sekretaer")], False),
                                     ("admin", [], True)):
            add_user(referat, ctx.db, login, grants=grants, admin=admin)
        ctx.srv = Server(referat, ctx.db, ["--quiet"])
        runner.run_all(globals(), ctx)
        ctx.srv.stop()
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
