/* test_store_decision: the decision page's tables (issue 9, sqlite_decision.c): who may write
 * and read the private notes, what the ledger records of them (never the text), rejected
 * suggestions kept once, and the draft of a case treated again made once, on the body's next
 * planned meeting. */
#include "test.h"
#include "store_fixture.h"
#include "store/store.h"
#include "model/case.h"
#include "util/buf.h"

#include <sqlite3.h>
#include <unistd.h>

static struct store *fresh(void)
{
    return fixture_fresh("decision");
}

static const struct store_actor tools = {0, "cli:test", NULL, &reader_all};
/* DIR is body 1: its sekretær and a member; ØK (2): its sekretær. */
static struct reader_body sekr_bodies[] = {{1, ROLE_SEKRETAER}};
static const struct reader sekr_reader = {false, 10, false, sekr_bodies, 1};
static const struct store_actor sekr = {10, "sekr", NULL, &sekr_reader};
static struct reader_body medl_bodies[] = {{1, ROLE_MEDLEM}};
static const struct reader medl_reader = {false, 12, false, medl_bodies, 1};
static const struct store_actor medl = {12, "medl", NULL, &medl_reader};
static struct reader_body oek_bodies[] = {{2, ROLE_SEKRETAER}};
static const struct reader oek_reader = {false, 13, false, oek_bodies, 1};
static const struct store_actor oek = {13, "oek", NULL, &oek_reader};

struct world {
    struct store *s;
    int64_t meeting, next, cas;
};

static int64_t meeting(struct store *s, const char *date)
{
    struct err e = {0};
    int64_t id = 0;
    struct store_meeting_save m = {.body = "DIR", .date = date, .start = "10:00", .end = "12:00"};
    if (store_meeting_save(s, &m, &tools, &id, NULL, &e) < 0)
        fprintf(stderr, "meeting: %s\n", e.msg);
    return id;
}

static struct world setup(void)
{
    struct world w = {fresh(), 0, 0, 0};
    struct err e = {0};
    int64_t id;
    if (store_body_add(w.s, "DIR", "Direktionen", &tools, &id, &e) < 0 ||
        store_body_add(w.s, "ØK", "Økonomiudvalget", &tools, &id, &e) < 0)
        fprintf(stderr, "body: %s\n", e.msg);
    w.meeting = meeting(w.s, "2023-12-20");
    w.next = meeting(w.s, "2024-01-10");
    meeting(w.s, "2023-11-01"); /* an earlier one: never the "next" */
    struct case_doc *c = case_new();
    c->title = xstrdup("Punkter til behandling");
    c->public = true;
    for (int i = 0; i < 2; i++)
        case_add_subitem(c)->title = xstrdup(i ? "KB seminar" : "Nytårskure 2024");
    struct store_save sv = {.meeting_id = w.meeting, .model = c};
    if (store_case_save(w.s, &sv, &tools, &w.cas, NULL, &e) < 0)
        fprintf(stderr, "case: %s\n", e.msg);
    case_free(c);
    return w;
}

static void teardown(struct world *w)
{
    store_close(w->s);
    unlink(dbpath);
}

static void test_notes(void)
{
    struct world w = setup();
    struct err e = {0};
    int64_t id = 0;
    CHECK_INT(store_case_note_add(w.s, w.cas, 2, "Ring til Bettina om programmet.", &sekr, &id, &e),
              0);
    CHECK(id > 0);
    CHECK_INT(store_case_note_add(w.s, w.cas, 0, "Om hele sagen.", &sekr, NULL, &e), 0);
    long long notes = fixture_count(w.s, "SELECT count(*) FROM case_note");
    long long events = fixture_count(w.s, "SELECT count(*) FROM ledger");
    /* Refused, and nothing written. */
    CHECK_INT(store_case_note_add(w.s, w.cas, 0, "x", &medl, NULL, &e), ERR_DENIED);
    CHECK_INT(store_case_note_add(w.s, w.cas, 0, "x", &oek, NULL, &e), ERR_DENIED);
    CHECK_INT(store_case_note_add(w.s, w.cas, 0, "x", NULL, NULL, &e), ERR_DENIED);
    CHECK_INT(store_case_note_add(w.s, w.cas, 3, "x", &sekr, NULL, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "subitem") != NULL);
    CHECK_INT(store_case_note_add(w.s, w.cas, 0, " \n ", &sekr, NULL, &e), ERR_USAGE);
    char *big = malloc(10002);
    memset(big, 'a', 10001);
    big[10001] = '\0';
    CHECK_INT(store_case_note_add(w.s, w.cas, 0, big, &sekr, NULL, &e), ERR_USAGE);
    free(big);
    CHECK_INT(store_case_note_add(w.s, 999, 0, "x", &sekr, NULL, &e), ERR_NOTFOUND);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM case_note"), notes);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger"), events);
    /* The ledger says a note was written, never what it says. */
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger WHERE action = 'case.note'"), 2);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger WHERE detail LIKE '%Bettina%'"), 0);
    /* Read by the body's sekretær only. */
    struct store_case_note *v = NULL;
    size_t n = 0;
    CHECK_INT(store_case_notes(w.s, w.cas, &sekr_reader, &v, &n, &e), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(v[0].subitem, 2);
        CHECK_STR(v[0].text, "Ring til Bettina om programmet.");
        CHECK_STR(v[0].author, "sekr");
        CHECK_INT(v[1].subitem, 0);
    }
    store_case_notes_free(v, n);
    CHECK_INT(store_case_notes(w.s, w.cas, &medl_reader, &v, &n, &e), ERR_DENIED);
    CHECK_INT(store_case_notes(w.s, w.cas, &oek_reader, &v, &n, &e), ERR_NOTFOUND);
    CHECK_INT(store_case_notes(w.s, w.cas, NULL, &v, &n, &e), ERR_NOTFOUND);
    /* Never part of the model: a save and a read of the case know nothing of them. */
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(w.s, w.cas, &reader_all, &c, &e), 0);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM source WHERE CAST(unpack(bytes, packed, size) AS TEXT) LIKE "
                         "'%Bettina%'"),
              0);
    case_free(c);
    teardown(&w);
}

static void test_rejections(void)
{
    struct world w = setup();
    struct err e = {0};
    CHECK_INT(store_decision_reject(w.s, w.cas, 2, "Ledelsessekretariatet",
                                    "Ledelsessekretariatet følger op.", &sekr, &e),
              0);
    long long events = fixture_count(w.s, "SELECT count(*) FROM ledger");
    /* Again: no second row, no second event, no error. */
    CHECK_INT(store_decision_reject(w.s, w.cas, 2, "Ledelsessekretariatet",
                                    "Ledelsessekretariatet følger op.", &sekr, &e),
              0);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger"), events);
    CHECK_INT(store_decision_reject(w.s, w.cas, 2, "HR", "HR følger op.", &medl, &e), ERR_DENIED);
    CHECK_INT(store_decision_reject(w.s, w.cas, 5, "HR", "HR følger op.", &sekr, &e), ERR_USAGE);
    CHECK_INT(store_decision_reject(w.s, w.cas, 1, "", "HR følger op.", &sekr, &e), ERR_USAGE);
    struct store_decision_rejection *v = NULL;
    size_t n = 0;
    CHECK_INT(store_decision_rejections(w.s, w.cas, &medl_reader, &v, &n, &e), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(v[0].subitem, 2);
        CHECK_STR(v[0].owner, "Ledelsessekretariatet");
    }
    store_decision_rejections_free(v, n);
    CHECK_INT(store_decision_rejections(w.s, w.cas, NULL, &v, &n, &e), ERR_NOTFOUND);
    teardown(&w);
}

static void test_draft(void)
{
    struct world w = setup();
    struct err e = {0};
    int64_t draft = 0, m = 0, got = -1;
    CHECK_INT(store_decision_draft(w.s, w.cas, &medl, &draft, &m, &e), ERR_DENIED);
    CHECK_INT(store_decision_draft_get(w.s, w.cas, &sekr_reader, &got, &e), 0);
    CHECK_INT(got, 0);
    long long cases = fixture_count(w.s, "SELECT count(*) FROM \"case\"");
    CHECK_INT(store_decision_draft(w.s, w.cas, &sekr, &draft, &m, &e), 0);
    CHECK_INT(m, w.next);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM \"case\""), cases + 1);
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(w.s, draft, &reader_all, &c, &e), 0);
    if (c) {
        CHECK_STR(c->title, "Punkter til behandling");
        CHECK(c->presentation && strstr(c->presentation, "Direktionens møde den 20-12-2023"));
    }
    case_free(c);
    CHECK_INT(store_decision_draft_get(w.s, w.cas, &sekr_reader, &got, &e), 0);
    CHECK_INT(got, draft);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger WHERE action = 'decision.draft'"), 1);
    /* Once. */
    CHECK_INT(store_decision_draft(w.s, w.cas, &sekr, NULL, NULL, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "already") != NULL);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM \"case\""), cases + 1);
    teardown(&w);
}

int main(void)
{
    RUN(test_notes);
    RUN(test_rejections);
    RUN(test_draft);
    return TEST_REPORT();
}
