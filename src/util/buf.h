/* buf: the one growable byte buffer, always NUL-terminated, with escaping helpers. */
#ifndef REFERAT_BUF_H
#define REFERAT_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* A zeroed struct buf is a valid empty buffer. Allocation failure aborts (as Redis does),
 * so no caller carries a half-built buffer. ptr is NULL until the first write; buf_cstr()
 * always returns a valid string. */
struct buf {
    char *ptr;
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_truncate(struct buf *b, size_t len);
const char *buf_cstr(const struct buf *b);
/* Hand the heap string to the caller (never NULL) and leave b empty. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);

/* Escapers, named by the context they write into. */
void buf_html_text(struct buf *b, const char *s, size_t len);  /* element content */
void buf_html_attr(struct buf *b, const char *s, size_t len);  /* quoted attribute value */
void buf_url_arg(struct buf *b, const char *s, size_t len);    /* one URL query component */

/* Heap helpers that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
