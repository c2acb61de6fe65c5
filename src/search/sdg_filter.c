/* sdg_filter: `verdensmål:N` in a search query, and the goals' markers in the index. */
#include "sdg_filter.h"
#include "../model/case.h"
#include "../model/sdg.h"
#include "search_int.h"
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

uint32_t search_sdg_goals(const struct case_doc *c)
{
    uint32_t set = c->sdg;
    for (size_t i = 0; i < c->nsubitems; i++)
        set |= c->subitems[i].sdg;
    return set;
}

void search_sdg_markers(const struct case_doc *c, uint32_t skip, struct buf *meta)
{
    uint32_t set = search_sdg_goals(c) & ~skip;
    for (unsigned g = 1; g <= SDG_COUNT; g++)
        if (set & SDG_BIT(g))
            buf_printf(meta, "%s%c%c%u", meta->len ? " " : "", SEARCH_META, SEARCH_SDG_MARKER, g);
}
