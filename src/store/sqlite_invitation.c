/* sqlite_invitation: guests' invitations on SQLite. invitations_sync brings table invitation
 * in line with the guests and slots of a meeting's cases inside the caller's transaction; the
 * outbox's list and marks, retries, and the guests' links. */
#include "store_sqlite.h"
#include "../model/timetable.h"
#include "../model/workflow.h"
#include "../util/clock.h"
#include "../util/date.h"
#include "../util/secret.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The body settings' defaults (store_settings.c holds the definitions on the agenda branch;
 * here only these two are read, straight from the table). */
#define DEFAULT_START "09:00"
#define DEFAULT_SLOT_MINUTES 5

/* The id of the meeting case c is on the agenda of last: its current one. */
#define CURRENT_MEETING(c)                                                                   \
    "(SELECT a.meeting_id FROM agenda a JOIN meeting m2 ON m2.id = a.meeting_id "             \
    "WHERE a.case_id = " c ".id ORDER BY m2.date DESC, m2.id DESC LIMIT 1)"

/* What a meeting's state means for its invitations. */
enum mode {
    HOLD,   /* planlagt: the agenda is not released; nothing is sent */
    ACTIVE, /* released and not yet held: invitations follow the guests */
    CANCEL, /* cancelled (or the case is on no meeting): every invitation is cancelled */
    KEEP,   /* held or later: what was sent stands */
};

struct mtg {
    int64_t id;
    char *date;
    enum mode mode;
    int start, end; /* minutes; TT_NONE */
    unsigned slot;  /* minutes a sub-item without a duration is planned for */
};

/* One sub-item's slot in the meeting's time plan. */
struct slot {
    int64_t case_id;
    int pos;
    int start, end;
};

static int body_setting(struct store *s, int64_t body_id, const char *key, char **v,
                        struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    *v = NULL;
    int rc = stmt(s, "SELECT value FROM body_setting WHERE body_id = ?1 AND key = ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    bind_str(st, 2, key);
    if ((rc = next_row(s, st, &row, e, "reading a body's settings")) == 0 && row)
        *v = col_str(st, 0);
    fin(st);
    return rc;
}

static enum mode mode_of(const char *state)
{
    int i = wf_state_parse(&wf_meeting, state);
    switch (i) {
    case WF_MEETING_PLANLAGT:
        return HOLD;
    case WF_MEETING_DAGSORDEN_FRIGIVET:
    case WF_MEETING_I_GANG:
        return ACTIVE;
    case WF_MEETING_AFLYST:
        return CANCEL;
    default:
        return KEEP;
    }
}

static int meeting_load(struct store *s, int64_t id, struct mtg *m, struct err *e)
{
    sqlite3_stmt *st;
    char *start = NULL, *slot = NULL, *body_start = NULL;
    int64_t body_id = 0;
    memset(m, 0, sizeof *m);
    m->id = id;
    int rc = stmt(s, "SELECT date, state, start, \"end\", body_id FROM meeting WHERE id = ?1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "planning invitations", "no meeting with id %lld", (long long)id);
    if (rc == 0) {
        m->date = col_str(st, 0);
        const char *state = (const char *)sqlite3_column_text(st, 1);
        /* A meeting known only from imported minutes has no workflow: nothing to send. */
        m->mode = state ? mode_of(state) : KEEP;
        start = col_str(st, 2);
        const char *end = (const char *)sqlite3_column_text(st, 3);
        m->end = end ? tt_parse(end) : TT_NONE;
        body_id = sqlite3_column_int64(st, 4);
    }
    fin(st);
    if (rc == 0 && !start)
        rc = body_setting(s, body_id, "meeting.start", &body_start, e);
    if (rc == 0)
        rc = body_setting(s, body_id, "meeting.slot_minutes", &slot, e);
    if (rc == 0) {
        m->start = tt_parse(start ? start : body_start ? body_start : DEFAULT_START);
        if (m->start == TT_NONE)
            m->start = tt_parse(DEFAULT_START);
        long n = slot ? strtol(slot, NULL, 10) : 0;
        m->slot = n > 0 && n <= 24 * 60 ? (unsigned)n : DEFAULT_SLOT_MINUTES;
    }
    free(start);
    free(slot);
    free(body_start);
    return rc;
}

/* The time plan of the meeting's agenda: every sub-item of its cases in agenda order, from
 * the meeting's start (model/timetable.h). A slot whose start cannot be computed begins with
 * the meeting; one without an end lasts the body's slot length. */
static int plan(struct store *s, const struct mtg *m, struct slot **out, size_t *nout,
                struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    struct timetable t = {.start = m->start, .end = m->end};
    struct slot *v = NULL;
    size_t n = 0, cap = 0, tcap = 0;
    /* A case postponed to a later meeting stays on this agenda as its history, out of its
     * time plan. */
    int rc = stmt(s, "SELECT a.case_id, si.pos, si.time, si.duration FROM agenda a "
                     "JOIN subitem si ON si.case_id = a.case_id JOIN \"case\" c ON c.id = "
                     "a.case_id WHERE a.meeting_id = ?1 AND ?1 = " CURRENT_MEETING("c")
                     " ORDER BY a.pos, si.pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, m->id);
    while ((rc = next_row(s, st, &row, e, "planning invitations")) == 0 && row) {
        v = grow(v, n, &cap, sizeof *v);
        t.slots = grow(t.slots, n, &tcap, sizeof *t.slots);
        v[n].case_id = sqlite3_column_int64(st, 0);
        v[n].pos = sqlite3_column_int(st, 1);
        const char *time = (const char *)sqlite3_column_text(st, 2);
        int d = sqlite3_column_int(st, 3);
        t.slots[n] = (struct tt_slot){.given_start = time ? tt_parse(time) : TT_NONE,
                                      .duration = d > 0 ? (unsigned)d : 0};
        n++;
    }
    fin(st);
    if (rc < 0) {
        free(v);
        free(t.slots);
        return rc;
    }
    t.nslots = n;
    tt_compute(&t);
    for (size_t i = 0; i < n; i++) {
        int start = t.slots[i].start != TT_NONE ? t.slots[i].start : m->start;
        int end = t.slots[i].end != TT_NONE && t.slots[i].end >= start
                      ? t.slots[i].end
                      : start + (int)m->slot;
        v[i].start = start;
        v[i].end = end < 24 * 60 ? end : 24 * 60 - 1;
    }
    free(t.slots);
    *out = v;
    *nout = n;
    return 0;
}

/* "2024-01-05T10:30" from a date and minutes since midnight. */
static void local_time(const char *date, int minutes, char out[17])
{
    unsigned m = minutes < 0 ? 0u : minutes > 24 * 60 - 1 ? 24u * 60 - 1 : (unsigned)minutes;
    snprintf(out, 17, "%.10sT%02u:%02u", date ? date : "", m / 60, m % 60);
}

/* One guest as the case now has them: all their sub-items' slots, from the first start to the
 * last end. */
struct want {
    char *email, *name;
    int start, end;
    json_t *subitems; /* 1-based sub-item numbers */
    bool used;
};

static void lower_ascii(char *p)
{
    for (; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
}

static int wants_load(struct store *s, int64_t case_id, const struct slot *slots, size_t nslots,
                      struct want **out, size_t *nout, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    struct want *v = NULL;
    size_t n = 0, cap = 0;
    /* Guests come when their case is on the agenda in earnest, as the released agenda shows
     * it: a draft (kladde) or a case awaiting sign-off invites nobody yet. */
    int rc = stmt(s, "SELECT si.pos, p.name, g.email FROM subitem si "
                     "JOIN guest g ON g.subitem_id = si.id JOIN person p ON p.id = g.person_id "
                     "JOIN \"case\" c ON c.id = si.case_id "
                     "WHERE si.case_id = ?1 AND g.email IS NOT NULL AND g.email <> '' "
                     "AND (NOT c.authored OR c.state IN ('paa_dagsorden', 'behandlet')) "
                     "ORDER BY si.pos, g.pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    while ((rc = next_row(s, st, &row, e, "reading guests")) == 0 && row) {
        int pos = sqlite3_column_int(st, 0);
        char *email = col_str(st, 2);
        lower_ascii(email);
        const struct slot *sl = NULL;
        for (size_t i = 0; i < nslots && !sl; i++)
            if (slots[i].case_id == case_id && slots[i].pos == pos)
                sl = &slots[i];
        struct want *w = NULL;
        for (size_t i = 0; i < n && !w; i++)
            if (strcmp(v[i].email, email) == 0)
                w = &v[i];
        if (!w) {
            v = grow(v, n, &cap, sizeof *v);
            w = &v[n++];
            *w = (struct want){.email = email, .name = col_str(st, 1), .start = TT_NONE,
                               .end = TT_NONE, .subitems = json_array()};
            email = NULL;
        }
        free(email);
        json_array_append_new(w->subitems, json_integer(pos + 1));
        if (sl) {
            if (w->start == TT_NONE || sl->start < w->start)
                w->start = sl->start;
            if (w->end == TT_NONE || sl->end > w->end)
                w->end = sl->end;
        }
    }
    fin(st);
    *out = v;
    *nout = n;
    return rc;
}

static void wants_free(struct want *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].email);
        free(v[i].name);
        json_decref(v[i].subitems);
    }
    free(v);
}

/* An invitation row as the diff needs it. */
struct have {
    int64_t id;
    char *email, *method, *dtstart, *dtend;
    bool sent; /* something was sent to the guest already */
};

static int haves_load(struct store *s, int64_t case_id, struct have **out, size_t *nout,
                      struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    struct have *v = NULL;
    size_t n = 0, cap = 0;
    int rc = stmt(s, "SELECT id, email, method, dtstart, dtend, sent_at IS NOT NULL "
                     "FROM invitation WHERE case_id = ?1 ORDER BY id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    while ((rc = next_row(s, st, &row, e, "reading invitations")) == 0 && row) {
        v = grow(v, n, &cap, sizeof *v);
        v[n++] = (struct have){.id = sqlite3_column_int64(st, 0), .email = col_str(st, 1),
                               .method = col_str(st, 2), .dtstart = col_str(st, 3),
                               .dtend = col_str(st, 4), .sent = sqlite3_column_int(st, 5) != 0};
    }
    fin(st);
    *out = v;
    *nout = n;
    return rc;
}

static void haves_free(struct have *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].email);
        free(v[i].method);
        free(v[i].dtstart);
        free(v[i].dtend);
    }
    free(v);
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int links_drop(struct store *s, int64_t case_id, const char *email, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "DELETE FROM guest_link WHERE case_id = ?1 AND email = ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    bind_str(st, 2, email);
    return run(s, st, e, "removing a guest link");
}

/* A guest who is no longer invited: an invitation never sent is simply dropped (the guest
 * knows of nothing); one that was sent gets a CANCEL. Their links stop working. */
static int withdraw(struct store *s, int64_t case_id, const struct have *h, struct err *e)
{
    sqlite3_stmt *st;
    int rc;
    if (strcmp(h->method, "CANCEL") == 0)
        return 0;
    if (!h->sent)
        rc = stmt(s, "DELETE FROM invitation WHERE id = ?1", &st, e);
    else
        rc = stmt(s, "UPDATE invitation SET method = 'CANCEL', sequence = sequence + 1, "
                     "state = 'pending', error = NULL, attempts = 0 WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, h->id);
    if ((rc = run(s, st, e, "cancelling an invitation")) < 0)
        return rc;
    return links_drop(s, case_id, h->email, e);
}

static int sync_case(struct store *s, int64_t case_id, const struct mtg *m,
                     const struct slot *slots, size_t nslots, struct err *e)
{
    enum mode mode = m ? m->mode : CANCEL;
    struct want *w = NULL;
    struct have *h = NULL;
    size_t nw = 0, nh = 0;
    sqlite3_stmt *st;
    char now[21];
    int rc = 0;
    if (mode == KEEP)
        return 0;
    if (mode == ACTIVE && (rc = wants_load(s, case_id, slots, nslots, &w, &nw, e)) < 0)
        goto done;
    if ((rc = haves_load(s, case_id, &h, &nh, e)) < 0)
        goto done;
    store_now(now);
    for (size_t i = 0; i < nh && rc == 0; i++) {
        struct want *x = NULL;
        for (size_t k = 0; k < nw && !x; k++)
            if (strcmp(w[k].email, h[i].email) == 0)
                x = &w[k];
        if (mode == HOLD) {
            /* Before the release nothing is pending: what was never sent waits for it. One
             * sent for another day (the case was postponed to this meeting) is void: the
             * guest gets a CANCEL now, and the release invites them again. */
            if (h[i].sent && strcmp(h[i].method, "REQUEST") == 0 && m &&
                (!h[i].dtstart || strncmp(h[i].dtstart, m->date ? m->date : "", 10) != 0))
                rc = withdraw(s, case_id, &h[i], e);
            else if (!h[i].sent &&
                     (rc = stmt(s, "DELETE FROM invitation WHERE id = ?1", &st, e)) == 0) {
                sqlite3_bind_int64(st, 1, h[i].id);
                rc = run(s, st, e, "holding an invitation");
            }
            continue;
        }
        if (!x) {
            rc = withdraw(s, case_id, &h[i], e);
            continue;
        }
        x->used = true;
        char start[17], end[17];
        local_time(m->date, x->start, start);
        local_time(m->date, x->end, end);
        bool moved = strcmp(h[i].method, "CANCEL") == 0 || !same(h[i].dtstart, start) ||
                     !same(h[i].dtend, end);
        char *subitems = json_dumps(x->subitems, JSON_COMPACT);
        /* A moved slot (or a guest invited again) is a new version of the same invitation. */
        rc = stmt(s, moved ? "UPDATE invitation SET name = ?2, subitems = ?3, dtstart = ?4, "
                             "dtend = ?5, method = 'REQUEST', sequence = sequence + 1, "
                             "state = 'pending', error = NULL, attempts = 0 WHERE id = ?1"
                           : "UPDATE invitation SET name = ?2, subitems = ?3 WHERE id = ?1",
                  &st, e);
        if (rc == 0) {
            sqlite3_bind_int64(st, 1, h[i].id);
            bind_str(st, 2, x->name);
            bind_str(st, 3, subitems);
            if (moved) {
                bind_str(st, 4, start);
                bind_str(st, 5, end);
            }
            rc = run(s, st, e, "updating an invitation");
        }
        free(subitems);
    }
    for (size_t k = 0; k < nw && rc == 0; k++) {
        if (w[k].used)
            continue;
        char start[17], end[17], uid[80];
        local_time(m->date, w[k].start, start);
        local_time(m->date, w[k].end, end);
        /* The UID is random, so it says nothing of the case or the guest. */
        secret_random(NULL, uid, 44);
        strcat(uid, "@referat");
        char *subitems = json_dumps(w[k].subitems, JSON_COMPACT);
        if ((rc = stmt(s, "INSERT INTO invitation (case_id, email, name, uid, sequence, method, "
                          "dtstart, dtend, subitems, state, attempts, created_at) VALUES "
                          "(?1, ?2, ?3, ?4, 0, 'REQUEST', ?5, ?6, ?7, 'pending', 0, ?8)",
                       &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, case_id);
            bind_str(st, 2, w[k].email);
            bind_str(st, 3, w[k].name);
            bind_str(st, 4, uid);
            bind_str(st, 5, start);
            bind_str(st, 6, end);
            bind_str(st, 7, subitems);
            bind_str(st, 8, now);
            rc = run(s, st, e, "making an invitation");
        }
        free(subitems);
    }
    /* Links expire with the meeting's day, wherever the meeting has moved to. */
    time_t until;
    if (rc == 0 && m && date_day_end(m->date, DATE_TZID, &until) == 0 &&
        (rc = stmt(s, "UPDATE guest_link SET expires_at = ?2 WHERE case_id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)until);
        rc = run(s, st, e, "updating guest links");
    }
done:
    wants_free(w, nw);
    haves_free(h, nh);
    return rc;
}

int invitations_sync_meeting(struct store *s, int64_t meeting_id, struct err *e)
{
    struct mtg m;
    struct slot *slots = NULL;
    size_t nslots = 0;
    int64_t *cases = NULL;
    size_t ncases = 0, cap = 0;
    sqlite3_stmt *st;
    bool row;
    int rc = meeting_load(s, meeting_id, &m, e);
    if (rc == 0 && m.mode != KEEP)
        rc = plan(s, &m, &slots, &nslots, e);
    /* The cases whose current meeting (the latest they are on the agenda of) this is. */
    if (rc == 0 && m.mode != KEEP &&
        (rc = stmt(s, "SELECT a.case_id FROM agenda a WHERE a.meeting_id = ?1 AND ?1 = "
                      "(SELECT a2.meeting_id FROM agenda a2 JOIN meeting m2 ON m2.id = "
                      "a2.meeting_id WHERE a2.case_id = a.case_id ORDER BY m2.date DESC, "
                      "m2.id DESC LIMIT 1) ORDER BY a.pos", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        while ((rc = next_row(s, st, &row, e, "planning invitations")) == 0 && row) {
            cases = grow(cases, ncases, &cap, sizeof *cases);
            cases[ncases++] = sqlite3_column_int64(st, 0);
        }
        fin(st);
    }
    for (size_t i = 0; rc == 0 && i < ncases; i++)
        rc = sync_case(s, cases[i], &m, slots, nslots, e);
    free(cases);
    free(slots);
    free(m.date);
    return rc;
}

int invitations_sync(struct store *s, int64_t case_id, struct err *e)
{
    sqlite3_stmt *st;
    int64_t meeting_id = 0;
    bool found;
    int rc = stmt(s, "SELECT a.meeting_id FROM agenda a JOIN meeting m ON m.id = a.meeting_id "
                     "WHERE a.case_id = ?1 ORDER BY m.date DESC, m.id DESC LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, &meeting_id, &found, e, "planning invitations")) < 0)
        return rc;
    /* The meeting's whole plan: the case's sub-items may move the slots of those after it. */
    if (found)
        return invitations_sync_meeting(s, meeting_id, e);
    return sync_case(s, case_id, NULL, NULL, 0, e);
}

/* ---- reading ---- */

/* ?8 is NULL (the public: a closed case's public title), ?9 the reader. The meeting is the
 * case's current one. */
#define INVITATION_COLS                                                                      \
    "i.id, i.case_id, i.email, i.name, i.uid, i.sequence, i.method, i.dtstart, i.dtend, "    \
    "i.subitems, i.state, i.error, i.attempts, i.created_at, i.sent_at, "                    \
    CASE_TITLE("c", "?8") ", c.public, m.id, m.date, m.place, coalesce(b.name, b.code) "      \
    "FROM invitation i JOIN \"case\" c ON c.id = i.case_id "                                  \
    "LEFT JOIN meeting m ON m.id = (SELECT a.meeting_id FROM agenda a JOIN meeting m2 "       \
    "ON m2.id = a.meeting_id WHERE a.case_id = c.id ORDER BY m2.date DESC, m2.id DESC "       \
    "LIMIT 1) LEFT JOIN body b ON b.id = coalesce(m.body_id, c.body_id) "

static void read_invitation(sqlite3_stmt *st, void *elem)
{
    struct store_invitation *v = elem;
    v->id = sqlite3_column_int64(st, 0);
    v->case_id = sqlite3_column_int64(st, 1);
    v->email = col_str(st, 2);
    v->name = col_str(st, 3);
    v->uid = col_str(st, 4);
    v->sequence = sqlite3_column_int(st, 5);
    v->method = col_str(st, 6);
    v->dtstart = col_str(st, 7);
    v->dtend = col_str(st, 8);
    v->subitems = col_str(st, 9);
    v->state = col_str(st, 10);
    v->error = col_str(st, 11);
    v->attempts = sqlite3_column_int(st, 12);
    v->created_at = col_str(st, 13);
    v->sent_at = col_str(st, 14);
    v->title = col_str(st, 15);
    v->public = sqlite3_column_int(st, 16) != 0;
    v->meeting_id = sqlite3_column_int64(st, 17);
    v->date = col_str(st, 18);
    v->place = col_str(st, 19);
    v->body_name = col_str(st, 20);
}

void store_invitation_fini(struct store_invitation *v)
{
    if (!v)
        return;
    free(v->email);
    free(v->name);
    free(v->uid);
    free(v->method);
    free(v->dtstart);
    free(v->dtend);
    free(v->subitems);
    free(v->state);
    free(v->error);
    free(v->created_at);
    free(v->sent_at);
    free(v->title);
    free(v->date);
    free(v->place);
    free(v->body_name);
    memset(v, 0, sizeof *v);
}

void store_invitations_free(struct store_invitation *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_invitation_fini(&v[i]);
    free(v);
}

static void invitations_free(void *v, size_t n)
{
    store_invitations_free(v, n);
}

static const struct rowtype invitation_rows = {sizeof(struct store_invitation),
                                               "listing invitations", read_invitation,
                                               invitations_free};

int store_invitations(struct store *s, const struct store_invitation_filter *f,
                      const struct reader *r, const struct store_page *pg,
                      struct store_invitation **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int64_t case_id = f ? f->case_id : 0;
    const char *state = f ? f->state : NULL;
    int64_t meeting_id = f ? f->meeting_id : 0;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM invitation i JOIN \"case\" c ON c.id = i.case_id "
                      "WHERE (?1 = 0 OR i.case_id = ?1) AND (?2 IS NULL OR i.state = ?2) AND "
                      "(?5 = 0 OR ?5 = " CURRENT_MEETING("c") ") AND " SEES_CASE("c", "?9"),
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        bind_str(st, 2, state);
        sqlite3_bind_int64(st, 5, meeting_id);
        bind_reader(st, 9, r);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0 && (rc = stmt(s, "SELECT " INVITATION_COLS "WHERE (?1 = 0 OR i.case_id = ?1) "
                                 "AND (?2 IS NULL OR i.state = ?2) AND (?5 = 0 OR m.id = ?5) "
                                 "AND " SEES_CASE("c", "?9") " ORDER BY i.id LIMIT ?3 OFFSET ?4",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        bind_str(st, 2, state);
        sqlite3_bind_int64(st, 5, meeting_id);
        bind_page(st, 3, 4, pg);
        bind_reader(st, 8, NULL);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &invitation_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_invitation_get(struct store *s, int64_t id, const struct reader *r,
                         struct store_invitation *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " INVITATION_COLS "WHERE i.id = ?1 AND " SEES_CASE("c", "?9"), &st,
                  e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_reader(st, 8, NULL);
    bind_reader(st, 9, r);
    rc = first_row(s, st, e, "reading an invitation", "no invitation with id %lld",
                   (long long)id);
    if (rc == 0)
        read_invitation(st, out);
    fin(st);
    return rc;
}

/* ---- writing ---- */

static int invitation_event(struct store *s, const struct store_actor *a, const char *action,
                            int64_t case_id, json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "case:%lld", (long long)case_id);
    return ledger_append_json(s, a, (struct event){.action = action, .object = object}, detail,
                              e);
}

int store_invitation_mark(struct store *s, int64_t id, int sequence, const char *method,
                          const char *error, const struct store_actor *a, bool *marked,
                          struct err *e)
{
    sqlite3_stmt *st;
    int64_t case_id = 0;
    bool found = false, done = false;
    char now[21];
    store_now(now);
    if (!a || !a->reader || !a->reader->all)
        return fail(s, e, ERR_DENIED, "only the outbox marks invitations sent");
    int rc = write_begin(s, e, "marking an invitation");
    if (rc < 0)
        return rc;
    /* Only the version that was sent is marked: a slot moved meanwhile stays pending. A
     * failed one is marked again when the outbox tries it again. */
    if ((rc = stmt(s, "SELECT case_id FROM invitation WHERE id = ?1 AND sequence = ?2 AND "
                      "method = ?3 AND state IN ('pending', 'failed')", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, sequence);
        bind_str(st, 3, method);
        rc = one_int(s, st, &case_id, &found, e, "marking an invitation");
    }
    if (rc == 0 && found &&
        (rc = stmt(s, error ? "UPDATE invitation SET state = 'failed', error = ?2, "
                              "attempts = attempts + 1 WHERE id = ?1"
                            : "UPDATE invitation SET state = 'sent', error = NULL, "
                              "attempts = attempts + 1, sent_at = ?3 WHERE id = ?1",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        if (error)
            bind_str(st, 2, error);
        else
            bind_str(st, 3, now);
        rc = run(s, st, e, "marking an invitation");
        done = rc == 0;
    }
    if (rc == 0 && done)
        rc = invitation_event(s, a, error ? "invitation.failed" : "invitation.sent", case_id,
                              json_pack("{s:I,s:s,s:i}", "invitation", (json_int_t)id,
                                        "method", method, "sequence", sequence),
                              e);
    if (rc == 0)
        rc = write_commit(s, e, "marking an invitation");
    if (rc < 0)
        rollback(s);
    else if (marked)
        *marked = done;
    return rc;
}

int store_invitation_retry(struct store *s, int64_t id, const struct store_actor *a,
                           struct err *e)
{
    sqlite3_stmt *st;
    int64_t case_id = 0, body_id = 0;
    char *state = NULL;
    int rc = write_begin(s, e, "retrying an invitation");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT i.case_id, c.body_id, i.state FROM invitation i JOIN \"case\" c "
                      "ON c.id = i.case_id WHERE i.id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        rc = first_row(s, st, e, "retrying an invitation", "no invitation with id %lld",
                       (long long)id);
        if (rc == 0) {
            case_id = sqlite3_column_int64(st, 0);
            body_id = sqlite3_column_int64(st, 1);
            state = col_str(st, 2);
        }
        fin(st);
    }
    if (rc == 0 && !(actor_roles(a, body_id) & ROLE_SEKRETAER))
        rc = fail(s, e, ERR_DENIED, "retrying an invitation needs the role sekretaer on the "
                                    "case's body");
    if (rc == 0 && strcmp(state, "failed") != 0)
        rc = fail(s, e, ERR_CONFLICT, "invitation %lld is %s, not failed: there is nothing to "
                  "retry", (long long)id, state);
    if (rc == 0 && (rc = stmt(s, "UPDATE invitation SET state = 'pending' WHERE id = ?1", &st,
                              e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        rc = run(s, st, e, "retrying an invitation");
    }
    if (rc == 0)
        rc = invitation_event(s, a, "invitation.retry", case_id,
                              json_pack("{s:I}", "invitation", (json_int_t)id), e);
    if (rc == 0)
        rc = write_commit(s, e, "retrying an invitation");
    if (rc < 0)
        rollback(s);
    free(state);
    return rc;
}

/* ---- guests' links ---- */

int store_guest_link_new(struct store *s, int64_t invitation_id, const struct store_actor *a,
                         char token[STORE_GUEST_TOKEN_LEN + 1], struct err *e)
{
    sqlite3_stmt *st;
    int64_t case_id = 0;
    char *email = NULL, *date = NULL, now[21], hash[65], t[STORE_GUEST_TOKEN_LEN + 1];
    time_t until = 0;
    if (!a || !a->reader || !a->reader->all)
        return fail(s, e, ERR_DENIED, "only the outbox makes guest links");
    store_now(now);
    int rc = write_begin(s, e, "making a guest link");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT i.case_id, i.email, (SELECT m.date FROM agenda a JOIN meeting m "
                      "ON m.id = a.meeting_id WHERE a.case_id = i.case_id ORDER BY m.date DESC, "
                      "m.id DESC LIMIT 1) FROM invitation i WHERE i.id = ?1 AND "
                      "i.method = 'REQUEST'", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, invitation_id);
        rc = first_row(s, st, e, "making a guest link", "no invitation with id %lld to link",
                       (long long)invitation_id);
        if (rc == 0) {
            case_id = sqlite3_column_int64(st, 0);
            email = col_str(st, 1);
            date = col_str(st, 2);
        }
        fin(st);
    }
    if (rc == 0 && (!date || date_day_end(date, DATE_TZID, &until) != 0))
        rc = fail(s, e, ERR_CONFLICT, "invitation %lld has no meeting day to expire with",
                  (long long)invitation_id);
    if (rc == 0) {
        secret_random(NULL, t, sizeof t);
        store_hash(t, strlen(t), hash);
        if ((rc = stmt(s, "INSERT INTO guest_link (hash, case_id, email, expires_at, "
                          "created_at) VALUES (?1, ?2, ?3, ?4, ?5)", &st, e)) == 0) {
            bind_str(st, 1, hash);
            sqlite3_bind_int64(st, 2, case_id);
            bind_str(st, 3, email);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)until);
            bind_str(st, 5, now);
            rc = run(s, st, e, "making a guest link");
        }
    }
    if (rc == 0)
        rc = invitation_event(s, a, "guest_link.create", case_id,
                              json_pack("{s:I}", "invitation", (json_int_t)invitation_id), e);
    if (rc == 0)
        rc = write_commit(s, e, "making a guest link");
    if (rc < 0)
        rollback(s);
    else
        memcpy(token, t, sizeof t);
    sodium_memzero(t, sizeof t);
    free(email);
    free(date);
    return rc;
}

int store_guest_link_get(struct store *s, const char *token, struct store_invitation *inv,
                         struct case_doc **model, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char hash[65];
    int64_t case_id = 0;
    char *email = NULL;
    struct store_invitation v = {0};
    struct case_doc *c = NULL;
    bool row = false;
    /* Unknown, malformed and expired tokens get one answer, after the same single lookup. */
    size_t n = token ? strlen(token) : 0;
    store_hash(token ? token : "", n, hash);
    int rc = read_begin(s, e);
    if (rc == 0 && (rc = stmt(s, "SELECT case_id, email FROM guest_link WHERE hash = ?1 AND "
                                 "expires_at > ?2", &st, e)) == 0) {
        bind_str(st, 1, hash);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)clock_now());
        if ((rc = next_row(s, st, &row, e, "reading a guest link")) == 0 && row) {
            case_id = sqlite3_column_int64(st, 0);
            email = col_str(st, 1);
        }
        fin(st);
    }
    if (rc == 0 && (!row || n != STORE_GUEST_TOKEN_LEN))
        rc = notfound(s, e, "no such guest link (or it has expired)");
    if (rc == 0 && (rc = stmt(s, "SELECT " INVITATION_COLS "WHERE i.case_id = ?1 AND "
                                 "i.email = ?2 AND i.method = 'REQUEST'", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        bind_str(st, 2, email);
        bind_reader(st, 8, NULL);
        rc = first_row(s, st, e, "reading a guest link", "no such guest link (or it has "
                                                         "expired)");
        if (rc == 0)
            read_invitation(st, &v);
        fin(st);
    }
    /* What the guest reads of the case is what the public would: case_view has the word. */
    if (rc == 0 && (rc = load_case(s, case_id, &c, e)) == 0) {
        struct case_doc *pub = case_view(c, AUDIENCE_PUBLIC);
        case_free(c);
        c = pub;
        rc = pub_public_case(s, case_id, c, e); /* issue 9, publication: no minutes yet */
    }
    read_end(s);
    free(email);
    if (rc < 0) {
        store_invitation_fini(&v);
        case_free(c);
        return rc;
    }
    *inv = v;
    *model = c;
    return 0;
}
