/* search: Danish full-text search over the archive on SQLite FTS5 (tokenizer, index, query). */
#ifndef REFERAT_SEARCH_H
#define REFERAT_SEARCH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "../model/case.h"
#include "../util/err.h"

/* Register the "danish" FTS5 tokenizer (libstemmer Danish Snowball, case folding that knows
 * æ, ø, å) on this connection. Call once per connection before touching the FTS tables. */
int search_register(sqlite3 *db);

/* The DDL (CREATE VIRTUAL TABLE ...) of the search tables, run by the store's migrations. */
const char *search_schema_sql(void);

/* What the index needs to know about a stored case beyond its model. */
struct search_meta {
    int64_t case_id; /* the store's id of the case */
    const char *body; /* code of the body that treated it, e.g. "DIR" */
    const char *date; /* ISO date of its (first) meeting, or NULL */
};

/* Index one case (its title, presentation, sub-items, decision entries) inside the caller's
 * transaction, replacing what was indexed for case_id before. A closed case is indexed so that
 * public queries can never return its closed text (see search_query). */
int search_index_case(sqlite3 *db, const struct search_meta *m, const struct case_doc *c,
                      struct err *e);
int search_unindex_case(sqlite3 *db, int64_t case_id, struct err *e);

struct search_params {
    const char *query;  /* user syntax: words, "phrases", prefix*, AND/OR/NOT */
    const char *body;   /* body code filter, or NULL */
    const char *from;   /* ISO date filter (inclusive), or NULL */
    const char *to;     /* ISO date filter (inclusive), or NULL */
    bool public_only;   /* the public audience: closed text never matches nor shows */
    size_t offset;
    size_t limit;
};

struct search_hit {
    int64_t case_id;
    size_t subitem;   /* 1-based sub-item the hit is in, 0 for the case as a whole */
    char *title;      /* case title (or sub-item title when subitem > 0) */
    char *body;
    char *date;
    char *snippet;    /* HTML-safe: escaped text with <mark>...</mark> around matches */
    double score;     /* bm25, lower is better */
};

struct search_result {
    struct search_hit *hits;
    size_t nhits;
    size_t total; /* all matches, for paging */
};

int search_query(sqlite3 *db, const struct search_params *p, struct search_result *r,
                 struct err *e);
void search_result_fini(struct search_result *r);

#endif
