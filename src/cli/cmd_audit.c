/* cmd_audit: `referat audit verify|log`: checking the ledger's hash chain, and reading it. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define USAGE_VERIFY "referat audit verify [--db PATH]\n"
#define USAGE_LOG "referat audit log [--object case:12] [--limit N] [--json] [--db PATH]\n"
#define NOTE                                                                                 \
    "verify checks every event's hash and its link to the one before: it prints ok and exits\n" \
    "0, or names the first broken event and exits 1. log lists events newest first (--limit\n" \
    "50 by default).\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"object", required_argument, NULL, 'o'},
                                     {"limit", required_argument, NULL, 'l'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static int audit_verify(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("audit", argc, argv, opts, "d", 0, 0, USAGE_VERIFY, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int64_t broken = 0;
    char *why = NULL, head[65];
    size_t count = 0;
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    if ((rc = store_ledger_verify(s, &broken, &why, &count, head, &e)) < 0)
        st = cli_fail(&e, rc);
    else if (broken)
        printf("ledger event %lld: %s\n", (long long)broken, why ? why : "broken");
    else
        printf("ok\n%zu events, head %s\n", count, count ? head : "(none)");
    free(why);
    store_close(s);
    return rc < 0 ? st : broken ? 1 : 0;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *event_json(const struct store_event *ev)
{
    json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:o,s:i,s:i,s:o}", "id", (json_int_t)ev->id,
                          "at", ev->at, "actor_id", (json_int_t)ev->actor_id, "actor", ev->actor,
                          "action", ev->action, "object", str_or_null(ev->object), "before",
                          ev->before, "after", ev->after, "client", str_or_null(ev->client));
    /* detail is a JSON object text: kept as an object, not a string. */
    json_t *d = ev->detail ? json_loads(ev->detail, 0, NULL) : NULL;
    json_object_set_new(o, "detail", d ? d : str_or_null(ev->detail));
    json_object_set_new(o, "hash", json_string(ev->hash));
    return o;
}

static void event_line(const struct store_event *ev)
{
    printf("%-6lld %s %-20s %-20s %-14s", (long long)ev->id, ev->at, ev->actor, ev->action,
           ev->object ? ev->object : "-");
    if (ev->before || ev->after)
        printf(" v%d->v%d", ev->before, ev->after);
    if (ev->client)
        printf(" from %s", ev->client);
    if (ev->detail)
        printf(" %s", ev->detail);
    putchar('\n');
}

static int audit_log(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("audit", argc, argv, opts, "dolj", 0, 0, USAGE_LOG, NOTE, &a);
    if (st >= 0)
        return st;
    int64_t limit = STORE_PAGE_DEFAULT;
    if (a.opt['l'] && !cli_parse_id("audit log", "--limit", a.opt['l'], &limit))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    json_t *arr = json_array();
    size_t shown = 0, total = 0;
    for (struct store_page pg = {0, STORE_PAGE_MAX}; shown < (size_t)limit;
         pg.offset += pg.limit) {
        struct store_event *v = NULL;
        size_t n = 0;
        if ((size_t)limit - shown < pg.limit)
            pg.limit = (size_t)limit - shown;
        if ((rc = store_events(s, a.opt['o'], &reader_all, &pg, &v, &n, &total, &e)) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (a.opt['j'])
                json_array_append_new(arr, event_json(&v[i]));
            else
                event_line(&v[i]);
        }
        shown += n;
        store_events_free(v, n);
        if (n < pg.limit)
            break;
    }
    if (rc < 0) {
        json_decref(arr);
        st = cli_fail(&e, rc);
    } else if (a.opt['j']) {
        cli_print_json(arr);
    } else {
        json_decref(arr);
        printf("%zu of %zu event(s)\n", shown, total);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

static const struct cli_verb verbs[] = {
    {"verify", audit_verify, USAGE_VERIFY},
    {"log", audit_log, USAGE_LOG},
};

int cmd_audit(int argc, char **argv)
{
    return cli_verbs("audit", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
