#!/usr/bin/env python3
"""invitations: guests' calendar invitations end to end (issue 8), with the real `referat`
and an SMTP sink (python3-aiosmtpd) on 127.0.0.1 that this test starts and stops. A meeting
with a case whose sub-items have guests is built with `referat meeting add` and `referat case
new`; nothing is sent before the agenda is released; after `referat invitations send` the
sink has one message per guest with an e-mail, each with a text/plain part and a
text/calendar; method=REQUEST part, which python3-icalendar and libical (tools/icscheck.c) both
read with the right DTSTART/DTEND in Europe/Copenhagen, ATTENDEE, ORGANIZER and UID. Moving a
slot sends SEQUENCE+1 with the same UID; removing a guest sends a CANCEL. A sink that is down
or refuses leaves the invitation failed with its error (shown by `invitations list`, in the
ledger), and a later run sends it; one sender at a time. STARTTLS and implicit TLS with AUTH
against the sink with a certificate made here (smtp.ca_file), and the password never printed.
The guest's page and the staff page against `referat serve`, whose outbox sends by the clock.
Usage: invitations.py REFERAT ICSCHECK. Ends with "N passed, N failed"."""

import email
import email.policy
import json
import os
import re
import time
import shutil
import ssl
import subprocess
import sys
import tempfile
import traceback
from datetime import datetime, timezone

try:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from smtp_sink import Relay, Sink  # noqa: F401 (Debian's python3-aiosmtpd)
    from aiosmtpd.smtp import AuthResult
    import icalendar
except ImportError as ex:  # the test needs Debian's python3-aiosmtpd and python3-icalendar
    print("skipped: %s" % ex)
    sys.exit(77)

REFERAT, ICSCHECK = (os.path.abspath(p) for p in sys.argv[1:3])
WORK = tempfile.mkdtemp(prefix="referat-invitations-")
DB = os.path.join(WORK, "t.db")
ENV = dict(os.environ)
ENV["REFERAT_DB"] = DB
ENV["USER"] = "tester"
PASSWORD = "smtp-Hemmelig-7x"
PRINTED = []


def run(*args, input=None, timeout=60):
    r = subprocess.run([REFERAT] + list(args), capture_output=True, timeout=timeout,
                       input=input.encode() if isinstance(input, str) else input, env=ENV,
                       cwd=WORK)
    out, err = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    PRINTED.append(out + err)
    return r.returncode, out, err


def ok(*args, **kw):
    rc, out, err = run(*args, **kw)
    if rc != 0:
        raise AssertionError("referat %s: exit %d: %s%s" % (" ".join(args), rc, out, err))
    return out


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


# ---- the sink ----

RELAY = Relay()  # smtp_sink.py: (mail_from, rcpt_tos, content, authenticated) per message
SINK, PORT = RELAY.sink, RELAY.port
sink_start, sink_stop = RELAY.start, RELAY.stop


# ---- reading what arrived ----

def parts(raw):
    """The message, its text/plain body and its text/calendar part (with the method)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = cal = method = None
    for p in msg.walk():
        ct = p.get_content_type()
        if ct == "text/plain" and text is None:
            text = p.get_content()
        elif ct == "text/calendar":
            cal = p.get_payload(decode=True)
            method = p.get_param("method")
    return msg, text, cal, method


def libical(cal):
    path = os.path.join(WORK, "check.ics")
    with open(path, "wb") as f:
        f.write(cal)
    r = subprocess.run([ICSCHECK, path], capture_output=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError("libical: %s %s" % (r.stdout, r.stderr))
    return json.loads(r.stdout)


def epoch(y, mo, d, h, mi):
    return int(datetime(y, mo, d, h, mi, tzinfo=timezone.utc).timestamp())


def check_invitation(raw, to, method, start, end, start_utc, end_utc):
    """Both readers agree with what was planned; returns (uid, sequence)."""
    msg, text, cal, m = parts(raw)
    eq(m, method, "text/calendar method")
    check(cal is not None, "no text/calendar part")
    check(text, "no text/plain part")
    check(to in msg["To"], "To: %s" % msg["To"])
    # python3-icalendar
    c = icalendar.Calendar.from_ical(cal)
    eq(str(c.get("method")), method, "METHOD (icalendar)")
    tzs = [str(z.get("tzid")) for z in c.walk("VTIMEZONE")]
    eq(tzs, ["Europe/Copenhagen"], "VTIMEZONE")
    evs = c.walk("VEVENT")
    eq(len(evs), 1, "VEVENTs")
    ev = evs[0]
    eq(ev["dtstart"].params.get("TZID"), "Europe/Copenhagen", "DTSTART TZID")
    eq(ev["dtstart"].dt.strftime("%Y-%m-%dT%H:%M"), start, "DTSTART (icalendar)")
    eq(ev["dtend"].dt.strftime("%Y-%m-%dT%H:%M"), end, "DTEND (icalendar)")
    eq(str(ev["attendee"]).lower(), "mailto:" + to, "ATTENDEE (icalendar)")
    eq(str(ev["organizer"]), "mailto:sekretariat@lindholm.dk", "ORGANIZER (icalendar)")
    uid, seq = str(ev["uid"]), int(ev["sequence"])
    # libical, with the calendar's own VTIMEZONE for the instants
    j = libical(cal)
    eq(j["method"], method, "METHOD (libical)")
    eq(j["vtimezone"], "Europe/Copenhagen", "VTIMEZONE (libical)")
    eq(j["uid"], uid, "UID (libical)")
    eq(j["sequence"], seq, "SEQUENCE (libical)")
    eq(j["attendee"], "mailto:" + to, "ATTENDEE (libical)")
    eq(j["dtstart"]["local"], start, "DTSTART (libical)")
    eq(j["dtstart"]["epoch"], start_utc, "DTSTART instant (libical)")
    eq(j["dtend"]["epoch"], end_utc, "DTEND instant (libical)")
    eq(j["status"], "CANCELLED" if method == "CANCEL" else "CONFIRMED", "STATUS")
    return uid, seq


def case_json(t1, guests2, t2="11.30"):
    return json.dumps({
        "format": "referat-case/1", "title": "Punkter til behandling", "public": True,
        "has_table": True,
        "subitems": [
            {"time": t1, "duration": 30, "title": "Den nye digitaliseringsorganisation",
             "text": "Oplæg.", "guests": [{"name": "Tonny Olsen", "role": "Chef",
                                           "email": "tonny@example.dk"}]},
            {"time": t2, "duration": 15, "title": "KB seminar", "guests": guests2},
            {"title": "Eventuelt", "guests": [{"name": "Uden Adresse"}]},
        ]})


BETTINA = [{"name": "Bettina Ø. Andersen", "email": "bettina@example.dk"}]
VERSION = [1]


def save_case(t1, guests2, t2="11.30"):
    path = os.path.join(WORK, "case.json")
    with open(path, "w") as f:
        f.write(case_json(t1, guests2, t2))
    ok("case", "save", "1", "--version", str(VERSION[0]), path)
    VERSION[0] += 1


def on_agenda(case_id, version=1):
    """A new case (the CLI starts it as kladde) put on the agenda in earnest: only then are its
    guests invited."""
    for step in ["indsend", "godkend", "saet_paa_dagsorden"]:
        ok("case", "step", str(case_id), step, "--version", str(version))


def invitations():
    return {i["email"]: i for i in json.loads(ok("invitations", "list", "--json"))}


# ---- the tests, in order: each builds on the one before ----

UIDS = {}
LINKS = {}  # e-mail -> the token of the guest link in the first invitation


def test_setup_and_nothing_before_release():
    ok("db", "migrate")
    ok("body", "add", "DIR", "--name", "Direktionen")
    for k, v in [("smtp.host", "127.0.0.1"), ("smtp.port", str(PORT)), ("smtp.security", "none"),
                 ("smtp.from", "dagsorden@lindholm.dk"),
                 ("municipality.email", "sekretariat@lindholm.dk"),
                 ("municipality.name", "Lindholm Kommune"),
                 ("public.base_url", "https://referat.lindholm.dk")]:
        ok("config", "set", k, v)
    ok("meeting", "add", "DIR", "2030-03-05", "--start", "10:00", "--end", "12:00",
       "--place", "Mødelokale 1")
    path = os.path.join(WORK, "case.json")
    with open(path, "w") as f:
        f.write(case_json("10.30", BETTINA))
    ok("case", "new", "--meeting", "1", path)
    on_agenda(1)
    out = ok("invitations", "send")
    check("0 sent" in out, out)
    eq(SINK.take(), [], "sent before the release")
    eq(invitations(), {}, "invitations before the release")


def test_release_sends_one_per_guest():
    ok("meeting", "step", "1", "frigiv_dagsorden", "--version", "1")
    inv = invitations()
    eq(sorted(inv), ["bettina@example.dk", "tonny@example.dk"], "invited")
    check(all(i["state"] == "pending" for i in inv.values()), inv)
    out = ok("invitations", "send")
    check("2 sent, 0 failed" in out, out)
    got = SINK.take()
    eq(len(got), 2, "messages")
    by = {rcpt[0]: (frm, raw) for frm, rcpt, raw, _ in got}
    eq(sorted(by), ["bettina@example.dk", "tonny@example.dk"], "recipients")
    eq(by["tonny@example.dk"][0], "dagsorden@lindholm.dk", "envelope sender")
    # 10:30 in March is CET: 09:30 UTC.
    UIDS["tonny"] = check_invitation(by["tonny@example.dk"][1], "tonny@example.dk", "REQUEST",
                                     "2030-03-05T10:30", "2030-03-05T11:00",
                                     epoch(2030, 3, 5, 9, 30), epoch(2030, 3, 5, 10, 0))
    UIDS["bettina"] = check_invitation(by["bettina@example.dk"][1], "bettina@example.dk",
                                       "REQUEST", "2030-03-05T11:30", "2030-03-05T11:45",
                                       epoch(2030, 3, 5, 10, 30), epoch(2030, 3, 5, 10, 45))
    eq(UIDS["tonny"][1], 0, "first SEQUENCE")
    check(UIDS["tonny"][0] != UIDS["bettina"][0], "UIDs differ")
    for addr, (_, raw) in by.items():
        m = re.search(r"https://referat\.lindholm\.dk/gaest/([A-Za-z0-9_-]{43})\b",
                      parts(raw)[1])
        check(m, "guest link in the mail to " + addr)
        LINKS[addr] = m.group(1)
    msg, text, _, _ = parts(by["bettina@example.dk"][1])
    eq(str(msg["Subject"]), "Invitation: Direktionen: Punkter til behandling", "Subject")
    check("Bettina Ø. Andersen" in str(msg["To"]), msg["To"])
    check("kl. 11:30-11:45" in text and "5. marts 2030" in text, text)
    check("https://referat.lindholm.dk/gaest/" in text, "guest link in the mail")
    inv = invitations()
    check(all(i["state"] == "sent" for i in inv.values()), inv)
    # Nothing pending: another run sends nothing.
    check("0 sent" in ok("invitations", "send"), "second run")
    eq(SINK.take(), [], "sent twice")


def test_moved_slot_sends_sequence_plus_one():
    save_case("10.45", BETTINA)
    ok("invitations", "send")
    got = SINK.take()
    eq([g[1] for g in got], [["tonny@example.dk"]], "only the moved guest")
    uid, seq = check_invitation(got[0][2], "tonny@example.dk", "REQUEST", "2030-03-05T10:45",
                                "2030-03-05T11:15", epoch(2030, 3, 5, 9, 45),
                                epoch(2030, 3, 5, 10, 15))
    eq(uid, UIDS["tonny"][0], "same UID")
    eq(seq, UIDS["tonny"][1] + 1, "SEQUENCE")
    UIDS["tonny"] = (uid, seq)


def test_removed_guest_gets_cancel():
    save_case("10.45", [])
    ok("invitations", "send")
    got = SINK.take()
    eq([g[1] for g in got], [["bettina@example.dk"]], "only the removed guest")
    uid, seq = check_invitation(got[0][2], "bettina@example.dk", "CANCEL", "2030-03-05T11:30",
                                "2030-03-05T11:45", epoch(2030, 3, 5, 10, 30),
                                epoch(2030, 3, 5, 10, 45))
    eq(uid, UIDS["bettina"][0], "same UID")
    eq(seq, UIDS["bettina"][1] + 1, "SEQUENCE")
    msg, text, _, _ = parts(got[0][2])
    check(str(msg["Subject"]).startswith("Aflyst:"), msg["Subject"])
    eq(invitations()["bettina@example.dk"]["method"], "CANCEL", "method in the table")


def test_sink_down_then_retry():
    sink_stop()
    save_case("11.00", [])
    rc, out, err = run("invitations", "send")
    eq(rc, 1, "exit status of a failed send")
    check("1 failed" in out, out)
    i = invitations()["tonny@example.dk"]
    eq(i["state"], "failed", "state")
    check(i["error"] and "127.0.0.1" in i["error"], i["error"])
    eq(i["attempts"], 1, "attempts")
    check("failed" in ok("invitations", "list") and i["error"] in ok("invitations", "list"),
          "list shows the error")
    log = ok("audit", "log")
    check("invitation.failed" in log, "ledger has the failure")
    sink_start()
    out = ok("invitations", "send")
    check("1 sent" in out, out)
    got = SINK.take()
    eq(len(got), 1, "retried")
    uid, seq = check_invitation(got[0][2], "tonny@example.dk", "REQUEST", "2030-03-05T11:00",
                                "2030-03-05T11:30", epoch(2030, 3, 5, 10, 0),
                                epoch(2030, 3, 5, 10, 30))
    eq((uid, seq), (UIDS["tonny"][0], UIDS["tonny"][1] + 1), "UID and SEQUENCE")
    UIDS["tonny"] = (uid, seq)
    i = invitations()["tonny@example.dk"]
    eq(i["state"], "sent", "state after the retry")
    check("invitation.sent" in ok("audit", "log"), "ledger has the send")


def test_sink_refuses():
    SINK.refuse_all = True
    save_case("11.05", [])
    rc, out, _ = run("invitations", "send")
    eq(rc, 1, "exit status")
    i = invitations()["tonny@example.dk"]
    eq(i["state"], "failed", "state")
    check("550" in i["error"], i["error"])
    SINK.refuse_all = False
    ok("invitations", "send")
    eq(len(SINK.take()), 1, "sent after the refusal")
    eq(invitations()["tonny@example.dk"]["state"], "sent", "state")


def test_one_sender_at_a_time():
    import fcntl
    save_case("11.07", [])  # a moved slot, so something is pending
    with open(DB + "-outbox.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        rc, out, err = run("invitations", "send")
        eq(rc, 1, "exit status while another sender runs")
        check("another outbox" in err, err)
    eq(SINK.take(), [], "sent while another sender held the lock")
    ok("invitations", "send")
    eq(len(SINK.take()), 1, "sent once the lock is free")
    save_case("11.05", [])  # back as the next test expects it
    ok("invitations", "send")
    SINK.take()


def test_ics_download_matches():
    i = invitations()["tonny@example.dk"]
    cal = ok("invitations", "ics", str(i["id"])).encode()
    j = libical(cal)
    eq(j["uid"], UIDS["tonny"][0], "UID of the download")
    eq(j["dtstart"]["local"], "2030-03-05T11:05", "DTSTART of the download")


CERT = []  # key and certificate made by test_starttls_and_auth
LOGINS = []


def auth(server, session, envelope, mechanism, data):
    LOGINS.append((data.login, data.password))
    return AuthResult(success=data.login == b"referat" and data.password == PASSWORD.encode())


def make_cert():
    key, crt = os.path.join(WORK, "key.pem"), os.path.join(WORK, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", crt, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return key, crt


def test_starttls_and_auth():
    if not shutil.which("openssl"):
        print("skip test_starttls_and_auth: no openssl")
        return
    key, crt = make_cert()
    CERT.extend([key, crt])
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(crt, key)
    logins = LOGINS

    sink_stop()
    sink_start(tls_context=ctx, require_starttls=True, auth_required=True,
               auth_require_tls=True, authenticator=auth)
    for k, v in [("smtp.security", "starttls"), ("smtp.user", "referat"),
                 ("smtp.ca_file", crt)]:
        ok("config", "set", k, v)
    # The password from standard input, as for every secret setting.
    ok("config", "set", "smtp.password", "--value-stdin", input=PASSWORD + "\n")
    save_case("11.10", [])
    out = ok("invitations", "send")
    check("1 sent" in out, out)
    got = SINK.take()
    eq(len(got), 1, "sent over STARTTLS")
    check(got[0][3], "authenticated")
    eq(logins[-1], (b"referat", PASSWORD.encode()), "login")
    # A wrong password is a recorded failure that does not contain it.
    ok("config", "set", "smtp.password", "--value-stdin", input="forkert-Kode-99\n")
    save_case("11.15", [])
    rc, out, err = run("invitations", "send")
    eq(rc, 1, "exit status")
    i = invitations()["tonny@example.dk"]
    eq(i["state"], "failed", "state")
    check("forkert" not in i["error"], "password in the error")
    # Without the CA the certificate is refused.
    ok("config", "set", "smtp.password", "--value-stdin", input=PASSWORD + "\n")
    ok("config", "unset", "smtp.ca_file")
    save_case("11.20", [])
    rc, out, err = run("invitations", "send")
    eq(rc, 1, "unverified certificate")
    ok("config", "set", "smtp.ca_file", crt)
    ok("invitations", "send")
    eq(invitations()["tonny@example.dk"]["state"], "sent", "sent once trusted")
    SINK.take()


def test_implicit_tls():
    """smtp.security tls: TLS from the first byte (port 465 style), AUTH inside it."""
    if not CERT:
        print("skip test_implicit_tls: no certificate")
        return
    key, crt = CERT
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(crt, key)
    sink_stop()
    # aiosmtpd does not count implicit TLS as TLS for AUTH: it would not offer AUTH at all.
    sink_start(ssl_context=ctx, auth_required=True, auth_require_tls=False, authenticator=auth)
    ok("config", "set", "smtp.security", "tls")
    save_case("11.12", [])
    out = ok("invitations", "send")
    check("1 sent" in out, out)
    got = SINK.take()
    eq(len(got), 1, "sent over TLS")
    check(got[0][3], "authenticated")
    # The same relay asked for STARTTLS on a TLS port: a recorded failure, not a hang.
    ok("config", "set", "smtp.security", "starttls")
    save_case("11.14", [])
    rc, out, _ = run("invitations", "send", timeout=90)
    eq(rc, 1, "STARTTLS against a TLS port")
    eq(invitations()["tonny@example.dk"]["state"], "failed", "state")
    ok("config", "set", "smtp.security", "tls")
    ok("invitations", "send")
    eq(invitations()["tonny@example.dk"]["state"], "sent", "state")
    SINK.take()


def test_no_secret_printed():
    # The ledger and the listings too (the relay needs the password itself, so the settings
    # table holds it; nothing shows it).
    ok("audit", "log")
    ok("invitations", "list", "--json")
    ok("config", "list")
    for p in PRINTED:
        check(PASSWORD not in p and "forkert-Kode-99" not in p, "a password was printed")


# ---- the web pages: the guest's page and the staff page, and the server's outbox ----

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from web_common import Client, Server, add_user  # noqa: E402

CLOCK = os.path.join(WORK, "clock")
CLOSED = "KANARIE-LUKKET-7Q2 fortrolig sagsfremstilling"


def set_clock(t):
    with open(CLOCK, "w") as f:
        f.write("%d\n" % t)


def test_web_pages():
    add_user(REFERAT, DB, "sek", grants=[("DIR", "sekretaer")])
    add_user(REFERAT, DB, "med", grants=[("DIR", "medlem")])
    # A closed case with a guest, on the released agenda (a tillægsdagsorden).
    path = os.path.join(WORK, "closed.json")
    with open(path, "w") as f:
        json.dump({"format": "referat-case/1", "title": "Personalesag " + CLOSED,
                   "public": False, "public_title": "Lukket punkt om personale",
                   "presentation": CLOSED, "has_table": True,
                   "subitems": [{"time": "11.45", "duration": 10, "title": "Drøftelse " + CLOSED,
                                 "text": CLOSED, "guests": [{"name": "Lukket Gæst",
                                                             "email": "lukket@example.dk"}]}]},
                  f)
    ok("case", "new", "--meeting", "1", path)
    eq(invitations().get("lukket@example.dk"), None, "a draft's guest invited")
    on_agenda(2)
    ok("invitations", "send")
    got = SINK.take()
    eq([g[1] for g in got], [["lukket@example.dk"]], "the closed case's guest")
    raw = got[0][2]
    check(b"KANARIE" not in raw, "closed content in the mail")
    _, text, cal, _ = parts(raw)
    check("Lukket punkt om personale" in text, "public title in the mail")
    closed_token = re.search(r"/gaest/([A-Za-z0-9_-]{43})\b", text).group(1)

    # The portal's own address: the login form's Origin check wants the one it is reached at.
    ok("config", "unset", "public.base_url")
    set_clock(epoch(2030, 3, 1, 0, 0))
    srv = Server(REFERAT, DB, ["--quiet", "--outbox-seconds", "60"],
                 env={"REFERAT_CLOCK_FILE": CLOCK})
    try:
        # The guest's page: their slot and their sub-item's open text, nothing else.
        st, h, body = srv.get("/gaest/" + LINKS["tonny@example.dk"])
        eq(st, 200, "guest page")
        page = body.decode()
        check("Den nye digitaliseringsorganisation" in page and "Oplæg." in page, page)
        check("KB seminar" not in page and "Eventuelt" not in page, "another sub-item shown")
        slot = invitations()["tonny@example.dk"]
        check("kl. %s–%s" % (slot["dtstart"][11:], slot["dtend"][11:]) in page and
              "Mødelokale 1" in page, "slot and place")
        check("no-store" in h.get("cache-control", ""), h)
        eq(h.get("referrer-policy"), "no-referrer", "Referrer-Policy")
        # The closed case's guest: the public title, never the closed text.
        st, _, body = srv.get("/gaest/" + closed_token)
        eq(st, 200, "closed case's guest page")
        check(b"Lukket punkt om personale" in body, "public title")
        check(b"KANARIE" not in body and b"fortrolig" not in body, "closed content shown")
        # A cancelled guest's link, a wrong token: one answer.
        for t in [LINKS["bettina@example.dk"], "A" * 43, "kort"]:
            st, _, body = srv.get("/gaest/" + t)
            eq(st, 404, "link " + t)
        # The staff page: a failed send is shown with its error and retried by the sekretær.
        SINK.refuse_all = True
        save_case("11.25", [])
        run("invitations", "send")
        tonny = invitations()["tonny@example.dk"]
        eq(tonny["state"], "failed", "state")
        sek, med = Client(srv), Client(srv)
        sek.login("sek")
        med.login("med")
        st, _, body = med.get("/arbejde/moede/1/invitationer")
        eq(st, 200, "the member reads the page")
        check(b"tonny@example.dk" in body and b"Fejlet" in body and b"550" in body, body)
        check(b"Send igen" not in body, "a member is offered the retry")
        check(b"KANARIE" not in body, "closed title on the staff page")
        retry = "/arbejde/moede/1/invitationer/%d/igen" % tonny["id"]
        st, _, _ = med.post(retry, {"csrf": med.csrf()})
        check(st in (403, 404), "a member retries: %d" % st)
        eq(invitations()["tonny@example.dk"]["state"], "failed", "state after the refusal")
        st, _, body = sek.get("/arbejde/moede/1/invitationer")
        check(b"Send igen" in body, "the sekretær is offered the retry")
        st, _, _ = sek.post(retry, {"csrf": "0" * 64})
        check(st in (400, 403), "retry without the CSRF token: %d" % st)
        st, h, _ = sek.post(retry, {"csrf": sek.csrf()})
        eq(st, 303, "retry")
        eq(invitations()["tonny@example.dk"]["state"], "pending", "pending after the retry")
        # The .ics as it is sent.
        st, h, body = sek.get("/arbejde/moede/1/invitationer/%d/ics" % tonny["id"])
        eq(st, 200, ".ics")
        check(h["content-type"].startswith("text/calendar"), h["content-type"])
        j = libical(body)
        eq((j["uid"], j["dtstart"]["local"]), (UIDS["tonny"][0], "2030-03-05T11:25"), ".ics")
        st, _, _ = Client(srv).get("/arbejde/moede/1/invitationer/%d/ics" % tonny["id"])
        check(st in (303, 401, 403, 404), "the public downloads the .ics: %d" % st)
        # The server's outbox sends it once its interval has passed on the clock.
        SINK.refuse_all = False
        set_clock(epoch(2030, 3, 1, 0, 1) + 5)
        deadline = time.monotonic() + 15
        got = []
        while not got and time.monotonic() < deadline:
            time.sleep(0.2)
            got = SINK.take()
        eq([g[1] for g in got], [["tonny@example.dk"]], "sent by the server")
        eq(invitations()["tonny@example.dk"]["state"], "sent", "state")
        # After the meeting's day (midnight in Copenhagen) the links are gone.
        set_clock(epoch(2030, 3, 5, 23, 0))
        st, _, _ = srv.get("/gaest/" + LINKS["tonny@example.dk"])
        eq(st, 404, "expired link")
        set_clock(epoch(2030, 3, 5, 22, 59))
        st, _, _ = srv.get("/gaest/" + LINKS["tonny@example.dk"])
        eq(st, 200, "the link on the meeting's day")
    finally:
        srv.stop()


TESTS = [test_setup_and_nothing_before_release, test_release_sends_one_per_guest,
         test_moved_slot_sends_sequence_plus_one, test_removed_guest_gets_cancel,
         test_sink_down_then_retry, test_sink_refuses, test_one_sender_at_a_time,
         test_ics_download_matches,
         test_starttls_and_auth, test_implicit_tls, test_web_pages, test_no_secret_printed]


def main():
    passed = failed = 0
    sink_start()
    try:
        for t in TESTS:
            try:
                t()
                passed += 1
            except Exception:
                failed += 1
                print("FAIL %s" % t.__name__)
                traceback.print_exc()
    finally:
        sink_stop()
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
