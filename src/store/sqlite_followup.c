/* sqlite_followup: follow-ups and the people who own them or attend as guests, on SQLite,
 * in what the reader may see. */
#include "store_sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- follow-ups ---- */

static void read_followup(sqlite3_stmt *st, void *elem)
{
    struct store_followup *fu = elem;
    fu->id = sqlite3_column_int64(st, 0);
    fu->case_id = sqlite3_column_int64(st, 1);
    fu->case_title = col_str(st, 2);
    fu->body = col_str(st, 3);
    fu->meeting_date = col_str(st, 4);
    fu->entry_title = col_str(st, 5);
    fu->owner = col_str(st, 6);
    fu->role = col_str(st, 7);
    fu->text = col_str(st, 8);
    fu->due = col_str(st, 9);
    fu->done = sqlite3_column_int(st, 10) != 0;
    fu->done_by = col_str(st, 11);
    fu->done_at = col_str(st, 12);
}

static void followups_free(void *v, size_t n)
{
    store_followups_free(v, n);
}

static const struct rowtype followup_rows = {sizeof(struct store_followup),
                                             "listing follow-ups", read_followup,
                                             followups_free};

#define FOLLOWUP_FILTER                                                                      \
    "WHERE (?1 IS NULL OR p.name = ?1 COLLATE NOCASE) "                                      \
    "AND (?2 = 0 OR f.status = CASE ?2 WHEN 1 THEN 'open' ELSE 'done' END) "                 \
    "AND (?3 IS NULL OR (f.status = 'open' AND f.due < ?3)) "                                \
    "AND (?4 = 0 OR f.case_id = ?4) AND " FOLLOWUP_FULL("c", "?9") /* issue 9, publication */

static void bind_filter(sqlite3_stmt *st, const struct store_followup_filter *f,
                        const struct reader *r)
{
    bind_str(st, 1, f->owner);
    sqlite3_bind_int(st, 2, f->status);
    bind_str(st, 3, f->overdue_on);
    sqlite3_bind_int64(st, 4, f->case_id);
    sqlite3_bind_int(st, 5, f->by_owner);
    bind_reader(st, 9, r);
}

int store_followups(struct store *s, const struct store_followup_filter *f,
                    const struct reader *r, const struct store_page *pg,
                    struct store_followup **v, size_t *n, size_t *total, struct err *e)
{
    static const struct store_followup_filter none = {0};
    sqlite3_stmt *st = NULL;
    void *out;
    if (!f)
        f = &none;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM followup f JOIN \"case\" c ON c.id = f.case_id "
                      "JOIN person p ON p.id = f.person_id " FOLLOWUP_FILTER, &st, e)) == 0) {
        bind_filter(st, f, r);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, "SELECT f.id, f.case_id, c.title, b.code, d.date, en.title, p.name, "
                      "f.role, f.text, f.due, f.status = 'done', f.done_by, f.done_at "
                      "FROM followup f JOIN \"case\" c ON c.id = f.case_id "
                      "JOIN person p ON p.id = f.person_id "
                      "LEFT JOIN entry en ON en.id = f.entry_id "
                      "LEFT JOIN decision d ON d.id = en.decision_id "
                      "LEFT JOIN meeting m ON m.id = d.meeting_id "
                      "LEFT JOIN body b ON b.id = m.body_id " FOLLOWUP_FILTER
                      " ORDER BY CASE WHEN ?5 THEN p.name END, f.due IS NULL, f.due, f.id "
                      "LIMIT ?6 OFFSET ?7", &st, e)) == 0) {
        bind_filter(st, f, r);
        bind_page(st, 6, 7, pg);
        if ((rc = collect(s, st, &followup_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

static int followup_event(struct store *s, const struct store_actor *a, const char *action,
                          int64_t id, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "followup:%lld", (long long)id);
    struct event ev = {.action = action, .object = object};
    return ledger_append(s, a, &ev, NULL, e);
}

static int followup_status(struct store *s, int64_t id, bool *done, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT status = 'done' FROM followup WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "reading a follow-up", "no follow-up with id %lld", (long long)id);
    if (rc == 0)
        *done = sqlite3_column_int(st, 0) != 0;
    fin(st);
    return rc;
}

int store_followup_done(struct store *s, int64_t id, const char *by, const char *when,
                        const struct store_actor *a, bool *was_done, struct err *e)
{
    char now[21];
    sqlite3_stmt *st = NULL;
    bool done = false;
    store_now(now);
    int rc = write_begin(s, e, "closing a follow-up");
    if (rc == 0)
        rc = followup_status(s, id, &done, e);
    if (rc == 0 && !done &&
        (rc = stmt(s, "UPDATE followup SET status = 'done', done_by = ?2, done_at = ?3 "
                      "WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, by);
        bind_str(st, 3, when ? when : now);
        rc = run(s, st, e, "closing a follow-up");
        if (rc == 0)
            rc = followup_event(s, a, "followup.done", id, e);
    }
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    if ((rc = write_commit(s, e, "closing a follow-up")) == 0 && was_done)
        *was_done = done;
    return rc;
}

int store_followup_reopen(struct store *s, int64_t id, const struct store_actor *a,
                          struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool done = false;
    int rc = write_begin(s, e, "reopening a follow-up");
    if (rc == 0)
        rc = followup_status(s, id, &done, e);
    if (rc == 0 && done &&
        (rc = stmt(s, "UPDATE followup SET status = 'open', done_by = NULL, done_at = NULL "
                      "WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        rc = run(s, st, e, "reopening a follow-up");
        if (rc == 0)
            rc = followup_event(s, a, "followup.reopen", id, e);
    }
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    return write_commit(s, e, "reopening a follow-up");
}

int store_followup_owners(struct store *s, const struct reader *r, const struct store_page *pg,
                          char ***names, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t cnt = 0, cap = 0;
    bool row;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(DISTINCT f.person_id) FROM followup f "
                      "JOIN \"case\" c ON c.id = f.case_id WHERE " FOLLOWUP_FULL("c", "?9"),
                   &st, e)) == 0) {
        bind_reader(st, 9, r);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, "SELECT p.name FROM person p WHERE EXISTS (SELECT 1 FROM followup f "
                      "JOIN \"case\" c ON c.id = f.case_id WHERE f.person_id = p.id AND "
                      FOLLOWUP_FULL("c", "?9") ") ORDER BY p.name LIMIT ?1 OFFSET ?2", &st, e)) == 0) {
        bind_page(st, 1, 2, pg);
        bind_reader(st, 9, r);
        while ((rc = next_row(s, st, &row, e, "listing owners")) == 0 && row) {
            v = grow(v, cnt, &cap, sizeof *v);
            v[cnt++] = col_str(st, 0);
        }
        fin(st);
    }
    read_end(s);
    if (rc < 0) {
        store_problems_free(v, cnt);
        return rc;
    }
    *names = v;
    *n = cnt;
    return 0;
}

/* ---- people ---- */
static void read_person(sqlite3_stmt *st, void *elem)
{
    struct store_person *p = elem;
    p->id = sqlite3_column_int64(st, 0);
    p->name = col_str(st, 1);
    p->role = col_str(st, 2);
    p->nguest = (size_t)sqlite3_column_int64(st, 3);
    p->nowned = (size_t)sqlite3_column_int64(st, 4);
    p->nopen = (size_t)sqlite3_column_int64(st, 5);
}

static void people_free(void *v, size_t n)
{
    store_people_free(v, n);
}

static const struct rowtype person_rows = {sizeof(struct store_person), "listing people",
                                           read_person, people_free};

/* The appearances the reader may see, by person: a person seen only in closed cases is not
 * listed for the public at all. ?9 is the reader. */
#define PEOPLE_CTE                                                                           \
    "WITH g AS (SELECT g.person_id, g.role, c.date, c.id AS cid FROM guest g "               \
    "  JOIN subitem si ON si.id = g.subitem_id JOIN \"case\" c ON c.id = si.case_id "        \
    "  WHERE (?8 = 0 OR g.person_id = ?8) AND " CASE_FULL("c", "?9") "), "                    \
    "f AS (SELECT f.person_id, f.role, f.status, c.date, c.id AS cid FROM followup f "        \
    "  JOIN \"case\" c ON c.id = f.case_id "                                                \
    "  WHERE (?8 = 0 OR f.person_id = ?8) AND " FOLLOWUP_FULL("c", "?9") ") " /* issue 9 */  \
    ""
#define PEOPLE_WHERE                                                                         \
    "WHERE EXISTS (SELECT 1 FROM g WHERE g.person_id = p.id) "                               \
    "  OR EXISTS (SELECT 1 FROM f WHERE f.person_id = p.id) "

int store_people(struct store *s, const struct reader *r, const struct store_page *pg,
                 struct store_person **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, PEOPLE_CTE "SELECT count(*) FROM person p " PEOPLE_WHERE, &st, e)) == 0) {
        sqlite3_bind_int64(st, 8, 0);
        bind_reader(st, 9, r);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, PEOPLE_CTE
                   ", rl AS (SELECT person_id, role, date, cid FROM g WHERE role IS NOT NULL "
                   "  UNION ALL SELECT person_id, role, date, cid FROM f WHERE role IS NOT NULL) "
                   "SELECT p.id, p.name, "
                   "  (SELECT role FROM rl WHERE rl.person_id = p.id "
                   "   ORDER BY rl.date IS NULL, rl.date DESC, rl.cid DESC LIMIT 1), "
                   "  (SELECT count(*) FROM g WHERE g.person_id = p.id), "
                   "  (SELECT count(*) FROM f WHERE f.person_id = p.id), "
                   "  (SELECT count(*) FROM f WHERE f.person_id = p.id AND f.status = 'open') "
                   "FROM person p " PEOPLE_WHERE "ORDER BY p.name LIMIT ?1 OFFSET ?2",
                   &st, e)) == 0) {
        bind_page(st, 1, 2, pg);
        sqlite3_bind_int64(st, 8, 0);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &person_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_person_get(struct store *s, int64_t id, const struct reader *r,
                     struct store_person *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = read_begin(s, e);
    if (rc == 0 &&
        (rc = stmt(s, PEOPLE_CTE
                   ", rl AS (SELECT person_id, role, date, cid FROM g WHERE role IS NOT NULL "
                   "  UNION ALL SELECT person_id, role, date, cid FROM f WHERE role IS NOT NULL) "
                   "SELECT p.id, p.name, "
                   "  (SELECT role FROM rl WHERE rl.person_id = p.id "
                   "   ORDER BY rl.date IS NULL, rl.date DESC, rl.cid DESC LIMIT 1), "
                   "  (SELECT count(*) FROM g WHERE g.person_id = p.id), "
                   "  (SELECT count(*) FROM f WHERE f.person_id = p.id), "
                   "  (SELECT count(*) FROM f WHERE f.person_id = p.id AND f.status = 'open') "
                   "FROM person p WHERE p.id = ?1 AND (EXISTS (SELECT 1 FROM g "
                   "WHERE g.person_id = p.id) OR EXISTS (SELECT 1 FROM f "
                   "WHERE f.person_id = p.id))", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 8, id);
        bind_reader(st, 9, r);
        rc = first_row(s, st, e, "reading a person", "no person with id %lld", (long long)id);
        if (rc == 0)
            read_person(st, out);
        fin(st);
    }
    read_end(s);
    return rc;
}

int store_person_lookup(struct store *s, const char *name, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT id FROM person WHERE name = ?1 COLLATE NOCASE ORDER BY id", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, name);
    rc = first_row(s, st, e, "looking up a person", "no person named '%s'", name);
    if (rc == 0)
        *id = sqlite3_column_int64(st, 0);
    fin(st);
    return rc;
}

static void read_appearance(sqlite3_stmt *st, void *elem)
{
    struct store_appearance *ap = elem;
    ap->case_id = sqlite3_column_int64(st, 0);
    ap->case_title = col_str(st, 1);
    ap->subitem_title = col_str(st, 2);
    ap->role = col_str(st, 3);
    ap->body = col_str(st, 4);
    ap->date = col_str(st, 5);
}

static void appearances_free(void *v, size_t n)
{
    store_appearances_free(v, n);
}

static const struct rowtype appearance_rows = {sizeof(struct store_appearance),
                                               "listing appearances", read_appearance,
                                               appearances_free};

int store_person_appearances(struct store *s, int64_t person_id, const struct reader *r,
                             const struct store_page *pg, struct store_appearance **v,
                             size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM guest g JOIN subitem si ON si.id = g.subitem_id "
                      "JOIN \"case\" c ON c.id = si.case_id "
                      "WHERE g.person_id = ?1 AND " CASE_FULL("c", "?9"), &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, person_id);
        bind_reader(st, 9, r);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, "SELECT c.id, c.title, si.title, g.role, b.code, c.date FROM guest g "
                      "JOIN subitem si ON si.id = g.subitem_id "
                      "JOIN \"case\" c ON c.id = si.case_id "
                      "LEFT JOIN body b ON b.id = c.body_id "
                      "WHERE g.person_id = ?1 AND " CASE_FULL("c", "?9")
                      " ORDER BY c.date IS NULL, c.date DESC, c.id DESC, si.pos "
                      "LIMIT ?2 OFFSET ?3", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, person_id);
        bind_page(st, 2, 3, pg);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &appearance_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}
