/* cmd_search: `referat search QUERY [filters] [--public] [--json]`, full-text search. */
#include "cli.h"
#include "cli_store.h"
#include "search/search.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define USAGE                                                                                      \
    "usage: referat search QUERY... [--db PATH] [--body B] [--from DATE] [--to DATE]\n"            \
    "                      [--public] [--by part|case] [--limit N] [--offset N] [--json]\n"        \
    "QUERY: words, \"phrases\", prefix*, AND, OR, NOT, ( ); see docs/search.md\n"

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void print_json(const char *query, const struct search_params *p,
                       const struct search_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "query", json_string(query));
    json_object_set_new(o, "total", json_integer((json_int_t)r->total));
    json_object_set_new(o, "total_capped", json_boolean(r->total_capped));
    json_object_set_new(o, "offset", json_integer((json_int_t)p->offset));
    json_t *hits = json_array();
    for (size_t i = 0; i < r->nhits; i++) {
        const struct search_hit *h = &r->hits[i];
        json_t *x = json_object();
        json_object_set_new(x, "case", json_integer(h->case_id));
        json_object_set_new(x, "subitem",
                            h->subitem ? json_integer((json_int_t)h->subitem) : json_null());
        json_object_set_new(x, "title", str_or_null(h->title));
        json_object_set_new(x, "case_title", str_or_null(h->case_title));
        json_object_set_new(x, "body", str_or_null(h->body));
        json_object_set_new(x, "date", str_or_null(h->date));
        json_object_set_new(x, "public", json_boolean(!h->closed));
        json_object_set_new(x, "snippet", str_or_null(h->snippet));
        json_object_set_new(x, "score", json_real(h->score));
        json_array_append_new(hits, x);
    }
    json_object_set_new(o, "hits", hits);
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(s ? s : "{}");
    free(s);
    json_decref(o);
}

/* The snippet for a terminal: entities decoded, <mark> as bold (or nothing when piped). */
static void put_snippet(const char *s, bool tty)
{
    static const struct {
        const char *from, *to;
    } rep[] = {{"<mark>", "\033[1m"}, {"</mark>", "\033[0m"}, {"&lt;", "<"}, {"&gt;", ">"},
               {"&amp;", "&"},        {"&quot;", "\""},       {"&#39;", "'"}};
    while (*s) {
        size_t i = 0;
        for (; i < sizeof rep / sizeof rep[0]; i++) {
            size_t n = strlen(rep[i].from);
            if (strncmp(s, rep[i].from, n) == 0) {
                if (i >= 2 || tty)
                    fputs(rep[i].to, stdout);
                s += n;
                break;
            }
        }
        if (i == sizeof rep / sizeof rep[0])
            putchar(*s++);
    }
}

static void print_text(const struct search_params *p, const struct search_result *r)
{
    bool tty = isatty(STDOUT_FILENO);
    for (size_t i = 0; i < r->nhits; i++) {
        const struct search_hit *h = &r->hits[i];
        if (h->subitem)
            printf("%lld/%zu", (long long)h->case_id, h->subitem);
        else
            printf("%lld", (long long)h->case_id);
        printf("  %s %s  %s", h->body ? h->body : "-", h->date ? h->date : "-",
               h->title ? h->title : "");
        if (h->subitem && h->case_title)
            printf(" (i %s)", h->case_title);
        if (h->closed)
            fputs("  [Lukket]", stdout);
        fputs("\n    ", stdout);
        put_snippet(h->snippet ? h->snippet : "", tty);
        putchar('\n');
    }
    /* A capped total is a lower bound: "mere end 10.000 træf" (Danish thousands dots). */
    char n[32], total[48];
    int len = snprintf(n, sizeof n, "%zu", r->total), k = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            total[k++] = '.';
        total[k++] = n[i];
    }
    total[k] = '\0';
    const char *more = r->total_capped ? "mere end " : "";
    if (r->nhits)
        printf("%zu-%zu af %s%s træf\n", p->offset + 1, p->offset + r->nhits, more, total);
    else
        printf("0 af %s%s træf\n", more, total);
}

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || *s == '-')
        return false;
    *out = (size_t)v;
    return true;
}

int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"body", required_argument, NULL, 'b'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"public", no_argument, NULL, 'p'},
                                         {"by", required_argument, NULL, 'y'},
                                         {"limit", required_argument, NULL, 'l'},
                                         {"offset", required_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    /* The CLI on the server reads every closed case; --public searches as the public. */
    struct search_params p = {.reader = &reader_all};
    struct search_result r = {0};
    struct store *s = NULL;
    struct err e = {0};
    struct buf query = BUF_INIT;
    const char *db = NULL;
    bool json = false;
    int c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'b':
            p.body = optarg;
            break;
        case 'f':
            p.from = optarg;
            break;
        case 't':
            p.to = optarg;
            break;
        case 'p':
            p.reader = NULL;
            break;
        case 'j':
            json = true;
            break;
        case 'y':
            if (strcmp(optarg, "case") == 0)
                p.group = SEARCH_BY_CASE;
            else if (strcmp(optarg, "part") == 0 || strcmp(optarg, "subitem") == 0)
                p.group = SEARCH_BY_PART;
            else
                goto usage;
            break;
        case 'l':
            if (!parse_size(optarg, &p.limit))
                goto usage;
            break;
        case 'o':
            if (!parse_size(optarg, &p.offset))
                goto usage;
            break;
        case 'h':
            fputs(USAGE, stdout);
            return 0;
        default:
            goto usage;
        }
    }
    if (optind >= argc)
        goto usage;
    /* `referat search budget drift` is the query "budget drift". */
    for (int i = optind; i < argc; i++)
        buf_printf(&query, "%s%s", i > optind ? " " : "", argv[i]);
    p.query = buf_cstr(&query);
    if (p.limit == 0)
        p.limit = 10;
    rc = cli_store_open(db, STORE_READONLY, &s);
    if (rc < 0)
        goto done;
    rc = store_search(s, &p, &r, &e);
    if (rc < 0) {
        /* A mistake in the query is about the query, not the archive. */
        if (rc == ERR_SYNTAX || rc == ERR_UTF8 || rc == ERR_LIMIT)
            e.file = "query";
        else if (rc == ERR_USAGE)
            e.file = "referat search";
        cli_print_err(&e);
        goto done;
    }
    if (json)
        print_json(p.query, &p, &r);
    else
        print_text(&p, &r);
done:
    search_result_fini(&r);
    store_close(s);
    buf_free(&query);
    return rc < 0 ? 1 : 0;
usage:
    fputs(USAGE, stderr);
    buf_free(&query);
    return 2;
}
