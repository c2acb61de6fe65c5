/* sqlite_import_meeting: importing a whole-meeting document on SQLite (one transaction, with
 * its ledger events): the meeting, its attendance, one case per item, the document's bytes as
 * the meeting's source; and the case parts only such documents give (own guests, case
 * numbers, named sections, the reservations of a lenient import). Schema 006. */
#include "store_sqlite.h"
#include "../util/pack.h" /* issue 11, storage */
#include "../format/format.h"
#include "../model/meeting_doc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the case parts of schema 006, for every write and read of a case ---- */

static int person(struct store *s, const char *name, int64_t *id, struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s, "SELECT id FROM person WHERE name = ?1 /* 006 */", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, name ? name : "");
    if ((rc = one_int(s, st, id, &found, e, "storing a person")) < 0 || found)
        return rc;
    if ((rc = stmt(s, "INSERT INTO person (name) VALUES (?1) /* 006 */", &st, e)) < 0)
        return rc;
    bind_str(st, 1, name ? name : "");
    return insert(s, st, id, e, "storing a person");
}

int put_case_parts(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    static const char *const dels[] = {"DELETE FROM case_guest WHERE case_id = ?1",
                                       "DELETE FROM case_ref WHERE case_id = ?1",
                                       "DELETE FROM case_section WHERE case_id = ?1"};
    sqlite3_stmt *st;
    int rc = 0;
    for (size_t i = 0; i < sizeof dels / sizeof dels[0] && rc == 0; i++) {
        if ((rc = stmt(s, dels[i], &st, e)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "replacing the case");
    }
    for (size_t i = 0; i < c->nguests && rc == 0; i++) {
        int64_t pid;
        if ((rc = person(s, c->guests[i].name, &pid, e)) < 0 ||
            (rc = stmt(s, "INSERT INTO case_guest (case_id, pos, person_id, role) "
                          "VALUES (?1, ?2, ?3, ?4)", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, pid);
        bind_str(st, 4, c->guests[i].role);
        rc = run(s, st, e, "storing the case's guests");
    }
    for (size_t i = 0; i < c->nrefs && rc == 0; i++) {
        if ((rc = stmt(s, "INSERT INTO case_ref (case_id, pos, kind, value) "
                          "VALUES (?1, ?2, ?3, ?4)", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, c->refs[i].kind ? c->refs[i].kind : "");
        bind_str(st, 4, c->refs[i].value ? c->refs[i].value : "");
        rc = run(s, st, e, "storing the case numbers");
    }
    for (size_t i = 0; i < c->nsections && rc == 0; i++) {
        if ((rc = stmt(s, "INSERT INTO case_section (case_id, pos, name, text) "
                          "VALUES (?1, ?2, ?3, ?4)", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, c->sections[i].name ? c->sections[i].name : "");
        bind_str(st, 4, c->sections[i].text);
        rc = run(s, st, e, "storing the case's sections");
    }
    return rc;
}

int load_case_parts(struct store *s, int64_t case_id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s, "SELECT p.name, g.role FROM case_guest g JOIN person p ON p.id = g.person_id "
                     "WHERE g.case_id = ?1 ORDER BY g.pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    while ((rc = next_row(s, st, &row, e, "reading the case's guests")) == 0 && row) {
        struct guest *g = case_add_guest(c);
        g->name = col_str(st, 0);
        g->role = col_str(st, 1);
    }
    fin(st);
    if (rc == 0 && (rc = stmt(s, "SELECT kind, value FROM case_ref WHERE case_id = ?1 "
                                 "ORDER BY pos", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        while ((rc = next_row(s, st, &row, e, "reading the case numbers")) == 0 && row) {
            struct ref *r = case_add_ref(c);
            r->kind = col_str(st, 0);
            r->value = col_str(st, 1);
        }
        fin(st);
    }
    if (rc == 0 && (rc = stmt(s, "SELECT name, text FROM case_section WHERE case_id = ?1 "
                                 "ORDER BY pos", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        while ((rc = next_row(s, st, &row, e, "reading the case's sections")) == 0 && row) {
            struct section *x = case_add_section(c);
            x->name = col_str(st, 0);
            x->text = col_str(st, 1);
        }
        fin(st);
    }
    return rc;
}

/* ---- importing a meeting document ---- */

/* The body the document names: by name, else one known only by the code its name has. */
static int body_of(struct store *s, const char *name, int64_t *id, struct err *e)
{
    sqlite3_stmt *st;
    bool found;
    int rc = stmt(s, "SELECT id FROM body WHERE name = ?1 /* meeting import */", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, name);
    if ((rc = one_int(s, st, id, &found, e, "storing a body")) < 0 || found)
        return rc;
    const char *code = store_known_code(name) ? store_known_code(name) : name;
    if ((rc = stmt(s, "SELECT id FROM body WHERE code = ?1 AND name IS NULL LIMIT 1 "
                      "/* meeting import */", &st, e)) < 0)
        return rc;
    bind_str(st, 1, code);
    if ((rc = one_int(s, st, id, &found, e, "storing a body")) < 0)
        return rc;
    if (found) {
        if ((rc = stmt(s, "UPDATE body SET name = ?2 WHERE id = ?1", &st, e)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, *id);
        bind_str(st, 2, name);
        return run(s, st, e, "storing a body");
    }
    if ((rc = stmt(s, "INSERT INTO body (code, name) VALUES (?1, ?2) /* meeting import */", &st,
                   e)) < 0)
        return rc;
    bind_str(st, 1, code);
    bind_str(st, 2, name);
    return insert(s, st, id, e, "storing a body");
}

/* The meeting of the body on the date (one known from imported minutes, made if need be);
 * ERR_CONFLICT for one written in referat, whose minutes are not replaced by an import. */
static int meeting_of(struct store *s, int64_t body, const struct meeting *m, int64_t *id,
                      struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s, "SELECT id, authored FROM meeting WHERE body_id = ?1 AND date = ?2 "
                     "ORDER BY authored, id LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, body);
    bind_str(st, 2, m->date);
    bool authored = false;
    *id = 0;
    if ((rc = next_row(s, st, &row, e, "storing a meeting")) == 0 && row) {
        *id = sqlite3_column_int64(st, 0);
        authored = sqlite3_column_int(st, 1) != 0;
    }
    fin(st);
    if (rc < 0)
        return rc;
    if (authored)
        return fail(s, e, ERR_CONFLICT, "meeting %lld on %s was written in referat; its minutes "
                    "are kept there, not imported", (long long)*id, m->date);
    if (!*id) {
        if ((rc = stmt(s, "INSERT INTO meeting (body_id, date, state, published, authored, "
                          "version) VALUES (?1, ?2, 'offentliggjort', 1, 0, 1) "
                          "/* meeting import */", &st, e)) < 0)
            return rc;
        sqlite3_bind_int64(st, 1, body);
        bind_str(st, 2, m->date);
        if ((rc = insert(s, st, id, e, "storing a meeting")) < 0)
            return rc;
    }
    if ((rc = stmt(s, "UPDATE meeting SET start = coalesce(?2, start), \"end\" = coalesce(?3, "
                      "\"end\"), place = coalesce(?4, place) WHERE id = ?1", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, *id);
    bind_str(st, 2, m->start);
    bind_str(st, 3, m->end);
    bind_str(st, 4, m->place);
    if ((rc = run(s, st, e, "storing a meeting")) < 0)
        return rc;
    if (!m->nattendees)
        return 0;
    if ((rc = stmt(s, "DELETE FROM attendance WHERE meeting_id = ?1", &st, e)) < 0)
        return rc;
    sqlite3_bind_int64(st, 1, *id);
    if ((rc = run(s, st, e, "storing the attendance")) < 0)
        return rc;
    for (size_t i = 0; i < m->nattendees && rc == 0; i++) {
        const struct attendee *a = &m->attendees[i];
        if ((rc = stmt(s, "INSERT INTO attendance (meeting_id, pos, name, role, status, "
                          "substitute, remark) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_str(st, 3, a->name);
        bind_str(st, 4, a->role);
        bind_str(st, 5, attendee_status_name((int)a->status));
        bind_str(st, 6, a->substitute);
        bind_str(st, 7, a->remark);
        rc = run(s, st, e, "storing the attendance");
    }
    return rc;
}

/* The case key of an item: the document's key and the item's number ("…-pkt-131"), or its
 * place on the agenda when it has none. */
static char *item_key(const char *key, const struct meeting_item *it, size_t pos)
{
    struct buf b = BUF_INIT;
    if (it->number)
        buf_printf(&b, "%s-pkt-%s", key, it->number);
    else
        buf_printf(&b, "%s-nr-%zu", key, pos + 1);
    return buf_detach(&b);
}

struct doc_ctx {
    struct store *s;
    const struct store_meeting_doc *d;
    const struct store_actor *actor;
    int64_t meeting_id, body_id;
    char *key;
    size_t imported, updated;
};

static int put_caveats(struct store *s, int64_t case_id, const struct warnings *w,
                       struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "DELETE FROM case_caveat WHERE case_id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = run(s, st, e, "storing the reservations")) < 0)
        return rc;
    for (size_t i = 0; w && i < w->n && rc == 0; i++) {
        if ((rc = stmt(s, "INSERT INTO case_caveat (case_id, pos, line, col, message) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, w->v[i].line);
        sqlite3_bind_int64(st, 4, w->v[i].col);
        bind_str(st, 5, w->v[i].msg);
        rc = run(s, st, e, "storing the reservations");
    }
    return rc;
}

static int put_item(struct doc_ctx *x, size_t pos, int64_t *case_id_out, struct err *e)
{
    struct store *s = x->s;
    const struct meeting_item *it = &x->d->model->items[pos];
    const struct case_doc *c = it->c;
    char *key = item_key(x->key, it, pos);
    int64_t case_id = 0, version = 0, event_id = 0;
    bool found = false, authored = false;
    struct store_followup_match *old = NULL;
    size_t nold = 0;
    sqlite3_stmt *st;
    char *detail = NULL;
    struct buf json = BUF_INIT;
    int rc = stmt(s, "SELECT id, version, authored FROM \"case\" WHERE key = ?1 "
                     "/* meeting import */", &st, e);
    if (rc < 0)
        goto done;
    bind_str(st, 1, key);
    bool row;
    if ((rc = next_row(s, st, &row, e, "looking up the case")) == 0 && row) {
        found = true;
        case_id = sqlite3_column_int64(st, 0);
        version = sqlite3_column_int64(st, 1);
        authored = sqlite3_column_int(st, 2) != 0;
    }
    fin(st);
    if (rc < 0)
        goto done;
    if (authored) {
        rc = fail(s, e, ERR_CONFLICT, "case %lld with key '%s' was written in referat, not "
                  "imported; rename the document to import it", (long long)case_id, key);
        goto done;
    }
    if (found && (rc = clear_case(s, case_id, &old, &nold, e)) < 0)
        goto done;
    if ((rc = case_row_write(s, &case_id, key, (int)version + 1, c, e)) < 0)
        goto done;
    {
        char object[40];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        json_t *o = json_pack("{s:s,s:s,s:s,s:s?}", "name", x->d->name, "format", x->d->format,
                              "outcome", found ? "updated" : "imported", "item", it->number);
        detail = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        struct event ev = {.action = "case.import", .object = object, .before = (int)version,
                           .after = (int)version + 1, .detail = detail};
        if ((rc = ledger_append(s, x->actor, &ev, &event_id, e)) < 0)
            goto done;
    }
    /* The item's own source is its model as JSON: the document's bytes, which hold every
     * item (closed ones too), are the meeting's source. */
    fmt_write(&fmt_write_json, c, FMT_NOLAYOUT, &json);
    char tools[80], name[600];
    snprintf(name, sizeof name, "%s#%s", x->d->name, it->number ? it->number : "-");
    if ((rc = put_source(s, case_id, (int)version + 1, name, "json", buf_cstr(&json), json.len,
                         actor_name(x->actor, tools), event_id, e)) < 0)
        goto done;
    if ((rc = put_case(s, case_id, c, old, nold, e)) < 0)
        goto done;
    /* A case that was not decided (an agenda) belongs to the meeting's body and date. */
    if ((rc = stmt(s, "UPDATE \"case\" SET body_id = coalesce(body_id, ?2), date = coalesce(date, "
                      "?3) WHERE id = ?1", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, x->body_id);
    bind_str(st, 3, x->d->model->meeting->date);
    if ((rc = run(s, st, e, "storing the case")) < 0)
        goto done;
    /* On the agenda of its meeting, in item order, and of every meeting that decided it. */
    if ((rc = stmt(s, "INSERT OR IGNORE INTO agenda (meeting_id, pos, case_id) VALUES (?1, "
                      "(SELECT coalesce(max(pos) + 1, 0) FROM agenda WHERE meeting_id = ?1), ?2)",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, x->meeting_id);
    sqlite3_bind_int64(st, 2, case_id);
    if ((rc = run(s, st, e, "storing the agenda")) < 0)
        goto done;
    if ((rc = stmt(s, "INSERT OR IGNORE INTO agenda (meeting_id, pos, case_id) "
                      "SELECT d.meeting_id, (SELECT coalesce(max(pos) + 1, 0) FROM agenda a "
                      "WHERE a.meeting_id = d.meeting_id), ?1 FROM decision d WHERE d.case_id = ?1 "
                      "AND d.meeting_id IS NOT NULL GROUP BY d.meeting_id ORDER BY min(d.pos)",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = run(s, st, e, "storing the agenda")) < 0)
        goto done;
    if ((rc = stmt(s, "INSERT INTO meeting_item (meeting_id, pos, number, kind, case_id) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, x->meeting_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)pos);
    bind_str(st, 3, it->number);
    bind_str(st, 4, it->kind);
    sqlite3_bind_int64(st, 5, case_id);
    if ((rc = run(s, st, e, "storing the meeting's items")) < 0)
        goto done;
    if ((rc = put_caveats(s, case_id, x->d->caveats, e)) < 0)
        goto done;
    if ((rc = case_bodies_update(s, case_id, e)) < 0)
        goto done;
    rc = index_case(s, case_id, c, e);
    if (rc == 0) {
        x->imported += !found;
        x->updated += found;
        *case_id_out = case_id;
    }
done:
    free(detail);
    free(key);
    buf_free(&json);
    store_followup_matches_free(old, nold);
    return rc;
}

int store_import_meeting(struct store *s, const struct store_meeting_doc *d,
                         const struct store_actor *actor, enum store_outcome *outcome,
                         int64_t *meeting_id, struct err *e)
{
    const struct meeting_doc *m = d->model;
    struct doc_ctx x = {.s = s, .d = d, .actor = actor, .key = store_key(d->name)};
    char hash[65];
    char *detail = NULL;
    sqlite3_stmt *st;
    enum store_outcome result = STORE_IMPORTED;
    int version = 0;
    store_hash(d->bytes, d->len, hash);
    int rc = 0;
    if (!m->body || !m->meeting->date) {
        rc = fail(s, e, ERR_USAGE, "the document names no %s: the archive files minutes under "
                  "their board and date", !m->body ? "board" : "date");
        goto done;
    }
    if ((rc = write_begin(s, e, "starting an import")) < 0)
        goto done;
    /* The same bytes as this document's latest source: nothing to do. */
    if ((rc = stmt(s, "SELECT hash, meeting_id FROM meeting_source WHERE key = ?1 "
                      "ORDER BY id DESC LIMIT 1", &st, e)) < 0)
        goto done;
    bind_str(st, 1, x.key);
    bool row, same = false;
    if ((rc = next_row(s, st, &row, e, "looking up the meeting")) == 0 && row &&
        (same = store_unchanged((const char *)sqlite3_column_text(st, 0), hash)))
        x.meeting_id = sqlite3_column_int64(st, 1);
    fin(st);
    if (rc < 0)
        goto done;
    if (same) {
        result = STORE_UNCHANGED;
        rollback(s);
        goto out;
    }
    if ((rc = body_of(s, m->body, &x.body_id, e)) < 0 ||
        (rc = meeting_of(s, x.body_id, m->meeting, &x.meeting_id, e)) < 0)
        goto done;
    if ((rc = stmt(s, "SELECT coalesce(max(version), 0) FROM meeting_source WHERE meeting_id = ?1",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, x.meeting_id);
    {
        int64_t v = 0;
        bool found;
        if ((rc = one_int(s, st, &v, &found, e, "looking up the meeting")) < 0)
            goto done;
        version = (int)v;
    }
    if (version)
        result = STORE_UPDATED;
    if ((rc = stmt(s, "DELETE FROM meeting_item WHERE meeting_id = ?1", &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, x.meeting_id);
    if ((rc = run(s, st, e, "replacing the meeting's items")) < 0)
        goto done;
    for (size_t i = 0; i < m->nitems; i++) {
        int64_t cid;
        if ((rc = put_item(&x, i, &cid, e)) < 0)
            goto done;
    }
    char object[40], tools[80], now[21];
    snprintf(object, sizeof object, "meeting:%lld", (long long)x.meeting_id);
    json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:b}", "name", d->name, "format", d->format,
                          "outcome", version ? "updated" : "imported", "items",
                          (json_int_t)m->nitems, "caveats", d->caveats && d->caveats->n);
    detail = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    struct event ev = {.action = "meeting.import", .object = object, .before = version,
                       .after = version + 1, .detail = detail};
    int64_t event_id;
    if ((rc = ledger_append(s, actor, &ev, &event_id, e)) < 0)
        goto done;
    store_now(now);
    if ((rc = stmt(s, "INSERT INTO meeting_source (meeting_id, version, key, name, format, hash, "
                      "size, bytes, imported_at, actor, event_id, packed) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", &st, e)) < 0)
        goto done;
    struct buf z = BUF_INIT; /* ---- issue 11, storage: deflated when smaller ---- */
    bool packed = pack_deflate(d->bytes, d->len, &z);
    sqlite3_bind_int64(st, 1, x.meeting_id);
    sqlite3_bind_int(st, 2, version + 1);
    bind_str(st, 3, x.key);
    bind_str(st, 4, d->name);
    bind_str(st, 5, d->format);
    bind_str(st, 6, hash);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)d->len);
    if (packed)
        sqlite3_bind_blob64(st, 8, z.ptr, z.len, SQLITE_STATIC);
    else
        sqlite3_bind_blob64(st, 8, d->len ? d->bytes : "", d->len, SQLITE_STATIC);
    bind_str(st, 9, now);
    bind_str(st, 10, actor_name(actor, tools));
    sqlite3_bind_int64(st, 11, event_id);
    sqlite3_bind_int(st, 12, packed);
    rc = run(s, st, e, "storing the document");
    buf_free(&z); /* ---- end issue 11, storage ---- */
    if (rc < 0)
        goto done;
    rc = write_commit(s, e, "committing the import");
done:
    if (rc < 0) {
        rollback(s);
        goto end;
    }
out:
    if (outcome)
        *outcome = result;
    if (meeting_id)
        *meeting_id = x.meeting_id;
end:
    free(detail);
    free(x.key);
    return rc;
}

int store_meeting_source_get(struct store *s, int64_t meeting_id, int version,
                             const struct reader *r, struct store_source *out, struct err *e)
{
    sqlite3_stmt *st = NULL;
    struct store_source src = {0};
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = stmt(s, "SELECT ms.id, ms.version, ms.name, ms.format, ms.hash, ms.imported_at, "
                     "ms.bytes, ms.actor, reader_all(?3) OR reader_has(?3, m.body_id), "
                     /* ---- issue 11, storage: columns 10, 11 ---- */
                     "NOT EXISTS (SELECT 1 FROM meeting_item mi JOIN \"case\" c ON c.id = "
                     "mi.case_id WHERE mi.meeting_id = m.id AND NOT (c.public AND c.published)), "
                     "ms.packed, ms.size FROM meeting_source ms JOIN meeting m ON m.id = ms.meeting_id "
                     "WHERE ms.meeting_id = ?1 AND (?2 <= 0 OR ms.version = ?2) "
                     "ORDER BY ms.version DESC LIMIT 1", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, meeting_id);
        sqlite3_bind_int(st, 2, version);
        bind_reader(st, 3, r);
        rc = first_row(s, st, e, "reading a meeting's document", "no document of meeting %lld",
                       (long long)meeting_id);
        /* The document holds every item, closed ones too: whole only to the board's
         * readers, or when every item is open and published. */
        if (rc == 0 && !sqlite3_column_int(st, 8) && !sqlite3_column_int(st, 9))
            rc = fail(s, e, ERR_CLOSED, "the meeting's document holds closed content");
        if (rc == 0) {
            src.id = sqlite3_column_int64(st, 0);
            src.version = sqlite3_column_int(st, 1);
            src.name = col_str(st, 2);
            src.format = col_str(st, 3);
            src.hash = col_str(st, 4);
            src.imported_at = col_str(st, 5);
            src.bytes = col_source(st, 6, 10, 11, &src.len); /* issue 11, storage */
            src.actor = col_str(st, 7);
            if (!src.bytes)
                rc = fail(s, e, ERR_DB, "meeting %lld: its document does not unpack (a damaged "
                                        "archive; run `referat db check`)", (long long)meeting_id);
        }
        fin(st);
    }
    read_end(s);
    if (rc < 0) {
        store_source_fini(&src);
        return rc;
    }
    *out = src;
    return 0;
}

int store_case_caveats(struct store *s, int64_t case_id, const struct reader *r,
                       char ***msgs, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t nv = 0, cap = 0;
    bool row;
    int rc = read_begin(s, e);
    if (rc == 0)
        rc = stmt(s, "SELECT k.line, k.col, k.message FROM case_caveat k JOIN \"case\" c ON "
                     "c.id = k.case_id WHERE k.case_id = ?1 AND " SEES_CASE("c", "?2")
                     " ORDER BY k.pos", &st, e);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        bind_reader(st, 2, r);
        while ((rc = next_row(s, st, &row, e, "reading the reservations")) == 0 && row) {
            v = grow(v, nv, &cap, sizeof *v);
            struct buf b = BUF_INIT;
            if (sqlite3_column_int(st, 0))
                buf_printf(&b, "%d:%d: ", sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
            buf_puts(&b, (const char *)sqlite3_column_text(st, 2));
            v[nv++] = buf_detach(&b);
        }
        fin(st);
    }
    read_end(s);
    if (rc < 0) {
        store_problems_free(v, nv);
        return rc;
    }
    *msgs = v;
    *n = nv;
    return 0;
}

int store_case_caveats_clear(struct store *s, int64_t case_id, const struct store_actor *a,
                      struct err *e)
{
    sqlite3_stmt *st;
    int64_t body = 0;
    bool found;
    int rc = write_begin(s, e, "reviewing a case");
    if (rc < 0)
        return rc;
    if ((rc = stmt(s, "SELECT coalesce(body_id, 0) FROM \"case\" WHERE id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        if ((rc = one_int(s, st, &body, &found, e, "reviewing a case")) == 0 && !found)
            rc = notfound(s, e, "no case with id %lld", (long long)case_id);
    }
    if (rc == 0 && !(actor_roles(a, body) & ROLE_SEKRETAER))
        rc = fail(s, e, ERR_DENIED, "reviewing case %lld needs the role sekretaer on its body",
                  (long long)case_id);
    if (rc == 0 && (rc = stmt(s, "DELETE FROM case_caveat WHERE case_id = ?1", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, case_id);
        rc = run(s, st, e, "reviewing a case");
    }
    /* Nothing to review (none, or reviewed already): nothing changes, no event. */
    if (rc == 0 && sqlite3_changes(s->db) == 0) {
        rollback(s);
        return 0;
    }
    if (rc == 0) {
        char object[40];
        snprintf(object, sizeof object, "case:%lld", (long long)case_id);
        struct event ev = {.action = "case.caveats_cleared", .object = object};
        rc = ledger_append(s, a, &ev, NULL, e);
    }
    if (rc == 0)
        return write_commit(s, e, "reviewing a case");
    rollback(s);
    return rc;
}
