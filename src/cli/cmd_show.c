/* cmd_show: `referat show ID`: what the archive holds about one case, for a terminal. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <stdio.h>

#define USAGE "usage: referat show ID [--db PATH] [--public]\n"

static void show_case(const struct store_case_ref *ref, const struct case_doc *c)
{
    printf("case %lld  %s\n", (long long)ref->id, ref->key);
    printf("title:       %s\n", c->title ? c->title : "");
    printf("status:      %s\n", c->public ? "Åben" : "Lukket");
    if (!c->public && !c->nroute && !c->presentation && !c->ndecisions) {
        printf("             Lukket sag\n");
        return;
    }
    printf("route:       ");
    for (size_t i = 0; i < c->nroute; i++)
        printf("%s%s", i ? ", " : "", c->route[i]);
    printf("\n");
    for (size_t i = 0; i < c->ndecisions; i++)
        printf("%s %s %s\n", i ? "            " : "treated:    ",
               c->decisions[i].date ? c->decisions[i].date : "?",
               c->decisions[i].body ? c->decisions[i].body : "?");
    if (!c->ndecisions)
        printf("treated:     not yet decided\n");
    printf("sub-items:   %zu\n", c->nsubitems);
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *si = &c->subitems[i];
        printf("  %zu. %s%s%s\n", i + 1, si->time ? si->time : "", si->time ? " " : "",
               si->title ? si->title : "");
        for (size_t k = 0; k < si->nguests; k++)
            printf("     guest: %s%s%s%s\n", si->guests[k].name,
                   si->guests[k].role ? " (" : "", si->guests[k].role ? si->guests[k].role : "",
                   si->guests[k].role ? ")" : "");
    }
    size_t open = 0;
    for (size_t i = 0; i < c->nattachments; i++)
        open += c->attachments[i].public;
    printf("attachments: %zu (%zu open, %zu closed)\n", c->nattachments, open,
           c->nattachments - open);
}

int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"public", no_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL;
    bool pub = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:ph", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'p': pub = true; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fputs(USAGE, stderr);
        return 2;
    }
    const struct reader *a = pub ? NULL : &reader_all;
    struct store *s = NULL;
    struct err e = {0};
    struct case_doc *doc = NULL;
    struct store_case_ref ref = {0};
    struct store_followup *fu = NULL;
    struct store_version *ver = NULL;
    size_t nfu = 0, nver = 0;
    int64_t id;
    int rc = cli_store_open(db, STORE_READONLY, &s);
    if (rc < 0)
        goto done;
    if ((rc = store_case_lookup(s, argv[optind], &id, &e)) < 0 ||
        (rc = store_case_ref_get(s, id, a, &ref, &e)) < 0 ||
        (rc = store_case_get(s, id, a, &doc, &e)) < 0)
        goto fail;
    show_case(&ref, doc);
    struct store_followup_filter f = {.case_id = id};
    if ((rc = store_followups(s, &f, a, &(struct store_page){0, STORE_PAGE_MAX}, &fu, &nfu, NULL,
                              &e)) < 0)
        goto fail;
    if (nfu)
        printf("follow-ups:\n");
    for (size_t i = 0; i < nfu; i++)
        printf("  #%lld %-4s %s%s%s: %s%s%s%s\n", (long long)fu[i].id,
               fu[i].done ? "done" : "open", fu[i].owner, fu[i].role ? ", " : "",
               fu[i].role ? fu[i].role : "", fu[i].text, fu[i].due ? " (due " : "",
               fu[i].due ? fu[i].due : "", fu[i].due ? ")" : "");
    if (doc->public || !pub) {
        if ((rc = store_versions(s, id, a, &ver, &nver, &e)) < 0)
            goto fail;
        printf("history:\n");
        for (size_t i = 0; i < nver; i++)
            printf("  v%d %s %s %zu bytes  %s%s\n", ver[i].version, ver[i].imported_at,
                   ver[i].format, ver[i].size, ver[i].name, i + 1 == nver ? "  (current)" : "");
    }
    goto done;
fail:
    cli_print_err(&e);
done:
    store_versions_free(ver, nver);
    store_followups_free(fu, nfu);
    store_case_ref_fini(&ref);
    case_free(doc);
    store_close(s);
    return rc < 0 ? 1 : 0;
}
