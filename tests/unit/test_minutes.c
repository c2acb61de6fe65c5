/* test_minutes: the minutes' approval round in the archive (issue 9, minutes): sending freezes
 * the agenda's case versions, per-member approvals and objections, the deadline for closing,
 * returning, approved minutes refusing every change but a tillæg, reopening as a new version;
 * bad input changes nothing and the ledger stays intact. */
#include "test.h"
#include "store_fixture.h"
#include "format/format.h"
#include "model/case.h"
#include "store/store.h"

#include <sqlite3.h>
#include <unistd.h>

static const struct store_actor tools = {.name = "cli:test", .reader = &reader_all};
static const char PW[] = "korrekt hest batteri";

struct person {
    struct store_reader rd;
    struct store_actor actor;
};

struct world {
    struct store *s;
    int64_t meeting, case1, case2;
    struct person sek, m1, m2, sb, oek;
};

static char *text_of(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static void person(struct world *w, struct person *p, const char *login, const char *body, int role)
{
    struct err e = {0};
    int64_t id = 0;
    CHECK_INT(store_account_add(w->s, login, login, NULL, false, PW, &tools, &id, &e), 0);
    if (body)
        CHECK_INT(store_grant(w->s, login, body, role, &tools, &e), 0);
    CHECK_INT(store_reader_load(w->s, id, &p->rd, &e), 0);
    p->actor = (struct store_actor){.account_id = id, .name = p->rd.login, .reader = &p->rd.reader};
}

static int mversion(struct world *w)
{
    struct store_meeting m = {0};
    struct err e = {0};
    int v = -1;
    if (store_meeting_get(w->s, w->meeting, &reader_all, &m, &e) == 0)
        v = m.version;
    store_meeting_fini(&m);
    return v;
}

static char *mstate(struct world *w)
{
    struct store_meeting m = {0};
    struct err e = {0};
    char *v = NULL;
    if (store_meeting_get(w->s, w->meeting, &reader_all, &m, &e) == 0)
        v = strdup(m.state);
    store_meeting_fini(&m);
    return v;
}

#define CHECK_STATE(w, want)                                                                       \
    do {                                                                                           \
        char *st_ = mstate(w);                                                                     \
        CHECK_STR(st_, want);                                                                      \
        free(st_);                                                                                 \
    } while (0)

static int step(struct world *w, const char *action, const char *reason, const struct person *p,
                struct err *e)
{
    *e = (struct err){0};
    return store_meeting_transition(w->s, w->meeting, mversion(w), action, reason, &p->actor, e);
}

static int cversion(struct world *w, int64_t case_id)
{
    struct store_case_ref r = {0};
    struct err e = {0};
    int v = -1;
    if (store_case_ref_get(w->s, case_id, &reader_all, &r, &e) == 0)
        v = r.version;
    store_case_ref_fini(&r);
    return v;
}

static int64_t add_case(struct world *w, const char *title, const char *decision)
{
    struct case_doc *c = case_new();
    c->title = strdup(title);
    c->public = true;
    c->presentation = strdup("Sagen forelægges.");
    struct decision *d = case_add_decision(c);
    d->body = strdup("Direktionen");
    d->date = strdup("2024-01-10");
    struct entry *en = decision_add_entry(d);
    en->title = strdup(title);
    en->text = strdup(decision);
    struct store_save sv = {.meeting_id = w->meeting, .model = c};
    int64_t id = 0;
    struct err e = {0};
    if (store_case_save(w->s, &sv, &w->sek.actor, &id, NULL, &e) != 0)
        fprintf(stderr, "case: %s\n", e.msg);
    case_free(c);
    return id;
}

/* A meeting of DIR with two cases, held (afholdt); members m1 and m2. */
static bool world_open(struct world *w, const char *name)
{
    struct err e = {0};
    memset(w, 0, sizeof *w);
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-minutes-%d-%s.db", (int)getpid(), name);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, suffix[i]);
        unlink(p);
    }
    fixture_clock("2024-01-10T08:00:00Z");
    if (store_open(dbpath, STORE_CREATE, &w->s, &e) != 0) {
        fprintf(stderr, "open: %s\n", e.msg);
        return false;
    }
    int64_t id;
    CHECK_INT(store_body_add(w->s, "DIR", "Direktionen", &tools, &id, &e), 0);
    CHECK_INT(store_body_add(w->s, "ØK", "Økonomiudvalget", &tools, &id, &e), 0);
    person(w, &w->sek, "sek", "DIR", ROLE_SEKRETAER);
    person(w, &w->m1, "m1", "DIR", ROLE_MEDLEM);
    person(w, &w->m2, "m2", "DIR", ROLE_MEDLEM);
    person(w, &w->sb, "sb", "DIR", ROLE_SAGSBEHANDLER);
    person(w, &w->oek, "oek", "ØK", ROLE_MEDLEM);
    struct store_meeting_save ms = {
        .body = "DIR", .date = "2024-01-10", .start = "09:00", .end = "12:00", .place = "Rådhuset"};
    if (store_meeting_save(w->s, &ms, &w->sek.actor, &w->meeting, NULL, &e) != 0) {
        fprintf(stderr, "meeting: %s\n", e.msg);
        return false;
    }
    w->case1 = add_case(w, "Budgetopfølgning", "Taget til efterretning.");
    w->case2 = add_case(w, "Rekruttering", "Godkendt.");
    CHECK(w->case1 && w->case2);
    /* Sending before the meeting is held is refused. */
    CHECK_INT(step(w, "send_referat_til_godkendelse", NULL, &w->sek, &e), ERR_CONFLICT);
    CHECK_INT(step(w, "frigiv_dagsorden", NULL, &w->sek, &e), 0);
    if (e.msg[0])
        fprintf(stderr, "frigiv: %s\n", e.msg);
    CHECK_INT(step(w, "start", NULL, &w->sek, &e), 0);
    CHECK_INT(step(w, "send_referat_til_godkendelse", NULL, &w->sek, &e), ERR_CONFLICT);
    CHECK_INT(step(w, "afslut", NULL, &w->sek, &e), 0);
    CHECK_INT(fixture_count(w->s, "SELECT count(*) FROM minutes_round"), 0);
    return w->meeting && w->case1 && w->case2;
}

static void world_close(struct world *w)
{
    struct person *all[] = {&w->sek, &w->m1, &w->m2, &w->sb, &w->oek};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        store_reader_fini(&all[i]->rd);
    int64_t broken = -1;
    char *why = NULL, head[65];
    size_t n = 0;
    struct err e = {0};
    CHECK_INT(store_ledger_verify(w->s, &broken, &why, &n, head, &e), 0);
    CHECK_INT(broken, 0);
    free(why);
    store_close(w->s);
    unlink(dbpath);
}

static int save_case(struct world *w, int64_t id, const char *presentation, struct err *e)
{
    struct case_doc *c = NULL;
    *e = (struct err){0};
    if (store_case_get(w->s, id, &reader_all, &c, e) < 0)
        return -100;
    free(c->presentation);
    c->presentation = strdup(presentation);
    struct store_save sv = {.case_id = id, .base_version = cversion(w, id), .model = c};
    int rc = store_case_save(w->s, &sv, &w->sek.actor, NULL, NULL, e);
    case_free(c);
    return rc;
}

static int64_t open_round_id(struct world *w)
{
    struct store_minutes m = {0};
    struct err e = {0};
    int64_t id = 0;
    if (store_minutes_get(w->s, w->meeting, &reader_all, &m, &e) == 0 && store_minutes_open(&m))
        id = store_minutes_open(&m)->id;
    store_minutes_fini(&m);
    return id;
}

/* Sending freezes the versions; members approve one by one; an objection blocks until it is
 * answered; who may not approve is refused with nothing changed. */
static void approval_round(void)
{
    struct world w;
    if (!world_open(&w, "round")) {
        CHECK(0);
        return;
    }
    struct err e = {0};
    int v1 = cversion(&w, w.case1), v2 = cversion(&w, w.case2);
    CHECK_INT(step(&w, "send_referat_til_godkendelse", NULL, &w.m1, &e), ERR_DENIED);
    CHECK_INT(step(&w, "send_referat_til_godkendelse", NULL, &w.sek, &e), 0);
    CHECK_STATE(&w, "referat_til_godkendelse");
    int64_t round = open_round_id(&w);
    CHECK(round > 0);
    struct store_minutes m = {0};
    CHECK_INT(store_minutes_get(w.s, w.meeting, &w.m1.rd.reader, &m, &e), 0);
    CHECK_INT(m.version, 1);
    CHECK_INT(m.approval_days, 3);
    CHECK_INT(m.nrounds, 1);
    if (m.nrounds == 1) {
        CHECK_INT(m.rounds[0].ncases, 2);
        CHECK_INT(m.rounds[0].cases[0].case_id, w.case1);
        CHECK_INT(m.rounds[0].cases[0].version, v1);
        CHECK_INT(m.rounds[0].cases[1].version, v2);
        CHECK_INT(m.rounds[0].nmembers, 2);
        CHECK_STR(m.rounds[0].deadline, "2024-01-13T08:00:00Z");
    }
    store_minutes_fini(&m);
    /* the public and another body's member do not get the minutes' page */
    CHECK_INT(store_minutes_get(w.s, w.meeting, NULL, &m, &e), ERR_NOTFOUND);
    CHECK_INT(store_minutes_get(w.s, w.meeting, &w.oek.rd.reader, &m, &e), ERR_NOTFOUND);
    /* Out for approval: the cases cannot change, nor their steps, nor new cases join. */
    long long events = fixture_count(w.s, "SELECT count(*) FROM ledger");
    CHECK_INT(save_case(&w, w.case1, "Ændret under runden.", &e), ERR_DENIED);
    CHECK(strstr(e.msg, "out for approval") != NULL);
    CHECK_INT(cversion(&w, w.case1), v1);
    CHECK_INT(store_case_transition(w.s, w.case1, v1, "udsaet", NULL, &w.sek.actor, &e),
              ERR_DENIED);
    CHECK_INT(add_case(&w, "Ny sag", "x"), 0);
    /* approvals by who may not */
    bool approved = true;
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round, &w.sb.actor, &approved, &e), ERR_DENIED);
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round, &w.oek.actor, &approved, &e),
              ERR_DENIED);
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round, &w.sek.actor, &approved, &e),
              ERR_DENIED);
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round, &tools, &approved, &e), ERR_DENIED);
    CHECK_INT(step(&w, "godkend_referat", NULL, &w.sb, &e), ERR_DENIED);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger"), events);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM minutes_member WHERE approved_at IS NOT NULL"), 0);
    /* an approval of a round that is not the open one */
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round + 7, &w.m1.actor, &approved, &e),
              ERR_CONFLICT);
    /* m1 approves: one of two */
    fixture_clock("2024-01-10T14:00:00Z");
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round, &w.m1.actor, &approved, &e), 0);
    CHECK(!approved);
    CHECK_STATE(&w, "referat_til_godkendelse");
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round, &w.m1.actor, &approved, &e),
              ERR_CONFLICT);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger WHERE action = 'minutes.approve' AND "
                         "actor = 'm1' AND at = '2024-01-10T14:00:00Z'"),
              1);
    /* m2 objects, then approves: the objection still blocks */
    int64_t oid = 0;
    CHECK_INT(store_minutes_object(w.s, w.meeting, round, "  ", &w.m2.actor, &oid, &e), ERR_USAGE);
    CHECK_INT(store_minutes_object(w.s, w.meeting, round, "Forkert", &w.sb.actor, &oid, &e),
              ERR_DENIED);
    CHECK_INT(store_minutes_object(w.s, w.meeting, round, "Punkt 2: navnet er stavet forkert.",
                                   &w.m2.actor, &oid, &e),
              0);
    CHECK(oid > 0);
    CHECK_INT(store_minutes_approve(w.s, w.meeting, round, &w.m2.actor, &approved, &e), 0);
    CHECK(!approved);
    CHECK_STATE(&w, "referat_til_godkendelse");
    /* closing before the deadline, and with an objection unanswered, is refused */
    CHECK_INT(step(&w, "luk_godkendelse", NULL, &w.sek, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "2024-01-13T08:00:00Z") != NULL);
    /* only the sekretær answers; the answer completes the round */
    CHECK_INT(store_minutes_answer(w.s, w.meeting, oid, "Rettet.", &w.m1.actor, &approved, &e),
              ERR_DENIED);
    CHECK_INT(store_minutes_answer(w.s, w.meeting, oid, "", &w.sek.actor, &approved, &e),
              ERR_USAGE);
    CHECK_INT(store_minutes_answer(w.s, w.meeting, oid,
                                   "Navnet er korrekt stavet i "
                                   "personaleregistret.",
                                   &w.sek.actor, &approved, &e),
              0);
    CHECK(approved);
    CHECK_STATE(&w, "referat_godkendt");
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM minutes_round WHERE outcome = 'godkendt'"), 1);
    CHECK_INT(store_minutes_answer(w.s, w.meeting, oid, "igen", &w.sek.actor, &approved, &e),
              ERR_CONFLICT);
    world_close(&w);
}

/* Approved minutes refuse every change but a tillæg; a tillæg is a new version with one more
 * addition, in the exports; a second tab's stale tillæg is refused. */
static void append_only(void)
{
    struct world w;
    if (!world_open(&w, "append")) {
        CHECK(0);
        return;
    }
    struct err e = {0};
    CHECK_INT(step(&w, "send_referat_til_godkendelse", NULL, &w.sek, &e), 0);
    /* the API's way: godkend_referat through the transition, one member at a time */
    CHECK_INT(step(&w, "godkend_referat", NULL, &w.m1, &e), 0);
    CHECK_STATE(&w, "referat_til_godkendelse");
    CHECK_INT(step(&w, "godkend_referat", NULL, &w.m1, &e), ERR_CONFLICT);
    CHECK_INT(step(&w, "godkend_referat", NULL, &w.m2, &e), 0);
    CHECK_STATE(&w, "referat_godkendt");
    int v = cversion(&w, w.case1);
    long long events = fixture_count(w.s, "SELECT count(*) FROM ledger");
    CHECK_INT(save_case(&w, w.case1, "Overskrevet.", &e), ERR_DENIED);
    CHECK(strstr(e.msg, "addition") != NULL);
    CHECK_INT(store_case_transition(w.s, w.case1, v, "udsaet", NULL, &w.sek.actor, &e), ERR_DENIED);
    struct store_attachment_upload up = {.case_id = w.case1,
                                         .base_version = v,
                                         .title = "Bilag",
                                         .public = true,
                                         .filename = "a.txt",
                                         .bytes = "hej",
                                         .len = 3};
    unsigned num = 0;
    CHECK(store_case_attachment_upload(w.s, &up, &w.sek.actor, &num, &e) < 0);
    CHECK_INT(cversion(&w, w.case1), v);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger"), events);
    /* tillæg: bad input first */
    int nv = 0;
    CHECK_INT(store_minutes_addition(w.s, w.case1, v, " ", "Tekst", &w.sek.actor, &nv, &e),
              ERR_USAGE);
    CHECK(strncmp(e.msg, "reason:", 7) == 0);
    CHECK_INT(store_minutes_addition(w.s, w.case1, v, "Stavefejl", "", &w.sek.actor, &nv, &e),
              ERR_USAGE);
    CHECK(strncmp(e.msg, "text:", 5) == 0);
    CHECK_INT(store_minutes_addition(w.s, w.case1, v, "Stavefejl", "x", &w.m1.actor, &nv, &e),
              ERR_DENIED);
    CHECK_INT(cversion(&w, w.case1), v);
    fixture_clock("2024-01-15T09:30:00Z");
    CHECK_INT(store_minutes_addition(w.s, w.case1, v, "Stavefejl i beslutningen.  ",
                                     "Der skulle stå \"taget til efterretning\".\r\n\r\n\r\n"
                                     "Øvrigt uændret.",
                                     &w.sek.actor, &nv, &e),
              0);
    CHECK_INT(nv, v + 1);
    /* the second tab still has version v */
    CHECK_INT(store_minutes_addition(w.s, w.case1, v, "Igen", "Tekst", &w.sek.actor, &nv, &e),
              ERR_CONFLICT);
    CHECK_INT(fixture_count(w.s, "SELECT count(*) FROM ledger WHERE action = 'case.addition'"), 1);
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(w.s, w.case1, &reader_all, &c, &e), 0);
    if (c) {
        CHECK_INT(c->nadditions, 1);
        if (c->nadditions) {
            CHECK_STR(c->additions[0].date, "2024-01-15");
            CHECK_STR(c->additions[0].reason, "Stavefejl i beslutningen.");
            CHECK_STR(c->additions[0].text,
                      "Der skulle stå \"taget til efterretning\".\n\nØvrigt uændret.");
        }
        /* every export carries it and md/txt read it back */
        const struct fmt_writer *wr[] = {&fmt_write_md, &fmt_write_txt};
        const struct fmt_reader *rd[] = {&fmt_read_md, &fmt_read_txt};
        for (size_t k = 0; k < 2; k++) {
            struct buf b = BUF_INIT;
            fmt_write(wr[k], c, FMT_PUBLIC, &b);
            CHECK(strstr(buf_cstr(&b), "Tillæg den 15-01-2024") != NULL);
            struct case_doc *back = NULL;
            struct warnings ws = {0};
            CHECK_INT(fmt_read(rd[k], b.ptr, b.len, 0, &back, &e, &ws), 0);
            if (back) {
                CHECK_INT(back->nadditions, 1);
                CHECK_STR(back->additions[0].text, c->additions[0].text);
            }
            case_free(back);
            warnings_fini(&ws);
            buf_free(&b);
        }
    }
    case_free(c);
    /* the earlier version is still there, without it */
    CHECK_INT(store_case_get_version(w.s, w.case1, v, &reader_all, &c, &e), 0);
    if (c)
        CHECK_INT(c->nadditions, 0);
    case_free(c);
    /* a tillæg on minutes that are not approved: change the case instead */
    CHECK_INT(step(&w, "genaabn", NULL, &w.sek, &e), ERR_SYNTAX);
    CHECK_INT(step(&w, "genaabn", "Punkt 2 skal skrives om.", &w.sek, &e), 0);
    CHECK_STATE(&w, "afholdt");
    CHECK_INT(store_minutes_addition(w.s, w.case2, cversion(&w, w.case2), "r", "t", &w.sek.actor,
                                     &nv, &e),
              ERR_CONFLICT);
    world_close(&w);
}

/* Reopening: a new numbered version, the approved one readable; the deadline lets the
 * sekretær close the round, recording who did not answer; a returned round's page is stale. */
static void reopen_and_close(void)
{
    struct world w;
    if (!world_open(&w, "reopen")) {
        CHECK(0);
        return;
    }
    struct err e = {0};
    bool approved = false;
    CHECK_INT(step(&w, "send_referat_til_godkendelse", NULL, &w.sek, &e), 0);
    int64_t r1 = open_round_id(&w);
    /* returned with a reason, sent again: the first round's page is stale */
    CHECK_INT(step(&w, "returner_referat", NULL, &w.sek, &e), ERR_SYNTAX);
    CHECK_INT(step(&w, "returner_referat", "Punkt 1 mangler.", &w.sek, &e), 0);
    CHECK_STATE(&w, "afholdt");
    CHECK_INT(save_case(&w, w.case1, "Rettet efter returnering.", &e), 0);
    int v1 = cversion(&w, w.case1);
    CHECK_INT(step(&w, "send_referat_til_godkendelse", NULL, &w.sek, &e), 0);
    int64_t r2 = open_round_id(&w);
    CHECK(r2 > r1);
    CHECK_INT(store_minutes_approve(w.s, w.meeting, r1, &w.m1.actor, &approved, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "ikke længere") != NULL);
    CHECK_INT(store_minutes_approve(w.s, w.meeting, r2, &w.m1.actor, &approved, &e), 0);
    /* m2 does not answer: three days later the sekretær closes the round */
    fixture_clock("2024-01-13T07:59:59Z");
    CHECK_INT(step(&w, "luk_godkendelse", NULL, &w.sek, &e), ERR_CONFLICT);
    CHECK_STATE(&w, "referat_til_godkendelse");
    fixture_clock("2024-01-13T08:00:00Z");
    CHECK_INT(step(&w, "luk_godkendelse", NULL, &w.m1, &e), ERR_DENIED);
    CHECK_INT(step(&w, "luk_godkendelse", NULL, &w.sek, &e), 0);
    CHECK_STATE(&w, "referat_godkendt");
    char *detail = text_of(w.s, "SELECT detail FROM ledger WHERE action = 'minutes.close'");
    CHECK(detail && strstr(detail, "\"unanswered\":[{") && strstr(detail, "\"name\":\"m2\"") &&
          !strstr(detail, "\"m1\""));
    free(detail);
    /* publish, then reopen: version 2 starts as a draft; version 1 stays as approved */
    CHECK_INT(step(&w, "offentliggoer", NULL, &w.sek, &e), 0);
    CHECK_INT(step(&w, "genaabn", "Fejl i punkt 2.", &w.m1, &e), ERR_DENIED);
    CHECK_INT(step(&w, "genaabn", "Fejl i punkt 2.", &w.sek, &e), 0);
    CHECK_STATE(&w, "afholdt");
    CHECK_INT(save_case(&w, w.case2, "Skrevet om.", &e), 0);
    CHECK_INT(step(&w, "send_referat_til_godkendelse", NULL, &w.sek, &e), 0);
    struct store_minutes m = {0};
    CHECK_INT(store_minutes_get(w.s, w.meeting, &w.sek.rd.reader, &m, &e), 0);
    CHECK_INT(m.version, 2);
    CHECK_INT(m.nreopens, 1);
    CHECK_INT(m.nrounds, 3);
    const struct store_minutes_round *a1 = store_minutes_approved(&m, 1);
    CHECK(a1 != NULL);
    if (a1) {
        CHECK_STR(a1->outcome, "lukket");
        CHECK_INT(a1->cases[0].version, v1);
        CHECK(a1->cases[1].version < cversion(&w, w.case2));
    }
    CHECK(store_minutes_approved(&m, 2) == NULL);
    const struct store_minutes_round *o = store_minutes_open(&m);
    CHECK(o && o->version == 2);
    if (o)
        CHECK_INT(o->cases[1].version, cversion(&w, w.case2));
    store_minutes_fini(&m);
    world_close(&w);
}

/* The body's minutes.approval_days decides when the round may be closed. */
static void approval_days_setting(void)
{
    struct world w;
    if (!world_open(&w, "days")) {
        CHECK(0);
        return;
    }
    struct err e = {0};
    CHECK_INT(store_body_setting_set(w.s, "DIR", "minutes.approval_days", "400", &w.sek.actor, &e),
              ERR_USAGE);
    CHECK_INT(store_body_setting_set(w.s, "DIR", "minutes.approval_days", "1", &w.sek.actor, &e),
              0);
    CHECK_INT(step(&w, "send_referat_til_godkendelse", NULL, &w.sek, &e), 0);
    fixture_clock("2024-01-11T07:59:59Z");
    CHECK_INT(step(&w, "luk_godkendelse", NULL, &w.sek, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "1 dage") != NULL);
    fixture_clock("2024-01-11T08:00:00Z");
    CHECK_INT(step(&w, "luk_godkendelse", NULL, &w.sek, &e), 0);
    CHECK_STATE(&w, "referat_godkendt");
    /* nobody answered: both recorded */
    char *detail = text_of(w.s, "SELECT detail FROM ledger WHERE action = 'minutes.close'");
    CHECK(detail && strstr(detail, "\"m1\"") && strstr(detail, "\"m2\"") &&
          strstr(detail, "\"days\":1"));
    free(detail);
    world_close(&w);
}

int main(void)
{
    RUN(approval_round);
    RUN(append_only);
    RUN(reopen_and_close);
    RUN(approval_days_setting);
    return TEST_REPORT();
}
