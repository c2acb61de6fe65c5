/* api_minutes: a meeting's minutes as one JSON document (docs/api.md, issue 9): the meeting and
 * each case of its agenda in the JSON model, for the write API's tokens
 * (GET /api/v1/meetings/ID/minutes, the staff view at any state) and for the public
 * (GET /api/meetings/ID/minutes, only once the minutes are offentliggjort, as the reader may
 * see each case). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../model/case.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "../util/err.h"
#include "api_v1.h"
#include "web.h"

/* The model of case id as r reads it (the store decides what the public sees: case_view and
 * the minutes' own publication), as JSON without layout; NULL when it cannot be read. */
static json_t *case_model(const struct web_request *req, int64_t id, bool sees_closed)
{
    struct case_doc *c = NULL;
    struct err e = {0};
    struct buf out = BUF_INIT;
    json_t *doc = NULL;
    if (store_case_get(req->store, id, req->reader, &c, &e) == 0) {
        fmt_write(&fmt_write_json, c, FMT_NOLAYOUT | (sees_closed ? 0 : FMT_PUBLIC), &out);
        json_error_t je;
        doc = json_loadb(out.ptr ? out.ptr : "", out.len, 0, &je);
    }
    buf_free(&out);
    case_free(c);
    return doc;
}

/* The whole document; staff adds each case's state and version (what a PUT acts on). */
static json_t *minutes_json(const struct web_request *req, const struct store_meeting *m,
                            bool staff, struct err *e, int *rc)
{
    struct store_case_ref *refs = NULL;
    struct store_agenda_item *items = NULL;
    size_t n = 0, nitems = 0;
    struct store_page all = {0, STORE_PAGE_MAX};
    *rc = store_meeting_cases(req->store, m->id, req->reader, &all, &refs, &n, NULL, e);
    if (*rc < 0)
        return NULL;
    if (store_agenda(req->store, m->id, req->reader, &items, &nitems, e) < 0)
        nitems = 0;
    char url[48];
    snprintf(url, sizeof url, "/moede/%lld", (long long)m->id);
    json_t *meeting = json_pack("{s:I,s:s,s:o,s:o,s:i,s:o,s:o,s:o,s:o,s:s}", "id",
                                (json_int_t)m->id, "body", m->body, "body_name",
                                web_json_str(m->body_name), "date", web_json_str(m->date),
                                "number", (int)m->number, "start", web_json_str(m->start), "end",
                                web_json_str(m->end), "place", web_json_str(m->place), "state",
                                web_json_str(m->state), "url", url);
    if (staff)
        json_object_set_new(meeting, "version", json_integer(m->version));
    json_t *cases = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct store_case_ref *r = &refs[i];
        char api[48], page[48];
        snprintf(api, sizeof api, staff ? "/api/v1/cases/%lld" : "/api/cases/%lld",
                 (long long)r->id);
        snprintf(page, sizeof page, "/sag/%lld", (long long)r->id);
        json_t *o = json_pack("{s:I,s:o,s:b,s:s,s:s}", "id", (json_int_t)r->id, "title",
                              web_json_str(r->title), "public", r->public, "url", page, "api",
                              api);
        if (i < nitems && items[i].ref.id == r->id) {
            json_object_set_new(o, "number", json_integer(items[i].number));
            json_object_set_new(o, "supplement", json_boolean(items[i].supplement));
            if (items[i].postponed_to)
                json_object_set_new(o, "postponed_to", json_integer(items[i].postponed_to));
        }
        if (staff) {
            json_object_set_new(o, "state", web_json_str(r->state));
            json_object_set_new(o, "version", json_integer(r->version));
        }
        /* A closed case the reader may not see is its title only, as everywhere public. */
        json_t *doc = r->visible ? case_model(req, r->id, r->sees_closed) : NULL;
        json_object_set_new(o, "case", doc ? doc : json_null());
        json_array_append_new(cases, o);
    }
    store_case_refs_free(refs, n);
    store_agenda_free(items, nitems);
    return json_pack("{s:s,s:o,s:o}", "format", "referat-minutes/1", "meeting", meeting,
                     "cases", cases);
}

void api_v1_meeting_minutes(const struct web_request *req, struct web_response *res)
{
    struct store_meeting m = {0};
    struct err e = {0};
    int rc = store_meeting_get(req->store, web_parse_id(req->seg[3]), req->reader, &m, &e);
    json_t *o = rc == 0 ? minutes_json(req, &m, true, &e, &rc) : NULL;
    if (rc < 0)
        web_api_refuse(res, rc, NULL, &e);
    else
        web_json(res, 200, o);
    store_meeting_fini(&m);
}

/* The portal's: a meeting whose minutes are not offentliggjort has none to show (404, as an
 * unpublished case). As the rest of /api/, it shows a reader with a role on the body what the
 * pages show them (closed cases in full), and the public the public view. */
void api_meeting_minutes(const struct web_request *req, struct web_response *res)
{
    struct store_meeting m = {0};
    struct err e = {0};
    int64_t id = web_parse_id(req->seg[2]);
    if (!req->store) {
        web_fail(res, ERR_DB, true, NULL, NULL);
        return;
    }
    int rc = id ? store_meeting_get(req->store, id, req->reader, &m, &e) : ERR_NOTFOUND;
    if (rc == 0 && wf_state_parse(&wf_meeting, m.state) != WF_MEETING_OFFENTLIGGJORT)
        rc = ERR_NOTFOUND;
    json_t *o = rc == 0 ? minutes_json(req, &m, false, &e, &rc) : NULL;
    if (rc < 0)
        web_fail(res, rc, true, "Mødet har intet offentliggjort referat.", &e);
    else
        web_json(res, 200, o);
    store_meeting_fini(&m);
}
