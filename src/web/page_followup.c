/* page_followup: one follow-up in the staff area (/arbejde/opfoelgning/ID, issue 10): its
 * state and the steps the person may take (with a reason, or the meeting it is handed to),
 * the sekretær's edits (owner, due date, text), progress notes, and its history (ledger events
 * and notes in time order); the follow-ups handed to a meeting, for its staff page; and the
 * administrator's units and owner links (/arbejde/enheder). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../format/html.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

#define MAX_TARGETS 200

static const char *state_label(const char *state)
{
    int k = wf_state_parse(&wf_followup, state);
    return k >= 0 ? wf_state_label(&wf_followup, k) : state ? state : "";
}

static void form_open(struct buf *b, const struct web_request *req, int64_t id,
                      const char *what)
{
    buf_printf(b, "<form class=\"form\" method=\"post\" action=\"/arbejde/opfoelgning/%lld/%s\">",
               (long long)id, what);
    web_csrf_field(b, req);
}

/* What a ledger event about a follow-up says, in Danish. */
static void event_text(struct buf *b, const struct store_event *ev)
{
    if (strcmp(ev->action, "followup.transition") == 0) {
        json_error_t je;
        json_t *d = ev->detail ? json_loads(ev->detail, 0, &je) : NULL;
        const char *to = d ? json_string_value(json_object_get(d, "to")) : NULL;
        buf_puts(b, "Tilstand: ");
        html_text(b, state_label(to));
        json_decref(d);
    } else if (strcmp(ev->action, "followup.edit") == 0) {
        buf_puts(b, "Rettet (ansvarlig, frist eller tekst)");
    } else if (strcmp(ev->action, "followup.done") == 0) {
        buf_puts(b, "Markeret som udført");
    } else if (strcmp(ev->action, "followup.reopen") == 0) {
        buf_puts(b, "Genåbnet");
    } else {
        html_text(b, ev->action);
    }
}

static void history(struct buf *b, const struct store_event *ev, size_t nev,
                    const struct store_followup_note *nt, size_t nnt)
{
    buf_puts(b, "<h2 id=\"historik\">Historik</h2>\n");
    if (!nev && !nnt) {
        buf_puts(b, "<p>Intet er sket endnu.</p>\n");
        return;
    }
    buf_puts(b, "<ol class=\"list history\" aria-labelledby=\"historik\">\n");
    /* Events come newest first, notes oldest first: merged oldest first (an event before a
     * note of the same second). A note's own event (followup.note) is the note itself. */
    size_t i = nev, k = 0;
    while (i > 0 || k < nnt) {
        if (i > 0 && strcmp(ev[i - 1].action, "followup.note") == 0) {
            i--;
            continue;
        }
        bool note = k < nnt && (i == 0 || strcmp(nt[k].at, ev[i - 1].at) < 0);
        const char *at = note ? nt[k].at : ev[i - 1].at;
        buf_puts(b, "<li><span class=\"meta\"><time datetime=\"");
        html_attr(b, at);
        buf_puts(b, "\">");
        html_text(b, at);
        buf_puts(b, "</time> · ");
        html_text(b, note ? nt[k].author : ev[i - 1].actor);
        buf_puts(b, "</span><br>");
        if (note) {
            buf_puts(b, "<strong>Note:</strong> ");
            html_text(b, nt[k].text);
            k++;
        } else {
            event_text(b, &ev[i - 1]);
            i--;
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ol>\n");
}

static void step_forms(struct buf *b, const struct web_request *req,
                       const struct store_followup_detail *d)
{
    int st = wf_state_parse(&wf_followup, d->state);
    struct wf_actor who = {d->roles, d->owner};
    const struct wf_row *rows[8];
    size_t n = wf_actions(&wf_followup, st, &who, rows, 8);
    if (n > 8)
        n = 8;
    if (!n)
        return;
    buf_puts(b, "<h2 id=\"tilstand\">Skift tilstand</h2>\n");
    struct store_forward_target *t = NULL;
    size_t nt = 0;
    bool targets_read = false;
    for (size_t i = 0; i < n; i++) {
        const char *name = wf_action_name(&wf_followup, rows[i]->action);
        bool bare = !(rows[i]->flags & (WF_REASON | WF_TARGET));
        if (bare) /* a button alone: side by side with the others */
            buf_puts(b, "<div class=\"inline\">");
        form_open(b, req, d->fu.id, "tilstand");
        buf_printf(b, "<input type=\"hidden\" name=\"handling\" value=\"%s\">", name);
        char field[48];
        if (rows[i]->flags & WF_TARGET) {
            if (!targets_read) {
                struct store_page pg = {0, MAX_TARGETS};
                struct err e = {0};
                if (store_forward_targets(req->store, d->fu.id, &pg, &t, &nt, &e) < 0)
                    nt = 0;
                targets_read = true;
            }
            snprintf(field, sizeof field, "moede-%s", name);
            buf_printf(b, "<div class=\"field\"><label for=\"%s\">Møde, der ikke er holdt endnu"
                          "</label><select id=\"%s\" name=\"moede\"><option value=\"\">Vælg"
                          "</option>", field, field);
            for (size_t k = 0; k < nt; k++) {
                buf_printf(b, "<option value=\"%lld\">", (long long)t[k].id);
                html_text(b, t[k].body_name ? t[k].body_name : t[k].body);
                buf_puts(b, ", ");
                html_text(b, t[k].date);
                buf_puts(b, "</option>");
            }
            buf_puts(b, "</select></div>");
        }
        if ((rows[i]->flags & (WF_REASON | WF_TARGET))) {
            snprintf(field, sizeof field, "begrundelse-%s", name);
            buf_printf(b, "<div class=\"field\"><label for=\"%s\">Begrundelse%s</label>"
                          "<textarea id=\"%s\" name=\"begrundelse\" rows=\"2\"%s></textarea>"
                          "</div>", field,
                       (rows[i]->flags & WF_REASON) ? " (skal udfyldes)" : " (valgfri)", field,
                       (rows[i]->flags & WF_REASON) ? " required" : "");
        }
        buf_puts(b, "<button type=\"submit\">");
        html_text(b, wf_action_label(&wf_followup, rows[i]->action));
        buf_puts(b, bare ? "</button></form></div>\n" : "</button></form>\n");
    }
    store_forward_targets_free(t, nt);
}

void page_work_followup(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    struct store_followup_detail d = {0};
    struct store_followup_note *nt = NULL;
    struct store_event *ev = NULL;
    size_t nnt = 0, nev = 0;
    struct err e = {0};
    char object[40];
    snprintf(object, sizeof object, "followup:%lld", (long long)id);
    struct store_page pg = {0, 200};
    int rc = req->store ? store_followup_get(req->store, id, req->reader, &d, &e) : ERR_DB;
    if (rc == 0)
        rc = store_followup_notes(req->store, id, req->reader, &nt, &nnt, &e);
    if (rc == 0)
        rc = store_events(req->store, object, req->reader, &pg, &ev, &nev, NULL, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er ingen opfølgning med det nummer.", &e);
        goto done;
    }
    web_work_begin(res, "Opfølgning", "opfoelgninger");
    struct buf *b = &res->body;
    bool sekr = (d.roles & ROLE_SEKRETAER) != 0;
    buf_puts(b, "<h1>Opfølgning</h1>\n");
    if (web_arg(req, "gemt"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Gemt.</p>\n");
    buf_puts(b, "<p class=\"lead\">");
    html_text(b, d.fu.text);
    buf_puts(b, "</p>\n<dl class=\"facts\"><dt>Tilstand</dt><dd>");
    html_text(b, state_label(d.state));
    if (d.state_reason) {
        buf_puts(b, ": ");
        html_text(b, d.state_reason);
    }
    if (d.forwarded_to)
        buf_printf(b, " (<a href=\"/arbejde/moede/%lld\">mødet</a>)", (long long)d.forwarded_to);
    buf_puts(b, "</dd><dt>Ansvarlig</dt><dd>");
    html_text(b, d.fu.owner);
    if (d.owner)
        buf_puts(b, " (dig)");
    buf_puts(b, "</dd><dt>Frist</dt><dd>");
    if (d.fu.due)
        web_date_long(b, d.fu.due);
    else
        buf_puts(b, "ingen");
    buf_puts(b, "</dd><dt>Sag</dt><dd>");
    web_followup_case(b, &d.fu);
    if (d.roles & ~ROLE_ADMIN) /* the staff case page is for the case's bodies' people */
        buf_printf(b, " · <a href=\"/arbejde/sag/%lld\">i arbejdsområdet</a>",
                   (long long)d.fu.case_id);
    buf_puts(b, "</dd></dl>\n");

    step_forms(b, req, &d);

    if (sekr) {
        buf_puts(b, "<h2 id=\"ret\">Ret opfølgningen</h2>\n");
        form_open(b, req, id, "ret");
        web_input(b, &(struct web_input){.name = "ansvarlig", .label = "Ansvarlig",
                                         .value = d.fu.owner, .required = true,
                                         .help = "Navnet på den person eller enhed, der følger "
                                                 "op."}, NULL);
        web_input(b, &(struct web_input){.name = "frist", .label = "Frist",
                                         .type = WEB_INPUT_DATE, .value = d.fu.due}, NULL);
        web_input(b, &(struct web_input){.name = "tekst", .label = "Tekst",
                                         .type = WEB_INPUT_TEXTAREA, .value = d.fu.text,
                                         .required = true, .rows = 3}, NULL);
        buf_puts(b, "<button type=\"submit\">Gem</button></form>\n");
    }
    if (sekr || d.owner) {
        buf_puts(b, "<h2 id=\"ny-note\">Skriv en note</h2>\n");
        form_open(b, req, id, "note");
        web_input(b, &(struct web_input){.name = "note", .label = "Hvad er der sket?",
                                         .type = WEB_INPUT_TEXTAREA, .required = true,
                                         .rows = 3}, NULL);
        buf_puts(b, "<button type=\"submit\">Gem noten</button></form>\n");
    }
    history(b, ev, nev, nt, nnt);
    web_page_end(res);
done:
    store_followup_detail_fini(&d);
    store_followup_notes_free(nt, nnt);
    store_events_free(ev, nev);
}

/* After a POST: back to the follow-up, or the refusal with its status and the store's
 * message, which names the field and no closed content. */
static void after(const struct web_request *req, struct web_response *res, int rc,
                  const struct err *e)
{
    if (rc == 0) {
        char loc[80];
        snprintf(loc, sizeof loc, "/arbejde/opfoelgning/%lld?gemt=1",
                 (long long)web_parse_id(req->seg[2]));
        web_redirect(res, 303, loc);
        return;
    }
    if (rc == ERR_DB || rc == ERR_NOTFOUND) {
        web_fail(res, rc, false, "Der er ingen opfølgning med det nummer.", e);
        return;
    }
    int status = rc == ERR_DENIED ? 403 : rc == ERR_CONFLICT ? 409 : 400;
    char msg[400];
    snprintf(msg, sizeof msg, "Intet er ændret: %s", e->msg);
    web_error_page(res, status, msg);
}

void page_work_followup_step_post(const struct web_request *req, struct web_response *res)
{
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    const char *action = web_field(req, "handling"), *meeting = web_field(req, "moede");
    int rc = store_followup_step(req->store, web_parse_id(req->seg[2]), action ? action : "",
                                 web_field(req, "begrundelse"),
                                 meeting && *meeting ? web_parse_id(meeting) : 0, &a, &e);
    after(req, res, rc, &e);
}

void page_work_followup_note_post(const struct web_request *req, struct web_response *res)
{
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    const char *text = web_field(req, "note");
    int rc = store_followup_note_add(req->store, web_parse_id(req->seg[2]), text ? text : "", &a,
                                     NULL, &e);
    after(req, res, rc, &e);
}

void page_work_followup_edit_post(const struct web_request *req, struct web_response *res)
{
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    const char *owner = web_field(req, "ansvarlig"), *due = web_field(req, "frist"),
               *text = web_field(req, "tekst");
    int rc = store_followup_edit(req->store, web_parse_id(req->seg[2]), owner ? owner : "",
                                 due ? due : "", text ? text : "", &a, &e);
    after(req, res, rc, &e);
}

/* ---- the meeting's agenda note ---- */

void web_followups_forwarded(const struct web_request *req, struct buf *b, int64_t meeting_id)
{
    struct store_followup *v = NULL;
    size_t n = 0;
    struct err e = {0};
    if (store_meeting_forwarded(req->store, meeting_id, req->reader, &v, &n, &e) < 0 || !n) {
        store_followups_free(v, n);
        return;
    }
    buf_puts(b, "<h2 id=\"videresendte\">Videresendte opfølgninger</h2>\n<p class=\"meta\">"
                "Opfølgninger, som et andet udvalg har sendt videre til dette møde.</p>\n"
                "<ul class=\"list\" aria-labelledby=\"videresendte\">\n");
    /* The follow-up's own page belongs to the body that decided it (its case's readers); the
     * receiving body reads the case as its roles allow, through the case's link. */
    for (size_t i = 0; i < n; i++) {
        buf_printf(b, "<li id=\"videresendt-%lld\">", (long long)v[i].id);
        html_text(b, v[i].text);
        buf_puts(b, "<br><span class=\"meta\">");
        html_text(b, v[i].owner);
        buf_puts(b, " · ");
        web_followup_case(b, &v[i]);
        buf_puts(b, "</span></li>\n");
    }
    buf_puts(b, "</ul>\n");
    store_followups_free(v, n);
}

/* ---- "Mine opfølgninger" ---- */

#define PER_PAGE 50

void page_work_followups(const struct web_request *req, struct web_response *res)
{
    struct store_followup *v = NULL;
    size_t n = 0, total = 0, page;
    struct err e = {0};
    enum store_status st;
    if (!web_status_arg(req, res, &st) || !web_page_arg(req, res, "side", &page))
        return;
    struct store_page pg = web_store_page(page, PER_PAGE);
    int rc = req->store ? store_followups_mine(req->store, req->session->account_id, st,
                                               req->reader, &pg, &v, &n, &total, &e)
                        : ERR_DB;
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    char today[11];
    web_today(today);
    web_work_begin(res, "Mine opfølgninger", "opfoelgninger");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Mine opfølgninger</h1>\n<p class=\"lead\">Opfølgninger, som du eller dine "
                "enheder er ansvarlige for.</p>\n<form class=\"searchform\" method=\"get\" "
                "action=\"/arbejde/opfoelgninger\" aria-label=\"Filtrér\"><div><label "
                "for=\"status\">Status</label><select id=\"status\" name=\"status\">");
    static const struct web_choice opts[] = {
        {"aabne", "Åbne"}, {"afsluttede", "Afsluttede"}, {"alle", "Alle"}};
    for (size_t i = 0; i < 3; i++)
        buf_printf(b, "<option value=\"%s\"%s>%s</option>", opts[i].value,
                   strcmp(opts[i].value, web_status_name(st)) == 0 ? " selected" : "",
                   opts[i].label);
    buf_puts(b, "</select></div><div><button type=\"submit\">Vis</button></div></form>\n");
    if (n == 0) {
        buf_puts(b, "<p>Ingen opfølgninger.</p>\n");
    } else {
        buf_puts(b, "<p class=\"meta\">");
        web_total(b, total, "opfølgning", "opfølgninger");
        buf_puts(b, "</p>\n<ul class=\"list\">\n");
    }
    for (size_t i = 0; i < n; i++) {
        buf_printf(b, "<li><a href=\"/arbejde/opfoelgning/%lld\">", (long long)v[i].id);
        html_text(b, v[i].text);
        buf_puts(b, "</a><br><span class=\"meta\">");
        html_text(b, v[i].owner);
        buf_puts(b, " · ");
        web_followup_case(b, &v[i]);
        if (v[i].due) {
            buf_puts(b, " · frist ");
            web_date_long(b, v[i].due);
        }
        buf_puts(b, "</span> ");
        if (v[i].done)
            buf_puts(b, "<span class=\"tag done\">Afsluttet</span>");
        else if (v[i].due && strcmp(v[i].due, today) < 0)
            buf_puts(b, "<span class=\"tag closed\">Overskredet</span>");
        buf_puts(b, "</li>\n");
    }
    if (n)
        buf_puts(b, "</ul>\n");
    web_pager(b, req, "side", page, PER_PAGE, total);
    web_page_end(res);
    store_followups_free(v, n);
}

/* ---- units and owner links (administrators) ---- */

void page_work_units(const struct web_request *req, struct web_response *res)
{
    struct store_unit *u = NULL;
    struct store_person_link *l = NULL;
    size_t nu = 0, nl = 0, total = 0, page;
    struct err e = {0};
    if (!web_page_arg(req, res, "side", &page))
        return;
    struct store_page upg = {0, 200}, lpg = web_store_page(page, PER_PAGE);
    int rc = req->store ? store_units(req->store, &upg, &u, &nu, NULL, &e) : ERR_DB;
    if (rc == 0)
        rc = store_person_links(req->store, &lpg, &l, &nl, &total, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }
    web_work_begin(res, "Enheder", "brugere");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Enheder og ansvarlige</h1>\n");
    if (web_arg(req, "gemt"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Gemt.</p>\n");
    buf_puts(b, "<p class=\"lead\">En enhed (fx Ledelsessekretariatet) er en gruppe brugere, der "
                "sammen følger op. Knyt de ansvarlige, som beslutningerne nævner, til en bruger "
                "eller en enhed.</p>\n<h2 id=\"enheder\">Enheder</h2>\n");
    if (!nu)
        buf_puts(b, "<p>Der er ingen enheder endnu.</p>\n");
    for (size_t i = 0; i < nu; i++) {
        buf_puts(b, "<h3>");
        html_text(b, u[i].name);
        buf_puts(b, "</h3>\n<ul class=\"list\">\n");
        for (size_t k = 0; k < u[i].nmembers; k++) {
            buf_puts(b, "<li>");
            html_text(b, u[i].members[k].name);
            buf_puts(b, " (");
            html_text(b, u[i].members[k].login);
            buf_puts(b, ") <form method=\"post\" action=\"/arbejde/enheder\" class=\"inline\">");
            web_csrf_field(b, req);
            buf_printf(b, "<input type=\"hidden\" name=\"handling\" value=\"fjern\">"
                          "<input type=\"hidden\" name=\"enhed\" value=\"%lld\">"
                          "<input type=\"hidden\" name=\"bruger\" value=\"", (long long)u[i].id);
            html_attr(b, u[i].members[k].login);
            buf_puts(b, "\"><button type=\"submit\">Fjern</button></form></li>\n");
        }
        buf_puts(b, "</ul>\n<form class=\"form\" method=\"post\" action=\"/arbejde/enheder\">");
        web_csrf_field(b, req);
        buf_printf(b, "<input type=\"hidden\" name=\"handling\" value=\"tilfoej\">"
                      "<input type=\"hidden\" name=\"enhed\" value=\"%lld\">"
                      "<div class=\"field\"><label for=\"bruger-%lld\">Tilføj bruger (login)"
                      "</label><input id=\"bruger-%lld\" name=\"bruger\" type=\"text\"></div>"
                      "<button type=\"submit\">Tilføj</button></form>\n",
                   (long long)u[i].id, (long long)u[i].id, (long long)u[i].id);
    }
    buf_puts(b, "<form class=\"form\" method=\"post\" action=\"/arbejde/enheder\">");
    web_csrf_field(b, req);
    buf_puts(b, "<input type=\"hidden\" name=\"handling\" value=\"ny\">");
    web_input(b, &(struct web_input){.name = "navn", .label = "Ny enhed", .required = true},
              NULL);
    buf_puts(b, "<button type=\"submit\">Opret enhed</button></form>\n");

    buf_puts(b, "<h2 id=\"ansvarlige\">Ansvarlige i opfølgningerne</h2>\n");
    if (!nl)
        buf_puts(b, "<p>Ingen opfølgninger endnu.</p>\n");
    else
        buf_puts(b, "<ul class=\"list\" aria-labelledby=\"ansvarlige\">\n");
    for (size_t i = 0; i < nl; i++) {
        buf_puts(b, "<li>");
        html_text(b, l[i].name);
        buf_puts(b, "<br><span class=\"meta\">");
        if (l[i].linked) {
            buf_puts(b, "Knyttet til ");
            html_text(b, l[i].linked);
        } else if (l[i].proposed) {
            buf_puts(b, "Ikke knyttet. Forslag: ");
            html_text(b, l[i].proposed);
        } else {
            buf_puts(b, "Ikke knyttet");
        }
        buf_puts(b, "</span> <form class=\"form\" method=\"post\" action=\"/arbejde/enheder\">");
        web_csrf_field(b, req);
        buf_printf(b, "<input type=\"hidden\" name=\"handling\" value=\"knyt\">"
                      "<input type=\"hidden\" name=\"person\" value=\"%lld\">",
                   (long long)l[i].person_id);
        if (!l[i].linked && (l[i].propose_account || l[i].propose_unit))
            buf_printf(b, "<input type=\"hidden\" name=\"forslag\" value=\"%s%lld\">"
                          "<button type=\"submit\" name=\"brug\" value=\"1\">Brug forslaget"
                          "</button> ",
                       l[i].propose_account ? "a" : "u",
                       (long long)(l[i].propose_account ? l[i].propose_account
                                                        : l[i].propose_unit));
        buf_printf(b, "<div class=\"field\"><label for=\"knyt-%lld\">Bruger (login) eller enhed"
                      "</label><input id=\"knyt-%lld\" name=\"til\" type=\"text\"></div>"
                      "<button type=\"submit\">Knyt</button>", (long long)l[i].person_id,
                   (long long)l[i].person_id);
        if (l[i].linked)
            buf_puts(b, " <button type=\"submit\" name=\"fjern\" value=\"1\">Fjern tilknytning"
                        "</button>");
        buf_puts(b, "</form></li>\n");
    }
    if (nl)
        buf_puts(b, "</ul>\n");
    web_pager(b, req, "side", page, PER_PAGE, total);
    web_page_end(res);
done:
    store_units_free(u, nu);
    store_person_links_free(l, nl);
}

/* "til": an account's login, else a unit's name. */
static int link_target(const struct web_request *req, const char *to, int64_t *account,
                       int64_t *unit, struct err *e)
{
    struct store_account acc = {0};
    if (store_account_get(req->store, to, &acc, e) == 0) {
        *account = acc.id;
        store_account_fini(&acc);
        return 0;
    }
    store_account_fini(&acc);
    struct store_unit *u = NULL;
    size_t n = 0;
    struct store_page pg = {0, 1000};
    int rc = store_units(req->store, &pg, &u, &n, NULL, e);
    for (size_t i = 0; rc == 0 && i < n && !*unit; i++)
        if (strcasecmp(u[i].name, to) == 0)
            *unit = u[i].id;
    store_units_free(u, n);
    if (rc == 0 && !*unit) {
        err_set(e, ERR_SYNTAX, 0, 0, "til: ingen bruger med det login og ingen enhed med det navn");
        rc = ERR_SYNTAX;
    }
    return rc;
}

void page_work_units_post(const struct web_request *req, struct web_response *res)
{
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    const char *action = web_field(req, "handling");
    const char *unit = web_field(req, "enhed"), *login = web_field(req, "bruger");
    int rc;
    if (!action) {
        err_set(&e, ERR_SYNTAX, 0, 0, "handling: mangler");
        rc = ERR_SYNTAX;
    } else if (strcmp(action, "ny") == 0) {
        const char *name = web_field(req, "navn");
        rc = store_unit_add(req->store, name ? name : "", &a, NULL, &e);
    } else if (strcmp(action, "tilfoej") == 0 || strcmp(action, "fjern") == 0) {
        rc = store_unit_member(req->store, unit ? web_parse_id(unit) : 0, login ? login : "",
                               strcmp(action, "tilfoej") == 0, &a, &e);
    } else if (strcmp(action, "knyt") == 0) {
        const char *person = web_field(req, "person"), *prop = web_field(req, "forslag");
        const char *to = web_field(req, "til");
        int64_t account = 0, uid = 0;
        rc = 0;
        if (web_field(req, "fjern"))
            ;
        else if (web_field(req, "brug") && prop && (prop[0] == 'a' || prop[0] == 'u'))
            *(prop[0] == 'a' ? &account : &uid) = web_parse_id(prop + 1);
        else if (to && *to)
            rc = link_target(req, to, &account, &uid, &e);
        else {
            err_set(&e, ERR_SYNTAX, 0, 0, "til: skriv et login eller navnet på en enhed");
            rc = ERR_SYNTAX;
        }
        if (rc == 0)
            rc = store_person_link_set(req->store, person ? web_parse_id(person) : 0, account,
                                       uid, &a, &e);
    } else {
        err_set(&e, ERR_SYNTAX, 0, 0, "handling: ukendt");
        rc = ERR_SYNTAX;
    }
    if (rc == 0) {
        web_redirect(res, 303, "/arbejde/enheder?gemt=1");
        return;
    }
    if (rc == ERR_DB) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    int status = rc == ERR_DENIED ? 403 : rc == ERR_CONFLICT ? 409 : rc == ERR_NOTFOUND ? 404
                                                                                        : 400;
    char msg[400];
    snprintf(msg, sizeof msg, "Intet er ændret: %s", e.msg);
    web_error_page(res, status, msg);
}
