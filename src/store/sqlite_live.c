/* sqlite_live: the live meeting (issue 9): its timetable with the stamps of "Næste punkt"
 * (table live_stamp), the actual times written into the cases' models when the meeting ends,
 * and the attendance (table attendance). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../model/live.h"
#include "../model/meeting.h"
#include "../model/timetable.h"
#include "../model/workflow.h"
#include "../util/clock.h"
#include "store_sqlite.h"

void store_live_fini(struct store_live *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nrows; i++) {
        free(l->rows[i].case_title);
        free(l->rows[i].title);
        free(l->rows[i].guest_name);
        free(l->rows[i].guest_role);
    }
    free(l->rows);
    store_meeting_fini(&l->meeting);
    memset(l, 0, sizeof *l);
}

static struct store_live_row *add_row(struct store_live *l, size_t *cap)
{
    l->rows = grow(l->rows, l->nrows, cap, sizeof *l->rows);
    struct store_live_row *r = &l->rows[l->nrows++];
    memset(r, 0, sizeof *r);
    r->planned_start = r->planned_end = TT_NONE;
    return r;
}

static int load_meeting(struct store *s, int64_t id, struct store_meeting *m, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s,
                  "SELECT m.id, m.body_id, b.code, b.name, m.date, m.start, m.\"end\", "
                  "m.place, m.state, m.version, m.authored FROM meeting m JOIN body b ON "
                  "b.id = m.body_id WHERE m.id = ?1 /* live */",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "reading a meeting", "no meeting with id %lld", (long long)id);
    if (rc == 0) {
        m->id = sqlite3_column_int64(st, 0);
        m->body_id = sqlite3_column_int64(st, 1);
        m->body = col_str(st, 2);
        m->body_name = col_str(st, 3);
        m->date = col_str(st, 4);
        m->start = col_str(st, 5);
        m->end = col_str(st, 6);
        m->place = col_str(st, 7);
        m->state = col_str(st, 8);
        m->version = sqlite3_column_int(st, 9);
        m->authored = sqlite3_column_int(st, 10) != 0;
    }
    fin(st);
    return rc;
}

/* The rows of one case: its sub-items, or itself. */
static void case_rows(struct store_live *l, size_t *cap, int64_t case_id, unsigned item,
                      const struct case_doc *c)
{
    size_t n = c->nsubitems ? c->nsubitems : 1;
    for (size_t j = 0; j < n; j++) {
        struct store_live_row *r = add_row(l, cap);
        r->case_id = case_id;
        r->item = item;
        r->case_title = xstrdup(c->title);
        r->public = c->public;
        if (!c->nsubitems) {
            r->title = xstrdup(c->title);
            continue;
        }
        const struct subitem *si = &c->subitems[j];
        r->subitem = (unsigned)j + 1;
        r->title = xstrdup(si->title && *si->title ? si->title : "(uden titel)");
        if (si->nguests) {
            r->guest_name = xstrdup(si->guests[0].name);
            r->guest_role = xstrdup(si->guests[0].role);
        }
    }
}

/* A case on the timetable, in full, with the version it was read at. */
struct live_case {
    int64_t id;
    int version;
    struct case_doc *doc;
    bool authored; /* written in referat: only those get the actual times (imported minutes
                      are changed by importing them again) */
};

static void live_cases_free(struct live_case *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        case_free(v[i].doc);
    free(v);
}

/* Reads the timetable and its stamps inside the caller's transaction; *cases_out (may be
 * NULL) receives the agenda's cases in full. */
static int live_load(struct store *s, int64_t meeting_id, struct store_live *l,
                     struct live_case **cases_out, size_t *ncases_out, struct err *e)
{
    sqlite3_stmt *st;
    struct live_case *cases = NULL;
    size_t ncases = 0, capc = 0, cap = 0;
    bool row;
    int rc = load_meeting(s, meeting_id, &l->meeting, e);
    if (rc < 0)
        return rc;
    /* A case postponed to a later meeting of the body is on that one's timetable. */
    if ((rc = stmt(s,
                   "SELECT a.case_id, c.version, c.authored, (SELECT count(*) FROM agenda a3 "
                   "WHERE a3.meeting_id = a.meeting_id AND a3.pos <= a.pos) FROM agenda a "
                   "JOIN meeting m ON m.id = a.meeting_id JOIN \"case\" c ON c.id = a.case_id "
                   "WHERE a.meeting_id = ?1 AND NOT EXISTS (SELECT 1 FROM agenda a2 JOIN "
                   "meeting m2 ON m2.id = a2.meeting_id WHERE a2.case_id = a.case_id AND "
                   "m2.date > m.date AND m2.body_id = m.body_id) ORDER BY a.pos",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    struct {
        int64_t id;
        int version;
        bool authored;
        unsigned item;
    } *ids = NULL;
    size_t nids = 0, capi = 0;
    while ((rc = next_row(s, st, &row, e, "reading the agenda")) == 0 && row) {
        ids = grow(ids, nids, &capi, sizeof *ids);
        ids[nids].id = sqlite3_column_int64(st, 0);
        ids[nids].version = sqlite3_column_int(st, 1);
        ids[nids].authored = sqlite3_column_int(st, 2) != 0;
        ids[nids].item = (unsigned)sqlite3_column_int(st, 3);
        nids++;
    }
    fin(st);
    for (size_t i = 0; i < nids && rc == 0; i++) {
        struct case_doc *c = NULL;
        if ((rc = load_case(s, ids[i].id, &c, e)) < 0)
            break;
        case_rows(l, &cap, ids[i].id, ids[i].item, c);
        cases = grow(cases, ncases, &capc, sizeof *cases);
        cases[ncases++] = (struct live_case){ids[i].id, ids[i].version, c, ids[i].authored};
    }
    free(ids);
    if (rc < 0)
        goto done;
    /* The planned slots: every sub-item in agenda order from the meeting's start, as the staff
     * meeting page computes them; a case without sub-items has no slot of its own. */
    {
        struct tt_slot *slots = xcalloc(l->nrows + 1, sizeof *slots);
        size_t *at = xcalloc(l->nrows + 1, sizeof *at), k = 0;
        /* Rows come in the cases' order, so one walk finds each row's case. */
        for (size_t i = 0, ci = 0; i < l->nrows; i++) {
            const struct store_live_row *r = &l->rows[i];
            while (ci < ncases && cases[ci].id != r->case_id)
                ci++;
            if (!r->subitem || ci >= ncases)
                continue;
            const struct subitem *si = &cases[ci].doc->subitems[r->subitem - 1];
            slots[k].given_start = si->time ? tt_parse(si->time) : TT_NONE;
            slots[k].duration = si->duration;
            at[k++] = i;
        }
        struct timetable t = {l->meeting.start ? tt_parse(l->meeting.start) : TT_NONE,
                              l->meeting.end ? tt_parse(l->meeting.end) : TT_NONE, slots, k};
        tt_compute(&t);
        for (size_t q = 0; q < k; q++) {
            l->rows[at[q]].planned_start = slots[q].start;
            l->rows[at[q]].planned_end = slots[q].end;
            /* A slot with a start and no length (a table that gives times only, as the
             * reference cases' 10.30, 11.00, ... do) runs to the next slot's start, the last
             * to the meeting's end: the countdown needs an end. */
            int next = q + 1 < k ? slots[q + 1].start : t.end;
            if (slots[q].end == TT_NONE && slots[q].start != TT_NONE && next != TT_NONE &&
                next > slots[q].start)
                l->rows[at[q]].planned_end = next;
        }
        free(slots);
        free(at);
    }
    if ((rc = stmt(s,
                   "SELECT case_id, subitem, started_at, ended_at FROM live_stamp "
                   "WHERE meeting_id = ?1",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, meeting_id);
    while ((rc = next_row(s, st, &row, e, "reading the stamps")) == 0 && row) {
        int64_t cid = sqlite3_column_int64(st, 0);
        unsigned sub = (unsigned)sqlite3_column_int(st, 1);
        for (size_t i = 0; i < l->nrows; i++)
            if (l->rows[i].case_id == cid && l->rows[i].subitem == sub) {
                l->rows[i].started_at = sqlite3_column_int64(st, 2);
                l->rows[i].ended_at = sqlite3_column_int64(st, 3);
            }
    }
    fin(st);
done:
    if (rc == 0 && cases_out) {
        *cases_out = cases;
        *ncases_out = ncases;
    } else {
        live_cases_free(cases, ncases);
    }
    return rc;
}

int store_live_get(struct store *s, int64_t meeting_id, const struct reader *r,
                   struct store_live *out, struct err *e)
{
    struct store_live l = {0};
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = live_load(s, meeting_id, &l, NULL, NULL, e);
    read_end(s);
    if (rc == 0 && !(r && (r->all || reader_sees_body(r, l.meeting.body_id))))
        rc = notfound(s, e, "no meeting with id %lld", (long long)meeting_id);
    if (rc < 0) {
        store_live_fini(&l);
        return rc;
    }
    *out = l;
    return 0;
}

/* The rows as model/live.h sees them (instants on the meeting's date). */
static struct live_row *live_rows(const struct store_live *l)
{
    struct live_row *v = xcalloc(l->nrows + 1, sizeof *v);
    for (size_t i = 0; i < l->nrows; i++) {
        v[i].planned_start = live_instant(l->meeting.date, l->rows[i].planned_start);
        v[i].planned_end = live_instant(l->meeting.date, l->rows[i].planned_end);
        v[i].started = (time_t)l->rows[i].started_at;
        v[i].ended = (time_t)l->rows[i].ended_at;
    }
    return v;
}

static json_t *row_ref(const struct store_live_row *r, time_t at)
{
    char hm[6];
    live_local_hhmm(at, hm);
    return json_pack("{s:I,s:I,s:i,s:s}", "case", (json_int_t)r->case_id, "subitem",
                     (json_int_t)r->subitem, "row", 0, "at", hm);
}

/* Writes one row's stamp: which of started_at / ended_at, and when. */
static int stamp(struct store *s, int64_t meeting_id, const struct store_live_row *r, bool end,
                 time_t at, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s,
                  end ? "INSERT INTO live_stamp (meeting_id, case_id, subitem, ended_at) "
                        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (meeting_id, case_id, subitem) "
                        "DO UPDATE SET ended_at = excluded.ended_at"
                      : "INSERT INTO live_stamp (meeting_id, case_id, subitem, started_at) "
                        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (meeting_id, case_id, subitem) "
                        "DO UPDATE SET started_at = excluded.started_at",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    sqlite3_bind_int64(st, 2, r->case_id);
    sqlite3_bind_int64(st, 3, r->subitem);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)at);
    return run(s, st, e, "stamping the timetable");
}

/* Ends row `cur` and/or starts row `next` (-1: neither) at now; one ledger event. */
static int stamp_step(struct store *s, const struct store_live *l, long cur, long next, time_t now,
                      const char *why, const struct store_actor *a, struct err *e)
{
    int rc = 0;
    json_t *d = json_pack("{s:s}", "action", why);
    if (cur >= 0) {
        rc = stamp(s, l->meeting.id, &l->rows[cur], true, now, e);
        json_t *o = row_ref(&l->rows[cur], now);
        json_object_set_new(o, "row", json_integer(cur + 1));
        json_object_set_new(d, "ended", o);
    }
    if (rc == 0 && next >= 0) {
        rc = stamp(s, l->meeting.id, &l->rows[next], false, now, e);
        json_t *o = row_ref(&l->rows[next], now);
        json_object_set_new(o, "row", json_integer(next + 1));
        json_object_set_new(d, "started", o);
    }
    char iso[21], object[40];
    clock_format(now, iso);
    json_object_set_new(d, "clock", json_string(iso));
    snprintf(object, sizeof object, "meeting:%lld", (long long)l->meeting.id);
    char *detail = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(d);
    /* A stamp is not an edit of the meeting: its version stays, so forms open elsewhere on
     * the meeting do not go stale. */
    struct event ev = {.action = "meeting.live",
                       .object = object,
                       .before = l->meeting.version,
                       .after = l->meeting.version,
                       .detail = detail};
    if (rc == 0)
        rc = ledger_append(s, a, &ev, NULL, e);
    free(detail);
    return rc;
}

/* Refuses a clock earlier than the latest stamp: a stamp never moves back in time. */
static int clock_ok(struct store *s, const struct live_row *v, size_t n, time_t now, struct err *e)
{
    time_t last = live_last_stamp(v, n);
    if (now >= last)
        return 0;
    char a[21], b[21];
    clock_format(now, a);
    clock_format(last, b);
    return fail(s, e, ERR_CONFLICT,
                "the server's clock (%s) is before the latest stamp (%s): "
                "nothing was stamped; check the server's clock",
                a, b);
}

/* Checks what every stamp of a meeting in progress needs: the sekretær, i_gang, the row the
 * person saw as current. */
static int stamp_allowed(struct store *s, const struct store_live *l, long cur, long expect,
                         const struct store_actor *a, struct err *e)
{
    if (!(actor_roles(a, l->meeting.body_id) & ROLE_SEKRETAER))
        return fail(s, e, ERR_DENIED,
                    "stamping the timetable needs the role sekretaer on the "
                    "meeting's body");
    if (!l->meeting.state || strcmp(l->meeting.state, "i_gang") != 0)
        return fail(s, e, ERR_CONFLICT,
                    "meeting %lld is %s, not i_gang: only a meeting in "
                    "progress is stamped",
                    (long long)l->meeting.id, l->meeting.state ? l->meeting.state : "?");
    if (expect != STORE_LIVE_ANY && expect != cur)
        return fail(s, e, ERR_CONFLICT,
                    "the timetable was stamped on another device since you "
                    "loaded it (now at row %ld): nothing was stamped; reload it",
                    cur + 1);
    return 0;
}

int store_live_next(struct store *s, int64_t meeting_id, long expect, const struct store_actor *a,
                    struct err *e)
{
    struct store_live l = {0};
    struct live_row *v = NULL;
    int rc = write_begin(s, e, "stamping the timetable");
    if (rc < 0)
        return rc;
    if ((rc = live_load(s, meeting_id, &l, NULL, NULL, e)) < 0)
        goto done;
    v = live_rows(&l);
    long cur = live_current(v, l.nrows), next = live_next(v, l.nrows);
    time_t now = clock_now();
    if ((rc = stamp_allowed(s, &l, cur, expect, a, e)) < 0)
        goto done;
    if (cur < 0 && next < 0) {
        rc = fail(s, e, ERR_CONFLICT,
                  "every row of the timetable is done: end the meeting "
                  "(afslut)");
        goto done;
    }
    if ((rc = clock_ok(s, v, l.nrows, now, e)) < 0)
        goto done;
    if ((rc = stamp_step(s, &l, cur, next, now, "naeste", a, e)) < 0)
        goto done;
    rc = write_commit(s, e, "stamping the timetable");
done:
    if (rc < 0)
        rollback(s);
    free(v);
    store_live_fini(&l);
    return rc;
}

int store_live_undo(struct store *s, int64_t meeting_id, long expect, const struct store_actor *a,
                    struct err *e)
{
    struct store_live l = {0};
    struct live_row *v = NULL;
    json_t *d = NULL;
    int rc = write_begin(s, e, "taking back a stamp");
    if (rc < 0)
        return rc;
    if ((rc = live_load(s, meeting_id, &l, NULL, NULL, e)) < 0)
        goto done;
    v = live_rows(&l);
    long cur = live_current(v, l.nrows);
    if ((rc = stamp_allowed(s, &l, cur, expect, a, e)) < 0)
        goto done;
    /* The latest instant's stamps; the first started row's start is the meeting's own. */
    time_t last = live_last_stamp(v, l.nrows);
    long first = -1;
    for (size_t i = 0; i < l.nrows && first < 0; i++)
        if (v[i].started)
            first = (long)i;
    d = json_pack("{s:s,s:[]}", "action", "fortryd", "removed");
    json_t *removed = json_object_get(d, "removed");
    size_t n = 0;
    for (size_t i = 0; last && i < l.nrows && rc == 0; i++) {
        const struct store_live_row *r = &l.rows[i];
        for (int end = 0; end < 2 && rc == 0; end++) {
            time_t at = end ? v[i].ended : v[i].started;
            if (at != last || (!end && (long)i == first))
                continue;
            sqlite3_stmt *st;
            if ((rc = stmt(s,
                           end ? "UPDATE live_stamp SET ended_at = NULL WHERE meeting_id = ?1 "
                                 "AND case_id = ?2 AND subitem = ?3"
                               : "UPDATE live_stamp SET started_at = NULL WHERE meeting_id = "
                                 "?1 AND case_id = ?2 AND subitem = ?3",
                           &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 1, meeting_id);
            sqlite3_bind_int64(st, 2, r->case_id);
            sqlite3_bind_int64(st, 3, r->subitem);
            if ((rc = run(s, st, e, "taking back a stamp")) < 0)
                break;
            json_t *o = row_ref(r, at);
            json_object_set_new(o, "row", json_integer((json_int_t)i + 1));
            json_object_set_new(o, "stamp", json_string(end ? "ended" : "started"));
            json_array_append_new(removed, o);
            n++;
        }
    }
    if (rc == 0 && !n)
        rc = fail(s, e, ERR_CONFLICT,
                  "nothing to take back: only the meeting's own start is "
                  "stamped");
    if (rc < 0)
        goto done;
    char iso[21], object[40];
    clock_iso(iso);
    json_object_set_new(d, "clock", json_string(iso));
    snprintf(object, sizeof object, "meeting:%lld", (long long)meeting_id);
    char *detail = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
    struct event ev = {.action = "meeting.live",
                       .object = object,
                       .before = l.meeting.version,
                       .after = l.meeting.version,
                       .detail = detail};
    rc = ledger_append(s, a, &ev, NULL, e);
    free(detail);
    if (rc == 0)
        rc = write_commit(s, e, "taking back a stamp");
done:
    if (rc < 0)
        rollback(s);
    json_decref(d);
    free(v);
    store_live_fini(&l);
    return rc;
}

/* Writes the stamps into the cases' models as actual times: a new version of each case
 * whose times change (case.save, through the one write path). */
static int write_actuals(struct store *s, const struct store_live *l, struct live_case *cases,
                         size_t ncases, const struct store_actor *a, struct err *e)
{
    int rc = 0;
    for (size_t i = 0; i < ncases && rc == 0; i++) {
        struct case_doc *c = cases[i].doc;
        bool changed = false;
        if (!cases[i].authored)
            continue;
        for (size_t k = 0; k < l->nrows; k++) {
            const struct store_live_row *r = &l->rows[k];
            if (r->case_id != cases[i].id || !r->subitem || r->subitem > c->nsubitems)
                continue;
            struct subitem *si = &c->subitems[r->subitem - 1];
            const int64_t at[2] = {r->started_at, r->ended_at};
            char **field[2] = {&si->actual_start, &si->actual_end};
            for (int f = 0; f < 2; f++) {
                char hm[6];
                if (!at[f])
                    continue;
                live_local_hhmm((time_t)at[f], hm);
                if (*field[f] && strcmp(*field[f], hm) == 0)
                    continue;
                free(*field[f]);
                *field[f] = xstrdup(hm);
                changed = true;
            }
        }
        if (!changed)
            continue;
        struct store_save sv = {
            .case_id = cases[i].id, .base_version = cases[i].version, .model = c};
        rc = case_save_in(s, &sv, a, NULL, NULL, e);
    }
    return rc;
}

int live_meeting_step(struct store *s, int64_t meeting_id, int from, int to,
                      const struct store_actor *a, struct err *e)
{
    bool start = from == WF_MEETING_DAGSORDEN_FRIGIVET && to == WF_MEETING_I_GANG;
    bool end = from == WF_MEETING_I_GANG && to == WF_MEETING_AFHOLDT;
    if (!start && !end)
        return 0;
    struct store_live l = {0};
    struct live_case *cases = NULL;
    size_t ncases = 0;
    struct live_row *v = NULL;
    int rc = live_load(s, meeting_id, &l, &cases, &ncases, e);
    if (rc < 0)
        goto done;
    v = live_rows(&l);
    time_t now = clock_now();
    long cur = live_current(v, l.nrows);
    long next = start && live_last_stamp(v, l.nrows) == 0 ? live_next(v, l.nrows) : -1;
    if (end && cur < 0 && next < 0)
        goto actuals;
    if (start && next < 0)
        goto done; /* an empty agenda, or stamped before (started again after a return) */
    if ((rc = clock_ok(s, v, l.nrows, now, e)) < 0)
        goto done;
    if ((rc = stamp_step(s, &l, end ? cur : -1, next, now, start ? "start" : "afslut", a, e)) < 0)
        goto done;
    if (end) {
        l.rows[cur].ended_at = now;
    actuals:
        rc = write_actuals(s, &l, cases, ncases, a, e);
    }
done:
    free(v);
    live_cases_free(cases, ncases);
    store_live_fini(&l);
    return rc;
}

/* ---- the actual times in the case's rows ---- */

int live_case_put(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    int rc = 0;
    for (size_t i = 0; i < c->nsubitems && rc == 0; i++) {
        const struct subitem *si = &c->subitems[i];
        if (!si->actual_start && !si->actual_end)
            continue;
        sqlite3_stmt *st;
        if ((rc = stmt(s,
                       "UPDATE subitem SET actual_start = ?3, actual_end = ?4 "
                       "WHERE case_id = ?1 AND pos = ?2",
                       &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, si->actual_start);
        bind_str(st, 4, si->actual_end);
        rc = run(s, st, e, "storing the actual times");
    }
    return rc;
}

int live_case_load(struct store *s, int64_t case_id, struct case_doc *c, struct err *e)
{
    if (!c->nsubitems)
        return 0;
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s,
                  "SELECT pos, actual_start, actual_end FROM subitem WHERE case_id = ?1 AND "
                  "(actual_start IS NOT NULL OR actual_end IS NOT NULL)",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    while ((rc = next_row(s, st, &row, e, "reading the actual times")) == 0 && row) {
        int64_t pos = sqlite3_column_int64(st, 0);
        if (pos < 0 || (size_t)pos >= c->nsubitems)
            continue;
        struct subitem *si = &c->subitems[pos];
        free(si->actual_start);
        free(si->actual_end);
        si->actual_start = col_str(st, 1);
        si->actual_end = col_str(st, 2);
    }
    fin(st);
    return rc;
}

/* ---- attendance ---- */

void store_attendees_free(struct attendee *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].role);
        free(v[i].substitute);
        free(v[i].remark);
    }
    free(v);
}

static int meeting_body(struct store *s, int64_t meeting_id, int64_t *body_id, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "SELECT body_id FROM meeting WHERE id = ?1 /* attendance */", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    rc = first_row(s, st, e, "reading a meeting", "no meeting with id %lld", (long long)meeting_id);
    if (rc == 0)
        *body_id = sqlite3_column_int64(st, 0);
    fin(st);
    return rc;
}

static bool sees(const struct reader *r, int64_t body_id)
{
    return r && (r->all || reader_sees_body(r, body_id));
}

int store_attendance_get(struct store *s, int64_t meeting_id, const struct reader *r,
                         struct attendee **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    int64_t body_id = 0;
    bool row;
    struct meeting *m = meeting_new();
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = meeting_body(s, meeting_id, &body_id, e);
    if (rc == 0 && !sees(r, body_id))
        rc = notfound(s, e, "no meeting with id %lld", (long long)meeting_id);
    if (rc == 0 && (rc = stmt(s,
                              "SELECT name, role, status, substitute, remark, arrived, "
                              "\"left\" FROM attendance WHERE meeting_id = ?1 ORDER BY pos",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        while ((rc = next_row(s, st, &row, e, "reading the attendance")) == 0 && row) {
            struct attendee *at = meeting_add_attendee(m);
            at->name = col_str(st, 0);
            at->role = col_str(st, 1);
            const char *status = (const char *)sqlite3_column_text(st, 2);
            int k = attendee_status_parse(status);
            at->status = k >= 0 ? (enum attendee_status)k : ATTENDEE_PRESENT;
            at->substitute = col_str(st, 3);
            at->remark = col_str(st, 4);
            at->arrived = (unsigned)sqlite3_column_int(st, 5);
            at->left = (unsigned)sqlite3_column_int(st, 6);
        }
        fin(st);
    }
    read_end(s);
    if (rc == 0) {
        *v = m->attendees;
        *n = m->nattendees;
        m->attendees = NULL;
        m->nattendees = 0;
    }
    meeting_free(m);
    return rc;
}

static void read_member(sqlite3_stmt *st, void *elem)
{
    struct store_account_ref *a = elem;
    a->id = sqlite3_column_int64(st, 0);
    a->login = col_str(st, 1);
    a->name = col_str(st, 2);
}

static void members_free(void *v, size_t n)
{
    store_account_refs_free(v, n);
}

static const struct rowtype member_rows = {sizeof(struct store_account_ref),
                                           "listing the body's members", read_member, members_free};

int store_attendance_members(struct store *s, int64_t meeting_id, const struct reader *r,
                             struct store_account_ref **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    int64_t body_id = 0;
    void *out = NULL;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = meeting_body(s, meeting_id, &body_id, e);
    if (rc == 0 && !sees(r, body_id))
        rc = notfound(s, e, "no meeting with id %lld", (long long)meeting_id);
    if (rc == 0 && (rc = stmt(s,
                              "SELECT a.id, a.login, a.name FROM account a JOIN account_role "
                              "ar ON ar.account_id = a.id WHERE ar.body_id = ?1 AND ar.role "
                              "= 'medlem' AND NOT a.disabled ORDER BY a.name, a.id LIMIT ?2",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, body_id);
        sqlite3_bind_int(st, 2, STORE_PAGE_MAX);
        rc = collect(s, st, &member_rows, &out, n, e);
    }
    read_end(s);
    if (rc == 0)
        *v = out;
    return rc;
}

int store_attendance_save(struct store *s, int64_t meeting_id, const struct attendee *v, size_t n,
                          const struct store_actor *a, struct err *e)
{
    struct store_live l = {0};
    struct meeting *m = meeting_new();
    sqlite3_stmt *st;
    int rc = write_begin(s, e, "saving the attendance");
    if (rc < 0) {
        meeting_free(m);
        return rc;
    }
    if ((rc = live_load(s, meeting_id, &l, NULL, NULL, e)) < 0)
        goto done;
    int state = wf_state_parse(&wf_meeting, l.meeting.state);
    if (!(actor_roles(a, l.meeting.body_id) & ROLE_SEKRETAER)) {
        rc = fail(s, e, ERR_DENIED,
                  "the attendance needs the role sekretaer on the meeting's "
                  "body");
        goto done;
    }
    if (!l.meeting.authored || state < 0 || state == WF_MEETING_AFLYST ||
        wf_state_locked(&wf_meeting, state)) {
        rc = fail(s, e, ERR_DENIED,
                  "meeting %lld is %s: its attendance can no longer be "
                  "changed",
                  (long long)meeting_id, l.meeting.state ? l.meeting.state : "?");
        goto done;
    }
    /* The whole meeting as meeting_check sees it: its own fields and the new list. */
    m->body_code = xstrdup(l.meeting.body);
    m->date = xstrdup(l.meeting.date);
    m->start = xstrdup(l.meeting.start);
    m->end = xstrdup(l.meeting.end);
    m->state = (enum wf_meeting_state)state;
    for (size_t i = 0; i < n; i++) {
        struct attendee *t = meeting_add_attendee(m);
        t->name = xstrdup(v[i].name);
        t->role = xstrdup(v[i].role);
        t->status = v[i].status;
        t->substitute = xstrdup(v[i].substitute);
        t->remark = xstrdup(v[i].remark);
        t->arrived = v[i].arrived;
        t->left = v[i].left;
    }
    if ((rc = meeting_check(m, e)) < 0) {
        e->file = s->path;
        rc = e->code = ERR_USAGE;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned at[2] = {v[i].arrived, v[i].left};
        for (int k = 0; k < 2; k++)
            if (at[k] > l.nrows) {
                rc = fail(s, e, ERR_USAGE,
                          "deltager %zu: %s ved punkt %u, men tidsplanen har "
                          "%s%zu punkter",
                          i + 1, k ? "gik" : "kom", at[k], l.nrows ? "1–" : "", l.nrows);
                goto done;
            }
    }
    if ((rc = stmt(s, "DELETE FROM attendance WHERE meeting_id = ?1 /* live */", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, meeting_id);
    if ((rc = run(s, st, e, "saving the attendance")) < 0)
        goto done;
    size_t counts[4] = {0};
    for (size_t i = 0; i < n; i++) {
        if ((rc = stmt(s,
                       "INSERT INTO attendance (meeting_id, pos, name, role, status, "
                       "substitute, remark, arrived, \"left\") VALUES (?1, ?2, ?3, ?4, ?5, "
                       "?6, ?7, ?8, ?9) /* live */",
                       &st, e)) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, meeting_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, v[i].name);
        bind_str(st, 4, v[i].role);
        bind_str(st, 5, attendee_status_name((int)v[i].status));
        bind_str(st, 6, v[i].substitute);
        bind_str(st, 7, v[i].remark);
        bind_id(st, 8, v[i].arrived);
        bind_id(st, 9, v[i].left);
        if ((rc = run(s, st, e, "saving the attendance")) < 0)
            goto done;
        if ((unsigned)v[i].status < 4)
            counts[v[i].status]++;
    }
    char object[40];
    snprintf(object, sizeof object, "meeting:%lld", (long long)meeting_id);
    json_t *d = json_pack("{s:I,s:I,s:I,s:I}", "present", (json_int_t)counts[0], "afbud",
                          (json_int_t)counts[1], "fravaerende", (json_int_t)counts[2],
                          "stedfortraeder", (json_int_t)counts[3]);
    char *detail = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(d);
    struct event ev = {.action = "meeting.attendance",
                       .object = object,
                       .before = l.meeting.version,
                       .after = l.meeting.version,
                       .detail = detail};
    rc = ledger_append(s, a, &ev, NULL, e);
    free(detail);
    if (rc == 0)
        rc = write_commit(s, e, "saving the attendance");
done:
    if (rc < 0)
        rollback(s);
    meeting_free(m);
    store_live_fini(&l);
    return rc;
}
