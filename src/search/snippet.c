/* snippet: referat_snippet, an HTML-escaped excerpt of a hit with <mark> around the matches. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

/*
 * referat_snippet(search_word, nphrase, ntokens) picks the text column with most matches of
 * the first nphrase phrases (the user's words; later phrases are filters), decision before
 * presentation, and the title only when nothing else matched; then the window of ntokens
 * tokens holding most matches. Text is escaped with buf_html_text, runs of white space
 * become one space, consecutive matched tokens share one <mark>, and "…" marks a cut.
 */

#define MAX_INST 4096

struct span {
    int off, len;
};

struct tokpos {
    int from, to; /* window of token positions */
    int pos;      /* next position */
    int *start, *end;
    bool more; /* tokens continue after the window */
};

static int on_token(void *p, int tflags, const char *tok, int n, int start, int end)
{
    struct tokpos *t = p;
    (void)tok;
    (void)n;
    if (tflags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (t->pos >= t->to) {
        t->more = true;
        return SQLITE_DONE;
    }
    if (t->pos >= t->from) {
        t->start[t->pos - t->from] = start;
        t->end[t->pos - t->from] = end;
    }
    t->pos++;
    return SQLITE_OK;
}

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

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->off != y->off ? (x->off > y->off) - (x->off < y->off) : 0;
}

static int pick_column(const int *count, const Fts5ExtensionApi *api, Fts5Context *fts)
{
    if (count[COL_DECISION] || count[COL_PRESENTATION])
        return count[COL_DECISION] >= count[COL_PRESENTATION] ? COL_DECISION : COL_PRESENTATION;
    if (count[COL_TITLE])
        return COL_TITLE;
    static const int order[] = {COL_PRESENTATION, COL_DECISION, COL_TITLE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *t = NULL;
        int n = 0;
        if (api->xColumnText(fts, order[i], &t, &n) == SQLITE_OK && n > 0)
            return order[i];
    }
    return COL_TITLE;
}

static void referat_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *sc,
                            int argc, sqlite3_value **argv)
{
    int nuser = argc > 0 ? sqlite3_value_int(argv[0]) : 0;
    int ntok = argc > 1 ? sqlite3_value_int(argv[1]) : 24;
    if (ntok < 4)
        ntok = 4;
    if (ntok > 200)
        ntok = 200;
    struct span *inst = NULL;
    struct tokpos tp = {0};
    struct buf out = BUF_INIT;
    int count[NCOLS] = {0};
    int ninst = 0, nspan = 0, rc;

    rc = api->xInstCount(fts, &ninst);
    if (rc != SQLITE_OK)
        goto done;
    if (ninst > MAX_INST)
        ninst = MAX_INST;
    inst = xcalloc((size_t)ninst + 1, sizeof *inst);
    int *icol = xcalloc((size_t)ninst + 1, sizeof *icol);
    for (int i = 0; i < ninst; i++) {
        int ip, ic, io;
        icol[i] = -1;
        if (api->xInst(fts, i, &ip, &ic, &io) != SQLITE_OK || ip >= nuser || ic < 0 ||
            ic >= NCOLS)
            continue;
        count[ic]++;
        icol[i] = ic;
        inst[i].off = io;
        inst[i].len = api->xPhraseSize(fts, ip);
    }
    int col = pick_column(count, api, fts);
    for (int i = 0; i < ninst; i++)
        if (icol[i] == col)
            inst[nspan++] = inst[i];
    free(icol);
    qsort(inst, (size_t)nspan, sizeof *inst, cmp_span);

    /* The window: the start (a little before a match) that covers most matches. */
    int best = 0, bestn = -1, lead = ntok / 4;
    for (int i = 0; i < nspan; i++) {
        int s = inst[i].off - lead < 0 ? 0 : inst[i].off - lead, k = 0;
        for (int j = i; j < nspan && inst[j].off < s + ntok; j++)
            k++;
        if (k > bestn) {
            bestn = k;
            best = s;
        }
    }

    /* Near the end, show the last ntok tokens rather than fewer. */
    int colsize = 0;
    if (api->xColumnSize(fts, col, &colsize) == SQLITE_OK && best + ntok > colsize)
        best = colsize > ntok ? colsize - ntok : 0;
    const char *text = NULL;
    int n = 0;
    rc = api->xColumnText(fts, col, &text, &n);
    if (rc != SQLITE_OK || !text)
        goto done;
    tp.from = best;
    tp.to = best + ntok;
    tp.start = xcalloc((size_t)ntok, sizeof *tp.start);
    tp.end = xcalloc((size_t)ntok, sizeof *tp.end);
    rc = api->xTokenize(fts, text, n, &tp, on_token);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    if (rc != SQLITE_OK)
        goto done;
    int ntaken = tp.pos - tp.from;
    if (ntaken <= 0) {
        put_text(&out, text, n);
        goto done;
    }
    int at = 0;
    if (best > 0) {
        buf_puts(&out, "… ");
        at = tp.start[0];
    }
    bool open = false;
    for (int i = 0; i < ntaken; i++) {
        int p = best + i;
        bool marked = false;
        for (int j = 0; j < nspan && inst[j].off <= p; j++)
            if (p < inst[j].off + inst[j].len)
                marked = true;
        if (!marked && open) {
            buf_puts(&out, "</mark>");
            open = false;
        }
        put_text(&out, text + at, tp.start[i] - at);
        if (marked && !open) {
            buf_puts(&out, "<mark>");
            open = true;
        }
        put_text(&out, text + tp.start[i], tp.end[i] - tp.start[i]);
        at = tp.end[i];
    }
    if (open)
        buf_puts(&out, "</mark>");
    if (tp.more) {
        buf_puts(&out, " …");
    } else {
        put_text(&out, text + at, n - at);
    }
done:
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(sc, rc);
    } else {
        /* Trim the space a leading or trailing white-space run left. */
        const char *s = buf_cstr(&out);
        size_t len = out.len;
        while (len && s[len - 1] == ' ')
            len--;
        while (len && *s == ' ')
            s++, len--;
        sqlite3_result_text(sc, s, (int)len, SQLITE_TRANSIENT);
    }
    free(inst);
    free(tp.start);
    free(tp.end);
    buf_free(&out);
}

int search_snippet_register(fts5_api *api)
{
    return api->xCreateFunction(api, "referat_snippet", NULL, referat_snippet, NULL);
}
