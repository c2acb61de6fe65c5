/* sqlite_publication: publishing minutes on SQLite (issue 9, publication): when the public
 * may read a case's minutes, the meeting's step into and out of offentliggjort, and the
 * search index kept in line with it. See docs/workflow.md, "Publication (issue 9)". */
#include "store_sqlite.h"
#include "../format/format.h"
#include "../model/guard.h"
#include "../model/meeting.h"
#include "../model/workflow.h"
#include "../util/clock.h"
#include "../util/date.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the safety rule: no minutes before they are published ---- */

int pub_minutes_hidden(struct store *s, int64_t case_id, bool *hidden, struct err *e)
{
    sqlite3_stmt *st;
    int64_t v = 0;
    bool found = false;
    int rc = stmt(s, "SELECT NOT " MINUTES_PUBLIC("c") " FROM \"case\" c WHERE c.id = ?1", &st,
                  e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, &v, &found, e, "reading whether the minutes are published")) == 0)
        *hidden = !found || v != 0; /* no such case: hide, the safe answer */
    return rc;
}

int pub_public_case(struct store *s, int64_t case_id, struct case_doc *c, struct err *e)
{
    bool hidden = true;
    int rc = pub_minutes_hidden(s, case_id, &hidden, e);
    if (rc == 0 && hidden)
        case_hide_minutes(c);
    return rc;
}

int pub_public_source(struct store *s, int64_t case_id, const struct store_source *src,
                      struct err *e)
{
    bool hidden = true;
    int rc = pub_minutes_hidden(s, case_id, &hidden, e);
    if (rc < 0 || !hidden)
        return rc;
    /* The source is the whole model: it may go out only when it holds no minutes. */
    const struct fmt_reader *r = fmt_reader_find(src->format);
    struct case_doc *c = NULL;
    struct err pe = {0};
    struct warnings w = {0};
    bool minutes = true;
    if (r && fmt_read(r, src->bytes, src->len, FMT_NOLAYOUT | FMT_NOEXTRACT, &c, &pe, &w) == 0)
        minutes = c->ndecisions > 0;
    case_free(c);
    warnings_fini(&w);
    if (minutes)
        return fail(s, e, ERR_CLOSED, "the minutes of case %lld are not published yet",
                    (long long)case_id);
    return 0;
}

static int publish_guard(struct store *s, int64_t meeting_id, struct err *e);
static int mark_published(struct store *s, int64_t meeting_id, bool on, struct err *e);

/* Re-indexes every case on the meeting's agenda: the public index follows the minutes. */
static int reindex_meeting(struct store *s, int64_t meeting_id, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = stmt(s, "SELECT case_id FROM agenda WHERE meeting_id = ?1 ORDER BY pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    while ((rc = next_row(s, st, &row, e, "reading the agenda")) == 0 && row) {
        ids = grow(ids, n, &cap, sizeof *ids);
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    fin(st);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct case_doc *c = NULL;
        if ((rc = load_case(s, ids[i], &c, e)) == 0)
            rc = index_case(s, ids[i], c, e);
        case_free(c);
    }
    free(ids);
    return rc;
}

int pub_meeting_step(struct store *s, int64_t meeting_id, int from, int to, struct err *e)
{
    /* Publishing and unpublishing: portal, API and feeds read the state; the search index
     * is rewritten in the same transaction. The release and its recall publish and take
     * back the cases themselves (sqlite_agenda.c), which the public index must follow too. */
    bool release = (from == WF_MEETING_PLANLAGT && to == WF_MEETING_DAGSORDEN_FRIGIVET) ||
                   (from == WF_MEETING_DAGSORDEN_FRIGIVET && to == WF_MEETING_PLANLAGT);
    if (from != WF_MEETING_OFFENTLIGGJORT && to != WF_MEETING_OFFENTLIGGJORT && !release)
        return 0;
    int rc = 0;
    if (to == WF_MEETING_OFFENTLIGGJORT)
        rc = publish_guard(s, meeting_id, e);
    if (rc == 0 && (to == WF_MEETING_OFFENTLIGGJORT || from == WF_MEETING_OFFENTLIGGJORT))
        rc = mark_published(s, meeting_id, to == WF_MEETING_OFFENTLIGGJORT, e);
    if (rc == 0)
        rc = reindex_meeting(s, meeting_id, e);
    return rc;
}

/* ---- levels: stored beside the case's rows ---- */

int pub_case_put(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "UPDATE \"case\" SET publication = ?2, public_decision = ?3 WHERE id = ?1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    bind_str(st, 2, case_publication_name(c->publication));
    bind_str(st, 3, c->public_decision);
    if ((rc = run(s, st, e, "saving the case's publication")) < 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < c->nattachments; i++) {
        if (!c->attachments[i].publication)
            continue;
        if ((rc = stmt(s, "UPDATE attachment SET publication = ?3 WHERE case_id = ?1 AND "
                          "number = ?2", &st, e)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, c->attachments[i].number);
        bind_str(st, 3, case_publication_name(c->attachments[i].publication));
        rc = run(s, st, e, "saving a bilag's publication");
    }
    return rc;
}

int pub_case_fields(struct store *s, int64_t case_id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s, "SELECT publication, public_decision FROM \"case\" WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = next_row(s, st, &row, e, "reading the case's publication")) == 0 && row) {
        const char *p = (const char *)sqlite3_column_text(st, 0);
        if (!case_publication_parse(p, &c->publication))
            c->publication = PUB_TITLE; /* unknown: the safe side */
        free(c->public_decision);
        c->public_decision = col_str(st, 1);
    }
    fin(st);
    if (rc < 0 || !c->nattachments)
        return rc;
    if ((rc = stmt(s, "SELECT number, publication FROM attachment WHERE case_id = ?1 AND "
                      "publication IS NOT NULL", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    while ((rc = next_row(s, st, &row, e, "reading the bilag's publication")) == 0 && row) {
        unsigned number = (unsigned)sqlite3_column_int64(st, 0);
        const char *p = (const char *)sqlite3_column_text(st, 1);
        for (size_t i = 0; i < c->nattachments; i++)
            if (c->attachments[i].number == number &&
                !case_publication_parse(p, &c->attachments[i].publication))
                c->attachments[i].publication = PUB_NONE;
    }
    fin(st);
    return rc;
}

int pub_closed_view(struct store *s, int64_t case_id, struct case_doc **c, struct err *e)
{
    /* *c holds what the public reads of a closed case (its public title and text); its
     * public decision joins it by its level, once the minutes are published. */
    int rc = pub_case_fields(s, case_id, *c, e);
    if (rc < 0 || !(*c)->public_decision)
        return rc;
    struct case_doc *v = case_view(*c, AUDIENCE_PUBLIC);
    case_free(*c);
    *c = v;
    return pub_public_case(s, case_id, *c, e);
}

/* ---- the publish guard ---- */

#define PUBLISH_CASES "('paa_dagsorden', 'behandlet', 'udsat')" /* as the release's */

struct problems {
    struct store_publish_problem *v;
    size_t n, cap;
};

static void problem(struct problems *p, int pos, int64_t case_id, const char *title,
                    const struct guard_hit *h)
{
    p->v = grow(p->v, p->n, &p->cap, sizeof *p->v);
    struct store_publish_problem *x = &p->v[p->n++];
    memset(x, 0, sizeof *x);
    x->position = pos;
    x->case_id = case_id;
    x->title = xstrdup(title ? title : "");
    x->rule = h->rule;
    snprintf(x->field, sizeof x->field, "%s", h->field);
    x->line = h->line;
    x->col = h->col;
}

void store_publish_problems_free(struct store_publish_problem *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].title);
    free(v);
}

/* The problems of one case (its full model c) as the public would read it. */
static void check_case(const struct case_doc *c, int pos, int64_t case_id, bool kb,
                       const char *const *help, size_t nhelp, struct problems *p)
{
    if (case_publication_level(c) == PUB_NONE)
        return; /* not public at all: nothing of it is published */
    struct case_doc *pub = case_view(c, AUDIENCE_PUBLIC);
    struct guard_scope g = {help, nhelp, c, true};
    struct guard_hit hits[32];
    size_t k = guard_case_all(pub, &g, hits, 32);
    for (size_t i = 0; i < k && i < 32; i++)
        problem(p, pos, case_id, pub->title, &hits[i]);
    /* The municipal council's rule: a closed decision is still published in a public form. */
    if (kb && !c->public && (!c->public_decision || !*c->public_decision)) {
        struct guard_hit h = {.rule = "ingen offentlig beslutningstekst", .line = 1, .col = 1};
        snprintf(h.field, sizeof h.field, "Offentlig beslutning");
        problem(p, pos, case_id, pub->title, &h);
    }
    case_free(pub);
}

/* Inside the caller's read or write: every problem of the meeting's agenda. */
static int check_meeting(struct store *s, int64_t meeting_id, struct problems *p, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int64_t body_id = 0, *ids = NULL;
    int *pos = NULL;
    size_t n = 0, cap = 0, pcap = 0;
    char *code = NULL, *rule = NULL, **help = NULL;
    size_t nhelp = 0;
    int rc = stmt(s, "SELECT m.body_id, b.code FROM meeting m JOIN body b ON b.id = m.body_id "
                     "WHERE m.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    rc = first_row(s, st, e, "checking the minutes", "no meeting with id %lld",
                   (long long)meeting_id);
    if (rc == 0) {
        body_id = sqlite3_column_int64(st, 0);
        code = col_str(st, 1);
    }
    fin(st);
    if (rc == 0)
        rc = store_body_setting_get(s, code, "publication.rule", &rule, e);
    if (rc == 0)
        rc = agenda_help_texts(s, body_id, &help, &nhelp, e);
    if (rc == 0 && (rc = stmt(s, "SELECT a.case_id, a.pos FROM agenda a JOIN \"case\" c ON "
                                 "c.id = a.case_id WHERE a.meeting_id = ?1 AND (NOT c.authored "
                                 "OR c.state IN " PUBLISH_CASES ") ORDER BY a.pos", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        while ((rc = next_row(s, st, &row, e, "checking the minutes")) == 0 && row) {
            ids = grow(ids, n, &cap, sizeof *ids);
            pos = grow(pos, n, &pcap, sizeof *pos);
            ids[n] = sqlite3_column_int64(st, 0);
            pos[n++] = sqlite3_column_int(st, 1) + 1;
        }
        fin(st);
    }
    bool kb = !rule || strcmp(rule, "frivillig") != 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct case_doc *c = NULL;
        if ((rc = load_case(s, ids[i], &c, e)) == 0)
            check_case(c, pos[i], ids[i], kb, (const char *const *)help, nhelp, p);
        case_free(c);
    }
    for (size_t i = 0; i < nhelp; i++)
        free(help[i]);
    free(help);
    free(ids);
    free(pos);
    free(code);
    free(rule);
    return rc;
}

int store_meeting_publish_check(struct store *s, int64_t meeting_id, const struct reader *r,
                                struct store_publish_problem **v, size_t *n, struct err *e)
{
    struct problems p = {0};
    sqlite3_stmt *st;
    int64_t body_id = 0;
    bool found = false;
    int rc = read_begin(s, e);
    if (rc == 0 && (rc = stmt(s, "SELECT body_id FROM meeting WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        rc = one_int(s, st, &body_id, &found, e, "checking the minutes");
    }
    if (rc == 0 && !found)
        rc = notfound(s, e, "no meeting with id %lld", (long long)meeting_id);
    if (rc == 0 && !reader_sees_body(r, body_id))
        rc = fail(s, e, ERR_DENIED, "checking the minutes of meeting %lld needs a role on its "
                  "body", (long long)meeting_id);
    if (rc == 0)
        rc = check_meeting(s, meeting_id, &p, e);
    read_end(s);
    if (rc < 0) {
        store_publish_problems_free(p.v, p.n);
        return rc;
    }
    *v = p.v;
    *n = p.n;
    return 0;
}

/* The guard of the step: all or nothing, the first problem and the count in the message
 * (the meeting's publication page lists them all). */
static int publish_guard(struct store *s, int64_t meeting_id, struct err *e)
{
    struct problems p = {0};
    int rc = check_meeting(s, meeting_id, &p, e);
    if (rc == 0 && p.n) {
        const struct store_publish_problem *x = &p.v[0];
        rc = fail(s, e, ERR_DENIED, "Referatet kan ikke offentliggøres (%zu %s): punkt %d (sag "
                  "%lld) har %s i %s, linje %u, kolonne %u", p.n, p.n == 1 ? "problem" :
                  "problemer", x->position, (long long)x->case_id, x->rule, x->field, x->line,
                  x->col);
    }
    store_publish_problems_free(p.v, p.n);
    return rc;
}

/* When the minutes were published (UTC); cleared when they are taken back. A publish asked
 * for later is done (or taken back) with it. */
static int mark_published(struct store *s, int64_t meeting_id, bool on, struct err *e)
{
    char now[21];
    sqlite3_stmt *st;
    clock_iso(now);
    int rc = stmt(s, "UPDATE meeting SET minutes_published_at = ?2, publish_at = NULL, "
                     "publish_error = NULL WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    bind_str(st, 2, on ? now : NULL);
    return run(s, st, e, "publishing the minutes");
}

/* ---- the meeting page's part ---- */

void store_meeting_publication_fini(struct store_meeting_publication *p)
{
    if (!p)
        return;
    free(p->minutes_published_at);
    free(p->publish_at);
    free(p->publish_error);
    free(p->prev_date);
    free(p->next_date);
    for (size_t i = 0; i < p->nattendees; i++) {
        free(p->attendees[i].name);
        free(p->attendees[i].role);
        free(p->attendees[i].substitute);
        free(p->attendees[i].remark);
    }
    free(p->attendees);
    memset(p, 0, sizeof *p);
}

/* The body's meeting before (dir < 0) or after the one on date/id, as r may see them. */
static int neighbour(struct store *s, int64_t body_id, const char *date, int64_t id, int dir,
                     const struct reader *r, int64_t *out_id, char **out_date, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s, dir < 0 ? "SELECT m.id, m.date FROM meeting m WHERE m.body_id = ?1 AND "
                               "(m.date < ?2 OR (m.date = ?2 AND m.id < ?3)) AND "
                               MEETING_LISTED("m", "?9") " ORDER BY m.date DESC, m.id DESC "
                               "LIMIT 1"
                             : "SELECT m.id, m.date FROM meeting m WHERE m.body_id = ?1 AND "
                               "(m.date > ?2 OR (m.date = ?2 AND m.id > ?3)) AND "
                               MEETING_LISTED("m", "?9") " ORDER BY m.date, m.id LIMIT 1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    bind_str(st, 2, date);
    sqlite3_bind_int64(st, 3, id);
    bind_reader(st, 9, r);
    if ((rc = next_row(s, st, &row, e, "reading the body's meetings")) == 0 && row) {
        *out_id = sqlite3_column_int64(st, 0);
        *out_date = col_str(st, 1);
    }
    fin(st);
    return rc;
}

int store_meeting_publication_get(struct store *s, int64_t meeting_id, const struct reader *r,
                                  struct store_meeting_publication *out, struct err *e)
{
    struct store_meeting_publication p = {0};
    sqlite3_stmt *st;
    int64_t body_id = 0;
    char *date = NULL, *state = NULL;
    bool authored = false, sees = false, row;
    int rc = read_begin(s, e);
    if (rc == 0 && (rc = stmt(s, "SELECT m.body_id, m.date, m.state, m.authored, "
                                 "m.minutes_published_at, m.publish_at, m.publish_error FROM "
                                 "meeting m WHERE m.id = ?1 AND " MEETING_LISTED("m", "?9"),
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        bind_reader(st, 9, r);
        rc = first_row(s, st, e, "reading a meeting", "no meeting with id %lld",
                       (long long)meeting_id);
        if (rc == 0) {
            body_id = sqlite3_column_int64(st, 0);
            date = col_str(st, 1);
            state = col_str(st, 2);
            authored = sqlite3_column_int(st, 3) != 0;
            sees = reader_sees_body(r, body_id);
            p.minutes_published_at = col_str(st, 4);
            if (sees) {
                p.publish_at = col_str(st, 5);
                p.publish_error = col_str(st, 6);
            }
        }
        fin(st);
    }
    if (rc == 0)
        rc = neighbour(s, body_id, date, meeting_id, -1, r, &p.prev_id, &p.prev_date, e);
    if (rc == 0)
        rc = neighbour(s, body_id, date, meeting_id, 1, r, &p.next_id, &p.next_date, e);
    /* The attendance belongs to the minutes: public once they are. */
    bool minutes_public = !authored || (state && strcmp(state, "offentliggjort") == 0);
    if (rc == 0 && (sees || minutes_public) &&
        (rc = stmt(s, "SELECT name, role, status, substitute, remark, arrived, \"left\" FROM "
                      "attendance WHERE meeting_id = ?1 ORDER BY pos", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        size_t cap = 0;
        while ((rc = next_row(s, st, &row, e, "reading the attendance")) == 0 && row) {
            p.attendees = grow(p.attendees, p.nattendees, &cap, sizeof *p.attendees);
            struct attendee *a = &p.attendees[p.nattendees++];
            memset(a, 0, sizeof *a);
            a->name = col_str(st, 0);
            a->role = col_str(st, 1);
            int status = attendee_status_parse((const char *)sqlite3_column_text(st, 2));
            a->status = status < 0 ? ATTENDEE_PRESENT : (enum attendee_status)status;
            a->substitute = col_str(st, 3);
            a->remark = col_str(st, 4);
            a->arrived = (unsigned)sqlite3_column_int(st, 5);
            a->left = (unsigned)sqlite3_column_int(st, 6);
        }
        fin(st);
    }
    read_end(s);
    free(date);
    free(state);
    if (rc < 0) {
        store_meeting_publication_fini(&p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ---- publishing later ---- */

static bool iso_utc(const char *v)
{
    /* "YYYY-MM-DDTHH:MM:SSZ": what clock_iso writes, so that strings compare as times. */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (!v || strlen(v) != sizeof shape - 1)
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !(v[i] >= '0' && v[i] <= '9') : v[i] != shape[i])
            return false;
    int y = atoi(v), mo = atoi(v + 5), d = atoi(v + 8), h = atoi(v + 11), mi = atoi(v + 14),
        sec = atoi(v + 17);
    return date_valid(y, mo, d) && h < 24 && mi < 60 && sec < 60;
}

static int publish_event(struct store *s, const struct store_actor *a, const char *action,
                         int64_t id, int version, json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "meeting:%lld", (long long)id);
    struct event ev = {.action = action, .object = object, .before = version, .after = version};
    return ledger_append_json(s, a, ev, detail, e);
}

int store_meeting_publish_at(struct store *s, int64_t meeting_id, int base_version,
                             const char *at, const struct store_actor *a, struct err *e)
{
    char now[21];
    clock_iso(now);
    if (at && !iso_utc(at))
        return fail(s, e, ERR_USAGE, "publish_at: expected a time as YYYY-MM-DDTHH:MM:SSZ (UTC)");
    if (at && strcmp(at, now) <= 0)
        return fail(s, e, ERR_USAGE, "publish_at: the time has passed (now %s): publish now "
                    "instead", now);
    sqlite3_stmt *st;
    int rc = write_begin(s, e, "scheduling the publication");
    if (rc < 0)
        return rc;
    int64_t body_id = 0;
    int version = 0;
    char *state = NULL;
    if ((rc = stmt(s, "SELECT body_id, version, state FROM meeting WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        rc = first_row(s, st, e, "scheduling the publication", "no meeting with id %lld",
                       (long long)meeting_id);
        if (rc == 0) {
            body_id = sqlite3_column_int64(st, 0);
            version = sqlite3_column_int(st, 1);
            state = col_str(st, 2);
        }
        fin(st);
    }
    if (rc == 0 && !(actor_roles(a, body_id) & ROLE_SEKRETAER))
        rc = fail(s, e, ERR_DENIED, "publishing the minutes needs the role sekretaer on the "
                  "meeting's body");
    else if (rc == 0 && version != base_version)
        rc = fail(s, e, ERR_CONFLICT, "meeting %lld was changed (version %d) after you opened "
                  "version %d; nothing was changed: reload it", (long long)meeting_id, version,
                  base_version);
    else if (rc == 0 && (!state || strcmp(state, "referat_godkendt") != 0))
        rc = fail(s, e, ERR_CONFLICT, "the minutes of meeting %lld are %s: only approved "
                  "minutes (referat_godkendt) can be published", (long long)meeting_id,
                  state ? state : "?");
    free(state);
    if (rc == 0 && (rc = stmt(s, "UPDATE meeting SET publish_at = ?2, publish_error = NULL "
                                 "WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        bind_str(st, 2, at);
        rc = run(s, st, e, "scheduling the publication");
    }
    if (rc == 0)
        rc = publish_event(s, a, "meeting.publish_at", meeting_id, version,
                           json_pack("{s:s?}", "publish_at", at), e);
    if (rc == 0)
        return write_commit(s, e, "scheduling the publication");
    rollback(s);
    return rc;
}

int store_meetings_publish_due(struct store *s, size_t *done, size_t *failed, struct err *e)
{
    static const struct store_actor server = {0, "referat:publish-due", NULL, &reader_all};
    char now[21];
    clock_iso(now);
    sqlite3_stmt *st;
    bool row;
    int64_t *ids = NULL;
    int *versions = NULL;
    size_t n = 0, cap = 0, vcap = 0, ok = 0, bad = 0;
    int rc = stmt(s, "SELECT id, version FROM meeting WHERE publish_at IS NOT NULL AND "
                     "publish_at <= ?1 AND publish_error IS NULL AND state = 'referat_godkendt' "
                     "ORDER BY publish_at, id LIMIT 100", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, now);
    while ((rc = next_row(s, st, &row, e, "finding publications that are due")) == 0 && row) {
        ids = grow(ids, n, &cap, sizeof *ids);
        versions = grow(versions, n, &vcap, sizeof *versions);
        ids[n] = sqlite3_column_int64(st, 0);
        versions[n++] = sqlite3_column_int(st, 1);
    }
    fin(st);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct err pe = {0};
        /* The same step as the button: the guard runs again now. */
        int prc = store_meeting_transition(s, ids[i], versions[i], "offentliggoer", NULL,
                                           &server, &pe);
        if (prc == 0) {
            ok++;
            continue;
        }
        if (prc == ERR_DB) {
            *e = pe;
            rc = prc;
            break;
        }
        /* Refused: recorded and shown to the sekretær; not tried again until they act. */
        bad++;
        if ((rc = write_begin(s, e, "recording a failed publication")) < 0)
            break;
        if ((rc = stmt(s, "UPDATE meeting SET publish_error = ?2 WHERE id = ?1", &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, ids[i]);
            bind_str(st, 2, pe.msg);
            rc = run(s, st, e, "recording a failed publication");
        }
        if (rc == 0)
            rc = publish_event(s, &server, "meeting.publish_failed", ids[i], versions[i],
                               json_pack("{s:s}", "error", pe.msg), e);
        if (rc == 0)
            rc = write_commit(s, e, "recording a failed publication");
        else
            rollback(s);
    }
    free(ids);
    free(versions);
    if (done)
        *done = ok;
    if (failed)
        *failed = bad;
    return rc;
}
