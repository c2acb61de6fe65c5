/* cmd_notices: `referat notices send|stats`: the citizens' e-mail notices (issue 10,
 * notices): the outbox sent by hand (the server sends it with the invitations' outbox), and
 * how many subscriptions a body has by state. Never prints an address. */
#include "cli.h"
#include "cli_store.h"
#include "store/notice.h"
#include "store/outbox.h"

#include <getopt.h>
#include <stdio.h>

#define USAGE_SEND "referat notices send [--db PATH]\n"
#define USAGE_STATS "referat notices stats [--body CODE] [--db PATH]\n"
#define NOTE                                                                                 \
    "send: every due confirmation and notice through the relay of the settings (smtp.*,\n"   \
    "public.base_url for the links); a relay that is down leaves them queued for the next\n" \
    "run; an address the relay refuses 3 times is marked failing. stats: subscriptions by\n" \
    "state and the notices queued (numbers only: addresses are never shown).\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"body", required_argument, NULL, 'b'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static int verb_send(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("notices", argc, argv, opts, "d", 0, 0, USAGE_SEND, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    struct notice_stats n = {0};
    int lock = -1;
    if (cli_store_open(a.opt['d'], 0, &s) < 0)
        return 1;
    /* One sender at a time: the server's outbox thread takes the same lock. */
    int rc = outbox_lock(cli_db_path(a.opt['d']), &lock, &e);
    if (rc == 0)
        rc = notice_run(s, cli_actor(), &n, &e);
    outbox_unlock(lock);
    store_close(s);
    if (rc < 0) {
        fprintf(stderr, "referat notices send: %s\n", e.msg);
        return 1;
    }
    printf("notices: %zu sent, %zu failed, %zu refused\n", n.sent, n.failed, n.bounced);
    return n.failed || n.bounced ? 1 : 0;
}

static int verb_stats(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("notices", argc, argv, opts, "db", 0, 0, USAGE_STATS, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    struct store_notice_counts c = {0};
    if (cli_store_open(a.opt['d'], STORE_READONLY, &s) < 0)
        return 1;
    int rc = store_notice_counts(s, a.opt['b'], &c, &e);
    store_close(s);
    if (rc < 0)
        return cli_fail(&e, rc);
    printf("pending %zu\nconfirmed %zu\nunsubscribed %zu\nfailing %zu\nqueued %zu\n", c.pending,
           c.confirmed, c.unsubscribed, c.failing, c.queued);
    return 0;
}

static const struct cli_verb verbs[] = {
    {"send", verb_send, USAGE_SEND},
    {"stats", verb_stats, USAGE_STATS},
};

int cmd_notices(int argc, char **argv)
{
    return cli_verbs("notices", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
