/* sqlite_meeting: bodies, meetings and their agendas on SQLite; meetings written in referat
 * (create, edit, workflow) and the workflow steps of cases. */
#include "store_sqlite.h"
#include "../model/meeting.h"
#include "../model/workflow.h"
#include "../util/date.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- bodies ---- */

static void read_body(sqlite3_stmt *st, void *elem)
{
    struct store_body *b = elem;
    b->id = sqlite3_column_int64(st, 0);
    b->code = col_str(st, 1);
    b->name = col_str(st, 2);
    b->nmeetings = (size_t)sqlite3_column_int64(st, 3);
}

static void bodies_free(void *v, size_t n)
{
    store_bodies_free(v, n);
}

static const struct rowtype body_rows = {sizeof(struct store_body), "listing bodies", read_body,
                                         bodies_free};

#define BODY_COLS "b.id, b.code, b.name, 0 FROM body b "

/* ---- issue 11, archive routes: a body's published meetings, counted by a statement of its
 * own so that the count is remembered (count_rows_seen) while the archive is unchanged: on
 * the 100,000-case archive the front page's five counts read 18,743 index entries, 2-8 ms,
 * for every page that lists the bodies. ---- */
static int body_meetings(struct store *s, struct store_body *b, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT count(*) FROM meeting m INDEXED BY meeting_body_date_start "
                     "WHERE m.body_id = ?1 AND m.published", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, b->id);
        rc = count_rows_seen(s, st, NULL, &b->nmeetings, e);
    }
    return rc;
}

int store_bodies(struct store *s, const struct store_page *pg, struct store_body **v,
                 size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total && (rc = stmt(s, "SELECT count(*) FROM body", &st, e)) == 0)
        rc = count_rows(s, st, total, e);
    if (rc == 0 &&
        (rc = stmt(s, "SELECT " BODY_COLS "ORDER BY b.code, b.name LIMIT ?1 OFFSET ?2", &st,
                   e)) == 0) {
        bind_page(st, 1, 2, pg);
        if ((rc = collect(s, st, &body_rows, &out, n, e)) == 0) {
            *v = out;
            for (size_t i = 0; rc == 0 && i < *n; i++)
                rc = body_meetings(s, &(*v)[i], e);
            if (rc < 0) {
                store_bodies_free(*v, *n);
                *v = NULL;
                *n = 0;
            }
        }
    }
    read_end(s);
    return rc;
}

int store_body_get(struct store *s, const char *code_or_name, struct store_body *out,
                   struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " BODY_COLS "WHERE b.code = ?1 OR b.name = ?1 "
                     "ORDER BY b.code = ?1 DESC, b.name IS NULL, b.id LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, code_or_name);
    rc = first_row(s, st, e, "reading a body", "no body '%s'", code_or_name ? code_or_name : "");
    if (rc == 0)
        read_body(st, out);
    fin(st);
    if (rc == 0 && (rc = body_meetings(s, out, e)) < 0)
        store_body_fini(out);
    return rc;
}

static bool code_ok(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n > 16)
        return false;
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        if (*p <= ' ' || *p == '/' || *p == '?' || *p == '#' || *p == '%' || *p == 0x7f)
            return false;
    return true;
}

int store_body_add(struct store *s, const char *code, const char *name,
                   const struct store_actor *a, int64_t *id_out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0, other;
    bool found;
    if (!(actor_roles(a, 0) & ROLE_ADMIN))
        return fail(s, e, ERR_DENIED, "only an administrator may add bodies");
    if (!code_ok(code))
        return fail(s, e, ERR_USAGE, "code: expected 1 to 16 characters without spaces or /");
    if (!name || !*name || strlen(name) > 200 || strpbrk(name, "\n\r\t"))
        return fail(s, e, ERR_USAGE, "name: expected 1 to 200 characters on one line");
    int rc = write_begin(s, e, "adding a body");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT id FROM body WHERE code = ?1 OR name = ?2", &st, e)) == 0) {
        bind_str(st, 1, code);
        bind_str(st, 2, name);
        if ((rc = one_int(s, st, &other, &found, e, "adding a body")) == 0 && found)
            rc = fail(s, e, ERR_CONFLICT, "a body with code '%s' or that name exists", code);
    }
    if (rc == 0 && (rc = stmt(s, "INSERT INTO body (code, name) VALUES (?1, ?2)", &st, e)) == 0) {
        bind_str(st, 1, code);
        bind_str(st, 2, name);
        rc = insert(s, st, &id, e, "adding a body");
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "body:%lld", (long long)id);
        json_t *o = json_pack("{s:s,s:s}", "code", code, "name", name);
        char *d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        struct event ev = {.action = "body.add", .object = object, .detail = d};
        rc = ledger_append(s, a, &ev, NULL, e);
        free(d);
    }
    if (rc == 0)
        rc = write_commit(s, e, "adding a body");
    else
        rollback(s);
    if (rc == 0 && id_out)
        *id_out = id;
    return rc;
}

/* ---- meetings ---- */

/* ?9 is the reader wherever these columns are used. */
#define MEETING_COLS_ONLY                                                                    \
    "m.id, m.body_id, b.code, b.name, m.date, m.number, m.start, m.\"end\", m.place, "       \
    "m.state, m.cancel_reason, m.version, m.authored, "                                      \
    "(SELECT count(*) FROM agenda a JOIN \"case\" c INDEXED BY case_visibility "                  \
    " ON c.id = a.case_id WHERE a.meeting_id = m.id AND " CASE_LISTED("c", "?9") "), "          \
    "m.released_at "
#define MEETING_COLS MEETING_COLS_ONLY "FROM meeting m JOIN body b ON b.id = m.body_id "

static void read_meeting(sqlite3_stmt *st, void *elem)
{
    struct store_meeting *m = elem;
    m->id = sqlite3_column_int64(st, 0);
    m->body_id = sqlite3_column_int64(st, 1);
    m->body = col_str(st, 2);
    m->body_name = col_str(st, 3);
    m->date = col_str(st, 4);
    m->number = (unsigned)sqlite3_column_int(st, 5);
    m->start = col_str(st, 6);
    m->end = col_str(st, 7);
    m->place = col_str(st, 8);
    m->state = col_str(st, 9);
    m->cancel_reason = col_str(st, 10);
    m->version = sqlite3_column_int(st, 11);
    m->authored = sqlite3_column_int(st, 12) != 0;
    m->ncases = (size_t)sqlite3_column_int64(st, 13);
    m->released_at = col_str(st, 14);
}

static void meetings_free(void *v, size_t n)
{
    store_meetings_free(v, n);
}

static const struct rowtype meeting_rows = {sizeof(struct store_meeting), "listing meetings",
                                            read_meeting, meetings_free};

/* ---- issue 11, paging: meetings newest first walk meeting_date_start (every body) or
 * meeting_body_date_start (one body: the first that store_body_get would give for the code
 * or name), inside a window of dates [?5, ?6), so a LIMIT stops the walk. ---- */
#define MEETING_BODY_ID                                                                      \
    "(SELECT id FROM body WHERE code = ?1 OR name = ?1 "                                     \
    "ORDER BY code = ?1 DESC, name IS NULL, id LIMIT 1)"
#define MEETING_FROM_ALL                                                                     \
    "FROM meeting m WHERE m.date >= ?5 AND m.date < ?6 AND " MEETING_LISTED("m", "?9")
#define MEETING_FROM_BODY                                                                    \
    "FROM meeting m WHERE m.body_id = " MEETING_BODY_ID                                      \
    " AND m.date >= ?5 AND m.date < ?6 AND " MEETING_LISTED("m", "?9")
/* The window's ids from the walk, then their rows and counts (a deferred join). */
#define MEETING_LIST(from)                                                                   \
    "SELECT " MEETING_COLS_ONLY "FROM (SELECT m.id AS kid, m.date AS kd, m.start AS ks " from \
    " ORDER BY m.date DESC, m.start DESC, m.id DESC LIMIT ?3 OFFSET ?4) k "                  \
    "JOIN meeting m ON m.id = k.kid JOIN body b ON b.id = m.body_id "                        \
    "ORDER BY k.kd DESC, k.ks DESC, k.kid DESC"

int store_meetings_between(struct store *s, const char *body, const char *from,
                           const char *to, const struct reader *r, const struct store_page *pg,
                           struct store_meeting **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, body ? COUNT_CAPPED(MEETING_FROM_BODY) : COUNT_CAPPED(MEETING_FROM_ALL),
                   &st, e)) == 0) {
        bind_str(st, 1, body);
        bind_str(st, 5, from ? from : "");
        bind_str(st, 6, to ? to : "~");
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, body ? MEETING_LIST(MEETING_FROM_BODY) : MEETING_LIST(MEETING_FROM_ALL),
                   &st, e)) == 0) {
        bind_str(st, 1, body);
        bind_page_capped(st, 3, 4, pg);
        bind_str(st, 5, from ? from : "");
        bind_str(st, 6, to ? to : "~");
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &meeting_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_meetings(struct store *s, const char *body, int year, const struct reader *r,
                   const struct store_page *pg, struct store_meeting **v, size_t *n,
                   size_t *total, struct err *e)
{
    char from[24], to[24];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-01-01", year + 1);
    return store_meetings_between(s, body, year ? from : NULL, year ? to : NULL, r, pg, v, n,
                                  total, e);
}

int store_meeting_years(struct store *s, const char *body, const struct reader *r, int **years,
                        size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int *v = NULL;
    size_t cnt = 0, cap = 0;
    bool row;
    int rc = stmt(s, "SELECT DISTINCT CAST(substr(m.date, 1, 4) AS INTEGER) AS y FROM meeting m "
                     "JOIN body b ON b.id = m.body_id WHERE (b.code = ?1 OR b.name = ?1) AND "
                     MEETING_LISTED("m", "?9") " ORDER BY y DESC LIMIT 500", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, body);
    bind_reader(st, 9, r);
    while ((rc = next_row(s, st, &row, e, "listing years")) == 0 && row) {
        v = grow(v, cnt, &cap, sizeof *v);
        v[cnt++] = sqlite3_column_int(st, 0);
    }
    fin(st);
    if (rc < 0) {
        free(v);
        return rc;
    }
    *years = v;
    *n = cnt;
    return 0;
}

int store_meeting_get(struct store *s, int64_t meeting_id, const struct reader *r,
                      struct store_meeting *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " MEETING_COLS "WHERE m.id = ?1 AND " MEETING_LISTED("m", "?9"),
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    bind_reader(st, 9, r);
    rc = first_row(s, st, e, "reading a meeting", "no meeting with id %lld",
                   (long long)meeting_id);
    if (rc == 0)
        read_meeting(st, out);
    fin(st);
    return rc;
}

int store_meeting_find(struct store *s, const char *body, const char *date,
                       const struct reader *r, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT m.id FROM meeting m JOIN body b ON b.id = m.body_id "
                     "WHERE (b.code = ?1 OR b.name = ?1) AND m.date = ?2 AND "
                     MEETING_LISTED("m", "?9") " ORDER BY m.start, m.id LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, body);
    bind_str(st, 2, date);
    bind_reader(st, 9, r);
    rc = first_row(s, st, e, "finding a meeting", "no meeting of %s on %s", body ? body : "",
                   date ? date : "");
    if (rc == 0)
        *id = sqlite3_column_int64(st, 0);
    fin(st);
    return rc;
}

/* In collect_refs' columns (sqlite_case.c). */
int collect_refs(struct store *s, sqlite3_stmt *st, struct store_case_ref **v, size_t *n,
                 struct err *e);

int store_meeting_cases(struct store *s, int64_t meeting_id, const struct reader *r,
                        const struct store_page *pg, struct store_case_ref **v, size_t *n,
                        size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM agenda a JOIN \"case\" c ON c.id = a.case_id "
                      "WHERE a.meeting_id = ?1 AND " CASE_LISTED("c", "?9"), &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, "SELECT " CASE_REF_FIELDS "FROM agenda a "
                      "JOIN \"case\" c ON c.id = a.case_id LEFT JOIN body b ON b.id = c.body_id "
                      "WHERE a.meeting_id = ?1 AND " CASE_LISTED("c", "?9")
                      " ORDER BY a.pos LIMIT ?2 OFFSET ?3", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        bind_page(st, 2, 3, pg);
        bind_reader(st, 9, r);
        rc = collect_refs(s, st, v, n, e);
    }
    read_end(s);
    return rc;
}

/* ---- meetings written in referat ---- */

static int meeting_event(struct store *s, const struct store_actor *a, const char *action,
                         int64_t id, int before, int after, json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "meeting:%lld", (long long)id);
    struct event ev = {.action = action, .object = object, .before = before, .after = after};
    return ledger_append_json(s, a, ev, detail, e);
}

int store_meeting_save(struct store *s, const struct store_meeting_save *ms,
                       const struct store_actor *a, int64_t *id_out, int *version_out,
                       struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct meeting *m = meeting_new();
    int64_t id = ms->id, body_id = 0;
    int version = 0, current = 0;
    char *state = NULL, now[21];
    store_now(now);
    int rc = write_begin(s, e, "saving a meeting");
    if (rc < 0)
        goto done;
    if (id) {
        if ((rc = stmt(s, "SELECT m.body_id, b.code, m.version, m.state, m.authored FROM meeting m "
                          "JOIN body b ON b.id = m.body_id WHERE m.id = ?1", &st, e)) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, id);
        rc = first_row(s, st, e, "saving a meeting", "no meeting with id %lld", (long long)id);
        bool authored = false;
        if (rc == 0) {
            body_id = sqlite3_column_int64(st, 0);
            m->body_code = col_str(st, 1);
            current = sqlite3_column_int(st, 2);
            state = col_str(st, 3);
            authored = sqlite3_column_int(st, 4) != 0;
        }
        fin(st);
        if (rc == 0 && !authored)
            rc = fail(s, e, ERR_DENIED, "meeting %lld is known from imported minutes and "
                                        "cannot be edited", (long long)id);
        int sidx = state ? wf_state_parse(&wf_meeting, state) : -1;
        if (rc == 0 && (sidx < 0 || wf_state_locked(&wf_meeting, sidx) ||
                        sidx == WF_MEETING_AFLYST))
            rc = fail(s, e, ERR_DENIED, "meeting %lld is %s: it can no longer be changed",
                      (long long)id, state ? state : "?");
        if (rc == 0 && current != ms->base_version)
            rc = fail(s, e, ERR_CONFLICT, "meeting %lld was changed (version %d) after you "
                      "opened version %d; nothing was saved: reload it and make your change "
                      "again", (long long)id, current, ms->base_version);
    } else {
        m->body_code = xstrdup(ms->body ? ms->body : "");
        if ((rc = body_id_of(s, m->body_code, &body_id, e)) == 0 && !body_id)
            rc = notfound(s, e, "no body with code '%s'", m->body_code);
    }
    if (rc == 0 && !(actor_roles(a, body_id) & ROLE_SEKRETAER))
        rc = fail(s, e, ERR_DENIED, "planning a meeting needs the role sekretaer on its body");
    if (rc < 0)
        goto done;
    m->date = ms->date ? xstrdup(ms->date) : NULL;
    m->start = ms->start && *ms->start ? xstrdup(ms->start) : NULL;
    m->end = ms->end && *ms->end ? xstrdup(ms->end) : NULL;
    m->place = ms->place && *ms->place ? xstrdup(ms->place) : NULL;
    m->state = WF_MEETING_PLANLAGT;
    if ((rc = meeting_check(m, e)) < 0) {
        e->file = s->path;
        e->code = ERR_USAGE;
        rc = ERR_USAGE;
        goto done;
    }
    version = current + 1;
    if (id) {
        /* A meeting moved to another year gets that year's next number. */
        rc = stmt(s, "UPDATE meeting SET number = CASE WHEN substr(date, 1, 4) = substr(?2, 1, 4) "
                     "THEN number ELSE (SELECT coalesce(max(number), 0) + 1 FROM meeting "
                     "WHERE body_id = ?6 AND substr(date, 1, 4) = substr(?2, 1, 4)) END, "
                     "date = ?2, start = ?3, \"end\" = ?4, place = ?5, version = ?7, "
                     "updated_at = ?8 WHERE id = ?1", &st, e);
    } else {
        rc = stmt(s, "INSERT INTO meeting (body_id, date, number, start, \"end\", place, state, "
                     "published, authored, version, created_at, updated_at) VALUES (?6, ?2, "
                     "(SELECT coalesce(max(number), 0) + 1 FROM meeting WHERE body_id = ?6 "
                     "AND substr(date, 1, 4) = substr(?2, 1, 4)), ?3, ?4, ?5, 'planlagt', 0, 1, "
                     "?7, ?8, ?8)", &st, e);
    }
    if (rc < 0)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, m->date);
    bind_str(st, 3, m->start);
    bind_str(st, 4, m->end);
    bind_str(st, 5, m->place);
    sqlite3_bind_int64(st, 6, body_id);
    sqlite3_bind_int(st, 7, version);
    bind_str(st, 8, now);
    if ((rc = run(s, st, e, "saving a meeting")) < 0)
        goto done;
    if (!id) {
        id = sqlite3_last_insert_rowid(s->db);
        /* issue 8: a new meeting gets its body's recurring items on its agenda. */
        if ((rc = meeting_recurring(s, id, body_id, a, e)) < 0)
            goto done;
    }
    /* Its cases' dates follow the meeting. */
    if ((rc = stmt(s, "UPDATE \"case\" SET date = ?2 WHERE authored AND id IN (SELECT case_id "
                      "FROM agenda WHERE meeting_id = ?1)", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, m->date);
    if ((rc = run(s, st, e, "saving a meeting")) < 0)
        goto done;
    if ((rc = invitations_sync_meeting(s, id, e)) < 0) /* moved slots (issue 8) */
        goto done;
    rc = meeting_event(s, a, ms->id ? "meeting.save" : "meeting.create", id, current, version,
                       json_pack("{s:s,s:s?,s:s?,s:s?}", "date", m->date, "start", m->start,
                                 "end", m->end, "place", m->place),
                       e);
    if (rc == 0)
        rc = write_commit(s, e, "saving a meeting");
done:
    if (rc < 0)
        rollback(s);
    else {
        if (id_out)
            *id_out = id;
        if (version_out)
            *version_out = version;
    }
    free(state);
    meeting_free(m);
    return rc;
}

/* One workflow step on a row of table ("case" or meeting) checked against base_version.
 * Fills *from_state, *to_state (stable names, static) for the caller's side effects. */
struct step {
    const struct wf_machine *m;
    const char *what; /* "case", "meeting" */
    int64_t id;
    int base_version;
    const char *action, *reason;
    int from, to, version;
    int64_t body_id;
};

static int step_apply(struct store *s, struct step *sp, const char *sql_row,
                      const char *sql_update, const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    char *state = NULL;
    int64_t created_by = 0;
    bool authored = false;
    int rc = stmt(s, sql_row, &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, sp->id);
    rc = first_row(s, st, e, "changing the state", "no %s with id %lld", sp->what,
                   (long long)sp->id);
    if (rc == 0) {
        state = col_str(st, 0);
        sp->version = sqlite3_column_int(st, 1);
        sp->body_id = sqlite3_column_int64(st, 2);
        authored = sqlite3_column_int(st, 3) != 0;
        created_by = sqlite3_column_int64(st, 4);
    }
    fin(st);
    if (rc == 0 && (!authored || !state))
        rc = fail(s, e, ERR_DENIED, "%s %lld is known from imported minutes: it has no "
                  "workflow in referat", sp->what, (long long)sp->id);
    if (rc == 0 && sp->version != sp->base_version)
        rc = fail(s, e, ERR_CONFLICT, "%s %lld was changed (version %d) after you opened "
                  "version %d; nothing was changed: reload it", sp->what, (long long)sp->id,
                  sp->version, sp->base_version);
    if (rc == 0) {
        sp->from = wf_state_parse(sp->m, state);
        struct wf_actor who = {.roles = actor_roles(a, sp->body_id),
                               .owner = a && a->account_id && created_by == a->account_id};
        if ((rc = wf_apply(sp->m, sp->from, sp->action, &who, sp->reason, &sp->to, e)) < 0)
            e->file = s->path;
    }
    free(state);
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, sql_update, &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, sp->id);
    bind_str(st, 2, wf_state_name(sp->m, sp->to));
    sqlite3_bind_int(st, 3, sp->version + 1);
    bind_str(st, 4, sp->reason);
    return run(s, st, e, "changing the state");
}

static json_t *step_detail(const struct step *sp)
{
    return json_pack("{s:s,s:s,s:s,s:s?}", "action", sp->action, "from",
                     wf_state_name(sp->m, sp->from), "to", wf_state_name(sp->m, sp->to),
                     "reason", sp->reason);
}

int store_meeting_transition(struct store *s, int64_t meeting_id, int base_version,
                             const char *action, const char *reason,
                             const struct store_actor *a, struct err *e)
{
    struct step sp = {.m = &wf_meeting, .what = "meeting", .id = meeting_id,
                      .base_version = base_version, .action = action, .reason = reason};
    int rc = write_begin(s, e, "changing a meeting's state");
    if (rc < 0)
        return rc;
    /* Released once, the meeting is public: the portal shows even its cancellation. A
     * recalled agenda is taken back. */
    rc = step_apply(s, &sp, "SELECT state, version, body_id, authored, 0 FROM meeting WHERE id = ?1",
                    "UPDATE meeting SET state = ?2, version = ?3, "
                    "cancel_reason = CASE WHEN ?2 = 'aflyst' THEN ?4 ELSE cancel_reason END, "
                    "published = CASE WHEN ?2 = 'planlagt' THEN 0 "
                    "WHEN ?2 = 'aflyst' THEN published ELSE 1 END WHERE id = ?1", a, e);
    if (rc == 0) /* ---- issue 9, minutes: the round's bookkeeping of the minutes' steps ---- */
        rc = minutes_meeting_step(s, meeting_id, sp.from, &sp.to, action, reason, a, e);
    /* issue 8: releasing publishes, so the agenda passes the release guard first (the forms
     * and the API alike come here); a recall takes its cases back. */
    if (rc == 0 && sp.from == WF_MEETING_PLANLAGT && sp.to == WF_MEETING_DAGSORDEN_FRIGIVET)
        rc = agenda_release(s, meeting_id, true, e);
    else if (rc == 0 && sp.from == WF_MEETING_DAGSORDEN_FRIGIVET && sp.to == WF_MEETING_PLANLAGT)
        rc = agenda_release(s, meeting_id, false, e);
    if (rc == 0) /* release, cancel, recall: the guests' invitations follow (issue 8) */
        rc = invitations_sync_meeting(s, meeting_id, e);
    if (rc == 0) /* issue 9, publication: publishing and unpublishing the minutes */
        rc = pub_meeting_step(s, meeting_id, sp.from, sp.to, e);
    if (rc == 0) /* issue 9, live: start and afslut stamp the timetable */
        rc = live_meeting_step(s, meeting_id, sp.from, sp.to, a, e);
    /* ---- issue 10, notices: the subscribers' notices, queued in this transaction ---- */
    if (rc == 0)
        rc = notice_meeting_step(s, meeting_id, sp.from, sp.to, e);
    /* ---- end issue 10, notices ---- */
    if (rc == 0)
        rc = meeting_event(s, a, "meeting.transition", meeting_id, sp.version, sp.version + 1,
                           step_detail(&sp), e);
    if (rc == 0)
        return write_commit(s, e, "changing a meeting's state");
    rollback(s);
    return rc;
}

int store_case_transition(struct store *s, int64_t case_id, int base_version, const char *action,
                          const char *reason, const struct store_actor *a, struct err *e)
{
    struct step sp = {.m = &wf_case, .what = "case", .id = case_id,
                      .base_version = base_version, .action = action, .reason = reason};
    int rc = write_begin(s, e, "changing a case's state");
    if (rc < 0)
        return rc;
    /* A step changes the state, not the content: the version (one per stored source, which
     * store_check holds to) stays, and base_version is checked so that a step is taken on the
     * content the person saw. */
    rc = step_apply(s, &sp, "SELECT state, version, body_id, authored, created_by FROM \"case\" "
                            "WHERE id = ?1",
                    "UPDATE \"case\" SET state = ?2 WHERE id = ?1", a, e);
    if (rc == 0) /* ---- issue 9, minutes: no step of a case in minutes out or approved ---- */
        rc = minutes_case_step_check(s, case_id, action, e);
    /* issue 8: on a released agenda, a case is published once it is on it in earnest. */
    if (rc == 0)
        rc = agenda_case_step(s, case_id, e);
    if (rc == 0) /* on the agenda or off it: its guests' invitations follow (issue 8) */
        rc = invitations_sync(s, case_id, e);
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        json_t *o = step_detail(&sp);
        char *d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        struct event ev = {.action = "case.transition", .object = object, .before = sp.version,
                           .after = sp.version, .detail = d};
        rc = ledger_append(s, a, &ev, NULL, e);
        free(d);
    }
    if (rc == 0)
        return write_commit(s, e, "changing a case's state");
    rollback(s);
    return rc;
}
