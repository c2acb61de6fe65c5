/* page_front: the front page: a search box, the bodies, and the latest meetings. */
#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

void page_front(const struct web_request *req, struct web_response *res)
{
    struct store_body *bodies = NULL;
    size_t nb = 0;
    struct store_meeting *meetings = NULL;
    size_t nm = 0;
    struct err e = {0};
    int rc = ERR_DB;
    struct store_page all = {0, STORE_PAGE_MAX}, latest = {0, 10};
    if (!req->store || (rc = store_bodies(req->store, &all, &bodies, &nb, NULL, &e)) < 0 ||
        (rc = store_meetings(req->store, NULL, 0, req->reader, &latest, &meetings, &nm, NULL,
                             &e)) < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }

    web_page_begin(res, "Forside", NULL, "forside");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Dagsordener og referater</h1>\n"
                "<p class=\"lead\">Læs, hvad kommunens udvalg har behandlet og besluttet.</p>\n"
                "<form class=\"searchform\" role=\"search\" action=\"/soeg\" method=\"get\" "
                "aria-label=\"Søg i arkivet\">\n<div class=\"q\">"
                "<label for=\"q\">Søg i alle dagsordener og referater</label>\n"
                "<input id=\"q\" name=\"q\" type=\"search\" "
                "placeholder=\"fx budget, råderum eller et navn\"></div>\n"
                "<div><button type=\"submit\">Søg</button></div>\n</form>\n");

    buf_puts(b, "<h2 id=\"udvalg\">Udvalg og fora</h2>\n");
    if (nb == 0) {
        buf_puts(b, "<p>Arkivet er tomt. Der er endnu ikke indlæst nogen referater.</p>\n");
    } else {
        buf_puts(b, "<ul class=\"cards\" aria-labelledby=\"udvalg\">\n");
        for (size_t i = 0; i < nb; i++) {
            buf_puts(b, "<li>");
            web_body_link(b, bodies[i].code, bodies[i].name ? bodies[i].name : bodies[i].code);
            buf_puts(b, "<br><span class=\"meta\">");
            if (bodies[i].name) {
                html_text(b, bodies[i].code);
                buf_puts(b, " · ");
            }
            buf_printf(b, "%zu %s</span></li>\n", bodies[i].nmeetings,
                       bodies[i].nmeetings == 1 ? "møde" : "møder");
        }
        buf_puts(b, "</ul>\n");
    }

    buf_puts(b, "<h2 id=\"seneste\">Seneste møder</h2>\n");
    if (nm == 0) {
        buf_puts(b, "<p>Ingen møder endnu.</p>\n");
    } else {
        buf_puts(b, "<ul class=\"list\" aria-labelledby=\"seneste\">\n");
        for (size_t i = 0; i < nm; i++) {
            buf_printf(b, "<li><a href=\"/moede/%lld\">", (long long)meetings[i].id);
            html_text(b, meetings[i].body_name ? meetings[i].body_name : meetings[i].body);
            buf_puts(b, " ");
            web_date_long(b, meetings[i].date);
            buf_printf(b, "</a><br><span class=\"meta\">%zu %s</span></li>\n", meetings[i].ncases,
                       meetings[i].ncases == 1 ? "sag" : "sager");
        }
        buf_puts(b, "</ul>\n");
    }
    buf_puts(b, "<h2>Opfølgning</h2>\n<p>Se, hvem der skal følge op på hvad, under "
                "<a href=\"/opfoelgning\">åbne opfølgninger</a>.</p>\n");
    web_page_end(res);
done:
    store_bodies_free(bodies, nb);
    store_meetings_free(meetings, nm);
}
