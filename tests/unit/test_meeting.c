/* test_meeting: the meeting model: every check with its field, copying and equality, the
 * agenda operations, attendance statuses and the year. */
#include "test.h"
#include "model/meeting.h"
#include "util/buf.h"

#include <stdint.h>

static struct meeting *sample(void)
{
    struct meeting *m = meeting_new();
    m->body_code = xstrdup("DIR");
    m->number = 3;
    m->date = xstrdup("2024-01-17");
    m->start = xstrdup("09:00");
    m->end = xstrdup("11:30");
    m->place = xstrdup("Rådhuset, mødelokale 1");
    m->state = WF_MEETING_PLANLAGT;
    for (int64_t id = 11; id <= 13; id++)
        CHECK_INT(meeting_add_case(m, id, NULL), 0);
    struct attendee *a = meeting_add_attendee(m);
    a->name = xstrdup("Anna Holm");
    a->role = xstrdup("formand");
    a = meeting_add_attendee(m);
    a->name = xstrdup("Bo Lind");
    a->status = ATTENDEE_AFBUD;
    a = meeting_add_attendee(m);
    a->name = xstrdup("Carl Juhl");
    a->status = ATTENDEE_STEDFORTRAEDER;
    a->substitute = xstrdup("Dorthe Krag");
    a = meeting_add_attendee(m);
    a->name = xstrdup("Eva Møller");
    a->remark = xstrdup("deltog ikke i punkt 2");
    a->arrived = 2;
    a->left = 3;
    return m;
}

static void set(char **field, const char *value)
{
    free(*field);
    *field = value ? xstrdup(value) : NULL;
}

/* Each mutation breaks one rule; the message names the field. */
static const char *const broken[] = {
    "organ: mangler",
    "organ: mangler",
    "dato: mangler",
    "dato: skal skrives ÅÅÅÅ-MM-DD",
    "dato: skal skrives ÅÅÅÅ-MM-DD",
    "dato: 2023-02-29 findes ikke",
    "dato: 2024-13-01 findes ikke",
    "start: skal skrives TT:MM",
    "start: skal skrives TT:MM",
    "start: 24:00 findes ikke (00:00-23:59)",
    "slut: 11:60 findes ikke (00:00-23:59)",
    "slut: skal ligge efter start (09:00)",
    "slut: skal ligge efter start (10:00)",
    "tilstand: ukendt (99)",
    "aflysningsgrund: mangler for et aflyst møde",
    "aflysningsgrund: mangler for et aflyst møde",
    "aflysningsgrund: kun for et aflyst møde",
    "dagsorden, punkt 3: sag 11 står der også som punkt 1",
    "dagsorden, punkt 2: ugyldigt sags-id (0)",
    "deltager 3, stedfortræder: navnet mangler",
    "deltager 1, stedfortræder: kun for status stedfortraeder",
    "deltager 2, navn: mangler",
    "deltager 2, ankom: kun for den, der deltog",
    "deltager 2, gik: kun for den, der deltog",
    "deltager 4, gik: punkt 1 ligger før ankom (punkt 2)",
    "deltager 1, status: ukendt (9)",
};
#define NBROKEN (sizeof broken / sizeof broken[0])

/* clang-format off */
static void mutate(struct meeting *m, size_t k)
{
    switch (k) {
    case 0: set(&m->body_code, NULL); break;
    case 1: set(&m->body_code, " "); break;
    case 2: set(&m->date, NULL); break;
    case 3: set(&m->date, "17-01-2024"); break;
    case 4: set(&m->date, "2024-01-17 "); break;
    case 5: set(&m->date, "2023-02-29"); break;
    case 6: set(&m->date, "2024-13-01"); break;
    case 7: set(&m->start, "9:00"); break;
    case 8: set(&m->start, "09.00"); break;
    case 9: set(&m->start, "24:00"); break;
    case 10: set(&m->end, "11:60"); break;
    case 11: set(&m->end, "09:00"); break;
    case 12: set(&m->start, "10:00"); set(&m->end, "09:59"); break;
    case 13: m->state = (enum wf_meeting_state)99; break;
    case 14: m->state = WF_MEETING_AFLYST; break;
    case 15: m->state = WF_MEETING_AFLYST; set(&m->cancel_reason, " \n"); break;
    case 16: set(&m->cancel_reason, "Sygdom"); break;
    case 17: m->cases[2] = m->cases[0]; break;
    case 18: m->cases[1] = 0; break;
    case 19: set(&m->attendees[2].substitute, NULL); break;
    case 20: set(&m->attendees[0].substitute, "Frank"); break;
    case 21: set(&m->attendees[1].name, NULL); break;
    case 22: m->attendees[1].arrived = 2; break;
    case 23: m->attendees[1].left = 2; break;
    case 24: m->attendees[3].left = 1; break;
    case 25: m->attendees[0].status = (enum attendee_status)9; break;
    /* Changes that break no rule, for equality. */
    case 26: m->number = 4; break;
    case 27: set(&m->place, NULL); break;
    case 28: set(&m->attendees[3].remark, "deltog ikke i punkt 3"); break;
    case 29: set(&m->attendees[0].role, NULL); break;
    case 30: m->attendees[3].arrived = 1; break;
    case 31: meeting_move_case(m, 13, 0, NULL); break;
    case 32: meeting_remove_case(m, 13, NULL); break;
    case 33: meeting_add_attendee(m)->name = xstrdup("Gert"); break;
    case 34: m->attendees[1].status = ATTENDEE_FRAVAERENDE; break;
    case 35: set(&m->attendees[2].substitute, "Dorthe Krag Hansen"); break;
    case 36: set(&m->start, NULL); break;
    case 37: m->state = WF_MEETING_DAGSORDEN_FRIGIVET; break;
    case 38: m->cases[0] = 14; break;
    }
}
/* clang-format on */
#define NMUTATIONS 39

static void sample_passes(void)
{
    struct meeting *m = sample();
    struct err e = {0};
    CHECK_INT(meeting_check(m, &e), 0);
    CHECK_STR(e.msg, "");
    meeting_free(m);
}

static void each_rule_with_its_field(void)
{
    for (size_t k = 0; k < NBROKEN; k++) {
        struct meeting *m = sample();
        mutate(m, k);
        struct err e = {0};
        int rc = meeting_check(m, &e);
        if (rc != ERR_SYNTAX)
            fprintf(stderr, "mutation %zu passed the check\n", k);
        CHECK_INT(rc, ERR_SYNTAX);
        CHECK_INT(e.code, ERR_SYNTAX);
        CHECK_STR(e.msg, broken[k]);
        meeting_free(m);
    }
    /* The other changes break nothing. */
    for (size_t k = NBROKEN; k < NMUTATIONS; k++) {
        struct meeting *m = sample();
        mutate(m, k);
        struct err e = {0};
        CHECK_INT(meeting_check(m, &e), 0);
        meeting_free(m);
    }
}

static void valid_edges(void)
{
    static const char *const ok[][3] = {
        /* date, start, end */
        {"2024-02-29", "00:00", "23:59"}, {"2024-12-31", NULL, "10:00"},
        {"2024-01-01", "10:00", NULL},    {"2024-01-01", NULL, NULL},
        {"2024-01-01", "09:59", "10:00"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct meeting *m = sample();
        set(&m->date, ok[i][0]);
        set(&m->start, ok[i][1]);
        set(&m->end, ok[i][2]);
        struct err e = {0};
        CHECK_INT(meeting_check(m, &e), 0);
        CHECK_STR(e.msg, "");
        meeting_free(m);
    }
    struct meeting *m = sample();
    m->state = WF_MEETING_AFLYST;
    set(&m->cancel_reason, "Formanden er syg");
    m->attendees[3].arrived = m->attendees[3].left = 2; /* present for one sub-item */
    m->attendees[2].arrived = 4;                        /* the substitute came late */
    CHECK_INT(meeting_check(m, NULL), 0);
    meeting_remove_case(m, 11, NULL);
    meeting_remove_case(m, 12, NULL);
    meeting_remove_case(m, 13, NULL);
    CHECK_INT(meeting_check(m, NULL), 0); /* an empty agenda */
    meeting_free(m);
    /* The smallest meeting: a body and a date. */
    m = meeting_new();
    m->body_code = xstrdup("ØK");
    m->date = xstrdup("2024-03-05");
    CHECK_INT(meeting_check(m, NULL), 0);
    meeting_free(m);
}

/* The earliest position that repeats an id is reported, whatever the ids' order. */
static void duplicates_reported_in_agenda_order(void)
{
    struct meeting *m = sample();
    meeting_remove_case(m, 11, NULL);
    meeting_remove_case(m, 12, NULL);
    meeting_remove_case(m, 13, NULL);
    const int64_t ids[] = {5, 6, 7, 8, 9};
    for (size_t i = 0; i < 5; i++)
        meeting_add_case(m, ids[i], NULL);
    m->cases[3] = 6; /* 5 6 7 6 5 */
    m->cases[4] = 5;
    struct err e = {0};
    CHECK_INT(meeting_check(m, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "dagsorden, punkt 4: sag 6 står der også som punkt 2");
    meeting_free(m);
}

static void long_agenda(void)
{
    struct meeting *m = meeting_new();
    m->body_code = xstrdup("KB");
    m->date = xstrdup("2024-06-20");
    /* Descending, so the check's sort has work to do. */
    for (int64_t id = 10000; id >= 1; id--)
        CHECK_INT(meeting_add_case(m, id, NULL), 0);
    CHECK_INT(m->ncases, 10000);
    CHECK_INT(meeting_check(m, NULL), 0);
    m->cases[9999] = m->cases[0];
    struct err e = {0};
    CHECK_INT(meeting_check(m, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "dagsorden, punkt 10000: sag 10000 står der også som punkt 1");
    meeting_free(m);
}

static void dup_and_equal(void)
{
    struct meeting *m = sample();
    struct meeting *d = meeting_dup(m);
    CHECK(meeting_equal(m, d));
    CHECK(meeting_equal(d, m));
    /* Deep: the copy shares no string with the original. */
    CHECK(d->body_code != m->body_code && d->attendees[0].name != m->attendees[0].name);
    CHECK(d->cases != m->cases);
    meeting_free(d);
    for (size_t k = 0; k < NMUTATIONS; k++) {
        d = meeting_dup(m);
        mutate(d, k);
        if (meeting_equal(m, d))
            fprintf(stderr, "mutation %zu not seen by meeting_equal\n", k);
        CHECK(!meeting_equal(m, d));
        CHECK(!meeting_equal(d, m));
        struct meeting *dd = meeting_dup(d);
        CHECK(meeting_equal(d, dd));
        meeting_free(dd);
        meeting_free(d);
    }
    meeting_free(m);
    struct meeting *empty = meeting_new();
    d = meeting_dup(empty);
    CHECK(meeting_equal(empty, d));
    meeting_free(d);
    meeting_free(empty);
    meeting_free(NULL);
}

static bool agenda_is(const struct meeting *m, const int64_t *want, size_t n)
{
    if (m->ncases != n) {
        fprintf(stderr, "  agenda has %zu cases, want %zu\n", m->ncases, n);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (m->cases[i] != want[i]) {
            fprintf(stderr, "  agenda[%zu] = %lld, want %lld\n", i, (long long)m->cases[i],
                    (long long)want[i]);
            return false;
        }
    return true;
}

#define AGENDA(m, ...)                                                                             \
    agenda_is((m), (const int64_t[]){__VA_ARGS__},                                                 \
              sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

static void agenda_operations(void)
{
    struct meeting *m = meeting_new();
    struct err e = {0};
    CHECK_INT(meeting_case_index(m, 1), -1);
    CHECK_INT(meeting_remove_case(m, 1, &e), ERR_NOTFOUND);
    CHECK_INT(meeting_move_case(m, 1, 0, &e), ERR_NOTFOUND);
    for (int64_t id = 1; id <= 4; id++)
        CHECK_INT(meeting_add_case(m, id, &e), 0);
    CHECK(AGENDA(m, 1, 2, 3, 4));
    CHECK_INT(meeting_case_index(m, 1), 0);
    CHECK_INT(meeting_case_index(m, 4), 3);
    CHECK_INT(meeting_case_index(m, 5), -1);

    /* Twice, or not an id: refused, nothing changed. */
    CHECK_INT(meeting_add_case(m, 2, &e), ERR_CONFLICT);
    CHECK_STR(e.msg, "dagsorden: sag 2 står der allerede (punkt 2)");
    CHECK_INT(meeting_add_case(m, 0, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "dagsorden: ugyldigt sags-id (0)");
    CHECK_INT(meeting_add_case(m, -7, &e), ERR_SYNTAX);
    CHECK(AGENDA(m, 1, 2, 3, 4));

    /* Moving to first, to last, within, and onto itself. */
    CHECK_INT(meeting_move_case(m, 3, 0, &e), 0);
    CHECK(AGENDA(m, 3, 1, 2, 4));
    CHECK_INT(meeting_move_case(m, 3, 3, &e), 0);
    CHECK(AGENDA(m, 1, 2, 4, 3));
    CHECK_INT(meeting_move_case(m, 1, 2, &e), 0);
    CHECK(AGENDA(m, 2, 4, 1, 3));
    CHECK_INT(meeting_move_case(m, 3, 1, &e), 0);
    CHECK(AGENDA(m, 2, 3, 4, 1));
    CHECK_INT(meeting_move_case(m, 4, 2, &e), 0);
    CHECK(AGENDA(m, 2, 3, 4, 1));
    CHECK_INT(meeting_move_case(m, 1, 3, &e), 0);
    CHECK(AGENDA(m, 2, 3, 4, 1));

    /* Out of range and unknown: refused, nothing changed. */
    CHECK_INT(meeting_move_case(m, 2, 4, &e), ERR_LIMIT);
    CHECK_STR(e.msg, "dagsorden: kan kun flytte til plads 1-4");
    CHECK_INT(meeting_move_case(m, 2, SIZE_MAX, &e), ERR_LIMIT);
    CHECK_INT(meeting_move_case(m, 9, 0, &e), ERR_NOTFOUND);
    CHECK_STR(e.msg, "dagsorden: sag 9 står der ikke");
    CHECK(AGENDA(m, 2, 3, 4, 1));

    /* Removing the middle, the last and the first. */
    CHECK_INT(meeting_remove_case(m, 4, &e), 0);
    CHECK(AGENDA(m, 2, 3, 1));
    CHECK_INT(meeting_remove_case(m, 1, &e), 0);
    CHECK(AGENDA(m, 2, 3));
    CHECK_INT(meeting_remove_case(m, 2, &e), 0);
    CHECK(AGENDA(m, 3));
    CHECK_INT(meeting_remove_case(m, 2, &e), ERR_NOTFOUND);
    CHECK_INT(meeting_move_case(m, 3, 1, &e), ERR_LIMIT);
    CHECK_INT(meeting_move_case(m, 3, 0, &e), 0);
    CHECK_INT(meeting_remove_case(m, 3, &e), 0);
    CHECK_INT(m->ncases, 0);

    /* Growing again after shrinking (the sanitizer build watches the array). */
    for (int64_t id = 1; id <= 100; id++)
        CHECK_INT(meeting_add_case(m, id, &e), 0);
    for (int64_t id = 1; id <= 100; id += 2)
        CHECK_INT(meeting_remove_case(m, id, &e), 0);
    for (int64_t id = 101; id <= 200; id++)
        CHECK_INT(meeting_add_case(m, id, &e), 0);
    CHECK_INT(m->ncases, 150);
    CHECK_INT(m->cases[0], 2);
    CHECK_INT(m->cases[49], 100);
    CHECK_INT(m->cases[149], 200);
    CHECK_INT(meeting_check(m, NULL), ERR_SYNTAX); /* no body, no date */
    meeting_free(m);
}

static void attendee_statuses(void)
{
    const int all[] = {ATTENDEE_PRESENT, ATTENDEE_AFBUD, ATTENDEE_FRAVAERENDE,
                       ATTENDEE_STEDFORTRAEDER};
    for (size_t i = 0; i < 4; i++) {
        const char *name = attendee_status_name(all[i]);
        CHECK(name != NULL);
        CHECK_INT(attendee_status_parse(name), all[i]);
        CHECK(attendee_status_label(all[i]) && *attendee_status_label(all[i]));
    }
    CHECK_STR(attendee_status_name(ATTENDEE_STEDFORTRAEDER), "stedfortraeder");
    CHECK_STR(attendee_status_label(ATTENDEE_FRAVAERENDE), "Fraværende");
    CHECK_INT(attendee_status_parse("Afbud"), -1);
    CHECK_INT(attendee_status_parse(NULL), -1);
    CHECK(attendee_status_name(4) == NULL && attendee_status_label(-1) == NULL);
    struct meeting *m = meeting_new();
    struct attendee *a = meeting_add_attendee(m);
    CHECK_INT(a->status, ATTENDEE_PRESENT);
    CHECK(!a->name && !a->substitute && !a->arrived && !a->left);
    meeting_free(m);
}

static void year(void)
{
    struct meeting *m = sample();
    CHECK_INT(meeting_year(m), 2024);
    set(&m->date, "1999-12-31");
    CHECK_INT(meeting_year(m), 1999);
    set(&m->date, "2024-02-30");
    CHECK_INT(meeting_year(m), 0);
    set(&m->date, NULL);
    CHECK_INT(meeting_year(m), 0);
    meeting_free(m);
}

int main(void)
{
    RUN(sample_passes);
    RUN(each_rule_with_its_field);
    RUN(valid_edges);
    RUN(duplicates_reported_in_agenda_order);
    RUN(long_agenda);
    RUN(dup_and_equal);
    RUN(agenda_operations);
    RUN(attendee_statuses);
    RUN(year);
    return TEST_REPORT();
}
