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
#include "../model/meeting.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "../util/err.h"
#include "api_v1.h"
#include "web.h"

/* The model of case id (at version, 0: the current one) as r reads it (the store decides what
 * the public sees: case_view and the minutes' own publication), as JSON without layout; NULL
 * when it cannot be read. */
static json_t *case_model(const struct web_request *req, int64_t id, int version, bool sees_closed)
{
    struct case_doc *c = NULL;
    struct err e = {0};
    struct buf out = BUF_INIT;
    json_t *doc = NULL;
    if ((version ? store_case_get_version(req->store, id, version, req->reader, &c, &e)
                 : store_case_get(req->store, id, req->reader, &c, &e)) == 0) {
        fmt_write(&fmt_write_json, c, FMT_NOLAYOUT | (sees_closed ? 0 : FMT_PUBLIC), &out);
        json_error_t je;
        doc = json_loadb(out.ptr ? out.ptr : "", out.len, 0, &je);
    }
    buf_free(&out);
    case_free(c);
    return doc;
}

/* The attendance as the reader may see it: the staff's list (store_attendance_get), the
 * public's only once the minutes are public (store_meeting_publication_get). */
static json_t *attendance_json(const struct web_request *req, int64_t meeting_id, bool staff)
{
    struct attendee *v = NULL;
    size_t n = 0;
    struct store_meeting_publication pb = {0};
    struct err e = {0};
    json_t *a = json_array();
    if (staff) {
        if (store_attendance_get(req->store, meeting_id, req->reader, &v, &n, &e) < 0)
            n = 0;
    } else if (store_meeting_publication_get(req->store, meeting_id, req->reader, &pb, &e) == 0) {
        v = pb.attendees;
        n = pb.nattendees;
    }
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{s:o,s:o,s:s,s:o,s:o,s:o,s:o}", "name", web_json_str(v[i].name), "role",
                         web_json_str(v[i].role), "status", attendee_status_name((int)v[i].status),
                         "substitute", web_json_str(v[i].substitute), "remark",
                         web_json_str(v[i].remark), "arrived",
                         v[i].arrived ? json_integer(v[i].arrived) : json_null(), "left",
                         v[i].left ? json_integer(v[i].left) : json_null()));
    if (staff)
        store_attendees_free(v, n);
    store_meeting_publication_fini(&pb);
    return a;
}

/* The round that approved minutes version `version` (*rd NULL when none): after a reopening
 * the earlier approved minutes stay readable (?version=N), each case at its frozen version. */
static int frozen_versions(const struct web_request *req, int64_t meeting_id, int version,
                           struct store_minutes *mi, const struct store_minutes_round **rd,
                           struct err *e)
{
    int rc = store_minutes_get(req->store, meeting_id, req->reader, mi, e);
    *rd = rc == 0 ? store_minutes_approved(mi, version) : NULL;
    return rc;
}

/* The whole document; staff adds each case's state and version (what a PUT acts on), and
 * reads an earlier approved minutes version when version > 0 (each case as it was frozen). */
static json_t *minutes_json(const struct web_request *req, const struct store_meeting *m,
                            bool staff, int version, struct err *e, int *rc)
{
    struct store_case_ref *refs = NULL;
    struct store_agenda_item *items = NULL;
    size_t n = 0, nitems = 0;
    struct store_page all = {0, STORE_PAGE_MAX};
    struct store_minutes mi = {0};
    const struct store_minutes_round *rd = NULL;
    if (version && (*rc = frozen_versions(req, m->id, version, &mi, &rd, e)) == 0 && !rd)
        *rc = ERR_NOTFOUND;
    if (*rc == 0)
        *rc = store_meeting_cases(req->store, m->id, req->reader, &all, &refs, &n, NULL, e);
    if (*rc < 0) {
        store_minutes_fini(&mi);
        return NULL;
    }
    if (store_agenda(req->store, m->id, req->reader, &items, &nitems, e) < 0)
        nitems = 0;
    char url[48];
    snprintf(url, sizeof url, "/moede/%lld", (long long)m->id);
    json_t *meeting = json_pack(
        "{s:I,s:s,s:o,s:o,s:i,s:o,s:o,s:o,s:o,s:s}", "id", (json_int_t)m->id, "body", m->body,
        "body_name", web_json_str(m->body_name), "date", web_json_str(m->date), "number",
        (int)m->number, "start", web_json_str(m->start), "end", web_json_str(m->end), "place",
        web_json_str(m->place), "state", web_json_str(m->state), "url", url);
    if (staff)
        json_object_set_new(meeting, "version", json_integer(m->version));
    json_object_set_new(meeting, "attendance", attendance_json(req, m->id, staff));
    json_t *cases = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct store_case_ref *r = &refs[i];
        char api[48], page[48];
        snprintf(api, sizeof api, staff ? "/api/v1/cases/%lld" : "/api/cases/%lld",
                 (long long)r->id);
        snprintf(page, sizeof page, "/sag/%lld", (long long)r->id);
        json_t *o = json_pack("{s:I,s:o,s:b,s:s,s:s}", "id", (json_int_t)r->id, "title",
                              web_json_str(r->title), "public", r->public, "url", page, "api", api);
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
        /* An earlier approved version: each case as the round froze it (a case that was not
         * on the agenda then is left out). */
        int at = 0;
        for (size_t k = 0; rd && k < rd->ncases && !at; k++)
            if (rd->cases[k].case_id == r->id)
                at = rd->cases[k].version;
        if (rd && !at) {
            json_decref(o);
            continue;
        }
        if (rd)
            json_object_set_new(o, "version", json_integer(at));
        /* A closed case the reader may not see is its title only, as everywhere public. */
        json_t *doc = r->visible ? case_model(req, r->id, at, r->sees_closed) : NULL;
        json_object_set_new(o, "case", doc ? doc : json_null());
        json_array_append_new(cases, o);
    }
    store_case_refs_free(refs, n);
    store_agenda_free(items, nitems);
    json_t *doc = json_pack("{s:s,s:o,s:o}", "format", "referat-minutes/1", "meeting", meeting,
                            "cases", cases);
    if (staff && m->authored &&
        (version || store_minutes_get(req->store, m->id, req->reader, &mi, e) == 0))
        json_object_set_new(doc, "minutes_version", json_integer(version ? version : mi.version));
    store_minutes_fini(&mi);
    return doc;
}

void api_v1_meeting_minutes(const struct web_request *req, struct web_response *res)
{
    struct store_meeting m = {0};
    struct err e = {0};
    const char *vs = web_arg(req, "version");
    char *end = NULL;
    long version = vs ? strtol(vs, &end, 10) : 0;
    if (vs && (*end || version < 1 || version > 1000000)) {
        web_api_field_error(res, "version",
                            "Forventede ?version= med et godkendt referats "
                            "nummer (1, 2, ...).");
        return;
    }
    int rc = store_meeting_get(req->store, web_parse_id(req->seg[3]), req->reader, &m, &e);
    json_t *o = rc == 0 ? minutes_json(req, &m, true, (int)version, &e, &rc) : NULL;
    if (rc == ERR_NOTFOUND && version)
        web_json_error(res, 404, "Mødet har ikke et godkendt referat med det nummer.");
    else if (rc < 0)
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
    json_t *o = rc == 0 ? minutes_json(req, &m, false, 0, &e, &rc) : NULL;
    if (rc < 0)
        web_fail(res, rc, true, "Mødet har intet offentliggjort referat.", &e);
    else
        web_json(res, 200, o);
    store_meeting_fini(&m);
}
