/* store_sqlite: the archive on SQLite (WAL, foreign keys, migrations, FTS5 via src/search). */
#include "store.h"
#include "store_internal.h"
#include "store_schema.h"
#include "../format/format.h"
#include "../search/search.h"
#include "../util/buf.h"

#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 'REFA': marks a file as a referat archive, so another SQLite file is refused. */
#define APPLICATION_ID 0x52454641
#define SCHEMA_VERSION 4

/* The statements the store runs, prepared once per connection. */
enum {
    Q_CASE_BY_KEY,
    Q_LATEST_HASH,
    Q_CASE_INSERT,
    Q_CASE_UPDATE,
    Q_DEL_ROUTE,
    Q_DEL_HUNK,
    Q_DEL_SUBITEM,
    Q_DEL_DECISION,
    Q_DEL_ATTACH,
    Q_SOURCE_INSERT,
    Q_HUNK_INSERT,
    Q_ROUTE_INSERT,
    Q_SUBITEM_INSERT,
    Q_PERSON_FIND,
    Q_PERSON_INSERT,
    Q_GUEST_INSERT,
    Q_BODY_BY_NAME,
    Q_BODY_NAMELESS,
    Q_BODY_BY_CODE,
    Q_BODY_SET_NAME,
    Q_BODY_INSERT,
    Q_MEETING_FIND,
    Q_MEETING_INSERT,
    Q_DECISION_INSERT,
    Q_ENTRY_INSERT,
    Q_DATEREF_INSERT,
    Q_FU_OLD,
    Q_FU_MOVE,
    Q_FU_INSERT,
    Q_FU_PRUNE,
    Q_ATTACH_INSERT,
    Q_CASE_ROW,
    Q_ROUTE_ROWS,
    Q_HUNK_ROWS,
    Q_SUBITEM_ROWS,
    Q_GUEST_ROWS,
    Q_DECISION_ROWS,
    Q_ENTRY_ROWS,
    Q_FU_ROWS,
    Q_DATEREF_ROWS,
    Q_ATTACH_ROWS,
    Q_COUNT
};

static const char *const sql_text[Q_COUNT] = {
    [Q_CASE_BY_KEY] = "SELECT id, version FROM \"case\" WHERE key = ?1",
    [Q_LATEST_HASH] = "SELECT hash FROM source WHERE case_id = ?1 AND format = ?2 "
                      "ORDER BY version DESC LIMIT 1",
    [Q_CASE_INSERT] = "INSERT INTO \"case\" (key, version, title, public, presentation, intro, "
                      "has_table, recommendation, has_attachments, body_id, date, "
                      "layout_format, layout_base, created_at, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    [Q_CASE_UPDATE] = "UPDATE \"case\" SET key = ?1, version = ?2, title = ?3, public = ?4, "
                      "presentation = ?5, intro = ?6, has_table = ?7, recommendation = ?8, "
                      "has_attachments = ?9, body_id = ?10, date = ?11, layout_format = ?12, "
                      "layout_base = ?13, updated_at = ?14 WHERE id = ?15",
    [Q_DEL_ROUTE] = "DELETE FROM route WHERE case_id = ?1",
    [Q_DEL_HUNK] = "DELETE FROM hunk WHERE case_id = ?1",
    [Q_DEL_SUBITEM] = "DELETE FROM subitem WHERE case_id = ?1",
    [Q_DEL_DECISION] = "DELETE FROM decision WHERE case_id = ?1",
    [Q_DEL_ATTACH] = "DELETE FROM attachment WHERE case_id = ?1",
    [Q_SOURCE_INSERT] = "INSERT INTO source (case_id, version, name, format, hash, size, bytes, "
                        "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_HUNK_INSERT] = "INSERT INTO hunk (case_id, pos, at, del, nins, ins) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_ROUTE_INSERT] = "INSERT INTO route (case_id, pos, code, body_id) VALUES (?1, ?2, ?3, ?4)",
    [Q_SUBITEM_INSERT] = "INSERT INTO subitem (case_id, pos, time, title, text) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_PERSON_FIND] = "SELECT id FROM person WHERE name = ?1",
    [Q_PERSON_INSERT] = "INSERT INTO person (name) VALUES (?1)",
    [Q_GUEST_INSERT] = "INSERT INTO guest (subitem_id, pos, person_id, role) "
                       "VALUES (?1, ?2, ?3, ?4)",
    [Q_BODY_BY_NAME] = "SELECT id FROM body WHERE name = ?1",
    [Q_BODY_NAMELESS] = "SELECT id FROM body WHERE code = ?1 AND name IS NULL LIMIT 1",
    [Q_BODY_BY_CODE] = "SELECT id FROM body WHERE code = ?1 ORDER BY name IS NULL, id LIMIT 1",
    [Q_BODY_SET_NAME] = "UPDATE body SET name = ?2 WHERE id = ?1",
    [Q_BODY_INSERT] = "INSERT INTO body (code, name) VALUES (?1, ?2)",
    [Q_MEETING_FIND] = "SELECT id FROM meeting WHERE body_id = ?1 AND date = ?2",
    [Q_MEETING_INSERT] = "INSERT INTO meeting (body_id, date) VALUES (?1, ?2)",
    [Q_DECISION_INSERT] = "INSERT INTO decision (case_id, pos, body, date, meeting_id, text) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_ENTRY_INSERT] = "INSERT INTO entry (decision_id, pos, title, subitem, text) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_DATEREF_INSERT] = "INSERT INTO dateref (entry_id, pos, text, start, \"end\") "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_FU_OLD] = "SELECT f.id, p.name, f.role, f.text, f.due FROM followup f "
                 "JOIN person p ON p.id = f.person_id "
                 "WHERE f.case_id = ?1 AND f.entry_id IS NULL ORDER BY f.id",
    [Q_FU_MOVE] = "UPDATE followup SET entry_id = ?2, pos = ?3 WHERE id = ?1",
    [Q_FU_INSERT] = "INSERT INTO followup (case_id, entry_id, pos, person_id, role, text, due) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_FU_PRUNE] = "DELETE FROM followup WHERE case_id = ?1 AND entry_id IS NULL",
    [Q_ATTACH_INSERT] = "INSERT INTO attachment (case_id, pos, number, public, title, journal, "
                        "flag, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_CASE_ROW] = "SELECT title, public, presentation, intro, has_table, recommendation, "
                   "has_attachments, layout_format, layout_base FROM \"case\" WHERE id = ?1",
    [Q_ROUTE_ROWS] = "SELECT code FROM route WHERE case_id = ?1 ORDER BY pos",
    [Q_HUNK_ROWS] = "SELECT at, del, nins, ins FROM hunk WHERE case_id = ?1 ORDER BY pos",
    [Q_SUBITEM_ROWS] = "SELECT id, time, title, text FROM subitem WHERE case_id = ?1 "
                       "ORDER BY pos",
    [Q_GUEST_ROWS] = "SELECT p.name, g.role FROM guest g JOIN person p ON p.id = g.person_id "
                     "WHERE g.subitem_id = ?1 ORDER BY g.pos",
    [Q_DECISION_ROWS] = "SELECT id, body, date, text FROM decision WHERE case_id = ?1 "
                        "ORDER BY pos",
    [Q_ENTRY_ROWS] = "SELECT id, title, subitem, text FROM entry WHERE decision_id = ?1 "
                     "ORDER BY pos",
    [Q_FU_ROWS] = "SELECT p.name, f.role, f.text, f.due FROM followup f "
                  "JOIN person p ON p.id = f.person_id WHERE f.entry_id = ?1 ORDER BY f.pos",
    [Q_DATEREF_ROWS] = "SELECT text, start, \"end\" FROM dateref WHERE entry_id = ?1 "
                       "ORDER BY pos",
    [Q_ATTACH_ROWS] = "SELECT number, public, title, journal, flag, document FROM attachment "
                      "WHERE case_id = ?1 ORDER BY pos",
};

/* A prepared statement kept for the connection's life, found by the address of its SQL. */
struct cached {
    const char *sql;
    sqlite3_stmt *st;
};

struct store {
    sqlite3 *db;
    char *path;
    int flags;
    int busy_ms;
    /* Preparing costs more than running most of the store's queries, so each statement is
     * prepared once per connection. A struct store is used by one thread at a time (store.h),
     * which is what makes keeping them here safe. */
    struct cached *cache;
    size_t ncache, capcache;
};

/* ---- errors ---- */

/* Fills e from the connection's last error, saying in words which of the failures a user
 * can act on this is. Returns ERR_DB. */
static int dberr(struct store *s, struct err *e, int rc, const char *what)
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

/* ---- statement helpers ---- */

/* Grows an array of elements of `size` bytes to hold at least n + 1, doubling. */
static void *grow(void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    *cap = *cap ? 2 * *cap : 8;
    return xrealloc(v, *cap * size);
}

/* The connection's statement for sql, prepared on first use. sql must be a string that lives
 * as long as the program (a literal or an entry of sql_text): its address is the key. The
 * statement stays owned by s; the caller hands it back with fin() when done with it. */
static int stmt(struct store *s, const char *sql, sqlite3_stmt **out, struct err *e)
{
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            *out = s->cache[i].st;
            return 0;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return dberr(s, e, rc, "preparing a query");
    s->cache = grow(s->cache, s->ncache, &s->capcache, sizeof *s->cache);
    s->cache[s->ncache++] = (struct cached){sql, st};
    *out = st;
    return 0;
}

static int prep(struct store *s, int id, sqlite3_stmt **out, struct err *e)
{
    return stmt(s, sql_text[id], out, e);
}

/* The insert of the pos-th row under parent: the statement with ?1 and ?2 bound to them. */
static int prep_at(struct store *s, int id, int64_t parent, size_t pos, sqlite3_stmt **out,
                   struct err *e)
{
    int rc = prep(s, id, out, e);
    if (rc == 0) {
        sqlite3_bind_int64(*out, 1, parent);
        sqlite3_bind_int64(*out, 2, (sqlite3_int64)pos);
    }
    return rc;
}

/* Makes a kept statement ready for its next use: no open read, no borrowed bindings. */
static void fin(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

/* Steps st and reports a failure other than the end of rows. */
static int next_row(struct store *s, sqlite3_stmt *st, bool *row, struct err *e, const char *what)
{
    int step = sqlite3_step(st);
    *row = step == SQLITE_ROW;
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        return 0;
    return dberr(s, e, step, what);
}

/* Fills e for an object that does not exist; returns ERR_NOTFOUND. */
static int vnotfound(struct store *s, struct err *e, const char *fmt, va_list ap)
{
    char msg[sizeof e->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    e->file = s->path;
    err_set(e, ERR_NOTFOUND, 0, 0, "%s", msg);
    return ERR_NOTFOUND;
}

static int notfound(struct store *s, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int notfound(struct store *s, struct err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vnotfound(s, e, fmt, ap);
    va_end(ap);
    return rc;
}

/* Steps st to its first row, which the caller then reads. Without one: ERR_NOTFOUND, with
 * the message formatted from fmt. Either way the caller still hands st back with fin(). */
static int first_row(struct store *s, sqlite3_stmt *st, struct err *e, const char *what,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int first_row(struct store *s, sqlite3_stmt *st, struct err *e, const char *what,
                     const char *fmt, ...)
{
    bool row;
    int rc = next_row(s, st, &row, e, what);
    if (rc == 0 && !row) {
        va_list ap;
        va_start(ap, fmt);
        rc = vnotfound(s, e, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* How the rows of a list query become the elements of the array a list function returns. */
struct rowtype {
    size_t size;      /* of one element */
    const char *what; /* for a failure's message: "listing cases" */
    void (*read)(sqlite3_stmt *st, void *elem);
    void (*free)(void *v, size_t n); /* the elements read so far, and v */
};

/* Reads every row of st into a new array and hands st back. *v and *n are set only on
 * success (NULL and 0 for no rows). */
static int collect(struct store *s, sqlite3_stmt *st, const struct rowtype *t, void **v,
                   size_t *n, struct err *e)
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

static void bind_str(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static char *col_str(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

/* A heap copy of a blob column, NUL-terminated so that text can be read as a string. */
static char *col_bytes(sqlite3_stmt *st, int i, size_t *len)
{
    *len = (size_t)sqlite3_column_bytes(st, i);
    char *p = xmalloc(*len + 1);
    if (*len)
        memcpy(p, sqlite3_column_blob(st, i), *len);
    p[*len] = '\0';
    return p;
}

/* Steps a statement that returns no rows; resets it. */
static int run(struct store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    int rc = sqlite3_step(st);
    fin(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return dberr(s, e, rc, what);
    return 0;
}

/* Steps a statement expected to return at most one integer; *found tells whether it did. */
static int one_int(struct store *s, sqlite3_stmt *st, int64_t *v, bool *found, struct err *e,
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

/* Runs an INSERT; *id receives the id of the row it made. */
static int insert(struct store *s, sqlite3_stmt *st, int64_t *id, struct err *e,
                  const char *what)
{
    int rc = run(s, st, e, what);
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int exec(struct store *s, const char *sql, struct err *e, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : dberr(s, e, rc, what);
}

static void rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Prepares a statement that is not kept: for SQL built at run time, or run once (migrations,
 * checks, counts for stats). The caller finalizes it. */
static int adhoc(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : dberr(s, e, rc, "preparing a query");
}

/* Reads a snapshot: the several SELECTs of one call see one state of the archive. */
static int read_begin(struct store *s, struct err *e)
{
    return exec(s, "BEGIN", e, "reading the archive");
}

static void read_end(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
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
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : dberr(s, e, rc, "reading the schema version");
}

int store_version(struct store *s, int *version, struct err *e)
{
    return pragma_int(s, "PRAGMA user_version", version, e);
}

static int index_case(struct store *s, int64_t case_id, const struct case_doc *c,
                      struct err *e);
static int load_case(struct store *s, int64_t id, enum audience a, struct case_doc **out,
                     struct err *e);

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
        rc = load_case(s, id, AUDIENCE_STAFF, &c, e);
        if (rc == 0)
            rc = index_case(s, id, c, e);
        case_free(c);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Migration 2: the full-text tables, and an index of every case already archived. */
static int migrate_search(struct store *s, struct err *e)
{
    int rc = exec(s, search_schema_sql(), e, "creating the search index");
    return rc < 0 ? rc : index_all(s, e);
}

/* Migration 4: public and staff search kept apart (docs/search.md): the search tables made
 * anew, every case indexed again. */
static int migrate_search_split(struct store *s, struct err *e)
{
    int rc = exec(s, search_upgrade_sql(), e, "splitting the search index");
    return rc < 0 ? rc : index_all(s, e);
}

/* One step per schema version; each runs in its own transaction. */
static int migrate_step(struct store *s, int version, struct err *e)
{
    switch (version) {
    case 1: return exec(s, schema_sql[0], e, "creating the archive's tables");
    case 2: return migrate_search(s, e);
    case 3: return 0; /* placeholder for the lead's migration 3 */
    case 4: return migrate_search_split(s, e);
    default: return err_set(e, ERR_DB, 0, 0, "no migration to version %d", version), ERR_DB;
    }
}

int store_migrate(struct store *s, int to, struct err *e)
{
    if (to <= 0 || to > SCHEMA_VERSION)
        to = SCHEMA_VERSION;
    for (;;) {
        int v = 0;
        /* IMMEDIATE: two processes opening a new archive at once migrate it once. */
        int rc = exec(s, "BEGIN IMMEDIATE", e, "upgrading the archive");
        if (rc == 0)
            rc = store_version(s, &v, e);
        if (rc == 0 && v >= to) {
            rollback(s);
            return 0;
        }
        if (rc == 0 && v == 0) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APPLICATION_ID);
            rc = exec(s, sql, e, "upgrading the archive");
        }
        if (rc == 0)
            rc = migrate_step(s, v + 1, e);
        if (rc == 0) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
            rc = exec(s, sql, e, "upgrading the archive");
        }
        if (rc == 0)
            rc = exec(s, "COMMIT", e, "upgrading the archive");
        if (rc < 0) {
            rollback(s);
            return rc;
        }
    }
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int store_open(const char *path, int flags, struct store **out, struct err *e)
{
    struct store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->flags = flags;
    s->busy_ms = 5000;
    int rc = 0, version = 0, appid = 0;
    if (!(flags & STORE_CREATE) && !file_exists(path)) {
        e->file = s->path;
        err_set(e, ERR_DB, 0, 0, "no archive here (run `referat import` to create one, or "
                                 "give --db PATH or REFERAT_DB)");
        rc = ERR_DB;
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
    /* The first read of the file: a corrupt or foreign file fails here. */
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
        e->file = s->path;
        err_set(e, ERR_DB, 0, 0, "not a referat archive (another program's SQLite database)");
        rc = ERR_DB;
        goto done;
    }
    if (version > SCHEMA_VERSION) {
        e->file = s->path;
        err_set(e, ERR_DB, 0, 0,
                "the archive has schema version %d, newer than this referat knows (%d); "
                "use a newer referat", version, SCHEMA_VERSION);
        rc = ERR_DB;
        goto done;
    }
    rc = exec(s, "PRAGMA foreign_keys = ON", e, "opening the archive");
    if (rc == 0 && !(flags & STORE_READONLY))
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
    if (search_register(s->db) != 0) {
        rc = dberr(s, e, sqlite3_errcode(s->db), "registering the Danish tokenizer");
        goto done;
    }
    if (!(flags & (STORE_READONLY | STORE_NOMIGRATE)) && version < SCHEMA_VERSION)
        rc = store_migrate(s, SCHEMA_VERSION, e);
    else if ((flags & STORE_READONLY) && version < SCHEMA_VERSION) {
        e->file = s->path;
        err_set(e, ERR_DB, 0, 0,
                version == 0 ? "empty archive (run `referat import` first)"
                             : "the archive has schema version %d, older than %d; run "
                               "`referat db migrate`", version, SCHEMA_VERSION);
        rc = ERR_DB;
    }
done:
    if (rc < 0) {
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
    for (size_t i = 0; i < s->ncache; i++)
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

/* ---- import ---- */

static int person_id(struct store *s, const char *name, int64_t *id, struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = prep(s, Q_PERSON_FIND, &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, name ? name : "");
    rc = one_int(s, st, id, &found, e, "storing a person");
    if (rc < 0 || found)
        return rc;
    if ((rc = prep(s, Q_PERSON_INSERT, &st, e)) < 0)
        return rc;
    bind_str(st, 1, name ? name : "");
    return insert(s, st, id, e, "storing a person");
}

/* The body a decision heading names: by name; else the code a rule or the route gives it,
 * taking over a body seen so far only by that code. */
static int body_by_name(struct store *s, const char *name, const char *code, int64_t *id,
                        struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = prep(s, Q_BODY_BY_NAME, &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, name);
    if ((rc = one_int(s, st, id, &found, e, "storing a body")) < 0 || found)
        return rc;
    if ((rc = prep(s, Q_BODY_NAMELESS, &st, e)) < 0)
        return rc;
    bind_str(st, 1, code);
    if ((rc = one_int(s, st, id, &found, e, "storing a body")) < 0)
        return rc;
    if (found) {
        if ((rc = prep(s, Q_BODY_SET_NAME, &st, e)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, *id);
        bind_str(st, 2, name);
        return run(s, st, e, "storing a body");
    }
    if ((rc = prep(s, Q_BODY_INSERT, &st, e)) < 0)
        return rc;
    bind_str(st, 1, code);
    bind_str(st, 2, name);
    return insert(s, st, id, e, "storing a body");
}

static int body_by_code(struct store *s, const char *code, int64_t *id, struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = prep(s, Q_BODY_BY_CODE, &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, code);
    if ((rc = one_int(s, st, id, &found, e, "storing a body")) < 0 || found)
        return rc;
    if ((rc = prep(s, Q_BODY_INSERT, &st, e)) < 0)
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

static int meeting_id(struct store *s, int64_t body, const char *date, int64_t *id,
                      struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = prep(s, Q_MEETING_FIND, &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body);
    bind_str(st, 2, date);
    if ((rc = one_int(s, st, id, &found, e, "storing a meeting")) < 0 || found)
        return rc;
    if ((rc = prep(s, Q_MEETING_INSERT, &st, e)) < 0)
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
    const char **code = xcalloc(c->ndecisions, sizeof *code);
    char **owned = xcalloc(c->ndecisions, sizeof *owned);
    bool *claimed = xcalloc(c->nroute, sizeof *claimed);
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
            if ((rc = prep(s, Q_BODY_BY_NAME, &st, e)) < 0)
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

static bool streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

struct old_followup {
    int64_t id;
    char *owner, *role, *text, *due;
    bool used;
};

static void read_old_followup(sqlite3_stmt *st, void *elem)
{
    struct old_followup *f = elem;
    f->id = sqlite3_column_int64(st, 0);
    f->owner = col_str(st, 1);
    f->role = col_str(st, 2);
    f->text = col_str(st, 3);
    f->due = col_str(st, 4);
}

static void old_followups_free(void *v, size_t n)
{
    struct old_followup *f = v;
    for (size_t i = 0; i < n; i++) {
        free(f[i].owner);
        free(f[i].role);
        free(f[i].text);
        free(f[i].due);
    }
    free(v);
}

static const struct rowtype old_followup_rows = {
    sizeof(struct old_followup), "reading follow-ups", read_old_followup, old_followups_free};

static int load_old_followups(struct store *s, int64_t case_id, struct old_followup **v,
                              size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    void *out;
    int rc = prep(s, Q_FU_OLD, &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = collect(s, st, &old_followup_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

static int put_followups(struct store *s, int64_t case_id, int64_t entry_id,
                         const struct entry *en, struct old_followup *old, size_t nold,
                         struct err *e)
{
    int rc = 0;
    for (size_t j = 0; j < en->nfollowups && rc == 0; j++) {
        const struct followup *f = &en->followups[j];
        sqlite3_stmt *st;
        size_t k = 0;
        while (k < nold && (old[k].used || !streq(old[k].owner, f->owner ? f->owner : "") ||
                            !streq(old[k].role, f->role) || !streq(old[k].text, f->text) ||
                            !streq(old[k].due, f->due)))
            k++;
        if (k < nold) {
            /* Unchanged: it keeps its id, status, and who closed it. */
            old[k].used = true;
            if ((rc = prep(s, Q_FU_MOVE, &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 1, old[k].id);
            sqlite3_bind_int64(st, 2, entry_id);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)j);
            rc = run(s, st, e, "storing a follow-up");
            continue;
        }
        int64_t pid;
        if ((rc = person_id(s, f->owner, &pid, e)) < 0)
            break;
        if ((rc = prep(s, Q_FU_INSERT, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, entry_id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)j);
        sqlite3_bind_int64(st, 4, pid);
        bind_str(st, 5, f->role);
        bind_str(st, 6, f->text ? f->text : "");
        bind_str(st, 7, f->due);
        rc = run(s, st, e, "storing a follow-up");
    }
    return rc;
}

/* Writes the rows of a case's parts (everything but the case row and its source). */
static int put_parts(struct store *s, int64_t case_id, const struct case_doc *c,
                     const int64_t *dec_body, const int64_t *route_body,
                     struct old_followup *old, size_t nold, struct err *e)
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
        if ((rc = prep_at(s, Q_HUNK_INSERT, case_id, i, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 3, (sqlite3_int64)h->at);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)h->del);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)h->nins);
        sqlite3_bind_text(st, 6, buf_cstr(&ins), (int)ins.len, SQLITE_STATIC);
        rc = run(s, st, e, "storing the layout");
    }
    buf_free(&ins);
    for (size_t k = 0; k < c->nroute && rc == 0; k++) {
        if ((rc = prep_at(s, Q_ROUTE_INSERT, case_id, k, &st, e)) < 0)
            break;
        bind_str(st, 3, c->route[k] ? c->route[k] : "");
        sqlite3_bind_int64(st, 4, route_body[k]);
        rc = run(s, st, e, "storing the route");
    }
    for (size_t i = 0; i < c->nsubitems && rc == 0; i++) {
        const struct subitem *si = &c->subitems[i];
        if ((rc = prep_at(s, Q_SUBITEM_INSERT, case_id, i, &st, e)) < 0)
            break;
        bind_str(st, 3, si->time);
        bind_str(st, 4, si->title);
        bind_str(st, 5, si->text);
        int64_t sid;
        if ((rc = insert(s, st, &sid, e, "storing a sub-item")) < 0)
            break;
        for (size_t k = 0; k < si->nguests && rc == 0; k++) {
            int64_t pid;
            if ((rc = person_id(s, si->guests[k].name, &pid, e)) < 0)
                break;
            if ((rc = prep_at(s, Q_GUEST_INSERT, sid, k, &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 3, pid);
            bind_str(st, 4, si->guests[k].role);
            rc = run(s, st, e, "storing a guest");
        }
    }
    for (size_t i = 0; i < c->ndecisions && rc == 0; i++) {
        const struct decision *d = &c->decisions[i];
        int64_t mid = 0;
        if (dec_body[i] && d->date && (rc = meeting_id(s, dec_body[i], d->date, &mid, e)) < 0)
            break;
        if ((rc = prep_at(s, Q_DECISION_INSERT, case_id, i, &st, e)) < 0)
            break;
        bind_str(st, 3, d->body);
        bind_str(st, 4, d->date);
        if (mid)
            sqlite3_bind_int64(st, 5, mid);
        else
            sqlite3_bind_null(st, 5);
        bind_str(st, 6, d->text);
        int64_t did;
        if ((rc = insert(s, st, &did, e, "storing a decision")) < 0)
            break;
        for (size_t k = 0; k < d->nentries && rc == 0; k++) {
            const struct entry *en = &d->entries[k];
            if ((rc = prep_at(s, Q_ENTRY_INSERT, did, k, &st, e)) < 0)
                break;
            bind_str(st, 3, en->title);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)en->subitem);
            bind_str(st, 5, en->text);
            int64_t eid;
            if ((rc = insert(s, st, &eid, e, "storing a decision entry")) < 0)
                break;
            for (size_t j = 0; j < en->ndates && rc == 0; j++) {
                if ((rc = prep_at(s, Q_DATEREF_INSERT, eid, j, &st, e)) < 0)
                    break;
                bind_str(st, 3, en->dates[j].text);
                bind_str(st, 4, en->dates[j].start);
                bind_str(st, 5, en->dates[j].end);
                rc = run(s, st, e, "storing a date");
            }
            if (rc == 0)
                rc = put_followups(s, case_id, eid, en, old, nold, e);
        }
    }
    for (size_t i = 0; i < c->nattachments && rc == 0; i++) {
        const struct attachment *a = &c->attachments[i];
        if ((rc = prep_at(s, Q_ATTACH_INSERT, case_id, i, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 3, a->number);
        sqlite3_bind_int(st, 4, a->public);
        bind_str(st, 5, a->title);
        bind_str(st, 6, a->journal);
        bind_str(st, 7, a->flag);
        bind_str(st, 8, a->document);
        rc = run(s, st, e, "storing an attachment");
    }
    if (rc == 0 && nold) {
        if ((rc = prep(s, Q_FU_PRUNE, &st, e)) == 0) {
            sqlite3_bind_int64(st, 1, case_id);
            rc = run(s, st, e, "removing changed follow-ups");
        }
    }
    return rc;
}

/* Binds the case row's columns ?1..?14 (key at ?1). */
static void bind_case(sqlite3_stmt *st, const char *key, int version, const struct case_doc *c,
                      int64_t body_id, const char *now)
{
    bind_str(st, 1, key);
    sqlite3_bind_int(st, 2, version);
    bind_str(st, 3, c->title ? c->title : "");
    sqlite3_bind_int(st, 4, c->public);
    bind_str(st, 5, c->presentation);
    bind_str(st, 6, c->intro);
    sqlite3_bind_int(st, 7, c->has_table);
    bind_str(st, 8, c->recommendation);
    sqlite3_bind_int(st, 9, c->has_attachments);
    if (body_id)
        sqlite3_bind_int64(st, 10, body_id);
    else
        sqlite3_bind_null(st, 10);
    bind_str(st, 11, c->ndecisions ? c->decisions[0].date : NULL);
    bind_str(st, 12, c->layout.format);
    bind_str(st, 13, c->layout.base);
    bind_str(st, 14, now);
}

static int index_case(struct store *s, int64_t case_id, const struct case_doc *c,
                      struct err *e)
{
    char *body = NULL, *date = NULL;
    int64_t body_id = 0;
    sqlite3_stmt *st = NULL;
    bool row;
    /* The body and date the case row holds for lists: its first deciding body. */
    int rc = stmt(s, "SELECT b.code, c.date, c.body_id FROM \"case\" c "
                     "LEFT JOIN body b ON b.id = c.body_id WHERE c.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = next_row(s, st, &row, e, "indexing a case")) == 0 && row) {
        body = col_str(st, 0);
        date = col_str(st, 1);
        body_id = sqlite3_column_int64(st, 2);
    }
    fin(st);
    if (rc == 0) {
        /* Until the store computes who may read a closed case: its deciding body. */
        struct search_meta m = {.case_id = case_id, .body = body, .date = date,
                                .bodies = &body_id, .nbodies = body_id ? 1 : 0};
        struct err se = {0};
        if (search_index_case(s->db, &m, c, &se) != 0) {
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
    return rc;
}

int store_import(struct store *s, const struct store_doc *d, enum store_outcome *outcome,
                 int64_t *case_id_out, struct err *e)
{
    const struct case_doc *c = d->model;
    char *key = store_key(d->name);
    char hash[65], now[21];
    int64_t case_id = 0, version = 0;
    bool found = false;
    enum store_outcome result = STORE_IMPORTED;
    int64_t *dec_body = xcalloc(c->ndecisions + 1, sizeof *dec_body);
    int64_t *route_body = xcalloc(c->nroute + 1, sizeof *route_body);
    struct old_followup *old = NULL;
    size_t nold = 0;
    sqlite3_stmt *st;
    store_hash(d->bytes, d->len, hash);
    store_now(now);

    int rc = exec(s, "BEGIN IMMEDIATE", e, "starting an import");
    if (rc < 0)
        goto done;
    if ((rc = prep(s, Q_CASE_BY_KEY, &st, e)) < 0)
        goto done;
    bind_str(st, 1, key);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        found = true;
        case_id = sqlite3_column_int64(st, 0);
        version = sqlite3_column_int64(st, 1);
    }
    fin(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = dberr(s, e, step, "looking up the case");
        goto done;
    }
    if (found) {
        if ((rc = prep(s, Q_LATEST_HASH, &st, e)) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, case_id);
        bind_str(st, 2, d->format);
        step = sqlite3_step(st);
        bool same = step == SQLITE_ROW &&
                    strcmp((const char *)sqlite3_column_text(st, 0), hash) == 0;
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
        /* Replace the parts; follow-ups lose their entry (SET NULL) until matched again. */
        static const int dels[] = {Q_DEL_ROUTE, Q_DEL_HUNK, Q_DEL_SUBITEM, Q_DEL_DECISION,
                                   Q_DEL_ATTACH};
        for (size_t i = 0; i < sizeof dels / sizeof dels[0] && rc == 0; i++) {
            if ((rc = prep(s, dels[i], &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 1, case_id);
            rc = run(s, st, e, "replacing the case");
        }
        if (rc == 0)
            rc = load_old_followups(s, case_id, &old, &nold, e);
        if (rc < 0)
            goto done;
    }
    if ((rc = resolve_bodies(s, c, dec_body, route_body, e)) < 0)
        goto done;
    int64_t list_body = c->ndecisions && dec_body[0] ? dec_body[0]
                        : c->nroute                  ? route_body[0]
                                                     : 0;
    version++;
    if ((rc = prep(s, found ? Q_CASE_UPDATE : Q_CASE_INSERT, &st, e)) < 0)
        goto done;
    bind_case(st, key, (int)version, c, list_body, now);
    if (found)
        sqlite3_bind_int64(st, 15, case_id);
    if ((rc = run(s, st, e, "storing the case")) < 0)
        goto done;
    if (!found)
        case_id = sqlite3_last_insert_rowid(s->db);
    if ((rc = prep(s, Q_SOURCE_INSERT, &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, version);
    bind_str(st, 3, d->name);
    bind_str(st, 4, d->format);
    bind_str(st, 5, hash);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)d->len);
    sqlite3_bind_blob64(st, 7, d->len ? d->bytes : "", d->len, SQLITE_STATIC);
    bind_str(st, 8, now);
    if ((rc = run(s, st, e, "storing the source")) < 0)
        goto done;
    if ((rc = put_parts(s, case_id, c, dec_body, route_body, old, nold, e)) < 0)
        goto done;
    if ((rc = index_case(s, case_id, c, e)) < 0)
        goto done;
    rc = exec(s, "COMMIT", e, "committing the import");
done:
    if (rc < 0)
        rollback(s);
    else {
        if (outcome)
            *outcome = result;
        if (case_id_out)
            *case_id_out = case_id;
    }
    old_followups_free(old, nold);
    free(dec_body);
    free(route_body);
    free(key);
    return rc;
}

/* ---- reading a case ---- */

static int load_hunks(struct store *s, int64_t id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = prep(s, Q_HUNK_ROWS, &st, e);
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

static int load_subitems(struct store *s, int64_t id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st, *gs;
    bool row, guest;
    int rc = prep(s, Q_SUBITEM_ROWS, &st, e);
    if (rc == 0)
        rc = prep(s, Q_GUEST_ROWS, &gs, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = next_row(s, st, &row, e, "reading sub-items")) == 0 && row) {
        struct subitem *si = case_add_subitem(c);
        si->time = col_str(st, 1);
        si->title = col_str(st, 2);
        si->text = col_str(st, 3);
        sqlite3_bind_int64(gs, 1, sqlite3_column_int64(st, 0));
        while ((rc = next_row(s, gs, &guest, e, "reading guests")) == 0 && guest) {
            struct guest *g = subitem_add_guest(si);
            g->name = col_str(gs, 0);
            g->role = col_str(gs, 1);
        }
        fin(gs);
        if (rc < 0)
            break;
    }
    fin(st);
    return rc;
}

static int load_entry_parts(struct store *s, int64_t eid, struct entry *en, struct err *e)
{
    sqlite3_stmt *fs, *ds;
    bool row;
    int rc = prep(s, Q_FU_ROWS, &fs, e);
    if (rc == 0)
        rc = prep(s, Q_DATEREF_ROWS, &ds, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(fs, 1, eid);
    while ((rc = next_row(s, fs, &row, e, "reading follow-ups")) == 0 && row) {
        struct followup *f = entry_add_followup(en);
        f->owner = col_str(fs, 0);
        f->role = col_str(fs, 1);
        f->text = col_str(fs, 2);
        f->due = col_str(fs, 3);
    }
    fin(fs);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(ds, 1, eid);
    while ((rc = next_row(s, ds, &row, e, "reading dates")) == 0 && row) {
        struct dateref *r = entry_add_date(en);
        r->text = col_str(ds, 0);
        r->start = col_str(ds, 1);
        r->end = col_str(ds, 2);
    }
    fin(ds);
    return rc;
}

static int load_decisions(struct store *s, int64_t id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st, *es;
    bool row, erow;
    int rc = prep(s, Q_DECISION_ROWS, &st, e);
    if (rc == 0)
        rc = prep(s, Q_ENTRY_ROWS, &es, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = next_row(s, st, &row, e, "reading decisions")) == 0 && row) {
        struct decision *d = case_add_decision(c);
        d->body = col_str(st, 1);
        d->date = col_str(st, 2);
        d->text = col_str(st, 3);
        sqlite3_bind_int64(es, 1, sqlite3_column_int64(st, 0));
        while ((rc = next_row(s, es, &erow, e, "reading decision entries")) == 0 && erow) {
            struct entry *en = decision_add_entry(d);
            en->title = col_str(es, 1);
            en->subitem = (size_t)sqlite3_column_int64(es, 2);
            en->text = col_str(es, 3);
            /* The follow-up and date statements are distinct from es, so es stays on its
             * row while they run. */
            if ((rc = load_entry_parts(s, sqlite3_column_int64(es, 0), en, e)) < 0)
                break;
        }
        fin(es);
        if (rc < 0)
            break;
    }
    fin(st);
    return rc;
}

static int load_attachments(struct store *s, int64_t id, enum audience a, struct case_doc *c,
                            struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = prep(s, Q_ATTACH_ROWS, &st, e);
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

/* Rebuilds a case's model from its rows inside the caller's transaction. */
static int load_case(struct store *s, int64_t id, enum audience a, struct case_doc **out,
                     struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    struct case_doc *c = NULL;
    int rc = prep(s, Q_CASE_ROW, &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = first_row(s, st, e, "reading a case", "no case with id %lld", (long long)id)) < 0) {
        fin(st);
        return rc;
    }
    c = case_new();
    c->title = col_str(st, 0);
    c->public = sqlite3_column_int(st, 1) != 0;
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
    /* For the public a closed case is its title: nothing else is read. */
    if (a == AUDIENCE_PUBLIC && !c->public) {
        *out = c;
        return 0;
    }
    if ((rc = prep(s, Q_ROUTE_ROWS, &st, e)) < 0)
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
    }
    *out = c;
    return 0;
}

int store_case_get(struct store *s, int64_t id, enum audience a, struct case_doc **out,
                   struct err *e)
{
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = load_case(s, id, a, out, e);
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

#define CASE_REF_COLS                                                                        \
    "c.id, c.key, c.title, c.public, b.code, c.date FROM \"case\" c "                        \
    "LEFT JOIN body b ON b.id = c.body_id "

static void read_case_ref(sqlite3_stmt *st, void *elem)
{
    struct store_case_ref *r = elem;
    r->id = sqlite3_column_int64(st, 0);
    r->key = col_str(st, 1);
    r->title = col_str(st, 2);
    r->public = sqlite3_column_int(st, 3) != 0;
    r->body = col_str(st, 4);
    r->date = col_str(st, 5);
}

static void case_refs_free(void *v, size_t n)
{
    store_case_refs_free(v, n);
}

static const struct rowtype case_ref_rows = {sizeof(struct store_case_ref), "listing cases",
                                             read_case_ref, case_refs_free};

/* Collects rows of case refs from a kept statement, bound by the caller. */
static int collect_refs(struct store *s, sqlite3_stmt *st, struct store_case_ref **v, size_t *n,
                        struct err *e)
{
    void *out;
    int rc = collect(s, st, &case_ref_rows, &out, n, e);
    if (rc == 0)
        *v = out;
    return rc;
}

int store_case_ref_get(struct store *s, int64_t id, enum audience a, struct store_case_ref *out,
                       struct err *e)
{
    (void)a; /* a ref holds only what the public may see of any case */
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " CASE_REF_COLS "WHERE c.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "listing cases", "no case with id %lld", (long long)id);
    if (rc == 0)
        read_case_ref(st, out);
    fin(st);
    return rc;
}

int store_cases(struct store *s, enum audience a, size_t offset, size_t limit,
                struct store_case_ref **v, size_t *n, size_t *total, struct err *e)
{
    (void)a;
    sqlite3_stmt *st = NULL;
    bool row;
    int rc = read_begin(s, e);
    if (rc == 0 && total && (rc = stmt(s, "SELECT count(*) FROM \"case\"", &st, e)) == 0) {
        if ((rc = next_row(s, st, &row, e, "counting cases")) == 0)
            *total = row ? (size_t)sqlite3_column_int64(st, 0) : 0;
        fin(st);
    }
    if (rc == 0)
        rc = stmt(s, "SELECT " CASE_REF_COLS
                     "ORDER BY c.date IS NULL, c.date DESC, c.id DESC LIMIT ?1 OFFSET ?2",
                  &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, limit ? (sqlite3_int64)limit : -1);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)offset);
        rc = collect_refs(s, st, v, n, e);
    }
    read_end(s);
    return rc;
}

/* ---- sources and history ---- */

static int closed_err(struct store *s, struct err *e)
{
    e->file = s->path;
    err_set(e, ERR_CLOSED, 0, 0, "the case or its source holds closed content");
    return ERR_CLOSED;
}

/* True when the source bytes hold nothing the public may not see: its model is its own
 * public view. */
static bool source_is_public(const struct store_source *src)
{
    const struct fmt_reader *r = fmt_reader_find(src->format);
    struct case_doc *c = NULL;
    struct err pe = {0};
    struct warnings w = {0};
    bool ok = false;
    if (r && fmt_read(r, src->bytes, src->len, FMT_NOLAYOUT, &c, &pe, &w) == 0) {
        struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
        ok = c->public && case_equal(c, v, false);
        case_free(v);
    }
    case_free(c);
    warnings_fini(&w);
    return ok;
}

int store_source_get(struct store *s, int64_t case_id, int version, enum audience a,
                     struct store_source *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_source src = {0};
    int rc = stmt(s, "SELECT s.id, s.version, s.name, s.format, s.hash, s.imported_at, "
                     "s.bytes, c.public FROM source s JOIN \"case\" c ON c.id = s.case_id "
                     "WHERE s.case_id = ?1 AND s.version = "
                     "CASE WHEN ?2 > 0 THEN ?2 ELSE c.version END", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int(st, 2, version);
    rc = first_row(s, st, e, "reading a source", "no version %d of case %lld", version,
                   (long long)case_id);
    if (rc == 0 && a == AUDIENCE_PUBLIC && !sqlite3_column_int(st, 7))
        rc = closed_err(s, e);
    if (rc == 0) {
        src.id = sqlite3_column_int64(st, 0);
        src.version = sqlite3_column_int(st, 1);
        src.name = col_str(st, 2);
        src.format = col_str(st, 3);
        src.hash = col_str(st, 4);
        src.imported_at = col_str(st, 5);
        src.bytes = col_bytes(st, 6, &src.len);
    }
    fin(st);
    if (rc == 0 && a == AUDIENCE_PUBLIC && !source_is_public(&src))
        rc = closed_err(s, e);
    if (rc < 0) {
        store_source_fini(&src);
        return rc;
    }
    *out = src;
    return 0;
}

static int case_public(struct store *s, int64_t case_id, bool *pub, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT public FROM \"case\" WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    rc = first_row(s, st, e, "reading a case", "no case with id %lld", (long long)case_id);
    if (rc == 0)
        *pub = sqlite3_column_int(st, 0) != 0;
    fin(st);
    return rc;
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
}

static void versions_free(void *v, size_t n)
{
    store_versions_free(v, n);
}

static const struct rowtype version_rows = {sizeof(struct store_version), "reading the history",
                                            read_version, versions_free};

int store_versions(struct store *s, int64_t case_id, enum audience a, struct store_version **v,
                   size_t *n, struct err *e)
{
    bool pub = false;
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = case_public(s, case_id, &pub, e);
    if (rc == 0 && a == AUDIENCE_PUBLIC && !pub)
        rc = closed_err(s, e);
    if (rc == 0)
        rc = stmt(s, "SELECT version, imported_at, name, format, hash, size FROM source "
                     "WHERE case_id = ?1 ORDER BY version", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = collect(s, st, &version_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

int store_case_get_version(struct store *s, int64_t case_id, int version, enum audience a,
                           struct case_doc **out, struct err *e)
{
    struct store_source src = {0};
    int current = 0;
    sqlite3_stmt *st = NULL;
    bool row;
    int rc = stmt(s, "SELECT version FROM \"case\" WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = next_row(s, st, &row, e, "reading a case")) == 0 && row)
        current = sqlite3_column_int(st, 0);
    fin(st);
    if (rc < 0)
        return rc;
    if (version <= 0 || version == current)
        return store_case_get(s, case_id, a, out, e);
    /* Earlier versions live as their sources: the model is read from the stored bytes. */
    if ((rc = store_source_get(s, case_id, version, AUDIENCE_STAFF, &src, e)) < 0)
        return rc;
    const struct fmt_reader *r = fmt_reader_find(src.format);
    struct case_doc *c = NULL;
    struct warnings w = {0};
    struct err pe = {0};
    if (!r || fmt_read(r, src.bytes, src.len, 0, &c, &pe, &w) < 0) {
        e->file = s->path;
        err_set(e, ERR_DB, 0, 0, "version %d of case %lld can no longer be read (%s)",
                version, (long long)case_id, r ? "the reader rejects it" : "unknown format");
        rc = ERR_DB;
    }
    warnings_fini(&w);
    store_source_fini(&src);
    if (rc < 0)
        return rc;
    if (a == AUDIENCE_PUBLIC) {
        struct case_doc *v = case_view(c, a);
        case_free(c);
        c = v;
    }
    *out = c;
    return 0;
}

/* ---- attachments' files ---- */

int store_attachment_put(struct store *s, int64_t case_id, unsigned number, const char *filename,
                         const char *mime, const void *bytes, size_t len, struct err *e)
{
    char hash[65];
    sqlite3_stmt *st = NULL;
    store_hash(bytes, len, hash);
    int rc = stmt(s, "INSERT OR REPLACE INTO attachment_file (case_id, number, filename, mime, "
                     "hash, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, number);
    bind_str(st, 3, filename ? filename : "");
    bind_str(st, 4, mime);
    bind_str(st, 5, hash);
    sqlite3_bind_blob64(st, 6, len ? bytes : "", len, SQLITE_STATIC);
    int step = sqlite3_step(st);
    fin(st);
    if (step == SQLITE_DONE)
        return 0;
    if ((step & 0xff) == SQLITE_CONSTRAINT)
        return notfound(s, e, "no case with id %lld", (long long)case_id);
    return dberr(s, e, step, "storing an attachment's file");
}

int store_attachment_get(struct store *s, int64_t case_id, unsigned number, enum audience a,
                         struct store_file *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT f.filename, f.mime, f.bytes, c.public, "
                     "(SELECT min(public) FROM attachment t WHERE t.case_id = f.case_id "
                     "AND t.number = f.number) FROM attachment_file f "
                     "JOIN \"case\" c ON c.id = f.case_id "
                     "WHERE f.case_id = ?1 AND f.number = ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, number);
    rc = first_row(s, st, e, "reading an attachment's file",
                   "no file for attachment %u of case %lld", number, (long long)case_id);
    /* An attachment no longer listed by the case counts as closed. */
    if (rc == 0 && a == AUDIENCE_PUBLIC &&
        (!sqlite3_column_int(st, 3) || sqlite3_column_type(st, 4) == SQLITE_NULL ||
         !sqlite3_column_int(st, 4)))
        rc = closed_err(s, e);
    if (rc == 0) {
        out->filename = col_str(st, 0);
        out->mime = col_str(st, 1);
        out->bytes = col_bytes(st, 2, &out->len);
    }
    fin(st);
    return rc;
}

/* ---- bodies and meetings ---- */

static void read_body(sqlite3_stmt *st, void *elem)
{
    struct store_body *b = elem;
    b->id = sqlite3_column_int64(st, 0);
    b->code = col_str(st, 1);
    b->name = col_str(st, 2);
    b->nmeetings = (size_t)sqlite3_column_int64(st, 3);
}

static void bodies_free(void *v, size_t n)
{
    store_bodies_free(v, n);
}

static const struct rowtype body_rows = {sizeof(struct store_body), "listing bodies", read_body,
                                         bodies_free};

int store_bodies(struct store *s, struct store_body **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = stmt(s, "SELECT b.id, b.code, b.name, "
                     "(SELECT count(*) FROM meeting m WHERE m.body_id = b.id) "
                     "FROM body b ORDER BY b.code, b.name", &st, e);
    if (rc == 0 && (rc = collect(s, st, &body_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

#define MEETING_COLS                                                                         \
    "m.id, b.code, b.name, m.date, (SELECT count(DISTINCT d.case_id) FROM decision d "       \
    "WHERE d.meeting_id = m.id) FROM meeting m JOIN body b ON b.id = m.body_id "

static void read_meeting(sqlite3_stmt *st, void *elem)
{
    struct store_meeting *m = elem;
    m->id = sqlite3_column_int64(st, 0);
    m->body = col_str(st, 1);
    m->body_name = col_str(st, 2);
    m->date = col_str(st, 3);
    m->ncases = (size_t)sqlite3_column_int64(st, 4);
}

static void meetings_free(void *v, size_t n)
{
    store_meetings_free(v, n);
}

static const struct rowtype meeting_rows = {sizeof(struct store_meeting), "listing meetings",
                                            read_meeting, meetings_free};

int store_meetings(struct store *s, const char *body, int year, enum audience a,
                   struct store_meeting **v, size_t *n, struct err *e)
{
    (void)a; /* meetings and their counts are public; closed cases show as titles */
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = stmt(s, "SELECT " MEETING_COLS
                     "WHERE (?1 IS NULL OR b.code = ?1 OR b.name = ?1) "
                     "AND (?2 = 0 OR m.date >= printf('%04d-01-01', ?2) "
                     "AND m.date < printf('%04d-01-01', ?2 + 1)) "
                     "ORDER BY m.date DESC, b.code", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, body);
    sqlite3_bind_int(st, 2, year);
    if ((rc = collect(s, st, &meeting_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

int store_meeting_get(struct store *s, int64_t meeting_id, enum audience a,
                      struct store_meeting *out, struct err *e)
{
    (void)a;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " MEETING_COLS "WHERE m.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    rc = first_row(s, st, e, "listing meetings", "no meeting with id %lld",
                   (long long)meeting_id);
    if (rc == 0)
        read_meeting(st, out);
    fin(st);
    return rc;
}

int store_meeting_cases(struct store *s, int64_t meeting_id, enum audience a,
                        struct store_case_ref **v, size_t *n, struct err *e)
{
    (void)a;
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " CASE_REF_COLS "WHERE c.id IN "
                     "(SELECT case_id FROM decision WHERE meeting_id = ?1) ORDER BY c.id",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    return collect_refs(s, st, v, n, e);
}

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

int store_followups(struct store *s, const struct store_followup_filter *f, enum audience a,
                    struct store_followup **v, size_t *n, struct err *e)
{
    static const struct store_followup_filter none = {0};
    sqlite3_stmt *st = NULL;
    void *out;
    if (!f)
        f = &none;
    int rc = stmt(s,
        "SELECT f.id, f.case_id, c.title, b.code, d.date, en.title, p.name, f.role, f.text, "
        "f.due, f.status = 'done', f.done_by, f.done_at FROM followup f "
        "JOIN \"case\" c ON c.id = f.case_id JOIN person p ON p.id = f.person_id "
        "LEFT JOIN entry en ON en.id = f.entry_id "
        "LEFT JOIN decision d ON d.id = en.decision_id "
        "LEFT JOIN meeting m ON m.id = d.meeting_id LEFT JOIN body b ON b.id = m.body_id "
        "WHERE (?1 IS NULL OR p.name = ?1 COLLATE NOCASE) "
        "AND (?2 = 0 OR f.status = CASE ?2 WHEN 1 THEN 'open' ELSE 'done' END) "
        "AND (?3 IS NULL OR (f.status = 'open' AND f.due < ?3)) "
        "AND (?4 = 0 OR f.case_id = ?4) AND (?5 OR c.public) "
        "ORDER BY f.due IS NULL, f.due, f.id", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, f->owner);
    sqlite3_bind_int(st, 2, f->status);
    bind_str(st, 3, f->overdue_on);
    sqlite3_bind_int64(st, 4, f->case_id);
    sqlite3_bind_int(st, 5, a == AUDIENCE_STAFF);
    if ((rc = collect(s, st, &followup_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}

static int followup_exists(struct store *s, int64_t id, bool *done, struct err *e)
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
                        bool *was_done, struct err *e)
{
    char now[21];
    sqlite3_stmt *st = NULL;
    bool done = false;
    store_now(now);
    int rc = stmt(s, "UPDATE followup SET status = 'done', done_by = ?2, done_at = ?3 "
                     "WHERE id = ?1 AND status = 'open'", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, by);
    bind_str(st, 3, when ? when : now);
    int step = sqlite3_step(st);
    fin(st);
    if (step != SQLITE_DONE)
        return dberr(s, e, step, "closing a follow-up");
    if (sqlite3_changes(s->db) == 0 && (rc = followup_exists(s, id, &done, e)) < 0)
        return rc;
    if (was_done)
        *was_done = done;
    return 0;
}

int store_followup_reopen(struct store *s, int64_t id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool done;
    int rc = followup_exists(s, id, &done, e);
    if (rc == 0)
        rc = stmt(s, "UPDATE followup SET status = 'open', done_by = NULL, done_at = NULL "
                     "WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    fin(st);
    return step == SQLITE_DONE ? 0 : dberr(s, e, step, "reopening a follow-up");
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

int store_people(struct store *s, enum audience a, struct store_person **v, size_t *n,
                 struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    /* Roles and counts come from the appearances the audience may see, so a person seen
     * only in closed cases is not listed for the public at all. */
    int rc = stmt(s,
        "WITH g AS (SELECT g.person_id, g.role, c.date, c.id AS cid FROM guest g "
        "  JOIN subitem si ON si.id = g.subitem_id JOIN \"case\" c ON c.id = si.case_id "
        "  WHERE ?1 OR c.public), "
        "f AS (SELECT f.person_id, f.role, f.status, c.date, c.id AS cid FROM followup f "
        "  JOIN \"case\" c ON c.id = f.case_id WHERE ?1 OR c.public), "
        "r AS (SELECT person_id, role, date, cid FROM g WHERE role IS NOT NULL UNION ALL "
        "  SELECT person_id, role, date, cid FROM f WHERE role IS NOT NULL) "
        "SELECT p.id, p.name, "
        "  (SELECT role FROM r WHERE r.person_id = p.id "
        "   ORDER BY r.date IS NULL, r.date DESC, r.cid DESC LIMIT 1), "
        "  (SELECT count(*) FROM g WHERE g.person_id = p.id), "
        "  (SELECT count(*) FROM f WHERE f.person_id = p.id), "
        "  (SELECT count(*) FROM f WHERE f.person_id = p.id AND f.status = 'open') AS nopen "
        "FROM person p WHERE EXISTS (SELECT 1 FROM g WHERE g.person_id = p.id) "
        "  OR EXISTS (SELECT 1 FROM f WHERE f.person_id = p.id) ORDER BY p.name", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int(st, 1, a == AUDIENCE_STAFF);
    if ((rc = collect(s, st, &person_rows, &out, n, e)) == 0)
        *v = out;
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

int store_person_appearances(struct store *s, int64_t person_id, enum audience a,
                             struct store_appearance **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = stmt(s, "SELECT c.id, c.title, si.title, g.role, b.code, c.date FROM guest g "
                     "JOIN subitem si ON si.id = g.subitem_id "
                     "JOIN \"case\" c ON c.id = si.case_id "
                     "LEFT JOIN body b ON b.id = c.body_id "
                     "WHERE g.person_id = ?1 AND (?2 OR c.public) "
                     "ORDER BY c.date IS NULL, c.date DESC, c.id DESC, si.pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, person_id);
    sqlite3_bind_int(st, 2, a == AUDIENCE_STAFF);
    if ((rc = collect(s, st, &appearance_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
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

/* The search module's own check of its FTS5 tables. A read-only connection cannot run it
 * (FTS5 runs it as a write), and says so. */
static void check_fts(struct store *s, struct problems *p)
{
    struct err se = {0};
    if (s->flags & STORE_READONLY)
        problem(p, "search index: not checked (the archive was opened read-only)");
    else if (search_check(s->db, &se) != 0)
        problem(p, "search index: %s", se.msg[0] ? se.msg : sqlite3_errmsg(s->db));
}

int store_check(struct store *s, char ***problems, size_t *nproblems, struct err *e)
{
    struct problems p = {0};
    int rc = check_rows(s, "PRAGMA integrity_check", "integrity: ", &p, e);
    if (rc == 0)
        rc = check_rows(s, "SELECT format('table %s row %d: foreign key %d to %s broken', "
                           "\"table\", rowid, fkid, parent) FROM pragma_foreign_key_check",
                        "", &p, e);
    if (rc == 0)
        rc = check_rows(s, "SELECT format('case %d: no source for its version %d', id, version) "
                           "FROM \"case\" c WHERE NOT EXISTS (SELECT 1 FROM source s "
                           "WHERE s.case_id = c.id AND s.version = c.version)", "", &p, e);
    if (rc == 0)
        rc = check_rows(s, "SELECT format('case %d: %d sources for version %d', c.id, "
                           "(SELECT count(*) FROM source s WHERE s.case_id = c.id), c.version) "
                           "FROM \"case\" c WHERE (SELECT count(*) FROM source s "
                           "WHERE s.case_id = c.id) <> c.version", "", &p, e);
    if (rc == 0)
        rc = check_rows(s, "SELECT format('follow-up %d: not attached to a decision', id) "
                           "FROM followup WHERE entry_id IS NULL", "", &p, e);
    if (rc == 0)
        rc = check_rows(s, "SELECT format('source %d: size %d but %d bytes', id, size, "
                           "length(bytes)) FROM source WHERE size <> length(bytes)", "", &p, e);
    /* Hashes: the bytes are what was imported. */
    if (rc == 0) {
        sqlite3_stmt *st = NULL;
        bool row;
        rc = adhoc(s, "SELECT id, hash, bytes FROM source", &st, e);
        while (rc == 0 && (rc = next_row(s, st, &row, e, "checking sources")) == 0 && row) {
            char h[65];
            store_hash(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2), h);
            const char *want = (const char *)sqlite3_column_text(st, 1);
            if (!want || strcmp(h, want) != 0)
                problem(&p, "source %lld: bytes do not match their hash",
                        (long long)sqlite3_column_int64(st, 0));
        }
        sqlite3_finalize(st);
    }
    if (rc == 0)
        check_fts(s, &p);
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
    static const char *const tables[] = {"body", "meeting", "\"case\"", "subitem", "decision",
                                         "entry", "attachment", "person", "followup", "source"};
    size_t *fields[] = {&out->bodies, &out->meetings, &out->cases, &out->subitems,
                        &out->decisions, &out->entries, &out->attachments, &out->people,
                        &out->followups, &out->sources};
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
