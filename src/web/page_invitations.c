/* page_invitations: the guests' invitations (issue 8). The staff page of a meeting's
 * invitations (/arbejde/moede/ID/invitationer: each guest's state, the error of a failed
 * send, "Send igen" and the .ics as it is sent), and the guest's own page behind their link
 * (/gaest/TOKEN): their slot and the open material of their sub-items, nothing closed. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../format/html.h"
#include "../store/outbox.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

static const char *state_label(const char *state)
{
    return strcmp(state, "sent") == 0     ? "Sendt"
           : strcmp(state, "failed") == 0 ? "Fejlet"
                                          : "Afventer afsendelse";
}

/* "10:30" from "2024-01-05T10:30". */
static const char *hm(const char *local)
{
    return local && strlen(local) == 16 ? local + 11 : "";
}

/* The invitation named by segment 4, when it belongs to the meeting of segment 2. */
static int invitation_of(const struct web_request *req, struct store_invitation *v,
                         struct err *e)
{
    int64_t meeting = web_parse_id(req->seg[2]), id = web_parse_id(req->seg[4]);
    int rc = id ? store_invitation_get(req->store, id, req->reader, v, e) : ERR_NOTFOUND;
    if (rc == 0 && v->meeting_id != meeting) {
        store_invitation_fini(v);
        rc = ERR_NOTFOUND;
    }
    return rc;
}

void page_work_meeting_invitations(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    struct store_meeting m = {0};
    struct store_invitation *v = NULL;
    size_t n = 0;
    struct err e = {0};
    struct store_invitation_filter f = {.meeting_id = id};
    struct store_page pg = {.limit = STORE_PAGE_MAX};
    int rc = store_meeting_get(req->store, id, req->reader, &m, &e);
    if (rc == 0)
        rc = store_invitations(req->store, &f, req->reader, &pg, &v, &n, NULL, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        store_meeting_fini(&m);
        return;
    }
    bool sekretaer = reader_roles(req->reader, m.body_id) & ROLE_SEKRETAER;
    web_work_begin(res, "Invitationer", NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Invitationer: ");
    html_text(b, m.body_name ? m.body_name : m.body);
    buf_puts(b, ", ");
    web_date_long(b, m.date);
    buf_printf(b, "</h1>\n<p><a href=\"/moede/%lld\">Til mødet</a></p>\n", (long long)id);
    if (web_arg(req, "igen"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Invitationen sendes igen ved næste "
                    "afsendelse.</p>\n");
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += strcmp(v[i].state, "failed") == 0;
    if (n == 0) {
        buf_puts(b, "<p>Ingen invitationer. Gæster med en e-mailadresse får en invitation til "
                    "deres punkt, når dagsordenen er frigivet.</p>\n");
    } else {
        if (failed)
            buf_printf(b, "<p class=\"alert\" role=\"alert\">%zu %s kunne ikke sendes. Ret "
                          "fejlen (fx adressen eller SMTP-indstillingerne), og send igen.</p>\n",
                       failed, failed == 1 ? "invitation" : "invitationer");
        buf_puts(b, "<section class=\"scroll invitations\" tabindex=\"0\" "
                    "aria-labelledby=\"gaester\">"
                    "<h2 id=\"gaester\">Gæster</h2><table aria-labelledby=\"gaester\"><thead>"
                    "<tr><th scope=\"col\">Gæst</th><th scope=\"col\">Punkt</th>"
                    "<th scope=\"col\">Tid</th><th scope=\"col\">Slags</th>"
                    "<th scope=\"col\">Status</th><th scope=\"col\">Kalenderfil</th></tr>"
                    "</thead><tbody>\n");
        for (size_t i = 0; i < n; i++) {
            buf_puts(b, "<tr><td>");
            html_text(b, v[i].name);
            buf_puts(b, "<br><span class=\"meta\">");
            html_text(b, v[i].email);
            buf_puts(b, "</span></td><td>");
            web_case_link(b, v[i].case_id, v[i].title, v[i].public);
            buf_puts(b, "</td><td>");
            html_text(b, hm(v[i].dtstart));
            buf_puts(b, "–");
            html_text(b, hm(v[i].dtend));
            buf_printf(b, "</td><td>%s (version %d)</td><td>",
                       strcmp(v[i].method, "CANCEL") == 0 ? "Aflysning" : "Invitation",
                       v[i].sequence);
            html_text(b, state_label(v[i].state));
            if (v[i].sent_at) {
                buf_puts(b, "<br><span class=\"meta\">");
                html_text(b, v[i].sent_at);
                buf_puts(b, "</span>");
            }
            if (v[i].error) {
                buf_printf(b, "<br><span class=\"error\">Fejl (forsøg %d): ", v[i].attempts);
                html_text(b, v[i].error);
                buf_puts(b, "</span>");
            }
            if (strcmp(v[i].state, "failed") == 0 && sekretaer) {
                char action[96];
                snprintf(action, sizeof action, "/arbejde/moede/%lld/invitationer/%lld/igen",
                         (long long)id, (long long)v[i].id);
                web_form_open(b, req, action, false);
                web_form_close(b, "Send igen");
            }
            buf_printf(b, "</td><td><a href=\"/arbejde/moede/%lld/invitationer/%lld/ics\" "
                          "download>Hent .ics</a></td></tr>\n",
                       (long long)id, (long long)v[i].id);
        }
        buf_puts(b, "</tbody></table></section>\n");
    }
    web_page_end(res);
    store_invitations_free(v, n);
    store_meeting_fini(&m);
}

void page_work_invitation_retry(const struct web_request *req, struct web_response *res)
{
    struct store_invitation v = {0};
    struct store_actor a;
    struct err e = {0};
    int rc = invitation_of(req, &v, &e);
    if (rc == 0) {
        web_actor(req, &a);
        rc = store_invitation_retry(req->store, v.id, &a, &e);
    }
    store_invitation_fini(&v);
    if (rc == ERR_CONFLICT) {
        web_error_page(res, 409, "Invitationen er ikke fejlet; der er intet at sende igen.");
        return;
    }
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    char to[96];
    snprintf(to, sizeof to, "/arbejde/moede/%lld/invitationer?igen=1",
             (long long)web_parse_id(req->seg[2]));
    web_redirect(res, 303, to);
}

void page_work_invitation_ics(const struct web_request *req, struct web_response *res)
{
    struct store_invitation v = {0};
    struct err e = {0};
    struct buf cal = BUF_INIT;
    int rc = invitation_of(req, &v, &e);
    if (rc == 0)
        rc = outbox_ics(req->store, &v, NULL, &cal, &e);
    if (rc < 0) {
        /* ERR_USAGE: the settings lack the secretariat's address (the organizer). */
        if (rc == ERR_USAGE)
            web_error_page(res, 409, "Kalenderfilen kræver sekretariatets e-mailadresse: en "
                                     "administrator sætter Kontakt-e-mail eller Afsenderadresse "
                                     "under Indstillinger.");
        else
            web_fail(res, rc, false, NULL, &e);
        store_invitation_fini(&v);
        buf_free(&cal);
        return;
    }
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s-%lld.ics\"",
             strcmp(v.method, "CANCEL") == 0 ? "aflysning" : "invitation", (long long)v.id);
    res->type = strcmp(v.method, "CANCEL") == 0 ? "text/calendar; charset=utf-8; method=CANCEL"
                                                : "text/calendar; charset=utf-8; method=REQUEST";
    buf_put(&res->body, cal.ptr, cal.len);
    web_header_add(res, "Content-Disposition", cd);
    store_invitation_fini(&v);
    buf_free(&cal);
}

/* ---- the guest's page ---- */

void page_guest(const struct web_request *req, struct web_response *res)
{
    struct store_invitation v = {0};
    struct case_doc *c = NULL;
    struct err e = {0};
    /* Never kept nor cached anywhere, and the token goes to no other site. */
    res->nocache = true;
    res->staff = true;
    web_header_add(res, "Referrer-Policy", "no-referrer");
    web_header_add(res, "X-Robots-Tag", "noindex");
    if (!req->store) {
        web_fail(res, ERR_DB, false, NULL, NULL);
        return;
    }
    int rc = store_guest_link_get(req->store, req->seg[1], &v, &c, &e);
    if (rc < 0) {
        web_error_page(res, rc == ERR_NOTFOUND ? 404 : 500,
                       rc == ERR_NOTFOUND ? "Linket findes ikke eller er udløbet: det virker til "
                                            "og med mødedagen. Kontakt sekretariatet."
                                          : NULL);
        return;
    }
    web_page_begin(res, "Din deltagelse i mødet", NULL, NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Din deltagelse i mødet</h1>\n<p class=\"lead\">");
    html_text(b, v.name);
    buf_puts(b, ", du deltager i mødet i ");
    html_text(b, v.body_name);
    buf_puts(b, " ");
    web_date_long(b, v.date);
    buf_puts(b, " under behandlingen af punktet <strong>");
    html_text(b, v.title);
    buf_puts(b, "</strong>.</p>\n<dl class=\"facts\"><dt>Tid</dt><dd>kl. ");
    html_text(b, hm(v.dtstart));
    buf_puts(b, "–");
    html_text(b, hm(v.dtend));
    buf_puts(b, "</dd>");
    if (v.place) {
        buf_puts(b, "<dt>Sted</dt><dd>");
        html_text(b, v.place);
        buf_puts(b, "</dd>");
    }
    buf_puts(b, "</dl>\n");
    /* c is the public view (case_view): a closed case has only its public title and text. */
    if (!c->public) {
        buf_puts(b, "<p>Punktet er lukket. Materialet til det får du af sekretariatet.</p>\n");
        if (c->public_text)
            html_paragraphs(b, c->public_text, NULL);
    } else {
        json_t *nums = json_loads(v.subitems ? v.subitems : "[]", 0, NULL);
        size_t i;
        json_t *num;
        json_array_foreach(nums, i, num) {
            json_int_t k = json_integer_value(num);
            if (k < 1 || (size_t)k > c->nsubitems)
                continue;
            const struct subitem *si = &c->subitems[k - 1];
            buf_puts(b, "<section class=\"subitem\"><h2>");
            html_text(b, si->title);
            buf_puts(b, "</h2>\n");
            if (si->text)
                html_paragraphs(b, si->text, NULL);
            buf_puts(b, "</section>\n");
        }
        json_decref(nums);
    }
    web_page_end(res);
    store_invitation_fini(&v);
    case_free(c);
}
