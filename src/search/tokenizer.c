/* tokenizer: the "danish" FTS5 tokenizer (unicode61 folding + Snowball Danish stemming). */
#include "search.h"
#include "search_int.h"

#include <libstemmer.h>
#include <libxml/xmlstring.h>
#include <libxml/dict.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The tokenizer wraps SQLite's own unicode61 (which splits and case-folds any script, Æ Ø Å
 * included) with remove_diacritics 0, because its diacritic removal would turn å into a and
 * "år" into "ar". We then fold the Latin-1 accents that are not Danish letters ourselves
 * (é -> e, ü -> u; ä -> æ and ö -> ø as Danish spells Swedish and German names) and stem with
 * libstemmer's Danish Snowball stemmer.
 *
 * For each word the index holds its stem and, when it differs, the folded word itself at the
 * same position (FTS5_TOKEN_COLOCATED), so that a prefix query ("beslutninger*") matches the
 * words as written while a word query matches every inflection through the stem.
 */

#define MAX_STEM 64 /* longer tokens are numbers, hashes or garbage: not worth stemming */
#define VOCAB_MAX (1u << 20)

struct dtok {
    struct search_ctx *ctx;
    fts5_tokenizer base;
    Fts5Tokenizer *inst;
    struct sb_stemmer *stemmer;
    char *fold;
    int foldcap;
};

/* The vocabulary of one index as this connection knows it. */
struct vocab {
    xmlDictPtr known; /* the stems this connection has seen (libxml2's string set) */
    char **pending;   /* seen since search_vocab_begin, not yet written */
    size_t npending, cappending;
    char *last_flushed; /* the last stem written, to notice a rollback */
};

struct search_ctx {
    unsigned magic;
    struct dtok own; /* for tokenizing queries and markers outside FTS5 */
    void *base_ud;   /* unicode61's user data */
    struct vocab vocab[SEARCH_NTABLES];
    struct vocab *collect; /* the one being filled, between begin and end; or NULL */
    enum search_table collect_table;
};

#define CTX_MAGIC 0x64616e73u

/* --- the vocabulary set ------------------------------------------------------------------- */

static void set_clear(xmlDictPtr *d)
{
    xmlDictFree(*d); /* NULL is fine */
    *d = NULL;
}

/* Adds k[0..n) and returns true when it was not there yet. */
static bool set_add(xmlDictPtr *d, const char *k, size_t n)
{
    if (!*d && !(*d = xmlDictCreate())) {
        fputs("referat: out of memory\n", stderr);
        abort();
    }
    if (xmlDictExists(*d, (const xmlChar *)k, (int)n))
        return false;
    if (!xmlDictLookup(*d, (const xmlChar *)k, (int)n)) {
        fputs("referat: out of memory\n", stderr);
        abort();
    }
    return true;
}

/* --- folding and stemming ----------------------------------------------------------------- */

/* U+00E0..U+00FF after case folding: the replacement, or 0 to keep the letter (å, æ, ø and
 * the non-letters). "\xc3\xa6" is æ, "\xc3\xb8" is ø. */
/* clang-format off */
static const char *const latin1_fold[32] = {
    "a", "a", "a", "a", "\xc3\xa6", 0, 0, "c", "e", "e", "e", "e", "i", "i", "i", "i",
    0, "n", "o", "o", "o", "o", "\xc3\xb8", 0, 0, "u", "u", "u", "u", "y", 0, "y",
};
/* clang-format on */

/* Folds tok into t->fold; returns its length. Never longer than the input. */
static int fold(struct dtok *t, const char *tok, int n)
{
    if (n + 1 > t->foldcap) {
        t->foldcap = n + 64;
        t->fold = xrealloc(t->fold, (size_t)t->foldcap);
    }
    int o = 0;
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)tok[i];
        if (c == 0xc3 && i + 1 < n && (unsigned char)tok[i + 1] >= 0xa0 &&
            (unsigned char)tok[i + 1] <= 0xbf) {
            const char *r = latin1_fold[(unsigned char)tok[i + 1] - 0xa0];
            if (r) {
                size_t rl = strlen(r);
                memcpy(t->fold + o, r, rl);
                o += (int)rl;
                i++;
                continue;
            }
        }
        t->fold[o++] = (char)c;
    }
    t->fold[o] = '\0';
    return o;
}

static size_t utf8_len(const char *s, int n)
{
    size_t k = 0;
    for (int i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xc0) != 0x80;
    return k;
}

static void note_term(struct vocab *v, const char *s, int n)
{
    /* Only a term longer than the shortest part can contain a part; numbers never do. */
    if (utf8_len(s, n) <= SEARCH_MIN_PART || (s[0] >= '0' && s[0] <= '9'))
        return;
    if (v->known && (size_t)xmlDictSize(v->known) >= VOCAB_MAX)
        set_clear(&v->known);
    if (!set_add(&v->known, s, (size_t)n))
        return;
    if (v->npending == v->cappending) {
        v->cappending = v->cappending ? v->cappending * 2 : 64;
        v->pending = xrealloc(v->pending, v->cappending * sizeof(char *));
    }
    v->pending[v->npending++] = xstrndup(s, (size_t)n);
}

struct run {
    struct dtok *t;
    int flags;
    void *pctx;
    int (*emit)(void *, int, const char *, int, int, int);
};

static int on_base(void *p, int tflags, const char *tok, int n, int start, int end)
{
    struct run *r = p;
    struct dtok *t = r->t;
    (void)tflags;
    int fn = fold(t, tok, n);
    bool document = (r->flags & FTS5_TOKENIZE_DOCUMENT) != 0;
    /* Auxiliary functions only need positions and offsets: skip the stemmer. */
    if ((r->flags & FTS5_TOKENIZE_AUX) || (r->flags & FTS5_TOKENIZE_PREFIX) || fn > MAX_STEM)
        return r->emit(r->pctx, 0, t->fold, fn, start, end);
    const sb_symbol *st = sb_stemmer_stem(t->stemmer, (const sb_symbol *)t->fold, fn);
    if (!st)
        return SQLITE_NOMEM;
    int sn = sb_stemmer_length(t->stemmer);
    int rc = r->emit(r->pctx, 0, (const char *)st, sn, start, end);
    if (rc == SQLITE_OK && document && t->ctx->collect)
        note_term(t->ctx->collect, (const char *)st, sn);
    if (rc == SQLITE_OK && document && (sn != fn || memcmp(st, t->fold, (size_t)fn) != 0))
        rc = r->emit(r->pctx, FTS5_TOKEN_COLOCATED, t->fold, fn, start, end);
    return rc;
}

/* Emits the pieces of text between separators sep, unchanged. */
static int verbatim(void *pctx, const char *text, int n, char sep, bool keep_first,
                    int (*emit)(void *, int, const char *, int, int, int))
{
    int i = keep_first ? 0 : 1;
    while (i < n) {
        int j = i;
        while (j < n && text[j] != sep)
            j++;
        if (j > i) {
            int rc = emit(pctx, 0, text + i, j - i, i, j);
            if (rc != SQLITE_OK)
                return rc;
        }
        i = j + 1;
    }
    return SQLITE_OK;
}

static int run_tokenize(struct dtok *t, void *pctx, int flags, const char *text, int n,
                        int (*emit)(void *, int, const char *, int, int, int))
{
    if (n > 0 && text[0] == SEARCH_VERBATIM && (flags & FTS5_TOKENIZE_QUERY))
        return verbatim(pctx, text, n, SEARCH_VERBATIM, false, emit);
    if (n > 0 && text[0] == SEARCH_META && !(flags & FTS5_TOKENIZE_QUERY))
        return verbatim(pctx, text, n, ' ', true, emit);
    struct run r = {t, flags, pctx, emit};
    return t->base.xTokenize(t->inst, &r, 0, text, n, on_base);
}

/* --- the FTS5 tokenizer module ------------------------------------------------------------ */

static void dtok_fini(struct dtok *t)
{
    if (t->inst)
        t->base.xDelete(t->inst);
    if (t->stemmer)
        sb_stemmer_delete(t->stemmer);
    free(t->fold);
    memset(t, 0, sizeof *t);
}

static fts5_api *api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

static int ctx_init(struct search_ctx *ctx, fts5_api *api)
{
    static const char *args[] = {"remove_diacritics", "0"};
    struct dtok *t = &ctx->own;
    t->ctx = ctx;
    int rc = api->xFindTokenizer(api, "unicode61", &ctx->base_ud, &t->base);
    if (rc == SQLITE_OK)
        rc = t->base.xCreate(ctx->base_ud, args, 2, &t->inst);
    if (rc == SQLITE_OK) {
        t->stemmer = sb_stemmer_new("danish", "UTF_8");
        if (!t->stemmer)
            rc = SQLITE_NOMEM;
    }
    return rc;
}

static int x_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
    struct search_ctx *ctx = ud;
    static const char *args[] = {"remove_diacritics", "0"};
    (void)argv;
    if (argc != 0)
        return SQLITE_ERROR; /* the danish tokenizer takes no options */
    struct dtok *t = xcalloc(1, sizeof *t);
    /* unicode61's module was found when the context was made; reuse it. */
    t->ctx = ctx;
    t->base = ctx->own.base;
    int rc = t->base.xCreate(ctx->base_ud, args, 2, &t->inst);
    if (rc == SQLITE_OK) {
        t->stemmer = sb_stemmer_new("danish", "UTF_8");
        if (!t->stemmer)
            rc = SQLITE_NOMEM;
    }
    if (rc != SQLITE_OK) {
        dtok_fini(t);
        free(t);
        return rc;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void x_delete(Fts5Tokenizer *p)
{
    struct dtok *t = (struct dtok *)p;
    dtok_fini(t);
    free(t);
}

static int x_tokenize(Fts5Tokenizer *p, void *pctx, int flags, const char *text, int n,
                      int (*emit)(void *, int, const char *, int, int, int))
{
    return run_tokenize((struct dtok *)p, pctx, flags, text, n, emit);
}

static void forget(struct vocab *v)
{
    set_clear(&v->known);
    for (size_t i = 0; i < v->npending; i++)
        free(v->pending[i]);
    v->npending = 0;
    free(v->last_flushed);
    v->last_flushed = NULL;
}

static void ctx_free(void *p)
{
    struct search_ctx *ctx = p;
    dtok_fini(&ctx->own);
    for (int t = 0; t < SEARCH_NTABLES; t++) {
        forget(&ctx->vocab[t]);
        free(ctx->vocab[t].pending);
    }
    free(ctx);
}

int search_register(sqlite3 *db)
{
    fts5_api *api = api_of(db);
    if (!api)
        return SQLITE_ERROR;
    if (search_ctx_get(db))
        return SQLITE_OK; /* already registered on this connection */
    struct search_ctx *ctx = xcalloc(1, sizeof *ctx);
    ctx->magic = CTX_MAGIC;
    int rc = ctx_init(ctx, api);
    if (rc != SQLITE_OK) {
        ctx_free(ctx);
        return rc;
    }
    fts5_tokenizer mod = {x_create, x_delete, x_tokenize};
    rc = api->xCreateTokenizer(api, "danish", ctx, &mod, ctx_free);
    if (rc != SQLITE_OK) {
        ctx_free(ctx);
        return rc;
    }
    return search_rank_register(api);
}

struct search_ctx *search_ctx_get(sqlite3 *db)
{
    fts5_api *api = api_of(db);
    void *ud = NULL;
    fts5_tokenizer mod;
    if (!api || api->xFindTokenizer(api, "danish", &ud, &mod) != SQLITE_OK || !ud)
        return NULL;
    struct search_ctx *ctx = ud;
    return ctx->magic == CTX_MAGIC ? ctx : NULL;
}

/* --- tokenizing outside FTS5 -------------------------------------------------------------- */

struct cb_run {
    search_token_fn cb;
    void *ud;
};

static int to_cb(void *p, int tflags, const char *tok, int n, int start, int end)
{
    struct cb_run *r = p;
    (void)tflags;
    return r->cb(r->ud, tok, n, start, end);
}

int search_tokenize(struct search_ctx *ctx, const char *text, int len, bool stem,
                    search_token_fn cb, void *ud)
{
    struct cb_run r = {cb, ud};
    int flags = FTS5_TOKENIZE_QUERY | (stem ? 0 : FTS5_TOKENIZE_PREFIX);
    struct run rr = {&ctx->own, flags, &r, to_cb};
    return ctx->own.base.xTokenize(ctx->own.inst, &rr, 0, text, len, on_base);
}

const char *search_stem(struct search_ctx *ctx, const char *tok, int n, int *len)
{
    const sb_symbol *st = NULL;
    if (n <= MAX_STEM)
        st = sb_stemmer_stem(ctx->own.stemmer, (const sb_symbol *)tok, n);
    if (!st) {
        *len = n;
        return tok;
    }
    *len = sb_stemmer_length(ctx->own.stemmer);
    return (const char *)st;
}

struct marker {
    struct buf *out;
    int n;
};

static int put_marker_part(void *ud, const char *tok, int len, int start, int end)
{
    struct marker *m = ud;
    (void)start;
    (void)end;
    if (m->n++)
        buf_putc(m->out, '-');
    buf_put(m->out, tok, (size_t)len);
    return 0;
}

void search_body_marker(struct search_ctx *ctx, const char *code, struct buf *out)
{
    struct marker m = {out, 0};
    buf_putc(out, SEARCH_META);
    buf_putc(out, 'b');
    search_tokenize(ctx, code, (int)strlen(code), false, put_marker_part, &m);
}

/* --- the vocabulary ----------------------------------------------------------------------- */

int search_vocab_begin(sqlite3 *db, struct search_ctx *ctx, enum search_table t, struct err *e)
{
    int rc = 0;
    sqlite3_stmt *st = NULL;
    struct vocab *v = &ctx->vocab[t];
    for (size_t i = 0; i < v->npending; i++)
        free(v->pending[i]);
    v->npending = 0;
    if (v->last_flushed) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE term = ?1", search_names[t].term);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = search_dberr(db, e, "reading the search vocabulary");
            goto done;
        }
        sqlite3_bind_text(st, 1, v->last_flushed, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            forget(v); /* rolled back: what we knew may not be there */
        else if (step != SQLITE_ROW) {
            rc = search_dberr(db, e, "reading the search vocabulary");
            goto done;
        }
    }
    ctx->collect = v;
    ctx->collect_table = t;
done:
    sqlite3_finalize(st);
    return rc;
}

int search_vocab_end(sqlite3 *db, struct search_ctx *ctx, struct err *e)
{
    int rc = 0;
    sqlite3_stmt *ins = NULL, *tri = NULL;
    struct vocab *v = ctx->collect;
    const struct search_names *nm = &search_names[ctx->collect_table];
    ctx->collect = NULL;
    if (!v || !v->npending)
        return 0;
    char sql[2][128];
    snprintf(sql[0], sizeof sql[0], "INSERT OR IGNORE INTO %s(term) VALUES (?1)", nm->term);
    snprintf(sql[1], sizeof sql[1], "INSERT INTO %s(rowid, term) VALUES (?1, ?2)", nm->vocab);
    if (sqlite3_prepare_v2(db, sql[0], -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql[1], -1, &tri, NULL) != SQLITE_OK) {
        rc = search_dberr(db, e, "writing the search vocabulary");
        goto done;
    }
    for (size_t i = 0; i < v->npending; i++) {
        const char *t = v->pending[i];
        sqlite3_bind_text(ins, 1, t, -1, SQLITE_STATIC);
        int step = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (step != SQLITE_DONE) {
            rc = search_dberr(db, e, "writing the search vocabulary");
            goto done;
        }
        if (sqlite3_changes(db) == 0)
            continue;
        sqlite3_bind_int64(tri, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_text(tri, 2, t, -1, SQLITE_STATIC);
        step = sqlite3_step(tri);
        sqlite3_reset(tri);
        if (step != SQLITE_DONE) {
            rc = search_dberr(db, e, "writing the search vocabulary");
            goto done;
        }
    }
    free(v->last_flushed);
    v->last_flushed = v->pending[v->npending - 1];
    v->pending[--v->npending] = NULL;
done:
    if (rc < 0)
        forget(v);
    for (size_t i = 0; i < v->npending; i++)
        free(v->pending[i]);
    v->npending = 0;
    sqlite3_finalize(ins);
    sqlite3_finalize(tri);
    return rc;
}

int search_dberr(sqlite3 *db, struct err *e, const char *what)
{
    err_set(e, ERR_DB, 0, 0, "%s: %s", what, sqlite3_errmsg(db));
    return ERR_DB;
}
