/* lookup: small store queries that several pages share (finding a meeting or a person by
 * name, list windows). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../format/html.h"
#include "../store/store.h"
#include "../util/clock.h"
#include "web.h"

void web_case_link(struct buf *b, int64_t id, const char *title, bool public)
{
    buf_printf(b, "<a href=\"/sag/%lld\">", (long long)id);
    html_text(b, title && *title ? title : "(uden titel)");
    buf_puts(b, "</a>");
    if (!public)
        buf_puts(b, " <span class=\"tag closed\">Lukket sag</span>");
}

void web_case_context(struct buf *b, const struct store_case_ref *r, bool where)
{
    if (r->subitems && *r->subitems) {
        buf_puts(b, r->nsubitems == 1 ? " · Punkt: " : " · Punkter: ");
        html_text(b, r->subitems);
        if (r->nsubitems > 3)
            buf_printf(b, " og %u til", r->nsubitems - 3);
    }
    if (where && r->body) {
        buf_puts(b, " · ");
        html_text(b, r->body);
    }
    if (where && r->date) {
        buf_puts(b, " ");
        web_date_long(b, r->date);
    }
}

void web_followup_case(struct buf *b, const struct store_followup *fu)
{
    web_case_link(b, fu->case_id, fu->case_title, true);
    if (fu->entry_title) {
        buf_puts(b, " · ");
        html_text(b, fu->entry_title);
    }
    if (fu->body) {
        buf_puts(b, " · ");
        html_text(b, fu->body);
    }
    if (fu->meeting_date) {
        buf_puts(b, " ");
        web_date_long(b, fu->meeting_date);
    }
}

int64_t web_meeting_find(const struct web_request *req, const char *body, const char *date)
{
    int64_t id = 0;
    struct err e = {0};
    if (!req->store || !body || !date ||
        store_meeting_find(req->store, body, date, req->reader, &id, &e) < 0)
        return 0;
    return id;
}

struct store_page web_store_page(size_t page, size_t per_page)
{
    return (struct store_page){.offset = (page ? page - 1 : 0) * per_page, .limit = per_page};
}

int64_t web_person_find(struct store *s, const char *name)
{
    int64_t id = 0;
    struct err e = {0};
    if (!s || !name || store_person_lookup(s, name, &id, &e) < 0)
        return 0;
    return id;
}

void web_today(char iso[11])
{
    clock_today(iso);
}

/* This request's path and arguments with key set to page (page 1: key left out). */
static void page_url(struct buf *b, const struct web_request *req, const char *key, size_t page)
{
    web_path(b, req);
    char sep = '?';
    for (size_t i = 0; i < req->nargs; i++) {
        if (strcmp(req->args[i].key, key) == 0 || !req->args[i].value[0])
            continue;
        buf_putc(b, sep);
        web_url(b, req->args[i].key);
        buf_putc(b, '=');
        web_url(b, req->args[i].value);
        sep = '&';
    }
    if (page > 1)
        buf_printf(b, "%c%s=%zu", sep, key, page);
}

void web_pager(struct buf *b, const struct web_request *req, const char *key, size_t page,
               size_t per_page, size_t total)
{
    /* Only the first STORE_LIST_DEPTH rows of a list are listed (store.h): no page past. */
    size_t listed = total > STORE_LIST_DEPTH ? STORE_LIST_DEPTH : total;
    size_t pages = per_page ? (listed + per_page - 1) / per_page : 1;
    if (page > pages && pages > 0) {
        /* Past the end: an empty page that leads back to the first. */
        struct buf u = BUF_INIT;
        page_url(&u, req, key, 1);
        buf_puts(b, "<p>Siden findes ikke: listen har ");
        buf_printf(b, "%zu %s. <a href=\"", pages, pages == 1 ? "side" : "sider");
        html_attr(b, buf_cstr(&u));
        buf_puts(b, "\">Gå til første side</a>.</p>\n");
        buf_free(&u);
        return;
    }
    if (total > STORE_LIST_DEPTH)
        buf_printf(b, "<p class=\"meta\">Listen viser de første %d.%03d. Brug filtrene for at "
                      "finde resten.</p>\n", STORE_LIST_DEPTH / 1000, STORE_LIST_DEPTH % 1000);
    if (pages <= 1)
        return;
    struct buf u = BUF_INIT;
    buf_puts(b, "<nav aria-label=\"Sider\"><ul class=\"pager\">");
    if (page > 1 && page <= pages + 1) {
        page_url(&u, req, key, page - 1);
        buf_puts(b, "<li><a rel=\"prev\" href=\"");
        html_attr(b, buf_cstr(&u));
        buf_puts(b, "\">‹ Forrige</a></li>");
    }
    buf_printf(b, "<li>Side %zu af %zu</li>", page, pages);
    if (page < pages) {
        buf_truncate(&u, 0);
        page_url(&u, req, key, page + 1);
        buf_puts(b, "<li><a rel=\"next\" href=\"");
        html_attr(b, buf_cstr(&u));
        buf_puts(b, "\">Næste ›</a></li>");
    }
    buf_puts(b, "</ul></nav>\n");
    buf_free(&u);
}

/* ---- issue 11, paging ---- */
bool web_page_arg(const struct web_request *req, struct web_response *res, const char *key,
                  size_t *page)
{
    const char *s = web_arg(req, key);
    *page = 1;
    if (!s)
        return true;
    int64_t v = web_parse_id(s);
    if (v < 1 || v > WEB_PAGE_MAX) {
        struct buf m = BUF_INIT;
        buf_printf(&m, "%s skal være et sidetal fra 1 til %d.", key, WEB_PAGE_MAX);
        web_error_page(res, 400, buf_cstr(&m));
        buf_free(&m);
        return false;
    }
    *page = (size_t)v;
    return true;
}

bool web_status_arg(const struct web_request *req, struct web_response *res,
                    enum store_status *st)
{
    const char *s = web_arg(req, "status");
    if (!s || strcmp(s, "aabne") == 0)
        *st = STORE_OPEN;
    else if (strcmp(s, "afsluttede") == 0)
        *st = STORE_DONE;
    else if (strcmp(s, "alle") == 0)
        *st = STORE_ANY;
    else {
        web_error_page(res, 400, "Status skal være aabne, afsluttede eller alle.");
        return false;
    }
    return true;
}

const char *web_status_name(enum store_status st)
{
    return st == STORE_DONE ? "afsluttede" : st == STORE_ANY ? "alle" : "aabne";
}

void web_total(struct buf *b, size_t total, const char *one, const char *many)
{
    if (total > STORE_LIST_DEPTH)
        buf_printf(b, "over %d.%03d", STORE_LIST_DEPTH / 1000, STORE_LIST_DEPTH % 1000);
    else if (total >= 1000)
        buf_printf(b, "%zu.%03zu", total / 1000, total % 1000);
    else
        buf_printf(b, "%zu", total);
    if (one && many)
        buf_printf(b, " %s", total == 1 ? one : many);
}
