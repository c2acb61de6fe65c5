/* routes: the table of URLs the portal answers, and the dispatcher that walks it. */
#include <string.h>

#include "web.h"

/* A pattern is a path whose segments are literals or "*" (exactly one non-empty segment).
 * The first route that matches wins, so literal routes come before their wildcards. */
struct route {
    const char *pattern;
    web_handler *handler;
};

static const struct route routes[] = {
    {"/", page_front},
    {"/static/referat.css", web_static_css},
    {"/robots.txt", web_robots},
    {"/atom.xml", feed_atom},
    {"/kalender.ics", feed_ical},
    {"/organ/*", page_body},
    {"/organ/*/atom.xml", feed_atom},
    {"/organ/*/kalender.ics", feed_ical},
    {"/organ/*/*", page_body},
    {"/moede/*", page_meeting},
    {"/sag/*", page_case},
    {"/sag/*/bilag/*", page_attachment},
    {"/soeg", page_search},
    {"/opfoelgning", page_followups},
    {"/person/*", page_person},
    {"/api", api_index},
    {"/api/bodies", api_bodies},
    {"/api/meetings", api_meetings},
    {"/api/meetings/*", api_meetings},
    {"/api/cases", api_cases},
    {"/api/cases/*", api_cases},
    {"/api/followups", api_followups},
    {"/api/search", api_search},
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

void web_dispatch(struct web_request *req, struct web_response *res)
{
    size_t plen = strlen(req->path);
    /* One spelling per page: "/organ/DIR/" is sent on to "/organ/DIR". */
    if (plen > 1 && req->path[plen - 1] == '/') {
        struct buf loc = BUF_INIT;
        web_path(&loc, req);
        web_redirect(res, 301, buf_cstr(&loc));
        buf_free(&loc);
        return;
    }
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (match(routes[i].pattern, req)) {
            routes[i].handler(req, res);
            return;
        }
    }
    if (req->nseg > 0 && strcmp(req->seg[0], "api") == 0)
        web_json_error(res, 404, "Ukendt API-adresse. Se /api for en oversigt.");
    else
        web_error_page(res, 404, NULL);
}
