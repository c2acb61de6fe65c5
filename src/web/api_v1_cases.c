/* api_v1_cases: the write API's cases (docs/api.md): GET /api/v1/cases/ID is the staff view
 * ({"version", "case"} in the JSON model), PUT /api/v1/cases/ID saves a whole model against
 * the version it was read at (409 when stale), POST /api/v1/cases/ID/actions/NAME moves it
 * through its workflow. The same store calls and checks as the forms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../model/access.h"
#include "../model/case.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "../util/err.h"
#include "api_v1.h"
#include "auth.h"
#include "web.h"

/* The API's action names for a case (the issue's), beside the workflow's own. */
static const struct api_v1_name actions[] = {
    {"indsend", "indsend"},
    {"godkend", "godkend"},
    {"afvis", "send_tilbage"},
    {"optag", "saet_paa_dagsorden"},
    {"udsaet", "udsaet"},
};

static void answer(const struct web_request *req, struct web_response *res, int64_t id,
                   int status)
{
    struct store_case_ref ref = {0};
    struct case_doc *c = NULL;
    struct err e = {0};
    struct buf out = BUF_INIT;
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0)
        rc = store_case_get(req->store, id, req->reader, &c, &e);
    if (rc < 0) {
        web_api_refuse(res, rc, NULL, &e);
        goto done;
    }
    /* The staff view: the route has already required a role on one of the case's bodies. */
    fmt_write(&fmt_write_json, c, FMT_NOLAYOUT | (ref.sees_closed ? 0 : FMT_PUBLIC), &out);
    json_error_t je;
    json_t *doc = json_loadb(out.ptr ? out.ptr : "", out.len, 0, &je);
    if (!doc) {
        web_json_error(res, 500, "Sagen kunne ikke skrives som JSON.");
        goto done;
    }
    web_json(res, status,
             json_pack("{s:I,s:i,s:o,s:b,s:o,s:o}", "id", (json_int_t)id, "version", ref.version,
                       "state", web_json_str(ref.state), "published", ref.published, "body",
                       web_json_str(ref.body), "case", doc));
done:
    buf_free(&out);
    case_free(c);
    store_case_ref_fini(&ref);
}

/* ---- issue 9, api: a write to minutes that are no longer editable ----
 * The store refuses a save of a case whose meeting's minutes are approved (append-only: only
 * a tillæg) or frozen in an open approval round. That is no matter of roles but of where the
 * minutes stand, so the API says 409 with the reason and the way that is open. */
static void refuse_write(const struct web_request *req, struct web_response *res, int64_t id,
                         int rc, const struct err *e)
{
    int64_t mid = 0;
    struct store_meeting m = {0};
    struct err e2 = {0};
    int state = -1;
    if ((rc == ERR_DENIED || rc == ERR_CONFLICT) &&
        store_case_meeting(req->store, id, req->reader, &mid, &e2) == 0 && mid &&
        store_meeting_get(req->store, mid, req->reader, &m, &e2) == 0)
        state = wf_state_parse(&wf_meeting, m.state);
    store_meeting_fini(&m);
    const char *why = NULL;
    if (state >= 0 && wf_state_locked(&wf_meeting, state))
        why = "Referatet er godkendt: sagen kan kun rettes med et tillæg "
              "(POST /api/v1/cases/ID/additions).";
    else if (state == WF_MEETING_REFERAT_TIL_GODKENDELSE)
        why = "Referatet er sendt til godkendelse: sagen kan først rettes, når referatet er "
              "returneret (POST /api/v1/meetings/ID/actions/returner-referat).";
    int roles = 0;
    struct store_case_ref ref = {0};
    bool guarded = !why && rc == ERR_DENIED &&
                   store_case_ref_get(req->store, id, req->reader, &ref, &e2) == 0 && ref.state &&
                   ref.published &&
                   store_case_roles(req->store, id, req->reader, &roles, &e2) == 0 &&
                   (roles & ROLE_SEKRETAER);
    store_case_ref_fini(&ref);
    if (guarded) {
        /* A case written in referat, published, and the sekretær holds every role a save
         * needs: what refused it is the release guard (what a public case says must be
         * publishable). */
        web_json(res, 400, json_pack("{s:{s:i,s:s,s:o}}", "error", "status", 400, "message",
                                     "Sagen kan ikke gemmes, som den er: den er på en frigivet "
                                     "dagsorden, og teksten må ikke offentliggøres (se detail).",
                                     "detail", web_json_str(e ? e->msg : NULL)));
        return;
    }
    if (!why) {
        web_api_refuse(res, rc, NULL, e);
        return;
    }
    json_t *o = json_pack("{s:i,s:s,s:I,s:s}", "status", 409, "message", why, "meeting",
                          (json_int_t)mid, "state", wf_state_name(&wf_meeting, state));
    if (e && e->msg[0])
        json_object_set_new(o, "detail", web_json_str(e->msg));
    web_json(res, 409, json_pack("{s:o}", "error", o));
}
/* ---- end issue 9, api ---- */

void api_v1_case(const struct web_request *req, struct web_response *res)
{
    answer(req, res, web_parse_id(req->seg[3]), 200);
}

void api_v1_case_put(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[3]);
    json_t *root = web_api_body(req, res);
    if (!root)
        return;
    json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000000) {
        web_api_field_error(res, "$.version", "Forventede den version, du har læst (et helt "
                                              "tal fra 1).");
        json_decref(root);
        return;
    }
    struct case_doc *c = api_v1_case_of(json_object_get(root, "case"), res);
    if (!c) {
        json_decref(root);
        return;
    }
    struct store_actor a;
    web_actor(req, &a);
    struct store_save sv = {.case_id = id, .base_version = (int)json_integer_value(v),
                            .model = c};
    struct err e = {0};
    int rc = store_case_save(req->store, &sv, &a, NULL, NULL, &e);
    if (rc < 0)
        refuse_write(req, res, id, rc, &e); /* issue 9, api */
    else
        answer(req, res, id, 200);
    case_free(c);
    json_decref(root);
}

void api_v1_case_action(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[3]);
    struct api_v1_step st;
    if (!api_v1_step(req, res, &wf_case, actions, sizeof actions / sizeof actions[0],
                     "Ukendt handling for en sag (se docs/api.md).", &st))
        return;
    struct err e = {0};
    int rc = store_case_transition(req->store, id, st.version, st.wf, st.reason, &st.actor, &e);
    if (rc < 0)
        web_api_refuse(res, rc, rc == ERR_SYNTAX ? "$.reason" : NULL, &e);
    else
        answer(req, res, id, 200);
    json_decref(st.root);
}

/* PUT /api/v1/cases/ID/attachments/N?version=V[&filename=NAME]: the file of bilag N (listed in
 * the case's model, with its title, Åben/Lukket and numbers) as the body. Its type is decided
 * from the content (libmagic), never from the name or Content-Type; a new version of the case
 * against V, as a form's upload. */
void api_v1_case_attachment_put(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[3]);
    const char *vs = web_arg(req, "version"), *name = web_arg(req, "filename");
    char *nend, *end = NULL;
    unsigned long number = strtoul(req->seg[5], &nend, 10);
    bool numbered = *nend == '\0' && req->seg[5][0] >= '1' && req->seg[5][0] <= '9';
    long version = vs ? strtol(vs, &end, 10) : 0;
    if (!vs || *end || version < 1 || version > 1000000000) {
        web_api_field_error(res, "version", "Forventede ?version= med den version af sagen, du "
                                            "har læst (et helt tal fra 1).");
        return;
    }
    if (!req->body_len) {
        web_api_field_error(res, "$", "Filen mangler: send bilaget som indholdet.");
        return;
    }
    struct case_doc *c = NULL;
    struct err e = {0};
    int rc = store_case_get(req->store, id, req->reader, &c, &e);
    if (rc < 0) {
        web_api_refuse(res, rc, NULL, &e);
        return;
    }
    const struct attachment *at = NULL;
    for (size_t i = 0; c && i < c->nattachments && !at; i++)
        if (c->attachments[i].number == number)
            at = &c->attachments[i];
    if (!at || !numbered) {
        web_json_error(res, 404, "Sagen har ikke det bilag: skriv bilaget ind i sagen "
                                 "(PUT /api/v1/cases/ID) og send så filen.");
        case_free(c);
        return;
    }
    struct store_attachment_upload u = {.case_id = id, .base_version = (int)version,
                                        .number = at->number, .title = at->title,
                                        .public = at->public, .journal = at->journal,
                                        .flag = at->flag, .document = at->document,
                                        .filename = name && *name ? name : at->title,
                                        .bytes = req->body, .len = req->body_len};
    struct store_actor a;
    web_actor(req, &a);
    rc = store_case_attachment_upload(req->store, &u, &a, NULL, &e);
    case_free(c);
    if (rc == ERR_LIMIT)
        web_json(res, 413, json_pack("{s:{s:i,s:s,s:o}}", "error", "status", 413, "message",
                                     "Filen er større end grænsen for bilag.", "detail",
                                     web_json_str(e.msg)));
    else if (rc == ERR_SYNTAX)
        web_json(res, 415, json_pack("{s:{s:i,s:s,s:o}}", "error", "status", 415, "message",
                                     "Filen er ikke en PDF, et Office-dokument eller et "
                                     "billede (afgjort ud fra indholdet).",
                                     "detail", web_json_str(e.msg)));
    else if (rc < 0)
        refuse_write(req, res, id, rc, &e); /* issue 9, api */
    else
        answer(req, res, id, 200);
}

/* ---- issue 9, api: a tillæg ----
 * POST /api/v1/cases/ID/additions {"reason", "text", "version"?}: a dated correction of
 * approved minutes, a new version of the case (store_minutes_addition: the sekretær, the
 * server's day as its date). version, when given, is checked like a PUT's; without it the
 * tillæg goes onto the current version (it changes nothing that is there). 409 while the
 * minutes can still be edited (then the case itself is changed). */
void api_v1_case_additions_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[3]);
    json_t *root = web_api_body(req, res);
    if (!root)
        return;
    json_t *v = json_object_get(root, "version"), *reason = json_object_get(root, "reason"),
           *text = json_object_get(root, "text");
    int version = 0;
    struct err e = {0};
    if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
              json_integer_value(v) > 1000000000)) {
        web_api_field_error(res, "$.version", "Forventede den version, du har læst (et helt "
                                              "tal fra 1), eller ingen.");
        goto done;
    }
    if (!json_is_string(reason) || !json_is_string(text)) {
        web_api_field_error(res, json_is_string(reason) ? "$.text" : "$.reason",
                            json_is_string(reason) ? "Tillæggets tekst mangler."
                                                   : "Tillæggets begrundelse mangler.");
        goto done;
    }
    if (v) {
        version = (int)json_integer_value(v);
    } else {
        struct store_case_ref ref = {0};
        int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
        version = ref.version;
        store_case_ref_fini(&ref);
        if (rc < 0) {
            web_api_refuse(res, rc, NULL, &e);
            goto done;
        }
    }
    struct store_actor a;
    web_actor(req, &a);
    int rc = store_minutes_addition(req->store, id, version, json_string_value(reason),
                                    json_string_value(text), &a, NULL, &e);
    if (rc == ERR_USAGE) {
        /* The store names the member first: "reason: a tillæg needs ...". */
        web_api_refuse(res, rc, strncmp(e.msg, "text:", 5) == 0 ? "$.text" : "$.reason", &e);
    } else if (rc == ERR_CONFLICT) {
        struct store_case_ref ref = {0};
        struct err e2 = {0};
        bool stale = store_case_ref_get(req->store, id, req->reader, &ref, &e2) == 0 &&
                     ref.version != version;
        store_case_ref_fini(&ref);
        if (stale)
            web_api_refuse(res, rc, "$.version", &e);
        else
            web_json(res, 409, json_pack("{s:{s:i,s:s,s:o}}", "error", "status", 409, "message",
                                         "Referatet er ikke godkendt: et tillæg retter et "
                                         "godkendt referat; ret sagen selv (PUT "
                                         "/api/v1/cases/ID).",
                                         "detail", web_json_str(e.msg)));
    } else if (rc < 0) {
        web_api_refuse(res, rc, NULL, &e);
    } else {
        answer(req, res, id, 201);
    }
done:
    json_decref(root);
}
/* ---- end issue 9, api ---- */
