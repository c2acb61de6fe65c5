/* api_bodies: /api/bodies, every body with its code, name and number of meetings. */
#include "../store/store.h"
#include "web.h"

void api_bodies(const struct web_request *req, struct web_response *res)
{
    struct store_body *v = NULL;
    size_t n = 0, total = 0, page, per_page;
    struct err e = {0};
    int rc = ERR_DB;
    if (!web_api_paging(req, res, &page, &per_page))
        return;
    struct store_page pg = web_store_page(page, per_page);
    if (!req->store || (rc = store_bodies(req->store, &pg, &v, &n, &total, &e)) < 0) {
        web_fail(res, rc, true, NULL, &e);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        struct buf u = BUF_INIT;
        buf_puts(&u, "/organ/");
        web_url(&u, v[i].code);
        size_t base = u.len;
        json_t *o =
            json_pack("{s:s,s:o,s:I,s:s}", "code", v[i].code, "name", web_json_str(v[i].name),
                      "meetings", (json_int_t)v[i].nmeetings, "url", buf_cstr(&u));
        buf_puts(&u, "/atom.xml");
        json_object_set_new(o, "atom", json_string(buf_cstr(&u)));
        buf_truncate(&u, base);
        buf_puts(&u, "/kalender.ics");
        json_object_set_new(o, "ical", json_string(buf_cstr(&u)));
        buf_truncate(&u, 0);
        buf_puts(&u, "/api/meetings?body=");
        web_url(&u, v[i].code);
        json_object_set_new(o, "meetings_api", json_string(buf_cstr(&u)));
        buf_free(&u);
        json_array_append_new(items, o);
    }
    web_json(res, 200, web_api_list(req, items, page, per_page, total));
    store_bodies_free(v, n);
}
