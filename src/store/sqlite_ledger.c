/* sqlite_ledger: the audit ledger on SQLite: appending inside a write, listing, verifying the
 * hash chain; and the settings, whose every change is an event. */
#include "store_sqlite.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The archive's own tools act as "cli:USER" (the Unix user running the command). */
void tools_name(char out[80])
{
    const char *u = getenv("USER");
    snprintf(out, 80, "cli:%.70s", u && *u ? u : "?");
}

const char *actor_name(const struct store_actor *a, char buf[80])
{
    if (a && a->name)
        return a->name;
    tools_name(buf);
    return buf;
}

int ledger_append_json(struct store *s, const struct store_actor *a, struct event ev,
                       json_t *detail, struct err *e)
{
    char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(detail);
    ev.detail = d;
    int rc = ledger_append(s, a, &ev, NULL, e);
    free(d);
    return rc;
}

int ledger_append(struct store *s, const struct store_actor *a, const struct event *ev,
                  int64_t *id_out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char prev[65], now[21], hash[65], tools[80];
    int64_t last = 0, seq = 0;
    bool row;
    memcpy(prev, store_ledger_genesis, sizeof prev);
    int rc = stmt(s, "SELECT id, hash, (SELECT seq FROM sqlite_sequence WHERE name = 'ledger') "
                     "FROM ledger ORDER BY id DESC LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    if ((rc = next_row(s, st, &row, e, "appending to the ledger")) == 0 && row) {
        last = sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        snprintf(prev, sizeof prev, "%s", h ? h : "");
        seq = sqlite3_column_int64(st, 2);
    }
    fin(st);
    if (rc < 0)
        return rc;
    /* Ids run 1, 2, 3 ...: the next follows the highest ever used, so a gap means a loss. */
    int64_t id = (seq > last ? seq : last) + 1;
    store_now(now);
    const char *actor = actor_name(a, tools);
    struct store_event_fields f = {
        .id = id,
        .at = now,
        .actor_id = a ? a->account_id : 0,
        .actor = actor,
        .action = ev->action,
        .object = ev->object,
        .before = ev->before,
        .after = ev->after,
        .client = a ? a->client : NULL,
        .detail = ev->detail,
        .prev = prev,
    };
    store_event_hash(&f, hash);
    if ((rc = stmt(s, "INSERT INTO ledger (id, at, actor_id, actor, action, object, before, "
                      "after, client, detail, prev, hash) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, now);
    sqlite3_bind_int64(st, 3, f.actor_id);
    bind_str(st, 4, actor);
    bind_str(st, 5, ev->action);
    bind_str(st, 6, ev->object);
    sqlite3_bind_int(st, 7, ev->before);
    sqlite3_bind_int(st, 8, ev->after);
    bind_str(st, 9, f.client);
    bind_str(st, 10, ev->detail);
    bind_str(st, 11, prev);
    bind_str(st, 12, hash);
    if ((rc = run(s, st, e, "appending to the ledger")) == 0 && id_out)
        *id_out = id;
    return rc;
}

static void read_event(sqlite3_stmt *st, void *elem)
{
    struct store_event *ev = elem;
    ev->id = sqlite3_column_int64(st, 0);
    ev->at = col_str(st, 1);
    ev->actor_id = sqlite3_column_int64(st, 2);
    ev->actor = col_str(st, 3);
    ev->action = col_str(st, 4);
    ev->object = col_str(st, 5);
    ev->before = sqlite3_column_int(st, 6);
    ev->after = sqlite3_column_int(st, 7);
    ev->client = col_str(st, 8);
    ev->detail = col_str(st, 9);
    ev->hash = col_str(st, 10);
}

static void events_free(void *v, size_t n)
{
    store_events_free(v, n);
}

static const struct rowtype event_rows = {sizeof(struct store_event), "reading the ledger",
                                          read_event, events_free};

/* Which events a reader may list: the archive's tools and administrators all of them;
 * others those about cases and meetings they may see in full, and their own. ?1 is the
 * reader, ?2 the object filter, ?3 the reader's account. */
#define EVENT_VISIBLE                                                                        \
    "(reader_all(?1) OR ?4 OR l.actor_id = ?3 "                                              \
    " OR (l.object LIKE 'case:%' AND EXISTS (SELECT 1 FROM \"case\" c "                      \
    "     WHERE c.id = CAST(substr(l.object, 6) AS INTEGER) AND " SEES_CASE("c", "?1") "))"   \
    " OR (l.object LIKE 'meeting:%' AND EXISTS (SELECT 1 FROM meeting m "                    \
    "     WHERE m.id = CAST(substr(l.object, 9) AS INTEGER) AND reader_has(?1, m.body_id)))" \
    /* ---- issue 10, followups: a follow-up's events go with its case ---- */                 \
    " OR (l.object LIKE 'followup:%' AND EXISTS (SELECT 1 FROM followup f JOIN \"case\" c "    \
    "     ON c.id = f.case_id WHERE f.id = CAST(substr(l.object, 10) AS INTEGER) AND "         \
    SEES_CASE("c", "?1") "))"                                                                \
    /* ---- end issue 10, followups ---- */                                                  \
    ")"

int store_events(struct store *s, const char *object, const struct reader *r,
                 const struct store_page *pg, struct store_event **v, size_t *n,
                 size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM ledger l WHERE (?2 IS NULL OR l.object = ?2) AND "
                      EVENT_VISIBLE, &st, e)) == 0) {
        bind_reader(st, 1, r);
        bind_str(st, 2, object);
        sqlite3_bind_int64(st, 3, r ? r->account_id : -1);
        sqlite3_bind_int(st, 4, r && r->admin);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0)
        rc = stmt(s, "SELECT l.id, l.at, l.actor_id, l.actor, l.action, l.object, l.before, "
                     "l.after, l.client, l.detail, l.hash FROM ledger l "
                     "WHERE (?2 IS NULL OR l.object = ?2) AND " EVENT_VISIBLE
                     " ORDER BY l.id DESC LIMIT ?5 OFFSET ?6", &st, e);
    if (rc == 0) {
        bind_reader(st, 1, r);
        bind_str(st, 2, object);
        sqlite3_bind_int64(st, 3, r ? r->account_id : -1);
        sqlite3_bind_int(st, 4, r && r->admin);
        bind_page(st, 5, 6, pg);
        if ((rc = collect(s, st, &event_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_ledger_verify(struct store *s, int64_t *broken, char **why, size_t *count,
                        char head[65], struct err *e)
{
    sqlite3_stmt *st = NULL;
    char prev[65];
    int64_t expect = 1, seq = 0;
    size_t nev = 0;
    bool row;
    *broken = 0;
    *why = NULL;
    memcpy(prev, store_ledger_genesis, sizeof prev);
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = adhoc(s, "SELECT id, at, actor_id, actor, action, object, before, after, client, "
                      "detail, prev, hash FROM ledger ORDER BY id", &st, e);
    while (rc == 0 && !*broken && (rc = next_row(s, st, &row, e, "verifying the ledger")) == 0 &&
           row) {
        struct store_event_fields f = {
            .id = sqlite3_column_int64(st, 0),
            .at = (const char *)sqlite3_column_text(st, 1),
            .actor_id = sqlite3_column_int64(st, 2),
            .actor = (const char *)sqlite3_column_text(st, 3),
            .action = (const char *)sqlite3_column_text(st, 4),
            .object = (const char *)sqlite3_column_text(st, 5),
            .before = sqlite3_column_int(st, 6),
            .after = sqlite3_column_int(st, 7),
            .client = (const char *)sqlite3_column_text(st, 8),
            .detail = (const char *)sqlite3_column_text(st, 9),
            .prev = (const char *)sqlite3_column_text(st, 10),
        };
        const char *stored = (const char *)sqlite3_column_text(st, 11);
        char h[65];
        if (f.id != expect) {
            *broken = f.id > expect ? expect : f.id;
            *why = xstrdup(f.id > expect ? "missing (deleted): the ids jump past it"
                                         : "out of order");
            break;
        }
        if (!f.prev || strcmp(f.prev, prev) != 0) {
            *broken = f.id;
            *why = xstrdup("does not follow the event before it (inserted, or the one before "
                           "was changed or deleted)");
            break;
        }
        store_event_hash(&f, h);
        if (!stored || strcmp(stored, h) != 0) {
            *broken = f.id;
            *why = xstrdup("altered: its fields do not match its hash");
            break;
        }
        memcpy(prev, h, sizeof prev);
        expect++;
        nev++;
    }
    sqlite3_finalize(st);
    /* The highest id ever used: an event deleted at the end leaves it above the last one. */
    if (rc == 0 && !*broken &&
        (rc = adhoc(s, "SELECT seq FROM sqlite_sequence WHERE name = 'ledger'", &st, e)) == 0) {
        if ((rc = next_row(s, st, &row, e, "verifying the ledger")) == 0 && row)
            seq = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (rc == 0 && seq > (int64_t)nev) {
            *broken = (int64_t)nev + 1;
            *why = xstrdup("missing (deleted): events up to the highest id used are gone");
        }
    }
    read_end(s);
    if (rc < 0) {
        free(*why);
        *why = NULL;
        return rc;
    }
    *count = nev;
    memcpy(head, prev, 65);
    return 0;
}

/* ---- settings ---- */

int store_setting_get(struct store *s, const char *key, char **value, struct err *e)
{
    const struct store_setting_def *d = store_setting_def(key);
    sqlite3_stmt *st = NULL;
    bool row;
    if (!d)
        return fail(s, e, ERR_USAGE, "unknown setting '%s'", key);
    int rc = stmt(s, "SELECT value FROM setting WHERE key = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, key);
    char *v = NULL;
    if ((rc = next_row(s, st, &row, e, "reading a setting")) == 0)
        v = row ? col_str(st, 0) : d->def ? xstrdup(d->def) : NULL;
    fin(st);
    if (rc == 0)
        *value = v;
    return rc;
}

/* One setting inside the caller's write: upsert or delete, and its event unless unchanged. */
static int setting_put(struct store *s, const char *key, const char *value,
                       const struct store_actor *a, struct err *e)
{
    const struct store_setting_def *d = store_setting_def(key);
    sqlite3_stmt *st = NULL;
    bool clear = !value || !*value, row;
    char *old = NULL;
    int rc = stmt(s, "SELECT value FROM setting WHERE key = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, key);
    if ((rc = next_row(s, st, &row, e, "changing a setting")) == 0 && row)
        old = col_str(st, 0);
    fin(st);
    if (rc < 0 || (clear && !old) || (!clear && old && strcmp(old, value) == 0)) {
        free(old);
        return rc;
    }
    free(old);
    rc = stmt(s, clear ? "DELETE FROM setting WHERE key = ?1"
                       : "INSERT INTO setting (key, value) VALUES (?1, ?2) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", &st, e);
    if (rc == 0) {
        bind_str(st, 1, key);
        if (!clear)
            bind_str(st, 2, value);
        rc = run(s, st, e, "changing a setting");
    }
    if (rc == 0) {
        /* The value goes into the ledger, unless it is a secret. */
        json_t *o = json_pack("{s:s}", "key", key);
        if (d->kind != STORE_SETTING_SECRET)
            json_object_set_new(o, "value", clear ? json_null() : json_string(value));
        char *detail = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        char object[96];
        snprintf(object, sizeof object, "setting:%s", key);
        struct event ev = {.action = "setting.set", .object = object, .detail = detail};
        rc = ledger_append(s, a, &ev, NULL, e);
        free(detail);
    }
    return rc;
}

int store_settings_set(struct store *s, const char *const *keys, const char *const *values,
                       size_t n, const struct store_actor *a, struct err *e)
{
    if (!(actor_roles(a, 0) & ROLE_ADMIN))
        return fail(s, e, ERR_DENIED, "only an administrator may change settings");
    for (size_t i = 0; i < n; i++) {
        int rc = store_setting_check(keys[i], values[i], e);
        if (rc < 0) {
            e->file = s->path;
            return rc;
        }
    }
    int rc = write_begin(s, e, "changing settings");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = setting_put(s, keys[i], values[i], a, e);
    if (rc == 0)
        return write_commit(s, e, "changing settings");
    rollback(s);
    return rc;
}

int store_setting_set(struct store *s, const char *key, const char *value,
                      const struct store_actor *a, struct err *e)
{
    return store_settings_set(s, &key, &value, 1, a, e);
}
