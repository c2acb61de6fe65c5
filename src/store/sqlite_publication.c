/* sqlite_publication: publishing minutes on SQLite (issue 9, publication): when the public
 * may read a case's minutes, the meeting's step into and out of offentliggjort, and the
 * search index kept in line with it. See docs/workflow.md, "Publication (issue 9)". */
#include "store_sqlite.h"
#include "../format/format.h"
#include "../model/guard.h"
#include "../model/workflow.h"
#include "../util/clock.h"

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
     * public decision joins it by its level, dated as the case's decision. */
    int rc = pub_case_fields(s, case_id, *c, e);
    if (rc < 0 || !(*c)->public_decision)
        return rc;
    sqlite3_stmt *st;
    bool row;
    if ((rc = stmt(s, "SELECT coalesce((SELECT d.body FROM decision d WHERE d.case_id = c.id "
                      "ORDER BY d.pos LIMIT 1), b.name), coalesce((SELECT d.date FROM decision "
                      "d WHERE d.case_id = c.id ORDER BY d.pos LIMIT 1), c.date) FROM \"case\" c "
                      "LEFT JOIN body b ON b.id = c.body_id WHERE c.id = ?1", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    struct decision *d = case_add_decision(*c);
    if ((rc = next_row(s, st, &row, e, "reading the case's decision")) == 0 && row) {
        d->body = col_str(st, 0);
        d->date = col_str(st, 1);
    }
    fin(st);
    if (rc < 0)
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
