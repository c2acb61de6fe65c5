/* err: return codes and the caller-owned error record printed the way compilers do. */
#ifndef REFERAT_ERR_H
#define REFERAT_ERR_H

#include <stddef.h>

enum {
    ERR_OK = 0,
    ERR_SYNTAX = -1,   /* input is not what the format expects */
    ERR_UTF8 = -2,     /* input is not valid UTF-8 */
    ERR_IO = -3,       /* a file could not be read or written */
    ERR_USAGE = -4,    /* bad command line */
    ERR_NOTFOUND = -5, /* no such object */
    ERR_DB = -6,       /* the database failed */
    ERR_LIMIT = -7,    /* input exceeds a limit */
    ERR_CLOSED = -8,   /* closed content asked for in public mode */
    ERR_CONFLICT = -9, /* stale save, duplicate, or not from this state (HTTP 409) */
    ERR_DENIED = -10,  /* the person may not do this (HTTP 403) */
    ERR_AUTH = -11,    /* wrong login or password, or an unknown session or token */
    ERR_BUSY = -12,    /* throttled: too many attempts; try again later */
};

const char *err_strerror(int code);

/* Filled by the function that fails; file is borrowed (the caller keeps it alive), msg is
 * owned. line and col are 1-based; 0 means unknown. Messages never quote closed text. */
struct err {
    int code;
    const char *file;
    unsigned line;
    unsigned col;
    char msg[256];
};

void err_set(struct err *e, int code, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "file:line:col: msg" (parts that are unknown are left out). */
void err_format(const struct err *e, char *out, size_t outlen);

/* Warnings collected during a parse: a growable list of messages with positions. */
struct warn {
    unsigned line;
    unsigned col;
    char *msg;
};

struct warnings {
    struct warn *v;
    size_t n;
    size_t cap;
};

void warnings_add(struct warnings *w, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void warnings_fini(struct warnings *w);

#endif
