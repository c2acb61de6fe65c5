/* cmd_config: `referat config list|get|set|unset`: the municipality's settings kept in the
 * archive (keys, checks and defaults in store_settings.c). A secret's value is never shown. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_LIST "referat config list [--json] [--db PATH]\n"
#define USAGE_GET "referat config get KEY [--db PATH]\n"
#define USAGE_SET "referat config set KEY (VALUE | --value-stdin) [--db PATH]\n"
#define USAGE_UNSET "referat config unset KEY [--db PATH]\n"
#define NOTE                                                                                 \
    "config list shows every KEY. A secret (smtp.password) is set with --value-stdin (read\n" \
    "like a password: one line, or asked for twice on a terminal) and shown only as (sat).\n" \
    "unset goes back to the default.\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"value-stdin", no_argument, NULL, 'v'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static bool secret(const struct store_setting_def *d)
{
    return d->kind == STORE_SETTING_SECRET;
}

/* What is shown for a setting's value: a secret never, only whether it is set. */
static const char *shown(const struct store_setting_def *d, const char *v)
{
    if (secret(d))
        return v ? "(sat)" : "(ikke sat)";
    return v ? v : "(ikke sat)";
}

static const struct store_setting_def *known(const char *verb, const char *key)
{
    const struct store_setting_def *d = store_setting_def(key);
    if (!d)
        fprintf(stderr, "referat config %s: unknown setting '%s' (see referat config list)\n",
                verb, key);
    return d;
}

static int config_list(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("config", argc, argv, opts, "dj", 0, 0, USAGE_LIST, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    json_t *arr = json_array();
    for (size_t i = 0; rc == 0 && i < store_nsetting_defs; i++) {
        const struct store_setting_def *d = &store_setting_defs[i];
        char *v = NULL;
        if ((rc = store_setting_get(s, d->key, &v, &e)) < 0)
            break;
        /* A value equal to the default is the default, however it got there. */
        bool is_default = v && d->def && strcmp(v, d->def) == 0;
        if (a.opt['j']) {
            json_t *o = json_pack("{s:s,s:s}", "key", d->key, "label", d->label);
            json_object_set_new(o, "value",
                                v && !secret(d) ? json_string(v) : json_null());
            json_object_set_new(o, "set", json_boolean(v != NULL));
            json_object_set_new(o, "default", json_boolean(is_default));
            json_object_set_new(o, "secret", json_boolean(secret(d)));
            json_array_append_new(arr, o);
        } else {
            printf("%-24s %s%s\n", d->key, shown(d, v), is_default ? "  (standard)" : "");
        }
        free(v);
    }
    if (rc < 0) {
        json_decref(arr);
        st = cli_fail(&e, rc);
    } else if (a.opt['j']) {
        cli_print_json(arr);
    } else {
        json_decref(arr);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

static int config_get(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("config", argc, argv, opts, "d", 1, 1, USAGE_GET, NOTE, &a);
    if (st >= 0)
        return st;
    const struct store_setting_def *d = known("get", a.pos[0]);
    if (!d)
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    char *v = NULL;
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = store_setting_get(s, d->key, &v, &e)) < 0)
        st = cli_fail(&e, rc);
    else if (secret(d) || v)
        printf("%s\n", shown(d, v));
    bool have = v || secret(d);
    free(v);
    store_close(s);
    /* Neither set nor a default: nothing printed, exit 1 (as git config does). */
    return rc < 0 ? st : have ? 0 : 1;
}

static int change(const struct cli_args *a, const char *key, const char *value)
{
    struct store *s = NULL;
    struct err e = {0};
    int st = 0;
    int rc = cli_store_open(a->opt['d'], STORE_CREATE, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = store_setting_set(s, key, value, cli_actor(), &e)) < 0)
        st = cli_fail(&e, rc);
    store_close(s);
    return rc < 0 ? st : 0;
}

static int config_set(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("config", argc, argv, opts, "dv", 1, 2, USAGE_SET, NOTE, &a);
    if (st >= 0)
        return st;
    const struct store_setting_def *d = known("set", a.pos[0]);
    if (!d)
        return 2;
    bool from_stdin = a.opt['v'] != NULL;
    if (from_stdin == (a.npos == 2)) {
        fputs("referat config set: give either VALUE or --value-stdin\n", stderr);
        cli_usage(stderr, USAGE_SET, NULL);
        return 2;
    }
    /* A command line is visible to every user of the machine (ps, shell history). */
    if (secret(d) && !from_stdin) {
        fprintf(stderr, "referat config set: %s is a secret: give it with --value-stdin, not "
                        "on the command line\n", d->key);
        return 2;
    }
    char *v = NULL;
    if (from_stdin && !(v = cli_read_secret("config set", d->key, "Værdi: ", &st)))
        return st;
    st = change(&a, d->key, v ? v : a.pos[1]);
    if (st == 0)
        printf("%s = %s\n", d->key, shown(d, v ? v : a.pos[1]));
    cli_secret_free(v);
    return st;
}

static int config_unset(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("config", argc, argv, opts, "d", 1, 1, USAGE_UNSET, NOTE, &a);
    if (st >= 0)
        return st;
    const struct store_setting_def *d = known("unset", a.pos[0]);
    if (!d)
        return 2;
    st = change(&a, d->key, NULL);
    if (st == 0)
        printf("%s: %s\n", d->key, d->def && !secret(d) ? "back to the default" : "unset");
    return st;
}

static const struct cli_verb verbs[] = {
    {"list", config_list, USAGE_LIST},
    {"get", config_get, USAGE_GET},
    {"set", config_set, USAGE_SET},
    {"unset", config_unset, USAGE_UNSET},
};

int cmd_config(int argc, char **argv)
{
    return cli_verbs("config", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
