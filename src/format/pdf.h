/* pdf: cases and whole meetings as PDF (cairo + pango for the text, poppler-glib for the
 * bilag pages appended); docs/formats.md, "PDF". */
#ifndef REFERAT_PDF_H
#define REFERAT_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/case.h"
#include "../util/buf.h"
#include "../util/err.h"

/* A bilag of an item, as the meeting document appends it: bytes is the stored file (NULL:
 * none stored), borrowed. Only open bilag of open cases are handed in (the caller's public
 * view); the writer appends those whose bytes poppler reads as a PDF, and writes a clear note
 * for the others (not a PDF, or damaged), carrying on with the rest. */
struct pdf_bilag {
    unsigned number;
    const char *title;
    const char *bytes;
    size_t len;
};

/* One item of the agenda: c is the view the document may show (borrowed; the caller hands
 * in case_view(c, AUDIENCE_PUBLIC)), id its case number on the portal (0: no link). */
struct pdf_item {
    const struct case_doc *c;
    int64_t id;
    const struct pdf_bilag *bilag;
    size_t nbilag;
};

/* A meeting as one document. Strings are borrowed, NULL where unknown. With minutes the
 * cases' decisions and follow-ups are written (the caller decides whether the reader may
 * have them); without, the agenda (no decisions, even where the model has some). */
struct pdf_meeting {
    const char *municipality; /* "Lindholm Kommune" */
    const char *body;         /* "Direktionen" */
    const char *date;         /* ISO */
    const char *start, *end;  /* "09:00" */
    const char *place;
    const char *status; /* a line for the front page ("Referat offentliggjort"), or NULL */
    /* The minutes' attendance, one paragraph per person ("Navn: Til stede"), or NULL. */
    const char *attendance;
    /* issue 10: the agenda's standing item, the body's open follow-ups, one paragraph each
     * ("Navn: tekst (sag, frist)"), or NULL: written after the cases of an agenda only. */
    const char *standing;
    const char *base; /* "https://referater.example.dk": links to the portal, or NULL */
    bool minutes;
    const struct pdf_item *items;
    size_t nitems;
};

/* Writes the meeting document (front page, table of contents with links, bookmarks, every
 * item, then the bilag pages) to out. Returns 0, or ERR_IO with e set when cairo fails
 * (out is then empty). */
int pdf_meeting_write(const struct pdf_meeting *m, struct buf *out, struct err *e);

/* ---- the engine both documents share (write_pdf.c) ---------------------------------- */

enum pdf_style { PDF_BODY, PDF_BOLD, PDF_SMALL, PDF_H3, PDF_H2, PDF_H1, PDF_TITLE, PDF_NSTYLES };

/* A4 in points, and the margins. */
#define PDF_W 595.0
#define PDF_H 842.0
#define PDF_MARGIN 56.0

struct pdf;
/* Renders one document in two passes: the first only counts pages and remembers where each
 * mark fell, so the second can print "Side N af M" and the table of contents' page numbers.
 * draw is called once per pass. title and author go into the PDF's metadata. */
int pdf_render(struct buf *out, const char *title, const char *author, const char *head,
               void (*draw)(struct pdf *p, void *ctx), void *ctx, struct err *e);

/* Text that flows across pages: a paragraph per "\n\n" piece; indent in points. */
void pdf_text(struct pdf *p, enum pdf_style st, double indent, const char *text);
/* Vertical space in points (dropped at the top of a page). */
void pdf_space(struct pdf *p, double pt);
/* Starts a new page unless the current one still has `need` points free. */
void pdf_need(struct pdf *p, double pt);
void pdf_page_break(struct pdf *p);
/* A named destination at the current position (name: letters, digits, '-'). */
void pdf_dest(struct pdf *p, const char *name);
/* A bookmark under parent (0: top level) to a destination; returns its id. */
int pdf_outline(struct pdf *p, int parent, const char *text, const char *dest, bool open);
/* Marks k (0..): the page it falls on this pass; pdf_mark_page gives the page of the first
 * pass (0 in the first pass). */
void pdf_mark(struct pdf *p, size_t k);
unsigned pdf_mark_page(const struct pdf *p, size_t k);
/* A line of the table of contents: text on the left, a page number on the right, the whole
 * line a link to dest. */
void pdf_toc_line(struct pdf *p, double indent, const char *text, unsigned page, const char *dest);
/* A line that links to an absolute URI (escaped for cairo's attribute syntax). */
void pdf_link_text(struct pdf *p, enum pdf_style st, const char *text, const char *uri);
/* Appends one foreign page of w x h points drawn by draw_page (not in the first pass: the page
 * is only counted). A stamp line is written into its bottom margin. */
void pdf_foreign_page(struct pdf *p, double w, double h, void (*draw_page)(void *cr, void *arg),
                      void *arg, const char *stamp);
bool pdf_first_pass(const struct pdf *p);
/* Nothing drawn on the current page yet. */
bool pdf_fresh(const struct pdf *p);
unsigned pdf_page(const struct pdf *p);

/* One case in the document: its heading (numbered when number > 0), bookmark and
 * destination (dest), every section, with decisions when minutes. Bilag are listed with
 * notes from bilag_note (may be NULL). */
struct pdf_case_opts {
    unsigned number;
    const char *dest;
    int outline_parent;
    bool minutes;
    const char *url; /* the case on the portal, or NULL */
    /* The note after bilag n in the list ("vedlagt side 12", "ikke en gyldig PDF"). */
    const char *(*bilag_note)(void *arg, unsigned number, char *tmp, size_t ntmp);
    void *arg;
};
void pdf_case(struct pdf *p, const struct case_doc *c, const struct pdf_case_opts *o);
/* "12-01-2024" from an ISO date (the exports' spelling); the input when it is not ISO. */
void pdf_date(char out[16], const char *iso);

#endif
