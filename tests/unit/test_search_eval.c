/* test_search_eval: each way search_query evaluates a query faster than the plain FTS5
 * expression gives what the plain expression gives: the same hits in the same order with the
 * same scores (to the bit), snippets, totals and capped flags (docs/search.md, "Evaluation"). */
#include "test.h"
#include "search_fixture.h"

#include "model/case.h"
#include "search/search.h"
#include "search/search_int.h"
#include "util/buf.h"

#include <sqlite3.h>

/* --- fixtures ----------------------------------------------------------------------------- */

static void add_sub(struct case_doc *c, const char *title, const char *text)
{
    struct subitem *s = case_add_subitem(c);
    s->title = xstrdup(title);
    if (text)
        s->text = xstrdup(text);
}

static void put(sqlite3 *db, int64_t id, const char *body, const char *date, struct case_doc *c)
{
    static const int64_t bodies[] = {1};
    struct search_meta m = {
        .case_id = id, .body = body, .date = date, .bodies = bodies, .nbodies = 1};
    struct err e = {0};
    int rc = search_index_case(db, &m, c, &e);
    if (rc != 0)
        fprintf(stderr, "index case %lld: %s\n", (long long)id, e.msg);
    CHECK_INT(rc, 0);
    case_free(c);
}

/* Words of the fixture: stems and inflections that share prefixes (a word and its stem are
 * indexed at the same position, and both may begin with a prefix), compounds, and filler. */
static const char *const words[] = {
    "beslutning", "beslutninger", "beslutningerne", "beslutte", "besluttet", "beslutningsgrundlag",
    "budget", "budgettet", "budgetopfølgning", "budgetseminar", "drift", "driftsbudget",
    "kunstig", "intelligens", "intelligent", "intelligente", "digital", "digitalisering",
    "digitaliseringsstrategi", "strategi", "skole", "skolerne", "klima", "klimaplan",
    "og", "til", "efterretning", "godkendt", "høring", "høringssvar"};
#define NWORDS (sizeof words / sizeof words[0])

static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void text_of(unsigned *seed, size_t n, struct buf *b)
{
    buf_truncate(b, 0);
    for (size_t i = 0; i < n; i++) {
        unsigned r = next_rand(seed);
        /* "kunstig intelligens" side by side now and then */
        if (r % 11 == 0)
            buf_puts(b, "kunstig intelligens ");
        else
            buf_printf(b, "%s ", words[r % NWORDS]);
    }
}

/* 300 cases over 60 days, open and closed, bodies DIR, ØK and KB, sub-items, every column. */
static sqlite3 *fixture(void)
{
    sqlite3 *db = open_db();
    static const char *const body[] = {"DIR", "ØK", "KB"};
    unsigned seed = 7;
    struct buf t = BUF_INIT, p = BUF_INIT, d = BUF_INIT, s = BUF_INIT;
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int id = 1; id <= 300; id++) {
        char date[16];
        snprintf(date, sizeof date, "2023-%02d-%02d", 1 + (id % 60) / 28, 1 + (id % 60) % 28);
        text_of(&seed, 1 + next_rand(&seed) % 3, &t);
        text_of(&seed, next_rand(&seed) % 40, &p);
        text_of(&seed, next_rand(&seed) % 12, &d);
        struct case_doc *c = mkcase(t.ptr, id % 7 != 0, p.len ? p.ptr : NULL, d.len ? d.ptr : NULL);
        for (unsigned k = next_rand(&seed) % 4; k > 0; k--) {
            text_of(&seed, 2, &t);
            text_of(&seed, next_rand(&seed) % 30, &s);
            add_sub(c, t.ptr, s.len ? s.ptr : NULL);
        }
        put(db, id, body[id % 3], id % 50 == 0 ? NULL : date, c);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    buf_free(&t);
    buf_free(&p);
    buf_free(&d);
    buf_free(&s);
    return db;
}

/* A result as text: rc, total, capped, and each hit with its score's bits and snippet. */
static char *result_text(sqlite3 *db, const struct search_params *p)
{
    struct search_result r = {0};
    struct err e = {0};
    int rc = search_query(db, p, &r, &e);
    struct buf b = BUF_INIT;
    buf_printf(&b, "rc %d total %zu%s\n", rc, r.total, r.total_capped ? " capped" : "");
    if (rc != 0)
        buf_printf(&b, "%s\n", e.msg);
    for (size_t i = 0; i < r.nhits; i++) {
        const struct search_hit *h = &r.hits[i];
        buf_printf(&b, "%lld/%zu %a %s | %s\n", (long long)h->case_id, h->subitem, h->score,
                   h->title ? h->title : "", h->snippet ? h->snippet : "");
    }
    search_result_fini(&r);
    return buf_detach(&b);
}

static int compared, nonempty;

/* The query with params p as the plain expression (ways off) and as evaluated (all on). */
static void same(sqlite3 *db, unsigned ways, struct search_params p)
{
    search_eval_off(ways);
    char *want = result_text(db, &p);
    search_eval_off(0);
    char *got = result_text(db, &p);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "query [%s] body %s from %s to %s group %d sort %d in %d offset %zu "
                        "cap %zu staff %d:\n",
                p.query, p.body ? p.body : "-", p.from ? p.from : "-", p.to ? p.to : "-",
                p.group, p.sort, p.in, p.offset, p.cap, p.reader != NULL);
        CHECK_STR(got, want);
    }
    compared++;
    nonempty += strncmp(want, "rc 0 total 0\n", 13) != 0;
    free(want);
    free(got);
}

/* Every query in every combination of the options that change how it is evaluated. */
static void same_all(sqlite3 *db, unsigned ways, const char *const *queries, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int v = 0; v < 2 * 2 * 2 * 3; v++) {
            struct search_params p = {.query = queries[i], .limit = 12};
            p.reader = v & 1 ? &reader_all : NULL;
            p.group = v & 2 ? SEARCH_BY_CASE : SEARCH_BY_PART;
            p.sort = v & 4 ? SEARCH_SORT_DATE : SEARCH_SORT_RELEVANCE;
            switch (v / 8) {
            case 1:
                p.body = "ØK";
                p.from = "2023-01-15";
                break;
            case 2:
                p.in = SEARCH_IN_MINUTES;
                p.cap = 40;
                p.offset = 5;
                break;
            default:
                break;
            }
            same(db, ways, p);
        }
}

/* --- tests -------------------------------------------------------------------------------- */

/* A word with * written out as the OR of its terms scores, finds and counts as FTS5's prefix
 * query does. */
static void prefix_or_as_prefix(void)
{
    sqlite3 *db = fixture();
    static const char *const q[] = {
        "beslut*",     "budget*",          "intel*",           "digital*",
        "skole*",      "\"kunstig intel\"*", "beslut* budget",   "budget* NOT drift",
        "klima OR høring*", "(beslut* OR digital*) strategi", "besluttet*", "xyz*",
        "beslut* OR budget* OR intel* OR skole*", "drift*",
    };
    compared = nonempty = 0;
    same_all(db, SEARCH_EVAL_PREFIX_OR, q, sizeof q / sizeof q[0]);
    fprintf(stderr, "  prefix_or: %d results compared, %d with hits\n", compared, nonempty);
    CHECK(nonempty > compared / 2);

    /* The expression: the terms written out, or FTS5's prefix query when turned off. */
    char *x = NULL;
    struct err e = {0};
    CHECK_INT(search_fts_expr(db, "budget*", NULL, true, &x, &e), 0);
    CHECK(x && strstr(x, " OR ") && !strstr(x, "\" *"));
    free(x);
    search_eval_off(SEARCH_EVAL_PREFIX_OR);
    CHECK_INT(search_fts_expr(db, "budget*", NULL, true, &x, &e), 0);
    CHECK(x && !strstr(x, " OR ") && strstr(x, "\" *"));
    free(x);
    search_eval_off(0);
    sqlite3_close(db);
}

/* A prefix of more than SEARCH_PREFIX_OR terms stays FTS5's prefix query, and a prefix that
 * no term begins with matches nothing either way. */
static void prefix_or_too_many_terms(void)
{
    sqlite3 *db = fixture();
    struct buf b = BUF_INIT;
    for (int k = 0; k < SEARCH_PREFIX_OR + 6; k++)
        buf_printf(&b, "zqord%03d ", k);
    put(db, 1000, "DIR", "2023-03-01", mkcase("Mange ord", true, b.ptr, NULL));
    buf_truncate(&b, 0);
    for (int k = 0; k < 20; k++)
        buf_printf(&b, "zqord%03d ", k * 3);
    put(db, 1001, "DIR", "2023-03-02", mkcase("Færre ord", true, b.ptr, NULL));
    char *x = NULL;
    struct err e = {0};
    CHECK_INT(search_fts_expr(db, "zqord*", NULL, true, &x, &e), 0);
    CHECK(x && strstr(x, "\" *"));
    free(x);
    CHECK_INT(search_fts_expr(db, "zqord00*", NULL, true, &x, &e), 0);
    CHECK(x && !strstr(x, "\" *"));
    free(x);
    /* At most SEARCH_PREFIX_OR terms in a query are written out: 60 of zqa*, and zqord00*,
     * whose 10 would go past it, stays the prefix query. */
    buf_truncate(&b, 0);
    for (int k = 0; k < 60; k++)
        buf_printf(&b, "zqa%02d ", k);
    put(db, 1002, "DIR", "2023-03-03", mkcase("Andre ord zqord001", true, b.ptr, NULL));
    CHECK_INT(search_fts_expr(db, "zqa* OR zqord00*", NULL, true, &x, &e), 0);
    CHECK(x && strstr(x, "zqa59\" OR") == NULL && strstr(x, "zqa59\")") && strstr(x, "zqord00\" *"));
    free(x);
    static const char *const q[] = {"zqord*", "zqord00*", "zqord0* OR beslut*", "zqx*",
                                    "zqa* OR zqord00*", "zqa* zqord00*", "zqord00* OR zqa*"};
    same_all(db, SEARCH_EVAL_PREFIX_OR, q, sizeof q / sizeof q[0]);
    buf_free(&b);
    sqlite3_close(db);
}

int main(void)
{
    RUN(prefix_or_as_prefix);
    RUN(prefix_or_too_many_terms);
    return TEST_REPORT();
}
