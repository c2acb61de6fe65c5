/* test_agenda: the agenda in the archive (issue 8): a body's settings (defaults, checks, who
 * may set them, a ledger event per change), meetings with their recurring items, the agenda's
 * order and marks, and the release guard in the meeting's transition. */
#include "test.h"
#include "store_fixture.h"
#include "store/store.h"
#include "model/case.h"

#include <sqlite3.h>
#include <unistd.h>

static struct store *fresh(void)
{
    return fixture_fresh("agenda");
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
    long long events = fixture_count(s, "SELECT count(*) FROM ledger");
    const char *keys[] = {"agenda.deadline_days", "agenda.late", "meeting.place"};
    const char *vals[] = {"7", "afvist", "Rådhuset, mødelokale 2"};
    CHECK_INT(store_body_settings_set(s, "ØK", keys, vals, 3, &sekr, &e), 0);
    CHECK_SETTING(s, "ØK", "agenda.deadline_days", "7");
    CHECK_SETTING(s, "ØK", "agenda.late", "afvist");
    CHECK_SETTING(s, "ØK", "meeting.place", "Rådhuset, mødelokale 2");
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'body.setting'"), 3);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger"), events + 3);
    /* The same values again are no change and no event. */
    CHECK_INT(store_body_settings_set(s, "ØK", keys, vals, 3, &sekr, &e), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger"), events + 3);
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

static int64_t meeting(struct store *s, const char *date, const struct store_actor *a, int *rc)
{
    struct store_meeting_save m = {.body = "ØK", .date = date, .start = "09:00", .end = "12:00",
                                   .place = "Rådhuset"};
    int64_t id = 0;
    struct err e = {0};
    *rc = store_meeting_save(s, &m, a, &id, NULL, &e);
    if (*rc < 0)
        fprintf(stderr, "meeting: %s\n", e.msg);
    return id;
}

static int64_t add_case(struct store *s, int64_t mid, const char *title, const char *text,
                        bool public, int *rc)
{
    struct case_doc *c = case_new();
    c->title = strdup(title);
    c->public = public;
    c->presentation = text ? strdup(text) : NULL;
    if (!public)
        c->public_title = strdup("Personalesag");
    struct store_save sv = {.meeting_id = mid, .model = c};
    int64_t id = 0;
    struct err e = {0};
    *rc = store_case_save(s, &sv, &sekr, &id, NULL, &e);
    case_free(c);
    return id;
}

/* Signed off and put on the agenda (the workflow is the editor's; here only its result). */
static void on_agenda(struct store *s, int64_t case_id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE \"case\" SET state = 'godkendt' WHERE id = %lld",
             (long long)case_id);
    sqlite3_exec(store_sqlite_db(s), sql, NULL, NULL, NULL);
    struct err e = {0};
    int rc = store_case_transition(s, case_id, 1, "saet_paa_dagsorden", NULL, &sekr, &e);
    if (rc < 0)
        fprintf(stderr, "on_agenda %lld: %s\n", (long long)case_id, e.msg);
}

static int version_of(struct store *s, int64_t mid)
{
    struct store_meeting m = {0};
    struct err e = {0};
    store_meeting_get(s, mid, &reader_all, &m, &e);
    int v = m.version;
    store_meeting_fini(&m);
    return v;
}

static void test_recurring_items(void)
{
    struct store *s = with_bodies();
    sqlite3_exec(store_sqlite_db(s),
                 "INSERT INTO body_item (body_id, kind, pos, name, text, duration, public, "
                 "version) VALUES (2, 'recurring', 2, 'Eventuelt', NULL, 5, 1, 1), "
                 "(2, 'recurring', 1, 'Godkendelse af dagsorden', 'Dagsordenen godkendes.', "
                 "NULL, 1, 1), (1, 'recurring', 1, 'Direktionens punkt', NULL, NULL, 1, 1)",
                 NULL, NULL, NULL);
    int rc;
    int64_t mid = meeting(s, "2026-12-20", &sekr, &rc);
    CHECK_INT(rc, 0);
    struct store_agenda_item *v = NULL;
    size_t n = 0;
    struct err e = {0};
    CHECK_INT(store_agenda(s, mid, &reader_all, &v, &n, &e), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].ref.title, "Godkendelse af dagsorden");
        CHECK_STR(v[1].ref.title, "Eventuelt");
        CHECK_STR(v[0].ref.state, "paa_dagsorden");
        CHECK(!v[0].supplement && !v[0].late);
    }
    store_agenda_free(v, n);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'case.create'"), 2);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\" WHERE date = '2026-12-20'"), 2);
    /* A meeting planned after its own deadline still gets them, never late nor refused. */
    fixture_clock("2026-12-19T10:00:00Z");
    CHECK_INT(store_body_setting_set(s, "ØK", "agenda.late", "afvist", &sekr, &e), 0);
    int64_t late = meeting(s, "2026-12-21", &sekr, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM agenda a JOIN \"case\" c ON c.id = a.case_id "
                       "WHERE NOT a.late AND c.state = 'paa_dagsorden'"), 4);
    CHECK(late > mid);
    /* A meeting that cannot be saved makes none of them. */
    long long cases = fixture_count(s, "SELECT count(*) FROM \"case\"");
    struct store_meeting_save bad = {.body = "ØK", .date = "2026-02-30"};
    CHECK_INT(store_meeting_save(s, &bad, &sekr, NULL, NULL, &e), ERR_USAGE);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\""), cases);
    CHECK_INT(cases, 4);
    store_close(s);
}

static void test_release_guard(void)
{
    struct store *s = with_bodies();
    fixture_clock("2026-12-01T10:00:00Z");
    int rc;
    int64_t mid = meeting(s, "2026-12-20", &sekr, &rc);
    int64_t c1 = add_case(s, mid, "Budget", "Ingen personnumre.", true, &rc);
    CHECK_INT(rc, 0);
    int64_t c2 = add_case(s, mid, "Klage", "Fra borgeren\nmed CPR 0102031234.", true, &rc);
    CHECK_INT(rc, 0);
    /* A closed case's closed text is never published: its CPR number does not stop it. */
    int64_t c3 = add_case(s, mid, "Personsag", "Lukket: 010203-1234", false, &rc);
    CHECK_INT(rc, 0);
    /* A draft on the meeting is not published with the agenda, so it is not checked. */
    add_case(s, mid, "Kladde", "CPR 010203-1234", true, &rc);
    on_agenda(s, c1);
    on_agenda(s, c2);
    on_agenda(s, c3);
    struct err e = {0};
    int v = version_of(s, mid);
    CHECK_INT(store_meeting_transition(s, mid, v, "frigiv_dagsorden", NULL, &sekr, &e),
              ERR_DENIED);
    CHECK(strstr(e.msg, "punkt 2") && strstr(e.msg, "CPR-nummer") &&
          strstr(e.msg, "Sagsfremstilling, linje 2, kolonne 9"));
    CHECK(!strstr(e.msg, "0102031234"));
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting WHERE published OR released_at IS NOT "
                       "NULL"), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\" WHERE published"), 0);
    /* Help text of the body's template. */
    sqlite3_exec(store_sqlite_db(s),
                 "INSERT INTO body_item (body_id, kind, pos, name, text, sections, version) "
                 "VALUES (2, 'template', 1, 'Sag', 'Titel', '[{\"name\": \"Sagsfremstilling\", "
                 "\"field\": \"presentation\", \"text\": null, \"help\": \"Skriv kort, hvad "
                 "sagen handler om.\"}]', 1)", NULL, NULL, NULL);
    struct case_doc *c = NULL;
    store_case_get(s, c2, &reader_all, &c, &e);
    free(c->presentation);
    c->presentation = strdup("Skriv kort, hvad\nsagen handler om.");
    struct store_save sv = {.case_id = c2, .base_version = 1, .model = c};
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), 0);
    CHECK_INT(store_meeting_transition(s, mid, v, "frigiv_dagsorden", NULL, &sekr, &e),
              ERR_DENIED);
    CHECK(strstr(e.msg, "hjælpetekst") != NULL);
    free(c->presentation);
    c->presentation = strdup("Borgeren har klaget.");
    sv.base_version = 2;
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), 0);
    CHECK_INT(store_meeting_transition(s, mid, v, "frigiv_dagsorden", NULL, &sekr, &e), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting WHERE published AND released_at IS NOT "
                       "NULL"), 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\" WHERE published"), 3);
    /* Released, its cases are checked on every save. */
    free(c->presentation);
    c->presentation = strdup("CPR 010203-1234");
    sv.base_version = 3;
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), ERR_DENIED);
    CHECK(strstr(e.msg, "CPR-nummer") != NULL);
    case_free(c);
    /* The order is locked; a case added now is on the tillægsdagsorden. */
    CHECK_INT(store_agenda_move(s, mid, c2, -1, &sekr, &e), ERR_DENIED);
    int64_t c4 = add_case(s, mid, "Ekstra", NULL, true, &rc);
    CHECK_INT(rc, 0);
    on_agenda(s, c4);
    /* One holding a CPR number cannot join it. */
    int64_t c5 = add_case(s, mid, "Ekstra 2", "CPR 010203-1234", true, &rc);
    CHECK_INT(rc, 0);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE \"case\" SET state = 'godkendt' WHERE id = %lld",
             (long long)c5);
    sqlite3_exec(store_sqlite_db(s), sql, NULL, NULL, NULL);
    CHECK_INT(store_case_transition(s, c5, 1, "saet_paa_dagsorden", NULL, &sekr, &e),
              ERR_DENIED);
    struct store_agenda_item *items = NULL;
    size_t n = 0;
    CHECK_INT(store_agenda(s, mid, NULL, &items, &n, &e), 0);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK(!items[0].supplement && items[3].supplement && items[3].ref.id == c4);
        /* The public sees the closed case by its public title only. */
        CHECK_STR(items[2].ref.title, "Personalesag");
    }
    store_agenda_free(items, n);
    /* The agendas a case is on, as the public sees them: only once published. */
    struct store_case_agenda *pl = NULL;
    size_t npl = 0;
    CHECK_INT(store_case_agendas(s, c4, NULL, &pl, &npl, &e), 0);
    CHECK(npl == 1 && pl[0].meeting_id == mid && pl[0].supplement && pl[0].number == 4);
    store_case_agendas_free(pl, npl);
    CHECK_INT(store_case_agendas(s, c5, NULL, &pl, &npl, &e), 0);
    CHECK_INT(npl, 0);
    store_case_agendas_free(pl, npl);
    /* A recall takes the cases back. */
    v = version_of(s, mid);
    CHECK_INT(store_meeting_transition(s, mid, v, "tilbagekald_dagsorden", "Fejl", &sekr, &e),
              0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\" WHERE published"), 0);
    store_close(s);
}

static void test_late_cases(void)
{
    struct store *s = with_bodies();
    struct err e = {0};
    int rc;
    /* Deadline 5 days: for a meeting on the 20th, the 15th is the last day. */
    int64_t mid = meeting(s, "2026-12-20", &sekr, &rc);
    fixture_clock("2026-12-15T20:00:00Z");
    int64_t c1 = add_case(s, mid, "I tide", NULL, true, &rc);
    fixture_clock("2026-12-16T08:00:00Z");
    int64_t c2 = add_case(s, mid, "For sent", NULL, true, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(store_body_setting_set(s, "ØK", "agenda.late", "tilladt", &sekr, &e), 0);
    int64_t c3 = add_case(s, mid, "For sent, tilladt", NULL, true, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(store_body_setting_set(s, "ØK", "agenda.late", "afvist", &sekr, &e), 0);
    long long before = fixture_count(s, "SELECT count(*) FROM \"case\"");
    add_case(s, mid, "Afvist", NULL, true, &rc);
    CHECK_INT(rc, ERR_DENIED);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\""), before);
    struct store_agenda_item *v = NULL;
    size_t n = 0;
    CHECK_INT(store_agenda(s, mid, &reader_all, &v, &n, &e), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK(v[0].ref.id == c1 && !v[0].late);
        CHECK(v[1].ref.id == c2 && v[1].late);
        CHECK(v[2].ref.id == c3 && !v[2].late);
    }
    store_agenda_free(v, n);
    store_close(s);
}

static void test_move_and_postpone(void)
{
    struct store *s = with_bodies();
    fixture_clock("2026-12-01T10:00:00Z");
    struct err e = {0};
    int rc;
    int64_t m1 = meeting(s, "2026-12-20", &sekr, &rc);
    int64_t m2 = meeting(s, "2027-01-10", &sekr, &rc);
    int64_t a = add_case(s, m1, "A", NULL, true, &rc);
    int64_t b = add_case(s, m1, "B", NULL, true, &rc);
    int64_t c = add_case(s, m1, "C", NULL, true, &rc);
    CHECK_INT(store_agenda_move(s, m1, c, -1, &sekr, &e), 0);
    CHECK_INT(store_agenda_move(s, m1, c, -1, &sekr, &e), 0);
    CHECK_INT(store_agenda_move(s, m1, c, -1, &sekr, &e), ERR_USAGE);
    CHECK_INT(store_agenda_move(s, m1, b, 1, &sekr, &e), ERR_USAGE);
    CHECK_INT(store_agenda_move(s, m1, a, 1, &medl, &e), ERR_DENIED);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'agenda.move'"), 2);
    struct store_agenda_item *v = NULL;
    size_t n = 0;
    CHECK_INT(store_agenda(s, m1, &reader_all, &v, &n, &e), 0);
    CHECK(n == 3 && v[0].ref.id == c && v[1].ref.id == a && v[2].ref.id == b);
    store_agenda_free(v, n);
    /* Postponed to a later meeting: on both agendas, the first saying where it went. */
    CHECK_INT(store_agenda_postpone(s, m2, a, m1, &sekr, &e), ERR_NOTFOUND);
    CHECK_INT(store_agenda_postpone(s, m1, a, m1, &sekr, &e), ERR_USAGE);
    CHECK_INT(store_agenda_postpone(s, m1, a, m2, &sekr, &e), 0);
    CHECK_INT(store_agenda_postpone(s, m1, a, m2, &sekr, &e), ERR_CONFLICT);
    CHECK_INT(store_agenda(s, m1, &reader_all, &v, &n, &e), 0);
    CHECK(n == 3 && v[1].ref.id == a && v[1].postponed_to == m2);
    CHECK_STR(n == 3 ? v[1].postponed_date : NULL, "2027-01-10");
    store_agenda_free(v, n);
    CHECK_INT(store_agenda(s, m2, &reader_all, &v, &n, &e), 0);
    CHECK(n == 1 && v[0].ref.id == a && !v[0].postponed_to);
    store_agenda_free(v, n);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'case.postpone'"), 1);
    store_close(s);
}

int main(void)
{
    RUN(test_settings_defaults);
    RUN(test_settings_set);
    RUN(test_recurring_items);
    RUN(test_release_guard);
    RUN(test_late_cases);
    RUN(test_move_and_postpone);
    return TEST_REPORT();
}
