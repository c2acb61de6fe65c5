/* routes: the table of URLs the server answers, the query arguments each reads, who may use
 * each, and the dispatcher that enforces it (logins, roles on the object's body, CSRF tokens
 * and Origin on every POST). */
#include <string.h>

#include "../store/store.h"
#include "auth.h"
#include "web.h"

#define READS ROLE_READS_CLOSED
/* Who writes a case's text: its sekretær, or a sagsbehandler (the store: their own drafts). */
#define WRITES (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER)
/* The API's paging arguments (web_api_paging, web_api_list). */
#define PAGING "page per_page"

/* The first route that matches wins, so literal routes come before their wildcards. Every
 * route is a decision: tests/e2e/web_permissions.py holds the expected answer of each for
 * every role and fails on a route it does not know. The third column names the query
 * arguments the handler reads; web_route drops all others before the page cache sees the
 * request, so a handler that reads a new argument must name it here. */
static const struct web_route routes[] = {
    {"GET", "/", page_front, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/static/referat.css", web_static_css, "", WEB_PUBLIC, 0, 0, 0},
    /* integration (issue 8): the editor's script */
    {"GET", "/static/referat.js", web_static_js, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/robots.txt", web_robots, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/atom.xml", feed_atom, "", WEB_PUBLIC, 0, 0, 0},
    /* issue 11, paging: the calendar's window of dates */
    {"GET", "/kalender.ics", feed_ical, "aar fra til", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/organ/*", page_body, "side", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/organ/*/atom.xml", feed_atom, "", WEB_PUBLIC, 0, 0, 0},
    /* issue 11, paging: the calendar's window of dates */
    {"GET", "/organ/*/kalender.ics", feed_ical, "aar fra til", WEB_PUBLIC, 0, 0, 0},
    /* ---- issue 10, notices: the form's address reloaded: to the form (before the year) ---- */
    {"GET", "/organ/*/abonnement", page_notice_subscribe, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/organ/*/*", page_body, "side", WEB_PUBLIC, 0, 0, 0},
    /* ---- issue 10, pdf: the meeting and the case as PDF (public; a "*.pdf" segment is a
     * wildcard with that suffix, so these come before the pages of a meeting and a case) ---- */
    {"GET", "/moede/*.pdf", page_meeting_pdf, "dokument", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/sag/*.pdf", page_case_pdf, "", WEB_PUBLIC, 0, 0, 0},
    /* ---- end issue 10, pdf ---- */
    /* ---- issue 10, sdg: a body's yearly verdensmål report, HTML and .csv (public; the
     * reader's view) ---- */
    {"GET", "/organ/*/verdensmaal/*", page_sdg_report, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/moede/*", page_meeting, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/sag/*", page_case, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/sag/*/bilag/*", page_attachment, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/soeg", page_search, "q organ fra til side i sortering", WEB_PUBLIC, 0, 0, 0}, /* issue 11, search: i, sortering */
    {"GET", "/opfoelgning", page_followups, "ansvarlig status side", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/person/*", page_person, "deltog opfoelgning", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api", api_index, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api/bodies", api_bodies, PAGING, WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api/meetings", api_meetings, PAGING " body year", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api/meetings/*", api_meetings, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api/cases", api_cases, PAGING, WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api/cases/*", api_cases, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api/followups", api_followups, PAGING " status owner", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/api/search", api_search, PAGING " q from to body in sort", WEB_PUBLIC, 0, 0, 0}, /* issue 11, search: in, sort */
    /* The write API (docs/api.md): API tokens only; the store checks each step's role. */
    {"POST", "/api/v1/meetings", api_v1_meetings_post, "", WEB_STAFF, 0, 0, 0},
    {"GET", "/api/v1/meetings/*", api_v1_meeting, "", WEB_BODY, READS, WEB_SCOPE_MEETING, 3},
    {"POST", "/api/v1/meetings/*/cases", api_v1_meeting_cases_post, "", WEB_BODY, WRITES,
     WEB_SCOPE_MEETING, 3},
    {"POST", "/api/v1/meetings/*/actions/*", api_v1_meeting_action, "", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 3},
    {"GET", "/api/v1/cases/*", api_v1_case, "", WEB_BODY, READS, WEB_SCOPE_CASE, 3},
    {"PUT", "/api/v1/cases/*", api_v1_case_put, "", WEB_BODY, WRITES, WEB_SCOPE_CASE, 3},
    {"POST", "/api/v1/cases/*/actions/*", api_v1_case_action, "", WEB_BODY, READS,
     WEB_SCOPE_CASE, 3},
    {"PUT", "/api/v1/cases/*/attachments/*", api_v1_case_attachment_put, "version filename",
     WEB_BODY, WRITES, WEB_SCOPE_CASE, 3},
    /* ---- issue 9, api: the minutes as one JSON document (the body's readers; the public's
     * once offentliggjort) ---- */
    {"GET", "/api/v1/meetings/*/minutes", api_v1_meeting_minutes, "version", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 3},
    {"GET", "/api/meetings/*/minutes", api_meeting_minutes, "", WEB_PUBLIC, 0, 0, 0},
    /* a tillæg to approved minutes (the store: the body's sekretær) */
    {"POST", "/api/v1/cases/*/additions", api_v1_case_additions_post, "", WEB_BODY, WRITES,
     WEB_SCOPE_CASE, 3},
    /* ---- end issue 9, api ---- */
    {"GET", "/log-ind", page_login, "tilbage ud skiftet", WEB_LOGIN, 0, 0, 0},
    {"POST", "/log-ind", page_login_post, "", WEB_LOGIN, 0, 0, 0},
    {"POST", "/log-ud", page_logout, "", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde", page_work, "", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/moeder", page_work_meetings, "", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/kladder", page_work_drafts, "mine side", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/godkendelser", page_work_approvals, "side", WEB_STAFF, 0, 0, 0},
    /* issue 10, followups: status (aabne, afsluttede, alle) */
    {"GET", "/arbejde/opfoelgninger", page_work_followups, "side status", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/historik", page_work_history, "side", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/sag/*/historik", page_work_case_history, "side", WEB_BODY, READS,
     WEB_SCOPE_CASE, 2},
    {"GET", "/arbejde/forbehold", page_work_caveats, "side gennemset", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/sag/*/forbehold", page_work_case_caveats, "", WEB_BODY, READS,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/forbehold", page_work_case_caveats_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_CASE, 2},
    {"GET", "/arbejde/moede/*/historik", page_work_meeting_history, "side", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 2},
    {"GET", "/arbejde/adgangskode", page_work_password, "", WEB_STAFF, 0, 0, 0},
    {"POST", "/arbejde/adgangskode", page_work_password_post, "", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/indstillinger", page_work_settings, "gemt", WEB_ADMIN, 0, 0, 0},
    {"POST", "/arbejde/indstillinger", page_work_settings_post, "", WEB_ADMIN, 0, 0, 0},
    {"GET", "/arbejde/brugere", page_work_users, "side", WEB_ADMIN, 0, 0, 0},
    /* The agenda (issue 8): a body's settings (its sekretær, or an administrator), meetings
     * and their agendas (the body's sekretær changes them; its people read them). "ny"
     * comes before the meeting's id. */
    {"GET", "/arbejde/organ/*/indstillinger", page_work_body_settings, "gemt", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"POST", "/arbejde/organ/*/indstillinger", page_work_body_settings_post, "", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"GET", "/arbejde/moede/ny", page_work_meeting_new, "organ", WEB_STAFF, 0, 0, 0},
    {"POST", "/arbejde/moede/ny", page_work_meeting_new_post, "", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/moede/*", page_work_meeting, "gemt", WEB_BODY, READS, WEB_SCOPE_MEETING,
     2},
    {"GET", "/arbejde/moede/*/ret", page_work_meeting_edit, "", WEB_BODY, ROLE_SEKRETAER,
     WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/ret", page_work_meeting_edit_post, "", WEB_BODY, ROLE_SEKRETAER,
     WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/handling", page_work_meeting_action_post, "", WEB_BODY,
     ROLE_SEKRETAER | ROLE_MEDLEM, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/flyt", page_work_meeting_move_post, "", WEB_BODY, ROLE_SEKRETAER,
     WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/udsaet", page_work_meeting_postpone_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    {"GET", "/arbejde/moede/*/proforma", page_work_meeting_proforma, "", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 2},
    /* ---- editor (issue 8): the case editor, the merge page of a stale save, the staff case
     * page and its workflow steps, the bilag page, send til gennemlæsning. Writing needs sekretær or sagsbehandler (the store decides
     * which case); a step's roles are the workflow table's. ---- */
    /* integration: ?skabelon=ID prefills a new case from the body's template */
    {"GET", "/arbejde/moede/*/sag/ny", page_work_case_new, "skabelon", WEB_BODY, WRITES,
     WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/sag/ny", page_work_case_new_post, "", WEB_BODY, WRITES,
     WEB_SCOPE_MEETING, 2},
    {"GET", "/arbejde/sag/*", page_work_case, "gemt udfoert", WEB_BODY, READS, WEB_SCOPE_CASE,
     2},
    {"GET", "/arbejde/sag/*/rediger", page_work_case_edit, "gemt", WEB_BODY, WRITES,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/rediger", page_work_case_edit_post, "", WEB_BODY, WRITES,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/flet", page_work_case_merge_post, "", WEB_BODY, WRITES,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/handling", page_work_case_action_post, "", WEB_BODY,
     WRITES | ROLE_GODKENDER, WEB_SCOPE_CASE, 2},
    {"GET", "/arbejde/sag/*/bilag", page_work_bilag, "gemt fjernet", WEB_BODY, WRITES,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/bilag", page_work_bilag_post, "", WEB_BODY, WRITES, WEB_SCOPE_CASE,
     2},
    {"POST", "/arbejde/sag/*/bilag/fjern", page_work_bilag_remove_post, "", WEB_BODY, WRITES,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/gennemlaesning", page_work_review_send_post, "", WEB_BODY, WRITES,
     WEB_SCOPE_CASE, 2},
    {"GET", "/arbejde/sag/*/gennemlaesning/*", page_work_review, "sendt kommenteret", WEB_BODY,
     READS, WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/gennemlaesning/*", page_work_review_comment_post, "", WEB_BODY,
     READS, WEB_SCOPE_CASE, 2},
    {"GET", "/arbejde/gennemlaesning", page_work_reviews, "", WEB_STAFF, 0, 0, 0},
    /* The body library (issue 8, library): read by everyone with a role on the body, changed
     * by its sekretær or an administrator. "ny" comes before the item's id. */
    {"GET", "/arbejde/bibliotek", page_work_libraries, "", WEB_STAFF, 0, 0, 0},
    {"GET", "/arbejde/organ/*/bibliotek", page_work_library, "gemt", WEB_BODY,
     READS | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"GET", "/arbejde/organ/*/bibliotek/ny", page_work_library_new, "slags", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"POST", "/arbejde/organ/*/bibliotek/ny", page_work_library_new_post, "", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"GET", "/arbejde/organ/*/bibliotek/*", page_work_library_item, "", WEB_BODY,
     READS | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"POST", "/arbejde/organ/*/bibliotek/*", page_work_library_item_post, "", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"GET", "/arbejde/organ/*/bibliotek/*/slet", page_work_library_delete, "", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"POST", "/arbejde/organ/*/bibliotek/*/slet", page_work_library_delete_post, "", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    {"POST", "/arbejde/organ/*/bibliotek/*/flyt", page_work_library_move_post, "", WEB_BODY,
     ROLE_SEKRETAER | ROLE_ADMIN, WEB_SCOPE_BODY, 2},
    /* ---- issue 10, remind: a body's control list of follow-ups for its staff (HTML, CSV,
     * JSON: the same rows) ---- */
    {"GET", "/arbejde/organ/*/kontrolliste", page_work_control, "fra til side", WEB_BODY,
     READS, WEB_SCOPE_BODY, 2},
    {"GET", "/arbejde/organ/*/kontrolliste.csv", page_work_control, "fra til side", WEB_BODY,
     READS, WEB_SCOPE_BODY, 2},
    {"GET", "/arbejde/organ/*/kontrolliste.json", page_work_control, "fra til side", WEB_BODY,
     READS, WEB_SCOPE_BODY, 2},
    /* ---- end issue 10, remind ---- */
    /* ---- invitations (issue 8): a meeting's guests' invitations for those who read its
     * cases, retried by its sekretær; the guest's own link, public (the token is the key). */
    {"GET", "/arbejde/moede/*/invitationer", page_work_meeting_invitations, "igen", WEB_BODY,
     READS, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/invitationer/*/igen", page_work_invitation_retry, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    {"GET", "/arbejde/moede/*/invitationer/*/ics", page_work_invitation_ics, "", WEB_BODY,
     READS, WEB_SCOPE_MEETING, 2},
    {"GET", "/gaest/*", page_guest, "", WEB_PUBLIC, 0, 0, 0},
    /* ---- issue 9, publication: a case's levels (its sekretær); a meeting's publication: the
     * guard's problems for those who read its cases, publishing later for its sekretær. */
    {"GET", "/arbejde/sag/*/offentliggoerelse", page_work_case_publication, "gemt", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/offentliggoerelse", page_work_case_publication_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_CASE, 2},
    {"GET", "/arbejde/moede/*/offentliggoerelse", page_work_meeting_publication, "gemt",
     WEB_BODY, READS, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/offentliggoerelse", page_work_meeting_publication_post, "",
     WEB_BODY, ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    /* ---- end issue 9, publication ---- */
    /* ---- issue 9, minutes: the minutes of a meeting, read by everyone with a role on its
     * body; members approve and object (the store checks they were members when it was
     * sent), the sekretær answers, takes the round's steps and adds tillæg. ---- */
    {"GET", "/arbejde/moede/*/referat", page_work_minutes, "version gemt", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/referat/godkend", page_work_minutes_approve_post, "", WEB_BODY,
     ROLE_MEDLEM, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/referat/indsigelse", page_work_minutes_object_post, "", WEB_BODY,
     ROLE_MEDLEM, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/referat/svar", page_work_minutes_answer_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/referat/handling", page_work_minutes_action_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/referat/tillaeg", page_work_minutes_addition_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    /* ---- end issue 9, minutes ---- */
    /* ---- issue 9, decisions: the decision page (read by the case's readers, written by its
     * body's sekretær), the suggestions its script asks for, and the script. ---- */
    {"GET", "/static/decision.js", web_static_decision_js, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/arbejde/sag/*/beslutning", page_work_decision, "gemt kladde", WEB_BODY, READS,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/beslutning", page_work_decision_post, "", WEB_BODY, ROLE_SEKRETAER,
     WEB_SCOPE_CASE, 2},
    {"POST", "/arbejde/sag/*/beslutning/forslag", page_work_decision_suggest, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_CASE, 2},
    /* ---- issue 9, live: the live meeting view (the body's people read it, its sekretær
     * stamps "Næste punkt"), its JSON for live.js, and the attendance (the sekretær). ---- */
    {"GET", "/static/live.js", web_static_live_js, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/static/live.css", web_static_live_css, "", WEB_PUBLIC, 0, 0, 0},
    {"GET", "/arbejde/moede/*/live", page_work_live, "visning", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 2},
    /* Open to the body's people so that a member's "Næste punkt" is answered 403 by the
     * store (only the sekretær stamps), not hidden as an unknown meeting. */
    {"POST", "/arbejde/moede/*/live", page_work_live_post, "", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 2},
    {"GET", "/arbejde/moede/*/live.json", page_work_live_json, "", WEB_BODY, READS,
     WEB_SCOPE_MEETING, 2},
    {"GET", "/arbejde/moede/*/fremmoede", page_work_attendance, "gemt", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    {"POST", "/arbejde/moede/*/fremmoede", page_work_attendance_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_MEETING, 2},
    /* ---- end issue 9, live ---- */
    /* ---- issue 10, notices: a body's subscription form (anyone, no account; Origin
     * checked), the confirmation and unsubscribe links of the mails (the token is the key;
     * their pages' buttons POST, and the unsubscribe link takes RFC 8058's one-click POST
     * from a mail program, which sends no Origin) ---- */
    {"POST", "/organ/*/abonnement", page_notice_subscribe_post, "", WEB_PUBLIC_FORM, 0, 0, 0},
    {"GET", "/abonnement/bekraeft/*", page_notice_confirm, "", WEB_PUBLIC, 0, 0, 0},
    {"POST", "/abonnement/bekraeft/*", page_notice_confirm_post, "", WEB_PUBLIC_FORM, 0, 0, 0},
    {"GET", "/abonnement/afmeld/*", page_notice_unsubscribe, "", WEB_PUBLIC, 0, 0, 0},
    {"POST", "/abonnement/afmeld/*", page_notice_unsubscribe_post, "", WEB_ONE_CLICK, 0, 0, 0},
    /* ---- end issue 10, notices ---- */
    /* ---- issue 10, followups: a follow-up for those who read its case; its steps and notes
     * for them too (the store lets the sekretær and the owner, 403 for others), its edits for
     * the sekretær; units and owner links for administrators. ---- */
    {"GET", "/arbejde/opfoelgning/*", page_work_followup, "gemt", WEB_BODY, READS,
     WEB_SCOPE_FOLLOWUP, 2},
    {"POST", "/arbejde/opfoelgning/*/tilstand", page_work_followup_step_post, "", WEB_BODY, READS,
     WEB_SCOPE_FOLLOWUP, 2},
    {"POST", "/arbejde/opfoelgning/*/note", page_work_followup_note_post, "", WEB_BODY, READS,
     WEB_SCOPE_FOLLOWUP, 2},
    {"POST", "/arbejde/opfoelgning/*/ret", page_work_followup_edit_post, "", WEB_BODY,
     ROLE_SEKRETAER, WEB_SCOPE_FOLLOWUP, 2},
    {"GET", "/arbejde/enheder", page_work_units, "side gemt", WEB_ADMIN, 0, 0, 0},
    {"POST", "/arbejde/enheder", page_work_units_post, "", WEB_ADMIN, 0, 0, 0},
    /* ---- end issue 10, followups ---- */
};

const struct web_route *web_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

static bool match(const char *pattern, const struct web_request *req)
{
    size_t i = 0;
    const char *p = pattern + 1;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (i == req->nseg)
            return false;
        const char *seg = req->seg[i++];
        /* ---- issue 10, pdf: "*.pdf" is any segment longer than the suffix ending in it ---- */
        if (len > 1 && *p == '*') {
            size_t sl = strlen(seg);
            if (sl < len || memcmp(seg + sl - (len - 1), p + 1, len - 1) != 0)
                return false;
            p += len;
            if (*p == '/')
                p++;
            continue;
        }
        /* ---- end issue 10, pdf ---- */
        if (!(len == 1 && *p == '*') && (strlen(seg) != len || memcmp(seg, p, len) != 0))
            return false;
        p += len;
        if (*p == '/')
            p++;
    }
    return i == req->nseg;
}

/* The methods of the routes that match req's path, as an Allow header lists them. */
static void methods(const struct web_request *req, char allow[64])
{
    allow[0] = '\0';
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!match(routes[i].pattern, req))
            continue;
        const char *m = strcmp(routes[i].method, "GET") == 0 ? "GET, HEAD" : routes[i].method;
        if (strstr(allow, m))
            continue;
        if (*allow)
            strcat(allow, ", ");
        strcat(allow, m);
    }
}

/* The method as the table names it: HEAD is answered by GET's route. */
static const char *route_method(const char *method)
{
    return strcmp(method, "POST") == 0 ? "POST" : strcmp(method, "PUT") == 0 ? "PUT" : "GET";
}

static const struct web_route *find(const struct web_request *req, const char *method)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (match(routes[i].pattern, req) && strcmp(routes[i].method, method) == 0)
            return &routes[i];
    return NULL;
}

bool web_route_token(const struct web_route *r)
{
    return strncmp(r->pattern, "/api/v1/", 8) == 0;
}

int web_route_body(const char *method, const char *target)
{
    struct web_request req;
    int kind = WEB_BODY_FORM;
    if (web_request_parse(&req, "GET", target) == 0) {
        const struct web_route *r = find(&req, route_method(method));
        if (r && web_route_token(r)) {
            size_t n = strlen(r->pattern);
            kind = n > 14 && strcmp(r->pattern + n - 14, "/attachments/*") == 0 ? WEB_BODY_FILE
                                                                               : WEB_BODY_JSON;
        }
    }
    web_request_fini(&req);
    return kind;
}

void web_methods_for(const char *target, char allow[64])
{
    struct web_request req;
    allow[0] = '\0';
    if (web_request_parse(&req, "GET", target) == 0)
        methods(&req, allow);
    web_request_fini(&req);
}

static bool is_api(const struct web_request *req)
{
    return req->nseg > 0 && strcmp(req->seg[0], "api") == 0;
}

/* The roles req's reader holds on the bodies of the object a WEB_BODY route names; 0 when
 * the object does not exist or the reader may not know of it. */
static int scope_roles(const struct web_request *req, const struct web_route *r)
{
    int64_t id = r->id_seg < (int)req->nseg ? web_parse_id(req->seg[r->id_seg]) : 0;
    struct err e = {0};
    int roles = 0;
    /* issue 8: a body named by its code; administrators manage every body's settings. */
    if (r->scope == WEB_SCOPE_BODY && req->store && req->reader && r->id_seg < (int)req->nseg) {
        struct store_body bd = {0};
        if (store_body_get(req->store, req->seg[r->id_seg], &bd, &e) < 0 ||
            strcmp(bd.code ? bd.code : "", req->seg[r->id_seg]) != 0) {
            store_body_fini(&bd);
            return 0;
        }
        roles = reader_roles(req->reader, bd.id) | (req->reader->admin ? ROLE_ADMIN : 0);
        store_body_fini(&bd);
        return roles;
    }
    if (!id || !req->store || !req->reader)
        return 0;
    /* ---- issue 10, followups: a follow-up's roles are those on its case's bodies ---- */
    if (r->scope == WEB_SCOPE_FOLLOWUP) {
        int64_t case_id = 0;
        if (store_followup_case(req->store, id, &case_id, &e) < 0 ||
            store_case_roles(req->store, case_id, req->reader, &roles, &e) < 0)
            return 0;
        /* Its owner (an account or a unit's member, docs/access.md) counts as a reader of it
         * when they may see it in full, whatever their roles: they report on their own. */
        struct store_followup_detail d = {0};
        if (!(roles & READS) && store_followup_get(req->store, id, req->reader, &d, &e) == 0 &&
            d.owner)
            roles |= ROLE_MEDLEM;
        store_followup_detail_fini(&d);
        return roles;
    }
    /* ---- end issue 10, followups ---- */
    if (r->scope == WEB_SCOPE_CASE) {
        if (store_case_roles(req->store, id, req->reader, &roles, &e) < 0)
            return 0;
    } else if (r->scope == WEB_SCOPE_MEETING) {
        struct store_meeting m = {0};
        if (store_meeting_get(req->store, id, req->reader, &m, &e) < 0)
            return 0;
        roles = reader_roles(req->reader, m.body_id);
        store_meeting_fini(&m);
    }
    return roles;
}

/* The answer to someone not logged in: the login page for a page (coming back here after),
 * a plain 401 for the API and for a form. */
static void need_login(const struct web_request *req, struct web_response *res)
{
    if (is_api(req)) {
        web_json_error(res, 401, "Log ind eller brug et API-token.");
        return;
    }
    if (strcmp(req->method, "POST") == 0) {
        web_error_page(res, 401, "Du er ikke logget ind (måske er din session udløbet). "
                                 "Log ind og prøv igen.");
        return;
    }
    struct buf loc = BUF_INIT, path = BUF_INIT;
    web_path(&path, req);
    buf_puts(&loc, "/log-ind?tilbage=");
    web_url(&loc, buf_cstr(&path));
    web_redirect(res, 303, buf_cstr(&loc));
    buf_free(&loc);
    buf_free(&path);
}

/* Every POST: the form's token must be this session's (or, on the login form, the pre-login
 * cookie's), and it must come from this site. */
static bool post_ok(const struct web_request *req, const struct web_route *r)
{
    const char *got = web_field(req, "csrf");
    char want[65];
    /* ---- issue 10, notices: public forms carry no session token; the one-click
     * unsubscribe's token in the path is its key ---- */
    if (r->access == WEB_ONE_CLICK)
        return true;
    if (r->access == WEB_PUBLIC_FORM)
        return web_origin_ok(req);
    /* ---- end issue 10, notices ---- */
    if (!web_origin_ok(req) || !got)
        return false;
    if (r->access == WEB_LOGIN) {
        if (!req->cookie_login)
            return false;
        web_csrf_token(req->cookie_login, "login", want);
    } else {
        if (!req->session || req->session->token)
            return false;
        memcpy(want, req->session->csrf, sizeof want);
    }
    return web_token_equal(got, want);
}

/* Keeps the arguments named in names (space-separated): for each name in its order, the
 * first non-empty argument of that name. */
static void keep_args(struct web_request *req, const char *names)
{
    struct web_arg kept[WEB_MAX_ARGS];
    size_t n = 0;
    for (const char *p = names; *p;) {
        size_t len = strcspn(p, " ");
        for (size_t i = 0; i < req->nargs; i++) {
            const struct web_arg *a = &req->args[i];
            if (n < WEB_MAX_ARGS && a->value[0] && strlen(a->key) == len &&
                memcmp(a->key, p, len) == 0) {
                kept[n++] = *a;
                break;
            }
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    memcpy(req->args, kept, n * sizeof kept[0]);
    req->nargs = n;
}

void web_route(struct web_request *req)
{
    req->routed = true;
    req->route = NULL;
    size_t plen = strlen(req->path);
    if (!(plen > 1 && req->path[plen - 1] == '/'))
        req->route = find(req, route_method(req->method));
    /* Redirects, 404s and 405s read no arguments at all. */
    keep_args(req, req->route ? req->route->args : "");
}

void web_request_key(struct buf *b, const struct web_request *req)
{
    web_path(b, req);
    /* web_path drops the trailing slash that makes a redirect. */
    size_t plen = strlen(req->path);
    if (plen > 1 && req->path[plen - 1] == '/')
        buf_putc(b, '/');
    for (size_t i = 0; i < req->nargs; i++) {
        buf_putc(b, i ? '&' : '?');
        web_url(b, req->args[i].key);
        buf_putc(b, '=');
        web_url(b, req->args[i].value);
    }
}

void web_dispatch(struct web_request *req, struct web_response *res)
{
    /* Every page drawn from here on, the dispatcher's own refusals included, has the frame
     * of this request: who is logged in, the municipality's name and footer. */
    res->req = req;
    if (!req->routed)
        web_route(req);
    size_t plen = strlen(req->path);
    bool post = strcmp(req->method, "POST") == 0;
    bool get = !post && strcmp(req->method, "PUT") != 0;
    /* One spelling per page: "/organ/DIR/" is sent on to "/organ/DIR". */
    if (get && plen > 1 && req->path[plen - 1] == '/') {
        struct buf loc = BUF_INIT;
        web_path(&loc, req);
        web_redirect(res, 301, buf_cstr(&loc));
        buf_free(&loc);
        return;
    }
    const struct web_route *r = req->route;
    char allow[64];
    methods(req, allow);
    if (!r && *allow) {
        web_error_page(res, 405, NULL);
        web_header_add(res, "Allow", allow);
        return;
    }
    if (!r) {
        if (is_api(req))
            web_json_error(res, 404, "Ukendt API-adresse. Se /api for en oversigt.");
        else
            web_error_page(res, 404, NULL);
        return;
    }
    if (web_route_token(r)) {
        /* The write API: an API token, and for an object its roles on the object's body. */
        if (!req->session || !req->session->token) {
            web_json_error(res, 401, "Brug et API-token: Authorization: Bearer <token>.");
            return;
        }
        if (r->access == WEB_BODY && !(scope_roles(req, r) & r->roles)) {
            web_json_error(res, 404, "Findes ikke.");
            return;
        }
        res->staff = true;
        r->handler(req, res);
        return;
    }
    if (r->access != WEB_PUBLIC && r->access != WEB_LOGIN &&
        r->access != WEB_PUBLIC_FORM && r->access != WEB_ONE_CLICK) { /* issue 10, notices */
        /* The staff area is never part of a read-only mirror; API tokens read the API only. */
        if (!req->session || req->session->token) {
            need_login(req, res);
            return;
        }
        if (r->access == WEB_ADMIN && !req->session->admin) {
            web_error_page(res, 403, "Siden er kun for administratorer.");
            return;
        }
        /* An object the person may not see does not exist for them. */
        if (r->access == WEB_BODY && !(scope_roles(req, r) & r->roles)) {
            web_error_page(res, 404, NULL);
            return;
        }
    }
    if (post && !post_ok(req, r)) {
        web_error_page(res, 403, "Formularen er udløbet eller kom fra en anden side. "
                                 "Gå tilbage, genindlæs siden og prøv igen.");
        return;
    }
    if (req->session)
        res->staff = true;
    r->handler(req, res);
}
