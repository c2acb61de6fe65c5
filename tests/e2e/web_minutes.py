"""web_minutes: the minutes' approval round in the browser (issue 9, minutes) against the real
`referat serve`, with the server's clock set by the test (REFERAT_CLOCK_FILE): a held
meeting's minutes sent for approval (sending before the meeting is held refused), the page's
state, frozen versions and buttons for each person, two members approving with their times,
an objection blocking until the sekretær answers, a non-member refused, closing before the
deadline refused and after it recording who did not answer, approved minutes refusing every
edit (the editor's form, a second tab with an old version, a bilag), a tillæg without a reason
refused and one with a reason shown on the page, the portal and in the md/txt/json exports
(md and txt read back with `referat convert`), reopening as version 2 with version 1 still
readable; the ledger intact after all of it (`referat audit verify`).

usage: web_minutes.py REFERAT EXAMPLES_DIR"""

import json
import os
import re
import subprocess
import sys

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, cli, make_archive,
                        q, workdir)


def set_clock(ctx, iso):
    """Moves the server's clock; the sessions would expire over the jump, so everyone logs in
    again at the new time."""
    with open(ctx.clock, "w") as f:
        f.write(iso + "\n")
    for c, login in getattr(ctx, "clients", ()):
        c.jar.clear()
        c.login(login)


def mversion(ctx, mid):
    return q(ctx, "SELECT version FROM meeting WHERE id = ?", mid)[0][0]


def mstate(ctx, mid):
    return q(ctx, "SELECT state FROM meeting WHERE id = ?", mid)[0][0]


def cversion(ctx, cid):
    return q(ctx, "SELECT version FROM \"case\" WHERE id = ?", cid)[0][0]


def events(ctx):
    return q(ctx, "SELECT count(*) FROM ledger")[0][0]


def step(ctx, client, mid, action, reason=None, path="handling"):
    """A meeting step through a form: the meeting page's (path handling) or the minutes
    page's (path referat/handling)."""
    form = {"csrf": client.csrf(), "handling": action, "version": str(mversion(ctx, mid))}
    if reason is not None:
        form["grund-" + action] = reason
    return client.post("/arbejde/moede/%d/%s" % (mid, path), form)


def new_case(ctx, mid, title, decision):
    model = {"format": "referat-case/1", "title": title, "public": True, "route": ["DIR"],
             "presentation": "Sagen forelægges direktionen.",
             "recommendation": "Det indstilles, at sagen godkendes.",
             "decisions": [{"body": "Direktionen", "date": "2026-11-10",
                            "entries": [{"title": title, "text": decision}]}]}
    path = os.path.join(ctx.dir, "case-%d.json" % len(os.listdir(ctx.dir)))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False)
    r = cli(ctx, "case", "new", "--meeting", str(mid), path)
    cid = int(re.search(r"case (\d+) version", r.stdout).group(1))
    for s in ("indsend", "godkend", "saet_paa_dagsorden"):
        cli(ctx, "case", "step", str(cid), s, "--version", "1", ok=False)
    return cid


def round_id(ctx, mid):
    rows = q(ctx, "SELECT id FROM minutes_round WHERE meeting_id = ? AND outcome IS NULL", mid)
    return rows[0][0] if rows else None


def setup_meeting(ctx, date):
    """A DIR meeting with two cases, released, started and held (afholdt)."""
    set_clock(ctx, date + "T08:00:00Z")
    r = cli(ctx, "meeting", "add", "DIR", date, "--start", "09:00", "--end", "12:00",
            "--place", "Rådhuset")
    mid = int(re.search(r"meeting (\d+)", r.stdout).group(1))
    c1 = new_case(ctx, mid, "Budgetopfølgning 3. kvartal", "Taget til efterretning.")
    c2 = new_case(ctx, mid, "Rekruttering af chef", "Godkendt.")
    for a in ("frigiv_dagsorden", "start"):
        st, _, body = step(ctx, ctx.sek, mid, a)
        check(st == 303, "%s: %d %s" % (a, st, body[:300]))
    return mid, c1, c2


def test_send_before_held_refused(ctx):
    mid = ctx.mid
    check(mstate(ctx, mid) == "i_gang", "in progress")
    before = events(ctx)
    st, _, body = step(ctx, ctx.sek, mid, "send_referat_til_godkendelse", path="referat/handling")
    check(st == 409 and "Intet er ændret".encode() in body, "sending before afholdt: %d" % st)
    check(events(ctx) == before and not round_id(ctx, mid), "nothing changed")
    st, _, _ = step(ctx, ctx.sek, mid, "afslut")
    check(st == 303 and mstate(ctx, mid) == "afholdt", "held")


def test_setting_on_the_body_page(ctx):
    st, _, body = ctx.sek.get("/arbejde/organ/DIR/indstillinger")
    check(st == 200 and b'name="minutes.approval_days"' in body and b'value="3"' in body,
          "minutes.approval_days on the body's settings page: %d" % st)


def test_send_freezes(ctx):
    mid = ctx.mid
    st, _, body = ctx.sek.get("/arbejde/moede/%d/referat" % mid)
    check(st == 200 and b"Send referat til godkendelse" in body, "the sekretær's button: %d" % st)
    st, _, body = ctx.m1.get("/arbejde/moede/%d/referat" % mid)
    check(st == 200 and b"Send referat til godkendelse" not in body, "no send button for a member")
    # a member may not send
    st, _, _ = step(ctx, ctx.m1, mid, "send_referat_til_godkendelse", path="referat/handling")
    check(st in (403, 404), "a member sends: %d" % st)
    st, h, _ = step(ctx, ctx.sek, mid, "send_referat_til_godkendelse", path="referat/handling")
    check(st == 303 and h["location"].endswith("/referat?gemt=1"), "sent: %d" % st)
    check(mstate(ctx, mid) == "referat_til_godkendelse", "out for approval")
    frozen = dict(q(ctx, "SELECT case_id, case_version FROM minutes_frozen f JOIN minutes_round "
                         "r ON r.id = f.round_id WHERE r.meeting_id = ?", mid))
    check(frozen == {ctx.c1: cversion(ctx, ctx.c1), ctx.c2: cversion(ctx, ctx.c2)},
          "the versions frozen: %r" % frozen)
    st, _, body = ctx.m1.get("/arbejde/moede/%d/referat" % mid)
    text = body.decode()
    check("Godkend referatet" in text and "Gør indsigelse" in text, "a member's buttons")
    check("Har ikke svaret endnu" in text and "M1" in text and "M2" in text, "members listed")
    check("version %d" % frozen[ctx.c1] in text, "the frozen version shown")
    check("Læs punkt" in text and "Taget til efterretning." in text,
          "the frozen minutes readable on the page")
    check("13-11-2026" in text or "2026-11-13" in text, "the deadline shown")
    st, _, body = ctx.sb.get("/arbejde/moede/%d/referat" % mid)
    check(st == 200 and b"Godkend referatet" not in body, "a sagsbehandler reads, no buttons")
    # out for approval: the editor's save is refused, nothing changed
    v = cversion(ctx, ctx.c1)
    st, _, body = ctx.sek.get("/arbejde/sag/%d/rediger" % ctx.c1)
    form = editor_form(ctx.sek, ctx.c1, "Ændret under runden.")
    st, _, body = ctx.sek.post("/arbejde/sag/%d/rediger" % ctx.c1, form)
    check(st >= 400 and cversion(ctx, ctx.c1) == v, "edit during the round refused: %d" % st)


def editor_form(client, cid, presentation):
    """The case editor's form as the page has it, with Sagsfremstilling changed."""
    st, _, body = client.get("/arbejde/sag/%d/rediger" % cid)
    text = body.decode()
    form = {}
    for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*>', text):
        tag = m.group(0)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        v = re.search(r'value="([^"]*)"', tag)
        form[m.group(1)] = v.group(1) if v else ""
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', text, re.S):
        form[m.group(1)] = m.group(2)
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', text, re.S):
        sel = re.search(r'<option value="([^"]*)"[^>]*selected', m.group(2))
        form[m.group(1)] = sel.group(1) if sel else ""
    import html
    form = {k: html.unescape(v) for k, v in form.items()}
    for k in list(form):
        if k in ("sagsfremstilling", "presentation"):
            form[k] = presentation
    form.setdefault("sagsfremstilling", presentation)
    return form


def test_approvals_and_objection(ctx):
    mid = ctx.mid
    rid = round_id(ctx, mid)
    before = events(ctx)
    # not a member of the round: refused, nothing changed
    for who in (ctx.sb, ctx.oek):
        st, _, _ = who.post("/arbejde/moede/%d/referat/godkend" % mid,
                            {"csrf": who.csrf(), "runde": str(rid)})
        check(st in (403, 404), "a non-member approves: %d" % st)
    check(events(ctx) == before, "nothing recorded")
    set_clock(ctx, "2026-11-10T15:00:00Z")
    st, _, _ = ctx.m1.post("/arbejde/moede/%d/referat/godkend" % mid,
                           {"csrf": ctx.m1.csrf(), "runde": str(rid)})
    check(st == 303 and mstate(ctx, mid) == "referat_til_godkendelse", "m1 approves: %d" % st)
    check(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'minutes.approve' AND actor = 'm1' "
                 "AND at = '2026-11-10T15:00:00Z'")[0][0] == 1, "a ledger event with its time")
    st, _, body = ctx.sek.get("/arbejde/moede/%d/referat" % mid)
    check("Godkendt <time datetime=\"2026-11-10T15:00:00Z\">10-11-2026 15:00 UTC</time>"
          in body.decode(), "m1's answer with its time")
    # twice is refused
    st, _, _ = ctx.m1.post("/arbejde/moede/%d/referat/godkend" % mid,
                           {"csrf": ctx.m1.csrf(), "runde": str(rid)})
    check(st == 409, "approving twice: %d" % st)
    # m2 objects (an empty one refused at the field), then approves: still blocked
    st, _, body = ctx.m2.post("/arbejde/moede/%d/referat/indsigelse" % mid,
                              {"csrf": ctx.m2.csrf(), "runde": str(rid), "tekst": "  "})
    check(st == 400 and b"Skriv din indsigelse" in body, "an empty objection: %d" % st)
    st, _, _ = ctx.m2.post("/arbejde/moede/%d/referat/indsigelse" % mid,
                           {"csrf": ctx.m2.csrf(), "runde": str(rid),
                            "tekst": "Punkt 2: beslutningen er ikke korrekt gengivet."})
    check(st == 303, "m2 objects: %d" % st)
    st, _, _ = ctx.m2.post("/arbejde/moede/%d/referat/godkend" % mid,
                           {"csrf": ctx.m2.csrf(), "runde": str(rid)})
    check(st == 303 and mstate(ctx, mid) == "referat_til_godkendelse",
          "an unanswered objection blocks: %s" % mstate(ctx, mid))
    st, _, body = ctx.sek.get("/arbejde/moede/%d/referat" % mid)
    check("Ikke besvaret" in body.decode() and b"Gem svaret" in body, "the answer form")
    oid = q(ctx, "SELECT id FROM minutes_objection")[0][0]
    # a member cannot answer (the route), the sekretær can
    st, _, _ = ctx.m1.post("/arbejde/moede/%d/referat/svar" % mid,
                           {"csrf": ctx.m1.csrf(), "indsigelse": str(oid), "svar": "Nej"})
    check(st in (403, 404), "a member answers: %d" % st)
    st, _, _ = ctx.sek.post("/arbejde/moede/%d/referat/svar" % mid,
                            {"csrf": ctx.sek.csrf(), "indsigelse": str(oid),
                             "svar": "Beslutningen er gengivet som vedtaget på mødet."})
    check(st == 303 and mstate(ctx, mid) == "referat_godkendt",
          "the answer completes the approval: %s" % mstate(ctx, mid))


def test_append_only(ctx):
    mid, cid = ctx.mid, ctx.c1
    v = cversion(ctx, cid)
    before = events(ctx)
    # the editor's form (from the page) and a second tab's old version: refused
    form = editor_form(ctx.sek, cid, "Overskrevet efter godkendelsen.")
    st, _, _ = ctx.sek.post("/arbejde/sag/%d/rediger" % cid, form)
    check(st >= 400, "edit of approved minutes: %d" % st)
    form["version"] = str(v - 1)
    st, _, _ = ctx.sek.post("/arbejde/sag/%d/rediger" % cid, form)
    check(st >= 400, "an old tab's edit: %d" % st)
    st, _, _ = ctx.sek.post("/arbejde/sag/%d/handling" % cid,
                            {"csrf": ctx.sek.csrf(), "handling": "udsaet", "version": str(v)})
    check(st >= 400, "a step of a case of approved minutes: %d" % st)
    check(cversion(ctx, cid) == v and events(ctx) == before, "nothing changed")
    # a tillæg without a reason: refused at the field
    st, _, body = ctx.sek.post("/arbejde/moede/%d/referat/tillaeg" % mid,
                               {"csrf": ctx.sek.csrf(), "sag": str(cid), "version": str(v),
                                "begrundelse": " ", "tekst": "Rettelse."})
    check(st == 400 and "Skriv, hvorfor referatet rettes".encode() in body,
          "a tillæg without a reason: %d" % st)
    check(cversion(ctx, cid) == v and events(ctx) == before, "nothing changed")
    set_clock(ctx, "2026-11-16T10:00:00Z")
    st, _, _ = ctx.sek.post("/arbejde/moede/%d/referat/tillaeg" % mid,
                            {"csrf": ctx.sek.csrf(), "sag": str(cid), "version": str(v),
                             "begrundelse": "Forkert tal i beslutningen.",
                             "tekst": "Merforbruget er 2,1 mio. kr., ikke 2,4 mio. kr."})
    check(st == 303 and cversion(ctx, cid) == v + 1, "the tillæg: %d" % st)
    # the same form again (a second tab) is stale
    st, _, body = ctx.sek.post("/arbejde/moede/%d/referat/tillaeg" % mid,
                               {"csrf": ctx.sek.csrf(), "sag": str(cid), "version": str(v),
                                "begrundelse": "Igen", "tekst": "Igen."})
    check(st == 409 and cversion(ctx, cid) == v + 1, "a stale tillæg: %d" % st)
    st, _, body = ctx.sek.get("/arbejde/moede/%d/referat" % mid)
    check("Begrundelse: Forkert tal i beslutningen." in body.decode(), "on the minutes' page")
    # the history has the version and the event
    check(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'case.addition' AND object = ?",
            "case:%d" % cid)[0][0] == 1, "a case.addition event")
    st, _, body = ctx.sek.get("/arbejde/sag/%d/historik" % cid)
    check(st == 200 and "Tillæg til godkendt referat".encode() in body, "in the history")
    st, _, body = ctx.sek.get("/arbejde/moede/%d" % mid)
    check(("/arbejde/moede/%d/referat" % mid).encode() in body, "linked from the meeting page")
    # every export; md and txt read back with referat convert
    for fmt in ("md", "txt"):
        st, _, body = ctx.sek.get("/sag/%d.%s" % (cid, fmt))
        check(st == 200 and "Tillæg den 16-11-2026".encode() in body and
              "Begrundelse: Forkert tal".encode() in body, "%s export: %d" % (fmt, st))
        path = os.path.join(ctx.dir, "export." + fmt)
        with open(path, "wb") as f:
            f.write(body)
        r = subprocess.run([ctx.referat, "convert", path, "--to", "json"], capture_output=True,
                           text=True, timeout=60)
        check(r.returncode == 0, "convert %s: %s" % (fmt, r.stderr))
        model = json.loads(r.stdout) if r.returncode == 0 else {}
        check(model.get("additions") == [{"date": "2026-11-16",
                                          "reason": "Forkert tal i beslutningen.",
                                          "text": "Merforbruget er 2,1 mio. kr., ikke 2,4 mio. "
                                                  "kr."}],
              "%s reads back: %r" % (fmt, model.get("additions")))
    st, _, body = ctx.sek.get("/sag/%d.json" % cid)
    check(st == 200 and b'"additions"' in body, "json export")
    st, _, body = ctx.sek.get("/sag/%d" % cid)
    check(st == 200 and "Tillæg den".encode() in body, "the case page")


def test_close_after_deadline(ctx):
    """A second meeting: m1 approves, m2 does not; the round closes after the deadline."""
    mid, c1, c2 = setup_meeting(ctx, "2026-11-20")
    st, _, _ = step(ctx, ctx.sek, mid, "afslut")
    st, _, _ = step(ctx, ctx.sek, mid, "send_referat_til_godkendelse", path="referat/handling")
    check(st == 303, "sent: %d" % st)
    rid = round_id(ctx, mid)
    st, _, _ = ctx.m1.post("/arbejde/moede/%d/referat/godkend" % mid,
                           {"csrf": ctx.m1.csrf(), "runde": str(rid)})
    check(st == 303, "m1 approves")
    set_clock(ctx, "2026-11-23T07:59:00Z")
    before = events(ctx)
    st, _, body = step(ctx, ctx.sek, mid, "luk_godkendelse", path="referat/handling")
    check(st == 409 and "udvalgets frist".encode() in body, "closing before the deadline: %d %s" % (
        st, re.findall(r"Intet er ændret[^<]*", body.decode())))
    check(events(ctx) == before and mstate(ctx, mid) == "referat_til_godkendelse",
          "nothing changed")
    set_clock(ctx, "2026-11-23T08:00:00Z")
    st, _, _ = step(ctx, ctx.sek, mid, "luk_godkendelse", path="referat/handling")
    check(st == 303 and mstate(ctx, mid) == "referat_godkendt", "closed: %d" % st)
    detail = json.loads(q(ctx, "SELECT detail FROM ledger WHERE action = 'minutes.close' AND "
                               "object = ?", "meeting:%d" % mid)[0][0])
    check([x["name"] for x in detail["unanswered"]] == ["M2"], "who did not answer: %r" % detail)
    st, _, body = ctx.sek.get("/arbejde/moede/%d/referat" % mid)
    check("Lukket af sekretæren efter fristen" in body.decode(), "shown as closed")
    ctx.closed_mid, ctx.closed_c2 = mid, c2


def test_reopen(ctx):
    mid, c2 = ctx.closed_mid, ctx.closed_c2
    v = cversion(ctx, c2)
    st, _, body = step(ctx, ctx.sek, mid, "genaabn", "", path="referat/handling")
    check(st == 400 and mstate(ctx, mid) == "referat_godkendt", "reopening needs a reason")
    st, _, _ = step(ctx, ctx.sek, mid, "genaabn", "Punkt 2 skal skrives om.",
                    path="referat/handling")
    check(st == 303 and mstate(ctx, mid) == "afholdt", "reopened: %d" % st)
    check(q(ctx, "SELECT version FROM minutes_reopen WHERE meeting_id = ?", mid) == [(2,)],
          "version 2")
    st, _, body = ctx.sek.get("/arbejde/moede/%d/referat" % mid)
    text = body.decode()
    check("Referatets version 2" in text and "?version=1" in text, "version 2, 1 linked")
    st, _, body = ctx.m1.get("/arbejde/moede/%d/referat?version=1" % mid)
    check(st == 200 and "Godkendt version 1" in body.decode() and b"Rekruttering" in body,
          "version 1 readable: %d" % st)
    st, _, _ = ctx.m1.get("/arbejde/moede/%d/referat?version=2" % mid)
    check(st == 404, "version 2 is not approved: %d" % st)
    check(cversion(ctx, c2) == v, "reopening overwrites nothing")
    # version 2 is a draft: the editor's form saves again
    form = editor_form(ctx.sek, c2, "Skrevet om efter genåbningen.")
    st, _, _ = ctx.sek.post("/arbejde/sag/%d/rediger" % c2, form)
    check(st == 303 and cversion(ctx, c2) == v + 1, "the reopened minutes are edited: %d" % st)
    st, _, body = ctx.m1.get("/arbejde/moede/%d/referat?version=1" % mid)
    check("Skrevet om efter" not in body.decode(), "version 1 shows the approved text")


def test_ledger_intact(ctx):
    r = cli(ctx, "audit", "verify")
    check(r.returncode == 0, "audit verify: %s %s" % (r.stdout, r.stderr))


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        ctx.clock = os.path.join(ctx.dir, "clock")
        set_clock(ctx, "2026-11-10T08:00:00Z")
        os.environ["REFERAT_CLOCK_FILE"] = ctx.clock
        add_user(referat, ctx.db, "sek", grants=[("DIR", "sekretaer")])
        add_user(referat, ctx.db, "m1", grants=[("DIR", "medlem")])
        add_user(referat, ctx.db, "m2", grants=[("DIR", "medlem")])
        add_user(referat, ctx.db, "sb", grants=[("DIR", "sagsbehandler")])
        add_user(referat, ctx.db, "oek", grants=[("ØK", "medlem")])
        ctx.srv = Server(referat, ctx.db, ["--quiet"], env={"REFERAT_CLOCK_FILE": ctx.clock})
        ctx.sek, ctx.m1, ctx.m2 = Client(ctx.srv), Client(ctx.srv), Client(ctx.srv)
        ctx.sb, ctx.oek = Client(ctx.srv), Client(ctx.srv)
        ctx.clients = ((ctx.sek, "sek"), (ctx.m1, "m1"), (ctx.m2, "m2"), (ctx.sb, "sb"),
                       (ctx.oek, "oek"))
        for c, login in ctx.clients:
            c.login(login)
        ctx.mid, ctx.c1, ctx.c2 = setup_meeting(ctx, "2026-11-10")
        # in the order written: each step builds on the one before
        runner.run_all(globals(), ctx)

        def test_server_exits_cleanly(ctx):
            rc = ctx.srv.stop()
            check(rc == 0, "exit status %r: %s" % (rc, "".join(ctx.srv.log)[-3000:]))
        runner.run(test_server_exits_cleanly, ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
