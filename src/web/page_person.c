/* page_person: a person or unit: where they took part as a guest, and what they follow up on
 * (/person/ID). */
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

#define PER_PAGE 100

void page_person(const struct web_request *req, struct web_response *res)
{
    struct store_person person = {0}, *p = &person;
    struct store_appearance *ap = NULL;
    size_t nap = 0, totap = 0;
    struct store_followup *fu = NULL;
    size_t nfu = 0, totfu = 0;
    struct err e = {0};
    int rc = ERR_DB;
    int64_t id = web_parse_id(req->seg[1]);
    if (!id) {
        web_error_page(res, 404, "En person findes under /person/ efterfulgt af et nummer.");
        goto done;
    }
    if (!req->store || (rc = store_person_get(req->store, id, req->reader, &person, &e)) < 0) {
        web_fail(res, rc, false, "Der er ingen person med det nummer.", &e);
        goto done;
    }
    struct store_followup_filter f = {.owner = p->name, .status = STORE_ANY, .portal = true};
    size_t page_ap, page_fu;
    if (!web_page_arg(req, res, "deltog", &page_ap) ||
        !web_page_arg(req, res, "opfoelgning", &page_fu))
        goto done;
    struct store_page pga = web_store_page(page_ap, PER_PAGE);
    struct store_page pgf = web_store_page(page_fu, PER_PAGE);
    if ((rc = store_person_appearances(req->store, id, req->reader, &pga, &ap, &nap, &totap,
                                       &e)) < 0 ||
        (rc = store_followups(req->store, &f, req->reader, &pgf, &fu, &nfu, &totfu, &e)) < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }

    web_page_begin(res, p->name, NULL, NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol><li><a href=\"/\">Forside"
                "</a></li><li><a href=\"/opfoelgning\">Opfølgning</a></li>"
                "<li aria-current=\"page\">");
    html_text(b, p->name);
    buf_puts(b, "</li></ol></nav>\n<h1>");
    html_text(b, p->name);
    buf_puts(b, "</h1>\n");
    if (p->role && *p->role) {
        buf_puts(b, "<p class=\"lead\">");
        html_text(b, p->role);
        buf_puts(b, "</p>\n");
    }

    buf_puts(b, "<h2 id=\"gaest\">Deltog under behandlingen af (");
    web_total(b, totap, NULL, NULL);
    buf_puts(b, ")</h2>\n");
    if (nap == 0) {
        buf_puts(b, "<p>Ingen registrerede deltagelser i offentlige sager.</p>\n");
    } else {
        buf_puts(b, "<ul class=\"list\" aria-labelledby=\"gaest\">\n");
        for (size_t i = 0; i < nap; i++) {
            buf_puts(b, "<li>");
            web_case_link(b, ap[i].case_id, ap[i].case_title, true);
            buf_puts(b, "<br><span class=\"meta\">");
            if (ap[i].subitem_title) {
                buf_puts(b, "Punkt: ");
                html_text(b, ap[i].subitem_title);
            }
            if (ap[i].body) {
                buf_puts(b, " · ");
                html_text(b, ap[i].body);
            }
            if (ap[i].date) {
                buf_puts(b, " ");
                web_date_long(b, ap[i].date);
            }
            if (ap[i].role && *ap[i].role) {
                buf_puts(b, " · som ");
                html_text(b, ap[i].role);
            }
            buf_puts(b, "</span></li>\n");
        }
        buf_puts(b, "</ul>\n");
        web_pager(b, req, "deltog", page_ap, PER_PAGE, totap);
    }

    buf_puts(b, "<h2 id=\"ansvar\">Ansvarlig for opfølgning (");
    web_total(b, totfu, NULL, NULL);
    buf_puts(b, ")</h2>\n");
    if (nfu == 0) {
        buf_puts(b, "<p>Ingen opfølgninger.</p>\n");
    } else {
        buf_puts(b, "<ul class=\"list\" aria-labelledby=\"ansvar\">\n");
        for (size_t i = 0; i < nfu; i++) {
            buf_puts(b, "<li>");
            html_text(b, fu[i].text);
            buf_puts(b, "<br><span class=\"meta\">");
            web_followup_case(b, &fu[i]);
            if (fu[i].due) {
                buf_puts(b, " · frist ");
                web_date_long(b, fu[i].due);
            }
            buf_puts(b, "</span> ");
            buf_puts(b, fu[i].done ? "<span class=\"tag done\">Afsluttet</span>"
                                   : "<span class=\"tag open\">Åben</span>");
            buf_puts(b, "</li>\n");
        }
        buf_puts(b, "</ul>\n");
        web_pager(b, req, "opfoelgning", page_fu, PER_PAGE, totfu);
    }
    web_page_end(res);
done:
    store_followups_free(fu, nfu);
    store_appearances_free(ap, nap);
    store_person_fini(&person);
}
