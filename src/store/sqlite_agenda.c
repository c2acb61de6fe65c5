/* sqlite_agenda: the agenda on SQLite (issue 8): a body's settings, the agenda's order and
 * marks (tillægsdagsorden, late), a new meeting's recurring items and the release guard. */
#include "store_sqlite.h"
#include "../model/guard.h"
#include "../model/workflow.h"
#include "../util/clock.h"
#include "../util/date.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a body's settings ---- */

/* The body's id and name for a code (ERR_NOTFOUND when none has it). */
static int body_of(struct store *s, const char *code, int64_t *id, char **name, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "SELECT id, name FROM body WHERE code = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, code ? code : "");
    rc = first_row(s, st, e, "reading a body", "no body with code '%s'", code ? code : "");
    if (rc == 0) {
        *id = sqlite3_column_int64(st, 0);
        if (name)
            *name = col_str(st, 1);
    }
    fin(st);
    return rc;
}

int store_body_setting_get(struct store *s, const char *body_code, const char *key,
                           char **value, struct err *e)
{
    const struct store_setting_def *d = store_body_setting_def(key);
    sqlite3_stmt *st;
    int64_t body_id = 0;
    char *name = NULL, *v = NULL;
    bool row = false;
    if (!d)
        return fail(s, e, ERR_USAGE, "unknown body setting '%s'", key ? key : "");
    int rc = body_of(s, body_code, &body_id, &name, e);
    if (rc == 0 && (rc = stmt(s, "SELECT value FROM body_setting WHERE body_id = ?1 AND "
                                 "key = ?2", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, body_id);
        bind_str(st, 2, key);
        if ((rc = next_row(s, st, &row, e, "reading a body's setting")) == 0 && row)
            v = col_str(st, 0);
        fin(st);
    }
    if (rc == 0 && !row) {
        const char *def = store_body_setting_default(d, body_code, name);
        v = def ? xstrdup(def) : NULL;
    }
    free(name);
    if (rc == 0)
        *value = v;
    return rc;
}

/* One setting inside the caller's write: upsert or delete, and its event unless unchanged. */
static int body_setting_put(struct store *s, int64_t body_id, const char *code,
                            const char *key, const char *value, const struct store_actor *a,
                            struct err *e)
{
    sqlite3_stmt *st;
    bool clear = !value || !*value, row;
    char *old = NULL;
    int rc = stmt(s, "SELECT value FROM body_setting WHERE body_id = ?1 AND key = ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    bind_str(st, 2, key);
    if ((rc = next_row(s, st, &row, e, "changing a body's setting")) == 0 && row)
        old = col_str(st, 0);
    fin(st);
    bool same = (clear && !old) || (!clear && old && strcmp(old, value) == 0);
    free(old);
    if (rc < 0 || same)
        return rc;
    rc = stmt(s, clear ? "DELETE FROM body_setting WHERE body_id = ?1 AND key = ?2"
                       : "INSERT INTO body_setting (body_id, key, value) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT (body_id, key) DO UPDATE SET value = excluded.value",
              &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    bind_str(st, 2, key);
    if (!clear)
        bind_str(st, 3, value);
    if ((rc = run(s, st, e, "changing a body's setting")) < 0)
        return rc;
    json_t *o = json_pack("{s:s,s:s,s:o}", "body", code, "key", key, "value",
                          clear ? json_null() : json_string(value));
    char *detail = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    char object[40];
    snprintf(object, sizeof object, "body:%lld", (long long)body_id);
    struct event ev = {.action = "body.setting", .object = object, .detail = detail};
    rc = ledger_append(s, a, &ev, NULL, e);
    free(detail);
    return rc;
}

int store_body_settings_set(struct store *s, const char *body_code, const char *const *keys,
                            const char *const *values, size_t n, const struct store_actor *a,
                            struct err *e)
{
    int64_t body_id = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = store_body_setting_check(keys[i], values[i], e);
        if (rc < 0) {
            e->file = s->path;
            return rc;
        }
    }
    int rc = write_begin(s, e, "changing a body's settings");
    if (rc < 0)
        return rc;
    if ((rc = body_of(s, body_code, &body_id, NULL, e)) == 0 &&
        !(actor_roles(a, body_id) & (ROLE_SEKRETAER | ROLE_ADMIN)))
        rc = fail(s, e, ERR_DENIED, "a body's settings need the role sekretaer on the body, or "
                                    "an administrator");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = body_setting_put(s, body_id, body_code, keys[i], values[i], a, e);
    if (rc == 0)
        return write_commit(s, e, "changing a body's settings");
    rollback(s);
    return rc;
}

int store_body_setting_set(struct store *s, const char *body_code, const char *key,
                           const char *value, const struct store_actor *a, struct err *e)
{
    return store_body_settings_set(s, body_code, &key, &value, 1, a, e);
}
