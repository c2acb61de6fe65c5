/* bench_search: search_query's latency on the archive, public and staff, beside the same MATCH
 * issued raw to FTS5 (and PostgreSQL's danish text search when a local server answers), and
 * what too broad a query costs, all measured in the same run. */
#include "gen.h"
#include "format/format.h"
#include "search/search.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/*
 * usage: bench_search [--db PATH] [--cases N] [--rounds R] [--optimize] [--pg CONNINFO]
 *                     [--two-full PATH] [--cpu] [--quick] [--dump PATH]
 *
 * --db PATH: an archive with the search tables (schema 4: search_public, search_closed).
 * Without --db: bench-archive.db when it exists (what bench_archive's import leaves), else
 * bench-search.db. When the file does not exist, N cases (default 100000) from
 * bench/archive/gen.c (seed 1, the corpus bench_archive imports) are parsed and indexed into
 * it with search_index_case alone.
 * Each of the 230 queries runs R times (default 3) for each contender, interleaved; a query's
 * time is its median; p50 and p99 are over the 200 queries.
 *
 * The contenders, all with a fresh prepared statement per query, limit 10:
 *   search_query  parse + bounds + vocabulary lookup + rank + page + count + snippets, for
 *                 the public (the public index) and for staff (reader_all: both indexes)
 *   raw same      SELECT rowid FROM search_public WHERE search_public MATCH <the expression
 *                 the public search_query runs, compounds and body filter included>
 *                 [AND date...] ORDER BY rank LIMIT 10   (FTS5's bm25)
 *   raw + snippet the same with FTS5's snippet() per hit (text, not HTML-safe)
 *   raw words     the same without the compound words
 * A query search_query refuses as too broad (docs/search.md, "Bounded work") is timed as
 * refused; raw FTS5 runs it unbounded.
 *
 * Then the hostile queries of issue 13 (D2), search_query beside one reference word query
 * and beside FTS5 running the same prefixes unbounded, as ratios in this run.
 *
 * --two-full PATH: the other design of docs/search.md ("two full indexes") beside the chosen
 * one. PATH, when it does not exist, is made from the archive (VACUUM INTO) with one FTS5
 * index of every case's full text and every public view (search_staff, as that design's
 * staff index would be), whose size is printed; it then takes search_public's name, so that
 * a public search_query on PATH is that design's staff query, one statement on one index.
 * It runs as a sixth contender, interleaved with the others.
 *
 * --dump PATH: writes every query's result, public and staff (total, capped, and each hit's
 * case, sub-item and score at 17 digits, 30 hits from offset 0 and 10 from offset 20, by part
 * and by case), to PATH and exits: two builds' dumps must be equal where the ranking is
 * exact (`diff`), which is how a new way of evaluating a query is checked on the archive.
 */

enum cat { C_WORD, C_PHRASE, C_PREFIX, C_COMPOUND, C_FILTER, C_BOOL, C_NEWS, NCAT };
static const char *const cat_name[NCAT] = {"word",     "phrase", "prefix",    "compound",
                                           "filter",   "boolean", "journalist"};

/* in: where (enum search_in); by_date: sort by date; lenient: searched as search_query's
 * portal callers do, with raw FTS5 given words (the query's words alone) instead. */
struct bq {
    enum cat cat;
    const char *q;
    const char *body, *from, *to;
    int in;
    bool by_date, lenient;
    const char *words;
};

/* clang-format off */
#define Q(kind, q) {kind, q, NULL, NULL, NULL, 0, false, false, NULL}
#define F(q, body, from, to) {C_FILTER, q, body, from, to, 0, false, false, NULL}
#define J(q, body, from, to, in, by_date) {C_NEWS, q, body, from, to, in, by_date, false, NULL}
#define L(q, words) {C_NEWS, q, NULL, NULL, NULL, 0, false, true, words}

/* The fixed 200 queries: words from the corpus's examples (common and rare, inflected, some
 * absent), phrases, prefixes, parts of compounds, filters, and boolean combinations. */
static struct bq queries[] = {
    /* 50 single words */
    Q(C_WORD, "direktionen"), Q(C_WORD, "beslutninger"), Q(C_WORD, "budget"),
    Q(C_WORD, "verdensmål"), Q(C_WORD, "bæredygtig"), Q(C_WORD, "partnerskaber"),
    Q(C_WORD, "ØKONOMIUDVALGET"), Q(C_WORD, "kommunalbestyrelsen"), Q(C_WORD, "sommerfest"),
    Q(C_WORD, "rekruttering"), Q(C_WORD, "nytårskur"), Q(C_WORD, "trafiksikkerhedsplan"),
    Q(C_WORD, "trivselsmåling"), Q(C_WORD, "høring"), Q(C_WORD, "efterretning"),
    Q(C_WORD, "innovation"), Q(C_WORD, "infrastruktur"), Q(C_WORD, "ældreomsorg"),
    Q(C_WORD, "dagtilbud"), Q(C_WORD, "klima"), Q(C_WORD, "sundhed"), Q(C_WORD, "bosætning"),
    Q(C_WORD, "råderum"), Q(C_WORD, "beredskab"), Q(C_WORD, "affald"), Q(C_WORD, "erhverv"),
    Q(C_WORD, "ledelsessekretariatet"), Q(C_WORD, "chefforum"), Q(C_WORD, "lederforum"),
    Q(C_WORD, "matrikel"), Q(C_WORD, "købstilbud"), Q(C_WORD, "hedebølger"), Q(C_WORD, "gymnasium"),
    Q(C_WORD, "samarbejdsaftale"), Q(C_WORD, "tilsynssag"), Q(C_WORD, "markedspris"),
    Q(C_WORD, "julehilsen"), Q(C_WORD, "sygefravær"), Q(C_WORD, "superbrugere"),
    Q(C_WORD, "udligningssystemet"), Q(C_WORD, "frivillighedsprisen"), Q(C_WORD, "hjemmepleje"),
    Q(C_WORD, "plejecentrene"), Q(C_WORD, "Kjærgaard"), Q(C_WORD, "Mørup"), Q(C_WORD, "Nørgaard"),
    Q(C_WORD, "xylofon"), Q(C_WORD, "kvantecomputer"), Q(C_WORD, "idé"), Q(C_WORD, "år"),
    /* 30 phrases */
    Q(C_PHRASE, "\"kunstig intelligens\""), Q(C_PHRASE, "\"til efterretning\""),
    Q(C_PHRASE, "\"følger op\""), Q(C_PHRASE, "\"bæredygtig udvikling\""),
    Q(C_PHRASE, "\"lokal handling\""), Q(C_PHRASE, "\"5 minutters oplæg\""),
    Q(C_PHRASE, "\"Lindholm Kommune\""), Q(C_PHRASE, "\"tværs af kommunens fagområder\""),
    Q(C_PHRASE, "\"fælles datagrundlag\""), Q(C_PHRASE, "\"digital inklusion\""),
    Q(C_PHRASE, "\"med henblik på godkendelse\""), Q(C_PHRASE, "\"bilag er vedlagt\""),
    Q(C_PHRASE, "\"økonomi og tilmelding\""), Q(C_PHRASE, "\"anden samtalerunde\""),
    Q(C_PHRASE, "\"punkter til behandling\""), Q(C_PHRASE, "\"det indstilles\""),
    Q(C_PHRASE, "\"sendes i høring\""), Q(C_PHRASE, "\"chef for it og digitalisering\""),
    Q(C_PHRASE, "\"regionale udviklingsstrategi\""), Q(C_PHRASE, "\"fn's verdensmål\""),
    Q(C_PHRASE, "\"tog orienteringen til efterretning\""), Q(C_PHRASE, "\"kildebro kursuscenter\""),
    Q(C_PHRASE, "\"økonomiudvalget den\""), Q(C_PHRASE, "\"lukket sag\""),
    Q(C_PHRASE, "\"trivsel og sygefravær\""), Q(C_PHRASE, "\"ansvarlig brug\""),
    Q(C_PHRASE, "\"budget 2024\""), Q(C_PHRASE, "\"del 2\""), Q(C_PHRASE, "\"xylofon og tromme\""),
    Q(C_PHRASE, "\"direktionen drøfter\""),
    /* 30 prefixes */
    Q(C_PREFIX, "beslut*"), Q(C_PREFIX, "digital*"), Q(C_PREFIX, "budget*"),
    Q(C_PREFIX, "verdens*"), Q(C_PREFIX, "udvikl*"), Q(C_PREFIX, "økonomi*"),
    Q(C_PREFIX, "kommun*"), Q(C_PREFIX, "trafik*"), Q(C_PREFIX, "trivsel*"),
    Q(C_PREFIX, "beredskab*"), Q(C_PREFIX, "samtale*"), Q(C_PREFIX, "fag*"), Q(C_PREFIX, "sommer*"),
    Q(C_PREFIX, "nytår*"), Q(C_PREFIX, "erhvervs*"), Q(C_PREFIX, "plejec*"),
    Q(C_PREFIX, "ledelses*"), Q(C_PREFIX, "strateg*"), Q(C_PREFIX, "partner*"),
    Q(C_PREFIX, "hedeb*"), Q(C_PREFIX, "udligning*"), Q(C_PREFIX, "markeds*"), Q(C_PREFIX, "jule*"),
    Q(C_PREFIX, "syge*"), Q(C_PREFIX, "superb*"), Q(C_PREFIX, "frivillig*"), Q(C_PREFIX, "kvante*"),
    Q(C_PREFIX, "xylo*"), Q(C_PREFIX, "\"kunstig intel\"*"), Q(C_PREFIX, "\"bæredygtig udv\"*"),
    /* 30 parts of compounds */
    Q(C_COMPOUND, "strategi"), Q(C_COMPOUND, "organisation"), Q(C_COMPOUND, "seminar"),
    Q(C_COMPOUND, "opfølgning"), Q(C_COMPOUND, "måling"), Q(C_COMPOUND, "plan"),
    Q(C_COMPOUND, "sikkerhed"), Q(C_COMPOUND, "udvalget"), Q(C_COMPOUND, "direktør"),
    Q(C_COMPOUND, "forum"), Q(C_COMPOUND, "aftale"), Q(C_COMPOUND, "pleje"),
    Q(C_COMPOUND, "prisen"), Q(C_COMPOUND, "systemet"), Q(C_COMPOUND, "område"),
    Q(C_COMPOUND, "chef"), Q(C_COMPOUND, "runde"), Q(C_COMPOUND, "politikker"),
    Q(C_COMPOUND, "projekter"), Q(C_COMPOUND, "ramme"), Q(C_COMPOUND, "bølger"),
    Q(C_COMPOUND, "centrene"), Q(C_COMPOUND, "brugere"), Q(C_COMPOUND, "grundlag"),
    Q(C_COMPOUND, "tilbud"), Q(C_COMPOUND, "rapport"), Q(C_COMPOUND, "øvelse"),
    Q(C_COMPOUND, "konsulent"), Q(C_COMPOUND, "statistik"), Q(C_COMPOUND, "fravær"),
    /* 30 filters */
    F("budget", "DIR", NULL, NULL), F("budget", "ØK", NULL, NULL), F("budget", "KB", NULL, NULL),
    F("direktionen", "DIR", NULL, NULL), F("klima", "FU", NULL, NULL),
    F("beslutning", NULL, "2023-01-01", "2023-12-31"), F("høring", NULL, "2024-01-01", NULL),
    F("sundhed", NULL, NULL, "2022-06"), F("verdensmål", "DIR", "2023", "2023"),
    F("nytårskur", NULL, "2024-12", "2025-01"), F("trivselsmåling", "DIR", NULL, NULL),
    F("rekruttering", NULL, "2022", "2022"), F("kunstig intelligens", "DIR", NULL, NULL),
    F("\"følger op\"", "DIR", "2023-06", NULL), F("strategi", "DIR", NULL, NULL),
    F("matrikel", "ØK", NULL, NULL), F("beredskab", "KB", NULL, NULL),
    F("skole", NULL, "2021", "2021"), F("affald", "DIR", "2022", "2024"),
    F("erhverv", NULL, "2025-01-01", NULL), F("sommerfest", "DIR", NULL, NULL),
    F("chefforum", NULL, "2023-03-01", "2023-03-31"), F("udvikl*", "FU", NULL, NULL),
    F("trafik*", NULL, "2024", NULL), F("bosætning", "XYZ", NULL, NULL),
    F("klima OR sundhed", "DIR", "2023", "2024"), F("råderum", NULL, "2023", NULL),
    F("gymnasium", NULL, NULL, "2023"), F("budget NOT drift", "ØK", NULL, NULL),
    F("lederforum", "DIR", "2022-01-01", "2022-12-31"),
    /* 30 boolean */
    Q(C_BOOL, "budget AND seminar"), Q(C_BOOL, "klima OR sundhed"), Q(C_BOOL, "budget NOT drift"),
    Q(C_BOOL, "direktionen AND kommunalbestyrelsen"), Q(C_BOOL, "høring OR efterretning"),
    Q(C_BOOL, "verdensmål AND partnerskaber AND innovation"),
    Q(C_BOOL, "(klima OR sundhed) NOT skole"), Q(C_BOOL, "trafiksikkerhedsplan OR beredskabsplan"),
    Q(C_BOOL, "nytårskur AND julehilsen"), Q(C_BOOL, "rekruttering NOT ansættelse"),
    Q(C_BOOL, "kunstig intelligens"), Q(C_BOOL, "matrikel AND markedspris"),
    Q(C_BOOL, "sygefravær OR trivsel"), Q(C_BOOL, "chefforum OR lederforum OR økonomiforum"),
    Q(C_BOOL, "budget AND råderum"), Q(C_BOOL, "direktionen NOT budget"),
    Q(C_BOOL, "innovation AND eksekvering"), Q(C_BOOL, "\"kunstig intelligens\" AND ansvarlig"),
    Q(C_BOOL, "hedebølger OR beredskab*"), Q(C_BOOL, "erhvervspark AND købstilbud"),
    Q(C_BOOL, "gymnasium OR skole"), Q(C_BOOL, "bæredygtig udvikling NOT klima"),
    Q(C_BOOL, "sommerfest AND program"), Q(C_BOOL, "xylofon OR budget"),
    Q(C_BOOL, "plejecentrene AND hjemmepleje"), Q(C_BOOL, "udligningssystemet OR økonomiaftaler"),
    Q(C_BOOL, "superbrugere AND implementering"), Q(C_BOOL, "frivillighedsprisen OR julehilsen"),
    Q(C_BOOL, "status rekruttering fritidschef"),
    Q(C_BOOL, "digitalisering AND strategi AND høring"),
    /* 30 for journalists (issue 11): journal and document numbers (the first four are
     * replaced by numbers read from the archive's bilag at start), aa/oe/ae, the Danish
     * operators, where to search, sort by date, a stray ( or " */
    J("122962/23", NULL, NULL, NULL, 0, false), J("3553435", NULL, NULL, NULL, 0, false),
    J("122962/23", NULL, NULL, NULL, SEARCH_IN_BILAG, false),
    J("3553435", NULL, NULL, NULL, SEARCH_IN_BILAG, false),
    J("budgetopfoelgning", NULL, NULL, NULL, 0, false), J("verdensmaal", NULL, NULL, NULL, 0, false),
    J("trivselsmaaling", NULL, NULL, NULL, 0, false), J("hoering", NULL, NULL, NULL, 0, false),
    J("raaderum", NULL, NULL, NULL, 0, false), J("nytaarskur", NULL, NULL, NULL, 0, false),
    J("Kjaergaard", NULL, NULL, NULL, 0, false), J("oekonomiudvalget", NULL, NULL, NULL, 0, false),
    J("klima ELLER sundhed", NULL, NULL, NULL, 0, false),
    J("budget IKKE drift", NULL, NULL, NULL, 0, false),
    J("budget OG seminar", NULL, NULL, NULL, 0, false),
    J("(klima ELLER sundhed) IKKE skole", NULL, NULL, NULL, 0, false),
    J("budgetopfølgning", NULL, NULL, NULL, SEARCH_IN_BILAG, false),
    J("godkendt", NULL, NULL, NULL, SEARCH_IN_MINUTES, false),
    J("strategi", NULL, NULL, NULL, SEARCH_IN_AGENDA, false),
    J("efterretning", "DIR", NULL, NULL, SEARCH_IN_MINUTES, false),
    J("direktionen", NULL, NULL, NULL, 0, true), J("budget", NULL, NULL, NULL, 0, true),
    J("høring", NULL, "2024-01-01", NULL, 0, true), J("klima", "DIR", "2023", "2024", 0, true),
    J("trafiksikkerhedsplan", NULL, NULL, NULL, 0, true),
    L("budget \"drift", "budget drift"), L("(klima sundhed", "klima sundhed"),
    L("\"kunstig intelligens", "kunstig intelligens"), L("verdensmål)", "verdensmål"),
    L("budget OG", "budget"),
};
#undef Q
#undef F
#undef J
#undef L
/* clang-format on */
#define NQ (sizeof queries / sizeof queries[0])
_Static_assert(NQ == 230, "the benchmark runs 230 queries");

/* --cpu: the thread's CPU time instead of the wall clock, for a machine so loaded that a
 * query waits longer for a core than it runs (the archive is in the page cache, so reading it
 * is CPU time too). */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now(void)
{
    struct timespec t;
    clock_gettime(bench_clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, sqlite3 *db)
{
    fprintf(stderr, "bench_search: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql, db);
}

/* --- building the archive when there is none ---------------------------------------------- */

static void build(sqlite3 *db, size_t ncases)
{
    struct gen *g = gen_new(EXAMPLES_DIR, 1);
    if (!g)
        die("no examples to generate a corpus from", NULL);
    struct buf text = BUF_INIT;
    double t0 = now();
    exec(db, search_schema_sql());
    exec(db, "BEGIN");
    size_t rows = 0, failed = 0;
    for (size_t k = 0; k < ncases; k++) {
        struct case_doc *doc = NULL;
        struct err e = {0};
        struct warnings w = {0};
        gen_next(g, &text);
        if (fmt_read(&fmt_read_md, text.ptr, text.len, FMT_NOLAYOUT, &doc, &e, &w) < 0) {
            failed++;
            warnings_fini(&w);
            continue;
        }
        const int64_t body = 1;
        struct search_meta m = {.case_id = (int64_t)k + 1,
                                .body = doc->nroute ? doc->route[0] : NULL,
                                .date = doc->ndecisions ? doc->decisions[0].date : NULL,
                                .bodies = &body,
                                .nbodies = 1};
        if (search_index_case(db, &m, doc, &e) < 0)
            die(e.msg, db);
        rows += 1 + doc->nsubitems;
        warnings_fini(&w);
        case_free(doc);
        if ((k + 1) % 5000 == 0) {
            exec(db, "COMMIT");
            exec(db, "BEGIN");
            fprintf(stderr, "\r  indexed %zu cases", k + 1);
        }
    }
    exec(db, "COMMIT");
    double t1 = now();
    fprintf(stderr, "\r");
    printf("built: %zu cases (%zu unreadable), %zu parts; generated, parsed and indexed in "
           "%.1f s (%.0f cases/s)\n",
           ncases - failed, failed, rows, t1 - t0, (double)ncases / (t1 - t0));
    buf_free(&text);
    gen_free(g);
}

/* --- the contenders ----------------------------------------------------------------------- */

/* Hits on the page, or -1 when refused as too broad; *total as search_query reports it, plus
 * one when capped (so that a capped total reads as "more than the cap"). */
static long ours(sqlite3 *db, const struct bq *q, bool staff, size_t *total)
{
    struct search_params p = {.query = q->q,
                              .body = q->body,
                              .from = q->from,
                              .to = q->to,
                              .reader = staff ? &reader_all : NULL,
                              .in = (enum search_in)q->in,
                              .sort = q->by_date ? SEARCH_SORT_DATE : SEARCH_SORT_RELEVANCE,
                              .lenient = q->lenient,
                              .limit = 10};
    struct search_result r;
    struct err e = {0};
    int rc = search_query(db, &p, &r, &e);
    if (rc == ERR_LIMIT) {
        *total = 0;
        return -1;
    }
    if (rc < 0) {
        fprintf(stderr, "search_query '%s': %s\n", q->q, e.msg);
        exit(1);
    }
    long n = (long)r.nhits;
    *total = r.total + r.total_capped;
    search_result_fini(&r);
    return n;
}

enum raw_kind { RAW_SAME, RAW_SNIPPET, RAW_WORDS };

static size_t raw(sqlite3 *db, const struct bq *q, const char *expr, enum raw_kind k)
{
    char sql[512];
    /* The same dates as search_query: a rowid range (the day is on top of the rowid). */
    snprintf(sql, sizeof sql,
             "SELECT rowid%s FROM search_public WHERE search_public MATCH ?1"
             "%s ORDER BY %s LIMIT 10",
             k == RAW_SNIPPET ? ", snippet(search_public, -1, '<mark>', '</mark>', '…', 24)" : "",
             q->from || q->to ? " AND rowid BETWEEN ?2 AND ?3" : "",
             q->by_date ? "rowid DESC" : "rank");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die("raw query", db);
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    if (q->from || q->to) {
        int64_t lo, hi;
        search_rowid_range(q->from, q->to, &lo, &hi);
        sqlite3_bind_int64(st, 2, lo);
        sqlite3_bind_int64(st, 3, hi);
    }
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        n++;
    if (rc != SQLITE_DONE)
        die("raw query", db);
    sqlite3_finalize(st);
    return n;
}

/* count(*) of expr in table (public: every row; closed: its rows, and the open rows of the
 * public index beside them, as staff see them) with the date filter. */
static size_t raw_count(sqlite3 *db, const struct bq *q, const char *expr, bool staff)
{
    static const char *const sql[2] = {
        "SELECT count(*) FROM search_public WHERE search_public MATCH ?1 "
        "AND (?2 IS NULL OR date >= ?2) AND (?3 IS NULL OR date <= ?3 || '~')",
        "SELECT (SELECT count(*) FROM search_public WHERE search_public MATCH ?1 "
        "AND (rowid & 3) = 0 AND (?2 IS NULL OR date >= ?2) AND (?3 IS NULL OR date <= ?3 || "
        "'~')) + (SELECT count(*) FROM search_closed WHERE search_closed MATCH ?1 "
        "AND (?2 IS NULL OR date >= ?2) AND (?3 IS NULL OR date <= ?3 || '~'))"};
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql[staff], -1, &st, NULL) != SQLITE_OK)
        die("count", db);
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->to, -1, SQLITE_STATIC);
    size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return n;
}

/* Milliseconds of a raw FTS5 query for expr on search_public, newest first, 10 rows: what a
 * prefix costs FTS5 without bounds (it merges each prefix's terms before the first row). */
static double raw_unbounded(sqlite3 *db, const char *expr)
{
    sqlite3_stmt *st;
    double t0 = now();
    if (sqlite3_prepare_v2(db,
                           "SELECT rowid FROM search_public WHERE search_public MATCH ?1 "
                           "ORDER BY rowid DESC LIMIT 10",
                           -1, &st, NULL) != SQLITE_OK)
        die("raw query", db);
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    return (now() - t0) * 1e3;
}

/* The column filter search_query puts around the query for q->in, with the body filter
 * after it (search_fts_expr gives "(x) AND body"). */
static void in_columns(sqlite3 *db, const struct bq *q, char **expr, bool compounds)
{
    static const char *const cols[] = {"", "{title presentation}", "{decision}", "{bilag}"};
    char *bare = NULL;
    struct err e = {0};
    if (search_fts_expr(db, q->q, NULL, compounds, &bare, &e) < 0)
        die(e.msg, NULL);
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s : (%s)", cols[q->in], bare);
    if (q->body)
        buf_printf(&b, " AND %s", *expr + strlen(bare) + 7); /* after "(bare) AND " */
    free(bare);
    free(*expr);
    *expr = buf_detach(&b);
}

/* The first journal and document numbers of a bilag in the middle of the archive, for the
 * journalist queries (the generator draws them at random). */
static void numbers_from_archive(sqlite3 *db)
{
    sqlite3_stmt *st;
    static char journal[32], document[32];
    if (sqlite3_prepare_v2(db,
                           /* ---- issue 11, storage: the search tables keep no content
                            * table; the attachments' own columns ---- */
                           "SELECT journal || char(10) || coalesce(document, '') FROM attachment "
                           "WHERE journal GLOB '*[0-9]/[0-9]*' AND case_id >= "
                           "(SELECT max(id) / 2 FROM \"case\") LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        die("reading a bilag", db);
    const char *t = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "";
    for (const char *p = t; *p; p++) {
        size_t n = strspn(p, "0123456789");
        if (!journal[0] && n >= 4 && p[n] == '/' && strspn(p + n + 1, "0123456789") == 2)
            snprintf(journal, sizeof journal, "%.*s", (int)n + 3, p);
        else if (!document[0] && n == 7 && (p == t || p[-1] == '\n' || p[-1] == ' '))
            snprintf(document, sizeof document, "%.*s", (int)n, p);
        if (n)
            p += n - 1;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < NQ; i++) {
        if (queries[i].cat != C_NEWS)
            continue;
        if (journal[0] && !strcmp(queries[i].q, "122962/23"))
            queries[i].q = journal;
        if (document[0] && !strcmp(queries[i].q, "3553435"))
            queries[i].q = document;
    }
    printf("journalist queries: journal number %s, document number %s (from the archive)\n",
           journal[0] ? journal : "(none)", document[0] ? document : "(none)");
}

/* --- PostgreSQL, when a local server answers ---------------------------------------------- */

static void pg_bench(sqlite3 *db, const char *conninfo, double *pg_ms);

/* --- statistics --------------------------------------------------------------------------- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *v, size_t n, double p)
{
    double *s = xmalloc(n * sizeof *s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_d);
    /* nearest rank */
    size_t i = (size_t)ceil(p / 100.0 * (double)n);
    double r = s[i ? i - 1 : 0];
    free(s);
    return r;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define NCONT 6
enum { C_OURS, C_RAW, C_SNIPPET, C_WORDS, C_STAFF, C_FULL };
static const char *const cont_name[NCONT] = {"search_query public",  "raw same MATCH",
                                             "raw same + snippet()", "raw words only",
                                             "search_query staff",   "staff, two full"};

/* --two-full: the archive of the other design (see the top of this file). */
static sqlite3 *two_full(sqlite3 *db, const char *path)
{
    struct stat sb;
    sqlite3 *full;
    if (stat(path, &sb) != 0) {
        double t0 = now();
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &st, NULL) != SQLITE_OK)
            die("VACUUM INTO", db);
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("VACUUM INTO", db);
        sqlite3_finalize(st);
        if (sqlite3_open(path, &full) != SQLITE_OK || search_register(full) != SQLITE_OK)
            die(path, full);
        exec(full, "PRAGMA journal_mode = WAL");
        exec(full, "PRAGMA synchronous = OFF");
        exec(full, "BEGIN");
        exec(full, "CREATE VIRTUAL TABLE search_staff USING fts5(date UNINDEXED, body UNINDEXED, "
                   "title, decision, presentation, bilag, meta, tokenize = 'danish')");
        /* The closed rows as part 0: a public search_query counts them, as that design's
         * staff query would for reader_all (it would skip the public views instead). */
        exec(full, "INSERT INTO search_staff(rowid, date, body, title, decision, presentation, "
                   "bilag, meta) SELECT rowid, date, body, title, decision, presentation, bilag, meta "
                   "FROM search_public");
        exec(full, "INSERT INTO search_staff(rowid, date, body, title, decision, presentation, "
                   "bilag, meta) SELECT rowid - 2, date, body, title, decision, presentation, bilag, meta "
                   "FROM search_closed");
        exec(full, "INSERT INTO search_staff(search_staff) VALUES ('optimize')");
        exec(full, "COMMIT");
        sqlite3_stmt *sz;
        if (sqlite3_prepare_v2(full,
                               "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_staff%'", -1,
                               &sz, NULL) == SQLITE_OK &&
            sqlite3_step(sz) == SQLITE_ROW)
            printf("two full indexes: the staff index of every case's text and every public "
                   "view: %.0f MB (made in %.0f s)\n",
                   (double)sqlite3_column_int64(sz, 0) / 1e6, now() - t0);
        sqlite3_finalize(sz);
        exec(full, "DROP TABLE search_public");
        exec(full, "ALTER TABLE search_staff RENAME TO search_public");
        sqlite3_close(full);
    }
    if (sqlite3_open(path, &full) != SQLITE_OK || search_register(full) != SQLITE_OK)
        die(path, full);
    exec(full, "PRAGMA cache_size = -262144");
    return full;
}

/* The sizes of the search indexes and of the rest, from SQLite's dbstat (when compiled in). */
static void sizes(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT CASE WHEN name LIKE 'search_public%' THEN 'public index' "
                           "WHEN name LIKE 'search_closed%' THEN 'closed index' "
                           "WHEN name LIKE 'search%' THEN 'other search tables' "
                           "ELSE 'the rest' END AS g, sum(pgsize) FROM dbstat GROUP BY g "
                           "ORDER BY g DESC",
                           -1, &st, NULL) != SQLITE_OK) {
        printf("sizes: no dbstat in this SQLite\n");
        return;
    }
    printf("sizes:");
    while (sqlite3_step(st) == SQLITE_ROW)
        printf("  %s %.0f MB", (const char *)sqlite3_column_text(st, 0),
               (double)sqlite3_column_int64(st, 1) / 1e6);
    printf("\n");
    sqlite3_finalize(st);
}

/* The hostile queries of issue 13 (D2) and a reference word, each run r times: search_query
 * (public) as a median, and FTS5 unbounded on the same prefixes once. */
static void hostile(sqlite3 *db, size_t rounds)
{
    static const char *const hq[] = {
        NULL, /* a* OR b* OR ... OR z*, 152 characters */
        "ko* OR be* OR fo* OR ud*",
        "kommun*",
        "beslut* OR trivsel*",
    };
    char az[160] = "";
    for (char c = 'a'; c <= 'z'; c++)
        snprintf(az + strlen(az), sizeof az - strlen(az), "%s%c*", c > 'a' ? " OR " : "", c);
    struct bq ref = {C_WORD, "direktionen", NULL, NULL, NULL, 0, false, false, NULL};
    double *v = xcalloc(rounds, sizeof *v);
    size_t dummy;
    for (size_t k = 0; k < rounds; k++) {
        double t0 = now();
        ours(db, &ref, false, &dummy);
        v[k] = (now() - t0) * 1e3;
    }
    double ref_ms = median(v, rounds);
    printf("\nhostile queries (D2), median of %zu runs, beside the word '%s' (%.3f ms) in this "
           "run:\n",
           rounds, ref.q, ref_ms);
    for (size_t i = 0; i < sizeof hq / sizeof hq[0]; i++) {
        struct bq q = {C_PREFIX, hq[i] ? hq[i] : az, NULL, NULL, NULL, 0, false, false, NULL};
        long hits = 0;
        for (size_t k = 0; k < rounds; k++) {
            double t0 = now();
            hits = ours(db, &q, false, &dummy);
            v[k] = (now() - t0) * 1e3;
        }
        double ms = median(v, rounds);
        /* FTS5 itself on the same prefixes (each as a prefix of the word as written). */
        struct buf x = BUF_INIT;
        const char *p = q.q;
        while (*p) {
            size_t n = strcspn(p, " *");
            if (n && strncmp(p, "OR", n) != 0)
                buf_printf(&x, "%s\"\x01%.*s\" *", x.len ? " OR " : "", (int)n, p);
            p += n;
            p += strspn(p, " *");
        }
        double raw_ms = raw_unbounded(db, buf_cstr(&x));
        buf_free(&x);
        printf("  %-26.26s %s %8.3f ms = %6.2f x the word; FTS5 unbounded %9.1f ms = %8.1f x\n",
               q.q, hits < 0 ? "refused" : "ran    ", ms, ms / ref_ms, raw_ms, raw_ms / ref_ms);
    }
    free(v);
}

/* --dump: one query's results as text. */
static void dump_one(FILE *f, sqlite3 *db, const struct bq *q, bool staff, enum search_group g,
                     size_t offset, size_t limit)
{
    struct search_params p = {.query = q->q,
                              .body = q->body,
                              .from = q->from,
                              .to = q->to,
                              .reader = staff ? &reader_all : NULL,
                              .in = (enum search_in)q->in,
                              .sort = q->by_date ? SEARCH_SORT_DATE : SEARCH_SORT_RELEVANCE,
                              .lenient = q->lenient,
                              .group = g,
                              .offset = offset,
                              .limit = limit};
    struct search_result r;
    struct err e = {0};
    int rc = search_query(db, &p, &r, &e);
    fprintf(f, "%s%s%s %s by %s from %zu: rc %d", q->q, q->body ? " --body " : "",
            q->body ? q->body : "", staff ? "staff" : "public", g == SEARCH_BY_CASE ? "case" : "part",
            offset, rc);
    if (rc == 0)
        fprintf(f, " total %zu%s\n", r.total, r.total_capped ? " capped" : "");
    else
        fprintf(f, " %s\n", e.msg);
    for (size_t i = 0; rc == 0 && i < r.nhits; i++)
        fprintf(f, "  %lld/%zu %.17g\n", (long long)r.hits[i].case_id, r.hits[i].subitem,
                r.hits[i].score);
    if (rc == 0)
        search_result_fini(&r);
}

static void dump(sqlite3 *db, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    for (size_t i = 0; i < NQ; i++)
        for (int staff = 0; staff < 2; staff++) {
            dump_one(f, db, &queries[i], staff, SEARCH_BY_PART, 0, 30);
            dump_one(f, db, &queries[i], staff, SEARCH_BY_PART, 20, 10);
            dump_one(f, db, &queries[i], staff, SEARCH_BY_CASE, 0, 10);
        }
    fclose(f);
}

static void report(double *const *t, int c)
{
    printf("%-22s %8.3f %8.3f %8.3f %8.3f\n", cont_name[c], pct(t[c], NQ, 50), pct(t[c], NQ, 90),
           pct(t[c], NQ, 99), pct(t[c], NQ, 100));
}

int main(int argc, char **argv)
{
    const char *path = NULL, *pg = NULL, *full_path = NULL, *dump_path = NULL;
    size_t ncases = 100000, rounds = 3;
    bool optimize = false, quick = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            path = argv[++i];
        else if (!strcmp(argv[i], "--cases") && i + 1 < argc)
            ncases = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--optimize"))
            optimize = true;
        else if (!strcmp(argv[i], "--cpu"))
            bench_clock = CLOCK_THREAD_CPUTIME_ID;
        else if (!strcmp(argv[i], "--quick"))
            quick = true; /* search_query only: no raw FTS5, no checks, hostile or postgres */
        else if (!strcmp(argv[i], "--pg") && i + 1 < argc)
            pg = argv[++i];
        else if (!strcmp(argv[i], "--two-full") && i + 1 < argc)
            full_path = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump_path = argv[++i];
        else {
            fprintf(stderr, "usage: bench_search [--db PATH] [--cases N] [--rounds R] "
                            "[--optimize] [--pg CONNINFO] [--two-full PATH] [--cpu] [--quick] "
                            "[--dump PATH]\n");
            return 2;
        }
    }
    if (rounds < 1)
        rounds = 1;
    struct stat sb;
    if (!path)
        path = stat("bench-archive.db", &sb) == 0 ? "bench-archive.db" : "bench-search.db";
    bool exists = stat(path, &sb) == 0;
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK || search_register(db) != SQLITE_OK)
        die(path, db);
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = OFF");
    exec(db, "PRAGMA cache_size = -262144"); /* 256 MB, for both sides alike */
    if (!exists)
        build(db, ncases);
    if (optimize) {
        struct err e = {0};
        double t = now();
        if (search_optimize(db, &e) < 0)
            die(e.msg, db);
        printf("optimize: %.1f s\n", now() - t);
    }
    sqlite3_stmt *st;
    long long nrows = 0, nclosed = 0, nterms = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT count(*) FROM search_public), "
                           "(SELECT count(*) FROM search_closed), "
                           "(SELECT count(*) FROM search_public_term)",
                           -1, &st, NULL) != SQLITE_OK)
        die("the archive has no search tables of schema 4 (referat db migrate)", db);
    if (sqlite3_step(st) == SQLITE_ROW) {
        nrows = sqlite3_column_int64(st, 0);
        nclosed = sqlite3_column_int64(st, 1);
        nterms = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    stat(path, &sb);
    printf("archive: %s, %lld rows in search_public, %lld in search_closed, %lld public "
           "vocabulary terms, %.0f MB\n",
           path, nrows, nclosed, nterms, (double)sb.st_size / 1e6);
    sizes(db);
    sqlite3 *full = full_path ? two_full(db, full_path) : NULL;

    numbers_from_archive(db);
    if (dump_path) {
        dump(db, dump_path);
        sqlite3_close(db);
        return 0;
    }
    /* The expressions raw FTS5 gets: exactly what the public search_query runs. */
    char *expr[NQ], *words[NQ];
    for (size_t i = 0; i < NQ; i++) {
        struct err e = {0};
        const char *q = queries[i].lenient ? queries[i].words : queries[i].q;
        if (search_fts_expr(db, q, queries[i].body, true, &expr[i], &e) < 0 ||
            search_fts_expr(db, q, queries[i].body, false, &words[i], &e) < 0) {
            fprintf(stderr, "query '%s': %s\n", queries[i].q, e.msg);
            return 1;
        }
        if (queries[i].in) {
            in_columns(db, &queries[i], &expr[i], true);
            in_columns(db, &queries[i], &words[i], false);
        }
    }
    /* Warm the cache, and check that search_query finds what FTS5 finds: the same number
     * of hits on the page and the same total as count(*), for the public and for staff
     * (whose count is the closed index's rows and the open ones of the public index). */
    size_t counts[NQ], mismatch = 0, nrefused = 0, nsrefused = 0;
    bool refused[NQ];
    for (size_t i = 0; i < NQ; i++) {
        size_t total, stotal;
        long a = ours(db, &queries[i], false, &total);
        long sa = ours(db, &queries[i], true, &stotal);
        if (quick) {
            refused[i] = a < 0;
            nrefused += refused[i];
            counts[i] = 0;
            continue;
        }
        size_t b = raw(db, &queries[i], expr[i], RAW_SAME);
        raw(db, &queries[i], expr[i], RAW_SNIPPET);
        raw(db, &queries[i], words[i], RAW_WORDS);
        refused[i] = a < 0;
        counts[i] = raw_count(db, &queries[i], expr[i], false);
        if (refused[i]) {
            nrefused++;
            continue;
        }
        /* Exact below the cap; at it, a capped total (SEARCH_CAP + 1 here) when more match. */
        size_t count = counts[i], scount = raw_count(db, &queries[i], expr[i], true);
        size_t want = count > SEARCH_CAP ? SEARCH_CAP + 1 : count;
        size_t swant = scount > SEARCH_CAP ? SEARCH_CAP + 1 : scount;
        /* Staff search both indexes: their prefixes stand for more, and may be refused. */
        nsrefused += sa < 0;
        if ((size_t)a != b || total != want || (sa >= 0 && stotal != swant)) {
            mismatch++;
            fprintf(stderr, "'%s': %ld vs %zu hits, total %zu vs count(*) %zu; staff %zu vs %zu\n",
                    queries[i].q, a, b, total, count, stotal, scount);
        }
    }
    double *t[NCONT];
    for (int c = 0; c < NCONT; c++)
        t[c] = xcalloc(NQ, sizeof(double));
    double *sample = xcalloc(rounds, sizeof(double));
    for (size_t i = 0; i < NQ; i++) {
        double s[NCONT][64];
        size_t r;
        for (r = 0; r < rounds && r < 64; r++) {
            for (int c = 0; c < NCONT; c++) {
                size_t dummy;
                double t0 = now();
                if (c == C_FULL && full)
                    ours(full, &queries[i], false, &dummy);
                else if (c == C_FULL)
                    continue;
                else if (c == C_OURS || c == C_STAFF)
                    ours(db, &queries[i], c == C_STAFF, &dummy);
                else if (quick)
                    s[c][r] = 1;
                else
                    raw(db, &queries[i], c == C_WORDS ? words[i] : expr[i],
                        c == C_RAW       ? RAW_SAME
                        : c == C_SNIPPET ? RAW_SNIPPET
                                         : RAW_WORDS);
                s[c][r] = (now() - t0) * 1e3;
            }
        }
        for (int c = 0; c < NCONT; c++) {
            memcpy(sample, s[c], r * sizeof(double));
            t[c][i] = median(sample, r);
        }
    }
    free(sample);

    printf("\n%zu queries, limit 10, median of %zu runs each, milliseconds%s (refused as too broad, "
           "and timed as refused: %zu public, %zu more for staff):\n",
           NQ, rounds, bench_clock == CLOCK_MONOTONIC ? "" : " of CPU time (--cpu)", nrefused,
           nsrefused);
    printf("%-22s %8s %8s %8s %8s\n", "", "p50", "p90", "p99", "max");
    for (int c = 0; c < NCONT; c++)
        if (c != C_FULL || full)
            report(t, c);
    printf("\nby kind (p50 ms: public search_query / raw same MATCH = ratio; p99 public; "
           "staff p50, p99 and staff / public at p50):\n");
    for (int k = 0; k < NCAT; k++) {
        double a[NQ], b[NQ], c[NQ];
        size_t n = 0, nr = 0;
        for (size_t i = 0; i < NQ; i++)
            if (queries[i].cat == (enum cat)k) {
                a[n] = t[C_OURS][i];
                b[n] = t[C_RAW][i];
                c[n++] = t[C_STAFF][i];
                nr += refused[i];
            }
        printf("  %-9s %3zu queries (%2zu refused) %8.3f / %8.3f = %5.2f   p99 %8.3f   staff "
               "%8.3f %8.3f  %5.2f\n",
               cat_name[k], n, nr, pct(a, n, 50), pct(b, n, 50), pct(a, n, 50) / pct(b, n, 50),
               pct(a, n, 99), pct(c, n, 50), pct(c, n, 99), pct(c, n, 50) / pct(a, n, 50));
    }
    size_t big = 0;
    for (size_t i = 0; i < NQ; i++)
        big += counts[i] > SEARCH_CAP;
    printf("\n%zu of %zu queries match more than %d parts (total capped, the newest %d "
           "ranked); queries where hits or total differ from FTS5's: %zu\n",
           big, NQ, SEARCH_CAP, SEARCH_CAP, mismatch);
    double p50 = pct(t[C_OURS], NQ, 50), r50 = pct(t[C_RAW], NQ, 50);
    double p99 = pct(t[C_OURS], NQ, 99);
    printf("ratio p50 search_query / raw same MATCH: %.2f (goal <= 1.2)\n", p50 / r50);
    printf("ratio p50 search_query / raw same + snippet(): %.2f\n",
           p50 / pct(t[C_SNIPPET], NQ, 50));
    printf("ratio p99 search_query / raw same MATCH: %.2f\n", p99 / pct(t[C_RAW], NQ, 99));
    printf("ratio staff / public search_query: p50 %.2f, p99 %.2f\n", pct(t[C_STAFF], NQ, 50) / p50,
           pct(t[C_STAFF], NQ, 99) / p99);
    if (full)
        printf("ratio staff, public + closed-only / two full indexes: p50 %.2f, p99 %.2f\n",
               pct(t[C_STAFF], NQ, 50) / pct(t[C_FULL], NQ, 50),
               pct(t[C_STAFF], NQ, 99) / pct(t[C_FULL], NQ, 99));
    printf("p99 search_query: %.2f ms (goal < 10)\n", p99);
    if (getenv("BENCH_SEARCH_SLOW")) {
        /* BENCH_SEARCH_SLOW=1: the slowest tenth; =all: every query. */
        bool all = strcmp(getenv("BENCH_SEARCH_SLOW"), "all") == 0;
        printf("\nqueries (public ms, staff ms, raw same ms, parts matched):\n");
        for (size_t i = 0; i < NQ; i++)
            if (all || t[C_OURS][i] > pct(t[C_OURS], NQ, 90) ||
                t[C_STAFF][i] > pct(t[C_STAFF], NQ, 90))
                printf("  %8.2f %8.2f %8.2f %8zu  %s%s%s%s%s%s%s%s\n", t[C_OURS][i], t[C_STAFF][i],
                       t[C_RAW][i], counts[i], queries[i].q, queries[i].body ? " --body " : "",
                       queries[i].body ? queries[i].body : "", queries[i].from ? " --from " : "",
                       queries[i].from ? queries[i].from : "", queries[i].to ? " --to " : "",
                       queries[i].to ? queries[i].to : "", refused[i] ? "  (refused)" : "");
    }
    if (quick)
        return 0;
    hostile(db, rounds < 5 ? 5 : rounds);

    double pg_ms[NQ];
    pg_bench(db, pg, pg_ms);

    for (size_t i = 0; i < NQ; i++) {
        free(expr[i]);
        free(words[i]);
    }
    for (int c = 0; c < NCONT; c++)
        free(t[c]);
    sqlite3_close(full);
    sqlite3_close(db);
    return 0;
}

/* --- PostgreSQL --------------------------------------------------------------------------- */

/* Our syntax in websearch_to_tsquery's: AND is implicit there, NOT is "-", and prefix
 * queries become their word (websearch has no prefix; the figure says so). */
static void pg_query_text(const char *q, struct buf *out)
{
    buf_truncate(out, 0);
    const char *p = q;
    while (*p) {
        if (!strncmp(p, "AND ", 4)) {
            p += 4;
        } else if (!strncmp(p, "NOT ", 4)) {
            buf_putc(out, '-');
            p += 4;
        } else if (*p == '*' || *p == '(' || *p == ')') {
            p++;
        } else {
            buf_putc(out, *p++);
        }
    }
}

static void pg_bench(sqlite3 *db, const char *conninfo, double *pg_ms)
{
    const char *ci = conninfo ? conninfo : getenv("REFERAT_PG") ? getenv("REFERAT_PG") : "";
    PGconn *pc = PQconnectdb(ci);
    if (PQstatus(pc) != CONNECTION_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(pc));
        char *nl = strchr(msg, '\n');
        if (nl)
            *nl = '\0';
        printf("\npostgres: skipped, no local server answers (%s)\n", msg);
        PQfinish(pc);
        return;
    }
    printf("\npostgres %d: loading the same rows ...\n", PQserverVersion(pc));
    PGresult *res = PQexec(pc, "SET client_min_messages = warning;"
                               "DROP TABLE IF EXISTS referat_bench;"
                               "CREATE TABLE referat_bench (id bigint PRIMARY KEY, date text, "
                               "body text, title text, decision text, presentation text);");
    PQclear(res);
    res = PQexec(pc, "COPY referat_bench FROM STDIN");
    PQclear(res);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT rowid, date, body, title, decision, presentation "
                           "FROM search_public",
                           -1, &st, NULL) != SQLITE_OK)
        die("reading rows for postgres", db);
    struct buf line = BUF_INIT;
    while (sqlite3_step(st) == SQLITE_ROW) {
        buf_truncate(&line, 0);
        buf_printf(&line, "%lld", (long long)sqlite3_column_int64(st, 0));
        for (int c = 1; c < 6; c++) {
            buf_putc(&line, '\t');
            const char *s = (const char *)sqlite3_column_text(st, c);
            if (!s) {
                buf_puts(&line, "\\N");
                continue;
            }
            for (; *s; s++) {
                if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r')
                    buf_printf(&line, "\\%c",
                               *s == '\t'   ? 't'
                               : *s == '\n' ? 'n'
                               : *s == '\r' ? 'r'
                                            : '\\');
                else
                    buf_putc(&line, *s);
            }
        }
        buf_putc(&line, '\n');
        PQputCopyData(pc, line.ptr, (int)line.len);
    }
    sqlite3_finalize(st);
    PQputCopyEnd(pc, NULL);
    res = PQgetResult(pc);
    PQclear(res);
    double t0 = now();
    res = PQexec(pc, "ALTER TABLE referat_bench ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
                     "setweight(to_tsvector('danish', coalesce(title, '')), 'A') || "
                     "setweight(to_tsvector('danish', coalesce(decision, '')), 'B') || "
                     "setweight(to_tsvector('danish', coalesce(presentation, '')), 'C')) STORED;"
                     "CREATE INDEX ON referat_bench USING gin (tsv); ANALYZE referat_bench;");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        printf("postgres: %s", PQerrorMessage(pc));
    PQclear(res);
    printf("postgres: indexed in %.1f s\n", now() - t0);
    struct buf q = BUF_INIT;
    for (size_t i = 0; i < NQ; i++) {
        pg_query_text(queries[i].q, &q);
        const char *params[4] = {buf_cstr(&q), queries[i].body, queries[i].from, queries[i].to};
        double s[64];
        for (int r = 0; r < 3; r++) {
            double t1 = now();
            res = PQexecParams(pc,
                               "SELECT id, ts_rank(tsv, query) AS r FROM referat_bench, "
                               "websearch_to_tsquery('danish', $1) query WHERE tsv @@ query "
                               "AND ($2::text IS NULL OR body = $2) "
                               "AND ($3::text IS NULL OR date >= $3) "
                               "AND ($4::text IS NULL OR date <= $4 || '~') "
                               "ORDER BY r DESC LIMIT 10",
                               4, NULL, params, NULL, NULL, 0);
            s[r] = (now() - t1) * 1e3;
            PQclear(res);
        }
        pg_ms[i] = median(s, 3);
    }
    buf_free(&q);
    buf_free(&line);
    printf("postgres danish (websearch_to_tsquery, ts_rank, limit 10; prefixes searched as "
           "words, no compounds): p50 %.3f ms, p99 %.3f ms\n",
           pct(pg_ms, NQ, 50), pct(pg_ms, NQ, 99));
    PQfinish(pc);
}
