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
    fu->state = col_str(st, 13); /* issue 10, followups */
}

static void followups_free(void *v, size_t n)
{
    store_followups_free(v, n);
}

const struct rowtype followup_rows = /* issue 10, followups: shared */ {sizeof(struct store_followup),
                                             "listing follow-ups", read_followup,
                                             followups_free};

/* ---- issue 11, paging: follow-ups walk an index in their order, so LIMIT stops the walk:
 * by owner (person_name_nocase, then followup_person_due), or all in due order
 * (followup_due_id), or one case's (followup_case, a short sort). A follow-up without a due
 * date sorts last: ifnull(due, '~') (every ISO date sorts before '~'). ---- */
#define FOLLOWUP_COND                                                                        \
    "(?2 = 0 OR f.status = CASE ?2 WHEN 1 THEN 'open' ELSE 'done' END) "                     \
    "AND (?3 IS NULL OR (f.status = 'open' AND f.due < ?3)) AND "                             \
    FOLLOWUP_FULL("c", "?9") /* issue 9, publication: the minutes' follow-ups */             \
    " AND " FOLLOWUP_PORTAL
/* ---- issue 10, portal follow-ups: a body's followup.public = 0 keeps its cases' follow-ups
 * off the portal. The first test has no outer reference, so SQLite runs it once per
 * statement: while no body hides them, no row pays for the second. ---- */
/* issue 10, the agenda's standing item: the follow-ups of one body's decisions; the decision
 * is the entry's or (issue 10, flat follow-ups) the follow-up's own. */
#define FOLLOWUP_BODY                                                                        \
    "(?8 IS NULL OR EXISTS (SELECT 1 FROM decision d8 JOIN meeting m8 ON m8.id = "            \
    "d8.meeting_id JOIN body b8 ON b8.id = m8.body_id WHERE d8.id = coalesce((SELECT "        \
    "en8.decision_id FROM entry en8 WHERE en8.id = f.entry_id), f.decision_id) "             \
    "AND b8.code = ?8)) "
#define FOLLOWUP_PORTAL                                                                      \
    "(?5 = 0 OR NOT EXISTS (SELECT 1 FROM body_setting WHERE key = 'followup.public' "        \
    "AND value = '0') OR NOT EXISTS (SELECT 1 FROM case_body cb JOIN body_setting bs "        \
    "ON bs.body_id = cb.body_id AND bs.key = 'followup.public' AND bs.value = '0' "           \
    "WHERE cb.case_id = f.case_id)) "
#define FOLLOWUP_JOINS                                                                       \
    "LEFT JOIN entry en ON en.id = f.entry_id "                                              \
    "LEFT JOIN decision d ON d.id = coalesce(en.decision_id, f.decision_id) "                \
    "LEFT JOIN meeting m ON m.id = d.meeting_id "                                            \
    "LEFT JOIN body b ON b.id = m.body_id "
/* One owner (by name, any case), or every owner in name order. The owner's person row is
 * joined by the list's outer query (FOLLOWUP_LIST): a walk in due order or of one case does
 * not read it (followup.person_id is a foreign key, so the join never drops a row). */
#define FOLLOWUP_FROM_OWNER(cond)                                                            \
    "FROM person p CROSS JOIN followup f JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id " \
    "WHERE p.name = ?1 COLLATE NOCASE AND f.person_id = p.id AND (?4 = 0 OR f.case_id = ?4) " \
    "AND " cond
#define FOLLOWUP_FROM_OWNERS(cond)                                                           \
    "FROM person p CROSS JOIN followup f JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id " \
    "WHERE f.person_id = p.id AND (?4 = 0 OR f.case_id = ?4) AND " cond
#define FOLLOWUP_FROM_ALL(cond)                                                              \
    "FROM followup f JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id WHERE " cond
#define FOLLOWUP_FROM_CASE(cond)                                                             \
    "FROM followup f JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id "     \
    "WHERE f.case_id = ?4 AND " cond
#define FOLLOWUP_COLS                                                                        \
    "SELECT f.id, f.case_id, c.title, b.code, d.date, en.title, p.name, "                    \
    "f.role, f.text, f.due, f.status = 'done', f.done_by, f.done_at, f.state "
/* A deferred join: the walk picks the window's ids through the indexes alone (rows an OFFSET
 * skips cost an index entry, not a case's row and the display joins), then the window's rows
 * are read and put back in the walk's order. */
#define FOLLOWUP_LIST(from, keys, order)                                                     \
    FOLLOWUP_COLS "FROM (SELECT f.id AS fid, " keys " " from " ORDER BY " order              \
    " LIMIT ?6 OFFSET ?7) k JOIN followup f ON f.id = k.fid "                                \
    "JOIN person p ON p.id = f.person_id JOIN \"case\" c ON c.id = f.case_id "               \
    FOLLOWUP_JOINS "ORDER BY "
#define BY_OWNER_KEYS                                                                        \
    "p.name COLLATE NOCASE AS k1, p.id AS k2, ifnull(f.due, '~') AS k3, f.id AS k4"
#define BY_OWNER_ORDER "p.name COLLATE NOCASE, p.id, ifnull(f.due, '~'), f.id"
#define BY_OWNER_AFTER "k.k1 COLLATE NOCASE, k.k2, k.k3, k.k4"
#define BY_DUE_KEYS "ifnull(f.due, '~') AS k3, f.id AS k4"
#define BY_DUE_ORDER "ifnull(f.due, '~'), f.id"
#define BY_DUE_AFTER "k.k3, k.k4"

enum { FU_OWNER, FU_OWNERS, FU_ALL, FU_CASE, FU_NKINDS };
/* ---- issue 11, archive routes: the body filter is in its own statements. It reads the
 * follow-up's entry_id and decision_id, which no list index holds: in every statement it
 * would make each walked row a read of the follow-up's table row (a capped count of
 * /opfoelgning read 10,001 of them). [kind][with the body filter] ---- */
#define FU_SQL(from, keys, order, after)                                                     \
    {{COUNT_CAPPED(from(FOLLOWUP_COND)), FOLLOWUP_LIST(from(FOLLOWUP_COND), keys, order) after}, \
     {COUNT_CAPPED(from(FOLLOWUP_COND " AND " FOLLOWUP_BODY)),                              \
      FOLLOWUP_LIST(from(FOLLOWUP_COND " AND " FOLLOWUP_BODY), keys, order) after}}
static const char *const followup_sql[FU_NKINDS][2][2] = {
    [FU_OWNER] = FU_SQL(FOLLOWUP_FROM_OWNER, BY_OWNER_KEYS, BY_OWNER_ORDER, BY_OWNER_AFTER),
    [FU_OWNERS] = FU_SQL(FOLLOWUP_FROM_OWNERS, BY_OWNER_KEYS, BY_OWNER_ORDER, BY_OWNER_AFTER),
    [FU_ALL] = FU_SQL(FOLLOWUP_FROM_ALL, BY_DUE_KEYS, BY_DUE_ORDER, BY_DUE_AFTER),
    [FU_CASE] = FU_SQL(FOLLOWUP_FROM_CASE, BY_DUE_KEYS, BY_DUE_ORDER, BY_DUE_AFTER)};
/* ---- end issue 11, archive routes ---- */

static void bind_filter(sqlite3_stmt *st, const struct store_followup_filter *f,
                        const struct reader *r)
{
    bind_str(st, 1, f->owner);
    sqlite3_bind_int(st, 2, f->status);
    bind_str(st, 3, f->overdue_on);
    sqlite3_bind_int64(st, 4, f->case_id);
    sqlite3_bind_int(st, 5, f->portal); /* issue 10, portal follow-ups */
    bind_str(st, 8, f->body);           /* issue 10, the agenda's standing item */
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
    /* An owner's follow-ups come in the by-owner order (one owner: the same thing). */
    int kind = f->owner ? FU_OWNER : f->by_owner ? FU_OWNERS : f->case_id ? FU_CASE : FU_ALL;
    int rc = read_begin(s, e);
    const char *const *sql = followup_sql[kind][f->body != NULL];
    if (rc == 0 && total && (rc = stmt(s, sql[0], &st, e)) == 0) {
        bind_filter(st, f, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0 && (rc = stmt(s, sql[1], &st, e)) == 0) {
        bind_filter(st, f, r);
        bind_page_capped(st, 6, 7, pg);
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
        (rc = stmt(s, "UPDATE followup SET status = 'done', state = 'udfoert', "
                      "done_by = ?2, done_at = ?3 WHERE id = ?1", &st, e)) == 0) {
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
        (rc = stmt(s, "UPDATE followup SET status = 'open', state = 'aaben', "
                      "state_reason = NULL, forwarded_to = NULL, done_by = NULL, done_at = NULL WHERE id = ?1", &st, e)) == 0) {
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
        (rc = stmt(s, COUNT_CAPPED("FROM person p WHERE EXISTS (SELECT 1 FROM followup f "
                                   "JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id WHERE f.person_id = p.id "
                                   "AND " FOLLOWUP_FULL("c", "?9") ")"), &st, e)) == 0) {
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, "SELECT p.name FROM person p WHERE EXISTS (SELECT 1 FROM followup f "
                      "JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id WHERE f.person_id = p.id AND "
                      FOLLOWUP_FULL("c", "?9") ") ORDER BY p.name LIMIT ?1 OFFSET ?2", &st, e)) == 0) {
        bind_page_capped(st, 1, 2, pg);
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

/* ---- issue 11, paging: a person's figures from index lookups by person_id, each count
 * capped like a list's (COUNT_CAPPED), and no CTE that would gather every appearance first.
 * The role is the one of their newest guest appearance (by date) or newest follow-up, the
 * newer of the two. ?9 is the reader. ---- */
#define PERSON_GUESTS_OF(pid)                                                                \
    "FROM guest g JOIN subitem si INDEXED BY subitem_id_case ON si.id = g.subitem_id "        \
    "JOIN \"case\" c INDEXED BY case_visibility ON c.id = si.case_id "                        \
    "WHERE g.person_id = " pid " AND " CASE_FULL("c", "?9")
#define PERSON_FOLLOWUPS_OF(pid)                                                             \
    "FROM followup f JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id "         \
    "WHERE f.person_id = " pid " AND " FOLLOWUP_FULL("c", "?9") /* issue 9, publication */
#define PERSON_GUESTS PERSON_GUESTS_OF("p.id")
#define PERSON_FOLLOWUPS PERSON_FOLLOWUPS_OF("p.id")
#define PERSON_ROLE                                                                          \
    "(SELECT role FROM ("                                                                    \
    "  SELECT * FROM (SELECT g.role, c.date " PERSON_GUESTS " AND g.role IS NOT NULL "        \
    "    ORDER BY c.date DESC, c.id DESC LIMIT 1) UNION ALL "                                \
    "  SELECT * FROM (SELECT f.role, c.date FROM followup f INDEXED BY followup_person_role "  \
    "    JOIN \"case\" c INDEXED BY case_visibility ON c.id = f.case_id WHERE f.person_id = p.id " \
    "    AND " FOLLOWUP_FULL("c", "?9") " AND f.role IS NOT NULL "                              \
    "    ORDER BY f.id DESC LIMIT 1)) ORDER BY date IS NULL, date DESC LIMIT 1)"
#define PERSON_COLS                                                                          \
    "SELECT p.id, p.name, " PERSON_ROLE ", "                                                 \
    "(SELECT count(*) FROM (SELECT 1 " PERSON_GUESTS " LIMIT 10001)), "                      \
    "(SELECT count(*) FROM (SELECT 1 " PERSON_FOLLOWUPS " LIMIT 10001)), "                   \
    "(SELECT count(*) FROM (SELECT 1 " PERSON_FOLLOWUPS " AND f.status = 'open' LIMIT 10001)) " \
    "FROM person p "
/* ---- issue 11, archive routes: one person's page asks its three figures as counts of their
 * own (count_rows_seen remembers them; the appearances' total is the first one, the same
 * statement) ---- */
static const char *const person_count_sql[3] = {
    COUNT_CAPPED(PERSON_GUESTS_OF("?1")), COUNT_CAPPED(PERSON_FOLLOWUPS_OF("?1")),
    COUNT_CAPPED(PERSON_FOLLOWUPS_OF("?1") " AND f.status = 'open'")};
#define PERSON_SEEN                                                                          \
    "(EXISTS (SELECT 1 " PERSON_GUESTS ") OR EXISTS (SELECT 1 " PERSON_FOLLOWUPS "))"

int store_people(struct store *s, const struct reader *r, const struct store_page *pg,
                 struct store_person **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, COUNT_CAPPED("FROM person p WHERE " PERSON_SEEN), &st, e)) == 0) {
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, PERSON_COLS "WHERE " PERSON_SEEN " ORDER BY p.name COLLATE NOCASE, p.id "
                      "LIMIT ?1 OFFSET ?2", &st, e)) == 0) {
        bind_page_capped(st, 1, 2, pg);
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
    struct store_person p = {0};
    size_t *figure[3] = {&p.nguest, &p.nowned, &p.nopen};
    int rc = read_begin(s, e);
    if (rc == 0 && (rc = stmt(s, "SELECT p.id, p.name, " PERSON_ROLE " FROM person p "
                                 "WHERE p.id = ?1 AND " PERSON_SEEN, &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_reader(st, 9, r);
        rc = first_row(s, st, e, "reading a person", "no person with id %lld", (long long)id);
        if (rc == 0) {
            p.id = sqlite3_column_int64(st, 0);
            p.name = col_str(st, 1);
            p.role = col_str(st, 2);
        }
        fin(st);
    }
    for (int k = 0; rc == 0 && k < 3; k++) {
        if ((rc = stmt(s, person_count_sql[k], &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, id);
            bind_reader(st, 9, r);
            rc = count_rows_seen(s, st, r, figure[k], e);
        }
    }
    read_end(s);
    if (rc < 0) {
        store_person_fini(&p);
        return rc;
    }
    *out = p;
    return 0;
}

int store_person_lookup(struct store *s, const char *name, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT id FROM person WHERE name = ?1 COLLATE NOCASE "
                     "ORDER BY name COLLATE NOCASE, id LIMIT 1", &st, e);
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
        (rc = stmt(s, person_count_sql[0], &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, person_id);
        bind_reader(st, 9, r);
        rc = count_rows_seen(s, st, r, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, "SELECT c.id, c.title, si.title, g.role, b.code, c.date FROM guest g "
                      "JOIN subitem si ON si.id = g.subitem_id "
                      "JOIN \"case\" c INDEXED BY case_visibility ON c.id = si.case_id "
                      "LEFT JOIN body b ON b.id = c.body_id "
                      "WHERE g.person_id = ?1 AND " CASE_FULL("c", "?9")
                      " ORDER BY c.date IS NULL, c.date DESC, c.id DESC, si.pos "
                      "LIMIT ?2 OFFSET ?3", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, person_id);
        bind_page_capped(st, 2, 3, pg);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &appearance_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}
