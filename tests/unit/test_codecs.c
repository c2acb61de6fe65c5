/* test_codecs: the md and txt readers and writers: the model they read from the reference
 * cases, byte-exact roundtrips, errors with positions, and pathological inputs. */
#include "test.h"
#include "format/format.h"

#include <dirent.h>
#include <unistd.h>
#include <time.h>

static struct case_doc *read_as(const char *fmt, const char *p, size_t n, int flags,
                                struct err *e)
{
    struct warnings w = {0};
    struct case_doc *c = NULL;
    fmt_read(fmt_reader_find(fmt), p, n, flags, &c, e, &w);
    warnings_fini(&w);
    return c;
}

static char *render(const char *fmt, const struct case_doc *c, int flags)
{
    struct buf b = BUF_INIT;
    fmt_write(fmt_writer_find(fmt), c, flags, &b);
    return buf_detach(&b);
}

static char *seed(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SEEDS_DIR, name);
    return test_read_file(path, n);
}

#define SEED_MD "000_7786c9215fe5c01a.txt"
#define SEED_TXT "001_e4fe47f4266e6382.txt"

static void seed_md_model(void)
{
    size_t n;
    char *p = seed(SEED_MD, &n);
    if (!p) {
        printf("skip: %s absent\n", SEEDS_DIR);
        return;
    }
    CHECK(fmt_detect(p, n) == &fmt_read_md);
    struct err e = {0};
    struct case_doc *c = read_as("md", p, n, 0, &e);
    CHECK(c != NULL);
    if (!c)
        goto done;
    CHECK_STR(c->title, "Punkter til behandling");
    CHECK(c->public);
    CHECK_INT(c->nroute, 1);
    CHECK_STR(c->route[0], "DIR");
    CHECK(c->presentation && strncmp(c->presentation, "I økonomiaftalen", strlen("I økonomiaftalen")) == 0);
    CHECK(c->presentation && strstr(c->presentation, "fagudvalgene.") &&
          !strstr(c->presentation, "øvrige punkter"));
    CHECK_STR(c->intro, "Direktionen har følgende øvrige punkter til behandling:");
    CHECK_INT(c->nsubitems, 4);
    CHECK_STR(c->subitems[0].time, "10.30");
    CHECK_STR(c->subitems[0].title, "Den nye tværgående digitaliseringsorganisation.");
    CHECK(c->subitems[0].text && strncmp(c->subitems[0].text, "Den 30. august 2023", 19) == 0);
    /* Three paragraphs after the title: two breaks. */
    CHECK(c->subitems[0].text && strstr(strstr(c->subitems[0].text, "\n\n") + 2, "\n\n"));
    CHECK_STR(c->subitems[3].time, "11.30");
    CHECK_STR(c->subitems[3].title, "KB seminar");
    CHECK_STR(c->recommendation, "Det indstilles, at punkterne behandles.");
    CHECK_INT(c->ndecisions, 1);
    CHECK_STR(c->decisions[0].body, "Direktionen");
    CHECK_STR(c->decisions[0].date, "2023-12-20");
    CHECK_STR(c->decisions[0].text, "Direktionen havde følgende øvrige punkter til behandling:");
    CHECK_INT(c->decisions[0].nentries, 4);
    CHECK_STR(c->decisions[0].entries[1].title, "Nytårskure 2024");
    CHECK_INT(c->decisions[0].entries[1].subitem, 2);
    CHECK(c->decisions[0].entries[1].text &&
          strstr(c->decisions[0].entries[1].text, "gennemsyn.\n\nUdviklingskonsulent"));
    CHECK_STR(c->decisions[0].entries[3].text,
              "Der afholdes KB-seminar d. 22.-23. januar 2024. Direktionen drøftede programmet "
              "med henblik på godkendelse. Der blev givet en række bemærkninger. Særligt ift. "
              "afvikling af dag 2.\n\nLedelsessekretariatet og Økonomichef Bettina Andersen "
              "følger op.");
    CHECK_INT(c->nattachments, 6);
    const struct attachment *a = c->attachments;
    CHECK(a[0].number == 1 && a[0].public);
    CHECK_STR(a[0].title, "Norddjurs Kommunes tværgående digitaliseringsorganisation version 3.0.");
    CHECK_STR(a[0].journal, "122962/23");
    CHECK_STR(a[0].flag, "H");
    CHECK_STR(a[0].document, "3553435");
    CHECK(a[1].number == 2 && !a[1].public);
    CHECK_STR(a[1].journal, "");
    CHECK_STR(a[1].flag, "");
    CHECK_STR(a[1].document, NULL);
    CHECK_STR(a[3].document, "3554366");
    CHECK(a[5].number == 6 && !a[5].public);
    CHECK_STR(a[5].title, "Nytårskur for ledere 2024");
    CHECK_STR(a[5].journal, "0");
    CHECK_STR(a[5].flag, "0");
    /* The export's quirks (blank line before 6, the closing rule) live in the layout. */
    CHECK_STR(c->layout.format, "md");
    CHECK(c->layout.nhunks >= 1 && c->layout.nhunks <= 3);
done:
    case_free(c);
    free(p);
}

static void seed_txt_model(void)
{
    size_t n;
    char *p = seed(SEED_TXT, &n);
    if (!p) {
        printf("skip: %s absent\n", SEEDS_DIR);
        return;
    }
    CHECK(fmt_detect(p, n) == &fmt_read_txt);
    struct err e = {0};
    struct case_doc *c = read_as("txt", p, n, 0, &e);
    CHECK(c != NULL);
    if (!c)
        goto done;
    CHECK_STR(c->title, "Punkter til behandling");
    CHECK_INT(c->nsubitems, 3);
    /* No times; the title/text boundary comes back from the decision's bullets. */
    CHECK_STR(c->subitems[0].time, NULL);
    CHECK_STR(c->subitems[0].title, "Kursus for ledere i psykologisk tryghed.");
    CHECK(c->subitems[0].text && strncmp(c->subitems[0].text, "Alle ledere", 11) == 0);
    CHECK_STR(c->subitems[1].title, "Beredskabskursus for chefforum");
    CHECK(c->subitems[1].text &&
          strncmp(c->subitems[1].text, "På direktionens møde 27. september", 35) == 0);
    CHECK_STR(c->subitems[2].title, "Proces for råderumsarbejdet i chefforum");
    CHECK_STR(c->decisions[0].date, "2023-11-01");
    CHECK_INT(c->decisions[0].entries[2].subitem, 3);
    CHECK_INT(c->nattachments, 4);
    CHECK_STR(c->attachments[1].journal, "108327/23");
    CHECK_STR(c->attachments[1].document, "3535074");
    CHECK_STR(c->attachments[3].title, "PP til råderum - proces og gruppearbejde - chefforum 8. nov");
    /* The plain-text seed is exactly our canonical rendering. */
    CHECK(c->layout.format == NULL);
done:
    case_free(c);
    free(p);
}

/* read X as fmt -> write fmt gives X; through JSON too. */
static void roundtrip_file(const char *path, const char *fmt)
{
    size_t n;
    char *p = test_read_file(path, &n);
    CHECK(p != NULL);
    if (!p)
        return;
    struct err e = {.file = path};
    struct case_doc *c = read_as(fmt, p, n, 0, &e);
    if (!c) {
        char msg[512];
        err_format(&e, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        CHECK(c != NULL);
        free(p);
        return;
    }
    char *out = render(fmt, c, 0);
    if (strlen(out) != n || memcmp(out, p, n) != 0) {
        fprintf(stderr, "%s: %s -> %s is not byte-identical\n", path, fmt, fmt);
        CHECK(0);
    }
    char *json = render("json", c, 0);
    struct case_doc *j = read_as("json", json, strlen(json), 0, &e);
    CHECK(j && case_equal(c, j, true));
    if (j) {
        char *back = render(fmt, j, 0);
        if (strlen(back) != n || memcmp(back, p, n) != 0) {
            fprintf(stderr, "%s: %s -> json -> %s is not byte-identical\n", path, fmt, fmt);
            CHECK(0);
        }
        free(back);
    }
    case_free(j);
    free(json);
    free(out);
    case_free(c);
    free(p);
}

static int is_example(const char *name, const char *ext)
{
    size_t n = strlen(name), m = strlen(ext);
    return n > m + 3 && name[0] >= '0' && name[0] <= '9' && strcmp(name + n - m, ext) == 0;
}

static void roundtrips(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SEEDS_DIR, SEED_MD);
    if (access(path, R_OK) == 0) {
        roundtrip_file(path, "md");
        snprintf(path, sizeof path, "%s/%s", SEEDS_DIR, SEED_TXT);
        roundtrip_file(path, "txt");
    }
    DIR *d = opendir(EXAMPLES_DIR);
    CHECK(d != NULL);
    int count = 0;
    for (struct dirent *de; d && (de = readdir(d));) {
        const char *fmt = is_example(de->d_name, ".md") ? "md"
                          : is_example(de->d_name, ".txt") ? "txt" : NULL;
        if (!fmt)
            continue;
        snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, de->d_name);
        roundtrip_file(path, fmt);
        count++;
    }
    if (d)
        closedir(d);
    CHECK(count >= 16);
}

/* md -> txt -> model equals md -> model, but for paragraph breaks inside table cells. */
static void md_txt_md_same_model(const char *path)
{
    size_t n;
    char *p = test_read_file(path, &n);
    if (!p)
        return;
    struct err e = {0};
    struct case_doc *c = read_as("md", p, n, 0, &e);
    CHECK(c != NULL);
    if (!c) {
        free(p);
        return;
    }
    char *txt = render("txt", c, 0);
    struct case_doc *t = read_as("txt", txt, strlen(txt), 0, &e);
    CHECK(t != NULL);
    for (size_t i = 0; t && i < c->nsubitems; i++) {
        char *s = c->subitems[i].text;
        for (char *q = s; q && (q = strstr(q, "\n\n"));)
            memmove(q, q + 1, strlen(q)), *q = ' ';
    }
    if (t && !case_equal(c, t, false)) {
        fprintf(stderr, "%s: md -> txt -> model differs from md -> model\n", path);
        CHECK(0);
    }
    case_free(t);
    free(txt);
    case_free(c);
    free(p);
}

static void md_to_txt_keeps_model(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SEEDS_DIR, SEED_MD);
    md_txt_md_same_model(path);
    DIR *d = opendir(EXAMPLES_DIR);
    for (struct dirent *de; d && (de = readdir(d));) {
        /* 06 has no decisions to recover its titles from: the txt reader guesses there. */
        if (!is_example(de->d_name, ".md") || strncmp(de->d_name, "06-", 3) == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, de->d_name);
        md_txt_md_same_model(path);
    }
    if (d)
        closedir(d);
}

static void edited_model_drops_stale_layout(void)
{
    size_t n;
    char *p = seed(SEED_MD, &n);
    if (!p)
        return;
    struct err e = {0};
    struct case_doc *c = read_as("md", p, n, 0, &e);
    CHECK(c != NULL);
    if (!c) {
        free(p);
        return;
    }
    free(c->title);
    c->title = xstrdup("Ny titel");
    char *out = render("md", c, 0);
    const char *want = "\n\n## **Ny titel**\n\n*Åben Sag*";
    CHECK(strncmp(out, want, strlen(want)) == 0);
    CHECK(strstr(out, "-----") == NULL); /* the patch did not apply to changed content */
    free(out);
    case_free(c);
    free(p);
}

static void expect_error(const char *fmt, const char *input, unsigned line, unsigned col,
                         const char *msg_part)
{
    struct err e = {0};
    struct case_doc *c = read_as(fmt, input, strlen(input), 0, &e);
    CHECK(c == NULL);
    CHECK(e.code < 0);
    if (e.line != line || e.col != col || !strstr(e.msg, msg_part)) {
        fprintf(stderr, "input %.40s...: got %u:%u: %s; want %u:%u: ...%s...\n", input, e.line,
                e.col, e.msg, line, col, msg_part);
        CHECK(0);
    }
    case_free(c);
}

static void errors_have_positions(void)
{
    expect_error("md", "", 1, 1, "expected a case title");
    expect_error("md", "\n\n## **Titel**\n\nHej\n", 5, 1, "expected \"Åben Sag\" or \"Lukket Sag\"");
    expect_error("md", "\n\n## **Titel**\n", 4, 1, "expected \"Åben Sag\"");
    expect_error("txt", "Titel\n\nÅben Sag\n\nSagsgang\n\nDIR\n\nNoget andet\n", 9, 1,
                 "expected a section heading");
    expect_error("txt", "Titel\n\nÅben Sag\n\nBeslutning i Direktionen den 32-13-2023\n", 5, 1,
                 "expected \"Beslutning i <organ> den DD-MM-YYYY\"");
    expect_error("md", "T\n\n*Åben Sag*\n\n## Beslutning i den 01-01-2023\n", 5, 4,
                 "expected \"Beslutning i <organ> den DD-MM-YYYY\"");
    expect_error("txt", "T\n\nÅben Sag\n\nBilag:\n\n1 -\tMåske\tX\t()\t()\n", 7, 5,
                 "expected \"Åben\" or \"Lukket\"");
    expect_error("txt", "T\n\nÅben Sag\n\nBilag:\n\nhej\n", 7, 1, "expected an attachment line");
    expect_error("txt", "T\n\nÅben Sag\n\nSagsgang\n", 5, 1, "expected the bodies of Sagsgang");
    expect_error("txt", "T\n\nÅben Sag\n\nIndstilling\n\nA\n\nIndstilling\n\nB", 9, 1,
                 "expected one Indstilling section");
    expect_error("md", "T\n\n*Åben Sag*\n\n### Sagsfremstilling\n\nTid\tPunkt\nuden tab\n", 8, 1,
                 "expected a table row");
    /* Broken UTF-8: the position of the bad byte, in characters. */
    expect_error("txt", "Titel\n\nÅben \xC3(Sag\n", 3, 6, "expected UTF-8 text");
    expect_error("txt", "Titel\n\xff", 2, 1, "expected UTF-8 text");
    /* Cut off: a section the exports always have is missing, or a cell ends mid-paragraph. */
    expect_error("txt", "T\n\nÅben Sag\n\nSagsgang\n\nDIR\n\nSagsfremstilling\n\nTekst der", 11,
                 10, "expected a \"Indstilling\" section before the end of the document");
    expect_error("md", "T\n\n*Åben Sag*\n\n### **Sagsgang**\n\nDIR\n\n### **Sagsfremstilling**"
                       "\n\nTid\tPunkt\n10.30\t<p>Punkt</p> <p>Tekst der slutt", 12, 7,
                 "expected \"</p>\" closing the table cell's paragraph");
}

static void lenient_reads_what_it_can(void)
{
    const char *in = "T\n\nÅben Sag\n\nSagsgang\n\nDIR\n\nSagsfremstilling\n\nTekst\n\n"
                     "Indstilling\n\nGodkendes.\n\nBilag:\n\nhej\n1 -\tÅben\tNotat\t(1/23)\t(H)\n";
    struct warnings w = {0};
    struct err e = {0};
    struct case_doc *c = NULL;
    int rc = fmt_read(&fmt_read_txt, in, strlen(in), FMT_LENIENT, &c, &e, &w);
    CHECK_INT(rc, 0);
    CHECK(c && c->nattachments == 1);
    CHECK_INT(w.n, 1);
    CHECK(w.n && w.v[0].line == 19);
    warnings_fini(&w);
    case_free(c);
}

/* Generous limits only: these catch quadratic behaviour, speed lives in bench/. */
static void pathological_inputs(void)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "\n\n## **Mange punkter**\n\n*Åben Sag*\n\n### **Sagsgang**\n\nDIR\n\n"
                 "### **Sagsfremstilling**\n\nTid\tPunkt");
    enum { N = 2000 }; /* near CASE_MAX_SUBITEMS */
    for (int i = 0; i < N; i++)
        buf_printf(&b, "\n%02d.%02d\t<p>Punkt %d</p> <p>Tekst %d.</p>", i / 60 % 24, i % 60, i, i);
    buf_puts(&b, "\n\n### Indstilling\n\nGodkendes.\n\n## Beslutning i Direktionen den 01-02-2024");
    for (int i = 0; i < N; i++)
        buf_printf(&b, "\n\n- Punkt %d\n\nLedelsessekretariatet følger op d. 3. marts.", N - 1 - i);
    clock_t t0 = clock();
    struct err e = {0};
    struct case_doc *c = read_as("md", b.ptr, b.len, 0, &e);
    CHECK(c && c->nsubitems == N && c->decisions[0].nentries == N);
    CHECK(c && c->decisions[0].entries[0].subitem == N);
    char *out = c ? render("md", c, 0) : NULL;
    CHECK(out && strcmp(out, b.ptr) == 0);
    free(out);
    case_free(c);
    /* A 1 MB line of text in a paragraph, and one in a table cell. */
    buf_truncate(&b, 0);
    buf_puts(&b, "T\n\nÅben Sag\n\nSagsgang\n\nDIR\n\nSagsfremstilling\n\n");
    for (int i = 0; i < 100000; i++)
        buf_puts(&b, "ord ord. ");
    buf_puts(&b, "\n\nTid\tPunkt\n\t");
    for (int i = 0; i < 100000; i++)
        buf_puts(&b, "ord ord. ");
    buf_puts(&b, "\n\nIndstilling\n\nGodkendes.");
    c = read_as("txt", b.ptr, b.len, 0, &e);
    CHECK(c && c->nsubitems == 1);
    case_free(c);
    /* Truncated at every length: never a crash, always a model or an error. */
    size_t n;
    char *p = seed(SEED_MD, &n);
    for (size_t k = 0; p && k < n; k += 7) {
        struct err e2 = {0};
        struct case_doc *t = read_as("md", p, k, 0, &e2);
        CHECK(t != NULL || e2.code < 0);
        if (t) {
            char *o = render("md", t, 0);
            CHECK(strlen(o) == k && memcmp(o, p, k) == 0);
            free(o);
        }
        case_free(t);
    }
    free(p);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 60);
    buf_free(&b);
}

static void empty_sections(void)
{
    const char *in = "T\n\nLukket Sag\n\nSagsgang\n\nFU, ØK,KB\n\nSagsfremstilling\n\nIndstilling"
                     "\n\nBilag:";
    struct err e = {0};
    struct case_doc *c = read_as("txt", in, strlen(in), 0, &e);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK(!c->public);
    CHECK_INT(c->nroute, 3);
    CHECK_STR(c->route[2], "KB");
    CHECK(c->has_attachments && c->nattachments == 0);
    char *out = render("txt", c, 0);
    CHECK_STR(out, in);
    free(out);
    case_free(c);
}

static void md_cells_decode_html(void)
{
    const char *in = "T\n\n*Åben Sag*\n\n### **Sagsgang**\n\nDIR\n\n### **Sagsfremstilling**\n\n"
                     "Tid\tPunkt\n9.00\t<p>A &amp; B &lt;x&gt; &aelig;&#248;&#xE5;</p> "
                     "<p>Linje<br>to</p>\n\n### Indstilling\n\nGodkendes.";
    struct err e = {0};
    struct case_doc *c = read_as("md", in, strlen(in), 0, &e);
    CHECK(c && c->nsubitems == 1);
    if (!c)
        return;
    CHECK_STR(c->subitems[0].title, "A & B <x> æøå");
    CHECK_STR(c->subitems[0].text, "Linje\nto");
    char *out = render("md", c, 0);
    CHECK_STR(out, in); /* entities the writer would spell otherwise come back via layout */
    free(out);
    case_free(c);
}

static void public_writers_hide_closed(void)
{
    const char *in = "\n\nHemmelig sag\n\nLukket Sag\n\nSagsgang\n\nDIR\n\nSagsfremstilling"
                     "\n\nSECRET tekst\n\nIndstilling\n\nSECRET indstilling\n\nBilag:\n\n"
                     "1 -\tLukket\tNotat\t(SECRET/23)\t(H)";
    struct err e = {0};
    struct case_doc *c = read_as("txt", in, strlen(in), 0, &e);
    CHECK(c != NULL);
    const char *fmts[] = {"md", "txt", "json", "html"};
    for (size_t i = 0; c && i < 4; i++) {
        char *out = render(fmts[i], c, FMT_PUBLIC);
        CHECK(strstr(out, "SECRET") == NULL);
        CHECK(strstr(out, "Hemmelig sag") != NULL);
        free(out);
    }
    case_free(c);
}

/* Writes c in fmt, reads it back strictly; NULL (and a message) when the reader refuses. */
static struct case_doc *through(const char *fmt, const struct case_doc *c)
{
    char *out = render(fmt, c, 0);
    struct err e = {0};
    struct case_doc *back = read_as(fmt, out, strlen(out), 0, &e);
    if (!back)
        fprintf(stderr, "%s written, then refused: %u:%u: %s\n%s\n", fmt, e.line, e.col, e.msg,
                out);
    free(out);
    return back;
}

/* D12: whatever the model holds that the exports can carry, the writers write so that their
 * readers take it back: sections without content, rows without has_table, empty texts. */
static void d12_convert_output_reads_back(void)
{
    struct case_doc *c = case_new();
    c->title = xstrdup("Sag uden sagsgang ");
    c->public = true;
    struct subitem *s = case_add_subitem(c); /* has_table is false: the rows make the table */
    s->title = xstrdup("Punkt");
    s->text = xstrdup("");
    s = case_add_subitem(c);
    s->time = xstrdup("10.30");
    s->title = xstrdup("");
    s->text = xstrdup("Tekst\n\n");
    struct decision *d = case_add_decision(c);
    d->body = xstrdup("Direktionen");
    d->date = xstrdup("2024-01-02");
    decision_add_entry(d)->title = xstrdup("");
    struct attachment *a = case_add_attachment(c); /* has_attachments is false */
    a->number = 100000;
    a->public = true;
    a->title = xstrdup("Bilag");
    a->document = xstrdup("0012");
    for (int k = 0; k < 2; k++) {
        struct case_doc *back = through(k ? "txt" : "md", c);
        CHECK(back != NULL);
        if (!back)
            continue;
        CHECK_INT(back->nroute, 0);
        CHECK(back->has_table && back->nsubitems == 2);
        CHECK_STR(back->recommendation, NULL);
        CHECK_INT(back->decisions[0].nentries, 1);
        CHECK_STR(back->decisions[0].entries[0].title, "");
        CHECK(back->has_attachments && back->nattachments == 1);
        CHECK_INT(back->attachments[0].number, 100000);
        CHECK_STR(back->attachments[0].document, "0012");
        if (!k) { /* md keeps cells exactly; txt writes a cell on one line */
            CHECK_STR(back->title, "Sag uden sagsgang ");
            CHECK_STR(back->subitems[0].text, "");
            CHECK_STR(back->subitems[1].title, "");
            CHECK_STR(back->subitems[1].text, "Tekst\n\n");
        } else {
            CHECK_STR(back->title, "Sag uden sagsgang");
        }
        case_free(back);
    }
    case_free(c);
}

/* D12: a reader refuses what the other dialect could not carry, so that everything read
 * converts: markup-free lines md keeps as text but txt reads as structure, and blanks. */
/* An agenda (no decision yet) in the text export: no decision's bullets tell where a
 * sub-item's title ends, so the writer marks it with a tab and the reader takes it back. */
static void agenda_txt_keeps_titles(void)
{
    const char *in = "{\"format\": \"referat-case/1\", \"title\": \"Punkter til behandling\", \"public\": true, \"route\": "
                     "[\"DIR\"], \"has_table\": true, \"presentation\": \"P.\", \"intro\": \"I:\", \"subitems\": [{\"time\": \"10.30\", "
                     "\"title\": \"Beredskabskursus for chefforum\", \"text\": \"På mødet d. 27. "
                     "september. Bilag er vedlagt.\"}, {\"time\": null, \"title\": \"Proces. Mere\", "
                     "\"text\": null}], \"recommendation\": \"Det indstilles.\"}";
    struct err e = {0};
    struct case_doc *c = read_as("json", in, strlen(in), FMT_NOLAYOUT, &e);
    CHECK(c != NULL);
    if (!c)
        return;
    char *txt = render("txt", c, FMT_NOLAYOUT);
    CHECK(strstr(txt, "10.30\tBeredskabskursus for chefforum\tPå mødet") != NULL);
    struct case_doc *back = read_as("txt", txt, strlen(txt), FMT_NOLAYOUT, &e);
    CHECK(back && case_equal(c, back, false));
    CHECK(back && back->nsubitems == 2 && !back->subitems[1].text);
    free(txt);
    case_free(back);
    case_free(c);
    /* A tab inside a cell cannot be carried by the text export: refused by every reader. */
    const char *tab = "{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, \"route\": [\"DIR\"], \"subitems\": "
                      "[{\"time\": null, \"title\": \"a\\tb\", \"text\": null}]}";
    c = read_as("json", tab, strlen(tab), FMT_NOLAYOUT, &e);
    CHECK(c == NULL && strstr(e.msg, "without tabs"));
    case_free(c);
}

static void d12_readers_refuse_what_the_other_dialect_cannot_carry(void)
{
#define MD_HEAD "## **T**\n\n*Åben Sag*\n\n### **Sagsgang**\n\nDIR\n\n### **Sagsfremstilling**\n\n"
#define TXT_HEAD "T\n\nÅben Sag\n\nSagsgang\n\nDIR\n\nSagsfremstilling\n\n"
    expect_error("md", MD_HEAD "Tekst.\nIndstilling\n\n### Indstilling\n\nOk.", 12, 1,
                 "a line the text export reads as a section heading");
    expect_error("md", MD_HEAD "### Indstilling\n\nOk.\n\n## Beslutning i D den 01-01-2024\n\n"
                               "\\- ikke et punkt",
                 17, 1, "a line the text export reads as a \"- \" bullet");
    expect_error("md", "## ****\n\n*Åben Sag*\n", 1, 1, "expected a title, found a blank one");
    expect_error("md", "## **Bilag: **\n\n*Åben Sag*\n", 1, 1,
                 "expected a case title, found a section heading");
    expect_error("md", MD_HEAD "Tid\tPunkt\n10.30\t<p> </p> <p><br></p>\n\n### Indstilling", 12, 7,
                 "expected a table cell that is not blank");
    expect_error("txt", "T\n\nÅben Sag\n\nSagsgang\n\n# Bilag\n", 7, 1,
                 "expected body codes, found a line that reads as a section heading");
    expect_error("txt", TXT_HEAD "Tid\tPunkt\n# Beslutning i D\tPunkt\n\nIndstilling", 12, 1,
                 "expected a time, found the start of a section heading");
    /* Lenient reading leaves such a line out and goes on. */
    const char *in = MD_HEAD "Tekst.\nIndstilling\nMere.\n\n### Indstilling\n\nOk.";
    struct warnings w = {0};
    struct err e = {0};
    struct case_doc *c = NULL;
    CHECK(fmt_read(&fmt_read_md, in, strlen(in), FMT_LENIENT, &c, &e, &w) == 0);
    CHECK(c && c->presentation && strcmp(c->presentation, "Tekst.\nMere.") == 0);
    CHECK_INT(w.n, 1);
    CHECK(c && c->layout.format == NULL); /* a lenient read keeps no layout */
    warnings_fini(&w);
    case_free(c);
}

/* A bullet with no title ("- " alone) read past the end of its line (and crashed). */
static void bullet_without_title(void)
{
    const char *in[] = {
        TXT_HEAD "Indstilling\n\nOk.\n\nBeslutning i D den 01-01-2024\n\n- \n\nTekst.",
        MD_HEAD "### Indstilling\n\nOk.\n\n## Beslutning i D den 01-01-2024\n\n- "};
    for (int k = 0; k < 2; k++) {
        struct err e = {0};
        const char *fmt = k ? "md" : "txt";
        struct case_doc *c = read_as(fmt, in[k], strlen(in[k]), 0, &e);
        CHECK(c && c->ndecisions == 1 && c->decisions[0].nentries == 1);
        if (!c)
            continue;
        CHECK_STR(c->decisions[0].entries[0].title, "");
        char *out = render(fmt, c, 0);
        CHECK_STR(out, in[k]);
        free(out);
        case_free(c);
    }
}

/* An empty Sagsgang reads (the writers write one for a case without a route); at the end of
 * the document it is still a cut-off file. */
static void empty_route_reads(void)
{
    const char *in = "T\n\nÅben Sag\n\nSagsgang\n\nSagsfremstilling\n\nIndstilling";
    struct err e = {0};
    struct case_doc *c = read_as("txt", in, strlen(in), 0, &e);
    CHECK(c && c->nroute == 0);
    char *out = c ? render("txt", c, FMT_NOLAYOUT) : NULL;
    CHECK_STR(out, "\n\nT\n\nÅben Sag\n\nSagsgang\n\nSagsfremstilling\n\nIndstilling");
    free(out);
    case_free(c);
}

/* D8: attachment numbers are what the portal serves, 1 to CASE_MAX_ATTACHMENT; sub-items no
 * more than the archive numbers. Both refused where they stand, saying the limit. */
static void d8_limits_in_line_formats(void)
{
    expect_error("txt", "T\n\nÅben Sag\n\nBilag:\n\n1 -\tÅben\tA\n100001 -\tÅben\tB\n", 8, 1,
                 "expected an attachment number from 1 to 100000");
    expect_error("md", "T\n\n*Åben Sag*\n\n## Bilag:\n\n0 -\tÅben\tA\n", 7, 1,
                 "expected an attachment number from 1 to 100000");
    const char *ok = "T\n\nÅben Sag\n\nSagsgang\n\nDIR\n\nSagsfremstilling\n\nIndstilling\n\n"
                     "Bilag:\n\n000100000 -\tÅben\tA\n";
    struct err e = {0};
    struct case_doc *c = read_as("txt", ok, strlen(ok), 0, &e);
    CHECK(c && c->nattachments == 1 && c->attachments[0].number == 100000);
    case_free(c);
    struct buf b = BUF_INIT;
    buf_puts(&b, TXT_HEAD "Tid\tPunkt");
    for (unsigned i = 0; i <= CASE_MAX_SUBITEMS; i++)
        buf_printf(&b, "\n\tPunkt %u", i);
    buf_puts(&b, "\n\nIndstilling");
    expect_error("txt", b.ptr, 12 + CASE_MAX_SUBITEMS, 1,
                 "expected at most 2047 sub-items in the Tid/Punkt table");
    buf_free(&b);
}

int main(void)
{
    RUN(seed_md_model);
    RUN(seed_txt_model);
    RUN(roundtrips);
    RUN(md_to_txt_keeps_model);
    RUN(edited_model_drops_stale_layout);
    RUN(errors_have_positions);
    RUN(lenient_reads_what_it_can);
    RUN(pathological_inputs);
    RUN(empty_sections);
    RUN(md_cells_decode_html);
    RUN(public_writers_hide_closed);
    RUN(agenda_txt_keeps_titles);
    RUN(d12_convert_output_reads_back);
    RUN(d12_readers_refuse_what_the_other_dialect_cannot_carry);
    RUN(bullet_without_title);
    RUN(empty_route_reads);
    RUN(d8_limits_in_line_formats);
    return TEST_REPORT();
}
