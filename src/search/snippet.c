/* snippet: an HTML-escaped excerpt of a hit with <mark> around what the query matched. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * The snippet is made here from the hit's text and the query's positive terms, not by FTS5:
 * an auxiliary function would need the MATCH evaluated again for each hit, which costs as
 * much as the search itself for prefix queries and filters. The text is tokenized as the
 * index was; a token is matched when
 *   - its stem equals a query word's (a phrase: consecutive tokens, one per phrase word),
 *   - its folded form or stem starts with a prefix query's text, or
 *   - its stem contains the stem of a word that also finds compounds.
 * Snowball's Danish stemmer only removes endings, so a stem is a prefix of its folded word:
 * only tokens whose folded form could match are stemmed.
 *
 * The column with most matches is used, decision before presentation, the title only when
 * nothing else matched; then the window of ntokens tokens holding most matches. Text is
 * escaped with buf_html_text, runs of white space become one space, consecutive matched
 * tokens share one <mark>, and "…" marks a cut.
 */

struct pattern {
    char **stems; /* index tokens, one per phrase word */
    size_t n;
    bool prefix; /* the last one is a prefix */
    bool part;   /* one word that also matches inside compounds */
};

struct search_hl {
    struct pattern *v;
    size_t n;
};

struct search_hl *search_hl_new(void)
{
    return xcalloc(1, sizeof(struct search_hl));
}

void search_hl_free(struct search_hl *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        for (size_t k = 0; k < h->v[i].n; k++)
            free(h->v[i].stems[k]);
        free(h->v[i].stems);
    }
    free(h->v);
    free(h);
}

void search_hl_add(struct search_hl *h, const char *toks, size_t len, bool prefix, bool part)
{
    h->v = xrealloc(h->v, (h->n + 1) * sizeof *h->v);
    struct pattern *p = &h->v[h->n++];
    memset(p, 0, sizeof *p);
    p->prefix = prefix;
    for (size_t i = 0; i < len;) {
        while (i < len && toks[i] == SEARCH_VERBATIM)
            i++;
        size_t j = i;
        while (j < len && toks[j] != SEARCH_VERBATIM)
            j++;
        if (j > i) {
            p->stems = xrealloc(p->stems, (p->n + 1) * sizeof *p->stems);
            p->stems[p->n++] = xstrndup(toks + i, j - i);
        }
        i = j;
    }
    p->part = part && p->n == 1 && !prefix;
}

/* --- tokens of one column ----------------------------------------------------------------- */

struct tok {
    int start, end;  /* bytes in the text */
    int fold, nfold; /* folded form in cols.chars */
    int stem, nstem; /* stem in cols.chars once computed; nstem < 0 until then */
    bool marked;
};

struct column {
    struct tok *v;
    size_t n, cap;
    struct buf chars;
    int hits;
};

static int collect(void *ud, const char *tok, int len, int start, int end)
{
    struct column *c = ud;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (struct tok){start, end, (int)c->chars.len, len, 0, -1, false};
    buf_put(&c->chars, tok, (size_t)len);
    return 0;
}

static bool starts(const char *s, int n, const char *p)
{
    size_t pl = strlen(p);
    return (size_t)n >= pl && memcmp(s, p, pl) == 0;
}

static const char *stem_of(struct search_ctx *ctx, struct column *c, struct tok *t, int *n)
{
    if (t->nstem < 0) {
        int sn = 0;
        const char *s = search_stem(ctx, c->chars.ptr + t->fold, t->nfold, &sn);
        t->stem = (int)c->chars.len;
        t->nstem = sn;
        buf_put(&c->chars, s, (size_t)sn);
    }
    *n = t->nstem;
    return c->chars.ptr + t->stem;
}

static bool mem_has(const char *s, int n, const char *needle)
{
    size_t nl = strlen(needle);
    if (!nl || (size_t)n < nl)
        return false;
    for (int i = 0; (size_t)i + nl <= (size_t)n; i++)
        if (memcmp(s + i, needle, nl) == 0)
            return true;
    return false;
}

/* Does pattern word k match token t? */
static bool word_matches(struct search_ctx *ctx, struct column *c, struct tok *t,
                         const struct pattern *p, size_t k)
{
    const char *f = c->chars.ptr + t->fold;
    const char *w = p->stems[k];
    int sn;
    if (p->prefix && k == p->n - 1) {
        if (starts(f, t->nfold, w))
            return true;
        const char *s = stem_of(ctx, c, t, &sn);
        return starts(s, sn, w);
    }
    if (p->part) {
        if (!mem_has(f, t->nfold, w))
            return false;
        const char *s = stem_of(ctx, c, t, &sn);
        return mem_has(s, sn, w);
    }
    if (!starts(f, t->nfold, w))
        return false;
    const char *s = stem_of(ctx, c, t, &sn);
    return (size_t)sn == strlen(w) && memcmp(s, w, (size_t)sn) == 0;
}

static void mark(struct search_ctx *ctx, const struct search_hl *h, struct column *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < h->n; k++) {
            const struct pattern *p = &h->v[k];
            if (!p->n || i + p->n > c->n)
                continue;
            size_t j = 0;
            while (j < p->n && word_matches(ctx, c, &c->v[i + j], p, j))
                j++;
            if (j < p->n)
                continue;
            for (j = 0; j < p->n; j++)
                c->v[i + j].marked = true;
            c->hits++;
        }
    }
}

/* --- the excerpt -------------------------------------------------------------------------- */

/* Escaped text with white-space runs collapsed to one space. */
static void put_text(struct buf *b, const char *s, int n)
{
    int i = 0;
    while (i < n) {
        int j = i;
        while (j < n && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' && s[j] != '\r')
            j++;
        if (j > i)
            buf_html_text(b, s + i, (size_t)(j - i));
        if (j < n) {
            if (b->len && b->ptr[b->len - 1] != ' ')
                buf_putc(b, ' ');
            while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t' || s[j] == '\r'))
                j++;
        }
        i = j;
    }
}

static void excerpt(const char *text, int n, const struct column *c, int ntok, struct buf *out)
{
    /* The window: the start a little before a match that covers most matched tokens, moved
     * back when it would run past the end. */
    int best = 0, bestn = -1, lead = ntok / 4, total = (int)c->n;
    for (int i = 0; i < total; i++) {
        if (!c->v[i].marked || (i > 0 && c->v[i - 1].marked))
            continue;
        int s = i - lead < 0 ? 0 : i - lead, k = 0;
        for (int j = i; j < total && j < s + ntok; j++)
            k += c->v[j].marked;
        if (k > bestn) {
            bestn = k;
            best = s;
        }
    }
    if (best + ntok > total)
        best = total > ntok ? total - ntok : 0;
    int last = best + ntok < total ? best + ntok : total;
    int at = 0;
    if (best > 0) {
        buf_puts(out, "… ");
        at = c->v[best].start;
    }
    bool open = false;
    for (int i = best; i < last; i++) {
        const struct tok *t = &c->v[i];
        if (!t->marked && open) {
            buf_puts(out, "</mark>");
            open = false;
        }
        put_text(out, text + at, t->start - at);
        if (t->marked && !open) {
            buf_puts(out, "<mark>");
            open = true;
        }
        put_text(out, text + t->start, t->end - t->start);
        at = t->end;
    }
    if (open)
        buf_puts(out, "</mark>");
    if (last < total)
        buf_puts(out, " …");
    else
        put_text(out, text + at, n - at);
}

char *search_snippet(struct search_ctx *ctx, const struct search_hl *h, const char *const *text,
                     int ntok)
{
    /* text[0..2]: title, decision, presentation (NULL when empty) */
    struct column col[3];
    memset(col, 0, sizeof col);
    for (int i = 0; i < 3; i++) {
        if (!text[i])
            continue;
        search_tokenize(ctx, text[i], (int)strlen(text[i]), false, collect, &col[i]);
        mark(ctx, h, &col[i]);
    }
    int pick;
    if (col[1].hits || col[2].hits)
        pick = col[1].hits >= col[2].hits ? 1 : 2;
    else if (col[0].hits)
        pick = 0;
    else
        pick = text[2] ? 2 : text[1] ? 1 : 0;
    struct buf out = BUF_INIT;
    if (text[pick])
        excerpt(text[pick], (int)strlen(text[pick]), &col[pick], ntok, &out);
    for (int i = 0; i < 3; i++) {
        free(col[i].v);
        buf_free(&col[i].chars);
    }
    /* Trim what a leading or trailing white-space run left. */
    size_t len = out.len, from = 0;
    while (len && out.ptr[len - 1] == ' ')
        len--;
    while (from < len && out.ptr[from] == ' ')
        from++;
    char *s = xstrndup(out.ptr ? out.ptr + from : "", len - from);
    buf_free(&out);
    return s;
}
