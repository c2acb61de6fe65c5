/* sqlite_case: reading cases on SQLite (models, lists, sources, history, attachment files)
 * for a reader, and the one write path of cases written in referat. */
#include "store_sqlite.h"
#include "../format/format.h"
#include "../model/authored.h"
#include "../model/timetable.h"
#include "../util/mime.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading a case ---- */

static int load_hunks(struct store *s, int64_t id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s, "SELECT at, del, nins, ins FROM hunk WHERE case_id = ?1 ORDER BY pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = next_row(s, st, &row, e, "reading the layout")) == 0 && row) {
        struct hunk *h = layout_add_hunk(&c->layout);
        h->at = (size_t)sqlite3_column_int64(st, 0);
        h->del = (size_t)sqlite3_column_int64(st, 1);
        h->nins = (size_t)sqlite3_column_int64(st, 2);
        h->ins = xcalloc(h->nins, sizeof *h->ins);
        const char *p = (const char *)sqlite3_column_text(st, 3);
        for (size_t k = 0; k < h->nins; k++) {
            const char *nl = p ? strchr(p, '\n') : NULL;
            size_t n = nl ? (size_t)(nl - p) : (p ? strlen(p) : 0);
            h->ins[k] = xstrndup(p ? p : "", n);
            p = nl ? nl + 1 : NULL;
        }
    }
    fin(st);
    return rc;
}

/* ---- issue 11, archive routes: a case's parts in one statement each, not one per sub-item
 * or entry (a meeting page of 16 cases ran some 460 statements, an Atom feed of 50 entries
 * 2,700). Each statement returns its rows in the order the model keeps them (the owner's
 * pos, then the row's own), so they are handed out by walking the owners in step. ---- */

/* Which of ids[0..n) row_id is: from *at on (the rows come in the owners' order), else from
 * the start; -1 when none. */
static long owner_of(const int64_t *ids, size_t n, size_t *at, int64_t row_id)
{
    for (size_t pass = 0; pass < 2; pass++, *at = 0)
        for (; *at < n; (*at)++)
            if (ids[*at] == row_id)
                return (long)*at;
    return -1;
}

static int load_subitems(struct store *s, int64_t id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st, *gs;
    bool row;
    int64_t *ids = NULL;
    size_t nids = 0, cap = 0, at = 0;
    int rc = stmt(s, "SELECT id, time, title, text, duration FROM subitem WHERE case_id = ?1 ORDER BY pos", &st, e);
    if (rc == 0)
        rc = stmt(s, "SELECT g.subitem_id, p.name, g.role, g.unit, g.email FROM subitem si "
                     "JOIN guest g ON g.subitem_id = si.id JOIN person p ON p.id = g.person_id "
                     "WHERE si.case_id = ?1 ORDER BY si.pos, g.pos", &gs, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = next_row(s, st, &row, e, "reading sub-items")) == 0 && row) {
        struct subitem *si = case_add_subitem(c);
        si->time = col_str(st, 1);
        si->title = col_str(st, 2);
        si->text = col_str(st, 3);
        si->duration = (unsigned)sqlite3_column_int64(st, 4);
        ids = grow(ids, nids, &cap, sizeof *ids);
        ids[nids++] = sqlite3_column_int64(st, 0);
    }
    fin(st);
    if (rc == 0 && nids) {
        sqlite3_bind_int64(gs, 1, id);
        while ((rc = next_row(s, gs, &row, e, "reading guests")) == 0 && row) {
            long k = owner_of(ids, nids, &at, sqlite3_column_int64(gs, 0));
            if (k < 0)
                continue;
            struct guest *g = subitem_add_guest(&c->subitems[k]);
            g->name = col_str(gs, 1);
            g->role = col_str(gs, 2);
            g->unit = col_str(gs, 3);
            g->email = col_str(gs, 4);
        }
        fin(gs);
    }
    free(ids);
    return rc;
}

static void read_followup_row(sqlite3_stmt *st, struct followup *f)
{
    f->owner = col_str(st, 1);
    f->role = col_str(st, 2);
    f->text = col_str(st, 3);
    f->due = col_str(st, 4);
}

/* Where an entry is: decision d's entry k (an address would move as the entries grow). */
struct entry_at {
    size_t d, k;
};

static struct entry *entry_of(struct case_doc *c, const struct entry_at *at)
{
    return &c->decisions[at->d].entries[at->k];
}

/* The entries' follow-ups and dates (load_decisions collected the entries in order). */
static int load_entry_parts(struct store *s, int64_t id, struct case_doc *c,
                            const struct entry_at *entries, const int64_t *ids, size_t n,
                            struct err *e)
{
    sqlite3_stmt *fs, *ds;
    bool row;
    size_t at = 0;
    int rc = stmt(s, "SELECT f.entry_id, p.name, f.role, f.text, f.due FROM decision d "
                     "JOIN entry en ON en.decision_id = d.id JOIN followup f ON f.entry_id = en.id "
                     "JOIN person p ON p.id = f.person_id WHERE d.case_id = ?1 "
                     "ORDER BY d.pos, en.pos, f.pos", &fs, e);
    if (rc == 0)
        rc = stmt(s, "SELECT dr.entry_id, dr.text, dr.start, dr.\"end\" FROM decision d "
                     "JOIN entry en ON en.decision_id = d.id JOIN dateref dr ON dr.entry_id = en.id "
                     "WHERE d.case_id = ?1 ORDER BY d.pos, en.pos, dr.pos", &ds, e);
    if (rc < 0 || n == 0)
        return rc;
    sqlite3_bind_int64(fs, 1, id);
    while ((rc = next_row(s, fs, &row, e, "reading follow-ups")) == 0 && row) {
        long k = owner_of(ids, n, &at, sqlite3_column_int64(fs, 0));
        if (k >= 0)
            read_followup_row(fs, entry_add_followup(entry_of(c, &entries[k])));
    }
    fin(fs);
    if (rc < 0)
        return rc;
    at = 0;
    sqlite3_bind_int64(ds, 1, id);
    while ((rc = next_row(s, ds, &row, e, "reading dates")) == 0 && row) {
        long k = owner_of(ids, n, &at, sqlite3_column_int64(ds, 0));
        if (k < 0)
            continue;
        struct dateref *r = entry_add_date(entry_of(c, &entries[k]));
        r->text = col_str(ds, 1);
        r->start = col_str(ds, 2);
        r->end = col_str(ds, 3);
    }
    fin(ds);
    return rc;
}

/* issue 10, flat follow-ups: the follow-ups of decisions without entries. */
static int load_decision_followups(struct store *s, int64_t id, struct case_doc *c,
                                   const int64_t *ids, struct err *e)
{
    sqlite3_stmt *fs;
    bool row;
    size_t at = 0;
    int rc = stmt(s, "SELECT f.decision_id, p.name, f.role, f.text, f.due FROM decision d "
                     "JOIN followup f ON f.decision_id = d.id JOIN person p ON p.id = f.person_id "
                     "WHERE d.case_id = ?1 ORDER BY d.pos, f.pos", &fs, e);
    if (rc < 0 || c->ndecisions == 0)
        return rc;
    sqlite3_bind_int64(fs, 1, id);
    while ((rc = next_row(s, fs, &row, e, "reading follow-ups")) == 0 && row) {
        long k = owner_of(ids, c->ndecisions, &at, sqlite3_column_int64(fs, 0));
        if (k >= 0)
            read_followup_row(fs, decision_add_followup(&c->decisions[k]));
    }
    fin(fs);
    return rc;
}

static int load_decisions(struct store *s, int64_t id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st, *es;
    bool row;
    int64_t *dids = NULL, *eids = NULL;
    struct entry_at *entries = NULL;
    size_t dcap = 0, ne = 0, ecap = 0, ecap2 = 0, at = 0;
    int rc = stmt(s, "SELECT id, body, date, text FROM decision WHERE case_id = ?1 ORDER BY pos", &st, e);
    if (rc == 0)
        rc = stmt(s, "SELECT en.decision_id, en.id, en.title, en.subitem, en.text FROM decision d "
                     "JOIN entry en ON en.decision_id = d.id WHERE d.case_id = ?1 "
                     "ORDER BY d.pos, en.pos", &es, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = next_row(s, st, &row, e, "reading decisions")) == 0 && row) {
        struct decision *d = case_add_decision(c);
        d->body = col_str(st, 1);
        d->date = col_str(st, 2);
        d->text = col_str(st, 3);
        dids = grow(dids, c->ndecisions - 1, &dcap, sizeof *dids);
        dids[c->ndecisions - 1] = sqlite3_column_int64(st, 0);
    }
    fin(st);
    if (rc == 0 && c->ndecisions) {
        sqlite3_bind_int64(es, 1, id);
        while ((rc = next_row(s, es, &row, e, "reading decision entries")) == 0 && row) {
            long k = owner_of(dids, c->ndecisions, &at, sqlite3_column_int64(es, 0));
            if (k < 0)
                continue;
            struct entry *en = decision_add_entry(&c->decisions[k]);
            en->title = col_str(es, 2);
            en->subitem = (size_t)sqlite3_column_int64(es, 3);
            en->text = col_str(es, 4);
            eids = grow(eids, ne, &ecap, sizeof *eids);
            entries = grow(entries, ne, &ecap2, sizeof *entries);
            eids[ne] = sqlite3_column_int64(es, 1);
            entries[ne++] = (struct entry_at){(size_t)k, c->decisions[k].nentries - 1};
        }
        fin(es);
    }
    if (rc == 0)
        rc = load_entry_parts(s, id, c, entries, eids, ne, e);
    if (rc == 0)
        rc = load_decision_followups(s, id, c, dids, e);
    free(dids);
    free(eids);
    free(entries);
    return rc;
}

static int load_attachments(struct store *s, int64_t id, enum audience a, struct case_doc *c,
                            struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s, "SELECT number, public, title, journal, flag, document FROM attachment WHERE case_id = ?1 ORDER BY pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = next_row(s, st, &row, e, "reading attachments")) == 0 && row) {
        struct attachment *at = case_add_attachment(c);
        at->number = (unsigned)sqlite3_column_int64(st, 0);
        at->public = sqlite3_column_int(st, 1) != 0;
        at->title = col_str(st, 2);
        /* A closed attachment's metadata is not fetched for the public at all. */
        if (a == AUDIENCE_PUBLIC && !at->public)
            continue;
        at->journal = col_str(st, 3);
        at->flag = col_str(st, 4);
        at->document = col_str(st, 5);
    }
    fin(st);
    return rc;
}

/* Rebuilds a case's model from its rows inside the caller's transaction: in full
 * (AUDIENCE_STAFF), or reading only what the public may see. */
static int load_case_as(struct store *s, int64_t id, enum audience a, struct case_doc **out,
                        struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    struct case_doc *c = NULL;
    int rc = stmt(s, "SELECT title, public, presentation, intro, has_table, recommendation, "
                     "has_attachments, layout_format, layout_base, public_title, public_text "
                     "FROM \"case\" WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = first_row(s, st, e, "reading a case", "no case with id %lld", (long long)id)) < 0) {
        fin(st);
        return rc;
    }
    c = case_new();
    c->public = sqlite3_column_int(st, 1) != 0;
    c->public_text = col_str(st, 10);
    if (a == AUDIENCE_PUBLIC && !c->public) {
        /* What the public reads of a closed case: its public title, else its title. */
        c->title = col_str(st, sqlite3_column_type(st, 9) != SQLITE_NULL ? 9 : 0);
    } else {
        c->title = col_str(st, 0);
        c->public_title = col_str(st, 9);
    }
    if (a == AUDIENCE_STAFF || c->public) {
        c->presentation = col_str(st, 2);
        c->intro = col_str(st, 3);
        c->has_table = sqlite3_column_int(st, 4) != 0;
        c->recommendation = col_str(st, 5);
        c->has_attachments = sqlite3_column_int(st, 6) != 0;
        if (a == AUDIENCE_STAFF) {
            c->layout.format = col_str(st, 7);
            c->layout.base = col_str(st, 8);
        }
    }
    fin(st);
    /* For the public a closed case is its public title and text: nothing else is read. */
    if (a == AUDIENCE_PUBLIC && !c->public) {
        if ((rc = pub_closed_view(s, id, &c, e)) < 0) { /* issue 9, publication: levels */
            case_free(c);
            return rc;
        }
        *out = c;
        return 0;
    }
    if ((rc = stmt(s, "SELECT code FROM route WHERE case_id = ?1 ORDER BY pos", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = next_row(s, st, &row, e, "reading the route")) == 0 && row)
        *case_add_route(c) = col_str(st, 0);
    fin(st);
    if (rc == 0 && a == AUDIENCE_STAFF)
        rc = load_hunks(s, id, c, e);
    if (rc == 0)
        rc = load_subitems(s, id, c, e);
    if (rc == 0)
        rc = load_decisions(s, id, c, e);
    if (rc == 0)
        rc = load_attachments(s, id, a, c, e);
    if (rc == 0)
        rc = load_case_parts(s, id, c, e);
    if (rc == 0) /* ---- issue 9, minutes: the tillæg ---- */
        rc = minutes_load_additions(s, id, c, e);
    if (rc == 0)
        rc = pub_case_fields(s, id, c, e); /* issue 9, publication: the levels */
    if (rc == 0)
        rc = live_case_load(s, id, c, e); /* issue 9, live: actual times */
    if (rc == 0)
        rc = sdg_case_load(s, id, c, e); /* issue 10, sdg: the verdensmål */
done:
    if (rc < 0) {
        case_free(c);
        return rc;
    }
    if (a == AUDIENCE_PUBLIC) {
        /* The one rule for what the public sees (case_view) has the last word. */
        struct case_doc *v = case_view(c, a);
        case_free(c);
        c = v;
        if ((rc = pub_public_case(s, id, c, e)) < 0) { /* issue 9, publication: minutes */
            case_free(c);
            return rc;
        }
    }
    *out = c;
    return 0;
}


int load_case(struct store *s, int64_t id, struct case_doc **out, struct err *e)
{
    return load_case_as(s, id, AUDIENCE_STAFF, out, e);
}

/* How much of case id the reader may see: *listed (it exists for them: ERR_NOTFOUND if not),
 * *full (its content, as the public sees an open case), *sees (its closed content too: the
 * reader holds a role on one of its bodies). */
struct access {
    bool listed, full, sees;
};

static int case_access(struct store *s, int64_t id, const struct reader *r, struct access *ac,
                       struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " CASE_LISTED("c", "?2") ", " CASE_FULL("c", "?2") ", "
                     SEES_CASE("c", "?2") " FROM \"case\" c WHERE c.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_reader(st, 2, r);
    rc = first_row(s, st, e, "reading a case", "no case with id %lld", (long long)id);
    if (rc == 0) {
        ac->listed = sqlite3_column_int(st, 0) != 0;
        ac->full = sqlite3_column_int(st, 1) != 0;
        ac->sees = sqlite3_column_int(st, 2) != 0;
    }
    fin(st);
    if (rc == 0 && !ac->listed)
        rc = notfound(s, e, "no case with id %lld", (long long)id);
    return rc;
}

int store_case_get(struct store *s, int64_t id, const struct reader *r, struct case_doc **out,
                   struct err *e)
{
    struct access ac;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = case_access(s, id, r, &ac, e);
    if (rc == 0)
        rc = load_case_as(s, id, ac.sees ? AUDIENCE_STAFF : AUDIENCE_PUBLIC, out, e);
    read_end(s);
    return rc;
}

static bool all_digits(const char *p)
{
    if (!*p)
        return false;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

int store_case_lookup(struct store *s, const char *id_or_key, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool by_id = all_digits(id_or_key) && strlen(id_or_key) < 18;
    int rc = stmt(s, by_id ? "SELECT id FROM \"case\" WHERE id = ?1 UNION ALL "
                             "SELECT id FROM \"case\" WHERE key = ?2"
                           : "SELECT id FROM \"case\" WHERE key = ?2", &st, e);
    if (rc < 0)
        return rc;
    if (by_id)
        sqlite3_bind_int64(st, 1, strtoll(id_or_key, NULL, 10));
    bind_str(st, 2, id_or_key);
    rc = first_row(s, st, e, "looking up a case", "no case with id or key '%s'", id_or_key);
    if (rc == 0)
        *id = sqlite3_column_int64(st, 0);
    fin(st);
    return rc;
}

#define CASE_REF_COLS CASE_REF_FIELDS "FROM \"case\" c LEFT JOIN body b ON b.id = c.body_id "

static void read_case_ref(sqlite3_stmt *st, void *elem)
{
    struct store_case_ref *r = elem;
    r->id = sqlite3_column_int64(st, 0);
    r->key = col_str(st, 1);
    r->title = col_str(st, 2);
    r->public = sqlite3_column_int(st, 3) != 0;
    r->visible = sqlite3_column_int(st, 4) != 0;
    r->sees_closed = sqlite3_column_int(st, 5) != 0;
    r->published = sqlite3_column_int(st, 6) != 0;
    r->state = col_str(st, 7);
    r->body = col_str(st, 8);
    r->date = col_str(st, 9);
    r->version = sqlite3_column_int(st, 10);
    r->subitems = col_str(st, 11);
    r->nsubitems = (unsigned)sqlite3_column_int(st, 12);
}

static void case_refs_free(void *v, size_t n)
{
    store_case_refs_free(v, n);
}

static const struct rowtype case_ref_rows = {sizeof(struct store_case_ref), "listing cases",
                                             read_case_ref, case_refs_free};

int collect_refs(struct store *s, sqlite3_stmt *st, struct store_case_ref **v, size_t *n,
                 struct err *e)
{
    void *out;
    int rc = collect(s, st, &case_ref_rows, &out, n, e);
    if (rc == 0)
        *v = out;
    return rc;
}

int store_case_ref_get(struct store *s, int64_t id, const struct reader *r,
                       struct store_case_ref *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " CASE_REF_COLS "WHERE c.id = ?1 AND " CASE_LISTED("c", "?9"),
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_reader(st, 9, r);
    rc = first_row(s, st, e, "listing cases", "no case with id %lld", (long long)id);
    if (rc == 0)
        read_case_ref(st, out);
    fin(st);
    return rc;
}

int store_case_roles(struct store *s, int64_t id, const struct reader *r, int *roles,
                     struct err *e)
{
    struct access ac;
    sqlite3_stmt *st = NULL;
    bool row;
    int acc = 0;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = case_access(s, id, r, &ac, e);
    if (rc == 0 && (rc = stmt(s, "SELECT body_id FROM case_body WHERE case_id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        while ((rc = next_row(s, st, &row, e, "reading a case's bodies")) == 0 && row)
            acc |= reader_roles(r, sqlite3_column_int64(st, 0));
        fin(st);
    }
    read_end(s);
    if (rc == 0)
        *roles = r && r->all ? ROLE_ALL : acc;
    return rc;
}

int store_cases(struct store *s, const struct reader *r, const struct store_page *pg,
                struct store_case_ref **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = read_begin(s, e);
    /* ---- issue 11, paging: a capped count; newest first walks case_date_visibility backwards
     * (NULL dates, sorting lowest, come last as before), so the LIMIT stops the walk, and
     * picks the window's ids from the index alone before reading their rows ---- */
    if (rc == 0 && total &&
        (rc = stmt(s, COUNT_CAPPED("FROM \"case\" c INDEXED BY case_date_visibility WHERE "
                                   CASE_LISTED("c", "?9")), &st,
                   e)) == 0) {
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0)
        rc = stmt(s, "SELECT " CASE_REF_FIELDS "FROM (SELECT c.id AS kid, c.date AS kd "
                     "FROM \"case\" c INDEXED BY case_date_visibility WHERE " CASE_LISTED("c", "?9")
                     " ORDER BY c.date DESC, c.id DESC LIMIT ?1 OFFSET ?2) k "
                     "JOIN \"case\" c ON c.id = k.kid LEFT JOIN body b ON b.id = c.body_id "
                     "ORDER BY k.kd DESC, k.kid DESC",
                  &st, e);
    if (rc == 0) {
        bind_page_capped(st, 1, 2, pg); /* ---- end of issue 11, paging ---- */
        bind_reader(st, 9, r);
        rc = collect_refs(s, st, v, n, e);
    }
    read_end(s);
    return rc;
}

int store_case_list(struct store *s, const struct store_case_filter *f, const struct reader *r,
                    const struct store_page *pg, struct store_case_ref **v, size_t *n,
                    size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = read_begin(s, e);
#define WORK_FILTER                                                                          \
    "WHERE (CASE WHEN ?6 THEN EXISTS (SELECT 1 FROM case_caveat k WHERE k.case_id = c.id) "  \
    "ELSE c.authored END) AND (?3 IS NULL OR c.state = ?3) AND (?4 = 0 OR c.created_by = ?4) " \
    "AND EXISTS (SELECT 1 FROM case_body cb WHERE cb.case_id = c.id "                        \
    "AND reader_can(?9, cb.body_id, ?5))"
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM \"case\" c " WORK_FILTER, &st, e)) == 0) {
        bind_str(st, 3, f->state);
        sqlite3_bind_int64(st, 4, f->created_by);
        sqlite3_bind_int(st, 5, f->roles);
        sqlite3_bind_int(st, 6, f->caveats);
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0)
        rc = stmt(s, "SELECT " CASE_REF_COLS WORK_FILTER
                     " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?1 OFFSET ?2", &st, e);
    if (rc == 0) {
        bind_page(st, 1, 2, pg);
        bind_str(st, 3, f->state);
        sqlite3_bind_int64(st, 4, f->created_by);
        sqlite3_bind_int(st, 5, f->roles);
        sqlite3_bind_int(st, 6, f->caveats);
        bind_reader(st, 9, r);
        rc = collect_refs(s, st, v, n, e);
    }
    read_end(s);
    return rc;
}

/* ---- sources and history ---- */

static int closed_err(struct store *s, struct err *e)
{
    return fail(s, e, ERR_CLOSED, "the case or its source holds closed content");
}

int store_source_get(struct store *s, int64_t case_id, int version, const struct reader *r,
                     struct store_source *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_source src = {0};
    struct access ac = {0};
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = case_access(s, case_id, r, &ac, e);
    if (rc == 0)
        rc = stmt(s, "SELECT s.id, s.version, s.name, s.format, s.hash, s.imported_at, s.bytes, "
                     "s.actor, s.packed, s.size FROM source s " /* issue 11, storage */
                     "JOIN \"case\" c ON c.id = s.case_id WHERE s.case_id = ?1 AND s.version = "
                     "CASE WHEN ?2 > 0 THEN ?2 ELSE c.version END", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int(st, 2, version);
        rc = first_row(s, st, e, "reading a source", "no version %d of case %lld", version,
                       (long long)case_id);
        if (rc == 0 && !ac.full)
            rc = closed_err(s, e);
        if (rc == 0) {
            src.id = sqlite3_column_int64(st, 0);
            src.version = sqlite3_column_int(st, 1);
            src.name = col_str(st, 2);
            src.format = col_str(st, 3);
            src.hash = col_str(st, 4);
            src.imported_at = col_str(st, 5);
            src.bytes = col_source(st, 6, 8, 9, &src.len); /* issue 11, storage */
            src.actor = col_str(st, 7);
            if (!src.bytes)
                rc = fail(s, e, ERR_DB, "case %lld: its source does not unpack (a damaged "
                                        "archive; run `referat db check`)", (long long)case_id);
        }
        fin(st);
    }
    read_end(s);
    /* A public case's source may still hold a closed attachment's numbers. */
    if (rc == 0 && !ac.sees && !store_source_is_public(src.format, src.bytes, src.len))
        rc = closed_err(s, e);
    if (rc == 0 && !ac.sees) /* issue 9, publication: no minutes before they are published */
        rc = pub_public_source(s, case_id, &src, e);
    if (rc < 0) {
        store_source_fini(&src);
        return rc;
    }
    *out = src;
    return 0;
}

static void read_version(sqlite3_stmt *st, void *elem)
{
    struct store_version *ver = elem;
    ver->version = sqlite3_column_int(st, 0);
    ver->imported_at = col_str(st, 1);
    ver->name = col_str(st, 2);
    ver->format = col_str(st, 3);
    ver->hash = col_str(st, 4);
    ver->size = (size_t)sqlite3_column_int64(st, 5);
    ver->actor = col_str(st, 6);
}

static void versions_free(void *v, size_t n)
{
    store_versions_free(v, n);
}

static const struct rowtype version_rows = {sizeof(struct store_version), "reading the history",
                                            read_version, versions_free};

int store_versions(struct store *s, int64_t case_id, const struct reader *r,
                   struct store_version **v, size_t *n, struct err *e)
{
    struct access ac;
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = case_access(s, case_id, r, &ac, e);
    if (rc == 0 && !ac.full)
        rc = closed_err(s, e);
    if (rc == 0)
        rc = stmt(s, "SELECT version, imported_at, name, format, hash, size, actor FROM source "
                     "WHERE case_id = ?1 ORDER BY version", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        if ((rc = collect(s, st, &version_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_case_get_version(struct store *s, int64_t case_id, int version,
                           const struct reader *r, struct case_doc **out, struct err *e)
{
    struct store_source src = {0};
    int current = 0;
    struct access ac = {0};
    sqlite3_stmt *st = NULL;
    bool row;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = case_access(s, case_id, r, &ac, e);
    if (rc == 0 && (rc = stmt(s, "SELECT version FROM \"case\" WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        if ((rc = next_row(s, st, &row, e, "reading a case")) == 0 && row)
            current = sqlite3_column_int(st, 0);
        fin(st);
    }
    read_end(s);
    if (rc < 0)
        return rc;
    if (version <= 0 || version == current)
        return store_case_get(s, case_id, r, out, e);
    /* Earlier versions live as their sources: the model is read from the stored bytes. */
    if ((rc = store_source_get(s, case_id, version, &reader_all, &src, e)) < 0)
        return rc;
    const struct fmt_reader *fr = fmt_reader_find(src.format);
    struct case_doc *c = NULL;
    struct warnings w = {0};
    struct err pe = {0};
    if (!fr || fmt_read(fr, src.bytes, src.len, 0, &c, &pe, &w) < 0)
        rc = fail(s, e, ERR_DB, "version %d of case %lld can no longer be read (%s)", version,
                  (long long)case_id, fr ? "the reader rejects it" : "unknown format");
    warnings_fini(&w);
    store_source_fini(&src);
    if (rc < 0)
        return rc;
    if (!ac.sees) {
        struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
        case_free(c);
        c = v;
        if ((rc = pub_public_case(s, case_id, c, e)) < 0) { /* issue 9, publication */
            case_free(c);
            return rc;
        }
    }
    *out = c;
    return 0;
}

/* ---- attachments' files ---- */

int store_attachment_get(struct store *s, int64_t case_id, unsigned number,
                         const struct reader *r, struct store_file *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    /* One answer for everything the reader may not have: a closed attachment, a number the
     * case does not list, a file not stored, an unpublished case. */
    int rc = stmt(s, "SELECT f.filename, f.mime, f.bytes FROM attachment_file f "
                     "JOIN \"case\" c ON c.id = f.case_id "
                     "WHERE f.case_id = ?1 AND f.number = ?2 AND (" SEES_CASE("c", "?3") " OR "
                     "(c.published AND c.public AND EXISTS (SELECT 1 FROM attachment t "
                     "WHERE t.case_id = f.case_id AND t.number = f.number) AND NOT EXISTS "
                     "(SELECT 1 FROM attachment t WHERE t.case_id = f.case_id "
                     "AND t.number = f.number AND (NOT t.public "
                     "OR t.publication IN ('titel', 'ingen', 'beslutning')))))", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, number);
    bind_reader(st, 3, r);
    rc = first_row(s, st, e, "reading an attachment's file",
                   "no file for attachment %u of case %lld", number, (long long)case_id);
    if (rc == 0) {
        out->filename = col_str(st, 0);
        out->mime = col_str(st, 1);
        out->bytes = col_bytes(st, 2, &out->len);
    }
    fin(st);
    return rc;
}

/* ---- cases written in referat ---- */

/* Meeting states after which a case's content is frozen: approved minutes are corrected
 * only by addition (RULES-DK.md). */
#define FROZEN_STATES "('referat_godkendt', 'offentliggjort')"

/* The key of a new case: "sag-ID", or with a suffix when an imported file took that name. */
static int new_key(struct store *s, int64_t id, struct err *e)
{
    sqlite3_stmt *st;
    int rc = 0;
    for (int k = 0; k < 100; k++) {
        char key[64];
        if (k)
            snprintf(key, sizeof key, "sag-%lld-%d", (long long)id, k + 1);
        else
            snprintf(key, sizeof key, "sag-%lld", (long long)id);
        if ((rc = stmt(s, "UPDATE OR IGNORE \"case\" SET key = ?2 WHERE id = ?1", &st, e)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, key);
        if ((rc = run(s, st, e, "naming the case")) < 0)
            return rc;
        if (sqlite3_changes(s->db) > 0)
            return 0;
    }
    return fail(s, e, ERR_CONFLICT, "no free key for case %lld", (long long)id);
}

struct case_row {
    int version;
    bool authored;
    char *state;
    int64_t created_by, body_id;
    bool frozen;
};

static int case_row_get(struct store *s, int64_t id, struct case_row *r, struct err *e)
{
    sqlite3_stmt *st;
    memset(r, 0, sizeof *r);
    int rc = stmt(s, "SELECT version, authored, state, created_by, body_id, EXISTS (SELECT 1 "
                     "FROM agenda a JOIN meeting m ON m.id = a.meeting_id WHERE a.case_id = ?1 "
                     "AND m.state IN " FROZEN_STATES ") FROM \"case\" WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "reading a case", "no case with id %lld", (long long)id);
    if (rc == 0) {
        r->version = sqlite3_column_int(st, 0);
        r->authored = sqlite3_column_int(st, 1) != 0;
        r->state = col_str(st, 2);
        r->created_by = sqlite3_column_int64(st, 3);
        r->body_id = sqlite3_column_int64(st, 4);
        r->frozen = sqlite3_column_int(st, 5) != 0;
    }
    fin(st);
    return rc;
}

/* The stale-save error: who saved the version the editor does not know, and when. */
static int conflict(struct store *s, int64_t id, int current, int base, struct err *e)
{
    sqlite3_stmt *st;
    char who[80] = "?", when[32] = "?";
    bool row;
    if (stmt(s, "SELECT actor, imported_at FROM source WHERE case_id = ?1 AND version = ?2",
             &st, NULL) == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, current);
        if (next_row(s, st, &row, NULL, "reading a case") == 0 && row) {
            const char *a = (const char *)sqlite3_column_text(st, 0);
            const char *t = (const char *)sqlite3_column_text(st, 1);
            snprintf(who, sizeof who, "%s", a ? a : "?");
            snprintf(when, sizeof when, "%s", t ? t : "?");
        }
        fin(st);
    }
    return fail(s, e, ERR_CONFLICT,
                "case %lld was saved by %s at %s (version %d) after you opened version %d; "
                "nothing was saved: reload it and make your change again",
                (long long)id, who, when, current, base);
}

/* What an authored case must hold (model/authored.h), against the times of its meeting
 * (meeting_id, or the latest meeting whose agenda has case_id). The message ends with the
 * path of the field, as the JSON reader's do: "... at $.subitems[1].time". */
static int check_authored(struct store *s, int64_t meeting_id, int64_t case_id,
                          const struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    int start = TT_NONE, end = TT_NONE;
    int rc = stmt(s, meeting_id ? "SELECT start, \"end\" FROM meeting WHERE id = ?1"
                                : "SELECT m.start, m.\"end\" FROM meeting m JOIN agenda g ON "
                                  "g.meeting_id = m.id WHERE g.case_id = ?2 ORDER BY m.date "
                                  "DESC LIMIT 1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    sqlite3_bind_int64(st, 2, case_id);
    bool row;
    if ((rc = next_row(s, st, &row, e, "reading a meeting's times")) == 0 && row) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        start = a ? tt_parse(a) : TT_NONE;
        end = b ? tt_parse(b) : TT_NONE;
    }
    fin(st);
    if (rc < 0)
        return rc;
    struct authored_problem p;
    if (authored_check(c, start < 0 ? TT_NONE : start, end < 0 ? TT_NONE : end, &p) == 0)
        return 0;
    char path[96];
    authored_path(&p, path, sizeof path);
    return fail(s, e, ERR_USAGE, "%s at %s", p.message, path);
}

/* Whether a new case of the body needs sign-off: the body setting case.signoff (on by
 * default, off for the Direktion, whose secretariat writes its cases itself). */
static int signoff_required(struct store *s, int64_t body_id, bool *required, struct err *e)
{
    sqlite3_stmt *st;
    char *code = NULL, *v = NULL;
    int rc = stmt(s, "SELECT code FROM body WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    rc = first_row(s, st, e, "reading the body's settings", "no body with id %lld",
                   (long long)body_id);
    if (rc == 0)
        code = col_str(st, 0);
    fin(st);
    if (rc == 0 && (rc = store_body_setting_get(s, code, "case.signoff", &v, e)) == 0)
        *required = !v || strcmp(v, "0") != 0;
    free(code);
    free(v);
    return rc;
}

/* The save inside the caller's transaction (store_case_save, and the bilag writes that change
 * the model together with a file): action names the ledger event (NULL: case.save or
 * case.create), extra (taken; may be NULL) is merged into its detail. */
static int case_save_tx(struct store *s, const struct store_save *sv,
                        const struct store_actor *a, const char *action, json_t *extra,
                        int64_t *case_id_out, int *version_out, struct err *e)
{
    const struct case_doc *c = sv->model;
    struct case_row row = {0};
    struct store_followup_match *old = NULL;
    size_t nold = 0;
    int64_t id = sv->case_id, body_id = 0, event_id = 0;
    char *detail = NULL;
    struct buf json = BUF_INIT;
    sqlite3_stmt *st;
    int rc = 0;
    if (!c || !c->title || !*c->title) {
        json_decref(extra);
        return fail(s, e, ERR_USAGE, "title: a case needs a title");
    }
    if (id) {
        if ((rc = case_row_get(s, id, &row, e)) < 0)
            goto done;
        body_id = row.body_id;
        int roles = actor_roles(a, body_id);
        bool own_draft = (roles & ROLE_SAGSBEHANDLER) && a && a->account_id &&
                         row.created_by == a->account_id && row.state &&
                         strcmp(row.state, "kladde") == 0;
        if (!row.authored)
            rc = fail(s, e, ERR_DENIED, "case %lld holds imported minutes: import a new "
                      "version of its document to change it", (long long)id);
        else if (!(roles & ROLE_SEKRETAER) && !own_draft)
            rc = fail(s, e, ERR_DENIED, "saving case %lld needs the role sekretaer on its body "
                      "(or sagsbehandler, for your own draft)", (long long)id);
        else if ((rc = minutes_save_check(s, id, row.frozen, action, e)) < 0)
            ; /* ---- issue 9, minutes: approved minutes take only a tillæg; out for approval none */
        else if (row.version != sv->base_version)
            rc = conflict(s, id, row.version, sv->base_version, e);
        if (rc == 0)
            rc = clear_case(s, id, &old, &nold, e);
    } else {
        char *mstate = NULL;
        if (sv->meeting_id) {
            if ((rc = stmt(s, "SELECT body_id, state FROM meeting WHERE id = ?1", &st, e)) == 0) {
                sqlite3_bind_int64(st, 1, sv->meeting_id);
                rc = first_row(s, st, e, "saving a case", "no meeting with id %lld",
                               (long long)sv->meeting_id);
                if (rc == 0) {
                    body_id = sqlite3_column_int64(st, 0);
                    mstate = col_str(st, 1);
                }
                fin(st);
            }
        } else if ((rc = body_id_of(s, sv->body ? sv->body : "", &body_id, e)) == 0 && !body_id) {
            rc = notfound(s, e, "no body with code '%s'", sv->body ? sv->body : "");
        }
        if (rc == 0 && !(actor_roles(a, body_id) & (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER)))
            rc = fail(s, e, ERR_DENIED, "a new case needs the role sekretaer or sagsbehandler "
                                        "on its body");
        if (rc == 0 && mstate &&
            (strcmp(mstate, "aflyst") == 0 || strcmp(mstate, "referat_godkendt") == 0 ||
             strcmp(mstate, "offentliggjort") == 0))
            rc = fail(s, e, ERR_DENIED, "meeting %lld is %s: it takes no new cases",
                      (long long)sv->meeting_id, mstate);
        if (rc == 0 && mstate) /* ---- issue 9, minutes: none while out for approval ---- */
            rc = minutes_new_case_check(s, sv->meeting_id, mstate, e);
        free(mstate);
    }
    if (rc == 0)
        rc = check_authored(s, sv->case_id ? 0 : sv->meeting_id, sv->case_id, c, e);
    if (rc < 0)
        goto done;
    /* The whole model, as the source of this version. Layout belongs to imported text. The
     * JSON must read back (every later version, export and history depends on it), so what
     * the reader refuses is refused here, with its path: "$.title: expected ...". */
    struct case_doc *m = case_dup(c);
    layout_fini(&m->layout);
    fmt_write(&fmt_write_json, m, FMT_NOLAYOUT, &json);
    {
        struct case_doc *back = NULL;
        struct warnings w = {0};
        struct err je = {0};
        if (fmt_read(&fmt_read_json, json.ptr ? json.ptr : "", json.len,
                     FMT_NOLAYOUT | FMT_NOEXTRACT, &back, &je, &w) < 0) {
            rc = fail(s, e, ERR_USAGE, "the case cannot be stored as it is: %s", je.msg);
            case_free(m);
        }
        case_free(back);
        warnings_fini(&w);
        if (rc < 0)
            goto done;
    }
    int version = row.version + 1;
    char key[32];
    snprintf(key, sizeof key, "new-%lld", (long long)version); /* renamed below */
    rc = case_row_write(s, &id, row.authored ? NULL : key, version, m, e);
    case_free(m);
    if (rc < 0)
        goto done;
    if (!sv->case_id) {
        if ((rc = stmt(s, "UPDATE \"case\" SET authored = 1, state = 'kladde', published = 0, "
                          "created_by = ?2, body_id = ?3 WHERE id = ?1", &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, id);
            bind_id(st, 2, a ? a->account_id : 0);
            sqlite3_bind_int64(st, 3, body_id);
            rc = run(s, st, e, "saving a case");
        }
        if (rc == 0)
            rc = new_key(s, id, e);
        /* Without sign-off, the sekretær's case on a meeting is on its agenda at once (a
         * person's: the archive's own tools, `referat case new`, start every case as kladde). */
        bool signoff = true;
        if (rc == 0 && sv->meeting_id && a && a->account_id &&
            (actor_roles(a, body_id) & ROLE_SEKRETAER) &&
            (rc = signoff_required(s, body_id, &signoff, e)) == 0 && !signoff &&
            (rc = stmt(s, "UPDATE \"case\" SET state = 'paa_dagsorden' WHERE id = ?1", &st,
                       e)) == 0) {
            sqlite3_bind_int64(st, 1, id);
            rc = run(s, st, e, "putting the case on the agenda");
        }
        if (rc == 0 && sv->meeting_id)
            rc = agenda_join(s, sv->meeting_id, id, e);
    }
    if (rc < 0)
        goto done;
    char object[40], name[48], tools[80];
    snprintf(object, sizeof object, "case:%lld", (long long)id);
    snprintf(name, sizeof name, "sag-%lld.json", (long long)id);
    json_t *o = sv->meeting_id && !sv->case_id ? json_pack("{s:I}", "meeting",
                                                           (json_int_t)sv->meeting_id)
                                               : json_object();
    if (extra) {
        json_object_update(o, extra);
        json_decref(extra);
        extra = NULL;
    }
    detail = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    struct event ev = {.action = action ? action : sv->case_id ? "case.save" : "case.create",
                       .object = object,
                       .before = row.version, .after = version, .detail = detail};
    if ((rc = ledger_append(s, a, &ev, &event_id, e)) < 0)
        goto done;
    if ((rc = put_source(s, id, version, name, "json", json.ptr ? json.ptr : "", json.len,
                         actor_name(a, tools), event_id, e)) < 0)
        goto done;
    if ((rc = put_case(s, id, c, old, nold, e)) < 0)
        goto done;
    if ((rc = pub_case_put(s, id, c, e)) < 0) /* issue 9, publication: the levels */
        goto done;
    if ((rc = live_case_put(s, id, c, e)) < 0) /* issue 9, live: actual times */
        goto done;
    if ((rc = case_bodies_update(s, id, e)) < 0)
        goto done;
    if ((rc = index_case(s, id, c, e)) < 0)
        goto done;
    /* A case on a released agenda is public: what it says is checked like the release. */
    if ((rc = release_guard_case(s, id, e)) < 0)
        goto done;
    if ((rc = invitations_sync(s, id, e)) < 0) /* its guests' invitations (issue 8) */
        goto done;
    if (case_id_out)
        *case_id_out = id;
    if (version_out)
        *version_out = version;
done:
    json_decref(extra);
    free(row.state);
    free(detail);
    buf_free(&json);
    store_followup_matches_free(old, nold);
    return rc;
}

int store_case_save(struct store *s, const struct store_save *sv, const struct store_actor *a,
                    int64_t *case_id_out, int *version_out, struct err *e)
{
    int64_t id = 0;
    int version = 0;
    if (!sv->model || !sv->model->title || !*sv->model->title)
        return fail(s, e, ERR_USAGE, "title: a case needs a title");
    int rc = write_begin(s, e, "saving a case");
    if (rc < 0)
        return rc;
    if ((rc = case_save_tx(s, sv, a, NULL, NULL, &id, &version, e)) == 0)
        rc = write_commit(s, e, "saving a case");
    else
        rollback(s);
    if (rc == 0) {
        if (case_id_out)
            *case_id_out = id;
        if (version_out)
            *version_out = version;
    }
    return rc;
}

/* ---- editor (issue 8) ---- */

int store_case_meeting(struct store *s, int64_t case_id, const struct reader *r,
                       int64_t *meeting_id, struct err *e)
{
    int roles = 0;
    int rc = store_case_roles(s, case_id, r, &roles, e);
    sqlite3_stmt *st;
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT m.id FROM agenda a JOIN meeting m ON m.id = a.meeting_id WHERE "
                      "a.case_id = ?1 ORDER BY m.date DESC, m.id DESC LIMIT 1", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    int64_t id = 0;
    bool found = false;
    if ((rc = one_int(s, st, &id, &found, e, "finding the case's meeting")) == 0)
        *meeting_id = found ? id : 0;
    return rc;
}

int store_attachment_limit(struct store *s, size_t *bytes, struct err *e)
{
    char *v = NULL;
    int rc = store_setting_get(s, "attachment.max_mb", &v, e);
    if (rc < 0)
        return rc;
    unsigned long mb = v && *v ? strtoul(v, NULL, 10) : 50;
    free(v);
    if (mb == 0 || mb > 4096)
        mb = 50;
    *bytes = (size_t)mb << 20;
    return 0;
}

/* Blank or NULL as NULL, else a copy. */
static char *opt_dup(const char *v)
{
    return v && *v ? xstrdup(v) : NULL;
}

int store_case_attachment_upload(struct store *s, const struct store_attachment_upload *u,
                                 const struct store_actor *a, unsigned *number_out,
                                 struct err *e)
{
    char type[128] = "";
    size_t limit = 0;
    int rc = 0;
    if ((!u->number || u->title) && (!u->title || !*u->title))
        return fail(s, e, ERR_USAGE, "title: a bilag needs a title");
    if (!u->number && !u->bytes)
        return fail(s, e, ERR_USAGE, "file: a new bilag needs a file");
    if (u->bytes) {
        if ((rc = store_attachment_limit(s, &limit, e)) < 0)
            return rc;
        if (u->len > limit)
            return fail(s, e, ERR_LIMIT, "file: %zu bytes is more than the limit of %zu MB",
                        u->len, limit >> 20);
        if ((rc = mime_sniff(u->bytes, u->len, type, sizeof type, e)) < 0)
            return rc;
        if (!mime_allowed(type))
            return fail(s, e, ERR_SYNTAX, "file: its content is %s, which is not a PDF, an "
                                          "Office document or an image", type);
    }
    struct case_doc *m = NULL;
    if ((rc = write_begin(s, e, "storing a bilag")) < 0)
        return rc;
    if ((rc = load_case(s, u->case_id, &m, e)) < 0)
        goto done;
    struct attachment *at = NULL;
    unsigned number = u->number, last = 0;
    for (size_t i = 0; i < m->nattachments; i++) {
        if (m->attachments[i].number > last)
            last = m->attachments[i].number;
        if (number && m->attachments[i].number == number)
            at = &m->attachments[i];
    }
    if (number && !at) {
        rc = fail(s, e, ERR_USAGE, "case %lld has no bilag %u", (long long)u->case_id, number);
        goto done;
    }
    if (!at) {
        if (last >= CASE_MAX_ATTACHMENT) {
            rc = fail(s, e, ERR_LIMIT, "case %lld has too many bilag", (long long)u->case_id);
            goto done;
        }
        at = case_add_attachment(m);
        at->number = number = last + 1;
    }
    if (u->title) { /* else: a new file for the bilag as it is (the write API's PUT) */
        free(at->title);
        free(at->journal);
        free(at->flag);
        free(at->document);
        at->title = xstrdup(u->title);
        at->public = u->public;
        /* As the exports write them: an empty journal number or flag is "()", a missing
         * document number no line at all. */
        at->journal = u->journal ? xstrdup(u->journal) : NULL;
        at->flag = u->flag ? xstrdup(u->flag) : NULL;
        at->document = opt_dup(u->document);
    }
    m->has_attachments = true;
    char hash[65] = "";
    if (u->bytes)
        store_hash(u->bytes, u->len, hash);
    struct store_save sv = {.case_id = u->case_id, .base_version = u->base_version, .model = m};
    json_t *extra = u->bytes ? json_pack("{s:I,s:s,s:s,s:I}", "attachment", (json_int_t)number,
                                         "mime", type, "hash", hash, "size", (json_int_t)u->len)
                             : json_pack("{s:I}", "attachment", (json_int_t)number);
    if ((rc = case_save_tx(s, &sv, a, "case.attachment", extra, NULL, NULL, e)) < 0)
        goto done;
    if (u->bytes) {
        sqlite3_stmt *st;
        if ((rc = stmt(s, "INSERT OR REPLACE INTO attachment_file (case_id, number, filename, "
                          "mime, hash, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, e)) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, u->case_id);
        sqlite3_bind_int64(st, 2, number);
        bind_str(st, 3, u->filename ? u->filename : "");
        bind_str(st, 4, type);
        bind_str(st, 5, hash);
        sqlite3_bind_blob64(st, 6, u->len ? u->bytes : "", u->len, SQLITE_STATIC);
        if ((rc = run(s, st, e, "storing a bilag")) < 0)
            goto done;
    }
    rc = write_commit(s, e, "storing a bilag");
    if (rc == 0 && number_out)
        *number_out = number;
    case_free(m);
    return rc;
done:
    rollback(s);
    case_free(m);
    return rc;
}

int store_case_attachment_remove(struct store *s, int64_t case_id, int base_version,
                                 unsigned number, const struct store_actor *a, struct err *e)
{
    struct case_doc *m = NULL;
    int rc = write_begin(s, e, "removing a bilag");
    if (rc < 0)
        return rc;
    if ((rc = load_case(s, case_id, &m, e)) < 0)
        goto done;
    size_t i = 0;
    while (i < m->nattachments && m->attachments[i].number != number)
        i++;
    if (i == m->nattachments) {
        rc = fail(s, e, ERR_USAGE, "case %lld has no bilag %u", (long long)case_id, number);
        goto done;
    }
    struct attachment *at = &m->attachments[i];
    free(at->title);
    free(at->journal);
    free(at->flag);
    free(at->document);
    memmove(at, at + 1, (m->nattachments - i - 1) * sizeof *at);
    m->nattachments--;
    struct store_save sv = {.case_id = case_id, .base_version = base_version, .model = m};
    if ((rc = case_save_tx(s, &sv, a, "case.attachment_remove",
                           json_pack("{s:I}", "attachment", (json_int_t)number), NULL, NULL,
                           e)) < 0)
        goto done;
    sqlite3_stmt *st;
    if ((rc = stmt(s, "DELETE FROM attachment_file WHERE case_id = ?1 AND number = ?2", &st,
                   e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, number);
    if ((rc = run(s, st, e, "removing a bilag")) < 0)
        goto done;
    rc = write_commit(s, e, "removing a bilag");
    case_free(m);
    return rc;
done:
    rollback(s);
    case_free(m);
    return rc;
}

static void read_file_info(sqlite3_stmt *st, void *elem)
{
    struct store_file_info *f = elem;
    f->number = (unsigned)sqlite3_column_int64(st, 0);
    f->filename = col_str(st, 1);
    f->mime = col_str(st, 2);
    f->len = (size_t)sqlite3_column_int64(st, 3);
}

void store_file_infos_free(struct store_file_info *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].filename);
        free(v[i].mime);
    }
    free(v);
}

static void file_infos_free(void *v, size_t n)
{
    store_file_infos_free(v, n);
}

static const struct rowtype file_info_rows = {sizeof(struct store_file_info), "listing bilag",
                                              read_file_info, file_infos_free};

int store_attachment_files(struct store *s, int64_t case_id, const struct reader *r,
                           struct store_file_info **v, size_t *n, struct err *e)
{
    int roles = 0;
    int rc = store_case_roles(s, case_id, r, &roles, e);
    sqlite3_stmt *st;
    if (rc < 0)
        return rc;
    if (!(roles & ROLE_READS_CLOSED))
        return closed_err(s, e);
    if ((rc = stmt(s, "SELECT number, filename, mime, length(bytes) FROM attachment_file "
                      "WHERE case_id = ?1 ORDER BY number", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    void *out = NULL;
    if ((rc = collect(s, st, &file_info_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

/* The agenda's share of the save (store_sqlite.h): a new meeting's recurring items. */
/* ---- issue 9, minutes: a tillæg is a save with its own event ---- */
int case_save_event(struct store *s, const struct store_save *sv, const struct store_actor *a,
                    const char *action, struct json_t *extra, int64_t *case_id, int *version,
                    struct err *e)
{
    return case_save_tx(s, sv, a, action, extra, case_id, version, e);
}
/* ---- end issue 9, minutes ---- */

int case_save_in(struct store *s, const struct store_save *sv, const struct store_actor *a,
                 int64_t *case_id, int *version, struct err *e)
{
    return case_save_tx(s, sv, a, NULL, NULL, case_id, version, e);
}
