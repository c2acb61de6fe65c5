/* test_json: the JSON codec: exact output, roundtrips, public mode, errors and positions. */
#include "test.h"

#include "format/format.h"

#include <time.h>

/* --- helpers ------------------------------------------------------------------------------ */

static char *dup_s(const char *s)
{
    return xstrdup(s);
}

static char *to_json(const struct case_doc *c, int flags)
{
    struct buf b = BUF_INIT;
    fmt_write_json.write(c, flags, &b);
    return buf_detach(&b);
}

static struct case_doc *from_json(const char *s, int flags, struct err *e, struct warnings *w)
{
    struct case_doc *c = (struct case_doc *)1;
    int rc = fmt_read_json.parse(s, strlen(s), flags, &c, e, w);
    if (rc < 0 && c != NULL) {
        fprintf(stderr, "parse failed but *out is not NULL\n");
        test_case_failed = 1;
    }
    return c;
}

/* Reads s in strict mode and checks that it fails with msg at line:col. */
static void expect_error(int at, const char *s, unsigned line, unsigned col, const char *msg)
{
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c = from_json(s, 0, &e, &w);
    if (c || e.code != ERR_SYNTAX || e.line != line || e.col != col || strcmp(e.msg, msg) != 0) {
        fprintf(stderr, "%s:%d: for input\n%s\n  got:  %s %u:%u: %s\n  want: error %u:%u: %s\n",
                __FILE__, at, s, c ? "success" : "error", e.line, e.col, e.msg, line, col, msg);
        test_case_failed = 1;
    }
    case_free(c);
    warnings_fini(&w);
}

/* A small case with a NULL, an empty and a present value in each optional slot. */
static struct case_doc *small_case(void)
{
    struct case_doc *c = case_new();
    c->title = dup_s("Budget 2025");
    c->public = true;
    *case_add_route(c) = dup_s("FU");
    *case_add_route(c) = dup_s("ØK");
    c->presentation = dup_s("Første afsnit.\n\nAndet \"citat\"\tmed tab.");
    c->has_table = true;
    struct subitem *s = case_add_subitem(c);
    s->time = dup_s("10.30");
    s->title = dup_s("Budgetopfølgning");
    struct guest *g = subitem_add_guest(s);
    g->name = dup_s("Tonny Olsen");
    g->role = dup_s("Chef for Borgerservice");
    c->recommendation = dup_s("Det indstilles, at punktet godkendes.");
    struct decision *d = case_add_decision(c);
    d->body = dup_s("Direktionen");
    d->date = dup_s("2023-12-20");
    struct entry *en = decision_add_entry(d);
    en->title = dup_s("Budgetopfølgning");
    en->subitem = 1;
    en->text = dup_s("Godkendt. Ledelsessekretariatet følger op.");
    struct followup *f = entry_add_followup(en);
    f->owner = dup_s("Ledelsessekretariatet");
    f->text = dup_s("Ledelsessekretariatet følger op.");
    c->has_attachments = true;
    struct attachment *a = case_add_attachment(c);
    a->number = 1;
    a->public = true;
    a->title = dup_s("Notat");
    a->journal = dup_s("122962/23");
    a->flag = dup_s("H");
    a->document = dup_s("3553435");
    a = case_add_attachment(c);
    a->number = 2;
    a->title = dup_s("Drejebog");
    a->journal = dup_s("");
    a->flag = dup_s("0");
    return c;
}

static const char small_golden[] =
    "{\n"
    "  \"format\": \"referat-case/1\",\n"
    "  \"title\": \"Budget 2025\",\n"
    "  \"public\": true,\n"
    "  \"sdg\": [],\n" /* issue 10, sdg: written even when empty */
    "  \"route\": [\n"
    "    \"FU\",\n"
    "    \"ØK\"\n"
    "  ],\n"
    "  \"presentation\": \"Første afsnit.\\n\\nAndet \\\"citat\\\"\\tmed tab.\",\n"
    "  \"intro\": null,\n"
    "  \"has_table\": true,\n"
    "  \"subitems\": [\n"
    "    {\n"
    "      \"time\": \"10.30\",\n"
    "      \"title\": \"Budgetopfølgning\",\n"
    "      \"text\": null,\n"
    "      \"guests\": [\n"
    "        {\n"
    "          \"name\": \"Tonny Olsen\",\n"
    "          \"role\": \"Chef for Borgerservice\"\n"
    "        }\n"
    "      ],\n"
    "      \"sdg\": []\n" /* issue 10, sdg */
    "    }\n"
    "  ],\n"
    "  \"recommendation\": \"Det indstilles, at punktet godkendes.\",\n"
    "  \"decisions\": [\n"
    "    {\n"
    "      \"body\": \"Direktionen\",\n"
    "      \"date\": \"2023-12-20\",\n"
    "      \"text\": null,\n"
    "      \"entries\": [\n"
    "        {\n"
    "          \"title\": \"Budgetopfølgning\",\n"
    "          \"subitem\": 1,\n"
    "          \"text\": \"Godkendt. Ledelsessekretariatet følger op.\",\n"
    "          \"followups\": [\n"
    "            {\n"
    "              \"owner\": \"Ledelsessekretariatet\",\n"
    "              \"role\": null,\n"
    "              \"text\": \"Ledelsessekretariatet følger op.\",\n"
    "              \"due\": null\n"
    "            }\n"
    "          ],\n"
    "          \"dates\": []\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"has_attachments\": true,\n"
    "  \"attachments\": [\n"
    "    {\n"
    "      \"number\": 1,\n"
    "      \"public\": true,\n"
    "      \"title\": \"Notat\",\n"
    "      \"journal\": \"122962/23\",\n"
    "      \"flag\": \"H\",\n"
    "      \"document\": \"3553435\"\n"
    "    },\n"
    "    {\n"
    "      \"number\": 2,\n"
    "      \"public\": false,\n"
    "      \"title\": \"Drejebog\",\n"
    "      \"journal\": \"\",\n"
    "      \"flag\": \"0\",\n"
    "      \"document\": null\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* The small case plus every remaining field: dates, roles, a layout, odd characters. */
static struct case_doc *full_case(void)
{
    struct case_doc *c = small_case();
    c->intro = dup_s("");
    struct subitem *s = case_add_subitem(c);
    s->title = dup_s("Uden tid \\ med backslash og \x01 kontroltegn");
    s->text = dup_s("Tekst\r\nmed CRLF og emoji \xF0\x9F\x98\x80 og \xE2\x80\xA8.");
    struct guest *g = subitem_add_guest(s);
    g->name = dup_s("Maria Drejer Petersen");
    g = subitem_add_guest(s);
    g->name = dup_s("Vicki Nygaard Svendsen");
    g->role = dup_s("Udviklingskonsulent");
    struct decision *d = &c->decisions[0];
    d->text = dup_s("Direktionen havde følgende punkter:");
    struct entry *en = decision_add_entry(d);
    en->title = dup_s("KB seminar");
    en->subitem = 2;
    struct followup *f = entry_add_followup(en);
    f->owner = dup_s("Bettina Andersen");
    f->role = dup_s("Økonomichef");
    f->text = dup_s("Økonomichef Bettina Andersen følger op.");
    f->due = dup_s("2024-02-29");
    struct dateref *r = entry_add_date(en);
    r->text = dup_s("d. 22.-23. januar 2024");
    r->start = dup_s("2024-01-22");
    r->end = dup_s("2024-01-23");
    en = decision_add_entry(d);
    en->title = dup_s("Eventuelt");
    d = case_add_decision(c);
    d->body = dup_s("Økonomiudvalget");
    d->date = dup_s("2024-01-09");
    c->layout.format = dup_s("md");
    c->layout.base = dup_s("0123abcd");
    struct hunk *h = layout_add_hunk(&c->layout);
    h->at = 0;
    h->del = 0;
    h->nins = 2;
    h->ins = xcalloc(2, sizeof *h->ins);
    h->ins[0] = dup_s("");
    h->ins[1] = dup_s("");
    h = layout_add_hunk(&c->layout);
    h->at = 17;
    h->del = 2;
    h->nins = 1;
    h->ins = xcalloc(1, sizeof *h->ins);
    h->ins[0] = dup_s("3553435\t\t\t\t");
    h = layout_add_hunk(&c->layout);
    h->at = 40;
    h->del = 1;
    return c;
}

/* --- writing ------------------------------------------------------------------------------ */

static void test_golden_small(void)
{
    struct case_doc *c = small_case();
    char *s = to_json(c, 0);
    CHECK_STR(s, small_golden);
    free(s);
    case_free(c);
}

static void test_roundtrip_full(void)
{
    struct case_doc *c = full_case();
    char *s = to_json(c, 0);
    struct err e = {0};
    struct case_doc *back = from_json(s, 0, &e, NULL);
    CHECK(back != NULL);
    if (!back) {
        fprintf(stderr, "  %u:%u: %s\n", e.line, e.col, e.msg);
    } else {
        CHECK(case_equal(c, back, true));
        /* Deterministic: the same model gives the same bytes, also after a roundtrip. */
        char *again = to_json(back, 0);
        char *third = to_json(c, 0);
        CHECK_STR(again, s);
        CHECK_STR(third, s);
        free(again);
        free(third);
    }
    /* UTF-8 goes out as it is; control characters are escaped. */
    CHECK(strstr(s, "\"role\": \"Økonomichef\"") != NULL);
    CHECK(strstr(s, "emoji \xF0\x9F\x98\x80 og") != NULL);
    CHECK(strstr(s, "\\\\ med backslash og \\u0001 kontroltegn") != NULL);
    CHECK(strstr(s, "\"layout\": {\n    \"format\": \"md\",\n    \"base\": \"0123abcd\",") != NULL);
    CHECK(strstr(s, "\"ins\": [\n          \"3553435\\t\\t\\t\\t\"\n        ]") != NULL);
    free(s);
    case_free(back);
    case_free(c);
}

static void test_roundtrip_via_fmt(void)
{
    struct case_doc *c = full_case();
    struct buf b = BUF_INIT;
    fmt_write(&fmt_write_json, c, 0, &b);
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *back = NULL;
    CHECK_INT(fmt_read(&fmt_read_json, b.ptr, b.len, 0, &back, &e, &w), 0);
    CHECK(back && case_equal(c, back, true));
    CHECK_INT(w.n, 0);
    CHECK(fmt_detect(b.ptr, b.len) == &fmt_read_json);
    buf_free(&b);
    warnings_fini(&w);
    case_free(back);
    case_free(c);
}

static void test_nolayout(void)
{
    struct case_doc *c = full_case();
    char *with = to_json(c, 0), *without = to_json(c, FMT_NOLAYOUT);
    CHECK(strstr(with, "\"layout\"") != NULL);
    CHECK(strstr(without, "\"layout\"") == NULL);
    struct case_doc *back = from_json(with, FMT_NOLAYOUT, NULL, NULL);
    CHECK(back && case_equal(c, back, false));
    CHECK(back && back->layout.format == NULL && back->layout.nhunks == 0);
    case_free(back);
    /* A model without a layout has no layout key at all, not "layout": null. */
    layout_fini(&c->layout);
    char *none = to_json(c, 0);
    CHECK_STR(none, without);
    free(with);
    free(without);
    free(none);
    case_free(c);
}

static void test_public_closed(void)
{
    struct case_doc *c = full_case();
    c->public = false;
    free(c->title);
    c->title = dup_s("Personalesag");
    struct buf b = BUF_INIT;
    fmt_write(&fmt_write_json, c, FMT_PUBLIC, &b);
    CHECK_STR(buf_cstr(&b), "{\n"
                            "  \"format\": \"referat-case/1\",\n"
                            "  \"title\": \"Personalesag\",\n"
                            "  \"public\": false,\n"
                            "  \"sdg\": []\n" /* issue 10, sdg */
                            "}\n");
    /* It reads back as the public view, and the staff rendering still has everything. */
    struct case_doc *back = from_json(buf_cstr(&b), 0, NULL, NULL);
    struct case_doc *view = case_view(c, AUDIENCE_PUBLIC);
    CHECK(back && case_equal(back, view, true));
    char *staff = to_json(c, 0);
    CHECK(strstr(staff, "Budgetopfølgning") != NULL);
    CHECK(strstr(staff, "\"layout\"") != NULL);
    free(staff);
    case_free(view);
    case_free(back);
    buf_free(&b);
    case_free(c);
}

static void test_public_open(void)
{
    struct case_doc *c = full_case();
    struct buf b = BUF_INIT;
    fmt_write(&fmt_write_json, c, FMT_PUBLIC, &b);
    const char *s = buf_cstr(&b);
    /* The closed attachment keeps its number and title; its metadata and the layout go. */
    CHECK(strstr(s, "\"layout\"") == NULL);
    CHECK(strstr(s, "\"title\": \"Drejebog\",\n      \"journal\": null,\n      \"flag\": null,\n"
                    "      \"document\": null") != NULL);
    CHECK(strstr(s, "\"journal\": \"122962/23\"") != NULL);
    CHECK(strstr(s, "Budgetopfølgning") != NULL);
    struct case_doc *back = from_json(s, 0, NULL, NULL);
    struct case_doc *view = case_view(c, AUDIENCE_PUBLIC);
    CHECK(back && case_equal(back, view, true));
    case_free(view);
    case_free(back);
    buf_free(&b);
    case_free(c);
}

static void test_invalid_utf8_in_model(void)
{
    /* A writer cannot fail; a model that breaks the UTF-8 promise still gives valid JSON. */
    struct case_doc *c = case_new();
    c->title = dup_s("Bad \xC3 byte \xFF");
    c->public = true;
    char *s = to_json(c, 0);
    CHECK(strstr(s, "\"title\": \"Bad \xEF\xBF\xBD byte \xEF\xBF\xBD\"") != NULL);
    struct case_doc *back = from_json(s, 0, NULL, NULL);
    CHECK(back != NULL);
    free(s);
    case_free(back);
    case_free(c);
}

/* --- reading ------------------------------------------------------------------------------ */

static void test_minimal_and_defaults(void)
{
    /* Only format, title and public are required; the rest defaults to null, [] or false. */
    struct case_doc *c = from_json("{\"format\": \"referat-case/1\", \"title\": \"T\", "
                                   "\"public\": true}",
                                   0, NULL, NULL);
    struct case_doc *want = case_new();
    want->title = dup_s("T");
    want->public = true;
    CHECK(c && case_equal(c, want, true));
    case_free(c);
    /* Key order in the input does not matter. */
    c = from_json(
        "{\"attachments\": [{\"title\": \"B\", \"public\": false, \"number\": 3}],"
        " \"decisions\": [{\"entries\": [{\"subitem\": 1, \"title\": \"E\"}],"
        " \"date\": \"2024-02-29\", \"body\": \"D\"}], \"subitems\": [{\"title\": \"S\"}],"
        " \"public\": true, \"title\": \"T\", \"format\": \"referat-case/1\"}",
        0, NULL, NULL);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->nsubitems, 1);
        CHECK_INT(c->ndecisions, 1);
        CHECK_INT(c->decisions[0].entries[0].subitem, 1);
        CHECK_STR(c->decisions[0].date, "2024-02-29");
        CHECK_INT(c->attachments[0].number, 3);
        CHECK_STR(c->attachments[0].journal, NULL);
    }
    case_free(c);
    case_free(want);
}

#define ERR(...) expect_error(__LINE__, __VA_ARGS__)
#define HEAD "{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "

static void test_syntax_errors(void)
{
    ERR("{\n  \"title\": tru\n}", 2, 14, "invalid token");
    ERR("{\n  \"title\": \"x\",\n}", 3, 1, "string or '}' expected");
    ERR("{\"title\": \"x\"", 1, 13, "'}' expected near end of file");
    ERR("", 1, 1, "'[' or '{' expected near end of file");
    ERR("{} {}", 1, 4, "end of file expected");
    /* jansson quotes the token; for a string that could be closed text, so it is cut. */
    ERR("{\"title\": \"Hemmelig sag\\q\"}", 1, 25, "invalid escape");
    ERR("{\"title\": \"a\\u0000b\"}", 1, 20, "\\u0000 is not allowed without JSON_ALLOW_NUL");
}

static void test_duplicate_keys(void)
{
    ERR("{\n  \"title\": \"a\",\n  \"title\": \"b\"\n}", 3, 9, "duplicate key \"title\"");
    ERR(HEAD "\"subitems\": [{\"title\": \"a\", \"time\": null, \"time\": null}]}", 1, 107,
        "duplicate key \"time\"");
    /* A key that is not a schema word is not repeated in the message. */
    ERR("{\"Hemmelig tekst\": 1, \"Hemmelig tekst\": 2}", 1, 38, "duplicate key");
}

static void test_schema_errors(void)
{
    ERR("[]", 1, 1, "expected object at $");
    ERR("{\"title\": \"T\", \"public\": true}", 1, 1, "missing key \"format\" at $");
    ERR("{\"format\": \"referat-case/2\", \"title\": \"T\", \"public\": true}", 1, 12,
        "expected \"referat-case/1\" at $.format");
    ERR("{\"format\": \"referat-case/1\", \"public\": true}", 1, 1, "missing key \"title\" at $");
    ERR("{\"format\": \"referat-case/1\", \"title\": null, \"public\": true}", 1, 39,
        "expected string at $.title");
    ERR("{\"format\": \"referat-case/1\", \"title\": \"T\"}", 1, 1, "missing key \"public\" at $");
    ERR("{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": 1}", 1, 54,
        "expected true or false at $.public");
}

static void test_schema_errors_nested(void)
{
    const char *doc = "{\n"
                      "  \"format\": \"referat-case/1\",\n"
                      "  \"title\": \"Æblegrød\",\n"
                      "  \"public\": true,\n"
                      "  \"subitems\": [\n"
                      "    {\"title\": \"a\"},\n"
                      "    {\"title\": \"b\", \"guests\": []},\n"
                      "    {\"time\": \"11.00\", \"title\": 42}\n"
                      "  ]\n"
                      "}\n";
    ERR(doc, 8, 32, "expected string at $.subitems[2].title");
    ERR(HEAD "\"route\": [\"FU\", null]}", 1, 76, "expected string at $.route[1]");
    ERR(HEAD "\"route\": \"FU\"}", 1, 69, "expected array at $.route");
    ERR(HEAD "\"has_table\": \"ja\"}", 1, 73, "expected true or false at $.has_table");
    ERR(HEAD "\"intro\": 5}", 1, 69, "expected string or null at $.intro");
    ERR(HEAD "\"subitems\": [{\"text\": \"x\"}]}", 1, 73, "missing key \"title\" at $.subitems[0]");
    ERR(HEAD "\"subitems\": [\"x\"]}", 1, 73, "expected object at $.subitems[0]");
    ERR(HEAD "\"subitems\": [{\"title\": \"a\", \"guests\": [{\"role\": \"r\"}]}]}", 1, 99,
        "missing key \"name\" at $.subitems[0].guests[0]");
    /* Unknown keys point at the key; names that are not schema words are not quoted. */
    ERR(HEAD "\"subitems\": [{\"title\": \"a\", \"tid\": \"10.30\"}]}", 1, 88,
        "unknown key \"tid\" at $.subitems[0]");
    ERR(HEAD "\"Hemmelig tekst\": 1}", 1, 60, "unknown key at $");
    /* An escaped key is the same key: \u0069 is "i". */
    ERR(HEAD "\"subitems\": [{\"t\\u0069tle\": 5}]}", 1, 88,
        "expected string at $.subitems[0].title");
    ERR(HEAD "\"attachments\": [{\"number\": -1, \"public\": true, \"title\": \"A\"}]}", 1, 87,
        "expected integer from 1 to 100000 at $.attachments[0].number");
    ERR(HEAD "\"attachments\": [{\"number\": 1.0, \"public\": true, \"title\": \"A\"}]}", 1, 87,
        "expected integer from 1 to 100000 at $.attachments[0].number");
    ERR(HEAD "\"attachments\": [{\"number\": 1, \"title\": \"A\"}]}", 1, 76,
        "missing key \"public\" at $.attachments[0]");
    ERR(HEAD "\"layout\": {\"format\": \"md\", \"base\": \"ab\", \"hunks\": [{\"at\": 0}]}}", 1,
        111, "missing key \"del\" at $.layout.hunks[0]");
    ERR(HEAD "\"layout\": {\"format\": \"md\", \"base\": \"ab\", \"hunks\": "
             "[{\"at\": 0, \"del\": 0, \"ins\": [\"a\", 1]}]}}",
        1, 144, "expected string at $.layout.hunks[0].ins[1]");
}

static void test_subitem_index(void)
{
    ERR(HEAD
        "\"subitems\": [{\"title\": \"a\"}, {\"title\": \"b\"}], \"decisions\": [{\"body\": "
        "\"D\", \"date\": \"2023-12-20\", \"entries\": [{\"title\": \"E\", \"subitem\": 3}]}]}",
        1, 194, "sub-item 3 out of range 1 to 2 at $.decisions[0].entries[0].subitem");
    ERR(HEAD "\"subitems\": [{\"title\": \"a\"}], \"decisions\": [{\"body\": \"D\", \"date\": "
             "\"2023-12-20\", \"entries\": [{\"title\": \"E\", \"subitem\": 0}]}]}",
        1, 178, "sub-item 0 out of range 1 to 1 at $.decisions[0].entries[0].subitem");
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2023-12-20\", \"entries\": "
             "[{\"title\": \"E\", \"subitem\": 1}]}]}",
        1, 148, "sub-item 1 out of range (there are none) at $.decisions[0].entries[0].subitem");
    ERR(HEAD "\"subitems\": [{\"title\": \"a\"}], \"decisions\": [{\"body\": \"D\", \"date\": "
             "\"2023-12-20\", \"entries\": [{\"title\": \"E\", \"subitem\": \"1\"}]}]}",
        1, 178, "expected integer or null at $.decisions[0].entries[0].subitem");
}

static void test_dates(void)
{
    static const char *const bad[] = {"20-12-2023", "2023-02-29",       "2023-13-01", "2023-04-31",
                                      "2023-12-2",  "2023-12-20T10:00", "0000-01-01", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char doc[256];
        snprintf(doc, sizeof doc, HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"%s\"}]}",
                 bad[i]);
        ERR(doc, 1, 96, "expected ISO date (YYYY-MM-DD) at $.decisions[0].date");
    }
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-02-29\", \"entries\": [{\"title\":"
             " \"E\", \"followups\": [{\"owner\": \"O\", \"text\": \"t\", \"due\": "
             "\"29.02.2024\"}]}]}]}",
        1, 186, "expected ISO date (YYYY-MM-DD) at $.decisions[0].entries[0].followups[0].due");
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-02-29\", \"entries\": [{\"title\":"
             " \"E\", \"dates\": [{\"text\": \"t\", \"start\": \"2024-01-23\", \"end\": "
             "\"2024-01-22\"}]}]}]}",
        1, 191, "end before start at $.decisions[0].entries[0].dates[0].end");
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-02-29\", \"entries\": [{\"title\":"
             " \"E\", \"dates\": [{\"text\": \"t\", \"start\": \"2024-1-22\", \"end\": "
             "\"2024-01-22\"}]}]}]}",
        1, 170, "expected ISO date (YYYY-MM-DD) at $.decisions[0].entries[0].dates[0].start");
}

/* ---- issue 10, flat follow-ups: a decision's own follow-ups (it has no entries) ---- */
static void test_decision_followups(void)
{
    struct case_doc *c = case_new();
    c->title = dup_s("T");
    c->public = true;
    struct decision *d = case_add_decision(c);
    d->body = dup_s("Kommunalbestyrelsen");
    d->date = dup_s("2023-09-26");
    d->text = dup_s("Godkendt. Kultur- og fritidschef Anders Lykke Brandt følger op.");
    struct followup *f = decision_add_followup(d);
    f->owner = dup_s("Anders Lykke Brandt");
    f->role = dup_s("Kultur- og fritidschef");
    f->text = dup_s("Kultur- og fritidschef Anders Lykke Brandt følger op.");
    f->due = dup_s("2024-10-01");
    f = decision_add_followup(d);
    f->owner = dup_s("Ledelsessekretariatet");
    f->text = dup_s("Ledelsessekretariatet følger op.");
    /* A second decision without any: no key written. */
    d = case_add_decision(c);
    d->body = dup_s("Økonomiudvalget");
    d->date = dup_s("2023-09-19");
    char *s = to_json(c, 0);
    CHECK(strstr(s, "\"entries\": [],\n      \"followups\": [\n        {\n          \"owner\": "
                    "\"Anders Lykke Brandt\",") != NULL);
    CHECK(strstr(s, "\"entries\": []\n    }") != NULL); /* the second decision */
    struct err e = {0};
    struct case_doc *back = from_json(s, 0, &e, NULL);
    CHECK(back && case_equal(c, back, true));
    if (back) {
        CHECK_INT(back->decisions[0].nfollowups, 2);
        CHECK_STR(back->decisions[0].followups[1].role, NULL);
        CHECK_INT(back->decisions[1].nfollowups, 0);
        char *again = to_json(back, 0);
        CHECK_STR(again, s);
        free(again);
    }
    case_free(back);
    free(s);
    case_free(c);
    /* Errors name the path; a decision with entries keeps its follow-ups in them. */
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-02-29\", \"followups\": "
             "[{\"owner\": \"O\", \"text\": \"t\", \"due\": \"29.02.2024\"}]}]}",
        1, 159, "expected ISO date (YYYY-MM-DD) at $.decisions[0].followups[0].due");
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-02-29\", \"followups\": "
             "[{\"text\": \"t\"}]}]}",
        1, 124, "missing key \"owner\" at $.decisions[0].followups[0]");
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-02-29\", \"entries\": "
             "[{\"title\": \"E\"}], \"followups\": [{\"owner\": \"O\", \"text\": \"t\"}]}]}",
        1, 152, "expected none on a decision with entries (they belong to its entries) at "
              "$.decisions[0].followups");
}
/* ---- end issue 10, flat follow-ups ---- */

static void test_no_closed_text_in_errors(void)
{
    /* The error names the path, never the value, even for a closed case. */
    struct err e = {0};
    struct case_doc *c = from_json("{\"format\": \"referat-case/1\", \"title\": \"T\", "
                                   "\"public\": false, \"presentation\": [\"Hemmelig\"]}",
                                   0, &e, NULL);
    CHECK(c == NULL);
    CHECK_STR(e.msg, "expected string or null at $.presentation");
    case_free(c);
}

static void test_lenient(void)
{
    const char *doc =
        "{\n"
        "  \"format\": \"referat-case/1\",\n"
        "  \"title\": \"T\",\n"
        "  \"public\": \"ja\",\n"
        "  \"route\": [\"A\", 5, \"B\"],\n"
        "  \"extra\": 1,\n"
        "  \"subitems\": [\n"
        "    {\"title\": \"S1\"},\n"
        "    {\"title\": 7},\n"
        "    {\"title\": \"S3\", \"guests\": [{\"role\": \"r\"}, {\"name\": \"G\"}]}\n"
        "  ],\n"
        "  \"decisions\": [\n"
        "    {\"body\": \"D\", \"date\": \"2023-12-20\", \"entries\": [\n"
        "      {\"title\": \"E1\", \"subitem\": 3, \"followups\": [{\"owner\": \"O\", \"text\": "
        "\"t\", \"due\": \"2023-13-01\"}]},\n"
        "      {\"title\": \"E2\", \"subitem\": 2},\n"
        "      {\"title\": \"E3\", \"subitem\": 9, \"dates\": [{\"text\": \"d\", \"start\": "
        "\"2024-01-23\", \"end\": \"2024-01-22\"}]}\n"
        "    ]},\n"
        "    {\"body\": \"D2\", \"date\": \"20-12-2023\"}\n"
        "  ],\n"
        "  \"attachments\": [{\"number\": -1, \"public\": true, \"title\": \"A\"}],\n"
        "  \"layout\": {\"format\": \"md\", \"base\": \"ab\", \"hunks\": [{\"at\": 0, \"del\": "
        "1, \"ins\": [1]}]}\n"
        "}\n";
    struct err e = {0};
    struct warnings w = {0};
    CHECK(from_json(doc, 0, &e, &w) == NULL);
    CHECK_STR(e.msg, "unknown key \"extra\" at $");
    CHECK_INT(e.line, 6);
    CHECK_INT(e.col, 3);
    struct case_doc *c = from_json(doc, FMT_LENIENT, &e, &w);
    CHECK(c != NULL);
    if (!c) {
        warnings_fini(&w);
        return;
    }
    CHECK_INT(c->public, false); /* the safe side */
    CHECK_INT(c->nroute, 2);
    CHECK_STR(c->route[1], "B");
    CHECK_INT(c->nsubitems, 2);
    CHECK_STR(c->subitems[1].title, "S3");
    CHECK_INT(c->subitems[1].nguests, 1);
    CHECK_STR(c->subitems[1].guests[0].name, "G");
    CHECK_INT(c->ndecisions, 1);
    const struct decision *d = &c->decisions[0];
    CHECK_INT(d->nentries, 3);
    CHECK_INT(d->entries[0].subitem, 2); /* JSON sub-item 3 is the model's second */
    CHECK_INT(d->entries[1].subitem, 0); /* it pointed at the dropped one */
    CHECK_INT(d->entries[2].subitem, 0); /* out of range */
    CHECK_STR(d->entries[0].followups[0].due, NULL);
    CHECK_INT(d->entries[2].ndates, 0);
    CHECK_INT(c->nattachments, 0);
    CHECK(c->layout.format == NULL);
    struct {
        unsigned line, col;
        const char *msg;
    } const exp[] = {
        {6, 3, "unknown key \"extra\" at $"},
        {4, 13, "expected true or false at $.public"},
        {5, 18, "expected string at $.route[1]"},
        {9, 15, "expected string at $.subitems[1].title"},
        {10, 32, "missing key \"name\" at $.subitems[2].guests[0]"},
        {14, 86, "expected ISO date (YYYY-MM-DD) at $.decisions[0].entries[0].followups[0].due"},
        {16, 34, "sub-item 9 out of range 1 to 3 at $.decisions[0].entries[2].subitem"},
        {16, 91, "end before start at $.decisions[0].entries[2].dates[0].end"},
        {18, 28, "expected ISO date (YYYY-MM-DD) at $.decisions[1].date"},
        {20, 30, "expected integer from 1 to 100000 at $.attachments[0].number"},
        {21, 82, "expected string at $.layout.hunks[0].ins[0]"},
        {21, 13, "layout ignored at $.layout"},
    };
    size_t nexp = sizeof exp / sizeof *exp;
    CHECK_INT(w.n, nexp);
    for (size_t i = 0; i < w.n && i < nexp; i++) {
        CHECK_STR(w.v[i].msg, exp[i].msg);
        CHECK_INT(w.v[i].line, exp[i].line);
        CHECK_INT(w.v[i].col, exp[i].col);
    }
    warnings_fini(&w);
    case_free(c);
}

static void test_lenient_still_needs_title(void)
{
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c =
        from_json("{\"format\": \"referat-case/1\", \"public\": true}", FMT_LENIENT, &e, &w);
    CHECK(c == NULL);
    CHECK_STR(e.msg, "missing key \"title\" at $");
    /* Syntax errors stay errors too. */
    c = from_json("{\"title\": ", FMT_LENIENT, &e, &w);
    CHECK(c == NULL);
    CHECK_INT(e.code, ERR_SYNTAX);
    warnings_fini(&w);
}

static void test_sniff(void)
{
    struct case_doc *c = small_case();
    char *s = to_json(c, 0);
    CHECK_INT(fmt_read_json.sniff(s, strlen(s)), 100);
    CHECK_INT(fmt_read_json.sniff(" \n{\"format\":\"referat-case/1\"}", 28), 100);
    CHECK_INT(fmt_read_json.sniff("{\"title\": \"x\"}", 14), 20);
    CHECK_INT(fmt_read_json.sniff("## **Punkter til behandling**", 29), 0);
    CHECK_INT(fmt_read_json.sniff("", 0), 0);
    CHECK_INT(fmt_read_json.sniff("   ", 3), 0);
    free(s);
    case_free(c);
}

static void test_many_subitems(void)
{
    enum { N = 2000 }; /* near CASE_MAX_SUBITEMS */
    struct case_doc *c = case_new();
    c->title = dup_s("Mange punkter");
    c->public = true;
    c->has_table = true;
    struct decision *d = case_add_decision(c);
    d->body = dup_s("Direktionen");
    d->date = dup_s("2023-12-20");
    for (size_t i = 0; i < N; i++) {
        char t[64];
        snprintf(t, sizeof t, "Punkt nummer %zu", i + 1);
        struct subitem *s = case_add_subitem(c);
        s->time = dup_s("10.30");
        s->title = dup_s(t);
        subitem_add_guest(s)->name = dup_s("Tonny Olsen");
        struct entry *e = decision_add_entry(d);
        e->title = dup_s(t);
        e->subitem = N - i;
    }
    clock_t t0 = clock();
    char *s = to_json(c, 0);
    struct err e = {0};
    struct case_doc *back = from_json(s, 0, &e, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(back && case_equal(c, back, true));
    CHECK(back && back->decisions[0].entries[0].subitem == N);
    /* A generous limit that only catches quadratic behaviour (about 0.1 s expected). */
    CHECK(secs < 5.0);
    /* An error near the end still gets its position (the locator scans the whole text). */
    char *p = strstr(s, "\"title\": \"Punkt nummer 2000\"");
    CHECK(p != NULL);
    if (p) {
        memcpy(p + 9, "17                 ", 19); /* same length, now a number */
        case_free(back);
        back = from_json(s, 0, &e, NULL);
        CHECK(back == NULL);
        CHECK_STR(e.msg, "expected string at $.subitems[1999].title");
        CHECK_INT(e.col, 16);
    }
    free(s);
    case_free(back);
    case_free(c);
}

/* D12: what the md and txt exports cannot carry is refused, at its JSON path and position,
 * never quoting the value (it may be closed text). */
static void d12_json_refuses_what_exports_cannot_carry(void)
{
    ERR("{\"format\": \"referat-case/1\", \"title\": \"Budget\\n2025\", \"public\": true}", 1, 39,
        "expected a title on one line at $.title");
    ERR("{\"format\": \"referat-case/1\", \"title\": \" \\t\", \"public\": true}", 1, 39,
        "expected a title, found a blank one at $.title");
    ERR("{\"format\": \"referat-case/1\", \"title\": \"Indstilling \", \"public\": true}", 1, 39,
        "expected a case title, found a section heading at $.title");
    ERR(HEAD "\"route\": [\"FU\", \"ØK, KB\"]}", 1, 76,
        "expected a body code without commas or line breaks at $.route[1]");
    ERR(HEAD "\"route\": [\"Beslutning i FU den 01-01-2024\"]}", 1, 69,
        "expected body codes, found a line that reads as a section heading at $.route");
    ERR(HEAD "\"presentation\": \"Tekst.\\nIndstilling\\nMere.\"}", 1, 76,
        "expected text, found a line the text export reads as a section heading at "
        "$.presentation");
    ERR(HEAD "\"intro\": \"Tid\\tPunkt\"}", 1, 69,
        "expected text, found a line that reads as the Tid/Punkt table header at $.intro");
    ERR(HEAD "\"recommendation\": \"Bilag:\"}", 1, 78,
        "expected text, found a line the text export reads as a section heading at "
        "$.recommendation");
    ERR(HEAD "\"subitems\": [{\"time\": \"10\\t30\", \"title\": \"a\"}]}", 1, 82,
        "expected a time without tabs or line breaks at $.subitems[0].time");
    ERR(HEAD "\"subitems\": [{\"time\": \"Beslutning i X\", \"title\": \"a\"}]}", 1, 82,
        "expected a time, found the start of a section heading at $.subitems[0].time");
    ERR(HEAD "\"subitems\": [{\"title\": \" \", \"text\": \"\\n\"}]}", 1, 83,
        "expected a table cell that is not blank (the text export ends the table there) at "
        "$.subitems[0].title");
    ERR(HEAD "\"decisions\": [{\"body\": \"\", \"date\": \"2024-01-02\"}]}", 1, 83,
        "expected the name of a body at $.decisions[0].body");
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-01-02\", \"text\": \"a\\n- b\"}]}",
        1, 118,
        "expected text, found a line the text export reads as a \"- \" bullet at "
        "$.decisions[0].text");
    ERR(HEAD "\"decisions\": [{\"body\": \"D\", \"date\": \"2024-01-02\", \"entries\": "
             "[{\"title\": \"a\\nb\"}]}]}",
        1, 132, "expected a title on one line at $.decisions[0].entries[0].title");
    ERR(HEAD "\"attachments\": [{\"number\": 1, \"public\": true, \"title\": \"A\", "
             "\"document\": \"abc\"}]}",
        1, 132, "expected a document number of digits at $.attachments[0].document");
    ERR(HEAD "\"attachments\": [{\"number\": 1, \"public\": true, \"title\": \"A\\tB\"}]}", 1, 115,
        "expected a value without tabs or line breaks at $.attachments[0].title");
    ERR(HEAD "\"attachments\": [{\"number\": 1, \"public\": true, \"title\": \"A\", "
             "\"journal\": \"1\\n2\"}]}",
        1, 131, "expected a value without tabs or line breaks at $.attachments[0].journal");
    ERR(HEAD "\"layout\": {\"format\": \"html\", \"base\": \"ab\"}}", 1, 81,
        "expected \"md\" or \"txt\" at $.layout.format");
    /* The value is never repeated back, whatever it holds. */
    struct err e = {0};
    struct case_doc *c = from_json(HEAD "\"public\": false, \"attachments\": [{\"number\": 1, "
                                        "\"public\": false, \"title\": \"A\", \"document\": "
                                        "\"KANARIE-LUKKET-7Q2\"}]}",
                                   0, &e, NULL);
    CHECK(c == NULL);
    CHECK(strstr(e.msg, "KANARIE") == NULL);
    case_free(c);
}

/* D12: lenient reading leaves out what the exports cannot carry, so what it gives converts
 * too: an optional value becomes null, an element whose required value is bad is dropped. */
static void d12_lenient_leaves_out_what_exports_cannot_carry(void)
{
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c = from_json(
        HEAD "\"route\": [\"A,B\", \"C\"], \"presentation\": \"Sagsgang\", \"subitems\": "
             "[{\"time\": \"1\\t2\", \"title\": \"S\"}, {\"title\": \"\"}], \"decisions\": "
             "[{\"body\": \"x\\ny\", \"date\": \"2024-01-02\"}], \"attachments\": [{\"number\": "
             "1, \"public\": true, \"title\": \"A\", \"flag\": \"a\\tb\", \"document\": \"12a\"}]}",
        FMT_LENIENT, &e, &w);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->nroute, 1);
        CHECK_STR(c->presentation, NULL);
        CHECK_INT(c->nsubitems, 1);
        CHECK_STR(c->subitems[0].time, NULL);
        CHECK_INT(c->ndecisions, 0);
        CHECK_INT(c->nattachments, 1);
        CHECK_STR(c->attachments[0].flag, NULL);
        CHECK_STR(c->attachments[0].document, NULL);
        struct buf md = BUF_INIT;
        fmt_write(&fmt_write_md, c, 0, &md);
        struct case_doc *back = NULL;
        CHECK(fmt_read(&fmt_read_md, md.ptr, md.len, 0, &back, &e, &w) == 0);
        case_free(back);
        buf_free(&md);
    }
    CHECK_INT(w.n, 7);
    warnings_fini(&w);
    case_free(c);
}

/* D12: a layout that applies to the case (its base is the hash of the case's rendering) must
 * give back a document that reads as the case; an edited patch would make convert write
 * what check refuses. */
static void d12_json_refuses_a_layout_that_breaks_the_export(void)
{
    const char *md = "## **T**\n\n*Åben Sag*\n\n### **Sagsgang**\n\nDIR\t\n\n"
                     "### **Sagsfremstilling**\n\nTekst.\n\n### Indstilling\n\nGodkendes.";
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    CHECK(fmt_read(&fmt_read_md, md, strlen(md), 0, &c, &e, &w) == 0);
    if (!c)
        return;
    CHECK(c->layout.nhunks > 0);
    char *json = to_json(c, 0);
    struct case_doc *back = from_json(json, 0, &e, &w);
    CHECK(back && case_equal(c, back, true)); /* the layout it was read with fits */
    case_free(back);
    /* The line put back is now a second Sagsgang heading. */
    char *at = strstr(json, "\"DIR\\t\"");
    CHECK(at != NULL);
    if (at) {
        struct buf edited = BUF_INIT;
        buf_put(&edited, json, (size_t)(at - json));
        buf_puts(&edited, "\"Sagsgang\"");
        buf_puts(&edited, at + strlen("\"DIR\\t\""));
        back = from_json(edited.ptr, 0, &e, &w);
        CHECK(back == NULL);
        CHECK_STR(e.msg, "expected a layout that gives back a document of this case at $.layout");
        buf_free(&edited);
    }
    free(json);
    warnings_fini(&w);
    case_free(c);
}

/* D8: more sub-items than the archive holds are refused at the first one past the limit. */
static void d8_json_subitem_limit(void)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, HEAD "\"has_table\": true, \"subitems\": [");
    size_t at = 0;
    for (unsigned i = 0; i <= CASE_MAX_SUBITEMS; i++) {
        if (i)
            buf_puts(&b, ",\n");
        if (i == CASE_MAX_SUBITEMS)
            at = b.len;
        buf_printf(&b, "{\"title\": \"P%u\"}", i);
    }
    buf_puts(&b, "]}");
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c = from_json(b.ptr, 0, &e, &w);
    CHECK(c == NULL);
    CHECK_STR(e.msg, "expected at most 2047 sub-items (the archive holds no more in one case) at "
                     "$.subitems[2047]");
    CHECK_INT(e.line, CASE_MAX_SUBITEMS + 1);
    CHECK_INT(e.col, 1);
    (void)at;
    /* Lenient: the first CASE_MAX_SUBITEMS are kept, with one warning. */
    c = from_json(b.ptr, FMT_LENIENT, &e, &w);
    CHECK(c && c->nsubitems == CASE_MAX_SUBITEMS);
    CHECK_INT(w.n, 1);
    case_free(c);
    warnings_fini(&w);
    /* At the limit is fine. */
    buf_truncate(&b, at - 2);
    buf_puts(&b, "]}");
    c = from_json(b.ptr, 0, &e, &w);
    CHECK(c && c->nsubitems == CASE_MAX_SUBITEMS);
    case_free(c);
    warnings_fini(&w);
    buf_free(&b);
}

int main(void)
{
    RUN(test_golden_small);
    RUN(test_roundtrip_full);
    RUN(test_roundtrip_via_fmt);
    RUN(test_nolayout);
    RUN(test_public_closed);
    RUN(test_public_open);
    RUN(test_invalid_utf8_in_model);
    RUN(test_minimal_and_defaults);
    RUN(test_syntax_errors);
    RUN(test_duplicate_keys);
    RUN(test_schema_errors);
    RUN(test_schema_errors_nested);
    RUN(test_subitem_index);
    RUN(test_dates);
    RUN(test_decision_followups); /* issue 10, flat follow-ups */
    RUN(test_no_closed_text_in_errors);
    RUN(test_lenient);
    RUN(test_lenient_still_needs_title);
    RUN(test_sniff);
    RUN(test_many_subitems);
    RUN(d12_json_refuses_what_exports_cannot_carry);
    RUN(d12_lenient_leaves_out_what_exports_cannot_carry);
    RUN(d12_json_refuses_a_layout_that_breaks_the_export);
    RUN(d8_json_subitem_limit);
    return TEST_REPORT();
}
