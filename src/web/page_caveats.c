/* page_caveats: a case read with reservations ("læst med forbehold", `import --lenient`) as a
 * secretary reviews it (/arbejde/sag/ID/forbehold): the reader's warnings with their places in
 * the document, the case and its history to compare against, and "Markér som gennemset",
 * which removes the reservations (a ledger event). The list of such cases is a worklist in
 * page_work.c (/arbejde/forbehold). */
#include <stdio.h>

#include "../format/html.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

void page_work_case_caveats(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    struct store_case_ref ref = {0};
    char **v = NULL;
    size_t n = 0;
    int roles = 0;
    struct err e = {0};
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0)
        rc = store_case_roles(req->store, id, req->reader, &roles, &e);
    if (rc == 0)
        rc = store_case_caveats(req->store, id, req->reader, &v, &n, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        store_case_ref_fini(&ref);
        return;
    }
    web_work_begin(res, "Læst med forbehold", "forbehold");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>");
    html_text(b, ref.title && *ref.title ? ref.title : "(uden titel)");
    buf_puts(b, "</h1>\n");
    char href[64];
    snprintf(href, sizeof href, "/sag/%lld", (long long)id);
    if (n == 0) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">Sagen har ingen forbehold: den er læst "
                    "uden advarsler eller allerede gennemset.</p>\n");
    } else {
        buf_printf(b, "<p class=\"lead\">Sagen blev indlæst med forbehold: læseren kunne ikke "
                      "læse dokumentet helt, som layoutet plejer at se ud. Sammenlign sagen "
                      "med dokumentet, og markér den som gennemset, når den er i orden.</p>\n"
                      "<h2 id=\"advarsler\">%zu %s</h2>\n<ul class=\"list\">\n",
                   n, n == 1 ? "advarsel" : "advarsler");
        for (size_t i = 0; i < n; i++) {
            buf_puts(b, "<li><code>");
            html_text(b, v[i]);
            buf_puts(b, "</code></li>\n");
        }
        buf_puts(b, "</ul>\n");
    }
    buf_printf(b, "<p><a href=\"%s\">Se sagen</a> · <a href=\"/arbejde/sag/%lld/historik\">"
                  "Sagens historik og kildefil</a></p>\n", href, (long long)id);
    if (n && (roles & ROLE_SEKRETAER)) {
        char action[64];
        snprintf(action, sizeof action, "/arbejde/sag/%lld/forbehold", (long long)id);
        web_form_open(b, req, action, false);
        web_form_close(b, "Markér som gennemset");
    } else if (n) {
        buf_puts(b, "<p>Udvalgets sekretær markerer sagen som gennemset.</p>\n");
    }
    web_page_end(res);
    store_problems_free(v, n);
    store_case_ref_fini(&ref);
}

void page_work_case_caveats_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int rc = store_case_caveats_clear(req->store, id, &a, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    web_redirect(res, 303, "/arbejde/forbehold?gennemset=1");
}
