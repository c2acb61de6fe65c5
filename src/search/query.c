/* query: user query syntax -> FTS5 expression (with compound words), its bounds, the scan of
 * the public (and for staff the closed) index, ranking, paging, hits. */
#include "search.h"
#include "search_int.h"
#include "sdg_filter.h" /* issue 10, sdg */

#include "../util/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * User syntax (docs/search.md): words, "phrases", prefix* (a word or a phrase's last word),
 * AND, OR, NOT (upper case; NOT is binary: "a NOT b"), parentheses; words side by side mean
 * AND. OR binds weakest, then AND, then NOT.
 *
 * Nothing of the user's text reaches FTS5's parser: every word is tokenized here exactly as
 * the index was, and the expression is built from quoted strings of final index tokens that
 * the tokenizer passes through (SEARCH_VERBATIM). Column filters, NEAR, ^ and FTS5's syntax
 * errors are thus out of the user's reach.
 */

#define MAX_WORDS 64
#define MAX_DEPTH 32
#define MAX_EXPANSIONS 256 /* over the whole query */
#define DEFAULT_LIMIT 10
#define SNIPPET_TOKENS 24

enum kind { N_WORD, N_PHRASE, N_AND, N_OR, N_NOT };

struct node {
    enum kind kind;
    struct node *a, *b;
    const char *text; /* N_WORD, N_PHRASE: the user's text (without quotes and star) */
    int len;
    bool prefix;
    unsigned col;
};

enum tok { T_END, T_WORD, T_PHRASE, T_AND, T_OR, T_NOT, T_LPAREN, T_RPAREN };

struct parser {
    const char *q;
    size_t n, pos;
    /* the current token */
    enum tok t;
    const char *text;
    int len;
    bool prefix;
    size_t at; /* byte offset of the current token */
    const char *op; /* the operator as written (AND or OG, ...), for messages */
    int depth, nwords, nprefixes;
    struct node *pool;
    size_t npool;
    struct err *e;
    int rc;
};

static unsigned col_of(const struct parser *p, size_t off)
{
    return (unsigned)utf8_chars(p->q, off) + 1;
}

static int fail(struct parser *p, int code, size_t at, const char *msg)
{
    if (p->rc == 0) {
        p->e->file = "query";
        err_set(p->e, code, 1, col_of(p, at), "%s", msg);
        p->rc = code;
    }
    return code;
}

static bool is_space(unsigned char c)
{
    return c <= ' ' || c == 0x7f;
}

static bool is_special(unsigned char c)
{
    return is_space(c) || c == '(' || c == ')' || c == '"';
}

static void next(struct parser *p)
{
    while (p->pos < p->n && is_space((unsigned char)p->q[p->pos]))
        p->pos++;
    p->at = p->pos;
    p->prefix = false;
    if (p->pos >= p->n) {
        p->t = T_END;
        return;
    }
    char c = p->q[p->pos];
    if (c == '(' || c == ')') {
        p->t = c == '(' ? T_LPAREN : T_RPAREN;
        p->pos++;
        return;
    }
    if (c == '"') {
        size_t s = ++p->pos;
        while (p->pos < p->n && p->q[p->pos] != '"')
            p->pos++;
        if (p->pos >= p->n) {
            fail(p, ERR_SYNTAX, p->at, "expected \" to close the phrase that starts here");
            p->t = T_END;
            return;
        }
        p->t = T_PHRASE;
        p->text = p->q + s;
        p->len = (int)(p->pos - s);
        p->pos++;
        if (p->pos < p->n && p->q[p->pos] == '*') {
            p->prefix = true;
            p->pos++;
        }
        return;
    }
    size_t s = p->pos;
    while (p->pos < p->n && !is_special((unsigned char)p->q[p->pos]))
        p->pos++;
    p->text = p->q + s;
    p->len = (int)(p->pos - s);
    p->t = T_WORD;
    /* The operators in upper case, English and Danish (docs/search.md). */
    static const struct {
        const char *w;
        enum tok t;
    } ops[] = {{"AND", T_AND}, {"OR", T_OR},    {"NOT", T_NOT},
               {"OG", T_AND},  {"ELLER", T_OR}, {"IKKE", T_NOT}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if ((size_t)p->len == strlen(ops[i].w) && memcmp(p->text, ops[i].w, (size_t)p->len) == 0) {
            p->t = ops[i].t;
            p->op = ops[i].w;
        }
    if (p->t == T_WORD && p->text[p->len - 1] == '*') {
        p->prefix = true;
        p->len--;
        while (p->len > 0 && p->text[p->len - 1] == '*')
            p->len--;
    }
}

static struct node *mk(struct parser *p, enum kind k, struct node *a, struct node *b)
{
    struct node *nd = &p->pool[p->npool++];
    memset(nd, 0, sizeof *nd);
    nd->kind = k;
    nd->a = a;
    nd->b = b;
    nd->col = col_of(p, p->at);
    return nd;
}

static struct node *parse_or(struct parser *p);

static bool starts_unary(enum tok t)
{
    return t == T_WORD || t == T_PHRASE || t == T_LPAREN;
}

static const char *tok_name(const struct parser *p, enum tok t)
{
    switch (t) {
    case T_AND:
    case T_OR:
    case T_NOT:
        return p->op;
    case T_RPAREN:
        return ")";
    default:
        return "the end";
    }
}

static struct node *parse_unary(struct parser *p, const char *after)
{
    char msg[128];
    if (p->rc)
        return NULL;
    if (p->t == T_LPAREN) {
        size_t open = p->at;
        if (++p->depth > MAX_DEPTH) {
            fail(p, ERR_LIMIT, p->at, "too many nested parentheses");
            return NULL;
        }
        next(p);
        struct node *nd = parse_or(p);
        if (p->rc)
            return NULL;
        if (p->t != T_RPAREN) {
            snprintf(msg, sizeof msg, "expected ) to close the ( at column %u", col_of(p, open));
            fail(p, ERR_SYNTAX, p->at, msg);
            return NULL;
        }
        p->depth--;
        next(p);
        return nd;
    }
    if (p->t == T_WORD || p->t == T_PHRASE) {
        if (++p->nwords > MAX_WORDS) {
            fail(p, ERR_LIMIT, p->at, "too many words (at most 64)");
            return NULL;
        }
        if (p->prefix && ++p->nprefixes > SEARCH_MAX_PREFIXES) {
            char m[96];
            snprintf(m, sizeof m, "too many words with * (at most %d in a query)",
                     SEARCH_MAX_PREFIXES);
            fail(p, ERR_LIMIT, p->at, m);
            return NULL;
        }
        struct node *nd = mk(p, p->t == T_WORD ? N_WORD : N_PHRASE, NULL, NULL);
        nd->text = p->text;
        nd->len = p->len;
        nd->prefix = p->prefix;
        next(p);
        return nd;
    }
    if (after)
        snprintf(msg, sizeof msg, "expected a word, \"phrase\" or ( after %s, found %s", after,
                 tok_name(p, p->t));
    else if (p->t == T_NOT)
        snprintf(msg, sizeof msg, "expected a word before %s (%s excludes: budget %s drift)",
                 p->op, p->op, p->op);
    else if (p->t == T_END)
        snprintf(msg, sizeof msg, "expected a word to search for");
    else
        snprintf(msg, sizeof msg, "expected a word, \"phrase\" or (, found %s",
                 tok_name(p, p->t));
    fail(p, ERR_SYNTAX, p->at, msg);
    return NULL;
}

static struct node *parse_not(struct parser *p, const char *after)
{
    struct node *a = parse_unary(p, after);
    while (!p->rc && p->t == T_NOT) {
        size_t at = p->at;
        const char *op = p->op;
        next(p);
        struct node *b = parse_unary(p, op);
        if (p->rc)
            return NULL;
        a = mk(p, N_NOT, a, b);
        a->col = col_of(p, at);
    }
    return p->rc ? NULL : a;
}

static struct node *parse_and(struct parser *p, const char *after)
{
    struct node *a = parse_not(p, after);
    while (!p->rc && (p->t == T_AND || starts_unary(p->t))) {
        const char *op = NULL;
        if (p->t == T_AND) {
            op = p->op;
            next(p);
        }
        struct node *b = parse_not(p, op);
        if (p->rc)
            return NULL;
        a = mk(p, N_AND, a, b);
    }
    return p->rc ? NULL : a;
}

static struct node *parse_or(struct parser *p)
{
    struct node *a = parse_and(p, NULL);
    while (!p->rc && p->t == T_OR) {
        const char *op = p->op;
        next(p);
        struct node *b = parse_and(p, op);
        if (p->rc)
            return NULL;
        a = mk(p, N_OR, a, b);
    }
    return p->rc ? NULL : a;
}

/* --- translation -------------------------------------------------------------------------- */

struct words {
    struct buf toks; /* SEARCH_VERBATIM-separated index tokens */
    int n;
    int chars;   /* of the last token */
    size_t last; /* offset of the last token in toks */
};

static int add_tok(void *ud, const char *tok, int len, int start, int end)
{
    struct words *w = ud;
    (void)start;
    (void)end;
    buf_putc(&w->toks, SEARCH_VERBATIM);
    w->last = w->toks.len;
    for (int i = 0; i < len; i++)
        if (tok[i] != '"')
            buf_putc(&w->toks, tok[i]);
    w->n++;
    w->chars = (int)utf8_chars(tok, (size_t)len);
    return 0;
}

/* A phrase of the expression that counts for ranking: where it is in the expression, its
 * word group (see struct search_rank), whether it is a prefix. */
struct phrase {
    size_t start, end;
    int group;
    bool prefix;
    int nsub; /* FTS5 phrases: 1, or a prefix's terms (see prefix_or) */
};

/* A word with *: the index token it is a prefix of, where the user wrote it. */
struct prefix {
    char *tok;
    unsigned col;
    bool written; /* written out as the OR of its terms (prefix_or): FTS5 merges nothing */
};

struct tr {
    sqlite3 *db;
    struct search_ctx *ctx;
    bool compounds;
    int ntables; /* the indexes searched, from SEARCH_PUBLIC: 1 or 2 */
    sqlite3_stmt *vocab[SEARCH_NTABLES];
    sqlite3_stmt *has_term[SEARCH_NTABLES];
    sqlite3_stmt *next_term[SEARCH_NTABLES];
    struct buf out;       /* the FTS5 expression */
    struct search_hl *hl; /* what snippets mark; NULL when not wanted */
    struct phrase *ph;
    size_t nph, capph;
    struct prefix pre[SEARCH_MAX_PREFIXES];
    int npre;
    int ngroup, nexpansions;
    int nor; /* prefix terms written out (prefix_or), at most SEARCH_PREFIX_OR */
    int cur_pre; /* the pre[] entry of the word emit is writing, or -1 */
    struct err *e;
    int rc;
};

static void put_string(struct buf *b, const char *toks, size_t n)
{
    buf_putc(b, '"');
    buf_put(b, toks, n);
    buf_putc(b, '"');
}

/* Records the phrase that ends the expression so far, from start. */
static void phrase_add(struct tr *t, size_t start, int g, bool prefix)
{
    if (t->nph == t->capph) {
        t->capph = t->capph ? 2 * t->capph : 16;
        t->ph = xrealloc(t->ph, t->capph * sizeof *t->ph);
    }
    t->ph[t->nph++] = (struct phrase){start, t->out.len, g, prefix, 1};
}

/* Appends the compounds that contain the stem (vocabulary terms other than the stem itself)
 * from the vocabulary of each index searched, each once. */
static void expand(struct tr *t, const char *stem, size_t n, int g)
{
    struct buf m = BUF_INIT;
    char *seen[SEARCH_MAX_EXPANSION];
    int nseen = 0;
    put_string(&m, stem, n);
    for (int k = 0; k < t->ntables && !t->rc; k++) {
        if (!t->vocab[k]) {
            char sql[128];
            snprintf(sql, sizeof sql, "SELECT term FROM %s WHERE %s MATCH ?1 LIMIT ?2",
                     search_names[k].vocab, search_names[k].vocab);
            if (sqlite3_prepare_v2(t->db, sql, -1, &t->vocab[k], NULL) != SQLITE_OK) {
                t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
                break;
            }
        }
        sqlite3_stmt *st = t->vocab[k];
        sqlite3_bind_text(st, 1, m.ptr, (int)m.len, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, SEARCH_MAX_EXPANSION + 1);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW && t->nexpansions < MAX_EXPANSIONS &&
               nseen < SEARCH_MAX_EXPANSION) {
            const char *term = (const char *)sqlite3_column_text(st, 0);
            size_t tl = (size_t)sqlite3_column_bytes(st, 0);
            if (!term || (tl == n && memcmp(term, stem, n) == 0) || memchr(term, '"', tl))
                continue;
            bool dup = false;
            for (int i = 0; i < nseen && !dup; i++)
                dup = strcmp(seen[i], term) == 0;
            if (dup)
                continue;
            seen[nseen++] = xstrdup(term);
            buf_puts(&t->out, " OR ");
            size_t start = t->out.len;
            buf_puts(&t->out, "\"");
            buf_putc(&t->out, SEARCH_VERBATIM);
            buf_put(&t->out, term, tl);
            buf_putc(&t->out, '"');
            phrase_add(t, start, -g, false);
            t->nexpansions++;
        }
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
        sqlite3_reset(st);
    }
    for (int i = 0; i < nseen; i++)
        free(seen[i]);
    buf_free(&m);
}

/* --- aa, oe, ae and å, ø, æ ---------------------------------------------------------------- */

/* A word written with aa, oe or ae also finds it with å, ø or æ, and the reverse (Aarhus and
 * Århus, Kjærgaard and Kjaergaard): each of its first MAX_SPELL such places swapped or not,
 * tokenized as the index is, is searched beside the word when an index searched holds it
 * (one seek each: spellings no text uses cost nothing and change no ranking). */
#define MAX_SPELL 4
#define MAX_SPELLINGS ((1 << MAX_SPELL) - 1)

struct spell {
    size_t at, len;
    const char *to;
};

static int spell_places(const char *s, size_t n, struct spell *v)
{
    static const struct {
        const char *a, *b;
    } pairs[] = {{"aa", "\xc3\xa5"}, {"oe", "\xc3\xb8"}, {"ae", "\xc3\xa6"}};
    int k = 0;
    for (size_t i = 0; i + 1 < n && k < MAX_SPELL;) {
        unsigned char c0 = (unsigned char)s[i], c1 = (unsigned char)s[i + 1];
        char l0 = (char)(c0 | 0x20), l1 = (char)(c1 | 0x20);
        const char *to = NULL;
        for (size_t j = 0; j < 3 && !to; j++) {
            if (c0 < 0x80 && c1 < 0x80 && l0 == pairs[j].a[0] && l1 == pairs[j].a[1])
                to = pairs[j].b;
            else if (c0 == 0xc3 && (c1 | 0x20) == (unsigned char)pairs[j].b[1])
                to = pairs[j].a; /* å Å, ø Ø, æ Æ: 0xc3 0xa5/0x85, 0xb8/0x98, 0xa6/0x86 */
        }
        if (to) {
            v[k++] = (struct spell){i, 2, to};
            i += 2;
        } else {
            i++;
        }
    }
    return k;
}

static bool has_term(struct tr *t, const char *tok, size_t n)
{
    for (int k = 0; k < t->ntables && !t->rc; k++) {
        if (!t->has_term[k]) {
            char sql[128];
            snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE term = ?1 LIMIT 1",
                     search_names[k].entries);
            if (sqlite3_prepare_v2(t->db, sql, -1, &t->has_term[k], NULL) != SQLITE_OK) {
                t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
                return false;
            }
        }
        sqlite3_stmt *st = t->has_term[k];
        sqlite3_bind_text(st, 1, tok, (int)n, SQLITE_STATIC);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step == SQLITE_ROW)
            return true;
        if (step != SQLITE_DONE)
            t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
    }
    return false;
}

/* The other spellings of word text[0..n) (index token tok[0..toklen)) that an index holds,
 * as index tokens into alt[] (the caller frees them); returns how many. */
static int spellings(struct tr *t, const char *text, int n, const char *tok, size_t toklen,
                     char **alt)
{
    struct spell v[MAX_SPELL];
    int k = spell_places(text, (size_t)n, v), nalt = 0;
    struct buf w = BUF_INIT;
    for (int mask = 1; mask < (1 << k) && !t->rc; mask++) {
        buf_truncate(&w, 0);
        size_t at = 0;
        for (int i = 0; i < k; i++) {
            buf_put(&w, text + at, v[i].at - at);
            buf_puts(&w, mask & (1 << i) ? v[i].to : "");
            if (!(mask & (1 << i)))
                buf_put(&w, text + v[i].at, v[i].len);
            at = v[i].at + v[i].len;
        }
        buf_put(&w, text + at, (size_t)n - at);
        struct words x = {BUF_INIT, 0, 0, 0};
        search_tokenize(t->ctx, w.ptr, (int)w.len, true, add_tok, &x);
        const char *xt = x.toks.ptr ? x.toks.ptr + 1 : "";
        size_t xl = x.toks.len ? x.toks.len - 1 : 0;
        bool keep = x.n == 1 && xl && !(xl == toklen && memcmp(xt, tok, xl) == 0);
        for (int i = 0; keep && i < nalt; i++)
            keep = !(strlen(alt[i]) == xl && memcmp(alt[i], xt, xl) == 0);
        if (keep && has_term(t, xt, xl))
            alt[nalt++] = xstrndup(xt, xl);
        buf_free(&x.toks);
    }
    buf_free(&w);
    return nalt;
}

/* Appends " OR" and each spelling as a phrase of word group g. */
static void put_spellings(struct tr *t, char **alt, int nalt, int g, bool mark)
{
    for (int i = 0; i < nalt; i++) {
        buf_puts(&t->out, " OR ");
        size_t start = t->out.len;
        buf_puts(&t->out, "\"");
        buf_putc(&t->out, SEARCH_VERBATIM);
        buf_puts(&t->out, alt[i]);
        buf_putc(&t->out, '"');
        phrase_add(t, start, g, false);
        if (t->hl && mark) {
            struct buf h = BUF_INIT;
            buf_putc(&h, SEARCH_VERBATIM);
            buf_puts(&h, alt[i]);
            search_hl_add(t->hl, h.ptr, h.len, false, false);
            buf_free(&h);
        }
        free(alt[i]);
    }
}

/* --- words with * ---------------------------------------------------------------------- */

/* The evaluations turned off on this thread (tests: search_eval_off). */
static _Thread_local unsigned eval_off;

void search_eval_off(unsigned ways)
{
    eval_off = ways;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index terms that begin with pre[0..n) in the indexes searched (each once, in byte
 * order) into terms[] (the caller frees them); returns how many, or -1 when there are more
 * than max or one cannot be written as a phrase (then the prefix query stands). */
static int prefix_terms(struct tr *t, const char *pre, size_t n, char **terms, int max)
{
    struct buf lo = BUF_INIT, hi = BUF_INIT;
    int nterms = 0;
    buf_put(&hi, pre, n);
    buf_putc(&hi, '\xff'); /* above every term that begins with pre */
    for (int k = 0; k < t->ntables && !t->rc && nterms >= 0; k++) {
        if (!t->next_term[k]) {
            char sql[128];
            snprintf(sql, sizeof sql, "SELECT term FROM %s WHERE term >= ?1 AND term <= ?2 LIMIT 1",
                     search_names[k].entries);
            if (sqlite3_prepare_v2(t->db, sql, -1, &t->next_term[k], NULL) != SQLITE_OK) {
                t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
                break;
            }
        }
        sqlite3_stmt *st = t->next_term[k];
        buf_truncate(&lo, 0);
        buf_put(&lo, pre, n);
        for (;;) {
            sqlite3_bind_text(st, 1, lo.ptr, (int)lo.len, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, hi.ptr, (int)hi.len, SQLITE_STATIC);
            int step = sqlite3_step(st);
            if (step != SQLITE_ROW) {
                sqlite3_reset(st);
                if (step != SQLITE_DONE)
                    t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
                break;
            }
            const char *term = (const char *)sqlite3_column_text(st, 0);
            size_t tl = (size_t)sqlite3_column_bytes(st, 0);
            bool bad = !term || memchr(term, '"', tl) || memchr(term, SEARCH_VERBATIM, tl) ||
                       strlen(term) != tl;
            bool dup = false;
            for (int i = 0; !bad && i < nterms && !dup; i++)
                dup = strcmp(terms[i], term) == 0;
            if (bad || (!dup && nterms == max)) {
                sqlite3_reset(st);
                for (int i = 0; i < nterms; i++)
                    free(terms[i]);
                nterms = -1;
                break;
            }
            if (!dup)
                terms[nterms++] = xstrndup(term, tl);
            /* The next term after this one: the term and a NUL byte. */
            buf_truncate(&lo, 0);
            buf_put(&lo, term, tl);
            buf_putc(&lo, '\0');
            sqlite3_reset(st);
        }
    }
    if (t->rc && nterms > 0) {
        for (int i = 0; i < nterms; i++)
            free(terms[i]);
        nterms = -1;
    }
    if (nterms > 1)
        qsort(terms, (size_t)nterms, sizeof *terms, cmp_strp);
    buf_free(&lo);
    buf_free(&hi);
    return nterms;
}

/* Appends the word or phrase toks[0..len) whose last token (from last) is a prefix. FTS5
 * answers `"tok" *` by merging the doclists of all the terms that begin with tok, whole,
 * before its first row (on the 100,000-case archive 16 ms for `digital*`, whose scan stops
 * after 10,000 rows); written out as the OR of those terms (`("tok1" OR "tok2" ...)`, each
 * with the phrase's other tokens before it) FTS5 reads each term's doclist only as far as the
 * scan goes (2 ms). The OR's terms score as one phrase (union_freq in rank.c), so hits, order,
 * totals and scores are the prefix query's. At most SEARCH_PREFIX_OR terms in a query are
 * written out (each costs every row of the scan a look); a prefix that would go past that
 * stays the prefix query. Returns the FTS5 phrases written. */
static int prefix_or(struct tr *t, const char *toks, size_t len, size_t last)
{
    char *terms[SEARCH_PREFIX_OR];
    int n = eval_off & SEARCH_EVAL_PREFIX_OR
                ? 0
                : prefix_terms(t, toks + last, len - last, terms, SEARCH_PREFIX_OR - t->nor);
    if (n <= 0) {
        put_string(&t->out, toks, len);
        buf_puts(&t->out, " *");
        return 1;
    }
    t->nor += n;
    /* ---- issue 11, archive routes: the word's entry in pre[] (emit adds it just before) is
     * not counted against the merge bound (count_prefixes) ---- */
    if (t->cur_pre >= 0)
        t->pre[t->cur_pre].written = true;
    buf_putc(&t->out, '(');
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(&t->out, " OR ");
        buf_putc(&t->out, '"');
        buf_put(&t->out, toks, last);
        buf_puts(&t->out, terms[i]);
        buf_putc(&t->out, '"');
        free(terms[i]);
    }
    buf_putc(&t->out, ')');
    return n;
}

static void tr_fail(struct tr *t, int code, unsigned col, const char *msg)
{
    t->e->file = "query";
    err_set(t->e, code, 1, col, "%s", msg);
    t->rc = code;
}

/* Emits node nd; returns false when it holds no searchable token (punctuation only).
 * negated: nd is on the right of a NOT, so what it matches is never marked. */
static bool emit(struct tr *t, const struct node *nd, bool negated)
{
    if (t->rc)
        return false;
    if (nd->kind == N_WORD || nd->kind == N_PHRASE) {
        struct words w = {BUF_INIT, 0, 0, 0};
        search_tokenize(t->ctx, nd->text, nd->len, !nd->prefix, add_tok, &w);
        if (w.n == 0) {
            buf_free(&w.toks);
            return false;
        }
        if (nd->prefix && w.chars < SEARCH_MIN_PREFIX) {
            char m[128];
            snprintf(m, sizeof m,
                     "expected at least %d letters before * (a shorter prefix matches too much)",
                     SEARCH_MIN_PREFIX);
            tr_fail(t, ERR_LIMIT, nd->col, m);
            buf_free(&w.toks);
            return false;
        }
        bool single = nd->kind == N_WORD && w.n == 1 && !nd->prefix;
        bool part = single && t->compounds && w.chars >= SEARCH_MIN_PART;
        if (t->hl && !negated)
            search_hl_add(t->hl, w.toks.ptr, w.toks.len, nd->prefix, part);
        t->cur_pre = -1;
        if (nd->prefix && t->npre < SEARCH_MAX_PREFIXES) {
            t->pre[t->npre].tok = xstrndup(w.toks.ptr + w.last, w.toks.len - w.last);
            t->pre[t->npre].written = false;
            t->cur_pre = t->npre;
            t->pre[t->npre++].col = nd->col;
        }
        char *alt[MAX_SPELLINGS];
        int nalt = single ? spellings(t, nd->text, nd->len, w.toks.ptr + 1, w.toks.len - 1, alt)
                          : 0;
        if (part) {
            int g = ++t->ngroup;
            buf_putc(&t->out, '(');
            size_t start = t->out.len;
            put_string(&t->out, w.toks.ptr, w.toks.len);
            phrase_add(t, start, g, false);
            put_spellings(t, alt, nalt, g, !negated);
            expand(t, w.toks.ptr + 1, w.toks.len - 1, g);
            buf_putc(&t->out, ')');
        } else {
            int g = single ? ++t->ngroup : 0;
            if (nalt)
                buf_putc(&t->out, '(');
            size_t start = t->out.len;
            int nsub = 1;
            if (nd->prefix)
                nsub = prefix_or(t, w.toks.ptr, w.toks.len, w.last);
            else
                put_string(&t->out, w.toks.ptr, w.toks.len);
            phrase_add(t, start, g, nd->prefix);
            t->ph[t->nph - 1].nsub = nsub;
            put_spellings(t, alt, nalt, g, !negated);
            if (nalt)
                buf_putc(&t->out, ')');
        }
        buf_free(&w.toks);
        return true;
    }
    static const char *const op[] = {[N_AND] = " AND ", [N_OR] = " OR ", [N_NOT] = " NOT "};
    size_t mark = t->out.len, mark_ph = t->nph;
    buf_putc(&t->out, '(');
    size_t before_a = t->out.len;
    bool a = emit(t, nd->a, negated);
    size_t after_a = t->out.len;
    if (a)
        buf_puts(&t->out, op[nd->kind]);
    size_t before_b = t->out.len;
    bool b = emit(t, nd->b, negated || nd->kind == N_NOT);
    if (t->rc)
        return false;
    if (a && b) {
        buf_putc(&t->out, ')');
        return true;
    }
    /* One side vanished: keep the other alone (NOT with nothing before it is an error). */
    if (!a && b && nd->kind == N_NOT) {
        tr_fail(t, ERR_SYNTAX, nd->col, "expected a word before NOT");
        return false;
    }
    /* The kept side moves to mark; so do its phrases. */
    size_t from = a ? before_a : before_b, to = a ? after_a : t->out.len;
    struct buf keep = BUF_INIT;
    buf_put(&keep, t->out.ptr + from, to - from);
    buf_truncate(&t->out, mark);
    buf_put(&t->out, keep.ptr ? keep.ptr : "", keep.len);
    buf_free(&keep);
    for (size_t i = mark_ph; i < t->nph; i++) {
        t->ph[i].start = t->ph[i].start - from + mark;
        t->ph[i].end = t->ph[i].end - from + mark;
    }
    return a || b;
}

/* Parses and translates q into t->out and t->ph. */
static int translate(struct tr *t, const char *q)
{
    size_t n = q ? strlen(q) : 0;
    struct parser p = {.q = q ? q : "", .n = n, .e = t->e};
    if (n > SEARCH_MAX_QUERY) {
        t->e->file = "query";
        err_set(t->e, ERR_LIMIT, 0, 0, "the query is longer than %d bytes", SEARCH_MAX_QUERY);
        return ERR_LIMIT;
    }
    size_t bad = utf8_invalid_at(p.q, n);
    if (bad < n) {
        fail(&p, ERR_UTF8, bad, "expected UTF-8 text");
        return p.rc;
    }
    /* MAX_WORDS operands and one operator between each two. */
    p.pool = xcalloc(2 * MAX_WORDS + 2, sizeof *p.pool);
    next(&p);
    struct node *root = p.rc ? NULL : parse_or(&p);
    if (!p.rc && p.t != T_END) {
        fail(&p, ERR_SYNTAX, p.at,
             p.t == T_RPAREN ? "unexpected ) without a ( before it"
                             : "expected a word, \"phrase\", AND, OR, NOT or (");
    }
    if (p.rc) {
        free(p.pool);
        return p.rc;
    }
    bool any = emit(t, root, false);
    free(p.pool);
    if (t->rc)
        return t->rc;
    if (!any) {
        tr_fail(t, ERR_SYNTAX, 1, "expected a word to search for (found only punctuation)");
        return ERR_SYNTAX;
    }
    return 0;
}

static void tr_fini(struct tr *t);

/* Back to the state before translate, for a second try. */
static void tr_reset(struct tr *t)
{
    buf_truncate(&t->out, 0);
    t->nph = 0;
    for (int i = 0; i < t->npre; i++)
        free(t->pre[i].tok);
    t->npre = 0;
    t->ngroup = t->nexpansions = t->nor = 0;
    t->rc = 0;
    if (t->hl) {
        search_hl_free(t->hl);
        t->hl = search_hl_new();
    }
}

static bool is_operator(const char *w, size_t n)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "OG", "ELLER", "IKKE"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (n == strlen(ops[i]) && memcmp(w, ops[i], n) == 0)
            return true;
    return false;
}

/* The words of q alone: ( ) and " become spaces, and with drop_ops the operators go too. */
static char *words_of(const char *q, bool drop_ops)
{
    struct buf b = BUF_INIT;
    const char *p = q;
    for (;;) {
        while (*p && (is_special((unsigned char)*p)))
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && !is_special((unsigned char)*p))
            p++;
        if (drop_ops && is_operator(w, (size_t)(p - w)))
            continue;
        if (b.len)
            buf_putc(&b, ' ');
        buf_put(&b, w, (size_t)(p - w));
    }
    return buf_detach(&b);
}

/* translate, and for a lenient query whose syntax cannot be read, its words: first with the
 * operators (only the stray ( ) " dropped), then without. */
static int translate_lenient(struct tr *t, const char *q, bool lenient, struct search_result *r)
{
    int rc = translate(t, q);
    if (rc != ERR_SYNTAX || !lenient)
        return rc;
    char hint[256];
    err_format(t->e, hint, sizeof hint);
    unsigned col = t->e->col;
    for (int pass = 0; pass < 2 && rc == ERR_SYNTAX; pass++) {
        char *w = words_of(q ? q : "", pass == 1);
        tr_reset(t);
        memset(t->e, 0, sizeof *t->e);
        rc = translate(t, w);
        free(w);
    }
    if (rc == 0) {
        r->relaxed = true;
        r->hint = xstrdup(hint);
        r->hint_col = col;
    } else if (rc == ERR_SYNTAX) {
        /* Nothing to search for even as words: the first error stands. */
        tr_reset(t);
        memset(t->e, 0, sizeof *t->e);
        rc = translate(t, q);
    }
    return rc;
}

static void tr_fini(struct tr *t)
{
    search_hl_free(t->hl);
    for (int k = 0; k < SEARCH_NTABLES; k++) {
        sqlite3_finalize(t->vocab[k]);
        sqlite3_finalize(t->has_term[k]);
        sqlite3_finalize(t->next_term[k]);
    }
    for (int i = 0; i < t->npre; i++)
        free(t->pre[i].tok);
    free(t->ph);
    buf_free(&t->out);
}

/* Makes expression x only match rows that also match filter f: "(x) AND f". */
static void and_filter(struct buf *x, const char *f)
{
    struct buf w = BUF_INIT;
    buf_printf(&w, "(%s) AND %s", buf_cstr(x), f);
    buf_free(x);
    *x = w;
}

/* Appends the phrase of the marker token kind + v (zero-padded to digits) to out. */
static void put_marker(struct buf *out, char kind, int digits, long long v)
{
    buf_printf(out, "\"%c%c%c", SEARCH_VERBATIM, SEARCH_META, kind);
    if (digits != 0 || kind != 'd')
        buf_printf(out, "%0*lld", digits, v);
    buf_putc(out, '"');
}

/* The body filter: the marker of code `body`. */
static void body_filter(struct search_ctx *ctx, const char *body, struct buf *f)
{
    struct buf marker = BUF_INIT;
    search_body_marker(ctx, body, &marker);
    buf_printf(f, "\"%c", SEARCH_VERBATIM);
    buf_put(f, marker.ptr, marker.len);
    buf_putc(f, '"');
    buf_free(&marker);
}

int search_fts_expr(sqlite3 *db, const char *query, const char *body, bool compounds, char **expr,
                    struct err *e)
{
    struct tr t = {.db = db, .compounds = compounds, .ntables = 1, .cur_pre = -1, .e = e};
    t.ctx = search_ctx_get(db);
    if (!t.ctx) {
        err_set(e, ERR_DB, 0, 0, "the search tokenizer is not registered on this connection");
        return ERR_DB;
    }
    int rc = translate(&t, query);
    if (rc == 0 && body) {
        struct buf f = BUF_INIT;
        body_filter(t.ctx, body, &f);
        and_filter(&t.out, buf_cstr(&f));
        buf_free(&f);
    }
    if (rc == 0)
        *expr = xstrdup(buf_cstr(&t.out));
    tr_fini(&t);
    return rc;
}

/* --- dates -------------------------------------------------------------------------------- */

static bool valid_date(const char *s)
{
    /* YYYY, YYYY-MM or YYYY-MM-DD */
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    }
    int month = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 1;
    int day = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* A date filter is a range of rowids: the day is on top of the rowid (search_int.h). */
void search_rowid_range(const char *from, const char *to, int64_t *lo, int64_t *hi)
{
    int64_t a = from ? search_day(from, false) : 1, b = to ? search_day(to, true) : SEARCH_MAX_DAY;
    if ((from && !a) || (to && !b) || a > b) {
        *lo = 1; /* nothing */
        *hi = 0;
        return;
    }
    /* The key is inverted (search_int.h): the last day's newest case has the lowest rowid. */
    *lo = search_key(b, SEARCH_MAX_CASE_ID) << SEARCH_CASE_SHIFT;
    *hi = search_key(a, 0) << SEARCH_CASE_SHIFT | (((int64_t)1 << SEARCH_CASE_SHIFT) - 1);
}

/* --- bounds ------------------------------------------------------------------------------- */

/* Counts what the query's prefixes stand for in the indexes searched: the index terms that
 * begin with each (fts5vocab, one seek per term) and their doclist entries (each term's rows,
 * read lazily and only up to what is left of the bound), which is what FTS5 merges for a
 * prefix before it returns its first row. Refuses the query at the prefix that goes beyond
 * SEARCH_MAX_PREFIX_TERMS or SEARCH_MAX_PREFIX_ROWS; so refusing costs at most the bound,
 * however large the archive. A prefix written out as the OR of its terms (prefix_or) is not
 * counted: FTS5 merges nothing for it, each term's doclist is read only as far as the scan
 * goes, and the scan is bounded by SEARCH_VISIT_FACTOR * cap rows whatever it matches (so
 * `budget*`, 10,000+ hits, answers in 8-10 ms on the 100,000-case archive instead of being
 * refused). */
static int count_prefixes(struct tr *t, struct search_work *w)
{
    sqlite3_stmt *next_term[SEARCH_NTABLES] = {0}, *rows[SEARCH_NTABLES] = {0};
    struct buf lo = BUF_INIT, hi = BUF_INIT, phrase = BUF_INIT;
    int rc = 0;
    w->prefixes = (size_t)t->npre;
    for (int k = 0; k < t->ntables && t->npre; k++) {
        char sql[2][160];
        snprintf(sql[0], sizeof sql[0],
                 "SELECT term FROM %s WHERE term >= ?1 AND term <= ?2 LIMIT 1",
                 search_names[k].entries);
        snprintf(sql[1], sizeof sql[1],
                 "SELECT referat_count(%s, ?2) FROM %s WHERE %s MATCH ?1 LIMIT 1",
                 search_names[k].fts, search_names[k].fts, search_names[k].fts);
        if (sqlite3_prepare_v2(t->db, sql[0], -1, &next_term[k], NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(t->db, sql[1], -1, &rows[k], NULL) != SQLITE_OK) {
            rc = search_dberr(t->db, t->e, "counting the prefixes");
            goto done;
        }
    }
    for (int i = 0; i < t->npre && rc == 0; i++) {
        if (t->pre[i].written) /* issue 11, archive routes */
            continue;
        const char *pre = t->pre[i].tok;
        buf_truncate(&hi, 0);
        buf_printf(&hi, "%s\xff", pre); /* above every term that begins with pre */
        for (int k = 0; k < t->ntables && rc == 0; k++) {
            buf_truncate(&lo, 0);
            buf_puts(&lo, pre);
            for (;;) {
                sqlite3_stmt *nt = next_term[k], *ro = rows[k];
                sqlite3_bind_text(nt, 1, lo.ptr, (int)lo.len, SQLITE_STATIC);
                sqlite3_bind_text(nt, 2, hi.ptr, (int)hi.len, SQLITE_STATIC);
                int step = sqlite3_step(nt);
                if (step != SQLITE_ROW) {
                    sqlite3_reset(nt);
                    if (step != SQLITE_DONE)
                        rc = search_dberr(t->db, t->e, "counting the prefixes");
                    break;
                }
                /* The next term after this one: the term and a NUL byte. */
                buf_truncate(&lo, 0);
                buf_put(&lo, (const char *)sqlite3_column_text(nt, 0),
                        (size_t)sqlite3_column_bytes(nt, 0));
                sqlite3_reset(nt);
                buf_truncate(&phrase, 0);
                buf_printf(&phrase, "\"%c", SEARCH_VERBATIM);
                for (size_t c = 0; c < lo.len; c++)
                    if (lo.ptr[c] != '"')
                        buf_putc(&phrase, lo.ptr[c]);
                buf_putc(&phrase, '"');
                buf_putc(&lo, '\0');
                w->terms++;
                size_t left =
                    w->entries <= SEARCH_MAX_PREFIX_ROWS ? SEARCH_MAX_PREFIX_ROWS - w->entries : 0;
                sqlite3_bind_text(ro, 1, phrase.ptr, (int)phrase.len, SQLITE_STATIC);
                sqlite3_bind_int64(ro, 2, (sqlite3_int64)left + 1);
                if ((step = sqlite3_step(ro)) == SQLITE_ROW) {
                    w->entries += (size_t)sqlite3_column_int64(ro, 0);
                    step = sqlite3_step(ro);
                }
                sqlite3_reset(ro);
                if (step != SQLITE_DONE) {
                    rc = search_dberr(t->db, t->e, "counting the prefixes");
                    break;
                }
                if (w->terms > SEARCH_MAX_PREFIX_TERMS || w->entries > SEARCH_MAX_PREFIX_ROWS) {
                    char m[200];
                    if (w->terms > SEARCH_MAX_PREFIX_TERMS)
                        snprintf(m, sizeof m,
                                 "expected more letters before * (the words with * in this "
                                 "query match more than %d different words)",
                                 SEARCH_MAX_PREFIX_TERMS);
                    else
                        snprintf(m, sizeof m,
                                 "expected more letters before * (the words with * in this "
                                 "query occur more than %d times in the archive)",
                                 SEARCH_MAX_PREFIX_ROWS);
                    tr_fail(t, ERR_LIMIT, t->pre[i].col, m);
                    rc = ERR_LIMIT;
                    break;
                }
            }
        }
    }
done:
    for (int k = 0; k < SEARCH_NTABLES; k++) {
        sqlite3_finalize(next_term[k]);
        sqlite3_finalize(rows[k]);
    }
    buf_free(&lo);
    buf_free(&hi);
    buf_free(&phrase);
    return rc;
}

/* --- statistics --------------------------------------------------------------------------- */

/* The statistics referat_rank scores with, over the indexes searched: rows and mean length
 * summed, each phrase's matching rows summed (counted up to SEARCH_IDF_SAMPLE per index and
 * estimated beyond, see below). The public's come from the public index alone. */
struct stats {
    struct search_rank rank;
    int *group, *nsub;
    double *idf;
};

static void stats_fini(struct stats *s)
{
    free(s->group);
    free(s->nsub);
    free(s->idf);
    free(s->rank.seen);
}

/* Runs sql (a referat_stats query on table k, ?1 the struct, ?2 the expression or NULL). */
static int run_stats(struct tr *t, const char *sql, const char *expr, struct search_stats *ss)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(t->db, sql, -1, &st, NULL) != SQLITE_OK)
        return search_dberr(t->db, t->e, "searching");
    sqlite3_bind_pointer(st, 1, ss, "referat_stats", NULL);
    if (expr)
        sqlite3_bind_text(st, 2, expr, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return search_dberr(t->db, t->e, "searching");
    return 0;
}

/* Counts prefix phrase ph of table k in SQL: FTS5 merges a prefix's terms once per cursor,
 * and xQueryPhrase would open a second. */
static int count_phrase(struct tr *t, int k, const struct phrase *ph, int64_t *hits, int64_t *last)
{
    sqlite3_stmt *st = NULL;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT rowid FROM %s WHERE %s MATCH ?1 ORDER BY rowid LIMIT %d",
             search_names[k].fts, search_names[k].fts, SEARCH_IDF_SAMPLE);
    if (sqlite3_prepare_v2(t->db, sql, -1, &st, NULL) != SQLITE_OK)
        return search_dberr(t->db, t->e, "searching");
    sqlite3_bind_text(st, 1, t->out.ptr + ph->start, (int)(ph->end - ph->start), SQLITE_STATIC);
    int step;
    *hits = *last = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        (*hits)++;
        *last = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : search_dberr(t->db, t->e, "searching");
}

static int gather_stats(struct tr *t, struct stats *s)
{
    int n = (int)t->nph, rc = 0;
    int64_t nrow = 0, ntok = 0;
    double *nhit = xcalloc((size_t)n + 1, sizeof *nhit);
    int64_t *hits = xcalloc((size_t)n + 1, sizeof *hits), *last = xcalloc((size_t)n + 1, 8);
    int *map = xcalloc((size_t)n + 1, sizeof *map);
    struct buf or = BUF_INIT;
    /* The phrases xQueryPhrase counts: all but the prefixes, in one OR. */
    int nor = 0;
    for (int i = 0; n > 1 && i < n; i++) {
        if (t->ph[i].prefix)
            continue;
        if (nor)
            buf_puts(& or, " OR ");
        buf_put(& or, t->out.ptr + t->ph[i].start, t->ph[i].end - t->ph[i].start);
        map[nor++] = i;
    }
    for (int k = 0; k < t->ntables && rc == 0; k++) {
        const char *fts = search_names[k].fts;
        char sql[200];
        int64_t max_rowid = 0;
        sqlite3_stmt *st = NULL;
        /* The highest rowid: a common phrase's rows are estimated from how far into the
         * rowid range its first SEARCH_IDF_SAMPLE reach. A rowid table: O(log n). */
        snprintf(sql, sizeof sql, "SELECT max(id) FROM %s", search_names[k].content);
        if (sqlite3_prepare_v2(t->db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = search_dberr(t->db, t->e, "searching");
            break;
        }
        if (sqlite3_step(st) == SQLITE_ROW)
            max_rowid = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        struct search_stats ss = {.nphrase = nor, .hits = hits, .last = last};
        memset(hits, 0, ((size_t)n + 1) * sizeof *hits);
        memset(last, 0, ((size_t)n + 1) * sizeof *last);
        if (nor) {
            snprintf(sql, sizeof sql,
                     "SELECT referat_stats(%s, ?1) FROM %s WHERE %s MATCH ?2 LIMIT 1", fts, fts,
                     fts);
            rc = run_stats(t, sql, buf_cstr(& or), &ss);
        }
        if (rc == 0 && !ss.done) {
            /* Nothing matched (or one phrase): the table's sizes alone, from any row. */
            ss.nphrase = 0;
            snprintf(sql, sizeof sql,
                     "SELECT referat_stats(%s, ?1) FROM %s ORDER BY rowid DESC LIMIT 1", fts, fts);
            rc = run_stats(t, sql, NULL, &ss);
        }
        nrow += ss.nrow;
        ntok += ss.ntok;
        for (int j = 0; rc == 0 && n > 1 && j < n; j++) {
            int64_t h = 0, l = 0;
            if (t->ph[j].prefix)
                rc = count_phrase(t, k, &t->ph[j], &h, &l);
            else
                for (int x = 0; x < nor; x++)
                    if (map[x] == j)
                        h = hits[x], l = last[x];
            /* A phrase with SEARCH_IDF_SAMPLE matches is taken to match as densely over the
             * whole rowid range as over the part counted. */
            double e = (double)h;
            if (h >= SEARCH_IDF_SAMPLE && l > 0 && max_rowid > l)
                e *= (double)max_rowid / (double)l;
            nhit[j] += e;
        }
    }
    s->group = xcalloc((size_t)n + 1, sizeof *s->group);
    s->nsub = xcalloc((size_t)n + 1, sizeof *s->nsub);
    s->idf = xcalloc((size_t)n + 1, sizeof *s->idf);
    s->rank.seen = xcalloc((size_t)t->ngroup + 1, 1);
    for (int i = 0; i < n; i++) {
        s->group[i] = t->ph[i].group;
        s->nsub[i] = t->ph[i].nsub;
        /* With one phrase the idf is the same for every row: left out. */
        double idf = 1.0;
        if (n > 1) {
            double h = nhit[i] > (double)nrow ? (double)nrow : nhit[i];
            idf = log(((double)nrow - h + 0.5) / (h + 0.5));
            if (idf <= 0.0)
                idf = 1e-6;
        }
        s->idf[i] = idf;
    }
    s->rank.nphrase = n;
    s->rank.group = s->group;
    s->rank.nsub = s->nsub;
    s->rank.idf = s->idf;
    s->rank.ngroup = t->ngroup;
    s->rank.avgdl = nrow > 0 && ntok > 0 ? (double)ntok / (double)nrow : 1.0;
    buf_free(& or);
    free(nhit);
    free(hits);
    free(last);
    free(map);
    return rc;
}

/* --- running it --------------------------------------------------------------------------- */

struct cand {
    double score;
    int64_t rowid;
};

/* Sort by date: the newest day first, then as below (set per query; a query runs on one
 * thread). */
static _Thread_local bool order_by_date;

/* a ranks before b */
static bool before(const struct cand *a, const struct cand *b)
{
    if (order_by_date && search_day_of(a->rowid) != search_day_of(b->rowid))
        return search_day_of(a->rowid) > search_day_of(b->rowid);
    if (a->score != b->score)
        return a->score < b->score;
    /* Equal scores: the older case first (its key is the larger, search_int.h), then the
     * parts of a case in order. */
    if (search_key_of(a->rowid) != search_key_of(b->rowid))
        return search_key_of(a->rowid) > search_key_of(b->rowid);
    return a->rowid < b->rowid;
}

/* The best k candidates in a max-heap (the worst at the top). */
struct top {
    struct cand *v;
    size_t n, k;
};

static void top_push(struct top *h, struct cand c)
{
    if (h->k == 0)
        return;
    size_t i;
    if (h->n < h->k) {
        i = h->n++;
        while (i > 0 && before(&h->v[(i - 1) / 2], &c)) {
            h->v[i] = h->v[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h->v[i] = c;
        return;
    }
    if (!before(&c, &h->v[0]))
        return;
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct cand *worst = &c;
        if (l < h->n && before(worst, &h->v[l]))
            m = l, worst = &h->v[l];
        if (r < h->n && before(worst, &h->v[r]))
            m = r;
        if (m == i)
            break;
        h->v[i] = h->v[m];
        i = m;
    }
    h->v[i] = c;
}

static int cmp_cand(const void *a, const void *b)
{
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? xstrdup(s) : NULL;
}

/* The table a row of this part is in. */
static enum search_table table_of(int64_t rowid)
{
    return search_part_of(rowid) == SEARCH_PART_CLOSED ? SEARCH_CLOSED : SEARCH_PUBLIC;
}

/* One index's matches, newest first. */
struct source {
    sqlite3_stmt *st;
    bool live;
    int64_t rowid;
    double score;
};

/* What the scan needs beside the sources: who reads, and the lookups by case. */
struct scan {
    sqlite3 *db;
    const struct reader *reader;
    sqlite3_stmt *bodies;               /* a closed case's bodies column */
    int64_t seen_case;
    bool sees;
    struct err *e;
};

static int source_step(struct scan *sc, struct source *s, struct search_work *w)
{
    int step = sqlite3_step(s->st);
    s->live = step == SQLITE_ROW;
    if (s->live) {
        s->rowid = sqlite3_column_int64(s->st, 0);
        s->score = sqlite3_column_double(s->st, 1);
        w->rows++;
        return 0;
    }
    return step == SQLITE_DONE ? 0 : search_dberr(sc->db, sc->e, "searching");
}

/* Whether the reader sees the closed text of the case with key id (its bodies column, in the
 * closed index; remembered for the last case asked, as the rows of a case come together). */
static int sees_case(struct scan *sc, int64_t id, bool *sees)
{
    if (sc->reader->all) {
        *sees = true;
        return 0;
    }
    if (id == sc->seen_case) {
        *sees = sc->sees;
        return 0;
    }
    if (!sc->bodies) {
        /* ---- issue 11, storage: the bodies column of the case's texts (contentless FTS5) */
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT bodies FROM %s WHERE id BETWEEN ?1 AND ?2 LIMIT 1",
                 search_names[SEARCH_CLOSED].content);
        /* ---- end issue 11, storage ---- */
        if (sqlite3_prepare_v2(sc->db, sql, -1, &sc->bodies, NULL) != SQLITE_OK)
            return search_dberr(sc->db, sc->e, "searching");
    }
    int64_t lo = id << SEARCH_CASE_SHIFT;
    sqlite3_bind_int64(sc->bodies, 1, lo);
    sqlite3_bind_int64(sc->bodies, 2, lo | (((int64_t)1 << SEARCH_CASE_SHIFT) - 1));
    int step = sqlite3_step(sc->bodies);
    bool yes = false;
    if (step == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(sc->bodies, 0);
        while (p && *p && !yes) {
            char *end;
            long long b = strtoll(p, &end, 10);
            if (end == p)
                break;
            yes = reader_sees_body(sc->reader, b);
            p = end;
        }
    }
    sqlite3_reset(sc->bodies);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return search_dberr(sc->db, sc->e, "searching");
    sc->seen_case = id;
    sc->sees = *sees = yes;
    return 0;
}

/* Whether the row may be counted for the reader: the public view of a closed case for one
 * who may not read its text, its text (closed index) for one who may. */
static int visible(struct scan *sc, int64_t rowid, bool *ok)
{
    int part = search_part_of(rowid);
    bool sees = false;
    if (part == SEARCH_PART_OPEN || reader_is_public(sc->reader)) {
        *ok = part != SEARCH_PART_CLOSED;
        return 0;
    }
    int rc = sees_case(sc, search_key_of(rowid), &sees);
    *ok = part == SEARCH_PART_CLOSED ? sees : !sees;
    return rc;
}

static int fill_hit(struct tr *t, sqlite3_stmt **get, sqlite3_stmt **title, int64_t rowid,
                    double score, struct search_hit *h, struct err *e)
{
    sqlite3 *db = t->db;
    int part = search_part_of(rowid);
    enum search_table k = table_of(rowid);
    h->case_id = search_case_of(rowid);
    h->subitem = search_subitem_of(rowid);
    h->score = score;
    h->closed = part != SEARCH_PART_OPEN;
    /* ---- issue 11, storage: the texts from search_<table>_text (the FTS5 tables are
     * contentless): the case's rows, inflated once; the hit's row and the case row of the
     * same part (a hit's part is one the reader may see). title[k] is not used. ---- */
    (void)title;
    (void)col_dup; /* unused now; left for the rest of query.c (the search part's) */
    if (!get[k] && search_text_prepare(db, k, &get[k]) != SQLITE_OK)
        return search_dberr(db, e, "searching");
    /* A lookup by rowid, not the MATCH again (see snippet.c). */
    struct search_text x;
    int found = search_text_read(get[k], search_key_of(rowid), &x);
    if (found < 0) {
        search_text_fini(&x);
        if (found == -1)
            return search_dberr(db, e, "searching");
        err_set(e, ERR_DB, 0, 0, "searching: the search index's texts of case %lld do not "
                "unpack (run `referat db check`)", (long long)h->case_id);
        return ERR_DB;
    }
    struct search_row r, row = {0}, top = {0};
    bool have_row = false, have_top = false;
    for (size_t pos = 0; found && search_text_next(&x, &pos, &r);) {
        if (r.rowid == rowid)
            row = r, have_row = true;
        if (search_subitem_of(r.rowid) == 0 && search_part_of(r.rowid) == part && !have_top)
            top = r, have_top = true;
    }
    if (have_row) {
        const char *text[3] = {row.col[0], row.col[1], row.col[2]};
        /* The bilag are shown as the rest of the text is. */
        struct buf rest = BUF_INIT;
        const char *bilag = row.col[3];
        if (bilag) {
            buf_printf(&rest, "%s%s%s", text[2] ? text[2] : "", text[2] ? "\n\n" : "", bilag);
            text[2] = buf_cstr(&rest);
        }
        h->date = x.date ? xstrdup(x.date) : NULL;
        h->body = x.body ? xstrdup(x.body) : NULL;
        h->title = row.col[0] ? xstrdup(row.col[0]) : NULL;
        h->snippet = search_snippet(t->ctx, t->hl, text, SNIPPET_TOKENS);
        buf_free(&rest);
    }
    if (!h->snippet)
        h->snippet = xstrdup("");
    if (h->subitem == 0)
        h->case_title = h->title ? xstrdup(h->title) : NULL;
    else if (have_top && top.col[0])
        h->case_title = xstrdup(top.col[0]);
    search_text_fini(&x);
    return 0;
    /* ---- end issue 11, storage ---- */
}

/* The closed index's filter for a reader who reads some bodies but not all: the markers of
 * those bodies. Returns false when the reader reads none (the closed index is not searched). */
static bool reader_filter(const struct reader *r, struct buf *f)
{
    int n = 0;
    for (size_t i = 0; i < r->nbodies; i++) {
        if (!reader_sees_body(r, r->bodies[i].body_id))
            continue;
        buf_puts(f, n++ ? " OR " : "(");
        put_marker(f, 'r', 0, (long long)r->bodies[i].body_id);
    }
    if (n)
        buf_putc(f, ')');
    return n > 0;
}

int search_query(sqlite3 *db, const struct search_params *p, struct search_result *r, struct err *e)
{
    struct tr t = {.db = db, .compounds = true, .ntables = 1, .cur_pre = -1, .e = e};
    struct source src[SEARCH_NTABLES] = {0};
    struct scan sc = {
        .db = db, .reader = p->reader ? p->reader : &reader_public, .seen_case = -1, .e = e};
    sqlite3_stmt *get[SEARCH_NTABLES] = {0}, *title[SEARCH_NTABLES] = {0};
    struct stats stats = {0};
    struct top top = {0};
    struct buf filter = BUF_INIT, closed = BUF_INIT;
    struct buf expr[SEARCH_NTABLES] = {BUF_INIT, BUF_INIT};
    int rc = 0;
    /* issue 10, sdg: the goal of `verdensmål:N` (0: none), the query without it */
    unsigned sdg_goal = 0;
    char *sdg_rest = NULL;
    memset(r, 0, sizeof *r);
    size_t limit = p->limit ? p->limit : DEFAULT_LIMIT;
    if (limit > SEARCH_MAX_LIMIT || p->offset > SEARCH_MAX_OFFSET) {
        err_set(e, ERR_USAGE, 0, 0, "paging: at most %d hits from offset %d", SEARCH_MAX_LIMIT,
                SEARCH_MAX_OFFSET);
        return ERR_USAGE;
    }
    if ((p->from && !valid_date(p->from)) || (p->to && !valid_date(p->to))) {
        err_set(e, ERR_USAGE, 0, 0, "expected a date as YYYY-MM-DD, YYYY-MM or YYYY, found '%s'",
                p->from && !valid_date(p->from) ? p->from : p->to);
        return ERR_USAGE;
    }
    t.ctx = search_ctx_get(db);
    if (!t.ctx) {
        err_set(e, ERR_DB, 0, 0, "the search tokenizer is not registered on this connection");
        return ERR_DB;
    }
    /* The public searches the public index alone: nothing closed can match, show, count for
     * ranking or cost time. Staff search the closed index too. */
    bool staff = !reader_is_public(sc.reader);
    bool use_closed = staff && (sc.reader->all || reader_filter(sc.reader, &closed));
    t.ntables = use_closed ? 2 : 1;
    r->work.indexes = (size_t)t.ntables;
    t.hl = search_hl_new();
    order_by_date = p->sort == SEARCH_SORT_DATE;
    /* ---- issue 10, sdg: `verdensmål:N` out of the query (sdg_filter.c): alone, the goal's
     * marker is the query; with words, it is a filter like the body's (below) ---- */
    rc = search_sdg_strip(p->query, &sdg_goal, &sdg_rest, e);
    bool sdg_alone = rc == 0 && sdg_rest && strspn(sdg_rest, " \t") == strlen(sdg_rest);
    if (sdg_alone)
        put_marker(&t.out, SEARCH_SDG_MARKER, 0, sdg_goal);
    else if (rc == 0)
        rc = translate_lenient(&t, sdg_rest ? sdg_rest : p->query, p->lenient, r);
    /* ---- end issue 10, sdg ---- */
    if (rc == 0)
        rc = count_prefixes(&t, &r->work);
    if (rc < 0)
        goto done;
    r->work.phrases = t.nph;

    /* The filters: the part of the text (a column filter around the query), the body (a
     * marker ANDed to it), the dates (a rowid range: the day is on top of the rowid). */
    if (p->body)
        body_filter(t.ctx, p->body, &filter);
    if (sdg_goal && !sdg_alone) { /* issue 10, sdg */
        if (filter.len)
            buf_puts(&filter, " AND ");
        put_marker(&filter, SEARCH_SDG_MARKER, 0, sdg_goal);
    }
    int64_t lo = 0, hi = INT64_MAX;
    if (p->from || p->to)
        search_rowid_range(p->from, p->to, &lo, &hi);
    static const char *const colset[] = {[SEARCH_IN_AGENDA] = "{title presentation}",
                                         [SEARCH_IN_MINUTES] = "{decision}",
                                         [SEARCH_IN_BILAG] = "{bilag}"};
    if (p->in > SEARCH_IN_ALL && p->in <= SEARCH_IN_BILAG) {
        struct buf w = BUF_INIT;
        buf_printf(&w, "%s : (%s)", colset[p->in], buf_cstr(&t.out));
        buf_free(&t.out);
        t.out = w;
        /* The phrases moved by the prefix. */
        size_t shift = strlen(colset[p->in]) + 4;
        for (size_t i = 0; i < t.nph; i++) {
            t.ph[i].start += shift;
            t.ph[i].end += shift;
        }
    }
    for (int k = 0; k < t.ntables; k++) {
        buf_puts(&expr[k], buf_cstr(&t.out));
        if (filter.len)
            and_filter(&expr[k], buf_cstr(&filter));
        if (k == SEARCH_CLOSED && closed.len)
            and_filter(&expr[k], buf_cstr(&closed));
    }
    rc = gather_stats(&t, &stats);
    /* Newest first (ascending rowid: the key is inverted, search_int.h), so that when more
     * than cap match, the ones ranked are the newest by the meeting's date. For staff the two
     * indexes are merged by rowid: a case's rows still come together. */
    for (int k = 0; k < t.ntables && rc == 0; k++) {
        char sql[200];
        const char *fts = search_names[k].fts;
        snprintf(sql, sizeof sql,
                 "SELECT rowid, referat_rank(%s, ?2) FROM %s WHERE %s MATCH ?1 "
                 "AND rowid BETWEEN ?3 AND ?4 ORDER BY rowid",
                 fts, fts, fts);
        if (sqlite3_prepare_v2(db, sql, -1, &src[k].st, NULL) != SQLITE_OK) {
            rc = search_dberr(db, e, "searching");
            break;
        }
        sqlite3_bind_text(src[k].st, 1, buf_cstr(&expr[k]), (int)expr[k].len, SQLITE_STATIC);
        sqlite3_bind_pointer(src[k].st, 2, &stats.rank, "referat_rank", NULL);
        sqlite3_bind_int64(src[k].st, 3, lo);
        sqlite3_bind_int64(src[k].st, 4, hi);
        rc = source_step(&sc, &src[k], &r->work);
    }

    top.k = p->offset + limit;
    top.v = xcalloc(top.k, sizeof *top.v);
    size_t total = 0, cap = p->cap ? p->cap : SEARCH_CAP;
    size_t visit = SEARCH_VISIT_FACTOR * cap;
    bool capped = false;
    struct cand group = {0, -1};
    while (rc == 0) {
        struct source *s = NULL;
        for (int k = 0; k < t.ntables; k++)
            if (src[k].live && (!s || src[k].rowid < s->rowid))
                s = &src[k];
        if (!s)
            break;
        /* Bounded work: every row stepped counts, whether it is counted or not. */
        if (r->work.rows > visit) {
            capped = true;
            break;
        }
        struct cand c = {s->score, s->rowid};
        bool ok = true;
        rc = visible(&sc, c.rowid, &ok);
        if (rc == 0)
            rc = source_step(&sc, s, &r->work);
        if (rc < 0 || !ok)
            continue;
        /* c is a match the reader may see: once cap are counted, it proves there are more. */
        if (p->group == SEARCH_BY_PART) {
            if (total == cap) {
                capped = true;
                break;
            }
            total++;
            top_push(&top, c);
            continue;
        }
        /* Rows come in rowid order, so the parts of a case come together. */
        if (group.rowid >= 0 && search_key_of(group.rowid) == search_key_of(c.rowid)) {
            if (before(&c, &group))
                group = c;
            continue;
        }
        if (group.rowid >= 0) {
            total++;
            top_push(&top, group);
        }
        if (total == cap) {
            capped = true;
            group.rowid = -1;
            break;
        }
        group = c;
    }
    if (rc < 0)
        goto done;
    if (p->group == SEARCH_BY_CASE && group.rowid >= 0 && total < cap) {
        total++;
        top_push(&top, group);
    }
    qsort(top.v, top.n, sizeof *top.v, cmp_cand);
    r->total = total;
    r->total_capped = capped;

    if (top.n > p->offset) {
        r->hits = xcalloc(top.n - p->offset, sizeof *r->hits);
        for (size_t i = p->offset; i < top.n; i++) {
            rc = fill_hit(&t, get, title, top.v[i].rowid, top.v[i].score, &r->hits[r->nhits++], e);
            if (rc < 0)
                goto done;
        }
    }
done:
    if (rc < 0) {
        struct search_work w = r->work;
        search_result_fini(r);
        r->work = w;
    }
    for (int k = 0; k < SEARCH_NTABLES; k++) {
        buf_free(&expr[k]);
        sqlite3_finalize(src[k].st);
        sqlite3_finalize(get[k]);
        sqlite3_finalize(title[k]);
    }
    sqlite3_finalize(sc.bodies);
    free(sdg_rest); /* issue 10, sdg */
    stats_fini(&stats);
    tr_fini(&t);
    free(top.v);
    buf_free(&filter);
    buf_free(&closed);
    return rc;
}

void search_result_fini(struct search_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        struct search_hit *h = &r->hits[i];
        free(h->title);
        free(h->case_title);
        free(h->body);
        free(h->date);
        free(h->snippet);
    }
    free(r->hits);
    free(r->hint);
    memset(r, 0, sizeof *r);
}
