/* test_storage: schema step 12 (issue 11, storage): sources kept deflated, the search tables
 * contentless with each case's row texts deflated beside them. An archive at schema 10
 * (tests/fixtures/archive-v10.db) upgraded to 12 (through step 11, the visibility indexes) gives back the same sources, the search
 * tables the same rows and texts, and the same hits; what is written after the upgrade is
 * removed from the index again. */
#include "test.h"
#include "tmp_fixture.h"
#include "format/format.h"
#include "search/search.h"
#include "search/search_int.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/buf.h"
#include "util/pack.h"

#include <sqlite3.h>
#include <unistd.h>


static long long sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The rows of a query as one text: columns by '|', rows by '\n' (blobs as their bytes). */
static char *rows_of(sqlite3 *db, const char *sql, const char *arg)
{
    struct buf b = BUF_INIT;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
        return NULL;
    }
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const void *p = sqlite3_column_blob(st, i);
            if (i)
                buf_putc(&b, '|');
            if (p)
                buf_put(&b, p, (size_t)sqlite3_column_bytes(st, i));
            else
                buf_puts(&b, sqlite3_column_type(st, i) == SQLITE_NULL ? "<null>" : "");
        }
        buf_putc(&b, '\n');
    }
    sqlite3_finalize(st);
    return buf_detach(&b);
}

/* Every row of table t as schema 10 held it: rowid, then date, body, title, decision,
 * presentation, bilag, meta (and bodies) - read back from search_<t>_text. */
static char *text_rows(sqlite3 *db, enum search_table t)
{
    struct buf b = BUF_INIT;
    sqlite3_stmt *ids = NULL, *get = NULL;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id >> %d FROM %s ORDER BY id", SEARCH_CASE_SHIFT,
             search_names[t].content);
    if (sqlite3_prepare_v2(db, sql, -1, &ids, NULL) != SQLITE_OK ||
        search_text_prepare(db, t, &get) != SQLITE_OK) {
        fprintf(stderr, "%s\n", sqlite3_errmsg(db));
        sqlite3_finalize(ids);
        return NULL;
    }
    while (sqlite3_step(ids) == SQLITE_ROW) {
        struct search_text x;
        if (search_text_read(get, sqlite3_column_int64(ids, 0), &x) != 1) {
            buf_puts(&b, "<unreadable>\n");
            search_text_fini(&x);
            continue;
        }
        struct search_row r;
        for (size_t pos = 0; search_text_next(&x, &pos, &r);) {
            buf_printf(&b, "%lld|%s|%s", (long long)r.rowid, x.date ? x.date : "<null>",
                       x.body ? x.body : "<null>");
            for (int i = 0; i < SEARCH_TEXT_COLS; i++) {
                buf_putc(&b, '|');
                if (r.col[i])
                    buf_put(&b, r.col[i], r.len[i]);
                else
                    buf_puts(&b, "<null>");
            }
            if (t == SEARCH_CLOSED)
                buf_printf(&b, "|%s", x.bodies ? x.bodies : "<null>");
            buf_putc(&b, '\n');
        }
        search_text_fini(&x);
    }
    sqlite3_finalize(ids);
    sqlite3_finalize(get);
    return buf_detach(&b);
}

/* Sorts the lines of a text (the text table is in key order, the old content table in
 * rowid order). */
static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted(char *text)
{
    if (!text)
        return NULL;
    char **v = NULL;
    size_t n = 0;
    for (char *p = strtok(text, "\n"); p; p = strtok(NULL, "\n")) {
        v = realloc(v, (n + 1) * sizeof *v);
        v[n++] = p;
    }
    qsort(v, n, sizeof *v, cmp_line);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s\n", v[i]);
    free(v);
    free(text);
    return buf_detach(&b);
}

static struct case_doc *parse(const struct fmt_reader *r, const char *bytes, size_t len)
{
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    if (!r || fmt_read(r, bytes, len, 0, &c, &e, &w) != 0) {
        fprintf(stderr, "parse: %u:%u: %s\n", e.line, e.col, e.msg);
        c = NULL;
    }
    warnings_fini(&w);
    CHECK(c != NULL);
    return c;
}

static const char *const queries[] = {"budget", "strategi", "digitalisering", "personale",
                                      "grund", "trivsel", "kultur", "trafiksikkerhed"};
#define NQUERIES (sizeof queries / sizeof queries[0])

static void test_pack(void)
{
    struct buf z = BUF_INIT;
    char text[4000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "Kommunalbestyrelsen godkender budgettet. "[i % 41];
    CHECK(pack_deflate(text, sizeof text, &z));
    CHECK(z.len < sizeof text / 4);
    char *back = pack_inflate(z.ptr, z.len, sizeof text);
    CHECK(back && memcmp(back, text, sizeof text) == 0 && back[sizeof text] == '\0');
    free(back);
    /* A wrong size, or damaged bytes, give NULL, never other bytes. */
    CHECK(pack_inflate(z.ptr, z.len, sizeof text - 1) == NULL);
    CHECK(pack_inflate(z.ptr, z.len, sizeof text + 1) == NULL);
    z.ptr[z.len / 2] ^= 0x55;
    back = pack_inflate(z.ptr, z.len, sizeof text);
    CHECK(back == NULL || memcmp(back, text, sizeof text) != 0);
    CHECK(back == NULL); /* the Adler-32 check */
    free(back);
    /* Short or incompressible bytes are kept as they are. */
    CHECK(!pack_deflate("kort", 4, &z) && z.len == 0);
    unsigned char noise[1000];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (unsigned char)((x = x * 1103515245 + 12345) >> 24);
    CHECK(!pack_deflate(noise, sizeof noise, &z));
    buf_free(&z);
}

static void test_upgrade_v10(void)
{
    const char *path = fixture_copy(SOURCE_DIR "/tests/fixtures/archive-v10.db", "v10.db");
    CHECK(path != NULL);
    if (!path)
        return;

    /* Schema 10 as it is: sources, search rows, and the hits of raw MATCHes. */
    sqlite3 *raw = NULL;
    CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
    CHECK_INT(search_register(raw), 0);
    CHECK_INT(sql_int(raw, "PRAGMA user_version"), 10);
    char *src_before = rows_of(raw, "SELECT case_id, version, hash, size, bytes FROM source "
                                    "ORDER BY case_id, version", NULL);
    char *msrc_before = rows_of(raw, "SELECT meeting_id, version, hash, bytes FROM "
                                     "meeting_source ORDER BY meeting_id, version", NULL);
    char *pub_before = sorted(rows_of(raw, "SELECT id, coalesce(c0, '<null>'), coalesce(c1, "
                                           "'<null>'), coalesce(c2, '<null>'), coalesce(c3, "
                                           "'<null>'), coalesce(c4, '<null>'), coalesce(c5, "
                                           "'<null>'), coalesce(c6, '<null>') FROM "
                                           "search_public_content", NULL));
    char *closed_before = sorted(rows_of(raw, "SELECT id, coalesce(c0, '<null>'), coalesce(c1, "
                                              "'<null>'), coalesce(c2, '<null>'), coalesce(c3, "
                                              "'<null>'), coalesce(c4, '<null>'), coalesce(c5, "
                                              "'<null>'), coalesce(c6, '<null>'), coalesce(c7, "
                                              "'<null>') FROM search_closed_content", NULL));
    char *hits_before[NQUERIES][2];
    for (size_t q = 0; q < NQUERIES; q++) {
        hits_before[q][0] = rows_of(raw, "SELECT rowid FROM search_public WHERE search_public "
                                         "MATCH ?1 ORDER BY rowid", queries[q]);
        hits_before[q][1] = rows_of(raw, "SELECT rowid FROM search_closed WHERE search_closed "
                                         "MATCH ?1 ORDER BY rowid", queries[q]);
    }
    long long nmsrc = sql_int(raw, "SELECT count(*) FROM meeting_source");
    sqlite3_close(raw);
    CHECK(src_before && strlen(src_before) > 1000);
    CHECK(pub_before && closed_before && strlen(closed_before) > 10);
    CHECK(nmsrc >= 1);

    /* The upgrade. */
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(path, 0, &s, &e) != 0) {
        fprintf(stderr, "migrating: %s\n", e.msg);
        test_case_failed = 1;
        goto done;
    }
    sqlite3 *db = store_sqlite_db(s);
    int version = 0;
    CHECK_INT(store_version(s, &version, &e), 0);
    CHECK_INT(version, 12);
    CHECK(sql_int(db, "SELECT count(*) FROM source WHERE packed") > 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM meeting_source WHERE NOT packed"), 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                          "'search\\_%\\_content' ESCAPE '\\'"), 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM store_state WHERE key = 'reindex'"), 0);
    /* The same bytes, unpacked in SQL and by the store's readers. */
    char *src_after = rows_of(db, "SELECT case_id, version, hash, size, unpack(bytes, packed, "
                                  "size) FROM source ORDER BY case_id, version", NULL);
    CHECK(src_after && src_before && strcmp(src_after, src_before) == 0);
    free(src_after);
    char *msrc_after = rows_of(db, "SELECT meeting_id, version, hash, unpack(bytes, packed, size) "
                                   "FROM meeting_source ORDER BY meeting_id, version", NULL);
    CHECK(msrc_after && msrc_before && strcmp(msrc_after, msrc_before) == 0);
    free(msrc_after);
    {
        sqlite3_stmt *st = NULL;
        CHECK_INT(sqlite3_prepare_v2(db, "SELECT case_id, version, size, hash FROM source",
                                     -1, &st, NULL), SQLITE_OK);
        int n = 0;
        while (st && sqlite3_step(st) == SQLITE_ROW) {
            struct store_source src = {0};
            int64_t cid = sqlite3_column_int64(st, 0);
            int ver = sqlite3_column_int(st, 1);
            CHECK_INT(store_source_get(s, cid, ver, &reader_all, &src, &e), 0);
            CHECK_INT(src.len, sqlite3_column_int64(st, 2));
            char h[65];
            store_hash(src.bytes ? src.bytes : "", src.len, h);
            CHECK_STR(h, (const char *)sqlite3_column_text(st, 3));
            store_source_fini(&src);
            n++;
        }
        sqlite3_finalize(st);
        CHECK(n >= 10);
        int64_t mid = sql_int(db, "SELECT meeting_id FROM meeting_source LIMIT 1");
        struct store_source ms = {0};
        CHECK_INT(store_meeting_source_get(s, mid, 0, &reader_all, &ms, &e), 0);
        CHECK_INT(ms.len, sql_int(db, "SELECT size FROM meeting_source ORDER BY version DESC "
                                      "LIMIT 1"));
        store_source_fini(&ms);
    }
    /* The search tables: the same rows with the same texts, the same hits. */
    char *pub_after = sorted(text_rows(db, SEARCH_PUBLIC));
    char *closed_after = sorted(text_rows(db, SEARCH_CLOSED));
    CHECK(pub_after && pub_before && strcmp(pub_after, pub_before) == 0);
    CHECK(closed_after && closed_before && strcmp(closed_after, closed_before) == 0);
    free(pub_after);
    free(closed_after);
    for (size_t q = 0; q < NQUERIES; q++) {
        char *pub = rows_of(db, "SELECT rowid FROM search_public WHERE search_public MATCH ?1 "
                                "ORDER BY rowid", queries[q]);
        char *closed = rows_of(db, "SELECT rowid FROM search_closed WHERE search_closed "
                                   "MATCH ?1 ORDER BY rowid", queries[q]);
        if (!pub || !hits_before[q][0] || strcmp(pub, hits_before[q][0]) != 0 || !closed ||
            !hits_before[q][1] || strcmp(closed, hits_before[q][1]) != 0) {
            fprintf(stderr, "query %s: other hits after the upgrade\n", queries[q]);
            test_case_failed = 1;
        }
        free(pub);
        free(closed);
    }
    CHECK(strlen(hits_before[0][0]) > 0); /* "budget" is found at all */
    struct search_params p = {.query = "digitaliseringsstrategi", .limit = 10};
    struct search_result r = {0};
    CHECK_INT(store_search(s, &p, &r, &e), 0);
    CHECK(r.nhits >= 1);
    CHECK(r.nhits >= 1 && r.hits[0].title && strstr(r.hits[0].snippet, "<mark>") != NULL);
    search_result_fini(&r);
    struct search_params pc = {.query = "grund", .limit = 10, .reader = &reader_all};
    CHECK_INT(store_search(s, &pc, &r, &e), 0);
    bool closed_hit = false;
    for (size_t i = 0; i < r.nhits; i++)
        closed_hit |= r.hits[i].closed && strstr(r.hits[i].snippet, "<mark>") != NULL;
    CHECK(closed_hit);
    search_result_fini(&r);
    char **problems = NULL;
    size_t nproblems = 0;
    CHECK_INT(store_check(s, &problems, &nproblems, &e), 0);
    for (size_t i = 0; i < nproblems; i++)
        fprintf(stderr, "problem: %s\n", problems[i]);
    CHECK_INT(nproblems, 0);
    store_problems_free(problems, nproblems);

    /* A case updated after the upgrade leaves the index through FTS5's 'delete': its old
     * words are not found any more, its new ones are. */
    {
        int64_t cid = sql_int(db, "SELECT id FROM \"case\" WHERE public AND key LIKE "
                                  "'01-%' LIMIT 1");
        CHECK(cid > 0);
        struct store_source src = {0};
        CHECK_INT(store_source_get(s, cid, 0, &reader_all, &src, &e), 0);
        char *changed = src.bytes ? strstr(src.bytes, "igitaliseringsstrategi") : NULL;
        CHECK(changed != NULL);
        long long before = sql_int(db, "SELECT count(*) FROM search_public WHERE search_public "
                                       "MATCH 'vindmøllepark'");
        CHECK_INT(before, 0);
        CHECK(sql_int(db, "SELECT count(*) FROM search_public WHERE search_public MATCH "
                          "'digitaliseringsstrategi'") > 0);
        if (changed) {
            /* Every "Digitaliseringsstrategi" becomes "D-vindmøllepark". */
            struct buf b = BUF_INIT;
            const char *t = src.bytes;
            const char *w;
            while ((w = strstr(t, "igitaliseringsstrategi")) != NULL) {
                buf_put(&b, t, (size_t)(w - t));
                buf_puts(&b, "-vindmøllepark");
                t = w + strlen("igitaliseringsstrategi");
            }
            buf_puts(&b, t);
            struct case_doc *c = parse(fmt_reader_find(src.format), b.ptr, b.len);
            struct store_doc d = {src.name, src.format, b.ptr, b.len, c};
            enum store_outcome out;
            CHECK(c != NULL);
            CHECK_INT(c ? store_import(s, &d, NULL, &out, NULL, &e) : -1, 0);
            CHECK_INT(out, STORE_UPDATED);
            case_free(c);
            buf_free(&b);
        }
        store_source_fini(&src);
        CHECK(sql_int(db, "SELECT count(*) FROM search_public WHERE search_public MATCH "
                          "'vindmøllepark'") > 0);
        CHECK_INT(sql_int(db, "SELECT count(*) FROM search_public WHERE search_public MATCH "
                              "'digitaliseringsstrategi'"), 0);
        CHECK_INT(search_check(db, &e), 0);
    }
    store_close(s);
done:
    for (size_t q = 0; q < NQUERIES; q++) {
        free(hits_before[q][0]);
        free(hits_before[q][1]);
    }
    free(src_before);
    free(msrc_before);
    free(pub_before);
    free(closed_before);
}

/* A new archive: its sources packed and read back; damaged packed bytes are refused. */
static void test_new_archive(void)
{
    const char *path = tmp_path("new.db");
    remove_db(path);
    struct store *s = NULL;
    struct err e = {0};
    CHECK_INT(store_open(path, STORE_CREATE, &s, &e), 0);
    if (!s)
        return;
    sqlite3 *db = store_sqlite_db(s);
    size_t len = 0;
    char *bytes = test_read_file(EXAMPLES_DIR "/05-budgetopfoelgning.md", &len);
    CHECK(bytes != NULL);
    if (bytes) {
        struct case_doc *c = parse(&fmt_read_md, bytes, len);
        struct store_doc d = {"05-budgetopfoelgning.md", "md", bytes, len, c};
        CHECK_INT(store_import(s, &d, NULL, NULL, NULL, &e), 0);
        case_free(c);
        CHECK_INT(sql_int(db, "SELECT count(*) FROM source WHERE packed AND length(bytes) < size"),
                  1);
        struct store_source src = {0};
        CHECK_INT(store_source_get(s, 1, 0, &reader_all, &src, &e), 0);
        CHECK(src.len == len && src.bytes && memcmp(src.bytes, bytes, len) == 0);
        store_source_fini(&src);
        /* Damaged packed bytes: the reader refuses, `db check` names the source. */
        CHECK_INT(sqlite3_exec(db, "UPDATE source SET bytes = substr(bytes, 1, 100)", NULL,
                               NULL, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_exec(db, "UPDATE search_public_text SET rows = substr(rows, 1, 50) "
                                   "WHERE packed", NULL, NULL, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_changes(db), 1);
        /* A search that reaches the case says what is wrong, never a half text. */
        struct search_params sp = {.query = "budgetopfølgning", .limit = 10};
        struct search_result sr = {0};
        CHECK_INT(store_search(s, &sp, &sr, &e), ERR_DB);
        CHECK(strstr(e.msg, "do not unpack") != NULL);
        search_result_fini(&sr);
        CHECK(store_source_get(s, 1, 0, &reader_all, &src, &e) < 0);
        CHECK(strstr(e.msg, "does not unpack") != NULL);
        store_source_fini(&src);
        char **problems = NULL;
        size_t n = 0;
        CHECK_INT(store_check(s, &problems, &n, &e), 0);
        bool named = false;
        for (size_t i = 0; i < n; i++)
            named |= strstr(problems[i], "source 1: its packed bytes do not unpack") != NULL;
        CHECK(named);
        named = false;
        for (size_t i = 0; i < n; i++)
            named |= strstr(problems[i], "search index: search_public_text row") != NULL;
        CHECK(named);
        store_problems_free(problems, n);
        free(bytes);
    }
    store_close(s);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/referat-test-storage-%d", (int)getpid());
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", tmpdir);
    if (system(cmd) != 0)
        return 1;
    RUN(test_pack);
    RUN(test_upgrade_v10);
    RUN(test_new_archive);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (!test_failed && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return TEST_REPORT();
}
