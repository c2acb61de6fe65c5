/* rank: referat_rank, bm25 with column weights and compound matches ranked after word matches;
 * referat_stats, the statistics it ranks with; referat_count, a bounded count of matches. */
#include "search_int.h"

#include <math.h>
#include <pthread.h>

/*
 * referat_rank(table, ptr) is Okapi BM25 as FTS5's own bm25() computes it (k1 1.2, b 0.75,
 * the same idf), with the column weights title 10, decision 4, presentation 1, and one
 * shortcut (a row's length comes from its rowid, see search_int.h), plus a tier: for every
 * query word that a row matches only through a compound (a vocabulary term containing the
 * word, not the word's own stem), the score grows by SEARCH_TIER, which is larger than any
 * BM25 score. So every row that matches all its words as words ranks before every row that
 * needs a compound, and within a tier BM25 decides. Lower is better.
 *
 * The statistics (rows, mean length, each phrase's idf) are not the table's own: query.c
 * gathers them with referat_stats from the indexes the reader searches (the public index
 * alone for the public, both for staff) and hands them over in struct search_rank, so that
 * the rows of both indexes are scored alike and the public's never see the closed index.
 */

#define K1 1.2
#define B 0.75
#define SEARCH_TIER 1e6

static double weight(int col)
{
    return col == COL_TITLE          ? SEARCH_W_TITLE
           : col == COL_DECISION     ? SEARCH_W_DECISION
           : col == COL_PRESENTATION ? SEARCH_W_PRESENTATION
           : col == COL_BILAG        ? SEARCH_W_BILAG
                                     : 0.0;
}

/* The weighed matches of FTS5 phrase i in this row. */
static int phrase_freq(const Fts5ExtensionApi *api, Fts5Context *fts, int i, double *freq)
{
    Fts5PhraseIter it;
    int col, off;
    int rc = api->xPhraseFirst(fts, i, &it, &col, &off);
    if (rc != SQLITE_OK)
        return rc;
    for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
        *freq += weight(col);
    return SQLITE_OK;
}

/* The weighed matches of FTS5 phrases first..first + n - 1 (n <= SEARCH_PREFIX_OR) in this
 * row as one phrase: each position (column, offset) that any of them has, once, in ascending
 * order. This is what FTS5's doclist of a prefix holds (it merges its terms' position lists
 * and keeps a position two terms share once: a word and its stem, indexed at the same
 * position, may both begin with the prefix), summed in the same order, so the score is the
 * prefix query's to the last bit. */
static int union_freq(const Fts5ExtensionApi *api, Fts5Context *fts, int first, int n,
                      double *freq)
{
    /* xPhraseNext reads each offset as a step from the one it gave before: each iterator
     * keeps its own column and offset. */
    Fts5PhraseIter it[SEARCH_PREFIX_OR];
    int col[SEARCH_PREFIX_OR], off[SEARCH_PREFIX_OR];
    int live = 0;
    if (n > SEARCH_PREFIX_OR)
        return SQLITE_ERROR;
    for (int j = 0; j < n; j++) {
        int rc = api->xPhraseFirst(fts, first + j, &it[j], &col[j], &off[j]);
        if (rc != SQLITE_OK)
            return rc;
        live += col[j] >= 0;
    }
    while (live > 0) {
        int m = -1;
        for (int j = 0; j < n; j++)
            if (col[j] >= 0 &&
                (m < 0 || col[j] < col[m] || (col[j] == col[m] && off[j] < off[m])))
                m = j;
        int mc = col[m], mo = off[m];
        *freq += weight(mc);
        for (int j = 0; j < n; j++) {
            if (col[j] != mc || off[j] != mo)
                continue;
            api->xPhraseNext(fts, &it[j], &col[j], &off[j]);
            live -= col[j] < 0;
        }
    }
    return SQLITE_OK;
}

static void referat_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sc,
                         int argc, sqlite3_value **argv)
{
    struct search_rank *d = argc > 0 ? sqlite3_value_pointer(argv[0], "referat_rank") : NULL;
    int rc = SQLITE_OK;
    if (!d) {
        sqlite3_result_error(sc, "referat_rank: no statistics", -1);
        return;
    }
    int nfts = api->xPhraseCount(fts);
    for (int g = 0; g <= d->ngroup; g++)
        d->seen[g] = 0;
    double score = 0.0;
    double norm = K1 * (1.0 - B + B * search_len_of(api->xRowid(fts)) / d->avgdl);
    /* Phrase i of the query is FTS5's phrases at..at + nsub[i] - 1. */
    for (int i = 0, at = 0; i < d->nphrase; at += d->nsub ? d->nsub[i] : 1, i++) {
        int n = d->nsub ? d->nsub[i] : 1;
        if (at + n > nfts)
            break;
        /* The phrase's matches in this row, each weighed by its column. */
        double freq = 0.0;
        rc = n == 1 ? phrase_freq(api, fts, at, &freq) : union_freq(api, fts, at, n, &freq);
        if (rc != SQLITE_OK)
            break;
        if (freq <= 0.0)
            continue;
        score += d->idf[i] * (freq * (K1 + 1.0)) / (freq + norm);
        int g = d->group[i];
        if (g > 0)
            d->seen[g] |= 1;
        else if (g < 0)
            d->seen[-g] |= 2;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(sc, rc);
        return;
    }
    int tier = 0;
    for (int g = 1; g <= d->ngroup; g++)
        tier += d->seen[g] == 2;
    sqlite3_result_double(sc, -score + tier * SEARCH_TIER);
}

struct count {
    int64_t n, last;
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    struct count *c = ud;
    c->n++;
    c->last = api->xRowid(fts);
    return c->n >= SEARCH_IDF_SAMPLE ? SQLITE_DONE : SQLITE_OK;
}

/* referat_stats(table, ptr): see struct search_stats. Called for one row of a query. */
static void referat_stats(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sc,
                          int argc, sqlite3_value **argv)
{
    struct search_stats *s = argc > 0 ? sqlite3_value_pointer(argv[0], "referat_stats") : NULL;
    if (!s) {
        sqlite3_result_error(sc, "referat_stats: nothing to fill", -1);
        return;
    }
    sqlite3_int64 nrow = 0, ntok = 0;
    int rc = api->xRowCount(fts, &nrow);
    for (int c = COL_TITLE; rc == SQLITE_OK && c <= COL_BILAG; c++) {
        sqlite3_int64 n = 0;
        rc = api->xColumnTotalSize(fts, c, &n);
        ntok += n;
    }
    int nphrase = api->xPhraseCount(fts);
    /* Bounded work: counting stops at SEARCH_IDF_SAMPLE matches (query.c estimates beyond). */
    for (int i = 0; rc == SQLITE_OK && i < s->nphrase; i++) {
        struct count cnt = {0, 0};
        if (i < nphrase)
            rc = api->xQueryPhrase(fts, i, &cnt, count_row);
        s->hits[i] = cnt.n;
        s->last[i] = cnt.last;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(sc, rc);
        return;
    }
    s->nrow = nrow;
    s->ntok = ntok;
    s->done = true;
    sqlite3_result_null(sc);
}

/* Lengths below 64 are exact; above, code c stands for 64 * LEN_BASE^(c - 64), which reaches
 * a million tokens at code 255. */
#define LEN_BASE 1.05186

unsigned search_len_code(size_t ntok)
{
    if (ntok < 64)
        return (unsigned)ntok;
    double c = 64.0 + log((double)ntok / 64.0) / log(LEN_BASE) + 0.5;
    return c >= 255.0 ? 255u : (unsigned)c;
}

static double len_table[256];
static pthread_once_t len_once = PTHREAD_ONCE_INIT;

static void len_init(void)
{
    for (int c = 0; c < 256; c++)
        len_table[c] = c < 64 ? (double)c : 64.0 * pow(LEN_BASE, c - 64);
}

double search_len_of(int64_t rowid)
{
    pthread_once(&len_once, len_init);
    return len_table[(rowid >> SEARCH_LEN_SHIFT) & 0xff];
}

struct bounded {
    int64_t n, max;
};

static int count_bounded(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    struct bounded *b = ud;
    (void)api;
    (void)fts;
    return ++b->n >= b->max ? SQLITE_DONE : SQLITE_OK;
}

/* referat_count(table, max): the rows that match the first phrase, counted up to max, in C
 * (a SELECT stepping through them would cost a virtual-machine round per row). */
static void referat_count(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sc,
                          int argc, sqlite3_value **argv)
{
    struct bounded b = {0, argc > 0 ? sqlite3_value_int64(argv[0]) : 0};
    int rc = SQLITE_OK;
    if (b.max > 0 && api->xPhraseCount(fts) > 0)
        rc = api->xQueryPhrase(fts, 0, &b, count_bounded);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(sc, rc);
    else
        sqlite3_result_int64(sc, b.n);
}

int search_rank_register(fts5_api *api)
{
    int rc = api->xCreateFunction(api, "referat_rank", NULL, referat_rank, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "referat_stats", NULL, referat_stats, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "referat_count", NULL, referat_count, NULL);
    return rc;
}
