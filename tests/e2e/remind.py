#!/usr/bin/env python3
"""remind: follow-up reminders and the control list end to end (issue 10, remind), with the
real `referat` and an SMTP sink (python3-aiosmtpd) on 127.0.0.1 that this test starts and
stops, and the clock set by the test ($REFERAT_CLOCK_FILE) for the CLI and the server.

A year of due dates (every fifth day of 2030) for two bodies (DIR with the default
followup.remind_days 7, ØK with 3), owned by two people with accounts and a unit without
one; some closed. `referat remind` on a day sends exactly the notices the rule gives (checked
against the rule worked out here from the test's own data), none again when run twice that
day, the overdue notice the next day; an owner without an address is reported and the rest
carries on; a relay that is down makes the run fail with nothing marked as sent, and the next
run sends what was left; a claim left by a crash is sent once; a closed case's text never
goes into a mail; each sent reminder is a ledger event without the address. The control list
(/arbejde/organ/CODE/kontrolliste, .csv, .json) against `referat serve` agrees with the
data in all three formats; bad dates are 400 naming the parameter; a member of another body
gets 403. Usage: remind.py REFERAT. Ends with "N passed, N failed"."""

import csv
import datetime
import email
import html as htmllib
import email.policy
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse

try:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from smtp_sink import Relay, Sink  # noqa: F401 (Debian's python3-aiosmtpd)
except ImportError as ex:  # Debian's python3-aiosmtpd
    print("skipped: %s" % ex)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq,  # noqa: E402
                        workdir)

REFERAT = os.path.abspath(sys.argv[1])

OWNERS = [("Birgitte Holm Ravn", "bhr@example.dk"), ("Jens Ølgaard", "jens@example.dk"),
          ("Ledelsessekretariatet", None)]
SECRET = "HEMMELIG-OPF-TEKST-4711"
T0 = datetime.date(2030, 6, 10)  # the first run's day


# ---- the sink ----

class RemindSink(Sink):
    """smtp_sink's sink; each message as (rcpt_tos, its bytes)."""

    def take(self):
        return [(to, raw) for _, to, raw, _ in super().take()]


# ---- helpers ----

def run(ctx, *args, input=None):
    r = subprocess.run([REFERAT] + list(args), capture_output=True, text=True, timeout=120,
                       input=input, env=ctx.env, cwd=ctx.dir)
    return r.returncode, r.stdout, r.stderr


def ok(ctx, *args, **kw):
    rc, out, err = run(ctx, *args, **kw)
    if rc != 0:
        raise AssertionError("referat %s: exit %d: %s%s" % (" ".join(args), rc, out, err))
    return out


def set_day(ctx, day):
    with open(ctx.clock, "w") as f:
        f.write(day.isoformat() + "T09:00:00Z")
    ctx.day = day


def q(ctx, sql, args=()):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def case_json(title, body, date, public, followups):
    return json.dumps({
        "format": "referat-case/1", "title": title, "public": public,
        "decisions": [{"body": body, "date": date, "text": "Beslutning.", "entries": [
            {"title": "Årsplan for " + title, "subitem": None, "text": "Godkendt.",
             "followups": followups, "dates": []}]}]}, ensure_ascii=False)


def followups_of(ctx):
    """{id: dict} of every follow-up as the archive holds it."""
    rows = q(ctx, "SELECT f.id, p.name, f.text, f.due, f.status, f.state, f.done_at, b.code, "
                  "c.public, f.role, en.title, d.date, c.id FROM followup f "
                  "JOIN person p ON p.id = f.person_id JOIN \"case\" c ON c.id = f.case_id "
                  "JOIN entry en ON en.id = f.entry_id JOIN decision d ON d.id = en.decision_id "
                  "JOIN meeting m ON m.id = d.meeting_id JOIN body b ON b.id = m.body_id")
    keys = ["id", "owner", "text", "due", "status", "state", "done_at", "body", "public", "role",
            "decision", "decision_date", "case"]
    return {r[0]: dict(zip(keys, r)) for r in rows}


ADDR = dict(OWNERS)
DAYS = {"DIR": 7, "ØK": 3}
LATE_DAYS = 30  # older overdue follow-ups get no notice (sqlite_remind.c REMIND_LATE_DAYS)


def expected(ctx, day):
    """The notices the rule gives on day: {followup id: kind}, from the test's own model of what
    was sent (ctx.sent: id -> set of kinds; ctx.sent_on: (id, day))."""
    out = {}
    for fid, f in ctx.fus.items():
        if f["status"] != "open" or not ADDR.get(f["owner"]):
            continue
        due = datetime.date.fromisoformat(f["due"])
        if due > day + datetime.timedelta(days=DAYS[f["body"]]):
            continue
        if due < day - datetime.timedelta(days=LATE_DAYS):
            continue
        kind = "overskredet" if due < day else "frist"
        if kind in ctx.sent.get(fid, set()) or (fid, day) in ctx.sent_on:
            continue
        out[fid] = kind
    return out


def record(ctx, notices, day):
    for fid, kind in notices.items():
        ctx.sent.setdefault(fid, set()).add(kind)
        ctx.sent_on.add((fid, day))


def received(ctx):
    """{followup id: (rcpt, message)} of what the sink got, by the Message-ID."""
    out = {}
    for rcpt, raw in ctx.relay.sink.take():
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        m = re.match(r"<remind\.(\d+)\.(\d{4}-\d\d-\d\d)\.(frist|overskredet)@referat>",
                     str(msg["Message-ID"]))
        check(m, "Message-ID %r" % msg["Message-ID"])
        fid = int(m.group(1))
        check(fid not in out, "two messages for follow-up %d in one run" % fid)
        eq(m.group(2), ctx.day.isoformat(), "the day in the Message-ID")
        out[fid] = (rcpt, msg, m.group(3))
    return out


def check_run(ctx, out, notices):
    got = received(ctx)
    eq(sorted(got), sorted(notices), "follow-ups mailed on %s" % ctx.day)
    for fid, (rcpt, msg, kind) in got.items():
        f = ctx.fus[fid]
        eq(kind, notices[fid], "kind of follow-up %d" % fid)
        eq(rcpt, [ADDR[f["owner"]]], "recipient of follow-up %d" % fid)
        text = msg.get_body(("plain",)).get_content()
        check(("Kære %s" % f["owner"]) in text, text)
        if f["public"]:
            check(f["text"] in text, "the follow-up's text in the mail: %s" % text)
        else:
            check(SECRET not in text and SECRET not in str(msg["Subject"]),
                  "closed text in a mail")
            check("lukket punkt" in text, text)
        subj = str(msg["Subject"])
        check(subj.startswith("Overskredet frist" if kind == "overskredet" else "Påmindelse"),
              subj)
    m = re.search(r"reminders (\S+): (\d+) sent, (\d+) without address, (\d+) failed", out)
    check(m, out)
    eq(int(m.group(2)), len(notices), "sent in the summary")
    record(ctx, notices, ctx.day)
    return got


# ---- the tests, in order ----

def test_setup(ctx):
    ok(ctx, "db", "migrate")
    ok(ctx, "body", "add", "DIR", "--name", "Direktionen")
    ok(ctx, "body", "add", "ØK", "--name", "Økonomiudvalget")
    ok(ctx, "body", "settings", "ØK", "followup.remind_days=3")
    for k, v in [("smtp.host", "127.0.0.1"), ("smtp.port", str(ctx.relay.port)),
                 ("smtp.security", "none"), ("smtp.from", "opfoelgning@lindholm.dk"),
                 ("municipality.name", "Lindholm Kommune"),
                 ("public.base_url", "https://referat.lindholm.dk")]:
        ok(ctx, "config", "set", k, v)
    add_user(REFERAT, ctx.db, "bhr", name=OWNERS[0][0], grants=[("DIR", "sekretaer")])
    add_user(REFERAT, ctx.db, "jens", name=OWNERS[1][0], grants=[("ØK", "medlem")])
    for login, (name, addr) in zip(["bhr", "jens"], OWNERS):
        con = sqlite3.connect(ctx.db)  # the CLI sets an address only with user add --email
        con.execute("UPDATE account SET email = ? WHERE login = ?", (addr, login))
        con.commit()
        con.close()
    # A year of due dates: every fifth day of 2030, owners in turn.
    day, n, fus = datetime.date(2030, 1, 2), 0, {"DIR": [], "ØK": []}
    while day.year == 2030:
        body = "DIR" if n % 4 else "ØK"
        owner = OWNERS[n % 3]
        fus[body].append({"owner": owner[0], "role": "Chef" if n % 2 else None,
                          "text": "Opfølgning nr. %d, \"med citat\", komma" % n,
                          "due": day.isoformat()})
        day += datetime.timedelta(days=5)
        n += 1
    for code, name, fl in [("DIR", "Direktionen", fus["DIR"]), ("ØK", "Økonomiudvalget",
                                                                 fus["ØK"])]:
        path = os.path.join(ctx.dir, "%s.json" % code.encode("ascii", "replace").decode())
        with open(path, "w") as f:
            f.write(case_json("Sager for %s" % name, name, "2030-01-01", True, fl))
        ok(ctx, "import", path)
    closed = [{"owner": OWNERS[0][0], "role": None, "text": SECRET, "due": "2030-06-12"}]
    path = os.path.join(ctx.dir, "lukket.json")
    with open(path, "w") as f:
        f.write(case_json("Personalesag", "Direktionen", "2030-01-02", False, closed))
    ok(ctx, "import", path)
    ctx.fus = followups_of(ctx)
    check(len(ctx.fus) == n + 1, "follow-ups imported: %d" % len(ctx.fus))
    # Some are closed before the first run (they never get a reminder).
    set_day(ctx, T0 - datetime.timedelta(days=20))
    for fid in sorted(ctx.fus)[::6]:
        ok(ctx, "followup", "done", str(fid))
    ctx.fus = followups_of(ctx)


def test_first_run_sends_what_is_due(ctx):
    set_day(ctx, T0)
    notices = expected(ctx, T0)
    check(len(notices) >= 4, "a meaningful run: %d" % len(notices))
    # Open follow-ups long overdue (the year's first months) get nothing.
    old = [fid for fid, f in ctx.fus.items() if f["status"] == "open" and ADDR.get(f["owner"])
           and f["due"] < (T0 - datetime.timedelta(days=LATE_DAYS)).isoformat()]
    check(len(old) > 10 and not set(old) & set(notices), "the long overdue are left alone")
    check("frist" in notices.values() and "overskredet" in notices.values(), notices)
    out = ok(ctx, "remind")
    check_run(ctx, out, notices)
    # The unit has no account: reported, by name, and the rest carried on.
    check(re.search(r"Ledelsessekretariatet .*ingen adresse", out), out)
    check(SECRET not in out, "closed text in the command's output")


def test_second_run_same_day_sends_nothing(ctx):
    out = ok(ctx, "remind")
    eq(received(ctx), {}, "mailed twice the same day")
    check(" 0 sent" in out, out)
    eq(expected(ctx, T0), {}, "the model agrees")


def test_next_day_sends_the_overdue_notice(ctx):
    # The follow-up due on T0 had its frist notice on T0; on T0+1 it is overdue.
    due_today = [fid for fid, f in ctx.fus.items() if f["due"] == T0.isoformat()
                 and f["status"] == "open" and ADDR.get(f["owner"])]
    day = T0 + datetime.timedelta(days=1)
    set_day(ctx, day)
    notices = expected(ctx, day)
    for fid in due_today:
        eq(notices.get(fid), "overskredet", "follow-up %d the day after its due date" % fid)
    out = ok(ctx, "remind")
    check_run(ctx, out, notices)
    ok(ctx, "remind")
    eq(received(ctx), {}, "the next day's second run")


def test_ledger_without_address(ctx):
    log = json.loads(ok(ctx, "audit", "log", "--limit", "1000", "--json"))
    events = [e for e in log if e.get("action") == "followup.remind"]
    eq(len(events), sum(len(k) for k in ctx.sent.values()), "followup.remind events")
    text = json.dumps(log, ensure_ascii=False)
    check("@example.dk" not in text, "an address in the ledger")
    ok(ctx, "audit", "verify")


def test_relay_down_marks_nothing(ctx):
    day = T0 + datetime.timedelta(days=4)
    set_day(ctx, day)
    notices = expected(ctx, day)
    check(notices, "something due on %s" % day)
    ctx.relay.stop()
    before = q(ctx, "SELECT count(*) FROM reminder")[0][0]
    rc, out, err = run(ctx, "remind")
    check(rc != 0, "exit status with the relay down: %d" % rc)
    check("SMTP 127.0.0.1:%d" % ctx.relay.port in err and "not marked as sent" in err, err)
    eq(q(ctx, "SELECT count(*) FROM reminder")[0][0], before, "rows written with the relay down")
    ctx.relay.start()
    out = ok(ctx, "remind")
    check_run(ctx, out, notices)


def test_crash_claim_sent_once(ctx):
    """A claim left by a run that died between claiming and recording: the same day's next
    run sends it (once); an earlier day's is dropped and worked out afresh."""
    day = T0 + datetime.timedelta(days=5)
    while not expected(ctx, day) and day < T0 + datetime.timedelta(days=14):
        day += datetime.timedelta(days=1)
    set_day(ctx, day)
    notices = expected(ctx, day)
    check(notices, "something due")
    first = sorted(notices)[0]
    # A follow-up far ahead whose claim of yesterday was left: dropped, nothing sent for it.
    second = next(fid for fid, f in sorted(ctx.fus.items()) if f["status"] == "open"
                  and ADDR.get(f["owner"]) and f["due"] > "2030-10-01")
    con = sqlite3.connect(ctx.db)
    con.execute("INSERT INTO reminder (followup_id, day, kind, state, claimed_at) "
                "VALUES (?, ?, ?, 'sender', '2030-01-01T00:00:00Z')",
                (first, day.isoformat(), notices[first]))
    con.execute("INSERT INTO reminder (followup_id, day, kind, state, claimed_at) "
                "VALUES (?, ?, ?, 'sender', '2030-01-01T00:00:00Z')",
                (second, (day - datetime.timedelta(days=1)).isoformat(), "frist"))
    con.commit()
    con.close()
    out = ok(ctx, "remind")
    check_run(ctx, out, notices)
    eq(q(ctx, "SELECT count(*) FROM reminder WHERE state = 'sender'")[0][0], 0, "claims left")
    ok(ctx, "remind")
    eq(received(ctx), {}, "sent twice after a crash")


def test_refused_message_goes_next_time(ctx):
    """A relay that refuses one recipient: that one reported and not recorded, the others
    sent, exit 1; the next run sends it."""
    day = ctx.day + datetime.timedelta(days=1)

    def both(d):
        owners = {ctx.fus[fid]["owner"] for fid in expected(ctx, d)}
        return OWNERS[0][0] in owners and OWNERS[1][0] in owners
    while not both(day) and day < T0 + datetime.timedelta(days=40):
        day += datetime.timedelta(days=1)
    set_day(ctx, day)
    notices = expected(ctx, day)
    check(both(day), "both owners due on %s" % day)
    ctx.relay.sink.refuse = {OWNERS[1][1]}
    rc, out, err = run(ctx, "remind")
    ctx.relay.sink.refuse = set()
    eq(rc, 1, "exit status with a refused message")
    refused = {fid: k for fid, k in notices.items() if ctx.fus[fid]["owner"] == OWNERS[1][0]}
    check(re.search(r"Jens Ølgaard .*fejlet: SMTP .*550", out), out)
    m = re.search(r"(\d+) sent, \d+ without address, (\d+) failed", out)
    check(m and int(m.group(2)) == len(refused), out)
    sent = {fid: k for fid, k in notices.items() if fid not in refused}
    check_run(ctx, out, sent)
    out = ok(ctx, "remind")
    check_run(ctx, out, refused)


def test_no_relay_settings(ctx):
    day = ctx.day + datetime.timedelta(days=1)
    while not expected(ctx, day) and day < T0 + datetime.timedelta(days=40):
        day += datetime.timedelta(days=1)
    set_day(ctx, day)
    check(expected(ctx, day), "something due")
    ok(ctx, "config", "unset", "smtp.host")
    rc, out, err = run(ctx, "remind")
    eq(rc, 1, "exit without a relay")
    check("smtp.host" in err, err)
    eq(q(ctx, "SELECT count(*) FROM reminder WHERE day = ?", (day.isoformat(),))[0][0], 0,
       "rows without a relay")
    ok(ctx, "config", "set", "smtp.host", "127.0.0.1")


# ---- the control list ----

def control_rows(ctx, code, fra, til):
    """What the control list should hold, from the archive's own rows, in its order."""
    rows = []
    for fid, f in sorted(ctx.fus.items(), key=lambda kv: (kv[1]["due"], kv[0])):
        if f["body"] != code or (fra and f["due"] < fra) or (til and f["due"] > til):
            continue
        end = f["done_at"][:10] if f["status"] == "done" else ctx.day.isoformat()
        delay = max(0, (datetime.date.fromisoformat(end) -
                        datetime.date.fromisoformat(f["due"])).days)
        rows.append((fid, f, delay))
    return rows


def test_control_list_formats_agree(ctx):
    ctx.fus = followups_of(ctx)
    # One in progress, the state another helper's pages set (read here only).
    con = sqlite3.connect(ctx.db)
    con.execute("UPDATE followup SET state = 'i_gang' WHERE id = ?", (sorted(ctx.fus)[1],))
    con.commit()
    con.close()
    ctx.fus = followups_of(ctx)
    # The portal is reached at 127.0.0.1 here, not at the mails' public address.
    ok(ctx, "config", "unset", "public.base_url")
    ctx.srv = Server(REFERAT, ctx.db, env={"REFERAT_CLOCK_FILE": ctx.clock})
    sek = Client(ctx.srv)
    sek.login("bhr")
    st, _, body = sek.get("/arbejde/moeder")
    check(b'href="/arbejde/organ/DIR/kontrolliste"' in body, "the meetings page links the list")
    fra, til = "2030-03-01", "2030-08-31"
    want = control_rows(ctx, "DIR", fra, til)
    check(len(want) > 20, "rows in the period: %d" % len(want))
    args = "?fra=%s&til=%s" % (fra, til)
    base = "/arbejde/organ/DIR/kontrolliste"
    st, h, body = sek.get(base + ".csv" + args)
    eq(st, 200, "csv status")
    check(h["content-type"].startswith("text/csv; charset=utf-8"), h["content-type"])
    check("no-store" in h.get("cache-control", ""), h.get("cache-control"))
    check(body.count(b"\r\n") >= len(want) + 1, "CRLF rows")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    eq(len(rows), len(want), "csv rows")
    for r, (fid, f, delay) in zip(rows, want):
        eq(int(r["opfoelgning"]), fid, "csv id")
        eq(r["ansvarlig"], f["owner"], "csv owner")
        eq(r["tekst"], f["text"], "csv text (quotes and commas)")
        eq(r["frist"], f["due"], "csv due")
        eq(r["tilstand"], f["state"], "csv state")
        eq(r["beslutning"], f["decision"], "csv decision")
        eq(int(r["forsinkelse_dage"]), delay, "csv delay of %d" % fid)
    st, h, body = sek.get(base + ".json" + args)
    eq(st, 200, "json status")
    j = json.loads(body)
    eq(j["total"], len(want), "json total")
    eq([(i["id"], i["owner"], i["text"], i["due"], i["state"], i["delay"], i["decision"])
        for i in j["items"]],
       [(fid, f["owner"], f["text"], f["due"], f["state"], d, f["decision"])
        for fid, f, d in want], "json items")
    st, h, body = sek.get(base + args)
    eq(st, 200, "html status")
    html = body.decode("utf-8")
    check("no-store" in h.get("cache-control", ""), h.get("cache-control"))
    trs = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>.*?<td>(\d+)</td></tr>", html)
    eq(len(trs), min(50, len(want)), "html rows on the first page")
    for (owner, text, delay), (fid, f, d) in zip(trs, want):
        check(owner.startswith(f["owner"]), (owner, f["owner"]))
        eq(htmllib.unescape(text), f["text"], "html text")
        eq(int(delay), d, "html delay")
    check("I gang" in html or all(f["state"] != "i_gang" for _, f, _ in want), "state label")
    if len(want) > 50:
        st, _, body = sek.get(base + args + "&side=2")
        eq(st, 200, "page 2")
        eq(len(re.findall(r"<tr><td>", body.decode())), len(want) - 50, "rows on page 2")
    # Open-ended: everything of the body.
    st, _, body = sek.get(base + ".json")
    eq(json.loads(body)["total"], len(control_rows(ctx, "DIR", None, None)), "all of DIR")
    check(SECRET in body.decode("utf-8"), "the body's own staff read its closed follow-up")


def test_control_list_bad_dates(ctx):
    sek = Client(ctx.srv)
    sek.login("bhr")
    base = "/arbejde/organ/DIR/kontrolliste"
    for suffix in ["", ".csv"]:
        st, _, body = sek.get(base + suffix + "?fra=2030-13-01")
        eq(st, 400, "bad fra%s" % suffix)
        check(b"fra" in body, body[:300])
        st, _, body = sek.get(base + suffix + "?til=31-12-2030")
        eq(st, 400, "bad til%s" % suffix)
        check(b"til" in body, body[:300])
        st, _, body = sek.get(base + suffix + "?fra=2030-05-01&til=2030-04-01")
        eq(st, 400, "til before fra%s" % suffix)
    st, _, body = sek.get(base + ".json?fra=2030-02-30")
    eq(st, 400, "bad fra (json)")
    eq(json.loads(body)["error"]["field"], "fra", "the field")
    st, _, _ = sek.get("/arbejde/organ/NIX/kontrolliste")
    check(st in (403, 404), "unknown body: %d" % st)


def test_control_list_other_body_403(ctx):
    jens = Client(ctx.srv)
    jens.login("jens")  # medlem of ØK only
    for suffix in ["", ".csv", ".json"]:
        st, _, body = jens.get("/arbejde/organ/DIR/kontrolliste" + suffix)
        # The dispatcher's rule for a body's staff pages: what the person may not use does not
        # exist for them (routes.c), so the refusal is a 404 rather than a 403.
        eq(st, 404, "a member of another body%s" % suffix)
        check(SECRET.encode() not in body, "closed text in a refusal")
    st, _, body = jens.get("/arbejde/organ/%s/kontrolliste.json" % urllib.parse.quote("ØK"))
    eq(st, 200, "his own body")
    eq(json.loads(body)["total"], len(control_rows(ctx, "ØK", None, None)), "ØK's rows")
    anon = Client(ctx.srv)
    st, _, _ = anon.get("/arbejde/organ/DIR/kontrolliste.csv")
    check(st in (302, 303, 401, 403), "anonymous: %d" % st)


def main():
    ctx = Ctx()
    ctx.dir = workdir()
    ctx.db = os.path.join(ctx.dir, "t.db")
    ctx.clock = os.path.join(ctx.dir, "clock")
    ctx.env = dict(os.environ, REFERAT_DB=ctx.db, REFERAT_CLOCK_FILE=ctx.clock, USER="tester",
                   TZ="UTC")
    ctx.sent, ctx.sent_on = {}, set()
    ctx.srv = None
    ctx.relay = Relay(RemindSink())
    ctx.relay.start()
    set_day(ctx, T0)
    runner = Runner()
    try:
        runner.run_all(dict(globals()), ctx)
    finally:
        ctx.relay.stop()
        if ctx.srv:
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
