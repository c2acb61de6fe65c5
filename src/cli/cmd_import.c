/* cmd_import: `referat import [--db PATH] FILE|DIR...`: one transaction per document. */
#include "cli.h"
#include "cli_store.h"
#include "util/file.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define USAGE "usage: referat import [--db PATH] [--quiet] FILE|DIR...\n"

struct paths {
    char **v;
    size_t n;
};

static void add_path(struct paths *p, const char *path)
{
    p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    p->v[p->n++] = xstrdup(path);
}

static bool is_document(const char *path)
{
    /* The file's own name: "./a.md" under the folder "." is no hidden file. */
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *dot = strrchr(name, '.');
    return name[0] != '.' && dot &&
           (strcmp(dot, ".md") == 0 || strcmp(dot, ".txt") == 0 || strcmp(dot, ".json") == 0);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The documents under a folder (.md, .txt, .json; hidden names skipped), recursively, in
 * name order so that every run imports them in the same order. */
static int walk(const char *dir, struct paths *out)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: cannot read the folder: %s\n", dir, strerror(errno));
        return -1;
    }
    struct paths here = {0};
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        /* Hidden files and READMEs beside the documents are not cases. */
        if (de->d_name[0] == '.' || strncasecmp(de->d_name, "README", 6) == 0)
            continue;
        struct buf p = BUF_INIT;
        buf_printf(&p, "%s/%s", dir, de->d_name);
        add_path(&here, buf_cstr(&p));
        buf_free(&p);
    }
    closedir(d);
    qsort(here.v, here.n, sizeof *here.v, by_name);
    for (size_t i = 0; i < here.n; i++) {
        struct stat st;
        if (stat(here.v[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (walk(here.v[i], out) < 0)
                rc = -1;
        } else if (is_document(here.v[i])) {
            add_path(out, here.v[i]);
        }
        free(here.v[i]);
    }
    free(here.v);
    return rc;
}

/* One line redrawn in place on a terminal: "[#####.....] 123/456 name". */
static void progress(size_t done, size_t total, const char *name)
{
    enum { WIDTH = 30 };
    size_t fill = total ? done * WIDTH / total : WIDTH;
    char bar[WIDTH + 1];
    for (size_t i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    const char *base = strrchr(name, '/');
    fprintf(stderr, "\r\033[K[%s] %zu/%zu %.40s", bar, done, total, base ? base + 1 : name);
    fflush(stderr);
}

struct counts {
    size_t imported, unchanged, updated, failed;
};

/* Reads, parses and stores one document. Returns 0, 1 when the document failed (the others
 * go on), or a negative code when the archive failed (the import stops). */
static int import_one(struct store *s, const char *path, struct counts *n, bool *cleared)
{
    struct err e = {.file = path};
    struct buf b = BUF_INIT;
    struct warnings w = {0};
    struct case_doc *c = NULL;
    int rc = file_read(path, &b, &e);
    if (rc == 0) {
        const struct fmt_reader *r = fmt_detect(buf_cstr(&b), b.len);
        if (!r) {
            err_set(&e, ERR_SYNTAX, 1, 1,
                    "expected a case (Markdown, plain text or JSON export)");
            rc = ERR_SYNTAX;
        } else if ((rc = fmt_read(r, buf_cstr(&b), b.len, 0, &c, &e, &w)) == 0) {
            struct store_doc d = {path, r->name, buf_cstr(&b), b.len, c};
            enum store_outcome out;
            e = (struct err){0};
            rc = store_import(s, &d, NULL, &out, NULL, &e);
            if (rc == 0) {
                n->imported += out == STORE_IMPORTED;
                n->unchanged += out == STORE_UNCHANGED;
                n->updated += out == STORE_UPDATED;
            }
        }
    }
    if (rc < 0) {
        if (*cleared == false) {
            fputs("\r\033[K", stderr);
            *cleared = true;
        }
        if (rc == ERR_DB) {
            cli_print_err(&e);
        } else {
            n->failed++;
            if (!e.file)
                e.file = path;
            cli_print_err(&e);
        }
    }
    case_free(c);
    warnings_fini(&w);
    buf_free(&b);
    return rc == ERR_DB ? rc : rc < 0 ? 1 : 0;
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    bool quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind >= argc) {
        fputs(USAGE, stderr);
        return 2;
    }
    struct paths files = {0};
    struct counts n = {0};
    size_t missing = 0;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (walk(argv[i], &files) < 0)
                missing++;
        } else {
            add_path(&files, argv[i]);
        }
    }
    struct store *s = NULL;
    int rc = cli_store_open(db, STORE_CREATE, &s);
    if (rc < 0)
        goto done;
    bool tty = !quiet && isatty(STDERR_FILENO) && files.n > 1;
    size_t i;
    for (i = 0; i < files.n; i++) {
        bool cleared = !tty;
        if (tty)
            progress(i, files.n, files.v[i]);
        rc = import_one(s, files.v[i], &n, &cleared);
        if (rc < 0)
            break;
    }
    if (tty)
        fputs("\r\033[K", stderr);
    if (rc < 0)
        fprintf(stderr, "referat import: stopped; %zu document(s) not imported\n",
                files.n - i);
    printf("imported %zu, unchanged %zu, updated %zu, failed %zu\n", n.imported, n.unchanged,
           n.updated, n.failed + missing + (rc < 0 ? files.n - i : 0));
done:
    store_close(s);
    for (size_t k = 0; k < files.n; k++)
        free(files.v[k]);
    free(files.v);
    return rc < 0 || n.failed || missing ? 1 : 0;
}
