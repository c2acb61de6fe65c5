"""web_security: the staff workspace's defences against the real server: CSRF tokens and
Origin on every POST, session fixation, idle and absolute session expiry, login throttling per
name and per address, login-name enumeration by message and by timing, a member of one body
reading another body's closed case by id, export, API, token and search, bad input (long or
malformed logins, passwords, cookies, tokens, lying bodies), and nothing secret in the log or
the archive. The server's clock is a file the test writes (REFERAT_CLOCK_FILE): nothing here
sleeps for time to pass.

usage: web_security.py REFERAT EXAMPLES_DIR"""

import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time

from web_common import (Client, Ctx, MARKER, PASSWORD, Runner, Server, add_user, check, cleanup,
                        csrf_of, eq, make_archive, raw_status, workdir)





def set_clock(ctx, t):
    ctx.now = t
    with open(ctx.clock, "w") as f:
        f.write("%d\n" % t)


def advance(ctx, seconds):
    set_clock(ctx, ctx.now + seconds)


def refused_login(st, h):
    return st == 303 and h.get("location", "").startswith("/log-ind")


def password_form(client, token=None):
    """A password change that the handler refuses (the two new ones differ): whatever reaches
    the handler answers 400, so 403 means the request was stopped before it."""
    return {"csrf": token if token is not None else client.csrf(), "current": "x",
            "new": "a" * 12, "repeat": "b" * 12}


# ---- CSRF and Origin ----

def test_csrf_token_required(ctx):
    c = Client(ctx.srv)
    c.login("dir-sekretaer")
    token = c.csrf()
    check(token and re.fullmatch(r"[0-9a-f]{64}", token), "pages carry a token")
    eq(c.post("/arbejde/adgangskode", password_form(c, token))[0], 400, "right token passes")
    form = password_form(c, token)
    del form["csrf"]
    eq(c.post("/arbejde/adgangskode", form)[0], 403, "missing token")
    eq(c.post("/arbejde/adgangskode", password_form(c, "0" * 64))[0], 403, "wrong token")
    eq(c.post("/arbejde/adgangskode", password_form(c, token[:-1]))[0], 403, "short token")
    other = Client(ctx.srv)
    other.login("dir-medlem")
    eq(c.post("/arbejde/adgangskode", password_form(c, other.csrf()))[0], 403,
       "another session's token")
    # The logout form is a POST too: without a token the session survives.
    eq(c.post("/log-ud", {})[0], 403, "logout without token")
    eq(c.get("/arbejde")[0], 200, "still logged in")


def test_origin_checked(ctx):
    c = Client(ctx.srv)
    c.login("dir-sekretaer")
    form = password_form(c)
    eq(c.post("/arbejde/adgangskode", form, headers={"Origin": "http://evil.example"})[0],
       403, "foreign Origin")
    eq(c.post("/arbejde/adgangskode", form,
              headers={"Origin": "http://127.0.0.1:%d.evil.example" % ctx.srv.port})[0], 403,
       "look-alike Origin")
    nobody = Client(ctx.srv, origin="")
    nobody.jar = dict(c.jar)
    eq(nobody.post("/arbejde/adgangskode", form)[0], 403, "neither Origin nor Referer")
    eq(nobody.post("/arbejde/adgangskode", form,
                   headers={"Referer": "http://127.0.0.1:%d/arbejde" % ctx.srv.port})[0], 400,
       "a same-site Referer stands in for Origin")
    eq(nobody.post("/arbejde/adgangskode", form,
                   headers={"Referer": "http://evil.example/arbejde"})[0], 403,
       "a foreign Referer")


def test_login_form_csrf(ctx):
    c = Client(ctx.srv)
    st, _, page = c.get("/log-ind")
    token = csrf_of(page)
    form = {"csrf": token, "login": "dir-medlem", "password": PASSWORD}
    bare = Client(ctx.srv)
    eq(bare.post("/log-ind", form)[0], 403, "no pre-login cookie")
    eq(c.post("/log-ind", dict(form, csrf="1" * 64))[0], 403, "wrong login token")
    eq(c.post("/log-ind", form, headers={"Origin": "http://evil.example"})[0], 403,
       "login from another site")
    eq(c.post("/log-ind", form)[0], 303, "the real form logs in")


# ---- sessions ----

def test_session_fixation(ctx):
    planted = "A" * 43
    c = Client(ctx.srv)
    c.jar["referat"] = planted
    st, h, _ = c.get("/arbejde")
    check(refused_login(st, h), "a planted id is no session")
    check("referat" not in c.jar, "and the server clears it")
    c.jar["referat"] = planted
    st, h, _ = c.login("dir-medlem")
    sid = c.jar.get("referat")
    check(sid and sid != planted and len(sid) == 43, "login makes a new id")
    attacker = Client(ctx.srv)
    attacker.jar["referat"] = planted
    check(refused_login(*attacker.get("/arbejde")[:2]), "the planted id gives nothing")
    # A second login gives yet another id.
    c2 = Client(ctx.srv)
    c2.login("dir-medlem")
    check(c2.jar["referat"] != sid, "each login its own id")


def test_cookie_attributes(ctx):
    c = Client(ctx.srv)
    st, h, _ = c.get("/log-ind")
    c2 = Client(ctx.srv)
    _, _, page = c2.get("/log-ind")
    conn_headers = []
    import http.client
    import urllib.parse
    conn = http.client.HTTPConnection("127.0.0.1", ctx.srv.port, timeout=10)
    body = urllib.parse.urlencode({"csrf": csrf_of(page), "login": "dir-medlem",
                                   "password": PASSWORD})
    conn.request("POST", "/log-ind", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "http://127.0.0.1:%d" % ctx.srv.port,
        "Cookie": "; ".join("%s=%s" % kv for kv in c2.jar.items())})
    r = conn.getresponse()
    r.read()
    conn_headers = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
    conn.close()
    session = [v for v in conn_headers if v.startswith("referat=")]
    eq(len(session), 1, "one session cookie")
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"]:
        check(attr in session[0], "session cookie has " + attr)
    check("Secure" not in session[0], "no Secure over plain http on 127.0.0.1")


def test_https_cookie_behind_trusted_proxy(ctx):
    """Behind the configured TLS proxy the cookie is __Host- and Secure."""
    cfg = lambda *a: [ctx.referat, "config"] + list(a) + ["--db", ctx.db]
    subprocess.run(cfg("set", "proxy.trusted", "127.0.0.1"), check=True, capture_output=True)
    try:
        c = Client(ctx.srv, origin="https://referat.example")
        fwd = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
               "Host": "referat.example"}
        _, h, page = c.get("/log-ind", headers=fwd)
        check("__Host-referat-login" in h.get("set-cookie", ""), "prefixed pre-login cookie")
        st, h, _ = c.post("/log-ind", {"csrf": csrf_of(page), "login": "dir-medlem",
                                       "password": PASSWORD}, headers=fwd)
        eq(st, 303, "login through the proxy")
        sc = [v for v in c.set_cookies if v.startswith("__Host-referat=")]
        check(len(sc) == 1 and "Secure" in sc[0], "Secure __Host- cookie: %r" % c.set_cookies)
        st, _, body = c.get("/arbejde", headers=fwd)
        eq(st, 200, "the prefixed cookie is the session")
        # The address the proxy reports is the one the ledger records.
        r = subprocess.run([ctx.referat, "audit", "log", "--db", ctx.db, "--limit", "5",
                            "--json"], capture_output=True, text=True)
        check("203.0.113.9" in r.stdout, "client address from X-Forwarded-For")
    finally:
        subprocess.run(cfg("unset", "proxy.trusted"), check=True, capture_output=True)


def test_session_idle_expiry(ctx):
    c = Client(ctx.srv)
    c.login("dir-medlem")
    advance(ctx, 3600)
    eq(c.get("/arbejde")[0], 200, "an hour later: still in (and seen now)")
    advance(ctx, 7200 - 30)
    eq(c.get("/arbejde")[0], 200, "just under two idle hours")
    advance(ctx, 7201)
    check(refused_login(*c.get("/arbejde")[:2]), "two idle hours: expired")


def test_session_absolute_expiry(ctx):
    c = Client(ctx.srv)
    c.login("dir-medlem")
    for _ in range(14):  # 14 * 3000 s = 11 h 40 min, each step well inside the idle limit
        advance(ctx, 3000)
        eq(c.get("/arbejde")[0], 200, "active use inside twelve hours")
    advance(ctx, 3000)
    check(refused_login(*c.get("/arbejde")[:2]), "twelve hours after login: expired")


def test_logout_ends_the_session_everywhere_it_is_copied(ctx):
    c = Client(ctx.srv)
    c.login("dir-medlem")
    copy = Client(ctx.srv)
    copy.jar = dict(c.jar)
    eq(c.post("/log-ud", {"csrf": c.csrf()})[0], 303)
    check(refused_login(*copy.get("/arbejde")[:2]), "the copied cookie is dead too")


# ---- logins ----

def test_throttle_per_login_name(ctx):
    advance(ctx, 3600)
    c = Client(ctx.srv)
    for i in range(5):
        eq(c.login("dir-godkender", "forkert forkert forkert", expect=None)[0], 401,
           "wrong password %d" % (i + 1))
    st, h, body = c.login("dir-godkender", expect=None)
    eq(st, 429, "the right password, throttled")
    check(int(h.get("retry-after", "0")) > 0, "Retry-After")
    check("For mange mislykkede forsøg" in body.decode(), "says why, in Danish")
    # Another name from the same address is not locked by this one's failures.
    eq(Client(ctx.srv).login("dir-medlem", expect=None)[0], 303, "others still log in")
    advance(ctx, 901)
    eq(c.login("dir-godkender", expect=None)[0], 303, "after the lock, in again")


def test_throttle_per_address(ctx):
    advance(ctx, 3600)
    cfg = lambda *a: [ctx.referat, "config"] + list(a) + ["--db", ctx.db]
    subprocess.run(cfg("set", "login.failures_per_address", "8"), check=True,
                   capture_output=True)
    try:
        for i in range(8):
            eq(Client(ctx.srv).login("ukendt%d" % i, expect=None)[0], 401, "failure %d" % i)
        eq(Client(ctx.srv).login("dir-medlem", expect=None)[0], 429,
           "the address is locked for every name")
        advance(ctx, 901)
        eq(Client(ctx.srv).login("dir-medlem", expect=None)[0], 303, "and unlocked later")
    finally:
        subprocess.run(cfg("unset", "login.failures_per_address"), check=True,
                       capture_output=True)


def _attempt(ctx, login, password):
    c = Client(ctx.srv)
    _, _, page = c.get("/log-ind")
    t0 = time.perf_counter()
    st, h, body = c.post("/log-ind", {"csrf": csrf_of(page), "login": login,
                                      "password": password})
    return st, body, time.perf_counter() - t0


def _normalise(body):
    return re.sub(rb'value="[0-9a-f]{64}"', b'value="TOKEN"',
                  re.sub(rb'name="login"[^>]*>', b'>', body))


def test_no_login_name_enumeration(ctx):
    """A wrong login and a wrong password: the same status and page, in the same time (the
    same Argon2id work). The clock moves between attempts so no throttle interferes."""
    unknown, wrong = [], []
    bodies = set()
    for i in range(10):
        advance(ctx, 1000)
        st1, b1, t1 = _attempt(ctx, "findes-ikke-%d" % i, "forkert forkert forkert")
        advance(ctx, 1000)
        st2, b2, t2 = _attempt(ctx, "dir-sagsbehandler", "forkert forkert forkert")
        eq((st1, st2), (401, 401), "both refused alike")
        unknown.append(t1)
        wrong.append(t2)
        bodies.add(_normalise(b1))
        bodies.add(_normalise(b2))
    eq(len(bodies), 1, "one page for both")
    ratio = statistics.median(unknown) / statistics.median(wrong)
    print("  median unknown %.1f ms, wrong password %.1f ms, ratio %.2f"
          % (statistics.median(unknown) * 1e3, statistics.median(wrong) * 1e3, ratio))
    check(0.5 < ratio < 2.0, "the same time within noise: ratio %.2f" % ratio)


def test_disabled_account(ctx):
    add_user(ctx.referat, ctx.db, "snart-spaerret", grants=[("DIR", "medlem")])
    c = Client(ctx.srv)
    c.login("snart-spaerret")
    subprocess.run([ctx.referat, "user", "disable", "snart-spaerret", "--db", ctx.db],
                   check=True, capture_output=True)
    check(refused_login(*c.get("/arbejde")[:2]), "a disabled account's session ends")
    st, body, _ = _attempt(ctx, "snart-spaerret", PASSWORD)
    eq(st, 401, "and it cannot log in")
    check(b"Forkert brugernavn eller adgangskode" in body, "with the usual message")


# ---- closed content across bodies ----

def closed_dir_case(ctx):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute("SELECT c.id FROM \"case\" c JOIN body b ON b.id = c.body_id "
                           "WHERE b.code = 'DIR' AND NOT c.public").fetchone()[0]
    finally:
        con.close()


def views(client, cid, token=None):
    """Everything a reader can ask about one case: the page, every export, the API (by
    cookie, or by token), and both searches for the marker."""
    out = {}
    for path in ["/sag/%d" % cid] + ["/sag/%d.%s" % (cid, x) for x in ("md", "txt", "json", "html")]:
        out[path] = client.get(path)
    out["/api/cases/%d" % cid] = client.get("/api/cases/%d" % cid)
    if token:
        out["token /api/cases/%d" % cid] = Client(client.srv).get(
            "/api/cases/%d" % cid, headers={"Authorization": "Bearer " + token})
    # A search page repeats its query: that echo is taken out before looking for the marker.
    for what, path in [("/soeg", "/soeg?q="), ("/api/search", "/api/search?q=")]:
        st, h, body = client.get(path + MARKER)
        out[what] = (st, h, body.replace(MARKER.encode(), b""), body)
    return out


def make_token(ctx, login):
    r = subprocess.run([ctx.referat, "token", "add", login, "--db", ctx.db],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, "token add: " + r.stderr)
    return r.stdout.strip()


def test_member_of_another_body_reads_nothing_closed(ctx):
    cid = closed_dir_case(ctx)
    c = Client(ctx.srv)
    c.login("oek-medlem")
    for what, answer in views(c, cid, make_token(ctx, "oek-medlem")).items():
        st, h, body = answer[:3]
        check(st in (200, 404), "%s answers: %d" % (what, st))
        check(MARKER.encode() not in body, "no closed text in " + what)
        if what in ("/soeg", "/api/search"):
            check(("/sag/%d\"" % cid).encode() not in answer[-1],
                  "no hit on the closed case in " + what)


def test_member_of_the_body_reads_it(ctx):
    cid = closed_dir_case(ctx)
    c = Client(ctx.srv)
    c.login("dir-medlem")
    v = views(c, cid, make_token(ctx, "dir-medlem"))
    for what in ["/sag/%d" % cid, "/sag/%d.md" % cid, "/sag/%d.json" % cid,
                 "/api/cases/%d" % cid, "token /api/cases/%d" % cid]:
        st, h, body = v[what][:3]
        eq(st, 200, what)
        check(MARKER.encode() in body, "the member sees the closed text in " + what)
        eq(h.get("cache-control"), "private, no-store", "never cached: " + what)
    # Staff search finds the closed case by its closed words; the public's does not.
    for what in ["/soeg", "/api/search"]:
        full = v[what][-1]
        check(("/sag/%d\"" % cid).encode() in full, "the member finds the closed case by " + what)


def test_public_cache_never_mixes_readers(ctx):
    cid = closed_dir_case(ctx)
    anon = Client(ctx.srv)
    for _ in range(2):  # the second is a cache hit
        st, h, body = anon.get("/sag/%d" % cid)
        check(MARKER.encode() not in body, "anonymous: public view")
        check("private" not in h.get("cache-control", ""), "public page is not private")
    member = Client(ctx.srv)
    member.login("dir-medlem")
    check(MARKER.encode() in member.get("/sag/%d" % cid)[2], "member after anonymous")
    check(MARKER.encode() not in anon.get("/sag/%d" % cid)[2], "anonymous after member")


def test_tokens(ctx):
    cid = closed_dir_case(ctx)
    token = make_token(ctx, "dir-medlem")
    api = lambda t: Client(ctx.srv).get("/api/cases/%d" % cid,
                                        headers={"Authorization": "Bearer " + t})
    st, _, body = api(token)
    check(st == 200 and MARKER.encode() in body, "a valid token reads as its account")
    for bad in ["rft_" + "x" * 10, "nonsense", "rft_" + "A" * 43, token + "x", ""]:
        st, h, body = api(bad)
        eq(st, 401, "bad token %r" % bad[:12])
        check(MARKER.encode() not in body and "ugyldigt" in body.decode(), "clear message")
    r = subprocess.run([ctx.referat, "token", "list", "dir-medlem", "--json", "--db", ctx.db],
                       capture_output=True, text=True)
    import json
    ids = [t["id"] for t in json.loads(r.stdout) if not t.get("revoked_at")]
    for tid in ids:
        subprocess.run([ctx.referat, "token", "revoke", str(tid), "--db", ctx.db], check=True,
                       capture_output=True)
    eq(api(token)[0], 401, "a revoked token")
    # A token opens the API only, never the staff area.
    st, h, _ = Client(ctx.srv).get("/arbejde", headers={"Authorization": "Bearer " + token})
    check(refused_login(st, h), "no staff pages by token")


# ---- bad input ----

def test_bad_input(ctx):
    advance(ctx, 3600)
    st, body, _ = _attempt(ctx, "x" * 10000, "y" * 10000)
    eq(st, 401, "an over-long login and password are a failed login")
    check(b"x" * 100 not in body, "the long login is not echoed")
    # Invalid UTF-8 in a field: refused before any handler sees it.
    c = Client(ctx.srv)
    _, _, page = c.get("/log-ind")
    st, _, body = c.request("POST", "/log-ind", raw_body=b"csrf=" + csrf_of(page).encode() +
                            b"&login=a&password=%FF%FE", headers={
                                "Content-Type": "application/x-www-form-urlencoded"})
    eq(st, 400, "invalid UTF-8 in a password")
    st, _, _ = c.request("POST", "/log-ind", raw_body=b"login=a", headers={
        "Content-Type": "text/plain"})
    eq(st, 415, "not a form")
    # A body over the limit is refused from its head, before it is sent.
    s = socket.create_connection(("127.0.0.1", ctx.srv.port), timeout=10)
    s.sendall(b"POST /log-ind HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
              b"application/x-www-form-urlencoded\r\nContent-Length: 2097152\r\n\r\n")
    eq(raw_status(s.recv(100)), 413, "a body over the limit")
    s.close()
    # Over-long and malformed cookies are no session.
    for cookie in ["referat=" + "A" * 4000, "referat=../../etc", "referat=", "referat",
                   "referat=%00%01", "referat=" + "é" * 20]:
        st, h, _ = Client(ctx.srv).get("/arbejde", headers={"Cookie": cookie})
        check(refused_login(st, h), "cookie %r" % cookie[:20])
    # A multipart body that lies about its size: the server answers and keeps serving.
    s = socket.create_connection(("127.0.0.1", ctx.srv.port), timeout=20)
    s.sendall(b"POST /log-ind HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
              b"boundary=XX\r\nContent-Length: 500000\r\nOrigin: http://127.0.0.1\r\n\r\n"
              b"--XX\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nabc\r\n")
    s.shutdown(socket.SHUT_WR)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    st = raw_status(data)
    check(st is None or st in (400, 403, 408, 413), "a short body: %r" % data[:60])
    eq(Client(ctx.srv).get("/")[0], 200, "still serving")


def test_nothing_secret_logged_or_stored(ctx):
    """The access log never holds a password, a session id or a token; the archive holds only
    their hashes."""
    c = Client(ctx.srv)
    c.login("dir-medlem")
    sid = c.jar["referat"]
    token = make_token(ctx, "dir-medlem")
    c.get("/arbejde")
    time.sleep(0.2)  # let the access log lines arrive (not a clock: the log is a pipe)
    log = "".join(ctx.srv.log)
    for secret in [PASSWORD, "forkert forkert forkert", sid, token]:
        check(secret not in log, "secret in the access log")
    ctx.srv_db_bytes = b""
    for suffix in ["", "-wal"]:
        p = ctx.db + suffix
        if os.path.exists(p):
            ctx.srv_db_bytes += open(p, "rb").read()
    for secret in [PASSWORD, sid, token]:
        check(secret.encode() not in ctx.srv_db_bytes, "secret stored in the archive")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        for login, grants in [("dir-sekretaer", [("DIR", "sekretaer")]),
                              ("dir-medlem", [("DIR", "medlem")]),
                              ("dir-godkender", [("DIR", "godkender")]),
                              ("dir-sagsbehandler", [("DIR", "sagsbehandler")]),
                              ("oek-medlem", [("ØK", "medlem")])]:
            add_user(referat, ctx.db, login, grants=grants)
        ctx.clock = os.path.join(ctx.dir, "clock")
        set_clock(ctx, 1798761600)  # 2027-01-01T00:00:00Z
        ctx.srv = Server(referat, ctx.db, [], env={"REFERAT_CLOCK_FILE": ctx.clock})
        runner.run_all(globals(), ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
