/* cmd_db: `referat db migrate|check|stats|backup`: upgrading, checking and copying the
 * archive. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define USAGE                                                                                \
    "usage: referat db migrate [--db PATH] [--to VERSION]\n"                                 \
    "       referat db check [--db PATH]\n"                                                  \
    "       referat db stats [--db PATH]\n"                                                  \
    "       referat db backup FILE [--db PATH]\n"                                            \
    "backup makes a consistent copy while others keep reading and writing, then checks the\n" \
    "copy as db check does; FILE must not exist.\n"

static int migrate(struct store *s, int to)
{
    struct err e = {0};
    int before = 0, after = 0;
    int rc = store_version(s, &before, &e);
    if (rc == 0)
        rc = store_migrate(s, to, &e);
    if (rc == 0)
        rc = store_version(s, &after, &e);
    if (rc < 0) {
        cli_print_err(&e);
        return 1;
    }
    if (before == after)
        printf("schema version %d: up to date\n", after);
    else
        printf("schema version %d -> %d\n", before, after);
    return 0;
}

/* Whether the archive and its folder (where SQLite keeps its -wal and -shm files) may be
 * written by this process. */
static bool writable(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    return access(path, W_OK) == 0 && access(dir, W_OK) == 0;
}

static int check(struct store *s)
{
    struct err e = {0};
    char **v = NULL;
    size_t n = 0;
    if (store_check(s, &v, &n, &e) < 0) {
        cli_print_err(&e);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%s\n", v[i]);
    printf(n ? "%zu problem(s)\n" : "ok\n", n);
    store_problems_free(v, n);
    return n ? 1 : 0;
}

/* Copies the archive to path, then opens the copy on its own (in its rollback-journal mode, so
 * it stays one file) and checks it: exit 0 only when it is clean. */
static int backup(struct store *s, const char *path)
{
    struct err e = {0};
    struct store *copy = NULL;
    struct store_stats st;
    int version = 0;
    if (store_backup(s, path, &e) < 0) {
        cli_print_err(&e);
        return 1;
    }
    if (store_open(path, STORE_NOWAL | STORE_NOMIGRATE, &copy, &e) < 0 ||
        store_stats(copy, &st, &e) < 0 || store_version(copy, &version, &e) < 0) {
        cli_print_err(&e);
        store_close(copy);
        return 1;
    }
    struct stat sb;
    long long size = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
    printf("%s: %lld bytes, schema %d: %zu bodies, %zu meetings, %zu cases, %zu versions, "
           "%zu accounts, %zu events\n",
           path, size, version, st.bodies, st.meetings, st.cases, st.versions, st.accounts,
           st.events);
    int rc = check(copy);
    if (rc)
        fprintf(stderr, "referat db backup: the copy %s did not check clean (kept for "
                        "inspection)\n", path);
    store_close(copy);
    return rc;
}

static int stats(struct store *s)
{
    struct err e = {0};
    struct store_stats st;
    int version = 0;
    if (store_stats(s, &st, &e) < 0 || store_version(s, &version, &e) < 0) {
        cli_print_err(&e);
        return 1;
    }
    printf("schema %d\nbodies %zu\nmeetings %zu\ncases %zu\nsubitems %zu\ndecisions %zu\n"
           "entries %zu\nattachments %zu\npeople %zu\nfollowups %zu\nversions %zu\n"
           "accounts %zu\nevents %zu\n",
           version, st.bodies, st.meetings, st.cases, st.subitems, st.decisions, st.entries,
           st.attachments, st.people, st.followups, st.versions, st.accounts, st.events);
    return 0;
}

int cmd_db(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"to", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int to = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 't': to = atoi(optarg); break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind > argc - 1) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *verb = argv[optind];
    /* backup takes FILE; the others nothing. */
    if (argc - optind != (strcmp(verb, "backup") == 0 ? 2 : 1)) {
        fputs(USAGE, stderr);
        return 2;
    }
    struct store *s = NULL;
    int rc;
    if (strcmp(verb, "migrate") == 0) {
        if (cli_store_open(db, STORE_CREATE | STORE_NOMIGRATE, &s) < 0)
            return 1;
        rc = migrate(s, to);
    } else if (strcmp(verb, "check") == 0) {
        /* Read-write where it can: FTS5's own integrity check runs as a (non-modifying)
         * write, and an old or half-created archive is brought up to date first, as any
         * writer would. On read-only media (or without write permission) everything else is
         * checked, and the note says what was not. */
        const char *path = cli_db_path(db);
        if (cli_store_open(db, writable(path) ? 0 : STORE_READONLY, &s) < 0)
            return 1;
        rc = check(s);
        if (store_is_readonly(s))
            fprintf(stderr, "referat db check: note: %s is read-only, so the search index's own "
                            "check (which needs a write) was not run\n", path);
    } else if (strcmp(verb, "stats") == 0) {
        if (cli_store_open(db, STORE_READONLY, &s) < 0)
            return 1;
        rc = stats(s);
    } else if (strcmp(verb, "backup") == 0) {
        /* Read-only: the copy is made under a read transaction, writers go on meanwhile. */
        if (cli_store_open(db, STORE_READONLY, &s) < 0)
            return 1;
        rc = backup(s, argv[optind + 1]);
    } else {
        fputs(USAGE, stderr);
        return 2;
    }
    store_close(s);
    return rc;
}
