/* read_meeting_pdf: whole-meeting documents as PDF: poppler-glib gives each page's text with
 * its position; running headers and footers are dropped, words broken across lines are
 * joined, and larger gaps become blank lines for the meeting grammar. */
#include "format.h"
#include "mtext.h"

#include <libxml/hash.h>
#include <poppler.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Bounds on the work one document may cause, far above any minutes. */
enum { MAXPAGES = 3000, MAXTEXT = 32 << 20 };

struct pline {
    char *s;
    size_t n;
    double top, height;
    bool bold;
    unsigned page, no;
    bool drop;
};

struct lines {
    struct pline *v;
    size_t n, cap;
};

static void add(struct lines *L, struct pline l)
{
    if (L->n == L->cap)
        L->v = xrealloc(L->v, (L->cap = L->cap ? 2 * L->cap : 256) * sizeof *L->v);
    L->v[L->n++] = l;
}

/* How often a masked band line was seen: on how many pages, and the last one. */
struct seen {
    unsigned page, pages;
};

static void free_seen(void *v, const xmlChar *name)
{
    (void)name;
    free(v);
}

/* The text with its digits as '#': running headers differ only in their page numbers. */
static char *masked(const char *s, size_t n)
{
    char *m = xstrndup(s, n);
    for (size_t i = 0; i < n; i++)
        if (m[i] >= '0' && m[i] <= '9')
            m[i] = '#';
    return m;
}

/* "Side 3 af 7", "3 af 7", "3/7", "- 3 -", "3": a page number; *of gets the total. */
static bool page_number(const char *s, size_t n, unsigned *of)
{
    size_t i = 0;
    *of = 0;
    /* "Referat - side 3 af 7": a running title before the number is part of the footer. */
    for (size_t k = 0; k + 5 <= n; k++)
        if (strncasecmp(s + k, "side ", 5) == 0 && (k == 0 || s[k - 1] == ' '))
            i = k;
    while (i < n && (s[i] == ' ' || s[i] == '-'))
        i++;
    if (n - i >= 5 && strncasecmp(s + i, "side ", 5) == 0)
        i += 5;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    while (i < n && s[i] == ' ')
        i++;
    if (i + 3 <= n && strncmp(s + i, "af ", 3) == 0)
        i += 3;
    else if (i < n && s[i] == '/')
        i++;
    unsigned total = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && total < 100000)
        total = total * 10 + (unsigned)(s[i++] - '0');
    while (i < n && (s[i] == ' ' || s[i] == '-'))
        i++;
    *of = total;
    return i == n;
}

static bool lower_at(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    return (c >= 'a' && c <= 'z') ||
           (n >= 2 && c == 0xC3 && (unsigned char)s[1] >= 0x9F && (unsigned char)s[1] <= 0xBF);
}

/* A page's lines, from the characters and their boxes. */
static void read_page(PopplerPage *pg, unsigned no, struct lines *L, size_t *total)
{
    char *text = poppler_page_get_text(pg);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (!text || !poppler_page_get_text_layout(pg, &rects, &nrects)) {
        g_free(text);
        g_free(rects);
        return;
    }
    GList *attrs = poppler_page_get_text_attributes(pg);
    size_t len = strlen(text);
    if (*total + len > MAXTEXT)
        len = *total < MAXTEXT ? MAXTEXT - *total : 0;
    *total += len;
    unsigned lineno = 0;
    size_t ci = 0; /* character index, for rects and attributes */
    for (size_t a = 0; a < len;) {
        size_t b = a;
        while (b < len && text[b] != '\n')
            b++;
        size_t first = ci, nchars = 0;
        for (size_t k = a; k < b; k++)
            if (((unsigned char)text[k] & 0xC0) != 0x80)
                nchars++;
        struct pline l = {.s = xstrndup(text + a, b - a), .n = b - a, .page = no,
                          .no = ++lineno};
        if (first < nrects) {
            l.top = rects[first].y1;
            l.height = rects[first].y2 - rects[first].y1;
        }
        /* Bold when the attributes of the line's first character name a bold font. */
        for (GList *g = attrs; g; g = g->next) {
            PopplerTextAttributes *ta = g->data;
            if ((size_t)ta->start_index <= first && (size_t)ta->end_index >= first) {
                l.bold = ta->font_name && (strstr(ta->font_name, "Bold") ||
                                           strstr(ta->font_name, "bold"));
                break;
            }
        }
        add(L, l);
        ci += nchars + 1; /* the newline has a box too */
        a = b + 1;
    }
    poppler_page_free_text_attributes(attrs);
    g_free(rects);
    g_free(text);
}

static int lines(const char *p, size_t n, int flags, struct mtext *out, struct err *e,
                 struct warnings *w)
{
    (void)flags, (void)w;
    GError *ge = NULL;
    GBytes *bytes = g_bytes_new_static(p, n);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &ge);
    int rc = 0;
    if (!doc) {
        bool enc = ge && ge->domain == POPPLER_ERROR && ge->code == POPPLER_ERROR_ENCRYPTED;
        err_set(e, ERR_SYNTAX, 1, 1,
                enc ? "the PDF is encrypted: no text to read (save it without a password)"
                    : "the PDF is damaged or not a PDF: no text to read");
        g_clear_error(&ge);
        g_bytes_unref(bytes);
        return ERR_SYNTAX;
    }
    int npages = poppler_document_get_n_pages(doc);
    if (npages > MAXPAGES) {
        err_set(e, ERR_LIMIT, 1, 1, "expected at most %d pages, found %d", MAXPAGES, npages);
        g_object_unref(doc);
        g_bytes_unref(bytes);
        return ERR_LIMIT;
    }
    struct lines L = {0};
    size_t total = 0;
    double height = 842;
    for (int i = 0; i < npages; i++) {
        PopplerPage *pg = poppler_document_get_page(doc, i);
        if (!pg)
            continue;
        double pw, ph;
        poppler_page_get_size(pg, &pw, &ph);
        if (ph > 0)
            height = ph;
        read_page(pg, (unsigned)i + 1, &L, &total);
        g_object_unref(pg);
    }
    out->pages = (unsigned)npages;
    /* Running headers and footers: lines in the top or bottom band of a page that are page
     * numbers, or that come back on other pages (digits aside). */
    size_t content = 0;
    xmlHashTablePtr seen = xmlHashCreate(64);
    for (size_t i = 0; i < L.n; i++) {
        struct pline *l = &L.v[i];
        bool band = l->top < height * 0.08 || l->top > height * 0.92;
        unsigned of;
        if (band && page_number(l->s, l->n, &of)) {
            l->drop = true;
            if (of > out->declared)
                out->declared = of;
            continue;
        }
        if (!band || npages < 2)
            continue;
        char *m = masked(l->s, l->n);
        struct seen *v = xmlHashLookup(seen, (const xmlChar *)m);
        if (!v) {
            v = xcalloc(1, sizeof *v);
            if (xmlHashAddEntry(seen, (const xmlChar *)m, v) != 0)
                free(v), v = NULL;
        }
        if (v && v->page != l->page) {
            v->page = l->page;
            v->pages++;
        }
        free(m);
    }
    for (size_t i = 0; i < L.n; i++) {
        struct pline *l = &L.v[i];
        if (l->drop || !(l->top < height * 0.08 || l->top > height * 0.92) || npages < 2)
            continue;
        char *m = masked(l->s, l->n);
        struct seen *v = xmlHashLookup(seen, (const xmlChar *)m);
        free(m);
        if (v && v->pages >= 2) {
            l->drop = true;
            /* "Referat - side 3 af 7" in a running footer names the count too. */
            const char *af = strstr(l->s, " af ");
            if (af) {
                unsigned t = (unsigned)strtoul(af + 4, NULL, 10);
                if (t > out->declared && t < 100000)
                    out->declared = t;
            }
        }
    }
    xmlHashFree(seen, free_seen);
    /* Words broken across lines ("beslut-" / "ningen"), then the lines with blank lines
     * where the gap is larger than a line. */
    struct pline *prev = NULL;
    for (size_t i = 0; i < L.n; i++) {
        struct pline *l = &L.v[i];
        if (l->drop)
            continue;
        if (l->n && l->s[strspn(l->s, " ")])
            content++;
        if (prev && prev->n >= 2 && prev->s[prev->n - 1] == '-' && prev->s[prev->n - 2] != ' ' &&
            l->n && lower_at(l->s, l->n)) {
            static const char *const joins[] = {"og ", "eller ", "samt ", "til ", NULL};
            bool keep = false;
            for (const char *const *j = joins; *j && !keep; j++)
                keep = strncmp(l->s, *j, strlen(*j)) == 0;
            if (!keep) {
                struct buf b = BUF_INIT;
                buf_put(&b, prev->s, prev->n - 1);
                buf_put(&b, l->s, l->n);
                free(prev->s);
                prev->n = b.len;
                prev->s = buf_detach(&b);
                l->drop = true;
                continue;
            }
        }
        prev = l;
    }
    if (content == 0) {
        err_set(e, ERR_SYNTAX, 1, 1, "the PDF holds no text (only images?): no text to read");
        rc = ERR_SYNTAX;
    }
    prev = NULL;
    for (size_t i = 0; rc == 0 && i < L.n; i++) {
        struct pline *l = &L.v[i];
        if (l->drop)
            continue;
        if (prev && (l->page != prev->page ||
                     l->top - prev->top > (prev->height > 0 ? prev->height : 12) * 1.7))
            mtext_add(out, "", 0, l->no, l->page, 0);
        bool head = l->bold && l->n <= 90;
        mtext_add(out, l->s, l->n, l->no, l->page, head ? ML_HEADING : 0);
        prev = l;
    }
    for (size_t i = 0; i < L.n; i++)
        free(L.v[i].s);
    free(L.v);
    g_object_unref(doc);
    g_bytes_unref(bytes);
    return rc;
}

static int sniff(const char *p, size_t n)
{
    return n >= 5 && memcmp(p, "%PDF-", 5) == 0 ? 100 : 0;
}

const struct fmt_meeting_reader fmt_read_meeting_pdf = {"meeting-pdf", sniff, lines, 1};
