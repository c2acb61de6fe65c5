/* sqlite_pack: stored bytes kept compressed (issue 11, storage; schema step 12). A source's
 * bytes (source, meeting_source) and the search index's row texts are deflated with zlib
 * when that makes them smaller; `packed` says which rows are. The hash and the size are
 * always those of the original bytes, and every reader gets the original bytes back. */
#include "store_sqlite.h"
#include "../util/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *col_source(sqlite3_stmt *st, int ibytes, int ipacked, int isize, size_t *len)
{
    if (!sqlite3_column_int(st, ipacked))
        return col_bytes(st, ibytes, len);
    size_t size = (size_t)sqlite3_column_int64(st, isize);
    char *p = pack_inflate(sqlite3_column_blob(st, ibytes), (size_t)sqlite3_column_bytes(st, ibytes),
                           size);
    *len = p ? size : 0;
    return p;
}

/* unpack(bytes, packed, size): the original bytes, in SQL (tests, `db check`); NULL when
 * packed bytes do not inflate to size. */
static void fn_unpack(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const void *p = sqlite3_value_blob(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    if (!sqlite3_value_int(argv[1])) {
        sqlite3_result_blob64(cx, p ? p : "", n, SQLITE_TRANSIENT);
        return;
    }
    sqlite3_int64 size = sqlite3_value_int64(argv[2]);
    char *out = size >= 0 ? pack_inflate(p, n, (size_t)size) : NULL;
    if (out)
        sqlite3_result_blob64(cx, out, (sqlite3_uint64)size, free);
    else
        sqlite3_result_null(cx);
}

int register_pack_functions(sqlite3 *db)
{
    return sqlite3_create_function(db, "unpack", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   fn_unpack, NULL, NULL);
}

/* Schema step 12: every stored source of table (source, meeting_source) deflated. */
int pack_table(struct store *s, const char *table, struct err *e)
{
    char sql[2][128];
    sqlite3_stmt *get = NULL, *put = NULL;
    struct buf z = BUF_INIT;
    snprintf(sql[0], sizeof sql[0], "SELECT id, bytes FROM %s WHERE packed = 0", table);
    snprintf(sql[1], sizeof sql[1], "UPDATE %s SET bytes = ?2, packed = 1 WHERE id = ?1", table);
    int rc = adhoc(s, sql[0], &get, e);
    if (rc == 0)
        rc = adhoc(s, sql[1], &put, e);
    bool row;
    while (rc == 0 && (rc = next_row(s, get, &row, e, "upgrading the archive: packing sources")) ==
                          0 && row) {
        if (!pack_deflate(sqlite3_column_blob(get, 1), (size_t)sqlite3_column_bytes(get, 1), &z))
            continue;
        sqlite3_bind_int64(put, 1, sqlite3_column_int64(get, 0));
        sqlite3_bind_blob64(put, 2, z.ptr, z.len, SQLITE_STATIC);
        rc = run(s, put, e, "upgrading the archive: packing sources");
    }
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    buf_free(&z);
    return rc;
}
