"""web_hostile: the portal against hostile clients, one regression test per defect of issue 13
that lives in the server (D1, D4, D13, D14): too many arguments, one client holding every
connection, lenient request parsing, the library's own answers without the common headers.
Each test starts or uses the real `referat serve` on 127.0.0.1 and is bounded in time.

usage: web_hostile.py REFERAT EXAMPLES_DIR [NAME_REGEX]"""

import re
import socket
import sys
import threading
import time

from web_common import (Ctx, Runner, Server, check, cleanup, eq, make_archive, raw_status, workdir)

COMMON = ["content-security-policy", "x-content-type-options", "referrer-policy",
          "x-frame-options"]





def raw(port, data, timeout=4, source="127.0.0.1"):
    """Sends data on a fresh connection and reads until the server closes it (or timeout):
    (bytes, seconds)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0))
    t0 = time.monotonic()
    out = b""
    try:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        pass
    finally:
        s.close()
    return out, time.monotonic() - t0


def heads(resp):
    """The answers in resp: [(status, {header: value})] (lowercased names); bodies skipped by
    Content-Length."""
    out = []
    while resp:
        m = re.match(rb"HTTP/1\.[01] (\d{3})[^\r\n]*\r\n", resp)
        if not m:
            break
        head, _, rest = resp.partition(b"\r\n\r\n")
        h = {}
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            h[k.strip().lower().decode()] = v.strip().decode("latin-1")
        out.append((int(m.group(1)), h))
        resp = rest[int(h.get("content-length", "0")):] if int(m.group(1)) != 304 else rest
    return out


def has_common(h, what):
    for name in COMMON:
        check(name in h, "%s: %s missing (%r)" % (what, name, sorted(h)))
    check("default-src 'none'" in h["content-security-policy"], what + " CSP")
    eq(h["x-content-type-options"], "nosniff", what)


def get_ok(port, path="/", source="127.0.0.1", timeout=3):
    resp, _ = raw(port, b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" %
                  path.encode(), timeout=timeout, source=source)
    return raw_status(resp)


def args(n):
    return b"&".join([b"a"] * n)


# ---- D1: many arguments ----

def d1_many_args_freed(ctx):
    # A request with more arguments than the library has memory for is answered 400 at once,
    # with the common headers, and releases what it took: after 200 of them the server still
    # answers and stops at once on SIGTERM (it waited 20 s for the lost requests, and ASan
    # reported them leaked, exit status 1).
    srv = Server(ctx.referat, ctx.db, ["--timeout", "5", "--threads", "2"])
    try:
        for n in [40, 100, 463, 2000, 15000]:
            req = b"GET /soeg?" + args(n) + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            resp, secs = raw(srv.port, req)
            got = heads(resp)
            check(got, "%d arguments: no answer in %.1f s" % (n, secs))
            eq(got[0][0], 400, "%d arguments" % n)
            has_common(got[0][1], "%d arguments" % n)
            check("Forespørgslen kunne ikke forstås".encode() in resp, "Danish page")
            check(secs < 2, "%d arguments answered in %.1f s" % (n, secs))
        # 200 on fresh connections, half of them closed by the client before the answer.
        req = b"GET /?" + args(15000) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        for i in range(200):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall(req)
            if i % 2:
                s.settimeout(2)
                check(raw_status(s.recv(100)) == 400, "answered")
            s.close()
        eq(get_ok(srv.port, "/sag/1"), 200, "still serving")
        time.sleep(0.3)
        t0 = time.monotonic()
        eq(srv.stop(timeout=15), 0, "exit status (ASan: nothing leaked)")
        check(time.monotonic() - t0 < 5, "stopped in %.1f s" % (time.monotonic() - t0))
        check(any(re.search(r"^127\.0\.0\.1 - /\?a&a&a.* 400 \d+ [\d.]+ms$", l) for l in srv.log),
              "logged as 400: %r" % srv.log[-4:])
    finally:
        srv.stop()


def d1_nul_before_many_args(ctx):
    # The library counts arguments past a raw NUL in the target, which the target the server
    # sees ends at; the count is taken where the library unescapes them, so this is caught too.
    resp, secs = raw(ctx.srv.port, b"GET /x\x00?" + args(3000) + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    got = heads(resp)
    check(got and got[0][0] == 400, "answered 400: %r" % resp[:40])
    check(secs < 2, "at once (%.1f s)" % secs)


# ---- D4: one client, every connection ----

def open_idle(port, n, source):
    """n connections from source that send nothing."""
    out = []
    for _ in range(n):
        try:
            out.append(socket.create_connection(("127.0.0.1", port), timeout=2,
                                                source_address=(source, 0)))
        except OSError:
            pass
    return out


def served(conns):
    """How many of the open connections still answer a request."""
    n = 0
    for s in conns:
        try:
            s.settimeout(2)
            s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            if raw_status(s.recv(4096)) == 200:
                n += 1
        except OSError:
            pass
    return n


def d4_one_client_cannot_hold_all_connections(ctx):
    # 64 connections at most, so at most 8 from one address: 200 idle connections from
    # 127.0.0.2 leave room for everyone else (before: they held all 64 until the timeout,
    # and every other client was turned away).
    srv = Server(ctx.referat, ctx.db, ["--timeout", "10", "--threads", "2",
                                       "--max-connections", "64"])
    idle = []
    try:
        idle = open_idle(srv.port, 200, "127.0.0.2")
        time.sleep(0.5)  # let the server accept (or refuse) them all
        t0 = time.monotonic()
        for src in ["127.0.0.1", "127.0.0.3", "127.0.0.1"]:
            eq(get_ok(srv.port, "/sag/1", source=src), 200, "a request from " + src)
        check(time.monotonic() - t0 < 2, "served at once")
        held = served(idle)
        check(8 <= held <= 10, "the client holds 8 connections (one more per racing "
              "worker thread at most): %d" % held)
    finally:
        for s in idle:
            s.close()
        srv.stop()
    check(any(re.search(r"refused \d+ connection\(s\) over the limit of 8 per address "
                        r"\(last from 127\.0\.0\.2\)", l) for l in srv.log),
          "refusals reported: %r" % srv.log[-3:])


def d4_trusted_proxy_is_not_limited(ctx):
    # Behind a reverse proxy every connection comes from the proxy: it is exempt from the
    # per-address limit, and the client it names in X-Forwarded-For is the one logged.
    srv = Server(ctx.referat, ctx.db, ["--timeout", "10", "--threads", "2",
                                       "--max-connections", "64", "--trusted-proxy",
                                       "127.0.0.2"])
    idle = []
    try:
        idle = open_idle(srv.port, 30, "127.0.0.2")
        time.sleep(0.3)
        eq(served(idle), 30, "the proxy's 30 connections are all served")
        for src in ["127.0.0.2", "127.0.0.1"]:
            resp, _ = raw(srv.port, b"GET /robots.txt?from=%s HTTP/1.1\r\nHost: x\r\n"
                          b"X-Forwarded-For: 198.51.100.9, 203.0.113.7\r\n"
                          b"Connection: close\r\n\r\n" % src.encode(), source=src)
            eq(raw_status(resp), 200, src)
        time.sleep(0.2)
        check(any(l.startswith("203.0.113.7 GET /robots.txt?from=127.0.0.2 200")
                  for l in srv.log), "the proxy's client is logged")
        check(any(l.startswith("127.0.0.1 GET /robots.txt?from=127.0.0.1 200")
                  for l in srv.log), "X-Forwarded-For from anyone else is ignored")
    finally:
        for s in idle:
            s.close()
        srv.stop()
    r = __import__("subprocess").run([ctx.referat, "serve", "--db", ctx.db, "--listen",
                                      "127.0.0.1:0", "--trusted-proxy", "proxy.example"],
                                     capture_output=True, text=True, timeout=10)
    check(r.returncode != 0 and "--trusted-proxy" in r.stderr, "bad --trusted-proxy refused")


def test_idle_connection_closed_at_deadline(ctx):
    # The header-read deadline (--timeout 2 here) holds for a connection that sends nothing:
    # it is closed (by the library's idle timeout or the watchdog's 408, whichever comes
    # first), and a 408 carries the common headers like every answer.
    s = socket.create_connection(("127.0.0.1", ctx.srv.port), timeout=6)
    t0 = time.monotonic()
    data = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    s.close()
    secs = time.monotonic() - t0
    got = heads(data)
    check(not data or (got and got[0][0] == 408), "closed or 408: %r" % data[:40])
    if got:
        has_common(got[0][1], "408")
    check(1.5 < secs < 4, "after the 2 s deadline: %.1f s" % secs)


def test_trickled_head_gets_408(ctx):
    # One byte every 0.3 s resets the library's idle timeout but not the deadline.
    s = socket.create_connection(("127.0.0.1", ctx.srv.port), timeout=6)
    s.sendall(b"GET / HTTP/1.1\r\n")
    t0 = time.monotonic()
    got = b""
    s.settimeout(0.3)
    while time.monotonic() - t0 < 6 and not got:
        try:
            s.sendall(b"X")
            got = s.recv(4096) or b"<closed>"
        except socket.timeout:
            pass
        except OSError:
            got = b"<reset>"
    s.close()
    h = heads(got)
    check(h and h[0][0] == 408, "408: %r" % got[:40])
    has_common(h[0][1], "408")


# ---- D13: lenient request parsing ----

def refused(ctx, data, what):
    resp, secs = raw(ctx.srv.port, data)
    got = heads(resp)
    check(len(got) == 1, "%s: one answer, got %r" % (what, [g[0] for g in got]))
    eq(got[0][0], 400, what)
    has_common(got[0][1], what)
    eq(got[0][1].get("connection", "").lower(), "close", what + " closes")
    check(secs < 2, "%s: at once" % what)


def d13_two_content_lengths_refused(ctx):
    smuggled = b"GET /sag/4.json HTTP/1.1\r\nHost: x\r\n\r\n"
    refused(ctx, b"GET /sag/4 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: %d"
            b"\r\n\r\n" % len(smuggled) + smuggled, "two Content-Length")
    refused(ctx, b"GET /sag/4 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "Content-Length and chunked")


def d13_raw_nul_in_path_refused(ctx):
    refused(ctx, b"GET /sag/4\x00.json HTTP/1.1\r\nHost: x\r\n\r\n", "NUL in the path")
    refused(ctx, b"GET /sag/4?a=\x00b HTTP/1.1\r\nHost: x\r\n\r\n", "NUL in the query")
    refused(ctx, b"GET /sag/4 x HTTP/1.1\r\nHost: x\r\n\r\n", "space in the target")
    refused(ctx, b"GET  /sag/4 HTTP/1.1\r\nHost: x\r\n\r\n", "two spaces after the method")
    refused(ctx, b"GET /sag/4\x01 HTTP/1.1\r\nHost: x\r\n\r\n", "control byte in the target")


def d13_whitespace_before_colon_refused(ctx):
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\nConnection : close\r\n\r\n", "space, colon")
    refused(ctx, b"GET / HTTP/1.1\r\nHost\t: x\r\n\r\n", "tab, colon")
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\nX(a): b\r\n\r\n", "name not a token")


def d13_duplicate_host_refused(ctx):
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "two Host")
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\"y\r\n\r\n", "invalid Host")
    refused(ctx, b"GET / HTTP/1.1\r\nHost:\r\n\r\n", "empty Host")


def d13_http11_without_host_refused(ctx):
    refused(ctx, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 without Host")
    resp, _ = raw(ctx.srv.port, b"GET / HTTP/1.0\r\n\r\n")
    eq(raw_status(resp), 200, "HTTP/1.0 needs no Host")


def d13_obs_fold_refused(ctx):
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", "obs-fold (space)")
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n", "obs-fold (tab)")


def d13_bare_lf_refused(ctx):
    refused(ctx, b"GET / HTTP/1.1\nHost: x\r\n\r\n", "bare LF after the request line")
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\nConnection: close\r\n\r\n", "bare LF in a header")
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\n\n", "bare LF ending the head")
    refused(ctx, b"GET / HTTP/1.1\nHost: x\n\n", "bare LF everywhere")
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", "bare CR in a value")
    refused(ctx, b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", "NUL in a value")


def d13_absolute_form_accepted(ctx):
    _, _, want = ctx.srv.get("/sag/4")
    for target in [b"http://127.0.0.1:%d/sag/4" % ctx.srv.port, b"HTTP://x/sag/4"]:
        resp, _ = raw(ctx.srv.port, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
        eq(raw_status(resp), 200, target)
        check(resp.partition(b"\r\n\r\n")[2] == want, "%r: the page of /sag/4" % target)
    resp, _ = raw(ctx.srv.port, b"GET http://x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    eq(raw_status(resp), 200, "authority alone is the front page")
    resp, _ = raw(ctx.srv.port, b"GET http://u@x/ HTTP/1.1\r\nHost: x\r\nConnection: close"
                  b"\r\n\r\n")
    eq(raw_status(resp), 400, "userinfo refused")


def test_strict_parsing_keeps_valid_requests(ctx):
    # What RFC 9112 allows still works: no space or extra spaces around a value, HTTP/1.0,
    # leading empty lines, pipelining on one connection.
    for data in [b"GET / HTTP/1.1\r\nHost:x\r\nConnection: close\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: \t x \t\r\nX-Empty:\r\nConnection: close\r\n\r\n",
                 b"\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                 b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                 b"GET /soeg?q=budget&side=1 HTTP/1.0\r\nHost: x\r\n\r\n"]:
        resp, _ = raw(ctx.srv.port, data)
        eq(raw_status(resp), 200, data)
    two = (b"GET /sag/1 HTTP/1.1\r\nHost: x\r\n\r\n" +
           b"GET /sag/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    resp, _ = raw(ctx.srv.port, two)
    eq([s for s, _ in heads(resp)], [200, 200], "pipelined")


# ---- D14: every answer carries the common headers ----

def d14_library_answers_carry_headers(ctx):
    port = ctx.srv.port
    cases = [
        (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "version"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413,
         "Content-Length too large"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "bad Content-Length"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400, "no colon"),
        (b"GET /" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "huge target"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n", 431,
         "huge header"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "long target"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n", 431,
         "large head"),
    ]
    for data, status, what in cases:
        resp, _ = raw(port, data)
        got = heads(resp)
        check(got, "%s: no answer" % what)
        eq(got[0][0], status, what)
        has_common(got[0][1], what)
        check("content-type" in got[0][1], what + " Content-Type")
    # Ours, within the library's limits, are the Danish pages.
    resp, _ = raw(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check("Adressen er for lang".encode() in resp, "Danish 414")
    resp, _ = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
    check("Forespørgslen er for stor".encode() in resp, "Danish 431")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    only = re.compile(sys.argv[3] if len(sys.argv) > 3 else "")
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        ctx.srv = Server(referat, ctx.db, ["--timeout", "2", "--threads", "4", "--quiet"])
        # test_*, and d<N>_* regression tests named after issue 13's defects
        runner.run_all(globals(), ctx, r"(test_|d\d+_)", only)
        eq(ctx.srv.stop(), 0, "server exit status")
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
