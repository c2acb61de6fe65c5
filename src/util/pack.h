/* pack: bytes kept deflated (zlib) where that makes them smaller (issue 11, storage). */
#ifndef REFERAT_UTIL_PACK_H
#define REFERAT_UTIL_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Deflates p[0..n) into out (replacing what it held) and returns true when that is smaller;
 * false (out empty): keep p as it is. */
bool pack_deflate(const void *p, size_t n, struct buf *out);

/* The size bytes that packed p[0..n) inflates to (malloc'd, NUL-terminated), or NULL when it
 * does not inflate to exactly size bytes. */
char *pack_inflate(const void *p, size_t n, size_t size);

#endif
