/* index: the search tables and the indexing of one case (rows per part, audience, markers). */
#include "search.h"
#include "search_int.h"
#include "sdg_filter.h" /* issue 10, sdg */

/* What a reader accepts, the index must number (the limit in case.h is this one). */
_Static_assert(CASE_MAX_SUBITEMS <= SEARCH_MAX_SUBITEMS, "CASE_MAX_SUBITEMS exceeds the rowid bits");

#include "../util/pack.h" /* issue 11, storage */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct search_names search_names[SEARCH_NTABLES] = {
    [SEARCH_PUBLIC] = {"search_public", "search_public_text", "search_public_entries",
                       "search_public_term", "search_public_vocab"},
    [SEARCH_CLOSED] = {"search_closed", "search_closed_text", "search_closed_entries",
                       "search_closed_term", "search_closed_vocab"},
};

/* The rank of raw queries (bm25 with the column weights) is for debugging only: search_query
 * ranks with referat_rank.
 * ---- issue 11, storage (schema 12): the FTS5 tables are contentless (content = ''): FTS5
 * keeps no copy of the rows; search_<table>_text keeps them instead, one row per case and
 * table, its rows' texts deflated together (search_text_*, below), id the highest rowid of
 * the case's rows in that table (so max(id) is the table's highest rowid, as the content
 * table's was). A row leaves the index by FTS5's 'delete' with the values it was indexed with,
 * read back from there. ---- */
#define TABLES(t, extra, textcols)                                                                 \
    "CREATE VIRTUAL TABLE search_" t " USING fts5(\n"                                              \
    "    date UNINDEXED, body UNINDEXED, title, decision, presentation, bilag, meta" extra ",\n"   \
    "    tokenize = 'danish', content = '');\n"                                                    \
    "CREATE TABLE search_" t "_text (id INTEGER PRIMARY KEY, date TEXT, body TEXT" textcols ",\n"  \
    "    packed INTEGER NOT NULL, size INTEGER NOT NULL, rows BLOB NOT NULL);\n"                   \
    "INSERT INTO search_" t "(search_" t ", rank) VALUES ('rank', 'bm25(0, 0, 10, 4, 1, 1, 0)');\n"\
    "CREATE VIRTUAL TABLE search_" t "_entries USING fts5vocab(search_" t ", 'instance');\n"       \
    "CREATE TABLE search_" t "_term (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);\n"        \
    "CREATE VIRTUAL TABLE search_" t "_vocab USING fts5(term, content = 'search_" t "_term',\n"    \
    "    content_rowid = 'id', tokenize = 'trigram');\n"

/* Where each case's rows are (its key: day and id, see search_int.h), to remove them when the
 * date has changed. */
#define DOC "CREATE TABLE search_doc (case_id INTEGER PRIMARY KEY, key INTEGER NOT NULL);\n"

static const char schema[] =
    TABLES("public", "", "") TABLES("closed", ", bodies UNINDEXED", ", bodies TEXT") DOC;

#define DROP(t)                                                                                    \
    "DROP TABLE IF EXISTS search_" t ";\n"                                                         \
    "DROP TABLE IF EXISTS search_" t "_text;\n"                                                    \
    "DROP TABLE IF EXISTS search_" t "_entries;\n"                                                 \
    "DROP TABLE IF EXISTS search_" t "_vocab;\n"                                                   \
    "DROP TABLE IF EXISTS search_" t "_term;\n"

/* Schema 2 had one table for both audiences (search_word) and one vocabulary; schema 4 the
 * case id on top of the rowid and no bilag column; schema 8 to 10 FTS5 tables with content. */
static const char upgrade[] = "DROP TABLE IF EXISTS search_word;\n"
                              "DROP TABLE IF EXISTS search_vocab;\n"
                              "DROP TABLE IF EXISTS search_term;\n"
                              "DROP TABLE IF EXISTS search_doc;\n" DROP("public") DROP("closed")
                                  TABLES("public", "", "")
                                      TABLES("closed", ", bodies UNINDEXED", ", bodies TEXT") DOC;

const char *search_schema_sql(void)
{
    return schema;
}

const char *search_upgrade_sql(void)
{
    return upgrade;
}

/* Appends a paragraph; control characters become spaces, so that indexed text can never
 * begin with one of the tokenizer's marker bytes. */
static void put_par(struct buf *b, const char *s)
{
    if (!s || !*s)
        return;
    if (b->len)
        buf_puts(b, "\n\n");
    size_t start = b->len;
    buf_puts(b, s);
    for (size_t i = start; i < b->len; i++) {
        unsigned char c = (unsigned char)b->ptr[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            b->ptr[i] = ' ';
    }
}

struct row {
    struct buf title, decision, presentation, bilag;
};

static void row_reset(struct row *r)
{
    buf_truncate(&r->title, 0);
    buf_truncate(&r->decision, 0);
    buf_truncate(&r->presentation, 0);
    buf_truncate(&r->bilag, 0);
}

static void row_fini(struct row *r)
{
    buf_free(&r->title);
    buf_free(&r->decision);
    buf_free(&r->presentation);
    buf_free(&r->bilag);
}

static bool entry_of_case(const struct case_doc *c, const struct entry *en)
{
    return en->subitem == 0 || en->subitem > c->nsubitems;
}

/* The case as a whole: its title, the decisions' texts and the entries that belong to no
 * sub-item, the rest (presentation, intro, recommendation, and a meeting document's sections,
 * case numbers and guests), and its bilag: each attachment's title, journal number
 * ("122962/23") and document number ("3553435"). */
static void case_row(const struct case_doc *c, struct row *r)
{
    put_par(&r->title, c->title);
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        put_par(&r->decision, d->text);
        for (size_t k = 0; k < d->nentries; k++) {
            if (!entry_of_case(c, &d->entries[k]))
                continue;
            put_par(&r->decision, d->entries[k].title);
            put_par(&r->decision, d->entries[k].text);
        }
    }
    put_par(&r->presentation, c->presentation);
    put_par(&r->presentation, c->intro);
    put_par(&r->presentation, c->recommendation);
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        put_par(&r->bilag, a->title);
        if (a->journal && strcmp(a->journal, "0") != 0)
            put_par(&r->bilag, a->journal);
        put_par(&r->bilag, a->document);
    }
    /* What meeting documents give beyond the model's fields: found like the rest. */
    for (size_t i = 0; i < c->nsections; i++) {
        put_par(&r->presentation, c->sections[i].name);
        put_par(&r->presentation, c->sections[i].text);
    }
    for (size_t i = 0; i < c->nrefs; i++)
        put_par(&r->presentation, c->refs[i].value);
    for (size_t i = 0; i < c->nguests; i++)
        put_par(&r->presentation, c->guests[i].name);
}

/* Sub-item n (1-based): its title, the decision entries about it, its text. */
static void subitem_row(const struct case_doc *c, size_t n, struct row *r)
{
    const struct subitem *s = &c->subitems[n - 1];
    put_par(&r->title, s->title);
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        for (size_t k = 0; k < d->nentries; k++) {
            const struct entry *en = &d->entries[k];
            if (en->subitem != n)
                continue;
            if (!s->title || !en->title || strcmp(s->title, en->title) != 0)
                put_par(&r->decision, en->title);
            put_par(&r->decision, en->text);
        }
    }
    put_par(&r->presentation, s->text);
}

static void bind_buf(sqlite3_stmt *st, int i, const struct buf *b)
{
    if (b->len)
        sqlite3_bind_text(st, i, b->ptr, (int)b->len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static int count_token(void *ud, const char *tok, int len, int start, int end)
{
    (void)tok;
    (void)len;
    (void)start;
    (void)end;
    (*(size_t *)ud)++;
    return 0;
}

static size_t ntokens(struct search_ctx *ctx, const struct row *r)
{
    size_t n = 0;
    const struct buf *col[] = {&r->title, &r->decision, &r->presentation, &r->bilag};
    for (size_t i = 0; i < 4; i++)
        if (col[i]->len)
            search_tokenize(ctx, col[i]->ptr, (int)col[i]->len, false, count_token, &n);
    return n;
}

/* ---- issue 11, storage: the rows' texts of one case, as search_<table>_text keeps them ----
 * Each row: its rowid (8 bytes, little-endian), then title, decision, presentation, bilag
 * and meta, each as its length (4 bytes, little-endian), its bytes and a NUL (so that a
 * decoded field is a C string); a field of length 0 was indexed as NULL. */
static void put_le(struct buf *b, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        buf_putc(b, (char)(v >> (8 * i) & 0xff));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void put_field(struct buf *b, const struct buf *f)
{
    put_le(b, f->len, 4);
    buf_put(b, f->ptr ? f->ptr : "", f->len);
    buf_putc(b, '\0');
}

bool search_text_next(const struct search_text *x, size_t *pos, struct search_row *r)
{
    const unsigned char *p = (const unsigned char *)x->raw;
    size_t at = *pos;
    if (at + 8 > x->len)
        return false;
    r->rowid = (int64_t)get_le(p + at, 8);
    at += 8;
    for (int i = 0; i < SEARCH_TEXT_COLS; i++) {
        if (at + 4 > x->len)
            return false;
        size_t n = (size_t)get_le(p + at, 4);
        at += 4;
        if (n + 1 > x->len - at)
            return false;
        r->col[i] = n ? x->raw + at : NULL;
        r->len[i] = n;
        at += n + 1;
    }
    *pos = at;
    return true;
}

int search_text_prepare(sqlite3 *db, enum search_table t, sqlite3_stmt **st)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT date, body, packed, size, rows%s FROM %s WHERE id BETWEEN ?1 AND ?2",
             t == SEARCH_CLOSED ? ", bodies" : "", search_names[t].content);
    return sqlite3_prepare_v2(db, sql, -1, st, NULL);
}

/* Reads the current row of st (search_text_prepare's) into x. */
static int text_row(sqlite3_stmt *st, struct search_text *x)
{
    const void *z = sqlite3_column_blob(st, 4);
    size_t n = (size_t)sqlite3_column_bytes(st, 4);
    size_t size = (size_t)sqlite3_column_int64(st, 3);
    const char *d = (const char *)sqlite3_column_text(st, 0);
    const char *b = (const char *)sqlite3_column_text(st, 1);
    const char *bo = sqlite3_column_count(st) > 5 ? (const char *)sqlite3_column_text(st, 5) : NULL;
    x->date = d ? xstrdup(d) : NULL;
    x->body = b ? xstrdup(b) : NULL;
    x->bodies = bo ? xstrdup(bo) : NULL;
    if (sqlite3_column_int(st, 2)) {
        x->raw = pack_inflate(z, n, size);
        x->len = x->raw ? size : 0;
    } else {
        x->raw = xmalloc(n + 1);
        if (n)
            memcpy(x->raw, z, n);
        x->raw[n] = '\0';
        x->len = n;
    }
    return x->raw ? 1 : -2;
}

int search_text_read(sqlite3_stmt *st, int64_t key, struct search_text *x)
{
    int64_t lo = key << SEARCH_CASE_SHIFT;
    memset(x, 0, sizeof *x);
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, lo | (((int64_t)1 << SEARCH_CASE_SHIFT) - 1));
    int step = sqlite3_step(st);
    int rc = step == SQLITE_ROW ? text_row(st, x) : step == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

void search_text_fini(struct search_text *x)
{
    free(x->date);
    free(x->body);
    free(x->bodies);
    free(x->raw);
    memset(x, 0, sizeof *x);
}
/* ---- end issue 11, storage ---- */

/* Inserts the rows of view v (the case, then each sub-item) as `part`. bodies: NULL, or the
 * text of the closed index's bodies column. Each row is added to rows (its rowid and texts,
 * as search_text_next reads them), the highest rowid to *top. */
static int insert_view(sqlite3 *db, struct search_ctx *ctx, sqlite3_stmt *st,
                       const struct search_meta *m, const struct buf *meta, const char *bodies,
                       const struct case_doc *v, int part, struct buf *rows, int64_t *top,
                       struct err *e)
{
    int64_t day = search_day(m->date, false);
    struct row r = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
    int rc = 0;
    for (size_t n = 0; n <= v->nsubitems; n++) {
        row_reset(&r);
        if (n == 0)
            case_row(v, &r);
        else
            subitem_row(v, n, &r);
        if (!r.title.len && !r.decision.len && !r.presentation.len && !r.bilag.len && n > 0)
            continue;
        unsigned len = search_len_code(ntokens(ctx, &r));
        int64_t rowid = search_rowid(day, m->case_id, n, len, part);
        sqlite3_bind_int64(st, 1, rowid);
        bind_opt(st, 2, m->date);
        bind_opt(st, 3, m->body);
        bind_buf(st, 4, &r.title);
        bind_buf(st, 5, &r.decision);
        bind_buf(st, 6, &r.presentation);
        bind_buf(st, 7, &r.bilag);
        bind_buf(st, 8, meta);
        if (bodies)
            bind_opt(st, 9, bodies);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
            rc = search_dberr(db, e, "indexing a case for search");
            break;
        }
        put_le(rows, (uint64_t)rowid, 8); /* ---- issue 11, storage ---- */
        put_field(rows, &r.title);
        put_field(rows, &r.decision);
        put_field(rows, &r.presentation);
        put_field(rows, &r.bilag);
        put_field(rows, meta);
        if (rowid > *top)
            *top = rowid;
    }
    row_fini(&r);
    return rc;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t civil_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_days(int64_t y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int64_t search_day(const char *date, bool end)
{
    if (!date)
        return 0;
    size_t n = strlen(date);
    int y = n >= 4 ? digits(date, 4) : -1;
    int m = n >= 7 && date[4] == '-' ? digits(date + 5, 2) : n == 4 ? 0 : -1;
    int d = n >= 10 && date[7] == '-' ? digits(date + 8, 2) : n <= 7 ? 0 : -1;
    if (y < 0 || m < 0 || d < 0 || m > 12 || d > 31 || (n != 4 && n != 7 && n < 10))
        return 0;
    int64_t v;
    if (m == 0)
        v = end ? civil_days(y + 1, 1, 1) - 1 : civil_days(y, 1, 1);
    else if (d == 0)
        v = end ? civil_days(y, m, month_days(y, m)) : civil_days(y, m, 1);
    else
        v = civil_days(y, m, end && d > month_days(y, m) ? month_days(y, m) : d < 1 ? 1 : d);
    v = v - civil_days(1800, 1, 1) + 1;
    return v < 1 ? 1 : v > SEARCH_MAX_DAY ? SEARCH_MAX_DAY : v;
}

static int set_doc(sqlite3 *db, int64_t case_id, int64_t day, struct err *e);

/* Inserts view v into table t, noting its stems in t's vocabulary. */
static int insert_into(sqlite3 *db, struct search_ctx *ctx, enum search_table t,
                       const struct search_meta *m, const struct buf *meta, const char *bodies,
                       const struct case_doc *v, int part, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s(rowid, date, body, title, decision, presentation, bilag, meta%s) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8%s)",
             search_names[t].fts, bodies ? ", bodies" : "", bodies ? ", ?9" : "");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return search_dberr(db, e, "indexing a case for search");
    struct buf rows = BUF_INIT, z = BUF_INIT;
    int64_t top = INT64_MIN;
    int rc = search_vocab_begin(db, ctx, t, e);
    if (rc == 0)
        rc = insert_view(db, ctx, st, m, meta, bodies, v, part, &rows, &top, e);
    int vrc = search_vocab_end(db, ctx, e);
    sqlite3_finalize(st);
    st = NULL;
    /* ---- issue 11, storage: the case's rows' texts, deflated together ---- */
    if (rc == 0 && vrc == 0 && rows.len) {
        bool packed = pack_deflate(rows.ptr, rows.len, &z);
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s (id, date, body, packed, size, rows%s) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6%s)",
                 search_names[t].content, bodies ? ", bodies" : "", bodies ? ", ?7" : "");
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = search_dberr(db, e, "indexing a case for search");
        } else {
            sqlite3_bind_int64(st, 1, top);
            bind_opt(st, 2, m->date);
            bind_opt(st, 3, m->body);
            sqlite3_bind_int(st, 4, packed);
            sqlite3_bind_int64(st, 5, (sqlite3_int64)rows.len);
            if (packed)
                sqlite3_bind_blob64(st, 6, z.ptr, z.len, SQLITE_STATIC);
            else
                sqlite3_bind_blob64(st, 6, rows.ptr, rows.len, SQLITE_STATIC);
            if (bodies)
                bind_opt(st, 7, bodies);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = search_dberr(db, e, "indexing a case for search");
        }
        sqlite3_finalize(st);
    }
    buf_free(&rows);
    buf_free(&z);
    /* ---- end issue 11, storage ---- */
    return rc < 0 ? rc : vrc;
}

int search_index_case(sqlite3 *db, const struct search_meta *m, const struct case_doc *c,
                      struct err *e)
{
    struct search_ctx *ctx = search_ctx_get(db);
    struct case_doc *pub = NULL;
    struct buf meta = BUF_INIT, bodies = BUF_INIT;
    int rc = 0;
    if (!ctx) {
        err_set(e, ERR_DB, 0, 0, "the search tokenizer is not registered on this connection");
        return ERR_DB;
    }
    if (m->case_id < 0 || m->case_id > SEARCH_MAX_CASE_ID || c->nsubitems > SEARCH_MAX_SUBITEMS) {
        err_set(e, ERR_LIMIT, 0, 0, "case %lld: more than %u sub-items or id out of range",
                (long long)m->case_id, SEARCH_MAX_SUBITEMS);
        return ERR_LIMIT;
    }
    rc = search_unindex_case(db, m->case_id, e);
    if (rc == 0)
        rc = set_doc(db, m->case_id, search_day(m->date, false), e);
    if (rc < 0)
        return rc;
    /* The filter markers: the body that treated it and every body of its route; its date. */
    for (size_t i = 0; i <= c->nroute; i++) {
        const char *code = i == 0 ? m->body : c->route[i - 1];
        if (!code || !*code)
            continue;
        if (meta.len)
            buf_putc(&meta, ' ');
        search_body_marker(ctx, code, &meta);
    }
    /* What the public may see of a case is decided by case_view alone: the public index gets
     * that view of every case (a closed one: its title); the closed index, apart, the full
     * text of a closed case, with the bodies whose readers may see it. */
    pub = case_view(c, AUDIENCE_PUBLIC);
    if (m->minutes_hidden) /* issue 9, publication: no minutes before they are published */
        case_hide_minutes(pub);
    /* issue 10, sdg: the goals' markers; the public index has the public view's (none for a
     * closed case), the closed index the case's own */
    search_sdg_markers(pub, 0, &meta);
    if (!m->unpublished)
        rc = insert_into(db, ctx, SEARCH_PUBLIC, m, &meta, NULL, pub,
                         c->public ? SEARCH_PART_OPEN : SEARCH_PART_STUB, e);
    if (rc == 0 && (!c->public || m->unpublished)) {
        search_sdg_markers(c, search_sdg_goals(pub), &meta); /* issue 10, sdg */
        for (size_t i = 0; i < m->nbodies; i++) {
            buf_printf(&bodies, "%s%lld", i ? " " : "", (long long)m->bodies[i]);
            buf_printf(&meta, "%s%cr%lld", meta.len ? " " : "", SEARCH_META,
                       (long long)m->bodies[i]);
        }
        rc = insert_into(db, ctx, SEARCH_CLOSED, m, &meta, buf_cstr(&bodies), c, SEARCH_PART_CLOSED,
                         e);
    }
    case_free(pub);
    buf_free(&meta);
    buf_free(&bodies);
    return rc;
}

/* Notes where case_id's rows are (its key), replacing what it had. */
static int set_doc(sqlite3 *db, int64_t case_id, int64_t day, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO search_doc(case_id, key) VALUES (?1, ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        return search_dberr(db, e, "indexing a case for search");
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, search_key_of(search_rowid(day, case_id, 0, 0, 0)));
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = search_dberr(db, e, "indexing a case for search");
    sqlite3_finalize(st);
    return rc;
}

/* Removes the rows of the case with key from table t: each given to FTS5's 'delete' with the
 * values it was indexed with (search_<table>_text; issue 11, storage), then its text. */
static int unindex(sqlite3 *db, enum search_table t, int64_t key, struct err *e)
{
    sqlite3_stmt *get = NULL, *del = NULL, *gone = NULL;
    struct search_text x = {0};
    int rc = 0;
    int64_t lo = key << SEARCH_CASE_SHIFT;
    int64_t hi = lo | (((int64_t)1 << SEARCH_CASE_SHIFT) - 1);
    char sql[2][256];
    const char *fts = search_names[t].fts;
    bool closed = t == SEARCH_CLOSED;
    snprintf(sql[0], sizeof sql[0],
             "INSERT INTO %s(%s, rowid, date, body, title, decision, presentation, bilag, "
             "meta%s) VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8%s)",
             fts, fts, closed ? ", bodies" : "", closed ? ", ?9" : "");
    snprintf(sql[1], sizeof sql[1], "DELETE FROM %s WHERE id BETWEEN ?1 AND ?2",
             search_names[t].content);
    if (search_text_prepare(db, t, &get) != SQLITE_OK) {
        rc = search_dberr(db, e, "removing a case from the search index");
        goto done;
    }
    sqlite3_bind_int64(get, 1, lo);
    sqlite3_bind_int64(get, 2, hi);
    /* A new case has nothing indexed: one seek. */
    int step;
    while ((step = sqlite3_step(get)) == SQLITE_ROW) {
        if (text_row(get, &x) != 1) {
            err_set(e, ERR_DB, 0, 0, "removing a case from the search index: its text in %s "
                    "does not unpack (run `referat db check`)", search_names[t].content);
            rc = ERR_DB;
            goto done;
        }
        if (!del && sqlite3_prepare_v2(db, sql[0], -1, &del, NULL) != SQLITE_OK) {
            rc = search_dberr(db, e, "removing a case from the search index");
            goto done;
        }
        struct search_row r;
        for (size_t pos = 0; search_text_next(&x, &pos, &r);) {
            sqlite3_bind_int64(del, 1, r.rowid);
            bind_opt(del, 2, x.date);
            bind_opt(del, 3, x.body);
            for (int i = 0; i < SEARCH_TEXT_COLS; i++)
                if (r.col[i])
                    sqlite3_bind_text(del, 4 + i, r.col[i], (int)r.len[i], SQLITE_STATIC);
                else
                    sqlite3_bind_null(del, 4 + i);
            if (closed)
                bind_opt(del, 9, x.bodies);
            int drc = sqlite3_step(del);
            sqlite3_reset(del);
            if (drc != SQLITE_DONE) {
                rc = search_dberr(db, e, "removing a case from the search index");
                goto done;
            }
        }
        search_text_fini(&x);
    }
    if (step != SQLITE_DONE) {
        rc = search_dberr(db, e, "removing a case from the search index");
        goto done;
    }
    if (!del)
        goto done;
    if (sqlite3_prepare_v2(db, sql[1], -1, &gone, NULL) != SQLITE_OK) {
        rc = search_dberr(db, e, "removing a case from the search index");
        goto done;
    }
    sqlite3_bind_int64(gone, 1, lo);
    sqlite3_bind_int64(gone, 2, hi);
    if (sqlite3_step(gone) != SQLITE_DONE)
        rc = search_dberr(db, e, "removing a case from the search index");
done:
    search_text_fini(&x);
    sqlite3_finalize(get);
    sqlite3_finalize(del);
    sqlite3_finalize(gone);
    return rc;
}

int search_unindex_case(sqlite3 *db, int64_t case_id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t key = -1;
    int rc = 0;
    if (sqlite3_prepare_v2(db, "SELECT key FROM search_doc WHERE case_id = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return search_dberr(db, e, "removing a case from the search index");
    sqlite3_bind_int64(st, 1, case_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        key = sqlite3_column_int64(st, 0);
    else if (step != SQLITE_DONE)
        rc = search_dberr(db, e, "removing a case from the search index");
    sqlite3_finalize(st);
    if (rc < 0 || key < 0)
        return rc;
    rc = unindex(db, SEARCH_PUBLIC, key, e);
    if (rc == 0)
        rc = unindex(db, SEARCH_CLOSED, key, e);
    if (rc == 0 && sqlite3_prepare_v2(db, "DELETE FROM search_doc WHERE case_id = ?1", -1, &st,
                                      NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, case_id);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = search_dberr(db, e, "removing a case from the search index");
        sqlite3_finalize(st);
    }
    return rc;
}

static int exec(sqlite3 *db, const char *sql, struct err *e, const char *what)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return search_dberr(db, e, what);
    return 0;
}

int search_optimize(sqlite3 *db, struct err *e)
{
    int rc = 0;
    for (int t = 0; rc == 0 && t < SEARCH_NTABLES; t++) {
        const char *names[] = {search_names[t].fts, search_names[t].vocab};
        for (int k = 0; rc == 0 && k < 2; k++) {
            char sql[160];
            snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES ('optimize')", names[k], names[k]);
            rc = exec(db, sql, e, "optimizing the search index");
        }
    }
    return rc;
}

/* ---- issue 11, storage: every case's texts inflate to their rows ---- */
static int check_texts(sqlite3 *db, enum search_table t, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT date, body, packed, size, rows%s, id FROM %s",
             t == SEARCH_CLOSED ? ", bodies" : "", search_names[t].content);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return search_dberr(db, e, "checking the search index");
    int rc = 0, step;
    int idcol = t == SEARCH_CLOSED ? 6 : 5;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct search_text x = {0};
        struct search_row r;
        size_t pos = 0, n = 0;
        bool ok = text_row(st, &x) == 1;
        while (ok && search_text_next(&x, &pos, &r))
            n++;
        if (!ok || pos != x.len || n == 0) {
            err_set(e, ERR_DB, 0, 0, "%s row %lld: the texts do not unpack to their rows",
                    search_names[t].content, (long long)sqlite3_column_int64(st, idcol));
            rc = ERR_DB;
        }
        search_text_fini(&x);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = search_dberr(db, e, "checking the search index");
    sqlite3_finalize(st);
    return rc;
}
/* ---- end issue 11, storage ---- */

int search_check(sqlite3 *db, struct err *e)
{
    int rc = 0;
    for (int t = 0; rc == 0 && t < SEARCH_NTABLES; t++) /* issue 11, storage */
        rc = check_texts(db, (enum search_table)t, e);
    for (int t = 0; rc == 0 && t < SEARCH_NTABLES; t++) {
        const char *names[] = {search_names[t].fts, search_names[t].vocab};
        for (int k = 0; rc == 0 && k < 2; k++) {
            char sql[160];
            snprintf(sql, sizeof sql, "INSERT INTO %s(%s, rank) VALUES ('integrity-check', 1)",
                     names[k], names[k]);
            rc = exec(db, sql, e,
                      k ? "checking the search vocabulary" : "checking the search index");
        }
    }
    return rc;
}
