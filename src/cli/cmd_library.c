/* cmd_library: `referat library import|list|export`: a body's library (standard texts, case
 * templates, recurring items) from and to its file (docs/library.md). */
#include "cli.h"
#include "cli_store.h"
#include "format/library_file.h"
#include "util/buf.h"
#include "util/file.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_IMPORT "referat library import FILE [--body CODE] [--replace] [--db PATH]\n"
#define USAGE_LIST "referat library list --body CODE [--kind KIND] [--json] [--db PATH]\n"
#define USAGE_EXPORT "referat library export --body CODE [--output FILE] [--db PATH]\n"
#define NOTE                                                                                       \
    "KIND: text (standard texts), template (case templates) or recurring (items every\n"           \
    "new meeting gets). import adds the file's items and changes those whose kind and\n"           \
    "name it has; --replace also deletes the body's items the file lacks. --body\n"                \
    "defaults to the file's \"body\".\n"

static const struct option opts[] = {
    {"db", required_argument, NULL, 'd'},   {"body", required_argument, NULL, 'b'},
    {"kind", required_argument, NULL, 'k'}, {"replace", no_argument, NULL, 'r'},
    {"json", no_argument, NULL, 'j'},       {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};

/* Prints item i's problems at their places in the file. */
static void print_problems(const char *path, const struct library_file *f, size_t i,
                           const struct library_problems *pr)
{
    for (size_t k = 0; k < pr->n && k < LIBRARY_PROBLEMS_MAX; k++) {
        unsigned line, col;
        library_file_locate(f, i, pr->v[k].field, &line, &col);
        fprintf(stderr, "%s:%u:%u: %s\n", path, line, col, pr->v[k].message);
    }
}

static int library_import(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("library", argc, argv, opts, "dbr", 1, 1, USAGE_IMPORT, NOTE, &a);
    if (st >= 0)
        return st;
    const char *path = a.pos[0];
    struct err e = {.file = path};
    struct buf b = BUF_INIT;
    struct library_file f = {0};
    struct store *s = NULL;
    int rc = file_read(path, &b, &e);
    if (rc == 0 && (rc = library_file_parse(buf_cstr(&b), b.len, &f, &e)) == 0) {
        /* Every problem of every item first, each at its place; the store then checks what
         * needs the archive (names taken, the body's limits). */
        size_t problems = 0;
        for (size_t i = 0; i < f.n; i++) {
            struct library_problems pr = {0};
            if (library_item_check(&f.v[i], &pr)) {
                print_problems(path, &f, i, &pr);
                problems += pr.n;
            }
        }
        if (problems) {
            fprintf(stderr,
                    "referat library import: %zu problem(s) in %s; nothing was "
                    "imported\n",
                    problems, path);
            st = 1;
            goto done;
        }
    }
    if (rc < 0) {
        st = cli_fail(&e, rc);
        goto done;
    }
    const char *body = a.opt['b'] ? a.opt['b'] : f.body;
    if (!body) {
        fprintf(stderr, "referat library import: say which body (--body CODE, or \"body\" in "
                        "the file)\n");
        st = 2;
        goto done;
    }
    if ((rc = cli_store_open(a.opt['d'], STORE_CREATE, &s)) < 0) {
        st = 1;
        goto done;
    }
    struct store_library_counts c = {0};
    struct library_problems pr = {0};
    size_t bad = 0;
    struct err se = {0};
    rc = store_body_items_import(s, body, f.v, f.n, a.opt['r'] != NULL, cli_actor(), &c, &bad, &pr,
                                 &se);
    if (rc < 0 && pr.n) {
        print_problems(path, &f, bad, &pr);
        fprintf(stderr, "referat library import: nothing was imported\n");
        st = 1;
    } else if (rc < 0) {
        st = cli_fail(&se, rc);
    } else {
        printf("library %s: %zu added, %zu changed, %zu unchanged, %zu deleted\n", body, c.added,
               c.changed, c.unchanged, c.deleted);
        st = 0;
    }
done:
    store_close(s);
    library_file_fini(&f);
    buf_free(&b);
    return st;
}

static int need_body(const char *verb, const struct cli_args *a, const char *usage)
{
    if (a->opt['b'])
        return -1;
    fprintf(stderr, "referat library %s: --body CODE is required\n", verb);
    cli_usage(stderr, usage, NULL);
    return 2;
}

/* The body's items, as the store lists them, or an exit status. */
static int load(const struct cli_args *a, const char *kind, struct store **s,
                struct store_body_item **v, size_t *n)
{
    struct err e = {0};
    if (cli_store_open(a->opt['d'], STORE_READONLY, s) < 0)
        return 1;
    int rc = store_body_items(*s, a->opt['b'], kind, v, n, &e);
    return rc < 0 ? cli_fail(&e, rc) : -1;
}

static int library_list(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("library", argc, argv, opts, "dbkj", 0, 0, USAGE_LIST, NOTE, &a);
    if (st >= 0 || (st = need_body("list", &a, USAGE_LIST)) >= 0)
        return st;
    struct store *s = NULL;
    struct store_body_item *v = NULL;
    size_t n = 0;
    if ((st = load(&a, a.opt['k'], &s, &v, &n)) < 0) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            if (a.opt['j'])
                json_array_append_new(arr,
                                      json_pack("{s:I,s:s,s:i,s:s,s:i}", "id", (json_int_t)v[i].id,
                                                "kind", v[i].kind, "pos", v[i].pos, "name",
                                                v[i].name, "version", v[i].version));
            else
                printf("%-9s %3d  %-6lld %s (version %d)\n", v[i].kind, v[i].pos,
                       (long long)v[i].id, v[i].name, v[i].version);
        }
        if (a.opt['j'])
            cli_print_json(arr);
        else {
            json_decref(arr);
            printf("%zu item(s)\n", n);
        }
        st = 0;
    }
    store_body_items_free(v, n);
    store_close(s);
    return st;
}

static int library_export(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("library", argc, argv, opts, "dbo", 0, 0, USAGE_EXPORT, NOTE, &a);
    if (st >= 0 || (st = need_body("export", &a, USAGE_EXPORT)) >= 0)
        return st;
    struct store *s = NULL;
    struct store_body_item *v = NULL;
    size_t n = 0;
    if ((st = load(&a, NULL, &s, &v, &n)) < 0) {
        struct library_item *items = xcalloc(n ? n : 1, sizeof *items);
        for (size_t i = 0; i < n; i++)
            items[i] = (struct library_item){v[i].kind,     v[i].name,     v[i].text,
                                             v[i].sections, v[i].duration, v[i].public};
        char *out = library_file_write(a.opt['b'], items, n);
        struct err e = {.file = a.opt['o']};
        st = 0;
        if (a.opt['o'] && strcmp(a.opt['o'], "-") != 0) {
            int rc = file_write(a.opt['o'], out, strlen(out), &e);
            if (rc < 0)
                st = cli_fail(&e, rc);
        } else {
            fputs(out, stdout);
        }
        free(out);
        free(items);
    }
    store_body_items_free(v, n);
    store_close(s);
    return st;
}

static const struct cli_verb verbs[] = {
    {"import", library_import, USAGE_IMPORT},
    {"list", library_list, USAGE_LIST},
    {"export", library_export, USAGE_EXPORT},
};

int cmd_library(int argc, char **argv)
{
    return cli_verbs("library", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
