/* lines: a document split into lines (views into the caller's bytes, no copies). */
#ifndef REFERAT_LINES_H
#define REFERAT_LINES_H

#include <stddef.h>

struct span {
    const char *p;
    size_t n;
};

/* Split p[0..n) at every '\n'; a document of k newlines has k + 1 lines (the last may be
 * empty), so joining the lines with '\n' gives the bytes back. The '\n' is not part of a
 * line; a '\r' before it is. Returns the count; *out is heap-allocated, caller frees. */
size_t lines_split(const char *p, size_t n, struct span **out);
/* The same into an array the caller keeps between calls: *out (NULL at first) holds *cap
 * spans and is grown as needed. */
size_t lines_split_reuse(const char *p, size_t n, struct span **out, size_t *cap);

#endif
