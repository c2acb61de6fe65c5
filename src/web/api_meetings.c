/* api_meetings: /api/meetings (by body and year, paged) and /api/meetings/ID (its cases and
 * timetable). */
#include <stdlib.h>
#include <string.h>

#include "../store/store.h"
#include "web.h"

static json_t *meeting_json(const struct store_meeting *m)
{
    char url[48];
    snprintf(url, sizeof url, "/moede/%lld", (long long)m->id);
    json_t *o = json_pack("{s:I,s:s,s:o,s:o,s:I,s:s}", "id", (json_int_t)m->id, "body",
                          m->body, "body_name", web_json_str(m->body_name), "date",
                          web_json_str(m->date), "case_count", (json_int_t)m->ncases, "url", url);
    /* issue 8: a meeting planned in referat: its number, times, place, state, release and
     * cancellation. */
    if (o && m->authored) {
        json_object_set_new(o, "number", json_integer(m->number));
        json_object_set_new(o, "start", web_json_str(m->start));
        json_object_set_new(o, "end", web_json_str(m->end));
        json_object_set_new(o, "place", web_json_str(m->place));
        json_object_set_new(o, "state", web_json_str(m->state));
        json_object_set_new(o, "released_at", web_json_str(m->released_at));
        json_object_set_new(o, "cancel_reason", web_json_str(m->cancel_reason));
    }
    return o;
}

static void one(const struct web_request *req, struct web_response *res, int64_t id)
{
    struct store_meeting m = {0};
    struct store_case_ref *refs = NULL;
    size_t n = 0;
    struct err e = {0};
    int rc = store_meeting_get(req->store, id, req->reader, &m, &e);
    if (rc < 0) {
        web_fail(res, rc, true, "Intet møde med det id.", &e);
        return;
    }
    struct store_page all = {0, STORE_PAGE_MAX};
    if ((rc = store_meeting_cases(req->store, id, req->reader, &all, &refs, &n, NULL, &e)) < 0) {
        web_fail(res, rc, true, NULL, &e);
        store_meeting_fini(&m);
        return;
    }
    /* issue 8: the agenda's marks, in the same order for the same reader. */
    struct store_agenda_item *items = NULL;
    size_t nitems = 0;
    if (store_agenda(req->store, id, req->reader, &items, &nitems, &e) < 0)
        nitems = 0;
    json_t *o = meeting_json(&m);
    json_t *cases = json_array(), *timetable = json_array();
    for (size_t i = 0; i < n; i++) {
        char url[48], api[48];
        snprintf(url, sizeof url, "/sag/%lld", (long long)refs[i].id);
        snprintf(api, sizeof api, "/api/cases/%lld", (long long)refs[i].id);
        json_array_append_new(cases,
                              json_pack("{s:I,s:o,s:b,s:s,s:s}", "id", (json_int_t)refs[i].id,
                                        "title", web_json_str(refs[i].title), "public",
                                        refs[i].public, "url", url, "api", api));
        if (m.authored && i < nitems && items[i].ref.id == refs[i].id) {
            json_t *last = json_array_get(cases, json_array_size(cases) - 1);
            json_object_set_new(last, "number", json_integer(items[i].number));
            json_object_set_new(last, "supplement", json_boolean(items[i].supplement));
            json_object_set_new(last, "late", json_boolean(items[i].late));
            if (items[i].postponed_to)
                json_object_set_new(last, "postponed_to", json_integer(items[i].postponed_to));
        }
        struct case_doc *c = NULL;
        if (!refs[i].visible || store_case_get(req->store, refs[i].id, req->reader, &c, &e) < 0)
            continue;
        for (size_t k = 0; k < c->nsubitems; k++)
            if (c->subitems[k].time)
                json_array_append_new(
                    timetable, json_pack("{s:s,s:o,s:I,s:I}", "time", c->subitems[k].time, "title",
                                         web_json_str(c->subitems[k].title), "case_id",
                                         (json_int_t)refs[i].id, "subitem", (json_int_t)(k + 1)));
        case_free(c);
    }
    json_object_set_new(o, "cases", cases);
    json_object_set_new(o, "timetable", timetable);
    web_json(res, 200, o);
    store_case_refs_free(refs, n);
    store_agenda_free(items, nitems);
    store_meeting_fini(&m);
}

void api_meetings(const struct web_request *req, struct web_response *res)
{
    struct store_meeting *v = NULL;
    size_t n = 0;
    struct err e = {0};
    int rc;
    size_t page, per_page;
    if (!req->store) {
        web_fail(res, ERR_DB, true, NULL, NULL);
        return;
    }
    if (req->nseg == 3) {
        int64_t id = web_parse_id(req->seg[2]);
        if (!id)
            web_json_error(res, 404, "Et møde-id er et positivt heltal.");
        else
            one(req, res, id);
        return;
    }
    if (!web_api_paging(req, res, &page, &per_page))
        return;
    const char *body = web_arg(req, "body"), *year = web_arg(req, "year");
    int y = 0;
    if (year && (strlen(year) != 4 || (y = atoi(year)) < 1000)) {
        web_json_error(res, 400, "year skal være et årstal med fire cifre.");
        return;
    }
    struct store_page pg = web_store_page(page, per_page);
    size_t total = 0;
    rc = store_meetings(req->store, body, y, req->reader, &pg, &v, &n, &total, &e);
    if (rc < 0) {
        web_fail(res, rc, true, "Intet udvalg med den kode.", &e);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, meeting_json(&v[i]));
    web_json(res, 200, web_api_list(req, items, page, per_page, total));
    store_meetings_free(v, n);
}
