/* api_followups: /api/followups?owner=&status=open|done|all, paged. */
#include <stdio.h>
#include <string.h>

#include "../store/store.h"
#include "web.h"

void api_followups(const struct web_request *req, struct web_response *res)
{
    struct store_followup *v = NULL;
    size_t n = 0, total = 0, page, per_page;
    struct err e = {0};
    if (!req->store) {
        web_fail(res, ERR_DB, true, NULL, NULL);
        return;
    }
    if (!web_api_paging(req, res, &page, &per_page))
        return;
    const char *status = web_arg(req, "status");
    enum store_status st = STORE_OPEN;
    if (status) {
        if (strcmp(status, "open") == 0)
            st = STORE_OPEN;
        else if (strcmp(status, "done") == 0)
            st = STORE_DONE;
        else if (strcmp(status, "all") == 0)
            st = STORE_ANY;
        else {
            web_json_error(res, 400, "status skal være open, done eller all.");
            return;
        }
    }
    struct store_followup_filter f = {.owner = web_arg(req, "owner"), .status = st,
                                      .portal = true};
    struct store_page pg = web_store_page(page, per_page);
    int rc = store_followups(req->store, &f, req->reader, &pg, &v, &n, &total, &e);
    if (rc < 0) {
        web_fail(res, rc, true, NULL, &e);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        char url[48];
        snprintf(url, sizeof url, "/sag/%lld", (long long)v[i].case_id);
        json_array_append_new(
            items, json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:s}", "id",
                             (json_int_t)v[i].id, "case_id", (json_int_t)v[i].case_id, "case_title",
                             web_json_str(v[i].case_title), "body", web_json_str(v[i].body),
                             "meeting_date", web_json_str(v[i].meeting_date), "entry_title",
                             web_json_str(v[i].entry_title), "owner", web_json_str(v[i].owner),
                             "role", web_json_str(v[i].role), "text", web_json_str(v[i].text),
                             "due", web_json_str(v[i].due), "done", v[i].done, "done_by",
                             web_json_str(v[i].done_by), "done_at", web_json_str(v[i].done_at),
                             "state", web_json_str(v[i].state), /* issue 10, followups */
                             "url", url));
    }
    web_json(res, 200, web_api_list(req, items, page, per_page, total));
    store_followups_free(v, n);
}
