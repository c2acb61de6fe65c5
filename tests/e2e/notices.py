#!/usr/bin/env python3
"""notices: citizens' e-mail subscriptions to a body's agendas and minutes end to end (issue
10, notices), with the real `referat serve`, `referat notices send` and an SMTP sink
(python3-aiosmtpd) on 127.0.0.1 that this test starts and stops. The form on /organ/DIR: a
malformed address is answered 400 at its field and nothing is queued; a good one gets the same
answer as a known one and a confirmation mail (its link, and a one-click unsubscribe link in
List-Unsubscribe with List-Unsubscribe-Post). Following the link (GET) confirms nothing; its
button (POST) does. Releasing the agenda through the sekretær's form sends the confirmed
subscriber exactly one notice with the meeting, its date, the public meeting page and only
public titles, and the unconfirmed one nothing; a sink that is down leaves the minutes' notice
queued until a later run sends it; the one-click POST unsubscribes and another release sends
nothing more. An address the relay refuses is marked failing after 3 tries; a client posting
too often is answered 429; the ledger holds only hashes of the addresses, and nothing prints
one. The clock is the test's (REFERAT_CLOCK_FILE).
Usage: notices.py REFERAT. Ends with "N passed, N failed"."""

import email
import email.policy
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from datetime import datetime, timezone

try:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from smtp_sink import Relay, Sink  # noqa: F401 (Debian's python3-aiosmtpd)
except ImportError as ex:  # the test needs Debian's python3-aiosmtpd
    print("skipped: %s" % ex)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from web_common import Client, Server, add_user  # noqa: E402

REFERAT = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="referat-notices-")
DB = os.path.join(WORK, "t.db")
CLOCK = os.path.join(WORK, "clock")
BASE = "https://referat.lindholm.dk"
ENV = dict(os.environ, REFERAT_DB=DB, USER="tester", REFERAT_CLOCK_FILE=CLOCK)
PRINTED = []
CLOSED = "KANARIE-LUKKET-7Q2 fortrolig sagsfremstilling"
ADDRESSES = ["borger@example.dk", "ny@example.dk", "ubekraeftet@example.dk",
             "afvist@example.dk", "gentag@example.dk"]


def run(*args, timeout=60):
    r = subprocess.run([REFERAT] + list(args), capture_output=True, timeout=timeout, env=ENV,
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


def q(sql, *args):
    con = sqlite3.connect(DB)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def set_clock(y, mo, d, h=8, mi=0):
    with open(CLOCK, "w") as f:
        f.write("%d\n" % int(datetime(y, mo, d, h, mi, tzinfo=timezone.utc).timestamp()))


def stats():
    out = ok("notices", "stats", "--body", "DIR")
    return {k: int(v) for k, v in (line.split() for line in out.splitlines())}


def send():
    """`referat notices send`: (exit status, its line)."""
    rc, out, err = run("notices", "send")
    return rc, out + err


def subscriber_hash(addr):
    return hashlib.blake2b(addr.lower().encode(), digest_size=32).hexdigest()


# ---- the sink ----

class NoticeSink(Sink):
    """smtp_sink's sink; each message as (rcpt_tos, the parsed message, its bytes)."""

    def take(self):
        return [(to, email.message_from_bytes(raw, policy=email.policy.default), raw)
                for _, to, raw, _ in super().take()]


RELAY = Relay(NoticeSink())
SINK, PORT = RELAY.sink, RELAY.port
sink_start, sink_stop = RELAY.start, RELAY.stop


def text_of(msg):
    for p in msg.walk():
        if p.get_content_type() == "text/plain":
            return p.get_content()
    return ""


def path_of(url):
    """The path of a link in a mail, for this test's server (the links name BASE)."""
    check(url.startswith(BASE + "/"), "link outside the portal: %s" % url)
    return url[len(BASE):]


def link(text, kind):
    m = re.search(re.escape(BASE) + r"/abonnement/%s/([A-Za-z0-9_-]{43})\b" % kind, text)
    check(m, "no %s link in: %s" % (kind, text))
    return m.group(0)


# ---- the story: each test builds on the one before ----

S = {}


def case_json(title, public=True, decision=None):
    c = {"format": "referat-case/1", "title": title, "public": public, "route": ["DIR"],
         "presentation": "Sagsfremstilling om %s." % title}
    if not public:
        c.update({"title": "Personalesag " + CLOSED, "public_title": "Lukket punkt om personale",
                  "presentation": CLOSED})
    if decision:
        c["decisions"] = [{"body": "Direktionen", "date": "2030-03-05", "entries": [
            {"title": "Beslutning", "text": decision, "followups": [], "dates": []}]}]
    return c


def new_case(mid, model):
    path = os.path.join(WORK, "case-%d.json" % len(os.listdir(WORK)))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False)
    out = ok("case", "new", "--meeting", str(mid), path)
    cid = int(re.search(r"case (\d+)", out).group(1))
    for st in ("indsend", "godkend", "saet_paa_dagsorden"):
        ok("case", "step", str(cid), st, "--version", "1")
    return cid


def save_case(cid, model):
    path = os.path.join(WORK, "case-%d.json" % len(os.listdir(WORK)))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model, f, ensure_ascii=False)
    v = q('SELECT version FROM "case" WHERE id = ?', cid)[0][0]
    ok("case", "save", str(cid), "--version", str(v), path)


def mstep(mid, action):
    v = q("SELECT version FROM meeting WHERE id = ?", mid)[0][0]
    ok("meeting", "step", str(mid), action, "--version", str(v))


def test_setup():
    set_clock(2030, 3, 1)
    ok("db", "migrate")
    ok("body", "add", "DIR", "--name", "Direktionen")
    for k, v in [("smtp.host", "127.0.0.1"), ("smtp.port", str(PORT)), ("smtp.security", "none"),
                 ("smtp.from", "dagsorden@lindholm.dk"),
                 ("municipality.name", "Lindholm Kommune"), ("public.base_url", BASE)]:
        ok("config", "set", k, v)
    ok("body", "settings", "DIR", "minutes.approval_days=0")
    add_user(REFERAT, DB, "sek", grants=[("DIR", "sekretaer")])
    out = ok("meeting", "add", "DIR", "2030-03-05", "--start", "10:00", "--end", "12:00",
             "--place", "Mødelokale 1")
    S["m1"] = int(re.search(r"meeting (\d+)", out).group(1))
    S["open"] = new_case(S["m1"], case_json("Ny cykelsti"))
    S["closed"] = new_case(S["m1"], case_json("x", public=False))
    S["srv"] = Server(REFERAT, DB, ["--quiet", "--outbox-seconds", "0"], env=ENV)
    S["web"] = Client(S["srv"], origin=BASE)
    eq(stats(), {"pending": 0, "confirmed": 0, "unsubscribed": 0, "failing": 0, "queued": 0},
       "stats")


def test_form_on_body_page():
    st, h, body = S["web"].get("/organ/DIR")
    eq(st, 200, "/organ/DIR")
    page = body.decode()
    check("Abonnér på dagsordener og referater" in page, "the form's heading")
    check('action="/organ/DIR/abonnement"' in page and 'name="email"' in page and
          'name="emne"' in page, "the form's fields")
    for v in ("begge", "dagsordener", "referater"):
        check('value="%s"' % v in page, "choice " + v)
    st, h, _ = S["web"].get("/organ/DIR/abonnement")
    eq((st, h.get("location")), (303, "/organ/DIR#abonnement"), "a reload of the answer")
    check('id="abonnement"' in page, "the form's anchor")


def test_malformed_address_400():
    for bad in ["ikke-en-adresse", "a@b", "to@example.dk, tre@example.dk", ""]:
        st, _, body = S["web"].post("/organ/DIR/abonnement", {"email": bad, "emne": "begge"})
        eq(st, 400, "malformed %r" % bad)
        page = body.decode()
        check('aria-invalid="true"' in page and "Intet er gemt" in page, page[-2000:])
        check('id="email"' in page, "the field again")
    st, _, body = S["web"].post("/organ/DIR/abonnement", {"email": "ok@example.dk",
                                                          "emne": "alt"})
    eq(st, 400, "an unknown topic")
    check(b"aria-invalid" in body, "at its field")
    st, _, _ = S["web"].post("/organ/XYZ/abonnement", {"email": "ok@example.dk"})
    eq(st, 404, "an unknown body")
    st, _, _ = Client(S["srv"], origin="https://ond.example").post(
        "/organ/DIR/abonnement", {"email": "ok@example.dk", "emne": "begge"})
    eq(st, 403, "a form from another site")
    eq(stats()["queued"] + stats()["pending"], 0, "nothing stored or queued")


def subscribe(addr, topic="begge"):
    st, h, body = S["web"].post("/organ/DIR/abonnement", {"email": addr, "emne": topic})
    eq(st, 200, "subscribe " + addr)
    check(addr.encode() not in body, "the address is shown back")
    check("no-store" in h.get("cache-control", ""), "cached: %r" % h)
    return body


def test_subscribe_sends_confirmation():
    subscribe("borger@example.dk")
    eq(stats()["pending"], 1, "pending")
    rc, out = send()
    check(rc == 0 and "1 sent" in out, out)
    got = SINK.take()
    eq([g[0] for g in got], [["borger@example.dk"]], "one confirmation")
    msg = got[0][1]
    eq(str(msg["Subject"]), "Bekræft dit abonnement: Direktionen", "Subject")
    text = text_of(msg)
    S["confirm"] = link(text, "bekraeft")
    unsub = link(text, "afmeld")
    eq(msg["List-Unsubscribe"], "<%s>" % unsub, "List-Unsubscribe")
    eq(msg["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", "List-Unsubscribe-Post")
    check("dagsordener og referater" in text, text)
    # Tokens are stored hashed only.
    token = S["confirm"].rsplit("/", 1)[1]
    check(not q("SELECT 1 FROM notice_token WHERE hash = ?", token), "the token in clear")
    check(q("SELECT 1 FROM notice_token WHERE hash = ?",
            hashlib.blake2b(token.encode(), digest_size=32).hexdigest()), "its hash")


def test_same_answer_for_known_and_new():
    known = subscribe("borger@example.dk")
    new = subscribe("ny@example.dk")
    eq(known, new, "the answers differ")
    subscribe("ubekraeftet@example.dk", "dagsordener")
    rc, out = send()
    check(rc == 0 and "3 sent" in out, out)
    got = {g[0][0]: g for g in SINK.take()}
    eq(sorted(got), ["borger@example.dk", "ny@example.dk", "ubekraeftet@example.dk"], "sent")
    # Only the newest confirmation link works.
    old = S["confirm"]
    S["confirm"] = link(text_of(got["borger@example.dk"][1]), "bekraeft")
    st, _, _ = S["web"].get(path_of(old))
    eq(st, 404, "an earlier confirmation link")


def test_get_does_not_confirm_post_does():
    path = path_of(S["confirm"])
    st, h, body = S["web"].get(path)
    eq(st, 200, "the confirmation page")
    check("no-store" in h.get("cache-control", ""), "cached: %r" % h)
    # Its own form must carry an Origin (no-referrer would make it "null"), yet the token
    # never leaves the site.
    eq(h.get("referrer-policy"), "same-origin", "Referrer-Policy")
    check(b"Bekr\xc3\xa6ft abonnement" in body and b'method="post"' in body, "its button")
    check(b"borger@" not in body, "the address shown")
    st, _, _ = S["web"].get(path)
    eq(stats()["confirmed"], 0, "a GET confirmed")
    st, _, _ = Client(S["srv"], origin="https://ond.example").post(path, {})
    eq(st, 403, "a POST from another site")
    eq(stats()["confirmed"], 0, "confirmed from another site")
    st, _, body = S["web"].post(path, {})
    eq(st, 200, "confirm")
    check("Abonnementet er bekræftet".encode() in body, "said")
    eq(stats()["confirmed"], 1, "confirmed")
    st, _, _ = S["web"].get(path)
    eq(st, 404, "a used confirmation link")
    for bad in ["A" * 43, "kort"]:
        st, _, _ = S["web"].get("/abonnement/bekraeft/" + bad)
        eq(st, 404, "token " + bad)
        st, _, _ = S["web"].get("/abonnement/afmeld/" + bad)
        eq(st, 404, "token " + bad)


def test_release_sends_one_notice():
    sek = Client(S["srv"], origin=BASE)
    sek.login("sek")
    m = S["m1"]
    v = q("SELECT version FROM meeting WHERE id = ?", m)[0][0]
    st, _, _ = sek.post("/arbejde/moede/%d/handling" % m,
                        {"csrf": sek.csrf(), "handling": "frigiv_dagsorden", "version": v})
    eq(st, 303, "release through the sekretær's form")
    eq(q("SELECT state FROM meeting WHERE id = ?", m)[0][0], "dagsorden_frigivet", "released")
    rc, out = send()
    check(rc == 0 and "1 sent" in out, out)
    got = SINK.take()
    eq([g[0] for g in got], [["borger@example.dk"]], "exactly one notice, to the confirmed")
    msg, raw = got[0][1], got[0][2]
    eq(str(msg["Subject"]), "Dagsorden: Direktionen, møde 5. marts 2030", "Subject")
    text = text_of(msg)
    check("%s/moede/%d" % (BASE, m) in text, "the meeting page: " + text)
    check("5. marts 2030 kl. 10:00" in text and "Mødelokale 1" in text, text)
    check("Ny cykelsti" in text and "Lukket punkt om personale" in text, text)
    check(b"KANARIE" not in raw and "KANARIE" not in text and "fortrolig" not in text,
          "closed content in the notice")
    S["unsub"] = link(text, "afmeld")
    eq(msg["List-Unsubscribe"], "<%s>" % S["unsub"], "List-Unsubscribe")
    rc, out = send()
    check("0 sent" in out, "sent twice: " + out)
    eq(SINK.take(), [], "a second run")


def test_relay_down_keeps_minutes_queued():
    m = S["m1"]
    set_clock(2030, 3, 5, 9, 0)
    mstep(m, "start")
    save_case(S["open"], case_json("Ny cykelsti", decision="Direktionen godkendte cykelstien."))
    save_case(S["closed"], case_json("x", public=False, decision="Godkendt. " + CLOSED))
    for a in ("afslut", "send_referat_til_godkendelse", "luk_godkendelse"):
        mstep(m, a)
    sink_stop()
    mstep(m, "offentliggoer")
    eq(stats()["queued"], 1, "the minutes' notice queued")
    rc, out = send()
    check(rc != 0 and "1 failed" in out, "the relay down: " + out)
    rc, out = send()
    check(rc != 0 and "1 failed" in out, "still down: " + out)
    eq(stats()["queued"], 1, "still queued")
    sink_start()
    rc, out = send()
    check(rc == 0 and "1 sent" in out, out)
    got = SINK.take()
    eq([g[0] for g in got], [["borger@example.dk"]], "the minutes' notice")
    msg, raw = got[0][1], got[0][2]
    eq(str(msg["Subject"]), "Referat: Direktionen, møde 5. marts 2030", "Subject")
    text = text_of(msg)
    check("%s/moede/%d" % (BASE, m) in text, text)
    check(b"KANARIE" not in raw and "cykelstien" not in text, "minutes' content in the notice")
    eq(stats()["queued"], 0, "nothing left")
    events = [r[0] for r in q("SELECT action FROM ledger WHERE action LIKE 'notice.%'")]
    eq(events.count("notice.failed"), 1, "one failure recorded, not every retry")


def test_one_click_unsubscribe():
    path = path_of(S["unsub"])
    st, _, body = S["web"].get(path)
    eq(st, 200, "the unsubscribe page")
    check(b'method="post"' in body, "its button")
    eq(stats()["confirmed"], 1, "a GET unsubscribed")
    # RFC 8058: the mail program POSTs without Origin or cookies.
    st, _, body = Client(S["srv"], origin="").post(path, {"List-Unsubscribe": "One-Click"})
    eq(st, 200, "one-click")
    s = stats()
    eq((s["confirmed"], s["unsubscribed"]), (0, 1), "unsubscribed")
    st, _, _ = Client(S["srv"], origin="").post(path, {"List-Unsubscribe": "One-Click"})
    eq(st, 200, "a second click")
    eq(q("SELECT email FROM notice_subscription WHERE state = 'unsubscribed'"), [("",)],
       "the address kept after unsubscribing")


def test_nothing_after_unsubscribe():
    out = ok("meeting", "add", "DIR", "2030-04-02", "--start", "10:00", "--end", "11:00")
    m2 = int(re.search(r"meeting (\d+)", out).group(1))
    new_case(m2, case_json("Budgetopfølgning"))
    mstep(m2, "frigiv_dagsorden")
    rc, out = send()
    check(rc == 0 and "0 sent" in out, out)
    eq(SINK.take(), [], "a notice after unsubscribing (or to the unconfirmed)")


def test_bouncing_address_fails_after_3():
    subscribe("afvist@example.dk")
    SINK.refuse.add("afvist@example.dk")
    for i in range(3):
        rc, out = send()
        check(rc != 0 and "1 refused" in out, "try %d: %s" % (i + 1, out))
    eq(stats()["failing"], 1, "failing")
    rc, out = send()
    check("0 refused" in out and "0 sent" in out, "tried again: " + out)
    eq(SINK.refused, 3, "RCPT attempts")
    SINK.refuse.clear()


def test_throttle():
    # One address: at most 3 confirmations an hour, silently (the answer is the same).
    h = subscriber_hash("Gentag@Example.dk")
    for _ in range(4):
        subscribe("Gentag@Example.dk")
    n = [r for r in q("SELECT detail FROM ledger WHERE action = 'notice.subscribe'")
         if json.loads(r[0])["subscriber"] == h]
    eq(len(n), 3, "subscriptions of one address within the hour")
    send()
    SINK.take()
    # One client: 20 subscriptions an hour, then 429.
    statuses = []
    for i in range(25):
        st, _, _ = S["web"].post("/organ/DIR/abonnement", {"email": "b%d@example.dk" % i,
                                                          "emne": "begge"})
        statuses.append(st)
    check(429 in statuses, "never throttled: %r" % statuses)
    first = statuses.index(429)
    check(all(s == 200 for s in statuses[:first]) and all(s == 429 for s in statuses[first:]),
          "%r" % statuses)
    set_clock(2030, 3, 5, 11, 0)
    st, _, _ = S["web"].post("/organ/DIR/abonnement", {"email": "senere@example.dk"})
    eq(st, 200, "an hour later")
    rc, out = send()
    check(rc == 0, out)
    SINK.take()


def test_server_outbox_sends():
    """The server's outbox thread sends the notices too, by the test's clock."""
    import time
    S["srv"].stop()
    set_clock(2030, 3, 5, 12, 0)
    # With the access log: the links' tokens are never in it.
    S["srv"] = Server(REFERAT, DB, ["--outbox-seconds", "60"], env=ENV)
    S["web"] = Client(S["srv"], origin=BASE)
    subscribe("server@example.dk")
    set_clock(2030, 3, 5, 12, 2)
    deadline = time.monotonic() + 15
    got = []
    while not got and time.monotonic() < deadline:
        time.sleep(0.2)
        got = SINK.take()
    eq([g[0] for g in got], [["server@example.dk"]], "sent by the server's outbox")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("notices: 1 sent" in x for x in S["srv"].log):
        time.sleep(0.1)
    check(any("notices: 1 sent" in x for x in S["srv"].log), "logged: %r" % S["srv"].log)
    token = link(text_of(got[0][1]), "bekraeft").rsplit("/", 1)[1]
    st, _, _ = S["web"].get("/abonnement/bekraeft/" + token)
    eq(st, 200, "the confirmation page")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any("/abonnement/bekraeft/" in x
                                                  for x in S["srv"].log):
        time.sleep(0.1)
    log = "".join(S["srv"].log)
    check("/abonnement/bekraeft/TOKEN 200" in log, "the request logged: " + log[-500:])
    check(token not in log, "the token logged")


def test_no_address_in_ledger_or_output():
    details = "".join(r[0] or "" for r in q("SELECT detail FROM ledger"))
    objects = "".join(r[0] or "" for r in q("SELECT object FROM ledger"))
    for a in ADDRESSES + ["b1@example.dk", "senere@example.dk"]:
        check(a not in details.lower() and a not in objects.lower(), a + " in the ledger")
        check(subscriber_hash(a) in details or a.startswith(("b1", "senere", "gentag")),
              "no hash of " + a)
    check("@example.dk" not in details, "an address in the ledger")
    log = "".join(S["srv"].log)
    check("@example.dk" not in log, "an address in the server's log")
    for p in PRINTED:
        check("@example.dk" not in p, "an address printed: " + p)
    rc = S["srv"].stop()
    eq(rc, 0, "the server's exit")
    ok("audit", "verify")  # the notices' events are in the chain


TESTS = [test_setup, test_form_on_body_page, test_malformed_address_400,
         test_subscribe_sends_confirmation, test_same_answer_for_known_and_new,
         test_get_does_not_confirm_post_does, test_release_sends_one_notice,
         test_relay_down_keeps_minutes_queued, test_one_click_unsubscribe,
         test_nothing_after_unsubscribe, test_bouncing_address_fails_after_3, test_throttle,
         test_server_outbox_sends, test_no_address_in_ledger_or_output]


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
        if "srv" in S:
            S["srv"].stop()
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
