/* store_sqlite: the archive on SQLite: the connection (WAL, foreign keys, migrations), the one
 * way to prepare statements, transactions, the reader functions, and maintenance. The other
 * parts of the backend are sqlite_<concern>.c. */
#include "store_sqlite.h"
#include "store_schema.h"
#include "../search/search.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 'REFA': marks a file as a referat archive, so another SQLite file is refused. */
#define APPLICATION_ID 0x52454641
#define SCHEMA_VERSION 12 /* 9: issue 10 (sdg); 10: issue 10 (follow-ups, notices); 11: issue 11
                           * (archive routes: visibility indexes); 12: issue 11 (storage:
                           * packed sources, contentless search tables) */

/* ---- errors ---- */

int dberr(struct store *s, struct err *e, int rc, const char *what)
{
    const char *detail = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    const char *why;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        why = "the archive is locked by another process; try again when it has finished";
        break;
    case SQLITE_READONLY:
        why = "the archive is read-only (check the permissions of the file and its folder)";
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        why = "the archive is corrupt or not a referat archive";
        break;
    case SQLITE_FULL:
        why = "the disk (or the archive) is full";
        break;
    case SQLITE_CANTOPEN:
        why = "cannot open the archive (check that its folder exists and is writable)";
        break;
    case SQLITE_IOERR:
        why = "an I/O error occurred";
        break;
    case SQLITE_NOMEM:
        why = "out of memory";
        break;
    case SQLITE_CONSTRAINT:
        why = "a rule of the archive refused the change";
        break;
    default:
        why = "database error";
        break;
    }
    if (e) {
        e->file = s ? s->path : NULL;
        err_set(e, ERR_DB, 0, 0, "%s: %s (%s)", what, why, detail);
    }
    return ERR_DB;
}

static int vfail(struct store *s, struct err *e, int code, const char *fmt, va_list ap)
{
    char msg[sizeof e->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (e) {
        e->file = s ? s->path : NULL;
        err_set(e, code, 0, 0, "%s", msg);
    }
    return code;
}

int fail(struct store *s, struct err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(s, e, code, fmt, ap);
    va_end(ap);
    return rc;
}

int notfound(struct store *s, struct err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(s, e, ERR_NOTFOUND, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- statements ---- */

void *grow(void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    *cap = *cap ? 2 * *cap : 8;
    return xrealloc(v, *cap * size);
}

static size_t slot_of(const char *sql, size_t cap)
{
    uintptr_t k = (uintptr_t)sql;
    return (size_t)((k >> 3) * 0x9e3779b97f4a7c15ull) & (cap - 1);
}

static void cache_grow(struct store *s)
{
    size_t cap = s->capcache ? 2 * s->capcache : 256;
    struct cached *t = xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < s->capcache; i++) {
        if (!s->cache[i].sql)
            continue;
        size_t k = slot_of(s->cache[i].sql, cap);
        while (t[k].sql)
            k = (k + 1) & (cap - 1);
        t[k] = s->cache[i];
    }
    free(s->cache);
    s->cache = t;
    s->capcache = cap;
}

int stmt(struct store *s, const char *sql, sqlite3_stmt **out, struct err *e)
{
    if (2 * (s->ncache + 1) > s->capcache)
        cache_grow(s);
    size_t k = slot_of(sql, s->capcache);
    while (s->cache[k].sql && s->cache[k].sql != sql)
        k = (k + 1) & (s->capcache - 1);
    if (s->cache[k].sql) {
        *out = s->cache[k].st;
        return 0;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return dberr(s, e, rc, "preparing a query");
    s->cache[k] = (struct cached){sql, st};
    s->ncache++;
    *out = st;
    return 0;
}

int adhoc(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : dberr(s, e, rc, "preparing a query");
}

void fin(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

int next_row(struct store *s, sqlite3_stmt *st, bool *row, struct err *e, const char *what)
{
    int step = sqlite3_step(st);
    *row = step == SQLITE_ROW;
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        return 0;
    return dberr(s, e, step, what);
}

int first_row(struct store *s, sqlite3_stmt *st, struct err *e, const char *what,
              const char *fmt, ...)
{
    bool row;
    int rc = next_row(s, st, &row, e, what);
    if (rc == 0 && !row) {
        va_list ap;
        va_start(ap, fmt);
        rc = vfail(s, e, ERR_NOTFOUND, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int collect(struct store *s, sqlite3_stmt *st, const struct rowtype *t, void **v, size_t *n,
            struct err *e)
{
    char *out = NULL;
    size_t cnt = 0, cap = 0;
    bool row;
    int rc;
    while ((rc = next_row(s, st, &row, e, t->what)) == 0 && row) {
        out = grow(out, cnt, &cap, t->size);
        void *elem = out + cnt++ * t->size;
        memset(elem, 0, t->size);
        t->read(st, elem);
    }
    fin(st);
    if (rc < 0) {
        t->free(out, cnt);
        return rc;
    }
    *v = out;
    *n = cnt;
    return 0;
}

int count_rows(struct store *s, sqlite3_stmt *st, size_t *total, struct err *e)
{
    bool row;
    int rc = next_row(s, st, &row, e, "counting");
    if (rc == 0 && total)
        *total = row ? (size_t)sqlite3_column_int64(st, 0) : 0;
    fin(st);
    return rc;
}

void bind_str(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void bind_id(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

void bind_page(sqlite3_stmt *st, int a, int b, const struct store_page *pg)
{
    size_t limit = pg && pg->limit ? pg->limit : STORE_PAGE_DEFAULT;
    if (limit > STORE_PAGE_MAX)
        limit = STORE_PAGE_MAX;
    sqlite3_bind_int64(st, a, (sqlite3_int64)limit);
    sqlite3_bind_int64(st, b, pg ? (sqlite3_int64)pg->offset : 0);
}

char *col_str(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

char *col_bytes(sqlite3_stmt *st, int i, size_t *len)
{
    *len = (size_t)sqlite3_column_bytes(st, i);
    char *p = xmalloc(*len + 1);
    if (*len)
        memcpy(p, sqlite3_column_blob(st, i), *len);
    p[*len] = '\0';
    return p;
}

int run(struct store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    int rc = sqlite3_step(st);
    fin(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return dberr(s, e, rc, what);
    return 0;
}

int one_int(struct store *s, sqlite3_stmt *st, int64_t *v, bool *found, struct err *e,
            const char *what)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *v = sqlite3_column_int64(st, 0);
    fin(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return dberr(s, e, rc, what);
    return 0;
}

int insert(struct store *s, sqlite3_stmt *st, int64_t *id, struct err *e, const char *what)
{
    int rc = run(s, st, e, what);
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int exec(struct store *s, const char *sql, struct err *e, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : dberr(s, e, rc, what);
}

/* ---- transactions ---- */

void rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int read_begin(struct store *s, struct err *e)
{
    return exec(s, "BEGIN", e, "reading the archive");
}

void read_end(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

int write_begin(struct store *s, struct err *e, const char *what)
{
    if (s->flags & STORE_READONLY)
        return fail(s, e, ERR_DB, "%s: the archive was opened read-only", what);
    return exec(s, "BEGIN IMMEDIATE", e, what);
}

int write_commit(struct store *s, struct err *e, const char *what)
{
    int rc = exec(s, "COMMIT", e, what);
    if (rc == 0)
        s->own_commits++;
    else
        rollback(s);
    return rc;
}

/* ---- the reader functions (the visibility rule's C half) ---- */

static const char reader_type[] = "referat-reader";

void bind_reader(sqlite3_stmt *st, int i, const struct reader *r)
{
    /* The pointer lives as long as the caller's call: the statement is reset (fin) before
     * the store function returns. */
    sqlite3_bind_pointer(st, i, (void *)r, reader_type, NULL);
}

static void fn_reader_all(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct reader *r = sqlite3_value_pointer(argv[0], reader_type);
    sqlite3_result_int(cx, r && r->all);
}

static void fn_reader_has(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct reader *r = sqlite3_value_pointer(argv[0], reader_type);
    sqlite3_result_int(cx, r && sqlite3_value_type(argv[1]) == SQLITE_INTEGER &&
                               reader_sees_body(r, sqlite3_value_int64(argv[1])));
}

static void fn_reader_can(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct reader *r = sqlite3_value_pointer(argv[0], reader_type);
    int want = sqlite3_value_int(argv[2]);
    int roles = r && sqlite3_value_type(argv[1]) == SQLITE_INTEGER
                    ? reader_roles(r, sqlite3_value_int64(argv[1]))
                    : 0;
    sqlite3_result_int(cx, r && (r->all || (want ? (roles & want) : roles) != 0));
}

int register_reader_functions(sqlite3 *db)
{
    int rc = sqlite3_create_function(db, "reader_all", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                     fn_reader_all, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "reader_has", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                     fn_reader_has, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "reader_can", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                     fn_reader_can, NULL, NULL);
    return rc;
}

int actor_roles(const struct store_actor *a, int64_t body_id)
{
    /* Nobody: a caller that forgets to say who acts gets no rights. The archive's own tools
     * say so with a reader that is `all`. */
    if (!a || !a->reader)
        return 0;
    if (a->reader->all)
        return ROLE_ALL;
    return reader_roles(a->reader, body_id) | (a->reader->admin ? ROLE_ADMIN : 0);
}

/* ---- open, migrate, close ---- */

int store_schema_version(void)
{
    return SCHEMA_VERSION;
}

static int pragma_int(struct store *s, const char *sql, int *v, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *v = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : dberr(s, e, rc, "reading the schema version");
}

int store_version(struct store *s, int *version, struct err *e)
{
    return pragma_int(s, "PRAGMA user_version", version, e);
}

/* Every archived case into the (empty) search tables. */
static int index_all(struct store *s, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = adhoc(s, "SELECT id FROM \"case\" ORDER BY id", &st, e);
    while (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = dberr(s, e, step, "indexing archived cases");
            break;
        }
        int64_t id = sqlite3_column_int64(st, 0);
        struct case_doc *c = NULL;
        rc = load_case(s, id, &c, e);
        if (rc == 0)
            rc = index_case(s, id, c, e);
        case_free(c);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Migration 2: the full-text tables, left empty: the cases are indexed once the schema is
 * current (reindex_pending), since indexing reads every column later steps add. */
static int migrate_search(struct store *s, struct err *e)
{
    return exec(s, search_schema_sql(), e, "creating the search index");
}

/* Migration 4: public and staff search kept apart (docs/search.md): the search tables made
 * anew, to be filled once the schema is current. */
static int migrate_search_split(struct store *s, struct err *e)
{
    int rc = exec(s, search_upgrade_sql(), e, "splitting the search index");
    if (rc == 0)
        rc = exec(s, "INSERT OR REPLACE INTO store_state (key, value) VALUES ('reindex', '1')",
                  e, "splitting the search index");
    return rc;
}

/* After the schema steps: the search index built again from every case when a step asked
 * for it, in one transaction with the mark's removal; an interrupted run leaves the mark,
 * and the next open (of a writer) does it. */
static int reindex_pending(struct store *s, struct err *e)
{
    int pending = 0;
    int rc = pragma_int(s, "SELECT count(*) FROM store_state WHERE key = 'reindex'", &pending, e);
    if (rc < 0 || !pending)
        return rc;
    if ((rc = exec(s, "BEGIN IMMEDIATE", e, "indexing the archive for search")) < 0)
        return rc;
    rc = pragma_int(s, "SELECT count(*) FROM store_state WHERE key = 'reindex'", &pending, e);
    if (rc == 0 && pending)
        rc = index_all(s, e);
    if (rc == 0)
        rc = exec(s, "DELETE FROM store_state WHERE key = 'reindex'", e,
                  "indexing the archive for search");
    if (rc == 0)
        return write_commit(s, e, "indexing the archive for search");
    rollback(s);
    return rc;
}

/* Migration 3: the workspace tables (003_workspace.sql), with foreign keys checked after the
 * meeting table's rebuild, and the ledger's first event. */
static int migrate_workspace(struct store *s, int from, struct err *e)
{
    int rc = exec(s, schema_sql[1], e, "creating the workspace tables");
    sqlite3_stmt *st = NULL;
    if (rc == 0 && (rc = adhoc(s, "SELECT 1 FROM pragma_foreign_key_check LIMIT 1", &st, e)) == 0) {
        int step = sqlite3_step(st);
        sqlite3_finalize(st);
        if (step == SQLITE_ROW)
            rc = fail(s, e, ERR_DB, "upgrading the archive: a foreign key is broken; run "
                                    "`referat db check` with the previous version");
        else if (step != SQLITE_DONE)
            rc = dberr(s, e, step, "upgrading the archive");
    }
    if (rc == 0) {
        char detail[64];
        snprintf(detail, sizeof detail, "{\"from\":%d,\"to\":3}", from);
        struct event ev = {.action = from ? "archive.upgrade" : "archive.create",
                           .detail = detail};
        rc = ledger_append(s, NULL, &ev, NULL, e);
    }
    return rc;
}

/* One step per schema version; each runs in its own transaction. */
/* Version 7 (issue 9, the meeting and its minutes) and version 8 (issue 11, the archive at
 * scale) are each one step of several files, one per concern, run in order in one
 * transaction. */
static int migrate_files(struct store *s, size_t first, size_t n, const char *what,
                         struct err *e)
{
    int rc = 0;
    for (size_t i = first; rc == 0 && i < first + n; i++)
        rc = exec(s, schema_sql[i], e, what);
    return rc;
}

static int migrate_minutes(struct store *s, struct err *e)
{
    return migrate_files(s, 4, 4, "adding the tables of meetings and minutes", e);
}

static int migrate_archive(struct store *s, struct err *e)
{
    int rc = migrate_files(s, 8, 2, "adding the archive's indexes", e);
    if (rc == 0) /* ---- issue 11, search: the tables of schema 8 ---- */
        rc = search_migrate_v8(s, e);
    return rc ? rc : paging_indexes(s, e); /* ---- issue 11, paging: the list indexes ---- */
}

/* ---- issue 11, storage: schema step 12 ----
 * 012_storage.sql's packed columns, the stored sources packed, and the search tables made
 * anew in the contentless layout (search_storage_sql), to be filled once the schema is
 * current (the reindex mark, as step 4). The pages freed stay in the file until a VACUUM. */
static int migrate_storage(struct store *s, struct err *e)
{
    /* An archive that has the columns already (one relabelled to an older version, as
     * test_store's upgrade tests do) gets the rest of the step. */
    int have = 0;
    int rc = pragma_int(s, "SELECT count(*) FROM pragma_table_info('source') WHERE name = "
                           "'packed'", &have, e);
    if (rc == 0 && !have)
        rc = exec(s, schema_sql[15], e, "upgrading the archive: packed sources");
    if (rc == 0)
        rc = exec(s, schema_sql[16], e, "upgrading the archive: the indexes");
    if (rc == 0)
        rc = pack_table(s, "source", e);
    if (rc == 0)
        rc = pack_table(s, "meeting_source", e);
    if (rc == 0)
        rc = exec(s, search_upgrade_sql(), e, "upgrading the archive: the search tables");
    if (rc == 0)
        rc = exec(s, "INSERT OR REPLACE INTO store_state (key, value) VALUES ('reindex', '1')",
                  e, "upgrading the archive: the search tables");
    return rc;
}
/* ---- end issue 11, storage ---- */

static int migrate_step(struct store *s, int version, int from, struct err *e)
{
    switch (version) {
    case 1: return exec(s, schema_sql[0], e, "creating the archive's tables");
    case 2: return migrate_search(s, e);
    case 3: return migrate_workspace(s, from, e);
    case 4: return migrate_search_split(s, e);
    case 5: return exec(s, schema_sql[2], e, "adding the agenda tables");
    case 6: return exec(s, schema_sql[3], e, "creating the tables of meeting documents");
    case 7: return migrate_minutes(s, e);
    case 8: return migrate_archive(s, e);
    /* ---- issue 10: one file per concern (sdg: 009_sdg.sql) ---- */
    case 9: return migrate_files(s, 10, 1, "adding the verdensmål", e);
    /* 010_followup.sql, 010_remind.sql, 010_notice.sql */
    case 10: { /* 4 files: issue 10, flat follow-ups adds 010_flat.sql and its backfill */
        int rc = migrate_files(s, 11, 4, "adding follow-up states, reminders and notices", e);
        return rc ? rc : flat_followups_backfill(s, e);
    }
    /* ---- issue 11, archive routes: the visibility indexes with the columns issue 9's rules
     * read (sqlite_paging.c: case_visibility replaces case_visible, ...) ---- */
    case 11: return paging_indexes(s, e);
    case 12: return migrate_storage(s, e); /* ---- issue 11, storage ---- */
    default: return fail(s, e, ERR_DB, "no migration to version %d", version);
    }
}

/* Steps that rebuild a table run with foreign keys off (SQLite's procedure for altering a
 * table) and check them before committing. */
static bool step_needs_fk_off(int version)
{
    return version == 3;
}

int store_migrate(struct store *s, int to, struct err *e)
{
    if (to <= 0 || to > SCHEMA_VERSION)
        to = SCHEMA_VERSION;
    int start = -1;
    for (;;) {
        int v = 0;
        int rc = store_version(s, &v, e);
        if (rc < 0)
            return rc;
        if (start < 0)
            start = v;
        if (v >= to)
            return to == SCHEMA_VERSION && v >= 3 ? reindex_pending(s, e) : 0;
        bool fk_off = step_needs_fk_off(v + 1);
        if (fk_off && (rc = exec(s, "PRAGMA foreign_keys = OFF", e, "upgrading the archive")) < 0)
            return rc;
        /* IMMEDIATE: two processes opening a new archive at once migrate it once. */
        rc = exec(s, "BEGIN IMMEDIATE", e, "upgrading the archive");
        if (rc == 0)
            rc = store_version(s, &v, e);
        if (rc == 0 && v >= to) {
            rollback(s);
            if (fk_off)
                exec(s, "PRAGMA foreign_keys = ON", NULL, "upgrading the archive");
            return 0;
        }
        if (rc == 0 && v == 0) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APPLICATION_ID);
            rc = exec(s, sql, e, "upgrading the archive");
        }
        if (rc == 0)
            rc = migrate_step(s, v + 1, start, e);
        if (rc == 0) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
            rc = exec(s, sql, e, "upgrading the archive");
        }
        if (rc == 0)
            rc = write_commit(s, e, "upgrading the archive");
        if (rc < 0)
            rollback(s);
        if (fk_off) {
            int frc = exec(s, "PRAGMA foreign_keys = ON", rc < 0 ? NULL : e,
                           "upgrading the archive");
            if (rc == 0)
                rc = frc;
        }
        if (rc < 0)
            return rc;
    }
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A read-only open of an archive on read-only media: WAL mode reads need the -shm file, which
 * cannot be made in a read-only folder. When no -wal file holds changes (a copy made by
 * `db backup`, or an archive closed cleanly), the file alone is the archive and SQLite may
 * read it as immutable (no locks, no -shm). Returns SQLITE_OK, or an error (e filled) when
 * changes would be lost. */
static int reopen_immutable(struct store *s, struct err *e)
{
    char wal[4096];
    struct stat st;
    snprintf(wal, sizeof wal, "%s-wal", s->path);
    if (stat(wal, &st) == 0 && st.st_size > 0) {
        fail(s, e, ERR_DB, "the archive is read-only and %s holds changes not yet written into "
                           "it; open it once where it is writable (any referat command "
                           "does), or copy it with `referat db backup`", wal);
        return SQLITE_READONLY;
    }
    struct buf uri = BUF_INIT;
    buf_puts(&uri, "file:");
    for (const char *p = s->path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            buf_printf(&uri, "%%%02X", (unsigned char)*p);
        else
            buf_putc(&uri, *p);
    }
    buf_puts(&uri, "?immutable=1");
    sqlite3_close_v2(s->db);
    s->db = NULL;
    int rc = sqlite3_open_v2(buf_cstr(&uri), &s->db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    buf_free(&uri);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        s->immutable = true;
    }
    return rc;
}

static int sql_profile(unsigned type, void *ctx, void *p, void *x)
{
    (void)ctx;
    if (type == SQLITE_TRACE_PROFILE)
        fprintf(stderr, "sql %.3f ms: %s\n", (double)*(sqlite3_int64 *)x / 1e6,
                sqlite3_sql((sqlite3_stmt *)p));
    return 0;
}

int store_open(const char *path, int flags, struct store **out, struct err *e)
{
    struct store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->flags = flags;
    s->busy_ms = 5000;
    int rc = 0, version = 0, appid = 0;
    if (!(flags & STORE_CREATE) && !file_exists(path)) {
        rc = fail(s, e, ERR_DB, "no archive here (run `referat import` to create one, or "
                                "give --db PATH or REFERAT_DB)");
        goto done;
    }
    int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int src = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        rc = dberr(s, e, src, "opening the archive");
        goto done;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, s->busy_ms);
    if (!(flags & STORE_READONLY) && sqlite3_db_readonly(s->db, "main") == 1) {
        rc = dberr(s, e, SQLITE_READONLY, "opening the archive for writing");
        goto done;
    }
    /* The first read of the file: a corrupt or foreign file fails here, and a WAL archive in
     * a read-only folder too (see reopen_immutable). */
    if ((flags & STORE_READONLY) && pragma_int(s, "PRAGMA application_id", &appid, NULL) < 0) {
        int code = sqlite3_errcode(s->db) & 0xff;
        if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN) {
            int orc = reopen_immutable(s, e);
            if (orc != SQLITE_OK) {
                rc = e && e->code ? ERR_DB : dberr(s, e, orc, "opening the archive");
                goto done;
            }
        }
    }
    rc = pragma_int(s, "PRAGMA application_id", &appid, e);
    if (rc == 0)
        rc = store_version(s, &version, e);
    if (rc < 0)
        goto done;
    int tables = 0;
    if (appid == 0 && version == 0 &&
        (rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables, e)) < 0)
        goto done;
    if (appid != APPLICATION_ID && (appid != 0 || version != 0 || tables != 0)) {
        rc = fail(s, e, ERR_DB, "not a referat archive (another program's SQLite database)");
        goto done;
    }
    if (version > SCHEMA_VERSION) {
        rc = fail(s, e, ERR_DB,
                  "the archive has schema version %d, newer than this referat knows (%d); "
                  "use a newer referat", version, SCHEMA_VERSION);
        goto done;
    }
    rc = exec(s, "PRAGMA foreign_keys = ON", e, "opening the archive");
    if (rc == 0 && !(flags & (STORE_READONLY | STORE_NOWAL)))
        rc = exec(s, "PRAGMA journal_mode = WAL", e, "opening the archive");
    /* NORMAL in WAL mode: a crash of the process never loses a commit; store_close
     * checkpoints with a sync, so what a finished command wrote survives power loss too. */
    if (rc == 0)
        rc = exec(s, "PRAGMA synchronous = NORMAL", e, "opening the archive");
    /* A large archive's indexes are touched at random places by each import: a 64 MB page
     * cache (instead of 2 MB) keeps them in memory. */
    if (rc == 0)
        rc = exec(s, "PRAGMA cache_size = -65536", e, "opening the archive");
    if (rc < 0)
        goto done;
    /* REFERAT_SQL_PROFILE=1: each statement's time and text on stderr, to find a slow page.
     * The text is the statement as prepared, never its bound values (they can be secrets). */
    if (getenv("REFERAT_SQL_PROFILE"))
        sqlite3_trace_v2(s->db, SQLITE_TRACE_PROFILE, sql_profile, NULL);
    if (search_register(s->db) != 0) {
        rc = dberr(s, e, sqlite3_errcode(s->db), "registering the Danish tokenizer");
        goto done;
    }
    if (register_reader_functions(s->db) != SQLITE_OK ||
        register_pack_functions(s->db) != SQLITE_OK) { /* issue 11, storage */
        rc = dberr(s, e, sqlite3_errcode(s->db), "registering the reader functions");
        goto done;
    }
    /* A writer brings the schema up to date, and finishes what an interrupted upgrade left
     * (a pending re-index), which costs one query when there is nothing to do. */
    if (!(flags & (STORE_READONLY | STORE_NOMIGRATE)))
        rc = store_migrate(s, SCHEMA_VERSION, e);
    if (rc == 0 && !(flags & (STORE_READONLY | STORE_NOMIGRATE)))
        rc = bulk_recover(s, e); /* ---- issue 11, archive: an interrupted bulk import ---- */
    else if ((flags & STORE_READONLY) && version < SCHEMA_VERSION)
        rc = fail(s, e, ERR_DB,
                  version == 0 ? "empty archive (run `referat import` first)"
                               : "the archive has schema version %d, older than %d; run "
                                 "`referat db migrate`", version, SCHEMA_VERSION);
    if (rc == 0 && !(flags & (STORE_READONLY | STORE_NOMIGRATE)))
        rc = paging_repair(s, e); /* ---- issue 11, paging: the list indexes ---- */
done:
    if (rc < 0) {
        if (e)
            e->file = path; /* the caller's: s->path goes with s */
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_set_busy_timeout(struct store *s, int ms)
{
    s->busy_ms = ms;
    sqlite3_busy_timeout(s->db, ms);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    bulk_drop(s); /* ---- issue 11, archive: a bulk import left open ---- */
    count_memos_free(s); /* issue 11, archive routes */
    for (size_t i = 0; i < s->capcache; i++)
        if (s->cache[i].sql)
            sqlite3_finalize(s->cache[i].st);
    free(s->cache);
    if (s->db && !(s->flags & STORE_READONLY))
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

struct sqlite3 *store_sqlite_db(struct store *s)
{
    return s->db;
}

int64_t store_data_version(struct store *s)
{
    sqlite3_stmt *st = NULL;
    if (!s || stmt(s, "PRAGMA data_version", &st, NULL) < 0)
        return -1;
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    fin(st);
    /* data_version counts other connections' commits; this connection's own are added so
     * that a change made here is seen here too. */
    return v < 0 ? -1 : (v << 24) + (s->own_commits & 0xffffff);
}

int store_backup(struct store *s, const char *path, struct err *e)
{
    if (file_exists(path)) {
        struct err x = {0};
        x.file = path;
        err_set(&x, ERR_IO, 0, 0, "exists already; give a new file name");
        if (e)
            *e = x;
        return ERR_IO;
    }
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    int result = 0;
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
        if (!b) {
            rc = sqlite3_errcode(dst);
        } else {
            /* All pages in one step, i.e. under one read transaction: in WAL mode that holds
             * off no writer, and it ends. (In steps, every write by another connection between
             * two steps restarts the copy, so a large archive under steady writes was never
             * copied.) BUSY comes only from the copy's side. */
            do {
                rc = sqlite3_backup_step(b, -1);
                if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                    sqlite3_sleep(20);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            int frc = sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = frc;
        }
    }
    if (rc != SQLITE_OK) {
        if (e) {
            e->file = path;
            err_set(e, ERR_DB, 0, 0, "backing up the archive: %s",
                    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        }
        result = ERR_DB;
    }
    if (result == 0) {
        /* The copy is a file of its own: rollback journal, not WAL, so it is one file. */
        sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
        sqlite3_stmt *st = NULL;
        const char *ok = NULL;
        if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            ok = (const char *)sqlite3_column_text(st, 0);
        if (!ok || strcmp(ok, "ok") != 0) {
            if (e) {
                e->file = path;
                err_set(e, ERR_DB, 0, 0, "the copy failed its integrity check");
            }
            result = ERR_DB;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(dst);
    if (result < 0)
        unlink(path);
    return result;
}

/* ---- search ---- */

int store_search(struct store *s, const struct search_params *p, struct search_result *r,
                 struct err *e)
{
    int rc = read_begin(s, e);
    if (rc == 0) {
        rc = search_query(s->db, p, r, e);
        if (rc < 0 && e)
            e->file = s->path;
    }
    read_end(s);
    return rc;
}

/* ---- maintenance ---- */

/* What store_check found so far. */
struct problems {
    char **v;
    size_t n, cap;
};

static void problem(struct problems *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void problem(struct problems *p, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    p->v = grow(p->v, p->n, &p->cap, sizeof *p->v);
    p->v[p->n++] = buf_detach(&b);
}

/* Runs a query whose rows are problems: column 0 formatted with prefix. */
static int check_rows(struct store *s, const char *sql, const char *prefix, struct problems *p,
                      struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool row;
    int rc = adhoc(s, sql, &st, e);
    if (rc < 0)
        return rc;
    while ((rc = next_row(s, st, &row, e, "checking the archive")) == 0 && row) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok") != 0)
            problem(p, "%s%s", prefix, t);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The search module's own check of its FTS5 tables. FTS5 runs it as a write, so a read-only
 * archive cannot have it (store_is_readonly tells the caller to say so); a lock held by
 * another process is a reason to try again, not a fault of the archive. */
static int check_fts(struct store *s, struct problems *p, struct err *e)
{
    struct err se = {0};
    if (s->flags & STORE_READONLY)
        return 0;
    if (search_check(s->db, &se) == 0)
        return 0;
    int code = sqlite3_errcode(s->db) & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return dberr(s, e, code, "checking the search index");
    problem(p, "search index: %s", se.msg[0] ? se.msg : sqlite3_errmsg(s->db));
    return 0;
}

bool store_is_readonly(struct store *s)
{
    return (s->flags & STORE_READONLY) != 0;
}

/* The store's invariants, one query each: a row is a problem. */
static const char *const invariants[] = {
    "SELECT format('case %d: no source for its version %d', id, version) "
    "FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM source s "
    "WHERE s.case_id = c.id AND s.version = c.version)",
    "SELECT format('case %d: %d sources for version %d', c.id, "
    "(SELECT count(*) FROM source s WHERE s.case_id = c.id), c.version) "
    "FROM \"case\" c WHERE (SELECT count(*) FROM source s "
    "WHERE s.case_id = c.id) <> c.version",
    "SELECT format('follow-up %d: not attached to a decision', id) "
    "FROM followup WHERE entry_id IS NULL AND decision_id IS NULL", /* issue 10, flat */
    "SELECT format('source %d: size %d but %d bytes', id, size, "
    "length(bytes)) FROM source WHERE packed = 0 AND size <> length(bytes)", /* issue 11, storage */
    "SELECT format('case %d: belongs to no body', id) FROM \"case\" c "
    "WHERE (c.body_id IS NOT NULL OR EXISTS (SELECT 1 FROM agenda a WHERE a.case_id = c.id)) "
    "AND NOT EXISTS (SELECT 1 FROM case_body cb WHERE cb.case_id = c.id)",
    "SELECT 'search index: to be built again (the next referat command that writes does it)' "
    "FROM store_state WHERE key = 'reindex'",
    "SELECT format('source %d: its ledger event %d is missing', s.id, s.event_id) "
    "FROM source s WHERE s.event_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.id = s.event_id)",
};

int store_check(struct store *s, char ***problems, size_t *nproblems, struct err *e)
{
    struct problems p = {0};
    int rc = check_rows(s, "PRAGMA integrity_check", "integrity: ", &p, e);
    if (rc == 0)
        rc = check_rows(s, "SELECT format('table %s row %d: foreign key %d to %s broken', "
                           "\"table\", rowid, fkid, parent) FROM pragma_foreign_key_check",
                        "", &p, e);
    for (size_t i = 0; rc == 0 && i < sizeof invariants / sizeof invariants[0]; i++)
        rc = check_rows(s, invariants[i], "", &p, e);
    /* Hashes: the bytes are what was imported. */
    if (rc == 0) {
        sqlite3_stmt *st = NULL;
        bool row;
        /* ---- issue 11, storage: the hash is over the original bytes, unpacked ---- */
        rc = adhoc(s, "SELECT id, hash, bytes, packed, size, 'source' FROM source UNION ALL "
                      "SELECT id, hash, bytes, packed, size, 'meeting source' FROM meeting_source",
                   &st, e);
        while (rc == 0 && (rc = next_row(s, st, &row, e, "checking sources")) == 0 && row) {
            char h[65];
            size_t len = 0;
            char *bytes = col_source(st, 2, 3, 4, &len);
            const char *want = (const char *)sqlite3_column_text(st, 1);
            if (!bytes)
                problem(&p, "%s %lld: its packed bytes do not unpack to its size",
                        sqlite3_column_text(st, 5), (long long)sqlite3_column_int64(st, 0));
            else {
                store_hash(bytes, len, h);
                if (!want || strcmp(h, want) != 0)
                    problem(&p, "%s %lld: bytes do not match their hash",
                            sqlite3_column_text(st, 5), (long long)sqlite3_column_int64(st, 0));
            }
            free(bytes);
        }
        sqlite3_finalize(st);
    }
    if (rc == 0) {
        int64_t broken = 0;
        char *why = NULL;
        size_t count = 0;
        char head[65];
        rc = store_ledger_verify(s, &broken, &why, &count, head, e);
        if (rc == 0 && broken)
            problem(&p, "ledger: event %lld: %s", (long long)broken, why ? why : "broken");
        free(why);
    }
    if (rc == 0)
        rc = check_fts(s, &p, e);
    if (rc < 0) {
        store_problems_free(p.v, p.n);
        return rc;
    }
    *problems = p.v;
    *nproblems = p.n;
    return 0;
}

int store_optimize(struct store *s, struct err *e)
{
    int rc = search_optimize(s->db, e);
    if (rc < 0 && e)
        e->file = s->path;
    return rc;
}

int store_stats(struct store *s, struct store_stats *out, struct err *e)
{
    static const char *const tables[] = {"body",     "meeting", "\"case\"",   "subitem",
                                         "decision", "entry",   "attachment", "person",
                                         "followup", "source",  "account",    "ledger"};
    size_t *fields[] = {&out->bodies,      &out->meetings, &out->cases,     &out->subitems,
                        &out->decisions,   &out->entries,  &out->attachments, &out->people,
                        &out->followups,   &out->sources,  &out->accounts,  &out->events};
    int rc = read_begin(s, e);
    for (size_t i = 0; rc == 0 && i < sizeof tables / sizeof tables[0]; i++) {
        char sql[64];
        sqlite3_stmt *st = NULL;
        bool row;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        rc = adhoc(s, sql, &st, e);
        if (rc == 0 && (rc = next_row(s, st, &row, e, "counting")) == 0)
            *fields[i] = row ? (size_t)sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
    }
    out->versions = out->sources;
    read_end(s);
    return rc;
}
