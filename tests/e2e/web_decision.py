"""web_decision: the decision page (issue 9) against the real server. Reference case 000's
agenda is a case on a DIR meeting in i_gang; its four decisions are written through the form
(no script) as the seed writes them, the extraction proposes the seed's owners (Tonny Olsen
with his role; Ledelsessekretariatet; Ledelsessekretariatet and Økonomichef Bettina
Andersen), the sekretær confirms them, rejects one (never proposed again for that text) and
adds one by hand; the phrases, bad inputs (nothing changed), members read only, "Opret
kladde på næste møde" for a case treated again, and the private notes that reach nothing but
the decision page of the body's sekretær.

usage: web_decision.py REFERAT EXAMPLES_DIR SEEDS_DIR"""

import html
import json
import os
import re
import sqlite3
import subprocess
import sys

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq,
                        make_archive, workdir)

SEED = "000_7786c9215fe5c01a.txt"
NOTE = "PRIVATNOTE-9X4 husk at ringe til Tonny"


def q(ctx, sql, args=()):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def counts(ctx):
    """What a write leaves: versions of cases, ledger events, notes and rejections."""
    return tuple(q(ctx, "SELECT count(*) FROM %s" % t)[0][0]
                 for t in ("source", "ledger", "case_note", "decision_rejection",
                           '"case"'))


def referat(ctx, *args):
    r = subprocess.run([ctx.referat] + list(args) + ["--db", ctx.db], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0, "referat %s: %s" % (" ".join(args), r.stderr))
    return r.stdout


def meeting_version(ctx, mid):
    return str(q(ctx, "SELECT version FROM meeting WHERE id = ?", (mid,))[0][0])


def case_version(ctx, cid):
    return q(ctx, 'SELECT version FROM "case" WHERE id = ?', (cid,))[0][0]


def new_case(ctx, meeting, path):
    out = referat(ctx, "case", "new", "--meeting", str(meeting), path, "--from", "md")
    cid = int(re.search(r"case (\d+)", out).group(1))
    for step in ("indsend", "godkend", "saet_paa_dagsorden"):
        referat(ctx, "case", "step", str(cid), step, "--version", str(case_version(ctx, cid)))
    return cid


def seed_parts(seeds):
    """The seed's agenda (its text without the decision) and its four decision texts."""
    text = open(os.path.join(seeds, SEED), encoding="utf-8").read()
    head, rest = text.split("## Beslutning i Direktionen den 20-12-2023", 1)
    decision, bilag = rest.split("## Bilag:", 1)
    entries = re.split(r"^- .*$", decision, flags=re.M)[1:]
    texts = ["\n\n".join(p.strip() for p in e.strip().split("\n\n")) for e in entries]
    return head + "## Bilag:" + bilag, texts


def form_of(body):
    """The fields of the page's form as a browser sends them (without its buttons)."""
    text = body.decode()
    form = {}
    for m in re.finditer(r'<input type="(hidden|text|date)"[^>]*?name="([^"]+)"'
                         r'(?:[^>]*?value="([^"]*)")?', text):
        form[html.unescape(m.group(2))] = html.unescape(m.group(3) or "")
    for m in re.finditer(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', text,
                         re.S):
        form[html.unescape(m.group(1))] = html.unescape(m.group(2))
    for m in re.finditer(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', text, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        form[html.unescape(m.group(1))] = sel.group(1) if sel else "0"
    return form


def page(ctx, client=None):
    st, _, body = (client or ctx.sec).get(ctx.url)
    check(st == 200, "decision page: %d" % st)
    return body


def press(ctx, button, changes=None, form=None, client=None):
    """Submits the page's form as it is (or form) with changes, by the button `button`."""
    f = dict(form if form is not None else form_of(page(ctx, client)))
    f.update(changes or {})
    f["handling"] = button
    return (client or ctx.sec).post(ctx.url, f)


def suggest(ctx, form, entry):
    st, h, body = ctx.sec.post(ctx.url + "/forslag", dict(form, indgang=str(entry)))
    check(st == 200 and h.get("content-type", "").startswith("application/json"),
          "suggestions: %d %r" % (st, body[:200]))
    return json.loads(body)


def exported(ctx, cid, fmt="json"):
    r = subprocess.run([ctx.referat, "export", str(cid), "--to", fmt, "--db", ctx.db],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, "export: %s" % r.stderr)
    return r.stdout


def convert(ctx, path):
    r = subprocess.run([ctx.referat, "convert", path, "--from", "md", "--to", "json"],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, "convert: %s" % r.stderr)
    j = json.loads(r.stdout)
    return j.get("case", j)


def test_prefilled_from_the_agenda(ctx):
    body = page(ctx)
    f = form_of(body)
    eq(f["antal"], "4", "one entry per sub-item")
    eq([f["b[%d].punkt" % i] for i in range(1, 5)], ["1", "2", "3", "4"], "sub-item numbers")
    eq(f["b[1].titel"], "Den nye tværgående digitaliseringsorganisation.", "title prefilled")
    eq(f["b[3].tekst"], "Jurist Maria Drejer Petersen deltog under drøftelsen.",
       "the guest sentence in the past tense")
    eq(f["b[1].tekst"], "Chef for Borgerservice, IT og Digitalisering Tonny Olsen deltog under "
                        "behandlingen af punktet.", "sub-item 1's guest")
    eq(f["b[4].tekst"], "", "no guests, no text")
    eq(f["indledning"], "Direktionen havde følgende øvrige punkter til behandling:",
       "the agenda's intro in the past tense")
    for phrase in ("Godkendt", "Drøftet", "Taget til efterretning"):
        check(('>%s</button>' % phrase).encode() in body, "phrase button " + phrase)
    check(b'src="/static/decision.js"' in body, "the page loads its script")
    st, h, js = ctx.sec.get("/static/decision.js")
    check(st == 200 and h["content-type"].startswith("text/javascript") and b"forslag" in js,
          "the script is served: %d" % st)
    check(ctx.sec.get("/arbejde/sag/%d" % ctx.case)[2].count(b"/beslutning") == 1,
          "the staff case page links to the decision page")


def test_phrase_appends_and_saves_nothing(ctx):
    before = counts(ctx)
    st, _, body = press(ctx, "frase:2:3")
    check(st == 200, "phrase: %d" % st)
    guests = ("Udviklingskonsulent Vicki Nygaard Svendsen og kommunikationsmedarbejder Marc "
              "Kromann Rasmussen deltog under behandlingen af punktet.")
    eq(form_of(body)["b[2].tekst"], guests + " Taget til efterretning.", "phrase appended")
    st, _, body = press(ctx, "frase:3:1", form=form_of(body))
    eq(form_of(body)["b[3].tekst"], "Jurist Maria Drejer Petersen deltog under drøftelsen. "
                                    "Godkendt.", "after the guest sentence")
    eq(form_of(body)["b[2].tekst"], guests + " Taget til efterretning.", "the other kept")
    eq(counts(ctx), before, "a phrase saves nothing")
    st, _, _ = press(ctx, "frase:9:1")
    eq(st, 400, "a phrase of no entry")


def test_members_read_only(ctx):
    st, _, body = ctx.member.get(ctx.url)
    check(st == 200 and b'name="handling"' not in body, "member reads: %d" % st)
    check(b'name="b[1].tekst"' not in body, "a member gets no form")
    before = counts(ctx)
    token = ctx.member.csrf()
    st, _, _ = ctx.member.post(ctx.url, {"csrf": token, "handling": "gem", "version": "1"})
    check(st in (403, 404), "a member may not write decisions: %d" % st)
    st, _, _ = ctx.member.post(ctx.url + "/forslag", {"csrf": token, "indgang": "1"})
    check(st in (403, 404), "nor ask for suggestions: %d" % st)
    st, _, _ = ctx.oek.get(ctx.url)
    eq(st, 404, "a sekretær of another body does not know the case")
    eq(counts(ctx), before, "nothing changed")


def test_write_the_seed_decisions(ctx):
    f = form_of(page(ctx))
    for i, text in enumerate(ctx.texts, 1):
        f["b[%d].tekst" % i] = text
    # The extraction proposes exactly the seed's owners, live (the script's endpoint).
    want = [[("Tonny Olsen", "Chef for Borgerservice, IT og Digitalisering")], [],
            [("Ledelsessekretariatet", None)],
            [("Ledelsessekretariatet", None), ("Bettina Andersen", "Økonomichef")]]
    for i in range(1, 5):
        got = suggest(ctx, f, i)
        eq([(s["owner"], s["role"]) for s in got["suggestions"]], want[i - 1],
           "suggestions of entry %d" % i)
        check(not got["treated_again"], "entry %d is not treated again" % i)
    st, h, _ = press(ctx, "gem", form=f)
    check(st == 303 and "gemt=1" in h.get("location", ""), "saved: %d" % st)
    st, _, body = ctx.sec.get(h["location"])
    check(st == 200 and "Beslutningerne er gemt".encode() in body, "notice")
    g = form_of(body)
    for i, text in enumerate(ctx.texts, 1):
        eq(g["b[%d].tekst" % i], text, "entry %d as saved" % i)
    # Rendered on the page without script, too.
    eq(body.count(b'class="suggestion"'), 4, "four suggestions on the page")
    model = json.loads(exported(ctx, ctx.case))
    d = model["decisions"][-1]
    eq((d["body"], d["date"]), ("Direktionen", "2023-12-20"), "the meeting's body and date")
    eq([e["subitem"] for e in d["entries"]], [1, 2, 3, 4], "entries point at sub-items")
    check(all(not e.get("followups") for e in d["entries"]), "nothing confirmed yet")
    # The md export, read back with `referat convert`, holds the seed's decision: body, date,
    # opening text, entries with their sub-items, texts, dates and the follow-ups read there.
    path = os.path.join(ctx.dir, "export.md")
    with open(path, "w", encoding="utf-8") as out:
        out.write(exported(ctx, ctx.case, "md"))
    got, want = (convert(ctx, path)["decisions"], convert(ctx, os.path.join(ctx.seeds, SEED))
                 ["decisions"])
    eq(got, want, "the decision read back equals the seed's")


def test_confirm_reject_and_by_hand(ctx):
    st, _, body = press(ctx, "bekraeft:1:1")
    check(st == 200 and b'value="Tonny Olsen"' in body, "confirmed into the form: %d" % st)
    f = form_of(body)
    eq(f["b[1].opf"], "1", "one follow-up")
    eq(f["b[1].opf[1].rolle"], "Chef for Borgerservice, IT og Digitalisering", "with his role")
    check(b'value="bekraeft:1:1"' not in body, "a confirmed one is no longer suggested")
    st, _, body = press(ctx, "bekraeft:3:1", form=f)
    st, _, body = press(ctx, "bekraeft:4:1", form=form_of(body))
    st, _, body = press(ctx, "bekraeft:4:1", form=form_of(body))  # Bettina is first now
    f = form_of(body)
    eq((f["b[4].opf"], f["b[4].opf[1].ansvarlig"], f["b[4].opf[2].ansvarlig"]),
       ("2", "Ledelsessekretariatet", "Bettina Andersen"), "both owners of entry 4")
    # Edit a confirmed one: a due date.
    f["b[4].opf[2].frist"] = "2024-01-22"
    # Reject: a sentence added to entry 2 proposes Kommunikationsafdelingen.
    f["b[2].tekst"] = ctx.texts[1] + " Kommunikationsafdelingen følger op."
    eq([s["owner"] for s in suggest(ctx, f, 2)["suggestions"]], ["Kommunikationsafdelingen"],
       "a suggestion to reject")
    before = counts(ctx)
    st, _, body = press(ctx, "afvis:2:1", form=f)
    check(st == 200 and "afvist".encode() in body, "rejected: %d" % st)
    eq(counts(ctx)[3], before[3] + 1, "the rejection is kept")
    eq(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'decision.reject'")[0][0], 1,
       "a ledger event")
    check(b'value="afvis:2:1"' not in body, "not proposed again")
    f = form_of(body)
    eq(f["b[2].tekst"], ctx.texts[1] + " Kommunikationsafdelingen følger op.",
       "the unsaved text survives the rejection")
    eq(suggest(ctx, f, 2)["suggestions"], [], "nor through the script")
    # By hand.
    f.update({"b[2].ny.ansvarlig": "Marc Kromann Rasmussen",
              "b[2].ny.rolle": "Kommunikationsmedarbejder",
              "b[2].ny.tekst": "Sender videoen rundt.", "b[2].ny.frist": "2024-01-05"})
    st, _, body = press(ctx, "tilfoej:2", form=f)
    check(st == 200 and form_of(body)["b[2].opf"] == "1", "added by hand: %d" % st)
    st, h, _ = press(ctx, "gem", form=form_of(body))
    check(st == 303, "saved: %d" % st)
    d = json.loads(exported(ctx, ctx.case))["decisions"][-1]
    got = [[(f["owner"], f.get("role"), f.get("due")) for f in e.get("followups", [])]
           for e in d["entries"]]
    eq(got, [[("Tonny Olsen", "Chef for Borgerservice, IT og Digitalisering", None)],
             [("Marc Kromann Rasmussen", "Kommunikationsmedarbejder", "2024-01-05")],
             [("Ledelsessekretariatet", None, None)],
             [("Ledelsessekretariatet", None, None),
              ("Bettina Andersen", "Økonomichef", "2024-01-22")]],
       "the confirmed and added follow-ups are the model's")
    # The md export carries the decisions as the seed writes them.
    md = exported(ctx, ctx.case, "md")
    check("## Beslutning i Direktionen den 20-12-2023" in md and ctx.texts[3] in md,
          "md export with the decision")
    eq(q(ctx, "SELECT count(*) FROM followup WHERE case_id = ?", (ctx.case,))[0][0], 5,
       "the follow-ups list has them")


def test_bad_inputs_change_nothing(ctx):
    f = form_of(page(ctx))
    before = counts(ctx)
    cases = [({"b[2].opf[1].frist": "2023-12-19"}, 400, b"Fristen ligger f\xc3\xb8r m\xc3\xb8det"),
             ({"b[1].ny.frist": "2023-12-01", "b[1].ny.ansvarlig": "HR"}, 400,
              b"Fristen ligger f\xc3\xb8r m\xc3\xb8det"),
             ({"b[2].opf[1].frist": "22-01-2024"}, 400, b"Forventede en dato"),
             ({"b[3].punkt": "9"}, 400, "Punktet findes ikke".encode()),
             ({"b[3].punkt": "x"}, 400, "Punktet findes ikke".encode()),
             ({"b[1].ny.tekst": "Uden ansvarlig."}, 400, "hvem der følger op".encode()),
             ({"version": "1"}, 409, "ændret".encode()),
             ({"version": ""}, 400, b"version")]
    for change, status, text in cases:
        st, _, body = press(ctx, "gem", change, form=f)
        eq(st, status, "bad input %r" % change)
        check(text in body, "the message for %r" % change)
        eq(counts(ctx), before, "nothing changed for %r" % change)
    for button in ("ukendt", "bekraeft:1:9", "afvis:9:1", "tilfoej:x", "kladde"):
        st, _, _ = press(ctx, button, form=f)
        check(st in (400, 409), "button %s refused: %d" % (button, st))
        eq(counts(ctx), before, "nothing changed for button %s" % button)
    # A stale page keeps what was typed, on the newest version, for a second look.
    st, _, body = press(ctx, "gem", {"version": "1", "b[4].tekst": "Stale text."}, form=f)
    g = form_of(body)
    check(st == 409 and g["b[4].tekst"] == "Stale text." and
          g["version"] == str(case_version(ctx, ctx.case)), "kept on the newest version")
    # The field error names the field, and the form keeps what was typed.
    st, _, body = press(ctx, "gem", {"b[2].opf[1].frist": "2023-12-19"}, form=f)
    check(b'aria-invalid="true"' in body and b'value="2023-12-19"' in body, "at the field")
    # On a meeting not held yet, nothing is written.
    url = "/arbejde/sag/%d/beslutning" % ctx.planned_case
    st, _, body = ctx.sec.get(url)
    check(st == 200 and b'name="b[1].tekst"' not in body and "mens mødet er i gang".encode()
          in body, "not editable before the meeting: %d" % st)
    st, _, _ = ctx.sec.post(url, {"csrf": ctx.sec.csrf(), "handling": "gem", "version": "1",
                                  "antal": "1", "b[1].punkt": "0", "b[1].tekst": "Godkendt."})
    eq(st, 409, "a decision before the meeting")
    eq(counts(ctx), before, "nothing changed")
    # The store refuses what the form would, for any other writer (authored_check).
    model = json.loads(exported(ctx, ctx.case))
    model["decisions"][-1]["entries"][0]["subitem"] = 7
    path = os.path.join(ctx.dir, "bad.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(model, out, ensure_ascii=False)
    r = subprocess.run([ctx.referat, "case", "save", str(ctx.case), "--version",
                        str(case_version(ctx, ctx.case)), path, "--db", ctx.db],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode != 0 and "$.decisions[0].entries[0].subitem" in r.stderr,
          "case save refuses a sub-item not on the case: %s" % r.stderr)
    eq(counts(ctx), before, "nothing changed")


def test_entries_follow_the_agenda(ctx):
    """An entry sent without a title keeps its sub-item's; a sub-item added to the agenda after
    the decisions were saved gets its entry."""
    st, _, _ = press(ctx, "gem", {"b[4].titel": ""})
    check(st == 303, "saved: %d" % st)
    model = json.loads(exported(ctx, ctx.case))
    eq(model["decisions"][-1]["entries"][3]["title"], "KB seminar", "the sub-item's title")
    model["subitems"].append({"time": "11.45", "title": "Eventuelt"})
    path = os.path.join(ctx.dir, "more.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(model, out, ensure_ascii=False)
    referat(ctx, "case", "save", str(ctx.case), "--version", str(case_version(ctx, ctx.case)),
            path)
    f = form_of(page(ctx))
    eq((f["antal"], f["b[5].punkt"], f["b[5].titel"]), ("5", "5", "Eventuelt"),
       "an entry for the new sub-item")
    eq(f["b[4].tekst"], ctx.texts[3], "the saved entries kept")


def test_private_notes(ctx):
    before = counts(ctx)
    st, _, body = press(ctx, "note", {"note.punkt": "3", "note.tekst": NOTE})
    check(st == 200 and "Noten er gemt".encode() in body, "note saved: %d" % st)
    check(NOTE.encode() in body and b"punkt 3" in body, "shown to the sekretær")
    eq(counts(ctx)[2], before[2] + 1, "one note")
    eq(counts(ctx)[0], before[0], "not a version of the case")
    st, _, _ = press(ctx, "note", {"note.tekst": "  "})
    eq(st, 400, "a blank note")
    st, _, _ = press(ctx, "note", {"note.punkt": "9", "note.tekst": "x"})
    eq(st, 400, "a note on no sub-item")
    eq(counts(ctx)[2], before[2] + 1, "no more notes")
    events = q(ctx, "SELECT detail FROM ledger WHERE action = 'case.note'")
    check(len(events) == 1 and "PRIVATNOTE" not in events[0][0], "the ledger has no text")
    # Nobody else, and no output, ever holds it.
    for client, what in ((ctx.member, "member"), (ctx.sec2, "sekretær of another body")):
        st, _, body = client.get(ctx.url)
        check(NOTE.encode() not in body, "%s does not see it (%d)" % (what, st))
    anon = Client(ctx.srv)
    for url in ("/sag/%d" % ctx.case, "/sag/%d.md" % ctx.case, "/sag/%d.txt" % ctx.case,
                "/sag/%d.json" % ctx.case, "/sag/%d.html" % ctx.case,
                "/api/cases/%d" % ctx.case, "/soeg?q=PRIVATNOTE", "/api/search?q=PRIVATNOTE",
                "/atom.xml", "/kalender.ics", "/moede/%d" % ctx.meeting):
        for client in (anon, ctx.member, ctx.sec):
            st, _, body = client.get(url)
            # (the search page repeats the query, so the note's other words are watched)
            check("husk at ringe".encode() not in body, "%s (%d)" % (url, st))
    for fmt in ("md", "txt", "json", "html"):
        check("PRIVATNOTE" not in exported(ctx, ctx.case, fmt), "export " + fmt)
    for table in ("source", "search_public", "followup"):
        try:
            rows = q(ctx, "SELECT * FROM %s" % table)
        except sqlite3.OperationalError:
            continue
        check(not any("PRIVATNOTE" in str(r) for r in rows), "not in table " + table)


def test_treated_again_drafts_on_the_next_meeting(ctx):
    f = form_of(page(ctx))
    check("Opret kladde".encode() not in page(ctx), "no proposal without the words")
    f["b[3].tekst"] = ctx.texts[2] + " Punktet behandles igen på et kommende møde."
    check(suggest(ctx, f, 3)["treated_again"], "the script learns it too")
    st, _, _ = press(ctx, "gem", form=f)
    check(st == 303, "saved: %d" % st)
    body = page(ctx)
    check("Opret kladde på næste møde".encode() in body, "proposed")
    before = counts(ctx)
    st, h, _ = press(ctx, "kladde")
    check(st == 303 and "kladde=" in h.get("location", ""), "draft made: %d" % st)
    draft = int(h["location"].rsplit("=", 1)[1])
    rows = q(ctx, 'SELECT c.title, c.state, g.meeting_id FROM "case" c JOIN agenda g ON '
                  "g.case_id = c.id WHERE c.id = ?", (draft,))
    eq([(r[0], r[2]) for r in rows], [("Punkter til behandling", ctx.next_meeting)],
       "a copy of the title on the body's next planned meeting")
    check("(sag %d)" % ctx.case in json.loads(exported(ctx, draft))["presentation"],
          "it refers to this case")
    eq(counts(ctx)[4], before[4] + 1, "one new case")
    eq(q(ctx, "SELECT count(*) FROM ledger WHERE action = 'decision.draft' AND object = ?",
         ("case:%d" % ctx.case,))[0][0], 1, "a ledger event")
    body = page(ctx)
    check(("/arbejde/sag/%d" % draft).encode() in body and "Opret kladde".encode() not in body,
          "the page links the draft instead")
    after = counts(ctx)
    st, _, _ = press(ctx, "kladde")
    eq(st, 409, "only once")
    eq(counts(ctx), after, "no second draft")


def test_treated_again_without_a_planned_meeting(ctx):
    """With no planned meeting of the body ahead, the draft is a case without a meeting."""
    cid = new_case(ctx, ctx.meeting, ctx.agenda_path)
    referat(ctx, "meeting", "step", str(ctx.next_meeting), "aflys", "--version",
            meeting_version(ctx, ctx.next_meeting), "--reason", "Ingen punkter")
    url = "/arbejde/sag/%d/beslutning" % cid
    st, _, body = ctx.sec.get(url)
    f = form_of(body)
    f.update({"b[1].tekst": "Sagen genoptages på et senere møde.", "handling": "gem"})
    st, _, _ = ctx.sec.post(url, f)
    check(st == 303, "saved: %d" % st)
    st, _, body = ctx.sec.get(url)
    st, h, _ = ctx.sec.post(url, dict(form_of(body), handling="kladde"))
    check(st == 303, "draft made: %d" % st)
    draft = int(h["location"].rsplit("=", 1)[1])
    eq(q(ctx, "SELECT count(*) FROM agenda WHERE case_id = ?", (draft,))[0][0], 0,
       "on no agenda")
    eq(q(ctx, 'SELECT c.state, b.code FROM "case" c JOIN body b ON b.id = c.body_id '
              "WHERE c.id = ?", (draft,)), [("kladde", "DIR")], "a draft of the body")


def main():
    ctx = Ctx()
    ctx.referat, examples, seeds = sys.argv[1], sys.argv[2], sys.argv[3]
    ctx.seeds = seeds
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(ctx.referat, examples, ctx.dir)
        add_user(ctx.referat, ctx.db, "sek", grants=[("DIR", "sekretaer")])
        add_user(ctx.referat, ctx.db, "medlem", grants=[("DIR", "medlem")])
        add_user(ctx.referat, ctx.db, "oek", grants=[("ØK", "sekretaer")])
        agenda, ctx.texts = seed_parts(seeds)
        eq(len(ctx.texts), 4, "the seed's four decisions")
        path = ctx.agenda_path = os.path.join(ctx.dir, "agenda.md")
        with open(path, "w", encoding="utf-8") as out:
            out.write(agenda)

        def meeting(date):
            out = referat(ctx, "meeting", "add", "DIR", date, "--start", "10:00", "--end",
                          "12:00", "--place", "Mødelokale 1")
            return int(re.search(r"meeting (\d+)", out).group(1))

        ctx.meeting = meeting("2023-12-20")
        ctx.next_meeting = meeting("2024-01-10")
        ctx.case = new_case(ctx, ctx.meeting, path)
        ctx.planned_case = new_case(ctx, ctx.next_meeting, path)
        for step in ("frigiv_dagsorden", "start"):
            referat(ctx, "meeting", "step", str(ctx.meeting), step, "--version",
                    meeting_version(ctx, ctx.meeting))
        ctx.url = "/arbejde/sag/%d/beslutning" % ctx.case
        ctx.srv = Server(ctx.referat, ctx.db, ["--quiet"])
        for name, login in [("sec", "sek"), ("member", "medlem"), ("oek", "oek")]:
            c = Client(ctx.srv)
            c.login(login)
            setattr(ctx, name, c)
        ctx.sec2 = ctx.oek
        runner.run_all(globals(), ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
