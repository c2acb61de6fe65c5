/* sqlite_paging (issue 11): what keeps every list bounded on a large archive: the indexes
 * the page queries walk in their ORDER BY (so a LIMIT stops the walk), and the depth cap.
 * tests/unit/test_query_plans.c checks the plans of the queries that use them. */
#include "store_sqlite.h"

#include <stdio.h>

/* Each index serves a list that would otherwise scan and sort a whole table:
 * - person_name_nocase: an owner by name (follow-ups, /person lookups), people by name;
 * - followup_person_due: a person's follow-ups in due order (/opfoelgning grouped by owner,
 *   /person/ID), covering what the walk filters on (status, due, the case);
 * - followup_due_id: all follow-ups in due order (/api/followups), covering the same;
 * - meeting_date_start, meeting_body_date_start: meetings newest first, all bodies or one
 *   (the front page, /organ/CODE, /api/meetings, the feeds);
 * - case_visibility, case_date_visibility: what the visibility rules (CASE_FULL,
 *   CASE_LISTED, MINUTES_PUBLIC in store_sqlite.h) read of a case (published, public,
 *   publication, authored; date for orders) without its row: a case's row holds its texts,
 *   and the columns added later sit behind them, in overflow pages. The list queries name
 *   them (INDEXED BY), so a count or a deep page reads small indexes, not thousands of case
 *   rows. Their first versions (case_visible, case_date_listed) lacked the columns issue 9
 *   added (publication, authored): every row they found was then read from the table, a
 *   follow-up count of 10,001 rows took 25 ms instead of 8. A rule that reads another column
 *   of the case must add it here, under a new name (an archive gets the new index when it is
 *   opened, see paging_repair);
 * - subitem_id_case: a sub-item's case without its row (a guest's appearances and their
 *   counts go guest -> sub-item -> case; a sub-item's row holds its text);
 * - followup_person_role: a person's newest follow-up that names a role (their role on
 *   /person/ID); without it a unit's 141,194 follow-ups, none with a role, were all read;
 * - case_title_listed: a listed case's title as the reader may read it (CASE_TITLE,
 *   CASE_LISTED) without its row, for the calendar's 500 meetings' cases (sqlite_feed.c):
 *   their agendas' 2,700 cases read 3-4x faster from a cold page cache (4.8 MB). */
static const char paging_sql[] =
    "CREATE INDEX IF NOT EXISTS person_name_nocase ON person(name COLLATE NOCASE);"
    "CREATE INDEX IF NOT EXISTS followup_person_due "
    "  ON followup(person_id, ifnull(due, '~'), id, status, case_id, due);"
    "CREATE INDEX IF NOT EXISTS followup_due_id "
    "  ON followup(ifnull(due, '~'), id, status, case_id, due, person_id);"
    "CREATE INDEX IF NOT EXISTS meeting_date_start ON meeting(date, start, published);"
    "CREATE INDEX IF NOT EXISTS meeting_body_date_start "
    "  ON meeting(body_id, date, start, published);"
    "CREATE INDEX IF NOT EXISTS subitem_id_case ON subitem(id, case_id);"
    "CREATE INDEX IF NOT EXISTS followup_person_role ON followup(person_id, id) "
    "  WHERE role IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS case_title_listed "
    "  ON \"case\"(id, published, public, publication, title, public_title);"
    "DROP INDEX IF EXISTS case_visible;"
    "DROP INDEX IF EXISTS case_date_listed;"
    "CREATE INDEX IF NOT EXISTS case_visibility "
    "  ON \"case\"(id, published, public, publication, authored, date);"
    "CREATE INDEX IF NOT EXISTS case_date_visibility "
    "  ON \"case\"(date, published, public, publication);";

int paging_indexes(struct store *s, struct err *e)
{
    return exec(s, paging_sql, e, "adding the list indexes");
}

int paging_repair(struct store *s, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    bool found = false;
    int rc = adhoc(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                      "('person_name_nocase', 'followup_person_due', 'followup_due_id', "
                      "'meeting_date_start', 'meeting_body_date_start', 'case_visibility', "
                      "'case_date_visibility', 'subitem_id_case', 'followup_person_role', 'case_title_listed')", &st, e);
    if (rc == 0) {
        rc = one_int(s, st, &n, &found, e, "checking the list indexes");
        sqlite3_finalize(st);
    }
    if (rc == 0 && n < 10) {
        if ((rc = write_begin(s, e, "adding the list indexes")) == 0 &&
            (rc = paging_indexes(s, e)) == 0)
            rc = write_commit(s, e, "adding the list indexes");
        else
            rollback(s);
    }
    return rc;
}

void store_set_cache_kb(struct store *s, int kb)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kb > 0 ? kb : 1);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

void bind_page_capped(sqlite3_stmt *st, int a, int b, const struct store_page *pg)
{
    size_t limit = pg && pg->limit ? pg->limit : STORE_PAGE_DEFAULT;
    size_t offset = pg ? pg->offset : 0;
    if (limit > STORE_PAGE_MAX)
        limit = STORE_PAGE_MAX;
    if (offset >= STORE_LIST_DEPTH)
        limit = 0;
    else if (limit > STORE_LIST_DEPTH - offset)
        limit = STORE_LIST_DEPTH - offset;
    sqlite3_bind_int64(st, a, (sqlite3_int64)limit);
    sqlite3_bind_int64(st, b, (sqlite3_int64)(offset < STORE_LIST_DEPTH ? offset : 0));
}

int store_meeting_times(struct store *s, int64_t meeting_id, const struct reader *r,
                        char ***times, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t cnt = 0, cap = 0;
    bool row;
    int rc = read_begin(s, e);
    if (rc == 0 &&
        (rc = stmt(s, "SELECT si.time, si.title FROM agenda a JOIN \"case\" c ON c.id = a.case_id "
                      "JOIN subitem si ON si.case_id = c.id WHERE a.meeting_id = ?1 "
                      "AND si.time IS NOT NULL AND " CASE_FULL("c", "?9")
                      " ORDER BY a.pos, si.pos LIMIT 1000", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        bind_reader(st, 9, r);
        while ((rc = next_row(s, st, &row, e, "listing a meeting's times")) == 0 && row) {
            v = grow(v, cnt + 1, &cap, sizeof *v);
            v[cnt++] = col_str(st, 0);
            v[cnt++] = col_str(st, 1);
        }
        fin(st);
    }
    read_end(s);
    if (rc < 0) {
        store_problems_free(v, cnt);
        return rc;
    }
    *times = v;
    *n = cnt / 2;
    return 0;
}
