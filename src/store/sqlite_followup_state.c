/* sqlite_followup_state: a follow-up to completion on SQLite (issue 10, followups): its
 * workflow steps, progress notes, forwarding to a planned meeting, "Mine opfølgninger", units
 * and the links from owner names to accounts and units. */
#include "store_sqlite.h"
#include "store_internal.h"
#include "../model/access.h"
#include "../model/workflow.h"
#include "../util/date.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTE_MAX 4000

/* The person ids account ?1 owns, as a CTE (the same rule as FOLLOWUP_OWNS). */
#define MINE_CTE                                                                             \
    "WITH mine(pid) AS (SELECT person_id FROM person_link WHERE account_id = ?1 "            \
    "UNION SELECT pl.person_id FROM person_link pl JOIN unit_member um "                     \
    "ON um.unit_id = pl.unit_id WHERE um.account_id = ?1 "                                   \
    "UNION SELECT p.id FROM account ac JOIN person p ON p.name = ac.name COLLATE NOCASE "     \
    "WHERE ac.id = ?1 AND NOT EXISTS (SELECT 1 FROM person_link l WHERE l.person_id = p.id) " \
    "UNION SELECT p.id FROM unit_member um JOIN unit u ON u.id = um.unit_id "                \
    "JOIN person p ON p.name = u.name COLLATE NOCASE WHERE um.account_id = ?1 "              \
    "AND NOT EXISTS (SELECT 1 FROM person_link l WHERE l.person_id = p.id)) "

#define FU_COLS                                                                              \
    "SELECT f.id, f.case_id, c.title, b.code, d.date, en.title, p.name, "                    \
    "f.role, f.text, f.due, f.status = 'done', f.done_by, f.done_at, f.state "
#define FU_JOINS                                                                             \
    "JOIN person p ON p.id = f.person_id JOIN \"case\" c ON c.id = f.case_id "               \
    "LEFT JOIN entry en ON en.id = f.entry_id "                                              \
    "LEFT JOIN decision d ON d.id = coalesce(en.decision_id, f.decision_id) "                \
    "LEFT JOIN meeting m ON m.id = d.meeting_id "                                            \
    "LEFT JOIN body b ON b.id = m.body_id "

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return false;
    return true;
}

static int fu_event(struct store *s, const struct store_actor *a, const char *action,
                    const char *object, json_t *detail, struct err *e)
{
    return ledger_append_json(s, a, (struct event){.action = action, .object = object}, detail,
                              e);
}

static int finish(struct store *s, int rc, struct err *e, const char *what)
{
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    return write_commit(s, e, what);
}

/* Inside a write: the follow-up's state, case and person, the actor's roles on the case's
 * bodies and whether the actor owns it. ERR_NOTFOUND when it does not exist or the actor has
 * neither a role there nor owns it (it does not exist for them). */
struct target {
    int state;
    int64_t case_id, person_id;
    int roles;
    bool owner;
};

static int load_target(struct store *s, int64_t id, const struct store_actor *a,
                       struct target *t, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool row;
    int64_t account = a ? a->account_id : 0;
    int rc = stmt(s, "SELECT f.state, f.case_id, f.person_id, " FOLLOWUP_OWNS("f.person_id", "?2")
                     " FROM followup f WHERE f.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, account);
    rc = first_row(s, st, e, "reading a follow-up", "ingen opfølgning med id %lld", (long long)id);
    if (rc == 0) {
        t->state = wf_state_parse(&wf_followup, (const char *)sqlite3_column_text(st, 0));
        t->case_id = sqlite3_column_int64(st, 1);
        t->person_id = sqlite3_column_int64(st, 2);
        t->owner = account && sqlite3_column_int(st, 3) != 0;
    }
    fin(st);
    t->roles = 0;
    if (rc == 0 &&
        (rc = stmt(s, "SELECT body_id FROM case_body WHERE case_id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, t->case_id);
        while ((rc = next_row(s, st, &row, e, "reading a case's bodies")) == 0 && row)
            t->roles |= actor_roles(a, sqlite3_column_int64(st, 0));
        fin(st);
    }
    if (rc == 0 && a && a->reader && a->reader->all)
        t->roles = ROLE_ALL;
    /* An administrator's ROLE_ADMIN takes no step (workflow.c) and reads nothing closed. */
    if (rc == 0 && !(t->roles & ~ROLE_ADMIN) && !t->owner)
        rc = notfound(s, e, "ingen opfølgning med id %lld", (long long)id);
    return rc;
}

/* ---- reading one ---- */

void store_followup_detail_fini(struct store_followup_detail *d)
{
    if (!d)
        return;
    free(d->fu.case_title);
    free(d->fu.body);
    free(d->fu.meeting_date);
    free(d->fu.entry_title);
    free(d->fu.owner);
    free(d->fu.role);
    free(d->fu.text);
    free(d->fu.due);
    free(d->fu.done_by);
    free(d->fu.done_at);
    free(d->fu.state);
    free(d->state);
    free(d->state_reason);
    memset(d, 0, sizeof *d);
}

int store_followup_get(struct store *s, int64_t id, const struct reader *r,
                       struct store_followup_detail *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool row;
    memset(out, 0, sizeof *out);
    int rc = read_begin(s, e);
    if (rc == 0 &&
        (rc = stmt(s, FU_COLS ", f.state_reason, f.person_id, " /* f.state is FU_COLS's 13th */
                      "ifnull(f.forwarded_to, 0), " FOLLOWUP_OWNS("f.person_id", "?2")
                      " FROM followup f " FU_JOINS "WHERE f.id = ?1 AND " FOLLOWUP_FULL("c", "?9"),
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, r ? r->account_id : 0);
        bind_reader(st, 9, r);
        rc = first_row(s, st, e, "reading a follow-up", "ingen opfølgning med id %lld",
                       (long long)id);
        if (rc == 0) {
            followup_rows.read(st, &out->fu);
            out->state = col_str(st, 13);
            out->state_reason = col_str(st, 14);
            out->person_id = sqlite3_column_int64(st, 15);
            out->forwarded_to = sqlite3_column_int64(st, 16);
            out->owner = r && r->account_id && sqlite3_column_int(st, 17) != 0;
        }
        fin(st);
    }
    if (rc == 0 && (rc = stmt(s, "SELECT cb.body_id FROM followup f JOIN case_body cb "
                                 "ON cb.case_id = f.case_id WHERE f.id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        while ((rc = next_row(s, st, &row, e, "reading a case's bodies")) == 0 && row)
            out->roles |= reader_roles(r, sqlite3_column_int64(st, 0));
        fin(st);
        if (r && r->all)
            out->roles = ROLE_ALL;
    }
    read_end(s);
    if (rc < 0)
        store_followup_detail_fini(out);
    return rc;
}

int store_followup_case(struct store *s, int64_t id, int64_t *case_id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT case_id FROM followup WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "reading a follow-up", "ingen opfølgning med id %lld", (long long)id);
    if (rc == 0)
        *case_id = sqlite3_column_int64(st, 0);
    fin(st);
    return rc;
}

/* ---- steps ---- */

/* The body that decided a follow-up: its decision's meeting's, else its case's first. */
#define DECIDING_BODY(fid)                                                                   \
    "(SELECT coalesce(m.body_id, c.body_id) FROM followup f JOIN \"case\" c "                 \
    "ON c.id = f.case_id LEFT JOIN entry en ON en.id = f.entry_id LEFT JOIN decision d "      \
    "ON d.id = coalesce(en.decision_id, f.decision_id) LEFT JOIN meeting m "                  \
    "ON m.id = d.meeting_id WHERE f.id = " fid ")"

/* The meeting a follow-up is handed to: one not yet held. *where is "ØK 2024-03-01". */
static int forward_target(struct store *s, int64_t id, int64_t meeting_id, char where[160],
                          struct err *e)
{
    sqlite3_stmt *st = NULL;
    if (meeting_id <= 0)
        return fail(s, e, ERR_SYNTAX, "moede: vælg det møde, opfølgningen videresendes til");
    int rc = stmt(s, "SELECT m.state, b.code, m.date, m.body_id IS " DECIDING_BODY("?2")
                     " FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    sqlite3_bind_int64(st, 2, id);
    rc = first_row(s, st, e, "reading a meeting", "moede: intet møde med id %lld",
                   (long long)meeting_id);
    if (rc == 0) {
        const char *state = (const char *)sqlite3_column_text(st, 0);
        snprintf(where, 160, "%s %s", (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 2));
        if (strcmp(state, "planlagt") != 0 && strcmp(state, "dagsorden_frigivet") != 0)
            rc = fail(s, e, ERR_CONFLICT,
                      "moede: mødet %s er %s; en opfølgning kan kun videresendes til et møde, "
                      "der ikke er holdt endnu", where,
                      strcmp(state, "aflyst") == 0 ? "aflyst" : "allerede holdt");
        else if (sqlite3_column_int(st, 3))
            rc = fail(s, e, ERR_CONFLICT,
                      "moede: mødet %s er udvalgets eget; en opfølgning videresendes til et "
                      "andet udvalgs møde", where);
    }
    fin(st);
    return rc;
}

int store_followup_step(struct store *s, int64_t id, const char *action, const char *reason,
                        int64_t meeting_id, const struct store_actor *a, struct err *e)
{
    struct target t;
    sqlite3_stmt *st = NULL;
    char now[21], where[160] = "";
    int to = -1;
    store_now(now);
    int rc = write_begin(s, e, "changing a follow-up's state");
    if (rc == 0)
        rc = load_target(s, id, a, &t, e);
    if (rc == 0) {
        struct wf_actor who = {t.roles, t.owner};
        rc = wf_apply(&wf_followup, t.state, action, &who, reason, &to, e);
        if (rc == ERR_SYNTAX && strstr(e->msg, "begrundelse"))
            err_set(e, ERR_SYNTAX, 0, 0, "begrundelse: handlingen '%s' kræver en begrundelse",
                    action);
    }
    const struct wf_row *row =
        rc == 0 ? wf_find(&wf_followup, t.state, wf_action_parse(&wf_followup, action)) : NULL;
    if (rc == 0 && (row->flags & WF_TARGET))
        rc = forward_target(s, id, meeting_id, where, e);
    bool closed = wf_followup_closed(to);
    const char *why = blank(reason) ? NULL : reason;
    char *kept = NULL;
    if (rc == 0 && *where) {
        size_t n = strlen(where) + (why ? strlen(why) : 0) + 40;
        kept = malloc(n);
        if (!kept)
            abort();
        snprintf(kept, n, "Videresendt til %s%s%s", where, why ? ": " : "", why ? why : "");
    }
    if (rc == 0 &&
        (rc = stmt(s, "UPDATE followup SET state = ?2, status = CASE WHEN ?3 THEN 'done' "
                      "ELSE 'open' END, state_reason = ?4, forwarded_to = ?5, "
                      "done_by = CASE WHEN ?3 THEN ?6 END, done_at = CASE WHEN ?3 THEN ?7 END "
                      "WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, wf_state_name(&wf_followup, to));
        sqlite3_bind_int(st, 3, closed);
        bind_str(st, 4, kept ? kept : closed ? why : NULL);
        bind_id(st, 5, *where ? meeting_id : 0);
        bind_str(st, 6, a && a->name ? a->name : NULL);
        bind_str(st, 7, now);
        rc = run(s, st, e, "changing a follow-up's state");
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "followup:%lld", (long long)id);
        json_t *d = json_pack("{s:s,s:s,s:s}", "action", wf_action_name(&wf_followup, row->action),
                              "from", wf_state_name(&wf_followup, t.state), "to",
                              wf_state_name(&wf_followup, to));
        /* The ledger keeps that a reason was given; its text may speak of a closed case,
         * so it is kept beside the follow-up (state_reason, and a note for the history),
         * where only the case's readers see it. */
        if (why)
            json_object_set_new(d, "reason", json_true());
        if (*where)
            json_object_set_new(d, "meeting", json_integer(meeting_id));
        rc = fu_event(s, a, "followup.transition", object, d, e);
    }
    if (rc == 0 && why &&
        (rc = stmt(s, "INSERT INTO followup_note (followup_id, at, account_id, author, text) "
                      "VALUES (?1, ?2, ?3, coalesce((SELECT name FROM account WHERE id = ?3), "
                      "?4), 'Begrundelse: ' || ?5)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, now);
        bind_id(st, 3, a ? a->account_id : 0);
        bind_str(st, 4, a && a->name ? a->name : "cli");
        bind_str(st, 5, why);
        rc = run(s, st, e, "keeping a reason");
    }
    free(kept);
    return finish(s, rc, e, "changing a follow-up's state");
}

int store_followup_edit(struct store *s, int64_t id, const char *owner, const char *due,
                        const char *text, const struct store_actor *a, struct err *e)
{
    struct target t;
    sqlite3_stmt *st = NULL;
    int64_t person = 0;
    int y, mo, d;
    int rc = write_begin(s, e, "editing a follow-up");
    if (rc == 0)
        rc = load_target(s, id, a, &t, e);
    if (rc == 0 && !(t.roles & ROLE_SEKRETAER))
        rc = fail(s, e, ERR_DENIED, "kun udvalgets sekretær kan rette opfølgningen");
    if (rc == 0 && owner && blank(owner))
        rc = fail(s, e, ERR_SYNTAX, "ansvarlig: skriv navnet på den ansvarlige");
    if (rc == 0 && owner && strlen(owner) > 200)
        rc = fail(s, e, ERR_SYNTAX, "ansvarlig: navnet er for langt (højst 200 tegn)");
    if (rc == 0 && due && *due && date_parse_iso(due, &y, &mo, &d) < 0)
        rc = fail(s, e, ERR_SYNTAX, "frist: skriv en dato som ÅÅÅÅ-MM-DD");
    if (rc == 0 && text && blank(text))
        rc = fail(s, e, ERR_SYNTAX, "tekst: opfølgningen skal have en tekst");
    if (rc == 0 && text && strlen(text) > NOTE_MAX)
        rc = fail(s, e, ERR_LIMIT, "tekst: højst %d tegn", NOTE_MAX);
    if (rc == 0 && owner &&
        (rc = stmt(s, "INSERT INTO person (name) VALUES (?1) ON CONFLICT (name) DO NOTHING", &st,
                   e)) == 0) {
        bind_str(st, 1, owner);
        rc = run(s, st, e, "adding a person");
    }
    if (rc == 0 && owner && (rc = stmt(s, "SELECT id FROM person WHERE name = ?1", &st, e)) == 0) {
        bind_str(st, 1, owner);
        rc = first_row(s, st, e, "reading a person", "ansvarlig: ukendt");
        if (rc == 0)
            person = sqlite3_column_int64(st, 0);
        fin(st);
    }
    bool changed = false;
    if (rc == 0 &&
        (rc = stmt(s, "UPDATE followup SET person_id = coalesce(?2, person_id), "
                      "due = CASE WHEN ?3 IS NULL THEN due ELSE nullif(?3, '') END, "
                      "text = coalesce(?4, text) WHERE id = ?1 AND (person_id IS NOT "
                      "coalesce(?2, person_id) OR due IS NOT (CASE WHEN ?3 IS NULL THEN due "
                      "ELSE nullif(?3, '') END) OR text IS NOT coalesce(?4, text))", &st,
                   e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_id(st, 2, person);
        bind_str(st, 3, due);
        bind_str(st, 4, text);
        rc = run(s, st, e, "editing a follow-up");
        changed = rc == 0 && sqlite3_changes(store_sqlite_db(s)) > 0;
    }
    if (rc == 0 && changed) {
        char object[40];
        snprintf(object, sizeof object, "followup:%lld", (long long)id);
        json_t *dt = json_object();
        /* What changed, not to what: a name or a text may be a closed case's. */
        if (owner && person != t.person_id)
            json_object_set_new(dt, "owner", json_true());
        if (due)
            json_object_set_new(dt, "due", *due ? json_string(due) : json_null());
        if (text)
            json_object_set_new(dt, "text", json_true());
        rc = fu_event(s, a, "followup.edit", object, dt, e);
    }
    return finish(s, rc, e, "editing a follow-up");
}

/* ---- notes ---- */

static void read_note(sqlite3_stmt *st, void *elem)
{
    struct store_followup_note *n = elem;
    n->id = sqlite3_column_int64(st, 0);
    n->at = col_str(st, 1);
    n->author = col_str(st, 2);
    n->text = col_str(st, 3);
}

void store_followup_notes_free(struct store_followup_note *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].at);
        free(v[i].author);
        free(v[i].text);
    }
    free(v);
}

static void notes_free(void *v, size_t n)
{
    store_followup_notes_free(v, n);
}

static const struct rowtype note_rows = {sizeof(struct store_followup_note), "listing notes",
                                         read_note, notes_free};

int store_followup_note_add(struct store *s, int64_t id, const char *text,
                            const struct store_actor *a, int64_t *note_id, struct err *e)
{
    struct target t;
    sqlite3_stmt *st = NULL;
    char now[21];
    int64_t nid = 0;
    store_now(now);
    int rc = write_begin(s, e, "adding a note");
    if (rc == 0)
        rc = load_target(s, id, a, &t, e);
    /* The text first: an empty form is a 400 for anyone who may see the follow-up. */
    if (rc == 0 && blank(text))
        rc = fail(s, e, ERR_SYNTAX, "note: skriv, hvad der er sket");
    if (rc == 0 && strlen(text) > NOTE_MAX)
        rc = fail(s, e, ERR_LIMIT, "note: højst %d tegn", NOTE_MAX);
    if (rc == 0 && !(t.roles & ROLE_SEKRETAER) && !t.owner)
        rc = fail(s, e, ERR_DENIED, "kun udvalgets sekretær og den ansvarlige kan skrive noter");
    if (rc == 0 &&
        (rc = stmt(s, "INSERT INTO followup_note (followup_id, at, account_id, author, text) "
                      "VALUES (?1, ?2, ?3, coalesce((SELECT name FROM account WHERE id = ?3), "
                      "?4), ?5)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, now);
        bind_id(st, 3, a ? a->account_id : 0);
        bind_str(st, 4, a && a->name ? a->name : "cli");
        bind_str(st, 5, text);
        rc = insert(s, st, &nid, e, "adding a note");
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "followup:%lld", (long long)id);
        rc = fu_event(s, a, "followup.note", object, json_pack("{s:I}", "note", (json_int_t)nid),
                      e);
    }
    rc = finish(s, rc, e, "adding a note");
    if (rc == 0 && note_id)
        *note_id = nid;
    return rc;
}

int store_followup_notes(struct store *s, int64_t id, const struct reader *r,
                         struct store_followup_note **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 &&
        (rc = stmt(s, "SELECT nt.id, nt.at, nt.author, nt.text FROM followup_note nt "
                      "JOIN followup f ON f.id = nt.followup_id "
                      "JOIN \"case\" c ON c.id = f.case_id "
                      "WHERE nt.followup_id = ?1 AND " FOLLOWUP_FULL("c", "?9")
                      " ORDER BY nt.id LIMIT ?2", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, STORE_PAGE_MAX);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &note_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

/* ---- lists ---- */

int store_meeting_forwarded(struct store *s, int64_t meeting_id, const struct reader *r,
                            struct store_followup **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 &&
        (rc = stmt(s, FU_COLS "FROM followup f " FU_JOINS "WHERE f.forwarded_to = ?1 AND "
                      FOLLOWUP_FULL("c", "?9") " ORDER BY f.id LIMIT ?2", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        sqlite3_bind_int(st, 2, STORE_PAGE_MAX);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &followup_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

#define MINE_WHERE                                                                           \
    "FROM followup f INDEXED BY followup_person_due "                                        \
    "JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id "                         \
    "WHERE f.person_id IN mine AND (?2 = 0 OR f.status = CASE ?2 WHEN 1 THEN 'open' "         \
    "ELSE 'done' END) AND " FOLLOWUP_FULL("c", "?9")

int store_followups_mine(struct store *s, int64_t account_id, enum store_status status,
                         const struct reader *r, const struct store_page *pg,
                         struct store_followup **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, MINE_CTE "SELECT count(*) FROM (SELECT 1 " MINE_WHERE " LIMIT 10001)", &st,
                   e)) == 0) {
        sqlite3_bind_int64(st, 1, account_id);
        sqlite3_bind_int(st, 2, status);
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, MINE_CTE FU_COLS "FROM (SELECT f.id AS fid, ifnull(f.due, '~') AS k3 "
                      MINE_WHERE " ORDER BY ifnull(f.due, '~'), f.id LIMIT ?6 OFFSET ?7) k "
                      "JOIN followup f ON f.id = k.fid " FU_JOINS "ORDER BY k.k3, f.id",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, account_id);
        sqlite3_bind_int(st, 2, status);
        bind_page_capped(st, 6, 7, pg);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &followup_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

/* ---- units ---- */

static bool is_admin(const struct store_actor *a)
{
    return a && a->reader && (a->reader->all || a->reader->admin);
}

void store_units_free(struct store_unit *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        store_account_refs_free(v[i].members, v[i].nmembers);
    }
    free(v);
}

int store_unit_add(struct store *s, const char *name, const struct store_actor *a, int64_t *id,
                   struct err *e)
{
    sqlite3_stmt *st = NULL;
    char now[21];
    int64_t uid = 0;
    bool found = false;
    store_now(now);
    int rc = write_begin(s, e, "adding a unit");
    if (rc == 0 && !is_admin(a))
        rc = fail(s, e, ERR_DENIED, "kun en administrator kan oprette enheder");
    if (rc == 0 && (blank(name) || strlen(name) > 200))
        rc = fail(s, e, ERR_SYNTAX, "navn: skriv enhedens navn (højst 200 tegn)");
    if (rc == 0 && (rc = stmt(s, "SELECT id FROM unit WHERE name = ?1", &st, e)) == 0) {
        bind_str(st, 1, name);
        rc = one_int(s, st, &uid, &found, e, "reading units");
        if (rc == 0 && found)
            rc = fail(s, e, ERR_CONFLICT, "navn: der er allerede en enhed med det navn");
    }
    if (rc == 0 &&
        (rc = stmt(s, "INSERT INTO unit (name, created_at) VALUES (?1, ?2)", &st, e)) == 0) {
        bind_str(st, 1, name);
        bind_str(st, 2, now);
        rc = insert(s, st, &uid, e, "adding a unit");
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "unit:%lld", (long long)uid);
        rc = fu_event(s, a, "unit.add", object, json_pack("{s:s}", "name", name), e);
    }
    rc = finish(s, rc, e, "adding a unit");
    if (rc == 0 && id)
        *id = uid;
    return rc;
}

int store_units(struct store *s, const struct store_page *pg, struct store_unit **v, size_t *n,
                size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_unit *out = NULL;
    size_t cnt = 0, cap = 0;
    bool row;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM unit", &st, e)) == 0)
        rc = count_rows(s, st, total, e);
    if (rc == 0 &&
        (rc = stmt(s, "SELECT id, name FROM unit ORDER BY name, id LIMIT ?1 OFFSET ?2", &st,
                   e)) == 0) {
        bind_page(st, 1, 2, pg);
        while ((rc = next_row(s, st, &row, e, "listing units")) == 0 && row) {
            out = grow(out, cnt, &cap, sizeof *out);
            memset(&out[cnt], 0, sizeof out[cnt]);
            out[cnt].id = sqlite3_column_int64(st, 0);
            out[cnt++].name = col_str(st, 1);
        }
        fin(st);
    }
    for (size_t i = 0; rc == 0 && i < cnt; i++) {
        size_t mcap = 0;
        if ((rc = stmt(s, "SELECT a.id, a.login, a.name FROM unit_member um JOIN account a "
                          "ON a.id = um.account_id WHERE um.unit_id = ?1 ORDER BY a.name, a.id "
                          "LIMIT 500", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, out[i].id);
        while ((rc = next_row(s, st, &row, e, "listing a unit's members")) == 0 && row) {
            out[i].members = grow(out[i].members, out[i].nmembers, &mcap,
                                  sizeof *out[i].members);
            struct store_account_ref *m = &out[i].members[out[i].nmembers++];
            m->id = sqlite3_column_int64(st, 0);
            m->login = col_str(st, 1);
            m->name = col_str(st, 2);
        }
        fin(st);
    }
    read_end(s);
    if (rc < 0) {
        store_units_free(out, cnt);
        return rc;
    }
    *v = out;
    *n = cnt;
    return 0;
}

int store_unit_member(struct store *s, int64_t unit_id, const char *login, bool add,
                      const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t account = 0, x = 0;
    bool found = false;
    int rc = write_begin(s, e, "changing a unit");
    if (rc == 0 && !is_admin(a))
        rc = fail(s, e, ERR_DENIED, "kun en administrator kan ændre enheder");
    if (rc == 0 && (rc = stmt(s, "SELECT id FROM unit WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, unit_id);
        rc = one_int(s, st, &x, &found, e, "reading a unit");
        if (rc == 0 && !found)
            rc = notfound(s, e, "enhed: ingen enhed med id %lld", (long long)unit_id);
    }
    if (rc == 0 && (rc = stmt(s, "SELECT id FROM account WHERE login = ?1", &st, e)) == 0) {
        bind_str(st, 1, login ? login : "");
        rc = one_int(s, st, &account, &found, e, "reading an account");
        if (rc == 0 && !found)
            rc = notfound(s, e, "bruger: intet login '%s'",
                          login && strlen(login) < 64 ? login : "");
    }
    bool changed = false;
    if (rc == 0 &&
        (rc = stmt(s, add ? "INSERT INTO unit_member (unit_id, account_id) VALUES (?1, ?2) "
                            "ON CONFLICT DO NOTHING"
                          : "DELETE FROM unit_member WHERE unit_id = ?1 AND account_id = ?2",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, unit_id);
        sqlite3_bind_int64(st, 2, account);
        rc = run(s, st, e, "changing a unit");
        changed = rc == 0 && sqlite3_changes(store_sqlite_db(s)) > 0;
    }
    if (rc == 0 && changed) {
        char object[40];
        snprintf(object, sizeof object, "unit:%lld", (long long)unit_id);
        rc = fu_event(s, a, add ? "unit.member_add" : "unit.member_remove", object,
                      json_pack("{s:s}", "login", login), e);
    }
    return finish(s, rc, e, "changing a unit");
}

/* ---- links from owner names ---- */

void store_person_links_free(struct store_person_link *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].linked);
        free(v[i].proposed);
    }
    free(v);
}

static void read_link(sqlite3_stmt *st, void *elem)
{
    struct store_person_link *l = elem;
    l->person_id = sqlite3_column_int64(st, 0);
    l->name = col_str(st, 1);
    l->account_id = sqlite3_column_int64(st, 2);
    l->unit_id = sqlite3_column_int64(st, 3);
    l->linked = col_str(st, 4);
    l->propose_account = sqlite3_column_int64(st, 5);
    l->propose_unit = sqlite3_column_int64(st, 6);
    l->proposed = col_str(st, 7);
}

static void links_free(void *v, size_t n)
{
    store_person_links_free(v, n);
}

static const struct rowtype link_rows = {sizeof(struct store_person_link), "listing owners",
                                         read_link, links_free};

#define OWNER_PEOPLE                                                                         \
    "FROM person p WHERE EXISTS (SELECT 1 FROM followup f WHERE f.person_id = p.id)"

int store_person_links(struct store *s, const struct store_page *pg,
                       struct store_person_link **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total && (rc = stmt(s, COUNT_CAPPED(OWNER_PEOPLE), &st, e)) == 0)
        rc = count_rows(s, st, total, e);
    if (rc == 0 &&
        (rc = stmt(s, "SELECT p.id, p.name, ifnull(pl.account_id, 0), ifnull(pl.unit_id, 0), "
                      "coalesce(la.name, lu.name), "
                      "CASE WHEN pl.person_id IS NULL THEN ifnull(pa.id, 0) ELSE 0 END, "
                      "CASE WHEN pl.person_id IS NULL AND pa.id IS NULL THEN ifnull(pu.id, 0) "
                      "ELSE 0 END, CASE WHEN pl.person_id IS NULL THEN "
                      "coalesce(pa.name || ' (' || pa.login || ')', pu.name) END "
                      "FROM (SELECT p.id, p.name " OWNER_PEOPLE
                      " ORDER BY p.name COLLATE NOCASE, p.id LIMIT ?1 OFFSET ?2) p "
                      "LEFT JOIN person_link pl ON pl.person_id = p.id "
                      "LEFT JOIN account la ON la.id = pl.account_id "
                      "LEFT JOIN unit lu ON lu.id = pl.unit_id "
                      "LEFT JOIN account pa ON pa.id = (SELECT id FROM account WHERE name = "
                      "p.name COLLATE NOCASE AND NOT disabled ORDER BY id LIMIT 1) "
                      "LEFT JOIN unit pu ON pu.name = p.name "
                      "ORDER BY p.name COLLATE NOCASE, p.id", &st, e)) == 0) {
        bind_page(st, 1, 2, pg);
        if ((rc = collect(s, st, &link_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_person_link_set(struct store *s, int64_t person_id, int64_t account_id,
                          int64_t unit_id, const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t x = 0;
    bool found = false;
    int rc = write_begin(s, e, "linking an owner");
    if (rc == 0 && !is_admin(a))
        rc = fail(s, e, ERR_DENIED, "kun en administrator kan knytte ansvarlige til brugere");
    if (rc == 0 && account_id && unit_id)
        rc = fail(s, e, ERR_SYNTAX, "knyt: vælg en bruger eller en enhed, ikke begge");
    if (rc == 0 && (rc = stmt(s, "SELECT id FROM person WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, person_id);
        rc = one_int(s, st, &x, &found, e, "reading a person");
        if (rc == 0 && !found)
            rc = notfound(s, e, "person: ingen med id %lld", (long long)person_id);
    }
    if (rc == 0 && (account_id || unit_id) &&
        (rc = stmt(s, "SELECT 1 WHERE EXISTS (SELECT 1 FROM account WHERE id = ?1) OR "
                      "EXISTS (SELECT 1 FROM unit WHERE id = ?2)", &st, e)) == 0) {
        bind_id(st, 1, account_id);
        bind_id(st, 2, unit_id);
        rc = one_int(s, st, &x, &found, e, "reading a link's target");
        if (rc == 0 && !found)
            rc = notfound(s, e, "knyt: ingen sådan %s", account_id ? "bruger" : "enhed");
    }
    if (rc == 0 && (rc = stmt(s, "DELETE FROM person_link WHERE person_id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, person_id);
        rc = run(s, st, e, "linking an owner");
    }
    if (rc == 0 && (account_id || unit_id) &&
        (rc = stmt(s, "INSERT INTO person_link (person_id, account_id, unit_id) "
                      "VALUES (?1, ?2, ?3)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, person_id);
        bind_id(st, 2, account_id);
        bind_id(st, 3, unit_id);
        rc = run(s, st, e, "linking an owner");
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "person:%lld", (long long)person_id);
        rc = fu_event(s, a, "person.link", object,
                      json_pack("{s:I,s:I}", "account", (json_int_t)account_id, "unit",
                                (json_int_t)unit_id), e);
    }
    return finish(s, rc, e, "linking an owner");
}

/* ---- forwarding targets ---- */

void store_forward_targets_free(struct store_forward_target *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].body);
        free(v[i].body_name);
        free(v[i].date);
    }
    free(v);
}

static void read_target(sqlite3_stmt *st, void *elem)
{
    struct store_forward_target *t = elem;
    t->id = sqlite3_column_int64(st, 0);
    t->body = col_str(st, 1);
    t->body_name = col_str(st, 2);
    t->date = col_str(st, 3);
}

static void targets_free(void *v, size_t n)
{
    store_forward_targets_free(v, n);
}

static const struct rowtype target_rows = {sizeof(struct store_forward_target),
                                           "listing meetings", read_target, targets_free};

int store_forward_targets(struct store *s, int64_t id, const struct store_page *pg,
                          struct store_forward_target **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 &&
        (rc = stmt(s, "SELECT m.id, b.code, b.name, m.date FROM meeting m JOIN body b "
                      "ON b.id = m.body_id WHERE m.state IN ('planlagt', 'dagsorden_frigivet') "
                      "AND m.body_id IS NOT " DECIDING_BODY("?3")
                      " ORDER BY m.date, m.id LIMIT ?1 OFFSET ?2", &st, e)) == 0) {
        bind_page(st, 1, 2, pg);
        sqlite3_bind_int64(st, 3, id);
        if ((rc = collect(s, st, &target_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}
