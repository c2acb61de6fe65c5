/* sqlite_import: writing a case's rows on SQLite: importing published documents, and the
 * parts every case write shares (bodies, meetings, people, follow-ups, the search index). */
#include "store_sqlite.h"
#include "../util/pack.h" /* issue 11, storage */
#include "../format/format.h" /* issue 10, flat follow-ups: the upgrade reads sources */
#include "../search/search.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The insert of the pos-th row under parent: the statement with ?1 and ?2 bound to them. */
static int stmt_at(struct store *s, const char *sql, int64_t parent, size_t pos,
                   sqlite3_stmt **out, struct err *e)
{
    int rc = stmt(s, sql, out, e);
    if (rc == 0) {
        sqlite3_bind_int64(*out, 1, parent);
        sqlite3_bind_int64(*out, 2, (sqlite3_int64)pos);
    }
    return rc;
}

static int person_id(struct store *s, const char *name, int64_t *id, struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s, "SELECT id FROM person WHERE name = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, name ? name : "");
    rc = one_int(s, st, id, &found, e, "storing a person");
    if (rc < 0 || found)
        return rc;
    if ((rc = stmt(s, "INSERT INTO person (name) VALUES (?1)", &st, e)) < 0)
        return rc;
    bind_str(st, 1, name ? name : "");
    return insert(s, st, id, e, "storing a person");
}

static const char sql_body_by_name[] = "SELECT id FROM body WHERE name = ?1";
static const char sql_body_insert[] = "INSERT INTO body (code, name) VALUES (?1, ?2)";

/* The body a decision heading names: by name; else the code a rule or the route gives it,
 * taking over a body seen so far only by that code. */
static int body_by_name(struct store *s, const char *name, const char *code, int64_t *id,
                        struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s, sql_body_by_name, &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, name);
    if ((rc = one_int(s, st, id, &found, e, "storing a body")) < 0 || found)
        return rc;
    if ((rc = stmt(s, "SELECT id FROM body WHERE code = ?1 AND name IS NULL LIMIT 1", &st, e)) < 0)
        return rc;
    bind_str(st, 1, code);
    if ((rc = one_int(s, st, id, &found, e, "storing a body")) < 0)
        return rc;
    if (found) {
        if ((rc = stmt(s, "UPDATE body SET name = ?2 WHERE id = ?1", &st, e)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, *id);
        bind_str(st, 2, name);
        return run(s, st, e, "storing a body");
    }
    if ((rc = stmt(s, sql_body_insert, &st, e)) < 0)
        return rc;
    bind_str(st, 1, code);
    bind_str(st, 2, name);
    return insert(s, st, id, e, "storing a body");
}

int body_id_of(struct store *s, const char *code, int64_t *id, struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s, "SELECT id FROM body WHERE code = ?1 ORDER BY name IS NULL, id LIMIT 1",
                  &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, code);
    if ((rc = one_int(s, st, id, &found, e, "reading a body")) == 0 && !found)
        *id = 0;
    return rc;
}

static int body_by_code(struct store *s, const char *code, int64_t *id, struct err *e)
{
    int rc = body_id_of(s, code, id, e);
    if (rc < 0 || *id)
        return rc;
    sqlite3_stmt *st;
    if ((rc = stmt(s, sql_body_insert, &st, e)) < 0)
        return rc;
    bind_str(st, 1, code);
    bind_str(st, 2, NULL);
    return insert(s, st, id, e, "storing a body");
}

static int body_code_of(struct store *s, int64_t id, char **code, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool row;
    int rc = stmt(s, "SELECT code FROM body WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = next_row(s, st, &row, e, "reading a body")) == 0 && row)
        *code = col_str(st, 0);
    fin(st);
    return rc;
}

/* The meeting a decision heading names: the body's first meeting on that date, or a new one
 * known from published minutes. */
static int meeting_id(struct store *s, int64_t body, const char *date, int64_t *id,
                      struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s, "SELECT id FROM meeting WHERE body_id = ?1 AND date = ?2 ORDER BY id LIMIT 1",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body);
    bind_str(st, 2, date);
    if ((rc = one_int(s, st, id, &found, e, "storing a meeting")) < 0 || found)
        return rc;
    if ((rc = stmt(s, "INSERT INTO meeting (body_id, date, state, published, authored, version) "
                      "VALUES (?1, ?2, 'offentliggjort', 1, 0, 1)", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body);
    bind_str(st, 2, date);
    return insert(s, st, id, e, "storing a meeting");
}

/* The body ids of a case's decisions and route. A decision heading's body gets its code
 * from a fixed rule, from a body already known by that name, or else from the route codes
 * no other decision claimed, in order ("FU, ØK, KB" beside decisions of a committee,
 * Økonomiudvalget and Kommunalbestyrelsen gives the committee FU); failing all, its name. */
static int resolve_bodies(struct store *s, const struct case_doc *c, int64_t *dec_body,
                          int64_t *route_body, struct err *e)
{
    int rc = 0;
    const char **code = xcalloc(c->ndecisions + 1, sizeof *code);
    char **owned = xcalloc(c->ndecisions + 1, sizeof *owned);
    bool *claimed = xcalloc(c->nroute + 1, sizeof *claimed);
    for (size_t i = 0; i < c->ndecisions && rc == 0; i++) {
        const char *name = c->decisions[i].body;
        dec_body[i] = 0;
        if (!name)
            continue;
        code[i] = store_known_code(name);
        if (!code[i]) {
            sqlite3_stmt *st;
            bool found;
            int64_t id;
            if ((rc = stmt(s, sql_body_by_name, &st, e)) < 0)
                break;
            bind_str(st, 1, name);
            if ((rc = one_int(s, st, &id, &found, e, "reading a body")) < 0)
                break;
            if (found && (rc = body_code_of(s, id, &owned[i], e)) < 0)
                break;
            code[i] = owned[i];
        }
        for (size_t k = 0; code[i] && k < c->nroute; k++)
            if (!claimed[k] && c->route[k] && strcmp(c->route[k], code[i]) == 0) {
                claimed[k] = true;
                break;
            }
    }
    size_t next = 0;
    for (size_t i = 0; i < c->ndecisions && rc == 0; i++) {
        const char *name = c->decisions[i].body;
        if (!name)
            continue;
        if (!code[i]) {
            while (next < c->nroute && (claimed[next] || !c->route[next]))
                next++;
            if (next < c->nroute) {
                claimed[next] = true;
                code[i] = c->route[next++];
            } else {
                code[i] = name;
            }
        }
        rc = body_by_name(s, name, code[i], &dec_body[i], e);
    }
    for (size_t k = 0; k < c->nroute && rc == 0; k++)
        rc = body_by_code(s, c->route[k] ? c->route[k] : "", &route_body[k], e);
    for (size_t i = 0; i < c->ndecisions; i++)
        free(owned[i]);
    free(owned);
    free(code);
    free(claimed);
    return rc;
}

static void read_old_followup(sqlite3_stmt *st, void *elem)
{
    struct store_followup_match *f = elem;
    f->id = sqlite3_column_int64(st, 0);
    f->owner = col_str(st, 1);
    f->role = col_str(st, 2);
    f->text = col_str(st, 3);
    f->due = col_str(st, 4);
}

static void old_followups_free(void *v, size_t n)
{
    store_followup_matches_free(v, n);
}

static const struct rowtype old_followup_rows = {sizeof(struct store_followup_match),
                                                 "reading follow-ups", read_old_followup,
                                                 old_followups_free};

int clear_case(struct store *s, int64_t case_id, struct store_followup_match **old,
               size_t *nold, struct err *e)
{
    /* Replace the parts; follow-ups lose their entry or decision (SET NULL) until matched
     * again. */
    static const char *const dels[] = {
        "DELETE FROM route WHERE case_id = ?1",    "DELETE FROM hunk WHERE case_id = ?1",
        "DELETE FROM subitem WHERE case_id = ?1",  "DELETE FROM decision WHERE case_id = ?1",
        "DELETE FROM attachment WHERE case_id = ?1",
    };
    sqlite3_stmt *st;
    int rc = 0;
    for (size_t i = 0; i < sizeof dels / sizeof dels[0] && rc == 0; i++) {
        if ((rc = stmt(s, dels[i], &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "replacing the case");
    }
    if (rc == 0 && (rc = stmt(s, "SELECT f.id, p.name, f.role, f.text, f.due FROM followup f "
                                 "JOIN person p ON p.id = f.person_id "
                                 "WHERE f.case_id = ?1 AND f.entry_id IS NULL "
                                 "AND f.decision_id IS NULL ORDER BY f.id",
                              &st, e)) == 0) {
        void *out;
        sqlite3_bind_int64(st, 1, case_id);
        if ((rc = collect(s, st, &old_followup_rows, &out, nold, e)) == 0)
            *old = out;
    }
    return rc;
}

/* The follow-ups of an entry (entry_id set, decision_id 0) or of a decision without entries
 * (entry_id 0, decision_id set: issue 10, flat follow-ups). */
static int put_followups(struct store *s, int64_t case_id, int64_t entry_id,
                         int64_t decision_id, const struct followup *v, size_t n,
                         struct store_followup_match *old, size_t nold, struct err *e)
{
    int rc = 0;
    for (size_t j = 0; j < n && rc == 0; j++) {
        const struct followup *f = &v[j];
        sqlite3_stmt *st;
        struct store_followup_match *m = store_followup_match(old, nold, f);
        if (m) {
            /* Unchanged: it keeps its id, status, and who closed it. */
            if ((rc = stmt(s, "UPDATE followup SET entry_id = ?2, pos = ?3, decision_id = ?4 "
                              "WHERE id = ?1", &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 1, m->id);
            bind_id(st, 2, entry_id);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)j);
            bind_id(st, 4, decision_id);
            rc = run(s, st, e, "storing a follow-up");
            continue;
        }
        int64_t pid;
        if ((rc = person_id(s, f->owner, &pid, e)) < 0)
            break;
        if ((rc = stmt(s, "INSERT INTO followup (case_id, entry_id, pos, person_id, role, text, "
                          "due, decision_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &st,
                       e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        bind_id(st, 2, entry_id);
        bind_id(st, 8, decision_id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)j);
        sqlite3_bind_int64(st, 4, pid);
        bind_str(st, 5, f->role);
        bind_str(st, 6, f->text ? f->text : "");
        bind_str(st, 7, f->due);
        rc = run(s, st, e, "storing a follow-up");
    }
    return rc;
}

/* ---- issue 10, flat follow-ups: schema step 10 reads the sources again ---- */
struct flat_todo {
    int64_t decision_id, case_id;
    size_t pos;
};

/* The current source of case_id, read with the extraction; NULL when no reader takes it. */
static struct case_doc *flat_source(struct store *s, int64_t case_id, struct err *e, int *rc)
{
    sqlite3_stmt *st = NULL;
    struct case_doc *c = NULL;
    *rc = adhoc(s, "SELECT src.format, src.bytes FROM source src JOIN \"case\" c "
                   "ON c.id = src.case_id AND src.version = c.version WHERE c.id = ?1", &st, e);
    if (*rc < 0)
        return NULL;
    sqlite3_bind_int64(st, 1, case_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const struct fmt_reader *r = fmt_reader_find((const char *)sqlite3_column_text(st, 0));
        size_t len = 0;
        char *bytes = col_bytes(st, 1, &len);
        struct err pe = {0};
        struct warnings w = {0};
        if (r && bytes && fmt_read(r, bytes, len, FMT_NOLAYOUT, &c, &pe, &w) < 0)
            c = NULL;
        warnings_fini(&w);
        free(bytes);
    } else if (step != SQLITE_DONE) {
        *rc = dberr(s, e, step, "upgrading the archive: reading a source");
    }
    sqlite3_finalize(st);
    return c;
}

int flat_followups_backfill(struct store *s, struct err *e)
{
    /* Every decision without entries or follow-ups of its own that has a text, by case. */
    sqlite3_stmt *st = NULL;
    struct flat_todo *v = NULL;
    size_t n = 0, cap = 0;
    int rc = adhoc(s, "SELECT d.id, d.case_id, d.pos FROM decision d WHERE d.text IS NOT NULL "
                      "AND NOT EXISTS (SELECT 1 FROM entry en WHERE en.decision_id = d.id) "
                      "AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.decision_id = d.id) "
                      "ORDER BY d.case_id, d.pos", &st, e);
    if (rc < 0)
        return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        v = grow(v, n, &cap, sizeof *v);
        v[n].decision_id = sqlite3_column_int64(st, 0);
        v[n].case_id = sqlite3_column_int64(st, 1);
        v[n].pos = (size_t)sqlite3_column_int64(st, 2);
        n++;
    }
    if (step != SQLITE_DONE)
        rc = dberr(s, e, step, "upgrading the archive: reading decisions");
    sqlite3_finalize(st);
    struct case_doc *c = NULL;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i == 0 || v[i].case_id != v[i - 1].case_id) {
            case_free(c);
            c = flat_source(s, v[i].case_id, e, &rc);
        }
        /* Only where the source still has that decision, without entries. */
        if (!c || v[i].pos >= c->ndecisions || c->decisions[v[i].pos].nentries)
            continue;
        const struct decision *d = &c->decisions[v[i].pos];
        rc = put_followups(s, v[i].case_id, 0, v[i].decision_id, d->followups, d->nfollowups,
                           NULL, 0, e);
    }
    case_free(c);
    free(v);
    return rc;
}
/* ---- end issue 10, flat follow-ups ---- */

static int put_layout(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    int rc = 0;
    struct buf ins = BUF_INIT;
    for (size_t i = 0; i < c->layout.nhunks && rc == 0; i++) {
        const struct hunk *h = &c->layout.hunks[i];
        buf_truncate(&ins, 0);
        for (size_t k = 0; k < h->nins; k++) {
            if (k)
                buf_putc(&ins, '\n');
            buf_puts(&ins, h->ins[k]);
        }
        if ((rc = stmt_at(s, "INSERT INTO hunk (case_id, pos, at, del, nins, ins) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", case_id, i, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 3, (sqlite3_int64)h->at);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)h->del);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)h->nins);
        sqlite3_bind_text(st, 6, buf_cstr(&ins), (int)ins.len, SQLITE_STATIC);
        rc = run(s, st, e, "storing the layout");
    }
    buf_free(&ins);
    return rc;
}

static int put_subitems(struct store *s, int64_t case_id, const struct case_doc *c,
                        struct err *e)
{
    sqlite3_stmt *st;
    int rc = 0;
    for (size_t i = 0; i < c->nsubitems && rc == 0; i++) {
        const struct subitem *si = &c->subitems[i];
        if ((rc = stmt_at(s, "INSERT INTO subitem (case_id, pos, time, title, text, duration) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", case_id, i, &st, e)) < 0)
            break;
        bind_str(st, 3, si->time);
        bind_str(st, 4, si->title);
        bind_str(st, 5, si->text);
        bind_id(st, 6, si->duration);
        int64_t sid;
        if ((rc = insert(s, st, &sid, e, "storing a sub-item")) < 0)
            break;
        for (size_t k = 0; k < si->nguests && rc == 0; k++) {
            int64_t pid;
            if ((rc = person_id(s, si->guests[k].name, &pid, e)) < 0)
                break;
            if ((rc = stmt_at(s, "INSERT INTO guest (subitem_id, pos, person_id, role, unit, "
                                 "email) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", sid, k, &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 3, pid);
            bind_str(st, 4, si->guests[k].role);
            bind_str(st, 5, si->guests[k].unit);
            bind_str(st, 6, si->guests[k].email);
            rc = run(s, st, e, "storing a guest");
        }
    }
    return rc;
}

static int put_decisions(struct store *s, int64_t case_id, const struct case_doc *c,
                         const int64_t *dec_body, struct store_followup_match *old, size_t nold,
                         struct err *e)
{
    sqlite3_stmt *st;
    int rc = 0;
    for (size_t i = 0; i < c->ndecisions && rc == 0; i++) {
        const struct decision *d = &c->decisions[i];
        int64_t mid = 0;
        if (dec_body[i] && d->date && (rc = meeting_id(s, dec_body[i], d->date, &mid, e)) < 0)
            break;
        if ((rc = stmt_at(s, "INSERT INTO decision (case_id, pos, body, date, meeting_id, text) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", case_id, i, &st, e)) < 0)
            break;
        bind_str(st, 3, d->body);
        bind_str(st, 4, d->date);
        bind_id(st, 5, mid);
        bind_str(st, 6, d->text);
        int64_t did;
        if ((rc = insert(s, st, &did, e, "storing a decision")) < 0)
            break;
        for (size_t k = 0; k < d->nentries && rc == 0; k++) {
            const struct entry *en = &d->entries[k];
            if ((rc = stmt_at(s, "INSERT INTO entry (decision_id, pos, title, subitem, text) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)", did, k, &st, e)) < 0)
                break;
            bind_str(st, 3, en->title);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)en->subitem);
            bind_str(st, 5, en->text);
            int64_t eid;
            if ((rc = insert(s, st, &eid, e, "storing a decision entry")) < 0)
                break;
            for (size_t j = 0; j < en->ndates && rc == 0; j++) {
                if ((rc = stmt_at(s, "INSERT INTO dateref (entry_id, pos, text, start, \"end\") "
                                     "VALUES (?1, ?2, ?3, ?4, ?5)", eid, j, &st, e)) < 0)
                    break;
                bind_str(st, 3, en->dates[j].text);
                bind_str(st, 4, en->dates[j].start);
                bind_str(st, 5, en->dates[j].end);
                rc = run(s, st, e, "storing a date");
            }
            if (rc == 0)
                rc = put_followups(s, case_id, eid, 0, en->followups, en->nfollowups, old,
                                   nold, e);
        }
        if (rc == 0) /* issue 10, flat follow-ups: a decision without entries */
            rc = put_followups(s, case_id, 0, did, d->followups, d->nfollowups, old, nold, e);
    }
    return rc;
}

static int put_attachments(struct store *s, int64_t case_id, const struct case_doc *c,
                           struct err *e)
{
    sqlite3_stmt *st;
    int rc = 0;
    for (size_t i = 0; i < c->nattachments && rc == 0; i++) {
        const struct attachment *a = &c->attachments[i];
        if ((rc = stmt_at(s, "INSERT INTO attachment (case_id, pos, number, public, title, "
                             "journal, flag, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          case_id, i, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 3, a->number);
        sqlite3_bind_int(st, 4, a->public);
        bind_str(st, 5, a->title);
        bind_str(st, 6, a->journal);
        bind_str(st, 7, a->flag);
        bind_str(st, 8, a->document);
        rc = run(s, st, e, "storing an attachment");
    }
    return rc;
}

/* Writes the case's parts and, last, its case-row columns that follow from them (the body and
 * date lists use). The case row itself exists. */
int put_case(struct store *s, int64_t case_id, const struct case_doc *c,
             struct store_followup_match *old, size_t nold, struct err *e)
{
    int64_t *dec_body = xcalloc(c->ndecisions + 1, sizeof *dec_body);
    int64_t *route_body = xcalloc(c->nroute + 1, sizeof *route_body);
    sqlite3_stmt *st;
    int rc = resolve_bodies(s, c, dec_body, route_body, e);
    if (rc == 0)
        rc = put_layout(s, case_id, c, e);
    for (size_t k = 0; k < c->nroute && rc == 0; k++) {
        if ((rc = stmt_at(s, "INSERT INTO route (case_id, pos, code, body_id) "
                             "VALUES (?1, ?2, ?3, ?4)", case_id, k, &st, e)) < 0)
            break;
        bind_str(st, 3, c->route[k] ? c->route[k] : "");
        sqlite3_bind_int64(st, 4, route_body[k]);
        rc = run(s, st, e, "storing the route");
    }
    if (rc == 0)
        rc = put_subitems(s, case_id, c, e);
    if (rc == 0)
        rc = put_decisions(s, case_id, c, dec_body, old, nold, e);
    if (rc == 0)
        rc = put_attachments(s, case_id, c, e);
    if (rc == 0)
        rc = put_case_parts(s, case_id, c, e);
    if (rc == 0)
        rc = sdg_case_put(s, case_id, c, e); /* issue 10, sdg: the verdensmål */
    if (rc == 0) /* ---- issue 9, minutes: the tillæg ---- */
        rc = minutes_put_additions(s, case_id, c, e);
    if (rc == 0 && nold &&
        (rc = stmt(s, "DELETE FROM followup WHERE case_id = ?1 AND entry_id IS NULL "
                      "AND decision_id IS NULL", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "removing changed follow-ups");
    }
    /* An imported case is owned by its first deciding body (else the first of its route);
     * one written in referat keeps the owner it was created for. Its date is its first
     * decision's, else its meeting's. */
    int64_t owner = c->ndecisions && dec_body[0] ? dec_body[0] : c->nroute ? route_body[0] : 0;
    if (rc == 0 &&
        (rc = stmt(s, "UPDATE \"case\" SET "
                      "body_id = CASE WHEN authored THEN body_id ELSE ?2 END, "
                      "date = coalesce(?3, (SELECT min(m.date) FROM agenda a JOIN meeting m "
                      "ON m.id = a.meeting_id WHERE a.case_id = ?1)) WHERE id = ?1",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        bind_id(st, 2, owner);
        bind_str(st, 3, c->ndecisions ? c->decisions[0].date : NULL);
        rc = run(s, st, e, "storing the case");
    }
    free(dec_body);
    free(route_body);
    return rc;
}

int case_bodies_update(struct store *s, int64_t case_id, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "DELETE FROM case_body WHERE case_id = ?1", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "storing the case's bodies");
    }
    if (rc == 0 &&
        (rc = stmt(s, "INSERT OR IGNORE INTO case_body (case_id, body_id) "
                      "SELECT id, body_id FROM \"case\" WHERE id = ?1 AND body_id IS NOT NULL "
                      "UNION SELECT ?1, m.body_id FROM agenda a JOIN meeting m "
                      "ON m.id = a.meeting_id WHERE a.case_id = ?1 "
                      "UNION SELECT ?1, m.body_id FROM decision d JOIN meeting m "
                      "ON m.id = d.meeting_id WHERE d.case_id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "storing the case's bodies");
    }
    return rc;
}

/* An imported case is on the agenda of each meeting that decided it: those no longer named
 * are left, new ones are joined at the end. */
static int agenda_from_decisions(struct store *s, int64_t case_id, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "DELETE FROM agenda WHERE case_id = ?1 AND meeting_id NOT IN "
                     "(SELECT meeting_id FROM decision WHERE case_id = ?1 "
                     "AND meeting_id IS NOT NULL)", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "storing the agenda");
    }
    if (rc == 0 &&
        (rc = stmt(s, "INSERT OR IGNORE INTO agenda (meeting_id, pos, case_id) "
                      "SELECT d.meeting_id, (SELECT coalesce(max(pos) + 1, 0) FROM agenda a "
                      "WHERE a.meeting_id = d.meeting_id), ?1 FROM decision d "
                      "WHERE d.case_id = ?1 AND d.meeting_id IS NOT NULL "
                      "GROUP BY d.meeting_id ORDER BY min(d.pos)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "storing the agenda");
    }
    return rc;
}

int index_case(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    char *body = NULL, *date = NULL;
    sqlite3_stmt *st = NULL;
    bool row, published = true;
    int64_t *bodies = NULL;
    size_t nbodies = 0, cap = 0;
    /* The body and date the case row holds for lists (its owner), and whether the public
     * may see it at all. */
    int rc = stmt(s, "SELECT b.code, c.date, c.published FROM \"case\" c "
                     "LEFT JOIN body b ON b.id = c.body_id WHERE c.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = next_row(s, st, &row, e, "indexing a case")) == 0 && row) {
        body = col_str(st, 0);
        date = col_str(st, 1);
        published = sqlite3_column_int(st, 2) != 0;
    }
    fin(st);
    /* Who may find its closed text: the readers of the bodies it belongs to (case_body). */
    if (rc == 0 && (rc = stmt(s, "SELECT body_id FROM case_body WHERE case_id = ?1 ORDER BY "
                                 "body_id", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        while ((rc = next_row(s, st, &row, e, "indexing a case")) == 0 && row) {
            bodies = grow(bodies, nbodies, &cap, sizeof *bodies);
            bodies[nbodies++] = sqlite3_column_int64(st, 0);
        }
        fin(st);
    }
    if (rc == 0) {
        struct search_meta m = {.case_id = case_id, .body = body, .date = date,
                                .bodies = bodies, .nbodies = nbodies,
                                .unpublished = !published};
        struct err se = {0};
        rc = pub_minutes_hidden(s, case_id, &m.minutes_hidden, e); /* issue 9, publication */
        if (rc == 0 && search_index_case(s->db, &m, c, &se) != 0) {
            if (se.msg[0]) {
                *e = se;
                e->file = s->path;
                e->code = ERR_DB;
            } else {
                dberr(s, e, sqlite3_errcode(s->db), "indexing a case for search");
            }
            rc = ERR_DB;
        }
    }
    free(body);
    free(date);
    free(bodies);
    return rc;
}

/* Adds version `version` of a case's source, recording who and its ledger event. */
int put_source(struct store *s, int64_t case_id, int version, const char *name,
               const char *format, const char *bytes, size_t len, const char *actor,
               int64_t event_id, struct err *e)
{
    char hash[65], now[21];
    sqlite3_stmt *st;
    store_hash(bytes, len, hash);
    store_now(now);
    /* ---- issue 11, storage: the bytes deflated when that is smaller (sqlite_pack.c) ---- */
    struct buf z = BUF_INIT;
    bool packed = pack_deflate(bytes, len, &z);
    int rc = stmt(s, "INSERT INTO source (case_id, version, name, format, hash, size, bytes, "
                     "imported_at, actor, event_id, packed) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &st, e);
    if (rc < 0) {
        buf_free(&z);
        return rc;
    }
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, version);
    bind_str(st, 3, name);
    bind_str(st, 4, format);
    bind_str(st, 5, hash);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)len);
    if (packed)
        sqlite3_bind_blob64(st, 7, z.ptr, z.len, SQLITE_STATIC);
    else
        sqlite3_bind_blob64(st, 7, len ? bytes : "", len, SQLITE_STATIC);
    bind_str(st, 8, now);
    bind_str(st, 9, actor);
    bind_id(st, 10, event_id);
    sqlite3_bind_int(st, 11, packed);
    rc = run(s, st, e, "storing the source");
    buf_free(&z);
    /* ---- end issue 11, storage ---- */
    return rc;
}

/* Binds the case row's content columns ?1..?9 (key at ?1). */
static void bind_case(sqlite3_stmt *st, const char *key, int version, const struct case_doc *c,
                      const char *now)
{
    bind_str(st, 14, c->public_title);
    bind_str(st, 15, c->public_text);
    bind_str(st, 1, key);
    sqlite3_bind_int(st, 2, version);
    bind_str(st, 3, c->title ? c->title : "");
    sqlite3_bind_int(st, 4, c->public);
    bind_str(st, 5, c->presentation);
    bind_str(st, 6, c->intro);
    sqlite3_bind_int(st, 7, c->has_table);
    bind_str(st, 8, c->recommendation);
    sqlite3_bind_int(st, 9, c->has_attachments);
    bind_str(st, 10, c->layout.format);
    bind_str(st, 11, c->layout.base);
    bind_str(st, 12, now);
}

int case_row_write(struct store *s, int64_t *case_id, const char *key, int version,
                   const struct case_doc *c, struct err *e)
{
    char now[21];
    sqlite3_stmt *st;
    store_now(now);
    int rc = *case_id
        /* key NULL keeps the case's key (a save of a case written in referat). */
        ? stmt(s, "UPDATE \"case\" SET key = coalesce(?1, key), version = ?2, title = ?3, "
                  "public = ?4, presentation = ?5, intro = ?6, has_table = ?7, "
                  "recommendation = ?8, has_attachments = ?9, layout_format = ?10, "
                  "layout_base = ?11, updated_at = ?12, public_title = ?14, public_text = ?15 "
                  "WHERE id = ?13", &st, e)
        : stmt(s, "INSERT INTO \"case\" (key, version, title, public, presentation, intro, "
                  "has_table, recommendation, has_attachments, layout_format, layout_base, "
                  "created_at, updated_at, public_title, public_text) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?14, ?15)",
               &st, e);
    if (rc < 0)
        return rc;
    bind_case(st, key, version, c, now);
    if (*case_id)
        sqlite3_bind_int64(st, 13, *case_id);
    if ((rc = run(s, st, e, "storing the case")) == 0 && !*case_id)
        *case_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* ---- issue 11, archive: bulk import ----
 * Indexing a case for search costs most at its commit, where FTS5 writes a segment for the
 * few rows of that one case and merges; indexing STORE_BULK_BATCH cases in one transaction
 * writes one. The models are kept (copied) until then, so nothing is read back. */

/* WAL pages between checkpoints during a run (64 MB of 4 KB pages). */
#define STORE_BULK_WAL 16384

struct bulk {
    int64_t *id;
    struct case_doc **model;
    size_t n, cap;
};

/* The case waits for the index: its mark is written in its own import's transaction. */
static int bulk_defer(struct store *s, int64_t case_id, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "INSERT OR IGNORE INTO search_pending (case_id) VALUES (?1)", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "marking the case for the search index");
    }
    return rc;
}

/* Whether id[i] comes again later in id[0..n). */
static bool again(const int64_t *id, size_t n, size_t i)
{
    for (size_t j = i + 1; j < n; j++)
        if (id[j] == id[i])
            return true;
    return false;
}

/* Indexes the cases of the run so far (models NULL: read from the archive), in one
 * transaction with the removal of their marks. A case imported twice in the batch is indexed
 * as its last import, and one whose mark is gone (deleted since, or indexed) is not indexed
 * again. In the order of the ids (new cases' are rising): the index's content table then
 * fills its pages as single imports do, where the reverse order left them half full. */
static int bulk_index(struct store *s, const int64_t *id, struct case_doc **model, size_t n,
                      struct err *e)
{
    if (!n)
        return 0;
    int rc = write_begin(s, e, "indexing imported cases for search");
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct case_doc *loaded = NULL;
        sqlite3_stmt *st;
        if (again(id, n, i))
            continue;
        if ((rc = stmt(s, "DELETE FROM search_pending WHERE case_id = ?1", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, id[i]);
        if ((rc = run(s, st, e, "indexing imported cases for search")) < 0 ||
            sqlite3_changes(s->db) == 0)
            continue;
        if (!model && (rc = load_case(s, id[i], &loaded, e)) < 0)
            break;
        rc = index_case(s, id[i], model ? model[i] : loaded, e);
        case_free(loaded);
    }
    if (rc == 0)
        rc = write_commit(s, e, "indexing imported cases for search");
    else
        rollback(s);
    return rc;
}

static void bulk_clear(struct bulk *b)
{
    for (size_t i = 0; i < b->n; i++)
        case_free(b->model[i]);
    b->n = 0;
}

static int bulk_flush(struct store *s, struct err *e)
{
    struct bulk *b = s->bulk;
    int rc = bulk_index(s, b->id, b->model, b->n, e);
    bulk_clear(b);
    return rc;
}

static int bulk_add(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    struct bulk *b = s->bulk;
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : STORE_BULK_BATCH;
        b->id = xrealloc(b->id, b->cap * sizeof *b->id);
        b->model = xrealloc(b->model, b->cap * sizeof *b->model);
    }
    b->id[b->n] = case_id;
    b->model[b->n++] = case_dup(c);
    return b->n >= STORE_BULK_BATCH ? bulk_flush(s, e) : 0;
}

int store_bulk_begin(struct store *s, struct err *e)
{
    if (s->bulk)
        return fail(s, e, ERR_USAGE, "a bulk import is already running on this connection");
    if (s->flags & STORE_READONLY)
        return fail(s, e, ERR_DB, "importing: the archive was opened read-only");
    s->bulk = xcalloc(1, sizeof *s->bulk);
    /* A case's commit writes some 60 pages, most of them the same index pages as the last
     * case's: a checkpoint every STORE_BULK_WAL pages instead of SQLite's 1000 writes each of
     * them back to the archive once per few hundred cases instead of once per few. */
    sqlite3_wal_autocheckpoint(s->db, STORE_BULK_WAL);
    return 0;
}

int store_bulk_end(struct store *s, struct err *e)
{
    if (!s->bulk)
        return 0;
    int rc = bulk_flush(s, e);
    bulk_drop(s);
    if (rc == 0)
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return rc;
}

void bulk_drop(struct store *s)
{
    if (!s->bulk)
        return;
    bulk_clear(s->bulk);
    free(s->bulk->id);
    free(s->bulk->model);
    free(s->bulk);
    s->bulk = NULL;
    sqlite3_wal_autocheckpoint(s->db, 1000 /* SQLite's default */);
}

int bulk_recover(struct store *s, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t *id = NULL;
    size_t n = 0, cap = 0;
    /* An archive made at schema 8 before search_pending was in 008_archive.sql has none:
     * the writer's open adds it (the same table). */
    int rc = exec(s, "CREATE TABLE IF NOT EXISTS search_pending (case_id INTEGER PRIMARY KEY "
                     "REFERENCES \"case\"(id) ON DELETE CASCADE)", e,
                  "adding the table of cases to index");
    if (rc == 0)
        rc = stmt(s, "SELECT case_id FROM search_pending ORDER BY case_id", &st, e);
    bool row;
    while (rc == 0 && (rc = next_row(s, st, &row, e, "reading the cases to index")) == 0 && row) {
        id = grow(id, n, &cap, sizeof *id);
        id[n++] = sqlite3_column_int64(st, 0);
    }
    if (st)
        fin(st);
    if (rc == 0)
        rc = bulk_index(s, id, NULL, n, e);
    free(id);
    return rc;
}
/* ---- end of issue 11, archive: bulk import ---- */

int store_import(struct store *s, const struct store_doc *d, const struct store_actor *actor,
                 enum store_outcome *outcome, int64_t *case_id_out, struct err *e)
{
    const struct case_doc *c = d->model;
    char *key = store_key(d->name);
    char hash[65];
    int64_t case_id = 0, version = 0, event_id = 0;
    bool found = false, authored = false;
    enum store_outcome result = STORE_IMPORTED;
    struct store_followup_match *old = NULL;
    size_t nold = 0;
    sqlite3_stmt *st;
    char *detail = NULL;
    store_hash(d->bytes, d->len, hash);

    int rc = write_begin(s, e, "starting an import");
    if (rc < 0)
        goto done;
    if ((rc = stmt(s, "SELECT id, version, authored FROM \"case\" WHERE key = ?1", &st, e)) < 0)
        goto done;
    bind_str(st, 1, key);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        found = true;
        case_id = sqlite3_column_int64(st, 0);
        version = sqlite3_column_int64(st, 1);
        authored = sqlite3_column_int(st, 2) != 0;
    }
    fin(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = dberr(s, e, step, "looking up the case");
        goto done;
    }
    if (authored) {
        /* Importing over minutes written in referat would replace them unseen. */
        rc = fail(s, e, ERR_CONFLICT, "case %lld with key '%s' was written in referat, not "
                  "imported; rename the file to import it as a case of its own",
                  (long long)case_id, key);
        goto done;
    }
    if (found) {
        if ((rc = stmt(s, "SELECT hash FROM source WHERE case_id = ?1 AND format = ?2 "
                          "ORDER BY version DESC LIMIT 1", &st, e)) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, case_id);
        bind_str(st, 2, d->format);
        step = sqlite3_step(st);
        bool same = step == SQLITE_ROW &&
                    store_unchanged((const char *)sqlite3_column_text(st, 0), hash);
        fin(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            rc = dberr(s, e, step, "looking up the case");
            goto done;
        }
        if (same) {
            result = STORE_UNCHANGED;
            rollback(s);
            goto done;
        }
        result = STORE_UPDATED;
        if ((rc = clear_case(s, case_id, &old, &nold, e)) < 0)
            goto done;
    }
    if ((rc = case_row_write(s, &case_id, key, (int)version + 1, c, e)) < 0)
        goto done;
    {
        char object[40];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        json_t *o = json_pack("{s:s,s:s,s:s}", "name", d->name, "format", d->format, "outcome",
                              found ? "updated" : "imported");
        detail = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        struct event ev = {.action = "case.import", .object = object, .before = (int)version,
                           .after = (int)version + 1, .detail = detail};
        if ((rc = ledger_append(s, actor, &ev, &event_id, e)) < 0)
            goto done;
    }
    char tools[80];
    if ((rc = put_source(s, case_id, (int)version + 1, d->name, d->format, d->bytes, d->len,
                         actor_name(actor, tools), event_id, e)) < 0)
        goto done;
    if ((rc = put_case(s, case_id, c, old, nold, e)) < 0)
        goto done;
    if ((rc = agenda_from_decisions(s, case_id, e)) < 0)
        goto done;
    if ((rc = case_bodies_update(s, case_id, e)) < 0)
        goto done;
    if ((rc = s->bulk ? bulk_defer(s, case_id, e) : index_case(s, case_id, c, e)) < 0)
        goto done;
    rc = write_commit(s, e, "committing the import");
    if (rc == 0 && s->bulk)
        rc = bulk_add(s, case_id, c, e);
done:
    if (rc < 0)
        rollback(s);
    else {
        if (outcome)
            *outcome = result;
        if (case_id_out)
            *case_id_out = case_id;
    }
    free(detail);
    store_followup_matches_free(old, nold);
    free(key);
    return rc;
}

int store_attachment_put(struct store *s, int64_t case_id, unsigned number, const char *filename,
                         const char *mime, const void *bytes, size_t len,
                         const struct store_actor *a, struct err *e)
{
    char hash[65];
    sqlite3_stmt *st = NULL;
    store_hash(bytes, len, hash);
    int rc = write_begin(s, e, "storing an attachment's file");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "INSERT OR REPLACE INTO attachment_file (case_id, number, filename, mime, "
                      "hash, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, number);
        bind_str(st, 3, filename ? filename : "");
        bind_str(st, 4, mime);
        bind_str(st, 5, hash);
        sqlite3_bind_blob64(st, 6, len ? bytes : "", len, SQLITE_STATIC);
        int step = sqlite3_step(st);
        fin(st);
        if ((step & 0xff) == SQLITE_CONSTRAINT)
            rc = notfound(s, e, "no case with id %lld", (long long)case_id);
        else if (step != SQLITE_DONE)
            rc = dberr(s, e, step, "storing an attachment's file");
    }
    if (rc == 0) {
        char object[40], detail[120];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        snprintf(detail, sizeof detail, "{\"attachment\":%u,\"hash\":\"%s\"}", number, hash);
        struct event ev = {.action = "attachment.put", .object = object, .detail = detail};
        rc = ledger_append(s, a, &ev, NULL, e);
    }
    if (rc == 0)
        return write_commit(s, e, "storing an attachment's file");
    rollback(s);
    return rc;
}
