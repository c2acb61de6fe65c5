/* page_work_case: a case in the staff area (/arbejde/sag/ID): its state, its time plan, the
 * links to edit it and its history, and one button per workflow step the person may take
 * (model/workflow.h's table, wf_actions), each a POST with the CSRF token to
 * /arbejde/sag/ID/handling. A step the table does not allow is refused with its reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

enum { MAX_BUTTONS = 8 };

/* "Send til gennemlæsning": the reviews of the case, and (for those who write it) the form
 * that sends the current version to people of its body. */
static void reviews(const struct web_request *req, struct buf *b, int64_t id, int version,
                    int roles)
{
    struct store_review *rv = NULL;
    struct store_account_ref *people = NULL;
    size_t nrv = 0, np = 0;
    struct err e = {0};
    buf_puts(b, "<h2>Gennemlæsning</h2>\n");
    if (store_case_reviews(req->store, id, req->reader, &rv, &nrv, &e) == 0 && nrv) {
        buf_puts(b, "<ul class=\"list\">");
        for (size_t i = 0; i < nrv; i++) {
            buf_printf(b, "<li><a href=\"/arbejde/sag/%lld/gennemlaesning/%lld\">Version %d, "
                          "sendt ", (long long)id, (long long)rv[i].id, rv[i].version);
            html_text(b, rv[i].created_at);
            buf_puts(b, "</a> af ");
            html_text(b, rv[i].created_by);
            buf_printf(b, " · %zu %s</li>", rv[i].ncomments,
                       rv[i].ncomments == 1 ? "kommentar" : "kommentarer");
        }
        buf_puts(b, "</ul>\n");
    } else {
        buf_puts(b, "<p>Sagen er ikke sendt til gennemlæsning.</p>\n");
    }
    store_reviews_free(rv, nrv);
    if (!(roles & (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER)) ||
        store_case_people(req->store, id, req->reader, &people, &np, &e) < 0)
        return;
    char action[64], ver[96];
    snprintf(action, sizeof action, "/arbejde/sag/%lld/gennemlaesning", (long long)id);
    web_form_open(b, req, action, false);
    snprintf(ver, sizeof ver, "<input type=\"hidden\" name=\"version\" value=\"%d\">\n", version);
    buf_puts(b, ver);
    buf_printf(b, "<fieldset><legend>Send version %d til gennemlæsning hos</legend>\n",
               version);
    for (size_t i = 0; i < np; i++) {
        if (req->session && people[i].id == req->session->account_id)
            continue;
        char name[40];
        snprintf(name, sizeof name, "medlem.%lld", (long long)people[i].id);
        web_input(b, &(struct web_input){.name = name, .label = people[i].name,
                                         .type = WEB_INPUT_CHECKBOX}, NULL);
    }
    web_input(b, &(struct web_input){.name = "note", .label = "Besked", .type = WEB_INPUT_TEXTAREA,
                                     .rows = 2}, NULL);
    buf_puts(b, "</fieldset>\n");
    web_form_close(b, "Send til gennemlæsning");
    store_account_refs_free(people, np);
}

static void render(const struct web_request *req, struct web_response *res, int64_t id,
                   const char *notice, const char *alert)
{
    struct store_case_ref ref = {0};
    struct case_doc *c = NULL;
    struct err e = {0};
    int roles = 0;
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0)
        rc = store_case_get(req->store, id, req->reader, &c, &e);
    if (rc == 0)
        rc = store_case_roles(req->store, id, req->reader, &roles, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Sagen findes ikke.", &e);
        store_case_ref_fini(&ref);
        return;
    }
    web_work_begin(res, ref.title ? ref.title : "Sag", "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>");
    html_text(b, ref.title);
    buf_puts(b, "</h1>\n<p class=\"meta\">");
    int st = ref.state ? wf_state_parse(&wf_case, ref.state) : -1;
    html_text(b, st >= 0 ? wf_state_label(&wf_case, st) : "Indlæst fra et referat");
    buf_puts(b, ref.public ? " · Åben sag" : " · Lukket sag");
    if (ref.body) {
        buf_puts(b, " · ");
        html_text(b, ref.body);
    }
    buf_printf(b, " · version %d</p>\n", ref.version);
    if (notice) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, notice);
        buf_puts(b, "</p>\n");
    }
    if (alert) {
        buf_puts(b, "<div class=\"alert\" role=\"alert\"><p>");
        html_text(b, alert);
        buf_puts(b, "</p></div>\n");
    }
    buf_puts(b, "<ul class=\"actions\">");
    if (ref.state && (roles & (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER)))
        buf_printf(b, "<li><a href=\"/arbejde/sag/%lld/rediger\">Rediger sagen</a></li>"
                      "<li><a href=\"/arbejde/sag/%lld/bilag\">Bilag</a></li>",
                   (long long)id, (long long)id);
    if (ref.state) /* issue 9, decisions: the minute-taker's page */
        buf_printf(b, "<li><a href=\"/arbejde/sag/%lld/beslutning\">Beslutninger</a></li>",
                   (long long)id);
    if (ref.state && (roles & ROLE_SEKRETAER)) /* issue 9, publication: the levels */
        buf_printf(b, "<li><a href=\"/arbejde/sag/%lld/offentliggoerelse\">Offentliggørelse"
                      "</a></li>", (long long)id);
    buf_printf(b, "<li><a href=\"/sag/%lld\">Se sagen</a></li><li><a href=\"/arbejde/sag/%lld/"
                  "historik\">Historik</a></li></ul>\n",
               (long long)id, (long long)id);
    if (c->nsubitems) {
        buf_puts(b, "<h2>Tidsplan</h2>\n<ul class=\"list\">");
        for (size_t i = 0; i < c->nsubitems; i++) {
            buf_puts(b, "<li>");
            if (c->subitems[i].time) {
                html_text(b, c->subitems[i].time);
                buf_puts(b, " ");
            }
            html_text(b, c->subitems[i].title);
            if (c->subitems[i].duration)
                buf_printf(b, " (%u min.)", c->subitems[i].duration);
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>\n");
    }
    if (st >= 0) {
        const struct wf_row *rows[MAX_BUTTONS];
        struct wf_actor who = {.roles = roles};
        size_t n = wf_actions(&wf_case, st, &who, rows, MAX_BUTTONS);
        buf_puts(b, "<h2>Sagsgang</h2>\n");
        if (!n)
            buf_puts(b, "<p>Du kan ikke flytte sagen videre herfra.</p>\n");
        char action[64], ver[16];
        snprintf(action, sizeof action, "/arbejde/sag/%lld/handling", (long long)id);
        snprintf(ver, sizeof ver, "%d", ref.version);
        for (size_t i = 0; i < n && i < MAX_BUTTONS; i++) {
            const char *name = wf_action_name(&wf_case, rows[i]->action);
            web_form_open(b, req, action, false);
            buf_puts(b, "<input type=\"hidden\" name=\"handling\" value=\"");
            html_attr(b, name);
            buf_printf(b, "\"><input type=\"hidden\" name=\"version\" value=\"%s\">\n", ver);
            if (rows[i]->flags & WF_REASON) {
                char field[64];
                snprintf(field, sizeof field, "begrundelse.%s", name);
                web_input(b, &(struct web_input){.name = field, .label = "Begrundelse",
                                                 .type = WEB_INPUT_TEXTAREA, .rows = 3,
                                                 .required = true,
                                                 .help = "Sendes med tilbage og gemmes i "
                                                         "historikken."}, NULL);
            }
            web_form_close(b, wf_action_label(&wf_case, rows[i]->action));
        }
    }
    reviews(req, b, id, ref.version, roles);
    web_page_end(res);
    case_free(c);
    store_case_ref_fini(&ref);
}

void page_work_case(const struct web_request *req, struct web_response *res)
{
    const char *done = web_arg(req, "udfoert");
    int k = done ? wf_action_parse(&wf_case, done) : -1;
    char notice[128] = "";
    if (web_arg(req, "gemt"))
        snprintf(notice, sizeof notice, "Sagen er gemt.");
    else if (k >= 0)
        snprintf(notice, sizeof notice, "Udført: %s.", wf_action_label(&wf_case, k));
    render(req, res, web_parse_id(req->seg[2]), *notice ? notice : NULL, NULL);
}

void page_work_case_action_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    const char *action = web_field(req, "handling"), *ver = web_field(req, "version");
    int k = action ? wf_action_parse(&wf_case, action) : -1;
    if (k < 0 || !ver) {
        render(req, res, id, NULL, "Ukendt handling: brug knapperne på siden.");
        res->status = 400;
        return;
    }
    char field[64];
    snprintf(field, sizeof field, "begrundelse.%s", action);
    const char *reason = web_field(req, field);
    struct store_case_ref ref = {0};
    struct err e = {0};
    int base = (int)strtol(ver, NULL, 10);
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0 && ref.version != base) {
        store_case_ref_fini(&ref);
        render(req, res, id, NULL, "Sagen er ændret, siden du åbnede den. Se den nyeste "
                                   "version, og prøv igen. Intet er ændret.");
        res->status = 409;
        return;
    }
    store_case_ref_fini(&ref);
    struct store_actor a;
    web_actor(req, &a);
    if (rc == 0)
        rc = store_case_transition(req->store, id, base, action, reason && *reason ? reason : NULL,
                                   &a, &e);
    if (rc == 0) {
        char loc[96];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld?udfoert=%s", (long long)id, action);
        web_redirect(res, 303, loc);
        return;
    }
    /* The workflow's refusals are Danish and say what is possible instead. */
    if (rc == ERR_CONFLICT || rc == ERR_DENIED || rc == ERR_SYNTAX) {
        char msg[sizeof e.msg + 64];
        snprintf(msg, sizeof msg, "%s kan ikke udføres: %s Intet er ændret.",
                 wf_action_label(&wf_case, k), e.msg);
        render(req, res, id, NULL, msg);
        res->status = rc == ERR_DENIED ? 403 : rc == ERR_SYNTAX ? 400 : 409;
        return;
    }
    web_fail(res, rc, false, NULL, &e);
}

void page_work_review_send_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    const char *ver = web_field(req, "version"), *note = web_field(req, "note");
    int64_t members[64];
    size_t n = 0;
    for (size_t i = 0; req->form && i < req->form->n && n < 64; i++) {
        const struct web_field *f = &req->form->v[i];
        if (!f->filename && strncmp(f->key, "medlem.", 7) == 0 && web_parse_id(f->key + 7))
            members[n++] = web_parse_id(f->key + 7);
    }
    if (!ver || !n) {
        render(req, res, id, NULL, "Vælg, hvem sagen skal sendes til gennemlæsning hos. Intet "
                                   "er sendt.");
        res->status = 400;
        return;
    }
    struct store_actor a;
    struct err e = {0};
    int64_t rid = 0;
    web_actor(req, &a);
    int rc = store_review_send(req->store, id, (int)strtol(ver, NULL, 10), members, n,
                               note && *note ? note : NULL, &a, &rid, &e);
    if (rc == 0) {
        char loc[96];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld/gennemlaesning/%lld?sendt=1", (long long)id,
                 (long long)rid);
        web_redirect(res, 303, loc);
    } else if (rc == ERR_CONFLICT) {
        render(req, res, id, NULL, "Sagen er ændret, siden du åbnede den: se den nyeste version "
                                   "og send igen. Intet er sendt.");
        res->status = 409;
    } else if (rc == ERR_USAGE) {
        render(req, res, id, NULL, "Sagen kan kun sendes til personer med en rolle i organet. "
                                   "Intet er sendt.");
        res->status = 400;
    } else if (rc == ERR_DENIED) {
        web_error_page(res, 403, "Kun sekretæren og sagsbehandleren kan sende sagen til "
                                 "gennemlæsning.");
    } else {
        web_fail(res, rc, false, NULL, &e);
    }
}
