/* search_int: what the files of src/search share (the per-connection context, tokenizing). */
#ifndef REFERAT_SEARCH_INT_H
#define REFERAT_SEARCH_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "../util/buf.h"
#include "../util/err.h"

/*
 * The index layout, shared by index.c, rank.c and query.c.
 *
 * Two FTS5 tables of the same columns, kept apart so that a public query never touches a
 * closed row (docs/search.md, "Public and staff search"):
 *   search_public: case_view(c, AUDIENCE_PUBLIC) of every case: an open case's text, a closed
 *                  case's public view (its title);
 *   search_closed: the full text of the closed cases, with the bodies whose readers may see
 *                  it (column bodies, and markers in meta).
 * Each has its vocabulary (search_<table>_term, the trigram index search_<table>_vocab) and
 * an fts5vocab table over its terms (search_<table>_entries). Both hold one row per part of
 * a case: the case itself (title, decisions, the rest) and each sub-item. The rowid says
 * which part it is and how long its text is, so that grouping by case and BM25's length
 * normalization need no lookup (FTS5's own xColumnSize reads a table per row: half the cost
 * of ranking a row), and so that rowid order is date order, the newest first:
 *
 *     rowid = (MAX_KEY - (day << 24 | case_id)) << 21 | subitem << 10 | length code << 2 | part
 *
 * day: days since 1800-01-01 plus one of the case's (first) meeting, 0 without a date (dates
 * outside 1800..2517 are clamped to those ends). The key (day and case id) is stored inverted so
 * that "newest first" is ascending rowid order, the order FTS5 walks by default: SQLite 3.40's
 * FTS5 loses rows of an AND in ORDER BY rowid DESC when the rows were not inserted in rowid
 * order (seen on the 100,000-case archive: `sundhed` with the DIR marker, 122,277 of 128,467).
 * A date filter is a rowid range that FTS5 seeks to (schema 8; before, the case id was on top
 * and dates were markers in meta). part 0: an open case (search_public); part 1: the public view of
 * a closed case (search_public); part 2: a closed case's text (search_closed). The length code
 * is the number of tokens in title, decision, presentation and bilag: exact below 64, above on
 * a logarithmic scale to within 2.6 % up to a million. The rows of one case share day and
 * case_id (its key, rowid >> SEARCH_CASE_SHIFT), so they come together in rowid order;
 * search_doc (case_id -> its key) finds them again when the date changes.
 */
enum {
    SEARCH_PART_OPEN = 0,
    SEARCH_PART_STUB = 1,
    SEARCH_PART_CLOSED = 2,
    SEARCH_LEN_SHIFT = 2,
    SEARCH_SUB_SHIFT = 10,
    SEARCH_CASE_SHIFT = 21,
    SEARCH_DAY_SHIFT = 45,
};
#define SEARCH_MAX_SUBITEMS ((1u << (SEARCH_CASE_SHIFT - SEARCH_SUB_SHIFT)) - 1)
#define SEARCH_MAX_CASE_ID (((int64_t)1 << (SEARCH_DAY_SHIFT - SEARCH_CASE_SHIFT)) - 1)
#define SEARCH_MAX_DAY (((int64_t)1 << (63 - SEARCH_DAY_SHIFT)) - 1)
#define SEARCH_MAX_KEY (((int64_t)1 << (63 - SEARCH_CASE_SHIFT)) - 1)

/* The two indexes, and the names of their tables. */
enum search_table { SEARCH_PUBLIC, SEARCH_CLOSED, SEARCH_NTABLES };
struct search_names {
    const char *fts;     /* the FTS5 table */
    const char *content; /* its rows' texts, per case (issue 11, storage: search_*_text) */
    const char *entries; /* fts5vocab 'instance' over it */
    const char *term;    /* its vocabulary of stems */
    const char *vocab;   /* the trigram index over that vocabulary */
};
extern const struct search_names search_names[SEARCH_NTABLES];

/* The day number of an ISO date ("YYYY-MM-DD", "YYYY-MM" or "YYYY"; a missing month or day is
 * the first), clamped to 1..SEARCH_MAX_DAY; 0 for NULL or no date. With end, the last day of
 * the year or month a partial date names. Days past a month's end count into the next month
 * when !end, and as the month's last day when end (so that "2023-02-31" behaves as the text
 * comparison of schema 4 did). */
int64_t search_day(const char *date, bool end);

/* The stored key of day and case id (inverted: the newest is the smallest). */
static inline int64_t search_key(int64_t day, int64_t case_id)
{
    return SEARCH_MAX_KEY - (day << (SEARCH_DAY_SHIFT - SEARCH_CASE_SHIFT) | case_id);
}

static inline int64_t search_rowid(int64_t day, int64_t case_id, size_t subitem, unsigned lencode,
                                   int part)
{
    return search_key(day, case_id) << SEARCH_CASE_SHIFT | (int64_t)subitem << SEARCH_SUB_SHIFT |
           (int64_t)(lencode & 0xff) << SEARCH_LEN_SHIFT | part;
}

/* The stored key of a row's case; the first rowid of the case is key << SEARCH_CASE_SHIFT. */
static inline int64_t search_key_of(int64_t rowid)
{
    return rowid >> SEARCH_CASE_SHIFT;
}

static inline int64_t search_case_of(int64_t rowid)
{
    return (SEARCH_MAX_KEY - search_key_of(rowid)) & SEARCH_MAX_CASE_ID;
}

/* The day of a row's case (0: no date). */
static inline int64_t search_day_of(int64_t rowid)
{
    return (SEARCH_MAX_KEY - search_key_of(rowid)) >> (SEARCH_DAY_SHIFT - SEARCH_CASE_SHIFT);
}

static inline size_t search_subitem_of(int64_t rowid)
{
    return (size_t)((rowid >> SEARCH_SUB_SHIFT) & SEARCH_MAX_SUBITEMS);
}

static inline int search_part_of(int64_t rowid)
{
    return (int)(rowid & 3);
}

/* The length code of a row of ntok tokens, and the length it stands for (rank.c). */
unsigned search_len_code(size_t ntok);
double search_len_of(int64_t rowid);

/* ---- issue 11, storage: the rows' texts of one case in one table (search_<table>_text; the
 * FTS5 tables are contentless, index.c) ---- */
#define SEARCH_TEXT_COLS 5 /* title, decision, presentation, bilag, meta */
struct search_text {
    char *date, *body, *bodies; /* bodies: the closed table's only */
    char *raw;                  /* the rows, inflated */
    size_t len;
};
struct search_row {
    int64_t rowid;
    const char *col[SEARCH_TEXT_COLS]; /* NUL-terminated, inside the search_text; NULL: none */
    size_t len[SEARCH_TEXT_COLS];
};
/* The statement search_text_read runs on table t (the caller finalizes it). */
int search_text_prepare(sqlite3 *db, enum search_table t, sqlite3_stmt **st);
/* The texts of the case with key (rowid >> SEARCH_CASE_SHIFT) into x: 1 found, 0 not, -1 an
 * error of SQLite (errmsg), -2 texts that do not unpack. Free x with search_text_fini. */
int search_text_read(sqlite3_stmt *st, int64_t key, struct search_text *x);
/* The next row of x from *pos (0 at first); false after the last. */
bool search_text_next(const struct search_text *x, size_t *pos, struct search_row *r);
void search_text_fini(struct search_text *x);
/* ---- end issue 11, storage ---- */

/* Column numbers of both tables, as the auxiliary functions see them; search_closed has
 * COL_BODIES (UNINDEXED) after them. bilag: the attachments' titles, journal and document
 * numbers (schema 8; before, the titles were in presentation, of the same weight). */
enum { COL_DATE, COL_BODY, COL_TITLE, COL_DECISION, COL_PRESENTATION, COL_BILAG, COL_META, NCOLS };
#define COL_BODIES NCOLS

/* Column weights of the ranking: title above decision above presentation. */
#define SEARCH_W_TITLE 10.0
#define SEARCH_W_DECISION 4.0
#define SEARCH_W_PRESENTATION 1.0
#define SEARCH_W_BILAG 1.0

/* The words with * of a query that stand for at most this many index terms together are
 * searched as the OR of them (each term's doclist read lazily, newest first), not as an FTS5
 * prefix query (which merges every term's whole doclist before the first row); a word whose
 * terms would go past it: the prefix query. */
#define SEARCH_PREFIX_OR 64

/* The ways search_query evaluates a query faster than the plain FTS5 expression would, each
 * with the same hits, order, scores and totals (docs/search.md, "Evaluation"). For tests that
 * compare a way with what it replaces (tests/unit/test_search_eval.c): search_eval_off(ways)
 * turns the ways named by these bits off for the queries of this thread; 0 turns all on. */
enum { SEARCH_EVAL_PREFIX_OR = 1 };
void search_eval_off(unsigned ways);

/* A query word this long (in characters) or longer also finds the compounds it is part of. */
#define SEARCH_MIN_PART 4
/* At most this many vocabulary terms stand in for one query word. */
#define SEARCH_MAX_EXPANSION 64

/* Index tokens that user text can never produce: the meta column's filter markers start with
 * this byte (stripped from all indexed and queried text): "\x02b" + body code, "\x02r" + the
 * id of a body whose readers may see a closed case. (Dates are in the rowid.) */
#define SEARCH_META '\x02'
/* A query string that starts with this byte holds final index tokens separated by it; the
 * tokenizer passes them through unchanged (query.c builds every FTS5 string this way). */
#define SEARCH_VERBATIM '\x01'

struct search_ctx;

/* The context search_register attached to db, or NULL. */
struct search_ctx *search_ctx_get(sqlite3 *db);

/* Calls cb for each token of text[0..len) as the index holds it: case-folded, accents other
 * than æ, ø, å removed, and stemmed unless !stem. start/end are byte offsets in text. A
 * non-zero return from cb stops and is returned. */
typedef int (*search_token_fn)(void *ud, const char *tok, int len, int start, int end);
int search_tokenize(struct search_ctx *ctx, const char *text, int len, bool stem,
                    search_token_fn cb, void *ud);

/* Appends the meta-column marker for body code `code` to out ("\x02b" + folded tokens). */
void search_body_marker(struct search_ctx *ctx, const char *code, struct buf *out);

/* The vocabulary of stems that compound queries search, one per index. Between begin and end
 * the tokenizer notes the stems it has not seen on this connection for that index; end
 * writes them to its term and vocab tables. begin first checks that what the last end wrote
 * is still there (it is not after a rollback) and forgets what it knew if not. */
int search_vocab_begin(sqlite3 *db, struct search_ctx *ctx, enum search_table t, struct err *e);
int search_vocab_end(sqlite3 *db, struct search_ctx *ctx, struct err *e);

/* The stem the index holds for folded token tok[0..n) (as search_tokenize with stem gives
 * it); valid until the next call on ctx. */
const char *search_stem(struct search_ctx *ctx, const char *tok, int n, int *len);

/* What referat_rank(table, ptr) scores with; query.c fills it (statistics of the indexes the
 * reader searches) and binds it with sqlite3_bind_pointer as type "referat_rank". */
struct search_rank {
    int nphrase;       /* phrases that count (filters come after them) */
    const int *group;  /* per phrase: g > 0 word group g, -g a compound for it, 0 none */
    const double *idf; /* per phrase */
    /* per phrase: how many FTS5 phrases it is, 1, or for a word with * written out as the OR
     * of its terms (query.c) those terms: they score as one phrase whose positions are the
     * union of theirs, as FTS5's merged doclist of the prefix would have them. NULL: all 1. */
    const int *nsub;
    int ngroup;
    unsigned char *seen; /* ngroup + 1 bytes of scratch */
    double avgdl;        /* mean tokens per row */
};
/* What referat_stats(table, ptr) tells of its table, bound as type "referat_stats": the
 * rows, their tokens (title, decision, presentation) and, for each of the first nphrase
 * phrases of the MATCH expression, its matching rows counted up to SEARCH_IDF_SAMPLE and
 * the rowid of the last one counted (they come in ascending order). */
struct search_stats {
    int64_t nrow, ntok;
    int nphrase;
    int64_t *hits, *last; /* nphrase each, the caller's */
    bool done;
};
#define SEARCH_IDF_SAMPLE 2000

/* The auxiliary functions referat_rank, referat_stats and referat_count (rank.c). */
int search_rank_register(fts5_api *api);

/* What a snippet marks (snippet.c): the query's positive words, phrases and prefixes. */
struct search_hl;
struct search_hl *search_hl_new(void);
void search_hl_free(struct search_hl *h);
/* toks: SEARCH_VERBATIM-separated index tokens of one word or phrase; prefix: the last is a
 * prefix; part: a single word that also matches inside compounds. */
void search_hl_add(struct search_hl *h, const char *toks, size_t len, bool prefix, bool part);
/* The HTML-safe excerpt of a hit whose title, decision and presentation are text[0..2]
 * (NULL when empty), ntok tokens long. The caller frees it. */
char *search_snippet(struct search_ctx *ctx, const struct search_hl *h, const char *const *text,
                     int ntok);

/* Fills e from the connection's error for what we were doing. Returns ERR_DB. */
int search_dberr(sqlite3 *db, struct err *e, const char *what);

#endif
