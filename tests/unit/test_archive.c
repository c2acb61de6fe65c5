/* test_archive: the bulk import (issue 11, archive): each case its own transaction, the
 * search index brought up to date per batch, at the end, and after an interrupted run on the
 * next open; the index it leaves is the one case-by-case imports leave. */
#include "test.h"
#include "tmp_fixture.h"
#include "format/format.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/buf.h"

#include <dirent.h>
#include <sqlite3.h>
#include <unistd.h>


/* The Markdown examples, parsed. */
struct doc {
    char name[300];
    char *bytes;
    size_t len;
    struct case_doc *model;
};
static struct doc docs[32];
static size_t ndocs;

static void load_examples(void)
{
    DIR *d = opendir(EXAMPLES_DIR);
    struct dirent *de;
    while (d && (de = readdir(d)) && ndocs < 32) {
        size_t n = strlen(de->d_name);
        if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0)
            continue;
        struct doc *x = &docs[ndocs];
        char path[600];
        snprintf(path, sizeof path, "%s/%s", EXAMPLES_DIR, de->d_name);
        snprintf(x->name, sizeof x->name, "%s", de->d_name);
        x->bytes = test_read_file(path, &x->len);
        struct err e = {0};
        struct warnings w = {0};
        if (x->bytes && fmt_read(&fmt_read_md, x->bytes, x->len, 0, &x->model, &e, &w) == 0)
            ndocs++;
        else
            free(x->bytes);
        warnings_fini(&w);
    }
    if (d)
        closedir(d);
}

static struct store *open_new(const char *name)
{
    char p[600];
    const char *path = tmp_path(name);
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(path, STORE_CREATE, &s, &e) != 0)
        fprintf(stderr, "open %s: %s\n", name, e.msg);
    return s;
}

/* Import k of a run: example k % ndocs under a name of its own (a case of its own). */
static int import_nth(struct store *s, size_t k)
{
    char name[400];
    const struct doc *d = &docs[k % ndocs];
    snprintf(name, sizeof name, "run/%zu-%s", k, d->name);
    struct store_doc sd = {name, "md", d->bytes, d->len, d->model};
    struct err e = {0};
    int rc = store_import(s, &sd, NULL, NULL, NULL, &e);
    if (rc != 0)
        fprintf(stderr, "import %s: %s\n", name, e.msg);
    return rc;
}

static long long sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Every row of the search tables (public and closed, with their vocabularies unless
 * !terms), as text. */
static char *index_dump_of(sqlite3 *db, bool terms)
{
    static const char *const q[] = {
        "SELECT * FROM search_public_text ORDER BY id",
        "SELECT * FROM search_closed_text ORDER BY id",
        "SELECT term FROM search_public_term ORDER BY term",
        "SELECT term FROM search_closed_term ORDER BY term",
        "SELECT term, doc, col, offset FROM search_public_entries ORDER BY 1, 2, 3, 4",
    };
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        sqlite3_stmt *st = NULL;
        if (!terms && strstr(q[i], "_term "))
            continue;
        if (sqlite3_prepare_v2(db, q[i], -1, &st, NULL) != SQLITE_OK) {
            buf_printf(&b, "error: %s\n", sqlite3_errmsg(db));
            continue;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                buf_printf(&b, "%s|", t ? (const char *)t : "NULL");
            }
            buf_putc(&b, '\n');
        }
        sqlite3_finalize(st);
        buf_puts(&b, "--\n");
    }
    return buf_detach(&b);
}

static char *index_dump(sqlite3 *db)
{
    return index_dump_of(db, true);
}

/* More imports than a batch: the search index afterwards is exactly that of imports one by
 * one; between batches the cases wait in search_pending. */
static void test_bulk_same_index(void)
{
    size_t n = STORE_BULK_BATCH + 7;
    struct store *one = open_new("one.db"), *bulk = open_new("bulk.db");
    CHECK(one && bulk && ndocs >= 2);
    if (!one || !bulk || ndocs < 2)
        goto done;
    struct err e = {0};
    for (size_t k = 0; k < n; k++)
        CHECK_INT(import_nth(one, k), 0);
    CHECK_INT(store_bulk_begin(bulk, &e), 0);
    CHECK(store_bulk_begin(bulk, &e) < 0); /* one run at a time */
    sqlite3 *db = store_sqlite_db(bulk);
    for (size_t k = 0; k < n; k++) {
        CHECK_INT(import_nth(bulk, k), 0);
        if (k == 2)
            CHECK_INT(sql_int(db, "SELECT count(*) FROM search_pending"), 3);
    }
    /* The first batch is indexed; the rest waits. */
    CHECK_INT(sql_int(db, "SELECT count(*) FROM search_pending"), 7);
    CHECK_INT(store_bulk_end(bulk, &e), 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM search_pending"), 0);
    char *a = index_dump(store_sqlite_db(one)), *b = index_dump(db);
    CHECK(strlen(a) > 1000);
    CHECK_STR(b, a);
    free(a);
    free(b);
    /* Imports after the run index at once again. */
    CHECK_INT(import_nth(bulk, n), 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM search_pending"), 0);
done:
    store_close(one);
    store_close(bulk);
}

/* A run that is never ended (a killed import) leaves its cases pending; the next writer's
 * open indexes them, and the index is the one imports one by one leave. */
static void test_bulk_interrupted(void)
{
    struct store *one = open_new("one2.db"), *bulk = open_new("cut.db");
    CHECK(one && bulk && ndocs >= 2);
    if (!one || !bulk || ndocs < 2)
        goto done;
    struct err e = {0};
    for (size_t k = 0; k < 5; k++)
        CHECK_INT(import_nth(one, k), 0);
    CHECK_INT(store_bulk_begin(bulk, &e), 0);
    for (size_t k = 0; k < 5; k++)
        CHECK_INT(import_nth(bulk, k), 0);
    store_close(bulk);
    bulk = NULL;
    sqlite3 *raw = NULL;
    CHECK_INT(sqlite3_open(tmp_path("cut.db"), &raw), SQLITE_OK);
    CHECK_INT(sql_int(raw, "SELECT count(*) FROM search_pending"), 5);
    CHECK_INT(sql_int(raw, "SELECT count(*) FROM search_public_text"), 0);
    sqlite3_close(raw);
    /* A reader does not write: the cases stay pending. */
    CHECK_INT(store_open(tmp_path("cut.db"), STORE_READONLY, &bulk, &e), 0);
    store_close(bulk);
    bulk = NULL;
    CHECK_INT(store_open(tmp_path("cut.db"), 0, &bulk, &e), 0);
    if (!bulk)
        goto done;
    sqlite3 *db = store_sqlite_db(bulk);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM search_pending"), 0);
    char *a = index_dump(store_sqlite_db(one)), *b = index_dump(db);
    CHECK_STR(b, a);
    free(a);
    free(b);
done:
    store_close(one);
    store_close(bulk);
}

/* Imports doc k under a fixed name: a second one with other bytes updates the case. */
static int import_as(struct store *s, const char *name, size_t k)
{
    const struct doc *d = &docs[k % ndocs];
    struct store_doc sd = {name, "md", d->bytes, d->len, d->model};
    struct err e = {0};
    return store_import(s, &sd, NULL, NULL, NULL, &e);
}

/* A case imported twice in one batch is indexed as its last import. (The term tables may
 * differ: single imports keep the terms of the first version, which a bulk run never
 * indexed; the vocabulary only grows.) */
static void test_bulk_twice(void)
{
    struct store *one = open_new("one3.db"), *bulk = open_new("twice.db");
    CHECK(one && bulk && ndocs >= 3);
    if (!one || !bulk || ndocs < 3)
        goto done;
    struct err e = {0};
    CHECK_INT(import_as(one, "same.md", 0), 0);
    CHECK_INT(import_as(one, "other.md", 2), 0);
    CHECK_INT(import_as(one, "same.md", 1), 0);
    CHECK_INT(store_bulk_begin(bulk, &e), 0);
    CHECK_INT(import_as(bulk, "same.md", 0), 0);
    CHECK_INT(import_as(bulk, "other.md", 2), 0);
    CHECK_INT(import_as(bulk, "same.md", 1), 0);
    CHECK_INT(store_bulk_end(bulk, &e), 0);
    char *a = index_dump_of(store_sqlite_db(one), false),
         *b = index_dump_of(store_sqlite_db(bulk), false);
    CHECK_STR(b, a);
    free(a);
    free(b);
done:
    store_close(one);
    store_close(bulk);
}

/* An archive made at schema 8 or later before search_pending was in step 8: a writer's open
 * adds it, and a bulk run works on it. */
static void test_schema8_without_pending(void)
{
    struct store *s = open_new("old8.db");
    CHECK(s != NULL);
    if (!s)
        return;
    store_close(s);
    s = NULL;
    sqlite3 *raw = NULL;
    CHECK_INT(sqlite3_open(tmp_path("old8.db"), &raw), SQLITE_OK);
    CHECK_INT(sqlite3_exec(raw, "DROP TABLE search_pending", NULL, NULL, NULL), SQLITE_OK);
    CHECK(sql_int(raw, "PRAGMA user_version") >= 8);
    sqlite3_close(raw);
    struct err e = {0};
    CHECK_INT(store_open(tmp_path("old8.db"), 0, &s, &e), 0);
    if (!s)
        return;
    CHECK_INT(sql_int(store_sqlite_db(s), "SELECT count(*) FROM search_pending"), 0);
    CHECK_INT(store_bulk_begin(s, &e), 0);
    CHECK_INT(import_nth(s, 0), 0);
    CHECK_INT(sql_int(store_sqlite_db(s), "SELECT count(*) FROM search_pending"), 1);
    CHECK_INT(store_bulk_end(s, &e), 0);
    CHECK_INT(sql_int(store_sqlite_db(s), "SELECT count(*) FROM search_pending"), 0);
    CHECK(sql_int(store_sqlite_db(s), "SELECT count(*) FROM search_public_text") > 0);
    store_close(s);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_archive.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    load_examples();
    RUN(test_bulk_same_index);
    RUN(test_bulk_interrupted);
    RUN(test_bulk_twice);
    RUN(test_schema8_without_pending);
    for (size_t i = 0; i < ndocs; i++) {
        free(docs[i].bytes);
        case_free(docs[i].model);
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return TEST_REPORT();
}
