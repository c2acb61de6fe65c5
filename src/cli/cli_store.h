/* cli_store: how the archive commands find and open the archive (--db, REFERAT_DB). */
#ifndef REFERAT_CLI_STORE_H
#define REFERAT_CLI_STORE_H

#include "cli.h"
#include "store/store.h"

#include <stdlib.h>

/* The archive path: --db when given, else $REFERAT_DB, else referat.db here. */
static inline const char *cli_db_path(const char *opt)
{
    const char *env = getenv("REFERAT_DB");
    return opt ? opt : env && *env ? env : "referat.db";
}

/* Opens the archive (see store_open for flags), printing the error when it fails.
 * $REFERAT_BUSY_MS overrides how long a writer waits for another one. Returns 0 or the
 * ERR_* code. */
static inline int cli_store_open(const char *opt, int flags, struct store **s)
{
    struct err e = {0};
    int rc = store_open(cli_db_path(opt), flags, s, &e);
    if (rc < 0) {
        cli_print_err(&e);
        return rc;
    }
    const char *busy = getenv("REFERAT_BUSY_MS");
    if (busy && *busy)
        store_set_busy_timeout(*s, atoi(busy));
    return 0;
}

/* The archive's own tools as the actor of a write: every role on every body, recorded in the
 * ledger as "cli:$USER". (A NULL actor is nobody to the store: it may do nothing that needs a
 * role, so a caller that forgets to say who acts gets no rights.) */
static inline const struct store_actor *cli_actor(void)
{
    static const struct store_actor tools = {.reader = &reader_all};
    return &tools;
}

#endif
