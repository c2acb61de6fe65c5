/* sqlite_feed (issue 11, archive routes): what a calendar feed tells of each of its meetings,
 * for all of them in two statements.
 *
 * A feed holds up to 500 meetings; asking store_agenda and store_meeting_times per meeting
 * ran some 2,000 statements (64 ms of the 88 of /kalender.ics, 132 of the 157 of a year of a
 * body that meets every day on the 100,000-case archive). Here the meetings' ids go in as one
 * JSON array (json_each, built into SQLite) and the cases come back in the array's order,
 * each meeting's in agenda order, with the same visibility rule as store_agenda
 * (CASE_LISTED); the timetables (CASE_FULL, as store_meeting_times) are the first few timed
 * sub-items of each meeting, one short walk each. */
#include "store_sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void line_fini(struct store_feed_line *l)
{
    free(l->title);
    free(l->time);
}

static void read_line(sqlite3_stmt *st, void *elem)
{
    struct store_feed_line *l = elem;
    l->meeting_id = sqlite3_column_int64(st, 0);
    l->title = col_str(st, 1);
    l->time = col_str(st, 2);
    l->public = sqlite3_column_int(st, 3) != 0;
    l->supplement = sqlite3_column_int(st, 4) != 0;
}

static void lines_free(void *v, size_t n)
{
    store_feed_lines_free(v, n);
}

static const struct rowtype line_rows = {sizeof(struct store_feed_line),
                                         "listing the feed's meetings", read_line, lines_free};

/* The meetings' cases, as store_agenda lists them (at most STORE_PAGE_MAX a meeting). */
#define FEED_AGENDAS                                                                         \
    "SELECT a.meeting_id, " CASE_TITLE("c", "?9") ", NULL, c.public, a.supplement "          \
    "FROM json_each(?1) j JOIN agenda a ON a.meeting_id = j.value "                          \
    "JOIN \"case\" c INDEXED BY case_title_listed ON c.id = a.case_id WHERE " CASE_LISTED("c", "?9") \
    " ORDER BY j.key, a.pos"
/* Their timed sub-items, as store_meeting_times lists them, the first ?2 of each meeting:
 * one statement per meeting, so that a LIMIT stops each walk (in one statement every timed
 * sub-item of the window was read, 37,925 for a year of a daily meeting, where the feed
 * shows 20 of each). */
#define FEED_TIMES                                                                           \
    "SELECT a.meeting_id, si.title, si.time, 1, 0 FROM agenda a "                            \
    "JOIN \"case\" c ON c.id = a.case_id JOIN subitem si ON si.case_id = c.id "              \
    "WHERE a.meeting_id = ?1 AND si.time IS NOT NULL AND " CASE_FULL("c", "?9")              \
    " ORDER BY a.pos, si.pos LIMIT ?2"

/* Drops the lines past cap of each meeting (the rows come grouped by meeting). */
static void cap_each(struct store_feed_line *v, size_t *n, size_t cap)
{
    size_t out = 0, run = 0;
    for (size_t i = 0; i < *n; i++) {
        run = i && v[i].meeting_id == v[i - 1].meeting_id ? run + 1 : 0;
        if (run < cap)
            v[out++] = v[i];
        else
            line_fini(&v[i]);
    }
    *n = out;
}

static int feed_lines(struct store *s, const char *sql, const int64_t *ids, size_t nids,
                      const struct reader *r, size_t cap, struct store_feed_line **v,
                      size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out = NULL;
    *v = NULL;
    *n = 0;
    if (nids == 0)
        return 0;
    struct buf json = BUF_INIT;
    buf_putc(&json, '[');
    for (size_t i = 0; i < nids; i++)
        buf_printf(&json, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&json, ']');
    int rc = read_begin(s, e);
    if (rc == 0 && (rc = stmt(s, sql, &st, e)) == 0) {
        sqlite3_bind_text(st, 1, buf_cstr(&json), (int)json.len, SQLITE_TRANSIENT);
        bind_reader(st, 9, r);
        if ((rc = collect(s, st, &line_rows, &out, n, e)) == 0) {
            *v = out;
            cap_each(*v, n, cap);
        }
    }
    read_end(s);
    buf_free(&json);
    return rc;
}

int store_feed_agendas(struct store *s, const int64_t *ids, size_t n, const struct reader *r,
                       struct store_feed_line **v, size_t *nv, struct err *e)
{
    return feed_lines(s, FEED_AGENDAS, ids, n, r, STORE_PAGE_MAX, v, nv, e);
}

int store_feed_times(struct store *s, const int64_t *ids, size_t n, const struct reader *r,
                     size_t cap, struct store_feed_line **v, size_t *nv, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_feed_line *out = NULL;
    size_t cnt = 0, room = 0;
    bool row;
    int rc = read_begin(s, e);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if ((rc = stmt(s, FEED_TIMES, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
        bind_reader(st, 9, r);
        while ((rc = next_row(s, st, &row, e, line_rows.what)) == 0 && row) {
            out = grow(out, cnt, &room, sizeof *out);
            memset(&out[cnt], 0, sizeof *out);
            read_line(st, &out[cnt++]);
        }
        fin(st);
    }
    read_end(s);
    if (rc < 0) {
        store_feed_lines_free(out, cnt);
        return rc;
    }
    *v = out;
    *nv = cnt;
    return 0;
}

void store_feed_lines_free(struct store_feed_line *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        line_fini(&v[i]);
    free(v);
}
