/* buf: growable NUL-terminated buffer and the escapers built on it. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("referat: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void buf_grow(struct buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            oom();
        cap *= 2;
    }
    b->ptr = xrealloc(b->ptr, cap);
    b->cap = cap;
}

void buf_put(struct buf *b, const void *data, size_t len)
{
    if (b->len + len + 1 > b->cap)
        buf_grow(b, len);
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    if (b->len + 2 > b->cap)
        buf_grow(b, 1);
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        buf_put(b, tmp, (size_t)n);
        return;
    }
    buf_grow(b, (size_t)n);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_truncate(struct buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

const char *buf_cstr(const struct buf *b)
{
    return b->ptr ? b->ptr : "";
}

char *buf_detach(struct buf *b)
{
    char *p = b->ptr ? b->ptr : xstrdup("");
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_free(struct buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

/* Runs of safe bytes are copied in one put; only the specials are replaced. Each special's
 * next position is found with memchr (many bytes at a time) and kept until it is passed, so
 * text with few specials costs a few memchr calls rather than a look-up per byte. */
static void escape(struct buf *b, const char *s, size_t len, int attr)
{
    static const char specials[] = "&<>\"'";
    static const char *const reps[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    if (!len) { /* s may be NULL then, which memchr must not see */
        buf_put(b, s, 0);
        return;
    }
    size_t nspec = attr ? 5 : 3; /* text escapes only the first three */
    const char *next[5];
    for (size_t k = 0; k < nspec; k++)
        next[k] = memchr(s, specials[k], len);
    size_t start = 0;
    for (;;) {
        size_t first = nspec;
        for (size_t k = 0; k < nspec; k++)
            if (next[k] && (first == nspec || next[k] < next[first]))
                first = k;
        if (first == nspec)
            break;
        size_t i = (size_t)(next[first] - s);
        buf_put(b, s + start, i - start);
        buf_puts(b, reps[first]);
        start = i + 1;
        next[first] = memchr(s + start, specials[first], len - start);
    }
    buf_put(b, s + start, len - start);
}

void buf_html_text(struct buf *b, const char *s, size_t len)
{
    escape(b, s, len, 0);
}

void buf_html_attr(struct buf *b, const char *s, size_t len)
{
    escape(b, s, len, 1);
}

void buf_url_arg(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_put(b, esc, 3);
        }
    }
}
