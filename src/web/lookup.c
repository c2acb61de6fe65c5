/* lookup: small store queries that several pages share (merged meeting lists, finding a
 * meeting or person by name). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

void web_case_link(struct buf *b, int64_t id, const char *title, bool public)
{
    buf_printf(b, "<a href=\"/sag/%lld\">", (long long)id);
    html_text(b, title && *title ? title : "(uden titel)");
    buf_puts(b, "</a>");
    if (!public)
        buf_puts(b, " <span class=\"tag closed\">Lukket sag</span>");
}

static int by_date_desc(const void *a, const void *b)
{
    const struct store_meeting *x = a, *y = b;
    int c = strcmp(y->date ? y->date : "", x->date ? x->date : "");
    if (c)
        return c;
    return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

int web_meetings_all(struct store *s, const char *body, size_t limit, struct store_meeting **v,
                     size_t *n, struct err *e)
{
    struct store_body *bodies = NULL;
    size_t nb = 0;
    struct store_meeting *all = NULL;
    size_t nall = 0;
    int rc;
    if (body)
        return store_meetings(s, body, 0, AUDIENCE_PUBLIC, v, n, e);
    rc = store_bodies(s, &bodies, &nb, e);
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < nb; i++) {
        struct store_meeting *m = NULL;
        size_t nm = 0;
        rc = store_meetings(s, bodies[i].code, 0, AUDIENCE_PUBLIC, &m, &nm, e);
        if (rc < 0)
            goto done;
        all = xrealloc(all, (nall + nm + 1) * sizeof *all);
        memcpy(all + nall, m, nm * sizeof *m);
        nall += nm;
        free(m); /* the elements' strings now belong to all */
    }
    if (nall)
        qsort(all, nall, sizeof *all, by_date_desc);
    if (limit && nall > limit) {
        for (size_t i = limit; i < nall; i++)
            store_meeting_fini(&all[i]);
        nall = limit;
    }
    *v = all;
    *n = nall;
    all = NULL;
    nall = 0;
done:
    store_meetings_free(all, nall);
    store_bodies_free(bodies, nb);
    return rc < 0 ? rc : 0;
}

int64_t web_meeting_find(struct store *s, const char *body, const char *date)
{
    struct store_meeting *m = NULL;
    size_t n = 0;
    struct err e = {0};
    int64_t id = 0;
    if (!s || !body || !date || strlen(date) < 4)
        return 0;
    if (store_meetings(s, body, atoi(date), AUDIENCE_PUBLIC, &m, &n, &e) < 0)
        return 0;
    for (size_t i = 0; i < n && !id; i++)
        if (m[i].date && strcmp(m[i].date, date) == 0)
            id = m[i].id;
    store_meetings_free(m, n);
    return id;
}

int64_t web_person_find(struct store *s, const char *name)
{
    int64_t id = 0;
    struct err e = {0};
    if (!s || !name || store_person_lookup(s, name, &id, &e) < 0)
        return 0;
    return id;
}

void web_today(char iso[11])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(iso, 11, "%Y-%m-%d", &tm);
}

/* The statement is kept per thread (each thread has its own connection): asking costs a
 * step, not a prepare, on every request. */
static _Thread_local sqlite3_stmt *version_stmt;
static _Thread_local sqlite3 *version_db;

int64_t web_archive_version(struct store *s)
{
    /* SQLite's data_version changes on this connection whenever another one commits; the
     * store has no call for it yet, so it is asked directly when the backend is SQLite. */
    sqlite3 *db = s ? (sqlite3 *)store_sqlite_db(s) : NULL;
    int64_t v = -1;
    if (!db)
        return -1;
    if (db != version_db) {
        web_archive_version_fini();
        if (sqlite3_prepare_v3(db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                               &version_stmt, NULL) != SQLITE_OK) {
            sqlite3_finalize(version_stmt);
            version_stmt = NULL;
            return -1;
        }
        version_db = db;
    }
    if (sqlite3_step(version_stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(version_stmt, 0);
    sqlite3_reset(version_stmt);
    return v;
}

void web_archive_version_fini(void)
{
    sqlite3_finalize(version_stmt);
    version_stmt = NULL;
    version_db = NULL;
}
