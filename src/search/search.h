/* search: Danish full-text search over the archive on SQLite FTS5 (tokenizer, index, query). */
#ifndef REFERAT_SEARCH_H
#define REFERAT_SEARCH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "../model/case.h"
#include "../util/err.h"

/* Register the "danish" FTS5 tokenizer (libstemmer Danish Snowball, case folding that knows
 * æ, ø, å) and the auxiliary function referat_rank on this connection.
 * Call once per connection before touching the FTS tables (a second call does nothing).
 * Returns SQLITE_OK or an SQLite error code. The connection is used by one thread at a time.
 * See docs/search.md for the tables, the ranking rule and what the public may find. */
int search_register(sqlite3 *db);

/* The DDL of the search tables (search_word, search_term, search_vocab), run once by the
 * store's migrations on a connection where search_register has run. */
const char *search_schema_sql(void);

/* What the index needs to know about a stored case beyond its model. */
struct search_meta {
    int64_t case_id;  /* the store's id of the case, 0 .. 2^44-1 */
    const char *body; /* code of the body that treated it, e.g. "DIR", or NULL */
    const char *date; /* ISO date of its (first) meeting, or NULL */
};

/* Index one case (its title, presentation, sub-items, decision entries) inside the caller's
 * transaction, replacing what was indexed for case_id before. A closed case is indexed so that
 * public queries can never return its closed text (see search_query). The body filter matches
 * m->body and every code of the case's route. Returns 0, ERR_DB, or ERR_LIMIT (more than
 * 65535 sub-items); messages never quote the case's text. */
int search_index_case(sqlite3 *db, const struct search_meta *m, const struct case_doc *c,
                      struct err *e);
int search_unindex_case(sqlite3 *db, int64_t case_id, struct err *e);

/* Merges the index into one segment (after a large import: queries get faster). */
int search_optimize(sqlite3 *db, struct err *e);
/* FTS5's integrity check of the search tables; ERR_DB with SQLite's message on a problem. */
int search_check(sqlite3 *db, struct err *e);

/* What a hit is: each part (the case as a whole, or one of its sub-items) on its own, or
 * each case once, by its best part. */
enum search_group { SEARCH_BY_PART = 0, SEARCH_BY_CASE };

struct search_params {
    const char *query; /* user syntax: words, "phrases", prefix*, AND/OR/NOT, ( ) */
    const char *body;  /* body code filter, or NULL */
    const char *from;  /* ISO date filter (inclusive), or NULL */
    const char *to;    /* ISO date filter (inclusive), or NULL */
    bool public_only;  /* the public audience: closed text never matches nor shows */
    enum search_group group;
    size_t offset; /* at most SEARCH_MAX_OFFSET */
    size_t limit;  /* 0: 10; at most SEARCH_MAX_LIMIT */
    size_t cap;    /* 0: SEARCH_CAP; matches counted and ranked at most (docs/search.md) */
};

/* A query visits at most this many matches (parts, or cases by case), the newest first:
 * below it, total and ranking are exact; at it, total is a lower bound (total_capped). */
#define SEARCH_CAP 10000

#define SEARCH_MAX_LIMIT 1000
#define SEARCH_MAX_OFFSET 100000
#define SEARCH_MAX_QUERY 1000 /* bytes */

struct search_hit {
    int64_t case_id;
    size_t subitem;   /* 1-based sub-item the hit is in, 0 for the case as a whole */
    char *title;      /* case title (or sub-item title when subitem > 0) */
    char *case_title; /* the case's title in both cases */
    char *body;       /* NULL when unknown */
    char *date;       /* NULL when unknown */
    char *snippet;    /* HTML-safe: escaped text with <mark>...</mark> around matches */
    double score;     /* lower is better: bm25, plus a tier for matches through compounds */
    bool closed;      /* a closed case (only ever for staff) */
};

struct search_result {
    struct search_hit *hits;
    size_t nhits;
    size_t total;      /* all matches, for paging; at least this many when total_capped */
    bool total_capped; /* more than total match: only the newest total were ranked */
};

/* Runs a query. Returns 0 and fills r (owned by the caller: search_result_fini), or
 * ERR_SYNTAX (bad query syntax: e says where, as "query:1:COL: expected ..."), ERR_UTF8,
 * ERR_LIMIT (query longer than SEARCH_MAX_QUERY, too many words or too deeply nested),
 * ERR_USAGE (bad date or paging), ERR_DB. */
int search_query(sqlite3 *db, const struct search_params *p, struct search_result *r,
                 struct err *e);
void search_result_fini(struct search_result *r);

/* The FTS5 expression search_query runs on search_word for query and body (NULL: no body
 * filter), with or without the compound words; for benchmarks and debugging. *expr is the
 * caller's. */
int search_fts_expr(sqlite3 *db, const char *query, const char *body, bool compounds, char **expr,
                    struct err *e);

#endif
