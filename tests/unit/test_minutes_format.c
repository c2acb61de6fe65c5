/* test_minutes_format: the tillæg (issue 9, minutes) in the model and every writer: md, txt
 * and json read back into the same model, html shows it, the public view of a closed case has
 * none, and what the exports cannot carry is refused by the readers. */
#include "test.h"
#include "format/format.h"
#include "model/case.h"

static struct case_doc *read_as(const struct fmt_reader *r, const char *p, size_t n, int flags,
                                struct err *e)
{
    struct warnings w = {0};
    struct case_doc *c = NULL;
    fmt_read(r, p, n, flags, &c, e, &w);
    warnings_fini(&w);
    return c;
}

static char *render(const struct fmt_writer *wr, const struct case_doc *c, int flags)
{
    struct buf b = BUF_INIT;
    fmt_write(wr, c, flags, &b);
    return buf_detach(&b);
}

static struct case_doc *example(const char *name)
{
    char path[512];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, name);
    char *p = test_read_file(path, &n);
    CHECK(p != NULL);
    if (!p)
        return NULL;
    struct err e = {0};
    struct case_doc *c = read_as(&fmt_read_md, p, n, FMT_NOLAYOUT, &e);
    if (!c)
        fprintf(stderr, "%s: %s\n", name, e.msg);
    CHECK(c != NULL);
    free(p);
    return c;
}

static void add(struct case_doc *c, const char *date, const char *reason, const char *text)
{
    struct addition *a = case_add_addition(c);
    a->date = strdup(date);
    a->reason = strdup(reason);
    a->text = text ? strdup(text) : NULL;
}

/* md, txt and json carry the tillæg and read back into the same model. */
static void roundtrip(void)
{
    struct case_doc *c = example("01-digitaliseringsstrategi.md");
    if (!c)
        return;
    add(c, "2023-03-20", "Forkert dato for høringen.",
        "Udkastet sendes i høring i MED-systemet i maj, ikke april.\n\nØvrigt uændret.");
    add(c, "2023-03-27", "Navn stavet forkert.\nRettet efter aftale.", NULL);
    const struct fmt_writer *w[] = {&fmt_write_md, &fmt_write_txt, &fmt_write_json};
    const struct fmt_reader *r[] = {&fmt_read_md, &fmt_read_txt, &fmt_read_json};
    for (size_t k = 0; k < 3; k++) {
        char *out = render(w[k], c, FMT_NOLAYOUT);
        struct err e = {0};
        struct case_doc *back = read_as(r[k], out, strlen(out), FMT_NOLAYOUT, &e);
        if (!back)
            fprintf(stderr, "%s: %u:%u: %s\n", w[k]->name, e.line, e.col, e.msg);
        CHECK(back != NULL);
        if (back) {
            CHECK_INT(back->nadditions, 2);
            if (back->nadditions == 2) {
                CHECK_STR(back->additions[0].date, "2023-03-20");
                CHECK_STR(back->additions[0].reason, "Forkert dato for høringen.");
                CHECK_STR(back->additions[1].reason, "Navn stavet forkert.\nRettet efter aftale.");
                CHECK(back->additions[1].text == NULL);
            }
            /* Extraction runs on read: compare the parts the writers carry. */
            CHECK(case_equal(c, back, false) || k < 2);
            CHECK_INT(back->ndecisions, c->ndecisions);
            CHECK_INT(back->nattachments, c->nattachments);
        }
        case_free(back);
        free(out);
    }
    char *md = render(&fmt_write_md, c, FMT_NOLAYOUT);
    CHECK(strstr(md, "\n\n## Tillæg den 20-03-2023\n\nBegrundelse: Forkert dato") != NULL);
    /* after the decisions, before Bilag */
    CHECK(strstr(md, "## Tillæg") > strstr(md, "## Beslutning"));
    CHECK(strstr(md, "## Tillæg") < strstr(md, "## Bilag:"));
    free(md);
    char *txt = render(&fmt_write_txt, c, FMT_NOLAYOUT);
    CHECK(strstr(txt, "\n\nTillæg den 27-03-2023\n\nBegrundelse: Navn stavet") != NULL);
    free(txt);
    char *html = render(&fmt_write_html, c, 0);
    CHECK(strstr(html, "<section class=\"addition\">") != NULL);
    CHECK(strstr(html, "Begrundelse: Forkert dato for høringen.") != NULL);
    free(html);
    /* copies and equality see them */
    struct case_doc *d = case_dup(c);
    CHECK(case_equal(c, d, true));
    free(d->additions[1].text);
    d->additions[1].text = strdup("x");
    CHECK(!case_equal(c, d, true));
    case_free(d);
    /* the public view of an open case keeps them (they correct public minutes) */
    struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
    CHECK_INT(v->nadditions, 2);
    case_free(v);
    case_free(c);
}

/* A reason's second line that would read as markup in md is escaped and read back. */
static void reason_markup(void)
{
    struct case_doc *c = example("02-trivselsmaaling.md");
    if (!c)
        return;
    add(c, "2024-01-05", "Første linje.\n## Bilag:\n- ikke en punkt", "# ikke en overskrift");
    for (int k = 0; k < 2; k++) {
        char *out = render(k ? &fmt_write_txt : &fmt_write_md, c, FMT_NOLAYOUT);
        struct err e = {0};
        struct case_doc *back =
            read_as(k ? &fmt_read_txt : &fmt_read_md, out, strlen(out), FMT_NOLAYOUT, &e);
        if (k == 0) {
            CHECK(back != NULL);
            if (back && back->nadditions == 1) {
                CHECK_STR(back->additions[0].reason, c->additions[0].reason);
                CHECK_STR(back->additions[0].text, c->additions[0].text);
                CHECK_INT(back->nattachments, c->nattachments);
            }
        } else {
            /* txt reads only the bare "Bilag:" as its heading: the line stays text */
            CHECK(back != NULL);
            if (back)
                CHECK_INT(back->nadditions, 1);
        }
        case_free(back);
        free(out);
    }
    case_free(c);
}

/* A reason's first line follows "Begrundelse: ", so a first line that alone would read as a
 * heading ("Beslutning i ...") is fine in every format, JSON included (the fuzzer's
 * tests/fuzz/corpus/md/tillaeg-reason-heading.md); a later such line is refused in JSON, as
 * the text export would read it as a heading. */
static void reason_first_line(void)
{
    struct case_doc *c = example("02-trivselsmaaling.md");
    if (!c)
        return;
    add(c, "2024-01-15", "Beslutning i Direktionen den 05-01-2024 havde en fejl.", NULL);
    const struct fmt_reader *readers[] = {&fmt_read_md, &fmt_read_txt, &fmt_read_json};
    const struct fmt_writer *writers[] = {&fmt_write_md, &fmt_write_txt, &fmt_write_json};
    for (int k = 0; k < 3; k++) {
        char *out = render(writers[k], c, FMT_NOLAYOUT);
        struct err e = {0};
        struct case_doc *back = read_as(readers[k], out, strlen(out), FMT_NOLAYOUT, &e);
        CHECK(back != NULL);
        if (back && back->nadditions == 1)
            CHECK_STR(back->additions[0].reason, c->additions[0].reason);
        case_free(back);
        free(out);
    }
    free(c->additions[0].reason);
    c->additions[0].reason = strdup("Første linje.\nBeslutning i Direktionen den 05-01-2024");
    char *j = render(&fmt_write_json, c, FMT_NOLAYOUT);
    struct err e = {0};
    struct case_doc *back = read_as(&fmt_read_json, j, strlen(j), 0, &e);
    CHECK(back == NULL);
    CHECK(strstr(e.msg, "section heading") != NULL);
    case_free(back);
    free(j);
    case_free(c);
}

/* Existing goldens stay unchanged: no "additions" key without tillæg. */
static void json_omits_empty(void)
{
    struct case_doc *c = example("02-trivselsmaaling.md");
    if (!c)
        return;
    char *j = render(&fmt_write_json, c, FMT_NOLAYOUT);
    CHECK(strstr(j, "additions") == NULL);
    free(j);
    case_free(c);
}

/* A closed case's public view carries no tillæg (nothing but its title). */
static void closed_public_view(void)
{
    struct case_doc *c = example("04-lukkede-personalepunkter.md");
    if (!c)
        return;
    CHECK(!c->public);
    add(c, "2024-01-05", "Rettelse.", "Lukket tekst.");
    CHECK(!case_is_redacted(c));
    struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
    CHECK_INT(v->nadditions, 0);
    CHECK(case_is_redacted(v));
    char *md = render(&fmt_write_md, v, FMT_PUBLIC);
    CHECK(strstr(md, "Tillæg") == NULL && strstr(md, "Lukket tekst") == NULL);
    free(md);
    case_free(v);
    case_free(c);
}

/* What the exports cannot carry: the readers refuse it with the place. */
static void refused(void)
{
    struct err e = {0};
    const char *json_blank =
        "{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
        "\"additions\": [{\"date\": \"2024-01-05\", \"reason\": \" \", \"text\": \"x\"}]}";
    struct case_doc *c = read_as(&fmt_read_json, json_blank, strlen(json_blank), 0, &e);
    CHECK(c == NULL);
    CHECK(strstr(e.msg, "additions[0].reason") != NULL);
    case_free(c);
    const char *json_two = "{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
                           "\"additions\": [{\"date\": \"2024-01-05\", \"reason\": \"a\\n\\nb\"}]}";
    e = (struct err){0};
    c = read_as(&fmt_read_json, json_two, strlen(json_two), 0, &e);
    CHECK(c == NULL);
    CHECK(strstr(e.msg, "one paragraph") != NULL);
    case_free(c);
    const char *json_date = "{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
                            "\"additions\": [{\"date\": \"2024-02-30\", \"reason\": \"a\"}]}";
    e = (struct err){0};
    c = read_as(&fmt_read_json, json_date, strlen(json_date), 0, &e);
    CHECK(c == NULL);
    case_free(c);
    /* a reason with a blank line or a final newline is not one paragraph */
    const char *bad_reasons[] = {"a\n \nb", "a\n", "a\n\t\nb"};
    for (size_t i = 0; i < 3; i++) {
        struct case_doc *x = case_new();
        x->title = strdup("T");
        x->public = true;
        add(x, "2024-01-05", bad_reasons[i], NULL);
        char *j = render(&fmt_write_json, x, 0);
        e = (struct err){0};
        c = read_as(&fmt_read_json, j, strlen(j), 0, &e);
        CHECK(c == NULL);
        case_free(c);
        free(j);
        case_free(x);
    }
    /* a tillæg heading without its reason, and one with a date that does not exist */
    const char *md_noreason = "## **T**\n\n*Åben Sag*\n\n### **Sagsgang**\n\n### "
                              "**Sagsfremstilling**\n\n### Indstilling\n\n## Tillæg den "
                              "05-01-2024\n\nTekst uden begrundelse.\n";
    e = (struct err){0};
    c = read_as(&fmt_read_md, md_noreason, strlen(md_noreason), 0, &e);
    CHECK(c == NULL);
    CHECK_INT(e.line, 13);
    CHECK(strstr(e.msg, "Begrundelse") != NULL);
    case_free(c);
    const char *txt_baddate = "T\n\nÅben Sag\n\nSagsgang\n\nSagsfremstilling\n\nIndstilling\n\n"
                              "Tillæg den 31-02-2024\n\nBegrundelse: x\n";
    e = (struct err){0};
    c = read_as(&fmt_read_txt, txt_baddate, strlen(txt_baddate), 0, &e);
    CHECK(c == NULL);
    CHECK_INT(e.line, 11);
    case_free(c);
    /* a text line that the txt export would read as a tillæg heading is refused in text */
    const char *json_heading =
        "{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
        "\"recommendation\": \"Tillæg den 05-01-2024\"}";
    e = (struct err){0};
    c = read_as(&fmt_read_json, json_heading, strlen(json_heading), 0, &e);
    CHECK(c == NULL);
    case_free(c);
}

int main(void)
{
    RUN(roundtrip);
    RUN(json_omits_empty);
    RUN(reason_markup);
    RUN(reason_first_line);
    RUN(closed_public_view);
    RUN(refused);
    return TEST_REPORT();
}
