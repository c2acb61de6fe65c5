/* cmd_unit: `referat unit add|list|member|link` (issue 10, followups): the units that own
 * follow-ups together ("Ledelsessekretariatet"), their members, and the links from the owner
 * names the extraction finds to accounts and units (docs/access.md). */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define USAGE_ADD "referat unit add NAME [--db PATH]\n"
#define USAGE_LIST "referat unit list [--json] [--db PATH]\n"
#define USAGE_MEMBER "referat unit member UNIT LOGIN [--remove] [--db PATH]\n"
#define USAGE_LINK "referat unit link OWNER (--account LOGIN | --unit UNIT | --none) [--db PATH]\n"
#define NOTE                                                                                 \
    "A unit's members own the follow-ups whose owner is the unit's name or is linked to the\n" \
    "unit; OWNER is an owner's name as the follow-ups have it (referat followups).\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"remove", no_argument, NULL, 'r'},
                                     {"account", required_argument, NULL, 'a'},
                                     {"unit", required_argument, NULL, 'u'},
                                     {"none", no_argument, NULL, 'n'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static int unit_add(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("unit", argc, argv, opts, "d", 1, 1, USAGE_ADD, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int64_t id = 0;
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = store_unit_add(s, a.pos[0], cli_actor(), &id, &e)) < 0)
        st = cli_fail(&e, rc);
    else
        printf("unit %lld: %s\n", (long long)id, a.pos[0]);
    store_close(s);
    return rc < 0 ? st : 0;
}

/* The unit named name (any case), or 0 after saying so. */
static int64_t unit_find(struct store *s, const char *name, struct err *e, int *rc)
{
    struct store_unit *u = NULL;
    size_t n = 0;
    int64_t id = 0;
    struct store_page pg = {0, STORE_PAGE_MAX};
    if ((*rc = store_units(s, &pg, &u, &n, NULL, e)) < 0)
        return 0;
    for (size_t i = 0; i < n && !id; i++)
        if (strcasecmp(u[i].name, name) == 0)
            id = u[i].id;
    store_units_free(u, n);
    if (!id) {
        err_set(e, ERR_NOTFOUND, 0, 0, "no unit named '%s' (referat unit list)", name);
        *rc = ERR_NOTFOUND;
    }
    return id;
}

static int unit_list(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("unit", argc, argv, opts, "dj", 0, 0, USAGE_LIST, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    struct store_unit *u = NULL;
    size_t n = 0;
    struct store_page pg = {0, STORE_PAGE_MAX};
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    if ((rc = store_units(s, &pg, &u, &n, NULL, &e)) < 0) {
        st = cli_fail(&e, rc);
        store_close(s);
        return st;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *m = json_array();
        if (!a.opt['j'])
            printf("%lld\t%s\t", (long long)u[i].id, u[i].name);
        for (size_t k = 0; k < u[i].nmembers; k++) {
            json_array_append_new(m, json_string(u[i].members[k].login));
            if (!a.opt['j'])
                printf("%s%s", k ? ", " : "", u[i].members[k].login);
        }
        if (!a.opt['j'])
            putchar('\n');
        json_array_append_new(arr, json_pack("{s:I,s:s,s:o}", "id", (json_int_t)u[i].id, "name",
                                             u[i].name, "members", m));
    }
    if (a.opt['j'])
        cli_print_json(arr);
    else
        json_decref(arr);
    store_units_free(u, n);
    store_close(s);
    return 0;
}

static int unit_member(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("unit", argc, argv, opts, "dr", 2, 2, USAGE_MEMBER, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        return 1;
    int64_t id = unit_find(s, a.pos[0], &e, &rc);
    if (rc == 0)
        rc = store_unit_member(s, id, a.pos[1], !a.opt['r'], cli_actor(), &e);
    if (rc < 0)
        st = cli_fail(&e, rc);
    else
        printf("%s %s %s\n", a.pos[1], a.opt['r'] ? "is not in" : "is in", a.pos[0]);
    store_close(s);
    return rc < 0 ? st : 0;
}

static int unit_link(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("unit", argc, argv, opts, "daun", 1, 1, USAGE_LINK, NOTE, &a);
    if (st >= 0)
        return st;
    if (!!a.opt['a'] + !!a.opt['u'] + !!a.opt['n'] != 1) {
        fputs("referat unit link: give one of --account LOGIN, --unit UNIT, --none\n", stderr);
        cli_usage(stderr, USAGE_LINK, NULL);
        return 2;
    }
    struct store *s = NULL;
    struct err e = {0};
    int64_t person = 0, account = 0, unit = 0;
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        return 1;
    rc = store_person_lookup(s, a.pos[0], &person, &e);
    if (rc == 0 && a.opt['a']) {
        struct store_account acc = {0};
        if ((rc = store_account_get(s, a.opt['a'], &acc, &e)) == 0)
            account = acc.id;
        store_account_fini(&acc);
    }
    if (rc == 0 && a.opt['u'])
        unit = unit_find(s, a.opt['u'], &e, &rc);
    if (rc == 0)
        rc = store_person_link_set(s, person, account, unit, cli_actor(), &e);
    if (rc < 0)
        st = cli_fail(&e, rc);
    else if (a.opt['n'])
        printf("%s is linked to nobody (the name itself decides)\n", a.pos[0]);
    else
        printf("%s is linked to %s %s\n", a.pos[0], account ? "account" : "unit",
               account ? a.opt['a'] : a.opt['u']);
    store_close(s);
    return rc < 0 ? st : 0;
}

static const struct cli_verb verbs[] = {
    {"add", unit_add, USAGE_ADD},
    {"list", unit_list, USAGE_LIST},
    {"member", unit_member, USAGE_MEMBER},
    {"link", unit_link, USAGE_LINK},
};

int cmd_unit(int argc, char **argv)
{
    return cli_verbs("unit", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
