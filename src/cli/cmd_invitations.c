/* cmd_invitations: `referat invitations send|list|ics|retry`: the guests' calendar
 * invitations (issue 8): the outbox sent by hand (the server sends it periodically too), what
 * each invitation's state is, and its iCalendar. */
#include "cli.h"
#include "cli_store.h"
#include "store/outbox.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_SEND "referat invitations send [--db PATH]\n"
#define USAGE_LIST "referat invitations list [--case ID] [--state STATE] [--json] [--db PATH]\n"
#define USAGE_ICS "referat invitations ics ID [--db PATH]\n"
#define USAGE_RETRY "referat invitations retry ID [--db PATH]\n"
#define NOTE                                                                                 \
    "send: every pending invitation, and failed ones tried fewer than 5 times, through the\n" \
    "relay of the settings (smtp.*); each send or failure is recorded. STATE is pending,\n"   \
    "sent or failed. ics prints an invitation's iCalendar as it is sent.\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"case", required_argument, NULL, 'c'},
                                     {"state", required_argument, NULL, 's'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static int verb_send(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("invitations", argc, argv, opts, "d", 0, 0, USAGE_SEND, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    struct outbox_stats n = {0};
    int lock = -1;
    if (cli_store_open(a.opt['d'], 0, &s) < 0)
        return 1;
    int rc = outbox_lock(cli_db_path(a.opt['d']), &lock, &e);
    if (rc == 0)
        rc = outbox_run(s, cli_actor(), &n, &e);
    outbox_unlock(lock);
    store_close(s);
    if (rc < 0) {
        /* A missing relay setting is not a bad command line: exit 1, not 2. */
        fprintf(stderr, "referat invitations send: %s\n", e.msg);
        return 1;
    }
    printf("invitations: %zu sent, %zu failed, %zu changed meanwhile\n", n.sent, n.failed,
           n.changed);
    /* A failed send is a failure of the command: a script sees it. */
    return n.failed ? 1 : 0;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int verb_list(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("invitations", argc, argv, opts, "dcsj", 0, 0, USAGE_LIST, NOTE, &a);
    if (st >= 0)
        return st;
    struct store_invitation_filter f = {.state = a.opt['s']};
    if (a.opt['c'] && !cli_parse_id("invitations list", "--case", a.opt['c'], &f.case_id))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    struct store_invitation *v = NULL;
    size_t n = 0;
    struct store_page pg = {.limit = STORE_PAGE_MAX};
    if (cli_store_open(a.opt['d'], STORE_READONLY, &s) < 0)
        return 1;
    int rc = store_invitations(s, &f, &reader_all, &pg, &v, &n, NULL, &e);
    store_close(s);
    if (rc < 0)
        return cli_fail(&e, rc);
    json_t *arr = a.opt['j'] ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (arr) {
            json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)v[i].id,
                                  "case", (json_int_t)v[i].case_id, "email", v[i].email,
                                  "name", v[i].name, "uid", v[i].uid, "sequence",
                                  v[i].sequence, "method", v[i].method);
            json_object_set_new(o, "dtstart", str_or_null(v[i].dtstart));
            json_object_set_new(o, "dtend", str_or_null(v[i].dtend));
            json_object_set_new(o, "state", json_string(v[i].state));
            json_object_set_new(o, "error", str_or_null(v[i].error));
            json_object_set_new(o, "attempts", json_integer(v[i].attempts));
            json_object_set_new(o, "sent_at", str_or_null(v[i].sent_at));
            json_array_append_new(arr, o);
        } else {
            printf("%lld  case %lld  %s  %s seq %d  %s-%s  %s%s%s\n", (long long)v[i].id,
                   (long long)v[i].case_id, v[i].email, v[i].method, v[i].sequence,
                   v[i].dtstart ? v[i].dtstart : "-", v[i].dtend ? v[i].dtend + 11 : "-",
                   v[i].state, v[i].error ? ": " : "", v[i].error ? v[i].error : "");
        }
    }
    if (arr)
        cli_print_json(arr);
    store_invitations_free(v, n);
    return 0;
}

static int verb_ics(int argc, char **argv)
{
    struct cli_args a;
    int64_t id;
    int st = cli_args_parse("invitations", argc, argv, opts, "d", 1, 1, USAGE_ICS, NOTE, &a);
    if (st >= 0)
        return st;
    if (!cli_parse_id("invitations ics", "ID", a.pos[0], &id))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    struct store_invitation v = {0};
    struct buf out = BUF_INIT;
    if (cli_store_open(a.opt['d'], STORE_READONLY, &s) < 0)
        return 1;
    int rc = store_invitation_get(s, id, &reader_all, &v, &e);
    if (rc == 0)
        rc = outbox_ics(s, &v, NULL, &out, &e);
    store_close(s);
    store_invitation_fini(&v);
    if (rc == 0)
        fwrite(out.ptr, 1, out.len, stdout);
    buf_free(&out);
    return rc < 0 ? cli_fail(&e, rc) : 0;
}

static int verb_retry(int argc, char **argv)
{
    struct cli_args a;
    int64_t id;
    int st = cli_args_parse("invitations", argc, argv, opts, "d", 1, 1, USAGE_RETRY, NOTE, &a);
    if (st >= 0)
        return st;
    if (!cli_parse_id("invitations retry", "ID", a.pos[0], &id))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    if (cli_store_open(a.opt['d'], 0, &s) < 0)
        return 1;
    int rc = store_invitation_retry(s, id, cli_actor(), &e);
    store_close(s);
    if (rc < 0)
        return cli_fail(&e, rc);
    printf("invitation %lld: pending\n", (long long)id);
    return 0;
}

static const struct cli_verb verbs[] = {
    {"send", verb_send, USAGE_SEND},
    {"list", verb_list, USAGE_LIST},
    {"ics", verb_ics, USAGE_ICS},
    {"retry", verb_retry, USAGE_RETRY},
};

int cmd_invitations(int argc, char **argv)
{
    return cli_verbs("invitations", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
