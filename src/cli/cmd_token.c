/* cmd_token: `referat token add|list|revoke`: bearer tokens for the API, shown once when made
 * and kept in the archive only as a hash. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_ADD "referat token add LOGIN [--label TEXT] [--db PATH]\n"
#define USAGE_LIST "referat token list [LOGIN] [--json] [--db PATH]\n"
#define USAGE_REVOKE "referat token revoke ID [--db PATH]\n"
#define NOTE                                                                                 \
    "token add prints the token on standard output, once: it is not stored, only its hash.\n" \
    "ID is the number token list shows.\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"label", required_argument, NULL, 'l'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static int token_add(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("token", argc, argv, opts, "dl", 1, 1, USAGE_ADD, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    char token[STORE_TOKEN_LEN + 1];
    int64_t id = 0;
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = store_token_add(s, a.pos[0], a.opt['l'], cli_actor(), token, &id, &e)) < 0)
        st = cli_fail(&e, rc);
    else {
        /* The token alone on stdout, so that `TOKEN=$(referat token add ...)` works. */
        printf("%s\n", token);
        fflush(stdout);
        fprintf(stderr, "token %lld for %s: keep it now, it will not be shown again\n",
                (long long)id, a.pos[0]);
        sodium_memzero(token, sizeof token);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int token_list(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("token", argc, argv, opts, "dj", 0, 1, USAGE_LIST, NOTE, &a);
    if (st >= 0)
        return st;
    const char *login = a.npos ? a.pos[0] : NULL;
    struct store *s = NULL;
    struct err e = {0};
    struct store_account acc = {0};
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    /* An unknown login is an error, not an empty list. */
    if (login && (rc = store_account_get(s, login, &acc, &e)) < 0) {
        st = cli_fail(&e, rc);
        store_close(s);
        return st;
    }
    store_account_fini(&acc);
    json_t *arr = json_array();
    size_t count = 0;
    if (!a.opt['j'])
        printf("%-6s %-16s %-21s %-21s %-21s %s\n", "ID", "LOGIN", "CREATED", "USED", "REVOKED",
               "LABEL");
    for (struct store_page pg = {0, STORE_PAGE_MAX};; pg.offset += pg.limit) {
        struct store_token *v = NULL;
        size_t n = 0;
        if ((rc = store_tokens(s, login, &pg, &v, &n, NULL, &e)) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            const struct store_token *t = &v[i];
            if (a.opt['j'])
                json_array_append_new(
                    arr, json_pack("{s:I,s:s,s:o,s:s,s:o,s:o}", "id", (json_int_t)t->id,
                                   "login", t->login, "label", str_or_null(t->label),
                                   "created_at", t->created_at, "used_at",
                                   str_or_null(t->used_at), "revoked_at",
                                   str_or_null(t->revoked_at)));
            else
                printf("%-6lld %-16s %-21s %-21s %-21s %s\n", (long long)t->id, t->login,
                       t->created_at, t->used_at ? t->used_at : "-",
                       t->revoked_at ? t->revoked_at : "-", t->label ? t->label : "");
        }
        count += n;
        store_tokens_free(v, n);
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
        printf("%zu token(s)\n", count);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

/* When the token was revoked, or NULL (also for an unknown id: the store says so). */
static char *revoked_at(struct store *s, int64_t id, struct err *e)
{
    char *at = NULL;
    for (struct store_page pg = {0, STORE_PAGE_MAX};; pg.offset += pg.limit) {
        struct store_token *v = NULL;
        size_t n = 0;
        if (store_tokens(s, NULL, &pg, &v, &n, NULL, e) < 0)
            return NULL;
        for (size_t i = 0; i < n && !at; i++)
            if (v[i].id == id && v[i].revoked_at)
                at = xstrdup(v[i].revoked_at);
        store_tokens_free(v, n);
        if (at || n < pg.limit)
            return at;
    }
}

static int token_revoke(int argc, char **argv)
{
    struct cli_args a;
    int64_t id;
    int st = cli_args_parse("token", argc, argv, opts, "d", 1, 1, USAGE_REVOKE, NOTE, &a);
    if (st >= 0)
        return st;
    if (!cli_parse_id("token revoke", "ID", a.pos[0], &id))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    char *at = NULL;
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        st = 1;
    else if ((at = revoked_at(s, id, &e)) != NULL)
        printf("token %lld was revoked already at %s; nothing changed\n", (long long)id, at);
    else if ((rc = store_token_revoke(s, id, cli_actor(), &e)) < 0)
        st = cli_fail(&e, rc);
    else
        printf("token %lld revoked\n", (long long)id);
    free(at);
    store_close(s);
    return rc < 0 ? st : 0;
}

static const struct cli_verb verbs[] = {
    {"add", token_add, USAGE_ADD},
    {"list", token_list, USAGE_LIST},
    {"revoke", token_revoke, USAGE_REVOKE},
};

int cmd_token(int argc, char **argv)
{
    return cli_verbs("token", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
