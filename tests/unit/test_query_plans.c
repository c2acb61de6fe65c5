/* test_query_plans (issue 11, paging): every query a public page or list runs is checked with
 * EXPLAIN QUERY PLAN on a generated archive (bench/archive's corpus), so that a full scan of a
 * large table, or a sort of a whole large table, fails here instead of on a real archive.
 *
 * The statements are the store's own: each list function is called while SQLite traces the
 * statements it runs, and each traced text is then explained on the same connection (with its
 * reader functions). REFERAT_PLAN_DB=path checks an existing archive (a copy of the 100,000-case
 * one) instead of a generated one; REFERAT_PLAN_VERBOSE=1 prints every plan. */
#include "test.h"
#include "archive/gen.h"
#include "format/format.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "util/buf.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Tables that grow with the archive. A plan may SEARCH them (an index lookup) or walk one of
 * their indexes in the order a LIMIT stops early; a plain SCAN fails, and so does a walk that
 * must be sorted afterwards (a temp B-tree for ORDER BY behind a SCAN). body is small. */
static const char *const big_tables[] = {
    "case", "subitem", "guest", "followup", "decision", "entry", "person", "meeting",
    "agenda", "case_body", "source", "attachment", "dateref", "route", "hunk", "ledger",
};

#define MAX_SQL 64
static char *traced[MAX_SQL];
static size_t ntraced;
static struct store *S;

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
    (void)ctx;
    (void)x;
    if (type != SQLITE_TRACE_STMT)
        return 0;
    const char *sql = sqlite3_sql(p);
    if (!sql || strncmp(sql, "EXPLAIN", 7) == 0)
        return 0;
    for (size_t i = 0; i < ntraced; i++)
        if (strcmp(traced[i], sql) == 0)
            return 0;
    if (ntraced < MAX_SQL)
        traced[ntraced++] = strdup(sql);
    return 0;
}

static void traced_clear(void)
{
    for (size_t i = 0; i < ntraced; i++)
        free(traced[i]);
    ntraced = 0;
}

/* The table an alias in the FROM clause stands for: "f" in `followup f`. Good enough for the
 * store's SQL, which always writes `table alias`. */
static bool alias_is_big(const char *sql, const char *alias)
{
    for (size_t i = 0; i < sizeof big_tables / sizeof *big_tables; i++) {
        const char *t = big_tables[i];
        if (strcmp(alias, t) == 0)
            return true;
        char pat[80];
        snprintf(pat, sizeof pat, "%s %s ", t, alias);
        char quoted[80];
        snprintf(quoted, sizeof quoted, "\"%s\" %s ", t, alias);
        if (strstr(sql, pat) || strstr(sql, quoted))
            return true;
        snprintf(pat, sizeof pat, "%s %s", t, alias);
        snprintf(quoted, sizeof quoted, "\"%s\" %s", t, alias);
        size_t lp = strlen(pat), lq = strlen(quoted), ls = strlen(sql);
        if ((ls >= lp && strcmp(sql + ls - lp, pat) == 0) ||
            (ls >= lq && strcmp(sql + ls - lq, quoted) == 0))
            return true;
    }
    return false;
}

/* Tables whose rows hold texts (a row is a page or more). */
static bool fat_table(const char *sql, const char *alias)
{
    static const char *const fat[] = {"case", "subitem", "followup", "entry", "decision"};
    for (size_t i = 0; i < sizeof fat / sizeof *fat; i++) {
        char pat[80], quoted[80];
        snprintf(pat, sizeof pat, "%s %s ", fat[i], alias);
        snprintf(quoted, sizeof quoted, "\"%s\" %s ", fat[i], alias);
        if (strcmp(alias, fat[i]) == 0 || strstr(sql, pat) || strstr(sql, quoted))
            return true;
    }
    return false;
}

/* Explains sql; returns the number of bad plan lines (and prints them with the query). */
static int check_plan(const char *what, const char *sql)
{
    struct buf q = BUF_INIT, plan = BUF_INIT;
    buf_printf(&q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st = NULL;
    int bad = 0;
    /* The walk and the sort must be of one select (EXPLAIN's parent id): a deferred join
     * sorts the window its subquery walked, which the LIMIT bounds. */
    int walks[16], sorts[16];
    size_t nwalks = 0, nsorts = 0;
    /* A capped count (store_sqlite.h COUNT_CAPPED) stops at its LIMIT whatever it walks. */
    bool capped = strstr(sql, "LIMIT 10001)") != NULL;
    /* One case's follow-ups: as many as its decisions made, not the archive's. Known and
     * left: the standing item's body filter (FOLLOWUP_BODY) reads each walked follow-up's
     * entry and decision rows (docs/store.md, "Known slow paths"). */
    bool one_case = strstr(sql, "WHERE f.case_id = ?4 AND") != NULL;
    bool body_filter = strstr(sql, "b8.code = ?8") != NULL;
    if (sqlite3_prepare_v2(S->db, buf_cstr(&q), -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: cannot explain: %s\n%s\n", what, sqlite3_errmsg(S->db), sql);
        buf_free(&q);
        return 1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        buf_printf(&plan, "  %s\n", d);
        char alias[64];
        if (sscanf(d, "SCAN %63s", alias) == 1 && strncmp(d, "SCAN CONSTANT", 13) != 0 &&
            !capped && alias_is_big(sql, alias)) {
            if (!strstr(d, " USING ")) {
                bad++;
                buf_printf(&plan, "  ^^^ a full scan of a large table\n");
            } else if (nwalks < 16) {
                walks[nwalks++] = sqlite3_column_int(st, 1);
            }
        }
        /* ---- issue 11, archive routes: a capped count reads up to 10,001 rows; for each it
         * may read indexes, not the rows of a table whose rows hold texts (a case's row is
         * KBs: case_visibility covers what the visibility rules read). ---- */
        int at = 0;
        /* A person's role is read from their newest follow-up (ORDER BY f.id DESC LIMIT 1
         * on followup_person_role): one row, not a count's. */
        bool role_walk = strstr(sql, "ORDER BY f.id DESC LIMIT 1") &&
                         strstr(d, "USING INDEX followup_person_role (");
        if (capped && !one_case && !body_filter && !role_walk &&
            sscanf(d, "SEARCH %63s %n", alias, &at) == 1 && at > 0 &&
            (strncmp(d + at, "USING INTEGER PRIMARY KEY", 25) == 0 ||
             strncmp(d + at, "USING INDEX", 11) == 0) &&
            fat_table(sql, alias)) {
            bad++;
            buf_printf(&plan, "  ^^^ a capped count reads a row of a table of texts\n");
        }
        if ((strstr(d, "USE TEMP B-TREE FOR ORDER BY") || strstr(d, "USE TEMP B-TREE FOR LAST")) &&
            nsorts < 16)
            sorts[nsorts++] = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    bool walk_sorted = false;
    for (size_t i = 0; i < nwalks; i++)
        for (size_t k = 0; k < nsorts; k++)
            walk_sorted = walk_sorted || walks[i] == sorts[k];
    if (walk_sorted) {
        bad++;
        buf_printf(&plan, "  ^^^ an index walk of a large table sorted afterwards: the "
                          "LIMIT cannot stop it\n");
    }
    if (bad || getenv("REFERAT_PLAN_VERBOSE"))
        fprintf(stderr, "%s%s:\n%s\n%s", bad ? "BAD PLAN " : "", what, sql, buf_cstr(&plan));
    buf_free(&q);
    buf_free(&plan);
    return bad;
}

static void start(void)
{
    traced_clear();
    sqlite3_trace_v2(S->db, SQLITE_TRACE_STMT, on_trace, NULL);
}

/* Explains what the call since start() ran. */
static void finish(const char *what)
{
    sqlite3_trace_v2(S->db, 0, NULL, NULL);
    CHECK(ntraced > 0);
    int bad = 0;
    for (size_t i = 0; i < ntraced; i++)
        bad += check_plan(what, traced[i]);
    if (bad)
        fprintf(stderr, "%s: %d bad plan line(s)\n", what, bad);
    CHECK_INT(bad, 0);
    traced_clear();
}

static const struct reader_body staff_bodies[] = {{1, ROLE_SEKRETAER}, {2, ROLE_MEDLEM}};
static const struct reader staff = {.account_id = 1, .bodies = staff_bodies, .nbodies = 2};
static const struct reader *const readers[] = {NULL, &staff, &reader_all};
static const char *const reader_names[] = {"public", "staff", "all"};
#define NREADERS 3

static char owner[200];
static char body_code[32];
static int64_t person_id, meeting_id;

/* Values to ask for: a frequent owner, a person, a body and one of its meetings. */
static void pick(void)
{
    sqlite3_stmt *st = NULL;
    const char *q = "SELECT p.id, p.name FROM person p WHERE p.id = (SELECT person_id FROM "
                    "followup GROUP BY person_id ORDER BY count(*) DESC LIMIT 1)";
    CHECK(sqlite3_prepare_v2(S->db, q, -1, &st, NULL) == SQLITE_OK);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        person_id = sqlite3_column_int64(st, 0);
        snprintf(owner, sizeof owner, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    q = "SELECT b.code, m.id FROM meeting m JOIN body b ON b.id = m.body_id ORDER BY m.id "
        "LIMIT 1";
    CHECK(sqlite3_prepare_v2(S->db, q, -1, &st, NULL) == SQLITE_OK);
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(body_code, sizeof body_code, "%s", (const char *)sqlite3_column_text(st, 0));
        meeting_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    CHECK(person_id > 0);
    CHECK(meeting_id > 0);
}

static void test_followups(void)
{
    static const struct store_page pg = {0, 100}, deep = {5000, 100};
    for (int r = 0; r < NREADERS; r++) {
        struct store_followup_filter filters[] = {
            {.status = STORE_OPEN, .by_owner = true, .portal = true}, /* /opfoelgning */
            {.status = STORE_ANY, .by_owner = true},
            {.owner = owner, .status = STORE_OPEN, .by_owner = true, .portal = true},
            {.owner = owner, .status = STORE_ANY, .portal = true}, /* /person/ID */
            {.status = STORE_OPEN, .portal = true},                /* /api/followups */
            {.status = STORE_DONE},
            {.case_id = 1, .portal = true},                        /* /sag/ID */
            {.status = STORE_OPEN, .body = body_code, .portal = true}, /* /moede/ID */
            {.status = STORE_OPEN, .overdue_on = "2030-01-01"},
        };
        for (size_t i = 0; i < sizeof filters / sizeof *filters; i++) {
            for (int d = 0; d < 2; d++) {
                struct store_followup *v = NULL;
                size_t n = 0, total = 0;
                struct err e = {0};
                char what[120];
                snprintf(what, sizeof what, "store_followups filter %zu %s%s", i,
                         reader_names[r], d ? " deep" : "");
                start();
                CHECK_INT(store_followups(S, &filters[i], readers[r], d ? &deep : &pg, &v, &n,
                                          &total, &e),
                          0);
                finish(what);
                store_followups_free(v, n);
            }
        }
    }
}

/* ---- issue 10, followups: "Mine opfølgninger" (by account, units and names), a follow-up's
 * page and notes, the meeting's forwarded ones ---- */
static void test_followups_mine(void)
{
    static const struct store_page pg = {0, 50}, deep = {5000, 50};
    for (int d = 0; d < 2; d++) {
        for (int st = STORE_ANY; st <= STORE_DONE; st++) {
            struct store_followup *v = NULL;
            size_t n = 0, total = 0;
            struct err e = {0};
            char what[80];
            snprintf(what, sizeof what, "store_followups_mine %d%s", st, d ? " deep" : "");
            start();
            CHECK_INT(store_followups_mine(S, 1, (enum store_status)st, &staff, d ? &deep : &pg,
                                           &v, &n, &total, &e), 0);
            finish(what);
            store_followups_free(v, n);
        }
    }
    struct store_followup_detail fd = {0};
    struct store_followup_note *nt = NULL;
    struct store_followup *fw = NULL;
    size_t nn = 0, nf = 0;
    struct err e = {0};
    start();
    CHECK_INT(store_followup_get(S, 1, &staff, &fd, &e), 0);
    finish("store_followup_get");
    store_followup_detail_fini(&fd);
    start();
    CHECK_INT(store_followup_notes(S, 1, &staff, &nt, &nn, &e), 0);
    finish("store_followup_notes");
    store_followup_notes_free(nt, nn);
    start();
    CHECK_INT(store_meeting_forwarded(S, meeting_id, &staff, &fw, &nf, &e), 0);
    finish("store_meeting_forwarded");
    store_followups_free(fw, nf);
}
/* ---- end issue 10, followups ---- */

static void test_people(void)
{
    static const struct store_page pg = {0, 100};
    for (int r = 0; r < NREADERS; r++) {
        struct err e = {0};
        char what[120];
        struct store_person p = {0};
        snprintf(what, sizeof what, "store_person_get %s", reader_names[r]);
        start();
        CHECK_INT(store_person_get(S, person_id, readers[r], &p, &e), 0);
        finish(what);
        store_person_fini(&p);

        struct store_appearance *ap = NULL;
        size_t n = 0, total = 0;
        snprintf(what, sizeof what, "store_person_appearances %s", reader_names[r]);
        start();
        CHECK_INT(store_person_appearances(S, person_id, readers[r], &pg, &ap, &n, &total, &e),
                  0);
        finish(what);
        store_appearances_free(ap, n);

        char **names = NULL;
        snprintf(what, sizeof what, "store_followup_owners %s", reader_names[r]);
        start();
        CHECK_INT(store_followup_owners(S, readers[r], &(struct store_page){0, 201}, &names, &n,
                                        &total, &e),
                  0);
        finish(what);
        store_problems_free(names, n);

        struct store_person *pv = NULL;
        snprintf(what, sizeof what, "store_people %s", reader_names[r]);
        start();
        CHECK_INT(store_people(S, readers[r], &pg, &pv, &n, &total, &e), 0);
        finish(what);
        store_people_free(pv, n);
    }
    int64_t id = 0;
    struct err e = {0};
    start();
    CHECK_INT(store_person_lookup(S, owner, &id, &e), 0);
    finish("store_person_lookup");
    CHECK_INT(id, person_id);
}

static void test_meetings(void)
{
    static const struct store_page pg = {0, 100}, ten = {0, 10};
    for (int r = 0; r < NREADERS; r++) {
        struct err e = {0};
        char what[120];
        const char *bodies[] = {NULL, body_code};
        for (int b = 0; b < 2; b++)
            for (int y = 0; y < 2; y++) {
                struct store_meeting *m = NULL;
                size_t n = 0, total = 0;
                snprintf(what, sizeof what, "store_meetings body %s year %d %s",
                         bodies[b] ? bodies[b] : "all", y ? 2020 : 0, reader_names[r]);
                start();
                CHECK_INT(store_meetings(S, bodies[b], y ? 2020 : 0, readers[r],
                                         b ? &pg : &ten, &m, &n, &total, &e),
                          0);
                finish(what);
                store_meetings_free(m, n);
            }
        int *years = NULL;
        size_t ny = 0;
        snprintf(what, sizeof what, "store_meeting_years %s", reader_names[r]);
        start();
        CHECK_INT(store_meeting_years(S, body_code, readers[r], &years, &ny, &e), 0);
        finish(what);
        free(years);

        struct store_case_ref *refs = NULL;
        size_t n = 0, total = 0;
        snprintf(what, sizeof what, "store_meeting_cases %s", reader_names[r]);
        start();
        CHECK_INT(store_meeting_cases(S, meeting_id, readers[r], &pg, &refs, &n, &total, &e),
                  0);
        finish(what);
        store_case_refs_free(refs, n);

        char **times = NULL;
        size_t nt = 0;
        snprintf(what, sizeof what, "store_meeting_times %s", reader_names[r]);
        start();
        CHECK_INT(store_meeting_times(S, meeting_id, readers[r], &times, &nt, &e), 0);
        finish(what);
        store_problems_free(times, 2 * nt);

        struct store_meeting one = {0};
        snprintf(what, sizeof what, "store_meeting_get %s", reader_names[r]);
        start();
        CHECK_INT(store_meeting_get(S, meeting_id, readers[r], &one, &e), 0);
        finish(what);
        store_meeting_fini(&one);
    }
    struct store_body *bv = NULL;
    size_t nb = 0, total = 0;
    struct err e = {0};
    start();
    CHECK_INT(store_bodies(S, &(struct store_page){0, STORE_PAGE_MAX}, &bv, &nb, &total, &e),
              0);
    finish("store_bodies");
    store_bodies_free(bv, nb);
}

static void test_cases(void)
{
    static const struct store_page pg = {0, 100}, deep = {5000, 100};
    for (int r = 0; r < NREADERS; r++)
        for (int d = 0; d < 2; d++) {
            struct store_case_ref *v = NULL;
            size_t n = 0, total = 0;
            struct err e = {0};
            char what[120];
            snprintf(what, sizeof what, "store_cases %s%s", reader_names[r], d ? " deep" : "");
            start();
            CHECK_INT(store_cases(S, readers[r], d ? &deep : &pg, &v, &n, &total, &e), 0);
            finish(what);
            store_case_refs_free(v, n);
        }
}

/* A generated archive of n cases at path. */
static int generate(const char *path, size_t n)
{
    struct gen *g = gen_new(EXAMPLES_DIR, 1);
    if (!g)
        return -1;
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(path, STORE_CREATE, &s, &e) != 0) {
        fprintf(stderr, "%s: %s\n", path, e.msg);
        gen_free(g);
        return -1;
    }
    struct buf doc = BUF_INIT, name = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        gen_next(g, &doc);
        struct case_doc *c = NULL;
        struct warnings w = {0};
        if (fmt_read(&fmt_read_md, buf_cstr(&doc), doc.len, 0, &c, &e, &w) != 0) {
            fprintf(stderr, "generated case %zu: %s\n", i, e.msg);
            warnings_fini(&w);
            rc = -1;
            break;
        }
        warnings_fini(&w);
        buf_truncate(&name, 0);
        buf_printf(&name, "gen/%06zu.md", i);
        struct store_doc d = {buf_cstr(&name), "md", buf_cstr(&doc), doc.len, c};
        if (store_import(s, &d, NULL, NULL, NULL, &e) != 0) {
            fprintf(stderr, "import %zu: %s\n", i, e.msg);
            rc = -1;
        }
        case_free(c);
    }
    buf_free(&doc);
    buf_free(&name);
    store_close(s);
    gen_free(g);
    return rc;
}

int main(void)
{
    const char *given = getenv("REFERAT_PLAN_DB");
    char path[] = "/tmp/referat-plans-XXXXXX";
    char db[64];
    if (!given) {
        if (!mkdtemp(path))
            return 1;
        snprintf(db, sizeof db, "%s/archive.db", path);
        if (generate(db, 300) != 0)
            return 1;
    }
    struct err e = {0};
    if (store_open(given ? given : db, given ? STORE_READONLY : 0, &S, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    pick();
    RUN(test_followups);
    RUN(test_followups_mine); /* issue 10, followups */
    RUN(test_people);
    RUN(test_meetings);
    RUN(test_cases);
    store_close(S);
    traced_clear();
    if (!given) {
        char cmd[200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", path);
    }
    return TEST_REPORT();
}
