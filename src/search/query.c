/* query: user query syntax -> FTS5 expression (with compound words), ranking, paging, hits. */
#include "search.h"
#include "search_int.h"

#include "../util/utf8.h"

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
    int depth, nwords;
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
    if (p->len == 3 && memcmp(p->text, "AND", 3) == 0)
        p->t = T_AND;
    else if (p->len == 2 && memcmp(p->text, "OR", 2) == 0)
        p->t = T_OR;
    else if (p->len == 3 && memcmp(p->text, "NOT", 3) == 0)
        p->t = T_NOT;
    else if (p->text[p->len - 1] == '*') {
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

static const char *tok_name(enum tok t)
{
    switch (t) {
    case T_AND:
        return "AND";
    case T_OR:
        return "OR";
    case T_NOT:
        return "NOT";
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
        struct node *nd = mk(p, p->t == T_WORD ? N_WORD : N_PHRASE, NULL, NULL);
        nd->text = p->text;
        nd->len = p->len;
        nd->prefix = p->prefix;
        next(p);
        return nd;
    }
    if (after)
        snprintf(msg, sizeof msg, "expected a word, \"phrase\" or ( after %s, found %s", after,
                 tok_name(p->t));
    else if (p->t == T_NOT)
        snprintf(msg, sizeof msg, "expected a word before NOT (NOT excludes: budget NOT drift)");
    else if (p->t == T_END)
        snprintf(msg, sizeof msg, "expected a word to search for");
    else
        snprintf(msg, sizeof msg, "expected a word, \"phrase\" or (, found %s", tok_name(p->t));
    fail(p, ERR_SYNTAX, p->at, msg);
    return NULL;
}

static struct node *parse_not(struct parser *p, const char *after)
{
    struct node *a = parse_unary(p, after);
    while (!p->rc && p->t == T_NOT) {
        size_t at = p->at;
        next(p);
        struct node *b = parse_unary(p, "NOT");
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
            op = "AND";
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
        next(p);
        struct node *b = parse_and(p, "OR");
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
    int chars; /* of the last token */
};

static int add_tok(void *ud, const char *tok, int len, int start, int end)
{
    struct words *w = ud;
    (void)start;
    (void)end;
    buf_putc(&w->toks, SEARCH_VERBATIM);
    for (int i = 0; i < len; i++)
        if (tok[i] != '"')
            buf_putc(&w->toks, tok[i]);
    w->n++;
    w->chars = (int)utf8_chars(tok, (size_t)len);
    return 0;
}

struct tr {
    sqlite3 *db;
    struct search_ctx *ctx;
    bool compounds;
    sqlite3_stmt *vocab;
    struct buf out;       /* the FTS5 expression */
    struct buf spec;      /* referat_rank's groups */
    struct search_hl *hl; /* what snippets mark; NULL when not wanted */
    int nphrase, ngroup, nexpansions;
    struct err *e;
    int rc;
};

static void put_string(struct buf *b, const char *toks, size_t n)
{
    buf_putc(b, '"');
    buf_put(b, toks, n);
    buf_putc(b, '"');
}

static void spec_add(struct tr *t, int g)
{
    buf_printf(&t->spec, "%s%d", t->spec.len ? " " : "", g);
    t->nphrase++;
}

/* The compounds (vocabulary terms) that contain the stem, other than the stem itself. */
static void expand(struct tr *t, const char *stem, size_t n, int g)
{
    if (!t->vocab) {
        if (sqlite3_prepare_v2(t->db,
                               "SELECT term FROM search_vocab WHERE search_vocab MATCH ?1 "
                               "LIMIT ?2",
                               -1, &t->vocab, NULL) != SQLITE_OK) {
            t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
            return;
        }
    }
    struct buf m = BUF_INIT;
    put_string(&m, stem, n);
    sqlite3_bind_text(t->vocab, 1, m.ptr, (int)m.len, SQLITE_STATIC);
    sqlite3_bind_int(t->vocab, 2, SEARCH_MAX_EXPANSION + 1);
    int step;
    while ((step = sqlite3_step(t->vocab)) == SQLITE_ROW && t->nexpansions < MAX_EXPANSIONS) {
        const char *term = (const char *)sqlite3_column_text(t->vocab, 0);
        size_t tl = (size_t)sqlite3_column_bytes(t->vocab, 0);
        if (!term || (tl == n && memcmp(term, stem, n) == 0) || memchr(term, '"', tl))
            continue;
        buf_puts(&t->out, " OR \"");
        buf_putc(&t->out, SEARCH_VERBATIM);
        buf_put(&t->out, term, tl);
        buf_putc(&t->out, '"');
        spec_add(t, -g);
        t->nexpansions++;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        t->rc = search_dberr(t->db, t->e, "reading the search vocabulary");
    sqlite3_reset(t->vocab);
    buf_free(&m);
}

/* Emits node nd; returns false when it holds no searchable token (punctuation only).
 * negated: nd is on the right of a NOT, so what it matches is never marked. */
static bool emit(struct tr *t, const struct node *nd, bool negated)
{
    if (t->rc)
        return false;
    if (nd->kind == N_WORD || nd->kind == N_PHRASE) {
        struct words w = {BUF_INIT, 0, 0};
        search_tokenize(t->ctx, nd->text, nd->len, !nd->prefix, add_tok, &w);
        if (w.n == 0) {
            buf_free(&w.toks);
            return false;
        }
        bool single = nd->kind == N_WORD && w.n == 1 && !nd->prefix;
        bool part = single && t->compounds && w.chars >= SEARCH_MIN_PART;
        if (t->hl && !negated)
            search_hl_add(t->hl, w.toks.ptr, w.toks.len, nd->prefix, part);
        if (part) {
            int g = ++t->ngroup;
            buf_putc(&t->out, '(');
            put_string(&t->out, w.toks.ptr, w.toks.len);
            spec_add(t, g);
            expand(t, w.toks.ptr + 1, w.toks.len - 1, g);
            buf_putc(&t->out, ')');
        } else {
            put_string(&t->out, w.toks.ptr, w.toks.len);
            if (nd->prefix)
                buf_puts(&t->out, " *");
            spec_add(t, single ? ++t->ngroup : 0);
        }
        buf_free(&w.toks);
        return true;
    }
    static const char *const op[] = {[N_AND] = " AND ", [N_OR] = " OR ", [N_NOT] = " NOT "};
    size_t mark = t->out.len;
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
        t->e->file = "query";
        err_set(t->e, ERR_SYNTAX, 1, nd->col, "expected a word before NOT");
        t->rc = ERR_SYNTAX;
        return false;
    }
    struct buf keep = BUF_INIT;
    if (a)
        buf_put(&keep, t->out.ptr + before_a, after_a - before_a);
    else if (b)
        buf_put(&keep, t->out.ptr + before_b, t->out.len - before_b);
    buf_truncate(&t->out, mark);
    buf_put(&t->out, keep.ptr ? keep.ptr : "", keep.len);
    buf_free(&keep);
    return a || b;
}

/* Parses and translates q into t->out / t->spec. */
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
        t->e->file = "query";
        err_set(t->e, ERR_SYNTAX, 1, 1, "expected a word to search for (found only punctuation)");
        return ERR_SYNTAX;
    }
    return 0;
}

static void tr_fini(struct tr *t)
{
    search_hl_free(t->hl);
    sqlite3_finalize(t->vocab);
    buf_free(&t->out);
    buf_free(&t->spec);
}

/* Makes the expression only match rows of body code `body`. */
static void add_body(struct tr *t, const char *body)
{
    struct buf marker = BUF_INIT, w = BUF_INIT;
    search_body_marker(t->ctx, body, &marker);
    buf_printf(&w, "(%s) AND \"%c", buf_cstr(&t->out), SEARCH_VERBATIM);
    buf_put(&w, marker.ptr, marker.len);
    buf_putc(&w, '"');
    buf_free(&t->out);
    t->out = w;
    buf_free(&marker);
}

int search_fts_expr(sqlite3 *db, const char *query, const char *body, bool compounds, char **expr,
                    struct err *e)
{
    struct tr t = {.db = db, .compounds = compounds, .e = e};
    t.ctx = search_ctx_get(db);
    if (!t.ctx) {
        err_set(e, ERR_DB, 0, 0, "the search tokenizer is not registered on this connection");
        return ERR_DB;
    }
    int rc = translate(&t, query);
    if (rc == 0 && body)
        add_body(&t, body);
    if (rc == 0)
        *expr = xstrdup(buf_cstr(&t.out));
    tr_fini(&t);
    return rc;
}

/* --- running it --------------------------------------------------------------------------- */

struct cand {
    double score;
    int64_t rowid;
};

/* a ranks before b */
static bool before(const struct cand *a, const struct cand *b)
{
    return a->score < b->score || (a->score == b->score && a->rowid < b->rowid);
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

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? xstrdup(s) : NULL;
}

static int fill_hit(sqlite3 *db, struct tr *t, sqlite3_stmt *get, sqlite3_stmt *title,
                    int64_t rowid, double score, struct search_hit *h, struct err *e)
{
    int part = search_part_of(rowid);
    h->case_id = search_case_of(rowid);
    h->subitem = search_subitem_of(rowid);
    h->score = score;
    h->closed = part != SEARCH_PART_OPEN;
    sqlite3_bind_int64(get, 1, rowid);
    int step = sqlite3_step(get);
    if (step == SQLITE_ROW) {
        const char *text[3];
        for (int i = 0; i < 3; i++)
            text[i] = (const char *)sqlite3_column_text(get, 2 + i);
        h->date = col_dup(get, 0);
        h->body = col_dup(get, 1);
        h->title = col_dup(get, 2);
        h->snippet = search_snippet(t->ctx, t->hl, text, SNIPPET_TOKENS);
    }
    sqlite3_reset(get);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return search_dberr(db, e, "searching");
    if (!h->snippet)
        h->snippet = xstrdup("");
    if (h->subitem == 0) {
        h->case_title = h->title ? xstrdup(h->title) : NULL;
        return 0;
    }
    /* The case row of the same part: a hit's part is one the audience may see. */
    int64_t lo = search_rowid(h->case_id, 0, 0, 0);
    sqlite3_bind_int64(title, 1, lo);
    sqlite3_bind_int64(title, 2, lo | (((int64_t)1 << SEARCH_SUB_SHIFT) - 1));
    sqlite3_bind_int(title, 3, part);
    step = sqlite3_step(title);
    if (step == SQLITE_ROW)
        h->case_title = col_dup(title, 0);
    sqlite3_reset(title);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return search_dberr(db, e, "searching");
    return 0;
}

int search_query(sqlite3 *db, const struct search_params *p, struct search_result *r, struct err *e)
{
    struct tr t = {.db = db, .compounds = true, .e = e};
    sqlite3_stmt *st = NULL, *get = NULL, *title = NULL, *date_st = NULL;
    struct top top = {0};
    struct buf to = BUF_INIT;
    int rc = 0;
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
    t.hl = search_hl_new();
    rc = translate(&t, p->query);
    if (rc < 0)
        goto done;
    if (p->body)
        add_body(&t, p->body);

    /* The highest rowid: referat_rank estimates a common phrase's idf from how far into the
     * rowid range its first matches reach (rank.c). A rowid table: O(log n). */
    int64_t max_rowid = 0;
    if (sqlite3_prepare_v2(db, "SELECT max(id) FROM search_word_content", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = search_dberr(db, e, "searching");
        goto done;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        max_rowid = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;

    /* Public: never the closed text (part 2); staff: never the public stubs (part 1).
     * Newest first (FTS5 walks its doclists backwards as cheaply as forwards), so that when
     * more than cap match, the ones ranked are the newest cases (case ids grow with import). */
    if (sqlite3_prepare_v2(db,
                           "SELECT rowid, referat_rank(search_word, ?2, ?4) FROM search_word "
                           "WHERE search_word MATCH ?1 AND (rowid & 3) <> ?3 "
                           "ORDER BY rowid DESC",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = search_dberr(db, e, "searching");
        goto done;
    }
    sqlite3_bind_text(st, 1, buf_cstr(&t.out), (int)t.out.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, buf_cstr(&t.spec), (int)t.spec.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, p->public_only ? SEARCH_PART_CLOSED : SEARCH_PART_STUB);
    sqlite3_bind_int64(st, 4, max_rowid);
    /* The date filter is checked here, once per case (its parts share the date, and come
     * together), on FTS5's content table: as a WHERE term SQLite would fetch every row. */
    if (p->from || p->to) {
        if (sqlite3_prepare_v2(db, "SELECT c0 FROM search_word_content WHERE id = ?1", -1, &date_st,
                               NULL) != SQLITE_OK) {
            rc = search_dberr(db, e, "searching");
            goto done;
        }
        /* "2023-12" must take in "2023-12-31": compare below anything that follows. */
        if (p->to)
            buf_printf(&to, "%s~", p->to);
    }

    top.k = p->offset + limit;
    top.v = xcalloc(top.k, sizeof *top.v);
    size_t total = 0, cap = p->cap ? p->cap : SEARCH_CAP;
    bool capped = false;
    struct cand group = {0, -1};
    int64_t date_case = -1;
    bool date_ok = true;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct cand c = {sqlite3_column_double(st, 1), sqlite3_column_int64(st, 0)};
        if (date_st && search_case_of(c.rowid) != date_case) {
            date_case = search_case_of(c.rowid);
            sqlite3_bind_int64(date_st, 1, c.rowid);
            int ds = sqlite3_step(date_st);
            const char *d = ds == SQLITE_ROW ? (const char *)sqlite3_column_text(date_st, 0) : NULL;
            date_ok = d && (!p->from || strcmp(d, p->from) >= 0) &&
                      (!p->to || strcmp(d, buf_cstr(&to)) <= 0);
            sqlite3_reset(date_st);
            if (ds != SQLITE_ROW && ds != SQLITE_DONE) {
                rc = search_dberr(db, e, "searching");
                goto done;
            }
        }
        if (!date_ok)
            continue;
        /* c is a match the audience may see: once cap are counted, it proves there are more. */
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
        if (group.rowid >= 0 && search_case_of(group.rowid) == search_case_of(c.rowid)) {
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
    if (!capped && step != SQLITE_DONE) {
        rc = search_dberr(db, e, "searching");
        goto done;
    }
    if (p->group == SEARCH_BY_CASE && group.rowid >= 0) {
        total++;
        top_push(&top, group);
    }
    qsort(top.v, top.n, sizeof *top.v, cmp_cand);
    r->total = total;
    r->total_capped = capped;

    if (top.n > p->offset) {
        /* A lookup by rowid, not the MATCH again (see snippet.c). */
        if (sqlite3_prepare_v2(db,
                               "SELECT date, body, title, decision, presentation FROM search_word "
                               "WHERE rowid = ?1",
                               -1, &get, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(db,
                               "SELECT title FROM search_word WHERE rowid BETWEEN ?1 AND ?2 "
                               "AND (rowid & 3) = ?3",
                               -1, &title, NULL) != SQLITE_OK) {
            rc = search_dberr(db, e, "searching");
            goto done;
        }
        r->hits = xcalloc(top.n - p->offset, sizeof *r->hits);
        for (size_t i = p->offset; i < top.n; i++) {
            rc = fill_hit(db, &t, get, title, top.v[i].rowid, top.v[i].score, &r->hits[r->nhits++],
                          e);
            if (rc < 0)
                goto done;
        }
    }
done:
    if (rc < 0)
        search_result_fini(r);
    sqlite3_finalize(st);
    sqlite3_finalize(get);
    sqlite3_finalize(title);
    sqlite3_finalize(date_st);
    tr_fini(&t);
    free(top.v);
    buf_free(&to);
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
    memset(r, 0, sizeof *r);
}
