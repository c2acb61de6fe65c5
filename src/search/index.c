/* index: the search tables and the indexing of one case (rows per part, audience, markers). */
#include "search.h"
#include "search_int.h"

#include <string.h>

static const char schema[] =
    "CREATE VIRTUAL TABLE search_word USING fts5(\n"
    "    date UNINDEXED, body UNINDEXED, title, decision, presentation, meta,\n"
    "    tokenize = 'danish');\n"
    "INSERT INTO search_word(search_word, rank) VALUES ('rank', 'bm25(0, 0, 10, 4, 1, 0)');\n"
    "CREATE TABLE search_term (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);\n"
    "CREATE VIRTUAL TABLE search_vocab USING fts5(term, content = 'search_term',\n"
    "    content_rowid = 'id', tokenize = 'trigram');\n";

const char *search_schema_sql(void)
{
    return schema;
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
    struct buf title, decision, presentation;
};

static void row_reset(struct row *r)
{
    buf_truncate(&r->title, 0);
    buf_truncate(&r->decision, 0);
    buf_truncate(&r->presentation, 0);
}

static void row_fini(struct row *r)
{
    buf_free(&r->title);
    buf_free(&r->decision);
    buf_free(&r->presentation);
}

static bool entry_of_case(const struct case_doc *c, const struct entry *en)
{
    return en->subitem == 0 || en->subitem > c->nsubitems;
}

/* The case as a whole: its title, the decisions' texts and the entries that belong to no
 * sub-item, and the rest (presentation, intro, recommendation, attachment titles). */
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
    for (size_t i = 0; i < c->nattachments; i++)
        put_par(&r->presentation, c->attachments[i].title);
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
    const struct buf *col[] = {&r->title, &r->decision, &r->presentation};
    for (size_t i = 0; i < 3; i++)
        if (col[i]->len)
            search_tokenize(ctx, col[i]->ptr, (int)col[i]->len, false, count_token, &n);
    return n;
}

/* Inserts the rows of view v (the case, then each sub-item) as `part`. */
static int insert_view(sqlite3 *db, struct search_ctx *ctx, sqlite3_stmt *st,
                       const struct search_meta *m, const struct buf *meta,
                       const struct case_doc *v, int part, struct err *e)
{
    struct row r = {BUF_INIT, BUF_INIT, BUF_INIT};
    int rc = 0;
    for (size_t n = 0; n <= v->nsubitems; n++) {
        row_reset(&r);
        if (n == 0)
            case_row(v, &r);
        else
            subitem_row(v, n, &r);
        if (!r.title.len && !r.decision.len && !r.presentation.len && n > 0)
            continue;
        unsigned len = search_len_code(ntokens(ctx, &r));
        sqlite3_bind_int64(st, 1, search_rowid(m->case_id, n, len, part));
        bind_opt(st, 2, m->date);
        bind_opt(st, 3, m->body);
        bind_buf(st, 4, &r.title);
        bind_buf(st, 5, &r.decision);
        bind_buf(st, 6, &r.presentation);
        bind_buf(st, 7, meta);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
            rc = search_dberr(db, e, "indexing a case for search");
            break;
        }
    }
    row_fini(&r);
    return rc;
}

int search_index_case(sqlite3 *db, const struct search_meta *m, const struct case_doc *c,
                      struct err *e)
{
    struct search_ctx *ctx = search_ctx_get(db);
    sqlite3_stmt *st = NULL;
    struct case_doc *pub = NULL;
    struct buf meta = BUF_INIT;
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
    if (rc < 0)
        return rc;
    /* The filter markers: the body that treated it and every body of its route. */
    for (size_t i = 0; i <= c->nroute; i++) {
        const char *code = i == 0 ? m->body : c->route[i - 1];
        if (!code || !*code)
            continue;
        if (meta.len)
            buf_putc(&meta, ' ');
        search_body_marker(ctx, code, &meta);
    }
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO search_word(rowid, date, body, title, decision, "
                           "presentation, meta) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = search_dberr(db, e, "indexing a case for search");
        goto done;
    }
    rc = search_vocab_begin(db, ctx, e);
    if (rc < 0)
        goto done;
    /* What the public may see of a case is decided by case_view alone: an open case is
     * indexed as the public sees it; a closed one as a public stub (its title) and, apart,
     * its full text for staff only. */
    pub = case_view(c, AUDIENCE_PUBLIC);
    if (c->public) {
        rc = insert_view(db, ctx, st, m, &meta, pub, SEARCH_PART_OPEN, e);
    } else {
        rc = insert_view(db, ctx, st, m, &meta, pub, SEARCH_PART_STUB, e);
        if (rc == 0)
            rc = insert_view(db, ctx, st, m, &meta, c, SEARCH_PART_CLOSED, e);
    }
    int vrc = search_vocab_end(db, ctx, e);
    if (rc == 0)
        rc = vrc;
done:
    sqlite3_finalize(st);
    case_free(pub);
    buf_free(&meta);
    return rc;
}

int search_unindex_case(sqlite3 *db, int64_t case_id, struct err *e)
{
    sqlite3_stmt *has = NULL, *del = NULL;
    int rc = 0;
    int64_t lo = search_rowid(case_id, 0, 0, 0);
    int64_t hi = lo | (((int64_t)1 << SEARCH_CASE_SHIFT) - 1);
    /* A DELETE on FTS5 costs even when nothing matches; a new case has nothing indexed. */
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM search_word_content WHERE id BETWEEN ?1 AND ?2", -1,
                           &has, NULL) != SQLITE_OK) {
        rc = search_dberr(db, e, "removing a case from the search index");
        goto done;
    }
    sqlite3_bind_int64(has, 1, lo);
    sqlite3_bind_int64(has, 2, hi);
    int step = sqlite3_step(has);
    if (step == SQLITE_DONE)
        goto done;
    if (step != SQLITE_ROW ||
        sqlite3_prepare_v2(db, "DELETE FROM search_word WHERE rowid BETWEEN ?1 AND ?2", -1, &del,
                           NULL) != SQLITE_OK) {
        rc = search_dberr(db, e, "removing a case from the search index");
        goto done;
    }
    sqlite3_bind_int64(del, 1, lo);
    sqlite3_bind_int64(del, 2, hi);
    if (sqlite3_step(del) != SQLITE_DONE)
        rc = search_dberr(db, e, "removing a case from the search index");
done:
    sqlite3_finalize(has);
    sqlite3_finalize(del);
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
    int rc = exec(db, "INSERT INTO search_word(search_word) VALUES ('optimize')", e,
                  "optimizing the search index");
    if (rc == 0)
        rc = exec(db, "INSERT INTO search_vocab(search_vocab) VALUES ('optimize')", e,
                  "optimizing the search index");
    return rc;
}

int search_check(sqlite3 *db, struct err *e)
{
    int rc = exec(db, "INSERT INTO search_word(search_word, rank) VALUES ('integrity-check', 1)", e,
                  "checking the search index");
    if (rc == 0)
        rc = exec(db,
                  "INSERT INTO search_vocab(search_vocab, rank) "
                  "VALUES ('integrity-check', 1)",
                  e, "checking the search vocabulary");
    return rc;
}
