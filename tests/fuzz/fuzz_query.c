/* fuzz_query: the search query parser on any bytes: no crash, errors inside the query, FTS5
 * takes every expression it builds, the work stays within its bounds, nothing closed shows. */
#include "search/search.h"
#include "util/buf.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The closed text of the archive below; never in a public hit. */
#define SECRET "hemmeligord"

static sqlite3 *db, *empty;

static void put(int64_t id, const char *title, bool public, const char *text, const char *date)
{
    struct case_doc *c = case_new();
    c->title = xstrdup(title);
    c->public = public;
    c->presentation = xstrdup(text);
    struct subitem *s = case_add_subitem(c);
    s->title = xstrdup("Underpunkt om budget");
    s->text = xstrdup(text);
    const int64_t bodies[] = {7};
    struct search_meta m = {
        .case_id = id, .body = id % 2 ? "DIR" : "ØK", .date = date, .bodies = bodies, .nbodies = 1};
    struct err e = {0};
    int rc = search_index_case(db, &m, c, &e);
    assert(rc == 0);
    case_free(c);
}

static sqlite3 *open_db(void)
{
    sqlite3 *d = NULL;
    int rc = sqlite3_open(":memory:", &d);
    assert(rc == SQLITE_OK);
    rc = search_register(d);
    assert(rc == SQLITE_OK);
    rc = sqlite3_exec(d, search_schema_sql(), NULL, NULL, NULL);
    assert(rc == SQLITE_OK);
    return d;
}

/* A small archive with open and closed cases, compounds and dates; and an empty one. */
static void setup(void)
{
    if (db)
        return;
    db = open_db();
    empty = open_db();
    put(1, "Budget 2024", true, "Budgetopfølgning og digitaliseringsorganisation.", "2023-12-20");
    put(2, "Beslutninger", true, "Beslutningen om trafiksikkerhedsplan blev truffet.",
        "2024-01-09");
    put(3, "Personalesag", false, "Fortroligt: " SECRET " og " SECRET "sliste.", "2023-05-01");
    put(4, "Kultur og fritid", true, "Idé til CAFÉEN i Malmö; år 2023 og \"citat\".", NULL);
    put(5, "Lukket grundsalg", false, "Købstilbud på grunden, " SECRET ".", "2022-02-02");
}

static const char *const dates[] = {NULL, "2023", "2023-12", "2024-01-09", "1999", "2023-13"};

/* Checks one search_query run of query q. */
static void check(const char *q, size_t nchars, const struct reader *reader, const char *body,
                  const char *from, const char *to)
{
    struct search_params p = {
        .query = q, .body = body, .from = from, .to = to, .reader = reader, .limit = 5};
    struct search_result r;
    struct err e = {0};
    int rc = search_query(db, &p, &r, &e);
    if (rc < 0) {
        assert(rc == ERR_SYNTAX || rc == ERR_UTF8 || rc == ERR_LIMIT || rc == ERR_USAGE);
        if (rc != ERR_USAGE) {
            /* An error is about the query, at a column inside it (or just after it). */
            assert(e.file && strcmp(e.file, "query") == 0);
            assert(e.col <= nchars + 1);
            assert(e.col > 0 || rc == ERR_LIMIT);
        }
        assert(!strstr(e.msg, SECRET));
        assert(r.nhits == 0 && !r.hits);
        return;
    }
    /* Bounded work. */
    assert(r.work.prefixes <= SEARCH_MAX_PREFIXES);
    assert(r.work.terms <= SEARCH_MAX_PREFIX_TERMS);
    assert(r.work.entries <= SEARCH_MAX_PREFIX_ROWS);
    assert(r.work.phrases <= 64 + 256);
    assert(r.work.rows <= SEARCH_VISIT_FACTOR * SEARCH_CAP + 2);
    assert(r.nhits <= 5 && r.nhits <= r.total);
    for (size_t i = 0; i < r.nhits; i++) {
        const struct search_hit *h = &r.hits[i];
        assert(h->snippet);
        if (!reader || reader_is_public(reader)) {
            assert(!strstr(h->snippet, SECRET) && !strstr(h->snippet, "ortrolig"));
            assert(!h->closed || h->subitem == 0);
        }
    }
    search_result_fini(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    if (size > 2 * SEARCH_MAX_QUERY)
        return 0;
    char *q = malloc(size + 1);
    memcpy(q, data, size);
    q[size] = '\0';
    size_t n = strlen(q), nchars = 0;
    for (size_t i = 0; i < n; i++)
        nchars += ((unsigned char)q[i] & 0xc0) != 0x80;

    /* The expression parses in FTS5: run it on an empty index of the same schema. */
    char *expr = NULL;
    struct err e = {0};
    if (search_fts_expr(db, q, size % 3 ? NULL : "ØK", size % 2 == 0, &expr, &e) == 0) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(empty,
                                    "SELECT count(*) FROM search_public WHERE search_public "
                                    "MATCH ?1",
                                    -1, &st, NULL);
        assert(rc == SQLITE_OK);
        sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        assert(rc == SQLITE_ROW);
        sqlite3_finalize(st);
        free(expr);
    } else {
        assert(strcmp(e.file, "query") == 0 && e.col <= nchars + 1);
    }

    static const struct reader_body rb[] = {{7, ROLE_MEDLEM}, {9, ROLE_ADMIN}};
    static const struct reader some = {.account_id = 1, .bodies = rb, .nbodies = 2};
    const char *from = dates[size % 6], *to = dates[(size / 6) % 6];
    check(q, nchars, NULL, NULL, NULL, NULL);
    check(q, nchars, &reader_all, NULL, from, to);
    check(q, nchars, &some, size % 5 ? NULL : "DIR", to, from);
    free(q);
    return 0;
}
