"""web_server: end-to-end tests of `referat serve`: pages, API, feeds, exports, status codes,
security headers, hostile requests, slow clients, the access log and graceful shutdown.

usage: web_server.py REFERAT EXAMPLES_DIR [NAME_REGEX]"""

import json
import sqlite3
import html as htmlmod
import re
import signal
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET

from web_common import (Ctx, MARKER, Runner, Server, add_attachment_files, check, cleanup, eq,
                        make_archive, raw_status, workdir)

ATOM = "{http://www.w3.org/2005/Atom}"





def html(ctx, path, status=200):
    st, h, body = ctx.srv.get(path)
    eq(st, status, path)
    check(h["content-type"].startswith("text/html"), path + " content type " + h["content-type"])
    return body.decode()


def api(ctx, path, status=200):
    st, h, body = ctx.srv.get(path)
    eq(st, status, path)
    eq(h["content-type"], "application/json; charset=utf-8", path)
    return json.loads(body)


def case_ids(ctx):
    """{key: (id, public)} for every case, through the paged API."""
    out, url = {}, "/api/cases?per_page=3"
    while url:
        page = api(ctx, url)
        for c in page["items"]:
            out[c["key"]] = (c["id"], c["public"])
        url = page["next"]
    return out


# ---- pages ----

def test_front_page(ctx):
    body = html(ctx, "/")
    check('<html lang="da">' in body, "lang=da")
    check('<a class="skip" href="#indhold">' in body, "skip link")
    check('<main id="indhold"' in body, "main landmark")
    for name in ["Direktionen", "Økonomiudvalget", "Kommunalbestyrelsen",
                 "Fritids- og Kulturudvalget", "Teknik- og Miljøudvalget"]:
        check(name in body, "body " + name)
    check('<a href="/organ/%C3%98K">Økonomiudvalget</a>' in body, "ØK link percent-encoded")
    check("Seneste møder" in body, "latest meetings")
    # Newest first: the ØK meeting of 12 March 2025 comes before DIR's of 11 December 2024.
    check(body.index("12. marts 2025") < body.index("11. december 2024"), "newest first")
    check('action="/soeg"' in body and 'name="q"' in body, "search box")


def test_security_headers(ctx):
    for path in ["/", "/sag/1", "/api/bodies", "/nope", "/static/referat.css", "/atom.xml"]:
        st, h, _ = ctx.srv.get(path)
        csp = h.get("content-security-policy", "")
        check("default-src 'none'" in csp and "script-src" not in csp, path + " CSP " + csp)
        eq(h.get("x-content-type-options"), "nosniff", path)
        check("referrer-policy" in h, path + " Referrer-Policy")
    st, h, _ = ctx.srv.get("/")
    check("style-src 'self'" in h["content-security-policy"], "style from self only")


def test_stylesheet(ctx):
    st, h, body = ctx.srv.get("/static/referat.css")
    eq(st, 200)
    eq(h["content-type"], "text/css; charset=utf-8")
    check(b"@media print" in body and b"@media (max-width" in body, "print and phone CSS")
    check(b":focus-visible" in body, "focus style")


def test_body_page_by_year(ctx):
    body = html(ctx, "/organ/DIR")
    for y in ["2023", "2024"]:
        check('<h2 id="aar-%s">%s</h2>' % (y, y) in body, "year heading " + y)
    check('href="/organ/DIR/2024"' in body, "year link")
    y2023 = html(ctx, "/organ/DIR/2023")
    check("15. marts 2023" in y2023 and "21. februar 2024" not in y2023, "2023 only")
    html(ctx, "/organ/DIR/1999", 404)
    html(ctx, "/organ/DIR/20x3", 404)
    html(ctx, "/organ/NOPE", 404)
    ok = html(ctx, "/organ/%C3%98K")
    check("<h1>Økonomiudvalget" in ok, "UTF-8 body code in URL")


def test_meeting_page_timetable(ctx):
    ids = case_ids(ctx)
    cid = ids["10-mange-punkter"][0]
    ref = api(ctx, "/api/cases/%d" % cid)
    meetings = api(ctx, "/api/meetings?body=DIR&year=2024")["items"]
    mid = next(m["id"] for m in meetings if m["date"] == ref["date"])
    body = html(ctx, "/moede/%d" % mid)
    check("Tidsplan" in body and '<td class="time">' in body, "timetable")
    times = re.findall(r'<td class="time">([0-9.]+)</td>', body)
    eq(len(times), 9, "nine timed sub-items")
    eq(times, sorted(times, key=lambda t: [int(x) for x in t.split(".")]), "sorted by time")
    check('href="/sag/%d#punkt-1"' % cid in body, "links to sub-item anchor")
    html(ctx, "/moede/999999", 404)
    html(ctx, "/moede/abc", 404)
    # The agenda names each case's first sub-items, so many "Punkter til behandling" differ.
    subs = [x["title"] for x in api(ctx, "/api/cases/%d" % cid)["case"]["subitems"]]
    check(len(subs) > 3, "many sub-items")
    want = "Punkter: " + " · ".join(subs[:3]) + " og %d til" % (len(subs) - 3)
    check(want in htmlmod.unescape(body), "sub-items in the agenda list: %r" % want)
    j = api(ctx, "/api/meetings/%d" % mid)
    eq(len(j["timetable"]), 9, "API timetable")
    eq(j["cases"][0]["id"], cid, "API meeting cases")


def test_case_page_sections(ctx):
    cid = case_ids(ctx)["01-digitaliseringsstrategi"][0]
    body = html(ctx, "/sag/%d" % cid)
    for h in ["Sagsfremstilling", "Indstilling", "Beslutning", "Bilag", "Hent sagen"]:
        check(">%s</h2>" % h in body, "section " + h)
    check('<tr id="punkt-1"><td class="time">09.00</td>' in body, "sub-item with time")
    check("Søren Kjærgaard Nissen</a>, Chef for IT og Digitalisering" in body, "guest and role")
    check("Beslutning i Direktionen den" in body, "decision heading")
    check('<span class="tag open">Åben</span>' in body, "follow-up status")
    check("Journalnummer 31207/23" in body, "open attachment journal number")
    for ext in ["md", "txt", "json", "html"]:
        check('href="/sag/%d.%s"' % (cid, ext) in body, "export link " + ext)


def test_closed_case_page(ctx):
    cid, public = case_ids(ctx)["04-lukkede-personalepunkter"]
    eq(public, False, "case 04 is closed")
    body = html(ctx, "/sag/%d" % cid)
    check("Lukkede punkter til behandling" in body, "closed title shown")
    check("Lukket sag." in body, "closed note")
    check("Sagsfremstilling" not in body and "Bilag" not in body, "nothing else")
    check(MARKER not in body, "no marker")


def test_case_exports(ctx):
    cid = case_ids(ctx)["01-digitaliseringsstrategi"][0]
    types = {"md": "text/markdown; charset=utf-8", "txt": "text/plain; charset=utf-8",
             "json": "application/json; charset=utf-8", "html": "text/html; charset=utf-8"}
    for ext, t in types.items():
        st, h, body = ctx.srv.get("/sag/%d.%s" % (cid, ext))
        eq(st, 200, ext)
        eq(h["content-type"], t, ext)
        check("Punkter til behandling" in body.decode(), ext + " has the title")
    # The .html export carries its own inline stylesheet; its CSP allows that and no script.
    _, h, _ = ctx.srv.get("/sag/%d.html" % cid)
    check("style-src 'unsafe-inline'" in h["content-security-policy"], "export CSP")
    # The JSON export is the JSON writer's output; the API's "case" is the same document.
    _, _, j = ctx.srv.get("/sag/%d.json" % cid)
    eq(json.loads(j), api(ctx, "/api/cases/%d" % cid)["case"], "API case == JSON export")
    # issue 10, pdf: .pdf is an export now (tests/e2e/web_pdf.py); .odt is not
    eq(ctx.srv.get("/sag/%d.odt" % cid)[0], 404, "unknown export")
    closed = case_ids(ctx)["11-lukket-grundsalg"][0]
    for ext in types:
        st, _, body = ctx.srv.get("/sag/%d.%s" % (closed, ext))
        eq(st, 200, "closed export " + ext)
        check(MARKER.encode() not in body, "closed export without marker " + ext)


def test_attachment_download(ctx):
    oc, on, cc, cn = ctx.files
    check(oc is not None and cc is not None, "examples have open and closed attachments")
    st, h, body = ctx.srv.get("/sag/%d/bilag/%d" % (oc, on))
    eq(st, 200, "open attachment")
    eq(body, b"%PDF-1.4 test\n", "file bytes")
    eq(h["content-type"], "application/pdf")
    cd = h["content-disposition"]
    check(cd.startswith("attachment; filename=\"") and "/" not in cd and cd.count('"') == 2,
          "sanitised file name: " + cd)
    page = html(ctx, "/sag/%d" % oc)
    check('href="/sag/%d/bilag/%d" download' % (oc, on) in page, "download link on case page")
    st, _, body = ctx.srv.get("/sag/%d/bilag/%d" % (cc, cn))
    eq(st, 404, "closed attachment file")
    check(MARKER.encode() not in body, "closed file bytes not served")
    eq(ctx.srv.get("/sag/%d/bilag/99" % oc)[0], 404, "no such attachment")
    for bad in ["/sag/%d/bilag/../../etc/passwd" % oc, "/sag/%d/bilag/%%2e%%2e" % oc]:
        st, _, _ = ctx.srv.get(bad)
        eq(st, 400, "traversal " + bad)


def d7_closed_attachment_same_answer(ctx):
    """D7 (issue 13): a closed attachment answered 403 when a file was stored and 404 when not.
    Every closed attachment, with or without a file, every number a case does not list, and an
    open attachment without a file must answer the public alike."""
    oc, on, cc, cn = ctx.files
    con = sqlite3.connect(ctx.db)
    try:
        rows = con.execute("SELECT a.case_id, a.number, a.public FROM attachment a "
                           "WHERE NOT EXISTS (SELECT 1 FROM attachment_file f "
                           "WHERE f.case_id = a.case_id AND f.number = a.number) "
                           "ORDER BY a.case_id, a.pos").fetchall()
    finally:
        con.close()
    closed_nofile = next(((c, n) for c, n, p in rows if not p), None)
    open_nofile = next(((c, n) for c, n, p in rows if p), None)
    check(closed_nofile and open_nofile, "examples have attachments without files")
    paths = ["/sag/%d/bilag/%d" % (cc, cn),  # closed, file stored
             "/sag/%d/bilag/%d" % closed_nofile,  # closed, no file
             "/sag/%d/bilag/%d" % open_nofile,  # open, no file
             "/sag/%d/bilag/99" % oc]  # not listed
    answers = set()
    for p in paths:
        st, h, body = ctx.srv.get(p)
        answers.add((st, h.get("content-type"), body))
    eq(len(answers), 1, "one answer for every attachment the public may not have")
    eq(next(iter(answers))[0], 404, "that answer")


def test_search(ctx):
    body = html(ctx, "/soeg?q=budgetseminar")
    m = re.search(r"(\d+) resultat", body)
    check(m and int(m.group(1)) >= 1, "results for budgetseminar")
    check("<mark>" in body, "highlighted snippet")
    j = api(ctx, "/api/search?q=budgetseminar")
    check(j["total"] >= 1, "API search")
    for hit in api(ctx, "/api/search?q=budget&per_page=100")["items"]:
        # Every hit leads to its case page, and a sub-item hit to that sub-item's row.
        check(hit["case_id"] >= 1, "hit has a case: %r" % hit)
        path, _, frag = hit["url"].partition("#")
        eq(path, "/sag/%d" % hit["case_id"], "hit url")
        page = html(ctx, path)
        if hit["subitem"]:
            eq(frag, "punkt-%d" % hit["subitem"], "hit anchor")
            check('id="%s"' % frag in page, "sub-item %s on %s" % (frag, path))
    # Filters: the body filter and the dates narrow the hits.
    none = html(ctx, "/soeg?q=budgetseminar&organ=TM")
    check("Ingen resultater for «budgetseminar»" in none, "body filter")
    check("Søg uden filtre" in none, "zero-result help offers dropping filters")
    late = api(ctx, "/api/search?q=budgetseminar&from=2030-01-01")
    eq(late["total"], 0, "date filter")
    html(ctx, "/soeg?q=x&fra=2023-13-01", 400)
    html(ctx, "/soeg?q=x&organ=NOPE", 400)
    api(ctx, "/api/search", 400)
    api(ctx, "/api/search?q=x&from=ig%C3%A5r", 400)
    zero = html(ctx, "/soeg?q=zzzqqqxxx")
    check("Ingen resultater" in zero and "Gode råd" in zero, "zero-result help")
    empty = html(ctx, "/soeg")
    check('id="organ"' in empty and 'type="date"' in empty, "filters on the form")


def test_search_paging(ctx):
    j = api(ctx, "/api/search?q=direktionen&per_page=1")
    check(j["total"] >= 2, "several hits for direktionen")
    check(j["next"] and "page=2" in j["next"], "next page link")
    j2 = api(ctx, j["next"])
    eq(j2["page"], 2)
    check(j2["items"][0] != j["items"][0], "page 2 differs")
    body = html(ctx, "/soeg?q=direktionen")
    check("resultat" in body, "html search")


def test_followups_and_person(ctx):
    body = html(ctx, "/opfoelgning")
    check("Ledelsessekretariatet" in body, "owner group")
    check("Pernille Vestergaard Krogh" not in body, "no owner from a closed case only")
    j = api(ctx, "/api/followups?status=all&per_page=100")
    check(j["total"] >= 5, "follow-ups")
    check(all(f["case_id"] not in ctx.closed for f in j["items"]), "no closed follow-ups")
    owner = "Ledelsessekretariatet"
    j = api(ctx, "/api/followups?owner=" + owner)
    check(j["items"] and all(f["owner"] == owner for f in j["items"]), "owner filter")
    api(ctx, "/api/followups?status=maybe", 400)
    html(ctx, "/opfoelgning?status=maybe", 400)
    m = re.search(r'<a href="/person/(\d+)">Ledelsessekretariatet</a>', body)
    check(m, "owner links to person")
    person = html(ctx, "/person/" + m.group(1))
    check("<h1>Ledelsessekretariatet</h1>" in person and "Ansvarlig for opfølgning" in person,
          "person page")
    html(ctx, "/person/999999", 404)


def test_api_paging_and_errors(ctx):
    j = api(ctx, "/api/cases?per_page=2")
    eq(len(j["items"]), 2)
    eq(j["total"], 11, "eleven cases")
    eq(j["pages"], 6)
    eq(j["prev"], None)
    eq(j["next"], "/api/cases?per_page=2&page=2")
    last = api(ctx, "/api/cases?per_page=2&page=6")
    eq(len(last["items"]), 1)
    eq(last["next"], None)
    api(ctx, "/api/cases?page=0", 400)
    api(ctx, "/api/cases?per_page=1000", 400)
    api(ctx, "/api/cases/999999", 404)
    api(ctx, "/api/nope", 404)
    b = api(ctx, "/api/bodies")
    eq(sorted(x["code"] for x in b["items"]), ["DIR", "FU", "KB", "TM", "ØK"])
    idx = api(ctx, "/api")
    check("search" in idx["resources"], "API index")


def test_feeds(ctx):
    st, h, body = ctx.srv.get("/atom.xml", headers={"Host": "localhost:%d" % ctx.srv.port})
    eq(st, 200)
    eq(h["content-type"], "application/atom+xml; charset=utf-8")
    feed = ET.fromstring(body)
    entries = feed.findall(ATOM + "entry")
    eq(len(entries), 10, "decided cases (the agenda is not minutes)")
    link = entries[0].find(ATOM + "link").get("href")
    check(link.startswith("http://localhost:%d/sag/" % ctx.srv.port), "absolute link " + link)
    st, _, body = ctx.srv.get("/organ/DIR/atom.xml")
    eq(st, 200)
    check(len(ET.fromstring(body).findall(ATOM + "entry")) >= 5, "DIR entries")
    eq(ctx.srv.get("/organ/NOPE/atom.xml")[0], 404)
    # A hostile Host header never reaches the feed.
    _, _, body = ctx.srv.get("/atom.xml", headers={"Host": "x\"><script>"})
    check(b"<script>" not in body, "host header sanitised")
    st, h, ics = ctx.srv.get("/organ/DIR/kalender.ics")
    eq(st, 200)
    eq(h["content-type"], "text/calendar; charset=utf-8")
    text = ics.decode().replace("\r\n ", "")  # unfold lines
    check(text.startswith("BEGIN:VCALENDAR\r\n") and "VERSION:2.0" in text, "calendar")
    eq(text.count("BEGIN:VEVENT"), 7, "seven DIR meetings")
    check("DTSTART;VALUE=DATE:20230315" in text, "all-day event")
    check("Tidsplan:\\n09.00 Digitaliseringsstrategi" in text, "timed sub-items in description")
    check(MARKER not in text, "no marker in calendar")
    # ---- issue 11, archive routes: the feed reads every meeting's cases and times at once
    # (sqlite_feed.c); each event still tells its own meeting's, as the meeting's API does ----
    st, _, ics = ctx.srv.get("/kalender.ics")
    eq(st, 200)
    events = ics.decode().replace("\r\n ", "").split("BEGIN:VEVENT")[1:]
    check(len(events) >= 10, "events in /kalender.ics: %d" % len(events))
    for ev in events:
        mid = re.search(r"URL:\S*/moede/(\d+)", ev).group(1)
        desc = re.search(r"DESCRIPTION:([^\r\n]*)", ev).group(1).replace("\\n", "\n")
        desc = desc.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
        m = api(ctx, "/api/meetings/" + mid)
        listed = re.findall(r"^\d+\. (.*?)(?: \(lukket sag\))?(?: \(tillægsdagsorden\))?$",
                            desc.split("\n\nTidsplan:")[0], re.M)
        eq(listed, [c["title"] for c in m["cases"]], "cases of meeting %s in the calendar" % mid)
        times = ["%s %s" % (t["time"], t["title"]) for t in m["timetable"]][:20]
        shown = desc.split("\n\nTidsplan:\n")[1].split("\n") if "Tidsplan:" in desc else []
        shown = [x for x in shown if x and not x.startswith("... og flere")]
        eq(shown, times, "timetable of meeting %s in the calendar" % mid)
    eq(ctx.srv.get("/organ/NOPE/kalender.ics")[0], 404)


# ---- protocol, limits and hostile input ----

def test_status_pages(ctx):
    body = html(ctx, "/findes/ikke", 404)
    check("Siden findes ikke" in body and 'href="/soeg"' in body, "helpful 404 in Danish")
    st, h, body = ctx.srv.get("/", method="POST", body=b"a=1")
    eq(st, 405)
    eq(h.get("allow"), "GET, HEAD")
    check("Metoden er ikke tilladt" in body.decode(), "405 page")
    eq(ctx.srv.get("/", method="DELETE")[0], 405)
    # An upload is refused before it is read: the answer comes while the body is unsent.
    s = socket.create_connection(("127.0.0.1", ctx.srv.port), timeout=5)
    s.sendall(b"POST /soeg HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n" +
              b"a" * 1000)
    eq(raw_status(s.recv(100)), 405, "early 405")
    s.close()
    st, _, body = ctx.srv.get("/", body=b"abc")
    eq(st, 400, "GET with a body")
    st, h, _ = ctx.srv.get("/organ/DIR/")
    eq(st, 301)
    eq(h["location"], "/organ/DIR")
    st, h, body = ctx.srv.get("/", method="HEAD")
    eq(st, 200)
    eq(body, b"", "HEAD has no body")
    check(int(h["content-length"]) > 1000, "HEAD has the length")


def test_bad_urls(ctx):
    for path in ["/sag/%00", "/soeg?q=%00", "/soeg?q=%FF%FE", "/sag/%C0%AF", "/soeg?q=%zz",
                 "/sag/1/%2e%2e/%2e%2e", "/soeg?q=a%0Ab", "/%ED%A0%80"]:
        st, h, body = ctx.srv.get(path)
        eq(st, 400, path)
        check("Forespørgslen kunne ikke forstås" in body.decode(), path + " Danish 400")
    resp = ctx.srv.raw(b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    eq(raw_status(resp), 400, "raw ..")
    resp = ctx.srv.raw(b"GET sag HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(raw_status(resp) in (400, 404), "target without slash: %r" % resp[:40])


def test_malformed_requests(ctx):
    for data in [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,  # TLS hello
                 b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                 b"GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n"]:
        resp = ctx.srv.raw(data)
        st = raw_status(resp)
        check(st is None or 400 <= st < 500 or st == 505, "%r -> %r" % (data[:20], resp[:60]))
    big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n"
    st = raw_status(ctx.srv.raw(big))
    check(st in (413, 431, None), "huge header -> %r" % st)
    long_url = b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    st = raw_status(ctx.srv.raw(long_url))
    check(st in (414, 431, None), "huge URL -> %r" % st)
    many = b"GET /soeg?" + b"&".join(b"a%d=1" % i for i in range(100)) + \
        b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    eq(raw_status(ctx.srv.raw(many)), 400, "too many arguments")
    eq(ctx.srv.get("/")[0], 200, "still serving")


def test_slow_client_does_not_stall(ctx):
    # A client trickling its header must neither block others nor hold its slot forever
    # (the server runs with --timeout 2).
    s = socket.create_connection(("127.0.0.1", ctx.srv.port))
    s.sendall(b"GET / HTTP/1.1\r\n")
    t0 = time.monotonic()
    for _ in range(20):
        eq(ctx.srv.get("/sag/1")[0], 200, "others are served")
    check(time.monotonic() - t0 < 2, "others are served quickly")
    # Trickle one byte every 0.3 s: each byte resets an idle timeout, the head deadline not.
    got = b""
    s.settimeout(0.3)
    while time.monotonic() - t0 < 8 and not got:
        try:
            s.sendall(b"X")
        except OSError:
            pass
        try:
            got = s.recv(4096)
            if not got:
                got = b"<closed>"
        except socket.timeout:
            pass
        except OSError:
            got = b"<reset>"
    elapsed = time.monotonic() - t0
    s.close()
    check(got.startswith(b"HTTP/1.1 408"), "slow client answered 408: %r" % got[:40])
    check(1.5 < elapsed < 4, "dropped after the 2 s head deadline: %.1f s" % elapsed)


def test_many_concurrent_requests(ctx):
    errors = []

    def worker():
        try:
            c = __import__("http.client").client.HTTPConnection("127.0.0.1", ctx.srv.port,
                                                              timeout=10)
            for _ in range(20):  # keep-alive: 20 requests on one connection
                c.request("GET", "/sag/1")
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    errors.append(r.status)
            c.close()
        except Exception as e:  # any failure counts
            errors.append(repr(e))
    ts = [threading.Thread(target=worker) for _ in range(50)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    eq(errors, [], "1000 keep-alive requests on 50 connections")


def test_access_log(ctx):
    ctx.srv.get("/sag/1?x=1")
    time.sleep(0.2)
    line = next((l for l in reversed(ctx.srv.log) if "/sag/1?x=1" in l), "")
    check(re.match(r"^127\.0\.0\.1 GET /sag/1\?x=1 200 \d+ \d+\.\d\dms( cached)?$",
                   line.strip()), "access log line: %r" % line)
    ctx.srv.get("/sag/%00")
    time.sleep(0.2)
    check(any(re.search(r"GET /sag/%00 400 ", l) for l in ctx.srv.log), "400 logged")


def test_graceful_shutdown(ctx):
    srv = Server(ctx.referat, ctx.db, ["--timeout", "10"])
    try:
        # A request in flight: its head is not complete yet when the signal arrives.
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        s.sendall(b"GET /sag/1 HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.2)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        refused = False
        try:
            socket.create_connection(("127.0.0.1", srv.port), timeout=1).close()
        except OSError:
            refused = True
        check(refused, "no new connections after SIGTERM")
        check(srv.proc.poll() is None, "still finishing the request in flight")
        s.sendall(b"Connection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        eq(raw_status(data), 200, "request in flight answered")
        m = re.search(rb"Content-Length: (\d+)\r\n", data)
        head, _, body = data.partition(b"\r\n\r\n")
        eq(len(body), int(m.group(1)), "whole body")
        eq(srv.proc.wait(timeout=10), 0, "exit status")
    finally:
        srv.stop(signal.SIGKILL)


def test_cache_follows_imports(ctx):
    # Pages are cached until the archive changes: an import by another process (here a
    # changed title, then the case turned closed) shows on the very next request.
    import os
    import shutil
    import subprocess
    d = os.path.join(ctx.dir, "cache")
    os.makedirs(d)
    db = make_archive(ctx.referat, ctx.examples, d)
    srv = Server(ctx.referat, db, ["--quiet"])
    try:
        listing = json.loads(srv.get("/api/cases?per_page=100")[2])["items"]
        ids = {c["key"]: c["id"] for c in listing}
        cid = ids["01-digitaliseringsstrategi"]
        first = srv.get("/sag/%d" % cid)[2].decode()
        check(first == srv.get("/sag/%d" % cid)[2].decode(), "same page twice")
        check("Kommunerne har en central rolle" in first, "open text shown")
        with open(os.path.join(ctx.examples, "01-digitaliseringsstrategi.md"),
                  encoding="utf-8") as f:
            src = f.read()
        changed = os.path.join(d, "01-digitaliseringsstrategi.md")

        def reimport(text):
            with open(changed, "w", encoding="utf-8") as f:
                f.write(text)
            r = subprocess.run([ctx.referat, "import", "--db", db, "--quiet", changed],
                               capture_output=True, text=True, timeout=60)
            eq(r.returncode, 0, "import: " + r.stderr)
        reimport(src.replace("## **Punkter til behandling**",
                             "## **Punkter til behandling, rettet**"))
        page = srv.get("/sag/%d" % cid)[2].decode()
        check("Punkter til behandling, rettet" in page, "new title at once")
        reimport(src.replace("*Åben Sag*", "*Lukket Sag*"))
        page = srv.get("/sag/%d" % cid)[2].decode()
        check("Lukket sag." in page and "Kommunerne har en central rolle" not in page,
              "closed at once")
        j = srv.get("/api/cases/%d" % cid)[2].decode()
        check("Kommunerne har en central rolle" not in j, "API closed at once")
        shutil.rmtree(d, ignore_errors=True)
    finally:
        srv.stop()


def test_valueless_arguments(ctx):
    # Found by fuzz_url: arguments without "=" ("?a&b&c&d&e") decoded past the end of the
    # request's buffer (a heap overflow ASan reports; the server under ASan aborted).
    for path in ["/soeg?a&b&c&d&e&f&g&h", "/api/cases?" + "&".join("k%d" % i for i in range(31)),
                 "/?" + "&".join("a" * 3 for _ in range(30))]:
        eq(ctx.srv.get(path)[0], 200, path)


def warm(ctx):
    """Requests on many connections at once, so that every worker thread has looked at the
    archive's version (a thread's first look empties the page cache)."""
    ts = [threading.Thread(target=ctx.srv.get, args=("/robots.txt",)) for _ in range(40)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def logged(ctx, path):
    time.sleep(0.1)
    return next((l.strip() for l in reversed(ctx.srv.log) if " %s " % path in l), "")


def d3_unknown_arguments_share_the_cache(ctx):
    """D3 (issue 13): every unknown argument (/opfoelgning?x=1) made a page cache entry of its
    own and a fresh rendering. Arguments a route does not read are dropped before the cache key
    is made, known ones are put in one order, so all of these are one page, rendered once.
    Its own server with one worker thread: a thread's first look at the archive empties the
    page cache, and warm() cannot make sure that every thread of a pool has looked (under
    load one thread may accept all its connections)."""
    main_srv = ctx.srv
    ctx.srv = Server(ctx.referat, ctx.db, ["--threads", "1", "--timeout", "10"])
    try:
        _d3_one_cache(ctx)
    finally:
        ctx.srv.stop()
        ctx.srv = main_srv


def _d3_one_cache(ctx):
    warm(ctx)
    for _ in range(3):
        ctx.srv.get("/opfoelgning?status=alle")
    want = ctx.srv.get("/opfoelgning?status=alle")[2]
    check(logged(ctx, "/opfoelgning?status=alle").endswith(" cached"), "the page is cached")
    for path in ["/opfoelgning?status=alle&x=1", "/opfoelgning?utm_source=nyhedsbrev&status=alle",
                 "/opfoelgning?x=%d&status=alle&y=2" % time.time_ns(),
                 "/opfoelgning?status=alle&status=aabne", "/opfoelgning?status=&status=alle",
                 "/opfoelgning?side=&status=alle"]:
        st, _, body = ctx.srv.get(path)
        eq(st, 200, path)
        check(body == want, path + ": the same page")
        line = logged(ctx, path)
        check(line.endswith(" cached"), "%s: from the cache: %r" % (path, line))
    # Known arguments in any order are one key too; unknown ones never reach a page's links.
    a = "/opfoelgning?status=alle&ansvarlig=Direktionen"
    b = "/opfoelgning?ansvarlig=Direktionen&status=alle"
    ctx.srv.get(a)
    eq(ctx.srv.get(b)[2], ctx.srv.get(a)[2], "argument order")
    check(logged(ctx, b).endswith(" cached"), "other order from the cache")
    page = api(ctx, "/api/cases?per_page=2&utm_source=x")
    check("utm_source" not in (page["next"] or ""), "unknown argument not in API links")
    check("per_page=2" in page["next"], "known argument kept in API links")


def etag_of(h):
    return h.get("etag", "")


def d15_pages_revalidate(ctx):
    """D15 (issue 13): pages had no Cache-Control or validator, so a browser or proxy kept a
    page after its case turned closed. Public pages say no-cache and carry a strong ETag of
    their body; If-None-Match answers 304; a closed case changes the tag."""
    for path in ["/", "/sag/1", "/api/cases", "/atom.xml", "/soeg?q=budget"]:
        st, h, body = ctx.srv.get(path)
        eq(st, 200, path)
        eq(h.get("cache-control"), "no-cache", path)
        tag = etag_of(h)
        check(re.fullmatch(r'"[0-9a-f]{32}"', tag), path + " strong ETag " + tag)
        st, h2, body2 = ctx.srv.get(path, headers={"If-None-Match": tag})
        eq(st, 304, path + " revalidated")
        eq(body2, b"", path + " 304 has no body")
        eq(etag_of(h2), tag, path + " 304 names the tag")
        eq(h2.get("cache-control"), "no-cache", path + " 304 Cache-Control")
        for inm in ['W/' + tag, '"x", ' + tag, "*"]:
            eq(ctx.srv.get(path, headers={"If-None-Match": inm})[0], 304, path + " " + inm)
        st, _, body3 = ctx.srv.get(path, headers={"If-None-Match": '"0123"'})
        eq(st, 200, path + " other tag")
        eq(body3, body, path + " same body")
    st, h, _ = ctx.srv.get("/static/referat.css")
    eq(h.get("cache-control"), "public, max-age=3600", "the stylesheet keeps its own policy")
    check(etag_of(h), "the stylesheet has a tag")
    st, h, _ = ctx.srv.get("/sag/999999")
    eq(st, 404)
    eq(h.get("cache-control"), "no-cache", "errors are revalidated too")
    check("etag" not in h, "no tag on an error")
    # The tag follows the archive: the case turned closed gets a new one, so a revalidating
    # browser or proxy gets the closed page.
    import os
    import subprocess
    d = os.path.join(ctx.dir, "d15")
    os.makedirs(d)
    db = make_archive(ctx.referat, ctx.examples, d)
    srv = Server(ctx.referat, db, ["--quiet"])
    try:
        ids = {c["key"]: c["id"] for c in
               json.loads(srv.get("/api/cases?per_page=100")[2])["items"]}
        path = "/sag/%d" % ids["01-digitaliseringsstrategi"]
        _, h, _ = srv.get(path)
        tag = etag_of(h)
        eq(srv.get(path, headers={"If-None-Match": tag})[0], 304, "unchanged")
        with open(os.path.join(ctx.examples, "01-digitaliseringsstrategi.md"),
                  encoding="utf-8") as f:
            src = f.read()
        changed = os.path.join(d, "01-digitaliseringsstrategi.md")
        with open(changed, "w", encoding="utf-8") as f:
            f.write(src.replace("*Åben Sag*", "*Lukket Sag*"))
        r = subprocess.run([ctx.referat, "import", "--db", db, "--quiet", changed],
                           capture_output=True, text=True, timeout=60)
        eq(r.returncode, 0, "import: " + r.stderr)
        st, h, body = srv.get(path, headers={"If-None-Match": tag})
        eq(st, 200, "a closed case is not 'not modified'")
        check("Lukket sag." in body.decode(), "the closed page")
        check(etag_of(h) != tag, "a new tag")
    finally:
        srv.stop()


def d16_feed_links_ignore_foreign_host(ctx):
    """D16 (issue 13): feed links took any Host header and always said http://. Without a
    configured base URL they name the address the client reached; with --base-url, that."""
    port = ctx.srv.port
    for host in ["evil.example", "evil.example:%d" % port, "127.0.0.2:%d" % port,
                 "127.0.0.1:1"]:
        st, _, body = ctx.srv.get("/atom.xml", headers={"Host": host})
        eq(st, 200, host)
        check(b"evil" not in body and b"127.0.0.2" not in body and b":1/" not in body,
              host + " not in the feed")
        links = [l.get("href") for l in ET.fromstring(body).iter(ATOM + "link")]
        check(links and all(l.startswith("http://127.0.0.1:%d/" % port) for l in links),
              host + ": links to the listen address: %r" % links[:2])
        st, _, ics = ctx.srv.get("/kalender.ics", headers={"Host": host})
        check(b"evil" not in ics, host + " not in the calendar")
    # The absolute form names the authority, with the same rule.
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET http://evil.example/atom.xml HTTP/1.1\r\nHost: evil.example\r\n"
              b"Connection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    eq(raw_status(data), 200, "absolute form")
    check(b"evil" not in data.partition(b"\r\n\r\n")[2], "absolute-form authority not in feed")
    srv = Server(ctx.referat, ctx.db, ["--quiet", "--base-url", "https://referater.example.dk/"])
    try:
        st, _, body = srv.get("/atom.xml", headers={"Host": "evil.example"})
        links = [l.get("href") for l in ET.fromstring(body).iter(ATOM + "link")]
        check(links and all(l.startswith("https://referater.example.dk/") for l in links),
              "links to the base URL: %r" % links[:2])
        _, _, ics = srv.get("/kalender.ics")
        check(b"https://referater.example.dk/" in ics, "calendar links to the base URL")
    finally:
        srv.stop()
    import subprocess
    for bad in ["ftp://x", "https://", "https://a/b", "https://u@x", "referater.example.dk"]:
        r = subprocess.run([ctx.referat, "serve", "--db", ctx.db, "--listen", "127.0.0.1:0",
                            "--base-url", bad], capture_output=True, text=True, timeout=10)
        check(r.returncode != 0 and "--base-url" in r.stderr, "bad --base-url %r refused" % bad)


def d16_invalid_utf8_answers_json(ctx):
    """D16 (issue 13): an archive holding invalid UTF-8 made /api/cases/ID answer 200 with an
    empty body. The API writes U+FFFD for each bad byte, as the JSON writer does."""
    import os
    import shutil
    d = os.path.join(ctx.dir, "d16")
    os.makedirs(d)
    db = os.path.join(d, "bad.db")
    shutil.copy(ctx.db, db)
    con = sqlite3.connect(db)
    try:
        cid = con.execute('SELECT id FROM "case" WHERE public = 1 ORDER BY id').fetchone()[0]
        con.execute('UPDATE "case" SET title = CAST(? AS TEXT) WHERE id = ?',
                    (b"Sk\xe6v \xff titel", cid))
        con.commit()
    finally:
        con.close()
    srv = Server(ctx.referat, db, ["--quiet"])
    try:
        for path in ["/api/cases/%d" % cid, "/api/cases?per_page=100"]:
            st, h, body = srv.get(path)
            eq(st, 200, path)
            doc = json.loads(body)  # valid JSON, valid UTF-8
            text = json.dumps(doc, ensure_ascii=False)
            check("Sk\ufffdv \ufffd titel" in text, path + ": U+FFFD for each bad byte")
        st, _, body = srv.get("/sag/%d.json" % cid)
        eq(st, 200, "the JSON export")
        json.loads(body)
    finally:
        srv.stop()


def test_missing_database(ctx):
    import subprocess
    r = subprocess.run([ctx.referat, "serve", "--db", ctx.dir + "/nope.db", "--listen",
                        "127.0.0.1:0"], capture_output=True, timeout=10)
    check(r.returncode != 0, "missing db exits non-zero")
    check(b"no archive" in r.stderr, "says there is no archive: %r" % r.stderr)
    r = subprocess.run([ctx.referat, "serve", "--db", ctx.db, "--listen", "nonsense"],
                       capture_output=True, text=True, timeout=10)
    check(r.returncode != 0 and "--listen" in r.stderr, "bad --listen")
    r = subprocess.run([ctx.referat, "serve", "--db", ctx.db, "--threads", "0"],
                       capture_output=True, text=True, timeout=10)
    eq(r.returncode, 2, "bad --threads")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    only = re.compile(sys.argv[3] if len(sys.argv) > 3 else "")
    ctx = Ctx()
    ctx.referat = referat
    ctx.examples = examples
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        ctx.files = add_attachment_files(ctx.db)
        ctx.srv = Server(referat, ctx.db, ["--timeout", "2", "--threads", "4"])
        ctx.closed = {i for i, p in case_ids(ctx).values() if not p}
        # test_*, and d<N>_* regression tests named after issue 13's defects
        runner.run_all(globals(), ctx, r"(test_|d\d+_)", only)
        eq(ctx.srv.stop(), 0, "server exit status")
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop(signal.SIGKILL)
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
