/* store_fixture: what the store's unit tests share: a fresh archive named for the test and
 * the process, a row count by SQL, and the clock set through $REFERAT_CLOCK_FILE (as the
 * tests of the server set it). Static inline: a test uses what it needs. */
#ifndef REFERAT_STORE_FIXTURE_H
#define REFERAT_STORE_FIXTURE_H

#include "test.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The archive's path, for tests that reopen it or look at its files. */
static char dbpath[256];

/* A new, empty archive at /tmp/referat-test-<name>-<pid>.db (an old one and its -wal and
 * -shm removed first); NULL, said on stderr, when it cannot be made. */
static inline struct store *fixture_fresh(const char *name)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-%s-%d.db", name, (int)getpid());
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, suffix[i]);
        unlink(p);
    }
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(dbpath, STORE_CREATE, &s, &e) != 0)
        fprintf(stderr, "open %s: %s\n", dbpath, e.msg);
    return s;
}

/* The first column of the first row of sql, or -1. */
static inline long long fixture_count(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(store_sqlite_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Sets the clock (src/util/clock.h) to iso ("2024-01-05T10:00:00Z"), read again on every
 * call: a test moves time by calling this again. */
static inline void fixture_clock(const char *iso)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/referat-test-clock-%d", (int)getpid());
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%s\n", iso);
        fclose(f);
    }
    setenv("REFERAT_CLOCK_FILE", path, 1);
}

#endif
