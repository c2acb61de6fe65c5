"""web_permissions: the permission matrix. Every route the server has (`referat serve
--routes`), every role on the route's own body and on another body, an administrator, a
person without roles and the anonymous public: each cell asserts allowed or refused against
the real server. The expected answers are written out below (EXPECT): a route the server has
and this table does not know fails the test, so no route is added without a decision.

usage: web_permissions.py REFERAT EXAMPLES_DIR"""

import json
import re
import subprocess
import sys

from web_common import (Client, Ctx, Runner, Server, add_attachment_files, add_user, check,
                        cleanup, csrf_of, make_archive, workdir)

ROLES = ["sekretaer", "sagsbehandler", "godkender", "medlem"]
READS = set(ROLES)  # every role reads its body's closed content
EDITS = {"sekretaer", "sagsbehandler"}  # who writes cases (issue 8, editor)

# The decision for every route: who may use it. "public": anyone; "login": the login form,
# anyone; "staff": anyone logged in; "admin": administrators; ("body", roles): those roles on
# a body of the object in the path (the case or meeting its id names).
EXPECT = {
    ("GET", "/"): "public",
    ("GET", "/static/referat.css"): "public",
    ("GET", "/static/referat.js"): "public",  # integration (issue 8): the editor's script
    ("GET", "/robots.txt"): "public",
    ("GET", "/atom.xml"): "public",
    ("GET", "/kalender.ics"): "public",
    ("GET", "/organ/*"): "public",
    ("GET", "/organ/*/atom.xml"): "public",
    ("GET", "/organ/*/kalender.ics"): "public",
    ("GET", "/organ/*/*"): "public",
    ("GET", "/organ/*/verdensmaal/*"): "public",  # issue 10, sdg: the yearly report
    ("GET", "/moede/*"): "public",
    ("GET", "/sag/*"): "public",
    ("GET", "/sag/*/bilag/*"): "public",
    ("GET", "/soeg"): "public",
    ("GET", "/opfoelgning"): "public",
    ("GET", "/person/*"): "public",
    ("GET", "/api"): "public",
    ("GET", "/api/bodies"): "public",
    ("GET", "/api/meetings"): "public",
    ("GET", "/api/meetings/*"): "public",
    ("GET", "/api/cases"): "public",
    ("GET", "/api/cases/*"): "public",
    ("GET", "/api/followups"): "public",
    ("GET", "/api/search"): "public",
    # The write API (docs/api.md): API tokens only (cookies are refused); WRITES: who may
    # write a case's text.
    ("POST", "/api/v1/meetings"): "staff",
    ("GET", "/api/v1/meetings/*"): ("body", READS, "meeting"),
    ("POST", "/api/v1/meetings/*/cases"): ("body", {"sekretaer", "sagsbehandler"}, "meeting"),
    ("POST", "/api/v1/meetings/*/actions/*"): ("body", READS, "meeting"),
    ("GET", "/api/v1/cases/*"): ("body", READS, "case"),
    ("PUT", "/api/v1/cases/*"): ("body", {"sekretaer", "sagsbehandler"}, "case"),
    ("POST", "/api/v1/cases/*/actions/*"): ("body", READS, "case"),
    ("PUT", "/api/v1/cases/*/attachments/*"): ("body", {"sekretaer", "sagsbehandler"}, "case"),
    # ---- issue 9, api: the minutes as one JSON document: the body's readers (a token), and
    # the public's once offentliggjort (an imported meeting is) ----
    ("GET", "/api/v1/meetings/*/minutes"): ("body", READS, "meeting"),
    ("GET", "/api/meetings/*/minutes"): "public",
    ("POST", "/api/v1/cases/*/additions"): ("body", {"sekretaer", "sagsbehandler"}, "case"),
    # ---- end issue 9, api ----
    ("GET", "/log-ind"): "login",
    ("POST", "/log-ind"): "login",
    ("POST", "/log-ud"): "staff",
    ("GET", "/arbejde"): "staff",
    ("GET", "/arbejde/moeder"): "staff",
    ("GET", "/arbejde/kladder"): "staff",
    ("GET", "/arbejde/godkendelser"): "staff",
    ("GET", "/arbejde/opfoelgninger"): "staff",
    ("GET", "/arbejde/historik"): "staff",
    ("GET", "/arbejde/sag/*/historik"): ("body", READS, "case"),
    ("GET", "/arbejde/moede/*/historik"): ("body", READS, "meeting"),
    ("GET", "/arbejde/forbehold"): "staff",
    ("GET", "/arbejde/sag/*/forbehold"): ("body", READS, "case"),
    ("POST", "/arbejde/sag/*/forbehold"): ("body", {"sekretaer"}, "case"),
    ("GET", "/arbejde/adgangskode"): "staff",
    ("POST", "/arbejde/adgangskode"): "staff",
    ("GET", "/arbejde/indstillinger"): "admin",
    ("POST", "/arbejde/indstillinger"): "admin",
    ("GET", "/arbejde/brugere"): "admin",
    # The agenda (issue 8): a body's settings (its sekretær or an administrator), meetings.
    ("GET", "/arbejde/organ/*/indstillinger"): ("body", {"sekretaer", "admin"}, "body"),
    ("POST", "/arbejde/organ/*/indstillinger"): ("body", {"sekretaer", "admin"}, "body"),
    ("GET", "/arbejde/moede/ny"): "staff",
    ("POST", "/arbejde/moede/ny"): "staff",
    ("GET", "/arbejde/moede/*"): ("body", READS, "meeting"),
    ("GET", "/arbejde/moede/*/ret"): ("body", {"sekretaer"}, "meeting"),
    ("POST", "/arbejde/moede/*/ret"): ("body", {"sekretaer"}, "meeting"),
    ("POST", "/arbejde/moede/*/handling"): ("body", {"sekretaer", "medlem"}, "meeting"),
    ("POST", "/arbejde/moede/*/flyt"): ("body", {"sekretaer"}, "meeting"),
    ("POST", "/arbejde/moede/*/udsaet"): ("body", {"sekretaer"}, "meeting"),
    ("GET", "/arbejde/moede/*/proforma"): ("body", READS, "meeting"),
    # editor (issue 8): writing cases needs sekretær or sagsbehandler on the body; a step's
    # route lets the workflow's roles in (the table decides the step).
    ("GET", "/arbejde/moede/*/sag/ny"): ("body", EDITS, "meeting"),
    ("POST", "/arbejde/moede/*/sag/ny"): ("body", EDITS, "meeting"),
    ("GET", "/arbejde/sag/*"): ("body", READS, "case"),
    ("GET", "/arbejde/sag/*/rediger"): ("body", EDITS, "case"),
    ("POST", "/arbejde/sag/*/rediger"): ("body", EDITS, "case"),
    ("POST", "/arbejde/sag/*/flet"): ("body", EDITS, "case"),
    ("POST", "/arbejde/sag/*/handling"): ("body", EDITS | {"godkender"}, "case"),
    ("GET", "/arbejde/sag/*/bilag"): ("body", EDITS, "case"),
    ("POST", "/arbejde/sag/*/bilag"): ("body", EDITS, "case"),
    ("POST", "/arbejde/sag/*/bilag/fjern"): ("body", EDITS, "case"),
    ("POST", "/arbejde/sag/*/gennemlaesning"): ("body", EDITS, "case"),
    ("GET", "/arbejde/sag/*/gennemlaesning/*"): ("body", READS, "case"),
    ("POST", "/arbejde/sag/*/gennemlaesning/*"): ("body", READS, "case"),
    ("GET", "/arbejde/gennemlaesning"): "staff",
    # The body library (issue 8, library): read by the body's people and administrators,
    # changed by its sekretær or an administrator ("admin" on a body route: any body).
    ("GET", "/arbejde/bibliotek"): "staff",
    ("GET", "/arbejde/organ/*/bibliotek"): ("body", READS | {"admin"}, "body"),
    ("GET", "/arbejde/organ/*/bibliotek/ny"): ("body", {"sekretaer", "admin"}, "body"),
    ("POST", "/arbejde/organ/*/bibliotek/ny"): ("body", {"sekretaer", "admin"}, "body"),
    ("GET", "/arbejde/organ/*/bibliotek/*"): ("body", READS | {"admin"}, "body"),
    ("POST", "/arbejde/organ/*/bibliotek/*"): ("body", {"sekretaer", "admin"}, "body"),
    ("GET", "/arbejde/organ/*/bibliotek/*/slet"): ("body", {"sekretaer", "admin"}, "body"),
    ("POST", "/arbejde/organ/*/bibliotek/*/slet"): ("body", {"sekretaer", "admin"}, "body"),
    ("POST", "/arbejde/organ/*/bibliotek/*/flyt"): ("body", {"sekretaer", "admin"}, "body"),
    # invitations (issue 8): a meeting's guests' invitations; the guest's own link is public
    ("GET", "/arbejde/moede/*/invitationer"): ("body", READS, "meeting"),
    ("POST", "/arbejde/moede/*/invitationer/*/igen"): ("body", {"sekretaer"}, "meeting"),
    ("GET", "/arbejde/moede/*/invitationer/*/ics"): ("body", READS, "meeting"),
    ("GET", "/gaest/*"): "public",
    # issue 9, publication: a case's levels (its sekretær), a meeting's publication (read by
    # those who read its cases, scheduled by its sekretær)
    ("GET", "/arbejde/sag/*/offentliggoerelse"): ("body", {"sekretaer"}, "case"),
    ("POST", "/arbejde/sag/*/offentliggoerelse"): ("body", {"sekretaer"}, "case"),
    ("GET", "/arbejde/moede/*/offentliggoerelse"): ("body", READS, "meeting"),
    ("POST", "/arbejde/moede/*/offentliggoerelse"): ("body", {"sekretaer"}, "meeting"),
    # issue 9, minutes: the minutes' page for the body's people; members approve and object,
    # the sekretær answers, takes the round's steps and adds tillæg
    ("GET", "/arbejde/moede/*/referat"): ("body", READS, "meeting"),
    ("POST", "/arbejde/moede/*/referat/godkend"): ("body", {"medlem"}, "meeting"),
    ("POST", "/arbejde/moede/*/referat/indsigelse"): ("body", {"medlem"}, "meeting"),
    ("POST", "/arbejde/moede/*/referat/svar"): ("body", {"sekretaer"}, "meeting"),
    ("POST", "/arbejde/moede/*/referat/handling"): ("body", {"sekretaer"}, "meeting"),
    ("POST", "/arbejde/moede/*/referat/tillaeg"): ("body", {"sekretaer"}, "meeting"),
    # ---- issue 9, decisions: the decision page is read by the case's readers and written by
    # its body's sekretær (notes and suggestions included); its script is public.
    ("GET", "/static/decision.js"): "public",
    ("GET", "/arbejde/sag/*/beslutning"): ("body", READS, "case"),
    ("POST", "/arbejde/sag/*/beslutning"): ("body", {"sekretaer"}, "case"),
    ("POST", "/arbejde/sag/*/beslutning/forslag"): ("body", {"sekretaer"}, "case"),
    # ---- issue 9, live: the live view and its JSON for the body's people; "Næste punkt" is
    # routed to them too (the store refuses all but the sekretær: 403); the attendance is the
    # sekretær's. ----
    ("GET", "/static/live.js"): "public",
    ("GET", "/static/live.css"): "public",
    ("GET", "/arbejde/moede/*/live"): ("body", READS, "meeting"),
    ("POST", "/arbejde/moede/*/live"): ("body", READS, "meeting"),
    ("GET", "/arbejde/moede/*/live.json"): ("body", READS, "meeting"),
    ("GET", "/arbejde/moede/*/fremmoede"): ("body", {"sekretaer"}, "meeting"),
    ("POST", "/arbejde/moede/*/fremmoede"): ("body", {"sekretaer"}, "meeting"),
    # ---- end issue 9, live ----
    # ---- issue 10, notices: a body's subscription form (anyone; Origin checked, no session
    # token), the mails' links (the token in the path is the key; the unsubscribe link takes
    # RFC 8058's one-click POST without Origin) ----
    ("GET", "/organ/*/abonnement"): "public",  # a reload: to the form on the body's page
    ("POST", "/organ/*/abonnement"): "public-form",
    ("GET", "/abonnement/bekraeft/*"): "public",
    ("POST", "/abonnement/bekraeft/*"): "public-form",
    ("GET", "/abonnement/afmeld/*"): "public",
    ("POST", "/abonnement/afmeld/*"): "one-click",
    # ---- end issue 10, notices ----
    # ---- issue 10, pdf: the meeting and the case as PDF, public (the public view) ----
    ("GET", "/moede/*.pdf"): "public",
    ("GET", "/sag/*.pdf"): "public",
    # ---- issue 10, remind: a body's control list (HTML, CSV, JSON) for the body's people ----
    ("GET", "/arbejde/organ/*/kontrolliste"): ("body", READS, "body"),
    ("GET", "/arbejde/organ/*/kontrolliste.csv"): ("body", READS, "body"),
    ("GET", "/arbejde/organ/*/kontrolliste.json"): ("body", READS, "body"),
    # ---- end issue 10, remind ----
    # ---- issue 10, followups: a follow-up for those who read its case; its steps and notes
    # routed to them (the store refuses all but the sekretær and the owner: 403), its edits
    # the sekretær's; units and owner links the administrator's ----
    ("GET", "/arbejde/opfoelgning/*"): ("body", READS, "followup"),
    ("POST", "/arbejde/opfoelgning/*/tilstand"): ("body", READS, "followup"),
    ("POST", "/arbejde/opfoelgning/*/note"): ("body", READS, "followup"),
    ("POST", "/arbejde/opfoelgning/*/ret"): ("body", {"sekretaer"}, "followup"),
    ("GET", "/arbejde/enheder"): "admin",
    ("POST", "/arbejde/enheder"): "admin",
    # ---- end issue 10, followups ----
}

# Who asks: name -> (login or None, roles on DIR, roles on ØK, admin)
IDENTITIES = {"anonym": (None, set(), set(), False), "admin": ("admin", set(), set(), True),
              "uden-roller": ("ingen", set(), set(), False)}
for r in ROLES:
    IDENTITIES["dir-" + r] = ("dir-" + r, {r}, set(), False)
    IDENTITIES["oek-" + r] = ("oek-" + r, set(), {r}, False)




def objects(ctx):
    """Ids of a closed DIR case, a DIR meeting and an ØK meeting, and the same case's body."""
    import sqlite3
    con = sqlite3.connect(ctx.db)
    try:
        q = lambda sql: con.execute(sql).fetchone()
        ctx.case_dir = q("SELECT c.id FROM \"case\" c JOIN body b ON b.id = c.body_id "
                         "WHERE b.code = 'DIR' AND NOT c.public ORDER BY c.id")[0]
        ctx.case_oek = q("SELECT c.id FROM \"case\" c JOIN body b ON b.id = c.body_id "
                         "WHERE b.code = 'ØK' ORDER BY c.id")[0]
        ctx.meeting_dir = q("SELECT m.id FROM meeting m JOIN body b ON b.id = m.body_id "
                            "WHERE b.code = 'DIR' ORDER BY m.id")[0]
        ctx.meeting_oek = q("SELECT m.id FROM meeting m JOIN body b ON b.id = m.body_id "
                            "WHERE b.code = 'ØK' ORDER BY m.id")[0]
        ctx.attachment = ctx.files[:2]
        ctx.year = q("SELECT substr(m.date, 1, 4) FROM meeting m JOIN body b "
                     "ON b.id = m.body_id WHERE b.code = 'DIR' ORDER BY m.date")[0]
        # editor (issue 8): a review of each case (no CLI makes one), so that its page exists
        for name, cid in (("review_dir", ctx.case_dir), ("review_oek", ctx.case_oek)):
            cur = con.execute("INSERT INTO review (case_id, version, created_by, created_at) "
                              "VALUES (?, 1, 0, '2026-01-01T00:00:00Z')", (cid,))
            setattr(ctx, name, cur.lastrowid)
        con.commit()
        # The body library (issue 8, library): an item of each body's library.
        ctx.item_dir = q("SELECT i.id FROM body_item i JOIN body b ON b.id = i.body_id "
                         "WHERE b.code = 'DIR' ORDER BY i.id")[0]
        ctx.item_oek = q("SELECT i.id FROM body_item i JOIN body b ON b.id = i.body_id "
                         "WHERE b.code = 'ØK' ORDER BY i.id")[0]
        # ---- issue 10, followups: a DIR follow-up, and one made on the ØK case (the
        # examples have none there) ----
        ctx.followup_dir = q("SELECT f.id FROM followup f JOIN \"case\" c ON c.id = f.case_id "
                             "WHERE c.id = %d ORDER BY f.id" % ctx.case_dir)[0]
        con.execute("INSERT OR IGNORE INTO person (name) VALUES ('Økonomichef Matrix')")
        cur = con.execute("INSERT INTO followup (case_id, pos, person_id, text) VALUES (?, 99, "
                          "(SELECT id FROM person WHERE name = 'Økonomichef Matrix'), "
                          "'Matrixopfølgning')", (ctx.case_oek,))
        ctx.followup_oek = cur.lastrowid
        con.commit()
    finally:
        con.close()


def import_libraries(referat, examples, ctx):
    """The body library (issue 8, library): the examples' library for DIR, one item for ØK."""
    import os
    oek = os.path.join(ctx.dir, "oek.library.json")
    with open(oek, "w", encoding="utf-8") as f:
        f.write('{"format": "referat-library/1", "body": "ØK", "recurring": [{"name": '
                '"Eventuelt", "duration": 5}]}')
    for path in (os.path.join(examples, "library", "DIR.library.json"), oek):
        r = subprocess.run([referat, "library", "import", path, "--db", ctx.db],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, "library import: " + r.stderr)


def url_for(ctx, pattern, own):
    """A concrete URL for a pattern; for body routes the object of DIR (own) or of ØK."""
    fixed = {
        "/organ/*": "/organ/DIR", "/organ/*/atom.xml": "/organ/DIR/atom.xml",
        "/organ/*/kalender.ics": "/organ/DIR/kalender.ics",
        "/organ/*/*": "/organ/DIR/" + ctx.year,
        "/organ/*/verdensmaal/*": "/organ/DIR/verdensmaal/" + ctx.year,  # issue 10, sdg
        "/moede/*": "/moede/%d" % ctx.meeting_dir, "/sag/*": "/sag/%d" % ctx.case_oek,
        "/sag/*/bilag/*": "/sag/%d/bilag/%d" % ctx.attachment, "/person/*": "/person/1",
        "/api/meetings/*": "/api/meetings/%d" % ctx.meeting_dir,
        "/api/cases/*": "/api/cases/%d" % ctx.case_oek,
        "/api/meetings/*/minutes": "/api/meetings/%d/minutes" % ctx.meeting_dir,  # issue 9, api
        "/soeg": "/soeg?q=budget", "/api/search": "/api/search?q=budget",
        "/arbejde/sag/*/historik": "/arbejde/sag/%d/historik" % (
            ctx.case_dir if own else ctx.case_oek),
        "/arbejde/moede/*/historik": "/arbejde/moede/%d/historik" % (
            ctx.meeting_dir if own else ctx.meeting_oek),
        "/arbejde/sag/*/forbehold": "/arbejde/sag/%d/forbehold" % (
            ctx.case_dir if own else ctx.case_oek),
    }
    # invitations (issue 8): the invitation of the meeting's own body
    meeting, invitation = ctx.invitations[0 if own else 1]
    inv = "/arbejde/moede/%d/invitationer/%d/" % (meeting, invitation)
    mine = {
        "/arbejde/moede/*/invitationer": "/arbejde/moede/%d/invitationer" % meeting,
        "/arbejde/moede/*/invitationer/*/igen": inv + "igen",
        "/arbejde/moede/*/invitationer/*/ics": inv + "ics",
        "/gaest/*": "/gaest/" + GUEST_TOKEN,
    }
    if pattern in mine:
        return mine[pattern]
    # ---- issue 10, remind: the control list of DIR or ØK, with a period ----
    if pattern.startswith("/arbejde/organ/*/kontrolliste"):
        return pattern.replace("*", "DIR" if own else "%C3%98K", 1) + \
            "?fra=2020-01-01&til=2030-12-31"
    # ---- end issue 10, remind ----
    if pattern == "/arbejde/organ/*/indstillinger":
        return "/arbejde/organ/%s/indstillinger" % ("DIR" if own else "%C3%98K")
    if pattern.startswith("/arbejde/moede/*"):
        return pattern.replace("*", str(ctx.meeting_dir if own else ctx.meeting_oek), 1)
    if pattern.startswith("/api/v1/meetings/*"):
        return pattern.replace("*", str(ctx.meeting_dir if own else ctx.meeting_oek), 1) \
            .replace("*", "frigiv")
    if pattern.startswith("/api/v1/cases/*"):
        return pattern.replace("*", str(ctx.case_dir if own else ctx.case_oek), 1) \
            .replace("*", "indsend")
    # editor (issue 8)
    case = ctx.case_dir if own else ctx.case_oek
    meeting = ctx.meeting_dir if own else ctx.meeting_oek
    fixed.update({
        "/arbejde/moede/*/sag/ny": "/arbejde/moede/%d/sag/ny" % meeting,
        "/arbejde/sag/*": "/arbejde/sag/%d" % case,
        "/arbejde/sag/*/rediger": "/arbejde/sag/%d/rediger" % case,
        "/arbejde/sag/*/flet": "/arbejde/sag/%d/flet" % case,
        "/arbejde/sag/*/handling": "/arbejde/sag/%d/handling" % case,
        "/arbejde/sag/*/bilag": "/arbejde/sag/%d/bilag" % case,
        "/arbejde/sag/*/bilag/fjern": "/arbejde/sag/%d/bilag/fjern" % case,
        "/arbejde/sag/*/gennemlaesning": "/arbejde/sag/%d/gennemlaesning" % case,
        "/arbejde/sag/*/gennemlaesning/*": "/arbejde/sag/%d/gennemlaesning/%d" % (
            case, ctx.review_dir if own else ctx.review_oek),
        # issue 9, publication
        "/arbejde/sag/*/offentliggoerelse": "/arbejde/sag/%d/offentliggoerelse" % case,
    })
    # ---- issue 10, pdf: the meeting and the case as PDF
    fixed.update({"/moede/*.pdf": "/moede/%d.pdf" % ctx.meeting_dir,
                  "/sag/*.pdf": "/sag/%d.pdf" % ctx.case_oek})
    # ---- issue 10, followups: a follow-up of a DIR case, or of an ØK case
    if pattern.startswith("/arbejde/opfoelgning/*"):
        return pattern.replace("*", str(ctx.followup_dir if own else ctx.followup_oek), 1)
    # ---- issue 9, decisions: the case of the body (DIR's own, or ØK's)
    if pattern.startswith("/arbejde/sag/*/beslutning"):
        return pattern.replace("*", str(case), 1)
    # The body library (issue 8, library): the body's code, and an item of that body.
    if pattern.startswith("/arbejde/organ/*/bibliotek"):
        body, item = ("DIR", ctx.item_dir) if own else ("%C3%98K", ctx.item_oek)
        return pattern.replace("/organ/*", "/organ/" + body, 1).replace(
            "/bibliotek/*", "/bibliotek/%d" % item)
    # ---- issue 10, notices: the links of notice_objects' subscription
    fixed.update({"/organ/*/abonnement": "/organ/DIR/abonnement",
                  "/abonnement/bekraeft/*": "/abonnement/bekraeft/" + NOTICE_CONFIRM,
                  "/abonnement/afmeld/*": "/abonnement/afmeld/" + NOTICE_UNSUB})
    return fixed.get(pattern, pattern)


# ---- issue 10, notices ----
NOTICE_CONFIRM = "AbonBekraeft" + "x" * 31  # 43 characters, as the store makes them
NOTICE_UNSUB = "AbonAfmeld" + "y" * 33


def notice_objects(ctx):
    """A pending subscription to DIR with a confirmation link and an unsubscribe link."""
    import hashlib
    import sqlite3

    def h(t):
        return hashlib.blake2b(t.encode(), digest_size=32).hexdigest()
    con = sqlite3.connect(ctx.db)
    try:
        cur = con.execute(
            "INSERT INTO notice_subscription (body_id, email, email_hash, requested, state, "
            "created_at) SELECT id, 'abonnent@example.dk', ?, 'begge', 'pending', "
            "'2024-01-01T00:00:00Z' FROM body WHERE code = 'DIR'", (h("abonnent@example.dk"),))
        for token, purpose, until in [(NOTICE_CONFIRM, "confirm", 4102444800),
                                      (NOTICE_UNSUB, "unsubscribe", None)]:
            con.execute("INSERT INTO notice_token (hash, subscription_id, purpose, created_at, "
                        "expires_at) VALUES (?, ?, ?, '2024-01-01T00:00:00Z', ?)",
                        (h(token), cur.lastrowid, purpose, until))
        con.commit()
    finally:
        con.close()


def test_notice_forms_origin(ctx):
    """The subscription form and the confirmation are refused from another site (or without
    Origin); the one-click unsubscribe takes a mail program's POST without one."""
    for path in ["/organ/DIR/abonnement", "/abonnement/bekraeft/" + "z" * 43]:
        for origin in ["https://ond.example", ""]:
            st, _, _ = Client(ctx.srv, origin=origin).post(path, {"email": "x@example.dk"})
            check(st == 403, "%s from %r: %d" % (path, origin, st))
    st, _, body = Client(ctx.srv, origin="").post("/abonnement/afmeld/" + "z" * 43,
                                                  {"List-Unsubscribe": "One-Click"})
    check(st == 404 and "Linket er ukendt".encode() in body,
          "one-click without Origin reaches the handler: %d" % st)
# ---- end issue 10, notices ----


# ---- invitations (issue 8) ----
GUEST_TOKEN = "GaestToken" + "x" * 33  # 43 characters, as the store makes them


def invitation_objects(ctx):
    """A failed invitation on a case of a DIR meeting's agenda and one of an ØK meeting's (the
    retry route has something to retry), each the case's latest meeting, and a guest link to
    the DIR one: ctx.invitations [(meeting, invitation) of DIR, of ØK]."""
    import hashlib
    import sqlite3
    con = sqlite3.connect(ctx.db)
    try:
        ids = []
        for code, email in [("DIR", "gaest@example.dk"), ("ØK", "gaest2@example.dk")]:
            # A case and the latest meeting it is on (its invitations' meeting).
            meeting, case = con.execute(
                "SELECT m.id, a.case_id FROM agenda a JOIN meeting m ON m.id = a.meeting_id "
                "JOIN body b ON b.id = m.body_id WHERE b.code = ? AND NOT EXISTS (SELECT 1 "
                "FROM agenda a2 JOIN meeting m2 ON m2.id = a2.meeting_id WHERE a2.case_id = "
                "a.case_id AND (m2.date > m.date OR (m2.date = m.date AND m2.id > m.id))) "
                "ORDER BY m.id, a.pos", (code,)).fetchone()
            date = con.execute("SELECT date FROM meeting WHERE id = ?", (meeting,)).fetchone()[0]
            cur = con.execute(
                "INSERT INTO invitation (case_id, email, name, uid, sequence, method, dtstart, "
                "dtend, subitems, state, error, attempts, created_at) VALUES (?, ?, 'Gæst', ?, "
                "0, 'REQUEST', ?, ?, '[1]', 'failed', 'SMTP nede', 1, '2024-01-01T00:00:00Z')",
                (case, email, "uid-%d@referat" % meeting, date + "T10:00", date + "T10:30"))
            ids.append((meeting, cur.lastrowid))
            if email == "gaest@example.dk":
                con.execute("INSERT INTO guest_link (hash, case_id, email, expires_at, "
                            "created_at) VALUES (?, ?, ?, 4102444800, '2024-01-01T00:00:00Z')",
                            (hashlib.blake2b(GUEST_TOKEN.encode(), digest_size=32).hexdigest(),
                             case, email))
        con.commit()
        ctx.invitations = ids
    finally:
        con.close()


def allowed(decision, ident, own):
    """Whether ident may use a route with this decision (own: the object is DIR's)."""
    login, dir_roles, oek_roles, admin = IDENTITIES[ident]
    if decision in ("public", "login", "public-form", "one-click"):  # issue 10, notices
        return True
    if login is None:
        return False
    if decision == "staff":
        return True
    if decision == "admin":
        return admin
    _, roles, _ = decision
    if admin and "admin" in roles:
        return True  # an administrator holds every body's settings (WEB_SCOPE_BODY)
    return bool((dir_roles if own else oek_roles) & roles)


def refused(status, headers):
    """What a refusal looks like: the login page for the public, 401/403, or a 404 for an
    object the person may not know of."""
    if status == 303:
        return headers.get("location", "").startswith("/log-ind")
    return status in (401, 403, 404)


def post_form(ctx, pattern):
    """A form for each POST route that passes the route's rule without changing anything the
    matrix depends on (the handler may still refuse its content)."""
    return {
        "/arbejde/adgangskode": {"current": "x", "new": "a", "repeat": "b"},
        "/arbejde/indstillinger": {},
        "/log-ud": {},
    }.get(pattern, {})


def run_cell(ctx, client, method, pattern, decision, ident, own):
    url = url_for(ctx, pattern, own)
    if pattern.startswith("/api/v1/"):
        # The write API: the identity's API token; an empty object passes the route's rule
        # and is then refused by the handler (400), so nothing changes.
        login = IDENTITIES[ident][0]
        h = {"Authorization": "Bearer " + ctx.tokens[login]} if login else {}
        if method != "GET":
            h["Content-Type"] = "application/json"
        st, h, body = ctx.srv.get(url, method, h, b"{}" if method != "GET" else None)
        want = allowed(decision, ident, own)
        ok = (st in (200, 400) if want else st in (401, 404)) and \
            h.get("content-type", "").startswith("application/json")
        return ok, st
    if method == "GET":
        st, h, body = client.get(url)
    elif pattern == "/log-ind":
        # The login form's rule: anyone with the pre-login token (fetched as the public would,
        # then sent beside this client's own cookies); a wrong password is the handler's
        # answer (401), not a refusal by the route.
        fresh = Client(ctx.srv)
        _, _, page = fresh.get("/log-ind")
        client.jar.update({k: v for k, v in fresh.jar.items() if k.endswith("-login")})
        st, h, body = client.post(url, {"csrf": csrf_of(page), "login": "nobody-" + ident,
                                        "password": "wrong wrong wrong"})
        return st == 401 and b"Forkert brugernavn" in body, st
    else:
        token = client.csrf() if client.jar else None
        form = dict(post_form(ctx, pattern), csrf=token or "0" * 64)
        st, h, body = client.post(url, form)
    want = allowed(decision, ident, own)
    if pattern.startswith("/abonnement/"):
        # ---- issue 10, notices: the handler answers, whoever asks: the link's page, or
        # (a confirmation used by an earlier identity) its own 404 for an unknown link
        return st == 200 or (st == 404 and "Linket er ukendt".encode() in body), st
    if want:
        ok = not refused(st, h) and st < 500
    else:
        ok = refused(st, h)
    return ok, st


def test_matrix_covers_every_route(ctx):
    r = subprocess.run([ctx.referat, "serve", "--routes"], capture_output=True, text=True,
                       timeout=30)
    check(r.returncode == 0, "serve --routes")
    routes = json.loads(r.stdout)
    have = {(x["method"], x["pattern"]) for x in routes}
    missing = sorted(have - set(EXPECT))
    check(not missing, "routes without a decision in EXPECT: %r" % missing)
    stale = sorted(set(EXPECT) - have)
    check(not stale, "decisions for routes the server does not have: %r" % stale)
    # The server's own declaration agrees with the decision.
    for x in routes:
        d = EXPECT[(x["method"], x["pattern"])]
        if isinstance(d, tuple):
            check(x["access"] == "body" and set(x["roles"]) == d[1] and x["scope"] == d[2],
                  "declared %r for %s %s, decided %r" % (x, x["method"], x["pattern"], d))
        else:
            check(x["access"] == d, "declared %s for %s %s, decided %s" % (
                x["access"], x["method"], x["pattern"], d))
    ctx.routes = routes


def test_matrix(ctx):
    fails = []
    cells = 0
    for ident, (login, _, _, _) in IDENTITIES.items():
        client = Client(ctx.srv)
        if login:
            client.login(login)
        for (method, pattern), decision in EXPECT.items():
            if pattern == "/log-ud":
                continue  # logs the client out: its own test below
            for own in ([True, False] if isinstance(decision, tuple) else [True]):
                ok, st = run_cell(ctx, client, method, pattern, decision, ident, own)
                cells += 1
                if not ok:
                    fails.append("%s %s %s (%s body): %d, want %s" % (
                        ident, method, url_for(ctx, pattern, own), "own" if own else "other",
                        st, "allowed" if allowed(decision, ident, own) else "refused"))
    print("  %d cells" % cells)
    check(not fails, "matrix cells wrong:\n  " + "\n  ".join(fails))


def test_logout_cell(ctx):
    for ident, (login, _, _, _) in IDENTITIES.items():
        client = Client(ctx.srv)
        if login:
            client.login(login)
            st, h, _ = client.post("/log-ud", {"csrf": client.csrf()})
            check(st == 303 and h["location"].startswith("/log-ind"), ident + " logs out")
            st, h, _ = client.get("/arbejde")
            check(refused(st, h), ident + " is logged out")
        else:
            st, h, _ = client.post("/log-ud", {"csrf": "0" * 64})
            check(refused(st, h), "the public cannot log out")


def test_v1_takes_tokens_only(ctx):
    """The write API answers API tokens only: a logged-in browser's cookies (and its CSRF
    token) get a 401, so no page can make a staff member's browser write through it."""
    sec = Client(ctx.srv)
    sec.login("dir-sekretaer")
    token = sec.csrf()
    for method, path in [("GET", "/api/v1/meetings/%d" % ctx.meeting_dir),
                         ("POST", "/api/v1/meetings"),
                         ("PUT", "/api/v1/cases/%d" % ctx.case_dir)]:
        raw = None if method == "GET" else b'{"csrf": "%s"}' % token.encode()
        st, h, body = sec.request(method, path, raw_body=raw,
                                  headers={"Content-Type": "application/json",
                                           "X-CSRF-Token": token})
        check(st == 401 and b"Bearer" in body, "%s %s with cookies: %d" % (method, path, st))
    # A token is refused by the staff pages, as before.
    st, h, _ = ctx.srv.get("/arbejde", headers={
        "Authorization": "Bearer " + ctx.tokens["dir-sekretaer"]})
    check(st != 200, "a token does not open the staff area: %d" % st)


def test_caveat_review(ctx):
    """Issue 12: a meeting document read with `import --lenient` is "læst med forbehold" until
    the body's secretary has reviewed it in the staff area: listed, its warnings shown with
    their places, cleared by the sekretær only (a ledger event), and never shown publicly."""
    import os
    import sqlite3
    doc = os.path.join(ctx.dir, "afbrudt.txt")
    with open(doc, "w", encoding="utf-8") as f:
        f.write("Referat\nDirektionen\nTirsdag den 5. marts 2024\n\n1. Godkendelse af "
                "dagsorden\n\nBeslutning\nGodkendt.\n\n2. Skolestruktur\n\nSagsfremstilling\n"
                "Tre skoler i Vestbyen lægges sammen til én skole\n")
    r = subprocess.run([ctx.referat, "import", "--lenient", "--quiet", doc, "--db", ctx.db],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 0, "lenient import: " + r.stderr)
    con = sqlite3.connect(ctx.db)
    cid = con.execute("SELECT min(case_id) FROM case_caveat").fetchone()[0]
    con.close()
    check(cid, "the lenient import left reservations")
    member, sec, other = Client(ctx.srv), Client(ctx.srv), Client(ctx.srv)
    member.login("dir-medlem")
    sec.login("dir-sekretaer")
    other.login("oek-sekretaer")
    st, _, body = member.get("/arbejde")
    check("læst med forbehold".encode() in body and b'href="/arbejde/forbehold"' in body,
          "the overview says so")
    st, _, body = member.get("/arbejde/forbehold")
    check(st == 200 and b"/arbejde/sag/%d/forbehold" % cid in body, "listed for a reader")
    st, _, body = other.get("/arbejde/forbehold")
    check(st == 200 and b"/arbejde/sag/%d/forbehold" % cid not in body, "not for another body")
    st, _, body = member.get("/arbejde/sag/%d/forbehold" % cid)
    check(st == 200 and b"13:1:" in body and "Markér som gennemset".encode() not in body,
          "warnings with their place; no button for a member: %d" % st)
    st, _, body = member.get("/sag/%d" % cid)
    check("Læst med forbehold".encode() in body, "the case page tells the staff")
    st, _, body = Client(ctx.srv).get("/sag/%d" % cid)
    check(b"forbehold" not in body.lower() and b"13:1" not in body, "nothing of it public")
    st, _, _ = member.post("/arbejde/sag/%d/forbehold" % cid, {"csrf": member.csrf()})
    check(st in (403, 404), "a member may not clear: %d" % st)
    st, _, body = sec.get("/arbejde/sag/%d/forbehold" % cid)
    check("Markér som gennemset".encode() in body, "the sekretær gets the button")
    st, h, _ = sec.post("/arbejde/sag/%d/forbehold" % cid, {"csrf": sec.csrf()})
    check(st == 303 and h["location"] == "/arbejde/forbehold?gennemset=1", "cleared: %d" % st)
    con = sqlite3.connect(ctx.db)
    left = con.execute("SELECT count(*) FROM case_caveat WHERE case_id = ?", (cid,)).fetchone()[0]
    events = con.execute("SELECT count(*) FROM ledger WHERE action = 'case.caveats_cleared' "
                         "AND object = ?", ("case:%d" % cid,)).fetchone()[0]
    con.close()
    check(left == 0 and events == 1, "reservations gone (%d), one event (%d)" % (left, events))
    st, _, body = sec.get("/arbejde/forbehold?gennemset=1")
    check(b"markeret som gennemset" in body and b"/arbejde/sag/%d/forbehold" % cid not in body,
          "the list is empty after")


def main():
    referat, examples = sys.argv[1], sys.argv[2]
    ctx = Ctx()
    ctx.referat = referat
    ctx.dir = workdir()
    runner = Runner()
    try:
        ctx.db = make_archive(referat, examples, ctx.dir)
        for ident, (login, dir_roles, oek_roles, admin) in IDENTITIES.items():
            if login:
                add_user(referat, ctx.db, login, admin=admin,
                         grants=[("DIR", r) for r in dir_roles] + [("ØK", r) for r in oek_roles])
        ctx.tokens = {}
        for login in sorted(l for l, _, _, _ in IDENTITIES.values() if l):
            r = subprocess.run([referat, "token", "add", login, "--db", ctx.db],
                               capture_output=True, text=True, timeout=30)
            check(r.returncode == 0, "token add " + login + ": " + r.stderr)
            ctx.tokens[login] = r.stdout.strip()
        ctx.files = add_attachment_files(ctx.db)
        import_libraries(referat, examples, ctx)
        objects(ctx)
        invitation_objects(ctx)  # issue 8
        notice_objects(ctx)  # issue 10, notices
        ctx.srv = Server(referat, ctx.db, ["--quiet"])
        runner.run_all(globals(), ctx)
        ctx.srv.stop()
    finally:
        if getattr(ctx, "srv", None):
            ctx.srv.stop()
        cleanup(ctx.dir)
    return runner.report()


if __name__ == "__main__":
    sys.exit(main())
