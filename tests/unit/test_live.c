/* test_live: the live meeting's arithmetic (model/live.c, issue 9) and the actual times in the
 * case model (copy, equality, JSON both ways). */
#include "test.h"

#include "../../src/format/format.h"
#include "../../src/model/live.h"
#include "../../src/util/err.h"

/* 2026-12-20 10:00 in Copenhagen (UTC+1 in winter) is 09:00 UTC. */
#define T1000 ((time_t)1797757200)

static void test_instant(void)
{
    CHECK_INT(live_instant("2026-12-20", 10 * 60), T1000);
    CHECK_INT(live_instant("2026-12-20", 10 * 60 + 5), T1000 + 300);
    /* Summer time: 10:00 is 08:00 UTC. */
    CHECK_INT(live_instant("2026-06-20", 10 * 60) + 0, live_instant("2026-06-20", 0) + 36000);
    CHECK_INT(live_instant("2026-02-30", 600), 0);
    CHECK_INT(live_instant("2026-12-20", 24 * 60), 0);
    CHECK_INT(live_instant(NULL, 600), 0);
    char hm[6];
    live_local_hhmm(T1000 + 59, hm);
    CHECK_STR(hm, "10:00");
    live_local_hhmm(T1000 + 32 * 60 + 1, hm);
    CHECK_STR(hm, "10:32");
    time_t summer = live_instant("2026-06-20", 9 * 60 + 41);
    live_local_hhmm(summer, hm);
    CHECK_STR(hm, "09:41");
}

static void test_current_next(void)
{
    struct guest g = {.name = "Tonny Olsen"};
    struct live_row v[3] = {{T1000, T1000 + 300, 0, 0, NULL},
                            {T1000 + 300, T1000 + 600, 0, 0, &g},
                            {T1000 + 600, 0, 0, 0, NULL}};
    CHECK_INT(live_current(v, 3), -1);
    CHECK_INT(live_next(v, 3), 0);
    CHECK(live_next_guest(v, 3) == NULL); /* the first row has none */
    CHECK_INT(live_last_stamp(v, 3), 0);
    v[0].started = T1000 + 60;
    CHECK_INT(live_current(v, 3), 0);
    CHECK_INT(live_next(v, 3), 1);
    CHECK(live_next_guest(v, 3) == &g);
    v[0].ended = v[1].started = T1000 + 400;
    CHECK_INT(live_current(v, 3), 1);
    CHECK_INT(live_next(v, 3), 2);
    CHECK(live_next_guest(v, 3) == NULL);
    CHECK_INT(live_last_stamp(v, 3), T1000 + 400);
    v[1].ended = v[2].started = T1000 + 700;
    v[2].ended = T1000 + 800;
    CHECK_INT(live_current(v, 3), -1);
    CHECK_INT(live_next(v, 3), -1);
    CHECK_INT(live_next(NULL, 0), -1);
}

static void test_remaining(void)
{
    struct live_row r = {T1000, T1000 + 300, T1000 + 30, 0, NULL};
    long s = 0;
    char text[64];
    CHECK(live_remaining(&r, T1000 + 55, &s));
    CHECK_INT(s, 245);
    live_remaining_text(s, text, sizeof text);
    CHECK_STR(text, "4:05 tilbage");
    CHECK(live_remaining(&r, T1000 + 300, &s));
    live_remaining_text(s, text, sizeof text);
    CHECK_STR(text, "til tiden");
    CHECK(live_remaining(&r, T1000 + 301, &s));
    live_remaining_text(s, text, sizeof text);
    CHECK_STR(text, "1 min over tid");
    CHECK(live_remaining(&r, T1000 + 480, &s));
    live_remaining_text(s, text, sizeof text);
    CHECK_STR(text, "3 min over tid");
    /* An ended row keeps what it had left when it ended. */
    r.ended = T1000 + 200;
    CHECK(live_remaining(&r, T1000 + 9999, &s));
    CHECK_INT(s, 100);
    struct live_row open = {T1000, 0, T1000, 0, NULL};
    CHECK(!live_remaining(&open, T1000, &s));
    live_start_text(&r, text, sizeof text);
    CHECK_STR(text, ""); /* 30 s late is within the minute */
    r.started = T1000 + 150;
    live_start_text(&r, text, sizeof text);
    CHECK_STR(text, "startede 2 min for sent");
    r.started = T1000 - 60;
    live_start_text(&r, text, sizeof text);
    CHECK_STR(text, "startede 1 min før tid");
}

static void test_model_fields(void)
{
    struct case_doc *c = case_new();
    c->title = strdup("Punkter til behandling");
    c->public = true;
    c->has_table = true;
    struct subitem *s = case_add_subitem(c);
    s->time = strdup("10.00");
    s->duration = 5;
    s->title = strdup("Status");
    s->actual_start = strdup("10:01");
    s->actual_end = strdup("10:09");
    struct case_doc *d = case_dup(c);
    CHECK(case_equal(c, d, false));
    free(d->subitems[0].actual_end);
    d->subitems[0].actual_end = strdup("10:10");
    CHECK(!case_equal(c, d, false));
    case_free(d);
    struct buf json = BUF_INIT;
    fmt_write(&fmt_write_json, c, FMT_NOLAYOUT, &json);
    CHECK(strstr(buf_cstr(&json), "\"actual_start\"") != NULL);
    struct case_doc *back = NULL;
    struct err e = {0};
    struct warnings w = {0};
    CHECK(fmt_read(&fmt_read_json, json.ptr, json.len, FMT_NOLAYOUT | FMT_NOEXTRACT, &back, &e,
                   &w) == 0);
    CHECK(back && case_equal(c, back, false));
    case_free(back);
    warnings_fini(&w);
    buf_free(&json);
    /* Without stamps the JSON has no such keys (existing goldens stay as they are). */
    free(s->actual_start);
    free(s->actual_end);
    s->actual_start = s->actual_end = NULL;
    fmt_write(&fmt_write_json, c, FMT_NOLAYOUT, &json);
    CHECK(strstr(buf_cstr(&json), "actual_") == NULL);
    buf_free(&json);
    case_free(c);
}

int main(void)
{
    RUN(test_instant);
    RUN(test_current_next);
    RUN(test_remaining);
    RUN(test_model_fields);
    return TEST_REPORT();
}
