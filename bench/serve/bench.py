"""bench/serve: the portal under wrk beside nginx, in the same run, all on 127.0.0.1.

Measures requests/s and p99 latency of `referat serve` for a case page, a meeting page and a
search, and of nginx serving the same case page saved as a static file on another loopback
port; prints the ratios against the goal (case page >= half of nginx's static rate, p99 under
10 ms). --soak runs 100 connections for 10 minutes (or --minutes N) over a mix of pages,
sampling the server's RSS, and fails on any error or on memory that keeps growing.

usage: bench.py REFERAT [--examples DIR] [--seconds S] [--connections C] [--no-cache]
                [--soak] [--minutes M]
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


def soak(args, base, proc, work):
    urls = pick_urls(base)
    script = os.path.join(work, "mix.lua")
    # Only pages that answer 200: wrk counts every other status as an error.
    paths = list(urls.values()) + ["/", "/opfoelgning", "/api/cases", "/atom.xml",
                                   "/organ/DIR", "/kalender.ics", "/static/referat.css"]
    with open(script, "w") as f:
        f.write("local paths = {%s}\nlocal i = 0\nrequest = function()\n"
                "  i = i %% #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n"
                % ", ".join('"%s"' % p for p in paths))
    seconds = int(args.minutes * 60)
    samples = []
    w = subprocess.Popen(["wrk", "-t2", "-c100", "-d%ds" % seconds, "--latency", "--timeout",
                          "5s", "-s", script, base], stdout=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    while w.poll() is None:
        samples.append((time.monotonic() - t0, rss_kb(proc.pid)))
        time.sleep(min(10, max(1, seconds / 60)))
    out = w.stdout.read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    for rx in [r"Non-2xx or 3xx responses: (\d+)",
               r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"]:
        m = re.search(rx, out)
        if m:
            errors += sum(int(x) for x in m.groups())
    # Flat memory: after the first tenth (caches filling), RSS may not grow by more than 10%.
    settled = [kb for t, kb in samples if t >= seconds / 10] or [samples[-1][1]]
    growth = (settled[-1] - settled[0]) / settled[0]
    print("soak: %d s at 100 connections, %d requests, %.0f requests/s, errors %d"
          % (seconds, total, rps, errors))
    print("RSS kB: start %d, after warm-up %d, end %d, max %d (growth after warm-up %.1f%%)"
          % (samples[0][1], settled[0], settled[-1], max(kb for _, kb in samples),
             growth * 100))
    ok = errors == 0 and growth <= 0.10
    print("soak %s" % ("passed" if ok else "FAILED"))
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("referat")
    ap.add_argument("--examples", default=os.path.join(ROOT, "examples"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--soak", action="store_true")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--no-cache", action="store_true",
                    help="serve with --cache-mb 0: every page rendered from the archive")
    args = ap.parse_args()
    for tool in ["wrk", "nginx"]:
        if not shutil.which(tool):
            raise SystemExit("bench/serve needs %s (apt-get install -y wrk nginx)" % tool)
    work = tempfile.mkdtemp(prefix="referat-bench-serve-")
    proc = None
    try:
        db = make_archive(args.referat, args.examples, work)
        log = open(os.path.join(work, "access.log"), "w")
        proc, base = start_referat(args.referat, db, log,
                                   ["--cache-mb", "0"] if args.no_cache else [])
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
