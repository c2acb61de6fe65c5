/* test_decision: the decision page's model (issue 9): entries prefilled from the agenda of
 * reference case 000, the follow-ups suggested for its four decision texts, the phrases, the
 * words that say a case is treated again, and authored_check's decision rules. */
#include "test.h"
#include "format/format.h"
#include "model/authored.h"
#include "model/decision.h"
#include "util/buf.h"

#include <stdint.h>

static struct case_doc *seed000(void)
{
    size_t n = 0;
    char *bytes = test_read_file(SEEDS_DIR "/000_7786c9215fe5c01a.txt", &n);
    if (!bytes)
        return NULL;
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    int rc = fmt_read(&fmt_read_md, bytes, n, FMT_NOLAYOUT, &c, &e, &w);
    warnings_fini(&w);
    free(bytes);
    CHECK(rc == 0);
    return rc == 0 ? c : NULL;
}

/* "owner/role/due;..." */
static char *owners(const struct followup *f, size_t n)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s/%s/%s", i ? ";" : "", f[i].owner ? f[i].owner : "-",
                   f[i].role ? f[i].role : "-", f[i].due ? f[i].due : "-");
    return buf_detach(&b);
}

static void test_prefill_seed(void)
{
    struct case_doc *c = seed000();
    if (!c)
        return;
    /* The seed's own decision stays; the prefilled one is added after it. */
    struct case_doc *agenda = case_dup(c);
    struct decision *d = decision_prefill(agenda, "Direktionen", "2023-12-20");
    CHECK_STR(d->body, "Direktionen");
    CHECK_STR(d->date, "2023-12-20");
    /* The seed's own minutes open with exactly this. */
    CHECK_STR(d->text, c->decisions[0].text);
    CHECK_STR(d->text, "Direktionen havde følgende øvrige punkter til behandling:");
    CHECK_INT(d->nentries, 4);
    for (size_t i = 0; i < d->nentries && i < 4; i++) {
        CHECK_INT(d->entries[i].subitem, i + 1);
        CHECK_STR(d->entries[i].title, c->subitems[i].title);
    }
    if (d->nentries == 4) {
        CHECK_STR(d->entries[0].text, "Chef for Borgerservice, IT og Digitalisering Tonny Olsen "
                                      "deltog under behandlingen af punktet.");
        CHECK_STR(d->entries[1].text, "Udviklingskonsulent Vicki Nygaard Svendsen og "
                                      "kommunikationsmedarbejder Marc Kromann Rasmussen deltog "
                                      "under behandlingen af punktet.");
        /* The seed's own minutes say exactly this. */
        CHECK_STR(d->entries[2].text, "Jurist Maria Drejer Petersen deltog under drøftelsen.");
        CHECK_STR(d->entries[3].text, NULL);
    }
    case_free(agenda);
    case_free(c);
}

static void test_prefill_without_subitems(void)
{
    struct case_doc *c = case_new();
    c->title = xstrdup("Budgetopfølgning");
    struct guest *g = case_add_guest(c);
    g->name = xstrdup("Bettina Andersen");
    g->role = xstrdup("Økonomichef");
    struct decision *d = decision_prefill(c, "Direktionen", "2024-01-10");
    CHECK_INT(d->nentries, 1);
    CHECK_STR(d->entries[0].title, "Budgetopfølgning");
    CHECK_INT(d->entries[0].subitem, 0);
    CHECK_STR(d->entries[0].text, "Økonomichef Bettina Andersen deltog under behandlingen af "
                                  "punktet.");
    case_free(c);
}

/* A guest the text does not mention gets the standard sentence, in the past tense. */
static void test_guest_text_standard(void)
{
    struct subitem s = {0};
    s.title = "Status";
    s.text = "Orientering om status. Jurist Maria Drejer Petersen præsenterer sagen.";
    struct guest g[2] = {{.name = "Maria Drejer Petersen", .role = "Jurist"},
                         {.name = "Tonny Olsen", .role = "IT-chef"}};
    s.guests = g;
    s.nguests = 2;
    char *t = decision_guest_text(&s);
    CHECK_STR(t, "Jurist Maria Drejer Petersen præsenterede sagen. IT-chef Tonny Olsen deltog "
                 "under behandlingen af punktet.");
    free(t);
    s.nguests = 0;
    CHECK_STR(decision_guest_text(&s), NULL);
}

/* The seed's four decision texts propose exactly the seed's owners. */
static void test_suggest_seed(void)
{
    struct case_doc *c = seed000();
    if (!c)
        return;
    CHECK_INT(c->ndecisions, 1);
    const char *want[4] = {"Tonny Olsen/Chef for Borgerservice, IT og Digitalisering/-", "",
                           "Ledelsessekretariatet/-/-",
                           "Ledelsessekretariatet/-/-;Bettina Andersen/Økonomichef/-"};
    for (size_t i = 0; c->ndecisions && i < 4 && i < c->decisions[0].nentries; i++) {
        const struct entry *e = &c->decisions[0].entries[i];
        struct followup *f = NULL;
        size_t n = decision_suggest(c, e->subitem, e->text, "2023-12-20", &f);
        char *got = owners(f, n);
        CHECK_STR(got, want[i]);
        free(got);
        decision_followups_free(f, n);
    }
    /* A due date is read from the sentence. */
    struct followup *f = NULL;
    size_t n =
        decision_suggest(c, 4, "Ledelsessekretariatet følger op d. 9. januar.", "2023-12-20", &f);
    char *got = owners(f, n);
    CHECK_STR(got, "Ledelsessekretariatet/-/2024-01-09");
    free(got);
    decision_followups_free(f, n);
    CHECK_INT(decision_suggest(c, 1, "", "2023-12-20", &f), 0);
    CHECK_INT(decision_suggest(c, 1, NULL, "2023-12-20", &f), 0);
    case_free(c);
}

static void test_phrases(void)
{
    char **v = NULL;
    size_t n = decision_phrases("Godkendt| Drøftet ||Taget til efterretning|  ", &v);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(v[0], "Godkendt");
        CHECK_STR(v[1], "Drøftet");
        CHECK_STR(v[2], "Taget til efterretning");
    }
    decision_phrases_free(v, n);
    CHECK_INT(decision_phrases("", &v), 0);
    CHECK_INT(decision_phrases(NULL, &v), 0);
    char *t = decision_append_phrase(NULL, "Godkendt");
    CHECK_STR(t, "Godkendt.");
    free(t);
    t = decision_append_phrase("Oplægget blev drøftet\n", "Taget til efterretning.");
    CHECK_STR(t, "Oplægget blev drøftet. Taget til efterretning.");
    free(t);
    t = decision_append_phrase("Tonny Olsen præsenterede oplægget.", "Godkendt");
    CHECK_STR(t, "Tonny Olsen præsenterede oplægget. Godkendt.");
    free(t);
}

static void test_treated_again(void)
{
    CHECK(decision_treated_again("Det blev besluttet, at punktet behandles igen på et kommende "
                                 "direktionsmøde."));
    CHECK(decision_treated_again("Punktet Behandles Igen."));
    CHECK(decision_treated_again("Sagen genoptages på et senere møde."));
    CHECK(decision_treated_again("Punktet behandles på næste møde i Direktionen."));
    CHECK(decision_treated_again("Direktionen drøfter sagen igen; den tages op igen i marts."));
    /* The seed's own decisions do not come back. */
    CHECK(!decision_treated_again("Ledelsessekretariatet følger op."));
    CHECK(!decision_treated_again("Det blev aftalt, at drøftelsen omkring rammesætning og "
                                  "skallering af opgaven behandles på strategisk dialogmøde "
                                  "med borgmesteren i begyndelsen af 2024."));
    CHECK(!decision_treated_again(NULL));
    CHECK(!decision_treated_again(""));
}

static void test_authored(void)
{
    struct case_doc *c = case_new();
    c->title = xstrdup("Punkter til behandling");
    c->public = true;
    for (int i = 0; i < 2; i++)
        case_add_subitem(c)->title = xstrdup(i ? "B" : "A");
    struct decision *d = case_add_decision(c);
    d->body = xstrdup("Direktionen");
    d->date = xstrdup("2023-12-20");
    struct entry *e = decision_add_entry(d);
    e->title = xstrdup("A");
    e->subitem = 2;
    struct authored_problem p;
    char path[128];
    CHECK_INT(authored_check(c, -1, -1, &p), 0);
    e->subitem = 0; /* an entry of no sub-item is the case's own decision */
    CHECK_INT(authored_check(c, -1, -1, &p), 0);
    e->subitem = 3;
    CHECK_INT(authored_check(c, -1, -1, &p), -1);
    authored_path(&p, path, sizeof path);
    CHECK_STR(path, "$.decisions[0].entries[0].subitem");
    e->subitem = 1;
    struct followup *f = entry_add_followup(e);
    f->owner = xstrdup("Ledelsessekretariatet");
    f->due = xstrdup("2023-12-20"); /* the meeting's own day is allowed */
    CHECK_INT(authored_check(c, -1, -1, &p), 0);
    free(f->due);
    f->due = xstrdup("2023-12-19");
    CHECK_INT(authored_check(c, -1, -1, &p), -1);
    authored_path(&p, path, sizeof path);
    CHECK_STR(path, "$.decisions[0].entries[0].followups[0].due");
    CHECK(strstr(p.message, "før mødet") != NULL);
    /* A sub-item's problem still has its old path. */
    free(f->due);
    f->due = NULL;
    free(c->subitems[1].title);
    c->subitems[1].title = xstrdup("");
    CHECK_INT(authored_check(c, -1, -1, &p), -1);
    authored_path(&p, path, sizeof path);
    CHECK_STR(path, "$.subitems[1].title");
    case_free(c);
}

int main(void)
{
    RUN(test_prefill_seed);
    RUN(test_prefill_without_subitems);
    RUN(test_guest_text_standard);
    RUN(test_suggest_seed);
    RUN(test_phrases);
    RUN(test_treated_again);
    RUN(test_authored);
    return TEST_REPORT();
}
