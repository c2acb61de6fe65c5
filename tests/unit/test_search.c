/* test_search: Danish full-text search: stemming, folding, syntax, compounds, ranking, public. */
#include "test.h"

#include "model/case.h"
#include "search/search.h"
#include "util/buf.h"

#include <sqlite3.h>

/* --- fixtures ----------------------------------------------------------------------------- */

static sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || search_register(db) != SQLITE_OK ||
        sqlite3_exec(db, search_schema_sql(), NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot set up the database: %s\n", db ? sqlite3_errmsg(db) : "?");
        exit(1);
    }
    return db;
}

static struct case_doc *mkcase(const char *title, bool public, const char *presentation,
                               const char *decision)
{
    struct case_doc *c = case_new();
    c->title = xstrdup(title);
    c->public = public;
    if (presentation)
        c->presentation = xstrdup(presentation);
    if (decision) {
        struct decision *d = case_add_decision(c);
        d->body = xstrdup("Direktionen");
        d->date = xstrdup("2023-12-20");
        d->text = xstrdup(decision);
    }
    return c;
}

static void add_sub(struct case_doc *c, const char *title, const char *text, const char *dec)
{
    struct subitem *s = case_add_subitem(c);
    s->title = xstrdup(title);
    if (text)
        s->text = xstrdup(text);
    if (dec) {
        if (!c->ndecisions) {
            struct decision *d = case_add_decision(c);
            d->body = xstrdup("Direktionen");
            d->date = xstrdup("2023-12-20");
        }
        struct entry *e = decision_add_entry(&c->decisions[0]);
        e->title = xstrdup(title);
        e->subitem = c->nsubitems;
        e->text = xstrdup(dec);
    }
}

/* Indexes c as case id with body and date, then frees it. */
static void put(sqlite3 *db, int64_t id, const char *body, const char *date, struct case_doc *c)
{
    struct search_meta m = {id, body, date};
    struct err e = {0};
    int rc = search_index_case(db, &m, c, &e);
    if (rc != 0)
        fprintf(stderr, "index case %lld: %s\n", (long long)id, e.msg);
    CHECK_INT(rc, 0);
    case_free(c);
}

struct q {
    const char *body, *from, *to;
    bool public_only;
    enum search_group group;
    size_t offset, limit, cap;
};

static struct search_result run(sqlite3 *db, const char *query, struct q o)
{
    struct search_params p = {query,         o.body,  o.from,   o.to,
                              o.public_only, o.group, o.offset, o.limit, o.cap};
    struct search_result r = {0};
    struct err e = {0};
    int rc = search_query(db, &p, &r, &e);
    if (rc != 0) {
        fprintf(stderr, "query '%s' failed: %s\n", query, e.msg);
        test_case_failed = 1;
    }
    return r;
}

/* The case ids of the hits, in order, as "1 2 3". */
static char *ids(sqlite3 *db, const char *query, struct q o)
{
    struct search_result r = run(db, query, o);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < r.nhits; i++) {
        buf_printf(&b, "%s%lld", i ? " " : "", (long long)r.hits[i].case_id);
        if (r.hits[i].subitem)
            buf_printf(&b, ".%zu", r.hits[i].subitem);
    }
    search_result_fini(&r);
    return buf_detach(&b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The hits as a sorted set ("1 1.1 2"), for tests where the order is not the point. */
static char *idset(sqlite3 *db, const char *query, struct q o)
{
    char *s = ids(db, query, o), *v[64];
    size_t n = 0;
    for (char *t = strtok(s, " "); t && n < 64; t = strtok(NULL, " "))
        v[n++] = t;
    qsort(v, n, sizeof *v, cmp_str);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? " " : "", v[i]);
    free(s);
    return buf_detach(&b);
}

#define CHECK_SET(db, query, o, want)                                                              \
    do {                                                                                           \
        char *got_ = idset(db, query, o);                                                          \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

#define CHECK_IDS(db, query, want)                                                                 \
    do {                                                                                           \
        char *got_ = ids(db, query, (struct q){0});                                                \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

#define CHECK_IDS_Q(db, query, o, want)                                                            \
    do {                                                                                           \
        char *got_ = ids(db, query, o);                                                            \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

/* --- tests -------------------------------------------------------------------------------- */

static void stemming(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "DIR", "2023-12-20",
        mkcase("Status", true, "Arbejdet i digitaliseringsorganisation fortsætter.", NULL));
    put(db, 2, "DIR", "2023-12-20",
        mkcase("Møde", true, "Der blev truffet en beslutning om mødeplanen.", NULL));
    CHECK_IDS(db, "digitaliseringsorganisationen", "1");
    CHECK_IDS(db, "beslutninger", "2");
    CHECK_IDS(db, "beslutningen", "2");
    CHECK_IDS(db, "mødeplaner", "2");
    sqlite3_close(db);
}

static void folding(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "ØK", "2023-01-10", mkcase("Budget", true, "Kommunens økonomi er presset.", NULL));
    put(db, 2, "ØK", "2023-01-10", mkcase("Ar", true, "Et ar på facaden.", NULL));
    put(db, 3, "ØK", "2023-01-10", mkcase("År", true, "Det kommende år.", NULL));
    put(db, 4, "ØK", "2023-01-10", mkcase("Idé", true, "En ny idé til CAFÉEN.", NULL));
    put(db, 5, "ØK", "2023-01-10", mkcase("Rejse", true, "Turen går til Malmö.", NULL));
    CHECK_IDS(db, "ØKONOMI", "1");
    CHECK_IDS(db, "Økonomien", "1");
    CHECK_IDS(db, "økonomi", "1");
    /* å is a letter of its own, not a with a ring. */
    CHECK_IDS(db, "år", "3");
    CHECK_IDS(db, "ÅR", "3");
    CHECK_IDS(db, "ar", "2");
    /* Accents that are not Danish letters fold away; ö is ø as Danish writes it. */
    CHECK_IDS(db, "ide", "4");
    CHECK_IDS(db, "caféen", "4");
    CHECK_IDS(db, "cafeen", "4");
    CHECK_IDS(db, "malmø", "5");
    sqlite3_close(db);
}

static void phrase_and_prefix(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "DIR", NULL,
        mkcase("A", true, "Strategien for digital omstilling blev drøftet.", NULL));
    put(db, 2, "DIR", NULL,
        mkcase("B", true, "Omstilling af driften, og en digital løsning.", NULL));
    put(db, 3, "DIR", NULL, mkcase("C", true, "Beslutningerne blev udskudt.", NULL));
    CHECK_IDS(db, "\"digital omstilling\"", "1");
    CHECK_IDS(db, "\"digitale omstillinger\"", "1");
    CHECK_IDS(db, "digital omstilling", "1 2");
    CHECK_IDS(db, "omstil*", "1 2");
    CHECK_IDS(db, "beslut*", "3");
    /* A prefix matches the words as written, not only their stems. */
    CHECK_IDS(db, "beslutningerne*", "3");
    CHECK_IDS(db, "\"digital omstil\"*", "1");
    CHECK_IDS(db, "xyz*", "");
    sqlite3_close(db);
}

static void boolean(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "DIR", NULL, mkcase("Budget", true, "Budget og regnskab.", NULL));
    put(db, 2, "DIR", NULL, mkcase("Regnskab", true, "Kun regnskab her.", NULL));
    put(db, 3, "DIR", NULL, mkcase("Anlæg", true, "Anlæg og drift.", NULL));
    CHECK_IDS(db, "budget AND regnskab", "1");
    CHECK_IDS(db, "budget regnskab", "1");
    CHECK_IDS(db, "regnskab NOT budget", "2");
    /* Equal scores: the older case (lower id) first. */
    CHECK_IDS(db, "anlæg OR budget", "1 3");
    CHECK_IDS(db, "(anlæg OR budget) NOT regnskab", "3");
    CHECK_IDS(db, "anlæg OR budget AND regnskab", "1 3");
    /* Lower-case words are words, not operators. */
    CHECK_IDS(db, "regnskab and", "");
    /* Punctuation alone drops out of the query. */
    CHECK_IDS(db, "anlæg & –", "3");
    sqlite3_close(db);
}

static void compounds(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "DIR", NULL,
        mkcase("Status", true, "Den nye digitaliseringsorganisation er på plads.", NULL));
    put(db, 2, "DIR", NULL, mkcase("Status", true, "Organisationen er ændret.", NULL));
    put(db, 3, "DIR", NULL, mkcase("Andet", true, "Intet om det her.", NULL));
    /* The word itself first, then the compound that holds it. */
    CHECK_IDS(db, "organisation", "2 1");
    CHECK_IDS(db, "organisationer", "2 1");
    CHECK_IDS(db, "digitalisering", "1");
    /* A word that only occurs inside a compound. */
    CHECK_IDS(db, "digitaliseringsorganisation", "1");
    /* Compounds count per word: both words match, one of them through a compound. */
    CHECK_IDS(db, "organisation plads", "1");
    /* Words shorter than four letters do not look inside other words. */
    CHECK_IDS(db, "nis", "");
    CHECK_IDS(db, "nisa", "2 1");
    struct search_result r = run(db, "organisation", (struct q){0});
    CHECK_INT(r.nhits, 2);
    if (r.nhits == 2) {
        CHECK_STR(r.hits[1].snippet,
                  "Den nye <mark>digitaliseringsorganisation</mark> er på plads.");
        CHECK(r.hits[0].score < r.hits[1].score);
    }
    search_result_fini(&r);
    sqlite3_close(db);
}

static void ranking(void)
{
    sqlite3 *db = open_db();
    /* The same words in each row; råderum once, in a different column each. */
    put(db, 1, "DIR", NULL,
        mkcase("Økonomisk råderum", true, "Sagen handler om næste års budget og drift.",
               "Direktionen godkendte oplægget med bemærkninger."));
    put(db, 2, "DIR", NULL,
        mkcase("Økonomisk status", true, "Sagen handler om næste års budget og drift.",
               "Direktionen godkendte råderum med bemærkninger."));
    put(db, 3, "DIR", NULL,
        mkcase("Økonomisk status", true, "Sagen handler om næste års råderum og drift.",
               "Direktionen godkendte oplægget med bemærkninger."));
    CHECK_IDS(db, "råderum", "1 2 3");
    sqlite3_close(db);
}

static void snippets(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "DIR", NULL,
        mkcase("Sikkerhed", true, "Teksten <script>alert(\"x\")</script> & mere om budget her.",
               NULL));
    struct search_result r = run(db, "budget", (struct q){0});
    CHECK_INT(r.nhits, 1);
    if (r.nhits == 1) {
        CHECK_STR(r.hits[0].snippet, "Teksten &lt;script&gt;alert(\"x\")&lt;/script&gt; "
                                     "&amp; mere om <mark>budget</mark> her.");
        CHECK_STR(r.hits[0].title, "Sikkerhed");
    }
    search_result_fini(&r);
    /* A long text is cut around the match; a phrase is one mark. */
    struct buf t = BUF_INIT;
    for (int i = 0; i < 60; i++)
        buf_printf(&t, "ord%d ", i);
    buf_puts(&t, "om digital omstilling\n\nog mere ");
    for (int i = 0; i < 60; i++)
        buf_printf(&t, "tekst%d ", i);
    put(db, 2, "DIR", NULL, mkcase("Lang", true, t.ptr, NULL));
    buf_free(&t);
    r = run(db, "\"digital omstilling\"", (struct q){0});
    CHECK_INT(r.nhits, 1);
    if (r.nhits == 1)
        CHECK_STR(r.hits[0].snippet, "… ord55 ord56 ord57 ord58 ord59 om <mark>digital "
                                     "omstilling</mark> og mere tekst0 tekst1 tekst2 tekst3 "
                                     "tekst4 tekst5 tekst6 tekst7 tekst8 tekst9 tekst10 tekst11 "
                                     "tekst12 tekst13 …");
    search_result_fini(&r);
    sqlite3_close(db);
}

static void public_mode(void)
{
    sqlite3 *db = open_db();
    struct case_doc *c =
        mkcase("Personalesag om omstrukturering", false, "Fortrolige oplysninger om medarbejderen.",
               "Direktionen besluttede afskedigelse.");
    add_sub(c, "Hemmeligt underpunkt", "Mere fortroligt om lønnen.", "Aftalt lønnedgang.");
    put(db, 1, "DIR", "2023-05-01", c);
    c = mkcase("Åben sag om lønpolitik", true, "Lønnen i kommunen generelt.", NULL);
    put(db, 2, "DIR", "2023-05-01", c);

    struct q pub = {.public_only = true}, staff = {0};
    /* Closed text never matches in public, neither the case nor its sub-items. */
    CHECK_IDS_Q(db, "fortrolige", pub, "");
    CHECK_IDS_Q(db, "afskedigelse", pub, "");
    CHECK_IDS_Q(db, "hemmeligt", pub, "");
    CHECK_IDS_Q(db, "lønnedgang", pub, "");
    CHECK_IDS_Q(db, "lønnen", pub, "2");
    CHECK_IDS_Q(db, "medarbejder*", pub, "");
    CHECK_IDS_Q(db, "personalesag NOT fortrolige", pub, "1");
    /* Staff find it all. */
    CHECK_SET(db, "fortrolige", staff, "1 1.1");
    CHECK_SET(db, "hemmeligt", staff, "1.1");
    CHECK_SET(db, "lønnen", staff, "1.1 2");
    /* The title of a closed case is public (case_view keeps it); its snippet is the title. */
    struct search_result r = run(db, "omstrukturering", pub);
    CHECK_INT(r.nhits, 1);
    if (r.nhits == 1) {
        CHECK_STR(r.hits[0].snippet, "Personalesag om <mark>omstrukturering</mark>");
        CHECK(r.hits[0].closed);
        CHECK_INT(r.hits[0].subitem, 0);
    }
    search_result_fini(&r);
    /* Nothing closed in any public snippet or title, whatever is asked. */
    static const char *const queries[] = {"personalesag", "omstrukturering OR lønnen",
                                          "personalesag OR fortrolige OR afskedigelse", "om*",
                                          "sag OR oplysninger OR underpunkt"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        r = run(db, queries[i], pub);
        for (size_t k = 0; k < r.nhits; k++) {
            const struct search_hit *h = &r.hits[k];
            CHECK(!strstr(h->snippet, "ortrolig") && !strstr(h->snippet, "afskedigelse"));
            CHECK(!strstr(h->snippet, "Hemmeligt") && !strstr(h->snippet, "lønnedgang"));
            CHECK(h->subitem == 0 || !h->closed);
        }
        search_result_fini(&r);
    }
    /* Staff see the closed case once, from its full text (not the public stub too). */
    r = run(db, "personalesag", staff);
    CHECK_INT(r.total, 1);
    if (r.nhits == 1)
        CHECK(r.hits[0].closed);
    search_result_fini(&r);
    sqlite3_close(db);
}

static void filters(void)
{
    sqlite3 *db = open_db();
    struct case_doc *c = mkcase("Budget ØK", true, "Budget.", NULL);
    *case_add_route(c) = xstrdup("FU");
    *case_add_route(c) = xstrdup("ØK");
    *case_add_route(c) = xstrdup("KB");
    put(db, 1, "FU", "2023-03-01", c);
    put(db, 2, "DIR", "2023-12-20", mkcase("Budget DIR", true, "Budget.", NULL));
    put(db, 3, "DIR", "2024-01-09", mkcase("Budget DIR 2024", true, "Budget.", NULL));
    put(db, 4, NULL, NULL, mkcase("Budget uden møde", true, "Budget.", NULL));
    CHECK_SET(db, "budget", ((struct q){.body = "DIR"}), "2 3");
    CHECK_SET(db, "budget", ((struct q){.body = "dir"}), "2 3");
    CHECK_SET(db, "budget", ((struct q){.body = "øk"}), "1");
    CHECK_SET(db, "budget", ((struct q){.body = "KB"}), "1");
    CHECK_SET(db, "budget", ((struct q){.body = "BU"}), "");
    /* Codes of several words keep their boundaries: "KB ØK" is not "KBØK". */
    put(db, 5, "KB ØK", NULL, mkcase("Budget KB ØK", true, "Budget.", NULL));
    CHECK_SET(db, "budget", ((struct q){.body = "kb-øk"}), "5");
    CHECK_SET(db, "budget", ((struct q){.body = "KBØK"}), "");
    CHECK_SET(db, "budget", ((struct q){.from = "2023-12-20"}), "2 3");
    CHECK_SET(db, "budget", ((struct q){.to = "2023-12-20"}), "1 2");
    CHECK_SET(db, "budget", ((struct q){.from = "2023-04", .to = "2023"}), "2");
    CHECK_SET(db, "budget", ((struct q){.from = "2024-01-09", .to = "2024-01-09"}), "3");
    CHECK_SET(db, "budget", ((struct q){.body = "DIR", .from = "2024"}), "3");
    static const char *const bad[] = {"2023-1-1", "2023-13", "2023-02-32", "23", "i går"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct search_params p = {.query = "budget", .from = bad[i]};
        struct search_result r;
        struct err e = {0};
        CHECK_INT(search_query(db, &p, &r, &e), ERR_USAGE);
        p = (struct search_params){.query = "budget", .to = bad[i]};
        CHECK_INT(search_query(db, &p, &r, &e), ERR_USAGE);
    }
    sqlite3_close(db);
}

static void paging(void)
{
    sqlite3 *db = open_db();
    /* Case i mentions "møde" i times: higher i ranks first. */
    for (int i = 1; i <= 25; i++) {
        struct buf b = BUF_INIT;
        for (int k = 0; k < i; k++)
            buf_puts(&b, "møde ");
        for (int k = i; k < 25; k++)
            buf_puts(&b, "andet ");
        put(db, i, "DIR", NULL, mkcase("Punkt", true, b.ptr, NULL));
        buf_free(&b);
    }
    struct search_result r = run(db, "møde", (struct q){.offset = 20, .limit = 10});
    CHECK_INT(r.total, 25);
    CHECK_INT(r.nhits, 5);
    if (r.nhits == 5) {
        CHECK_INT(r.hits[0].case_id, 5);
        CHECK_INT(r.hits[4].case_id, 1);
    }
    search_result_fini(&r);
    r = run(db, "møde", (struct q){0});
    CHECK_INT(r.total, 25);
    CHECK_INT(r.nhits, 10);
    if (r.nhits == 10) {
        CHECK_INT(r.hits[0].case_id, 25);
        CHECK_INT(r.hits[9].case_id, 16);
    }
    search_result_fini(&r);
    r = run(db, "møde", (struct q){.offset = 30});
    CHECK_INT(r.total, 25);
    CHECK_INT(r.nhits, 0);
    search_result_fini(&r);
    sqlite3_close(db);
}

static void grouping(void)
{
    sqlite3 *db = open_db();
    struct case_doc *c = mkcase("Chefforum", true, "Chefforum mødes om budget.", NULL);
    add_sub(c, "Budget 2024", "Budget for næste år.", "Godkendt.");
    add_sub(c, "Andet", "Ikke noget.", NULL);
    add_sub(c, "Budgetopfølgning", "Mere om budget.", "Taget til efterretning.");
    put(db, 7, "DIR", NULL, c);
    put(db, 8, "DIR", NULL, mkcase("Budget", true, "Budget.", NULL));
    struct search_result r = run(db, "budget", (struct q){0});
    CHECK_INT(r.total, 4);
    int64_t first7 = -1;
    for (size_t i = 0; i < r.nhits; i++) {
        if (r.hits[i].case_id == 7 && first7 < 0)
            first7 = (int64_t)r.hits[i].subitem;
        if (r.hits[i].case_id == 7 && r.hits[i].subitem == 1) {
            CHECK_STR(r.hits[i].title, "Budget 2024");
            CHECK_STR(r.hits[i].case_title, "Chefforum");
        }
    }
    search_result_fini(&r);
    CHECK_SET(db, "budget", (struct q){0}, "7 7.1 7.3 8");
    /* By case: each case once, by its best part. */
    r = run(db, "budget", (struct q){.group = SEARCH_BY_CASE});
    CHECK_INT(r.total, 2);
    CHECK_INT(r.nhits, 2);
    for (size_t i = 0; i < r.nhits; i++)
        if (r.hits[i].case_id == 7)
            CHECK_INT(r.hits[i].subitem, first7);
    search_result_fini(&r);
    CHECK_SET(db, "chefforum OR næste", ((struct q){.group = SEARCH_BY_CASE}), "7");
    sqlite3_close(db);
}

static void expect_error(sqlite3 *db, const char *query, int code, unsigned col, const char *msg)
{
    struct search_params p = {.query = query};
    struct search_result r = {0};
    struct err e = {0};
    int rc = search_query(db, &p, &r, &e);
    char out[512] = "";
    if (rc < 0)
        err_format(&e, out, sizeof out);
    if (rc != code || e.col != col || (msg && strcmp(out, msg) != 0)) {
        fprintf(stderr, "query [%s]: got %d at col %u '%s', want %d at col %u '%s'\n", query, rc,
                e.col, out, code, col, msg ? msg : "");
        test_case_failed = 1;
    }
    CHECK_INT(r.nhits, 0);
}

static void bad_queries(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "DIR", NULL, mkcase("Budget", true, "Budget og drift.", NULL));
    expect_error(db, "", ERR_SYNTAX, 1, "query:1:1: expected a word to search for");
    expect_error(db, "   ", ERR_SYNTAX, 4, NULL);
    expect_error(db, "budget \"og drift", ERR_SYNTAX, 8,
                 "query:1:8: expected \" to close the phrase that starts here");
    expect_error(db, "budget AND", ERR_SYNTAX, 11,
                 "query:1:11: expected a word, \"phrase\" or ( after AND, found the end");
    expect_error(db, "budget OR OR drift", ERR_SYNTAX, 11, NULL);
    expect_error(db, "(budget OR drift", ERR_SYNTAX, 17,
                 "query:1:17: expected ) to close the ( at column 1");
    expect_error(db, "budget)", ERR_SYNTAX, 7, "query:1:7: unexpected ) without a ( before it");
    expect_error(db, "NOT drift", ERR_SYNTAX, 1,
                 "query:1:1: expected a word before NOT (NOT excludes: budget NOT drift)");
    expect_error(db, "– NOT drift", ERR_SYNTAX, 3, "query:1:3: expected a word before NOT");
    expect_error(db, "æøå ()", ERR_SYNTAX, 6, NULL);
    expect_error(db, "& % –", ERR_SYNTAX, 1, NULL);
    expect_error(db, "bud\xffget", ERR_UTF8, 4, "query:1:4: expected UTF-8 text");
    struct buf b = BUF_INIT;
    for (int i = 0; i < 40; i++)
        buf_puts(&b, "(");
    expect_error(db, b.ptr, ERR_LIMIT, 33, NULL);
    buf_truncate(&b, 0);
    for (int i = 0; i < 70; i++)
        buf_puts(&b, "a ");
    expect_error(db, b.ptr, ERR_LIMIT, 129, NULL);
    buf_free(&b);
    /* FTS5's own syntax is only text here: no column filters, NEAR or ^. Case 1 has budget
     * in its title; as a column filter "title:budget" would find it. */
    put(db, 2, "DIR", NULL,
        mkcase("Andet", true, "Felterne title: budget og meta: budget samt near budget drift.",
               NULL));
    CHECK_IDS(db, "title:budget", "2");
    CHECK_IDS(db, "meta:budget", "2");
    CHECK_IDS(db, "{title}: budget", "2");
    CHECK_IDS(db, "NEAR(budget drift)", "2");
    CHECK_SET(db, "^budget", (struct q){0}, "1 2");
    CHECK_SET(db, "budget:*", (struct q){0}, "1 2");
    CHECK_IDS(db,
              "\x01\x02"
              "bdir",
              "");
    CHECK_IDS(db, "title:anlæg", "");
    sqlite3_close(db);
}

static void reindex_and_check(void)
{
    sqlite3 *db = open_db();
    struct err e = {0};
    struct case_doc *c = mkcase("Budget", true, "Gammel tekst om anlæg.", NULL);
    add_sub(c, "Punkt", "Underpunkt om anlæg.", NULL);
    put(db, 1, "DIR", NULL, c);
    put(db, 2, "DIR", NULL, mkcase("Anden", true, "Anlæg også her.", NULL));
    CHECK_SET(db, "anlæg", (struct q){0}, "1 1.1 2");
    put(db, 1, "DIR", NULL, mkcase("Budget", true, "Ny tekst om drift.", NULL));
    CHECK_IDS(db, "anlæg", "2");
    CHECK_IDS(db, "drift", "1");
    CHECK_INT(search_unindex_case(db, 1, &e), 0);
    CHECK_IDS(db, "drift", "");
    CHECK_INT(search_check(db, &e), 0);
    CHECK_INT(search_optimize(db, &e), 0);
    CHECK_IDS(db, "anlæg", "2");
    sqlite3_close(db);
}

static void vocabulary_after_rollback(void)
{
    sqlite3 *db = open_db();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    put(db, 1, "DIR", NULL, mkcase("Plan", true, "En budgetopfølgningsplan.", NULL));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    put(db, 2, "DIR", NULL, mkcase("Plan", true, "En budgetopfølgningsplan.", NULL));
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    CHECK_IDS(db, "opfølgningsplan", "2");
    struct err e = {0};
    CHECK_INT(search_check(db, &e), 0);
    sqlite3_close(db);
}

static void expression(void)
{
    sqlite3 *db = open_db();
    put(db, 1, "DIR", NULL, mkcase("A", true, "Digitaliseringsorganisation.", NULL));
    char *x = NULL;
    struct err e = {0};
    CHECK_INT(
        search_fts_expr(db, "Organisationerne AND \"IT-strategi\" OR beslut*", NULL, false, &x, &e),
        0);
    CHECK_STR(x, "((\"\x01organisation\" AND \"\x01it\x01strategi\") OR \"\x01"
                 "beslut\" *)");
    free(x);
    CHECK_INT(search_fts_expr(db, "organisation", NULL, true, &x, &e), 0);
    CHECK_STR(x, "(\"\x01organisation\" OR \"\x01"
                 "digitaliseringsorganisation\")");
    free(x);
    sqlite3_close(db);
}

/* More matches than the cap: the newest cap are counted and ranked, total is "at least". */
static void capped(void)
{
    sqlite3 *db = open_db();
    /* Open cases 11..30, then closed cases 31..35 (the newest) whose closed text matches. */
    for (int id = 11; id <= 30; id++) {
        char title[64];
        snprintf(title, sizeof title, "Budget for område %d", id);
        struct case_doc *c = mkcase(title, true, id % 2 ? "Budgettet følges op." : NULL, NULL);
        if (id == 30)
            add_sub(c, "Budget i underpunkt", "budget", NULL);
        put(db, id, "DIR", "2023-05-01", c);
    }
    for (int id = 31; id <= 35; id++)
        put(db, id, "DIR", "2023-05-01",
            mkcase("Personalesag", false, "Fortroligt budget for en medarbejder.", NULL));

    /* Below or at the cap everything is exact: 21 open parts + 5 closed for staff. */
    struct search_result r = run(db, "budget", (struct q){.cap = 26, .limit = 100});
    CHECK_INT(r.total, 26);
    CHECK(!r.total_capped);
    CHECK_INT(r.nhits, 26);
    search_result_fini(&r);
    r = run(db, "budget", (struct q){.cap = 25});
    CHECK_INT(r.total, 25);
    CHECK(r.total_capped);
    search_result_fini(&r);

    /* Staff, cap 5: the five newest parts are the closed cases, ranked among themselves. */
    CHECK_SET(db, "budget", ((struct q){.cap = 5}), "31 32 33 34 35");
    /* Public, cap 5: closed text never counts nor shows; the newest open parts instead, and
     * the sub-item counts as a part of its case (30.1 is newer than 30: rowid order). */
    struct q pub = {.public_only = true, .cap = 5};
    CHECK_SET(db, "budget", pub, "27 28 29 30 30.1");
    r = run(db, "budget", pub);
    CHECK_INT(r.total, 5);
    CHECK(r.total_capped);
    CHECK_INT(r.nhits, 5);
    for (size_t i = 0; i < r.nhits; i++) {
        CHECK(!r.hits[i].closed);
        CHECK(!strstr(r.hits[i].snippet, "Fortroligt"));
        /* The order rule within the capped set is the usual one: score, then rowid. */
        if (i > 0)
            CHECK(r.hits[i - 1].score <= r.hits[i].score);
    }
    search_result_fini(&r);
    /* Closed text alone: nothing in public, capped or not. */
    r = run(db, "fortroligt", (struct q){.public_only = true, .cap = 1});
    CHECK_INT(r.total, 0);
    CHECK(!r.total_capped);
    search_result_fini(&r);

    /* By case: 30 and 30.1 are one case (shown by its best part, the sub-item whose title and
     * text both say budget), so the five newest cases are 26..30. */
    CHECK_SET(db, "budget", ((struct q){.public_only = true, .cap = 5, .group = SEARCH_BY_CASE}),
              "26 27 28 29 30.1");
    r = run(db, "budget", (struct q){.public_only = true, .cap = 20, .group = SEARCH_BY_CASE});
    CHECK_INT(r.total, 20);
    CHECK(!r.total_capped);
    search_result_fini(&r);
    r = run(db, "budget", (struct q){.public_only = true, .cap = 19, .group = SEARCH_BY_CASE});
    CHECK_INT(r.total, 19);
    CHECK(r.total_capped);
    search_result_fini(&r);

    /* Pages go through the capped set only; filters still apply exactly (31..35 are DIR). */
    r = run(db, "budget", (struct q){.public_only = true, .cap = 5, .offset = 5});
    CHECK_INT(r.nhits, 0);
    CHECK_INT(r.total, 5);
    CHECK(r.total_capped);
    search_result_fini(&r);
    CHECK_SET(db, "budget", ((struct q){.body = "ØK", .cap = 5}), "");
    CHECK_SET(db, "budget", ((struct q){.from = "2024", .cap = 1}), "");
    sqlite3_close(db);
}


/* --- regression tests of issue 13 ---------------------------------------------------------- */

static int count_step(void *ud)
{
    (*(unsigned long long *)ud)++;
    return 0;
}

/* The virtual-machine instructions a public query runs: deterministic work, not time. */
static unsigned long long vm_work(sqlite3 *db, const char *query, int *rc, size_t *total)
{
    unsigned long long n = 0;
    struct search_params p = {.query = query, .public_only = true};
    struct search_result r = {0};
    struct err e = {0};
    sqlite3_progress_handler(db, 1, count_step, &n);
    *rc = search_query(db, &p, &r, &e);
    sqlite3_progress_handler(db, 0, NULL, NULL);
    *total = r.total;
    search_result_fini(&r);
    return n;
}

/* cases first..last, each with words "ab0q".."ab9q", "ac0q".., "ad..", "ae.." in its text. */
static void put_prefix_cases(sqlite3 *db, int first, int last)
{
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int id = first; id <= last; id++) {
        struct buf b = BUF_INIT;
        for (const char *p = "bcde"; *p; p++)
            for (int k = 0; k < 10; k++)
                buf_printf(&b, "a%c%cq ", *p, 'f' + (id + k) % 16);
        put(db, id, "DIR", "2023-05-01", mkcase("Punkt", true, b.ptr, NULL));
        buf_free(&b);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

/* D2: prefix-OR queries amplified cost (a* OR b* OR ... OR z*: 16.4 s, 421 MB on 100,000
 * cases). The work of a query is bounded: refused before the scan when too broad, and the
 * work of refusing does not grow with the archive. */
static void d2_prefix_or_bounded(void)
{
    sqlite3 *db = open_db();
    put_prefix_cases(db, 1, 3000);
    struct buf q = BUF_INIT;
    for (char c = 'a'; c <= 'z'; c++)
        buf_printf(&q, "%s%c*", c > 'a' ? " OR " : "", c);
    CHECK_INT(q.len, 152);
    int rc;
    size_t total;
    unsigned long long broad = vm_work(db, q.ptr, &rc, &total);
    CHECK_INT(rc, ERR_LIMIT);
    unsigned long long prefixes = vm_work(db, "ab* OR ac* OR ad* OR ae*", &rc, &total);
    CHECK_INT(rc, ERR_LIMIT);
    /* Twice the archive: refusing costs the same, a bounded count, not a scan. */
    put_prefix_cases(db, 3001, 6000);
    unsigned long long broad2 = vm_work(db, q.ptr, &rc, &total);
    CHECK_INT(rc, ERR_LIMIT);
    unsigned long long prefixes2 = vm_work(db, "ab* OR ac* OR ad* OR ae*", &rc, &total);
    CHECK_INT(rc, ERR_LIMIT);
    fprintf(stderr, "d2: vm work %llu %llu -> %llu %llu\n", broad, prefixes, broad2, prefixes2);
    CHECK(broad2 <= broad + broad / 10 + 1000);
    CHECK(prefixes2 <= prefixes + prefixes / 10 + 1000);
    buf_free(&q);
    sqlite3_close(db);
}

/* D5: with 3,000 closed cases saying "hemmeligord", a public search answered total 0 in
 * 0.90 ms against 0.16 ms for an absent word: it stepped through the closed rows. The public
 * query's work for a word only closed text holds is that of an absent word. */
static void d5_closed_words_no_timing(void)
{
    sqlite3 *db = open_db();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int id = 1; id <= 50; id++)
        put(db, id, "DIR", "2023-05-01",
            mkcase("Åben sag", true, "Budget og drift i kommunen.", NULL));
    for (int id = 51; id <= 3050; id++)
        put(db, id, "DIR", "2023-05-01",
            mkcase("Personalesag", false,
                   "Fortroligt: hemmeligord og hemmeligordsliste for medarbejderen.",
                   "Direktionen tog hemmeligord til efterretning."));
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    int rc1, rc2;
    size_t t1, t2;
    /* Two words of the same length, one in closed text only, one nowhere. */
    unsigned long long closed = vm_work(db, "hemmeligord", &rc1, &t1);
    unsigned long long absent = vm_work(db, "fraværsordx", &rc2, &t2);
    fprintf(stderr, "d5: vm work closed word %llu, absent word %llu\n", closed, absent);
    CHECK_INT(rc1, 0);
    CHECK_INT(rc2, 0);
    CHECK_INT(t1, 0);
    CHECK_INT(t2, 0);
    CHECK_INT(closed, absent);
    sqlite3_close(db);
}

/* The public hits of query as "id:score" with the scores' bits. */
static char *public_ranking(sqlite3 *db, const char *query)
{
    struct search_result r = run(db, query, (struct q){.public_only = true});
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < r.nhits; i++) {
        unsigned long long bits;
        memcpy(&bits, &r.hits[i].score, sizeof bits);
        buf_printf(&b, "%s%lld.%zu:%016llx", i ? " " : "", (long long)r.hits[i].case_id,
                   r.hits[i].subitem, bits);
    }
    buf_printf(&b, " total %zu", r.total);
    search_result_fini(&r);
    return buf_detach(&b);
}

/* D6: two open cases tied in rank swapped places when closed cases containing one of the two
 * query words were imported (bm25's statistics counted the closed rows). Public order and
 * scores are those of an archive holding only the public views, bit for bit. */
static void d6_closed_text_no_ranking_effect(void)
{
    sqlite3 *db = open_db(), *pub = open_db();
    for (int k = 0; k < 2; k++) {
        sqlite3 *d = k ? pub : db;
        put(d, 1, "DIR", "2023-05-01",
            mkcase("Vejprojekt", true, "Anlæg af cykelsti ved skolen.", NULL));
        put(d, 2, "DIR", "2023-05-01",
            mkcase("Vejprojekt", true, "Anlæg af fortov ved hallen.", NULL));
        put(d, 3, "DIR", "2023-05-01", mkcase("Andet", true, "Helt andre ord her.", NULL));
    }
    const char *const queries[] = {"cykelsti OR fortov", "anlæg", "vejprojekt cykelsti",
                                   "anlæg OR cykel*"};
    char *before[4];
    for (int i = 0; i < 4; i++)
        before[i] = public_ranking(db, queries[i]);
    /* Closed cases with one of the words: their titles are public, their text is not. */
    for (int id = 4; id <= 8; id++) {
        put(db, id, "DIR", "2023-05-01",
            mkcase("Personalesag", false, "Fortroligt om cykelsti og cykelsti igen.",
                   "Cykelsti er aftalt."));
        /* The archive of public views only: the same closed cases as the public sees them. */
        struct case_doc *c = mkcase("Personalesag", false, NULL, NULL);
        put(pub, id, "DIR", "2023-05-01", c);
    }
    for (int i = 0; i < 4; i++) {
        char *after = public_ranking(db, queries[i]), *only = public_ranking(pub, queries[i]);
        CHECK_STR(after, before[i]);
        CHECK_STR(after, only);
        free(after);
        free(only);
        free(before[i]);
    }
    sqlite3_close(db);
    sqlite3_close(pub);
}

int main(void)
{
    RUN(stemming);
    RUN(folding);
    RUN(phrase_and_prefix);
    RUN(boolean);
    RUN(compounds);
    RUN(ranking);
    RUN(snippets);
    RUN(public_mode);
    RUN(filters);
    RUN(paging);
    RUN(grouping);
    RUN(capped);
    RUN(bad_queries);
    RUN(reindex_and_check);
    RUN(vocabulary_after_rollback);
    RUN(expression);
    RUN(d2_prefix_or_bounded);
    RUN(d5_closed_words_no_timing);
    RUN(d6_closed_text_no_ranking_effect);
    return TEST_REPORT();
}
