"""web_publication: publishing the minutes (issue 9, publication) against the real `referat
serve`: a case's levels through its form (a bad level refused at the field, nothing saved;
a member may not), the publish guard's problems all listed on the meeting's publication page
and the workflow button refused with them (nothing published), publishing updating the
portal, the meeting page, search, the Atom feed and the follow-ups at once (the page cache
included), a publish scheduled through the form and run by `referat meeting publish-due`
when the test's clock passes it, and afpublicer (a reason, the ledger) taking the minutes off
all of them at once. The clock is the test's (REFERAT_CLOCK_FILE).

usage: web_publication.py REFERAT EXAMPLES_DIR"""
# (tests run in the order they are defined: each step builds on the one before)

import json
import os
import re
import sqlite3
import sys
import time

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, cli, make_archive,
                        q, set_clock, workdir)

# Words found nowhere else in the archive.
DECISION = "Direktionen godkendte Kvistgårdsmodellen."
ENTRY = "Lindeallé-planen vedtaget"
OWNER = "Lindeallé-gruppen"
PUBLIC_DECISION = "Direktionen traf en beslutning om en medarbejder."


def version(ctx, table, oid):
    return str(q(ctx, 'SELECT version FROM "%s" WHERE id = ?' % table, oid)[0][0])


def step(ctx, action, *extra, ok=True, mid=None):
    mid = mid or ctx.mid
    return cli(ctx, "meeting", "step", str(mid), action, "--version",
               version(ctx, "meeting", mid), *extra, ok=ok)


def save_json(ctx, cid, model):
    path = os.path.join(ctx.dir, "case-%d-%d.json" % (cid or 0, len(os.listdir(ctx.dir))))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False)
    if cid:
        cli(ctx, "case", "save", str(cid), "--version", version(ctx, "case", cid), path)
    return path


def new_case(ctx, mid, model):
    path = save_json(ctx, None, model)
    r = cli(ctx, "case", "new", "--meeting", str(mid), path)
    cid = int(re.search(r"case (\d+)", r.stdout).group(1))
    for s in ("indsend", "godkend", "saet_paa_dagsorden"):
        cli(ctx, "case", "step", str(cid), s, "--version", "1")
    return cid


def approve(ctx, mid):
    # The round closed by the sekretær at once (minutes.approval_days 0, set in main): the
    # members' own approvals are the minutes helper's tests.
    for a in ("afslut", "send_referat_til_godkendelse", "luk_godkendelse"):
        step(ctx, a, mid=mid)


def setup_meeting(ctx):
    """A DIR meeting in referat, in progress: an open case decided with a follow-up, an open
    case without a decision, a closed case."""
    set_clock(ctx, "2027-03-01T08:00:00Z")
    r = cli(ctx, "meeting", "add", "DIR", "2027-03-10", "--start", "09:00", "--end", "11:00",
            "--place", "Rådhuset, mødelokale 3")
    ctx.mid = int(re.search(r"meeting (\d+)", r.stdout).group(1))
    ctx.open = {"format": "referat-case/1", "title": "Lindeallé", "public": True,
                "route": ["DIR"], "presentation": "Planen for Lindeallé."}
    ctx.a = new_case(ctx, ctx.mid, ctx.open)
    ctx.b = new_case(ctx, ctx.mid, {"format": "referat-case/1", "title": "Orientering",
                                    "public": True, "route": ["DIR"],
                                    "presentation": "Kort orientering."})
    ctx.c = new_case(ctx, ctx.mid, {"format": "referat-case/1", "title": "Personsag",
                                    "public": False, "public_title": "Personalesag",
                                    "route": ["DIR"], "presentation": "Fortrolig tekst."})
    step(ctx, "frigiv_dagsorden")
    set_clock(ctx, "2027-03-10T08:00:00Z")
    step(ctx, "start")
    ctx.open["decisions"] = [{"body": "Direktionen", "date": "2027-03-10", "entries": [
        {"title": ENTRY, "text": DECISION, "followups": [
            {"owner": OWNER, "role": None, "text": OWNER + " følger op.", "due": None}],
         "dates": []}]}]
    save_json(ctx, ctx.a, ctx.open)


def test_guard_lists_every_problem(ctx):
    # The page lists what the guard finds at any time, so the sekretær fixes it in time; the
    # staff meeting and case pages link to the publication pages.
    _, _, body = ctx.sec.get("/arbejde/moede/%d" % ctx.mid)
    check(("/arbejde/moede/%d/offentliggoerelse" % ctx.mid).encode() in body, "linked")
    _, _, body = ctx.sec.get("/arbejde/sag/%d" % ctx.c)
    check(("/arbejde/sag/%d/offentliggoerelse" % ctx.c).encode() in body, "linked")
    cli(ctx, "body", "settings", "DIR", "publication.rule=kommunalbestyrelse")
    st, _, body = ctx.sec.get("/arbejde/moede/%d/offentliggoerelse" % ctx.mid)
    text = body.decode()
    check(st == 200 and "2 problemer" in text, "all problems listed: %d %s" % (st, text[-1500:]))
    check("Punkt 2 (" in text and "en tom beslutning" in text, "the empty decision of punkt 2")
    check("Punkt 3 (" in text and "ingen offentlig beslutningstekst" in text and
          "Personalesag" in text and "Personsag" not in text,
          "the closed case, by its public title, needs a public decision")
    cli(ctx, "body", "settings", "DIR", "publication.rule=frivillig")
    st, _, body = ctx.sec.get("/arbejde/moede/%d/offentliggoerelse" % ctx.mid)
    check("1 problem ".encode() in body, "DIR's default: publishing a closed case is voluntary")
    cli(ctx, "body", "settings", "DIR", "publication.rule=kommunalbestyrelse")


def test_levels_form(ctx):
    sec = ctx.sec
    url = "/arbejde/sag/%d/offentliggoerelse" % ctx.c
    st, _, body = sec.get(url)
    check(st == 200 and b'name="niveau"' in body and b'name="offentlig_beslutning"' in body,
          "the form of a closed case: %d" % st)
    st, _, _ = ctx.member.get(url)
    check(st in (403, 404), "a member may not: %d" % st)
    before = version(ctx, "case", ctx.c)
    form = {"csrf": sec.csrf(), "version": before, "niveau": "halv"}
    st, _, body = sec.post(url, form)
    check(st == 400 and "Intet er gemt".encode() in body and b"aria-invalid" in body,
          "a level that does not exist, at its field: %d" % st)
    check(version(ctx, "case", ctx.c) == before, "nothing saved")
    form.update({"niveau": "", "offentlig_beslutning": PUBLIC_DECISION})
    st, h, _ = sec.post(url, form)
    check(st == 303, "the public decision saved: %d" % st)
    check(q(ctx, 'SELECT public_decision FROM "case" WHERE id = ?', ctx.c)[0][0] ==
          PUBLIC_DECISION, "stored")
    url = "/arbejde/sag/%d/offentliggoerelse" % ctx.b
    st, h, _ = sec.post(url, {"csrf": sec.csrf(), "version": version(ctx, "case", ctx.b),
                              "niveau": "titel"})
    check(st == 303 and q(ctx, 'SELECT publication FROM "case" WHERE id = ?', ctx.b)[0][0] ==
          "titel", "punkt 2 by its title only: %d" % st)
    # A stale version: refused, nothing saved.
    st, _, _ = sec.post(url, {"csrf": sec.csrf(), "version": "1", "niveau": "fuld"})
    check(st == 409 and q(ctx, 'SELECT publication FROM "case" WHERE id = ?', ctx.b)[0][0] ==
          "titel", "a stale save: %d" % st)
    st, _, body = ctx.sec.get("/arbejde/moede/%d/offentliggoerelse" % ctx.mid)
    check("Kontrollen finder intet".encode() in body, "the guard passes now")


def test_refused_publish_publishes_nothing(ctx):
    # Another meeting, approved with a case without a decision: the button is refused.
    r = cli(ctx, "meeting", "add", "DIR", "2027-03-11")
    other = int(re.search(r"meeting (\d+)", r.stdout).group(1))
    cid = new_case(ctx, other, {"format": "referat-case/1", "title": "Uden beslutning",
                                "public": True, "route": ["DIR"]})
    step(ctx, "frigiv_dagsorden", mid=other)
    step(ctx, "start", mid=other)
    approve(ctx, other)
    form = {"csrf": ctx.sec.csrf(), "handling": "offentliggoer",
            "version": version(ctx, "meeting", other)}
    events = q(ctx, "SELECT count(*) FROM ledger")[0][0]
    st, _, body = ctx.sec.post("/arbejde/moede/%d/handling" % other, form)
    check(st == 409 and "kan ikke offentliggøres (1 problem)".encode() in body,
          "refused: %d" % st)
    check(q(ctx, "SELECT state, minutes_published_at FROM meeting WHERE id = ?", other)[0] ==
          ("referat_godkendt", None), "not published")
    check(q(ctx, "SELECT count(*) FROM ledger")[0][0] == events, "no event")
    r = cli(ctx, "meeting", "step", str(other), "offentliggoer", "--version",
            version(ctx, "meeting", other), ok=False)
    check(r.returncode != 0 and "tom beslutning" in r.stderr, "the CLI alike: %s" % r.stderr)
    check(cid > 0, "the case")


def public_state(ctx):
    anon = Client(ctx.srv)
    _, _, case = anon.get("/sag/%d" % ctx.a)
    _, _, closed = anon.get("/sag/%d" % ctx.c)
    _, _, meeting = anon.get("/moede/%d" % ctx.mid)
    _, _, search = anon.get("/soeg?q=Kvistg%C3%A5rdsmodellen")
    _, _, atom = anon.get("/organ/DIR/atom.xml")
    _, _, fus = anon.get("/api/followups?status=all&per_page=100")
    return {"case": DECISION.encode() in case,
            "closed": PUBLIC_DECISION.encode() in closed,
            "meeting": "Referat offentliggjort".encode() in meeting,
            "attendance": "Fremmøde".encode() in meeting,
            "search": ("/sag/%d" % ctx.a).encode() in search,
            "atom": ENTRY.encode() in atom,
            "followups": OWNER.encode() in fus}


def test_publish_later_and_at_once_everywhere(ctx):
    approve(ctx, ctx.mid)
    con = sqlite3.connect(ctx.db)
    con.execute("INSERT INTO attendance (meeting_id, pos, name, role, status, substitute) "
                "VALUES (?, 0, 'Anne Holm', 'formand', 'present', NULL), "
                "(?, 1, 'Bo Lind', NULL, 'stedfortraeder', 'Carl Berg')", (ctx.mid, ctx.mid))
    con.commit()
    con.close()
    # The anonymous pages before (now in the page cache): nothing of the minutes.
    before = public_state(ctx)
    check(not any(before.values()), "nothing of the minutes before: %r" % before)
    url = "/arbejde/moede/%d/offentliggoerelse" % ctx.mid
    form = {"csrf": ctx.sec.csrf(), "handling": "planlaeg", "dato": "2027-02-30",
            "tid": "10:00", "version": version(ctx, "meeting", ctx.mid)}
    st, _, body = ctx.sec.post(url, form)
    check(st == 400 and b"aria-invalid" in body, "a date that does not exist: %d" % st)
    form["dato"] = "2027-03-09"
    st, _, body = ctx.sec.post(url, form)
    check(st == 400 and b"passed" in body, "a time that has passed: %d" % st)
    check(q(ctx, "SELECT publish_at FROM meeting WHERE id = ?", ctx.mid)[0][0] is None,
          "nothing stored")
    form["dato"] = "2027-03-12"
    st, h, _ = ctx.sec.post(url, form)
    check(st == 303, "scheduled: %d" % st)
    at = q(ctx, "SELECT publish_at FROM meeting WHERE id = ?", ctx.mid)[0][0]
    check(at and at.startswith("2027-03-12T"), "publish_at stored: %r" % at)
    st, _, body = ctx.sec.get(url)
    check(at.encode() in body, "shown to the sekretær")
    r = cli(ctx, "meeting", "publish-due")
    check("0 published" in r.stdout, "not yet due: %s" % r.stdout)
    set_clock(ctx, "2027-03-12T23:59:00Z")
    r = cli(ctx, "meeting", "publish-due")
    check("1 published" in r.stdout, "published when due: %s" % r.stdout)
    after = public_state(ctx)
    check(all(after.values()), "portal, meeting page, search, Atom and follow-ups at once: %r"
          % after)


def test_meeting_page(ctx):
    st, _, body = Client(ctx.srv).get("/moede/%d" % ctx.mid)
    text = body.decode()
    check(st == 200 and "Rådhuset, mødelokale 3" in text and "09:00" in text and
          "11:00" in text, "place, start and end")
    check("Referat offentliggjort 12-03-2027" in text, "the minutes' state and date")
    check("Anne Holm" in text and "Carl Berg" in text, "the attendance")
    m = re.search(r'rel="next" href="/moede/(\d+)"', text)
    check(m is not None, "a link to the body's next meeting")
    check(q(ctx, "SELECT date FROM meeting WHERE id = ?", int(m.group(1)))[0][0] ==
          "2027-03-11", "the next one is the next day's")
    m = re.search(r'rel="prev" href="/moede/(\d+)"', text)
    check(m and q(ctx, "SELECT date < '2027-03-10' FROM meeting WHERE id = ?",
                  int(m.group(1)))[0][0] == 1, "the previous one is earlier")


def test_unpublish(ctx):
    # The test's clock moved two days on: the sessions of the 10th have expired.
    ctx.sec, ctx.member = Client(ctx.srv), Client(ctx.srv)
    ctx.sec.login("sek")
    ctx.member.login("medl")
    form = {"csrf": ctx.sec.csrf(), "handling": "afpublicer",
            "version": version(ctx, "meeting", ctx.mid)}
    st, _, body = ctx.sec.post("/arbejde/moede/%d/handling" % ctx.mid, form)
    check(st == 400, "a reason is required: %d" % st)
    form["grund-afpublicer"] = "Et navn skal fjernes"
    st, _, _ = ctx.member.post("/arbejde/moede/%d/handling" % ctx.mid,
                               dict(form, csrf=ctx.member.csrf()))
    check(st in (403, 404, 409), "a member may not: %d" % st)
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/handling" % ctx.mid, form)
    check(st == 303, "unpublished: %d" % st)
    gone = public_state(ctx)
    check(not any(gone.values()), "off every public output at once: %r" % gone)
    ev = q(ctx, "SELECT detail FROM ledger WHERE object = ? ORDER BY id DESC LIMIT 1",
           "meeting:%d" % ctx.mid)[0][0]
    check("afpublicer" in ev and "Et navn skal fjernes" in ev, "the ledger keeps the reason")
    r = cli(ctx, "audit", "verify")
    check(r.returncode == 0, "the ledger is intact: %s" % r.stdout)


def test_server_publishes_when_due(ctx):
    # The server's outbox thread publishes what is due (a second server, a round a second;
    # an invitation waiting for a relay that is not set up does not hold it back).
    url = "/arbejde/moede/%d/offentliggoerelse" % ctx.mid
    form = {"csrf": ctx.sec.csrf(), "handling": "planlaeg", "dato": "2027-03-14",
            "tid": "10:00", "version": version(ctx, "meeting", ctx.mid)}
    st, _, _ = ctx.sec.post(url, form)
    check(st == 303, "scheduled again: %d" % st)
    set_clock(ctx, "2027-03-14T12:00:00Z")
    srv = Server(ctx.referat, ctx.db, ["--quiet", "--outbox-seconds", "1"])
    try:
        published = False
        for _ in range(100):
            if q(ctx, "SELECT state FROM meeting WHERE id = ?", ctx.mid)[0][0] == \
                    "offentliggjort":
                published = True
                break
            time.sleep(0.1)
        check(published, "published by the server: %s" % "".join(srv.log)[-2000:])
        st, _, body = Client(srv).get("/moede/%d" % ctx.mid)
        check("Referat offentliggjort 14-03-2027".encode() in body, "on its meeting page")
    finally:
        rc = srv.stop()
    check(rc == 0, "the second server exits cleanly: %r" % rc)


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        ctx.clock = os.path.join(ctx.dir, "clock")
        set_clock(ctx, "2027-03-01T08:00:00Z")
        os.environ["REFERAT_CLOCK_FILE"] = ctx.clock
        add_user(referat, ctx.db, "sek", grants=[("DIR", "sekretaer")])
        add_user(referat, ctx.db, "medl", grants=[("DIR", "medlem")])
        cli(ctx, "body", "settings", "DIR", "minutes.approval_days=0")
        setup_meeting(ctx)
        # No outbox thread here: `referat meeting publish-due` publishes (the thread is
        # test_server_publishes_when_due's, on a server of its own).
        ctx.srv = Server(referat, ctx.db, ["--quiet", "--outbox-seconds", "0"])
        ctx.sec, ctx.member = Client(ctx.srv), Client(ctx.srv)
        ctx.sec.login("sek")
        ctx.member.login("medl")
        runner.run_all(globals(), ctx)  # in the order they are defined: one story

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
