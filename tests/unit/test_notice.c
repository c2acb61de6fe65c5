/* test_notice: citizens' e-mail subscriptions in the store (issue 10, notices): a malformed
 * address, an unknown topic and an unknown body refused with nothing written; double opt-in
 * (nothing but the confirmation is due before the confirmation link is used; a used or
 * replaced link is unknown); the release queues one notice per confirmed subscription that
 * asked for agendas, once however often it is released; a bounce counted until the
 * subscription is failing and its notices dropped; unsubscribing drops what is queued and
 * forgets the address; the subscribe throttles; no address in the ledger. */
#include "test.h"
#include "store/store.h"

#include <sqlite3.h>
#include <unistd.h>

static const struct store_actor tools = {.name = "test", .reader = &reader_all};
static const struct store_actor citizen = {.name = "abonnent"};
static char dbpath[256];

static struct store *fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-notice-%d.db", (int)getpid());
    unlink(dbpath);
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(dbpath, STORE_CREATE, &s, &e) != 0)
        fprintf(stderr, "open: %s\n", e.msg);
    return s;
}

/* One integer from the archive, read beside the store's connection. */
static long long scalar(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static size_t due(struct store *s, const char *kind)
{
    struct store_notice *v = NULL;
    size_t n = 0, k = 0;
    struct err e = {0};
    CHECK_INT(store_notices_due(s, &reader_all, &v, &n, &e), 0);
    for (size_t i = 0; i < n; i++)
        k += strcmp(v[i].kind, kind) == 0;
    store_notices_free(v, n);
    return k;
}

/* The id and subscription of the first due notice of kind. */
static int64_t first_due(struct store *s, const char *kind, int64_t *sub)
{
    struct store_notice *v = NULL;
    size_t n = 0;
    int64_t id = 0;
    struct err e = {0};
    CHECK_INT(store_notices_due(s, &reader_all, &v, &n, &e), 0);
    for (size_t i = 0; i < n && !id; i++)
        if (strcmp(v[i].kind, kind) == 0) {
            id = v[i].id;
            if (sub)
                *sub = v[i].subscription_id;
        }
    store_notices_free(v, n);
    return id;
}

static void test_bad_input(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0;
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    const char *bad[] = {"", "   ", "ikke-en-adresse", "a@b", "to@x.dk, tre@x.dk", "a b@x.dk"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(store_notice_subscribe(s, "DIR", bad[i], "begge", "1.2.3.4", &citizen, &e),
                  ERR_USAGE);
        CHECK(strncmp(e.msg, "email:", 6) == 0);
    }
    CHECK_INT(store_notice_subscribe(s, "DIR", "ok@example.dk", "alt", "1.2.3.4", &citizen, &e),
              ERR_USAGE);
    CHECK(strncmp(e.msg, "topic:", 6) == 0);
    CHECK_INT(store_notice_subscribe(s, "XYZ", "ok@example.dk", "begge", "1.2.3.4", &citizen,
                                     &e),
              ERR_NOTFOUND);
    CHECK_INT(scalar("SELECT count(*) FROM notice_subscription"), 0);
    CHECK_INT(scalar("SELECT count(*) FROM notice_outbox"), 0);
    /* Only the outbox reads the addresses and makes links. */
    struct store_notice *v = NULL;
    size_t n = 0;
    char tok[STORE_NOTICE_TOKEN_LEN + 1];
    CHECK_INT(store_notices_due(s, NULL, &v, &n, &e), ERR_DENIED);
    CHECK_INT(store_notice_token_new(s, 1, "confirm", &citizen, tok, &e), ERR_DENIED);
    store_close(s);
    unlink(dbpath);
}

static void test_opt_in_release_bounce_unsubscribe(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0, meeting = 0, sub = 0;
    int mver = 0;
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save ms = {.body = "DIR", .date = "2030-03-05", .start = "10:00",
                                    .end = "12:00"};
    CHECK_INT(store_meeting_save(s, &ms, &tools, &meeting, &mver, &e), 0);
    CHECK_INT(store_notice_subscribe(s, "DIR", " Borger@Example.dk ", "begge", "1.2.3.4",
                                     &citizen, &e),
              0);
    CHECK_INT(store_notice_subscribe(s, "DIR", "kun-referat@example.dk", "referater", "1.2.3.4",
                                     &citizen, &e),
              0);
    CHECK_INT(store_notice_subscribe(s, "DIR", "aldrig@example.dk", "begge", "1.2.3.4",
                                     &citizen, &e),
              0);
    CHECK_INT(due(s, "confirm"), 3);
    /* The same address again (another case): one subscription, one confirmation due. */
    CHECK_INT(store_notice_subscribe(s, "DIR", "borger@example.dk", "dagsordener", "1.2.3.4",
                                     &citizen, &e),
              0);
    CHECK_INT(scalar("SELECT count(*) FROM notice_subscription"), 3);
    CHECK_INT(due(s, "confirm"), 3);

    /* Confirm borger's and kun-referat's: links made by the outbox, the newest works. */
    struct store_notice *v = NULL;
    size_t n = 0;
    CHECK_INT(store_notices_due(s, &reader_all, &v, &n, &e), 0);
    char old[STORE_NOTICE_TOKEN_LEN + 1] = "", tok[STORE_NOTICE_TOKEN_LEN + 1] = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].email, "aldrig@example.dk") == 0)
            continue;
        if (strcmp(v[i].email, "borger@example.dk") == 0) {
            CHECK_STR(v[i].topic, "dagsordener");
            CHECK_INT(store_notice_token_new(s, v[i].subscription_id, "confirm", &tools, old,
                                             &e),
                      0);
        }
        CHECK_INT(store_notice_token_new(s, v[i].subscription_id, "confirm", &tools, tok, &e),
                  0);
        CHECK_INT(strlen(tok), STORE_NOTICE_TOKEN_LEN);
        struct store_notice_link l = {0};
        CHECK_INT(store_notice_link_get(s, tok, "confirm", &l, &e), 0);
        CHECK_STR(l.body_code, "DIR");
        CHECK_STR(l.state, "pending");
        store_notice_link_fini(&l);
        CHECK_INT(store_notice_link_get(s, tok, "unsubscribe", &l, &e), ERR_NOTFOUND);
        CHECK_INT(store_notice_mark(s, v[i].id, NULL, false, &tools, &e), 0);
        CHECK_INT(store_notice_confirm(s, tok, &citizen, &e), 0);
        CHECK_INT(store_notice_confirm(s, tok, &citizen, &e), ERR_NOTFOUND); /* used */
    }
    store_notices_free(v, n);
    CHECK_INT(store_notice_confirm(s, old, &citizen, &e), ERR_NOTFOUND); /* replaced */
    CHECK_INT(store_notice_confirm(s, "A", &citizen, &e), ERR_NOTFOUND);
    CHECK_INT(scalar("SELECT count(*) FROM notice_token WHERE length(hash) = 64"),
              scalar("SELECT count(*) FROM notice_token"));
    struct store_notice_counts c = {0};
    CHECK_INT(store_notice_counts(s, "DIR", &c, &e), 0);
    CHECK_INT(c.confirmed, 2);
    CHECK_INT(c.pending, 1);

    /* The release: one agenda notice, to borger (dagsordener), none to kun-referat or the
     * unconfirmed one; recalled and released again, still one. */
    CHECK_INT(store_meeting_transition(s, meeting, mver++, "frigiv_dagsorden", NULL, &tools, &e),
              0);
    CHECK_INT(due(s, "agenda"), 1);
    CHECK_INT(store_meeting_transition(s, meeting, mver++, "tilbagekald_dagsorden", "fejl",
                                       &tools, &e),
              0);
    CHECK_INT(due(s, "agenda"), 0); /* not public now: it waits */
    CHECK_INT(store_meeting_transition(s, meeting, mver++, "frigiv_dagsorden", NULL, &tools, &e),
              0);
    CHECK_INT(due(s, "agenda"), 1);
    CHECK_INT(scalar("SELECT count(*) FROM notice_outbox WHERE kind = 'agenda'"), 1);

    /* Bounces: counted, then failing, its notices dropped. */
    int64_t id = first_due(s, "agenda", &sub);
    CHECK(id > 0);
    for (int i = 0; i < STORE_NOTICE_MAX_BOUNCES; i++)
        CHECK_INT(store_notice_mark(s, id, "SMTP answered 550", true, &tools, &e), 0);
    CHECK_INT(store_notice_counts(s, "DIR", &c, &e), 0);
    CHECK_INT(c.failing, 1);
    CHECK_INT(due(s, "agenda"), 0);
    CHECK_INT(scalar("SELECT count(*) FROM ledger WHERE action = 'notice.bounce'"),
              STORE_NOTICE_MAX_BOUNCES);

    /* Unsubscribing kun-referat: its address forgotten, a second click changes nothing. */
    int64_t kun = 0;
    CHECK_INT(store_notices_due(s, &reader_all, &v, &n, &e), 0);
    store_notices_free(v, n);
    kun = scalar("SELECT id FROM notice_subscription WHERE topic = 'referater'");
    CHECK(kun > 0);
    CHECK_INT(store_notice_token_new(s, kun, "unsubscribe", &tools, tok, &e), 0);
    CHECK_INT(store_notice_unsubscribe(s, tok, &citizen, &e), 0);
    CHECK_INT(store_notice_unsubscribe(s, tok, &citizen, &e), 0);
    CHECK_INT(scalar("SELECT count(*) FROM ledger WHERE action = 'notice.unsubscribe'"), 1);
    CHECK_INT(scalar("SELECT count(*) FROM notice_subscription WHERE state = 'unsubscribed' "
                     "AND email = ''"),
              1);
    /* The unconfirmed one is forgotten once its links have expired, not before. */
    size_t gone = 9;
    CHECK_INT(store_notice_expire(s, &tools, &gone, &e), 0);
    CHECK_INT(gone, 0); /* its confirmation is still queued */
    id = first_due(s, "confirm", &sub);
    CHECK(id > 0);
    CHECK_INT(store_notice_token_new(s, sub, "confirm", &tools, tok, &e), 0);
    CHECK_INT(store_notice_mark(s, id, NULL, false, &tools, &e), 0);
    CHECK_INT(store_notice_expire(s, &tools, &gone, &e), 0);
    CHECK_INT(gone, 0); /* its link is valid */
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(dbpath, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "UPDATE notice_token SET expires_at = 1 WHERE purpose = "
                               "'confirm'", NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(store_notice_expire(s, &tools, &gone, &e), 0);
    CHECK_INT(gone, 1);
    CHECK_INT(scalar("SELECT count(*) FROM notice_subscription WHERE state = 'pending'"), 0);
    CHECK_INT(scalar("SELECT count(*) FROM notice_subscription"), 2);
    CHECK_INT(scalar("SELECT count(*) FROM ledger WHERE action = 'notice.expire'"), 1);
    /* No address in the ledger. */
    CHECK_INT(scalar("SELECT count(*) FROM ledger WHERE detail LIKE '%@%' OR object LIKE '%@%'"),
              0);
    store_close(s);
    unlink(dbpath);
}

static void test_throttle(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0;
    char addr[64];
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    /* One address: the same answer past the limit, nothing more queued. */
    for (int i = 0; i < STORE_NOTICE_PER_ADDRESS + 2; i++)
        CHECK_INT(store_notice_subscribe(s, "DIR", "gentag@example.dk", "begge", "9.9.9.9",
                                         &citizen, &e),
                  0);
    CHECK_INT(scalar("SELECT count(*) FROM ledger WHERE action = 'notice.subscribe'"),
              STORE_NOTICE_PER_ADDRESS);
    /* One client: ERR_BUSY past the limit. */
    int busy = 0;
    for (int i = 0; i < STORE_NOTICE_PER_CLIENT + 3; i++) {
        snprintf(addr, sizeof addr, "b%d@example.dk", i);
        int rc = store_notice_subscribe(s, "DIR", addr, "begge", "1.1.1.1", &citizen, &e);
        CHECK(rc == 0 || rc == ERR_BUSY);
        busy += rc == ERR_BUSY;
    }
    CHECK_INT(busy, 3);
    CHECK_INT(store_notice_subscribe(s, "DIR", "andet@example.dk", "begge", "2.2.2.2", &citizen,
                                     &e),
              0);
    store_close(s);
    unlink(dbpath);
}

int main(void)
{
    RUN(test_bad_input);
    RUN(test_opt_in_release_bounce_unsubscribe);
    RUN(test_throttle);
    return TEST_REPORT();
}
