"""web_followups: follow-ups to completion from the browser (issue 10, followups) against the
real server: "Mine opfølgninger" by name, by unit and by link; the owner starts and reports
on their own follow-up, a member who does not own it is refused (403) and a member of another
body finds nothing (404); bortfald without a reason is a 400 naming the field; the sekretær
edits, reassigns and dates, lets one lapse with a reason and forwards one to another body's
planned meeting (a held meeting refused with 409), where it shows on that meeting's agenda;
notes and history; CSRF and Origin; the administrator's units and links; nothing of it public.

usage: web_followups.py REFERAT EXAMPLES_DIR"""

import json
import re
import sqlite3
import subprocess
import sys

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq,
                        make_archive, workdir)

NOTE = "FREMDRIFT-NOTE-5K1 aftalt med HR"
REASON = "BORTFALD-GRUND-8Q3 overhalet"


def q(ctx, sql, args=()):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def one(ctx, sql, args=()):
    return q(ctx, sql, args)[0][0]


def events(ctx):
    return one(ctx, "SELECT count(*) FROM ledger")


def fu_of(ctx, owner, public=None):
    sql = ("SELECT f.id FROM followup f JOIN person p ON p.id = f.person_id JOIN \"case\" c "
           "ON c.id = f.case_id WHERE p.name = ? AND f.state = 'aaben'")
    if public is not None:
        sql += " AND c.public = %d" % (1 if public else 0)
    return one(ctx, sql + " ORDER BY f.id", (owner,))


def state(ctx, fid):
    return q(ctx, "SELECT state, status, state_reason FROM followup WHERE id = ?", (fid,))[0]


def step(client, fid, action, **fields):
    form = {"csrf": client.csrf("/arbejde/opfoelgning/%d" % fid) or client.csrf(),
            "handling": action}
    form.update(fields)
    return client.post("/arbejde/opfoelgning/%d/tilstand" % fid, form)


def test_mine_by_name(ctx):
    st, _, body = ctx.jakob.get("/arbejde/opfoelgninger")
    eq(st, 200, "mine")
    want = one(ctx, "SELECT count(*) FROM followup f JOIN person p ON p.id = f.person_id "
                    "WHERE p.name = 'Jakob Mørup' AND f.status = 'open'")
    check(want >= 2, "the examples have Jakob's follow-ups")
    links = set(re.findall(rb'href="/arbejde/opfoelgning/(\d+)"', body))
    eq(len(links), want, "Jakob's open follow-ups listed")
    check(("%d opfølgninger" % want).encode() in body, "the total")
    # Paged in SQL: ?side=2 of a short list is empty, a bad page a 400.
    st, _, body = ctx.jakob.get("/arbejde/opfoelgninger?status=alle&side=2")
    eq(st, 200, "page 2")
    check(b"/arbejde/opfoelgning/" not in body, "nothing on page 2")
    st, _, _ = ctx.jakob.get("/arbejde/opfoelgninger?status=nogle")
    eq(st, 400, "bad status")
    # Ida owns nothing of her own yet.
    st, _, body = ctx.sekr.get("/arbejde/opfoelgninger")
    check("Ingen opfølgninger".encode() in body, "the sekretær owns none")


def test_owner_steps_and_notes(ctx):
    fid = ctx.fu_jakob
    st, _, body = ctx.jakob.get("/arbejde/opfoelgning/%d" % fid)
    eq(st, 200, "the follow-up's page")
    check(b"(dig)" in body and b"P\xc3\xa5begynd" in body, "the owner's buttons")
    check(b"Videresend" not in body, "forwarding is the sekretær's")
    check(b'name="ansvarlig"' not in body, "editing is the sekretær's")
    n = events(ctx)
    st, h, _ = step(ctx.jakob, fid, "paabegynd")
    eq(st, 303, "paabegynd")
    check(h["location"].startswith("/arbejde/opfoelgning/%d" % fid), "back to the page")
    eq(state(ctx, fid)[:2], ("i_gang", "open"), "i gang")
    eq(events(ctx), n + 1, "one event")
    st, _, _ = ctx.jakob.post("/arbejde/opfoelgning/%d/note" % fid,
                              {"csrf": ctx.jakob.csrf(), "note": NOTE})
    eq(st, 303, "note")
    st, _, body = ctx.jakob.get("/arbejde/opfoelgning/%d" % fid)
    text = body.decode()
    check(NOTE in text and "Jakob Mørup" in text, "the note with its author")
    check("Tilstand: I gang" in text, "the history has the step")
    check(text.index("Tilstand: I gang") < text.index(NOTE), "history oldest first")
    st, _, body = ctx.jakob.post("/arbejde/opfoelgning/%d/note" % fid,
                                 {"csrf": ctx.jakob.csrf(), "note": "  "})
    eq(st, 400, "a blank note")
    check(b"note:" in body, "names the field")
    st, _, _ = step(ctx.jakob, fid, "udfoer")
    eq(st, 303, "udfoer")
    eq(state(ctx, fid)[:2], ("udfoert", "done"), "udført, status done")
    st, _, _ = step(ctx.jakob, fid, "udfoer")
    eq(st, 409, "not from udfoert")


def test_refusals(ctx):
    ida = ctx.fu_ida
    n = events(ctx)
    before = state(ctx, ida)
    # A member of the body who does not own it: 403 from the store.
    st, _, body = step(ctx.jakob, ida, "udfoer")
    eq(st, 403, "not the owner")
    # A member of another body: the follow-up does not exist for them.
    st, _, _ = ctx.oek.get("/arbejde/opfoelgning/%d" % ida)
    eq(st, 404, "other body's GET")
    st, _, _ = step(ctx.oek, ida, "udfoer")
    eq(st, 404, "other body's POST")
    # Not the sekretær: no edits.
    st, _, _ = ctx.jakob.post("/arbejde/opfoelgning/%d/ret" % ida,
                              {"csrf": ctx.jakob.csrf(), "ansvarlig": "Jakob Mørup"})
    eq(st, 404, "a member's edit")
    # bortfald without a reason: 400 naming the field.
    st, _, body = step(ctx.sekr, ida, "bortfald", begrundelse=" ")
    eq(st, 400, "bortfald without a reason")
    check(b"begrundelse" in body, "names the field")
    # CSRF: no token, a wrong token, another Origin.
    st, _, _ = ctx.sekr.post("/arbejde/opfoelgning/%d/tilstand" % ida, {"handling": "udfoer"})
    eq(st, 403, "no token")
    st, _, _ = ctx.sekr.post("/arbejde/opfoelgning/%d/tilstand" % ida,
                             {"csrf": "0" * 64, "handling": "udfoer"})
    eq(st, 403, "a wrong token")
    evil = Client(ctx.srv, origin="http://evil.example")
    evil.jar = dict(ctx.sekr.jar)
    st, _, _ = evil.post("/arbejde/opfoelgning/%d/tilstand" % ida,
                         {"csrf": ctx.sekr.csrf(), "handling": "udfoer"})
    eq(st, 403, "another origin")
    # The public: the login page.
    st, h, _ = Client(ctx.srv).get("/arbejde/opfoelgning/%d" % ida)
    check(st == 303 and h["location"].startswith("/log-ind"), "anonymous: log in")
    eq(state(ctx, ida), before, "nothing changed")
    eq(events(ctx), n, "no event")


def test_sekretaer_edits_and_lapses(ctx):
    fid = ctx.fu_ida
    n = events(ctx)
    st, _, body = ctx.sekr.post("/arbejde/opfoelgning/%d/ret" % fid,
                                {"csrf": ctx.sekr.csrf(), "ansvarlig": "Ida Skovbo",
                                 "frist": "2026-02-30", "tekst": "Nyt program"})
    eq(st, 400, "a bad date")
    check(b"frist:" in body, "names the field")
    st, _, _ = ctx.sekr.post("/arbejde/opfoelgning/%d/ret" % fid,
                             {"csrf": ctx.sekr.csrf(), "ansvarlig": "Jakob Mørup",
                              "frist": "2026-05-01", "tekst": "Lav programmet færdigt"})
    eq(st, 303, "edit")
    eq(q(ctx, "SELECT p.name, f.due, f.text FROM followup f JOIN person p ON p.id = f.person_id "
              "WHERE f.id = ?", (fid,))[0], ("Jakob Mørup", "2026-05-01",
                                              "Lav programmet færdigt"), "saved")
    eq(events(ctx), n + 1, "one event")
    # Reassigned to Jakob: on his list now.
    st, _, body = ctx.jakob.get("/arbejde/opfoelgninger")
    check(("/arbejde/opfoelgning/%d\"" % fid).encode() in body, "reassigned to Jakob")
    st, _, _ = step(ctx.sekr, fid, "bortfald", begrundelse=REASON)
    eq(st, 303, "bortfald")
    eq(state(ctx, fid), ("bortfaldet", "done", REASON), "bortfaldet with its reason")
    eq(one(ctx, "SELECT count(*) FROM ledger WHERE detail LIKE ?", ("%" + REASON + "%",)), 0,
       "the reason is not in the ledger (administrators read it)")
    st, _, body = ctx.sekr.get("/arbejde/opfoelgning/%d" % fid)
    check(REASON.encode() in body and "Genåbn".encode() in body, "reason, genaabn")
    st, _, _ = step(ctx.sekr, fid, "genaabn")
    eq(st, 303, "genaabn")
    eq(state(ctx, fid), ("aaben", "open", None), "open again")


def test_forward(ctx):
    fid = ctx.fu_forward
    n = events(ctx)
    st, _, body = ctx.sekr.get("/arbejde/opfoelgning/%d" % fid)
    check(("value=\"%d\"" % ctx.planned).encode() in body, "the planned meeting offered")
    check(("value=\"%d\"" % ctx.held).encode() not in body, "a held one not offered")
    check(("value=\"%d\"" % ctx.own).encode() not in body, "the body's own not offered")
    st, _, body = step(ctx.sekr, fid, "videresend", moede=str(ctx.held))
    eq(st, 409, "a held meeting")
    check("allerede holdt".encode() in body, "says so")
    st, _, body = step(ctx.sekr, fid, "videresend", moede=str(ctx.own))
    eq(st, 409, "the body's own meeting")
    check("udvalgets eget".encode() in body, "says so")
    st, _, body = step(ctx.sekr, fid, "videresend")
    eq(st, 400, "no meeting")
    check(b"moede:" in body, "names the field")
    st, _, _ = step(ctx.jakob, fid, "videresend", moede=str(ctx.planned))
    eq(st, 403, "an owner may not forward")
    eq(events(ctx), n, "nothing yet")
    st, _, _ = step(ctx.sekr, fid, "videresend", moede=str(ctx.planned),
                    begrundelse="Økonomiudvalget tager over")
    eq(st, 303, "forwarded")
    s = state(ctx, fid)
    eq(s[:2], ("videresendt", "done"), "videresendt")
    check("ØK" in s[2] and "Økonomiudvalget tager over" in s[2], "where it went: %r" % (s,))
    eq(one(ctx, "SELECT forwarded_to FROM followup WHERE id = ?", (fid,)), ctx.planned, "target")
    eq(events(ctx), n + 1, "one event")
    # The public API gives its state (and nothing of the reason).
    st, _, body = Client(ctx.srv).get("/api/followups?status=all&per_page=100")
    items = {i["id"]: i for i in json.loads(body)["items"]}
    eq(items.get(fid, {}).get("state"), "videresendt", "the API's state")
    eq(items[fid]["done"], True, "done with it")
    check("Økonomiudvalget tager over".encode() not in body, "no reason in the API")
    # On that meeting's agenda, for its body's sekretær.
    st, _, body = ctx.oeksekr.get("/arbejde/moede/%d" % ctx.planned)
    eq(st, 200, "the ØK meeting")
    check(b"Videresendte opf" in body and ("id=\"videresendt-%d\"" % fid).encode() in body,
          "the forwarded follow-up on the agenda")
    text = one(ctx, "SELECT text FROM followup WHERE id = ?", (fid,))
    check(text.encode() in body, "with its text")
    st, _, body = ctx.sekr.get("/arbejde/opfoelgning/%d" % fid)
    check(b"Skift tilstand" not in body, "terminal: no steps")


def test_units_and_links(ctx):
    st, _, _ = ctx.sekr.get("/arbejde/enheder")
    eq(st, 403, "not an administrator")
    st, _, body = ctx.admin.get("/arbejde/enheder")
    eq(st, 200, "units page")
    check(b"Forslag: Jakob M" in body, "proposes Jakob's account for his name")
    csrf = ctx.admin.csrf("/arbejde/enheder")
    st, _, _ = ctx.admin.post("/arbejde/enheder", {"csrf": csrf, "handling": "ny", "navn": " "})
    eq(st, 400, "a unit without a name")
    st, _, _ = ctx.admin.post("/arbejde/enheder", {"csrf": csrf, "handling": "ny",
                                                   "navn": "Ledelsessekretariatet"})
    eq(st, 303, "unit")
    uid = one(ctx, "SELECT id FROM unit WHERE name = 'Ledelsessekretariatet'")
    st, _, _ = ctx.admin.post("/arbejde/enheder", {"csrf": csrf, "handling": "tilfoej",
                                                   "enhed": str(uid), "bruger": "lone"})
    eq(st, 303, "member")
    # Lone's list: the unit's follow-ups (its name is an owner's).
    st, _, body = ctx.lone.get("/arbejde/opfoelgninger")
    want = one(ctx, "SELECT count(*) FROM followup f JOIN person p ON p.id = f.person_id "
                    "WHERE p.name = 'Ledelsessekretariatet' AND f.status = 'open'")
    eq(len(set(re.findall(rb'href="/arbejde/opfoelgning/(\d+)"', body))), want, "unit's")
    # Birgitte's name linked to Lone by login; then to the unit.
    pid = one(ctx, "SELECT id FROM person WHERE name = 'Birgitte Holm Ravn'")
    st, _, body = ctx.admin.post("/arbejde/enheder", {"csrf": csrf, "handling": "knyt",
                                                      "person": str(pid), "til": "ingen-sådan"})
    eq(st, 400, "unknown target")
    st, _, _ = ctx.admin.post("/arbejde/enheder", {"csrf": csrf, "handling": "knyt",
                                                   "person": str(pid), "til": "lone"})
    eq(st, 303, "link")
    birgitte = one(ctx, "SELECT count(*) FROM followup WHERE person_id = ? AND status = 'open'",
                   (pid,))
    st, _, body = ctx.lone.get("/arbejde/opfoelgninger")
    eq(len(set(re.findall(rb'href="/arbejde/opfoelgning/(\d+)"', body))), want + birgitte,
       "linked")
    # Lone, in the unit, may act on the unit's follow-up (she has a role on DIR).
    lfid = one(ctx, "SELECT f.id FROM followup f JOIN person p ON p.id = f.person_id WHERE "
                    "p.name = 'Ledelsessekretariatet' AND f.status = 'open' ORDER BY f.id")
    st, _, _ = step(ctx.lone, lfid, "paabegynd")
    eq(st, 303, "a unit member steps")
    # The proposal button: Jakob's name to his account.
    jp = one(ctx, "SELECT id FROM person WHERE name = 'Jakob Mørup'")
    st, _, _ = ctx.admin.post("/arbejde/enheder", {"csrf": csrf, "handling": "knyt",
                                                   "person": str(jp), "brug": "1",
                                                   "forslag": "a%d" % ctx.jakob_id})
    eq(st, 303, "proposal taken")
    eq(q(ctx, "SELECT account_id FROM person_link WHERE person_id = ?", (jp,))[0][0],
       ctx.jakob_id, "linked to Jakob")
    eq(one(ctx, "SELECT count(*) FROM ledger WHERE action IN ('unit.add', 'unit.member_add', "
                "'person.link')"), 4, "each change an event")


def test_cli_units(ctx):
    """The same units from the command line (referat unit), seen by the web at once."""
    def run(*args):
        r = subprocess.run([ctx.referat, "unit"] + list(args) + ["--db", ctx.db],
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout, r.stderr
    n = events(ctx)
    eq(run("add", "Kommunikationsafdelingen")[0], 0, "unit add")
    rc, _, err = run("add", "kommunikationsafdelingen")
    check(rc == 1 and "allerede" in err, "a second unit of that name: %r" % err)
    eq(run("member", "Kommunikationsafdelingen", "jakob")[0], 0, "unit member")
    rc, _, err = run("member", "Ingen enhed", "jakob")
    eq(rc, 1, "unknown unit")
    rc, out, _ = run("list", "--json")
    import json
    units = {u["name"]: u["members"] for u in json.loads(out)}
    eq(units["Kommunikationsafdelingen"], ["jakob"], "listed with its member")
    fid = fu_of(ctx, "Kommunikationsafdelingen")
    st, _, body = ctx.jakob.get("/arbejde/opfoelgninger")
    check(("/arbejde/opfoelgning/%d\"" % fid).encode() in body, "the unit's follow-up is Jakob's")
    eq(run("link", "Kommunikationsafdelingen", "--account", "lone")[0], 0, "link")
    st, _, body = ctx.jakob.get("/arbejde/opfoelgninger")
    check(("/arbejde/opfoelgning/%d\"" % fid).encode() not in body, "linked elsewhere")
    eq(run("link", "Kommunikationsafdelingen", "--none")[0], 0, "unlink")
    eq(run("link", "Kommunikationsafdelingen")[0], 2, "link needs a target")
    eq(events(ctx), n + 4, "each change an event")


def test_owner_without_a_role(ctx):
    """An owner with no role on the case's body: their own follow-ups of cases they may read
    (the public ones) are listed and theirs to report on; nothing else opens for them."""
    c = ctx.soeren
    mine = one(ctx, "SELECT count(*) FROM followup f JOIN person p ON p.id = f.person_id JOIN "
                    "\"case\" c ON c.id = f.case_id WHERE p.name = 'Søren Kjærgaard Nissen' "
                    "AND f.status = 'open' AND c.public")
    check(mine >= 1, "the examples have his follow-ups")
    st, _, body = c.get("/arbejde/opfoelgninger")
    ids = sorted(set(int(x) for x in re.findall(rb'href="/arbejde/opfoelgning/(\d+)"', body)))
    eq(len(ids), mine, "his follow-ups of public cases")
    st, _, body = c.get("/arbejde/opfoelgning/%d" % ids[0])
    eq(st, 200, "his follow-up's page")
    check(b'name="ansvarlig"' not in body and b"/arbejde/sag/" not in body, "no staff links")
    st, _, _ = step(c, ids[0], "paabegynd")
    eq(st, 303, "he starts it")
    eq(state(ctx, ids[0])[0], "i_gang", "i gang")
    st, _, _ = c.post("/arbejde/opfoelgning/%d/ret" % ids[0],
                      {"csrf": c.csrf(), "ansvarlig": "X"})
    eq(st, 404, "no edits")
    st, _, _ = c.get("/arbejde/opfoelgning/%d" % ctx.fu_forward)
    eq(st, 404, "another's follow-up")


def test_public_sees_nothing_new(ctx):
    anon = Client(ctx.srv)
    for path in ("/opfoelgning", "/opfoelgning?status=alle", "/sag/%d" % ctx.case_forward):
        st, _, body = anon.get(path)
        eq(st, 200, path)
        for marker in (NOTE, REASON, "Økonomiudvalget tager over"):
            check(marker.encode() not in body, "%s shows %s" % (path, marker))
    st, _, body = anon.get("/api/followups?status=all")
    check(NOTE.encode() not in body and REASON.encode() not in body, "api")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.dir = workdir()
    ctx.referat = referat
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        add_user(referat, ctx.db, "sekr", "Sara Sekretær", [("DIR", "sekretaer")])
        add_user(referat, ctx.db, "jakob", "Jakob Mørup", [("DIR", "medlem")])
        add_user(referat, ctx.db, "lone", "Lone Larsen", [("DIR", "sagsbehandler")])
        add_user(referat, ctx.db, "oek", "Ole Øk", [("ØK", "medlem")])
        add_user(referat, ctx.db, "oeksekr", "Olga Øk", [("ØK", "sekretaer")])
        add_user(referat, ctx.db, "admin", "Anne Admin", admin=True)
        add_user(referat, ctx.db, "soeren", "Søren Kjærgaard Nissen")
        r = subprocess.run([referat, "meeting", "add", "ØK", "2031-05-06", "--db", ctx.db],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, "meeting add: " + r.stderr)
        ctx.planned = one(ctx, "SELECT id FROM meeting WHERE date = '2031-05-06'")
        r = subprocess.run([referat, "meeting", "add", "DIR", "2031-06-03", "--db", ctx.db],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, "meeting add: " + r.stderr)
        ctx.own = one(ctx, "SELECT id FROM meeting WHERE date = '2031-06-03'")
        ctx.held = one(ctx, "SELECT m.id FROM meeting m JOIN body b ON b.id = m.body_id "
                            "WHERE b.code = 'ØK' AND m.state = 'offentliggjort' ORDER BY m.id")
        ctx.jakob_id = one(ctx, "SELECT id FROM account WHERE login = 'jakob'")
        ctx.fu_jakob = fu_of(ctx, "Jakob Mørup")
        ctx.fu_ida = fu_of(ctx, "Ida Skovbo")
        ctx.fu_forward = fu_of(ctx, "Torben Hvass", public=True)
        ctx.case_forward = one(ctx, "SELECT case_id FROM followup WHERE id = ?",
                               (ctx.fu_forward,))
        ctx.srv = Server(referat, ctx.db)
        for login in ("sekr", "jakob", "lone", "oek", "oeksekr", "admin", "soeren"):
            c = Client(ctx.srv)
            c.login(login)
            setattr(ctx, login, c)
        runner.run_all(globals(), ctx)
        ctx.srv.stop()

        def test_server_clean(ctx):
            text = "".join(ctx.srv.log)
            check("Sanitizer" not in text and "runtime error" not in text, text[-3000:])
        runner.run(test_server_clean, ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
