/* pack: zlib's deflate for the archive's stored bytes (issue 11, storage). */
#include "pack.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Level 1: on the archive's Markdown 7 % larger than level 6 and a third faster. One stream
 * per thread, reset for each use: deflateInit's allocation and clearing cost more than
 * deflating a few KB. It is freed when the thread ends (the key's destructor), so a server
 * thread per connection leaves nothing behind. */
#define PACK_LEVEL 1

static pthread_key_t zs_key;
static pthread_once_t zs_once = PTHREAD_ONCE_INIT;

static void zs_free(void *p)
{
    z_stream *z = p;
    deflateEnd(z);
    free(z);
}

static void zs_key_make(void)
{
    if (pthread_key_create(&zs_key, zs_free) != 0)
        abort();
}

/* This thread's stream, reset; NULL when zlib has no memory for one. */
static z_stream *zs_get(void)
{
    pthread_once(&zs_once, zs_key_make);
    z_stream *z = pthread_getspecific(zs_key);
    if (z)
        return deflateReset(z) == Z_OK ? z : NULL;
    z = xcalloc(1, sizeof *z);
    if (deflateInit(z, PACK_LEVEL) != Z_OK) {
        free(z);
        return NULL;
    }
    if (pthread_setspecific(zs_key, z) != 0) {
        zs_free(z);
        return NULL;
    }
    return z;
}

bool pack_deflate(const void *p, size_t n, struct buf *out)
{
    buf_truncate(out, 0);
    /* A few dozen bytes deflate to no less. */
    if (n < 64 || n > 0x7fffffff)
        return false;
    z_stream *z = zs_get();
    if (!z)
        return false;
    size_t cap = (size_t)deflateBound(z, (uLong)n);
    buf_grow(out, cap);
    z->next_in = (Bytef *)p;
    z->avail_in = (uInt)n;
    z->next_out = (Bytef *)out->ptr;
    z->avail_out = (uInt)cap;
    if (deflate(z, Z_FINISH) != Z_STREAM_END || z->total_out >= n)
        return false;
    out->len = (size_t)z->total_out;
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
