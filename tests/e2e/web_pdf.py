"""web_pdf: the meeting as one PDF (/moede/ID.pdf) and a case as PDF (/sag/ID.pdf, `referat
export ID --to pdf`), end to end against `referat serve` on the examples archive: pdftotext
of every meeting PDF holds every open case's text and no closed text (the canary marker), a
bilag that is a PDF is appended page by page, a damaged one is noted and the rest carries
on, bookmarks and links are there, and every PDF passes `qpdf --check`.

usage: web_pdf.py REFERAT EXAMPLES_DIR"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

from web_common import (MARKER, Client, Runner, Server, add_user, check, cleanup, eq,
                        make_archive, workdir)

UNPUBLISHED = "UOFFENTLIGBESLUTNING"


PUBLISHED = "OFFENTLIGBESLUTNING"


def held_meeting(referat, db, d, date="2027-03-04", decision=UNPUBLISHED, publish=False):
    """A meeting of DIR planned in referat, its agenda released, held (afholdt), with a case
    whose decision carries UNPUBLISHED: minutes that are not published. Returns (meeting,
    case)."""
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

    out = run("meeting", "add", "DIR", date, "--start", "09:00", "--end", "11:00",
              "--place", "Rådhuset")
    mid = int(re.search(r"meeting (\d+)", out).group(1))
    path = os.path.join(d, "held.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "referat-case/1", "title": "Forfattet sag om æbler",
                   "public": True, "route": ["DIR"], "presentation": "Åben tekst om æblerne.",
                   "recommendation": "Det indstilles, at sagen drøftes.",
                   "decisions": [{"body": "Direktionen", "date": date,
                                  "text": decision + " blev godkendt."}]},
                  f, ensure_ascii=False)
    cid = int(re.search(r"case (\d+)", run("case", "new", "--meeting", str(mid), path)).group(1))
    for step in ("indsend", "godkend", "saet_paa_dagsorden"):
        run("case", "step", str(cid), step, "--version", "1")
    steps = ["frigiv_dagsorden", "start", "afslut"]
    if publish:  # the round closed at once (minutes.approval_days 0), then published
        run("body", "settings", "DIR", "minutes.approval_days=0")
        steps += ["send_referat_til_godkendelse", "luk_godkendelse", "offentliggoer"]
    for step in steps:
        run("meeting", "step", str(mid), step, "--version", version(mid))
    # Its attendance (as the live part's form writes it: table attendance of schema 003).
    con = sqlite3.connect(db)
    con.execute("INSERT INTO attendance (meeting_id, pos, name, role, status, substitute, "
                "remark) VALUES (?, 0, 'Henrik Søgaard Lund', 'formand', 'present', NULL, "
                "NULL), (?, 1, 'Bettina Ærø', NULL, 'stedfortraeder', 'Åse Østergaard', NULL)",
                (mid, mid))
    con.commit()
    con.close()
    return mid, cid


def pdftotext(data):
    r = subprocess.run(["pdftotext", "-q", "-", "-"], input=data, capture_output=True,
                       timeout=60)
    check(r.returncode == 0, "pdftotext failed: %r" % r.stderr[-300:])
    return r.stdout.decode("utf-8")


RUNNING = re.compile(r"^(.*· (Referat|Dagsorden) \d\d-\d\d-\d{4}|Side \d+ af \d+)$", re.M)


def flat(s):
    """Words only: the PDF wraps lines where the model has spaces; the running head and the
    page numbers go (a paragraph may continue on the next page), and "social- og" counts as
    pdftotext joins a hyphen at a line's end ("socialog")."""
    return " ".join(RUNNING.sub("", s).split()).replace("- ", "")


def pages(data, d):
    path = os.path.join(d, "p.pdf")
    open(path, "wb").write(data)
    r = subprocess.run(["pdfinfo", path], capture_output=True, text=True, timeout=60)
    return int(re.search(r"^Pages:\s+(\d+)", r.stdout, re.M).group(1))


def qpdf_check(data, d):
    path = os.path.join(d, "q.pdf")
    open(path, "wb").write(data)
    r = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True, timeout=60)
    check(r.returncode == 0 and "No syntax or stream encoding errors" in r.stdout,
          "qpdf --check: %s %s" % (r.stdout[-400:], r.stderr[-400:]))


def uncompressed(data, d):
    src, out = os.path.join(d, "u.pdf"), os.path.join(d, "u-qdf.pdf")
    open(src, "wb").write(data)
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", src, out], check=True,
                   timeout=60)
    return open(out, "rb").read()


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    for tool in ("pdftotext", "pdfinfo", "qpdf"):
        if not shutil.which(tool):
            print("skip: %s missing (make deps-test)" % tool)
            return 77
    d = workdir()
    db = make_archive(referat, examples, d)
    con = sqlite3.connect(db)
    # The meeting and its open case with two open bilag (examples: case 2 of DIR).
    rows = con.execute("SELECT a.case_id, a.number FROM attachment a JOIN \"case\" c "
                       "ON c.id = a.case_id WHERE a.public AND c.public "
                       "ORDER BY a.case_id, a.pos").fetchall()
    con.close()
    by_case = {}
    for cid, n in rows:
        by_case.setdefault(cid, []).append(n)
    bilag_case, numbers = next((c, v) for c, v in by_case.items() if len(v) >= 2)
    # A real PDF as bilag 1: another case's PDF from the CLI; a damaged one as bilag 2.
    other = next(c for c in by_case if c != bilag_case)
    made = os.path.join(d, "bilag.pdf")
    r = subprocess.run([referat, "export", str(other), "--db", db, "--to", "pdf", "-o", made],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise SystemExit("export --to pdf: %s" % r.stderr)
    bilag = open(made, "rb").read()
    bilag_text = flat(pdftotext(bilag))
    check("ﬁ" not in bilag_text and "ﬂ" not in bilag_text, "ligatures in the text")
    con = sqlite3.connect(db)
    con.execute("INSERT OR REPLACE INTO attachment_file VALUES (?, ?, ?, ?, ?, ?)",
                (bilag_case, numbers[0], "notat.pdf", "application/pdf", "0" * 64, bilag))
    con.execute("INSERT OR REPLACE INTO attachment_file VALUES (?, ?, ?, ?, ?, ?)",
                (bilag_case, numbers[1], "skadet.pdf", "application/pdf", "0" * 64,
                 b"%PDF-1.4 damaged\n"))
    # A closed bilag of an open case carries the marker in a real PDF: never appended.
    closed = con.execute("SELECT a.case_id, a.number FROM attachment a JOIN \"case\" c "
                         "ON c.id = a.case_id WHERE NOT a.public AND c.public").fetchone()
    con.commit()
    con.close()
    held, held_case = held_meeting(referat, db, d)
    published, _ = held_meeting(referat, db, d, "2027-02-04", PUBLISHED, publish=True)
    add_user(referat, db, "sek", name="Sidse Sekretær", grants=[("DIR", "sekretaer")])
    srv = Server(referat, db)
    cl = Client(srv)
    ctx = {}
    try:
        st, _, body = cl.get("/api/meetings?per_page=100")
        meetings = [m["id"] for m in json.loads(body)["items"]]
        check(len(meetings) >= 5, "meetings: %r" % meetings)

        def meeting_of(cid):
            for mid in meetings:
                _, _, b = cl.get("/api/meetings/%d" % mid)
                if any(c["id"] == cid for c in json.loads(b)["cases"]):
                    return mid
            raise AssertionError("no meeting has case %d" % cid)

        def test_every_meeting_pdf_has_its_open_text_and_no_closed(_ctx):
            seen_closed = 0
            for mid in meetings:
                st, h, data = cl.get("/moede/%d.pdf" % mid)
                eq(st, 200, "/moede/%d.pdf" % mid)
                check(h.get("content-type", "").startswith("application/pdf"), repr(h))
                check(data.startswith(b"%PDF-"), "not a PDF")
                qpdf_check(data, d)
                text = pdftotext(data)
                words = flat(text)
                check(MARKER not in text and "KANARIE" not in text.upper(), "marker in PDF")
                _, _, mj = cl.get("/api/meetings/%d" % mid)
                m = json.loads(mj)
                check(flat(m.get("body_name") or m["body"]) in words, "body name")
                for c in m["cases"]:
                    _, _, cj = cl.get("/sag/%d.json" % c["id"])
                    model = json.loads(cj)
                    check(flat(model["title"]) in words, "title of case %d" % c["id"])
                    if not c["public"]:
                        seen_closed += 1
                        continue
                    for s in model.get("subitems", []):
                        check(flat(s["title"]) in words, "sub-item %r" % s["title"])
                        if s.get("text"):
                            check(flat(s["text"]) in words, "sub-item text %r" % s["text"][:60])
                    for para in (model.get("presentation") or "").split("\n\n"):
                        check(flat(para) in words, "presentation %r" % para[:60])
                    for para in (model.get("recommendation") or "").split("\n\n"):
                        check(flat(para) in words, "recommendation %r" % para[:60])
                    # An agenda (minutes not yet published) carries no decisions.
                    for dec in model.get("decisions", []) if "\nReferat\n" in text else []:
                        for en in dec.get("entries", []):
                            for para in (en.get("text") or "").split("\n\n"):
                                check(flat(para) in words, "decision %r" % para[:60])
            check(seen_closed >= 2, "closed cases seen: %d" % seen_closed)

        def test_bilag_pages_appended_and_damaged_one_noted(_ctx):
            mid = meeting_of(bilag_case)
            st, _, data = cl.get("/moede/%d.pdf" % mid)
            eq(st, 200)
            qpdf_check(data, d)
            words = flat(pdftotext(data))
            # The bilag's own text is in the meeting document, after the cases.
            head = bilag_text.split("Sagsfremstilling", 1)[1][:300]
            check(head in words, "bilag text missing: %r" % head)
            check("ikke en gyldig PDF" in words, "no note for the damaged bilag")
            check("vedlagt fra side" in words, "no page note for the appended bilag")
            # Without the bilag files the document is exactly the bilag's pages shorter.
            con = sqlite3.connect(db)
            saved = con.execute("SELECT * FROM attachment_file WHERE case_id = ? AND number = ?",
                                (bilag_case, numbers[0])).fetchone()
            con.execute("DELETE FROM attachment_file WHERE case_id = ? AND number = ?",
                        (bilag_case, numbers[0]))
            con.commit()
            try:
                st, _, without = cl.get("/moede/%d.pdf?dokument=referat" % mid)
                eq(st, 200)
                eq(pages(data, d) - pages(without, d), pages(bilag, d), "bilag pages")
            finally:
                con.execute("INSERT INTO attachment_file VALUES (?, ?, ?, ?, ?, ?)", saved)
                con.commit()
                con.close()

        def test_bookmarks_and_links(_ctx):
            mid = meeting_of(bilag_case)
            _, _, data = cl.get("/moede/%d.pdf" % mid)
            raw = uncompressed(data, d)
            check(b"/Outlines" in raw, "no bookmarks")
            check(raw.count(b"/Subtype /Link") >= 2, "no links")
            check(b"/Dest" in raw or b"/D " in raw, "no internal link")
            check(b"/URI" in raw, "no link to the portal")

        def test_agenda_has_no_decisions(_ctx):
            mid = meeting_of(bilag_case)  # minutes with decisions (and the bilag has some)
            _, _, data = cl.get("/moede/%d.pdf?dokument=referat" % mid)
            _, _, agenda = cl.get("/moede/%d.pdf?dokument=dagsorden" % mid)
            in_bilag = pdftotext(bilag).count("Beslutning i")
            check(pdftotext(data).count("Beslutning i") > in_bilag, "minutes without decisions")
            text = pdftotext(agenda)
            eq(text.count("Beslutning i"), in_bilag, "decisions in the agenda")
            check("Dagsorden" in text, "not the agenda")

        def test_case_pdf_public_view(_ctx):
            con = sqlite3.connect(db)
            ids = [r[0] for r in con.execute("SELECT id FROM \"case\" ORDER BY id")]
            closed_ids = [r[0] for r in con.execute("SELECT id FROM \"case\" WHERE NOT public")]
            con.close()
            for cid in ids:
                st, h, data = cl.get("/sag/%d.pdf" % cid)
                eq(st, 200, "/sag/%d.pdf" % cid)
                qpdf_check(data, d)
                text = pdftotext(data)
                check(MARKER not in text, "marker in /sag/%d.pdf" % cid)
                if cid in closed_ids:
                    check("Lukket sag" in text, "closed case %d" % cid)

        def test_cli_export_and_danish_letters(_ctx):
            out = os.path.join(d, "cli.pdf")
            r = subprocess.run([referat, "export", str(bilag_case), "--db", db, "--to", "pdf",
                                "-o", out], capture_output=True, text=True, timeout=60)
            eq(r.returncode, 0, r.stderr)
            data = open(out, "rb").read()
            qpdf_check(data, d)
            text = pdftotext(data)
            check(re.search("[æøåÆØÅ]", text), "no Danish letters in %r" % text[:200])
            _, _, cj = cl.get("/sag/%d.json" % bilag_case)
            check(flat(json.loads(cj)["title"]) in flat(text), "title")

        def test_pages_link_the_pdfs(_ctx):
            mid = meeting_of(bilag_case)
            _, _, page = cl.get("/moede/%d" % mid)
            check(b'href="/moede/%d.pdf"' % mid in page, "meeting page has no PDF link")
            _, _, page = cl.get("/sag/%d" % bilag_case)
            check(b'href="/sag/%d.pdf"' % bilag_case in page, "case page has no PDF link")

        def test_bad_requests(_ctx):
            for path, want in [("/moede/abc.pdf", 404), ("/moede/999999.pdf", 404),
                               ("/moede/.pdf", 404), ("/sag/999999.pdf", 404),
                               ("/moede/%d.pdf?dokument=noget" % meetings[0], 400)]:
                st, h, body = cl.get(path)
                eq(st, want, path)
                check("html" in h.get("content-type", ""), "%s: an error page" % path)

        def test_unpublished_minutes_never_public(_ctx):
            st, _, data = cl.get("/moede/%d.pdf" % held)
            eq(st, 200)
            qpdf_check(data, d)
            text = pdftotext(data)
            check("Dagsorden" in text and "Forfattet sag om æbler" in flat(text), "agenda")
            check(UNPUBLISHED not in text, "unpublished decision in the public agenda")
            check("Fremmøde" not in text, "the agenda has no attendance")
            st, _, _ = cl.get("/moede/%d.pdf?dokument=referat" % held)
            eq(st, 404, "the public asks for unpublished minutes")
            st, _, data = cl.get("/sag/%d.pdf" % held_case)
            eq(st, 200)
            check(UNPUBLISHED not in pdftotext(data), "unpublished decision in /sag/ID.pdf")

        def test_published_minutes_are_public(_ctx):
            st, _, data = cl.get("/moede/%d.pdf" % published)
            eq(st, 200)
            qpdf_check(data, d)
            text = pdftotext(data)
            check("Referat" in text and PUBLISHED in flat(text), "published minutes' decision")
            st, _, data = cl.get("/moede/%d.pdf?dokument=dagsorden" % published)
            check(PUBLISHED not in pdftotext(data), "the agenda has no decisions")

        def test_body_sees_its_minutes_privately(_ctx):
            sek = Client(srv)
            sek.login("sek")
            st, h, data = sek.get("/moede/%d.pdf" % held)
            eq(st, 200)
            text = pdftotext(data)
            check("Referat" in text and UNPUBLISHED in flat(text), "the sekretær's preview")
            check("Fremmøde" in text and "Henrik Søgaard Lund (formand): Til stede" in text and
                  "Bettina Ærø: Stedfortræder (Åse Østergaard)" in text, "attendance")
            check("no-store" in h.get("cache-control", ""), "a staff PDF is not cached")
            st, _, data = sek.get("/sag/%d.pdf" % held_case)
            check(UNPUBLISHED in pdftotext(data), "the sekretær's case PDF")

        def test_cached_public_only(_ctx):
            _, h, _ = cl.get("/moede/%d.pdf" % meetings[0])
            check("no-store" not in h.get("cache-control", ""), "public PDF not cacheable")

        runner = Runner()
        runner.run_all(locals(), ctx)
        return runner.report()
    finally:
        srv.stop()
        cleanup(d)


if __name__ == "__main__":
    sys.exit(main())
