/* cmd_remind: `referat remind`: the follow-ups' e-mail reminders due at the clock's today
 * (issue 10, remind; run daily by referat-remind.timer). */
#include "cli.h"
#include "cli_store.h"
#include "store/remind.h"
#include "util/clock.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define USAGE "referat remind [--db PATH]\n"
#define NOTE                                                                                  \
    "Sends each open follow-up's owner a reminder when its due date is within the body's\n"   \
    "followup.remind_days (default 7), and a notice the day after it has passed, through the\n" \
    "relay of the settings (smtp.*); at most one per follow-up per day, however often it\n"  \
    "runs. The owner's address is that of the enabled account with the owner's name. Exit\n"  \
    "1 when a reminder could not be sent (an owner without an address is only reported).\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static void report(void *arg, const struct store_reminder *r, const char *outcome,
                   const char *why)
{
    (void)arg;
    printf("followup %lld  %s  %s %s  %s%s%s\n", (long long)r->followup_id, r->owner, r->kind,
           r->due, outcome, why ? ": " : "", why ? why : "");
}

int cmd_remind(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("remind", argc, argv, opts, "d", 0, 0, USAGE, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    struct remind_stats n = {0};
    char today[11];
    int lock = -1;
    if (cli_store_open(a.opt['d'], 0, &s) < 0)
        return 1;
    clock_today(today);
    int rc = remind_lock(cli_db_path(a.opt['d']), &lock, &e);
    if (rc == 0)
        rc = remind_run(s, cli_actor(), today, &n, report, NULL, &e);
    remind_unlock(lock);
    store_close(s);
    if (rc < 0) {
        /* A relay down or not set up is not a bad command line: exit 1, not 2. */
        fprintf(stderr, "referat remind: %s\n", e.msg);
        if (rc == ERR_IO)
            fprintf(stderr, "referat remind: stopped; %zu sent before it, the rest is not "
                    "marked as sent and goes with the next run\n", n.sent);
        return 1;
    }
    printf("reminders %s: %zu sent, %zu without address, %zu failed\n", today, n.sent,
           n.no_address, n.failed);
    return n.failed ? 1 : 0;
}
