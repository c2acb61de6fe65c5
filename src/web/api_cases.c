/* api_cases: /api/cases (paged list) and /api/cases/ID: the case in the JSON writer's format,
 * public view, inside an envelope with its id and links. */
#include <stdio.h>
#include <stdlib.h>

#include "../format/format.h"
#include "../store/store.h"
#include "web.h"

static json_t *ref_json(const struct store_case_ref *r)
{
    char url[48], api[48];
    snprintf(url, sizeof url, "/sag/%lld", (long long)r->id);
    snprintf(api, sizeof api, "/api/cases/%lld", (long long)r->id);
    json_t *o = json_pack("{s:I,s:o,s:o,s:b,s:o,s:o,s:s,s:s}", "id", (json_int_t)r->id, "key",
                          web_json_str(r->key), "title", web_json_str(r->title), "public",
                          r->public, "body", web_json_str(r->body), "date",
                          web_json_str(r->date), "url", url, "api", api);
    /* Staff see where a case stands in its workflow; the public never sees a draft. */
    if (r->sees_closed) {
        json_object_set_new(o, "published", json_boolean(r->published));
        json_object_set_new(o, "state", web_json_str(r->state));
        json_object_set_new(o, "version", json_integer(r->version));
    }
    return o;
}

static void one(const struct web_request *req, struct web_response *res, int64_t id)
{
    struct store_case_ref ref = {0};
    struct case_doc *c = NULL;
    struct err e = {0};
    struct buf out = BUF_INIT;
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc < 0) {
        web_fail(res, rc, true, "Ingen sag med det id.", &e);
        return;
    }
    if ((rc = store_case_get(req->store, id, req->reader, &c, &e)) < 0) {
        web_fail(res, rc, true, "Ingen sag med det id.", &e);
        goto done;
    }
    fmt_write(&fmt_write_json, c, ref.sees_closed ? 0 : FMT_PUBLIC, &out);
    json_error_t je;
    json_t *doc = json_loadb(out.ptr ? out.ptr : "", out.len, 0, &je);
    if (!doc) {
        web_json_error(res, 500, "Sagen kunne ikke skrives som JSON.");
        goto done;
    }
    json_t *o = ref_json(&ref);
    json_t *exports = json_object();
    static const char *const ext[] = {"md", "txt", "json", "html"};
    for (size_t i = 0; i < 4; i++) {
        char u[64];
        snprintf(u, sizeof u, "/sag/%lld.%s", (long long)id, ext[i]);
        json_object_set_new(exports, ext[i], json_string(u));
    }
    json_object_set_new(o, "exports", exports);
    json_object_set_new(o, "case", doc);
    web_json(res, 200, o);
done:
    buf_free(&out);
    case_free(c);
    store_case_ref_fini(&ref);
}

void api_cases(const struct web_request *req, struct web_response *res)
{
    struct store_case_ref *v = NULL;
    size_t n = 0, total = 0, page, per_page;
    struct err e = {0};
    if (!req->store) {
        web_fail(res, ERR_DB, true, NULL, NULL);
        return;
    }
    if (req->nseg == 3) {
        int64_t id = web_parse_id(req->seg[2]);
        if (!id)
            web_json_error(res, 404, "Et sags-id er et positivt heltal.");
        else
            one(req, res, id);
        return;
    }
    if (!web_api_paging(req, res, &page, &per_page))
        return;
    struct store_page pg = web_store_page(page, per_page);
    int rc = store_cases(req->store, req->reader, &pg, &v, &n, &total, &e);
    if (rc < 0) {
        web_fail(res, rc, true, NULL, &e);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, ref_json(&v[i]));
    web_json(res, 200, web_api_list(req, items, page, per_page, total));
    store_case_refs_free(v, n);
}
