/* cmd_followups: `referat followups [filters] [--json]` and `referat followup done ID`. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"

#define USAGE_LIST                                                                           \
    "usage: referat followups [--db PATH] [--owner NAME] [--open|--done] [--overdue]\n"      \
    "                         [--on DATE] [--case ID] [--public] [--json]\n"
#define USAGE_ONE                                                                            \
    "usage: referat followup done ID [--db PATH] [--by NAME] [--at TIME]\n"                  \
    "       referat followup reopen ID [--db PATH]\n"

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void print_json(const struct store_followup *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(v[i].id));
        json_object_set_new(o, "case", json_integer(v[i].case_id));
        json_object_set_new(o, "case_title", str_or_null(v[i].case_title));
        json_object_set_new(o, "body", str_or_null(v[i].body));
        json_object_set_new(o, "date", str_or_null(v[i].meeting_date));
        json_object_set_new(o, "entry", str_or_null(v[i].entry_title));
        json_object_set_new(o, "owner", str_or_null(v[i].owner));
        json_object_set_new(o, "role", str_or_null(v[i].role));
        json_object_set_new(o, "text", str_or_null(v[i].text));
        json_object_set_new(o, "due", str_or_null(v[i].due));
        json_object_set_new(o, "status", json_string(v[i].done ? "done" : "open"));
        json_object_set_new(o, "done_by", str_or_null(v[i].done_by));
        json_object_set_new(o, "done_at", str_or_null(v[i].done_at));
        json_array_append_new(arr, o);
    }
    char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(s ? s : "[]");
    free(s);
    json_decref(arr);
}

static void print_table(const struct store_followup *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("#%-5lld %-4s %-10s %s%s%s  [case %lld]\n    %s\n", (long long)v[i].id,
               v[i].done ? "done" : "open", v[i].due ? v[i].due : "-", v[i].owner,
               v[i].role ? ", " : "", v[i].role ? v[i].role : "", (long long)v[i].case_id,
               v[i].text);
        if (v[i].done)
            printf("    done %s%s%s\n", v[i].done_at, v[i].done_by ? " by " : "",
                   v[i].done_by ? v[i].done_by : "");
    }
    printf("%zu follow-up(s)\n", n);
}

int cmd_followups(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"owner", required_argument, NULL, 'w'},
                                         {"open", no_argument, NULL, 'O'},
                                         {"done", no_argument, NULL, 'D'},
                                         {"overdue", no_argument, NULL, 'v'},
                                         {"on", required_argument, NULL, 'n'},
                                         {"case", required_argument, NULL, 'c'},
                                         {"public", no_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *on = NULL, *case_arg = NULL;
    bool overdue = false, json = false, pub = false;
    struct store_followup_filter f = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'w': f.owner = optarg; break;
        case 'O': f.status = STORE_OPEN; break;
        case 'D': f.status = STORE_DONE; break;
        case 'v': overdue = true; break;
        case 'n': on = optarg; break;
        case 'c': case_arg = optarg; break;
        case 'p': pub = true; break;
        case 'j': json = true; break;
        case 'h': fputs(USAGE_LIST, stdout); return 0;
        default: fputs(USAGE_LIST, stderr); return 2;
        }
    }
    if (optind != argc) {
        fputs(USAGE_LIST, stderr);
        return 2;
    }
    /* Overdue means due before today (or before --on DATE, for reports and tests). */
    char today[11];
    clock_today(today);
    if (overdue)
        f.overdue_on = on ? on : today;
    struct store *s = NULL;
    struct err e = {0};
    struct store_followup *v = NULL;
    size_t n = 0;
    int rc = cli_store_open(db, STORE_READONLY, &s);
    if (rc < 0)
        goto done;
    if (case_arg && (rc = store_case_lookup(s, case_arg, &f.case_id, &e)) < 0)
        goto fail;
    /* Every follow-up, a page at a time: the store never hands out a whole table. */
    for (struct store_page pg = {0, STORE_PAGE_MAX};; pg.offset += pg.limit) {
        struct store_followup *part = NULL;
        size_t np = 0;
        if ((rc = store_followups(s, &f, pub ? NULL : &reader_all, &pg, &part, &np, NULL, &e)) <
            0)
            goto fail;
        v = xrealloc(v, (n + np + 1) * sizeof *v);
        memcpy(v + n, part, np * sizeof *part);
        n += np;
        free(part);
        if (np < pg.limit)
            break;
    }
    if (json)
        print_json(v, n);
    else
        print_table(v, n);
    goto done;
fail:
    cli_print_err(&e);
done:
    store_followups_free(v, n);
    store_close(s);
    return rc < 0 ? 1 : 0;
}

int cmd_followup(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"by", required_argument, NULL, 'b'},
                                         {"at", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *by = NULL, *at = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:b:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'b': by = optarg; break;
        case 'a': at = optarg; break;
        case 'h': fputs(USAGE_ONE, stdout); return 0;
        default: fputs(USAGE_ONE, stderr); return 2;
        }
    }
    if (optind != argc - 2 ||
        (strcmp(argv[optind], "done") != 0 && strcmp(argv[optind], "reopen") != 0)) {
        fputs(USAGE_ONE, stderr);
        return 2;
    }
    bool reopen = strcmp(argv[optind], "reopen") == 0;
    char *end;
    long long id = strtoll(argv[optind + 1], &end, 10);
    if (*end || id <= 0) {
        fprintf(stderr, "referat followup: '%s' is not a follow-up id (see referat followups)\n",
                argv[optind + 1]);
        return 2;
    }
    struct store *s = NULL;
    struct err e = {0};
    bool was_done = false;
    int rc = cli_store_open(db, 0, &s);
    if (rc < 0)
        goto done;
    rc = reopen ? store_followup_reopen(s, id, NULL, &e)
                : store_followup_done(s, id, by, at, NULL, &was_done, &e);
    if (rc < 0) {
        cli_print_err(&e);
        goto done;
    }
    if (reopen)
        printf("follow-up %lld is open again\n", id);
    else if (was_done)
        printf("follow-up %lld was already done\n", id);
    else
        printf("follow-up %lld done%s%s\n", id, by ? " by " : "", by ? by : "");
done:
    store_close(s);
    return rc < 0 ? 1 : 0;
}
