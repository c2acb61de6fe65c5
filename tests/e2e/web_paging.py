"""web_paging (issue 11, paging): every list is paged and bounded: page arguments that are
negative, zero, huge or not numbers answer 400 (pages and API alike), a page past the end is
empty, lists stop at the depth cap (STORE_LIST_DEPTH, 10,000 rows) with a total that says
"more", follow-ups keep their order across pages, and the calendar is a window of dates
(?aar=YYYY, ?fra=&til=, a thousand-year window is 400).

usage: web_paging.py REFERAT EXAMPLES_DIR [NAME_REGEX]"""

import json
import re
import signal
import sqlite3
import sys

from web_common import Ctx, Runner, Server, check, cleanup, eq, make_archive, workdir

DEPTH = 10000


def get(ctx, path, status=200):
    st, h, body = ctx.srv.get(path)
    eq(st, status, path)
    return h, body.decode()


def api(ctx, path, status=200):
    _, body = get(ctx, path, status)
    return json.loads(body)


def test_bad_page_numbers_are_400(ctx):
    for key, path in [("side", "/opfoelgning"), ("side", "/organ/DIR"),
                      ("deltog", "/person/%d" % ctx.person),
                      ("opfoelgning", "/person/%d" % ctx.person)]:
        for bad in ["abc", "-1", "0", "1.5", "1e3", "100001", "99999999999999999999999", "%00"]:
            h, body = get(ctx, "%s?%s=%s" % (path, key, bad), 400)
            check(h["content-type"].startswith("text/html"), "an error page")
            # (a NUL is refused before any page sees it, with the server's own message)
            check(key in body or bad == "%00", "%s?%s=%s names the argument" % (path, key, bad))
    for bad in ["page=abc", "page=-1", "page=0", "page=100001", "per_page=0", "per_page=101",
                "per_page=-5", "per_page=x"]:
        for path in ["/api/followups", "/api/cases", "/api/meetings", "/api/bodies"]:
            err = api(ctx, "%s?%s" % (path, bad), 400)
            eq(err["error"]["status"], 400, path + "?" + bad)


def test_past_the_end_is_empty(ctx):
    _, body = get(ctx, "/opfoelgning?side=100000")
    check("<li>" not in body.split("<h1>", 1)[1].split("</main>")[0] or
          "Siden findes ikke" in body, "no follow-ups past the end")
    check("Gå til første side" in body, "a way back: " + body[-600:])
    for path in ["/api/followups?page=100000", "/api/cases?page=100000&per_page=100",
                 "/api/meetings?page=100000", "/api/bodies?page=100000"]:
        o = api(ctx, path)
        eq(o["items"], [], path)
        eq(o["next"], None, path + " next")


def test_followups_keep_their_order_across_pages(ctx):
    seen, page, ids = [], 1, set()
    while True:
        o = api(ctx, "/api/followups?status=all&per_page=7&page=%d" % page)
        seen += o["items"]
        if not o["next"]:
            break
        check("page=%d" % (page + 1) in o["next"], "next link " + o["next"])
        page += 1
    eq(len(seen), min(o["total"], DEPTH), "every follow-up once")
    for f in seen:
        check(f["id"] not in ids, "follow-up %d twice" % f["id"])
        ids.add(f["id"])
    keys = [(f["due"] is None, f["due"] or "", f["id"]) for f in seen]
    eq(keys, sorted(keys), "due order, undated last, then id")
    # The page of /opfoelgning links to the next page, which links back.
    _, body = get(ctx, "/opfoelgning?status=alle")
    if o["total"] > 100:
        m = re.search(r'rel="next" href="([^"]+)"', body)
        check(m, "a next link")
        _, body2 = get(ctx, m.group(1).replace("&amp;", "&"))
        check('rel="prev"' in body2, "page 2 links back")


def test_depth_cap(ctx):
    o = api(ctx, "/api/followups?status=all&per_page=100")
    eq(o["total"], DEPTH + 1, "a capped total says more than the cap")
    eq(o["pages"], DEPTH // 100, "pages stop at the cap")
    last = api(ctx, "/api/followups?status=all&per_page=100&page=%d" % (DEPTH // 100))
    eq(len(last["items"]), 100, "the last page within the cap is full")
    eq(last["next"], None, "and has no next")
    past = api(ctx, "/api/followups?status=all&per_page=100&page=%d" % (DEPTH // 100 + 1))
    eq(past["items"], [], "nothing past the cap")
    _, body = get(ctx, "/opfoelgning?status=alle")
    check("over 10.000 opfølgninger" in body, "the page says there are more")
    check("Brug filtrene" in body, "and how to find them")
    check(len(body) < 200 * 1024, "the page stays under 200 KB: %d" % len(body))
    # Over 200 owners: the filter is a text field, not a list box of every name.
    check('<input id="ansvarlig"' in body, "owner filter as a text field")
    _, body = get(ctx, "/opfoelgning?status=alle&side=%d" % (DEPTH // 100 + 1))
    check("Siden findes ikke" in body, "a page past the cap is empty")
    # A filter reaches what the cap hides: one owner's follow-ups.
    o = api(ctx, "/api/followups?status=all&owner=" + ctx.bulk_owner.replace(" ", "%20"))
    eq(o["total"], 3, "one owner's follow-ups")


def ics_dates(body):
    text = body.replace("\r\n ", "")
    return re.findall(r"DTSTART[^:]*:(\d{8})", text)


def test_calendar_window(ctx):
    _, whole = get(ctx, "/organ/DIR/kalender.ics")
    dates = ics_dates(whole)
    check(dates, "the default window holds the examples' meetings")
    years = sorted({d[:4] for d in dates})
    y = years[0]
    _, one = get(ctx, "/organ/DIR/kalender.ics?aar=" + y)
    got = ics_dates(one)
    check(got and all(d.startswith(y) for d in got), "aar=%s: %r" % (y, got))
    eq(sorted(got), sorted(d for d in dates if d.startswith(y)), "the year's meetings")
    _, win = get(ctx, "/organ/DIR/kalender.ics?fra=%s-01-01&til=%s-12-31" % (y, y))
    eq(sorted(ics_dates(win)), sorted(got), "fra/til of the year")
    _, none = get(ctx, "/kalender.ics?aar=1999")
    eq(ics_dates(none), [], "a year without meetings")
    check(none.startswith("BEGIN:VCALENDAR"), "still a calendar")
    for bad in ["aar=abcd", "aar=99", "aar=20231", "aar=-2023", "fra=1000-01-01&til=2999-12-31",
                "fra=2024-01-01", "til=2024-01-01", "fra=2024-02-01&til=2024-01-01",
                "fra=2024-02-30&til=2024-03-01", "aar=2024&fra=2024-01-01&til=2024-02-01",
                "fra=" + "9" * 5000 + "&til=2024-01-01"]:
        for path in ["/kalender.ics", "/organ/DIR/kalender.ics"]:
            h, body = get(ctx, "%s?%s" % (path, bad), 400)
            check("aar" in body or "fra" in body, "the error names the argument: " + bad)


def add_bulk_followups(db):
    """Enough follow-ups for the depth cap: 12,000 on one open published case, 3,000 owners
    (4 follow-ups each but the first), written to the tables as an import would."""
    con = sqlite3.connect(db)
    try:
        case_id, entry_id = con.execute(
            "SELECT c.id, e.id FROM \"case\" c JOIN decision d ON d.case_id = c.id "
            "JOIN entry e ON e.decision_id = d.id WHERE c.public AND c.published "
            "ORDER BY c.id LIMIT 1").fetchone()
        con.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 3000) INSERT INTO person (name) SELECT printf('Bulk Ejer %04d', i) "
                    "FROM n")
        con.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 11996) INSERT INTO followup (case_id, entry_id, pos, person_id, "
                    "role, text, due, status) SELECT ?1, ?2, 1000 + i, "
                    "(SELECT id FROM person WHERE name = printf('Bulk Ejer %04d', 1 + i % 3000)), "
                    "NULL, printf('Bulk opfølgning %d', i), "
                    "CASE WHEN i % 5 = 0 THEN NULL ELSE printf('2031-%02d-%02d', 1 + i % 12, "
                    "1 + i % 28) END, 'open' FROM n", (case_id, entry_id))
        con.commit()
        # The first owner has 3 of them: i = 0 is 'Bulk Ejer 0001'... and so on; recount.
        name, = con.execute("SELECT p.name FROM person p JOIN followup f ON f.person_id = p.id "
                            "WHERE p.name LIKE 'Bulk Ejer %' GROUP BY p.id HAVING count(*) = 3 "
                            "ORDER BY p.name LIMIT 1").fetchone()
        return name
    finally:
        con.close()


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    only = re.compile(sys.argv[3] if len(sys.argv) > 3 else "")
    ctx = Ctx()
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        con = sqlite3.connect(ctx.db)
        ctx.person, = con.execute("SELECT person_id FROM followup GROUP BY person_id "
                                  "ORDER BY count(*) DESC LIMIT 1").fetchone()
        con.close()
        # The examples' own lists first, then the same server on an archive past the cap.
        ctx.srv = Server(referat, ctx.db, ["--cache-mb", "0"])
        runner.run_all(globals(), ctx, r"test_(bad|past|followups|calendar)", only)
        eq(ctx.srv.stop(), 0, "server exit status")
        ctx.bulk_owner = add_bulk_followups(ctx.db)
        ctx.srv = Server(referat, ctx.db, ["--cache-mb", "0"])
        runner.run_all(globals(), ctx, r"test_(depth|followups_keep)", only)
        eq(ctx.srv.stop(), 0, "server exit status")
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop(signal.SIGKILL)
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
