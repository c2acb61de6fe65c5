/* store_sqlite: the archive on SQLite (WAL, foreign keys, migrations, FTS5 via src/search). */
#include "store.h"
#include "store_internal.h"
#include "store_schema.h"
#include "../format/format.h"
#include "../search/search.h"
#include "../util/buf.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 'REFA': marks a file as a referat archive, so another SQLite file is refused. */
#define APPLICATION_ID 0x52454641
#define SCHEMA_VERSION 2

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

struct store {
    sqlite3 *db;
    char *path;
    int flags;
    int busy_ms;
    sqlite3_stmt *stmt[Q_COUNT];
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

static int prep(struct store *s, int id, sqlite3_stmt **out, struct err *e)
{
    if (!s->stmt[id]) {
        int rc = sqlite3_prepare_v3(s->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->stmt[id], NULL);
        if (rc != SQLITE_OK)
            return dberr(s, e, rc, "preparing a query");
    }
    *out = s->stmt[id];
    return 0;
}

static void fin(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
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

/* Prepares an ad hoc statement (for queries run once per call). */
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

/* Migration 2: the full-text tables, and an index of every case already archived. */
static int migrate_search(struct store *s, struct err *e)
{
    int rc = exec(s, search_schema_sql(), e, "creating the search index");
    sqlite3_stmt *st = NULL;
    if (rc < 0)
        return rc;
    rc = adhoc(s, "SELECT id FROM \"case\" ORDER BY id", &st, e);
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

/* One step per schema version; each runs in its own transaction. */
static int migrate_step(struct store *s, int version, struct err *e)
{
    switch (version) {
    case 1: return exec(s, schema_sql[0], e, "creating the archive's tables");
    case 2: return migrate_search(s, e);
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
    if (appid != APPLICATION_ID && (appid != 0 || version != 0)) {
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
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
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
    rc = run(s, st, e, "storing a person");
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
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
    rc = run(s, st, e, "storing a body");
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
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
    rc = run(s, st, e, "storing a body");
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int body_code_of(struct store *s, int64_t id, char **code, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = adhoc(s, "SELECT code FROM body WHERE id = ?1", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, id);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            *code = col_str(st, 0);
        else if (step != SQLITE_DONE)
            rc = dberr(s, e, step, "reading a body");
    }
    sqlite3_finalize(st);
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
    rc = run(s, st, e, "storing a meeting");
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
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

static int load_old_followups(struct store *s, int64_t case_id, struct old_followup **v,
                              size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    int rc = prep(s, Q_FU_OLD, &st, e), step;
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        *v = xrealloc(*v, (*n + 1) * sizeof **v);
        struct old_followup *f = &(*v)[(*n)++];
        f->id = sqlite3_column_int64(st, 0);
        f->owner = col_str(st, 1);
        f->role = col_str(st, 2);
        f->text = col_str(st, 3);
        f->due = col_str(st, 4);
        f->used = false;
    }
    fin(st);
    return step == SQLITE_DONE ? 0 : dberr(s, e, step, "reading follow-ups");
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
        if ((rc = prep(s, Q_HUNK_INSERT, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)h->at);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)h->del);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)h->nins);
        sqlite3_bind_text(st, 6, buf_cstr(&ins), (int)ins.len, SQLITE_STATIC);
        rc = run(s, st, e, "storing the layout");
    }
    buf_free(&ins);
    for (size_t k = 0; k < c->nroute && rc == 0; k++) {
        if ((rc = prep(s, Q_ROUTE_INSERT, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)k);
        bind_str(st, 3, c->route[k] ? c->route[k] : "");
        sqlite3_bind_int64(st, 4, route_body[k]);
        rc = run(s, st, e, "storing the route");
    }
    for (size_t i = 0; i < c->nsubitems && rc == 0; i++) {
        const struct subitem *si = &c->subitems[i];
        if ((rc = prep(s, Q_SUBITEM_INSERT, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, si->time);
        bind_str(st, 4, si->title);
        bind_str(st, 5, si->text);
        if ((rc = run(s, st, e, "storing a sub-item")) < 0)
            break;
        int64_t sid = sqlite3_last_insert_rowid(s->db);
        for (size_t k = 0; k < si->nguests && rc == 0; k++) {
            int64_t pid;
            if ((rc = person_id(s, si->guests[k].name, &pid, e)) < 0)
                break;
            if ((rc = prep(s, Q_GUEST_INSERT, &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 1, sid);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)k);
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
        if ((rc = prep(s, Q_DECISION_INSERT, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, d->body);
        bind_str(st, 4, d->date);
        if (mid)
            sqlite3_bind_int64(st, 5, mid);
        else
            sqlite3_bind_null(st, 5);
        bind_str(st, 6, d->text);
        if ((rc = run(s, st, e, "storing a decision")) < 0)
            break;
        int64_t did = sqlite3_last_insert_rowid(s->db);
        for (size_t k = 0; k < d->nentries && rc == 0; k++) {
            const struct entry *en = &d->entries[k];
            if ((rc = prep(s, Q_ENTRY_INSERT, &st, e)) < 0)
                break;
            sqlite3_bind_int64(st, 1, did);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)k);
            bind_str(st, 3, en->title);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)en->subitem);
            bind_str(st, 5, en->text);
            if ((rc = run(s, st, e, "storing a decision entry")) < 0)
                break;
            int64_t eid = sqlite3_last_insert_rowid(s->db);
            for (size_t j = 0; j < en->ndates && rc == 0; j++) {
                if ((rc = prep(s, Q_DATEREF_INSERT, &st, e)) < 0)
                    break;
                sqlite3_bind_int64(st, 1, eid);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)j);
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
        if ((rc = prep(s, Q_ATTACH_INSERT, &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
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
    char *body = NULL;
    int rc = 0;
    sqlite3_stmt *st = NULL;
    /* The body and date the case row holds for lists: its first deciding body. */
    rc = adhoc(s, "SELECT b.code, c.date FROM \"case\" c LEFT JOIN body b ON b.id = c.body_id "
                  "WHERE c.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    char *date = NULL;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        body = col_str(st, 0);
        date = col_str(st, 1);
    } else if (step != SQLITE_DONE) {
        rc = dberr(s, e, step, "indexing a case");
    }
    sqlite3_finalize(st);
    if (rc == 0) {
        struct search_meta m = {.case_id = case_id, .body = body, .date = date};
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
    for (size_t i = 0; i < nold; i++) {
        free(old[i].owner);
        free(old[i].role);
        free(old[i].text);
        free(old[i].due);
    }
    free(old);
    free(dec_body);
    free(route_body);
    free(key);
    return rc;
}
