/* file: read a whole file; write one atomically (temporary file + rename). */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int file_read(const char *path, struct buf *out, struct err *e)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        err_set(e, ERR_IO, 0, 0, "cannot open: %s", strerror(errno));
        return ERR_IO;
    }
    int rc = 0;
    for (;;) {
        buf_grow(out, 1 << 16);
        size_t r = fread(out->ptr + out->len, 1, out->cap - out->len - 1, f);
        out->len += r;
        out->ptr[out->len] = '\0';
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        err_set(e, ERR_IO, 0, 0, "cannot read: %s", strerror(errno));
        rc = ERR_IO;
    }
    if (f != stdin)
        fclose(f);
    if (!out->ptr)
        buf_grow(out, 1), out->ptr[0] = '\0';
    return rc;
}

int file_write(const char *path, const char *p, size_t n, struct err *e)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(p, 1, n, stdout) != n || fflush(stdout) != 0) {
            err_set(e, ERR_IO, 0, 0, "cannot write to standard output: %s", strerror(errno));
            return ERR_IO;
        }
        return 0;
    }
    struct buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    int rc = 0;
    FILE *f = fopen(tmp.ptr, "wb");
    if (!f) {
        err_set(e, ERR_IO, 0, 0, "cannot create: %s", strerror(errno));
        rc = ERR_IO;
        goto done;
    }
    if (fwrite(p, 1, n, f) != n || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        err_set(e, ERR_IO, 0, 0, "cannot write: %s", strerror(errno));
        fclose(f);
        remove(tmp.ptr);
        rc = ERR_IO;
        goto done;
    }
    if (fclose(f) != 0 || rename(tmp.ptr, path) != 0) {
        err_set(e, ERR_IO, 0, 0, "cannot write: %s", strerror(errno));
        remove(tmp.ptr);
        rc = ERR_IO;
    }
done:
    buf_free(&tmp);
    return rc;
}
