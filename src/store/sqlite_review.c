/* sqlite_review: "send til gennemlæsning" (issue 8, editor): a frozen version of a case sent to
 * named people of its body, and their comments (store.h). */
#include "store_sqlite.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"

void store_account_refs_free(struct store_account_ref *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].login);
        free(v[i].name);
    }
    free(v);
}

static void read_person(sqlite3_stmt *st, void *elem)
{
    struct store_account_ref *p = elem;
    p->id = sqlite3_column_int64(st, 0);
    p->login = col_str(st, 1);
    p->name = col_str(st, 2);
}

static void persons_free(void *v, size_t n)
{
    store_account_refs_free(v, n);
}

static const struct rowtype person_rows = {sizeof(struct store_account_ref), "listing people",
                                           read_person, persons_free};

/* The case's body, when r reads its closed content. */
static int case_body(struct store *s, int64_t case_id, const struct reader *r, int64_t *body,
                     struct err *e)
{
    int roles = 0;
    int rc = store_case_roles(s, case_id, r, &roles, e);
    sqlite3_stmt *st;
    bool found = false;
    if (rc < 0)
        return rc;
    if (!(roles & ROLE_READS_CLOSED))
        return notfound(s, e, "no case with id %lld", (long long)case_id);
    if ((rc = stmt(s, "SELECT body_id FROM \"case\" WHERE id = ?1", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, body, &found, e, "reading a case")) == 0 && !found)
        rc = notfound(s, e, "no case with id %lld", (long long)case_id);
    return rc;
}

int store_case_people(struct store *s, int64_t case_id, const struct reader *r,
                      struct store_account_ref **v, size_t *n, struct err *e)
{
    int64_t body = 0;
    int rc = case_body(s, case_id, r, &body, e);
    sqlite3_stmt *st;
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT DISTINCT a.id, a.login, a.name FROM account a JOIN account_role r "
                      "ON r.account_id = a.id WHERE r.body_id = ?1 AND NOT a.disabled "
                      "ORDER BY a.name, a.id", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body);
    void *out = NULL;
    if ((rc = collect(s, st, &person_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

void store_review_fini(struct store_review *r)
{
    free(r->case_title);
    free(r->created_by);
    free(r->created_at);
    free(r->note);
}

void store_reviews_free(struct store_review *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_review_fini(&v[i]);
    free(v);
}

static void read_review(sqlite3_stmt *st, void *elem)
{
    struct store_review *r = elem;
    r->id = sqlite3_column_int64(st, 0);
    r->case_id = sqlite3_column_int64(st, 1);
    r->version = sqlite3_column_int(st, 2);
    r->case_title = col_str(st, 3);
    r->created_by = col_str(st, 4);
    r->created_at = col_str(st, 5);
    r->note = col_str(st, 6);
    r->ncomments = (size_t)sqlite3_column_int64(st, 7);
}

static void reviews_free(void *v, size_t n)
{
    store_reviews_free(v, n);
}

static const struct rowtype review_rows = {sizeof(struct store_review), "listing reviews",
                                           read_review, reviews_free};

#define REVIEW_COLS                                                                            \
    "SELECT v.id, v.case_id, v.version, c.title, coalesce(a.name, 'cli'), v.created_at, "      \
    "v.note, (SELECT count(*) FROM comment k WHERE k.review_id = v.id) FROM review v JOIN "    \
    "\"case\" c ON c.id = v.case_id LEFT JOIN account a ON a.id = v.created_by "

int store_review_send(struct store *s, int64_t case_id, int base_version,
                      const int64_t *members, size_t n, const char *note,
                      const struct store_actor *a, int64_t *review_id, struct err *e)
{
    sqlite3_stmt *st;
    int64_t body = 0, version = 0, id = 0;
    bool found = false;
    if (!n)
        return fail(s, e, ERR_USAGE, "members: choose whom to send the case to");
    int rc = write_begin(s, e, "sending a case for review");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT body_id FROM \"case\" WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        if ((rc = one_int(s, st, &body, &found, e, "reading a case")) == 0 && !found)
            rc = notfound(s, e, "no case with id %lld", (long long)case_id);
    }
    if (rc == 0 && !(actor_roles(a, body) & (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER)))
        rc = fail(s, e, ERR_DENIED, "sending case %lld for review needs the role sekretaer or "
                                    "sagsbehandler on its body", (long long)case_id);
    if (rc == 0 && (rc = stmt(s, "SELECT version FROM \"case\" WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = one_int(s, st, &version, &found, e, "reading a case");
    }
    if (rc == 0 && version != base_version)
        rc = fail(s, e, ERR_CONFLICT, "case %lld is at version %lld, not %d: nothing was sent",
                  (long long)case_id, (long long)version, base_version);
    char now[21];
    clock_iso(now);
    if (rc == 0 && (rc = stmt(s, "INSERT INTO review (case_id, version, created_by, created_at, "
                                 "note) VALUES (?1, ?2, ?3, ?4, ?5)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, version);
        sqlite3_bind_int64(st, 3, a && a->account_id ? a->account_id : 0);
        bind_str(st, 4, now);
        bind_str(st, 5, note && *note ? note : NULL);
        rc = insert(s, st, &id, e, "sending a case for review");
    }
    json_t *who = json_array();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int64_t ok = 0;
        if ((rc = stmt(s, "SELECT count(*) FROM account_role r JOIN account a ON a.id = "
                          "r.account_id WHERE r.account_id = ?1 AND r.body_id = ?2 AND NOT "
                          "a.disabled", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, members[i]);
        sqlite3_bind_int64(st, 2, body);
        if ((rc = one_int(s, st, &ok, &found, e, "checking a member")) < 0)
            break;
        if (!ok) {
            rc = fail(s, e, ERR_USAGE, "members: account %lld has no role on the case's body",
                      (long long)members[i]);
            break;
        }
        if ((rc = stmt(s, "INSERT OR IGNORE INTO review_member (review_id, account_id) VALUES "
                          "(?1, ?2)", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, members[i]);
        rc = run(s, st, e, "sending a case for review");
        json_array_append_new(who, json_integer(members[i]));
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        json_t *o = json_pack("{s:I,s:I,s:o}", "review", (json_int_t)id, "version",
                              (json_int_t)version, "members", who);
        who = NULL;
        char *d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        struct event ev = {.action = "case.review", .object = object, .before = (int)version,
                           .after = (int)version, .detail = d};
        rc = ledger_append(s, a, &ev, NULL, e);
        free(d);
    }
    json_decref(who);
    if (rc == 0)
        rc = write_commit(s, e, "sending a case for review");
    else
        rollback(s);
    if (rc == 0 && review_id)
        *review_id = id;
    return rc;
}

int store_case_reviews(struct store *s, int64_t case_id, const struct reader *r,
                       struct store_review **v, size_t *n, struct err *e)
{
    int64_t body = 0;
    int rc = case_body(s, case_id, r, &body, e);
    sqlite3_stmt *st;
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, REVIEW_COLS "WHERE v.case_id = ?1 ORDER BY v.id DESC LIMIT 100", &st,
                   e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    void *out = NULL;
    if ((rc = collect(s, st, &review_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

int store_reviews_for(struct store *s, int64_t account_id, struct store_review **v, size_t *n,
                      struct err *e)
{
    sqlite3_stmt *st;
    /* Only while the person still holds a role on the case's body. */
    int rc = stmt(s, REVIEW_COLS "JOIN review_member m ON m.review_id = v.id WHERE "
                                 "m.account_id = ?1 AND EXISTS (SELECT 1 FROM account_role r "
                                 "WHERE r.account_id = m.account_id AND r.body_id = c.body_id) "
                                 "ORDER BY v.id DESC LIMIT 100", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, account_id);
    void *out = NULL;
    if ((rc = collect(s, st, &review_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

int store_review_get(struct store *s, int64_t case_id, int64_t review_id, const struct reader *r,
                     int64_t account_id, struct store_review *out, bool *is_member,
                     struct err *e)
{
    int64_t body = 0;
    int rc = case_body(s, case_id, r, &body, e);
    sqlite3_stmt *st;
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, REVIEW_COLS "WHERE v.id = ?1 AND v.case_id = ?2", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, review_id);
    sqlite3_bind_int64(st, 2, case_id);
    struct store_review rv = {0};
    rc = first_row(s, st, e, "reading a review", "no review %lld of case %lld",
                   (long long)review_id, (long long)case_id);
    if (rc == 0)
        read_review(st, &rv);
    fin(st);
    if (rc < 0)
        return rc;
    int64_t m = 0;
    bool found = false;
    if ((rc = stmt(s, "SELECT count(*) FROM review_member WHERE review_id = ?1 AND "
                      "account_id = ?2", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, review_id);
        sqlite3_bind_int64(st, 2, account_id);
        rc = one_int(s, st, &m, &found, e, "reading a review");
    }
    if (rc < 0) {
        store_review_fini(&rv);
        return rc;
    }
    *out = rv;
    *is_member = m > 0;
    return 0;
}

void store_comments_free(struct store_comment *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].author);
        free(v[i].text);
        free(v[i].created_at);
    }
    free(v);
}

static void read_comment(sqlite3_stmt *st, void *elem)
{
    struct store_comment *c = elem;
    c->id = sqlite3_column_int64(st, 0);
    c->version = sqlite3_column_int(st, 1);
    c->author = col_str(st, 2);
    c->text = col_str(st, 3);
    c->created_at = col_str(st, 4);
}

static void comments_free(void *v, size_t n)
{
    store_comments_free(v, n);
}

static const struct rowtype comment_rows = {sizeof(struct store_comment), "listing comments",
                                            read_comment, comments_free};

int store_review_comments(struct store *s, int64_t review_id, struct store_comment **v,
                          size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "SELECT k.id, k.version, a.name, k.text, k.created_at FROM comment k JOIN "
                     "account a ON a.id = k.account_id WHERE k.review_id = ?1 ORDER BY k.id "
                     "LIMIT 1000", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, review_id);
    void *out = NULL;
    if ((rc = collect(s, st, &comment_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

int store_review_comment(struct store *s, int64_t review_id, const char *text,
                         const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    if (!text || !*text)
        return fail(s, e, ERR_USAGE, "text: a comment needs a text");
    int rc = write_begin(s, e, "commenting on a case");
    if (rc < 0)
        return rc;
    int64_t case_id = 0, version = 0, member = 0;
    bool found = false;
    if ((rc = stmt(s, "SELECT v.case_id, v.version, (SELECT count(*) FROM review_member m "
                      "WHERE m.review_id = v.id AND m.account_id = ?2) FROM review v WHERE "
                      "v.id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, review_id);
        sqlite3_bind_int64(st, 2, a ? a->account_id : 0);
        rc = first_row(s, st, e, "commenting on a case", "no review %lld", (long long)review_id);
        if (rc == 0) {
            case_id = sqlite3_column_int64(st, 0);
            version = sqlite3_column_int64(st, 1);
            member = sqlite3_column_int64(st, 2);
        }
        fin(st);
    }
    if (rc == 0 && (!a || !a->account_id || !member))
        rc = fail(s, e, ERR_DENIED, "only the people review %lld was sent to comment on it",
                  (long long)review_id);
    char now[21];
    clock_iso(now);
    int64_t id = 0;
    if (rc == 0 && (rc = stmt(s, "INSERT INTO comment (case_id, version, review_id, account_id, "
                                 "text, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st,
                              e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, version);
        sqlite3_bind_int64(st, 3, review_id);
        sqlite3_bind_int64(st, 4, a->account_id);
        bind_str(st, 5, text);
        bind_str(st, 6, now);
        rc = insert(s, st, &id, e, "commenting on a case");
    }
    if (rc == 0) {
        char object[40], detail[96];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        snprintf(detail, sizeof detail, "{\"review\":%lld,\"comment\":%lld}",
                 (long long)review_id, (long long)id);
        struct event ev = {.action = "case.comment", .object = object, .before = (int)version,
                           .after = (int)version, .detail = detail};
        rc = ledger_append(s, a, &ev, NULL, e);
    }
    (void)found;
    if (rc == 0)
        return write_commit(s, e, "commenting on a case");
    rollback(s);
    return rc;
}
