"""web_agenda: the agenda in the browser (issue 8) against the real `referat serve`: a body's
settings (checked at the field, a ledger event per change), a new meeting with the body's
defaults and recurring items (dates and times that do not exist refused at the field, nothing
saved), edit with a stale version, the release refused while an open text holds a CPR number
or a template's help text (the forms and the store's transition alike), the released agenda
on the portal (a closed case by its public title only), the tillægsdagsorden, reordering,
udsæt, the proforma preview (changes nothing), cancelling with a reason, and the Atom and
iCalendar feeds. The clock is the test's (REFERAT_CLOCK_FILE).

usage: web_agenda.py REFERAT EXAMPLES_DIR"""

import os
import re
import sqlite3
import sys

from web_common import (MARKER, Client, Ctx, Runner, Server, add_user, check, cleanup, cli,
                        make_archive, q, workdir)

OEK = "%C3%98K"  # ØK in a path


def new_case(ctx, meeting, name, text, closed=False):
    """A case on the meeting's agenda through the CLI (the JSON model, docs/json.md), signed
    off and put on the agenda."""
    import json
    path = os.path.join(ctx.dir, "case-%d.json" % len(os.listdir(ctx.dir)))
    model = {"format": "referat-case/1", "title": name, "public": not closed, "route": ["ØK"],
             "presentation": text,
             "recommendation": "Det indstilles, at sagen tages til efterretning."}
    if closed:
        model["public_title"] = "Personalesag"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False)
    r = cli(ctx, "case", "new", "--meeting", str(meeting), path)
    cid = int(re.search(r"case (\d+) version", r.stdout).group(1))
    for step in ("indsend", "godkend", "saet_paa_dagsorden"):
        r = cli(ctx, "case", "step", str(cid), step, "--version", "1", ok=False)
        if r.returncode != 0:
            return cid, r
    return cid, None


def meeting_version(ctx, mid):
    return q(ctx, "SELECT version FROM meeting WHERE id = ?", mid)[0][0]


def test_body_settings(ctx):
    sec = ctx.sec
    st, _, body = sec.get("/arbejde/organ/%s/indstillinger" % OEK)
    check(st == 200 and b'name="agenda.deadline_days"' in body and b'value="5"' in body,
          "the form with the defaults: %d" % st)
    events = q(ctx, "SELECT count(*) FROM ledger WHERE action = 'body.setting'")[0][0]
    form = {"csrf": sec.csrf(), "agenda.deadline_days": "400", "meeting.start": "25:00",
            "meeting.place": "Rådhuset"}
    st, _, body = sec.post("/arbejde/organ/%s/indstillinger" % OEK, form)
    check(st == 400, "bad values refused: %d" % st)
    text = body.decode()
    check("Intet er gemt" in text and "fra 0 til 365" in text and "aria-invalid" in text,
          "errors at the fields in Danish")
    check(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'body.setting'")[0][0] == events,
          "nothing saved")
    form.update({"agenda.deadline_days": "3", "meeting.start": "10:00", "meeting.end": "13:30",
                 })
    st, h, _ = sec.post("/arbejde/organ/%s/indstillinger" % OEK, form)
    check(st == 303 and h["location"].endswith("/indstillinger?gemt=1"), "saved: %d" % st)
    check(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'body.setting'")[0][0] ==
          events + 4, "an event per changed key")
    # Another body's sekretær and a member may not; an administrator may.
    st, _, _ = Client.get(ctx.other, "/arbejde/organ/%s/indstillinger" % OEK)
    check(st == 404, "another body's sekretær: %d" % st)
    st, _, _ = ctx.admin.get("/arbejde/organ/%s/indstillinger" % OEK)
    check(st == 200, "an administrator: %d" % st)


def test_cli_settings(ctx):
    r = cli(ctx, "body", "settings", "DIR")
    check(re.search(r"case\.signoff +0 ", r.stdout) and re.search(r"agenda\.late +markeret",
                                                                  r.stdout),
          "the defaults, sign-off off for the Direktion: %s" % r.stdout)
    r = cli(ctx, "body", "settings", "DIR", "agenda.late=afvist", "meeting.end=24:00", ok=False)
    check(r.returncode == 2 and "meeting.end" in r.stderr, "a bad value: %s" % r.stderr)
    check("afvist" not in cli(ctx, "body", "settings", "DIR").stdout, "nothing set")
    cli(ctx, "body", "settings", "DIR", "agenda.late=tilladt")
    check(re.search(r"agenda\.late +tilladt", cli(ctx, "body", "settings", "DIR").stdout),
          "set")
    cli(ctx, "body", "settings", "DIR", "agenda.late=")
    check(re.search(r"agenda\.late +markeret", cli(ctx, "body", "settings", "DIR").stdout),
          "back to the default")


def test_new_meeting(ctx):
    sec = ctx.sec
    st, _, body = sec.get("/arbejde/moede/ny?organ=%s" % OEK)
    check(st == 200 and b'value="10:00"' in body and "Rådhuset".encode() in body,
          "the body's defaults: %d" % st)
    before = q(ctx, "SELECT count(*) FROM meeting")[0][0]
    base = {"csrf": sec.csrf(), "organ": "ØK", "start": "10:00", "slut": "13:30",
            "sted": "Rådhuset, mødelokale 2"}
    for bad, field, words in [({"dato": "2026-02-30"}, "dato", "findes ikke"),
                              ({"dato": "30-12-2026"}, "dato", "ÅÅÅÅ-MM-DD"),
                              ({"dato": "2026-12-20", "start": "24:10"}, "start", "findes ikke"),
                              ({"dato": "2026-12-20", "slut": "09:00"}, "slut", "slutte efter"),
                              ({"dato": "2026-12-20", "organ": "DIR"}, "organ", "sekretær")]:
        st, _, body = sec.post("/arbejde/moede/ny", dict(base, **bad))
        text = body.decode()
        check(st == 400 and words in text and 'id="%s"' % field in text, "%r: %d" % (bad, st))
        check(re.search(r'id="%s"[^>]*aria-invalid="true"' % field, text) or
              re.search(r'aria-invalid="true"[^>]*id="%s"' % field, text),
              "the error is at field %s" % field)
    check(q(ctx, "SELECT count(*) FROM meeting")[0][0] == before, "nothing saved")
    st, h, _ = sec.post("/arbejde/moede/ny", dict(base, dato="2026-12-20", start="10.00"))
    check(st == 303, "created: %d" % st)
    ctx.mid = int(re.search(r"/arbejde/moede/(\d+)", h["location"]).group(1))
    st, _, body = sec.get("/arbejde/moede/%d" % ctx.mid)
    text = body.decode()
    check(st == 200 and "Godkendelse af dagsorden" in text and "Eventuelt" in text,
          "the recurring items are on the agenda")
    check(text.index("Godkendelse af dagsorden") < text.index("Eventuelt"), "in their order")
    check("kl. 10:00–13:30" in text and "Planlagt" in text, "time and state shown")
    # A second, later meeting to postpone to.
    st, h, _ = sec.post("/arbejde/moede/ny", dict(base, dato="2027-01-17"))
    ctx.mid2 = int(re.search(r"/arbejde/moede/(\d+)", h["location"]).group(1))


def test_edit_stale(ctx):
    sec = ctx.sec
    v = meeting_version(ctx, ctx.mid)
    form = {"csrf": sec.csrf(), "version": str(v), "dato": "2026-12-21", "start": "10:00",
            "slut": "13:30", "sted": "Rådhuset, mødelokale 2"}
    st, _, _ = sec.post("/arbejde/moede/%d/ret" % ctx.mid, form)
    check(st == 303, "moved: %d" % st)
    st, _, body = sec.post("/arbejde/moede/%d/ret" % ctx.mid, dict(form, dato="2026-12-22"))
    check(st == 409 and "ændret af en anden".encode() in body, "a stale version: %d" % st)
    check(q(ctx, "SELECT date FROM meeting WHERE id = ?", ctx.mid)[0][0] == "2026-12-21",
          "nothing saved")
    st, _, body = sec.post("/arbejde/moede/%d/ret" % ctx.mid, dict(form, version=str(v + 1),
                                                                   dato="2026-13-01"))
    check(st == 400 and b"findes ikke" in body, "a date that does not exist: %d" % st)


def test_release_guard(ctx):
    sec = ctx.sec
    ctx.c_open, r = new_case(ctx, ctx.mid, "Budgetopfølgning", "Budgettet holder.")
    check(r is None, "case steps: %s" % (r and r.stderr))
    ctx.c_cpr, _ = new_case(ctx, ctx.mid, "Klage over afgørelse",
                            "Borgeren klager.\n\nBorgerens CPR-nummer er 0102031234.")
    ctx.c_closed, _ = new_case(ctx, ctx.mid, "Afskedigelse " + MARKER,
                               "Lukket: " + MARKER + " 010203-1234", closed=True)
    events = q(ctx, "SELECT count(*) FROM ledger")[0][0]
    # The proforma preview says what stops the release and changes nothing.
    st, _, body = sec.get("/arbejde/moede/%d/proforma" % ctx.mid)
    text = body.decode()
    check(st == 200 and "CPR-nummer" in text and "Klage over afgørelse" in text,
          "proforma names the problem: %d" % st)
    check("Personalesag" in text and MARKER not in text, "proforma shows the public view")
    check(q(ctx, "SELECT count(*) FROM ledger")[0][0] == events, "proforma changes nothing")
    form = {"csrf": sec.csrf(), "handling": "frigiv_dagsorden",
            "version": str(meeting_version(ctx, ctx.mid))}
    st, _, body = sec.post("/arbejde/moede/%d/handling" % ctx.mid, form)
    text = body.decode()
    check(st == 409 and "CPR-nummer" in text and "Sagsfremstilling, linje 3" in text and
          "0102031234" not in text, "release refused, naming case and place: %d" % st)
    check(q(ctx, "SELECT published FROM meeting WHERE id = ?", ctx.mid)[0][0] == 0,
          "nothing released")
    # The same through the store's transition (the CLI, like the API, comes there).
    r = cli(ctx, "meeting", "step", str(ctx.mid), "frigiv_dagsorden", "--version",
            str(meeting_version(ctx, ctx.mid)), ok=False)
    check(r.returncode != 0 and "CPR-nummer" in r.stderr, "the CLI is refused too: %s" % r.stderr)
    # And through the write API (/api/v1, the lead's), with a bearer token of the sekretær.
    import json
    token = cli(ctx, "token", "add", "sek").stdout.strip()
    st, _, body = ctx.srv.get("/api/v1/meetings/%d/actions/frigiv" % ctx.mid, method="POST",
                              headers={"Authorization": "Bearer " + token,
                                       "Content-Type": "application/json"},
                              body=json.dumps({"version": meeting_version(ctx, ctx.mid)}))
    text = body.decode()
    check(400 <= st < 500 and "CPR-nummer" in text and "0102031234" not in text,
          "the API is refused too: %d %s" % (st, text))
    check(q(ctx, "SELECT published FROM meeting WHERE id = ?", ctx.mid)[0][0] == 0,
          "nothing released")
    # A template's help text in an open text is refused as well.
    con = sqlite3.connect(ctx.db)
    body_id = con.execute("SELECT id FROM body WHERE code = 'ØK'").fetchone()[0]
    con.execute("INSERT INTO body_item (body_id, kind, pos, name, text, sections, version) "
                "VALUES (?, 'template', 1, 'Sag', 'Titel', ?, 1)",
                (body_id, '[{"name": "Indstilling", "field": "recommendation", "text": null, '
                          '"help": "Skriv, hvad udvalget skal beslutte."}]'))
    con.commit()
    con.close()
    fixed = os.path.join(ctx.dir, "fixed.md")
    with open(fixed, "w", encoding="utf-8") as f:
        f.write("## **Klage over afgørelse**\n\n*Åben Sag*\n\n### **Sagsgang**\n\nØK\n\n"
                "### **Sagsfremstilling**\n\n"
                "Borgeren klager.\n\n### Indstilling\n\nSkriv, hvad udvalget skal beslutte.\n")
    cli(ctx, "case", "save", str(ctx.c_cpr), "--version", "1", fixed)
    form["csrf"] = sec.csrf()
    st, _, body = sec.post("/arbejde/moede/%d/handling" % ctx.mid, form)
    check(st == 409 and "hjælpetekst".encode() in body and b"Indstilling" in body,
          "help text refused: %d" % st)
    with open(fixed, "w", encoding="utf-8") as f:
        f.write("## **Klage over afgørelse**\n\n*Åben Sag*\n\n### **Sagsgang**\n\nØK\n\n"
                "### **Sagsfremstilling**\n\n"
                "Borgeren klager.\n\n### Indstilling\n\nDet indstilles, at klagen afvises.\n")
    cli(ctx, "case", "save", str(ctx.c_cpr), "--version", "2", fixed)
    # Reorder while planned: the budget case moves down below the complaint.
    items = lambda: [r[0] for r in q(ctx, "SELECT case_id FROM agenda WHERE meeting_id = ? "
                                          "ORDER BY pos", ctx.mid)]
    before = items()
    st, _, _ = sec.post("/arbejde/moede/%d/flyt" % ctx.mid,
                        {"csrf": sec.csrf(), "sag": str(ctx.c_open), "retning": "ned"})
    after = items()
    i = before.index(ctx.c_open)
    check(st == 303 and after[i + 1] == ctx.c_open and after[i] == before[i + 1],
          "moved down: %d %r -> %r" % (st, before, after))
    form["csrf"] = sec.csrf()
    st, h, _ = sec.post("/arbejde/moede/%d/handling" % ctx.mid, form)
    check(st == 303, "released: %d" % st)
    check(q(ctx, "SELECT published, released_at IS NOT NULL FROM meeting WHERE id = ?",
            ctx.mid)[0] == (1, 1), "published with its time")
    st, _, _ = sec.post("/arbejde/moede/%d/flyt" % ctx.mid,
                        {"csrf": sec.csrf(), "sag": str(ctx.c_open), "retning": "op"})
    check(st == 409 and items() == after, "the order is locked after release: %d" % st)


def test_supplement_and_portal(ctx):
    ctx.c_extra, r = new_case(ctx, ctx.mid, "Ekstra punkt om vejbump", "Vejbump på Skolevej.")
    check(r is None, "a case after release")
    st, _, body = ctx.sec.get("/arbejde/moede/%d" % ctx.mid)
    text = body.decode()
    items = re.findall(r'<li id="punkt-\d+">(.*?)</li>', text, re.S)
    marked = [("Ekstra punkt" in li, "Tillægsdagsorden" in li) for li in items]
    check(marked and marked[-1] == (True, True) and not any(m for _, m in marked[:-1]),
          "only the new case is marked on the staff page: %r" % marked)
    anon = Client(ctx.srv)
    st, _, body = anon.get("/moede/%d" % ctx.mid)
    text = body.decode()
    check(st == 200 and "Budgetopfølgning" in text and "Klage over afgørelse" in text,
          "the released agenda on the portal: %d" % st)
    check("Personalesag" in text and MARKER not in text and "Afskedigelse" not in text,
          "a closed case by its public title only")
    check("Tillægsdagsorden" in text and "Ekstra punkt om vejbump" in text, "the supplement")
    check("Kl. 10:00–13:30" in text and "Rådhuset, mødelokale 2" in text, "time and place")
    st, _, body = anon.get("/sag/%d" % ctx.c_extra)
    text = body.decode()
    check(st == 200 and re.search(r"Punkt \d+ på dagsordenen", text) and
          "Tillægsdagsorden" in text, "the case page marks the tillægsdagsorden: %d" % st)
    st, _, body = anon.get("/sag/%d" % ctx.c_open)
    check("Tillægsdagsorden".encode() not in body, "not a case of the agenda itself")
    import json
    st, _, body = anon.get("/api/meetings/%d" % ctx.mid)
    j = json.loads(body)
    check(j["state"] == "dagsorden_frigivet" and j["released_at"] and j["start"] == "10:00",
          "the API's meeting: %r" % j)
    marks = [(c["title"], c["supplement"]) for c in j["cases"]]
    check(marks[-1] == ("Ekstra punkt om vejbump", True) and not any(s for _, s in marks[:-1])
          and ("Personalesag", False) in marks and MARKER not in body.decode(),
          "the API marks the tillægsdagsorden: %r" % marks)
    st, _, body = anon.get("/atom.xml")
    text = body.decode()
    check("<id>tag:referat,2024:dagsorden/%d</id>" % ctx.mid in text, "an Atom entry")
    entry = text[text.index("dagsorden/%d" % ctx.mid):]
    entry = entry[:entry.index("</entry>")]
    check("Personalesag" in entry and "(tillægsdagsorden)" in entry and MARKER not in text,
          "the entry lists the public titles")
    st, _, body = anon.get("/organ/%s/atom.xml" % OEK)
    check(("dagsorden/%d" % ctx.mid).encode() in body, "in the body's feed too")


def ical_events(text):
    """The VEVENTs of a calendar, parsed with python3-icalendar (Debian's package)."""
    try:
        import icalendar
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        import icalendar
    cal = icalendar.Calendar.from_ical(text)
    return cal, {str(c["UID"]): c for c in cal.walk("VEVENT")}


def test_ical(ctx):
    anon = Client(ctx.srv)
    st, h, body = anon.get("/organ/%s/kalender.ics" % OEK)
    check(st == 200 and h["content-type"].startswith("text/calendar"), "the feed: %d" % st)
    text = body.decode()
    check("DTSTART;TZID=Europe/Copenhagen:20261221T100000" in text and
          "DTEND;TZID=Europe/Copenhagen:20261221T133000" in text, "a timed event")
    check("BEGIN:VTIMEZONE" in text and "TZID:Europe/Copenhagen" in text, "with its VTIMEZONE")
    cal, ev = ical_events(body)
    e = ev["moede-%d@referat" % ctx.mid]
    start, end = e["DTSTART"].dt, e["DTEND"].dt
    check((start.hour, start.minute, end.hour, end.minute) == (10, 0, 13, 30),
          "parsed times: %r %r" % (start, end))
    check(start.utcoffset().total_seconds() == 3600, "in Copenhagen time (CET in December)")
    check(str(e["LOCATION"]) == "Rådhuset, mødelokale 2", "the place")
    check("STATUS" not in e, "not cancelled")
    # An imported meeting has no times: still an all-day event.
    check(any(not hasattr(c["DTSTART"].dt, "hour") for c in ev.values()),
          "all-day events for meetings without times")


def test_postpone(ctx):
    sec = ctx.sec
    st, _, _ = sec.post("/arbejde/moede/%d/udsaet" % ctx.mid,
                        {"csrf": sec.csrf(), "sag": str(ctx.c_open),
                         "til-%d" % ctx.c_open: str(ctx.mid2)})
    check(st == 303, "postponed: %d" % st)
    st, _, body = sec.get("/arbejde/moede/%d" % ctx.mid)
    check("Udsat til".encode() in body and b"/arbejde/moede/%d" % ctx.mid2 in body,
          "the first meeting says where it went")
    st, _, body = sec.get("/arbejde/moede/%d" % ctx.mid2)
    check("Budgetopfølgning".encode() in body, "on the later agenda")
    st, _, body = sec.get("/sag/%d" % ctx.c_open)
    check(body.count("på dagsordenen for".encode()) == 2 and b">Udsat<" in body,
          "the case page shows both agendas, the first as udsat")
    check(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'case.postpone' AND object = ?",
            "case:%d" % ctx.c_open)[0][0] == 1, "a ledger event")


def test_cancel(ctx):
    sec = ctx.sec
    form = {"csrf": sec.csrf(), "handling": "aflys",
            "version": str(meeting_version(ctx, ctx.mid))}
    st, _, body = sec.post("/arbejde/moede/%d/handling" % ctx.mid, form)
    check(st == 400 and b"begrundelse" in body.lower(), "a reason is required: %d" % st)
    form["grund-aflys"] = "Formanden er syg"
    st, _, _ = sec.post("/arbejde/moede/%d/handling" % ctx.mid, form)
    check(st == 303, "cancelled: %d" % st)
    st, _, body = Client(ctx.srv).get("/moede/%d" % ctx.mid)
    check("Mødet er aflyst: Formanden er syg".encode() in body, "the portal shows the reason")
    st, _, body = Client(ctx.srv).get("/organ/%s/kalender.ics" % OEK)
    _, ev = ical_events(body)
    check(str(ev["moede-%d@referat" % ctx.mid]["STATUS"]) == "CANCELLED", "STATUS:CANCELLED")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        clock = os.path.join(ctx.dir, "clock")
        with open(clock, "w") as f:
            f.write("2026-11-02T09:00:00Z\n")
        os.environ["REFERAT_CLOCK_FILE"] = clock
        add_user(referat, ctx.db, "sek", grants=[("ØK", "sekretaer")])
        add_user(referat, ctx.db, "andet", grants=[("DIR", "sekretaer")])
        add_user(referat, ctx.db, "admin", admin=True)
        con = sqlite3.connect(ctx.db)
        body_id = con.execute("SELECT id FROM body WHERE code = 'ØK'").fetchone()[0]
        con.execute("INSERT INTO body_item (body_id, kind, pos, name, text, duration, public, "
                    "version) VALUES (?, 'recurring', 2, 'Eventuelt', NULL, 5, 1, 1), "
                    "(?, 'recurring', 1, 'Godkendelse af dagsorden', NULL, 5, 1, 1)",
                    (body_id, body_id))
        con.commit()
        con.close()
        ctx.srv = Server(referat, ctx.db, ["--quiet"])
        ctx.sec, ctx.other, ctx.admin = Client(ctx.srv), Client(ctx.srv), Client(ctx.srv)
        ctx.sec.login("sek")
        ctx.other.login("andet")
        ctx.admin.login("admin")
        runner.run_all(globals(), ctx)

        def test_server_exits_cleanly(ctx):
            # Under ASan a leak in any page above makes the exit status non-zero.
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
