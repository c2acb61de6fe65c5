/* sqlite_account: accounts, roles on bodies, readers, logins with throttling, sessions and API
 * tokens on SQLite. Secrets are kept as hashes only (store_internal.h). */
#include "store_sqlite.h"
#include "../util/clock.h"
#include "../util/secret.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_admin(const struct store_actor *a)
{
    return (actor_roles(a, 0) & ROLE_ADMIN) != 0;
}

static int need_admin(struct store *s, const struct store_actor *a, struct err *e)
{
    return is_admin(a) ? 0 : fail(s, e, ERR_DENIED, "only an administrator may manage accounts");
}

/* Ends a write: commit on success, roll back otherwise. */
static int finish(struct store *s, int rc, struct err *e, const char *what)
{
    if (rc == 0)
        return write_commit(s, e, what);
    rollback(s);
    return rc;
}

static int account_id_of(struct store *s, const char *login, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool found;
    int rc = stmt(s, "SELECT id FROM account WHERE login = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, login);
    if ((rc = one_int(s, st, id, &found, e, "reading an account")) == 0 && !found)
        rc = notfound(s, e, "no account with login '%s'", login);
    return rc;
}

static char *detail_json(json_t *o)
{
    char *d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return d;
}

static int account_event(struct store *s, const struct store_actor *a, const char *action,
                         int64_t id, json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "account:%lld", (long long)id);
    char *d = detail ? detail_json(detail) : NULL;
    struct event ev = {.action = action, .object = object, .detail = d};
    int rc = ledger_append(s, a, &ev, NULL, e);
    free(d);
    return rc;
}

static bool name_ok(const char *v)
{
    if (!v || !*v || strlen(v) > 200)
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

int store_account_add(struct store *s, const char *login, const char *name, const char *email,
                      bool admin, const char *password, const struct store_actor *a,
                      int64_t *id_out, struct err *e)
{
    char hash[crypto_pwhash_STRBYTES], now[21];
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    int rc = need_admin(s, a, e);
    if (rc == 0 && (rc = store_check_login(login, e)) < 0)
        e->file = s->path;
    if (rc == 0 && !name_ok(name))
        rc = fail(s, e, ERR_USAGE, "name: expected 1 to 200 characters on one line");
    if (rc == 0 && email && *email && !store_email_ok(email))
        rc = fail(s, e, ERR_USAGE, "email: expected an address such as navn@lindholm.dk");
    if (rc == 0 && (rc = store_check_password(password, e)) < 0)
        e->file = s->path;
    /* The slow hash is made before the write lock is taken. */
    if (rc == 0 && (rc = store_password_hash(password, hash, e)) < 0)
        e->file = s->path;
    if (rc < 0)
        return rc;
    store_now(now);
    if ((rc = write_begin(s, e, "adding an account")) < 0)
        return rc;
    bool found;
    int64_t other;
    if ((rc = stmt(s, "SELECT id FROM account WHERE login = ?1", &st, e)) == 0) {
        bind_str(st, 1, login);
        if ((rc = one_int(s, st, &other, &found, e, "adding an account")) == 0 && found)
            rc = fail(s, e, ERR_CONFLICT, "login '%s' is taken", login);
    }
    if (rc == 0 && (rc = stmt(s, "INSERT INTO account (login, name, email, password, admin, "
                                 "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                              &st, e)) == 0) {
        bind_str(st, 1, login);
        bind_str(st, 2, name);
        bind_str(st, 3, email && *email ? email : NULL);
        bind_str(st, 4, hash);
        sqlite3_bind_int(st, 5, admin);
        bind_str(st, 6, now);
        rc = insert(s, st, &id, e, "adding an account");
    }
    sodium_memzero(hash, sizeof hash);
    if (rc == 0)
        rc = account_event(s, a, "user.add", id,
                           json_pack("{s:s,s:b}", "login", login, "admin", admin), e);
    rc = finish(s, rc, e, "adding an account");
    if (rc == 0 && id_out)
        *id_out = id;
    return rc;
}

static void read_account(sqlite3_stmt *st, void *elem)
{
    struct store_account *a = elem;
    a->id = sqlite3_column_int64(st, 0);
    a->login = col_str(st, 1);
    a->name = col_str(st, 2);
    a->email = col_str(st, 3);
    a->admin = sqlite3_column_int(st, 4) != 0;
    a->disabled = sqlite3_column_int(st, 5) != 0;
    a->created_at = col_str(st, 6);
}

static void accounts_free(void *v, size_t n)
{
    store_accounts_free(v, n);
}

static const struct rowtype account_rows = {sizeof(struct store_account), "listing accounts",
                                            read_account, accounts_free};

#define ACCOUNT_COLS "id, login, name, email, admin, disabled, created_at FROM account "

/* Fills a->grants. */
static int load_grants(struct store *s, struct store_account *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool row;
    size_t cap = 0;
    int rc = stmt(s, "SELECT r.body_id, b.code, r.role, b.name FROM account_role r "
                     "JOIN body b ON b.id = r.body_id WHERE r.account_id = ?1 "
                     "ORDER BY b.code, r.role", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, a->id);
    while ((rc = next_row(s, st, &row, e, "reading roles")) == 0 && row) {
        a->grants = grow(a->grants, a->ngrants, &cap, sizeof *a->grants);
        struct store_grant *g = &a->grants[a->ngrants++];
        g->body_id = sqlite3_column_int64(st, 0);
        g->body = col_str(st, 1);
        g->role = role_parse((const char *)sqlite3_column_text(st, 2));
        g->body_name = col_str(st, 3);
    }
    fin(st);
    return rc;
}

int store_accounts(struct store *s, const struct store_page *pg, struct store_account **v,
                   size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out = NULL;
    size_t cnt = 0;
    int rc = read_begin(s, e);
    if (rc == 0 && total && (rc = stmt(s, "SELECT count(*) FROM account", &st, e)) == 0)
        rc = count_rows(s, st, total, e);
    if (rc == 0 && (rc = stmt(s, "SELECT " ACCOUNT_COLS "ORDER BY login LIMIT ?1 OFFSET ?2",
                              &st, e)) == 0) {
        bind_page(st, 1, 2, pg);
        rc = collect(s, st, &account_rows, &out, &cnt, e);
    }
    for (size_t i = 0; rc == 0 && i < cnt; i++)
        rc = load_grants(s, &((struct store_account *)out)[i], e);
    read_end(s);
    if (rc < 0) {
        store_accounts_free(out, cnt);
        return rc;
    }
    *v = out;
    *n = cnt;
    return 0;
}

static int account_get(struct store *s, const char *login, int64_t id, struct store_account *out,
                       struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_account a = {0};
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = login ? stmt(s, "SELECT " ACCOUNT_COLS "WHERE login = ?1", &st, e)
                   : stmt(s, "SELECT " ACCOUNT_COLS "WHERE id = ?2", &st, e);
    if (rc == 0) {
        bind_str(st, 1, login);
        sqlite3_bind_int64(st, 2, id);
        if (login)
            rc = first_row(s, st, e, "reading an account", "no account with login '%s'", login);
        else
            rc = first_row(s, st, e, "reading an account", "no account with id %lld",
                           (long long)id);
        if (rc == 0)
            read_account(st, &a);
        fin(st);
    }
    if (rc == 0)
        rc = load_grants(s, &a, e);
    read_end(s);
    if (rc < 0) {
        store_account_fini(&a);
        return rc;
    }
    *out = a;
    return 0;
}

int store_account_get(struct store *s, const char *login, struct store_account *out,
                      struct err *e)
{
    return account_get(s, login ? login : "", 0, out, e);
}

int store_account_get_id(struct store *s, int64_t id, struct store_account *out, struct err *e)
{
    return account_get(s, NULL, id, out, e);
}

/* Ends every session of an account (inside the caller's write). */
static int end_sessions(struct store *s, int64_t id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "DELETE FROM session WHERE account_id = ?1", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, id);
        rc = run(s, st, e, "ending sessions");
    }
    return rc;
}

int store_account_passwd(struct store *s, const char *login, const char *password,
                         const struct store_actor *a, struct err *e)
{
    char hash[crypto_pwhash_STRBYTES], now[21];
    sqlite3_stmt *st = NULL;
    int64_t id;
    bool self = a && a->account_id && a->name && login && strcmp(a->name, login) == 0;
    int rc = self ? 0 : need_admin(s, a, e);
    if (rc == 0 && (rc = store_check_password(password, e)) < 0)
        e->file = s->path;
    if (rc == 0 && (rc = store_password_hash(password, hash, e)) < 0)
        e->file = s->path;
    if (rc < 0)
        return rc;
    store_now(now);
    if ((rc = write_begin(s, e, "changing a password")) < 0)
        return rc;
    rc = account_id_of(s, login, &id, e);
    if (rc == 0 && (rc = stmt(s, "UPDATE account SET password = ?2, updated_at = ?3 "
                                 "WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, hash);
        bind_str(st, 3, now);
        rc = run(s, st, e, "changing a password");
    }
    sodium_memzero(hash, sizeof hash);
    if (rc == 0)
        rc = end_sessions(s, id, e);
    if (rc == 0)
        rc = account_event(s, a, "user.passwd", id, NULL, e);
    return finish(s, rc, e, "changing a password");
}

static int set_disabled(struct store *s, const char *login, bool disabled,
                        const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char now[21];
    int64_t id;
    int rc = need_admin(s, a, e);
    if (rc < 0)
        return rc;
    store_now(now);
    if ((rc = write_begin(s, e, "changing an account")) < 0)
        return rc;
    rc = account_id_of(s, login, &id, e);
    if (rc == 0 && (rc = stmt(s, "UPDATE account SET disabled = ?2, updated_at = ?3 "
                                 "WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, disabled);
        bind_str(st, 3, now);
        rc = run(s, st, e, "changing an account");
    }
    if (rc == 0 && disabled)
        rc = end_sessions(s, id, e);
    if (rc == 0)
        rc = account_event(s, a, disabled ? "user.disable" : "user.enable", id, NULL, e);
    return finish(s, rc, e, "changing an account");
}

int store_account_disable(struct store *s, const char *login, const struct store_actor *a,
                          struct err *e)
{
    return set_disabled(s, login, true, a, e);
}

int store_account_enable(struct store *s, const char *login, const struct store_actor *a,
                         struct err *e)
{
    return set_disabled(s, login, false, a, e);
}

static int change_grant(struct store *s, const char *login, const char *body, int role,
                        bool grant, const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t id, body_id = 0;
    const char *rname = role_name(role);
    int rc = need_admin(s, a, e);
    if (rc == 0 && (!rname || role == ROLE_ADMIN))
        rc = fail(s, e, ERR_USAGE, "role: expected sekretaer, sagsbehandler, godkender or medlem");
    if (rc < 0)
        return rc;
    if ((rc = write_begin(s, e, grant ? "granting a role" : "revoking a role")) < 0)
        return rc;
    rc = account_id_of(s, login, &id, e);
    if (rc == 0 && (rc = body_id_of(s, body, &body_id, e)) == 0 && !body_id)
        rc = notfound(s, e, "no body with code '%s' (see `referat body list`)", body);
    if (rc == 0)
        rc = stmt(s, grant ? "INSERT OR IGNORE INTO account_role (account_id, body_id, role) "
                             "VALUES (?1, ?2, ?3)"
                           : "DELETE FROM account_role WHERE account_id = ?1 AND body_id = ?2 "
                             "AND role = ?3", &st, e);
    bool changed = false;
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, body_id);
        bind_str(st, 3, rname);
        rc = run(s, st, e, grant ? "granting a role" : "revoking a role");
        changed = rc == 0 && sqlite3_changes(s->db) > 0;
    }
    if (rc == 0 && changed)
        rc = account_event(s, a, grant ? "user.grant" : "user.revoke", id,
                           json_pack("{s:s,s:s}", "body", body, "role", rname), e);
    return finish(s, rc, e, grant ? "granting a role" : "revoking a role");
}

int store_grant(struct store *s, const char *login, const char *body, int role,
                const struct store_actor *a, struct err *e)
{
    return change_grant(s, login, body, role, true, a, e);
}

int store_revoke(struct store *s, const char *login, const char *body, int role,
                 const struct store_actor *a, struct err *e)
{
    return change_grant(s, login, body, role, false, a, e);
}

int store_reader_load(struct store *s, int64_t account_id, struct store_reader *out,
                      struct err *e)
{
    struct store_account a = {0};
    int rc = store_account_get_id(s, account_id, &a, e);
    if (rc < 0)
        return rc;
    if (a.disabled) {
        store_account_fini(&a);
        return fail(s, e, ERR_AUTH, "the account is disabled");
    }
    struct store_reader r = {0};
    size_t nb = 0;
    r.bodies = xcalloc(a.ngrants + 1, sizeof *r.bodies);
    for (size_t i = 0; i < a.ngrants; i++) {
        size_t k = 0;
        while (k < nb && r.bodies[k].body_id != a.grants[i].body_id)
            k++;
        if (k == nb)
            r.bodies[nb++].body_id = a.grants[i].body_id;
        r.bodies[k].roles |= a.grants[i].role;
    }
    r.reader.account_id = a.id;
    r.reader.admin = a.admin;
    r.reader.bodies = r.bodies;
    r.reader.nbodies = nb;
    r.login = a.login;
    r.name = a.name;
    a.login = a.name = NULL;
    store_account_fini(&a);
    *out = r;
    return 0;
}

/* ---- logins and throttling ---- */

struct throttle {
    int64_t failures, first_at, until;
};

static int throttle_get(struct store *s, const char *key, struct throttle *t, struct err *e)
{
    sqlite3_stmt *st = NULL;
    bool row;
    memset(t, 0, sizeof *t);
    int rc = stmt(s, "SELECT failures, first_at, until FROM throttle WHERE key = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, key);
    if ((rc = next_row(s, st, &row, e, "reading login attempts")) == 0 && row) {
        t->failures = sqlite3_column_int64(st, 0);
        t->first_at = sqlite3_column_int64(st, 1);
        t->until = sqlite3_column_int64(st, 2);
    }
    fin(st);
    return rc;
}

/* The throttle's rules, from the settings. */
struct throttle_rules {
    long per_name, per_address, window, lock;
};

static long setting_long(struct store *s, const char *key)
{
    char *v = NULL;
    long n = 0;
    if (store_setting_get(s, key, &v, NULL) == 0 && v)
        n = strtol(v, NULL, 10);
    free(v);
    return n > 0 ? n : 1;
}

static void throttle_rules(struct store *s, struct throttle_rules *r)
{
    r->per_name = setting_long(s, "login.failures_per_name");
    r->per_address = setting_long(s, "login.failures_per_address");
    r->window = setting_long(s, "login.window_seconds");
    r->lock = setting_long(s, "login.lock_seconds");
}

/* Counts a failure for key at now; locks it when the window holds max failures. */
static int throttle_fail(struct store *s, const char *key, long max,
                         const struct throttle_rules *rules, time_t now, struct err *e)
{
    struct throttle t;
    sqlite3_stmt *st = NULL;
    int rc = throttle_get(s, key, &t, e);
    if (rc < 0)
        return rc;
    if (t.failures == 0 || now - t.first_at > rules->window || (t.until && now >= t.until))
        t = (struct throttle){0, now, 0};
    t.failures++;
    if (t.failures >= max)
        t.until = now + rules->lock;
    if ((rc = stmt(s, "INSERT INTO throttle (key, failures, first_at, until) "
                      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET "
                      "failures = excluded.failures, first_at = excluded.first_at, "
                      "until = excluded.until", &st, e)) < 0)
        return rc;
    bind_str(st, 1, key);
    sqlite3_bind_int64(st, 2, t.failures);
    sqlite3_bind_int64(st, 3, t.first_at);
    sqlite3_bind_int64(st, 4, t.until);
    return run(s, st, e, "counting login attempts");
}

static int throttle_clear(struct store *s, const char *key, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "DELETE FROM throttle WHERE key = ?1", &st, e);
    if (rc == 0) {
        bind_str(st, 1, key);
        rc = run(s, st, e, "counting login attempts");
    }
    return rc;
}

static int session_insert(struct store *s, int64_t account_id, const char *client, time_t now,
                          char id[STORE_SESSION_ID_LEN + 1], struct err *e)
{
    char h[65];
    sqlite3_stmt *st = NULL;
    secret_random(NULL, id, STORE_SESSION_ID_LEN + 1);
    store_hash(id, strlen(id), h);
    int rc = stmt(s, "INSERT INTO session (hash, account_id, created_at, seen_at, client) "
                     "VALUES (?1, ?2, ?3, ?3, ?4)", &st, e);
    if (rc == 0) {
        bind_str(st, 1, h);
        sqlite3_bind_int64(st, 2, account_id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
        bind_str(st, 4, client);
        rc = run(s, st, e, "starting a session");
    }
    return rc;
}

int store_login(struct store *s, const char *login, const char *password, const char *client,
                int64_t *account_id, char session[STORE_SESSION_ID_LEN + 1], int *retry_after,
                struct err *e)
{
    char name_key[80], addr_key[128], lower[STORE_LOGIN_MAX + 1] = "";
    sqlite3_stmt *st = NULL;
    struct throttle tn, ta;
    char *hash = NULL;
    int64_t id = 0;
    bool disabled = false, row;
    time_t now = clock_now();
    size_t n = login ? strlen(login) : 0;
    /* Logins are lower case; one typed with capitals is the same login. Anything that is not
     * a possible login is looked up as nothing (never an error that would differ). */
    bool plausible = n > 0 && n <= STORE_LOGIN_MAX;
    for (size_t i = 0; plausible && i < n; i++)
        lower[i] = (char)tolower((unsigned char)login[i]);
    if (plausible)
        lower[n] = '\0';
    store_throttle_key_name(login, name_key);
    snprintf(addr_key, sizeof addr_key, "addr:%.100s", client ? client : "-");
    if (retry_after)
        *retry_after = 0;

    struct throttle_rules rules;
    int rc = read_begin(s, e);
    if (rc == 0)
        throttle_rules(s, &rules);
    if (rc == 0)
        rc = throttle_get(s, name_key, &tn, e);
    if (rc == 0)
        rc = throttle_get(s, addr_key, &ta, e);
    if (rc == 0 && plausible && store_check_login(lower, NULL) == 0 &&
        (rc = stmt(s, "SELECT id, password, disabled FROM account WHERE login = ?1", &st, e)) ==
            0) {
        bind_str(st, 1, lower);
        if ((rc = next_row(s, st, &row, e, "logging in")) == 0 && row) {
            id = sqlite3_column_int64(st, 0);
            hash = col_str(st, 1);
            disabled = sqlite3_column_int(st, 2) != 0;
        }
        fin(st);
    }
    read_end(s);
    if (rc < 0)
        goto done;
    int64_t until = tn.until > ta.until ? tn.until : ta.until;
    if (until > now) {
        if (retry_after)
            *retry_after = (int)(until - now);
        rc = fail(s, e, ERR_BUSY, "too many failed logins; try again in %lld minutes",
                  (long long)((until - now + 59) / 60));
        goto done;
    }
    /* The slow part, outside the write lock; an unknown login costs the same. */
    bool ok = store_password_verify(hash, password) && id && !disabled;
    if ((rc = write_begin(s, e, "logging in")) < 0)
        goto done;
    char object[40];
    snprintf(object, sizeof object, "account:%lld", (long long)id);
    struct store_actor who = {.account_id = ok ? id : 0, .name = ok ? lower : "-",
                              .client = client};
    if (ok) {
        rc = throttle_clear(s, name_key, e);
        if (rc == 0 && session)
            rc = session_insert(s, id, client, now, session, e);
        struct event ev = {.action = "login", .object = object};
        if (rc == 0)
            rc = ledger_append(s, &who, &ev, NULL, e);
    } else {
        rc = throttle_fail(s, name_key, rules.per_name, &rules, now, e);
        if (rc == 0)
            rc = throttle_fail(s, addr_key, rules.per_address, &rules, now, e);
        /* Who tried is recorded only when the login exists: a mistyped login may be a
         * password typed into the wrong field. */
        const char *why = !id ? "unknown login" : disabled ? "disabled" : "wrong password";
        char *d = detail_json(json_pack("{s:s}", "reason", why));
        struct event ev = {.action = "login.failed", .object = id ? object : NULL, .detail = d};
        if (rc == 0)
            rc = ledger_append(s, &who, &ev, NULL, e);
        free(d);
    }
    rc = finish(s, rc, e, "logging in");
    if (rc == 0 && !ok)
        rc = fail(s, e, ERR_AUTH, "wrong login or password");
    if (rc == 0 && account_id)
        *account_id = id;
done:
    if (hash) {
        sodium_memzero(hash, strlen(hash));
        free(hash);
    }
    if (rc < 0 && session)
        sodium_memzero(session, STORE_SESSION_ID_LEN + 1);
    return rc;
}

/* ---- sessions ---- */

static bool id_ok(const char *id, size_t len)
{
    if (!id || strlen(id) != len)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

int store_session_get(struct store *s, const char *id, long idle_seconds, long max_seconds,
                      int64_t *account_id, struct err *e)
{
    char h[65];
    sqlite3_stmt *st = NULL;
    bool row;
    if (!id_ok(id, STORE_SESSION_ID_LEN))
        return fail(s, e, ERR_AUTH, "no such session");
    store_hash(id, strlen(id), h);
    time_t now = clock_now();
    int64_t acc = 0, created = 0, seen = 0;
    bool disabled = false;
    int rc = stmt(s, "SELECT s.account_id, s.created_at, s.seen_at, a.disabled FROM session s "
                     "JOIN account a ON a.id = s.account_id WHERE s.hash = ?1", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, h);
    if ((rc = next_row(s, st, &row, e, "reading a session")) == 0 && row) {
        acc = sqlite3_column_int64(st, 0);
        created = sqlite3_column_int64(st, 1);
        seen = sqlite3_column_int64(st, 2);
        disabled = sqlite3_column_int(st, 3) != 0;
    }
    fin(st);
    if (rc < 0)
        return rc;
    if (!row)
        return fail(s, e, ERR_AUTH, "no such session");
    bool expired = disabled || now - seen > idle_seconds || now - created > max_seconds ||
                   now < created - 300;
    if (expired || now - seen >= 60) {
        /* Housekeeping, not an act of the person: no ledger event. A read-only archive
         * (a public mirror) cannot record it and does not need to. */
        if (!(s->flags & STORE_READONLY) && write_begin(s, NULL, "reading a session") == 0) {
            if (stmt(s, expired ? "DELETE FROM session WHERE hash = ?1"
                                : "UPDATE session SET seen_at = ?2 WHERE hash = ?1",
                     &st, NULL) == 0) {
                bind_str(st, 1, h);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
                rc = run(s, st, NULL, "reading a session");
            }
            finish(s, rc, NULL, "reading a session");
            rc = 0;
        }
    }
    if (expired)
        return fail(s, e, ERR_AUTH, "the session has expired");
    *account_id = acc;
    return 0;
}

int store_session_end(struct store *s, const char *id, const char *client, struct err *e)
{
    char h[65];
    sqlite3_stmt *st = NULL;
    int64_t acc = 0;
    bool found = false;
    if (!id_ok(id, STORE_SESSION_ID_LEN))
        return 0;
    store_hash(id, strlen(id), h);
    int rc = write_begin(s, e, "logging out");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT account_id FROM session WHERE hash = ?1", &st, e)) == 0) {
        bind_str(st, 1, h);
        rc = one_int(s, st, &acc, &found, e, "logging out");
    }
    if (rc == 0 && found && (rc = stmt(s, "DELETE FROM session WHERE hash = ?1", &st, e)) == 0) {
        bind_str(st, 1, h);
        rc = run(s, st, e, "logging out");
    }
    if (rc == 0 && found) {
        char login[STORE_LOGIN_MAX + 1] = "";
        if ((rc = stmt(s, "SELECT login FROM account WHERE id = ?1", &st, e)) == 0) {
            bool row;
            sqlite3_bind_int64(st, 1, acc);
            if ((rc = next_row(s, st, &row, e, "logging out")) == 0 && row)
                snprintf(login, sizeof login, "%s", (const char *)sqlite3_column_text(st, 0));
            fin(st);
        }
        struct store_actor who = {.account_id = acc, .name = login, .client = client};
        char object[40];
        snprintf(object, sizeof object, "account:%lld", (long long)acc);
        struct event ev = {.action = "logout", .object = object};
        if (rc == 0)
            rc = ledger_append(s, &who, &ev, NULL, e);
    }
    return finish(s, rc, e, "logging out");
}

/* ---- tokens ---- */

#define TOKEN_PREFIX "rft_"

int store_token_add(struct store *s, const char *login, const char *label,
                    const struct store_actor *a, char token[STORE_TOKEN_LEN + 1],
                    int64_t *id_out, struct err *e)
{
    char h[65], now[21], t[STORE_TOKEN_LEN + 1];
    sqlite3_stmt *st = NULL;
    int64_t acc, id = 0;
    int rc = need_admin(s, a, e);
    if (rc == 0 && label && (strlen(label) > 200 || !name_ok(label)))
        rc = fail(s, e, ERR_USAGE, "label: expected at most 200 characters on one line");
    if (rc < 0)
        return rc;
    secret_random(TOKEN_PREFIX, t, sizeof t);
    store_hash(t, strlen(t), h);
    store_now(now);
    if ((rc = write_begin(s, e, "making a token")) < 0)
        return rc;
    rc = account_id_of(s, login, &acc, e);
    if (rc == 0 && (rc = stmt(s, "INSERT INTO token (account_id, hash, label, created_at) "
                                 "VALUES (?1, ?2, ?3, ?4)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, acc);
        bind_str(st, 2, h);
        bind_str(st, 3, label && *label ? label : NULL);
        bind_str(st, 4, now);
        rc = insert(s, st, &id, e, "making a token");
    }
    if (rc == 0)
        rc = account_event(s, a, "token.add", acc, json_pack("{s:I}", "token", (json_int_t)id),
                           e);
    rc = finish(s, rc, e, "making a token");
    if (rc == 0) {
        memcpy(token, t, sizeof t);
        if (id_out)
            *id_out = id;
    }
    sodium_memzero(t, sizeof t);
    return rc;
}

static void read_token(sqlite3_stmt *st, void *elem)
{
    struct store_token *t = elem;
    t->id = sqlite3_column_int64(st, 0);
    t->login = col_str(st, 1);
    t->label = col_str(st, 2);
    t->created_at = col_str(st, 3);
    t->used_at = col_str(st, 4);
    t->revoked_at = col_str(st, 5);
}

static void tokens_free(void *v, size_t n)
{
    store_tokens_free(v, n);
}

static const struct rowtype token_rows = {sizeof(struct store_token), "listing tokens",
                                          read_token, tokens_free};

int store_tokens(struct store *s, const char *login, const struct store_page *pg,
                 struct store_token **v, size_t *n, size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && total &&
        (rc = stmt(s, "SELECT count(*) FROM token t JOIN account a ON a.id = t.account_id "
                      "WHERE ?1 IS NULL OR a.login = ?1", &st, e)) == 0) {
        bind_str(st, 1, login);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0 &&
        (rc = stmt(s, "SELECT t.id, a.login, t.label, t.created_at, t.used_at, t.revoked_at "
                      "FROM token t JOIN account a ON a.id = t.account_id "
                      "WHERE ?1 IS NULL OR a.login = ?1 ORDER BY t.id DESC LIMIT ?2 OFFSET ?3",
                   &st, e)) == 0) {
        bind_str(st, 1, login);
        bind_page(st, 2, 3, pg);
        if ((rc = collect(s, st, &token_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_token_revoke(struct store *s, int64_t id, const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char now[21];
    int64_t acc = 0;
    bool found;
    int rc = need_admin(s, a, e);
    if (rc < 0)
        return rc;
    store_now(now);
    if ((rc = write_begin(s, e, "revoking a token")) < 0)
        return rc;
    if ((rc = stmt(s, "SELECT account_id FROM token WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        if ((rc = one_int(s, st, &acc, &found, e, "revoking a token")) == 0 && !found)
            rc = notfound(s, e, "no token with id %lld", (long long)id);
    }
    if (rc == 0 && (rc = stmt(s, "UPDATE token SET revoked_at = ?2 WHERE id = ?1 "
                                 "AND revoked_at IS NULL", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        bind_str(st, 2, now);
        rc = run(s, st, e, "revoking a token");
    }
    if (rc == 0 && sqlite3_changes(s->db) > 0)
        rc = account_event(s, a, "token.revoke", acc, json_pack("{s:I}", "token", (json_int_t)id),
                           e);
    return finish(s, rc, e, "revoking a token");
}

int store_token_check(struct store *s, const char *token, int64_t *account_id, struct err *e)
{
    char h[65], now[21];
    sqlite3_stmt *st = NULL;
    bool row;
    if (!token || strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 ||
        !id_ok(token + strlen(TOKEN_PREFIX), STORE_TOKEN_LEN - strlen(TOKEN_PREFIX)))
        return fail(s, e, ERR_AUTH, "the token is malformed");
    store_hash(token, strlen(token), h);
    int64_t id = 0, acc = 0;
    char *used = NULL;
    int rc = stmt(s, "SELECT t.id, t.account_id, t.used_at FROM token t "
                     "JOIN account a ON a.id = t.account_id "
                     "WHERE t.hash = ?1 AND t.revoked_at IS NULL AND a.disabled = 0", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, h);
    if ((rc = next_row(s, st, &row, e, "checking a token")) == 0 && row) {
        id = sqlite3_column_int64(st, 0);
        acc = sqlite3_column_int64(st, 1);
        used = col_str(st, 2);
    }
    fin(st);
    if (rc < 0)
        return rc;
    if (!row)
        return fail(s, e, ERR_AUTH, "unknown or revoked token");
    store_now(now);
    /* When it was last used, to the minute: housekeeping, not a ledger event. */
    if (!(s->flags & STORE_READONLY) && (!used || strncmp(used, now, 16) != 0) &&
        write_begin(s, NULL, "checking a token") == 0) {
        if (stmt(s, "UPDATE token SET used_at = ?2 WHERE id = ?1", &st, NULL) == 0) {
            sqlite3_bind_int64(st, 1, id);
            bind_str(st, 2, now);
            rc = run(s, st, NULL, "checking a token");
        }
        finish(s, rc, NULL, "checking a token");
        rc = 0;
    }
    free(used);
    *account_id = acc;
    return 0;
}
