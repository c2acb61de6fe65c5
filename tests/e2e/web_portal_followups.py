"""web_portal_followups (issue 10): the portal shows a body's follow-ups only where the body's
setting followup.public says so (the decision's text stays), and marks an open follow-up past
its due date "Overskredet" next to the owner's name only where followup.overdue_mark asks for
it; another body's settings change nothing. A coming meeting's agenda has the standing item
listing the body's open follow-ups, on the portal and on the staff's page; a held meeting
has none. The server's clock is set by the test.

usage: web_portal_followups.py REFERAT EXAMPLES_DIR"""

import html
import json
import os
import signal
import sqlite3
import subprocess
import sys

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq, make_archive,
                        workdir)


def get(ctx, path, status=200):
    st, _, body = ctx.srv.get(path)
    eq(st, status, path)
    return html.unescape(body.decode())


def settings(ctx, *pairs, code="DIR", rc=0):
    r = subprocess.run([ctx.referat, "body", "settings", code] + list(pairs) + ["--db", ctx.db],
                       capture_output=True, text=True, timeout=60)
    eq(r.returncode, rc, "body settings %s %r: %s" % (code, pairs, r.stderr))
    return r.stderr


def api_items(ctx):
    return json.loads(get(ctx, "/api/followups?status=all&per_page=100"))["items"]


def test_defaults_show_follow_ups_without_overdue_marks(ctx):
    page = get(ctx, "/opfoelgning")
    check(ctx.owner in page and ctx.text in page, "the follow-up is on /opfoelgning")
    check("frist" in page, "its due date is shown")
    check("Overskredet" not in page, "no automatic Overskredet mark by default")
    check(any(i["id"] == ctx.fid for i in api_items(ctx)), "the API lists it")
    check("Opfølgning:" in get(ctx, "/sag/%d" % ctx.case), "the case page lists its owners")


def test_overdue_mark_where_the_body_asks(ctx):
    settings(ctx, "followup.overdue_mark=1")
    page = get(ctx, "/opfoelgning")
    check("Overskredet" in page, "the body asked for the mark")
    # Another body's setting does not reach DIR's follow-ups.
    settings(ctx, "followup.overdue_mark=0", code="ØK")
    check("Overskredet" in get(ctx, "/opfoelgning"), "ØK's setting leaves DIR's marks")
    settings(ctx, "followup.overdue_mark=0")
    check("Overskredet" not in get(ctx, "/opfoelgning"), "the mark goes with the setting")


def test_a_body_that_keeps_its_follow_ups_off_the_portal(ctx):
    settings(ctx, "followup.public=0", code="ØK")
    check(ctx.text in get(ctx, "/opfoelgning"), "ØK's setting leaves DIR's follow-ups")
    settings(ctx, "followup.public=0")
    # ---- issue 10, flat follow-ups: the examples' other public follow-ups (03's of KB, 09's
    # of TM, decisions' own) go too, so the page is empty ----
    settings(ctx, "followup.public=0", code="KB")
    settings(ctx, "followup.public=0", code="TM")
    try:
        page = get(ctx, "/opfoelgning")
        check(ctx.text not in page, "DIR's follow-up is off /opfoelgning")
        check("Der er ingen opfølgninger" in page, "the page says so")
        eq(api_items(ctx), [], "the API lists none")
        person = get(ctx, "/person/%d" % ctx.person)
        check(ctx.text not in person, "nor the owner's page")
        case = get(ctx, "/sag/%d" % ctx.case)
        check("Opfølgning:" not in case, "nor the case page's owner list")
        check("følger op" in case, "the decision's text stays")
        st, _, body = ctx.srv.get("/sag/%d.json" % ctx.case)
        eq(st, 200, "the case's JSON")
    finally:
        settings(ctx, "followup.public=1")
        settings(ctx, "followup.public=1", code="KB")
        settings(ctx, "followup.public=1", code="TM")
    check(ctx.text in get(ctx, "/opfoelgning"), "back with the setting")


def cli(ctx, *args):
    r = subprocess.run([ctx.referat] + list(args) + ["--db", ctx.db], capture_output=True,
                       text=True, timeout=60)
    eq(r.returncode, 0, "%r: %s" % (args, r.stderr))
    return r.stdout


STANDING = "Stående punkt: Opfølgning på tidligere beslutninger"


def standing(page):
    """The standing item's section of a page, or None."""
    i = page.find(STANDING)
    return page[i:page.index("</section>", i)] if i >= 0 else None


def test_standing_item_on_a_coming_meeting(ctx):
    out = cli(ctx, "meeting", "add", "DIR", "2024-07-01", "--start", "09:00")
    mid = int(out.split()[1].rstrip(":"))
    cli(ctx, "meeting", "step", str(mid), "frigiv_dagsorden", "--version", "1")
    item = standing(get(ctx, "/moede/%d" % mid))
    check(item is not None, "the released agenda has the standing item")
    check(ctx.text in item and ctx.owner in item, "with DIR's open follow-up: %r" % item[:500])
    check(" · frist " in item, "and its due date")
    # The agenda as one PDF has it too, after the cases and in its table of contents.
    st, h, pdf = ctx.srv.get("/moede/%d.pdf?dokument=dagsorden" % mid)
    eq(st, 200, "the agenda's PDF")
    r = subprocess.run(["pdftotext", "-q", "-", "-"], input=pdf, capture_output=True,
                       timeout=60)
    text = " ".join(r.stdout.decode().split())
    check(text.count("Stående punkt: Opfølgning på tidligere beslutninger") >= 2,
          "the PDF's standing item and its line in the contents: %r" % text[:1500])
    check(ctx.owner in text and "frist 01-03-2024" in text, "the PDF lists the follow-up")
    # Another body's coming meeting lists only its own (ØK decided none).
    out = cli(ctx, "meeting", "add", "ØK", "2024-07-02")
    oek = int(out.split()[1].rstrip(":"))
    cli(ctx, "meeting", "step", str(oek), "frigiv_dagsorden", "--version", "1")
    item = standing(get(ctx, "/moede/%d" % oek))
    check(item is not None and ctx.text not in item and "ingen åbne opfølgninger" in item,
          "ØK's agenda lists none of DIR's: %r" % item)
    # The staff's page of the meeting has it too, whatever the portal's setting.
    c = Client(ctx.srv)
    c.login("sek")
    settings(ctx, "followup.public=0")
    try:
        st, _, body = c.get("/arbejde/moede/%d" % mid)
        eq(st, 200, "the staff's meeting page")
        item = standing(html.unescape(body.decode()))
        check(item is not None and ctx.text in item, "the secretary sees the follow-up")
        item = standing(get(ctx, "/moede/%d" % mid))
        check(item is not None and ctx.text not in item, "the portal keeps it off")
    finally:
        settings(ctx, "followup.public=1")
    # A done follow-up leaves the list.
    cli(ctx, "followup", "done", str(ctx.fid))
    item = standing(get(ctx, "/moede/%d" % mid))
    # (its text is the examples' sentence, which other follow-ups share: the only dated one
    # is gone when no due date is left)
    check(" · frist " not in item, "closed: no longer on the standing item: %r" % item[:800])
    cli(ctx, "followup", "reopen", str(ctx.fid))


def test_held_meetings_have_no_standing_item(ctx):
    # The imported minutes' meetings are held (offentliggjort): no standing item.
    con = sqlite3.connect(ctx.db)
    try:
        mid = con.execute("SELECT m.id FROM meeting m JOIN body b ON b.id = m.body_id "
                          "WHERE b.code = 'DIR' ORDER BY m.date LIMIT 1").fetchone()[0]
    finally:
        con.close()
    check(standing(get(ctx, "/moede/%d" % mid)) is None, "a held meeting lists no follow-ups")


def test_bad_values_are_refused(ctx):
    for bad in ["followup.public=ja", "followup.overdue_mark=2"]:
        err = settings(ctx, bad, rc=2)
        check(bad.split("=")[0] in err and "expected" in err, err)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    ctx = Ctx()
    ctx.referat, examples = sys.argv[1], sys.argv[2]
    d = workdir()
    runner = Runner()
    ctx.srv = None
    try:
        ctx.db = make_archive(ctx.referat, examples, d)
        # The examples' follow-ups have no due dates: the test gives one of DIR's a date that
        # the clock below has passed.
        con = sqlite3.connect(ctx.db)
        try:
            row = con.execute(
                "SELECT f.id, f.case_id, p.id, p.name, f.text FROM followup f "
                "JOIN person p ON p.id = f.person_id JOIN \"case\" c ON c.id = f.case_id "
                "JOIN case_body cb ON cb.case_id = c.id JOIN body b ON b.id = cb.body_id "
                "WHERE b.code = 'DIR' AND c.public = 1 AND f.status = 'open' "
                "AND (SELECT count(*) FROM case_body x WHERE x.case_id = c.id) = 1 "
                "ORDER BY f.id LIMIT 1").fetchone()
            check(row is not None, "an open follow-up of an open DIR case")
            ctx.fid, ctx.case, ctx.person, ctx.owner, ctx.text = row
            con.execute("UPDATE followup SET due = '2024-03-01' WHERE id = ?", (ctx.fid,))
            con.commit()
        finally:
            con.close()
        clock = os.path.join(d, "clock")
        with open(clock, "w") as f:
            f.write("2024-06-01T10:00:00Z")
        add_user(ctx.referat, ctx.db, "sek", grants=[("DIR", "sekretaer")])
        ctx.srv = Server(ctx.referat, ctx.db, env={"REFERAT_CLOCK_FILE": clock})
        runner.run_all(globals(), ctx)
    finally:
        if ctx.srv:
            ctx.srv.stop(signal.SIGTERM)
        cleanup(d)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
