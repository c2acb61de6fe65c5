/* sqlite_library: a body's library (standard texts, case templates, recurring items) on
 * SQLite: lists, saves checked against the version the form started from, deletes, moves and
 * the import of a library file, each write one transaction with its ledger event. */
#include "store_sqlite.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_COLS "id, kind, name, text, sections, pos, coalesce(duration, 0), public, version "
/* The pages' order: standard texts, templates, recurring items. */
#define KIND_ORDER "CASE kind WHEN 'text' THEN 0 WHEN 'template' THEN 1 ELSE 2 END"

static void read_item(sqlite3_stmt *st, void *elem)
{
    struct store_body_item *it = elem;
    it->id = sqlite3_column_int64(st, 0);
    it->kind = col_str(st, 1);
    it->name = col_str(st, 2);
    it->text = col_str(st, 3);
    it->sections = col_str(st, 4);
    it->pos = sqlite3_column_int(st, 5);
    it->duration = sqlite3_column_int(st, 6);
    it->public = sqlite3_column_int(st, 7) != 0;
    it->version = sqlite3_column_int(st, 8);
}

void store_body_item_fini(struct store_body_item *it)
{
    if (!it)
        return;
    free(it->kind);
    free(it->name);
    free(it->text);
    free(it->sections);
    memset(it, 0, sizeof *it);
}

void store_body_items_free(struct store_body_item *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_body_item_fini(&v[i]);
    free(v);
}

static void items_free(void *v, size_t n)
{
    store_body_items_free(v, n);
}

static const struct rowtype item_rows = {sizeof(struct store_body_item),
                                         "listing the body's library", read_item, items_free};

static int body_of(struct store *s, const char *code, int64_t *body_id, struct err *e)
{
    int rc = body_id_of(s, code ? code : "", body_id, e);
    if (rc == 0 && !*body_id)
        rc = notfound(s, e, "no body with code '%s'", code ? code : "");
    return rc;
}

int store_body_items(struct store *s, const char *body_code, const char *kind,
                     struct store_body_item **v, size_t *n, struct err *e)
{
    if (kind && !library_kind_valid(kind))
        return fail(s, e, ERR_USAGE,
                    "unknown kind of library item (expected text, template "
                    "or recurring)");
    sqlite3_stmt *st = NULL;
    int64_t body_id = 0;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = body_of(s, body_code, &body_id, e);
    if (rc == 0 && (rc = stmt(s,
                              "SELECT " ITEM_COLS "FROM body_item WHERE body_id = ?1 AND "
                              "(?2 IS NULL OR kind = ?2) ORDER BY " KIND_ORDER ", pos",
                              &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, body_id);
        bind_str(st, 2, kind);
        if ((rc = collect(s, st, &item_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_body_item_get(struct store *s, int64_t id, struct store_body_item *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "SELECT " ITEM_COLS "FROM body_item WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = first_row(s, st, e, "reading a library item", "no library item with id %lld",
                   (long long)id);
    if (rc == 0)
        read_item(st, out);
    fin(st);
    return rc;
}

/* Needs no database: any backend's items apply the same way. */
int store_template_apply(const struct store_body_item *tpl, struct case_doc *c, struct err *e)
{
    if (!tpl->kind || strcmp(tpl->kind, "template") != 0) {
        err_set(e, ERR_USAGE, 0, 0, "library item %lld is not a template", (long long)tpl->id);
        return ERR_USAGE;
    }
    return library_template_apply(tpl->text, tpl->sections, c, e);
}

/* ---- writes ---- */

static int may_write(struct store *s, const struct store_actor *a, int64_t body_id, struct err *e)
{
    if (actor_roles(a, body_id) & (ROLE_SEKRETAER | ROLE_ADMIN))
        return 0;
    return fail(s, e, ERR_DENIED,
                "changing a body's library needs the role sekretaer on the "
                "body or an administrator");
}

static int item_event(struct store *s, const struct store_actor *a, const char *action, int64_t id,
                      int before, int after, json_t *detail, struct err *e)
{
    char object[40];
    snprintf(object, sizeof object, "body_item:%lld", (long long)id);
    struct event ev = {.action = action, .object = object, .before = before, .after = after};
    return ledger_append_json(s, a, ev, detail, e);
}

/* name without white space around it (a heap string, NULL for none). */
static char *trim(const char *name)
{
    if (!name)
        return NULL;
    while (*name == ' ' || *name == '\t' || *name == '\n' || *name == '\r')
        name++;
    size_t n = strlen(name);
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == '\n' ||
                 name[n - 1] == '\r'))
        n--;
    return n ? xstrndup(name, n) : NULL;
}

/* The item as it is stored: a trimmed name, normalised texts, canonical sections, the
 * fields other kinds do not use cleared. Owned strings. */
struct clean {
    char *name, *text, *sections;
    int duration;
    bool public;
};

static void clean_fini(struct clean *c)
{
    free(c->name);
    free(c->text);
    free(c->sections);
}

static void clean_make(const char *kind, const struct library_item *it, struct clean *c)
{
    memset(c, 0, sizeof *c);
    c->name = trim(it->name);
    c->text = library_text_norm(it->text);
    c->public = true;
    if (strcmp(kind, "template") == 0) {
        struct library_section *v = NULL;
        size_t n = 0;
        struct err e = {0};
        if (library_sections_parse(it->sections, &v, &n, &e) == 0) {
            for (size_t i = 0; i < n; i++) {
                char *name = trim(v[i].name), *text = library_text_norm(v[i].text),
                     *help = library_text_norm(v[i].help);
                free(v[i].name);
                free(v[i].text);
                free(v[i].help);
                v[i].name = name;
                v[i].text = text;
                v[i].help = help;
            }
            c->sections = library_sections_json(v, n);
            library_sections_free(v, n);
        }
    } else if (strcmp(kind, "recurring") == 0) {
        c->duration = it->duration;
        c->public = it->public;
    }
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Fills e from the first problem; returns code. */
static int problems_err(const struct library_problems *pr, int code, struct err *e)
{
    err_set(e, code, 0, 0, "%s", pr->n ? pr->v[0].message : "the item has problems");
    return code;
}

/* The texts of an item as stored that go into cases: a standard text's or recurring item's
 * text, a template's title and prefilled texts; with their problem fields. */
struct texts {
    const char *v[LIBRARY_SECTIONS_MAX + 1];
    char field[LIBRARY_SECTIONS_MAX + 1][40];
    size_t n;
};

static void texts_of(const char *kind, const char *text, const struct library_section *secs,
                     size_t nsecs, struct texts *t)
{
    t->n = 0;
    if (text) {
        t->v[t->n] = text;
        snprintf(t->field[t->n++], 40, "text");
    }
    for (size_t i = 0; strcmp(kind, "template") == 0 && i < nsecs && t->n <= LIBRARY_SECTIONS_MAX;
         i++) {
        if (!secs[i].text)
            continue;
        t->v[t->n] = secs[i].text;
        snprintf(t->field[t->n++], 40, "sections[%zu].text", i);
    }
}

/* No text of the body's library may hold a line of a template's help text: it would go into
 * cases and stop their release (the guard refuses help text in what is published). Checks the
 * item being saved (c, id; 0 for a new one) against the body's other templates and its own
 * help, and, for a template, its help against the other items' texts. */
static int help_check(struct store *s, int64_t body_id, int64_t id, const char *kind,
                      const struct clean *c, struct library_problems *pr, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_body_item *v = NULL;
    size_t n = 0;
    void *out;
    int rc =
        stmt(s, "SELECT " ITEM_COLS "FROM body_item WHERE body_id = ?1 AND id IS NOT ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    sqlite3_bind_int64(st, 2, id);
    if ((rc = collect(s, st, &item_rows, &out, &n, e)) < 0)
        return rc;
    v = out;
    /* Every template's sections: the others' as stored, this one's as it will be. */
    struct library_section **secs = xcalloc(n + 1, sizeof *secs);
    size_t *nsecs = xcalloc(n + 1, sizeof *nsecs);
    struct err pe = {0};
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].kind, "template") == 0)
            library_sections_parse(v[i].sections, &secs[i], &nsecs[i], &pe);
    if (strcmp(kind, "template") == 0)
        library_sections_parse(c->sections, &secs[n], &nsecs[n], &pe);
    size_t nhelp = 0;
    for (size_t i = 0; i <= n; i++)
        nhelp += nsecs[i];
    const char **help = xcalloc(nhelp + 1, sizeof *help);
    size_t *help_item = xcalloc(nhelp + 1, sizeof *help_item);
    size_t k = 0;
    for (size_t i = 0; i <= n; i++)
        for (size_t j = 0; j < nsecs[i]; j++) {
            help_item[k] = i;
            help[k++] = secs[i][j].help;
        }
    /* This item's texts against all help. */
    struct texts t;
    texts_of(kind, c->text, secs[n], nsecs[n], &t);
    struct library_help_hit hit;
    for (size_t i = 0; i < t.n; i++) {
        if (!library_holds_help(t.v[i], help, nhelp, &hit))
            continue;
        size_t from = help_item[hit.help];
        const char *name = from == n ? "this template" : v[from].name;
        library_problem(pr, t.field[i],
                        "Teksten indeholder en hjælpetekst fra en skabelon: "
                        "hjælpetekster må aldrig stå i en sag.",
                        "%s: holds help text of %s%s%s (line %u, column %u)", t.field[i],
                        from == n ? "" : "template \"", name, from == n ? "" : "\"", hit.line,
                        hit.col);
    }
    /* A template's help against the other items' texts. */
    for (size_t i = 0; strcmp(kind, "template") == 0 && i < n; i++) {
        struct texts o;
        texts_of(v[i].kind, v[i].text, secs[i], nsecs[i], &o);
        for (size_t j = 0; j < o.n; j++) {
            if (!library_holds_help(o.v[j], (const char *const *)help + (nhelp - nsecs[n]),
                                    nsecs[n], &hit))
                continue;
            char field[40];
            snprintf(field, sizeof field, "sections[%zu].help", hit.help);
            library_problem(pr, field,
                            "Hjælpeteksten står i et andet element i biblioteket: "
                            "den ville komme med i sager.",
                            "%s: the library's %s \"%s\" holds this help text", field, v[i].kind,
                            v[i].name);
            break;
        }
    }
    for (size_t i = 0; i <= n; i++)
        library_sections_free(secs[i], nsecs[i]);
    free(secs);
    free(nsecs);
    free(help);
    free(help_item);
    store_body_items_free(v, n);
    return 0;
}

/* Saves one item inside the caller's transaction, roles checked. id 0 adds it (last of its
 * kind); check_version compares base_version. *changed: anything was written. */
static int save_one(struct store *s, int64_t body_id, const char *body_code, int64_t id,
                    bool check_version, int base_version, const struct library_item *in,
                    const struct store_actor *a, int64_t *id_out, int *version_out, bool *changed,
                    struct library_problems *pr, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_body_item old = {0};
    struct library_problems local = {0};
    struct clean c = {0};
    if (!pr)
        pr = &local;
    size_t before = pr->n;
    int rc = 0;
    *changed = false;
    if (id) {
        if ((rc = stmt(s, "SELECT " ITEM_COLS ", body_id FROM body_item WHERE id = ?1", &st, e)) <
            0)
            return rc;
        sqlite3_bind_int64(st, 1, id);
        rc = first_row(s, st, e, "saving a library item", "no library item with id %lld",
                       (long long)id);
        if (rc == 0) {
            read_item(st, &old);
            if (sqlite3_column_int64(st, 9) != body_id)
                rc = notfound(s, e, "no library item with id %lld in body '%s'", (long long)id,
                              body_code);
        }
        fin(st);
        if (rc == 0 && check_version && old.version != base_version)
            rc = fail(s, e, ERR_CONFLICT,
                      "library item %lld was changed (version %d) after "
                      "you opened version %d; nothing was saved: reload it and make your "
                      "change again",
                      (long long)id, old.version, base_version);
        if (rc < 0)
            goto done;
    }
    struct library_item it = *in;
    if (id)
        it.kind = old.kind;
    library_item_check(&it, pr);
    if (pr->n == before) {
        clean_make(it.kind, &it, &c);
        int64_t other = 0, count = 0;
        bool found = false;
        if ((rc = stmt(s,
                       "SELECT id FROM body_item WHERE body_id = ?1 AND kind = ?2 AND "
                       "name = ?3 AND id IS NOT ?4",
                       &st, e)) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, body_id);
        bind_str(st, 2, it.kind);
        bind_str(st, 3, c.name);
        sqlite3_bind_int64(st, 4, id);
        if ((rc = one_int(s, st, &other, &found, e, "saving a library item")) < 0)
            goto done;
        if (found) {
            library_problem(pr, "name",
                            "Navnet bruges allerede af et andet element af samme "
                            "slags.",
                            "name: another item of this kind has this name");
            rc = problems_err(pr, ERR_CONFLICT, e);
            goto done;
        }
        if (!id) {
            if ((rc = stmt(s, "SELECT count(*) FROM body_item WHERE body_id = ?1 AND kind = ?2",
                           &st, e)) < 0)
                goto done;
            sqlite3_bind_int64(st, 1, body_id);
            bind_str(st, 2, it.kind);
            if ((rc = one_int(s, st, &count, &found, e, "saving a library item")) < 0)
                goto done;
            if (count >= LIBRARY_MAX)
                library_problem(pr, "kind", "Biblioteket har allerede 200 af denne slags.",
                                "the body has %d items of this kind already", LIBRARY_MAX);
        }
    }
    if (pr->n == before && (rc = help_check(s, body_id, id, it.kind, &c, pr, e)) < 0)
        goto done;
    if (pr->n > before) {
        rc = problems_err(pr, ERR_USAGE, e);
        goto done;
    }
    if (id && same(old.name, c.name) && same(old.text, c.text) && same(old.sections, c.sections) &&
        old.duration == c.duration && old.public == c.public) {
        if (id_out)
            *id_out = id;
        if (version_out)
            *version_out = old.version;
        goto done;
    }
    int version = id ? old.version + 1 : 1;
    if (id)
        rc = stmt(s,
                  "UPDATE body_item SET name = ?2, text = ?3, sections = ?4, duration = ?5, "
                  "public = ?6, version = ?7 WHERE id = ?1",
                  &st, e);
    else
        rc = stmt(s,
                  "INSERT INTO body_item (body_id, kind, pos, name, text, sections, "
                  "duration, public, version) VALUES (?8, ?9, (SELECT coalesce(max(pos), 0) "
                  "+ 1 FROM body_item WHERE body_id = ?8 AND kind = ?9), ?2, ?3, ?4, ?5, ?6, "
                  "?7)",
                  &st, e);
    if (rc < 0)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, c.name);
    bind_str(st, 3, c.text);
    bind_str(st, 4, c.sections);
    if (c.duration)
        sqlite3_bind_int(st, 5, c.duration);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int(st, 6, c.public);
    sqlite3_bind_int(st, 7, version);
    if (!id) {
        sqlite3_bind_int64(st, 8, body_id);
        bind_str(st, 9, it.kind);
    }
    if ((rc = run(s, st, e, "saving a library item")) < 0)
        goto done;
    if (!id)
        id = sqlite3_last_insert_rowid(s->db);
    rc = item_event(s, a, version == 1 ? "library.add" : "library.save", id, version - 1, version,
                    json_pack("{s:s,s:s,s:s}", "body", body_code, "kind", it.kind, "name", c.name),
                    e);
    if (rc == 0) {
        *changed = true;
        if (id_out)
            *id_out = id;
        if (version_out)
            *version_out = version;
    }
done:
    clean_fini(&c);
    store_body_item_fini(&old);
    return rc;
}

int store_body_item_save(struct store *s, const struct store_body_item_save *sv,
                         const struct store_actor *a, int64_t *id, int *version,
                         struct library_problems *pr, struct err *e)
{
    int64_t body_id = 0, new_id = 0;
    int new_version = 0;
    bool changed;
    int rc = write_begin(s, e, "saving a library item");
    if (rc < 0)
        return rc;
    if ((rc = body_of(s, sv->body, &body_id, e)) == 0 && (rc = may_write(s, a, body_id, e)) == 0)
        rc = save_one(s, body_id, sv->body, sv->id, true, sv->base_version, &sv->item, a, &new_id,
                      &new_version, &changed, pr, e);
    if (rc == 0)
        rc = write_commit(s, e, "saving a library item");
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    if (id)
        *id = new_id;
    if (version)
        *version = new_version;
    return 0;
}

/* The item's kind, pos and version, checked to be of the body. */
static int locate(struct store *s, int64_t body_id, const char *body_code, int64_t id,
                  char kind[16], int *pos, int *version, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc =
        stmt(s, "SELECT kind, pos, version FROM body_item WHERE id = ?1 AND body_id = ?2", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, body_id);
    rc = first_row(s, st, e, "changing the body's library",
                   "no library item with id %lld in "
                   "body '%s'",
                   (long long)id, body_code);
    if (rc == 0) {
        snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(st, 0));
        *pos = sqlite3_column_int(st, 1);
        *version = sqlite3_column_int(st, 2);
    }
    fin(st);
    return rc;
}

/* Deletes an item inside the caller's transaction; the items after it move up. */
static int delete_one(struct store *s, const char *body_code, int64_t body_id, int64_t id,
                      const char *kind, int pos, int version, const struct store_actor *a,
                      struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt(s, "DELETE FROM body_item WHERE id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = run(s, st, e, "deleting a library item")) < 0)
        return rc;
    if ((rc = stmt(s,
                   "UPDATE body_item SET pos = pos - 1 WHERE body_id = ?1 AND kind = ?2 AND "
                   "pos > ?3",
                   &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body_id);
    bind_str(st, 2, kind);
    sqlite3_bind_int(st, 3, pos);
    if ((rc = run(s, st, e, "deleting a library item")) < 0)
        return rc;
    return item_event(s, a, "library.delete", id, version, 0,
                      json_pack("{s:s,s:s}", "body", body_code, "kind", kind), e);
}

int store_body_item_delete(struct store *s, const char *body_code, int64_t id, int base_version,
                           const struct store_actor *a, struct err *e)
{
    int64_t body_id = 0;
    char kind[16];
    int pos = 0, version = 0;
    int rc = write_begin(s, e, "deleting a library item");
    if (rc < 0)
        return rc;
    if ((rc = body_of(s, body_code, &body_id, e)) == 0 && (rc = may_write(s, a, body_id, e)) == 0 &&
        (rc = locate(s, body_id, body_code, id, kind, &pos, &version, e)) == 0 &&
        version != base_version)
        rc = fail(s, e, ERR_CONFLICT,
                  "library item %lld was changed (version %d) after you "
                  "opened version %d; nothing was deleted",
                  (long long)id, version, base_version);
    if (rc == 0)
        rc = delete_one(s, body_code, body_id, id, kind, pos, version, a, e);
    if (rc == 0)
        rc = write_commit(s, e, "deleting a library item");
    if (rc < 0)
        rollback(s);
    return rc;
}

int store_body_item_move(struct store *s, const char *body_code, int64_t id, int delta,
                         const struct store_actor *a, bool *moved, struct err *e)
{
    if (delta != -1 && delta != 1)
        return fail(s, e, ERR_USAGE, "an item moves one place up (-1) or down (+1)");
    sqlite3_stmt *st = NULL;
    int64_t body_id = 0, other = 0;
    char kind[16];
    int pos = 0, version = 0;
    bool found = false;
    int rc = write_begin(s, e, "moving a library item");
    if (rc < 0)
        return rc;
    if ((rc = body_of(s, body_code, &body_id, e)) == 0 && (rc = may_write(s, a, body_id, e)) == 0 &&
        (rc = locate(s, body_id, body_code, id, kind, &pos, &version, e)) == 0 &&
        (rc = stmt(s, "SELECT id FROM body_item WHERE body_id = ?1 AND kind = ?2 AND pos = ?3", &st,
                   e)) == 0) {
        sqlite3_bind_int64(st, 1, body_id);
        bind_str(st, 2, kind);
        sqlite3_bind_int(st, 3, pos + delta);
        rc = one_int(s, st, &other, &found, e, "moving a library item");
    }
    if (rc == 0 && found &&
        (rc = stmt(s,
                   "UPDATE body_item SET pos = CASE id WHEN ?1 THEN ?3 ELSE ?4 END "
                   "WHERE id IN (?1, ?2)",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, other);
        sqlite3_bind_int(st, 3, pos + delta);
        sqlite3_bind_int(st, 4, pos);
        if ((rc = run(s, st, e, "moving a library item")) == 0)
            rc = item_event(s, a, "library.move", id, version, version,
                            json_pack("{s:s,s:s,s:i,s:i}", "body", body_code, "kind", kind, "from",
                                      pos, "to", pos + delta),
                            e);
    }
    if (rc == 0)
        rc = write_commit(s, e, "moving a library item");
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    if (moved)
        *moved = found;
    return 0;
}

/* ---- import ---- */

int store_body_items_import(struct store *s, const char *body_code, const struct library_item *v,
                            size_t n, bool replace, const struct store_actor *a,
                            struct store_library_counts *counts, size_t *bad,
                            struct library_problems *pr, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_library_counts cn = {0};
    struct store_body_item *old = NULL;
    size_t nold = 0;
    int64_t body_id = 0;
    int64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
    struct library_problems local = {0};
    if (!pr)
        pr = &local;
    void *out;
    int rc = write_begin(s, e, "importing a library");
    if (rc < 0)
        goto done;
    if ((rc = body_of(s, body_code, &body_id, e)) < 0 || (rc = may_write(s, a, body_id, e)) < 0)
        goto done;
    if ((rc = stmt(s,
                   "SELECT " ITEM_COLS "FROM body_item WHERE body_id = ?1 ORDER BY " KIND_ORDER
                   ", pos",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, body_id);
    if ((rc = collect(s, st, &item_rows, &out, &nold, e)) < 0)
        goto done;
    old = out;
    for (size_t i = 0; i < n; i++) {
        char *name = trim(v[i].name);
        int64_t id = 0;
        for (size_t j = 0; name && j < nold && !id; j++)
            if (v[i].kind && strcmp(old[j].kind, v[i].kind) == 0 && strcmp(old[j].name, name) == 0)
                id = old[j].id;
        bool dup = false;
        for (size_t j = 0; id && j < i; j++)
            dup = dup || ids[j] == id;
        for (size_t j = 0; !id && name && j < i && !dup; j++) {
            char *other = trim(v[j].name);
            dup = other && v[j].kind && v[i].kind && strcmp(v[j].kind, v[i].kind) == 0 &&
                  strcmp(other, name) == 0;
            free(other);
        }
        free(name);
        bool changed = false;
        if (dup) {
            library_problem(pr, "name", "To elementer af samme slags har samme navn.",
                            "name: an earlier item of this kind has this name");
            rc = problems_err(pr, ERR_CONFLICT, e);
        } else {
            rc = save_one(s, body_id, body_code, id, false, 0, &v[i], a, &ids[i], NULL, &changed,
                          pr, e);
        }
        if (rc < 0) {
            if (bad && pr->n)
                *bad = i;
            goto done;
        }
        if (!id)
            cn.added++;
        else if (changed)
            cn.changed++;
        else
            cn.unchanged++;
    }
    if (replace) {
        for (size_t j = 0; j < nold; j++) {
            bool kept = false;
            for (size_t i = 0; i < n && !kept; i++)
                kept = ids[i] == old[j].id;
            if (kept)
                continue;
            /* Its current place: earlier deletes of its kind moved it up. */
            int pos = old[j].pos;
            for (size_t k = 0; k < j; k++)
                if (strcmp(old[k].kind, old[j].kind) == 0 && old[k].pos < old[j].pos &&
                    old[k].id == 0)
                    pos--;
            if ((rc = delete_one(s, body_code, body_id, old[j].id, old[j].kind, pos, old[j].version,
                                 a, e)) < 0)
                goto done;
            old[j].id = 0; /* deleted */
            cn.deleted++;
        }
        /* Each kind in the file's order. */
        for (size_t k = 0; k < 3; k++) {
            int pos = 0;
            for (size_t i = 0; i < n; i++) {
                if (!v[i].kind || strcmp(v[i].kind, library_kinds[k]) != 0)
                    continue;
                if ((rc = stmt(s, "UPDATE body_item SET pos = ?2 WHERE id = ?1", &st, e)) < 0)
                    goto done;
                sqlite3_bind_int64(st, 1, ids[i]);
                sqlite3_bind_int(st, 2, ++pos);
                if ((rc = run(s, st, e, "importing a library")) < 0)
                    goto done;
            }
        }
    }
    rc = write_commit(s, e, "importing a library");
done:
    if (rc < 0)
        rollback(s);
    else if (counts)
        *counts = cn;
    store_body_items_free(old, nold);
    free(ids);
    return rc;
}
