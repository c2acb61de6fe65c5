/* pack: zlib's deflate for the archive's stored bytes (issue 11, storage). */
#include "pack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Level 1: on the archive's Markdown 7 % larger than level 6 and a third faster. One stream
 * per thread, reset for each use: deflateInit's allocation and clearing cost more than
 * deflating a few KB. (Kept until the thread ends, as zlib's state is.) */
#define PACK_LEVEL 1

static _Thread_local z_stream zs;
static _Thread_local bool zs_ready;

bool pack_deflate(const void *p, size_t n, struct buf *out)
{
    buf_truncate(out, 0);
    /* A few dozen bytes deflate to no less. */
    if (n < 64 || n > 0x7fffffff)
        return false;
    if (!zs_ready) {
        memset(&zs, 0, sizeof zs);
        if (deflateInit(&zs, PACK_LEVEL) != Z_OK)
            return false;
        zs_ready = true;
    } else if (deflateReset(&zs) != Z_OK) {
        return false;
    }
    size_t cap = (size_t)deflateBound(&zs, (uLong)n);
    buf_grow(out, cap);
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)out->ptr;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out >= n)
        return false;
    out->len = (size_t)zs.total_out;
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
