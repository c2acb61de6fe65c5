/* test_live: the live meeting's arithmetic (model/live.c, issue 9) and the actual times in the
 * case model (copy, equality, JSON both ways). */
#include "test.h"
#include "store_fixture.h"

#include <sqlite3.h>
#include <unistd.h>

#include "../../src/format/format.h"
#include "../../src/model/live.h"
#include "../../src/store/store.h"
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

/* ---- the store: stamps, actual times on afslut, attendance ---- */

static struct store *fresh(void)
{
    return fixture_fresh("live");
}

static const struct store_actor tools = {0, "cli:test", NULL, &reader_all};
/* DIR is body 1: its sekretær and a member. */
static struct reader_body sekr_bodies[] = {{1, ROLE_SEKRETAER}};
static const struct reader sekr_reader = {false, 10, false, sekr_bodies, 1};
static const struct store_actor sekr = {10, "sekr", NULL, &sekr_reader};
static struct reader_body medl_bodies[] = {{1, ROLE_MEDLEM}};
static const struct reader medl_reader = {false, 12, false, medl_bodies, 1};
static const struct store_actor medl = {12, "medl", NULL, &medl_reader};

static int64_t meeting_with_case(struct store *s, int64_t *case_id)
{
    struct err e = {0};
    int64_t id, mid = 0;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &id, &e), 0);
    struct store_meeting_save ms = {
        .body = "DIR", .date = "2026-12-20", .start = "10:00", .end = "12:00"};
    CHECK_INT(store_meeting_save(s, &ms, &sekr, &mid, NULL, &e), 0);
    struct case_doc *c = case_new();
    c->title = strdup("Punkter til behandling");
    c->public = true;
    c->has_table = true;
    const char *titles[] = {"Status", "Budget", "Eventuelt"};
    for (int i = 0; i < 3; i++) {
        struct subitem *si = case_add_subitem(c);
        si->time = i == 0 ? strdup("10.00") : NULL;
        si->duration = i == 2 ? 10 : 5;
        si->title = strdup(titles[i]);
        if (i == 1) {
            struct guest *g = subitem_add_guest(si);
            g->name = strdup("Tonny Olsen");
            g->role = strdup("Chef for Borgerservice");
        }
    }
    struct store_save sv = {.meeting_id = mid, .model = c};
    CHECK_INT(store_case_save(s, &sv, &sekr, case_id, NULL, &e), 0);
    case_free(c);
    CHECK_INT(store_meeting_transition(s, mid, 1, "frigiv_dagsorden", NULL, &sekr, &e), 0);
    return mid;
}

static void test_store_stamps(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t cid = 0;
    fixture_clock("2026-12-20T08:50:00Z");
    int64_t mid = meeting_with_case(s, &cid);
    /* Not yet started: nothing to stamp. */
    CHECK_INT(store_live_next(s, mid, STORE_LIVE_ANY, &sekr, &e), ERR_CONFLICT);
    fixture_clock("2026-12-20T09:00:30Z");
    CHECK_INT(store_meeting_transition(s, mid, 2, "start", NULL, &sekr, &e), 0);
    struct store_live l = {0};
    CHECK_INT(store_live_get(s, mid, &medl_reader, &l, &e), 0);
    CHECK_INT(l.nrows, 3);
    if (l.nrows == 3) {
        CHECK_INT(l.rows[0].planned_start, 600);
        CHECK_INT(l.rows[0].planned_end, 605);
        CHECK_INT(l.rows[1].planned_end, 610);
        CHECK_INT(l.rows[2].planned_end, 620);
        CHECK_INT(l.rows[0].started_at, 1797757230);
        CHECK_INT(l.rows[1].started_at, 0);
        CHECK_STR(l.rows[1].guest_name, "Tonny Olsen");
        CHECK_INT(l.rows[2].item, 1);
        CHECK_INT(l.rows[2].subitem, 3);
    }
    store_live_fini(&l);
    CHECK_INT(store_live_get(s, mid, NULL, &l, &e), ERR_NOTFOUND); /* the public */
    long long events = fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'");
    CHECK_INT(events, 1);                                           /* the start's stamp */
    CHECK_INT(store_live_undo(s, mid, 0, &sekr, &e), ERR_CONFLICT); /* the start stays */
    CHECK(strstr(e.msg, "nothing to take back") != NULL);
    fixture_clock("2026-12-20T09:06:00Z");
    CHECK_INT(store_live_next(s, mid, 0, &medl, &e), ERR_DENIED);
    CHECK_INT(store_live_next(s, mid, 1, &sekr, &e), ERR_CONFLICT); /* a stale device */
    CHECK_INT(store_live_next(s, mid, 0, &sekr, &e), 0);
    CHECK_INT(store_live_next(s, mid, 0, &sekr, &e), ERR_CONFLICT); /* the same click twice */
    /* A clock that jumps back is refused, nothing changed. */
    fixture_clock("2026-12-20T09:05:00Z");
    CHECK_INT(store_live_next(s, mid, 1, &sekr, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "before the latest stamp") != NULL);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'"), 2);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM live_stamp WHERE ended_at IS NOT NULL"), 1);
    /* A click too early is taken back: row 1 is current again, and the ledger has both. */
    fixture_clock("2026-12-20T09:19:00Z");
    CHECK_INT(store_live_next(s, mid, 1, &sekr, &e), 0);
    CHECK_INT(store_live_undo(s, mid, 1, &medl, &e), ERR_DENIED);
    CHECK_INT(store_live_undo(s, mid, 1, &sekr, &e), ERR_CONFLICT); /* stale: row 2 is current */
    CHECK_INT(store_live_undo(s, mid, 2, &sekr, &e), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'"), 4);
    CHECK(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.live' AND detail LIKE "
                   "'%fortryd%\"stamp\":\"ended\"%'") == 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM live_stamp WHERE started_at IS NOT NULL"), 2);
    fixture_clock("2026-12-20T09:20:00Z");
    CHECK_INT(store_live_next(s, mid, 1, &sekr, &e), 0);
    fixture_clock("2026-12-20T09:31:00Z");
    CHECK_INT(store_meeting_transition(s, mid, 3, "afslut", NULL, &sekr, &e), 0);
    CHECK_INT(store_live_next(s, mid, STORE_LIVE_ANY, &sekr, &e), ERR_CONFLICT);
    /* The actual times are in the case's model (a new version). */
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(s, cid, &sekr_reader, &c, &e), 0);
    if (c && c->nsubitems == 3) {
        CHECK_STR(c->subitems[0].actual_start, "10:00");
        CHECK_STR(c->subitems[0].actual_end, "10:06");
        CHECK_STR(c->subitems[1].actual_start, "10:06");
        CHECK_STR(c->subitems[1].actual_end, "10:20");
        CHECK_STR(c->subitems[2].actual_start, "10:20");
        CHECK_STR(c->subitems[2].actual_end, "10:31");
    }
    case_free(c);
    CHECK_INT(fixture_count(s, "SELECT version FROM \"case\""), 2);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.live'"), 6);
    store_close(s);
    unlink(dbpath);
}

/* A table that gives times only (no lengths), as the reference cases do: each slot runs to
 * the next one's start, the last to the meeting's end, so the countdown has an end. */
static void test_store_times_only(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t id, mid = 0, cid = 0;
    fixture_clock("2026-12-20T08:50:00Z");
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &id, &e), 0);
    struct store_meeting_save ms = {
        .body = "DIR", .date = "2026-12-20", .start = "10:30", .end = "12:00"};
    CHECK_INT(store_meeting_save(s, &ms, &sekr, &mid, NULL, &e), 0);
    struct case_doc *c = case_new();
    c->title = strdup("Punkter til behandling");
    c->public = true;
    c->has_table = true;
    const char *times[] = {"10.30", "11.00", "11.15", "11.30"};
    for (int i = 0; i < 4; i++) {
        struct subitem *si = case_add_subitem(c);
        si->time = strdup(times[i]);
        si->title = strdup(times[i]);
    }
    struct store_save sv = {.meeting_id = mid, .model = c};
    CHECK_INT(store_case_save(s, &sv, &sekr, &cid, NULL, &e), 0);
    case_free(c);
    CHECK_INT(store_meeting_transition(s, mid, 1, "frigiv_dagsorden", NULL, &sekr, &e), 0);
    struct store_live l = {0};
    CHECK_INT(store_live_get(s, mid, &medl_reader, &l, &e), 0);
    CHECK_INT(l.nrows, 4);
    if (l.nrows == 4) {
        CHECK_INT(l.rows[0].planned_end, 660);
        CHECK_INT(l.rows[1].planned_end, 675);
        CHECK_INT(l.rows[2].planned_end, 690);
        CHECK_INT(l.rows[3].planned_end, 720);
    }
    store_live_fini(&l);
    store_close(s);
}

static void test_store_attendance(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t cid = 0;
    fixture_clock("2026-12-20T08:50:00Z");
    int64_t mid = meeting_with_case(s, &cid);
    struct attendee v[3] = {
        {.name = "Anna Berg", .status = ATTENDEE_PRESENT, .arrived = 2},
        {.name = "Bo Dahl", .status = ATTENDEE_AFBUD, .remark = "Syg"},
        {.name = "Carl Eg", .status = ATTENDEE_STEDFORTRAEDER, .substitute = "Dorte Falk"},
    };
    long long events = fixture_count(s, "SELECT count(*) FROM ledger");
    CHECK_INT(store_attendance_save(s, mid, v, 3, &medl, &e), ERR_DENIED);
    v[0].arrived = 4; /* the timetable has 3 rows */
    CHECK_INT(store_attendance_save(s, mid, v, 3, &sekr, &e), ERR_USAGE);
    CHECK(strncmp(e.msg, "deltager 1", 10) == 0);
    v[0].arrived = 3;
    v[0].left = 2; /* leaving before arriving */
    CHECK_INT(store_attendance_save(s, mid, v, 3, &sekr, &e), ERR_USAGE);
    v[0].left = 0;
    v[2].substitute = NULL;
    CHECK_INT(store_attendance_save(s, mid, v, 3, &sekr, &e), ERR_USAGE);
    CHECK(strncmp(e.msg, "deltager 3", 10) == 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger"), events);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM attendance"), 0);
    v[2].substitute = "Dorte Falk";
    CHECK_INT(store_attendance_save(s, mid, v, 3, &sekr, &e), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.attendance'"), 1);
    struct attendee *got = NULL;
    size_t n = 0;
    CHECK_INT(store_attendance_get(s, mid, &medl_reader, &got, &n, &e), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(got[0].name, "Anna Berg");
        CHECK_INT(got[0].arrived, 3);
        CHECK_INT(got[1].status, ATTENDEE_AFBUD);
        CHECK_STR(got[1].remark, "Syg");
        CHECK_STR(got[2].substitute, "Dorte Falk");
    }
    store_attendees_free(got, n);
    CHECK_INT(store_attendance_get(s, mid, NULL, &got, &n, &e), ERR_NOTFOUND);
    store_close(s);
    unlink(dbpath);
}

int main(void)
{
    RUN(test_instant);
    RUN(test_current_next);
    RUN(test_remaining);
    RUN(test_model_fields);
    RUN(test_store_stamps);
    RUN(test_store_attendance);
    RUN(test_store_times_only);
    return TEST_REPORT();
}
