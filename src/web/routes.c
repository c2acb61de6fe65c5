/* routes: the table of URLs the portal answers, the query arguments each reads, and the
 * dispatcher that walks it. */
#include <string.h>

#include "web.h"

/* A pattern is a path whose segments are literals or "*" (exactly one non-empty segment).
 * The first route that matches wins, so literal routes come before their wildcards. args
 * names the query arguments the handler reads, separated by spaces; web_route drops all
 * others before the page cache sees the request, so a handler that reads a new argument must
 * name it here. */
struct web_route {
    const char *pattern;
    web_handler *handler;
    const char *args;
};

/* The API's paging arguments (web_api_paging, web_api_list). */
#define PAGING "page per_page"

static const struct web_route routes[] = {
    {"/", page_front, ""},
    {"/static/referat.css", web_static_css, ""},
    {"/robots.txt", web_robots, ""},
    {"/atom.xml", feed_atom, ""},
    {"/kalender.ics", feed_ical, ""},
    {"/organ/*", page_body, "side"},
    {"/organ/*/atom.xml", feed_atom, ""},
    {"/organ/*/kalender.ics", feed_ical, ""},
    {"/organ/*/*", page_body, "side"},
    {"/moede/*", page_meeting, ""},
    {"/sag/*", page_case, ""},
    {"/sag/*/bilag/*", page_attachment, ""},
    {"/soeg", page_search, "q organ fra til side"},
    {"/opfoelgning", page_followups, "ansvarlig status side"},
    {"/person/*", page_person, "deltog opfoelgning"},
    {"/api", api_index, ""},
    {"/api/bodies", api_bodies, PAGING},
    {"/api/meetings", api_meetings, PAGING " body year"},
    {"/api/meetings/*", api_meetings, ""},
    {"/api/cases", api_cases, PAGING},
    {"/api/cases/*", api_cases, ""},
    {"/api/followups", api_followups, PAGING " status owner"},
    {"/api/search", api_search, PAGING " q from to body"},
};

static bool match(const char *pattern, const struct web_request *req)
{
    size_t i = 0;
    const char *p = pattern + 1;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (i == req->nseg)
            return false;
        const char *seg = req->seg[i++];
        if (!(len == 1 && *p == '*') && (strlen(seg) != len || memcmp(seg, p, len) != 0))
            return false;
        p += len;
        if (*p == '/')
            p++;
    }
    return i == req->nseg;
}

/* Keeps the arguments named in names (space-separated): for each name in its order, the
 * first non-empty argument of that name. */
static void keep_args(struct web_request *req, const char *names)
{
    struct web_arg kept[WEB_MAX_ARGS];
    size_t n = 0;
    for (const char *p = names; *p;) {
        size_t len = strcspn(p, " ");
        for (size_t i = 0; i < req->nargs; i++) {
            const struct web_arg *a = &req->args[i];
            if (n < WEB_MAX_ARGS && a->value[0] && strlen(a->key) == len &&
                memcmp(a->key, p, len) == 0) {
                kept[n++] = *a;
                break;
            }
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    memcpy(req->args, kept, n * sizeof kept[0]);
    req->nargs = n;
}

void web_route(struct web_request *req)
{
    req->routed = true;
    req->route = NULL;
    size_t plen = strlen(req->path);
    if (!(plen > 1 && req->path[plen - 1] == '/')) {
        for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
            if (match(routes[i].pattern, req)) {
                req->route = &routes[i];
                break;
            }
        }
    }
    /* Redirects and 404s read no arguments at all. */
    keep_args(req, req->route ? req->route->args : "");
}

void web_request_key(struct buf *b, const struct web_request *req)
{
    web_path(b, req);
    /* web_path drops the trailing slash that makes a redirect. */
    size_t plen = strlen(req->path);
    if (plen > 1 && req->path[plen - 1] == '/')
        buf_putc(b, '/');
    for (size_t i = 0; i < req->nargs; i++) {
        buf_putc(b, i ? '&' : '?');
        web_url(b, req->args[i].key);
        buf_putc(b, '=');
        web_url(b, req->args[i].value);
    }
}

void web_dispatch(struct web_request *req, struct web_response *res)
{
    if (!req->routed)
        web_route(req);
    if (req->route) {
        req->route->handler(req, res);
        return;
    }
    size_t plen = strlen(req->path);
    /* One spelling per page: "/organ/DIR/" is sent on to "/organ/DIR". */
    if (plen > 1 && req->path[plen - 1] == '/') {
        struct buf loc = BUF_INIT;
        web_path(&loc, req);
        web_redirect(res, 301, buf_cstr(&loc));
        buf_free(&loc);
        return;
    }
    if (req->nseg > 0 && strcmp(req->seg[0], "api") == 0)
        web_json_error(res, 404, "Ukendt API-adresse. Se /api for en oversigt.");
    else
        web_error_page(res, 404, NULL);
}
