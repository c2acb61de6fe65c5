"""web_common: what the portal's end-to-end tests share: a fresh archive from examples/, the
real `referat serve` on 127.0.0.1 on a free port, plain HTTP helpers, and the tiny runner
that ends with "N passed, N failed"."""

import glob
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback

MARKER = "KANARIE-LUKKET-7Q2"


def make_archive(referat, examples, workdir):
    """Imports every example case (Markdown and text) into a fresh archive; returns its path."""
    db = os.path.join(workdir, "web.db")
    files = sorted(f for f in glob.glob(os.path.join(examples, "*"))
                   if f.endswith((".md", ".txt")) and not os.path.basename(f).startswith("README"))
    if not files:
        raise SystemExit("no examples in %s" % examples)
    r = subprocess.run([referat, "import", "--db", db, "--quiet"] + files,
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit("import failed (%d): %s" % (r.returncode, r.stderr[-2000:]))
    return db


def add_attachment_files(db):
    """Stores files for one open and one closed attachment. There is no CLI for attachment
    files yet, so the test writes the table the store reads (schema 001). Returns
    (open_case, open_number, closed_case, closed_number), None where the archive has none."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT a.case_id, a.number, a.public, c.public FROM attachment a "
                           "JOIN \"case\" c ON c.id = a.case_id "
                           "ORDER BY a.case_id, a.pos").fetchall()
        opened = next(((c, n) for c, n, p, cp in rows if p and cp), None)
        closed = next(((c, n) for c, n, p, cp in rows if not p), None)
        if opened:
            con.execute("INSERT OR REPLACE INTO attachment_file VALUES (?, ?, ?, ?, ?, ?)",
                        (opened[0], opened[1], "../../etc/bilag \"1\".pdf", "application/pdf",
                         "0" * 64, b"%PDF-1.4 test\n"))
        if closed:
            con.execute("INSERT OR REPLACE INTO attachment_file VALUES (?, ?, ?, ?, ?, ?)",
                        (closed[0], closed[1], "lukket.pdf", "application/pdf", "0" * 64,
                         ("%PDF-1.4 " + MARKER + "\n").encode()))
        con.commit()
    finally:
        con.close()
    return (opened or (None, None)) + (closed or (None, None))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


class Ctx:
    """What a test file's tests share (the server, the archive, ids found on the way)."""


class Server:
    """`referat serve` on 127.0.0.1 with port 0; stderr (the access log) is collected."""

    def __init__(self, referat, db, extra=(), env=None):
        self.proc = subprocess.Popen(
            [referat, "serve", "--db", db, "--listen", "127.0.0.1:0"] + list(extra),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, **(env or {})))
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.proc.kill()
            raise SystemExit("server did not start: %r %s" % (line, self.proc.stderr.read()))
        self.port = int(m.group(1))
        self.log = []
        self._t = threading.Thread(target=self._drain, daemon=True)
        self._t.start()

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def get(self, path, method="GET", headers=None, body=None):
        """One request on a fresh connection: (status, headers dict lowercased, body bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def raw(self, data, timeout=5):
        """Sends raw bytes and returns everything the server answers before closing."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            out = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                out += chunk
            return out
        finally:
            s.close()


def raw_status(resp):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", resp)
    return int(m.group(1)) if m else None


class Runner:
    """Runs test functions, printing FAIL lines, and ends with "N passed, N failed"."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, fn, *args):
        t0 = time.monotonic()
        try:
            fn(*args)
            self.passed += 1
            print("ok   %s (%.2fs)" % (fn.__name__, time.monotonic() - t0), flush=True)
        except Exception:  # a failed check or an unexpected error both fail the test
            self.failed += 1
            print("FAIL %s" % fn.__name__, flush=True)
            traceback.print_exc(file=sys.stdout)

    def run_all(self, namespace, ctx, pattern=r"test_", only=None):
        """Runs every function of a test file whose name starts with pattern (and matches only),
        in the order they are defined, so that no test is written and never run."""
        for name, fn in list(namespace.items()):
            if re.match(pattern, name) and callable(fn) and (not only or only.search(name)):
                self.run(fn, ctx)

    def report(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed else 0


def workdir():
    d = tempfile.mkdtemp(prefix="referat-web-")
    return d


def cleanup(d):
    shutil.rmtree(d, ignore_errors=True)


# ---- accounts and logged-in clients (the staff workspace) ----

PASSWORD = "korrekt hest batteri hæfteklamme"


def add_user(referat, db, login, name=None, grants=(), admin=False, password=PASSWORD):
    """Makes an account with `referat user add` and its roles with `user grant`."""
    args = [referat, "user", "add", login, "--name", name or login.title(), "--password-stdin",
            "--db", db] + (["--admin"] if admin else [])
    r = subprocess.run(args, input=password + "\n", capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise SystemExit("user add %s failed: %s" % (login, r.stderr))
    for body, role in grants:
        r = subprocess.run([referat, "user", "grant", login, body, role, "--db", db],
                           capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise SystemExit("user grant %s %s %s failed: %s" % (login, body, role, r.stderr))


def cookies_of(headers):
    """{name: value} of the Set-Cookie headers of a response (a cleared cookie is None)."""
    out = {}
    for k, v in headers:
        if k.lower() != "set-cookie":
            continue
        pair = v.split(";")[0]
        name, _, value = pair.partition("=")
        out[name.strip()] = None if "Max-Age=0" in v else value
    return out


def csrf_of(body):
    m = re.search(rb'name="csrf" value="([0-9a-f]{64})"', body)
    return m.group(1).decode() if m else None


class Client:
    """A browser-like client of one Server: keeps cookies, sends Origin on POST."""

    def __init__(self, srv, origin=None):
        self.srv = srv
        self.jar = {}
        self.origin = origin if origin is not None else "http://127.0.0.1:%d" % srv.port

    def request(self, method, path, form=None, headers=None, raw_body=None):
        h = dict(headers or {})
        if self.jar:
            h.setdefault("Cookie", "; ".join("%s=%s" % kv for kv in self.jar.items()))
        body = raw_body
        if form is not None:
            import urllib.parse
            body = urllib.parse.urlencode(form).encode()
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if method == "POST" and self.origin:
            h.setdefault("Origin", self.origin)
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=20)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            hl = r.getheaders()
        finally:
            c.close()
        self.set_cookies = [v for k, v in hl if k.lower() == "set-cookie"]
        for name, value in cookies_of(hl).items():
            if value is None:
                self.jar.pop(name, None)
            else:
                self.jar[name] = value
        return r.status, {k.lower(): v for k, v in hl}, data

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, **kw):
        return self.request("POST", path, form=form, **kw)

    def login(self, login, password=PASSWORD, expect=303):
        st, _, body = self.get("/log-ind")
        if st != 200:
            raise AssertionError("login page: %d" % st)
        st, h, body = self.post("/log-ind", {"csrf": csrf_of(body), "login": login,
                                             "password": password, "tilbage": "/arbejde"})
        if expect is not None and st != expect:
            raise AssertionError("login %s: got %d, want %d: %r" % (login, st, expect,
                                                                    body[:300]))
        return st, h, body

    def csrf(self, path="/arbejde"):
        """The session's CSRF token, as a page of the staff area carries it."""
        st, _, body = self.get(path)
        return csrf_of(body)


# What the tests that drive an archive with ctx.db, ctx.referat and ctx.clock share.
def q(ctx, sql, *args):
    """Rows of one query on the test's archive (read beside the running server)."""
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def cli(ctx, *args, ok=True):
    """`referat ARGS --db ctx.db`; with ok, a non-zero exit fails the test."""
    r = subprocess.run([ctx.referat] + list(args) + ["--db", ctx.db], capture_output=True,
                       text=True, timeout=60)
    if ok:
        check(r.returncode == 0, "referat %s: %s" % (" ".join(args), r.stderr))
    return r


def set_clock(ctx, iso):
    """Sets the server's clock (the file $REFERAT_CLOCK_FILE names, ctx.clock)."""
    with open(ctx.clock, "w") as f:
        f.write(iso + "\n")
