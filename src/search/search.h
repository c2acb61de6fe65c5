/* search: Danish full-text search over the archive on SQLite FTS5 (tokenizer, index, query). */
#ifndef REFERAT_SEARCH_H
#define REFERAT_SEARCH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "../model/access.h"
#include "../model/case.h"
#include "../util/err.h"

/* Register the "danish" FTS5 tokenizer (libstemmer Danish Snowball, case folding that knows
 * æ, ø, å) and the auxiliary function referat_rank on this connection.
 * Call once per connection before touching the FTS tables (a second call does nothing).
 * Returns SQLITE_OK or an SQLite error code. The connection is used by one thread at a time.
 * See docs/search.md for the tables, the ranking rule and what the public may find. */
int search_register(sqlite3 *db);

/* The DDL of the search tables, run once by the store's migrations on a connection where
 * search_register has run: the public index (search_public: what the public sees of every
 * case), the closed index (search_closed: the full text of closed cases), the vocabulary of
 * each. See docs/search.md. */
const char *search_schema_sql(void);
/* The DDL that replaces the search tables of any earlier schema (search_word and its
 * vocabulary, schema 2) by empty ones of search_schema_sql(); the caller then indexes every
 * case again (store migration 4). */
const char *search_upgrade_sql(void);

/* What the index needs to know about a stored case beyond its model. */
struct search_meta {
    int64_t case_id;  /* the store's id of the case, 0 .. 2^44-1 */
    const char *body; /* code of the body that treated it, e.g. "DIR", or NULL */
    const char *date; /* ISO date of its (first) meeting, or NULL */
    /* The bodies whose readers may see the case's closed content (reader_sees_body), kept
     * in the closed index's rows; not used for an open case. */
    const int64_t *bodies;
    size_t nbodies;
    /* A case written in referat and not yet released: nothing of it is in the public index;
     * its full text, open or closed, is in the closed index for those who see its bodies. */
    bool unpublished;
    /* issue 9, publication: the case's minutes are not published yet, so the public index
     * gets its public view without decisions (case_hide_minutes). */
    bool minutes_hidden;
};

/* Index one case (its title, presentation, sub-items, decision entries) inside the caller's
 * transaction, replacing what was indexed for case_id before. The public index gets
 * case_view(c, AUDIENCE_PUBLIC) (for a closed case: its title); a closed case's full text goes
 * to the closed index only, with m->bodies. The body filter matches m->body and every code of
 * the case's route. Returns 0, ERR_DB, or ERR_LIMIT (more than SEARCH_MAX_SUBITEMS sub-items); messages
 * never quote the case's text. */
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

/* The order of the hits: best first (BM25 and the compound tiers), or newest meeting first
 * (then best first within a case's day). */
enum search_sort { SEARCH_SORT_RELEVANCE = 0, SEARCH_SORT_DATE };

/* Where the words must be: anywhere, in the agenda (titles and the presentation: what the
 * dagsorden says), in the minutes (the decisions: what the referat says), or in the bilag
 * (attachment titles, journal and document numbers). */
enum search_in { SEARCH_IN_ALL = 0, SEARCH_IN_AGENDA, SEARCH_IN_MINUTES, SEARCH_IN_BILAG };

struct search_params {
    const char *query; /* user syntax: words, "phrases", prefix*, AND/OR/NOT, ( ) */
    const char *body;  /* body code filter, or NULL */
    const char *from;  /* ISO date filter (inclusive), or NULL */
    const char *to;    /* ISO date filter (inclusive), or NULL */
    /* Who searches. NULL or reader_is_public(): the public index only, so closed text never
     * matches, shows, nor changes ranking or timing. Otherwise also the closed index: a closed
     * case's text for a reader who sees one of its bodies, its public view (title) for one
     * who does not. Borrowed. */
    const struct reader *reader;
    enum search_group group;
    enum search_sort sort;
    enum search_in in;
    /* A query the syntax cannot read (a stray ( or ", an operator with nothing after it) is
     * searched as its words, and the result says so (relaxed, hint), instead of ERR_SYNTAX.
     * For the portal and the API; the CLI reports the error. */
    bool lenient;
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

/* The bounds on a query's work (docs/search.md, "Bounded work"); a query beyond them is refused
 * with ERR_LIMIT before its scan. At most SEARCH_MAX_PREFIXES words with *, each with at least
 * SEARCH_MIN_PREFIX characters before the *, standing together for at most
 * SEARCH_MAX_PREFIX_TERMS index terms and SEARCH_MAX_PREFIX_ROWS doclist entries (a term in a
 * row), counted in the indexes the reader searches. The scan visits at most
 * SEARCH_VISIT_FACTOR * cap matches, counted or not. */
#define SEARCH_MAX_PREFIXES 4
#define SEARCH_MIN_PREFIX 2
#define SEARCH_MAX_PREFIX_TERMS 500
#define SEARCH_MAX_PREFIX_ROWS 200000
#define SEARCH_VISIT_FACTOR 5

struct search_hit {
    int64_t case_id;
    size_t subitem;   /* 1-based sub-item the hit is in, 0 for the case as a whole */
    char *title;      /* case title (or sub-item title when subitem > 0) */
    char *case_title; /* the case's title in both cases */
    char *body;       /* NULL when unknown */
    char *date;       /* NULL when unknown */
    char *snippet;    /* HTML-safe: escaped text with <mark>...</mark> around matches */
    double score;     /* lower is better: bm25, plus a tier for matches through compounds */
    bool closed;      /* a closed case: its text for staff who read it, else its title */
};

/* What a query cost, counted (not timed): for tests and benchmarks. */
struct search_work {
    size_t rows;     /* matches the scan stepped through, in both indexes */
    size_t phrases;  /* phrases of the FTS5 expression: words, compounds, prefixes */
    size_t prefixes; /* words with * */
    size_t terms;    /* index terms the prefixes stand for */
    size_t entries;  /* doclist entries of those terms (what FTS5 merges for them) */
    size_t indexes;  /* indexes searched: 1 (public) or 2 (public and closed) */
};

struct search_result {
    struct search_hit *hits;
    size_t nhits;
    size_t total;      /* all matches, for paging; at least this many when total_capped */
    bool total_capped; /* more than total match: only the newest total were ranked */
    /* lenient only: the query was searched as its words; hint is the syntax error that made
     * it so ("query:1:8: expected \" to close ..."), hint_col its column. */
    bool relaxed;
    char *hint;
    unsigned hint_col;
    struct search_work work;
};

/* Runs a query. Returns 0 and fills r (owned by the caller: search_result_fini), or
 * ERR_SYNTAX (bad query syntax: e says where, as "query:1:COL: expected ..."), ERR_UTF8,
 * ERR_LIMIT (query longer than SEARCH_MAX_QUERY, too many words, too deeply nested, or too
 * broad: beyond the bounds above, with the column of the prefix), ERR_USAGE (bad date or
 * paging), ERR_DB. */
int search_query(sqlite3 *db, const struct search_params *p, struct search_result *r,
                 struct err *e);
void search_result_fini(struct search_result *r);

/* The FTS5 expression a public search_query runs on search_public for query and body (NULL:
 * no body filter; no date filter: dates are a rowid range, see search_rowid_range), with or
 * without the compound words; for benchmarks and debugging. *expr is the caller's. */
int search_fts_expr(sqlite3 *db, const char *query, const char *body, bool compounds, char **expr,
                    struct err *e);

/* The rowid range of the search tables' rows dated from..to (ISO dates or NULL, as in
 * search_params), for raw queries in benchmarks: rowid BETWEEN *lo AND *hi. */
void search_rowid_range(const char *from, const char *to, int64_t *lo, int64_t *hi);

#endif
