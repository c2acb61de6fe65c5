/* guest_text: the guests' sentence of a sub-item (guest_text.h). */
#include "guest_text.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "case.h"

/* A role inside the sentence: "Chef for ..." -> "chef for ...", but "IT-chef" stays. */
static void role_inside(struct buf *b, const char *role)
{
    unsigned char c0 = (unsigned char)role[0], c1 = (unsigned char)role[1];
    if (c0 >= 'A' && c0 <= 'Z' && !(c1 >= 'A' && c1 <= 'Z') && c1 != '-') {
        buf_putc(b, (char)(c0 - 'A' + 'a'));
        role++;
    }
    buf_puts(b, role);
}

void guest_text_sentence(struct buf *b, const struct guest *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(b, i + 1 == n ? " og " : ", ");
        if (g[i].role && *g[i].role) {
            if (i)
                role_inside(b, g[i].role);
            else
                buf_puts(b, g[i].role);
            buf_putc(b, ' ');
        }
        buf_puts(b, g[i].name ? g[i].name : "");
    }
    if (n)
        buf_puts(b, " deltager under behandlingen af punktet.");
}

/* The guests the text does not name already (by their name): those the sentence is for. */
static size_t unnamed(const char *text, size_t tlen, const struct guest *g, size_t n,
                      struct guest *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!g[i].name || !*g[i].name || !text ||
            !memmem(text, tlen, g[i].name, strlen(g[i].name)))
            out[k++] = g[i];
    return k;
}

char *guest_text_add(const char *text, const struct guest *g, size_t n)
{
    struct buf b = BUF_INIT;
    struct guest *u = n ? xcalloc(n, sizeof *u) : NULL;
    size_t nu = unnamed(text, text ? strlen(text) : 0, g, n, u);
    if (text && *text)
        buf_puts(&b, text);
    if (nu) {
        if (b.len)
            buf_putc(&b, ' ');
        guest_text_sentence(&b, u, nu);
    }
    free(u);
    if (!b.len) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

char *guest_text_strip(const char *text, const struct guest *g, size_t n)
{
    if (!text)
        return NULL;
    size_t tl = strlen(text), keep = tl;
    struct guest *u = n ? xcalloc(n, sizeof *u) : NULL;
    /* Where the sentence guest_text_add wrote starts: a place after which the text is the
     * sentence for the guests that the text before it does not name. */
    for (size_t i = 0; n && i < tl && keep == tl; i++) {
        if (i && text[i - 1] != ' ' && text[i - 1] != '\n')
            continue;
        size_t pl = i;
        while (pl && (text[pl - 1] == ' ' || text[pl - 1] == '\n'))
            pl--;
        size_t nu = unnamed(text, pl, g, n, u);
        if (!nu)
            continue;
        struct buf s = BUF_INIT;
        guest_text_sentence(&s, u, nu);
        if (s.len == tl - i && memcmp(s.ptr, text + i, s.len) == 0)
            keep = pl;
        buf_free(&s);
    }
    free(u);
    if (!keep)
        return NULL;
    char *out = xcalloc(1, keep + 1);
    memcpy(out, text, keep);
    return out;
}
