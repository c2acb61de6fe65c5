/* sqlite_count (issue 11, archive routes): the capped counts of the list pages, remembered
 * per connection while the archive is unchanged.
 *
 * A list's total is a count over up to 10,001 rows (COUNT_CAPPED), each checked against the
 * visibility rules: about 1 µs a row, so 8-12 ms for /opfoelgning, /api/followups or a busy
 * person on the 100,000-case archive, where the page's own rows cost 1 ms. The same total
 * is asked again for every page of the same list, and by every reader who pages through it,
 * so it is kept:
 *
 *   key    the reader (account, bodies and roles, the all/admin flags) and the statement
 *          with its bound values (sqlite3_expanded_sql; the reader is a pointer parameter,
 *          which expands to NULL, hence the reader in the key), hashed with BLAKE2b
 *   valid  while store_data_version is what it was: any commit, here or by another process,
 *          drops every remembered count (the counts read no clock: no SQL of the store's
 *          uses 'now')
 *
 * A read transaction sees one snapshot, and data_version is read inside it, so a count is
 * never paired with a version it was not counted at. Nothing of the key is logged or kept
 * beyond the connection; the counts are numbers a reader was shown already. */
#include "store_sqlite.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_SLOTS 64 /* the lists of one server thread's recent readers */

struct count_memo {
    unsigned char key[16];
    bool used;
    int64_t version;
    size_t total;
};

struct count_memos {
    struct count_memo slot[MEMO_SLOTS];
    unsigned next; /* round robin: the oldest goes first */
};

/* False when the statement's bound values cannot be had (no memory): then nothing is
 * remembered, since the text alone would give two filters one key. */
static bool memo_key(sqlite3_stmt *st, const struct reader *r, unsigned char key[16])
{
    char *sql = sqlite3_expanded_sql(st);
    if (!sql)
        return false;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 16);
    int64_t head[3] = {r ? r->account_id : -1, r ? (int64_t)r->all : 0,
                       r ? (int64_t)r->admin : 0};
    crypto_generichash_update(&h, (const unsigned char *)head, sizeof head);
    for (size_t i = 0; r && i < r->nbodies; i++) {
        int64_t b[2] = {r->bodies[i].body_id, (int64_t)r->bodies[i].roles};
        crypto_generichash_update(&h, (const unsigned char *)b, sizeof b);
    }
    crypto_generichash_update(&h, (const unsigned char *)sql, strlen(sql));
    sqlite3_free(sql);
    crypto_generichash_final(&h, key, 16);
    return true;
}

int count_rows_seen(struct store *s, sqlite3_stmt *st, const struct reader *r, size_t *total,
                    struct err *e)
{
    int64_t version = store_data_version(s);
    if (version < 0 || !total || sodium_init() < 0)
        return count_rows(s, st, total, e);
    unsigned char key[16];
    if (!memo_key(st, r, key))
        return count_rows(s, st, total, e);
    if (!s->counts)
        s->counts = xcalloc(1, sizeof *s->counts);
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        struct count_memo *m = &s->counts->slot[i];
        if (m->used && m->version == version && memcmp(m->key, key, sizeof key) == 0) {
            *total = m->total;
            fin(st);
            return 0;
        }
    }
    int rc = count_rows(s, st, total, e);
    if (rc == 0) {
        struct count_memo *m = &s->counts->slot[s->counts->next++ % MEMO_SLOTS];
        memcpy(m->key, key, sizeof key);
        m->used = true;
        m->version = version;
        m->total = *total;
    }
    return rc;
}

void count_memos_free(struct store *s)
{
    free(s->counts);
    s->counts = NULL;
}
