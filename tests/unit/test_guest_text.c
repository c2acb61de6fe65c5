/* test_guest_text: the guests' sentence of a sub-item is what the readers find guests in. */
#include "test.h"
#include "model/case.h"
#include "model/extract.h"
#include "model/guest_text.h"
#include "util/buf.h"

static const struct guest two[] = {
    {.name = "Vicki Nygaard Svendsen", .role = "Udviklingskonsulent"},
    {.name = "Marc Kromann Rasmussen", .role = "Kommunikationsmedarbejder"},
};

static void sentence_as_the_seeds(void)
{
    struct buf b = BUF_INIT;
    struct guest one = {.name = "Tonny Olsen",
                        .role = "Chef for Borgerservice, IT og Digitalisering"};
    guest_text_sentence(&b, &one, 1);
    CHECK_STR(buf_cstr(&b), "Chef for Borgerservice, IT og Digitalisering Tonny Olsen deltager "
                            "under behandlingen af punktet.");
    buf_free(&b);
    guest_text_sentence(&b, two, 2);
    CHECK_STR(buf_cstr(&b), "Udviklingskonsulent Vicki Nygaard Svendsen og "
                            "kommunikationsmedarbejder Marc Kromann Rasmussen deltager under "
                            "behandlingen af punktet.");
    buf_free(&b);
    struct guest three[] = {{.name = "Anna Holm"}, {.name = "Bo Ek", .role = "IT-chef"},
                            {.name = "Ida Lund", .role = "Jurist"}};
    guest_text_sentence(&b, three, 3);
    CHECK_STR(buf_cstr(&b), "Anna Holm, IT-chef Bo Ek og jurist Ida Lund deltager under "
                            "behandlingen af punktet.");
    buf_free(&b);
    guest_text_sentence(&b, NULL, 0);
    CHECK(b.len == 0);
}

static void readers_find_the_guests(void)
{
    char *text = guest_text_add("Status på nytårskurene.", two, 2);
    struct extract_guest *v = NULL;
    size_t n = extract_guests(text, &v);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].name, "Vicki Nygaard Svendsen");
        CHECK_STR(v[1].name, "Marc Kromann Rasmussen");
    }
    extract_guests_free(v, n);
    free(text);
}

static void add_and_strip(void)
{
    char *t = guest_text_add("Første afsnit.\n\nAndet afsnit.", two, 1);
    CHECK_STR(t, "Første afsnit.\n\nAndet afsnit. Udviklingskonsulent Vicki Nygaard Svendsen "
                 "deltager under behandlingen af punktet.");
    char *back = guest_text_strip(t, two, 1);
    CHECK_STR(back, "Første afsnit.\n\nAndet afsnit.");
    free(back);
    /* the sentence of other guests is the writer's text and stays */
    back = guest_text_strip(t, two, 2);
    CHECK_STR(back, t);
    free(back);
    free(t);
    t = guest_text_add(NULL, two, 1);
    back = guest_text_strip(t, two, 1);
    CHECK(back == NULL);
    free(back);
    free(t);
    CHECK(guest_text_add("", NULL, 0) == NULL);
}

static void named_in_own_words(void)
{
    /* The text names Maria in its own words: the sentence is only for Tonny. */
    struct guest g[] = {{.name = "Maria Drejer Petersen", .role = "Jurist"},
                        {.name = "Tonny Olsen", .role = "Chef"}};
    const char *own = "Formålet er at rammesætte processen. Jurist Maria Drejer Petersen "
                      "deltager under drøftelsen.";
    char *t = guest_text_add(own, g, 2);
    CHECK_STR(t, "Formålet er at rammesætte processen. Jurist Maria Drejer Petersen deltager "
                 "under drøftelsen. Chef Tonny Olsen deltager under behandlingen af punktet.");
    char *back = guest_text_strip(t, g, 2);
    CHECK_STR(back, own);
    free(back);
    free(t);
    t = guest_text_add(own, g, 1); /* everyone named: the text as written */
    CHECK_STR(t, own);
    back = guest_text_strip(t, g, 1);
    CHECK_STR(back, own);
    free(back);
    free(t);
}

int main(void)
{
    RUN(sentence_as_the_seeds);
    RUN(readers_find_the_guests);
    RUN(add_and_strip);
    RUN(named_in_own_words);
    return TEST_REPORT();
}
