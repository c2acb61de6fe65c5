/* bench_pdf: a meeting of 100 cases (the generated corpus of bench/import) with 10 bilag that
 * are PDFs, rendered as one PDF (pdf_meeting_write), beside references measured in the same
 * run on the same cases: the HTML writer (what the portal renders) and poppler reading the
 * PDF's text back. Prints the best of N runs of each. usage: bench_pdf [CASES] [RUNS] [BILAG] */
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../corpus.h"
#include "format/format.h"
#include "format/pdf.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t ncases = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    size_t want_bilag = argc > 3 ? strtoul(argv[3], NULL, 10) : 10;
    if (ncases < 1 || runs < 1) {
        fprintf(stderr, "usage: bench_pdf [CASES] [RUNS] [BILAG]\n");
        return 2;
    }
    struct corpus corp = {0};
    /* about 6 KB of Markdown per case: enough for ncases */
    if (corpus_generate(&corp, EXAMPLES_DIR, ncases * 12 * 1024, 20231220) < 0 ||
        corp.md.n < ncases) {
        fprintf(stderr, "bench_pdf: the corpus has too few cases\n");
        return 1;
    }
    struct case_doc **cases = calloc(ncases, sizeof *cases);
    struct pdf_item *items = calloc(ncases, sizeof *items);
    size_t md_bytes = 0;
    for (size_t i = 0; i < ncases; i++) {
        struct err e = {0};
        const char *p = corp.md.text.ptr + corp.md.off[i];
        size_t n = corp.md.off[i + 1] - corp.md.off[i];
        md_bytes += n;
        struct case_doc *c;
        if (fmt_read(&fmt_read_md, p, n, FMT_NOLAYOUT, &c, &e, NULL) < 0) {
            fprintf(stderr, "bench_pdf: case %zu: %u:%u: %s\n", i, e.line, e.col, e.msg);
            return 1;
        }
        cases[i] = case_view(c, AUDIENCE_PUBLIC);
        case_free(c);
        items[i].c = cases[i];
        items[i].id = (int64_t)i + 1;
    }
    /* Up to ten bilag: each the PDF of one of the cases, on every tenth open case. */
    struct buf bilag[10] = {0};
    struct pdf_bilag bl[10];
    size_t nb = 0;
    for (size_t i = 0; i < ncases && nb < want_bilag && nb < 10; i += 10) {
        if (!cases[i]->public)
            continue;
        fmt_write(&fmt_write_pdf, cases[i], 0, &bilag[nb]);
        bl[nb] = (struct pdf_bilag){1, "Bilag", bilag[nb].ptr, bilag[nb].len};
        items[i].bilag = &bl[nb];
        items[i].nbilag = 1;
        nb++;
    }
    struct pdf_meeting m = {.municipality = "Lindholm Kommune",
                            .body = "Direktionen",
                            .date = "2024-01-12",
                            .start = "09:00",
                            .end = "15:00",
                            .minutes = true,
                            .items = items,
                            .nitems = ncases};
    double best_pdf = 1e9, best_html = 1e9, best_read = 1e9;
    struct buf out = BUF_INIT;
    int pages = 0;
    for (int r = 0; r < runs; r++) {
        struct err e = {0};
        buf_truncate(&out, 0);
        double t0 = now();
        if (pdf_meeting_write(&m, &out, &e) < 0) {
            fprintf(stderr, "bench_pdf: %s\n", e.msg);
            return 1;
        }
        double t = now() - t0;
        best_pdf = t < best_pdf ? t : best_pdf;

        struct buf html = BUF_INIT;
        t0 = now();
        for (size_t i = 0; i < ncases; i++)
            fmt_write(&fmt_write_html, cases[i], FMT_PUBLIC, &html);
        t = now() - t0;
        best_html = t < best_html ? t : best_html;
        buf_free(&html);

        t0 = now();
        GBytes *bytes = g_bytes_new_static(out.ptr, out.len);
        PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, NULL);
        pages = doc ? poppler_document_get_n_pages(doc) : 0;
        for (int k = 0; k < pages; k++) {
            PopplerPage *pg = poppler_document_get_page(doc, k);
            g_free(poppler_page_get_text(pg));
            g_object_unref(pg);
        }
        if (doc)
            g_object_unref(doc);
        g_bytes_unref(bytes);
        t = now() - t0;
        best_read = t < best_read ? t : best_read;
    }
    printf("cases %zu, bilag %zu, MB of Markdown %.2f\n", ncases, nb, md_bytes / 1048576.0);
    printf("pdf_meeting_write: %.3f s (best of %d), %d pages, %.2f MB\n", best_pdf, runs, pages,
           out.len / 1048576.0);
    printf("reference html writer, same cases: %.3f s\n", best_html);
    printf("reference poppler text of the PDF: %.3f s\n", best_read);
    printf("ratio %.1fx html, %.1fx poppler read\n", best_pdf / best_html, best_pdf / best_read);
    buf_free(&out);
    for (size_t i = 0; i < nb; i++)
        buf_free(&bilag[i]);
    for (size_t i = 0; i < ncases; i++)
        case_free(cases[i]);
    free(cases);
    free(items);
    corpus_fini(&corp);
    return 0;
}
