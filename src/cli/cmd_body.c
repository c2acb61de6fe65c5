/* cmd_body: `referat body add|list|settings`: the boards and committees (Direktionen,
 * Økonomiudvalget) that meet, own cases and on which people hold roles, and their settings. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_ADD "referat body add CODE --name NAME [--db PATH]\n"
#define USAGE_LIST "referat body list [--json] [--db PATH]\n"
#define USAGE_SETTINGS "referat body settings CODE [KEY=VALUE ...] [--db PATH]\n"
#define NOTE "CODE: the short form used in routes and grants (DIR, ØK), at most 16 characters.\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"name", required_argument, NULL, 'n'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static int body_add(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("body", argc, argv, opts, "dn", 1, 1, USAGE_ADD, NOTE, &a);
    if (st >= 0)
        return st;
    if (!a.opt['n']) {
        fputs("referat body add: --name NAME is required\n", stderr);
        cli_usage(stderr, USAGE_ADD, NULL);
        return 2;
    }
    struct store *s = NULL;
    struct err e = {0};
    int64_t id = 0;
    int rc = cli_store_open(a.opt['d'], STORE_CREATE, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = store_body_add(s, a.pos[0], a.opt['n'], cli_actor(), &id, &e)) < 0)
        st = cli_fail(&e, rc);
    else
        printf("body %lld: %s %s\n", (long long)id, a.pos[0], a.opt['n']);
    store_close(s);
    return rc < 0 ? st : 0;
}

static int body_list(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("body", argc, argv, opts, "dj", 0, 0, USAGE_LIST, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    json_t *arr = json_array();
    size_t count = 0;
    for (struct store_page pg = {0, STORE_PAGE_MAX};; pg.offset += pg.limit) {
        struct store_body *v = NULL;
        size_t n = 0;
        if ((rc = store_bodies(s, &pg, &v, &n, NULL, &e)) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (a.opt['j'])
                json_array_append_new(arr, json_pack("{s:I,s:s,s:o,s:I}", "id",
                                                     (json_int_t)v[i].id, "code", v[i].code,
                                                     "name", v[i].name ? json_string(v[i].name)
                                                                       : json_null(),
                                                     "meetings", (json_int_t)v[i].nmeetings));
            else
                printf("%-8s %-40s %zu meeting(s)\n", v[i].code, v[i].name ? v[i].name : "-",
                       v[i].nmeetings);
        }
        count += n;
        store_bodies_free(v, n);
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
        printf("%zu body(ies)\n", count);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

/* issue 8: a body's settings (store_body_setting_defs): shown, or set in one transaction
 * (KEY= sets a key back to its default). */
static int body_settings(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("body", argc, argv, opts, "d", 1, 64, USAGE_SETTINGS, NOTE, &a);
    if (st >= 0)
        return st;
    const char *keys[63], *values[63];
    char *copies[63];
    size_t n = 0;
    for (int i = 1; i < a.npos; i++) {
        char *eq = strchr(a.pos[i], '=');
        if (!eq) {
            fprintf(stderr, "referat body settings: expected KEY=VALUE, got '%s'\n", a.pos[i]);
            for (size_t k = 0; k < n; k++)
                free(copies[k]);
            return 2;
        }
        copies[n] = xstrdup(a.pos[i]);
        copies[n][eq - a.pos[i]] = '\0';
        keys[n] = copies[n];
        values[n] = copies[n] + (eq - a.pos[i]) + 1;
        n++;
    }
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], n ? 0 : STORE_READONLY, &s);
    if (rc < 0) {
        st = 1;
    } else if (n) {
        if ((rc = store_body_settings_set(s, a.pos[0], keys, values, n, cli_actor(), &e)) < 0)
            st = cli_fail(&e, rc);
    } else {
        for (size_t i = 0; rc == 0 && i < store_nbody_setting_defs; i++) {
            char *v = NULL;
            if ((rc = store_body_setting_get(s, a.pos[0], store_body_setting_defs[i].key, &v,
                                             &e)) < 0)
                st = cli_fail(&e, rc);
            else
                printf("%-22s %-12s %s\n", store_body_setting_defs[i].key, v ? v : "-",
                       store_body_setting_defs[i].label);
            free(v);
        }
    }
    for (size_t k = 0; k < n; k++)
        free(copies[k]);
    store_close(s);
    return rc < 0 ? st : 0;
}

static const struct cli_verb verbs[] = {
    {"add", body_add, USAGE_ADD},
    {"list", body_list, USAGE_LIST},
    {"settings", body_settings, USAGE_SETTINGS},
};

int cmd_body(int argc, char **argv)
{
    return cli_verbs("body", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
