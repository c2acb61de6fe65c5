/* test_agenda: the agenda in the archive (issue 8): a body's settings (defaults, checks, who
 * may set them, a ledger event per change), meetings with their recurring items, the agenda's
 * order and marks, and the release guard in the meeting's transition. */
#include "test.h"
#include "store/store.h"

#include <sqlite3.h>
#include <unistd.h>

static char dbpath[256];

static struct store *fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-agenda-%d.db", (int)getpid());
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, suffix[i]);
        unlink(p);
    }
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(dbpath, STORE_CREATE, &s, &e) != 0)
        fprintf(stderr, "open: %s\n", e.msg);
    return s;
}

static long long count(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static const struct store_actor tools = {0, "cli:test", NULL, &reader_all};

/* Bodies DIR (id 1) and ØK (id 2); a sekretær of ØK, an administrator, a member of ØK. */
static struct reader_body sekr_bodies[] = {{2, ROLE_SEKRETAER}};
static const struct reader sekr_reader = {false, 10, false, sekr_bodies, 1};
static const struct store_actor sekr = {10, "sekr", NULL, &sekr_reader};
static const struct reader admin_reader = {false, 11, true, NULL, 0};
static const struct store_actor admin = {11, "admin", NULL, &admin_reader};
static struct reader_body medl_bodies[] = {{2, ROLE_MEDLEM}};
static const struct reader medl_reader = {false, 12, false, medl_bodies, 1};
static const struct store_actor medl = {12, "medl", NULL, &medl_reader};

static struct store *with_bodies(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t id;
    if (store_body_add(s, "DIR", "Direktionen", &tools, &id, &e) < 0 ||
        store_body_add(s, "ØK", "Økonomiudvalget", &tools, &id, &e) < 0)
        fprintf(stderr, "body: %s\n", e.msg);
    return s;
}

static char *get(struct store *s, const char *body, const char *key)
{
    char *v = NULL;
    struct err e = {0};
    if (store_body_setting_get(s, body, key, &v, &e) < 0)
        return strdup("ERROR");
    return v;
}

#define CHECK_SETTING(s, body, key, want)                                                   \
    do {                                                                                     \
        char *v_ = get(s, body, key);                                                        \
        CHECK_STR(v_, want);                                                                 \
        free(v_);                                                                            \
    } while (0)

static void test_settings_defaults(void)
{
    struct store *s = with_bodies();
    CHECK_SETTING(s, "ØK", "agenda.deadline_days", "5");
    CHECK_SETTING(s, "ØK", "agenda.late", "markeret");
    CHECK_SETTING(s, "ØK", "meeting.start", "09:00");
    CHECK_SETTING(s, "ØK", "meeting.end", "12:00");
    CHECK_SETTING(s, "ØK", "meeting.place", NULL);
    CHECK_SETTING(s, "ØK", "meeting.slot_minutes", "5");
    CHECK_SETTING(s, "ØK", "case.signoff", "1");
    /* The Direktion's secretariat writes its cases itself. */
    CHECK_SETTING(s, "DIR", "case.signoff", "0");
    char *v = NULL;
    struct err e = {0};
    CHECK_INT(store_body_setting_get(s, "ØK", "agenda.nope", &v, &e), ERR_USAGE);
    CHECK_INT(store_body_setting_get(s, "XX", "agenda.late", &v, &e), ERR_NOTFOUND);
    store_close(s);
}

static void test_settings_set(void)
{
    struct store *s = with_bodies();
    struct err e = {0};
    long long events = count(s, "SELECT count(*) FROM ledger");
    const char *keys[] = {"agenda.deadline_days", "agenda.late", "meeting.place"};
    const char *vals[] = {"7", "afvist", "Rådhuset, mødelokale 2"};
    CHECK_INT(store_body_settings_set(s, "ØK", keys, vals, 3, &sekr, &e), 0);
    CHECK_SETTING(s, "ØK", "agenda.deadline_days", "7");
    CHECK_SETTING(s, "ØK", "agenda.late", "afvist");
    CHECK_SETTING(s, "ØK", "meeting.place", "Rådhuset, mødelokale 2");
    CHECK_INT(count(s, "SELECT count(*) FROM ledger WHERE action = 'body.setting'"), 3);
    CHECK_INT(count(s, "SELECT count(*) FROM ledger"), events + 3);
    /* The same values again are no change and no event. */
    CHECK_INT(store_body_settings_set(s, "ØK", keys, vals, 3, &sekr, &e), 0);
    CHECK_INT(count(s, "SELECT count(*) FROM ledger"), events + 3);
    /* Empty: back to the default. */
    CHECK_INT(store_body_setting_set(s, "ØK", "agenda.late", "", &admin, &e), 0);
    CHECK_SETTING(s, "ØK", "agenda.late", "markeret");
    /* Bad values: nothing written, the key named. */
    const char *bad[][2] = {{"agenda.deadline_days", "-1"}, {"agenda.deadline_days", "400"},
                            {"agenda.late", "sent"},        {"meeting.start", "24:00"},
                            {"meeting.start", "9:00"},      {"meeting.end", "10.30"},
                            {"meeting.slot_minutes", "0"},  {"meeting.place", "a\nb"},
                            {"case.signoff", "ja"},         {"nope", "1"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *k[] = {"agenda.deadline_days", bad[i][0]};
        const char *v[] = {"3", bad[i][1]};
        CHECK_INT(store_body_settings_set(s, "ØK", k, v, 2, &sekr, &e), ERR_USAGE);
        CHECK(strstr(e.msg, bad[i][0]) != NULL);
    }
    CHECK_SETTING(s, "ØK", "agenda.deadline_days", "7");
    /* Only the body's sekretær or an administrator. */
    CHECK_INT(store_body_setting_set(s, "ØK", "agenda.late", "tilladt", &medl, &e), ERR_DENIED);
    CHECK_INT(store_body_setting_set(s, "DIR", "agenda.late", "tilladt", &sekr, &e), ERR_DENIED);
    CHECK_INT(store_body_setting_set(s, "ØK", "agenda.late", "tilladt", NULL, &e), ERR_DENIED);
    CHECK_SETTING(s, "ØK", "agenda.late", "markeret");
    CHECK_SETTING(s, "DIR", "agenda.late", "markeret");
    store_close(s);
}

int main(void)
{
    RUN(test_settings_defaults);
    RUN(test_settings_set);
    return TEST_REPORT();
}
