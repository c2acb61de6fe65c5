/* pack: zlib's deflate for the archive's stored bytes (issue 11, storage). */
#include "pack.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

bool pack_deflate(const void *p, size_t n, struct buf *out)
{
    buf_truncate(out, 0);
    /* A few dozen bytes deflate to no less. */
    if (n < 64 || n > 0x7fffffff)
        return false;
    uLongf cap = compressBound((uLong)n);
    buf_grow(out, (size_t)cap);
    if (compress2((Bytef *)out->ptr, &cap, (const Bytef *)p, (uLong)n, 6) != Z_OK || cap >= n) {
        buf_truncate(out, 0);
        return false;
    }
    out->len = (size_t)cap;
    out->ptr[out->len] = '\0';
    return true;
}

char *pack_inflate(const void *p, size_t n, size_t size)
{
    if (size > 0x7fffffff || !p)
        return NULL;
    char *out = xmalloc(size + 1);
    uLongf got = (uLongf)size;
    if (uncompress((Bytef *)out, &got, (const Bytef *)p, (uLong)n) != Z_OK || got != size) {
        free(out);
        return NULL;
    }
    out[size] = '\0';
    return out;
}
