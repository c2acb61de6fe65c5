"""web_editor: the staff case editor (issue 8) against the real server: a case created on a
meeting and edited through the forms (no script), every bad field refused at the field with
nothing saved, the add-row buttons, the timetable's warnings, the guests' sentence in the md
export as the seeds write it, the body's sign-off setting, the merge page of a stale save (two
sessions), and the workflow buttons.

usage: web_editor.py REFERAT EXAMPLES_DIR SEEDS_DIR"""

import html
import json
import os
import re
import sqlite3
import subprocess
import sys

from web_common import (Client, Ctx, Runner, Server, add_user, check, cleanup, eq,
                        make_archive, raw_status, workdir)


def q(ctx, sql, args=()):
    con = sqlite3.connect(ctx.db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def counts(ctx):
    """Cases, sources and ledger events of cases: what a save writes."""
    return tuple(q(ctx, "SELECT count(*) FROM %s" % t)[0][0]
                 for t in ('"case"', "source", "ledger WHERE object LIKE 'case:%'"))


def referat(ctx, *args):
    r = subprocess.run([ctx.referat] + list(args) + ["--db", ctx.db], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0, "referat %s: %s" % (" ".join(args), r.stderr))
    return r.stdout


def meeting(ctx, body, date, start="10:30", end="12:00"):
    out = referat(ctx, "meeting", "add", body, date, "--start", start, "--end", end,
                  "--place", "Mødelokale 1")
    return int(re.search(r"\d+", out).group(0))


def form_of(body):
    """The fields of the editor's form as a browser would send them (inputs, textareas, the
    selected option), without the submit buttons."""
    text = body.decode()
    form = {}
    for m in re.finditer(r'<input type="(hidden|text|number|email)"[^>]*?name="([^"]+)"'
                         r'(?:[^>]*?value="([^"]*)")?', text):
        form[html.unescape(m.group(2))] = html.unescape(m.group(3) or "")
    for m in re.finditer(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', text,
                         re.S):
        form[html.unescape(m.group(1))] = html.unescape(m.group(2))
    for m in re.finditer(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', text, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        form[html.unescape(m.group(1))] = sel.group(1) if sel else ""
    return form


def seedlike():
    """A case like the reference case 000: four sub-items with their guests."""
    f = {"titel": "Punkter til behandling", "adgang": "aaben", "sagsgang": "DIR",
         "sagsfremstilling": "Første afsnit af\nsagsfremstillingen.\n\n\nAndet afsnit.",
         "indledning": "Direktionen har følgende øvrige punkter til behandling:",
         "indstilling": "Det indstilles, at punkterne behandles.", "punkter": "4"}
    rows = [("10.30", "30", "Den nye tværgående digitaliseringsorganisation.",
             "Forslaget knytter den digitale udvikling tættere på fagområderne.",
             [("Tonny Olsen", "Chef for Borgerservice, IT og Digitalisering", "Borgerservice",
               "tonny@lindholm.dk")]),
            ("11:00", "15", "Nytårskure 2024", "Direktionen orienteres om status.",
             [("Vicki Nygaard Svendsen", "Udviklingskonsulent", "Kommunikation",
               "vicki@lindholm.dk"),
              ("Marc Kromann Rasmussen", "Kommunikationsmedarbejder", "Kommunikation",
               "marc@lindholm.dk")]),
            ("11.15", "15", "Udpegning af kommunalbestyrelsesmedlemmer i bestyrelser", "",
             [("Maria Drejer Petersen", "Jurist", "Sekretariatet", "maria@lindholm.dk")]),
            ("11.30", "30", "KB seminar", "Der afholdes seminar for kommunalbestyrelsen.", [])]
    for i, (start, mins, title, text, guests) in enumerate(rows, 1):
        p = "punkt[%d]." % i
        f.update({p + "start": start, p + "minutter": mins, p + "titel": title,
                  p + "tekst": text, p + "gaester": str(len(guests) + 1)})
        for k, (name, role, unit, mail) in enumerate(guests, 1):
            g = p + "gaest[%d]." % k
            f.update({g + "navn": name, g + "rolle": role, g + "enhed": unit, g + "email": mail})
    return f


def post(client, url, form):
    return client.post(url, dict(form, csrf=client.csrf()))


def test_new_form(ctx):
    st, _, body = ctx.sec.get("/arbejde/moede/%d/sag/ny" % ctx.m_dir)
    check(st == 200, "new case form: %d" % st)
    for name in ("titel", "adgang", "offentlig_titel", "offentlig_tekst", "sagsgang",
                 "sagsfremstilling", "indstilling", "punkt[1].titel", "punkt[1].start",
                 "punkt[1].minutter", "punkt[1].gaest[1].email", "punkt[2].titel"):
        check(('name="%s"' % name).encode() in body, "the form has " + name)
    check(b'name="punkt[3].titel"' not in body, "two blank rows")
    check(b'enctype' not in body and b'name="csrf"' in body, "a plain form with its token")
    st, _, _ = ctx.member.get("/arbejde/moede/%d/sag/ny" % ctx.m_dir)
    check(st == 404, "a member may not write cases: %d" % st)
    st, _, _ = ctx.sec.get("/arbejde/moede/%d/sag/ny" % ctx.m_oek)
    check(st == 404, "nor a sekretær of another body: %d" % st)


def test_add_rows(ctx):
    before = counts(ctx)
    f = {"titel": "", "adgang": "aaben", "punkter": "2", "punkt[1].titel": "Et punkt",
         "punkt[1].gaester": "1", "tilfoej": "punkt"}
    st, _, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, f)
    check(st == 200 and b'name="punkt[4].titel"' in body, "one row more: %d" % st)
    check(b'value="Et punkt"' in body and b"aria-invalid" not in body, "kept, not checked")
    f["tilfoej"] = "gaest-1"
    st, _, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, f)
    check(st == 200 and b'name="punkt[1].gaest[2].navn"' in body, "one guest row more")
    eq(counts(ctx), before, "nothing saved")


def test_bad_fields(ctx):
    before = counts(ctx)
    f = seedlike()
    f.update({"titel": " ", "adgang": "lukket", "offentlig_titel": "", "offentlig_tekst": "",
              "punkt[1].start": "25.00", "punkt[2].minutter": "et kvarter",
              "punkt[2].gaest[1].email": "vicki@", "punkt[3].gaest[1].email": "",
              "punkt[4].titel": "", "punkt[4].tekst": "tekst uden titel"})
    st, _, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, f)
    check(st == 400, "refused: %d" % st)
    text = body.decode()
    for fid, words in [("titel", "Skriv sagens titel"),
                       ("offentlig_titel", "offentligheden kan se"),
                       ("offentlig_tekst", "kort beskrivelse"),
                       ("punkt-1--start", "10.30 eller 10:30"),
                       ("punkt-2--minutter", "helt antal minutter"),
                       ("punkt-2--gaest-1--email", "e-mail-adresse"),
                       ("punkt-3--gaest-1--email", "e-mail-adresse"),
                       ("punkt-4--titel", "punktets titel")]:
        m = re.search(r'<p class="error" id="%s-error">([^<]*)</p>' % re.escape(fid), text)
        check(m and words in html.unescape(m.group(1)), "error at %s" % fid)
        check(re.search(r'id="%s"[^>]*aria-invalid="true"' % re.escape(fid), text),
              "%s is marked invalid" % fid)
    check("Intet er gemt" in text, "the summary says nothing was saved")
    check('value="Tonny Olsen"' in text and "vicki@" in text, "what was typed is kept")
    eq(counts(ctx), before, "nothing saved")


def test_create_and_export(ctx):
    before = counts(ctx)
    st, h, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, seedlike())
    check(st == 303, "saved: %d %r" % (st, body[:300]))
    m = re.match(r"/arbejde/sag/(\d+)\?gemt=1$", h["location"])
    check(m, "to the staff case page: " + h["location"])
    cid = ctx.case = int(m.group(1))
    after = counts(ctx)
    eq((after[0] - before[0], after[1] - before[1], after[2] - before[2]), (1, 1, 1),
       "one case, one version, one ledger event")
    eq(q(ctx, "SELECT action FROM ledger ORDER BY id DESC LIMIT 1")[0][0], "case.create")
    # The Direktion writes its own cases: no sign-off, on the agenda at once.
    eq(q(ctx, 'SELECT state FROM "case" WHERE id = ?', (cid,))[0][0], "paa_dagsorden")
    eq(q(ctx, "SELECT count(*) FROM agenda WHERE case_id = ? AND meeting_id = ?",
         (cid, ctx.m_dir))[0][0], 1, "on the meeting's agenda")
    md = referat(ctx, "export", str(cid), "--to", "md")
    for want in ["Første afsnit af sagsfremstillingen.\n\nAndet afsnit.",
                 "10.30\t<p>Den nye tværgående digitaliseringsorganisation.</p> <p>Forslaget "
                 "knytter den digitale udvikling tættere på fagområderne. Chef for "
                 "Borgerservice, IT og Digitalisering Tonny Olsen deltager under behandlingen "
                 "af punktet.</p>",
                 "11.00\t<p>Nytårskure 2024</p> <p>Direktionen orienteres om status. "
                 "Udviklingskonsulent Vicki Nygaard Svendsen og kommunikationsmedarbejder Marc "
                 "Kromann Rasmussen deltager under behandlingen af punktet.</p>",
                 "11.15\t<p>Udpegning af kommunalbestyrelsesmedlemmer i bestyrelser</p> <p>"
                 "Jurist Maria Drejer Petersen deltager under behandlingen af punktet.</p>",
                 "11.30\t<p>KB seminar</p>", "### Indstilling\n\nDet indstilles, at punkterne "
                 "behandles."]:
        check(want in md, "md export has %r" % want[:60])
    check("Beslutning" not in md and "@" not in md, "no decision, no e-mail in the export")
    # Read back, the export's guests are the editor's guests.
    path = os.path.join(ctx.dir, "sag.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write(md)
    r = subprocess.run([ctx.referat, "convert", path, "--to", "json"], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0, "convert: " + r.stderr)
    back = json.loads(r.stdout)
    subs = back.get("subitems") or back.get("case", {}).get("subitems")
    names = [[g["name"] for g in s.get("guests", [])] for s in subs]
    eq(names, [["Tonny Olsen"], ["Vicki Nygaard Svendsen", "Marc Kromann Rasmussen"],
               ["Maria Drejer Petersen"], []], "guests read back")
    stored = json.loads(referat(ctx, "export", str(cid), "--to", "json"))
    stored = stored.get("case", stored)
    eq(stored["subitems"][0]["duration"], 30, "duration kept")
    eq(stored["subitems"][0]["guests"][0].get("email"), "tonny@lindholm.dk", "e-mail kept")


def test_edit_roundtrip(ctx):
    st, _, body = ctx.sec.get("/arbejde/sag/%d/rediger" % ctx.case)
    check(st == 200, "edit form: %d" % st)
    f = form_of(body)
    eq(f["punkt[1].tekst"], "Forslaget knytter den digitale udvikling tættere på fagområderne.",
       "the guests' sentence is not in the text field")
    eq(f["punkt[2].gaest[2].navn"], "Marc Kromann Rasmussen")
    eq(f["punkt[1].start"], "10.30")
    eq(f["version"], "1")
    md1 = referat(ctx, "export", str(ctx.case), "--to", "md")
    st, h, _ = post(ctx.sec, "/arbejde/sag/%d/rediger" % ctx.case, f)
    check(st == 303, "saved unchanged: %d" % st)
    eq(q(ctx, 'SELECT version FROM "case" WHERE id = ?', (ctx.case,))[0][0], 2)
    eq(referat(ctx, "export", str(ctx.case), "--to", "md"), md1, "the same export again")
    st, _, body = ctx.sec.get("/arbejde/sag/%d?gemt=1" % ctx.case)
    check(st == 200 and "Sagen er gemt".encode() in body, "the staff case page says so")


def test_timetable_warnings(ctx):
    st, _, body = ctx.sec.get("/arbejde/sag/%d/rediger" % ctx.case)
    f = form_of(body)
    f["punkt[2].start"] = "10.45"    # overlaps 10.30 + 30
    f["punkt[4].minutter"] = "60"    # 11.30 + 60 is past the end at 12.00
    f["punkt[3].start"] = ""         # follows the one before: 11.00
    f["tilfoej"] = "punkt"           # show the form again without saving
    st, _, body = post(ctx.sec, "/arbejde/sag/%d/rediger" % ctx.case, f)
    text = html.unescape(body.decode())
    check(st == 200, "shown again: %d" % st)
    check("Tid: 10.30–11.00" in text and "Tid: 10.45–11.00" in text and
          "Tid: 11.00–11.15" in text and "Tid: 11.30–12.30" in text, "ends computed")
    check(text.count("Advarsel: punktet") >= 3, "overlap, gap and past the end are warned")
    check("overlapper" in text, "overlap named")
    del f["tilfoej"]
    st, _, _ = post(ctx.sec, "/arbejde/sag/%d/rediger" % ctx.case, f)
    check(st == 303, "warnings do not stop a save: %d" % st)


def test_form_fits(ctx):
    """A case with many guests: the form drops blank rows rather than grow past the server's
    200 fields (beyond which a save would be refused and the typing lost)."""
    f = {"titel": "Mange gæster", "adgang": "aaben", "punkter": "9"}
    for i in range(1, 10):
        p = "punkt[%d]." % i
        f.update({p + "titel": "Punkt %d" % i, p + "gaester": "3"})
        for k in range(1, 4):
            g = p + "gaest[%d]." % k
            f.update({g + "navn": "Gæst %d-%d" % (i, k), g + "email": "g%d%d@lindholm.dk" % (i, k)})
    st, h, _ = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, f)
    check(st == 303, "saved: %d" % st)
    cid = int(re.search(r"/sag/(\d+)", h["location"]).group(1))
    st, _, body = ctx.sec.get("/arbejde/sag/%d/rediger" % cid)
    names = set(re.findall(rb'name="([^"]+)"', body))
    sent = names - {b"handling", b"tilfoej", b"flyt", b"beregn"}  # one button is sent
    check(st == 200 and len(sent) + 1 <= 200, "the form sends %d fields" % (len(sent) + 1))
    check(b'punkt[9].gaest[3].navn' in names, "every guest of the case is there")
    st, _, _ = post(ctx.sec, "/arbejde/sag/%d/rediger" % cid, form_of(body))
    check(st == 303, "and it saves: %d" % st)


def test_reorder_and_reflow(ctx):
    """Moving a sub-item and "Beregn tiderne" show the form again (nothing saved) with the rows
    swapped and every start where the one before ends."""
    before = counts(ctx)
    f = {"titel": "Rækkefølge", "adgang": "aaben", "punkter": "3",
         "punkt[1].titel": "A", "punkt[1].start": "10.30", "punkt[1].minutter": "30",
         "punkt[2].titel": "B", "punkt[2].start": "11.15", "punkt[2].minutter": "15",
         "punkt[3].titel": "C", "punkt[3].minutter": "20"}
    st, _, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, dict(f, flyt="ned-1"))
    g = form_of(body)
    check(st == 200 and (g["punkt[1].titel"], g["punkt[2].titel"]) == ("B", "A"), "swapped")
    check('value="op-2"'.encode() in body and 'value="ned-1"'.encode() in body, "buttons")
    st, _, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, dict(f, beregn="1"))
    g = form_of(body)
    eq((g["punkt[1].start"], g["punkt[2].start"], g["punkt[3].start"]),
       ("10.30", "11.00", "11.15"), "times reflowed")
    eq(counts(ctx), before, "nothing saved")


def test_timetable_follows_the_agenda(ctx):
    """A case's time plan goes on from where the cases before it on the agenda end, and an
    overlap with them is warned."""
    m = meeting(ctx, "DIR", "2027-02-03", "10:00", "11:00")
    first = {"titel": "Første", "adgang": "aaben", "punkter": "1", "punkt[1].titel": "A",
             "punkt[1].start": "10.00", "punkt[1].minutter": "30"}
    check(post(ctx.sec, "/arbejde/moede/%d/sag/ny" % m, first)[0] == 303, "the first case")
    second = {"titel": "Anden", "adgang": "aaben", "punkter": "1", "punkt[1].titel": "B",
              "punkt[1].minutter": "15", "tilfoej": "punkt"}
    st, _, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % m, second)
    text = html.unescape(body.decode())
    check(st == 200 and "Tid: 10.30–10.45" in text and "Advarsel" not in text,
          "follows the case before")
    second["punkt[1].start"] = "10.15"
    text = html.unescape(post(ctx.sec, "/arbejde/moede/%d/sag/ny" % m, second)[2].decode())
    check("Tid: 10.15–10.30" in text and "overlapper" in text, "overlaps the case before")
    del second["punkt[1].start"]
    second["beregn"] = "1"
    second["punkt[1].start"] = "10.50"
    g = form_of(post(ctx.sec, "/arbejde/moede/%d/sag/ny" % m, second)[2])
    eq(g["punkt[1].start"], "10.50", "its own start is kept by Beregn tiderne")


def test_closed_case(ctx):
    f = {"titel": "Personalesag " + "KANARIE-LUKKET-7Q2", "adgang": "lukket",
         "offentlig_titel": "Personalesag", "offentlig_tekst": "En sag om en ansat.",
         "punkter": "0"}
    st, h, _ = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % ctx.m_dir, f)
    check(st == 303, "closed case saved: %d" % st)
    cid = int(re.search(r"/sag/(\d+)", h["location"]).group(1))
    stored = json.loads(referat(ctx, "export", str(cid), "--to", "json"))
    stored = stored.get("case", stored)
    check(stored["public"] is False and stored.get("public_title") == "Personalesag",
          "closed with its public title: %r" % stored)
    st, _, body = Client(ctx.srv).get("/sag/%d" % cid)
    check(b"KANARIE" not in body, "nothing of it public")


def test_signoff_other_body(ctx):
    st, h, _ = post(ctx.oek, "/arbejde/moede/%d/sag/ny" % ctx.m_oek,
                    {"titel": "Budgetopfølgning", "adgang": "aaben", "punkter": "0"})
    check(st == 303, "saved: %d" % st)
    cid = int(re.search(r"/sag/(\d+)", h["location"]).group(1))
    eq(q(ctx, 'SELECT state FROM "case" WHERE id = ?', (cid,))[0][0], "kladde",
       "a body with sign-off: a draft first")
    ctx.oek_case = cid


def test_conflict_merge(ctx):
    a, b = ctx.sec, ctx.sec2
    _, _, pa = a.get("/arbejde/sag/%d/rediger" % ctx.case)
    _, _, pb = b.get("/arbejde/sag/%d/rediger" % ctx.case)
    fa, fb = form_of(pa), form_of(pb)
    eq(fa["version"], fb["version"], "both opened the same version")
    base = int(fa["version"])
    fa["titel"] = "Punkter til behandling (A)"
    fa["sagsgang"] = "DIR, ØK"
    st, _, _ = post(a, "/arbejde/sag/%d/rediger" % ctx.case, fa)
    check(st == 303, "the first save: %d" % st)
    before = counts(ctx)
    fb["titel"] = "Punkter til behandling (B)"
    fb["indstilling"] = "Det indstilles, at direktionen drøfter punkterne."
    st, _, page = post(b, "/arbejde/sag/%d/rediger" % ctx.case, fb)
    check(st == 409, "the second save is stale: %d" % st)
    eq(counts(ctx), before, "nothing saved")
    text = html.unescape(page.decode())
    check("(A)" in text and "(B)" in text, "both versions shown")
    check("drøfter punkterne" in text and "DIR, ØK" in text, "field by field")
    for label in ("Titel", "Sagsgang", "Indstilling"):
        check(re.search(r'<fieldset class="merge differs"><legend>%s <strong' % label, text),
              "%s marked as differing" % label)
    check(re.search(r'<fieldset class="merge"><legend>Sagsfremstilling \(ens\)', text),
          "an equal field is not")
    m = dict(re.findall(r'name="(version|min)" value="([^"]*)"', page.decode()))
    eq(int(m["version"]), base + 1, "the merge is against the newer version")
    # Take their title and route, keep my recommendation.
    form = {"version": m["version"], "min": html.unescape(m["min"]), "valg.titel": "deres",
            "valg.sagsgang": "deres", "valg.indstilling": "min"}
    # Yet another save in between: the merge page comes again, nothing lost.
    fa2 = form_of(a.get("/arbejde/sag/%d/rediger" % ctx.case)[2])
    fa2["sagsfremstilling"] = "Et nyt afsnit fra A."
    check(post(a, "/arbejde/sag/%d/rediger" % ctx.case, fa2)[0] == 303, "A saves again")
    st, _, page2 = post(b, "/arbejde/sag/%d/flet" % ctx.case, form)
    check(st == 409 and "ændret igen".encode() in page2, "stale merge shown again: %d" % st)
    m2 = dict(re.findall(r'name="(version|min)" value="([^"]*)"', page2.decode()))
    eq(int(m2["version"]), base + 2)
    form = {"version": m2["version"], "min": html.unescape(m2["min"]), "valg.titel": "deres",
            "valg.sagsgang": "deres", "valg.indstilling": "min", "valg.sagsfremstilling": "deres"}
    st, _, _ = post(b, "/arbejde/sag/%d/flet" % ctx.case, form)
    check(st == 303, "merged and saved: %d" % st)
    stored = json.loads(referat(ctx, "export", str(ctx.case), "--to", "json"))
    stored = stored.get("case", stored)
    eq(stored["title"], "Punkter til behandling (A)", "their title")
    eq(stored["route"], ["DIR", "ØK"], "their route")
    eq(stored["recommendation"], "Det indstilles, at direktionen drøfter punkterne.", "my text")
    eq(stored["presentation"], "Et nyt afsnit fra A.", "their newest text")
    eq(len(stored["subitems"]), 4, "the timetable kept")


def test_workflow_buttons(ctx):
    cid = ctx.oek_case
    st, _, body = ctx.oek.get("/arbejde/sag/%d" % cid)
    check(st == 200 and "Indsend til godkendelse".encode() in body, "indsend offered")
    check(b'action="/arbejde/sag/%d/handling"' % cid in body and b'name="csrf"' in body,
          "a POST form with its token")
    ver = re.search(rb'name="version" value="(\d+)"', body).group(1).decode()
    # A step the table does not allow from kladde.
    st, _, body = post(ctx.oek, "/arbejde/sag/%d/handling" % cid,
                       {"handling": "behandl", "version": ver})
    check(st == 409 and "Behandl kan ikke udføres".encode() in body, "refused: %d" % st)
    check(b"indsend" in body, "the message names what is possible")
    st, h, _ = post(ctx.oek, "/arbejde/sag/%d/handling" % cid,
                    {"handling": "indsend", "version": ver})
    check(st == 303 and "udfoert=indsend" in h["location"], "indsendt: %d" % st)
    eq(q(ctx, 'SELECT state FROM "case" WHERE id = ?', (cid,))[0][0], "til_godkendelse")
    st, _, body = ctx.oek_godk.get("/arbejde/sag/%d" % cid)
    check("Godkend".encode() in body and "Send tilbage".encode() in body, "approver's buttons")
    st, _, body = post(ctx.oek_godk, "/arbejde/sag/%d/handling" % cid,
                       {"handling": "send_tilbage", "version": ver})
    check(st == 400 and "begrundelse".encode() in body.lower(), "a reason is needed: %d" % st)
    st, _, _ = post(ctx.oek_godk, "/arbejde/sag/%d/handling" % cid,
                    {"handling": "send_tilbage", "version": ver,
                     "begrundelse.send_tilbage": "Mangler økonomi."})
    check(st == 303, "sent back: %d" % st)
    eq(q(ctx, 'SELECT state FROM "case" WHERE id = ?', (cid,))[0][0], "kladde")
    ev = q(ctx, "SELECT detail FROM ledger WHERE action = 'case.transition' ORDER BY id DESC "
                "LIMIT 1")[0][0]
    check("Mangler økonomi." in ev, "the comment is in the ledger")
    st, _, _ = post(ctx.oek_godk, "/arbejde/sag/%d/handling" % cid,
                    {"handling": "indsend", "version": "999"})
    check(st == 409, "a stale version: %d" % st)
    # Again, approved this time, and put on the agenda by the sekretær.
    st, _, body = post(ctx.oek_godk, "/arbejde/sag/%d/handling" % cid,
                       {"handling": "indsend", "version": ver})
    check(st == 403 and "Indsend til godkendelse kan ikke".encode() in body,
          "a godkender may not submit: %d" % st)
    for who, action in [(ctx.oek, "indsend"), (ctx.oek_godk, "godkend")]:
        st, _, _ = post(who, "/arbejde/sag/%d/handling" % cid, {"handling": action, "version": ver})
        check(st == 303, "%s: %d" % (action, st))
    st, _, body = ctx.oek.get("/arbejde/sag/%d" % cid)
    check("Sæt på dagsorden".encode() in body, "the sekretær may put it on the agenda")
    st, _, _ = post(ctx.oek, "/arbejde/sag/%d/handling" % cid,
                    {"handling": "saet_paa_dagsorden", "version": ver})
    check(st == 303, "on the agenda: %d" % st)
    eq(q(ctx, 'SELECT state FROM "case" WHERE id = ?', (cid,))[0][0], "paa_dagsorden")


# ---- bilag ----

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = bytes([0x89]) + b"PNG\r\n\x1a\n" + bytes([0, 0, 0, 13]) + b"IHDR" + bytes(
    [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde])


def docx():
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def multipart(client, url, fields, files):
    """POST multipart/form-data: fields {name: value}, files {name: (filename, type, bytes)}."""
    boundary = "----referat-test-7f3a"
    parts = []
    for k, v in dict(fields, csrf=client.csrf()).items():
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (
            boundary, k, v)).encode())
    for k, (fn, ty, data) in files.items():
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                      'Content-Type: %s\r\n\r\n' % (boundary, k, fn, ty)).encode() + data +
                     b"\r\n")
    body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
    return client.request("POST", url, raw_body=body, headers={
        "Content-Type": "multipart/form-data; boundary=" + boundary})


def bilag_version(ctx, cid):
    return str(q(ctx, 'SELECT version FROM "case" WHERE id = ?', (cid,))[0][0])


def new_bilag(ctx, cid, fn, ty, data, **kw):
    f = {"nummer": "0", "version": bilag_version(ctx, cid), "nyt.titel": kw.get("titel", "Notat"),
         "nyt.adgang": kw.get("adgang", "aaben"), "nyt.journal": kw.get("journal", "122962/23"),
         "nyt.flag": "H", "nyt.dokument": "3553435"}
    return multipart(ctx.sec, "/arbejde/sag/%d/bilag" % cid, f, {"nyt.fil": (fn, ty, data)})


def test_bilag_upload(ctx):
    cid = ctx.case
    st, _, body = ctx.sec.get("/arbejde/sag/%d/bilag" % cid)
    check(st == 200 and b'enctype="multipart/form-data"' in body, "the bilag page: %d" % st)
    st, _, body = ctx.sec.get("/arbejde/sag/%d" % cid)
    check(b'href="/arbejde/sag/%d/bilag"' % cid in body, "linked from the staff case page")
    before = counts(ctx)
    # The name and the browser's claim say exe; the content is a PDF, and that decides.
    st, h, body = new_bilag(ctx, cid, "notat.exe", "application/x-msdownload", PDF)
    check(st == 303 and h["location"].endswith("/bilag?gemt=1"), "uploaded: %d %r" % (
        st, body[:400]))
    after = counts(ctx)
    eq((after[1] - before[1], after[2] - before[2]), (1, 1), "one version, one ledger event")
    eq(q(ctx, "SELECT action FROM ledger ORDER BY id DESC LIMIT 1")[0][0], "case.attachment")
    eq(q(ctx, "SELECT mime, filename, length(bytes) FROM attachment_file WHERE case_id = ?",
         (cid,)), [("application/pdf", "notat.exe", len(PDF))], "typed by its content")
    md = referat(ctx, "export", str(cid), "--to", "md")
    check("Notat\t(122962/23)\t(H)\n3553435" in md, "the md export lists it: " + md[-300:])
    st, _, body = ctx.sec.get("/arbejde/sag/%d/bilag?gemt=1" % cid)
    check(b"application/pdf" in body and "Bilag 1 er gemt".encode() in body, "listed")
    # An OOXML document, which libmagic may call a zip.
    st, _, _ = new_bilag(ctx, cid, "plan.docx", "application/octet-stream", docx(),
                         titel="Plan", adgang="lukket", journal="KANARIE-LUKKET-7Q2/25")
    check(st == 303, "a docx: %d" % st)
    eq(q(ctx, "SELECT mime FROM attachment_file WHERE case_id = ? AND number = 2", (cid,))[0][0],
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    stored = json.loads(referat(ctx, "export", str(cid), "--to", "json"))
    stored = stored.get("case", stored)
    att = stored["attachments"]
    eq([(a["number"], a["public"], a["title"]) for a in att], [(1, True, "Notat"),
                                                              (2, False, "Plan")])


def test_bilag_refused(ctx):
    cid = ctx.case
    before = counts(ctx)
    files = q(ctx, "SELECT count(*) FROM attachment_file")[0][0]
    page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"
    st, _, body = new_bilag(ctx, cid, "bilag.pdf", "application/pdf", page)
    text = html.unescape(body.decode())
    check(st == 400, "html claiming to be a pdf: %d" % st)
    m = re.search(r'<p class="error" id="nyt-fil-error">([^<]*)</p>', text)
    check(m and "text/html" in m.group(1) and "kun PDF" in m.group(1), "error at the field")
    check('value="Notat"' in text, "what was typed is kept")
    st, _, body = new_bilag(ctx, cid, "", "application/octet-stream", b"")
    check(st == 400 and b'id="nyt-fil-error"' in body, "a new bilag needs a file: %d" % st)
    f = {"nummer": "0", "version": bilag_version(ctx, cid), "nyt.titel": "", "nyt.adgang": "x"}
    st, _, body = multipart(ctx.sec, "/arbejde/sag/%d/bilag" % cid, f,
                            {"nyt.fil": ("a.pdf", "application/pdf", PDF)})
    check(st == 400 and b'id="nyt-titel-error"' in body and b'id="nyt-adgang-error"' in body,
          "title and access at their fields: %d" % st)
    # The size limit is the administrator's setting.
    referat(ctx, "config", "set", "attachment.max_mb", "1")
    big = PDF + b"0" * (1 << 20)
    st, _, body = new_bilag(ctx, cid, "stor.pdf", "application/pdf", big)
    text = html.unescape(body.decode())
    check(st == 400 and "større end grænsen på 1 MB" in text, "too big, at the field: %d" % st)
    # Far beyond it the whole form is refused by its length, before a byte of it is read;
    # and nobody logged in makes the server read megabytes of files.
    for who, size in [(ctx.sec, 5 << 20), (None, 2 << 20)]:
        cookie = "; ".join("%s=%s" % kv for kv in who.jar.items()) if who else ""
        head = ("POST /arbejde/sag/%d/bilag HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: "
                "http://127.0.0.1:%d\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                "Content-Length: %d\r\n%s\r\n" % (cid, ctx.srv.port, ctx.srv.port, size,
                                                   "Cookie: %s\r\n" % cookie if cookie else ""))
        resp = ctx.srv.raw(head.encode() + b"--x\r\n")
        check(raw_status(resp) == 413, "%s: refused: %r" % (
            "too big" if who else "anonymous", resp[:60]))
    referat(ctx, "config", "unset", "attachment.max_mb")
    eq(counts(ctx), before, "nothing saved")
    eq(q(ctx, "SELECT count(*) FROM attachment_file")[0][0], files, "no file stored")


def test_bilag_replace_remove(ctx):
    cid = ctx.case
    f = {"nummer": "1", "version": bilag_version(ctx, cid), "bilag[1].titel": "Notat, rettet",
         "bilag[1].adgang": "aaben", "bilag[1].journal": "122962/23", "bilag[1].flag": "",
         "bilag[1].dokument": "3553435"}
    st, _, _ = multipart(ctx.sec, "/arbejde/sag/%d/bilag" % cid, f,
                         {"bilag[1].fil": ("foto.png", "image/png", PNG)})
    check(st == 303, "replaced: %d" % st)
    eq(q(ctx, "SELECT mime FROM attachment_file WHERE case_id = ? AND number = 1", (cid,))[0][0],
       "image/png")
    f["version"] = bilag_version(ctx, cid)
    f["bilag[1].titel"] = "Notat, rettet igen"
    st, _, _ = multipart(ctx.sec, "/arbejde/sag/%d/bilag" % cid, f,
                         {"bilag[1].fil": ("", "application/octet-stream", b"")})
    check(st == 303, "metadata only: %d" % st)
    eq(q(ctx, "SELECT mime FROM attachment_file WHERE case_id = ? AND number = 1", (cid,))[0][0],
       "image/png", "the file kept")
    stale = str(int(bilag_version(ctx, cid)) - 1)
    st, _, _ = post(ctx.sec, "/arbejde/sag/%d/bilag/fjern" % cid,
                    {"nummer": "1", "version": stale})
    check(st == 409, "a stale removal: %d" % st)
    st, h, _ = post(ctx.sec, "/arbejde/sag/%d/bilag/fjern" % cid,
                    {"nummer": "1", "version": bilag_version(ctx, cid)})
    check(st == 303 and h["location"].endswith("fjernet=1"), "removed: %d" % st)
    eq(q(ctx, "SELECT number FROM attachment_file WHERE case_id = ?", (cid,)), [(2,)])
    stored = json.loads(referat(ctx, "export", str(cid), "--to", "json"))
    stored = stored.get("case", stored)
    eq([a["title"] for a in stored["attachments"]], ["Plan"], "the model follows")
    # The editor keeps the bilag it does not show.
    _, _, page = ctx.sec.get("/arbejde/sag/%d/rediger" % cid)
    check(post(ctx.sec, "/arbejde/sag/%d/rediger" % cid, form_of(page))[0] == 303, "saved")
    stored = json.loads(referat(ctx, "export", str(cid), "--to", "json"))
    stored = stored.get("case", stored)
    eq([a["title"] for a in stored["attachments"]], ["Plan"], "kept by a save of the editor")


def test_review(ctx):
    """Send til gennemlæsning: a frozen version to named people of the body, who comment."""
    cid = ctx.case
    uid = lambda login: q(ctx, "SELECT id FROM account WHERE login = ?", (login,))[0][0]
    st, _, body = ctx.sec.get("/arbejde/sag/%d" % cid)
    check(st == 200 and "Send til gennemlæsning".encode() in body, "offered: %d" % st)
    check(b'name="medlem.%d"' % uid("medlem") in body and
          b'name="medlem.%d"' % uid("sek") not in body, "the body's people, not myself")
    st, _, body = ctx.member.get("/arbejde/sag/%d" % cid)
    check(st == 200 and "Send til gennemlæsning".encode() not in body, "not for a member")
    ver = bilag_version(ctx, cid)
    st, _, body = post(ctx.sec, "/arbejde/sag/%d/gennemlaesning" % cid, {"version": ver})
    check(st == 400 and "Vælg, hvem".encode() in body, "nobody chosen: %d" % st)
    st, _, _ = post(ctx.sec, "/arbejde/sag/%d/gennemlaesning" % cid,
                    {"version": str(int(ver) - 1), "medlem.%d" % uid("medlem"): "1"})
    check(st == 409, "a stale version: %d" % st)
    st, _, _ = post(ctx.sec, "/arbejde/sag/%d/gennemlaesning" % cid,
                    {"version": ver, "medlem.%d" % uid("oek"): "1"})
    check(st == 400, "someone of another body: %d" % st)
    eq(q(ctx, "SELECT count(*) FROM review WHERE case_id = ?", (cid,))[0][0], 0, "none sent")
    st, h, _ = post(ctx.sec, "/arbejde/sag/%d/gennemlaesning" % cid,
                    {"version": ver, "medlem.%d" % uid("medlem"): "1", "note": "Se punkt 2."})
    check(st == 303, "sent: %d" % st)
    url = h["location"].split("?")[0]
    eq(q(ctx, "SELECT action FROM ledger ORDER BY id DESC LIMIT 1")[0][0], "case.review")
    title = q(ctx, 'SELECT title FROM "case" WHERE id = ?', (cid,))[0][0]
    st, _, body = ctx.member.get("/arbejde/gennemlaesning")
    check(st == 200 and url.encode() in body, "listed for the member")
    st, _, body = ctx.sec2.get("/arbejde/gennemlaesning")
    check(url.encode() not in body, "not for someone it was not sent to")
    # The case changes; the review keeps the version it was sent with.
    f = form_of(ctx.sec.get("/arbejde/sag/%d/rediger" % cid)[2])
    f["titel"] = "Ændret efter udsendelsen"
    check(post(ctx.sec, "/arbejde/sag/%d/rediger" % cid, f)[0] == 303, "changed")
    st, _, body = ctx.member.get(url)
    text = html.unescape(body.decode())
    check(st == 200 and title in text and "Ændret efter" not in text and "Se punkt 2." in text,
          "the frozen version: %d" % st)
    check('name="kommentar"' in text, "a member may comment")
    st, _, body = post(ctx.member, url, {"kommentar": "  "})
    check(st == 400 and b'id="kommentar-error"' in body, "an empty comment: %d" % st)
    st, h, _ = post(ctx.member, url, {"kommentar": "Punkt 2 mangler økonomi."})
    check(st == 303 and h["location"].endswith("kommenteret=1"), "commented: %d" % st)
    eq(q(ctx, "SELECT action FROM ledger ORDER BY id DESC LIMIT 1")[0][0], "case.comment")
    st, _, body = ctx.sec.get(url)
    check("Punkt 2 mangler økonomi.".encode() in body and b'name="kommentar"' not in body,
          "the sender reads it, and is no member")
    st, _, _ = post(ctx.sec2, url, {"kommentar": "Jeg er ikke spurgt."})
    check(st == 403, "only the members comment: %d" % st)
    st, _, _ = ctx.oek.get(url)
    check(st == 404, "another body's people do not see it: %d" % st)


def convert(ctx, path, to="json"):
    r = subprocess.run([ctx.referat, "convert", path, "--to", to], capture_output=True,
                       text=True, timeout=60)
    check(r.returncode == 0, "convert %s: %s" % (path, r.stderr))
    return r.stdout


def test_seed_000_through_the_forms(ctx):
    """The reference case 000 built through the forms (its four sub-items at 10.30, 11.00,
    11.15 and 11.30 with their guests, Indstilling, six bilag of which four are closed, with
    their journal and document numbers): its md export reads back into the seed's model
    without the decision."""
    seed = os.path.join(ctx.seeds, "000_7786c9215fe5c01a.txt")
    want = json.loads(convert(ctx, seed))
    want = want.get("case", want)
    f = {"titel": want["title"], "adgang": "aaben", "sagsgang": ", ".join(want["route"]),
         "sagsfremstilling": want["presentation"], "indledning": want["intro"],
         "indstilling": want["recommendation"], "punkter": str(len(want["subitems"]))}
    for i, (si, mins) in enumerate(zip(want["subitems"], [30, 15, 15, 30]), 1):
        p = "punkt[%d]." % i
        f.update({p + "start": si["time"], p + "minutter": str(mins), p + "titel": si["title"],
                  p + "tekst": si.get("text") or "",
                  p + "gaester": str(len(si.get("guests", [])) + 1)})
        for k, g in enumerate(si.get("guests", []), 1):
            gp = p + "gaest[%d]." % k
            f.update({gp + "navn": g["name"], gp + "rolle": g.get("role") or "",
                      gp + "enhed": "Norddjurs Kommune",
                      gp + "email": g["name"].split()[0].lower() + "@norddjurs.dk"})
    m = meeting(ctx, "DIR", "2027-01-06")
    st, h, body = post(ctx.sec, "/arbejde/moede/%d/sag/ny" % m, f)
    check(st == 303, "saved: %d %r" % (st, body[-600:]))
    cid = int(re.search(r"/sag/(\d+)", h["location"]).group(1))
    for a in want["attachments"]:
        fields = {"nummer": "0", "version": bilag_version(ctx, cid), "nyt.titel": a["title"],
                  "nyt.adgang": "aaben" if a["public"] else "lukket",
                  "nyt.journal": a.get("journal") or "", "nyt.flag": a.get("flag") or "",
                  "nyt.dokument": a.get("document") or ""}
        st, _, body = multipart(ctx.sec, "/arbejde/sag/%d/bilag" % cid, fields,
                                {"nyt.fil": ("bilag%d.pdf" % a["number"], "application/pdf",
                                             PDF)})
        check(st == 303, "bilag %d: %d %r" % (a["number"], st, body[-400:]))
    path = os.path.join(ctx.dir, "sag-000.md")
    with open(path, "w", encoding="utf-8") as out:
        out.write(referat(ctx, "export", str(cid), "--to", "md"))
    got = json.loads(convert(ctx, path))
    got = got.get("case", got)
    for d in (got, want):
        for k in ("layout", "decisions", "format"):
            d.pop(k, None)
    for k in sorted(set(got) | set(want)):
        eq(got.get(k), want.get(k), "field %s" % k)


def test_server_exits_clean(ctx):
    """Last: the server stops cleanly (under ASan: no leak or error report)."""
    rc = ctx.srv.stop()
    log = "".join(ctx.srv.log)
    check(rc == 0 and "Sanitizer" not in log and "runtime error" not in log,
          "server exit %r: %s" % (rc, log[-3000:]))


def main():
    ctx = Ctx()
    ctx.referat, examples, ctx.seeds = sys.argv[1], sys.argv[2], sys.argv[3]
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(ctx.referat, examples, ctx.dir)
        add_user(ctx.referat, ctx.db, "sek", grants=[("DIR", "sekretaer")])
        add_user(ctx.referat, ctx.db, "sek2", grants=[("DIR", "sekretaer")])
        add_user(ctx.referat, ctx.db, "medlem", grants=[("DIR", "medlem")])
        add_user(ctx.referat, ctx.db, "oek", grants=[("ØK", "sekretaer")])
        add_user(ctx.referat, ctx.db, "oekgodk", grants=[("ØK", "godkender")])
        ctx.m_dir = meeting(ctx, "DIR", "2026-12-16")
        ctx.m_oek = meeting(ctx, "ØK", "2026-12-17", "09:00", "11:00")
        ctx.srv = Server(ctx.referat, ctx.db, ["--quiet"])
        for name, login in [("sec", "sek"), ("sec2", "sek2"), ("member", "medlem"),
                            ("oek", "oek"), ("oek_godk", "oekgodk")]:
            c = Client(ctx.srv)
            c.login(login)
            setattr(ctx, name, c)
        runner.run_all(globals(), ctx)
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
