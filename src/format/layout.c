/* layout: the line patch that turns a canonical rendering back into the source's bytes.
 *
 * Readers of line formats build the model, render it canonically with the writer of the same
 * format, and keep the difference to the source as hunks (format/layout in case.h). The patch
 * is keyed by a hash of the canonical rendering: when the model changes, its rendering changes,
 * and the stale patch is ignored rather than misapplied. */
#include "format.h"
#include "lines.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* How far ahead the aligner looks for the two texts to meet again. The alignment need not be
 * minimal to be correct (any hunks that map canon to src will do), so a small window keeps it
 * linear; past the window a line counts as replaced. */
enum { WINDOW = 24 };

static void hash_hex(const char *p, size_t n, char hex[33])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)p, n, NULL, 0);
    sodium_bin2hex(hex, 33, h, sizeof h);
}

static int same(const struct span *a, const struct span *b)
{
    return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* A resync point is good when the lines after it agree too (or the texts end there): blank
 * lines match everywhere and would pull the alignment off course on their own. */
static int meets(const struct span *c, size_t nc, size_t i, const struct span *s, size_t ns,
                 size_t j)
{
    if (i >= nc || j >= ns || !same(&c[i], &s[j]))
        return 0;
    if (i + 1 >= nc || j + 1 >= ns)
        return i + 1 >= nc && j + 1 >= ns;
    return same(&c[i + 1], &s[j + 1]) || c[i].n > 0;
}

static void add_hunk(struct layout *l, size_t at, size_t del, const struct span *ins,
                     size_t nins)
{
    struct hunk *h = layout_add_hunk(l);
    h->at = at;
    h->del = del;
    h->nins = nins;
    h->ins = xcalloc(nins, sizeof *h->ins);
    for (size_t k = 0; k < nins; k++)
        h->ins[k] = xstrndup(ins[k].p, ins[k].n);
}

void layout_capture(struct case_doc *c, const char *format, const char *canon, size_t ncanon,
                    const char *src, size_t nsrc)
{
    layout_fini(&c->layout);
    if (ncanon == nsrc && memcmp(canon, src, nsrc) == 0)
        return; /* nothing to keep: the canonical rendering is the source */

    struct span *cv, *sv;
    size_t nc = lines_split(canon, ncanon, &cv);
    size_t ns = lines_split(src, nsrc, &sv);
    struct layout *l = &c->layout;
    size_t i = 0, j = 0;
    while (i < nc || j < ns) {
        if (i < nc && j < ns && same(&cv[i], &sv[j])) {
            i++, j++;
            continue;
        }
        /* Find the nearest (a, b) with a + b minimal where the texts meet again. */
        size_t da = 0, db = 0;
        int found = 0;
        for (size_t d = 1; d <= 2 * WINDOW && !found; d++)
            for (size_t a = 0; a <= d && !found; a++) {
                size_t b = d - a;
                if (a > WINDOW || b > WINDOW)
                    continue;
                if (meets(cv, nc, i + a, sv, ns, j + b)) {
                    da = a, db = b;
                    found = 1;
                }
            }
        if (!found) {
            /* Replace one line by one line, or take what is left at an end. */
            da = i < nc;
            db = j < ns;
        }
        /* Merge with the previous hunk when they touch, to keep patches small. */
        if (l->nhunks && l->hunks[l->nhunks - 1].at + l->hunks[l->nhunks - 1].del == i) {
            struct hunk *h = &l->hunks[l->nhunks - 1];
            h->del += da;
            h->ins = xrealloc(h->ins, (h->nins + db + 1) * sizeof *h->ins);
            for (size_t k = 0; k < db; k++)
                h->ins[h->nins++] = xstrndup(sv[j + k].p, sv[j + k].n);
        } else {
            add_hunk(l, i, da, sv + j, db);
        }
        i += da;
        j += db;
    }
    l->format = xstrdup(format);
    char hex[33];
    hash_hex(canon, ncanon, hex);
    l->base = xstrdup(hex);
    free(cv);
    free(sv);
}

void layout_apply(const struct case_doc *c, const char *format, struct buf *out, size_t from)
{
    const struct layout *l = &c->layout;
    if (!l->format || strcmp(l->format, format) != 0 || !l->base)
        return;
    char hex[33];
    hash_hex(out->ptr + from, out->len - from, hex);
    if (strcmp(hex, l->base) != 0)
        return; /* the content changed since it was read: the canonical form stands */

    struct span *cv;
    size_t nc = lines_split(out->ptr + from, out->len - from, &cv);
    /* Hunks come in order and within bounds for a base that matched; check anyway, since a
     * hand-edited JSON may hold anything. */
    size_t pos = 0;
    for (size_t k = 0; k < l->nhunks; k++) {
        if (l->hunks[k].at < pos || l->hunks[k].at > nc || l->hunks[k].del > nc - l->hunks[k].at) {
            free(cv);
            return;
        }
        pos = l->hunks[k].at + l->hunks[k].del;
    }
    struct buf res = BUF_INIT;
    size_t i = 0, emitted = 0;
    for (size_t k = 0; k <= l->nhunks; k++) {
        size_t upto = k < l->nhunks ? l->hunks[k].at : nc;
        for (; i < upto; i++) {
            if (emitted++)
                buf_putc(&res, '\n');
            buf_put(&res, cv[i].p, cv[i].n);
        }
        if (k == l->nhunks)
            break;
        for (size_t m = 0; m < l->hunks[k].nins; m++) {
            if (emitted++)
                buf_putc(&res, '\n');
            buf_puts(&res, l->hunks[k].ins[m]);
        }
        i += l->hunks[k].del;
    }
    free(cv);
    buf_truncate(out, from);
    buf_put(out, res.ptr ? res.ptr : "", res.len);
    buf_free(&res);
}
