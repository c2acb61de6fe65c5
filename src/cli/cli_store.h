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

#endif
