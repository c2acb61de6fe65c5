/* cmd_serve: `referat serve [--db PATH] [--listen HOST:PORT]`: the public portal. */
#include "cli.h"
#include "cli_store.h"
#include "web/web.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE                                                                                      \
    "usage: referat serve [--db PATH] [--listen HOST:PORT] [--threads N] [--timeout SECONDS]\n"    \
    "                     [--max-connections N] [--cache-mb N] [--quiet]\n"                        \
    "                     [--base-url URL] [--trusted-proxy ADDR[,ADDR...]]\n"                     \
    "Serves the public portal (closed content never shown). --listen defaults to\n"                \
    "127.0.0.1:8080; port 0 picks a free port. Rendered pages are cached in memory\n"              \
    "(--cache-mb, default 64; 0 turns it off) until the archive changes. Stops cleanly on\n"       \
    "SIGTERM or SIGINT. --base-url (https://HOST) is used for every absolute URL (feeds);\n"       \
    "connections from a --trusted-proxy are not limited per address, and the address it\n"         \
    "appends to X-Forwarded-For is logged as the client.\n"

/* A whole number in 1..max, or 0. */
static unsigned count(const char *s, unsigned max)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= 1 && v <= (long)max ? (unsigned)v : 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"listen", required_argument, NULL, 'l'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"timeout", required_argument, NULL, 'T'},
                                         {"max-connections", required_argument, NULL, 'c'},
                                         {"cache-mb", required_argument, NULL, 'm'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"base-url", required_argument, NULL, 'b'},
                                         {"trusted-proxy", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct web_config cfg = {.listen = "127.0.0.1:8080",
                             .timeout = 15,
                             .max_conns = 1024,
                             .access_log = true,
                             .cache_bytes = (size_t)64 << 20};
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:t:T:c:m:qhb:p:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            cfg.listen = optarg;
            break;
        case 't':
            if (!(cfg.threads = count(optarg, 1024))) {
                fputs("referat serve: --threads: expected a number from 1 to 1024\n", stderr);
                return 2;
            }
            break;
        case 'T':
            if (!(cfg.timeout = count(optarg, 3600))) {
                fputs("referat serve: --timeout: expected seconds from 1 to 3600\n", stderr);
                return 2;
            }
            break;
        case 'c':
            if (!(cfg.max_conns = count(optarg, 100000))) {
                fputs("referat serve: --max-connections: expected a number from 1 to 100000\n",
                      stderr);
                return 2;
            }
            break;
        case 'm':
            if (strcmp(optarg, "0") == 0) {
                cfg.cache_bytes = 0;
            } else if (count(optarg, 65536)) {
                cfg.cache_bytes = (size_t)count(optarg, 65536) << 20;
            } else {
                fputs("referat serve: --cache-mb: expected megabytes from 0 to 65536\n", stderr);
                return 2;
            }
            break;
        case 'q':
            cfg.access_log = false;
            break;
        case 'b': /* checked by web_serve, which says what it expects */
            cfg.public_base_url = optarg;
            break;
        case 'p':
            cfg.trusted_proxies = optarg;
            break;
        case 'h':
            fputs(USAGE, stdout);
            return 0;
        default:
            fputs(USAGE, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(USAGE, stderr);
        return 2;
    }
    cfg.db_path = cli_db_path(db);
    /* Fail now, with the store's message, rather than on every request. */
    struct store *s = NULL;
    if (cli_store_open(db, STORE_READONLY, &s) < 0)
        return 1;
    store_close(s);
    return web_serve(&cfg) < 0 ? 1 : 0;
}
