/* sqlite_decision: the decision page's own tables (issue 9, store.h's decisions block): the
 * minute-taker's private notes, rejected follow-up suggestions, and the draft of a case
 * treated again. The decisions are the case's model and go through store_case_save. */
#include "store_sqlite.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NOTE_MAX_BYTES = 10000 };

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* The case's owning body, inside the caller's transaction. */
static int owner_body(struct store *s, int64_t case_id, int64_t *body, struct err *e)
{
    sqlite3_stmt *st;
    bool found = false;
    int rc = stmt(s, "SELECT body_id FROM \"case\" WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, body, &found, e, "reading a case")) == 0 && !found)
        rc = notfound(s, e, "no case with id %lld", (long long)case_id);
    return rc;
}

/* The number of sub-items of the case's current model. */
static int subitems_of(struct store *s, int64_t case_id, int64_t *n, struct err *e)
{
    sqlite3_stmt *st;
    bool found = false;
    int rc = stmt(s, "SELECT count(*) FROM subitem WHERE case_id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    return one_int(s, st, n, &found, e, "counting a case's sub-items");
}

/* A write of the decision page: the sekretær of the case's body, a sub-item it has. */
static int check_write(struct store *s, int64_t case_id, size_t subitem,
                       const struct store_actor *a, const char *what, struct err *e)
{
    int64_t body = 0, n = 0;
    int rc = owner_body(s, case_id, &body, e);
    if (rc == 0 && !(actor_roles(a, body) & ROLE_SEKRETAER))
        rc = fail(s, e, ERR_DENIED, "%s of case %lld needs the role sekretaer on its body", what,
                  (long long)case_id);
    if (rc == 0 && (rc = subitems_of(s, case_id, &n, e)) == 0 && subitem > (size_t)n)
        rc = fail(s, e, ERR_USAGE, "subitem: case %lld has %lld sub-items, not %zu",
                  (long long)case_id, (long long)n, subitem);
    return rc;
}

static int event(struct store *s, const struct store_actor *a, const char *action, int64_t case_id,
                 json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "case:%lld", (long long)case_id);
    return ledger_append_json(s, a, (struct event){.action = action, .object = object}, detail,
                              e);
}

/* ---- notes ---- */

void store_case_notes_free(struct store_case_note *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].author);
        free(v[i].created_at);
        free(v[i].text);
    }
    free(v);
}

static void read_note(sqlite3_stmt *st, void *elem)
{
    struct store_case_note *n = elem;
    n->id = sqlite3_column_int64(st, 0);
    n->subitem = (size_t)sqlite3_column_int64(st, 1);
    n->author = col_str(st, 2);
    n->created_at = col_str(st, 3);
    n->text = col_str(st, 4);
}

static void notes_free(void *v, size_t n)
{
    store_case_notes_free(v, n);
}

static const struct rowtype note_rows = {sizeof(struct store_case_note), "listing notes", read_note,
                                         notes_free};

int store_case_notes(struct store *s, int64_t case_id, const struct reader *r,
                     struct store_case_note **v, size_t *n, struct err *e)
{
    int roles = 0;
    int rc = store_case_roles(s, case_id, r, &roles, e);
    sqlite3_stmt *st;
    if (rc < 0)
        return rc;
    if (!(roles & ROLE_READS_CLOSED))
        return notfound(s, e, "no case with id %lld", (long long)case_id);
    if (!(roles & ROLE_SEKRETAER))
        return fail(s, e, ERR_DENIED, "the notes of case %lld are the sekretaer's",
                    (long long)case_id);
    if ((rc = stmt(s,
                   "SELECT id, subitem, author_name, created_at, text FROM case_note WHERE "
                   "case_id = ?1 ORDER BY id LIMIT ?2",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int(st, 2, STORE_PAGE_MAX);
    void *out = NULL;
    if ((rc = collect(s, st, &note_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

int store_case_note_add(struct store *s, int64_t case_id, size_t subitem, const char *text,
                        const struct store_actor *a, int64_t *id_out, struct err *e)
{
    if (blank(text))
        return fail(s, e, ERR_USAGE, "note: a note needs a text");
    if (strlen(text) > NOTE_MAX_BYTES)
        return fail(s, e, ERR_USAGE, "note: at most %d bytes", NOTE_MAX_BYTES);
    int rc = write_begin(s, e, "adding a note");
    sqlite3_stmt *st;
    int64_t id = 0, count = 0;
    bool found = false;
    char now[21], tools[80];
    if (rc < 0)
        return rc;
    if ((rc = check_write(s, case_id, subitem, a, "a note", e)) < 0)
        goto done;
    if ((rc = stmt(s, "SELECT count(*) FROM case_note WHERE case_id = ?1", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, &count, &found, e, "counting notes")) < 0)
        goto done;
    if (count >= STORE_PAGE_MAX) {
        rc = fail(s, e, ERR_LIMIT, "note: case %lld has %d notes, the most it may have",
                  (long long)case_id, STORE_PAGE_MAX);
        goto done;
    }
    store_now(now);
    if ((rc = stmt(s,
                   "INSERT INTO case_note (case_id, subitem, author, author_name, "
                   "created_at, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)subitem);
    bind_id(st, 3, a ? a->account_id : 0);
    bind_str(st, 4, actor_name(a, tools));
    bind_str(st, 5, now);
    bind_str(st, 6, text);
    if ((rc = insert(s, st, &id, e, "adding a note")) < 0)
        goto done;
    /* The ledger says that a note was written, never what it says. */
    if ((rc = event(s, a, "case.note", case_id,
                    json_pack("{s:I,s:I}", "note", (json_int_t)id, "subitem", (json_int_t)subitem),
                    e)) < 0)
        goto done;
    if ((rc = write_commit(s, e, "adding a note")) == 0 && id_out)
        *id_out = id;
    return rc;
done:
    rollback(s);
    return rc;
}

/* ---- rejected suggestions ---- */

void store_decision_rejections_free(struct store_decision_rejection *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].owner);
        free(v[i].text);
    }
    free(v);
}

static void read_rejection(sqlite3_stmt *st, void *elem)
{
    struct store_decision_rejection *r = elem;
    r->subitem = (size_t)sqlite3_column_int64(st, 0);
    r->owner = col_str(st, 1);
    r->text = col_str(st, 2);
}

static void rejections_free(void *v, size_t n)
{
    store_decision_rejections_free(v, n);
}

static const struct rowtype rejection_rows = {sizeof(struct store_decision_rejection),
                                              "listing rejected suggestions", read_rejection,
                                              rejections_free};

int store_decision_rejections(struct store *s, int64_t case_id, const struct reader *r,
                              struct store_decision_rejection **v, size_t *n, struct err *e)
{
    int roles = 0;
    int rc = store_case_roles(s, case_id, r, &roles, e);
    sqlite3_stmt *st;
    if (rc < 0)
        return rc;
    if (!(roles & ROLE_READS_CLOSED))
        return notfound(s, e, "no case with id %lld", (long long)case_id);
    if ((rc = stmt(s,
                   "SELECT subitem, owner, text FROM decision_rejection WHERE case_id = ?1 "
                   "ORDER BY subitem, owner, text LIMIT ?2",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int(st, 2, STORE_PAGE_MAX);
    void *out = NULL;
    if ((rc = collect(s, st, &rejection_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

int store_decision_reject(struct store *s, int64_t case_id, size_t subitem, const char *owner,
                          const char *text, const struct store_actor *a, struct err *e)
{
    if (blank(owner) || blank(text))
        return fail(s, e, ERR_USAGE, "suggestion: a rejected suggestion needs its owner and text");
    int rc = write_begin(s, e, "rejecting a suggestion");
    sqlite3_stmt *st;
    char now[21], tools[80];
    if (rc < 0)
        return rc;
    if ((rc = check_write(s, case_id, subitem, a, "rejecting a suggestion", e)) < 0)
        goto done;
    store_now(now);
    if ((rc = stmt(s,
                   "INSERT OR IGNORE INTO decision_rejection (case_id, subitem, owner, text, "
                   "rejected_by, rejected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)subitem);
    bind_str(st, 3, owner);
    bind_str(st, 4, text);
    bind_str(st, 5, actor_name(a, tools));
    bind_str(st, 6, now);
    if ((rc = run(s, st, e, "rejecting a suggestion")) < 0)
        goto done;
    if (sqlite3_changes(s->db) == 0) { /* rejected before: nothing to record */
        rollback(s);
        return 0;
    }
    if ((rc = event(s, a, "decision.reject", case_id,
                    json_pack("{s:I}", "subitem", (json_int_t)subitem), e)) < 0)
        goto done;
    return write_commit(s, e, "rejecting a suggestion");
done:
    rollback(s);
    return rc;
}

/* ---- the draft of a case treated again ---- */

int store_decision_draft_get(struct store *s, int64_t case_id, const struct reader *r,
                             int64_t *draft_id, struct err *e)
{
    int roles = 0;
    int rc = store_case_roles(s, case_id, r, &roles, e);
    sqlite3_stmt *st;
    bool found = false;
    int64_t id = 0;
    if (rc < 0)
        return rc;
    if (!(roles & ROLE_READS_CLOSED))
        return notfound(s, e, "no case with id %lld", (long long)case_id);
    if ((rc = stmt(s, "SELECT draft_id FROM decision_draft WHERE case_id = ?1", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, &id, &found, e, "reading a case's draft")) == 0)
        *draft_id = found ? id : 0;
    return rc;
}

/* "2023-12-20" -> "20-12-2023", as the minutes write a date. */
static void danish_date(const char *iso, char out[11])
{
    if (iso && strlen(iso) == 10)
        snprintf(out, 11, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
    else
        snprintf(out, 11, "%s", iso ? iso : "");
}

int store_decision_draft(struct store *s, int64_t case_id, const struct store_actor *a,
                         int64_t *draft_out, int64_t *meeting_out, struct err *e)
{
    struct case_doc *src = NULL, *draft = NULL;
    char *code = NULL, *date = NULL, *body_name = NULL;
    int64_t body = 0, meeting = 0, existing = 0, draft_id = 0;
    bool found = false;
    sqlite3_stmt *st;
    struct buf text = BUF_INIT;
    int rc = write_begin(s, e, "making the draft of a case treated again");
    if (rc < 0)
        return rc;
    if ((rc = check_write(s, case_id, 0, a, "a draft for the next meeting", e)) < 0)
        goto done;
    if ((rc = stmt(s, "SELECT draft_id FROM decision_draft WHERE case_id = ?1", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, &existing, &found, e, "reading a case's draft")) < 0)
        goto done;
    if (found) {
        rc = fail(s, e, ERR_CONFLICT,
                  "case %lld already has its draft for the next meeting: "
                  "case %lld",
                  (long long)case_id, (long long)existing);
        goto done;
    }
    if ((rc = owner_body(s, case_id, &body, e)) < 0 || (rc = load_case(s, case_id, &src, e)) < 0)
        goto done;
    /* The case's meeting (its latest), and the body's next planned one after it. */
    if ((rc = stmt(s,
                   "SELECT m.date FROM agenda g JOIN meeting m ON m.id = g.meeting_id WHERE "
                   "g.case_id = ?1 ORDER BY m.date DESC, m.id DESC LIMIT 1",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    bool row = false;
    if ((rc = next_row(s, st, &row, e, "reading the case's meeting")) == 0 && row)
        date = col_str(st, 0);
    fin(st);
    if (rc < 0)
        goto done;
    if ((rc = stmt(s,
                   "SELECT id FROM meeting WHERE body_id = ?1 AND state = 'planlagt' AND "
                   "date > coalesce(?2, '') ORDER BY date, id LIMIT 1",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, body);
    bind_str(st, 2, date);
    if ((rc = one_int(s, st, &meeting, &found, e, "finding the next meeting")) < 0)
        goto done;
    if (!found)
        meeting = 0;
    if ((rc = stmt(s, "SELECT code, name FROM body WHERE id = ?1", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, body);
    if ((rc = first_row(s, st, e, "reading a body", "no body with id %lld", (long long)body)) ==
        0) {
        code = col_str(st, 0);
        body_name = col_str(st, 1);
    }
    fin(st);
    if (rc < 0)
        goto done;
    draft = case_new();
    draft->title = xstrdup(src->title);
    draft->public = src->public;
    draft->public_title = src->public_title ? xstrdup(src->public_title) : NULL;
    for (size_t i = 0; i < src->nroute; i++)
        *case_add_route(draft) = xstrdup(src->route[i]);
    char dk[11];
    danish_date(date, dk);
    buf_printf(&text, "Sagen behandles igen efter %s", body_name ? body_name : code);
    if (date)
        buf_printf(&text, "s møde den %s", dk);
    buf_printf(&text, " (sag %lld).", (long long)case_id);
    draft->presentation = buf_detach(&text);
    struct store_save sv = {.meeting_id = meeting, .body = meeting ? NULL : code, .model = draft};
    if ((rc = case_save_in(s, &sv, a, &draft_id, NULL, e)) < 0)
        goto done;
    if ((rc = stmt(s,
                   "INSERT INTO decision_draft (case_id, draft_id, meeting_id) VALUES (?1, "
                   "?2, ?3)",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, draft_id);
    bind_id(st, 3, meeting);
    if ((rc = run(s, st, e, "recording the draft")) < 0)
        goto done;
    json_t *d = json_pack("{s:I}", "draft", (json_int_t)draft_id);
    if (meeting)
        json_object_set_new(d, "meeting", json_integer(meeting));
    if ((rc = event(s, a, "decision.draft", case_id, d, e)) < 0)
        goto done;
    if ((rc = write_commit(s, e, "making the draft of a case treated again")) < 0)
        goto out;
    if (draft_out)
        *draft_out = draft_id;
    if (meeting_out)
        *meeting_out = meeting;
    goto out;
done:
    rollback(s);
out:
    buf_free(&text);
    case_free(src);
    case_free(draft);
    free(code);
    free(date);
    free(body_name);
    return rc;
}
