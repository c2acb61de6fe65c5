"""web_live: the live meeting view and the attendance (issue 9) against the real `referat
serve`, with the server's clock set by the test (REFERAT_CLOCK_FILE): the meeting started
(the first row stamped), three stamps of "Næste punkt", one overrun shown in text, a reload and
a second client seeing the same state, members read-only (403 on POST), the projector view,
a stale device and a clock that jumps back refused with nothing changed, afslut writing the
actual times into the case's model; attendance: everyone present in one action, afbud,
stedfortræder, an arrival at sub-item 2, and bad input refused at the field with nothing
changed.

usage: web_live.py REFERAT EXAMPLES_DIR"""

import json
import os
import re
import subprocess
import sys
import zlib

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq, make_archive,
                        q, set_clock, workdir)


def cli(ctx, *args):
    r = subprocess.run([ctx.referat] + list(args) + ["--db", ctx.db], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0, "referat %s: %s" % (" ".join(args), r.stderr))
    return r.stdout


def new_case(ctx, model):
    path = os.path.join(ctx.dir, "case-%d.json" % len(os.listdir(ctx.dir)))
    model = dict({"format": "referat-case/1", "public": True, "route": ["DIR"]}, **model)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False)
    out = cli(ctx, "case", "new", "--meeting", str(ctx.mid), path)
    cid = int(re.search(r"case (\d+) version", out).group(1))
    for step in ("indsend", "godkend", "saet_paa_dagsorden"):
        cli(ctx, "case", "step", str(cid), step, "--version", "1")
    return cid


def meeting_version(ctx):
    return q(ctx, "SELECT version FROM meeting WHERE id = ?", ctx.mid)[0][0]


def step(ctx, action):
    st, h, body = ctx.sec.post("/arbejde/moede/%d/handling" % ctx.mid,
                               {"csrf": ctx.sec.csrf(), "handling": action,
                                "version": str(meeting_version(ctx))})
    check(st == 303, "%s: %d %s" % (action, st, body[:400]))


def live(ctx, client=None):
    st, _, body = (client or ctx.sec).get("/arbejde/moede/%d/live" % ctx.mid)
    check(st == 200, "live page: %d" % st)
    return body.decode()


def live_json(ctx, client=None):
    st, h, body = (client or ctx.sec).get("/arbejde/moede/%d/live.json" % ctx.mid)
    check(st == 200 and h["content-type"].startswith("application/json"), "live.json: %d" % st)
    check("no-store" in h.get("cache-control", ""), "never cached: %r" % h.get("cache-control"))
    return json.loads(body)


def next_item(ctx, fra, client=None):
    c = client or ctx.sec
    return c.post("/arbejde/moede/%d/live" % ctx.mid, {"csrf": c.csrf(), "fra": str(fra)})


def unchanged(ctx):
    return (q(ctx, "SELECT count(*) FROM ledger")[0][0],
            q(ctx, "SELECT case_id, subitem, started_at, ended_at FROM live_stamp "
                   "WHERE meeting_id = ? ORDER BY 1, 2", ctx.mid))


def test_setup(ctx):
    st, h, _ = ctx.sec.post("/arbejde/moede/ny", {"csrf": ctx.sec.csrf(), "organ": "DIR",
                                                  "dato": "2026-12-20", "start": "10:00",
                                                  "slut": "12:00", "sted": "Rådhuset"})
    check(st == 303, "meeting created: %d" % st)
    ctx.mid = int(re.search(r"/arbejde/moede/(\d+)", h["location"]).group(1))
    ctx.cid = new_case(ctx, {
        "title": "Punkter til behandling", "has_table": True,
        "subitems": [
            {"time": "10.00", "duration": 5, "title": "Status på budgettet"},
            {"duration": 5, "title": "Digitaliseringsstrategi",
             "guests": [{"name": "Tonny Olsen",
                         "role": "Chef for Borgerservice, IT og Digitalisering"}]},
            {"duration": 10, "title": "Eventuelt"}]})
    ctx.cid2 = new_case(ctx, {"title": "Orientering fra direktøren"})
    step(ctx, "frigiv_dagsorden")


def test_before_start(ctx):
    st, _, body = ctx.sec.get("/arbejde/moede/%d" % ctx.mid)
    check(b'/live">Live-visning af m' in body and b'/fremmoede">Fremm' in body,
          "the meeting page links the live view and the attendance")
    text = live(ctx)
    check("ikke startet" in text and "Næste punkt" not in text, "not started: read-only")
    before = unchanged(ctx)
    st, _, body = next_item(ctx, 0)
    check(st == 409 and "ikke i gang" in body.decode(), "næste punkt before start: %d" % st)
    eq(unchanged(ctx), before, "nothing changed")
    # A case without sub-items is one row of the timetable.
    d = live_json(ctx)
    eq([(r["item"], r["subitem"]) for r in d["rows"]], [(1, 1), (1, 2), (1, 3), (2, 0)],
       "rows in agenda order")
    eq([(r["planned_start"], r["planned_end"]) for r in d["rows"]],
       [("10.00", "10.05"), ("10.05", "10.10"), ("10.10", "10.20"), (None, None)],
       "planned slots")


def test_start_stamps_first(ctx):
    set_clock(ctx, "2026-12-20T09:00:20Z")  # 10:00:20 in Copenhagen
    step(ctx, "start")
    d = live_json(ctx)
    eq(d["current"], 1, "the first row is current")
    eq(d["rows"][0]["actual_start"], "10:00", "stamped at the start")
    eq(d["remaining"], 280, "counting down to 10:05 on the server's clock")
    eq(d["remaining_text"], "4:40 tilbage", "in words")
    eq(d["next_guest"]["name"], "Tonny Olsen", "the next guest to call in")
    text = live(ctx)
    check('aria-current="true"' in text and "Næste gæst: <strong>Tonny Olsen" in text,
          "current row marked, next guest shown")
    check('data-remaining="280"' in text and "Næste punkt" in text, "countdown and control")
    check('<script src="/static/live.js"' in text, "the script is loaded")
    st, h, _ = ctx.sec.get("/arbejde/moede/%d/live" % ctx.mid)
    csp = h.get("content-security-policy", "")
    check("script-src 'self'" in csp and "connect-src 'self'" in csp and
          "unsafe-inline" not in csp, "its policy lets live.js poll, nothing inline: %s" % csp)
    eq(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'")[0][0], 1,
       "the start's stamp is a ledger event")


def test_three_stamps_and_overrun(ctx):
    set_clock(ctx, "2026-12-20T09:04:00Z")
    st, h, _ = next_item(ctx, 1)
    check(st == 303 and h["location"].endswith("/live"), "stamp 1: %d" % st)
    set_clock(ctx, "2026-12-20T09:13:00Z")  # row 2 was planned to end at 10:10
    d = live_json(ctx)
    eq(d["current"], 2, "row 2 current")
    eq(d["remaining"], -180, "three minutes over")
    eq(d["remaining_text"], "3 min over tid", "overrun in text")
    text = live(ctx)
    check("3 min over tid" in text and "live-over" in text, "overrun in text and colour")
    check("faktisk 10.00–10.04" in text, "actual times beside planned")
    st, _, _ = next_item(ctx, 2)
    check(st == 303, "stamp 2: %d" % st)
    d = live_json(ctx)
    eq(d["rows"][1]["status"], "Færdig, 3 min over tid", "the overrun stays on the done row")
    check(d["rows"][1]["over"], "flagged")
    set_clock(ctx, "2026-12-20T09:20:00Z")
    st, _, _ = next_item(ctx, 3)
    check(st == 303, "stamp 3: %d" % st)
    d = live_json(ctx)
    eq(d["current"], 4, "the case without sub-items is current")
    eq([(r["actual_start"], r["actual_end"]) for r in d["rows"]],
       [("10:00", "10:04"), ("10:04", "10:13"), ("10:13", "10:20"), ("10:20", None)],
       "every stamp on the server's clock")
    eq(d["remaining"], None, "no planned end, no countdown")
    eq(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'")[0][0], 4,
       "each stamp is a ledger event")


def test_reload_and_second_device(ctx):
    a, b = live_json(ctx), live_json(ctx)
    eq(a, b, "a reload shows the same")
    eq(live_json(ctx, ctx.member), a, "a second client sees the same JSON")
    t1, t2 = live(ctx), live(ctx)
    eq(t1, t2, "the page renders the same from the server's state")


def test_members_read_only(ctx):
    text = live(ctx, ctx.member)
    check("Næste punkt" not in text and "Afslut mødet" not in text, "no controls for members")
    before = unchanged(ctx)
    st, _, body = next_item(ctx, 4, ctx.member)
    check(st == 403 and "Kun udvalgets sekretær" in body.decode(), "a member's POST: %d" % st)
    eq(unchanged(ctx), before, "nothing changed")
    st, _, body = ctx.member.get("/arbejde/moede/%d/live?visning=projektor" % ctx.mid)
    text = body.decode()
    check(st == 200 and 'class="live projector"' in text and "<form" not in text.split(
        'id="live"')[1], "the projector view: read-only: %d" % st)
    st, _, _ = ctx.outsider.get("/arbejde/moede/%d/live" % ctx.mid)
    check(st in (403, 404), "another body's sekretær: %d" % st)
    st, h, _ = Client(ctx.srv).get("/arbejde/moede/%d/live.json" % ctx.mid)
    check(st in (303, 401, 403, 404), "the public: %d" % st)


def test_bad_stamps(ctx):
    before = unchanged(ctx)
    # A device that still shows row 3 as current.
    st, _, body = next_item(ctx, 3)
    check(st == 409 and "anden enhed" in body.decode(), "stale device: %d" % st)
    eq(unchanged(ctx), before, "nothing changed (stale)")
    # The clock jumps back before the latest stamp.
    set_clock(ctx, "2026-12-20T09:10:00Z")
    st, _, body = next_item(ctx, 4)
    check(st == 409 and "før det seneste stempel" in body.decode(), "clock back: %d" % st)
    eq(unchanged(ctx), before, "nothing changed (clock)")
    set_clock(ctx, "2026-12-20T09:21:00Z")
    for bad in ("abc", "", "-1"):
        st, _, _ = next_item(ctx, bad)
        eq(st, 400, "fra=%r" % bad)
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/live" % ctx.mid,
                            {"csrf": ctx.sec.csrf(), "fra": "4", "handling": "slet"})
    eq(st, 400, "an unknown handling")
    eq(unchanged(ctx), before, "nothing changed (bad fields)")


def test_undo_last_stamp(ctx):
    # "Fortryd seneste stempel": the latest Næste punkt is taken back (the row before is
    # current again); the ledger keeps the stamp and its undoing.
    check("Fortryd seneste stempel" in live(ctx), "offered to the sekretær")
    check("Fortryd" not in live(ctx, ctx.member), "not to members")
    events = q(ctx, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'")[0][0]
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/live" % ctx.mid,
                            {"csrf": ctx.sec.csrf(), "fra": "4", "handling": "fortryd"})
    check(st == 303, "undone: %d" % st)
    d = live_json(ctx)
    eq(d["current"], 3, "row 3 is current again")
    eq((d["rows"][2]["actual_end"], d["rows"][3]["actual_start"]), (None, None), "stamps gone")
    detail = q(ctx, "SELECT detail FROM ledger WHERE action = 'meeting.live' ORDER BY id DESC "
                    "LIMIT 1")[0][0]
    check('"fortryd"' in detail and '"10:20"' in detail, "the ledger records what: %s" % detail)
    eq(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'")[0][0], events + 1,
       "an event")
    st, _, _ = next_item(ctx, 3)
    check(st == 303, "stamped again: %d" % st)
    eq(live_json(ctx)["rows"][2]["actual_end"], "10:21", "on the clock of now")


def test_attendance_all_present(ctx):
    st, _, body = ctx.sec.get("/arbejde/moede/%d/fremmoede" % ctx.mid)
    text = body.decode()
    check(st == 200 and "Mette Medlem" in text and "Mads Medlem" in text,
          "the body's members are listed: %d" % st)
    check("Anden Sekretær" not in text, "only members of this body")
    names = re.findall(r'name="navn-(\d+)" value="([^"]*)"', text)
    ctx.people = [n for _, n in names]
    form = {"csrf": ctx.sec.csrf(), "antal": str(len(names) + 1), "handling": "alle"}
    for i, n in names:
        form["navn-" + i] = n
        form["status-" + i] = "afbud"  # ignored: everyone present
    st, h, _ = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid, form)
    check(st == 303 and h["location"].endswith("?gemt=1"), "all present: %d" % st)
    rows = q(ctx, "SELECT name, status, arrived, \"left\" FROM attendance WHERE meeting_id = ? "
                  "ORDER BY pos", ctx.mid)
    eq(sorted(rows), sorted((n, "present", None, None) for n in ctx.people), "all present")
    eq(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'meeting.attendance'")[0][0], 1,
       "one ledger event per save")


def attendance_form(ctx, rows):
    form = {"csrf": ctx.sec.csrf(), "antal": str(len(rows))}
    for i, r in enumerate(rows, 1):
        for k, v in r.items():
            form["%s-%d" % (k, i)] = v
    return form


def field_error(text, field):
    return re.search(r'id="%s"[^>]*aria-invalid="true"' % field, text) or \
        re.search(r'aria-invalid="true"[^>]*id="%s"' % field, text)


def test_attendance_bad_input(ctx):
    before = (q(ctx, "SELECT * FROM attendance ORDER BY pos"),
              q(ctx, "SELECT count(*) FROM ledger")[0][0])
    m1, m2 = ctx.people[0], ctx.people[1]
    cases = [
        ([{"navn": m1, "status": "stedfortraeder", "stedfortraeder": ""}], "stedfortraeder-1",
         "stedfortræder"),
        ([{"navn": m1, "status": "present", "kom": "3", "gik": "2"}], "gik-1", "før at komme"),
        ([{"navn": m1, "status": "present", "kom": "9"}], "kom-1", "fra tidsplanen"),
        ([{"navn": m1, "status": "present"}, {"navn": m2, "status": "ukendt"}], "status-2",
         "Vælg til stede"),
    ]
    for rows, field, words in cases:
        st, _, body = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid,
                                   attendance_form(ctx, rows))
        text = body.decode()
        check(st == 400 and words in text and field_error(text, field),
              "%r: %d (error at %s)" % (rows, st, field))
        check("Intet er gemt" in text, "the summary says nothing was saved")
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid, {"csrf": ctx.sec.csrf()})
    eq(st, 400, "a form without its count")
    eq((q(ctx, "SELECT * FROM attendance ORDER BY pos"),
        q(ctx, "SELECT count(*) FROM ledger")[0][0]), before, "nothing changed")
    # Members may not read nor change the attendance form.
    # The attendance is the sekretær's: for a member the page does not exist (the routes'
    # rule for an object one may not use).
    st, _, _ = ctx.member.get("/arbejde/moede/%d/fremmoede" % ctx.mid)
    eq(st, 404, "a member's GET")
    st, _, _ = ctx.member.post("/arbejde/moede/%d/fremmoede" % ctx.mid,
                               dict(attendance_form(ctx, []), csrf=ctx.member.csrf()))
    eq(st, 404, "a member's POST")


def test_attendance_afbud_substitute_arrival(ctx):
    m1, m2 = ctx.people[0], ctx.people[1]
    rows = [{"navn": m1, "status": "afbud", "bemaerkning": "Syg"},
            {"navn": m2, "status": "stedfortraeder", "stedfortraeder": "Sofie Suppleant",
             "bemaerkning": "Indkaldt i går"},
            {"navn": "Kurt Konsulent", "status": "present", "kom": "2"}]
    st, h, _ = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid, attendance_form(ctx, rows))
    check(st == 303, "saved: %d" % st)
    eq(q(ctx, "SELECT name, status, substitute, remark, arrived, \"left\" FROM attendance "
              "WHERE meeting_id = ? ORDER BY pos", ctx.mid),
       [(m1, "afbud", None, "Syg", None, None),
        (m2, "stedfortraeder", "Sofie Suppleant", "Indkaldt i går", None, None),
        ("Kurt Konsulent", "present", None, None, 2, None)], "the attendance as given")
    # The form shows it again, the added person included.
    st, _, body = ctx.sec.get("/arbejde/moede/%d/fremmoede?gemt=1" % ctx.mid)
    text = body.decode()
    check("Fremmødet er gemt" in text and 'value="Kurt Konsulent"' in text and
          'value="Sofie Suppleant"' in text, "shown again")
    check(re.search(r'<option value="2" selected[^>]*>1\.2 Digitaliseringsstrategi', text),
          "the arrival at sub-item 2, chosen from the timetable")
    # A person added by mistake is taken off the list again; the others stay as they were.
    rows.append({"navn": "Fejl Person", "status": "present"})
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid, attendance_form(ctx, rows))
    check(st == 303, "added: %d" % st)
    rows[-1]["status"] = "fjern"
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid, attendance_form(ctx, rows))
    check(st == 303, "removed: %d" % st)
    eq([r[0] for r in q(ctx, "SELECT name FROM attendance WHERE meeting_id = ? ORDER BY pos",
                        ctx.mid)], [m1, m2, "Kurt Konsulent"], "taken off the list")


def test_attendance_longer_than_a_form(ctx):
    # A form holds 31 people (its fields are bounded); the saved ones beyond stay as they are.
    rows = [{"navn": "Person %02d" % i, "status": "present"} for i in range(32)]
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid, attendance_form(ctx, rows))
    check(st == 303, "32 saved: %d" % st)
    st, _, body = ctx.sec.get("/arbejde/moede/%d/fremmoede" % ctx.mid)
    text = body.decode()
    check("De 1 øvrige på fremmødet gemmes uændret" in text and 'value="Person 31"' not in text,
          "the form says what it does not show")
    shown = re.findall(r'name="navn-(\d+)" value="([^"]*)"', text)
    eq(len(shown), 31, "31 on the form")
    form = attendance_form(ctx, [{"navn": n, "status": "afbud" if i == "1" else "present"}
                                 for i, n in shown])
    form["antal"] = str(len(shown) + 1)
    st, _, _ = ctx.sec.post("/arbejde/moede/%d/fremmoede" % ctx.mid, form)
    check(st == 303, "saved again: %d" % st)
    got = q(ctx, "SELECT name, status FROM attendance WHERE meeting_id = ? ORDER BY pos", ctx.mid)
    eq(len(got), 32, "nobody lost")
    eq(got[0], ("Person 00", "afbud"), "the change made")
    eq(got[31], ("Person 31", "present"), "the one not shown kept")


def test_afslut_writes_actual_times(ctx):
    set_clock(ctx, "2026-12-20T09:24:00Z")
    st, _, _ = next_item(ctx, 4)  # the last row ends; nothing more to start
    check(st == 303, "the last row ended: %d" % st)
    text = live(ctx)
    check("Næste punkt" not in text and "Afslut mødet" in text and "Intet punkt er i gang"
          in text, "only the meeting's end is left")
    st, _, body = next_item(ctx, 0)
    check(st == 409 and "Alle punkter er afsluttet" in body.decode(), "every row done: %d" % st)
    set_clock(ctx, "2026-12-20T09:25:00Z")
    version = q(ctx, "SELECT version FROM \"case\" WHERE id = ?", ctx.cid)[0][0]
    step(ctx, "afslut")
    eq(q(ctx, "SELECT pos, actual_start, actual_end FROM subitem WHERE case_id = ? ORDER BY pos",
         ctx.cid), [(0, "10:00", "10:04"), (1, "10:04", "10:13"), (2, "10:13", "10:21")],
       "the actual times are in the case's rows")
    eq(q(ctx, "SELECT version FROM \"case\" WHERE id = ?", ctx.cid)[0][0], version + 1,
       "a new version of the case")
    src, packed = q(ctx, "SELECT bytes, packed FROM source WHERE case_id = ? "
                    "ORDER BY version DESC LIMIT 1", ctx.cid)[0]
    model = json.loads(zlib.decompress(src) if packed else src)  # issue 11, storage: deflated
    eq([(s.get("actual_start"), s.get("actual_end")) for s in model["subitems"]],
       [("10:00", "10:04"), ("10:04", "10:13"), ("10:13", "10:21")], "and in its model (JSON)")
    d = live_json(ctx)
    eq(d["rows"][3]["actual_end"], "10:24", "the last row's end as stamped")
    eq(d["current"], None, "nothing current")
    text = live(ctx)
    check("Mødet er afsluttet" in text and "Næste punkt" not in text, "read-only after")
    st, _, body = next_item(ctx, 0)
    check(st == 409 and "ikke i gang" in body.decode(), "næste punkt after afslut: %d" % st)


def test_minutes_actual_times(ctx):
    # minutes.actual_times (a body setting, default 0) decides whether the HTML minutes show
    # the actual times beside the planned.
    for path in ("/sag/%d.html" % ctx.cid, "/sag/%d" % ctx.cid):
        st, _, body = ctx.sec.get(path)
        check(st == 200 and "faktisk" not in body.decode(), "%s: not by default: %d" % (path, st))
    cli(ctx, "body", "settings", "DIR", "minutes.actual_times=1")
    st, _, body = ctx.sec.get("/sag/%d.html" % ctx.cid)
    text = body.decode()
    check(st == 200 and "faktisk 10.00–10.04" in text and "faktisk 10.04–10.13" in text,
          "the HTML minutes show them: %d" % st)
    st, _, body = ctx.sec.get("/sag/%d" % ctx.cid)
    check("faktisk 10.13–10.21" in body.decode(), "the case page too")
    r = subprocess.run([ctx.referat, "body", "settings", "DIR", "minutes.actual_times=2",
                        "--db", ctx.db], capture_output=True, text=True, timeout=60)
    check(r.returncode != 0 and "minutes.actual_times" in r.stderr, "a bad value: %s" % r.stderr)
    cli(ctx, "body", "settings", "DIR", "minutes.actual_times=")


def test_static_files(ctx):
    for path, ty in (("/static/live.js", "javascript"), ("/static/live.css", "text/css")):
        st, h, body = Client(ctx.srv).get(path)
        check(st == 200 and ty in h["content-type"] and len(body) > 100, "%s: %d" % (path, st))


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        ctx.clock = os.path.join(ctx.dir, "clock")
        set_clock(ctx, "2026-12-20T08:30:00Z")
        os.environ["REFERAT_CLOCK_FILE"] = ctx.clock
        add_user(referat, ctx.db, "sek", name="Sidse Sekretær", grants=[("DIR", "sekretaer")])
        add_user(referat, ctx.db, "mette", name="Mette Medlem", grants=[("DIR", "medlem")])
        add_user(referat, ctx.db, "mads", name="Mads Medlem", grants=[("DIR", "medlem")])
        add_user(referat, ctx.db, "andet", name="Anden Sekretær",
                 grants=[("ØK", "sekretaer"), ("ØK", "medlem")])
        ctx.srv = Server(referat, ctx.db, ["--quiet"])
        ctx.sec, ctx.member, ctx.outsider = Client(ctx.srv), Client(ctx.srv), Client(ctx.srv)
        ctx.sec.login("sek")
        ctx.member.login("mette")
        ctx.outsider.login("andet")
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
