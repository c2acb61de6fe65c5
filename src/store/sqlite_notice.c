/* sqlite_notice: citizens' e-mail subscriptions to a body's agendas and minutes on SQLite
 * (issue 10, notices): double opt-in, the links' hashed tokens, the outbox written inside
 * the release's and the publication's transaction, and how each send went. */
#include "store_sqlite.h"
#include "../model/workflow.h"
#include "../util/clock.h"
#include "../util/email.h"
#include "../util/secret.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 3600 /* seconds of the subscribe throttle's window */

static bool topic_ok(const char *t)
{
    return t && (strcmp(t, "dagsordener") == 0 || strcmp(t, "referater") == 0 ||
                 strcmp(t, "begge") == 0);
}

/* BLAKE2b-256 (hex) of the lower-case address: what the ledger and uniqueness use. */
static void email_hash(const char *email, char out[65])
{
    size_t n = strlen(email);
    char *low = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)email[i]);
    low[n] = '\0';
    store_hash(low, n, out);
    sodium_memzero(low, n);
    free(low);
}

/* An event on the body (object "body:ID", as the body's other events). */
static int notice_event(struct store *s, const struct store_actor *a, const char *action,
                        int64_t body_id, json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "body:%lld", (long long)body_id);
    return ledger_append_json(s, a, (struct event){.action = action, .object = object}, detail,
                              e);
}

/* Counts one more for key within the window; *over: max were counted already (nothing
 * counted then). */
static int count_once(struct store *s, const char *key, long max, bool *over, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t failures = 0, first = 0;
    bool row = false;
    time_t now = clock_now();
    *over = false;
    int rc = stmt(s, "SELECT failures, first_at FROM throttle WHERE key = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, key);
    if ((rc = next_row(s, st, &row, e, "counting subscriptions")) == 0 && row) {
        failures = sqlite3_column_int64(st, 0);
        first = sqlite3_column_int64(st, 1);
    }
    fin(st);
    if (rc < 0)
        return rc;
    if (!row || now - first > WINDOW || now < first) {
        failures = 0;
        first = now;
    }
    if (failures >= max) {
        *over = true;
        return 0;
    }
    if ((rc = stmt(s, "INSERT INTO throttle (key, failures, first_at, until) VALUES (?1, ?2, "
                      "?3, 0) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
                      "first_at = excluded.first_at", &st, e)) < 0)
        return rc;
    bind_str(st, 1, key);
    sqlite3_bind_int64(st, 2, failures + 1);
    sqlite3_bind_int64(st, 3, first);
    return run(s, st, e, "counting subscriptions");
}

int store_notice_subscribe(struct store *s, const char *body_code, const char *email,
                           const char *topic, const char *client, const struct store_actor *a,
                           struct err *e)
{
    sqlite3_stmt *st = NULL;
    char hash[65], key[128], now[21];
    int64_t body_id = 0, sub_id = 0;
    bool found = false, over = false;
    /* The address as typed, without the spaces around it. */
    const char *p = email ? email : "";
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    char *addr = xmalloc(n + 1);
    memcpy(addr, p, n);
    addr[n] = '\0';
    int rc = 0;
    if (!n) {
        rc = fail(s, e, ERR_USAGE, "email: an e-mail address is needed");
        goto out;
    }
    if (!email_ok(addr)) {
        rc = fail(s, e, ERR_USAGE, "email: not an e-mail address (name@example.dk)");
        goto out;
    }
    if (!topic_ok(topic)) {
        rc = fail(s, e, ERR_USAGE, "topic: choose dagsordener, referater or begge");
        goto out;
    }
    email_hash(addr, hash);
    store_now(now);
    if ((rc = write_begin(s, e, "subscribing")) < 0)
        goto out;
    if ((rc = stmt(s, "SELECT id FROM body WHERE code = ?1 ORDER BY id LIMIT 1", &st, e)) == 0) {
        bind_str(st, 1, body_code);
        rc = one_int(s, st, &body_id, &found, e, "subscribing");
    }
    if (rc == 0 && !found)
        rc = notfound(s, e, "no body with code %.40s", body_code ? body_code : "");
    if (rc == 0) {
        snprintf(key, sizeof key, "notice-client:%.100s", client ? client : "-");
        rc = count_once(s, key, STORE_NOTICE_PER_CLIENT, &over, e);
        if (rc == 0 && over)
            rc = fail(s, e, ERR_BUSY, "too many subscriptions from this address; try again "
                                      "in an hour");
    }
    if (rc == 0) {
        snprintf(key, sizeof key, "notice-addr:%s", hash);
        rc = count_once(s, key, STORE_NOTICE_PER_ADDRESS, &over, e);
    }
    if (rc < 0 || over) /* over: the same answer, nothing more queued */
        goto commit;
    if ((rc = stmt(s, "INSERT INTO notice_subscription (body_id, email, email_hash, requested, "
                      "state, created_at) VALUES (?1, ?2, ?3, ?4, 'pending', ?5) "
                      "ON CONFLICT (body_id, email_hash) DO UPDATE SET email = excluded.email, "
                      "requested = excluded.requested, "
                      "bounces = CASE WHEN state = 'confirmed' THEN bounces ELSE 0 END, "
                      "state = CASE WHEN state = 'confirmed' THEN state ELSE 'pending' END",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, body_id);
        bind_str(st, 2, addr);
        bind_str(st, 3, hash);
        bind_str(st, 4, topic);
        bind_str(st, 5, now);
        rc = run(s, st, e, "subscribing");
    }
    if (rc == 0 && (rc = stmt(s, "SELECT id FROM notice_subscription WHERE body_id = ?1 AND "
                                 "email_hash = ?2", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, body_id);
        bind_str(st, 2, hash);
        rc = one_int(s, st, &sub_id, &found, e, "subscribing");
    }
    /* Only the newest confirmation is sent. */
    if (rc == 0 && (rc = stmt(s, "UPDATE notice_outbox SET state = 'dropped' WHERE "
                                 "subscription_id = ?1 AND kind = 'confirm' AND "
                                 "state = 'pending'", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, sub_id);
        rc = run(s, st, e, "subscribing");
    }
    if (rc == 0 && (rc = stmt(s, "INSERT INTO notice_outbox (subscription_id, kind, created_at) "
                                 "VALUES (?1, 'confirm', ?2)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, sub_id);
        bind_str(st, 2, now);
        rc = run(s, st, e, "subscribing");
    }
    if (rc == 0)
        rc = notice_event(s, a, "notice.subscribe", body_id,
                          json_pack("{s:I,s:s,s:s}", "subscription", (json_int_t)sub_id,
                                    "subscriber", hash, "topic", topic),
                          e);
commit:
    if (rc == 0)
        rc = write_commit(s, e, "subscribing");
    if (rc < 0)
        rollback(s);
out:
    sodium_memzero(addr, n);
    free(addr);
    return rc;
}

/* ---- the links ---- */

void store_notice_link_fini(struct store_notice_link *l)
{
    if (!l)
        return;
    free(l->body_code);
    free(l->body_name);
    free(l->topic);
    free(l->state);
    memset(l, 0, sizeof *l);
}

/* The subscription of a token (its hash) for purpose, or ERR_NOTFOUND. */
static int token_sub(struct store *s, const char *token, const char *purpose, int64_t *sub,
                     struct store_notice_link *l, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char hash[65];
    size_t n = token ? strlen(token) : 0;
    store_hash(token ? token : "", n, hash);
    int rc = stmt(s, "SELECT ns.id, b.code, b.name, CASE WHEN t.purpose = 'confirm' THEN "
                     "ns.requested ELSE ns.topic END, ns.state FROM notice_token t "
                     "JOIN notice_subscription ns ON ns.id = t.subscription_id "
                     "JOIN body b ON b.id = ns.body_id WHERE t.hash = ?1 AND t.purpose = ?2 "
                     "AND (t.expires_at IS NULL OR t.expires_at > ?3)", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, hash);
    bind_str(st, 2, purpose);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)clock_now());
    bool row = false;
    if ((rc = next_row(s, st, &row, e, "reading a subscription link")) == 0 && row) {
        *sub = sqlite3_column_int64(st, 0);
        if (l) {
            l->body_code = col_str(st, 1);
            l->body_name = col_str(st, 2);
            l->topic = col_str(st, 3);
            l->state = col_str(st, 4);
        }
    }
    fin(st);
    if (rc == 0 && (!row || n != STORE_NOTICE_TOKEN_LEN)) {
        if (l)
            store_notice_link_fini(l);
        rc = notfound(s, e, "no such link (or it has expired)");
    }
    return rc;
}

int store_notice_link_get(struct store *s, const char *token, const char *purpose,
                          struct store_notice_link *out, struct err *e)
{
    struct store_notice_link l = {0};
    int64_t sub = 0;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = token_sub(s, token, purpose, &sub, &l, e);
    read_end(s);
    if (rc == 0)
        *out = l;
    return rc;
}

/* The subscription's address hash and body, for its events. */
static int sub_hash(struct store *s, int64_t sub, char **hash, int64_t *body_id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT email_hash, body_id FROM notice_subscription WHERE id = ?1", &st,
                  e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, sub);
    if ((rc = first_row(s, st, e, "reading a subscription", "no subscription %lld",
                        (long long)sub)) == 0) {
        *hash = col_str(st, 0);
        *body_id = sqlite3_column_int64(st, 1);
    }
    fin(st);
    return rc;
}

/* Runs one statement with ?1 bound to id. */
static int run_id(struct store *s, const char *sql, int64_t id, struct err *e,
                  const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, sql, &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, id);
        rc = run(s, st, e, what);
    }
    return rc;
}

int store_notice_confirm(struct store *s, const char *token, const struct store_actor *a,
                         struct err *e)
{
    struct store_notice_link l = {0};
    int64_t sub = 0, body_id = 0;
    char *hash = NULL, now[21];
    sqlite3_stmt *st = NULL;
    store_now(now);
    int rc = write_begin(s, e, "confirming a subscription");
    if (rc < 0)
        return rc;
    if ((rc = token_sub(s, token, "confirm", &sub, &l, e)) == 0)
        rc = sub_hash(s, sub, &hash, &body_id, e);
    if (rc == 0 && (rc = stmt(s, "UPDATE notice_subscription SET state = 'confirmed', "
                                 "topic = requested, confirmed_at = ?2, bounces = 0 "
                                 "WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, sub);
        bind_str(st, 2, now);
        rc = run(s, st, e, "confirming a subscription");
    }
    if (rc == 0)
        rc = run_id(s, "DELETE FROM notice_token WHERE subscription_id = ?1 AND "
                       "purpose = 'confirm'", sub, e, "confirming a subscription");
    if (rc == 0)
        rc = notice_event(s, a, "notice.confirm", body_id,
                          json_pack("{s:I,s:s,s:s}", "subscription", (json_int_t)sub,
                                    "subscriber", hash, "topic", l.topic),
                          e);
    if (rc == 0)
        rc = write_commit(s, e, "confirming a subscription");
    if (rc < 0)
        rollback(s);
    store_notice_link_fini(&l);
    free(hash);
    return rc;
}

int store_notice_unsubscribe(struct store *s, const char *token, const struct store_actor *a,
                             struct err *e)
{
    struct store_notice_link l = {0};
    int64_t sub = 0, body_id = 0;
    char *hash = NULL;
    int rc = write_begin(s, e, "ending a subscription");
    if (rc < 0)
        return rc;
    if ((rc = token_sub(s, token, "unsubscribe", &sub, &l, e)) == 0 &&
        strcmp(l.state, "unsubscribed") == 0) {
        /* A second click: nothing changes. */
        rollback(s);
        store_notice_link_fini(&l);
        return 0;
    }
    if (rc == 0)
        rc = sub_hash(s, sub, &hash, &body_id, e);
    /* The address is not kept once it is no longer used: a new subscription brings it. */
    if (rc == 0)
        rc = run_id(s, "UPDATE notice_subscription SET state = 'unsubscribed', email = '' "
                       "WHERE id = ?1", sub, e, "ending a subscription");
    if (rc == 0)
        rc = run_id(s, "UPDATE notice_outbox SET state = 'dropped' WHERE subscription_id = ?1 "
                       "AND state = 'pending'", sub, e, "ending a subscription");
    if (rc == 0)
        rc = run_id(s, "DELETE FROM notice_token WHERE subscription_id = ?1 AND "
                       "purpose = 'confirm'", sub, e, "ending a subscription");
    if (rc == 0)
        rc = notice_event(s, a, "notice.unsubscribe", body_id,
                          json_pack("{s:I,s:s}", "subscription", (json_int_t)sub, "subscriber",
                                    hash),
                          e);
    if (rc == 0)
        rc = write_commit(s, e, "ending a subscription");
    if (rc < 0)
        rollback(s);
    store_notice_link_fini(&l);
    free(hash);
    return rc;
}

int store_notice_token_new(struct store *s, int64_t subscription_id, const char *purpose,
                           const struct store_actor *a, char token[STORE_NOTICE_TOKEN_LEN + 1],
                           struct err *e)
{
    sqlite3_stmt *st = NULL;
    char t[STORE_NOTICE_TOKEN_LEN + 1], hash[65], now[21];
    bool confirm = purpose && strcmp(purpose, "confirm") == 0;
    if (!a || !a->reader || !a->reader->all)
        return fail(s, e, ERR_DENIED, "only the outbox makes subscription links");
    if (!confirm && !(purpose && strcmp(purpose, "unsubscribe") == 0))
        return fail(s, e, ERR_USAGE, "purpose: confirm or unsubscribe");
    store_now(now);
    int rc = write_begin(s, e, "making a subscription link");
    if (rc < 0)
        return rc;
    /* A confirmation link replaces the earlier ones: only the newest mail's works. */
    if (confirm)
        rc = run_id(s, "DELETE FROM notice_token WHERE subscription_id = ?1 AND "
                       "purpose = 'confirm'", subscription_id, e, "making a subscription link");
    secret_random(NULL, t, sizeof t);
    store_hash(t, strlen(t), hash);
    if (rc == 0 && (rc = stmt(s, "INSERT INTO notice_token (hash, subscription_id, purpose, "
                                 "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", &st,
                              e)) == 0) {
        bind_str(st, 1, hash);
        sqlite3_bind_int64(st, 2, subscription_id);
        bind_str(st, 3, confirm ? "confirm" : "unsubscribe");
        bind_str(st, 4, now);
        if (confirm)
            sqlite3_bind_int64(st, 5, (sqlite3_int64)clock_now() + STORE_NOTICE_CONFIRM_SECONDS);
        else
            sqlite3_bind_null(st, 5);
        rc = run(s, st, e, "making a subscription link");
    }
    if (rc == 0)
        rc = write_commit(s, e, "making a subscription link");
    if (rc < 0)
        rollback(s);
    else
        memcpy(token, t, sizeof t);
    sodium_memzero(t, sizeof t);
    return rc;
}

/* ---- the outbox ---- */

void store_notices_free(struct store_notice *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].kind);
        if (v[i].email)
            sodium_memzero(v[i].email, strlen(v[i].email));
        free(v[i].email);
        free(v[i].email_hash);
        free(v[i].topic);
        free(v[i].body_code);
        free(v[i].body_name);
        free(v[i].date);
        free(v[i].start);
        free(v[i].place);
        for (size_t k = 0; k < v[i].nitems; k++)
            free(v[i].items[k]);
        free(v[i].items);
    }
    free(v);
}

static void read_notice(sqlite3_stmt *st, void *elem)
{
    struct store_notice *x = elem;
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(st, 0);
    x->subscription_id = sqlite3_column_int64(st, 1);
    x->meeting_id = sqlite3_column_int64(st, 2);
    x->kind = col_str(st, 3);
    x->email = col_str(st, 4);
    x->email_hash = col_str(st, 5);
    x->topic = col_str(st, 6);
    x->body_code = col_str(st, 7);
    x->body_name = col_str(st, 8);
    x->date = col_str(st, 9);
    x->start = col_str(st, 10);
    x->place = col_str(st, 11);
    x->attempts = sqlite3_column_int(st, 12);
}

static void free_notices(void *v, size_t n)
{
    store_notices_free(v, n);
}

static const struct rowtype notice_rows = {sizeof(struct store_notice), "listing notices",
                                           read_notice, free_notices};

/* The titles of the meeting's agenda as the public reads them (?9 is the public). */
static int agenda_titles(struct store *s, struct store_notice *x, struct err *e)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = stmt(s, "SELECT " CASE_TITLE("c", "?9") " FROM agenda a JOIN \"case\" c "
                     "ON c.id = a.case_id WHERE a.meeting_id = ?1 AND " CASE_LISTED("c", "?9")
                     " ORDER BY a.pos LIMIT 200", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, x->meeting_id);
    bind_reader(st, 9, NULL);
    bool row = false;
    while ((rc = next_row(s, st, &row, e, "reading an agenda")) == 0 && row) {
        x->items = grow(x->items, x->nitems, &cap, sizeof *x->items);
        x->items[x->nitems++] = col_str(st, 0);
    }
    fin(st);
    return rc;
}

int store_notices_due(struct store *s, const struct reader *r, struct store_notice **v,
                      size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out = NULL;
    size_t k = 0;
    if (!r || !r->all)
        return fail(s, e, ERR_DENIED, "only the outbox reads the subscribers");
    int rc = read_begin(s, e);
    if (rc == 0 &&
        (rc = stmt(s, "SELECT o.id, o.subscription_id, coalesce(o.meeting_id, 0), o.kind, "
                      "ns.email, ns.email_hash, CASE WHEN o.kind = 'confirm' THEN ns.requested "
                      "ELSE ns.topic END, b.code, b.name, m.date, m.start, m.place, o.attempts "
                      "FROM notice_outbox o JOIN notice_subscription ns ON "
                      "ns.id = o.subscription_id JOIN body b ON b.id = ns.body_id "
                      "LEFT JOIN meeting m ON m.id = o.meeting_id WHERE o.state = 'pending' "
                      "AND ns.email <> '' AND ("
                      "(o.kind = 'confirm' AND ns.state IN ('pending', 'confirmed')) OR "
                      "(o.kind = 'agenda' AND ns.state = 'confirmed' AND m.published AND "
                      "m.state <> 'aflyst') OR "
                      "(o.kind = 'minutes' AND ns.state = 'confirmed' AND "
                      "m.state = 'offentliggjort')) ORDER BY o.id LIMIT ?1", &st, e)) == 0) {
        sqlite3_bind_int(st, 1, STORE_PAGE_MAX);
        rc = collect(s, st, &notice_rows, &out, &k, e);
    }
    struct store_notice *x = out;
    for (size_t i = 0; rc == 0 && i < k; i++)
        if (x[i].meeting_id)
            rc = agenda_titles(s, &x[i], e);
    read_end(s);
    if (rc < 0) {
        store_notices_free(x, k);
        return rc;
    }
    *v = x;
    *n = k;
    return 0;
}

int store_notice_mark(struct store *s, int64_t id, const char *error, bool bounce,
                      const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t sub = 0, meeting = 0, attempts = 0, bounces = 0, body_id = 0;
    char *kind = NULL, *hash = NULL, now[21];
    store_now(now);
    if (!a || !a->reader || !a->reader->all)
        return fail(s, e, ERR_DENIED, "only the outbox marks notices sent");
    int rc = write_begin(s, e, "marking a notice");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT o.subscription_id, coalesce(o.meeting_id, 0), o.kind, o.attempts, "
                      "ns.email_hash, ns.body_id, ns.bounces FROM notice_outbox o JOIN "
                      "notice_subscription ns ON ns.id = o.subscription_id "
                      "WHERE o.id = ?1 AND o.state = 'pending'", &st, e)) ==
        0) {
        sqlite3_bind_int64(st, 1, id);
        rc = first_row(s, st, e, "marking a notice", "no pending notice %lld", (long long)id);
        if (rc == 0) {
            sub = sqlite3_column_int64(st, 0);
            meeting = sqlite3_column_int64(st, 1);
            kind = col_str(st, 2);
            attempts = sqlite3_column_int64(st, 3);
            hash = col_str(st, 4);
            body_id = sqlite3_column_int64(st, 5);
            bounces = sqlite3_column_int64(st, 6);
        }
        fin(st);
    }
    if (rc == 0 && (rc = stmt(s, error ? "UPDATE notice_outbox SET error = ?2, "
                                         "attempts = attempts + 1 WHERE id = ?1"
                                       : "UPDATE notice_outbox SET state = 'sent', error = NULL, "
                                         "attempts = attempts + 1, sent_at = ?3 WHERE id = ?1",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        if (error)
            bind_str(st, 2, error);
        else
            bind_str(st, 3, now);
        rc = run(s, st, e, "marking a notice");
    }
    bool failing = false;
    if (rc == 0 && error && bounce) {
        failing = bounces + 1 >= STORE_NOTICE_MAX_BOUNCES;
        rc = run_id(s, failing ? "UPDATE notice_subscription SET bounces = bounces + 1, "
                                 "state = 'failing' WHERE id = ?1"
                               : "UPDATE notice_subscription SET bounces = bounces + 1 "
                                 "WHERE id = ?1",
                    sub, e, "marking a notice");
        if (rc == 0 && failing)
            rc = run_id(s, "UPDATE notice_outbox SET state = 'dropped' WHERE "
                           "subscription_id = ?1 AND state = 'pending'", sub, e,
                        "marking a notice");
    }
    /* A relay that is down fails every round: the first failure of a message is recorded,
     * not each retry. */
    if (rc == 0 && (!error || bounce || attempts == 0)) {
        json_t *d = json_pack("{s:I,s:s,s:s}", "notice", (json_int_t)id, "kind", kind,
                              "subscriber", hash);
        if (meeting)
            json_object_set_new(d, "meeting", json_integer(meeting));
        if (failing)
            json_object_set_new(d, "failing", json_true());
        rc = notice_event(s, a, !error ? "notice.sent" : bounce ? "notice.bounce"
                                                                : "notice.failed",
                          body_id, d, e);
    }
    if (rc == 0)
        rc = write_commit(s, e, "marking a notice");
    if (rc < 0)
        rollback(s);
    free(kind);
    free(hash);
    return rc;
}

int store_notice_expire(struct store *s, const struct store_actor *a, size_t *n,
                        struct err *e)
{
    sqlite3_stmt *st = NULL;
    if (!a || !a->reader || !a->reader->all)
        return fail(s, e, ERR_DENIED, "only the outbox forgets subscriptions");
    int rc = write_begin(s, e, "forgetting unconfirmed subscriptions");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "DELETE FROM notice_subscription WHERE state = 'pending' AND NOT EXISTS "
                      "(SELECT 1 FROM notice_token t WHERE t.subscription_id = "
                      "notice_subscription.id AND t.purpose = 'confirm' AND t.expires_at > ?1) "
                      "AND NOT EXISTS (SELECT 1 FROM notice_outbox o WHERE o.subscription_id = "
                      "notice_subscription.id AND o.state = 'pending')", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)clock_now());
        rc = run(s, st, e, "forgetting unconfirmed subscriptions");
    }
    size_t k = rc == 0 ? (size_t)sqlite3_changes(s->db) : 0;
    if (rc == 0)
        rc = run_id(s, "DELETE FROM notice_token WHERE expires_at IS NOT NULL AND "
                       "expires_at <= ?1", (int64_t)clock_now(), e,
                    "forgetting unconfirmed subscriptions");
    if (rc == 0 && k) {
        char *d = NULL;
        json_t *o = json_pack("{s:I}", "subscriptions", (json_int_t)k);
        d = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        struct event ev = {.action = "notice.expire", .detail = d};
        rc = ledger_append(s, a, &ev, NULL, e);
        free(d);
    }
    if (rc == 0)
        rc = write_commit(s, e, "forgetting unconfirmed subscriptions");
    if (rc < 0)
        rollback(s);
    else if (n)
        *n = k;
    return rc;
}

int store_notice_counts(struct store *s, const char *body_code, struct store_notice_counts *out,
                        struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_notice_counts c = {0};
    int rc = read_begin(s, e);
    if (rc == 0 && (rc = stmt(s, "SELECT ns.state, count(*), (SELECT count(*) FROM notice_outbox "
                                 "o JOIN notice_subscription n2 ON n2.id = o.subscription_id "
                                 "JOIN body b2 ON b2.id = n2.body_id WHERE o.state = 'pending' "
                                 "AND (?1 IS NULL OR b2.code = ?1)) FROM notice_subscription ns "
                                 "JOIN body b ON b.id = ns.body_id WHERE ?1 IS NULL OR "
                                 "b.code = ?1 GROUP BY ns.state", &st, e)) == 0) {
        bind_str(st, 1, body_code);
        bool row = false;
        while ((rc = next_row(s, st, &row, e, "counting subscriptions")) == 0 && row) {
            const char *state = (const char *)sqlite3_column_text(st, 0);
            size_t k = (size_t)sqlite3_column_int64(st, 1);
            c.queued = (size_t)sqlite3_column_int64(st, 2);
            if (strcmp(state, "pending") == 0)
                c.pending = k;
            else if (strcmp(state, "confirmed") == 0)
                c.confirmed = k;
            else if (strcmp(state, "unsubscribed") == 0)
                c.unsubscribed = k;
            else
                c.failing = k;
        }
        fin(st);
    }
    read_end(s);
    if (rc == 0)
        *out = c;
    return rc;
}

/* ---- inside the meeting's transition ---- */

int notice_meeting_step(struct store *s, int64_t meeting_id, int from, int to, struct err *e)
{
    const char *kind = NULL, *topic = NULL;
    if (from == WF_MEETING_PLANLAGT && to == WF_MEETING_DAGSORDEN_FRIGIVET) {
        kind = "agenda";
        topic = "dagsordener";
    } else if (to == WF_MEETING_OFFENTLIGGJORT && from != WF_MEETING_OFFENTLIGGJORT) {
        kind = "minutes";
        topic = "referater";
    } else {
        return 0;
    }
    char now[21];
    store_now(now);
    sqlite3_stmt *st = NULL;
    /* Once per subscription, meeting and kind (the partial unique index): an agenda recalled
     * and released again is not announced twice. */
    int rc = stmt(s, "INSERT OR IGNORE INTO notice_outbox (subscription_id, kind, meeting_id, "
                     "created_at) SELECT ns.id, ?2, m.id, ?3 FROM meeting m JOIN "
                     "notice_subscription ns ON ns.body_id = m.body_id WHERE m.id = ?1 AND "
                     "ns.state = 'confirmed' AND ns.topic IN (?4, 'begge')", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    bind_str(st, 2, kind);
    bind_str(st, 3, now);
    bind_str(st, 4, topic);
    return run(s, st, e, "queueing the subscribers' notices");
}
