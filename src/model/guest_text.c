/* guest_text: the guests' sentence of a sub-item (guest_text.h). */
#include "guest_text.h"

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

char *guest_text_add(const char *text, const struct guest *g, size_t n)
{
    struct buf b = BUF_INIT;
    if (text && *text)
        buf_puts(&b, text);
    if (n) {
        if (b.len)
            buf_putc(&b, ' ');
        guest_text_sentence(&b, g, n);
    }
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
    struct buf s = BUF_INIT;
    guest_text_sentence(&s, g, n);
    size_t tl = strlen(text), sl = s.len;
    struct buf out = BUF_INIT;
    if (sl && tl >= sl && memcmp(text + tl - sl, s.ptr, sl) == 0 &&
        (tl == sl || text[tl - sl - 1] == ' ' || text[tl - sl - 1] == '\n')) {
        size_t keep = tl - sl;
        while (keep && (text[keep - 1] == ' ' || text[keep - 1] == '\n'))
            keep--;
        buf_put(&out, text, keep);
    } else {
        buf_puts(&out, text);
    }
    buf_free(&s);
    if (!out.len) {
        buf_free(&out);
        return NULL;
    }
    return buf_detach(&out);
}
