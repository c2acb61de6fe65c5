"""web_search: end-to-end tests of the portal's search for what journalists type (issue 11):
journal and document numbers, aa/oe/ae, OG/ELLER/IKKE, where to search, sort by date, a stray
( or ", and queries too long to search.

usage: web_search.py REFERAT EXAMPLES_DIR [NAME_REGEX]"""

import json
import re
import signal
import sys
import urllib.parse

from web_common import Ctx, Runner, Server, check, cleanup, eq, make_archive, workdir


def get(ctx, path, status=200):
    st, h, body = ctx.srv.get(path)
    eq(st, status, path)
    return h, body.decode()


def api(ctx, query, status=200, **args):
    args["q"] = query
    h, body = get(ctx, "/api/search?" + urllib.parse.urlencode(args), status)
    eq(h["content-type"], "application/json; charset=utf-8", query)
    return json.loads(body)


def page(ctx, query, status=200, **args):
    args["q"] = query
    h, body = get(ctx, "/soeg?" + urllib.parse.urlencode(args), status)
    check(h["content-type"].startswith("text/html"), "html")
    return body


def test_journal_and_document_numbers(ctx):
    # examples/05: bilag 1 "Budgetopfølgning pr. 31. januar 2024 (15530/24)", document 3612047
    for q in ["15530/24", "3612047"]:
        j = api(ctx, q)
        check(j["total"] >= 1, q + " finds its case")
        check(any("<mark>%s</mark>" % q in h["snippet"] and "Budgetopfølgning" in h["snippet"]
                  for h in j["items"]), q + ": " + str(j))
    # only in the bilag: found there, not in the minutes
    eq(api(ctx, "15530/24", **{"in": "bilag"})["total"] >= 1, True, "in=bilag")
    eq(api(ctx, "15530/24", **{"in": "minutes"})["total"], 0, "in=minutes")
    body = page(ctx, "15530/24", i="bilag")
    check("Budgetopfølgning" in body, "page with i=bilag")
    check('<option value="bilag" selected>' in body, "the filter is kept in the form")


def test_where_to_search(ctx):
    everywhere = api(ctx, "budget")["total"]
    agenda = api(ctx, "budget", **{"in": "agenda"})["total"]
    minutes = api(ctx, "budget", **{"in": "minutes"})["total"]
    check(0 < agenda <= everywhere and 0 < minutes <= everywhere,
          "agenda %d, minutes %d of %d" % (agenda, minutes, everywhere))
    api(ctx, "budget", 400, **{"in": "overalt"})
    body = page(ctx, "budget", 400, i="overalt")
    check("Søg i skal være" in body, "bad i explained")
    page(ctx, "budget", i="referat")
    page(ctx, "budget", i="dagsorden")


def test_aa_oe_ae(ctx):
    for ascii_, danish in [("budgetopfoelgning", "budgetopfølgning"), ("verdensmaal", "verdensmål")]:
        a, d = api(ctx, ascii_)["total"], api(ctx, danish)["total"]
        check(a > 0 and a == d, "%s %d, %s %d" % (ascii_, a, danish, d))
    check(api(ctx, "BUDGETOPFOELGNING")["total"] > 0, "upper case too")


def test_danish_operators(ctx):
    for da, en in [("budget OG trivsel", "budget AND trivsel"),
                   ("budget ELLER trivsel", "budget OR trivsel"),
                   ("budget IKKE trivsel", "budget NOT trivsel")]:
        eq(api(ctx, da)["total"], api(ctx, en)["total"], da)
    check(api(ctx, "budget ELLER trivsel")["total"] > api(ctx, "budget")["total"], "ELLER widens")


def test_sort_by_date(ctx):
    j = api(ctx, "direktionen", sort="date", per_page=50)
    dates = [h["date"] for h in j["items"] if h["date"]]
    check(len(dates) > 2, "dated hits")
    eq(dates, sorted(dates, reverse=True), "newest first")
    eq(j["total"], api(ctx, "direktionen")["total"], "same total as by relevance")
    api(ctx, "direktionen", 400, sort="alder")
    body = page(ctx, "direktionen", sortering="dato")
    check('<option value="dato" selected>' in body, "sort kept in the form")
    m = re.search(r'rel="next" href="([^"]+)"', body)
    if m:
        check("sortering=dato" in m.group(1), "the next page keeps the order")
    page(ctx, "direktionen", 400, sortering="alder")


def test_stray_syntax(ctx):
    for q in ['budget "drift', "(budget drift", "budget drift)", "budget OG", '"budget']:
        body = page(ctx, q)
        check("læst som enkelte ord" in body, q + ": the hint")
        check("kunne ikke gennemføres" not in body, q + ": no error page")
        j = api(ctx, q)
        eq(j.get("relaxed"), True, q)
        check("enkelte ord" in j["hint"], q)
    words = api(ctx, "budget drift")["total"]
    eq(api(ctx, 'budget "drift')["total"], words, "the words are searched")
    check("relaxed" not in api(ctx, "budget drift"), "a readable query is not relaxed")


def test_too_long(ctx):
    # a URL of more than 8 KB is refused by the server (414) before search sees it
    long_ = "x" * 10000
    get(ctx, "/soeg?q=" + long_, 414)
    get(ctx, "/api/search?q=" + long_, 414)
    # below that, search refuses more than 500 characters with a clear 400
    for q in ["x" * 4000, " ".join("o%d" % i for i in range(1000))[:4000],
              "(" * 1000, '"' * 1001, "a* " * 1000]:
        body = page(ctx, q, 400)
        check("for lang" in body, "too long: %d characters" % len(q))
        check("for lang" in api(ctx, q, 400)["error"]["message"], "API: too long")
    # 64 words is the parser's bound: 65 short words are refused with a clear message
    many = " ".join("o%d" % i for i in range(65))
    body = page(ctx, many, 400)
    check("kunne ikke gennemføres" in body, "too many words")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    only = re.compile(sys.argv[3] if len(sys.argv) > 3 else "")
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        ctx.srv = Server(referat, ctx.db, ["--timeout", "2", "--threads", "2"])
        runner.run_all(globals(), ctx, r"test_", only)
        eq(ctx.srv.stop(), 0, "server exit status")
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop(signal.SIGKILL)
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
