/* test_sdg: the verdensmål: the goals as data, sets, the word list's suggestions, the `sdg`
 * field through the model and the JSON codec, and the labelled set bench/sdg measures on. */
#include "test.h"

#include "../../bench/sdg/measure.h"
#include "format/format.h"
#include "model/sdg.h"

#include <jansson.h>

static void test_goals(void)
{
    CHECK(sdg_goal(0) == NULL);
    CHECK(sdg_goal(18) == NULL);
    for (unsigned g = 1; g <= SDG_COUNT; g++) {
        const struct sdg_goal *x = sdg_goal(g);
        CHECK(x && x->number == g && x->name && *x->name);
        CHECK(x && strlen(x->colour) == 7 && x->colour[0] == '#');
        for (unsigned k = 1; k < g; k++) /* names and colours are all distinct */
            CHECK(strcmp(sdg_goal(k)->name, x->name) != 0 &&
                  strcmp(sdg_goal(k)->colour, x->colour) != 0);
    }
    CHECK_STR(sdg_goal(13)->name, "Klimaindsats");
    CHECK_STR(sdg_goal(13)->colour, "#3F7E44");
    CHECK_STR(sdg_goal(5)->name, "Ligestilling mellem kønnene");
    CHECK_STR(sdg_goal(1)->colour, "#E5243B");
    CHECK_INT(sdg_count(SDG_ALL), 17);
}

static void test_parse_format(void)
{
    sdg_set s = 99;
    const char *why = NULL;
    char out[SDG_LIST_MAX];
    CHECK_INT(sdg_parse("13, 7", &s, &why), 0);
    CHECK_INT(s, SDG_BIT(7) | SDG_BIT(13));
    sdg_format(s, out);
    CHECK_STR(out, "7,13");
    CHECK_INT(sdg_parse("", &s, &why), 0);
    CHECK_INT(s, 0);
    sdg_format(0, out);
    CHECK_STR(out, "");
    CHECK_INT(sdg_parse(" 1 2,3 ,17", &s, &why), 0);
    CHECK_INT(s, SDG_BIT(1) | SDG_BIT(2) | SDG_BIT(3) | SDG_BIT(17));
    sdg_format(SDG_ALL, out);
    CHECK_STR(out, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17");
    s = 5;
    const char *bad[] = {"0", "18", "x", "1x", "-3", "7;8", "100000000000", "3.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        CHECK(sdg_parse(bad[i], &s, &why) < 0);
        CHECK_STR(why, "expected goal numbers from 1 to 17, separated by commas");
    }
    CHECK(sdg_parse("7, 7", &s, &why) < 0);
    CHECK_STR(why, "expected each goal once");
    CHECK_INT(s, 5); /* untouched on error */
}

static void test_suggest(void)
{
    CHECK_INT(sdg_suggest("Klimaplan for kommunen"), SDG_BIT(13));
    CHECK_INT(sdg_suggest("KLIMAPLAN"), SDG_BIT(13));              /* case folded */
    CHECK_INT(sdg_suggest("ÅLEGRÆS I FJORDEN"), SDG_BIT(14));      /* Æ Ø Å folded too */
    CHECK_INT(sdg_suggest("Solceller og vindenergi"), SDG_BIT(7)); /* "*energi" inside */
    CHECK_INT(sdg_suggest("Mødeplan for næste år"), 0);
    CHECK_INT(sdg_suggest(NULL), 0);
    CHECK_INT(sdg_suggest(""), 0);
    /* Prefixes that are also common words' beginnings stay out. */
    CHECK_INT(sdg_suggest("Det er naturligvis en politisk beslutning"), 0);
    CHECK_INT(sdg_suggest("Vi vil gerne have en elevator"), 0);
    /* A weight-1 word needs company; one word that only hints is not enough. */
    CHECK_INT(sdg_suggest("Nye virksomheder"), 0);
    CHECK_INT(sdg_suggest("Nye virksomheder og flere job"), SDG_BIT(8));
    /* An entry counts once however often it occurs. */
    CHECK_INT(sdg_suggest("virksomhed virksomhed virksomhed"), 0);
    unsigned score[SDG_COUNT + 1];
    sdg_score("klima klimaet co2-udledning", score);
    CHECK_INT(score[13], 2 + 2 + 1); /* *klima, co2, *udledning: '-' splits words */
    /* At most three goals, the highest scores first. */
    sdg_set many = sdg_suggest("klima energi skole sundhed affald fjord skov demokrati");
    CHECK_INT(sdg_count(many), SDG_MAX_SUGGEST);
    /* Title and text together: the entry counts once across both. */
    CHECK_INT(sdg_suggest2("Nye virksomheder", "og flere job"), SDG_BIT(8));
    CHECK_INT(sdg_suggest2("virksomhed", "virksomhed"), 0);
    /* A long text is not a problem (no quadratic step). */
    struct buf b = BUF_INIT;
    for (int i = 0; i < 20000; i++)
        buf_puts(&b, "Kommunen arbejder videre med planen. ");
    CHECK_INT(sdg_suggest(buf_cstr(&b)), 0);
    buf_puts(&b, "biodiversitet");
    CHECK_INT(sdg_suggest(buf_cstr(&b)), SDG_BIT(15));
    buf_free(&b);
}

/* --- the model and the JSON codec ---------------------------------------------------------- */

static const char *const doc =
    "{\"format\": \"referat-case/1\", \"title\": \"Klimaplan\", \"public\": true,\n"
    " \"sdg\": [13, 7],\n"
    " \"has_table\": true,\n"
    " \"subitems\": [{\"time\": null, \"title\": \"Solceller\", \"text\": null, \"guests\": [],\n"
    "                \"sdg\": [7]},\n"
    "              {\"time\": null, \"title\": \"Eventuelt\", \"text\": null, \"guests\": []}]}\n";

static struct case_doc *read_json(const char *s, int flags, struct err *e, struct warnings *w)
{
    struct case_doc *c = NULL;
    if (fmt_read_json.parse(s, strlen(s), flags, &c, e, w) < 0)
        return NULL;
    return c;
}

static void test_json(void)
{
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c = read_json(doc, 0, &e, &w);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "%u:%u: %s\n", e.line, e.col, e.msg);
        return;
    }
    CHECK_INT(c->sdg, SDG_BIT(7) | SDG_BIT(13));
    CHECK_INT(c->nsubitems, 2);
    CHECK_INT(c->subitems[0].sdg, SDG_BIT(7));
    CHECK_INT(c->subitems[1].sdg, 0);
    struct buf b = BUF_INIT;
    fmt_write_json.write(c, 0, &b);
    /* Ascending, and written even when empty, on the case and on every sub-item. */
    CHECK(strstr(buf_cstr(&b), "\"sdg\": [\n    7,\n    13\n  ]") != NULL);
    json_t *j = json_loads(buf_cstr(&b), 0, NULL);
    CHECK(json_is_array(json_object_get(j, "sdg")));
    json_t *subs = json_object_get(j, "subitems");
    CHECK_INT(
        json_integer_value(json_array_get(json_object_get(json_array_get(subs, 0), "sdg"), 0)), 7);
    CHECK(json_is_array(json_object_get(json_array_get(subs, 1), "sdg")));
    CHECK_INT(json_array_size(json_object_get(json_array_get(subs, 1), "sdg")), 0);
    json_decref(j);
    /* Roundtrip, copy and equality. */
    struct case_doc *c2 = read_json(buf_cstr(&b), 0, &e, &w);
    CHECK(c2 && case_equal(c, c2, true));
    struct case_doc *d = case_dup(c);
    CHECK(case_equal(c, d, true));
    d->subitems[1].sdg = SDG_BIT(17);
    CHECK(!case_equal(c, d, true));
    d->subitems[1].sdg = 0;
    d->sdg = 0;
    CHECK(!case_equal(c, d, true));
    /* The public view: an open case keeps its goals; a closed one keeps only its title. */
    struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
    CHECK_INT(v->sdg, c->sdg);
    CHECK_INT(v->subitems[0].sdg, SDG_BIT(7));
    case_free(v);
    c->public = false;
    v = case_view(c, AUDIENCE_PUBLIC);
    CHECK_INT(v->sdg, 0);
    CHECK(case_is_redacted(v));
    case_free(v);
    c->public = true;
    case_free(d);
    case_free(c2);
    buf_free(&b);
    case_free(c);
    /* An older file without the key reads as no goals. */
    c = read_json("{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true}", 0, &e,
                  &w);
    CHECK(c && c->sdg == 0);
    case_free(c);
}

static void expect_bad(const char *s, const char *msg)
{
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c = read_json(s, 0, &e, &w);
    CHECK(c == NULL);
    if (!strstr(e.msg, msg)) {
        fprintf(stderr, "  got: %u:%u: %s\n  want: ... %s\n", e.line, e.col, e.msg, msg);
        test_case_failed = 1;
    }
    case_free(c);
}

static void test_json_errors(void)
{
    expect_bad("{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
               "\"sdg\": [18]}",
               "expected a goal number from 1 to 17 at $.sdg[0]");
    expect_bad("{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
               "\"sdg\": [3, \"4\"]}",
               "expected a goal number from 1 to 17 at $.sdg[1]");
    expect_bad("{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
               "\"sdg\": [3, 3]}",
               "expected each goal once at $.sdg[1]");
    expect_bad("{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
               "\"sdg\": 13}",
               "expected array at $.sdg");
    expect_bad("{\"format\": \"referat-case/1\", \"title\": \"T\", \"public\": true, "
               "\"has_table\": true, \"subitems\": [{\"time\": null, \"title\": \"A\", "
               "\"text\": null, \"guests\": [], \"sdg\": [0]}]}",
               "expected a goal number from 1 to 17 at $.subitems[0].sdg[0]");
    /* Lenient mode drops the bad number with a warning and keeps the rest. */
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c = read_json("{\"format\": \"referat-case/1\", \"title\": \"T\", "
                                   "\"public\": true, \"sdg\": [3, 99, 4]}",
                                   FMT_LENIENT, &e, &w);
    CHECK(c && c->sdg == (SDG_BIT(3) | SDG_BIT(4)));
    CHECK(w.n >= 1);
    case_free(c);
    warnings_fini(&w);
}

/* --- the labelled set and the measurement --------------------------------------------------- */

static void test_labelled_set(void)
{
    json_error_t je;
    json_t *root = json_load_file(SOURCE_DIR "/tests/fixtures/sdg-labelled.json", 0, &je);
    json_t *items = json_object_get(root, "items");
    CHECK(json_is_array(items));
    CHECK(json_array_size(items) >= 60); /* the minimum */
    size_t i;
    json_t *it;
    sdg_set seen = 0;
    unsigned empty = 0;
    json_array_foreach(items, i, it)
    {
        CHECK(json_is_string(json_object_get(it, "title")));
        json_t *l = json_object_get(it, "sdg");
        CHECK(json_is_array(l));
        size_t k;
        json_t *g;
        sdg_set set = 0;
        json_array_foreach(l, k, g)
        {
            json_int_t n = json_integer_value(g);
            CHECK(json_is_integer(g) && n >= 1 && n <= 17 && !(set & SDG_BIT(n)));
            if (n >= 1 && n <= 17)
                set |= SDG_BIT(n);
        }
        seen |= set;
        empty += set == 0;
    }
    CHECK_INT(seen, SDG_ALL); /* every goal is labelled somewhere */
    CHECK(empty >= 5);        /* and some items have none, so precision means something */
    json_decref(root);
}

static void test_measure(void)
{
    struct sdg_tally t = {0};
    sdg_tally_add(&t, SDG_BIT(13), SDG_BIT(13));             /* tp 13 */
    sdg_tally_add(&t, SDG_BIT(7) | SDG_BIT(13), SDG_BIT(7)); /* tp 7, fp 13 */
    sdg_tally_add(&t, 0, SDG_BIT(4));                        /* fn 4 */
    sdg_tally_add(&t, 0, 0);                                 /* exact, nothing */
    CHECK_INT(t.items, 4);
    CHECK_INT(t.exact, 2);
    CHECK(sdg_precision(&t, 0) > 0.666 && sdg_precision(&t, 0) < 0.667); /* 2 / 3 */
    CHECK(sdg_recall(&t, 0) > 0.666 && sdg_recall(&t, 0) < 0.667);       /* 2 / 3 */
    CHECK(sdg_precision(&t, 13) == 0.5);
    CHECK(sdg_recall(&t, 13) == 1.0);
    CHECK(sdg_recall(&t, 4) == 0.0);
    CHECK(sdg_precision(&t, 4) == 1.0); /* never claimed */
}

int main(void)
{
    RUN(test_goals);
    RUN(test_parse_format);
    RUN(test_suggest);
    RUN(test_json);
    RUN(test_json_errors);
    RUN(test_labelled_set);
    RUN(test_measure);
    return TEST_REPORT();
}
