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
