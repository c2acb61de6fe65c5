#!/usr/bin/env python3
"""install: `make install DESTDIR=...` (the build, then install-files) puts the binary, the
manual page, the systemd units and the sysusers file where they belong (PREFIX honoured),
writes nothing outside DESTDIR and needs no root; the manual names every command, verb and
setting; the units pass `systemd-analyze verify` (skipped with a message where it is
missing); the backup unit's command keeps its copies; the nginx block of docs/deploy.md
passes `nginx -t` (skipped without nginx).
Usage: install.py SOURCE_ROOT BUILD_DIR. Ends with "N passed, N failed"."""

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

ROOT, BUILD = (os.path.abspath(p) for p in sys.argv[1:3])
WORK = tempfile.mkdtemp(prefix="referat-install-")
UNITS = ["referat.service", "referat-backup.service", "referat-backup.timer",
         "referat-remind.service", "referat-remind.timer"]  # issue 10, remind


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def make(*args):
    cmd = ["make", "--no-print-directory", "-C", ROOT, "BUILD=" + BUILD] + list(args)
    r = subprocess.run(cmd, capture_output=True, timeout=600)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def installed(dest, prefix):
    files = {}
    for d, _, names in os.walk(dest):
        for n in names:
            p = os.path.join(d, n)
            files[os.path.relpath(p, dest)] = p
    want = {
        prefix + "/bin/referat", prefix + "/share/man/man1/referat.1",
        prefix + "/lib/sysusers.d/referat.conf",
    } | {prefix + "/lib/systemd/system/" + u for u in UNITS}
    check(set(files) == {w.lstrip("/") for w in want}, "installed: %s" % sorted(files))
    return {"/" + k: v for k, v in files.items()}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_install_builds_first():
    """`make install` is the build and then install-files; the tests run install-files, so
    that no build starts while other tests use the binaries."""
    rc, out, err = make("-n", "install", "DESTDIR=" + os.path.join(WORK, "dry"))
    check(rc == 0, err)
    steps = out.splitlines()
    ninja = [i for i, l in enumerate(steps) if l.startswith("ninja -C " + BUILD)]
    copy = [i for i, l in enumerate(steps) if "install -m 0755 " + BUILD in l]
    check(ninja and copy and ninja[0] < copy[0], "build, then copy: %s" % out)


def test_install_default_prefix():
    dest = os.path.join(WORK, "dest")
    os.makedirs(dest)
    outside = "/usr/local/bin/referat"
    before = os.stat(outside).st_mtime if os.path.exists(outside) else None
    rc, out, err = make("install-files", "DESTDIR=" + dest)
    check(rc == 0, "make install-files: %s %s" % (out, err))
    files = installed(dest, "/usr/local")
    binary = files["/usr/local/bin/referat"]
    check(os.access(binary, os.X_OK) and os.stat(binary).st_mode & 0o777 == 0o755, "0755")
    r = subprocess.run([binary, "--version"], capture_output=True)
    check(r.returncode == 0 and r.stdout.startswith(b"referat "), "the installed binary runs")
    unit = read(files["/usr/local/lib/systemd/system/referat.service"])
    check("ExecStart=/usr/local/bin/referat serve --listen 127.0.0.1:8080" in unit, unit)
    check("@BINDIR@" not in unit, "placeholders filled")
    for directive in ("User=referat", "StateDirectory=referat", "ProtectSystem=strict",
                      "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                      "PrivateDevices=yes", "RestrictAddressFamilies=",
                      "SystemCallFilter=@system-service",
                      "Environment=REFERAT_DB=/var/lib/referat/referat.db"):
        check(re.search(r"^%s" % re.escape(directive), unit, re.M), directive)
    check(re.search(r"^u referat ", read(files["/usr/local/lib/sysusers.d/referat.conf"]), re.M),
          "sysusers")
    after = os.stat(outside).st_mtime if os.path.exists(outside) else None
    check(before == after, "nothing installed outside DESTDIR")
    return dest


# ---- issue 10, remind ----
def test_remind_units(dest):
    """The reminders' service runs `referat remind` on the archive, daily by its timer."""
    root = os.path.join(dest, "usr/local/lib/systemd/system")
    unit = read(os.path.join(root, "referat-remind.service"))
    check(re.search(r"^ExecStart=/usr/local/bin/referat remind$", unit, re.M), unit)
    check("Type=oneshot" in unit and "REFERAT_DB=/var/lib/referat/referat.db" in unit, unit)
    timer = read(os.path.join(root, "referat-remind.timer"))
    check(re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d:00$", timer, re.M), timer)
    check("Persistent=true" in timer and "WantedBy=timers.target" in timer, timer)
# ---- end issue 10, remind ----


def test_install_prefix():
    dest = os.path.join(WORK, "dest-opt")
    rc, out, err = make("install-files", "DESTDIR=" + dest, "PREFIX=/opt/referat")
    check(rc == 0, err)
    files = installed(dest, "/opt/referat")
    for u in ("referat.service", "referat-backup.service", "referat-remind.service"):
        unit = read(files["/opt/referat/lib/systemd/system/" + u])
        check("/opt/referat/bin/referat " in unit and "/usr/local" not in unit, u)


def test_install_needs_no_root():
    """The copying part (install-files) run as nobody into a DESTDIR nobody owns."""
    if os.geteuid() != 0:
        rc, _, err = make("install-files", "DESTDIR=" + os.path.join(WORK, "dest-user"))
        check(rc == 0, "install-files as %s: %s" % (pwd.getpwuid(os.geteuid()).pw_name, err))
        return
    if not shutil.which("setpriv"):
        print("skip: running as root without setpriv to drop privileges", flush=True)
        return
    dest = os.path.join(WORK, "dest-nobody")
    os.makedirs(dest)
    nobody = pwd.getpwnam("nobody")
    os.chown(dest, nobody.pw_uid, nobody.pw_gid)
    os.chmod(WORK, 0o755)
    probe = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            "test", "-r", os.path.join(BUILD, "src/cli/referat"), "-a", "-r",
                            os.path.join(ROOT, "docs/referat.1")])
    if probe.returncode != 0:
        print("skip: nobody cannot read the source tree here", flush=True)
        return
    cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "make",
           "--no-print-directory", "-C", ROOT, "BUILD=" + BUILD, "install-files",
           "DESTDIR=" + dest]
    r = subprocess.run(cmd, capture_output=True, env={"PATH": "/usr/bin:/bin", "HOME": dest})
    check(r.returncode == 0, "install-files as nobody: %s" % r.stderr.decode(errors="replace"))
    installed(dest, "/usr/local")


def test_manual_names_everything(dest):
    page = read(os.path.join(dest, "usr/local/share/man/man1/referat.1"))
    text = page.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "")
    binary = os.path.join(dest, "usr/local/bin/referat")
    out = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^  ([a-z]+) ", out, re.M)
    check(len(commands) >= 15, commands)
    for cmd in commands:
        check(re.search(r"\b%s\b" % cmd, text), "the manual names " + cmd)
        r = subprocess.run([binary, cmd, "--help"], capture_output=True, text=True)
        for verb in re.findall(r"referat %s ([a-z]+)" % cmd, r.stdout):
            if verb != "ID":
                check(re.search(r"%s %s\b" % (cmd, verb), text), "manual: %s %s" % (cmd, verb))
    db = os.path.join(WORK, "keys.db")
    subprocess.run([binary, "db", "migrate", "--db", db], capture_output=True, check=True)
    keys = [k["key"] for k in json.loads(subprocess.run(
        [binary, "config", "list", "--json", "--db", db], capture_output=True).stdout)]
    for key in keys:
        check(key in text, "the manual names the setting " + key)
    if shutil.which("groff"):
        r = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(dest, "usr/local/share/"
                                                                        "man/man1/referat.1")],
                           capture_output=True, text=True)
        check(r.returncode == 0 and not r.stderr, "groff warnings: " + r.stderr)
    else:
        print("skip: groff is not installed, the manual's markup is not checked", flush=True)


def test_units_verify(dest):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("skip: systemd-analyze is not installed, the units are not verified", flush=True)
        return
    # verify checks that ExecStart's binary exists: point the units at the one in DESTDIR.
    bindir = os.path.join(dest, "usr/local/bin") + "/"
    copies = []
    for u in UNITS:
        text = read(os.path.join(dest, "usr/local/lib/systemd/system", u))
        path = os.path.join(WORK, "verify", u)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text.replace("/usr/local/bin/", bindir))
        copies.append(path)
    env = dict(os.environ, MANPATH=os.path.join(dest, "usr/local/share/man"))
    r = subprocess.run([analyze, "verify"] + copies, capture_output=True, text=True, env=env,
                       timeout=120)
    # It exits 0 with warnings for unknown keys, so the output must be empty too.
    check(r.returncode == 0 and not r.stdout.strip() and not r.stderr.strip(),
          "systemd-analyze verify: %s %s" % (r.stdout, r.stderr))


def test_backup_unit_keeps_copies(dest):
    """The backup service's command, as systemd runs it (its $$ and %% unescaped), three times
    with KEEP=2 on a real archive: each copy checked, the oldest removed."""
    unit = read(os.path.join(dest, "usr/local/lib/systemd/system/referat-backup.service"))
    line = re.search(r"^ExecStart=/bin/sh -c '(.*)'$", unit, re.M)
    check(line, "ExecStart of referat-backup.service")
    script = line.group(1).replace("$$", "$").replace("%%", "%")
    backups = os.path.join(WORK, "backups")
    os.makedirs(backups)
    binary = os.path.join(dest, "usr/local/bin/referat")
    script = script.replace("/var/backups/referat", backups).replace("/usr/local/bin/referat",
                                                                      binary)
    db = os.path.join(WORK, "live.db")
    subprocess.run([binary, "db", "migrate", "--db", db], capture_output=True, check=True)
    # A date that moves on by one second per call, instead of waiting for the clock.
    fake = os.path.join(WORK, "fakebin")
    os.makedirs(fake)
    with open(os.path.join(fake, "date"), "w") as f:
        f.write('#!/bin/sh\nn=$(cat "%s/n" 2>/dev/null || echo 0); echo $((n + 1)) >"%s/n"\n'
                'printf "20250114T0230%%02dZ\\n" "$n"\n' % (fake, fake))
    os.chmod(os.path.join(fake, "date"), 0o755)
    env = dict(os.environ, REFERAT_DB=db, KEEP="2", PATH=fake + ":" + os.environ["PATH"])
    for i in range(3):
        r = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, env=env)
        check(r.returncode == 0 and r.stdout.rstrip().endswith("ok"), "run %d: %s %s"
              % (i, r.stdout, r.stderr))
    left = sorted(os.listdir(backups))
    check(left == ["referat-20250114T023001Z.db", "referat-20250114T023002Z.db"], left)


def test_nginx_block():
    """The server block in docs/deploy.md passes `nginx -t` (with a certificate made here)."""
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not nginx or not openssl:
        print("skip: nginx or openssl is not installed, the server block is not checked",
              flush=True)
        return
    doc = read(os.path.join(ROOT, "docs/deploy.md"))
    block = re.search(r"```nginx\n(.*?)```", doc, re.S).group(1)
    conf = os.path.join(WORK, "nginx")
    os.makedirs(os.path.join(conf, "logs"), exist_ok=True)
    cert, key = os.path.join(conf, "cert.pem"), os.path.join(conf, "key.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=referater.lindholm.dk", "-keyout", key, "-out", cert],
                   capture_output=True, check=True)
    block = re.sub(r"ssl_certificate /\S+;", "ssl_certificate %s;" % cert, block)
    block = re.sub(r"ssl_certificate_key /\S+;", "ssl_certificate_key %s;" % key, block)
    with open(os.path.join(conf, "nginx.conf"), "w") as f:
        f.write("pid %s/nginx.pid;\nerror_log %s/logs/error.log;\nevents {}\nhttp {\n"
                "access_log off;\n%s}\n" % (conf, conf, block))
    r = subprocess.run([nginx, "-t", "-p", conf, "-c", os.path.join(conf, "nginx.conf")],
                       capture_output=True, text=True)
    check(r.returncode == 0, "nginx -t: " + r.stderr)


def main():
    passed = failed = 0
    dest = None
    for t in [test_install_builds_first, test_install_default_prefix, test_install_prefix,
              test_install_needs_no_root, test_manual_names_everything, test_units_verify, test_backup_unit_keeps_copies,
              test_remind_units,  # issue 10, remind
              test_nginx_block]:
        t0 = time.monotonic()
        try:
            if t is test_install_default_prefix:
                dest = t()
            elif t in (test_manual_names_everything, test_units_verify,
                       test_backup_unit_keeps_copies, test_remind_units):
                check(dest, "installed first")
                t(dest)
            else:
                t()
            passed += 1
            print("ok   %s (%.2fs)" % (t.__name__, time.monotonic() - t0), flush=True)
        except Exception:
            failed += 1
            print("FAIL %s" % t.__name__, flush=True)
            traceback.print_exc(file=sys.stdout)
    if not failed:
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
