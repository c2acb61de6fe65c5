/* meeting_pdf: a meeting's agenda or minutes as one PDF: front page, table of contents,
 * every item, then the open bilag that are PDFs, page by page (poppler-glib). */
#include "pdf.h"

#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pages of bilag appended at most, over the whole document (a bound on time and size; the
 * rest are noted, and the portal still serves every file). */
#define MAX_BILAG_PAGES 2000

/* A bilag as the document treats it: opened once, for both passes. */
struct bilag {
    const struct pdf_bilag *b;
    size_t item;
    PopplerDocument *doc; /* NULL: noted instead */
    int npages;           /* appended (may be fewer than the file's when past the bound) */
    const char *why;      /* the note when doc is NULL */
    unsigned first_page;  /* where its pages begin (the first pass's count) */
    char dest[48];
};

struct ctx {
    const struct pdf_meeting *m;
    struct bilag *v;
    size_t n;
    size_t cur; /* the item being written, for bilag_note */
};

/* Marks: 0 the table of contents; 1 + i item i; 1 + nitems + k bilag k. */

static const char *bilag_note(void *arg, unsigned number, char *tmp, size_t ntmp)
{
    struct ctx *x = arg;
    for (size_t k = 0; k < x->n; k++) {
        struct bilag *g = &x->v[k];
        if (g->item != x->cur || g->b->number != number)
            continue;
        if (!g->doc)
            return g->why;
        /* The counting pass writes a number at least as wide, so the line wraps alike. */
        snprintf(tmp, ntmp, "vedlagt fra side %u", g->first_page ? g->first_page : 9999);
        return tmp;
    }
    return NULL;
}

static void draw_page(void *cr, void *arg)
{
    poppler_page_render_for_printing(arg, cr);
}

static void front(struct pdf *p, const struct pdf_meeting *m)
{
    char date[16];
    pdf_date(date, m->date);
    pdf_space(p, 120);
    pdf_text(p, PDF_H2, 0, m->municipality ? m->municipality : "");
    pdf_text(p, PDF_TITLE, 0, m->body ? m->body : "");
    pdf_space(p, 12);
    pdf_text(p, PDF_H1, 0, m->minutes ? "Referat" : "Dagsorden");
    struct buf b = BUF_INIT;
    buf_printf(&b, "Møde den %s", date);
    if (m->start) {
        buf_printf(&b, " kl. %s", m->start);
        if (m->end)
            buf_printf(&b, "–%s", m->end);
    }
    pdf_text(p, PDF_H3, 0, buf_cstr(&b));
    buf_free(&b);
    if (m->place) {
        struct buf pl = BUF_INIT;
        buf_printf(&pl, "Sted: %s", m->place);
        pdf_text(p, PDF_BODY, 0, buf_cstr(&pl));
        buf_free(&pl);
    }
    pdf_text(p, PDF_BODY, 0, m->status);
    struct buf c = BUF_INIT;
    buf_printf(&c, "%zu %s på dagsordenen", m->nitems, m->nitems == 1 ? "sag" : "sager");
    pdf_text(p, PDF_BODY, 0, buf_cstr(&c));
    buf_free(&c);
    if (m->minutes && m->attendance) {
        pdf_space(p, 12);
        pdf_text(p, PDF_H3, 0, "Fremmøde");
        pdf_text(p, PDF_BODY, 0, m->attendance);
    }
}

#define STANDING_TITLE "Stående punkt: Opfølgning på tidligere beslutninger"

static void draw(struct pdf *p, void *arg)
{
    struct ctx *x = arg;
    const struct pdf_meeting *m = x->m;
    char date[16], dest[48];
    pdf_date(date, m->date);
    pdf_dest(p, "forside");
    struct buf t = BUF_INIT;
    buf_printf(&t, "%s %s", m->minutes ? "Referat" : "Dagsorden", date);
    int top = pdf_outline(p, 0, buf_cstr(&t), "forside", true);
    buf_free(&t);
    front(p, m);

    pdf_page_break(p);
    pdf_mark(p, 0);
    pdf_dest(p, "indhold");
    pdf_outline(p, top, "Indhold", "indhold", false);
    pdf_text(p, PDF_H1, 0, "Indhold");
    pdf_space(p, 6);
    for (size_t i = 0; i < m->nitems; i++) {
        const struct case_doc *c = m->items[i].c;
        struct buf l = BUF_INIT;
        buf_printf(&l, "%zu. %s%s", i + 1, c->title && *c->title ? c->title : "(uden titel)",
                   c->public ? "" : " (lukket)");
        snprintf(dest, sizeof dest, "sag-%zu", i + 1);
        pdf_toc_line(p, 0, buf_cstr(&l), pdf_mark_page(p, 1 + i), dest);
        buf_free(&l);
    }
    /* issue 10: the standing item's mark follows the bilag's */
    size_t standing_mark = 1 + m->nitems + x->n;
    bool standing = !m->minutes && m->standing;
    if (standing)
        pdf_toc_line(p, 0, STANDING_TITLE, pdf_mark_page(p, standing_mark), "staaende");
    if (x->n) {
        pdf_space(p, 8);
        pdf_text(p, PDF_BOLD, 0, "Bilag");
        for (size_t k = 0; k < x->n; k++) {
            const struct bilag *g = &x->v[k];
            if (!g->doc)
                continue;
            struct buf l = BUF_INIT;
            buf_printf(&l, "Sag %zu, bilag %u: %s", g->item + 1, g->b->number,
                       g->b->title ? g->b->title : "");
            pdf_toc_line(p, 12, buf_cstr(&l), pdf_mark_page(p, 1 + m->nitems + k), g->dest);
            buf_free(&l);
        }
    }

    pdf_page_break(p);
    for (size_t i = 0; i < m->nitems; i++) {
        const struct pdf_item *it = &m->items[i];
        snprintf(dest, sizeof dest, "sag-%zu", i + 1);
        struct buf url = BUF_INIT;
        if (m->base && it->id)
            buf_printf(&url, "%s/sag/%lld", m->base, (long long)it->id);
        /* The bilag notes name the page their first page falls on (the first pass's). */
        for (size_t k = 0; k < x->n; k++)
            if (x->v[k].item == i && x->v[k].doc)
                x->v[k].first_page = pdf_mark_page(p, 1 + m->nitems + k);
        x->cur = i;
        pdf_need(p, 120);
        pdf_mark(p, 1 + i);
        struct pdf_case_opts o = {.number = (unsigned)(i + 1),
                                  .dest = dest,
                                  .outline_parent = top,
                                  .minutes = m->minutes,
                                  .url = url.len ? buf_cstr(&url) : NULL,
                                  .bilag_note = bilag_note,
                                  .arg = x};
        pdf_case(p, it->c, &o);
        buf_free(&url);
    }
    if (standing) {
        pdf_need(p, 120);
        pdf_space(p, 18);
        pdf_mark(p, standing_mark);
        pdf_dest(p, "staaende");
        pdf_outline(p, top, STANDING_TITLE, "staaende", false);
        pdf_text(p, PDF_H2, 0, STANDING_TITLE);
        pdf_space(p, 6);
        pdf_text(p, PDF_BODY, 0, m->standing);
    }

    int parent = 0;
    for (size_t k = 0; k < x->n; k++) {
        struct bilag *g = &x->v[k];
        if (!g->doc)
            continue;
        struct buf title = BUF_INIT;
        buf_printf(&title, "Bilag %u til sag %zu: %s", g->b->number, g->item + 1,
                   g->b->title ? g->b->title : "");
        for (int pg = 0; pg < g->npages; pg++) {
            PopplerPage *page = poppler_document_get_page(g->doc, pg);
            if (!page)
                continue;
            double w, h;
            poppler_page_get_size(page, &w, &h);
            if (w < 10 || h < 10 || w > 14400 || h > 14400)
                w = PDF_W, h = PDF_H;
            if (pg == 0) {
                /* The destination sits on the bilag's first page (pdf_foreign_page opens it). */
                if (!pdf_fresh(p))
                    pdf_page_break(p);
                pdf_mark(p, 1 + m->nitems + k);
                if (!parent)
                    parent = pdf_outline(p, top, "Bilag", g->dest, false);
                pdf_dest(p, g->dest);
                pdf_outline(p, parent, buf_cstr(&title), g->dest, false);
            }
            char stamp[200];
            snprintf(stamp, sizeof stamp, "%s — side %d af %d", buf_cstr(&title), pg + 1,
                     g->npages);
            pdf_foreign_page(p, w, h, draw_page, page, stamp);
            g_object_unref(page);
        }
        buf_free(&title);
    }
}

int pdf_meeting_write(const struct pdf_meeting *m, struct buf *out, struct err *e)
{
    struct ctx x = {.m = m};
    size_t cap = 0;
    int budget = MAX_BILAG_PAGES;
    for (size_t i = 0; i < m->nitems; i++) {
        const struct pdf_item *it = &m->items[i];
        for (size_t k = 0; k < it->nbilag; k++) {
            if (x.n == cap) {
                cap = cap ? 2 * cap : 8;
                x.v = xrealloc(x.v, cap * sizeof *x.v);
            }
            struct bilag *g = &x.v[x.n++];
            memset(g, 0, sizeof *g);
            g->b = &it->bilag[k];
            g->item = i;
            snprintf(g->dest, sizeof g->dest, "bilag-%zu-%u", i + 1, g->b->number);
            if (!g->b->bytes || !g->b->len) {
                g->why = "ingen fil er gemt";
                continue;
            }
            if (g->b->len < 5 || memcmp(g->b->bytes, "%PDF-", 5) != 0) {
                g->why = "ikke en PDF; filen kan hentes på portalen";
                continue;
            }
            GBytes *bytes = g_bytes_new_static(g->b->bytes, g->b->len);
            GError *ge = NULL;
            g->doc = poppler_document_new_from_bytes(bytes, NULL, &ge);
            g_bytes_unref(bytes);
            if (ge)
                g_error_free(ge);
            if (!g->doc || poppler_document_get_n_pages(g->doc) < 1) {
                if (g->doc)
                    g_object_unref(g->doc);
                g->doc = NULL;
                g->why = "filen er ikke en gyldig PDF og er ikke vedlagt; den kan hentes på "
                         "portalen";
                continue;
            }
            g->npages = poppler_document_get_n_pages(g->doc);
            if (g->npages > budget) {
                g->npages = budget;
            }
            budget -= g->npages;
            if (g->npages == 0) {
                g_object_unref(g->doc);
                g->doc = NULL;
                g->why = "ikke vedlagt (dokumentet har allerede det største antal sider)";
            }
        }
    }
    char date[16];
    pdf_date(date, m->date);
    struct buf title = BUF_INIT, head = BUF_INIT;
    buf_printf(&title, "%s: %s %s", m->body ? m->body : "", m->minutes ? "referat" : "dagsorden",
               date);
    buf_printf(&head, "%s%s%s · %s %s", m->municipality ? m->municipality : "",
               m->municipality ? " · " : "", m->body ? m->body : "",
               m->minutes ? "Referat" : "Dagsorden", date);
    int rc = pdf_render(out, buf_cstr(&title), m->municipality, buf_cstr(&head), draw, &x, e);
    buf_free(&title);
    buf_free(&head);
    for (size_t k = 0; k < x.n; k++)
        if (x.v[k].doc)
            g_object_unref(x.v[k].doc);
    free(x.v);
    return rc;
}
