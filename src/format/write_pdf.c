/* write_pdf: the PDF engine (cairo's PDF surface, pango for selectable text that paginates,
 * bookmarks, links, two passes for page numbers) and one case as PDF (the writer `pdf`). */
#include "format.h"
#include "pdf.h"
#include "../model/sdg.h"
#include "../util/clock.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOTTOM (PDF_H - PDF_MARGIN - 18.0) /* the footer lives below */
#define WIDTH (PDF_W - 2 * PDF_MARGIN)

/* The fonts: DejaVu (fonts-dejavu-core) has every Danish letter; fontconfig falls back. */
static const char *const font_names[PDF_NSTYLES] = {
    [PDF_BODY] = "DejaVu Sans 10",       [PDF_BOLD] = "DejaVu Sans Bold 10",
    [PDF_SMALL] = "DejaVu Sans 8",       [PDF_H3] = "DejaVu Sans Bold 11",
    [PDF_H2] = "DejaVu Sans Bold 13",    [PDF_H1] = "DejaVu Sans Bold 16",
    [PDF_TITLE] = "DejaVu Sans Bold 26",
};

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoLayout *layout;
    PangoLayout *aux; /* the footer's: a page break inside a paragraph must not touch layout */
    PangoFontDescription *font[PDF_NSTYLES];
    double y;
    unsigned page;  /* the current page, from 1 */
    bool first;     /* the counting pass */
    bool fresh;     /* nothing drawn on the current page yet */
    bool foreign;   /* the current page is a bilag's (no footer of ours) */
    unsigned total; /* pages of the first pass (0 in it) */
    const char *head;
    unsigned *marks, *prev;
    size_t nmarks, nprev;
};

static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int len)
{
    if (closure)
        buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

bool pdf_first_pass(const struct pdf *p)
{
    return p->first;
}

bool pdf_fresh(const struct pdf *p)
{
    return p->fresh;
}

unsigned pdf_page(const struct pdf *p)
{
    return p->page;
}

void pdf_date(char out[16], const char *iso)
{
    int y, m, d;
    if (iso && strlen(iso) == 10 && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
        snprintf(out, 16, "%02d-%02d-%04d", d % 100, m % 100, y % 10000);
    else
        snprintf(out, 16, "%s", iso ? iso : "");
}

static void set_style(struct pdf *p, enum pdf_style st, double width)
{
    pango_layout_set_font_description(p->layout, p->font[st]);
    pango_layout_set_width(p->layout, (int)(width * PANGO_SCALE));
    pango_layout_set_alignment(p->layout, PANGO_ALIGN_LEFT);
}

static void footer(struct pdf *p)
{
    if (p->first || p->foreign)
        return;
    char num[48];
    if (p->total)
        snprintf(num, sizeof num, "Side %u af %u", p->page, p->total);
    else
        snprintf(num, sizeof num, "Side %u", p->page);
    PangoLayout *l = p->aux;
    pango_layout_set_font_description(l, p->font[PDF_SMALL]);
    pango_layout_set_width(l, (int)(WIDTH * PANGO_SCALE));
    cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
    pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, p->head ? p->head : "", -1);
    cairo_move_to(p->cr, PDF_MARGIN, PDF_H - PDF_MARGIN);
    pango_cairo_show_layout(p->cr, l);
    pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    pango_layout_set_text(l, num, -1);
    cairo_move_to(p->cr, PDF_MARGIN, PDF_H - PDF_MARGIN);
    pango_cairo_show_layout(p->cr, l);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
}

void pdf_page_break(struct pdf *p)
{
    footer(p);
    cairo_show_page(p->cr);
    cairo_pdf_surface_set_size(p->surface, PDF_W, PDF_H);
    p->page++;
    p->y = PDF_MARGIN;
    p->fresh = true;
    p->foreign = false;
}

void pdf_need(struct pdf *p, double pt)
{
    if (!p->fresh && p->y + pt > BOTTOM)
        pdf_page_break(p);
}

void pdf_space(struct pdf *p, double pt)
{
    if (!p->fresh)
        p->y += pt;
}

/* Lays out one paragraph and draws it line by line, breaking pages between lines. */
static void paragraph(struct pdf *p, enum pdf_style st, double indent, const char *s, size_t n)
{
    set_style(p, st, WIDTH - indent);
    pango_layout_set_text(p->layout, s, (int)n);
    PangoLayoutIter *it = pango_layout_get_iter(p->layout);
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double h = (double)r.height / PANGO_SCALE;
        double base = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
        if (!p->fresh && p->y + h > BOTTOM)
            pdf_page_break(p);
        if (!p->first) { /* the counting pass only measures */
            cairo_move_to(p->cr, PDF_MARGIN + indent + (double)r.x / PANGO_SCALE, p->y + base);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        p->y += h;
        p->fresh = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

void pdf_text(struct pdf *p, enum pdf_style st, double indent, const char *text)
{
    if (!text)
        return;
    const char *s = text;
    for (;;) {
        const char *e = strstr(s, "\n\n");
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n)
            paragraph(p, st, indent, s, n);
        if (!e)
            break;
        pdf_space(p, 4);
        s = e + 2;
    }
    pdf_space(p, 4);
}

void pdf_dest(struct pdf *p, const char *name)
{
    char attr[160];
    snprintf(attr, sizeof attr, "name='%s' x=0 y=%.1f", name, p->y > 10 ? p->y - 10 : 0);
    cairo_tag_begin(p->cr, CAIRO_TAG_DEST, attr);
    cairo_tag_end(p->cr, CAIRO_TAG_DEST);
}

int pdf_outline(struct pdf *p, int parent, const char *text, const char *dest, bool open)
{
    char attr[160];
    snprintf(attr, sizeof attr, "dest='%s'", dest);
    return cairo_pdf_surface_add_outline(p->surface, parent, text, attr,
                                         open ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
}

void pdf_mark(struct pdf *p, size_t k)
{
    if (k >= p->nmarks) {
        p->marks = xrealloc(p->marks, (k + 1) * sizeof *p->marks);
        memset(p->marks + p->nmarks, 0, (k + 1 - p->nmarks) * sizeof *p->marks);
        p->nmarks = k + 1;
    }
    p->marks[k] = p->page;
}

unsigned pdf_mark_page(const struct pdf *p, size_t k)
{
    return k < p->nprev ? p->prev[k] : 0;
}

void pdf_toc_line(struct pdf *p, double indent, const char *text, unsigned page, const char *dest)
{
    char attr[160], num[16];
    snprintf(attr, sizeof attr, "dest='%s'", dest);
    snprintf(num, sizeof num, "%u", page);
    set_style(p, PDF_BODY, WIDTH - indent - 40);
    pango_layout_set_text(p->layout, text, -1);
    PangoRectangle r;
    pango_layout_get_extents(p->layout, NULL, &r);
    double h = (double)r.height / PANGO_SCALE;
    if (!p->fresh && p->y + h > BOTTOM)
        pdf_page_break(p);
    if (!p->first) { /* the counting pass only measures (a link needs its drawing) */
        cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attr);
        cairo_move_to(p->cr, PDF_MARGIN + indent, p->y);
        pango_cairo_show_layout(p->cr, p->layout);
        set_style(p, PDF_BODY, WIDTH);
        pango_layout_set_alignment(p->layout, PANGO_ALIGN_RIGHT);
        pango_layout_set_text(p->layout, page ? num : "", -1);
        cairo_move_to(p->cr, PDF_MARGIN, p->y);
        pango_cairo_show_layout(p->cr, p->layout);
        cairo_tag_end(p->cr, CAIRO_TAG_LINK);
    }
    p->y += h + 2;
    p->fresh = false;
}

void pdf_link_text(struct pdf *p, enum pdf_style st, const char *text, const char *uri)
{
    struct buf a = BUF_INIT;
    buf_puts(&a, "uri='");
    for (const char *s = uri; *s; s++) {
        if (*s == '\'' || *s == '\\')
            buf_putc(&a, '\\');
        buf_putc(&a, *s);
    }
    buf_putc(&a, '\'');
    set_style(p, st, WIDTH);
    pango_layout_set_text(p->layout, text, -1);
    PangoRectangle r;
    pango_layout_get_extents(p->layout, NULL, &r);
    double h = (double)r.height / PANGO_SCALE;
    if (!p->fresh && p->y + h > BOTTOM)
        pdf_page_break(p);
    if (!p->first) {
        cairo_tag_begin(p->cr, CAIRO_TAG_LINK, buf_cstr(&a));
        cairo_set_source_rgb(p->cr, 0.0, 0.2, 0.6);
        cairo_move_to(p->cr, PDF_MARGIN, p->y);
        pango_cairo_show_layout(p->cr, p->layout);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_tag_end(p->cr, CAIRO_TAG_LINK);
    }
    p->y += h + 4;
    p->fresh = false;
    buf_free(&a);
}

void pdf_foreign_page(struct pdf *p, double w, double h, void (*draw_page)(void *cr, void *arg),
                      void *arg, const char *stamp)
{
    if (!p->fresh)
        pdf_page_break(p);
    cairo_pdf_surface_set_size(p->surface, w, h);
    p->foreign = true;
    if (!p->first) {
        cairo_save(p->cr);
        draw_page(p->cr, arg);
        cairo_restore(p->cr);
        if (stamp) {
            set_style(p, PDF_SMALL, w - 24);
            cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
            pango_layout_set_text(p->layout, stamp, -1);
            cairo_move_to(p->cr, 12, h - 14);
            pango_cairo_show_layout(p->cr, p->layout);
            cairo_set_source_rgb(p->cr, 0, 0, 0);
        }
    }
    p->fresh = false;
    pdf_page_break(p);
}

static int pass(struct pdf *p, struct buf *out, const char *title, const char *author,
                void (*draw)(struct pdf *, void *), void *ctx)
{
    p->surface = cairo_pdf_surface_create_for_stream(sink, out, PDF_W, PDF_H);
    cairo_pdf_surface_restrict_to_version(p->surface, CAIRO_PDF_VERSION_1_5);
    if (title)
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    if (author)
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_AUTHOR, author);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "referat");
    char now[21];
    clock_iso(now); /* the document's date is the server's clock (tests set it) */
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, now);
    p->cr = cairo_create(p->surface);
    p->layout = pango_cairo_create_layout(p->cr);
    pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
    p->aux = pango_cairo_create_layout(p->cr);
    /* No ligatures: pdftotext (and a reader's search) would find "demograﬁ" with U+FB01, not
     * "demografi". No hyphens inserted at breaks either: the text stays the model's words. */
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_font_features_new("liga=0, clig=0, dlig=0"));
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(p->layout, attrs);
    pango_layout_set_attributes(p->aux, attrs);
    pango_attr_list_unref(attrs);
    p->page = 1;
    p->y = PDF_MARGIN;
    p->fresh = true;
    p->foreign = false;
    /* The whole document is one structure element: cairo 1.16 writes a link's structure
     * parent only inside a structure tree (without one the file references a missing
     * object), and a tagged PDF is what screen readers want anyway. */
    cairo_tag_begin(p->cr, "Document", NULL);
    draw(p, ctx);
    /* The last page: a page of ours gets its footer; an empty page after a bilag's is not
     * emitted (cairo drops a trailing page nothing was drawn on only at finish, so count it
     * out here). */
    if (!p->fresh || p->page == 1)
        footer(p);
    else
        p->page--;
    cairo_tag_end(p->cr, "Document");
    cairo_status_t st = cairo_status(p->cr);
    g_object_unref(p->layout);
    g_object_unref(p->aux);
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(p->surface);
    cairo_surface_destroy(p->surface);
    return st == CAIRO_STATUS_SUCCESS ? 0 : -(int)st;
}

int pdf_render(struct buf *out, const char *title, const char *author, const char *head,
               void (*draw)(struct pdf *p, void *ctx), void *ctx, struct err *e)
{
    struct pdf p = {.head = head};
    for (int i = 0; i < PDF_NSTYLES; i++)
        p.font[i] = pango_font_description_from_string(font_names[i]);
    size_t from = out->len;
    p.first = true;
    int rc = pass(&p, NULL, title, author, draw, ctx);
    if (rc == 0) {
        p.prev = p.marks;
        p.nprev = p.nmarks;
        p.marks = NULL;
        p.nmarks = 0;
        p.total = p.page;
        p.first = false;
        rc = pass(&p, out, title, author, draw, ctx);
    }
    for (int i = 0; i < PDF_NSTYLES; i++)
        pango_font_description_free(p.font[i]);
    free(p.marks);
    free(p.prev);
    if (rc < 0) {
        buf_truncate(out, from);
        err_set(e, ERR_IO, 0, 0, "expected cairo to write the PDF: %s",
                cairo_status_to_string((cairo_status_t)-rc));
        return ERR_IO;
    }
    return 0;
}

/* issue 10's verdensmål of a case or sub-item: "Verdensmål: 7 Bæredygtig energi, ..." */
static void goals(struct pdf *p, double indent, uint32_t set)
{
    if (!set)
        return;
    struct buf b = BUF_INIT;
    buf_puts(&b, "Verdensmål: ");
    for (unsigned g = 1, k = 0; g <= SDG_COUNT; g++)
        if (set & SDG_BIT(g))
            buf_printf(&b, "%s%u %s", k++ ? ", " : "", g, sdg_goal(g)->name);
    pdf_text(p, PDF_SMALL, indent, buf_cstr(&b));
    buf_free(&b);
}

/* ---- one case ------------------------------------------------------------------------- */

static void heading(struct pdf *p, enum pdf_style st, const char *text)
{
    pdf_need(p, st == PDF_H3 ? 40 : 60); /* a heading keeps a few lines below it */
    pdf_space(p, st == PDF_H3 ? 4 : 8);
    pdf_text(p, st, 0, text);
}

static void guests(struct pdf *p, double indent, const struct guest *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct buf b = BUF_INIT;
        buf_printf(&b, "Deltager: %s", g[i].name ? g[i].name : "");
        if (g[i].role && *g[i].role)
            buf_printf(&b, ", %s", g[i].role);
        pdf_text(p, PDF_SMALL, indent, buf_cstr(&b));
        buf_free(&b);
    }
}

static void followups(struct pdf *p, double indent, const struct followup *v, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const struct followup *f = &v[k];
        struct buf b = BUF_INIT;
        buf_printf(&b, "Opfølgning: %s", f->owner ? f->owner : "");
        if (f->role && *f->role)
            buf_printf(&b, " (%s)", f->role);
        if (f->due) {
            char due[16];
            pdf_date(due, f->due);
            buf_printf(&b, ", senest %s", due);
        }
        pdf_text(p, PDF_SMALL, indent, buf_cstr(&b));
        buf_free(&b);
    }
}

static void decision(struct pdf *p, const struct case_doc *c, const struct decision *d)
{
    char date[16];
    pdf_date(date, d->date);
    struct buf h = BUF_INIT;
    buf_printf(&h, "Beslutning i %s den %s", d->body ? d->body : "", date);
    heading(p, PDF_H3, buf_cstr(&h));
    buf_free(&h);
    pdf_text(p, PDF_BODY, 0, d->text);
    followups(p, 12, d->followups, d->nfollowups); /* issue 10, flat follow-ups */
    for (size_t i = 0; i < d->nentries; i++) {
        const struct entry *en = &d->entries[i];
        const char *title = en->title;
        if ((!title || !*title) && en->subitem && en->subitem <= c->nsubitems)
            title = c->subitems[en->subitem - 1].title;
        pdf_need(p, 30);
        pdf_text(p, PDF_BOLD, 12, title && *title ? title : "(uden titel)");
        pdf_text(p, PDF_BODY, 12, en->text);
        followups(p, 24, en->followups, en->nfollowups);
    }
}

void pdf_case(struct pdf *p, const struct case_doc *c, const struct pdf_case_opts *o)
{
    struct buf t = BUF_INIT;
    if (o->number)
        buf_printf(&t, "%u. ", o->number);
    buf_puts(&t, c->title && *c->title ? c->title : "(uden titel)");
    pdf_need(p, 90);
    pdf_space(p, 10);
    if (o->dest) {
        pdf_dest(p, o->dest);
        pdf_outline(p, o->outline_parent, buf_cstr(&t), o->dest, false);
    }
    pdf_text(p, PDF_H1, 0, buf_cstr(&t));
    buf_free(&t);
    struct buf m = BUF_INIT;
    buf_puts(&m, c->public ? "Åben sag" : "Lukket sag");
    if (c->nroute) {
        buf_puts(&m, " · Sagsgang: ");
        for (size_t i = 0; i < c->nroute; i++)
            buf_printf(&m, "%s%s", i ? ", " : "", c->route[i]);
    }
    for (size_t i = 0; i < c->nrefs; i++)
        buf_printf(&m, " · %s %s", c->refs[i].kind, c->refs[i].value);
    pdf_text(p, PDF_SMALL, 0, buf_cstr(&m));
    buf_free(&m);
    goals(p, 0, c->sdg);
    if (!c->public) {
        /* The public view of a closed case: its public title and, when written, the public
         * description; nothing else reaches the document. */
        pdf_text(p, PDF_BODY, 0, c->public_text);
        /* issue 9's publication: the one decision text written for the public */
        if (o->minutes && c->public_decision) {
            heading(p, PDF_H3, "Beslutning");
            pdf_text(p, PDF_BODY, 0, c->public_decision);
        }
        return;
    }
    if (o->url)
        pdf_link_text(p, PDF_SMALL, o->url, o->url);
    if (c->presentation || c->intro || c->nsubitems) {
        heading(p, PDF_H2, "Sagsfremstilling");
        pdf_text(p, PDF_BODY, 0, c->presentation);
        pdf_text(p, PDF_BODY, 0, c->intro);
        for (size_t i = 0; i < c->nsubitems; i++) {
            const struct subitem *s = &c->subitems[i];
            struct buf b = BUF_INIT;
            if (s->time)
                buf_printf(&b, "%s  ", s->time);
            buf_puts(&b, s->title && *s->title ? s->title : "(uden titel)");
            pdf_need(p, 30);
            pdf_text(p, PDF_BOLD, 0, buf_cstr(&b));
            buf_free(&b);
            pdf_text(p, PDF_BODY, 12, s->text);
            guests(p, 12, s->guests, s->nguests);
            goals(p, 12, s->sdg);
        }
    }
    guests(p, 0, c->guests, c->nguests);
    for (size_t i = 0; i < c->nsections; i++) {
        heading(p, PDF_H2, c->sections[i].name ? c->sections[i].name : "");
        pdf_text(p, PDF_BODY, 0, c->sections[i].text);
    }
    if (c->recommendation) {
        heading(p, PDF_H2, "Indstilling");
        pdf_text(p, PDF_BODY, 0, c->recommendation);
    }
    if (o->minutes) {
        for (size_t i = 0; i < c->ndecisions; i++)
            decision(p, c, &c->decisions[i]);
        /* issue 9's tillæg to approved minutes: dated, with the reason */
        for (size_t i = 0; i < c->nadditions; i++) {
            const struct addition *a = &c->additions[i];
            char date[16];
            pdf_date(date, a->date);
            struct buf h = BUF_INIT;
            buf_printf(&h, "Tillæg%s%s", a->date ? " den " : "", a->date ? date : "");
            heading(p, PDF_H3, buf_cstr(&h));
            buf_free(&h);
            struct buf r = BUF_INIT;
            buf_printf(&r, "Begrundelse: %s", a->reason ? a->reason : "");
            pdf_text(p, PDF_SMALL, 0, buf_cstr(&r));
            buf_free(&r);
            pdf_text(p, PDF_BODY, 0, a->text);
        }
    }
    if (c->nattachments) {
        heading(p, PDF_H2, "Bilag");
        for (size_t i = 0; i < c->nattachments; i++) {
            const struct attachment *a = &c->attachments[i];
            struct buf b = BUF_INIT;
            buf_printf(&b, "%u. %s%s", a->number, a->title ? a->title : "",
                       a->public ? "" : " (lukket)");
            if (a->public && a->journal && *a->journal && strcmp(a->journal, "0") != 0)
                buf_printf(&b, " (%s)", a->journal);
            char tmp[160];
            const char *note =
                o->bilag_note ? o->bilag_note(o->arg, a->number, tmp, sizeof tmp) : NULL;
            if (a->public && note)
                buf_printf(&b, " — %s", note);
            pdf_text(p, PDF_BODY, 0, buf_cstr(&b));
            buf_free(&b);
        }
    }
}

/* ---- the writer `pdf`: one case -------------------------------------------------------- */

static void draw_case(struct pdf *p, void *ctx)
{
    const struct case_doc *c = ctx;
    struct pdf_case_opts o = {.dest = "sag", .minutes = true};
    pdf_case(p, c, &o);
}

static void write_pdf(const struct case_doc *c, int flags, struct buf *out)
{
    (void)flags; /* fmt_write hands the public view in public mode */
    struct err e = {0};
    const char *title = c->title && *c->title ? c->title : "Sag";
    if (pdf_render(out, title, NULL, title, draw_case, (void *)c, &e) < 0)
        fprintf(stderr, "referat: %s\n", e.msg);
}

const struct fmt_writer fmt_write_pdf = {"pdf", "application/pdf", write_pdf};
