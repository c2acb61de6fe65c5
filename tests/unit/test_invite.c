/* test_invite: guests' invitations (issue 8). The iCalendar writer, parsed back with libical
 * (METHOD, VTIMEZONE, UID, SEQUENCE, DTSTART/DTEND in Europe/Copenhagen as instants, ORGANIZER,
 * ATTENDEE); invitations_sync through the store's writes (nothing pending before the
 * release, the release makes them pending, a moved slot raises SEQUENCE, a removed guest gets
 * a CANCEL, one never sent is dropped); marks and retries; guests' links (hashed, expiring by
 * the clock); mail's header words and a relay that is down. */
#include "test.h"
#include "format/format.h"
#include "format/invite.h"
#include "store/outbox.h"
#include "store/store.h"
#include "util/mail.h"

#include <arpa/inet.h>
#include <libical/ical.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct store_actor tools = {.name = "test", .reader = &reader_all};

/* ---- the writer ---- */

static icalcomponent *parse(const struct buf *b)
{
    return icalparser_parse_string(buf_cstr(b));
}

/* The instant of a DTSTART/DTEND as libical reads it with its TZID and the calendar's own
 * VTIMEZONE. */
static time_t instant(icalcomponent *cal, icalcomponent *ev, icalproperty_kind k)
{
    icalproperty *p = icalcomponent_get_first_property(ev, k);
    if (!p)
        return 0;
    struct icaltimetype t = k == ICAL_DTSTART_PROPERTY ? icalproperty_get_dtstart(p)
                                                        : icalproperty_get_dtend(p);
    icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
    icaltimezone *tz = tzid ? icalcomponent_get_timezone(cal, tzid) : NULL;
    return tz ? icaltime_as_timet_with_zone(t, tz) : 0;
}

static const char *prop_text(icalcomponent *c, icalproperty_kind k)
{
    icalproperty *p = icalcomponent_get_first_property(c, k);
    return p ? icalproperty_get_value_as_string(p) : NULL;
}

static void test_request_parses_back(void)
{
    struct buf b = BUF_INIT;
    struct err e = {0};
    struct invite iv = {.method = "REQUEST", .uid = "abc@referat", .sequence = 2,
                        .dtstamp = 1700000000, .start = "2030-03-05T10:30",
                        .end = "2030-03-05T11:00", .organizer = "dagsorden@lindholm.dk",
                        .organizer_name = "Lindholm Kommune", .attendee = "tonny@example.dk",
                        .attendee_name = "Tonny Ølsen", .summary = "Direktionen: Punkter",
                        .location = "Mødelokale 1"};
    CHECK_INT(fmt_invite_ics(&iv, &b, &e), 0);
    icalcomponent *cal = parse(&b);
    CHECK(cal != NULL);
    if (!cal)
        return;
    CHECK_INT(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
    icalcomponent *tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
    CHECK(tz != NULL);
    CHECK_STR(tz ? prop_text(tz, ICAL_TZID_PROPERTY) : NULL, "Europe/Copenhagen");
    icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    CHECK(ev != NULL);
    if (ev) {
        CHECK_STR(icalcomponent_get_uid(ev), "abc@referat");
        CHECK_INT(icalcomponent_get_sequence(ev), 2);
        /* March: CET, one hour before UTC. 2030-03-05T09:30Z = 1898933400. */
        CHECK_INT(instant(cal, ev, ICAL_DTSTART_PROPERTY), 1898933400);
        CHECK_INT(instant(cal, ev, ICAL_DTEND_PROPERTY), 1898933400 + 1800);
        CHECK_STR(prop_text(ev, ICAL_ORGANIZER_PROPERTY), "mailto:dagsorden@lindholm.dk");
        CHECK_STR(prop_text(ev, ICAL_ATTENDEE_PROPERTY), "mailto:tonny@example.dk");
        icalproperty *att = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
        icalparameter *cn = att ? icalproperty_get_first_parameter(att, ICAL_CN_PARAMETER)
                                : NULL;
        CHECK_STR(cn ? icalparameter_get_cn(cn) : NULL, "Tonny Ølsen");
        CHECK_STR(prop_text(ev, ICAL_LOCATION_PROPERTY), "Mødelokale 1");
        CHECK_INT(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
    }
    icalcomponent_free(cal);
    buf_free(&b);
}

static void test_summer_time_and_cancel(void)
{
    struct buf b = BUF_INIT;
    struct err e = {0};
    struct invite iv = {.method = "CANCEL", .uid = "u@referat", .sequence = 3,
                        .start = "2030-06-05T10:30", .end = "2030-06-05T10:35",
                        .organizer = "a@b.dk", .attendee = "c@d.dk"};
    CHECK_INT(fmt_invite_ics(&iv, &b, &e), 0);
    icalcomponent *cal = parse(&b);
    CHECK(cal != NULL);
    if (!cal)
        return;
    CHECK_INT(icalcomponent_get_method(cal), ICAL_METHOD_CANCEL);
    icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    /* June: CEST, two hours before UTC. 2030-06-05T08:30Z = 1906878600. */
    CHECK_INT(instant(cal, ev, ICAL_DTSTART_PROPERTY), 1906878600);
    CHECK_INT(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
    CHECK_INT(icalcomponent_get_sequence(ev), 3);
    icalcomponent_free(cal);
    /* Lines end in CRLF and none is longer than 75 octets. */
    size_t line = 0;
    bool crlf = true, short_lines = true;
    for (size_t i = 0; i < b.len; i++) {
        if (b.ptr[i] == '\n') {
            crlf = crlf && i > 0 && b.ptr[i - 1] == '\r';
            short_lines = short_lines && line <= 76;
            line = 0;
        } else {
            line++;
        }
    }
    CHECK(crlf);
    CHECK(short_lines);
    buf_free(&b);
}

static void test_bad_invites(void)
{
    struct buf b = BUF_INIT;
    struct err e = {0};
    struct invite ok = {.method = "REQUEST", .uid = "u", .start = "2030-03-05T10:30",
                        .end = "2030-03-05T11:00", .organizer = "a@b.dk", .attendee = "c@d.dk"};
    struct invite iv = ok;
    iv.organizer = NULL;
    CHECK_INT(fmt_invite_ics(&iv, &b, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "organizer") != NULL);
    iv = ok;
    iv.end = "2030-03-05T10:00";
    CHECK_INT(fmt_invite_ics(&iv, &b, &e), ERR_USAGE);
    iv = ok;
    iv.start = "2030-02-30T10:00";
    CHECK_INT(fmt_invite_ics(&iv, &b, &e), ERR_USAGE);
    iv = ok;
    iv.method = "PUBLISH";
    CHECK_INT(fmt_invite_ics(&iv, &b, &e), ERR_USAGE);
    CHECK_INT(b.len, 0);
    buf_free(&b);
}

/* ---- the store ---- */

static char dbpath[256];

static struct store *fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-invite-%d.db", (int)getpid());
    unlink(dbpath);
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(dbpath, STORE_CREATE, &s, &e) != 0)
        fprintf(stderr, "open: %s\n", e.msg);
    return s;
}

static struct case_doc *doc(const char *json)
{
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    if (fmt_read(&fmt_read_json, json, strlen(json), 0, &c, &e, &w) != 0)
        fprintf(stderr, "json: %d:%d: %s\n", e.line, e.col, e.msg);
    warnings_fini(&w);
    return c;
}

#define CASE_JSON(t1, guest2)                                                                \
    "{\"format\":\"referat-case/1\",\"title\":\"Punkter\",\"public\":true,\"has_table\":true," \
    "\"subitems\":[{\"time\":\"" t1 "\",\"duration\":30,\"title\":\"Digitalisering\","        \
    "\"guests\":[{\"name\":\"Tonny Olsen\",\"email\":\"Tonny@Example.dk\"}]},"               \
    "{\"duration\":15,\"title\":\"Seminar\",\"guests\":[" guest2 "]}]}"
#define BETTINA "{\"name\":\"Bettina\",\"email\":\"bettina@example.dk\"}"

static int save_case(struct store *s, int64_t meeting, int64_t *id, int *version,
                     const char *json)
{
    struct case_doc *c = doc(json);
    struct err e = {0};
    struct store_save sv = {.case_id = *id, .base_version = *version, .meeting_id = meeting,
                            .model = c};
    int rc = store_case_save(s, &sv, &tools, id, version, &e);
    if (rc)
        fprintf(stderr, "save: %s\n", e.msg);
    case_free(c);
    return rc;
}

/* A new case (the archive's tools start it as kladde) put on the agenda in earnest. */
static int new_case(struct store *s, int64_t meeting, int64_t *id, int *version,
                    const char *json)
{
    struct err e = {0};
    int rc = save_case(s, meeting, id, version, json);
    static const char *const steps[] = {"indsend", "godkend", "saet_paa_dagsorden"};
    for (size_t i = 0; rc == 0 && i < 3; i++)
        if ((rc = store_case_transition(s, *id, *version, steps[i], NULL, &tools, &e)) != 0)
            fprintf(stderr, "%s: %s\n", steps[i], e.msg);
    return rc;
}

static struct store_invitation *list(struct store *s, size_t *n)
{
    struct store_invitation *v = NULL;
    struct err e = {0};
    struct store_page pg = {0};
    *n = 0;
    if (store_invitations(s, NULL, &reader_all, &pg, &v, n, NULL, &e) != 0)
        fprintf(stderr, "list: %s\n", e.msg);
    return v;
}

static void test_sync(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0, meeting = 0, cid = 0;
    int mver = 0, cver = 0;
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save ms = {.body = "DIR", .date = "2030-03-05", .start = "10:00",
                                    .end = "12:00", .place = "Mødelokale 1"};
    CHECK_INT(store_meeting_save(s, &ms, &tools, &meeting, &mver, &e), 0);
    CHECK_INT(new_case(s, meeting, &cid, &cver, CASE_JSON("10.30", BETTINA)), 0);
    size_t n;
    struct store_invitation *v = list(s, &n);
    CHECK_INT(n, 0); /* planned: nothing before the release */
    store_invitations_free(v, n);

    CHECK_INT(store_meeting_transition(s, meeting, mver, "frigiv_dagsorden", NULL, &tools, &e),
              0);
    mver++;
    v = list(s, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].email, "tonny@example.dk"); /* lower case */
        CHECK_STR(v[0].method, "REQUEST");
        CHECK_STR(v[0].state, "pending");
        CHECK_STR(v[0].dtstart, "2030-03-05T10:30");
        CHECK_STR(v[0].dtend, "2030-03-05T11:00");
        /* The second sub-item has no time: it follows the first. */
        CHECK_STR(v[1].dtstart, "2030-03-05T11:00");
        CHECK_STR(v[1].dtend, "2030-03-05T11:15");
        CHECK_INT(v[0].sequence, 0);
        bool marked = false;
        CHECK_INT(store_invitation_mark(s, v[0].id, 0, "REQUEST", NULL, &tools, &marked, &e),
                  0);
        CHECK(marked);
        /* A stale version is not marked. */
        CHECK_INT(store_invitation_mark(s, v[1].id, 7, "REQUEST", NULL, &tools, &marked, &e),
                  0);
        CHECK(!marked);
    }
    char uid0[80] = "";
    if (n)
        snprintf(uid0, sizeof uid0, "%s", v[0].uid);
    store_invitations_free(v, n);

    /* The slot moves: the sent one gets SEQUENCE 1 and is pending again, same UID. */
    CHECK_INT(save_case(s, 0, &cid, &cver, CASE_JSON("10.45", BETTINA)), 0);
    v = list(s, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].uid, uid0);
        CHECK_INT(v[0].sequence, 1);
        CHECK_STR(v[0].state, "pending");
        CHECK_STR(v[0].dtstart, "2030-03-05T10:45");
        CHECK_STR(v[1].dtstart, "2030-03-05T11:15");
        CHECK_INT(store_invitation_mark(s, v[0].id, 1, "REQUEST", NULL, &tools, NULL, &e), 0);
    }
    store_invitations_free(v, n);

    /* Saving without a change changes nothing. */
    CHECK_INT(save_case(s, 0, &cid, &cver, CASE_JSON("10.45", BETTINA)), 0);
    v = list(s, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(v[0].sequence, 1);
        CHECK_STR(v[0].state, "sent");
    }
    store_invitations_free(v, n);

    /* Bettina (never sent) is removed: dropped. */
    CHECK_INT(save_case(s, 0, &cid, &cver, CASE_JSON("10.45", "")), 0);
    v = list(s, &n);
    CHECK_INT(n, 1);
    store_invitations_free(v, n);

    /* The meeting moves a day: a new version for the one sent. */
    struct store_meeting_save mv = {.id = meeting, .base_version = mver, .date = "2030-03-06",
                                    .start = "10:00", .end = "12:00", .place = "Mødelokale 1"};
    CHECK_INT(store_meeting_save(s, &mv, &tools, NULL, &mver, &e), 0);
    v = list(s, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(v[0].sequence, 2);
        CHECK_STR(v[0].dtstart, "2030-03-06T10:45");
        CHECK_STR(v[0].state, "pending");
        CHECK_INT(store_invitation_mark(s, v[0].id, 2, "REQUEST", NULL, &tools, NULL, &e), 0);
    }
    store_invitations_free(v, n);

    /* Tonny (sent) is removed: a CANCEL, SEQUENCE raised, same UID. */
    CHECK_INT(save_case(s, 0, &cid, &cver,
                        "{\"format\":\"referat-case/1\",\"title\":\"Punkter\",\"public\":true,"
                        "\"has_table\":true,\"subitems\":[{\"title\":\"Seminar\"}]}"),
              0);
    v = list(s, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(v[0].method, "CANCEL");
        CHECK_INT(v[0].sequence, 3);
        CHECK_STR(v[0].uid, uid0);
        CHECK_STR(v[0].state, "pending");
        /* A failure is kept with its error and counted; the sekretær's retry makes it
         * pending again. */
        CHECK_INT(store_invitation_mark(s, v[0].id, 3, "CANCEL", "SMTP down", &tools, NULL, &e),
                  0);
        struct store_invitation g = {0};
        CHECK_INT(store_invitation_get(s, v[0].id, &reader_all, &g, &e), 0);
        CHECK_STR(g.state, "failed");
        CHECK_STR(g.error, "SMTP down");
        CHECK_INT(g.attempts, 1);
        store_invitation_fini(&g);
        CHECK_INT(store_invitation_retry(s, v[0].id, &tools, &e), 0);
        CHECK_INT(store_invitation_get(s, v[0].id, &reader_all, &g, &e), 0);
        CHECK_STR(g.state, "pending");
        store_invitation_fini(&g);
        CHECK_INT(store_invitation_retry(s, v[0].id, &tools, &e), ERR_CONFLICT);
        /* The public may not list invitations. */
        struct store_invitation *pv = NULL;
        size_t pn = 9;
        struct store_page pg = {0};
        CHECK_INT(store_invitations(s, NULL, NULL, &pg, &pv, &pn, NULL, &e), 0);
        CHECK_INT(pn, 0);
        store_invitations_free(pv, pn);
    }
    store_invitations_free(v, n);
    /* Every send, failure and retry is in the ledger. */
    sqlite3 *db = store_sqlite_db(s);
    sqlite3_stmt *st;
    int events = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ledger WHERE action LIKE 'invitation.%'",
                           -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        events = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    CHECK_INT(events, 5); /* 3 sent, 1 failed, 1 retry */
    store_close(s);
    unlink(dbpath);
}

static void set_clock(const char *path, long t)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%ld\n", t);
        fclose(f);
    }
}

static void test_guest_link(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0, meeting = 0, cid = 0;
    int mver = 0, cver = 0;
    char clock[300];
    snprintf(clock, sizeof clock, "%s.clock", dbpath);
    set_clock(clock, 1893456000); /* 2030-01-01 */
    setenv("REFERAT_CLOCK_FILE", clock, 1);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save ms = {.body = "DIR", .date = "2030-03-05", .start = "10:00"};
    CHECK_INT(store_meeting_save(s, &ms, &tools, &meeting, &mver, &e), 0);
    CHECK_INT(new_case(s, meeting, &cid, &cver, CASE_JSON("10.30", "")), 0);
    CHECK_INT(store_meeting_transition(s, meeting, mver, "frigiv_dagsorden", NULL, &tools, &e),
              0);
    size_t n;
    struct store_invitation *v = list(s, &n);
    CHECK_INT(n, 1);
    char token[STORE_GUEST_TOKEN_LEN + 1] = "";
    if (n == 1)
        CHECK_INT(store_guest_link_new(s, v[0].id, &tools, token, &e), 0);
    store_invitations_free(v, n);
    CHECK_INT(strlen(token), STORE_GUEST_TOKEN_LEN);
    /* Only the hash is kept. */
    sqlite3_stmt *st;
    int plain = -1;
    if (sqlite3_prepare_v2(store_sqlite_db(s), "SELECT count(*) FROM guest_link WHERE hash = ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            plain = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    CHECK_INT(plain, 0);

    struct store_invitation inv = {0};
    struct case_doc *c = NULL;
    CHECK_INT(store_guest_link_get(s, token, &inv, &c, &e), 0);
    CHECK_STR(inv.email, "tonny@example.dk");
    CHECK(c != NULL);
    store_invitation_fini(&inv);
    case_free(c);
    c = NULL;
    char wrong[STORE_GUEST_TOKEN_LEN + 1];
    memcpy(wrong, token, sizeof wrong);
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    CHECK_INT(store_guest_link_get(s, wrong, &inv, &c, &e), ERR_NOTFOUND);
    /* The day after the meeting (Copenhagen): expired. 2030-03-05T23:00Z is midnight. */
    set_clock(clock, 1898982000 - 1);
    CHECK_INT(store_guest_link_get(s, token, &inv, &c, &e), 0);
    store_invitation_fini(&inv);
    case_free(c);
    c = NULL;
    set_clock(clock, 1898982000);
    CHECK_INT(store_guest_link_get(s, token, &inv, &c, &e), ERR_NOTFOUND);
    CHECK(c == NULL);
    unsetenv("REFERAT_CLOCK_FILE");
    unlink(clock);
    store_close(s);
    unlink(dbpath);
}

/* A draft on a released agenda (a tillægsdagsorden in the making) invites nobody; put on the
 * agenda it does; taken off again, its guests get a CANCEL. */
static void test_draft_invites_nobody(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0, meeting = 0, cid = 0;
    int mver = 0, cver = 0;
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save ms = {.body = "DIR", .date = "2030-03-05", .start = "10:00"};
    CHECK_INT(store_meeting_save(s, &ms, &tools, &meeting, &mver, &e), 0);
    CHECK_INT(store_meeting_transition(s, meeting, mver, "frigiv_dagsorden", NULL, &tools, &e),
              0);
    CHECK_INT(save_case(s, meeting, &cid, &cver, CASE_JSON("10.30", "")), 0);
    size_t n;
    struct store_invitation *v = list(s, &n);
    CHECK_INT(n, 0);
    store_invitations_free(v, n);
    CHECK_INT(store_case_transition(s, cid, cver, "indsend", NULL, &tools, &e), 0);
    CHECK_INT(store_case_transition(s, cid, cver, "godkend", NULL, &tools, &e), 0);
    v = list(s, &n);
    CHECK_INT(n, 0);
    store_invitations_free(v, n);
    CHECK_INT(store_case_transition(s, cid, cver, "saet_paa_dagsorden", NULL, &tools, &e), 0);
    v = list(s, &n);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_INT(store_invitation_mark(s, v[0].id, 0, "REQUEST", NULL, &tools, NULL, &e), 0);
    store_invitations_free(v, n);
    CHECK_INT(store_case_transition(s, cid, cver, "tag_af_dagsorden", NULL, &tools, &e), 0);
    v = list(s, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(v[0].method, "CANCEL");
        CHECK_STR(v[0].state, "pending");
    }
    store_invitations_free(v, n);
    store_close(s);
    unlink(dbpath);
}

/* A cancelled meeting cancels what was sent and drops what was not. */
static void test_meeting_cancelled(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0, meeting = 0, cid = 0;
    int mver = 0, cver = 0;
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save ms = {.body = "DIR", .date = "2030-03-05", .start = "10:00"};
    CHECK_INT(store_meeting_save(s, &ms, &tools, &meeting, &mver, &e), 0);
    CHECK_INT(new_case(s, meeting, &cid, &cver, CASE_JSON("10.30", BETTINA)), 0);
    CHECK_INT(store_meeting_transition(s, meeting, mver, "frigiv_dagsorden", NULL, &tools, &e),
              0);
    mver++;
    size_t n;
    struct store_invitation *v = list(s, &n);
    CHECK_INT(n, 2);
    if (n == 2)
        CHECK_INT(store_invitation_mark(s, v[0].id, 0, "REQUEST", NULL, &tools, NULL, &e), 0);
    store_invitations_free(v, n);
    CHECK_INT(store_meeting_transition(s, meeting, mver, "aflys", "Sygdom", &tools, &e), 0);
    v = list(s, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(v[0].email, "tonny@example.dk");
        CHECK_STR(v[0].method, "CANCEL");
        CHECK_INT(v[0].sequence, 1);
        CHECK_STR(v[0].state, "pending");
    }
    store_invitations_free(v, n);
    store_close(s);
    unlink(dbpath);
}

/* A case postponed from a released meeting to a planned one: the guest's slot there is void
 * (a CANCEL now), and the later meeting's release invites them again with the same UID. */
static void test_postponed_case(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0, m1 = 0, m2 = 0, cid = 0;
    int v1 = 0, v2 = 0, cver = 0;
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save ms = {.body = "DIR", .date = "2030-03-05", .start = "10:00"};
    CHECK_INT(store_meeting_save(s, &ms, &tools, &m1, &v1, &e), 0);
    ms.date = "2030-04-02";
    CHECK_INT(store_meeting_save(s, &ms, &tools, &m2, &v2, &e), 0);
    CHECK_INT(new_case(s, m1, &cid, &cver, CASE_JSON("10.30", "")), 0);
    CHECK_INT(store_meeting_transition(s, m1, v1, "frigiv_dagsorden", NULL, &tools, &e), 0);
    size_t n;
    struct store_invitation *v = list(s, &n);
    CHECK_INT(n, 1);
    char uid[80] = "";
    if (n == 1) {
        snprintf(uid, sizeof uid, "%s", v[0].uid);
        CHECK_INT(store_invitation_mark(s, v[0].id, 0, "REQUEST", NULL, &tools, NULL, &e), 0);
    }
    store_invitations_free(v, n);
    CHECK_INT(store_agenda_postpone(s, m1, cid, m2, &tools, &e), 0);
    if (e.msg[0])
        fprintf(stderr, "postpone: %s\n", e.msg);
    v = list(s, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(v[0].method, "CANCEL");
        CHECK_INT(v[0].sequence, 1);
        CHECK_INT(store_invitation_mark(s, v[0].id, 1, "CANCEL", NULL, &tools, NULL, &e), 0);
    }
    store_invitations_free(v, n);
    CHECK_INT(store_meeting_transition(s, m2, v2, "frigiv_dagsorden", NULL, &tools, &e), 0);
    v = list(s, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(v[0].method, "REQUEST");
        CHECK_STR(v[0].uid, uid);
        CHECK_INT(v[0].sequence, 2);
        CHECK_STR(v[0].dtstart, "2030-04-02T10:30");
        CHECK_STR(v[0].state, "pending");
        CHECK_INT(v[0].meeting_id, m2);
    }
    store_invitations_free(v, n);
    store_close(s);
    unlink(dbpath);
}

/* ---- mail ---- */

static void test_header_words(void)
{
    struct buf b = BUF_INIT;
    mail_header_word(&b, "Invitation: Punkter");
    CHECK_STR(buf_cstr(&b), "Invitation: Punkter");
    buf_truncate(&b, 0);
    mail_header_word(&b, "Mødet");
    CHECK_STR(buf_cstr(&b), "=?UTF-8?B?TcO4ZGV0?=");
    buf_truncate(&b, 0);
    /* A line break smuggled into a name cannot start a header. */
    mail_header_address(&b, "Ø\r\nBcc: x@y.dk", "a@b.dk");
    CHECK(strchr(buf_cstr(&b), '\n') == NULL);
    buf_truncate(&b, 0);
    mail_header_address(&b, "Tonny \"T\" Olsen", "t@o.dk");
    CHECK_STR(buf_cstr(&b), "\"Tonny \\\"T\\\" Olsen\" <t@o.dk>");
    buf_free(&b);
}

/* A port on 127.0.0.1 that nothing listens on. */
static unsigned closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &l) != 0)
        return 0;
    close(fd);
    return ntohs(a.sin_port);
}

static void test_relay_down(void)
{
    unsigned port = closed_port();
    CHECK(port != 0);
    struct mail_relay r = {.host = "127.0.0.1", .port = port, .security = "none",
                           .user = "u", .password = "hemmelig-kode-42", .timeout = 5};
    struct mail m = {.from = "a@b.dk", .to = "c@d.dk", .subject = "x", .text = "y"};
    struct err e = {0};
    CHECK_INT(mail_send(&r, &m, &e), ERR_IO);
    CHECK(strstr(e.msg, "127.0.0.1") != NULL);
    CHECK(strstr(e.msg, "hemmelig") == NULL);
    r.host = NULL;
    CHECK_INT(mail_send(&r, &m, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "smtp.host") != NULL);
    r.host = "127.0.0.1";
    m.to = "x@y.dk\r\nRCPT TO:<z@z.dk>";
    CHECK_INT(mail_send(&r, &m, &e), ERR_USAGE);
}

/* The outbox against a relay that is down: every invitation failed, with the error, and
 * nothing lost; without a relay in the settings nothing is tried. */
static void test_outbox_relay_down(void)
{
    struct store *s = fresh();
    struct err e = {0};
    int64_t body = 0, meeting = 0, cid = 0;
    int mver = 0, cver = 0;
    if (!s)
        return;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save ms = {.body = "DIR", .date = "2030-03-05", .start = "10:00"};
    CHECK_INT(store_meeting_save(s, &ms, &tools, &meeting, &mver, &e), 0);
    CHECK_INT(new_case(s, meeting, &cid, &cver, CASE_JSON("10.30", BETTINA)), 0);
    CHECK_INT(store_meeting_transition(s, meeting, mver, "frigiv_dagsorden", NULL, &tools, &e),
              0);
    struct outbox_stats st;
    CHECK_INT(outbox_run(s, &tools, &st, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "smtp.host") != NULL);
    char port[8];
    snprintf(port, sizeof port, "%u", closed_port());
    CHECK_INT(store_setting_set(s, "smtp.host", "127.0.0.1", &tools, &e), 0);
    CHECK_INT(store_setting_set(s, "smtp.port", port, &tools, &e), 0);
    CHECK_INT(store_setting_set(s, "smtp.security", "none", &tools, &e), 0);
    CHECK_INT(store_setting_set(s, "smtp.from", "dagsorden@lindholm.dk", &tools, &e), 0);
    CHECK_INT(outbox_run(s, &tools, &st, &e), 0);
    CHECK_INT(st.sent, 0);
    CHECK_INT(st.failed, 2);
    size_t n;
    struct store_invitation *v = list(s, &n);
    CHECK_INT(n, 2);
    for (size_t i = 0; i < n; i++) {
        CHECK_STR(v[i].state, "failed");
        CHECK(v[i].error && strstr(v[i].error, "127.0.0.1"));
    }
    store_invitations_free(v, n);
    /* Tried again by later runs, up to OUTBOX_MAX_ATTEMPTS, then only on request. */
    for (int i = 1; i < OUTBOX_MAX_ATTEMPTS + 2; i++)
        CHECK_INT(outbox_run(s, &tools, &st, &e), 0);
    CHECK_INT(st.failed, 0);
    v = list(s, &n);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(v[i].attempts, OUTBOX_MAX_ATTEMPTS);
    store_invitations_free(v, n);
    store_close(s);
    unlink(dbpath);
}

/* One sender at a time: the second lock is refused, not waited for. */
static void test_outbox_lock(void)
{
    char db[256];
    snprintf(db, sizeof db, "/tmp/referat-test-invite-lock-%d.db", (int)getpid());
    int a = -1, b = -1;
    struct err e = {0};
    CHECK_INT(outbox_lock(db, &a, &e), 0);
    CHECK_INT(outbox_lock(db, &b, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "another outbox") != NULL);
    outbox_unlock(a);
    CHECK_INT(outbox_lock(db, &b, &e), 0);
    outbox_unlock(b);
    char lock[300];
    snprintf(lock, sizeof lock, "%s-outbox.lock", db);
    unlink(lock);
}

int main(void)
{
    RUN(test_request_parses_back);
    RUN(test_summer_time_and_cancel);
    RUN(test_bad_invites);
    RUN(test_sync);
    RUN(test_guest_link);
    RUN(test_meeting_cancelled);
    RUN(test_draft_invites_nobody);
    RUN(test_postponed_case);
    RUN(test_header_words);
    RUN(test_relay_down);
    RUN(test_outbox_relay_down);
    RUN(test_outbox_lock);
    return TEST_REPORT();
}
