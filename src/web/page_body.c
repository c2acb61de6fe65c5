/* page_body: a body's meetings, by year (/organ/DIR and /organ/DIR/2023). */
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

#define PER_PAGE 100

/* A year segment is four digits and nothing else. */
static int parse_year(const char *s)
{
    if (strlen(s) != 4)
        return -1;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    int y = atoi(s);
    return y >= 1000 ? y : -1;
}

void page_body(const struct web_request *req, struct web_response *res)
{
    struct store_body body_row = {0}, *body = &body_row;
    struct store_meeting *m = NULL;
    size_t nm = 0, total = 0, ny = 0;
    int *years = NULL;
    struct err e = {0};
    int rc = ERR_DB;
    const char *code = req->seg[1];
    int year = 0;
    if (req->nseg == 3 && (year = parse_year(req->seg[2])) < 0) {
        web_error_page(res, 404,
                       "Efter udvalgets kode skal der stå et årstal, fx /organ/DIR/2023.");
        goto done;
    }
    if (!req->store || (rc = store_body_get(req->store, code, &body_row, &e)) < 0 ||
        strcmp(body->code, code) != 0) {
        if (rc == 0 || rc == ERR_NOTFOUND)
            web_error_page(res, 404,
                           "Der er intet udvalg med den kode. Forsiden viser alle udvalg.");
        else
            web_fail(res, rc, false, NULL, &e);
        goto done;
    }
    size_t page;
    if (!web_page_arg(req, res, "side", &page))
        goto done;
    struct store_page pg = web_store_page(page, PER_PAGE);
    rc = store_meetings(req->store, body->code, year, req->reader, &pg, &m, &nm, &total, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }

    const char *name = body->name ? body->name : body->code;
    struct buf title = BUF_INIT;
    buf_puts(&title, name);
    if (year)
        buf_printf(&title, " – møder i %d", year);
    web_page_begin(res, buf_cstr(&title), NULL, NULL);
    buf_free(&title);
    struct buf *b = &res->body;

    buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol><li><a href=\"/\">Forside"
                "</a></li>");
    if (year) {
        buf_puts(b, "<li>");
        web_body_link(b, body->code, name);
        buf_printf(b, "</li><li aria-current=\"page\">%d</li>", year);
    } else {
        buf_puts(b, "<li aria-current=\"page\">");
        html_text(b, name);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ol></nav>\n<h1>");
    html_text(b, name);
    if (year)
        buf_printf(b, " <span class=\"muted\">%d</span>", year);
    buf_puts(b, "</h1>\n<p class=\"meta\">Kode: ");
    html_text(b, body->code);
    buf_printf(b, " · %zu %s i alt · <a href=\"/organ/", body->nmeetings,
               body->nmeetings == 1 ? "møde" : "møder");
    web_url(b, body->code);
    buf_puts(b, "/atom.xml\">Nyhedsfeed</a> · <a href=\"/organ/");
    web_url(b, body->code);
    buf_puts(b, "/kalender.ics\">Mødekalender</a>");
    /* issue 10, sdg: the yearly verdensmål report, of the year shown or the latest */
    web_sdg_link(b, body->code, year);
    buf_puts(b, "</p>\n");

    /* The years that have meetings, newest first. */
    if (store_meeting_years(req->store, body->code, req->reader, &years, &ny, &e) < 0)
        ny = 0;
    if (ny > 1 || year) {
        buf_puts(b, "<nav aria-label=\"År\"><ul class=\"pager\">");
        if (year) {
            buf_puts(b, "<li><a href=\"/organ/");
            web_url(b, body->code);
            buf_puts(b, "\">Alle år</a></li>");
        }
        for (size_t i = 0; i < ny; i++) {
            if (years[i] == year) {
                buf_printf(b, "<li><a aria-current=\"page\" href=\"/organ/");
            } else {
                buf_printf(b, "<li><a href=\"/organ/");
            }
            web_url(b, body->code);
            buf_printf(b, "/%d\">%d</a></li>", years[i], years[i]);
        }
        buf_puts(b, "</ul></nav>\n");
    }

    size_t shown = 0;
    int cur = -1;
    for (size_t i = 0; i < nm; i++) {
        int y = m[i].date ? atoi(m[i].date) : 0;
        if (year && y != year)
            continue;
        if (y != cur) {
            if (cur != -1)
                buf_puts(b, "</ul>\n");
            buf_printf(b, "<h2 id=\"aar-%d\">%d</h2>\n<ul class=\"list\">\n", y, y);
            cur = y;
        }
        buf_printf(b, "<li><a href=\"/moede/%lld\">Møde ", (long long)m[i].id);
        web_date_long(b, m[i].date);
        buf_printf(b, "</a> <span class=\"meta\">%zu %s</span></li>\n", m[i].ncases,
                   m[i].ncases == 1 ? "sag" : "sager");
        shown++;
    }
    if (cur != -1)
        buf_puts(b, "</ul>\n");
    web_pager(b, req, "side", page, PER_PAGE, total);
    if (shown == 0) {
        if (year)
            res->status = 404;
        if (year)
            buf_printf(b, "<p>Udvalget holdt ingen møder i %d, som findes i arkivet.</p>\n", year);
        else
            buf_puts(b, "<p>Der er ingen møder for dette udvalg i arkivet.</p>\n");
    }
    /* ---- issue 10, notices: the subscription form, on the body's own page ---- */
    if (!year)
        web_notice_form(b, req, body->code, NULL, NULL, NULL);
    /* ---- end issue 10, notices ---- */
    web_page_end(res);
done:
    free(years);
    store_body_fini(&body_row);
    store_meetings_free(m, nm);
}
