/* test_access: the store as different readers and actors see it: the one visibility rule
 * (closed cases by body, unpublished cases and meetings), the write path's checks (roles,
 * own drafts, stale versions, frozen and imported cases), workflow steps, and who may read
 * which ledger events. */
#include "test.h"
#include "format/format.h"
#include "model/workflow.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

static char tmpdir[256];
static const struct store_page ALL = {0, STORE_PAGE_MAX};
/* The archive's own tools, as the CLI acts. */
static const struct store_actor tools = {.reader = &reader_all};
static const char PW[] = "korrekt hest batteri";

struct person {
    const char *login;
    struct store_reader rd;
    struct store_actor actor;
};

struct world {
    struct store *s;
    int64_t open_dir, closed_dir, closed_oek; /* imported cases */
    struct person sek, sb, sb2, god, med, oek, adm;
};

static int64_t import_file(struct store *s, const char *path, const char *as)
{
    size_t len;
    char *bytes = test_read_file(path, &len);
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    int64_t id = 0;
    if (!bytes)
        return 0;
    const struct fmt_reader *r = fmt_detect(bytes, len);
    if (r && fmt_read(r, bytes, len, 0, &c, &e, &w) == 0) {
        struct store_doc d = {as ? as : path, r->name, bytes, len, c};
        if (store_import(s, &d, NULL, NULL, &id, &e) != 0) {
            fprintf(stderr, "import %s: %s\n", path, e.msg);
            id = 0;
        }
    }
    warnings_fini(&w);
    case_free(c);
    free(bytes);
    return id;
}

static void person(struct world *w, struct person *p, const char *login, bool admin,
                   const char *body, int role)
{
    struct err e = {0};
    int64_t id = 0;
    p->login = login;
    CHECK_INT(store_account_add(w->s, login, login, NULL, admin, PW, NULL, &id, &e), ERR_DENIED);
    CHECK_INT(store_account_add(w->s, login, login, NULL, admin, PW, &tools, &id, &e), 0);
    if (body)
        CHECK_INT(store_grant(w->s, login, body, role, &tools, &e), 0);
    CHECK_INT(store_reader_load(w->s, id, &p->rd, &e), 0);
    p->actor = (struct store_actor){.account_id = id, .name = login, .reader = &p->rd.reader};
}

static bool world_open(struct world *w, const char *name)
{
    char path[512];
    struct err e = {0};
    memset(w, 0, sizeof *w);
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    if (store_open(path, STORE_CREATE, &w->s, &e) != 0) {
        fprintf(stderr, "open: %s\n", e.msg);
        return false;
    }
    w->open_dir = import_file(w->s, EXAMPLES_DIR "/01-digitaliseringsstrategi.md", NULL);
    w->closed_dir = import_file(w->s, EXAMPLES_DIR "/04-lukkede-personalepunkter.md", NULL);
    w->closed_oek = import_file(w->s, EXAMPLES_DIR "/11-lukket-grundsalg.md", NULL);
    person(w, &w->sek, "sek", false, "DIR", ROLE_SEKRETAER);
    person(w, &w->sb, "sb", false, "DIR", ROLE_SAGSBEHANDLER);
    person(w, &w->sb2, "sb2", false, "DIR", ROLE_SAGSBEHANDLER);
    person(w, &w->god, "god", false, "DIR", ROLE_GODKENDER);
    person(w, &w->med, "med", false, "DIR", ROLE_MEDLEM);
    person(w, &w->oek, "oek", false, "ØK", ROLE_MEDLEM);
    person(w, &w->adm, "adm", true, NULL, 0);
    return w->open_dir && w->closed_dir && w->closed_oek;
}

static void world_close(struct world *w)
{
    struct person *all[] = {&w->sek, &w->sb, &w->sb2, &w->god, &w->med, &w->oek, &w->adm};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        store_reader_fini(&all[i]->rd);
    store_close(w->s);
}

static struct case_doc *model(const char *title, bool public)
{
    struct case_doc *c = case_new();
    c->title = xstrdup(title);
    c->public = public;
    c->presentation = xstrdup("Sagsfremstilling med ordet hemmeligord.");
    return c;
}

/* A closed imported case: its body's people read it whole, everyone else its title. */
static void test_closed_case_by_body(void)
{
    struct world w;
    if (!world_open(&w, "closed.db"))
        goto done;
    const struct reader *readers[] = {NULL, &w.oek.rd.reader, &w.adm.rd.reader,
                                      &w.med.rd.reader, &w.sb.rd.reader, &reader_all};
    const bool sees[] = {false, false, false, true, true, true};
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        struct case_doc *c = NULL;
        struct store_case_ref ref = {0};
        struct err e = {0};
        CHECK_INT(store_case_get(w.s, w.closed_dir, readers[i], &c, &e), 0);
        CHECK_INT(store_case_ref_get(w.s, w.closed_dir, readers[i], &ref, &e), 0);
        CHECK(c && !c->public);
        CHECK_INT(c && c->presentation != NULL, sees[i]);
        CHECK_INT(ref.sees_closed, sees[i]);
        CHECK_INT(ref.visible, sees[i]);
        /* Its source and history likewise. */
        struct store_source src = {0};
        CHECK_INT(store_source_get(w.s, w.closed_dir, 0, readers[i], &src, &e),
                  sees[i] ? 0 : ERR_CLOSED);
        store_source_fini(&src);
        int roles = -1;
        CHECK_INT(store_case_roles(w.s, w.closed_dir, readers[i], &roles, &e), 0);
        CHECK_INT(roles != 0, sees[i]);
        store_case_ref_fini(&ref);
        case_free(c);
    }
    /* ØK's member reads ØK's closed case and not DIR's. */
    struct case_doc *c = NULL;
    struct err e = {0};
    CHECK_INT(store_case_get(w.s, w.closed_oek, &w.oek.rd.reader, &c, &e), 0);
    CHECK(c && c->presentation);
    case_free(c);
done:
    world_close(&w);
}

static size_t count_cases(struct store *s, const struct reader *r, int64_t id)
{
    struct store_case_ref *v = NULL;
    size_t n = 0, hits = 0;
    struct err e = {0};
    if (store_cases(s, r, &ALL, &v, &n, NULL, &e) == 0)
        for (size_t i = 0; i < n; i++)
            hits += v[i].id == id;
    store_case_refs_free(v, n);
    return hits;
}

/* A meeting and an open case written in referat exist only for the body's people until
 * they are released. */
static void test_unpublished_is_invisible(void)
{
    struct world w;
    struct err e = {0};
    if (!world_open(&w, "unpublished.db"))
        goto done;
    struct store_meeting_save ms = {.body = "DIR", .date = "2027-02-03", .start = "09:00",
                                    .end = "12:00", .place = "Mødelokale 1"};
    int64_t mid = 0, cid = 0;
    int mver = 0, cver = 0;
    /* With sign-off (the default of every body but the Direktion's) a new case is a draft
     * until it is approved and put on the agenda. */
    CHECK_INT(store_body_setting_set(w.s, "DIR", "case.signoff", "1", &w.sek.actor, &e), 0);
    CHECK_INT(store_meeting_save(w.s, &ms, &w.sek.actor, &mid, &mver, &e), 0);
    CHECK_INT(mver, 1);
    struct store_meeting m = {0};
    CHECK_INT(store_meeting_get(w.s, mid, NULL, &m, &e), ERR_NOTFOUND);
    CHECK_INT(store_meeting_get(w.s, mid, &w.oek.rd.reader, &m, &e), ERR_NOTFOUND);
    CHECK_INT(store_meeting_get(w.s, mid, &w.med.rd.reader, &m, &e), 0);
    CHECK_INT(m.number, 1);
    CHECK_STR(m.state, "planlagt");
    store_meeting_fini(&m);
    struct case_doc *c = model("Åben sag under forberedelse", true);
    struct store_save sv = {.meeting_id = mid, .model = c};
    CHECK_INT(store_case_save(w.s, &sv, &w.sek.actor, &cid, &cver, &e), 0);
    CHECK_INT(cver, 1);
    struct case_doc *got = NULL;
    CHECK_INT(store_case_get(w.s, cid, NULL, &got, &e), ERR_NOTFOUND);
    CHECK_INT(store_case_get(w.s, cid, &w.oek.rd.reader, &got, &e), ERR_NOTFOUND);
    CHECK_INT(store_case_get(w.s, cid, &w.med.rd.reader, &got, &e), 0);
    CHECK(got && got->presentation && strstr(got->presentation, "hemmeligord"));
    case_free(got);
    CHECK_INT(count_cases(w.s, NULL, cid), 0);
    CHECK_INT(count_cases(w.s, &w.oek.rd.reader, cid), 0);
    CHECK_INT(count_cases(w.s, &w.med.rd.reader, cid), 1);
    struct store_case_ref *refs = NULL;
    size_t n = 0;
    CHECK_INT(store_meeting_cases(w.s, mid, &w.med.rd.reader, &ALL, &refs, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    store_case_refs_free(refs, n);
    /* Released: the meeting is public; its draft is not (publishing cases is a later step). */
    CHECK_INT(store_meeting_transition(w.s, mid, 1, "frigiv_dagsorden", NULL, &w.sek.actor, &e),
              0);
    CHECK_INT(store_meeting_get(w.s, mid, NULL, &m, &e), 0);
    CHECK_STR(m.state, "dagsorden_frigivet");
    CHECK_INT(m.ncases, 0); /* the public does not count what it cannot see */
    store_meeting_fini(&m);
    CHECK_INT(store_case_get(w.s, cid, NULL, &got, &e), ERR_NOTFOUND);
    case_free(c);
done:
    world_close(&w);
}

/* The write path: who may save, own drafts, stale versions, imported cases. */
static void test_save_rules(void)
{
    struct world w;
    struct err e = {0};
    if (!world_open(&w, "save.db"))
        goto done;
    struct case_doc *c = model("Budget 2028", true);
    int64_t id = 0, own = 0;
    int v = 0;
    struct store_save sv = {.body = "DIR", .model = c};
    CHECK_INT(store_case_save(w.s, &sv, &w.med.actor, &id, &v, &e), ERR_DENIED);
    CHECK_INT(store_case_save(w.s, &sv, &w.oek.actor, &id, &v, &e), ERR_DENIED);
    CHECK_INT(store_case_save(w.s, &sv, &w.adm.actor, &id, &v, &e), ERR_DENIED);
    CHECK_INT(store_case_save(w.s, &sv, &w.sek.actor, &id, &v, &e), 0);
    CHECK_INT(v, 1);
    /* A caseworker may not change the secretary's case, only their own draft. */
    struct store_save ed = {.case_id = id, .base_version = 1, .model = c};
    CHECK_INT(store_case_save(w.s, &ed, &w.sb.actor, NULL, NULL, &e), ERR_DENIED);
    CHECK_INT(store_case_save(w.s, &sv, &w.sb.actor, &own, &v, &e), 0);
    struct store_save mine = {.case_id = own, .base_version = 1, .model = c};
    CHECK_INT(store_case_save(w.s, &mine, &w.sb2.actor, NULL, NULL, &e), ERR_DENIED);
    CHECK_INT(store_case_save(w.s, &mine, &w.sb.actor, NULL, &v, &e), 0);
    CHECK_INT(v, 2);
    /* Submitted, it is no longer a draft the caseworker may change. */
    CHECK_INT(store_case_transition(w.s, own, 2, "indsend", NULL, &w.sb.actor, &e), 0);
    mine.base_version = 2;
    CHECK_INT(store_case_save(w.s, &mine, &w.sb.actor, NULL, NULL, &e), ERR_DENIED);
    /* Stale: two editors start from version 1; the second save fails and changes nothing. */
    free(c->title);
    c->title = xstrdup("Budget 2028, rettet");
    CHECK_INT(store_case_save(w.s, &ed, &w.sek.actor, NULL, &v, &e), 0);
    CHECK_INT(v, 2);
    free(c->title);
    c->title = xstrdup("Budget 2028, anden rettelse");
    e = (struct err){0};
    CHECK_INT(store_case_save(w.s, &ed, &w.sek.actor, NULL, &v, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "version 2") && strstr(e.msg, "sek"));
    struct case_doc *got = NULL;
    CHECK_INT(store_case_get(w.s, id, &reader_all, &got, &e), 0);
    CHECK_STR(got ? got->title : NULL, "Budget 2028, rettet");
    case_free(got);
    struct store_version *vers = NULL;
    size_t n = 0;
    CHECK_INT(store_versions(w.s, id, &reader_all, &vers, &n, &e), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(vers[1].actor, "sek");
        CHECK_STR(vers[1].format, "json");
    }
    store_versions_free(vers, n);
    /* Imported minutes are changed by importing, never by a save. */
    struct store_save imp = {.case_id = w.open_dir, .base_version = 1, .model = c};
    CHECK_INT(store_case_save(w.s, &imp, &w.sek.actor, NULL, NULL, &e), ERR_DENIED);
    /* A case without a title is refused. */
    struct case_doc *empty = case_new();
    struct store_save bad = {.body = "DIR", .model = empty};
    CHECK_INT(store_case_save(w.s, &bad, &w.sek.actor, NULL, NULL, &e), ERR_USAGE);
    case_free(empty);
    /* What the exports cannot carry is refused with the field's path, nothing written. */
    struct case_doc *nl = model("To\nlinjer", true);
    struct store_save bad2 = {.body = "DIR", .model = nl};
    e = (struct err){0};
    CHECK_INT(store_case_save(w.s, &bad2, &w.sek.actor, NULL, NULL, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "$.title") != NULL);
    CHECK(strstr(e.msg, "linjer") == NULL);
    case_free(nl);
    /* An import cannot take a key a case written in referat holds. */
    char key[64];
    snprintf(key, sizeof key, "sag-%lld.md", (long long)id);
    CHECK_INT(import_file(w.s, EXAMPLES_DIR "/07-uden-bilag.md", key), 0);
    /* The ledger holds it all, intact. */
    int64_t broken = -1;
    char *why = NULL, head[65];
    size_t count = 0;
    CHECK_INT(store_ledger_verify(w.s, &broken, &why, &count, head, &e), 0);
    CHECK_INT(broken, 0);
    free(why);
    case_free(c);
done:
    world_close(&w);
}

/* Workflow steps follow the tables: who may, from which state; approved minutes freeze. */
static void test_steps(void)
{
    struct world w;
    struct err e = {0};
    if (!world_open(&w, "steps.db"))
        goto done;
    int64_t mid = 0, id = 0;
    struct store_meeting_save ms = {.body = "DIR", .date = "2027-03-01"};
    CHECK_INT(store_meeting_save(w.s, &ms, &w.sek.actor, &mid, NULL, &e), 0);
    CHECK_INT(store_meeting_save(w.s, &ms, &w.oek.actor, NULL, NULL, &e), ERR_DENIED);
    struct case_doc *c = model("Trafikplan", true);
    struct store_save sv = {.meeting_id = mid, .model = c};
    CHECK_INT(store_case_save(w.s, &sv, &w.sb.actor, &id, NULL, &e), 0);
    CHECK_INT(store_case_transition(w.s, id, 1, "godkend", NULL, &w.god.actor, &e), ERR_CONFLICT);
    CHECK_INT(store_case_transition(w.s, id, 1, "indsend", NULL, &w.sb.actor, &e), 0);
    CHECK_INT(store_case_transition(w.s, id, 1, "godkend", NULL, &w.sek.actor, &e), ERR_DENIED);
    CHECK_INT(store_case_transition(w.s, id, 1, "godkend", NULL, &w.god.actor, &e), 0);
    CHECK_INT(store_case_transition(w.s, id, 1, "ukendt", NULL, &w.sek.actor, &e), ERR_SYNTAX);
    CHECK_INT(store_case_transition(w.s, id, 7, "saet_paa_dagsorden", NULL, &w.sek.actor, &e),
              ERR_CONFLICT);
    CHECK_INT(store_case_transition(w.s, id, 1, "saet_paa_dagsorden", NULL, &w.sek.actor, &e),
              0);
    struct store_case_ref ref = {0};
    CHECK_INT(store_case_ref_get(w.s, id, &reader_all, &ref, &e), 0);
    CHECK_STR(ref.state, "paa_dagsorden");
    store_case_ref_fini(&ref);
    /* The meeting through to approved minutes: the case is frozen. */
    static const char *const steps[] = {"frigiv_dagsorden", "start", "afslut",
                                        "send_referat_til_godkendelse"};
    int mver = 1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        CHECK_INT(store_meeting_transition(w.s, mid, mver++, steps[i], NULL, &w.sek.actor, &e), 0);
    CHECK_INT(store_meeting_transition(w.s, mid, mver, "godkend_referat", NULL, &w.sek.actor, &e),
              ERR_DENIED);
    CHECK_INT(store_meeting_transition(w.s, mid, mver, "godkend_referat", NULL, &w.med.actor, &e),
              0);
    mver++;
    struct store_save ed = {.case_id = id, .base_version = 1, .model = c};
    CHECK_INT(store_case_save(w.s, &ed, &w.sek.actor, NULL, NULL, &e), ERR_DENIED);
    CHECK(strstr(e.msg, "addition") != NULL);
    struct store_meeting_save again = {.id = mid, .base_version = mver, .date = "2027-03-02"};
    CHECK_INT(store_meeting_save(w.s, &again, &w.sek.actor, NULL, NULL, &e), ERR_DENIED);
    /* A stale meeting step changes nothing. */
    CHECK_INT(store_meeting_transition(w.s, mid, 1, "offentliggoer", NULL, &w.sek.actor, &e),
              ERR_CONFLICT);
    case_free(c);
done:
    world_close(&w);
}

static bool has_event(struct store *s, const struct reader *r, const char *object)
{
    struct store_event *v = NULL;
    size_t n = 0;
    struct err e = {0};
    bool found = store_events(s, object, r, &ALL, &v, &n, NULL, &e) == 0 && n > 0;
    store_events_free(v, n);
    return found;
}

/* The history: the events about what a reader may see, and administrators all of them. */
static void test_events_follow_visibility(void)
{
    struct world w;
    struct err e = {0};
    if (!world_open(&w, "events.db"))
        goto done;
    char dir[32], oek[32];
    snprintf(dir, sizeof dir, "case:%lld", (long long)w.closed_dir);
    snprintf(oek, sizeof oek, "case:%lld", (long long)w.closed_oek);
    CHECK(has_event(w.s, &w.med.rd.reader, dir));
    CHECK(!has_event(w.s, &w.med.rd.reader, oek));
    CHECK(has_event(w.s, &w.oek.rd.reader, oek));
    CHECK(!has_event(w.s, &w.oek.rd.reader, dir));
    CHECK(has_event(w.s, &w.adm.rd.reader, dir));
    CHECK(!has_event(w.s, NULL, dir));
    /* Settings: administrators only; a secret's value never reaches the ledger. */
    CHECK_INT(store_setting_set(w.s, "smtp.password", "hemmelig-kode-123", &w.sek.actor, &e),
              ERR_DENIED);
    CHECK_INT(store_setting_set(w.s, "smtp.password", "hemmelig-kode-123", &w.adm.actor, &e), 0);
    CHECK_INT(store_setting_set(w.s, "public.base_url", "ftp://x", &w.adm.actor, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "ftp") == NULL);
    struct store_event *v = NULL;
    size_t n = 0;
    CHECK_INT(store_events(w.s, "setting:smtp.password", &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    for (size_t i = 0; i < n; i++)
        CHECK(!v[i].detail || !strstr(v[i].detail, "hemmelig"));
    store_events_free(v, n);
done:
    world_close(&w);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/referat-access-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_closed_case_by_body);
    RUN(test_unpublished_is_invisible);
    RUN(test_save_rules);
    RUN(test_steps);
    RUN(test_events_follow_visibility);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (!test_failed && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return TEST_REPORT();
}
