/* test_publication: publishing minutes in the archive (issue 9, publication). First the
 * safety rule: the decisions (and follow-ups) written into a case in referat reach no public
 * read (the case, an earlier version, its source, the follow-up lists, the public search
 * index) until the meeting's minutes are offentliggjort. */
#include "test.h"
#include "store_fixture.h"
#include "format/format.h"
#include "util/buf.h"
#include "search/search.h"
#include "store/store.h"
#include "model/case.h"
#include "model/meeting.h"

#include <sqlite3.h>
#include <unistd.h>

static struct store *fresh(void)
{
    return fixture_fresh("publication");
}

static const struct store_actor tools = {0, "cli:test", NULL, &reader_all};
/* Body DIR (id 1): a sekretær and its one member, real accounts (the minutes' approval round
 * counts the body's members and records who sent it). */
static struct store_reader sekr_rd, medl_rd;
static struct reader sekr_reader, medl_reader;
static struct store_actor sekr, medl;

static void account(struct store *s, const char *login, int role, struct store_reader *rd,
                    struct reader *r, struct store_actor *a)
{
    struct err e = {0};
    int64_t id = 0;
    store_reader_fini(rd);
    memset(rd, 0, sizeof *rd);
    if (store_account_add(s, login, login, NULL, false, "korrekt hest batteri", &tools, &id,
                          &e) < 0 ||
        store_grant(s, login, "DIR", role, &tools, &e) < 0 || store_reader_load(s, id, rd, &e) < 0)
        fprintf(stderr, "account %s: %s\n", login, e.msg);
    *r = rd->reader;
    *a = (struct store_actor){.account_id = id, .name = login, .reader = r};
}

static struct store *with_body(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t id;
    if (store_body_add(s, "DIR", "Direktionen", &tools, &id, &e) < 0)
        fprintf(stderr, "body: %s\n", e.msg);
    account(s, "sekr", ROLE_SEKRETAER, &sekr_rd, &sekr_reader, &sekr);
    account(s, "medl", ROLE_MEDLEM, &medl_rd, &medl_reader, &medl);
    return s;
}

static int64_t meeting(struct store *s, const char *date)
{
    struct store_meeting_save m = {.body = "DIR", .date = date, .start = "09:00",
                                   .end = "12:00", .place = "Rådhuset"};
    int64_t id = 0;
    struct err e = {0};
    if (store_meeting_save(s, &m, &sekr, &id, NULL, &e) < 0)
        fprintf(stderr, "meeting: %s\n", e.msg);
    return id;
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

static int step(struct store *s, int64_t mid, const char *action, const char *reason,
                const struct store_actor *a)
{
    struct err e = {0};
    int rc = store_meeting_transition(s, mid, version_of(s, mid), action, reason, a, &e);
    if (rc < 0)
        fprintf(stderr, "  (%s: %s)\n", action, e.msg);
    return rc;
}

/* A case on the meeting (the Direktion needs no sign-off: it is on the agenda at once). */
static int64_t add_case(struct store *s, int64_t mid, const char *title, const char *text)
{
    struct case_doc *c = case_new();
    c->title = strdup(title);
    c->public = true;
    c->presentation = strdup(text);
    struct store_save sv = {.meeting_id = mid, .model = c};
    int64_t id = 0;
    struct err e = {0};
    if (store_case_save(s, &sv, &sekr, &id, NULL, &e) < 0)
        fprintf(stderr, "case: %s\n", e.msg);
    case_free(c);
    return id;
}

/* Writes a decision with one entry and one follow-up into the case. */
static int decide(struct store *s, int64_t cid, const char *text)
{
    struct case_doc *c = NULL;
    struct err e = {0};
    int rc = store_case_get(s, cid, &reader_all, &c, &e);
    if (rc < 0)
        return rc;
    int version = 0;
    struct store_case_ref ref = {0};
    if ((rc = store_case_ref_get(s, cid, &reader_all, &ref, &e)) == 0)
        version = ref.version;
    store_case_ref_fini(&ref);
    struct decision *d = case_add_decision(c);
    d->body = strdup("Direktionen");
    d->date = strdup("2026-12-20");
    struct entry *en = decision_add_entry(d);
    en->title = strdup("Beslutning");
    en->text = strdup(text);
    struct followup *f = entry_add_followup(en);
    f->owner = strdup("Ledelsessekretariatet");
    f->text = strdup("Ledelsessekretariatet følger op.");
    struct store_save sv = {.case_id = cid, .base_version = version, .model = c};
    if ((rc = store_case_save(s, &sv, &sekr, NULL, NULL, &e)) < 0)
        fprintf(stderr, "decide: %s\n", e.msg);
    case_free(c);
    return rc;
}

static size_t hits(struct store *s, const char *q, const struct reader *r)
{
    struct search_params p = {.query = q, .reader = r};
    struct search_result res = {0};
    struct err e = {0};
    if (store_search(s, &p, &res, &e) < 0) {
        fprintf(stderr, "search: %s\n", e.msg);
        return (size_t)-1;
    }
    size_t n = res.total;
    search_result_fini(&res);
    return n;
}

static size_t public_followups(struct store *s)
{
    struct store_followup_filter f = {0};
    struct store_followup *v = NULL;
    size_t n = 0, total = 0;
    struct err e = {0};
    if (store_followups(s, &f, NULL, NULL, &v, &n, &total, &e) < 0)
        return (size_t)-1;
    store_followups_free(v, n);
    return total;
}

/* What the public may read of the case now: its decisions count, or -1 when refused. */
static long public_decisions(struct store *s, int64_t cid)
{
    struct case_doc *c = NULL;
    struct err e = {0};
    if (store_case_get(s, cid, NULL, &c, &e) < 0)
        return -1;
    long n = (long)c->ndecisions;
    case_free(c);
    return n;
}

static bool public_source_refused(struct store *s, int64_t cid, int version)
{
    struct store_source src = {0};
    struct err e = {0};
    int rc = store_source_get(s, cid, version, NULL, &src, &e);
    store_source_fini(&src);
    return rc == ERR_CLOSED;
}

static void test_minutes_hidden_until_published(void)
{
    struct store *s = with_body();
    fixture_clock("2026-12-01T10:00:00Z");
    int64_t mid = meeting(s, "2026-12-20");
    int64_t cid = add_case(s, mid, "Budgetopfølgning", "Status på budgettet.");
    CHECK(cid > 0);
    CHECK_INT(step(s, mid, "frigiv_dagsorden", NULL, &sekr), 0);
    /* Released: the case is public, without minutes. */
    CHECK_INT(public_decisions(s, cid), 0);
    CHECK_INT(hits(s, "budgettet", NULL), 1);
    fixture_clock("2026-12-20T09:00:00Z");
    CHECK_INT(step(s, mid, "start", NULL, &sekr), 0);
    CHECK_INT(decide(s, cid, "Kanariefuglen blev godkendt."), 0);
    /* Written in the meeting: staff read it, the public nothing of it anywhere. */
    struct case_doc *c = NULL;
    struct err e = {0};
    CHECK_INT(store_case_get(s, cid, &medl_reader, &c, &e), 0);
    CHECK(c && c->ndecisions == 1);
    case_free(c);
    CHECK_INT(public_decisions(s, cid), 0);
    c = NULL;
    CHECK_INT(store_case_get_version(s, cid, 1, NULL, &c, &e), 0);
    CHECK(c && c->ndecisions == 0);
    case_free(c);
    CHECK(public_source_refused(s, cid, 0));
    CHECK(!public_source_refused(s, cid, 1)); /* the version before the decision */
    CHECK_INT(hits(s, "kanariefuglen", NULL), 0);
    CHECK_INT(hits(s, "budgettet", NULL), 1); /* the rest of the case stays public */
    CHECK_INT(public_followups(s), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM followup"), 1);
    /* Through the whole round, still nothing. */
    CHECK_INT(step(s, mid, "afslut", NULL, &sekr), 0);
    CHECK_INT(step(s, mid, "send_referat_til_godkendelse", NULL, &sekr), 0);
    CHECK_INT(public_decisions(s, cid), 0);
    CHECK_INT(step(s, mid, "godkend_referat", NULL, &medl), 0);
    CHECK_INT(public_decisions(s, cid), 0);
    CHECK_INT(hits(s, "kanariefuglen", NULL), 0);
    CHECK_INT(public_followups(s), 0);
    /* Published: at once on every public read, the search index in the same step. */
    CHECK_INT(step(s, mid, "offentliggoer", NULL, &sekr), 0);
    CHECK_INT(public_decisions(s, cid), 1);
    CHECK_INT(hits(s, "kanariefuglen", NULL), 1);
    CHECK_INT(public_followups(s), 1);
    CHECK(!public_source_refused(s, cid, 0));
    store_close(s);
}

/* A case without a meeting, and imported minutes, are not affected wrongly: an imported
 * case's decisions were published with it. */
static void test_imported_minutes_stay_public(void)
{
    struct store *s = with_body();
    size_t n = 0;
    char *bytes = test_read_file(EXAMPLES_DIR "/01-digitaliseringsstrategi.md", &n);
    CHECK(bytes != NULL);
    if (!bytes) {
        store_close(s);
        return;
    }
    const struct fmt_reader *r = fmt_reader_find("md");
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    CHECK_INT(fmt_read(r, bytes, n, 0, &c, &e, &w), 0);
    struct store_doc d = {"01-digitaliseringsstrategi.md", "md", bytes, n, c};
    int64_t cid = 0;
    CHECK_INT(store_import(s, &d, NULL, NULL, &cid, &e), 0);
    CHECK(c && c->ndecisions > 0);
    CHECK_INT(public_decisions(s, cid), c ? (long)c->ndecisions : -2);
    CHECK(public_followups(s) > 0);
    case_free(c);
    warnings_fini(&w);
    free(bytes);
    store_close(s);
}

/* The levels, as case_view applies them for the public. */
static void test_levels(void)
{
    struct case_doc *c = case_new();
    c->title = strdup("Budget");
    c->public = true;
    c->presentation = strdup("Åben tekst.");
    struct decision *d = case_add_decision(c);
    d->body = strdup("Direktionen");
    d->date = strdup("2026-12-20");
    d->text = strdup("Godkendt.");
    struct attachment *a = case_add_attachment(c);
    a->number = 1;
    a->public = true;
    a->title = strdup("Oversigt");
    a->journal = strdup("118800/23");
    a = case_add_attachment(c);
    a->number = 2;
    a->public = true;
    a->title = strdup("Udkast");
    /* Default: open in full; bilag by their own level. */
    c->attachments[0].publication = PUB_TITLE;
    c->attachments[1].publication = PUB_NONE;
    struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
    CHECK(v->public && v->presentation && v->ndecisions == 1);
    CHECK_INT(v->nattachments, 1);
    CHECK(v->nattachments == 1 && !v->attachments[0].public && !v->attachments[0].journal);
    CHECK(case_is_redacted(v));
    case_free(v);
    /* beslutning: title and decision only, with the tillæg that correct it. */
    c->publication = PUB_DECISION;
    struct addition *ad = case_add_addition(c);
    ad->date = strdup("2027-01-05");
    ad->reason = strdup("Stavefejl");
    ad->text = strdup("Rettet.");
    v = case_view(c, AUDIENCE_PUBLIC);
    CHECK(v->public && !v->presentation && v->ndecisions == 1 && !v->nattachments);
    CHECK_INT(v->nadditions, 1);
    CHECK_STR(v->title, "Budget");
    /* Before the minutes are published: neither the decision nor the tillæg. */
    case_hide_minutes(v);
    CHECK(v->ndecisions == 0 && v->nadditions == 0);
    case_free(v);
    /* titel: the title alone. */
    c->publication = PUB_TITLE;
    v = case_view(c, AUDIENCE_PUBLIC);
    CHECK(!v->public && !v->presentation && !v->ndecisions && case_is_redacted(v));
    case_free(v);
    /* Closed: never in full; by its public title, with its public decision only. */
    c->public = false;
    c->public_title = strdup("Personalesag");
    c->publication = PUB_FULL;
    v = case_view(c, AUDIENCE_PUBLIC);
    CHECK(!v->public && !v->presentation && !v->ndecisions);
    CHECK_STR(v->title, "Personalesag");
    case_free(v);
    c->publication = PUB_AUTO;
    c->public_decision = strdup("Direktionen traf en beslutning i en personalesag.");
    CHECK_INT(case_publication_level(c), PUB_DECISION);
    v = case_view(c, AUDIENCE_PUBLIC);
    /* Still closed to every writer: its public title, and the public decision beside it. */
    CHECK(!v->public && !v->presentation && v->ndecisions == 0 && !v->nattachments);
    CHECK(case_is_redacted(v));
    CHECK_STR(v->title, "Personalesag");
    CHECK_STR(v->public_decision, "Direktionen traf en beslutning i en personalesag.");
    case_hide_minutes(v); /* the minutes not yet published: not even that */
    CHECK(v->public_decision == NULL);
    case_free(v);
    /* Without the level (titel), not even the public decision. */
    c->publication = PUB_TITLE;
    v = case_view(c, AUDIENCE_PUBLIC);
    CHECK(v->public_decision == NULL && !v->ndecisions);
    case_free(v);
    c->publication = PUB_AUTO;
    /* The staff copy keeps everything; JSON carries the levels and reads them back. */
    v = case_dup(c);
    CHECK(case_equal(c, v, true));
    v->attachments[0].publication = PUB_FULL;
    CHECK(!case_equal(c, v, true));
    case_free(v);
    struct buf b = BUF_INIT;
    fmt_write(&fmt_write_json, c, FMT_NOLAYOUT, &b);
    CHECK(strstr(buf_cstr(&b), "\"public_decision\"") && strstr(buf_cstr(&b), "\"titel\""));
    struct case_doc *back = NULL;
    struct err e = {0};
    struct warnings w = {0};
    CHECK_INT(fmt_read(&fmt_read_json, b.ptr, b.len, FMT_NOLAYOUT | FMT_NOEXTRACT, &back, &e,
                       &w), 0);
    CHECK(back && case_equal(c, back, false));
    case_free(back);
    warnings_fini(&w);
    /* A level that does not exist is refused at its key. */
    const char *bad = "{\"format\": \"referat-case/1\", \"title\": \"x\", \"public\": true, "
                      "\"publication\": \"halv\"}";
    back = NULL;
    CHECK(fmt_read(&fmt_read_json, bad, strlen(bad), 0, &back, &e, &w) < 0);
    CHECK(strstr(e.msg, "publication") && strstr(e.msg, "beslutning"));
    case_free(back);
    warnings_fini(&w);
    buf_free(&b);
    case_free(c);
}

/* The levels kept in the archive: the public reads by them, staff read the levels back. */
static void test_levels_stored(void)
{
    struct store *s = with_body();
    fixture_clock("2026-12-01T10:00:00Z");
    int64_t mid = meeting(s, "2026-12-20");
    int64_t cid = add_case(s, mid, "Budget", "Åben tekst om regnskabet.");
    int64_t closed = add_case(s, mid, "Personsag", "Åben til at begynde med.");
    CHECK_INT(step(s, mid, "frigiv_dagsorden", NULL, &sekr), 0);
    struct err e = {0};
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(s, cid, &reader_all, &c, &e), 0);
    c->publication = PUB_TITLE;
    struct store_save sv = {.case_id = cid, .base_version = 1, .model = c};
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), 0);
    case_free(c);
    c = NULL;
    CHECK_INT(store_case_get(s, cid, &reader_all, &c, &e), 0);
    CHECK_INT(c ? (int)c->publication : -1, PUB_TITLE);
    case_free(c);
    c = NULL;
    CHECK_INT(store_case_get(s, cid, NULL, &c, &e), 0);
    CHECK(c && !c->presentation && !c->public);
    CHECK_STR(c ? c->title : NULL, "Budget");
    case_free(c);
    CHECK_INT(hits(s, "regnskabet", NULL), 0);
    CHECK_INT(hits(s, "budget", NULL), 1); /* its title is public */
    /* Closed with a public decision: the public reads that, once the minutes are out. */
    c = NULL;
    CHECK_INT(store_case_get(s, closed, &reader_all, &c, &e), 0);
    c->public = false;
    c->public_title = strdup("Personalesag");
    c->public_decision = strdup("Direktionen traf beslutning i en personalesag.");
    sv = (struct store_save){.case_id = closed, .base_version = 1, .model = c};
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), 0);
    case_free(c);
    c = NULL;
    CHECK_INT(store_case_get(s, closed, NULL, &c, &e), 0);
    CHECK(c && c->ndecisions == 0 && !c->presentation && !c->public_decision);
    CHECK_STR(c ? c->title : NULL, "Personalesag");
    case_free(c);
    /* ingen: not public at all. */
    c = NULL;
    CHECK_INT(store_case_get(s, cid, &reader_all, &c, &e), 0);
    c->publication = PUB_NONE;
    sv = (struct store_save){.case_id = cid, .base_version = 2, .model = c};
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), 0);
    case_free(c);
    c = NULL;
    CHECK_INT(store_case_get(s, cid, NULL, &c, &e), ERR_NOTFOUND);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\" WHERE publication = 'ingen'"), 1);
    store_close(s);
}

/* offentliggoer: every problem of every case at once, nothing published half; then afpublicer
 * (a reason) takes the minutes off every public read at once. */
static void test_publish_guard_and_unpublish(void)
{
    struct store *s = with_body();
    struct err e = {0};
    fixture_clock("2026-12-01T10:00:00Z");
    CHECK_INT(store_body_setting_set(s, "DIR", "publication.rule", "kommunalbestyrelse", &sekr,
                                     &e), 0);
    int64_t mid = meeting(s, "2026-12-20");
    int64_t a = add_case(s, mid, "Budget", "Status på budgettet.");
    int64_t b = add_case(s, mid, "Orientering", "Kort orientering.");
    int64_t c = add_case(s, mid, "Personsag", "Lukket tekst.");
    struct case_doc *m = NULL;
    CHECK_INT(store_case_get(s, c, &reader_all, &m, &e), 0);
    m->public = false;
    m->public_title = strdup("Personalesag");
    struct store_save sv = {.case_id = c, .base_version = 1, .model = m};
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), 0);
    case_free(m);
    CHECK_INT(step(s, mid, "frigiv_dagsorden", NULL, &sekr), 0);
    fixture_clock("2026-12-20T09:00:00Z");
    CHECK_INT(step(s, mid, "start", NULL, &sekr), 0);
    /* A closed bilag of the case, quoted in the decision (the release guard on saves does
     * not look for that; CPR numbers it refuses already). */
    m = NULL;
    CHECK_INT(store_case_get(s, a, &reader_all, &m, &e), 0);
    m->has_attachments = true;
    struct attachment *at = case_add_attachment(m);
    at->number = 1;
    at->public = false;
    at->title = strdup("Notat om medarbejder");
    at->document = strdup("3553435");
    sv = (struct store_save){.case_id = a, .base_version = 1, .model = m};
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), 0);
    case_free(m);
    CHECK_INT(decide(s, a, "Godkendt, jf. dokument 3553435."), 0);
    CHECK_INT(step(s, mid, "afslut", NULL, &sekr), 0);
    CHECK_INT(step(s, mid, "send_referat_til_godkendelse", NULL, &sekr), 0);
    CHECK_INT(step(s, mid, "godkend_referat", NULL, &medl), 0);
    int v = version_of(s, mid);
    long long events = fixture_count(s, "SELECT count(*) FROM ledger");
    CHECK_INT(store_meeting_transition(s, mid, v, "offentliggoer", NULL, &sekr, &e), ERR_DENIED);
    CHECK(strstr(e.msg, "3 problemer") && strstr(e.msg, "punkt 1") &&
          strstr(e.msg, "lukket bilag") && strstr(e.msg, "linje 1, kolonne 24"));
    CHECK(!strstr(e.msg, "3553435"));
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting WHERE state = 'referat_godkendt' AND "
                       "minutes_published_at IS NULL"), 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger"), events);
    CHECK_INT(public_decisions(s, a), 0);
    /* The list of all of them, in agenda order, by public title. */
    struct store_publish_problem *pv = NULL;
    size_t np = 0;
    CHECK_INT(store_meeting_publish_check(s, mid, NULL, &pv, &np, &e), ERR_DENIED);
    CHECK_INT(store_meeting_publish_check(s, mid, &sekr_reader, &pv, &np, &e), 0);
    CHECK_INT(np, 3);
    if (np == 3) {
        CHECK(pv[0].position == 1 && pv[0].case_id == a);
        CHECK_STR(pv[0].field, "Beslutning 1, punkt 1, tekst");
        CHECK(pv[1].position == 2 && pv[1].case_id == b);
        CHECK_STR(pv[1].rule, "en tom beslutning");
        CHECK(pv[2].position == 3 && pv[2].case_id == c);
        CHECK_STR(pv[2].rule, "ingen offentlig beslutningstekst");
        CHECK_STR(pv[2].title, "Personalesag");
    }
    store_publish_problems_free(pv, np);
    /* The minutes are approved: a fix is not a save (the minutes helper's tillæg). Here the
     * rows stand for a corrected archive, and the rule is set to frivillig for the closed one. */
    sqlite3_exec(store_sqlite_db(s),
                 "UPDATE entry SET text = 'Godkendt.' WHERE text LIKE '%3553435%'", NULL, NULL, NULL);
    CHECK_INT(store_meeting_publish_check(s, mid, &sekr_reader, &pv, &np, &e), 0);
    CHECK_INT(np, 2);
    store_publish_problems_free(pv, np);
    CHECK_INT(store_body_setting_set(s, "DIR", "publication.rule", "frivillig", &sekr, &e), 0);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE \"case\" SET publication = 'titel' WHERE id = %lld",
             (long long)b);
    sqlite3_exec(store_sqlite_db(s), sql, NULL, NULL, NULL);
    CHECK_INT(store_meeting_publish_check(s, mid, &sekr_reader, &pv, &np, &e), 0);
    CHECK_INT(np, 0);
    store_publish_problems_free(pv, np);
    CHECK_INT(step(s, mid, "offentliggoer", NULL, &sekr), 0);
    CHECK_INT(public_decisions(s, a), 1);
    CHECK_INT(hits(s, "godkendt", NULL), 1);
    CHECK_INT(public_followups(s), 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting WHERE minutes_published_at IS NOT NULL"),
              1);
    /* Unpublishing needs a reason and the sekretær; then nothing of the minutes is public. */
    v = version_of(s, mid);
    CHECK_INT(store_meeting_transition(s, mid, v, "afpublicer", NULL, &sekr, &e), ERR_SYNTAX);
    CHECK_INT(store_meeting_transition(s, mid, v, "afpublicer", "Fejl", &medl, &e), ERR_DENIED);
    CHECK_INT(public_decisions(s, a), 1);
    CHECK_INT(step(s, mid, "afpublicer", "Et navn skal fjernes", &sekr), 0);
    CHECK_INT(public_decisions(s, a), 0);
    CHECK_INT(hits(s, "godkendt", NULL), 0);
    CHECK_INT(public_followups(s), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting WHERE state = 'referat_godkendt' AND "
                       "minutes_published_at IS NULL"), 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE detail LIKE '%afpublicer%' AND "
                       "detail LIKE '%Et navn skal fjernes%'"), 1);
    /* The cases stay approved minutes: locked. */
    m = NULL;
    CHECK_INT(store_case_get(s, a, &reader_all, &m, &e), 0);
    sv = (struct store_save){.case_id = a, .base_version = 2, .model = m};
    CHECK_INT(store_case_save(s, &sv, &sekr, NULL, NULL, &e), ERR_DENIED);
    case_free(m);
    store_close(s);
}

/* A publish asked for later runs when the clock passes it, with the guard run again then; a
 * refusal is recorded for the sekretær. The meeting page's part: neighbours, attendance. */
static void test_publish_later(void)
{
    struct store *s = with_body();
    struct err e = {0};
    fixture_clock("2026-12-01T10:00:00Z");
    int64_t m0 = meeting(s, "2026-11-20");
    int64_t mid = meeting(s, "2026-12-20");
    int64_t m2 = meeting(s, "2027-01-20");
    int64_t a = add_case(s, mid, "Budget", "Status.");
    CHECK_INT(step(s, m0, "frigiv_dagsorden", NULL, &sekr), 0);
    CHECK_INT(step(s, mid, "frigiv_dagsorden", NULL, &sekr), 0);
    sqlite3_exec(store_sqlite_db(s),
                 "INSERT INTO attendance (meeting_id, pos, name, status) VALUES (2, 0, "
                 "'Anne Jensen', 'present'), (2, 1, 'Bo Holm', 'afbud')", NULL, NULL, NULL);
    fixture_clock("2026-12-20T09:00:00Z");
    CHECK_INT(step(s, mid, "start", NULL, &sekr), 0);
    CHECK_INT(decide(s, a, "Godkendt."), 0);
    CHECK_INT(step(s, mid, "afslut", NULL, &sekr), 0);
    CHECK_INT(step(s, mid, "send_referat_til_godkendelse", NULL, &sekr), 0);
    CHECK_INT(step(s, mid, "godkend_referat", NULL, &medl), 0);
    int v = version_of(s, mid);
    /* Bad times, a member, an old version: refused, nothing written. */
    CHECK_INT(store_meeting_publish_at(s, mid, v, "2026-12-21 10:00", &sekr, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "publish_at") != NULL);
    CHECK_INT(store_meeting_publish_at(s, mid, v, "2026-02-30T10:00:00Z", &sekr, &e), ERR_USAGE);
    CHECK_INT(store_meeting_publish_at(s, mid, v, "2026-12-19T10:00:00Z", &sekr, &e), ERR_USAGE);
    CHECK_INT(store_meeting_publish_at(s, mid, v, "2026-12-21T10:00:00Z", &medl, &e), ERR_DENIED);
    CHECK_INT(store_meeting_publish_at(s, mid, v - 1, "2026-12-21T10:00:00Z", &sekr, &e),
              ERR_CONFLICT);
    CHECK_INT(store_meeting_publish_at(s, m2, version_of(s, m2), "2026-12-21T10:00:00Z", &sekr,
                                       &e), ERR_CONFLICT);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting WHERE publish_at IS NOT NULL"), 0);
    CHECK_INT(store_meeting_publish_at(s, mid, v, "2026-12-21T10:00:00Z", &sekr, &e), 0);
    size_t done = 9, failed = 9;
    CHECK_INT(store_meetings_publish_due(s, &done, &failed, &e), 0);
    CHECK(done == 0 && failed == 0);
    CHECK_INT(public_decisions(s, a), 0);
    /* Before it runs the public sees no attendance; the body's readers do. */
    struct store_meeting_publication p = {0};
    CHECK_INT(store_meeting_publication_get(s, mid, NULL, &p, &e), 0);
    CHECK(p.nattendees == 0 && !p.publish_at && !p.minutes_published_at);
    CHECK(p.prev_id == m0 && p.next_id == 0); /* m2 is planned: not public */
    store_meeting_publication_fini(&p);
    CHECK_INT(store_meeting_publication_get(s, mid, &medl_reader, &p, &e), 0);
    CHECK(p.nattendees == 2 && p.next_id == m2);
    CHECK_STR(p.publish_at, "2026-12-21T10:00:00Z");
    store_meeting_publication_fini(&p);
    fixture_clock("2026-12-21T10:00:01Z");
    CHECK_INT(store_meetings_publish_due(s, &done, &failed, &e), 0);
    CHECK(done == 1 && failed == 0);
    CHECK_INT(public_decisions(s, a), 1);
    CHECK_INT(store_meeting_publication_get(s, mid, NULL, &p, &e), 0);
    CHECK(p.nattendees == 2 && !p.publish_at);
    CHECK_STR(p.minutes_published_at, "2026-12-21T10:00:01Z");
    if (p.nattendees == 2)
        CHECK_STR(p.attendees[1].name, "Bo Holm");
    store_meeting_publication_fini(&p);
    /* Unpublished, scheduled again, and a problem found in between: recorded, not retried. */
    CHECK_INT(step(s, mid, "afpublicer", "Rettes", &sekr), 0);
    CHECK_INT(store_meeting_publish_at(s, mid, version_of(s, mid), "2026-12-22T10:00:00Z",
                                       &sekr, &e), 0);
    sqlite3_exec(store_sqlite_db(s), "UPDATE entry SET text = ''", NULL, NULL, NULL);
    fixture_clock("2026-12-22T11:00:00Z");
    CHECK_INT(store_meetings_publish_due(s, &done, &failed, &e), 0);
    CHECK(done == 0 && failed == 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting WHERE publish_error LIKE '%tom beslutning%'"),
              1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.publish_failed'"), 1);
    CHECK_INT(store_meetings_publish_due(s, &done, &failed, &e), 0);
    CHECK(done == 0 && failed == 0);
    CHECK_INT(public_decisions(s, a), 0);
    store_close(s);
}

int main(void)
{
    RUN(test_levels);
    RUN(test_minutes_hidden_until_published);
    RUN(test_imported_minutes_stay_public);
    RUN(test_levels_stored);
    RUN(test_publish_guard_and_unpublish);
    RUN(test_publish_later);
    store_reader_fini(&sekr_rd);
    store_reader_fini(&medl_rd);
    return TEST_REPORT();
}
