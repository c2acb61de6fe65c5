/* tmp_fixture: a test's own folder for archives (tmpdir, set by its main), names in it, and
 * an archive removed with its -wal and -shm. Static inline: a test uses what it needs. */
#ifndef REFERAT_TMP_FIXTURE_H
#define REFERAT_TMP_FIXTURE_H

#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char tmpdir[256];

/* tmpdir/name; the last eight results stay valid. */
static inline const char *tmp_path(const char *name)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static inline void remove_db(const char *path)
{
    char p[600];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* The fixture file src copied to tmpdir/name (an archive and its -wal, -shm removed first);
 * its path, or NULL when it cannot be copied. */
static inline const char *fixture_copy(const char *src, const char *name)
{
    size_t len = 0;
    char *bytes = test_read_file(src, &len);
    const char *path = tmp_path(name);
    remove_db(path);
    FILE *f = bytes ? fopen(path, "wb") : NULL;
    bool ok = f && fwrite(bytes, 1, len, f) == len;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(bytes);
    return ok ? path : NULL;
}

#endif
