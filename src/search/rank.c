/* rank: referat_rank, bm25 with column weights and compound matches ranked after word matches. */
#include "search_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

/*
 * referat_rank(search_word, groups, max_rowid) is Okapi BM25 as FTS5's own bm25() computes it
 * (k1 1.2, b 0.75, the same idf), with the column weights title 10, decision 4, presentation
 * 1, two shortcuts (a row's length comes from its rowid, see search_int.h; with a single
 * phrase the idf is left out, as it scales every score alike) and a bound (with several
 * phrases, a phrase's matches are counted up to IDF_SAMPLE and estimated beyond, from
 * max_rowid, the table's highest rowid), plus a tier: for every query word that a row matches
 * only through a compound (a vocabulary term containing the word, not the word's own stem),
 * the score grows by SEARCH_TIER, which is larger than any BM25 score. So every row that
 * matches all its words as words ranks before every row that needs a compound, and within a
 * tier BM25 decides. Lower is better.
 *
 * groups is a string of one integer per phrase of the query, in the order the phrases
 * appear: g > 0 marks a word's own phrase of word group g, -g a compound standing in for
 * it, 0 a phrase outside any group. Phrases after the last integer are filters (the body
 * marker) and do not count.
 */

#define K1 1.2
#define B 0.75
#define SEARCH_TIER 1e6

struct rank_data {
    int nphrase; /* phrases that count */
    int ngroup;
    int *group;
    double *idf;
    unsigned char *seen; /* per group: 1 own word matched, 2 compound matched */
    double avgdl;
    double w[NCOLS];
};

static void rank_data_free(void *p)
{
    struct rank_data *d = p;
    if (!d)
        return;
    free(d->group);
    free(d->idf);
    free(d->seen);
    free(d);
}

/* A phrase's matches are counted exactly up to this many; then the count is estimated. */
#define IDF_SAMPLE 2000

struct count {
    sqlite3_int64 n;
    sqlite3_int64 last; /* rowid of the last match counted */
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    struct count *c = ud;
    c->n++;
    c->last = api->xRowid(fts);
    return c->n >= IDF_SAMPLE ? SQLITE_DONE : SQLITE_OK;
}

static int rank_setup(const Fts5ExtensionApi *api, Fts5Context *fts, const char *spec,
                      sqlite3_int64 max_rowid, struct rank_data **out)
{
    struct rank_data *d = xcalloc(1, sizeof *d);
    int total = api->xPhraseCount(fts);
    int rc = SQLITE_OK;
    d->group = xcalloc((size_t)total + 1, sizeof *d->group);
    for (const char *p = spec ? spec : ""; *p && d->nphrase < total;) {
        char *end;
        long g = strtol(p, &end, 10);
        if (end == p)
            break;
        d->group[d->nphrase++] = (int)g;
        if (labs(g) > d->ngroup)
            d->ngroup = (int)labs(g);
        p = end;
    }
    d->idf = xcalloc((size_t)d->nphrase + 1, sizeof *d->idf);
    d->seen = xcalloc((size_t)d->ngroup + 1, 1);
    d->w[COL_TITLE] = SEARCH_W_TITLE;
    d->w[COL_DECISION] = SEARCH_W_DECISION;
    d->w[COL_PRESENTATION] = SEARCH_W_PRESENTATION;

    sqlite3_int64 nrow = 0, ntok = 0;
    rc = api->xRowCount(fts, &nrow);
    for (int c = COL_TITLE; rc == SQLITE_OK && c <= COL_PRESENTATION; c++) {
        sqlite3_int64 n = 0;
        rc = api->xColumnTotalSize(fts, c, &n);
        ntok += n;
    }
    d->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
    if (d->avgdl <= 0)
        d->avgdl = 1.0;
    /* With one phrase the idf is the same for every row: skip the pass over its matches. */
    for (int i = 0; rc == SQLITE_OK && i < d->nphrase; i++) {
        if (d->nphrase == 1) {
            d->idf[i] = 1.0;
            break;
        }
        /* Bounded work: counting stops at IDF_SAMPLE matches (they come in rowid order), and
         * a phrase that has that many is taken to match as densely over the whole rowid range
         * as over the part counted. Case ids are spread evenly enough for a weight. */
        struct count cnt = {0, 0};
        rc = api->xQueryPhrase(fts, i, &cnt, count_row);
        double nhit = (double)cnt.n;
        if (cnt.n >= IDF_SAMPLE && cnt.last > 0 && max_rowid > cnt.last)
            nhit = nhit * ((double)max_rowid / (double)cnt.last);
        if (nhit > (double)nrow)
            nhit = (double)nrow;
        double idf = log((nrow - nhit + 0.5) / (nhit + 0.5));
        d->idf[i] = idf <= 0.0 ? 1e-6 : idf;
    }
    if (rc != SQLITE_OK) {
        rank_data_free(d);
        return rc;
    }
    *out = d;
    return SQLITE_OK;
}

static void referat_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sc,
                         int argc, sqlite3_value **argv)
{
    struct rank_data *d = api->xGetAuxdata(fts, 0);
    int rc = SQLITE_OK;
    if (!d) {
        const char *spec = argc > 0 ? (const char *)sqlite3_value_text(argv[0]) : NULL;
        sqlite3_int64 max_rowid = argc > 1 ? sqlite3_value_int64(argv[1]) : 0;
        rc = rank_setup(api, fts, spec, max_rowid, &d);
        if (rc == SQLITE_OK)
            rc = api->xSetAuxdata(fts, d, rank_data_free);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(sc, rc);
            return;
        }
    }
    for (int g = 0; g <= d->ngroup; g++)
        d->seen[g] = 0;
    double score = 0.0;
    double norm = K1 * (1.0 - B + B * search_len_of(api->xRowid(fts)) / d->avgdl);
    for (int i = 0; i < d->nphrase; i++) {
        /* The phrase's matches in this row, each weighed by its column. */
        Fts5PhraseIter it;
        int col, off;
        double freq = 0.0;
        rc = api->xPhraseFirst(fts, i, &it, &col, &off);
        if (rc != SQLITE_OK)
            break;
        for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
            freq += col < NCOLS ? d->w[col] : 0.0;
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

int search_rank_register(fts5_api *api)
{
    return api->xCreateFunction(api, "referat_rank", NULL, referat_rank, NULL);
}
