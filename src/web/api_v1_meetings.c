/* api_v1_meetings: the write API's meetings (docs/api.md): POST /api/v1/meetings plans one,
 * GET /api/v1/meetings/ID is the staff view with its agenda, POST /api/v1/meetings/ID/cases
 * writes a new case onto its agenda, POST /api/v1/meetings/ID/actions/NAME moves it through
 * its workflow. The same store calls and checks as the forms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../model/access.h"
#include "../model/case.h"
#include "../model/timetable.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "../util/err.h"
#include "api_v1.h"
#include "auth.h"
#include "web.h"

/* The API's action names for a meeting, beside the workflow's own (docs/workflow.md). */
static const struct api_v1_name actions[] = {
    {"frigiv", "frigiv_dagsorden"},
    {"tilbagekald", "tilbagekald_dagsorden"},
    {"aflys", "aflys"},
    /* ---- issue 9, api: running the meeting and its minutes (docs/api.md) ---- */
    {"start", "start"},
    {"afslut", "afslut"},
    {"send-referat", "send_referat_til_godkendelse"},
    {"godkend-referat", "godkend_referat"}, /* one member's approval (the member's token) */
    {"returner-referat", "returner_referat"},
    {"luk-godkendelse", "luk_godkendelse"},
    {"offentliggoer", "offentliggoer"},
    {"afpublicer", "afpublicer"},
    {"genaabn", "genaabn"},
    /* ---- end issue 9, api ---- */
};

/* A time of day as "10:30" from "10:30" or the Danish "10.30"; false for anything else. */
static bool time_of(const char *s, char out[6])
{
    int t = s ? tt_parse(s) : -1;
    if (t < 0 || t >= 24 * 60 || strlen(s) > 5)
        return false;
    out[0] = (char)('0' + t / 600);
    out[1] = (char)('0' + t / 60 % 10);
    out[2] = ':';
    out[3] = (char)('0' + t % 60 / 10);
    out[4] = (char)('0' + t % 10);
    out[5] = '\0';
    return true;
}

/* An optional string member: NULL when absent or null; false (after answering) when it is
 * something else. */
static bool opt_str(json_t *o, const char *key, const char **out, struct web_response *res)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        char field[64];
        snprintf(field, sizeof field, "$.%s", key);
        web_api_field_error(res, field, "Forventede en tekst.");
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* ---- issue 9, api: where the minutes stand (store_minutes_get): their version, and the
 * latest approval round with each member's answer and time, the objections and the frozen
 * case versions. NULL for a meeting without minutes of its own (imported). ---- */
static json_t *minutes_state_json(const struct web_request *req, int64_t meeting_id)
{
    struct store_minutes mi = {0};
    struct err e = {0};
    if (store_minutes_get(req->store, meeting_id, req->reader, &mi, &e) < 0) {
        store_minutes_fini(&mi);
        return NULL;
    }
    json_t *round = json_null();
    const struct store_minutes_round *rd = NULL;
    for (size_t i = 0; i < mi.nrounds; i++)
        if (!rd || mi.rounds[i].id > rd->id)
            rd = &mi.rounds[i];
    if (rd) {
        json_t *members = json_array(), *objections = json_array(), *cases = json_array();
        for (size_t i = 0; i < rd->nmembers; i++)
            json_array_append_new(members,
                                  json_pack("{s:o,s:o,s:o}", "login",
                                            web_json_str(rd->members[i].login), "name",
                                            web_json_str(rd->members[i].name), "approved_at",
                                            web_json_str(rd->members[i].approved_at)));
        for (size_t i = 0; i < rd->nobjections; i++) {
            const struct store_minutes_objection *o = &rd->objections[i];
            json_array_append_new(objections,
                                  json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                                            (json_int_t)o->id, "author", web_json_str(o->author),
                                            "text", web_json_str(o->text), "created_at",
                                            web_json_str(o->created_at), "answer",
                                            web_json_str(o->answer), "answered_by",
                                            web_json_str(o->answered_by), "answered_at",
                                            web_json_str(o->answered_at)));
        }
        for (size_t i = 0; i < rd->ncases; i++)
            json_array_append_new(cases, json_pack("{s:I,s:i}", "id",
                                                   (json_int_t)rd->cases[i].case_id, "version",
                                                   rd->cases[i].version));
        round = json_pack("{s:I,s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                          (json_int_t)rd->id, "version", rd->version, "sent_at",
                          web_json_str(rd->sent_at), "sent_by", web_json_str(rd->sent_by),
                          "deadline", web_json_str(rd->deadline), "closed_at",
                          web_json_str(rd->closed_at), "outcome", web_json_str(rd->outcome),
                          "reason", web_json_str(rd->reason), "members", members, "objections",
                          objections, "cases", cases);
    }
    json_t *o = json_pack("{s:i,s:i,s:o}", "version", mi.version, "approval_days",
                          mi.approval_days, "round", round);
    store_minutes_fini(&mi);
    return o;
}
/* ---- end issue 9, api ---- */

static json_t *meeting_json(const struct web_request *req, const struct store_meeting *m)
{
    json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:i,s:o,s:o,s:o,s:s,s:i,s:o}", "id",
                          (json_int_t)m->id, "body", m->body, "body_name",
                          web_json_str(m->body_name), "date", m->date, "number", (int)m->number,
                          "start", web_json_str(m->start), "end", web_json_str(m->end), "place",
                          web_json_str(m->place), "state", m->state, "version", m->version,
                          "cancel_reason", web_json_str(m->cancel_reason));
    struct store_case_ref *v = NULL;
    size_t n = 0, total = 0;
    struct store_page pg = {0, STORE_PAGE_MAX};
    struct err e = {0};
    json_t *cases = json_array();
    if (store_meeting_cases(req->store, m->id, req->reader, &pg, &v, &n, &total, &e) == 0) {
        for (size_t i = 0; i < n; i++) {
            char url[48];
            snprintf(url, sizeof url, "/api/v1/cases/%lld", (long long)v[i].id);
            json_array_append_new(
                cases, json_pack("{s:I,s:o,s:b,s:o,s:i,s:b,s:s}", "id", (json_int_t)v[i].id,
                                 "title", web_json_str(v[i].title), "public", v[i].public,
                                 "state", web_json_str(v[i].state), "version", v[i].version,
                                 "published", v[i].published, "api", url));
        }
        store_case_refs_free(v, n);
    }
    json_object_set_new(o, "cases", cases);
    if (m->authored) { /* issue 9, api: the minutes' round and their publication */
        json_t *mi = minutes_state_json(req, m->id);
        json_object_set_new(o, "minutes", mi ? mi : json_null());
        struct store_meeting_publication pb = {0};
        if (store_meeting_publication_get(req->store, m->id, req->reader, &pb, &e) == 0)
            json_object_set_new(o, "publication",
                                json_pack("{s:o,s:o,s:o}", "minutes_published_at",
                                          web_json_str(pb.minutes_published_at), "publish_at",
                                          web_json_str(pb.publish_at), "publish_error",
                                          web_json_str(pb.publish_error)));
        store_meeting_publication_fini(&pb);
    }
    return o;
}

void api_v1_meetings_post(const struct web_request *req, struct web_response *res)
{
    json_t *root = web_api_body(req, res);
    if (!root)
        return;
    const char *body, *date, *start, *end, *place;
    char s[6] = "", t[6] = "";
    if (!opt_str(root, "body", &body, res) || !opt_str(root, "date", &date, res) ||
        !opt_str(root, "start", &start, res) || !opt_str(root, "end", &end, res) ||
        !opt_str(root, "place", &place, res))
        goto done;
    if (!body || !*body) {
        web_api_field_error(res, "$.body", "Udvalgets kode mangler (for eksempel \"DIR\").");
    } else if (!web_is_date(date)) {
        web_api_field_error(res, "$.date", "Forventede en dato, der findes, som 2026-12-01.");
    } else if (start && !time_of(start, s)) {
        web_api_field_error(res, "$.start", "Forventede et klokkeslæt som 10:30 eller 10.30.");
    } else if (end && !time_of(end, t)) {
        web_api_field_error(res, "$.end", "Forventede et klokkeslæt som 12:00 eller 12.00.");
    } else if (*s && *t && strcmp(t, s) <= 0) {
        web_api_field_error(res, "$.end", "Mødet skal slutte efter, det begynder.");
    } else {
        struct store_actor a;
        web_actor(req, &a);
        struct store_meeting_save ms = {.body = body, .date = date, .start = *s ? s : NULL,
                                        .end = *t ? t : NULL, .place = place};
        int64_t id = 0;
        int version = 0;
        struct err e = {0};
        int rc = store_meeting_save(req->store, &ms, &a, &id, &version, &e);
        if (rc < 0) {
            web_api_refuse(res, rc, rc == ERR_NOTFOUND ? "$.body" : NULL, &e);
        } else {
            char loc[48];
            snprintf(loc, sizeof loc, "/api/v1/meetings/%lld", (long long)id);
            web_header_add(res, "Location", loc);
            web_json(res, 201, json_pack("{s:I,s:i}", "id", (json_int_t)id, "version", version));
        }
    }
done:
    json_decref(root);
}

void api_v1_meeting(const struct web_request *req, struct web_response *res)
{
    struct store_meeting m = {0};
    struct err e = {0};
    int rc = store_meeting_get(req->store, web_parse_id(req->seg[3]), req->reader, &m, &e);
    if (rc < 0)
        web_api_refuse(res, rc, NULL, &e);
    else
        web_json(res, 200, meeting_json(req, &m));
    store_meeting_fini(&m);
}

/* The case of a request body read as the JSON model (docs/json.md), or NULL after answering
 * with the path of what was wrong ("$.subitems[1].time"). */
struct case_doc *api_v1_case_of(json_t *doc, struct web_response *res)
{
    if (!json_is_object(doc)) {
        web_api_field_error(res, "$.case", "Forventede sagen som et JSON-objekt (docs/json.md).");
        return NULL;
    }
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    int rc = text ? fmt_read(&fmt_read_json, text, strlen(text), FMT_NOLAYOUT | FMT_NOEXTRACT,
                             &c, &e, &w)
                  : ERR_SYNTAX;
    free(text);
    warnings_fini(&w);
    if (rc < 0) {
        web_api_refuse(res, ERR_SYNTAX, NULL, &e); /* the field from the message */
        case_free(c);
        return NULL;
    }
    return c;
}

void api_v1_meeting_cases_post(const struct web_request *req, struct web_response *res)
{
    json_t *root = web_api_body(req, res);
    if (!root)
        return;
    struct case_doc *c = api_v1_case_of(root, res);
    json_decref(root);
    if (!c)
        return;
    struct store_actor a;
    web_actor(req, &a);
    struct store_save sv = {.meeting_id = web_parse_id(req->seg[3]), .model = c};
    int64_t id = 0;
    int version = 0;
    struct err e = {0};
    int rc = store_case_save(req->store, &sv, &a, &id, &version, &e);
    if (rc < 0) {
        web_api_refuse(res, rc, NULL, &e);
    } else {
        char loc[48];
        snprintf(loc, sizeof loc, "/api/v1/cases/%lld", (long long)id);
        web_header_add(res, "Location", loc);
        web_json(res, 201, json_pack("{s:I,s:i}", "id", (json_int_t)id, "version", version));
    }
    case_free(c);
}

bool api_v1_step(const struct web_request *req, struct web_response *res,
                 const struct wf_machine *m, const struct api_v1_name *names, size_t n,
                 const char *unknown, struct api_v1_step *st)
{
    const char *name = req->seg[req->nseg - 1];
    *st = (struct api_v1_step){.wf = name};
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i].api, name) == 0)
            st->wf = names[i].wf;
    if (wf_action_parse(m, st->wf) < 0) {
        web_json_error(res, 404, unknown);
        return false;
    }
    if (!(st->root = web_api_body(req, res)))
        return false;
    json_t *v = json_object_get(st->root, "version");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000000)
        web_api_field_error(res, "$.version", "Forventede den version, du handler på (et helt "
                                              "tal fra 1).");
    else if (opt_str(st->root, "reason", &st->reason, res)) {
        st->version = (int)json_integer_value(v);
        web_actor(req, &st->actor);
        return true;
    }
    json_decref(st->root);
    st->root = NULL;
    return false;
}

/* ---- issue 9, api: publishing, now or later ----
 * offentliggoer with "publish_at" (UTC "2026-12-03T08:00:00Z") asks for the minutes to be
 * published then (the server's outbox thread or `referat meeting publish-due` runs it, the
 * guard again with it); "publish_at": null cancels that. A publish the guard refuses answers
 * 409 with every problem (case, field, line, column; never the text found). */
static void refuse_publish(const struct web_request *req, struct web_response *res, int64_t id,
                           int rc, const struct err *e)
{
    struct store_publish_problem *v = NULL;
    struct store_meeting m = {0};
    size_t n = 0;
    struct err e2 = {0};
    /* Only the sekretær's refusal is the guard's: anyone else lacks the role. */
    bool sekr = store_meeting_get(req->store, id, req->reader, &m, &e2) == 0 &&
                (reader_roles(req->reader, m.body_id) & ROLE_SEKRETAER);
    store_meeting_fini(&m);
    if (rc != ERR_DENIED || !sekr ||
        store_meeting_publish_check(req->store, id, req->reader, &v, &n, &e2) < 0 || !n) {
        store_publish_problems_free(v, n);
        web_api_refuse(res, rc, NULL, e);
        return;
    }
    json_t *problems = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(problems,
                              json_pack("{s:i,s:I,s:o,s:s,s:s,s:i,s:i}", "position",
                                        v[i].position, "case_id", (json_int_t)v[i].case_id,
                                        "title", web_json_str(v[i].title), "rule", v[i].rule,
                                        "field", v[i].field, "line", (int)v[i].line, "column",
                                        (int)v[i].col));
    store_publish_problems_free(v, n);
    web_json(res, 409, json_pack("{s:{s:i,s:s,s:o,s:o}}", "error", "status", 409, "message",
                                 "Referatet kan ikke offentliggøres: ret alle problemerne og "
                                 "prøv igen. Intet er offentliggjort.",
                                 "detail", web_json_str(e->msg), "problems", problems));
}
/* ---- end issue 9, api ---- */

void api_v1_meeting_action(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[3]);
    struct api_v1_step st;
    if (!api_v1_step(req, res, &wf_meeting, actions, sizeof actions / sizeof actions[0],
                     "Ukendt handling for et møde (se docs/api.md).", &st))
        return;
    struct err e = {0};
    int rc;
    /* issue 9, api: offentliggoer now, or at "publish_at" */
    bool publish = strcmp(st.wf, "offentliggoer") == 0;
    json_t *at = json_object_get(st.root, "publish_at");
    if (at && (!publish || !(json_is_null(at) || json_is_string(at)))) {
        web_api_field_error(res, "$.publish_at",
                            publish ? "Forventede et tidspunkt i UTC som 2026-12-03T08:00:00Z, "
                                      "eller null for at aflyse en planlagt offentliggørelse."
                                    : "Kun offentliggoer tager et tidspunkt.");
        json_decref(st.root);
        return;
    }
    if (at)
        rc = store_meeting_publish_at(req->store, id, st.version,
                                      json_is_null(at) ? NULL : json_string_value(at), &st.actor,
                                      &e);
    else
        rc = store_meeting_transition(req->store, id, st.version, st.wf, st.reason, &st.actor,
                                      &e);
    struct store_meeting m = {0};
    if (rc == 0)
        rc = store_meeting_get(req->store, id, req->reader, &m, &e);
    if (rc < 0 && publish && !at)
        refuse_publish(req, res, id, rc, &e); /* issue 9, api */
    else if (rc < 0)
        web_api_refuse(res, rc, rc == ERR_SYNTAX ? "$.reason" : rc == ERR_USAGE && at
                                                                  ? "$.publish_at" : NULL, &e);
    else
        web_json(res, 200, meeting_json(req, &m));
    store_meeting_fini(&m);
    json_decref(st.root);
}
