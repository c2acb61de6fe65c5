/* test_library: the body library's model (issue 8): an item's checks, sections to and from
 * JSON, a template applied to a new case (help text never copied), the help for a place,
 * standard texts inserted into paragraphs, help text found in a text. */
#include "test.h"
#include "model/library.h"
#include "util/buf.h"
#include "util/err.h"

static const char *TPL =
    "[{\"name\":\"Sagsfremstilling\",\"field\":\"presentation\","
    "\"text\":\"Lindholm Kommune har siden 2022 arbejdet med planen.\","
    "\"help\":\"Beskriv sagens baggrund og hvad der skal besluttes.\\nHusk økonomien.\"},"
    "{\"name\":\"Økonomi\",\"field\":null,\"text\":null,"
    "\"help\":\"Angiv udgifter og finansiering i hele tusinde kroner.\"},"
    "{\"name\":\"Indstilling\",\"field\":\"recommendation\",\"text\":\"Direktionen indstiller, "
    "at planen godkendes.\",\"help\":null}]";

static bool has(const struct library_problems *pr, const char *field)
{
    for (size_t i = 0; i < pr->n && i < LIBRARY_PROBLEMS_MAX; i++)
        if (strcmp(pr->v[i].field, field) == 0)
            return true;
    return false;
}

static void test_check_ok(void)
{
    struct library_problems pr = {0};
    struct library_item t = {"text", "Verdensmål", "Sagen understøtter mål 11.", NULL, 0, true};
    CHECK_INT(library_item_check(&t, &pr), 0);
    struct library_item tp = {"template", "Temadrøftelse", "Temadrøftelse om ...", TPL, 0, true};
    CHECK_INT(library_item_check(&tp, &pr), 0);
    struct library_item r = {"recurring", "Eventuelt", NULL, NULL, 5, true};
    CHECK_INT(library_item_check(&r, &pr), 0);
    CHECK_INT(pr.n, 0);
}

static void test_check_bad(void)
{
    struct library_problems pr = {0};
    struct library_item t = {"text", "  ", "", NULL, 0, true};
    CHECK_INT(library_item_check(&t, &pr), 2);
    CHECK(has(&pr, "name"));
    CHECK(has(&pr, "text"));
    pr.n = 0;
    struct library_item two = {"text", "a\nb", "x\x01y", NULL, 0, true};
    CHECK_INT(library_item_check(&two, &pr), 2);
    CHECK(strstr(pr.v[1].danish, "kontroltegn") != NULL);
    pr.n = 0;
    struct library_item k = {"bog", "x", "y", NULL, 0, true};
    CHECK_INT(library_item_check(&k, &pr), 1);
    CHECK(has(&pr, "kind"));
    pr.n = 0;
    struct library_item r = {"recurring", "Eventuelt", NULL, NULL, 0, true};
    CHECK_INT(library_item_check(&r, &pr), 1);
    CHECK(has(&pr, "duration"));
    r.duration = 601;
    pr.n = 0;
    CHECK_INT(library_item_check(&r, &pr), 1);
    pr.n = 0;
    struct library_item tp = {"template",
                              "T",
                              NULL,
                              "[{\"name\":\"A\",\"field\":\"intro\"},{\"name\":\"A\","
                              "\"field\":\"intro\"},{\"name\":\"\",\"field\":\"beslutning\"}]",
                              0,
                              true};
    CHECK_INT(library_item_check(&tp, &pr), 4);
    CHECK(has(&pr, "sections[1].name"));
    CHECK(has(&pr, "sections[1].field"));
    CHECK(has(&pr, "sections[2].name"));
    CHECK(has(&pr, "sections[2].field"));
    pr.n = 0;
    tp.sections = "[]";
    CHECK_INT(library_item_check(&tp, &pr), 1);
    CHECK(has(&pr, "sections"));
    pr.n = 0;
    tp.sections = "{\"name\":1}";
    CHECK_INT(library_item_check(&tp, &pr), 1);
    pr.n = 0;
    tp.sections = NULL;
    CHECK_INT(library_item_check(&tp, &pr), 1);
    /* A name of 200 characters (each two bytes) is fine, 201 is not. */
    struct buf b = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_puts(&b, "æ");
    struct library_item longname = {"text", buf_cstr(&b), "x", NULL, 0, true};
    pr.n = 0;
    CHECK_INT(library_item_check(&longname, &pr), 0);
    buf_puts(&b, "æ");
    longname.name = buf_cstr(&b);
    CHECK_INT(library_item_check(&longname, &pr), 1);
    buf_free(&b);
}

static void test_sections_json(void)
{
    struct library_section *v = NULL;
    size_t n = 0;
    struct err e = {0};
    CHECK_INT(library_sections_parse(TPL, &v, &n, &e), 0);
    CHECK_INT(n, 3);
    CHECK_STR(v[1].name, "Økonomi");
    CHECK_STR(v[1].field, NULL);
    CHECK_STR(v[2].help, NULL);
    char *j = library_sections_json(v, n);
    struct library_section *w = NULL;
    size_t m = 0;
    CHECK_INT(library_sections_parse(j, &w, &m, &e), 0);
    CHECK_INT(m, 3);
    CHECK_STR(w[0].help, v[0].help);
    char *j2 = library_sections_json(w, m);
    CHECK_STR(j2, j);
    free(j);
    free(j2);
    library_sections_free(v, n);
    library_sections_free(w, m);
    CHECK_INT(library_sections_parse("[{\"name\":\"A\",\"hjælp\":\"x\"}]", &v, &n, &e), ERR_SYNTAX);
    /* The unknown key is not repeated: it could be anything. */
    CHECK(strstr(e.msg, "hjælp") == NULL);
    CHECK_INT(library_sections_parse("[{\"name\":\"A\",\"help\":3}]", &v, &n, &e), ERR_SYNTAX);
    CHECK_INT(library_sections_parse("[1]", &v, &n, &e), ERR_SYNTAX);
    CHECK_INT(library_sections_parse("[", &v, &n, &e), ERR_SYNTAX);
}

static void test_apply(void)
{
    struct case_doc *c = case_new();
    struct err e = {0};
    CHECK_INT(library_template_apply("Temadrøftelse om trafik", TPL, c, &e), 0);
    CHECK_STR(c->title, "Temadrøftelse om trafik");
    CHECK_STR(c->presentation, "Lindholm Kommune har siden 2022 arbejdet med planen.");
    CHECK_STR(c->recommendation, "Direktionen indstiller, at planen godkendes.");
    CHECK_STR(c->intro, NULL);
    CHECK_INT(c->nsections, 1);
    CHECK_STR(c->sections[0].name, "Økonomi");
    CHECK_STR(c->sections[0].text, NULL);
    /* No help text anywhere in the case. */
    const char *helps[] = {"Beskriv sagens baggrund og hvad der skal besluttes.",
                           "Angiv udgifter og finansiering i hele tusinde kroner."};
    CHECK(!library_holds_help(c->presentation, helps, 2, NULL));
    CHECK(!library_holds_help(c->recommendation, helps, 2, NULL));
    CHECK(!library_holds_help(c->title, helps, 2, NULL));
    /* A second template adds to what is there, and keeps a title already written. */
    CHECK_INT(library_template_apply("Anden titel",
                                     "[{\"name\":\"S\",\"field\":"
                                     "\"presentation\",\"text\":\"Mere tekst.\"}]",
                                     c, &e),
              0);
    CHECK_STR(c->title, "Temadrøftelse om trafik");
    CHECK_STR(c->presentation, "Lindholm Kommune har siden 2022 arbejdet med planen.\n\n"
                               "Mere tekst.");
    /* Bad sections change nothing. */
    CHECK_INT(library_template_apply("X", "[{]", c, &e), ERR_SYNTAX);
    CHECK_INT(c->nsections, 1);
    case_free(c);
}

static void test_help(void)
{
    char *h = NULL;
    struct err e = {0};
    CHECK_INT(library_template_help(TPL, "presentation", &h, &e), 0);
    CHECK_STR(h, "Beskriv sagens baggrund og hvad der skal besluttes.\nHusk økonomien.");
    free(h);
    CHECK_INT(library_template_help(TPL, "Økonomi", &h, &e), 0);
    CHECK_STR(h, "Angiv udgifter og finansiering i hele tusinde kroner.");
    free(h);
    CHECK_INT(library_template_help(TPL, "recommendation", &h, &e), 0);
    CHECK_STR(h, NULL);
    CHECK_INT(library_template_help(TPL, "intro", &h, &e), 0);
    CHECK_STR(h, NULL);
    /* A section's name is not a field: "Sagsfremstilling" names the field's section. */
    CHECK_INT(library_template_help(TPL, "Sagsfremstilling", &h, &e), 0);
    CHECK_STR(h, NULL);
    CHECK_INT(library_template_help("nej", "intro", &h, &e), ERR_SYNTAX);
}

static void test_insert(void)
{
    char *p = NULL;
    struct err e = {0};
    CHECK_INT(library_text_insert(&p, 0, "Første.", &e), 0);
    CHECK_STR(p, "Første.");
    CHECK_INT(library_text_insert(&p, 5, "Sidste.\r\n\r\n\r\nOgså sidste.  ", &e), 0);
    CHECK_STR(p, "Første.\n\nSidste.\n\nOgså sidste.");
    CHECK_INT(library_text_insert(&p, 0, "Nul.", &e), 0);
    CHECK_STR(p, "Nul.\n\nFørste.\n\nSidste.\n\nOgså sidste.");
    CHECK_INT(library_text_insert(&p, 2, "To.", &e), 0);
    CHECK_STR(p, "Nul.\n\nFørste.\n\nTo.\n\nSidste.\n\nOgså sidste.");
    CHECK_INT(library_text_insert(&p, 4, "Fire.", &e), 0);
    CHECK_STR(p, "Nul.\n\nFørste.\n\nTo.\n\nSidste.\n\nFire.\n\nOgså sidste.");
    CHECK_INT(library_text_insert(&p, 1, " \n ", &e), ERR_USAGE);
    CHECK_STR(p, "Nul.\n\nFørste.\n\nTo.\n\nSidste.\n\nFire.\n\nOgså sidste.");
    free(p);
}

static void test_holds_help(void)
{
    const char *helps[] = {"Kort.\nBeskriv sagens baggrund og hvad der skal besluttes.",
                           "Angiv udgifter og finansiering."};
    struct library_help_hit hit = {0};
    const char *text = "Indledning.\n\nHer står: Angiv  udgifter og\nfinansiering. Og så\n"
                       "Beskriv sagens baggrund og hvad der skal besluttes.";
    CHECK(library_holds_help(text, helps, 2, &hit));
    CHECK_INT(hit.help, 1);
    CHECK_INT(hit.line, 3);
    CHECK_INT(hit.col, 11);
    CHECK_INT(hit.len, strlen("Angiv  udgifter og\nfinansiering."));
    CHECK(strncmp(text + hit.offset, "Angiv  udgifter", 15) == 0);
    /* Short lines ("Kort.") are not looked for. */
    CHECK(!library_holds_help("Kort. Og godt.", helps, 2, NULL));
    CHECK(!library_holds_help(NULL, helps, 2, NULL));
    CHECK(!library_holds_help("Angiv udgifter og finansieringen", helps + 1, 1, NULL));
    CHECK(!library_holds_help("Angiv udgifter, og finansiering.", helps + 1, 1, NULL));
    /* Columns count characters. */
    CHECK(library_holds_help("æøå Angiv udgifter og finansiering.", helps, 2, &hit));
    CHECK_INT(hit.col, 5);
    CHECK_INT(hit.line, 1);
}

static void test_labels(void)
{
    CHECK_STR(library_kind_label("recurring"), "Faste punkter");
    CHECK_STR(library_kind_label("x"), NULL);
    CHECK_STR(library_field_label("recommendation"), "Indstilling");
    CHECK(library_kind_valid("template"));
    CHECK(!library_kind_valid(NULL));
    char *n = library_text_norm("  \n\nEt \r\nTo\n\n\n\nTre \n\n");
    CHECK_STR(n, "Et\nTo\n\nTre");
    free(n);
    CHECK_STR(library_text_norm(" \n\t\n"), NULL);
}

int main(void)
{
    RUN(test_check_ok);
    RUN(test_check_bad);
    RUN(test_sections_json);
    RUN(test_apply);
    RUN(test_help);
    RUN(test_insert);
    RUN(test_holds_help);
    RUN(test_labels);
    return TEST_REPORT();
}
