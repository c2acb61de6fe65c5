/* test_timetable: the time plan's arithmetic: parsing and writing times, chained and given
 * starts, overlaps, gaps, running past the end or starting before, reordering and reflowing. */
#include "test.h"
#include "model/timetable.h"
#include "model/authored.h"
#include "model/case.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_parse_and_format(void)
{
    CHECK_INT(tt_parse("10.30"), 630);
    CHECK_INT(tt_parse("10:30"), 630);
    CHECK_INT(tt_parse("9.05"), 545);
    CHECK_INT(tt_parse("9"), 540);
    CHECK_INT(tt_parse("00.00"), 0);
    CHECK_INT(tt_parse("23.59"), 1439);
    const char *bad[] = {"24.00", "10.60", "10.3", "10.300", "", "x", "-1", "10,30", "1030",
                         "10.30 ", " 10.30", "123"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(tt_parse(bad[i]), -1);
    CHECK_INT(tt_parse(NULL), -1);
    char out[6];
    tt_format(630, out);
    CHECK_STR(out, "10.30");
    tt_format(545, out);
    CHECK_STR(out, "09.05");
    tt_format(TT_NONE, out);
    CHECK_STR(out, "");
    tt_format(24 * 60, out);
    CHECK_STR(out, "");
}

/* The reference case 000: sub-items at 10.30, 11.00, 11.15 and 11.30, 5-minute slots. */
static void test_reference_plan(void)
{
    struct tt_slot s[] = {{630, 30, 0, 0, 0}, {660, 15, 0, 0, 0}, {675, 15, 0, 0, 0},
                          {690, 5, 0, 0, 0}};
    struct timetable t = {600, 720, s, 4};
    tt_compute(&t);
    CHECK_INT(s[0].start, 630);
    CHECK_INT(s[0].end, 660);
    CHECK_INT(s[3].end, 695);
    CHECK_INT(tt_problems(&t), 0);
}

static void test_chained_and_flags(void)
{
    /* 09.00 meeting to 10.00: a chained first slot, a given one that overlaps, a chained one,
     * a gap, one past the end. */
    struct tt_slot s[] = {{TT_NONE, 20, 0, 0, 0}, {555, 10, 0, 0, 0}, {TT_NONE, 15, 0, 0, 0},
                          {600 - 10, 5, 0, 0, 0}, {TT_NONE, 20, 0, 0, 0}};
    struct timetable t = {540, 600, s, 5};
    tt_compute(&t);
    CHECK_INT(s[0].start, 540);
    CHECK_INT(s[0].end, 560);
    CHECK_INT(s[1].problems, TT_OVERLAP); /* 09.15 < 09.20 */
    CHECK_INT(s[2].start, 565);
    CHECK_INT(s[2].end, 580);
    CHECK_INT(s[3].problems, TT_GAP); /* 09.50 > 09.40 */
    CHECK_INT(s[4].start, 595);
    CHECK_INT(s[4].problems, TT_PAST_END); /* ends 10.15 */
    CHECK_INT(tt_problems(&t), 3);
    CHECK(*tt_problem_label(TT_OVERLAP));
    /* A chained slot is never a gap or an overlap: it starts where the other ended. */
    CHECK_INT(s[2].problems, 0);
}

static void test_unknown_and_before(void)
{
    /* No meeting start: the first chained slot has no start; a slot without a duration ends
     * nothing, so the next chained one is unknown too, until a given start. */
    struct tt_slot s[] = {{TT_NONE, 10, 0, 0, 0}, {600, 0, 0, 0, 0}, {TT_NONE, 10, 0, 0, 0},
                          {500, 10, 0, 0, 0}};
    struct timetable t = {TT_NONE, TT_NONE, s, 4};
    tt_compute(&t);
    CHECK_INT(s[0].problems, TT_UNKNOWN);
    CHECK_INT(s[1].start, 600);
    CHECK_INT(s[1].end, TT_NONE);
    CHECK_INT(s[2].problems, TT_UNKNOWN);
    CHECK_INT(s[3].problems, 0); /* nothing known before it to compare with */
    t.start = 540;
    tt_compute(&t);
    CHECK_INT(s[0].start, 540);
    CHECK_INT(s[3].problems, TT_BEFORE_START); /* 08.20 */
}

static void test_reorder_and_reflow(void)
{
    struct tt_slot s[] = {{630, 30, 0, 0, 0}, {660, 15, 0, 0, 0}, {675, 15, 0, 0, 0},
                          {690, 5, 0, 0, 0}};
    struct timetable t = {600, 720, s, 4};
    /* The last sub-item first: its old time now overlaps nothing but leaves the plan torn. */
    tt_move(&t, 3, 0);
    CHECK_INT(s[0].given_start, 690);
    CHECK_INT(s[1].given_start, 630);
    tt_compute(&t);
    CHECK(tt_problems(&t) > 0);
    /* Reflowed from the new first slot's start, every slot follows the one before; the plan
     * now runs past a 12.00 end, and fits one at 13.00. */
    tt_reflow(&t);
    CHECK_INT(s[0].problems, 0);
    CHECK_INT(s[1].problems, TT_PAST_END);
    CHECK_INT(s[3].problems, TT_PAST_END);
    t.end = 780;
    tt_compute(&t);
    CHECK_INT(tt_problems(&t), 0);
    CHECK_INT(s[0].start, 690);
    CHECK_INT(s[1].start, 695);
    CHECK_INT(s[2].start, 725);
    CHECK_INT(s[3].start, 740);
    /* Out of range or onto itself changes nothing. */
    tt_move(&t, 0, 9);
    tt_move(&t, 9, 0);
    tt_move(&t, 2, 2);
    CHECK_INT(s[0].given_start, 690);
    /* Moving forward. */
    tt_move(&t, 0, 3);
    CHECK_INT(s[3].given_start, 690);
    CHECK_INT(s[0].given_start, 695);
    /* A slot without a duration keeps its start and the plan goes on from it. */
    struct tt_slot u[] = {{540, 10, 0, 0, 0}, {600, 0, 0, 0, 0}, {TT_NONE, 10, 0, 0, 0}};
    struct timetable v = {540, 720, u, 3};
    tt_reflow(&v);
    CHECK_INT(u[1].given_start, 600);
    CHECK_INT(u[2].given_start, TT_NONE); /* nothing to follow: its start is unknown */
    CHECK_INT(u[2].problems, TT_UNKNOWN);
}

static void test_many_slots_linear(void)
{
    /* 10,000 five-minute slots: reflow and compute stay linear (a quadratic plan would show
     * here as a timeout, not a timing assertion). */
    static struct tt_slot s[10000];
    for (size_t i = 0; i < 10000; i++)
        s[i] = (struct tt_slot){TT_NONE, 5, 0, 0, 0};
    struct timetable t = {0, TT_NONE, s, 10000};
    for (int k = 0; k < 200; k++)
        tt_reflow(&t);
    CHECK_INT(s[9999].start, 9999 * 5);
    CHECK_INT(tt_problems(&t), 0);
}

/* The checks on an authored case (authored.h): each problem found with its path. */
static void test_authored_check(void)
{
    struct case_doc *c = case_new();
    struct authored_problem p;
    char path[96];
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    CHECK_STR(p.field, "title");
    c->title = strdup("Punkter til behandling");
    c->public = true;
    case_add_subitem(c);
    case_add_subitem(c); /* grows the array: take the pointers after */
    struct subitem *a = &c->subitems[0], *b = &c->subitems[1];
    a->title = strdup("Verdensmål");
    a->time = strdup("10.30");
    a->duration = 30;
    b->title = strdup("Budget");
    b->duration = 15; /* follows at 11.00 */
    CHECK_INT(authored_check(c, 630, 720, &p), 0);
    CHECK_INT(authored_check(c, TT_NONE, TT_NONE, &p), 0);
    free(b->time);
    b->time = strdup("10.75");
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    authored_path(&p, path, sizeof path);
    CHECK_STR(path, "$.subitems[1].time");
    free(b->time);
    b->time = strdup("12.00"); /* at the end: outside */
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    CHECK_INT(authored_check(c, 630, TT_NONE, &p), 0);
    free(b->time);
    b->time = NULL;
    free(a->time);
    a->time = strdup("10.00"); /* before the start */
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    CHECK_INT((int)p.subitem, 0);
    free(a->time);
    a->time = strdup("11.50"); /* b would begin at 12.20, after the end */
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    CHECK_INT((int)p.subitem, 1);
    a->duration = 5; /* b runs 11.55-12.10, past the end: only the timetable's warning */
    CHECK_INT(authored_check(c, 630, 720, &p), 0);
    struct guest *g = subitem_add_guest(b);
    g->name = strdup("Tonny Olsen");
    g->email = strdup("tonny.olsen@lindholm");
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    authored_path(&p, path, sizeof path);
    CHECK_STR(path, "$.subitems[1].guests[0].email");
    free(g->email);
    g->email = strdup("tonny.olsen@lindholm.dk");
    CHECK_INT(authored_check(c, 630, 720, &p), 0);
    free(b->title);
    b->title = strdup("  ");
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    authored_path(&p, path, sizeof path);
    CHECK_STR(path, "$.subitems[1].title");
    free(b->title);
    b->title = strdup("Budget");
    c->public = false;
    CHECK_INT(authored_check(c, 630, 720, &p), -1);
    CHECK_STR(p.field, "public_title");
    c->public_title = strdup("Personalesag");
    CHECK_INT(authored_check(c, 630, 720, &p), 0);
    case_free(c);
}

int main(void)
{
    RUN(test_authored_check);
    RUN(test_parse_and_format);
    RUN(test_reference_plan);
    RUN(test_chained_and_flags);
    RUN(test_unknown_and_before);
    RUN(test_reorder_and_reflow);
    RUN(test_many_slots_linear);
    return TEST_REPORT();
}
