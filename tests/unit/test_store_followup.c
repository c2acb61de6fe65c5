/* test_store_followup: a follow-up to completion in the store (issue 10, followups): the
 * workflow steps and who may take them, status kept in step with the state, bortfald's
 * reason, forwarding to a planned meeting (a held one refused), notes, the sekretær's edits,
 * "Mine opfølgninger" through accounts, units and names, the owner links and their
 * proposals; every refusal leaves the archive as it was, every change one ledger event. */
#include "test.h"
#include "store/store.h"
#include "model/case.h"
#include "util/buf.h"

#include <sqlite3.h>
#include <unistd.h>

static char dbpath[256];

static struct store *fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-followup-%d.db", (int)getpid());
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

static void sql(struct store *s, const char *q)
{
    char *msg = NULL;
    if (sqlite3_exec(store_sqlite_db(s), q, NULL, NULL, &msg) != SQLITE_OK)
        fprintf(stderr, "sql: %s: %s\n", q, msg);
    sqlite3_free(msg);
}

static const struct store_actor tools = {0, "cli:test", NULL, &reader_all};
/* DIR is body 1: its sekretær (10), a member (12) who owns nothing, Tonny (14) a member who
 * owns follow-ups by name; ØK (2): its sekretær (13). An administrator (15). */
static struct reader_body sekr_bodies[] = {{1, ROLE_SEKRETAER}};
static const struct reader sekr_reader = {false, 10, false, sekr_bodies, 1};
static const struct store_actor sekr = {10, "sekr", NULL, &sekr_reader};
static struct reader_body medl_bodies[] = {{1, ROLE_MEDLEM}};
static const struct reader medl_reader = {false, 12, false, medl_bodies, 1};
static const struct store_actor medl = {12, "medl", NULL, &medl_reader};
static const struct reader tonny_reader = {false, 14, false, medl_bodies, 1};
static const struct store_actor tonny = {14, "tonny", NULL, &tonny_reader};
static struct reader_body oek_bodies[] = {{2, ROLE_SEKRETAER}};
static const struct reader oek_reader = {false, 13, false, oek_bodies, 1};
static const struct store_actor oek = {13, "oek", NULL, &oek_reader};
static const struct reader admin_reader = {false, 15, true, NULL, 0};
static const struct store_actor admin = {15, "admin", NULL, &admin_reader};

struct world {
    struct store *s;
    int64_t meeting, oek_planned, oek_held, cas;
    int64_t fu_tonny, fu_unit, fu_other;
};

static int64_t meeting(struct store *s, const char *body, const char *date)
{
    struct err e = {0};
    int64_t id = 0;
    struct store_meeting_save m = {.body = body, .date = date, .start = "10:00", .end = "12:00"};
    if (store_meeting_save(s, &m, &tools, &id, NULL, &e) < 0)
        fprintf(stderr, "meeting: %s\n", e.msg);
    return id;
}

static struct world setup(void)
{
    struct world w = {.s = fresh()};
    struct err e = {0};
    int64_t id;
    if (store_body_add(w.s, "DIR", "Direktionen", &tools, &id, &e) < 0 ||
        store_body_add(w.s, "ØK", "Økonomiudvalget", &tools, &id, &e) < 0)
        fprintf(stderr, "body: %s\n", e.msg);
    w.meeting = meeting(w.s, "DIR", "2023-12-20");
    w.oek_planned = meeting(w.s, "ØK", "2024-02-01");
    w.oek_held = meeting(w.s, "ØK", "2023-12-01");
    sql(w.s, "UPDATE meeting SET state = 'afholdt' WHERE date = '2023-12-01'");
    struct case_doc *c = case_new();
    c->title = xstrdup("Punkter til behandling");
    c->public = false;
    c->public_title = xstrdup("Lukket punkt");
    struct store_save sv = {.meeting_id = w.meeting, .model = c};
    if (store_case_save(w.s, &sv, &tools, &w.cas, NULL, &e) < 0)
        fprintf(stderr, "case: %s\n", e.msg);
    case_free(c);
    sql(w.s, "INSERT INTO account (id, login, name, created_at, updated_at) VALUES "
             "(10, 'sekr', 'Sara Sekretær', 'x', 'x'), (12, 'medl', 'Mette Medlem', 'x', 'x'), "
             "(13, 'oek', 'Ole Økonomi', 'x', 'x'), (14, 'tonny', 'Tonny Olsen', 'x', 'x'), "
             "(15, 'admin', 'Anne Admin', 'x', 'x');"
             "INSERT INTO person (name) VALUES ('tonny olsen'), ('Ledelsessekretariatet'), "
             "('Bettina Andersen');");
    char q[600];
    snprintf(q, sizeof q,
             "INSERT INTO followup (case_id, pos, person_id, text, due) VALUES "
             "(%lld, 1, (SELECT id FROM person WHERE name = 'tonny olsen'), 'Indkald til møde', "
             "'2024-01-15'), (%lld, 2, (SELECT id FROM person WHERE name = "
             "'Ledelsessekretariatet'), 'Skriv udkast', NULL), (%lld, 3, (SELECT id FROM person "
             "WHERE name = 'Bettina Andersen'), 'Budgetopfølgning', '2024-01-01')",
             (long long)w.cas, (long long)w.cas, (long long)w.cas);
    sql(w.s, q);
    w.fu_tonny = count(w.s, "SELECT id FROM followup WHERE pos = 1");
    w.fu_unit = count(w.s, "SELECT id FROM followup WHERE pos = 2");
    w.fu_other = count(w.s, "SELECT id FROM followup WHERE pos = 3");
    return w;
}

static void teardown(struct world *w)
{
    store_close(w->s);
    unlink(dbpath);
}

/* A snapshot of everything a refused write must leave alone. */
static long long snapshot(struct store *s)
{
    return count(s, "SELECT (SELECT count(*) FROM ledger) * 1000000 + "
                    "(SELECT count(*) FROM followup_note) * 10000 + "
                    "(SELECT total(length(state) * id + length(ifnull(state_reason, '')) + "
                    "ifnull(forwarded_to, 0) + length(ifnull(due, '')) + person_id) "
                    "FROM followup)");
}

static char *state_of(struct store *s, int64_t id)
{
    struct store_followup_detail d = {0};
    struct err e = {0};
    if (store_followup_get(s, id, &reader_all, &d, &e) < 0)
        return NULL;
    char *st = d.state;
    d.state = NULL;
    store_followup_detail_fini(&d);
    return st;
}

/* status 'done' exactly when the state is closed. */
static bool consistent(struct store *s)
{
    return count(s, "SELECT count(*) FROM followup WHERE (status = 'done') != "
                    "(state IN ('udfoert', 'bortfaldet', 'videresendt'))") == 0;
}

static void test_steps(void)
{
    struct world w = setup();
    struct err e = {0};
    long long events = count(w.s, "SELECT count(*) FROM ledger");
    /* Tonny owns his follow-up by name (no link yet): he may start it and report it done. */
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "paabegynd", NULL, 0, &tonny, &e), 0);
    char *st = state_of(w.s, w.fu_tonny);
    CHECK_STR(st, "i_gang");
    free(st);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger"), events + 1);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger WHERE action = 'followup.transition' AND "
                         "detail LIKE '%\"to\":\"i_gang\"%'"), 1);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "udfoer", NULL, 0, &tonny, &e), 0);
    CHECK_INT(count(w.s, "SELECT status = 'done' AND done_by = 'tonny' FROM followup WHERE "
                         "id = (SELECT id FROM followup WHERE pos = 1)"), 1);
    CHECK(consistent(w.s));
    /* A member who owns nothing, the ØK sekretær, the administrator, nobody: refused. */
    long long before = snapshot(w.s);
    CHECK_INT(store_followup_step(w.s, w.fu_other, "udfoer", NULL, 0, &medl, &e), ERR_DENIED);
    CHECK_INT(store_followup_step(w.s, w.fu_other, "udfoer", NULL, 0, &oek, &e), ERR_NOTFOUND);
    CHECK_INT(store_followup_step(w.s, w.fu_other, "udfoer", NULL, 0, &admin, &e), ERR_NOTFOUND);
    CHECK_INT(store_followup_step(w.s, w.fu_other, "udfoer", NULL, 0, NULL, &e), ERR_NOTFOUND);
    CHECK_INT(store_followup_step(w.s, 9999, "udfoer", NULL, 0, &sekr, &e), ERR_NOTFOUND);
    /* bortfald without a reason names the field; an unknown step; a step not from here. */
    CHECK_INT(store_followup_step(w.s, w.fu_other, "bortfald", "  ", 0, &sekr, &e), ERR_SYNTAX);
    CHECK(strncmp(e.msg, "begrundelse", 11) == 0);
    CHECK_INT(store_followup_step(w.s, w.fu_other, "slet", NULL, 0, &sekr, &e), ERR_SYNTAX);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "udfoer", NULL, 0, &sekr, &e), ERR_CONFLICT);
    CHECK_INT(snapshot(w.s), before);
    /* The sekretær lets one lapse with a reason, and reopens it: status follows. */
    CHECK_INT(store_followup_step(w.s, w.fu_other, "bortfald", "Overhalet af budgetaftalen", 0,
                                  &sekr, &e), 0);
    CHECK_INT(count(w.s, "SELECT count(*) FROM followup WHERE state = 'bortfaldet' AND "
                         "state_reason = 'Overhalet af budgetaftalen' AND status = 'done'"), 1);
    CHECK(consistent(w.s));
    /* The reason is the follow-up's (and a note's), never the ledger's: it may speak of a
     * closed case, and administrators read the whole ledger. */
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger WHERE detail LIKE '%budgetaftalen%'"), 0);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger WHERE detail LIKE '%\"reason\":true%'"), 1);
    CHECK_INT(count(w.s, "SELECT count(*) FROM followup_note WHERE text = "
                         "'Begrundelse: Overhalet af budgetaftalen' AND author = 'Sara Sekretær'"),
              1);
    CHECK_INT(store_followup_step(w.s, w.fu_other, "genaabn", NULL, 0, &sekr, &e), 0);
    CHECK_INT(count(w.s, "SELECT count(*) FROM followup WHERE pos = 3 AND state = 'aaben' AND "
                         "status = 'open' AND state_reason IS NULL AND done_at IS NULL"), 1);
    CHECK(consistent(w.s));
    teardown(&w);
}

static void test_forward(void)
{
    struct world w = setup();
    struct err e = {0};
    long long before = snapshot(w.s);
    /* Only the sekretær forwards; a meeting is required; a held one is refused by date. */
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "videresend", NULL, w.oek_planned, &tonny, &e),
              ERR_DENIED);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "videresend", NULL, 0, &sekr, &e), ERR_SYNTAX);
    CHECK(strncmp(e.msg, "moede", 5) == 0);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "videresend", NULL, w.oek_held, &sekr, &e),
              ERR_CONFLICT);
    CHECK(strstr(e.msg, "allerede holdt") != NULL);
    CHECK(strstr(e.msg, "2023-12-01") != NULL);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "videresend", NULL, 424242, &sekr, &e),
              ERR_NOTFOUND);
    /* The deciding body's own meeting is not another body's. */
    int64_t own = meeting(w.s, "DIR", "2024-03-01");
    before = snapshot(w.s);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "videresend", NULL, own, &sekr, &e),
              ERR_CONFLICT);
    CHECK(strstr(e.msg, "eget") != NULL);
    struct store_forward_target *t = NULL;
    size_t nt = 0;
    CHECK_INT(store_forward_targets(w.s, w.fu_tonny, NULL, &t, &nt, &e), 0);
    CHECK_INT(nt, 1); /* ØK's planned one; not ØK's held one, not DIR's own */
    if (nt)
        CHECK_INT(t[0].id, w.oek_planned);
    store_forward_targets_free(t, nt);
    CHECK_INT(snapshot(w.s), before);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "videresend", "Økonomien tager den",
                                  w.oek_planned, &sekr, &e), 0);
    CHECK(consistent(w.s));
    struct store_followup *v = NULL;
    size_t n = 0;
    CHECK_INT(store_meeting_forwarded(w.s, w.oek_planned, &sekr_reader, &v, &n, &e), 0);
    CHECK_INT(n, 1);
    if (n)
        CHECK_STR(v[0].text, "Indkald til møde");
    store_followups_free(v, n);
    /* The closed case's follow-up is on the agenda note only for those who read it. */
    CHECK_INT(store_meeting_forwarded(w.s, w.oek_planned, NULL, &v, &n, &e), 0);
    CHECK_INT(n, 0);
    store_followups_free(v, n);
    struct store_followup_detail d = {0};
    CHECK_INT(store_followup_get(w.s, w.fu_tonny, &sekr_reader, &d, &e), 0);
    CHECK_STR(d.state, "videresendt");
    CHECK_INT(d.forwarded_to, w.oek_planned);
    CHECK(d.state_reason && strstr(d.state_reason, "ØK 2024-02-01") &&
          strstr(d.state_reason, "Økonomien tager den"));
    CHECK(d.roles & ROLE_SEKRETAER);
    store_followup_detail_fini(&d);
    /* Terminal: nothing leads on. */
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "genaabn", NULL, 0, &sekr, &e), ERR_CONFLICT);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger WHERE action = 'followup.transition' AND "
                         "detail LIKE '%\"meeting\":%'"), 1);
    teardown(&w);
}

static void test_notes_and_edit(void)
{
    struct world w = setup();
    struct err e = {0};
    int64_t nid = 0;
    CHECK_INT(store_followup_note_add(w.s, w.fu_tonny, "Mødet er booket", &tonny, &nid, &e), 0);
    CHECK(nid > 0);
    CHECK_INT(store_followup_note_add(w.s, w.fu_tonny, "Dagsorden sendt", &sekr, NULL, &e), 0);
    long long before = snapshot(w.s);
    CHECK_INT(store_followup_note_add(w.s, w.fu_tonny, "x", &medl, NULL, &e), ERR_DENIED);
    CHECK_INT(store_followup_note_add(w.s, w.fu_tonny, " \n", &sekr, NULL, &e), ERR_SYNTAX);
    CHECK(strncmp(e.msg, "note", 4) == 0);
    CHECK_INT(store_followup_note_add(w.s, w.fu_tonny, "x", &oek, NULL, &e), ERR_NOTFOUND);
    CHECK_INT(snapshot(w.s), before);
    struct store_followup_note *v = NULL;
    size_t n = 0;
    CHECK_INT(store_followup_notes(w.s, w.fu_tonny, &medl_reader, &v, &n, &e), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].author, "Tonny Olsen");
        CHECK_STR(v[0].text, "Mødet er booket");
        CHECK_STR(v[1].author, "Sara Sekretær");
        CHECK(v[0].at && strlen(v[0].at) == 20);
    }
    store_followup_notes_free(v, n);
    /* The public sees no note of a closed case. */
    CHECK_INT(store_followup_notes(w.s, w.fu_tonny, NULL, &v, &n, &e), 0);
    CHECK_INT(n, 0);
    store_followup_notes_free(v, n);

    /* Edits: the sekretær alone; bad input names the field and writes nothing. */
    before = snapshot(w.s);
    CHECK_INT(store_followup_edit(w.s, w.fu_other, "Mette Medlem", NULL, NULL, &oek, &e),
              ERR_NOTFOUND);
    CHECK_INT(store_followup_edit(w.s, w.fu_tonny, "Mette Medlem", NULL, NULL, &tonny, &e),
              ERR_DENIED);
    CHECK_INT(store_followup_edit(w.s, w.fu_other, " ", NULL, NULL, &sekr, &e), ERR_SYNTAX);
    CHECK(strncmp(e.msg, "ansvarlig", 9) == 0);
    CHECK_INT(store_followup_edit(w.s, w.fu_other, NULL, "2024-02-30", NULL, &sekr, &e),
              ERR_SYNTAX);
    CHECK(strncmp(e.msg, "frist", 5) == 0);
    CHECK_INT(store_followup_edit(w.s, w.fu_other, NULL, NULL, "", &sekr, &e), ERR_SYNTAX);
    CHECK(strncmp(e.msg, "tekst", 5) == 0);
    CHECK_INT(snapshot(w.s), before);
    long long events = count(w.s, "SELECT count(*) FROM ledger");
    CHECK_INT(store_followup_edit(w.s, w.fu_other, "Mette Medlem", "2024-03-01", "Ny tekst",
                                  &sekr, &e), 0);
    CHECK_INT(count(w.s, "SELECT count(*) FROM followup f JOIN person p ON p.id = f.person_id "
                         "WHERE p.name = 'Mette Medlem' AND f.due = '2024-03-01' AND "
                         "f.text = 'Ny tekst'"), 1);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger"), events + 1);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger WHERE detail LIKE '%Mette%' OR "
                         "detail LIKE '%Ny tekst%'"), 0);
    /* The same again changes nothing and records nothing; "" clears the due date. */
    CHECK_INT(store_followup_edit(w.s, w.fu_other, "Mette Medlem", "2024-03-01", "Ny tekst",
                                  &sekr, &e), 0);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger"), events + 1);
    CHECK_INT(store_followup_edit(w.s, w.fu_other, NULL, "", NULL, &sekr, &e), 0);
    CHECK_INT(count(w.s, "SELECT count(*) FROM followup WHERE pos = 3 AND due IS NULL"), 1);
    /* Mette now owns it by name: she may report it done. */
    CHECK_INT(store_followup_step(w.s, w.fu_other, "udfoer", NULL, 0, &medl, &e), 0);
    teardown(&w);
}

static size_t mine(struct store *s, int64_t account, const struct reader *r, int64_t *first)
{
    struct store_followup *v = NULL;
    size_t n = 0, total = 0;
    struct err e = {0};
    struct store_page pg = {0, 1};
    if (store_followups_mine(s, account, STORE_ANY, r, &pg, &v, &n, &total, &e) < 0)
        fprintf(stderr, "mine: %s\n", e.msg);
    if (first)
        *first = n ? v[0].id : 0;
    CHECK(n <= 1);
    store_followups_free(v, n);
    return total;
}

static void test_units_and_mine(void)
{
    struct world w = setup();
    struct err e = {0};
    int64_t unit = 0, first = 0;
    /* By name: Tonny's (the name in another case, "tonny olsen"); nothing for the member. */
    CHECK_INT(mine(w.s, 14, &tonny_reader, &first), 1);
    CHECK_INT(first, w.fu_tonny);
    CHECK_INT(mine(w.s, 12, &medl_reader, NULL), 0);
    /* Units are the administrator's. */
    CHECK_INT(store_unit_add(w.s, "Ledelsessekretariatet", &sekr, &unit, &e), ERR_DENIED);
    CHECK_INT(store_unit_add(w.s, " ", &admin, &unit, &e), ERR_SYNTAX);
    CHECK_INT(store_unit_add(w.s, "Ledelsessekretariatet", &admin, &unit, &e), 0);
    CHECK_INT(store_unit_add(w.s, "ledelsessekretariatet", &admin, NULL, &e), ERR_CONFLICT);
    CHECK_INT(store_unit_member(w.s, unit, "medl", true, &admin, &e), 0);
    CHECK_INT(store_unit_member(w.s, unit, "tonny", true, &admin, &e), 0);
    CHECK_INT(store_unit_member(w.s, unit, "ingen", true, &admin, &e), ERR_NOTFOUND);
    CHECK_INT(store_unit_member(w.s, unit, "medl", true, &sekr, &e), ERR_DENIED);
    /* The unit's name is an owner's: its members own it, paged one at a time, by due date
     * (Tonny's with a date first, the unit's without last). */
    CHECK_INT(mine(w.s, 12, &medl_reader, &first), 1);
    CHECK_INT(first, w.fu_unit);
    CHECK_INT(mine(w.s, 14, &tonny_reader, &first), 2);
    CHECK_INT(first, w.fu_tonny);
    struct store_unit *u = NULL;
    size_t n = 0, total = 0;
    CHECK_INT(store_units(w.s, NULL, &u, &n, &total, &e), 0);
    CHECK_INT(n, 1);
    if (n) {
        CHECK_INT(u[0].nmembers, 2);
        if (u[0].nmembers == 2)
            CHECK_STR(u[0].members[0].name, "Mette Medlem");
    }
    store_units_free(u, n);
    /* The proposals: the account named like an owner, else the unit of that name. */
    struct store_person_link *l = NULL;
    CHECK_INT(store_person_links(w.s, NULL, &l, &n, &total, &e), 0);
    CHECK_INT(n, 3);
    int64_t bettina = 0, ledelse = 0, tonny_p = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(l[i].name, "tonny olsen") == 0) {
            tonny_p = l[i].person_id;
            CHECK_INT(l[i].propose_account, 14);
            CHECK(l[i].proposed && strstr(l[i].proposed, "Tonny Olsen"));
        } else if (strcmp(l[i].name, "Ledelsessekretariatet") == 0) {
            ledelse = l[i].person_id;
            CHECK_INT(l[i].propose_unit, unit);
            CHECK_INT(l[i].propose_account, 0);
        } else {
            bettina = l[i].person_id;
            CHECK_INT(l[i].propose_account + l[i].propose_unit, 0);
        }
    }
    store_person_links_free(l, n);
    /* Linking Bettina's name to the member's account: she owns it now; linking the unit's
     * name elsewhere takes it away from its members (a link beats the name). */
    CHECK_INT(store_person_link_set(w.s, bettina, 12, 0, &sekr, &e), ERR_DENIED);
    CHECK_INT(store_person_link_set(w.s, bettina, 12, unit, &admin, &e), ERR_SYNTAX);
    CHECK_INT(store_person_link_set(w.s, bettina, 999, 0, &admin, &e), ERR_NOTFOUND);
    CHECK_INT(store_person_link_set(w.s, bettina, 12, 0, &admin, &e), 0);
    CHECK_INT(mine(w.s, 12, &medl_reader, NULL), 2);
    CHECK_INT(store_person_link_set(w.s, ledelse, 13, 0, &admin, &e), 0);
    CHECK_INT(mine(w.s, 12, &medl_reader, NULL), 1);
    CHECK_INT(mine(w.s, 14, &tonny_reader, NULL), 1);
    /* Tonny's name linked to the unit: every member owns it. */
    CHECK_INT(store_person_link_set(w.s, tonny_p, 0, unit, &admin, &e), 0);
    CHECK_INT(mine(w.s, 12, &medl_reader, NULL), 2);
    CHECK_INT(store_followup_step(w.s, w.fu_tonny, "paabegynd", NULL, 0, &medl, &e), 0);
    /* The ØK sekretær is linked to the unit's name but reads nothing of DIR's closed case. */
    CHECK_INT(mine(w.s, 13, &oek_reader, NULL), 0);
    CHECK_INT(count(w.s, "SELECT count(*) FROM ledger WHERE action IN ('unit.add', "
                         "'unit.member_add', 'person.link')"), 6);
    teardown(&w);
}

/* Every write is one transaction: with the ledger (or the note a reason becomes) refusing
 * its row, each write fails and leaves the archive as it was, the follow-up's own UPDATE
 * rolled back with it. The refusal is a temporary trigger on the store's own connection. */
static void test_all_or_nothing(void)
{
    struct world w = setup();
    struct err e = {0};
    int64_t unit = 0;
    CHECK_INT(store_unit_add(w.s, "Enheden", &admin, &unit, &e), 0);
    const char *traps[] = {
        "CREATE TEMP TRIGGER trap BEFORE INSERT ON ledger BEGIN SELECT RAISE(ABORT, 'trap'); END",
        "CREATE TEMP TRIGGER trap BEFORE INSERT ON followup_note "
        "BEGIN SELECT RAISE(ABORT, 'trap'); END",
    };
    for (size_t k = 0; k < 2; k++) {
        sql(w.s, traps[k]);
        long long before = snapshot(w.s);
        long long units = count(w.s, "SELECT (SELECT count(*) FROM unit) * 1000 + "
                                     "(SELECT count(*) FROM unit_member) * 10 + "
                                     "(SELECT count(*) FROM person_link)");
        int rcs[8];
        rcs[0] = store_followup_step(w.s, w.fu_other, "bortfald", "Grund", 0, &sekr, &e);
        rcs[1] = store_followup_step(w.s, w.fu_other, "videresend", "Grund", w.oek_planned,
                                     &sekr, &e);
        rcs[2] = k ? -1 : store_followup_step(w.s, w.fu_other, "paabegynd", NULL, 0, &sekr, &e);
        rcs[3] = store_followup_note_add(w.s, w.fu_other, "En note", &sekr, NULL, &e);
        rcs[4] = k ? -1 : store_followup_edit(w.s, w.fu_other, "Ny Person", "2025-01-01", "T",
                                              &sekr, &e);
        rcs[5] = k ? -1 : store_unit_add(w.s, "Anden enhed", &admin, NULL, &e);
        rcs[6] = k ? -1 : store_unit_member(w.s, unit, "medl", true, &admin, &e);
        rcs[7] = k ? -1 : store_person_link_set(w.s, 1, 12, 0, &admin, &e);
        for (size_t i = 0; i < 8; i++) {
            if (rcs[i] >= 0)
                fprintf(stderr, "trap %zu: write %zu went through\n", k, i);
            CHECK(rcs[i] < 0);
        }
        CHECK_INT(snapshot(w.s), before);
        CHECK_INT(count(w.s, "SELECT (SELECT count(*) FROM unit) * 1000 + "
                             "(SELECT count(*) FROM unit_member) * 10 + "
                             "(SELECT count(*) FROM person_link)"), units);
        CHECK_INT(count(w.s, "SELECT count(*) FROM person WHERE name = 'Ny Person'"), 0);
        CHECK(consistent(w.s));
        sql(w.s, "DROP TRIGGER temp.trap");
    }
    /* And with nothing in the way, the same writes go through. */
    CHECK_INT(store_followup_step(w.s, w.fu_other, "bortfald", "Grund", 0, &sekr, &e), 0);
    teardown(&w);
}

int main(void)
{
    RUN(test_steps);
    RUN(test_forward);
    RUN(test_notes_and_edit);
    RUN(test_units_and_mine);
    RUN(test_all_or_nothing);
    return TEST_REPORT();
}
