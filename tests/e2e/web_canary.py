"""web_canary: public means public. Imports examples/ (two closed cases and closed attachments
carry the marker KANARIE-LUKKET-7Q2), starts the portal, crawls every URL reachable from the
front page plus every API route, feed, export, attachment and error page, searches for the
marker and its parts, and fails on any occurrence of the marker or of a word that only closed
content contains. Bounded in URLs and time.

The archive also holds the whole-meeting documents of examples/real-layouts (text, HTML and
the PDFs the build makes from their .pdfsrc): their closed items carry the marker too.

The crawl runs three times: anonymous; logged in as a member of the busiest body without
closed content (it must find nothing: a login never opens another body's closed
cases); and logged in as a member of Direktionen, the canary body (it must find the marker:
the crawl proves it can see).

usage: web_canary.py REFERAT EXAMPLES_DIR [LAYOUT_PDF_DIR]"""

import glob
import html
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

from web_common import (MARKER, Client, Runner, Server, add_attachment_files, add_user, cleanup,
                        make_archive, workdir)

MAX_URLS = 3000
MAX_SECONDS = 90
WORD = r"[A-Za-zÆØÅæøåé][A-Za-zÆØÅæøåé-]{8,}"


def closed_only_words(examples, source_dir):
    """Words (9+ letters) that occur in closed cases' hidden parts and nowhere public: not in
    any open case, not in a closed case's title or attachment titles (those are public), not
    in the portal's own texts."""
    opened, closed = [], []
    for f in sorted(glob.glob(os.path.join(examples, "[0-9][0-9]-*.md"))):
        t = open(f, encoding="utf-8").read()
        (closed if "*Lukket Sag*" in t else opened).append(t)
    public = set()
    for t in opened:
        public |= {w.lower() for w in re.findall(WORD, t)}
    for t in closed:
        public |= {w.lower() for w in re.findall(WORD, re.search(r"## \*\*(.*?)\*\*", t).group(1))}
    for t in opened + closed:
        for m in re.finditer(r"^\d+ -\t(?:Åben|Lukket)\t([^\t]*)", t, re.M):
            public |= {w.lower() for w in re.findall(WORD, m.group(1))}
    # The meeting documents' words: their closed items are watched by the marker alone.
    for f in glob.glob(os.path.join(examples, "real-layouts", "*.*")):
        if f.endswith((".txt", ".html", ".pdfsrc", ".expected")):
            public |= {w.lower() for w in re.findall(WORD, open(f, encoding="utf-8").read())}
    ui = ""
    for f in glob.glob(os.path.join(source_dir, "src", "web", "*.c")):
        ui += open(f, encoding="utf-8").read().lower()
    words = set()
    for t in closed:
        words |= {w.lower() for w in re.findall(WORD, t)}
    return sorted(w for w in words - public if w not in ui and "kanarie" not in w)


def import_layouts(referat, db, examples, pdf_dir):
    """Imports the whole-meeting documents; returns how many closed items they hold (from their
    .expected readings), each with the marker in its text."""
    folder = os.path.join(examples, "real-layouts")
    docs = sorted(glob.glob(os.path.join(folder, "*.txt")) + glob.glob(os.path.join(folder, "*.html")))
    if pdf_dir:
        docs += sorted(glob.glob(os.path.join(pdf_dir, "[0-9][0-9]-*.pdf")))
    closed = 0
    for f in docs:
        stem = os.path.splitext(os.path.basename(f))[0]
        with open(os.path.join(folder, stem + ".expected"), encoding="utf-8") as x:
            closed += sum(1 for i in json.load(x)["items"] if not i["public"])
    r = subprocess.run([referat, "import", "--db", db, "--quiet"] + docs, capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0 or len(docs) < 9:
        raise SystemExit("layout import failed (%d, %d documents): %s"
                         % (r.returncode, len(docs), r.stderr[-2000:]))
    return closed


def open_body(db):
    """The body with the most cases and no closed one: (code, name)."""
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT b.code, coalesce(b.name, b.code) FROM body b "
                          "JOIN case_body cb ON cb.body_id = b.id "
                          "JOIN \"case\" c ON c.id = cb.case_id GROUP BY b.id "
                          "HAVING min(c.public) = 1 ORDER BY count(*) DESC, b.code LIMIT 1"
                          ).fetchone()
    finally:
        con.close()
    if not row:
        raise SystemExit("no body without closed cases in the archive")
    return row


class Crawl:
    def __init__(self, client, words):
        self.client = client
        self.words = [re.compile(r"(?<![\wæøå])%s(?![\wæøå])" % re.escape(w)) for w in words]
        self.seen = set()
        self.queue = []
        self.leaks = []
        self.errors = []
        self.statuses = {}

    def add(self, url):
        if not url or not url.startswith("/") or url.startswith("//"):
            return
        url = url.split("#")[0]
        url = urllib.parse.quote(html.unescape(url), safe="/?&=%:+;,@!$'()*~-_.")
        if url not in self.seen and len(self.seen) < MAX_URLS:
            self.seen.add(url)
            self.queue.append(url)

    def echoes(self, url):
        """What the page may legitimately repeat of the request: the query's values."""
        out = []
        q = urllib.parse.urlsplit(url).query
        for _, v in urllib.parse.parse_qsl(q, keep_blank_values=True):
            if v:
                out += [html.escape(v, quote=True), v, urllib.parse.quote(v, safe=""),
                        urllib.parse.quote_plus(v, safe=""), urllib.parse.quote(v, safe="-_.~")]
        return sorted(set(out), key=len, reverse=True)

    def inspect(self, url, status, headers, body):
        text = body.decode("utf-8", "replace")
        # ---- issue 10, pdf: a PDF's text is in compressed streams: read it as pdftotext
        # does (what a reader selects and searches), and every string of its objects as
        # qpdf gives them (title, bookmarks, links, tags), not the raw bytes: compressed
        # data holds any short word by chance (a '7q2' once).
        if headers.get("content-type", "").startswith("application/pdf"):
            r = subprocess.run(["pdftotext", "-q", "-", "-"], input=body, capture_output=True,
                               timeout=60)
            with tempfile.NamedTemporaryFile(suffix=".pdf") as f:  # qpdf reads no stdin
                f.write(body)
                f.flush()
                q = subprocess.run(["qpdf", "--json", "--json-stream-data=none", f.name],
                                   capture_output=True, timeout=60)
            if q.returncode in (0, 3):
                text = r.stdout.decode("utf-8", "replace") + "\n" + \
                    json.dumps(json.loads(q.stdout), ensure_ascii=False)
            # else not a PDF qpdf reads (a test's uploaded bilag): its raw bytes are checked
            self.pdfs = getattr(self, "pdfs", 0) + 1
        # ---- end issue 10, pdf ----
        for e in self.echoes(url):
            text = text.replace(e, "")
        low = text.lower()
        hdrs = " ".join("%s: %s" % kv for kv in headers.items()).lower()
        for needle in ["kanarie", "7q2", MARKER.lower()]:
            if needle in low or needle in hdrs:
                i = low.find(needle)
                self.leaks.append((url, needle, text[max(0, i - 80):i + 80]))
        for rx in self.words:
            m = rx.search(low)
            if m:
                self.leaks.append((url, m.group(0), low[max(0, m.start() - 80):m.end() + 80]))

    def links(self, url, headers, text):
        ctype = headers.get("content-type", "")
        if "html" in ctype or "xml" in ctype:
            for m in re.finditer(r'href="([^"]+)"', text):
                u = m.group(1)
                if u.startswith("http://"):
                    u = "/" + u.split("/", 3)[-1] if u.count("/") >= 3 else "/"
                self.add(u)
        elif "json" in ctype:
            try:
                self.walk(json.loads(text))
            except ValueError:
                self.errors.append((url, "bad JSON"))
        elif "calendar" in ctype:
            for m in re.finditer(r"^URL:http://[^/]+(/\S*)", text.replace("\r\n ", ""), re.M):
                self.add(m.group(1))

    def walk(self, j):
        if isinstance(j, dict):
            for v in j.values():
                self.walk(v)
        elif isinstance(j, list):
            for v in j:
                self.walk(v)
        elif isinstance(j, str) and j.startswith("/") and " " not in j:
            self.add(j)

    def run(self, deadline):
        while self.queue and time.monotonic() < deadline:
            url = self.queue.pop(0)
            status, headers, body = self.client.get(url)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500:
                self.errors.append((url, status))
            self.inspect(url, status, headers, body)
            if status < 400 or "html" in headers.get("content-type", ""):
                self.links(url, headers, body.decode("utf-8", "replace"))


def released_agenda(referat, db, d):
    """Issue 8: a meeting of DIR planned in referat, its agenda released with an open and a
    closed case (the marker in its closed text, a public title of its own), then a closed case
    on its tillægsdagsorden, and the meeting cancelled with a reason. Returns its id."""
    def run(*args):
        r = subprocess.run([referat] + list(args) + ["--db", db], capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 0:
            raise SystemExit("referat %s: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def version(mid):
        con = sqlite3.connect(db)
        v = con.execute("SELECT version FROM meeting WHERE id = ?", (mid,)).fetchone()[0]
        con.close()
        return str(v)

    out = run("meeting", "add", "DIR", "2027-03-04", "--start", "09:00", "--end", "11:00",
              "--place", "Rådhuset")
    mid = int(re.search(r"meeting (\d+)", out).group(1))

    def case(name, closed, public_title):
        path = os.path.join(d, "agenda-%s.json" % name)
        model = {"format": "referat-case/1", "title": name + (" " + MARKER if closed else ""),
                 "public": not closed, "route": ["DIR"],
                 "presentation": MARKER + " lukket tekst" if closed else "Åben tekst.",
                 "recommendation": "Det indstilles, at sagen drøftes."}
        if public_title:
            model["public_title"] = public_title
        with open(path, "w", encoding="utf-8") as f:
            json.dump(model, f, ensure_ascii=False)
        cid = int(re.search(r"case (\d+)", run("case", "new", "--meeting", str(mid), path)).group(1))
        for step in ("indsend", "godkend", "saet_paa_dagsorden"):
            run("case", "step", str(cid), step, "--version", "1")

    case("Dagsordenpunkt", False, None)
    case("Personalesag", True, "Personaleforhold")
    run("meeting", "step", str(mid), "frigiv_dagsorden", "--version", version(mid))
    case("Tillaeg", True, "Tillægspunkt om personale")
    run("meeting", "step", str(mid), "aflys", "--version", version(mid), "--reason",
        "Formanden er syg")
    return mid


# ---- issue 10, the agenda's standing item: a coming DIR meeting, its agenda released, lists
# the open follow-ups of DIR's decisions, the closed cases' among them in the archive. ----
def coming_meeting(referat, db):
    def run(*args):
        r = subprocess.run([referat] + list(args) + ["--db", db], capture_output=True, text=True,
                           timeout=60)
        if r.returncode != 0:
            raise SystemExit("%r failed: %s" % (args, r.stderr))
        return r.stdout
    mid = int(re.search(r"meeting (\d+)", run("meeting", "add", "DIR", "2027-05-06")).group(1))
    run("meeting", "step", str(mid), "frigiv_dagsorden", "--version", "1")
    return mid
# ---- end issue 10, the agenda's standing item ----


# ---- issue 9, publication: minutes written in referat, published, unpublished and never
# published; the marker in every decision the public may not read. ----
def minutes_meetings(referat, db, d):
    """Three meetings of DIR held in referat, each with a case whose decision is written in
    the meeting: P published (its open decision public; a closed case with the marker in its
    closed decision and a public decision of its own), U published and then unpublished (the
    marker in its open decision), H approved and never published (the marker in its open
    decision). Returns ({name: meeting id}, [case ids], [closed case ids])."""
    def run(*args):
        r = subprocess.run([referat] + list(args) + ["--db", db], capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 0:
            raise SystemExit("referat %s: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def version(table, oid):
        con = sqlite3.connect(db)
        v = con.execute("SELECT version FROM %s WHERE id = ?" % table, (oid,)).fetchone()[0]
        con.close()
        return str(v)

    def step(mid, action, *extra):
        run("meeting", "step", str(mid), action, "--version", version("meeting", mid), *extra)

    def save(cid, model, name):
        path = os.path.join(d, "minutes-%s.json" % name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(model, f, ensure_ascii=False)
        if cid is None:
            return path
        run("case", "save", str(cid), "--version", version('"case"', cid), path)
        return path

    meetings, cases, closed = {}, [], []
    # The sekretær may close the approval round at once (the members' own approvals are the
    # minutes helper's tests).
    run("body", "settings", "DIR", "minutes.approval_days=0")
    for name, date in [("P", "2027-01-13"), ("U", "2027-01-27"), ("H", "2027-02-10")]:
        mid = int(re.search(r"meeting (\d+)", run("meeting", "add", "DIR", date, "--start",
                                                   "09:00", "--end", "10:00")).group(1))
        meetings[name] = mid
        models = [{"format": "referat-case/1", "title": "Referatsag %s" % name, "public": True,
                   "route": ["DIR"], "presentation": "Åben tekst til referatet."}]
        if name == "P":
            models.append({"format": "referat-case/1", "title": "Personsag " + MARKER,
                           "public": False, "public_title": "Personalesag i referatet",
                           "route": ["DIR"], "presentation": MARKER + " lukket tekst",
                           "public_decision": "Direktionen traf en beslutning om en "
                                              "medarbejder."})
        ids = []
        for i, m in enumerate(models):
            path = save(None, m, "%s-%d" % (name, i))
            cid = int(re.search(r"case (\d+)", run("case", "new", "--meeting", str(mid),
                                                    path)).group(1))
            for s in ("indsend", "godkend", "saet_paa_dagsorden"):
                run("case", "step", str(cid), s, "--version", "1")
            ids.append(cid)
        step(mid, "frigiv_dagsorden")
        step(mid, "start")
        for cid, m in zip(ids, models):
            text = ("Godkendt uden bemærkninger." if name == "P" and m["public"]
                    else MARKER + " beslutning, der ikke er offentlig.")
            m["decisions"] = [{"body": "Direktionen", "date": "2027-01-13",
                               "text": text, "entries": []}]
            save(cid, m, "%s-%d-decided" % (name, cid))
        step(mid, "afslut")
        step(mid, "send_referat_til_godkendelse")
        step(mid, "luk_godkendelse")  # the round closed at once (approval_days 0, below)
        if name in ("P", "U"):
            step(mid, "offentliggoer")
        if name == "U":
            step(mid, "afpublicer", "--reason", "Et navn skal fjernes")
        cases += ids
        closed += [cid for cid, m in zip(ids, models) if not m["public"]]
    return meetings, cases, closed
# ---- end issue 9, publication ----


# ---- invitations (issue 8): a guest link and an invitation for every case on an agenda,
# closed ones too; the guest's page shows only what the public may read. ----
def guest_links(db):
    """Tokens of guest links, and (meeting, invitation) of (failed, so with an error shown)
    invitations."""
    import hashlib
    con = sqlite3.connect(db)
    tokens, ids = [], []
    try:
        # Each case's latest meeting: the one its invitations belong to.
        rows = con.execute("SELECT a.case_id, m.date, m.id FROM agenda a JOIN meeting m "
                           "ON m.id = a.meeting_id WHERE NOT EXISTS (SELECT 1 FROM agenda a2 "
                           "JOIN meeting m2 ON m2.id = a2.meeting_id WHERE a2.case_id = "
                           "a.case_id AND (m2.date > m.date OR (m2.date = m.date AND "
                           "m2.id > m.id))) ORDER BY a.case_id").fetchall()
        # The calendar files name the secretariat as organizer.
        con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('municipality.email', "
                    "'sekretariat@example.dk')")
        for case, date, meeting in rows:
            email = "gaest%d@example.dk" % case
            cur = con.execute(
                "INSERT INTO invitation (case_id, email, name, uid, sequence, method, dtstart, "
                "dtend, subitems, state, error, attempts, created_at) VALUES (?, ?, 'Gæst', ?, "
                "0, 'REQUEST', ?, ?, '[1,2,3]', 'failed', 'SMTP nede', 1, "
                "'2024-01-01T00:00:00Z')",
                (case, email, "canary-%d@referat" % case, date + "T10:00", date + "T10:30"))
            ids.append((meeting, cur.lastrowid))
            token = ("Kanarie%d" % case + "x" * 43)[:43]
            con.execute("INSERT INTO guest_link (hash, case_id, email, expires_at, created_at) "
                        "VALUES (?, ?, ?, 4102444800, '2024-01-01T00:00:00Z')",
                        (hashlib.blake2b(token.encode(), digest_size=32).hexdigest(), case,
                         email))
            tokens.append(token)
        con.commit()
    finally:
        con.close()
    return tokens, ids


# ---- issue 10, notices: a subscription to every body with a confirmation and an
# unsubscribe link; their pages name the body and the topic, nothing else. ----
def notice_links(db):
    """Tokens of the links: (purpose path, token) for every body."""
    import hashlib
    con = sqlite3.connect(db)
    links = []
    try:
        for (body_id,) in con.execute("SELECT id FROM body ORDER BY id").fetchall():
            addr = "abonnent%d@example.dk" % body_id
            cur = con.execute(
                "INSERT INTO notice_subscription (body_id, email, email_hash, requested, topic, "
                "state, created_at) VALUES (?, ?, ?, 'begge', 'begge', 'confirmed', "
                "'2024-01-01T00:00:00Z')",
                (body_id, addr, hashlib.blake2b(addr.encode(), digest_size=32).hexdigest()))
            for path, purpose, until in [("bekraeft", "confirm", 4102444800),
                                         ("afmeld", "unsubscribe", None)]:
                token = ("Abon%s%d" % (path, body_id) + "x" * 43)[:43]
                con.execute("INSERT INTO notice_token (hash, subscription_id, purpose, "
                            "created_at, expires_at) VALUES (?, ?, ?, '2024-01-01T00:00:00Z', "
                            "?)", (hashlib.blake2b(token.encode(), digest_size=32).hexdigest(),
                                   cur.lastrowid, purpose, until))
                links.append((path, token))
        con.commit()
    finally:
        con.close()
    return links
# ---- end issue 10, notices ----


# ---- issue 9, minutes: tillæg. Every closed case gets one carrying the marker (its public
# view must drop it everywhere); one open case gets one the portal must show. ----
def minutes_additions(db):
    con = sqlite3.connect(db)
    try:
        closed = [r[0] for r in con.execute("SELECT id FROM \"case\" WHERE NOT public")]
        for cid in closed:
            con.execute("INSERT INTO case_addition (case_id, pos, date, reason, text) VALUES "
                        "(?, 0, '2024-02-01', ?, ?)",
                        (cid, "Rettelse " + MARKER, MARKER + " lukket tillæg"))
        opened = con.execute("SELECT id FROM \"case\" WHERE public AND published ORDER BY id "
                             "LIMIT 1").fetchone()[0]
        con.execute("INSERT INTO case_addition (case_id, pos, date, reason, text) VALUES "
                    "(?, 0, '2024-02-01', 'Stavefejl rettet.', 'Aabent tillaeg til referatet.')",
                    (opened,))
        con.commit()
        return opened, len(closed)
    finally:
        con.close()


# ---- issue 10, sdg: goals on every case and sub-item, closed ones too (the table the store
# writes with the model, schema 009), so that the yearly report and the search by goal would
# show a closed case if they could. Returns the (body code, year) pairs that have cases. ----
def tag_goals(db):
    con = sqlite3.connect(db)
    try:
        con.execute("INSERT OR IGNORE INTO case_sdg (case_id, subitem, goal) "
                    "SELECT id, 0, 13 FROM \"case\"")
        con.execute("INSERT OR IGNORE INTO case_sdg (case_id, subitem, goal) "
                    "SELECT id, 0, (id % 17) + 1 FROM \"case\"")
        con.execute("INSERT OR IGNORE INTO case_sdg (case_id, subitem, goal) "
                    "SELECT case_id, pos + 1, ((case_id + pos) % 17) + 1 FROM subitem")
        con.commit()
        return con.execute("SELECT DISTINCT b.code, substr(c.date, 1, 4) FROM case_body cb "
                           "JOIN body b ON b.id = cb.body_id JOIN \"case\" c ON c.id = cb.case_id "
                           "WHERE c.date IS NOT NULL").fetchall()
    finally:
        con.close()
# ---- end issue 10, sdg ----


# ---- issue 9, decisions: a private note of the minute-taker and a rejected suggestion on
# every case, open ones too, each with the marker: no public output may ever show them. ----
def private_notes(db):
    con = sqlite3.connect(db)
    try:
        ids = [r[0] for r in con.execute('SELECT id FROM "case"').fetchall()]
        for cid in ids:
            con.execute("INSERT INTO case_note (case_id, subitem, author_name, created_at, text) "
                        "VALUES (?, 0, 'sek', '2027-01-01T00:00:00Z', ?)",
                        (cid, MARKER + " privat note"))
            con.execute("INSERT INTO decision_rejection (case_id, subitem, owner, text, "
                        "rejected_by, rejected_at) VALUES (?, 0, ?, ?, 'sek', "
                        "'2027-01-01T00:00:00Z')", (cid, MARKER, MARKER + " følger op."))
        con.commit()
    finally:
        con.close()
    return len(ids)


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    source_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    runner = Runner()
    d = workdir()
    srv = None
    state = {}
    try:
        db = make_archive(referat, examples, d)
        layouts = import_layouts(referat, db, examples, sys.argv[3] if len(sys.argv) > 3 else None)
        add_attachment_files(db)
        agenda = released_agenda(referat, db, d)
        coming = coming_meeting(referat, db)  # issue 10: the agenda's standing item
        minutes, minutes_cases, minutes_closed = minutes_meetings(referat, db, d)  # issue 9
        tokens, invitations = guest_links(db)  # issue 8
        notices = notice_links(db)  # issue 10, notices
        tillaeg_case, tillaeg_closed = minutes_additions(db)  # issue 9, minutes
        if private_notes(db) < 10:  # issue 9, decisions
            raise SystemExit("too few cases for the private notes")
        words = closed_only_words(examples, source_dir)
        other = open_body(db)
        sdg_years = tag_goals(db)  # issue 10, sdg
        add_user(referat, db, "anden-medlem", grants=[(other[0], "medlem")])
        add_user(referat, db, "dir-medlem", grants=[("DIR", "medlem")])
        srv = Server(referat, db, ["--quiet"])

        def test_canary_is_in_the_archive():
            # Without this the crawl below could pass on an archive that lost the marker.
            ids = [c["id"] for c in json.loads(srv.get("/api/cases?per_page=100")[2])["items"]
                   if not c["public"]]
            # Two closed cases of examples/, the layouts', and the released agenda's two; and
            # the published minutes' one (issue 9).
            if len(ids) != 2 + layouts + 2 + len(minutes_closed):
                raise AssertionError("expected %d closed cases, got %r"
                                     % (4 + layouts + len(minutes_closed), ids))
            for cid in ids:
                r = subprocess.run([referat, "export", str(cid), "--db", db, "--to", "md"],
                                   capture_output=True, timeout=30)
                if MARKER.encode() not in r.stdout:
                    raise AssertionError("staff export of case %d lacks the marker" % cid)
            if len(words) < 10:
                raise AssertionError("too few closed-only words: %r" % words)
            state["closed"] = ids

        def crawl(client):
            c = Crawl(client, words)
            for u in ["/", "/api", "/api/bodies", "/api/meetings", "/api/cases?per_page=100",
                      "/api/followups?status=all&per_page=100", "/api/followups", "/atom.xml",
                      "/kalender.ics", "/opfoelgning?status=alle", "/opfoelgning", "/soeg",
                      "/robots.txt", "/static/referat.css", "/findes/ikke", "/sag/999999",
                      "/moede/999999", "/person/999999", "/api/cases/999999",
                      "/soeg?q=x&fra=daarlig", "/organ/NOPE", "/sag/%00", "/arbejde",
                      "/arbejde/historik", "/arbejde/kladder", "/arbejde/moeder"]:
                c.add(u)
            # ---- issue 10, notices: the mails' link pages (each body's subscription), seeded
            # early (the crawl adds nothing beyond MAX_URLS)
            for path, t in notices:
                c.add("/abonnement/%s/%s" % (path, t))
            # ---- end issue 10, notices ----
            for cid in range(1, 100):
                for suffix in ["", ".md", ".txt", ".json", ".html"]:
                    c.add("/sag/%d%s" % (cid, suffix))
                c.add("/api/cases/%d" % cid)
                c.add("/arbejde/sag/%d/historik" % cid)
                for n in range(1, 6):
                    c.add("/sag/%d/bilag/%d" % (cid, n))
            # issue 9, decisions: every case's decision page (the notes carry the marker: only
            # a sekretær may see them, and no crawl logs in as one) and its script.
            for cid in range(1, 100):
                c.add("/arbejde/sag/%d/beslutning" % cid)
            c.add("/static/decision.js")
            # The released agenda with its tillægsdagsorden, and its feeds (issue 8).
            for u in ["/moede/%d" % agenda, "/api/meetings/%d" % agenda, "/organ/DIR/atom.xml",
                      "/organ/DIR/kalender.ics"]:
                c.add(u)
            # issue 9, publication: the minutes' meetings, cases and their exports
            for mid in minutes.values():
                c.add("/moede/%d" % mid)
                c.add("/api/meetings/%d" % mid)
                c.add("/arbejde/moede/%d/offentliggoerelse" % mid)
            for cid in minutes_cases:
                for suffix in ["", ".md", ".txt", ".json", ".html"]:
                    c.add("/sag/%d%s" % (cid, suffix))
                c.add("/api/cases/%d" % cid)
                c.add("/arbejde/sag/%d/offentliggoerelse" % cid)
            for mid in range(1, 30):
                c.add("/moede/%d" % mid)
                c.add("/api/meetings/%d" % mid)
                c.add("/arbejde/moede/%d/historik" % mid)
            # ---- issue 9, api: each meeting's minutes as one JSON document ----
            for mid in list(range(1, 30)) + [agenda]:
                c.add("/api/meetings/%d/minutes" % mid)
            # ---- end issue 9, api ----
            for pid in range(1, 60):
                c.add("/person/%d" % pid)
            # invitations (issue 8): the guests' pages; the staff pages and their .ics
            for t in tokens:
                c.add("/gaest/" + t)
            for mid, i in invitations:
                c.add("/arbejde/moede/%d/invitationer" % mid)
                c.add("/arbejde/moede/%d/invitationer/%d/ics" % (mid, i))
            # ---- issue 9, live: the live view's static files (public) and its staff pages
            # and JSON, which the public must not get anything of.
            c.add("/static/live.js")
            c.add("/static/live.css")
            for mid in range(1, 30):
                for tail in ("/live", "/live.json", "/live?visning=projektor", "/fremmoede"):
                    c.add("/arbejde/moede/%d%s" % (mid, tail))
            # ---- end issue 9, live ----
            for tail in ("", ".pdf", ".pdf?dokument=dagsorden"):  # issue 10: standing item
                c.add("/moede/%d%s" % (coming, tail))
            # ---- issue 10, pdf: every case and meeting as PDF, both documents of a meeting
            for cid in range(1, 100):
                c.add("/sag/%d.pdf" % cid)
            for mid in list(range(1, 30)) + [agenda]:
                for tail in (".pdf", ".pdf?dokument=dagsorden", ".pdf?dokument=referat"):
                    c.add("/moede/%d%s" % (mid, tail))
            # ---- end issue 10, pdf ----
            # ---- issue 10, sdg: every body's yearly report (HTML, CSV) and the search by each
            # goal; every case, closed ones too, carries goals (tag_goals).
            for code, year in sdg_years:
                enc = urllib.parse.quote(code, safe="")
                c.add("/organ/%s/verdensmaal/%s" % (enc, year))
                c.add("/organ/%s/verdensmaal/%s.csv" % (enc, year))
            for g in range(1, 18):
                c.add("/soeg?q=" + urllib.parse.quote("verdensmål:%d" % g, safe=""))
                c.add("/soeg?q=%s&organ=DIR" % urllib.parse.quote("verdensmål:%d" % g, safe=""))
            c.add("/soeg?q=" + urllib.parse.quote("KANARIE verdensmål:13", safe=""))
            # ---- end issue 10, sdg ----
            queries = [MARKER, "KANARIE", "LUKKET", "7Q2", "KANARIE*", '"KANARIE LUKKET"',
                       "kanarie OR lukket", "KANARIE-LUKKET-7Q2/23"] + words[:25]
            for q in queries:
                enc = urllib.parse.quote(q, safe="")
                c.add("/soeg?q=" + enc)
                c.add("/api/search?q=" + enc)
                c.add("/soeg?q=%s&organ=DIR" % enc)
            c.run(time.monotonic() + MAX_SECONDS)
            # ---- issue 10, notices: each link page answers, and never shows the address
            for path, t in notices:
                st, _, body = client.get("/abonnement/%s/%s" % (path, t))
                if st != 200 or re.search(rb"abonnent\d+@", body):
                    raise AssertionError("/abonnement/%s/...: %d, or the address shown" %
                                         (path, st))
            # ---- end issue 10, notices ----
            print("crawled %d URLs, statuses %r, %d closed-only words checked"
                  % (len(c.seen), c.statuses, len(words)))
            if c.queue:
                raise AssertionError("crawl not finished within bounds: %d left" % len(c.queue))
            if len(c.seen) < 150:
                raise AssertionError("crawl reached only %d URLs" % len(c.seen))
            if c.errors:
                raise AssertionError("server errors: %r" % c.errors[:10])
            if getattr(c, "pdfs", 0) < 20:  # issue 10, pdf: the PDFs were read, not skipped
                raise AssertionError("only %d PDFs crawled" % getattr(c, "pdfs", 0))
            for cid in state.get("closed", []):
                if "/sag/%d" % cid not in c.seen:
                    raise AssertionError("closed case %d not crawled" % cid)
            return c

        def no_leaks(c):
            if c.leaks:
                for leak in c.leaks[:20]:
                    print("LEAK %s: %r in ...%s..." % leak)
                raise AssertionError("%d leaks" % len(c.leaks))

        def test_crawl_finds_no_closed_content():
            no_leaks(crawl(Client(srv)))

        def test_crawl_as_member_of_another_body():
            client = Client(srv)
            client.login("anden-medlem")
            no_leaks(crawl(client))
            st, _, body = client.get("/arbejde")
            if st != 200 or other[1].encode() not in body:
                raise AssertionError("the crawl was not logged in: %d" % st)

        def test_crawl_as_member_of_the_canary_body():
            client = Client(srv)
            client.login("dir-medlem")
            c = crawl(client)
            found = {u for u, needle, _ in c.leaks if needle == MARKER.lower()}
            closed_dir = [cid for cid in state.get("closed", [])
                          if "/sag/%d" % cid in found]
            print("the member sees the marker on %d URLs" % len(found))
            if not closed_dir:
                raise AssertionError("a member of the canary body did not see its closed case")
            if not any(u.endswith(".json") or u.startswith("/api/") for u in found):
                raise AssertionError("a member of the canary body did not see it in the API")

        def test_meeting_document_parts_on_the_portal():
            # What only meeting documents give (sections under their own headings, case
            # numbers, guests) is shown on an open case's page, as the API gives it.
            st, _, body = srv.get("/api/cases?per_page=100&page=2")
            items = json.loads(srv.get("/api/cases?per_page=100")[2])["items"]
            if st == 200:
                items += json.loads(body)["items"]
            seen = {"sections": 0, "refs": 0, "guests": 0}
            for c in items:
                if not c["public"]:
                    continue
                j = json.loads(srv.get("/api/cases/%d" % c["id"])[2])["case"]
                if not any(j.get(k) for k in seen):
                    continue
                page = html.unescape(srv.get("/sag/%d" % c["id"])[2].decode("utf-8"))
                for x in j.get("sections", []):
                    words = re.findall(WORD, x.get("text") or "")
                    if x["name"] not in page or (words and words[0] not in page):
                        raise AssertionError("case %d: section %r not shown" % (c["id"], x["name"]))
                    seen["sections"] += 1
                for x in j.get("refs", []):
                    if x["value"] not in page:
                        raise AssertionError("case %d: case number %r not shown" % (c["id"], x))
                    seen["refs"] += 1
                for x in j.get("guests", []):
                    if x["name"] not in page:
                        raise AssertionError("case %d: guest %r not shown" % (c["id"], x))
                    seen["guests"] += 1
            if min(seen.values()) == 0:
                raise AssertionError("the documents gave too little to check: %r" % seen)
            print("shown: %r" % seen)

        def test_released_agenda_on_the_portal():
            # The crawl's released agenda shows its closed cases by their public titles and
            # its tillægsdagsorden (what the crawl then checks for leaks).
            st, _, body = srv.get("/moede/%d" % agenda)
            text = body.decode("utf-8")
            for want in ["Dagsordenpunkt", "Personaleforhold", "Tillægspunkt om personale",
                         "Tillægsdagsorden", "Mødet er aflyst: Formanden er syg"]:
                if want not in text:
                    raise AssertionError("/moede/%d lacks %r" % (agenda, want))
            if MARKER in text or st != 200:
                raise AssertionError("the released agenda leaks or fails: %d" % st)

        # ---- issue 9, publication ----
        def test_published_minutes_on_the_portal():
            # What is public of each: P's open decision and closed public decision, U's and
            # H's cases without their decisions; every page without the marker.
            st, _, body = srv.get("/sag/%d" % minutes_cases[0])
            text = body.decode("utf-8")
            if st != 200 or "Godkendt uden bemærkninger." not in text:
                raise AssertionError("the published decision is not on the portal: %d" % st)
            st, _, body = srv.get("/sag/%d" % minutes_closed[0])
            text = body.decode("utf-8")
            if "Direktionen traf en beslutning om en medarbejder." not in text or \
                    "Personalesag i referatet" not in text or MARKER in text:
                raise AssertionError("the closed case's public decision: %r" % text[:2000])
            st, _, body = srv.get("/moede/%d" % minutes["P"])
            if "Referat offentliggjort".encode() not in body:
                raise AssertionError("the meeting page does not say the minutes are out")
            for name in ("U", "H"):
                st, _, body = srv.get("/moede/%d" % minutes[name])
                if st != 200 or "Referatet er ikke offentliggjort".encode() not in body:
                    raise AssertionError("meeting %s: %d %r" % (name, st, body[:300]))
            st, _, body = srv.get("/api/followups?status=all&per_page=100")
            st2, _, body2 = srv.get("/soeg?q=beslutning")
            if MARKER.encode() in body or MARKER.encode() in body2:
                raise AssertionError("an unpublished decision reached the follow-ups or search")
        runner.run(test_published_minutes_on_the_portal)
        # ---- end issue 9, publication ----
        def test_minutes_tillaeg_on_the_portal():
            # issue 9, minutes: an open case's tillæg is public, a closed case's never is (the
            # crawl checks every page for the marker the closed ones carry).
            if tillaeg_closed < 2:
                raise AssertionError("too few closed cases with a tillæg: %d" % tillaeg_closed)
            for suffix, want in [("", "Aabent tillaeg til referatet."),
                                 (".md", "Tillæg den 01-02-2024"),
                                 (".json", '"additions"')]:
                st, _, body = srv.get("/sag/%d%s" % (tillaeg_case, suffix))
                if st != 200 or want.encode() not in body:
                    raise AssertionError("/sag/%d%s lacks the tillæg: %d" % (tillaeg_case,
                                                                            suffix, st))

        def test_standing_item_on_the_portal():
            # issue 10: the coming meeting lists DIR's open follow-ups the public may see
            # (the crawl checks the page for closed text).
            st, _, body = srv.get("/moede/%d" % coming)
            text = html.unescape(body.decode("utf-8"))
            if st != 200 or "Stående punkt: Opfølgning" not in text or "følger op." not in text:
                raise AssertionError("/moede/%d lacks the standing item: %d" % (coming, st))

        runner.run(test_standing_item_on_the_portal)
        runner.run(test_canary_is_in_the_archive)
        runner.run(test_minutes_tillaeg_on_the_portal)
        runner.run(test_released_agenda_on_the_portal)
        runner.run(test_meeting_document_parts_on_the_portal)
        runner.run(test_crawl_finds_no_closed_content)
        runner.run(test_crawl_as_member_of_another_body)
        runner.run(test_crawl_as_member_of_the_canary_body)
    finally:
        if srv:
            srv.stop(signal.SIGTERM)
        cleanup(d)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
