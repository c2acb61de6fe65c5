"""bench/serve: the portal under wrk beside nginx, in the same run, all on 127.0.0.1.

Measures requests/s and p99 latency of `referat serve` for a case page, a meeting page and a
search, and of nginx serving the same case page saved as a static file on another loopback
port; prints the ratios against the goal (case page >= half of nginx's static rate, p99 under
10 ms). --soak runs 100 connections for 10 minutes (or --minutes N) over a mix of pages,
sampling the server's RSS, beside hostile clients (issue 13: 15,000-argument requests, broad
prefix-OR searches, 1000 idle connections from one address); it fails on any reader error, a
readers' p99 of 50 ms or more, a hostile request not answered 400, or memory that keeps
growing. Under an ASan build (BUILD_DIR=build-asan) the server's exit status says whether
anything leaked.

--archive DB (issue 11) serves bench/archive's database instead (a copy: the server may write
its WAL) and runs every route kind (front, body, meeting, case, search, follow-ups, person, API
lists, feeds) rendered each time (--cache-mb 0), each beside nginx serving the route's own
answer as a static file of the same size in the same run: requests/s, p99 and bytes, against
the goals (every p99 under 20 ms, every HTML page under 200 KB); then all routes at once for
--minutes (default 1) sampling the server's RSS (goal: under 64 MB and flat).

usage: bench.py REFERAT [--examples DIR] [--seconds S] [--connections C] [--no-cache]
                [--soak] [--minutes M] [--no-hostile] [--idle N] [--no-rss-check]
                [--archive DB]
Needs the Debian packages wrk and nginx."""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def start_referat(referat, db, log, extra=()):
    proc = subprocess.Popen([referat, "serve", "--db", db, "--listen", "127.0.0.1:0",
                             "--timeout", "30", "--max-connections", "4096"] + list(extra),
                            stdout=subprocess.PIPE, stderr=log, text=True)
    line = proc.stdout.readline()
    m = re.search(r"127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit("referat serve did not start: %r" % line)
    return proc, "http://127.0.0.1:%s" % m.group(1)


def start_nginx(work, page):
    """nginx serving page as /case.html on a free loopback port, logging like the portal."""
    root = os.path.join(work, "www")
    os.makedirs(root, exist_ok=True)
    # nginx's workers drop root; they must be able to read the page.
    os.chmod(work, 0o755)
    os.chmod(root, 0o755)
    with open(os.path.join(root, "case.html"), "wb") as f:
        f.write(page)
    os.chmod(os.path.join(root, "case.html"), 0o644)
    port = free_port()
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""
worker_processes %d;
daemon off;
pid %s/nginx.pid;
error_log %s/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log %s/nginx-access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path %s/tmp; proxy_temp_path %s/tmp; fastcgi_temp_path %s/tmp;
    uwsgi_temp_path %s/tmp; scgi_temp_path %s/tmp;
    types { text/html html; }
    server {
        listen 127.0.0.1:%d;
        root %s;
    }
}
""" % ((os.cpu_count() or 2), work, work, work, work, work, work, work, work, port, root))
    os.makedirs(os.path.join(work, "tmp"), exist_ok=True)
    proc = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = "http://127.0.0.1:%d/case.html" % port
    last = None
    for _ in range(200):
        try:
            got = get(url)
            if got == page:
                return proc, url
            last = "served %d bytes, not the page" % len(got)
        except OSError as e:
            last = repr(e)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    # SIGQUIT lets the master take its workers down with it.
    if proc.poll() is None:
        proc.send_signal(signal.SIGQUIT)
        proc.wait(timeout=10)
    raise SystemExit("nginx did not start (%s): %s" % (last, proc.stderr.read().decode()))


def wrk(url, seconds, connections, script=None):
    threads = min(connections, max(1, (os.cpu_count() or 2) // 2))
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency",
           "--timeout", "5s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p99_ms": float(p99.group(1)) * scale, "errors": errors,
            "requests": total}


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def make_archive(referat, examples, work):
    db = os.path.join(work, "bench.db")
    files = sorted(os.path.join(examples, f) for f in os.listdir(examples)
                   if re.match(r"\d\d-.*\.(md|txt)$", f))
    subprocess.run([referat, "import", "--db", db, "--quiet"] + files, check=True)
    return db


def pick_urls(base):
    cases = json.loads(get(base + "/api/cases?per_page=100"))["items"]
    case = next(c for c in cases if c["key"] == "01-digitaliseringsstrategi")
    meetings = json.loads(get(base + "/api/meetings?body=DIR"))["items"]
    meeting = next(m for m in meetings if m["date"] == case["date"])
    return {"case": "/sag/%d" % case["id"], "meeting": "/moede/%d" % meeting["id"],
            "search": "/soeg?q=budget"}


def bench(args, base, proc, work):
    urls = pick_urls(base)
    page = get(base + urls["case"])
    nginx, static_url = start_nginx(work, page)
    try:
        # Warm both up (page cache, SQLite cache, connections) before measuring.
        wrk(base + urls["case"], 2, args.connections)
        wrk(static_url, 2, args.connections)
        res = {}
        for name in ["case", "meeting", "search"]:
            res[name] = wrk(base + urls[name], args.seconds, args.connections)
        res["nginx_static_case"] = wrk(static_url, args.seconds, args.connections)
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
    n = res["nginx_static_case"]
    print("bench/serve: %d connections, %d s each, %d CPUs, case page %d bytes, access logs on,"
          " page cache %s" % (args.connections, args.seconds, os.cpu_count() or 0, len(page),
                              "off" if args.no_cache else "on"))
    print("%-22s %12s %10s %8s" % ("what", "requests/s", "p99 ms", "errors"))
    for name, r in res.items():
        print("%-22s %12.0f %10.2f %8d" % (name, r["rps"], r["p99_ms"], r["errors"]))
    ratio = res["case"]["rps"] / n["rps"]
    print("ratio case/nginx static: %.2f (goal >= 0.50)" % ratio)
    print("ratio meeting/nginx static: %.2f" % (res["meeting"]["rps"] / n["rps"]))
    print("ratio search/nginx static: %.2f" % (res["search"]["rps"] / n["rps"]))
    print("case p99: %.2f ms (goal < 10 ms)" % res["case"]["p99_ms"])
    ok = ratio >= 0.5 and res["case"]["p99_ms"] < 10 and all(r["errors"] == 0
                                                             for r in res.values())
    print("goal %s" % ("met" if ok else "NOT met"))
    return 0 if ok else 1


class Hostile:
    """Hostile clients beside the readers, each from its own loopback address and counted
    apart from wrk: D1 (15,000 query arguments on fresh connections), D2's shape (broad
    prefix-OR searches), D4 (idle connections from one address, replaced as the server drops
    them). Counts go to self.counts."""

    def __init__(self, port, idle, kinds):
        self.port = port
        self.idle = idle
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = {}
        run = {"d1": self.many_args, "d2": self.broad_search, "d4": self.hold_idle}
        self.threads = [threading.Thread(target=run[k], daemon=True) for k in kinds]

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n

    def connect(self, source, timeout=5):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout,
                                        source_address=(source, 0))

    def many_args(self):
        req = (b"GET /soeg?" + b"&".join([b"a"] * 15000) +
               b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while not self.stop.is_set():
            try:
                s = self.connect("127.0.0.3")
                s.sendall(req)
                m = re.match(rb"HTTP/1\.1 (\d+)", s.recv(64))
                self.count("d1 answered %s" % (m.group(1).decode() if m else "nothing"))
                s.close()
            except OSError as e:
                self.count("d1 " + type(e).__name__)
            self.stop.wait(0.02)

    def broad_search(self):
        q = "+OR+".join("%s*" % chr(c) for c in range(ord("a"), ord("z") + 1))
        req = ("GET /soeg?q=%s HTTP/1.1\r\nHost: x\r\n\r\n" % q).encode()
        s = None
        while not self.stop.is_set():
            try:
                if s is None:
                    s = self.connect("127.0.0.4", timeout=30)
                    f = s.makefile("rb")
                s.sendall(req)
                m = re.match(rb"HTTP/1\.1 (\d+)", f.readline())
                length = 0
                while True:
                    line = f.readline()
                    if line in (b"\r\n", b""):
                        break
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                f.read(length)
                self.count("d2 answered %s" % (m.group(1).decode() if m else "nothing"))
            except (OSError, ValueError) as e:
                self.count("d2 " + type(e).__name__)
                s = None

    def hold_idle(self):
        held = []
        while not self.stop.is_set():
            alive = []
            for s in held:  # a closed one reads as EOF at once
                try:
                    s.setblocking(False)
                    if s.recv(1, socket.MSG_PEEK) == b"":
                        s.close()
                        continue
                except BlockingIOError:
                    pass
                except OSError:
                    s.close()
                    continue
                alive.append(s)
            held = alive
            while len(held) < self.idle and not self.stop.is_set():
                try:
                    held.append(self.connect("127.0.0.2", timeout=2))
                    self.count("d4 connections opened")
                except OSError:
                    self.count("d4 connect failed")
                    break
            with self.lock:
                self.counts["d4 max seen open"] = max(self.counts.get("d4 max seen open", 0),
                                                      len(held))
            self.stop.wait(1)
        for s in held:
            s.close()

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)
        return dict(self.counts)


def readers(script, base, seconds, pid, samples):
    """wrk's 100 readers over the mix for seconds, sampling pid's RSS into samples:
    {"requests", "rps", "p99_ms", "errors"}."""
    w = subprocess.Popen(["wrk", "-t2", "-c100", "-d%ds" % seconds, "--latency", "--timeout",
                          "5s", "-s", script, base], stdout=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    while w.poll() is None:
        samples.append((time.monotonic() - t0, rss_kb(pid)))
        time.sleep(min(10, max(1, seconds / 60)))
    out = w.stdout.read()
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    errors = 0
    for rx in [r"Non-2xx or 3xx responses: (\d+)",
               r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"]:
        m = re.search(rx, out)
        if m:
            errors += sum(int(x) for x in m.groups())
    return {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p99_ms": float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)],
            "errors": errors}


def soak(args, base, proc, work):
    urls = pick_urls(base)
    script = os.path.join(work, "mix.lua")
    # Only pages that answer 200: wrk counts every other status as an error. Readers think
    # between pages (--think ms), so that their latency is the server's, not a queue behind a
    # saturated CPU; --think 0 is the old closed-loop soak.
    paths = list(urls.values()) + ["/", "/opfoelgning", "/api/cases", "/atom.xml",
                                   "/organ/DIR", "/kalender.ics", "/static/referat.css"]
    with open(script, "w") as f:
        f.write("local paths = {%s}\nlocal i = 0\nrequest = function()\n"
                "  i = i %% #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n"
                % ", ".join('"%s"' % p for p in paths))
        if args.think:
            f.write("delay = function()\n  return %d\nend\n" % args.think)
    seconds = int(args.minutes * 60)
    ok = True
    ref = None
    if args.hostile:
        # The reference: the same readers alone, in the same run, on the same machine.
        ref = readers(script, base, max(10, min(60, seconds // 4)), proc.pid, [])
        print("reference: readers alone %d s, %d requests, %.0f requests/s, p99 %.2f ms, "
              "errors %d" % (max(10, min(60, seconds // 4)), ref["requests"], ref["rps"],
                             ref["p99_ms"], ref["errors"]))
        ok = ref["errors"] == 0
    hostile = (Hostile(int(base.rsplit(":", 1)[1]), args.idle, args.hostile.split(","))
               if args.hostile else None)
    if hostile:
        hostile.start()
    samples = []
    r = readers(script, base, seconds, proc.pid, samples)
    counts = hostile.finish() if hostile else {}
    # Flat memory: after the first tenth (caches filling), RSS may not grow by more than 10%.
    settled = [kb for t, kb in samples if t >= seconds / 10] or [samples[-1][1]]
    growth = (settled[-1] - settled[0]) / settled[0]
    print("soak: %d s, 100 readers thinking %d ms%s, %d requests, %.0f requests/s, p99 %.2f ms, "
          "errors %d" % (seconds, args.think, " beside hostile clients" if hostile else "",
                         r["requests"], r["rps"], r["p99_ms"], r["errors"]))
    print("RSS kB: start %d, after warm-up %d, end %d, max %d (growth after warm-up %.1f%%)"
          % (samples[0][1], settled[0], settled[-1], max(kb for _, kb in samples),
             growth * 100))
    ok = ok and r["errors"] == 0 and (args.no_rss_check or growth <= 0.10)
    if hostile:
        for k in sorted(counts):
            print("hostile: %-28s %d" % (k, counts[k]))
        unanswered = sum(n for k, n in counts.items() if k.startswith("d1") and "400" not in k)
        print("readers' p99 %.2f ms (goal < 50 ms), %.2f x their p99 alone; D1 requests not "
              "answered 400: %d" % (r["p99_ms"], r["p99_ms"] / max(ref["p99_ms"], 0.001),
                                    unanswered))
        ok = ok and r["p99_ms"] < 50 and unanswered == 0
        if "d1" in args.hostile:
            ok = ok and counts.get("d1 answered 400", 0) > 0
    print("soak %s" % ("passed" if ok else "FAILED"))
    return 0 if ok else 1


# ---- issue 11, paging: --archive, every route kind on bench/archive's database ----

def archive_urls(base):
    """One URL per route kind, picked from the archive through its own API and pages."""
    meetings = json.loads(get(base + "/api/meetings?body=DIR&per_page=1"))["items"]
    cases = json.loads(get(base + "/api/cases?per_page=1"))["items"]
    page = get(base + "/opfoelgning").decode()
    person = re.search(r'href="/person/(\d+)"', page)
    year = (meetings[0]["date"] or "2024")[:4] if meetings else "2024"
    urls = [("front", "/"), ("body", "/organ/DIR"), ("body year", "/organ/DIR/" + year)]
    if meetings:
        urls.append(("meeting", "/moede/%d" % meetings[0]["id"]))
    if cases:
        urls.append(("case", "/sag/%d" % cases[0]["id"]))
    urls += [("search", "/soeg?q=budget"),
             ("follow-ups", "/opfoelgning"), ("follow-ups p50", "/opfoelgning?side=50"),
             ("follow-ups all", "/opfoelgning?status=alle")]
    if person:
        urls.append(("person", "/person/" + person.group(1)))
    urls += [("api cases", "/api/cases"), ("api cases p400", "/api/cases?page=400"),
             ("api meetings", "/api/meetings?body=DIR"), ("api followups", "/api/followups"),
             ("api followups p400", "/api/followups?page=400"), ("api bodies", "/api/bodies"),
             ("atom", "/atom.xml"), ("atom body", "/organ/DIR/atom.xml"),
             ("ical", "/kalender.ics"), ("ical body year", "/organ/DIR/kalender.ics?aar=" + year)]
    return urls


def bench_archive(args, base, proc, work):
    urls = archive_urls(base)
    bodies = {}
    for name, u in urls:
        bodies[name] = get(base + u)
    root = os.path.join(work, "www")
    os.makedirs(root, exist_ok=True)
    files = {}
    for i, (name, _) in enumerate(urls):
        fn = "r%02d.html" % i
        with open(os.path.join(root, fn), "wb") as f:
            f.write(bodies[name])
        os.chmod(os.path.join(root, fn), 0o644)
        files[name] = fn
    nginx, static_url = start_nginx(work, bodies[urls[0][0]])
    static_base = static_url.rsplit("/", 1)[0]
    rss = [rss_kb(proc.pid)]
    res = []
    try:
        for name, u in urls:
            wrk(base + u, 1, args.connections)  # warm the archive's pages for this route
            r = wrk(base + u, args.seconds, args.connections)
            rss.append(rss_kb(proc.pid))
            n = wrk(static_base + "/" + files[name], args.seconds, args.connections)
            res.append((name, u, len(bodies[name]), r, n))
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
    print("bench/serve --archive %s: %d connections, %d s each, %d CPUs, page cache off "
          "(every answer rendered), access logs on" % (args.archive, args.connections,
                                                     args.seconds, os.cpu_count() or 0))
    print("%-20s %-40s %9s %10s %8s %10s %8s %6s %6s" % (
        "route", "url", "bytes", "req/s", "p99 ms", "nginx r/s", "ngx p99", "ratio", "errors"))
    ok = True
    for name, u, size, r, n in res:
        html = bodies[name].lstrip()[:15].lower().startswith(b"<!doctype html")
        print("%-20s %-40s %9d %10.0f %8.2f %10.0f %8.2f %6.2f %6d" % (
            name, u[:40], size, r["rps"], r["p99_ms"], n["rps"], n["p99_ms"],
            r["rps"] / max(n["rps"], 1), r["errors"]))
        ok = ok and r["p99_ms"] < 20 and r["errors"] == 0 and (not html or size < 200 * 1024)
    worst = max(res, key=lambda x: x[3]["p99_ms"])
    biggest = max((x for x in res if bodies[x[0]].lstrip()[:15].lower()
                   .startswith(b"<!doctype html")), key=lambda x: x[2])
    print("worst p99: %.2f ms (%s; goal < 20 ms)" % (worst[3]["p99_ms"], worst[0]))
    print("largest HTML page: %d bytes (%s; goal < 200 KB)" % (biggest[2], biggest[0]))

    # Memory: every route at once for --minutes, RSS sampled.
    script = os.path.join(work, "archive-mix.lua")
    with open(script, "w") as f:
        f.write("local paths = {%s}\nlocal i = 0\nrequest = function()\n"
                "  i = i %% #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n"
                % ", ".join('"%s"' % u for _, u in urls))
    seconds = int(args.minutes * 60)
    samples = []
    w = subprocess.Popen(["wrk", "-t2", "-c%d" % args.connections, "-d%ds" % seconds,
                          "--latency", "--timeout", "5s", "-s", script, base],
                         stdout=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    while w.poll() is None:
        samples.append((time.monotonic() - t0, rss_kb(proc.pid)))
        time.sleep(1)
    out = w.stdout.read()
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    settled = [kb for t, kb in samples if t >= seconds / 10] or [samples[-1][1]]
    growth = (settled[-1] - settled[0]) / max(settled[0], 1)
    peak = max(kb for _, kb in samples)
    print("all routes for %d s: %d requests, %.0f requests/s, p99 %.2f ms" % (
        seconds, total, total / max(seconds, 1), p99ms))
    print("RSS kB: before %d, after the route runs %d, mix start %d, after warm-up %d, end %d, "
          "max %d (growth after warm-up %.1f%%; goal < 65536 kB and flat)" % (
              rss[0], rss[-1], samples[0][1], settled[0], settled[-1], peak, growth * 100))
    ok = ok and peak < 65536 and growth <= 0.10
    print("goal %s" % ("met" if ok else "NOT met"))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("referat")
    ap.add_argument("--examples", default=os.path.join(ROOT, "examples"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--soak", action="store_true")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--think", type=int, default=100,
                    help="ms each soak reader waits between pages (0: as fast as possible)")
    ap.add_argument("--hostile", default="d1,d2,d4",
                    help="hostile clients beside the soak's readers (d1, d2, d4; '' for none)")
    ap.add_argument("--no-hostile", dest="hostile", action="store_const", const="",
                    help="soak with the readers only")
    ap.add_argument("--idle", type=int, default=1000,
                    help="idle connections the hostile client keeps open (D4)")
    ap.add_argument("--no-rss-check", action="store_true",
                    help="do not judge RSS (an ASan build's quarantine grows by design)")
    ap.add_argument("--no-cache", action="store_true",
                    help="serve with --cache-mb 0: every page rendered from the archive")
    ap.add_argument("--archive", help="bench/archive's database (issue 11): every route kind")
    args = ap.parse_args()
    if args.archive and "--minutes" not in sys.argv:
        args.minutes = 1
    for tool in ["wrk", "nginx"]:
        if not shutil.which(tool):
            raise SystemExit("bench/serve needs %s (apt-get install -y wrk nginx)" % tool)
    work = tempfile.mkdtemp(prefix="referat-bench-serve-")
    proc = None
    try:
        db = args.archive or make_archive(args.referat, args.examples, work)
        if args.archive:
            # A copy: the server brings the schema up to date and writes its WAL, and the
            # archive given stays as bench/archive made it for the next benchmark.
            db = os.path.join(work, "archive.db")
            shutil.copyfile(args.archive, db)
        log = open(os.path.join(work, "access.log"), "w")
        proc, base = start_referat(args.referat, db, log,
                                   ["--cache-mb", "0"] if args.no_cache or args.archive else [])
        if args.archive:
            rc = bench_archive(args, base, proc, work)
        else:
            rc = soak(args, base, proc, work) if args.soak else bench(args, base, proc, work)
        proc.send_signal(signal.SIGTERM)
        if proc.wait(timeout=30) != 0:
            print("referat serve did not stop cleanly")
            rc = 1
        return rc
    finally:
        if proc and proc.poll() is None:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
