/* sdg_filter: `verdensmål:N` in a search query, checked per case against case_sdg. */
#include "sdg_filter.h"
#include "../model/sdg.h"
#include "../util/buf.h"

#include <stdlib.h>
#include <string.h>

/* The field's spellings, lower case: "verdensmål" and its ASCII form. */
static size_t field_len(const char *w)
{
    static const char *const names[] = {"verdensm\xc3\xa5l:", "verdensmaal:"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(names[i]), k = 0;
        for (; k < n && w[k]; k++) {
            unsigned char c = (unsigned char)w[k], d = (unsigned char)names[i][k];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (c == 0x85 && k > 0 && (unsigned char)w[k - 1] == 0xc3)
                c = 0xa5; /* Å */
            if (c != d)
                break;
        }
        if (k == n)
            return n;
    }
    return 0;
}

int search_sdg_strip(const char *q, unsigned *goal, char **rest, struct err *e)
{
    *goal = 0;
    *rest = NULL;
    if (!q)
        return 0;
    struct buf out = BUF_INIT;
    bool found = false;
    const char *p = q;
    while (*p) {
        const char *w = p;
        /* Words are split at spaces; a filter word inside a phrase is just text. */
        bool at_word = w == q || w[-1] == ' ' || w[-1] == '\t';
        size_t n = at_word ? field_len(w) : 0;
        if (!n) {
            buf_putc(&out, *p++);
            continue;
        }
        const char *v = w + n, *end = v;
        while (*end && *end != ' ' && *end != '\t')
            end++;
        sdg_set set = 0;
        char num[8] = {0};
        size_t len = (size_t)(end - v);
        if (found || len == 0 || len > 2 || (memcpy(num, v, len), sdg_parse(num, &set, NULL)) < 0 ||
            sdg_count(set) != 1) {
            buf_free(&out);
            err_set(e, ERR_USAGE, 0, 0,
                    found ? "verdensmål: expected one goal per search"
                          : "verdensmål: expected a goal number from 1 to 17, e.g. verdensmål:13");
            return ERR_USAGE;
        }
        found = true;
        for (unsigned g = 1; g <= SDG_COUNT; g++)
            if (set & SDG_BIT(g))
                *goal = g;
        p = end;
    }
    if (!found) {
        buf_free(&out);
        return 0;
    }
    *rest = buf_detach(&out);
    return 0;
}

int search_sdg_check(sqlite3 *db, sqlite3_stmt **st, int64_t case_id, unsigned goal,
                     bool closed_index, bool *ok, struct err *e)
{
    *ok = false;
    if (!*st && sqlite3_prepare_v2(db,
                                   "SELECT 1 FROM case_sdg g JOIN \"case\" c ON c.id = g.case_id "
                                   "WHERE g.case_id = ?1 AND g.goal = ?2 AND (c.public = 1 OR ?3) "
                                   "LIMIT 1",
                                   -1, st, NULL) != SQLITE_OK) {
        err_set(e, ERR_DB, 0, 0, "searching by verdensmål: %s", sqlite3_errmsg(db));
        return ERR_DB;
    }
    sqlite3_bind_int64(*st, 1, case_id);
    sqlite3_bind_int(*st, 2, (int)goal);
    sqlite3_bind_int(*st, 3, closed_index);
    int step = sqlite3_step(*st);
    *ok = step == SQLITE_ROW;
    sqlite3_reset(*st);
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        return 0;
    err_set(e, ERR_DB, 0, 0, "searching by verdensmål: %s", sqlite3_errmsg(db));
    return ERR_DB;
}
