/* sqlite_minutes: the minutes' approval round (issue 9): a round freezes the version of each
 * case on the agenda, the body's members approve it one by one or object, the sekretær answers
 * objections, returns the minutes or closes the round after the body's deadline; approved
 * minutes take only tillæg (a new case version with one more addition); a reopening starts a
 * new numbered minutes version and keeps the approved one. Tables of 007_minutes.sql. */
#include "store_sqlite.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../format/minutes.h"
#include "../model/workflow.h"
#include "../util/clock.h"

/* Meeting states whose minutes are approved (as sqlite_case.c's FROZEN_STATES). */
#define APPROVED_STATES "('referat_godkendt', 'offentliggjort')"

/* ---- small helpers ---- */

static int event(struct store *s, const struct store_actor *a, const char *action, const char *kind,
                 int64_t id, int before, int after, json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "%s:%lld", kind, (long long)id);
    struct event ev = {.action = action, .object = object, .before = before, .after = after};
    return ledger_append_json(s, a, ev, detail, e);
}

/* "2024-01-05T10:22:31Z" to seconds, or -1. */
static time_t iso_time(const char *iso)
{
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                       &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

struct meeting_row {
    int64_t body_id;
    char *code, *state;
    int version;
};

/* A meeting known from imported minutes has no state: no round, every step refused. */
static int meeting_row(struct store *s, int64_t id, struct meeting_row *m, struct err *e)
{
    sqlite3_stmt *st;
    memset(m, 0, sizeof *m);
    int rc = stmt(s,
                  "SELECT m.body_id, b.code, m.state, m.version FROM meeting m JOIN body b "
                  "ON b.id = m.body_id WHERE m.id = ?1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "reading a meeting", "no meeting with id %lld", (long long)id);
    if (rc == 0) {
        m->body_id = sqlite3_column_int64(st, 0);
        m->code = col_str(st, 1);
        m->state = col_str(st, 2);
        m->version = sqlite3_column_int(st, 3);
    }
    fin(st);
    return rc;
}

static void meeting_row_fini(struct meeting_row *m)
{
    free(m->code);
    free(m->state);
}

/* The body's minutes.approval_days (3 when unset or unreadable as a number). */
static int approval_days(struct store *s, const char *code, int *days, struct err *e)
{
    char *v = NULL;
    int rc = store_body_setting_get(s, code, "minutes.approval_days", &v, e);
    *days = 3;
    if (rc == 0 && v && *v) {
        char *end;
        long d = strtol(v, &end, 10);
        if (!*end && d >= 0 && d <= 365)
            *days = (int)d;
    }
    free(v);
    return rc;
}

/* The meeting's open round (0: none) and its sent_at (heap, may be NULL). */
static int open_round(struct store *s, int64_t meeting_id, int64_t *round, char **sent_at,
                      struct err *e)
{
    sqlite3_stmt *st;
    bool row = false;
    *round = 0;
    if (sent_at)
        *sent_at = NULL;
    int rc = stmt(s,
                  "SELECT id, sent_at FROM minutes_round WHERE meeting_id = ?1 AND outcome "
                  "IS NULL",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    if ((rc = next_row(s, st, &row, e, "reading the minutes' round")) == 0 && row) {
        *round = sqlite3_column_int64(st, 0);
        if (sent_at)
            *sent_at = col_str(st, 1);
    }
    fin(st);
    return rc;
}

/* The current minutes version: 1 + the reopenings. */
static int minutes_version(struct store *s, int64_t meeting_id, int *version, struct err *e)
{
    sqlite3_stmt *st;
    int64_t v = 0;
    bool found = false;
    int rc = stmt(s, "SELECT coalesce(max(version), 1) FROM minutes_reopen WHERE meeting_id = ?1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    if ((rc = one_int(s, st, &v, &found, e, "reading the minutes' version")) == 0)
        *version = found && v > 0 ? (int)v : 1;
    return rc;
}

/* Members who have not approved, and objections not answered, of a round. */
static int round_missing(struct store *s, int64_t round, int64_t *members, int64_t *objections,
                         struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s,
                  "SELECT count(*) FROM minutes_member WHERE round_id = ?1 AND approved_at "
                  "IS NULL",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, round);
    if ((rc = one_int(s, st, members, &found, e, "reading the minutes' round")) < 0)
        return rc;
    if ((rc = stmt(s,
                   "SELECT count(*) FROM minutes_objection WHERE round_id = ?1 AND answer IS "
                   "NULL",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, round);
    return one_int(s, st, objections, &found, e, "reading the minutes' round");
}

static int round_close(struct store *s, int64_t round, const char *outcome, const char *reason,
                       struct err *e)
{
    sqlite3_stmt *st;
    char now[21];
    clock_iso(now);
    int rc = stmt(s,
                  "UPDATE minutes_round SET outcome = ?2, closed_at = ?3, reason = ?4 WHERE "
                  "id = ?1 AND outcome IS NULL",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, round);
    bind_str(st, 2, outcome);
    bind_str(st, 3, now);
    bind_str(st, 4, reason);
    return run(s, st, e, "closing the minutes' round");
}

static int set_state(struct store *s, int64_t meeting_id, const char *state, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "UPDATE meeting SET state = ?2 WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    bind_str(st, 2, state);
    return run(s, st, e, "changing a meeting's state");
}

/* ---- the steps, inside store_meeting_transition's transaction ---- */

static int send_round(struct store *s, int64_t meeting_id, const struct meeting_row *m,
                      const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    int version = 1;
    int64_t round = 0;
    char now[21];
    clock_iso(now);
    int rc = minutes_version(s, meeting_id, &version, e);
    if (rc == 0 && (rc = stmt(s,
                              "INSERT INTO minutes_round (meeting_id, version, sent_at, "
                              "sent_by) VALUES (?1, ?2, ?3, ?4)",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        sqlite3_bind_int(st, 2, version);
        bind_str(st, 3, now);
        bind_id(st, 4, a ? a->account_id : 0);
        rc = insert(s, st, &round, e, "sending the minutes");
    }
    if (rc == 0 && (rc = stmt(s,
                              "INSERT INTO minutes_frozen (round_id, case_id, pos, "
                              "case_version) SELECT ?1, g.case_id, g.pos + 1, c.version FROM "
                              "agenda g JOIN \"case\" c ON c.id = g.case_id WHERE "
                              "g.meeting_id = ?2",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, round);
        sqlite3_bind_int64(st, 2, meeting_id);
        rc = run(s, st, e, "freezing the minutes");
    }
    if (rc == 0 && (rc = stmt(s,
                              "INSERT INTO minutes_member (round_id, account_id) SELECT "
                              "DISTINCT ?1, r.account_id FROM account_role r JOIN account a "
                              "ON a.id = r.account_id WHERE r.body_id = ?2 AND r.role = "
                              "'medlem' AND NOT a.disabled",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, round);
        sqlite3_bind_int64(st, 2, m->body_id);
        rc = run(s, st, e, "sending the minutes");
    }
    if (rc < 0)
        return rc;
    /* The detail names what was frozen, so the ledger alone says what was approved. */
    json_t *cases = json_array(), *members = json_array();
    if ((rc = stmt(s,
                   "SELECT case_id, case_version FROM minutes_frozen WHERE round_id = ?1 "
                   "ORDER BY pos",
                   &st, e)) == 0) {
        bool row;
        sqlite3_bind_int64(st, 1, round);
        while ((rc = next_row(s, st, &row, e, "sending the minutes")) == 0 && row)
            json_array_append_new(cases, json_pack("{s:I,s:i}", "case",
                                                   (json_int_t)sqlite3_column_int64(st, 0),
                                                   "version", sqlite3_column_int(st, 1)));
        fin(st);
    }
    if (rc == 0 && (rc = stmt(s,
                              "SELECT account_id FROM minutes_member WHERE round_id = ?1 "
                              "ORDER BY account_id",
                              &st, e)) == 0) {
        bool row;
        sqlite3_bind_int64(st, 1, round);
        while ((rc = next_row(s, st, &row, e, "sending the minutes")) == 0 && row)
            json_array_append_new(members, json_integer(sqlite3_column_int64(st, 0)));
        fin(st);
    }
    if (rc < 0) {
        json_decref(cases);
        json_decref(members);
        return rc;
    }
    return event(s, a, "minutes.send", "meeting", meeting_id, m->version, m->version + 1,
                 json_pack("{s:I,s:i,s:o,s:o}", "round", (json_int_t)round, "version", version,
                           "cases", cases, "members", members),
                 e);
}

/* Records a's approval of round (0: the open one). *complete: every member has approved and
 * no objection is unanswered (the round is then closed as godkendt). */
static int record_approval(struct store *s, int64_t meeting_id, int64_t round,
                           const struct store_actor *a, int version, bool *complete, struct err *e)
{
    sqlite3_stmt *st;
    int64_t open = 0, missing = 0, objections = 0;
    *complete = false;
    int rc = open_round(s, meeting_id, &open, NULL, e);
    if (rc < 0)
        return rc;
    /* Danish, as the workflow's messages on the same path (the meeting page, API, CLI). */
    if (!open)
        return fail(s, e, ERR_CONFLICT, "møde %lld har intet referat til godkendelse",
                    (long long)meeting_id);
    if (round && round != open)
        return fail(s, e, ERR_CONFLICT,
                    "referatet, du godkender (runde %lld), er ikke længere "
                    "det, der er til godkendelse (runde %lld): intet er godkendt; læs det igen",
                    (long long)round, (long long)open);
    if (!a || !a->account_id)
        return fail(s, e, ERR_DENIED, "kun udvalgets medlemmer godkender referatet");
    char now[21];
    clock_iso(now);
    if ((rc = stmt(s,
                   "SELECT approved_at FROM minutes_member WHERE round_id = ?1 AND "
                   "account_id = ?2",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, open);
    sqlite3_bind_int64(st, 2, a->account_id);
    bool row = false, already = false;
    if ((rc = next_row(s, st, &row, e, "approving the minutes")) == 0 && row)
        already = sqlite3_column_type(st, 0) != SQLITE_NULL;
    fin(st);
    if (rc < 0)
        return rc;
    if (!row)
        return fail(s, e, ERR_DENIED,
                    "kun udvalgets medlemmer (rollen 'medlem', da referatet "
                    "blev sendt) godkender referatet: intet er godkendt");
    if (already)
        return fail(s, e, ERR_CONFLICT, "du har allerede godkendt referatet");
    if ((rc = stmt(s,
                   "UPDATE minutes_member SET approved_at = ?3 WHERE round_id = ?1 AND "
                   "account_id = ?2",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, open);
    sqlite3_bind_int64(st, 2, a->account_id);
    bind_str(st, 3, now);
    if ((rc = run(s, st, e, "approving the minutes")) < 0 ||
        (rc = round_missing(s, open, &missing, &objections, e)) < 0)
        return rc;
    *complete = missing == 0 && objections == 0;
    if (*complete && (rc = round_close(s, open, "godkendt", NULL, e)) < 0)
        return rc;
    return event(s, a, "minutes.approve", "meeting", meeting_id, version, version,
                 json_pack("{s:I,s:s,s:I,s:I,s:b}", "round", (json_int_t)open, "at", now, "missing",
                           (json_int_t)missing, "objections", (json_int_t)objections, "complete",
                           *complete),
                 e);
}

static int close_round(struct store *s, int64_t meeting_id, const struct meeting_row *m,
                       const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    int64_t round = 0, missing = 0, objections = 0;
    char *sent_at = NULL;
    int days = 3;
    int rc = open_round(s, meeting_id, &round, &sent_at, e);
    if (rc == 0 && !round)
        rc = fail(s, e, ERR_CONFLICT, "møde %lld har intet referat til godkendelse",
                  (long long)meeting_id);
    if (rc == 0)
        rc = approval_days(s, m->code, &days, e);
    time_t sent = iso_time(sent_at);
    free(sent_at);
    if (rc < 0)
        return rc;
    time_t deadline = sent + (time_t)days * 86400;
    if (sent < 0 || clock_now() < deadline) {
        char when[21];
        clock_format(deadline, when);
        return fail(s, e, ERR_CONFLICT,
                    "godkendelsesrunden kan først lukkes, når udvalgets "
                    "frist (minutes.approval_days: %d dage) er gået, %s; indtil da skal alle "
                    "medlemmer godkende",
                    days, when);
    }
    if ((rc = round_missing(s, round, &missing, &objections, e)) < 0)
        return rc;
    if (objections)
        return fail(s, e, ERR_CONFLICT,
                    "%lld indsigelse(r) mod referatet er ikke besvaret: "
                    "svar på dem, før runden lukkes",
                    (long long)objections);
    /* Who did not answer goes into the event, by id and name. */
    json_t *who = json_array();
    if ((rc = stmt(s,
                   "SELECT a.id, a.name FROM minutes_member x JOIN account a ON a.id = "
                   "x.account_id WHERE x.round_id = ?1 AND x.approved_at IS NULL ORDER BY "
                   "a.name, a.id",
                   &st, e)) == 0) {
        bool row;
        sqlite3_bind_int64(st, 1, round);
        while ((rc = next_row(s, st, &row, e, "closing the minutes' round")) == 0 && row)
            json_array_append_new(who, json_pack("{s:I,s:s}", "account",
                                                 (json_int_t)sqlite3_column_int64(st, 0), "name",
                                                 (const char *)sqlite3_column_text(st, 1)));
        fin(st);
    }
    if (rc == 0)
        rc = round_close(s, round, "lukket", NULL, e);
    if (rc < 0) {
        json_decref(who);
        return rc;
    }
    return event(
        s, a, "minutes.close", "meeting", meeting_id, m->version, m->version + 1,
        json_pack("{s:I,s:i,s:o}", "round", (json_int_t)round, "days", days, "unanswered", who), e);
}

int minutes_meeting_step(struct store *s, int64_t meeting_id, int from, int *to, const char *action,
                         const char *reason, const struct store_actor *a, struct err *e)
{
    int act = wf_action_parse(&wf_meeting, action);
    const char *name = wf_action_name(&wf_meeting, act);
    if (!name)
        return 0;
    bool send = strcmp(name, "send_referat_til_godkendelse") == 0;
    bool approve = strcmp(name, "godkend_referat") == 0;
    bool ret = strcmp(name, "returner_referat") == 0;
    bool close = strcmp(name, "luk_godkendelse") == 0;
    bool reopen = strcmp(name, "genaabn") == 0;
    if (!send && !approve && !ret && !close && !reopen)
        return 0;
    struct meeting_row m;
    int rc = meeting_row(s, meeting_id, &m, e);
    if (rc < 0)
        return rc;
    m.version--; /* step_apply has counted the step already */
    if (send) {
        rc = send_round(s, meeting_id, &m, a, e);
    } else if (approve) {
        bool complete = false;
        rc = record_approval(s, meeting_id, 0, a, m.version, &complete, e);
        if (rc == 0 && !complete) {
            /* One member's approval: the minutes stay out for approval. */
            *to = from;
            rc = set_state(s, meeting_id, wf_state_name(&wf_meeting, from), e);
        }
    } else if (ret) {
        int64_t round = 0;
        if ((rc = open_round(s, meeting_id, &round, NULL, e)) == 0 && round)
            rc = round_close(s, round, "returneret", reason, e);
        if (rc == 0)
            rc = event(s, a, "minutes.return", "meeting", meeting_id, m.version, m.version + 1,
                       json_pack("{s:I,s:s?}", "round", (json_int_t)round, "reason", reason), e);
    } else if (close) {
        rc = close_round(s, meeting_id, &m, a, e);
    } else {
        int version = 1;
        sqlite3_stmt *st;
        char now[21];
        clock_iso(now);
        if ((rc = minutes_version(s, meeting_id, &version, e)) == 0 &&
            (rc = stmt(s,
                       "INSERT INTO minutes_reopen (meeting_id, version, reopened_at, "
                       "reopened_by, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                       &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, meeting_id);
            sqlite3_bind_int(st, 2, version + 1);
            bind_str(st, 3, now);
            bind_id(st, 4, a ? a->account_id : 0);
            bind_str(st, 5, reason);
            rc = run(s, st, e, "reopening the minutes");
        }
        if (rc == 0)
            rc = event(s, a, "minutes.reopen", "meeting", meeting_id, m.version, m.version + 1,
                       json_pack("{s:i,s:i,s:s,s:s?}", "approved_version", version, "version",
                                 version + 1, "from", wf_state_name(&wf_meeting, from), "reason",
                                 reason),
                       e);
    }
    meeting_row_fini(&m);
    return rc;
}

/* ---- what the rest of the store asks ---- */

/* The latest meeting whose agenda has the case is out for approval (0: not). */
static int case_in_round(struct store *s, int64_t case_id, int64_t *meeting, struct err *e)
{
    sqlite3_stmt *st;
    bool row = false;
    *meeting = 0;
    int rc = stmt(s,
                  "SELECT m.id, m.state FROM agenda g JOIN meeting m ON m.id = g.meeting_id "
                  "WHERE g.case_id = ?1 ORDER BY m.date DESC, m.id DESC LIMIT 1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = next_row(s, st, &row, e, "reading a case's meeting")) == 0 && row) {
        const char *state = (const char *)sqlite3_column_text(st, 1);
        if (state && strcmp(state, "referat_til_godkendelse") == 0)
            *meeting = sqlite3_column_int64(st, 0);
    }
    fin(st);
    return rc;
}

int minutes_save_check(struct store *s, int64_t case_id, bool frozen, const char *action,
                       struct err *e)
{
    if (frozen) {
        /* Approved minutes take only a tillæg (store_minutes_addition). */
        if (action && strcmp(action, "case.addition") == 0)
            return 0;
        return fail(s, e, ERR_DENIED,
                    "the minutes of case %lld are approved: they can only "
                    "be corrected by an addition (tillæg)",
                    (long long)case_id);
    }
    int64_t meeting = 0;
    int rc = case_in_round(s, case_id, &meeting, e);
    if (rc == 0 && meeting)
        rc = fail(s, e, ERR_DENIED,
                  "the minutes of meeting %lld are out for approval: case "
                  "%lld cannot be changed until the sekretær returns them (returner_referat)",
                  (long long)meeting, (long long)case_id);
    return rc;
}

int minutes_new_case_check(struct store *s, int64_t meeting_id, const char *state, struct err *e)
{
    if (state && strcmp(state, "referat_til_godkendelse") == 0)
        return fail(s, e, ERR_DENIED,
                    "the minutes of meeting %lld are out for approval: it "
                    "takes no new cases",
                    (long long)meeting_id);
    return 0;
}

int minutes_case_step_check(struct store *s, int64_t case_id, const char *action, struct err *e)
{
    /* Along its Sagsgang a treated case goes on to the next body: that changes no minutes. */
    if (action && strcmp(action, "videresend") == 0)
        return 0;
    sqlite3_stmt *st;
    bool row = false;
    int rc = stmt(s,
                  "SELECT m.id, m.state FROM agenda g JOIN meeting m ON m.id = g.meeting_id "
                  "WHERE g.case_id = ?1 ORDER BY m.date DESC, m.id DESC LIMIT 1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    int64_t meeting = 0;
    char *state = NULL;
    if ((rc = next_row(s, st, &row, e, "reading a case's meeting")) == 0 && row) {
        meeting = sqlite3_column_int64(st, 0);
        state = col_str(st, 1);
    }
    fin(st);
    if (rc == 0 && state &&
        (strcmp(state, "referat_til_godkendelse") == 0 || strcmp(state, "referat_godkendt") == 0 ||
         strcmp(state, "offentliggjort") == 0))
        rc = fail(s, e, ERR_DENIED,
                  "meeting %lld is %s: the state of case %lld in its minutes "
                  "cannot change",
                  (long long)meeting, state, (long long)case_id);
    free(state);
    return rc;
}

int minutes_put_additions(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "DELETE FROM case_addition WHERE case_id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = run(s, st, e, "writing a case's tillæg")) < 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < c->nadditions; i++) {
        if ((rc = stmt(s,
                       "INSERT INTO case_addition (case_id, pos, date, reason, text) VALUES "
                       "(?1, ?2, ?3, ?4, ?5)",
                       &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, c->additions[i].date ? c->additions[i].date : "");
        bind_str(st, 4, c->additions[i].reason ? c->additions[i].reason : "");
        bind_str(st, 5, c->additions[i].text);
        rc = run(s, st, e, "writing a case's tillæg");
    }
    return rc;
}

int minutes_load_additions(struct store *s, int64_t case_id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s,
                  "SELECT date, reason, text FROM case_addition WHERE case_id = ?1 ORDER BY "
                  "pos",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    while ((rc = next_row(s, st, &row, e, "reading a case's tillæg")) == 0 && row) {
        struct addition *a = case_add_addition(c);
        a->date = col_str(st, 0);
        a->reason = col_str(st, 1);
        a->text = col_str(st, 2);
    }
    fin(st);
    return rc;
}

/* ---- the store interface ---- */

static void round_fini(struct store_minutes_round *r)
{
    free(r->sent_at);
    free(r->sent_by);
    free(r->deadline);
    free(r->closed_at);
    free(r->outcome);
    free(r->reason);
    for (size_t i = 0; i < r->ncases; i++)
        free(r->cases[i].title);
    free(r->cases);
    for (size_t i = 0; i < r->nmembers; i++) {
        free(r->members[i].login);
        free(r->members[i].name);
        free(r->members[i].approved_at);
    }
    free(r->members);
    for (size_t i = 0; i < r->nobjections; i++) {
        struct store_minutes_objection *o = &r->objections[i];
        free(o->author);
        free(o->text);
        free(o->created_at);
        free(o->answer);
        free(o->answered_by);
        free(o->answered_at);
    }
    free(r->objections);
}

void store_minutes_fini(struct store_minutes *m)
{
    free(m->state);
    for (size_t i = 0; i < m->nrounds; i++)
        round_fini(&m->rounds[i]);
    free(m->rounds);
    for (size_t i = 0; i < m->nreopens; i++) {
        free(m->reopens[i].at);
        free(m->reopens[i].by);
        free(m->reopens[i].reason);
    }
    free(m->reopens);
    memset(m, 0, sizeof *m);
}

const struct store_minutes_round *store_minutes_open(const struct store_minutes *m)
{
    for (size_t i = m->nrounds; i-- > 0;)
        if (!m->rounds[i].outcome)
            return &m->rounds[i];
    return NULL;
}

const struct store_minutes_round *store_minutes_approved(const struct store_minutes *m, int version)
{
    for (size_t i = m->nrounds; i-- > 0;)
        if (m->rounds[i].version == version && m->rounds[i].outcome &&
            strcmp(m->rounds[i].outcome, "returneret") != 0)
            return &m->rounds[i];
    return NULL;
}

static int round_parts(struct store *s, struct store_minutes_round *r, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    size_t cap = 0;
    int rc = stmt(s,
                  "SELECT f.case_id, f.pos, f.case_version, c.title FROM minutes_frozen f "
                  "JOIN \"case\" c ON c.id = f.case_id WHERE f.round_id = ?1 ORDER BY f.pos",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    while ((rc = next_row(s, st, &row, e, "reading the minutes' round")) == 0 && row) {
        r->cases = grow(r->cases, r->ncases, &cap, sizeof *r->cases);
        struct store_minutes_case *c = &r->cases[r->ncases++];
        c->case_id = sqlite3_column_int64(st, 0);
        c->pos = sqlite3_column_int(st, 1);
        c->version = sqlite3_column_int(st, 2);
        c->title = col_str(st, 3);
    }
    fin(st);
    if (rc < 0)
        return rc;
    cap = 0;
    if ((rc = stmt(s,
                   "SELECT a.id, a.login, a.name, x.approved_at FROM minutes_member x JOIN "
                   "account a ON a.id = x.account_id WHERE x.round_id = ?1 ORDER BY a.name, "
                   "a.id",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    while ((rc = next_row(s, st, &row, e, "reading the minutes' round")) == 0 && row) {
        r->members = grow(r->members, r->nmembers, &cap, sizeof *r->members);
        struct store_minutes_member *m = &r->members[r->nmembers++];
        m->account_id = sqlite3_column_int64(st, 0);
        m->login = col_str(st, 1);
        m->name = col_str(st, 2);
        m->approved_at = col_str(st, 3);
    }
    fin(st);
    if (rc < 0)
        return rc;
    cap = 0;
    if ((rc = stmt(s,
                   "SELECT o.id, o.account_id, a.name, o.text, o.created_at, o.answer, "
                   "b.name, o.answered_at FROM minutes_objection o JOIN account a ON a.id = "
                   "o.account_id LEFT JOIN account b ON b.id = o.answered_by WHERE "
                   "o.round_id = ?1 ORDER BY o.id LIMIT 1000",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    while ((rc = next_row(s, st, &row, e, "reading the minutes' round")) == 0 && row) {
        r->objections = grow(r->objections, r->nobjections, &cap, sizeof *r->objections);
        struct store_minutes_objection *o = &r->objections[r->nobjections++];
        o->id = sqlite3_column_int64(st, 0);
        o->account_id = sqlite3_column_int64(st, 1);
        o->author = col_str(st, 2);
        o->text = col_str(st, 3);
        o->created_at = col_str(st, 4);
        o->answer = col_str(st, 5);
        o->answered_by = col_str(st, 6);
        o->answered_at = col_str(st, 7);
    }
    fin(st);
    return rc;
}

int store_minutes_get(struct store *s, int64_t meeting_id, const struct reader *r,
                      struct store_minutes *out, struct err *e)
{
    struct meeting_row m;
    struct store_minutes x = {.meeting_id = meeting_id};
    sqlite3_stmt *st;
    bool row;
    size_t cap = 0;
    int rc = read_begin(s, e);
    if (rc < 0)
        return rc;
    if ((rc = meeting_row(s, meeting_id, &m, e)) < 0) {
        read_end(s);
        return rc;
    }
    if (!r || (!r->all && !reader_sees_body(r, m.body_id))) {
        meeting_row_fini(&m);
        read_end(s);
        return notfound(s, e, "no meeting with id %lld", (long long)meeting_id);
    }
    x.body_id = m.body_id;
    x.state = m.state;
    m.state = NULL;
    x.meeting_version = m.version;
    rc = approval_days(s, m.code, &x.approval_days, e);
    if (rc == 0)
        rc = minutes_version(s, meeting_id, &x.version, e);
    if (rc == 0)
        rc = stmt(s,
                  "SELECT r.id, r.version, r.sent_at, a.name, r.closed_at, r.outcome, "
                  "r.reason FROM minutes_round r LEFT JOIN account a ON a.id = r.sent_by "
                  "WHERE r.meeting_id = ?1 ORDER BY r.id DESC LIMIT 100",
                  &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        while ((rc = next_row(s, st, &row, e, "reading the minutes")) == 0 && row) {
            x.rounds = grow(x.rounds, x.nrounds, &cap, sizeof *x.rounds);
            struct store_minutes_round *rd = &x.rounds[x.nrounds++];
            memset(rd, 0, sizeof *rd);
            rd->id = sqlite3_column_int64(st, 0);
            rd->version = sqlite3_column_int(st, 1);
            rd->sent_at = col_str(st, 2);
            rd->sent_by = col_str(st, 3);
            rd->closed_at = col_str(st, 4);
            rd->outcome = col_str(st, 5);
            rd->reason = col_str(st, 6);
            char when[21];
            time_t t = iso_time(rd->sent_at);
            clock_format(t < 0 ? 0 : t + (time_t)x.approval_days * 86400, when);
            rd->deadline = xstrdup(when);
        }
        fin(st);
    }
    /* oldest first */
    for (size_t i = 0; i < x.nrounds / 2; i++) {
        struct store_minutes_round t = x.rounds[i];
        x.rounds[i] = x.rounds[x.nrounds - 1 - i];
        x.rounds[x.nrounds - 1 - i] = t;
    }
    for (size_t i = 0; rc == 0 && i < x.nrounds; i++)
        rc = round_parts(s, &x.rounds[i], e);
    cap = 0;
    if (rc == 0 && (rc = stmt(s,
                              "SELECT o.version, o.reopened_at, a.name, o.reason FROM "
                              "minutes_reopen o LEFT JOIN account a ON a.id = o.reopened_by "
                              "WHERE o.meeting_id = ?1 ORDER BY o.version",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        while ((rc = next_row(s, st, &row, e, "reading the minutes")) == 0 && row) {
            x.reopens = grow(x.reopens, x.nreopens, &cap, sizeof *x.reopens);
            struct store_minutes_reopen *o = &x.reopens[x.nreopens++];
            o->version = sqlite3_column_int(st, 0);
            o->at = col_str(st, 1);
            o->by = col_str(st, 2);
            o->reason = col_str(st, 3);
        }
        fin(st);
    }
    read_end(s);
    meeting_row_fini(&m);
    if (rc < 0) {
        store_minutes_fini(&x);
        return rc;
    }
    *out = x;
    return 0;
}

/* The meeting moves to referat_godkendt after the last approval or answer. */
static int approve_meeting(struct store *s, int64_t meeting_id, const struct store_actor *a,
                           const char *via, struct err *e)
{
    struct meeting_row m;
    sqlite3_stmt *st;
    int rc = meeting_row(s, meeting_id, &m, e);
    if (rc < 0)
        return rc;
    if ((rc = stmt(s,
                   "UPDATE meeting SET state = 'referat_godkendt', version = version + 1 "
                   "WHERE id = ?1",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        rc = run(s, st, e, "approving the minutes");
    }
    if (rc == 0)
        rc = event(s, a, "meeting.transition", "meeting", meeting_id, m.version, m.version + 1,
                   json_pack("{s:s,s:s,s:s,s:s}", "action", "godkend_referat", "from", m.state,
                             "to", "referat_godkendt", "via", via),
                   e);
    meeting_row_fini(&m);
    return rc;
}

int store_minutes_approve(struct store *s, int64_t meeting_id, int64_t round_id,
                          const struct store_actor *a, bool *approved, struct err *e)
{
    struct meeting_row m;
    bool complete = false;
    int rc = write_begin(s, e, "approving the minutes");
    if (rc < 0)
        return rc;
    if ((rc = meeting_row(s, meeting_id, &m, e)) == 0) {
        if (!m.state || strcmp(m.state, "referat_til_godkendelse") != 0)
            rc = fail(s, e, ERR_CONFLICT,
                      "meeting %lld is %s: its minutes are not out for "
                      "approval",
                      (long long)meeting_id, m.state ? m.state : "imported");
        else if (!(actor_roles(a, m.body_id) & ROLE_MEDLEM) || !a || !a->account_id)
            rc = fail(s, e, ERR_DENIED,
                      "approving the minutes needs the role medlem on the "
                      "body: nothing was approved");
        if (rc == 0)
            rc = record_approval(s, meeting_id, round_id, a, m.version, &complete, e);
        if (rc == 0 && complete)
            rc = approve_meeting(s, meeting_id, a, "minutes.approve", e);
        meeting_row_fini(&m);
    }
    if (rc == 0 && (rc = write_commit(s, e, "approving the minutes")) == 0 && approved)
        *approved = complete;
    if (rc < 0)
        rollback(s);
    return rc;
}

/* Trims, and refuses blank or unwritable text (field names the form's field). */
static int text_ok(struct store *s, const char *field, const char *text, enum minutes_field f,
                   char **out, struct err *e)
{
    *out = NULL;
    const char *p = text ? text : "";
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    /* Lines without trailing blanks or carriage returns, at most one blank line between
     * paragraphs: what the md and txt exports read back. */
    struct buf b = BUF_INIT;
    size_t blank = 0;
    for (const char *q = p; *q;) {
        const char *nl = strchr(q, '\n');
        size_t n = nl ? (size_t)(nl - q) : strlen(q);
        while (n && (q[n - 1] == ' ' || q[n - 1] == '\t' || q[n - 1] == '\r'))
            n--;
        if (n == 0) {
            blank++;
        } else {
            if (b.len)
                buf_puts(&b, blank ? "\n\n" : "\n");
            buf_put(&b, q, n);
            blank = 0;
        }
        q = nl ? nl + 1 : q + strlen(q);
    }
    if (!b.len) {
        buf_free(&b);
        return fail(s, e, ERR_USAGE, "%s: a tillæg needs a %s", field,
                    strcmp(field, "reason") == 0 ? "reason (begrundelse)" : "text");
    }
    char *v = buf_detach(&b);
    const char *why = minutes_check(f, v);
    if (why) {
        free(v);
        return fail(s, e, ERR_USAGE, "%s: %s", field, why);
    }
    *out = v;
    return 0;
}

int store_minutes_addition(struct store *s, int64_t case_id, int base_version, const char *reason,
                           const char *text, const struct store_actor *a, int *version,
                           struct err *e)
{
    char *r = NULL, *t = NULL;
    int rc = text_ok(s, "reason", reason, MINUTES_REASON, &r, e);
    if (rc == 0)
        rc = text_ok(s, "text", text, MINUTES_TEXT, &t, e);
    if (rc < 0) {
        free(r);
        free(t);
        return rc;
    }
    sqlite3_stmt *st;
    struct case_doc *c = NULL;
    int64_t approved = 0;
    bool found = false;
    if ((rc = write_begin(s, e, "adding a tillæg")) < 0) {
        free(r);
        free(t);
        return rc;
    }
    if ((rc = stmt(s,
                   "SELECT count(*) FROM agenda g JOIN meeting m ON m.id = g.meeting_id "
                   "WHERE g.case_id = ?1 AND m.state IN " APPROVED_STATES,
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = one_int(s, st, &approved, &found, e, "adding a tillæg");
    }
    if (rc == 0 && !approved)
        rc = fail(s, e, ERR_CONFLICT,
                  "the minutes of case %lld are not approved: a tillæg "
                  "corrects approved minutes; change the case itself",
                  (long long)case_id);
    if (rc == 0)
        rc = load_case(s, case_id, &c, e);
    if (rc == 0) {
        char today[11];
        clock_today(today);
        struct addition *ad = case_add_addition(c);
        ad->date = xstrdup(today);
        ad->reason = r;
        ad->text = t;
        r = t = NULL;
        struct store_save sv = {.case_id = case_id, .base_version = base_version, .model = c};
        json_t *extra =
            json_pack("{s:s,s:i}", "addition_date", today, "additions", (int)c->nadditions);
        rc = case_save_event(s, &sv, a, "case.addition", extra, NULL, version, e);
    }
    case_free(c);
    free(r);
    free(t);
    if (rc == 0)
        return write_commit(s, e, "adding a tillæg");
    rollback(s);
    return rc;
}

/* A member of the open round, or ERR_DENIED. */
static int round_member(struct store *s, int64_t round, const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    bool found = false;
    int rc = stmt(s,
                  "SELECT count(*) FROM minutes_member WHERE round_id = ?1 AND account_id = "
                  "?2",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, round);
    sqlite3_bind_int64(st, 2, a && a->account_id ? a->account_id : -1);
    if ((rc = one_int(s, st, &n, &found, e, "reading the minutes' round")) == 0 && !n)
        rc = fail(s, e, ERR_DENIED,
                  "only the members of the body (role medlem when the "
                  "minutes were sent) object to its minutes");
    return rc;
}

int store_minutes_object(struct store *s, int64_t meeting_id, int64_t round_id, const char *text,
                         const struct store_actor *a, int64_t *id, struct err *e)
{
    char *t = NULL;
    int rc = text_ok(s, "text", text, MINUTES_TEXT, &t, e);
    if (rc < 0)
        return rc;
    struct meeting_row m;
    int64_t open = 0, oid = 0;
    if ((rc = write_begin(s, e, "objecting to the minutes")) < 0) {
        free(t);
        return rc;
    }
    if ((rc = meeting_row(s, meeting_id, &m, e)) == 0) {
        if ((rc = open_round(s, meeting_id, &open, NULL, e)) == 0 && (!open || open != round_id))
            rc = fail(s, e, ERR_CONFLICT,
                      open ? "the minutes you object to (round %lld) are no "
                             "longer the ones out for approval: reload the page"
                           : "meeting %lld has no "
                             "minutes out for approval",
                      open ? (long long)round_id : (long long)meeting_id);
        if (rc == 0)
            rc = round_member(s, open, a, e);
        char now[21];
        clock_iso(now);
        sqlite3_stmt *st;
        if (rc == 0 && (rc = stmt(s,
                                  "INSERT INTO minutes_objection (round_id, account_id, text, "
                                  "created_at) VALUES (?1, ?2, ?3, ?4)",
                                  &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, open);
            sqlite3_bind_int64(st, 2, a->account_id);
            bind_str(st, 3, t);
            bind_str(st, 4, now);
            rc = insert(s, st, &oid, e, "objecting to the minutes");
        }
        if (rc == 0)
            rc = event(
                s, a, "minutes.object", "meeting", meeting_id, m.version, m.version,
                json_pack("{s:I,s:I}", "round", (json_int_t)open, "objection", (json_int_t)oid), e);
        meeting_row_fini(&m);
    }
    free(t);
    if (rc == 0 && (rc = write_commit(s, e, "objecting to the minutes")) == 0 && id)
        *id = oid;
    if (rc < 0)
        rollback(s);
    return rc;
}

static bool has_members(struct store *s, int64_t round)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    bool found = false;
    if (stmt(s, "SELECT count(*) FROM minutes_member WHERE round_id = ?1", &st, NULL) < 0)
        return false;
    sqlite3_bind_int64(st, 1, round);
    return one_int(s, st, &n, &found, NULL, "reading the minutes' round") == 0 && n > 0;
}

int store_minutes_answer(struct store *s, int64_t meeting_id, int64_t objection_id,
                         const char *text, const struct store_actor *a, bool *approved,
                         struct err *e)
{
    char *t = NULL;
    int rc = text_ok(s, "answer", text, MINUTES_TEXT, &t, e);
    if (rc < 0)
        return rc;
    struct meeting_row m;
    int64_t open = 0, missing = 0, objections = 0;
    bool complete = false;
    if ((rc = write_begin(s, e, "answering an objection")) < 0) {
        free(t);
        return rc;
    }
    if ((rc = meeting_row(s, meeting_id, &m, e)) == 0) {
        if (!(actor_roles(a, m.body_id) & ROLE_SEKRETAER))
            rc = fail(s, e, ERR_DENIED,
                      "answering an objection needs the role sekretaer on "
                      "the body");
        if (rc == 0 && (rc = open_round(s, meeting_id, &open, NULL, e)) == 0 && !open)
            rc = fail(s, e, ERR_CONFLICT, "meeting %lld has no minutes out for approval",
                      (long long)meeting_id);
        char now[21];
        clock_iso(now);
        sqlite3_stmt *st;
        if (rc == 0 && (rc = stmt(s,
                                  "UPDATE minutes_objection SET answer = ?3, answered_by = "
                                  "?4, answered_at = ?5 WHERE id = ?1 AND round_id = ?2 AND "
                                  "answer IS NULL",
                                  &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, objection_id);
            sqlite3_bind_int64(st, 2, open);
            bind_str(st, 3, t);
            bind_id(st, 4, a ? a->account_id : 0);
            bind_str(st, 5, now);
            if ((rc = run(s, st, e, "answering an objection")) == 0 && sqlite3_changes(s->db) == 0)
                rc = fail(s, e, ERR_CONFLICT,
                          "objection %lld is not an unanswered objection to "
                          "the minutes out for approval",
                          (long long)objection_id);
        }
        if (rc == 0)
            rc = round_missing(s, open, &missing, &objections, e);
        /* With members who approved none is missing: the round ends in approval now. */
        complete = rc == 0 && missing == 0 && objections == 0 && m.state &&
                   strcmp(m.state, "referat_til_godkendelse") == 0 && has_members(s, open);
        if (rc == 0)
            rc = event(s, a, "minutes.answer", "meeting", meeting_id, m.version, m.version,
                       json_pack("{s:I,s:I,s:b}", "round", (json_int_t)open, "objection",
                                 (json_int_t)objection_id, "complete", complete),
                       e);
        if (rc == 0 && complete && (rc = round_close(s, open, "godkendt", NULL, e)) == 0)
            rc = approve_meeting(s, meeting_id, a, "minutes.answer", e);
        meeting_row_fini(&m);
    }
    free(t);
    if (rc == 0 && (rc = write_commit(s, e, "answering an objection")) == 0 && approved)
        *approved = complete;
    if (rc < 0)
        rollback(s);
    return rc;
}
