/* test_layouts: the whole-meeting documents of examples/real-layouts (one per layout family,
 * as HTML, PDF and text) read as their .expected files say, field by field; and bad input
 * (encrypted, damaged, image-only and huge PDFs, hostile HTML, two meetings in one document,
 * cut-off documents) refused with a clear message and a position.
 *
 * `test_layouts --dump FILE` prints what FILE reads as, in the .expected form (for writing a
 * new expected file, which is then checked by hand against the document). */
#include "test.h"
#include "format/format.h"
#include "layout_summary.h"
#include "model/meeting_doc.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LAYOUTS_DIR
#define LAYOUTS_DIR EXAMPLES_DIR "/real-layouts"
#endif

static char *doc_path(const char *name)
{
    struct buf b = BUF_INIT;
    size_t n = strlen(name);
    /* PDFs are made from their .pdfsrc at build time (tests/tools/mkpdf.c). */
    if (n > 4 && strcmp(name + n - 4, ".pdf") == 0)
        buf_printf(&b, "%s/%s", LAYOUTS_PDF_DIR, name);
    else
        buf_printf(&b, "%s/%s", LAYOUTS_DIR, name);
    return buf_detach(&b);
}

static int read_doc(const char *path, int flags, struct meeting_doc **out, struct err *e,
                    struct warnings *w)
{
    size_t n;
    char *p = test_read_file(path, &n);
    *out = NULL;
    if (!p) {
        err_set(e, ERR_IO, 0, 0, "cannot read %s", path);
        return ERR_IO;
    }
    const struct fmt_meeting_reader *r = fmt_detect_meeting(p, n);
    int rc = r ? fmt_read_meeting(r, p, n, flags, out, e, w) : ERR_SYNTAX;
    if (!r)
        err_set(e, ERR_SYNTAX, 0, 0, "no meeting reader claims %s", path);
    free(p);
    return rc;
}

/* Reports every path where got and want differ. */
static void compare(const char *where, json_t *got, json_t *want, int *bad)
{
    if (json_equal(got, want))
        return;
    if (json_is_object(want) && json_is_object(got)) {
        const char *k;
        json_t *v;
        json_object_foreach(want, k, v) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s.%s", where, k);
            json_t *g = json_object_get(got, k);
            if (!g) {
                fprintf(stderr, "  %s: missing\n", sub);
                (*bad)++;
            } else {
                compare(sub, g, v, bad);
            }
        }
        json_object_foreach(got, k, v)
            if (!json_object_get(want, k)) {
                fprintf(stderr, "  %s.%s: not expected\n", where, k);
                (*bad)++;
            }
        return;
    }
    if (json_is_array(want) && json_is_array(got) && json_array_size(want) == json_array_size(got)) {
        for (size_t i = 0; i < json_array_size(want); i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%zu]", where, i);
            compare(sub, json_array_get(got, i), json_array_get(want, i), bad);
        }
        return;
    }
    char *g = json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT);
    char *w = json_dumps(want, JSON_ENCODE_ANY | JSON_COMPACT);
    fprintf(stderr, "  %s:\n    got:  %s\n    want: %s\n", where, g, w);
    free(g);
    free(w);
    (*bad)++;
}

static void test_expected(void)
{
    DIR *d = opendir(LAYOUTS_DIR);
    CHECK(d != NULL);
    if (!d)
        return;
    size_t files = 0;
    int formats[3] = {0};
    for (struct dirent *de; (de = readdir(d));) {
        size_t n = strlen(de->d_name);
        if (n < 10 || strcmp(de->d_name + n - 9, ".expected") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", LAYOUTS_DIR, de->d_name);
        json_error_t je;
        json_t *want = json_load_file(path, 0, &je);
        if (!want) {
            fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
            CHECK(want != NULL);
            continue;
        }
        const char *name = json_string_value(json_object_get(want, "document"));
        CHECK(name != NULL);
        char *doc = doc_path(name ? name : "");
        struct meeting_doc *m = NULL;
        struct err e = {0};
        struct warnings w = {0};
        int rc = read_doc(doc, 0, &m, &e, &w);
        if (rc < 0)
            fprintf(stderr, "%s:%u:%u: %s\n", doc, e.line, e.col, e.msg);
        CHECK_INT(rc, 0);
        if (m) {
            json_t *got = layout_summary(m, name, json_string_value(json_object_get(want,
                                                                                    "family")));
            int bad = 0;
            compare(name, got, want, &bad);
            if (bad)
                fprintf(stderr, "%s: %d field(s) differ from %s\n", name, bad, de->d_name);
            CHECK_INT(bad, 0);
            json_decref(got);
            formats[strstr(name, ".html") ? 0 : strstr(name, ".pdf") ? 1 : 2]++;
        }
        meeting_doc_free(m);
        warnings_fini(&w);
        free(doc);
        json_decref(want);
        files++;
    }
    closedir(d);
    CHECK(files >= 12);
    CHECK(formats[0] >= 1 && formats[1] >= 1 && formats[2] >= 1);
}

/* The public view of every closed item holds its title alone: no canary anywhere in it. */
static void test_closed_items_public(void)
{
    static const char *const docs[] = {"01-ugedag-dato.txt", "02-iso-tid.html",
                                       "05-indholdsfortegnelse.txt", "06-lukket-suffiks.html",
                                       "08-beslutning-foerst.pdf"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char *doc = doc_path(docs[i]);
        struct meeting_doc *m = NULL;
        struct err e = {0};
        struct warnings w = {0};
        CHECK_INT(read_doc(doc, 0, &m, &e, &w), 0);
        size_t closed = 0;
        for (size_t k = 0; m && k < m->nitems; k++) {
            struct case_doc *c = m->items[k].c;
            if (c->public)
                continue;
            closed++;
            struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
            CHECK(case_is_redacted(v));
            static const char *const writers[] = {"md", "txt", "json", "html"};
            for (size_t j = 0; j < 4; j++) {
                struct buf b = BUF_INIT;
                fmt_write(fmt_writer_find(writers[j]), c, FMT_PUBLIC, &b);
                CHECK(strstr(buf_cstr(&b), "KANARIE-LUKKET-7Q2") == NULL);
                buf_free(&b);
                /* ... while the staff rendering keeps it. */
                fmt_write(fmt_writer_find(writers[j]), c, 0, &b);
                CHECK(strstr(buf_cstr(&b), "KANARIE-LUKKET-7Q2") != NULL);
                buf_free(&b);
            }
            case_free(v);
        }
        CHECK(closed >= 1);
        meeting_doc_free(m);
        warnings_fini(&w);
        free(doc);
    }
}

/* Every item's case goes through JSON and back unchanged (guests, case numbers and extra
 * sections included). */
static void test_json_carries_items(void)
{
    static const char *const docs[] = {"05-indholdsfortegnelse.txt", "10-gaester-note.html",
                                       "11-organ-dato-pkt.txt", "12-region-protokol.pdf"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char *doc = doc_path(docs[i]);
        struct meeting_doc *m = NULL;
        struct err e = {0};
        struct warnings w = {0};
        CHECK_INT(read_doc(doc, 0, &m, &e, &w), 0);
        for (size_t k = 0; m && k < m->nitems; k++) {
            struct buf b = BUF_INIT;
            fmt_write(&fmt_write_json, m->items[k].c, 0, &b);
            struct case_doc *back = NULL;
            CHECK_INT(fmt_read(&fmt_read_json, b.ptr, b.len, 0, &back, &e, &w), 0);
            CHECK(back && case_equal(back, m->items[k].c, true));
            case_free(back);
            buf_free(&b);
        }
        meeting_doc_free(m);
        warnings_fini(&w);
        free(doc);
    }
}

/* --- bad input ----------------------------------------------------------------------------- */

struct outcome {
    int rc;
    struct err e;
    size_t nwarn;
    char warn[256];
};

static struct outcome read_bytes(const char *reader, const char *p, size_t n, int flags)
{
    struct outcome o = {0};
    struct meeting_doc *m = NULL;
    struct warnings w = {0};
    o.rc = fmt_read_meeting(fmt_meeting_reader_find(reader), p, n, flags, &m, &o.e, &w);
    o.nwarn = w.n;
    if (w.n)
        snprintf(o.warn, sizeof o.warn, "%u: %s", w.v[0].line, w.v[0].msg);
    CHECK((o.rc == 0) == (m != NULL));
    meeting_doc_free(m);
    warnings_fini(&w);
    return o;
}

static char *run_mkpdf(const char *src_text, const char *extra, size_t *n)
{
    char src[] = "/tmp/referat-layouts-XXXXXX";
    int fd = mkstemp(src);
    CHECK(fd >= 0);
    if (fd < 0)
        return NULL;
    CHECK(write(fd, src_text, strlen(src_text)) == (ssize_t)strlen(src_text));
    close(fd);
    char out[64], cmd[512];
    snprintf(out, sizeof out, "%s.pdf", src);
    /* The writer is a tool, not under test: fontconfig keeps its caches to the end. */
    snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=detect_leaks=0 '%s' '%s' '%s' %s", MKPDF, src, out,
             extra);
    int st = system(cmd);
    CHECK(st == 0);
    char *p = test_read_file(out, n);
    unlink(src);
    unlink(out);
    return p;
}

static const char small_meeting[] =
    "#footer Side %p af %n\nReferat\n\nByrådet\n\nTirsdag den 5. marts 2024 kl. 19.00\n\n"
    "**1. Godkendelse af dagsorden**\n\n**Beslutning**\nGodkendt.\n\n"
    "**2. Meddelelser**\n\n**Beslutning**\nTaget til efterretning.\n";

static void test_bad_pdfs(void)
{
    size_t n;
    /* Damaged: a PDF cut in the middle, and bytes that only start like one. */
    char *p = run_mkpdf(small_meeting, "", &n);
    CHECK(p && n > 200);
    if (!p)
        return;
    struct outcome o = read_bytes("meeting-pdf", p, n / 2, 0);
    CHECK(o.rc < 0 || o.nwarn == 0); /* poppler may recover a cut file; no crash either way */
    o = read_bytes("meeting-pdf", "%PDF-1.7\nnot really\n", 20, FMT_LENIENT);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK(strstr(o.e.msg, "no text to read") != NULL);
    CHECK_INT(o.e.line, 1);
    free(p);
    /* Only images: no text. */
    p = run_mkpdf(small_meeting, "--images", &n);
    o = read_bytes("meeting-pdf", p, n, FMT_LENIENT);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK(strstr(o.e.msg, "no text") != NULL);
    free(p);
    /* Encrypted with a user password: a Standard security handler whose password is not
     * empty, around a page poppler cannot decrypt. */
    static const char enc[] =
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        "4 0 obj<</Filter/Standard/V 1/R 2/O<0123456789abcdef0123456789abcdef0123456789abcdef"
        "0123456789abcdef>/U<fedcba9876543210fedcba9876543210fedcba9876543210fedcba987654321"
        "0>/P -4>>endobj\ntrailer<</Root 1 0 R/Encrypt 4 0 R/ID[<00112233445566778899aabbccdd"
        "eeff><00112233445566778899aabbccddeeff>]>>\n%%EOF\n";
    o = read_bytes("meeting-pdf", enc, sizeof enc - 1, FMT_LENIENT);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK(strstr(o.e.msg, "encrypted") != NULL && strstr(o.e.msg, "no text to read") != NULL);
    /* Footers that name more pages than the file has: cut off. Strict refuses, lenient
     * warns. */
    p = run_mkpdf(small_meeting, "--declare 3", &n);
    o = read_bytes("meeting-pdf", p, n, 0);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK(strstr(o.e.msg, "expected 3 pages") != NULL && strstr(o.e.msg, "cut off") != NULL);
    o = read_bytes("meeting-pdf", p, n, FMT_LENIENT);
    CHECK_INT(o.rc, 0);
    CHECK(strstr(o.warn, "expected 3 pages") != NULL);
    o = read_bytes("meeting-pdf", p, n, FMT_LENIENT);
    free(p);
}

/* A 200 MB document: refused by size before any reader works on it, so time and memory stay
 * bounded; a large PDF under the limit reads in bounded time. */
static void test_huge(void)
{
    size_t n = 200u << 20;
    char *p = malloc(n);
    CHECK(p != NULL);
    if (!p)
        return;
    memcpy(p, "%PDF-1.4\n", 9);
    memset(p + 9, ' ', n - 9);
    struct outcome o = read_bytes("meeting-pdf", p, n, FMT_LENIENT);
    CHECK_INT(o.rc, ERR_LIMIT);
    CHECK(strstr(o.e.msg, "at most 64 MB") != NULL);
    free(p);
    /* 120 pages of text: read in bounded time (the test's timeout), every page. */
    struct buf src = BUF_INIT;
    buf_puts(&src, small_meeting);
    buf_puts(&src, "\n**3. Bilag til budgettet**\n\n**Sagsfremstilling**\n");
    for (int i = 0; i < 6000; i++)
        buf_printf(&src, "Linje %d i en lang oversigt over anlægsprojekter og driftsposter.\n", i);
    buf_puts(&src, "\n**Beslutning**\nGodkendt.\n");
    size_t m;
    p = run_mkpdf(buf_cstr(&src), "", &m);
    buf_free(&src);
    CHECK(p && m > 100000);
    struct meeting_doc *d = NULL;
    struct err e = {0};
    struct warnings w = {0};
    CHECK_INT(fmt_read_meeting(&fmt_read_meeting_pdf, p, m, 0, &d, &e, &w), 0);
    CHECK(d && d->nitems == 3);
    meeting_doc_free(d);
    warnings_fini(&w);
    free(p);
}

static void test_hostile_html(void)
{
    static const char page[] =
        "<!DOCTYPE html><html><head><script>alert('x')</script></head><body>"
        "<h1>Referat</h1><p>Byrådet</p><p>Tirsdag den 5. marts 2024</p>"
        "<form action='/x'><p>Skriv dit navn</p><input name='n' value='KANARIE'></form>"
        "<h2>1. Godkendelse af dagsorden</h2><h3>Beslutning</h3>"
        "<p onclick=\"steal()\">Godkendt.<script>document.write('<p>INDSAT</p>')</script></p>"
        "<iframe src='x'></iframe><noscript>SLÅ JS TIL</noscript>"
        "<h2>2. Meddelelser</h2><h3>Beslutning</h3><p>Intet.<img src=x onerror=alert(1)></p>"
        "</body></html>";
    struct meeting_doc *m = NULL;
    struct err e = {0};
    struct warnings w = {0};
    CHECK_INT(fmt_read_meeting(&fmt_read_meeting_html, page, sizeof page - 1, 0, &m, &e, &w), 0);
    CHECK(m && m->nitems == 2);
    for (size_t i = 0; m && i < m->nitems; i++) {
        struct buf b = BUF_INIT;
        fmt_write(&fmt_write_json, m->items[i].c, 0, &b);
        CHECK(strstr(b.ptr, "alert") == NULL && strstr(b.ptr, "INDSAT") == NULL &&
              strstr(b.ptr, "<") == NULL && strstr(b.ptr, "KANARIE") == NULL &&
              strstr(b.ptr, "steal") == NULL && strstr(b.ptr, "SLÅ") == NULL &&
              strstr(b.ptr, "navn") == NULL);
        buf_free(&b);
    }
    if (m)
        CHECK(m->notes == NULL || strstr(m->notes, "navn") == NULL);
    meeting_doc_free(m);
    warnings_fini(&w);
    /* Nested a million deep, and unclosed: no stack overflow, no hang. */
    struct buf b = BUF_INIT;
    buf_puts(&b, "<html><body><p>Referat</p><p>Byrådet 5. marts 2024</p>");
    for (int i = 0; i < 200000; i++)
        buf_puts(&b, "<div>");
    buf_puts(&b, "<h2>1. Punkt</h2><p>Beslutning</p><p>Godkendt.</p>");
    m = NULL;
    int rc = fmt_read_meeting(&fmt_read_meeting_html, b.ptr, b.len, FMT_LENIENT, &m, &e, &w);
    CHECK(rc == 0 || rc == ERR_SYNTAX);
    meeting_doc_free(m);
    warnings_fini(&w);
    buf_free(&b);
}

static void test_two_meetings(void)
{
    static const char text[] =
        "Referat\nByrådet\nTirsdag den 5. marts 2024\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "2. Meddelelser\n\nBeslutning\nIntet.\n\n"
        "Referat\nByrådet\nTirsdag den 9. april 2024\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n";
    struct outcome o = read_bytes("meeting-txt", text, sizeof text - 1, 0);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK_INT(o.e.line, 15);
    CHECK(strstr(o.e.msg, "one meeting per document") != NULL &&
          strstr(o.e.msg, "2024-04-09") != NULL);
    /* Lenient: the first meeting, with a warning at the second. */
    struct meeting_doc *m = NULL;
    struct err e = {0};
    struct warnings w = {0};
    CHECK_INT(fmt_read_meeting(&fmt_read_meeting_txt, text, sizeof text - 1, FMT_LENIENT, &m, &e,
                               &w),
              0);
    CHECK(m && m->nitems == 2 && w.n == 1 && w.v[0].line == 15);
    meeting_doc_free(m);
    warnings_fini(&w);
}

static void test_cut_off(void)
{
    /* The last item stops mid-sentence. */
    static const char mid[] =
        "Referat\nByrådet\nTirsdag den 5. marts 2024\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "2. Skolestruktur\n\nSagsfremstilling\nTre skoler i Vestbyen lægges sammen til én skole\n";
    struct outcome o = read_bytes("meeting-txt", mid, sizeof mid - 1, 0);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK_INT(o.e.line, 13);
    CHECK(strstr(o.e.msg, "cut off") != NULL);
    o = read_bytes("meeting-txt", mid, sizeof mid - 1, FMT_LENIENT);
    CHECK_INT(o.rc, 0);
    CHECK(o.nwarn >= 1 && strstr(o.warn, "cut off") != NULL);
    /* The last item lacks the decision every other item of the minutes has. */
    static const char nodec[] =
        "Referat\nByrådet\nTirsdag den 5. marts 2024\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "2. Meddelelser\n\nBeslutning\nIntet.\n\n"
        "3. Skolestruktur\n\nSagsfremstilling\nTre skoler lægges sammen.\n";
    o = read_bytes("meeting-txt", nodec, sizeof nodec - 1, 0);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK(strstr(o.e.msg, "decision in the last item") != NULL);
    /* No items at all: strict refuses, lenient reads the header with a warning. */
    static const char none[] = "Referat\nByrådet\nTirsdag den 5. marts 2024\n";
    o = read_bytes("meeting-txt", none, sizeof none - 1, 0);
    CHECK_INT(o.rc, ERR_SYNTAX);
    CHECK(strstr(o.e.msg, "numbered agenda items") != NULL);
    o = read_bytes("meeting-txt", none, sizeof none - 1, FMT_LENIENT);
    CHECK_INT(o.rc, 0);
    /* Not UTF-8: a position. */
    o = read_bytes("meeting-txt", "Referat\n\xff\n", 10, FMT_LENIENT);
    CHECK_INT(o.rc, ERR_UTF8);
    CHECK_INT(o.e.line, 2);
}

/* Detection is by content: a case export is never taken for a meeting, nor a meeting for a
 * case, whatever the file is called. */
static void test_detection(void)
{
    size_t n;
    char *p = test_read_file(EXAMPLES_DIR "/01-digitaliseringsstrategi.txt", &n);
    CHECK(p != NULL);
    const struct fmt_meeting_reader *r = p ? fmt_detect_meeting(p, n) : NULL;
    CHECK(r == NULL || r->sniff(p, n) < fmt_detect(p, n)->sniff(p, n));
    free(p);
    p = test_read_file(LAYOUTS_DIR "/01-ugedag-dato.txt", &n);
    CHECK(p && fmt_detect_meeting(p, n) == &fmt_read_meeting_txt);
    CHECK(p && (!fmt_detect(p, n) || fmt_detect(p, n)->sniff(p, n) < 95));
    free(p);
    p = test_read_file(LAYOUTS_DIR "/02-iso-tid.html", &n);
    CHECK(p && fmt_detect_meeting(p, n) == &fmt_read_meeting_html);
    free(p);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--dump") == 0) {
        struct meeting_doc *m = NULL;
        struct err e = {0};
        struct warnings w = {0};
        if (read_doc(argv[2], 0, &m, &e, &w) < 0) {
            fprintf(stderr, "%s:%u:%u: %s\n", argv[2], e.line, e.col, e.msg);
            return 1;
        }
        const char *base = strrchr(argv[2], '/');
        json_t *j = layout_summary(m, base ? base + 1 : argv[2], "?");
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
        json_decref(j);
        meeting_doc_free(m);
        warnings_fini(&w);
        return 0;
    }
    RUN(test_expected);
    RUN(test_closed_items_public);
    RUN(test_json_carries_items);
    RUN(test_bad_pdfs);
    RUN(test_huge);
    RUN(test_hostile_html);
    RUN(test_two_meetings);
    RUN(test_cut_off);
    RUN(test_detection);
    return TEST_REPORT();
}
