/* rank: referat_rank, bm25 with column weights and compound matches ranked after word matches. */
#include "search_int.h"

#include <math.h>
#include <stdlib.h>

/*
 * referat_rank(search_word, groups) is Okapi BM25 as FTS5's own bm25() computes it (k1 1.2,
 * b 0.75, the same idf), with the column weights title 10, decision 4, presentation 1, plus
 * a tier: for every query word that a row matches only through a compound (a vocabulary
 * term containing the word, not the word's own stem), the score grows by SEARCH_TIER, which
 * is larger than any BM25 score. So every row that matches all its words as words ranks
 * before every row that needs a compound, and within a tier BM25 decides. Lower is better.
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
    double *freq;
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
    free(d->freq);
    free(d->seen);
    free(d);
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)ud)++;
    return SQLITE_OK;
}

static int rank_setup(const Fts5ExtensionApi *api, Fts5Context *fts, const char *spec,
                      struct rank_data **out)
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
    d->freq = xcalloc((size_t)d->nphrase + 1, sizeof *d->freq);
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
    for (int i = 0; rc == SQLITE_OK && i < d->nphrase; i++) {
        sqlite3_int64 nhit = 0;
        rc = api->xQueryPhrase(fts, i, &nhit, count_row);
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
        rc = rank_setup(api, fts, spec, &d);
        if (rc == SQLITE_OK)
            rc = api->xSetAuxdata(fts, d, rank_data_free);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(sc, rc);
            return;
        }
    }
    for (int i = 0; i < d->nphrase; i++)
        d->freq[i] = 0.0;
    for (int g = 0; g <= d->ngroup; g++)
        d->seen[g] = 0;
    int ninst = 0;
    rc = api->xInstCount(fts, &ninst);
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int ip, ic, io;
        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc != SQLITE_OK || ip >= d->nphrase || ic < 0 || ic >= NCOLS)
            continue;
        d->freq[ip] += d->w[ic];
        int g = d->group[ip];
        if (g > 0)
            d->seen[g] |= 1;
        else if (g < 0)
            d->seen[-g] |= 2;
    }
    /* The length of the text columns (the meta column's markers do not make a row long). */
    int dl = 0;
    for (int c = COL_TITLE; rc == SQLITE_OK && c <= COL_PRESENTATION; c++) {
        int n = 0;
        rc = api->xColumnSize(fts, c, &n);
        dl += n;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(sc, rc);
        return;
    }
    double score = 0.0;
    double norm = K1 * (1.0 - B + B * (double)dl / d->avgdl);
    for (int i = 0; i < d->nphrase; i++)
        if (d->freq[i] > 0.0)
            score += d->idf[i] * (d->freq[i] * (K1 + 1.0)) / (d->freq[i] + norm);
    int tier = 0;
    for (int g = 1; g <= d->ngroup; g++)
        tier += d->seen[g] == 2;
    sqlite3_result_double(sc, -score + tier * SEARCH_TIER);
}

int search_rank_register(fts5_api *api)
{
    return api->xCreateFunction(api, "referat_rank", NULL, referat_rank, NULL);
}
