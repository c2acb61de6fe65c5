/* cmd_import: `referat import [--db PATH] [--lenient] FILE|DIR...`: one transaction per
 * document: a case export, or a whole-meeting document (its meeting and one case per item). */
#include "cli.h"
#include "cli_store.h"
#include "model/meeting_doc.h"
#include "util/file.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define USAGE                                                                                \
    "usage: referat import [--db PATH] [--quiet] [--lenient] FILE|DIR...\n"                    \
    "  --lenient  store what a meeting document's reader could read, with its warnings; its\n" \
    "             cases are marked \"læst med forbehold\" for a secretary to review\n"

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
    /* the body library (issue 8, library): NAME.library.json is `referat library import`'s */
    size_t len = strlen(name);
    if (len > 13 && strcmp(name + len - 13, ".library.json") == 0)
        return false;
    return name[0] != '.' && dot &&
           (strcmp(dot, ".md") == 0 || strcmp(dot, ".txt") == 0 || strcmp(dot, ".json") == 0 ||
            strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0 ||
            strcasecmp(dot, ".pdf") == 0);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The documents under a folder (.md, .txt, .json, .html, .pdf; hidden names skipped), recursively, in
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
static int import_one(struct store *s, const char *path, bool lenient, struct counts *n,
                      bool *cleared)
{
    struct err e;
    struct warnings w = {0};
    struct cli_doc d;
    int rc = cli_read_doc(path, NULL, 0, &d, &w, &e);
    /* Lenient reading is for meeting documents: a case export stays strict. */
    if (rc < 0 && lenient && rc != ERR_IO && rc != ERR_LIMIT && d.meeting_reader) {
        warnings_fini(&w);
        cli_doc_fini(&d);
        rc = cli_read_doc(path, NULL, FMT_LENIENT, &d, &w, &e);
    }
    if (rc == 0) {
        enum store_outcome out;
        struct err se = {0};
        if (d.c) {
            struct store_doc sd = {path, d.case_reader->name, buf_cstr(&d.bytes), d.bytes.len,
                                   d.c};
            rc = store_import(s, &sd, NULL, &out, NULL, &se);
        } else {
            struct store_meeting_doc md = {path, d.meeting_reader->name, buf_cstr(&d.bytes),
                                           d.bytes.len, d.m, w.n ? &w : NULL};
            rc = store_import_meeting(s, &md, NULL, &out, NULL, &se);
            if (rc == 0 && w.n && !*cleared) {
                fputs("\r\033[K", stderr);
                *cleared = true;
            }
            if (rc == 0 && w.n) {
                cli_print_warnings(path, &w);
                fprintf(stderr, "%s: stored with %zu warning(s): its cases are marked \"læst med "
                                "forbehold\"\n", path, w.n);
            }
        }
        if (rc == 0) {
            n->imported += out == STORE_IMPORTED;
            n->unchanged += out == STORE_UNCHANGED;
            n->updated += out == STORE_UPDATED;
        } else {
            e = se;
        }
    }
    if (rc < 0) {
        if (*cleared == false) {
            fputs("\r\033[K", stderr);
            *cleared = true;
        }
        if (rc != ERR_DB)
            n->failed++;
        if (!e.file)
            e.file = path;
        cli_print_err(&e);
    }
    cli_doc_fini(&d);
    warnings_fini(&w);
    return rc == ERR_DB ? rc : rc < 0 ? 1 : 0;
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"lenient", no_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    bool quiet = false, lenient = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:qlh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'q': quiet = true; break;
        case 'l': lenient = true; break;
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
    /* ---- issue 11, archive: many files index for search per batch (store.h) ---- */
    struct err be = {0};
    if (files.n > 1 && store_bulk_begin(s, &be) < 0) {
        cli_print_err(&be);
        rc = ERR_DB;
        goto done;
    }
    for (i = 0; i < files.n; i++) {
        bool cleared = !tty;
        if (tty)
            progress(i, files.n, files.v[i]);
        rc = import_one(s, files.v[i], lenient, &n, &cleared);
        if (rc < 0)
            break;
    }
    /* ---- issue 11, archive: the last batch's search index ---- */
    if (store_bulk_end(s, &be) < 0) {
        if (tty)
            fputs("\r\033[K", stderr);
        cli_print_err(&be);
        if (rc == 0)
            rc = ERR_DB, i = files.n;
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
