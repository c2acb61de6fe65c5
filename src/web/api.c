/* api: what the JSON API resources share: paging parameters and the list envelope. */
#include <string.h>

#include "web.h"

static bool positive(const char *s, size_t max, size_t *out)
{
    int64_t v = web_parse_id(s);
    if (v < 1 || (size_t)v > max)
        return false;
    *out = (size_t)v;
    return true;
}

bool web_api_paging(const struct web_request *req, struct web_response *res, size_t *page,
                    size_t *per_page)
{
    const char *p = web_arg(req, "page"), *pp = web_arg(req, "per_page");
    *page = 1;
    *per_page = 20;
    if (p && !positive(p, 100000, page)) {
        web_json_error(res, 400, "page skal være et positivt heltal.");
        return false;
    }
    if (pp && !positive(pp, 100, per_page)) {
        web_json_error(res, 400, "per_page skal være et heltal fra 1 til 100.");
        return false;
    }
    return true;
}

/* This request's path and arguments with page set to page. */
static json_t *page_url(const struct web_request *req, size_t page)
{
    struct buf b = BUF_INIT;
    web_path(&b, req);
    char sep = '?';
    for (size_t i = 0; i < req->nargs; i++) {
        if (strcmp(req->args[i].key, "page") == 0 || !req->args[i].value[0])
            continue;
        buf_putc(&b, sep);
        web_url(&b, req->args[i].key);
        buf_putc(&b, '=');
        web_url(&b, req->args[i].value);
        sep = '&';
    }
    buf_printf(&b, "%cpage=%zu", sep, page);
    json_t *s = json_string(buf_cstr(&b));
    buf_free(&b);
    return s;
}

json_t *web_api_list(const struct web_request *req, json_t *items, size_t page, size_t per_page,
                     size_t total)
{
    size_t pages = (total + per_page - 1) / per_page;
    return json_pack("{s:o,s:I,s:I,s:I,s:I,s:o,s:o}", "items", items, "page", (json_int_t)page,
                     "per_page", (json_int_t)per_page, "total", (json_int_t)total, "pages",
                     (json_int_t)pages, "prev",
                     page > 1 && page <= pages + 1 ? page_url(req, page - 1) : json_null(), "next",
                     page < pages ? page_url(req, page + 1) : json_null());
}
