/* err: error records and warning lists. */
#include "err.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *err_strerror(int code)
{
    switch (code) {
    case ERR_OK: return "ok";
    case ERR_SYNTAX: return "syntax error";
    case ERR_UTF8: return "invalid UTF-8";
    case ERR_IO: return "I/O error";
    case ERR_USAGE: return "usage error";
    case ERR_NOTFOUND: return "not found";
    case ERR_DB: return "database error";
    case ERR_LIMIT: return "limit exceeded";
    case ERR_CLOSED: return "closed content";
    case ERR_CONFLICT: return "not possible in the current state";
    case ERR_DENIED: return "not permitted";
    case ERR_AUTH: return "authentication failed";
    case ERR_BUSY: return "too many attempts";
    default: return "unknown error";
    }
}

void err_set(struct err *e, int code, unsigned line, unsigned col, const char *fmt, ...)
{
    if (!e)
        return;
    e->code = code;
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

void err_format(const struct err *e, char *out, size_t outlen)
{
    const char *file = e->file ? e->file : "<input>";
    if (e->line && e->col)
        snprintf(out, outlen, "%s:%u:%u: %s", file, e->line, e->col, e->msg);
    else if (e->line)
        snprintf(out, outlen, "%s:%u: %s", file, e->line, e->msg);
    else
        snprintf(out, outlen, "%s: %s", file, e->msg);
}

void warnings_add(struct warnings *w, unsigned line, unsigned col, const char *fmt, ...)
{
    if (!w)
        return;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        w->v = xrealloc(w->v, w->cap * sizeof *w->v);
    }
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    w->v[w->n++] = (struct warn){line, col, buf_detach(&b)};
}

void warnings_fini(struct warnings *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].msg);
    free(w->v);
    w->v = NULL;
    w->n = w->cap = 0;
}
