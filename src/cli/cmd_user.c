/* cmd_user: `referat user add|list|passwd|disable|enable|grant|revoke`: accounts and their
 * roles on bodies, managed by the archive's own tools (the ledger records "cli:$USER"). */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define USAGE_ADD                                                                            \
    "referat user add LOGIN --name NAME [--email ADDR] [--admin] --password-stdin [--db PATH]\n"
#define USAGE_LIST "referat user list [--json] [--db PATH]\n"
#define USAGE_PASSWD "referat user passwd LOGIN --password-stdin [--db PATH]\n"
#define USAGE_DISABLE "referat user disable LOGIN [--db PATH]\n"
#define USAGE_ENABLE "referat user enable LOGIN [--db PATH]\n"
#define USAGE_GRANT "referat user grant LOGIN BODY ROLE [--db PATH]\n"
#define USAGE_REVOKE "referat user revoke LOGIN BODY ROLE [--db PATH]\n"
#define NOTE                                                                                 \
    "LOGIN: 1 to 64 of a-z 0-9 . _ -. ROLE: sekretaer, sagsbehandler, godkender or medlem;\n" \
    "BODY: a body's code (referat body list). The password is read from standard input (one\n" \
    "line); on a terminal it is asked for twice without echo. It needs 12 characters or more.\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"name", required_argument, NULL, 'n'},
                                     {"email", required_argument, NULL, 'e'},
                                     {"admin", no_argument, NULL, 'a'},
                                     {"password-stdin", no_argument, NULL, 'p'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static int parse(int argc, char **argv, const char *allowed, int npos, const char *usage,
                 struct cli_args *a)
{
    return cli_args_parse("user", argc, argv, opts, allowed, npos, npos, usage, NOTE, a);
}

/* The new password: from standard input, or asked for on a terminal. */
static char *password(const char *verb, const struct cli_args *a, int *status)
{
    char cmd[32];
    snprintf(cmd, sizeof cmd, "user %s", verb);
    if (!a->opt['p'] && !isatty(STDIN_FILENO)) {
        fprintf(stderr, "referat %s: give the password on standard input with "
                        "--password-stdin\n", cmd);
        *status = 2;
        return NULL;
    }
    return cli_read_secret(cmd, "password", "Adgangskode: ", status);
}

static int user_add(int argc, char **argv)
{
    struct cli_args a;
    int st = parse(argc, argv, "dneap", 1, USAGE_ADD, &a);
    if (st >= 0)
        return st;
    const char *name = a.opt['n'], *email = a.opt['e'];
    bool admin = a.opt['a'] != NULL;
    if (!name) {
        fputs("referat user add: --name NAME is required\n", stderr);
        cli_usage(stderr, USAGE_ADD, NULL);
        return 2;
    }
    char *pw = password("add", &a, &st);
    if (!pw)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int64_t id = 0;
    /* The first administrator of a new installation makes the archive. */
    int rc = cli_store_open(a.opt['d'], STORE_CREATE, &s);
    if (rc == 0 && (rc = store_account_add(s, a.pos[0], name, email, admin, pw, cli_actor(), &id,
                                           &e)) < 0)
        st = cli_fail(&e, rc);
    else if (rc < 0)
        st = 1;
    else
        printf("account %lld: %s%s\n", (long long)id, a.pos[0], admin ? " (administrator)" : "");
    cli_secret_free(pw);
    store_close(s);
    return rc < 0 ? st : 0;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *account_json(const struct store_account *u)
{
    json_t *roles = json_array();
    for (size_t k = 0; k < u->ngrants; k++)
        json_array_append_new(roles, json_pack("{s:s,s:s}", "body", u->grants[k].body, "role",
                                               role_name(u->grants[k].role)));
    return json_pack("{s:I,s:s,s:s,s:o,s:b,s:b,s:s,s:o}", "id", (json_int_t)u->id, "login",
                     u->login, "name", u->name, "email", str_or_null(u->email), "admin",
                     u->admin, "disabled", u->disabled, "created_at", u->created_at, "roles",
                     roles);
}

static void account_line(const struct store_account *u)
{
    printf("%-16s %-24s %-28s %-5s %-8s ", u->login, u->name, u->email ? u->email : "-",
           u->admin ? "admin" : "-", u->disabled ? "disabled" : "-");
    if (!u->ngrants)
        fputs("-", stdout);
    for (size_t k = 0; k < u->ngrants; k++)
        printf("%s%s:%s", k ? " " : "", u->grants[k].body, role_name(u->grants[k].role));
    putchar('\n');
}

static int user_list(int argc, char **argv)
{
    struct cli_args a;
    int st = parse(argc, argv, "dj", 0, USAGE_LIST, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    json_t *arr = json_array();
    size_t count = 0;
    if (!a.opt['j'])
        printf("%-16s %-24s %-28s %-5s %-8s %s\n", "LOGIN", "NAME", "EMAIL", "ADMIN", "STATE",
               "ROLES");
    for (struct store_page pg = {0, STORE_PAGE_MAX};; pg.offset += pg.limit) {
        struct store_account *v = NULL;
        size_t n = 0;
        if ((rc = store_accounts(s, &pg, &v, &n, NULL, &e)) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (a.opt['j'])
                json_array_append_new(arr, account_json(&v[i]));
            else
                account_line(&v[i]);
        }
        count += n;
        store_accounts_free(v, n);
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
        printf("%zu account(s)\n", count);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

static int user_passwd(int argc, char **argv)
{
    struct cli_args a;
    int st = parse(argc, argv, "dp", 1, USAGE_PASSWD, &a);
    if (st >= 0)
        return st;
    char *pw = password("passwd", &a, &st);
    if (!pw)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = store_account_passwd(s, a.pos[0], pw, cli_actor(), &e)) < 0)
        st = cli_fail(&e, rc);
    else
        printf("%s: password changed; every session of the account has ended\n", a.pos[0]);
    cli_secret_free(pw);
    store_close(s);
    return rc < 0 ? st : 0;
}

static int set_disabled(int argc, char **argv, bool disable)
{
    struct cli_args a;
    int st = parse(argc, argv, "d", 1, disable ? USAGE_DISABLE : USAGE_ENABLE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = disable ? store_account_disable(s, a.pos[0], cli_actor(), &e)
                           : store_account_enable(s, a.pos[0], cli_actor(), &e)) < 0)
        st = cli_fail(&e, rc);
    else
        printf(disable ? "%s: disabled (no login; its sessions and tokens stop working)\n"
                       : "%s: enabled\n", a.pos[0]);
    store_close(s);
    return rc < 0 ? st : 0;
}

static int user_disable(int argc, char **argv)
{
    return set_disabled(argc, argv, true);
}

static int user_enable(int argc, char **argv)
{
    return set_disabled(argc, argv, false);
}

static int change_grant(int argc, char **argv, bool grant)
{
    struct cli_args a;
    int st = parse(argc, argv, "d", 3, grant ? USAGE_GRANT : USAGE_REVOKE, &a);
    if (st >= 0)
        return st;
    const char *login = a.pos[0], *body = a.pos[1];
    int role = role_parse(a.pos[2]);
    if (!role || role == ROLE_ADMIN) {
        fprintf(stderr, "referat user %s: ROLE: expected sekretaer, sagsbehandler, godkender or "
                        "medlem%s\n", argv[0],
                role == ROLE_ADMIN ? " (an administrator is made with user add --admin)" : "");
        return 2;
    }
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        st = 1;
    else if ((rc = grant ? store_grant(s, login, body, role, cli_actor(), &e)
                         : store_revoke(s, login, body, role, cli_actor(), &e)) < 0)
        st = cli_fail(&e, rc);
    else
        printf(grant ? "%s: %s on %s\n" : "%s: no longer %s on %s\n", login, role_name(role),
               body);
    store_close(s);
    return rc < 0 ? st : 0;
}

static int user_grant(int argc, char **argv)
{
    return change_grant(argc, argv, true);
}

static int user_revoke(int argc, char **argv)
{
    return change_grant(argc, argv, false);
}

static const struct cli_verb verbs[] = {
    {"add", user_add, USAGE_ADD},
    {"list", user_list, USAGE_LIST},
    {"passwd", user_passwd, USAGE_PASSWD},
    {"disable", user_disable, USAGE_DISABLE},
    {"enable", user_enable, USAGE_ENABLE},
    {"grant", user_grant, USAGE_GRANT},
    {"revoke", user_revoke, USAGE_REVOKE},
};

int cmd_user(int argc, char **argv)
{
    return cli_verbs("user", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
