/* cmd_serve: `referat serve [--db PATH] [--listen HOST:PORT]`: the public portal. */
#include "cli.h"
#include "cli_store.h"
#include "web/web.h"
#include "store/outbox.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE                                                                                      \
    "usage: referat serve [--db PATH] [--listen HOST:PORT] [--threads N] [--timeout SECONDS]\n"    \
    "                     [--max-connections N] [--cache-mb N] [--max-form-mb N]\n"               \
    "                     [--base-url URL] [--trusted-proxy ADDR[,ADDR...]]\n"                   \
    "                     [--read-only] [--quiet] [--routes] [--outbox-seconds N]\n"             \
    "Serves the portal: the public view to everyone, and the staff area (/arbejde) to those\n"    \
    "who log in (/log-ind). --listen defaults to 127.0.0.1:8080; port 0 picks a free port.\n"     \
    "Rendered public pages are cached in memory (--cache-mb, default 64; 0 turns it off)\n"       \
    "until the archive changes. --base-url (https://HOST) is used for every absolute URL and\n"  \
    "decides Secure cookies, over the archive's public.base_url; connections from a\n"           \
    "--trusted-proxy (or the archive's proxy.trusted) are not limited per address, and the\n"    \
    "address it appends to X-Forwarded-For is the client. --read-only serves a read-only\n"     \
    "archive (a public mirror: no logins). --routes prints every route and who may use it\n"   \
    "as JSON, and exits. Stops cleanly on SIGTERM or SIGINT. Guests' invitations are sent\n"   \
    "every --outbox-seconds (default 300; 0: never, `referat invitations send` does it).\n"

/* A whole number in 1..max, or 0. */
static unsigned count(const char *s, unsigned max)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= 1 && v <= (long)max ? (unsigned)v : 0;
}

/* The route table as JSON: what the permission matrix test checks its own table against. */
static int print_routes(void)
{
    static const char *const access[] = {"public", "login", "staff", "admin", "body",
                                         "public-form", "one-click"}; /* issue 10, notices */
    static const char *const scope[] = {"none", "case", "meeting", "body",
                                        "followup" /* issue 10, followups */};
    size_t n;
    const struct web_route *r = web_routes(&n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *roles = json_array();
        for (int bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
            if (r[i].roles & bit)
                json_array_append_new(roles, json_string(role_name(bit)));
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o,s:s,s:b}", "method", r[i].method,
                                           "pattern", r[i].pattern, "access",
                                           access[r[i].access], "roles", roles, "scope",
                                           scope[r[i].scope], "token", web_route_token(&r[i])));
    }
    char *s = json_dumps(a, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(a);
    puts(s ? s : "[]");
    free(s);
    return 0;
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
                                         {"read-only", no_argument, NULL, 'r'},
                                         {"routes", no_argument, NULL, 'R'},
                                         {"max-form-mb", required_argument, NULL, 'F'},
                                         {"base-url", required_argument, NULL, 'b'},
                                         {"trusted-proxy", required_argument, NULL, 'p'},
                                         {"outbox-seconds", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct web_config cfg = {.listen = "127.0.0.1:8080",
                             .timeout = 15,
                             .max_conns = 1024,
                             .access_log = true,
                             .cache_bytes = (size_t)64 << 20,
                             .max_form = (size_t)1 << 20};
    bool routes = false;
    long outbox_seconds = 300; /* issue 8: the invitations' outbox */
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:t:T:c:m:qhrRF:b:p:o:", opts, NULL)) != -1) {
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
        case 'r':
            cfg.read_only = true;
            break;
        case 'R':
            routes = true;
            break;
        case 'F':
            if (!count(optarg, 1024)) {
                fputs("referat serve: --max-form-mb: expected megabytes from 1 to 1024\n", stderr);
                return 2;
            }
            cfg.max_form = (size_t)count(optarg, 1024) << 20;
            break;
        case 'b': /* checked by web_serve, which says what it expects */
            cfg.public_base_url = optarg;
            break;
        case 'p':
            cfg.trusted_proxies = optarg;
            break;
        case 'o':
            if (strcmp(optarg, "0") != 0 && !count(optarg, 86400)) {
                fputs("referat serve: --outbox-seconds: expected seconds from 0 to 86400\n",
                      stderr);
                return 2;
            }
            outbox_seconds = strtol(optarg, NULL, 10);
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
    if (routes)
        return print_routes();
    cfg.db_path = cli_db_path(db);
    /* Fail now, with the store's message, rather than on every request; a writable archive
     * is upgraded here, once, before the workers open theirs. */
    struct store *s = NULL;
    if (cli_store_open(db, cfg.read_only ? STORE_READONLY : 0, &s) < 0)
        return 1;
    /* The archive's proxy.trusted stands in for --trusted-proxy: the per-address connection
     * limit is set up at start (the server reads the setting itself for X-Forwarded-For). */
    char *proxy = NULL;
    struct err e = {0};
    if (!cfg.trusted_proxies && store_setting_get(s, "proxy.trusted", &proxy, &e) == 0 && proxy)
        cfg.trusted_proxies = proxy;
    store_close(s);
    /* A mirror sends nothing; the outbox has its own connection and thread. */
    struct outbox_worker *outbox = NULL;
    if (!cfg.read_only && outbox_seconds > 0 &&
        !(outbox = outbox_worker_start(cfg.db_path, (unsigned)outbox_seconds)))
        fputs("referat serve: the invitations' outbox could not start\n", stderr);
    int rc = web_serve(&cfg) < 0 ? 1 : 0;
    outbox_worker_stop(outbox);
    free(proxy);
    return rc;
}
