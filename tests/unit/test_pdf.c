/* test_pdf: the case and meeting PDFs, read back with poppler-glib: selectable text with
 * Danish letters, no closed text, the table of contents, bookmarks, bilag pages appended and
 * a damaged bilag noted while the rest carries on. */
#include "test.h"

#include <poppler.h>

#include "format/format.h"
#include "format/pdf.h"
#include "model/case.h"

#define MARKER "KANARIE-LUKKET-7Q2"

static struct case_doc *open_case(const char *title)
{
    struct case_doc *c = case_new();
    c->title = xstrdup(title);
    c->public = true;
    *case_add_route(c) = xstrdup("DIR");
    c->presentation = xstrdup("Første afsnit om økonomi og trivsel på Ærø.\n\nAndet afsnit.");
    c->intro = xstrdup("Direktionen har følgende punkter:");
    struct subitem *s = case_add_subitem(c);
    s->time = xstrdup("10.30");
    s->title = xstrdup("Budgetopfølgning på ældreområdet");
    s->text = xstrdup("Gennemgang af forbruget.");
    s->sdg = (1u << 3) | (1u << 13); /* issue 10, sdg */
    struct guest *g = subitem_add_guest(s);
    g->name = xstrdup("Bettina Andersen");
    g->role = xstrdup("Økonomichef");
    c->recommendation = xstrdup("Det indstilles, at direktionen drøfter sagen.");
    struct decision *d = case_add_decision(c);
    d->body = xstrdup("Direktionen");
    d->date = xstrdup("2024-01-12");
    struct entry *e = decision_add_entry(d);
    e->title = xstrdup("Budgetopfølgning på ældreområdet");
    e->subitem = 1;
    e->text = xstrdup("Godkendt. Ledelsessekretariatet følger op.");
    struct followup *f = entry_add_followup(e);
    f->owner = xstrdup("Ledelsessekretariatet");
    f->due = xstrdup("2024-02-01");
    struct addition *ad = case_add_addition(c);
    ad->date = xstrdup("2024-01-20");
    ad->reason = xstrdup("Fejl i beløbet");
    ad->text = xstrdup("Beløbet er 1,2 mio. kr., ikke 2,1 mio. kr.");
    c->has_attachments = true;
    struct attachment *a = case_add_attachment(c);
    a->number = 1;
    a->public = true;
    a->title = xstrdup("Notat om forbrug");
    a = case_add_attachment(c);
    a->number = 2;
    a->public = true;
    a->title = xstrdup("Skadet fil");
    return c;
}

static struct case_doc *closed_case(void)
{
    struct case_doc *c = case_new();
    c->title = xstrdup("Personalesag");
    c->public = false;
    c->presentation = xstrdup("Fortroligt: " MARKER);
    c->recommendation = xstrdup(MARKER);
    c->public_decision = xstrdup("Direktionen godkendte indstillingen.");
    return c;
}

static int count_outline(PopplerIndexIter *it)
{
    int n = 0;
    if (!it)
        return 0;
    do {
        n++;
        PopplerIndexIter *child = poppler_index_iter_get_child(it);
        n += count_outline(child);
        poppler_index_iter_free(child);
    } while (poppler_index_iter_next(it));
    return n;
}

/* All text of a PDF, pages joined by form feeds; NULL when poppler cannot read it. */
static char *pdf_text_of(const struct buf *b, int *npages, int *noutline)
{
    GBytes *bytes = g_bytes_new(b->ptr, b->len);
    GError *ge = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &ge);
    g_bytes_unref(bytes);
    if (!doc) {
        if (ge)
            g_error_free(ge);
        return NULL;
    }
    struct buf t = BUF_INIT;
    *npages = poppler_document_get_n_pages(doc);
    for (int i = 0; i < *npages; i++) {
        PopplerPage *p = poppler_document_get_page(doc, i);
        char *s = poppler_page_get_text(p);
        buf_puts(&t, s ? s : "");
        buf_putc(&t, '\f');
        g_free(s);
        g_object_unref(p);
    }
    PopplerIndexIter *it = poppler_index_iter_new(doc);
    *noutline = count_outline(it);
    poppler_index_iter_free(it);
    g_object_unref(doc);
    return buf_detach(&t);
}

static void test_case_writer(void)
{
    struct case_doc *c = open_case("Punkter til behandling");
    struct buf b = BUF_INIT;
    fmt_write(fmt_writer_find("pdf"), c, 0, &b);
    CHECK(b.len > 1000);
    CHECK(memcmp(b.ptr, "%PDF-", 5) == 0);
    int pages = 0, outline = 0;
    char *text = pdf_text_of(&b, &pages, &outline);
    CHECK(text != NULL);
    if (text) {
        CHECK(strstr(text, "økonomi og trivsel på Ærø") != NULL); /* Danish letters survive */
        CHECK(strstr(text, "Budgetopfølgning på ældreområdet") != NULL);
        CHECK(strstr(text, "Beslutning i Direktionen den 12-01-2024") != NULL);
        CHECK(strstr(text, "Opfølgning: Ledelsessekretariatet, senest 01-02-2024") != NULL);
        CHECK(strstr(text, "Deltager: Bettina Andersen, Økonomichef") != NULL);
        CHECK(strstr(text, "Side 1 af 1") != NULL);
        CHECK(strstr(text, "Tillæg den 20-01-2024") != NULL);
        CHECK(strstr(text, "Verdensmål: 3 ") != NULL && strstr(text, ", 13 ") != NULL);
        CHECK(strstr(text, "Begrundelse: Fejl i beløbet") != NULL);
    }
    CHECK_INT(pages, 1);
    CHECK_INT(outline, 1);
    free(text);
    buf_free(&b);
    case_free(c);
}

static void test_case_writer_public(void)
{
    struct case_doc *c = closed_case();
    struct buf b = BUF_INIT;
    fmt_write(fmt_writer_find("pdf"), c, FMT_PUBLIC, &b);
    int pages = 0, outline = 0;
    char *text = pdf_text_of(&b, &pages, &outline);
    CHECK(text != NULL);
    if (text) {
        CHECK(strstr(text, "Personalesag") != NULL);
        CHECK(strstr(text, "Lukket sag") != NULL);
        CHECK(strstr(text, MARKER) == NULL);
    }
    free(text);
    buf_free(&b);
    case_free(c);
}

static void test_meeting(void)
{
    /* A bilag that is a PDF of three pages: a case long enough to need them. */
    struct case_doc *long_case = open_case("Bilagets sag");
    struct buf para = BUF_INIT;
    for (int i = 0; i < 160; i++)
        buf_printf(&para, "Bilagstekst linje %d med æøå.\n\n", i);
    free(long_case->presentation);
    long_case->presentation = buf_detach(&para);
    struct buf bilag_pdf = BUF_INIT;
    fmt_write(&fmt_write_pdf, long_case, 0, &bilag_pdf);
    int bilag_pages = 0, o = 0;
    free(pdf_text_of(&bilag_pdf, &bilag_pages, &o));
    CHECK(bilag_pages >= 3);

    struct case_doc *a = open_case("Digitaliseringsstrategi");
    struct case_doc *closed = closed_case();
    struct case_doc *view = case_view(closed, AUDIENCE_PUBLIC);
    struct case_doc *b = open_case("Trivselsmåling");
    const char damaged[] = "%PDF-1.4 not really a PDF\n";
    struct pdf_bilag bl[] = {{1, "Notat om forbrug", bilag_pdf.ptr, bilag_pdf.len},
                             {2, "Skadet fil", damaged, sizeof damaged - 1}};
    struct pdf_item items[] = {{a, 1, bl, 2}, {view, 2, NULL, 0}, {b, 3, NULL, 0}};
    struct pdf_meeting m = {.municipality = "Lindholm Kommune",
                            .body = "Direktionen",
                            .date = "2024-01-12",
                            .start = "09:00",
                            .end = "12:00",
                            .place = "Mødelokale 1, Rådhuset",
                            .base = "https://referater.example.dk",
                            .minutes = true,
                            .items = items,
                            .nitems = 3};
    struct buf out = BUF_INIT;
    struct err e = {0};
    CHECK_INT(pdf_meeting_write(&m, &out, &e), 0);
    int pages = 0, outline = 0;
    char *text = pdf_text_of(&out, &pages, &outline);
    CHECK(text != NULL);
    if (text) {
        CHECK(strstr(text, "Lindholm Kommune") != NULL);
        CHECK(strstr(text, "Møde den 12-01-2024 kl. 09:00–12:00") != NULL);
        CHECK(strstr(text, "Indhold") != NULL);
        CHECK(strstr(text, "2. Personalesag (lukket)") != NULL);
        CHECK(strstr(text, "Direktionen godkendte indstillingen.") != NULL); /* its public one */
        CHECK(strstr(text, MARKER) == NULL);
        CHECK(strstr(text, "3. Trivselsmåling") != NULL);
        CHECK(strstr(text, "Beslutning i Direktionen") != NULL);
        CHECK(strstr(text, "Bilagstekst linje 159 med æøå.") != NULL); /* the bilag's pages */
        CHECK(strstr(text, "ikke en gyldig PDF") != NULL);             /* the damaged one */
        CHECK(strstr(text, "Notat om forbrug — vedlagt fra side") != NULL);
    }
    /* front, contents, the three cases (at least one page), the bilag's pages */
    CHECK(pages >= 3 + bilag_pages);
    /* top, Indhold, three cases, Bilag and the one appended bilag */
    CHECK_INT(outline, 1 + 6);
    free(text);

    /* The agenda leaves the decisions out (here without the bilag, itself a case PDF). */
    m.minutes = false;
    items[0].nbilag = 0;
    buf_truncate(&out, 0);
    CHECK_INT(pdf_meeting_write(&m, &out, &e), 0);
    text = pdf_text_of(&out, &pages, &outline);
    CHECK(text != NULL);
    if (text) {
        CHECK(strstr(text, "Dagsorden") != NULL);
        CHECK(strstr(text, "Beslutning i") == NULL);
        CHECK(strstr(text, "Trivselsmåling") != NULL);
    }
    free(text);
    buf_free(&out);
    buf_free(&bilag_pdf);
    case_free(long_case);
    case_free(a);
    case_free(b);
    case_free(closed);
    case_free(view);
}

int main(void)
{
    RUN(test_case_writer);
    RUN(test_case_writer_public);
    RUN(test_meeting);
    return TEST_REPORT();
}
