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

/* ---- the agenda ---- */

/* States in which the agenda is released (the order locked, new cases on the supplement). */
#define RELEASED_STATES                                                                      \
    "('dagsorden_frigivet', 'i_gang', 'afholdt', 'referat_til_godkendelse', "                \
    "'referat_godkendt', 'offentliggjort')"

/* A case written in referat is published with its agenda once it is on it in earnest: not
 * a draft nor a case waiting for sign-off. */
#define AGENDA_CASE_STATES "('paa_dagsorden', 'behandlet', 'udsat')"

/* Puts a case last on the agenda, on the supplement once the agenda is released; deadline:
 * the body's deadline applies (not to a new meeting's recurring items nor to a postponed
 * case). */
static int join(struct store *s, int64_t meeting_id, int64_t case_id, bool deadline,
                struct err *e)
{
    sqlite3_stmt *st;
    char *code = NULL, *date = NULL, *late_rule = NULL, *days = NULL;
    bool released = false, published = false;
    int late = 0;
    int rc = stmt(s, "SELECT b.code, m.date, m.state IN " RELEASED_STATES ", m.published "
                     "FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    rc = first_row(s, st, e, "putting a case on the agenda", "no meeting with id %lld",
                   (long long)meeting_id);
    if (rc == 0) {
        code = col_str(st, 0);
        date = col_str(st, 1);
        released = sqlite3_column_int(st, 2) != 0;
        published = sqlite3_column_int(st, 3) != 0;
    }
    fin(st);
    if (rc == 0 && deadline && (rc = store_body_setting_get(s, code, "agenda.late", &late_rule,
                                                         e)) == 0 &&
        (rc = store_body_setting_get(s, code, "agenda.deadline_days", &days, e)) == 0) {
        /* The deadline is the end of the day `days` whole days before the meeting. */
        int y, mo, d;
        char today[11];
        clock_today(today);
        bool past = false;
        if (date && date_parse_iso(date, &y, &mo, &d) == 0) {
            struct tm t = {.tm_year = y - 1900, .tm_mon = mo - 1,
                           .tm_mday = d - atoi(days ? days : "0"), .tm_hour = 12};
            timegm(&t); /* normalises the day */
            char dl[11];
            past = date_format_iso(t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, dl) == 0 &&
                   strcmp(today, dl) > 0;
        }
        if (past && late_rule && strcmp(late_rule, "afvist") == 0)
            rc = fail(s, e, ERR_DENIED, "fristen for dagsordenen (%s dage før mødet) er "
                      "overskredet, og %s tager ikke imod sager efter fristen", days, code);
        late = past && late_rule && strcmp(late_rule, "markeret") == 0;
    }
    if (rc == 0 && (rc = stmt(s, "INSERT INTO agenda (meeting_id, pos, case_id, supplement, "
                                 "late) VALUES (?1, (SELECT coalesce(max(pos) + 1, 0) FROM "
                                 "agenda WHERE meeting_id = ?1), ?2, ?3, ?4)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        sqlite3_bind_int64(st, 2, case_id);
        sqlite3_bind_int(st, 3, released);
        sqlite3_bind_int(st, 4, late);
        rc = run(s, st, e, "putting a case on the agenda");
    }
    /* A case on a released agenda is published with it. */
    if (rc == 0 && published &&
        (rc = stmt(s, "UPDATE \"case\" SET published = 1 WHERE id = ?1 AND (NOT authored OR "
                      "state IN " AGENDA_CASE_STATES ")", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "putting a case on the agenda");
    }
    free(code);
    free(date);
    free(late_rule);
    free(days);
    return rc;
}

int agenda_join(struct store *s, int64_t meeting_id, int64_t case_id, struct err *e)
{
    return join(s, meeting_id, case_id, true, e);
}

int agenda_case_step(struct store *s, int64_t case_id, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "UPDATE \"case\" SET published = 1 WHERE id = ?1 AND authored AND state IN "
                     AGENDA_CASE_STATES " AND EXISTS (SELECT 1 FROM agenda a JOIN meeting m ON "
                     "m.id = a.meeting_id WHERE a.case_id = ?1 AND m.published AND m.state IN "
                     RELEASED_STATES ")", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = run(s, st, e, "publishing the case")) < 0)
        return rc;
    return release_guard_case(s, case_id, e);
}

/* ---- a new meeting's recurring items ---- */

int meeting_recurring(struct store *s, int64_t meeting_id, int64_t body_id,
                      const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    struct rec {
        char *name, *text;
        int duration;
        bool public;
    } *v = NULL;
    size_t n = 0, cap = 0;
    bool row;
    char *code = NULL;
    int rc = stmt(s, "SELECT code FROM body WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    if ((rc = first_row(s, st, e, "adding the recurring items", "no body with id %lld",
                        (long long)body_id)) == 0)
        code = col_str(st, 0);
    fin(st);
    /* Read first: the saves below use statements of their own. */
    if (rc == 0)
        rc = stmt(s, "SELECT name, text, duration, public FROM body_item WHERE body_id = ?1 "
                     "AND kind = 'recurring' ORDER BY pos, id", &st, e);
    if (rc < 0) {
        free(code);
        return rc;
    }
    sqlite3_bind_int64(st, 1, body_id);
    while ((rc = next_row(s, st, &row, e, "reading the recurring items")) == 0 && row) {
        v = grow(v, n, &cap, sizeof *v);
        v[n].name = col_str(st, 0);
        v[n].text = col_str(st, 1);
        v[n].duration = sqlite3_column_int(st, 2);
        v[n].public = sqlite3_column_int(st, 3) != 0;
        n++;
    }
    fin(st);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct case_doc *c = case_new();
        c->title = xstrdup(v[i].name);
        c->public = v[i].public;
        c->presentation = v[i].text && *v[i].text ? xstrdup(v[i].text) : NULL;
        if (v[i].duration > 0) {
            struct subitem *si = case_add_subitem(c);
            si->title = xstrdup(v[i].name);
            si->duration = v[i].duration;
            c->has_table = true;
        }
        /* Saved as the body's case, then put on the agenda without the deadline: a standing
         * item is never late, and needs no sign-off. */
        struct store_save sv = {.body = code, .model = c};
        int64_t cid = 0;
        if ((rc = case_save_in(s, &sv, a, &cid, NULL, e)) == 0 &&
            (rc = join(s, meeting_id, cid, false, e)) == 0 &&
            (rc = stmt(s, "UPDATE \"case\" SET state = 'paa_dagsorden' WHERE id = ?1", &st,
                       e)) == 0) {
            sqlite3_bind_int64(st, 1, cid);
            rc = run(s, st, e, "adding the recurring items");
        }
        if (rc == 0)
            rc = case_bodies_update(s, cid, e);
        case_free(c);
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].text);
    }
    free(v);
    free(code);
    return rc;
}

/* ---- the release guard ---- */

/* The help texts of the body's case templates (the "help" of each section), appended to
 * *v. */
static int help_texts(struct store *s, int64_t body_id, char ***v, size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    size_t cap = 0;
    int rc = stmt(s, "SELECT sections FROM body_item WHERE body_id = ?1 AND kind = 'template' "
                     "AND sections IS NOT NULL", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    while ((rc = next_row(s, st, &row, e, "reading the templates")) == 0 && row) {
        const char *text = (const char *)sqlite3_column_text(st, 0);
        json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
        size_t i;
        json_t *sec;
        json_array_foreach(arr, i, sec) {
            const char *h = json_string_value(json_object_get(sec, "help"));
            if (h && *h) {
                *v = grow(*v, *n, &cap, sizeof **v);
                (*v)[(*n)++] = xstrdup(h);
            }
        }
        json_decref(arr);
    }
    fin(st);
    return rc;
}

/* ---- issue 9, publication: the publish guard reads the same help texts ---- */
int agenda_help_texts(struct store *s, int64_t body_id, char ***v, size_t *n, struct err *e)
{
    return help_texts(s, body_id, v, n, e);
}
/* ---- end issue 9, publication ---- */

/* Checks one case for the body's meeting; pos is its place on the agenda (1-based). what
 * says what is refused ("Dagsordenen kan ikke frigives"). */
static int guard_one(struct store *s, int64_t case_id, int64_t body_id, int pos,
                     const char *what, struct err *e)
{
    struct case_doc *c = NULL;
    char **help = NULL;
    size_t nhelp = 0;
    int rc = load_case(s, case_id, &c, e);
    if (rc == 0)
        rc = help_texts(s, body_id, &help, &nhelp, e);
    if (rc == 0) {
        /* Exactly what would be published: a closed case's public title and text only. */
        struct case_doc *pub = case_view(c, AUDIENCE_PUBLIC);
        struct guard_hit hit;
        if (guard_case(pub, (const char *const *)help, nhelp, &hit))
            /* The public title, never the closed one, names the case. */
            rc = fail(s, e, ERR_DENIED, "%s: punkt %d (sag %lld, \"%s\") har %s i %s, linje %u, "
                      "kolonne %u. Ret teksten, og prøv igen.", what, pos, (long long)case_id,
                      pub->title ? pub->title : "", hit.rule, hit.field, hit.line, hit.col);
        case_free(pub);
    }
    for (size_t i = 0; i < nhelp; i++)
        free(help[i]);
    free(help);
    case_free(c);
    return rc;
}

int release_guard_case(struct store *s, int64_t case_id, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int64_t body_id = 0;
    int pos = 0;
    int rc = stmt(s, "SELECT m.body_id, a.pos FROM agenda a JOIN meeting m ON m.id = "
                     "a.meeting_id JOIN \"case\" c ON c.id = a.case_id WHERE a.case_id = ?1 "
                     "AND c.published AND m.state IN " RELEASED_STATES
                     " AND m.published ORDER BY m.date DESC LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = next_row(s, st, &row, e, "checking the case")) == 0 && row) {
        body_id = sqlite3_column_int64(st, 0);
        pos = sqlite3_column_int(st, 1) + 1;
    }
    fin(st);
    if (rc < 0 || !row)
        return rc;
    return guard_one(s, case_id, body_id, pos, "Sagen er på en frigivet dagsorden og kan ikke "
                     "gemmes sådan", e);
}

/* The guard over every case the release would publish. */
static int guard_agenda(struct store *s, int64_t meeting_id, struct err *e)
{
    sqlite3_stmt *st;
    int64_t *ids = NULL, body_id = 0;
    size_t n = 0, cap = 0;
    bool row;
    int rc = stmt(s, "SELECT a.case_id, m.body_id FROM agenda a JOIN meeting m ON m.id = "
                     "a.meeting_id JOIN \"case\" c ON c.id = a.case_id WHERE a.meeting_id = ?1 "
                     "AND (NOT c.authored OR c.state IN " AGENDA_CASE_STATES ") ORDER BY a.pos",
                  &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    while ((rc = next_row(s, st, &row, e, "releasing the agenda")) == 0 && row) {
        ids = grow(ids, n, &cap, sizeof *ids);
        ids[n++] = sqlite3_column_int64(st, 0);
        body_id = sqlite3_column_int64(st, 1);
    }
    fin(st);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = guard_one(s, ids[i], body_id, (int)i + 1, "Dagsordenen kan ikke frigives", e);
    free(ids);
    return rc;
}

int store_agenda_check(struct store *s, int64_t meeting_id, struct err *e)
{
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = guard_agenda(s, meeting_id, e);
    read_end(s);
    return rc;
}

int agenda_release(struct store *s, int64_t meeting_id, bool release, struct err *e)
{
    sqlite3_stmt *st;
    int rc = release ? guard_agenda(s, meeting_id, e) : 0;
    if (rc < 0)
        return rc;
    /* Released, the agenda's cases are public; recalled, those that no other public meeting
     * has are taken back. */
    if ((rc = stmt(s, release
                          ? "UPDATE \"case\" SET published = 1 WHERE id IN (SELECT case_id FROM "
                            "agenda WHERE meeting_id = ?1) AND (NOT authored OR state IN "
                            AGENDA_CASE_STATES ")"
                          : "UPDATE \"case\" SET published = 0 WHERE authored AND id IN (SELECT "
                            "case_id FROM agenda WHERE meeting_id = ?1) AND NOT EXISTS (SELECT 1 "
                            "FROM agenda a JOIN meeting m ON m.id = a.meeting_id WHERE "
                            "a.case_id = \"case\".id AND m.id <> ?1 AND m.published)",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    if ((rc = run(s, st, e, "releasing the agenda")) < 0)
        return rc;
    char now[21];
    store_now(now);
    if ((rc = stmt(s, "UPDATE meeting SET released_at = ?2 WHERE id = ?1", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    bind_str(st, 2, release ? now : NULL);
    return run(s, st, e, "releasing the agenda");
}

/* ---- the agenda as listed, its order, postponing ---- */

void store_agenda_free(struct store_agenda_item *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        store_case_ref_fini(&v[i].ref);
        free(v[i].postponed_date);
    }
    free(v);
}

static void read_item(sqlite3_stmt *st, void *elem)
{
    struct store_agenda_item *it = elem;
    struct store_case_ref *r = &it->ref;
    r->id = sqlite3_column_int64(st, 0);
    r->key = col_str(st, 1);
    r->title = col_str(st, 2);
    r->public = sqlite3_column_int(st, 3) != 0;
    r->visible = sqlite3_column_int(st, 4) != 0;
    r->sees_closed = sqlite3_column_int(st, 5) != 0;
    r->published = sqlite3_column_int(st, 6) != 0;
    r->state = col_str(st, 7);
    r->body = col_str(st, 8);
    r->date = col_str(st, 9);
    r->version = sqlite3_column_int(st, 10);
    it->supplement = sqlite3_column_int(st, 11) != 0;
    it->late = sqlite3_column_int(st, 12) != 0;
    it->postponed_to = sqlite3_column_int64(st, 13);
    it->postponed_date = col_str(st, 14);
}

static void items_free(void *v, size_t n)
{
    store_agenda_free(v, n);
}

static const struct rowtype item_rows = {sizeof(struct store_agenda_item), "listing the agenda",
                                         read_item, items_free};

int store_agenda(struct store *s, int64_t meeting_id, const struct reader *r,
                 struct store_agenda_item **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    void *out;
    /* A case postponed to a later meeting is on that meeting's agenda too. */
    int rc = stmt(s, "SELECT c.id, c.key, " CASE_TITLE("c", "?9") ", c.public, "
                     CASE_FULL("c", "?9") ", " SEES_CASE("c", "?9") ", c.published, c.state, "
                     "b.code, c.date, c.version, a.supplement, a.late, l.id, l.date "
                     "FROM agenda a JOIN meeting m ON m.id = a.meeting_id "
                     "JOIN \"case\" c ON c.id = a.case_id LEFT JOIN body b ON b.id = c.body_id "
                     "LEFT JOIN meeting l ON l.id = (SELECT a2.meeting_id FROM agenda a2 JOIN "
                     "meeting m2 ON m2.id = a2.meeting_id WHERE a2.case_id = c.id AND "
                     "m2.date > m.date AND " MEETING_LISTED("m2", "?9")
                     " ORDER BY m2.date LIMIT 1) "
                     "WHERE a.meeting_id = ?1 AND " CASE_LISTED("c", "?9")
                     " ORDER BY a.pos LIMIT ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    sqlite3_bind_int(st, 2, STORE_PAGE_MAX);
    bind_reader(st, 9, r);
    if ((rc = collect(s, st, &item_rows, &out, n, e)) == 0) {
        *v = out;
        for (size_t i = 0; i < *n; i++)
            (*v)[i].number = (unsigned)i + 1;
    }
    return rc;
}

/* The meeting's body and state, for a change of its agenda by a sekretær of the body. */
static int agenda_meeting(struct store *s, int64_t meeting_id, const struct store_actor *a,
                          int64_t *body_id, int *state, char date[11], struct err *e)
{
    sqlite3_stmt *st;
    char *name = NULL;
    int rc = stmt(s, "SELECT body_id, state, date FROM meeting WHERE id = ?1 AND authored", &st,
                  e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    rc = first_row(s, st, e, "changing the agenda", "no meeting with id %lld written in referat",
                   (long long)meeting_id);
    if (rc == 0) {
        *body_id = sqlite3_column_int64(st, 0);
        name = col_str(st, 1);
        const char *d = (const char *)sqlite3_column_text(st, 2);
        snprintf(date, 11, "%s", d ? d : "");
    }
    fin(st);
    *state = name ? wf_state_parse(&wf_meeting, name) : -1;
    free(name);
    if (rc == 0 && !(actor_roles(a, *body_id) & ROLE_SEKRETAER))
        rc = fail(s, e, ERR_DENIED, "changing the agenda needs the role sekretaer on the "
                                    "meeting's body");
    return rc;
}

static int agenda_pos(struct store *s, int64_t meeting_id, int64_t case_id, int64_t *pos,
                      struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s, "SELECT pos FROM agenda WHERE meeting_id = ?1 AND case_id = ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    sqlite3_bind_int64(st, 2, case_id);
    if ((rc = one_int(s, st, pos, &found, e, "changing the agenda")) == 0 && !found)
        rc = notfound(s, e, "case %lld is not on the agenda of meeting %lld",
                      (long long)case_id, (long long)meeting_id);
    return rc;
}

int store_agenda_move(struct store *s, int64_t meeting_id, int64_t case_id, int delta,
                      const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    int64_t body_id = 0, pos = 0, other = 0;
    int state = -1;
    bool found = false;
    char date[11];
    int rc = write_begin(s, e, "changing the agenda");
    if (rc < 0)
        return rc;
    if ((rc = agenda_meeting(s, meeting_id, a, &body_id, &state, date, e)) == 0 &&
        state != WF_MEETING_PLANLAGT)
        rc = fail(s, e, ERR_DENIED, "meeting %lld is %s: the agenda's order is locked",
                  (long long)meeting_id, wf_state_label(&wf_meeting, state));
    if (rc == 0)
        rc = agenda_pos(s, meeting_id, case_id, &pos, e);
    if (rc == 0 && (rc = stmt(s, delta < 0 ? "SELECT pos FROM agenda WHERE meeting_id = ?1 AND "
                                             "pos < ?2 ORDER BY pos DESC LIMIT 1"
                                           : "SELECT pos FROM agenda WHERE meeting_id = ?1 AND "
                                             "pos > ?2 ORDER BY pos LIMIT 1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        sqlite3_bind_int64(st, 2, pos);
        if ((rc = one_int(s, st, &other, &found, e, "changing the agenda")) == 0 && !found)
            rc = fail(s, e, ERR_USAGE, "case %lld is already %s on the agenda",
                      (long long)case_id, delta < 0 ? "first" : "last");
    }
    /* Swapped through a free place: (meeting_id, pos) is the key. */
    if (rc == 0 && (rc = stmt(s, "UPDATE agenda SET pos = CASE pos WHEN ?2 THEN -1 - ?3 "
                                 "ELSE -1 - ?2 END WHERE meeting_id = ?1 AND pos IN (?2, ?3)",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        sqlite3_bind_int64(st, 2, pos);
        sqlite3_bind_int64(st, 3, other);
        rc = run(s, st, e, "changing the agenda");
    }
    if (rc == 0 && (rc = stmt(s, "UPDATE agenda SET pos = -1 - pos WHERE meeting_id = ?1 AND "
                                 "pos < 0", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        rc = run(s, st, e, "changing the agenda");
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "meeting:%lld", (long long)meeting_id);
        json_t *o = json_pack("{s:I,s:I,s:I}", "case", (json_int_t)case_id, "from",
                              (json_int_t)pos, "to", (json_int_t)other);
        char *d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        struct event ev = {.action = "agenda.move", .object = object, .detail = d};
        rc = ledger_append(s, a, &ev, NULL, e);
        free(d);
    }
    if (rc == 0)
        return write_commit(s, e, "changing the agenda");
    rollback(s);
    return rc;
}

int store_agenda_postpone(struct store *s, int64_t meeting_id, int64_t case_id,
                          int64_t to_meeting, const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st;
    int64_t body_id = 0, to_body = 0, pos = 0;
    int state = -1, to_state = -1;
    char date[11], to_date[11];
    int rc = write_begin(s, e, "postponing a case");
    if (rc < 0)
        return rc;
    if ((rc = agenda_meeting(s, meeting_id, a, &body_id, &state, date, e)) == 0)
        rc = agenda_pos(s, meeting_id, case_id, &pos, e);
    if (rc == 0 && (rc = agenda_meeting(s, to_meeting, a, &to_body, &to_state, to_date, e)) == 0) {
        if (to_body != body_id)
            rc = fail(s, e, ERR_USAGE, "meeting %lld is another body's", (long long)to_meeting);
        else if (strcmp(to_date, date) <= 0)
            rc = fail(s, e, ERR_USAGE, "meeting %lld is not later than meeting %lld",
                      (long long)to_meeting, (long long)meeting_id);
        else if (to_state != WF_MEETING_PLANLAGT && to_state != WF_MEETING_DAGSORDEN_FRIGIVET)
            rc = fail(s, e, ERR_DENIED, "meeting %lld is %s: it takes no new cases",
                      (long long)to_meeting, wf_state_label(&wf_meeting, to_state));
    }
    if (rc == 0 && (rc = stmt(s, "SELECT 1 FROM agenda WHERE meeting_id = ?1 AND case_id = ?2",
                              &st, e)) == 0) {
        int64_t one;
        bool found;
        sqlite3_bind_int64(st, 1, to_meeting);
        sqlite3_bind_int64(st, 2, case_id);
        if ((rc = one_int(s, st, &one, &found, e, "postponing a case")) == 0 && found)
            rc = fail(s, e, ERR_CONFLICT, "case %lld is on the agenda of meeting %lld already",
                      (long long)case_id, (long long)to_meeting);
    }
    /* It stays on this agenda (its history: postponed here, to that meeting), joins the later
     * one and follows its date; a case marked udsat is on an agenda again. */
    if (rc == 0)
        rc = join(s, to_meeting, case_id, false, e);
    if (rc == 0 && (rc = stmt(s, "UPDATE \"case\" SET date = ?2, state = CASE state WHEN 'udsat' "
                                 "THEN 'paa_dagsorden' ELSE state END WHERE id = ?1 AND authored",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        bind_str(st, 2, to_date);
        rc = run(s, st, e, "postponing a case");
    }
    if (rc == 0)
        rc = case_bodies_update(s, case_id, e);
    if (rc == 0)
        rc = release_guard_case(s, case_id, e);
    /* invitations (issue 8): the slots left behind, and the case's at its new meeting */
    if (rc == 0 && (rc = invitations_sync_meeting(s, meeting_id, e)) == 0)
        rc = invitations_sync(s, case_id, e);
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        json_t *o = json_pack("{s:I,s:I}", "from", (json_int_t)meeting_id, "to",
                              (json_int_t)to_meeting);
        char *d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        struct event ev = {.action = "case.postpone", .object = object, .detail = d};
        rc = ledger_append(s, a, &ev, NULL, e);
        free(d);
    }
    if (rc == 0)
        return write_commit(s, e, "postponing a case");
    rollback(s);
    return rc;
}

/* ---- the agendas a case is on ---- */

void store_case_agendas_free(struct store_case_agenda *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].body);
        free(v[i].body_name);
        free(v[i].date);
    }
    free(v);
}

static void read_place(sqlite3_stmt *st, void *elem)
{
    struct store_case_agenda *p = elem;
    p->meeting_id = sqlite3_column_int64(st, 0);
    p->body = col_str(st, 1);
    p->body_name = col_str(st, 2);
    p->date = col_str(st, 3);
    p->number = (unsigned)sqlite3_column_int(st, 4);
    p->supplement = sqlite3_column_int(st, 5) != 0;
    p->late = sqlite3_column_int(st, 6) != 0;
}

static void places_free(void *v, size_t n)
{
    store_case_agendas_free(v, n);
}

static const struct rowtype place_rows = {sizeof(struct store_case_agenda),
                                          "listing a case's agendas", read_place, places_free};

int store_case_agendas(struct store *s, int64_t case_id, const struct reader *r,
                       struct store_case_agenda **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    void *out;
    /* The place counts the cases before it that the same reader may know of. */
    int rc = stmt(s, "SELECT m.id, b.code, b.name, m.date, (SELECT count(*) FROM agenda a2 JOIN "
                     "\"case\" c2 ON c2.id = a2.case_id WHERE a2.meeting_id = m.id AND a2.pos <= "
                     "a.pos AND " CASE_LISTED("c2", "?9") "), a.supplement, a.late "
                     "FROM agenda a JOIN meeting m ON m.id = a.meeting_id JOIN body b ON "
                     "b.id = m.body_id JOIN \"case\" c ON c.id = a.case_id WHERE a.case_id = ?1 "
                     "AND m.authored AND " MEETING_LISTED("m", "?9") " AND "
                     CASE_LISTED("c", "?9") " ORDER BY m.date, m.id LIMIT 100", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    bind_reader(st, 9, r);
    if ((rc = collect(s, st, &place_rows, &out, n, e)) == 0)
        *v = out;
    return rc;
}
