"""web_kill: SIGKILL the server while people log in, fail to log in, save settings and log
out, at seeded random moments; after each kill `db check` and `audit verify` pass (no partial
write, the ledger chain intact) and the server starts again on the same archive.

usage: web_kill.py REFERAT EXAMPLES_DIR [RUNS]"""

import random
import signal
import subprocess
import sys
import threading
import time

from web_common import (Client, PASSWORD, Runner, Server, add_user, check, cleanup, make_archive,
                        workdir)



def traffic(srv, stop, seed, done):
    """One client's loop of writes until stop is set or the server dies; done counts the
    rounds it finished."""
    rnd = random.Random(seed)
    while not stop.is_set():
        try:
            c = Client(srv)
            kind = rnd.random()
            if kind < 0.4:
                c.login("medlem", expect=None)
                c.post("/log-ud", {"csrf": c.csrf() or ""})
            elif kind < 0.7:
                c.login("medlem", "forkert forkert forkert", expect=None)
            else:
                c.login("admin", expect=None)
                token = c.csrf("/arbejde/indstillinger")
                c.post("/arbejde/indstillinger",
                       {"csrf": token or "", "municipality.name": "Lindholm %d" % rnd.randint(
                           0, 10**6)})
            done.append(1)
        except (OSError, AssertionError, Exception):
            if stop.is_set():
                return
            time.sleep(0.01)


def run(referat, args):
    return subprocess.run([referat] + args, capture_output=True, text=True, timeout=120)


def test_kill_during_logins_and_saves(ctx):
    rnd = random.Random(7)
    for i in range(ctx.runs):
        srv = Server(ctx.referat, ctx.db, ["--quiet"])
        stop = threading.Event()
        done = []
        threads = [threading.Thread(target=traffic, args=(srv, stop, i * 10 + k, done),
                                    daemon=True) for k in range(3)]
        for t in threads:
            t.start()
        # The kill lands while writes are in flight: after a few rounds have finished (however
        # slow the machine is), at a random moment of the next ones. Bounded: 60 s.
        want, t0 = 1 + rnd.randrange(4), time.monotonic()
        while len(done) < want and time.monotonic() - t0 < 60:
            time.sleep(0.01)
        time.sleep(rnd.random() * 0.3)
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait()
        stop.set()
        for t in threads:
            t.join(timeout=30)
        r = run(ctx.referat, ["db", "check", "--db", ctx.db])
        check(r.returncode == 0, "run %d: db check: %s%s" % (i, r.stdout, r.stderr))
        r = run(ctx.referat, ["audit", "verify", "--db", ctx.db])
        check(r.returncode == 0 and r.stdout.startswith("ok"),
              "run %d: audit verify: %s%s" % (i, r.stdout, r.stderr))
    r = run(ctx.referat, ["audit", "log", "--db", ctx.db, "--limit", "1000", "--json"])
    import json
    actions = {e["action"] for e in json.loads(r.stdout)}
    print("  %d runs; actions seen: %s" % (ctx.runs, ", ".join(sorted(actions))))
    check({"login", "login.failed"} <= actions, "the runs logged in and failed to")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = type("Ctx", (), {})()
    ctx.referat = referat
    ctx.runs = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        add_user(referat, ctx.db, "medlem", grants=[("DIR", "medlem")])
        add_user(referat, ctx.db, "admin", admin=True)
        # Failed logins from one address must not lock the test out of its own traffic.
        r = run(referat, ["config", "set", "login.failures_per_address", "1000000", "--db",
                          ctx.db])
        check(r.returncode == 0, r.stderr)
        r = run(referat, ["config", "set", "login.failures_per_name", "1000000", "--db",
                          ctx.db])
        check(r.returncode == 0, r.stderr)
        runner.run(test_kill_during_logins_and_saves, ctx)
    finally:
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
